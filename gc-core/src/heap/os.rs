//! Memory from the operating system: size-aligned anonymous mappings, returned whole.
//!
//! Invariant: every region this module hands out is aligned to the requested power of two
//! and zero-filled (fresh anonymous memory, or memory `discard` gave back to the kernel).
//! This is one of the few modules with `unsafe`: it calls mmap, munmap and madvise.

use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Where the process's mappings are asked for first: from here up, in the order they are
/// made, so that a run that makes the same mappings gets the same addresses whatever the
/// address-space randomisation (the Lua VM hashes table keys by address: with addresses
/// chosen by the kernel, the same program resized its tables differently from run to run).
/// 32 TiB: far above the executable, its heap and (x86-64) AddressSanitizer's shadow
/// memory, far below the kernel's top-down mappings and the stacks.
const HINT_BASE: usize = 0x2000_0000_0000;

/// Where hinted mappings stop (at 80 TiB), leaving the top of a 47-bit address space to
/// the kernel's own choices; past it, mappings go wherever the kernel puts them.
const HINT_END: usize = 0x5000_0000_0000;

/// The next address a mapping is asked for (see [`HINT_BASE`]). It advances with every
/// mapping (an unmapped range is not asked for again, so the addresses depend on the
/// mappings made, not on which were given back), and starts again from `HINT_BASE` when
/// the process holds no mapping of this module: a process that makes heap after heap (a
/// fuzzer, a test) gives each the addresses it would get alone, and does not spread
/// over the address space (AddressSanitizer keeps the shadow of every range it saw).
static NEXT_HINT: AtomicUsize = AtomicUsize::new(HINT_BASE);

/// Bytes mapped by this module and not yet unmapped.
static MAPPED: AtomicUsize = AtomicUsize::new(0);

/// Maps `bytes` of zeroed memory aligned to `align` (a power of two, a multiple of the page
/// size). The next address of the process's sequence is tried first (see [`HINT_BASE`]);
/// if it is taken, this over-maps by `align` wherever the kernel chooses and trims both
/// ends, so the kernel keeps exactly `bytes`. Returns `None` when the kernel refuses.
pub fn map_aligned(bytes: usize, align: usize) -> Option<NonNull<u8>> {
    debug_assert!(align.is_power_of_two() && bytes.is_multiple_of(page_size()));
    let region = map_at_next_hint(bytes, align).or_else(|| map_anywhere(bytes, align))?;
    // The heap computes addresses inside its mappings as integers and turns them back
    // into pointers with this provenance (`arena::heap_ptr`).
    region.as_ptr().expose_provenance();
    MAPPED.fetch_add(bytes, Ordering::Relaxed);
    Some(region)
}

/// Maps `bytes` at the next hinted address, aligned to `align`; `None` if the range is
/// taken (nothing else is ever replaced) or the hints are used up.
fn map_at_next_hint(bytes: usize, align: usize) -> Option<NonNull<u8>> {
    let mut hint = 0;
    NEXT_HINT
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |next| {
            hint = next.checked_add(align - 1)? & !(align - 1);
            let end = hint.checked_add(bytes)?;
            (end <= HINT_END).then_some(end)
        })
        .ok()?;
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let no_replace = libc::MAP_FIXED_NOREPLACE;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let no_replace = 0;
    // SAFETY: an anonymous private mapping that, with MAP_FIXED_NOREPLACE, fails rather
    // than replace anything at the hint (and without it, the hint is only a hint):
    // it touches no existing memory.
    let raw = unsafe {
        libc::mmap(
            std::ptr::without_provenance_mut(hint),
            bytes,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE | no_replace,
            -1,
            0,
        )
    };
    if raw == libc::MAP_FAILED {
        return None;
    }
    if raw.addr() != hint {
        // A kernel that took the flag for a hint and put the mapping elsewhere.
        // SAFETY: the mapping was just made and nothing refers to it.
        unsafe { libc::munmap(raw, bytes) };
        return None;
    }
    NonNull::new(raw.cast())
}

/// Maps `bytes` aligned to `align` wherever the kernel chooses, by over-mapping.
fn map_anywhere(bytes: usize, align: usize) -> Option<NonNull<u8>> {
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
    let start = raw.addr();
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
            libc::munmap(raw.wrapping_byte_add(head + bytes), tail);
        }
    }
    NonNull::new(raw.cast::<u8>().wrapping_add(head))
}

/// Returns a region obtained from [`map_aligned`] (or a whole-page part of one) to the OS.
///
/// # Safety
/// `[ptr, ptr + bytes)` must be mapped by this module and nothing may use it afterwards.
pub unsafe fn unmap(ptr: NonNull<u8>, bytes: usize) {
    // A later mapping at this address must not inherit the sanitizer's poison.
    super::poison::unpoison(ptr.as_ptr().addr(), bytes);
    // SAFETY: the caller owns the range and gives it up.
    let result = unsafe { libc::munmap(ptr.as_ptr().cast(), bytes) };
    debug_assert_eq!(result, 0, "munmap failed");
    if MAPPED.fetch_sub(bytes, Ordering::Relaxed) == bytes {
        // Nothing mapped is left. A mapping another thread is making meanwhile may sit
        // at a hint handed out again: MAP_FIXED_NOREPLACE then refuses it and the
        // mapping goes elsewhere, so no range is ever mapped twice.
        NEXT_HINT.store(HINT_BASE, Ordering::Relaxed);
    }
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

/// Has the kernel back `[ptr, ptr + bytes)` with zeroed pages now, in one call
/// (Linux's `MADV_POPULATE_WRITE`), rather than one page fault per page at first touch.
/// Only worth it for memory about to be written whole. A kernel without it (before
/// 5.14) or short of memory leaves the pages to be faulted in as usual.
///
/// # Safety
/// `[ptr, ptr + bytes)` must be mapped by this module.
pub unsafe fn populate(ptr: NonNull<u8>, bytes: usize) {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    // SAFETY: populating a private anonymous mapping of ours only makes its pages
    // resident: their contents (zeros, or what was written) stay as they are.
    unsafe {
        libc::madvise(ptr.as_ptr().cast(), bytes, libc::MADV_POPULATE_WRITE);
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let _ = (ptr, bytes);
}

/// How many whole pages of `[addr, addr + bytes)` are resident (Linux: `mincore`), or
/// `None` if part of the range is not mapped: for the tests that show memory faulted in
/// at once, or left to fault in as it is used.
pub fn resident_pages(addr: usize, bytes: usize) -> Option<usize> {
    let page = page_size();
    let start = addr.next_multiple_of(page);
    let end = (addr + bytes) / page * page;
    if end <= start {
        return Some(0);
    }
    let mut pages = vec![0u8; (end - start) / page];
    // SAFETY: mincore reads no memory of the range (an unmapped one is an error, not a
    // fault) and writes one byte per page of it into `pages`, which has that many.
    let result = unsafe {
        libc::mincore(
            std::ptr::without_provenance_mut(start),
            end - start,
            pages.as_mut_ptr(),
        )
    };
    (result == 0).then(|| pages.iter().filter(|&&p| p & 1 != 0).count())
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
    cpu_clock(libc::CLOCK_THREAD_CPUTIME_ID)
}

/// CPU time all threads of the process have run, as [`thread_cpu_time`] counts it.
pub fn process_cpu_time() -> Duration {
    cpu_clock(libc::CLOCK_PROCESS_CPUTIME_ID)
}

fn cpu_clock(clock: libc::clockid_t) -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec, which `now` is.
    let result = unsafe { libc::clock_gettime(clock, &mut now) };
    if result != 0 {
        return Duration::ZERO;
    }
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}

/// Bytes in the free chunks the C library's `malloc` holds (glibc's `mallinfo2`; 0
/// elsewhere, and in the sanitizer build, `gc_poison`, whose `malloc` is
/// AddressSanitizer's: glibc's bookkeeping there describes no heap and `mallinfo2` can
/// fault reading it): memory freed to `malloc` but not given back to the OS.
pub fn malloc_free_bytes() -> u64 {
    #[cfg(all(target_os = "linux", target_env = "gnu", not(gc_poison)))]
    {
        // SAFETY: mallinfo2 has no preconditions; it returns a plain struct.
        let info = unsafe { libc::mallinfo2() };
        info.fordblks as u64
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu", not(gc_poison))))]
    {
        0
    }
}

/// Resident set size of this process, in bytes, from `/proc/self/statm` (Linux). For the
/// tests and benchmarks that show memory going back to the OS.
pub fn resident_bytes() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * page_size())
}

/// Of this process's resident set, the bytes backed by files (Linux: `RssFile` of
/// `/proc/self/status`): the program's code and its shared libraries, pages of the page
/// cache that every process mapping them counts. What an interpreter's size costs, apart
/// from the memory its heap and structures take.
pub fn resident_file_bytes() -> Option<usize> {
    status_kb("RssFile:").map(|kb| kb * 1024)
}

/// The value of a `/proc/self/status` line counted in kB.
fn status_kb(key: &str) -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The largest resident set this process has had, in bytes (Linux: `VmHWM` of
/// `/proc/self/status`, what `getrusage` reports as `ru_maxrss`).
pub fn peak_resident_bytes() -> Option<usize> {
    status_kb("VmHWM:").map(|kb| kb * 1024)
}
