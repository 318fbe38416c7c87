//! The heap limit: allocation past it collects first, then fails with `OutOfMemory`; no
//! live object is lost, and allocation works again once memory is freed.

use gc_core::collectors::{Epsilon, Stw};
use gc_core::testing::{node_bytes, Node, RootList, TestModel, NODE_KIND};
use gc_core::{Collector, HeapConfig};

const LIMIT: usize = 16 << 20;

fn config() -> HeapConfig {
    HeapConfig {
        heap_limit: Some(LIMIT),
        ..HeapConfig::default()
    }
}

/// Pushes nodes onto a rooted linked list until allocation fails; returns the list length.
fn grow_list_until_out_of_memory<C: Collector<TestModel>>(gc: &mut C, roots: &mut RootList) -> u64 {
    let mut length = 0;
    loop {
        match gc.alloc_object(NODE_KIND, node_bytes(1), roots) {
            Ok(obj) => {
                // SAFETY: a fresh block of node_bytes(1) bytes.
                let node = unsafe { Node::init(obj, length, 1) };
                // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
                unsafe { node.set_slot(0, roots.first().copied()) };
                // SAFETY: allocated by this collector, with no allocation since.
                *roots = unsafe { RootList::from_vec(vec![obj]) };
                length += 1;
            }
            Err(error) => {
                assert_eq!(error.requested, node_bytes(1));
                return length;
            }
        }
    }
}

fn check_list(roots: &RootList, length: u64) {
    let mut next = roots.first().copied();
    let mut expected = length;
    while let Some(obj) = next {
        expected -= 1;
        // SAFETY: the list's nodes are initialised and reachable from the roots.
        let node = unsafe { Node::from_ref(obj) };
        assert_eq!(node.id(), expected, "list node lost or overwritten");
        next = node.slot(0);
    }
    assert_eq!(expected, 0, "list shorter than what was allocated");
}

#[test]
fn stw_collects_garbage_at_the_limit_then_reports_out_of_memory() {
    let mut gc = Stw::<TestModel>::new(config());
    let mut roots = RootList::default();
    // Four limits' worth of garbage: collections must make room for all of it.
    for _ in 0..(4 * LIMIT / 256) {
        gc.alloc_leaf(256, &mut roots)
            .expect("garbage is reclaimed at the limit");
    }
    let length = grow_list_until_out_of_memory(&mut gc, &mut roots);
    let stats = gc.stats();
    assert!(stats.cycles >= 4, "collections ran at the limit: {stats:?}");
    assert!(gc.heap().mapped_in_use() <= LIMIT);
    assert!(
        length * node_bytes(1) as u64 > (LIMIT / 2) as u64,
        "the limit was mostly usable: {length}"
    );
    check_list(&roots, length);
    gc.verify(&mut roots)
        .expect("heap intact after out-of-memory");

    assert!(
        gc.alloc_leaf(LIMIT + 1, &mut roots).is_err(),
        "a block above the limit fails"
    );
    check_list(&roots, length);

    roots.clear();
    gc.alloc_object(NODE_KIND, node_bytes(1), &mut roots)
        .expect("memory is usable again");
    assert!(
        gc.alloc_leaf(LIMIT / 2, &mut roots).is_ok(),
        "a huge block fits after collecting"
    );
}

#[test]
fn epsilon_fails_at_the_limit_without_collecting() {
    let mut gc = Epsilon::<TestModel>::new(config());
    let mut roots = RootList::default();
    let length = grow_list_until_out_of_memory(&mut gc, &mut roots);
    assert!(gc.heap().mapped_in_use() <= LIMIT);
    assert_eq!(gc.stats().cycles, 0);
    check_list(&roots, length);
    gc.verify(&mut roots)
        .expect("heap intact after out-of-memory");
    roots.clear();
    assert!(
        gc.alloc_leaf(64, &mut roots).is_err(),
        "epsilon never frees"
    );
    gc.set_heap_limit(None);
    assert!(
        gc.alloc_leaf(64, &mut roots).is_ok(),
        "raising the limit lets allocation go on"
    );
}

#[test]
fn stopped_collector_grows_then_collects_at_the_limit() {
    let mut gc = Stw::<TestModel>::new(config());
    let mut roots = RootList::default();
    gc.set_auto_collect(false);
    for _ in 0..(LIMIT / 2 / 256) {
        gc.alloc_leaf(256, &mut roots).unwrap();
    }
    assert_eq!(
        gc.stats().cycles,
        0,
        "no collection below the limit while stopped"
    );
    for _ in 0..(LIMIT / 256) {
        gc.alloc_leaf(256, &mut roots)
            .expect("the limit still forces a collection");
    }
    assert!(gc.stats().cycles >= 1);
    gc.set_auto_collect(true);
    gc.set_pause(100);
    let before = gc.stats().cycles;
    for _ in 0..(LIMIT / 256) {
        gc.alloc_leaf(256, &mut roots).unwrap();
    }
    assert!(
        gc.stats().cycles > before,
        "collections start by themselves again"
    );
}
