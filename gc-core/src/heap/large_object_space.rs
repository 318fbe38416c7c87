//! The large-object space (LOS): blocks above [`LARGE_THRESHOLD`] bytes, each in its own
//! arena-aligned mapping, tracked in a table keyed by address with their mark bits.
//!
//! Invariants: a huge block's address is arena-aligned (cell offset 0, which no arena block
//! has), so `arena::is_huge` tells the two kinds apart without a lookup. The table is not
//! modified while marking runs, so markers may share it; marks are atomic for that reason.
//! Dead huge blocks go straight back to the OS, and so does a block its owner replaced
//! ([`LargeObjectSpace::free_owned`]).

use std::collections::HashMap;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, Ordering};

use super::arena::{heap_ptr, ARENA_SIZE};
use super::bitmap::SweepKind;
use super::os;
use super::poison::poison;
use super::space::{Space, SpaceStats};
use crate::object_model::ObjectRef;
use crate::verify::{fail, VerifyError};

/// Blocks larger than half an arena are huge: a smaller threshold would waste arena
/// tails, a larger one would make bump regions fail often for big requests.
pub const LARGE_THRESHOLD: usize = ARENA_SIZE / 2;

/// One huge block.
#[derive(Debug)]
pub struct HugeBlock {
    /// Size of its mapping (a multiple of the arena size).
    pub mapping_bytes: usize,
    /// The bytes asked for: the part of the mapping that is ever touched.
    pub requested_bytes: usize,
    /// Whether it is a traversable object (starts with a `GcHeader`).
    pub traversable: bool,
    /// Whether one object owns it alone (a table's part: see
    /// `Collector::alloc_owned_leaf`): no weak reference can reach it, and its owner may
    /// free it.
    pub owned: bool,
    /// The space's allocation count (`SpaceStats::allocated_bytes`) before this block:
    /// whether it came before or after a given point.
    pub allocated_at: u64,
    marked: AtomicBool,
}

impl HugeBlock {
    /// Sets the mark bit; true if this call set it.
    #[inline]
    pub fn mark(&self) -> bool {
        !self.marked.swap(true, Ordering::Relaxed)
    }

    /// Whether the block is marked.
    pub fn is_marked(&self) -> bool {
        self.marked.load(Ordering::Relaxed)
    }
}

/// The table of huge blocks.
#[derive(Default, Debug)]
pub struct LargeObjectSpace {
    blocks: HashMap<usize, HugeBlock>,
    mapped_bytes: usize,
    /// Bytes of huge mappings made over the space's life.
    allocated_bytes: u64,
    /// Dead blocks out of the table whose mappings (address, bytes left) are still to be
    /// unmapped (see `take_dead_where`).
    dead: Vec<(usize, usize)>,
}

/// The most a dead block's mapping is unmapped by at once, a quarter arena: unmapping
/// frees every resident page, so a piece costs several arenas' sweep (priced by the
/// collectors that pace their sweep, e.g. newgc's `UNMAP_WORK_PER_PIECE`); small pieces
/// keep each step's share short.
pub const UNMAP_PIECE: usize = ARENA_SIZE / 4;

impl LargeObjectSpace {
    /// Maps a new huge block of at least `bytes`, zeroed. `None` if the OS refuses.
    pub fn alloc(&mut self, bytes: usize, traversable: bool) -> Option<NonNull<u8>> {
        let mapping_bytes = bytes.checked_next_multiple_of(ARENA_SIZE)?;
        let ptr = os::map_aligned(mapping_bytes, ARENA_SIZE)?;
        let block = HugeBlock {
            mapping_bytes,
            requested_bytes: bytes,
            traversable,
            owned: false,
            allocated_at: self.allocated_bytes,
            marked: AtomicBool::new(false),
        };
        self.blocks.insert(ptr.as_ptr().addr(), block);
        self.mapped_bytes += mapping_bytes;
        self.allocated_bytes += mapping_bytes as u64;
        Some(ptr)
    }

    /// The huge block at `addr`, if there is one.
    #[inline]
    pub fn get(&self, addr: usize) -> Option<&HugeBlock> {
        self.blocks.get(&addr)
    }

    /// Marks the leaf block at `addr`, if huge, as owned by one object alone.
    pub fn set_owned(&mut self, addr: usize) {
        if let Some(block) = self.blocks.get_mut(&addr) {
            debug_assert!(!block.traversable, "only leaf blocks are owned");
            block.owned = true;
        }
    }

    /// Unmaps the owned block at `addr` at once, as `free` would give a replaced
    /// array back: its owner holds a new one, and waiting for the collector to find the
    /// old one dead would hold both, and every earlier size of a growing array, mapped
    /// until then. Returns the block (out of the table), `None` if `addr` is none.
    pub fn free_owned(&mut self, addr: usize) -> Option<HugeBlock> {
        let block = self.blocks.remove(&addr)?;
        debug_assert!(block.owned, "only owned blocks are freed by their owner");
        // SAFETY: the owner replaced the block and nothing else refers to it (the
        // caller's contract); the mapping came from map_aligned with this size.
        unsafe { os::unmap(NonNull::new_unchecked(heap_ptr(addr)), block.mapping_bytes) };
        self.mapped_bytes -= block.mapping_bytes;
        Some(block)
    }

    /// Frees every unmarked block and clears the marks of the others. Returns the bytes
    /// freed. One thread unmaps: the kernel serialises unmapping within a process anyway.
    pub fn sweep(&mut self) -> usize {
        let mut freed_bytes = 0;
        self.blocks.retain(|&addr, block| {
            if block.marked.swap(false, Ordering::Relaxed) {
                return true;
            }
            // SAFETY: an unmarked block is unreachable, so nothing uses it; the mapping came
            // from map_aligned with this size.
            unsafe { os::unmap(NonNull::new_unchecked(heap_ptr(addr)), block.mapping_bytes) };
            freed_bytes += block.mapping_bytes;
            false
        });
        self.mapped_bytes -= freed_bytes;
        freed_bytes
    }

    /// The sweep of incremental collectors: takes the dead blocks `which` selects out of
    /// the table (clearing the survivors' marks for the major sweep) and keeps their
    /// mappings for [`LargeObjectSpace::unmap_dead_piece`], which returns them to the OS a
    /// piece at a time: unmapping hundreds of megabytes at once is a pause of
    /// milliseconds.
    pub fn take_dead_where(&mut self, kind: SweepKind, which: impl Fn(usize) -> bool) {
        let keep_marks = kind == SweepKind::Minor;
        let dead: Vec<(usize, usize)> = self
            .blocks
            .iter()
            .filter(|(&addr, _)| which(addr))
            .filter(|(_, block)| {
                let marked = if keep_marks {
                    block.marked.load(Ordering::Relaxed)
                } else {
                    block.marked.swap(false, Ordering::Relaxed)
                };
                !marked
            })
            .map(|(&addr, block)| (addr, block.mapping_bytes))
            .collect();
        for &(addr, bytes) in &dead {
            self.blocks.remove(&addr);
            poison(addr, bytes);
        }
        self.dead.extend(dead);
    }

    /// Unmaps one piece (at most `UNMAP_PIECE`) of a dead block's mapping; false when none
    /// is left.
    pub fn unmap_dead_piece(&mut self) -> bool {
        let Some((addr, bytes)) = self.dead.last_mut() else {
            return false;
        };
        // From the end, so the mapping left is a prefix with the same address.
        let piece = (*bytes).min(UNMAP_PIECE);
        *bytes -= piece;
        // SAFETY: the range is the tail of a dead block's mapping (unreachable, out of the
        // table), given back once.
        unsafe { os::unmap(NonNull::new_unchecked(heap_ptr(*addr + *bytes)), piece) };
        if *bytes == 0 {
            self.dead.pop();
        }
        self.mapped_bytes -= piece;
        true
    }

    /// The bytes the live blocks asked for, and the bytes of the space's table.
    pub fn used_and_table_bytes(&self) -> (u64, u64) {
        let used = self.blocks.values().map(|b| b.requested_bytes as u64).sum();
        let entry = std::mem::size_of::<(usize, HugeBlock)>() + 1;
        let table = self.blocks.capacity() * entry + self.dead.capacity() * 16;
        (used, table as u64)
    }

    /// The bytes of dead blocks' mappings still waiting to be unmapped.
    pub fn dead_mapped_bytes(&self) -> u64 {
        self.dead.iter().map(|&(_, bytes)| bytes as u64).sum()
    }

    /// Whether dead blocks wait to be unmapped.
    pub fn has_dead(&self) -> bool {
        !self.dead.is_empty()
    }

    /// Clears every mark (ends generational mode's sticky marks).
    pub fn unmark_all(&mut self) {
        for block in self.blocks.values() {
            block.marked.store(false, Ordering::Relaxed);
        }
    }

    /// The address of a marked block, if any: between collections of a plan that clears
    /// its marks, there is none.
    pub fn first_marked(&self) -> Option<usize> {
        self.iter()
            .find(|(_, block)| block.is_marked())
            .map(|(addr, _)| addr)
    }

    /// Every huge block with its address (for the verifier).
    pub fn iter(&self) -> impl Iterator<Item = (usize, &HugeBlock)> {
        self.blocks.iter().map(|(&addr, block)| (addr, block))
    }
}

impl Space for LargeObjectSpace {
    fn contains(&self, obj: ObjectRef) -> bool {
        self.blocks.contains_key(&obj.addr())
    }

    /// Checks that every block is arena-aligned with a mapping of whole arenas, and that
    /// the mapped bytes are the blocks' and the dead pieces' still mapped.
    fn verify(&self) -> Result<(), VerifyError> {
        let mut mapped = self.dead_mapped_bytes() as usize;
        for (addr, block) in self.iter() {
            if !addr.is_multiple_of(ARENA_SIZE) || !block.mapping_bytes.is_multiple_of(ARENA_SIZE) {
                fail!(
                    "huge block {addr:#x} of {} bytes is not in whole arenas",
                    block.mapping_bytes
                );
            }
            mapped += block.mapping_bytes;
        }
        if mapped != self.mapped_bytes {
            fail!(
                "huge blocks map {mapped} bytes, the space counts {}",
                self.mapped_bytes
            );
        }
        Ok(())
    }

    #[inline]
    fn stats(&self) -> SpaceStats {
        SpaceStats {
            allocated_bytes: self.allocated_bytes,
            held_bytes: self.mapped_bytes as u64,
            pieces: self.blocks.len(),
        }
    }
}

impl Drop for LargeObjectSpace {
    fn drop(&mut self) {
        while self.unmap_dead_piece() {}
        for (&addr, block) in &self.blocks {
            // SAFETY: the heap is going away with every block in it; addr is a live mapping
            // of this size.
            unsafe { os::unmap(NonNull::new_unchecked(heap_ptr(addr)), block.mapping_bytes) };
        }
    }
}
