//! Parallel marking of the arena heap: the driver of [`crate::parallel::mark`] (work
//! stealing, surplus sharing, big objects in chunks; loom-checked there) over the heap's
//! mark bits, claimed with `fetch_or` a word at a time ([`claim_bits`]), and the VM's
//! object model.
//!
//! Two uses: a full marking ([`drain_in_parallel`]), which runs until nothing is gray,
//! and an incremental step's share of marking ([`mark_joinable`], whose helper threads
//! join as they come), bounded by the step's budget and deadline, which follows
//! incremental marking's rules (see [`StepRules`]) and hands back what it did not trace.

use std::marker::PhantomData;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use crate::heap::arena::{is_huge, Arena, ArenaKind, CELL_SIZE};
use crate::heap::large_object_space::LargeObjectSpace;
use crate::mark::reach::{cut_at_bump_cursor, reach, trace_gray, MarkingTracer, Reached};
use crate::mark::{is_marked, MarkOutcome};
use crate::object_model::{Liveness, ObjectModel, ObjectRef, Tracer, Weakness};
use crate::parallel::mark::{
    mark_pool, Claim, MarkGraph, MarkWorker, Marked, StepBudget, WorkItem,
};
use crate::parallel::{claim_bits, Prefetch, WorkPool, WorkerThreads};
use crate::sync::deque::Worker;
use crate::sync::AtomicU64;

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

/// What incremental marking does differently from a full marking (newgc's `marker`
/// module keeps the same rules on one thread):
/// - a traced object turns black (gray bit clear) before it is traced, so a store into it
///   during a later step takes the barrier (a stack's, when it stops running);
/// - a leaf block's size is cut at the leaf space's bump cursor: the bitmap reads the
///   last leaf before the unallocated bump region as running to the region's end.
#[derive(Copy, Clone)]
pub(crate) struct StepRules {
    /// Where the leaf space's bump region is unallocated from.
    pub leaf_bump_cursor: usize,
}

/// The arena heap with the object model `M`, as the parallel driver marks it.
struct HeapGraph<'a, M> {
    large_objects: &'a LargeObjectSpace,
    /// Incremental marking's rules; `None` for a full marking.
    step: Option<StepRules>,
    model: PhantomData<fn() -> M>,
}

impl<M: ObjectModel> HeapGraph<'_, M> {
    /// What the driver is told of `obj`, which this worker reached: a leaf's size is
    /// cut at the bump cursor under incremental marking's rules.
    #[inline(always)]
    fn claim_of(&self, obj: MarkRef, reached: Reached) -> Claim {
        match reached {
            Reached::Already => Claim::Already,
            Reached::Leaf(bytes) => Claim::Leaf(match self.step {
                Some(rules) => cut_at_bump_cursor(obj.0, bytes, rules.leaf_bump_cursor),
                None => bytes,
            }),
            Reached::Object(bytes) => Claim::Object(bytes),
        }
    }
}

// SAFETY: arena mark bits are claimed with `fetch_or` (`claim_bits`), huge blocks'
// marks (`claim`) with an atomic swap: one winner each.
unsafe impl<M: ObjectModel> MarkGraph for HeapGraph<'_, M> {
    type Obj = MarkRef;
    type Note = (MarkRef, Weakness);
    const PARTS_PER_CHUNK: usize = PARTS_PER_CHUNK;
    const BATCH: usize = BATCH;

    #[inline(always)]
    fn claim(&self, obj: MarkRef) -> Claim {
        let reached = reach(self.large_objects, obj.0, |word, bit| {
            claim_bits(word, bit) != 0
        });
        self.claim_of(obj, reached)
    }

    #[inline(always)]
    fn mark_bit(&self, obj: MarkRef) -> Option<(&AtomicU64, u64)> {
        let addr = obj.0.addr();
        // SAFETY: references are to blocks of this heap's live arenas or huge blocks (the
        // Roots and ObjectModel contracts); markers hold no exclusive view of bitmaps.
        (!is_huge(addr)).then(|| unsafe { Arena::mark_word(addr) })
    }

    #[inline(always)]
    fn word_holds_objects(&self, obj: MarkRef) -> bool {
        // A word's bits are the cells of one arena, whose kind says what its blocks are.
        // SAFETY: `obj` is a block of a live arena (it has a mark bit).
        unsafe { Arena::containing(obj.0.addr()).header() }.kind == ArenaKind::Objects
    }

    #[inline(always)]
    unsafe fn claimed(&self, obj: MarkRef) -> Claim {
        // Its bit is set, by this worker: `reach` only tells what the block is.
        let reached = reach(self.large_objects, obj.0, |_, _| true);
        self.claim_of(obj, reached)
    }

    #[inline(always)]
    unsafe fn begin_trace(&self, obj: MarkRef) {
        if self.step.is_some() {
            // SAFETY: claimed objects are live and initialised. An object queued twice
            // may be traced by two workers at once, but tracing touches the flags only
            // here, and the mutator is stopped.
            unsafe { obj.0.header().set_gray_concurrently(false) };
        }
    }

    #[inline(always)]
    unsafe fn strong_parts(&self, obj: MarkRef) -> Option<usize> {
        // SAFETY: claimed objects are live and initialised; this worker alone traces it.
        unsafe {
            let strong = M::weakness(obj.0) == Weakness::Strong;
            strong.then(|| M::part_count(obj.0))
        }
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
        self.record((MarkRef(obj), weakness));
    }
}

/// Traces everything reachable from `gray` on `workers`' threads, all of them at once,
/// the collector's thread waiting: having it mark and the pool's threads join as they
/// come (`mark_joinable`) measured slower on a loaded machine. Returns what they marked
/// and the weak objects they traced.
pub(crate) fn drain_in_parallel<M: ObjectModel>(
    large_objects: &LargeObjectSpace,
    gray: impl Iterator<Item = ObjectRef>,
    workers: &WorkerThreads,
) -> (MarkOutcome, Vec<(ObjectRef, Weakness)>) {
    let graph = HeapGraph::<M> {
        large_objects,
        step: None,
        model: PhantomData,
    };
    let deques: Vec<Worker<_>> = (0..workers.count()).map(|_| Worker::new_lifo()).collect();
    let gray: Vec<MarkRef> = gray.map(MarkRef).collect();
    let pool = mark_pool::<HeapGraph<M>>(&deques, &gray);
    // The pool's scope ends after every worker has: their marks are visible afterwards.
    let per_worker = workers.run(deques, |me, local| {
        MarkWorker::new(&graph, &local).run(&pool, me)
    });
    let mut total = MarkOutcome::default();
    let mut weak = Vec::new();
    for marked in per_worker {
        total.live_bytes += marked.live_bytes;
        total.live_objects += marked.live_objects;
        weak.extend(
            marked
                .notes
                .into_iter()
                .map(|(obj, weakness)| (obj.0, weakness)),
        );
    }
    (total, weak)
}

/// What the workers of a parallel marking did.
pub(crate) struct JoinableMarked {
    /// What they reached.
    pub outcome: MarkOutcome,
    /// Their work, weighed by the step's budget (0 without one).
    pub work: u64,
    /// The weak objects they traced.
    pub notes: Vec<(ObjectRef, Weakness)>,
    /// What they did not trace before the budget ran out: reached objects, and part
    /// ranges of objects traced in chunks.
    pub unfinished: Vec<WorkItem<ObjectRef>>,
}

/// What the threads of a parallel marking share. The marking's own thread (the owner,
/// worker 0) marks at once; helpers started on the pool join when the OS runs them, if
/// the marking is still going ([`WorkPool::join`]), so a late one (on a loaded machine,
/// milliseconds late) never holds it up.
struct SharedMarking {
    /// The heap's large-object space: borrowed for the marking only. A helper reads it
    /// only as a member of the pool, and the owner returns only after every member has
    /// left ([`WorkPool::finish`]); one that comes later finds the pool closed.
    large_objects: *const LargeObjectSpace,
    /// Incremental marking's rules, for a step; `None` for a full marking.
    rules: Option<StepRules>,
    pool: WorkPool<WorkItem<MarkRef>>,
    /// Worker `i`'s deque, taken by whoever joins as worker `i`.
    deques: Vec<Mutex<Option<Worker<WorkItem<MarkRef>>>>>,
    /// A step's budget; `None`: mark until nothing is left.
    budget: Option<StepBudget>,
    /// What the helpers marked, put there as they leave.
    marked: Mutex<Vec<Marked<MarkRef, (MarkRef, Weakness)>>>,
}

// SAFETY: the raw pointer is dereferenced only by members of the pool, while the owner
// that lent it waits for them (see the field); the rest is `Send` and `Sync` or behind
// a mutex.
unsafe impl Send for SharedMarking {}
// SAFETY: as above.
unsafe impl Sync for SharedMarking {}

impl SharedMarking {
    /// Marks as worker `me`, whose deque it takes, and returns what it marked.
    fn mark_as<M: ObjectModel>(&self, me: usize) -> Marked<MarkRef, (MarkRef, Weakness)> {
        let local = lock(&self.deques[me])
            .take()
            .expect("each worker index is handed out once");
        let graph = HeapGraph::<M> {
            // SAFETY: the caller is a member of the pool (see `large_objects`).
            large_objects: unsafe { &*self.large_objects },
            step: self.rules,
            model: PhantomData,
        };
        let worker = match &self.budget {
            Some(budget) => MarkWorker::bounded(&graph, &local, budget),
            None => MarkWorker::new(&graph, &local),
        };
        worker.run(&self.pool, me)
    }

    /// A helper: marks if it comes in time, then leaves.
    fn help<M: ObjectModel>(&self) {
        if let Some(me) = self.pool.join() {
            let marked = self.mark_as::<M>(me);
            lock(&self.marked).push(marked);
            self.pool.leave();
        }
    }
}

/// Locks `mutex`; a helper that panicked while holding it aborts the process first (the
/// pool's threads do not unwind into the collector), so poisoning cannot be observed.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Marks from `objects` (reached, untraced; one may come twice, then it is traced twice,
/// as one marker does with an object queued twice) and the part ranges `parts` of
/// objects traced in chunks, on this thread, joined by `workers`' threads as they come:
/// by incremental marking's `rules` until `budget` is spent or nothing is left (a step),
/// or, without them, by a full marking's until nothing is left.
pub(crate) fn mark_joinable<M: ObjectModel>(
    large_objects: &LargeObjectSpace,
    rules: Option<StepRules>,
    objects: &[ObjectRef],
    parts: &[(ObjectRef, Range<usize>)],
    budget: Option<StepBudget>,
    workers: &WorkerThreads,
) -> JoinableMarked {
    let deques: Vec<Worker<_>> = (0..workers.count()).map(|_| Worker::new_lifo()).collect();
    let pool = WorkPool::joinable(&deques);
    for batch in objects.chunks(BATCH) {
        pool.inject(WorkItem::Batch(
            batch.iter().copied().map(MarkRef).collect(),
        ));
    }
    for (obj, range) in parts {
        for start in range.clone().step_by(PARTS_PER_CHUNK) {
            let end = (start + PARTS_PER_CHUNK).min(range.end);
            let obj = MarkRef(*obj);
            pool.inject(WorkItem::Parts { obj, start, end });
        }
    }
    let shared = Arc::new(SharedMarking {
        large_objects,
        rules,
        pool,
        deques: deques.into_iter().map(|d| Mutex::new(Some(d))).collect(),
        budget,
        marked: Mutex::new(Vec::new()),
    });
    for _ in 1..workers.count() {
        let shared = Arc::clone(&shared);
        workers.spawn(move || shared.help::<M>());
    }
    let mine = shared.mark_as::<M>(0);
    shared.pool.finish();
    let mut result = JoinableMarked {
        outcome: MarkOutcome::default(),
        work: 0,
        notes: Vec::new(),
        unfinished: Vec::new(),
    };
    let theirs = std::mem::take(&mut *lock(&shared.marked));
    for marked in std::iter::once(mine).chain(theirs) {
        result.outcome.live_bytes += marked.live_bytes;
        result.outcome.live_objects += marked.live_objects;
        result.work += shared.budget.as_ref().map_or(0, |b| b.work(&marked));
        let Marked {
            notes, unfinished, ..
        } = marked;
        result
            .notes
            .extend(notes.into_iter().map(|(obj, noted)| (obj.0, noted)));
        result
            .unfinished
            .extend(unfinished.into_iter().map(unwrap_item));
    }
    result
        .unfinished
        .extend(shared.pool.leftovers().into_iter().map(unwrap_item));
    result
}

/// A work item with plain references again, for the thread that hands it on.
fn unwrap_item(item: WorkItem<MarkRef>) -> WorkItem<ObjectRef> {
    match item {
        WorkItem::Batch(objects) => WorkItem::Batch(objects.into_iter().map(|o| o.0).collect()),
        WorkItem::Parts { obj, start, end } => WorkItem::Parts {
            obj: obj.0,
            start,
            end,
        },
    }
}
