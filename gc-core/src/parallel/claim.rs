//! Claiming: one atomic read-modify-write decides which worker owns a bit or an index.

use crate::sync::{AtomicU64, AtomicUsize, Ordering};

/// Sets `bit` in `word`; true for exactly one caller among any that race on it. A marker
/// traces an object only if it claimed its mark bit, so each object is traced once.
/// A plain load first skips the locked instruction for objects already marked (shared
/// strings, metatables), the common case in real heaps. Relaxed suffices: the winner's
/// tracing reads the object, which was written before marking began (stop-the-world), not
/// by the other markers.
#[inline]
pub fn claim_bit(word: &AtomicU64, bit: u64) -> bool {
    word.load(Ordering::Relaxed) & bit == 0 && word.fetch_or(bit, Ordering::Relaxed) & bit == 0
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
