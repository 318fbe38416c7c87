//! Coroutine switching: resuming a thread runs its frames on the Rust stack of the
//! `resume` call; a yield unwinds back to it as [`Throw::Yield`], leaving the coroutine's
//! frames (including the yield's own native frame) in place for the next resume.
//!
//! Invariants:
//! - A yield is only legal when no native-to-Lua call is pending since the resume
//!   (`ccalls == base_ccalls`), exactly 5.1's rule, so `Throw::Yield` never crosses a
//!   Rust frame that would need to be resumed.
//! - The resumer stays reachable while the coroutine runs: its stack holds the
//!   coroutine as an argument, and `VmRoots::thread` holds the coroutine.
//! - A finished or failed coroutine has its upvalues closed, its frames dropped and an
//!   empty stack.
//! - A thread's stack takes the write barrier when the thread stops running (it resumes
//!   another, yields, returns or fails): only the running thread's stack
//!   (`VmRoots::thread`) is written without one (see `LuaModel::is_stack`). Resume's
//!   arguments are moved once the coroutine is the running thread.

use gc_core::Collector;

use super::call::Called;
use super::{LuaResult, Throw, Vm, MAX_CCALLS, MIN_STACK};
use crate::model::LuaModel;
use crate::object::thread::{Status, ThreadRef};

impl<C: Collector<LuaModel>> Vm<C> {
    /// Resumes `co` with the `nargs` values on top of the running thread's stack. On
    /// success the coroutine's results (yielded or returned) are pushed on the running
    /// stack and their count returned; `Ok(Err(()))` means the coroutine failed (or could
    /// not be resumed), with the error value in `VmRoots::error_value`.
    pub fn resume(&mut self, co: ThreadRef, nargs: usize) -> LuaResult<Result<usize, ()>> {
        let prev = self.roots.thread;
        let refuse = match co.status() {
            Status::Dead => Some(&b"cannot resume dead coroutine"[..]),
            Status::Running => Some(&b"cannot resume running coroutine"[..]),
            Status::Normal => Some(&b"cannot resume normal coroutine"[..]),
            Status::Suspended => None,
        };
        if let Some(msg) = refuse {
            let s = self.str_value(msg)?;
            self.roots.error_value = s;
            return Ok(Err(()));
        }
        if self.ccalls >= MAX_CCALLS {
            let s = self.str_value(b"C stack overflow")?;
            self.roots.error_value = s;
            return Ok(Err(()));
        }
        let co_top = co.top();
        co.ensure_stack(&mut self.heap, &mut self.roots, co_top + nargs + MIN_STACK)
            .map_err(|_| self.out_of_memory())?;
        let saved_ccalls = self.ccalls;
        prev.set_status(Status::Normal);
        co.set_status(Status::Running);
        self.heap.barrier(prev.0);
        self.roots.thread = co;
        let from = prev.top() - nargs;
        for i in 0..nargs {
            co.set(co_top + i, prev.get(from + i));
        }
        co.set_top(co_top + nargs);
        prev.set_top(from);
        self.ccalls += 1;
        co.set_base_ccalls(self.ccalls);
        let outcome = self.run_coroutine(co, nargs);
        self.ccalls = saved_ccalls;
        self.heap.barrier(co.0);
        self.roots.thread = prev;
        prev.set_status(Status::Running);

        match outcome {
            Ok(()) => {
                co.set_status(Status::Dead);
                let n = co.top();
                self.transfer(co, n)?;
                Ok(Ok(n))
            }
            Err(Throw::Yield) => {
                co.set_status(Status::Suspended);
                let n = self.yield_count;
                self.transfer(co, n)?;
                Ok(Ok(n))
            }
            Err(Throw::Error) => {
                co.set_status(Status::Dead);
                self.close_upvalues(co, 0);
                co.truncate_frames(0);
                co.set_top(0);
                Ok(Err(()))
            }
        }
    }

    /// Starts or continues `co` (now the running thread).
    fn run_coroutine(&mut self, co: ThreadRef, nargs: usize) -> LuaResult<()> {
        if co.nframes() == 0 {
            if let Called::Lua = self.precall(0, -1)? {
                self.execute(0)?;
            }
            return Ok(());
        }
        let top = co.top();
        let wanted = co.current_frame().nresults;
        self.poscall(top - nargs, nargs);
        if co.nframes() == 0 {
            return Ok(());
        }
        if wanted >= 0 {
            co.set_top(co.current_frame().top as usize);
        }
        self.execute(0)
    }

    /// Moves the top `n` values of `co`'s stack onto the running thread's stack.
    fn transfer(&mut self, co: ThreadRef, n: usize) -> LuaResult<()> {
        self.check_stack(n)?;
        let th = self.roots.thread;
        let from = co.top() - n;
        let to = th.top();
        for i in 0..n {
            th.set(to + i, co.get(from + i));
        }
        th.set_top(to + n);
        co.set_top(from);
        Ok(())
    }

    /// Yields the running coroutine with the `n` values on top of its stack.
    pub fn yield_values(&mut self, n: usize) -> Throw {
        let th = self.roots.thread;
        if self.ccalls != th.base_ccalls() || th == self.roots.main_thread {
            return self.runtime_error("attempt to yield across metamethod/C-call boundary");
        }
        self.yield_count = n;
        Throw::Yield
    }
}
