//! The sequential marker: a [`Tracer`] that sets mark bits and keeps a gray stack.
//!
//! Tri-color invariant while it runs: a block is white (mark bit clear), gray (marked and
//! on the gray stack) or black (marked and traced). `mark` turns white into gray; `drain`
//! turns gray into black by tracing. When the stack is empty every reachable block is black.
//! Leaf blocks skip gray: they have nothing to trace.

use std::sync::atomic::Ordering;

use crate::heap::arena::{cell_of, is_huge, Arena, ArenaKind, Bitmaps, CELLS_PER_ARENA, CELL_SIZE};
use crate::heap::bitmap::next_set_bit;
use crate::heap::large_object_space::LargeObjectSpace;
use crate::mark::MarkOutcome;
use crate::object_model::{ObjectModel, ObjectRef, Tracer};

/// Marks blocks and traces objects, one thread.
pub struct Marker<'h> {
    gray_stack: &'h mut Vec<ObjectRef>,
    large_objects: &'h LargeObjectSpace,
    outcome: MarkOutcome,
}

impl<'h> Marker<'h> {
    /// A marker over the heap whose large-object space is `large_objects`.
    pub fn new(large_objects: &'h LargeObjectSpace, gray_stack: &'h mut Vec<ObjectRef>) -> Self {
        gray_stack.clear();
        Marker {
            gray_stack,
            large_objects,
            outcome: MarkOutcome::default(),
        }
    }

    /// Traces gray objects until none is left.
    pub fn drain<M: ObjectModel>(&mut self) {
        while let Some(obj) = self.gray_stack.pop() {
            // SAFETY: only traversable blocks are pushed, and marking runs on live objects
            // of this heap, which the VM initialised (ObjectModel contract).
            unsafe {
                self.outcome.live_bytes += u64::from(obj.header().cells()) * CELL_SIZE as u64;
                M::trace(obj, self);
            }
        }
    }

    /// What was marked so far.
    pub fn outcome(&self) -> MarkOutcome {
        self.outcome
    }

    #[inline(never)]
    fn mark_huge(&mut self, obj: ObjectRef) {
        let block = self
            .large_objects
            .get(obj.addr())
            .expect("reference to a huge block that does not exist");
        if block.mark() {
            self.outcome.live_objects += 1;
            self.outcome.live_bytes += block.mapping_bytes as u64;
            if block.traversable {
                self.gray_stack.push(obj);
            }
        }
    }
}

/// The size in bytes of the block starting at `cell`: up to the next block or free start.
#[inline]
pub(crate) fn block_bytes(bitmaps: &Bitmaps<'_>, cell: usize) -> u64 {
    let end = next_set_bit(
        |w| bitmaps.block[w].load(Ordering::Relaxed) | bitmaps.mark[w].load(Ordering::Relaxed),
        cell + 1,
        CELLS_PER_ARENA,
    );
    ((end - cell) * CELL_SIZE) as u64
}

impl Tracer for Marker<'_> {
    #[inline]
    fn mark(&mut self, obj: ObjectRef) {
        let addr = obj.addr();
        if is_huge(addr) {
            return self.mark_huge(obj);
        }
        let arena = Arena::containing(addr);
        let cell = cell_of(addr);
        // SAFETY: obj is a block of a live arena of this heap (Roots and ObjectModel
        // contracts); during marking nobody holds an exclusive view of the bitmaps.
        let bitmaps = unsafe { arena.bitmaps() };
        let word = &bitmaps.mark[cell >> 6];
        let bit = 1u64 << (cell & 63);
        let old = word.load(Ordering::Relaxed);
        if old & bit != 0 {
            return;
        }
        debug_assert!(
            bitmaps.block[cell >> 6].load(Ordering::Relaxed) & bit != 0,
            "marking a block that is not allocated: {addr:#x}"
        );
        // One marking thread: a plain read-modify-write is enough.
        word.store(old | bit, Ordering::Relaxed);
        self.outcome.live_objects += 1;
        // SAFETY: the arena is live.
        if unsafe { arena.header() }.kind == ArenaKind::Objects {
            self.gray_stack.push(obj);
        } else {
            self.outcome.live_bytes += block_bytes(&bitmaps, cell);
        }
    }
}
