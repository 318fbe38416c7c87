//! The stress mode's checks: the heap verifier, plus the tri-color invariant whenever it
//! must hold (see `barrier`): no black object refers to an unmarked one. Black here means
//! marked, gray bit clear, in neither the gray queue nor the SSB, not a stack (stacks are
//! re-traced in the atomic phase) and not weak (weak references may point anywhere).

use std::collections::HashSet;

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
        .chain(state.barrier.ssb.iter().copied())
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
        if let Some(child) = children
            .iter()
            .find(|&&c| !is_marked(large_objects, c) && !shaded.contains(&c))
        {
            return Err(VerifyError(format!(
                "tri-color invariant: black {:#x} refers to unmarked {:#x} ({:?}, sticky: {})",
                obj.addr(),
                child.addr(),
                state.phase,
                state.sticky
            )));
        }
    }
    Ok(())
}
