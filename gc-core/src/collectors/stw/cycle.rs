//! One stop-the-world cycle: complete the bitmaps, mark (with weak tables and finalizers),
//! sweep everything.

use super::trigger_bytes;
use crate::collector::HeapConfig;
use crate::finalizers::FinalizerQueue;
use crate::footprint::vec_bytes;
use crate::heap::Heap;
use crate::mark::mark_heap;
use crate::object_model::{ObjectModel, ObjectRef, Roots};
use crate::stats::{PauseLog, PausePhase};

/// Runs a full collection as one pause, `explicit` when the program asked for it.
pub(super) fn full_cycle<M: ObjectModel, R: Roots>(
    heap: &mut Heap,
    roots: &mut R,
    gray_stack: &mut Vec<ObjectRef>,
    finalizers: &mut FinalizerQueue,
    pauses: &mut PauseLog,
    config: &HeapConfig,
    explicit: bool,
) {
    let start = pauses.begin();
    heap.prepare_for_collection();
    // SAFETY: the collector registers only live objects of its heap as finalizers.
    let marked = unsafe { mark_heap::<M, R>(heap, roots, gray_stack, finalizers) };
    heap.sample_footprint(vec_bytes(gray_stack) + pauses.memory_bytes());
    heap.sweep_major();
    let trigger = trigger_bytes(config, marked.live_bytes);
    let headroom = trigger - marked.live_bytes.min(trigger);
    heap.finish_collection(marked.live_bytes);
    heap.trim(headroom);
    if explicit {
        pauses.end_explicit(start);
    } else {
        pauses.end(start, PausePhase::Full);
    }
    pauses.count_cycle(crate::stats::CycleKind::Major);
}
