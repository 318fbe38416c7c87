//! The space sweep of a matrix (DaCapo Chopin; Cai et al., ISPASS 2022): each luagc
//! configuration runs at several heap sizes, given as multiples of its minimum heap on
//! the workload (`--heap-limit`), and along Lua's own space knob, the pause between
//! cycles (`collectgarbage('setpause', P)` before the script), so time can be plotted
//! against space.
//!
//! ```toml
//! [sweep]
//! heap_factors = [1.5, 2, 3, 4, 6]   # x the minimum heap (bisected, or --reuse-minheap)
//! setpause = [100, 150, 200, 300]    # percent
//! invocations = 3                    # default: the matrix's
//! tolerance = 0.03                   # of the minimum heap's bisection
//! ```

use serde::{Deserialize, Serialize};

/// `[sweep]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SweepSpec {
    #[serde(default)]
    heap_factors: Vec<f64>,
    #[serde(default)]
    setpause: Vec<u32>,
    invocations: Option<usize>,
    tolerance: Option<f64>,
}

/// The sweep, checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// Heap limits as multiples of the minimum heap, ascending.
    pub heap_factors: Vec<f64>,
    /// `setpause` values (percent), ascending.
    pub setpause: Vec<u32>,
    /// Runs of each configuration at each point.
    pub invocations: usize,
    /// The relative precision the minimum heap is bisected to.
    pub tolerance: f64,
}

/// The default precision of the minimum heap: 3%, well inside the gaps between the
/// heap factors a sweep uses.
pub const DEFAULT_TOLERANCE: f64 = 0.03;

impl Sweep {
    /// Checks `spec`; `invocations` is the matrix's, the default.
    pub(super) fn from_spec(spec: &SweepSpec, invocations: usize) -> Result<Sweep, String> {
        if spec.heap_factors.is_empty() && spec.setpause.is_empty() {
            return Err("a [sweep] needs `heap_factors` or `setpause`".into());
        }
        if let Some(f) = spec
            .heap_factors
            .iter()
            .find(|f| !(f.is_finite() && **f >= 1.0))
        {
            return Err(format!(
                "heap factor {f} is below 1: the run cannot complete under its minimum heap"
            ));
        }
        if spec.setpause.contains(&0) {
            return Err("setpause 0 collects without pause: give percentages above 0".into());
        }
        let tolerance = spec.tolerance.unwrap_or(DEFAULT_TOLERANCE);
        if !(tolerance > 0.0 && tolerance < 1.0) {
            return Err(format!("tolerance {tolerance} is not between 0 and 1"));
        }
        let invocations = spec.invocations.unwrap_or(invocations);
        if invocations == 0 {
            return Err("the sweep's invocations must be at least 1".into());
        }
        let mut heap_factors = spec.heap_factors.clone();
        heap_factors.sort_by(f64::total_cmp);
        heap_factors.dedup();
        let mut setpause = spec.setpause.clone();
        setpause.sort_unstable();
        setpause.dedup();
        Ok(Sweep {
            heap_factors,
            setpause,
            invocations,
            tolerance,
        })
    }

    /// The points a configuration runs at: the heap factors (when its minimum heap is
    /// known), then the setpause values.
    pub fn points(&self, min_heap_bytes: Option<u64>) -> Vec<Point> {
        let heap = min_heap_bytes.into_iter().flat_map(|min| {
            self.heap_factors
                .iter()
                .map(move |&factor| Point::HeapFactor {
                    factor,
                    limit_bytes: (min as f64 * factor).ceil() as u64,
                })
        });
        let pause = self
            .setpause
            .iter()
            .map(|&percent| Point::Setpause { percent });
        heap.chain(pause).collect()
    }
}

/// Where on the sweep a run was made.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Point {
    /// With `--heap-limit` at `factor` x the minimum heap.
    HeapFactor {
        /// The multiple of the minimum heap.
        factor: f64,
        /// The limit it came to.
        limit_bytes: u64,
    },
    /// With `collectgarbage('setpause', percent)` run before the script.
    Setpause {
        /// The pause, in percent of the live heap.
        percent: u32,
    },
}

impl Point {
    /// As tables show it: `2x min heap`, `setpause 150`.
    pub fn label(&self) -> String {
        match self {
            Point::HeapFactor { factor, .. } => format!("{factor}x min heap"),
            Point::Setpause { percent } => format!("setpause {percent}"),
        }
    }

    /// The luagc options that put a run there.
    pub fn args(&self) -> Vec<String> {
        match self {
            Point::HeapFactor { limit_bytes, .. } => vec![format!("--heap-limit={limit_bytes}")],
            Point::Setpause { percent } => vec![
                "-e".to_owned(),
                format!("collectgarbage('setpause', {percent})"),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(heap_factors: Vec<f64>, setpause: Vec<u32>) -> SweepSpec {
        SweepSpec {
            heap_factors,
            setpause,
            invocations: None,
            tolerance: None,
        }
    }

    #[test]
    fn points_are_sorted_and_limits_rounded_up() {
        let s = Sweep::from_spec(&spec(vec![3.0, 1.5, 3.0], vec![200, 100]), 4).unwrap();
        assert_eq!(s.heap_factors, [1.5, 3.0]);
        assert_eq!((s.invocations, s.tolerance), (4, DEFAULT_TOLERANCE));
        let p = s.points(Some(1001));
        assert_eq!(
            p,
            [
                Point::HeapFactor {
                    factor: 1.5,
                    limit_bytes: 1502
                },
                Point::HeapFactor {
                    factor: 3.0,
                    limit_bytes: 3003
                },
                Point::Setpause { percent: 100 },
                Point::Setpause { percent: 200 },
            ]
        );
        assert_eq!(s.points(None).len(), 2);
        assert_eq!(p[0].args(), ["--heap-limit=1502"]);
        assert_eq!(p[0].label(), "1.5x min heap");
        assert_eq!(p[3].args(), ["-e", "collectgarbage('setpause', 200)"]);
    }

    #[test]
    fn bad_sweeps_are_refused() {
        let e = |s: SweepSpec| Sweep::from_spec(&s, 3).unwrap_err();
        assert!(e(spec(vec![], vec![])).contains("needs"));
        assert!(e(spec(vec![0.5], vec![])).contains("below 1"));
        assert!(e(spec(vec![f64::NAN], vec![])).contains("below 1"));
        assert!(e(spec(vec![], vec![0])).contains("setpause 0"));
        let mut s = spec(vec![2.0], vec![]);
        s.tolerance = Some(1.5);
        assert!(e(s).contains("tolerance"));
        let mut s = spec(vec![2.0], vec![]);
        s.invocations = Some(0);
        assert!(e(s).contains("invocations"));
    }
}
