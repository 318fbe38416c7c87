//! The write barrier and its sequential store buffer (SSB).
//!
//! The tri-color invariant kept here: while marking runs, and whenever marks are sticky
//! (generational mode, where black means old), no black object refers to an unmarked
//! one unless the object is recorded: in the SSB or the gray queue, with its gray bit set.
//! The VM calls the barrier before every store into a heap object outside a stack:
//! - fast path: the gray bit of the object written to is set (light-gray: new, or already
//!   written; dark-gray: already recorded; stacks: always) — nothing to do. Two
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
//! cycle never costs as much as a major one because of a few huge tables. Weak objects
//! always take the backward one then: the forward barrier would keep every value stored
//! into a weak cache alive to the next major cycle, and the minor cycle must see them to
//! clear the entries of young objects that died.

use super::marker::{WORK_PER_PART, WORK_PER_REFERENCE};
use super::ssb::Ssb;
use crate::heap::large_object_space::LargeObjectSpace;
use crate::mark::is_marked;
use crate::object_model::ObjectRef;

/// Objects with at least this many parts (`ObjectModel::part_count`: a table's slots)
/// take the forward barrier for described stores and moves: they are traced a chunk of
/// parts at a time, and tracing one again because it was written would cost a long
/// pause, where marking what is stored costs a little per store. A weak object takes it
/// for stores while marking (what is stored is reachable now anyway) but not for moves:
/// they are traced whole, and recording every entry a resize moves would keep them all
/// alive for the cycle. While paused with sticky marks, see the module docs.
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
