//! The malloc space: Lua 5.1's heap, where every object and every leaf block is its own
//! allocation from the system allocator, all of them on one intrusive list.
//!
//! Each block is preceded by a prefix of 16 bytes (5.1's `CommonHeader`: the list link
//! and the mark bits, plus the block's size, which 5.1 keeps in each object's own fields),
//! so the block itself keeps 16-byte alignment and a traversable object still starts with
//! its [`GcHeader`]. The space keeps the list and the byte counts; the colors in the prefix
//! are the plan's (`collectors/lua51`) to interpret.
//!
//! Invariants: every block on the list was allocated by this space and not freed; `bytes`
//! is the sum of the list's blocks' sizes, prefixes included; a block is unlinked before
//! it is freed, and only through [`MallocSpace::sweep`] or when the space is dropped.

use std::alloc::{self, Layout};
use std::ptr;

use super::space::{Space, SpaceStats};
use crate::object_model::{GcHeader, ObjectRef};
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

/// The bit the space itself owns: whether the block is a traversable object.
pub const TRAVERSABLE: u8 = 0x80;

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
    blocks: usize,
    /// Bytes in blocks on the list, prefixes included (5.1's `totalbytes`).
    bytes: u64,
    /// Bytes allocated over the space's life, prefixes included.
    allocated: u64,
    peak_bytes: u64,
}

impl Default for MallocSpace {
    fn default() -> Self {
        MallocSpace {
            head: ptr::null_mut(),
            blocks: 0,
            bytes: 0,
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
        let layout = layout_for(bytes)?;
        // SAFETY: the layout has a non-zero size.
        let prefix = unsafe { alloc::alloc(layout) }.cast::<Prefix>();
        if prefix.is_null() {
            return None;
        }
        let payload = layout.size() - PREFIX_BYTES;
        let bits = bits | kind.map_or(0, |_| TRAVERSABLE);
        // SAFETY: a fresh allocation of at least PREFIX_BYTES, aligned for Prefix.
        unsafe {
            prefix.write(Prefix {
                next: self.head,
                size_and_bits: payload << SIZE_SHIFT | usize::from(bits),
            })
        };
        self.head = prefix;
        self.blocks += 1;
        self.bytes += layout.size() as u64;
        self.allocated += layout.size() as u64;
        self.peak_bytes = self.peak_bytes.max(self.bytes);
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

    /// The bits of `obj`.
    ///
    /// # Safety
    /// `obj` is a block of this space, not freed.
    #[inline(always)]
    pub unsafe fn bits(obj: ObjectRef) -> u8 {
        // SAFETY: the caller guarantees a live block, so its prefix is initialised.
        (unsafe { (*prefix_of(obj)).size_and_bits } & BITS_MASK) as u8
    }

    /// Replaces the bits of `obj` but [`TRAVERSABLE`].
    ///
    /// # Safety
    /// As for [`MallocSpace::bits`]; no other reference to the prefix is in use.
    #[inline(always)]
    pub unsafe fn set_bits(obj: ObjectRef, bits: u8) {
        let prefix = prefix_of(obj);
        // SAFETY: the caller guarantees a live block.
        unsafe {
            let word = (*prefix).size_and_bits;
            let keep = word & !(BITS_MASK & !usize::from(TRAVERSABLE));
            (*prefix).size_and_bits = keep | usize::from(bits & !TRAVERSABLE);
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
    /// and freeing those it frees. Returns the cursor to resume from, or `None` once the
    /// end of the list is reached. Blocks allocated during a sweep go to the head of the
    /// list: a sweep that started before them never sees them.
    pub fn sweep(
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
                    let keep = word & !(BITS_MASK & !usize::from(TRAVERSABLE));
                    // SAFETY: as above.
                    unsafe {
                        (*prefix).size_and_bits = keep | usize::from(bits & !TRAVERSABLE);
                        link = &raw mut (*prefix).next;
                    }
                }
                SweepAction::Free => {
                    let total = (word >> SIZE_SHIFT) + PREFIX_BYTES;
                    self.blocks -= 1;
                    self.bytes -= total as u64;
                    // SAFETY: unlinked first, then freed with the layout it was allocated
                    // with (its size is in the prefix, and was a valid layout then).
                    unsafe {
                        *link = (*prefix).next;
                        alloc::dealloc(
                            prefix.cast::<u8>(),
                            Layout::from_size_align_unchecked(total, PREFIX_BYTES),
                        );
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

    /// Calls `f` on every block with its bits and whether it is traversable.
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
    /// A walk of the whole list.
    fn contains(&self, obj: ObjectRef) -> bool {
        let mut found = false;
        self.for_each(|block, _| found |= block == obj);
        found
    }

    /// Checks that the list holds as many blocks, of as many bytes, as the space counts.
    fn verify(&self) -> Result<(), VerifyError> {
        let (mut blocks, mut bytes) = (0, 0);
        self.for_each(|obj, _| {
            blocks += 1;
            // SAFETY: a block on the list is live.
            bytes += unsafe { MallocSpace::block_bytes(obj) };
        });
        if blocks != self.blocks || bytes != self.bytes {
            fail!(
                "list holds {blocks} blocks of {bytes} bytes, the space counts {} of {}",
                self.blocks,
                self.bytes
            );
        }
        Ok(())
    }

    #[inline]
    fn stats(&self) -> SpaceStats {
        SpaceStats {
            allocated_bytes: self.allocated,
            held_bytes: self.bytes,
            pieces: self.blocks,
        }
    }
}

impl Drop for MallocSpace {
    fn drop(&mut self) {
        while self
            .sweep(SweepCursor::default(), usize::MAX, |_| SweepAction::Free)
            .is_some()
        {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            cursor = space.sweep(at, 3, |bits| {
                if bits & 1 == 1 {
                    SweepAction::Free
                } else {
                    SweepAction::Keep(4)
                }
            });
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
