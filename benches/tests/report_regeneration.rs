//! `gcbench report` rebuilds the report from a results file alone, byte for byte: checked
//! on a small checked-in results file (two workloads at smoke size, six configurations,
//! three invocations) against the report `gcbench run` printed for it.
//!
//! If the report's layout changes on purpose, regenerate the expected file with
//! `target/release/gcbench report benches/tests/data/smoke-results.json --out DIR` and
//! copy `DIR/report.md` over `benches/tests/data/smoke-report.md`.

use std::path::PathBuf;
use std::process::Command;

use benches::gcbench::report;
use benches::gcbench::results::Results;
use benches::gcbench::stats::median;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn expected() -> String {
    std::fs::read_to_string(data("smoke-report.md")).expect("expected report")
}

#[test]
fn the_report_is_a_pure_function_of_the_results() {
    let results = Results::read(&data("smoke-results.json")).unwrap();
    assert_eq!(report::render(&results), expected());
}

#[test]
fn the_report_command_writes_the_same_bytes() {
    let out = std::env::temp_dir().join(format!("gcbench-report-test-{}", std::process::id()));
    let status = Command::new(env!("CARGO_BIN_EXE_gcbench"))
        .arg("report")
        .arg(data("smoke-results.json"))
        .arg("--out")
        .arg(&out)
        .status()
        .expect("gcbench runs");
    assert!(status.success());
    let written = std::fs::read_to_string(out.join("report.md")).unwrap();
    let _ = std::fs::remove_dir_all(&out);
    assert_eq!(written, expected());
}

#[test]
fn results_survive_a_round_trip() {
    let results = Results::read(&data("smoke-results.json")).unwrap();
    let path = std::env::temp_dir().join(format!("gcbench-rt-{}.json", std::process::id()));
    results.write(&path).unwrap();
    let again = Results::read(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(again, results);
}

#[test]
fn table_cells_are_the_medians_of_the_raw_runs() {
    // Recomputed here from the records, independently of the summary code.
    let results = Results::read(&data("smoke-results.json")).unwrap();
    let report = report::render(&results);
    assert!(!results.records.is_empty());
    for w in &results.matrix.workloads {
        let section = report
            .split("\n## ")
            .find(|s| s.starts_with(&format!("{}\n", w.name)))
            .unwrap_or_else(|| panic!("no section for {}", w.name));
        for c in &results.configs {
            let walls: Vec<f64> = results
                .records
                .iter()
                .filter(|r| r.workload == w.name && r.config == c.name && r.ok)
                .map(|r| r.wall_ms)
                .collect();
            let row_start = format!("| `{}`", c.name);
            let row = section
                .lines()
                .find(|l| l.starts_with(&row_start))
                .unwrap_or_else(|| panic!("no row for {} in {}", c.name, w.name));
            let cells: Vec<&str> = row.split(" | ").collect();
            assert_eq!(cells[1], walls.len().to_string(), "{row}");
            let wall = format!("{:.1} [", median(&walls).unwrap());
            assert!(cells[2].starts_with(&wall), "{row}: wall should be {wall}");
        }
    }
}

#[test]
fn a_file_of_another_format_is_refused() {
    let path = std::env::temp_dir().join(format!("gcbench-old-{}.json", std::process::id()));
    std::fs::write(&path, r#"{"tool": "gcbench", "format": 1}"#).unwrap();
    let err = Results::read(&path).unwrap_err();
    let _ = std::fs::remove_file(&path);
    assert!(err.contains("format Some(1)"), "{err}");
}
