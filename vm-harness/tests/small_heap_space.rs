//! newgc's heap on a program whose live heap is tiny (nbody_vec.lua: a few KB live, every
//! vector young garbage): the minimum trigger (`HeapConfig::min_trigger_bytes`), not
//! `pause`, sets how far the heap grows between cycles, and the arenas it grows into stay
//! resident. With a 4 MB floor such a script held over 4 MB of arenas where lua5.4's
//! whole heap is 150 KB.

use gc_core::collectors::NewGc;
use gc_core::{GcMode, HeapConfig};
use vm_harness::model::LuaModel;

mod support;
use support::run_workload;

const MB: u64 = 1 << 20;

#[test]
fn a_tiny_live_heap_keeps_the_heap_near_the_minimum_trigger() {
    for mode in [None, Some(GcMode::Incremental), Some(GcMode::Generational)] {
        let config = HeapConfig {
            mode,
            ..HeapConfig::default()
        };
        let stats = run_workload::<NewGc<LuaModel>>(config, "nbody_vec", "300");
        assert!(stats.cycles > 10, "{mode:?}: {} cycles", stats.cycles);
        assert!(
            stats.peak_heap_bytes <= 3 * MB / 2,
            "{mode:?}: peak heap {}",
            stats.peak_heap_bytes
        );
        let resident = stats.footprint_at_peak.heap_resident_bytes();
        assert!(
            resident <= 2 * MB,
            "{mode:?}: {resident} bytes of arenas and metadata at the peak: {:?}",
            stats.footprint_at_peak
        );
    }
}
