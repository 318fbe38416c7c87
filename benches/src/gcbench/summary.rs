//! From raw runs to the numbers a reader compares, per workload: medians with 95%
//! bootstrap intervals, the lower-bound overhead (LBO) of each `luagc` configuration
//! after Cai et al., "Distilling the real cost of production garbage collectors"
//! (ISPASS 2022) in wall and in CPU time, the comparison with the reference
//! configuration, and the checksum cross-check.

use std::collections::BTreeMap;

use serde::Serialize;

use super::configs::{Config, Kind};
use super::latency::{merge, Clock, Latency};
use super::measure::RunRecord;
use super::stats::{
    median, median_ci, percentile_interval, resample_indices, seed_for, Estimate, SplitMix64,
    RESAMPLES,
};
use super::sweep::Point;

/// How a configuration's wall time compares with the reference's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// This is the reference.
    Reference,
    /// The 95% intervals overlap: the runs cannot tell the two apart.
    NoDifference,
    /// Faster, the intervals disjoint.
    Faster,
    /// Slower, the intervals disjoint.
    Slower,
}

impl Verdict {
    /// The words a table shows.
    pub fn text(self) -> &'static str {
        match self {
            Verdict::Reference => "reference",
            Verdict::NoDifference => "no difference",
            Verdict::Faster => "faster",
            Verdict::Slower => "slower",
        }
    }

    /// `a` against `reference`, by their intervals.
    pub fn of(a: &Estimate, reference: &Estimate) -> Verdict {
        if a.overlaps(reference) {
            Verdict::NoDifference
        } else if a.value < reference.value {
            Verdict::Faster
        } else {
            Verdict::Slower
        }
    }
}

/// One configuration on one workload, over its successful runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Configuration name.
    pub config: String,
    /// Which kind of program ran.
    pub kind: Kind,
    /// The point of the space sweep (`None`: the matrix proper).
    pub point: Option<Point>,
    /// Successful runs, which everything else is over.
    pub runs_ok: usize,
    /// Runs that failed (non-zero exit, signal, no checksum or no stats).
    pub runs_failed: usize,
    /// Wall time.
    pub wall_ms: Option<Estimate>,
    /// CPU time (user + system).
    pub cpu_ms: Option<Estimate>,
    /// GC time as luagc measures it.
    pub gc_ms: Option<Estimate>,
    /// LBO in wall time: this configuration's median wall time over the smallest median
    /// distilled (wall - GC) time of any luagc configuration.
    pub lbo_wall: Option<Estimate>,
    /// LBO in CPU time: median CPU time over the smallest median (CPU - GC) time.
    pub lbo_cpu: Option<Estimate>,
    /// Median wall time over the reference's.
    pub ratio_to_reference: Option<f64>,
    /// Wall time against the reference's.
    pub vs_reference: Option<Verdict>,
    /// The pauses of all successful runs and their MMU curves, in wall time.
    pub latency: Option<Latency>,
    /// The same in thread CPU time, for runs with `--pause-cpu-time`.
    pub latency_cpu: Option<Latency>,
    /// Why a run's latency record could not be read, if one could not.
    pub latency_problem: Option<String>,
    /// Median collection cycles.
    pub cycles: Option<f64>,
    /// Median peak heap (luagc's own count), MiB.
    pub peak_heap_mb: Option<f64>,
    /// Median peak RSS, MiB.
    pub peak_rss_mb: Option<f64>,
    /// Median steal time during a run.
    pub steal_ms: Option<f64>,
}

/// The summaries of one workload and the configurations whose LBO the data cannot tell
/// from the best one's.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadSummary {
    /// One per configuration, in the configurations' order.
    pub rows: Vec<Summary>,
    /// One per luagc configuration and point of the space sweep it ran at, in the
    /// configurations' order and then the order the points first ran in.
    pub sweep: Vec<Summary>,
    /// The luagc configuration with the lowest wall-time LBO, and the others whose
    /// intervals overlap its interval.
    pub best_lbo_wall: Option<(String, Vec<String>)>,
    /// The same in CPU time.
    pub best_lbo_cpu: Option<(String, Vec<String>)>,
}

/// Per-run samples of one luagc configuration, for the LBO bootstrap.
struct LboSamples {
    /// The round each run ran in.
    rounds: Vec<usize>,
    wall: Vec<f64>,
    cpu: Vec<f64>,
    gc: Vec<f64>,
    /// GC time to take from CPU time: in CPU time where every run measured it, else
    /// the wall-clock `gc`.
    gc_cpu: Vec<f64>,
}

/// Point estimates of (LBO wall, LBO CPU) for every configuration in `samples`, with
/// each configuration's runs taken at `pick(config, n)`'s indices.
fn lbo_point(
    samples: &[LboSamples],
    pick: &mut dyn FnMut(usize, usize) -> Vec<usize>,
) -> Vec<(f64, f64)> {
    let meds: Vec<(f64, f64, f64, f64)> = samples
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let idx = pick(k, s.wall.len());
            let med = |f: &dyn Fn(usize) -> f64| {
                median(&idx.iter().map(|&i| f(i)).collect::<Vec<_>>()).expect("runs")
            };
            (
                med(&|i| s.wall[i]),
                med(&|i| s.wall[i] - s.gc[i]),
                med(&|i| s.cpu[i]),
                med(&|i| s.cpu[i] - s.gc_cpu[i]),
            )
        })
        .collect();
    let base_wall = meds
        .iter()
        .map(|m| m.1)
        .filter(|d| *d > 0.0)
        .min_by(f64::total_cmp);
    let base_cpu = meds
        .iter()
        .map(|m| m.3)
        .filter(|d| *d > 0.0)
        .min_by(f64::total_cmp);
    meds.iter()
        .map(|m| {
            (
                base_wall.map_or(f64::NAN, |b| m.0 / b),
                base_cpu.map_or(f64::NAN, |b| m.2 / b),
            )
        })
        .collect()
}

/// The summary of `c` on `workload` at `point` (`None`: the matrix proper), over `runs`
/// (all of them, failed ones included), without LBO and the reference comparison.
fn summary_of(
    workload: &str,
    c: &Config,
    point: Option<Point>,
    runs: &[&RunRecord],
    seed: u64,
) -> Summary {
    let ok: Vec<&RunRecord> = runs.iter().copied().filter(|r| r.ok).collect();
    let values = |f: &dyn Fn(&RunRecord) -> Option<f64>| -> Vec<f64> {
        ok.iter().filter_map(|r| f(r)).collect()
    };
    let label = point.map(|p| p.label());
    let ci = |what: &str, v: Vec<f64>| {
        let mut parts = vec![workload, c.name.as_str()];
        parts.extend(label.as_deref());
        parts.push(what);
        median_ci(&v, seed_for(seed, &parts))
    };
    let med = |f: &dyn Fn(&RunRecord) -> Option<f64>| median(&values(f));
    let (wall_latency, cpu_latency) = (merge(&ok, Clock::Wall), merge(&ok, Clock::Cpu));
    Summary {
        config: c.name.clone(),
        kind: c.kind,
        point,
        runs_ok: ok.len(),
        runs_failed: runs.len() - ok.len(),
        wall_ms: ci("wall", values(&|r| Some(r.wall_ms))),
        cpu_ms: ci("cpu", values(&|r| Some(r.cpu_ms()))),
        gc_ms: ci("gc", values(&|r| r.gc_ms())),
        lbo_wall: None,
        lbo_cpu: None,
        ratio_to_reference: None,
        vs_reference: None,
        latency_problem: wall_latency
            .as_ref()
            .err()
            .or(cpu_latency.as_ref().err())
            .cloned(),
        latency: wall_latency.ok().flatten(),
        latency_cpu: cpu_latency.ok().flatten(),
        cycles: med(&|r| r.stat(&["cycles"])),
        peak_heap_mb: med(&|r| r.stat(&["peak_heap_bytes"]).map(|b| b / 1048576.0)),
        peak_rss_mb: med(&|r| Some(r.peak_rss_kb() / 1024.0)),
        steal_ms: med(&|r| r.steal_ms),
    }
}

/// Summaries of `configs` on `workload`, and of the luagc configurations at each point of
/// the space sweep they ran at. `reference` names the configuration ratios and verdicts
/// are against; `seed` is the matrix's bootstrap seed.
pub fn summarise(
    workload: &str,
    configs: &[Config],
    records: &[RunRecord],
    reference: Option<&str>,
    seed: u64,
) -> WorkloadSummary {
    let of_workload: Vec<&RunRecord> = records.iter().filter(|r| r.workload == workload).collect();
    let runs_of = |c: &Config, point: Option<Point>| -> Vec<&RunRecord> {
        of_workload
            .iter()
            .copied()
            .filter(|r| r.config == c.name && r.point == point)
            .collect()
    };
    let mut rows: Vec<Summary> = configs
        .iter()
        .map(|c| summary_of(workload, c, None, &runs_of(c, None), seed))
        .collect();
    let mut sweep: Vec<Summary> = Vec::new();
    for c in configs {
        let mut points: Vec<Point> = Vec::new();
        for p in of_workload
            .iter()
            .filter(|r| r.config == c.name)
            .filter_map(|r| r.point)
        {
            if !points.contains(&p) {
                points.push(p);
            }
        }
        for p in points {
            sweep.push(summary_of(workload, c, Some(p), &runs_of(c, Some(p)), seed));
        }
    }

    // LBO: every luagc configuration at every point measured (the sweep's heap sizes too)
    // with GC times in all its successful runs takes part in the baseline, epsilon
    // included (one more data point: its fresh-page cost can make it lose). The interval
    // comes from resampling rounds, every group's runs of a drawn round together, so the
    // baseline's own uncertainty is in it and what a round's runs share (the machine's
    // speed during those seconds, which moves every configuration alike) cancels in the
    // ratio, as it does in the measurement: a round runs every configuration.
    let mut members: Vec<(bool, usize)> = Vec::new();
    let mut samples: Vec<LboSamples> = Vec::new();
    let groups = rows
        .iter()
        .enumerate()
        .map(|(k, s)| ((false, k), s))
        .chain(sweep.iter().enumerate().map(|(k, s)| ((true, k), s)));
    for (member, s) in groups {
        let Some(c) = configs.iter().find(|c| c.name == s.config) else {
            continue;
        };
        if c.kind != Kind::Luagc {
            continue;
        }
        let ok: Vec<&RunRecord> = runs_of(c, s.point).into_iter().filter(|r| r.ok).collect();
        if ok.is_empty() || ok.iter().any(|r| r.gc_ms().is_none()) {
            continue;
        }
        members.push(member);
        let gc: Vec<f64> = ok.iter().map(|r| r.gc_ms().unwrap_or(0.0)).collect();
        let gc_cpu = ok
            .iter()
            .map(|r| r.gc_cpu_ms())
            .collect::<Option<Vec<f64>>>()
            .unwrap_or_else(|| gc.clone());
        samples.push(LboSamples {
            rounds: ok.iter().map(|r| r.round).collect(),
            wall: ok.iter().map(|r| r.wall_ms).collect(),
            cpu: ok.iter().map(|r| r.cpu_ms()).collect(),
            gc,
            gc_cpu,
        });
    }
    if !samples.is_empty() {
        let point = lbo_point(&samples, &mut |_, n| (0..n).collect());
        let mut rng = SplitMix64::new(seed_for(seed, &[workload, "lbo"]));
        let mut all_rounds: Vec<usize> = samples.iter().flat_map(|s| &s.rounds).copied().collect();
        all_rounds.sort_unstable();
        all_rounds.dedup();
        let mut drawn = Vec::new();
        let mut idx = Vec::new();
        let mut reps: Vec<(Vec<f64>, Vec<f64>)> =
            vec![(Vec::with_capacity(RESAMPLES), Vec::with_capacity(RESAMPLES)); samples.len()];
        for _ in 0..RESAMPLES {
            resample_indices(&mut rng, all_rounds.len(), &mut drawn);
            let one = lbo_point(&samples, &mut |k, n| {
                let rounds = &samples[k].rounds;
                let mut runs = Vec::new();
                for &d in &drawn {
                    runs.extend((0..n).filter(|&i| rounds[i] == all_rounds[d]));
                }
                if runs.is_empty() {
                    // None of this group's runs is in a drawn round (it failed in
                    // them): its own runs, resampled alone.
                    resample_indices(&mut rng, n, &mut idx);
                    idx.clone()
                } else {
                    runs
                }
            });
            for (k, (w, c)) in one.into_iter().enumerate() {
                reps[k].0.push(w);
                reps[k].1.push(c);
            }
        }
        for ((&(in_sweep, k), (w, c)), (rw, rc)) in members.iter().zip(point).zip(reps) {
            let interval = |value: f64, r: Vec<f64>| {
                value.is_finite().then(|| {
                    let (lo, hi) = percentile_interval(r);
                    Estimate { value, lo, hi }
                })
            };
            let row = if in_sweep {
                &mut sweep[k]
            } else {
                &mut rows[k]
            };
            row.lbo_wall = interval(w, rw);
            row.lbo_cpu = interval(c, rc);
        }
    }

    let reference_wall = reference
        .and_then(|name| rows.iter().find(|s| s.config == name))
        .and_then(|s| s.wall_ms);
    for s in &mut rows {
        if let (Some(w), Some(r)) = (s.wall_ms, reference_wall) {
            s.ratio_to_reference = Some(w.value / r.value);
            s.vs_reference = Some(if Some(s.config.as_str()) == reference {
                Verdict::Reference
            } else {
                Verdict::of(&w, &r)
            });
        }
    }
    let best = |get: &dyn Fn(&Summary) -> Option<Estimate>| {
        let (name, b) = rows
            .iter()
            .filter_map(|s| get(s).map(|e| (&s.config, e)))
            .min_by(|a, b| a.1.value.total_cmp(&b.1.value))?;
        let tied = rows
            .iter()
            .filter(|s| s.config != *name)
            .filter(|s| get(s).is_some_and(|e| e.overlaps(&b)))
            .map(|s| s.config.clone())
            .collect();
        Some((name.clone(), tied))
    };
    WorkloadSummary {
        best_lbo_wall: best(&|s| s.lbo_wall),
        best_lbo_cpu: best(&|s| s.lbo_cpu),
        rows,
        sweep,
    }
}

/// Configurations of one workload that printed different checksums.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mismatch {
    /// Each distinct checksum line with the configurations (and rounds) that printed it.
    pub checksums: BTreeMap<String, Vec<String>>,
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
            .push("expected".to_owned());
    }
    (checksums.len() > 1).then_some(Mismatch { checksums })
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
            program: PathBuf::from("x"),
            prelude: Vec::new(),
            note: String::new(),
            settings: None,
        }
    }

    fn record(config: &str, round: usize, wall: f64, gc: Option<f64>) -> RunRecord {
        RunRecord {
            workload: "w".to_owned(),
            config: config.to_owned(),
            round,
            position: 0,
            args: Vec::new(),
            wall_ms: wall,
            user_ms: wall * 1.5,
            sys_ms: 0.0,
            max_rss_kb: 2048,
            steal_ms: Some(0.0),
            exit_code: Some(0),
            signal: None,
            ok: true,
            checksum: Some("checksum w 1".to_owned()),
            stderr_tail: None,
            stats: gc
                .map(|gc| serde_json::json!({ "gc_ms": gc, "pause_ms": { "max": gc / 10.0 } })),
            point: None,
        }
    }

    /// CPU LBO takes luagc's GC CPU time (`gc_cpu_ms`) from CPU time where every run of
    /// a configuration has it, and the wall-clock GC time where one does not.
    #[test]
    fn cpu_lbo_subtracts_gc_cpu_time_when_measured() {
        let configs = [config("stw", Kind::Luagc), config("newgc", Kind::Luagc)];
        let with_cpu = |config: &str, round: usize, wall: f64, gc: f64, gc_cpu: f64| {
            let mut r = record(config, round, wall, Some(gc));
            r.stats.as_mut().unwrap()["gc_cpu_ms"] = serde_json::json!(gc_cpu);
            r
        };
        // CPU time is 1.5 x wall: stw 150 with 60 of GC CPU time (its wall GC time, 10,
        // is what a preempted collector's clock or parallel workers would misstate).
        let records = [
            with_cpu("stw", 0, 100.0, 10.0, 60.0),
            record("newgc", 0, 100.0, Some(20.0)),
        ];
        let s = summarise("w", &configs, &records, None, 1);
        // Distilled CPU: stw 150 - 60 = 90; newgc 150 - 20 = 130. Baseline 90.
        assert_eq!(s.rows[0].lbo_cpu.unwrap().value, 150.0 / 90.0);
        assert_eq!(s.rows[1].lbo_cpu.unwrap().value, 150.0 / 90.0);
        // In wall time both distil by their wall GC time: stw 90, newgc 80.
        assert_eq!(s.rows[0].lbo_wall.unwrap().value, 100.0 / 80.0);
    }

    #[test]
    fn lbo_is_against_the_smallest_distilled_median() {
        let configs = [
            config("stw", Kind::Luagc),
            config("epsilon", Kind::Luagc),
            config("lua5.4", Kind::Interpreter),
        ];
        let records = [
            record("stw", 0, 120.0, Some(30.0)),
            record("stw", 1, 110.0, Some(30.0)),
            record("stw", 2, 100.0, Some(10.0)),
            record("epsilon", 0, 100.0, Some(0.0)),
            record("lua5.4", 0, 200.0, None),
        ];
        let s = summarise("w", &configs, &records, Some("lua5.4"), 1);
        // stw distilled per run: 90, 80, 90 -> median 90 (not 110 - 30 = 80).
        let (stw, eps, lua) = (&s.rows[0], &s.rows[1], &s.rows[2]);
        assert_eq!(stw.lbo_wall.unwrap().value, 110.0 / 90.0);
        assert_eq!(eps.lbo_wall.unwrap().value, 100.0 / 90.0);
        // CPU: stw 180, 165, 150 minus GC -> 150, 135, 140: median 140; epsilon 150.
        assert_eq!(stw.lbo_cpu.unwrap().value, 165.0 / 140.0);
        assert_eq!(eps.lbo_cpu.unwrap().value, 150.0 / 140.0);
        assert_eq!(lua.lbo_wall, None);
        assert_eq!(lua.vs_reference, Some(Verdict::Reference));
        assert_eq!(stw.ratio_to_reference, Some(0.55));
        assert_eq!(stw.vs_reference, Some(Verdict::Faster));
        // No latency records in these runs.
        assert_eq!(stw.latency, None);
        assert_eq!(stw.latency_problem, None);
        assert_eq!(stw.peak_rss_mb, Some(2.0));
        // The interval of stw's LBO: its own runs resampled against the baseline's.
        let l = stw.lbo_wall.unwrap();
        assert!(l.lo <= l.value && l.value <= l.hi, "{l:?}");
        assert!(
            l.lo >= 100.0 / 90.0 - 1e-9 && l.hi <= 120.0 / 80.0 + 1e-9,
            "{l:?}"
        );
        // epsilon is the best; stw's interval overlaps it.
        assert_eq!(
            s.best_lbo_wall,
            Some(("epsilon".to_owned(), vec!["stw".to_owned()]))
        );
    }

    /// The LBO interval resamples rounds: a machine whose speed moves every configuration
    /// of a round alike leaves a configuration that is always twice the baseline's time
    /// at exactly 2, where resampling each configuration's runs alone would not.
    #[test]
    fn lbo_intervals_resample_rounds_together() {
        let configs = [config("stw", Kind::Luagc), config("newgc", Kind::Luagc)];
        let mut records = Vec::new();
        for round in 0..10 {
            let speed = [1.0, 1.6, 1.1, 2.0, 1.3, 1.0, 1.8, 1.2, 1.5, 1.1][round];
            records.push(record("stw", round, 100.0 * speed, Some(0.0)));
            records.push(record("newgc", round, 200.0 * speed, Some(0.0)));
        }
        let s = summarise("w", &configs, &records, None, 1);
        let l = s.rows[1].lbo_wall.unwrap();
        assert_eq!((l.lo, l.value, l.hi), (2.0, 2.0, 2.0));
    }

    #[test]
    fn sweep_runs_have_their_own_rows_and_share_the_lbo_baseline() {
        let configs = [config("stw", Kind::Luagc), config("epsilon", Kind::Luagc)];
        let at = |factor: f64| {
            Some(Point::HeapFactor {
                factor,
                limit_bytes: (factor * 1000.0) as u64,
            })
        };
        let mut records = vec![
            record("stw", 0, 110.0, Some(10.0)),
            record("epsilon", 0, 120.0, Some(0.0)),
        ];
        // stw at 2x: 300 ms, 250 of them GC (distilled 50, the lowest of all); at 4x:
        // 100 ms, 40 of them GC.
        for (factor, wall, gc) in [(2.0, 300.0, 250.0), (4.0, 100.0, 40.0)] {
            let mut r = record("stw", 0, wall, Some(gc));
            r.point = at(factor);
            records.push(r);
        }
        let s = summarise("w", &configs, &records, None, 1);
        // The main rows see only the main runs.
        assert_eq!(s.rows[0].wall_ms, Some(Estimate::exact(110.0)));
        assert_eq!(s.rows[0].point, None);
        let points: Vec<_> = s
            .sweep
            .iter()
            .map(|r| (r.config.as_str(), r.point))
            .collect();
        assert_eq!(points, [("stw", at(2.0)), ("stw", at(4.0))]);
        // Every LBO is over the sweep's lowest distilled time, 50 ms.
        assert_eq!(s.rows[0].lbo_wall.unwrap().value, 110.0 / 50.0);
        assert_eq!(s.rows[1].lbo_wall.unwrap().value, 120.0 / 50.0);
        assert_eq!(s.sweep[0].lbo_wall.unwrap().value, 300.0 / 50.0);
        assert_eq!(s.sweep[1].lbo_wall.unwrap().value, 100.0 / 50.0);
        assert_eq!(s.sweep[1].gc_ms, Some(Estimate::exact(40.0)));
    }

    #[test]
    fn disjoint_intervals_are_a_difference_and_overlapping_ones_are_not() {
        let configs = [
            config("a", Kind::Interpreter),
            config("b", Kind::Interpreter),
            config("c", Kind::Interpreter),
        ];
        let mut records = Vec::new();
        for (round, noise) in [0.0, 1.0, -1.0, 2.0, -2.0].into_iter().enumerate() {
            records.push(record("a", round, 100.0 + noise, None));
            records.push(record("b", round, 101.0 + noise, None));
            records.push(record("c", round, 150.0 + noise, None));
        }
        let s = summarise("w", &configs, &records, Some("a"), 3);
        assert_eq!(s.rows[1].vs_reference, Some(Verdict::NoDifference));
        assert_eq!(s.rows[2].vs_reference, Some(Verdict::Slower));
        let s = summarise("w", &configs, &records, Some("c"), 3);
        assert_eq!(s.rows[0].vs_reference, Some(Verdict::Faster));
    }

    #[test]
    fn failed_runs_are_counted_not_summarised() {
        let configs = [config("a", Kind::Luagc)];
        let mut bad = record("a", 1, 1.0, Some(0.5));
        bad.ok = false;
        let records = [record("a", 0, 10.0, Some(2.0)), bad];
        let s = summarise("w", &configs, &records, None, 1);
        assert_eq!((s.rows[0].runs_ok, s.rows[0].runs_failed), (1, 1));
        assert_eq!(s.rows[0].wall_ms, Some(Estimate::exact(10.0)));
        assert_eq!(s.rows[0].ratio_to_reference, None);
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
