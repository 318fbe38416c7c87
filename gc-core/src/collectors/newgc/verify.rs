//! The stress mode's checks: the heap verifier, plus the tri-color invariant whenever it
//! must hold (see `barrier`): no black object refers to an unmarked one through a strong
//! reference. Black here means marked, gray bit clear, in neither the gray queue nor the
//! SSB, and not a running stack (those are re-traced in the atomic phase); a weak object's
//! strong references are those it has whatever is live (its weak-keyed entries' values
//! are the ephemerons' convergence's). A marked object whose gray bit is set must be
//! recorded: in the gray queue or the SSB or, while marking, listed with the weak objects
//! the atomic phase traces again.

use super::cycle::{Phase, State};
use crate::heap::Heap;
use crate::mark::is_marked;
use crate::object_model::{Liveness, ObjectModel, ObjectRef, Roots, Tracer, Weakness};
use crate::verify::{verify_heap_visiting, BlockSet, CollectRefs, HeapIndex, VerifyError};

/// Verifies the heap in whatever phase the collector is.
pub(super) fn verify<M: ObjectModel, R: Roots>(
    heap: &Heap,
    state: &State,
    roots: &mut R,
) -> Result<(), VerifyError> {
    let black_allowed = state.phase != Phase::Idle || state.sticky;
    let index = HeapIndex::new(heap);
    let check_colors = state.phase == Phase::Marking || state.sticky;
    if !check_colors {
        return verify_heap_visiting::<M, R>(heap, &index, roots, black_allowed, |_, _| {});
    }
    // Looked up for every marked object: a bitmap beside the arenas.
    let mut recorded = BlockSet::new(&index);
    for obj in state.barrier.ssb.iter().chain(state.marking.gray.objects()) {
        recorded.insert(&index, obj);
    }
    let mut listed = BlockSet::new(&index);
    if state.phase == Phase::Marking {
        for &(obj, _) in &state.marking.weak_objects {
            listed.insert(&index, obj);
        }
    }
    let ssb = Refs::new(state.barrier.ssb.iter());
    // Objects the forward barrier recorded are as good as marked: the next step marks
    // them, before any sweep.
    let shaded = Refs::new(state.barrier.shade.iter().copied());
    let large_objects = heap.large_objects();
    let running = roots.running_stacks().to_vec();
    // The walk's own errors come first: the children checked here are not verified yet
    // (an unlocated one is left to the walk, which reports it).
    let mut broken = None;
    let mut strong_part = Vec::new();
    verify_heap_visiting::<M, R>(heap, &index, roots, black_allowed, |obj, children| {
        // SAFETY: reachable traversable objects are live and initialised.
        let checked = broken.is_none()
            && is_marked(large_objects, obj)
            && !recorded.contains(&index, obj)
            && !running.contains(&obj);
        if !checked {
            return;
        }
        // SAFETY: as above.
        if unsafe { obj.header() }.is_gray() {
            if !listed.contains(&index, obj) {
                broken = Some(VerifyError(format!(
                    "marked {:#x} is gray but neither queued, in the SSB nor listed ({:?}, \
                     sticky: {})",
                    obj.addr(),
                    state.phase,
                    state.sticky
                )));
            }
            return;
        }
        // SAFETY: as above.
        let children = match unsafe { M::weakness(obj) } {
            Weakness::Strong => children,
            weakness => {
                strong_part.clear();
                // SAFETY: as above; `weakness` is the object's.
                unsafe { M::trace_weak(obj, weakness, &mut StrongPart(&mut strong_part)) };
                &strong_part[..]
            }
        };
        broken = check_children(obj, children, "black", state, heap, &index, &shaded).err();
    })?;
    if let Some(error) = broken {
        return Err(error);
    }
    // A big object traced in part holds the same invariant over its traced parts (a
    // store or a resize that moves an entry into them takes the forward barrier), unless
    // the backward barrier queued it for a whole trace again.
    // An object traced again while an older trace of it is still queued has two chunks
    // queued: its traced parts are those before the lower one.
    let mut traced_parts: Vec<(ObjectRef, usize)> = state.marking.gray.chunks().collect();
    traced_parts.sort_unstable();
    traced_parts.dedup_by_key(|&mut (obj, _)| obj);
    let mut children = Vec::new();
    for (obj, next) in traced_parts {
        // SAFETY: queued chunks belong to reached, live traversable objects.
        if unsafe { obj.header() }.is_gray() || ssb.contains(obj) {
            continue;
        }
        children.clear();
        // SAFETY: as above; the range is cut to the current part count.
        unsafe {
            let traced = next.min(M::part_count(obj));
            M::trace_parts(obj, 0..traced, &mut CollectRefs(&mut children));
        }
        check_children(
            obj,
            &children,
            "partly traced",
            state,
            heap,
            &index,
            &shaded,
        )?;
    }
    Ok(())
}

/// Fails if one of `children` of the traced object `obj` is neither marked nor shaded.
/// Children outside the heap are left to the reachability walk.
fn check_children(
    obj: ObjectRef,
    children: &[ObjectRef],
    what: &str,
    state: &State,
    heap: &Heap,
    index: &HeapIndex,
    shaded: &Refs,
) -> Result<(), VerifyError> {
    let large_objects = heap.large_objects();
    match children.iter().find(|&&c| {
        index.locate(c.addr()).is_some() && !is_marked(large_objects, c) && !shaded.contains(c)
    }) {
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

/// A set of references, sorted for binary search: the SSB's and the forward barrier's
/// (usually few, and looked up only for partly traced objects and unmarked children, so
/// a bitmap over the heap would cost more to clear than it saves).
struct Refs(Vec<ObjectRef>);

impl Refs {
    fn new(refs: impl Iterator<Item = ObjectRef>) -> Self {
        let mut refs: Vec<ObjectRef> = refs.collect();
        refs.sort_unstable();
        refs.dedup();
        Refs(refs)
    }

    fn contains(&self, obj: ObjectRef) -> bool {
        self.0.binary_search(&obj).is_ok()
    }
}

/// Collects the references a weak object holds strongly whatever is live: it calls no
/// key live, so a weak-keyed entry's value is reported only if its key is not weak.
struct StrongPart<'a>(&'a mut Vec<ObjectRef>);

impl Tracer for StrongPart<'_> {
    fn mark(&mut self, obj: ObjectRef) {
        self.0.push(obj);
    }
}

impl Liveness for StrongPart<'_> {
    fn is_live(&self, _: ObjectRef) -> bool {
        false
    }
}
