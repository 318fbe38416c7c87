//! Lua source text through the lexer, parser and compiler; what compiles must pass the
//! bytecode verifier and survive a dump and reload unchanged, then runs (stop-the-world
//! collector, heap limit, instruction budget) to a result or a Lua error.
#![no_main]

use gc_core::collectors::Stw;
use libfuzzer_sys::fuzz_target;
use vm_harness::binary_chunk;
use vm_harness::compiler::{self, verify, CompileOptions};
use vm_harness::model::LuaModel;

fuzz_target!(|source: &[u8]| {
    if binary_chunk::is_binary(source) {
        return;
    }
    let options = CompileOptions {
        skip_shebang: false,
        c_call_depth: 1,
    };
    let Ok(proto) = compiler::compile_with(source, "fuzz", options) else {
        return;
    };
    if let Err(bad) = verify::check(&proto) {
        panic!("the compiler emitted code the verifier refuses: {bad:?}");
    }
    let dumped = binary_chunk::dump(&proto);
    let reloaded = binary_chunk::undump(&dumped, 1).expect("a dumped chunk reloads");
    assert_eq!(binary_chunk::dump(&reloaded), dumped, "dump, undump, dump");
    gc_research_fuzz::run::<Stw<LuaModel>>(source, 0);
});
