//! Metatables and the operations that consult them, with 5.1's rules: `__index` and
//! `__newindex` chains (at most 100 links), arithmetic with string coercion, `__eq` only
//! between operands sharing the handler, `__lt`/`__le` (with `not (b < a)` as `__le`'s
//! fallback), `__concat`, `__len` for non-tables, `__call`, `__tostring`.
//!
//! Invariant: metamethods run through `Vm::call_value`, which pushes above the running
//! frame's registers, so operands in registers stay rooted during the call.

use gc_core::Collector;

use super::{LuaResult, Throw, Vm};
use crate::convert::{format_number, parse_number};
use crate::model::LuaModel;
use crate::object::string::LuaStr;
use crate::object::table::TableRef;
use crate::roots::Name;
use crate::value::{floor, Value};

/// 5.1's `MAXTAGLOOP`.
const MAX_TAG_LOOP: usize = 100;

/// The arithmetic operators, in metamethod order.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Arith {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `^`
    Pow,
    /// unary `-`
    Unm,
}

impl Arith {
    /// Applies the operator to numbers (5.1's `luai_num*`).
    #[inline(always)]
    pub fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            Arith::Add => a + b,
            Arith::Sub => a - b,
            Arith::Mul => a * b,
            Arith::Div => a / b,
            Arith::Mod => a - floor(a / b) * b,
            Arith::Pow => a.powf(b),
            Arith::Unm => -a,
        }
    }

    fn event(self) -> Name {
        match self {
            Arith::Add => Name::Add,
            Arith::Sub => Name::Sub,
            Arith::Mul => Name::Mul,
            Arith::Div => Name::Div,
            Arith::Mod => Name::Mod,
            Arith::Pow => Name::Pow,
            Arith::Unm => Name::Unm,
        }
    }
}

impl<C: Collector<LuaModel>> Vm<C> {
    /// Number coercion (5.1's `tonumber`): numbers, and strings that parse as numbers.
    #[inline]
    pub fn to_number(&self, v: Value) -> Option<f64> {
        match v {
            Value::Number(n) => Some(n),
            Value::String(s) => parse_number(s.as_bytes()),
            _ => None,
        }
    }

    /// The metatable of any value: tables and userdata have their own, the values of
    /// each other type share one (strings the string library's).
    #[inline]
    pub fn metatable_of(&self, v: Value) -> Option<TableRef> {
        match v {
            Value::Table(t) => t.metatable(),
            Value::Userdata(u) => u.metatable(),
            _ => v
                .shared_metatable_index()
                .and_then(|i| self.roots.type_metatables[i]),
        }
    }

    /// Field `event` of metatable `mt`, nil if it is absent, using and filling the
    /// absent-event cache.
    #[inline]
    pub fn fast_tm(&self, mt: TableRef, event: Name) -> Value {
        let cached = event.is_cached();
        if cached && mt.tm_flags() & (1 << event as u16) != 0 {
            return Value::Nil;
        }
        let v = mt.get_str(self.roots.name(event));
        if v.is_nil() && cached {
            mt.set_tm_absent(event as u16);
        }
        v
    }

    /// `t[key]` for a string key that table `t` lacks, as far as it is found through
    /// `__index` fields that are tables (inheritance: a method or a default field):
    /// writes the value to `dst` (nil when the chain ends without the key) and returns
    /// true, or returns false, writing nothing, when the chain reaches an `__index` of
    /// another type or 5.1's link limit, for `index_missed`. It only reads (no code
    /// runs, nothing is allocated, nothing is raised), so the interpreter calls it
    /// without saving its state; a found value is copied into `dst` from its node, as
    /// `TableRef::read_str_into` copies it, not returned through memory.
    ///
    /// # Safety
    /// `dst` is valid for a write of a value.
    #[inline(never)]
    pub unsafe fn index_missed_in_tables(&self, t: TableRef, key: LuaStr, dst: *mut Value) -> bool {
        let mut t = t;
        // `t` was the chain's first link; `index_with` counts it in MAX_TAG_LOOP too.
        for _ in 1..MAX_TAG_LOOP {
            let next = match t.metatable().map(|mt| self.fast_tm(mt, Name::Index)) {
                None | Some(Value::Nil) => {
                    // SAFETY: per the caller.
                    unsafe { dst.write(Value::Nil) };
                    return true;
                }
                Some(Value::Table(next)) => next,
                Some(_) => return false,
            };
            // SAFETY: per the caller.
            if unsafe { next.read_str_into(key, dst) } {
                return true;
            }
            t = next;
        }
        false
    }

    /// The metamethod `event` of `v`, nil if none.
    #[inline]
    pub fn metamethod(&self, v: Value, event: Name) -> Value {
        match self.metatable_of(v) {
            Some(mt) => self.fast_tm(mt, event),
            None => Value::Nil,
        }
    }

    /// `obj[key]` with `__index` (5.1's `luaV_gettable`). `slot` is the stack slot of
    /// `obj`, for the error message.
    #[inline(never)]
    pub fn index(&mut self, obj: Value, key: Value, slot: Option<usize>) -> LuaResult<Value> {
        self.index_chain(obj, key, slot, false)
    }

    /// `t[key]` once a raw lookup of `key` in `t` found nil: `index` without repeating
    /// that lookup, for the interpreter, which makes it inline.
    #[inline(never)]
    pub fn index_missed(&mut self, t: TableRef, key: Value) -> LuaResult<Value> {
        self.index_chain(Value::Table(t), key, None, true)
    }

    /// `index`, `missed` as for `index_with`. The chain is walked with the raw lookup of
    /// the key's type chosen once, outside the loop: fields and methods (string keys)
    /// are the common case.
    #[inline(always)]
    fn index_chain(
        &mut self,
        obj: Value,
        key: Value,
        slot: Option<usize>,
        missed: bool,
    ) -> LuaResult<Value> {
        match key {
            Value::String(s) => self.index_with(obj, key, slot, missed, |t| t.get_str(s)),
            _ => self.index_with(obj, key, slot, missed, |t| t.get(key)),
        }
    }

    /// `index` with `raw_get`, the tables' raw lookup of `key`; `missed`: `obj` is a
    /// table whose lookup was made already and found nil.
    #[inline(always)]
    fn index_with(
        &mut self,
        obj: Value,
        key: Value,
        slot: Option<usize>,
        missed: bool,
        raw_get: impl Fn(TableRef) -> Value,
    ) -> LuaResult<Value> {
        let mut obj = obj;
        let mut slot = slot;
        let mut missed = missed;
        for _ in 0..MAX_TAG_LOOP {
            let tm = if let Value::Table(t) = obj {
                if !missed {
                    let v = raw_get(t);
                    if !v.is_nil() {
                        return Ok(v);
                    }
                }
                missed = false;
                match t.metatable() {
                    None => return Ok(Value::Nil),
                    Some(mt) => {
                        let tm = self.fast_tm(mt, Name::Index);
                        if tm.is_nil() {
                            return Ok(Value::Nil);
                        }
                        tm
                    }
                }
            } else {
                let tm = self.metamethod(obj, Name::Index);
                if tm.is_nil() {
                    return Err(self.type_error(obj, slot, "index"));
                }
                tm
            };
            if tm.is_function() {
                return self.call_value(tm, &[obj, key]);
            }
            obj = tm;
            slot = None;
        }
        Err(self.runtime_error("loop in gettable"))
    }

    /// `obj[key] = val` with `__newindex` (5.1's `luaV_settable`).
    #[inline(never)]
    pub fn set_index(
        &mut self,
        obj: Value,
        key: Value,
        val: Value,
        slot: Option<usize>,
    ) -> LuaResult<()> {
        // As in `index`: the raw lookup chosen once, outside the chain's loop.
        match key {
            Value::String(s) => self.set_index_with(obj, key, val, slot, |t| t.get_str(s)),
            _ => self.set_index_with(obj, key, val, slot, |t| t.get(key)),
        }
    }

    /// `set_index` with `raw_get`, the tables' raw lookup of `key`.
    #[inline(always)]
    fn set_index_with(
        &mut self,
        obj: Value,
        key: Value,
        val: Value,
        slot: Option<usize>,
        raw_get: impl Fn(TableRef) -> Value,
    ) -> LuaResult<()> {
        let mut obj = obj;
        let mut slot = slot;
        for _ in 0..MAX_TAG_LOOP {
            let tm = if let Value::Table(t) = obj {
                let tm = match t.metatable() {
                    None => Value::Nil,
                    Some(mt) => {
                        if raw_get(t).is_nil() {
                            self.fast_tm(mt, Name::NewIndex)
                        } else {
                            Value::Nil
                        }
                    }
                };
                if tm.is_nil() {
                    return self.raw_set(t, key, val);
                }
                tm
            } else {
                let tm = self.metamethod(obj, Name::NewIndex);
                if tm.is_nil() {
                    return Err(self.type_error(obj, slot, "index"));
                }
                tm
            };
            if tm.is_function() {
                self.call_value(tm, &[obj, key, val])?;
                return Ok(());
            }
            obj = tm;
            slot = None;
        }
        Err(self.runtime_error("loop in settable"))
    }

    /// Arithmetic on non-numbers: coercion, then the metamethod of either operand.
    #[inline(never)]
    pub fn arith(
        &mut self,
        op: Arith,
        a: Value,
        b: Value,
        sa: Option<usize>,
        sb: Option<usize>,
    ) -> LuaResult<Value> {
        if let (Some(x), Some(y)) = (self.to_number(a), self.to_number(b)) {
            return Ok(Value::Number(op.apply(x, y)));
        }
        let mut tm = self.metamethod(a, op.event());
        if tm.is_nil() {
            tm = self.metamethod(b, op.event());
        }
        if tm.is_nil() {
            return Err(self.arith_error(a, sa, b, sb));
        }
        self.call_value(tm, &[a, b])
    }

    /// `a == b` (5.1's `luaV_equalval`).
    #[inline(never)]
    pub fn equals(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        if a.raw_eq(b) {
            return Ok(true);
        }
        let (mt1, mt2) = match (a, b) {
            (Value::Table(x), Value::Table(y)) => (x.metatable(), y.metatable()),
            (Value::Userdata(x), Value::Userdata(y)) => (x.metatable(), y.metatable()),
            _ => return Ok(false),
        };
        let Some(mt1) = mt1 else { return Ok(false) };
        let tm1 = self.fast_tm(mt1, Name::Eq);
        if tm1.is_nil() {
            return Ok(false);
        }
        let tm = match mt2 {
            Some(mt2) if mt2 == mt1 => tm1,
            Some(mt2) => {
                let tm2 = self.fast_tm(mt2, Name::Eq);
                if !tm1.raw_eq(tm2) {
                    return Ok(false);
                }
                tm1
            }
            None => return Ok(false),
        };
        Ok(self.call_value(tm, &[a, b])?.truthy())
    }

    /// The order metamethod shared by both operands, or nil.
    fn order_tm(&mut self, a: Value, b: Value, event: Name) -> Value {
        let tm1 = self.metamethod(a, event);
        if tm1.is_nil() {
            return Value::Nil;
        }
        let tm2 = self.metamethod(b, event);
        if !tm1.raw_eq(tm2) {
            return Value::Nil;
        }
        tm1
    }

    /// `a < b` (5.1's `luaV_lessthan`).
    #[inline(never)]
    pub fn less_than(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => Ok(x < y),
            (Value::String(x), Value::String(y)) => Ok(x.as_bytes() < y.as_bytes()),
            _ => {
                if std::mem::discriminant(&a) != std::mem::discriminant(&b)
                    && !(a.is_function() && b.is_function())
                {
                    return Err(self.order_error(a, b));
                }
                let tm = self.order_tm(a, b, Name::Lt);
                if tm.is_nil() {
                    return Err(self.order_error(a, b));
                }
                Ok(self.call_value(tm, &[a, b])?.truthy())
            }
        }
    }

    /// `a <= b` (5.1's `lessequal`): `__le`, else `not (b < a)` through `__lt`.
    #[inline(never)]
    pub fn less_equal(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => Ok(x <= y),
            (Value::String(x), Value::String(y)) => Ok(x.as_bytes() <= y.as_bytes()),
            _ => {
                if std::mem::discriminant(&a) != std::mem::discriminant(&b)
                    && !(a.is_function() && b.is_function())
                {
                    return Err(self.order_error(a, b));
                }
                let tm = self.order_tm(a, b, Name::Le);
                if !tm.is_nil() {
                    return Ok(self.call_value(tm, &[a, b])?.truthy());
                }
                let tm = self.order_tm(b, a, Name::Lt);
                if !tm.is_nil() {
                    return Ok(!self.call_value(tm, &[b, a])?.truthy());
                }
                Err(self.order_error(a, b))
            }
        }
    }

    /// `#v` (5.1's `OP_LEN`): strings and tables directly, others through `__len`.
    #[inline(never)]
    pub fn length(&mut self, v: Value, slot: Option<usize>) -> LuaResult<Value> {
        match v {
            Value::String(s) => Ok(Value::Number(s.len() as f64)),
            Value::Table(t) => Ok(Value::Number(t.length() as f64)),
            _ => {
                let tm = self.metamethod(v, Name::Len);
                if tm.is_nil() {
                    return Err(self.type_error(v, slot, "get length of"));
                }
                self.call_value(tm, &[v, Value::Nil])
            }
        }
    }

    /// Concatenates stack slots `first..=last` into slot `first` (5.1's `luaV_concat`):
    /// runs of strings and numbers are joined at once, other pairs go through
    /// `__concat` from the right.
    #[inline(never)]
    pub fn concat(&mut self, first: usize, last: usize) -> LuaResult<()> {
        let th = self.roots.thread;
        let mut total = last - first + 1;
        let mut last = last;
        let mut buf = std::mem::take(&mut self.spare_buffer);
        while total > 1 {
            let top = last + 1;
            let a = th.get(top - 2);
            let b = th.get(top - 1);
            let stringish = |v: Value| matches!(v, Value::String(_) | Value::Number(_));
            let mut n = 2;
            if !stringish(a) || !stringish(b) {
                let mut tm = self.metamethod(a, Name::Concat);
                if tm.is_nil() {
                    tm = self.metamethod(b, Name::Concat);
                }
                if tm.is_nil() {
                    return Err(self.concat_error(a, Some(top - 2), b, Some(top - 1)));
                }
                let r = self.call_value(tm, &[a, b])?;
                th.set(top - 2, r);
            } else if matches!(b, Value::String(s) if s.is_empty()) {
                if let Value::Number(x) = a {
                    let s = self.number_to_str(x)?;
                    th.set(top - 2, s);
                }
            } else {
                while n < total && stringish(th.get(top - n - 1)) {
                    n += 1;
                }
                buf.clear();
                for i in (1..=n).rev() {
                    match th.get(top - i) {
                        Value::String(s) => self.append_buffer(&mut buf, s.as_bytes())?,
                        Value::Number(x) => self.append_number(&mut buf, x)?,
                        _ => unreachable!("checked stringish"),
                    }
                }
                let s = self.str_value(&buf)?;
                th.set(top - n, s);
            }
            total -= n - 1;
            last -= n - 1;
        }
        self.keep_spare_buffer(buf);
        Ok(())
    }

    /// A number as a Lua string.
    pub fn number_to_str(&mut self, n: f64) -> LuaResult<Value> {
        let mut buf = std::mem::take(&mut self.spare_buffer);
        format_number(n, &mut buf);
        let s = self.str_value(&buf);
        self.keep_spare_buffer(buf);
        s
    }

    /// `tostring(v)`: `__tostring` if present, else the default text.
    pub fn tostring(&mut self, v: Value) -> LuaResult<Value> {
        let tm = self.metamethod(v, Name::ToString);
        if !tm.is_nil() {
            return self.call_value(tm, &[v]);
        }
        match v {
            Value::String(_) => Ok(v),
            Value::Number(n) => self.number_to_str(n),
            Value::Nil => self.str_value(b"nil"),
            Value::Boolean(b) => self.str_value(if b { b"true" } else { b"false" }),
            other => {
                let addr = other.object().map_or(0, |o| o.addr());
                let text = format!("{}: {:#x}", other.type_name(), addr);
                self.str_value(text.as_bytes())
            }
        }
    }

    /// Raises the error for a failed numeric `for` preparation.
    #[cold]
    pub fn for_error(&mut self, what: &str) -> Throw {
        self.runtime_error(&format!("'for' {what} must be a number"))
    }
}
