//! Parallel marking: workers drain the gray objects together, stealing work from each
//! other through a [`WorkPool`].
//!
//! Each worker traces from a private gray stack (plain `Vec`, prefetching as the
//! sequential marker does) and shares work in batches: when its private stack holds more
//! than [`BATCH`] objects and its deque is empty, it moves the older half there for idle
//! workers to steal. Deque operations, which fence, thus happen per batch, not per object.
//!
//! Invariants: an object is traced only by the worker that claimed its mark bit with
//! `fetch_or` ([`claim_bit`]), so exactly once, whatever the interleaving; a strong object
//! with more than [`PARTS_PER_CHUNK`] parts is split into chunks, each traced exactly once
//! by whoever takes it; the phase ends only when every worker is idle and every queue
//! empty (the pool's termination protocol). These protocols are the loom-checked ones.

use crate::heap::arena::CELL_SIZE;
use crate::heap::large_object_space::LargeObjectSpace;
use crate::mark::prefetch::drain_prefetching;
use crate::mark::reach::{reach, trace_gray_as, MarkingTracer, Reached};
use crate::mark::{is_marked, MarkOutcome};
use crate::object_model::{Liveness, ObjectModel, ObjectRef, Tracer, Weakness};
use crate::parallel::{claim_bit, run_workers, WorkPool};
use crate::sync::deque::Worker;

/// Strong objects with more parts than this (a table with a big array part) are traced in
/// chunks of this many parts that other workers can steal.
pub const PARTS_PER_CHUNK: usize = 1024;

/// Gray objects move between workers in batches of about this many.
const BATCH: usize = 64;

/// A unit of shared marking work.
enum WorkItem {
    /// Gray objects to trace.
    Batch(Vec<ObjectRef>),
    /// Parts `start..end` of a split object.
    Parts {
        obj: ObjectRef,
        start: usize,
        end: usize,
    },
}

/// One worker: its tracer state, private gray stack and shared deque.
struct MarkWorker<'a> {
    local: &'a Worker<WorkItem>,
    large_objects: &'a LargeObjectSpace,
    gray: Vec<ObjectRef>,
    outcome: MarkOutcome,
    weak_objects: Vec<(ObjectRef, Weakness)>,
    traced_since_share: usize,
}

impl Tracer for MarkWorker<'_> {
    #[inline(always)]
    fn mark(&mut self, obj: ObjectRef) {
        match reach(self.large_objects, obj, claim_bit) {
            Reached::Already => {}
            Reached::Leaf(bytes) => self.outcome.count(bytes),
            Reached::Object(bytes) => {
                self.outcome.count(bytes);
                self.gray.push(obj);
            }
        }
    }
}

impl Liveness for MarkWorker<'_> {
    fn is_live(&self, obj: ObjectRef) -> bool {
        is_marked(self.large_objects, obj)
    }
}

impl MarkingTracer for MarkWorker<'_> {
    fn record_weak(&mut self, obj: ObjectRef, weakness: Weakness) {
        self.weak_objects.push((obj, weakness));
    }
}

impl MarkWorker<'_> {
    fn process<M: ObjectModel>(&mut self, item: WorkItem) {
        match item {
            WorkItem::Batch(objects) => self.gray.extend(objects),
            // SAFETY: each chunk was pushed once, by the worker that claimed the object.
            WorkItem::Parts { obj, start, end } => unsafe { M::trace_parts(obj, start..end, self) },
        }
        drain_prefetching(
            self,
            |worker| &mut worker.gray,
            |worker, obj| worker.trace::<M>(obj),
        );
    }

    /// Traces one gray object this worker claimed, splitting it if it is big and strong.
    fn trace<M: ObjectModel>(&mut self, obj: ObjectRef) {
        // SAFETY: the object came from a claimed mark bit, so this worker alone traces it;
        // reached objects are live and initialised.
        let weakness = unsafe { M::weakness(obj) };
        let parts = if weakness == Weakness::Strong {
            // SAFETY: as above.
            unsafe { M::part_count(obj) }
        } else {
            1
        };
        if parts > PARTS_PER_CHUNK {
            // SAFETY: as above.
            self.outcome.live_bytes +=
                u64::from(unsafe { obj.header() }.cells()) * CELL_SIZE as u64;
            for start in (PARTS_PER_CHUNK..parts).step_by(PARTS_PER_CHUNK) {
                let end = (start + PARTS_PER_CHUNK).min(parts);
                self.local.push(WorkItem::Parts { obj, start, end });
            }
            // SAFETY: as above; the first chunk lies within 0..parts.
            unsafe { M::trace_parts(obj, 0..PARTS_PER_CHUNK, self) };
        } else {
            // SAFETY: as above.
            self.outcome.live_bytes += unsafe { trace_gray_as::<M, _>(obj, weakness, self) };
        }
        self.share_surplus();
    }

    /// Every few objects: if others could use work (this worker's deque is empty) and the
    /// private stack has plenty, moves its older half (nearer the roots, so bigger
    /// subgraphs) to the deque.
    #[inline]
    fn share_surplus(&mut self) {
        self.traced_since_share += 1;
        if self.traced_since_share < BATCH / 2 {
            return;
        }
        self.traced_since_share = 0;
        if self.gray.len() > BATCH && self.local.is_empty() {
            let batch: Vec<ObjectRef> = self.gray.drain(..self.gray.len() / 2).collect();
            self.local.push(WorkItem::Batch(batch));
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
    let gray: Vec<ObjectRef> = gray.collect();
    for batch in gray.chunks(BATCH) {
        pool.inject(WorkItem::Batch(batch.to_vec()));
    }
    // Joining the workers' threads (in run_workers) makes their marks visible afterwards.
    let per_worker = run_workers(deques, |me, local| {
        let mut worker = MarkWorker {
            local: &local,
            large_objects,
            gray: Vec::new(),
            outcome: MarkOutcome::default(),
            weak_objects: Vec::new(),
            traced_since_share: 0,
        };
        pool.run(me, &local, |item, _| worker.process::<M>(item));
        (worker.outcome, worker.weak_objects)
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
