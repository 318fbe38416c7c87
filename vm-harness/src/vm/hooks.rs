//! Debug hooks (`debug.sethook`): the running thread's hook function is called with
//! the event name ("call", "return", "line", "count", "tail return") and, for line
//! events, the new line, as 5.1's `luaD_callhook` and `ldblib.c`'s `hookf` do.
//!
//! Invariants:
//! - A hook runs with hooks of its thread disabled (`allow_hook`), restored when it
//!   returns or fails; it runs as an ordinary call above the current frame, so level 2
//!   inside it is the function that caused the event.
//! - The interpreter only pays for hooks when the running thread has some: it runs a
//!   copy of its loop compiled with the checks (`HOOKED`) while the thread's hook mask
//!   is non-zero, and switches between the copies where hooks can have been set or
//!   cleared (see `interp`). Calls and returns outside that loop (native functions,
//!   functions started by native code) check the mask themselves.

use gc_core::Collector;

use super::{LuaResult, Vm};
use crate::model::LuaModel;
use crate::object::thread::{HOOK_CALL, HOOK_LINE, HOOK_RETURN};
use crate::value::Value;

/// What a hook is called for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum HookEvent {
    Call,
    Return,
    Line,
    Count,
    TailReturn,
}

impl HookEvent {
    /// The name the hook function receives.
    fn name(self) -> &'static [u8] {
        match self {
            HookEvent::Call => b"call",
            HookEvent::Return => b"return",
            HookEvent::Line => b"line",
            HookEvent::Count => b"count",
            HookEvent::TailReturn => b"tail return",
        }
    }
}

impl<C: Collector<LuaModel>> Vm<C> {
    /// Calls the running thread's hook for `event` (with the line for line events),
    /// unless a hook is running already.
    #[cold]
    #[inline(never)]
    pub(crate) fn run_hook(&mut self, event: HookEvent, line: Option<u32>) -> LuaResult<()> {
        let th = self.roots.thread;
        let hook = th.hook();
        if !th.allow_hook() || !hook.is_function() {
            return Ok(());
        }
        let name = self.str_value(event.name())?;
        let line = line.map_or(Value::Nil, |l| Value::Number(f64::from(l)));
        th.set_allow_hook(false);
        let result = self.call_value(hook, &[name, line]);
        th.set_allow_hook(true);
        result.map(|_| ())
    }

    /// The call event of a function just entered, if the running thread hooks calls.
    #[inline]
    pub(crate) fn hook_call(&mut self) -> LuaResult<()> {
        if self.roots.thread.hook_mask() & HOOK_CALL != 0 {
            self.run_hook(HookEvent::Call, None)?;
        }
        Ok(())
    }

    /// The return event of the innermost frame, about to return, followed by one "tail
    /// return" per call it lost to tail calls (5.1's `callrethooks`).
    #[inline]
    pub(crate) fn hook_return(&mut self) -> LuaResult<()> {
        let th = self.roots.thread;
        if th.hook_mask() & HOOK_RETURN == 0 {
            return Ok(());
        }
        self.run_hook(HookEvent::Return, None)?;
        loop {
            let th = self.roots.thread;
            let mut frame = th.current_frame();
            if !frame.is_lua || frame.tailcalls == 0 {
                return Ok(());
            }
            frame.tailcalls -= 1;
            th.set_current_frame(frame);
            self.run_hook(HookEvent::TailReturn, None)?;
        }
    }

    /// The count and line events before the instruction at index `pc - 1` of the
    /// innermost (Lua) frame, whose saved pc was `old_pc` (5.1's `traceexec`): a line
    /// event when the function starts, jumps back, or reaches a new line. The caller
    /// has saved `pc` in the frame.
    #[cold]
    #[inline(never)]
    pub(crate) fn hook_instruction(&mut self, old_pc: usize, pc: usize) -> LuaResult<()> {
        let th = self.roots.thread;
        let mask = th.hook_mask();
        if mask & crate::object::thread::HOOK_COUNT != 0 && th.tick_hook_count() {
            self.run_hook(HookEvent::Count, None)?;
        }
        if mask & HOOK_LINE != 0 {
            let th = self.roots.thread;
            let Value::LuaFunction(cl) = self.frame_function(th, th.nframes() - 1) else {
                return Ok(());
            };
            let p = cl.proto();
            let line = p.line(pc - 1);
            if pc == 1 || pc <= old_pc || line != p.line(old_pc.saturating_sub(1)) {
                self.run_hook(HookEvent::Line, Some(line))?;
            }
        }
        Ok(())
    }
}
