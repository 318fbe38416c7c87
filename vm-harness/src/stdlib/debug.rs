//! The one function of the debug library scripts here use: `debug.traceback`.

use gc_core::Collector;

use crate::model::LuaModel;
use crate::value::Value;
use crate::vm::{Args, LuaResult, Vm};

/// Registers the `debug` table.
pub fn open<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> LuaResult<()> {
    vm.register_lib("debug", &[("traceback", traceback)])?;
    Ok(())
}

/// `debug.traceback([msg])`: the message, a newline and a traceback; a non-string
/// message is returned untouched, as in 5.1.
fn traceback<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let msg = vm.arg(args, 0);
    let mut text = match msg {
        Value::Nil => Vec::new(),
        Value::String(_) | Value::Number(_) => {
            let s = vm.check_str(args, 1)?;
            let mut t = s.as_bytes().to_vec();
            t.push(b'\n');
            t
        }
        other => return vm.ret1(other),
    };
    text.extend_from_slice(vm.traceback().as_bytes());
    let s = vm.str_value(&text)?;
    vm.ret1(s)
}
