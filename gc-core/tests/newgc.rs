//! `newgc` on its own: the stress verifier catches a missing write barrier, pacing keeps
//! every cycle inside its deadline (pause x live), and generational mode runs minor
//! cycles that leave old objects alone and keep the arenas their heap grows back into.

use gc_core::collectors::newgc::Phase;
use gc_core::collectors::NewGc;
use gc_core::heap::arena::ARENA_SIZE;
use gc_core::testing::{node_bytes, Node, RootList, TestModel, NODE_KIND};
use gc_core::{Collector, GcMode, HeapConfig};

type Gc = NewGc<TestModel>;

fn node(gc: &mut Gc, roots: &mut RootList, slots: u16) -> Node {
    let obj = gc
        .alloc_object(NODE_KIND, node_bytes(usize::from(slots)), roots)
        .unwrap();
    // SAFETY: a fresh node block of this size.
    unsafe { Node::init(obj, 1, slots) }
}

/// newgc forced into `mode`, with steps that do the work their budget says whatever the
/// clock (no step deadline: these tests count work, and a loaded machine must not change
/// what they see).
fn config_in(mode: GcMode) -> HeapConfig {
    HeapConfig {
        mode: Some(mode),
        step_deadline: None,
        ..HeapConfig::default()
    }
}

/// newgc forced into `mode` (see `config_in`), collecting from 1 MB of heap on.
fn gc_in(mode: GcMode) -> Gc {
    Gc::new(HeapConfig {
        min_trigger_bytes: 1 << 20,
        ..config_in(mode)
    })
}

/// A node that the roots hold.
fn rooted_node(gc: &mut Gc, roots: &mut RootList, slots: u16) -> Node {
    let n = node(gc, roots, slots);
    // SAFETY: allocated by this collector, with no allocation since.
    unsafe { roots.push(n.obj()) };
    n
}

/// A collector in `mode` holding 100,000 rooted nodes, enough live data that a marking
/// takes many steps, allocated into until a cycle is marking.
fn marking_over_rooted_nodes(mode: GcMode) -> (Gc, RootList) {
    let mut gc = gc_in(mode);
    let mut roots = RootList::default();
    for _ in 0..100_000 {
        rooted_node(&mut gc, &mut roots, 0);
    }
    while gc.phase() != Phase::Marking {
        node(&mut gc, &mut roots, 1);
    }
    (gc, roots)
}

/// Steps until the root `parent` is traced (black), then stores a fresh object into it
/// with and without the barrier: without, the verifier must report the black-to-white
/// edge; with, the cycle finishes and the child survives.
#[test]
fn stress_verifier_catches_a_store_without_the_barrier() {
    for use_barrier in [true, false] {
        let mut gc = Gc::new(config_in(GcMode::Incremental));
        let mut roots = RootList::default();
        // The parent is the only root and heads a long chain: the first step traces it
        // first and leaves most of the chain gray.
        let parent = node(&mut gc, &mut roots, 2);
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { roots.push(parent.obj()) };
        let mut last = parent;
        for _ in 0..20_000 {
            let next = node(&mut gc, &mut roots, 1);
            // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
            unsafe { last.set_slot(0, Some(next.obj())) };
            last = next;
        }
        gc.step(&mut roots, 0);
        assert_eq!(
            gc.phase(),
            Phase::Marking,
            "one small step leaves marking unfinished"
        );
        let child = node(&mut gc, &mut roots, 0);
        if use_barrier {
            // SAFETY: live nodes of this collector (rooted, or allocated since the last allocation).
            unsafe { gc.write_barrier(parent.obj()) };
        }
        // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
        unsafe { parent.set_slot(1, Some(child.obj())) };
        let verdict = gc.verify(&mut roots);
        if use_barrier {
            verdict.expect("the barrier recorded the parent");
            gc.collect(&mut roots);
            assert!(gc.contains(child.obj()));
        } else {
            let error = verdict.expect_err("a black object refers to an unmarked one");
            assert!(error.0.contains("tri-color"), "{error}");
        }
    }
}

/// A steady live set of linked nodes, rewired as garbage is allocated: with Lua's
/// default knobs every cycle finishes before the heap reaches pause x live (give or take
/// the allocation between two steps), and cycles do run.
#[test]
fn pacing_finishes_every_cycle_before_pause_times_live() {
    for mode in [GcMode::Incremental, GcMode::Generational] {
        let mut gc = gc_in(mode);
        let mut roots = RootList::default();
        let live: Vec<Node> = (0..20_000).map(|_| node(&mut gc, &mut roots, 2)).collect();
        let anchor = node(&mut gc, &mut roots, 1);
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { roots.push(anchor.obj()) };
        for pair in live.windows(2) {
            // SAFETY: live nodes of this collector (rooted, or allocated since the last allocation).
            unsafe { gc.write_barrier(pair[0].obj()) };
            // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
            unsafe { pair[0].set_slot(0, Some(pair[1].obj())) };
        }
        // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
        unsafe { anchor.set_slot(0, Some(live[0].obj())) };
        let mut rng = fastrand::Rng::with_seed(5);
        for i in 0..400_000 {
            let garbage = node(&mut gc, &mut roots, 2);
            if i % 4 == 0 {
                // Hang the new node off a live one for a while: live data churns too.
                let at = live[rng.usize(..live.len())];
                // SAFETY: live nodes of this collector (rooted, or allocated since the last allocation).
                unsafe { gc.write_barrier(at.obj()) };
                // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
                unsafe { at.set_slot(1, Some(garbage.obj())) };
            }
        }
        let stats = gc.stats();
        let overshoot = gc.max_goal_overshoot();
        assert!(stats.cycles >= 5, "{mode:?}: only {} cycles", stats.cycles);
        // Past the goal by at most the allocation between two steps (a bump region).
        assert!(
            overshoot <= 2 * ARENA_SIZE as u64,
            "{mode:?}: the heap passed the goal by {overshoot} B"
        );
        assert!(gc.goal_bytes() > 0);
        gc.collect(&mut roots);
        assert!(live.iter().all(|n| gc.contains(n.obj())));
        gc.verify(&mut roots).unwrap();
        assert!(stats.peak_heap_bytes < 64 * ARENA_SIZE as u64 + 2 * stats.live_bytes * 2);
    }
}

/// In generational mode minor cycles leave old objects marked; young garbage goes.
#[test]
fn generational_mode_runs_minor_cycles_and_old_objects_survive_them() {
    let mut gc = gc_in(GcMode::Generational);
    let mut roots = RootList::default();
    let old: Vec<Node> = (0..5_000).map(|_| node(&mut gc, &mut roots, 0)).collect();
    for n in &old {
        // SAFETY: nodes of this collector, with no collection since their allocation.
        unsafe { roots.push(n.obj()) };
    }
    gc.collect(&mut roots);
    let young: Vec<Node> = (0..200_000).map(|_| node(&mut gc, &mut roots, 1)).collect();
    let stats = gc.stats();
    assert!(stats.minor_cycles >= 3, "{stats:?}");
    assert!(old.iter().all(|n| gc.contains(n.obj())));
    gc.collect(&mut roots);
    assert!(!gc.contains(young[0].obj()), "young garbage is freed");
    gc.verify(&mut roots).unwrap();
}

/// In generational mode the old generation's garbage waits for a major cycle, and the
/// heap grows back to its size at the last major marking: the arenas a major sweep
/// empties stay resident for that growth instead of going back to the OS and being
/// faulted in again (trimmed to the next minor cycle's headroom, this workload returned
/// 251 arenas).
#[test]
fn generational_mode_keeps_the_arenas_a_major_sweep_empties() {
    let mut gc = gc_in(GcMode::Generational);
    let mut roots = RootList::default();
    // A window of the last 100,000 nodes stays live: each node survives minor cycles
    // (turning old), then dies as old garbage.
    const WINDOW: usize = 100_000;
    for i in 0..3_000_000 {
        let n = node(&mut gc, &mut roots, 1);
        if roots.len() < WINDOW {
            // SAFETY: allocated by this collector, with no allocation since.
            unsafe { roots.push(n.obj()) };
        } else {
            // SAFETY: allocated by this collector, with no allocation since.
            unsafe { roots.set(i % WINDOW, n.obj()) };
        }
    }
    let stats = gc.stats();
    assert!(stats.major_cycles >= 3, "{stats:?}");
    gc.verify(&mut roots).unwrap();
    // A few may go at each major cycle, while the heap still grows past its size at the
    // last one.
    let returned = gc.heap().arenas_returned();
    assert!(
        returned <= 2 * stats.major_cycles,
        "{returned} arenas went back to the OS in {} major cycles",
        stats.major_cycles
    );
}

/// The forward barrier records what is stored into a black big object for a step to
/// mark; stores that allocate nothing run no steps, and the records must stay bounded
/// (the barrier marks them itself, in a pause of its own). Whether marking or paused
/// with sticky marks, the stored object survives. The big object has more slots than a
/// minor cycle may retrace (half its 4 MB young generation's work, at 48 units a slot):
/// smaller ones take the backward barrier while paused with sticky marks.
#[test]
fn forward_barrier_records_stay_bounded_without_allocation() {
    const SLOTS: u16 = 60_000;
    for mode in [GcMode::Incremental, GcMode::Generational] {
        let mut gc = Gc::new(config_in(mode));
        let mut roots = RootList::default();
        let big = node(&mut gc, &mut roots, SLOTS);
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { roots.push(big.obj()) };
        let children: Vec<Node> = (0..1000).map(|_| node(&mut gc, &mut roots, 0)).collect();
        // Reachable only through the big node, from the start.
        for (i, child) in children.iter().enumerate() {
            // SAFETY: live nodes of this collector (rooted, or allocated since the last allocation).
            unsafe { gc.write_barrier(big.obj()) };
            // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
            unsafe { big.set_slot(i, Some(child.obj())) };
        }
        // Incremental: the big node is black part-way through marking. Generational:
        // after a whole cycle every survivor is old (black) while paused.
        gc.step(&mut roots, 0);
        if mode == GcMode::Generational {
            while gc.phase() != Phase::Idle {
                gc.step(&mut roots, 0);
            }
        }
        let pauses = gc.stats().pauses.count;
        for i in 0..1_000_000 {
            let child = children[i % children.len()];
            // SAFETY: live nodes of this collector (rooted, or allocated since the last allocation).
            unsafe { gc.write_barrier_store(big.obj(), child.obj()) };
            // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
            unsafe { big.set_slot(i % usize::from(SLOTS), Some(child.obj())) };
        }
        assert!(
            gc.forward_records() < 1 << 16,
            "{mode:?}: {}",
            gc.forward_records()
        );
        // Each time the barrier marks its records itself, that is a pause.
        let flushes = gc.stats().pauses.count - pauses;
        assert!(flushes >= 1_000_000 >> 10, "{mode:?}: {flushes} pauses");
        gc.verify(&mut roots).unwrap();
        while gc.phase() != Phase::Idle {
            gc.step(&mut roots, 0);
        }
        gc.step(&mut roots, 0);
        while gc.phase() != Phase::Idle {
            gc.step(&mut roots, 0);
            gc.verify(&mut roots).unwrap();
        }
        assert!(children.iter().all(|c| gc.contains(c.obj())), "{mode:?}");
    }
}

/// A big object is traced a chunk at a time; a store into a chunk already traced must
/// be caught by either barrier, or the stored object would be freed.
#[test]
fn stores_into_a_partly_traced_big_object_survive_with_either_barrier() {
    for forward in [true, false] {
        let mut gc = Gc::new(config_in(GcMode::Incremental));
        let mut roots = RootList::default();
        let big = node(&mut gc, &mut roots, 40_000);
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { roots.push(big.obj()) };
        // Allocated before the cycle starts and reachable only through the store below
        // (allocating it later could run the whole cycle).
        let child = node(&mut gc, &mut roots, 0);
        gc.step(&mut roots, 0);
        assert_eq!(
            gc.phase(),
            Phase::Marking,
            "the big node takes several steps"
        );
        if forward {
            // SAFETY: live nodes of this collector (rooted, or allocated since the last allocation).
            unsafe { gc.write_barrier_store(big.obj(), child.obj()) };
        } else {
            // SAFETY: live nodes of this collector (rooted, or allocated since the last allocation).
            unsafe { gc.write_barrier(big.obj()) };
        }
        // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
        unsafe { big.set_slot(0, Some(child.obj())) };
        while gc.phase() != Phase::Idle {
            gc.step(&mut roots, 0);
            gc.verify(&mut roots).unwrap();
        }
        assert!(gc.contains(child.obj()), "forward barrier: {forward}");
    }
}

/// A move inside a big object from a chunk not traced yet into one already traced (what
/// `table.remove` does at a chunk boundary), the source slot then cleared, must keep the
/// moved object alive: the move barrier records what the moved parts hold.
#[test]
fn a_move_into_a_traced_chunk_of_a_big_object_keeps_the_moved_object() {
    const SLOTS: u16 = 40_000;
    let mut gc = Gc::new(HeapConfig {
        mode: Some(GcMode::Incremental),
        ..HeapConfig::default()
    });
    let mut roots = RootList::default();
    let big = node(&mut gc, &mut roots, SLOTS);
    // SAFETY: allocated by this collector, with no allocation since.
    unsafe { roots.push(big.obj()) };
    let child = node(&mut gc, &mut roots, 0);
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { big.set_slot(usize::from(SLOTS) - 1, Some(child.obj())) };
    gc.step(&mut roots, 0);
    assert_eq!(
        gc.phase(),
        Phase::Marking,
        "the big node takes several steps"
    );
    let last = usize::from(SLOTS) - 1;
    // SAFETY: live nodes of this collector (rooted, or allocated since the last allocation).
    unsafe { gc.write_barrier_move(big.obj(), last..last + 1) };
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { big.set_slot(0, Some(child.obj())) };
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { big.set_slot(last, None) };
    while gc.phase() != Phase::Idle {
        gc.step(&mut roots, 0);
        gc.verify(&mut roots).unwrap();
    }
    assert!(gc.contains(child.obj()));
    assert_eq!(big.slot(0), Some(child.obj()));
}

/// Objects allocated during marking that only the roots hold (registers and stacks in
/// the VM, which take no barrier) are found by marking's incremental passes over the
/// roots, not left for the atomic phase to trace in its pause.
#[test]
fn marking_traces_what_only_the_roots_hold_before_the_atomic_phase() {
    const HELD: usize = 50_000;
    for mode in [GcMode::Incremental, GcMode::Generational] {
        let (mut gc, mut roots) = marking_over_rooted_nodes(mode);
        for _ in 0..HELD {
            rooted_node(&mut gc, &mut roots, 0);
        }
        // Garbage until the cycles running meanwhile are over.
        let cycles = gc.stats().cycles;
        while gc.stats().cycles < cycles + 2 {
            node(&mut gc, &mut roots, 1);
        }
        let held_bytes = (HELD * node_bytes(0)) as u64;
        let atomic = gc.atomic_marked_bytes_max();
        assert!(
            atomic < held_bytes / 10,
            "{mode:?}: an atomic phase marked {atomic} B of the {held_bytes} B the roots hold"
        );
        gc.verify(&mut roots).unwrap();
    }
}

/// The arenas a sweep empties beyond the headroom go back to the OS a few per step (a
/// thousand at once was a pause of milliseconds), and they all do go back.
#[test]
fn emptied_arenas_go_back_to_the_os_a_few_per_step() {
    let mut gc = gc_in(GcMode::Incremental);
    let mut roots = RootList::default();
    // 64 MB live, then dropped: the next cycle's sweep empties its arenas.
    for _ in 0..1_000_000 {
        rooted_node(&mut gc, &mut roots, 6);
    }
    roots.clear();
    let mut most_at_once = 0;
    // 128 MB of garbage: cycles sweep the dropped data and then their own garbage.
    for _ in 0..4_000_000 {
        let before = gc.heap().arenas_returned();
        node(&mut gc, &mut roots, 1);
        most_at_once = most_at_once.max(gc.heap().arenas_returned() - before);
    }
    let returned = gc.heap().arenas_returned();
    assert!(returned >= 100, "only {returned} arenas went back");
    assert!(
        most_at_once <= 4,
        "{most_at_once} arenas went back in one step"
    );
}

/// A full collection while a cycle marks gives that marking up rather than finishing it
/// (which would mark the heap twice in one pause): it counts one cycle, and what the
/// incremental marking had reached and the program dropped since is freed.
#[test]
fn a_full_collection_during_marking_marks_once_and_frees_what_marking_had_reached() {
    for mode in [GcMode::Incremental, GcMode::Generational] {
        let (mut gc, mut roots) = marking_over_rooted_nodes(mode);
        // The cycle marked every root when it started; half of them are dropped now.
        let dropped: Vec<_> = roots.iter().copied().skip(roots.len() / 2).collect();
        roots.retain(|obj| !dropped.contains(obj));
        let cycles = gc.stats().cycles;
        gc.collect(&mut roots);
        assert_eq!(gc.phase(), Phase::Idle);
        assert_eq!(gc.stats().cycles, cycles + 1, "{mode:?}: one marking");
        assert!(
            dropped.iter().all(|&obj| !gc.contains(obj)),
            "{mode:?}: a dropped object survived the full collection"
        );
        let live = (roots.len() * node_bytes(0)) as u64;
        assert_eq!(gc.stats().live_bytes, live, "{mode:?}");
        gc.verify(&mut roots).unwrap();
        // The next cycles run as usual.
        let cycles = gc.stats().cycles;
        while gc.stats().cycles < cycles + 2 {
            node(&mut gc, &mut roots, 1);
        }
        gc.verify(&mut roots).unwrap();
    }
}

/// A cycle's sweep steps give a dead huge block back at its price, a piece or two a step
/// (unmapping frees every resident page, at many times an arena's sweep), and all of it
/// before the cycle ends.
#[test]
fn sweep_steps_unmap_dead_huge_blocks_a_few_pieces_at_a_time() {
    const HUGE: usize = 64 << 20;
    // Two pieces of 64 KB for a step's `MAX_STEP_WORK`, four for a trim.
    const MOST_PER_STEP: u64 = 6 * (64 << 10);
    let mut gc = gc_in(GcMode::Incremental);
    let mut roots = RootList::default();
    let dead_mapped = |gc: &Gc| gc.heap().large_objects().dead_mapped_bytes();
    for _ in 0..64 {
        rooted_node(&mut gc, &mut roots, 1);
    }
    // Live while the steps that pay for it run; dropped once a cycle has passed.
    let huge = gc.alloc_leaf(HUGE, &mut roots).unwrap();
    // SAFETY: allocated by this collector, with no allocation since.
    unsafe { roots.push(huge) };
    let cycles = gc.stats().cycles;
    while gc.stats().cycles < cycles + 2 {
        node(&mut gc, &mut roots, 1);
    }
    roots.retain(|&obj| obj != huge);
    let mut most_at_once = 0;
    let mut sweep_steps = 0;
    let mut found_dead = false;
    for _ in 0..20_000_000 {
        let (phase, before) = (gc.phase(), dead_mapped(&gc));
        node(&mut gc, &mut roots, 1);
        found_dead |= dead_mapped(&gc) > 0;
        if phase == Phase::Sweeping && before > dead_mapped(&gc) {
            sweep_steps += 1;
            most_at_once = most_at_once.max(before - dead_mapped(&gc));
        }
        if found_dead && gc.phase() == Phase::Idle {
            break;
        }
    }
    assert!(found_dead, "no cycle found the huge block dead");
    assert_eq!(dead_mapped(&gc), 0, "the cycle ended with the block mapped");
    assert!(
        most_at_once <= MOST_PER_STEP,
        "{most_at_once} B went back in one step"
    );
    assert!(
        sweep_steps >= HUGE as u64 / MOST_PER_STEP,
        "{sweep_steps} steps"
    );
}

/// The dead huge blocks of an explicit full collection go back to the OS in the next
/// steps, a piece at a time (unmapping them in the pause made it tens of
/// milliseconds longer), and all do; the heap limit's collection returns them at once.
#[test]
fn a_full_collection_unmaps_dead_huge_blocks_in_later_steps() {
    const HUGE: usize = 64 << 20;
    let mut gc = gc_in(GcMode::Incremental);
    let mut roots = RootList::default();
    let dead_mapped = |gc: &Gc| gc.heap().large_objects().dead_mapped_bytes();
    gc.alloc_leaf(HUGE, &mut roots).unwrap();
    gc.collect(&mut roots);
    assert_eq!(
        dead_mapped(&gc),
        HUGE as u64,
        "the pause unmapped the dead block"
    );
    let mut most_at_once = 0;
    for _ in 0..2_000_000 {
        let before = dead_mapped(&gc);
        node(&mut gc, &mut roots, 1);
        most_at_once = most_at_once.max(before - dead_mapped(&gc));
        if dead_mapped(&gc) == 0 {
            break;
        }
    }
    assert_eq!(dead_mapped(&gc), 0, "the dead block is still mapped");
    // Steps between cycles unmap 4 arenas' worth, a cycle's sweep steps what their
    // budget pays for.
    assert!(
        most_at_once <= HUGE as u64 / 8,
        "{most_at_once} B went back in one step"
    );

    // At the limit, an allocation's collection frees what an explicit one left mapped.
    gc.set_heap_limit(Some(gc.heap().mapped_bytes() + HUGE + HUGE / 2));
    gc.alloc_leaf(HUGE, &mut roots).unwrap();
    gc.collect(&mut roots);
    assert_eq!(dead_mapped(&gc), HUGE as u64);
    gc.alloc_leaf(HUGE, &mut roots).unwrap();
    gc.verify(&mut roots).unwrap();
}
