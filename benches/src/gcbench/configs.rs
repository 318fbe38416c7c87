//! The configurations gcbench compares: each `luagc` collector, and each external Lua
//! interpreter found on PATH (both GC modes of an interpreter that has two, like
//! `lua5.4`). Finding them is done once, up front, so a missing interpreter becomes a
//! note in the report instead of a failed run per workload.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Serialize;

/// What runs a configuration: `luagc` with a collector, or an external interpreter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `luagc --gc NAME`: reports GC time and pauses through `--stats-json`.
    Luagc,
    /// An external interpreter: wall time and peak RSS only.
    Peer,
}

/// One way of running a workload script.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// The name tables and records use: `luagc/stw`, `lua5.1`, `lua5.4-gen`.
    pub name: String,
    /// Which kind of program runs.
    pub kind: Kind,
    /// The collector, for `luagc` configurations.
    pub collector: Option<String>,
    /// The peer's name as given (`lua5.4`), for peer configurations.
    pub peer: Option<String>,
    /// The program.
    pub program: PathBuf,
    /// Arguments before the script (`--gc stw`, or `-e 'collectgarbage(...)'`).
    pub prelude: Vec<String>,
    /// True when this is the program as it starts, with no mode forced: the
    /// configuration ratios are taken against.
    pub as_is: bool,
    /// A short remark shown next to the name (`default mode`).
    pub note: String,
}

/// A program found for the run, with the version it reports (for the raw results).
#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    /// The name asked for (`luagc`, `lua5.4`).
    pub name: String,
    /// Where it was found.
    pub path: PathBuf,
    /// First line of its version output.
    pub version: String,
}

/// The `luagc` binary: `explicit` if given, else the workspace's dist build, else its
/// release build (with a warning: release is not what timings should use).
pub fn find_luagc(explicit: Option<&Path>, notes: &mut Vec<String>) -> Result<PathBuf, String> {
    if let Some(path) = explicit {
        return if path.is_file() {
            Ok(path.to_path_buf())
        } else {
            Err(format!("--luagc {}: no such file", path.display()))
        };
    }
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
                if profile == "release" {
                    notes.push(format!(
                        "using the release build {} (no dist build found): build `cargo build --profile dist -p vm-harness` for timings",
                        path.display()
                    ));
                }
                return Ok(path);
            }
        }
    }
    Err(
        "luagc not found in target/dist or target/release: build it with \
         `cargo build --profile dist -p vm-harness`, pass --luagc PATH, \
         or pass --collectors '' to run only the peers"
            .to_owned(),
    )
}

/// The first line a program prints for `flag` (stdout or stderr: `lua5.1 -v` uses
/// stderr), or a note that it printed nothing.
fn version_of(program: &Path, flag: &str) -> String {
    let out = Command::new(program)
        .arg(flag)
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

/// The `luagc` configurations for `collectors`: each is tried once with an empty chunk,
/// so a collector this luagc does not know is skipped with luagc's own message.
pub fn luagc_configs(
    luagc: &Path,
    collectors: &[String],
    notes: &mut Vec<String>,
) -> (Tool, Vec<Config>) {
    let tool = Tool {
        name: "luagc".to_owned(),
        path: luagc.to_path_buf(),
        version: version_of(luagc, "--version"),
    };
    let mut configs = Vec::new();
    for c in collectors {
        let out = Command::new(luagc)
            .args(["--gc", c, "-e", ""])
            .stdin(Stdio::null())
            .output();
        match out {
            Ok(out) if out.status.success() => configs.push(Config {
                name: format!("luagc/{c}"),
                kind: Kind::Luagc,
                collector: Some(c.clone()),
                peer: None,
                program: luagc.to_path_buf(),
                prelude: vec!["--gc".to_owned(), c.clone()],
                as_is: true,
                note: String::new(),
            }),
            Ok(out) => notes.push(format!(
                "skipping collector {c}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )),
            Err(e) => notes.push(format!("skipping collector {c}: cannot run luagc: {e}")),
        }
    }
    (tool, configs)
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

/// The GC mode an interpreter starts in, if it has two: `collectgarbage("incremental")`
/// returns the previous mode on Lua 5.4 and is an error on 5.1 and LuaJIT.
fn starting_mode(program: &Path) -> Option<String> {
    let out = Command::new(program)
        .args(["-e", "io.write(tostring(collectgarbage('incremental')))"])
        .env_remove("LUA_INIT")
        .env_remove("LUA_INIT_5_4")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let mode = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (out.status.success() && (mode == "generational" || mode == "incremental")).then_some(mode)
}

/// The peer configurations: each interpreter in `peers` found on PATH, and for one with
/// two GC modes, one configuration per mode (the starting mode as is, the other forced by
/// an `-e collectgarbage(...)` prelude). Missing interpreters become notes.
pub fn peer_configs(peers: &[String], notes: &mut Vec<String>) -> (Vec<Tool>, Vec<Config>) {
    let mut tools = Vec::new();
    let mut configs = Vec::new();
    for name in peers {
        let Some(program) = find_on_path(name) else {
            notes.push(format!("skipping peer {name}: not found on PATH"));
            continue;
        };
        tools.push(Tool {
            name: name.clone(),
            path: program.clone(),
            version: version_of(&program, "-v"),
        });
        let short = |mode: &str| if mode == "generational" { "gen" } else { "inc" };
        match starting_mode(&program) {
            Some(start) => {
                let other = if start == "generational" {
                    "incremental"
                } else {
                    "generational"
                };
                configs.push(Config {
                    name: format!("{name}-{}", short(&start)),
                    kind: Kind::Peer,
                    collector: None,
                    peer: Some(name.clone()),
                    program: program.clone(),
                    prelude: Vec::new(),
                    as_is: true,
                    note: format!("{start}, its default"),
                });
                configs.push(Config {
                    name: format!("{name}-{}", short(other)),
                    kind: Kind::Peer,
                    collector: None,
                    peer: Some(name.clone()),
                    program,
                    prelude: vec!["-e".to_owned(), format!("collectgarbage('{other}')")],
                    as_is: false,
                    note: format!("{other}, forced"),
                });
            }
            None => configs.push(Config {
                name: name.clone(),
                kind: Kind::Peer,
                collector: None,
                peer: Some(name.clone()),
                program,
                prelude: Vec::new(),
                as_is: true,
                note: String::new(),
            }),
        }
    }
    (tools, configs)
}
