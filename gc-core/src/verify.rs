//! The heap verifier: checks the bitmap encoding and that everything reachable is allocated.
//!
//! It walks the heap independently of the collector's marking (its own visited set, no mark
//! bits), so a marking bug cannot hide itself. Checked:
//! - arena headers and metadata: kind and table index right, spare metadata bits clear;
//! - encoding: the first data cell starts a block, every traversable block's header size
//!   matches its extent in the bitmap, no start bit inside the bump region's free cells,
//!   every binned free block is a free start spanning exactly to the next start, and,
//!   between collections, no black block (the major sweep leaves none);
//! - reachability: every reference reachable from the roots is the first cell of an
//!   allocated block of the right kind (or a huge block of the table), never free.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::atomic::Ordering;

use crate::heap::arena::{
    cell_of, is_huge, Arena, ArenaKind, ARENA_MASK, CELLS_PER_ARENA, CELL_SIZE, FIRST_DATA_CELL,
    FIRST_DATA_WORD,
};
use crate::heap::bitmap::BlockState;
use crate::heap::space::Space;
use crate::heap::Heap;
use crate::object_model::{GcHeader, ObjectModel, ObjectRef, Roots, Tracer};

/// A broken heap invariant, described for a human.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyError(pub String);

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "heap verification failed: {}", self.0)
    }
}

impl std::error::Error for VerifyError {}

macro_rules! fail {
    ($($arg:tt)*) => { return Err(VerifyError(format!($($arg)*))) };
}

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
    let mut arena_kinds = HashMap::new();
    for space in heap.spaces() {
        verify_space(space, black_allowed)?;
        arena_kinds.extend(
            space
                .arenas()
                .iter()
                .map(|arena| (arena.base(), space.kind())),
        );
    }
    verify_reachable::<M, R>(heap, &arena_kinds, roots)
}

fn verify_space(space: &Space, black_allowed: bool) -> Result<(), VerifyError> {
    let region = space.bump().unallocated();
    for (index, &arena) in space.arenas().iter().enumerate() {
        // SAFETY: the space's arenas are live; verification runs with the mutator stopped.
        let (header, bitmaps) = unsafe { (arena.header(), arena.bitmaps()) };
        if header.kind != space.kind() || header.index as usize != index {
            fail!(
                "arena {:#x}: header {header:?}, expected {:?} at {index}",
                arena.base(),
                space.kind()
            );
        }
        let metadata_bits = (1..FIRST_DATA_WORD)
            .map(|w| &bitmaps.block[w])
            .chain(&bitmaps.mark[..FIRST_DATA_WORD]);
        if metadata_bits
            .into_iter()
            .any(|word| word.load(Ordering::Relaxed) != 0)
        {
            fail!("arena {:#x}: bits set for metadata cells", arena.base());
        }
        // The bump region's free cells carry no start bit: it acts as one free block.
        let region_start = (!region.is_empty() && Arena::containing(region.start) == arena)
            .then(|| cell_of(region.start));
        if let Some(start) = region_start {
            let limit = cell_of(region.end - 1) + 1;
            if bitmaps.next_start(start) < limit {
                fail!(
                    "arena {:#x}: start bit inside the bump region",
                    arena.base()
                );
            }
        }
        let block_end = |cell: usize| {
            let next = bitmaps.next_start(cell + 1);
            region_start
                .filter(|&start| start > cell && start < next)
                .unwrap_or(next)
        };
        let mut cell = FIRST_DATA_CELL;
        if bitmaps.state(cell) == BlockState::Extent && region_start != Some(cell) {
            fail!(
                "arena {:#x}: first data cell is an orphan extent",
                arena.base()
            );
        }
        while cell < CELLS_PER_ARENA {
            let end = block_end(cell);
            match bitmaps.state(cell) {
                BlockState::Black if !black_allowed => fail!(
                    "black block at {:#x} between collections",
                    arena.cell_addr(cell)
                ),
                BlockState::White | BlockState::Black if space.kind() == ArenaKind::Objects => {
                    // SAFETY: an allocated block of an object arena starts with a header.
                    let cells = unsafe { &*(arena.cell_addr(cell) as *const GcHeader) }.cells();
                    if cells as usize != end - cell {
                        fail!(
                            "object at {:#x}: header says {cells} cells, bitmap {}",
                            arena.cell_addr(cell),
                            end - cell
                        );
                    }
                }
                _ => {}
            }
            cell = bitmaps.next_start(end);
        }
    }
    for block in space.bins().blocks() {
        // SAFETY: binned blocks lie in live arenas of this space.
        let bitmaps = unsafe { Arena::containing(block.addr).bitmaps() };
        let cell = cell_of(block.addr);
        let (state, span) = (bitmaps.state(cell), bitmaps.next_start(cell + 1) - cell);
        if state != BlockState::Free || span != block.cells {
            fail!("binned block {block:?} is {state:?} spanning {span} cells");
        }
    }
    Ok(())
}

/// Collects references for the reachability walk.
struct Collect(Vec<ObjectRef>);

impl Tracer for Collect {
    fn mark(&mut self, obj: ObjectRef) {
        self.0.push(obj);
    }
}

fn verify_reachable<M: ObjectModel, R: Roots>(
    heap: &Heap,
    arena_kinds: &HashMap<usize, ArenaKind>,
    roots: &mut R,
) -> Result<Vec<ObjectRef>, VerifyError> {
    let mut pending = Collect(Vec::new());
    roots.trace_roots(&mut pending);
    let mut visited = HashSet::new();
    let mut traversed = Vec::new();
    while let Some(obj) = pending.0.pop() {
        if !visited.insert(obj) {
            continue;
        }
        let addr = obj.addr();
        let traversable = if is_huge(addr) {
            match heap.large_objects().get(addr) {
                Some(block) => block.traversable,
                None => fail!("reachable {addr:#x} is not a huge block"),
            }
        } else {
            let Some(&kind) = arena_kinds.get(&(addr & !ARENA_MASK)) else {
                fail!("reachable {addr:#x} is in no arena of this heap");
            };
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
        };
        if traversable {
            // SAFETY: obj is an allocated traversable block reachable from the roots, so the
            // VM has initialised it.
            unsafe { M::trace(obj, &mut pending) };
            traversed.push(obj);
        }
    }
    Ok(traversed)
}
