//! Running untrusted chunks to completion within bounds: a heap limit, an instruction
//! budget, and no library function that reaches the host (files, processes, standard
//! input, `os.exit`). The fuzz targets (`fuzz/`) run every input through here, so a
//! chunk can only end in a result or a Lua error; anything else is a bug of the VM.

use gc_core::Collector;

use crate::embed::{Lua, LuaValue};
use crate::model::LuaModel;
use crate::vm::VmOptions;

/// What the chunk may still use of the libraries that reach the host: the rest of
/// `os`, `io` and `package`, and the globals that read files, are removed.
const SANDBOX: &str = "
local os_, io_ = os, io
os = {time = os_.time, clock = os_.clock, date = os_.date, difftime = os_.difftime}
io = {write = io_.write}
package, require, module, dofile, loadfile = nil
";

/// How an untrusted chunk ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The error message of a chunk that did not load or run (`None`: it returned).
    pub error: Option<String>,
    /// The global `result` when it is a string: what a program reports for comparison.
    pub result: Option<Vec<u8>>,
}

impl Outcome {
    /// Whether the run ended for lack of memory or of budget: then another collector
    /// (whose heap holds more or less garbage) may legitimately have ended elsewhere.
    pub fn hit_a_limit(&self) -> bool {
        self.error.as_deref().is_some_and(|e| {
            e.contains("not enough memory") || e.contains("instruction budget exhausted")
        })
    }
}

/// Boots a VM over a collector made with `gc`, removes the host-reaching functions,
/// loads `chunk` (source text, or a binary chunk, which the verifier checks) and runs
/// it with at most `budget` calls and loop iterations. `Err` only when the VM cannot
/// boot (the heap limit is too small).
pub fn run<C: Collector<LuaModel>>(
    gc: C,
    options: &VmOptions,
    chunk: &[u8],
    budget: u64,
) -> Result<Outcome, String> {
    let mut lua = Lua::new(gc, options)?;
    lua.run(SANDBOX.as_bytes(), "=sandbox")
        .map_err(|e| e.to_string())?;
    lua.set_instruction_budget(Some(budget));
    let error = lua.run(chunk, "=fuzz").err().map(|e| e.to_string());
    let result = match lua.global("result") {
        Ok(LuaValue::String(s)) => Some(s),
        _ => None,
    };
    Ok(Outcome { error, result })
}
