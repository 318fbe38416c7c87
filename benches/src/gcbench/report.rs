//! From raw runs to the numbers a reader compares: medians per configuration, the
//! lower-bound overhead (LBO) of each `luagc` collector after Cai et al., "Distilling the
//! real cost of production garbage collectors" (ISPASS 2022), ratios against the
//! reference interpreter, the checksum cross-check, and the Markdown table.

use std::collections::BTreeMap;

use serde::Serialize;

use super::configs::{Config, Kind};
use super::measure::RunRecord;

/// Medians of one configuration on one workload (over its successful runs).
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Workload name.
    pub workload: String,
    /// Configuration name.
    pub config: String,
    /// Which kind of program ran.
    pub kind: Kind,
    /// Successful runs, which the medians are over.
    pub runs_ok: usize,
    /// Runs that failed (non-zero exit, signal, no checksum or no stats).
    pub runs_failed: usize,
    /// Median wall time.
    pub wall_ms: Option<f64>,
    /// Median GC time (luagc only).
    pub gc_ms: Option<f64>,
    /// Median of wall - gc per run (luagc only).
    pub distilled_ms: Option<f64>,
    /// Median wall / the smallest distilled median over the luagc collectors.
    pub lbo: Option<f64>,
    /// Median of the runs' longest pause.
    pub pause_max_ms: Option<f64>,
    /// Median of the runs' 99th-percentile pause.
    pub pause_p99_ms: Option<f64>,
    /// Median of the runs' median pause.
    pub pause_p50_ms: Option<f64>,
    /// Median collection cycles.
    pub cycles: Option<f64>,
    /// Median peak RSS in MiB.
    pub peak_rss_mb: Option<f64>,
    /// Median wall / the reference configuration's median wall.
    pub ratio_to_reference: Option<f64>,
}

/// Configurations of one workload that printed different checksums.
#[derive(Debug, Clone, Serialize)]
pub struct Mismatch {
    /// Workload name.
    pub workload: String,
    /// Each distinct checksum line with the configurations (and rounds) that printed it.
    pub checksums: BTreeMap<String, Vec<String>>,
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

/// Summaries of `configs` on `workload`, with LBO and ratios filled in. `reference` is
/// the configuration ratios are against.
pub fn summarise(
    workload: &str,
    configs: &[Config],
    records: &[RunRecord],
    reference: Option<&str>,
) -> Vec<Summary> {
    let mut out: Vec<Summary> = configs
        .iter()
        .map(|c| {
            let runs: Vec<&RunRecord> = records
                .iter()
                .filter(|r| r.workload == workload && r.config == c.name)
                .collect();
            let ok: Vec<&RunRecord> = runs.iter().copied().filter(|r| r.ok).collect();
            let med = |f: &dyn Fn(&RunRecord) -> Option<f64>| {
                median(ok.iter().filter_map(|r| f(r)).collect())
            };
            let luagc = c.kind == Kind::Luagc;
            Summary {
                workload: workload.to_owned(),
                config: c.name.clone(),
                kind: c.kind,
                runs_ok: ok.len(),
                runs_failed: runs.len() - ok.len(),
                wall_ms: med(&|r| Some(r.wall_ms)),
                gc_ms: med(&|r| r.gc_ms()),
                distilled_ms: if luagc {
                    med(&|r| r.gc_ms().map(|gc| r.wall_ms - gc))
                } else {
                    None
                },
                lbo: None,
                pause_max_ms: med(&|r| r.stat(&["pause_ms", "max"])),
                pause_p99_ms: med(&|r| r.stat(&["pause_ms", "p99"])),
                pause_p50_ms: med(&|r| r.stat(&["pause_ms", "p50"])),
                cycles: med(&|r| r.stat(&["cycles"])),
                peak_rss_mb: med(&|r| Some(r.max_rss_kb as f64 / 1024.0)),
                ratio_to_reference: None,
            }
        })
        .collect();
    // The baseline is the cheapest mutator-only time any collector achieved: epsilon
    // included, as one more data point (its fresh-page cost can make it lose).
    let baseline = out
        .iter()
        .filter_map(|s| s.distilled_ms)
        .filter(|d| *d > 0.0)
        .min_by(f64::total_cmp);
    let reference_wall = reference
        .and_then(|name| out.iter().find(|s| s.config == name))
        .and_then(|s| s.wall_ms);
    for s in &mut out {
        if s.kind == Kind::Luagc {
            s.lbo = s.wall_ms.zip(baseline).map(|(w, b)| w / b);
        }
        s.ratio_to_reference = s.wall_ms.zip(reference_wall).map(|(w, r)| w / r);
    }
    out
}

/// The checksum cross-check of one workload: `None` when every successful run of every
/// configuration printed the same line (and it equals `expected`, when given).
pub fn check_checksums(
    workload: &str,
    records: &[RunRecord],
    expected: Option<&str>,
) -> Option<Mismatch> {
    let mut checksums: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in records.iter().filter(|r| r.workload == workload && r.ok) {
        if let Some(c) = &r.checksum {
            checksums.entry(c.clone()).or_default().push(format!(
                "{} (round {})",
                r.config,
                r.round + 1
            ));
        }
    }
    if let Some(e) = expected {
        checksums
            .entry(e.to_owned())
            .or_default()
            .push("expected (lua5.1, recorded in the workloads crate)".to_owned());
    }
    (checksums.len() > 1).then(|| Mismatch {
        workload: workload.to_owned(),
        checksums,
    })
}

fn cell(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{v:.decimals$}"))
}

/// The Markdown section of one workload: a heading, the checksum verdict and the table.
pub fn markdown(
    title: &str,
    configs: &[Config],
    summaries: &[Summary],
    checksum: Option<&str>,
    mismatch: Option<&Mismatch>,
    reference: Option<&str>,
) -> String {
    let mut s = format!("### {title}\n\n");
    match (mismatch, checksum) {
        (Some(m), _) => {
            s.push_str("**CHECKSUM MISMATCH**: the configurations disagree:\n\n");
            for (line, who) in &m.checksums {
                s.push_str(&format!("- `{line}`: {}\n", who.join(", ")));
            }
            s.push('\n');
        }
        (None, Some(c)) => s.push_str(&format!("All runs agree: `{c}`\n\n")),
        (None, None) => s.push_str("No run succeeded.\n\n"),
    }
    let ratio_head = reference.map_or_else(|| "÷ ref".to_owned(), |r| format!("÷ {r}"));
    s.push_str(&format!(
        "| config | wall ms | gc ms | distilled ms | LBO | max pause ms | p99 pause ms | peak RSS MB | {ratio_head} |\n"
    ));
    s.push_str("|:--|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for sum in summaries {
        let config = configs.iter().find(|c| c.name == sum.config);
        let mut name = sum.config.clone();
        if let Some(c) = config.filter(|c| !c.note.is_empty()) {
            name.push_str(&format!(" ({})", c.note));
        }
        if sum.runs_failed > 0 {
            name.push_str(&format!(
                " **{} of {} runs failed**",
                sum.runs_failed,
                sum.runs_failed + sum.runs_ok
            ));
        }
        s.push_str(&format!(
            "| {name} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            cell(sum.wall_ms, 1),
            cell(sum.gc_ms, 1),
            cell(sum.distilled_ms, 1),
            cell(sum.lbo, 2),
            cell(sum.pause_max_ms, 2),
            cell(sum.pause_p99_ms, 2),
            cell(sum.peak_rss_mb, 1),
            cell(sum.ratio_to_reference, 2),
        ));
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn config(name: &str, kind: Kind) -> Config {
        Config {
            name: name.to_owned(),
            kind,
            collector: None,
            peer: None,
            program: PathBuf::from("x"),
            prelude: Vec::new(),
            as_is: true,
            note: String::new(),
        }
    }

    fn record(config: &str, round: usize, wall: f64, gc: Option<f64>) -> RunRecord {
        RunRecord {
            workload: "w".to_owned(),
            config: config.to_owned(),
            round,
            args: Vec::new(),
            wall_ms: wall,
            user_ms: 0.0,
            sys_ms: 0.0,
            max_rss_kb: 2048,
            exit_code: Some(0),
            signal: None,
            ok: true,
            checksum: Some("checksum w 1".to_owned()),
            stderr_tail: None,
            stats: gc.map(|gc| serde_json::json!({ "gc_ms": gc, "pause_ms": { "max": 1.0 } })),
        }
    }

    #[test]
    fn medians() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }

    #[test]
    fn lbo_is_against_the_smallest_distilled_time() {
        let configs = [
            config("luagc/stw", Kind::Luagc),
            config("luagc/epsilon", Kind::Luagc),
            config("lua5.4", Kind::Peer),
        ];
        let records = [
            record("luagc/stw", 0, 120.0, Some(30.0)),
            record("luagc/stw", 1, 110.0, Some(30.0)),
            record("luagc/stw", 2, 100.0, Some(10.0)),
            record("luagc/epsilon", 0, 100.0, Some(0.0)),
            record("lua5.4", 0, 200.0, None),
        ];
        let s = summarise("w", &configs, &records, Some("lua5.4"));
        // stw: distilled per run 90, 80, 90 -> median 90 (not 110 - 30 = 80).
        assert_eq!(s[0].distilled_ms, Some(90.0));
        assert_eq!(s[1].distilled_ms, Some(100.0));
        assert_eq!(s[0].lbo, Some(110.0 / 90.0));
        assert_eq!(s[1].lbo, Some(100.0 / 90.0));
        assert_eq!(s[2].lbo, None);
        assert_eq!(s[2].distilled_ms, None);
        assert_eq!(s[2].ratio_to_reference, Some(1.0));
        assert_eq!(s[0].ratio_to_reference, Some(0.55));
        assert_eq!(s[0].pause_max_ms, Some(1.0));
        assert_eq!(s[0].peak_rss_mb, Some(2.0));
    }

    #[test]
    fn checksums_are_cross_checked() {
        let mut records = vec![record("a", 0, 1.0, None), record("b", 0, 1.0, None)];
        assert!(check_checksums("w", &records, None).is_none());
        assert!(check_checksums("w", &records, Some("checksum w 1")).is_none());
        assert!(check_checksums("w", &records, Some("checksum w 2")).is_some());
        records[1].checksum = Some("checksum w 3".to_owned());
        let m = check_checksums("w", &records, None).unwrap();
        assert_eq!(m.checksums.len(), 2);
        // Failed runs are reported as failures, not as mismatches.
        records[1].ok = false;
        assert!(check_checksums("w", &records, None).is_none());
    }
}
