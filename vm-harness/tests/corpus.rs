//! Runs the conformance corpus (`tests/lua/`, protocol in its README) through the
//! `luagc` binary under every collector, and once more under `stw` with the GC-stress
//! mode, which collects and verifies the heap before every allocation.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Scripts that need features outside this VM's scope, with the reason. They are run but
/// not counted as failures.
const UNSUPPORTED: &[(&str, &str)] = &[];

/// Scripts whose output depends on objects being collected (weak entries cleared,
/// finalizers run by `collectgarbage`): skipped under collectors that never collect.
const NEED_COLLECTION: &[&str] = &["gc_finalizers", "gc_weak", "gc_weak_arrays"];

/// Collectors that never free anything, with the reason they skip [`NEED_COLLECTION`].
const NON_COLLECTING: &[(&str, &str)] = &[(
    "epsilon",
    "epsilon never collects: weak entries stay and no finalizer runs before exit",
)];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lua")
}

fn scripts() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("corpus directory")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".lua").map(str::to_owned)
        })
        .collect();
    names.sort();
    names
}

/// Runs one script and returns why it failed, if it did.
fn check(name: &str, luagc_args: &[&str]) -> Option<String> {
    let dir = corpus_dir();
    let output = Command::new(env!("CARGO_BIN_EXE_luagc"))
        .args(luagc_args)
        .arg(format!("{name}.lua"))
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .expect("run luagc");
    let expected_out = dir.join(format!("{name}.expected"));
    if let Ok(expected) = std::fs::read(&expected_out) {
        if output.stdout != expected {
            let first_diff = output
                .stdout
                .split(|&b| b == b'\n')
                .zip(expected.split(|&b| b == b'\n'))
                .position(|(a, b)| a != b)
                .map_or("length differs".to_owned(), |l| {
                    format!("first difference on line {}", l + 1)
                });
            return Some(format!("{name}: stdout differs ({first_diff})"));
        }
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    match std::fs::read_to_string(dir.join(format!("{name}.expected_err"))) {
        Ok(expected) => {
            let line = stderr.lines().next().unwrap_or("");
            let line = line.strip_prefix("luagc: ").unwrap_or(line);
            if output.status.success() {
                return Some(format!("{name}: exit status 0, expected an error"));
            }
            if line != expected.trim_end_matches('\n') {
                return Some(format!(
                    "{name}: stderr {line:?}, expected {:?}",
                    expected.trim_end()
                ));
            }
        }
        Err(_) => {
            if !output.status.success() {
                let first = stderr.lines().next().unwrap_or("");
                return Some(format!(
                    "{name}: exit status {}, stderr {first:?}",
                    output.status
                ));
            }
        }
    }
    None
}

/// Runs the corpus under `collector` (plus `extra_args`), skipping the scripts it cannot
/// pass (see [`UNSUPPORTED`] and [`NEED_COLLECTION`]).
fn run_corpus(collector: &str, extra_args: &[&str]) -> Vec<String> {
    let collects = !NON_COLLECTING.iter().any(|(c, _)| *c == collector);
    let mut args = vec!["--gc", collector];
    args.extend_from_slice(extra_args);
    scripts()
        .iter()
        .filter(|name| !UNSUPPORTED.iter().any(|(n, _)| n == name))
        .filter(|name| collects || !NEED_COLLECTION.contains(&name.as_str()))
        .filter_map(|name| check(name, &args))
        .collect()
}

#[test]
fn corpus_passes_under_every_collector() {
    let mut failures = Vec::new();
    for &collector in gc_core::collectors::NAMES {
        for f in run_corpus(collector, &[]) {
            failures.push(format!("[{collector}] {f}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} corpus failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_passes_under_newgc_in_each_mode() {
    let mut failures = Vec::new();
    for mode in ["incremental", "generational"] {
        for f in run_corpus("newgc", &["--gc-mode", mode]) {
            failures.push(format!("[newgc {mode}] {f}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} corpus failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Stress mode before every allocation: `stw` collects and verifies; `newgc` advances
/// its cycle by a small step and verifies, tri-color invariant included, so every
/// script runs through many cycles with the verifier looking mid-cycle.
#[test]
fn corpus_passes_under_gc_stress() {
    let runs: [(&str, &[&str]); 3] = [
        ("stw", &[]),
        ("newgc", &["--gc-mode", "incremental"]),
        ("newgc", &["--gc-mode", "generational"]),
    ];
    let mut failures = Vec::new();
    for (collector, mode) in runs {
        let mut args = vec!["--gc-stress", "1"];
        args.extend_from_slice(mode);
        for f in run_corpus(collector, &args) {
            failures.push(format!("[{collector} {mode:?}] {f}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} corpus failures under GC stress:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn unknown_collector_is_an_error_listing_the_names() {
    let output = Command::new(env!("CARGO_BIN_EXE_luagc"))
        .args(["--gc", "nosuch", "-e", "print(1)"])
        .output()
        .expect("run luagc");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for name in gc_core::collectors::NAMES {
        assert!(stderr.contains(name), "{stderr}");
    }
}

#[test]
fn heap_limit_turns_into_a_catchable_lua_error() {
    let chunk =
        "local t = {} local ok, e = pcall(function() for i = 1, 1e9 do t[i] = {i} end end) \
                 t = nil collectgarbage() print(ok, e)";
    let output = Command::new(env!("CARGO_BIN_EXE_luagc"))
        .args(["--heap-limit", "32M", "-e", chunk])
        .output()
        .expect("run luagc");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "false\tnot enough memory\n"
    );
}

#[test]
fn stats_json_has_the_promised_fields() {
    let json = stats_json(&[]);
    let text = json.to_string();
    for key in [
        "collector",
        "wall_ms",
        "gc_ms",
        "cycles",
        "cycles_minor",
        "cycles_major",
        "allocated_bytes",
        "peak_heap_bytes",
    ] {
        assert!(json.get(key).is_some(), "missing {key} in {text}");
    }
    for key in ["p50", "p99", "max"] {
        assert!(
            json["pause_ms"].get(key).is_some(),
            "missing pause_ms.{key} in {text}"
        );
    }
    for key in ["1ms", "10ms", "100ms"] {
        let mmu = json["mmu"][key].as_f64();
        assert!(
            mmu.is_some_and(|m| (0.0..=1.0).contains(&m)),
            "mmu.{key} in {text}"
        );
    }
    assert_eq!(
        json["cycles"].as_u64(),
        Some(json["cycles_minor"].as_u64().unwrap() + json["cycles_major"].as_u64().unwrap()),
        "cycles = minor + major in {text}"
    );
    assert!(json.get("pause_cpu_ms").is_none(), "{text}");
}

/// With --pause-cpu-time every pause is also timed in thread CPU time, which a pause
/// cannot take more of than wall time (beyond the clocks' resolution).
#[test]
fn pause_cpu_time_times_the_same_pauses() {
    let json = stats_json(&["--pause-cpu-time"]);
    let text = json.to_string();
    let count = json["pause_ms"]["count"].as_u64().expect("pause count");
    assert!(count > 0, "{text}");
    assert_eq!(
        json["pause_cpu_ms"]["count"].as_u64(),
        Some(count),
        "{text}"
    );
    let wall = json["pause_ms"]["max"].as_f64().unwrap();
    let cpu = json["pause_cpu_ms"]["max"].as_f64().unwrap();
    assert!(cpu > 0.0 && cpu <= wall + 0.05, "{text}");
}

/// luagc's --stats-json output for a small allocating script, run with `args`.
fn stats_json(args: &[&str]) -> serde_json::Value {
    let path = std::env::temp_dir().join(format!(
        "luagc-stats-{}-{}.json",
        std::process::id(),
        args.len()
    ));
    let output = Command::new(env!("CARGO_BIN_EXE_luagc"))
        .args(args)
        .args(["--stats-json"])
        .arg(&path)
        .args(["-e", "local t = {} for i = 1, 1e6 do t[i % 100] = {i} end"])
        .output()
        .expect("run luagc");
    assert!(output.status.success());
    let text = std::fs::read_to_string(&path).expect("stats file");
    let _ = std::fs::remove_file(&path);
    serde_json::from_str(&text).expect("json")
}

#[test]
fn binary_chunks_round_trip_and_foreign_ones_are_refused() {
    let chunk = r#"
        local d = string.dump(function(a, ...) return a * 2, select('#', ...) end)
        print(loadstring(d)(21, 1, 2))
        print(loadstring("\27Lua\81\0\1\4\8\4\8\0garbage") == nil)
        print(pcall(string.dump, print))
    "#;
    let output = Command::new(env!("CARGO_BIN_EXE_luagc"))
        .args(["-e", chunk])
        .output()
        .expect("run luagc");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "42\t2\ntrue\nfalse\tunable to dump given function\n"
    );
}
