//! `newgc`: the collector of Mike Pall's NewGC proposal on the arena heap: quad-color
//! incremental marking (mark bit in the bitmap, gray bit in the header), a write barrier
//! whose fast path tests one header bit, per-arena gray stacks, a short atomic phase,
//! lazy bitmap sweeping, pacing by allocation debt, and a generational mode by sticky mark
//! bits that it switches on and off by the measured young survival.
//!
//! Files: `barrier` (the barrier, with the tri-color invariant), `ssb`, `gray_queue`,
//! `marker` (colors, incremental tracing), `helpers` (a step's marking shared with the
//! worker threads), `cycle` (phases and the atomic phase),
//! `pacing`, `generational` (mode switching), `leaf_hold` (the leaf sweep held while the VM
//! prunes), `verify` (the stress mode's checks).

mod barrier;
mod cycle;
mod generational;
mod gray_queue;
mod helpers;
mod leaf_hold;
mod marker;
mod pacing;
mod ssb;
mod time_share;
mod verify;

use std::marker::PhantomData;

pub use cycle::Phase;

use crate::collector::{Collector, GcMode, HeapConfig, OutOfMemory};
use crate::finalizers::FinalizerQueue;
use crate::heap::arena::ArenaKind;
use crate::heap::{GrowthPolicy, Heap};
use crate::mark::is_marked;
use crate::object_model::{GcHeader, ObjectModel, ObjectRef, Roots, Weakness};
use crate::stats::{PauseLog, PausePhase, Stats};
use crate::verify::{CollectRefs, VerifyError};
use barrier::{Barrier, FORWARD_BARRIER_PARTS};
use cycle::{State, CATCH_UP_SHARE_PERCENT};
use generational::ModeControl;
use leaf_hold::LeafHold;
use marker::Marking;
use pacing::{Pacing, STEP_BYTES};
use ssb::Ssb;
use time_share::TimeShare;

/// The collector's name.
pub const NAME: &str = "newgc";

/// Work a stress step does: small, so the verifier sees many mid-cycle heaps.
const STRESS_STEP_WORK: u64 = 512;

/// The NewGC collector over the object model `M`.
pub struct NewGc<M> {
    heap: Heap,
    state: State,
    model: PhantomData<M>,
}

/// Forward-barrier records kept at most before the barrier marks them itself: a step
/// marks the ones waiting outside its budget, and the barrier's own marking of them is
/// a pause, so this bounds both.
const SHADE_LIMIT: usize = 1 << 10;

impl<M: ObjectModel> NewGc<M> {
    #[inline(never)]
    fn alloc_slow<R: Roots>(
        &mut self,
        kind: ArenaKind,
        object_kind: u8,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        self.state.allocation_step::<M, R>(&mut self.heap, roots);
        let mut policy = Policy::<M, R> {
            state: &mut self.state,
            roots,
            model: PhantomData,
        };
        self.heap
            .alloc_slow(kind, object_kind, bytes, GcHeader::GRAY, &mut policy)
    }

    /// The slow path of the barriers the VM describes (see `barrier`): whether `obj`
    /// takes the forward barrier (it keeps its color, what is stored or moved is
    /// recorded): when remembered and strong, while marking runs or if big beyond the
    /// next minor cycle's retrace budget. If not, the backward barrier's slow path has
    /// run: `obj` is gray, and if remembered, in the SSB or (weak, while marking) listed
    /// for the atomic phase to trace again.
    ///
    /// Inlined into the store and move slow paths: a store into a marked strong object
    /// while marking runs (every relinking of an old object, each time) is the common
    /// case, answered without a call; the rest is out of line.
    #[inline(always)]
    fn takes_forward_barrier(&mut self, obj: ObjectRef) -> bool {
        let state = &mut self.state;
        if !(state.barrier.remember && is_marked(self.heap.large_objects(), obj)) {
            // SAFETY: the VM calls the barrier on live, initialised traversable objects.
            unsafe { obj.header() }.set_gray(true);
            return false;
        }
        // SAFETY: as above.
        let weakness = unsafe { M::weakness(obj) };
        if weakness == Weakness::Strong && state.phase == Phase::Marking {
            return true;
        }
        self.takes_forward_barrier_otherwise(obj, weakness)
    }

    /// `takes_forward_barrier` for a marked, remembered `obj` that is weak or written
    /// while paused (with sticky marks).
    #[cold]
    #[inline(never)]
    fn takes_forward_barrier_otherwise(&mut self, obj: ObjectRef, weakness: Weakness) -> bool {
        let state = &mut self.state;
        let marking = state.phase == Phase::Marking;
        let forward = weakness == Weakness::Strong && {
            // Paused with sticky marks (`remember` is set only then or while marking).
            // SAFETY: the VM calls the barrier on live, initialised traversable objects.
            let parts = unsafe { M::part_count(obj) };
            parts >= FORWARD_BARRIER_PARTS && !state.barrier.take_retrace(parts)
        };
        if !forward {
            // SAFETY: as above.
            unsafe { obj.header() }.set_gray(true);
            if weakness != Weakness::Strong && marking {
                state.marking.weak_objects.push((obj, weakness));
            } else {
                state.barrier.ssb.push(obj);
            }
        }
        forward
    }

    /// The slow path of a described store of `stored` into `obj`.
    #[cold]
    #[inline(never)]
    fn store_barrier_slow(&mut self, obj: ObjectRef, stored: ObjectRef) {
        if self.takes_forward_barrier(obj) {
            self.state.barrier.shade.push(stored);
            self.mark_shade_when_full();
        }
    }

    /// The slow path of a move inside `obj`: with the forward barrier, every reference
    /// in the moved parts is recorded. Weak objects take the backward one: recording
    /// their moved entries would keep them all alive for the cycle.
    #[cold]
    #[inline(never)]
    fn move_barrier_slow(&mut self, obj: ObjectRef, parts: std::ops::Range<usize>) {
        if self.takes_forward_barrier(obj) {
            // SAFETY: a live, initialised object, and parts within it (the VM's call).
            unsafe { M::trace_parts(obj, parts, &mut CollectRefs(&mut self.state.barrier.shade)) };
            self.mark_shade_when_full();
        }
    }

    /// Stores without allocation run no steps: past `SHADE_LIMIT` records the barrier
    /// marks them itself, so the buffer stays bounded (while paused with sticky marks,
    /// objects marked now are old at once, and the traversable ones wait in the SSB).
    /// This is collector work in one go: it counts as a pause.
    #[inline(always)]
    fn mark_shade_when_full(&mut self) {
        if self.state.barrier.shade.len() >= SHADE_LIMIT {
            self.mark_shade();
        }
    }

    /// `mark_shade_when_full`'s marking.
    #[cold]
    #[inline(never)]
    fn mark_shade(&mut self) {
        let state = &mut self.state;
        let start = state.pauses.begin();
        let marking = state.phase == Phase::Marking;
        let barrier = &mut state.barrier;
        state.marking.tracer(&self.heap).shade_prefetched(
            &barrier.shade,
            marking,
            &mut barrier.ssb,
        );
        barrier.shade.clear();
        state.pauses.end(start, PausePhase::Barrier);
    }

    /// Marks a leaf block the VM found through a weak reference not yet pruned, so the
    /// held leaf sweep keeps it (marks are what the sweep reads).
    #[cold]
    fn revive_slow(&mut self, obj: ObjectRef) {
        if !self.state.leaf_hold.holds(obj) {
            // Allocated since the atomic phase: not swept this cycle, alive anyway.
            return;
        }
        debug_assert!(
            !self
                .heap
                .large_objects()
                .get(obj.addr())
                .is_some_and(|b| b.traversable),
            "only leaf blocks are revived"
        );
        let mut ssb = Ssb::default();
        self.state
            .marking
            .tracer(&self.heap)
            .shade(obj, false, &mut ssb);
        debug_assert!(ssb.is_empty(), "only leaf blocks are revived");
    }

    /// The heap, for tools that inspect it.
    pub fn heap(&self) -> &Heap {
        &self.heap
    }

    /// Where the collector is in its cycle.
    pub fn phase(&self) -> Phase {
        self.state.phase
    }

    /// The mode in force now.
    pub fn mode(&self) -> GcMode {
        self.state.modes.mode
    }

    /// The heap size by which the running (or next) cycle must be done: Lua's pause
    /// times the live heap, or the minor cycle's deadline.
    pub fn goal_bytes(&self) -> u64 {
        self.state.pacing.goal
    }

    /// Forward-barrier records waiting for a step to mark them (fewer than
    /// `SHADE_LIMIT`, 1024, however many stores run without allocating).
    pub fn forward_records(&self) -> usize {
        self.state.barrier.shade.len()
    }

    /// The most bytes an atomic phase marked: what the incremental marking left to its
    /// pause (objects only the stacks hold, allocated since marking's last pass over them).
    pub fn atomic_marked_bytes_max(&self) -> u64 {
        self.state.atomic_marked_max
    }

    /// The largest amount by which the heap passed a cycle's goal (pause x live, or the
    /// minor cycle's deadline): the pacing proof's witness.
    pub fn max_goal_overshoot(&self) -> u64 {
        self.state.pacing.max_overshoot
    }
}

/// The allocation slow path's view: the heap limit's emergency collection.
struct Policy<'a, M, R> {
    state: &'a mut State,
    roots: &'a mut R,
    model: PhantomData<M>,
}

impl<M: ObjectModel, R: Roots> GrowthPolicy for Policy<'_, M, R> {
    fn should_collect(&self, _heap: &Heap) -> bool {
        // Cycles are started and paced by `allocation_step`, before the heap is asked.
        false
    }

    fn collect(&mut self, heap: &mut Heap) -> bool {
        self.state.full_collection::<M, R>(heap, self.roots, false);
        true
    }
}

impl<M: ObjectModel> Collector<M> for NewGc<M> {
    const NAME: &'static str = NAME;
    const DESCRIPTION: &'static str =
        "Pall's NewGC: quad-color incremental, bitmap sweep, sticky-mark generational";
    const MODES: &'static [GcMode] = &[GcMode::Incremental, GcMode::Generational];

    fn new(config: HeapConfig) -> Self {
        let state = State {
            phase: Phase::Idle,
            marking: Marking::new(config.step_helpers_min_work),
            barrier: Barrier::default(),
            finalizers: FinalizerQueue::default(),
            pauses: PauseLog::new(&config),
            pacing: Pacing::new(
                config.pause_percent,
                config.stepmul_percent,
                config.min_trigger_bytes as u64,
                config.step_deadline,
            ),
            modes: ModeControl::new(config.mode),
            auto_collect: true,
            sticky: false,
            cycle_minor: false,
            allocated_at_atomic: 0,
            heap_at_major: 0,
            leaf_hold: LeafHold::default(),
            remarks: 0,
            ssb_passes: 0,
            ssb_pass_left: 0,
            trim_to: None,
            atomic_marked_max: 0,
            marked_at_hold: 0,
            remarked_at: 0,
            full_gray_stack: Vec::new(),
            time_share: config.step_deadline.map(|deadline| {
                let share = config
                    .max_gc_share_percent
                    .unwrap_or(CATCH_UP_SHARE_PERCENT);
                TimeShare::new(deadline, share)
            }),
            share_every_step: config.max_gc_share_percent.is_some(),
        };
        NewGc {
            heap: Heap::new(&config),
            state,
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
        match self
            .heap
            .alloc_fast(ArenaKind::Objects, kind, bytes, GcHeader::GRAY)
        {
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

    /// Huge blocks go back to the OS at once (see `Heap::free_owned`); the forward
    /// barrier may have recorded the block when it was installed, and that record goes
    /// too, and so does the running marking's count of it: counted, a table resized
    /// during each marking would add its old parts to the next goal. Owned blocks are
    /// never held for the VM's pruning (see `leaf_hold`).
    #[inline(always)]
    unsafe fn free_owned_leaf(&mut self, leaf: ObjectRef) {
        // SAFETY: the caller's contract is `free_owned`'s; `alloc_owned_leaf` marked it.
        let Some(freed) = (unsafe { self.heap.free_owned(leaf) }) else {
            return;
        };
        let state = &mut self.state;
        state.barrier.shade.retain(|&recorded| recorded != leaf);
        // An old block's mark in a minor cycle is sticky, not this marking's.
        let marked_now = freed.marked && (freed.young || !state.cycle_minor);
        if state.phase == Phase::Marking && marked_now {
            state.marking.marked_bytes = state.marking.marked_bytes.saturating_sub(freed.bytes);
        }
    }

    #[inline(always)]
    unsafe fn write_barrier(&mut self, obj: ObjectRef) {
        // SAFETY: `obj` is a live traversable object of this heap (the caller's contract).
        if !unsafe { obj.header() }.is_gray() {
            self.state.barrier.slow(obj, self.heap.large_objects());
        }
    }

    #[inline(always)]
    unsafe fn write_barrier_store(&mut self, obj: ObjectRef, stored: ObjectRef) {
        // SAFETY: as for `write_barrier`.
        if !unsafe { obj.header() }.is_gray() {
            self.store_barrier_slow(obj, stored);
        }
    }

    #[inline(always)]
    unsafe fn write_barrier_move(&mut self, obj: ObjectRef, parts: std::ops::Range<usize>) {
        // SAFETY: as for `write_barrier`.
        if !unsafe { obj.header() }.is_gray() {
            self.move_barrier_slow(obj, parts);
        }
    }

    #[inline(always)]
    unsafe fn revive(&mut self, obj: ObjectRef) {
        if self.state.leaf_hold.is_held() {
            self.revive_slow(obj);
        }
    }

    fn safepoint<R: Roots>(&mut self, roots: &mut R) {
        self.state.poll_step::<M, R>(&mut self.heap, roots);
    }

    fn collect<R: Roots>(&mut self, roots: &mut R) {
        self.state
            .full_collection::<M, R>(&mut self.heap, roots, true);
    }

    fn step<R: Roots>(&mut self, roots: &mut R, kbytes: usize) -> bool {
        let start = self.state.pauses.begin();
        if self.state.phase == Phase::Idle {
            self.state.start_cycle::<R>(&mut self.heap, roots);
        }
        let phase = self.state.pause_phase();
        // At least one increment: what an allocation step pays for.
        let paid_for = (kbytes as u64).saturating_mul(1024).max(STEP_BYTES);
        let budget = self.state.pacing.budget(paid_for);
        let finished = self
            .state
            .advance::<M, R>(&mut self.heap, roots, budget, None);
        self.state.pauses.end(start, phase);
        finished
    }

    fn set_stepmul(&mut self, percent: u32) {
        self.state.pacing.stepmul_percent = percent.max(1);
    }

    fn set_mode(&mut self, mode: GcMode) -> Option<GcMode> {
        Some(self.state.modes.force(mode))
    }

    fn stress_step<R: Roots>(&mut self, roots: &mut R) -> Result<(), VerifyError> {
        if self.state.phase == Phase::Idle {
            self.state.start_cycle::<R>(&mut self.heap, roots);
        }
        self.state
            .advance::<M, R>(&mut self.heap, roots, STRESS_STEP_WORK, None);
        self.verify(roots)
    }

    unsafe fn register_finalizer(&mut self, obj: ObjectRef) {
        self.state.finalizers.register(obj);
    }

    fn take_pending_finalizers(&mut self) -> Vec<ObjectRef> {
        self.state.finalizers.take_pending()
    }

    fn take_all_finalizers(&mut self) -> Vec<ObjectRef> {
        self.state.finalizers.take_all()
    }

    fn set_pause(&mut self, percent: u32) {
        self.state.pacing.pause_percent = percent;
    }

    fn set_auto_collect(&mut self, enabled: bool) {
        self.state.auto_collect = enabled;
    }

    fn set_heap_limit(&mut self, limit: Option<usize>) {
        self.heap.set_limit(limit);
    }

    fn heap_limit(&self) -> Option<usize> {
        self.heap.limit()
    }

    fn stats(&self) -> Stats {
        self.state.pauses.stats(self.heap.sizes())
    }

    fn heap_bytes(&self) -> u64 {
        self.heap.heap_bytes()
    }

    fn contains(&self, obj: ObjectRef) -> bool {
        self.heap.contains(obj)
    }

    fn verify<R: Roots>(&mut self, roots: &mut R) -> Result<(), VerifyError> {
        verify::verify::<M, R>(&self.heap, &self.state, roots)
    }
}
