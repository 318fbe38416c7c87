//! newgc's cycles keep to their goal (pause x live): the marking work of a cycle does not
//! grow with the cycle's length, and a cycle on a heap being built finishes before the
//! heap passes its goal by more than a step's slack. Deterministic: no step deadline.

use gc_core::collectors::NewGc;
use gc_core::heap::arena::ARENA_SIZE;
use gc_core::testing::{node_bytes, Node, RootList, TestModel, NODE_KIND};
use gc_core::{Collector, GcMode, HeapConfig};
use std::time::Duration;

type Gc = NewGc<TestModel>;

fn config() -> HeapConfig {
    HeapConfig {
        mode: Some(GcMode::Incremental),
        step_deadline: None,
        min_trigger_bytes: 1 << 20,
        gc_threads: 1,
        ..HeapConfig::default()
    }
}

fn node(gc: &mut Gc, roots: &mut RootList, id: u64, slots: u16) -> Node {
    let obj = gc
        .alloc_object(NODE_KIND, node_bytes(usize::from(slots)), roots)
        .unwrap();
    // SAFETY: a fresh node block of this size.
    unsafe { Node::init(obj, id, slots) }
}

/// A Park-Miller generator, as the workloads use.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0 * 16807 % 2_147_483_647;
        (self.0 % n as u64) as usize
    }
}

/// An LRU cache's shape: a live list of small nodes relinked all the time (each
/// operation writes four old nodes) while a little garbage is allocated. Re-tracing every
/// written node at each pass over the SSB cost more work per byte allocated than the
/// steps could do: the SSB passes grew from one to the next, and marking held the cycle
/// open while the heap grew.
#[test]
fn relinking_old_nodes_does_not_hold_marking_open() {
    const NODES: usize = 40_000;
    let mut gc = Gc::new(config());
    let mut roots = RootList::default();
    for id in 0..NODES as u64 {
        let n = node(&mut gc, &mut roots, id * 2, 2);
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { roots.push(n.obj()) };
    }
    let live = (NODES * node_bytes(2)) as u64;
    let mut rng = Lcg(12345);
    let before = gc.stats().cycles;
    for i in 0..4_000_000u64 {
        // SAFETY: the roots hold nodes this test made, kept live by being roots.
        let (a, b) = unsafe {
            (
                Node::from_ref(roots[rng.below(NODES)]),
                Node::from_ref(roots[rng.below(NODES)]),
            )
        };
        for (from, to, slot) in [(a, b, 0), (b, a, 1)] {
            // SAFETY: live nodes of this collector (rooted, or allocated since the last allocation).
            unsafe { gc.write_barrier_store(from.obj(), to.obj()) };
            // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
            unsafe { from.set_slot(slot, Some(to.obj())) };
        }
        // Storing nil takes no barrier (only references do).
        // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
        unsafe { a.set_slot(1, None) };
        // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
        unsafe { b.set_slot(0, None) };
        node(&mut gc, &mut roots, i, 0);
    }
    let stats = gc.stats();
    let allocated = 4_000_000 * node_bytes(0) as u64;
    // Each cycle may take up to the goal (twice the live heap, at least the minimum
    // trigger) of allocation: at least a quarter of those cycles must end.
    let cycle_allocation = (2 * live).max(1 << 20);
    assert!(
        stats.cycles - before >= allocated / cycle_allocation / 4,
        "{} cycles for {allocated} B allocated",
        stats.cycles - before
    );
    assert!(
        gc.max_goal_overshoot() <= 4 * ARENA_SIZE as u64,
        "the heap passed the goal by {} B",
        gc.max_goal_overshoot()
    );
}

/// Slots of `grow_list`'s nodes.
const SLOTS: u16 = 6;

/// Builds a list of `nodes` nodes that only grows (its head in `roots[0]`), allocating
/// `garbage_per_node` more nodes as garbage beside each.
fn grow_list(gc: &mut Gc, roots: &mut RootList, nodes: u64, garbage_per_node: usize) {
    let first = node(gc, roots, 0, SLOTS);
    // SAFETY: allocated by this collector, with no allocation since.
    unsafe { roots.push(first.obj()) };
    for i in 1..nodes {
        let n = node(gc, roots, i, SLOTS);
        // SAFETY: live nodes of this collector; the node is new (light-gray), and new
        // nodes take no barrier.
        unsafe { n.set_slot(0, Some(roots[0])) };
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { roots.set(0, n.obj()) };
        for _ in 0..garbage_per_node {
            node(gc, roots, i, SLOTS);
        }
    }
}

/// A heap being built: a list of small nodes that only grows, with as much garbage
/// allocated beside it. Each cycle's marking takes more work per live byte than the
/// unscaled `stepmul` paid for (parts and references are priced beyond their bytes), so
/// budgets are scaled by that price and steps come more often when behind.
#[test]
fn a_heap_being_built_stays_near_its_goal() {
    let mut gc = Gc::new(config());
    let mut roots = RootList::default();
    grow_list(&mut gc, &mut roots, 1_500_000, 1);
    let live = 1_500_000 * node_bytes(usize::from(SLOTS)) as u64;
    assert!(
        gc.max_goal_overshoot() <= live / 8,
        "the heap passed the goal by {} B ({live} B live at the end)",
        gc.max_goal_overshoot()
    );
}

/// A heap being built, with four times its size allocated as garbage beside it, under a
/// step deadline that has always passed: the catch-up share's bucket (see
/// `newgc/cycle.rs`), capped at that deadline, never holds credit, so no step of a cycle
/// past its goal runs until the heap reaches the memory bound, where steps take all they
/// may. That bound (half the goal again, or `pause` times what the marking found live)
/// is at most three times the live heap at 200%: without it the heap would grow by all
/// the program allocates. Deterministic: every look at the deadline finds it passed, and
/// no credit is ever enough.
#[test]
fn a_heap_being_built_keeps_to_the_catch_up_bound() {
    const NODES: u64 = 500_000;
    let mut gc = Gc::new(HeapConfig {
        step_deadline: Some(Duration::ZERO),
        ..config()
    });
    let mut roots = RootList::default();
    grow_list(&mut gc, &mut roots, NODES, 4);
    gc.verify(&mut roots).expect("the heap verifies");
    let live = NODES * node_bytes(usize::from(SLOTS)) as u64;
    let stats = gc.stats();
    assert!(
        stats.peak_heap_bytes <= 3 * live + 4 * ARENA_SIZE as u64,
        "peak heap {} B for {live} B live",
        stats.peak_heap_bytes
    );
}

/// The cycles newgc under `config` runs while 32 MB of garbage is allocated over 0.6 MB
/// of live nodes; the heap it leaves must verify.
fn cycles_over_garbage(config: HeapConfig) -> u64 {
    let mut gc = Gc::new(config);
    let mut roots = RootList::default();
    for id in 0..20_000u64 {
        let n = node(&mut gc, &mut roots, id, 2);
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { roots.push(n.obj()) };
    }
    let before = gc.stats().cycles;
    for i in 0..2_000_000u64 {
        node(&mut gc, &mut roots, i, 0);
    }
    gc.verify(&mut roots).expect("the heap verifies");
    gc.stats().cycles - before
}

/// A step deadline that has always passed still lets every step do a chunk of marking,
/// pruning and sweeping: cycles end (later, the heap passing its goal), they never stall.
/// Deterministic: every look at the deadline finds it passed.
#[test]
fn cycles_end_when_every_deadline_has_passed() {
    let cycles = cycles_over_garbage(HeapConfig {
        step_deadline: Some(Duration::ZERO),
        ..config()
    });
    assert!(
        cycles >= 3,
        "{cycles} cycles for 32 MB allocated over 0.6 MB live"
    );
}

/// A time share so small that almost every step finds no credit (see
/// `newgc/time_share.rs`): cycles still end, past three times the goal at the latest,
/// where the memory bound comes first. Whatever the machine's speed or load: the share
/// is of the thread's own CPU time, and only decides how far past the goal a cycle runs.
#[test]
fn cycles_end_with_the_smallest_time_share() {
    let cycles = cycles_over_garbage(HeapConfig {
        step_deadline: Some(Duration::from_micros(500)),
        max_gc_share_percent: Some(1),
        ..config()
    });
    assert!(
        cycles >= 3,
        "{cycles} cycles for 32 MB allocated over 0.6 MB live"
    );
}

/// Bytes of the huge leaf blocks the tests below allocate: four arenas each.
const HUGE_BYTES: usize = 4 * ARENA_SIZE;

/// A program that allocates nothing but huge blocks, keeping the newest: each step pays
/// for four arenas of allocation. A lazy sweep that unmapped one arena's worth of the
/// dead blocks per step would fall behind at every step: the cycle would never end, no
/// cycle would start after it, and the heap would grow by all the program allocates.
#[test]
fn dead_huge_blocks_go_back_as_fast_as_huge_blocks_come() {
    let mut gc = Gc::new(config());
    let mut roots = RootList::default();
    for _ in 0..2_000 {
        let block = gc.alloc_leaf(HUGE_BYTES, &mut roots).unwrap();
        roots.clear();
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { roots.push(block) };
    }
    let stats = gc.stats();
    assert!(
        stats.cycles >= 100,
        "{} cycles for 2000 huge blocks, one live",
        stats.cycles
    );
    assert!(
        stats.peak_heap_bytes <= (1 << 20) * 2 + 4 * HUGE_BYTES as u64,
        "peak heap {} B for one live huge block",
        stats.peak_heap_bytes
    );
}

/// A live heap of small nodes to mark while the program allocates only huge blocks: each
/// step follows one, and with one `MAX_STEP_WORK` per step the marking would fall behind
/// by most of each block's debt, the heap passing its goal by tens of megabytes.
#[test]
fn steps_after_huge_blocks_keep_the_heap_to_its_goal() {
    const NODES: usize = 100_000;
    let mut gc = Gc::new(config());
    let mut roots = RootList::default();
    for id in 0..NODES as u64 {
        let n = node(&mut gc, &mut roots, id, 2);
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { roots.push(n.obj()) };
    }
    for _ in 0..500 {
        let block = gc.alloc_leaf(HUGE_BYTES, &mut roots).unwrap();
        roots.pop();
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { roots.push(block) };
    }
    assert!(
        gc.max_goal_overshoot() <= 2 * HUGE_BYTES as u64,
        "the heap passed the goal by {} B",
        gc.max_goal_overshoot()
    );
    assert!(gc.stats().cycles >= 10, "{} cycles", gc.stats().cycles);
}
