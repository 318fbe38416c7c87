//! `gcbench report` rebuilds the report and its figures from a results file alone, byte
//! for byte: checked on a small checked-in results file (`smoke-matrix.toml`: two
//! workloads at smoke size, luagc's collectors with CPU-time pauses, two interpreters, a
//! small space sweep) against the report checked in beside it.
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
    let (text, figures) = report::document(&results).unwrap();
    assert_eq!(text, expected());
    // The tables are what `run` printed; the figures section follows them.
    assert!(text.starts_with(&report::render(&results)));
    // Figures are byte-stable too, and each is linked.
    let (_, again) = report::document(&results).unwrap();
    assert_eq!(figures.len(), again.len());
    for (a, b) in figures.iter().zip(&again) {
        assert_eq!((&a.file, &a.svg), (&b.file, &b.svg));
        assert!(a.svg.starts_with("<svg") && a.svg.trim_end().ends_with("</svg>"));
        assert!(
            text.contains(&format!("({}/{})", report::FIGURES_DIR, a.file)),
            "{} is not linked",
            a.file
        );
    }
    // The data has a sweep and CPU-time pauses: every kind of figure is drawn.
    let files: Vec<&str> = figures.iter().map(|f| f.file.as_str()).collect();
    for want in [
        "wall-time.svg",
        "binary_trees-time-space.svg",
        "binary_trees-lbo.svg",
        "binary_trees-pause-cdf.svg",
        "binary_trees-mmu.svg",
        "lru_cache-mmu.svg",
    ] {
        assert!(files.contains(&want), "{want} missing from {files:?}");
    }
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
    let results = Results::read(&data("smoke-results.json")).unwrap();
    let (_, figures) = report::document(&results).unwrap();
    let on_disk: Vec<String> = figures
        .iter()
        .map(|f| std::fs::read_to_string(out.join(report::FIGURES_DIR).join(&f.file)).unwrap())
        .collect();
    let _ = std::fs::remove_dir_all(&out);
    assert_eq!(written, expected());
    for (f, svg) in figures.iter().zip(on_disk) {
        assert_eq!(f.svg, svg, "{}", f.file);
    }
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
                .filter(|r| r.point.is_none())
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
