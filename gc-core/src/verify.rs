//! The heap verifier: checks the bitmap encoding and that everything reachable is allocated.
//!
//! It walks the heap independently of the collector's marking (its own visited set, a side
//! bitmap per arena, not the mark bits), so a marking bug cannot hide itself. Checked:
//! - each space's own invariants (`Space::verify`: for the arena spaces headers,
//!   metadata, the bitmap encoding and the bins; for the large-object space its
//!   mappings), and, between collections, no black block (the major sweep leaves none);
//! - reachability: every reference reachable from the roots is the first cell of an
//!   allocated block of the right kind (or a huge block of the table), never free.
//!
//! The stress mode runs it every few allocations, so it avoids hashing: the heap's arenas
//! and huge blocks are put in address order once per verification ([`HeapIndex`]), each
//! reference is found there by binary search (which reads no memory the reference points
//! to: a dangling one may point to unmapped memory), and the walk's visited set is a bitmap
//! beside each arena's.

use std::fmt;

use crate::heap::arena::{
    cell_of, is_huge, Arena, ArenaKind, ARENA_MASK, ARENA_SHIFT, BITMAP_WORDS, CELLS_PER_ARENA,
    CELL_SIZE, FIRST_DATA_CELL,
};
use crate::heap::Heap;
use crate::object_model::{ObjectModel, ObjectRef, Roots, Tracer};

/// A broken heap invariant, described for a human.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyError(pub String);

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "heap verification failed: {}", self.0)
    }
}

impl std::error::Error for VerifyError {}

/// Returns a [`VerifyError`] with a formatted message (for every collector's verifier).
macro_rules! fail {
    ($($arg:tt)*) => { return Err($crate::verify::VerifyError(format!($($arg)*))) };
}
pub(crate) use fail;

/// Verifies `heap` between collections (no block may be black).
pub fn verify_heap<M: ObjectModel, R: Roots>(
    heap: &Heap,
    roots: &mut R,
) -> Result<(), VerifyError> {
    verify_heap_with::<M, R>(heap, roots, false).map(drop)
}

/// [`verify_heap`] for collectors that leave black blocks between their steps (mid-cycle,
/// or sticky marks in generational mode) when `black_allowed`.
/// Returns every reachable traversable object, for checks of the caller's own.
pub fn verify_heap_with<M: ObjectModel, R: Roots>(
    heap: &Heap,
    roots: &mut R,
    black_allowed: bool,
) -> Result<Vec<ObjectRef>, VerifyError> {
    let index = HeapIndex::new(heap);
    let mut traversed = Vec::new();
    verify_heap_visiting::<M, R>(heap, &index, roots, black_allowed, |obj, _| {
        traversed.push(obj);
    })?;
    Ok(traversed)
}

/// [`verify_heap_with`] that hands each reachable traversable object to `visit` with the
/// references its trace reported, as the walk traces it (so callers' checks need no trace
/// of their own). The references are not verified yet when `visit` sees them: the walk
/// verifies them later, and its error, if any, is the one returned.
pub(crate) fn verify_heap_visiting<M: ObjectModel, R: Roots>(
    heap: &Heap,
    index: &HeapIndex,
    roots: &mut R,
    black_allowed: bool,
    visit: impl FnMut(ObjectRef, &[ObjectRef]),
) -> Result<(), VerifyError> {
    heap.verify_spaces(black_allowed)?;
    verify_reachable::<M, R>(index, roots, visit)
}

/// Where a block is in a [`HeapIndex`].
#[derive(Copy, Clone, Debug)]
pub(crate) enum Location {
    /// In the arena of that position in address order, of that kind.
    Arena(usize, ArenaKind),
    /// The huge block of that position in address order; whether it is traversable.
    Huge(usize, bool),
}

/// The heap's arenas and huge blocks in address order, for one verification (the heap
/// must not change meanwhile).
pub(crate) struct HeapIndex {
    /// Arena bases with their kind, ascending.
    arenas: Vec<(usize, ArenaKind)>,
    /// When the arenas are packed closely (the heap maps them side by side): for each
    /// arena-sized step from the lowest base, the arena's position plus one, or 0. Empty
    /// when they are spread too thin for a table.
    dense: Vec<u32>,
    /// The lowest arena base.
    low: usize,
    /// Huge block addresses with whether they are traversable, ascending.
    huge: Vec<(usize, bool)>,
}

/// Arena-sized steps the dense table may have per arena (plus a constant, so a small heap
/// spread over a few mappings still gets one): beyond that the heap is spread out and a
/// binary search costs less memory.
const DENSE_STEPS_PER_ARENA: usize = 4;
const DENSE_STEPS_SLACK: usize = 1024;

impl HeapIndex {
    /// Indexes `heap` as it is now.
    pub(crate) fn new(heap: &Heap) -> Self {
        let mut arenas: Vec<(usize, ArenaKind)> = heap
            .arena_spaces()
            .iter()
            .flat_map(|space| space.arenas().iter().map(|a| (a.base(), space.kind())))
            .collect();
        arenas.sort_unstable_by_key(|&(base, _)| base);
        let mut huge: Vec<(usize, bool)> = heap
            .large_objects()
            .iter()
            .map(|(addr, block)| (addr, block.traversable))
            .collect();
        huge.sort_unstable_by_key(|&(addr, _)| addr);
        let low = arenas.first().map_or(0, |&(base, _)| base);
        let steps = arenas
            .last()
            .map_or(0, |&(base, _)| ((base - low) >> ARENA_SHIFT) + 1);
        let mut dense = Vec::new();
        if steps <= DENSE_STEPS_PER_ARENA * arenas.len() + DENSE_STEPS_SLACK {
            dense.resize(steps, 0);
            for (at, &(base, _)) in arenas.iter().enumerate() {
                dense[(base - low) >> ARENA_SHIFT] = at as u32 + 1;
            }
        }
        HeapIndex {
            arenas,
            dense,
            low,
            huge,
        }
    }

    /// The arena or huge block `addr` lies in (huge blocks: starts at), found without
    /// reading the memory at `addr`; `None` if none of this heap's.
    #[inline]
    pub(crate) fn locate(&self, addr: usize) -> Option<Location> {
        if is_huge(addr) {
            let at = self.huge.binary_search_by_key(&addr, |&(a, _)| a).ok()?;
            return Some(Location::Huge(at, self.huge[at].1));
        }
        let base = addr & !ARENA_MASK;
        let at = if self.dense.is_empty() {
            self.arenas.binary_search_by_key(&base, |&(b, _)| b).ok()?
        } else {
            let step = base.checked_sub(self.low)? >> ARENA_SHIFT;
            (*self.dense.get(step)? as usize).checked_sub(1)?
        };
        Some(Location::Arena(at, self.arenas[at].1))
    }
}

/// A set of blocks of one heap: a bit per cell beside each arena, one per huge block.
pub(crate) struct BlockSet {
    /// `CELLS_PER_ARENA` bits per arena, in the index's order.
    cells: Vec<u64>,
    /// A bit per huge block, in the index's order.
    huge: Vec<u64>,
}

impl BlockSet {
    /// An empty set over the heap `index` describes.
    pub(crate) fn new(index: &HeapIndex) -> Self {
        BlockSet {
            cells: vec![0; index.arenas.len() * BITMAP_WORDS],
            huge: vec![0; index.huge.len().div_ceil(64)],
        }
    }

    /// Adds the block at `addr`, located at `location`; true if it was not in the set.
    #[inline]
    fn insert_at(&mut self, addr: usize, location: Location) -> bool {
        let (word, bit) = match location {
            Location::Arena(at, _) => {
                let bit = at * CELLS_PER_ARENA + cell_of(addr);
                (&mut self.cells[bit / 64], 1 << (bit % 64))
            }
            Location::Huge(at, _) => (&mut self.huge[at / 64], 1 << (at % 64)),
        };
        let new = *word & bit == 0;
        *word |= bit;
        new
    }

    /// Adds `obj` if it is a block of the heap `index` describes (nothing else can be a
    /// member).
    pub(crate) fn insert(&mut self, index: &HeapIndex, obj: ObjectRef) {
        if let Some(location) = index.locate(obj.addr()) {
            self.insert_at(obj.addr(), location);
        }
    }

    /// Whether `obj` is in the set (`index` as at creation).
    #[inline]
    pub(crate) fn contains(&self, index: &HeapIndex, obj: ObjectRef) -> bool {
        let addr = obj.addr();
        let (word, bit) = match index.locate(addr) {
            None => return false,
            Some(Location::Arena(at, _)) => {
                let bit = at * CELLS_PER_ARENA + cell_of(addr);
                (self.cells[bit / 64], bit % 64)
            }
            Some(Location::Huge(at, _)) => (self.huge[at / 64], at % 64),
        };
        word >> bit & 1 == 1
    }
}

/// A tracer that appends the references it is given to a vector (the verifiers' walks,
/// a big object's chunk, the forward barrier's records of a move).
pub(crate) struct CollectRefs<'a>(pub &'a mut Vec<ObjectRef>);

impl Tracer for CollectRefs<'_> {
    #[inline]
    fn mark(&mut self, obj: ObjectRef) {
        self.0.push(obj);
    }
}

fn verify_reachable<M: ObjectModel, R: Roots>(
    index: &HeapIndex,
    roots: &mut R,
    mut visit: impl FnMut(ObjectRef, &[ObjectRef]),
) -> Result<(), VerifyError> {
    let mut pending = Vec::new();
    roots.trace_roots(&mut CollectRefs(&mut pending));
    let mut visited = BlockSet::new(index);
    while let Some(obj) = pending.pop() {
        let addr = obj.addr();
        let Some(location) = index.locate(addr) else {
            if is_huge(addr) {
                fail!("reachable {addr:#x} is not a huge block");
            }
            fail!("reachable {addr:#x} is in no arena of this heap");
        };
        if !visited.insert_at(addr, location) {
            continue;
        }
        let traversable = match location {
            Location::Huge(_, traversable) => traversable,
            Location::Arena(_, kind) => {
                let cell = cell_of(addr);
                // SAFETY: the arena is one of the heap's live arenas.
                let bitmaps = unsafe { Arena::containing(addr).bitmaps() };
                if !addr.is_multiple_of(CELL_SIZE)
                    || cell < FIRST_DATA_CELL
                    || !bitmaps.is_allocated(cell)
                {
                    fail!(
                        "reachable {addr:#x} is not an allocated block ({:?})",
                        bitmaps.state(cell)
                    );
                }
                kind == ArenaKind::Objects
            }
        };
        if traversable {
            let start = pending.len();
            // SAFETY: obj is an allocated traversable block reachable from the roots, so the
            // VM has initialised it.
            unsafe { M::trace(obj, &mut CollectRefs(&mut pending)) };
            visit(obj, &pending[start..]);
        }
    }
    Ok(())
}
