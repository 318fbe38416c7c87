//! `gcbench`: the comparative harness. `gcbench run [MATRIX]` runs a matrix file (by
//! default `benches/matrices/quick.toml`): every configuration on every workload, the
//! order of the configurations rotating every round so the machine's noise hits them
//! alike; it checks that all of them print the same checksum, prints the Markdown report
//! as it goes and keeps every raw run in a results file, rewritten after each workload.
//! `gcbench report RESULTS --out DIR` regenerates the report from that file alone.
//!
//! Exit status: 0 when every run succeeded and all checksums agree, 1 when a run failed
//! or checksums differ (the report is still written), 2 on a usage or set-up error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use benches::gcbench::configs;
use benches::gcbench::environment::Environment;
use benches::gcbench::matrix::{self, Matrix, SizeClass};
use benches::gcbench::measure::{self, RunRecord};
use benches::gcbench::report;
use benches::gcbench::results::{Results, FORMAT};
use clap::{Parser, Subcommand, ValueEnum};

/// Command line.
#[derive(Parser, Debug)]
#[command(
    name = "gcbench",
    about = "Compare luagc's collectors and Lua interpreters on Lua workloads"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

/// What to do.
#[derive(Subcommand, Debug)]
enum Cmd {
    /// Run a matrix file and print its report.
    Run(RunArgs),
    /// Regenerate the report of a results file without running anything.
    Report {
        /// A results file written by `gcbench run`.
        results: PathBuf,
        /// The directory to write report.md to (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

/// Options of `gcbench run`.
#[derive(clap::Args, Debug)]
struct RunArgs {
    /// The matrix file (default: benches/matrices/quick.toml).
    matrix: Option<PathBuf>,
    /// Where to write the results (default: target/gcbench/MATRIX.json).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The luagc binary (default: target/dist/luagc, else target/release/luagc).
    #[arg(long, value_name = "PATH")]
    luagc: Option<PathBuf>,
    /// Only these workloads of the matrix, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    workloads: Option<Vec<String>>,
    /// Only these configurations of the matrix, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    configs: Option<Vec<String>>,
    /// Invocations per configuration and workload, instead of the matrix's.
    #[arg(long, value_name = "N")]
    invocations: Option<usize>,
    /// Run the workloads crate's scripts at this size instead of the matrix's arguments
    /// (smoke sizes are checked against lua5.1's recorded checksums).
    #[arg(long, value_enum)]
    size: Option<Size>,
}

/// `--size`.
#[derive(ValueEnum, Clone, Copy, Debug)]
enum Size {
    Smoke,
    Default,
    Large,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Cmd::Run(args) => run(args),
        Cmd::Report { results, out } => regenerate(&results, &out),
    };
    match outcome {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("gcbench: {msg}");
            ExitCode::from(2)
        }
    }
}

fn regenerate(results: &Path, out: &Path) -> Result<ExitCode, String> {
    let r = Results::read(results)?;
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let path = out.join("report.md");
    std::fs::write(&path, report::render(&r))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!("gcbench: wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// The workspace's target directory.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"),
        PathBuf::from,
    )
}

fn run(args: RunArgs) -> Result<ExitCode, String> {
    let (path, text) = match &args.matrix {
        Some(p) => (
            p.clone(),
            std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?,
        ),
        None => (matrix::quick_path(), matrix::QUICK.to_owned()),
    };
    let mut m = Matrix::parse(&text, &path, gc_core::collectors::NAMES)?;
    if let Some(size) = args.size {
        m.resize(match size {
            Size::Smoke => SizeClass::Smoke,
            Size::Default => SizeClass::Default,
            Size::Large => SizeClass::Large,
        });
    }
    m.select(args.workloads.as_deref(), args.configs.as_deref())?;
    if let Some(n) = args.invocations {
        if n == 0 {
            return Err("--invocations must be at least 1".to_owned());
        }
        m.invocations = n;
    }

    let mut notes = Vec::new();
    let needs_luagc = m
        .configs
        .iter()
        .any(|c| matches!(c.program, matrix::Program::Luagc { .. }));
    let luagc = if needs_luagc {
        Some(configs::find_luagc(args.luagc.as_deref(), &mut notes)?)
    } else {
        None
    };
    let (tools, configs) = configs::resolve(&m.configs, luagc.as_deref(), &mut notes)?;
    if configs.is_empty() {
        return Err("nothing to run: no configuration of the matrix is available".to_owned());
    }
    let reference = m
        .reference
        .clone()
        .filter(|r| configs.iter().any(|c| &c.name == r));
    if let (Some(r), None) = (&m.reference, &reference) {
        notes.push(format!("reference {r} did not run: no ratio column"));
    }
    for n in &notes {
        eprintln!("gcbench: note: {n}");
    }

    let out = args.out.clone().unwrap_or_else(|| {
        let stem = path
            .file_stem()
            .map_or_else(|| "results".into(), |s| s.to_string_lossy().into_owned());
        target_dir().join("gcbench").join(format!("{stem}.json"))
    });
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let stats_dir = std::env::temp_dir().join(format!("gcbench-{}", std::process::id()));
    std::fs::create_dir_all(&stats_dir)
        .map_err(|e| format!("cannot create {}: {e}", stats_dir.display()))?;

    let mut results = Results {
        tool: "gcbench".to_owned(),
        format: FORMAT,
        started_unix_s: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        command: std::env::args().collect(),
        environment: Environment::capture(luagc.as_deref()),
        matrix: m,
        notes,
        tools,
        configs,
        reference,
        records: Vec::new(),
        complete: false,
    };
    results.write(&out)?;
    print!("{}", report::header(&results));

    let n = results.configs.len();
    let invocations = results.matrix.invocations;
    let total = n * invocations * results.matrix.workloads.len();
    let mut done = 0usize;
    let mut failed = 0usize;
    let mut mismatched = Vec::new();
    let started = std::time::Instant::now();
    for w in results.matrix.workloads.clone() {
        for round in 0..invocations {
            // The starting configuration moves by one every round: none always runs first
            // (on a fresh page cache, after the heaviest one, ...).
            for position in 0..n {
                let c = &results.configs[(position + round) % n];
                let record =
                    measure::run_once(c, &w, round, position, &stats_dir).unwrap_or_else(|e| {
                        RunRecord::not_started(&w.name, &c.name, round, position, &w.args, e)
                    });
                done += 1;
                progress(&record, done, total, started.elapsed().as_secs_f64());
                if !record.ok {
                    failed += 1;
                }
                results.records.push(record);
            }
        }
        let (section, _, mismatch) = report::workload_section(&results, &w);
        print!("{section}");
        if let Some(m) = mismatch {
            eprintln!("gcbench: CHECKSUM MISMATCH in {}:", w.name);
            for (line, who) in &m.checksums {
                eprintln!("  {line:?}: {}", who.join(", "));
            }
            mismatched.push(w.name.clone());
        }
        // Rewritten after every workload, so an interrupted session keeps its data.
        results.write(&out)?;
    }
    results.complete = true;
    results.write(&out)?;
    let _ = std::fs::remove_dir_all(&stats_dir);
    eprintln!(
        "gcbench: raw results in {}; `gcbench report {} --out DIR` regenerates the report",
        out.display(),
        out.display()
    );
    if failed > 0 || !mismatched.is_empty() {
        eprintln!(
            "gcbench: {failed} FAILED run(s); mismatching checksums in: {}",
            if mismatched.is_empty() {
                "none".to_owned()
            } else {
                mismatched.join(", ")
            }
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// One line per run on stderr, with the time left estimated from the time so far; a
/// failed run's stderr is shown in full there.
fn progress(r: &RunRecord, done: usize, total: usize, elapsed_s: f64) {
    let gc = r
        .gc_ms()
        .map_or_else(String::new, |gc| format!(", gc {gc:.1} ms"));
    let eta = elapsed_s / done as f64 * (total - done) as f64;
    eprintln!(
        "gcbench: [{done}/{total}, ~{eta:.0} s left] {} {} (round {}): {:.1} ms, cpu {:.1} ms{gc}, {:.1} MB{}",
        r.workload,
        r.config,
        r.round + 1,
        r.wall_ms,
        r.cpu_ms(),
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
    }
}
