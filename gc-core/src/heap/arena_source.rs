//! Where arenas come from and go back to: the OS, in aligned mappings.
//!
//! Arenas are mapped several at a time (a 4 MB mapping, the size huge pages would want) and
//! handed out one by one. An arena given back waits in the dirty pool, resident, for reuse
//! in the next cycle: handing it to the OS and faulting it back in would cost a page fault
//! per 4 KB. After each collection the collector says how much to keep ([`ArenaSource::trim`]);
//! the rest is discarded (pages back to the OS, address range kept, up to one mapping's
//! worth) or unmapped.
//!
//! An arena is handed out to become a bump region, filled front to back (what a bounded
//! region leaves goes to the free bins, which later allocations take). Once the heap holds
//! a mapping's worth of arenas, one taken from the clean pool (not resident) is populated
//! whole in one system call (`os::populate`) rather than faulted in a page at a time as
//! it fills: a fault per 4 KB costs several times the zeroing of the page.
//!
//! Invariant: every arena handed out has zeroed metadata (the dirty pool zeroes it on the
//! way out; fresh and discarded arenas read as zeros).

use std::ptr::NonNull;

use super::arena::{ARENA_SIZE, METADATA_BYTES};
use super::os;
use super::poison::poison;
use crate::footprint::vec_bytes;

/// Bytes mapped at a time.
const MAPPING_BYTES: usize = 4 << 20;
/// Arenas per mapping: 4 (1 MB arenas) to 64 (64 KB arenas).
const ARENAS_PER_MAPPING: usize = MAPPING_BYTES / ARENA_SIZE;

/// Arenas in use from which a clean arena handed out is populated (see the module
/// docs): a small heap's few arenas may never fill, and populating them whole would
/// raise a small program's RSS by their untouched ends.
const POPULATE_FROM_ARENAS: usize = ARENAS_PER_MAPPING;

/// Hands out arena-sized, arena-aligned regions with zeroed metadata, and takes them back.
#[derive(Default)]
pub struct ArenaSource {
    /// Arenas whose memory is zero: never used, or discarded.
    clean: Vec<NonNull<u8>>,
    /// Arenas given back since the last trim, still resident.
    dirty: Vec<NonNull<u8>>,
    /// Arenas handed out and not yet given back.
    in_use: usize,
    /// Arenas whose memory `trim` has given back to the OS, in all.
    returned: u64,
}

impl ArenaSource {
    /// An arena with zeroed metadata and poisoned data cells (see `poison`: every data
    /// cell is free), or `None` if the OS refuses memory.
    pub fn acquire(&mut self) -> Option<NonNull<u8>> {
        let arena = self.take()?;
        poison_data_cells(arena);
        Some(arena)
    }

    fn take(&mut self) -> Option<NonNull<u8>> {
        if let Some(arena) = self.dirty.pop() {
            // SAFETY: a dirty arena is mapped and unused; its metadata is its first bytes.
            unsafe { std::ptr::write_bytes(arena.as_ptr(), 0, METADATA_BYTES) };
            self.in_use += 1;
            return Some(arena);
        }
        if self.clean.is_empty() {
            let mapping = os::map_aligned(ARENAS_PER_MAPPING * ARENA_SIZE, ARENA_SIZE)?;
            // Hand out the lowest arena first: later ones stay untouched until needed.
            for i in (0..ARENAS_PER_MAPPING).rev() {
                let arena = mapping.as_ptr().wrapping_add(i * ARENA_SIZE);
                self.clean.extend(NonNull::new(arena));
            }
        }
        let arena = self.clean.pop()?;
        if self.in_use >= POPULATE_FROM_ARENAS {
            // SAFETY: a clean arena is a whole-arena part of one of our mappings.
            unsafe { os::populate(arena, ARENA_SIZE) };
        }
        self.in_use += 1;
        Some(arena)
    }

    /// Takes an arena back into the dirty pool.
    ///
    /// # Safety
    /// `arena` came from [`ArenaSource::acquire`] on this source and nothing uses it anymore.
    pub unsafe fn release(&mut self, arena: NonNull<u8>) {
        poison_data_cells(arena);
        self.in_use -= 1;
        self.dirty.push(arena);
    }

    /// Keeps at most `keep_bytes` of given-back arenas resident; the others' memory goes
    /// back to the OS now.
    pub fn trim(&mut self, keep_bytes: usize) {
        self.trim_some(keep_bytes, usize::MAX);
    }

    /// [`ArenaSource::trim`], giving back `max_arenas` at most (each is a system call that
    /// frees 256 KB of pages, tens of microseconds). Returns whether the pool is down to
    /// `keep_bytes`.
    pub fn trim_some(&mut self, keep_bytes: usize, max_arenas: usize) -> bool {
        let keep = keep_bytes / ARENA_SIZE;
        let mut given_back = 0;
        while self.dirty.len() > keep {
            if given_back == max_arenas {
                return false;
            }
            given_back += 1;
            let arena = self.dirty.pop().expect("len > keep >= 0");
            self.returned += 1;
            if self.clean.len() < ARENAS_PER_MAPPING {
                // SAFETY: pooled arenas are unused; discarding keeps the range mapped and
                // makes it read as zeros, as `acquire` promises of clean arenas.
                unsafe { os::discard(arena, ARENA_SIZE) };
                self.clean.push(arena);
            } else {
                // SAFETY: pooled arenas are unused whole-page parts of our mappings.
                unsafe { os::unmap(arena, ARENA_SIZE) };
            }
        }
        true
    }

    /// Arenas whose memory went back to the OS so far: each costs page faults (a zeroed
    /// page each) if the heap grows into it again.
    pub fn arenas_returned(&self) -> u64 {
        self.returned
    }

    /// Arenas handed out and not given back.
    pub fn arenas_in_use(&self) -> usize {
        self.in_use
    }

    /// Bytes of emptied arenas held resident for reuse (the dirty pool).
    pub fn held_empty_bytes(&self) -> usize {
        self.dirty.len() * ARENA_SIZE
    }

    /// Bytes of the source's own tables.
    pub fn table_bytes(&self) -> u64 {
        vec_bytes(&self.clean) + vec_bytes(&self.dirty)
    }

    /// Bytes of address space this source holds mapped (in use and pooled).
    pub fn mapped_bytes(&self) -> usize {
        (self.in_use + self.clean.len() + self.dirty.len()) * ARENA_SIZE
    }
}

/// Poisons the data cells of `arena` (free, or no longer used), not its metadata.
fn poison_data_cells(arena: NonNull<u8>) {
    poison(
        arena.as_ptr().addr() + METADATA_BYTES,
        ARENA_SIZE - METADATA_BYTES,
    );
}

impl Drop for ArenaSource {
    fn drop(&mut self) {
        for arena in self.clean.drain(..).chain(self.dirty.drain(..)) {
            // SAFETY: pooled arenas are mapped by this source and unused.
            unsafe { os::unmap(arena, ARENA_SIZE) };
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// How many pages of the arena at `arena` are resident.
    fn resident_pages(arena: NonNull<u8>) -> usize {
        os::resident_pages(arena.as_ptr().addr(), ARENA_SIZE).expect("the arena is mapped")
    }

    #[test]
    fn arenas_past_a_mapping_s_worth_are_populated_whole() {
        let mut source = ArenaSource::default();
        let small: Vec<_> = (0..POPULATE_FROM_ARENAS)
            .map(|_| source.acquire().expect("memory"))
            .collect();
        assert!(
            small.iter().all(|&arena| resident_pages(arena) == 0),
            "a small heap's arenas are faulted in as they are used"
        );
        let next = source.acquire().expect("memory");
        assert_eq!(resident_pages(next), ARENA_SIZE / os::page_size());
        for arena in small.into_iter().chain([next]) {
            // SAFETY: acquired from this source above and not used.
            unsafe { source.release(arena) };
        }
    }
}
