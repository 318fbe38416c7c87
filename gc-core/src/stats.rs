//! Statistics every collector reports: pauses, GC time, cycles (minor and major),
//! minimum mutator utilisation, allocation and heap sizes.
//!
//! Pauses go into an HdrHistogram of nanoseconds (3 significant digits, 10 ns to 1 hour,
//! 32-bit counts), so percentiles stay exact to 0.1% at any run length and memory stays
//! constant: 120 KB, all resident (half of a small script's anonymous memory with 1 ns
//! and 64-bit counts). It is allocated at the first pause recorded, so a log that does
//! not record pauses (`HeapConfig::record_pauses` off) holds none.
//! Percentiles say how long pauses are, not how close together: a thousand 0.1 ms pauses in
//! one millisecond stop the program as surely as one 100 ms pause. Minimum mutator
//! utilisation ([`Mmu`], and the whole curve [`MmuCurve`]) says that, and is tracked
//! by [`MmuTracker`]. The histograms themselves are in [`Stats`] too
//! ([`PauseHistogram`]), so a harness can merge the pauses of several runs.
//! Which part of a cycle the pauses went to is kept too ([`PausePhase`], [`PhasePauses`]):
//! a researcher looking at a bad MMU window needs to know whether marking, the atomic
//! phase or the sweep made it.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use base64::prelude::{Engine, BASE64_STANDARD};
use hdrhistogram::serialization::{Deserializer, Serializer, V2DeflateSerializer};
use hdrhistogram::{Counter, Histogram};

use crate::collector::HeapConfig;
use crate::footprint::Footprint;
use crate::heap::os::thread_cpu_time;

/// Pause percentiles.
#[derive(Copy, Clone, Default, Debug, PartialEq)]
pub struct PauseSummary {
    /// Number of pauses.
    pub count: u64,
    /// Median pause.
    pub p50: Duration,
    /// 99th-percentile pause.
    pub p99: Duration,
    /// Longest pause.
    pub max: Duration,
}

/// What a pause was spent on. A pause that does several things counts once, as the part
/// whose length the collector bounds least: a step that ran an atomic phase is `Atomic`
/// (whatever marking before it and sweeping after it the step also did; the log sees
/// [`PauseLog::note_atomic`] during the pause), otherwise the phase the collector was in
/// when the pause began.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PausePhase {
    /// Incremental marking, starting a cycle (its roots) included.
    Mark,
    /// A pause that ran an atomic phase (the end of an incremental marking).
    Atomic,
    /// Incremental sweeping, with the weak references pruned and the memory returned to
    /// the OS between cycles.
    Sweep,
    /// Marking done by the write barrier itself, when its buffer is full (NewGC).
    Barrier,
    /// A whole collection in one pause (`stw`'s cycles, the heap limit's collection).
    Full,
}

impl PausePhase {
    /// Every phase, in the order of [`Stats::pauses_by_phase`].
    pub const ALL: [PausePhase; 5] = [
        PausePhase::Mark,
        PausePhase::Atomic,
        PausePhase::Sweep,
        PausePhase::Barrier,
        PausePhase::Full,
    ];

    /// The phase's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            PausePhase::Mark => "mark",
            PausePhase::Atomic => "atomic",
            PausePhase::Sweep => "sweep",
            PausePhase::Barrier => "barrier",
            PausePhase::Full => "full",
        }
    }
}

// `PauseLog` indexes its phases by discriminant.
const _: () = {
    let mut i = 0;
    while i < PausePhase::ALL.len() {
        assert!(PausePhase::ALL[i] as usize == i);
        i += 1;
    }
};

/// The pauses of one [`PausePhase`]: how many, their sum and the longest, on the wall
/// clock and, when measured (`HeapConfig::pause_cpu_time`), in thread CPU time.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct PhasePauses {
    /// Number of pauses.
    pub count: u64,
    /// Their total, wall clock.
    pub total: Duration,
    /// The longest, wall clock.
    pub max: Duration,
    /// Their total in thread CPU time (zero when not measured).
    pub cpu_total: Duration,
    /// The longest in thread CPU time (zero when not measured).
    pub cpu_max: Duration,
}

impl PhasePauses {
    fn add(&mut self, wall: Duration, cpu: Option<Duration>) {
        self.count += 1;
        self.total += wall;
        self.max = self.max.max(wall);
        if let Some(cpu) = cpu {
            self.cpu_total += cpu;
            self.cpu_max = self.cpu_max.max(cpu);
        }
    }
}

/// An atomic phase by part (incremental collectors), timed on [`PauseLog::clock`]: thread
/// CPU time with `HeapConfig::pause_cpu_time`, else wall clock. Its length grows with
/// what it must finish at once: the stacks and written objects marked again, the
/// finalizable objects found dead (marked with what they reach), the weak tables
/// cleared; the pause histogram says how long the longest pause was, this says why.
#[derive(Copy, Clone, Default, Debug, PartialEq, Eq)]
pub struct AtomicPhase {
    /// The whole phase: the parts below, then the sweep's start, the rest (the first
    /// slice of pruning weak references, the footprint sample, the sweep's set-up, over
    /// every arena in NewGC).
    pub total: Duration,
    /// Roots, stacks and objects written during marking, marked again with what they
    /// reach (ephemerons included)...
    pub rescan: Duration,
    /// ...how many stacks and written objects that was.
    pub rescanned: u64,
    /// Finalizable objects found unreachable: separated, then marked with what they
    /// reach...
    pub finalizable: Duration,
    /// ...how many.
    pub finalizable_count: u64,
    /// Weak tables cleared of dead entries...
    pub weak_clearing: Duration,
    /// ...how many.
    pub weak_count: u64,
}

/// The full collections the program asked for (Lua's `collectgarbage("collect")`): pauses
/// of its choosing, so they count in GC time and MMU but not in the pause percentiles,
/// which describe the pauses the collector chose.
#[derive(Copy, Clone, Default, Debug, PartialEq)]
pub struct ExplicitCollections {
    /// How many ran.
    pub count: u64,
    /// Their total time.
    pub total: Duration,
    /// The longest.
    pub max: Duration,
}

/// How much of what was allocated young survived its first collection, as a generational
/// collector measures it in its minor cycles: in each minor cycle, the bytes it marked
/// against the bytes allocated since the previous cycle's marking ended. The marked bytes
/// are the young objects found reachable plus the old objects a minor traces again (those
/// the write barrier remembered, thread stacks), so the ratio bounds young survival from
/// above. Zero in collectors and modes without minor cycles.
#[derive(Copy, Clone, Default, Debug, PartialEq, Eq)]
pub struct YoungSurvival {
    /// Bytes allocated before the minor cycles that examined them.
    pub allocated_bytes: u64,
    /// Of those, the bytes the minor cycles found reachable.
    pub surviving_bytes: u64,
}

/// Which part of the heap a collection cycle marked, so that generational collectors can
/// report how often they fall back to whole-heap work.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CycleKind {
    /// A minor cycle marks only young objects and the old objects the write barrier
    /// remembered; everything else old is assumed live.
    Minor,
    /// A major cycle marks the whole heap. Stop-the-world cycles are major.
    Major,
}

/// Minimum mutator utilisation over windows of 1, 10 and 100 ms: for each window length,
/// the smallest fraction of any window of that length within the run that was *not* spent
/// in collector pauses (0 = some window was all pause, 1 = no pause at all).
///
/// MMU is the responsiveness measure that pause percentiles miss: it sees pauses that are
/// short but bunched together. A run shorter than a window reports, for that window, the
/// utilisation over the whole run (see [`MmuTracker::mmu`]).
///
/// `Mmu::default()` is all zeros, a placeholder; a measured run with no pauses has 1.0.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct Mmu {
    /// MMU over 1 ms windows, in `0.0..=1.0`.
    pub window_1ms: f64,
    /// MMU over 10 ms windows, in `0.0..=1.0`.
    pub window_10ms: f64,
    /// MMU over 100 ms windows, in `0.0..=1.0`.
    pub window_100ms: f64,
}

/// The window lengths of [`MmuCurve`], in nanoseconds: 0.1 ms to 1 s in steps of 1, 2,
/// 5 per decade, from the shortest pause a user would notice in an interactive program
/// to the longest window a batch job would care about.
pub const MMU_WINDOWS_NS: [u64; 13] = [
    100_000,
    200_000,
    500_000,
    1_000_000,
    2_000_000,
    5_000_000,
    10_000_000,
    20_000_000,
    50_000_000,
    100_000_000,
    200_000_000,
    500_000_000,
    1_000_000_000,
];

/// Minimum mutator utilisation at every window length of [`MMU_WINDOWS_NS`] (same order),
/// each as [`Mmu`] defines it: the MMU curve of Cheng and Blelloch.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct MmuCurve(pub [f64; MMU_WINDOWS_NS.len()]);

impl MmuCurve {
    /// The MMU over windows of `window_ns`, if that is one of [`MMU_WINDOWS_NS`].
    pub fn at(&self, window_ns: u64) -> Option<f64> {
        let k = MMU_WINDOWS_NS.iter().position(|&w| w == window_ns)?;
        Some(self.0[k])
    }
}

/// A histogram of pause lengths in nanoseconds (3 significant digits, 10 ns to 1 hour).
/// Shared between the log and its snapshots: a snapshot costs no copy, and the log copies
/// the histogram only if it records while a snapshot is still alive. Its counts (120 KB)
/// are allocated at the first pause recorded: an empty one holds no memory.
#[derive(Clone, Default)]
pub struct PauseHistogram(Option<Arc<Histogram<u32>>>);

/// A histogram with the bounds of every pause histogram, and its counts allocated.
fn new_pause_histogram() -> Histogram<u32> {
    Histogram::new_with_bounds(10, 3_600_000_000_000, 3).expect("valid histogram bounds")
}

impl PartialEq for PauseHistogram {
    fn eq(&self, other: &Self) -> bool {
        self.histogram() == other.histogram()
    }
}

impl std::fmt::Debug for PauseHistogram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let h = self.histogram();
        write!(
            f,
            "PauseHistogram {{ count: {}, max_ns: {} }}",
            h.len(),
            h.max()
        )
    }
}

impl PauseHistogram {
    /// The histogram, to read percentiles or serialise it. An empty one is read from a
    /// single histogram the process shares, made the first time one is read.
    pub fn histogram(&self) -> &Histogram<u32> {
        static EMPTY: OnceLock<Histogram<u32>> = OnceLock::new();
        match &self.0 {
            Some(h) => h,
            None => EMPTY.get_or_init(new_pause_histogram),
        }
    }

    /// Bytes of its counts: none until the first pause is recorded.
    fn memory_bytes(&self) -> u64 {
        self.0
            .as_ref()
            .map_or(0, |h| (h.distinct_values() * 4) as u64)
    }

    /// Counts one pause of `pause` (at least 1 ns: a pause the clock could not see still
    /// happened).
    fn record(&mut self, pause: Duration) {
        let h = self
            .0
            .get_or_insert_with(|| Arc::new(new_pause_histogram()));
        Arc::make_mut(h).saturating_record(nanos(pause).max(1));
    }

    /// The histogram in HdrHistogram's V2 deflate format, base64-encoded: the format of
    /// HdrHistogram's interval logs, which every HdrHistogram library reads; a few hundred
    /// bytes for a run of any length.
    pub fn encode(&self) -> String {
        let mut bytes = Vec::new();
        V2DeflateSerializer::new()
            .serialize(self.histogram(), &mut bytes)
            .expect("a histogram serialises into memory");
        BASE64_STANDARD.encode(bytes)
    }

    /// A histogram [`PauseHistogram::encode`] wrote (or any V2 or V2 deflate histogram).
    pub fn decode<T: Counter>(text: &str) -> Result<Histogram<T>, String> {
        let bytes = BASE64_STANDARD
            .decode(text.trim())
            .map_err(|e| format!("pause histogram: not base64: {e}"))?;
        Deserializer::new()
            .deserialize(&mut bytes.as_slice())
            .map_err(|e| format!("pause histogram: {e:?}"))
    }

    /// Count, median, 99th percentile and longest (all zero, reading no histogram, if
    /// there was no pause).
    pub fn summary(&self) -> PauseSummary {
        let Some(h) = self.0.as_deref().filter(|h| !h.is_empty()) else {
            return PauseSummary::default();
        };
        let at = |q: f64| Duration::from_nanos(h.value_at_quantile(q));
        PauseSummary {
            count: h.len(),
            p50: at(0.5),
            p99: at(0.99),
            max: Duration::from_nanos(h.max()),
        }
    }
}

/// A snapshot of a collector's statistics.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    /// Collection cycles run: `minor_cycles + major_cycles`.
    pub cycles: u64,
    /// Minor cycles run (young objects and remembered old ones only).
    pub minor_cycles: u64,
    /// Major cycles run (the whole heap).
    pub major_cycles: u64,
    /// Total time spent in the collector (all pauses).
    pub gc_time: Duration,
    /// Percentiles of the pauses the collector chose (explicit collections aside).
    pub pauses: PauseSummary,
    /// The same pauses by what they were spent on, indexed as [`PausePhase::ALL`] (see
    /// [`Stats::phases`]); the counts add up to `pauses.count`.
    pub pauses_by_phase: [PhasePauses; PausePhase::ALL.len()],
    /// Survival of young objects through minor cycles.
    pub young: YoungSurvival,
    /// The full collections the program asked for.
    pub explicit: ExplicitCollections,
    /// The same pauses in the thread's CPU time, when measured
    /// (`HeapConfig::pause_cpu_time`).
    pub pause_cpu: Option<PauseSummary>,
    /// Minimum mutator utilisation from the collector's creation to this snapshot.
    pub mmu: Mmu,
    /// The same at every window of [`MMU_WINDOWS_NS`].
    pub mmu_curve: MmuCurve,
    /// The MMU curve on the collecting thread's CPU clock, when pauses are timed in CPU
    /// time (`HeapConfig::pause_cpu_time`): the time the machine took from the program
    /// (a preempted virtual CPU) counts as neither mutator nor pause.
    pub mmu_cpu_curve: Option<MmuCurve>,
    /// Every pause the collector chose (explicit collections aside), for merging runs.
    pub pause_histogram: PauseHistogram,
    /// The same pauses in thread CPU time, when measured.
    pub pause_cpu_histogram: Option<PauseHistogram>,
    /// Bytes allocated over the heap's life (block sizes, rounded to cells; huge blocks
    /// count their mapping).
    pub allocated_bytes: u64,
    /// Bytes in reachable blocks after the last collection.
    pub live_bytes: u64,
    /// Bytes in allocated blocks now (live plus allocated since the last collection).
    pub heap_bytes: u64,
    /// Largest `heap_bytes` seen.
    pub peak_heap_bytes: u64,
    /// Bytes of memory mapped from the OS (arenas, reserve arenas, huge blocks).
    pub mapped_bytes: u64,
    /// Arenas in use.
    pub arenas: usize,
    /// Huge blocks in use.
    pub huge_blocks: usize,
    /// Where the heap's memory was at its peak (the largest sample, taken at the end of a
    /// marking), with the process's RSS then.
    pub footprint_at_peak: Footprint,
    /// Total time of the pauses in thread CPU time, when measured.
    pub gc_cpu_time: Option<Duration>,
    /// The run's longest atomic phase, if the collector has one and ran it.
    pub longest_atomic: Option<AtomicPhase>,
}

impl Stats {
    /// Each phase with its pauses, in the order of [`PausePhase::ALL`].
    pub fn phases(&self) -> impl Iterator<Item = (PausePhase, &PhasePauses)> {
        PausePhase::ALL.into_iter().zip(&self.pauses_by_phase)
    }
}

/// What a heap reports of its size, the part of [`Stats`] that is the space's rather than
/// the pause log's: every space policy (arenas, malloc'd blocks) fills it its own way.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct HeapSizes {
    /// See [`Stats::allocated_bytes`].
    pub allocated_bytes: u64,
    /// See [`Stats::live_bytes`].
    pub live_bytes: u64,
    /// See [`Stats::heap_bytes`].
    pub heap_bytes: u64,
    /// See [`Stats::peak_heap_bytes`].
    pub peak_heap_bytes: u64,
    /// See [`Stats::mapped_bytes`].
    pub mapped_bytes: u64,
    /// See [`Stats::arenas`].
    pub arenas: usize,
    /// See [`Stats::huge_blocks`].
    pub huge_blocks: usize,
    /// See [`Stats::footprint_at_peak`].
    pub footprint_at_peak: Footprint,
}

/// Where the windows [`Mmu`] reports (1, 10, 100 ms, in the order of its fields) are in
/// [`MMU_WINDOWS_NS`].
const MMU_NAMED_WINDOWS: [usize; 3] = [3, 6, 9];

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Computes minimum mutator utilisation from pauses given in time order, with memory
/// bounded by the pauses of the last second (the longest window; not by the length of the
/// run), at the cost of an append per pause: the windows evaluate the recorded pauses in
/// batches of [`MMU_BATCH`], and [`MmuTracker::curve`] evaluates the rest when asked.
///
/// Public so that tests and tools can feed exact synthetic timelines; [`PauseLog`] feeds it
/// the collector's real pauses.
///
/// # Algorithm
///
/// Times are offsets from the start of the run, 0. For each window length `w` the tracker
/// keeps the pauses that end after `e - w`, where `e` is the end of the latest pause, with
/// the sum of their lengths, and evaluates the pause time inside each window `[e - w, e]`
/// ending at a pause end `e`, clamped to `[0, e]` when `e < w`. The largest such pause time
/// `G` gives MMU `(w - G) / w`.
///
/// A window is skipped when a bound on its pause time cannot beat the worst so far: the
/// pause time from the oldest pause an earlier window held to its own end. That bound
/// grows with `e`, so in a batch the first window that can beat the worst is found by a
/// binary search, and a batch whose last window cannot is skipped whole. A length whose
/// worst window is all pause (MMU 0) is done: no window holds more than its length.
///
/// # Why windows ending at pause ends suffice
///
/// Let `g(t)` be the pause time inside `[t, t + w]`, for `t` in `[0, T - w]` (`T` the run's
/// length). `g` is continuous and piecewise linear; moving `t` right, its slope is +1 where
/// the right edge is in a pause and the left one is not, -1 the other way round, 0
/// otherwise. So its maximum is at an end of the domain or at a breakpoint where the slope
/// falls: where the window's right edge leaves a pause (`t + w = e_j`, a window ending at a
/// pause end: evaluated) or its left edge enters one (`t = s_i`). The other candidates
/// reduce to windows ending at pause ends:
///
/// - A window starting at a pause start `s_i`, or the window `[0, w]`, with its right edge
///   inside a pause `j` (possibly `i` itself): slide it right. While the right edge is in
///   pause `j` the window gains as fast as or faster than it loses, so `g` does not fall
///   until the right edge reaches `e_j`: the window `[e_j - w, e_j]`, evaluated, has at
///   least as much pause time. (`e_j ≤ T`: it was recorded.)
/// - Such a window with its right edge between pauses: slide it left. The right edge then
///   loses nothing until it reaches the end `e_j` of the last pause before it, so `g` does
///   not fall; the window `[e_j - w, e_j]` is evaluated, or, if the left edge hits 0 first,
///   the window is `[0, w]`, whose pause time is that of `[0, e_j]`, the clamped window
///   evaluated at `e_j`.
/// - The window ending at the run's end `[T - w, T]`: no pause ends after its right edge,
///   so the same leftward slide applies.
///
/// The clamped windows `[0, e]` evaluated for `e < w` never overstate: each is part of
/// the real window `[0, w]`. So the maximum over evaluated windows is exactly the maximum
/// of `g`, provided the run lasts at least `w`.
///
/// A pause longer than `w` holds a window that is all pause: MMU 0 for `w`.
///
/// # Runs shorter than a window
///
/// No window of length `w` fits in a run shorter than `w`. Rather than pretend the rest of
/// the window was mutator time (which would flatter short runs), the tracker reports the
/// utilisation over the whole run, the MMU of the longest window there is.
#[derive(Clone, Debug)]
pub struct MmuTracker {
    /// The pauses from the oldest any window's `first` names, oldest first: one queue that
    /// every window reads from its own position. Those from pause number `evaluated` on
    /// are recorded and not evaluated yet. Trimmed when it reaches `trim_at`.
    recent: Vec<RecentPause>,
    /// How many pauses were ever dropped from the front of `recent`: pause number `n`
    /// (counting from the run's first) is at `recent[n - dropped]`.
    dropped: u64,
    /// The number of the first pause the windows have not evaluated; at least `dropped`,
    /// since only evaluated pauses are trimmed.
    evaluated: u64,
    /// The length of `recent` that triggers the next trim: twice what the previous trim
    /// kept (at least [`MMU_TRIM_MIN`]), so trimming is O(1) amortised per pause and the
    /// queue at most about twice what the longest window holds, plus a batch.
    trim_at: usize,
    windows: [MmuWindow; MMU_WINDOWS_NS.len()],
    /// End of the latest pause, in nanoseconds from the run's start.
    last_end: u64,
    /// All pause time recorded, in nanoseconds.
    total: u64,
}

/// One pause on the run's timeline, with the pause time recorded up to its end: the pause
/// time from this pause to a later one `p` is `p.after - self.before()`, whatever the window.
#[derive(Copy, Clone, Debug)]
struct RecentPause {
    start: u64,
    end: u64,
    after: u64,
}

impl RecentPause {
    /// The pause time recorded before this pause.
    #[inline(always)]
    fn before(&self) -> u64 {
        self.after - (self.end - self.start)
    }
}

/// The position and worst pause time of one window length.
#[derive(Clone, Debug)]
struct MmuWindow {
    /// The window length in nanoseconds.
    width: u64,
    /// The number of the oldest pause that ended after this window's start when the window
    /// was last evaluated or advanced: it may lag behind, never run ahead.
    first: u64,
    /// The pause time recorded before pause `first`: `p.after - first_before` bounds the
    /// pause time of the window ending at any later pause `p`, since that window holds no
    /// pause older than `first`.
    first_before: u64,
    /// Most pause time inside any evaluated window.
    worst: u64,
}

/// The fewest pauses [`MmuTracker`] lets its queue hold before trimming it.
const MMU_TRIM_MIN: usize = 1024;

/// Pauses the windows evaluate at a time: enough that a window no recent stretch can make
/// worse costs one comparison per batch, few enough that the unevaluated tail a snapshot
/// evaluates stays small (6 KB).
const MMU_BATCH: usize = 256;

impl MmuWindow {
    fn new(width: u64) -> Self {
        MmuWindow {
            width,
            first: 0,
            first_before: 0,
            worst: 0,
        }
    }

    /// Moves `first` to the oldest pause ending after the start of the window that ends at
    /// `end`, the end of a pause of `recent`; returns that pause and the window's start.
    fn advance(&mut self, recent: &[RecentPause], dropped: u64, end: u64) -> (RecentPause, u64) {
        let window_start = end.saturating_sub(self.width);
        // The pause ending at `end` ends after `window_start`, so this stops inside
        // `recent`; no `first` falls behind `dropped`, since trimming advances every
        // window first.
        let mut oldest = recent[(self.first - dropped) as usize];
        while oldest.end <= window_start {
            self.first += 1;
            oldest = recent[(self.first - dropped) as usize];
        }
        self.first_before = oldest.before();
        (oldest, window_start)
    }

    /// Whether some window was all pause: nothing can make this length worse, and its
    /// `first` is no longer kept.
    fn is_saturated(&self) -> bool {
        self.worst >= self.width
    }

    /// Evaluates the windows ending at the ends of the pauses `recent[from..]`, skipping
    /// those whose bound `after - first_before` cannot beat `worst` (see [`MmuTracker`]).
    fn evaluate(&mut self, recent: &[RecentPause], dropped: u64, from: usize) {
        if self.is_saturated() {
            return;
        }
        let mut j = from;
        while let Some(&latest) = recent.get(j) {
            let threshold = self.first_before.saturating_add(self.worst);
            if latest.after <= threshold {
                // `after` grows along the queue: the last pause bounds the rest.
                if recent[recent.len() - 1].after <= threshold {
                    return;
                }
                j += recent[j..].partition_point(|p| p.after <= threshold);
                continue;
            }
            let (oldest, window_start) = self.advance(recent, dropped, latest.end);
            // Only the oldest pause inside can straddle the window's start, pauses being
            // disjoint and ordered.
            let inside = latest.after - oldest.before() - window_start.saturating_sub(oldest.start);
            self.worst = self.worst.max(inside);
            j += 1;
        }
    }

    /// The MMU for this window over a run of `run` nanoseconds with `total` of pauses.
    fn mmu(&self, run: u64, total: u64) -> f64 {
        if run >= self.width {
            (self.width - self.worst) as f64 / self.width as f64
        } else if run == 0 {
            1.0
        } else {
            (run - total.min(run)) as f64 / run as f64
        }
    }
}

impl Default for MmuTracker {
    fn default() -> Self {
        MmuTracker {
            recent: Vec::new(),
            dropped: 0,
            evaluated: 0,
            trim_at: MMU_TRIM_MIN,
            windows: MMU_WINDOWS_NS.map(MmuWindow::new),
            last_end: 0,
            total: 0,
        }
    }
}

impl MmuTracker {
    /// Records a pause starting `start_offset` after the run's start and lasting `pause`.
    ///
    /// Pauses must come in time order. One that starts before the previous one ended (a
    /// caller's mistake; the clock is monotonic) is moved to start at that end, so that the
    /// total pause time is kept. Zero-length pauses change nothing and are skipped.
    #[inline]
    pub fn record(&mut self, start_offset: Duration, pause: Duration) {
        let start = nanos(start_offset).max(self.last_end);
        let end = start.saturating_add(nanos(pause));
        if end == start {
            return;
        }
        self.total += end - start;
        self.last_end = end;
        self.recent.push(RecentPause {
            start,
            end,
            after: self.total,
        });
        if self.dropped + self.recent.len() as u64 - self.evaluated >= MMU_BATCH as u64 {
            self.evaluate_batch();
        }
    }

    /// Evaluates the pauses recorded since the last batch, then trims the queue if due.
    #[inline(never)]
    fn evaluate_batch(&mut self) {
        let from = (self.evaluated - self.dropped) as usize;
        for window in &mut self.windows {
            window.evaluate(&self.recent, self.dropped, from);
        }
        self.evaluated = self.dropped + self.recent.len() as u64;
        if self.recent.len() >= self.trim_at {
            self.trim();
        }
    }

    /// Drops the pauses no window can hold any more: every window's `first` is advanced to
    /// the window ending at the latest pause's end (a saturated window's to the oldest
    /// pause kept). Every pause is evaluated.
    fn trim(&mut self) {
        debug_assert_eq!(self.evaluated, self.dropped + self.recent.len() as u64);
        for window in &mut self.windows {
            if !window.is_saturated() {
                window.advance(&self.recent, self.dropped, self.last_end);
            }
        }
        let needed = (self.windows.iter())
            .filter(|w| !w.is_saturated())
            .map(|w| w.first)
            .min()
            .unwrap_or(self.dropped + self.recent.len() as u64);
        for window in &mut self.windows {
            if window.is_saturated() {
                window.first = needed;
            }
        }
        let drop = (needed - self.dropped) as usize;
        self.recent.drain(..drop);
        self.dropped = needed;
        self.trim_at = (2 * self.recent.len()).max(MMU_TRIM_MIN);
    }

    /// The MMU of a run that lasted `run` from its start (at least until the last pause's
    /// end, whatever `run` says). For a window longer than the run, the utilisation over
    /// the whole run; with no pauses, 1.0.
    pub fn mmu(&self, run: Duration) -> Mmu {
        let curve = self.curve(run);
        let [w1, w10, w100] = MMU_NAMED_WINDOWS.map(|k| curve.0[k]);
        Mmu {
            window_1ms: w1,
            window_10ms: w10,
            window_100ms: w100,
        }
    }

    /// All pause time recorded.
    pub fn total(&self) -> Duration {
        Duration::from_nanos(self.total)
    }

    /// The MMU at every window of [`MMU_WINDOWS_NS`], as [`MmuTracker::mmu`] computes it:
    /// copies of the windows evaluate the pauses the last batch left.
    pub fn curve(&self, run: Duration) -> MmuCurve {
        let run = nanos(run).max(self.last_end);
        let from = (self.evaluated - self.dropped) as usize;
        MmuCurve(self.windows.each_ref().map(|w| {
            let mut w = w.clone();
            w.evaluate(&self.recent, self.dropped, from);
            w.mmu(run, self.total)
        }))
    }
}

/// Records pauses and cycles as a collector runs; the run starts when the log is created.
pub struct PauseLog {
    /// Whether pauses are recorded (`HeapConfig::record_pauses`); cycles are counted
    /// either way.
    recording: bool,
    histogram: PauseHistogram,
    /// Pauses in thread CPU time, when measured.
    cpu: Option<CpuPauses>,
    total: Duration,
    explicit: ExplicitCollections,
    minor_cycles: u64,
    major_cycles: u64,
    young: YoungSurvival,
    longest_atomic: Option<AtomicPhase>,
    /// Atomic phases noted so far, so that `end` knows whether its pause ran one.
    atomic_phases: u64,
    by_phase: [PhasePauses; PausePhase::ALL.len()],
    created: Instant,
    mmu: MmuTracker,
}

/// The pauses on the thread's CPU clock: their lengths, and their MMU on a timeline that
/// starts at the thread CPU time the log was created at.
struct CpuPauses {
    histogram: PauseHistogram,
    created: Duration,
    mmu: MmuTracker,
}

/// When a pause began: wall clock, and thread CPU time if measured; and how many atomic
/// phases had been noted by then.
#[derive(Copy, Clone, Debug)]
pub struct PauseStart {
    wall: Instant,
    cpu: Option<Duration>,
    atomic_phases: u64,
}

impl PauseStart {
    /// The wall-clock start, for deadlines.
    pub fn instant(&self) -> Instant {
        self.wall
    }
}

impl Default for PauseLog {
    fn default() -> Self {
        PauseLog {
            recording: true,
            histogram: PauseHistogram::default(),
            cpu: None,
            total: Duration::ZERO,
            explicit: ExplicitCollections::default(),
            minor_cycles: 0,
            major_cycles: 0,
            young: YoungSurvival::default(),
            longest_atomic: None,
            atomic_phases: 0,
            by_phase: [PhasePauses::default(); PausePhase::ALL.len()],
            created: Instant::now(),
            mmu: MmuTracker::default(),
        }
    }
}

impl PauseLog {
    /// A log for a collector configured by `config`: pauses recorded if asked, in CPU
    /// time too if asked.
    pub fn new(config: &HeapConfig) -> Self {
        PauseLog {
            recording: config.record_pauses,
            cpu: (config.record_pauses && config.pause_cpu_time).then(|| CpuPauses {
                histogram: PauseHistogram::default(),
                created: thread_cpu_time(),
                mmu: MmuTracker::default(),
            }),
            ..PauseLog::default()
        }
    }

    /// Starts timing a pause. The wall clock is read whether pauses are recorded or not:
    /// collectors bound their steps by deadlines from it.
    #[inline]
    pub fn begin(&self) -> PauseStart {
        PauseStart {
            wall: Instant::now(),
            cpu: self.cpu.as_ref().map(|_| thread_cpu_time()),
            atomic_phases: self.atomic_phases,
        }
    }

    /// Ends the pause `start` began, spent on `phase` (or on an atomic phase, if one was
    /// noted since), and records it if the log records pauses.
    #[inline]
    pub fn end(&mut self, start: PauseStart, phase: PausePhase) {
        if !self.recording {
            return;
        }
        let (wall, cpu) = Self::elapsed(start);
        self.record(start.wall, wall);
        let phase = if self.atomic_phases > start.atomic_phases {
            PausePhase::Atomic
        } else {
            phase
        };
        self.by_phase[phase as usize].add(wall, cpu);
        if let Some(pause) = cpu {
            self.record_cpu(start, pause);
            if let Some(cpu) = &mut self.cpu {
                cpu.histogram.record(pause);
            }
        }
    }

    /// The pause `start` began, ending now, on both clocks. Both are read before anything
    /// is recorded, so that neither pause includes the log's own bookkeeping (an MMU
    /// queue's trim can take longer than the pause it follows).
    #[inline]
    fn elapsed(start: PauseStart) -> (Duration, Option<Duration>) {
        let wall = start.wall.elapsed();
        let cpu = start
            .cpu
            .map(|began| thread_cpu_time().saturating_sub(began));
        (wall, cpu)
    }

    /// Places the pause `start` began, lasting `pause` of CPU time, on the CPU timeline.
    fn record_cpu(&mut self, start: PauseStart, pause: Duration) {
        if let (Some(cpu), Some(began)) = (self.cpu.as_mut(), start.cpu) {
            cpu.mmu.record(began.saturating_sub(cpu.created), pause);
        }
    }

    /// Ends an explicit full collection `start` began: GC time and MMU count it, the
    /// pause percentiles do not (see [`ExplicitCollections`]). Nothing, if the log does not
    /// record pauses.
    pub fn end_explicit(&mut self, start: PauseStart) {
        if !self.recording {
            return;
        }
        let (pause, cpu) = Self::elapsed(start);
        self.total += pause;
        self.mmu
            .record(start.wall.saturating_duration_since(self.created), pause);
        if let Some(cpu) = cpu {
            self.record_cpu(start, cpu);
        }
        self.explicit.count += 1;
        self.explicit.total += pause;
        self.explicit.max = self.explicit.max.max(pause);
    }

    /// Records one pause that began at `start` and lasted `pause`. The start places the
    /// pause on the run's timeline, for MMU. Pauses must be recorded in the order they
    /// happen; O(1) amortised.
    pub fn record(&mut self, start: Instant, pause: Duration) {
        self.total += pause;
        self.histogram.record(pause);
        self.mmu
            .record(start.saturating_duration_since(self.created), pause);
    }

    /// Counts one finished collection cycle (which may span several pauses) of `kind`.
    pub fn count_cycle(&mut self, kind: CycleKind) {
        match kind {
            CycleKind::Minor => self.minor_cycles += 1,
            CycleKind::Major => self.major_cycles += 1,
        }
    }

    /// Counts what a minor cycle found of the young objects: `allocated` bytes were
    /// allocated since the previous cycle's marking ended, `surviving` of them marked.
    pub fn count_young(&mut self, allocated: u64, surviving: u64) {
        self.young.allocated_bytes += allocated;
        self.young.surviving_bytes += surviving;
    }

    /// Now, on the clock the parts of a pause are timed with: the thread's CPU time when
    /// pauses are measured in CPU time (a preempted part then reads no longer), else the
    /// wall clock since the log's creation.
    pub fn clock(&self) -> Duration {
        match self.cpu {
            Some(_) => thread_cpu_time(),
            None => self.created.elapsed(),
        }
    }

    /// Notes an atomic phase; the longest is kept.
    pub fn note_atomic(&mut self, phase: AtomicPhase) {
        self.atomic_phases += 1;
        if self
            .longest_atomic
            .is_none_or(|longest| phase.total > longest.total)
        {
            self.longest_atomic = Some(phase);
        }
    }

    /// Bytes the log holds: its histograms (counts of 32 bits), a fixed footprint whatever
    /// the run's length once a pause is recorded, none if the log records none. The MMU
    /// trackers' recent pauses are left out: a few kilobytes, whose count follows the
    /// clock, and a run without a step deadline must report the same footprint every time.
    pub fn memory_bytes(&self) -> u64 {
        self.histogram.memory_bytes() + self.cpu.as_ref().map_or(0, |c| c.histogram.memory_bytes())
    }

    /// Pause count and percentiles.
    pub fn summary(&self) -> PauseSummary {
        self.histogram.summary()
    }

    /// Minimum mutator utilisation from the log's creation until now.
    pub fn mmu(&self) -> Mmu {
        self.mmu.mmu(self.created.elapsed())
    }

    /// Statistics of a heap of `sizes` with these pauses; MMU runs until now.
    pub fn stats(&self, sizes: HeapSizes) -> Stats {
        let pauses = self.summary();
        let run = self.created.elapsed();
        Stats {
            pause_cpu: self.cpu.as_ref().map(|c| c.histogram.summary()),
            mmu_curve: self.mmu.curve(run),
            mmu_cpu_curve: self
                .cpu
                .as_ref()
                .map(|c| c.mmu.curve(thread_cpu_time().saturating_sub(c.created))),
            pause_histogram: self.histogram.clone(),
            pause_cpu_histogram: self.cpu.as_ref().map(|c| c.histogram.clone()),
            cycles: self.minor_cycles + self.major_cycles,
            minor_cycles: self.minor_cycles,
            major_cycles: self.major_cycles,
            gc_time: self.total,
            pauses,
            pauses_by_phase: self.by_phase,
            young: self.young,
            explicit: self.explicit,
            mmu: self.mmu.mmu(run),
            allocated_bytes: sizes.allocated_bytes,
            live_bytes: sizes.live_bytes,
            heap_bytes: sizes.heap_bytes,
            peak_heap_bytes: sizes.peak_heap_bytes,
            mapped_bytes: sizes.mapped_bytes,
            arenas: sizes.arenas,
            huge_blocks: sizes.huge_blocks,
            footprint_at_peak: sizes.footprint_at_peak,
            gc_cpu_time: self.cpu.as_ref().map(|c| c.mmu.total()),
            longest_atomic: self.longest_atomic,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn stats_record_places_pauses_by_their_start_instant() {
        let mut log = PauseLog::default();
        // Instants after the log's creation, so the timeline is known exactly: a 5 ms pause
        // 10 ms in. The run lasts at least until its end (15 ms), so the 1 ms and 10 ms
        // windows are exact whatever the clock says.
        log.record(log.created + 10 * MS, 5 * MS);
        let mmu = log.mmu();
        assert_eq!(mmu.window_1ms, 0.0);
        assert_eq!(mmu.window_10ms, 0.5);
        assert_eq!(log.summary().count, 1);
        assert_eq!(log.total, 5 * MS);
    }

    #[test]
    fn a_log_not_recording_pauses_still_counts_cycles() {
        let mut log = PauseLog::new(&HeapConfig {
            record_pauses: false,
            pause_cpu_time: true,
            ..HeapConfig::default()
        });
        let start = log.begin();
        log.end(start, PausePhase::Mark);
        let start = log.begin();
        log.end_explicit(start);
        log.count_cycle(CycleKind::Major);
        let stats = log.stats(HeapSizes::default());
        assert_eq!((stats.pauses.count, stats.explicit.count), (0, 0));
        assert_eq!(stats.gc_time, Duration::ZERO);
        assert_eq!(stats.pause_cpu, None);
        assert_eq!(stats.cycles, 1);
        assert_eq!(log.memory_bytes(), 0, "no pause histogram is allocated");
    }

    /// The histograms' 120 KB are allocated at the first pause recorded, not before: a
    /// small script run without statistics has none resident.
    #[test]
    fn pause_histograms_are_allocated_at_the_first_pause() {
        let mut log = PauseLog::new(&HeapConfig {
            pause_cpu_time: true,
            ..HeapConfig::default()
        });
        assert_eq!(log.memory_bytes(), 0);
        assert_eq!(
            log.stats(HeapSizes::default())
                .pause_histogram
                .histogram()
                .len(),
            0
        );
        let start = log.begin();
        log.end(start, PausePhase::Mark);
        assert!(log.memory_bytes() > 2 * 100_000, "{}", log.memory_bytes());
        assert_eq!(log.summary().count, 1);
    }

    /// Each pause counts under the phase its collector names, or under `Atomic` when an
    /// atomic phase was noted during it; the phases' counts add up to the pause count.
    #[test]
    fn pauses_count_by_phase_and_a_noted_atomic_phase_wins() {
        let mut log = PauseLog::new(&HeapConfig {
            pause_cpu_time: true,
            ..HeapConfig::default()
        });
        for phase in [PausePhase::Mark, PausePhase::Mark, PausePhase::Sweep] {
            let start = log.begin();
            log.end(start, phase);
        }
        let start = log.begin();
        log.note_atomic(AtomicPhase::default());
        log.end(start, PausePhase::Mark);
        let start = log.begin();
        log.end(start, PausePhase::Sweep);
        let stats = log.stats(HeapSizes::default());
        let counts = stats.pauses_by_phase.map(|p| p.count);
        assert_eq!(counts, [2, 1, 2, 0, 0]);
        assert_eq!(counts.iter().sum::<u64>(), stats.pauses.count);
        for pauses in &stats.pauses_by_phase {
            assert!(pauses.max <= pauses.total && pauses.cpu_max <= pauses.cpu_total);
        }
    }

    #[test]
    fn stats_sum_young_survival_over_minor_cycles() {
        let mut log = PauseLog::default();
        log.count_young(1000, 100);
        log.count_young(3000, 0);
        let young = log.stats(HeapSizes::default()).young;
        assert_eq!((young.allocated_bytes, young.surviving_bytes), (4000, 100));
    }

    /// Of the atomic phases noted, the stats report the longest, whole.
    #[test]
    fn stats_report_the_longest_atomic_phase() {
        let mut log = PauseLog::default();
        let sizes = HeapSizes::default();
        assert_eq!(log.stats(sizes).longest_atomic, None);
        let phase = |ms: u64, finalizable_count: u64| AtomicPhase {
            total: Duration::from_millis(ms),
            finalizable: Duration::from_millis(ms),
            finalizable_count,
            ..AtomicPhase::default()
        };
        log.note_atomic(phase(2, 20));
        log.note_atomic(phase(5, 50));
        log.note_atomic(phase(3, 30));
        assert_eq!(log.stats(sizes).longest_atomic, Some(phase(5, 50)));
    }

    #[test]
    fn stats_count_cycles_by_kind() {
        let mut log = PauseLog::default();
        for _ in 0..3 {
            log.count_cycle(CycleKind::Minor);
        }
        log.count_cycle(CycleKind::Major);
        let stats = log.stats(HeapSizes::default());
        assert_eq!(
            (stats.minor_cycles, stats.major_cycles, stats.cycles),
            (3, 1, 4)
        );
    }

    #[test]
    fn stats_mmu_memory_is_bounded_by_the_last_window() {
        let mut tracker = MmuTracker::default();
        // A million 1 µs pauses, one every 10 µs: 10 s of run.
        for i in 0..1_000_000u64 {
            tracker.record(Duration::from_micros(10 * i), Duration::from_micros(1));
        }
        // Trimmed at most twice what the last window holds (100 000 pauses); after a trim,
        // each window starts at the oldest pause it holds.
        assert!(tracker.recent.len() <= 200_000, "{}", tracker.recent.len());
        tracker.evaluate_batch();
        tracker.trim();
        let in_window: Vec<u64> = tracker
            .windows
            .iter()
            .map(|w| tracker.dropped + tracker.recent.len() as u64 - w.first)
            .collect();
        assert_eq!(
            in_window,
            [10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000]
        );
        assert_eq!(tracker.recent.len(), 100_000);
        assert!(
            MMU_WINDOWS_NS.is_sorted(),
            "the tracker trims to the last window"
        );
        assert_eq!(tracker.mmu(Duration::from_secs(10)).window_1ms, 0.9);
    }

    #[test]
    fn a_pause_histogram_survives_encoding() {
        let mut h = PauseHistogram::default();
        for micros in 1..=100_000u64 {
            h.record(Duration::from_nanos(micros * 997));
        }
        let text = h.encode();
        assert!(text.len() < 64 << 10, "{} bytes", text.len());
        let back = PauseHistogram::decode::<u32>(&text).unwrap();
        assert_eq!(&back, h.histogram());
        assert!(PauseHistogram::decode::<u32>("not base64!").is_err());
        assert!(PauseHistogram::decode::<u32>("aGVsbG8=").is_err());
    }
}
