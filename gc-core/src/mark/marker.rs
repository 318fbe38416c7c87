//! The sequential marker: a [`Tracer`] that sets mark bits and keeps a gray stack.
//!
//! Tri-color invariant while it runs: a block is white (mark bit clear), gray (marked and
//! on the gray stack) or black (marked and traced). `mark` turns white into gray; `drain`
//! turns gray into black by tracing. When the stack is empty every reachable block is black.
//! Leaf blocks skip gray: they have nothing to trace.

use std::sync::atomic::Ordering;

use crate::heap::arena::{cell_of, is_huge, Arena, ArenaKind, CELL_SIZE};
use crate::heap::large_object_space::LargeObjectSpace;
use crate::mark::{is_marked, MarkOutcome};
use crate::object_model::{Liveness, ObjectModel, ObjectRef, Tracer, Weakness};

/// Marks blocks and traces objects, one thread.
pub struct Marker<'h> {
    gray_stack: &'h mut Vec<ObjectRef>,
    large_objects: &'h LargeObjectSpace,
    outcome: MarkOutcome,
    /// Every weak object traced this cycle, to revisit (ephemerons) and clear.
    weak_objects: Vec<(ObjectRef, Weakness)>,
}

impl<'h> Marker<'h> {
    /// A marker over the heap whose large-object space is `large_objects`.
    pub fn new(large_objects: &'h LargeObjectSpace, gray_stack: &'h mut Vec<ObjectRef>) -> Self {
        gray_stack.clear();
        Marker {
            gray_stack,
            large_objects,
            outcome: MarkOutcome::default(),
            weak_objects: Vec::new(),
        }
    }

    /// Traces gray objects until none is left.
    ///
    /// Objects pass through a small FIFO between the gray stack and tracing, and are
    /// prefetched on entry: by the time one is traced its header has had
    /// `PREFETCH_DISTANCE` traces' worth of time to arrive from memory.
    pub fn drain<M: ObjectModel>(&mut self) {
        let mut fifo = [None::<ObjectRef>; PREFETCH_DISTANCE];
        let mut next = 0;
        loop {
            let incoming = self.gray_stack.pop();
            if let Some(obj) = incoming {
                prefetch(obj);
            }
            let Some(obj) = std::mem::replace(&mut fifo[next], incoming) else {
                if self.gray_stack.is_empty() && fifo.iter().all(Option::is_none) {
                    return;
                }
                next = (next + 1) % PREFETCH_DISTANCE;
                continue;
            };
            next = (next + 1) % PREFETCH_DISTANCE;
            // SAFETY: only traversable blocks are pushed, and marking runs on live objects
            // of this heap, which the VM initialised (ObjectModel contract).
            unsafe {
                self.outcome.live_bytes += u64::from(obj.header().cells()) * CELL_SIZE as u64;
                match M::weakness(obj) {
                    Weakness::Strong => M::trace(obj, self),
                    weakness => {
                        self.weak_objects.push((obj, weakness));
                        M::trace_weak(obj, weakness, self);
                    }
                }
            }
        }
    }

    /// Revisits weak-key objects until no more values become reachable: a value an
    /// ephemeron holds is live once its key is, and marking it may make other keys live.
    /// Each pass costs one visit per weak object; passes repeat only while they mark.
    pub fn converge_ephemerons<M: ObjectModel>(&mut self) {
        loop {
            let before = self.outcome.live_objects;
            let mut i = 0;
            while let Some(&(obj, weakness)) = self.weak_objects.get(i) {
                if weakness == Weakness::WeakKeys {
                    // SAFETY: weak objects were reached by this marking, so they are live,
                    // initialised traversable objects.
                    unsafe { M::trace_weak(obj, weakness, self) };
                    self.drain::<M>();
                }
                i += 1;
            }
            if self.outcome.live_objects == before {
                return;
            }
        }
    }

    /// Removes dead entries from every weak object traced this cycle.
    pub fn clear_weak_objects<M: ObjectModel, L: Liveness>(&self, liveness: &L) {
        for &(obj, weakness) in &self.weak_objects {
            // SAFETY: as in `converge_ephemerons`; the sweep has not freed anything yet.
            unsafe { M::clear_weak(obj, weakness, liveness) };
        }
    }

    /// What was marked so far.
    pub fn outcome(&self) -> MarkOutcome {
        self.outcome
    }

    fn is_allocated(&self, addr: usize) -> bool {
        // SAFETY: as in `mark`.
        unsafe { Arena::containing(addr).bitmaps() }.is_allocated(cell_of(addr))
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

impl Liveness for Marker<'_> {
    #[inline]
    fn is_live(&self, obj: ObjectRef) -> bool {
        is_marked(self.large_objects, obj)
    }
}

/// How many objects wait between the gray stack and tracing (see [`Marker::drain`]).
const PREFETCH_DISTANCE: usize = 8;

/// Asks the CPU to start loading an object's first cache line.
#[inline(always)]
fn prefetch(obj: ObjectRef) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint: it never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            obj.as_ptr() as *const i8
        )
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = obj;
}

impl Tracer for Marker<'_> {
    #[inline]
    fn mark(&mut self, obj: ObjectRef) {
        let addr = obj.addr();
        if is_huge(addr) {
            return self.mark_huge(obj);
        }
        // SAFETY: obj is a block of a live arena of this heap (Roots and ObjectModel
        // contracts); during marking nobody holds an exclusive view of the bitmaps.
        let (word, bit) = unsafe { Arena::mark_word(addr) };
        let old = word.load(Ordering::Relaxed);
        if old & bit != 0 {
            return;
        }
        debug_assert!(
            self.is_allocated(addr),
            "marking a block that is not allocated: {addr:#x}"
        );
        // One marking thread: a plain read-modify-write is enough.
        word.store(old | bit, Ordering::Relaxed);
        self.outcome.live_objects += 1;
        let arena = Arena::containing(addr);
        // SAFETY: the arena is live, and only shared views of its bitmaps exist.
        if unsafe { arena.header() }.kind == ArenaKind::Objects {
            self.gray_stack.push(obj);
        } else {
            let cell = cell_of(addr);
            // SAFETY: as above.
            let end = unsafe { arena.bitmaps() }.next_start(cell + 1);
            self.outcome.live_bytes += ((end - cell) * CELL_SIZE) as u64;
        }
    }
}
