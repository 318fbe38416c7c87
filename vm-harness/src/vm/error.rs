//! Lua errors: how they are raised (with 5.1's "chunk:line:" prefixes), the variable
//! descriptions of runtime error messages, and error levels.
//!
//! Invariant: raising stores the error value in `VmRoots::error_value` (rooted) and
//! returns [`Throw::Error`]; nothing is unwound here. Messages are built from the
//! frames as they are at the raise, so the saved pc of the faulting Lua frame must be
//! current (the interpreter saves it before anything that can fail).

use gc_core::Collector;

use super::{Args, Vm};
use crate::compiler;
use crate::model::LuaModel;
use crate::value::Value;

/// Why control leaves a function abnormally.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Throw {
    /// A Lua error; the value is in `VmRoots::error_value`.
    Error,
    /// A coroutine yields; its values are on its stack top (`Vm::yield_count` of them).
    Yield,
}

impl<C: Collector<LuaModel>> Vm<C> {
    /// Raises `value` as is (`error` with level 0, non-string values).
    pub fn raise(&mut self, value: Value) -> Throw {
        self.roots.error_value = value;
        self.memory_error = false;
        Throw::Error
    }

    /// Raises a message string, or "not enough memory" if it cannot be allocated.
    fn raise_bytes(&mut self, msg: &[u8]) -> Throw {
        match self.intern(msg) {
            Ok(s) => self.raise(Value::String(s)),
            Err(t) => t,
        }
    }

    /// 5.1's `luaG_runerror`: the message, prefixed with the current line when the
    /// innermost frame runs Lua code.
    #[cold]
    pub fn runtime_error(&mut self, msg: &str) -> Throw {
        let th = self.roots.thread;
        let mut text = Vec::new();
        if th.nframes() > 0 {
            text = self.position(th.nframes() - 1);
        }
        text.extend_from_slice(msg.as_bytes());
        self.raise_bytes(&text)
    }

    /// 5.1's `luaL_error`: the message, prefixed with the position of the function that
    /// called the running native function (level 1).
    #[cold]
    pub fn native_error(&mut self, msg: &str) -> Throw {
        self.error_at_level(msg.as_bytes(), 1)
    }

    /// The message prefixed with the position at stack level `level` (`error(msg, level)`).
    pub fn error_at_level(&mut self, msg: &[u8], level: usize) -> Throw {
        let mut text = self.where_(level);
        text.extend_from_slice(msg);
        self.raise_bytes(&text)
    }

    /// 5.1's `luaL_where`: "chunk:line: " for a Lua function at `level`, else empty.
    pub fn where_(&self, level: usize) -> Vec<u8> {
        match self.frame_at_level(level) {
            Some(i) => self.position(i),
            None => Vec::new(),
        }
    }

    /// Describes what stack slot `slot` holds in the innermost frame, if it is a Lua
    /// frame's register: ("local", "t"), ("global", "f"), ("field", "x")...
    pub fn describe_slot(&self, slot: usize) -> Option<(&'static str, String)> {
        let th = self.roots.thread;
        if th.nframes() == 0 {
            return None;
        }
        let f = th.current_frame();
        if !f.is_lua || slot < f.base as usize || slot >= f.top as usize {
            return None;
        }
        let Value::LuaFunction(cl) = th.get(f.func as usize) else {
            return None;
        };
        let view = cl.proto().debug_view();
        compiler::describe_register(
            &view,
            f.pc(cl.proto().code_ptr()).saturating_sub(1),
            (slot - f.base as usize) as u8,
        )
    }

    /// 5.1's `luaG_typeerror`: "attempt to OP local 'x' (a nil value)".
    #[cold]
    pub fn type_error(&mut self, v: Value, slot: Option<usize>, op: &str) -> Throw {
        let t = v.type_name();
        let msg = match slot.and_then(|s| self.describe_slot(s)) {
            Some((kind, name)) => format!("attempt to {op} {kind} '{name}' (a {t} value)"),
            None => format!("attempt to {op} a {t} value"),
        };
        self.runtime_error(&msg)
    }

    /// 5.1's `luaG_aritherror`: blames the operand that is not a number.
    #[cold]
    pub fn arith_error(
        &mut self,
        a: Value,
        sa: Option<usize>,
        b: Value,
        sb: Option<usize>,
    ) -> Throw {
        if self.to_number(a).is_none() {
            self.type_error(a, sa, "perform arithmetic on")
        } else {
            self.type_error(b, sb, "perform arithmetic on")
        }
    }

    /// 5.1's `luaG_concaterror`.
    #[cold]
    pub fn concat_error(
        &mut self,
        a: Value,
        sa: Option<usize>,
        b: Value,
        sb: Option<usize>,
    ) -> Throw {
        if matches!(a, Value::String(_) | Value::Number(_)) {
            self.type_error(b, sb, "concatenate")
        } else {
            self.type_error(a, sa, "concatenate")
        }
    }

    /// 5.1's `luaG_ordererror`.
    #[cold]
    pub fn order_error(&mut self, a: Value, b: Value) -> Throw {
        let (t1, t2) = (a.type_name(), b.type_name());
        if t1 == t2 {
            self.runtime_error(&format!("attempt to compare two {t1} values"))
        } else {
            self.runtime_error(&format!("attempt to compare {t1} with {t2}"))
        }
    }

    /// 5.1's `luaL_argerror`: "bad argument #N to 'name' (extra)".
    #[cold]
    pub fn arg_error(&mut self, narg: usize, extra: &str) -> Throw {
        let (namewhat, name) = match self.callee_name() {
            Some((w, n)) => (w, n),
            None => ("", "?".to_owned()),
        };
        let mut narg = narg;
        if namewhat == "method" {
            narg -= 1;
            if narg == 0 {
                return self.native_error(&format!("calling '{name}' on bad self ({extra})"));
            }
        }
        self.native_error(&format!("bad argument #{narg} to '{name}' ({extra})"))
    }

    /// 5.1's `luaL_typerror`: "bad argument #N to 'name' (T expected, got U)".
    #[cold]
    pub fn arg_type_error(&mut self, args: Args, narg: usize, expected: &str) -> Throw {
        let got = if narg > args.n {
            "no value"
        } else {
            self.arg(args, narg - 1).type_name()
        };
        self.arg_error(narg, &format!("{expected} expected, got {got}"))
    }
}
