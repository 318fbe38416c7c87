//! newgc's heap on a program that caches fresh objects in big weak tables
//! (weak_memo.lua): a store into a weak table marks nothing, so what only the caches hold
//! dies in the cycle that cached it, as under a stop-the-world collector. While the
//! barrier marked what was stored into big weak tables during marking, every value cached
//! then survived the cycle, and newgc's peak heap was well above stw's in either mode.

use gc_core::collectors::{NewGc, Stw};
use gc_core::{Collector, GcMode, HeapConfig};
use vm_harness::model::LuaModel;

mod support;
use support::run_workload;

/// The peak heap of weak_memo.lua at 200,000 lookups under collector `C`.
fn peak_heap<C: Collector<LuaModel>>(mode: Option<GcMode>) -> u64 {
    let config = HeapConfig {
        mode,
        ..HeapConfig::default()
    };
    run_workload::<C>(config, "weak_memo", "200000").peak_heap_bytes
}

#[test]
fn values_only_weak_caches_hold_do_not_outlive_their_cycle() {
    let stw = peak_heap::<Stw<LuaModel>>(None);
    // Generational mode lets the heap grow to the goal of a full cycle over the live
    // heap its last major marking found, old garbage included, before a major frees it.
    for (mode, percent_of_stw) in [(Some(GcMode::Incremental), 110), (None, 160)] {
        let newgc = peak_heap::<NewGc<LuaModel>>(mode);
        assert!(
            newgc * 100 <= stw * percent_of_stw,
            "mode {mode:?}: newgc's peak heap {newgc} over {percent_of_stw}% of stw's {stw}"
        );
    }
}
