//! Where a heap's memory goes: the terms of a breakdown of the process's resident set at
//! the heap's peak, so that a gap in peak RSS between collectors (or against another
//! interpreter) can be put down to the live data, free space the collector keeps, its
//! bookkeeping, or none of these (code, the C library's allocator, the VM's own
//! structures).
//!
//! Collectors sample at the end of each marking (every block allocated, none swept yet),
//! the arena heap also at each new peak heap a sixteenth above the last it sampled (an
//! incremental collector's heap peaks between markings), and the sample whose heap terms
//! are largest is kept ([`PeakFootprint`]); only a new peak reads the process's RSS. Each space reports in
//! its own terms: arenas (blocks in use, free cells, emptied arenas held), huge mappings
//! (mapped against asked for), `malloc`'d blocks (with the allocator's own free space).

use crate::heap::os;

/// Where a heap's memory was at one moment.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Footprint {
    /// The process's resident set when sampled (0 where the OS does not say).
    pub rss_bytes: u64,
    /// Of `rss_bytes`, the pages backed by files: code and shared libraries (0 where the
    /// OS does not say). Part of [`Footprint::other_bytes`].
    pub rss_file_bytes: u64,
    /// Bytes in allocated blocks (live, plus dead ones not yet swept): in arenas, or
    /// `malloc`'d with their prefixes.
    pub in_use_bytes: u64,
    /// Free bytes inside the arenas that hold blocks (for the malloc space: the free
    /// chunks `malloc` keeps, which the VM's own allocations share).
    pub free_in_arenas_bytes: u64,
    /// Emptied arenas kept resident for the heap's regrowth.
    pub empty_arenas_bytes: u64,
    /// Huge blocks' mappings (a whole number of arenas each), dead ones not yet unmapped
    /// included.
    pub large_mapped_bytes: u64,
    /// The bytes huge blocks asked for: what of their mappings is ever touched.
    pub large_used_bytes: u64,
    /// The collector's bookkeeping: bitmaps and arena headers, side tables, gray queues,
    /// store buffers, pause histograms.
    pub metadata_bytes: u64,
}

impl Footprint {
    /// This footprint with the process's RSS read now.
    pub fn with_rss_now(self) -> Footprint {
        Footprint {
            rss_bytes: os::resident_bytes().unwrap_or(0) as u64,
            rss_file_bytes: os::resident_file_bytes().unwrap_or(0) as u64,
            ..self
        }
    }

    /// The terms that are the heap's own resident memory.
    pub fn heap_resident_bytes(&self) -> u64 {
        self.in_use_bytes
            + self.free_in_arenas_bytes
            + self.empty_arenas_bytes
            + self.large_used_bytes
            + self.metadata_bytes
    }

    /// The resident set beyond the heap's terms: code, the C library's allocator, the
    /// VM's own structures and stacks.
    pub fn other_bytes(&self) -> u64 {
        self.rss_bytes.saturating_sub(self.heap_resident_bytes())
    }

    /// The part of [`Footprint::other_bytes`] that is code and libraries.
    pub fn other_file_bytes(&self) -> u64 {
        self.rss_file_bytes.min(self.other_bytes())
    }

    /// The part of [`Footprint::other_bytes`] that is not code or libraries: the C
    /// library's allocator, the VM's own structures and stacks.
    pub fn other_anonymous_bytes(&self) -> u64 {
        self.other_bytes() - self.other_file_bytes()
    }
}

/// The footprint sample with the largest heap terms so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeakFootprint {
    peak: Footprint,
}

impl PeakFootprint {
    /// Keeps `sample` (its RSS read now) if its heap terms are the largest yet.
    pub fn offer(&mut self, sample: Footprint) {
        if sample.heap_resident_bytes() > self.peak.heap_resident_bytes() {
            self.peak = sample.with_rss_now();
        }
    }

    /// The largest sample.
    pub fn peak(&self) -> Footprint {
        self.peak
    }
}

/// Bytes a vector's buffer holds.
pub fn vec_bytes<T>(v: &Vec<T>) -> u64 {
    (v.capacity() * std::mem::size_of::<T>()) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_heap_sample_is_kept_with_the_rss_at_its_time() {
        let mut peak = PeakFootprint::default();
        let sample = |in_use| Footprint {
            in_use_bytes: in_use,
            metadata_bytes: 10,
            ..Footprint::default()
        };
        peak.offer(sample(100));
        peak.offer(sample(50));
        assert_eq!(peak.peak().in_use_bytes, 100);
        assert!(peak.peak().rss_bytes > 0, "Linux reports the RSS");
        assert_eq!(
            peak.peak().other_bytes(),
            peak.peak().rss_bytes - 110,
            "the rest of the process"
        );
        let code = peak.peak().rss_file_bytes;
        assert!(
            code > 0,
            "Linux reports the file-backed pages: this test's code"
        );
        assert_eq!(
            peak.peak().other_anonymous_bytes(),
            peak.peak().other_bytes().saturating_sub(code)
        );
    }
}
