//! The sequential marker: a [`Tracer`] that sets mark bits and keeps a gray stack.
//!
//! Tri-color invariant while it runs: a block is white (mark bit clear), gray (marked and
//! on the gray stack) or black (marked and traced). `mark` turns white into gray; `drain`
//! turns gray into black by tracing. When the stack is empty every reachable block is black.
//! Leaf blocks skip gray: they have nothing to trace.

use super::ephemerons::{converge, EphemeronIndex, EphemeronMarker};
use super::parallel::drain_in_parallel;
use super::prefetch::drain_prefetching;
use super::reach::{claim_exclusive, reach, trace_gray, MarkingTracer, Reached};
use crate::heap::large_object_space::LargeObjectSpace;
use crate::mark::{is_marked, MarkOutcome};
use crate::object_model::{Liveness, ObjectModel, ObjectRef, Tracer, Weakness};
use crate::parallel::WorkerThreads;

/// Marks blocks and traces objects, one thread.
pub struct Marker<'h> {
    gray_stack: &'h mut Vec<ObjectRef>,
    large_objects: &'h LargeObjectSpace,
    outcome: MarkOutcome,
    /// Every weak object traced this cycle, to revisit (ephemerons) and clear.
    weak_objects: Vec<(ObjectRef, Weakness)>,
    ephemerons: EphemeronIndex,
}

impl<'h> Marker<'h> {
    /// A marker over the heap whose large-object space is `large_objects`.
    ///
    /// # Safety
    /// Every reference the marker is then given (through [`Tracer::mark`],
    /// [`Tracer::mark_when_live`] or [`Liveness::is_live`]) is a live block of that heap:
    /// the marker sets and reads mark bits in its arena's bitmap, and traces it.
    pub unsafe fn new(
        large_objects: &'h LargeObjectSpace,
        gray_stack: &'h mut Vec<ObjectRef>,
    ) -> Self {
        gray_stack.clear();
        Marker {
            gray_stack,
            large_objects,
            outcome: MarkOutcome::default(),
            weak_objects: Vec::new(),
            ephemerons: EphemeronIndex::default(),
        }
    }

    /// Traces gray objects until none is left, prefetching each a few traces ahead.
    pub fn drain<M: ObjectModel>(&mut self) {
        drain_prefetching(
            self,
            |marker| marker.gray_stack.pop(),
            // SAFETY: only reached traversable objects are pushed, each once.
            |marker, obj| marker.outcome.live_bytes += unsafe { trace_gray::<M, _>(obj, marker) },
        );
    }

    /// Traces the gray objects with the parallel marker on `workers`, which claim mark
    /// bits atomically and steal work from each other. Its result is the same as
    /// [`Marker::drain`]'s; with one worker it shows the parallel marker's own overhead.
    pub fn drain_parallel<M: ObjectModel>(&mut self, workers: &WorkerThreads) {
        let (outcome, weak_objects) =
            drain_in_parallel::<M>(self.large_objects, self.gray_stack.drain(..), workers);
        self.outcome.live_bytes += outcome.live_bytes;
        self.outcome.live_objects += outcome.live_objects;
        self.weak_objects.extend(weak_objects);
    }

    /// Marks what the values of weak-keyed entries with live keys reach, to a fixpoint
    /// (see [`super::ephemerons`]).
    pub fn converge_ephemerons<M: ObjectModel>(&mut self) {
        converge::<M, _>(self);
    }

    /// Removes dead entries from every weak object traced this cycle.
    pub fn clear_weak_objects<M: ObjectModel, L: Liveness>(&self, liveness: &L) {
        for &(obj, weakness) in &self.weak_objects {
            // SAFETY: as in `converge_ephemerons`; the sweep has not freed anything yet.
            unsafe { M::clear_weak(obj, weakness, liveness) };
        }
    }

    /// What was marked so far.
    pub fn outcome(&self) -> MarkOutcome {
        self.outcome
    }
}

impl Liveness for Marker<'_> {
    #[inline]
    fn is_live(&self, obj: ObjectRef) -> bool {
        is_marked(self.large_objects, obj)
    }
}

impl Tracer for Marker<'_> {
    #[inline]
    fn mark(&mut self, obj: ObjectRef) {
        // One marking thread: a plain read-modify-write claims the bit.
        match reach(self.large_objects, obj, claim_exclusive) {
            Reached::Already => return,
            Reached::Leaf(bytes) => self.outcome.count(bytes),
            Reached::Object(bytes) => {
                self.outcome.count(bytes);
                self.gray_stack.push(obj);
            }
        }
        if self.ephemerons.is_open() {
            self.ephemerons.released_by(obj);
        }
    }

    fn mark_when_live(&mut self, key: ObjectRef, value: ObjectRef) {
        self.ephemerons.wait(key, value);
    }
}

impl EphemeronMarker for Marker<'_> {
    fn ephemerons(&mut self) -> &mut EphemeronIndex {
        &mut self.ephemerons
    }

    fn weak_object(&self, i: usize) -> Option<(ObjectRef, Weakness)> {
        self.weak_objects.get(i).copied()
    }

    fn marked_so_far(&self) -> u64 {
        self.outcome.live_objects
    }

    fn drain_all<M: ObjectModel>(&mut self) {
        self.drain::<M>();
    }
}

impl MarkingTracer for Marker<'_> {
    fn record_weak(&mut self, obj: ObjectRef, weakness: Weakness) {
        self.weak_objects.push((obj, weakness));
    }
}
