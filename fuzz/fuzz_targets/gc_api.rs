//! gc-core's API driven by the fuzzer's bytes: allocations, stores with barriers, root
//! changes, steps and collections (`gc_core::testing::model::run_choices`), with the
//! shadow-graph checks and the verifier after each step and collection. The first byte
//! picks the collector.
#![no_main]

use gc_core::collectors::{Epsilon, Lua51, NewGc, Stw};
use gc_core::testing::model::{malloc_bytes, run_choices, Setup, INCREMENTAL, STOP_THE_WORLD};
use gc_core::testing::TestModel;
use gc_core::GcMode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, choices)) = data.split_first() else {
        return;
    };
    match which % 6 {
        0 => run_choices::<Stw<TestModel>>(true, STOP_THE_WORLD, choices),
        1 => run_choices::<Epsilon<TestModel>>(false, STOP_THE_WORLD, choices),
        2 => run_choices::<NewGc<TestModel>>(true, INCREMENTAL, choices),
        3 => {
            let setup = Setup {
                mode: Some(GcMode::Generational),
                ..INCREMENTAL
            };
            run_choices::<NewGc<TestModel>>(true, setup, choices)
        }
        4 => {
            let setup = Setup {
                mode: None,
                accounting: malloc_bytes,
                ..INCREMENTAL
            };
            run_choices::<Lua51<TestModel>>(true, setup, choices)
        }
        _ => {
            let setup = Setup {
                gc_threads: 2,
                ..STOP_THE_WORLD
            };
            run_choices::<Stw<TestModel>>(true, setup, choices)
        }
    }
});
