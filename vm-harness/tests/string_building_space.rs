//! newgc's arenas on a program that builds a large string per iteration among small ones
//! that outlive it (json_roundtrip.lua: each document is a leaf block of 64 to 128 KB).
//! While a large block took the rest of its arena as the bump region, small strings filled
//! the space around it, the holes it left when it died were too fragmented for the next
//! document, and each document took a new arena: the arenas held grew to about twice the
//! peak heap.

use gc_core::collectors::NewGc;
use gc_core::HeapConfig;
use vm_harness::model::LuaModel;

mod support;
use support::run_workload;

#[test]
fn large_strings_do_not_spread_the_arenas() {
    let stats = run_workload::<NewGc<LuaModel>>(HeapConfig::default(), "json_roundtrip", "3000");
    let at_peak = stats.footprint_at_peak;
    let arenas = at_peak.in_use_bytes + at_peak.free_in_arenas_bytes + at_peak.empty_arenas_bytes;
    let peak = stats.peak_heap_bytes;
    assert!(
        arenas * 100 <= peak * 175,
        "arenas of {arenas} bytes at the peak for a peak heap of {peak}"
    );
}
