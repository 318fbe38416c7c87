//! `stw`: stop-the-world collection on the NewGC heap.
//!
//! A cycle marks from the roots with a gray stack, then runs the bitmap major sweep over
//! every arena and the large-object space. It runs when the heap reaches `pause_percent` of
//! the previous cycle's live heap (Lua's pause), or when the heap limit is reached. There is
//! no incremental marking, so no barrier: the write barrier is empty and compiles away.

mod cycle;

use std::marker::PhantomData;

use crate::collector::{Collector, HeapConfig, OutOfMemory};
use crate::finalizers::FinalizerQueue;
use crate::heap::arena::ArenaKind;
use crate::heap::{GrowthPolicy, Heap};
use crate::object_model::{ObjectModel, ObjectRef, Roots};
use crate::stats::{PauseLog, Stats};
use crate::verify::{verify_heap, VerifyError};

/// The collector's name.
pub const NAME: &str = "stw";

/// The stop-the-world collector over the object model `M`.
pub struct Stw<M> {
    heap: Heap,
    config: HeapConfig,
    gray_stack: Vec<ObjectRef>,
    finalizers: FinalizerQueue,
    pauses: PauseLog,
    auto_collect: bool,
    model: PhantomData<M>,
}

impl<M: ObjectModel> Stw<M> {
    #[inline(never)]
    fn alloc_slow<R: Roots>(
        &mut self,
        kind: ArenaKind,
        object_kind: u8,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        let mut policy = Policy::<M, R> {
            roots,
            config: &self.config,
            gray_stack: &mut self.gray_stack,
            finalizers: &mut self.finalizers,
            pauses: &mut self.pauses,
            auto_collect: self.auto_collect,
            model: PhantomData,
        };
        self.heap
            .alloc_slow(kind, object_kind, bytes, 0, &mut policy)
    }

    fn full_cycle<R: Roots>(&mut self, roots: &mut R, explicit: bool) {
        cycle::full_cycle::<M, R>(
            &mut self.heap,
            roots,
            &mut self.gray_stack,
            &mut self.finalizers,
            &mut self.pauses,
            &self.config,
            explicit,
        );
    }

    /// The heap, for tools that inspect it.
    pub fn heap(&self) -> &Heap {
        &self.heap
    }
}

/// The heap size at which a collection starts after one that left `live_bytes`.
fn trigger_bytes(config: &HeapConfig, live_bytes: u64) -> u64 {
    let paced = live_bytes.saturating_mul(u64::from(config.pause_percent)) / 100;
    paced.max(config.min_trigger_bytes as u64)
}

/// The allocation slow path's view of the collector: when and how to collect.
struct Policy<'a, M, R> {
    roots: &'a mut R,
    config: &'a HeapConfig,
    gray_stack: &'a mut Vec<ObjectRef>,
    finalizers: &'a mut FinalizerQueue,
    pauses: &'a mut PauseLog,
    auto_collect: bool,
    model: PhantomData<M>,
}

impl<M: ObjectModel, R: Roots> GrowthPolicy for Policy<'_, M, R> {
    fn should_collect(&self, heap: &Heap) -> bool {
        self.auto_collect && heap.heap_bytes() >= trigger_bytes(self.config, heap.live_bytes())
    }

    fn collect(&mut self, heap: &mut Heap) -> bool {
        cycle::full_cycle::<M, R>(
            heap,
            self.roots,
            self.gray_stack,
            self.finalizers,
            self.pauses,
            self.config,
            false,
        );
        true
    }
}

impl<M: ObjectModel> Collector<M> for Stw<M> {
    const NAME: &'static str = NAME;
    const DESCRIPTION: &'static str =
        "stop-the-world mark and bitmap sweep on the NewGC heap, parallel on big heaps";

    fn new(config: HeapConfig) -> Self {
        Stw {
            heap: Heap::new(&config),
            pauses: PauseLog::new(&config),
            config,
            gray_stack: Vec::new(),
            finalizers: FinalizerQueue::default(),
            auto_collect: true,
            model: PhantomData,
        }
    }

    #[inline(always)]
    fn alloc_object<R: Roots>(
        &mut self,
        kind: u8,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        match self.heap.alloc_fast(ArenaKind::Objects, kind, bytes, 0) {
            Some(obj) => Ok(obj),
            None => self.alloc_slow(ArenaKind::Objects, kind, bytes, roots),
        }
    }

    #[inline(always)]
    fn alloc_leaf<R: Roots>(
        &mut self,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        match self.heap.alloc_fast(ArenaKind::Leaves, 0, bytes, 0) {
            Some(obj) => Ok(obj),
            None => self.alloc_slow(ArenaKind::Leaves, 0, bytes, roots),
        }
    }

    #[inline(always)]
    fn alloc_owned_leaf<R: Roots>(
        &mut self,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        let leaf = self.alloc_leaf(bytes, roots)?;
        self.heap.set_owned(leaf);
        Ok(leaf)
    }

    /// Huge blocks go back to the OS at once (see `Heap::free_owned`).
    #[inline(always)]
    unsafe fn free_owned_leaf(&mut self, leaf: ObjectRef) {
        // SAFETY: the caller's contract is `free_owned`'s; `alloc_owned_leaf` marked it.
        let _ = unsafe { self.heap.free_owned(leaf) };
    }

    #[inline(always)]
    unsafe fn write_barrier(&mut self, _obj: ObjectRef) {}

    fn collect<R: Roots>(&mut self, roots: &mut R) {
        self.full_cycle(roots, true);
    }

    unsafe fn register_finalizer(&mut self, obj: ObjectRef) {
        self.finalizers.register(obj);
    }

    fn take_pending_finalizers(&mut self) -> Vec<ObjectRef> {
        self.finalizers.take_pending()
    }

    fn take_all_finalizers(&mut self) -> Vec<ObjectRef> {
        self.finalizers.take_all()
    }

    fn set_pause(&mut self, percent: u32) {
        self.config.pause_percent = percent;
    }

    fn set_auto_collect(&mut self, enabled: bool) {
        self.auto_collect = enabled;
    }

    fn set_heap_limit(&mut self, limit: Option<usize>) {
        self.config.heap_limit = limit;
        self.heap.set_limit(limit);
    }

    fn heap_limit(&self) -> Option<usize> {
        self.heap.limit()
    }

    fn stats(&self) -> Stats {
        self.pauses.stats(self.heap.sizes())
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
