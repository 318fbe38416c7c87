//! What a long run shows while it runs: a progress bar with the time left (indicatif,
//! on stderr, drawn only when stderr is a terminal), and a line per run above it (the
//! only output in a log), a failed run's stderr in full.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::measure::RunRecord;

/// The progress of a run of `total` measured runs.
pub struct Progress {
    bar: ProgressBar,
    failed: usize,
}

impl Progress {
    /// A bar for `total` runs on stderr.
    pub fn new(total: usize) -> Self {
        Self::with_target(total, ProgressDrawTarget::stderr())
    }

    fn with_target(total: usize, target: ProgressDrawTarget) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total as u64), target);
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:40} {pos}/{len} runs, {elapsed} so far, ETA {eta} {msg}",
            )
            .expect("a valid template"),
        );
        Progress { bar, failed: 0 }
    }

    /// Prints `line` on stderr, above the bar.
    pub fn note(&self, line: &str) {
        self.bar.suspend(|| eprintln!("gcbench: {line}"));
    }

    /// `n` fewer runs than planned will be made.
    pub fn drop_runs(&self, n: usize) {
        let len = self.bar.length().unwrap_or(0);
        self.bar.set_length(len.saturating_sub(n as u64));
    }

    /// Counts a failure outside a run (a minimum heap that could not be found).
    pub fn fail(&mut self) {
        self.failed += 1;
    }

    /// Failed runs and searches so far.
    pub fn failed(&self) -> usize {
        self.failed
    }

    /// Counts `r` and shows its line.
    pub fn record(&mut self, r: &RunRecord) {
        if !r.ok {
            self.failed += 1;
        }
        self.bar.inc(1);
        self.bar.set_message(format!("{} {}", r.workload, r.config));
        let line = run_line(
            r,
            self.bar.position(),
            self.bar.length().unwrap_or(0),
            self.bar.eta(),
        );
        self.note(&line);
    }

    /// Runs `f` (which prints) with the bar out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The line of run `r`, the `done`-th of `total` with `eta` left; with its stderr if it
/// failed.
fn run_line(r: &RunRecord, done: u64, total: u64, eta: Duration) -> String {
    let gc = r
        .gc_ms()
        .map_or_else(String::new, |gc| format!(", gc {gc:.1} ms"));
    let at = r
        .point
        .map_or_else(String::new, |p| format!(" at {}", p.label()));
    let mut line = format!(
        "[{done}/{total}, ~{} s left] {} {}{at} (round {}): {:.1} ms, cpu {:.1} ms{gc}, {:.1} MB{}",
        eta.as_secs(),
        r.workload,
        r.config,
        r.round + 1,
        r.wall_ms,
        r.cpu_ms(),
        r.peak_rss_kb() / 1024.0,
        if r.ok { "" } else { "  FAILED" }
    );
    if let Some(t) = &r.stderr_tail {
        line.push_str(&format!("\ngcbench:   {}; stderr:\n{t}", r.status()));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gcbench::sweep::Point;

    #[test]
    fn runs_and_failures_are_counted() {
        let mut p = Progress::with_target(3, ProgressDrawTarget::hidden());
        let mut r = RunRecord::not_started("w", "stw", 0, 0, &[], "no such file".into());
        p.record(&r);
        r.ok = true;
        r.stderr_tail = None;
        p.record(&r);
        p.fail();
        p.drop_runs(1);
        assert_eq!(
            (p.failed(), p.bar.position(), p.bar.length()),
            (2, 2, Some(2))
        );
    }

    #[test]
    fn a_run_line_says_where_and_why() {
        let mut r = RunRecord::not_started("w", "stw", 1, 0, &[], "no such file".into());
        r.point = Some(Point::Setpause { percent: 150 });
        let line = run_line(&r, 3, 10, Duration::from_secs(42));
        assert!(
            line.starts_with("[3/10, ~42 s left] w stw at setpause 150 (round 2): 0.0 ms"),
            "{line}"
        );
        assert!(
            line.contains("FAILED\ngcbench:   did not run; stderr:\ngcbench: no such file"),
            "{line}"
        );
    }
}
