//! Parallel marking: workers drain the gray objects together, stealing work from each
//! other through a [`WorkPool`].
//!
//! Invariants: an object is traced only by the worker that claimed its mark bit with
//! `fetch_or` ([`claim_bit`]), so exactly once, whatever the interleaving; a strong object
//! with more than [`PARTS_PER_CHUNK`] parts is split into chunks, each traced exactly once
//! by whoever takes it; the phase ends only when every worker is idle and every queue
//! empty (the pool's termination protocol). These protocols are the loom-checked ones.

use crate::heap::arena::CELL_SIZE;
use crate::heap::large_object_space::LargeObjectSpace;
use crate::mark::reach::{reach, trace_gray, MarkingTracer, Reached};
use crate::mark::{is_marked, MarkOutcome};
use crate::object_model::{Liveness, ObjectModel, ObjectRef, Tracer, Weakness};
use crate::parallel::{claim_bit, run_workers, WorkPool};
use crate::sync::deque::Worker;

/// Strong objects with more parts than this (a table with a big array part) are traced in
/// chunks of this many parts that other workers can steal.
pub const PARTS_PER_CHUNK: usize = 1024;

/// A unit of marking work.
enum WorkItem {
    /// A gray object, to trace whole (or to split into chunks).
    Object(ObjectRef),
    /// Parts `start..end` of a split object.
    Parts {
        obj: ObjectRef,
        start: usize,
        end: usize,
    },
}

/// One worker's tracer: claims mark bits atomically and pushes onto its own deque.
struct WorkerTracer<'a> {
    local: &'a Worker<WorkItem>,
    large_objects: &'a LargeObjectSpace,
    outcome: MarkOutcome,
    weak_objects: Vec<(ObjectRef, Weakness)>,
}

impl Tracer for WorkerTracer<'_> {
    #[inline]
    fn mark(&mut self, obj: ObjectRef) {
        match reach(self.large_objects, obj, claim_bit) {
            Reached::Already => {}
            Reached::Leaf(bytes) => self.outcome.count(bytes),
            Reached::Object(bytes) => {
                self.outcome.count(bytes);
                self.local.push(WorkItem::Object(obj));
            }
        }
    }
}

impl Liveness for WorkerTracer<'_> {
    fn is_live(&self, obj: ObjectRef) -> bool {
        is_marked(self.large_objects, obj)
    }
}

impl MarkingTracer for WorkerTracer<'_> {
    fn record_weak(&mut self, obj: ObjectRef, weakness: Weakness) {
        self.weak_objects.push((obj, weakness));
    }
}

impl WorkerTracer<'_> {
    fn process<M: ObjectModel>(&mut self, item: WorkItem) {
        match item {
            WorkItem::Object(obj) => {
                // SAFETY: the item came from a claimed mark bit, so this worker alone traces
                // it; reached objects are live and initialised.
                let parts = unsafe { M::part_count(obj) };
                // SAFETY: as above.
                let strong = unsafe { M::weakness(obj) } == Weakness::Strong;
                if strong && parts > PARTS_PER_CHUNK {
                    // SAFETY: as above.
                    self.outcome.live_bytes +=
                        u64::from(unsafe { obj.header() }.cells()) * CELL_SIZE as u64;
                    for start in (PARTS_PER_CHUNK..parts).step_by(PARTS_PER_CHUNK) {
                        let end = (start + PARTS_PER_CHUNK).min(parts);
                        self.local.push(WorkItem::Parts { obj, start, end });
                    }
                    // SAFETY: as above; 0..PARTS_PER_CHUNK lies within 0..parts.
                    unsafe { M::trace_parts(obj, 0..PARTS_PER_CHUNK, self) };
                } else {
                    // SAFETY: as above.
                    self.outcome.live_bytes += unsafe { trace_gray::<M, _>(obj, self) };
                }
            }
            // SAFETY: each chunk was pushed once, by the worker that claimed the object.
            WorkItem::Parts { obj, start, end } => unsafe { M::trace_parts(obj, start..end, self) },
        }
    }
}

/// Traces everything reachable from `gray` with `threads` workers. Returns what they
/// marked and the weak objects they traced.
pub(crate) fn drain_in_parallel<M: ObjectModel>(
    large_objects: &LargeObjectSpace,
    gray: impl Iterator<Item = ObjectRef>,
    threads: usize,
) -> (MarkOutcome, Vec<(ObjectRef, Weakness)>) {
    let deques: Vec<Worker<WorkItem>> = (0..threads).map(|_| Worker::new_lifo()).collect();
    let pool = WorkPool::new(&deques);
    // Joining the workers' threads (in run_workers) makes their marks visible afterwards.
    gray.for_each(|obj| pool.inject(WorkItem::Object(obj)));
    let per_worker = run_workers(deques, |me, local| {
        let mut tracer = WorkerTracer {
            local: &local,
            large_objects,
            outcome: MarkOutcome::default(),
            weak_objects: Vec::new(),
        };
        pool.run(me, &local, |item, _| tracer.process::<M>(item));
        (tracer.outcome, tracer.weak_objects)
    });
    per_worker.into_iter().fold(
        Default::default(),
        |(mut total, mut weak), (outcome, objects)| {
            total.live_bytes += outcome.live_bytes;
            total.live_objects += outcome.live_objects;
            weak.extend(objects);
            (total, weak)
        },
    )
}
