//! Binary chunks through the reader and the bytecode verifier; what loads runs
//! (stop-the-world collector, heap limit, instruction budget) to a result or a Lua
//! error, never past its function's registers, constants or code.
#![no_main]

use gc_core::collectors::Stw;
use libfuzzer_sys::fuzz_target;
use vm_harness::binary_chunk;
use vm_harness::model::LuaModel;

fuzz_target!(|chunk: &[u8]| {
    if binary_chunk::undump(chunk, 1).is_ok() {
        gc_research_fuzz::run::<Stw<LuaModel>>(chunk, 0);
    }
});
