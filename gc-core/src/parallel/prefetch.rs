//! A small FIFO between a gray stack and tracing: each object is prefetched when it enters
//! and traced [`DISTANCE`] pops later, by which time its header has had that many traces'
//! worth of time to arrive from memory. Marking is bound by cache misses; this hides most
//! of the one on the object itself.
//!
//! Generic over what is queued ([`Prefetch`]), so that the parallel mark driver, which
//! drains through it, also runs on loom's model heaps.

/// How many objects wait between the gray stack and tracing.
const DISTANCE: usize = 8;

/// Something whose memory can be asked for ahead of its use.
pub trait Prefetch: Copy {
    /// Asks the CPU to start loading what tracing `self` reads first (a hint: it never
    /// faults).
    fn prefetch(self);
}

/// The FIFO. Empty when `len` is 0.
pub(crate) struct PrefetchQueue<T> {
    slots: [Option<T>; DISTANCE],
    next: usize,
    len: usize,
}

impl<T> Default for PrefetchQueue<T> {
    fn default() -> Self {
        PrefetchQueue {
            slots: std::array::from_fn(|_| None),
            next: 0,
            len: 0,
        }
    }
}

impl<T: Prefetch> PrefetchQueue<T> {
    /// Enqueues `incoming` (prefetching it) and returns the object that entered `DISTANCE`
    /// calls ago, if any.
    #[inline(always)]
    pub fn exchange(&mut self, incoming: Option<T>) -> Option<T> {
        if let Some(obj) = incoming {
            obj.prefetch();
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

/// Pops objects with `pop` through a [`PrefetchQueue`] until it gives none and the queue
/// is empty, calling `trace` on each; `trace` may add objects for `pop` to give (both get
/// `state` as their first argument). A `pop` that gives none with objects still to come
/// (a bounded step that ran out) ends the drain once the queued few are traced.
#[inline(always)]
pub(crate) fn drain_prefetching<S, T: Prefetch>(
    state: &mut S,
    mut pop: impl FnMut(&mut S) -> Option<T>,
    mut trace: impl FnMut(&mut S, T),
) {
    let mut queue = PrefetchQueue::default();
    loop {
        let incoming = pop(state);
        let waiting = incoming.is_some();
        match queue.exchange(incoming) {
            Some(obj) => trace(state, obj),
            None if !waiting && queue.is_empty() => return,
            None => {}
        }
    }
}
