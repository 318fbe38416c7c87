//! Running finalizers: the `__gc` metamethods of userdata the collector found
//! unreachable (queued, resurrected, until taken), and of every finalizable userdata
//! when the VM closes.
//!
//! 5.1 semantics kept here:
//! - a finalizer is called with its object as the only argument; the `__gc` field is
//!   looked up when it runs (a metatable given `__gc` after `newproxy(true)` counts);
//! - finalizers do not nest at safe points: those inside a running finalizer only
//!   queue what became due, for the outer run to call in order;
//! - an explicit collection (`collectgarbage`) calls the due finalizers at once, from
//!   inside a running finalizer too, nested as 5.1's full collection calls them: each
//!   level is a native-to-Lua call, so a finalizer that makes another finalizable
//!   object and collects again ends in "C stack overflow" at 5.1's C-call limit
//!   instead of feeding its own run forever;
//! - it runs once: a finalized object a finalizer resurrects is freed without a second
//!   call once unreachable again;
//! - an error in a finalizer propagates from the point where finalizers ran (the
//!   `collectgarbage` call, or the instruction at an interpreter safe point); the other
//!   due finalizers stay queued for the next run;
//! - at close every finalizer runs, errors ignored, pending ones first, then the
//!   registered ones in reverse order of creation (5.1's `lua_close`).
//!
//! Invariant: a userdata whose finalizer is due is rooted, in `VmRoots::finalizing` and
//! then on the stack or in `temps`, until its finalizer returns.

use gc_core::Collector;

use super::{LuaResult, Vm};
use crate::model::LuaModel;
use crate::object::userdata::UserdataRef;
use crate::roots::Name;
use crate::value::Value;

impl<C: Collector<LuaModel>> Vm<C> {
    /// Runs the finalizers the collector queued since the last run: at safe points,
    /// where running Lua code cannot break what native code holds. Cheap when none is
    /// due.
    #[inline]
    pub fn run_pending_finalizers(&mut self) -> LuaResult<()> {
        let queued = self.heap.gc.take_pending_finalizers();
        if queued.is_empty() && self.roots.finalizing.is_empty() {
            return Ok(());
        }
        self.roots
            .finalizing
            .extend(queued.into_iter().map(UserdataRef));
        if self.running_finalizers {
            // The outer run calls these in order once the running finalizer returns.
            return Ok(());
        }
        self.running_finalizers = true;
        let result = self.drain_finalizers();
        self.running_finalizers = false;
        result
    }

    /// Runs the finalizers due now, nested in a running finalizer if there is one: the
    /// run after `collectgarbage`'s collection (see the module notes).
    pub fn run_finalizers_now(&mut self) -> LuaResult<()> {
        let queued = self.heap.gc.take_pending_finalizers();
        self.roots
            .finalizing
            .extend(queued.into_iter().map(UserdataRef));
        let outer = std::mem::replace(&mut self.running_finalizers, true);
        let result = self.drain_finalizers();
        self.running_finalizers = outer;
        result
    }

    #[inline(never)]
    fn drain_finalizers(&mut self) -> LuaResult<()> {
        while let Some(u) = self.roots.finalizing.pop_front() {
            self.roots.temps.push(Value::Userdata(u));
            let result = self.finalize(u);
            self.roots.temps.pop();
            result?;
        }
        Ok(())
    }

    /// Calls `u`'s `__gc`, if it has one (the caller keeps `u` rooted).
    fn finalize(&mut self, u: UserdataRef) -> LuaResult<()> {
        let Some(mt) = u.metatable() else {
            return Ok(());
        };
        let gc = self.fast_tm(mt, Name::Gc);
        if gc.is_nil() {
            return Ok(());
        }
        self.call_value(gc, &[Value::Userdata(u)]).map(drop)
    }

    /// Closes the VM as 5.1's `lua_close` does: runs the finalizers still due, then
    /// those of every finalizable userdata, ignoring their errors. Called by `luagc` at
    /// exit and when the VM is dropped; a second call finds nothing left to run.
    pub fn close(&mut self) {
        let all = self.heap.gc.take_all_finalizers();
        self.roots
            .finalizing
            .extend(all.into_iter().map(UserdataRef));
        self.running_finalizers = true;
        while let Some(u) = self.roots.finalizing.pop_front() {
            let Some(gc) = u
                .metatable()
                .map(|mt| self.fast_tm(mt, Name::Gc))
                .filter(|gc| !gc.is_nil())
            else {
                continue;
            };
            // 5.1 ignores errors raised by finalizers while the state closes.
            self.roots.temps.push(Value::Userdata(u));
            let _ = self.run_function(gc, &[Value::Userdata(u)]);
            self.roots.temps.pop();
        }
        self.running_finalizers = false;
        self.flush();
    }
}

impl<C: Collector<LuaModel>> Drop for Vm<C> {
    /// Closes the VM, unless a panic is unwinding through it: the interrupted VM's
    /// state may be inconsistent, and a finalizer that panicked in turn would abort the
    /// process.
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.close();
        }
    }
}
