//! The stress mode's checks: the heap verifier, plus the tri-color invariant whenever it
//! must hold (see `barrier`): no black object refers to an unmarked one. Black here means
//! marked, gray bit clear, in neither the gray queue nor the SSB, not a stack (stacks are
//! re-traced in the atomic phase) and not weak (weak references may point anywhere).

use std::collections::{HashMap, HashSet};

use super::cycle::{Phase, State};
use super::marker::CollectRefs;
use crate::heap::Heap;
use crate::mark::is_marked;
use crate::object_model::{ObjectModel, ObjectRef, Roots, Weakness};
use crate::verify::{verify_heap_with, VerifyError};

/// Verifies the heap in whatever phase the collector is.
pub(super) fn verify<M: ObjectModel, R: Roots>(
    heap: &Heap,
    state: &State,
    roots: &mut R,
) -> Result<(), VerifyError> {
    let black_allowed = state.phase != Phase::Idle || state.sticky;
    let reachable = verify_heap_with::<M, R>(heap, roots, black_allowed)?;
    if state.phase != Phase::Marking && !state.sticky {
        return Ok(());
    }
    let recorded: HashSet<ObjectRef> = state
        .marking
        .gray
        .objects()
        .chain(state.barrier.ssb.iter())
        .collect();
    // Objects the forward barrier recorded are as good as marked: the next step marks
    // them, before any sweep.
    let shaded: HashSet<ObjectRef> = state.barrier.shade.iter().copied().collect();
    let large_objects = heap.large_objects();
    for obj in reachable {
        // SAFETY: reachable traversable objects are live and initialised.
        let black = unsafe {
            is_marked(large_objects, obj)
                && !obj.header().is_gray()
                && !recorded.contains(&obj)
                && !M::is_stack(obj)
                && M::weakness(obj) == Weakness::Strong
        };
        if !black {
            continue;
        }
        let mut children = Vec::new();
        // SAFETY: as above.
        unsafe { M::trace(obj, &mut CollectRefs(&mut children)) };
        check_children(obj, &children, "black", state, heap, &shaded)?;
    }
    // A big object traced in part holds the same invariant over its traced parts (a
    // store or a resize that moves an entry into them takes the forward barrier), unless
    // the backward barrier queued it for a whole trace again.
    // An object traced again while an older trace of it is still queued has two chunks
    // queued: its traced parts are those before the lower one.
    let mut traced_parts: HashMap<ObjectRef, usize> = HashMap::new();
    for (obj, next) in state.marking.gray.chunks() {
        let parts = traced_parts.entry(obj).or_insert(next);
        *parts = (*parts).min(next);
    }
    let ssb: HashSet<ObjectRef> = state.barrier.ssb.iter().collect();
    for (obj, next) in traced_parts {
        // SAFETY: queued chunks belong to reached, live traversable objects.
        if unsafe { obj.header() }.is_gray() || ssb.contains(&obj) {
            continue;
        }
        let mut children = Vec::new();
        // SAFETY: as above; the range is cut to the current part count.
        unsafe {
            let traced = next.min(M::part_count(obj));
            M::trace_parts(obj, 0..traced, &mut CollectRefs(&mut children));
        }
        check_children(obj, &children, "partly traced", state, heap, &shaded)?;
    }
    Ok(())
}

/// Fails if one of `children` of the traced object `obj` is neither marked nor shaded.
fn check_children(
    obj: ObjectRef,
    children: &[ObjectRef],
    what: &str,
    state: &State,
    heap: &Heap,
    shaded: &HashSet<ObjectRef>,
) -> Result<(), VerifyError> {
    let large_objects = heap.large_objects();
    match children
        .iter()
        .find(|&&c| !is_marked(large_objects, c) && !shaded.contains(&c))
    {
        Some(child) => Err(VerifyError(format!(
            "tri-color invariant: {what} {:#x} refers to unmarked {:#x} ({:?}, sticky: {})",
            obj.addr(),
            child.addr(),
            state.phase,
            state.sticky
        ))),
        None => Ok(()),
    }
}
