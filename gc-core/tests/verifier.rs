//! The verifier catches what it claims to: each test breaks one invariant on purpose.

use std::sync::atomic::Ordering;

use gc_core::collectors::newgc::Phase;
use gc_core::collectors::{NewGc, Stw};
use gc_core::heap::arena::{Arena, ARENA_SIZE};
use gc_core::testing::{node_bytes, Node, RootList, TestModel, NODE_KIND};
use gc_core::{Collector, GcMode, HeapConfig};

fn heap_with_two_nodes() -> (Stw<TestModel>, RootList, Node, Node) {
    let mut gc = Stw::<TestModel>::new(HeapConfig::default());
    let mut roots = RootList::default();
    let parent = gc
        .alloc_object(NODE_KIND, node_bytes(1), &mut roots)
        .unwrap();
    // SAFETY: fresh blocks of the right size.
    let parent = unsafe { Node::init(parent, 1, 1) };
    // SAFETY: allocated by this collector, with no allocation since.
    unsafe { roots.push(parent.obj()) };
    let child = gc
        .alloc_object(NODE_KIND, node_bytes(0), &mut roots)
        .unwrap();
    // SAFETY: as above.
    let child = unsafe { Node::init(child, 2, 0) };
    // SAFETY: initialises `parent`, allocated with `child` since the last allocation.
    unsafe { parent.set_slot(0, Some(child.obj())) };
    gc.verify(&mut roots).expect("a sound heap verifies");
    (gc, roots, parent, child)
}

#[test]
fn a_dangling_reference_is_reported() {
    let (mut gc, mut roots, parent, child) = heap_with_two_nodes();
    // SAFETY: emptying a slot.
    unsafe { parent.set_slot(0, None) };
    gc.collect(&mut roots);
    // SAFETY: `child` is freed, against the contract, but the heap is given only to
    // `verify`, which looks every reference up before reading it: the test's point.
    unsafe { parent.set_slot(0, Some(child.obj())) };
    let error = gc.verify(&mut roots).unwrap_err();
    assert!(error.0.contains("not an allocated block"), "{error}");
}

#[test]
fn a_header_that_disagrees_with_the_bitmap_is_reported() {
    let (mut gc, mut roots, _, child) = heap_with_two_nodes();
    // SAFETY: bytes 4..8 of the header are its cell count; the block is live and ours.
    unsafe { child.obj().as_ptr().add(4).cast::<u32>().write(7) };
    let error = gc.verify(&mut roots).unwrap_err();
    assert!(error.0.contains("header says 7 cells"), "{error}");
}

#[test]
fn a_black_block_between_collections_is_reported() {
    let (mut gc, mut roots, _, child) = heap_with_two_nodes();
    // SAFETY: the child is a live block; nothing else views the bitmaps now.
    let (word, bit) = unsafe { Arena::mark_word(child.obj().addr()) };
    word.fetch_or(bit, Ordering::Relaxed);
    let error = gc.verify(&mut roots).unwrap_err();
    assert!(error.0.contains("black block"), "{error}");
}

#[test]
fn a_black_leaf_block_between_collections_is_reported() {
    let (mut gc, mut roots, _, _) = heap_with_two_nodes();
    let leaf = gc.alloc_leaf(48, &mut roots).unwrap();
    // SAFETY: allocated by this collector, with no allocation since.
    unsafe { roots.push(leaf) };
    gc.verify(&mut roots).expect("a sound heap verifies");
    // SAFETY: the leaf is a live block; nothing else views the bitmaps now.
    let (word, bit) = unsafe { Arena::mark_word(leaf.addr()) };
    word.fetch_or(bit, Ordering::Relaxed);
    let error = gc.verify(&mut roots).unwrap_err();
    assert!(error.0.contains("black block"), "{error}");
}

#[test]
fn a_reference_into_another_heap_is_reported() {
    let (mut gc, mut roots, parent, _) = heap_with_two_nodes();
    let mut other = Stw::<TestModel>::new(HeapConfig::default());
    let mut other_roots = RootList::default();
    let foreign = other
        .alloc_object(NODE_KIND, node_bytes(0), &mut other_roots)
        .unwrap();
    // SAFETY: a fresh block of the right size.
    let foreign = unsafe { Node::init(foreign, 3, 0) };
    // SAFETY: `foreign` is another heap's, against the contract, but this heap is given
    // only to `verify`, which looks every reference up before reading it: the test's point.
    unsafe { parent.set_slot(0, Some(foreign.obj())) };
    let error = gc.verify(&mut roots).unwrap_err();
    assert!(error.0.contains("in no arena of this heap"), "{error}");
}

#[test]
fn a_reference_to_a_freed_huge_block_is_reported() {
    let (mut gc, mut roots, _, _) = heap_with_two_nodes();
    let huge = gc.alloc_leaf(ARENA_SIZE, &mut roots).unwrap();
    // SAFETY: allocated by this collector, with no allocation since.
    unsafe { roots.push(huge) };
    gc.verify(&mut roots).expect("a sound heap verifies");
    roots.pop();
    gc.collect(&mut roots);
    assert!(!gc.contains(huge));
    // Verification only looks the address up: the block's mapping may be gone.
    // SAFETY: `huge` is freed, against the list's invariant, but the list is given only
    // to `verify`, which looks every root up in the heap's tables before reading it.
    unsafe { roots.push(huge) };
    let error = gc.verify(&mut roots).unwrap_err();
    assert!(error.0.contains("not a huge block"), "{error}");
}

/// A big object is traced a chunk of parts at a time; a store into a chunk already
/// traced, without a barrier, leaves a traced part referring to an unmarked object.
#[test]
fn a_store_into_the_traced_part_of_a_big_object_is_reported() {
    let mut gc = NewGc::<TestModel>::new(HeapConfig {
        mode: Some(GcMode::Incremental),
        step_deadline: None,
        ..HeapConfig::default()
    });
    let mut roots = RootList::default();
    let big = gc
        .alloc_object(NODE_KIND, node_bytes(40_000), &mut roots)
        .unwrap();
    // SAFETY: a fresh block of the right size.
    let big = unsafe { Node::init(big, 1, 40_000) };
    // SAFETY: allocated by this collector, with no allocation since.
    unsafe { roots.push(big.obj()) };
    let child = gc
        .alloc_object(NODE_KIND, node_bytes(0), &mut roots)
        .unwrap();
    // SAFETY: as above.
    let child = unsafe { Node::init(child, 2, 0) };
    gc.step(&mut roots, 0);
    assert_eq!(
        gc.phase(),
        Phase::Marking,
        "the big node takes several steps"
    );
    gc.verify(&mut roots).expect("a sound heap verifies");
    // SAFETY: a store without the barrier, against the contract, but the heap is given
    // only to `verify` and dropped: the test's point.
    unsafe { big.set_slot(0, Some(child.obj())) };
    let error = gc.verify(&mut roots).unwrap_err();
    assert!(error.0.contains("partly traced"), "{error}");
}
