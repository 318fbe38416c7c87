//! A collection cycle, as Lua 5.1's `singlestep` runs it:
//! - `Pause`: the next step marks the roots (`markroot`) and starts propagating;
//! - `Propagate`: each step traces gray objects (`propagatemark`); with none left, the
//!   atomic phase runs in one go (roots, weak objects and the gray-again list traced again,
//!   ephemerons, finalizers separated and resurrected, weak entries cleared, the current
//!   white flipped);
//! - `SweepString`: the VM prunes its string table a bucket at a time (5.1 sweeps the
//!   string table's chains here); the collector frees nothing meanwhile;
//! - `Sweep`: the list of every block is swept `SWEEP_MAX` blocks at a time: the other
//!   white is freed, everything else turned the current white.
//!
//! 5.1's `Finalize` state calls one finalizer per step; here the VM takes the queued
//! objects and runs their finalizers at its own safe points, so a cycle ends at the sweep.

use super::marker::Survival;
use super::pacing::{SWEEP_COST, SWEEP_MAX, SWEEP_STRING_BUCKETS};
use super::Lua51;
use crate::footprint::{vec_bytes, Footprint};
use crate::heap::malloc_space::{SweepAction, SweepCursor};
use crate::heap::os;
use crate::mark::AfterResurrection;
use crate::object_model::{ObjectModel, Roots, Tracer};
use crate::stats::{AtomicPhase, CycleKind, PausePhase};

/// Where a cycle is (5.1's `gcstate`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Between cycles.
    Pause,
    /// Tracing gray objects, incrementally.
    Propagate,
    /// The VM pruning its weak references to dead strings, incrementally.
    SweepString,
    /// Sweeping the list of blocks, incrementally.
    Sweep,
}

impl<M: ObjectModel> Lua51<M> {
    /// 5.1's `luaC_step`: one pause doing a step's worth of work, then the next threshold.
    pub(super) fn paced_step<R: Roots>(&mut self, roots: &mut R) {
        let start = self.pauses.begin();
        let phase = match self.phase {
            Phase::Pause | Phase::Propagate => PausePhase::Mark,
            Phase::SweepString | Phase::Sweep => PausePhase::Sweep,
        };
        let mut work = self.pacing.step_work();
        self.pacing.debt += self.space.bytes().saturating_sub(self.pacing.threshold);
        loop {
            work -= i64::try_from(self.single_step(roots)).unwrap_or(i64::MAX);
            if self.phase == Phase::Pause || work <= 0 {
                break;
            }
        }
        if self.phase == Phase::Pause {
            self.pacing.after_cycle();
        } else {
            self.pacing.after_step(self.space.bytes());
        }
        self.pauses.end(start, phase);
    }

    /// One increment of the cycle; returns the work it cost.
    pub(super) fn single_step<R: Roots>(&mut self, roots: &mut R) -> u64 {
        match self.phase {
            Phase::Pause => {
                self.mark_root(roots);
                0
            }
            Phase::Propagate => match self.marking.gray.pop() {
                Some(obj) => self.marking.propagate::<M>(obj),
                None => {
                    self.atomic(roots);
                    0
                }
            },
            Phase::SweepString => {
                let survival = Survival {
                    dead_white: self.marking.other_white(),
                };
                if roots.prune_weak_references_step(&survival, false, SWEEP_STRING_BUCKETS) {
                    self.begin_sweep();
                }
                SWEEP_COST
            }
            Phase::Sweep => {
                self.sweep_some(SWEEP_MAX);
                SWEEP_MAX as u64 * SWEEP_COST
            }
        }
    }

    /// 5.1's `markroot`: a new marking starts from the roots and the objects queued for
    /// finalization (the VM has not taken them yet: they are roots until it does).
    fn mark_root<R: Roots>(&mut self, roots: &mut R) {
        self.marking.clear();
        roots.trace_roots(&mut self.marking);
        for &obj in self.finalizers.pending() {
            self.marking.mark(obj);
        }
        self.phase = Phase::Propagate;
    }

    /// 5.1's `atomic`, with ephemerons: marking ends in one go.
    fn atomic<R: Roots>(&mut self, roots: &mut R) {
        let began = self.pauses.clock();
        let marking = &mut self.marking;
        marking.propagate_all::<M>();
        // Weak objects again (their strong parts may have changed), then the roots, which
        // are written without the barrier, then stacks and barriered objects.
        let weak = std::mem::take(&mut marking.weak);
        marking.gray.extend(weak.into_iter().map(|(obj, _)| obj));
        roots.trace_roots(marking);
        for &obj in self.finalizers.pending() {
            marking.mark(obj);
        }
        marking.propagate_all::<M>();
        let again = std::mem::take(&mut marking.gray_again);
        let rescanned = again.len() as u64;
        marking.gray.extend(again);
        marking.propagate_all::<M>();
        marking.converge_ephemerons::<M>();

        let rescanned_at = self.pauses.clock();
        let dead = self.finalizers.separate_dead(&*marking);
        for &obj in &dead {
            marking.mark(obj);
        }
        marking.propagate_all::<M>();
        marking.converge_ephemerons::<M>();
        let finalizable_at = self.pauses.clock();
        let liveness = AfterResurrection::new(&*marking, &dead);
        for &(obj, weakness) in &marking.weak {
            // SAFETY: weak objects were traced this cycle, so live and initialised; the
            // sweep has freed nothing yet.
            unsafe { M::clear_weak(obj, weakness, &liveness) };
        }
        let cleared_at = self.pauses.clock();
        let (finalizable_count, weak_count) = (dead.len() as u64, marking.weak.len() as u64);
        self.finalizers.queue(dead);
        marking.gray_again.clear();

        marking.current_white = marking.other_white();
        let survival = Survival {
            dead_white: marking.other_white(),
        };
        self.pacing.estimate = self.space.bytes();
        self.pauses.count_cycle(CycleKind::Major);
        if roots.prune_weak_references_step(&survival, true, SWEEP_STRING_BUCKETS) {
            self.begin_sweep();
        } else {
            self.phase = Phase::SweepString;
        }
        self.pauses.note_atomic(AtomicPhase {
            total: self.pauses.clock() - began,
            rescan: rescanned_at - began,
            rescanned,
            finalizable: finalizable_at - rescanned_at,
            finalizable_count,
            weak_clearing: cleared_at - finalizable_at,
            weak_count,
        });
    }

    /// Ends the marking (where the heap is largest: the footprint is sampled) and starts
    /// the sweep.
    fn begin_sweep(&mut self) {
        self.sample_footprint();
        self.phase = Phase::Sweep;
        self.sweep_cursor = SweepCursor::default();
    }

    /// Offers the footprint to the peak: the malloc space's blocks, `malloc`'s free
    /// chunks, and the gray lists and pause log as metadata.
    fn sample_footprint(&mut self) {
        let marking = &self.marking;
        let metadata = vec_bytes(&marking.gray)
            + vec_bytes(&marking.gray_again)
            + vec_bytes(&marking.weak)
            + self.pauses.memory_bytes();
        self.peak_footprint.offer(Footprint {
            in_use_bytes: self.space.bytes(),
            free_in_arenas_bytes: os::malloc_free_bytes(),
            metadata_bytes: metadata,
            ..Footprint::default()
        });
    }

    /// 5.1's `sweeplist`: frees the other white among the next `max` blocks, turns the
    /// rest the current white. At the end of the list the cycle ends.
    fn sweep_some(&mut self, max: usize) {
        let dead = self.marking.other_white();
        let white = self.marking.current_white;
        let before = self.space.bytes();
        // SAFETY: the VM initialises each object before its next allocation, and sweeps
        // run only within allocations and the program's `collectgarbage` calls.
        let next = unsafe {
            self.space.sweep::<M>(self.sweep_cursor, max, |bits| {
                if bits & dead != 0 {
                    SweepAction::Free
                } else {
                    SweepAction::Keep(white)
                }
            })
        };
        let freed = before - self.space.bytes();
        self.pacing.estimate = self.pacing.estimate.saturating_sub(freed);
        match next {
            Some(cursor) => self.sweep_cursor = cursor,
            None => {
                self.phase = Phase::Pause;
                self.pacing.debt = 0;
                self.live_bytes = self.pacing.estimate;
            }
        }
    }

    /// 5.1's `luaC_fullgc`: a running marking is abandoned (a sweep returns every block
    /// to white; nothing is of the other white before the flip, so it frees nothing), a
    /// running sweep is finished, then a whole cycle runs. One pause, `explicit` when the
    /// program asked for it.
    pub(super) fn full_collection<R: Roots>(&mut self, roots: &mut R, explicit: bool) {
        let start = self.pauses.begin();
        if matches!(self.phase, Phase::Pause | Phase::Propagate) {
            self.marking.clear();
            self.begin_sweep();
        }
        while self.phase != Phase::Pause {
            self.single_step(roots);
        }
        self.mark_root(roots);
        while self.phase != Phase::Pause {
            self.single_step(roots);
        }
        self.pacing.after_cycle();
        if explicit {
            self.pauses.end_explicit(start);
        } else {
            self.pauses.end(start, PausePhase::Full);
        }
    }
}
