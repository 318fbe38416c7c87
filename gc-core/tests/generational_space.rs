//! Generational mode keeps the heap near the live data even when objects die just after
//! their first minor collection made them old: the old garbage they leave is found by a
//! full marking that starts as soon as the old generation has outgrown its bound, not
//! after the heap has grown to `pause` percent of a live size that counts the garbage.

use gc_core::collectors::NewGc;
use gc_core::testing::{node_bytes, Node, RootList, TestModel, NODE_KIND};
use gc_core::{Collector, GcMode, HeapConfig};

const SLOTS: u16 = 6;
/// Nodes kept live for the whole run.
const LONG_LIVED: usize = 40_000;
/// Nodes in the ring of medium-lived ones: each lives for this many allocations, long
/// enough to survive a minor collection and be promoted, then dies old.
const RING: usize = 40_000;

#[test]
fn old_garbage_does_not_let_the_heap_grow_past_a_small_multiple_of_the_live_data() {
    let mut gc = NewGc::<TestModel>::new(HeapConfig {
        mode: Some(GcMode::Generational),
        step_deadline: None,
        min_trigger_bytes: 1 << 20,
        ..HeapConfig::default()
    });
    let bytes = node_bytes(usize::from(SLOTS));
    let mut roots = RootList::default();
    let mut alloc = |roots: &mut RootList, id: u64| {
        let obj = gc.alloc_object(NODE_KIND, bytes, roots).unwrap();
        // SAFETY: a fresh node block of this size.
        unsafe { Node::init(obj, id, SLOTS) }.obj()
    };
    for id in 0..LONG_LIVED as u64 {
        let node = alloc(&mut roots, id);
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { roots.push(node) };
    }
    let ring_start = roots.len();
    for id in 0..(40 * RING) as u64 {
        let node = alloc(&mut roots, id);
        if roots.len() < ring_start + RING {
            // SAFETY: allocated by this collector, with no allocation since.
            unsafe { roots.push(node) };
        } else {
            // SAFETY: allocated by this collector, with no allocation since.
            unsafe { roots.set(ring_start + id as usize % RING, node) };
        }
    }
    let stats = gc.stats();
    let live = ((LONG_LIVED + RING) * bytes) as u64;
    assert!(stats.major_cycles >= 2, "{stats:?}");
    assert!(
        stats.peak_heap_bytes <= 7 * live / 2,
        "peak heap {} B for {live} B live",
        stats.peak_heap_bytes
    );
}
