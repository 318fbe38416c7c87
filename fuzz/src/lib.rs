//! What the fuzz targets share: the bounds every Lua run gets, and the generator of
//! Lua programs ([`program`]) for the cross-collector target.

pub mod program;

use gc_core::HeapConfig;
use vm_harness::model::LuaModel;
use vm_harness::untrusted::{self, Outcome};
use vm_harness::VmOptions;

/// The heap limit of every run: large enough for any program the budget lets finish
/// without hoarding, small enough that a hoarding one fails in milliseconds.
pub const HEAP_LIMIT: usize = 32 << 20;

/// Calls and loop iterations per run: thousands of iterations of a loop, and a run in
/// a millisecond or so.
pub const BUDGET: u64 = 20_000;

/// A heap configuration that collects often (a low trigger), on one thread, and
/// deterministically (no step deadline), within [`HEAP_LIMIT`].
pub fn heap_config() -> HeapConfig {
    HeapConfig {
        heap_limit: Some(HEAP_LIMIT),
        min_trigger_bytes: 256 << 10,
        gc_threads: 1,
        parallel_min_bytes: usize::MAX,
        step_deadline: None,
        ..HeapConfig::default()
    }
}

/// Runs `chunk` under collector `C` within the bounds, with GC stress every
/// `gc_stress` allocations (0: none). The VM booting at all is part of the contract.
pub fn run<C: gc_core::Collector<LuaModel>>(chunk: &[u8], gc_stress: u32) -> Outcome {
    let options = VmOptions { gc_stress };
    untrusted::run(C::new(heap_config()), &options, chunk, BUDGET)
        .expect("the VM boots within the heap limit")
}
