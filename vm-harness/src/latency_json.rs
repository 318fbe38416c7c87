//! The latency record `luagc --stats-json` writes under `latency`: what a harness needs
//! to merge the pauses of several runs and draw their MMU curves, in a few hundred bytes
//! whatever the number of pauses.
//!
//! - `pause_histogram_ns`: every pause the collector chose (explicit collections aside),
//!   in nanoseconds, as HdrHistogram's V2 deflate serialisation in base64
//!   (`gc_core::stats::PauseHistogram::encode`; any HdrHistogram library reads it).
//! - `mmu_windows_ms` and `mmu`: minimum mutator utilisation at each window, 0.1 ms to
//!   1 s (`gc_core::stats::MMU_WINDOWS_NS`), explicit collections included.
//! - With `--pause-cpu-time`, `pause_cpu_histogram_ns` and `mmu_cpu`: the same on the
//!   interpreter thread's CPU clock.

use gc_core::stats::MMU_WINDOWS_NS;
use gc_core::Stats;
use serde::Serialize;

/// See the module's documentation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatencyJson {
    /// The pauses in wall time, encoded.
    pub pause_histogram_ns: String,
    /// The pauses in thread CPU time, encoded, when measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pause_cpu_histogram_ns: Option<String>,
    /// The window lengths of `mmu` and `mmu_cpu`, in milliseconds.
    pub mmu_windows_ms: Vec<f64>,
    /// MMU in wall time at each window.
    pub mmu: Vec<f64>,
    /// MMU in thread CPU time at each window, when measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mmu_cpu: Option<Vec<f64>>,
}

impl LatencyJson {
    /// The latency record of `stats`.
    pub fn of(stats: &Stats) -> Self {
        LatencyJson {
            pause_histogram_ns: stats.pause_histogram.encode(),
            pause_cpu_histogram_ns: stats.pause_cpu_histogram.as_ref().map(|h| h.encode()),
            mmu_windows_ms: MMU_WINDOWS_NS.iter().map(|&w| w as f64 / 1e6).collect(),
            mmu: stats.mmu_curve.0.to_vec(),
            mmu_cpu: stats.mmu_cpu_curve.map(|c| c.0.to_vec()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gc_core::collectors::Stw;
    use gc_core::stats::PauseHistogram;
    use gc_core::testing::{RootList, TestModel};
    use gc_core::{Collector, HeapConfig};

    #[test]
    fn the_record_holds_the_pauses_and_the_curve() {
        let config = HeapConfig {
            pause_cpu_time: true,
            ..HeapConfig::default()
        };
        let mut gc = Stw::<TestModel>::new(config);
        let stats = gc.stats();
        let json = LatencyJson::of(&stats);
        assert_eq!(json.mmu_windows_ms.first(), Some(&0.1));
        assert_eq!(json.mmu_windows_ms.last(), Some(&1000.0));
        assert_eq!(json.mmu.len(), json.mmu_windows_ms.len());
        assert_eq!(json.mmu_cpu.as_ref().map(Vec::len), Some(json.mmu.len()));
        let decoded = PauseHistogram::decode::<u32>(&json.pause_histogram_ns).unwrap();
        assert_eq!(decoded.len(), 0);
        gc.collect(&mut RootList::default());
        // An explicit collection: in the MMU curve, not in the histogram.
        let after = LatencyJson::of(&gc.stats());
        let decoded = PauseHistogram::decode::<u32>(&after.pause_histogram_ns).unwrap();
        assert_eq!(decoded.len(), 0);
        assert!(after.pause_cpu_histogram_ns.is_some());
        let text = serde_json::to_string(&after).unwrap();
        assert!(text.len() < 1024, "{text}");
    }
}
