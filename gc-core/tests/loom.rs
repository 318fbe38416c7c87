//! Loom models of the parallel collector's protocols and of the production mark driver
//! over them, each with a deliberately broken variant that loom must catch (by the
//! assertion it names). Run with
//! `RUSTFLAGS="--cfg loom" cargo test -p gc-core --release --test loom`.
#![cfg(loom)]

use std::ops::Range;

use gc_core::parallel::mark::{
    mark_pool, Claim, MarkGraph, MarkWorker, Marked, StepBudget, WorkItem,
};
use gc_core::parallel::{claim_bits, claim_indices, Prefetch, WorkPool};
use gc_core::sync::deque::{Steal, Worker};
use loom::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use loom::sync::Arc;
use loom::thread;

/// A way to claim mark bits: the bits of the mask the caller won.
type ClaimBits = fn(&AtomicU64, u64) -> u64;

/// Two markers race for one object's mark bit while a third claims it together with a
/// neighbour's bit of the same word (claims gathered by word): exactly one of the three
/// wins the object, the third wins the neighbour, and no bit is lost.
fn race_for_a_mark_bit(claim: ClaimBits) {
    loom::model(move || {
        let word = Arc::new(AtomicU64::new(0));
        let winners = Arc::new(AtomicUsize::new(0));
        let markers: Vec<_> = (0..2)
            .map(|_| {
                let (word, winners) = (word.clone(), winners.clone());
                thread::spawn(move || {
                    if claim(&word, 0b100) == 0b100 {
                        winners.fetch_add(1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        let won = claim(&word, 0b101);
        assert_eq!(won & 0b001, 0b001, "an unclaimed neighbour bit is won");
        if won & 0b100 != 0 {
            winners.fetch_add(1, Ordering::Relaxed);
        }
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
    race_for_a_mark_bit(claim_bits);
}

#[test]
#[should_panic(expected = "the object is traced exactly once")]
fn broken_claim_with_load_then_store_is_caught() {
    race_for_a_mark_bit(claim_with_load_then_store);
}

/// A broken claim: the bits of `mask` unset when loaded, set by a separate store.
fn claim_with_load_then_store(word: &AtomicU64, mask: u64) -> u64 {
    let old = word.load(Ordering::Relaxed);
    word.store(old | mask, Ordering::Relaxed);
    mask & !old
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
            if claim_bits(&self.marks, 1 << child) != 0 {
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
    let mut builder = loom::model::Builder::new();
    // With steals that may retry, exhaustive exploration takes over 15 minutes; four
    // preemptions take seconds (five: a minute), and a worker stopping early needs one.
    builder.preemption_bound = Some(4);
    builder.check(move || {
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
#[should_panic(expected = "stopped early")]
fn broken_termination_that_stops_when_its_own_queues_look_empty_is_caught() {
    mark_in_parallel(|pool, me, local, marking| {
        // Stops as soon as it finds nothing to take, without the idle count: another
        // worker may still be tracing and about to produce work.
        while let Some(node) = pool.find_work(me, local) {
            marking.trace(node, |child| local.push(child));
        }
    });
}

/// A sweeper's claiming loop: `(count, cursor, work)` to the arenas it swept, with results.
type SweepClaim = fn(usize, &AtomicUsize, &dyn Fn(usize) -> usize) -> Vec<(usize, usize)>;

/// Two sweepers share three arenas through one cursor; their per-worker results, merged
/// after they finish, must name every arena exactly once.
fn sweep_in_parallel(claim: SweepClaim) {
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
#[should_panic(expected = "each arena swept exactly once")]
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

/// The production mark driver (`gc_core::parallel::mark`, which marks the arena heap in
/// `mark::parallel`) on a model heap of six objects, with chunks of 3 parts and batches
/// of 2 so that every path runs: root 0 has three children to trace, more than a batch,
/// so its worker shares the oldest (1) for the other to steal; 1 has four parts, traced
/// as a chunk and a stealable part range; 2 is a leaf; 3 is weak; 4 and 5 are reached
/// from several objects, so the workers race for 5's mark. 4 and 5's mark bits share a
/// word: 1's first chunk claims them together (4 twice), racing with 3's claim of 5.
const HEAP: [Shape; 6] = [
    Shape::Strong(&[1, 3, 4]),
    Shape::Strong(&[4, 5, 4, 2]),
    Shape::Leaf,
    Shape::Weak(&[5]),
    Shape::Strong(&[]),
    Shape::Strong(&[]),
];

/// A model object.
#[derive(Copy, Clone)]
enum Shape {
    /// Traced, by parts if it has more than a chunk; one reference per part.
    Strong(&'static [usize]),
    /// Traced whole and recorded as weak.
    Weak(&'static [usize]),
    /// Never traced.
    Leaf,
}

/// Bytes of model object `i`: distinct powers of two, so a sum shows what was counted.
fn bytes_of(i: usize) -> u64 {
    16 << i
}

/// A model object's index; nothing to prefetch.
#[derive(Copy, Clone, Debug, PartialEq)]
struct Obj(usize);

impl Prefetch for Obj {
    fn prefetch(self) {}
}

loom::thread_local! {
    /// The model driver's worker on this thread (0: the model's main thread).
    static WORKER: std::cell::Cell<usize> = std::cell::Cell::new(0);
}

/// Paths some execution took (bits of `run_mark_driver`'s record).
const SHARED_BATCH_STOLEN: u64 = 1;
const PART_RANGE_STOLEN: u64 = 2;

/// The model heap: mark words (claimed by `claim`; objects 0 to 3 have a word each, 4
/// and 5 share the last one, with bits 1 and 2), and counts of whole traces and of each
/// part's traces, started and finished.
struct ModelHeap {
    marks: [AtomicU64; 5],
    claim: ClaimBits,
    traces: [[std::sync::atomic::AtomicUsize; 4]; 6],
    finished: std::sync::atomic::AtomicUsize,
    /// Which worker traced the root, part 0 of object 1 (the batch the root's worker
    /// shares) and part 3 (the part range its tracer pushes): 0 or 1, or 2 if none.
    traced_by: [std::sync::atomic::AtomicUsize; 3],
}

/// Traces, whole or by part, the model heap must see: every traversable object once
/// (object 1's four parts once each), the leaf never.
const ALL_TRACES: usize = 4 + 4;

impl ModelHeap {
    fn new(claim: ClaimBits) -> Self {
        ModelHeap {
            marks: Default::default(),
            claim,
            traces: Default::default(),
            finished: Default::default(),
            traced_by: [2, 2, 2].map(std::sync::atomic::AtomicUsize::new),
        }
    }

    /// Counts a trace of `obj`'s part `part` (0 for a whole trace), for the checks.
    fn count_trace(&self, obj: usize, part: usize) {
        let relaxed = std::sync::atomic::Ordering::Relaxed;
        let before = self.traces[obj][part].fetch_add(1, relaxed);
        assert_eq!(before, 0, "every object and part is traced exactly once");
        let watched = match (obj, part) {
            (0, 0) => Some(0),
            (1, 0) => Some(1),
            (1, 3) => Some(2),
            _ => None,
        };
        if let Some(i) = watched {
            self.traced_by[i].store(WORKER.with(|w| w.get()), relaxed);
        }
    }

    fn finish_trace(&self) {
        self.finished
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// `obj`'s mark word and bit.
    fn mark_bit_of(&self, obj: usize) -> (&AtomicU64, u64) {
        match obj {
            0..=3 => (&self.marks[obj], 1),
            _ => (&self.marks[4], 1 << (obj - 4)),
        }
    }

    /// Whether every object is marked.
    fn all_marked(&self) -> bool {
        (0..6).all(|obj| {
            let (word, bit) = self.mark_bit_of(obj);
            word.load(Ordering::Relaxed) & bit != 0
        })
    }

    fn references(obj: usize) -> &'static [usize] {
        match HEAP[obj] {
            Shape::Strong(refs) | Shape::Weak(refs) => refs,
            Shape::Leaf => &[],
        }
    }
}

// SAFETY: `claim` is `claim_bits` in the sound models; the broken one exists to be caught.
unsafe impl MarkGraph for ModelHeap {
    type Obj = Obj;
    type Note = usize;
    const PARTS_PER_CHUNK: usize = 3;
    const BATCH: usize = 2;

    fn claim(&self, obj: Obj) -> Claim {
        let (word, bit) = self.mark_bit_of(obj.0);
        if (self.claim)(word, bit) == 0 {
            return Claim::Already;
        }
        // SAFETY: this call set the bit.
        unsafe { self.claimed(obj) }
    }

    fn mark_bit(&self, obj: Obj) -> Option<(&AtomicU64, u64)> {
        // The root and 3 are claimed whole, as the heap's huge blocks are: the root's
        // trace claims 3 between gathering 1's word and 4's.
        (obj.0 != 0 && obj.0 != 3).then(|| self.mark_bit_of(obj.0))
    }

    fn claim_bits(&self, word: &AtomicU64, mask: u64) -> u64 {
        (self.claim)(word, mask)
    }

    fn word_holds_objects(&self, obj: Obj) -> bool {
        // Objects 4 and 5, which share a word, are both traversable.
        !matches!(HEAP[obj.0], Shape::Leaf)
    }

    unsafe fn claimed(&self, obj: Obj) -> Claim {
        match HEAP[obj.0] {
            Shape::Leaf => Claim::Leaf(bytes_of(obj.0)),
            _ => Claim::Object(0),
        }
    }

    unsafe fn strong_parts(&self, obj: Obj) -> Option<usize> {
        match HEAP[obj.0] {
            Shape::Strong(refs) => Some(refs.len()),
            _ => None,
        }
    }

    unsafe fn bytes(&self, obj: Obj) -> u64 {
        bytes_of(obj.0)
    }

    unsafe fn trace(&self, obj: Obj, worker: &mut MarkWorker<'_, Self>) -> u64 {
        self.count_trace(obj.0, 0);
        for &child in Self::references(obj.0) {
            worker.mark(Obj(child));
        }
        if let Shape::Weak(_) = HEAP[obj.0] {
            worker.record(obj.0);
        }
        self.finish_trace();
        bytes_of(obj.0)
    }

    unsafe fn trace_parts(&self, obj: Obj, parts: Range<usize>, worker: &mut MarkWorker<'_, Self>) {
        let refs = Self::references(obj.0);
        for part in parts {
            self.count_trace(obj.0, part);
            worker.mark(Obj(refs[part]));
            self.finish_trace();
        }
    }
}

/// Two workers run the production driver over [`HEAP`] from root 0. Whenever one stops,
/// every trace must be over (the other is idle too); at the end every object is marked,
/// counted once and traced once, and the weak one recorded once. The exploration must
/// include executions where the other worker than the root's traces the batch the
/// root's worker shared, and the part range object 1's tracer pushed.
fn run_mark_driver(claim: ClaimBits) {
    let relaxed = std::sync::atomic::Ordering::Relaxed;
    let paths_seen = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let seen = paths_seen.clone();
    let mut builder = loom::model::Builder::new();
    // Exhaustive exploration takes over 15 minutes; four preemptions take seconds (five:
    // a minute), and a lost claim or a worker stopping while the other holds work needs
    // one or two.
    builder.preemption_bound = Some(4);
    builder.check(move || {
        let heap = Arc::new(ModelHeap::new(claim));
        // Roots are marked before the driver runs.
        assert_eq!(heap.claim(Obj(0)), Claim::Object(0));
        let mut deques: Vec<Worker<_>> = (0..2).map(|_| Worker::new_lifo()).collect();
        let pool = Arc::new(mark_pool::<ModelHeap>(&deques, &[Obj(0)]));
        let second = deques.pop().expect("two deques");
        let helper = {
            let (heap, pool) = (heap.clone(), pool.clone());
            thread::spawn(move || {
                WORKER.with(|w| w.set(1));
                let marked = MarkWorker::new(&*heap, &second).run(&pool, 1);
                let finished = heap.finished.load(std::sync::atomic::Ordering::Relaxed);
                assert_eq!(finished, ALL_TRACES, "worker 1 stopped early");
                marked
            })
        };
        let mine = MarkWorker::new(&*heap, &deques[0]).run(&pool, 0);
        let finished = heap.finished.load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(finished, ALL_TRACES, "worker 0 stopped early");
        let theirs = helper.join().unwrap();
        assert!(heap.all_marked(), "all marked");
        // The root was counted when it was marked, outside the driver.
        assert_eq!(
            mine.live_objects + theirs.live_objects + 1,
            6,
            "every object counted once"
        );
        assert_eq!(
            mine.live_bytes + theirs.live_bytes,
            (0..6).map(bytes_of).sum::<u64>(),
            "every object's bytes counted once"
        );
        let weak: Vec<usize> = mine.notes.iter().chain(&theirs.notes).copied().collect();
        assert_eq!(weak, [3], "the weak object recorded once");
        let [root, batch, range] = heap.traced_by.each_ref().map(|by| by.load(relaxed));
        if batch != root {
            seen.fetch_or(SHARED_BATCH_STOLEN, relaxed);
        }
        if range != batch {
            seen.fetch_or(PART_RANGE_STOLEN, relaxed);
        }
    });
    assert_eq!(
        paths_seen.load(relaxed),
        SHARED_BATCH_STOLEN | PART_RANGE_STOLEN,
        "the exploration steals a shared batch and a part range"
    );
}

#[test]
fn mark_driver_traces_every_object_and_part_once_and_stops_when_all_is_done() {
    run_mark_driver(claim_bits);
}

#[test]
#[should_panic(expected = "traced exactly once")]
fn broken_claim_in_the_mark_driver_is_caught() {
    run_mark_driver(claim_with_load_then_store);
}

/// What a bounded run keeps for the next step, from each worker's unfinished work and
/// the injector's rest (a sound step keeps all three).
type HandBack = fn([Vec<WorkItem<Obj>>; 2], Vec<WorkItem<Obj>>) -> Vec<WorkItem<Obj>>;

/// An incremental step's hand-off: the step's thread (worker 0) marks from root 0 with
/// a pool that a helper joins when it gets to run, if the step is still going
/// (`WorkPool::joinable`). Both run the production driver bounded by a small budget
/// (each reference and part costs one unit besides the bytes reached, and they look at
/// the shared count after every trace), so the step stops at any point of the marking;
/// the step's thread then closes the pool and waits for the helper to leave, takes what
/// it left, and `hand_back` collects what neither traced; the next step marks from it on
/// one worker, unbounded. Over both steps every object must be traced once, counted once
/// and the weak one recorded once: nothing handed out is lost or traced twice, whether
/// the helper joined or came too late. The exploration must include both, and steps that
/// stop with work handed back.
fn run_bounded_step(hand_back: HandBack) {
    let relaxed = std::sync::atomic::Ordering::Relaxed;
    let paths = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let seen = paths.clone();
    let mut builder = loom::model::Builder::new();
    // As in `run_mark_driver`: a lost item needs one or two preemptions.
    builder.preemption_bound = Some(3);
    builder.check(move || {
        let heap = Arc::new(ModelHeap::new(claim_bits));
        assert_eq!(heap.claim(Obj(0)), Claim::Object(0));
        // The root's trace alone (16 bytes, 3 references) is 19 units.
        let budget = Arc::new(StepBudget::new(40, 1, 1, None));
        let mut deques: Vec<Worker<_>> = (0..2).map(|_| Worker::new_lifo()).collect();
        let pool = Arc::new(WorkPool::joinable(&deques));
        pool.inject(WorkItem::Batch(vec![Obj(0)]));
        let second = deques.pop().expect("two deques");
        let helped = Arc::new(loom::sync::Mutex::new(None));
        let helper = {
            let (heap, pool, budget, helped) =
                (heap.clone(), pool.clone(), budget.clone(), helped.clone());
            thread::spawn(move || {
                WORKER.with(|w| w.set(1));
                if let Some(me) = pool.join() {
                    assert_eq!(me, 1, "the helper joins as worker 1");
                    let marked = MarkWorker::bounded(&*heap, &second, &budget).run(&pool, me);
                    *helped.lock().unwrap() = Some(marked);
                    pool.leave();
                }
            })
        };
        let mut mine = MarkWorker::bounded(&*heap, &deques[0], &budget).run(&pool, 0);
        pool.finish();
        let mut theirs = helped.lock().unwrap().take();
        seen.fetch_or(
            if theirs.is_some() {
                HELPER_JOINED
            } else {
                HELPER_LATE
            },
            relaxed,
        );
        let unfinished = [
            std::mem::take(&mut mine.unfinished),
            theirs
                .as_mut()
                .map(|m| std::mem::take(&mut m.unfinished))
                .unwrap_or_default(),
        ];
        let left = hand_back(unfinished, pool.leftovers());
        if !left.is_empty() {
            seen.fetch_or(HANDED_BACK, relaxed);
        }
        // The next step: one worker, no bound, from what was handed back.
        let next_deque = Worker::new_lifo();
        let next_pool = WorkPool::new(std::slice::from_ref(&next_deque));
        for item in left {
            next_pool.inject(item);
        }
        let next = MarkWorker::new(&*heap, &next_deque).run(&next_pool, 0);
        let finished = heap.finished.load(relaxed);
        assert_eq!(
            finished, ALL_TRACES,
            "every object and part traced by the end"
        );
        let runs: Vec<&Marked<Obj, usize>> = [Some(&mine), theirs.as_ref(), Some(&next)]
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(
            runs.iter().map(|m| m.live_objects).sum::<u64>() + 1,
            6,
            "every object counted once"
        );
        assert_eq!(
            runs.iter().map(|m| m.live_bytes).sum::<u64>(),
            (0..6).map(bytes_of).sum::<u64>(),
            "every object's bytes counted once"
        );
        let weak: Vec<usize> = runs.iter().flat_map(|m| m.notes.iter().copied()).collect();
        assert_eq!(weak, [3], "the weak object recorded once");
        helper.join().unwrap();
    });
    assert_eq!(
        paths.load(relaxed),
        HELPER_JOINED | HELPER_LATE | HANDED_BACK,
        "the exploration has the helper join and come late, and steps hand work back"
    );
}

/// Paths some execution of `run_bounded_step` took.
const HELPER_JOINED: u64 = 1;
const HELPER_LATE: u64 = 2;
const HANDED_BACK: u64 = 4;

#[test]
fn a_bounded_step_hands_back_all_it_did_not_trace() {
    run_bounded_step(|[mine, theirs], injector| {
        mine.into_iter().chain(theirs).chain(injector).collect()
    });
}

#[test]
#[should_panic(expected = "every object and part traced by the end")]
fn a_step_that_forgets_a_helpers_unfinished_work_is_caught() {
    run_bounded_step(|[mine, _], injector| mine.into_iter().chain(injector).collect());
}

/// The model deque's steals give up with `Steal::Retry` when they meet another operation
/// on the queue, as crossbeam's do, so the retry paths of `WorkPool::find_work` are
/// explored: two thieves that retry take each item at most once, the owner pops the rest,
/// and some execution has a steal give up.
#[test]
fn model_deque_steals_may_retry_and_retrying_takes_each_item_once() {
    let retried = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = retried.clone();
    loom::model(move || {
        let owner = Worker::new_lifo();
        owner.push(1);
        owner.push(2);
        let thieves: Vec<_> = (0..2)
            .map(|_| {
                let (stealer, seen) = (owner.stealer(), seen.clone());
                thread::spawn(move || loop {
                    match stealer.steal() {
                        Steal::Success(item) => return Some(item),
                        Steal::Empty => return None,
                        Steal::Retry => {
                            seen.store(true, std::sync::atomic::Ordering::Relaxed);
                            thread::yield_now();
                        }
                    }
                })
            })
            .collect();
        let mut items: Vec<i32> = thieves
            .into_iter()
            .filter_map(|t| t.join().unwrap())
            .collect();
        items.extend(std::iter::from_fn(|| owner.pop()));
        items.sort();
        assert_eq!(items, [1, 2], "each item taken exactly once");
    });
    assert!(
        retried.load(std::sync::atomic::Ordering::Relaxed),
        "some steal gave up with Retry"
    );
}
