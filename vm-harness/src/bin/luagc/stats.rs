//! The collector's statistics at exit: `--stats` prints a summary to stderr,
//! `--stats-json` writes one JSON object (to a file opened before the script runs, so a
//! path that cannot be written is reported before any work is lost).

use std::fs::File;
use std::io::Write;
use std::time::{Duration, Instant};

use gc_core::{Collector, GcMode, HeapConfig, PauseSummary};
use serde::Serialize;
use vm_harness::alloc_counts::AllocationJson;
use vm_harness::latency_json::LatencyJson;
use vm_harness::model::LuaModel;
use vm_harness::vm::Vm;

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

/// Where the statistics go, and what they need from the start of the run.
pub struct StatsSink {
    summary: bool,
    json: Option<(std::path::PathBuf, File)>,
    settings: SettingsJson,
    started: Instant,
}

impl StatsSink {
    /// Opens the JSON file now; an error names the path.
    pub fn new(
        summary: bool,
        json_path: Option<&std::path::Path>,
        config: &HeapConfig,
    ) -> Result<StatsSink, String> {
        let json = match json_path {
            Some(path) => {
                let file = File::create(path)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                Some((path.to_path_buf(), file))
            }
            None => None,
        };
        Ok(StatsSink {
            summary,
            json,
            settings: SettingsJson::of(config),
            started: Instant::now(),
        })
    }

    /// Prints and writes the statistics; called at exit, so MMU covers the whole run
    /// (from the collector's creation to now).
    pub fn report<C: Collector<LuaModel>>(self, vm: &Vm<C>, code: i32) {
        let wall = self.started.elapsed();
        let settings = self.settings;
        let stats = vm.heap.gc.stats();
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        if self.summary {
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
        if let Some((path, mut file)) = self.json {
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
            if let Err(e) = file.write_all((text + "\n").as_bytes()) {
                eprintln!("luagc: cannot write {}: {e}", path.display());
            }
        }
    }
}
