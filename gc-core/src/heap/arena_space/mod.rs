//! The arena space: the arenas of one kind (traversable objects or leaf blocks) and their
//! allocator, the NewGC heap's policy (`bump` and `free_bins` are its allocator's parts).
//!
//! Allocation order: the bump region (inlined fast path); then, for small requests, an
//! exact or near fit from the bins; then a new bump region cut from a binned block; then the
//! free runs of the next swept arena, binned on demand (the bins are built lazily, one arena
//! at a time); only then new memory, which the heap decides on. A request of
//! `MEDIUM_CELLS` or more takes no bump region: it is cut from the block found for it
//! (binned, or a new arena), whose rest stays binned for the next such request, so that
//! small blocks, which may outlive it, are not bumped into the space around it. After a
//! collection the allocator works in fit mode while the bins hold space and returns to
//! bump mode once the holes are used up: fragmentation decides the mode.
//!
//! Invariant between collections: every arena's bitmap encoding is complete except for the
//! bump region's unallocated cells (see `bump`), and every binned block is a free start.
//! Under `gc_poison` (see `poison`) every free cell, binned, swept or in the bump region,
//! is poisoned, and every allocated block is not: the bump region and `alloc_from_block`
//! (`cut_block`) unpoison what they hand out, and each sweep poisons the free runs it leaves.
//!
//! Lazy sweeping (incremental collectors): `begin_sweep` lists every arena as unswept and
//! drops the free-space bookkeeping; arenas are then swept one at a time, by collector
//! steps (`sweep_next`) or by the allocator when it runs out of swept free space (a
//! bounded number per allocation: on a heap of full arenas, sweeping them all to find
//! none with room would be a long stall inside one allocation, which no pause counts). The
//! allocator only ever allocates white in swept arenas and in arenas acquired after
//! `begin_sweep`, and black in the blocks a held sweep began with (see `held_bins`), so
//! a new block can never be freed by a sweep that does not know it.

mod bump;
mod free_bins;

use std::sync::atomic::Ordering;

use super::arena::{
    cell_of, Arena, ArenaKind, BitmapsMut, ARENA_SIZE, BITMAP_WORDS, CELLS_PER_ARENA, CELL_SHIFT,
    CELL_SIZE, DATA_CELLS, FIRST_DATA_CELL, FIRST_DATA_WORD,
};
use super::arena_source::ArenaSource;
use super::bitmap::{self, BlockState, SweepKind, SweepSummary};
use super::poison::{poison, unpoison};
use super::space::{Space, SpaceStats};
use crate::footprint::vec_bytes;
use crate::object_model::{GcHeader, ObjectRef};
use crate::parallel::{claim_indices, WorkerThreads};
use crate::sync::AtomicUsize;
use crate::verify::{fail, VerifyError};
use bump::BumpRegion;
use free_bins::{FreeBins, FreeBlock, SMALL_CELLS};

/// Requests of at least this many cells (a sixteenth of an arena) are cut from the free
/// block found for them, not bump-allocated in it: the rest stays binned for the next
/// large request instead of becoming a bump region that small blocks fragment.
const MEDIUM_CELLS: usize = DATA_CELLS / 16;

/// The arenas of one kind and their allocator.
#[derive(Debug)]
pub struct ArenaSpace {
    kind: ArenaKind,
    bump: BumpRegion,
    arenas: Vec<Arena>,
    /// Swept arenas with free space whose runs are not binned yet this cycle.
    recycled: Vec<Arena>,
    /// Arenas a lazy sweep has still to sweep, and with which sweep.
    unswept: Vec<Arena>,
    unswept_kind: SweepKind,
    /// The largest bump region (cells): unbounded (a whole arena) unless an incremental
    /// collector asks for steps more often.
    max_region_cells: usize,
    /// Whether the lazy sweep must wait (the VM still holds weak references into these
    /// arenas): the allocator then uses `held_bins`, then takes new arenas, rather than
    /// sweeping.
    sweep_held: bool,
    bins: FreeBins,
    /// While the sweep is held: the blocks that were free when it began. A sweep keeps a
    /// free block free, so they stay valid until it runs; blocks cut from them are
    /// allocated black, so that the held sweep keeps them and the VM's pruning sees them
    /// live. Dropped when the hold ends: the sweep then coalesces them with what it frees.
    held_bins: FreeBins,
    /// While the sweep is held: the arenas with free runs not binned yet when it began,
    /// binned in `held_bins` on demand.
    held_recycled: Vec<Arena>,
    /// Bytes allocated outside the current bump region, over the heap's life.
    retired_allocated: u64,
}

impl ArenaSpace {
    /// An empty space of arenas of `kind`.
    pub fn new(kind: ArenaKind) -> Self {
        ArenaSpace {
            kind,
            bump: BumpRegion::default(),
            arenas: Vec::new(),
            recycled: Vec::new(),
            unswept: Vec::new(),
            unswept_kind: SweepKind::Major,
            sweep_held: false,
            max_region_cells: DATA_CELLS,
            bins: FreeBins::default(),
            held_bins: FreeBins::default(),
            held_recycled: Vec::new(),
            retired_allocated: 0,
        }
    }

    /// The fast path: bump-allocate `bytes` (whole cells) in the current region.
    #[inline(always)]
    pub fn alloc_fast(&mut self, bytes: usize) -> Option<usize> {
        self.bump.alloc(bytes)
    }

    /// Allocates `cells` cells from free space the space already has, sweeping at most
    /// `max_sweeps` unswept arenas to find some, or `None`.
    pub fn alloc_reusing(&mut self, cells: usize, max_sweeps: usize) -> Option<usize> {
        let mut swept = 0;
        loop {
            if cells <= SMALL_CELLS {
                if let Some(block) = self.bins.take_small(cells) {
                    return Some(self.alloc_from_block(block, cells));
                }
            }
            if let Some(block) = self.bins.take_at_least(cells) {
                if cells >= MEDIUM_CELLS {
                    return Some(self.alloc_from_block(block, cells));
                }
                self.install_region(block, cells);
                return self.bump.alloc(cells << CELL_SHIFT);
            }
            if let Some(arena) = self.recycled.pop() {
                bin_free_runs(&mut self.bins, arena);
                continue;
            }
            let unswept = if self.sweep_held || swept == max_sweeps {
                None
            } else {
                self.unswept.pop()
            };
            // Sweep on demand: an emptied arena stays for reuse rather than going back.
            let Some(arena) = unswept else {
                return self.alloc_last_resort(cells);
            };
            swept += 1;
            let summary = sweep_one(arena, self.unswept_kind);
            if summary.free {
                bin_free_runs(&mut self.bins, arena);
            }
        }
    }

    /// Allocates `cells` cells in a new arena from `source`, which becomes the bump region
    /// (for fewer than `MEDIUM_CELLS`; otherwise the rest of the arena is binned). The
    /// caller has checked the heap limit. `None` if the OS refuses memory.
    pub fn alloc_in_new_arena(&mut self, source: &mut ArenaSource, cells: usize) -> Option<usize> {
        debug_assert!(cells <= DATA_CELLS);
        let base = source.acquire()?;
        let index = u32::try_from(self.arenas.len()).expect("fewer than 2^32 arenas");
        // SAFETY: the source hands out zeroed, aligned, unused arenas.
        let arena = unsafe { Arena::init(base, self.kind, index) };
        self.arenas.push(arena);
        let whole = FreeBlock {
            addr: arena.cell_addr(FIRST_DATA_CELL),
            cells: DATA_CELLS,
        };
        if cells >= MEDIUM_CELLS {
            return Some(self.alloc_from_block(whole, cells));
        }
        self.install_region(whole, cells);
        self.bump.alloc(cells << CELL_SHIFT)
    }

    /// Takes the front `cells` cells of a free block; the rest goes back to the bins.
    fn alloc_from_block(&mut self, block: FreeBlock, cells: usize) -> usize {
        let (addr, rest) = self.cut_block(block, cells, false);
        if let Some(rest) = rest {
            // SAFETY: the rest of a free block is free memory of this space's arenas.
            unsafe { self.bins.push(rest) };
        }
        addr
    }

    /// Where `alloc_reusing` looks last before the heap grows: a small request splits any
    /// small block that holds it, then the held sweep's free blocks (see `held_bins`).
    fn alloc_last_resort(&mut self, cells: usize) -> Option<usize> {
        if cells <= SMALL_CELLS {
            if let Some(block) = self.bins.take_any_small(cells) {
                return Some(self.alloc_from_block(block, cells));
            }
        }
        if self.sweep_held {
            return self.alloc_held(cells);
        }
        None
    }

    /// Allocates `cells` cells black from `held_bins` (see there), binning the free runs
    /// of `held_recycled` as needed, or `None`.
    fn alloc_held(&mut self, cells: usize) -> Option<usize> {
        let block = loop {
            if let Some(block) = self.held_bins.take_fit(cells) {
                break block;
            }
            bin_free_runs(&mut self.held_bins, self.held_recycled.pop()?);
        };
        let (addr, rest) = self.cut_block(block, cells, true);
        if let Some(rest) = rest {
            // SAFETY: as in `alloc_from_block`.
            unsafe { self.held_bins.push(rest) };
        }
        Some(addr)
    }

    /// Allocates the front `cells` cells of a free block, white or `black`: block bit on,
    /// mark bit as asked, a free start written at the rest, which is returned.
    fn cut_block(
        &mut self,
        block: FreeBlock,
        cells: usize,
        black: bool,
    ) -> (usize, Option<FreeBlock>) {
        let (front, rest) = block.split(cells);
        // SAFETY: binned blocks lie in live arenas of this space, whose metadata the
        // allocator owns between collections.
        let bitmaps = unsafe { Arena::containing(front.addr).bitmaps_mut() };
        let cell = cell_of(front.addr);
        bitmap::set_bit(bitmaps.block, cell, true);
        bitmap::set_bit(bitmaps.mark, cell, black);
        if rest.is_some() {
            bitmap::set_bit(bitmaps.mark, cell + cells, true);
        }
        self.retired_allocated += (cells << CELL_SHIFT) as u64;
        unpoison(front.addr, cells << CELL_SHIFT);
        (front.addr, rest)
    }

    /// Retires the bump region (its leftover goes to the bins) and bump-allocates in the
    /// front `max_region_cells` of `block`, or `at_least` cells if more (the rest goes to
    /// the bins, with its free start): bounded regions bring the allocator to its slow
    /// path, where incremental collectors take their steps, that often.
    fn install_region(&mut self, block: FreeBlock, at_least: usize) {
        self.retire_region();
        let (region, rest) = block.split(block.cells.min(self.max_region_cells.max(at_least)));
        // SAFETY: as in alloc_from_block.
        let bitmaps = unsafe { Arena::containing(block.addr).bitmaps_mut() };
        bitmap::set_bit(bitmaps.mark, cell_of(region.addr), false);
        if let Some(rest) = rest {
            bitmap::set_bit(bitmaps.mark, cell_of(rest.addr), true);
            // SAFETY: as in `alloc_from_block`.
            unsafe { self.bins.push(rest) };
        }
        self.bump.install(region);
    }

    fn retire_region(&mut self) {
        let (allocated, leftover) = self.bump.retire();
        self.retired_allocated += allocated as u64;
        if let Some(leftover) = leftover {
            // SAFETY: a bump region's unallocated end is free memory of this space.
            unsafe { self.bins.push(leftover) };
        }
    }

    /// Completes the bitmap encoding (retires the bump region) and forgets the free-space
    /// bookkeeping, which the coming sweep invalidates.
    pub fn prepare_for_collection(&mut self) {
        self.retire_region();
        self.bins.clear();
        self.recycled.clear();
    }

    /// Starts a lazy sweep of `kind`: every arena becomes unswept, the bump region is
    /// retired and the free-space bookkeeping dropped (the sweep invalidates it), or, if
    /// the sweep is held, kept aside as `held_bins`.
    pub fn begin_sweep(&mut self, kind: SweepKind) {
        self.retire_region();
        if self.sweep_held {
            std::mem::swap(&mut self.bins, &mut self.held_bins);
            std::mem::swap(&mut self.recycled, &mut self.held_recycled);
        }
        self.prepare_for_collection();
        self.unswept.clone_from(&self.arenas);
        self.unswept_kind = kind;
    }

    /// Sweeps the next unswept arena: an empty one goes back to `source`, one with free
    /// space is queued for binning. Returns false when no arena was left to sweep.
    pub fn sweep_next(&mut self, source: &mut ArenaSource) -> bool {
        if self.sweep_held {
            return false;
        }
        let Some(arena) = self.unswept.pop() else {
            return false;
        };
        let summary = sweep_one(arena, self.unswept_kind);
        if !summary.allocated {
            self.remove_arena(arena);
            // SAFETY: the arena holds no allocated block, so nothing refers into it, and
            // it is in no list of the allocator anymore.
            unsafe { source.release(arena.base_ptr()) };
        } else if summary.free {
            self.recycled.push(arena);
        }
        true
    }

    /// Bounds the bump regions installed from now on to `bytes` (see `install_region`).
    pub fn set_max_region(&mut self, bytes: usize) {
        self.max_region_cells = (bytes >> CELL_SHIFT).clamp(1, DATA_CELLS);
    }

    /// Holds or releases the lazy sweep (see `sweep_held`). A hold must begin before
    /// [`ArenaSpace::begin_sweep`] to give the allocator the free blocks it had.
    pub fn hold_sweep(&mut self, held: bool) {
        self.sweep_held = held;
        if !held {
            self.held_bins.clear();
            self.held_recycled.clear();
        }
    }

    /// Arenas the lazy sweep has not swept yet.
    pub fn unswept_count(&self) -> usize {
        self.unswept.len()
    }

    /// Removes `arena` from the table, keeping every arena's header index its position.
    fn remove_arena(&mut self, arena: Arena) {
        // SAFETY: the arena is live; headers are only read and written by the space.
        let index = unsafe { arena.header() }.index as usize;
        debug_assert_eq!(self.arenas[index], arena);
        self.arenas.swap_remove(index);
        if let Some(&moved) = self.arenas.get(index) {
            // SAFETY: as above.
            unsafe { moved.set_index(index as u32) };
        }
    }

    /// Unmarks every block (black becomes white): ends generational mode's sticky marks.
    /// The bump region is retired first so the encoding is complete.
    pub fn unmark_all(&mut self) {
        self.retire_region();
        for &arena in &self.arenas {
            // SAFETY: the mutator is stopped and no marker runs: the space owns the
            // metadata.
            let bitmaps = unsafe { arena.bitmaps_mut() };
            bitmap::unmark(
                &bitmaps.block[FIRST_DATA_WORD..],
                &mut bitmaps.mark[FIRST_DATA_WORD..],
            );
        }
    }

    /// The major sweep of every arena, on `workers` (or the caller's thread) claiming
    /// arenas one at a time. Empty arenas then go back to `source`; arenas with free space are queued for
    /// lazy binning. Returns the number of arenas released.
    pub fn sweep_major(
        &mut self,
        source: &mut ArenaSource,
        workers: Option<&WorkerThreads>,
    ) -> usize {
        self.sweep_all(source, workers, SweepKind::Major)
    }

    /// [`ArenaSpace::sweep_major`] with either sweep.
    pub fn sweep_all(
        &mut self,
        source: &mut ArenaSource,
        workers: Option<&WorkerThreads>,
        kind: SweepKind,
    ) -> usize {
        self.unswept.clear();
        let summaries = sweep_arenas(&self.arenas, workers, kind);
        let mut released = 0;
        let mut kept = Vec::with_capacity(self.arenas.len());
        for (arena, summary) in self.arenas.drain(..).zip(summaries) {
            if !summary.allocated {
                // SAFETY: the arena holds no allocated block, so nothing refers into it.
                unsafe { source.release(arena.base_ptr()) };
                released += 1;
                continue;
            }
            // SAFETY: the arena is live and no header reference is held.
            unsafe { arena.set_index(kept.len() as u32) };
            if summary.free {
                self.recycled.push(arena);
            }
            kept.push(arena);
        }
        self.arenas = kept;
        released
    }

    /// Gives every arena back to `source` (when the heap is dropped).
    pub fn release_all(&mut self, source: &mut ArenaSource) {
        self.bump = BumpRegion::default();
        self.bins.clear();
        self.held_bins.clear();
        self.held_recycled.clear();
        self.recycled.clear();
        self.unswept.clear();
        for arena in self.arenas.drain(..) {
            // SAFETY: the heap is being dropped: no object is used anymore.
            unsafe { source.release(arena.base_ptr()) };
        }
    }

    /// Bytes of the space's own tables (arena lists and free bins).
    pub fn table_bytes(&self) -> u64 {
        vec_bytes(&self.arenas)
            + vec_bytes(&self.recycled)
            + vec_bytes(&self.unswept)
            + vec_bytes(&self.held_recycled)
    }

    /// The kind of arenas in this space.
    pub fn kind(&self) -> ArenaKind {
        self.kind
    }

    /// Every arena of the space.
    pub fn arenas(&self) -> &[Arena] {
        &self.arenas
    }

    /// The current bump region's unallocated cells `[start, end)`: a block that spans its
    /// start ends there, since the bitmap marks no start inside the region.
    pub fn unallocated_region(&self) -> std::ops::Range<usize> {
        self.bump.unallocated()
    }

    /// The address of a marked (black) block, if any: between collections of a plan
    /// that clears its marks, there is none.
    pub fn first_black(&self) -> Option<usize> {
        self.arenas.iter().find_map(|&arena| {
            // SAFETY: the space's arenas are live; no exclusive view exists while the
            // space is only read.
            let bitmaps = unsafe { arena.bitmaps() };
            (FIRST_DATA_WORD..BITMAP_WORDS).find_map(|w| {
                let black = bitmaps.block[w].load(Ordering::Relaxed)
                    & bitmaps.mark[w].load(Ordering::Relaxed);
                (black != 0).then(|| arena.cell_addr(w * 64 + black.trailing_zeros() as usize))
            })
        })
    }

    /// Checks one arena: its header, spare metadata bits, the bump region's cells, and
    /// that each object's header spans its extent in the bitmap.
    fn verify_arena(&self, index: usize, arena: Arena) -> Result<(), VerifyError> {
        // SAFETY: the space's arenas are live; verification runs with the mutator stopped.
        let (header, bitmaps) = unsafe { (arena.header(), arena.bitmaps()) };
        if header.kind != self.kind || header.index as usize != index {
            fail!(
                "arena {:#x}: header {header:?}, expected {:?} at {index}",
                arena.base(),
                self.kind
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
        let region = self.bump.unallocated();
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
        if bitmaps.state(FIRST_DATA_CELL) == BlockState::Extent
            && region_start != Some(FIRST_DATA_CELL)
        {
            fail!(
                "arena {:#x}: first data cell is an orphan extent",
                arena.base()
            );
        }
        if self.kind == ArenaKind::Leaves {
            return Ok(());
        }
        let block_end = |cell: usize| {
            let next = bitmaps.next_start(cell + 1);
            region_start
                .filter(|&start| start > cell && start < next)
                .unwrap_or(next)
        };
        // A block bit always starts a block: the allocated blocks are the block bitmap's
        // set bits, word by word.
        for w in FIRST_DATA_WORD..BITMAP_WORDS {
            let mut starts = bitmaps.block[w].load(Ordering::Relaxed);
            while starts != 0 {
                let cell = w * 64 + starts.trailing_zeros() as usize;
                starts &= starts - 1;
                let end = block_end(cell);
                // SAFETY: an allocated block of an object arena starts with a header.
                let cells = unsafe { &*arena.cell_ptr(cell).cast::<GcHeader>() }.cells();
                if cells as usize != end - cell {
                    fail!(
                        "object at {:#x}: header says {cells} cells, bitmap {}",
                        arena.cell_addr(cell),
                        end - cell
                    );
                }
            }
        }
        Ok(())
    }
}

impl Space for ArenaSpace {
    fn contains(&self, obj: ObjectRef) -> bool {
        let addr = obj.addr();
        if super::arena::is_huge(addr) || !addr.is_multiple_of(CELL_SIZE) {
            return false;
        }
        let arena = Arena::containing(addr);
        let cell = cell_of(addr);
        // SAFETY: evaluated only for one of this space's live arenas.
        self.arenas.contains(&arena)
            && cell >= FIRST_DATA_CELL
            && unsafe { arena.bitmaps() }.is_allocated(cell)
    }

    /// Checks every arena (see `verify_arena`), and that every binned free block is a
    /// free start spanning exactly to the next start.
    fn verify(&self) -> Result<(), VerifyError> {
        for (index, &arena) in self.arenas.iter().enumerate() {
            self.verify_arena(index, arena)?;
        }
        for block in self.bins.blocks().chain(self.held_bins.blocks()) {
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

    #[inline]
    fn stats(&self) -> SpaceStats {
        SpaceStats {
            allocated_bytes: self.retired_allocated + self.bump.allocated_bytes() as u64,
            held_bytes: (self.arenas.len() * ARENA_SIZE) as u64,
            pieces: self.arenas.len(),
        }
    }
}

/// Sweeps `arenas` on `workers` (or the caller's thread); returns each arena's summary,
/// in order. Each arena is claimed by exactly one thread, which alone touches its
/// metadata; per-thread results are merged after the threads end, without locks.
fn sweep_arenas(
    arenas: &[Arena],
    workers: Option<&WorkerThreads>,
    kind: SweepKind,
) -> Vec<SweepSummary> {
    // No marker or allocator runs during the sweep, and `index` is claimed by one thread
    // alone, so it has exclusive access to the arena's metadata.
    let sweep = |index: usize| sweep_one(arenas[index], kind);
    let Some(workers) = workers else {
        return (0..arenas.len()).map(sweep).collect();
    };
    let cursor = AtomicUsize::new(0);
    let mut summaries = vec![SweepSummary::default(); arenas.len()];
    for results in workers.run(vec![(); workers.count()], |_, ()| {
        claim_indices(arenas.len(), &cursor, sweep)
    }) {
        for (index, summary) in results {
            summaries[index] = summary;
        }
    }
    summaries
}

/// Sweeps one arena with `kind`. The caller has exclusive access to its metadata: no
/// marker runs, and the allocator neither allocates in it nor scans it meanwhile.
fn sweep_one(arena: Arena, kind: SweepKind) -> SweepSummary {
    // SAFETY: exclusive access, per the caller.
    let bitmaps = unsafe { arena.bitmaps_mut() };
    let summary = bitmap::sweep(
        &mut bitmaps.block[FIRST_DATA_WORD..],
        &mut bitmaps.mark[FIRST_DATA_WORD..],
        kind,
    );
    if cfg!(gc_poison) && summary.free {
        poison_free_runs(arena, &bitmaps);
    }
    summary
}

/// Bins the free runs of `arena` in `bins`, coalescing adjacent free blocks into one (a
/// run goes from a free start to the next allocated block). The arena's metadata belongs
/// to the allocator.
fn bin_free_runs(bins: &mut FreeBins, arena: Arena) {
    // SAFETY: the arena is live and its metadata belongs to the allocator (the caller's
    // promise).
    let bitmaps = unsafe { arena.bitmaps_mut() };
    let mut cell = FIRST_DATA_CELL;
    while let Some((start, end)) = next_free_run(&bitmaps, cell) {
        bitmap::clear_bits(bitmaps.mark, start + 1, end);
        // SAFETY: a free run of a swept arena is free memory the allocator owns.
        unsafe {
            bins.push(FreeBlock {
                addr: arena.cell_addr(start),
                cells: end - start,
            })
        };
        cell = end;
    }
}

/// Poisons every free block of a swept arena (those it freed among them).
fn poison_free_runs(arena: Arena, bitmaps: &BitmapsMut) {
    let mut cell = FIRST_DATA_CELL;
    while let Some((start, end)) = next_free_run(bitmaps, cell) {
        poison(arena.cell_addr(start), (end - start) << CELL_SHIFT);
        cell = end;
    }
}

/// The first run of free cells at or after cell `from`, as `(start, end)` cells: from a
/// free start to the next allocated block or the arena's end (adjacent free blocks, not
/// coalesced yet, are one run).
fn next_free_run(bitmaps: &BitmapsMut, from: usize) -> Option<(usize, usize)> {
    let start = bitmap::next_set_bit(
        |w| bitmaps.mark[w] & !bitmaps.block[w],
        from,
        CELLS_PER_ARENA,
    );
    (start < CELLS_PER_ARENA).then(|| {
        (
            start,
            bitmap::next_set_bit(|w| bitmaps.block[w], start + 1, CELLS_PER_ARENA),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::arena::{cell_of, CELL_SIZE};
    use crate::heap::bitmap::BlockState;

    fn state(addr: usize) -> BlockState {
        // SAFETY: test arenas are live and only this thread touches them.
        let bitmaps = unsafe { Arena::containing(addr).bitmaps_mut() };
        let cell = cell_of(addr);
        BlockState::from_bits(
            bitmap::bit(bitmaps.block, cell),
            bitmap::bit(bitmaps.mark, cell),
        )
    }

    /// Ten 2-cell blocks; 0, 3, 4 and 9 survive a collection. The allocator then bins the
    /// holes lazily (coalescing 1+2 and 5..=8), fits small requests exactly or by splitting,
    /// and bump-allocates in the arena's tail.
    #[test]
    fn bins_are_built_from_swept_holes_and_fit_small_requests() {
        let mut source = ArenaSource::default();
        let mut space = ArenaSpace::new(ArenaKind::Leaves);
        let first = space.alloc_in_new_arena(&mut source, 2).unwrap();
        let blocks: Vec<usize> = std::iter::once(first)
            .chain((1..10).map(|_| space.alloc_fast(2 * CELL_SIZE).unwrap()))
            .collect();
        assert!(
            blocks
                .windows(2)
                .all(|pair| pair[1] == pair[0] + 2 * CELL_SIZE),
            "bump order"
        );
        assert!(blocks.iter().all(|&b| state(b) == BlockState::White));

        space.prepare_for_collection();
        assert_eq!(
            state(blocks[9] + 2 * CELL_SIZE),
            BlockState::Free,
            "retiring writes a free start"
        );
        for survivor in [0, 3, 4, 9] {
            // SAFETY: as in `state`.
            let bitmaps = unsafe { Arena::containing(blocks[survivor]).bitmaps_mut() };
            bitmap::set_bit(bitmaps.mark, cell_of(blocks[survivor]), true);
        }
        assert_eq!(space.sweep_major(&mut source, None), 0);
        assert_eq!(state(blocks[0]), BlockState::White);
        assert_eq!(state(blocks[1]), BlockState::Free);

        // Holes: blocks 1-2 (4 cells), 5-8 (8 cells), the tail after 9.
        assert_eq!(
            space.alloc_reusing(2, usize::MAX),
            Some(blocks[1]),
            "split of the 4-cell hole"
        );
        assert_eq!(
            space.bins.blocks().map(|b| b.cells).sum::<usize>(),
            2 + 8 + (DATA_CELLS - 20),
            "runs binned, coalesced"
        );
        assert_eq!(
            state(blocks[2]),
            BlockState::Free,
            "split remainder has its free start"
        );
        assert_eq!(
            space.alloc_reusing(2, usize::MAX),
            Some(blocks[2]),
            "exact fit of the remainder"
        );
        assert_eq!(
            space.alloc_reusing(3, usize::MAX),
            Some(blocks[9] + 2 * CELL_SIZE),
            "8 cells is past the bounded search: bump in the tail"
        );
        assert_eq!(
            space.alloc_fast(CELL_SIZE),
            Some(blocks[9] + 5 * CELL_SIZE),
            "bump continues"
        );
        assert_eq!(
            space.alloc_reusing(8, usize::MAX),
            Some(blocks[5]),
            "exact fit of the 8-cell hole"
        );
        assert!([1, 2, 5]
            .iter()
            .all(|&b| state(blocks[b]) == BlockState::White));
        assert_eq!(
            state(blocks[6]),
            BlockState::Extent,
            "the 8-cell hole's inner starts were coalesced away"
        );
        space.release_all(&mut source);
    }

    /// A request of `MEDIUM_CELLS` is cut from a new arena, whose rest stays binned: the
    /// next such request fits there, and small blocks keep to their bump region rather
    /// than scatter over the space a large block leaves when it dies.
    #[test]
    fn large_requests_leave_the_bump_region_to_small_blocks() {
        let mut source = ArenaSource::default();
        let mut space = ArenaSpace::new(ArenaKind::Leaves);
        let small = space.alloc_in_new_arena(&mut source, 1).unwrap();
        while space.alloc_fast(MEDIUM_CELLS << CELL_SHIFT).is_some() {}
        assert_eq!(space.alloc_reusing(MEDIUM_CELLS, usize::MAX), None);
        let large = space.alloc_in_new_arena(&mut source, MEDIUM_CELLS).unwrap();
        assert_ne!(
            Arena::containing(large).base(),
            Arena::containing(small).base()
        );
        let next = space.alloc_fast(CELL_SIZE).unwrap();
        assert_eq!(
            Arena::containing(next).base(),
            Arena::containing(small).base(),
            "small blocks stay in their region"
        );
        assert_eq!(
            space.alloc_reusing(MEDIUM_CELLS, usize::MAX),
            Some(large + (MEDIUM_CELLS << CELL_SHIFT)),
            "the next large block fits in the rest of the new arena"
        );
        assert_eq!(space.arenas().len(), 2);
        space.release_all(&mut source);
    }

    /// Before the heap grows, a small request splits a small hole past the bounded fit
    /// search rather than fail.
    #[test]
    fn a_small_request_splits_any_small_hole_before_the_heap_grows() {
        let mut source = ArenaSource::default();
        let mut space = ArenaSpace::new(ArenaKind::Leaves);
        let hole = space.alloc_in_new_arena(&mut source, 12).unwrap();
        let rest = space.alloc_fast(CELL_SIZE).unwrap();
        while space.alloc_fast(CELL_SIZE).is_some() {}
        space.prepare_for_collection();
        for &arena in space.arenas() {
            // SAFETY: no other view of the bitmaps exists while the test runs.
            let bitmaps = unsafe { arena.bitmaps_mut() };
            bitmaps.mark.copy_from_slice(bitmaps.block);
            bitmap::set_bit(bitmaps.mark, cell_of(hole), false);
        }
        space.sweep_major(&mut source, None);
        assert_eq!(state(hole), BlockState::Free, "the only hole: 12 cells");
        assert_eq!(state(rest), BlockState::White);
        assert_eq!(space.alloc_reusing(2, usize::MAX), Some(hole));
        assert_eq!(
            space.alloc_reusing(10, usize::MAX),
            Some(hole + 2 * CELL_SIZE)
        );
        assert_eq!(
            space.alloc_reusing(1, usize::MAX),
            None,
            "full: the heap grows"
        );
        space.release_all(&mut source);
    }

    /// While the lazy sweep is held, the allocator reuses the blocks that were free when
    /// it began, allocating black, and the held sweep keeps what it allocated there.
    #[test]
    fn a_held_sweep_allocates_black_in_the_free_blocks_it_began_with() {
        let mut source = ArenaSource::default();
        let mut space = ArenaSpace::new(ArenaKind::Leaves);
        let first = space.alloc_in_new_arena(&mut source, 2).unwrap();
        let blocks: Vec<usize> = std::iter::once(first)
            .chain((1..4).map(|_| space.alloc_fast(2 * CELL_SIZE).unwrap()))
            .collect();
        space.prepare_for_collection();
        for survivor in [0, 2] {
            // SAFETY: as in `state`.
            let bitmaps = unsafe { Arena::containing(blocks[survivor]).bitmaps_mut() };
            bitmap::set_bit(bitmaps.mark, cell_of(blocks[survivor]), true);
        }
        space.sweep_major(&mut source, None);
        assert_eq!(state(blocks[1]), BlockState::Free);

        // A cycle's marking ends with block 0 live, block 2 dead; the sweep is held.
        // SAFETY: as in `state`.
        let bitmaps = unsafe { Arena::containing(blocks[0]).bitmaps_mut() };
        bitmap::set_bit(bitmaps.mark, cell_of(blocks[0]), true);
        space.hold_sweep(true);
        space.begin_sweep(SweepKind::Major);
        assert_eq!(
            space.alloc_reusing(2, usize::MAX),
            Some(blocks[1]),
            "the hole left before the cycle"
        );
        assert_eq!(state(blocks[1]), BlockState::Black);
        assert_eq!(state(blocks[2]), BlockState::White, "dead, not swept yet");
        assert!(space.verify().is_ok());

        space.hold_sweep(false);
        while space.sweep_next(&mut source) {}
        assert_eq!(state(blocks[0]), BlockState::White, "marked: kept");
        assert_eq!(
            state(blocks[1]),
            BlockState::White,
            "allocated while held: kept"
        );
        assert_eq!(state(blocks[2]), BlockState::Free, "dead: freed");
        assert!(space.verify().is_ok());
        space.release_all(&mut source);
    }

    /// On a heap of full arenas the allocator sweeps a bounded number looking for room,
    /// then gives up (the caller takes a new arena); unbounded, it sweeps them all.
    #[test]
    fn the_allocator_sweeps_a_bounded_number_of_arenas() {
        let mut source = ArenaSource::default();
        let mut space = ArenaSpace::new(ArenaKind::Leaves);
        for _ in 0..40 {
            space.alloc_in_new_arena(&mut source, 2).unwrap();
            while space.alloc_fast(2 * CELL_SIZE).is_some() {}
        }
        space.prepare_for_collection();
        for &arena in space.arenas() {
            // SAFETY: no other view of the bitmaps exists while the test runs.
            let bitmaps = unsafe { arena.bitmaps_mut() };
            // Every block survives: the arenas stay full.
            bitmaps.mark.copy_from_slice(bitmaps.block);
        }
        space.begin_sweep(SweepKind::Major);
        assert_eq!(space.unswept_count(), 40);
        assert_eq!(space.alloc_reusing(2, 16), None);
        assert_eq!(space.unswept_count(), 24, "16 swept");
        assert_eq!(space.alloc_reusing(2, usize::MAX), None);
        assert_eq!(space.unswept_count(), 0);
        space.release_all(&mut source);
    }
}
