//! The Markdown report of a results file: how it was measured, on what, and per workload
//! a time table (medians with 95% intervals, LBO in wall and CPU time, the comparison
//! with the reference) and a latency and space table. A pure function of the results:
//! regenerating it from the same file gives the same bytes.

use std::fmt::Write;

use super::configs::{Config, Kind};
use super::environment::Environment;
use super::latency::{Clock, Latency, PERCENTILES};
use super::matrix::WorkloadDef;
use super::plots::{wall_time_bars, workload_figures, Figure};
use super::results::Results;
use super::stats::{Estimate, RESAMPLES};
use super::summary::{check_checksums, summarise, Mismatch, WorkloadSummary};

/// The whole report: the header and a section per workload that has runs.
pub fn render(results: &Results) -> String {
    let mut s = header(results);
    for w in &results.matrix.workloads {
        if results.records.iter().any(|r| r.workload == w.name) {
            s.push_str(&workload_section(results, w).0);
        }
    }
    if results.complete {
        s.push_str(&footer(results));
    } else {
        s.push_str("**The run was interrupted**: workloads without a section did not run.\n");
    }
    s
}

/// The line after the last workload of a complete run: how many runs it made and how
/// long they took, the matrix's duration less gcbench's own work and any minimum-heap
/// bisection.
pub fn footer(results: &Results) -> String {
    let failed = results.records.iter().filter(|r| !r.ok).count();
    let run_ms: f64 = results.records.iter().map(|r| r.wall_ms).sum();
    format!(
        "{} runs ({failed} failed), their wall times adding up to {:.0} minutes.\n",
        results.records.len(),
        run_ms / 60_000.0
    )
}

/// What `gcbench report` writes: report.md's text (the tables `run` printed, then the
/// figures section) and the figures that go in [`FIGURES_DIR`].
pub fn document(results: &Results) -> Result<(String, Vec<Figure>), String> {
    let (section, figures) = figures(results)?;
    Ok((render(results) + "\n" + &section, figures))
}

/// The directory under the report's where the figures go.
pub const FIGURES_DIR: &str = "figures";

/// The figures of `results` and the Markdown section that links them (as
/// `figures/FILE`): [`plots`](super::plots) on every workload's summaries.
pub fn figures(results: &Results) -> Result<(String, Vec<Figure>), String> {
    let names: Vec<String> = results.configs.iter().map(|c| c.name.clone()).collect();
    let mut summaries = Vec::new();
    for w in &results.matrix.workloads {
        if results.records.iter().any(|r| r.workload == w.name) {
            summaries.push((w, workload_summary(results, &w.name)));
        }
    }
    let mut md = String::from("# Figures\n\n");
    let mut all = Vec::new();
    let link = |md: &mut String, f: &Figure| {
        let _ = writeln!(md, "![{}]({FIGURES_DIR}/{})\n", f.title, f.file);
    };
    let named: Vec<(String, WorkloadSummary)> = summaries
        .iter()
        .map(|(w, s)| (w.name.clone(), s.clone()))
        .collect();
    if let Some(f) = wall_time_bars(&named, &names, results.reference.as_deref())? {
        link(&mut md, &f);
        all.push(f);
    }
    for (w, sum) in &summaries {
        let min = |config: &str| min_heap(results, w, config);
        let figs = workload_figures(&w.name, sum, &names, &min)?;
        if figs.is_empty() {
            continue;
        }
        let _ = writeln!(md, "## {}\n", w.name);
        for f in figs {
            link(&mut md, &f);
            all.push(f);
        }
    }
    Ok((md, all))
}

/// Year, month and day of a day count since 1970-01-01 (Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `2026-12-01 14:03 UTC`.
pub fn utc(unix_s: u64) -> String {
    let days = (unix_s / 86_400) as i64;
    let (y, m, d) = civil_from_days(days);
    let secs = unix_s % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        secs / 3600,
        secs / 60 % 60
    )
}

/// A shell word: quoted unless it is plainly safe.
fn shell_word(w: &str) -> String {
    let safe = !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+%@".contains(c));
    if safe {
        w.to_owned()
    } else {
        format!("'{}'", w.replace('\'', r"'\''"))
    }
}

/// The part of the report before the workloads: the matrix, the command, the
/// environment, the configurations and how the numbers are computed.
pub fn header(r: &Results) -> String {
    let m = &r.matrix;
    let e = &r.environment;
    let mut s = String::from("# gcbench results\n\n");
    if let Some(d) = &m.description {
        let _ = writeln!(s, "{}\n", d.trim());
    }
    let command: Vec<String> = r.command.iter().map(|w| shell_word(w)).collect();
    let _ = writeln!(
        s,
        "Matrix `{}`, run {} by\n\n```sh\n{}\n```\n",
        m.origin,
        utc(r.started_unix_s),
        command.join(" ")
    );
    let _ = writeln!(
        s,
        "and regenerated with `gcbench report RESULTS.json --out DIR`.\n"
    );
    s.push_str(&environment_table(e));
    for t in &r.tools {
        let _ = writeln!(s, "- `{}`: {} ({})", t.name, t.path.display(), t.version);
    }
    for c in &r.configs {
        let cmd: String = c.prelude.iter().map(|w| shell_word(w) + " ").collect();
        let note = if c.note.is_empty() {
            String::new()
        } else {
            format!(": {}", c.note)
        };
        let _ = writeln!(
            s,
            "- configuration `{}` runs `{} {cmd}SCRIPT ARGS`{note}",
            c.name,
            c.program
                .file_name()
                .map_or_else(String::new, |f| f.to_string_lossy().into_owned()),
        );
    }
    for n in &r.notes {
        let _ = writeln!(s, "- note: {n}");
    }
    s.push_str(&settings_table(&r.configs));
    let _ = writeln!(
        s,
        "\n{} invocation(s) of every configuration per workload; the order of the \
         configurations rotates every round. Each cell is the median over the successful \
         runs with its 95% confidence interval in brackets (percentile bootstrap, {RESAMPLES} \
         resamples, seed {}). Two configurations whose intervals overlap are reported as \
         \"no difference\". Wall time is measured around the child; CPU time is its user + \
         system time from `wait4`; GC time, pauses, cycles and peak heap come from \
         `luagc --stats-json`.\n",
        m.invocations, m.seed
    );
    let _ = writeln!(
        s,
        "LBO (Cai et al., ISPASS 2022): a luagc configuration's median time over the \
         smallest median distilled time (time - GC time) of any luagc configuration, \
         `epsilon` included, at any point of the space sweep if there is one; its \
         interval resamples rounds, each drawn round bringing every configuration's run in \
         it, the baseline's included (a round's runs share the machine's speed of those \
         seconds). In CPU time the GC time subtracted is luagc's GC \
         CPU time (its pauses in thread CPU time and its worker threads' CPU time) in \
         configurations run with `--pause-cpu-time`, else its wall-clock GC time, which \
         overcounts when the machine preempts the collector and undercounts parallel \
         marking.\n"
    );
    s
}

/// The machine and build a results file was measured on, as a table.
fn environment_table(e: &Environment) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "unknown".to_owned());
    let commit = match (&e.git_commit, e.git_dirty) {
        (Some(c), Some(true)) => format!("{c} (with uncommitted changes)"),
        (Some(c), _) => c.clone(),
        (None, _) => "unknown".to_owned(),
    };
    let mut s = String::from("| environment | |\n|:--|:--|\n");
    let rows = [
        ("commit", commit),
        ("CPU", opt(&e.cpu_model)),
        ("cores", e.cores.to_string()),
        (
            "memory",
            e.memory_mb
                .map_or_else(|| "unknown".to_owned(), |mb| format!("{mb} MiB")),
        ),
        ("kernel", opt(&e.kernel)),
        ("transparent huge pages", opt(&e.thp_enabled)),
        ("THP defrag", opt(&e.thp_defrag)),
        ("rustc", opt(&e.rustc)),
        ("luagc build profile", opt(&e.luagc_profile)),
        ("gcbench build profile", e.gcbench_profile.clone()),
    ];
    for (k, v) in rows {
        let _ = writeln!(s, "| {k} | {} |", v.replace('|', "\\|"));
    }
    s.push('\n');
    s
}

/// The settings each luagc configuration ran with, as luagc reported them (a column per
/// setting, in the order of their names).
fn settings_table(configs: &[Config]) -> String {
    let with: Vec<(&str, &serde_json::Map<String, serde_json::Value>)> = configs
        .iter()
        .filter_map(|c| Some((c.name.as_str(), c.settings.as_ref()?.as_object()?)))
        .collect();
    let mut keys: Vec<&str> = with
        .iter()
        .flat_map(|(_, m)| m.keys().map(String::as_str))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    if keys.is_empty() {
        return String::new();
    }
    let mut s = String::from(
        "\nThe settings in force, as luagc reports them (`settings` in `--stats-json`; \
         null: none):\n\n| config |",
    );
    for k in &keys {
        let _ = write!(s, " {k} |");
    }
    s.push_str("\n|:--|");
    s.push_str(&"--:|".repeat(keys.len()));
    s.push('\n');
    for (name, m) in with {
        let _ = write!(s, "| `{name}` |");
        for k in &keys {
            let cell = match m.get(*k) {
                None => "–".to_owned(),
                Some(serde_json::Value::String(v)) => v.clone(),
                Some(v) => v.to_string(),
            };
            let _ = write!(s, " {cell} |");
        }
        s.push('\n');
    }
    s
}

fn est(e: Option<Estimate>, decimals: usize) -> String {
    e.map_or_else(
        || "–".to_owned(),
        |e| {
            if e.lo == e.hi && e.lo == e.value {
                format!("{:.decimals$}", e.value)
            } else {
                format!(
                    "{:.decimals$} [{:.decimals$}, {:.decimals$}]",
                    e.value, e.lo, e.hi
                )
            }
        },
    )
}

fn num(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{v:.decimals$}"))
}

fn config_label(configs: &[Config], name: &str, ok: usize, failed: usize) -> String {
    let mut label = format!("`{name}`");
    if let Some(c) = configs
        .iter()
        .find(|c| c.name == name && !c.note.is_empty())
    {
        let _ = write!(label, " ({})", c.note);
    }
    if failed > 0 {
        let _ = write!(label, " **{failed} of {} runs failed**", ok + failed);
    }
    label
}

/// One workload's section, with its summaries and checksum mismatch (if any).
pub fn workload_section(
    results: &Results,
    w: &WorkloadDef,
) -> (String, WorkloadSummary, Option<Mismatch>) {
    let sum = workload_summary(results, &w.name);
    let mismatch = if w.checksum {
        check_checksums(&w.name, &results.records, w.expect.as_deref())
    } else {
        None
    };
    let script = w
        .script
        .file_name()
        .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
    let mut s = format!("## {}\n\n`{script} {}`", w.name, w.args.join(" "));
    if let Some(size) = w.size {
        let _ = write!(s, " ({} size)", size.name());
    }
    s.push_str("\n\n");
    let ok_line = results
        .records
        .iter()
        .find(|r| r.workload == w.name && r.ok)
        .and_then(|r| r.checksum.clone());
    match (&mismatch, ok_line, w.checksum) {
        (Some(m), _, _) => {
            s.push_str("**CHECKSUM MISMATCH**: the configurations disagree:\n\n");
            for (line, who) in &m.checksums {
                let _ = writeln!(s, "- `{line}`: {}", who.join(", "));
            }
            s.push('\n');
        }
        (None, Some(c), true) => {
            let _ = writeln!(
                s,
                "All runs agree: `{c}`{}.\n",
                if w.expect.is_some() {
                    " (as expected)"
                } else {
                    ""
                }
            );
        }
        (None, None, true) => s.push_str("No run succeeded.\n\n"),
        (None, _, false) => s.push_str("No checksum compared (the matrix says none).\n\n"),
    }

    s.push_str(&time_table(results, &sum));
    s.push_str(&space_table(&sum));
    s.push_str(&latency_tables(&sum));
    s.push_str(&sweep_table(results, w, &sum));
    (s, sum, mismatch)
}

/// A workload's time table (medians with intervals, LBO, the comparison with the
/// reference) and which configuration has the lowest LBO.
fn time_table(results: &Results, sum: &WorkloadSummary) -> String {
    let reference = results.reference.as_deref();
    let mut s = String::new();
    let ref_head = reference.unwrap_or("ref");
    let _ = writeln!(
        s,
        "| config | runs | wall ms | CPU ms | GC ms | LBO (wall) | LBO (CPU) | ÷ {ref_head} | vs {ref_head} |"
    );
    s.push_str("|:--|--:|--:|--:|--:|--:|--:|--:|:--|\n");
    for row in &sum.rows {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            config_label(&results.configs, &row.config, row.runs_ok, row.runs_failed),
            row.runs_ok,
            est(row.wall_ms, 1),
            est(row.cpu_ms, 1),
            est(row.gc_ms, 1),
            est(row.lbo_wall, 3),
            est(row.lbo_cpu, 3),
            num(row.ratio_to_reference, 2),
            row.vs_reference.map_or("–", |v| v.text()),
        );
    }
    s.push('\n');
    for (what, best) in [("wall", &sum.best_lbo_wall), ("CPU", &sum.best_lbo_cpu)] {
        if let Some((name, tied)) = best {
            let others = if tied.is_empty() {
                "every other luagc configuration is worse".to_owned()
            } else {
                let t: Vec<String> = tied.iter().map(|t| format!("`{t}`")).collect();
                format!("no difference from {}", t.join(", "))
            };
            let _ = writeln!(s, "Lowest LBO in {what} time: `{name}`; {others}.");
        }
    }
    if sum.best_lbo_wall.is_some() {
        s.push('\n');
    }

    s
}

/// A workload's space table: cycles, peak heap, peak RSS and steal time.
fn space_table(sum: &WorkloadSummary) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| config | cycles | peak heap MB | peak RSS MB | steal ms |\n|:--|--:|--:|--:|--:|"
    );
    for row in &sum.rows {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} |",
            row.config,
            num(row.cycles, 0),
            num(row.peak_heap_mb, 1),
            num(row.peak_rss_mb, 1),
            num(row.steal_ms, 0),
        );
    }
    s.push('\n');
    s
}

/// The tables a paper can include by name (`gcbench report --paper`): `environment`;
/// per workload `time:W`, `space:W`, `latency:W` and `sweep:W`, the tables of its report
/// section; and across workloads `wall` (median wall time of every configuration),
/// `lbo-wall` and `lbo-cpu` (the LBO of every luagc configuration), `gc` (median GC time
/// of every luagc configuration), `rss` (median peak RSS of every configuration), `heap`
/// (median peak heap of every luagc configuration, by luagc's own count),
/// `pause-max` (the longest pause in thread CPU time of any run of each luagc
/// configuration), `pause-max-wall` (the same in wall-clock time: the interpreter thread's
/// CPU clock does not count the marker threads it waits for in a parallel pause): the
/// suite at a glance on each axis the paper compares.
pub fn named_table(results: &Results, name: &str) -> Result<String, String> {
    let section = |w: &str| {
        let def = results
            .matrix
            .workloads
            .iter()
            .find(|d| d.name == w)
            .ok_or_else(|| format!("the results have no workload \"{w}\""))?;
        if !results.records.iter().any(|r| r.workload == w) {
            return Err(format!("workload \"{w}\" has no runs in the results"));
        }
        Ok((def, workload_summary(results, w)))
    };
    let table = match name.split_once(':') {
        None if name == "environment" => environment_table(&results.environment),
        None if name == "wall" => across_workloads(results, false, |row| est(row.wall_ms, 0)),
        None if name == "lbo-wall" => across_workloads(results, true, |row| est(row.lbo_wall, 2)),
        None if name == "lbo-cpu" => across_workloads(results, true, |row| est(row.lbo_cpu, 2)),
        None if name == "gc" => across_workloads(results, true, |row| est(row.gc_ms, 0)),
        None if name == "rss" => across_workloads(results, false, |row| num(row.peak_rss_mb, 1)),
        None if name == "heap" => across_workloads(results, true, |row| num(row.peak_heap_mb, 1)),
        None if name == "pause-max" => across_workloads(results, true, |row| {
            num(row.latency_cpu.as_ref().and_then(|l| l.max_ms()), 2)
        }),
        None if name == "pause-max-wall" => across_workloads(results, true, |row| {
            num(row.latency.as_ref().and_then(|l| l.max_ms()), 2)
        }),
        Some(("time", w)) => time_table(results, &section(w)?.1),
        Some(("space", w)) => space_table(&section(w)?.1),
        Some(("latency", w)) => latency_tables(&section(w)?.1),
        Some(("sweep", w)) => {
            let (def, sum) = section(w)?;
            sweep_table(results, def, &sum)
        }
        _ => {
            return Err(format!(
                "unknown table \"{name}\" (known: environment, wall, lbo-wall, lbo-cpu, gc, \
                 rss, heap, pause-max, pause-max-wall, time:WORKLOAD, space:WORKLOAD, latency:WORKLOAD, sweep:WORKLOAD)"
            ))
        }
    };
    if table.trim().is_empty() {
        return Err(format!("table \"{name}\" is empty in these results"));
    }
    Ok(table)
}

fn workload_summary(results: &Results, workload: &str) -> WorkloadSummary {
    summarise(
        workload,
        &results.configs,
        &results.records,
        results.reference.as_deref(),
        results.matrix.seed,
    )
}

/// A table with a row per workload that has runs and a column per configuration
/// (`luagc_only`: per luagc configuration), each cell `cell` of its summary.
fn across_workloads(
    results: &Results,
    luagc_only: bool,
    cell: impl Fn(&super::summary::Summary) -> String,
) -> String {
    let configs: Vec<&Config> = results
        .configs
        .iter()
        .filter(|c| !luagc_only || c.kind == Kind::Luagc)
        .collect();
    let mut s = String::from("| workload |");
    for c in &configs {
        let _ = write!(s, " `{}` |", c.name);
    }
    s.push_str("\n|:--|");
    s.push_str(&"--:|".repeat(configs.len()));
    s.push('\n');
    for w in &results.matrix.workloads {
        if !results.records.iter().any(|r| r.workload == w.name) {
            continue;
        }
        let sum = workload_summary(results, &w.name);
        let _ = write!(s, "| {} |", w.name);
        for c in &configs {
            let text = sum
                .rows
                .iter()
                .find(|r| r.config == c.name)
                .map_or_else(|| "–".to_owned(), &cell);
            let _ = write!(s, " {text} |");
        }
        s.push('\n');
    }
    s
}

/// The minimum heap of `w` under the configuration `config`, in bytes, if known.
pub fn min_heap(results: &Results, w: &WorkloadDef, config: &str) -> Option<u64> {
    results
        .min_heaps
        .iter()
        .find(|e| e.is_for(w, config))
        .map(|e| e.result.min_heap_bytes)
}

/// The space sweep's table, when the workload has one.
fn sweep_table(results: &Results, w: &WorkloadDef, sum: &WorkloadSummary) -> String {
    let mut s = String::new();
    if sum.sweep.is_empty() {
        return s;
    }
    s.push_str("Minimum heaps (the smallest `--heap-limit` at which the run completes; the largest limit seen to fail in brackets):");
    let mut any = false;
    for c in &results.configs {
        if let Some(e) = results.min_heaps.iter().find(|e| e.is_for(w, &c.name)) {
            let mb = |b: u64| b as f64 / 1048576.0;
            let _ = write!(
                s,
                "{} `{}` {:.2} MB ({:.2})",
                if any { "," } else { "" },
                c.name,
                mb(e.result.min_heap_bytes),
                mb(e.result.largest_failing_bytes)
            );
            any = true;
        }
    }
    s.push_str(if any { ".\n\n" } else { " none measured.\n\n" });
    s.push_str(
        "| config | at | runs | wall ms | CPU ms | GC ms | LBO (wall) | LBO (CPU) | peak heap ÷ min heap | peak RSS MB | p99 pause ms | max pause ms |\n\
         |:--|:--|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n",
    );
    for row in &sum.sweep {
        let space = min_heap(results, w, &row.config)
            .zip(row.peak_heap_mb)
            .map(|(min, peak)| peak * 1048576.0 / min as f64);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            config_label(&results.configs, &row.config, row.runs_ok, row.runs_failed),
            row.point.map_or_else(String::new, |p| p.label()),
            row.runs_ok,
            est(row.wall_ms, 1),
            est(row.cpu_ms, 1),
            est(row.gc_ms, 1),
            est(row.lbo_wall, 3),
            est(row.lbo_cpu, 3),
            num(space, 2),
            num(row.peak_rss_mb, 1),
            num(row.latency.as_ref().and_then(|l| l.pause_ms(0.99)), 3),
            num(row.latency.as_ref().and_then(|l| l.max_ms()), 3),
        );
    }
    s.push_str(
        "\nThe space sweep: each collector with `--heap-limit` at a multiple of its minimum heap \
         on this workload, and with `collectgarbage('setpause', P)` run first (collectors \
         that never collect are left out). LBO is over \
         the same baseline as above: the smallest median distilled time of any luagc \
         configuration at any point. Peak heap is luagc's own count.\n\n",
    );
    s
}

/// The pause percentiles and MMU curves of the luagc configurations that reported them.
fn latency_tables(sum: &WorkloadSummary) -> String {
    let mut s = String::new();
    let measured: Vec<(&str, Clock, &Latency)> = sum
        .rows
        .iter()
        .flat_map(|r| {
            [(Clock::Wall, &r.latency), (Clock::Cpu, &r.latency_cpu)]
                .into_iter()
                .filter_map(|(clock, l)| l.as_ref().map(|l| (r.config.as_str(), clock, l)))
        })
        .collect();
    for row in &sum.rows {
        if let Some(p) = &row.latency_problem {
            let _ = writeln!(s, "**Latency of `{}` unreadable**: {p}\n", row.config);
        }
    }
    let Some((_, _, first)) = measured.first() else {
        return s;
    };
    s.push_str("| config | clock | runs | pauses |");
    for (_, name) in PERCENTILES {
        let _ = write!(s, " {name} ms |");
    }
    s.push_str(" max ms |\n|:--|:--|--:|--:|");
    s.push_str(&"--:|".repeat(PERCENTILES.len() + 1));
    s.push('\n');
    for (config, clock, l) in &measured {
        let _ = write!(
            s,
            "| `{config}` | {} | {} | {} |",
            clock.name(),
            l.runs,
            l.pauses.len()
        );
        for (q, _) in PERCENTILES {
            let _ = write!(s, " {} |", num(l.pause_ms(q), 3));
        }
        let _ = writeln!(s, " {} |", num(l.max_ms(), 3));
    }
    s.push_str(
        "\nPauses the collector chose (explicit collections aside), over every pause of every \
         successful run (the runs' HdrHistograms added: 3 significant digits).\n\n",
    );
    s.push_str("| MMU | clock |");
    for w in &first.mmu_windows_ms {
        let _ = write!(s, " {w} ms |");
    }
    s.push_str("\n|:--|:--|");
    s.push_str(&"--:|".repeat(first.mmu_windows_ms.len()));
    s.push('\n');
    for (config, clock, l) in &measured {
        let _ = write!(s, "| `{config}` | {} |", clock.name());
        for (m, lo) in l.mmu_median.iter().zip(&l.mmu_min) {
            let _ = write!(s, " {m:.3} ({lo:.3}) |");
        }
        s.push('\n');
    }
    s.push_str(
        "\nMinimum mutator utilisation at each window length: the median over runs, the \
         lowest run in brackets; explicit collections included. In CPU time, on the \
         interpreter thread's CPU clock: time the machine took from the program counts as \
         neither.\n\n",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc(1_796_132_580), "2026-12-01 13:43 UTC");
    }

    #[test]
    fn shell_words() {
        assert_eq!(shell_word("--out"), "--out");
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn cells() {
        assert_eq!(est(Some(Estimate::exact(1.25)), 1), "1.2");
        let e = Estimate {
            value: 1.0,
            lo: 0.5,
            hi: 1.5,
        };
        assert_eq!(est(Some(e), 2), "1.00 [0.50, 1.50]");
        assert_eq!(est(None, 2), "–");
    }
}
