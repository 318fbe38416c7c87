//! `gcbench characterize`: the workloads' nominal statistics, after DaCapo Chopin's. Each
//! workload runs once under `stw` and once under `newgc --gc-mode generational`, and its
//! minimum heap under `stw` is bisected (or taken from a cache); the table gives:
//!
//! - **allocated**, **rate**: luagc's `allocated_bytes` under `stw`, and over its wall time.
//! - **objects by kind** (thousands): what the VM allocated (`allocation` of
//!   `--stats-json`), closures Lua and native together; leaf blocks other than strings
//!   are array and hash parts, stacks and code.
//! - **mean object**: bytes asked for over allocations, all kinds.
//! - **large %**: the share of those bytes in allocations above the large-object
//!   threshold (half an arena: 128 KB by default).
//! - **young survival**: in `newgc`'s minor cycles, the bytes they marked over the bytes
//!   allocated since the previous cycle's marking ended, summed over all minor cycles
//!   (`young_surviving_bytes / young_allocated_bytes`): near 0 for pure young garbage,
//!   near 1 when everything allocated stays live. An upper bound: a minor also marks the
//!   old objects the write barrier remembered and the thread stacks.
//! - **max live heap**: `stw`'s peak heap. `stw` collects the whole heap every cycle, so
//!   its peak heap bounds the maximum live heap from above (live data plus at most one
//!   pause's worth of garbage).
//! - **minimum heap**: the smallest `--heap-limit` at which the run completes under
//!   `stw`, bisected ([`super::minheap`]); it bounds the maximum live heap from below
//!   plus fragmentation.
//! - **GC %**: `stw`'s GC time over its wall time; **peak RSS** of the `stw` run.
//!
//! Below the table, the spread of allocation rate, survival and live heap over the
//! workloads that allocate: the lowest, the highest, and their ratio.

use super::measure::RunRecord;

/// One workload's runs.
#[derive(Debug, Clone)]
pub struct Row {
    /// The workload's name.
    pub workload: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// The run under `newgc --gc-mode generational`.
    pub generational: RunRecord,
    /// The run under `stw`.
    pub stw: RunRecord,
    /// The minimum heap under `stw`, when found.
    pub min_heap_bytes: Option<u64>,
}

const MB: f64 = 1e6;

/// The object kinds of the table, as `allocation` of `--stats-json` names them, with
/// their column names.
const KINDS: [(&[&str], &str); 8] = [
    (&["tables"], "tables"),
    (&["strings"], "strings"),
    (&["lua_closures", "native_closures"], "closures"),
    (&["upvalues"], "upvalues"),
    (&["userdata"], "userdata"),
    (&["threads"], "threads"),
    (&["protos"], "protos"),
    (&["leaf_blocks"], "other leaf blocks"),
];

/// The numbers of one row; `None` where a run failed or did not report.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Bytes allocated (stw's count).
    pub allocated_mb: f64,
    /// Allocation rate under stw, MB per wall second.
    pub rate: f64,
    /// Allocations of each of [`KINDS`].
    pub objects: Vec<f64>,
    /// Mean bytes per allocation.
    pub mean_bytes: f64,
    /// Percent of the bytes in large allocations.
    pub large_percent: f64,
    /// Young survival through newgc's minor cycles (`None` without minor cycles).
    pub survival: Option<f64>,
    /// stw's peak heap: the live-heap bound.
    pub live_mb: f64,
    /// The minimum heap, MB.
    pub min_heap_mb: Option<f64>,
    /// stw's GC time share, percent.
    pub gc_percent: f64,
}

/// The figures of `row`, if both runs succeeded with statistics.
pub fn figures(row: &Row) -> Option<Figures> {
    let (s, g) = (&row.stw, &row.generational);
    if !s.ok || !g.ok {
        return None;
    }
    let allocated = s.stat(&["allocated_bytes"])?;
    let alloc = |key: &str, field: &str| s.stat(&["allocation", key, field]);
    let total_count = alloc("total", "count")?;
    let total_bytes = alloc("total", "bytes")?;
    let objects = KINDS
        .iter()
        .map(|(keys, _)| keys.iter().map(|k| alloc(k, "count")).sum::<Option<f64>>())
        .collect::<Option<Vec<f64>>>()?;
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    let young = g.stat(&["allocation", "young_allocated_bytes"])?;
    let surviving = g.stat(&["allocation", "young_surviving_bytes"])?;
    Some(Figures {
        allocated_mb: allocated / MB,
        rate: ratio(allocated / MB, s.wall_ms / 1e3),
        objects,
        mean_bytes: ratio(total_bytes, total_count),
        large_percent: 100.0 * ratio(alloc("large", "bytes")?, total_bytes),
        survival: (young > 0.0).then(|| surviving / young),
        live_mb: s.stat(&["peak_heap_bytes"])? / MB,
        min_heap_mb: row.min_heap_bytes.map(|b| b as f64 / MB),
        gc_percent: 100.0 * ratio(s.gc_ms()?, s.wall_ms),
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

/// A count in few digits: `950`, `12.3 K`, `4.50 M`.
fn count(n: f64) -> String {
    let scaled = |v: f64, unit: &str| {
        let decimals = if v < 10.0 {
            2
        } else if v < 100.0 {
            1
        } else {
            0
        };
        format!("{v:.decimals$} {unit}")
    };
    if n < 1e3 {
        format!("{n:.0}")
    } else if n < 1e6 {
        scaled(n / 1e3, "K")
    } else {
        scaled(n / 1e6, "M")
    }
}

fn cell(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{v:.decimals$}"))
}

/// The Markdown table of `rows` and the spread below it.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from("| workload | args | allocated MB | MB/s |");
    for (_, name) in KINDS {
        out.push_str(&format!(" {name} |"));
    }
    out.push_str(
        " mean object B | large % | young survival | max live MB (stw peak) | min heap MB (stw) | GC % (stw) | stw wall s | peak RSS MB |\n|:--|:--|",
    );
    out.push_str(&"--:|".repeat(KINDS.len() + 10));
    out.push('\n');
    let mut allocating: Vec<(&str, Figures)> = Vec::new();
    for row in rows {
        let args = row.args.join(" ");
        let Some(f) = figures(row) else {
            out.push_str(&format!(
                "| `{}` | {args} | **failed** |{}\n",
                row.workload,
                " |".repeat(KINDS.len() + 9)
            ));
            continue;
        };
        out.push_str(&format!(
            "| `{}` | {args} | {:.0} | {:.0} |",
            row.workload, f.allocated_mb, f.rate
        ));
        for n in &f.objects {
            out.push_str(&format!(" {} |", count(*n)));
        }
        out.push_str(&format!(
            " {:.0} | {:.1} | {} | {:.0} | {} | {:.0} | {:.1} | {:.0} |\n",
            f.mean_bytes,
            f.large_percent,
            cell(f.survival, 3),
            f.live_mb,
            cell(f.min_heap_mb, 0),
            f.gc_percent,
            row.stw.wall_ms / 1e3,
            row.stw.peak_rss_kb() / 1024.0,
        ));
        // Under a megabyte allocated: a control (fib), left out of the spread.
        if f.allocated_mb >= 1.0 {
            allocating.push((row.workload.as_str(), f));
        }
    }
    out.push('\n');
    let mut line = |what: &str, unit: &str, pick: fn(&Figures) -> Option<f64>| {
        let values = allocating.iter().filter_map(|(n, f)| Some((*n, pick(f)?)));
        if let Some(((ln, l), (hn, h))) = spread(values) {
            let ratio = if l > 0.0 { h / l } else { f64::INFINITY };
            out.push_str(&format!(
                "- {what}: {l:.3}{unit} (`{ln}`) to {h:.3}{unit} (`{hn}`), {ratio:.0}x\n"
            ));
        }
    };
    line("allocation rate", " MB/s", |f| Some(f.rate));
    line("young survival", "", |f| f.survival);
    line("max live heap", " MB", |f| Some(f.live_mb));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(
        config: &str,
        wall_ms: f64,
        allocated: f64,
        peak: f64,
        young: (f64, f64),
    ) -> RunRecord {
        let mut r = RunRecord::not_started("w", config, 0, 0, &[], String::new());
        r.ok = true;
        r.stderr_tail = None;
        r.wall_ms = wall_ms;
        r.max_rss_kb = 2048;
        let tally = |count: f64, bytes: f64| serde_json::json!({ "count": count, "bytes": bytes });
        r.stats = Some(serde_json::json!({
            "allocated_bytes": allocated,
            "peak_heap_bytes": peak,
            "gc_ms": wall_ms / 4.0,
            "allocation": {
                "tables": tally(3000.0, allocated / 2.0),
                "strings": tally(1000.0, allocated / 4.0),
                "lua_closures": tally(500.0, 0.0),
                "native_closures": tally(500.0, 0.0),
                "upvalues": tally(0.0, 0.0),
                "userdata": tally(0.0, 0.0),
                "threads": tally(2000.0, 0.0),
                "protos": tally(0.0, 0.0),
                "leaf_blocks": tally(3000.0, allocated / 4.0),
                "total": tally(10000.0, allocated),
                "large": tally(1.0, allocated / 10.0),
                "young_allocated_bytes": young.0,
                "young_surviving_bytes": young.1,
            },
        }));
        r
    }

    fn row(name: &str, wall_ms: f64, allocated: f64, peak: f64, young: (f64, f64)) -> Row {
        Row {
            workload: name.to_owned(),
            args: vec!["10".to_owned()],
            generational: record("newgc-gen", wall_ms, allocated, peak * 2.0, young),
            stw: record("stw", wall_ms, allocated, peak, (0.0, 0.0)),
            min_heap_bytes: Some((peak * 1.2) as u64),
        }
    }

    #[test]
    fn figures_and_spread() {
        // a: 100 MB in 1 s; 50 MB live; half its young bytes survive.
        // b: 1000 MB in 1 s; 1 MB live; 1 in 1000 survives.
        let rows = vec![
            row("a", 1000.0, 100e6, 50e6, (80e6, 40e6)),
            row("b", 1000.0, 1000e6, 1e6, (900e6, 0.9e6)),
            row("fib", 10.0, 0.0, 0.0, (0.0, 0.0)),
        ];
        let f = figures(&rows[0]).unwrap();
        assert_eq!(f.allocated_mb, 100.0);
        assert_eq!(f.rate, 100.0);
        assert_eq!(
            f.objects,
            [3000.0, 1000.0, 1000.0, 0.0, 0.0, 2000.0, 0.0, 3000.0]
        );
        assert_eq!(f.mean_bytes, 10_000.0);
        assert_eq!(f.large_percent, 10.0);
        assert_eq!(f.survival, Some(0.5));
        assert_eq!(f.live_mb, 50.0);
        assert_eq!(f.min_heap_mb, Some(60.0));
        assert_eq!(f.gc_percent, 25.0);
        // No minor cycle: no survival.
        assert_eq!(figures(&rows[2]).unwrap().survival, None);
        let t = table(&rows);
        assert!(
            t.contains("| `a` | 10 | 100 | 100 | 3.00 K | 1.00 K | 1.00 K | 0 | 0 | 2.00 K | 0 | 3.00 K | 10000 | 10.0 | 0.500 | 50 | 60 | 25 | 1.0 | 2 |"),
            "{t}"
        );
        assert!(t.contains("| `fib` | 10 | 0 | 0 |"), "{t}");
        // The spread leaves out fib (nothing allocated).
        assert!(
            t.contains("- allocation rate: 100.000 MB/s (`a`) to 1000.000 MB/s (`b`), 10x"),
            "{t}"
        );
        assert!(
            t.contains("- young survival: 0.001 (`b`) to 0.500 (`a`), 500x"),
            "{t}"
        );
        assert!(
            t.contains("- max live heap: 1.000 MB (`b`) to 50.000 MB (`a`), 50x"),
            "{t}"
        );
    }

    #[test]
    fn counts_are_short() {
        assert_eq!(count(950.0), "950");
        assert_eq!(count(12_345.0), "12.3 K");
        assert_eq!(count(4_500_000.0), "4.50 M");
        assert_eq!(count(250_000_000.0), "250 M");
    }

    #[test]
    fn a_failed_run_is_shown_and_left_out() {
        let mut bad = row("bad", 1000.0, 5e6, 1e6, (1.0, 1.0));
        bad.stw.ok = false;
        assert!(figures(&bad).is_none());
        let t = table(&[bad, row("a", 1000.0, 100e6, 50e6, (1.0, 1.0))]);
        assert!(t.contains("| `bad` | 10 | **failed** |"), "{t}");
        // Every row has as many cells as the header.
        let cells = |l: &str| l.matches('|').count();
        let lines: Vec<&str> = t.lines().take(4).collect();
        assert!(lines.iter().all(|l| cells(l) == cells(lines[0])), "{t}");
        assert!(t.contains("(`a`) to 100.000 MB/s (`a`), 1x"), "{t}");
    }
}
