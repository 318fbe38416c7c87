//! Poisoning for the AddressSanitizer build: under `--cfg gc_poison` (with
//! `-Zsanitizer=address`, see `.ci/asan.sh`) every space poisons the memory of the blocks
//! it frees and unpoisons what it hands out, so that a read or write of a dead block, by
//! the VM or a collector, traps at the access with a stack. Without the cfg both calls
//! are empty and compile away.
//!
//! What stays unpoisoned: an arena's metadata (bitmaps and arena header, which markers,
//! sweeps and the allocator read whatever the cells' state) and every allocated block,
//! headers included. What is poisoned: an arena's free cells (from `ArenaSource::acquire`
//! until allocated, and again once a sweep frees them or the arena goes back to the
//! source) and a dead huge block until it is unmapped. Unmapping unpoisons, so that a
//! later mapping at the same address starts clean. The malloc space needs nothing: the
//! sanitizer's own `malloc` poisons what `free` takes back.

#[cfg(gc_poison)]
mod asan {
    use std::ffi::c_void;

    extern "C" {
        /// AddressSanitizer's interface: marks `[addr, addr + size)` unaddressable.
        pub fn __asan_poison_memory_region(addr: *const c_void, size: usize);
        /// AddressSanitizer's interface: marks `[addr, addr + size)` addressable again.
        pub fn __asan_unpoison_memory_region(addr: *const c_void, size: usize);
    }
}

/// Marks `bytes` bytes from `addr` as freed memory: any access traps under the sanitizer.
#[inline(always)]
pub fn poison(addr: usize, bytes: usize) {
    #[cfg(gc_poison)]
    // SAFETY: the sanitizer only records the range in its shadow memory; no memory of
    // the range is read or written.
    unsafe {
        asan::__asan_poison_memory_region(std::ptr::without_provenance(addr), bytes)
    };
    #[cfg(not(gc_poison))]
    let _ = (addr, bytes);
}

/// Marks `bytes` bytes from `addr` as allocated memory again.
#[inline(always)]
pub fn unpoison(addr: usize, bytes: usize) {
    #[cfg(gc_poison)]
    // SAFETY: as for `poison`.
    unsafe {
        asan::__asan_unpoison_memory_region(std::ptr::without_provenance(addr), bytes)
    };
    #[cfg(not(gc_poison))]
    let _ = (addr, bytes);
}
