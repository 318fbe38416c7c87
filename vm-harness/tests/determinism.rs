//! `luagc --gc-step-deadline off`: the same script, arguments and settings give the same
//! statistics run after run, times aside (cycles, pauses counted, heap sizes).

use std::process::Command;

/// A script with a churning live set of tables and strings, a weak table and a big table
/// written as it grows: many cycles of every kind.
const CHURN: &str = "
    local live, big = {}, {}
    local cache = setmetatable({}, {__mode = 'k'})
    for i = 1, 600000 do
      local t = {i, tostring(i % 1000) .. 'x'}
      live[i % 5000] = t
      if i % 3 == 0 then big[#big + 1] = t end
      if i % 7 == 0 then cache[t] = {i} end
      if #big > 20000 then big = {} end
    end
    print(#big)";

/// luagc's `--stats-json` for `CHURN` with `args`, without the fields the clock measures
/// (the pause count stays).
fn untimed_stats(args: &[&str], run: usize) -> serde_json::Value {
    let path = std::env::temp_dir().join(format!(
        "luagc-determinism-{}-{}-{run}.json",
        std::process::id(),
        args.join("_")
    ));
    let output = Command::new(env!("CARGO_BIN_EXE_luagc"))
        .args(args)
        .arg("--stats-json")
        .arg(&path)
        .args(["-e", CHURN])
        .output()
        .expect("run luagc");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&path).expect("stats file");
    let _ = std::fs::remove_file(&path);
    let mut json: serde_json::Value = serde_json::from_str(&text).expect("json");
    let object = json.as_object_mut().expect("an object");
    let pauses = object["pause_ms"]["count"].clone();
    let explicit = object["explicit_ms"]["count"].clone();
    let by_phase: serde_json::Map<String, serde_json::Value> = object["pauses_by_phase_ms"]
        .as_object()
        .expect("pauses_by_phase_ms")
        .iter()
        .map(|(phase, pauses)| (phase.clone(), pauses["count"].clone()))
        .collect();
    for timed in [
        "wall_ms",
        "gc_ms",
        "pause_ms",
        "pauses_by_phase_ms",
        "explicit_ms",
        "pause_cpu_ms",
        "mmu",
        "latency",
        "gc_cpu_ms",
        // Which atomic phase is the longest is the clock's choice.
        "longest_atomic_ms",
    ] {
        object.remove(timed);
    }
    // The process's RSS is the machine's; the heap's own terms must repeat.
    let footprint = object["footprint_at_peak"]
        .as_object_mut()
        .expect("footprint_at_peak");
    for process in ["rss_bytes", "max_rss_bytes", "other_bytes", "code_bytes"] {
        footprint.remove(process);
    }
    object.insert("pause_count".to_owned(), pauses);
    object.insert("explicit_count".to_owned(), explicit);
    object.insert("pause_count_by_phase".to_owned(), by_phase.into());
    json
}

#[test]
fn without_a_step_deadline_runs_repeat_their_statistics_exactly() {
    for mode in [
        &[][..],
        &["--gc-mode", "incremental"],
        &["--gc-mode", "generational"],
    ] {
        let mut args = vec!["--gc", "newgc", "--gc-step-deadline", "off"];
        args.extend_from_slice(mode);
        let first = untimed_stats(&args, 1);
        assert!(
            first["cycles"].as_u64().unwrap() >= 5 && first["pause_count"].as_u64().unwrap() > 0,
            "{mode:?}: too little collection to compare: {first}"
        );
        let second = untimed_stats(&args, 2);
        assert_eq!(first, second, "{mode:?}");
    }
}

#[test]
fn step_deadline_takes_milliseconds_or_off() {
    for (value, ok) in [
        ("0.25", true),
        ("2", true),
        ("off", true),
        ("0", false),
        ("x", false),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_luagc"))
            .args(["--gc-step-deadline", value, "-e", "print(1)"])
            .output()
            .expect("run luagc");
        assert_eq!(output.status.success(), ok, "{value}");
    }
}
