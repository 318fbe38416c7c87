//! One collection cycle as a sequence of bounded steps: start (mark the roots), mark
//! steps (ending with incremental passes over the roots and running stacks again), the
//! atomic phase, lazy sweep steps, then the emptied arenas' return to the OS, a few per
//! step.
//!
//! The atomic phase is the only step that must run to its end, so it does only what
//! cannot be incremental: empty the SSB, mark the roots again and re-trace the running
//! stacks and the weak objects written since their trace (see `barrier`), drain what that
//! reached, converge ephemerons, separate the objects to finalize, clear
//! weak objects, and start the lazy sweep (with finalizable objects dead, in two atomic
//! phases: see below). Its length is the collector's max pause; the
//! passes before it leave it only what the running stacks got since the last. The VM's
//! own weak references (its string table, millions of entries in big programs) are
//! pruned by later steps, with the leaf arenas' sweep held until they are done.
//!
//! Finalizable objects found dead are resurrected over two atomic phases, since marking
//! what they reach in one (thousands of objects in cold memory) made the longest pause.
//! The first separates them, marks them, holds them (`FinalizerQueue::hold`), clears the
//! userdata among them from weak values (Lua 5.1 removes those at once) and returns to
//! marking, whose steps trace what the held objects reach. The second rescans as the
//! first did, resurrects in its pause the objects registered since and found dead, clears
//! the weak objects with both sets being finalized, queues both (the later registered
//! first), prunes and starts the sweep. Invariant: until the second phase, nothing is
//! swept, pruned, cleared from a weak object as unreachable, or handed to the VM to
//! finalize, so a finalizer sees what its object reaches intact and the weak objects
//! cleared of what died with it. The program can reach a held object only through a weak
//! key and an unmarked one only through a weak entry; what it takes from them marking
//! keeps alive as it does anything the program holds (the barrier, the second rescan).
//! One departure from 5.1 follows: a program that, between the two phases, takes both a
//! held object from a weak key and a dead object from a weak entry sees what no single
//! 5.1 atomic phase gives.
//!
//! Allocation color: new traversable objects are light-gray in every phase. While marking
//! that makes them survive if they are reachable when the atomic phase looks; while
//! sweeping they sit in swept arenas or new ones (see `arena_space`), which this sweep never
//! visits.

use std::time::Instant;

use super::barrier::{retrace_written_weak_objects, Barrier};
use super::generational::{CycleReport, ModeControl};
use super::leaf_hold::LeafHold;
use super::marker::{Marked, Marking};
use super::pacing::{Pacing, STEP_BYTES, SWEEP_WORK_PER_ARENA, UNMAP_WORK_PER_PIECE};
use super::time_share::TimeShare;
use crate::collector::GcMode;
use crate::finalizers::FinalizerQueue;
use crate::footprint::vec_bytes;
use crate::heap::arena::ARENA_SIZE;
use crate::heap::bitmap::SweepKind;
use crate::heap::os::thread_cpu_time;
use crate::heap::Heap;
use crate::mark::AfterResurrection;
use crate::mark::{is_marked, mark_heap};
use crate::object_model::{Liveness, ObjectModel, ObjectRef, Roots, Tracer, Weakness};
use crate::stats::{AtomicPhase, CycleKind, PauseLog, PausePhase};

/// Where the collector is in its cycle.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Phase {
    /// Between cycles.
    Idle,
    /// Marking incrementally.
    Marking,
    /// Sweeping arenas lazily after the atomic phase.
    Sweeping,
}

/// Everything of the collector but the heap.
pub(super) struct State {
    pub phase: Phase,
    pub marking: Marking,
    pub barrier: Barrier,
    pub finalizers: FinalizerQueue,
    pub pauses: PauseLog,
    pub pacing: Pacing,
    pub modes: ModeControl,
    pub auto_collect: bool,
    /// Whether the marks survive sweeps (the last or current sweep is minor).
    pub sticky: bool,
    /// Whether the running cycle started with sticky marks.
    pub cycle_minor: bool,
    /// Allocation count when the last marking ended.
    pub allocated_at_atomic: u64,
    /// The heap's size when the last major marking ended.
    pub heap_at_major: u64,
    /// The full collection's gray stack (kept for its capacity).
    pub full_gray_stack: Vec<ObjectRef>,
    /// Passes over the roots and running stacks this cycle's marking made before its atomic
    /// phase (see `MAX_REMARKS`), and the allocation count at the last.
    pub remarks: u32,
    pub remarked_at: u64,
    /// Passes over the SSB this cycle's marking began (see `MAX_SSB_PASSES`), and the
    /// entries the current one has still to queue.
    pub ssb_passes: u32,
    pub ssb_pass_left: usize,
    /// The most bytes an atomic phase marked (for tools and tests: its share of the
    /// max pause).
    pub atomic_marked_max: u64,
    /// The bytes marked when the cycle's first atomic phase held its dead finalizable
    /// objects (see the module docs).
    pub marked_at_hold: u64,
    /// The headroom down to which emptied arenas are still to be given back, a few per
    /// step, since the last sweep ended.
    pub trim_to: Option<u64>,
    /// Held while the VM is still pruning its weak references to leaf blocks: dead
    /// leaves it finds meanwhile must be revived, and the leaf arenas wait.
    pub leaf_hold: LeafHold,
    /// The collector's share of the interpreter thread's time, with a step deadline (see
    /// `time_share`): `HeapConfig::max_gc_share_percent` for every step if set, else
    /// `CATCH_UP_SHARE_PERCENT` for the steps of a cycle past its goal.
    pub time_share: Option<TimeShare>,
    /// Whether `time_share` binds every step (`HeapConfig::max_gc_share_percent` set).
    pub share_every_step: bool,
}

/// The share of the interpreter thread's CPU time, in percent, that the steps of a cycle
/// past its goal take when no `HeapConfig::max_gc_share_percent` is set (with a step
/// deadline: the clock is read only then). Past the goal every step owes all it may do at
/// the shortest interval (see `pacing`); on a heap far bigger than the caches each such
/// step marks cold memory up to its deadline, and the program got a few microseconds
/// between pauses. With the default deadline 20% bounds those steps to 2.4 ms of any
/// 10 ms window (`time_share`'s bound), which leaves an atomic phase of half a
/// millisecond room below the 3 ms of a minimum mutator utilisation of 0.7.
pub(super) const CATCH_UP_SHARE_PERCENT: u32 = 20;

/// The heap size, in percent of the cycle's goal, up to which a cycle past its goal
/// keeps to `CATCH_UP_SHARE_PERCENT`, or `pause` percent of the bytes its marking has
/// found live so far if more; past that the memory bound comes first, and steps take all
/// they may. A program building its data passes the goal of a cycle planned over last
/// cycle's smaller live heap, most of the growth live: what the marking finds live is a
/// lower bound of the live heap, and the heap stays within `pause` times it. Half the
/// goal again leaves the catch-up room before the marking has found much.
const CATCH_UP_UP_TO_GOAL_PERCENT: u64 = 150;

/// The heap size, in percent of the cycle's goal, up to which steps keep to their time
/// share (see `time_share`). Past the goal the share still holds: a program building its
/// data passes the goal of a cycle planned over last cycle's smaller live heap, most of
/// the growth live, and steps that took all they may would leave it a few microseconds
/// between pauses. Three times the goal leaves room for a heap that doubles while one
/// cycle marks it; past that the program allocates faster than the share marks, and the
/// memory bound comes first.
const SHARED_UP_TO_GOAL_PERCENT: u64 = 300;

/// How a step keeps to the collector's time share (see `share_rule`).
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum ShareRule {
    /// The step reads no clock and takes what its budget asks, up to its deadline.
    Off,
    /// The step runs whatever its credit (the memory bound comes first), and its time is
    /// counted.
    Counted,
    /// The step runs on the credit the mutator has earned it.
    Bound,
}

/// How a step keeps to the time share (`every_step`: `HeapConfig::max_gc_share_percent`
/// is set), with the heap at `heap_bytes`, the cycle's goal `goal`, and a cycle running
/// (`in_cycle`) that has marked `marked` bytes at `pause_percent`, or not: a set share
/// binds every step up to `SHARED_UP_TO_GOAL_PERCENT` of the goal; the catch-up share
/// only a running cycle's steps past the goal, up to `CATCH_UP_UP_TO_GOAL_PERCENT` of it
/// or `pause` percent of `marked`.
fn share_rule(
    every_step: bool,
    in_cycle: bool,
    heap_bytes: u64,
    goal: u64,
    marked: u64,
    pause_percent: u32,
) -> ShareRule {
    let bound = if every_step {
        goal / 100 * SHARED_UP_TO_GOAL_PERCENT
    } else {
        (goal / 100 * CATCH_UP_UP_TO_GOAL_PERCENT)
            .max(marked.saturating_mul(u64::from(pause_percent)) / 100)
    };
    let binds = every_step || (in_cycle && heap_bytes >= goal);
    if !binds {
        ShareRule::Off
    } else if heap_bytes < bound {
        ShareRule::Bound
    } else {
        ShareRule::Counted
    }
}

/// SSB entries a step queues for tracing at a time: the SSB of generational mode holds
/// every old object written since the last minor cycle, too many for one step.
const SSB_BATCH: usize = 1024;

/// Emptied arenas a step gives back to the OS at most (see `trim_step`).
const TRIM_ARENAS_PER_STEP: usize = 4;

/// Incremental passes over the roots and running stacks before the atomic phase, at most:
/// the objects allocated during marking that only a running stack holds (a tree being
/// built) are found there, and the atomic phase would otherwise trace them all in its
/// pause. Each pass is done incrementally; the atomic phase then traces only what the
/// mutator allocated since the last.
const MAX_REMARKS: u32 = 3;

/// Passes over the SSB before the atomic phase, at most; each traces only the entries
/// waiting when it began. A mutator that writes old objects as fast as steps trace them
/// again would otherwise hold marking open for ever; the atomic phase takes what the
/// last pass left.
const MAX_SSB_PASSES: u32 = 3;

/// Allocation since the last pass after which, out of gray objects again, marking makes
/// another pass rather than enter the atomic phase.
const REMARK_AFTER_BYTES: u64 = 2 * STEP_BYTES;

/// Weak-reference entries the atomic phase prunes at most (fewer if its step's budget is
/// small); the rest are pruned in sweep steps.
const PRUNE_ENTRIES_IN_ATOMIC: usize = 4096;

/// The work charged per weak-reference entry pruned. Pruning must outpace the program's
/// interning, or the held leaf sweep, and the cycle, never end: a new entry costs at
/// least 16 bytes of allocation, which pays for `stepmul` percent of 16 units of work,
/// so at 8 units an entry pruning keeps ahead for any `setstepmul` from 50 up.
const PRUNE_WORK_PER_ENTRY: u64 = 8;

/// Entries pruned, and arenas swept (or dead huge blocks' pieces unmapped), between two
/// looks at the step's deadline: on a big heap each entry's mark bit and each arena's
/// bitmap are likely cache misses, so a step's budget alone does not bound its length.
const PRUNE_CHUNK_ENTRIES: u64 = 1024;
const SWEEP_CHUNK_ARENAS: u64 = 8;

/// Liveness while what the held finalizable objects reach is still being traced: no
/// unmarked object can be called dead yet.
struct Undecided;

impl Liveness for Undecided {
    fn is_live(&self, _: ObjectRef) -> bool {
        true
    }
}

/// Whether the step's deadline, if it has one, has passed.
fn passed(deadline: Option<Instant>) -> bool {
    deadline.is_some_and(|d| Instant::now() >= d)
}

impl State {
    /// Starts a cycle: the roots are marked and the running stacks queued. The SSB's
    /// remembered objects (in a minor cycle, the old stacks that ran since their last
    /// trace among them) are queued by the steps.
    pub fn start_cycle<R: Roots>(&mut self, heap: &mut Heap, roots: &mut R) {
        debug_assert_eq!(self.phase, Phase::Idle);
        self.phase = Phase::Marking;
        self.barrier.remember = true;
        self.pacing.work_done = 0;
        self.pacing.carried = 0;
        heap.set_max_bump_region(STEP_BYTES as usize);
        self.cycle_minor = self.sticky;
        self.marking.marked_bytes = 0;
        self.marking.weak_objects.clear();
        self.remarks = 0;
        self.ssb_passes = 0;
        self.ssb_pass_left = 0;
        // The SSB's remembered objects are queued by the steps, a batch at a time.
        self.mark_roots_and_stacks(heap, roots);
    }

    /// Marks the roots and queues the running stacks, marked or not: a marked one (old,
    /// or traced earlier in this cycle) has been written since without the barrier.
    fn mark_roots_and_stacks<R: Roots>(&mut self, heap: &Heap, roots: &mut R) {
        for &stack in roots.running_stacks() {
            if is_marked(heap.large_objects(), stack) {
                self.marking.gray.push(stack);
            }
        }
        let mut tracer = self.marking.tracer(heap);
        for &stack in roots.running_stacks() {
            tracer.mark(stack);
        }
        roots.trace_roots(&mut tracer);
        for &obj in self.finalizers.pending() {
            tracer.mark(obj);
        }
    }

    /// Whether marking, out of gray objects, should go over the roots and running stacks once
    /// more before the atomic phase (see `REMARK_AFTER_BYTES`).
    fn remark_due(&self, heap: &Heap) -> bool {
        self.remarks < MAX_REMARKS
            && (self.remarks == 0 || heap.allocated_bytes() - self.remarked_at > REMARK_AFTER_BYTES)
    }

    /// Does about `budget` bytes of work in the running cycle, marking, pruning and
    /// sweeping until `deadline` at most (the atomic phase, once reached, runs to its end;
    /// every step does at least one chunk of work, so cycles end whatever the deadline).
    /// Returns true when the cycle finished (its sweep is done).
    pub fn advance<M: ObjectModel, R: Roots>(
        &mut self,
        heap: &mut Heap,
        roots: &mut R,
        mut budget: u64,
        deadline: Option<Instant>,
    ) -> bool {
        if self.phase == Phase::Marking {
            // The forward barrier's records since the last step (fewer than the
            // barrier's limit), outside the budget: this is the barrier's work, done in
            // a batch; charging it would let a mutator that keeps storing into a big
            // table hold the cycle back.
            let recorded = self
                .marking
                .tracer(heap)
                .mark_prefetched(&self.barrier.shade);
            self.barrier.shade.clear();
            self.pacing.work_done += recorded;
            loop {
                let work = self.marking.drain_step::<M>(heap, budget, deadline);
                self.pacing.work_done += work;
                budget = budget.saturating_sub(work);
                if !self.marking.gray.is_empty() {
                    return false;
                }
                if self.barrier.ssb.is_empty() {
                    if !self.remark_due(heap) {
                        break;
                    }
                    self.remarks += 1;
                    self.remarked_at = heap.allocated_bytes();
                    self.mark_roots_and_stacks(heap, roots);
                } else {
                    if self.ssb_pass_left == 0 {
                        if self.ssb_passes == MAX_SSB_PASSES {
                            break;
                        }
                        self.ssb_passes += 1;
                        self.ssb_pass_left = self.barrier.ssb.len();
                    }
                    let batch = SSB_BATCH.min(self.ssb_pass_left);
                    self.ssb_pass_left -= batch;
                    let gray = &mut self.marking.gray;
                    self.barrier.ssb.pop_into(batch, |obj| gray.push(obj));
                }
                if budget == 0 {
                    return false;
                }
            }
            if !self.atomic::<M, R>(heap, roots, budget) {
                return false;
            }
            budget = budget.saturating_sub(SWEEP_WORK_PER_ARENA);
        }
        if self.phase == Phase::Sweeping && self.leaf_hold.is_held() {
            loop {
                let entries = (budget / PRUNE_WORK_PER_ENTRY).clamp(1, PRUNE_CHUNK_ENTRIES);
                let done = roots.prune_weak_references_step(
                    &self.leaf_hold.liveness(heap),
                    false,
                    entries as usize,
                );
                let work = entries * PRUNE_WORK_PER_ENTRY;
                self.pacing.work_done += work;
                budget = budget.saturating_sub(work);
                if done {
                    self.leaf_hold.release(heap);
                    break;
                }
                if budget == 0 || passed(deadline) {
                    return false;
                }
            }
        }
        if self.phase == Phase::Sweeping {
            loop {
                // Dead huge blocks' mappings first (see `Heap::unmap_dead_some`), then
                // the arenas, each at its price.
                let pieces = (budget / UNMAP_WORK_PER_PIECE).clamp(1, SWEEP_CHUNK_ARENAS);
                let unmapped = heap.unmap_dead_some(pieces as usize) as u64;
                let (arenas, swept) = if unmapped < pieces {
                    let left = budget.saturating_sub(unmapped * UNMAP_WORK_PER_PIECE);
                    let arenas = (left / SWEEP_WORK_PER_ARENA).clamp(1, SWEEP_CHUNK_ARENAS);
                    (arenas, heap.sweep_some(arenas as usize) as u64)
                } else {
                    (0, 0)
                };
                let work = unmapped * UNMAP_WORK_PER_PIECE + swept * SWEEP_WORK_PER_ARENA;
                self.pacing.work_done += work;
                budget = budget.saturating_sub(work);
                if !self.leaf_hold.is_held() && heap.unswept_arenas() == 0 {
                    self.finish_sweep(heap);
                    return true;
                }
                if swept < arenas || budget == 0 || passed(deadline) {
                    return false;
                }
            }
        }
        false
    }

    /// Runs the current cycle, if any, to its end.
    pub fn finish_cycle<M: ObjectModel, R: Roots>(&mut self, heap: &mut Heap, roots: &mut R) {
        while self.phase != Phase::Idle {
            self.advance::<M, R>(heap, roots, u64::MAX, None);
        }
    }

    /// Gives up the running marking for a full collection, which marks the whole heap
    /// anyway (as Lua 5.1's `luaC_fullgc` does): finishing it first would mark the heap
    /// twice in one pause. The mark bits go (sticky ones too: a full marking leaves no
    /// old object), and so do the gray objects, the SSB's and the forward barrier's
    /// records. Colors stay valid: a traced object is white now, a queued one white or
    /// light-gray, and both are what an object is between cycles. The finalizable objects
    /// held for the marking are queued (see `finalizers`).
    fn abandon_marking(&mut self, heap: &mut Heap) {
        debug_assert_eq!(self.phase, Phase::Marking);
        self.marking.abandon();
        // Found dead: queued, so the full marking marks them and what they reach.
        let held = self.finalizers.take_held();
        self.finalizers.queue(held);
        self.barrier.ssb.clear();
        self.barrier.shade.clear();
        heap.unmark_all();
        self.sticky = false;
        self.phase = Phase::Idle;
        heap.set_max_bump_region(ARENA_SIZE);
    }

    /// The atomic phase (see the module docs). Returns whether marking ended: not when it
    /// found finalizable objects dead and held them for the steps to trace.
    fn atomic<M: ObjectModel, R: Roots>(
        &mut self,
        heap: &mut Heap,
        roots: &mut R,
        budget: u64,
    ) -> bool {
        let began = self.pauses.clock();
        let written = self.barrier.ssb.len();
        // Drained in place: freeing a big buffer here would be a long munmap.
        let gray = &mut self.marking.gray;
        self.barrier.ssb.pop_into(usize::MAX, |obj| gray.push(obj));
        let marked_before = self.marking.marked_bytes;
        let rescanned = (written + roots.running_stacks().len()) as u64;
        {
            // The marking loop above empties the forward barrier's records first.
            debug_assert!(self.barrier.shade.is_empty());
            let mut tracer = self.marking.tracer(heap);
            // The other stacks have not run since the barrier queued them (in the SSB,
            // drained above) or since their last trace: see `ObjectModel::is_stack`.
            for &stack in roots.running_stacks() {
                // SAFETY: the roots' running stacks are live, initialised objects.
                unsafe { tracer.trace_object::<M>(stack) };
            }
            roots.trace_roots(&mut tracer);
            for &obj in self.finalizers.pending() {
                tracer.mark(obj);
            }
        }
        retrace_written_weak_objects::<M>(&mut self.marking, heap);
        // With helpers if it is big: this drain is most of the atomic pause.
        self.marking.drain_step::<M>(heap, u64::MAX, None);
        self.marking.tracer(heap).converge_ephemerons::<M>();

        let rescanned_at = self.pauses.clock();
        let mut dead = self.finalizers.separate_dead(&Marked(heap.large_objects()));
        self.atomic_marked_max = self
            .atomic_marked_max
            .max(self.marking.marked_bytes - marked_before);
        if !dead.is_empty() && self.finalizers.held().is_empty() {
            // What the dead objects reach is traced by the next steps (see the module
            // docs); only the values being finalized leave weak objects now.
            let mut tracer = self.marking.tracer(heap);
            for &obj in &dead {
                tracer.mark(obj);
            }
            let finalizable_at = self.pauses.clock();
            let liveness = AfterResurrection::new(&Undecided, &dead);
            let mut weak_count = 0;
            for &(obj, weakness) in &self.marking.weak_objects {
                if matches!(weakness, Weakness::WeakValues | Weakness::WeakKeysAndValues) {
                    // SAFETY: weak objects were traced this cycle; nothing is freed yet.
                    unsafe { M::clear_weak(obj, weakness, &liveness) };
                    weak_count += 1;
                }
            }
            self.marked_at_hold = self.marking.marked_bytes;
            self.pauses.note_atomic(AtomicPhase {
                total: self.pauses.clock() - began,
                rescan: rescanned_at - began,
                rescanned,
                finalizable: finalizable_at - rescanned_at,
                finalizable_count: dead.len() as u64,
                weak_clearing: self.pauses.clock() - finalizable_at,
                weak_count,
            });
            self.finalizers.hold(dead);
            return false;
        }
        // What the objects to finalize reach (with what marking got from the program
        // between two atomic phases, little).
        let mut finalizable_bytes = self.marking.marked_bytes;
        // Nothing newly marked, the ephemerons have converged already.
        if !dead.is_empty() {
            let mut tracer = self.marking.tracer(heap);
            for &obj in &dead {
                tracer.mark(obj);
            }
            tracer.drain::<M>(u64::MAX);
            tracer.converge_ephemerons::<M>();
        }
        finalizable_bytes = self.marking.marked_bytes - finalizable_bytes;
        if !self.finalizers.held().is_empty() {
            finalizable_bytes += marked_before - self.marked_at_hold;
        }
        // Registered after the held ones: queued before them.
        dead.append(&mut self.finalizers.take_held());
        let finalizable_at = self.pauses.clock();
        let marked = Marked(heap.large_objects());
        let liveness = AfterResurrection::new(&marked, &dead);
        for &(obj, weakness) in &self.marking.weak_objects {
            // SAFETY: weak objects were traced this cycle; nothing is freed yet.
            unsafe { M::clear_weak(obj, weakness, &liveness) };
        }
        let cleared_at = self.pauses.clock();
        let finalizable_count = dead.len() as u64;
        // The VM's weak references to leaf blocks (interned strings) are pruned in steps;
        // the leaf arenas wait for it (see `Roots::prune_weak_references_step`).
        let entries = (budget / PRUNE_WORK_PER_ENTRY).clamp(1, PRUNE_ENTRIES_IN_ATOMIC as u64);
        let pruned = roots.prune_weak_references_step(&liveness, true, entries as usize);
        self.finalizers.queue(dead);

        let previous_live = heap.live_bytes();
        let live = if self.cycle_minor {
            previous_live + self.marking.marked_bytes
        } else {
            self.marking.marked_bytes
        };
        // When the next major cycle is due weighs what the program reaches: what the
        // objects to finalize reach is garbage once they are finalized, unless their
        // finalizers store it (Lua 5.1 leaves it out of its estimate too). Counted in the
        // last major cycle's live heap, it let minor cycles pile up more old garbage with
        // finalizers, and the next major cycle resurrect more.
        let reached = live - finalizable_bytes;
        let allocated = heap.allocated_bytes() - self.allocated_at_atomic;
        let kind = self.modes.decide(&CycleReport {
            minor: self.cycle_minor,
            previous_live,
            live: reached,
            allocated,
            work: self.pacing.work_done,
            minor_fits: self
                .pacing
                .minor_fits(reached, self.modes.live_after_major()),
        });
        if !self.cycle_minor {
            self.heap_at_major = heap.heap_bytes();
        }
        heap.sample_footprint(self.memory_bytes());
        self.leaf_hold.hold_and_begin_sweep(heap, kind, live);
        if pruned {
            self.leaf_hold.release(heap);
        }
        self.allocated_at_atomic = heap.allocated_bytes();
        self.sticky = kind == SweepKind::Minor;
        self.barrier.remember = self.sticky;
        self.phase = Phase::Sweeping;
        self.pauses.count_cycle(if self.cycle_minor {
            CycleKind::Minor
        } else {
            CycleKind::Major
        });
        if self.cycle_minor {
            self.pauses
                .count_young(allocated, self.marking.marked_bytes);
        }
        if !self.cycle_minor {
            self.pacing.note_major_marking(live);
        }
        if self.sticky {
            self.pacing.plan_minor(live, self.modes.live_after_major());
            self.barrier.plan_retrace(self.pacing.expected_work);
        } else if self.cycle_minor && self.modes.mode == GcMode::Generational {
            self.pacing
                .plan_full_now(live, heap.heap_bytes(), heap.arenas_in_use());
        } else if self.cycle_minor {
            // A minor that ended generational mode's trial: incremental mode paces the
            // next cycle over the live heap the last full marking found. The minor's count
            // would also hold the old garbage since then, and the old objects it traced
            // again.
            self.pacing
                .plan_incremental(self.modes.live_after_major(), heap.arenas_in_use());
        } else {
            self.pacing.plan_incremental(live, heap.arenas_in_use());
        }
        self.pauses.note_atomic(AtomicPhase {
            total: self.pauses.clock() - began,
            rescan: rescanned_at - began,
            rescanned,
            finalizable: finalizable_at - rescanned_at,
            finalizable_count,
            weak_clearing: cleared_at - finalizable_at,
            weak_count: self.marking.weak_objects.len() as u64,
        });
        true
    }

    /// Bytes of the collector's own bookkeeping (see `footprint`): marking buffers, the
    /// barrier's buffers, the pause log.
    pub fn memory_bytes(&self) -> u64 {
        self.marking.memory_bytes()
            + self.barrier.ssb.memory_bytes()
            + vec_bytes(&self.barrier.shade)
            + vec_bytes(&self.full_gray_stack)
            + self.pauses.memory_bytes()
    }

    /// Ends the lazy sweep: the cycle is over.
    fn finish_sweep(&mut self, heap: &mut Heap) {
        self.phase = Phase::Idle;
        self.pacing.last_cycle_work = self.pacing.work_done;
        // Between cycles a step only checks the trigger: whole-arena regions will do.
        heap.set_max_bump_region(ARENA_SIZE);
        let live = heap.live_bytes();
        let mut headroom = self.pacing.goal.saturating_sub(live);
        if self.modes.mode == GcMode::Generational {
            // Minor cycles leave the old generation's garbage in place until the next
            // major one: the heap grows back to about the size it had at the last major
            // marking, so the arenas that sweeps empty stay resident for it rather than
            // being faulted in again a page at a time.
            headroom = headroom.max(self.heap_at_major.saturating_sub(live));
        }
        // Given back by the next steps, a few at a time.
        self.trim_to = Some(headroom);
    }

    /// Gives a few of the arenas the sweep emptied beyond the headroom back to the OS
    /// (giving them all back at once makes one long pause).
    fn trim_step(&mut self, heap: &mut Heap) {
        if let Some(headroom) = self.trim_to {
            if heap.trim_some(headroom, TRIM_ARENAS_PER_STEP) {
                self.trim_to = None;
            }
        }
    }

    /// A step at an allocation slow path: pays the allocation debt (at most
    /// `MAX_STEP_WORK` at once but after huge blocks, the rest carried to the next steps,
    /// see `pacing`), starting a cycle at the trigger, and gives a few emptied arenas back
    /// to the OS (see `trim_step`).
    pub fn allocation_step<M: ObjectModel, R: Roots>(&mut self, heap: &mut Heap, roots: &mut R) {
        let allocated = heap.allocated_bytes();
        if allocated < self.pacing.next_step_at {
            return;
        }
        let debt = allocated - self.pacing.last_step_at;
        self.pacing.last_step_at = allocated;
        let huge_allocated = heap.huge_allocated_bytes();
        let huge_debt = huge_allocated - self.pacing.last_step_huge_at;
        self.pacing.last_step_huge_at = huge_allocated;
        self.pacing.next_step_at = allocated + STEP_BYTES;
        self.paced_step::<M, R>(heap, roots, debt, huge_debt);
    }

    /// A step at the VM's poll (`Collector::safepoint`): an open cycle gets the increment
    /// that `STEP_BYTES` of allocation would pay for, so that it ends even if the
    /// program no longer allocates.
    pub fn poll_step<M: ObjectModel, R: Roots>(&mut self, heap: &mut Heap, roots: &mut R) {
        if self.phase != Phase::Idle {
            self.paced_step::<M, R>(heap, roots, STEP_BYTES, 0);
        }
    }

    /// A step paying for `debt` bytes of allocation (`huge_debt` of them huge blocks):
    /// starts a cycle if idle at the trigger, within the time share if one binds.
    fn paced_step<M: ObjectModel, R: Roots>(
        &mut self,
        heap: &mut Heap,
        roots: &mut R,
        debt: u64,
        huge_debt: u64,
    ) {
        let allocated = heap.allocated_bytes();
        let idle = self.phase == Phase::Idle;
        let starts_cycle = idle && self.auto_collect && heap.heap_bytes() >= self.pacing.trigger;
        if idle && !starts_cycle && self.trim_to.is_none() {
            return;
        }
        // A step runs only on the time share the mutator has earned it (see
        // `share_rule`); the work it owed is carried.
        let rule = share_rule(
            self.share_every_step,
            !idle,
            heap.heap_bytes(),
            self.pacing.goal,
            self.marking.marked_bytes,
            self.pacing.pause_percent,
        );
        let shared = rule == ShareRule::Bound;
        let started = self
            .time_share
            .as_ref()
            .filter(|_| rule != ShareRule::Off)
            .map(|_| thread_cpu_time());
        let allowance = match (&mut self.time_share, started) {
            (Some(share), Some(now)) if shared => match share.allowance(now) {
                Some(allowed) => Some(allowed),
                None => {
                    if !idle {
                        self.pacing.carried += self.pacing.budget(debt);
                        self.pacing.next_step_at = allocated + self.pacing.step_bytes;
                    }
                    return;
                }
            },
            _ => self.pacing.step_deadline,
        };
        // One pause for all this step does: trimming, starting a cycle, advancing it.
        let start = self.pauses.begin();
        self.trim_step(heap);
        if idle {
            if !starts_cycle {
                self.pauses.end(start, self.pause_phase());
                return;
            }
            self.start_cycle::<R>(heap, roots);
        }
        let phase = self.pause_phase();
        let heap_bytes = heap.heap_bytes();
        self.pacing.note_heap(heap_bytes);
        let work = self.pacing.take_step(debt, huge_debt, heap_bytes);
        self.pacing.next_step_at = allocated + self.pacing.step_bytes;
        heap.set_max_bump_region(self.pacing.step_bytes as usize);
        let done = self.pacing.work_done;
        let deadline = allowance.map(|d| start.instant() + d);
        let finished = self.advance::<M, R>(heap, roots, work, deadline);
        if !finished {
            // Work owed and not done (the deadline cut the step short) is carried.
            let did = self.pacing.work_done.saturating_sub(done);
            self.pacing.carried += work.saturating_sub(did);
        }
        if let (Some(share), Some(started)) = (&mut self.time_share, started) {
            share.spent(started, thread_cpu_time());
        }
        self.pauses.end(start, phase);
    }

    /// What a pause beginning now is spent on (for the statistics; an atomic phase run
    /// during the pause overrides it): the memory returned between cycles counts as the
    /// sweep's.
    pub fn pause_phase(&self) -> PausePhase {
        match self.phase {
            Phase::Marking => PausePhase::Mark,
            Phase::Idle | Phase::Sweeping => PausePhase::Sweep,
        }
    }

    /// A full collection: gives up the running cycle's marking or finishes its sweep,
    /// ends sticky marks, then marks the whole heap stop-the-world with the parallel
    /// marker (on `Heap::parallelism` threads; weak tables, finalizers and the VM's weak
    /// references included) and sweeps its arenas, in one pause; the memory it frees goes
    /// back to the OS in the next steps (`trim_step`), but for the heap limit's
    /// collection (`explicit` false), which needs it now. It leaves no black object,
    /// whatever the mode: the next cycle marks everything.
    pub fn full_collection<M: ObjectModel, R: Roots>(
        &mut self,
        heap: &mut Heap,
        roots: &mut R,
        explicit: bool,
    ) {
        let start = self.pauses.begin();
        if self.phase == Phase::Marking {
            self.abandon_marking(heap);
        } else {
            self.finish_cycle::<M, R>(heap, roots);
        }
        if self.sticky {
            heap.unmark_all();
            self.sticky = false;
        }
        self.barrier.ssb.clear();
        self.barrier.shade.clear();
        self.barrier.remember = false;
        heap.prepare_for_collection();
        // SAFETY: the collector registers only live objects of its heap as finalizers.
        let marked = unsafe {
            mark_heap::<M, R>(heap, roots, &mut self.full_gray_stack, &mut self.finalizers)
        };
        heap.sample_footprint(self.memory_bytes());
        heap.sweep_major_unmapping_later();
        self.modes.note_full_collection(marked.live_bytes);
        self.pacing.work_done = marked.live_bytes;
        self.pacing
            .plan_incremental(marked.live_bytes, heap.arenas_in_use());
        let headroom = self.pacing.goal.saturating_sub(marked.live_bytes);
        heap.finish_collection(marked.live_bytes);
        if explicit {
            // Given back by the next steps, a few at a time, as after a cycle's sweep.
            self.trim_to = Some(headroom);
        } else {
            // The heap limit's collection: the memory is wanted now.
            heap.trim(headroom);
            self.trim_to = None;
        }
        self.allocated_at_atomic = heap.allocated_bytes();
        self.pauses.count_cycle(CycleKind::Major);
        if explicit {
            self.pauses.end_explicit(start);
        } else {
            self.pauses.end(start, PausePhase::Full);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without a set share, only the steps of a cycle past its goal keep to the catch-up
    /// share, and only up to the memory bound, which rises with what the marking found
    /// live; a set share binds every step up to its own bound.
    #[test]
    fn the_catch_up_share_binds_only_past_the_goal() {
        let goal = 100 << 20;
        let catch_up =
            |in_cycle, heap, marked| share_rule(false, in_cycle, heap, goal, marked, 200);
        assert_eq!(
            catch_up(true, goal - 1, 0),
            ShareRule::Off,
            "ahead of the goal"
        );
        assert_eq!(
            catch_up(false, 2 * goal, 0),
            ShareRule::Off,
            "no cycle to catch up"
        );
        assert_eq!(catch_up(true, goal, 0), ShareRule::Bound);
        let memory_bound = goal / 100 * CATCH_UP_UP_TO_GOAL_PERCENT;
        assert_eq!(catch_up(true, memory_bound - 1, 0), ShareRule::Bound);
        assert_eq!(catch_up(true, memory_bound, 0), ShareRule::Counted);
        assert_eq!(
            catch_up(true, 3 * goal - 1, goal + goal / 2),
            ShareRule::Bound,
            "within pause x the bytes found live"
        );
        assert_eq!(
            catch_up(true, 3 * goal, goal + goal / 2),
            ShareRule::Counted
        );
        let set = |in_cycle, heap| share_rule(true, in_cycle, heap, goal, 0, 200);
        assert_eq!(
            set(false, 0),
            ShareRule::Bound,
            "a set share binds every step"
        );
        assert_eq!(set(true, memory_bound), ShareRule::Bound);
        assert_eq!(
            set(true, goal / 100 * SHARED_UP_TO_GOAL_PERCENT),
            ShareRule::Counted
        );
    }
}
