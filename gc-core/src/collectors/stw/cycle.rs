//! One stop-the-world cycle: complete the bitmaps, mark from the roots, sweep everything.

use std::time::Instant;

use crate::heap::Heap;
use crate::mark::mark_from_roots;
use crate::object_model::{ObjectModel, ObjectRef, Roots};
use crate::stats::PauseLog;

/// Runs a full collection as one pause.
pub(super) fn full_cycle<M: ObjectModel, R: Roots>(
    heap: &mut Heap,
    roots: &mut R,
    gray_stack: &mut Vec<ObjectRef>,
    pauses: &mut PauseLog,
) {
    let start = Instant::now();
    heap.prepare_for_collection();
    let marked = mark_from_roots::<M, R>(heap, roots, gray_stack);
    heap.sweep_major();
    heap.finish_collection(marked.live_bytes);
    pauses.record(start.elapsed());
    pauses.count_cycle();
}
