//! Incremental marking: the state that lives across a cycle's steps (gray queue, weak
//! objects, stacks) and the tracer that advances it.
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
//! turns black before it is traced, so a store during a later step is caught. Stacks stay
//! gray for good: the VM writes them without the barrier, and the atomic phase traces
//! every stack again.

use std::collections::HashSet;

use super::gray_queue::GrayQueue;
use crate::heap::large_object_space::LargeObjectSpace;
use crate::heap::Heap;
use crate::mark::is_marked;
use crate::mark::reach::{claim_exclusive, reach, trace_gray, MarkingTracer, Reached};
use crate::object_model::{Liveness, ObjectModel, ObjectRef, Tracer, Weakness};

/// What a cycle's marking keeps between steps.
#[derive(Default)]
pub(super) struct Marking {
    pub gray: GrayQueue,
    /// Weak objects traced this cycle, to revisit (ephemerons) and clear.
    pub weak_objects: Vec<(ObjectRef, Weakness)>,
    /// Every stack traced (kept across minor cycles: old stacks are not reached again).
    pub stacks: Vec<ObjectRef>,
    stack_set: HashSet<ObjectRef>,
    /// Bytes reached this cycle: the live heap's new part, and the work done.
    pub marked_bytes: u64,
}

impl Marking {
    /// The tracer that marks into this state.
    pub fn tracer<'a>(&'a mut self, heap: &'a Heap) -> MarkTracer<'a> {
        MarkTracer {
            marking: self,
            large_objects: heap.large_objects(),
            leaf_bump_cursor: heap.spaces()[1].bump().unallocated().start,
        }
    }

    /// Forgets the stacks (a full marking finds them again).
    pub fn forget_stacks(&mut self) {
        self.stacks.clear();
        self.stack_set.clear();
    }

    /// Keeps the stacks `liveness` calls live (before the sweep frees the others).
    pub fn prune_stacks<L: Liveness>(&mut self, liveness: &L) {
        let set = &mut self.stack_set;
        self.stacks.retain(|&s| {
            let live = liveness.is_live(s);
            if !live {
                set.remove(&s);
            }
            live
        });
    }

    fn note_stack(&mut self, obj: ObjectRef) {
        if self.stack_set.insert(obj) {
            self.stacks.push(obj);
        }
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
    /// Traces gray objects until about `budget` bytes of them are traced or none is left.
    /// Returns the bytes traced (the step's work).
    pub fn drain<M: ObjectModel>(&mut self, budget: u64) -> u64 {
        let start = self.marking.marked_bytes;
        while self.marking.marked_bytes - start < budget {
            let Some(obj) = self.marking.gray.pop() else {
                break;
            };
            // SAFETY: only reached traversable objects are queued; the mutator is
            // stopped while a step runs.
            unsafe { self.trace_object::<M>(obj) };
        }
        self.marking.marked_bytes - start
    }

    /// Traces one reached object: black first (stacks stay gray), then its references.
    ///
    /// # Safety
    /// `obj` is a live, initialised traversable object of this heap.
    pub unsafe fn trace_object<M: ObjectModel>(&mut self, obj: ObjectRef) {
        // SAFETY: per the caller.
        unsafe {
            if M::is_stack(obj) {
                obj.header().set_gray(true);
                self.marking.note_stack(obj);
            } else {
                obj.header().set_gray(false);
            }
            self.marking.marked_bytes += trace_gray::<M, _>(obj, self);
        }
    }

    /// Revisits weak-key objects until no more values become reachable (see
    /// `Marker::converge_ephemerons`), draining fully after each visit.
    pub fn converge_ephemerons<M: ObjectModel>(&mut self) {
        self.marking
            .weak_objects
            .sort_unstable_by_key(|&(obj, _)| obj);
        self.marking.weak_objects.dedup_by_key(|&mut (obj, _)| obj);
        loop {
            let before = self.marking.marked_bytes;
            let mut i = 0;
            while let Some(&(obj, weakness)) = self.marking.weak_objects.get(i) {
                if weakness == Weakness::WeakKeys {
                    // SAFETY: weak objects were traced this cycle: live and initialised.
                    unsafe { M::trace_weak(obj, weakness, self) };
                    self.drain::<M>(u64::MAX);
                }
                i += 1;
            }
            if self.marking.marked_bytes == before {
                return;
            }
        }
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
        // One marking thread: a plain read-modify-write claims the bit.
        match reach(self.large_objects, obj, claim_exclusive) {
            Reached::Already => {}
            Reached::Leaf(bytes) => {
                let addr = obj.addr();
                let cursor = self.leaf_bump_cursor;
                let bytes = if addr < cursor && cursor < addr + bytes as usize {
                    (cursor - addr) as u64
                } else {
                    bytes
                };
                self.marking.marked_bytes += bytes;
            }
            Reached::Object(bytes) => {
                self.marking.marked_bytes += bytes;
                self.marking.gray.push(obj);
            }
        }
    }
}

impl MarkingTracer for MarkTracer<'_> {
    fn record_weak(&mut self, obj: ObjectRef, weakness: Weakness) {
        self.marking.weak_objects.push((obj, weakness));
    }
}
