//! Reading a thread's call stack as 5.1's `ldebug.c` does: stack levels (`lua_getstack`,
//! counting calls lost to tail calls), current lines, the name a function was called by
//! (`getfuncname`), local variables (`findlocal`), and tracebacks (`db_errorfb`).
//!
//! Invariant: only frames and the saved pcs are read, never changed, so these work on
//! any thread, running or suspended. A Lua frame's saved pc is the index of its next
//! instruction, so the instruction it is running (or calling from) is `pc - 1`.

use gc_core::Collector;

use super::Vm;
use crate::compiler::{self, chunk_id};
use crate::model::LuaModel;
use crate::object::thread::ThreadRef;
use crate::value::Value;

/// What a stack level designates.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum StackLevel {
    /// A live frame, by index.
    Frame(usize),
    /// A call lost to a tail call.
    TailCall,
    /// The host's own function below the main thread's first frame: the C function
    /// (`pmain` in `lua.c`) that runs scripts in the standalone lua5.1, which its
    /// levels and tracebacks count.
    Host,
    /// Deeper than the stack.
    Invalid,
}

/// Levels a traceback prints before skipping (5.1's `LEVELS1`).
const TRACEBACK_HEAD: usize = 12;
/// Levels a traceback prints at the bottom after skipping (5.1's `LEVELS2`).
const TRACEBACK_TAIL: usize = 10;
/// Levels above the failing function when lua5.1's standalone interpreter prints an
/// uncaught error's traceback: its message handler and `debug.traceback`, which that
/// handler calls. They shift where the traceback starts skipping.
const HOST_HANDLER_LEVELS: usize = 2;

impl<C: Collector<LuaModel>> Vm<C> {
    /// What is at stack level `level` of the running thread (5.1's `lua_getstack`).
    pub fn stack_level(&self, level: usize) -> StackLevel {
        self.stack_level_of(self.roots.thread, level)
    }

    /// What is at stack level `level` (0: the innermost) of thread `th`.
    pub fn stack_level_of(&self, th: ThreadRef, level: usize) -> StackLevel {
        let mut level = level as i64;
        let mut ci = th.nframes() as i64 - 1;
        while level > 0 && ci >= 0 {
            level -= 1;
            let f = th.frame(ci as usize);
            if f.is_lua {
                level -= i64::from(f.tailcalls);
            }
            ci -= 1;
        }
        if level == 0 && ci >= 0 {
            StackLevel::Frame(ci as usize)
        } else if level < 0 {
            StackLevel::TailCall
        } else if level == 0 && th == self.roots.main_thread && th.nframes() > 0 {
            StackLevel::Host
        } else {
            StackLevel::Invalid
        }
    }

    /// The frame index at stack level `level` of the running thread, counting calls lost
    /// to tail calls; `None` for a lost, host or missing level.
    pub fn frame_at_level(&self, level: usize) -> Option<usize> {
        match self.stack_level(level) {
            StackLevel::Frame(i) => Some(i),
            StackLevel::TailCall | StackLevel::Host | StackLevel::Invalid => None,
        }
    }

    /// The function frame `i` of `th` runs.
    pub fn frame_function(&self, th: ThreadRef, i: usize) -> Value {
        th.get(th.frame(i).func as usize)
    }

    /// The index of the instruction Lua frame `i` of `th` runs (5.1's `currentpc`);
    /// `None` for native frames.
    pub fn current_pc(&self, th: ThreadRef, i: usize) -> Option<usize> {
        let f = th.frame(i);
        let Value::LuaFunction(cl) = self.frame_function(th, i) else {
            return None;
        };
        f.is_lua
            .then(|| f.pc(cl.proto().code_ptr()).saturating_sub(1))
    }

    /// The line Lua frame `i` of `th` is at; `None` for native frames.
    pub fn current_line(&self, th: ThreadRef, i: usize) -> Option<u32> {
        let pc = self.current_pc(th, i)?;
        match self.frame_function(th, i) {
            Value::LuaFunction(cl) => Some(cl.proto().line(pc)),
            _ => None,
        }
    }

    /// "chunk:line: " of frame `i` of the running thread, empty for native frames.
    pub(super) fn position(&self, i: usize) -> Vec<u8> {
        let th = self.roots.thread;
        match (self.frame_function(th, i), self.current_line(th, i)) {
            (Value::LuaFunction(cl), Some(line)) => {
                let src = chunk_id(cl.proto().source().as_bytes());
                format!("{src}:{line}: ").into_bytes()
            }
            _ => Vec::new(),
        }
    }

    /// The name frame `i` of `th` was called by (5.1's `getfuncname`): ("global",
    /// "print"), ("method", "insert"), ("local", "f")...; `None` when the caller is not a
    /// Lua function, the call was a tail call, or the calling instruction names nothing.
    pub fn function_name(&self, th: ThreadRef, i: usize) -> Option<(&'static str, String)> {
        let f = th.frame(i);
        if (f.is_lua && f.tailcalls > 0) || i == 0 {
            return None;
        }
        let pc = self.current_pc(th, i - 1)?;
        let Value::LuaFunction(cl) = self.frame_function(th, i - 1) else {
            return None;
        };
        let p = cl.proto();
        let ins = p.instruction(pc);
        match compiler::opcodes::get_opcode(ins)? {
            compiler::opcodes::OpCode::Call
            | compiler::opcodes::OpCode::TailCall
            | compiler::opcodes::OpCode::TForLoop => {
                let view = p.debug_view();
                compiler::describe_register(&view, pc, compiler::opcodes::get_a(ins) as u8)
            }
            _ => None,
        }
    }

    /// The name the running native function was called by (see `function_name`).
    pub fn callee_name(&self) -> Option<(&'static str, String)> {
        let th = self.roots.thread;
        self.function_name(th, th.nframes().checked_sub(1)?)
    }

    /// The stack slot and name of local `n` (1-based) of frame `i` of `th` (5.1's
    /// `findlocal`): a named local of a Lua function active at its pc, else
    /// "(*temporary)" for a slot in use between the frame's base and the next frame (or
    /// the top).
    pub fn find_local(&self, th: ThreadRef, i: usize, n: i64) -> Option<(usize, String)> {
        let f = th.frame(i);
        let slot = (f.base as usize).checked_add(usize::try_from(n).ok()?.checked_sub(1)?)?;
        if let (Value::LuaFunction(cl), Some(pc)) =
            (self.frame_function(th, i), self.current_pc(th, i))
        {
            let view = cl.proto().debug_view();
            if let Some(name) = compiler::local_name(&view, n as usize, pc) {
                return Some((slot, name.to_owned()));
            }
        }
        let limit = if i + 1 == th.nframes() {
            th.top()
        } else {
            th.frame(i + 1).func as usize
        };
        (slot < limit).then(|| (slot, "(*temporary)".to_owned()))
    }

    /// A traceback of the running thread from its innermost frame, as the standalone
    /// interpreter prints it for an uncaught error.
    pub fn traceback(&self) -> String {
        let th = self.roots.thread;
        String::from_utf8_lossy(&self.traceback_numbered(th, 0, HOST_HANDLER_LEVELS)).into_owned()
    }

    /// 5.1's `debug.traceback` text of `th` from stack level `level`: "stack
    /// traceback:" and one line per level, the middle of a deep stack replaced by
    /// "\n\t..." (levels up to `TRACEBACK_HEAD` and the last `TRACEBACK_TAIL` kept).
    pub fn traceback_of(&self, th: ThreadRef, level: usize) -> Vec<u8> {
        self.traceback_numbered(th, level, 0)
    }

    /// `traceback_of`, with `offset` levels counted above level 0 when deciding where
    /// the first part ends.
    fn traceback_numbered(&self, th: ThreadRef, level: usize, offset: usize) -> Vec<u8> {
        let exists = |l: usize| self.stack_level_of(th, l) != StackLevel::Invalid;
        let mut out = b"stack traceback:".to_vec();
        let mut level = level;
        let mut first_part = true;
        while exists(level) {
            let this = level;
            level += 1;
            if level + offset > TRACEBACK_HEAD && first_part {
                first_part = false;
                if exists(level + TRACEBACK_TAIL) {
                    out.extend_from_slice(b"\n\t...");
                    while exists(level + TRACEBACK_TAIL) {
                        level += 1;
                    }
                } else {
                    level -= 1;
                }
                continue;
            }
            out.extend_from_slice(b"\n\t");
            self.traceback_line(th, this, &mut out);
        }
        out
    }

    /// One traceback line (after its tab) for stack level `level` of `th`.
    fn traceback_line(&self, th: ThreadRef, level: usize, out: &mut Vec<u8>) {
        let i = match self.stack_level_of(th, level) {
            StackLevel::Frame(i) => i,
            StackLevel::TailCall => return out.extend_from_slice(b"(tail call): ?"),
            StackLevel::Host | StackLevel::Invalid => return out.extend_from_slice(b"[C]: ?"),
        };
        let proto = match self.frame_function(th, i) {
            Value::LuaFunction(cl) if th.frame(i).is_lua => Some(cl.proto()),
            _ => None,
        };
        let src = proto.map_or_else(|| "[C]".to_owned(), |p| chunk_id(p.source().as_bytes()));
        out.extend_from_slice(src.as_bytes());
        out.push(b':');
        if let Some(line) = self.current_line(th, i).filter(|&l| l > 0) {
            out.extend_from_slice(format!("{line}:").as_bytes());
        }
        match (self.function_name(th, i), proto) {
            (Some((_, name)), _) => {
                out.extend_from_slice(format!(" in function '{name}'").as_bytes())
            }
            (None, Some(p)) if p.line_defined() == 0 => out.extend_from_slice(b" in main chunk"),
            (None, Some(p)) => out
                .extend_from_slice(format!(" in function <{src}:{}>", p.line_defined()).as_bytes()),
            (None, None) => out.extend_from_slice(b" ?"),
        }
    }
}
