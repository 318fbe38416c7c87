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
    cell_of, is_huge, Arena, ArenaKind, CELLS_PER_ARENA, CELL_SHIFT, FIRST_DATA_CELL,
    FIRST_DATA_WORD,
};
use crate::heap::bitmap::{next_set_bit, BlockState};
use crate::heap::space::Space;
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

macro_rules! fail {
    ($($arg:tt)*) => { return Err(VerifyError(format!($($arg)*))) };
}

/// Verifies `heap` between collections (no block may be black).
pub fn verify_heap<M: ObjectModel, R: Roots>(
    heap: &Heap,
    roots: &mut R,
) -> Result<(), VerifyError> {
    let mut arena_kinds = HashMap::new();
    for space in heap.spaces() {
        verify_space(space)?;
        arena_kinds.extend(
            space
                .arenas()
                .iter()
                .map(|arena| (arena.base(), space.kind())),
        );
    }
    verify_reachable::<M, R>(heap, &arena_kinds, roots)
}

fn verify_space(space: &Space) -> Result<(), VerifyError> {
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
        let word =
            |bits: &[std::sync::atomic::AtomicU64], w: usize| bits[w].load(Ordering::Relaxed);
        if (1..FIRST_DATA_WORD).any(|w| word(bitmaps.block, w) != 0)
            || (0..FIRST_DATA_WORD).any(|w| word(bitmaps.mark, w) != 0)
        {
            fail!("arena {:#x}: bits set for metadata cells", arena.base());
        }
        let region_here = !region.is_empty() && Arena::containing(region.start) == arena;
        let region_cells = if region_here {
            cell_of(region.start)..cell_of(region.end - 1) + 1
        } else {
            0..0
        };
        let starts = |w: usize| word(bitmaps.block, w) | word(bitmaps.mark, w);
        if next_set_bit(
            starts,
            region_cells.start.max(FIRST_DATA_CELL),
            region_cells.end,
        ) < region_cells.end
        {
            fail!(
                "arena {:#x}: start bit inside the bump region",
                arena.base()
            );
        }
        let mut cell = next_set_bit(starts, FIRST_DATA_CELL, CELLS_PER_ARENA);
        if cell != FIRST_DATA_CELL && region_cells.start != FIRST_DATA_CELL {
            fail!(
                "arena {:#x}: first data cell is an orphan extent",
                arena.base()
            );
        }
        while cell < CELLS_PER_ARENA {
            let mut end = next_set_bit(starts, cell + 1, CELLS_PER_ARENA);
            if region_cells.start > cell && region_cells.start < end {
                end = region_cells.start;
            }
            let bit = |bits, c: usize| word(bits, c >> 6) >> (c & 63) & 1 == 1;
            match BlockState::from_bits(bit(bitmaps.block, cell), bit(bitmaps.mark, cell)) {
                BlockState::Black => fail!(
                    "black block at {:#x} between collections",
                    arena.cell_addr(cell)
                ),
                BlockState::White if space.kind() == ArenaKind::Objects => {
                    // SAFETY: an allocated block of an object arena starts with a header.
                    let cells = unsafe {
                        ObjectRef::from_ptr(arena.cell_addr(cell) as *mut u8)
                            .map(|o| o.header().cells())
                    };
                    if cells != Some((end - cell) as u32) {
                        fail!(
                            "object at {:#x}: header says {cells:?} cells, bitmap {}",
                            arena.cell_addr(cell),
                            end - cell
                        );
                    }
                }
                _ => {}
            }
            cell = next_set_bit(starts, end.max(cell + 1), CELLS_PER_ARENA);
        }
    }
    for block in space.bins().blocks() {
        let arena = Arena::containing(block.addr);
        // SAFETY: binned blocks lie in live arenas of this space.
        let bitmaps = unsafe { arena.bitmaps() };
        let load =
            |bits: &[std::sync::atomic::AtomicU64], w: usize| bits[w].load(Ordering::Relaxed);
        let cell = cell_of(block.addr);
        let state = BlockState::from_bits(
            load(bitmaps.block, cell >> 6) >> (cell & 63) & 1 == 1,
            load(bitmaps.mark, cell >> 6) >> (cell & 63) & 1 == 1,
        );
        let end = next_set_bit(
            |w| load(bitmaps.block, w) | load(bitmaps.mark, w),
            cell + 1,
            CELLS_PER_ARENA,
        );
        if state != BlockState::Free || end - cell != block.cells {
            fail!(
                "binned block {block:?} is {state:?} spanning {} cells",
                end - cell
            );
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
) -> Result<(), VerifyError> {
    let mut pending = Collect(Vec::new());
    roots.trace_roots(&mut pending);
    let mut visited = HashSet::new();
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
            let Some(&kind) = arena_kinds.get(&(addr & !crate::heap::arena::ARENA_MASK)) else {
                fail!("reachable {addr:#x} is in no arena of this heap");
            };
            let cell = cell_of(addr);
            // SAFETY: the arena is one of the heap's live arenas.
            let bitmaps = unsafe { Arena::containing(addr).bitmaps() };
            let block = bitmaps.block[cell >> 6].load(Ordering::Relaxed) >> (cell & 63) & 1 == 1;
            let mark = bitmaps.mark[cell >> 6].load(Ordering::Relaxed) >> (cell & 63) & 1 == 1;
            if addr & ((1 << CELL_SHIFT) - 1) != 0 || cell < FIRST_DATA_CELL || !block {
                fail!(
                    "reachable {addr:#x} is not an allocated block ({:?})",
                    BlockState::from_bits(block, mark)
                );
            }
            kind == ArenaKind::Objects
        };
        if traversable {
            // SAFETY: obj is an allocated traversable block reachable from the roots, so the
            // VM has initialised it.
            unsafe { M::trace(obj, &mut pending) };
        }
    }
    Ok(())
}
