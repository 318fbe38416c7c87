//! Claiming: one atomic read-modify-write decides which worker owns a bit or an index.

use crate::sync::{AtomicU64, AtomicUsize, Ordering};

/// Sets the bits `mask` in `word`; returns those this call set. Each bit is returned to
/// exactly one caller among any that race on it, so a marker traces an object only if it
/// claimed its mark bit, and each object is traced once. Several bits of one word (the
/// marks of neighbouring objects, reached together when an array of them is traced) are
/// claimed with one locked instruction, which costs far more than a plain store (paper
/// §3.11). A plain load first skips that instruction when every bit is set already (shared
/// strings, metatables), the common case in real heaps. Relaxed suffices: the winner's
/// tracing reads the object, which was written before marking began (stop-the-world),
/// not by the other markers.
#[inline]
pub fn claim_bits(word: &AtomicU64, mask: u64) -> u64 {
    let unset = mask & !word.load(Ordering::Relaxed);
    if unset == 0 {
        return 0;
    }
    unset & !word.fetch_or(unset, Ordering::Relaxed)
}

/// Runs `work` on every index in `0..count` that this worker claims from `cursor`, in
/// increasing order, and returns the results tagged with their index. Several workers
/// sharing one cursor process each index exactly once between them.
pub fn claim_indices<R>(
    count: usize,
    cursor: &AtomicUsize,
    mut work: impl FnMut(usize) -> R,
) -> Vec<(usize, R)> {
    let mut results = Vec::new();
    loop {
        let index = cursor.fetch_add(1, Ordering::Relaxed);
        if index >= count {
            return results;
        }
        results.push((index, work(index)));
    }
}
