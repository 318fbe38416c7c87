//! The write barrier and its sequential store buffer (SSB).
//!
//! The tri-color invariant kept here: while marking runs, and whenever marks are sticky
//! (generational mode, where black means old), no black object refers to an unmarked
//! one unless the object is recorded: in the SSB or the gray queue, with its gray bit set.
//! The VM calls the barrier before every store into a heap object outside a running
//! stack, and on a stack when it stops running (see `ObjectModel::is_stack`; the atomic
//! phase traces the running stacks again):
//! - fast path: the gray bit of the object written to is set (light-gray: new, or already
//!   written; dark-gray: already recorded) — nothing to do. Two
//!   instructions, no bitmap access, the stored value ignored;
//! - slow path: set the gray bit; if the object is marked and black objects matter now
//!   (`remember`), record it in the SSB: it will be traced again. A white object becomes
//!   light-gray and is traced if and when it is reached.
//!
//! While paused in incremental mode no object is black, so the slow path skips the mark
//! check altogether.
//!
//! The forward barrier (for stores and moves the VM describes into objects of
//! `FORWARD_BARRIER_PARTS` parts or more: big tables; and, while marking runs, into any
//! strong object) keeps the same invariant
//! the other way round: when the object written to is marked and black objects matter,
//! the stored object is recorded in `shade` instead, to be marked (and
//! traced if it is traversable) by the next step or cycle, so the big object is never
//! traced again because it was written. Recording costs the mutator a push; the marking
//! is done in batches with the mark words prefetched, as for a big object's chunk,
//! rather than at each store, where every one would be a cache miss.
//!
//! While marking runs, small strong objects take it too: an object traced again from the
//! SSB turns black and is queued again by its next write, so a program that keeps
//! relinking old objects (an LRU list) made each pass over the SSB longer than the last,
//! marking work grew with the cycle's length, and the heap ran far past its goal.
//! Marking what is stored costs a mark-bit test per store, however long the cycle. While
//! paused with sticky marks the backward barrier stays: the forward one would make every
//! young object stored into an old one old at once, kept until the next major cycle
//! whether it dies young or not. So then big objects take the backward barrier too (the
//! next minor cycle traces them again), as long as their retracing fits in the minor's
//! budget for it (`RETRACE_SHARE_PERCENT`); past it, the forward one, so that a minor
//! cycle never costs as much as a major one because of a few huge tables.
//!
//! Weak objects (tables with a `__mode`) never take the forward barrier: it would keep
//! every value stored into a weak cache alive for the cycle. What is stored into a weak
//! slot needs no marking: it survives only if something else reaches it by the atomic
//! phase, which traces the roots and running stacks again. Only the strong part of a weak object
//! (the metatable and part blocks, a weak-valued table's keys, the values of live keys in
//! a weak-keyed one, strings) needs the invariant, and gets it as in Lua 5.1, whose
//! atomic phase traverses its weak tables again:
//! - while marking, a store into a marked weak object whose gray bit is clear (traced
//!   since its last write, or queued) sets the bit and lists the object with the weak
//!   objects the cycle traced (`Marking::weak_objects`); its later stores take the fast
//!   path. Marked, gray and listed, it is recorded, as the invariant asks;
//! - the atomic phase traces again the strong part of each listed object whose gray bit
//!   is set, with the weakness it has then (`retrace_written_weak_objects`), before
//!   ephemerons converge and entries are cleared. One whose trace came after its write is
//!   black again and needs none.
//!
//! That costs one more visit of each weak object written during the marking, in the
//! atomic phase, which visits every weak object anyway to clear it (and every weak-keyed
//! one to converge its ephemerons, which traces their strong part: those are not traced
//! twice). While paused with sticky marks weak objects take the backward barrier into
//! the SSB, so that the next minor cycle traces them and clears the entries of young
//! objects that died.

use super::marker::{Marking, WORK_PER_PART, WORK_PER_REFERENCE};
use super::ssb::Ssb;
use crate::heap::large_object_space::LargeObjectSpace;
use crate::heap::Heap;
use crate::mark::is_marked;
use crate::mark::reach::{trace_gray_as, MarkingTracer};
use crate::object_model::{ObjectModel, ObjectRef, Weakness};

/// Strong objects with at least this many parts take the forward barrier for described
/// stores and moves while paused with sticky marks, beyond the retrace budget: they are
/// traced a chunk of parts at a time, and tracing one again because it was written would
/// cost a long pause, where marking what is stored costs a little per store.
pub(super) const FORWARD_BARRIER_PARTS: usize = 4096;

/// The share (percent) of a minor cycle's expected work that retracing the big strong
/// objects written since the last one may take: a minor's young generation is at least
/// `min_trigger` bytes, so tables of tens of thousands of slots are traced again, and a
/// table of millions (whose retracing would cost a major marking's work each minor)
/// takes the forward barrier.
pub(super) const RETRACE_SHARE_PERCENT: u64 = 50;

/// The work retracing a big object of `parts` parts costs at most: each part scanned,
/// and a reference marked in each.
fn retrace_work(parts: usize) -> u64 {
    parts as u64 * (WORK_PER_PART + WORK_PER_REFERENCE)
}

/// The barrier's state.
#[derive(Default)]
pub(super) struct Barrier {
    /// Whether black objects may exist that the mutator could point at unmarked ones:
    /// during marking, and whenever marks are sticky.
    pub remember: bool,
    /// Objects that were black when written: the remembered set of generational mode.
    pub ssb: Ssb,
    /// Objects stored into black big objects, not yet marked (the forward barrier's
    /// records).
    pub shade: Vec<ObjectRef>,
    /// The work the next minor cycle may still spend retracing big strong objects that
    /// took the backward barrier (see `RETRACE_SHARE_PERCENT`).
    pub retrace_budget: u64,
}

impl Barrier {
    /// Sets the next minor cycle's retrace budget from the work it is expected to take.
    pub fn plan_retrace(&mut self, minor_work: u64) {
        self.retrace_budget = minor_work * RETRACE_SHARE_PERCENT / 100;
    }

    /// Whether a big strong object of `parts` parts, written while paused with sticky
    /// marks, takes the backward barrier: if its retracing fits in what is left of the
    /// budget, which it then uses.
    pub fn take_retrace(&mut self, parts: usize) -> bool {
        let work = retrace_work(parts);
        let fits = work <= self.retrace_budget;
        if fits {
            self.retrace_budget -= work;
        }
        fits
    }

    /// The slow path: `obj`'s gray bit was clear.
    #[cold]
    #[inline(never)]
    pub fn slow(&mut self, obj: ObjectRef, large_objects: &LargeObjectSpace) {
        // SAFETY: the VM calls the barrier on live traversable objects only.
        unsafe { obj.header() }.set_gray(true);
        if self.remember && is_marked(large_objects, obj) {
            self.ssb.push(obj);
        }
    }
}

/// The atomic phase's half of the weak objects' barrier (see the module docs): traces
/// again the strong part of every listed weak object written since its last trace (gray),
/// with the weakness it has now, and leaves it black. Leaves the list with each object
/// once, under its weakness now (one made strong since is traced whole and dropped). A
/// weak-keyed object is left to the ephemerons' convergence, which traces its strong part.
pub(super) fn retrace_written_weak_objects<M: ObjectModel>(marking: &mut Marking, heap: &Heap) {
    let mut listed = std::mem::take(&mut marking.weak_objects);
    listed.sort_unstable_by_key(|&(obj, _)| obj);
    listed.dedup_by_key(|&mut (obj, _)| obj);
    let mut tracer = marking.tracer(heap);
    for (obj, traced_as) in listed {
        // SAFETY: listed objects were marked this cycle: live, initialised traversable
        // objects, until the sweep.
        let header = unsafe { obj.header() };
        if !header.is_gray() {
            tracer.record_weak(obj, traced_as);
            continue;
        }
        header.set_gray(false);
        // SAFETY: as above.
        match unsafe { M::weakness(obj) } {
            Weakness::WeakKeys => tracer.record_weak(obj, Weakness::WeakKeys),
            // SAFETY: as above; the mutator is stopped in the atomic phase. (Lists the
            // object again if it is still weak.)
            weakness => unsafe {
                trace_gray_as::<M, _>(obj, weakness, &mut tracer);
            },
        }
    }
}
