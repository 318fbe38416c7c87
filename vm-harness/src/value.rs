//! The Lua value: a 16-byte `Copy` enum whose references point into the collector's heap.
//!
//! Invariant: a `Value` held by the VM is only used while its object is reachable from the
//! roots (stack, globals, registry, `VmRoots::temps`) or from another reachable object.
//! Copying a `Value` does not keep anything alive; rooting it does.
//! Hence `pub(crate)`, as the handles are (see `crate::object`): outside the crate a
//! value leaves the VM as an owned `LuaValue`.
//!
//! Layout (relied on by `write_number`, `write_boolean` and `words`/`from_words`, with
//! which tables pack the keys and values of their hash nodes): `repr(u64)` puts the
//! discriminant in the first word and every payload at offset 8. The discriminants are
//! the variants' positions, 0 to 8, so a tag fits in a byte.

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

    /// Which metatable of `VmRoots::type_metatables` values of this type share; `None`
    /// for tables and userdata, which have their own.
    #[inline]
    pub fn shared_metatable_index(self) -> Option<usize> {
        match self {
            Value::Nil => Some(0),
            Value::Boolean(_) => Some(1),
            Value::Number(_) => Some(2),
            Value::String(_) => Some(STRING_METATABLE),
            Value::LuaFunction(_) | Value::NativeFunction(_) => Some(4),
            Value::Thread(_) => Some(5),
            Value::Table(_) | Value::Userdata(_) => None,
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

    /// Stores `Value::Number(x)` at `slot` with one 16-byte store.
    ///
    /// Why: a plain assignment compiles to two 8-byte stores (tag, then payload), and
    /// the interpreter's next read of that register is a 16-byte load, which cannot be
    /// forwarded from two narrower stores and stalls until they reach the cache (about
    /// a dozen cycles per arithmetic instruction, measured on the loop benchmarks).
    ///
    /// # Safety
    /// `slot` must be valid for a write of a `Value`.
    #[inline(always)]
    pub unsafe fn write_number(slot: *mut Value, x: f64) {
        // SAFETY: forwarded to the caller.
        unsafe { write_words(slot, NUMBER_TAG, x.to_bits()) }
    }

    /// Stores `Value::Nil` at `slot` with one 16-byte store (see `write_number`): a
    /// plain `Nil` assignment writes the tag word alone, which a later 16-byte load of
    /// the slot cannot be forwarded from either.
    ///
    /// # Safety
    /// `slot` must be valid for a write of a `Value`.
    #[inline(always)]
    pub unsafe fn write_nil(slot: *mut Value) {
        // A non-zero payload word keeps LLVM from turning runs of these into `memset`
        // calls, which cost more than the few stores a frame's registers take.
        // SAFETY: forwarded to the caller; nil has no payload, any word will do.
        unsafe { write_words(slot, NIL_TAG, u64::MAX) }
    }

    /// Stores `Value::Boolean(b)` at `slot` with one 16-byte store (see `write_number`).
    ///
    /// # Safety
    /// `slot` must be valid for a write of a `Value`.
    #[inline(always)]
    pub unsafe fn write_boolean(slot: *mut Value, b: bool) {
        // SAFETY: forwarded to the caller.
        unsafe { write_words(slot, BOOLEAN_TAG, b as u64) }
    }

    /// Stores `v` at `slot` with one 16-byte store (see `write_number`), whatever its
    /// variant: for values a plain assignment would copy in pieces, such as one taken
    /// out of a call's returned `Result` (8, 1, 4 and 4 bytes), which a later read of
    /// the slot's payload word cannot be forwarded from.
    ///
    /// # Safety
    /// `slot` must be valid for a write of a `Value`.
    #[inline(always)]
    pub unsafe fn write(slot: *mut Value, v: Value) {
        let (tag, payload) = v.words();
        // SAFETY: forwarded to the caller; the words are those of `v`.
        unsafe { write_words(slot, tag, payload) }
    }

    /// The value's two words, tag and payload (see the module's layout note), every
    /// byte initialised: nil's payload is `u64::MAX`, a boolean's 0 or 1. A tag is
    /// below 2^8. [`Value::from_words`] rebuilds the value.
    #[inline(always)]
    pub fn words(self) -> (u64, u64) {
        let words = (&self as *const Value).cast::<u64>();
        // SAFETY: the discriminant word is initialised for every variant, and the
        // payload word of the variants read here is a number or a reference, all of
        // whose bytes are the data (checked below).
        unsafe {
            match self {
                Value::Nil => (NIL_TAG, u64::MAX),
                Value::Boolean(b) => (BOOLEAN_TAG, b as u64),
                _ => (*words, *words.add(1)),
            }
        }
    }

    /// The value whose [`Value::words`] are `tag` and `payload`.
    ///
    /// # Safety
    /// `tag` and `payload` are the words of a value, as [`Value::words`] gave them.
    #[inline(always)]
    pub unsafe fn from_words(tag: u64, payload: u64) -> Value {
        // SAFETY: per the caller, the words of a valid value: a discriminant, and a
        // payload word whose leading bytes are that variant's data.
        unsafe { std::mem::transmute::<[u64; 2], Value>([tag, payload]) }
    }

    /// Whether the value is a function of either kind.
    pub fn is_function(self) -> bool {
        matches!(self, Value::LuaFunction(_) | Value::NativeFunction(_))
    }
}

/// `n` truncated toward zero, or some integer when `n` is NaN or out of range: enough
/// for the integrality test `i as f64 == n`, which those then fail (-2^63 aside, which
/// converts exactly). One conversion instruction on x86_64, where Rust's saturating
/// `as` adds range fixes to every array access by number.
#[inline(always)]
pub fn truncate(n: f64) -> i64 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_cvttsd_si64, _mm_set_sd};
        // SAFETY: SSE2 is part of x86_64, and the conversion is defined for every input
        // (it gives i64::MIN for NaN and out-of-range values).
        unsafe { _mm_cvttsd_si64(_mm_set_sd(n)) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        n as i64
    }
}

/// `x` rounded down, as C's `floor` (the sign of a zero kept): inline, where the
/// library's `floor` is a call on x86_64 without SSE4.1, for `%` on every number.
#[inline(always)]
pub fn floor(x: f64) -> f64 {
    /// From 2^52 up every double is an integer.
    const INTEGRAL: f64 = 4503599627370496.0;
    if x.abs() < INTEGRAL {
        let t = (truncate(x) as f64).copysign(x);
        if t > x {
            t - 1.0
        } else {
            t
        }
    } else {
        // NaN, infinities and integers.
        x
    }
}

/// Number of types whose values share a metatable (see
/// `Value::shared_metatable_index`).
pub const SHARED_METATABLE_TYPES: usize = 6;
/// The index of the strings' metatable in `VmRoots::type_metatables`.
pub const STRING_METATABLE: usize = 3;

/// The discriminants of the variants written by words (see the module's layout note).
const NIL_TAG: u64 = 0;
const BOOLEAN_TAG: u64 = 1;
const NUMBER_TAG: u64 = 2;

// SAFETY: the checks read a value's first word, its discriminant, initialised for every
// variant, and the payload word of a number, all of whose bytes are the f64.
const _: () = unsafe {
    let b = Value::Boolean(true);
    let n = Value::Number(1.5);
    assert!(*(&Value::Nil as *const Value as *const u64) == NIL_TAG);
    assert!(*(&b as *const Value as *const u64) == BOOLEAN_TAG);
    assert!(*(&n as *const Value as *const u64) == NUMBER_TAG);
    assert!(*(&n as *const Value as *const f64).add(1) == 1.5);
    assert!(std::mem::size_of::<Value>() == 16);
    assert!(std::mem::size_of::<LuaStr>() == 8);
    assert!(std::mem::size_of::<TableRef>() == 8);
    assert!(std::mem::size_of::<LuaClosureRef>() == 8);
    assert!(std::mem::size_of::<NativeClosureRef>() == 8);
    assert!(std::mem::size_of::<UserdataRef>() == 8);
    assert!(std::mem::size_of::<ThreadRef>() == 8);
};

/// Writes a value given as its tag and payload words in one 16-byte store.
///
/// # Safety
/// `slot` must be valid for a write of a `Value`, and `tag`, `payload` must form a valid
/// value: a discriminant and a payload word whose leading bytes are that variant's data.
#[inline(always)]
unsafe fn write_words(slot: *mut Value, tag: u64, payload: u64) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_set_epi64x, _mm_storeu_si128};
        // SAFETY: SSE2 is part of x86_64; the caller makes `slot` writable for 16 bytes
        // and the words a valid value.
        unsafe { _mm_storeu_si128(slot.cast(), _mm_set_epi64x(payload as i64, tag as i64)) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    // SAFETY: as above; two word stores are the portable form.
    unsafe {
        slot.cast::<[u64; 2]>().write([tag, payload])
    }
}

#[cfg(test)]
mod tests {
    use super::{floor, truncate};

    #[test]
    fn floor_is_the_library_floor_bit_for_bit() {
        let edges = [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.0,
            -1.0,
            -2.5,
            1e-300,
            -1e-300,
            0.9999999999999999,
            -0.9999999999999999,
            4503599627370495.5,
            -4503599627370495.5,
            4503599627370496.0,
            -4503599627370497.0,
            9.3e18,
            -9.3e18,
            1e300,
            f64::MAX,
            f64::MIN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let sweep = (-3000..3000).map(|i| f64::from(i) * 0.37);
        for x in edges.into_iter().chain(sweep) {
            assert_eq!(floor(x).to_bits(), x.floor().to_bits(), "floor({x:e})");
        }
        assert!(floor(f64::NAN).is_nan());
    }

    #[test]
    fn truncate_is_exact_for_integers_and_fails_the_round_trip_otherwise() {
        for x in [0.0, 1.0, -1.0, 4294967296.0, -9007199254740992.0] {
            assert_eq!(truncate(x) as f64, x);
        }
        assert_eq!(truncate(2.9), 2);
        assert_eq!(truncate(-2.9), -2);
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e19, -1e19] {
            assert_ne!(truncate(x) as f64, x, "{x}");
        }
    }
}
