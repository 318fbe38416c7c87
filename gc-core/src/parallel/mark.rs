//! The parallel mark driver: workers drain the gray objects together, stealing work from
//! each other through a [`WorkPool`]. It is generic over the heap it marks
//! ([`MarkGraph`]): the collectors run it on the arena heap (`mark::parallel`), and loom
//! runs the same code on a model heap of a few objects (`tests/loom.rs`).
//!
//! Each worker traces from a private gray stack (plain `Vec`, prefetching as the
//! sequential marker does) and shares work in batches: when its private stack holds more
//! than [`MarkGraph::BATCH`] objects and its deque is empty, it moves the older half there
//! for idle workers to steal. Deque operations, which fence, thus happen per batch, not
//! per object.
//!
//! Invariants: an object is traced only by the worker whose [`MarkGraph::claim`] won its
//! mark, so exactly once, whatever the interleaving; a strong object with more than
//! [`MarkGraph::PARTS_PER_CHUNK`] parts is split into chunks, each traced exactly once by
//! whoever takes it; the phase ends only when every worker is idle and every queue empty
//! (the pool's termination protocol).

use std::ops::Range;

use super::prefetch::{drain_prefetching, Prefetch};
use super::WorkPool;
use crate::sync::deque::Worker;

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
/// caller among any that race on it (until the marks are cleared): the driver traces an
/// object only after winning its claim, and relies on nobody else tracing it.
pub unsafe trait MarkGraph: Sized + Sync {
    /// A reference to an object.
    type Obj: Prefetch + Send;
    /// What tracing records about a weak object, handed back when marking ends.
    type Weak: Send;
    /// Strong objects with more parts than this are traced in chunks of this many parts
    /// that other workers can steal (a table with a big array part).
    const PARTS_PER_CHUNK: usize;
    /// Gray objects move between workers in batches of about this many.
    const BATCH: usize;

    /// Marks `obj`: whether this call won it, and what it is.
    fn claim(&self, obj: Self::Obj) -> Claim;

    /// `obj`'s part count if it is strong (it may be traced in chunks), `None` if it is
    /// weak (traced whole).
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
    /// [`MarkWorker::record_weak`]), marking its references through `worker`. Returns
    /// its bytes.
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
#[derive(Debug, Default)]
pub struct Marked<W> {
    /// Bytes of the blocks it reached.
    pub live_bytes: u64,
    /// Blocks it reached.
    pub live_objects: u64,
    /// The weak objects it traced.
    pub weak: Vec<W>,
}

/// One worker: its private gray stack, its deque and what it marked.
pub struct MarkWorker<'a, G: MarkGraph> {
    graph: &'a G,
    local: &'a Worker<WorkItem<G::Obj>>,
    gray: Vec<G::Obj>,
    marked: Marked<G::Weak>,
    traced_since_share: usize,
}

impl<'a, G: MarkGraph> MarkWorker<'a, G> {
    /// A worker marking `graph` whose deque is `local`.
    pub fn new(graph: &'a G, local: &'a Worker<WorkItem<G::Obj>>) -> Self {
        MarkWorker {
            graph,
            local,
            gray: Vec::new(),
            marked: Marked {
                live_bytes: 0,
                live_objects: 0,
                weak: Vec::new(),
            },
            traced_since_share: 0,
        }
    }

    /// The heap being marked.
    #[inline(always)]
    pub fn graph(&self) -> &'a G {
        self.graph
    }

    /// Marks `obj`; if this worker won it and it is traversable, it will trace it.
    #[inline(always)]
    pub fn mark(&mut self, obj: G::Obj) {
        match self.graph.claim(obj) {
            Claim::Already => {}
            Claim::Leaf(bytes) => self.count(bytes),
            Claim::Object(bytes) => {
                self.count(bytes);
                self.gray.push(obj);
            }
        }
    }

    /// Records a weak object this worker traced.
    pub fn record_weak(&mut self, weak: G::Weak) {
        self.marked.weak.push(weak);
    }

    #[inline(always)]
    fn count(&mut self, bytes: u64) {
        self.marked.live_objects += 1;
        self.marked.live_bytes += bytes;
    }

    /// Works as worker `me` of `pool` until the phase is over; returns what it marked.
    pub fn run(mut self, pool: &WorkPool<WorkItem<G::Obj>>, me: usize) -> Marked<G::Weak> {
        let local = self.local;
        pool.run(me, local, |item, _| self.process(item));
        self.marked
    }

    /// Handles one unit of shared work, then drains the private stack.
    fn process(&mut self, item: WorkItem<G::Obj>) {
        match item {
            WorkItem::Batch(objects) => self.gray.extend(objects),
            // SAFETY: each chunk was pushed once, by the worker that claimed the object,
            // within its part count.
            WorkItem::Parts { obj, start, end } => unsafe {
                self.graph.trace_parts(obj, start..end, self)
            },
        }
        drain_prefetching(
            self,
            |worker| &mut worker.gray,
            |worker, obj| worker.trace(obj),
        );
    }

    /// Traces one gray object this worker claimed, splitting it if it is big and strong.
    fn trace(&mut self, obj: G::Obj) {
        let graph = self.graph;
        // SAFETY: the object came from a claim this worker won, so it alone traces it.
        match unsafe { graph.strong_parts(obj) } {
            Some(parts) if parts > G::PARTS_PER_CHUNK => {
                // SAFETY: as above.
                self.marked.live_bytes += unsafe { graph.bytes(obj) };
                for start in (G::PARTS_PER_CHUNK..parts).step_by(G::PARTS_PER_CHUNK) {
                    let end = (start + G::PARTS_PER_CHUNK).min(parts);
                    self.local.push(WorkItem::Parts { obj, start, end });
                }
                // SAFETY: as above; the first chunk lies within 0..parts.
                unsafe { graph.trace_parts(obj, 0..G::PARTS_PER_CHUNK, self) };
            }
            // SAFETY: as above.
            _ => self.marked.live_bytes += unsafe { graph.trace(obj, self) },
        }
        self.share_surplus();
    }

    /// Every few objects: if others could use work (this worker's deque is empty) and the
    /// private stack has plenty, moves its older half (nearer the roots, so bigger
    /// subgraphs) to the deque.
    #[inline]
    fn share_surplus(&mut self) {
        self.traced_since_share += 1;
        if self.traced_since_share < G::BATCH / 2 {
            return;
        }
        self.traced_since_share = 0;
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
