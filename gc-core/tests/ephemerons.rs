//! Ephemerons converge in time linear in the entries: a chain of weak-keyed entries
//! `k_i -> k_(i+1)`, listed so that each link is visited before its key is live, keeps
//! every link alive through one root at its start in every collector, visiting the weak
//! node a bounded number of times (a convergence by rescanning visits it once per link).
//! An object model that does not report waiting entries still gets the right answer.

use std::cell::Cell;
use std::ops::Range;

use gc_core::collectors::{Lua51, NewGc, Stw};
use gc_core::testing::{node_bytes, Node, RootList, TestModel, NODE_KIND, WEAK_KEYS_KIND};
use gc_core::{Collector, GcMode, HeapConfig, Liveness, ObjectModel, ObjectRef, Tracer, Weakness};

thread_local! {
    /// `trace_weak` calls on this thread since the counter was last reset.
    static WEAK_VISITS: Cell<usize> = const { Cell::new(0) };
}

/// The test model, counting weak visits, and reporting waiting entries if `REPORTS`.
struct Counting<const REPORTS: bool>;

/// Forwards everything but the reports of waiting entries.
struct Unreported<'t, T>(&'t mut T);

impl<T: Tracer> Tracer for Unreported<'_, T> {
    fn mark(&mut self, obj: ObjectRef) {
        self.0.mark(obj);
    }
}

impl<T: Liveness> Liveness for Unreported<'_, T> {
    fn is_live(&self, obj: ObjectRef) -> bool {
        self.0.is_live(obj)
    }
}

// SAFETY: every method forwards to TestModel's, which keeps the contract; the unreported
// variant only omits the optional `mark_when_live` reports.
unsafe impl<const REPORTS: bool> ObjectModel for Counting<REPORTS> {
    unsafe fn trace<T: Tracer>(obj: ObjectRef, tracer: &mut T) {
        // SAFETY: forwarded from the caller.
        unsafe { TestModel::trace(obj, tracer) }
    }

    unsafe fn part_count(obj: ObjectRef) -> usize {
        // SAFETY: forwarded from the caller.
        unsafe { TestModel::part_count(obj) }
    }

    unsafe fn trace_parts<T: Tracer>(obj: ObjectRef, parts: Range<usize>, tracer: &mut T) {
        // SAFETY: forwarded from the caller.
        unsafe { TestModel::trace_parts(obj, parts, tracer) }
    }

    unsafe fn is_written_often(obj: ObjectRef) -> bool {
        // SAFETY: forwarded from the caller.
        unsafe { TestModel::is_written_often(obj) }
    }

    unsafe fn weakness(obj: ObjectRef) -> Weakness {
        // SAFETY: forwarded from the caller.
        unsafe { TestModel::weakness(obj) }
    }

    unsafe fn trace_weak<T: Tracer + Liveness>(obj: ObjectRef, weakness: Weakness, tracer: &mut T) {
        WEAK_VISITS.with(|visits| visits.set(visits.get() + 1));
        // SAFETY: forwarded from the caller.
        unsafe {
            if REPORTS {
                TestModel::trace_weak(obj, weakness, tracer)
            } else {
                TestModel::trace_weak(obj, weakness, &mut Unreported(tracer))
            }
        }
    }

    unsafe fn clear_weak<L: Liveness>(obj: ObjectRef, weakness: Weakness, liveness: &L) {
        // SAFETY: forwarded from the caller.
        unsafe { TestModel::clear_weak(obj, weakness, liveness) }
    }
}

const LINKS: usize = 2000;

/// Builds the chain in a weak-keyed node rooted with its first key only, collects fully,
/// and returns how many keys survived and how many weak visits the collection made.
fn chain<M: ObjectModel, C: Collector<M>>() -> (usize, usize) {
    let mut gc = C::new(HeapConfig {
        mode: Some(GcMode::Incremental),
        step_deadline: None,
        ..HeapConfig::default()
    });
    let mut roots = RootList::default();
    let mut node = |kind: u8, slots: u16, roots: &mut RootList| {
        let obj = gc
            .alloc_object(kind, node_bytes(usize::from(slots)), roots)
            .unwrap();
        // SAFETY: a fresh node block of this size.
        let node = unsafe { Node::init(obj, roots.len() as u64, slots) };
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { roots.push(obj) };
        node
    };
    let table = node(WEAK_KEYS_KIND, (2 * LINKS) as u16, &mut roots);
    let keys: Vec<Node> = (0..=LINKS)
        .map(|_| node(NODE_KIND, 0, &mut roots))
        .collect();
    // Pair p holds link LINKS-1-p: the links nearest the root come last.
    for link in 0..LINKS {
        let pair = LINKS - 1 - link;
        // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
        unsafe { table.set_slot(2 * pair, Some(keys[link].obj())) };
        // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
        unsafe { table.set_slot(2 * pair + 1, Some(keys[link + 1].obj())) };
    }
    // SAFETY: the table and its first key are reachable from the roots, so live.
    roots = unsafe { RootList::from_vec(vec![table.obj(), keys[0].obj()]) };
    WEAK_VISITS.with(|visits| visits.set(0));
    gc.collect(&mut roots);
    let visits = WEAK_VISITS.with(Cell::get);
    gc.verify(&mut roots).expect("heap verifies");
    let alive = keys.iter().filter(|key| gc.contains(key.obj())).count();
    (alive, visits)
}

fn linear<C: Collector<Counting<true>>>() {
    let (alive, visits) = chain::<Counting<true>, C>();
    assert_eq!(alive, LINKS + 1, "every key of the chain is reachable");
    assert!(
        visits <= 8,
        "{visits} visits of the weak node for {LINKS} links"
    );
}

fn unreported<C: Collector<Counting<false>>>() {
    let (alive, visits) = chain::<Counting<false>, C>();
    assert_eq!(alive, LINKS + 1, "every key of the chain is reachable");
    assert!(
        visits > LINKS,
        "the chain takes a rescan per link ({visits} visits): it tests what it claims"
    );
}

#[test]
fn stw_converges_a_chain_in_a_bounded_number_of_visits() {
    linear::<Stw<Counting<true>>>();
}

#[test]
fn newgc_converges_a_chain_in_a_bounded_number_of_visits() {
    linear::<NewGc<Counting<true>>>();
}

#[test]
fn lua51_converges_a_chain_in_a_bounded_number_of_visits() {
    linear::<Lua51<Counting<true>>>();
}

#[test]
fn stw_converges_without_reports() {
    unreported::<Stw<Counting<false>>>();
}

#[test]
fn newgc_converges_without_reports() {
    unreported::<NewGc<Counting<false>>>();
}

#[test]
fn lua51_converges_without_reports() {
    unreported::<Lua51<Counting<false>>>();
}
