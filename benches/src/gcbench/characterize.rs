//! `gcbench characterize`: the workloads' nominal statistics, after DaCapo Chopin's. Each
//! workload runs once under `newgc` and once under `stw`; the table gives what
//! `luagc --stats-json` and `wait4` report: allocation volume and rate, peak heap, cycles,
//! GC time share and peak RSS, and two derived columns:
//!
//! - **live heap**: `stw`'s peak heap. `stw` collects the whole heap every cycle, so its
//!   peak heap bounds the maximum live heap from above (live data plus at most one
//!   pause's worth of garbage); luagc does not export the maximum live heap itself.
//! - **survival**: that peak over the bytes allocated, near 1 when almost everything
//!   allocated stays live, near 0 for pure young garbage.
//!
//! Below the table, the spread of allocation rate, survival and live heap over the
//! workloads that allocate: the lowest, the highest, and their ratio.

use super::measure::RunRecord;

/// One workload's two runs.
#[derive(Debug, Clone)]
pub struct Row {
    /// The workload's name.
    pub workload: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// The run under `newgc`.
    pub newgc: RunRecord,
    /// The run under `stw`.
    pub stw: RunRecord,
}

const MB: f64 = 1e6;

/// The numbers of one row; `None` where a run failed or did not report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    /// Bytes allocated (newgc's count).
    pub allocated_mb: f64,
    /// Allocation rate under newgc, MB per wall second.
    pub rate_newgc: f64,
    /// Allocation rate under stw.
    pub rate_stw: f64,
    /// stw's peak heap: the live-heap bound.
    pub live_mb: f64,
    /// `live_mb` over stw's allocation.
    pub survival: f64,
}

/// The figures of `row`, if both runs succeeded with statistics.
pub fn figures(row: &Row) -> Option<Figures> {
    if !row.newgc.ok || !row.stw.ok {
        return None;
    }
    let allocated = row.newgc.stat(&["allocated_bytes"])?;
    let stw_allocated = row.stw.stat(&["allocated_bytes"])?;
    let live = row.stw.stat(&["peak_heap_bytes"])?;
    let rate = |bytes: f64, r: &RunRecord| {
        if r.wall_ms > 0.0 {
            bytes / MB / (r.wall_ms / 1e3)
        } else {
            0.0
        }
    };
    Some(Figures {
        allocated_mb: allocated / MB,
        rate_newgc: rate(allocated, &row.newgc),
        rate_stw: rate(stw_allocated, &row.stw),
        live_mb: live / MB,
        survival: if stw_allocated > 0.0 {
            live / stw_allocated
        } else {
            0.0
        },
    })
}

/// A value with the workload it belongs to.
type Named<'a> = (&'a str, f64);

/// The lowest and highest of `values` with the names they belong to.
fn spread<'a>(values: impl Iterator<Item = Named<'a>>) -> Option<(Named<'a>, Named<'a>)> {
    let mut lo: Option<(&str, f64)> = None;
    let mut hi: Option<(&str, f64)> = None;
    for (name, v) in values {
        if lo.is_none_or(|(_, l)| v < l) {
            lo = Some((name, v));
        }
        if hi.is_none_or(|(_, h)| v > h) {
            hi = Some((name, v));
        }
    }
    Some((lo?, hi?))
}

/// The Markdown table of `rows` and the spread below it.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    out.push_str(
        "| workload | args | allocated MB | newgc wall s | newgc MB/s | newgc peak heap MB | newgc cycles | stw wall s | stw MB/s | live heap MB (stw peak) | survival (live / allocated) | stw GC % | stw peak RSS MB |\n",
    );
    out.push_str("|:--|:--|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    let mut allocating: Vec<(&str, Figures)> = Vec::new();
    for row in rows {
        let args = row.args.join(" ");
        let Some(f) = figures(row) else {
            out.push_str(&format!(
                "| `{}` | {args} | **failed** | | | | | | | | | | |\n",
                row.workload
            ));
            continue;
        };
        let n = &row.newgc;
        let s = &row.stw;
        let stat = |r: &RunRecord, k: &str| r.stat(&[k]).unwrap_or(0.0);
        let gc_share = if s.wall_ms > 0.0 {
            100.0 * stat(s, "gc_ms") / s.wall_ms
        } else {
            0.0
        };
        out.push_str(&format!(
            "| `{}` | {args} | {:.0} | {:.1} | {:.0} | {:.0} | {:.0} | {:.1} | {:.0} | {:.0} | {:.3} | {:.0} | {:.0} |\n",
            row.workload,
            f.allocated_mb,
            n.wall_ms / 1e3,
            f.rate_newgc,
            stat(n, "peak_heap_bytes") / MB,
            stat(n, "cycles"),
            s.wall_ms / 1e3,
            f.rate_stw,
            f.live_mb,
            f.survival,
            gc_share,
            s.max_rss_kb as f64 / 1024.0,
        ));
        // Under a megabyte allocated: a control (fib), left out of the spread.
        if f.allocated_mb >= 1.0 {
            allocating.push((row.workload.as_str(), f));
        }
    }
    out.push('\n');
    let mut line = |what: &str, unit: &str, pick: fn(&Figures) -> f64| {
        if let Some(((ln, l), (hn, h))) = spread(allocating.iter().map(|(n, f)| (*n, pick(f)))) {
            let ratio = if l > 0.0 { h / l } else { f64::INFINITY };
            out.push_str(&format!(
                "- {what}: {l:.3}{unit} (`{ln}`) to {h:.3}{unit} (`{hn}`), {ratio:.0}x\n"
            ));
        }
    };
    line("allocation rate under newgc", " MB/s", |f| f.rate_newgc);
    line("allocation rate under stw", " MB/s", |f| f.rate_stw);
    line("survival", "", |f| f.survival);
    line("live heap", " MB", |f| f.live_mb);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(config: &str, wall_ms: f64, allocated: f64, peak: f64) -> RunRecord {
        let mut r = RunRecord::not_started("w", config, 0, 0, &[], String::new());
        r.ok = true;
        r.stderr_tail = None;
        r.wall_ms = wall_ms;
        r.max_rss_kb = 2048;
        r.stats = Some(serde_json::json!({
            "allocated_bytes": allocated,
            "peak_heap_bytes": peak,
            "gc_ms": wall_ms / 4.0,
            "cycles": 3,
        }));
        r
    }

    fn row(name: &str, wall_ms: f64, allocated: f64, peak: f64) -> Row {
        Row {
            workload: name.to_owned(),
            args: vec!["10".to_owned()],
            newgc: record("newgc", wall_ms, allocated, peak * 2.0),
            stw: record("stw", wall_ms * 2.0, allocated, peak),
        }
    }

    #[test]
    fn figures_and_spread() {
        // a: 100 MB in 1 s (newgc), 2 s (stw); 50 MB live: survival 0.5.
        // b: 1000 MB in 1 s, 2 s; 1 MB live: survival 0.001.
        let rows = vec![
            row("a", 1000.0, 100e6, 50e6),
            row("b", 1000.0, 1000e6, 1e6),
            row("fib", 10.0, 0.0, 0.0),
        ];
        let f = figures(&rows[0]).unwrap();
        assert_eq!(f.allocated_mb, 100.0);
        assert_eq!(f.rate_newgc, 100.0);
        assert_eq!(f.rate_stw, 50.0);
        assert_eq!(f.live_mb, 50.0);
        assert_eq!(f.survival, 0.5);
        let t = table(&rows);
        assert!(
            t.contains("| `a` | 10 | 100 | 1.0 | 100 | 100 | 3 | 2.0 | 50 | 50 | 0.500 | 25 | 2 |"),
            "{t}"
        );
        // The spread leaves out fib (nothing allocated).
        assert!(
            t.contains(
                "- allocation rate under newgc: 100.000 MB/s (`a`) to 1000.000 MB/s (`b`), 10x"
            ),
            "{t}"
        );
        assert!(
            t.contains("- survival: 0.001 (`b`) to 0.500 (`a`), 500x"),
            "{t}"
        );
        assert!(
            t.contains("- live heap: 1.000 MB (`b`) to 50.000 MB (`a`), 50x"),
            "{t}"
        );
    }

    #[test]
    fn a_failed_run_is_shown_and_left_out() {
        let mut bad = row("bad", 1000.0, 5e6, 1e6);
        bad.stw.ok = false;
        assert!(figures(&bad).is_none());
        let t = table(&[bad, row("a", 1000.0, 100e6, 50e6)]);
        assert!(t.contains("| `bad` | 10 | **failed** |"), "{t}");
        assert!(t.contains("(`a`) to 100.000 MB/s (`a`), 1x"), "{t}");
    }
}
