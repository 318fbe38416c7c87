//! The sanitizer build catches a use of a dead block: each test reads a block the heap
//! freed, on purpose, so it is built only under `--cfg gc_poison` and ignored even there.
//! `.ci/asan.sh` runs each alone (`--ignored --exact`) and fails unless it aborts with
//! AddressSanitizer's "use-after-poison" report. One test per way a block dies: freed by
//! a bitmap sweep in an arena that stays, binned by the allocator after that, freed with
//! an arena that goes back to the source, and a huge block the lazy sweep took but has
//! not unmapped yet.
#![cfg(gc_poison)]

use gc_core::collectors::newgc::Phase;
use gc_core::collectors::{NewGc, Stw};
use gc_core::testing::{node_bytes, Node, RootList, TestModel, NODE_KIND};
use gc_core::{Collector, HeapConfig, ObjectRef};

/// Reads the first word of `obj`, which the caller knows is dead: the sanitizer aborts
/// the process here.
fn read_dead(obj: ObjectRef) -> u64 {
    // SAFETY: none; the read of freed memory is the point. The memory stays mapped, so
    // without the sanitizer the read would return garbage rather than fault.
    unsafe { std::ptr::read_volatile(obj.as_ptr().cast::<u64>()) }
}

fn node<C: Collector<TestModel>>(gc: &mut C, roots: &mut RootList, id: u64) -> ObjectRef {
    let obj = gc.alloc_object(NODE_KIND, node_bytes(1), roots).unwrap();
    // SAFETY: a fresh block of the right size.
    unsafe { Node::init(obj, id, 1) }.obj()
}

#[test]
#[ignore = "reads freed memory on purpose: .ci/asan.sh expects it to abort"]
fn an_object_the_bitmap_sweep_freed() {
    let mut gc = Stw::<TestModel>::new(HeapConfig::default());
    let mut roots = RootList::default();
    let kept = node(&mut gc, &mut roots, 1);
    // SAFETY: allocated by this collector, with no allocation since.
    unsafe { roots.push(kept) };
    let dead = node(&mut gc, &mut roots, 2);
    gc.collect(&mut roots);
    assert!(gc.contains(kept) && !gc.contains(dead));
    println!("{}", read_dead(dead));
}

#[test]
#[ignore = "reads freed memory on purpose: .ci/asan.sh expects it to abort"]
fn a_block_in_the_free_bins() {
    let mut gc = Stw::<TestModel>::new(HeapConfig::default());
    let mut roots = RootList::default();
    let kept = node(&mut gc, &mut roots, 1);
    // SAFETY: allocated by this collector, with no allocation since.
    unsafe { roots.push(kept) };
    let dead = node(&mut gc, &mut roots, 2);
    let after = node(&mut gc, &mut roots, 3);
    // SAFETY: allocated by this collector, with no allocation since.
    unsafe { roots.push(after) };
    gc.collect(&mut roots);
    // The next allocation bins the arena's free runs, the dead node's hole among them,
    // and takes a block too big for that hole from the arena's tail.
    let big = gc.alloc_leaf(1024, &mut roots).unwrap();
    assert!(big > after && !gc.contains(dead));
    println!("{}", read_dead(dead));
}

#[test]
#[ignore = "reads freed memory on purpose: .ci/asan.sh expects it to abort"]
fn a_leaf_in_an_arena_the_sweep_released() {
    let mut gc = Stw::<TestModel>::new(HeapConfig::default());
    let mut roots = RootList::default();
    let dead = gc.alloc_leaf(64, &mut roots).unwrap();
    gc.collect(&mut roots);
    assert_eq!(gc.stats().arenas, 0, "the emptied arena went back");
    println!("{}", read_dead(dead));
}

#[test]
#[ignore = "reads freed memory on purpose: .ci/asan.sh expects it to abort"]
fn a_huge_block_the_lazy_sweep_took() {
    let mut gc = NewGc::<TestModel>::new(HeapConfig::default());
    let mut roots = RootList::default();
    let kept = node(&mut gc, &mut roots, 1);
    // SAFETY: allocated by this collector, with no allocation since.
    unsafe { roots.push(kept) };
    // Unmapped a piece at a time from its end: its start stays mapped for many steps.
    let dead = gc.alloc_leaf(8 << 20, &mut roots).unwrap();
    while gc.phase() != Phase::Sweeping {
        gc.stress_step(&mut roots).unwrap();
    }
    assert!(!gc.contains(dead));
    println!("{}", read_dead(dead));
}
