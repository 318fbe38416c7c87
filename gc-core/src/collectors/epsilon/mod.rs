//! `epsilon`: allocates on the NewGC heap and never frees.
//!
//! The allocation paths are the same as `stw`'s, so the difference between the two is what
//! collecting costs and what reusing memory saves. A full collection is a no-op; past the
//! heap limit allocation fails at once.

use std::marker::PhantomData;

use crate::collector::{Collector, HeapConfig, OutOfMemory};
use crate::finalizers::FinalizerQueue;
use crate::heap::arena::ArenaKind;
use crate::heap::Heap;
use crate::object_model::{ObjectModel, ObjectRef, Roots};
use crate::stats::{HeapSizes, PauseLog, Stats};
use crate::verify::{verify_heap, VerifyError};

/// The collector's name.
pub const NAME: &str = "epsilon";

/// The never-collecting collector over the object model `M`.
pub struct Epsilon<M> {
    heap: Heap,
    finalizers: FinalizerQueue,
    pauses: PauseLog,
    model: PhantomData<M>,
}

impl<M: ObjectModel> Epsilon<M> {
    /// The heap, for tools that inspect it.
    pub fn heap(&self) -> &Heap {
        &self.heap
    }
}

impl<M: ObjectModel> Collector<M> for Epsilon<M> {
    const NAME: &'static str = NAME;
    const DESCRIPTION: &'static str = "the NewGC heap, never collected: a reference point";
    const COLLECTS: bool = false;

    fn new(config: HeapConfig) -> Self {
        Epsilon {
            heap: Heap::new(&config),
            finalizers: FinalizerQueue::default(),
            pauses: PauseLog::new(&config),
            model: PhantomData,
        }
    }

    #[inline(always)]
    fn alloc_object<R: Roots>(
        &mut self,
        kind: u8,
        bytes: usize,
        _roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        self.heap.alloc_growing(ArenaKind::Objects, kind, bytes, 0)
    }

    #[inline(always)]
    fn alloc_leaf<R: Roots>(
        &mut self,
        bytes: usize,
        _roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        self.heap.alloc_growing(ArenaKind::Leaves, 0, bytes, 0)
    }

    #[inline(always)]
    unsafe fn write_barrier(&mut self, _obj: ObjectRef) {}

    fn collect<R: Roots>(&mut self, _roots: &mut R) {}

    unsafe fn register_finalizer(&mut self, obj: ObjectRef) {
        self.finalizers.register(obj);
    }

    /// Nothing is ever found dead, so nothing is ever pending.
    fn take_pending_finalizers(&mut self) -> Vec<ObjectRef> {
        Vec::new()
    }

    fn take_all_finalizers(&mut self) -> Vec<ObjectRef> {
        self.finalizers.take_all()
    }

    /// Epsilon never collects by itself, whatever the pause.
    fn set_pause(&mut self, _percent: u32) {}

    /// Epsilon never collects by itself.
    fn set_auto_collect(&mut self, _enabled: bool) {}

    fn set_heap_limit(&mut self, limit: Option<usize>) {
        self.heap.set_limit(limit);
    }

    fn heap_limit(&self) -> Option<usize> {
        self.heap.limit()
    }

    /// The heap never shrinks, so its peak footprint is its footprint now.
    fn stats(&self) -> Stats {
        let footprint = self.heap.footprint(self.pauses.memory_bytes());
        self.pauses.stats(HeapSizes {
            footprint_at_peak: footprint.with_rss_now(),
            ..self.heap.sizes()
        })
    }

    fn heap_bytes(&self) -> u64 {
        self.heap.heap_bytes()
    }

    fn contains(&self, obj: ObjectRef) -> bool {
        self.heap.contains(obj)
    }

    fn verify<R: Roots>(&mut self, roots: &mut R) -> Result<(), VerifyError> {
        verify_heap::<M, R>(&self.heap, roots)
    }
}
