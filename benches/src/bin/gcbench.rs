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

use benches::gcbench::characterize;
use benches::gcbench::configs::{self, Config, Kind};
use benches::gcbench::environment::Environment;
use benches::gcbench::matrix::{self, Matrix, SizeClass};
use benches::gcbench::measure::{self, RunRecord};
use benches::gcbench::minheap;
use benches::gcbench::progress::Progress;
use benches::gcbench::report;
use benches::gcbench::results::{Results, FORMAT};
use benches::gcbench::sweep::{Point, Sweep};
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
    /// Find each workload's minimum heap under each luagc configuration of a matrix (the
    /// smallest --heap-limit at which it completes), by bisection.
    Minheap {
        /// The matrix file (default: benches/matrices/quick.toml).
        matrix: Option<PathBuf>,
        /// Where to write the minimum heaps (JSON; default target/gcbench/MATRIX-minheap.json).
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
        /// Run the workloads crate's scripts at this size instead of the matrix's arguments.
        #[arg(long, value_enum)]
        size: Option<Size>,
        /// The relative precision of the answer.
        #[arg(long, value_name = "FRACTION", default_value_t = 0.03)]
        tolerance: f64,
    },
    /// The workloads' nominal statistics: each workload of a matrix (default
    /// benches/matrices/paper-suite.toml, at the paper's sizes) run once under stw and once
    /// under newgc in generational mode, and its minimum heap under stw bisected; prints a
    /// Markdown table of allocation volume and rate, objects by kind, mean object size,
    /// large-object share, young survival, live heap, minimum heap, GC time share and
    /// peak RSS, and the spread of rate, survival and live heap.
    Characterize {
        /// The matrix file whose workloads run (default: benches/matrices/paper-suite.toml).
        matrix: Option<PathBuf>,
        /// Also write the table to FILE.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The luagc binary (default: target/dist/luagc, else target/release/luagc).
        #[arg(long, value_name = "PATH")]
        luagc: Option<PathBuf>,
        /// Only these workloads of the matrix, comma-separated.
        #[arg(long, value_delimiter = ',', value_name = "NAMES")]
        workloads: Option<Vec<String>>,
        /// Run the workloads crate's scripts at this size instead of the matrix's arguments.
        #[arg(long, value_enum)]
        size: Option<Size>,
        /// Take the minimum heaps from FILE (written by a previous characterize, `gcbench
        /// minheap` or `gcbench run`) instead of bisecting them; those it lacks are bisected.
        #[arg(long, value_name = "FILE")]
        reuse_minheap: Option<PathBuf>,
        /// Leave the minimum heaps FILE does not give blank instead of bisecting them.
        #[arg(long)]
        skip_minheap: bool,
        /// The relative precision of the minimum heap.
        #[arg(long, value_name = "FRACTION", default_value_t = 0.03)]
        tolerance: f64,
    },
    /// Regenerate the report of a results file without running anything: DIR/report.md
    /// (the tables `run` printed, then the figures) and the figures as SVG in DIR/figures;
    /// with --paper, the tables a Markdown paper includes, in place.
    #[command(group = clap::ArgGroup::new("what").required(true).multiple(true).args(["results", "paper"]))]
    Report {
        /// A results file written by `gcbench run`.
        #[arg(requires = "out")]
        results: Option<PathBuf>,
        /// The directory to write report.md and figures/ to (created if missing).
        #[arg(long, value_name = "DIR", requires = "results")]
        out: Option<PathBuf>,
        /// Rewrite the generated blocks of this Markdown file in place (`<!-- gcbench:table
        /// RESULTS.json TABLE -->` ... `<!-- /gcbench -->`, RESULTS relative to the file).
        #[arg(long, value_name = "FILE")]
        paper: Option<PathBuf>,
    },
}

/// Options of `gcbench run`.
#[derive(clap::Args, Debug)]
struct RunArgs {
    /// The matrix file (default: benches/matrices/quick.toml).
    #[arg(conflicts_with = "resume")]
    matrix: Option<PathBuf>,
    /// Where to write the results (default: target/gcbench/MATRIX.json).
    #[arg(long, value_name = "FILE", conflicts_with = "resume")]
    out: Option<PathBuf>,
    /// Continue the interrupted results file FILE in place: the points that already have
    /// all their invocations are skipped, the others completed. Refused when the matrix
    /// file or the commit (or its uncommitted changes) differ from the file's.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["workloads", "configs", "invocations", "size"])]
    resume: Option<PathBuf>,
    /// The luagc binary (default: target/dist/luagc, else target/release/luagc).
    #[arg(long, value_name = "PATH")]
    luagc: Option<PathBuf>,
    /// Only these workloads of the matrix, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    workloads: Option<Vec<String>>,
    /// Only these configurations of the matrix, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    configs: Option<Vec<String>>,
    /// Invocations per configuration and workload, and per point of the space sweep,
    /// instead of the matrix's.
    #[arg(long, value_name = "N")]
    invocations: Option<usize>,
    /// Run the workloads crate's scripts at this size instead of the matrix's arguments
    /// (smoke sizes are checked against lua5.1's recorded checksums).
    #[arg(long, value_enum)]
    size: Option<Size>,
    /// Take the minimum heaps of the matrix's space sweep from FILE (written by `gcbench
    /// minheap`, or a results file of `gcbench run`) instead of bisecting them again;
    /// those it lacks are bisected.
    #[arg(long, value_name = "FILE")]
    reuse_minheap: Option<PathBuf>,
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
        Cmd::Report {
            results,
            out,
            paper,
        } => report_command(results.zip(out), paper.as_deref()),
        Cmd::Characterize {
            matrix,
            out,
            luagc,
            workloads,
            size,
            reuse_minheap,
            skip_minheap,
            tolerance,
        } => characterize_workloads(
            RunArgs {
                matrix: Some(matrix.unwrap_or_else(|| {
                    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("matrices/paper-suite.toml")
                })),
                out,
                luagc,
                workloads,
                configs: None,
                invocations: None,
                size,
                reuse_minheap,
                resume: None,
            },
            tolerance,
            skip_minheap,
        ),
        Cmd::Minheap {
            matrix,
            out,
            luagc,
            workloads,
            configs,
            size,
            tolerance,
        } => min_heaps(
            RunArgs {
                matrix,
                out,
                luagc,
                workloads,
                configs,
                invocations: None,
                size,
                reuse_minheap: None,
                resume: None,
            },
            tolerance,
        ),
    };
    match outcome {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("gcbench: {msg}");
            ExitCode::from(2)
        }
    }
}

fn report_command(
    report: Option<(PathBuf, PathBuf)>,
    paper: Option<&Path>,
) -> Result<ExitCode, String> {
    if let Some((results, out)) = report {
        regenerate(&results, &out)?;
    }
    if let Some(paper) = paper {
        let text = std::fs::read_to_string(paper)
            .map_err(|e| format!("cannot read {}: {e}", paper.display()))?;
        let new = benches::gcbench::paper::rewrite(&text, paper)?;
        if new != text {
            std::fs::write(paper, &new)
                .map_err(|e| format!("cannot write {}: {e}", paper.display()))?;
        }
        eprintln!(
            "gcbench: {} generated block(s) in {} {}",
            benches::gcbench::paper::blocks(&new, paper)?.len(),
            paper.display(),
            if new == text {
                "already current"
            } else {
                "rewritten"
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn regenerate(results: &Path, out: &Path) -> Result<(), String> {
    let r = Results::read(results)?;
    let figures_dir = out.join(report::FIGURES_DIR);
    std::fs::create_dir_all(&figures_dir)
        .map_err(|e| format!("cannot create {}: {e}", figures_dir.display()))?;
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    let (text, figures) = report::document(&r)?;
    for f in &figures {
        write(figures_dir.join(&f.file), &f.svg)?;
    }
    let path = out.join("report.md");
    write(path.clone(), &text)?;
    eprintln!(
        "gcbench: wrote {} and {} figure(s) in {}",
        path.display(),
        figures.len(),
        figures_dir.display()
    );
    Ok(())
}

/// The workspace's target directory.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"),
        PathBuf::from,
    )
}

/// The matrix `args` name (or the quick one) with their selections and overrides.
fn load_matrix(args: &RunArgs) -> Result<(PathBuf, Matrix), String> {
    let (path, text) = match &args.matrix {
        Some(p) => (
            p.clone(),
            std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?,
        ),
        None => (matrix::quick_path(), matrix::QUICK.to_owned()),
    };
    let mut m = Matrix::parse(&text, &path, &gc_core::collectors::names())?;
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
        if let Some(sweep) = &mut m.sweep {
            sweep.invocations = n;
        }
    }
    Ok((path, m))
}

/// The results path: `--out`, else target/gcbench/STEM-SUFFIX.json; its directory made.
fn out_path(out: Option<&Path>, matrix: &Path, suffix: &str) -> Result<PathBuf, String> {
    let out = out.map(Path::to_path_buf).unwrap_or_else(|| {
        let stem = matrix
            .file_stem()
            .map_or_else(|| "results".into(), |s| s.to_string_lossy().into_owned());
        target_dir()
            .join("gcbench")
            .join(format!("{stem}{suffix}.json"))
    });
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    Ok(out)
}

fn run(args: RunArgs) -> Result<ExitCode, String> {
    if let Some(file) = &args.resume {
        let results = resumable(file)?;
        print!("{}", report::header(&results));
        let cached = match &args.reuse_minheap {
            Some(path) => minheap::read_cache(path)?,
            None => Vec::new(),
        };
        return execute(results, file, &cached);
    }
    let (path, m) = load_matrix(&args)?;
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

    let out = out_path(args.out.as_deref(), &path, "")?;
    let results = Results {
        tool: "gcbench".to_owned(),
        format: FORMAT,
        started_unix_s: unix_now(),
        command: std::env::args().collect(),
        environment: Environment::capture(luagc.as_deref()),
        matrix: m,
        notes,
        tools,
        configs,
        reference,
        records: Vec::new(),
        min_heaps: Vec::new(),
        complete: false,
    };
    results.write(&out)?;
    print!("{}", report::header(&results));
    let cached = match &args.reuse_minheap {
        Some(path) => minheap::read_cache(path)?,
        None => Vec::new(),
    };
    execute(results, &out, &cached)
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The results file `file`, checked for `--resume`: its matrix file must still hold the
/// text it ran, and the workspace must be at the same commit with the same
/// uncommitted-changes flag, or the runs added would measure something else.
fn resumable(file: &Path) -> Result<Results, String> {
    let mut results = Results::read(file)?;
    let origin = Path::new(&results.matrix.origin);
    let text = if results.matrix.origin == matrix::quick_path().display().to_string() {
        Ok(matrix::QUICK.to_owned())
    } else {
        std::fs::read_to_string(origin)
    }
    .map_err(|e| {
        format!(
            "cannot resume {}: cannot read its matrix {} to check it is unchanged: {e}",
            file.display(),
            origin.display()
        )
    })?;
    if text != results.matrix.text {
        return Err(format!(
            "cannot resume {}: the matrix {} changed since the run started: start a new results file",
            file.display(),
            origin.display()
        ));
    }
    let luagc = results
        .configs
        .iter()
        .find(|c| c.kind == Kind::Luagc)
        .map(|c| c.program.clone());
    let now = Environment::capture(luagc.as_deref());
    let then = &results.environment;
    if (&now.git_commit, now.git_dirty) != (&then.git_commit, then.git_dirty) {
        let show = |e: &Environment| {
            format!(
                "{}{}",
                e.git_commit.as_deref().unwrap_or("an unknown commit"),
                if e.git_dirty == Some(true) {
                    " with uncommitted changes"
                } else {
                    ""
                }
            )
        };
        return Err(format!(
            "cannot resume {}: it was measured at {}, the workspace is at {}: start a new results file",
            file.display(),
            show(then),
            show(&now)
        ));
    }
    if then.git_dirty == Some(true) {
        eprintln!(
            "gcbench: note: the results were measured with uncommitted changes: gcbench cannot tell whether they are the same ones"
        );
    }
    results.notes.push(format!(
        "resumed {} with {} run(s) already recorded",
        report::utc(unix_now()),
        results.records.len()
    ));
    results.complete = false;
    Ok(results)
}

/// Runs what `results` still lacks, writing it to `out` after every round and every
/// minimum heap; `cached` are minimum heaps to reuse.
fn execute(
    mut results: Results,
    out: &Path,
    cached: &[minheap::Entry],
) -> Result<ExitCode, String> {
    let stats_dir = std::env::temp_dir().join(format!("gcbench-{}", std::process::id()));
    std::fs::create_dir_all(&stats_dir)
        .map_err(|e| format!("cannot create {}: {e}", stats_dir.display()))?;
    let plain: Vec<Variant> = (0..results.configs.len())
        .map(|config| Variant {
            config,
            point: None,
        })
        .collect();
    let swept: Vec<usize> = match &results.matrix.sweep {
        Some(_) => (0..results.configs.len())
            .filter(|&k| sweeps(&results.configs[k]))
            .collect(),
        None => Vec::new(),
    };
    let sweep_runs = results.matrix.sweep.as_ref().map_or(0, |s| {
        swept.len() * s.invocations * (s.heap_factors.len() + s.setpause.len())
    });
    let planned =
        results.matrix.workloads.len() * (plain.len() * results.matrix.invocations + sweep_runs);
    let mut progress = Progress::new(planned.saturating_sub(results.records.len()));
    let failed_before = results.records.iter().filter(|r| !r.ok).count();
    let mut mismatched = Vec::new();
    let invocations = results.matrix.invocations;
    let mut session = Session {
        out,
        stats_dir: &stats_dir,
        progress: &mut progress,
    };
    for w in results.matrix.workloads.clone() {
        run_rounds(&mut results, &w, &plain, invocations, &mut session)?;
        if let Some(sweep) = results.matrix.sweep.clone() {
            let variants = sweep_variants(&mut results, &w, &sweep, &swept, cached, &mut session)?;
            run_rounds(&mut results, &w, &variants, sweep.invocations, &mut session)?;
        }
        let (section, _, mismatch) = report::workload_section(&results, &w);
        session.progress.suspend(|| print!("{section}"));
        if let Some(m) = mismatch {
            let mut text = format!("CHECKSUM MISMATCH in {}:", w.name);
            for (line, who) in &m.checksums {
                text.push_str(&format!("\n  {line:?}: {}", who.join(", ")));
            }
            session.progress.note(&text);
            mismatched.push(w.name.clone());
        }
    }
    progress.finish();
    let failed = failed_before + progress.failed();
    results.complete = true;
    print!("{}", report::footer(&results));
    results.write(out)?;
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

/// Where a run session writes, and its progress bar.
struct Session<'a> {
    /// The results file, rewritten after every round and every minimum heap, so an
    /// interrupted session keeps its data (and `--resume` continues it).
    out: &'a Path,
    /// Where luagc's `--stats-json` files go.
    stats_dir: &'a Path,
    progress: &'a mut Progress,
}

/// One configuration as a round runs it: at a point of the space sweep, or not.
struct Variant {
    /// Its index in the results' configurations.
    config: usize,
    /// The point of the sweep.
    point: Option<Point>,
}

/// The sweep's points for each configuration of `swept` on `w`: its minimum heap is
/// taken from the results (a resumed run's), else from `cached`, else bisected; the new
/// ones are kept in `results`. Without one, only the setpause points.
fn sweep_variants(
    results: &mut Results,
    w: &matrix::WorkloadDef,
    sweep: &Sweep,
    swept: &[usize],
    cached: &[minheap::Entry],
    session: &mut Session,
) -> Result<Vec<Variant>, String> {
    let mut variants = Vec::new();
    for &k in swept {
        let c = &results.configs[k];
        let known = results
            .min_heaps
            .iter()
            .chain(cached)
            .find(|e| e.is_for(w, &c.name));
        let min_bytes = match known {
            Some(e) if results.min_heaps.contains(e) => Some(e.result.min_heap_bytes),
            Some(e) => {
                let e = e.clone();
                let bytes = e.result.min_heap_bytes;
                results.min_heaps.push(e);
                Some(bytes)
            }
            None => {
                let progress = &mut *session.progress;
                match minheap::measure(c, w, sweep.tolerance, session.stats_dir, &mut |n| {
                    progress.note(&format!("minimum heap: {n}"))
                }) {
                    Ok(e) => {
                        let bytes = e.result.min_heap_bytes;
                        results.min_heaps.push(e);
                        results.write(session.out)?;
                        Some(bytes)
                    }
                    Err(e) => {
                        progress.fail();
                        progress.note(&format!(
                            "FAILED minimum heap of {} under {}: {e}; no heap factors",
                            w.name, c.name
                        ));
                        progress.drop_runs(sweep.invocations * sweep.heap_factors.len());
                        None
                    }
                }
            }
        };
        variants.extend(sweep.points(min_bytes).into_iter().map(|p| Variant {
            config: k,
            point: Some(p),
        }));
    }
    Ok(variants)
}

/// True for the configurations the space sweep runs: luagc's, with a collector that
/// collects (epsilon's time does not depend on the heap's size or on setpause).
fn sweeps(c: &Config) -> bool {
    c.kind == Kind::Luagc
        && gc_core::collectors::registry()
            .iter()
            .any(|info| Some(info.name) == c.collector.as_deref() && info.collects)
}

/// Runs every variant `invocations` times on `w`, a round at a time, the order rotating
/// every round (none always runs first: on a fresh page cache, after the heaviest one,
/// ...); the records go into `results`, written after every round. A variant that
/// already has `n` records (a resumed run) sits out the first `n` rounds.
fn run_rounds(
    results: &mut Results,
    w: &matrix::WorkloadDef,
    variants: &[Variant],
    invocations: usize,
    session: &mut Session,
) -> Result<(), String> {
    let n = variants.len();
    let done: Vec<usize> = variants
        .iter()
        .map(|v| {
            let name = &results.configs[v.config].name;
            results
                .records
                .iter()
                .filter(|r| r.workload == w.name && &r.config == name && r.point == v.point)
                .count()
        })
        .collect();
    for round in 0..invocations {
        if done.iter().all(|&d| d > round) {
            continue;
        }
        for position in 0..n {
            let k = (position + round) % n;
            if done[k] > round {
                continue;
            }
            let v = &variants[k];
            let mut c = results.configs[v.config].clone();
            if let Some(p) = &v.point {
                c.prelude.extend(p.args());
            }
            let mut record = measure::run_once(&c, w, round, position, session.stats_dir)
                .unwrap_or_else(|e| {
                    RunRecord::not_started(&w.name, &c.name, round, position, &w.args, e)
                });
            record.point = v.point;
            session.progress.record(&record);
            results.records.push(record);
        }
        results.write(session.out)?;
    }
    Ok(())
}

/// `gcbench characterize`: the workloads' nominal statistics.
fn characterize_workloads(
    args: RunArgs,
    tolerance: f64,
    skip_minheap: bool,
) -> Result<ExitCode, String> {
    check_tolerance(tolerance)?;
    let (path, m) = load_matrix(&args)?;
    let mut notes = Vec::new();
    let luagc = configs::find_luagc(args.luagc.as_deref(), &mut notes)?;
    for n in &notes {
        eprintln!("gcbench: note: {n}");
    }
    let config = |name: &str, prelude: &[&str]| Config {
        name: name.to_owned(),
        kind: Kind::Luagc,
        collector: Some(prelude[1].to_owned()),
        program: luagc.clone(),
        prelude: prelude.iter().map(|a| (*a).to_owned()).collect(),
        note: String::new(),
        settings: None,
    };
    let stw = config("stw", &["--gc", "stw"]);
    let generational = config("newgc-gen", &["--gc", "newgc", "--gc-mode", "generational"]);
    let mut min_heaps = match &args.reuse_minheap {
        Some(file) => minheap::read_cache(file)?,
        None => Vec::new(),
    };
    let cache = out_path(None, &path, "-characterize-minheap")?;
    let stats_dir = std::env::temp_dir().join(format!("gcbench-{}", std::process::id()));
    std::fs::create_dir_all(&stats_dir)
        .map_err(|e| format!("cannot create {}: {e}", stats_dir.display()))?;
    let mut rows = Vec::new();
    let mut failed = 0usize;
    for w in &m.workloads {
        let mut once = |c: &Config| {
            let r = measure::run_once(c, w, 0, 0, &stats_dir)
                .unwrap_or_else(|e| RunRecord::not_started(&w.name, &c.name, 0, 0, &w.args, e));
            eprintln!(
                "gcbench: {} {} {}: {:.1} s{}",
                w.name,
                w.args.join(" "),
                c.name,
                r.wall_ms / 1e3,
                if r.ok { "" } else { " FAILED" }
            );
            if !r.ok {
                failed += 1;
                eprintln!(
                    "gcbench:   {}; stderr:\n{}",
                    r.status(),
                    r.stderr_tail.as_deref().unwrap_or("")
                );
            }
            r
        };
        let (s, g) = (once(&stw), once(&generational));
        if s.ok && g.ok && w.checksum && s.checksum != g.checksum {
            failed += 1;
            eprintln!(
                "gcbench: {}: stw printed {:?}, newgc {:?}",
                w.name, s.checksum, g.checksum
            );
        }
        let cached = min_heaps.iter().find(|e| e.is_for(w, &stw.name));
        let min_heap_bytes = match cached {
            Some(e) => Some(e.result.min_heap_bytes),
            None if skip_minheap => None,
            None => {
                match minheap::measure_after(&s, &stw, w, tolerance, &stats_dir, &mut |n| {
                    eprintln!("gcbench: minimum heap: {n}")
                }) {
                    Ok(e) => {
                        let min = e.result.min_heap_bytes;
                        min_heaps.push(e);
                        let json = serde_json::json!({ "tool": "gcbench characterize", "entries": &min_heaps });
                        std::fs::write(
                            &cache,
                            serde_json::to_string_pretty(&json).expect("serialises") + "\n",
                        )
                        .map_err(|e| format!("cannot write {}: {e}", cache.display()))?;
                        Some(min)
                    }
                    Err(e) => {
                        failed += 1;
                        eprintln!("gcbench: FAILED minimum heap of {}: {e}", w.name);
                        None
                    }
                }
            }
        };
        rows.push(characterize::Row {
            workload: w.name.clone(),
            args: w.args.clone(),
            generational: g,
            stw: s,
            min_heap_bytes,
        });
    }
    let _ = std::fs::remove_dir_all(&stats_dir);
    if !min_heaps.is_empty() && args.reuse_minheap.is_none() {
        eprintln!(
            "gcbench: minimum heaps in {} (--reuse-minheap takes them)",
            cache.display()
        );
    }
    let table = characterize::table(&rows);
    print!("{table}");
    if let Some(out) = &args.out {
        std::fs::write(out, &table).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `--tolerance` checked.
fn check_tolerance(tolerance: f64) -> Result<(), String> {
    if tolerance > 0.0 && tolerance < 1.0 {
        Ok(())
    } else {
        Err("--tolerance must be between 0 and 1".to_owned())
    }
}

/// `gcbench minheap`: the minimum heap of every workload under every luagc configuration.
fn min_heaps(args: RunArgs, tolerance: f64) -> Result<ExitCode, String> {
    check_tolerance(tolerance)?;
    let (path, m) = load_matrix(&args)?;
    let mut notes = Vec::new();
    let luagc = configs::find_luagc(args.luagc.as_deref(), &mut notes)?;
    let (_, all) = configs::resolve(&m.configs, Some(&luagc), &mut notes)?;
    for n in &notes {
        eprintln!("gcbench: note: {n}");
    }
    let luagc_configs: Vec<_> = all.into_iter().filter(|c| c.kind == Kind::Luagc).collect();
    if luagc_configs.is_empty() {
        return Err("no luagc configuration in the matrix".to_owned());
    }
    let out = out_path(args.out.as_deref(), &path, "-minheap")?;
    let stats_dir = std::env::temp_dir().join(format!("gcbench-{}", std::process::id()));
    std::fs::create_dir_all(&stats_dir)
        .map_err(|e| format!("cannot create {}: {e}", stats_dir.display()))?;
    let mut entries: Vec<minheap::Entry> = Vec::new();
    let mut failed = 0usize;
    println!("| workload | config | peak heap, no limit (MB) | minimum heap (MB) | largest failing (MB) | trials |");
    println!("|:--|:--|--:|--:|--:|--:|");
    for w in &m.workloads {
        for c in &luagc_configs {
            match minheap::measure(c, w, tolerance, &stats_dir, &mut |n| {
                eprintln!("gcbench: {n}")
            }) {
                Ok(entry) => {
                    let mb = |b: u64| b as f64 / 1048576.0;
                    println!(
                        "| {} | `{}` | {:.2} | {:.2} | {:.2} | {} |",
                        w.name,
                        c.name,
                        mb(entry.unlimited_peak_heap_bytes),
                        mb(entry.result.min_heap_bytes),
                        mb(entry.result.largest_failing_bytes),
                        entry.result.trials.len()
                    );
                    entries.push(entry);
                }
                Err(e) => {
                    failed += 1;
                    eprintln!(
                        "gcbench: FAILED minimum heap of {} under {}: {e}",
                        w.name, c.name
                    );
                    println!("| {} | `{}` | **failed** | | | |", w.name, c.name);
                }
            }
            let file = serde_json::json!({
                "tool": "gcbench minheap",
                "matrix": &m.origin,
                "tolerance": tolerance,
                "environment": Environment::capture(Some(&luagc)),
                "luagc": &luagc,
                "entries": &entries,
            });
            let text = serde_json::to_string_pretty(&file).expect("serialises") + "\n";
            std::fs::write(&out, text)
                .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        }
    }
    let _ = std::fs::remove_dir_all(&stats_dir);
    eprintln!("gcbench: minimum heaps in {}", out.display());
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
