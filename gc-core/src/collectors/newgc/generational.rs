//! Switching between incremental and generational mode, by the collector work each costs.
//!
//! A cycle is *minor* when it starts with sticky marks (the previous sweep was minor): it
//! marks only young objects and the old ones the barrier remembered. Every decision is
//! taken at the end of a cycle's marking, because it chooses that cycle's sweep: a minor
//! sweep keeps the survivors black (old) and makes the next cycle minor; a major sweep
//! whitens them and makes the next cycle mark everything.
//!
//! Rules (thresholds chosen, not tuned; see the paper):
//! - incremental mode switches to generational when a cycle finds that most of what was
//!   allocated since the previous one died (`SWITCH_TO_GENERATIONAL_DEATH_RATE`): young
//!   objects may die young, so minors may free much for little marking. The deaths are
//!   counted against the live heap the previous cycle found, so only when that cycle
//!   marked everything: after a minor one, the old generation's garbage, which minors
//!   never free, would count as the allocation's deaths;
//! - the death rate cannot tell young deaths from old objects dying, so generational mode
//!   is a trial, judged by its price: the marking work per byte allocated of its cycles
//!   since the trial began (or since its last major cycle that passed), against that of
//!   the incremental cycle before it. It switches back as soon as it costs more: after a
//!   minor cycle (majors would only add to the price) or after a major one, which ends a
//!   round of the trial. Young survival alone does not decide: minors that keep most
//!   young bytes can still cost less than marking everything;
//! - each failed trial makes incremental mode wait before the next, twice as long as the
//!   last time (`RETRY_AFTER_CYCLES_MIN` to `_MAX` cycles), so that a program that fails
//!   the trial is not switched back and forth; a round that passes resets the wait;
//! - generational mode runs a major cycle when the live heap has grown by
//!   `MAJOR_GROWTH_PERCENT` over what the last major left (old garbage is only found by
//!   majors), starting its full marking at once, and also when another minor cycle would
//!   not fit below the goal a full cycle would have had (`Pacing::minor_fits`): minors
//!   keep to the heap size incremental mode keeps to;
//! - a forced mode (`collectgarbage("generational")`, `--gc-mode`) never switches.

use crate::collector::GcMode;
use crate::heap::bitmap::SweepKind;

/// Fraction (percent) of the allocation that must die for incremental mode to switch.
const SWITCH_TO_GENERATIONAL_DEATH_RATE: u64 = 75;
/// Growth of the live heap (old generation included) since the last major, in percent,
/// that makes the next cycle major. Lua 5.4 waits for 100%, then collects in one pause;
/// newgc's full marking is incremental and the heap grows by about half the live heap
/// while it runs (`stepmul` 200), so it starts at 50% to end near the same peak.
const MAJOR_GROWTH_PERCENT: u64 = 50;
/// Incremental cycles to wait after a failed trial of generational mode before the next:
/// long enough to measure the death rate over full markings.
const RETRY_AFTER_CYCLES_MIN: u32 = 2;
/// The longest wait after repeated failures: a program that changes phase still gets
/// generational mode back within a bounded number of cycles.
const RETRY_AFTER_CYCLES_MAX: u32 = 64;

/// What a cycle measured, for the decision.
pub(super) struct CycleReport {
    /// Whether the cycle was minor.
    pub minor: bool,
    /// Live bytes the previous cycle left.
    pub previous_live: u64,
    /// Live bytes now, less what only the objects being finalized reach (garbage once
    /// they are finalized).
    pub live: u64,
    /// Bytes allocated since the previous cycle's marking ended.
    pub allocated: u64,
    /// The cycle's marking work (`Pacing::work_done` at its end).
    pub work: u64,
    /// Whether another minor cycle would start within the goal of a full cycle over
    /// the live heap the last major left.
    pub minor_fits: bool,
}

/// Marking work and the allocation it paid for, summed over cycles.
#[derive(Clone, Copy, Debug, Default)]
struct Price {
    work: u64,
    allocated: u64,
}

impl Price {
    fn of(report: &CycleReport) -> Self {
        Price {
            work: report.work,
            allocated: report.allocated,
        }
    }

    fn add(&mut self, report: &CycleReport) {
        self.work = self.work.saturating_add(report.work);
        self.allocated = self.allocated.saturating_add(report.allocated);
    }

    /// Whether this costs more work per allocated byte than `other`.
    fn exceeds(&self, other: &Price) -> bool {
        u128::from(self.work) * u128::from(other.allocated)
            > u128::from(other.work) * u128::from(self.allocated)
    }
}

/// The mode and the state its rules need.
#[derive(Debug)]
pub(super) struct ModeControl {
    pub mode: GcMode,
    pub forced: Option<GcMode>,
    live_after_major: u64,
    /// Whether the previous cycle's live bytes came from a full marking.
    previous_live_exact: bool,
    /// The price of the last incremental cycle: what a trial must beat.
    incremental: Price,
    /// The price of the running trial's round so far.
    trial: Price,
    /// The wait after the next failed trial, in incremental cycles.
    retry_wait: u32,
    /// Incremental cycles left before generational mode may be tried again.
    cycles_until_retry: u32,
}

impl ModeControl {
    /// Starts in `forced` mode, or incremental.
    pub fn new(forced: Option<GcMode>) -> Self {
        ModeControl {
            mode: forced.unwrap_or(GcMode::Incremental),
            forced,
            live_after_major: 0,
            previous_live_exact: true,
            incremental: Price::default(),
            trial: Price::default(),
            retry_wait: RETRY_AFTER_CYCLES_MIN,
            cycles_until_retry: 0,
        }
    }

    /// The live heap the last major cycle left.
    pub fn live_after_major(&self) -> u64 {
        self.live_after_major
    }

    /// Forces `mode` from the next decision on; returns the mode before.
    pub fn force(&mut self, mode: GcMode) -> GcMode {
        let before = self.mode;
        self.forced = Some(mode);
        self.mode = mode;
        before
    }

    /// Notes a full collection that left `live` bytes: the old generation's size for
    /// the next decision.
    pub fn note_full_collection(&mut self, live: u64) {
        self.live_after_major = live;
        self.previous_live_exact = true;
    }

    /// Chooses the sweep of the cycle `report` describes (and so the next cycle's kind),
    /// switching modes by the rules above.
    pub fn decide(&mut self, report: &CycleReport) -> SweepKind {
        let percent = |part: u64, whole: u64| part.saturating_mul(100) / whole.max(1);
        if !report.minor {
            self.live_after_major = report.live;
        }
        let previous_live_exact = std::mem::replace(&mut self.previous_live_exact, !report.minor);
        if self.forced.is_none() {
            match self.mode {
                GcMode::Incremental => {
                    self.incremental = Price::of(report);
                    let died =
                        (report.previous_live + report.allocated).saturating_sub(report.live);
                    if self.cycles_until_retry > 0 {
                        self.cycles_until_retry -= 1;
                    } else if previous_live_exact
                        && report.allocated > 0
                        && percent(died, report.allocated) >= SWITCH_TO_GENERATIONAL_DEATH_RATE
                    {
                        self.mode = GcMode::Generational;
                        self.trial = Price::default();
                    }
                }
                GcMode::Generational => {
                    self.trial.add(report);
                    if self.trial.exceeds(&self.incremental) {
                        self.mode = GcMode::Incremental;
                        self.cycles_until_retry = self.retry_wait;
                        self.retry_wait = (self.retry_wait * 2).min(RETRY_AFTER_CYCLES_MAX);
                    } else if !report.minor {
                        self.retry_wait = RETRY_AFTER_CYCLES_MIN;
                        self.trial = Price::default();
                    }
                }
            }
        }
        match self.mode {
            GcMode::Incremental => SweepKind::Major,
            GcMode::Generational
                if report.minor
                    && (!report.minor_fits
                        || percent(report.live, self.live_after_major)
                            >= 100 + MAJOR_GROWTH_PERCENT) =>
            {
                SweepKind::Major
            }
            GcMode::Generational => SweepKind::Minor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cycle's report: `work` units of marking for 100 bytes allocated.
    fn report(minor: bool, previous_live: u64, live: u64, work: u64) -> CycleReport {
        CycleReport {
            minor,
            previous_live,
            live,
            allocated: 100,
            work,
            minor_fits: true,
        }
    }

    /// An incremental full marking of 200 units that finds 90% of the allocation dead:
    /// generational mode is tried (once the wait, if any, is over).
    fn deaths_look_young(control: &mut ModeControl) -> SweepKind {
        control.decide(&report(false, 110, 120, 200))
    }

    #[test]
    fn a_high_death_rate_starts_a_trial_that_stays_while_it_costs_less() {
        let mut control = ModeControl::new(None);
        assert_eq!(
            control.decide(&report(false, 100, 150, 200)),
            SweepKind::Major
        );
        assert_eq!(
            control.mode,
            GcMode::Incremental,
            "half the allocation survived"
        );
        assert_eq!(deaths_look_young(&mut control), SweepKind::Minor);
        assert_eq!(control.mode, GcMode::Generational);
        for _ in 0..10 {
            assert_eq!(
                control.decide(&report(true, 120, 130, 20)),
                SweepKind::Minor
            );
        }
        let mut crowded = report(true, 130, 140, 20);
        crowded.minor_fits = false;
        assert_eq!(control.decide(&crowded), SweepKind::Major);
        assert_eq!(
            control.decide(&report(false, 140, 120, 200)),
            SweepKind::Minor,
            "12 cycles of 100 bytes for 420 units, against 200 a cycle incrementally"
        );
        assert_eq!(control.mode, GcMode::Generational);
    }

    #[test]
    fn a_minor_that_costs_more_than_the_incremental_cycle_ends_the_trial() {
        let mut control = ModeControl::new(None);
        deaths_look_young(&mut control);
        assert_eq!(
            control.decide(&report(true, 120, 200, 210)),
            SweepKind::Major,
            "its old objects' retracing cost more than marking everything"
        );
        assert_eq!(control.mode, GcMode::Incremental);
    }

    #[test]
    fn a_round_whose_major_makes_it_cost_more_ends_the_trial() {
        let mut control = ModeControl::new(None);
        deaths_look_young(&mut control);
        control.decide(&report(true, 120, 160, 190));
        let mut crowded = report(true, 160, 200, 190);
        crowded.minor_fits = false;
        assert_eq!(control.decide(&crowded), SweepKind::Major);
        assert_eq!(
            control.mode,
            GcMode::Generational,
            "380 units for 200 bytes"
        );
        assert_eq!(
            control.decide(&report(false, 200, 120, 250)),
            SweepKind::Major,
            "630 units for 300 bytes, against 200 for 100"
        );
        assert_eq!(control.mode, GcMode::Incremental);
    }

    #[test]
    fn the_old_garbage_a_trial_leaves_is_not_counted_as_young_deaths() {
        let mut control = ModeControl::new(None);
        deaths_look_young(&mut control);
        control.decide(&report(true, 120, 200, 300));
        control.cycles_until_retry = 0;
        assert_eq!(
            control.decide(&report(false, 200, 110, 200)),
            SweepKind::Major,
            "190 bytes 'died' of 100 allocated, most of them the minor's old garbage"
        );
        assert_eq!(deaths_look_young(&mut control), SweepKind::Minor);
    }

    #[test]
    fn each_failed_trial_doubles_the_wait_before_the_next() {
        let mut control = ModeControl::new(None);
        let mut waits = Vec::new();
        for _ in 0..8 {
            let mut waited = 0;
            while deaths_look_young(&mut control) == SweepKind::Major {
                waited += 1;
            }
            waits.push(waited);
            control.decide(&report(true, 120, 200, 300));
            assert_eq!(control.mode, GcMode::Incremental);
        }
        let min = RETRY_AFTER_CYCLES_MIN;
        assert_eq!(waits[..5], [0, min, 2 * min, 4 * min, 8 * min]);
        assert_eq!(*waits.last().unwrap(), RETRY_AFTER_CYCLES_MAX, "bounded");
    }

    #[test]
    fn a_round_that_passes_resets_the_wait() {
        let mut control = ModeControl::new(None);
        for _ in 0..2 {
            control.cycles_until_retry = 0;
            while deaths_look_young(&mut control) == SweepKind::Major {}
            control.decide(&report(true, 120, 200, 300));
        }
        assert_eq!(control.retry_wait, 4 * RETRY_AFTER_CYCLES_MIN);
        control.cycles_until_retry = 0;
        while deaths_look_young(&mut control) == SweepKind::Major {}
        let mut crowded = report(true, 120, 130, 20);
        crowded.minor_fits = false;
        assert_eq!(control.decide(&crowded), SweepKind::Major);
        assert_eq!(
            control.decide(&report(false, 130, 120, 200)),
            SweepKind::Minor
        );
        assert_eq!(control.retry_wait, RETRY_AFTER_CYCLES_MIN);
    }

    #[test]
    fn old_generation_growth_forces_a_major_and_forced_modes_stay() {
        let mut control = ModeControl::new(Some(GcMode::Generational));
        assert_eq!(
            control.decide(&report(false, 0, 100, 100)),
            SweepKind::Minor
        );
        assert_eq!(
            control.decide(&report(true, 100, 140, 1000)),
            SweepKind::Minor
        );
        assert_eq!(
            control.decide(&report(true, 140, 150, 1000)),
            SweepKind::Major
        );
        assert_eq!(
            control.mode,
            GcMode::Generational,
            "forced: the price does not switch"
        );
        assert_eq!(control.force(GcMode::Incremental), GcMode::Generational);
        assert_eq!(
            control.decide(&report(false, 100, 100, 100)),
            SweepKind::Major
        );
    }

    #[test]
    fn a_minor_that_does_not_fit_below_the_full_goal_makes_the_next_cycle_major() {
        let mut control = ModeControl::new(Some(GcMode::Generational));
        assert_eq!(
            control.decide(&report(false, 0, 100, 100)),
            SweepKind::Minor
        );
        let mut crowded = report(true, 100, 120, 20);
        crowded.minor_fits = false;
        assert_eq!(
            control.decide(&crowded),
            SweepKind::Major,
            "20% growth, but no room for another minor"
        );
    }
}
