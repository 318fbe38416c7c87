//! The coroutine library: create, resume, yield, status, wrap, running.

use gc_core::Collector;

use crate::model::LuaModel;
use crate::object::thread::{Status, ThreadRef};
use crate::value::Value;
use crate::vm::{Args, LuaResult, Vm};

/// Registers the `coroutine` table.
pub fn open<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> LuaResult<()> {
    vm.register_lib(
        "coroutine",
        &[
            ("create", create),
            ("resume", resume),
            ("yield", yield_),
            ("status", status),
            ("wrap", wrap),
            ("running", running),
        ],
    )?;
    Ok(())
}

/// A new suspended coroutine running the Lua function `args[0]`.
fn new_coroutine<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<ThreadRef> {
    let f = vm.arg(args, 0);
    if !matches!(f, Value::LuaFunction(_)) {
        return Err(vm.arg_error(1, "Lua function expected"));
    }
    let co = ThreadRef::new(&mut vm.heap, &mut vm.roots).map_err(|_| vm.out_of_memory())?;
    // A stack that does not run takes the barrier before a store (`LuaModel::is_stack`):
    // `new`'s last store, after its last allocation, was a barriered one.
    co.set(0, f);
    co.set_top(1);
    Ok(co)
}

fn create<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let co = new_coroutine(vm, args)?;
    vm.ret1(Value::Thread(co))
}

fn check_co<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<ThreadRef> {
    match vm.arg(args, 0) {
        Value::Thread(t) => Ok(t),
        _ => Err(vm.arg_error(1, "coroutine expected")),
    }
}

fn resume<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let co = check_co(vm, args)?;
    match vm.resume(co, args.n - 1)? {
        Ok(n) => {
            let th = vm.thread();
            vm.check_stack(1)?;
            let top = th.top();
            for i in (top - n..top).rev() {
                th.set(i + 1, th.get(i));
            }
            th.set(top - n, Value::Boolean(true));
            th.set_top(top + 1);
            Ok(n + 1)
        }
        Err(()) => {
            let err = vm.roots.error_value;
            vm.push(Value::Boolean(false))?;
            vm.push(err)?;
            Ok(2)
        }
    }
}

fn yield_<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    Err(vm.yield_values(args.n))
}

fn status<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let co = check_co(vm, args)?;
    let s: &[u8] = match co.status() {
        Status::Suspended => b"suspended",
        Status::Running => b"running",
        Status::Normal => b"normal",
        Status::Dead => b"dead",
    };
    let v = vm.str_value(s)?;
    vm.ret1(v)
}

fn running<C: Collector<LuaModel>>(vm: &mut Vm<C>, _args: Args) -> LuaResult<usize> {
    let th = vm.thread();
    if th == vm.roots.main_thread {
        return vm.ret1(Value::Nil);
    }
    vm.ret1(Value::Thread(th))
}

fn wrap<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let co = new_coroutine(vm, args)?;
    vm.push(Value::Thread(co))?;
    let f = vm.new_native(wrapped, &[Value::Thread(co)])?;
    vm.ret1(f)
}

fn wrapped<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let Value::Thread(co) = vm.current_native().upvalue(0) else {
        unreachable!("wrap keeps its coroutine")
    };
    match vm.resume(co, args.n)? {
        Ok(n) => Ok(n),
        Err(()) => {
            let mut err = vm.roots.error_value;
            if let Value::String(s) = err {
                let mut text = vm.where_(1);
                text.extend_from_slice(s.as_bytes());
                err = vm.str_value(&text)?;
            }
            Err(vm.raise(err))
        }
    }
}
