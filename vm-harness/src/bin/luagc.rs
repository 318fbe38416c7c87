//! `luagc`: runs a Lua 5.1 script on the VM with the collector chosen by `--gc`, and
//! reports the collector's statistics.
//!
//! Exit status: 0 on success, 1 on a Lua error (message and traceback on stderr, as
//! `luagc: MESSAGE`), a syntax error, an unknown collector or a bad option.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use gc_core::collectors::{registry, visit_named, CollectorVisitor};
use gc_core::{Collector, GcMode, HeapConfig, PauseSummary};
use serde::Serialize;
use vm_harness::alloc_counts::AllocationJson;
use vm_harness::compiler::CompileOptions;
use vm_harness::latency_json::LatencyJson;
use vm_harness::model::LuaModel;
use vm_harness::stdlib::base::chunk_id;
use vm_harness::value::Value;
use vm_harness::vm::{Vm, VmOptions};

/// Command line.
#[derive(Parser, Debug)]
#[command(
    name = "luagc",
    version,
    about = "A Lua 5.1 VM over gc-core's collectors"
)]
struct Cli {
    /// The collector (gc_core's registry lists them).
    #[arg(long, default_value = registry()[0].name, help = collectors_help())]
    gc: String,
    /// Force a mode of collectors that have several (newgc): incremental or
    /// generational. By default newgc switches by itself.
    #[arg(long, value_name = "MODE", value_parser = parse_mode)]
    gc_mode: Option<GcMode>,
    /// Print a summary of the collector's statistics to stderr at exit.
    #[arg(long)]
    stats: bool,
    /// Write the statistics as one JSON object to FILE.
    #[arg(long, value_name = "FILE")]
    stats_json: Option<PathBuf>,
    /// Heap limit: bytes, or with a K, M or G suffix (512M, 2G).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    heap_limit: Option<usize>,
    /// Threads that mark and sweep big heaps (default: the number of cores). The set of
    /// surviving objects does not depend on it.
    #[arg(long, value_name = "N")]
    gc_threads: Option<usize>,
    /// Also time every pause in the thread's CPU time (`pause_cpu_ms` in --stats-json; a
    /// system call per pause end, about 0.35 µs): a pause far longer in wall time than in
    /// CPU time was the machine's (a preempted virtual CPU), not the collector's.
    #[arg(long)]
    pause_cpu_time: bool,
    /// How long an incremental step marks at most, in milliseconds (fractions allowed),
    /// or `off`: steps then do exactly the work their budget says, and the same script,
    /// arguments and settings give the same cycles, heap sizes and statistics (times
    /// aside) run after run. Default: 0.5.
    #[arg(long, value_name = "MS|off", value_parser = parse_deadline)]
    gc_step_deadline: Option<StepDeadline>,
    /// GC stress test: collect and verify the heap before every N-th allocation.
    #[arg(long, value_name = "N", default_value_t = 0)]
    gc_stress: u32,
    /// Run CHUNK before the script (may be repeated).
    #[arg(short = 'e', value_name = "CHUNK")]
    exec: Vec<String>,
    /// The script, then its arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    script_and_args: Vec<OsString>,
}

fn parse_mode(text: &str) -> Result<GcMode, String> {
    match text {
        "incremental" => Ok(GcMode::Incremental),
        "generational" => Ok(GcMode::Generational),
        _ => Err(format!(
            "'{text}' is not a mode (incremental, generational)"
        )),
    }
}

/// `--gc-step-deadline`: a deadline, or none.
#[derive(Copy, Clone, Debug)]
struct StepDeadline(Option<Duration>);

fn parse_deadline(text: &str) -> Result<StepDeadline, String> {
    if text == "off" {
        return Ok(StepDeadline(None));
    }
    let bad = || format!("'{text}' is not a deadline (milliseconds above 0, or off)");
    let ms: f64 = text.trim().parse().map_err(|_| bad())?;
    if !(ms.is_finite() && ms > 0.0) {
        return Err(bad());
    }
    Duration::try_from_secs_f64(ms / 1000.0)
        .map(|d| StepDeadline(Some(d)))
        .map_err(|_| bad())
}

fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let t = t.strip_suffix(['B', 'b']).unwrap_or(t);
    let (digits, shift) = match t.chars().last() {
        Some('K' | 'k') => (&t[..t.len() - 1], 10),
        Some('M' | 'm') => (&t[..t.len() - 1], 20),
        Some('G' | 'g') => (&t[..t.len() - 1], 30),
        _ => (t, 0),
    };
    let n: usize = digits
        .parse()
        .map_err(|_| format!("invalid size '{text}' (use bytes, or 512M, 2G)"))?;
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("size '{text}' is too large"))
}

#[derive(Serialize)]
struct PauseJson {
    p50: f64,
    p99: f64,
    max: f64,
    count: u64,
}

fn pause_json(pauses: &PauseSummary) -> PauseJson {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    PauseJson {
        p50: ms(pauses.p50),
        p99: ms(pauses.p99),
        max: ms(pauses.max),
        count: pauses.count,
    }
}

/// The program's explicit full collections (`collectgarbage("collect")`), outside
/// `pause_ms`.
#[derive(Serialize)]
struct ExplicitJson {
    count: u64,
    total: f64,
    max: f64,
}

/// Minimum mutator utilisation over the whole run, keyed by window length.
#[derive(Serialize)]
struct MmuJson {
    #[serde(rename = "1ms")]
    window_1ms: f64,
    #[serde(rename = "10ms")]
    window_10ms: f64,
    #[serde(rename = "100ms")]
    window_100ms: f64,
}

/// The heap's settings at start (a program may change pause and stepmul later), so raw
/// results say what they were measured with.
#[derive(Serialize)]
struct SettingsJson {
    /// The arena size this build was compiled with (`GC_CORE_ARENA_SHIFT`).
    arena_bytes: usize,
    gc_threads: usize,
    pause_percent: u32,
    stepmul_percent: u32,
    min_trigger_bytes: usize,
    /// The forced mode, or null when the collector switches by itself.
    mode: Option<&'static str>,
    /// null: no step deadline.
    step_deadline_ms: Option<f64>,
    heap_limit_bytes: Option<usize>,
}

impl SettingsJson {
    fn of(config: &HeapConfig) -> Self {
        SettingsJson {
            arena_bytes: gc_core::heap::arena::ARENA_SIZE,
            gc_threads: config.gc_threads,
            pause_percent: config.pause_percent,
            stepmul_percent: config.stepmul_percent,
            min_trigger_bytes: config.min_trigger_bytes,
            mode: config.mode.map(|mode| match mode {
                GcMode::Incremental => "incremental",
                GcMode::Generational => "generational",
            }),
            step_deadline_ms: config.step_deadline.map(|d| d.as_secs_f64() * 1000.0),
            heap_limit_bytes: config.heap_limit,
        }
    }
}

#[derive(Serialize)]
struct StatsJson {
    collector: String,
    settings: SettingsJson,
    wall_ms: f64,
    gc_ms: f64,
    /// The pauses the collector chose.
    pause_ms: PauseJson,
    explicit_ms: ExplicitJson,
    /// The same pauses in thread CPU time, with --pause-cpu-time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pause_cpu_ms: Option<PauseJson>,
    /// All cycles: `cycles_minor + cycles_major`.
    cycles: u64,
    cycles_minor: u64,
    cycles_major: u64,
    mmu: MmuJson,
    /// Pause histograms and MMU curves, for merging runs.
    latency: LatencyJson,
    /// What the program allocated, by kind, and young survival.
    allocation: AllocationJson,
    allocated_bytes: u64,
    peak_heap_bytes: u64,
    live_bytes: u64,
    heap_bytes: u64,
    mapped_bytes: u64,
    exit_code: i32,
}

fn main() {
    let cli = Cli::parse();
    let code = std::thread::Builder::new()
        .name("lua".into())
        .stack_size(512 << 20)
        .spawn(move || {
            let mut run = Run { cli: &cli, code: 1 };
            if !visit_named(&cli.gc, &mut run) {
                let names: Vec<&str> = registry().iter().map(|info| info.name).collect();
                eprintln!(
                    "luagc: unknown collector '{}' (available: {})",
                    cli.gc,
                    names.join(", ")
                );
            }
            run.code
        })
        .expect("spawn the interpreter thread")
        .join()
        .unwrap_or(1);
    std::process::exit(code);
}

/// `--gc`'s help: every collector of the registry, with what it is.
fn collectors_help() -> String {
    let mut help = String::from("The collector:");
    for info in registry() {
        help.push_str(&format!("\n  {:8} {}", info.name, info.description));
    }
    help
}

/// Runs the script under the collector the registry hands over.
struct Run<'a> {
    cli: &'a Cli,
    code: i32,
}

impl CollectorVisitor<LuaModel> for Run<'_> {
    fn visit<C: Collector<LuaModel>>(&mut self) {
        self.code = run::<C>(self.cli);
    }
}

fn run<C: Collector<LuaModel>>(cli: &Cli) -> i32 {
    let started = Instant::now();
    let defaults = HeapConfig::default();
    let config = HeapConfig {
        heap_limit: cli.heap_limit,
        gc_threads: cli.gc_threads.unwrap_or(defaults.gc_threads),
        mode: cli.gc_mode,
        pause_cpu_time: cli.pause_cpu_time,
        step_deadline: cli
            .gc_step_deadline
            .map_or(defaults.step_deadline, |StepDeadline(d)| d),
        ..defaults
    };
    let options = VmOptions {
        gc_stress: cli.gc_stress,
    };
    let settings = SettingsJson::of(&config);
    let mut vm = match Vm::new(C::new(config), &options) {
        Ok(vm) => vm,
        Err(msg) => {
            eprintln!("luagc: {msg}");
            return 1;
        }
    };
    let code = run_script(&mut vm, cli);
    vm.close();
    let wall = started.elapsed();
    report(&vm, cli, wall, code, settings);
    code
}

/// Runs the `-e` chunks and the script; returns the exit status.
fn run_script<C: Collector<LuaModel>>(vm: &mut Vm<C>, cli: &Cli) -> i32 {
    let mut rest = cli.script_and_args.iter();
    let script = rest.next().map(|s| s.to_string_lossy().into_owned());
    let script_args: Vec<Vec<u8>> = rest
        .map(|a| a.to_string_lossy().into_owned().into_bytes())
        .collect();
    if let Err(msg) = set_arg_table(vm, script.as_deref(), &script_args) {
        return fail(vm, &msg);
    }
    for chunk in &cli.exec {
        let options = CompileOptions {
            skip_shebang: false,
            c_call_depth: 1,
        };
        let f = match vm.load(chunk.as_bytes(), &chunk_id(b"=(command line)"), options) {
            Ok(Ok(f)) => f,
            Ok(Err(msg)) => return fail(vm, &String::from_utf8_lossy(&msg)),
            Err(_) => return fail(vm, &vm.error_string()),
        };
        if let Err(msg) = vm.run_function(f, &[]) {
            return fail(vm, &msg);
        }
    }
    let Some(script) = script else {
        if cli.exec.is_empty() {
            eprintln!("luagc: no script given (usage: luagc [OPTIONS] script.lua [args...])");
            return 1;
        }
        return 0;
    };
    let f = match vm.load_file(&script) {
        Ok(Ok(f)) => f,
        Ok(Err(msg)) => return fail(vm, &String::from_utf8_lossy(&msg)),
        Err(_) => return fail(vm, &vm.error_string()),
    };
    let mut args = Vec::new();
    for a in &script_args {
        match vm.str_value(a) {
            Ok(v) => {
                vm.roots.temps.push(v);
                args.push(v);
            }
            Err(_) => return fail(vm, &vm.error_string()),
        }
    }
    vm.roots.temps.push(f);
    let result = vm.run_function(f, &args);
    vm.roots.temps.clear();
    match result {
        Ok(()) => 0,
        Err(msg) => fail(vm, &msg),
    }
}

/// The global `arg`: interpreter at -1, script at 0, arguments from 1.
fn set_arg_table<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    script: Option<&str>,
    args: &[Vec<u8>],
) -> Result<(), String> {
    let fill = |vm: &mut Vm<C>| -> vm_harness::vm::LuaResult<()> {
        let t = vm.new_table(args.len(), 2)?;
        vm.roots.temps.push(Value::Table(t));
        let interpreter = std::env::args()
            .next()
            .unwrap_or_else(|| "luagc".to_owned());
        let v = vm.str_value(interpreter.as_bytes())?;
        vm.raw_set(t, Value::Number(-1.0), v)?;
        if let Some(s) = script {
            let v = vm.str_value(s.as_bytes())?;
            vm.raw_set(t, Value::Number(0.0), v)?;
        }
        for (i, a) in args.iter().enumerate() {
            let v = vm.str_value(a)?;
            vm.raw_set(t, Value::Number((i + 1) as f64), v)?;
        }
        let globals = vm.roots.globals;
        vm.set_field(globals, "arg", Value::Table(t))?;
        vm.roots.temps.pop();
        Ok(())
    };
    fill(vm).map_err(|_| vm.error_string())
}

fn fail<C: Collector<LuaModel>>(vm: &mut Vm<C>, msg: &str) -> i32 {
    vm.flush();
    let _ = writeln!(std::io::stderr(), "luagc: {msg}");
    1
}

/// Prints and writes the statistics; called at exit, so MMU covers the whole run (from the
/// collector's creation to now).
fn report<C: Collector<LuaModel>>(
    vm: &Vm<C>,
    cli: &Cli,
    wall: std::time::Duration,
    code: i32,
    settings: SettingsJson,
) {
    let stats = vm.heap.gc.stats();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    if cli.stats {
        eprintln!(
            "luagc stats: collector {} | wall {:.1} ms | gc {:.1} ms in {} cycles ({} minor, {} major) | pauses p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms | {} explicit collections, max {:.3} ms | mmu 1 ms {:.3}, 10 ms {:.3}, 100 ms {:.3} | allocated {} B, peak heap {} B, live {} B",
            C::NAME,
            ms(wall),
            ms(stats.gc_time),
            stats.cycles,
            stats.minor_cycles,
            stats.major_cycles,
            ms(stats.pauses.p50),
            ms(stats.pauses.p99),
            ms(stats.pauses.max),
            stats.explicit.count,
            ms(stats.explicit.max),
            stats.mmu.window_1ms,
            stats.mmu.window_10ms,
            stats.mmu.window_100ms,
            stats.allocated_bytes,
            stats.peak_heap_bytes,
            stats.live_bytes,
        );
        if let Some(cpu) = &stats.pause_cpu {
            eprintln!(
                "luagc stats: pauses in thread CPU time p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
                ms(cpu.p50),
                ms(cpu.p99),
                ms(cpu.max),
            );
        }
    }
    if let Some(path) = &cli.stats_json {
        let json = StatsJson {
            collector: C::NAME.to_owned(),
            settings,
            wall_ms: ms(wall),
            gc_ms: ms(stats.gc_time),
            pause_ms: pause_json(&stats.pauses),
            explicit_ms: ExplicitJson {
                count: stats.explicit.count,
                total: ms(stats.explicit.total),
                max: ms(stats.explicit.max),
            },
            pause_cpu_ms: stats.pause_cpu.as_ref().map(pause_json),
            cycles: stats.cycles,
            cycles_minor: stats.minor_cycles,
            cycles_major: stats.major_cycles,
            mmu: MmuJson {
                window_1ms: stats.mmu.window_1ms,
                window_10ms: stats.mmu.window_10ms,
                window_100ms: stats.mmu.window_100ms,
            },
            latency: LatencyJson::of(&stats),
            allocation: AllocationJson::of(&vm.heap.counts, &stats),
            allocated_bytes: stats.allocated_bytes,
            peak_heap_bytes: stats.peak_heap_bytes,
            live_bytes: stats.live_bytes,
            heap_bytes: stats.heap_bytes,
            mapped_bytes: stats.mapped_bytes,
            exit_code: code,
        };
        let text = serde_json::to_string(&json).expect("stats serialise");
        if let Err(e) = std::fs::write(path, text + "\n") {
            eprintln!("luagc: cannot write {}: {e}", path.display());
        }
    }
}
