//! Marking: finding everything reachable from the roots.
//!
//! Marking sets mark bits (arena blocks) or the large-object table's marks (huge blocks)
//! and traces each traversable object once, through the VM's [`ObjectModel`]. It requires
//! a heap whose bitmap encoding is complete (`Heap::prepare_for_collection`), because the
//! size of a leaf block is read off the bitmap.

mod marker;

pub use marker::Marker;

use std::sync::atomic::Ordering;

use crate::heap::arena::{is_huge, Arena};
use crate::heap::large_object_space::LargeObjectSpace;
use crate::heap::Heap;
use crate::object_model::{Liveness, ObjectModel, ObjectRef, Roots};

/// What a marking pass found.
#[derive(Copy, Clone, Default, Debug, PartialEq, Eq)]
pub struct MarkOutcome {
    /// Bytes in reachable blocks.
    pub live_bytes: u64,
    /// Reachable blocks.
    pub live_objects: u64,
}

/// Marks everything reachable from `roots`, stop-the-world, with `gray_stack` as the work
/// list (passed in so its capacity is reused from cycle to cycle).
pub fn mark_from_roots<M: ObjectModel, R: Roots>(
    heap: &Heap,
    roots: &mut R,
    gray_stack: &mut Vec<ObjectRef>,
) -> MarkOutcome {
    let mut marker = Marker::new(heap.large_objects(), gray_stack);
    roots.trace_roots(&mut marker);
    marker.drain::<M>();
    marker.outcome()
}

/// Liveness read off the mark bits, valid from the end of marking until the sweep.
pub struct MarkBits<'h> {
    large_objects: &'h LargeObjectSpace,
}

impl<'h> MarkBits<'h> {
    /// The mark bits of `heap`, which has just been marked.
    pub fn new(heap: &'h Heap) -> Self {
        MarkBits {
            large_objects: heap.large_objects(),
        }
    }
}

impl Liveness for MarkBits<'_> {
    fn is_live(&self, obj: ObjectRef) -> bool {
        if is_huge(obj.addr()) {
            return self
                .large_objects
                .get(obj.addr())
                .is_some_and(|block| block.is_marked());
        }
        // SAFETY: obj is a block of a live arena of this heap (Liveness contract); marking
        // is over and the sweep has not started, so only shared views exist.
        let (word, bit) = unsafe { Arena::mark_word(obj.addr()) };
        word.load(Ordering::Relaxed) & bit != 0
    }
}
