//! The held leaf sweep. After the atomic phase the VM prunes its weak references to leaf
//! blocks (its string table, millions of entries in big programs) in steps, and may meet
//! a dead leaf it still holds meanwhile (an interned string found again): it must be
//! revived, not freed. So the lazy sweep of the leaf arenas, and the freeing of the huge
//! leaf blocks, wait until pruning is done.
//!
//! Invariant while held: only the leaf arenas and huge leaf blocks that existed at the
//! atomic phase can hold a dead leaf (later ones hold only blocks allocated since, which
//! live), and none of them is swept until [`LeafHold::release`]. Huge blocks one object
//! owns (table parts) are not held: no weak reference reaches them, so they go with the
//! other dead huge blocks.

use std::collections::HashSet;

use crate::heap::arena::{is_huge, ArenaKind, ARENA_MASK};
use crate::heap::bitmap::SweepKind;
use crate::heap::Heap;
use crate::mark::is_marked;
use crate::object_model::{Liveness, ObjectRef};

/// The leaf arenas and huge leaf blocks whose sweep waits, and the sweep they wait for.
pub(super) struct LeafHold {
    held: bool,
    kind: SweepKind,
    arenas: HashSet<usize>,
    huge: HashSet<usize>,
}

impl Default for LeafHold {
    fn default() -> Self {
        LeafHold {
            held: false,
            kind: SweepKind::Major,
            arenas: HashSet::new(),
            huge: HashSet::new(),
        }
    }
}

impl LeafHold {
    /// Holds the sweep of `kind` of every leaf block allocated now; then starts the
    /// heap's lazy sweep of `live_bytes` (see `Heap::begin_sweep`) without them.
    pub fn hold_and_begin_sweep(&mut self, heap: &mut Heap, kind: SweepKind, live_bytes: u64) {
        self.held = true;
        self.kind = kind;
        let leaves = heap.space(ArenaKind::Leaves).arenas();
        self.arenas = leaves.iter().map(|arena| arena.base()).collect();
        self.huge = heap
            .large_objects()
            .iter()
            .filter(|(_, block)| !block.traversable && !block.owned)
            .map(|(addr, _)| addr)
            .collect();
        heap.hold_leaf_sweep(true);
        let huge = &self.huge;
        heap.begin_sweep(kind, live_bytes, |addr| !huge.contains(&addr));
    }

    /// Whether the sweep is held (the VM is still pruning).
    #[inline(always)]
    pub fn is_held(&self) -> bool {
        self.held
    }

    /// Whether `obj` is a leaf block whose sweep is held: only such a block can be dead
    /// while the VM still holds a weak reference to it.
    pub fn holds(&self, obj: ObjectRef) -> bool {
        let addr = obj.addr();
        if is_huge(addr) {
            self.huge.contains(&addr)
        } else {
            self.arenas.contains(&(addr & !ARENA_MASK))
        }
    }

    /// The liveness the VM prunes by while the sweep is held.
    pub fn liveness<'a>(&'a self, heap: &'a Heap) -> HeldLiveness<'a> {
        HeldLiveness { hold: self, heap }
    }

    /// Pruning is done: the held huge leaves that died are freed, the leaf arenas may be
    /// swept.
    pub fn release(&mut self, heap: &mut Heap) {
        let huge = std::mem::take(&mut self.huge);
        heap.free_dead_huge_where(self.kind, |addr| huge.contains(&addr));
        self.arenas.clear();
        self.held = false;
        heap.hold_leaf_sweep(false);
    }
}

/// Liveness while the VM prunes in steps: a held leaf lives if marked; anything allocated
/// since the atomic phase lives.
pub(super) struct HeldLiveness<'a> {
    hold: &'a LeafHold,
    heap: &'a Heap,
}

impl Liveness for HeldLiveness<'_> {
    fn is_live(&self, obj: ObjectRef) -> bool {
        // The mark first: most entries are live, and it is the cheaper test.
        is_marked(self.heap.large_objects(), obj) || !self.hold.holds(obj)
    }
}
