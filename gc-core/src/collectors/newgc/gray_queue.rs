//! Gray stacks, one per arena of traversable objects, holding 16-bit cell indices, and a
//! queue of arenas ordered by gray-stack size (largest first), as NewGC proposes: one
//! arena's stack is drained whole for locality, even though tracing marks into others.
//! Huge objects (cell offset 0) have a stack of their own, and so do the chunks of big
//! objects traced a part range at a time (`Gray::Chunk`), so that no single object makes
//! a step long.
//!
//! Invariants: the queue exists only while marking runs (every stack is empty at the
//! atomic phase's end), so arena indices, which the lazy sweep renumbers, stay valid for
//! as long as an entry refers to them. A non-empty stack other than the one being drained
//! has an entry in the queue: one is pushed each time its length reaches a power of two,
//! and stale entries (an emptied stack, an old size) are skipped when popped. Stale
//! entries pile up (a drained stack leaves all its older ones), and skipping them all in
//! one pop would be a long pause at the end of a big heap's marking: the queue is emptied
//! when no gray object is left, and rebuilt, one entry per non-empty stack, when it holds
//! more than `STALE_FACTOR` entries per non-empty stack.

use std::collections::BinaryHeap;

use crate::footprint::vec_bytes;
use crate::heap::arena::{cell_of, is_huge, Arena};
use crate::object_model::ObjectRef;

/// One unit of marking work.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) enum Gray {
    /// A reached object, to trace whole (or to start tracing by chunks).
    Object(ObjectRef),
    /// A big object whose parts from the first index on, up to the second or its part
    /// count, are still to trace.
    Chunk(ObjectRef, usize, usize),
}

/// The gray objects waiting to be traced.
#[derive(Default)]
pub(super) struct GrayQueue {
    /// Per arena (by index in the object space): cell indices of gray objects.
    stacks: Vec<Vec<u16>>,
    /// Per arena: the arena, to turn cell indices back into references.
    arenas: Vec<Option<Arena>>,
    /// Arenas by gray-stack size when queued: (size, arena index).
    queue: BinaryHeap<(u32, u32)>,
    /// Huge objects.
    huge: Vec<ObjectRef>,
    /// Big objects partly traced: the parts still to trace, from the first index up to
    /// the second (or the part count).
    chunks: Vec<(ObjectRef, usize, usize)>,
    /// The arena whose stack is being drained.
    current: Option<usize>,
    /// Arena stacks that are not empty.
    non_empty_stacks: usize,
    len: usize,
}

/// Queue entries per non-empty stack beyond which the queue is rebuilt (plus a constant,
/// so that small queues are never rebuilt).
const STALE_FACTOR: usize = 4;
const STALE_SLACK: usize = 1024;

impl GrayQueue {
    /// Adds a reached traversable object.
    #[inline]
    pub fn push(&mut self, obj: ObjectRef) {
        self.len += 1;
        let addr = obj.addr();
        if is_huge(addr) {
            self.huge.push(obj);
            return;
        }
        let arena = Arena::containing(addr);
        // SAFETY: obj is a block of a live object arena of this heap; its header word
        // is only written by the space, which does not run while marking does.
        let index = unsafe { arena.header() }.index as usize;
        if index >= self.stacks.len() {
            self.stacks.resize_with(index + 1, Vec::new);
            self.arenas.resize(index + 1, None);
        }
        self.arenas[index] = Some(arena);
        let stack = &mut self.stacks[index];
        stack.push(cell_of(addr) as u16);
        let len = stack.len();
        self.non_empty_stacks += usize::from(len == 1);
        if len.is_power_of_two() && self.current != Some(index) {
            self.queue.push((len as u32, index as u32));
            if self.queue.len() > STALE_FACTOR * self.non_empty_stacks + STALE_SLACK {
                self.rebuild_queue();
            }
        }
    }

    /// One entry per non-empty stack but the current one, by its size now.
    #[cold]
    fn rebuild_queue(&mut self) {
        let current = self.current;
        let entries = self.stacks.iter().enumerate().filter_map(|(index, stack)| {
            (!stack.is_empty() && current != Some(index))
                .then_some((stack.len() as u32, index as u32))
        });
        self.queue = entries.collect();
    }

    /// Bytes of the queue's buffers (they keep their capacity from cycle to cycle).
    pub fn memory_bytes(&self) -> u64 {
        let stacks: u64 = self.stacks.iter().map(vec_bytes).sum();
        stacks
            + vec_bytes(&self.stacks)
            + vec_bytes(&self.arenas)
            + (self.queue.capacity() * std::mem::size_of::<(u32, u32)>()) as u64
            + vec_bytes(&self.huge)
            + vec_bytes(&self.chunks)
    }

    /// Adds parts `next..end` of a big object (`end` is cut to its part count when they
    /// are traced; `usize::MAX` for all the rest).
    pub fn push_chunk(&mut self, obj: ObjectRef, next: usize, end: usize) {
        self.len += 1;
        self.chunks.push((obj, next, end));
    }

    /// The next unit of work: from the arena being drained, else a chunk, else a huge
    /// object, else the top of the largest queued stack. Always inlined: it is the
    /// marking loop's hot path, which the compiler left out of line once it had a
    /// second caller (the step's helpers).
    #[inline(always)]
    pub fn pop(&mut self) -> Option<Gray> {
        loop {
            if let Some(index) = self.current {
                let stack = &mut self.stacks[index];
                if let Some(cell) = stack.pop() {
                    self.len -= 1;
                    self.non_empty_stacks -= usize::from(stack.is_empty());
                    // SAFETY: a non-empty stack's arena is recorded, and the cell it
                    // holds is a live object block of it (never at address 0).
                    let obj = unsafe {
                        let arena = self.arenas[index].unwrap_unchecked();
                        ObjectRef::from_ptr(arena.cell_ptr(usize::from(cell))).unwrap_unchecked()
                    };
                    return Some(Gray::Object(obj));
                }
                self.current = None;
            }
            if self.len == 0 {
                // Every entry left is stale.
                self.queue.clear();
                return None;
            }
            if let Some((obj, next, end)) = self.chunks.pop() {
                self.len -= 1;
                return Some(Gray::Chunk(obj, next, end));
            }
            if let Some(obj) = self.huge.pop() {
                self.len -= 1;
                return Some(Gray::Object(obj));
            }
            let (_, index) = self.queue.pop()?;
            if !self.stacks[index as usize].is_empty() {
                self.current = Some(index as usize);
            }
        }
    }

    /// Drops every gray object (a marking given up), keeping the buffers' capacity.
    pub fn clear(&mut self) {
        for stack in &mut self.stacks {
            stack.clear();
        }
        self.arenas.fill(None);
        self.queue.clear();
        self.huge.clear();
        self.chunks.clear();
        self.current = None;
        self.non_empty_stacks = 0;
        self.len = 0;
    }

    /// Whether no gray object waits.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many units of work wait (objects and chunks).
    pub fn len(&self) -> usize {
        self.len
    }

    /// The big objects partly traced, with the first part not yet traced (for the
    /// verifier).
    pub fn chunks(&self) -> impl Iterator<Item = (ObjectRef, usize)> + '_ {
        self.chunks.iter().map(|&(obj, next, _)| (obj, next))
    }

    /// Every waiting object (for the verifier).
    pub fn objects(&self) -> impl Iterator<Item = ObjectRef> + '_ {
        let arena_objects = self
            .stacks
            .iter()
            .zip(&self.arenas)
            .filter_map(|(stack, arena)| Some((stack, (*arena)?)))
            .flat_map(|(stack, arena)| {
                stack.iter().map(move |&cell| {
                    // SAFETY: the cells on an arena's stack are live object blocks of it.
                    unsafe { ObjectRef::from_ptr(arena.cell_ptr(usize::from(cell))) }
                        .expect("arena cells are not null")
                })
            });
        arena_objects
            .chain(self.huge.iter().copied())
            .chain(self.chunks.iter().map(|&(obj, _, _)| obj))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collector::HeapConfig;
    use crate::heap::arena::ArenaKind;
    use crate::heap::Heap;

    fn alloc(heap: &mut Heap, bytes: usize) -> ObjectRef {
        heap.alloc_growing(ArenaKind::Objects, 1, bytes, 0).unwrap()
    }

    /// Objects come back exactly once each, the bigger arena's stack first and whole.
    #[test]
    fn drains_the_largest_arena_first_and_returns_everything_once() {
        let mut heap = Heap::new(&HeapConfig::default());
        let objects: Vec<ObjectRef> = (0..10_000).map(|_| alloc(&mut heap, 64)).collect();
        let first_arena = Arena::containing(objects[0].addr());
        let in_first: Vec<_> = objects
            .iter()
            .filter(|o| Arena::containing(o.addr()) == first_arena)
            .collect();
        let in_others: Vec<_> = objects
            .iter()
            .filter(|o| Arena::containing(o.addr()) != first_arena)
            .take(3)
            .collect();
        assert!(in_first.len() > 100 && in_others.len() == 3);
        let mut queue = GrayQueue::default();
        for &&o in &in_others {
            queue.push(o);
        }
        for &&o in &in_first {
            queue.push(o);
        }
        assert_eq!(queue.objects().count(), in_first.len() + 3);
        let popped: Vec<ObjectRef> = std::iter::from_fn(|| queue.pop())
            .map(|gray| match gray {
                Gray::Object(obj) => obj,
                Gray::Chunk(..) => unreachable!("no chunk was pushed"),
            })
            .collect();
        assert!(queue.is_empty());
        assert!(popped[..in_first.len()]
            .iter()
            .all(|o| Arena::containing(o.addr()) == first_arena));
        let mut sorted = popped.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), popped.len());
    }

    /// Stale entries stay bounded: drained stacks leave theirs behind, refilled stacks
    /// add more, and the queue is rebuilt before it holds `STALE_FACTOR` entries per
    /// non-empty stack (plus the slack), still returning every object once.
    #[test]
    fn stale_entries_stay_bounded() {
        let mut heap = Heap::new(&HeapConfig::default());
        // 64 objects in each of 200 arenas (1 KB objects, about 250 to an arena).
        let mut by_arena: Vec<Vec<ObjectRef>> = Vec::new();
        let mut last_arena = None;
        while by_arena.len() < 200 {
            let obj = alloc(&mut heap, 1024);
            let arena = Arena::containing(obj.addr());
            if last_arena != Some(arena) {
                last_arena = Some(arena);
                by_arena.push(Vec::new());
            }
            let objects = by_arena.last_mut().expect("pushed above");
            if objects.len() < 64 {
                objects.push(obj);
            }
        }
        let mut queue = GrayQueue::default();
        let bounded = |queue: &GrayQueue| {
            queue.queue.len() <= STALE_FACTOR * queue.non_empty_stacks + STALE_SLACK
        };
        let mut pushed = 0;
        for objects in &by_arena {
            for &obj in objects {
                queue.push(obj);
                pushed += 1;
            }
        }
        let mut popped = Vec::new();
        // Drain about half the stacks (each leaves six stale entries), refill them all,
        // three times over.
        for _ in 0..3 {
            for _ in 0..100 * 64 {
                match queue.pop() {
                    Some(Gray::Object(obj)) => popped.push(obj),
                    other => panic!("expected an object, got {other:?}"),
                }
            }
            for objects in &by_arena {
                for &obj in objects {
                    queue.push(obj);
                    pushed += 1;
                    assert!(bounded(&queue), "{} entries", queue.queue.len());
                }
            }
        }
        while let Some(gray) = queue.pop() {
            match gray {
                Gray::Object(obj) => popped.push(obj),
                Gray::Chunk(..) => unreachable!("no chunk was pushed"),
            }
        }
        assert!(queue.is_empty() && queue.queue.is_empty());
        assert_eq!(queue.non_empty_stacks, 0);
        assert_eq!(popped.len(), pushed);
    }
}
