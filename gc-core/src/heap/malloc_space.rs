//! The malloc space: Lua 5.1's heap, where every object and every leaf block is its own
//! allocation from the system allocator, the objects and shared leaf blocks (strings) on
//! one intrusive list, the leaf blocks one object owns (a table's array and hash parts)
//! off it, freed with their owner or when it replaces them, as 5.1's `luaH_free` and
//! `luaM_reallocvector` free a table's parts.
//!
//! Each block is preceded by a prefix of 16 bytes (5.1's `CommonHeader`: the list link
//! and the mark bits, plus the block's size, which 5.1 keeps in each object's own fields),
//! so the block itself keeps 16-byte alignment and a traversable object still starts with
//! its [`GcHeader`]. The space keeps the list and the byte counts; the colors in the prefix
//! are the plan's (`collectors/lua51`) to interpret.
//!
//! Invariants: every block on the list was allocated by this space and not freed; every
//! owned block ([`OWNED`]) is off the list, allocated by this space and not freed, and
//! [`ObjectModel::owned_leaves`] reports it for exactly one object on the list once its
//! owner installed it; `bytes` is the sum of the sizes of both, prefixes included, and
//! `owned_bytes` the owned blocks' part. A listed block is unlinked before it is freed,
//! and only through [`MallocSpace::sweep`], [`MallocSpace::free_all`] or when the space is
//! dropped; an owned one is freed by the sweep that frees its owner or by
//! [`MallocSpace::free_owned`].

use std::alloc::{self, Layout};
use std::ptr;

use super::space::{Space, SpaceStats};
use crate::object_model::{GcHeader, ObjectModel, ObjectRef};
use crate::verify::{fail, VerifyError};

/// The bytes in front of every block: the list link, then the size and color bits.
#[repr(C, align(16))]
struct Prefix {
    next: *mut Prefix,
    /// `payload bytes << SIZE_SHIFT | bits`.
    size_and_bits: usize,
}

/// Bytes in front of every block; a block counts for its own bytes plus these.
pub const PREFIX_BYTES: usize = std::mem::size_of::<Prefix>();
/// The low byte of `size_and_bits` holds the bits; payload sizes are below 2^56 bytes.
const SIZE_SHIFT: u32 = 8;
const BITS_MASK: usize = (1 << SIZE_SHIFT) - 1;

/// A bit the space itself owns: whether the block is a traversable object.
pub const TRAVERSABLE: u8 = 0x80;
/// A bit the space itself owns: whether the block is a leaf block one object owns, off the
/// list. Its bits are never changed: no white, so marking and the sweep leave it alone.
pub const OWNED: u8 = 0x40;
/// The bits a plan's colors may not use.
const SPACE_BITS: u8 = TRAVERSABLE | OWNED;

/// What a sweep found in one block: keep it (its new bits) or free it.
pub enum SweepAction {
    /// The block survives, with these bits (the [`TRAVERSABLE`] bit is kept whatever).
    Keep(u8),
    /// The block is freed.
    Free,
}

/// The malloc space: the list of every block, and its byte counts.
pub struct MallocSpace {
    /// The most recently allocated block (5.1's `rootgc`).
    head: *mut Prefix,
    /// Blocks on the list.
    blocks: usize,
    /// Owned blocks, off the list.
    owned_blocks: usize,
    /// Bytes in blocks, listed and owned, prefixes included (5.1's `totalbytes`).
    bytes: u64,
    /// The owned blocks' part of `bytes`.
    owned_bytes: u64,
    /// Bytes allocated over the space's life, prefixes included.
    allocated: u64,
    peak_bytes: u64,
}

impl Default for MallocSpace {
    fn default() -> Self {
        MallocSpace {
            head: ptr::null_mut(),
            blocks: 0,
            owned_blocks: 0,
            bytes: 0,
            owned_bytes: 0,
            allocated: 0,
            peak_bytes: 0,
        }
    }
}

/// Where a sweep resumes: after the block given, or at the head of the list.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct SweepCursor(Option<ObjectRef>);

#[inline(always)]
fn prefix_of(obj: ObjectRef) -> *mut Prefix {
    // SAFETY (of the arithmetic): every block of this space starts PREFIX_BYTES after its
    // prefix, inside the same allocation, so the offset stays in bounds and keeps the
    // allocation's provenance.
    obj.as_ptr().wrapping_sub(PREFIX_BYTES).cast::<Prefix>()
}

#[inline(always)]
fn block_of(prefix: *mut Prefix) -> ObjectRef {
    // SAFETY: the block follows the prefix in one allocation, so it is not null.
    unsafe { ObjectRef::from_ptr(prefix.cast::<u8>().add(PREFIX_BYTES)).unwrap_unchecked() }
}

fn layout_for(payload: usize) -> Option<Layout> {
    let total = payload.max(1).checked_add(PREFIX_BYTES)?;
    if total >> (usize::BITS - SIZE_SHIFT) != 0 {
        return None;
    }
    Layout::from_size_align(total, PREFIX_BYTES).ok()
}

impl MallocSpace {
    /// Allocates a block of `bytes` from the system allocator and links it at the head of
    /// the list with `bits` (plus [`TRAVERSABLE`] for objects). For a traversable object
    /// (`kind` given) writes its header. `None` when the allocator refuses.
    pub fn alloc(&mut self, bytes: usize, kind: Option<u8>, bits: u8) -> Option<ObjectRef> {
        let bits = bits | kind.map_or(0, |_| TRAVERSABLE);
        let (prefix, payload) = self.allocate(bytes, self.head, bits)?;
        self.head = prefix;
        self.blocks += 1;
        let obj = block_of(prefix);
        if let Some(kind) = kind {
            let cells = u32::try_from(payload.div_ceil(16)).unwrap_or(0);
            // SAFETY: the block is fresh, 16-byte aligned and at least one byte; a
            // traversable object is allocated with room for its header (the VM's
            // contract), which is what it will read there.
            unsafe {
                obj.as_ptr()
                    .cast::<GcHeader>()
                    .write(GcHeader::new(kind, cells, 0))
            };
        }
        Some(obj)
    }

    /// Allocates a leaf block of `bytes` that one object will own ([`OWNED`]), off the
    /// list. `None` when the allocator refuses.
    pub fn alloc_owned(&mut self, bytes: usize) -> Option<ObjectRef> {
        let (prefix, payload) = self.allocate(bytes, ptr::null_mut(), OWNED)?;
        self.owned_blocks += 1;
        self.owned_bytes += (payload + PREFIX_BYTES) as u64;
        Some(block_of(prefix))
    }

    /// Allocates a block of `bytes` with a prefix of `next` and `bits`, and counts its
    /// bytes; returns the prefix and the payload's size.
    #[inline(always)]
    fn allocate(
        &mut self,
        bytes: usize,
        next: *mut Prefix,
        bits: u8,
    ) -> Option<(*mut Prefix, usize)> {
        let layout = layout_for(bytes)?;
        // SAFETY: the layout has a non-zero size.
        let prefix = unsafe { alloc::alloc(layout) }.cast::<Prefix>();
        if prefix.is_null() {
            return None;
        }
        let payload = layout.size() - PREFIX_BYTES;
        // SAFETY: a fresh allocation of at least PREFIX_BYTES, aligned for Prefix.
        unsafe {
            prefix.write(Prefix {
                next,
                size_and_bits: payload << SIZE_SHIFT | usize::from(bits),
            })
        };
        self.bytes += layout.size() as u64;
        self.allocated += layout.size() as u64;
        self.peak_bytes = self.peak_bytes.max(self.bytes);
        Some((prefix, payload))
    }

    /// Frees `leaf` if it is an owned block; a listed block is left to the sweep.
    ///
    /// # Safety
    /// `leaf` is a block of this space, not freed, that nothing will read again: an owned
    /// block no object reports as owned any more (its owner replaced it).
    pub unsafe fn free_owned(&mut self, leaf: ObjectRef) {
        // SAFETY: a live block (the caller's contract).
        if unsafe { Self::bits(leaf) } & OWNED != 0 {
            // SAFETY: as above; an owned block is off the list, so nothing links to it.
            unsafe { self.dealloc(prefix_of(leaf)) };
        }
    }

    /// Frees the owned blocks `obj`, a traversable object about to be freed, owns.
    ///
    /// # Safety
    /// `obj` is a traversable object of this space, not freed, that the sweep frees.
    unsafe fn free_owned_of<M: ObjectModel>(&mut self, obj: ObjectRef) {
        // SAFETY: the caller's contract is `owned_leaves`'s; the leaves it reports are
        // owned blocks of this space, referenced only by `obj`, which is being freed.
        unsafe { M::owned_leaves(obj, &mut |leaf| self.free_owned(leaf)) };
    }

    /// Returns the block at `prefix`, off the list (unlinked or owned), to the allocator.
    ///
    /// # Safety
    /// `prefix` is the prefix of a live block of this space that nothing links to.
    unsafe fn dealloc(&mut self, prefix: *mut Prefix) {
        // SAFETY: a live block, per the caller.
        let word = unsafe { (*prefix).size_and_bits };
        let total = (word >> SIZE_SHIFT) + PREFIX_BYTES;
        self.bytes -= total as u64;
        if word & usize::from(OWNED) != 0 {
            self.owned_blocks -= 1;
            self.owned_bytes -= total as u64;
        } else {
            self.blocks -= 1;
        }
        // SAFETY: freed with the layout it was allocated with (its size is in the
        // prefix, and was a valid layout then).
        unsafe {
            alloc::dealloc(
                prefix.cast::<u8>(),
                Layout::from_size_align_unchecked(total, PREFIX_BYTES),
            )
        };
    }

    /// The bits of `obj`.
    ///
    /// # Safety
    /// `obj` is a block of this space, not freed.
    #[inline(always)]
    pub unsafe fn bits(obj: ObjectRef) -> u8 {
        // SAFETY: the caller guarantees a live block, so its prefix is initialised.
        (unsafe { (*prefix_of(obj)).size_and_bits } & BITS_MASK) as u8
    }

    /// Replaces the bits of `obj` but the space's ([`TRAVERSABLE`], [`OWNED`]).
    ///
    /// # Safety
    /// As for [`MallocSpace::bits`]; no other reference to the prefix is in use.
    #[inline(always)]
    pub unsafe fn set_bits(obj: ObjectRef, bits: u8) {
        let prefix = prefix_of(obj);
        // SAFETY: the caller guarantees a live block.
        unsafe {
            let word = (*prefix).size_and_bits;
            (*prefix).size_and_bits = with_plan_bits(word, bits);
        }
    }

    /// The size of `obj` in bytes, its prefix included: what it counts for in the space.
    ///
    /// # Safety
    /// As for [`MallocSpace::bits`].
    #[inline(always)]
    pub unsafe fn block_bytes(obj: ObjectRef) -> u64 {
        // SAFETY: the caller guarantees a live block.
        ((unsafe { (*prefix_of(obj)).size_and_bits } >> SIZE_SHIFT) + PREFIX_BYTES) as u64
    }

    /// Sweeps up to `max` blocks from `cursor`, asking `decide` about each (given its bits)
    /// and freeing those it frees, objects with the blocks they own. Returns the cursor to
    /// resume from, or `None` once the end of the list is reached. Blocks allocated during
    /// a sweep go to the head of the list: a sweep that started before them never sees
    /// them.
    ///
    /// # Safety
    /// Every traversable object on the list is initialised, so that `M::owned_leaves` may
    /// read it (the VM initialises an object before its next allocation).
    pub unsafe fn sweep<M: ObjectModel>(
        &mut self,
        cursor: SweepCursor,
        max: usize,
        mut decide: impl FnMut(u8) -> SweepAction,
    ) -> Option<SweepCursor> {
        let mut link: *mut *mut Prefix = match cursor.0 {
            None => &raw mut self.head,
            // SAFETY: the cursor is a block that survived the sweep, so it is still
            // allocated; its link is what the sweep continues from.
            Some(block) => unsafe { &raw mut (*prefix_of(block)).next },
        };
        for _ in 0..max {
            // SAFETY: `link` points at the head or at a live block's link field; every
            // block on the list is live.
            let prefix = unsafe { *link };
            if prefix.is_null() {
                return None;
            }
            // SAFETY: a live block on the list.
            let word = unsafe { (*prefix).size_and_bits };
            match decide((word & BITS_MASK) as u8) {
                SweepAction::Keep(bits) => {
                    // SAFETY: as above.
                    unsafe {
                        (*prefix).size_and_bits = with_plan_bits(word, bits);
                        link = &raw mut (*prefix).next;
                    }
                }
                SweepAction::Free => {
                    // SAFETY: a live block on the list, unlinked before it is freed; an
                    // object's owned blocks go first, while it can still be read.
                    unsafe {
                        if word & usize::from(TRAVERSABLE) != 0 {
                            self.free_owned_of::<M>(block_of(prefix));
                        }
                        *link = (*prefix).next;
                        self.dealloc(prefix);
                    }
                }
            }
        }
        // SAFETY: `link` is the head or a live block's link field.
        if unsafe { *link }.is_null() {
            return None;
        }
        Some(if ptr::eq(link, &raw const self.head) {
            SweepCursor(None)
        } else {
            // `link` is the `next` field at the start of a live prefix.
            SweepCursor(Some(block_of(link.cast::<Prefix>())))
        })
    }

    /// Frees every block, objects with the blocks they own: the end of the heap.
    ///
    /// # Safety
    /// As for [`MallocSpace::sweep`].
    pub unsafe fn free_all<M: ObjectModel>(&mut self) {
        // SAFETY: the caller's contract.
        while unsafe { self.sweep::<M>(SweepCursor::default(), usize::MAX, |_| SweepAction::Free) }
            .is_some()
        {}
    }

    /// The owned blocks' count and bytes, prefixes included.
    pub fn owned(&self) -> (usize, u64) {
        (self.owned_blocks, self.owned_bytes)
    }

    /// Calls `f` on every block on the list with its bits.
    pub fn for_each(&self, mut f: impl FnMut(ObjectRef, u8)) {
        let mut prefix = self.head;
        while !prefix.is_null() {
            // SAFETY: every block on the list is live.
            let (word, next) = unsafe { ((*prefix).size_and_bits, (*prefix).next) };
            f(block_of(prefix), (word & BITS_MASK) as u8);
            prefix = next;
        }
    }

    /// Bytes in blocks now, prefixes included: 5.1's `totalbytes`, which pacing reads at
    /// every allocation (the space's `held_bytes`).
    #[inline(always)]
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The largest [`MallocSpace::bytes`] seen.
    pub fn peak_bytes(&self) -> u64 {
        self.peak_bytes
    }
}

impl Space for MallocSpace {
    /// A walk of the whole list (owned blocks are not on it: only their owners find them).
    fn contains(&self, obj: ObjectRef) -> bool {
        let mut found = false;
        self.for_each(|block, _| found |= block == obj);
        found
    }

    /// Checks that the list holds as many blocks, of as many bytes, as the space counts
    /// (the plan checks the owned blocks: only the object model knows their owners).
    fn verify(&self) -> Result<(), VerifyError> {
        let (mut blocks, mut bytes) = (0, 0);
        self.for_each(|obj, _| {
            blocks += 1;
            // SAFETY: a block on the list is live.
            bytes += unsafe { MallocSpace::block_bytes(obj) };
        });
        let listed_bytes = self.bytes - self.owned_bytes;
        if blocks != self.blocks || bytes != listed_bytes {
            fail!(
                "list holds {blocks} blocks of {bytes} bytes, the space counts {} of {}",
                self.blocks,
                listed_bytes
            );
        }
        Ok(())
    }

    #[inline]
    fn stats(&self) -> SpaceStats {
        SpaceStats {
            allocated_bytes: self.allocated,
            held_bytes: self.bytes,
            pieces: self.blocks + self.owned_blocks,
        }
    }
}

/// Frees the blocks on the list. Owned blocks are only found through their owners, which
/// need the object model: a plan that allocates them calls [`MallocSpace::free_all`] first.
impl Drop for MallocSpace {
    fn drop(&mut self) {
        while !self.head.is_null() {
            let prefix = self.head;
            // SAFETY: the head is a live block; unlinked, then freed.
            unsafe {
                self.head = (*prefix).next;
                self.dealloc(prefix);
            }
        }
    }
}

/// The prefix word `word` with the plan's bits replaced by those of `bits`.
#[inline(always)]
fn with_plan_bits(word: usize, bits: u8) -> usize {
    let keep = word & !(BITS_MASK & !usize::from(SPACE_BITS));
    keep | usize::from(bits & !SPACE_BITS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::owner::{leaf_slot, OwnerModel};
    use crate::testing::TestModel;

    #[test]
    fn owned_blocks_are_off_the_list_and_freed_with_their_owner_or_on_replacement() {
        let mut space = MallocSpace::default();
        let obj = space.alloc(32, Some(1), 1).unwrap();
        let first = space.alloc_owned(100).unwrap();
        // SAFETY: the object has room for its slot after the header.
        unsafe { leaf_slot(obj).write(Some(first)) };
        assert_eq!(space.owned(), (1, 100 + PREFIX_BYTES as u64));
        assert!(!space.contains(first));
        // SAFETY: a live owned block; its bits are the space's alone.
        assert_eq!(unsafe { MallocSpace::bits(first) }, OWNED);
        space.verify().unwrap();
        // A replacement frees the old block at once.
        let second = space.alloc_owned(300).unwrap();
        // SAFETY: as above; `first` is no longer referenced.
        unsafe {
            leaf_slot(obj).write(Some(second));
            space.free_owned(first);
        }
        assert_eq!(space.owned(), (1, 300 + PREFIX_BYTES as u64));
        // A listed block is left to the sweep.
        let listed = space.alloc(16, None, 1).unwrap();
        // SAFETY: a live listed block.
        unsafe { space.free_owned(listed) };
        assert!(space.contains(listed));
        assert_eq!(space.stats().pieces, 3);
        // Sweeping the owner frees its block; the bytes come back to those of nothing.
        // SAFETY: the object is initialised.
        let end =
            unsafe { space.sweep::<OwnerModel>(SweepCursor::default(), 10, |_| SweepAction::Free) };
        assert!(end.is_none());
        assert_eq!(
            (space.owned(), space.bytes(), space.stats().pieces),
            ((0, 0), 0, 0)
        );
    }

    #[test]
    fn sweep_frees_what_it_is_told_and_counts_bytes() {
        let mut space = MallocSpace::default();
        let blocks: Vec<ObjectRef> = (0..10u8)
            .map(|i| space.alloc(16 * usize::from(i + 1), None, i % 2).unwrap())
            .collect();
        assert_eq!(space.stats().pieces, 10);
        let before = space.bytes();
        let mut cursor = Some(SweepCursor::default());
        while let Some(at) = cursor {
            // SAFETY: no traversable objects.
            cursor = unsafe {
                space.sweep::<TestModel>(at, 3, |bits| {
                    if bits & 1 == 1 {
                        SweepAction::Free
                    } else {
                        SweepAction::Keep(4)
                    }
                })
            };
        }
        assert_eq!(space.stats().pieces, 5);
        space.verify().unwrap();
        let freed: u64 = (0..10u64)
            .filter(|i| i % 2 == 1)
            .map(|i| 16 * (i + 1) + 16)
            .sum();
        assert_eq!(space.bytes(), before - freed);
        for (i, &obj) in blocks.iter().enumerate() {
            assert_eq!(space.contains(obj), i % 2 == 0);
            if i % 2 == 0 {
                // SAFETY: a surviving block.
                assert_eq!(unsafe { MallocSpace::bits(obj) }, 4);
            }
        }
    }

    #[test]
    fn objects_keep_their_traversable_bit_and_header() {
        let mut space = MallocSpace::default();
        let obj = space.alloc(32, Some(7), 1).unwrap();
        // SAFETY: a live block and traversable object.
        unsafe {
            assert_eq!(MallocSpace::bits(obj), 1 | TRAVERSABLE);
            MallocSpace::set_bits(obj, 2);
            assert_eq!(MallocSpace::bits(obj), 2 | TRAVERSABLE);
            assert_eq!(obj.header().kind(), 7);
            assert_eq!(MallocSpace::block_bytes(obj), 48);
        }
        assert!(space.alloc(usize::MAX - 8, None, 0).is_none());
    }
}
