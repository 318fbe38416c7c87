//! Closing a VM runs its finalizers; a VM a panic unwinds through runs none (its state
//! may be half-updated).

use std::sync::atomic::{AtomicUsize, Ordering};

use gc_core::collectors::Stw;
use gc_core::{Collector, HeapConfig};

use crate::compiler::CompileOptions;
use crate::model::LuaModel;
use crate::vm::{Args, LuaResult, Vm, VmOptions};

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
