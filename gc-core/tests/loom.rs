//! Loom models of the parallel collector's protocols, each with a deliberately broken
//! variant that loom must catch. Run with
//! `RUSTFLAGS="--cfg loom" cargo test -p gc-core --release --test loom`.
#![cfg(loom)]

use gc_core::parallel::{claim_bit, claim_indices, WorkPool};
use gc_core::sync::deque::Worker;
use loom::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use loom::sync::Arc;
use loom::thread;

/// Two markers race for one object's mark bit while a third bit of the same word is
/// claimed too: exactly one marker wins the object, and no bit is lost.
fn race_for_a_mark_bit(claim: fn(&AtomicU64, u64) -> bool) {
    loom::model(move || {
        let word = Arc::new(AtomicU64::new(0));
        let winners = Arc::new(AtomicUsize::new(0));
        let markers: Vec<_> = (0..2)
            .map(|_| {
                let (word, winners) = (word.clone(), winners.clone());
                thread::spawn(move || {
                    if claim(&word, 0b100) {
                        winners.fetch_add(1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        assert!(claim(&word, 0b001), "an unclaimed neighbour bit is won");
        markers.into_iter().for_each(|m| m.join().unwrap());
        assert_eq!(
            winners.load(Ordering::Relaxed),
            1,
            "the object is traced exactly once"
        );
        assert_eq!(word.load(Ordering::Relaxed), 0b101);
    });
}

#[test]
fn mark_bit_claim_has_exactly_one_winner() {
    race_for_a_mark_bit(claim_bit);
}

#[test]
#[should_panic]
fn broken_claim_with_load_then_store_is_caught() {
    race_for_a_mark_bit(|word, bit| {
        let old = word.load(Ordering::Relaxed);
        word.store(old | bit, Ordering::Relaxed);
        old & bit == 0
    });
}

/// A tiny object graph: 0 -> 1. Node i's mark bit is bit i. Two nodes are enough for the
/// interesting interleavings (one worker tracing the root while the other looks for work)
/// and keep the exploration exhaustive and fast.
const EDGES: [&[usize]; 2] = [&[1], &[]];

/// Shared by the marking model's workers: mark bits, trace counts, and instrumentation of
/// how much work exists (queued or being processed) for the termination checks.
struct Marking {
    marks: AtomicU64,
    traced: [AtomicUsize; 2],
    outstanding: AtomicUsize,
}

impl Marking {
    fn new() -> Self {
        Marking {
            marks: AtomicU64::new(1),
            traced: Default::default(),
            outstanding: AtomicUsize::new(1),
        }
    }

    /// Traces `node`, pushing each child whose mark bit this worker claims.
    fn trace(&self, node: usize, push: impl Fn(usize)) {
        self.traced[node].fetch_add(1, Ordering::Relaxed);
        for &child in EDGES[node] {
            if claim_bit(&self.marks, 1 << child) {
                self.outstanding.fetch_add(1, Ordering::SeqCst);
                push(child);
            }
        }
        self.outstanding.fetch_sub(1, Ordering::SeqCst);
    }

    fn check_complete(&self) {
        assert_eq!(
            self.marks.load(Ordering::Relaxed),
            0b11,
            "every reachable node marked"
        );
        for traced in &self.traced {
            assert_eq!(traced.load(Ordering::Relaxed), 1, "every node traced once");
        }
    }
}

/// Two workers (the model's main thread and one more) mark the graph from root 0 with
/// `run_worker`. Whenever a worker stops, no
/// work may be outstanding anywhere: stopping earlier would leave gray objects to a worker
/// that may already be gone (or serialise the rest of the phase on one worker).
fn mark_in_parallel(run_worker: fn(&WorkPool<usize>, usize, &Worker<usize>, &Marking)) {
    loom::model(move || {
        let mut deques: Vec<Worker<usize>> = (0..2).map(|_| Worker::new_lifo()).collect();
        let pool = Arc::new(WorkPool::new(&deques));
        let marking = Arc::new(Marking::new());
        pool.inject(0);
        let second = deques.pop().expect("two deques");
        let helper = {
            let (pool, marking) = (pool.clone(), marking.clone());
            thread::spawn(move || {
                run_worker(&pool, 1, &second, &marking);
                assert_eq!(
                    marking.outstanding.load(Ordering::SeqCst),
                    0,
                    "worker 1 stopped early"
                );
            })
        };
        run_worker(&pool, 0, &deques[0], &marking);
        assert_eq!(
            marking.outstanding.load(Ordering::SeqCst),
            0,
            "worker 0 stopped early"
        );
        helper.join().unwrap();
        marking.check_complete();
    });
}

#[test]
fn work_stealing_terminates_only_when_all_work_is_done() {
    mark_in_parallel(|pool, me, local, marking| {
        pool.run(me, local, |node, local| {
            marking.trace(node, |child| local.push(child))
        });
    });
}

#[test]
#[should_panic]
fn broken_termination_that_stops_when_its_own_queues_look_empty_is_caught() {
    mark_in_parallel(|pool, me, local, marking| {
        // Stops as soon as it finds nothing to take, without the idle count: another
        // worker may still be tracing and about to produce work.
        while let Some(node) = pool.find_work(me, local) {
            marking.trace(node, |child| local.push(child));
        }
    });
}

/// Two sweepers share three arenas through one cursor; their per-worker results, merged
/// after they finish, must name every arena exactly once.
fn sweep_in_parallel(
    claim: fn(usize, &AtomicUsize, &dyn Fn(usize) -> usize) -> Vec<(usize, usize)>,
) {
    loom::model(move || {
        let cursor = Arc::new(AtomicUsize::new(0));
        let sweepers: Vec<_> = (0..2)
            .map(|_| {
                let cursor = cursor.clone();
                thread::spawn(move || claim(3, &cursor, &|arena| arena * 10))
            })
            .collect();
        let mut merged: Vec<(usize, usize)> = sweepers
            .into_iter()
            .flat_map(|s| s.join().unwrap())
            .collect();
        merged.sort();
        assert_eq!(
            merged,
            vec![(0, 0), (1, 10), (2, 20)],
            "each arena swept exactly once"
        );
    });
}

#[test]
fn sweep_claims_every_arena_exactly_once() {
    sweep_in_parallel(|count, cursor, work| claim_indices(count, cursor, work));
}

#[test]
#[should_panic]
fn broken_sweep_cursor_with_load_then_store_is_caught() {
    sweep_in_parallel(|count, cursor, work| {
        let mut results = Vec::new();
        loop {
            let index = cursor.load(Ordering::Relaxed);
            cursor.store(index + 1, Ordering::Relaxed);
            if index >= count {
                return results;
            }
            results.push((index, work(index)));
        }
    });
}
