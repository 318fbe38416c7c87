//! `lua51`: the collector Lua 5.1 and LuaJIT 2.x ship, rebuilt as a plan over the malloc
//! space (`heap::malloc_space`), so that it runs in the same VM as `newgc` and the two are
//! compared on identical mutator work.
//!
//! What it keeps of `lgc.c` 5.1 (and `lj_gc.c`, the same design): every object and leaf
//! block is a separate allocation from the system allocator, with a prefix linking it
//! into one list of all blocks, but for the blocks one object owns (a table's parts, a
//! stack), freed with their owner or when it replaces them; two whites and black, the
//! current white flipped in the atomic phase; a gray stack and a gray-again list; the
//! states pause, propagate, (atomic,) sweep-string and sweep; a sweep of `SWEEP_MAX`
//! blocks per increment that touches every block; the forward barrier for most objects
//! and the backward one for tables; and the pacing by threshold, estimate, `setpause` and
//! `setstepmul`, with the marking work counted as 5.1's `propagatemark` counts it (see
//! `marker`).
//!
//! Where it follows the VM's contract instead: weak keys are ephemerons (the object
//! model's semantics, shared by every collector), finalizers are run by the VM from the
//! queue rather than one per step, and the heap limit triggers a full collection before
//! an allocation fails (5.1 raises the error at once).
//!
//! Files: `marker` (colors, gray lists, tracing), `barrier`, `cycle` (states, atomic phase,
//! sweep), `pacing`, `verify` (the stress mode's checks), as in `newgc`.

mod barrier;
mod cycle;
mod marker;
mod pacing;
mod verify;

use std::marker::PhantomData;

pub use cycle::Phase;

use crate::collector::{Collector, HeapConfig, OutOfMemory};
use crate::finalizers::FinalizerQueue;
use crate::footprint::PeakFootprint;
use crate::heap::malloc_space::{MallocSpace, SweepCursor, PREFIX_BYTES, TRAVERSABLE};
use crate::heap::space::Space;
use crate::object_model::{ObjectModel, ObjectRef, Roots};
use crate::stats::{HeapSizes, PauseLog, Stats};
use crate::verify::VerifyError;
use marker::{Marking, BLACK, WHITES};
use pacing::Pacing;

/// The collector's name.
pub const NAME: &str = "lua51";

/// Work a stress step does at most: small, so the verifier sees many mid-cycle heaps.
const STRESS_STEP_WORK: u64 = 512;

/// What an allocation makes.
#[derive(Copy, Clone)]
enum Block {
    /// A traversable object of this kind, on the list.
    Object(u8),
    /// A leaf block on the list (a string).
    Leaf,
    /// A leaf block one object owns, off the list.
    Owned,
}

/// The Lua 5.1 collector over the object model `M`.
pub struct Lua51<M: ObjectModel> {
    space: MallocSpace,
    marking: Marking,
    phase: Phase,
    sweep_cursor: SweepCursor,
    pacing: Pacing,
    finalizers: FinalizerQueue,
    pauses: PauseLog,
    limit: Option<usize>,
    /// The live heap the last finished cycle estimated.
    live_bytes: u64,
    /// Where the memory was at the largest heap a marking ended with.
    peak_footprint: PeakFootprint,
    model: PhantomData<M>,
}

impl<M: ObjectModel> Lua51<M> {
    /// A step if due, then the allocation.
    #[inline(always)]
    fn alloc<R: Roots>(
        &mut self,
        block: Block,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        self.step_if_due(roots);
        if self.limit.is_none() {
            if let Some(obj) = self.alloc_block(block, bytes) {
                return Ok(obj);
            }
        }
        self.alloc_slow(block, bytes, roots)
    }

    /// The allocation itself, new blocks on the list of the current white.
    #[inline(always)]
    fn alloc_block(&mut self, block: Block, bytes: usize) -> Option<ObjectRef> {
        let white = self.marking.current_white;
        match block {
            Block::Object(kind) => self.space.alloc(bytes, Some(kind), white),
            Block::Leaf => self.space.alloc(bytes, None, white),
            Block::Owned => self.space.alloc_owned(bytes),
        }
    }

    /// 5.1's `luaC_checkGC`: a step when the heap has reached the threshold.
    #[inline(always)]
    fn step_if_due<R: Roots>(&mut self, roots: &mut R) {
        if self.space.bytes() >= self.pacing.threshold {
            self.paced_step(roots);
        }
    }

    /// Allocation under a heap limit, or after the system allocator refused: a full
    /// collection when the limit or the allocator says so, then one more try.
    #[inline(never)]
    fn alloc_slow<R: Roots>(
        &mut self,
        block: Block,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        let fits = |gc: &Self| {
            gc.limit.is_none_or(|limit| {
                (gc.space.bytes() as usize)
                    .saturating_add(bytes)
                    .saturating_add(PREFIX_BYTES)
                    <= limit
            })
        };
        for attempt in 0..2 {
            if fits(self) {
                if let Some(obj) = self.alloc_block(block, bytes) {
                    return Ok(obj);
                }
            }
            if attempt == 0 {
                self.full_collection(roots, false);
            }
        }
        Err(OutOfMemory { requested: bytes })
    }

    /// Where the collector is in its cycle.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Blocks (objects and leaf blocks) allocated and not freed.
    pub fn blocks(&self) -> usize {
        self.space.stats().pieces
    }
}

impl<M: ObjectModel> Collector<M> for Lua51<M> {
    const NAME: &'static str = NAME;
    const DESCRIPTION: &'static str =
        "the Lua 5.1 / LuaJIT 2.x collector: malloc'd objects on one list, incremental";

    fn new(config: HeapConfig) -> Self {
        Lua51 {
            space: MallocSpace::default(),
            marking: Marking::default(),
            phase: Phase::Pause,
            sweep_cursor: SweepCursor::default(),
            pacing: Pacing::new(config.pause_percent, config.stepmul_percent),
            finalizers: FinalizerQueue::default(),
            pauses: PauseLog::new(&config),
            limit: config.heap_limit,
            live_bytes: 0,
            peak_footprint: PeakFootprint::default(),
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
        self.alloc(Block::Object(kind), bytes, roots)
    }

    #[inline(always)]
    fn alloc_leaf<R: Roots>(
        &mut self,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        self.alloc(Block::Leaf, bytes, roots)
    }

    #[inline(always)]
    fn alloc_owned_leaf<R: Roots>(
        &mut self,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        self.alloc(Block::Owned, bytes, roots)
    }

    #[inline(always)]
    unsafe fn free_owned_leaf(&mut self, leaf: ObjectRef) {
        // SAFETY: `leaf` is a block of this heap no object owns or reads any more (the
        // caller's contract).
        unsafe { self.space.free_owned(leaf) };
    }

    #[inline(always)]
    unsafe fn write_barrier(&mut self, obj: ObjectRef) {
        // SAFETY: `obj` is a live traversable object of this heap (the caller's contract).
        if unsafe { MallocSpace::bits(obj) } & BLACK != 0 {
            self.barrier_back(obj);
        }
    }

    #[inline(always)]
    unsafe fn write_barrier_store(&mut self, obj: ObjectRef, stored: ObjectRef) {
        // SAFETY: as for `write_barrier`; `stored` is a live block of this heap (the
        // caller's contract).
        let (obj_bits, stored_bits) =
            unsafe { (MallocSpace::bits(obj), MallocSpace::bits(stored)) };
        if obj_bits & BLACK != 0 && stored_bits & WHITES != 0 {
            self.barrier_store_slow(obj, stored);
        }
    }

    #[inline(always)]
    unsafe fn revive(&mut self, obj: ObjectRef) {
        if matches!(self.phase, Phase::SweepString | Phase::Sweep) {
            let dead = self.marking.other_white();
            // SAFETY: `obj` is a block of this heap not swept yet (the caller's contract).
            unsafe {
                if MallocSpace::bits(obj) & dead != 0 {
                    MallocSpace::set_bits(obj, self.marking.current_white);
                }
            }
        }
    }

    fn collect<R: Roots>(&mut self, roots: &mut R) {
        self.full_collection(roots, true);
    }

    /// 5.1's `collectgarbage("step", kbytes)`: steps as if `kbytes` KB more had been
    /// allocated, stopping at the end of a cycle.
    fn step<R: Roots>(&mut self, roots: &mut R, kbytes: usize) -> bool {
        let bytes = (kbytes as u64).saturating_mul(1024);
        self.pacing.threshold = self.space.bytes().saturating_sub(bytes);
        while self.pacing.threshold <= self.space.bytes() {
            self.paced_step(roots);
            if self.phase == Phase::Pause {
                return true;
            }
        }
        false
    }

    fn set_stepmul(&mut self, percent: u32) {
        self.pacing.stepmul_percent = percent;
    }

    fn stress_step<R: Roots>(&mut self, roots: &mut R) -> Result<(), VerifyError> {
        let mut work = 0;
        loop {
            work += self.single_step(roots);
            if self.phase == Phase::Pause {
                self.pacing.after_cycle();
                break;
            }
            if work >= STRESS_STEP_WORK {
                break;
            }
        }
        self.verify_all(roots)
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
        self.pacing.pause_percent = percent;
    }

    fn set_auto_collect(&mut self, enabled: bool) {
        self.pacing.set_auto(enabled, self.space.bytes());
    }

    fn set_heap_limit(&mut self, limit: Option<usize>) {
        self.limit = limit;
    }

    fn heap_limit(&self) -> Option<usize> {
        self.limit
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

    fn heap_bytes(&self) -> u64 {
        self.space.bytes()
    }

    /// A walk of the list, then of the blocks its objects own.
    fn contains(&self, obj: ObjectRef) -> bool {
        if self.space.contains(obj) {
            return true;
        }
        let mut found = false;
        self.space.for_each(|block, bits| {
            if bits & TRAVERSABLE != 0 {
                // SAFETY: an object on the list, initialised and not freed.
                unsafe { M::owned_leaves(block, &mut |leaf| found |= leaf == obj) };
            }
        });
        found
    }

    fn verify<R: Roots>(&mut self, roots: &mut R) -> Result<(), VerifyError> {
        self.verify_all(roots)
    }
}

impl<M: ObjectModel> Drop for Lua51<M> {
    fn drop(&mut self) {
        // SAFETY: every object on the list was initialised by the VM (the trait's
        // contract); owned blocks go with their owners.
        unsafe { self.space.free_all::<M>() };
    }
}
