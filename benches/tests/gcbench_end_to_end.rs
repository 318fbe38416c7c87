//! `gcbench run` end to end on a tiny matrix: a workload of the workloads crate at smoke
//! size, a user script whose checksum depends on the configuration (a mismatch that must
//! be reported loudly) and one that fails, two luagc configurations and an interpreter
//! that is not installed. Checks the exit status, the rotation of the order, the results
//! file, and that `gcbench report` reproduces what `run` printed (then adds the figures).
//!
//! Like `workloads_smoke.rs`, it needs vm-harness's `luagc` built in this target
//! directory (`cargo test --workspace --release` builds it).

use std::path::PathBuf;
use std::process::Command;

use benches::gcbench::results::Results;

/// `luagc` next to this test's profile directory, else in the workspace's target/release.
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
                "luagc not found (looked at {candidates:?}): `cargo build --release -p vm-harness`"
            )
        })
}

/// A fresh directory for one test's files (the test removes it).
fn scratch_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gcbench-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const MATRIX: &str = r#"
description = "end-to-end test"
invocations = 2
reference = "stw"

[[config]]
luagc = "stw"

[[config]]
name = "epsilon-x"
luagc = "epsilon"
args = ["-e", "X = 1"]

[[config]]
name = "absent"
interpreter = "no-such-lua-interpreter-for-gcbench"

[[workload]]
name = "fib"
size = "smoke"

[[workload]]
script = "mine.lua"
args = ["3"]

[[workload]]
script = "fails.lua"
checksum = false
"#;

#[test]
fn a_tiny_matrix_runs_reports_and_regenerates() {
    let dir = scratch_dir("e2e");
    std::fs::write(dir.join("m.toml"), MATRIX).unwrap();
    std::fs::write(
        dir.join("mine.lua"),
        "local t = {} for i = 1, 1000 do t[i] = {i} end\n\
         print('checksum mine ' .. arg[1] .. ' ' .. tostring(X))\n",
    )
    .unwrap();
    std::fs::write(dir.join("fails.lua"), "error('boom')\n").unwrap();
    let results_path = dir.join("r.json");

    let out = Command::new(env!("CARGO_BIN_EXE_gcbench"))
        .arg("run")
        .arg(dir.join("m.toml"))
        .arg("--luagc")
        .arg(luagc())
        .arg("--out")
        .arg(&results_path)
        .output()
        .expect("gcbench runs");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // A mismatch and failed runs: exit status 1, the rest of the matrix still ran.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("CHECKSUM MISMATCH in mine"), "{stderr}");
    assert!(stderr.contains("4 FAILED run(s)"), "{stderr}");
    assert!(stderr.contains("boom"), "{stderr}");

    let r = Results::read(&results_path).unwrap();
    assert!(r.complete);
    let names: Vec<&str> = r.configs.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["stw", "epsilon-x"]);
    assert!(
        r.notes.iter().any(|n| n.starts_with("skipping absent")),
        "{:?}",
        r.notes
    );
    assert_eq!(r.records.len(), 2 * 2 * 3);
    // The order rotates: stw starts round 1, epsilon-x round 2.
    let fib: Vec<(&str, usize, usize)> = r
        .records
        .iter()
        .filter(|x| x.workload == "fib")
        .map(|x| (x.config.as_str(), x.round, x.position))
        .collect();
    assert_eq!(
        fib,
        [
            ("stw", 0, 0),
            ("epsilon-x", 0, 1),
            ("epsilon-x", 1, 0),
            ("stw", 1, 1)
        ]
    );
    for x in &r.records {
        match x.workload.as_str() {
            "fib" => {
                assert!(x.ok, "{x:?}");
                assert_eq!(x.checksum.as_deref(), Some("checksum fib 20 6765"));
                assert!(x.stats.is_some() && x.wall_ms > 0.0 && x.max_rss_kb > 0);
            }
            "mine" => assert!(x.ok, "{x:?}"),
            "fails" => {
                assert!(
                    !x.ok && x.exit_code == Some(1) && x.checksum.is_none(),
                    "{x:?}"
                )
            }
            other => panic!("unexpected workload {other}"),
        }
    }
    assert!(stdout.contains("**CHECKSUM MISMATCH**"), "{stdout}");
    assert!(stdout.contains("`checksum mine 3 1`: epsilon-x (round 1), epsilon-x (round 2)"));
    assert!(
        stdout.contains("| `stw` **2 of 2 runs failed** | 0 |"),
        "{stdout}"
    );

    // `report` regenerates exactly what `run` printed.
    let status = Command::new(env!("CARGO_BIN_EXE_gcbench"))
        .arg("report")
        .arg(&results_path)
        .arg("--out")
        .arg(dir.join("report"))
        .status()
        .unwrap();
    assert!(status.success());
    let regenerated = std::fs::read_to_string(dir.join("report/report.md")).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let (tables, figures) = regenerated
        .split_once("\n# Figures\n")
        .expect("a figures section");
    assert_eq!(tables, stdout);
    assert!(figures.contains("(figures/wall-time.svg)"), "{figures}");
}

#[test]
fn a_bad_matrix_is_a_usage_error_naming_the_line() {
    let dir = scratch_dir("bad");
    let path = dir.join("bad.toml");
    std::fs::write(
        &path,
        "[[config]]\nluagc = \"stw\"\n[[workload]]\nname = \"fibb\"\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gcbench"))
        .arg("run")
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.toml:3: unknown workload \"fibb\""),
        "{stderr}"
    );
}

#[test]
fn the_minimum_heap_is_bracketed_by_real_runs() {
    let dir = scratch_dir("mh");
    let matrix = dir.join("m.toml");
    std::fs::write(
        &matrix,
        "[[config]]\nluagc = \"stw\"\n[[workload]]\nname = \"binary_trees\"\nsize = \"smoke\"\n",
    )
    .unwrap();
    let out_file = dir.join("mh.json");
    let out = Command::new(env!("CARGO_BIN_EXE_gcbench"))
        .arg("minheap")
        .arg(&matrix)
        .arg("--luagc")
        .arg(luagc())
        .arg("--out")
        .arg(&out_file)
        .output()
        .expect("gcbench runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let entry = &json["entries"][0];
    assert_eq!(entry["config"], "stw");
    let min = entry["result"]["min_heap_bytes"].as_u64().unwrap();
    let failing = entry["result"]["largest_failing_bytes"].as_u64().unwrap();
    // A real bracket within the 3% tolerance: luagc completed at `min` and ran out of
    // memory at `failing`.
    assert!(failing > 0 && failing < min, "{entry}");
    assert!(min as f64 <= failing as f64 * 1.03 + 1.0, "{entry}");
    let trials = entry["result"]["trials"].as_array().unwrap();
    assert!(
        trials.iter().any(|t| t[0] == min && t[1] == true),
        "{entry}"
    );
    assert!(
        trials.iter().any(|t| t[0] == failing && t[1] == false),
        "{entry}"
    );
}

#[test]
fn the_space_sweep_runs_at_each_point_with_a_reused_minimum_heap() {
    let dir = scratch_dir("sweep");
    let matrix = dir.join("m.toml");
    std::fs::write(
        &matrix,
        "invocations = 1\n[[config]]\nluagc = \"stw\"\n[[config]]\nluagc = \"epsilon\"\n\
         [[workload]]\nname = \"binary_trees\"\nsize = \"smoke\"\n\
         [sweep]\nheap_factors = [2, 4]\nsetpause = [150]\n",
    )
    .unwrap();
    // A cached minimum heap of 3 MB for stw (binary_trees at smoke size needs about 1.5).
    let cache = dir.join("mh.json");
    std::fs::write(
        &cache,
        serde_json::json!({ "entries": [{
            "workload": "binary_trees", "config": "stw", "args": ["12"],
            "unlimited_peak_heap_bytes": 4_000_000,
            "result": { "min_heap_bytes": 3_000_000, "largest_failing_bytes": 2_900_000, "trials": [] },
        }]})
        .to_string(),
    )
    .unwrap();
    let results_path = dir.join("r.json");
    let out = Command::new(env!("CARGO_BIN_EXE_gcbench"))
        .arg("run")
        .arg(&matrix)
        .arg("--luagc")
        .arg(luagc())
        .arg("--reuse-minheap")
        .arg(&cache)
        .arg("--out")
        .arg(&results_path)
        .output()
        .expect("gcbench runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let r = Results::read(&results_path).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    // epsilon does not collect: no sweep. stw: two heap factors and one setpause.
    let points: Vec<String> = r
        .records
        .iter()
        .filter_map(|x| Some(format!("{} {:?}", x.config, x.point?)))
        .collect();
    assert_eq!(
        points,
        [
            "stw HeapFactor { factor: 2.0, limit_bytes: 6000000 }",
            "stw HeapFactor { factor: 4.0, limit_bytes: 12000000 }",
            "stw Setpause { percent: 150 }",
        ]
    );
    for x in r.records.iter().filter(|x| x.point.is_some()) {
        assert!(x.ok, "{x:?}");
        let limit = x.stat(&["settings", "heap_limit_bytes"]);
        match x.point {
            Some(benches::gcbench::sweep::Point::HeapFactor { limit_bytes, .. }) => {
                assert_eq!(limit, Some(limit_bytes as f64))
            }
            _ => assert_eq!(limit, None),
        }
    }
    assert_eq!(r.min_heaps.len(), 1);
    assert!(stdout.contains("| `stw` | 2x min heap | 1 |"), "{stdout}");
    assert!(stdout.contains("| `stw` | setpause 150 | 1 |"), "{stdout}");
}

/// `gcbench` with `args`, its exit code, stdout and stderr.
fn gcbench(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gcbench"))
        .args(args)
        .output()
        .expect("gcbench runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn resume_completes_an_interrupted_results_file_and_refuses_a_changed_matrix() {
    let dir = scratch_dir("resume");
    let matrix = dir.join("m.toml");
    let text = "invocations = 3\n[[config]]\nluagc = \"stw\"\n[[config]]\nluagc = \"epsilon\"\n\
                [[workload]]\nname = \"fib\"\nsize = \"smoke\"\n\
                [[workload]]\nname = \"binary_trees\"\nsize = \"smoke\"\n\
                [sweep]\nheap_factors = [2]\nsetpause = [150]\n";
    std::fs::write(&matrix, text).unwrap();
    let cache = dir.join("mh.json");
    let entry = |w: &str, arg: &str| {
        serde_json::json!({
            "workload": w, "config": "stw", "args": [arg],
            "unlimited_peak_heap_bytes": 4_000_000,
            "result": { "min_heap_bytes": 3_000_000, "largest_failing_bytes": 2_900_000, "trials": [] },
        })
    };
    std::fs::write(
        &cache,
        serde_json::json!({ "entries": [entry("fib", "20"), entry("binary_trees", "12")] })
            .to_string(),
    )
    .unwrap();
    let results_path = dir.join("r.json");
    let luagc = luagc();
    let (code, _, stderr) = gcbench(&[
        "run".as_ref(),
        matrix.as_os_str(),
        "--luagc".as_ref(),
        luagc.as_os_str(),
        "--reuse-minheap".as_ref(),
        cache.as_os_str(),
        "--out".as_ref(),
        results_path.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let full = Results::read(&results_path).unwrap();
    // Per workload: 2 configurations x 3, and stw at 2 points x 3.
    assert_eq!(full.records.len(), 2 * (2 * 3 + 2 * 3));

    // Interrupted after binary_trees' first round: its later runs and the sweep missing.
    let mut cut = full.clone();
    cut.records.retain(|x| {
        x.workload == "fib" || (x.workload == "binary_trees" && x.point.is_none() && x.round == 0)
    });
    cut.complete = false;
    let kept = cut.records.clone();
    cut.write(&results_path).unwrap();
    let (code, stdout, stderr) = gcbench(&[
        "run".as_ref(),
        "--resume".as_ref(),
        results_path.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let resumed = Results::read(&results_path).unwrap();
    assert!(resumed.complete);
    assert_eq!(resumed.records[..kept.len()], kept[..]);
    let added: Vec<(&str, usize, Option<u64>)> = resumed.records[kept.len()..]
        .iter()
        .map(|x| {
            let limit = match x.point {
                Some(benches::gcbench::sweep::Point::HeapFactor { limit_bytes, .. }) => {
                    Some(limit_bytes)
                }
                _ => None,
            };
            (x.config.as_str(), x.round, limit)
        })
        .collect();
    // Rounds 1 and 2 of the plain runs (rotating), then the sweep at the minimum heap the
    // results kept (2 x 3 MB: not bisected again, though no --reuse-minheap was given).
    assert_eq!(
        added,
        [
            ("epsilon", 1, None),
            ("stw", 1, None),
            ("stw", 2, None),
            ("epsilon", 2, None),
            ("stw", 0, Some(6_000_000)),
            ("stw", 0, None),
            ("stw", 1, None),
            ("stw", 1, Some(6_000_000)),
            ("stw", 2, Some(6_000_000)),
            ("stw", 2, None),
        ]
    );
    assert_eq!(resumed.min_heaps, full.min_heaps);
    assert!(resumed.notes.iter().any(
        |n| n.starts_with("resumed 20") && n.ends_with(" UTC with 14 run(s) already recorded")
    ));
    assert!(stdout.contains("## binary_trees"), "{stdout}");

    // A complete file: nothing left to run.
    let (code, _, stderr) = gcbench(&[
        "run".as_ref(),
        "--resume".as_ref(),
        results_path.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        Results::read(&results_path).unwrap().records,
        resumed.records
    );

    // Another commit, or a changed matrix: refused, the file untouched.
    let mut moved = resumed.clone();
    moved.environment.git_commit = Some("0123456789abcdef".into());
    moved.write(&results_path).unwrap();
    let (code, _, stderr) = gcbench(&[
        "run".as_ref(),
        "--resume".as_ref(),
        results_path.as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("it was measured at 0123456789abcdef"),
        "{stderr}"
    );
    resumed.write(&results_path).unwrap();
    std::fs::write(&matrix, text.replace("invocations = 3", "invocations = 4")).unwrap();
    let (code, _, stderr) = gcbench(&[
        "run".as_ref(),
        "--resume".as_ref(),
        results_path.as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("changed since the run started"), "{stderr}");
    assert_eq!(Results::read(&results_path).unwrap(), resumed);
    // Selections belong to the run being resumed.
    let (code, _, stderr) = gcbench(&[
        "run".as_ref(),
        "--resume".as_ref(),
        results_path.as_os_str(),
        "--workloads".as_ref(),
        "fib".as_ref(),
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("cannot be used with"), "{stderr}");
}

#[test]
fn invocations_on_the_command_line_also_set_the_sweeps() {
    let dir = scratch_dir("inv");
    let matrix = dir.join("m.toml");
    std::fs::write(
        &matrix,
        "invocations = 3\n[[config]]\nluagc = \"stw\"\n\
         [[workload]]\nname = \"fib\"\nsize = \"smoke\"\n[sweep]\nsetpause = [150]\n",
    )
    .unwrap();
    let results_path = dir.join("r.json");
    let luagc = luagc();
    let (code, _, stderr) = gcbench(&[
        "run".as_ref(),
        matrix.as_os_str(),
        "--luagc".as_ref(),
        luagc.as_os_str(),
        "--invocations".as_ref(),
        "1".as_ref(),
        "--out".as_ref(),
        results_path.as_os_str(),
    ]);
    let r = Results::read(&results_path).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, Some(0), "{stderr}");
    let points: Vec<bool> = r.records.iter().map(|x| x.point.is_some()).collect();
    assert_eq!(points, [false, true]);
    assert_eq!(r.matrix.sweep.unwrap().invocations, 1);
}
