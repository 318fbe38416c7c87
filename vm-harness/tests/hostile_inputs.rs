//! Inputs that once crashed the VM or escaped its limits, where a corpus script cannot
//! pin the behaviour down (lua5.1 itself crashes, or the check is about the process:
//! panics, exit status, memory).

use std::sync::atomic::{AtomicUsize, Ordering};

use gc_core::collectors::Stw;
use gc_core::{Collector, HeapConfig};
use vm_harness::compiler::CompileOptions;
use vm_harness::model::LuaModel;
use vm_harness::value::Value;
use vm_harness::vm::{Args, LuaResult, Vm, VmOptions};

fn vm() -> Vm<Stw<LuaModel>> {
    Vm::new(Stw::new(HeapConfig::default()), &VmOptions { gc_stress: 0 }).expect("boot")
}

/// Runs `source` as a chunk; `Err` holds the error message.
fn run(vm: &mut Vm<Stw<LuaModel>>, source: &str) -> Result<(), String> {
    let f = match vm.load(source.as_bytes(), "=test", CompileOptions::default()) {
        Ok(Ok(f)) => f,
        Ok(Err(msg)) => return Err(String::from_utf8_lossy(&msg).into_owned()),
        Err(_) => return Err(vm.error_string()),
    };
    vm.roots.temps.push(f);
    let result = vm.run_function(f, &[]);
    vm.roots.temps.pop();
    result
}

/// Runs `source` and returns the global `result` as text.
fn result_of(vm: &mut Vm<Stw<LuaModel>>, source: &str) -> String {
    run(vm, source).expect("runs");
    let globals = vm.roots.globals;
    let v = vm.get_field(globals, "result").expect("result");
    match v {
        Value::String(s) => s.to_str_lossy(),
        _ => panic!("result is not a string: {v:?}"),
    }
}

#[test]
fn bit_tohex_widths_follow_luabitop_and_luajit_at_minus_2_pow_31() {
    let mut vm = vm();
    // lua5.1 with LuaBitOp crashes on -2^31 (its negation overflows); LuaJIT returns "".
    let cases = [
        ("bit.tohex(1, -2^31)", ""),
        ("bit.tohex(1, 2^31)", ""),
        ("bit.tohex(255, -3)", "0FF"),
        ("bit.tohex(255, 3)", "0ff"),
        ("bit.tohex(1, 100)", "00000001"),
        ("bit.tohex(1, -2^31 + 1)", "00000001"),
        ("bit.tohex(-1)", "ffffffff"),
        ("bit.tohex(1, 0)", ""),
    ];
    for (expr, expected) in cases {
        let got = result_of(&mut vm, &format!("result = {expr}"));
        assert_eq!(got, expected, "{expr}");
    }
}

static FINALIZED: AtomicUsize = AtomicUsize::new(0);

fn count_finalized(_vm: &mut Vm<Stw<LuaModel>>, _args: Args) -> LuaResult<usize> {
    FINALIZED.fetch_add(1, Ordering::SeqCst);
    Ok(0)
}

/// A VM holding one live userdata whose finalizer counts its calls.
fn vm_with_finalizable() -> Vm<Stw<LuaModel>> {
    let mut vm = vm();
    let f = vm.new_native(count_finalized, &[]).expect("native");
    let globals = vm.roots.globals;
    vm.set_field(globals, "count", f).expect("set");
    run(
        &mut vm,
        "keep = newproxy(true); getmetatable(keep).__gc = count; count = nil",
    )
    .expect("runs");
    vm
}

#[test]
fn finalizers_run_at_close_but_not_on_a_vm_a_panic_interrupts() {
    let before = FINALIZED.load(Ordering::SeqCst);
    drop(vm_with_finalizable());
    assert_eq!(
        FINALIZED.load(Ordering::SeqCst),
        before + 1,
        "closed normally"
    );
    let unwound = std::panic::catch_unwind(|| {
        let _vm = vm_with_finalizable();
        panic!("an internal error while the VM runs");
    });
    assert!(unwound.is_err());
    assert_eq!(
        FINALIZED.load(Ordering::SeqCst),
        before + 1,
        "after the panic"
    );
}
