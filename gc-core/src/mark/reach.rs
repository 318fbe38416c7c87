//! What marking one reference and tracing one gray object mean, shared by the sequential
//! and the parallel marker so both keep the same invariants:
//! - a block is reached once: whoever sets its mark bit (or huge mark) owns it;
//! - a reached traversable object becomes gray and is traced once; a leaf block has
//!   nothing to trace and is black at once;
//! - live bytes count each block once: leaves and huge blocks when reached, arena objects
//!   (whose header holds their size) when traced.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::heap::arena::{cell_of, is_huge, Arena, ArenaKind, CELL_SIZE};
use crate::heap::large_object_space::LargeObjectSpace;
use crate::object_model::{Liveness, ObjectModel, ObjectRef, Tracer, Weakness};

/// What reaching a reference found.
pub(crate) enum Reached {
    /// Already marked by someone: nothing to do.
    Already,
    /// A leaf block, now black; its size in bytes.
    Leaf(u64),
    /// A traversable object, now gray: it must be traced. Bytes to count now (a huge
    /// block's mapping; arena objects are counted when traced).
    Object(u64),
}

/// Claims a mark bit when one thread marks alone: a plain read-modify-write, cheaper
/// than `fetch_or`. True if this call set the bit.
#[inline(always)]
pub(crate) fn claim_exclusive(word: &AtomicU64, bit: u64) -> bool {
    let old = word.load(Ordering::Relaxed);
    word.store(old | bit, Ordering::Relaxed);
    old & bit == 0
}

/// Marks `obj`, claiming its arena mark bit with `claim` (a plain read-modify-write for
/// one marker, `fetch_or` for several).
#[inline(always)]
pub(crate) fn reach(
    large_objects: &LargeObjectSpace,
    obj: ObjectRef,
    claim: impl FnOnce(&AtomicU64, u64) -> bool,
) -> Reached {
    let addr = obj.addr();
    if is_huge(addr) {
        let block = large_objects
            .get(addr)
            .expect("reference to a huge block that does not exist");
        return match (block.mark(), block.traversable) {
            (false, _) => Reached::Already,
            (true, false) => Reached::Leaf(block.mapping_bytes as u64),
            (true, true) => Reached::Object(block.mapping_bytes as u64),
        };
    }
    // SAFETY: obj is a block of a live arena of this heap (Roots and ObjectModel contracts);
    // during marking nobody holds an exclusive view of the bitmaps.
    let (word, bit) = unsafe { Arena::mark_word(addr) };
    if !claim(word, bit) {
        return Reached::Already;
    }
    let arena = Arena::containing(addr);
    // SAFETY: as above.
    let bitmaps = unsafe { arena.bitmaps() };
    debug_assert!(
        bitmaps.is_allocated(cell_of(addr)),
        "marking a block that is not allocated: {addr:#x}"
    );
    // SAFETY: the arena is live.
    if unsafe { arena.header() }.kind == ArenaKind::Objects {
        Reached::Object(0)
    } else {
        let cell = cell_of(addr);
        Reached::Leaf(((bitmaps.next_start(cell + 1) - cell) * CELL_SIZE) as u64)
    }
}

/// The bytes of leaf block `obj`, whose bitmap size is `bytes`, cut at `cursor`: the
/// leaf space's bump region is unallocated from there and has no start bits while the
/// mutator allocates, so the bitmap reads the last leaf before it as running to the
/// region's end.
#[inline]
pub(crate) fn cut_at_bump_cursor(obj: ObjectRef, bytes: u64, cursor: usize) -> u64 {
    let addr = obj.addr();
    if addr < cursor && cursor < addr + bytes as usize {
        (cursor - addr) as u64
    } else {
        bytes
    }
}

/// A marker as the tracing of a gray object needs it.
pub(crate) trait MarkingTracer: Tracer + Liveness {
    /// Remembers a weak object for ephemeron passes and clearing.
    fn record_weak(&mut self, obj: ObjectRef, weakness: Weakness);
}

/// Traces gray object `obj` as a whole (strong or weak). Returns its bytes to count.
///
/// # Safety
/// `obj` is a reached traversable object of this heap, traced by this caller only.
#[inline]
pub(crate) unsafe fn trace_gray<M: ObjectModel, T: MarkingTracer>(
    obj: ObjectRef,
    tracer: &mut T,
) -> u64 {
    // SAFETY: forwarded from the caller; reached objects are live and initialised.
    unsafe { trace_gray_as::<M, T>(obj, M::weakness(obj), tracer) }
}

/// [`trace_gray`] for a caller that already asked the object's weakness.
///
/// # Safety
/// As for [`trace_gray`]; `weakness` is what `M::weakness(obj)` returned.
#[inline]
pub(crate) unsafe fn trace_gray_as<M: ObjectModel, T: MarkingTracer>(
    obj: ObjectRef,
    weakness: Weakness,
    tracer: &mut T,
) -> u64 {
    // SAFETY: reached objects are live and initialised (ObjectModel contract).
    unsafe {
        let bytes = u64::from(obj.header().cells()) * CELL_SIZE as u64;
        match weakness {
            Weakness::Strong => M::trace(obj, tracer),
            weakness => {
                tracer.record_weak(obj, weakness);
                M::trace_weak(obj, weakness, tracer);
            }
        }
        bytes
    }
}
