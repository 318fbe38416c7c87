//! Every collector reports where its memory was at the heap's peak: blocks in use cover
//! the live data, huge blocks count what they asked for against what they map, the
//! collector's bookkeeping is counted, and the process's RSS covers the heap's terms.

use gc_core::collectors::{Epsilon, Lua51, NewGc, Stw};
use gc_core::heap::arena::ARENA_SIZE;
use gc_core::testing::{node_bytes, Node, RootList, TestModel, NODE_KIND};
use gc_core::{Collector, HeapConfig};

const LIVE_NODES: usize = 50_000;
const SLOTS: u16 = 4;
/// A leaf block above the huge threshold, not a whole number of arenas.
const HUGE_BYTES: usize = 3 * ARENA_SIZE / 2 + 100;

fn check<C: Collector<TestModel>>() {
    let mut gc = C::new(HeapConfig {
        step_deadline: None,
        min_trigger_bytes: 1 << 20,
        ..HeapConfig::default()
    });
    let mut roots = RootList::default();
    let huge = gc.alloc_leaf(HUGE_BYTES, &mut roots).unwrap();
    // SAFETY: allocated by this collector, with no allocation since.
    unsafe { roots.push(huge) };
    let bytes = node_bytes(usize::from(SLOTS));
    for i in 0..4 * LIVE_NODES {
        let obj = gc.alloc_object(NODE_KIND, bytes, &mut roots).unwrap();
        // SAFETY: a fresh node block of this size.
        unsafe { Node::init(obj, i as u64, SLOTS) };
        if i % 4 == 0 {
            // SAFETY: allocated by this collector, with no allocation since.
            unsafe { roots.push(obj) };
        }
    }
    gc.collect(&mut roots);
    let name = C::NAME;
    let stats = gc.stats();
    let f = stats.footprint_at_peak;
    let live = (LIVE_NODES * bytes) as u64;
    assert!(f.in_use_bytes >= live, "{name}: {f:?}");
    assert!(f.rss_bytes >= f.heap_resident_bytes(), "{name}: {f:?}");
    assert!(f.metadata_bytes > 0, "{name}: {f:?}");
    if name != "lua51" {
        // The huge block in its mapping.
        assert_eq!(f.large_used_bytes, HUGE_BYTES as u64, "{name}: {f:?}");
        assert_eq!(
            f.large_mapped_bytes,
            HUGE_BYTES.next_multiple_of(ARENA_SIZE) as u64,
            "{name}: {f:?}"
        );
    }
}

#[test]
fn every_collector_breaks_its_peak_memory_down() {
    check::<NewGc<TestModel>>();
    check::<Stw<TestModel>>();
    check::<Lua51<TestModel>>();
    check::<Epsilon<TestModel>>();
}

/// The blocks in use are the heap's bytes less its huge blocks, and a dead huge block
/// whose mapping waits for the lazy sweep to unmap it is no longer one of them: the arena
/// blocks still count in full.
#[test]
fn blocks_in_use_leave_out_dead_huge_mappings_only() {
    use gc_core::heap::arena::ArenaKind;
    use gc_core::heap::bitmap::SweepKind;
    use gc_core::heap::Heap;

    let mut heap = Heap::new(&HeapConfig::default());
    let bytes = node_bytes(usize::from(SLOTS));
    for _ in 0..LIVE_NODES {
        heap.alloc_growing(ArenaKind::Objects, NODE_KIND, bytes, 0)
            .unwrap();
    }
    heap.alloc_growing(ArenaKind::Leaves, NODE_KIND, HUGE_BYTES, 0)
        .unwrap();
    heap.prepare_for_collection();
    let live = (LIVE_NODES * bytes) as u64;
    heap.begin_sweep(SweepKind::Major, live, |_| true);
    let f = heap.footprint(0);
    assert_eq!(
        f.large_mapped_bytes,
        HUGE_BYTES.next_multiple_of(ARENA_SIZE) as u64,
        "the dead block is still mapped: {f:?}"
    );
    assert_eq!(f.in_use_bytes, live, "{f:?}");
}
