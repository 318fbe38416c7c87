//! The parallel mark driver: workers drain the gray objects together, stealing work from
//! each other through a [`WorkPool`]. It is generic over the heap it marks
//! ([`MarkGraph`]): the collectors run it on the arena heap (`mark::parallel`), and loom
//! runs the same code on a model heap of a few objects (`tests/loom.rs`).
//!
//! Each worker traces from a private gray stack (plain `Vec`, prefetching as the
//! sequential marker does) and shares work in batches: when its private stack holds more
//! than [`MarkGraph::BATCH`] objects and its deque is empty, it moves the older half there
//! for idle workers to steal. Deque operations, which fence, thus happen per batch, not
//! per object. Likewise claims, which are locked instructions: the references a trace
//! reaches one after another whose mark bits share a word (an array of objects allocated
//! together) are claimed with one ([`MarkGraph::claim_bits`]) when a reference into
//! another word comes or the trace ends.
//!
//! Invariants: an object is traced only by the worker whose claim ([`MarkGraph::claim`],
//! or [`MarkGraph::claim_bits`] on its mark bit) won its mark, so exactly once, whatever
//! the interleaving; a worker's gathered claims are all made before its trace returns,
//! so nothing it reached waits unclaimed while it looks for work; a strong object with
//! more than [`MarkGraph::PARTS_PER_CHUNK`] parts is split into chunks, each traced exactly once by
//! whoever takes it; the phase ends only when every worker is idle and every queue empty
//! (the pool's termination protocol).
//!
//! A bounded run (an incremental step's share of marking, [`StepBudget`]) ends instead
//! when the workers together have done the step's work or its deadline has passed: each
//! worker adds its work to a shared count every few objects and stops the pool once the
//! count reaches the budget; every worker then hands back what it has not traced (its
//! private stack, its deque) in [`Marked::unfinished`], and the injector's rest comes
//! back through [`WorkPool::leftovers`]. Nothing is lost: an object is claimed once and
//! then sits in exactly one place (a private stack, a deque, the injector, a worker's
//! hands) until it is traced or handed back.

use std::ops::Range;
use std::time::Instant;

use super::prefetch::{drain_prefetching, Prefetch};
use super::{claim_bits, WorkPool};
use crate::sync::deque::Worker;
use crate::sync::{AtomicU64, Ordering};

/// What claiming an object's mark found.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Someone marked it already: nothing to do.
    Already,
    /// This worker marked a leaf (nothing to trace), of that many bytes.
    Leaf(u64),
    /// This worker marked a traversable object: it must be traced. Bytes to count now
    /// (the rest are counted when it is traced).
    Object(u64),
}

/// A heap as the parallel mark driver sees it.
///
/// # Safety
/// [`MarkGraph::claim`] must return `Leaf` or `Object` for an object to exactly one
/// caller among any that race on it, and [`MarkGraph::claim_bits`] each bit to exactly
/// one caller (until the marks are cleared): the driver traces an object only after
/// winning its claim, and relies on nobody else tracing it.
pub unsafe trait MarkGraph: Sized + Sync {
    /// A reference to an object.
    type Obj: Prefetch + Send;
    /// What tracing records about an object for later (a weak object, a stack), handed
    /// back when marking ends.
    type Note: Send;
    /// Strong objects with more parts than this are traced in chunks of this many parts
    /// that other workers can steal (a table with a big array part).
    const PARTS_PER_CHUNK: usize;
    /// Gray objects move between workers in batches of about this many.
    const BATCH: usize;

    /// Marks `obj`, which has no mark bit ([`MarkGraph::mark_bit`] is `None`): whether
    /// this call won it, and what it is.
    fn claim(&self, obj: Self::Obj) -> Claim;

    /// `obj`'s mark bit: its word and the bit in it, for claims gathered by word; `None`
    /// if it is claimed by [`MarkGraph::claim`] instead (a huge block).
    fn mark_bit(&self, obj: Self::Obj) -> Option<(&AtomicU64, u64)>;

    /// Sets the mark bits `mask` in `word`; returns those this call set
    /// ([`claim_bits`]).
    #[inline(always)]
    fn claim_bits(&self, word: &AtomicU64, mask: u64) -> u64 {
        claim_bits(word, mask)
    }

    /// What `obj` is, now that this worker has set its mark bit: `Leaf` or `Object`.
    ///
    /// # Safety
    /// `obj`'s mark bit was set by the calling worker's [`MarkGraph::claim_bits`].
    unsafe fn claimed(&self, obj: Self::Obj) -> Claim;

    /// Whether [`MarkGraph::claimed`] is `Object(0)` for every block whose mark bit
    /// shares a word with `obj`'s (an arena of traversable objects): the driver then
    /// keeps the objects it wins there without asking about each.
    fn word_holds_objects(&self, obj: Self::Obj) -> bool;

    /// Called once before `obj` is traced, by the worker that traces it: incremental
    /// marking turns it black there (so a later store into it takes the barrier).
    ///
    /// # Safety
    /// As for [`MarkGraph::strong_parts`].
    #[inline(always)]
    unsafe fn begin_trace(&self, obj: Self::Obj) {
        let _ = obj;
    }

    /// `obj`'s part count if it may be traced in chunks (a strong object), `None` if it
    /// is traced whole (a weak one).
    ///
    /// # Safety
    /// `obj` is an object whose claim the calling worker won.
    unsafe fn strong_parts(&self, obj: Self::Obj) -> Option<usize>;

    /// `obj`'s size in bytes, counted when it is traced in chunks.
    ///
    /// # Safety
    /// As for [`MarkGraph::strong_parts`].
    unsafe fn bytes(&self, obj: Self::Obj) -> u64;

    /// Traces `obj` whole (strong or weak: a weak one is recorded through
    /// [`MarkWorker::record`]), marking its references through `worker`. Returns its
    /// bytes.
    ///
    /// # Safety
    /// As for [`MarkGraph::strong_parts`].
    unsafe fn trace(&self, obj: Self::Obj, worker: &mut MarkWorker<'_, Self>) -> u64;

    /// Traces parts `parts` of the strong object `obj`, marking through `worker`.
    ///
    /// # Safety
    /// `obj`'s claim was won by some worker, which handed these parts out once; `parts`
    /// lies within its part count.
    unsafe fn trace_parts(
        &self,
        obj: Self::Obj,
        parts: Range<usize>,
        worker: &mut MarkWorker<'_, Self>,
    );
}

/// A unit of shared marking work.
#[derive(Debug)]
pub enum WorkItem<T> {
    /// Gray objects to trace.
    Batch(Vec<T>),
    /// Parts `start..end` of a split object.
    Parts {
        /// The object.
        obj: T,
        /// The first part.
        start: usize,
        /// One past the last part.
        end: usize,
    },
}

/// What one worker marked.
#[derive(Debug)]
pub struct Marked<O, N> {
    /// Bytes of the blocks it reached.
    pub live_bytes: u64,
    /// Blocks it reached.
    pub live_objects: u64,
    /// References it marked (reached or found marked already).
    pub references: u64,
    /// Parts of split objects it traced.
    pub parts: u64,
    /// What it recorded (the weak objects it traced, ...).
    pub notes: Vec<N>,
    /// The work it held when a bounded run stopped: claimed objects not traced yet, part
    /// ranges not traced yet. Empty when the run went to its end.
    pub unfinished: Vec<WorkItem<O>>,
}

/// An incremental step's share of marking: the work the workers may do together (each
/// block reached counts its bytes, each reference marked `per_reference`, each part of a
/// split object traced `per_part`) and the step's deadline.
pub struct StepBudget {
    limit: u64,
    per_reference: u64,
    per_part: u64,
    deadline: Option<Instant>,
    spent: AtomicU64,
}

impl StepBudget {
    /// A budget of `limit` units of work, weighed as described above, until `deadline`.
    pub fn new(limit: u64, per_reference: u64, per_part: u64, deadline: Option<Instant>) -> Self {
        StepBudget {
            limit,
            per_reference,
            per_part,
            deadline,
            spent: AtomicU64::new(0),
        }
    }

    /// The work `marked` stands for.
    pub fn work<O, N>(&self, marked: &Marked<O, N>) -> u64 {
        marked.live_bytes + marked.references * self.per_reference + marked.parts * self.per_part
    }

    /// Adds `work` to the workers' total; true once the budget is spent or the deadline
    /// has passed.
    fn spend(&self, work: u64) -> bool {
        let spent = self.spent.fetch_add(work, Ordering::Relaxed) + work;
        spent >= self.limit || self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// One worker: its private gray stack, its deque and what it marked.
pub struct MarkWorker<'a, G: MarkGraph> {
    graph: &'a G,
    local: &'a Worker<WorkItem<G::Obj>>,
    gray: Vec<G::Obj>,
    marked: Marked<G::Obj, G::Note>,
    traced_since_check: usize,
    /// The bounded run's budget, if any, and the work of this worker counted in it.
    budget: Option<&'a StepBudget>,
    published: u64,
    /// Set once the bounded run is over: trace nothing more.
    stopping: bool,
    /// Claims gathered on one mark word, not made yet.
    claims: WordClaims<'a>,
}

/// References reached one after another whose mark bits share a word, to be claimed
/// together. They wait, unclaimed, at the top of the gray stack, from `first` on.
/// Invariant: while `word` is set, `mask` is the union of their bits, each bit there once.
struct WordClaims<'a> {
    word: Option<&'a AtomicU64>,
    mask: u64,
    first: usize,
}

impl<'a, G: MarkGraph> MarkWorker<'a, G> {
    /// A worker marking `graph` whose deque is `local`, until no work is left.
    pub fn new(graph: &'a G, local: &'a Worker<WorkItem<G::Obj>>) -> Self {
        MarkWorker {
            graph,
            local,
            gray: Vec::new(),
            marked: Marked {
                live_bytes: 0,
                live_objects: 0,
                references: 0,
                parts: 0,
                notes: Vec::new(),
                unfinished: Vec::new(),
            },
            traced_since_check: 0,
            budget: None,
            published: 0,
            stopping: false,
            claims: WordClaims {
                word: None,
                mask: 0,
                first: 0,
            },
        }
    }

    /// A worker of a bounded run: it stops when the workers together have spent
    /// `budget`, handing back its unfinished work.
    pub fn bounded(
        graph: &'a G,
        local: &'a Worker<WorkItem<G::Obj>>,
        budget: &'a StepBudget,
    ) -> Self {
        MarkWorker {
            budget: Some(budget),
            ..MarkWorker::new(graph, local)
        }
    }

    /// The heap being marked.
    #[inline(always)]
    pub fn graph(&self) -> &'a G {
        self.graph
    }

    /// Marks `obj`; if this worker wins it and it is traversable, it will trace it. An
    /// object with a mark bit is claimed with the others of its word reached just before
    /// or after it, by the end of the current trace.
    #[inline(always)]
    pub fn mark(&mut self, obj: G::Obj) {
        self.marked.references += 1;
        let Some((word, bit)) = self.graph.mark_bit(obj) else {
            // What it pushes must not land among the gathered objects.
            self.make_claims();
            let claim = self.graph.claim(obj);
            return self.reached(obj, claim);
        };
        if !self.claims.word.is_some_and(|w| std::ptr::eq(w, word)) {
            self.make_claims();
            self.claims.word = Some(word);
            self.claims.first = self.gray.len();
        }
        if self.claims.mask & bit == 0 {
            self.claims.mask |= bit;
            self.gray.push(obj);
        }
    }

    /// Makes the gathered claims, if any (most traces of small objects gather none).
    #[inline(always)]
    fn make_claims(&mut self) {
        if let Some(word) = self.claims.word.take() {
            self.claim_word(word);
        }
    }

    /// Claims the gathered objects of `word` with one read-modify-write; each object won
    /// is counted and, if traversable, stays on the gray stack; the others leave it.
    fn claim_word(&mut self, word: &'a AtomicU64) {
        let mask = std::mem::take(&mut self.claims.mask);
        let won = self.graph.claim_bits(word, mask);
        let first = self.claims.first;
        if won == 0 {
            self.gray.truncate(first);
            return;
        }
        if won == mask && self.graph.word_holds_objects(self.gray[first]) {
            self.marked.live_objects += (self.gray.len() - first) as u64;
            return;
        }
        let mut kept = first;
        for i in first..self.gray.len() {
            let obj = self.gray[i];
            let (_, bit) = self
                .graph
                .mark_bit(obj)
                .expect("only objects with mark bits are gathered");
            if won & bit == 0 {
                continue;
            }
            // SAFETY: this worker's `claim_bits` set `obj`'s mark bit.
            match unsafe { self.graph.claimed(obj) } {
                Claim::Already => {}
                Claim::Leaf(bytes) => self.count(bytes),
                Claim::Object(bytes) => {
                    self.count(bytes);
                    self.gray[kept] = obj;
                    kept += 1;
                }
            }
        }
        self.gray.truncate(kept);
    }

    /// Counts `obj` if `claim` won it, and queues it if it is to be traced.
    #[inline(always)]
    fn reached(&mut self, obj: G::Obj, claim: Claim) {
        match claim {
            Claim::Already => {}
            Claim::Leaf(bytes) => self.count(bytes),
            Claim::Object(bytes) => {
                self.count(bytes);
                self.gray.push(obj);
            }
        }
    }

    /// Records something about an object this worker traced (a weak object, a stack).
    pub fn record(&mut self, note: G::Note) {
        self.marked.notes.push(note);
    }

    #[inline(always)]
    fn count(&mut self, bytes: u64) {
        self.marked.live_objects += 1;
        self.marked.live_bytes += bytes;
    }

    /// Works as worker `me` of `pool` until the phase is over (or, bounded, stopped);
    /// returns what it marked and, stopped, what it did not trace.
    pub fn run(mut self, pool: &WorkPool<WorkItem<G::Obj>>, me: usize) -> Marked<G::Obj, G::Note> {
        let local = self.local;
        pool.run(me, local, |item, _| self.process(item, pool));
        debug_assert!(self.claims.word.is_none(), "every trace made its claims");
        if !self.gray.is_empty() {
            let gray = std::mem::take(&mut self.gray);
            self.marked.unfinished.push(WorkItem::Batch(gray));
        }
        // Others may still steal from the deque meanwhile: what they take, they hand
        // back or trace themselves.
        while let Some(item) = local.pop() {
            self.marked.unfinished.push(item);
        }
        self.marked
    }

    /// Handles one unit of shared work, then drains the private stack (a bounded run:
    /// until the budget is spent).
    fn process(&mut self, item: WorkItem<G::Obj>, pool: &WorkPool<WorkItem<G::Obj>>) {
        match item {
            WorkItem::Batch(objects) => self.gray.extend(objects),
            WorkItem::Parts { obj, start, end } => {
                self.marked.parts += (end - start) as u64;
                // SAFETY: each chunk was pushed once, by the worker that claimed the
                // object (or, bounded, handed out once by the step), within its part count.
                unsafe { self.graph.trace_parts(obj, start..end, self) }
                self.make_claims();
            }
        }
        self.check_budget(pool);
        drain_prefetching(
            self,
            |worker| match worker.stopping {
                true => None,
                false => worker.gray.pop(),
            },
            |worker, obj| worker.trace(obj, pool),
        );
    }

    /// Traces one gray object this worker claimed, splitting it if it is big and strong.
    fn trace(&mut self, obj: G::Obj, pool: &WorkPool<WorkItem<G::Obj>>) {
        let graph = self.graph;
        // SAFETY: the object came from a claim this worker won (or, bounded, was handed
        // out once by the step), so it alone traces it.
        unsafe { graph.begin_trace(obj) };
        // SAFETY: as above.
        match unsafe { graph.strong_parts(obj) } {
            Some(parts) if parts > G::PARTS_PER_CHUNK => {
                // SAFETY: as above.
                self.marked.live_bytes += unsafe { graph.bytes(obj) };
                for start in (G::PARTS_PER_CHUNK..parts).step_by(G::PARTS_PER_CHUNK) {
                    let end = (start + G::PARTS_PER_CHUNK).min(parts);
                    self.local.push(WorkItem::Parts { obj, start, end });
                }
                self.marked.parts += G::PARTS_PER_CHUNK as u64;
                // SAFETY: as above; the first chunk lies within 0..parts.
                unsafe { graph.trace_parts(obj, 0..G::PARTS_PER_CHUNK, self) };
            }
            // SAFETY: as above.
            _ => self.marked.live_bytes += unsafe { graph.trace(obj, self) },
        }
        self.make_claims();
        self.traced_since_check += 1;
        if self.traced_since_check >= G::BATCH / 2 {
            self.traced_since_check = 0;
            self.share_surplus();
            self.check_budget(pool);
        }
    }

    /// A bounded run: adds this worker's work since the last call to the shared count,
    /// and stops the pool once the budget is spent; stops this worker once anyone has.
    #[inline]
    fn check_budget(&mut self, pool: &WorkPool<WorkItem<G::Obj>>) {
        let Some(budget) = self.budget else {
            return;
        };
        let work = budget.work(&self.marked);
        let spent = budget.spend(work - self.published);
        self.published = work;
        if spent {
            pool.stop();
        }
        self.stopping = pool.is_stopped();
    }

    /// If others could use work (this worker's deque is empty) and the private stack has
    /// plenty, moves its older half (nearer the roots, so bigger subgraphs) to the deque.
    #[inline]
    fn share_surplus(&mut self) {
        if self.gray.len() > G::BATCH && self.local.is_empty() {
            let batch: Vec<G::Obj> = self.gray.drain(..self.gray.len() / 2).collect();
            self.local.push(WorkItem::Batch(batch));
        }
    }
}

/// The pool for `workers` marking from `gray`, injected in batches of
/// [`MarkGraph::BATCH`].
pub fn mark_pool<G: MarkGraph>(
    workers: &[Worker<WorkItem<G::Obj>>],
    gray: &[G::Obj],
) -> WorkPool<WorkItem<G::Obj>> {
    let pool = WorkPool::new(workers);
    for batch in gray.chunks(G::BATCH) {
        pool.inject(WorkItem::Batch(batch.to_vec()));
    }
    pool
}
