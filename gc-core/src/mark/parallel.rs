//! Parallel marking of the arena heap: the driver of [`crate::parallel::mark`] (work
//! stealing, surplus sharing, big objects in chunks; loom-checked there) over the heap's
//! mark bits, claimed with `fetch_or` ([`claim_bit`]), and the VM's object model.

use std::marker::PhantomData;
use std::ops::Range;

use crate::heap::arena::CELL_SIZE;
use crate::heap::large_object_space::LargeObjectSpace;
use crate::mark::reach::{reach, trace_gray, MarkingTracer, Reached};
use crate::mark::{is_marked, MarkOutcome};
use crate::object_model::{Liveness, ObjectModel, ObjectRef, Tracer, Weakness};
use crate::parallel::mark::{mark_pool, Claim, MarkGraph, MarkWorker};
use crate::parallel::{claim_bit, Prefetch, WorkerThreads};
use crate::sync::deque::Worker;

/// Strong objects with more parts than this (a table with a big array part) are traced in
/// chunks of this many parts that other workers can steal: a chunk is long enough to
/// repay a deque operation and short enough that one table spreads over every worker.
pub const PARTS_PER_CHUNK: usize = 1024;

/// Gray objects move between workers in batches of about this many: enough that the
/// deque's fences are paid per batch, not per object.
const BATCH: usize = 64;

/// A reference handed between marking threads. `ObjectRef` is not `Send`: an address
/// that safe code could carry to another thread and dereference there would let it race
/// with the mutator. Markers run while the mutator is stopped and touch a block only
/// through its atomic mark bit and, once their claim on it is won, its trace.
#[derive(Copy, Clone)]
#[repr(transparent)]
struct MarkRef(ObjectRef);

// SAFETY: marker threads exist only during a marking, while the mutator is stopped; each
// reads an object's fields only after winning its mark-bit claim (see `MarkGraph`), and
// mark bits are atomics.
unsafe impl Send for MarkRef {}

impl Prefetch for MarkRef {
    #[inline(always)]
    fn prefetch(self) {
        self.0.prefetch();
    }
}

/// The arena heap with the object model `M`, as the parallel driver marks it.
struct HeapGraph<'a, M> {
    large_objects: &'a LargeObjectSpace,
    model: PhantomData<fn() -> M>,
}

// SAFETY: `claim` claims arena mark bits with `fetch_or` (`claim_bit`) and huge blocks'
// marks with an atomic swap: one winner each.
unsafe impl<M: ObjectModel> MarkGraph for HeapGraph<'_, M> {
    type Obj = MarkRef;
    type Weak = (MarkRef, Weakness);
    const PARTS_PER_CHUNK: usize = PARTS_PER_CHUNK;
    const BATCH: usize = BATCH;

    #[inline(always)]
    fn claim(&self, obj: MarkRef) -> Claim {
        match reach(self.large_objects, obj.0, claim_bit) {
            Reached::Already => Claim::Already,
            Reached::Leaf(bytes) => Claim::Leaf(bytes),
            Reached::Object(bytes) => Claim::Object(bytes),
        }
    }

    #[inline(always)]
    unsafe fn strong_parts(&self, obj: MarkRef) -> Option<usize> {
        let obj = obj.0;
        // SAFETY: claimed objects are live and initialised; this worker alone traces it.
        unsafe { (M::weakness(obj) == Weakness::Strong).then(|| M::part_count(obj)) }
    }

    #[inline(always)]
    unsafe fn bytes(&self, obj: MarkRef) -> u64 {
        // SAFETY: as above.
        u64::from(unsafe { obj.0.header() }.cells()) * CELL_SIZE as u64
    }

    #[inline(always)]
    unsafe fn trace(&self, obj: MarkRef, worker: &mut MarkWorker<'_, Self>) -> u64 {
        // SAFETY: as above.
        unsafe { trace_gray::<M, _>(obj.0, worker) }
    }

    #[inline(always)]
    unsafe fn trace_parts(
        &self,
        obj: MarkRef,
        parts: Range<usize>,
        worker: &mut MarkWorker<'_, Self>,
    ) {
        // SAFETY: per the caller, these parts are traced once, within the part count.
        unsafe { M::trace_parts(obj.0, parts, worker) }
    }
}

impl<M: ObjectModel> Tracer for MarkWorker<'_, HeapGraph<'_, M>> {
    #[inline(always)]
    fn mark(&mut self, obj: ObjectRef) {
        MarkWorker::mark(self, MarkRef(obj));
    }
}

impl<M: ObjectModel> Liveness for MarkWorker<'_, HeapGraph<'_, M>> {
    fn is_live(&self, obj: ObjectRef) -> bool {
        is_marked(self.graph().large_objects, obj)
    }
}

impl<M: ObjectModel> MarkingTracer for MarkWorker<'_, HeapGraph<'_, M>> {
    fn record_weak(&mut self, obj: ObjectRef, weakness: Weakness) {
        MarkWorker::record_weak(self, (MarkRef(obj), weakness));
    }
}

/// Traces everything reachable from `gray` on `workers`. Returns what they
/// marked and the weak objects they traced.
pub(crate) fn drain_in_parallel<M: ObjectModel>(
    large_objects: &LargeObjectSpace,
    gray: impl Iterator<Item = ObjectRef>,
    workers: &WorkerThreads,
) -> (MarkOutcome, Vec<(ObjectRef, Weakness)>) {
    let graph = HeapGraph::<M> {
        large_objects,
        model: PhantomData,
    };
    let deques: Vec<Worker<_>> = (0..workers.count()).map(|_| Worker::new_lifo()).collect();
    let gray: Vec<MarkRef> = gray.map(MarkRef).collect();
    let pool = mark_pool::<HeapGraph<M>>(&deques, &gray);
    // The pool's scope ends after every worker has: their marks are visible afterwards.
    let per_worker = workers.run(deques, |me, local| {
        MarkWorker::new(&graph, &local).run(&pool, me)
    });
    per_worker
        .into_iter()
        .fold(Default::default(), |(mut total, mut weak), marked| {
            total.live_bytes += marked.live_bytes;
            total.live_objects += marked.live_objects;
            weak.extend(
                marked
                    .weak
                    .into_iter()
                    .map(|(obj, weakness)| (obj.0, weakness)),
            );
            (total, weak)
        })
}
