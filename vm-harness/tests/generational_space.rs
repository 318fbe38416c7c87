//! newgc's generational mode on a program whose young objects are stored into big old
//! weak tables (weak_memo.lua's caches): most of them die young. A barrier that marked
//! what was stored into those tables would make every cached value old at once, kept
//! until the next major cycle, and most young bytes would survive their minor cycle.
//! (The same barrier for a big strong table, finalizers.lua's ring, is pinned by
//! gc-core's `generational_space` tests.)

use gc_core::collectors::NewGc;
use gc_core::{Collector, GcMode, HeapConfig};
use vm_harness::model::LuaModel;
use vm_harness::{Lua, VmOptions};

mod support;
use support::run_workload;

#[test]
fn young_objects_stored_into_weak_caches_mostly_die_young() {
    let config = HeapConfig {
        mode: Some(GcMode::Generational),
        ..HeapConfig::default()
    };
    let young = run_workload::<NewGc<LuaModel>>(config, "weak_memo", "300000").young;
    assert!(young.allocated_bytes > 0, "minor cycles ran: {young:?}");
    assert!(
        young.surviving_bytes * 100 <= young.allocated_bytes * 55,
        "young survival {young:?}"
    );
}

/// A ring of live tables (about 2.5 MB) whose entries are replaced slowly, under a stream
/// of young garbage: survivors of minor cycles die later, as old garbage. Minor cycles
/// wait for `min_trigger` of allocation, more than the live heap, so with a major only
/// when the old generation has grown by half the heap went well past the goal a full
/// cycle would have had (`pause` x live).
#[test]
fn minors_on_a_small_heap_keep_below_the_goal_of_a_full_cycle() {
    let config = HeapConfig {
        mode: Some(GcMode::Generational),
        step_deadline: None,
        ..HeapConfig::default()
    };
    let min_trigger = config.min_trigger_bytes as u64;
    let mut vm: Lua<NewGc<LuaModel>> =
        Lua::new(NewGc::new(config), &VmOptions { gc_stress: 0 }).expect("boot");
    vm.run(
        b"local ring, n = {}, 20000
          for i = 1, n do ring[i] = { i, i, i } end
          for step = 1, 1000000 do
            local garbage = { step }
            if step % 8 == 0 then ring[step % n + 1] = { step, step, step } end
          end
          collectgarbage('collect')",
        "=ring",
    )
    .expect("ring");
    let stats = vm.stats();
    assert!(stats.minor_cycles > 0, "minor cycles ran: {stats:?}");
    let goal = (2 * stats.live_bytes).max(min_trigger);
    assert!(
        stats.peak_heap_bytes <= goal + goal / 3,
        "peak heap {} over 4/3 of the goal {goal}",
        stats.peak_heap_bytes
    );
}

/// A ring of old tables, each rewritten with a young table at a steady rate, under a stream
/// of young garbage: a full marking finds most of the allocation dead, so newgc tries
/// generational mode, whose minors trace every old table written since the last one
/// again and cost more per allocated byte than incremental cycles. Tried again at every
/// such full marking, generational mode would take most cycles; a failed trial ends at
/// its first dear minor, and each failure doubles the wait before the next.
#[test]
fn a_program_that_fails_generational_mode_is_not_switched_back_and_forth() {
    // No step deadline: which minors are dear must not depend on the machine's load.
    let config = HeapConfig {
        step_deadline: None,
        ..HeapConfig::default()
    };
    let mut vm: Lua<NewGc<LuaModel>> =
        Lua::new(NewGc::new(config), &VmOptions { gc_stress: 0 }).expect("boot");
    vm.run(
        b"local ring, n = {}, 50000
          for i = 1, n do ring[i] = { i } end
          for step = 1, 2000000 do
            ring[(step * 7919) % n + 1][1] = { step }
            local garbage = { step }
          end",
        "=rewritten ring",
    )
    .expect("ring");
    let stats = vm.stats();
    assert!(
        stats.minor_cycles > 0,
        "generational mode was tried: {stats:?}"
    );
    assert!(
        stats.minor_cycles * 3 <= stats.cycles,
        "{} of {} cycles were minor",
        stats.minor_cycles,
        stats.cycles
    );
}
