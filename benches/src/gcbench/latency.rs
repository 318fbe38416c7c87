//! Latency over invocations, from the `latency` record of `luagc --stats-json`: the
//! pause histograms of every successful run added together (so a percentile is over all
//! the pauses of all runs, not a median of per-run percentiles), and the MMU curve at
//! each window as the median and the minimum over runs. Both in wall time and, for runs
//! with `--pause-cpu-time`, in the interpreter thread's CPU time.

use gc_core::stats::PauseHistogram;
use hdrhistogram::Histogram;
use serde_json::Value;

use super::measure::RunRecord;
use super::stats::median;

/// The percentiles the report gives, as quantiles, with their column names.
pub const PERCENTILES: [(f64, &str); 4] =
    [(0.5, "p50"), (0.9, "p90"), (0.99, "p99"), (0.999, "p99.9")];

/// Which clock the pauses were timed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Wall time.
    Wall,
    /// The interpreter thread's CPU time (`--pause-cpu-time`).
    Cpu,
}

impl Clock {
    /// The keys of the histogram and the MMU curve in the `latency` record.
    fn keys(self) -> (&'static str, &'static str) {
        match self {
            Clock::Wall => ("pause_histogram_ns", "mmu"),
            Clock::Cpu => ("pause_cpu_histogram_ns", "mmu_cpu"),
        }
    }

    /// As tables name it.
    pub fn name(self) -> &'static str {
        match self {
            Clock::Wall => "wall",
            Clock::Cpu => "CPU",
        }
    }
}

/// One configuration's pauses over its runs, on one clock.
#[derive(Debug, Clone, PartialEq)]
pub struct Latency {
    /// Runs that reported this clock.
    pub runs: usize,
    /// Every pause of those runs, in nanoseconds.
    pub pauses: Histogram<u64>,
    /// The window lengths of the MMU curve, in milliseconds.
    pub mmu_windows_ms: Vec<f64>,
    /// At each window, the median of the runs' MMU.
    pub mmu_median: Vec<f64>,
    /// At each window, the lowest MMU of any run.
    pub mmu_min: Vec<f64>,
}

impl Latency {
    /// The pause at quantile `q` in milliseconds (`None` without pauses).
    pub fn pause_ms(&self, q: f64) -> Option<f64> {
        (!self.pauses.is_empty()).then(|| self.pauses.value_at_quantile(q) as f64 / 1e6)
    }

    /// The longest pause in milliseconds.
    pub fn max_ms(&self) -> Option<f64> {
        (!self.pauses.is_empty()).then(|| self.pauses.max() as f64 / 1e6)
    }

    /// The pause distribution as (pause ms, fraction of pauses at most that long), one
    /// point per histogram bucket that holds pauses.
    pub fn cdf(&self) -> Vec<(f64, f64)> {
        let total = self.pauses.len() as f64;
        let mut seen = 0u64;
        self.pauses
            .iter_recorded()
            .map(|v| {
                seen += v.count_at_value();
                (
                    self.pauses.highest_equivalent(v.value_iterated_to()) as f64 / 1e6,
                    seen as f64 / total,
                )
            })
            .collect()
    }
}

/// The numbers of a JSON array.
fn numbers(v: &Value) -> Option<Vec<f64>> {
    v.as_array()?.iter().map(Value::as_f64).collect()
}

/// The merged latency of `runs` (successful runs of one configuration) on `clock`;
/// `None` when none of them reported it. A run whose record is unreadable is an error.
pub fn merge(runs: &[&RunRecord], clock: Clock) -> Result<Option<Latency>, String> {
    let (hist_key, mmu_key) = clock.keys();
    let mut merged: Option<Latency> = None;
    let mut curves: Vec<Vec<f64>> = Vec::new();
    for r in runs {
        let Some(record) = r.stats.as_ref().and_then(|s| s.get("latency")) else {
            continue;
        };
        let Some(text) = record.get(hist_key).and_then(Value::as_str) else {
            continue;
        };
        let what = || format!("{} {} round {}", r.workload, r.config, r.round + 1);
        let h = PauseHistogram::decode::<u64>(text).map_err(|e| format!("{}: {e}", what()))?;
        let windows = record
            .get("mmu_windows_ms")
            .and_then(numbers)
            .ok_or_else(|| format!("{}: no mmu_windows_ms", what()))?;
        let curve = record
            .get(mmu_key)
            .and_then(numbers)
            .filter(|c| c.len() == windows.len())
            .ok_or_else(|| format!("{}: no {mmu_key} of {} windows", what(), windows.len()))?;
        match &mut merged {
            None => {
                merged = Some(Latency {
                    runs: 1,
                    pauses: h,
                    mmu_windows_ms: windows,
                    mmu_median: Vec::new(),
                    mmu_min: Vec::new(),
                })
            }
            Some(m) => {
                if m.mmu_windows_ms != windows {
                    return Err(format!(
                        "{}: other MMU windows than the first run's",
                        what()
                    ));
                }
                m.pauses
                    .add(&h)
                    .map_err(|e| format!("{}: histograms do not add: {e:?}", what()))?;
                m.runs += 1;
            }
        }
        curves.push(curve);
    }
    if let Some(m) = &mut merged {
        let at = |k: usize| curves.iter().map(|c| c[k]).collect::<Vec<f64>>();
        let n = m.mmu_windows_ms.len();
        m.mmu_median = (0..n).map(|k| median(&at(k)).unwrap_or(f64::NAN)).collect();
        m.mmu_min = (0..n)
            .map(|k| at(k).into_iter().fold(f64::INFINITY, f64::min))
            .collect();
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(pauses_us: &[u64]) -> String {
        let mut log = gc_core::stats::PauseLog::default();
        let now = std::time::Instant::now();
        for &p in pauses_us {
            log.record(now, std::time::Duration::from_micros(p));
        }
        log.stats(gc_core::HeapSizes::default())
            .pause_histogram
            .encode()
    }

    fn run(round: usize, pauses_us: &[u64], mmu: [f64; 3], cpu: bool) -> RunRecord {
        let mut r = RunRecord::not_started("w", "c", round, 0, &[], String::new());
        r.ok = true;
        let mut latency = serde_json::json!({
            "pause_histogram_ns": encoded(pauses_us),
            "mmu_windows_ms": [0.1, 1.0, 10.0],
            "mmu": mmu,
        });
        if cpu {
            latency["pause_cpu_histogram_ns"] = encoded(&[1]).into();
            latency["mmu_cpu"] = serde_json::json!([0.5, 0.6, 0.7]);
        }
        r.stats = Some(serde_json::json!({ "latency": latency }));
        r
    }

    #[test]
    fn percentiles_are_over_every_pause_of_every_run() {
        // Run 1: 90 pauses of 10 µs; run 2: 9 of 100 µs and one of 5 ms. Per-run p99s
        // would be 10 µs and 5 ms; over all 100 pauses p90 is 10 µs, p99 100 µs.
        let a = run(0, &[10; 90], [0.0, 0.5, 0.9], true);
        let mut slow = vec![100; 9];
        slow.push(5000);
        let b = run(1, &slow, [0.2, 0.4, 0.95], false);
        let c = run(2, &[10], [0.1, 0.6, 0.8], false);
        let l = merge(&[&a, &b, &c], Clock::Wall).unwrap().unwrap();
        assert_eq!(l.runs, 3);
        assert_eq!(l.pauses.len(), 101);
        let close = |got: Option<f64>, want: f64| {
            let g = got.unwrap();
            assert!((g - want).abs() <= want * 0.001, "{g} vs {want}");
        };
        close(l.pause_ms(0.5), 0.010);
        close(l.pause_ms(0.9), 0.010);
        close(l.pause_ms(0.99), 0.100);
        close(l.max_ms(), 5.0);
        assert_eq!(l.mmu_windows_ms, [0.1, 1.0, 10.0]);
        assert_eq!(l.mmu_median, [0.1, 0.5, 0.9]);
        assert_eq!(l.mmu_min, [0.0, 0.4, 0.8]);
        // The CDF climbs to 1 over increasing pauses.
        let cdf = l.cdf();
        assert_eq!(cdf.len(), 3);
        assert!((cdf[0].1 - 91.0 / 101.0).abs() < 1e-12, "{cdf:?}");
        assert_eq!(cdf.last().unwrap().1, 1.0);
        assert!(cdf.windows(2).all(|p| p[0].0 < p[1].0));
        // Only the first run timed CPU pauses.
        let cpu = merge(&[&a, &b, &c], Clock::Cpu).unwrap().unwrap();
        assert_eq!((cpu.runs, cpu.pauses.len()), (1, 1));
        assert_eq!(cpu.mmu_median, [0.5, 0.6, 0.7]);
    }

    #[test]
    fn runs_without_a_record_are_left_out_and_bad_records_are_errors() {
        let bare = RunRecord::not_started("w", "c", 0, 0, &[], String::new());
        assert_eq!(merge(&[&bare], Clock::Wall).unwrap(), None);
        let mut bad = run(0, &[1], [1.0, 1.0, 1.0], false);
        bad.stats.as_mut().unwrap()["latency"]["pause_histogram_ns"] = "xx".into();
        assert!(merge(&[&bad], Clock::Wall)
            .unwrap_err()
            .contains("w c round 1"));
        let mut short = run(0, &[1], [1.0, 1.0, 1.0], false);
        short.stats.as_mut().unwrap()["latency"]["mmu"] = serde_json::json!([1.0]);
        assert!(merge(&[&short], Clock::Wall).is_err());
    }
}
