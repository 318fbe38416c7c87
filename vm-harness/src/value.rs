//! The Lua value: a 16-byte `Copy` enum whose references point into the collector's heap.
//!
//! Invariant: a `Value` held by the VM is only used while its object is reachable from the
//! roots (stack, globals, registry, `VmRoots::temps`) or from another reachable object.
//! Copying a `Value` does not keep anything alive; rooting it does.

use gc_core::{ObjectRef, Tracer};

use crate::object::closure::{LuaClosureRef, NativeClosureRef};
use crate::object::string::LuaStr;
use crate::object::table::TableRef;
use crate::object::thread::ThreadRef;
use crate::object::userdata::UserdataRef;

/// A Lua 5.1 value. Numbers are `f64`, as in Lua 5.1; functions are split into Lua and
/// native closures so a call dispatches on the tag without reading the object. The
/// 8-byte tag puts every payload at offset 8, so a value copies as two plain words.
#[derive(Copy, Clone, Debug, Default)]
#[repr(u64)]
pub enum Value {
    /// `nil`.
    #[default]
    Nil,
    /// `true` or `false`.
    Boolean(bool),
    /// A number.
    Number(f64),
    /// An interned byte string.
    String(LuaStr),
    /// A table.
    Table(TableRef),
    /// A function written in Lua.
    LuaFunction(LuaClosureRef),
    /// A function written in Rust.
    NativeFunction(NativeClosureRef),
    /// A full userdata (only `newproxy` creates them).
    Userdata(UserdataRef),
    /// A coroutine.
    Thread(ThreadRef),
}

impl Value {
    /// Lua's truth test: everything but `nil` and `false` is true.
    #[inline(always)]
    pub fn truthy(self) -> bool {
        !matches!(self, Value::Nil | Value::Boolean(false))
    }

    /// Whether the value is `nil`.
    #[inline(always)]
    pub fn is_nil(self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Primitive equality (`rawequal`): same type and same value; objects by identity.
    /// Interned strings make string equality an identity test too.
    #[inline]
    pub fn raw_eq(self, other: Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Boolean(a), Value::Boolean(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Table(a), Value::Table(b)) => a == b,
            (Value::LuaFunction(a), Value::LuaFunction(b)) => a == b,
            (Value::NativeFunction(a), Value::NativeFunction(b)) => a == b,
            (Value::Userdata(a), Value::Userdata(b)) => a == b,
            (Value::Thread(a), Value::Thread(b)) => a == b,
            _ => false,
        }
    }

    /// The heap object behind the value, if it is a reference.
    #[inline]
    pub fn object(self) -> Option<ObjectRef> {
        match self {
            Value::Nil | Value::Boolean(_) | Value::Number(_) => None,
            Value::String(s) => Some(s.0),
            Value::Table(t) => Some(t.0),
            Value::LuaFunction(f) => Some(f.0),
            Value::NativeFunction(f) => Some(f.0),
            Value::Userdata(u) => Some(u.0),
            Value::Thread(t) => Some(t.0),
        }
    }

    /// Reports the value's object, if any, to a tracer.
    #[inline]
    pub fn trace<T: Tracer>(self, tracer: &mut T) {
        if let Some(obj) = self.object() {
            tracer.mark(obj);
        }
    }

    /// The name `type()` returns.
    pub fn type_name(self) -> &'static str {
        match self {
            Value::Nil => "nil",
            Value::Boolean(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Table(_) => "table",
            Value::LuaFunction(_) | Value::NativeFunction(_) => "function",
            Value::Userdata(_) => "userdata",
            Value::Thread(_) => "thread",
        }
    }

    /// Whether the value is a function of either kind.
    pub fn is_function(self) -> bool {
        matches!(self, Value::LuaFunction(_) | Value::NativeFunction(_))
    }
}
