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

#[test]
fn young_objects_stored_into_weak_caches_mostly_die_young() {
    let path = format!(
        "{}/../workloads/lua/weak_memo.lua",
        env!("CARGO_MANIFEST_DIR")
    );
    let script = std::fs::read(&path).expect("read the workload");
    let config = HeapConfig {
        mode: Some(GcMode::Generational),
        step_deadline: None,
        ..HeapConfig::default()
    };
    let mut vm: Lua<NewGc<LuaModel>> =
        Lua::new(NewGc::new(config), &VmOptions { gc_stress: 0 }).expect("boot");
    vm.run(b"arg = { '300000' } io.write = function() end", "=setup")
        .expect("setup");
    vm.run(&script, "@weak_memo.lua").expect("weak_memo");
    let young = vm.stats().young;
    assert!(young.allocated_bytes > 0, "minor cycles ran: {young:?}");
    assert!(
        young.surviving_bytes * 100 <= young.allocated_bytes * 55,
        "young survival {young:?}"
    );
}
