//! Arena geometry and address arithmetic.
//!
//! An arena is `ARENA_SIZE` bytes aligned to its size, so `addr & !ARENA_MASK` finds the
//! arena of any address inside it and `(addr & ARENA_MASK) >> 4` its cell. The first 1/64 of
//! the arena holds two bitmaps with one bit per 16-byte cell: the block bitmap at offset 0
//! and the mark bitmap right after it. The bits that would describe the metadata cells
//! themselves are spare; the first 8 of them (block bitmap word 0) hold the [`ArenaHeader`].
//! Data cells start at [`FIRST_DATA_CELL`], so no data block is ever at cell 0: an address
//! with zero cell offset is a huge block (see `large_object_space`).
//!
//! The size is fixed at build time, 256 KB unless the environment variable
//! `GC_CORE_ARENA_SHIFT` (16..=20) says otherwise when the crate is built; the benchmarks
//! rebuild with other sizes to compare them (papers/ and the README give the figures).

use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};

use super::bitmap::{next_set_bit, BlockState};

/// log2 of the arena size.
pub const ARENA_SHIFT: u32 = parse_arena_shift(option_env!("GC_CORE_ARENA_SHIFT"));
/// Bytes per arena.
pub const ARENA_SIZE: usize = 1 << ARENA_SHIFT;
/// `addr & ARENA_MASK` is the offset of `addr` in its arena.
pub const ARENA_MASK: usize = ARENA_SIZE - 1;
/// log2 of the cell size.
pub const CELL_SHIFT: u32 = 4;
/// Bytes per cell: the allocation granule and block alignment.
pub const CELL_SIZE: usize = 1 << CELL_SHIFT;
/// Cells per arena, metadata included; always fits a 16-bit cell index.
pub const CELLS_PER_ARENA: usize = ARENA_SIZE >> CELL_SHIFT;
/// 64-bit words in one bitmap.
pub const BITMAP_WORDS: usize = CELLS_PER_ARENA / 64;
/// Bytes of one bitmap (1/128 of the arena).
pub const BITMAP_BYTES: usize = BITMAP_WORDS * 8;
/// Bytes of metadata at the start of each arena: both bitmaps, 1/64 of the arena.
pub const METADATA_BYTES: usize = 2 * BITMAP_BYTES;
/// The first cell that can hold data.
pub const FIRST_DATA_CELL: usize = METADATA_BYTES / CELL_SIZE;
/// The first bitmap word that describes data cells; the sweep starts here.
pub const FIRST_DATA_WORD: usize = FIRST_DATA_CELL / 64;
/// Cells available for data in one arena.
pub const DATA_CELLS: usize = CELLS_PER_ARENA - FIRST_DATA_CELL;

const _: () = assert!(CELLS_PER_ARENA <= 1 << 16, "cell indices must fit 16 bits");
const _: () = assert!(FIRST_DATA_WORD >= 1, "the header needs block bitmap word 0");

const fn parse_arena_shift(text: Option<&str>) -> u32 {
    let Some(text) = text else { return 18 };
    let bytes = text.as_bytes();
    let mut value = 0u32;
    let mut i = 0;
    while i < bytes.len() {
        assert!(
            bytes[i].is_ascii_digit(),
            "GC_CORE_ARENA_SHIFT must be a number"
        );
        value = value * 10 + (bytes[i] - b'0') as u32;
        i += 1;
    }
    assert!(
        value >= 16 && value <= 20,
        "GC_CORE_ARENA_SHIFT must be 16..=20 (64 KB..1 MB)"
    );
    value
}

/// Which objects an arena holds. An arena never mixes the two, so marking a leaf block is
/// one bitmap write and no scan.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum ArenaKind {
    /// Traversable objects, each starting with a `GcHeader`.
    Objects = 1,
    /// Leaf blocks: never scanned, no header.
    Leaves = 2,
}

/// The arena header, stored in the spare bits of the block bitmap (word 0).
#[repr(C)]
#[derive(Debug)]
pub struct ArenaHeader {
    /// What the arena holds.
    pub kind: ArenaKind,
    /// The arena's position in its space's arena table (kept up to date when arenas are
    /// released), so per-arena side data can be found without a hash lookup.
    pub index: u32,
}

const _: () = assert!(std::mem::size_of::<ArenaHeader>() <= 8);

/// Handle to one arena: its base address. Copy, compares by address.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct Arena(NonNull<u8>);

// SAFETY: an Arena is an address; the methods that touch its memory are unsafe and state
// who may access it (parallel sweepers each own the arenas they claim).
unsafe impl Send for Arena {}
// SAFETY: as for Send.
unsafe impl Sync for Arena {}

/// The cell index of `addr` inside its arena.
#[inline(always)]
pub fn cell_of(addr: usize) -> usize {
    (addr & ARENA_MASK) >> CELL_SHIFT
}

/// Whether `addr` (a block address) is a huge block: huge mappings are arena-aligned, and no
/// arena block sits at cell offset 0.
#[inline(always)]
pub fn is_huge(addr: usize) -> bool {
    addr & ARENA_MASK == 0
}

/// The pointer to heap address `addr`, for the places where the heap computes an
/// address as an integer (the allocator's cursors, bitmap indices, the large-object
/// table's keys) and must turn it back into a pointer. Every mapping the heap makes
/// exposes its provenance when it is made (`os::map_aligned`), so the pointer gets that
/// provenance. Where a pointer to the same arena or block is at hand, derive from it
/// instead ([`Arena::cell_ptr`]).
#[inline(always)]
pub fn heap_ptr(addr: usize) -> *mut u8 {
    std::ptr::with_exposed_provenance_mut(addr)
}

/// Rounds a byte count up to whole cells.
#[inline(always)]
pub fn cells_for(bytes: usize) -> usize {
    (bytes.max(1) + CELL_SIZE - 1) >> CELL_SHIFT
}

impl Arena {
    /// Takes ownership of a fresh, zeroed, arena-aligned region and writes its header.
    ///
    /// # Safety
    /// `base` must be `ARENA_SIZE` bytes of zeroed, mapped memory aligned to `ARENA_SIZE` that
    /// nothing else uses.
    pub unsafe fn init(base: NonNull<u8>, kind: ArenaKind, index: u32) -> Arena {
        debug_assert_eq!(base.as_ptr() as usize & ARENA_MASK, 0);
        // SAFETY: the header fits the 8 spare bytes of block bitmap word 0, which the caller
        // hands over with the rest of the arena.
        unsafe {
            base.as_ptr()
                .cast::<ArenaHeader>()
                .write(ArenaHeader { kind, index })
        };
        Arena(base)
    }

    /// The arena holding `addr`, which must be an address inside a live arena (not huge).
    #[inline(always)]
    pub fn containing(addr: usize) -> Arena {
        debug_assert!(!is_huge(addr));
        // SAFETY: addr is inside an arena, so its arena base is non-null.
        Arena(unsafe { NonNull::new_unchecked(heap_ptr(addr & !ARENA_MASK)) })
    }

    /// The arena's base address.
    #[inline(always)]
    pub fn base(self) -> usize {
        self.0.as_ptr() as usize
    }

    /// The arena's base pointer (for returning it to the OS).
    pub fn base_ptr(self) -> NonNull<u8> {
        self.0
    }

    /// The address of cell `cell` of this arena.
    #[inline(always)]
    pub fn cell_addr(self, cell: usize) -> usize {
        self.base() + (cell << CELL_SHIFT)
    }

    /// A pointer to cell `cell` of this arena, derived from the arena's base pointer.
    #[inline(always)]
    pub fn cell_ptr(self, cell: usize) -> *mut u8 {
        self.0.as_ptr().wrapping_add(cell << CELL_SHIFT)
    }

    /// The arena header.
    ///
    /// # Safety
    /// The arena must be live (initialised by [`Arena::init`], not yet released).
    #[inline(always)]
    pub unsafe fn header<'a>(self) -> &'a ArenaHeader {
        // SAFETY: a live arena's word 0 holds the header written by `init`.
        unsafe { &*self.0.as_ptr().cast::<ArenaHeader>() }
    }

    /// Rewrites the arena's table index after its space moved it.
    ///
    /// # Safety
    /// The arena must be live, and no reference from [`Arena::header`] may be held.
    pub unsafe fn set_index(self, index: u32) {
        // SAFETY: live arena, no outstanding shared reference to the header (caller).
        unsafe { (*self.0.as_ptr().cast::<ArenaHeader>()).index = index };
    }

    /// Sets the block bit of the cell at `addr`: the whole of allocation's bitmap work.
    ///
    /// # Safety
    /// `addr` is a data cell of a live arena, and the caller has exclusive access to the
    /// arena's block bitmap (the allocating mutator, or a sweeper that owns the arena).
    #[inline(always)]
    pub unsafe fn set_block_bit(addr: usize) {
        let cell = cell_of(addr);
        let word = heap_ptr(addr & !ARENA_MASK)
            .cast::<u64>()
            .wrapping_add(cell >> 6);
        // SAFETY: word lies in the block bitmap of addr's arena, which the caller may write.
        unsafe { *word |= 1 << (cell & 63) };
    }

    /// The mark-bitmap word that holds the bit of the block at `addr`, and that bit: the
    /// marker's one metadata access per reference.
    ///
    /// # Safety
    /// `addr` is a data cell of a live arena, and no exclusive view of its bitmaps exists.
    #[inline(always)]
    pub unsafe fn mark_word<'a>(addr: usize) -> (&'a AtomicU64, u64) {
        let cell = cell_of(addr);
        let word = heap_ptr((addr & !ARENA_MASK) + BITMAP_BYTES).cast::<AtomicU64>();
        // SAFETY: the word lies in the mark bitmap of addr's live arena; shared access only.
        (unsafe { &*word.add(cell >> 6) }, 1 << (cell & 63))
    }

    /// Both bitmaps as atomic words: the view markers share, where mark bits may be set
    /// concurrently with `fetch_or`.
    ///
    /// # Safety
    /// The arena must be live and no exclusive view ([`Arena::bitmaps_mut`]) may exist.
    #[inline(always)]
    pub unsafe fn bitmaps<'a>(self) -> Bitmaps<'a> {
        let block = self.0.as_ptr().cast::<AtomicU64>();
        // SAFETY: both bitmaps lie inside the live arena; AtomicU64 has u64's layout and
        // arenas are 8-byte aligned; shared access only, per the caller.
        unsafe {
            Bitmaps {
                block: std::slice::from_raw_parts(block, BITMAP_WORDS),
                mark: std::slice::from_raw_parts(block.add(BITMAP_WORDS), BITMAP_WORDS),
            }
        }
    }

    /// Both bitmaps as plain words, for the sweep and the allocator's bitmap scans, which own
    /// the arena while they run (plain words let the sweep loop vectorise).
    ///
    /// # Safety
    /// The arena must be live and the caller must have exclusive access to its metadata for
    /// the lifetime `'a`: no marker, allocator or other view may touch it meanwhile.
    #[inline(always)]
    pub unsafe fn bitmaps_mut<'a>(self) -> BitmapsMut<'a> {
        let block = self.0.as_ptr().cast::<u64>();
        // SAFETY: as for `bitmaps`, with exclusivity guaranteed by the caller; the two
        // slices do not overlap.
        unsafe {
            BitmapsMut {
                block: std::slice::from_raw_parts_mut(block, BITMAP_WORDS),
                mark: std::slice::from_raw_parts_mut(block.add(BITMAP_WORDS), BITMAP_WORDS),
            }
        }
    }
}

/// Shared view of an arena's bitmaps (see [`Arena::bitmaps`]). Word 0 of `block` is the
/// arena header, not bits.
pub struct Bitmaps<'a> {
    /// One bit per cell: set on the first cell of each allocated block.
    pub block: &'a [AtomicU64],
    /// One bit per cell: set on the first cell of marked (black) and free blocks.
    pub mark: &'a [AtomicU64],
}

impl Bitmaps<'_> {
    fn bit(words: &[AtomicU64], cell: usize) -> bool {
        words[cell >> 6].load(Ordering::Relaxed) >> (cell & 63) & 1 == 1
    }

    /// Whether the block bit of `cell` is set: an allocated block starts there.
    #[inline]
    pub fn is_allocated(&self, cell: usize) -> bool {
        Self::bit(self.block, cell)
    }

    /// The state the two bits of `cell` encode.
    pub fn state(&self, cell: usize) -> BlockState {
        BlockState::from_bits(Self::bit(self.block, cell), Self::bit(self.mark, cell))
    }

    /// The first cell at or after `from` where a block (allocated or free) starts, or
    /// `CELLS_PER_ARENA`: where a block that starts before `from` ends.
    #[inline]
    pub fn next_start(&self, from: usize) -> usize {
        let starts =
            |w: usize| self.block[w].load(Ordering::Relaxed) | self.mark[w].load(Ordering::Relaxed);
        next_set_bit(starts, from, CELLS_PER_ARENA)
    }
}

/// Exclusive view of an arena's bitmaps (see [`Arena::bitmaps_mut`]). Word 0 of `block` is
/// the arena header, not bits.
pub struct BitmapsMut<'a> {
    /// One bit per cell: set on the first cell of each allocated block.
    pub block: &'a mut [u64],
    /// One bit per cell: set on the first cell of marked (black) and free blocks.
    pub mark: &'a mut [u64],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_follows_the_newgc_layout() {
        assert_eq!(
            METADATA_BYTES * 64,
            ARENA_SIZE,
            "metadata is 1/64 of the arena"
        );
        assert_eq!(BITMAP_BYTES * 128, ARENA_SIZE, "each bitmap is 1/128");
        assert_eq!(FIRST_DATA_CELL * CELL_SIZE, METADATA_BYTES);
        assert_eq!(FIRST_DATA_CELL + DATA_CELLS, CELLS_PER_ARENA);
        assert_eq!(FIRST_DATA_WORD * 64, FIRST_DATA_CELL);
    }

    #[test]
    fn address_arithmetic_round_trips() {
        let base = 7 * ARENA_SIZE + (1 << 40);
        let arena = Arena::containing(base + FIRST_DATA_CELL * CELL_SIZE);
        assert_eq!(arena.base(), base);
        for cell in [
            FIRST_DATA_CELL,
            FIRST_DATA_CELL + 1,
            CELLS_PER_ARENA / 2,
            CELLS_PER_ARENA - 1,
        ] {
            let addr = arena.cell_addr(cell);
            assert_eq!(cell_of(addr), cell);
            assert_eq!(Arena::containing(addr), arena);
            assert_eq!(Arena::containing(addr + CELL_SIZE - 1), arena);
            assert!(!is_huge(addr));
        }
        assert!(is_huge(base), "cell offset 0 is never an arena block");
        assert_eq!(
            Arena::containing(arena.cell_addr(CELLS_PER_ARENA - 1) + CELL_SIZE).base(),
            base + ARENA_SIZE
        );
    }

    #[test]
    fn sizes_round_up_to_cells() {
        assert_eq!(cells_for(0), 1);
        assert_eq!(cells_for(1), 1);
        assert_eq!(cells_for(16), 1);
        assert_eq!(cells_for(17), 2);
        assert_eq!(cells_for(32), 2);
    }
}
