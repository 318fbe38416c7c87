//! The minimum heap of a workload under a collector, as DaCapo Chopin and Cai et al.
//! define it: the smallest heap limit (`luagc --heap-limit`) at which the run completes.
//! Found by bracketing and then bisecting geometrically, so the answer is within a
//! relative tolerance whatever the heap's scale. Assumes that a run which completes at a
//! limit also completes at any larger one (true up to the collector's timing noise: the
//! trials are recorded, so a reader can see a non-monotonic one).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::configs::Config;
use super::matrix::WorkloadDef;
use super::measure::{run_once, RunRecord};

/// What one trial run at a heap limit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trial {
    /// The run completed (and printed the right checksum).
    Completed,
    /// The run stopped with "not enough memory".
    OutOfMemory,
}

/// The smallest limit tried is this: below it, the answer is "at most this".
pub const FLOOR_BYTES: u64 = 64 << 10;

/// Bisection stops after this many trials at most (an answer is then still reported,
/// with the bracket it reached).
pub const MAX_TRIALS: usize = 40;

/// The result of a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MinHeap {
    /// The smallest limit seen to complete: the minimum heap, to within the tolerance.
    pub min_heap_bytes: u64,
    /// The largest limit seen to fail for lack of memory (0: none did, down to
    /// [`FLOOR_BYTES`]).
    pub largest_failing_bytes: u64,
    /// Every trial in order: the limit and whether it completed.
    pub trials: Vec<(u64, bool)>,
}

/// Finds the minimum heap. `start` is a first guess at a limit that completes (the peak
/// heap of an unlimited run); `tolerance` the relative width the bracket is narrowed to
/// (0.03: within 3%). `run` runs the workload at a limit; an error (a failure other than
/// running out of memory) ends the search.
pub fn find(
    start: u64,
    tolerance: f64,
    run: &mut dyn FnMut(u64) -> Result<Trial, String>,
) -> Result<MinHeap, String> {
    let mut trials = Vec::new();
    let mut attempt = |limit: u64, trials: &mut Vec<(u64, bool)>| -> Result<bool, String> {
        if trials.len() >= MAX_TRIALS {
            return Err(format!("no answer after {MAX_TRIALS} trials: {trials:?}"));
        }
        let ok = run(limit)? == Trial::Completed;
        trials.push((limit, ok));
        Ok(ok)
    };
    // An upper end that completes: the guess, grown by half until it does.
    let mut hi = start.max(FLOOR_BYTES);
    while !attempt(hi, &mut trials)? {
        hi = hi.saturating_add(hi / 2);
    }
    // A lower end that fails: halved until it does, or the floor completes.
    let mut lo = hi;
    loop {
        if lo <= FLOOR_BYTES {
            return Ok(MinHeap {
                min_heap_bytes: hi,
                largest_failing_bytes: 0,
                trials,
            });
        }
        lo = (lo / 2).max(FLOOR_BYTES);
        if attempt(lo, &mut trials)? {
            hi = lo;
        } else {
            break;
        }
    }
    // Geometric bisection of (lo, hi]: the midpoint of the logarithms.
    while hi - lo > 1 && (hi as f64) > (lo as f64) * (1.0 + tolerance) {
        let mid = ((lo as f64 * hi as f64).sqrt() as u64).clamp(lo + 1, hi - 1);
        if attempt(mid, &mut trials)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(MinHeap {
        min_heap_bytes: hi,
        largest_failing_bytes: lo,
        trials,
    })
}

/// One workload under one configuration, as `gcbench minheap` records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Workload name.
    pub workload: String,
    /// Configuration name.
    pub config: String,
    /// The script's arguments.
    pub args: Vec<String>,
    /// luagc's peak heap in a run without a limit (the search's first guess).
    pub unlimited_peak_heap_bytes: u64,
    /// The search's result.
    pub result: MinHeap,
}

impl Entry {
    /// True when this is the entry of `w` under the configuration named `config`.
    pub fn is_for(&self, w: &WorkloadDef, config: &str) -> bool {
        self.workload == w.name && self.config == config && self.args == w.args
    }
}

/// The minimum heap of `w` under `c`: one run without a limit gives the checksum and the
/// first guess (its peak heap), then trials with `--heap-limit`, each told to `note`. A
/// run that fails other than with "not enough memory", or completes with another
/// checksum, is an error.
pub fn measure(
    c: &Config,
    w: &WorkloadDef,
    tolerance: f64,
    stats_dir: &Path,
    note: &mut dyn FnMut(String),
) -> Result<Entry, String> {
    let first = run_once(c, w, 0, 0, stats_dir)?;
    measure_after(&first, c, w, tolerance, stats_dir, note)
}

/// [`measure`] with `first`, a run of `c` on `w` without a limit, already made.
pub fn measure_after(
    first: &RunRecord,
    c: &Config,
    w: &WorkloadDef,
    tolerance: f64,
    stats_dir: &Path,
    note: &mut dyn FnMut(String),
) -> Result<Entry, String> {
    if !first.ok {
        return Err(format!(
            "fails without a limit: {}",
            first.stderr_tail.clone().unwrap_or_default()
        ));
    }
    let peak = first
        .stat(&["peak_heap_bytes"])
        .ok_or("no peak_heap_bytes in luagc's statistics")? as u64;
    let mut trial = |limit: u64| -> Result<Trial, String> {
        let mut limited = c.clone();
        limited.prelude.push(format!("--heap-limit={limit}"));
        let r = run_once(&limited, w, 0, 0, stats_dir)?;
        let tail = r.stderr_tail.clone().unwrap_or_default();
        note(format!(
            "{} {} at {:.2} MB: {}",
            w.name,
            c.name,
            limit as f64 / 1048576.0,
            if r.ok { "completes" } else { "fails" }
        ));
        if r.ok {
            if r.checksum != first.checksum {
                return Err(format!(
                    "checksum {:?} at --heap-limit={limit}, {:?} without",
                    r.checksum, first.checksum
                ));
            }
            Ok(Trial::Completed)
        } else if r.exit_code == Some(1) && tail.contains("not enough memory") {
            Ok(Trial::OutOfMemory)
        } else {
            Err(format!("at --heap-limit={limit}: {tail}"))
        }
    };
    let result = find(peak, tolerance, &mut trial)?;
    Ok(Entry {
        workload: w.name.clone(),
        config: c.name.clone(),
        args: w.args.clone(),
        unlimited_peak_heap_bytes: peak,
        result,
    })
}

/// The minimum heaps in `path`: a file `gcbench minheap` wrote (`entries`) or a results
/// file of `gcbench run` with a sweep (`min_heaps`).
pub fn read_cache(path: &Path) -> Result<Vec<Entry>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
    let list = json
        .get("entries")
        .or_else(|| json.get("min_heaps"))
        .ok_or_else(|| {
            format!(
                "{}: no minimum heaps (neither `entries` nor `min_heaps`)",
                path.display()
            )
        })?;
    serde_json::from_value(list.clone()).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake workload needing `need` bytes: completes at any limit >= need.
    fn fake(need: u64) -> impl FnMut(u64) -> Result<Trial, String> {
        move |limit| {
            Ok(if limit >= need {
                Trial::Completed
            } else {
                Trial::OutOfMemory
            })
        }
    }

    #[test]
    fn finds_the_minimum_within_the_tolerance() {
        for need in [100_000u64, 3 << 20, 50_000_000, 1_234_567_890] {
            for start in [need, need * 3, need / 3 + 1] {
                let mut runs = 0usize;
                let mut f = fake(need);
                let mut counting = |l: u64| {
                    runs += 1;
                    f(l)
                };
                let m = find(start, 0.03, &mut counting).unwrap();
                assert!(m.min_heap_bytes >= need, "{need} {start}: {m:?}");
                assert!(m.largest_failing_bytes < need, "{need} {start}: {m:?}");
                assert!(
                    m.min_heap_bytes as f64 <= need as f64 * 1.03,
                    "{need} {start}: {m:?}"
                );
                assert_eq!(m.trials.len(), runs);
                assert!(runs <= 16, "{need} {start}: {runs} trials");
                // Every trial is consistent with the fake's rule.
                for (limit, ok) in &m.trials {
                    assert_eq!(*ok, *limit >= need);
                }
            }
        }
    }

    #[test]
    fn a_workload_that_fits_the_floor_reports_the_floor() {
        let m = find(10 << 20, 0.03, &mut fake(1000)).unwrap();
        assert_eq!(m.min_heap_bytes, FLOOR_BYTES);
        assert_eq!(m.largest_failing_bytes, 0);
    }

    #[test]
    fn a_failure_other_than_memory_ends_the_search() {
        let mut n = 0;
        let err = find(1 << 20, 0.03, &mut |limit| {
            n += 1;
            if n == 3 {
                Err(format!("crashed at {limit}"))
            } else {
                Ok(Trial::Completed)
            }
        })
        .unwrap_err();
        assert!(err.starts_with("crashed at"), "{err}");
    }

    #[test]
    fn a_zero_tolerance_narrows_to_adjacent_limits() {
        let m = find(1 << 20, 0.0, &mut fake(700_001)).unwrap();
        assert_eq!(m.min_heap_bytes, 700_001);
        assert_eq!(m.largest_failing_bytes, 700_000);
    }

    #[test]
    fn cached_minimum_heaps_are_read_from_either_file() {
        let entry = Entry {
            workload: "w".into(),
            config: "stw".into(),
            args: vec!["3".into()],
            unlimited_peak_heap_bytes: 5000,
            result: find(4000, 0.03, &mut fake(3000)).unwrap(),
        };
        let dir = std::env::temp_dir().join(format!("gcbench-cache-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for key in ["entries", "min_heaps"] {
            let path = dir.join(format!("{key}.json"));
            let json = serde_json::json!({ "tool": "x", key: [&entry] });
            std::fs::write(&path, json.to_string()).unwrap();
            assert_eq!(read_cache(&path).unwrap(), std::slice::from_ref(&entry));
        }
        let path = dir.join("neither.json");
        std::fs::write(&path, "{}").unwrap();
        let e = read_cache(&path).unwrap_err();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(e.contains("no minimum heaps"), "{e}");
        let w = WorkloadDef {
            name: "w".into(),
            script: "w.lua".into(),
            args: vec!["3".into()],
            size: None,
            checksum: true,
            expect: None,
            line: 1,
        };
        assert!(entry.is_for(&w, "stw") && !entry.is_for(&w, "newgc"));
    }

    #[test]
    fn a_workload_that_never_completes_gives_up() {
        let err = find(1 << 20, 0.03, &mut |_| Ok(Trial::OutOfMemory)).unwrap_err();
        assert!(err.contains("no answer after 40 trials"), "{err}");
    }
}
