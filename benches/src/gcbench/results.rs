//! The results file: every raw run with the matrix that asked for it, the programs, the
//! environment and the command line, so every table can be regenerated from it (and a
//! reader knows what was measured). Written after every workload: an interrupted run
//! keeps what it measured.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::configs::{Config, Tool};
use super::environment::Environment;
use super::matrix::Matrix;
use super::measure::RunRecord;
use super::minheap::Entry;

/// The version of the layout below; `report` refuses another.
pub const FORMAT: u32 = 3;

/// One results file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// Always `gcbench`.
    pub tool: String,
    /// [`FORMAT`].
    pub format: u32,
    /// When the run started, in seconds since the Unix epoch.
    pub started_unix_s: u64,
    /// gcbench's command line.
    pub command: Vec<String>,
    /// The matrix, as read (its text included) and resolved.
    pub matrix: Matrix,
    /// The machine and build.
    pub environment: Environment,
    /// What was skipped, and why.
    pub notes: Vec<String>,
    /// The programs run, with their versions.
    pub tools: Vec<Tool>,
    /// The configurations that ran (the matrix's, less the skipped ones).
    pub configs: Vec<Config>,
    /// The configuration ratios are against, if it ran.
    pub reference: Option<String>,
    /// Every run, in the order it ran.
    pub records: Vec<RunRecord>,
    /// The minimum heaps the sweep's heap factors multiply, measured or reused.
    #[serde(default)]
    pub min_heaps: Vec<Entry>,
    /// False until the last workload has run.
    pub complete: bool,
}

impl Results {
    /// Writes the file (pretty JSON, one trailing newline).
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).expect("results serialise");
        // Written beside and renamed over, so an interruption never leaves half a file.
        let tmp = path.with_extension("json.partial");
        std::fs::write(&tmp, text + "\n")
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// Reads a results file.
    pub fn read(path: &Path) -> Result<Results, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let probe: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
        let format = probe.get("format").and_then(serde_json::Value::as_u64);
        if format != Some(u64::from(FORMAT)) {
            return Err(format!(
                "{}: results format {format:?}, this gcbench reads format {FORMAT}",
                path.display()
            ));
        }
        serde_json::from_value(probe).map_err(|e| format!("{}: {e}", path.display()))
    }
}
