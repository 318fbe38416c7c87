//! Prefetching for marking the arena heap: what [`PrefetchQueue`] asks for ahead of an
//! object's trace, and the mark word and arena header of a reference about to be marked.

use crate::heap::arena::{cell_of, is_huge, ARENA_MASK, BITMAP_BYTES};
use crate::object_model::ObjectRef;
pub(crate) use crate::parallel::prefetch::{drain_prefetching, PrefetchQueue};
use crate::parallel::Prefetch;

impl Prefetch for ObjectRef {
    /// The object's first cache line: its header.
    #[inline(always)]
    fn prefetch(self) {
        prefetch_address(self.addr());
    }
}

/// Asks the CPU to start loading the cache line at `addr`.
#[inline(always)]
pub(crate) fn prefetch_address(addr: usize) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint: it never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            std::ptr::without_provenance(addr),
        )
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = addr;
}

/// Asks the CPU to start loading what marking the arena block `obj` reads: its
/// mark-bitmap word and its arena's header, which says whether to trace it (huge blocks:
/// nothing, their marks are in a table).
#[inline(always)]
pub(crate) fn prefetch_for_marking(obj: ObjectRef) {
    let addr = obj.addr();
    if !is_huge(addr) {
        let base = addr & !ARENA_MASK;
        prefetch_address(base + BITMAP_BYTES + (cell_of(addr) >> 6) * 8);
        prefetch_address(base);
    }
}
