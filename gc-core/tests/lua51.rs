//! `lua51` on its own: a cycle goes through Lua 5.1's states and sweeps a bounded number
//! of blocks per increment, the next cycle starts at `pause` percent of the live heap,
//! a store into a traced object without the barrier is caught by the verifier, and
//! the blocks an object owns are freed with it or when it replaces them.

use gc_core::collectors::lua51::Phase;
use gc_core::collectors::Lua51;
use gc_core::heap::malloc_space::PREFIX_BYTES;
use gc_core::testing::owner::{leaf_slot, OwnerModel, OWNER_BYTES};
use gc_core::testing::{node_bytes, Node, RootList, TestModel, NODE_KIND};
use gc_core::{Collector, HeapConfig, ObjectRef};

type Gc = Lua51<TestModel>;

/// A node with `slots` slots; odd ids are written rarely (the forward barrier's objects).
fn node(gc: &mut Gc, roots: &mut RootList, id: u64, slots: u16) -> Node {
    let obj = gc
        .alloc_object(NODE_KIND, node_bytes(usize::from(slots)), roots)
        .unwrap();
    // SAFETY: a fresh node block of this size.
    unsafe { Node::init(obj, id, slots) }
}

#[test]
fn a_cycle_propagates_then_sweeps_a_few_blocks_per_step() {
    let mut gc = Gc::new(HeapConfig::default());
    let mut roots = RootList::default();
    for i in 0..2_000 {
        let n = node(&mut gc, &mut roots, 1, 1);
        if i % 2 == 0 {
            // SAFETY: allocated by this collector, with no allocation since.
            unsafe { roots.push(n.obj()) };
        }
    }
    gc.collect(&mut roots);
    // Garbage for the next cycle (no cycle starts by itself), then step it as
    // collectgarbage("step", 0) does, one paced step at a time.
    gc.set_auto_collect(false);
    for _ in 0..2_000 {
        node(&mut gc, &mut roots, 1, 1);
    }
    let mut phases = vec![gc.phase()];
    let mut freed_per_sweep_step = Vec::new();
    loop {
        let before = gc.blocks();
        let finished = gc.step(&mut roots, 0);
        if phases.last() == Some(&Phase::Sweep) {
            freed_per_sweep_step.push(before - gc.blocks());
        }
        if phases.last() != Some(&gc.phase()) {
            phases.push(gc.phase());
        }
        if finished {
            break;
        }
    }
    assert_eq!(
        phases,
        [Phase::Pause, Phase::Propagate, Phase::Sweep, Phase::Pause]
    );
    assert_eq!(gc.blocks(), 1_000);
    // A step does 2,000 units of work (stepmul 200); a sweep increment of 40 blocks
    // costs 400: at most 5 increments, 200 blocks, per step.
    assert!(freed_per_sweep_step.len() >= 10, "{freed_per_sweep_step:?}");
    assert!(
        freed_per_sweep_step.iter().all(|&n| n <= 200),
        "{freed_per_sweep_step:?}"
    );
}

#[test]
fn the_next_cycle_starts_at_pause_percent_of_the_live_heap() {
    for pause in [150, 200, 300] {
        let mut gc = Gc::new(HeapConfig {
            pause_percent: pause,
            ..HeapConfig::default()
        });
        let mut roots = RootList::default();
        for _ in 0..10_000 {
            let n = node(&mut gc, &mut roots, 1, 2);
            // SAFETY: allocated by this collector, with no allocation since.
            unsafe { roots.push(n.obj()) };
        }
        gc.collect(&mut roots);
        let live = gc.stats().live_bytes;
        assert_eq!(live, gc.stats().heap_bytes);
        while gc.phase() == Phase::Pause {
            node(&mut gc, &mut roots, 1, 2);
        }
        // The step that started the cycle ran at the first allocation past the
        // threshold, 5.1's `estimate / 100 * pause`.
        let threshold = live / 100 * u64::from(pause);
        let started_at = gc.stats().heap_bytes;
        let block = (node_bytes(2) + PREFIX_BYTES) as u64;
        assert!(
            started_at >= threshold && started_at <= threshold + 2 * block,
            "pause {pause}: live {live}, cycle started at {started_at}, threshold {threshold}"
        );
    }
}

#[test]
fn a_store_into_a_traced_object_without_the_barrier_is_caught() {
    for barrier in [false, true] {
        for id in [1, 2] {
            let mut gc = Gc::new(HeapConfig::default());
            let mut roots = RootList::default();
            for _ in 0..1_000 {
                let n = node(&mut gc, &mut roots, 1, 0);
                // SAFETY: allocated by this collector, with no allocation since.
                unsafe { roots.push(n.obj()) };
            }
            // The last root: the first object the gray stack gives to propagation.
            let parent = node(&mut gc, &mut roots, id, 1);
            // SAFETY: allocated by this collector, with no allocation since.
            unsafe { roots.push(parent.obj()) };
            gc.collect(&mut roots);
            gc.set_auto_collect(false);
            // One step marks the roots and traces the parent, not all 1,001 objects.
            gc.step(&mut roots, 0);
            assert_eq!(gc.phase(), Phase::Propagate);
            let child = node(&mut gc, &mut roots, 1, 0);
            if barrier {
                // SAFETY: live nodes of this collector (rooted, or allocated since the last allocation).
                unsafe { gc.write_barrier_store(parent.obj(), child.obj()) };
            }
            // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
            unsafe { parent.set_slot(0, Some(child.obj())) };
            let verified = gc.verify(&mut roots);
            assert_eq!(
                verified.is_ok(),
                barrier,
                "id {id}, barrier {barrier}: {verified:?}"
            );
            if barrier {
                while !gc.step(&mut roots, 0) {}
                assert!(gc.contains(child.obj()));
            }
        }
    }
}

#[test]
fn owned_leaves_are_freed_with_their_owner_or_when_replaced() {
    let mut gc = Lua51::<OwnerModel>::new(HeapConfig::default());
    let mut roots = RootList::default();
    for _ in 0..100 {
        let obj = gc.alloc_object(1, OWNER_BYTES, &mut roots).unwrap();
        // SAFETY: a fresh owner, initialised and rooted before the next allocation.
        unsafe {
            leaf_slot(obj).write(None);
            roots.push(obj);
        }
        let leaf = gc.alloc_owned_leaf(100, &mut roots).unwrap();
        // SAFETY: the owner is live; installed before the next allocation.
        unsafe { leaf_slot(obj).write(Some(leaf)) };
    }
    gc.verify(&mut roots).unwrap();
    // Every other owner replaces its block: the old one is freed at once.
    let owners: Vec<ObjectRef> = (0..100).map(|_| roots.pop().unwrap()).collect();
    // SAFETY: the owners are live (rooted until now, no allocation since).
    roots = unsafe { RootList::from_vec(owners.clone()) };
    for &obj in owners.iter().step_by(2) {
        let leaf = gc.alloc_owned_leaf(300, &mut roots).unwrap();
        // SAFETY: a rooted owner; the old block is no longer held once replaced.
        unsafe {
            let old = (*leaf_slot(obj)).unwrap();
            leaf_slot(obj).write(Some(leaf));
            gc.free_owned_leaf(old);
        }
    }
    gc.verify(&mut roots).unwrap();
    // SAFETY: the owners are live.
    let leaves: Vec<ObjectRef> = owners
        .iter()
        .map(|&o| unsafe { *leaf_slot(o) }.unwrap())
        .collect();
    assert!(leaves.iter().all(|&leaf| gc.contains(leaf)));
    let bytes = |n: usize, payload: usize| (n * (payload + PREFIX_BYTES)) as u64;
    let owner = OWNER_BYTES.next_multiple_of(16);
    assert_eq!(gc.blocks(), 200);
    assert_eq!(
        gc.stats().heap_bytes,
        bytes(100, owner) + bytes(50, 100) + bytes(50, 300)
    );
    // The owners of the small blocks die: their blocks go with them.
    roots.retain(|obj| owners.iter().step_by(2).any(|o| o == obj));
    gc.collect(&mut roots);
    gc.verify(&mut roots).unwrap();
    assert_eq!(gc.blocks(), 100);
    assert!(gc.contains(leaves[0]) && !gc.contains(leaves[1]));
    assert_eq!(gc.stats().heap_bytes, bytes(50, owner) + bytes(50, 300));
}
