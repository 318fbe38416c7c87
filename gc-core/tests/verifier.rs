//! The verifier catches what it claims to: each test breaks one invariant on purpose.

use std::sync::atomic::Ordering;

use gc_core::collectors::Stw;
use gc_core::heap::arena::Arena;
use gc_core::testing::{node_bytes, Node, RootList, TestModel, NODE_KIND};
use gc_core::{Collector, HeapConfig};

fn heap_with_two_nodes() -> (Stw<TestModel>, RootList, Node, Node) {
    let mut gc = Stw::<TestModel>::new(HeapConfig::default());
    let mut roots = RootList::default();
    let parent = gc
        .alloc_object(NODE_KIND, node_bytes(1), &mut roots)
        .unwrap();
    // SAFETY: fresh blocks of the right size.
    let parent = unsafe { Node::init(parent, 1, 1) };
    roots.0.push(parent.0);
    let child = gc
        .alloc_object(NODE_KIND, node_bytes(0), &mut roots)
        .unwrap();
    // SAFETY: as above.
    let child = unsafe { Node::init(child, 2, 0) };
    parent.set_slot(0, Some(child.0));
    gc.verify(&mut roots).expect("a sound heap verifies");
    (gc, roots, parent, child)
}

#[test]
fn a_dangling_reference_is_reported() {
    let (mut gc, mut roots, parent, child) = heap_with_two_nodes();
    parent.set_slot(0, None);
    gc.collect(&mut roots);
    parent.set_slot(0, Some(child.0));
    let error = gc.verify(&mut roots).unwrap_err();
    assert!(error.0.contains("not an allocated block"), "{error}");
}

#[test]
fn a_header_that_disagrees_with_the_bitmap_is_reported() {
    let (mut gc, mut roots, _, child) = heap_with_two_nodes();
    // SAFETY: bytes 4..8 of the header are its cell count; the block is live and ours.
    unsafe { child.0.as_ptr().add(4).cast::<u32>().write(7) };
    let error = gc.verify(&mut roots).unwrap_err();
    assert!(error.0.contains("header says 7 cells"), "{error}");
}

#[test]
fn a_black_block_between_collections_is_reported() {
    let (mut gc, mut roots, _, child) = heap_with_two_nodes();
    // SAFETY: the child is a live block; nothing else views the bitmaps now.
    let (word, bit) = unsafe { Arena::mark_word(child.0.addr()) };
    word.fetch_or(bit, Ordering::Relaxed);
    let error = gc.verify(&mut roots).unwrap_err();
    assert!(error.0.contains("black block"), "{error}");
}
