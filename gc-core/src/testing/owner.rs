//! A second test object model, for collectors that keep owned leaf blocks apart (see
//! [`ObjectModel::owned_leaves`]): objects of one kind whose only reference, in the word
//! after the header, is a leaf block they own alone.

use crate::object_model::{GcHeader, ObjectModel, ObjectRef, Tracer};

/// Objects that own the leaf block named by their word after the header.
pub struct OwnerModel;

/// An [`OwnerModel`] object: the header and the slot of its leaf block.
pub const OWNER_BYTES: usize = std::mem::size_of::<GcHeader>() + 8;

/// Where an [`OwnerModel`] object keeps its leaf block (`None`: none). Computing the
/// address reads nothing; reading or writing through it needs a live owner object.
pub fn leaf_slot(obj: ObjectRef) -> *mut Option<ObjectRef> {
    obj.as_ptr()
        .wrapping_add(std::mem::size_of::<GcHeader>())
        .cast()
}

// SAFETY: an object's one reference is its leaf block, which both functions report.
unsafe impl ObjectModel for OwnerModel {
    unsafe fn trace<T: Tracer>(obj: ObjectRef, tracer: &mut T) {
        // SAFETY: an initialised object (the caller's contract).
        if let Some(leaf) = unsafe { *leaf_slot(obj) } {
            tracer.mark(leaf);
        }
    }

    unsafe fn owned_leaves<F: FnMut(ObjectRef)>(obj: ObjectRef, f: &mut F) {
        // SAFETY: as above.
        if let Some(leaf) = unsafe { *leaf_slot(obj) } {
            f(leaf);
        }
    }
}
