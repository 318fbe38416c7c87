//! The embedding API: a Lua state an outside program drives with chunks of source (or
//! binary chunks) and reads back as owned data. It is the crate's public face for
//! running Lua besides the standalone interpreter (`crate::standalone`): the VM's heap
//! handles (`Value`, `TableRef`, `LuaStr`, ...) are `pub(crate)`, because safe code
//! holding one past its object's life would read freed memory; what leaves a [`Lua`] is
//! a [`LuaValue`] (nil, booleans, numbers, byte strings copied out, and the type name
//! of anything else) or a message. Safe outside code cannot reach a handle:
//!
//! ```compile_fail,E0603
//! let _ = vm_harness::value::Value::Nil;
//! ```

use std::fmt;

use gc_core::{Collector, Stats};

use crate::compiler::CompileOptions;
use crate::model::LuaModel;
use crate::value::Value;
use crate::vm::{Vm, VmOptions};

/// A Lua 5.1 state over the collector `C`, with the standard libraries open. Dropping it
/// closes it (runs the pending finalizers, as `lua_close` does).
///
/// ```
/// use gc_core::collectors::Stw;
/// use gc_core::{Collector, HeapConfig};
/// use vm_harness::model::LuaModel;
/// use vm_harness::{Lua, LuaValue, VmOptions};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mut lua = Lua::new(Stw::<LuaModel>::new(HeapConfig::default()), &VmOptions::default())?;
/// let results = lua.run(b"return 6 * 7, 'x'", "=example")?;
/// assert_eq!(results, [LuaValue::Number(42.0), LuaValue::String(b"x".to_vec())]);
/// # Ok(())
/// # }
/// ```
pub struct Lua<C: Collector<LuaModel>> {
    vm: Vm<C>,
}

/// A value copied out of the VM.
#[derive(Clone, Debug, PartialEq)]
pub enum LuaValue {
    /// `nil`.
    Nil,
    /// `true` or `false`.
    Boolean(bool),
    /// A number.
    Number(f64),
    /// A string's bytes.
    String(Vec<u8>),
    /// A table, function, userdata or thread, by its type name (`type(v)`): objects
    /// stay in the VM.
    Object(&'static str),
}

impl LuaValue {
    /// The copy of `v`, which must be live (rooted) for the duration of the call.
    fn of(v: Value) -> LuaValue {
        match v {
            Value::Nil => LuaValue::Nil,
            Value::Boolean(b) => LuaValue::Boolean(b),
            Value::Number(n) => LuaValue::Number(n),
            Value::String(s) => LuaValue::String(s.as_bytes().to_vec()),
            other => LuaValue::Object(other.type_name()),
        }
    }
}

/// Why [`Lua::run`] failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LuaError {
    /// The chunk did not load: a syntax error, a binary chunk the verifier refused, or
    /// no memory for it.
    Load(String),
    /// The chunk raised an error: its message (a number formatted; "(error object is
    /// not a string)" for other values, as lua.c prints them).
    Run(String),
}

impl fmt::Display for LuaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LuaError::Load(msg) | LuaError::Run(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for LuaError {}

impl<C: Collector<LuaModel>> Lua<C> {
    /// A new state whose objects live in `gc`'s heap; `Err` when the heap cannot hold
    /// the standard libraries (a heap limit too small).
    pub fn new(gc: C, options: &VmOptions) -> Result<Self, String> {
        Ok(Lua {
            vm: Vm::new(gc, options)?,
        })
    }

    /// Loads `chunk` (source text, or a binary chunk, which the verifier checks) as
    /// the chunk `name` (`=name` or `@file`, as `lua_load` takes it) and runs it; its
    /// results are returned.
    pub fn run(&mut self, chunk: &[u8], name: &str) -> Result<Vec<LuaValue>, LuaError> {
        let options = CompileOptions {
            skip_shebang: false,
            c_call_depth: 1,
        };
        let f = match self.vm.load(chunk, name, options) {
            Ok(Ok(f)) => f,
            Ok(Err(msg)) => return Err(LuaError::Load(String::from_utf8_lossy(&msg).into_owned())),
            Err(_) => return Err(LuaError::Load(self.vm.error_string())),
        };
        self.vm.roots.temps.push(f);
        let outcome = self.vm.run_function_results(f, &[]);
        self.vm.roots.temps.pop();
        let first = outcome.map_err(|_| LuaError::Run(self.vm.error_string()))?;
        let th = self.vm.thread();
        let results = (first..self.vm.top())
            .map(|i| LuaValue::of(th.get(i)))
            .collect();
        th.set_top(first);
        Ok(results)
    }

    /// The global `name` (a raw read of the globals table).
    pub fn global(&mut self, name: &str) -> Result<LuaValue, String> {
        let globals = self.vm.roots.globals;
        match self.vm.get_field(globals, name) {
            Ok(v) => Ok(LuaValue::of(v)),
            Err(_) => Err(self.vm.error_string()),
        }
    }

    /// Bounds the calls and loop iterations of what runs from now on (`None`: no bound);
    /// past it a chunk fails with "instruction budget exhausted".
    pub fn set_instruction_budget(&mut self, budget: Option<u64>) {
        self.vm.set_instruction_budget(budget);
    }

    /// The collector's statistics so far.
    pub fn stats(&self) -> Stats {
        self.vm.heap.gc.stats()
    }

    /// Runs every finalizer still due, as `lua_close` does; the state stays usable.
    pub fn close(&mut self) {
        self.vm.close();
    }
}
