//! Huge blocks one object owns (a table's parts) go back to the OS when their owner
//! replaces them, in the collectors on the NewGC heap: an array grown by doubling maps
//! only its last two sizes, never every earlier one until a collection finds them dead,
//! and the heap's count follows. A block the forward barrier recorded may be replaced
//! before a step marks the records, and one replaced during a marking does not count in
//! the live heap it finds. A dead one is not held while the VM prunes its weak
//! references, as a string may be.

use gc_core::collectors::newgc::Phase;
use gc_core::collectors::{NewGc, Stw};
use gc_core::heap::arena::ARENA_SIZE;
use gc_core::testing::intern::InternTable;
use gc_core::testing::owner::{leaf_slot, OwnerModel, OWNER_BYTES};
use gc_core::testing::RootList;
use gc_core::{Collector, GcMode, HeapConfig, ObjectRef};

/// Doublings of the owned block, from two arenas (huge) up.
const DOUBLINGS: u32 = 8;

/// A rooted owner object with no block yet.
fn rooted_owner<C: Collector<OwnerModel>>(gc: &mut C, roots: &mut RootList) -> ObjectRef {
    let obj = gc.alloc_object(1, OWNER_BYTES, roots).unwrap();
    // SAFETY: a fresh owner, initialised and rooted before the next allocation.
    unsafe {
        leaf_slot(obj).write(None);
        roots.push(obj);
    }
    obj
}

/// Gives `owner` a new owned block of `bytes`, as a table's resize does: the new block
/// installed with the barrier, then the old one freed.
fn replace_block<C: Collector<OwnerModel>>(
    gc: &mut C,
    roots: &mut RootList,
    owner: ObjectRef,
    bytes: usize,
) -> ObjectRef {
    let block = gc.alloc_owned_leaf(bytes, roots).unwrap();
    install(gc, owner, block);
    block
}

/// Installs `block` in `owner` with the barrier and frees the block it held.
fn install<C: Collector<OwnerModel>>(gc: &mut C, owner: ObjectRef, block: ObjectRef) {
    // SAFETY: `owner` is rooted and live; `block` is owned by it alone from here, and the
    // old block is read by nothing once replaced.
    unsafe {
        gc.write_barrier_store(owner, block);
        let old = leaf_slot(owner).replace(Some(block));
        if let Some(old) = old {
            gc.free_owned_leaf(old);
        }
    }
}

fn doubling_maps_two_sizes_at_most<C: Collector<OwnerModel>>(config: HeapConfig) {
    let mut gc = C::new(config);
    let mut roots = RootList::default();
    let owner = rooted_owner(&mut gc, &mut roots);
    let small_mapped = gc.stats().mapped_bytes;
    let mut bytes = 2 * ARENA_SIZE;
    for _ in 0..DOUBLINGS {
        replace_block(&mut gc, &mut roots, owner, bytes);
        let stats = gc.stats();
        assert!(
            stats.mapped_bytes <= small_mapped + bytes as u64,
            "{}: {} bytes mapped for a block of {bytes}",
            C::NAME,
            stats.mapped_bytes
        );
        assert!(
            stats.heap_bytes <= (OWNER_BYTES + bytes) as u64 + ARENA_SIZE as u64,
            "{}: heap of {} bytes for a block of {bytes}",
            C::NAME,
            stats.heap_bytes
        );
        gc.verify(&mut roots).unwrap();
        bytes *= 2;
    }
    let peak = gc.stats().footprint_at_peak;
    let last_two = 3 * (bytes / 4) as u64;
    assert!(peak.large_mapped_bytes <= last_two, "{}: {peak:?}", C::NAME);
    gc.collect(&mut roots);
    gc.verify(&mut roots).unwrap();
    assert_eq!(gc.stats().heap_bytes, gc.stats().live_bytes);
}

#[test]
fn a_doubling_block_maps_its_last_two_sizes_at_most() {
    let config = |mode| HeapConfig {
        step_deadline: None,
        mode,
        ..HeapConfig::default()
    };
    doubling_maps_two_sizes_at_most::<NewGc<OwnerModel>>(config(Some(GcMode::Incremental)));
    doubling_maps_two_sizes_at_most::<NewGc<OwnerModel>>(config(Some(GcMode::Generational)));
    doubling_maps_two_sizes_at_most::<Stw<OwnerModel>>(config(None));
}

/// Owners without blocks that keep a marking busy for many steps.
const FILLERS: usize = 100_000;

#[test]
fn a_block_the_forward_barrier_recorded_may_be_replaced_before_the_next_step() {
    let mut gc = NewGc::<OwnerModel>::new(HeapConfig {
        step_deadline: None,
        ..HeapConfig::default()
    });
    let mut roots = RootList::default();
    for _ in 0..FILLERS {
        rooted_owner(&mut gc, &mut roots);
    }
    // The blocks come first, each held by an owner of its own, so that no allocation
    // (and so no step) separates the stores below.
    let owner = rooted_owner(&mut gc, &mut roots);
    replace_block(&mut gc, &mut roots, owner, 64);
    let huge_holder = rooted_owner(&mut gc, &mut roots);
    let huge = replace_block(&mut gc, &mut roots, huge_holder, 4 * ARENA_SIZE);
    let small_holder = rooted_owner(&mut gc, &mut roots);
    let small = replace_block(&mut gc, &mut roots, small_holder, 64);
    // Steps until the owner is traced (black): stores into it then take the barrier,
    // the forward one while marking.
    // SAFETY: the owner is rooted and live.
    while unsafe { owner.header() }.is_gray() {
        gc.step(&mut roots, 0);
        assert_eq!(gc.phase(), Phase::Marking, "the fillers keep marking going");
    }
    // The huge block moves to the owner (recorded), then a small one replaces it, as a
    // table's resize to a small part does, before any step marks the records.
    for (holder, block) in [(huge_holder, huge), (small_holder, small)] {
        // SAFETY: the holder is live; the block is its owner's alone again at once.
        unsafe { leaf_slot(holder).write(None) };
        install(&mut gc, owner, block);
        assert!(gc.forward_records() > 0, "the stores were recorded");
    }
    assert!(!gc.contains(huge), "the replaced huge block is unmapped");
    gc.verify(&mut roots).unwrap();
    while gc.phase() != Phase::Idle {
        gc.step(&mut roots, 1024);
    }
    gc.verify(&mut roots).unwrap();
    // SAFETY: the owner is live.
    assert_eq!(unsafe { *leaf_slot(owner) }, Some(small));
    assert!(gc.contains(small));
}

#[test]
fn a_block_replaced_during_marking_is_not_counted_live() {
    // No cycle before both blocks are in place: the fillers and the big block (3.6 MB)
    // stay below the trigger, and the holder's block starts the marking.
    let mut gc = NewGc::<OwnerModel>::new(HeapConfig {
        step_deadline: None,
        mode: Some(GcMode::Incremental),
        min_trigger_bytes: 4 << 20,
        ..HeapConfig::default()
    });
    let mut roots = RootList::default();
    for _ in 0..FILLERS {
        rooted_owner(&mut gc, &mut roots);
    }
    let owner = rooted_owner(&mut gc, &mut roots);
    replace_block(&mut gc, &mut roots, owner, 8 * ARENA_SIZE);
    // The smaller block that replaces it comes first, held apart, so that no allocation
    // (and so no step) comes between the marking's count of the old one and its freeing.
    let holder = rooted_owner(&mut gc, &mut roots);
    let new_bytes = 2 * ARENA_SIZE;
    let block = replace_block(&mut gc, &mut roots, holder, new_bytes);
    // SAFETY: the owner is rooted and live.
    while unsafe { owner.header() }.is_gray() {
        gc.step(&mut roots, 0);
        assert_eq!(gc.phase(), Phase::Marking, "the fillers keep marking going");
    }
    // Traced: its block is marked and counted. Replaced by the smaller one.
    // SAFETY: the holder is live; the block is the owner's alone at once.
    unsafe { leaf_slot(holder).write(None) };
    install(&mut gc, owner, block);
    assert_eq!(gc.phase(), Phase::Marking);
    while gc.phase() == Phase::Marking {
        gc.step(&mut roots, 1024);
    }
    let objects = ((FILLERS + 2) * OWNER_BYTES.next_multiple_of(16)) as u64;
    let live = gc.stats().live_bytes;
    assert!(
        live <= objects + new_bytes as u64,
        "live {live}: the objects ({objects}) and the new block ({new_bytes})"
    );
}

/// Weak references enough that pruning them outlasts the atomic phase's step.
const INTERNED: usize = 100_000;

#[test]
fn a_dead_owned_block_is_not_held_for_the_pruning() {
    // No cycle before the blocks are allocated: the strings and both blocks (3.6 MB) stay
    // below the trigger, and the steps below run the first cycle.
    let mut gc = NewGc::<OwnerModel>::new(HeapConfig {
        step_deadline: None,
        mode: Some(GcMode::Incremental),
        min_trigger_bytes: 4 << 20,
        ..HeapConfig::default()
    });
    let mut table = InternTable::default();
    for _ in 0..INTERNED {
        let leaf = gc.alloc_leaf(16, &mut table).unwrap();
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { table.intern(leaf) };
    }
    // A huge leaf anyone may refer to (a string), and one a dead owner held alone.
    let shared = gc.alloc_leaf(4 * ARENA_SIZE, &mut table).unwrap();
    let owner = gc.alloc_object(1, OWNER_BYTES, &mut table).unwrap();
    // SAFETY: a fresh owner, initialised before the next allocation and never rooted.
    unsafe { leaf_slot(owner).write(None) };
    let owned = gc.alloc_owned_leaf(4 * ARENA_SIZE, &mut table).unwrap();
    // SAFETY: the owner is live until the cycle below; the block is its alone.
    unsafe { leaf_slot(owner).write(Some(owned)) };
    while gc.phase() != Phase::Sweeping {
        gc.step(&mut table, 0);
    }
    // The VM may still find the string through its table: held until pruning ends.
    assert!(gc.contains(shared), "the dead shared block is held");
    assert!(
        !gc.contains(owned),
        "the dead owned block is freed with the sweep"
    );
    while gc.phase() != Phase::Idle {
        gc.step(&mut table, 1024);
    }
    assert!(!gc.contains(shared));
    gc.verify(&mut table).unwrap();
}
