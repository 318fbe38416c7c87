//! Long-run churn: well over 4 GB allocated through a small live heap, with huge blocks
//! among them. Shows there is no 32-bit limit in the accounting or the heap, that memory is
//! reused rather than grown, and that freed memory goes back to the OS.

use gc_core::collectors::Stw;
use gc_core::heap::large_object_space::LARGE_THRESHOLD;
use gc_core::heap::os::resident_bytes;
use gc_core::testing::{node_bytes, Node, RootList, TestModel, NODE_KIND};
use gc_core::{Collector, HeapConfig};

const GIB: u64 = 1 << 30;

#[test]
fn churns_through_five_gib_and_returns_memory_to_the_os() {
    let mut gc = Stw::<TestModel>::new(HeapConfig::default());
    let mut roots = RootList::default();
    let mut rng = fastrand::Rng::with_seed(42);
    let ring = 512;
    let mut allocations = 0u64;
    while !allocations.is_multiple_of(4096) || gc.stats().allocated_bytes < 5 * GIB {
        let obj = match rng.u32(..1000) {
            0 => gc.alloc_leaf(rng.usize(LARGE_THRESHOLD + 1..(2 << 20)), &mut roots),
            1..=400 => gc
                .alloc_object(NODE_KIND, node_bytes(2), &mut roots)
                .inspect(|&obj| {
                    // SAFETY: a fresh node block with two slots.
                    unsafe { Node::init(obj, allocations, 2) };
                }),
            _ => gc.alloc_leaf(rng.usize(16..4096), &mut roots),
        }
        .expect("no limit set");
        if roots.len() < ring {
            // SAFETY: allocated by this collector, with no allocation since.
            unsafe { roots.push(obj) };
        } else {
            // SAFETY: allocated by this collector, with no allocation since.
            unsafe { roots.set(rng.usize(..ring), obj) };
        }
        allocations += 1;
    }
    let stats = gc.stats();
    assert!(stats.allocated_bytes >= 5 * GIB);
    assert!(stats.cycles >= 100, "{stats:?}");
    assert!(
        stats.peak_heap_bytes < 64 << 20,
        "live heap stayed small: {stats:?}"
    );
    assert!(
        stats.mapped_bytes < 128 << 20,
        "memory was reused: {stats:?}"
    );
    gc.verify(&mut roots).expect("heap intact after the churn");

    // 512 MB live, written so it is resident, then dropped.
    roots.clear();
    gc.collect(&mut roots);
    let before = resident_bytes().expect("/proc/self/statm");
    for _ in 0..(512 << 20) / (64 << 10) {
        let block = gc.alloc_leaf(64 << 10, &mut roots).expect("no limit set");
        // SAFETY: a fresh leaf block of 64 KB.
        unsafe { std::ptr::write_bytes(block.as_ptr(), 0xA5, 64 << 10) };
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { roots.push(block) };
    }
    let grown = resident_bytes().unwrap();
    assert!(
        grown > before + (400 << 20),
        "the live blocks are resident: {before} -> {grown}"
    );
    roots.clear();
    gc.collect(&mut roots);
    let after = resident_bytes().unwrap();
    assert!(
        after < before + (32 << 20),
        "freed arenas went back to the OS: {before} -> {grown} -> {after}"
    );
    assert!(gc.stats().mapped_bytes < 32 << 20, "{:?}", gc.stats());
}
