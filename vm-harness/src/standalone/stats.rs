//! The collector's statistics at exit: `--stats` prints a summary to stderr,
//! `--stats-json` writes one JSON object (to a file opened before the script runs, so a
//! path that cannot be written is reported before any work is lost).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::time::{Duration, Instant};

use gc_core::footprint::Footprint;
use gc_core::heap::os;
use gc_core::{AtomicPhase, Collector, GcMode, HeapConfig, PauseSummary, Stats};
use serde::Serialize;

use crate::alloc_counts::AllocationJson;
use crate::latency_json::LatencyJson;
use crate::model::LuaModel;
use crate::vm::Vm;

#[derive(Serialize)]
struct PauseJson {
    p50: f64,
    p99: f64,
    max: f64,
    count: u64,
}

fn pause_json(pauses: &PauseSummary) -> PauseJson {
    PauseJson {
        p50: ms(pauses.p50),
        p99: ms(pauses.p99),
        max: ms(pauses.max),
        count: pauses.count,
    }
}

/// The pauses of one phase (`gc_core::PhasePauses`), times in ms; the CPU times with
/// --pause-cpu-time.
#[derive(Serialize)]
struct PhaseJson {
    count: u64,
    total: f64,
    max: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    cpu_total: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cpu_max: Option<f64>,
}

/// `pause_ms` by what the pauses were spent on, keyed by `PausePhase::name`.
fn phases_json(stats: &Stats) -> BTreeMap<&'static str, PhaseJson> {
    let cpu = stats.pause_cpu.is_some();
    stats
        .phases()
        .map(|(phase, p)| {
            let json = PhaseJson {
                count: p.count,
                total: ms(p.total),
                max: ms(p.max),
                cpu_total: cpu.then(|| ms(p.cpu_total)),
                cpu_max: cpu.then(|| ms(p.cpu_max)),
            };
            (phase.name(), json)
        })
        .collect()
}

/// The program's explicit full collections (`collectgarbage("collect")`), outside
/// `pause_ms`.
#[derive(Serialize)]
struct ExplicitJson {
    count: u64,
    total: f64,
    max: f64,
}

/// The run's longest atomic phase by part (`gc_core::AtomicPhase`), times in ms.
#[derive(Serialize)]
struct AtomicJson {
    total: f64,
    rescan: f64,
    rescanned: u64,
    finalizable: f64,
    finalizable_count: u64,
    weak_clearing: f64,
    weak_count: u64,
}

impl AtomicJson {
    fn of(phase: &AtomicPhase) -> AtomicJson {
        AtomicJson {
            total: ms(phase.total),
            rescan: ms(phase.rescan),
            rescanned: phase.rescanned,
            finalizable: ms(phase.finalizable),
            finalizable_count: phase.finalizable_count,
            weak_clearing: ms(phase.weak_clearing),
            weak_count: phase.weak_count,
        }
    }
}

/// A duration in milliseconds, as every time of the statistics is reported.
fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
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
    /// null: no bound on the collector's share of the thread's time.
    max_gc_share_percent: Option<u32>,
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
            max_gc_share_percent: config.max_gc_share_percent,
            heap_limit_bytes: config.heap_limit,
        }
    }
}

/// Where the memory was at the heap's peak (see `gc_core::footprint`), and the largest
/// RSS of the run.
#[derive(Serialize)]
struct FootprintJson {
    /// The process's largest resident set over the run.
    max_rss_bytes: u64,
    /// The process's resident set when the peak sample was taken.
    rss_bytes: u64,
    in_use_bytes: u64,
    free_in_arenas_bytes: u64,
    empty_arenas_bytes: u64,
    large_mapped_bytes: u64,
    large_used_bytes: u64,
    metadata_bytes: u64,
    /// RSS at the sample minus the heap's terms: code, libc malloc, the VM's stacks.
    other_bytes: u64,
    /// Of `other_bytes`, the pages backed by files: the program's code and its libraries.
    code_bytes: u64,
}

impl FootprintJson {
    fn of(f: &Footprint, max_rss_bytes: u64) -> Self {
        FootprintJson {
            max_rss_bytes,
            rss_bytes: f.rss_bytes,
            in_use_bytes: f.in_use_bytes,
            free_in_arenas_bytes: f.free_in_arenas_bytes,
            empty_arenas_bytes: f.empty_arenas_bytes,
            large_mapped_bytes: f.large_mapped_bytes,
            large_used_bytes: f.large_used_bytes,
            metadata_bytes: f.metadata_bytes,
            other_bytes: f.other_bytes(),
            code_bytes: f.other_file_bytes(),
        }
    }
}

#[derive(Serialize)]
struct StatsJson {
    collector: String,
    settings: SettingsJson,
    wall_ms: f64,
    gc_ms: f64,
    /// GC time in CPU time, with --pause-cpu-time: the pauses in the interpreter
    /// thread's CPU time plus the CPU time of the collector's worker threads.
    #[serde(skip_serializing_if = "Option::is_none")]
    gc_cpu_ms: Option<f64>,
    /// The pauses the collector chose.
    pause_ms: PauseJson,
    /// The same pauses by the part of the cycle they were spent on.
    pauses_by_phase_ms: BTreeMap<&'static str, PhaseJson>,
    explicit_ms: ExplicitJson,
    /// The longest atomic phase and what took its time (collectors that have one).
    #[serde(skip_serializing_if = "Option::is_none")]
    longest_atomic_ms: Option<AtomicJson>,
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
    footprint_at_peak: FootprintJson,
    exit_code: i32,
}

/// Where the statistics go, and what they need from the start of the run.
pub struct StatsSink {
    summary: bool,
    json: Option<(std::path::PathBuf, File)>,
    settings: SettingsJson,
    started: Instant,
    /// CPU time of the process's other threads when the sink was made, before the
    /// collector's workers existed: the main thread's start-up.
    others_cpu_at_start: Duration,
}

/// CPU time of every thread of the process but the calling one.
fn other_threads_cpu_time() -> Duration {
    os::process_cpu_time().saturating_sub(os::thread_cpu_time())
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
            others_cpu_at_start: other_threads_cpu_time(),
        })
    }

    /// Prints and writes the statistics; called at exit, so MMU covers the whole run
    /// (from the collector's creation to now).
    pub fn report<C: Collector<LuaModel>>(self, vm: &Vm<C>, code: i32) {
        let wall = self.started.elapsed();
        let settings = self.settings;
        let stats = vm.heap.gc.stats();
        // The collector's CPU time: its pauses on this thread, the interpreter's, plus what
        // luagc's other threads ran since the sink was made on this thread: the
        // collector's workers (the main thread only waits for this one).
        let workers_cpu = other_threads_cpu_time().saturating_sub(self.others_cpu_at_start);
        let gc_cpu = stats.gc_cpu_time.map(|pauses| pauses + workers_cpu);
        let max_rss = os::peak_resident_bytes().unwrap_or(0) as u64;
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
            if let (Some(cpu), Some(total)) = (&stats.pause_cpu, gc_cpu) {
                eprintln!(
                    "luagc stats: in CPU time gc {:.1} ms (worker threads included), pauses in thread CPU time p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
                    ms(total),
                    ms(cpu.p50),
                    ms(cpu.p99),
                    ms(cpu.max),
                );
            }
            let phases: Vec<String> = stats
                .phases()
                .filter(|(_, p)| p.count > 0)
                .map(|(phase, p)| {
                    format!(
                        "{} {} ({:.1} ms, max {:.3} ms)",
                        phase.name(),
                        p.count,
                        ms(p.total),
                        ms(p.max)
                    )
                })
                .collect();
            if !phases.is_empty() {
                eprintln!("luagc stats: pauses by phase: {}", phases.join(", "));
            }
            if let Some(a) = &stats.longest_atomic {
                eprintln!(
                    "luagc stats: longest atomic phase {:.3} ms: re-scan {:.3} ms ({} stacks and written objects), finalizable {:.3} ms ({} found dead), weak tables cleared {:.3} ms ({})",
                    ms(a.total),
                    ms(a.rescan),
                    a.rescanned,
                    ms(a.finalizable),
                    a.finalizable_count,
                    ms(a.weak_clearing),
                    a.weak_count,
                );
            }
            let f = &stats.footprint_at_peak;
            let mb = |bytes: u64| bytes as f64 / (1 << 20) as f64;
            eprintln!(
                "luagc stats: memory at peak heap: rss {:.1} MB (max rss {:.1} MB) = in use {:.1} + free in arenas {:.1} + empty arenas {:.1} + huge used {:.1} (mapped {:.1}) + metadata {:.1} + other {:.1} (code and libraries {:.1}, the rest {:.1})",
                mb(f.rss_bytes),
                mb(max_rss),
                mb(f.in_use_bytes),
                mb(f.free_in_arenas_bytes),
                mb(f.empty_arenas_bytes),
                mb(f.large_used_bytes),
                mb(f.large_mapped_bytes),
                mb(f.metadata_bytes),
                mb(f.other_bytes()),
                mb(f.other_file_bytes()),
                mb(f.other_anonymous_bytes()),
            );
        }
        if let Some((path, mut file)) = self.json {
            let json = StatsJson {
                collector: C::NAME.to_owned(),
                settings,
                wall_ms: ms(wall),
                gc_ms: ms(stats.gc_time),
                gc_cpu_ms: gc_cpu.map(ms),
                pause_ms: pause_json(&stats.pauses),
                pauses_by_phase_ms: phases_json(&stats),
                explicit_ms: ExplicitJson {
                    count: stats.explicit.count,
                    total: ms(stats.explicit.total),
                    max: ms(stats.explicit.max),
                },
                longest_atomic_ms: stats.longest_atomic.as_ref().map(AtomicJson::of),
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
                footprint_at_peak: FootprintJson::of(&stats.footprint_at_peak, max_rss),
                exit_code: code,
            };
            let text = serde_json::to_string(&json).expect("stats serialise");
            if let Err(e) = file.write_all((text + "\n").as_bytes()) {
                eprintln!("luagc: cannot write {}: {e}", path.display());
            }
        }
    }
}
