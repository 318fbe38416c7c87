//! Without a step deadline (`HeapConfig::step_deadline: None`) newgc reads no clock to
//! decide its work: the same workload run twice gives the same statistics, times aside,
//! and the same pacing, in every mode.

use std::time::Duration;

use gc_core::collectors::NewGc;
use gc_core::footprint::Footprint;
use gc_core::stats::{Mmu, MmuCurve, PauseHistogram};
use gc_core::testing::{node_bytes, Node, RootList, TestModel, NODE_KIND, WEAK_KEYS_KIND};
use gc_core::{
    Collector, ExplicitCollections, GcMode, HeapConfig, PauseSummary, PhasePauses, Stats,
};

type Gc = NewGc<TestModel>;

/// What a run leaves to compare: the whole statistics object with its times cleared,
/// and the pacing's own record.
#[derive(Debug, PartialEq)]
struct Outcome {
    stats: Stats,
    goal_bytes: u64,
    max_goal_overshoot: u64,
    atomic_marked_bytes_max: u64,
    arenas_returned: u64,
    forward_records: usize,
}

/// `stats` without what the clock measured (pause lengths, GC time, MMU) or the process
/// (its RSS); the number of pauses and the heap's own footprint stay.
fn untimed(stats: Stats) -> Stats {
    Stats {
        gc_time: Duration::ZERO,
        pauses: PauseSummary {
            count: stats.pauses.count,
            ..PauseSummary::default()
        },
        pauses_by_phase: stats.pauses_by_phase.map(|phase| PhasePauses {
            count: phase.count,
            ..PhasePauses::default()
        }),
        explicit: ExplicitCollections {
            count: stats.explicit.count,
            ..ExplicitCollections::default()
        },
        pause_cpu: None,
        mmu: Mmu::default(),
        mmu_curve: MmuCurve::default(),
        mmu_cpu_curve: None,
        pause_histogram: PauseHistogram::default(),
        pause_cpu_histogram: None,
        gc_cpu_time: None,
        // Which atomic phase is the longest is the clock's choice.
        longest_atomic: None,
        footprint_at_peak: Footprint {
            rss_bytes: 0,
            rss_file_bytes: 0,
            ..stats.footprint_at_peak
        },
        ..stats
    }
}

fn node(gc: &mut Gc, roots: &mut RootList, kind: u8, id: u64, slots: u16) -> Node {
    let obj = gc
        .alloc_object(kind, node_bytes(usize::from(slots)), roots)
        .unwrap();
    // SAFETY: a fresh block of this size.
    unsafe { Node::init(obj, id, slots) }
}

/// A churning live window of linked nodes, leaves, big nodes written through the forward
/// barrier and weak-keys tables (ephemerons), from a fixed seed.
fn run(mode: Option<GcMode>) -> Outcome {
    let mut gc = Gc::new(HeapConfig {
        mode,
        min_trigger_bytes: 1 << 20,
        step_deadline: None,
        ..HeapConfig::default()
    });
    let mut roots = RootList::default();
    let mut rng = fastrand::Rng::with_seed(12);
    const WINDOW: usize = 20_000;
    // Past newgc's forward-barrier threshold (4,096 parts): the stores below into big
    // nodes take the forward barrier.
    const BIG_SLOTS: u16 = 5_000;
    const WEAK_PAIRS: u16 = 32;
    let mut rooted = |gc: &mut Gc, kind, id, slots| {
        let n = node(gc, &mut roots, kind, id, slots);
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { roots.push(n.obj()) };
        n
    };
    let big: Vec<Node> = (0..4)
        .map(|i| rooted(&mut gc, NODE_KIND, i, BIG_SLOTS))
        .collect();
    let weak: Vec<Node> = (0..8)
        .map(|i| rooted(&mut gc, WEAK_KEYS_KIND, i, 2 * WEAK_PAIRS))
        .collect();
    let first_window_root = roots.len();
    for i in 0..600_000u64 {
        let n = node(&mut gc, &mut roots, NODE_KIND, i, 2);
        if roots.len() < first_window_root + WINDOW {
            // SAFETY: allocated by this collector, with no allocation since.
            unsafe { roots.push(n.obj()) };
        } else {
            // SAFETY: allocated by this collector, with no allocation since.
            unsafe { roots.set(first_window_root + rng.usize(..WINDOW), n.obj()) };
        }
        let window = &roots[first_window_root..];
        // SAFETY: the window's roots are initialised nodes, live while rooted.
        let old = unsafe { Node::from_ref(window[rng.usize(..window.len())]) };
        if i % 3 == 0 {
            // SAFETY: live nodes of this collector (rooted, or allocated since the last allocation).
            unsafe { gc.write_barrier(old.obj()) };
            // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
            unsafe { old.set_slot(rng.usize(..2), Some(n.obj())) };
        }
        if i % 7 == 0 {
            let b = big[rng.usize(..big.len())];
            // SAFETY: live nodes of this collector (rooted, or allocated since the last allocation).
            unsafe { gc.write_barrier_store(b.obj(), n.obj()) };
            // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
            unsafe { b.set_slot(rng.usize(..usize::from(BIG_SLOTS)), Some(n.obj())) };
        }
        if i % 11 == 0 {
            let leaf = gc.alloc_leaf(rng.usize(16..400), &mut roots).unwrap();
            // The allocation may have ended a cycle that left `n` black (old).
            // SAFETY: live nodes of this collector (rooted, or allocated since the last allocation).
            unsafe { gc.write_barrier(n.obj()) };
            // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
            unsafe { n.set_slot(1, Some(leaf)) };
        }
        if i % 13 == 0 {
            let w = weak[rng.usize(..weak.len())];
            let pair = rng.usize(..usize::from(WEAK_PAIRS));
            // SAFETY: live nodes of this collector (rooted, or allocated since the last allocation).
            unsafe { gc.write_barrier(w.obj()) };
            // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
            unsafe { w.set_slot(2 * pair, Some(old.obj())) };
            // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
            unsafe { w.set_slot(2 * pair + 1, Some(n.obj())) };
        }
    }
    gc.collect(&mut roots);
    gc.verify(&mut roots).unwrap();
    Outcome {
        stats: untimed(gc.stats()),
        goal_bytes: gc.goal_bytes(),
        max_goal_overshoot: gc.max_goal_overshoot(),
        atomic_marked_bytes_max: gc.atomic_marked_bytes_max(),
        arenas_returned: gc.heap().arenas_returned(),
        forward_records: gc.forward_records(),
    }
}

#[test]
fn without_a_step_deadline_the_same_workload_gives_the_same_statistics() {
    for mode in [None, Some(GcMode::Incremental), Some(GcMode::Generational)] {
        let first = run(mode);
        assert!(
            first.stats.cycles >= 10 && first.stats.pauses.count > first.stats.cycles,
            "{mode:?}: the workload must run many cycles: {first:?}"
        );
        let second = run(mode);
        assert_eq!(first, second, "{mode:?}");
    }
}
