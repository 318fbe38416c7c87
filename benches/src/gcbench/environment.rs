//! Where the numbers come from: the machine, the kernel, the build and the commit, as a
//! results file records them, and the steal time `/proc/stat` counts (on a shared
//! virtual machine, the time a virtual CPU was ready but the host ran something else).

use std::path::Path;
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

/// The set-up a results file was measured on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    /// `git rev-parse HEAD` of the workspace.
    pub git_commit: Option<String>,
    /// True when the workspace had uncommitted changes.
    pub git_dirty: Option<bool>,
    /// `model name` from /proc/cpuinfo.
    pub cpu_model: Option<String>,
    /// CPUs this process may run on.
    pub cores: usize,
    /// `MemTotal` from /proc/meminfo, in MiB.
    pub memory_mb: Option<u64>,
    /// The kernel release (`uname -r`).
    pub kernel: Option<String>,
    /// /sys/kernel/mm/transparent_hugepage/enabled (the bracketed word is in force).
    pub thp_enabled: Option<String>,
    /// /sys/kernel/mm/transparent_hugepage/defrag.
    pub thp_defrag: Option<String>,
    /// `rustc --version` on PATH when gcbench ran (the toolchain that builds luagc here).
    pub rustc: Option<String>,
    /// The profile gcbench itself was built with.
    pub gcbench_profile: String,
    /// The profile directory luagc was found in (`dist`, `release`), when it is one.
    pub luagc_profile: Option<String>,
}

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_owned())
}

fn command_line(program: &str, args: &[&str], dir: Option<&Path>) -> Option<String> {
    let mut cmd = Command::new(program);
    cmd.args(args).stdin(Stdio::null()).stderr(Stdio::null());
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The value of the first `key : value` line of `text` whose key is `key`.
fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        (k.trim() == key).then(|| v.trim())
    })
}

impl Environment {
    /// Reads the environment now. `luagc` is the binary in use, if any.
    pub fn capture(luagc: Option<&Path>) -> Self {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let luagc_profile = luagc
            .and_then(|p| p.parent())
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| ["dist", "release", "debug", "bench"].contains(&n.as_str()));
        Environment {
            git_commit: command_line("git", &["rev-parse", "HEAD"], Some(&workspace)),
            git_dirty: command_line("git", &["status", "--porcelain"], Some(&workspace))
                .map(|s| !s.is_empty()),
            cpu_model: field(&cpuinfo, "model name").map(str::to_owned),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_mb: field(&meminfo, "MemTotal")
                .and_then(|v| v.trim_end_matches("kB").trim().parse::<u64>().ok())
                .map(|kb| kb / 1024),
            kernel: read_trimmed("/proc/sys/kernel/osrelease"),
            thp_enabled: read_trimmed("/sys/kernel/mm/transparent_hugepage/enabled"),
            thp_defrag: read_trimmed("/sys/kernel/mm/transparent_hugepage/defrag"),
            rustc: command_line("rustc", &["--version"], None),
            gcbench_profile: if cfg!(debug_assertions) {
                "debug".to_owned()
            } else {
                "release".to_owned()
            },
            luagc_profile,
        }
    }
}

/// The whole machine's steal time so far, in milliseconds (the `steal` column of the
/// `cpu` line of /proc/stat, summed over CPUs), or `None` where there is no such file.
pub fn steal_ms_now() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let ticks = parse_steal_ticks(&stat)?;
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    (hz > 0).then(|| ticks as f64 * 1000.0 / hz as f64)
}

/// The steal ticks of the aggregate `cpu` line of a /proc/stat text: its 8th number
/// (user nice system idle iowait irq softirq steal ...).
fn parse_steal_ticks(stat: &str) -> Option<u64> {
    let line = stat.lines().find(|l| l.starts_with("cpu "))?;
    line.split_whitespace().nth(8)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steal_is_the_eighth_column_of_the_cpu_line() {
        let stat = "cpu  2255 34 2290 22625563 6290 127 456 731 0 0\n\
                    cpu0 1132 34 1441 11311718 3675 127 438 400 0 0\n";
        assert_eq!(parse_steal_ticks(stat), Some(731));
        assert_eq!(parse_steal_ticks("cpu0 1 2 3 4 5 6 7 8\n"), None);
        assert_eq!(parse_steal_ticks("cpu  1 2 3\n"), None);
    }

    #[test]
    fn fields_of_proc_files() {
        let cpuinfo = "processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t\t: fpu\n";
        assert_eq!(field(cpuinfo, "model name"), Some("AMD EPYC 7B13"));
        assert_eq!(field(cpuinfo, "model"), None);
    }
}
