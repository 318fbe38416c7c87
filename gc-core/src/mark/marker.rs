//! The sequential marker: a [`Tracer`] that sets mark bits and keeps a gray stack.
//!
//! Tri-color invariant while it runs: a block is white (mark bit clear), gray (marked and
//! on the gray stack) or black (marked and traced). `mark` turns white into gray; `drain`
//! turns gray into black by tracing. When the stack is empty every reachable block is black.
//! Leaf blocks skip gray: they have nothing to trace.

use std::sync::atomic::{AtomicU64, Ordering};

use super::parallel::drain_in_parallel;
use super::reach::{reach, trace_gray, MarkingTracer, Reached};
use crate::heap::large_object_space::LargeObjectSpace;
use crate::mark::{is_marked, MarkOutcome};
use crate::object_model::{Liveness, ObjectModel, ObjectRef, Tracer, Weakness};

/// Marks blocks and traces objects, one thread.
pub struct Marker<'h> {
    gray_stack: &'h mut Vec<ObjectRef>,
    large_objects: &'h LargeObjectSpace,
    outcome: MarkOutcome,
    /// Every weak object traced this cycle, to revisit (ephemerons) and clear.
    weak_objects: Vec<(ObjectRef, Weakness)>,
}

impl<'h> Marker<'h> {
    /// A marker over the heap whose large-object space is `large_objects`.
    pub fn new(large_objects: &'h LargeObjectSpace, gray_stack: &'h mut Vec<ObjectRef>) -> Self {
        gray_stack.clear();
        Marker {
            gray_stack,
            large_objects,
            outcome: MarkOutcome::default(),
            weak_objects: Vec::new(),
        }
    }

    /// Traces gray objects until none is left.
    ///
    /// Objects pass through a small FIFO between the gray stack and tracing, and are
    /// prefetched on entry: by the time one is traced its header has had
    /// `PREFETCH_DISTANCE` traces' worth of time to arrive from memory.
    pub fn drain<M: ObjectModel>(&mut self) {
        let mut fifo = [None::<ObjectRef>; PREFETCH_DISTANCE];
        let mut next = 0;
        loop {
            let incoming = self.gray_stack.pop();
            if let Some(obj) = incoming {
                prefetch(obj);
            }
            let Some(obj) = std::mem::replace(&mut fifo[next], incoming) else {
                if self.gray_stack.is_empty() && fifo.iter().all(Option::is_none) {
                    return;
                }
                next = (next + 1) % PREFETCH_DISTANCE;
                continue;
            };
            next = (next + 1) % PREFETCH_DISTANCE;
            // SAFETY: only reached traversable objects are pushed, each once.
            self.outcome.live_bytes += unsafe { trace_gray::<M, _>(obj, self) };
        }
    }

    /// Traces the gray objects with the parallel marker's `threads` workers, which claim
    /// mark bits atomically and steal work from each other. Its result is the same as
    /// [`Marker::drain`]'s; with one thread it shows the parallel marker's own overhead.
    pub fn drain_parallel<M: ObjectModel>(&mut self, threads: usize) {
        let (outcome, weak_objects) =
            drain_in_parallel::<M>(self.large_objects, self.gray_stack.drain(..), threads);
        self.outcome.live_bytes += outcome.live_bytes;
        self.outcome.live_objects += outcome.live_objects;
        self.weak_objects.extend(weak_objects);
    }

    /// Revisits weak-key objects until no more values become reachable: a value an
    /// ephemeron holds is live once its key is, and marking it may make other keys live.
    /// Each pass costs one visit per weak object; passes repeat only while they mark.
    pub fn converge_ephemerons<M: ObjectModel>(&mut self) {
        loop {
            let before = self.outcome.live_objects;
            let mut i = 0;
            while let Some(&(obj, weakness)) = self.weak_objects.get(i) {
                if weakness == Weakness::WeakKeys {
                    // SAFETY: weak objects were reached by this marking, so they are live,
                    // initialised traversable objects.
                    unsafe { M::trace_weak(obj, weakness, self) };
                    self.drain::<M>();
                }
                i += 1;
            }
            if self.outcome.live_objects == before {
                return;
            }
        }
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

/// How many objects wait between the gray stack and tracing (see [`Marker::drain`]).
const PREFETCH_DISTANCE: usize = 8;

/// Asks the CPU to start loading an object's first cache line.
#[inline(always)]
fn prefetch(obj: ObjectRef) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint: it never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            obj.as_ptr() as *const i8
        )
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = obj;
}

impl Tracer for Marker<'_> {
    #[inline]
    fn mark(&mut self, obj: ObjectRef) {
        // One marking thread: a plain read-modify-write claims the bit.
        let claim = |word: &AtomicU64, bit: u64| {
            let old = word.load(Ordering::Relaxed);
            word.store(old | bit, Ordering::Relaxed);
            old & bit == 0
        };
        match reach(self.large_objects, obj, claim) {
            Reached::Already => {}
            Reached::Leaf(bytes) => self.outcome.count(bytes),
            Reached::Object(bytes) => {
                self.outcome.count(bytes);
                self.gray_stack.push(obj);
            }
        }
    }
}

impl MarkingTracer for Marker<'_> {
    fn record_weak(&mut self, obj: ObjectRef, weakness: Weakness) {
        self.weak_objects.push((obj, weakness));
    }
}
