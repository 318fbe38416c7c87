//! Statistics every collector reports: pauses, GC time, cycles, allocation and heap sizes.
//!
//! Pauses go into an HdrHistogram of nanoseconds (3 significant digits, 1 ns to 1 hour),
//! so percentiles stay exact to 0.1% at any run length and memory stays constant.

use std::time::Duration;

use hdrhistogram::Histogram;

use crate::heap::Heap;

/// Pause percentiles.
#[derive(Copy, Clone, Default, Debug, PartialEq)]
pub struct PauseSummary {
    /// Number of pauses.
    pub count: u64,
    /// Median pause.
    pub p50: Duration,
    /// 99th-percentile pause.
    pub p99: Duration,
    /// Longest pause.
    pub max: Duration,
}

/// A snapshot of a collector's statistics.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    /// Collection cycles run.
    pub cycles: u64,
    /// Total time spent in the collector (all pauses).
    pub gc_time: Duration,
    /// Pause percentiles.
    pub pauses: PauseSummary,
    /// Bytes allocated over the heap's life (block sizes, rounded to cells; huge blocks
    /// count their mapping).
    pub allocated_bytes: u64,
    /// Bytes in reachable blocks after the last collection.
    pub live_bytes: u64,
    /// Bytes in allocated blocks now (live plus allocated since the last collection).
    pub heap_bytes: u64,
    /// Largest `heap_bytes` seen.
    pub peak_heap_bytes: u64,
    /// Bytes of memory mapped from the OS (arenas, reserve arenas, huge blocks).
    pub mapped_bytes: u64,
    /// Arenas in use.
    pub arenas: usize,
    /// Huge blocks in use.
    pub huge_blocks: usize,
}

/// Records pauses as a collector runs.
pub struct PauseLog {
    histogram: Histogram<u64>,
    total: Duration,
    cycles: u64,
}

impl Default for PauseLog {
    fn default() -> Self {
        let histogram =
            Histogram::new_with_bounds(1, 3_600_000_000_000, 3).expect("valid histogram bounds");
        PauseLog {
            histogram,
            total: Duration::ZERO,
            cycles: 0,
        }
    }
}

impl PauseLog {
    /// Records one pause.
    pub fn record(&mut self, pause: Duration) {
        self.total += pause;
        let nanos = u64::try_from(pause.as_nanos()).unwrap_or(u64::MAX).max(1);
        self.histogram.saturating_record(nanos);
    }

    /// Counts one finished collection cycle (which may span several pauses).
    pub fn count_cycle(&mut self) {
        self.cycles += 1;
    }

    /// Pause count and percentiles.
    pub fn summary(&self) -> PauseSummary {
        if self.histogram.is_empty() {
            return PauseSummary::default();
        }
        let at = |q: f64| Duration::from_nanos(self.histogram.value_at_quantile(q));
        PauseSummary {
            count: self.histogram.len(),
            p50: at(0.5),
            p99: at(0.99),
            max: Duration::from_nanos(self.histogram.max()),
        }
    }

    /// Statistics of `heap` with these pauses.
    pub fn stats(&self, heap: &Heap) -> Stats {
        let pauses = self.summary();
        Stats {
            cycles: self.cycles,
            gc_time: self.total,
            pauses,
            allocated_bytes: heap.allocated_bytes(),
            live_bytes: heap.live_bytes(),
            heap_bytes: heap.heap_bytes(),
            peak_heap_bytes: heap.peak_heap_bytes(),
            mapped_bytes: heap.mapped_bytes() as u64,
            arenas: heap.arenas_in_use(),
            huge_blocks: heap.large_objects().len(),
        }
    }
}
