//! A small FIFO between a gray stack and tracing: each object is prefetched when it enters
//! and traced [`DISTANCE`] pops later, by which time its header has had that many traces'
//! worth of time to arrive from memory. Marking is bound by cache misses; this hides most
//! of the one on the object itself.

use crate::heap::arena::{cell_of, is_huge, ARENA_MASK, BITMAP_BYTES};
use crate::object_model::ObjectRef;

/// How many objects wait between the gray stack and tracing.
const DISTANCE: usize = 8;

/// The FIFO. Empty when `len` is 0.
#[derive(Default)]
pub(crate) struct PrefetchQueue {
    slots: [Option<ObjectRef>; DISTANCE],
    next: usize,
    len: usize,
}

impl PrefetchQueue {
    /// Enqueues `incoming` (prefetching it) and returns the object that entered `DISTANCE`
    /// calls ago, if any.
    #[inline(always)]
    pub fn exchange(&mut self, incoming: Option<ObjectRef>) -> Option<ObjectRef> {
        if let Some(obj) = incoming {
            prefetch(obj);
            self.len += 1;
        }
        let out = std::mem::replace(&mut self.slots[self.next], incoming);
        self.next = (self.next + 1) % DISTANCE;
        self.len -= usize::from(out.is_some());
        out
    }

    /// Whether no object is waiting.
    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Asks the CPU to start loading an object's first cache line.
#[inline(always)]
fn prefetch(obj: ObjectRef) {
    prefetch_address(obj.addr());
}

/// Asks the CPU to start loading the cache line at `addr`.
#[inline(always)]
pub(crate) fn prefetch_address(addr: usize) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint: it never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(addr as *const i8)
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

/// Pops `stack` through a [`PrefetchQueue`] until both are empty, calling `trace` on each
/// object; `trace` may push onto the stack (it gets it back as its first argument).
#[inline(always)]
pub(crate) fn drain_prefetching<S>(
    state: &mut S,
    stack: impl Fn(&mut S) -> &mut Vec<ObjectRef>,
    mut trace: impl FnMut(&mut S, ObjectRef),
) {
    let mut queue = PrefetchQueue::default();
    loop {
        let incoming = stack(state).pop();
        match queue.exchange(incoming) {
            Some(obj) => trace(state, obj),
            None if incoming.is_none() && queue.is_empty() => return,
            None => {}
        }
    }
}
