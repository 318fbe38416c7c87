//! Marking: finding everything reachable from the roots.
//!
//! Marking sets mark bits (arena blocks) or the large-object table's marks (huge blocks)
//! and traces each traversable object once, through the VM's [`ObjectModel`]. It requires
//! a heap whose bitmap encoding is complete (`Heap::prepare_for_collection`), because the
//! size of a leaf block is read off the bitmap.

mod marker;

pub use marker::Marker;

use crate::heap::Heap;
use crate::object_model::{ObjectModel, ObjectRef, Roots};

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
