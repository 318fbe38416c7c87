//! Segregated-fit bins of free blocks, built lazily from swept arenas.
//!
//! Size classes: one per cell count up to [`SMALL_CELLS`] (exact fit), then one per power
//! of two. Every block in a bin starts with a free start (0, 1) in the bitmap and ends where
//! the next block starts; the bins are dropped at each collection, whose sweep may reuse or
//! coalesce the space. This type holds no bitmap: the space that owns it writes the bits.

use crate::footprint::vec_bytes;
use crate::heap::arena::{CELLS_PER_ARENA, CELL_SHIFT};

/// Requests of at most this many cells (256 bytes) are served by exact-fit classes.
pub const SMALL_CELLS: usize = 16;
/// How many larger small classes a small request may search (and split) before it gives up
/// on the bins: the bounded search of NewGC's fit mode.
const FIT_SEARCH: usize = 4;
/// Classes above the small ones: [2^k, 2^(k+1)) cells for k = 4 .. log2(CELLS_PER_ARENA).
const RANGED_CLASSES: usize = CELLS_PER_ARENA.trailing_zeros() as usize - 4;
const CLASSES: usize = SMALL_CELLS + 1 + RANGED_CLASSES;

/// A run of free cells.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct FreeBlock {
    /// Address of its first cell.
    pub addr: usize,
    /// Its length in cells.
    pub cells: usize,
}

impl FreeBlock {
    /// Splits off the first `cells` cells; returns (front, rest).
    pub fn split(self, cells: usize) -> (FreeBlock, Option<FreeBlock>) {
        debug_assert!(cells <= self.cells);
        let front = FreeBlock {
            addr: self.addr,
            cells,
        };
        let rest = (cells < self.cells).then(|| FreeBlock {
            addr: self.addr + (cells << CELL_SHIFT),
            cells: self.cells - cells,
        });
        (front, rest)
    }
}

/// Free blocks by size class.
#[derive(Debug)]
pub struct FreeBins {
    bins: [Vec<FreeBlock>; CLASSES],
}

impl Default for FreeBins {
    fn default() -> Self {
        FreeBins {
            bins: std::array::from_fn(|_| Vec::new()),
        }
    }
}

/// The class of a block of `cells` cells.
fn class_of(cells: usize) -> usize {
    debug_assert!(cells > 0);
    if cells <= SMALL_CELLS {
        cells
    } else {
        SMALL_CELLS + 1 + (cells.ilog2() as usize - 4)
    }
}

impl FreeBins {
    /// Bytes of the bins' own buffers.
    pub fn table_bytes(&self) -> u64 {
        self.bins.iter().map(vec_bytes).sum()
    }

    /// Adds a free block.
    pub fn push(&mut self, block: FreeBlock) {
        self.bins[class_of(block.cells)].push(block);
    }

    /// A block for a small request: exact fit, else the smallest of the next few small
    /// classes (the caller splits it). `None` sends the request to bump allocation.
    pub fn take_small(&mut self, cells: usize) -> Option<FreeBlock> {
        debug_assert!(cells <= SMALL_CELLS);
        let last = (cells + FIT_SEARCH).min(SMALL_CELLS);
        let class = (cells..=last).find(|&class| !self.bins[class].is_empty())?;
        self.bins[class].pop()
    }

    /// A block of at least `cells` cells from the ranged classes, to bump-allocate in. The
    /// class holding `cells` itself is searched from its newest entries, a few at most;
    /// any entry of a higher class fits.
    pub fn take_at_least(&mut self, cells: usize) -> Option<FreeBlock> {
        let first = class_of(cells.max(SMALL_CELLS + 1));
        let own = &mut self.bins[first];
        if let Some(pos) = own
            .iter()
            .rev()
            .take(FIT_SEARCH)
            .position(|b| b.cells >= cells)
        {
            return Some(own.swap_remove(own.len() - 1 - pos));
        }
        let class = (first + 1..CLASSES).find(|&class| !self.bins[class].is_empty())?;
        self.bins[class].pop()
    }

    /// A block for a small request from any small class that holds it: past the bounded
    /// search, the last resort before the heap grows (splitting a block of at most
    /// `SMALL_CELLS` cells beats taking a new arena for want of a fit).
    pub fn take_any_small(&mut self, cells: usize) -> Option<FreeBlock> {
        debug_assert!(cells <= SMALL_CELLS);
        let class = (cells..=SMALL_CELLS).find(|&class| !self.bins[class].is_empty())?;
        self.bins[class].pop()
    }

    /// Any block that holds `cells` cells: the small classes first, then the ranged ones.
    pub fn take_fit(&mut self, cells: usize) -> Option<FreeBlock> {
        let small = if cells <= SMALL_CELLS {
            self.take_any_small(cells)
        } else {
            None
        };
        small.or_else(|| self.take_at_least(cells))
    }

    /// Forgets every block (at the start of a collection).
    pub fn clear(&mut self) {
        self.bins.iter_mut().for_each(Vec::clear);
    }

    /// Every binned block (for the verifier).
    pub fn blocks(&self) -> impl Iterator<Item = &FreeBlock> {
        self.bins.iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(addr: usize, cells: usize) -> FreeBlock {
        FreeBlock { addr, cells }
    }

    #[test]
    fn classes_are_exact_then_powers_of_two() {
        for cells in 1..=SMALL_CELLS {
            assert_eq!(class_of(cells), cells);
        }
        assert_eq!(class_of(17), SMALL_CELLS + 1);
        assert_eq!(class_of(31), SMALL_CELLS + 1);
        assert_eq!(class_of(32), SMALL_CELLS + 2);
        assert_eq!(class_of(CELLS_PER_ARENA - 1), CLASSES - 1);
    }

    #[test]
    fn small_requests_take_exact_fits_first_then_search_a_few_classes() {
        let mut bins = FreeBins::default();
        bins.push(block(0x1000, 3));
        bins.push(block(0x2000, 2));
        bins.push(block(0x3000, 9));
        assert_eq!(bins.take_small(2), Some(block(0x2000, 2)));
        assert_eq!(bins.take_small(2), Some(block(0x1000, 3)), "next class up");
        assert_eq!(
            bins.take_small(2),
            None,
            "9 cells is past the bounded search"
        );
        assert_eq!(bins.take_small(5), Some(block(0x3000, 9)));
        assert_eq!(bins.blocks().count(), 0);
    }

    #[test]
    fn past_the_bounded_search_any_small_block_that_holds_the_request_fits() {
        let mut bins = FreeBins::default();
        bins.push(block(0x1000, 12));
        bins.push(block(0x2000, 40));
        assert_eq!(
            bins.take_small(2),
            None,
            "12 cells is past the bounded search"
        );
        assert_eq!(bins.take_any_small(2), Some(block(0x1000, 12)));
        assert_eq!(bins.take_any_small(2), None, "ranged blocks are not small");
        assert_eq!(
            bins.take_fit(2),
            Some(block(0x2000, 40)),
            "then a ranged one"
        );
        assert_eq!(bins.blocks().count(), 0);
    }

    #[test]
    fn bump_regions_come_from_blocks_that_fit() {
        let mut bins = FreeBins::default();
        bins.push(block(0x1000, 20));
        bins.push(block(0x2000, 40));
        bins.push(block(0x3000, 4));
        assert_eq!(bins.take_at_least(25), Some(block(0x2000, 40)));
        assert_eq!(bins.take_at_least(25), None, "20 cells is too small");
        assert_eq!(
            bins.take_at_least(1),
            Some(block(0x1000, 20)),
            "regions skip small blocks"
        );
        assert_eq!(bins.take_at_least(1), None);
        assert_eq!(bins.blocks().collect::<Vec<_>>(), [&block(0x3000, 4)]);
    }

    #[test]
    fn split_keeps_every_cell() {
        let (front, rest) = block(0x1000, 5).split(2);
        assert_eq!(front, block(0x1000, 2));
        assert_eq!(rest, Some(block(0x1020, 3)));
        assert_eq!(block(0x1000, 5).split(5).1, None);
    }
}
