//! Statistics: minimum mutator utilisation on exact synthetic timelines (checked against a
//! brute-force search over every candidate window), and the minor/major split of cycles.

use std::time::Duration;

use gc_core::collectors::{Epsilon, Stw};
use gc_core::stats::{CycleKind, Mmu, MmuTracker, PauseLog, PausePhase, MMU_WINDOWS_NS};
use gc_core::testing::{RootList, TestModel};
use gc_core::{Collector, HeapConfig};

const MS: Duration = Duration::from_millis(1);
const US: Duration = Duration::from_micros(1);

/// The MMU of pauses given as (start, length), over a run of `run`.
fn mmu_of(pauses: &[(Duration, Duration)], run: Duration) -> Mmu {
    let mut tracker = MmuTracker::default();
    for &(start, length) in pauses {
        tracker.record(start, length);
    }
    tracker.mmu(run)
}

fn mmu(window_1ms: f64, window_10ms: f64, window_100ms: f64) -> Mmu {
    Mmu {
        window_1ms,
        window_10ms,
        window_100ms,
    }
}

#[test]
fn no_pauses_is_full_utilisation() {
    assert_eq!(mmu_of(&[], Duration::from_secs(1)), mmu(1.0, 1.0, 1.0));
    assert_eq!(mmu_of(&[], Duration::ZERO), mmu(1.0, 1.0, 1.0));
    assert_eq!(PauseLog::default().mmu(), mmu(1.0, 1.0, 1.0));
}

#[test]
fn single_5ms_pause() {
    let got = mmu_of(&[(50 * MS, 5 * MS)], Duration::from_secs(1));
    assert_eq!(got, mmu(0.0, 0.5, 0.95));
}

#[test]
fn two_3ms_pauses_2ms_apart() {
    // [50, 53] and [55, 58]: a 10 ms window holds both, 6 ms of pause.
    let got = mmu_of(
        &[(50 * MS, 3 * MS), (55 * MS, 3 * MS)],
        Duration::from_secs(1),
    );
    assert_eq!(got, mmu(0.0, 0.4, 0.94));
}

#[test]
fn pause_longer_than_a_window_zeroes_it() {
    let got = mmu_of(&[(300 * MS, 20 * MS)], Duration::from_secs(1));
    assert_eq!(got, mmu(0.0, 0.0, 0.8));
}

#[test]
fn evenly_spaced_tiny_pauses_give_the_duty_cycle() {
    // 10 µs every 100 µs for a second: every window is a whole number of periods.
    let pauses: Vec<_> = (0..10_000).map(|i| (i * 100 * US, 10 * US)).collect();
    assert_eq!(mmu_of(&pauses, Duration::from_secs(1)), mmu(0.9, 0.9, 0.9));
}

#[test]
fn evenly_spaced_pauses_off_the_window_grid_give_the_worst_window() {
    // 10 µs every 300 µs: a 1 ms window can hold 4 pauses (40 µs, not the 33.3 µs of the
    // average), a 10 ms one 34, a 100 ms one 334.
    let pauses: Vec<_> = (0..3_334).map(|i| (i * 300 * US, 10 * US)).collect();
    assert_eq!(
        mmu_of(&pauses, Duration::from_secs(1)),
        mmu(0.96, 0.966, 0.9666)
    );
}

#[test]
fn windows_are_clamped_to_the_run_start() {
    // [0, 3] and [8, 9]: the window [0, 10] holds 4 ms; none ending at 9 may start before 0.
    let got = mmu_of(
        &[(Duration::ZERO, 3 * MS), (8 * MS, MS)],
        Duration::from_secs(1),
    );
    assert_eq!(got, mmu(0.0, 0.6, 0.96));
}

#[test]
fn worst_window_may_start_at_a_pause_start() {
    // [20, 21] and [25, 28] in a 10 ms window: [20, 30] holds 4 ms, as does [18, 28].
    let got = mmu_of(&[(20 * MS, MS), (25 * MS, 3 * MS)], Duration::from_secs(1));
    assert_eq!(got, mmu(0.0, 0.6, 0.96));
}

#[test]
fn run_shorter_than_a_window_reports_the_whole_run() {
    // 2 ms of pause in a 50 ms run: no 100 ms window fits, so 48 / 50.
    let got = mmu_of(&[(10 * MS, 2 * MS)], 50 * MS);
    assert_eq!(got, mmu(0.0, 0.8, 0.96));
    // The run lasts at least until the last pause ends.
    let got = mmu_of(
        &[(Duration::ZERO, 2 * MS), (6 * MS, 2 * MS)],
        Duration::ZERO,
    );
    assert_eq!(got, mmu(0.0, 0.5, 0.5));
}

#[test]
fn overlapping_pause_is_moved_after_the_previous_one() {
    // The second pause claims to start inside the first: it is taken as [53, 56].
    let got = mmu_of(
        &[(50 * MS, 3 * MS), (52 * MS, 3 * MS)],
        Duration::from_secs(1),
    );
    assert_eq!(got, mmu(0.0, 0.4, 0.94));
}

/// Pause time inside [from, to] of pauses given as (start, end) nanoseconds.
fn pause_time_in(pauses: &[(u64, u64)], from: u64, to: u64) -> u64 {
    pauses
        .iter()
        .map(|&(s, e)| e.min(to).saturating_sub(s.max(from)))
        .sum()
}

/// MMU for window `w` by trying every window that starts or ends at a pause's start or end,
/// plus the first and the last: the maximum of a piecewise-linear function is at one of its
/// breakpoints or an end of its domain.
fn brute_force_mmu(pauses: &[(u64, u64)], run: u64, w: u64) -> f64 {
    if run < w {
        let total = pause_time_in(pauses, 0, run);
        return (run - total) as f64 / run as f64;
    }
    let last = run - w;
    let mut candidates = vec![0, last];
    for &(s, e) in pauses {
        for t in [s, e, s.wrapping_sub(w), e.wrapping_sub(w)] {
            if t <= last {
                candidates.push(t);
            }
        }
    }
    let worst = candidates
        .iter()
        .map(|&t| pause_time_in(pauses, t, t + w))
        .max()
        .unwrap();
    (w - worst) as f64 / w as f64
}

/// Records a random timeline of `count` pauses whose lengths and gaps `span` draws, and
/// checks the tracker's whole curve against [`brute_force_mmu`].
fn check_random_timeline(
    rng: &mut fastrand::Rng,
    count: usize,
    span: impl Fn(&mut fastrand::Rng) -> u64,
    case: usize,
) {
    let mut pauses = Vec::new();
    let mut t = span(rng);
    for _ in 0..count {
        let length = span(rng).max(1);
        pauses.push((t, t + length));
        t += length + span(rng);
    }
    let run = t + span(rng);
    let mut tracker = MmuTracker::default();
    for &(s, e) in &pauses {
        tracker.record(Duration::from_nanos(s), Duration::from_nanos(e - s));
    }
    let got = tracker.curve(Duration::from_nanos(run)).0;
    let named = tracker.mmu(Duration::from_nanos(run));
    assert_eq!(
        [named.window_1ms, named.window_10ms, named.window_100ms],
        [got[3], got[6], got[9]]
    );
    for (i, &w) in MMU_WINDOWS_NS.iter().enumerate() {
        let want = if run == 0 {
            1.0
        } else {
            brute_force_mmu(&pauses, run, w)
        };
        assert_eq!(
            got[i], want,
            "case {case}, window {w} ns, run {run} ns, pauses {pauses:?}"
        );
    }
}

#[test]
fn online_mmu_curve_matches_brute_force_on_random_timelines() {
    let mut rng = fastrand::Rng::with_seed(7);
    // A length or gap at one of several scales, from sub-microsecond to over 100 ms.
    let span = |rng: &mut fastrand::Rng| -> u64 {
        match rng.u32(0..10) {
            0..=3 => rng.u64(0..50_000),
            4..=6 => rng.u64(0..2_000_000),
            7..=8 => rng.u64(0..15_000_000),
            _ => rng.u64(0..150_000_000),
        }
    };
    for case in 0..400 {
        let count = rng.usize(0..150);
        check_random_timeline(&mut rng, count, span, case);
    }
}

#[test]
fn online_mmu_curve_matches_brute_force_across_queue_trims() {
    let mut rng = fastrand::Rng::with_seed(11);
    // Thousands of short pauses and gaps (the queue is trimmed several times), with now
    // and then a long one that moves the worst windows late in the run.
    let span = |rng: &mut fastrand::Rng| -> u64 {
        match rng.u32(0..200) {
            0 => rng.u64(0..20_000_000),
            1..=20 => rng.u64(0..1_000_000),
            _ => rng.u64(0..100_000),
        }
    };
    for case in 0..3 {
        check_random_timeline(&mut rng, 4000, span, case);
    }
}

#[test]
fn mmu_curve_snapshots_between_batches_match_brute_force() {
    // The tracker evaluates pauses in batches; a snapshot evaluates the rest on copies of
    // its windows. Snapshots after every few pauses, over several batches and queue trims,
    // must each equal the brute force over the pauses so far, and leave later ones exact;
    // so must windows that a long pause saturated, which stop following the queue.
    let mut rng = fastrand::Rng::with_seed(13);
    let mut tracker = MmuTracker::default();
    let mut pauses = Vec::new();
    let mut t = 0;
    for i in 0..3000 {
        let gap = if rng.u32(0..100) == 0 {
            rng.u64(0..30_000_000)
        } else {
            rng.u64(0..200_000)
        };
        // Now and then a pause longer than the short windows, which saturates them.
        let length = if rng.u32(0..200) == 0 {
            rng.u64(1..3_000_000)
        } else {
            rng.u64(1..100_000)
        };
        t += gap;
        pauses.push((t, t + length));
        tracker.record(Duration::from_nanos(t), Duration::from_nanos(length));
        t += length;
        if i % 97 == 0 || i == 2999 {
            let got = tracker.curve(Duration::from_nanos(t)).0;
            for (k, &w) in MMU_WINDOWS_NS.iter().enumerate() {
                assert_eq!(
                    got[k],
                    brute_force_mmu(&pauses, t, w),
                    "after pause {i}, window {w} ns"
                );
            }
        }
    }
}

#[test]
fn pause_log_counts_minor_and_major_cycles() {
    let mut log = PauseLog::default();
    log.count_cycle(CycleKind::Major);
    log.count_cycle(CycleKind::Minor);
    log.count_cycle(CycleKind::Minor);
    let heap = gc_core::heap::Heap::new(&HeapConfig::default());
    let stats = log.stats(heap.sizes());
    assert_eq!(stats.minor_cycles, 2);
    assert_eq!(stats.major_cycles, 1);
    assert_eq!(stats.cycles, 3);
}

#[test]
fn stw_cycles_are_major() {
    let mut gc = Stw::<TestModel>::new(HeapConfig::default());
    let mut roots = RootList::default();
    gc.collect(&mut roots);
    gc.collect(&mut roots);
    let stats = gc.stats();
    assert_eq!(
        (stats.cycles, stats.major_cycles, stats.minor_cycles),
        (2, 2, 0)
    );
    // Explicit collections are the program's pauses, not the collector's.
    assert_eq!((stats.pauses.count, stats.explicit.count), (0, 2));
    assert!(stats.explicit.total >= stats.explicit.max && stats.gc_time == stats.explicit.total);
    for m in [
        stats.mmu.window_1ms,
        stats.mmu.window_10ms,
        stats.mmu.window_100ms,
    ] {
        assert!((0.0..=1.0).contains(&m), "{stats:?}");
    }
}

#[test]
fn epsilon_never_pauses() {
    let gc = Epsilon::<TestModel>::new(HeapConfig::default());
    let stats = gc.stats();
    assert_eq!(
        (stats.cycles, stats.minor_cycles, stats.major_cycles),
        (0, 0, 0)
    );
    assert_eq!(stats.mmu, mmu(1.0, 1.0, 1.0));
}

#[test]
fn the_pause_histogram_holds_every_pause_and_snapshots_do_not_move() {
    let mut log = PauseLog::default();
    let now = std::time::Instant::now();
    for micros in [10, 20, 30, 1000] {
        log.record(now, micros * US);
    }
    let before = log.stats(gc_core::HeapSizes::default());
    log.record(now, 5 * MS);
    let after = log.stats(gc_core::HeapSizes::default());
    let h = before.pause_histogram.histogram();
    assert_eq!(h.len(), 4);
    // 3 significant digits: within 0.1%.
    assert!(h.max().abs_diff(1_000_000) <= 1_000, "{}", h.max());
    assert_eq!(after.pause_histogram.histogram().len(), 5);
    assert_eq!(after.pauses.count, 5);
    assert!(before.pause_cpu_histogram.is_none() && before.mmu_cpu_curve.is_none());
}

#[test]
fn pauses_timed_in_cpu_time_have_their_own_histogram_and_mmu_curve() {
    let config = HeapConfig {
        pause_cpu_time: true,
        ..HeapConfig::default()
    };
    let mut log = PauseLog::new(&config);
    let start = log.begin();
    // Work on this thread's CPU clock inside the pause.
    let mut x = 0u64;
    for i in 0..2_000_000u64 {
        x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
    }
    log.end(start, PausePhase::Mark);
    let stats = log.stats(gc_core::HeapSizes::default());
    let marking = stats.pauses_by_phase[PausePhase::Mark as usize];
    assert!(marking.count == 1 && marking.cpu_max > Duration::ZERO);
    let cpu = stats.pause_cpu_histogram.expect("CPU pauses measured");
    assert_eq!(cpu.histogram().len(), 1);
    assert!(cpu.histogram().max() > 0);
    let curve = stats.mmu_cpu_curve.expect("a CPU-time MMU curve");
    // The pause is all of this thread's CPU time since the log began but the few
    // instructions around it: the shortest windows are all pause.
    assert!(curve.0[0] < 1.0, "{curve:?}");
    for pair in curve.0.windows(2) {
        assert!(
            pair[0] <= pair[1] + 1e-12,
            "MMU never falls with the window: {curve:?}"
        );
    }
}

#[test]
fn newgc_minor_cycles_measure_young_survival() {
    use gc_core::collectors::NewGc;
    use gc_core::testing::{node_bytes, Node, NODE_KIND};
    let config = HeapConfig {
        mode: Some(gc_core::GcMode::Generational),
        step_deadline: None,
        ..HeapConfig::default()
    };
    let mut gc = NewGc::<TestModel>::new(config);
    let mut roots = RootList::default();
    // 400,000 nodes of 32 bytes (12.8 MB, several minor cycles), one in ten kept.
    for i in 0..400_000u64 {
        let obj = gc
            .alloc_object(NODE_KIND, node_bytes(2), &mut roots)
            .unwrap();
        // SAFETY: a fresh block of node_bytes(2) bytes.
        let node = unsafe { Node::init(obj, i, 2) };
        if i % 10 == 0 {
            // SAFETY: allocated by this collector, with no allocation since.
            unsafe { roots.push(node.obj()) };
        }
    }
    let stats = gc.stats();
    let young = stats.young;
    assert!(stats.minor_cycles > 0, "{stats:?}");
    assert!(young.allocated_bytes > 0, "{stats:?}");
    let survival = young.surviving_bytes as f64 / young.allocated_bytes as f64;
    assert!(
        (0.05..=0.2).contains(&survival),
        "survival {survival}: {young:?}"
    );
}
