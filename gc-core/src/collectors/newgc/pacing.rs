//! Pacing by allocation debt, with Lua's knobs.
//!
//! Work is counted in bytes: bytes of objects traced (with a price per part scanned and per
//! reference marked), `SWEEP_WORK_PER_ARENA` per arena swept (the sweep reads 1/64 of an
//! arena), and `UNMAP_WORK_PER_PIECE` per piece of a dead huge block unmapped (the OS frees
//! each of its pages). Each step pays for the allocation since the last one at `stepmul`
//! percent, in bytes of the live heap: scaled by the work a live byte cost the last major
//! marking (`work_percent`), so that `stepmul` keeps Lua's meaning (a cycle over a live
//! heap L takes L x 100 / stepmul of allocation) however the program's objects are priced.
//! Unscaled, a heap of small linked tables (lru_cache: 2.15 units of work per live byte)
//! took twice the allocation per cycle: the heap ran past the goal, and the floating
//! garbage of the long cycles raised the next goal too.
//!
//! A cycle has a deadline, the *goal*: the heap size `pause` percent of the live heap
//! (Lua's pause). So that the cycle finishes by then, it starts early, at the *trigger*:
//! the goal minus the growth its expected work allows at that rate (expected work: the last
//! marking's, plus sweeping every arena), less two arenas of slack (the allocator takes
//! memory an arena-sized bump region at a time, so the heap moves in such jumps between two
//! steps). A step also speeds up when the work left would not be done by the goal at the
//! current allocation rate. No step does more than `MAX_STEP_WORK` (what is owed beyond it
//! is carried to the next steps): pauses stay short, and steps come more often instead,
//! down to every `MIN_STEP_BYTES` of allocation. Work carried is paid back at most as fast
//! as the allocation owes its own (a step owes at most twice its budget, or what the goal
//! needs if more): a step cut short after huge blocks carries megabytes of work, which
//! steps at the shortest interval would pay in a burst of back-to-back pauses. The
//! exception is the step after huge blocks: megabytes come in one allocation, and perhaps
//! none follows for a long while (an array part being filled), so there are no more steps
//! to carry the debt to. That step may do `MAX_STEP_WORK` per `STEP_BYTES` of the huge
//! blocks, what steps would have done had the same bytes come in small blocks; the step
//! deadline bounds it in time. Only while the live heap grows faster than that does the
//! heap pass the goal (`max_overshoot` records by how much). Past the goal every step owes
//! all it may do, at the shortest interval, so the cycle still ends: the live heap cannot
//! grow faster than allocation. With a bounded time share
//! (`HeapConfig::max_gc_share_percent`, see `time_share`), a step also does only what the
//! share allows until the heap is far past the goal; without one, with a step deadline, the
//! steps of a cycle past its goal keep to a catch-up share up to a memory bound
//! (`cycle::CATCH_UP_SHARE_PERCENT`), so that they do not come microseconds apart. The heap
//! limit is the hard bound: it runs a full collection.
//!
//! Work is a proxy for time, and a poor one on heaps far bigger than the caches: marking
//! a reference to cold memory (a cache and a TLB miss for its mark word, another for its
//! gray stack) costs a hundred times one to memory just allocated. So an allocation step
//! also stops marking at the step deadline (`HeapConfig::step_deadline`, if any) and
//! carries what it still owed; the atomic phase, once reached, is not cut. Without a
//! deadline nothing here reads the clock: a run's cycles depend on its allocation only.
//!
//! Generational mode triggers a minor cycle after `MINOR_PERCENT` of the live heap (at
//! least `min_trigger` bytes, so small heaps do not run minors back to back) has been
//! allocated, with a deadline twice that, but no later than the goal a full cycle would
//! have had after the last major marking (`pause` percent of what it found), so that
//! on small heaps, where the floor is most of the live heap, generational mode keeps to
//! the heap size incremental mode keeps to.

use std::time::Duration;

use crate::heap::arena::ARENA_SIZE;
use crate::heap::large_object_space::UNMAP_PIECE;

/// Allocation between two steps (smaller slow-path visits only update the debt).
pub(super) const STEP_BYTES: u64 = 16 << 10;

/// The shortest allocation between two steps, when the work owed is more than
/// `MAX_STEP_WORK` per `STEP_BYTES`: marking then runs up to four times faster, in
/// steps no longer than usual.
const MIN_STEP_BYTES: u64 = STEP_BYTES / 4;

/// The most work one allocation step does (but see `max_step_work` for the step after
/// huge blocks), so that no step is a long pause; a big allocation's debt is paid over
/// several steps.
pub(super) const MAX_STEP_WORK: u64 = 64 << 10;

/// The work charged for sweeping one arena.
pub(super) const SWEEP_WORK_PER_ARENA: u64 = (ARENA_SIZE / 64) as u64;

/// The work charged for unmapping one piece of a dead huge block: half a unit a byte, as
/// freeing a resident page costs about what marking half its bytes does (many times an
/// arena's sweep). A byte allocated owes at least `stepmul / 100` units (`budget`), so
/// from `stepmul` 50 up dead huge blocks go back at least as fast as the program maps
/// new ones.
pub(super) const UNMAP_WORK_PER_PIECE: u64 = (UNMAP_PIECE / 2) as u64;

/// Young allocation that triggers a minor cycle, in percent of the live heap (Lua 5.4's
/// default `genminormul`).
pub(super) const MINOR_PERCENT: u64 = 20;

/// Bounds of `Pacing::work_percent`: a live byte costs at least its own byte; the upper
/// bound keeps a heap of pointer-dense objects from making every step `MAX_STEP_WORK`.
const MIN_WORK_PERCENT: u64 = 100;
const MAX_WORK_PERCENT: u64 = 400;

/// When cycles start and how much work each step does.
#[derive(Debug)]
pub(super) struct Pacing {
    pub pause_percent: u32,
    pub stepmul_percent: u32,
    pub min_trigger: u64,
    /// The longest an allocation step marks, if steps have a deadline (see the module
    /// docs).
    pub step_deadline: Option<Duration>,
    /// Heap size at which the next cycle starts.
    pub trigger: u64,
    /// Heap size by which the running cycle must be done.
    pub goal: u64,
    /// Allocation count (bytes) at which the next step runs.
    pub next_step_at: u64,
    /// Allocation count at the last step, and the huge blocks' part of it.
    pub last_step_at: u64,
    pub last_step_huge_at: u64,
    /// The work the running cycle is expected to take, and the work done so far.
    pub expected_work: u64,
    pub work_done: u64,
    /// The whole work of the last finished cycle.
    pub last_cycle_work: u64,
    /// Work owed by earlier steps beyond `MAX_STEP_WORK`.
    pub carried: u64,
    /// Work per live byte of the last major marking, in percent (see the module docs).
    pub work_percent: u64,
    /// Allocation between this step and the next (`STEP_BYTES`, or less when behind).
    pub step_bytes: u64,
    /// Largest heap size seen during a cycle above that cycle's goal (0 when the bound
    /// always held).
    pub max_overshoot: u64,
}

impl Pacing {
    /// Pacing with Lua's `pause` and `stepmul`, no cycle before `min_trigger` bytes, and
    /// allocation steps that mark until `step_deadline` at most.
    pub fn new(
        pause_percent: u32,
        stepmul_percent: u32,
        min_trigger: u64,
        step_deadline: Option<Duration>,
    ) -> Self {
        Pacing {
            pause_percent,
            stepmul_percent: stepmul_percent.max(1),
            min_trigger,
            step_deadline,
            trigger: min_trigger,
            goal: (min_trigger.saturating_mul(u64::from(pause_percent)) / 100)
                .max(min_trigger + 4 * ARENA_SIZE as u64),
            next_step_at: STEP_BYTES,
            last_step_at: 0,
            last_step_huge_at: 0,
            expected_work: min_trigger,
            last_cycle_work: 0,
            carried: 0,
            work_percent: MIN_WORK_PERCENT,
            step_bytes: STEP_BYTES,
            work_done: 0,
            max_overshoot: 0,
        }
    }

    /// Notes what a major marking that found `live` bytes cost (`work_done`): the price
    /// of a live byte for the next steps' budgets.
    pub fn note_major_marking(&mut self, live: u64) {
        self.work_percent = (self.work_done.saturating_mul(100) / live.max(1))
            .clamp(MIN_WORK_PERCENT, MAX_WORK_PERCENT);
    }

    /// Plans the next incremental cycle after one that left `live` bytes in `arenas`,
    /// at the end of its marking: the next marking is expected to cost what this one did
    /// (`work_done`, which also prices scanning), or the live heap if more, and at least
    /// what the whole last cycle cost (sweeping and pruning included).
    pub fn plan_incremental(&mut self, live: u64, arenas: usize) {
        let paced = live.saturating_mul(u64::from(self.pause_percent)) / 100;
        let goal = paced.max(self.min_trigger);
        let sweep = arenas as u64 * SWEEP_WORK_PER_ARENA;
        let work = (live.max(self.work_done) + sweep).max(self.last_cycle_work);
        let growth = self.growth_during(work);
        self.goal = goal;
        self.expected_work = work;
        self.trigger = goal
            .saturating_sub(growth + 2 * ARENA_SIZE as u64)
            .max(live.min(goal));
    }

    /// Plans a full cycle that starts as soon as the running sweep ends, when the heap is
    /// `heap_bytes`, after a minor cycle found the old generation grown past its bound to
    /// `live` bytes. Much of that is likely garbage only a full marking can find: waiting
    /// for the usual trigger (`pause` percent of a live heap that counts the garbage)
    /// would let the heap grow to twice the garbage too. The goal leaves room for what the
    /// program allocates while the marking runs.
    pub fn plan_full_now(&mut self, live: u64, heap_bytes: u64, arenas: usize) {
        self.plan_incremental(live, arenas);
        let growth = self.growth_during(self.expected_work);
        self.trigger = heap_bytes;
        self.goal = heap_bytes + growth + 2 * ARENA_SIZE as u64;
    }

    /// The room for young allocation below the heap goal a full cycle would have had
    /// after the last major marking, which found `live_after_major` bytes, when minor
    /// cycles have left `live` bytes.
    fn room_below_major_goal(&self, live: u64, live_after_major: u64) -> u64 {
        let goal = (live_after_major.saturating_mul(u64::from(self.pause_percent)) / 100)
            .max(self.min_trigger);
        goal.saturating_sub(live)
    }

    /// Whether another minor cycle fits below the heap goal of a full cycle (see
    /// `plan_minor`): if not, the old generation's garbage is to be found now.
    pub fn minor_fits(&self, live: u64, live_after_major: u64) -> bool {
        self.room_below_major_goal(live, live_after_major) >= live * MINOR_PERCENT / 100
    }

    /// Plans the next minor cycle after one that left `live` bytes, when the last major
    /// marking found `live_after_major`: after `MINOR_PERCENT` of the live heap is
    /// allocated, at least `min_trigger` bytes, but no more than the room left below
    /// the goal a full cycle would have had (`pause` percent of `live_after_major`; see
    /// the module docs).
    pub fn plan_minor(&mut self, live: u64, live_after_major: u64) {
        let least = live * MINOR_PERCENT / 100;
        let room = self.room_below_major_goal(live, live_after_major);
        let young = least.max(self.min_trigger.min(room));
        self.trigger = (live + young).max(self.min_trigger);
        self.goal = self.trigger + young + 2 * ARENA_SIZE as u64;
        self.expected_work = young.max(self.work_done);
    }

    /// The allocation during `work` at the rate `budget` sets.
    fn growth_during(&self, work: u64) -> u64 {
        let rate = u64::from(self.stepmul_percent) * self.work_percent;
        u64::try_from(u128::from(work) * 10_000 / u128::from(rate)).unwrap_or(u64::MAX)
    }

    /// The work a step owes for `debt` bytes allocated since the last one: `stepmul`
    /// percent of it, in bytes of the live heap (`work_percent` units each). The debt is
    /// taken as it is, however short the interval: a floor per step would make the
    /// shortened steps of a cycle that is behind mark faster than planned, and the cycle
    /// end before its goal, having run more often than the pause asks.
    pub fn budget(&self, debt: u64) -> u64 {
        let rate = u64::from(self.stepmul_percent) * self.work_percent;
        let work = u128::from(debt) * u128::from(rate) / 10_000;
        u64::try_from(work).unwrap_or(u64::MAX)
    }

    /// The work that would finish the cycle by the goal at the current allocation rate
    /// (twice the share of the work left that `debt` is of the headroom left); past the
    /// goal, all a step may do, even where the work done passed the expected work.
    fn needed(&self, debt: u64, heap_bytes: u64) -> u64 {
        if heap_bytes >= self.goal {
            return u64::MAX;
        }
        let left = self.expected_work.saturating_sub(self.work_done);
        let headroom = self.goal - heap_bytes;
        let needed = u128::from(left) * u128::from(debt) * 2 / u128::from(headroom);
        u64::try_from(needed).unwrap_or(u64::MAX)
    }

    /// Notes the heap size during a cycle, for `max_overshoot`.
    pub fn note_heap(&mut self, heap_bytes: u64) {
        self.max_overshoot = self.max_overshoot.max(heap_bytes.saturating_sub(self.goal));
    }

    /// The work of this step, which pays for `debt` bytes of allocation, `huge_debt` of
    /// them in huge blocks: what the debt owes (see `budget`) plus as much again of what
    /// earlier steps carried, or more if the goal needs it, at most
    /// `max_step_work(huge_debt)`; what is owed beyond is carried on. Sets `step_bytes`:
    /// shorter than `STEP_BYTES` in proportion to the work wanted beyond `MAX_STEP_WORK`.
    pub fn take_step(&mut self, debt: u64, huge_debt: u64, heap_bytes: u64) -> u64 {
        let budget = self.budget(debt);
        let owed = self.carried.saturating_add(budget);
        let wanted = budget
            .saturating_add(self.carried.min(budget))
            .max(self.needed(debt, heap_bytes));
        let work = wanted.min(max_step_work(huge_debt));
        self.carried = owed.saturating_sub(work);
        let interval =
            u128::from(STEP_BYTES) * u128::from(MAX_STEP_WORK) / u128::from(wanted.max(1));
        self.step_bytes = u64::try_from(interval)
            .unwrap_or(STEP_BYTES)
            .clamp(MIN_STEP_BYTES, STEP_BYTES);
        work
    }
}

/// The most work a step does that pays for `huge_debt` bytes of huge blocks (see the
/// module docs): `MAX_STEP_WORK`, or that per `STEP_BYTES` of the huge blocks if more.
fn max_step_work(huge_debt: u64) -> u64 {
    MAX_STEP_WORK.saturating_mul((huge_debt / STEP_BYTES).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pacing() -> Pacing {
        Pacing::new(200, 200, 1 << 20, None)
    }

    /// The step that starts a cycle pays for a whole-arena bump region of small blocks:
    /// it still does `MAX_STEP_WORK` at most (the step after huge blocks alone may do
    /// more), so ordinary pauses keep their bound.
    #[test]
    fn only_huge_blocks_raise_a_steps_work() {
        let debt = 16 * STEP_BYTES;
        let mut small = pacing();
        assert_eq!(small.take_step(debt, 0, 0), MAX_STEP_WORK);
        assert!(small.carried > 0, "the rest is carried");
        let mut huge = pacing();
        assert_eq!(
            huge.take_step(debt, debt, 0),
            huge.budget(debt),
            "a step after huge blocks pays for them"
        );
        assert_eq!(huge.carried, 0);
    }

    /// Steps that come more often, because the work owed is more than `MAX_STEP_WORK` per
    /// `STEP_BYTES`, each owe only what their shorter allocation owes: over a stretch of
    /// allocation the steps do the work it owes (plus at most one step's carry), not
    /// `STEP_BYTES / MIN_STEP_BYTES` times that.
    #[test]
    fn frequent_steps_mark_at_the_planned_rate() {
        let mut pacing = pacing();
        pacing.work_percent = MAX_WORK_PERCENT;
        pacing.goal = u64::MAX;
        let allocation = 256 * STEP_BYTES;
        let (mut allocated, mut work) = (0, 0);
        let mut intervals = Vec::new();
        while allocated < allocation {
            let debt = pacing.step_bytes;
            work += pacing.take_step(debt, 0, 0);
            allocated += debt;
            intervals.push(pacing.step_bytes);
        }
        assert!(
            intervals.iter().any(|&i| i < STEP_BYTES),
            "the owed rate is above one MAX_STEP_WORK per STEP_BYTES"
        );
        let owed = pacing.budget(allocated);
        assert!(
            work <= owed && owed - work <= MAX_STEP_WORK,
            "{work} units done for {owed} owed"
        );
    }

    /// Work carried (here, what a step cut short after huge blocks left) is paid back at
    /// most at the rate the allocation owes its own: each step does at most twice its
    /// budget, at the usual interval, and the carried work still all gets done.
    #[test]
    fn carried_work_is_paid_back_at_the_budgets_rate() {
        let mut pacing = Pacing::new(200, 100, 1 << 20, None);
        pacing.goal = u64::MAX;
        let carried = 100 * MAX_STEP_WORK;
        pacing.carried = carried;
        let budget = pacing.budget(STEP_BYTES);
        assert!(
            2 * budget < MAX_STEP_WORK,
            "the cap binds before MAX_STEP_WORK"
        );
        let mut work = 0;
        let mut steps = 0;
        while pacing.carried > 0 {
            let step = pacing.take_step(STEP_BYTES, 0, 0);
            assert!(step <= 2 * budget, "step {steps}: {step} units");
            assert_eq!(pacing.step_bytes, STEP_BYTES, "step {steps}: shortened");
            work += step;
            steps += 1;
        }
        assert_eq!(work, carried + steps * budget, "all carried work done");
    }

    /// A minor cycle's young allocation: the floor on a small heap, but no more than the
    /// room below the goal of a full cycle over the last major's live heap; a minor that
    /// leaves less room than `MINOR_PERCENT` of the live heap does not fit.
    #[test]
    fn minors_keep_below_the_goal_of_a_full_cycle() {
        let mib = 1 << 20;
        let mut pacing = Pacing::new(200, 200, 4 * mib, None);
        pacing.plan_minor(5 * mib, 5 * mib);
        assert_eq!(pacing.trigger, 9 * mib, "the floor fits below 2 x 5 MB");
        pacing.plan_minor(7 * mib, 5 * mib);
        assert_eq!(pacing.trigger, 10 * mib, "capped at the full cycle's goal");
        assert!(pacing.minor_fits(8 * mib, 5 * mib));
        assert!(!pacing.minor_fits(9 * mib, 5 * mib), "1 MB < 20% of 9 MB");
        pacing.plan_minor(100 * mib, 100 * mib);
        assert_eq!(
            pacing.trigger,
            120 * mib,
            "big heaps: MINOR_PERCENT of live"
        );
        let mut low_pause = Pacing::new(110, 200, 4 * mib, None);
        low_pause.plan_minor(100 * mib, 100 * mib);
        assert_eq!(
            low_pause.trigger,
            120 * mib,
            "never less than MINOR_PERCENT, even with no room"
        );
    }
}
