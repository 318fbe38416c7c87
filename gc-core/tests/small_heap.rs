//! A small program keeps a small heap under `newgc`: the arenas it holds follow its live
//! data, not the number of cycles it has run.
//!
//! The program is a string-heavy loop (json_roundtrip's shape): short-lived leaf blocks,
//! some of them interned in a weak table the collector prunes in steps, more than its
//! atomic phase prunes (the held leaf sweep, see `leaf_hold`), and a fixed set of
//! long-lived ones replaced at random, so survivors are spread over every leaf arena and
//! a leaf arena seldom empties.

use gc_core::collectors::NewGc;
use gc_core::heap::arena::{ArenaKind, ARENA_SIZE};
use gc_core::testing::intern::InternTable;
use gc_core::testing::TestModel;
use gc_core::{Collector, GcMode, HeapConfig};

type Gc = NewGc<TestModel>;

/// Long-lived leaves (384 KB of them): each interned leaf replaces one at random.
const KEPT: usize = 8 << 10;
/// Leaf bytes allocated per round: a short-lived block, and one to intern every few
/// rounds.
const SHORT_BYTES: usize = 160;
const INTERNED_BYTES: usize = 48;
/// Rounds: about 1 GB of allocation, hundreds of cycles.
const ROUNDS: usize = 6_000_000;

/// A deterministic pseudo-random index below `n` (a 64-bit LCG's high bits).
fn next_index(state: &mut u64, n: usize) -> usize {
    *state = state
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    ((*state >> 33) as usize) % n
}

/// Runs the program, interning every `intern_every` rounds; returns the most leaf arenas
/// held at once and the peak heap.
fn run(mode: GcMode, intern_every: usize) -> (usize, u64) {
    let mut gc = Gc::new(HeapConfig {
        mode: Some(mode),
        step_deadline: None,
        ..HeapConfig::default()
    });
    let mut table = InternTable::default();
    for _ in 0..KEPT {
        let leaf = gc.alloc_leaf(INTERNED_BYTES, &mut table).unwrap();
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { table.strong.push(leaf) };
    }
    let mut rng = 1;
    let mut most_arenas = 0;
    for round in 0..ROUNDS {
        gc.alloc_leaf(SHORT_BYTES, &mut table).unwrap();
        if round % intern_every != 0 {
            continue;
        }
        let interned = gc.alloc_leaf(INTERNED_BYTES, &mut table).unwrap();
        let slot = next_index(&mut rng, KEPT);
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe {
            table.intern(interned);
            table.strong.set(slot, interned);
        }
        let arenas = gc.heap().space(ArenaKind::Leaves).arenas().len();
        most_arenas = most_arenas.max(arenas);
    }
    (most_arenas, gc.heap().peak_heap_bytes())
}

/// Leaf arenas beyond those the peak heap fills: the bump region's and one more.
const SLACK_ARENAS: usize = 2;

/// Asserts that the leaf arenas are about as many as the peak heap fills.
fn check(mode: GcMode, intern_every: usize) {
    let (arenas, peak) = run(mode, intern_every);
    let filled = (peak as usize).div_ceil(ARENA_SIZE);
    assert!(
        arenas <= filled + SLACK_ARENAS,
        "{mode:?}: {arenas} leaf arenas for a peak heap of {peak} bytes ({filled} arenas' worth)"
    );
}

/// An arena the heap took while the leaf sweep was held stayed: it collects a few
/// long-lived leaves and, with survivors spread over every arena, never empties, so the
/// leaf arenas grew by one a cycle (in generational mode 41 for a peak heap of 19 arenas'
/// worth interning every 4th round, 28 for 18 interning every round). The allocator now
/// uses the space that was free when the held sweep began (20 and 19).
#[test]
fn a_held_sweep_reuses_the_space_free_when_it_began() {
    for mode in [GcMode::Generational, GcMode::Incremental] {
        for intern_every in [1, 4] {
            check(mode, intern_every);
        }
    }
}
