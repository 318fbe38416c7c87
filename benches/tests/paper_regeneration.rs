//! `papers/` holds no number the harness cannot regenerate: every results file in
//! `papers/results/` has its report and figures beside it (`papers/results/NAME/`) exactly
//! as `gcbench report` writes them, and every generated table block of `papers/newgc.md`
//! is what `gcbench report --paper` writes from those results. A stale copy fails with the
//! file's name; `papers/regenerate.sh` brings them all up to date.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use benches::gcbench::paper;
use benches::gcbench::report;
use benches::gcbench::results::Results;

fn papers() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../papers")
}

const FIX: &str = "run papers/regenerate.sh and commit what it changes";

/// The results files in papers/results/, in name order.
fn results_files() -> Vec<PathBuf> {
    let dir = papers().join("results");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} is missing or unreadable ({e}): {FIX}", path.display()))
}

#[test]
fn every_report_and_figure_in_papers_regenerates_from_its_results() {
    let files = results_files();
    assert!(!files.is_empty(), "no results file in papers/results/");
    for file in files {
        let results = Results::read(&file).unwrap();
        let dir = file.with_extension("");
        let (text, figures) = report::document(&results).unwrap();
        let report_md = dir.join("report.md");
        assert!(
            read(&report_md) == text,
            "{} differs from what `gcbench report` makes of {}: {FIX}",
            report_md.display(),
            file.display()
        );
        let figures_dir = dir.join(report::FIGURES_DIR);
        for f in &figures {
            let path = figures_dir.join(&f.file);
            assert!(
                read(&path) == f.svg,
                "{} differs from what `gcbench report` makes of {}: {FIX}",
                path.display(),
                file.display()
            );
        }
        let made: BTreeSet<&str> = figures.iter().map(|f| f.file.as_str()).collect();
        for entry in std::fs::read_dir(&figures_dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                made.contains(name.as_str()),
                "{} is not a figure `gcbench report` makes of {}: delete it",
                figures_dir.join(&name).display(),
                file.display()
            );
        }
    }
}

#[test]
fn the_papers_generated_tables_are_current() {
    let path = papers().join("newgc.md");
    let text = read(&path);
    let blocks = paper::blocks(&text, &path).unwrap();
    assert!(
        !blocks.is_empty(),
        "{} includes no generated table",
        path.display()
    );
    let regenerated = paper::rewrite(&text, &path).unwrap();
    if regenerated != text {
        let line = text
            .lines()
            .zip(regenerated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| text.lines().count().min(regenerated.lines().count()))
            + 1;
        panic!(
            "{}:{line}: a generated table differs from what `gcbench report --paper` makes of its results: {FIX}",
            path.display()
        );
    }
}
