//! Memory from the operating system: size-aligned anonymous mappings, returned whole.
//!
//! Invariant: every region this module hands out is aligned to the requested power of two
//! and zero-filled (fresh anonymous memory, or memory `discard` gave back to the kernel).
//! This is one of the few modules with `unsafe`: it calls mmap, munmap and madvise.

use std::ptr::NonNull;
use std::time::Duration;

/// Maps `bytes` of zeroed memory aligned to `align` (a power of two, a multiple of the page
/// size). Over-maps by `align` and trims both ends, so the kernel keeps exactly `bytes`.
/// Returns `None` when the kernel refuses.
pub fn map_aligned(bytes: usize, align: usize) -> Option<NonNull<u8>> {
    debug_assert!(align.is_power_of_two() && bytes.is_multiple_of(page_size()));
    let span = bytes.checked_add(align)?;
    // SAFETY: an anonymous private mapping at an address of the kernel's choosing touches
    // no existing memory.
    let raw = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            span,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
            -1,
            0,
        )
    };
    if raw == libc::MAP_FAILED {
        return None;
    }
    let start = raw as usize;
    let aligned = (start + align - 1) & !(align - 1);
    let head = aligned - start;
    let tail = span - head - bytes;
    // SAFETY: [start, start + head) and [aligned + bytes, start + span) lie inside the
    // mapping just made, outside the part we keep; nothing refers to them.
    unsafe {
        if head > 0 {
            libc::munmap(raw, head);
        }
        if tail > 0 {
            libc::munmap((aligned + bytes) as *mut libc::c_void, tail);
        }
    }
    NonNull::new(aligned as *mut u8)
}

/// Returns a region obtained from [`map_aligned`] (or a whole-page part of one) to the OS.
///
/// # Safety
/// `[ptr, ptr + bytes)` must be mapped by this module and nothing may use it afterwards.
pub unsafe fn unmap(ptr: NonNull<u8>, bytes: usize) {
    // SAFETY: the caller owns the range and gives it up.
    let result = unsafe { libc::munmap(ptr.as_ptr().cast(), bytes) };
    debug_assert_eq!(result, 0, "munmap failed");
}

/// Gives the pages of a mapped region back to the OS but keeps the address range: the next
/// touch reads zeros. Cheaper than unmap-then-map for arenas kept in reserve.
///
/// # Safety
/// `[ptr, ptr + bytes)` must be mapped by this module, and its contents no longer needed.
pub unsafe fn discard(ptr: NonNull<u8>, bytes: usize) {
    // SAFETY: MADV_DONTNEED on a private anonymous mapping only drops its pages; the caller
    // no longer needs their contents.
    let result = unsafe { libc::madvise(ptr.as_ptr().cast(), bytes, libc::MADV_DONTNEED) };
    debug_assert_eq!(result, 0, "madvise failed");
}

/// The OS page size.
pub fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(size).unwrap_or(4096)
}

/// CPU time the calling thread has run (Linux: without the time its virtual CPU was
/// preempted, when the kernel accounts steal time). `Duration::ZERO` if the clock fails.
pub fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec, which `now` is.
    let result = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    if result != 0 {
        return Duration::ZERO;
    }
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}

/// Resident set size of this process, in bytes, from `/proc/self/statm` (Linux). For the
/// tests and benchmarks that show memory going back to the OS.
pub fn resident_bytes() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * page_size())
}
