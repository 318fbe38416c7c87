//! Every workload at its smoke size, through `luagc` under every collector and through
//! each reference interpreter installed (lua5.1, lua5.4, luajit): all must print the
//! checksum line recorded in the workloads crate (Debian lua5.1's output). This keeps
//! the scripts portable and catches a collector that changes a program's result.
//!
//! A second test runs every workload at its smoke size under `--gc-stress 997` (a
//! collection and a heap verification before every 997th allocation) for every collector
//! that collects: the rooting and barrier bugs a normal run may never hit. All of it takes
//! about a minute on two cores.
//!
//! `luagc` is vm-harness's binary, which this crate cannot build: it is looked up in the
//! target directory this test was built in (`cargo test --workspace --release` builds it
//! first), so `cargo test -p benches` alone may find a stale or missing one.

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// `luagc` next to this test's own profile directory (target/PROFILE/deps/this-test),
/// else in the workspace's target/release.
fn luagc() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let mut candidates = Vec::new();
    if let Some(profile_dir) = exe.parent().and_then(|deps| deps.parent()) {
        candidates.push(profile_dir.join("luagc"));
    }
    candidates.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/luagc"));
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "luagc not found (looked at {candidates:?}): build it with \
                 `cargo build --release -p vm-harness`, or run `cargo test --workspace --release`"
            )
        })
}

/// Runs `program prelude... script args...` and returns its checksum line, or a
/// description of how it failed.
fn checksum(
    program: &PathBuf,
    prelude: &[&str],
    w: &workloads::Workload,
) -> Result<String, String> {
    let out = Command::new(program)
        .args(prelude)
        .arg(w.script())
        .args(w.smoke_args)
        .env_remove("LUA_INIT")
        .env_remove("LUA_INIT_5_4")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "{} {prelude:?} {}: {}\n{}",
            program.display(),
            w.name,
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    workloads::checksum_line(&stdout)
        .map(str::to_owned)
        .ok_or_else(|| format!("{} {}: no output", program.display(), w.name))
}

/// Records in `failures` a run that failed or printed another line than lua5.1's, so a
/// test reports every mismatch at once.
fn compare(
    failures: &mut Vec<String>,
    label: String,
    got: Result<String, String>,
    w: &workloads::Workload,
) {
    match got {
        Ok(line) if line == w.smoke_checksum => {}
        Ok(line) => failures.push(format!(
            "{label} {}: printed {line:?}, lua5.1 prints {:?}",
            w.name, w.smoke_checksum
        )),
        Err(e) => failures.push(format!("{label}: {e}")),
    }
}

/// The stress period: small enough that every smoke run collects and verifies its heap
/// many times, large enough that the whole suite stays near a minute.
const STRESS: &str = "997";

#[test]
fn every_workload_agrees_under_gc_stress() {
    let luagc = luagc();
    let mut failures = Vec::new();
    let collecting: Vec<_> = gc_core::collectors::registry()
        .into_iter()
        .filter(|c| c.collects)
        .collect();
    assert!(
        collecting.len() >= 2,
        "the registry lists fewer collectors that collect than expected: {collecting:?}"
    );
    for w in workloads::WORKLOADS {
        for c in &collecting {
            compare(
                &mut failures,
                format!("luagc --gc {} --gc-stress {STRESS}", c.name),
                checksum(&luagc, &["--gc", c.name, "--gc-stress", STRESS], w),
                w,
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n(luagc is {})",
        failures.join("\n"),
        luagc.display()
    );
}

#[test]
fn every_workload_agrees_under_every_collector_and_interpreter() {
    let luagc = luagc();
    let mut failures = Vec::new();
    let mut check = |label: String, got: Result<String, String>, w: &workloads::Workload| {
        compare(&mut failures, label, got, w)
    };
    for w in workloads::WORKLOADS {
        for gc in gc_core::collectors::names() {
            check(
                format!("luagc --gc {gc}"),
                checksum(&luagc, &["--gc", gc], w),
                w,
            );
        }
    }
    // The interpreters the checksums were recorded with and must stay portable to;
    // `.ci/run` installs lua5.1, the others are checked when present.
    for peer in ["lua5.1", "lua5.4", "luajit"] {
        let found = std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path)
                .map(|d| d.join(peer))
                .find(|p| p.is_file())
        });
        let Some(program) = found else {
            eprintln!("workloads_smoke: {peer} is not installed; skipping it");
            continue;
        };
        for w in workloads::WORKLOADS {
            check(peer.to_owned(), checksum(&program, &[], w), w);
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n(luagc is {}: if it predates a collector, rebuild it with `cargo build --release -p vm-harness`)",
        failures.join("\n"),
        luagc.display()
    );
}
