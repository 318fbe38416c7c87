//! Binary chunks that the bytecode verifier accepts although no compiler would emit them
//! run without breaking the VM: the interpreter checks the value types the verifier
//! cannot (see `compiler::verify`). The corpus script `binary_chunks.lua` covers
//! rejected chunks, and dumped closures with upvalues, against lua5.1.

use gc_core::collectors::Stw;
use gc_core::{Collector, HeapConfig};
use vm_harness::binary_chunk;
use vm_harness::compiler::opcodes::{create_abc, create_asbx, get_opcode, OpCode};
use vm_harness::compiler::{compile, Constant, Proto};
use vm_harness::model::LuaModel;
use vm_harness::{Lua, LuaError, VmOptions};

fn lua() -> Lua<Stw<LuaModel>> {
    Lua::new(Stw::new(HeapConfig::default()), &VmOptions { gc_stress: 1 }).expect("boot")
}

/// Compiles `src` and replaces its first instruction with opcode `op` by `word`.
fn patched(src: &str, op: OpCode, word: u32) -> Proto {
    let mut p = compile(src.as_bytes(), "t.lua").expect("compiles");
    let pc = p
        .code
        .iter()
        .position(|&i| get_opcode(i) == Some(op))
        .expect("opcode");
    p.code[pc] = word;
    p
}

/// Loads `p` as a binary chunk and runs it: the error message, if it fails.
fn run(p: &Proto) -> Result<(), String> {
    match lua().run(&binary_chunk::dump(p), "=test") {
        Ok(_) => Ok(()),
        Err(LuaError::Load(msg)) => panic!("the verifier refused the chunk: {msg}"),
        Err(LuaError::Run(msg)) => Err(msg),
    }
}

#[test]
fn forloop_without_forprep_is_an_error() {
    // The loop's FORPREP replaced by a jump to its FORLOOP, with a string index.
    let mut p = patched(
        "for i = 1, 2 do end",
        OpCode::ForPrep,
        create_asbx(OpCode::Jmp, 0, 0),
    );
    p.constants[0] = Constant::String(b"one".to_vec());
    let err = run(&p).expect_err("fails");
    assert!(
        err.starts_with("t.lua:1: FORLOOP on non-number control values"),
        "{err}"
    );
}

#[test]
fn setlist_on_a_non_table_is_an_error() {
    let p = patched(
        "local t = {1, 2}",
        OpCode::NewTable,
        create_abc(OpCode::LoadNil, 0, 0, 0),
    );
    let err = run(&p).expect_err("fails");
    assert!(
        err.starts_with("t.lua:1: SETLIST on a non-table value"),
        "{err}"
    );
}

#[test]
fn newtable_with_a_huge_size_hint_is_out_of_memory() {
    // B = 511 asks for billions of array slots: refused before anything is allocated,
    // as a catchable error.
    let src = b"local ok, e = pcall(function() return {} end)
        if ok or e ~= 'not enough memory' then error('got ' .. tostring(e)) end";
    let mut p = compile(src, "t.lua").expect("compiles");
    let child = &mut p.protos[0];
    let pc = child
        .code
        .iter()
        .position(|&i| get_opcode(i) == Some(OpCode::NewTable))
        .expect("NEWTABLE");
    child.code[pc] = create_abc(OpCode::NewTable, 0, 511, 511);
    run(&p).expect("the error is caught by pcall");
}
