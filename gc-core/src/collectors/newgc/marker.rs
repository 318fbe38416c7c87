//! Incremental marking: the state that lives across a cycle's steps (gray queue, weak
//! objects) and the tracer that advances it.
//!
//! Colors (mark bit in the bitmap, gray bit in the header):
//! - white (0, 0) and light-gray (0, 1): not reached; light-gray ones need no barrier
//!   (new objects, and white objects written to);
//! - reached and waiting on the gray queue: marked, gray bit as it was;
//! - black (1, 0): traced; dark-gray (1, 1): traced, then written to, and waiting in the
//!   SSB or the gray queue to be traced again.
//!
//! A reached object's gray bit is not set when it is pushed (that would cost a header
//! write per object): a store into a reached, untraced object therefore takes the barrier's
//! slow path and queues it once more, which is redundant but harmless. A popped object
//! turns black before it is traced, so a store during a later step is caught. Stacks too:
//! the running one is written without the barrier and traced again by the atomic phase,
//! the others take the barrier when they stop running (`ObjectModel::is_stack`).
//!
//! Big strong objects (more than `CHUNK_PARTS` parts) are traced a chunk of parts per unit
//! of work. Such an object is black from its first chunk on, so a store into it takes the
//! barrier: the backward barrier queues it for a full trace again, the forward one marks
//! the stored object; either way nothing in its traced chunks is missed.

use std::sync::atomic::Ordering;
use std::time::Instant;

use super::gray_queue::{Gray, GrayQueue};
use super::ssb::Ssb;
use crate::footprint::vec_bytes;
use crate::heap::arena::{is_huge, Arena, ArenaKind, CELL_SIZE};
use crate::heap::large_object_space::LargeObjectSpace;
use crate::heap::Heap;
use crate::mark::ephemerons::{converge, EphemeronIndex, EphemeronMarker};
use crate::mark::is_marked;
use crate::mark::parallel::StepRules;
use crate::mark::prefetch::{prefetch_for_marking, PrefetchQueue};
use crate::mark::reach::{
    claim_exclusive, cut_at_bump_cursor, reach, trace_gray_as, MarkingTracer, Reached,
};
use crate::object_model::{Liveness, ObjectModel, ObjectRef, Tracer, Weakness};
use crate::verify::CollectRefs;

/// What a cycle's marking keeps between steps.
#[derive(Default)]
pub(super) struct Marking {
    pub gray: GrayQueue,
    /// Weak objects traced this cycle, to revisit (ephemerons) and clear.
    pub weak_objects: Vec<(ObjectRef, Weakness)>,
    /// Bytes reached this cycle: the live heap's new part.
    pub marked_bytes: u64,
    /// Work besides the bytes reached: scanning the parts of big objects.
    pub scan_work: u64,
    /// The references of the chunk being traced (kept for its capacity).
    chunk_refs: Vec<ObjectRef>,
    /// Weak-keyed entries waiting for their keys, while ephemerons converge.
    ephemerons: EphemeronIndex,
    /// The work a step must have before it has helpers (`HeapConfig`'s
    /// `step_helpers_min_work`).
    pub help_min_work: u64,
}

/// How far ahead of marking (a chunk's references, the forward barrier's records) their
/// mark words are prefetched.
const PREFETCH_AHEAD: usize = 8;

/// Calls `f` on each of `objs` in order, the mark words (and arena headers) of the next
/// `PREFETCH_AHEAD` prefetched meanwhile.
#[inline(always)]
fn for_each_prefetched(objs: &[ObjectRef], mut f: impl FnMut(ObjectRef)) {
    for &obj in objs.iter().take(PREFETCH_AHEAD) {
        prefetch_for_marking(obj);
    }
    for (i, &obj) in objs.iter().enumerate() {
        if let Some(&ahead) = objs.get(i + PREFETCH_AHEAD) {
            prefetch_for_marking(ahead);
        }
        f(obj);
    }
}

/// Parts of a big object traced as one unit of work (a Lua table's slots). Small enough
/// that a chunk of references to cold memory (a cache and a TLB miss each, a microsecond
/// or more apiece on a heap of gigabytes) stays a fraction of a step's deadline.
pub(super) const CHUNK_PARTS: usize = 64;

/// How much work a drain with a deadline does between two reads of the clock: about two
/// chunks of a big table (each up to `CHUNK_PARTS` references, cold on a big heap), or
/// dozens of small objects, whose tracing costs about what a clock read does.
const WORK_PER_CLOCK_READ: u64 = 8 * 1024;

/// Work charged per part scanned (its references are charged as they are marked).
pub(super) const WORK_PER_PART: u64 = 16;

/// Work charged per reference marked: a mark-bit read, often a cache miss, whether the
/// object was marked already or not.
pub(super) const WORK_PER_REFERENCE: u64 = 32;

impl Marking {
    /// The state of no marking yet; steps have helpers from `help_min_work` on.
    pub fn new(help_min_work: u64) -> Self {
        Marking {
            help_min_work,
            ..Marking::default()
        }
    }

    /// The tracer that marks into this state.
    pub fn tracer<'a>(&'a mut self, heap: &'a Heap) -> MarkTracer<'a> {
        MarkTracer {
            marking: self,
            large_objects: heap.large_objects(),
            leaf_bump_cursor: step_rules(heap).leaf_bump_cursor,
        }
    }

    /// Bytes of the marking's buffers: the gray queue and the lists it keeps.
    pub fn memory_bytes(&self) -> u64 {
        self.gray.memory_bytes() + vec_bytes(&self.weak_objects) + vec_bytes(&self.chunk_refs)
    }

    /// Gives up the cycle's marking: no gray object or weak object is left, and nothing
    /// counts as reached (the caller clears the mark bits).
    pub fn abandon(&mut self) {
        self.gray.clear();
        self.weak_objects.clear();
        self.marked_bytes = 0;
    }
}

/// Incremental marking's rules for `heap` now, as the step's helpers follow them.
pub(super) fn step_rules(heap: &Heap) -> StepRules {
    StepRules {
        leaf_bump_cursor: heap.space(ArenaKind::Leaves).unallocated_region().start,
    }
}

/// Liveness by the mark bits alone, for when no tracer is at hand.
pub(super) struct Marked<'a>(pub &'a LargeObjectSpace);

impl Liveness for Marked<'_> {
    fn is_live(&self, obj: ObjectRef) -> bool {
        is_marked(self.0, obj)
    }
}

/// Marks into a [`Marking`].
pub(super) struct MarkTracer<'a> {
    marking: &'a mut Marking,
    large_objects: &'a LargeObjectSpace,
    /// Where the leaf space's bump region is unallocated from: the bitmap reads the last
    /// leaf before it as running to the region's end (the region has no start bits while
    /// the mutator allocates), so its size is cut there.
    leaf_bump_cursor: usize,
}

impl MarkTracer<'_> {
    fn work(&self) -> u64 {
        self.marking.marked_bytes + self.marking.scan_work
    }

    /// Does gray work until about `budget` bytes of it are done or none is left. Returns
    /// the work done (bytes reached plus parts scanned).
    pub fn drain<M: ObjectModel>(&mut self, budget: u64) -> u64 {
        self.drain_until::<M>(budget, None)
    }

    /// [`MarkTracer::drain`], stopping early at `deadline` (checked every
    /// `WORK_PER_CLOCK_READ` units of work).
    pub fn drain_until<M: ObjectModel>(&mut self, budget: u64, deadline: Option<Instant>) -> u64 {
        let start = self.work();
        // Objects wait a few pops in a prefetch queue, so their headers arrive from
        // memory before they are traced; the queue is empty when the drain returns.
        let mut queue = PrefetchQueue::default();
        let mut next_clock_read = start + WORK_PER_CLOCK_READ;
        let mut out_of_time = false;
        loop {
            let work = self.work();
            if deadline.is_some() && work >= next_clock_read {
                next_clock_read = work + WORK_PER_CLOCK_READ;
                out_of_time = deadline.is_some_and(|d| Instant::now() >= d);
            }
            let incoming = if work - start < budget && !out_of_time {
                self.marking.gray.pop()
            } else {
                None
            };
            let ready = match incoming {
                Some(Gray::Chunk(obj, next, end)) => {
                    // SAFETY: only reached traversable objects are queued, and they stay
                    // live until the sweep; the mutator is stopped while a step runs.
                    unsafe { self.trace_chunk::<M>(obj, next, end) };
                    continue;
                }
                Some(Gray::Object(obj)) => queue.exchange(Some(obj)),
                None if queue.is_empty() => break,
                None => queue.exchange(None),
            };
            if let Some(obj) = ready {
                // SAFETY: as above.
                unsafe { self.trace_object::<M>(obj) };
            }
        }
        self.work() - start
    }

    /// Traces one reached object: black first, then its references, the first chunk
    /// only for big objects.
    ///
    /// # Safety
    /// `obj` is a live, initialised traversable object of this heap.
    pub unsafe fn trace_object<M: ObjectModel>(&mut self, obj: ObjectRef) {
        // SAFETY: per the caller.
        unsafe {
            let header = obj.header();
            header.set_gray(false);
            let weakness = M::weakness(obj);
            if weakness == Weakness::Strong && M::part_count(obj) > CHUNK_PARTS {
                self.marking.marked_bytes += u64::from(header.cells()) * CELL_SIZE as u64;
                self.trace_chunk::<M>(obj, 0, usize::MAX);
                return;
            }
            self.marking.marked_bytes += trace_gray_as::<M, _>(obj, weakness, self);
        }
    }

    /// Traces parts `next..next + CHUNK_PARTS` of a big object and queues the rest, up to
    /// `last` (exclusive) or its part count. The part count is read again each time: the
    /// object may have been resized (then the backward barrier has queued it for a whole
    /// trace anyway).
    ///
    /// # Safety
    /// As for [`MarkTracer::trace_object`].
    unsafe fn trace_chunk<M: ObjectModel>(&mut self, obj: ObjectRef, next: usize, last: usize) {
        // SAFETY: per the caller.
        let parts = unsafe { M::part_count(obj) }.min(last);
        let end = (next + CHUNK_PARTS).min(parts);
        if next < end {
            // The chunk's references first, then marked with their mark words
            // prefetched a few ahead: scanning a big table is bound by those misses.
            let mut refs = std::mem::take(&mut self.marking.chunk_refs);
            refs.clear();
            // SAFETY: per the caller; the range lies within the parts.
            unsafe { M::trace_parts(obj, next..end, &mut CollectRefs(&mut refs)) };
            self.mark_prefetched(&refs);
            self.marking.chunk_refs = refs;
            self.marking.scan_work += (end - next) as u64 * WORK_PER_PART;
        }
        if end < parts {
            self.marking.gray.push_chunk(obj, end, last);
        }
    }

    /// Marks `objs` with their mark words prefetched a few ahead: a big object's chunk
    /// of references, or the forward barrier's records, scattered over the heap. Returns
    /// the work done.
    pub fn mark_prefetched(&mut self, objs: &[ObjectRef]) -> u64 {
        let start = self.work();
        for_each_prefetched(objs, |obj| self.mark(obj));
        self.work() - start
    }

    /// [`MarkTracer::shade`] for each of `objs` (the forward barrier's records), with
    /// their mark words prefetched a few ahead: records in cold memory marked one cache
    /// miss at a time make a long pause.
    pub fn shade_prefetched(&mut self, objs: &[ObjectRef], marking: bool, ssb: &mut Ssb) {
        for_each_prefetched(objs, |obj| self.shade(obj, marking, ssb));
    }

    /// Marks `obj` as the forward barrier does: while marking, like any reference (so it
    /// is traced if traversable); while paused with sticky marks, it becomes old at once
    /// and, if traversable, goes to `ssb` to be traced by the next minor cycle.
    pub fn shade(&mut self, obj: ObjectRef, marking: bool, ssb: &mut Ssb) {
        if marking {
            self.mark(obj);
            return;
        }
        // Not counted as live: the next cycle's count starts afresh (a major counts it).
        if let Reached::Object(_) = reach(self.large_objects, obj, claim_exclusive) {
            ssb.push(obj);
        }
    }

    /// Marks what the values of weak-keyed entries with live keys reach, to a fixpoint
    /// (see [`crate::mark::ephemerons`]).
    pub fn converge_ephemerons<M: ObjectModel>(&mut self) {
        self.marking
            .weak_objects
            .sort_unstable_by_key(|&(obj, _)| obj);
        self.marking.weak_objects.dedup_by_key(|&mut (obj, _)| obj);
        converge::<M, _>(self);
    }
}

impl Liveness for MarkTracer<'_> {
    #[inline]
    fn is_live(&self, obj: ObjectRef) -> bool {
        is_marked(self.large_objects, obj)
    }
}

impl Tracer for MarkTracer<'_> {
    #[inline]
    fn mark(&mut self, obj: ObjectRef) {
        // Each reference costs a mark-bit read, marked already or not: old objects traced
        // again (generational mode's remembered set) are work too.
        self.marking.scan_work += WORK_PER_REFERENCE;
        // Most references are to arena blocks marked already: answered here, without the
        // frame that marking a block needs.
        let addr = obj.addr();
        if !is_huge(addr) {
            // SAFETY: obj is a block of a live arena of this heap (Roots and ObjectModel
            // contracts); during marking nobody holds an exclusive view of the bitmaps.
            let (word, bit) = unsafe { Arena::mark_word(addr) };
            if word.load(Ordering::Relaxed) & bit != 0 {
                return;
            }
        }
        self.mark_unmarked(obj);
    }

    fn mark_when_live(&mut self, key: ObjectRef, value: ObjectRef) {
        self.marking.ephemerons.wait(key, value);
    }
}

impl MarkTracer<'_> {
    /// [`Tracer::mark`] of a block not found marked (or huge), out of line.
    #[inline(never)]
    fn mark_unmarked(&mut self, obj: ObjectRef) {
        // One marking thread: a plain read-modify-write claims the bit.
        match reach(self.large_objects, obj, claim_exclusive) {
            Reached::Already => return,
            Reached::Leaf(bytes) => {
                self.marking.marked_bytes += cut_at_bump_cursor(obj, bytes, self.leaf_bump_cursor)
            }
            Reached::Object(bytes) => {
                self.marking.marked_bytes += bytes;
                self.marking.gray.push(obj);
            }
        }
        if self.marking.ephemerons.is_open() {
            self.marking.ephemerons.released_by(obj);
        }
    }
}

impl EphemeronMarker for MarkTracer<'_> {
    fn ephemerons(&mut self) -> &mut EphemeronIndex {
        &mut self.marking.ephemerons
    }

    fn weak_object(&self, i: usize) -> Option<(ObjectRef, Weakness)> {
        self.marking.weak_objects.get(i).copied()
    }

    fn marked_so_far(&self) -> u64 {
        self.marking.marked_bytes
    }

    fn drain_all<M: ObjectModel>(&mut self) {
        self.drain::<M>(u64::MAX);
    }
}

impl MarkingTracer for MarkTracer<'_> {
    fn record_weak(&mut self, obj: ObjectRef, weakness: Weakness) {
        self.marking.weak_objects.push((obj, weakness));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collector::HeapConfig;
    use crate::heap::arena::ArenaKind;
    use crate::object_model::GcHeader;
    use crate::testing::{node_bytes, Node, TestModel, NODE_KIND};

    /// A drain whose deadline has passed stops within one clock read's worth of work,
    /// with the work left still queued; without a deadline the same drain finishes it.
    #[test]
    fn a_passed_deadline_stops_the_drain_early() {
        let mut heap = Heap::new(&HeapConfig::default());
        let bytes = node_bytes(1);
        // Several clock reads' worth of work (each node's one part).
        let count = 8 * WORK_PER_CLOCK_READ / WORK_PER_PART;
        let nodes: Vec<Node> = (0..count)
            .map(|id| {
                let obj = heap
                    .alloc_growing(ArenaKind::Objects, NODE_KIND, bytes, GcHeader::GRAY)
                    .unwrap();
                // SAFETY: a fresh node block of this size.
                unsafe { Node::init(obj, id, 1) }
            })
            .collect();
        let mut marking = Marking::default();
        {
            let mut tracer = marking.tracer(&heap);
            for node in &nodes {
                tracer.mark(node.obj());
            }
        }
        let queued = marking.gray.objects().count();
        assert_eq!(queued, nodes.len());
        let past = Instant::now();
        let cut = marking
            .tracer(&heap)
            .drain_until::<TestModel>(u64::MAX, Some(past));
        let left = marking.gray.objects().count();
        assert!(cut > 0, "the first clock read comes after some work");
        assert!(
            cut <= 2 * WORK_PER_CLOCK_READ,
            "{cut} units of work done past the deadline ({} objects)",
            queued - left
        );
        let rest = marking.tracer(&heap).drain::<TestModel>(u64::MAX);
        assert!(rest > cut && marking.gray.is_empty());
    }
}
