//! Generational mode keeps the heap near the live data even when objects die just after
//! their first minor collection made them old: the old garbage they leave is found by a
//! full marking that starts as soon as the old generation has outgrown its bound, not
//! after the heap has grown to `pause` percent of a live size that counts the garbage.
//! And young objects stored into big old objects (a weak cache, a ring of slots) stay
//! young: the minor cycle after their death frees them.

use gc_core::collectors::newgc::Phase;
use gc_core::collectors::NewGc;
use gc_core::testing::{node_bytes, Node, RootList, TestModel, NODE_KIND, WEAK_VALUES_KIND};
use gc_core::{Collector, GcMode, HeapConfig, ObjectRef};

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

/// A generational newgc whose cycles depend on its allocation only.
fn generational() -> NewGc<TestModel> {
    NewGc::new(HeapConfig {
        mode: Some(GcMode::Generational),
        step_deadline: None,
        min_trigger_bytes: 1 << 20,
        ..HeapConfig::default()
    })
}

/// Allocates a node of `slots` slots with id `id`.
fn alloc_node(
    gc: &mut NewGc<TestModel>,
    roots: &mut RootList,
    kind: u8,
    id: u64,
    slots: u16,
) -> Node {
    let obj = gc
        .alloc_object(kind, node_bytes(usize::from(slots)), roots)
        .unwrap();
    // SAFETY: a fresh node block of this size.
    unsafe { Node::init(obj, id, slots) }
}

/// Stores `value` into slot `slot` of `node` with the described store barrier.
fn store(gc: &mut NewGc<TestModel>, node: Node, slot: usize, value: ObjectRef) {
    // SAFETY: both are live objects of `gc` (rooted, or allocated just now).
    unsafe {
        gc.write_barrier_store(node.obj(), value);
        node.set_slot(slot, Some(value));
    }
}

/// Roots `LONG_LIVED` nodes and a big node of `slots` slots and `kind`, then stores
/// `stores` new nodes into its slots in turn (one in `stride`), the big node holding
/// the only reference to each. Returns the percentage of the young bytes that survived
/// their minor cycle.
fn churn_through_a_big_node(kind: u8, slots: u16, stride: usize, stores: u64) -> u64 {
    let mut gc = generational();
    let mut roots = RootList::default();
    for id in 0..LONG_LIVED as u64 {
        let node = alloc_node(&mut gc, &mut roots, NODE_KIND, id, 4).obj();
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { roots.push(node) };
    }
    let big = alloc_node(&mut gc, &mut roots, kind, 1, slots);
    // SAFETY: as above.
    unsafe { roots.push(big.obj()) };
    let places = usize::from(slots) / stride;
    for id in 0..stores {
        let young = alloc_node(&mut gc, &mut roots, NODE_KIND, id, 4).obj();
        let slot = (id as usize % places) * stride + stride - 1;
        store(&mut gc, big, slot, young);
    }
    let stats = gc.stats();
    assert!(stats.minor_cycles >= 5, "{stats:?}");
    stats.young.surviving_bytes * 100 / stats.young.allocated_bytes
}

/// A weak-valued cache of 5000 entries (two slots each: big enough for the forward
/// barrier while marking) whose values nothing else holds: each minor cycle clears and
/// frees the values stored since the last one, so less than half the young bytes
/// survive (those stored while it marks). A barrier of the old weak node that marked
/// what was stored would make every value old at once: nearly all would survive.
#[test]
fn values_stored_into_an_old_weak_cache_die_in_the_next_minor_cycle() {
    let survived = churn_through_a_big_node(WEAK_VALUES_KIND, 10_000, 2, 400_000);
    assert!(survived < 50, "{survived}% of the young bytes survived");
}

/// A ring of 5000 slots in a big strong node, each replaced after 5000 allocations on
/// average, far fewer than a minor cycle's: most of what is stored dies young, and the
/// minor cycle that follows frees it (the ring is traced again, within the minor's
/// retrace budget). Marking what was stored would make it all old.
#[test]
fn objects_stored_into_an_old_big_ring_and_replaced_die_in_the_next_minor_cycle() {
    let survived = churn_through_a_big_node(NODE_KIND, 5_000, 1, 400_000);
    assert!(survived < 50, "{survived}% of the young bytes survived");
}

/// A store into an old node too big to trace again in a minor cycle's budget still
/// takes the forward barrier (what is stored is recorded, the node is not queued), so
/// minor cycles never retrace a huge table; a big node within the budget is queued.
#[test]
fn only_big_nodes_within_the_minor_retrace_budget_take_the_backward_barrier() {
    let mut gc = generational();
    let mut roots = RootList::default();
    let huge = alloc_node(&mut gc, &mut roots, NODE_KIND, 1, u16::MAX);
    // SAFETY: allocated by this collector, with no allocation since.
    unsafe { roots.push(huge.obj()) };
    let ring = alloc_node(&mut gc, &mut roots, NODE_KIND, 3, 5_000);
    // SAFETY: as above.
    unsafe { roots.push(ring.obj()) };
    let mut id = 0;
    while gc.stats().minor_cycles == 0 || gc.phase() != Phase::Idle {
        alloc_node(&mut gc, &mut roots, NODE_KIND, id, 4);
        id += 1;
    }
    let young = alloc_node(&mut gc, &mut roots, NODE_KIND, id, 4).obj();
    store(&mut gc, ring, 0, young);
    assert_eq!(
        gc.forward_records(),
        0,
        "the ring took the backward barrier"
    );
    store(&mut gc, huge, 0, young);
    assert_eq!(
        gc.forward_records(),
        1,
        "the huge node took the forward barrier"
    );
}
