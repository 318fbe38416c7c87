//! Marking: finding everything reachable from the roots.
//!
//! Marking sets mark bits (arena blocks) or the large-object table's marks (huge blocks)
//! and traces each traversable object once, through the VM's [`ObjectModel`]. It requires
//! a heap whose bitmap encoding is complete (`Heap::prepare_for_collection`), because the
//! size of a leaf block is read off the bitmap.

pub mod ephemerons;
mod marker;
pub(crate) mod parallel;
pub(crate) mod prefetch;
pub(crate) mod reach;

pub use marker::Marker;

use std::cell::OnceCell;
use std::collections::HashSet;
use std::sync::atomic::Ordering;

use crate::finalizers::FinalizerQueue;
use crate::heap::arena::{is_huge, Arena};
use crate::heap::large_object_space::LargeObjectSpace;
use crate::heap::Heap;
use crate::object_model::{Liveness, ObjectModel, ObjectRef, Roots, Tracer};

/// What a marking pass found.
#[derive(Copy, Clone, Default, Debug, PartialEq, Eq)]
pub struct MarkOutcome {
    /// Bytes in reachable blocks.
    pub live_bytes: u64,
    /// Reachable blocks.
    pub live_objects: u64,
}

impl MarkOutcome {
    /// Counts one block reached, with `bytes` of it known now.
    #[inline]
    pub(crate) fn count(&mut self, bytes: u64) {
        self.live_objects += 1;
        self.live_bytes += bytes;
    }
}

/// The whole marking of a stop-the-world cycle, up to the sweep:
/// 1. mark from the roots and from the finalizers still queued, trace to a fixpoint;
/// 2. converge ephemerons;
/// 3. resurrect the registered objects found dead (mark them and all they reach, converge
///    again) and queue them for finalization;
/// 4. clear dead entries from weak objects and let the VM prune its weak references.
///
/// Step 1 runs on [`Heap::parallel_workers`]; the later steps, which touch few objects
/// in practice, on one. `gray_stack` is passed in so its capacity is reused from cycle to
/// cycle.
///
/// # Safety
/// `finalizers` holds only objects of `heap`, each live when it was registered (the
/// collector keeps them alive until they are taken): they are marked and traced.
pub unsafe fn mark_heap<M: ObjectModel, R: Roots>(
    heap: &Heap,
    roots: &mut R,
    gray_stack: &mut Vec<ObjectRef>,
    finalizers: &mut FinalizerQueue,
) -> MarkOutcome {
    // SAFETY: the roots report live objects of `heap` (the `Roots` contract), the
    // finalizers hold objects of it (the caller's contract), and what those objects
    // reach is in it too (the `ObjectModel` contract).
    let mut marker = unsafe { Marker::new(heap.large_objects(), gray_stack) };
    roots.trace_roots(&mut marker);
    for &obj in finalizers.pending() {
        marker.mark(obj);
    }
    match heap.parallel_workers() {
        None => marker.drain::<M>(),
        Some(workers) => marker.drain_parallel::<M>(workers),
    }
    marker.converge_ephemerons::<M>();

    let dead = finalizers.separate_dead(&marker);
    for &obj in &dead {
        marker.mark(obj);
    }
    marker.drain::<M>();
    marker.converge_ephemerons::<M>();

    let liveness = AfterResurrection::new(&marker, &dead);
    marker.clear_weak_objects::<M, _>(&liveness);
    roots.prune_weak_references(&liveness);
    finalizers.queue(dead);
    marker.outcome()
}

/// Liveness once marking is complete: marked objects live, resurrected ones flagged (what
/// `ObjectModel::clear_weak` and `Roots::prune_weak_references` need to see, Lua 5.1
/// clearing userdata being finalized from weak values). The set of resurrected objects is
/// built at the first question about one: only live weak values are asked about, so an
/// atomic phase whose weak objects hold none hashes nothing.
pub struct AfterResurrection<'m, L> {
    marked: &'m L,
    resurrected: &'m [ObjectRef],
    set: OnceCell<HashSet<ObjectRef>>,
}

impl<'m, L: Liveness> AfterResurrection<'m, L> {
    /// The liveness `marked` gives, with `resurrected` being finalized.
    pub fn new(marked: &'m L, resurrected: &'m [ObjectRef]) -> Self {
        AfterResurrection {
            marked,
            resurrected,
            set: OnceCell::new(),
        }
    }
}

impl<L: Liveness> Liveness for AfterResurrection<'_, L> {
    fn is_live(&self, obj: ObjectRef) -> bool {
        self.marked.is_live(obj)
    }

    fn is_being_finalized(&self, obj: ObjectRef) -> bool {
        !self.resurrected.is_empty()
            && self
                .set
                .get_or_init(|| self.resurrected.iter().copied().collect())
                .contains(&obj)
    }
}

/// Whether `obj`'s mark bit (or huge-block mark) is set.
#[inline]
pub(crate) fn is_marked(large_objects: &LargeObjectSpace, obj: ObjectRef) -> bool {
    if is_huge(obj.addr()) {
        return large_objects
            .get(obj.addr())
            .is_some_and(|block| block.is_marked());
    }
    // SAFETY: obj is a block of a live arena of this heap (Roots and ObjectModel
    // contracts); during and after marking only shared views of the bitmaps exist.
    let (word, bit) = unsafe { Arena::mark_word(obj.addr()) };
    word.load(Ordering::Relaxed) & bit != 0
}
