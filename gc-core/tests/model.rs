//! The model-based tests (`gc_core::testing::model`) on every collector of the crate:
//! after every collection, reachable objects intact, unreachable ones reclaimed, live
//! bytes exact, the verifier passing; incremental collectors also between their steps.

use gc_core::collectors::{Epsilon, Lua51, NewGc, Stw};
use gc_core::testing::model::{malloc_bytes, run_seeds, Setup, INCREMENTAL, STOP_THE_WORLD};
use gc_core::testing::TestModel;
use gc_core::GcMode;

#[test]
fn stw_keeps_reachable_and_reclaims_unreachable() {
    run_seeds::<Stw<TestModel>>(true, STOP_THE_WORLD);
}

/// The same seeds with the parallel marker and sweeper: every check is exact (which
/// objects survive, live bytes), so passing with 1, 2 and 4 threads means they agree.
#[test]
fn stw_with_two_and_four_gc_threads_agrees_with_one() {
    for gc_threads in [2, 4] {
        let setup = Setup {
            gc_threads,
            ..STOP_THE_WORLD
        };
        run_seeds::<Stw<TestModel>>(true, setup);
    }
}

#[test]
fn epsilon_keeps_everything() {
    run_seeds::<Epsilon<TestModel>>(false, STOP_THE_WORLD);
}

#[test]
fn newgc_incremental_keeps_reachable_and_keeps_the_invariants_between_steps() {
    run_seeds::<NewGc<TestModel>>(true, INCREMENTAL);
}

#[test]
fn newgc_generational_keeps_reachable_and_keeps_the_invariants_between_steps() {
    let setup = Setup {
        mode: Some(GcMode::Generational),
        ..INCREMENTAL
    };
    run_seeds::<NewGc<TestModel>>(true, setup);
}

#[test]
fn newgc_switching_modes_by_itself_keeps_reachable() {
    let setup = Setup {
        mode: None,
        ..INCREMENTAL
    };
    run_seeds::<NewGc<TestModel>>(true, setup);
}

/// newgc's full collections use the parallel marker, and its steps share their marking
/// with helper threads (the model's heaps have them help from one gray object on): with
/// 2 threads the checks between steps (the tri-color invariant over what helpers traced
/// and handed back) and the exact checks after every explicit collection still hold, in
/// either mode and switching between them.
#[test]
fn newgc_with_two_gc_threads_agrees_with_one() {
    for mode in [None, Some(GcMode::Incremental), Some(GcMode::Generational)] {
        let setup = Setup {
            gc_threads: 2,
            mode,
            ..INCREMENTAL
        };
        run_seeds::<NewGc<TestModel>>(true, setup);
    }
}

/// Lua 5.1's collector: both barriers (even nodes are "written often", as tables, and take
/// the backward one), steps in every state, and exact checks after full collections.
#[test]
fn lua51_keeps_reachable_and_keeps_the_invariants_between_steps() {
    let setup = Setup {
        mode: None,
        accounting: malloc_bytes,
        ..INCREMENTAL
    };
    run_seeds::<Lua51<TestModel>>(true, setup);
}
