//! Runs the conformance corpus (`tests/lua/`, protocol in its README) through the
//! `luagc` binary under every collector of the registry, in each of its modes, and under
//! the GC-stress mode, which collects (or advances a cycle) and verifies the heap before
//! every allocation.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use gc_core::collectors::{registry, CollectorInfo};
use gc_core::GcMode;

/// Scripts that need features outside this VM's scope, with the reason. They are run but
/// not counted as failures.
const UNSUPPORTED: &[(&str, &str)] = &[];

/// Scripts whose output depends on objects being collected (weak entries cleared,
/// finalizers run by `collectgarbage`): skipped under collectors that never collect.
const NEED_COLLECTION: &[&str] = &[
    "gc_finalizer_collects",
    "gc_finalizers",
    "gc_newproxy_weak",
    "gc_weak",
    "gc_weak_arrays",
    "gc_weak_stores",
    "io_gc_close",
];

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
/// pass (see [`UNSUPPORTED`]; [`NEED_COLLECTION`] under collectors that never collect,
/// where weak entries stay and no finalizer runs before exit).
fn run_corpus(collector: &str, extra_args: &[&str]) -> Vec<String> {
    let collects = registry()
        .iter()
        .any(|info| info.name == collector && info.collects);
    let mut args = vec!["--gc", collector];
    args.extend_from_slice(extra_args);
    scripts()
        .iter()
        .filter(|name| !UNSUPPORTED.iter().any(|(n, _)| n == name))
        .filter(|name| collects || !NEED_COLLECTION.contains(&name.as_str()))
        .filter_map(|name| check(name, &args))
        .collect()
}

/// The `--gc-mode` arguments a collector accepts: one run per mode it has, or one run
/// without the flag.
fn mode_args(info: &CollectorInfo) -> Vec<Vec<&'static str>> {
    if info.modes.is_empty() {
        return vec![Vec::new()];
    }
    info.modes
        .iter()
        .map(|mode| match mode {
            GcMode::Incremental => vec!["--gc-mode", "incremental"],
            GcMode::Generational => vec!["--gc-mode", "generational"],
        })
        .collect()
}

fn assert_no_failures(what: &str, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} corpus failures{what}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_passes_under_every_collector() {
    let mut failures = Vec::new();
    for info in registry() {
        for f in run_corpus(info.name, &[]) {
            failures.push(format!("[{}] {f}", info.name));
        }
    }
    assert_no_failures("", failures);
}

#[test]
fn corpus_passes_under_every_collector_in_each_mode() {
    let mut failures = Vec::new();
    for info in registry().iter().filter(|info| !info.modes.is_empty()) {
        for args in mode_args(info) {
            for f in run_corpus(info.name, &args) {
                failures.push(format!("[{} {args:?}] {f}", info.name));
            }
        }
    }
    assert_no_failures("", failures);
}

/// Stress mode before every allocation: stop-the-world collectors collect and verify;
/// incremental ones (`newgc` in each mode, `lua51`) advance their cycle by a small step
/// and verify, tri-color invariant included, so every script runs through many cycles
/// with the verifier looking mid-cycle.
#[test]
fn corpus_passes_under_gc_stress() {
    let mut failures = Vec::new();
    for info in registry().iter().filter(|info| info.collects) {
        for mode in mode_args(info) {
            let mut args = vec!["--gc-stress", "1"];
            args.extend_from_slice(&mode);
            for f in run_corpus(info.name, &args) {
                failures.push(format!("[{} {mode:?}] {f}", info.name));
            }
        }
    }
    assert_no_failures(" under GC stress", failures);
}

#[test]
fn unknown_collector_is_an_error_listing_the_names() {
    let output = Command::new(env!("CARGO_BIN_EXE_luagc"))
        .args(["--gc", "nosuch", "-e", "print(1)"])
        .output()
        .expect("run luagc");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for info in registry() {
        assert!(stderr.contains(info.name), "{stderr}");
    }
}

#[test]
fn heap_limit_turns_into_a_catchable_lua_error() {
    let chunk =
        "local t = {} local ok, e = pcall(function() for i = 1, 1e9 do t[i] = {i} end end) \
                 t = nil collectgarbage() print(ok, e)";
    assert_eq!(
        successful_run(&["--heap-limit", "32M", "-e", chunk]),
        "false\tnot enough memory\n"
    );
}

/// What luagc with `args` prints, asserting that it succeeds.
fn successful_run(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_luagc"))
        .args(args)
        .output()
        .expect("run luagc");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// As in 5.1, `xpcall`'s message handler is not called for an allocation failure (a
/// handler that allocates would otherwise turn it into "error in error handling"), but
/// is for other errors.
#[test]
fn xpcall_calls_no_handler_for_memory_errors() {
    let chunk = "local t = {} \
                 local function handler(m) return {'handled', m} end \
                 local ok, e = xpcall(function() for i = 1, 1e9 do t[i] = {i} end end, handler) \
                 t = nil collectgarbage() print(ok, e) \
                 ok, e = xpcall(function() error('plain', 0) end, handler) print(ok, e[1], e[2]) \
                 ok, e = xpcall(function() error('not enough memory', 0) end, handler) print(ok, e[1])";
    assert_eq!(
        successful_run(&["--heap-limit", "32M", "-e", chunk]),
        "false\tnot enough memory\nfalse\thandled\tplain\nfalse\thandled\n"
    );
}

/// `debug.debug()` runs each line of stdin as a chunk until `cont`, prompting and
/// reporting errors on stderr; the output is what lua5.1 writes for the same input.
#[test]
fn debug_debug_runs_commands_from_stdin_until_cont() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_luagc"))
        .args(["-e", "debug.debug() print('after', x)"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run luagc");
    let commands = "x = 1\nprint(x + 1)\nerror(\"oops\")\nlocal = \ncont\nprint(\"not run\")\n";
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(commands.as_bytes())
        .expect("write commands");
    drop(stdin);
    let output = child.wait_with_output().expect("luagc ends");
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout), "2\nafter\t1\n");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "lua_debug> lua_debug> lua_debug> (debug command):1: oops\n\
         lua_debug> (debug command):1: '<name>' expected near '='\nlua_debug> "
    );
}

/// An uncaught error's traceback is shortened as lua5.1's standalone interpreter
/// shortens it (its message handler and `debug.traceback` count as the first two
/// levels); the expected text is lua5.1's stderr for the same script.
#[test]
fn uncaught_error_traceback_skips_levels_as_lua51() {
    let dir = std::env::temp_dir().join(format!("luagc-traceback-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(
        dir.join("deep.lua"),
        "local function f(n) return 1 + f(n + 1) end\nf(1)\n",
    )
    .expect("write script");
    let output = Command::new(env!("CARGO_BIN_EXE_luagc"))
        .arg("deep.lua")
        .current_dir(&dir)
        .output()
        .expect("run luagc");
    let _ = std::fs::remove_dir_all(&dir);
    let expected: String = [
        "luagc: deep.lua:1: stack overflow\n",
        "stack traceback:\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\t...\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\tdeep.lua:1: in function 'f'\n",
        "\tdeep.lua:2: in main chunk\n",
        "\t[C]: ?\n",
    ]
    .concat();
    assert!(!output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stderr), expected);
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
    let settings = &json["settings"];
    assert!(
        settings["arena_bytes"]
            .as_u64()
            .is_some_and(|b| b.is_power_of_two())
            && settings["gc_threads"].as_u64().is_some_and(|t| t >= 1)
            && settings["pause_percent"].as_u64() == Some(200)
            && settings["stepmul_percent"].as_u64() == Some(200)
            && settings["mode"].is_null()
            && settings["step_deadline_ms"].as_f64().is_some(),
        "settings in {text}"
    );
}

/// `collectgarbage("collect")` is the program's pause, not the collector's: counted in
/// `explicit_ms` (and GC time), not in `pause_ms`, under every collector that collects.
#[test]
fn explicit_collections_are_reported_apart_from_the_collectors_pauses() {
    for info in registry().iter().filter(|info| info.collects) {
        let json = stats_json_of(
            &["--gc", info.name],
            "local t = {} for i = 1, 3 do t[i] = {} collectgarbage() end",
        );
        let text = json.to_string();
        assert_eq!(json["explicit_ms"]["count"].as_u64(), Some(3), "{text}");
        let explicit_max = json["explicit_ms"]["max"].as_f64().unwrap();
        let gc = json["gc_ms"].as_f64().unwrap();
        assert!(explicit_max > 0.0 && explicit_max <= gc, "{text}");
    }
}

/// Every pause is counted under one phase, and every cycle shows in them: as one full
/// pause (stop-the-world) or, for an incremental collector, as the one pause that ran its
/// atomic phase (the chunk has no finalizers, which can take a second). No step deadline,
/// so the counts are the allocation's, not the clock's.
#[test]
fn pauses_are_broken_down_by_phase() {
    for info in registry().iter().filter(|info| info.collects) {
        let json = stats_json_of(
            &["--gc", info.name, "--gc-step-deadline", "off"],
            "local t = {} for i = 1, 1e6 do t[i % 100] = {i} end",
        );
        let text = json.to_string();
        let phases = &json["pauses_by_phase_ms"];
        let count = |phase: &str| phases[phase]["count"].as_u64().expect(phase);
        let names = ["mark", "atomic", "sweep", "barrier", "full"];
        let total: u64 = names.iter().map(|phase| count(phase)).sum();
        assert_eq!(Some(total), json["pause_ms"]["count"].as_u64(), "{text}");
        let cycles = json["cycles"].as_u64().unwrap();
        assert!(cycles > 1, "{text}");
        let (full, atomic) = (count("full"), count("atomic"));
        assert!(
            (full, atomic) == (cycles, 0) || (full, atomic) == (0, cycles),
            "{}: {text}",
            info.name
        );
    }
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

/// Every collector breaks its peak memory down: the blocks in use hold at least the live
/// tables, the rest of the RSS is what the heap's terms leave, and the run's largest RSS
/// is about the sample's at least (the kernel updates its high-water mark lazily); with
/// --pause-cpu-time the GC time is given in CPU time too.
#[test]
fn stats_break_peak_memory_down() {
    let keep = "local t = {} for i = 1, 200000 do t[i] = {i, i} end";
    for gc in ["newgc", "stw", "lua51", "epsilon"] {
        let json = stats_json_of(&["--gc", gc, "--pause-cpu-time"], keep);
        let text = json.to_string();
        let f = &json["footprint_at_peak"];
        let bytes = |name: &str| f[name].as_u64().unwrap_or_else(|| panic!("{name}: {text}"));
        let heap_terms = ["in_use_bytes", "free_in_arenas_bytes", "empty_arenas_bytes"]
            .iter()
            .chain(&["large_used_bytes", "metadata_bytes"])
            .map(|name| bytes(name))
            .sum::<u64>();
        assert!(bytes("in_use_bytes") >= 200_000 * 32, "{gc}: {text}");
        let rss = bytes("rss_bytes");
        assert!(rss > 0, "{gc}: {text}");
        assert_eq!(
            rss.saturating_sub(heap_terms),
            bytes("other_bytes"),
            "{gc}: {text}"
        );
        assert!(
            bytes("code_bytes") > 0 && bytes("code_bytes") <= bytes("other_bytes"),
            "{gc}: the program's code is resident and part of the rest: {text}"
        );
        assert!(bytes("max_rss_bytes") >= rss / 4 * 3, "{gc}: {text}");
        // GC CPU time counts the worker threads too: at most one CPU per thread while
        // the collector ran.
        let cpu = json["gc_cpu_ms"].as_f64().expect("gc_cpu_ms");
        let threads = json["settings"]["gc_threads"].as_f64().expect("gc_threads");
        assert!(
            cpu >= 0.0 && cpu <= json["gc_ms"].as_f64().unwrap() * threads + 1.0,
            "{gc}: {text}"
        );
    }
}

/// luagc's --stats-json output for a small allocating script, run with `args`.
fn stats_json(args: &[&str]) -> serde_json::Value {
    stats_json_of(args, "local t = {} for i = 1, 1e6 do t[i % 100] = {i} end")
}

/// luagc's --stats-json output for `chunk`, run with `args`.
fn stats_json_of(args: &[&str], chunk: &str) -> serde_json::Value {
    let path = std::env::temp_dir().join(format!(
        "luagc-stats-{}-{}.json",
        std::process::id(),
        args.join("_").replace(['-', ' '], "")
    ));
    let output = Command::new(env!("CARGO_BIN_EXE_luagc"))
        .args(args)
        .args(["--stats-json"])
        .arg(&path)
        .args(["-e", chunk])
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
