//! A collector written outside gc-core with nothing but its public API, as a collector in
//! another crate would be: a stop-the-world mark-sweep over the malloc space
//! (`heap::malloc_space`), with weak objects, ephemerons and finalizers as the contract
//! asks. It runs gc-core's model-based tests (`testing::model`), which is the proof that
//! the API is enough; `README.md` ("Adding a collector") walks through `lua51`, the
//! in-crate example.

use std::marker::PhantomData;

use gc_core::footprint::{Footprint, PeakFootprint};
use gc_core::heap::malloc_space::{MallocSpace, SweepAction, SweepCursor, TRAVERSABLE};
use gc_core::heap::space::Space;
use gc_core::mark::AfterResurrection;
use gc_core::stats::{CycleKind, PauseLog, PausePhase};
use gc_core::testing::model::{malloc_bytes, run_seeds, Setup, STOP_THE_WORLD};
use gc_core::testing::TestModel;
use gc_core::verify::VerifyError;
use gc_core::{
    Collector, FinalizerQueue, HeapConfig, HeapSizes, Liveness, ObjectModel, ObjectRef,
    OutOfMemory, Roots, Stats, Tracer, Weakness,
};

/// The mark bit, in the malloc space's prefix bits.
const MARKED: u8 = 1;

/// A marking: a gray stack and the weak objects met.
#[derive(Default)]
struct Mark {
    gray: Vec<ObjectRef>,
    weak: Vec<(ObjectRef, Weakness)>,
    marked: u64,
}

impl Tracer for Mark {
    fn mark(&mut self, obj: ObjectRef) {
        // SAFETY: the VM reports live blocks of this heap.
        let bits = unsafe { MallocSpace::bits(obj) };
        if bits & MARKED == 0 {
            // SAFETY: as above.
            unsafe { MallocSpace::set_bits(obj, MARKED) };
            self.marked += 1;
            if bits & TRAVERSABLE != 0 {
                self.gray.push(obj);
            }
        }
    }
}

impl Liveness for Mark {
    fn is_live(&self, obj: ObjectRef) -> bool {
        // SAFETY: asked about blocks of this heap, not swept yet.
        (unsafe { MallocSpace::bits(obj) } & MARKED) != 0
    }
}

impl Mark {
    fn drain<M: ObjectModel>(&mut self) {
        while let Some(obj) = self.gray.pop() {
            // SAFETY: marked traversable objects are live and initialised.
            unsafe {
                match M::weakness(obj) {
                    Weakness::Strong => M::trace(obj, self),
                    weakness => {
                        M::trace_weak(obj, weakness, self);
                        self.weak.push((obj, weakness));
                    }
                }
            }
        }
    }

    /// Weak keys are ephemerons: trace them again until nothing new is marked.
    fn converge<M: ObjectModel>(&mut self) {
        loop {
            let before = self.marked;
            for i in 0..self.weak.len() {
                let (obj, weakness) = self.weak[i];
                if weakness == Weakness::WeakKeys {
                    // SAFETY: as in `drain`.
                    unsafe { M::trace_weak(obj, weakness, self) };
                    self.drain::<M>();
                }
            }
            if self.marked == before {
                return;
            }
        }
    }
}

/// The stop-the-world mark-sweep collector.
struct MarkSweep<M> {
    space: MallocSpace,
    finalizers: FinalizerQueue,
    pauses: PauseLog,
    config: HeapConfig,
    live_bytes: u64,
    auto_collect: bool,
    /// Where the memory was at the largest heap a marking ended with.
    peak_footprint: PeakFootprint,
    model: PhantomData<M>,
}

impl<M: ObjectModel> MarkSweep<M> {
    fn alloc<R: Roots>(
        &mut self,
        kind: Option<u8>,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        let trigger = (self.live_bytes * u64::from(self.config.pause_percent) / 100)
            .max(self.config.min_trigger_bytes as u64);
        let over_limit = |gc: &Self| {
            gc.config
                .heap_limit
                .is_some_and(|limit| gc.space.bytes() as usize + bytes > limit)
        };
        if (self.auto_collect && self.space.bytes() >= trigger) || over_limit(self) {
            self.collect(roots);
        }
        if over_limit(self) {
            return Err(OutOfMemory { requested: bytes });
        }
        self.space
            .alloc(bytes, kind, 0)
            .ok_or(OutOfMemory { requested: bytes })
    }
}

impl<M: ObjectModel> Collector<M> for MarkSweep<M> {
    const NAME: &'static str = "mark-sweep";
    const DESCRIPTION: &'static str = "a test's stop-the-world mark-sweep over malloc'd blocks";

    fn new(config: HeapConfig) -> Self {
        MarkSweep {
            space: MallocSpace::default(),
            finalizers: FinalizerQueue::default(),
            pauses: PauseLog::new(&config),
            config,
            live_bytes: 0,
            auto_collect: true,
            peak_footprint: PeakFootprint::default(),
            model: PhantomData,
        }
    }

    fn alloc_object<R: Roots>(
        &mut self,
        kind: u8,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        self.alloc(Some(kind), bytes, roots)
    }

    fn alloc_leaf<R: Roots>(
        &mut self,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        self.alloc(None, bytes, roots)
    }

    /// No incremental marking: no barrier.
    unsafe fn write_barrier(&mut self, _obj: ObjectRef) {}

    fn collect<R: Roots>(&mut self, roots: &mut R) {
        let start = self.pauses.begin();
        let mut mark = Mark::default();
        roots.trace_roots(&mut mark);
        for &obj in self.finalizers.pending() {
            mark.mark(obj);
        }
        mark.drain::<M>();
        mark.converge::<M>();
        let dead = self.finalizers.separate_dead(&mark);
        for &obj in &dead {
            mark.mark(obj);
        }
        mark.drain::<M>();
        mark.converge::<M>();
        let liveness = AfterResurrection::new(&mark, &dead);
        for &(obj, weakness) in &mark.weak {
            // SAFETY: weak objects were marked, so live; nothing is swept yet.
            unsafe { M::clear_weak(obj, weakness, &liveness) };
        }
        roots.prune_weak_references(&liveness);
        self.finalizers.queue(dead);
        self.peak_footprint.offer(Footprint {
            in_use_bytes: self.space.bytes(),
            metadata_bytes: self.pauses.memory_bytes(),
            ..Footprint::default()
        });
        // SAFETY: the objects on the list are initialised (the VM's contract).
        unsafe {
            self.space
                .sweep::<M>(SweepCursor::default(), usize::MAX, |bits| {
                    if bits & MARKED != 0 {
                        SweepAction::Keep(0)
                    } else {
                        SweepAction::Free
                    }
                })
        };
        self.live_bytes = self.space.bytes();
        self.pauses.end(start, PausePhase::Full);
        self.pauses.count_cycle(CycleKind::Major);
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
    }

    fn heap_limit(&self) -> Option<usize> {
        self.config.heap_limit
    }

    fn stats(&self) -> Stats {
        self.pauses.stats(HeapSizes {
            allocated_bytes: self.space.stats().allocated_bytes,
            live_bytes: self.live_bytes,
            heap_bytes: self.space.bytes(),
            peak_heap_bytes: self.space.peak_bytes(),
            mapped_bytes: self.space.bytes(),
            arenas: 0,
            huge_blocks: 0,
            footprint_at_peak: self.peak_footprint.peak(),
        })
    }

    fn contains(&self, obj: ObjectRef) -> bool {
        self.space.contains(obj)
    }

    /// The space's own invariants, and everything reachable is a block of the list.
    fn verify<R: Roots>(&mut self, roots: &mut R) -> Result<(), VerifyError> {
        self.space.verify()?;
        let mut blocks = std::collections::HashSet::new();
        self.space.for_each(|obj, _| {
            blocks.insert(obj);
        });
        struct Collect(Vec<ObjectRef>);
        impl Tracer for Collect {
            fn mark(&mut self, obj: ObjectRef) {
                self.0.push(obj);
            }
        }
        let mut pending = Collect(self.finalizers.pending().to_vec());
        roots.trace_roots(&mut pending);
        let mut seen = std::collections::HashSet::new();
        while let Some(obj) = pending.0.pop() {
            if !seen.insert(obj) {
                continue;
            }
            if !blocks.contains(&obj) {
                return Err(VerifyError(format!("reachable {obj:?} is not allocated")));
            }
            // SAFETY: a block of the list, so live.
            if unsafe { MallocSpace::bits(obj) } & TRAVERSABLE != 0 {
                // SAFETY: a reachable traversable object, initialised.
                unsafe { M::trace(obj, &mut pending) };
            }
        }
        Ok(())
    }
}

#[test]
fn a_collector_outside_gc_core_passes_the_model_based_tests() {
    let setup = Setup {
        accounting: malloc_bytes,
        ..STOP_THE_WORLD
    };
    run_seeds::<MarkSweep<TestModel>>(true, setup);
}
