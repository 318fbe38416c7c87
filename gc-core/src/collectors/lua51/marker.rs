//! Colors and marking, as in Lua 5.1's `lgc.c`.
//!
//! Colors live in the malloc space's prefix bits: two whites and black, gray being none of
//! the three. The current white flips at the end of each atomic phase, so that what the
//! sweep must free (the other white, the color of everything left unmarked) is told from
//! what was allocated since (the current white) without touching the new objects.
//!
//! Tri-color invariant while marking runs (see `barrier`): no black object refers to a
//! white one. Marking turns white into gray (onto the gray stack) and propagation gray into
//! black. Leaf blocks on the list go straight to black: nothing to trace. Owned blocks
//! have no color (never white: the sweep never sees them). Stacks and weak objects are
//! never left black: they stay gray after being traced, on the gray-again and weak lists,
//! and are traced again in the atomic phase (stacks are written without the barrier, weak
//! objects must not hold their entries alive through it).
//!
//! Work, which pacing trades against allocation, is counted as 5.1's `propagatemark`
//! counts it: the bytes of each object traced (its block, prefix included, standing for
//! 5.1's struct with its `CommonHeader`), of the parts it owns (their payload: 5.1's
//! parts have no header), and of the shared structure its traversal reads
//! (`ObjectModel::shared_bytes_traversed`: 5.1's dummy node). Marking a leaf block on the
//! list (a string) costs nothing, as in 5.1's `reallymarkobject`.

use crate::heap::malloc_space::{MallocSpace, OWNED, PREFIX_BYTES, TRAVERSABLE};
use crate::mark::ephemerons::{converge, EphemeronIndex, EphemeronMarker};
use crate::object_model::{Liveness, ObjectModel, ObjectRef, Tracer, Weakness};

/// The first white.
pub(super) const WHITE0: u8 = 1;
/// The second white.
pub(super) const WHITE1: u8 = 2;
/// Both whites: a block with either bit is white.
pub(super) const WHITES: u8 = WHITE0 | WHITE1;
/// Black: marked and traced.
pub(super) const BLACK: u8 = 4;
/// Gray: marked, not (or not finally) traced.
pub(super) const GRAY: u8 = 0;

/// The gray lists and the current white.
pub(super) struct Marking {
    /// Objects marked and not traced yet (5.1's `gray`): a stack.
    pub gray: Vec<ObjectRef>,
    /// Objects to trace again in the atomic phase (5.1's `grayagain`): stacks, and
    /// objects the backward barrier turned gray again.
    pub gray_again: Vec<ObjectRef>,
    /// Weak objects traced this cycle (5.1's `weak`), to trace again and clear.
    pub weak: Vec<(ObjectRef, Weakness)>,
    /// The white new objects get.
    pub current_white: u8,
    /// Work done since the counter was last taken: bytes traversed (see the module's
    /// documentation).
    pub work: u64,
    /// Blocks marked this cycle: the ephemeron convergence stops when it stops growing.
    pub marked_blocks: u64,
    /// Weak-keyed entries waiting for their keys, while ephemerons converge.
    ephemerons: EphemeronIndex,
}

impl Default for Marking {
    fn default() -> Self {
        Marking {
            gray: Vec::new(),
            gray_again: Vec::new(),
            weak: Vec::new(),
            current_white: WHITE0,
            work: 0,
            marked_blocks: 0,
            ephemerons: EphemeronIndex::default(),
        }
    }
}

impl Marking {
    /// The white of the objects the running sweep frees (after the flip: the white of
    /// everything the last marking left unmarked).
    pub fn other_white(&self) -> u8 {
        self.current_white ^ WHITES
    }

    /// Forgets every list: a new marking starts.
    pub fn clear(&mut self) {
        self.gray.clear();
        self.gray_again.clear();
        self.weak.clear();
        self.marked_blocks = 0;
    }

    /// Traces one gray object (5.1's `propagatemark`) and returns the work it cost.
    pub fn propagate<M: ObjectModel>(&mut self, obj: ObjectRef) -> u64 {
        let before = self.work;
        // SAFETY: only marked blocks of the space, live traversable objects the VM has
        // initialised, are on the gray lists.
        unsafe {
            MallocSpace::set_bits(obj, BLACK);
            let weakness = M::weakness(obj);
            if M::is_stack(obj) {
                M::trace(obj, self);
                MallocSpace::set_bits(obj, GRAY);
                self.gray_again.push(obj);
            } else if weakness != Weakness::Strong {
                M::trace_weak(obj, weakness, self);
                MallocSpace::set_bits(obj, GRAY);
                self.weak.push((obj, weakness));
            } else {
                M::trace(obj, self);
            }
            self.work += MallocSpace::block_bytes(obj) + M::shared_bytes_traversed(obj);
        }
        self.work - before
    }

    /// Traces gray objects until none is left (5.1's `propagateall`).
    pub fn propagate_all<M: ObjectModel>(&mut self) {
        while let Some(obj) = self.gray.pop() {
            self.propagate::<M>(obj);
        }
    }

    /// Marks what the values of weak-keyed entries with live keys reach, to a fixpoint
    /// (see [`crate::mark::ephemerons`]): the object model gives weak keys ephemeron
    /// semantics, where 5.1 keeps such values strongly.
    pub fn converge_ephemerons<M: ObjectModel>(&mut self) {
        converge::<M, _>(self);
    }
}

impl Tracer for Marking {
    /// 5.1's `reallymarkobject`.
    #[inline]
    fn mark(&mut self, obj: ObjectRef) {
        // SAFETY: the VM reports only blocks of this heap that are reachable, so live.
        let bits = unsafe { MallocSpace::bits(obj) };
        if bits & WHITES == 0 {
            if bits & OWNED != 0 {
                // SAFETY: as above.
                self.work += unsafe { MallocSpace::block_bytes(obj) } - PREFIX_BYTES as u64;
            }
            return;
        }
        self.marked_blocks += 1;
        let color = if bits & TRAVERSABLE != 0 {
            self.gray.push(obj);
            GRAY
        } else {
            BLACK
        };
        // SAFETY: as above.
        unsafe { MallocSpace::set_bits(obj, color) };
        if self.ephemerons.is_open() {
            self.ephemerons.released_by(obj);
        }
    }

    fn mark_when_live(&mut self, key: ObjectRef, value: ObjectRef) {
        self.ephemerons.wait(key, value);
    }
}

impl EphemeronMarker for Marking {
    fn ephemerons(&mut self) -> &mut EphemeronIndex {
        &mut self.ephemerons
    }

    fn weak_object(&self, i: usize) -> Option<(ObjectRef, Weakness)> {
        self.weak.get(i).copied()
    }

    fn marked_so_far(&self) -> u64 {
        self.marked_blocks
    }

    fn drain_all<M: ObjectModel>(&mut self) {
        self.propagate_all::<M>();
    }
}

impl Liveness for Marking {
    /// Marked so far (before the flip: what is not white).
    fn is_live(&self, obj: ObjectRef) -> bool {
        // SAFETY: asked about blocks of this heap the VM still holds, not freed yet.
        (unsafe { MallocSpace::bits(obj) } & WHITES) == 0
    }
}

/// Liveness between the flip and the end of the sweep: what is not of the white the
/// sweep frees survives (new and revived blocks have the current white).
pub(super) struct Survival {
    /// The white the sweep frees.
    pub dead_white: u8,
}

impl Liveness for Survival {
    fn is_live(&self, obj: ObjectRef) -> bool {
        // SAFETY: asked about blocks of this heap not swept yet.
        (unsafe { MallocSpace::bits(obj) } & self.dead_white) == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object_model::Tracer;
    use crate::testing::owner::{leaf_slot, OwnerModel, OWNER_BYTES};

    /// Bytes [`SharedNodeModel`] objects read outside the heap, as a 5.1 table reads its
    /// dummy node.
    const SHARED: u64 = 40;

    /// [`OwnerModel`] objects whose traversal also reads `SHARED` bytes of shared
    /// structure.
    struct SharedNodeModel;

    // SAFETY: OwnerModel's references and owned blocks, unchanged.
    unsafe impl ObjectModel for SharedNodeModel {
        unsafe fn trace<T: Tracer>(obj: ObjectRef, tracer: &mut T) {
            // SAFETY: forwarded from the caller.
            unsafe { OwnerModel::trace(obj, tracer) }
        }

        unsafe fn owned_leaves<F: FnMut(ObjectRef)>(obj: ObjectRef, f: &mut F) {
            // SAFETY: forwarded from the caller.
            unsafe { OwnerModel::owned_leaves(obj, f) }
        }

        unsafe fn shared_bytes_traversed(_obj: ObjectRef) -> u64 {
            SHARED
        }
    }

    #[test]
    fn work_is_counted_as_lua_5_1_counts_it() {
        let mut space = MallocSpace::default();
        let owner = space.alloc(OWNER_BYTES, Some(1), WHITE0).unwrap();
        let part = space.alloc_owned(100).unwrap();
        let string = space.alloc(30, None, WHITE0).unwrap();
        // SAFETY: a fresh owner, initialised before anything reads it.
        unsafe { leaf_slot(owner).write(Some(part)) };
        let mut marking = Marking::default();
        marking.mark(string);
        assert_eq!(marking.work, 0, "marking a string is free, as in 5.1");
        marking.mark(owner);
        let work = marking.propagate::<SharedNodeModel>(owner);
        // SAFETY: blocks of the space, not freed.
        let (owner_bytes, part_bytes) = unsafe {
            (
                MallocSpace::block_bytes(owner),
                MallocSpace::block_bytes(part),
            )
        };
        // The object with its prefix (5.1's struct with its header), the part without
        // (5.1's parts have none), and the shared node.
        assert_eq!(
            work,
            owner_bytes + (part_bytes - PREFIX_BYTES as u64) + SHARED
        );
        // SAFETY: every object on the list is initialised.
        unsafe { space.free_all::<SharedNodeModel>() };
    }
}
