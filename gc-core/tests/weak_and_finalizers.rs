//! Weak tables (weak keys with ephemeron semantics, weak values, both) and finalizers
//! (resurrection, order, shutdown) in every collector that collects, through the test
//! object model's weak nodes.

use gc_core::collectors::{NewGc, Stw};
use gc_core::testing::{
    node_bytes, Node, RootList, TestModel, NODE_KIND, WEAK_KEYS_AND_VALUES_KIND, WEAK_KEYS_KIND,
    WEAK_VALUES_KIND,
};
use gc_core::{Collector, GcMode, HeapConfig, ObjectModel, ObjectRef, Weakness};

struct Fixture<C> {
    gc: C,
    roots: RootList,
    next_id: u64,
}

impl<C: Collector<TestModel>> Fixture<C> {
    /// Full collections only, and stores without the barrier: incremental mode forced,
    /// so no black object survives a collection.
    fn new() -> Self {
        Fixture {
            gc: C::new(HeapConfig {
                mode: Some(GcMode::Incremental),
                step_deadline: None,
                ..HeapConfig::default()
            }),
            roots: RootList::default(),
            next_id: 0,
        }
    }

    /// A node of `kind` with `slots` slots, kept alive by the roots until the test says
    /// otherwise.
    fn node(&mut self, kind: u8, slots: u16) -> Node {
        let obj = self
            .gc
            .alloc_object(kind, node_bytes(usize::from(slots)), &mut self.roots)
            .unwrap();
        self.next_id += 1;
        // SAFETY: a fresh node block of this size.
        let node = unsafe { Node::init(obj, self.next_id, slots) };
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { self.roots.push(obj) };
        node
    }

    fn unroot(&mut self, nodes: &[Node]) {
        self.roots
            .retain(|obj| !nodes.iter().any(|node| node.obj() == *obj));
    }

    fn collect(&mut self) {
        self.gc.collect(&mut self.roots);
        self.gc
            .verify(&mut self.roots)
            .expect("heap verifies after the collection");
    }

    fn alive(&self, node: Node) -> bool {
        self.gc.contains(node.obj())
    }
}

fn pair(table: Node, index: usize) -> (Option<ObjectRef>, Option<ObjectRef>) {
    (table.slot(2 * index), table.slot(2 * index + 1))
}

fn weak_values_are_cleared_when_only_the_table_holds_them<C: Collector<TestModel>>() {
    let mut f = Fixture::<C>::new();
    let table = f.node(WEAK_VALUES_KIND, 4);
    let (key1, dead_value, key2, live_value) = (
        f.node(NODE_KIND, 0),
        f.node(NODE_KIND, 0),
        f.node(NODE_KIND, 0),
        f.node(NODE_KIND, 0),
    );
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { table.set_slot(0, Some(key1.obj())) };
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { table.set_slot(1, Some(dead_value.obj())) };
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { table.set_slot(2, Some(key2.obj())) };
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { table.set_slot(3, Some(live_value.obj())) };
    f.unroot(&[key1, dead_value, key2]);
    f.collect();
    assert_eq!(
        pair(table, 0),
        (None, None),
        "entry with a dead value removed"
    );
    assert_eq!(
        pair(table, 1),
        (Some(key2.obj()), Some(live_value.obj())),
        "keys are strong"
    );
    assert!(!f.alive(dead_value) && f.alive(key2));
    assert!(
        f.alive(key1),
        "the key was marked before its entry was cleared"
    );
    f.collect();
    assert!(!f.alive(key1), "and dies in the next cycle");
}

fn weak_keys_are_ephemerons<C: Collector<TestModel>>() {
    let mut f = Fixture::<C>::new();
    let table = f.node(WEAK_KEYS_KIND, 8);
    // Pair 0: the value refers back to its own dead key: both must die.
    let (lonely_key, back_pointer) = (f.node(NODE_KIND, 0), f.node(NODE_KIND, 1));
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { back_pointer.set_slot(0, Some(lonely_key.obj())) };
    // Pairs 1 and 2: a chain only a root at its far end makes live, listed so that the
    // first pass visits the dependent pair before its key becomes live.
    let (chained_key, chained_value, root_key, middle) = (
        f.node(NODE_KIND, 0),
        f.node(NODE_KIND, 0),
        f.node(NODE_KIND, 0),
        f.node(NODE_KIND, 1),
    );
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { middle.set_slot(0, Some(chained_key.obj())) };
    // Pair 3: a value with no object key is strong.
    let plain_value = f.node(NODE_KIND, 0);
    let pairs = [
        (Some(lonely_key), Some(back_pointer)),
        (Some(chained_key), Some(chained_value)),
        (Some(root_key), Some(middle)),
        (None, Some(plain_value)),
    ];
    for (i, (key, value)) in pairs.iter().enumerate() {
        // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
        unsafe { table.set_slot(2 * i, key.map(|n| n.obj())) };
        // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
        unsafe { table.set_slot(2 * i + 1, value.map(|n| n.obj())) };
    }
    f.unroot(&[
        lonely_key,
        back_pointer,
        chained_key,
        chained_value,
        middle,
        plain_value,
    ]);
    f.collect();
    assert_eq!(
        pair(table, 0),
        (None, None),
        "a value reaching only its own key does not keep it"
    );
    assert!(!f.alive(lonely_key) && !f.alive(back_pointer));
    assert_eq!(
        pair(table, 1),
        (Some(chained_key.obj()), Some(chained_value.obj())),
        "live through the chain"
    );
    assert_eq!(pair(table, 2), (Some(root_key.obj()), Some(middle.obj())));
    assert_eq!(pair(table, 3), (None, Some(plain_value.obj())));

    f.unroot(&[root_key]);
    f.collect();
    for i in 0..3 {
        assert_eq!(
            pair(table, i),
            (None, None),
            "pair {i} died with the chain's root"
        );
    }
    assert_eq!(pair(table, 3), (None, Some(plain_value.obj())));
    assert!(
        !f.alive(root_key) && !f.alive(middle) && !f.alive(chained_key) && !f.alive(chained_value)
    );
}

fn weak_keys_and_values_keep_nothing_alive<C: Collector<TestModel>>() {
    let mut f = Fixture::<C>::new();
    let table = f.node(WEAK_KEYS_AND_VALUES_KIND, 4);
    let (dead_key, value, key, dead_value) = (
        f.node(NODE_KIND, 0),
        f.node(NODE_KIND, 0),
        f.node(NODE_KIND, 0),
        f.node(NODE_KIND, 0),
    );
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { table.set_slot(0, Some(dead_key.obj())) };
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { table.set_slot(1, Some(value.obj())) };
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { table.set_slot(2, Some(key.obj())) };
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { table.set_slot(3, Some(dead_value.obj())) };
    f.unroot(&[dead_key, dead_value]);
    f.collect();
    assert_eq!(pair(table, 0), (None, None));
    assert_eq!(pair(table, 1), (None, None));
    assert!(f.alive(value) && f.alive(key) && !f.alive(dead_key) && !f.alive(dead_value));
}

/// Pairs stored into each weak table per round of `stores_between_steps`, and the rounds
/// that store: 128 pairs, within a small table's 256 slots.
const PAIRS_PER_ROUND: usize = 2;
const STORING_ROUNDS: usize = 64;

/// What one round stored into a weak table: at pair `index` a pair that must go (nothing
/// else holds its weak part), at `index + 1` one that must stay (its weak part is held),
/// and whether the collector was marking when they were stored.
struct Stored {
    table: Node,
    index: usize,
    kept: (Node, Node),
    while_marking: bool,
}

/// Stores into weak tables between the small steps of an incremental cycle, with the
/// barrier, each table small or past newgc's `FORWARD_BARRIER_PARTS` (4096 slots): a
/// weak-valued table keeps its keys (strong) and the values held elsewhere, a weak-keyed
/// one the values of live keys only (a value referring back to its key does not keep
/// it), a fully weak one only pairs whose key and value are held elsewhere. Nothing
/// stored is kept alive by the store: what was stored while the collector was marking
/// (`marking` says when, for collectors that tell) is cleared by the same cycle, the rest
/// by the next. The heap verifies after every step.
fn stores_between_steps<C: Collector<TestModel>>(marking: impl Fn(&C) -> bool) {
    let mut f = Fixture::<C>::new();
    // A live chain long enough for a cycle of many steps.
    let head = f.node(NODE_KIND, 1);
    let mut tail = head;
    for _ in 0..20_000 {
        let next = f.node(NODE_KIND, 1);
        // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
        unsafe { tail.set_slot(0, Some(next.obj())) };
        f.unroot(&[next]);
        tail = next;
    }
    let mut tables = Vec::new();
    for kind in [WEAK_VALUES_KIND, WEAK_KEYS_KIND, WEAK_KEYS_AND_VALUES_KIND] {
        for slots in [2 * PAIRS_PER_ROUND * STORING_ROUNDS, 8192] {
            tables.push(f.node(kind, slots as u16));
        }
    }
    f.collect();
    let mut stored = Vec::new();
    let mut round = 0;
    loop {
        if round < STORING_ROUNDS {
            for &table in &tables {
                let index = PAIRS_PER_ROUND * round;
                stored.push(store_pairs(&mut f, table, index, &marking));
            }
        }
        round += 1;
        let finished = f.gc.step(&mut f.roots, 1);
        f.gc.verify(&mut f.roots)
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        if finished && round >= STORING_ROUNDS {
            break;
        }
    }
    assert!(
        stored.iter().any(|s| s.while_marking) || !marking(&f.gc),
        "some stores came while marking"
    );
    let check = |s: &Stored, all: bool| {
        let what = format!("table {} pair {}", s.table.id(), s.index);
        if all || s.while_marking {
            assert_eq!(pair(s.table, s.index), (None, None), "{what}: cleared");
        }
        let (key, value) = s.kept;
        assert_eq!(
            pair(s.table, s.index + 1),
            (Some(key.obj()), Some(value.obj())),
            "{what}: kept"
        );
    };
    for s in &stored {
        check(s, false);
    }
    while !f.gc.step(&mut f.roots, 1) {}
    f.gc.verify(&mut f.roots).expect("heap verifies");
    for s in &stored {
        check(s, true);
    }
}

/// Stores two pairs into `table` at pairs `index` and `index + 1` (see `Stored`).
fn store_pairs<C: Collector<TestModel>>(
    f: &mut Fixture<C>,
    table: Node,
    index: usize,
    marking: &impl Fn(&C) -> bool,
) -> Stored {
    // SAFETY: a live node.
    let weakness = unsafe { TestModel::weakness(table.obj()) };
    let gone = (f.node(NODE_KIND, 1), f.node(NODE_KIND, 1));
    let kept = (f.node(NODE_KIND, 0), f.node(NODE_KIND, 0));
    // The value that goes refers back to its key: it must not keep it in a weak-keyed table.
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { gone.1.set_slot(0, Some(gone.0.obj())) };
    let (key, value) = (gone.0.obj(), gone.1.obj());
    // After the allocations, which may have advanced the cycle.
    let while_marking = marking(&f.gc);
    for (pair, (key, value)) in [
        (index, (key, value)),
        (index + 1, (kept.0.obj(), kept.1.obj())),
    ] {
        for (slot, obj) in [(2 * pair, key), (2 * pair + 1, value)] {
            // SAFETY: live objects of this collector (rooted until the store is done).
            unsafe { f.gc.write_barrier_store(table.obj(), obj) };
            // SAFETY: as above; the barrier ran.
            unsafe { table.set_slot(slot, Some(obj)) };
        }
    }
    // What holds the kept pair: its key in a weak-valued table (a strong key), its key in
    // a weak-keyed one, both in a fully weak one.
    let unrooted = match weakness {
        Weakness::WeakValues => vec![gone.0, gone.1, kept.0],
        Weakness::WeakKeys => vec![gone.0, gone.1, kept.1],
        _ => vec![gone.0, gone.1],
    };
    f.unroot(&unrooted);
    Stored {
        table,
        index,
        kept,
        while_marking,
    }
}

fn finalizers_resurrect_queue_in_reverse_registration_order_and_run_once<
    C: Collector<TestModel>,
>() {
    let mut f = Fixture::<C>::new();
    let (first, second, kept) = (
        f.node(NODE_KIND, 1),
        f.node(NODE_KIND, 0),
        f.node(NODE_KIND, 0),
    );
    let referenced = f.node(NODE_KIND, 0);
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { first.set_slot(0, Some(referenced.obj())) };
    for node in [first, second, kept] {
        // SAFETY: live nodes of this collector (rooted, or allocated since the last allocation).
        unsafe { f.gc.register_finalizer(node.obj()) };
    }
    let weak_values = f.node(WEAK_VALUES_KIND, 2);
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { weak_values.set_slot(1, Some(first.obj())) };
    let weak_keys = f.node(WEAK_KEYS_KIND, 2);
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { weak_keys.set_slot(0, Some(second.obj())) };
    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
    unsafe { weak_keys.set_slot(1, Some(kept.obj())) };
    f.unroot(&[first, second, referenced]);

    f.collect();
    assert!(
        f.alive(first) && f.alive(second) && f.alive(referenced),
        "resurrected with what they reach"
    );
    assert_eq!(
        pair(weak_values, 0),
        (None, None),
        "5.1: a value being finalized leaves weak values"
    );
    assert_eq!(
        pair(weak_keys, 0),
        (Some(second.obj()), Some(kept.obj())),
        "but stays as a weak key"
    );
    f.collect();
    assert!(
        f.alive(first),
        "queued objects stay alive until the VM takes them"
    );
    assert_eq!(
        f.gc.take_pending_finalizers(),
        vec![second.obj(), first.obj()]
    );
    assert!(f.gc.take_pending_finalizers().is_empty());

    f.collect();
    assert!(
        !f.alive(first) && !f.alive(second) && !f.alive(referenced),
        "finalized once, then freed"
    );
    assert_eq!(pair(weak_keys, 0), (None, None));
    assert_eq!(
        f.gc.take_all_finalizers(),
        vec![kept.obj()],
        "shutdown finalizes the rest"
    );
}

/// Nodes in the chain a finalizable object reaches: marking it takes many small steps.
const CHAIN: usize = 20_000;

/// A finalizable object reaching a chain, with a weak-keyed entry whose key only the chain
/// reaches and a weak-valued entry whose value dies with it (see `take_finalizable`).
struct Finalizable {
    owner: Node,
    chain: Vec<Node>,
    weak_keys: Node,
    kept_value: Node,
    weak_values: Node,
}

impl Finalizable {
    fn new<C: Collector<TestModel>>(f: &mut Fixture<C>) -> Self {
        let owner = f.node(NODE_KIND, 1);
        let mut chain = Vec::with_capacity(CHAIN);
        let mut tail = owner;
        for _ in 0..CHAIN {
            let next = f.node(NODE_KIND, 1);
            // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
            unsafe { tail.set_slot(0, Some(next.obj())) };
            chain.push(next);
            tail = next;
        }
        let (weak_keys, kept_value) = (f.node(WEAK_KEYS_KIND, 2), f.node(NODE_KIND, 0));
        let (weak_values, key, dying) = (
            f.node(WEAK_VALUES_KIND, 2),
            f.node(NODE_KIND, 0),
            f.node(NODE_KIND, 0),
        );
        for (table, entry) in [(weak_keys, [tail, kept_value]), (weak_values, [key, dying])] {
            for (slot, node) in entry.into_iter().enumerate() {
                // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
                unsafe { table.set_slot(slot, Some(node.obj())) };
            }
        }
        // SAFETY: a live node of this collector (rooted).
        unsafe { f.gc.register_finalizer(owner.obj()) };
        f.unroot(&[owner, kept_value, dying]);
        f.unroot(&chain);
        Finalizable {
            owner,
            chain,
            weak_keys,
            kept_value,
            weak_values,
        }
    }

    /// Takes the owner as the VM does (rooted while it is finalized) once it is queued,
    /// and checks what it reaches is intact and the weak entries as Lua 5.1 leaves them:
    /// the chain's key kept with its value, the value that died with the owner cleared.
    fn take_finalizable<C: Collector<TestModel>>(&self, f: &mut Fixture<C>) -> bool {
        let taken = f.gc.take_pending_finalizers();
        if taken.is_empty() {
            return false;
        }
        assert_eq!(taken, vec![self.owner.obj()]);
        // SAFETY: the owner is live (just taken) and allocated by this collector.
        unsafe { f.roots.push(self.owner.obj()) };
        self.check_chain(f);
        let tail = self.chain.last().unwrap();
        assert_eq!(
            pair(self.weak_keys, 0),
            (Some(tail.obj()), Some(self.kept_value.obj())),
            "a key the finalizable object reaches is kept"
        );
        assert_eq!(
            pair(self.weak_values, 0),
            (None, None),
            "what died with the object is cleared before its finalizer runs"
        );
        true
    }

    fn check_chain<C: Collector<TestModel>>(&self, f: &Fixture<C>) {
        let mut node = self.owner;
        for (i, &expected) in self.chain.iter().enumerate() {
            let next = node.slot(0).expect("the chain is whole");
            assert!(f.gc.contains(next), "chain node {i} is allocated");
            // SAFETY: an allocated node of the chain.
            node = unsafe { Node::from_ref(next) };
            assert_eq!(node.id(), expected.id(), "chain node {i}");
        }
    }
}

/// A finalizable object found dead by a cycle of small steps: when the VM takes it, what
/// it reaches is intact and the weak objects are cleared of what died with it, and the
/// rest of the cycle frees none of it (newgc marks what it reaches in the steps between
/// two atomic phases: see `newgc::cycle`).
fn finalizable_objects_keep_what_they_reach_until_taken<C: Collector<TestModel>>() {
    let mut f = Fixture::<C>::new();
    f.gc.set_auto_collect(false);
    let object = Finalizable::new(&mut f);
    let mut taken = false;
    let mut steps = 0;
    loop {
        let finished = f.gc.step(&mut f.roots, 1);
        f.gc.verify(&mut f.roots)
            .unwrap_or_else(|e| panic!("step {steps}: {e}"));
        taken = taken || object.take_finalizable(&mut f);
        steps += 1;
        if finished {
            break;
        }
    }
    assert!(taken, "the cycle queued the object");
    object.check_chain(&f);
}

/// An incremental cycle's atomic phase reports, by part, what it finished at once: here
/// the finalizable objects found dead and the weak tables cleared (see
/// `gc_core::AtomicPhase`); a collector without one reports none.
fn the_longest_atomic_phase_counts_what_it_finished<C: Collector<TestModel>>(has_atomic: bool) {
    let mut f = Fixture::<C>::new();
    // Only the cycle the steps below run: no other atomic phase can be the longest.
    f.gc.set_auto_collect(false);
    f.node(WEAK_VALUES_KIND, 1);
    let doomed: Vec<Node> = (0..50).map(|_| f.node(NODE_KIND, 0)).collect();
    for node in &doomed {
        // SAFETY: live nodes of this collector (rooted, or allocated since the last allocation).
        unsafe { f.gc.register_finalizer(node.obj()) };
    }
    f.unroot(&doomed);
    while !f.gc.step(&mut f.roots, 0) {}
    let atomic = f.gc.stats().longest_atomic;
    assert_eq!(f.gc.stats().cycles, 1);
    if !has_atomic {
        assert_eq!(atomic, None);
        return;
    }
    let atomic = atomic.expect("the cycle's atomic phase is reported");
    assert_eq!(atomic.finalizable_count, 50);
    assert_eq!(atomic.weak_count, 1);
    assert!(atomic.total >= atomic.rescan + atomic.finalizable + atomic.weak_clearing);
    assert!(f.gc.take_pending_finalizers().len() == 50);
}

mod the_longest_atomic_phase_counts_what_it_finished {
    use super::*;
    use gc_core::collectors::Lua51;

    #[test]
    fn stw() {
        super::the_longest_atomic_phase_counts_what_it_finished::<Stw<TestModel>>(false);
    }

    #[test]
    fn newgc() {
        super::the_longest_atomic_phase_counts_what_it_finished::<NewGc<TestModel>>(true);
    }

    #[test]
    fn lua51() {
        super::the_longest_atomic_phase_counts_what_it_finished::<Lua51<TestModel>>(true);
    }
}

mod finalizable_objects_keep_what_they_reach_until_taken {
    use super::*;
    use gc_core::collectors::{newgc, Lua51};

    #[test]
    fn stw() {
        super::finalizable_objects_keep_what_they_reach_until_taken::<Stw<TestModel>>();
    }

    #[test]
    fn newgc() {
        super::finalizable_objects_keep_what_they_reach_until_taken::<NewGc<TestModel>>();
    }

    #[test]
    fn lua51() {
        super::finalizable_objects_keep_what_they_reach_until_taken::<Lua51<TestModel>>();
    }

    /// Steps a newgc cycle to between its two atomic phases: the object found dead and
    /// held, not queued, what it reaches still being marked.
    fn between_the_atomic_phases() -> (Fixture<NewGc<TestModel>>, Finalizable) {
        let mut f = Fixture::<NewGc<TestModel>>::new();
        f.gc.set_auto_collect(false);
        let object = Finalizable::new(&mut f);
        while f.gc.stats().longest_atomic.is_none() {
            f.gc.step(&mut f.roots, 1);
        }
        assert_eq!(
            f.gc.phase(),
            newgc::Phase::Marking,
            "marking the held object"
        );
        assert!(
            f.gc.take_pending_finalizers().is_empty(),
            "held, not queued"
        );
        (f, object)
    }

    /// A full collection between the two phases gives up the marking: the held object is
    /// queued, and the full marking marks what it reaches.
    #[test]
    fn newgc_full_collection_while_held() {
        let (mut f, object) = between_the_atomic_phases();
        f.collect();
        assert!(object.take_finalizable(&mut f));
        f.collect();
        object.check_chain(&f);
    }

    /// Shutdown between the two phases finalizes the held object too.
    #[test]
    fn newgc_shutdown_while_held() {
        let (mut f, object) = between_the_atomic_phases();
        assert_eq!(f.gc.take_all_finalizers(), vec![object.owner.obj()]);
    }
}

/// Each test under every collector that collects.
macro_rules! under_collectors {
    ($($test:ident),*) => {
        mod stw {
            use super::*;
            $(#[test] fn $test() { super::$test::<Stw<TestModel>>() })*
        }
        mod newgc {
            use super::*;
            $(#[test] fn $test() { super::$test::<NewGc<TestModel>>() })*
        }
    };
}

mod stores_between_steps {
    use super::*;
    use gc_core::collectors::{lua51, newgc, Lua51};

    #[test]
    fn stw() {
        super::stores_between_steps::<Stw<TestModel>>(|_| false);
    }

    #[test]
    fn newgc() {
        super::stores_between_steps::<NewGc<TestModel>>(|gc| gc.phase() == newgc::Phase::Marking);
    }

    #[test]
    fn lua51() {
        super::stores_between_steps::<Lua51<TestModel>>(|gc| gc.phase() == lua51::Phase::Propagate);
    }
}

under_collectors!(
    weak_values_are_cleared_when_only_the_table_holds_them,
    weak_keys_are_ephemerons,
    weak_keys_and_values_keep_nothing_alive,
    finalizers_resurrect_queue_in_reverse_registration_order_and_run_once
);
