//! Switching between incremental and generational mode, by the measured young survival.
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
//!   objects die young, so minors will free much for little marking. The deaths are
//!   counted against the live heap the previous cycle found, so only when that cycle
//!   marked everything: after a minor one, the old generation's garbage, which minors
//!   never free, would count as the allocation's deaths;
//! - generational mode switches back when a minor cycle finds that more than
//!   `SWITCH_TO_INCREMENTAL_SURVIVAL` of the young bytes survived twice in a row. Each
//!   such failure makes incremental mode wait before trying again, twice as long as the
//!   last time (`RETRY_AFTER_CYCLES_MIN` to `_MAX` cycles): a program whose old objects
//!   die in batches looks generational to the death rate and is not. A major cycle of
//!   generational mode whose last minor went well resets the wait;
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
/// Young survival (percent) above which a minor cycle counts against generational mode.
const SWITCH_TO_INCREMENTAL_SURVIVAL: u64 = 50;
/// Growth of the live heap (old generation included) since the last major, in percent,
/// that makes the next cycle major. Lua 5.4 waits for 100%, then collects in one pause;
/// newgc's full marking is incremental and the heap grows by about half the live heap
/// while it runs (`stepmul` 200), so it starts at 50% to end near the same peak.
const MAJOR_GROWTH_PERCENT: u64 = 50;
/// Minor cycles in a row with high survival before switching back.
const HIGH_SURVIVAL_MINORS: u32 = 2;
/// Incremental cycles to wait after generational mode failed for the first time before
/// it may be tried again: long enough to measure the death rate over full markings.
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
    /// Live bytes now.
    pub live: u64,
    /// Bytes allocated since the previous cycle's marking ended.
    pub allocated: u64,
    /// Bytes this cycle marked (in a minor cycle: the young survivors).
    pub marked: u64,
    /// Whether another minor cycle would start within the goal of a full cycle over
    /// the live heap the last major left.
    pub minor_fits: bool,
}

/// The mode and the state its rules need.
#[derive(Debug)]
pub(super) struct ModeControl {
    pub mode: GcMode,
    pub forced: Option<GcMode>,
    live_after_major: u64,
    high_survival_minors: u32,
    /// Whether the previous cycle's live bytes came from a full marking.
    previous_live_exact: bool,
    /// The wait after the next failure of generational mode, in incremental cycles.
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
            high_survival_minors: 0,
            previous_live_exact: true,
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
        self.high_survival_minors = 0;
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
                GcMode::Incremental if self.cycles_until_retry > 0 => {
                    self.cycles_until_retry -= 1;
                }
                GcMode::Incremental => {
                    let died =
                        (report.previous_live + report.allocated).saturating_sub(report.live);
                    if previous_live_exact
                        && report.allocated > 0
                        && percent(died, report.allocated) >= SWITCH_TO_GENERATIONAL_DEATH_RATE
                    {
                        self.mode = GcMode::Generational;
                        self.high_survival_minors = 0;
                    }
                }
                GcMode::Generational if report.minor => {
                    if percent(report.marked, report.allocated) > SWITCH_TO_INCREMENTAL_SURVIVAL {
                        self.high_survival_minors += 1;
                    } else {
                        self.high_survival_minors = 0;
                    }
                    if self.high_survival_minors >= HIGH_SURVIVAL_MINORS {
                        self.mode = GcMode::Incremental;
                        self.cycles_until_retry = self.retry_wait;
                        self.retry_wait = (self.retry_wait * 2).min(RETRY_AFTER_CYCLES_MAX);
                    }
                }
                GcMode::Generational if self.high_survival_minors == 0 => {
                    self.retry_wait = RETRY_AFTER_CYCLES_MIN;
                }
                GcMode::Generational => {}
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

    fn report(
        minor: bool,
        previous_live: u64,
        live: u64,
        allocated: u64,
        marked: u64,
    ) -> CycleReport {
        CycleReport {
            minor,
            previous_live,
            live,
            allocated,
            marked,
            minor_fits: true,
        }
    }

    #[test]
    fn high_death_rate_switches_to_generational_and_high_survival_back() {
        let mut control = ModeControl::new(None);
        assert_eq!(
            control.decide(&report(false, 100, 150, 100, 150)),
            SweepKind::Major
        );
        assert_eq!(
            control.mode,
            GcMode::Incremental,
            "half the allocation survived"
        );
        assert_eq!(
            control.decide(&report(false, 100, 110, 100, 110)),
            SweepKind::Minor
        );
        assert_eq!(control.mode, GcMode::Generational, "90% died");
        assert_eq!(
            control.decide(&report(true, 110, 120, 100, 10)),
            SweepKind::Minor
        );
        assert_eq!(
            control.decide(&report(true, 120, 160, 100, 60)),
            SweepKind::Minor
        );
        assert_eq!(
            control.mode,
            GcMode::Generational,
            "one high-survival minor is tolerated"
        );
        assert_eq!(
            control.decide(&report(true, 160, 200, 30, 20)),
            SweepKind::Major
        );
        assert_eq!(control.mode, GcMode::Incremental);
    }

    /// A full marking that finds 90% of the allocation dead: generational mode is tried.
    fn enter_generational(control: &mut ModeControl) {
        assert_eq!(
            control.decide(&report(false, 110, 110, 100, 110)),
            SweepKind::Minor
        );
        assert_eq!(control.mode, GcMode::Generational);
    }

    /// Two minors in which 60% of the allocation survived: generational mode fails.
    fn fail_generational(control: &mut ModeControl) {
        control.decide(&report(true, 110, 170, 100, 60));
        assert_eq!(
            control.decide(&report(true, 170, 230, 100, 60)),
            SweepKind::Major
        );
        assert_eq!(control.mode, GcMode::Incremental);
    }

    /// The full marking after failed minors: the old garbage they left dies.
    fn full_marking_after_minors(control: &mut ModeControl) -> SweepKind {
        control.decide(&report(false, 230, 110, 100, 110))
    }

    #[test]
    fn the_old_garbage_a_switch_back_finds_is_not_counted_as_young_deaths() {
        let mut control = ModeControl::new(None);
        enter_generational(&mut control);
        fail_generational(&mut control);
        control.cycles_until_retry = 0;
        assert_eq!(
            full_marking_after_minors(&mut control),
            SweepKind::Major,
            "220 bytes 'died' of 100 allocated, but most were the minors' old garbage"
        );
        enter_generational(&mut control);
    }

    #[test]
    fn each_failure_of_generational_mode_doubles_the_wait_before_the_next_try() {
        let mut control = ModeControl::new(None);
        enter_generational(&mut control);
        let mut waits = Vec::new();
        for _ in 0..8 {
            fail_generational(&mut control);
            full_marking_after_minors(&mut control);
            let mut waited = 0;
            while control.decide(&report(false, 110, 110, 100, 110)) == SweepKind::Major {
                waited += 1;
            }
            waits.push(waited + 1);
        }
        let min = RETRY_AFTER_CYCLES_MIN;
        assert_eq!(waits[..4], [min, 2 * min, 4 * min, 8 * min]);
        assert_eq!(*waits.last().unwrap(), RETRY_AFTER_CYCLES_MAX, "bounded");
    }

    #[test]
    fn a_generational_major_reached_without_failing_resets_the_wait() {
        let mut control = ModeControl::new(None);
        for _ in 0..2 {
            enter_generational(&mut control);
            fail_generational(&mut control);
            control.cycles_until_retry = 0;
            full_marking_after_minors(&mut control);
        }
        assert_eq!(control.retry_wait, 4 * RETRY_AFTER_CYCLES_MIN);
        enter_generational(&mut control);
        let mut crowded = report(true, 110, 120, 100, 10);
        crowded.minor_fits = false;
        assert_eq!(control.decide(&crowded), SweepKind::Major);
        assert_eq!(
            control.decide(&report(false, 120, 110, 100, 110)),
            SweepKind::Minor,
            "generational mode's major cycle"
        );
        assert_eq!(control.retry_wait, RETRY_AFTER_CYCLES_MIN);
    }

    #[test]
    fn old_generation_growth_forces_a_major_and_forced_modes_stay() {
        let mut control = ModeControl::new(Some(GcMode::Generational));
        assert_eq!(
            control.decide(&report(false, 0, 100, 100, 100)),
            SweepKind::Minor
        );
        assert_eq!(
            control.decide(&report(true, 100, 140, 100, 90)),
            SweepKind::Minor
        );
        assert_eq!(
            control.decide(&report(true, 140, 150, 100, 90)),
            SweepKind::Major
        );
        assert_eq!(
            control.mode,
            GcMode::Generational,
            "forced: survival does not switch"
        );
        assert_eq!(control.force(GcMode::Incremental), GcMode::Generational);
        assert_eq!(
            control.decide(&report(false, 100, 100, 1000, 100)),
            SweepKind::Major
        );
    }

    #[test]
    fn a_minor_that_does_not_fit_below_the_full_goal_makes_the_next_cycle_major() {
        let mut control = ModeControl::new(Some(GcMode::Generational));
        assert_eq!(
            control.decide(&report(false, 0, 100, 100, 100)),
            SweepKind::Minor
        );
        let mut crowded = report(true, 100, 120, 100, 20);
        crowded.minor_fits = false;
        assert_eq!(
            control.decide(&crowded),
            SweepKind::Major,
            "20% growth, but no room for another minor"
        );
    }
}
