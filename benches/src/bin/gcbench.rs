//! `gcbench`: the comparative runner. Runs every workload script under each `luagc`
//! collector and each external Lua interpreter found on PATH, round-robin so the
//! machine's noise hits every configuration alike, checks that all of them print the
//! same checksum, and reports medians (wall, GC time, distilled time, LBO, pauses, peak
//! RSS, ratio to lua5.4) as Markdown on stdout, with every raw run in `--out` JSON so the
//! papers' tables can be regenerated from it.
//!
//! Exit status: 0 when every run succeeded and all checksums agree, 1 when a run failed
//! or checksums differ (the report is still written), 2 on a usage or set-up error.

#[path = "../gcbench/configs.rs"]
mod configs;
#[path = "../gcbench/measure.rs"]
mod measure;
#[path = "../gcbench/report.rs"]
mod report;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::Parser;
use serde::Serialize;

use configs::{Config, Tool};
use measure::RunRecord;
use report::{Mismatch, Summary};
use workloads::Workload;

/// Command line.
#[derive(Parser, Debug)]
#[command(
    name = "gcbench",
    about = "Compare luagc's collectors and Lua interpreters on the workload scripts"
)]
struct Cli {
    /// The luagc binary (default: target/dist/luagc, else target/release/luagc).
    #[arg(long, value_name = "PATH")]
    luagc: Option<PathBuf>,
    /// luagc collectors, comma-separated ('' for none; default: all of gc_core's).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    collectors: Option<Vec<String>>,
    /// External interpreters, comma-separated ('' for none); missing ones are skipped.
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "NAMES",
        default_value = "lua5.1,lua5.4,luajit"
    )]
    peers: Vec<String>,
    /// Workloads, comma-separated (default: all).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    workloads: Option<Vec<String>>,
    /// Runs per configuration (default 5, or 1 with --smoke).
    #[arg(long, value_name = "N")]
    runs: Option<usize>,
    /// The script arguments for every selected workload, split at spaces ("600000 100").
    #[arg(long, value_name = "ARG", conflicts_with = "smoke")]
    size_arg: Option<String>,
    /// Tiny sizes (each workload's smoke arguments), checked against the recorded
    /// lua5.1 checksums.
    #[arg(long)]
    smoke: bool,
    /// Write every raw run, the summaries and the set-up to this JSON file.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// An extra luagc option, before the script (repeatable: --luagc-arg=--gc-threads=1).
    #[arg(long = "luagc-arg", value_name = "ARG", allow_hyphen_values = true)]
    luagc_args: Vec<String>,
    /// The interpreter (as it starts, no mode forced) or configuration ratios are against.
    #[arg(long, value_name = "NAME", default_value = "lua5.4")]
    reference: String,
}

/// The results file: enough to regenerate every table and to know what was measured.
#[derive(Serialize)]
struct Results<'a> {
    tool: &'static str,
    format: u32,
    started_unix_s: u64,
    host: &'a Host,
    smoke: bool,
    runs: usize,
    reference: Option<&'a str>,
    notes: &'a [String],
    tools: &'a [Tool],
    configs: &'a [Config],
    workloads: &'a [WorkloadRun],
    records: &'a [RunRecord],
    summaries: &'a [Summary],
    checksum_mismatches: &'a [Mismatch],
}

/// Where the numbers come from.
#[derive(Serialize)]
struct Host {
    cpus: usize,
    git_commit: Option<String>,
    git_dirty: Option<bool>,
}

/// A workload as run: its name and the arguments used.
#[derive(Serialize)]
struct WorkloadRun {
    name: &'static str,
    description: &'static str,
    args: Vec<String>,
}

fn git(workspace: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(workspace)
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn host() -> Host {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    Host {
        cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
        git_commit: git(&workspace, &["rev-parse", "HEAD"]),
        git_dirty: git(&workspace, &["status", "--porcelain"]).map(|s| !s.is_empty()),
    }
}

/// Drops the empty names that `--peers ''` leaves.
fn names(list: Vec<String>) -> Vec<String> {
    list.into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("gcbench: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let selected: Vec<&'static Workload> = match cli.workloads.map(names) {
        None => workloads::WORKLOADS.iter().collect(),
        Some(list) => list
            .iter()
            .map(|n| {
                workloads::find(n).ok_or_else(|| {
                    let all: Vec<&str> = workloads::WORKLOADS.iter().map(|w| w.name).collect();
                    format!("unknown workload '{n}' (available: {})", all.join(", "))
                })
            })
            .collect::<Result<_, _>>()?,
    };
    if selected.is_empty() {
        return Err("no workload selected".to_owned());
    }
    let runs = cli.runs.unwrap_or(if cli.smoke { 1 } else { 5 });
    if runs == 0 {
        return Err("--runs must be at least 1".to_owned());
    }

    let mut notes = Vec::new();
    let mut tools = Vec::new();
    let mut configs = Vec::new();
    let collectors = names(cli.collectors.unwrap_or_else(|| {
        gc_core::collectors::names()
            .iter()
            .map(|s| s.to_string())
            .collect()
    }));
    if !collectors.is_empty() {
        let luagc = configs::find_luagc(cli.luagc.as_deref(), &mut notes)?;
        let (tool, found) = configs::luagc_configs(&luagc, &collectors, &mut notes);
        tools.push(tool);
        configs.extend(found);
    }
    let (peer_tools, peers) = configs::peer_configs(&names(cli.peers), &mut notes);
    tools.extend(peer_tools);
    configs.extend(peers);
    if configs.is_empty() {
        return Err("nothing to run: no collector or interpreter is available".to_owned());
    }
    let reference = configs
        .iter()
        .find(|c| c.as_is && c.peer.as_deref() == Some(cli.reference.as_str()))
        .or_else(|| configs.iter().find(|c| c.name == cli.reference))
        .map(|c| c.name.clone());
    if reference.is_none() {
        notes.push(format!(
            "reference {} is not among the configurations: no ratio column",
            cli.reference
        ));
    }

    for n in &notes {
        eprintln!("gcbench: note: {n}");
    }

    let stats_dir = std::env::temp_dir().join(format!("gcbench-{}", std::process::id()));
    std::fs::create_dir_all(&stats_dir)
        .map_err(|e| format!("cannot create {}: {e}", stats_dir.display()))?;
    let started_unix_s = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let host = host();

    println!("## gcbench\n");
    println!(
        "{runs} run(s) per configuration, round-robin; {} CPUs; commit {}{}.",
        host.cpus,
        host.git_commit
            .as_deref()
            .map_or("unknown", |c| &c[..c.len().min(12)]),
        if host.git_dirty == Some(true) {
            " (with uncommitted changes)"
        } else {
            ""
        }
    );
    for t in &tools {
        println!("- {}: {} ({})", t.name, t.path.display(), t.version);
    }
    for n in &notes {
        println!("- note: {n}");
    }
    println!(
        "\nLBO (Cai et al., ISPASS 2022): median wall / the smallest median (wall - GC time) \
         over the luagc collectors. Peers report no GC time.\n"
    );

    let mut records: Vec<RunRecord> = Vec::new();
    let mut summaries: Vec<Summary> = Vec::new();
    let mut mismatches: Vec<Mismatch> = Vec::new();
    let mut workload_runs: Vec<WorkloadRun> = Vec::new();
    let mut failed = 0usize;
    for w in selected {
        let args: Vec<String> = match (&cli.size_arg, cli.smoke) {
            (Some(a), _) => a.split_whitespace().map(str::to_owned).collect(),
            (None, true) => w.smoke_args.iter().map(|s| s.to_string()).collect(),
            (None, false) => w.default_args.iter().map(|s| s.to_string()).collect(),
        };
        let script = w.script();
        let n = configs.len();
        for round in 0..runs {
            // Rotate the starting configuration too, so none always runs first.
            for k in 0..n {
                let c = &configs[(k + round) % n];
                let record = measure::run_once(
                    c,
                    &cli.luagc_args,
                    w.name,
                    &script,
                    &args,
                    round,
                    &stats_dir,
                )
                .unwrap_or_else(|e| RunRecord::not_started(w.name, &c.name, round, &args, e));
                progress(w.name, round, runs, &record);
                if !record.ok {
                    failed += 1;
                }
                records.push(record);
            }
        }
        let mine: Vec<RunRecord> = records
            .iter()
            .filter(|r| r.workload == w.name)
            .cloned()
            .collect();
        let expected = (args == w.smoke_args).then_some(w.smoke_checksum);
        let mismatch = report::check_checksums(w.name, &mine, expected);
        let sums = report::summarise(w.name, &configs, &mine, reference.as_deref());
        let checksum = mine
            .iter()
            .find(|r| r.ok)
            .and_then(|r| r.checksum.as_deref());
        let title = format!("{} {}", w.name, args.join(" "));
        print!(
            "{}",
            report::markdown(
                &title,
                &configs,
                &sums,
                checksum,
                mismatch.as_ref(),
                reference.as_deref()
            )
        );
        if let Some(m) = &mismatch {
            eprintln!("gcbench: CHECKSUM MISMATCH in {}:", w.name);
            for (line, who) in &m.checksums {
                eprintln!("  {line:?}: {}", who.join(", "));
            }
            mismatches.push(m.clone());
        }
        summaries.extend(sums);
        workload_runs.push(WorkloadRun {
            name: w.name,
            description: w.description,
            args,
        });
        // Rewritten after every workload, so a long session interrupted late keeps its data.
        if let Some(out) = &cli.out {
            let results = Results {
                tool: "gcbench",
                format: 1,
                started_unix_s,
                host: &host,
                smoke: cli.smoke,
                runs,
                reference: reference.as_deref(),
                notes: &notes,
                tools: &tools,
                configs: &configs,
                workloads: &workload_runs,
                records: &records,
                summaries: &summaries,
                checksum_mismatches: &mismatches,
            };
            let text = serde_json::to_string_pretty(&results).expect("results serialise");
            std::fs::write(out, text + "\n")
                .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        }
    }
    let _ = std::fs::remove_dir_all(&stats_dir);
    if let Some(out) = &cli.out {
        eprintln!("gcbench: raw results in {}", out.display());
    }
    if failed > 0 || !mismatches.is_empty() {
        eprintln!(
            "gcbench: {failed} failed run(s), {} workload(s) with mismatching checksums",
            mismatches.len()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// One line per run on stderr; a failed run's stderr is shown in full there.
fn progress(workload: &str, round: usize, runs: usize, r: &RunRecord) {
    let gc = r
        .gc_ms()
        .map_or_else(String::new, |gc| format!(", gc {gc:.1} ms"));
    eprintln!(
        "gcbench: [{workload} {}/{runs}] {}: {:.1} ms{gc}, {:.1} MB{}",
        round + 1,
        r.config,
        r.wall_ms,
        r.max_rss_kb as f64 / 1024.0,
        if r.ok { "" } else { "  FAILED" }
    );
    if let Some(t) = &r.stderr_tail {
        let status = match (r.exit_code, r.signal) {
            (Some(c), _) => format!("exit status {c}"),
            (_, Some(s)) => format!("killed by signal {s}"),
            _ => "did not run".to_owned(),
        };
        eprintln!("gcbench:   {status}; stderr:\n{t}");
        if r.exit_code == Some(0) && r.checksum.is_none() {
            eprintln!("gcbench:   (no checksum line on stdout)");
        }
    }
}
