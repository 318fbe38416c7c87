//! The sequential store buffer: the objects the write barrier found black, in the order
//! it found them, to be traced again (in generational mode, the remembered set).
//!
//! It is a stack of fixed-size segments, so that it grows without copying: in
//! generational mode it holds every old object written since the last minor cycle, a
//! million and more, and doubling a vector of that size would copy it all inside one
//! barrier call. Invariant: every segment but the last is full, and `len` counts the
//! entries of all of them.

use crate::footprint::vec_bytes;
use crate::object_model::ObjectRef;

/// Entries per segment (32 KB: below the allocator's threshold for a mapping of its own).
const SEGMENT: usize = 4096;

/// Emptied segments kept for reuse at most (the rest are freed).
const SPARE_SEGMENTS: usize = 64;

/// The SSB.
#[derive(Default)]
pub(super) struct Ssb {
    segments: Vec<Vec<ObjectRef>>,
    spare: Vec<Vec<ObjectRef>>,
    len: usize,
}

impl Ssb {
    /// Records `obj`.
    #[inline]
    pub fn push(&mut self, obj: ObjectRef) {
        match self.segments.last_mut() {
            Some(segment) if segment.len() < SEGMENT => segment.push(obj),
            _ => self.push_in_new_segment(obj),
        }
        self.len += 1;
    }

    #[cold]
    fn push_in_new_segment(&mut self, obj: ObjectRef) {
        let mut segment = self
            .spare
            .pop()
            .unwrap_or_else(|| Vec::with_capacity(SEGMENT));
        segment.push(obj);
        self.segments.push(segment);
    }

    /// Removes up to `max` entries, the newest first, giving each to `take`.
    pub fn pop_into(&mut self, max: usize, mut take: impl FnMut(ObjectRef)) {
        let mut left = max;
        while left > 0 {
            let Some(segment) = self.segments.last_mut() else {
                return;
            };
            let n = left.min(segment.len());
            for obj in segment.drain(segment.len() - n..).rev() {
                take(obj);
            }
            left -= n;
            self.len -= n;
            if segment.is_empty() {
                let empty = self.segments.pop().expect("the last segment");
                if self.spare.len() < SPARE_SEGMENTS {
                    self.spare.push(empty);
                }
            }
        }
    }

    /// Forgets every entry.
    pub fn clear(&mut self) {
        self.pop_into(usize::MAX, |_| {});
    }

    /// Entries waiting.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no entry waits.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes of the segments held, spare ones included.
    pub fn memory_bytes(&self) -> u64 {
        let segments = self.segments.iter().chain(&self.spare);
        segments.map(vec_bytes).sum::<u64>() + vec_bytes(&self.segments) + vec_bytes(&self.spare)
    }

    /// Every entry (for the verifier).
    pub fn iter(&self) -> impl Iterator<Item = ObjectRef> + '_ {
        self.segments.iter().flatten().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(i: usize) -> ObjectRef {
        // SAFETY: the SSB only stores and returns these references as identities: they
        // are never dereferenced nor handed to a collector.
        unsafe { ObjectRef::from_ptr(std::ptr::without_provenance_mut((i + 1) * 16)) }
            .expect("not null")
    }

    /// Entries come back newest first, in batches across segment boundaries, each once;
    /// emptied segments are reused.
    #[test]
    fn batches_cross_segments_newest_first() {
        let mut ssb = Ssb::default();
        let n = 3 * SEGMENT + 5;
        for i in 0..n {
            ssb.push(obj(i));
        }
        assert_eq!(ssb.len, n);
        assert_eq!(ssb.segments.len(), 4);
        assert_eq!(ssb.iter().count(), n);
        let mut popped = Vec::new();
        ssb.pop_into(SEGMENT + 10, |o| popped.push(o));
        assert_eq!(popped.len(), SEGMENT + 10);
        assert_eq!(popped[0], obj(n - 1), "newest first");
        assert_eq!(ssb.len, n - SEGMENT - 10);
        assert_eq!(ssb.spare.len(), 2, "two segments emptied");
        ssb.pop_into(usize::MAX, |o| popped.push(o));
        assert!(ssb.is_empty() && ssb.segments.is_empty());
        popped.sort();
        popped.dedup();
        assert_eq!(popped.len(), n);
        ssb.push(obj(0));
        assert_eq!(ssb.spare.len(), 3, "a spare segment was reused");
    }
}
