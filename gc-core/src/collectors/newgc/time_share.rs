//! The collector's share of the interpreter thread's time, bounded so that the mutator
//! keeps a minimum utilisation over short windows, not only over whole cycles.
//!
//! Pacing counts work, and work is a poor proxy for time on heaps far bigger than the
//! caches (see `pacing`): when a cycle marks cold memory, each step runs to its deadline
//! and carries what it still owes, the carried debt shortens the interval to the next
//! step, and steps follow each other after a few kilobytes of allocation, microseconds
//! of mutator time apart. The step deadline bounds each pause; this bounds their density.
//!
//! A token bucket: the mutator earns the collector `share / (100 - share)` of the time
//! it runs between two steps (`share`: `HeapConfig::max_gc_share_percent` for every
//! step, or by default `cycle::CATCH_UP_SHARE_PERCENT` for the steps of a cycle past its
//! goal, the only ones that come densely; see `cycle::share_rule`), up to one
//! step deadline; a step marks until its deadline or until the credit is spent,
//! whichever comes first, and a step that finds too little credit does nothing (its
//! work is carried). A step that runs past its allowance (the deadline is looked at
//! between chunks of work) leaves the credit negative, and the next steps pay it back.
//! In any window of length `w` the steps then take at most `share` percent of `w` plus
//! `100 - share` percent of one deadline and its overrun: with a 20% share and the
//! default 0.5 ms deadline, about 2.4 ms of every 10 ms window, a minimum mutator
//! utilisation of 0.76. The clock is the interpreter thread's CPU clock: on a busy
//! machine the wall clock would credit the collector with the time the thread waited
//! for a CPU. (The step deadline stays on the wall clock, which runs at least as fast: a
//! preempted step is cut sooner, never later.)
//!
//! The memory bound comes first: far past the cycle's goal the bucket is ignored (see
//! `SHARED_UP_TO_GOAL_PERCENT` and `CATCH_UP_UP_TO_GOAL_PERCENT`), and the heap limit
//! runs a full collection as before.

use std::time::Duration;

/// The least credit a step starts with: below it, a step would spend more in getting
/// going (the barrier's records, the first gray objects' cache misses) than it marks.
const MIN_STEP_TIME: Duration = Duration::from_micros(20);

/// Time the collector's steps may still take (see the module docs).
#[derive(Debug)]
pub(super) struct TimeShare {
    /// The most credit kept: one step deadline.
    cap: Duration,
    /// The collector's share, in percent (1 to 99).
    share_percent: u32,
    /// Credit in nanoseconds; negative after a step that ran past its allowance (the
    /// deadline is looked at between chunks of work), which the next steps pay back.
    credit: i128,
    /// When the last step ended, on the thread's CPU clock.
    last_end: Option<Duration>,
}

impl TimeShare {
    /// A bucket for `share_percent` of the time (clamped to 1..=99) that holds at most
    /// `cap` (the step deadline), full at first.
    pub fn new(cap: Duration, share_percent: u32) -> Self {
        TimeShare {
            cap,
            share_percent: share_percent.clamp(1, 99),
            credit: cap.as_nanos() as i128,
            last_end: None,
        }
    }

    /// How long the step starting at `now` (thread CPU time) may run: the credit, with
    /// what the mutator earned since the last step ended; `None` if that is too little
    /// for a step.
    pub fn allowance(&mut self, now: Duration) -> Option<Duration> {
        if let Some(end) = self.last_end {
            let ran = now.saturating_sub(end).as_nanos() as i128;
            let share = i128::from(self.share_percent);
            let earned = ran * share / (100 - share);
            self.credit = (self.credit + earned).min(self.cap.as_nanos() as i128);
            self.last_end = Some(now);
        }
        let credit = Duration::from_nanos(u64::try_from(self.credit).unwrap_or(0));
        (credit >= MIN_STEP_TIME).then_some(credit)
    }

    /// Notes a step that ran from `began` to `ended` (thread CPU time).
    pub fn spent(&mut self, began: Duration, ended: Duration) {
        self.credit -= ended.saturating_sub(began).as_nanos() as i128;
        self.last_end = Some(ended);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEADLINE: Duration = Duration::from_micros(500);
    const SHARE: u32 = 20;
    const OVERRUN: Duration = Duration::from_micros(10);

    /// A mutator that wants a full-deadline step after every 20 µs of its own time (a
    /// cycle far behind on a cold heap), each step running `OVERRUN` past its allowance
    /// (the deadline is looked at between chunks of work): in every 10 ms window the
    /// steps take no more than the module docs' bound, with the overrun added to the
    /// deadline, while without the bucket they would take 96%.
    #[test]
    fn steps_keep_to_their_share_of_every_window() {
        let origin = Duration::from_secs(3);
        let mut share = TimeShare::new(DEADLINE, SHARE);
        let mut now = origin;
        let mut steps: Vec<(Duration, Duration)> = Vec::new();
        while now - origin < Duration::from_secs(1) {
            now += Duration::from_micros(20);
            if let Some(allowed) = share.allowance(now) {
                let took = allowed.min(DEADLINE) + OVERRUN;
                steps.push((now - origin, took));
                share.spent(now, now + took);
                now += took;
            }
        }
        let window = Duration::from_millis(10);
        let bound = window * SHARE / 100 + (DEADLINE + OVERRUN) * (100 - SHARE) / 100;
        let end = now - origin;
        let mut start = Duration::ZERO;
        while start + window <= end {
            let in_window: Duration = steps
                .iter()
                .map(|&(at, took)| {
                    let from = at.max(start);
                    let to = (at + took).min(start + window);
                    to.saturating_sub(from)
                })
                .sum();
            assert!(
                in_window <= bound,
                "{in_window:?} of collector time in the window at {start:?}"
            );
            start += Duration::from_micros(50);
        }
        let total: Duration = steps.iter().map(|&(_, took)| took).sum();
        assert!(
            total >= end * (SHARE - 2) / 100,
            "the collector gets its share: {total:?} of {end:?}"
        );
    }

    /// Credit does not pile up while the mutator runs long without steps: the first
    /// step after an idle stretch runs one deadline at most.
    #[test]
    fn credit_is_capped_at_one_deadline() {
        let origin = Duration::from_secs(3);
        let mut share = TimeShare::new(DEADLINE, SHARE);
        share.spent(origin, origin + DEADLINE);
        let later = origin + Duration::from_secs(5);
        assert_eq!(share.allowance(later), Some(DEADLINE));
        share.spent(later, later + DEADLINE);
        assert_eq!(share.allowance(later + DEADLINE), None, "spent");
    }
}
