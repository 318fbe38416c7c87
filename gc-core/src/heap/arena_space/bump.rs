//! The bump allocator: a region of free cells handed out front to back.
//!
//! Invariant: no cell in `[cursor, limit)` carries a start bit (block or mark), so the
//! region reads as one extent until it is retired; `retire` then writes a free start at the
//! cursor, which makes the bitmap encoding complete again. A region never crosses an arena.
//! The fast path is a compare, an add and one block-bit write, small enough to inline.

use super::free_bins::FreeBlock;
use crate::heap::arena::{cell_of, Arena, CELL_SHIFT};
use crate::heap::bitmap;
use crate::heap::poison::unpoison;

/// The current bump region of a space.
#[derive(Debug, Default)]
pub struct BumpRegion {
    start: usize,
    cursor: usize,
    limit: usize,
}

impl BumpRegion {
    /// Allocates `bytes` (a multiple of the cell size) if the region has room, setting the
    /// block's block bit. The new block is white.
    #[inline(always)]
    pub fn alloc(&mut self, bytes: usize) -> Option<usize> {
        let cursor = self.cursor;
        if self.limit - cursor < bytes {
            return None;
        }
        self.cursor = cursor + bytes;
        // SAFETY: [cursor, limit) is a region of free data cells of a live arena owned by
        // this space's allocator, which is the only writer of its block bitmap.
        unsafe { Arena::set_block_bit(cursor) };
        unpoison(cursor, bytes);
        Some(cursor)
    }

    /// Starts bump allocation in `block`, whose start bits the caller has cleared.
    pub fn install(&mut self, block: FreeBlock) {
        debug_assert_eq!(self.cursor, self.limit, "retire the old region first");
        self.start = block.addr;
        self.cursor = block.addr;
        self.limit = block.addr + (block.cells << CELL_SHIFT);
    }

    /// Ends the region: writes a free start at the cursor if cells are left and returns
    /// them as a free block, with the bytes allocated from the region.
    pub fn retire(&mut self) -> (usize, Option<FreeBlock>) {
        let allocated = self.cursor - self.start;
        let leftover = (self.cursor < self.limit).then(|| {
            // SAFETY: the cursor is a data cell of the live arena this region belongs to,
            // and the allocator owns that arena's metadata.
            let bitmaps = unsafe { Arena::containing(self.cursor).bitmaps_mut() };
            bitmap::set_bit(bitmaps.mark, cell_of(self.cursor), true);
            FreeBlock {
                addr: self.cursor,
                cells: (self.limit - self.cursor) >> CELL_SHIFT,
            }
        });
        *self = BumpRegion::default();
        (allocated, leftover)
    }

    /// Bytes allocated from the current region so far.
    pub fn allocated_bytes(&self) -> usize {
        self.cursor - self.start
    }

    /// The unallocated part `[cursor, limit)`, which carries no start bits (for the verifier).
    pub fn unallocated(&self) -> std::ops::Range<usize> {
        self.cursor..self.limit
    }
}
