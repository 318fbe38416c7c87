//! The configurations of a run, made runnable: each matrix configuration's program is
//! found (luagc in the target directory, an interpreter on PATH) and tried once with an
//! empty chunk and its options, up front, so a missing interpreter or a bad option
//! becomes a note (or, for a `required` configuration, an error) instead of a failed run
//! per workload.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use super::matrix::{ConfigDef, Program};

/// What runs a configuration: `luagc` with a collector, or an external interpreter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `luagc --gc NAME`: reports GC time and pauses through `--stats-json`.
    Luagc,
    /// An external interpreter: wall time, CPU time and peak RSS only.
    Interpreter,
}

/// One way of running a workload script: `program prelude... script args...`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// The name tables and records use.
    pub name: String,
    /// Which kind of program runs.
    pub kind: Kind,
    /// The collector, for `luagc` configurations.
    pub collector: Option<String>,
    /// The program.
    pub program: PathBuf,
    /// Arguments before the script (`--gc stw --gc-threads 1`, or
    /// `-e collectgarbage('incremental')`): every luagc setting the matrix gives.
    pub prelude: Vec<String>,
    /// A short remark shown next to the name.
    pub note: String,
    /// The settings luagc reported in force for this configuration (`settings` of its
    /// `--stats-json`: arena size, GC threads, pause, stepmul, mode, ...), from the trial
    /// run; `None` for interpreters.
    #[serde(default)]
    pub settings: Option<serde_json::Value>,
}

/// A program found for the run, with the version it reports (for the raw results).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    /// The name asked for (`luagc`, `lua5.4`).
    pub name: String,
    /// Where it was found.
    pub path: PathBuf,
    /// First line of its version output.
    pub version: String,
}

/// The `luagc` binary: `explicit` if given, else the workspace's dist build, else its
/// release build (with a warning: release is not what timings should use); when there
/// is neither, the dist build is built first (`cargo build --profile dist -p
/// vm-harness`, its output on stderr), so a fresh clone runs a matrix in one command.
pub fn find_luagc(explicit: Option<&Path>, notes: &mut Vec<String>) -> Result<PathBuf, String> {
    if let Some(path) = explicit {
        return if path.is_file() {
            Ok(path.to_path_buf())
        } else {
            Err(format!("--luagc {}: no such file", path.display()))
        };
    }
    if let Some(found) = built_luagc(notes) {
        return Ok(found);
    }
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    if workspace.join("Cargo.toml").is_file() {
        eprintln!(
            "gcbench: no luagc built yet: building it (cargo build --profile dist -p vm-harness)"
        );
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let built = Command::new(cargo)
            .args(["build", "--profile", "dist", "-p", "vm-harness"])
            .current_dir(&workspace)
            .stdin(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if built {
            if let Some(found) = built_luagc(notes) {
                notes.push(format!("built {}", found.display()));
                return Ok(found);
            }
        }
    }
    Err(
        "luagc not found in target/dist or target/release and could not be built: build it \
         with `cargo build --profile dist -p vm-harness`, or pass --luagc PATH"
            .to_owned(),
    )
}

/// The workspace's dist build of luagc, else its release build (with a note).
fn built_luagc(notes: &mut Vec<String>) -> Option<PathBuf> {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut targets = Vec::new();
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        targets.push(PathBuf::from(dir));
    }
    targets.push(workspace.join("target"));
    for profile in ["dist", "release"] {
        for target in &targets {
            let path = target.join(profile).join("luagc");
            if path.is_file() {
                let path = path.canonicalize().unwrap_or(path);
                if profile == "release" {
                    notes.push(format!(
                        "using the release build {} (no dist build found): build `cargo build --profile dist -p vm-harness` for timings",
                        path.display()
                    ));
                }
                return Some(path);
            }
        }
    }
    None
}

/// The first line a program prints for `-v` (stdout or stderr: `lua5.1 -v` and
/// `luagc -v` use stderr), or a note that it printed nothing.
fn version_of(program: &Path) -> String {
    let out = Command::new(program)
        .arg("-v")
        .stdin(Stdio::null())
        .output();
    match out {
        Ok(out) => {
            let text = [out.stdout, out.stderr].concat();
            String::from_utf8_lossy(&text)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_owned()
        }
        Err(e) => format!("(cannot run: {e})"),
    }
}

/// `name` on PATH (or `name` itself if it contains a slash), if it is an executable file.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let executable = |p: &Path| {
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if name.contains('/') {
        let p = PathBuf::from(name);
        return executable(&p).then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| executable(p))
}

/// The runnable configurations of `defs`, the programs they use (with their versions),
/// and notes on what was skipped. `luagc` is the binary luagc configurations run (`None`
/// when none was found: they are skipped, or an error if one is required).
pub fn resolve(
    defs: &[ConfigDef],
    luagc: Option<&Path>,
    notes: &mut Vec<String>,
) -> Result<(Vec<Tool>, Vec<Config>), String> {
    let mut tools: Vec<Tool> = Vec::new();
    let mut configs = Vec::new();
    for def in defs {
        let (program, kind, collector, prelude) = match &def.program {
            Program::Luagc { collector } => {
                let Some(path) = luagc else {
                    let why = format!("skipping {}: no luagc binary", def.name);
                    if def.required {
                        return Err(why);
                    }
                    notes.push(why);
                    continue;
                };
                let mut prelude = vec!["--gc".to_owned(), collector.clone()];
                prelude.extend(def.args.iter().cloned());
                (
                    path.to_path_buf(),
                    Kind::Luagc,
                    Some(collector.clone()),
                    prelude,
                )
            }
            Program::Interpreter { command } => {
                let Some(path) = find_on_path(command) else {
                    let why = format!("skipping {}: {command} is not installed", def.name);
                    if def.required {
                        return Err(why);
                    }
                    notes.push(why);
                    continue;
                };
                (path, Kind::Interpreter, None, def.args.clone())
            }
        };
        // Tried once, so a collector or option this program does not know is reported
        // with its own message before anything is timed; luagc also says which settings
        // are in force (its defaults included), for the report.
        let settings_file = std::env::temp_dir().join(format!(
            "gcbench-settings-{}-{}.json",
            std::process::id(),
            configs.len()
        ));
        let mut trial = Command::new(&program);
        trial.args(&prelude);
        if kind == Kind::Luagc {
            trial.arg("--stats-json").arg(&settings_file);
        }
        let out = trial.args(["-e", ""]).stdin(Stdio::null()).output();
        let settings = std::fs::read_to_string(&settings_file)
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|stats| stats.get("settings").cloned());
        let _ = std::fs::remove_file(&settings_file);
        let problem = match out {
            Ok(out) if out.status.success() => None,
            Ok(out) => Some(String::from_utf8_lossy(&out.stderr).trim().to_owned()),
            Err(e) => Some(format!("cannot run {}: {e}", program.display())),
        };
        if let Some(p) = problem {
            let why = format!("skipping {}: {p}", def.name);
            if def.required {
                return Err(why);
            }
            notes.push(why);
            continue;
        }
        let tool_name = match &def.program {
            Program::Luagc { .. } => "luagc".to_owned(),
            Program::Interpreter { command } => command.clone(),
        };
        if !tools.iter().any(|t| t.path == program) {
            tools.push(Tool {
                name: tool_name,
                path: program.clone(),
                version: version_of(&program),
            });
        }
        configs.push(Config {
            name: def.name.clone(),
            kind,
            collector,
            program,
            prelude,
            note: def.note.clone(),
            settings,
        });
    }
    Ok((tools, configs))
}
