//! Where arenas come from and go back to: the OS, in aligned mappings.
//!
//! Arenas are mapped several at a time (a 4 MB mapping, the size huge pages would want) and
//! handed out one by one. An arena given back is discarded (its pages return to the OS at
//! once, the address range stays) and kept in a small reserve for reuse; past the reserve it
//! is unmapped. Invariant: every arena handed out is zeroed, so its bitmaps start empty.

use std::ptr::NonNull;

use super::arena::ARENA_SIZE;
use super::os;

/// Bytes mapped at a time.
const MAPPING_BYTES: usize = 4 << 20;
/// Arenas per mapping: 4 (1 MB arenas) to 64 (64 KB arenas).
const ARENAS_PER_MAPPING: usize = MAPPING_BYTES / ARENA_SIZE;

/// Hands out zeroed arena-sized, arena-aligned regions and takes them back.
#[derive(Default)]
pub struct ArenaSource {
    /// Zeroed arenas ready to hand out: never used, or discarded.
    reserve: Vec<NonNull<u8>>,
    /// Arenas handed out and not yet given back.
    in_use: usize,
}

impl ArenaSource {
    /// A zeroed arena, or `None` if the OS refuses memory.
    pub fn acquire(&mut self) -> Option<NonNull<u8>> {
        if self.reserve.is_empty() {
            let mapping = os::map_aligned(ARENAS_PER_MAPPING * ARENA_SIZE, ARENA_SIZE)?;
            let base = mapping.as_ptr() as usize;
            // Hand out the lowest arena first: later ones stay untouched until needed.
            for i in (0..ARENAS_PER_MAPPING).rev() {
                let arena = (base + i * ARENA_SIZE) as *mut u8;
                self.reserve.extend(NonNull::new(arena));
            }
        }
        self.in_use += 1;
        self.reserve.pop()
    }

    /// Takes an arena back. Its memory returns to the OS now: discarded if the reserve has
    /// room, unmapped otherwise.
    ///
    /// # Safety
    /// `arena` came from [`ArenaSource::acquire`] on this source and nothing uses it anymore.
    pub unsafe fn release(&mut self, arena: NonNull<u8>) {
        self.in_use -= 1;
        if self.reserve.len() < ARENAS_PER_MAPPING {
            // SAFETY: the caller gives the arena up; discarding keeps the range mapped and
            // makes it read as zeros, as `acquire` promises.
            unsafe { os::discard(arena, ARENA_SIZE) };
            self.reserve.push(arena);
        } else {
            // SAFETY: the caller gives the arena up; it is a whole-page part of a mapping.
            unsafe { os::unmap(arena, ARENA_SIZE) };
        }
    }

    /// Arenas handed out and not given back.
    pub fn arenas_in_use(&self) -> usize {
        self.in_use
    }

    /// Bytes of address space this source holds mapped (in use and reserve).
    pub fn mapped_bytes(&self) -> usize {
        (self.in_use + self.reserve.len()) * ARENA_SIZE
    }
}

impl Drop for ArenaSource {
    fn drop(&mut self) {
        for arena in self.reserve.drain(..) {
            // SAFETY: reserve arenas are mapped by this source and unused.
            unsafe { os::unmap(arena, ARENA_SIZE) };
        }
    }
}
