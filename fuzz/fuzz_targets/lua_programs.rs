//! Generated Lua programs (`gc_research_fuzz::program`) run under newgc, stw and
//! epsilon, each verifying its heap under GC stress, with a heap limit and an
//! instruction budget. Their output must be the same under every collector (unless one
//! of them ran out of memory or budget, which depends on how much garbage it holds).
#![no_main]

use gc_core::collectors::{Epsilon, NewGc, Stw};
use gc_research_fuzz::program::Program;
use gc_research_fuzz::run;
use libfuzzer_sys::fuzz_target;
use vm_harness::model::LuaModel;
use vm_harness::untrusted::Outcome;

/// GC stress period: a verification every few allocations, which keeps a run within
/// milliseconds on the heaps a budgeted program builds.
const STRESS: u32 = 7;

fn limited(outcome: &Outcome) -> bool {
    outcome.hit_a_limit()
        || outcome.result.as_deref().is_some_and(|r| {
            let r = String::from_utf8_lossy(r);
            r.contains("not enough memory") || r.contains("instruction budget exhausted")
        })
}

fuzz_target!(|program: Program| {
    let source = program.render();
    let outcomes = [
        ("newgc", run::<NewGc<LuaModel>>(source.as_bytes(), STRESS)),
        ("stw", run::<Stw<LuaModel>>(source.as_bytes(), STRESS)),
        (
            "epsilon",
            run::<Epsilon<LuaModel>>(source.as_bytes(), STRESS),
        ),
    ];
    if outcomes.iter().any(|(_, o)| limited(o)) {
        return;
    }
    let (first, reference) = &outcomes[0];
    for (name, outcome) in &outcomes[1..] {
        assert_eq!(
            outcome, reference,
            "{name} and {first} disagree on:\n{source}"
        );
    }
});
