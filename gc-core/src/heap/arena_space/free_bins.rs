//! Segregated-fit bins of free blocks, built lazily from swept arenas.
//!
//! Size classes: one per cell count up to [`SMALL_CELLS`] (exact fit), then one per power
//! of two. Every block in a bin starts with a free start (0, 1) in the bitmap and ends where
//! the next block starts; the bins are dropped at each collection, whose sweep may reuse or
//! coalesce the space. This type holds no bitmap: the space that owns it writes the bits.
//!
//! Each class is a list threaded through its free blocks, newest first, as a malloc's free
//! lists are: a binned block's first cell holds the link (the next block's address, 0 at
//! the end, and its own length in cells), so the bins take no memory of their own however
//! many holes a fragmented heap has. A binned block's first cell is therefore unpoisoned
//! (see `poison`) while it is binned, and poisoned again when it leaves the bins.

use super::super::poison::{poison, unpoison};
use crate::heap::arena::{CELLS_PER_ARENA, CELL_SHIFT, CELL_SIZE};

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

/// What a binned block's first cell holds.
#[repr(C)]
struct Link {
    /// The next block of the class's list, or 0.
    next: usize,
    /// This block's length in cells.
    cells: usize,
}

const _: () = assert!(
    std::mem::size_of::<Link>() <= CELL_SIZE,
    "a link fits in a cell"
);

/// Free blocks by size class: the first block of each class's list, or 0.
///
/// Invariant: every block reachable from `heads` was pushed by [`FreeBins::push`], whose
/// contract keeps its memory free, untouched by anything else and its link intact until
/// it is taken or the bins are cleared.
#[derive(Debug, Default)]
pub struct FreeBins {
    heads: [usize; CLASSES],
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
    /// Adds a free block.
    ///
    /// # Safety
    /// `block` is free memory of a live arena, at least one cell, that nothing reads or
    /// writes until it leaves the bins (taken, or forgotten by [`FreeBins::clear`]).
    pub unsafe fn push(&mut self, block: FreeBlock) {
        debug_assert!(block.cells > 0 && block.addr.is_multiple_of(CELL_SIZE));
        let class = class_of(block.cells);
        unpoison(block.addr, CELL_SIZE);
        let link = Link {
            next: self.heads[class],
            cells: block.cells,
        };
        // SAFETY: the caller gives the block's first cell to the bins (aligned, in a live
        // arena, used by nothing else).
        unsafe { (block.addr as *mut Link).write(link) };
        self.heads[class] = block.addr;
    }

    /// The block at `addr`, binned, and the next of its list.
    fn read(addr: usize) -> (FreeBlock, usize) {
        // SAFETY: `addr` is a binned block (type invariant), whose first cell holds the
        // link `push` wrote.
        let link = unsafe { (addr as *const Link).read() };
        (
            FreeBlock {
                addr,
                cells: link.cells,
            },
            link.next,
        )
    }

    /// Takes the first block of `class`'s list.
    fn pop(&mut self, class: usize) -> Option<FreeBlock> {
        let addr = self.heads[class];
        if addr == 0 {
            return None;
        }
        let (block, next) = Self::read(addr);
        self.heads[class] = next;
        poison(addr, CELL_SIZE);
        Some(block)
    }

    /// A block for a small request: exact fit, else the smallest of the next few small
    /// classes (the caller splits it). `None` sends the request to bump allocation.
    pub fn take_small(&mut self, cells: usize) -> Option<FreeBlock> {
        debug_assert!(cells <= SMALL_CELLS);
        let last = (cells + FIT_SEARCH).min(SMALL_CELLS);
        let class = (cells..=last).find(|&class| self.heads[class] != 0)?;
        self.pop(class)
    }

    /// A block of at least `cells` cells from the ranged classes, to bump-allocate in. The
    /// class holding `cells` itself is searched from its newest entries, a few at most;
    /// any entry of a higher class fits.
    pub fn take_at_least(&mut self, cells: usize) -> Option<FreeBlock> {
        let first = class_of(cells.max(SMALL_CELLS + 1));
        let mut prev = 0;
        let mut addr = self.heads[first];
        for _ in 0..FIT_SEARCH {
            if addr == 0 {
                break;
            }
            let (block, next) = Self::read(addr);
            if block.cells >= cells {
                if prev == 0 {
                    self.heads[first] = next;
                } else {
                    // SAFETY: `prev` is a binned block (type invariant): its link is ours.
                    unsafe { (*(prev as *mut Link)).next = next };
                }
                poison(addr, CELL_SIZE);
                return Some(block);
            }
            (prev, addr) = (addr, next);
        }
        let class = (first + 1..CLASSES).find(|&class| self.heads[class] != 0)?;
        self.pop(class)
    }

    /// A block for a small request from any small class that holds it: past the bounded
    /// search, the last resort before the heap grows (splitting a block of at most
    /// `SMALL_CELLS` cells beats taking a new arena for want of a fit).
    pub fn take_any_small(&mut self, cells: usize) -> Option<FreeBlock> {
        debug_assert!(cells <= SMALL_CELLS);
        let class = (cells..=SMALL_CELLS).find(|&class| self.heads[class] != 0)?;
        self.pop(class)
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

    /// Forgets every block (at the start of a collection, whose sweep poisons the free
    /// runs again, links included).
    pub fn clear(&mut self) {
        self.heads = [0; CLASSES];
    }

    /// Every binned block (for the verifier).
    pub fn blocks(&self) -> impl Iterator<Item = FreeBlock> + '_ {
        self.heads.iter().flat_map(|&head| {
            std::iter::successors((head != 0).then(|| Self::read(head)), |&(_, next)| {
                (next != 0).then(|| Self::read(next))
            })
            .map(|(block, _)| block)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cells the tests' blocks live in (their links are written there).
    fn memory() -> Vec<u128> {
        vec![0; 0x4000 / CELL_SIZE]
    }

    /// The block of `cells` cells at offset `offset` of `memory`.
    fn block_in(memory: &[u128], offset: usize, cells: usize) -> FreeBlock {
        assert!(offset + cells * CELL_SIZE <= memory.len() * CELL_SIZE);
        FreeBlock {
            addr: memory.as_ptr() as usize + offset,
            cells,
        }
    }

    /// Bins `blocks`.
    fn bins_of(blocks: &[FreeBlock]) -> FreeBins {
        let mut bins = FreeBins::default();
        for &b in blocks {
            // SAFETY: the tests' blocks are disjoint cells of a buffer they keep alive.
            unsafe { bins.push(b) };
        }
        bins
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
        let m = memory();
        let block = |offset, cells| block_in(&m, offset, cells);
        let mut bins = bins_of(&[block(0x1000, 3), block(0x2000, 2), block(0x3000, 9)]);
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
        let m = memory();
        let block = |offset, cells| block_in(&m, offset, cells);
        let mut bins = bins_of(&[block(0x1000, 12), block(0x2000, 40)]);
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
        let m = memory();
        let block = |offset, cells| block_in(&m, offset, cells);
        let mut bins = bins_of(&[block(0x1000, 20), block(0x2000, 40), block(0x3000, 4)]);
        assert_eq!(bins.take_at_least(25), Some(block(0x2000, 40)));
        assert_eq!(bins.take_at_least(25), None, "20 cells is too small");
        assert_eq!(
            bins.take_at_least(1),
            Some(block(0x1000, 20)),
            "regions skip small blocks"
        );
        assert_eq!(bins.take_at_least(1), None);
        assert_eq!(bins.blocks().collect::<Vec<_>>(), [block(0x3000, 4)]);
    }

    #[test]
    fn a_fit_inside_a_class_list_is_unlinked_and_the_rest_kept_in_order() {
        let m = memory();
        let block = |offset, cells| block_in(&m, offset, cells);
        // One class (17 to 31 cells), newest first: 18, 30, 20.
        let mut bins = bins_of(&[block(0x0, 20), block(0x1000, 30), block(0x2000, 18)]);
        assert_eq!(bins.take_at_least(25), Some(block(0x1000, 30)));
        assert_eq!(
            bins.blocks().collect::<Vec<_>>(),
            [block(0x2000, 18), block(0x0, 20)]
        );
        assert_eq!(bins.take_at_least(19), Some(block(0x0, 20)), "the last one");
        assert_eq!(bins.blocks().collect::<Vec<_>>(), [block(0x2000, 18)]);
        bins.clear();
        assert_eq!(bins.blocks().count(), 0);
    }

    #[test]
    fn split_keeps_every_cell() {
        let block = |addr, cells| FreeBlock { addr, cells };
        let (front, rest) = block(0x1000, 5).split(2);
        assert_eq!(front, block(0x1000, 2));
        assert_eq!(rest, Some(block(0x1020, 3)));
        assert_eq!(block(0x1000, 5).split(5).1, None);
    }
}
