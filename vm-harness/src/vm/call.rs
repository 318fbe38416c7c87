//! Calls and returns: entering Lua and native functions (`precall`), delivering results
//! (`poscall`), calls from native code (`call`, with the C-stack limit) and protected
//! calls (`pcall`).
//!
//! Invariants:
//! - A call's arguments are the stack slots between the function slot and `top`.
//! - Entering a Lua function without varargs sets to nil only its missing parameters
//!   and the registers its code expects nil (`ProtoRef::entry_nil_end`); the others
//!   keep stale values, which are safe to trace (see `object::thread`) and which the
//!   code writes before reading. Vararg functions get 5.1's layout, the fixed
//!   parameters copied above the actual arguments, and every register nil.
//! - Results replace the function slot onwards; with a fixed count they are padded with
//!   nil or truncated, and `top` is left just after them.

use gc_core::Collector;

use super::{LuaResult, Throw, Vm, MAX_CCALLS, MAX_STACK, MIN_STACK};

/// Extra frames and native calls an error handler may use beyond the limits.
const HANDLER_ROOM: usize = 200;
use crate::model::LuaModel;
use crate::object::proto::ProtoRef;
use crate::object::thread::{Frame, ThreadRef};
use crate::roots::Name;
use crate::value::Value;

/// What `precall` did.
pub(crate) enum Called {
    /// Pushed a Lua frame: the interpreter must run it.
    Lua,
    /// Ran a native function to completion; its results are in place.
    Native,
}

impl<C: Collector<LuaModel>> Vm<C> {
    /// Starts a call of the value at `func` with the arguments up to `top`.
    #[inline]
    pub(crate) fn precall(&mut self, func: usize, nresults: i32) -> LuaResult<Called> {
        let th = self.roots.thread;
        debug_assert!(func < th.top());
        // SAFETY: the function slot is below the top, inside the stack.
        match unsafe { *th.stack_ptr().add(func) } {
            Value::LuaFunction(cl) => {
                let p = cl.proto();
                if p.is_vararg() {
                    self.enter_vararg(p, func, nresults)?;
                } else {
                    self.enter_fixed(th, p, func, th.top() - func - 1, nresults)?;
                }
                self.hook_call()?;
                Ok(Called::Lua)
            }
            Value::NativeFunction(cl) => {
                self.call_native(cl.func(), func, nresults)?;
                Ok(Called::Native)
            }
            other => self.call_through_metamethod(other, func, nresults),
        }
    }

    /// Enters a Lua function without varargs in `th`, the running thread, called with
    /// the `nargs` arguments above `func` (which `top` need not mark: they lie below the
    /// traced extent, in the caller's frame or under `top`): its registers are the
    /// arguments, nil for missing parameters and for the registers the code expects nil.
    /// Returns the new frame's address (see `ThreadRef::top_frame_unchecked`).
    #[inline(always)]
    pub(super) fn enter_fixed(
        &mut self,
        th: ThreadRef,
        p: ProtoRef,
        func: usize,
        nargs: usize,
        nresults: i32,
    ) -> LuaResult<*mut Frame> {
        debug_assert!(th == self.roots.thread);
        if th.nframes() >= self.call_limit {
            return Err(self.stack_overflow());
        }
        self.charge_budget()?;
        let base = func + 1;
        let frame_top = base + p.max_stack();
        if frame_top > th.stack_cap() {
            self.grow_for_call(frame_top)?;
        }
        th.fill_nil(base + nargs.min(p.num_params()), base + p.entry_nil_end());
        let frame = Frame {
            func: func as u32,
            base: base as u32,
            top: frame_top as u32,
            resume: 0,
            nresults,
            tailcalls: 0,
            is_lua: true,
        };
        let pushed = th
            .push_frame(&mut self.heap, &mut self.roots, frame)
            .map_err(|_| self.out_of_memory())?;
        th.set_top(frame_top);
        Ok(pushed)
    }

    /// Enters a vararg Lua function with 5.1's layout: the fixed parameters are copied
    /// above the actual arguments, which stay below the frame as the varargs.
    #[inline(never)]
    fn enter_vararg(&mut self, p: ProtoRef, func: usize, nresults: i32) -> LuaResult<()> {
        let th = self.roots.thread;
        if th.nframes() >= self.call_limit {
            return Err(self.stack_overflow());
        }
        self.charge_budget()?;
        let mut nargs = th.top() - func - 1;
        let max_stack = p.max_stack();
        let np = p.num_params();
        let needed = func + 1 + nargs.max(np) + np + max_stack;
        if needed > th.stack_cap() {
            self.grow_for_call(needed)?;
        }
        while nargs < np {
            th.set(func + 1 + nargs, Value::Nil);
            nargs += 1;
        }
        let base = func + 1 + nargs;
        for i in 0..np {
            th.set(base + i, th.get(func + 1 + i));
            th.set(func + 1 + i, Value::Nil);
        }
        for i in base + np..base + max_stack {
            th.set(i, Value::Nil);
        }
        let frame = Frame {
            func: func as u32,
            base: base as u32,
            top: (base + max_stack) as u32,
            resume: 0,
            nresults,
            tailcalls: 0,
            is_lua: true,
        };
        th.push_frame(&mut self.heap, &mut self.roots, frame)
            .map_err(|_| self.out_of_memory())?;
        th.set_top(base + max_stack);
        if p.needs_arg() {
            self.build_arg_table(func + 1 + np, base, base + np)?;
        }
        Ok(())
    }

    /// Runs native function number `index` for a call at `func` and delivers its results.
    #[inline(never)]
    fn call_native(&mut self, index: usize, func: usize, nresults: i32) -> LuaResult<()> {
        let th = self.roots.thread;
        if th.nframes() >= self.call_limit {
            return Err(self.stack_overflow());
        }
        let top = th.top();
        if top + MIN_STACK > th.stack_cap() {
            self.grow_for_call(top + MIN_STACK)?;
        }
        let frame = Frame {
            func: func as u32,
            base: (func + 1) as u32,
            top: top as u32,
            resume: 0,
            nresults,
            tailcalls: 0,
            is_lua: false,
        };
        th.push_frame(&mut self.heap, &mut self.roots, frame)
            .map_err(|_| self.out_of_memory())?;
        self.hook_call()?;
        let f = self.native(index);
        let n = f(
            self,
            super::Args {
                base: func + 1,
                n: top - func - 1,
            },
        )?;
        self.hook_return()?;
        let th = self.roots.thread;
        self.poscall(th.top() - n, n);
        Ok(())
    }

    /// Calls a non-function through its `__call` metamethod, which gets the value as its
    /// first argument.
    #[cold]
    #[inline(never)]
    fn call_through_metamethod(
        &mut self,
        v: Value,
        func: usize,
        nresults: i32,
    ) -> LuaResult<Called> {
        self.insert_call_metamethod(v, func)?;
        self.precall(func, nresults)
    }

    /// A tail call of the Lua function at `func` while the thread hooks calls, made as
    /// 5.1 makes it: the callee is entered above the calling frame, so its call hook
    /// sees the caller (and the name the call gives it), then its frame is moved down
    /// into the caller's place. The caller's upvalues are closed already.
    #[cold]
    #[inline(never)]
    pub(crate) fn tail_call_hooked(&mut self, func: usize) -> LuaResult<()> {
        let caller = self.roots.thread.current_frame();
        self.precall(func, caller.nresults)?;
        let th = self.roots.thread;
        let mut callee = th.current_frame();
        let dst = caller.func as usize;
        let delta = func - dst;
        for slot in func..callee.top as usize {
            th.set(slot - delta, th.get(slot));
        }
        callee.func -= delta as u32;
        callee.base -= delta as u32;
        callee.top -= delta as u32;
        callee.tailcalls = caller.tailcalls.saturating_add(1);
        th.pop_frame();
        th.set_current_frame(callee);
        th.set_top(callee.top as usize);
        Ok(())
    }

    /// Puts the `__call` metamethod of `v` (the non-function at `func`) in its place,
    /// `v` becoming its first argument (5.1's `tryfuncTM`); an error if it has none.
    #[cold]
    #[inline(never)]
    pub(crate) fn insert_call_metamethod(&mut self, v: Value, func: usize) -> LuaResult<()> {
        let th = self.roots.thread;
        let tm = self.metamethod(v, Name::Call);
        if !tm.is_function() {
            return Err(self.type_error(v, Some(func), "call"));
        }
        let top = th.top();
        if top + 1 > th.stack_cap() {
            self.grow_for_call(top + 1)?;
        }
        for i in (func..top).rev() {
            th.set(i + 1, th.get(i));
        }
        th.set(func, tm);
        th.set_top(top + 1);
        Ok(())
    }

    #[cold]
    fn grow_for_call(&mut self, needed: usize) -> LuaResult<()> {
        if needed > MAX_STACK {
            return Err(self.stack_overflow());
        }
        let th = self.roots.thread;
        th.ensure_stack(&mut self.heap, &mut self.roots, needed)
            .map_err(|_| self.out_of_memory())
    }

    #[cold]
    fn stack_overflow(&mut self) -> Throw {
        self.runtime_error("stack overflow")
    }

    /// 5.1's `LUA_COMPAT_VARARG`: the table of the extra arguments `from..to`, with
    /// field `n`, stored in register `dest`.
    fn build_arg_table(&mut self, from: usize, to: usize, dest: usize) -> LuaResult<()> {
        let th = self.roots.thread;
        let n = to - from;
        let t = self.new_table(n, 1)?;
        th.set(dest, Value::Table(t));
        for i in 0..n {
            let v = th.get(from + i);
            t.set_int(&mut self.heap, &mut self.roots, i as i64 + 1, v)
                .map_err(|_| self.out_of_memory())?;
        }
        let key = Value::String(self.roots.name(Name::N));
        self.raw_set(t, key, Value::Number(n as f64))
    }

    /// Finishes a call: moves the `n` results at `first` to the function slot, pops the
    /// frame, and adjusts to the wanted count.
    #[inline]
    pub(crate) fn poscall(&mut self, first: usize, n: usize) {
        let th = self.roots.thread;
        let frame = th.current_frame();
        th.pop_frame();
        let res = frame.func as usize;
        let stack = th.stack_ptr();
        let wanted = if frame.nresults < 0 {
            n
        } else {
            frame.nresults as usize
        };
        debug_assert!(res + wanted <= th.stack_cap() && first + n <= th.stack_cap());
        for i in 0..n.min(wanted) {
            // SAFETY: the results lie below the old top, and the destination (below
            // `first`, copied upwards) within the caller's frame: the compiler sizes
            // frames for fixed counts, `call` checks them for natives.
            unsafe { *stack.add(res + i) = *stack.add(first + i) };
        }
        if n < wanted {
            th.fill_nil(res + n, res + wanted);
        }
        th.set_top(res + wanted);
    }

    /// Calls the value at `func` with the arguments above it, from native code or a
    /// metamethod: runs it to completion on the Rust stack (5.1's `luaD_call`).
    pub fn call(&mut self, func: usize, nresults: i32) -> LuaResult<()> {
        if nresults > 0 {
            let th = self.roots.thread;
            let needed = func + nresults as usize + 1;
            if needed > th.stack_cap() {
                self.grow_for_call(needed)?;
            }
        }
        self.ccalls += 1;
        if self.ccalls >= MAX_CCALLS {
            return Err(self.runtime_error("C stack overflow"));
        }
        let depth = self.roots.thread.nframes();
        if let super::call::Called::Lua = self.precall(func, nresults)? {
            self.execute(depth)?;
        }
        self.ccalls -= 1;
        Ok(())
    }

    /// Calls `f` with `args` and returns its first result (metamethods, `tostring`).
    pub fn call_value(&mut self, f: Value, args: &[Value]) -> LuaResult<Value> {
        let th = self.roots.thread;
        let old_top = th.top();
        let mut pos = old_top;
        if th.nframes() > 0 {
            let frame = th.current_frame();
            if frame.is_lua {
                pos = pos.max(frame.top as usize);
            }
        }
        self.set_top(pos)?;
        self.push(f)?;
        for &a in args {
            self.push(a)?;
        }
        self.call(pos, 1)?;
        let th = self.roots.thread;
        let result = th.get(pos);
        th.set_top(old_top);
        Ok(result)
    }

    /// Calls the value at `func` in protected mode. On error the stack is unwound to
    /// `func` (upvalues closed, frames and native depth restored) and `Err` returned,
    /// with the error value in `VmRoots::error_value`. `handler`, if given, is called
    /// with the error value before unwinding, and its result replaces it, unless the
    /// error is an allocation failure (as in 5.1, which never calls it for those).
    pub fn pcall(&mut self, func: usize, nresults: i32, handler: Option<Value>) -> LuaResult<bool> {
        let th = self.roots.thread;
        let frames = th.nframes();
        let ccalls = self.ccalls;
        match self.call(func, nresults) {
            Ok(()) => Ok(true),
            Err(Throw::Yield) => Err(Throw::Yield),
            Err(Throw::Error) => {
                if let Some(h) = handler.filter(|_| !self.memory_error) {
                    let extent = th.extent();
                    th.set_top(extent);
                    let err = self.roots.error_value;
                    self.ccalls = ccalls;
                    let depth = th.nframes();
                    let limit = self.call_limit;
                    self.call_limit = depth + HANDLER_ROOM;
                    let handled = self.call_value(h, &[err]);
                    self.call_limit = limit;
                    let handled = match handled {
                        Ok(v) => v,
                        Err(_) => {
                            th.truncate_frames(depth);
                            Value::String(self.intern(b"error in error handling")?)
                        }
                    };
                    self.roots.error_value = handled;
                }
                self.close_upvalues(th, func);
                th.truncate_frames(frames);
                self.ccalls = ccalls;
                th.set_top(func);
                Ok(false)
            }
        }
    }
}
