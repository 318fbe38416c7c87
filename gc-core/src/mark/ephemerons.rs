//! Ephemerons in time linear in the entries: an index from each unmarked key to the
//! values waiting on it.
//!
//! A weak-keyed entry's value is reachable once its key is, and marking that value may make
//! other keys reachable. Rescanning every weak-keyed object until nothing changes costs one
//! pass per link of a chain of such entries. Instead, convergence visits each weak-keyed
//! object once, the VM reports every entry whose key is not marked yet
//! ([`Tracer::mark_when_live`]), and the marker, whenever it marks a block while the index is
//! open, releases the values waiting on that block ([`EphemeronIndex::released_by`]).
//!
//! Invariant while the index is open: every entry of a weak-keyed object traced this
//! convergence either has its value marked or is in the index under its unmarked key. A
//! key marked later releases its values, so at the end no live key's value is left
//! unmarked. Entries written after the visit cannot exist: convergence runs in the atomic
//! phase, with the mutator stopped.

use std::collections::HashMap;

use crate::object_model::{Liveness, ObjectModel, ObjectRef, Tracer, Weakness};

/// No further value waits on the same key.
const END: u32 = u32::MAX;

/// Values waiting for their weak key to be marked, during one convergence.
#[derive(Default)]
pub struct EphemeronIndex {
    /// Whether a convergence is running: markers consult the index only then.
    open: bool,
    /// Key address to the first of its waiting values in `values`.
    first: HashMap<usize, u32>,
    /// Waiting values, each with the index of the next value of the same key.
    values: Vec<(ObjectRef, u32)>,
    /// Values whose key got marked, still to mark.
    ready: Vec<ObjectRef>,
}

impl EphemeronIndex {
    /// Whether a convergence is running, so a newly marked block may release values.
    #[inline(always)]
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Records that `value` becomes reachable when `key` is marked, if a convergence is
    /// running (outside one, the convergence to come visits the entry again).
    pub fn wait(&mut self, key: ObjectRef, value: ObjectRef) {
        if !self.open {
            return;
        }
        let next = self.first.get(&key.addr()).copied().unwrap_or(END);
        let index = u32::try_from(self.values.len()).expect("fewer than 4G waiting entries");
        self.values.push((value, next));
        self.first.insert(key.addr(), index);
    }

    /// Called by a marker for each block it has just marked while the index is open: the
    /// values waiting on it are now reachable.
    pub fn released_by(&mut self, key: ObjectRef) {
        let Some(mut index) = self.first.remove(&key.addr()) else {
            return;
        };
        while index != END {
            let (value, next) = self.values[index as usize];
            self.ready.push(value);
            index = next;
        }
    }

    fn open(&mut self) {
        self.open = true;
        self.first.clear();
        self.values.clear();
        self.ready.clear();
    }

    /// Ends a convergence; what still waits has a dead key. Keeps the allocations for
    /// the next cycle, unless an unusually large convergence grew them.
    fn close(&mut self) {
        self.open = false;
        self.first.clear();
        self.values.clear();
        self.first.shrink_to(1 << 16);
        self.values.shrink_to(1 << 16);
    }
}

/// A marker that can run [`converge`]: it owns an index and marks to a fixpoint.
pub(crate) trait EphemeronMarker: Tracer + Liveness {
    /// The marker's index, which its `mark` consults while open.
    fn ephemerons(&mut self) -> &mut EphemeronIndex;

    /// The `i`-th weak object traced this cycle; the list grows as marking reaches more.
    fn weak_object(&self, i: usize) -> Option<(ObjectRef, Weakness)>;

    /// A count that grows whenever the marker marks something.
    fn marked_so_far(&self) -> u64;

    /// Traces gray objects until none is left.
    fn drain_all<M: ObjectModel>(&mut self);
}

/// Marks every value of a weak-keyed entry whose key is live, and what those values reach.
///
/// With the index open, one visit per weak-keyed object and one index operation per entry
/// do it. A last pass over the weak-keyed objects then checks the fixpoint: it marks
/// nothing when the object model reports waiting entries, and otherwise (the report is
/// optional) passes repeat while they mark.
pub(crate) fn converge<M: ObjectModel, K: EphemeronMarker>(marker: &mut K) {
    marker.drain_all::<M>();
    marker.ephemerons().open();
    visit_weak_keys::<M, K>(marker);
    loop {
        marker.drain_all::<M>();
        if marker.ephemerons().ready.is_empty() {
            break;
        }
        while let Some(value) = marker.ephemerons().ready.pop() {
            marker.mark(value);
        }
    }
    marker.ephemerons().close();
    loop {
        let before = marker.marked_so_far();
        visit_weak_keys::<M, K>(marker);
        marker.drain_all::<M>();
        if marker.marked_so_far() == before {
            return;
        }
    }
}

/// Visits every weak-keyed object traced this cycle, including those the visits reach.
fn visit_weak_keys<M: ObjectModel, K: EphemeronMarker>(marker: &mut K) {
    let mut i = 0;
    while let Some((obj, weakness)) = marker.weak_object(i) {
        if weakness == Weakness::WeakKeys {
            // SAFETY: weak objects were traced this cycle: live, initialised traversable
            // objects (their collectors' contract).
            unsafe { M::trace_weak(obj, weakness, marker) };
        }
        i += 1;
    }
}
