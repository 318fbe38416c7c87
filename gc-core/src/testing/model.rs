//! Model-based testing of a collector: a random mutator drives it, and a shadow graph says what
//! must survive. After every collection (explicit, or triggered by an allocation): every
//! reachable object is allocated with its contents intact, every unreachable one is
//! reclaimed (epsilon: none is), the live-byte count is exact, and the verifier passes.
//! Each seed is reproducible: a failure prints it, and `MODEL_SEED=n` reruns just that one.
//! The same mutator also takes its decisions from bytes ([`run_choices`]), so a
//! coverage-guided fuzzer can steer it (`fuzz/fuzz_targets/gc_api.rs`).
//!
//! Incremental collectors (`newgc`, `lua51`) leave floating garbage and sweep lazily, so their
//! exact checks run after explicit full collections only; between those, the mutator
//! also runs collector steps, and after every step and every allocation the reachable
//! objects must be intact and the verifier (tri-color invariant included) must pass.

//!
//! gc-core runs it on its own collectors (`tests/model.rs`); a collector written outside
//! the crate runs it the same way (`tests/external_collector.rs` does).

use std::collections::{HashMap, HashSet};

use super::{node_bytes, Node, RootList, TestModel, NODE_KIND};
use crate::heap::arena::{ARENA_SIZE, CELL_SIZE};
use crate::heap::large_object_space::LARGE_THRESHOLD;
use crate::heap::malloc_space::PREFIX_BYTES;
use crate::{Collector, GcMode, HeapConfig, ObjectRef};

#[derive(Clone, Debug)]
enum Shape {
    Node { slots: Vec<Option<ObjectRef>> },
    Leaf { bytes: usize },
}

struct Shadow {
    objects: HashMap<ObjectRef, (u64, Shape)>,
    next_id: u64,
}

fn leaf_byte(id: u64, i: usize) -> u8 {
    (id.wrapping_mul(31).wrapping_add(i as u64 * 7)) as u8
}

/// What a block of `bytes` counts for in the arena heap: whole cells, or whole arenas for
/// huge blocks.
pub fn arena_bytes(bytes: usize) -> u64 {
    if bytes > LARGE_THRESHOLD {
        bytes.next_multiple_of(ARENA_SIZE) as u64
    } else {
        bytes.max(1).next_multiple_of(CELL_SIZE) as u64
    }
}

/// What a block of `bytes` counts for in the malloc space: its bytes and its prefix.
pub fn malloc_bytes(bytes: usize) -> u64 {
    (bytes.max(1) + PREFIX_BYTES) as u64
}

impl Shadow {
    fn reachable(&self, roots: &RootList) -> HashSet<ObjectRef> {
        let mut seen = HashSet::new();
        let mut pending: Vec<ObjectRef> = roots.to_vec();
        while let Some(obj) = pending.pop() {
            if seen.insert(obj) {
                if let Shape::Node { slots } = &self.objects[&obj].1 {
                    pending.extend(slots.iter().flatten());
                }
            }
        }
        seen
    }

    fn bytes(shape: &Shape) -> usize {
        match shape {
            Shape::Node { slots } => node_bytes(slots.len()),
            Shape::Leaf { bytes } => *bytes,
        }
    }
}

/// The handle of `obj`, a node the shadow graph holds as reachable: the mutator only
/// asks for reachable objects, which the collector keeps live.
fn live_node(obj: ObjectRef) -> Node {
    // SAFETY: reachable nodes are initialised and live (the checks assert it).
    unsafe { Node::from_ref(obj) }
}

/// Where the mutator's decisions come from: a seeded generator, or a fuzzer's bytes.
trait Choices {
    /// A number below `n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize;
}

impl Choices for fastrand::Rng {
    fn below(&mut self, n: usize) -> usize {
        self.usize(..n)
    }
}

/// Decisions read from bytes: one byte for a choice among at most 256, four otherwise;
/// zeros once the bytes run out.
struct ByteChoices<'a> {
    bytes: &'a [u8],
}

impl Choices for ByteChoices<'_> {
    fn below(&mut self, n: usize) -> usize {
        let width = if n <= 256 { 1 } else { 4 };
        let (taken, rest) = self.bytes.split_at(width.min(self.bytes.len()));
        self.bytes = rest;
        let value = taken
            .iter()
            .rev()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        value % n
    }
}

struct Mutator<C: Collector<TestModel>, R: Choices> {
    gc: C,
    roots: RootList,
    shadow: Shadow,
    rng: R,
    reclaims: bool,
    incremental: bool,
    accounting: fn(usize) -> u64,
    cycles_seen: u64,
    collections_checked: u64,
}

impl<C: Collector<TestModel>, R: Choices> Mutator<C, R> {
    fn new(rng: R, reclaims: bool, setup: Setup) -> Self {
        let config = HeapConfig {
            pause_percent: 150,
            min_trigger_bytes: 512 << 10,
            gc_threads: setup.gc_threads,
            parallel_min_bytes: 0,
            step_helpers_min_work: 0,
            stepmul_percent: 100,
            mode: setup.mode,
            // Steps do the work their budget says: what the checks see must not depend
            // on the machine's load.
            step_deadline: None,
            ..HeapConfig::default()
        };
        Mutator {
            gc: C::new(config),
            roots: RootList::default(),
            shadow: Shadow {
                objects: HashMap::new(),
                next_id: 1,
            },
            rng,
            reclaims,
            incremental: setup.incremental,
            accounting: setup.accounting,
            cycles_seen: 0,
            collections_checked: 0,
        }
    }

    /// A number in `range` (not empty).
    fn pick(&mut self, range: std::ops::Range<usize>) -> usize {
        range.start + self.rng.below(range.end - range.start)
    }

    fn coin(&mut self) -> bool {
        self.rng.below(2) == 1
    }

    fn pick_reachable(&mut self, nodes_only: bool) -> Option<ObjectRef> {
        let reachable = self.shadow.reachable(&self.roots);
        let mut candidates: Vec<ObjectRef> = reachable
            .into_iter()
            .filter(|obj| !nodes_only || matches!(self.shadow.objects[obj].1, Shape::Node { ref slots } if !slots.is_empty()))
            .collect();
        candidates.sort();
        (!candidates.is_empty()).then(|| candidates[self.pick(0..candidates.len())])
    }

    fn allocate(&mut self) {
        let id = self.shadow.next_id;
        self.shadow.next_id += 1;
        let huge = self.pick(0..100) == 0;
        let (obj, shape) = if self.coin() {
            let slots = if huge {
                self.pick(17_000..20_000)
            } else if self.pick(0..10) == 0 {
                self.pick(16..300)
            } else {
                self.pick(0..5)
            };
            let obj = self
                .gc
                .alloc_object(NODE_KIND, node_bytes(slots), &mut self.roots)
                .expect("no limit set");
            // SAFETY: a fresh node block of node_bytes(slots) bytes.
            unsafe { Node::init(obj, id, slots as u16) };
            (
                obj,
                Shape::Node {
                    slots: vec![None; slots],
                },
            )
        } else {
            let bytes = if huge {
                self.pick(LARGE_THRESHOLD + 1..3 * ARENA_SIZE)
            } else if self.pick(0..10) == 0 {
                self.pick(300..40_000)
            } else {
                self.pick(8..200)
            };
            let obj = self
                .gc
                .alloc_leaf(bytes, &mut self.roots)
                .expect("no limit set");
            // SAFETY: a fresh leaf block of `bytes` bytes.
            let body = unsafe { std::slice::from_raw_parts_mut(obj.as_ptr(), bytes) };
            for (i, byte) in body.iter_mut().enumerate() {
                *byte = leaf_byte(id, i);
            }
            (obj, Shape::Leaf { bytes })
        };
        self.after_possible_collection(Some(obj));
        assert!(
            self.shadow.objects.insert(obj, (id, shape)).is_none(),
            "address handed out twice"
        );
        // SAFETY: allocated just now by this collector, before any other allocation.
        unsafe { self.roots.push(obj) };
    }

    fn link(&mut self, clear: bool) {
        let Some(parent) = self.pick_reachable(true) else {
            return;
        };
        let child = if clear {
            None
        } else {
            self.pick_reachable(false)
        };
        let slot = self.pick(0..live_node(parent).slot_count());
        let Shape::Node { slots } = &mut self.shadow.objects.get_mut(&parent).unwrap().1 else {
            unreachable!()
        };
        slots[slot] = child;
        // A store the mutator describes (the collector chooses its barrier: big nodes,
        // as a VM's big tables, may take the forward one) or one it does not.
        // SAFETY: `parent` and `child` are reachable, so live nodes of this collector.
        unsafe {
            match child {
                Some(child) if self.coin() => self.gc.write_barrier_store(parent, child),
                _ => self.gc.write_barrier(parent),
            }
        }
        // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
        unsafe { live_node(parent).set_slot(slot, child) };
    }

    /// Checks the heap if a collection ran since the last check. `fresh` was allocated by
    /// the call that may have collected, so it may reuse a dead object's address.
    fn after_possible_collection(&mut self, fresh: Option<ObjectRef>) {
        if self.incremental && fresh.is_some() {
            self.check_mid_cycle();
            return;
        }
        let cycles = self.gc.stats().cycles;
        if cycles == self.cycles_seen && fresh.is_some() {
            return;
        }
        self.cycles_seen = cycles;
        self.collections_checked += 1;
        let reachable = self.shadow.reachable(&self.roots);
        let mut live_bytes = 0;
        for (&obj, (id, shape)) in &self.shadow.objects {
            if !reachable.contains(&obj) {
                if Some(obj) != fresh {
                    assert_eq!(
                        self.gc.contains(obj),
                        !self.reclaims,
                        "unreachable object {id} at {obj:?}"
                    );
                }
                continue;
            }
            live_bytes += (self.accounting)(Shadow::bytes(shape));
            assert!(self.gc.contains(obj), "reachable object {id} was freed");
            match shape {
                Shape::Node { slots } => {
                    let node = live_node(obj);
                    assert_eq!(node.id(), *id, "node contents changed");
                    let actual: Vec<_> = (0..node.slot_count()).map(|i| node.slot(i)).collect();
                    assert_eq!(&actual, slots, "node {id} slots changed");
                }
                Shape::Leaf { bytes } => {
                    // SAFETY: a live leaf block of `bytes` bytes.
                    let body = unsafe { std::slice::from_raw_parts(obj.as_ptr(), *bytes) };
                    assert!(
                        body.iter()
                            .enumerate()
                            .all(|(i, &b)| b == leaf_byte(*id, i)),
                        "leaf {id} contents changed"
                    );
                }
            }
        }
        if self.reclaims {
            assert_eq!(
                self.gc.stats().live_bytes,
                live_bytes,
                "live bytes after the collection"
            );
            self.shadow.objects.retain(|obj, _| reachable.contains(obj));
        }
        assert_eq!(
            self.gc.heap_bytes(),
            self.gc.stats().heap_bytes,
            "heap_bytes against the statistics"
        );
        if let Err(error) = self.gc.verify(&mut self.roots) {
            panic!("{error}");
        }
    }

    /// Between an incremental collector's steps: reachable objects intact, heap valid.
    fn check_mid_cycle(&mut self) {
        let reachable = self.shadow.reachable(&self.roots);
        for obj in &reachable {
            let (id, shape) = &self.shadow.objects[obj];
            assert!(self.gc.contains(*obj), "reachable object {id} was freed");
            if let Shape::Node { slots } = shape {
                let node = live_node(*obj);
                assert_eq!(node.id(), *id, "node contents changed");
                let actual: Vec<_> = (0..node.slot_count()).map(|i| node.slot(i)).collect();
                assert_eq!(&actual, slots, "node {id} slots changed");
            }
        }
        // Dead objects may be reused from here on: forget them.
        self.shadow.objects.retain(|obj, _| reachable.contains(obj));
        if let Err(error) = self.gc.verify(&mut self.roots) {
            panic!("{error}");
        }
    }

    fn step(&mut self) {
        match self.pick(0..100) {
            _ if self.incremental && self.pick(0..8) == 0 => {
                let kbytes = self.pick(0..4);
                self.gc.step(&mut self.roots, kbytes);
                self.check_mid_cycle();
            }
            0..=39 => self.allocate(),
            40..=64 => self.link(false),
            65..=74 => self.link(true),
            75..=84 => {
                if let Some(obj) = self.pick_reachable(false) {
                    // SAFETY: reachable objects are live (the checks assert it).
                    unsafe { self.roots.push(obj) };
                }
            }
            85..=97 => {
                if !self.roots.is_empty() {
                    let i = self.pick(0..self.roots.len());
                    self.roots.swap_remove(i);
                }
            }
            _ => {
                self.gc.collect(&mut self.roots);
                self.after_possible_collection(None);
            }
        }
    }
}

/// How a run sets its collector up.
#[derive(Copy, Clone)]
pub struct Setup {
    /// [`HeapConfig::gc_threads`].
    pub gc_threads: usize,
    /// Whether the collector works in steps: then the mutator also runs
    /// `Collector::step`, and checks the heap after every step and allocation, exact
    /// checks waiting for explicit full collections.
    pub incremental: bool,
    /// [`HeapConfig::mode`].
    pub mode: Option<GcMode>,
    /// What a block counts for in the collector's live bytes: [`arena_bytes`],
    /// [`malloc_bytes`], or the collector's own rule.
    pub accounting: fn(usize) -> u64,
}

/// A stop-the-world collector on the arena heap, one thread.
pub const STOP_THE_WORLD: Setup = Setup {
    gc_threads: 1,
    incremental: false,
    mode: None,
    accounting: arena_bytes,
};

/// An incremental collector on the arena heap, forced into incremental mode, one thread.
pub const INCREMENTAL: Setup = Setup {
    gc_threads: 1,
    incremental: true,
    mode: Some(GcMode::Incremental),
    accounting: arena_bytes,
};

/// Runs 24 seeds (or the one `MODEL_SEED` names) of 1,500 random mutator steps each
/// against `C`, panicking at the first broken check with the seed that reproduces it.
/// `reclaims`: whether the collector frees unreachable objects (false: it must keep them
/// all, as `epsilon` does).
pub fn run_seeds<C: Collector<TestModel>>(reclaims: bool, setup: Setup) {
    let gc_threads = setup.gc_threads;
    let seeds: Vec<u64> = match std::env::var("MODEL_SEED") {
        Ok(seed) => vec![seed.parse().expect("MODEL_SEED is a number")],
        Err(_) => (0..24).collect(),
    };
    let mut checked = 0;
    for seed in seeds {
        let result = std::panic::catch_unwind(|| {
            let rng = fastrand::Rng::with_seed(seed);
            let mut mutator = Mutator::<C, _>::new(rng, reclaims, setup);
            for _ in 0..1500 {
                mutator.step();
            }
            mutator.gc.collect(&mut mutator.roots);
            mutator.after_possible_collection(None);
            mutator.collections_checked
        });
        match result {
            Ok(collections) => checked += collections,
            Err(panic) => {
                eprintln!(
                    "{} with {gc_threads} threads failed with MODEL_SEED={seed}",
                    C::NAME
                );
                std::panic::resume_unwind(panic);
            }
        }
    }
    assert!(checked > 24 * 5, "too few collections checked: {checked}");
}

/// Runs the mutator steps `choices` decides (each decision reads the next bytes; the
/// run ends when they run out), then a full collection and the exact checks: the
/// seedless form of [`run_seeds`], for coverage-guided fuzzing. Panics at the first
/// broken check. `reclaims` and `setup` are as for [`run_seeds`].
pub fn run_choices<C: Collector<TestModel>>(reclaims: bool, setup: Setup, choices: &[u8]) {
    let mut mutator = Mutator::<C, _>::new(ByteChoices { bytes: choices }, reclaims, setup);
    while !mutator.rng.bytes.is_empty() {
        mutator.step();
    }
    mutator.gc.collect(&mut mutator.roots);
    mutator.after_possible_collection(None);
}
