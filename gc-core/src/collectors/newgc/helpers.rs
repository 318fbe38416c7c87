//! A step's marking shared with the heap's worker threads, as Go's and V8's collectors
//! let helper threads mark: while many gray objects wait, a step hands a few batches of
//! them to the pool, whose threads trace them and what they reach with the full
//! marking's claim, work-stealing and termination protocols (`crate::parallel`), bounded
//! by the step's budget and deadline; then they hand back what they did not trace, which
//! waits in the gray queue for the next step.
//!
//! Why the invariants hold: the mutator is stopped for the whole step, and helpers run
//! only inside it, so no store happens while they mark; they follow incremental
//! marking's rules (an object turns black before it is traced, leaf sizes are cut at the
//! bump cursor: `StepRules`); an object they reach is
//! claimed by one `fetch_or` on its mark bit, so it is traced once. An object the queue
//! holds twice (a store into it after it was reached queues it again) may be traced by
//! two helpers at once: redundant, as on one thread, and harmless, since tracing only
//! reads it but for the gray bit, which they clear atomically. What they hand back is reached and untraced (or a part range of a black object not
//! traced yet), exactly what the gray queue holds.
//!
//! The step's own thread marks as worker 0 and the pool's threads join when the OS runs
//! them (`mark_joinable`): a late one finds the step over and does nothing. With one
//! worker thread (`--gc-threads 1`), a heap too small for the pool
//! (`Heap::parallel_workers`) or too little work (`HeapConfig::step_helpers_min_work`,
//! never by default), steps mark on the mutator's thread alone.

use std::ops::Range;
use std::time::Instant;

use super::gray_queue::Gray;
use super::marker::{step_rules, Marking, WORK_PER_PART, WORK_PER_REFERENCE};
use crate::heap::Heap;
use crate::mark::parallel::mark_joinable;
use crate::object_model::{ObjectModel, ObjectRef};
use crate::parallel::mark::{StepBudget, WorkItem};
use crate::parallel::WorkerThreads;

/// The work a gray unit waiting stands for, about: a small table (64 bytes), its array
/// part (32) and a reference or so (32 each).
const WORK_PER_GRAY: u64 = 128;

/// Gray units handed out per worker at least: enough that each has work while the
/// others wake up. More go with a big budget, about the work it pays for (everything,
/// for an atomic phase): a round that ends with its seeds traced costs another round's
/// start.
const SEEDS_PER_WORKER: usize = 128;

impl Marking {
    /// Does about `budget` units of the step's gray work, stopping at `deadline`: with
    /// the heap's worker threads while many gray objects wait, then on this thread.
    /// Returns the work done (as `MarkTracer::drain` counts it).
    pub fn drain_step<M: ObjectModel>(
        &mut self,
        heap: &Heap,
        budget: u64,
        deadline: Option<Instant>,
    ) -> u64 {
        let mut done = 0;
        if let Some(workers) = heap.parallel_workers() {
            while self.worth_helpers(budget.saturating_sub(done))
                && deadline.is_none_or(|d| Instant::now() < d)
            {
                done += self.mark_with_helpers::<M>(heap, workers, budget - done, deadline);
            }
        }
        let left = budget.saturating_sub(done);
        done + self.tracer(heap).drain_until::<M>(left, deadline)
    }

    /// Whether `budget` and the gray objects waiting are both worth waking the helpers
    /// for.
    fn worth_helpers(&self, budget: u64) -> bool {
        let waiting = self.gray.len() as u64 * WORK_PER_GRAY;
        budget > 0 && waiting > 0 && budget.min(waiting) >= self.help_min_work
    }

    /// One round of marking on `workers`: hands them gray work, lets them mark until
    /// `budget` is spent, `deadline` passes or nothing is left, and queues what they
    /// hand back. Returns the work they did.
    fn mark_with_helpers<M: ObjectModel>(
        &mut self,
        heap: &Heap,
        workers: &WorkerThreads,
        budget: u64,
        deadline: Option<Instant>,
    ) -> u64 {
        let seeds = usize::try_from(budget / WORK_PER_GRAY)
            .unwrap_or(usize::MAX)
            .max(workers.count() * SEEDS_PER_WORKER);
        let mut objects: Vec<ObjectRef> = Vec::with_capacity(seeds.min(self.gray.len()));
        let mut parts: Vec<(ObjectRef, Range<usize>)> = Vec::new();
        while objects.len() + parts.len() < seeds {
            match self.gray.pop() {
                Some(Gray::Object(obj)) => objects.push(obj),
                Some(Gray::Chunk(obj, next, last)) => {
                    // SAFETY: queued chunks belong to reached, live traversable objects;
                    // the mutator is stopped while a step runs.
                    let end = last.min(unsafe { M::part_count(obj) });
                    if next < end {
                        parts.push((obj, next..end));
                    }
                }
                None => break,
            }
        }
        let budget = StepBudget::new(budget, WORK_PER_REFERENCE, WORK_PER_PART, deadline);
        let step = mark_joinable::<M>(
            heap.large_objects(),
            Some(step_rules(heap)),
            &objects,
            &parts,
            Some(budget),
            workers,
        );
        self.marked_bytes += step.outcome.live_bytes;
        self.scan_work += step.work - step.outcome.live_bytes;
        self.weak_objects.extend(step.notes);
        for item in step.unfinished {
            match item {
                WorkItem::Batch(objects) => objects.into_iter().for_each(|obj| self.gray.push(obj)),
                WorkItem::Parts { obj, start, end } => self.gray.push_chunk(obj, start, end),
            }
        }
        step.work
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collector::HeapConfig;
    use crate::heap::arena::{ArenaKind, CELL_SIZE};
    use crate::mark::is_marked;
    use crate::object_model::{GcHeader, Tracer};
    use crate::testing::{node_bytes, Node, TestModel, NODE_KIND};

    /// A heap of `count` nodes with three random references each, plus one node with
    /// `big` slots (traced in chunks, by the helpers' and by the step's own), marked by
    /// a heap with two worker threads always on. Returns the heap and the nodes.
    fn random_graph(count: usize, big: u16, seed: u64) -> (Heap, Vec<Node>) {
        let config = HeapConfig {
            gc_threads: 2,
            parallel_min_bytes: 0,
            ..HeapConfig::default()
        };
        let mut heap = Heap::new(&config);
        let mut alloc = |id: u64, slots: u16| {
            let obj = heap
                .alloc_growing(
                    ArenaKind::Objects,
                    NODE_KIND,
                    node_bytes(slots.into()),
                    GcHeader::GRAY,
                )
                .unwrap();
            // SAFETY: a fresh node block of this size.
            unsafe { Node::init(obj, id, slots) }
        };
        let mut nodes: Vec<Node> = (0..count as u64).map(|id| alloc(id, 3)).collect();
        nodes.push(alloc(count as u64, big));
        let mut rng = fastrand::Rng::with_seed(seed);
        for node in &nodes {
            for slot in 0..node.slot_count() {
                // About one in ten slots empty, so that some nodes are unreachable.
                let target = rng.usize(0..nodes.len() * 10 / 9);
                // SAFETY: nodes of `heap`, which collects nothing by itself.
                unsafe { node.set_slot(slot, nodes.get(target).map(|n| n.obj())) };
            }
        }
        (heap, nodes)
    }

    /// The nodes reachable from `roots`, by id.
    fn reachable(nodes: &[Node], roots: &[Node]) -> Vec<bool> {
        let mut seen = vec![false; nodes.len()];
        let mut stack: Vec<Node> = roots.to_vec();
        while let Some(node) = stack.pop() {
            if std::mem::replace(&mut seen[node.id() as usize], true) {
                continue;
            }
            // SAFETY: the slots of the graph's nodes hold its nodes, all kept alive by the test
            // (nothing is swept).
            stack.extend(
                (0..node.slot_count())
                    .filter_map(|i| node.slot(i).map(|r| unsafe { Node::from_ref(r) })),
            );
        }
        seen
    }

    /// Steps with helpers do about their budget of work each (the overshoot bounded by
    /// what each helper traces between two looks at the shared count), leave the rest
    /// gray for the next step, and in the end have marked exactly the reachable nodes,
    /// each counted once, with no object lost in the hand-offs between steps.
    #[test]
    fn steps_with_helpers_keep_their_budget_and_lose_nothing() {
        for seed in 0..4 {
            let (heap, nodes) = random_graph(20_000, 3000, seed);
            assert!(heap.parallel_workers().is_some());
            let roots: Vec<Node> = nodes.iter().step_by(50).copied().collect();
            // Helpers for steps of any size, small ones included.
            let mut marking = Marking::new(0);
            {
                let mut tracer = marking.tracer(&heap);
                for root in &roots {
                    tracer.mark(root.obj());
                }
            }
            let budget = 40_000;
            assert!(marking.worth_helpers(budget), "helpers are woken");
            let mut steps = 0;
            while !marking.gray.is_empty() {
                let big_enough = marking.worth_helpers(budget);
                let work = marking.drain_step::<TestModel>(&heap, budget, None);
                steps += 1;
                if !marking.gray.is_empty() {
                    assert!(work >= budget, "step {steps} did {work} of {budget}");
                }
                if big_enough {
                    // Two helpers, each past the budget by at most a check's worth of
                    // traces: 32 nodes, or a 1024-part range of 16-work parts whose
                    // references (32 each) may each reach a new 40-byte node, counted
                    // when it is claimed.
                    let slack = 2 * 1024 * (16 + 32 + 40);
                    assert!(
                        work <= budget + slack,
                        "step {steps} did {work} of {budget}"
                    );
                }
            }
            assert!(steps > 10, "the marking took {steps} steps");
            let live = reachable(&nodes, &roots);
            let mut live_bytes = 0;
            for (node, &live) in nodes.iter().zip(&live) {
                assert_eq!(
                    is_marked(heap.large_objects(), node.obj()),
                    live,
                    "node {}",
                    node.id()
                );
                if live {
                    live_bytes += node_bytes(node.slot_count()).next_multiple_of(CELL_SIZE) as u64;
                    // SAFETY: a live node.
                    let header = unsafe { node.obj().header() };
                    assert!(!header.is_gray(), "traced nodes are black");
                }
            }
            assert_eq!(marking.marked_bytes, live_bytes, "each node counted once");
        }
    }

    /// A step whose deadline has passed hands everything back untraced or nearly so.
    #[test]
    fn a_passed_deadline_ends_the_helpers_round() {
        let (heap, nodes) = random_graph(5_000, 4, 9);
        let mut marking = Marking::new(0);
        {
            let mut tracer = marking.tracer(&heap);
            for node in nodes.iter().step_by(10) {
                tracer.mark(node.obj());
            }
        }
        let queued = marking.gray.len();
        marking.drain_step::<TestModel>(&heap, u64::MAX, Some(Instant::now()));
        assert!(
            marking.gray.len() + 1000 >= queued,
            "{} of {queued} left",
            marking.gray.len()
        );
    }
}
