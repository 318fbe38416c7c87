//! Running a workload of `workloads/lua/` inside a test, under a chosen collector.

use gc_core::{Collector, HeapConfig, Stats};
use vm_harness::model::LuaModel;
use vm_harness::{Lua, VmOptions};

/// The collector's statistics after `workloads/lua/NAME.lua ARG` ran to its end with its
/// output discarded, under collector `C` configured as `config` but with no step deadline
/// and one GC thread: the cycles and the heap sizes are then the same on every run,
/// however busy the machine.
pub fn run_workload<C: Collector<LuaModel>>(config: HeapConfig, name: &str, arg: &str) -> Stats {
    let path = format!("{}/../workloads/lua/{name}.lua", env!("CARGO_MANIFEST_DIR"));
    let script = std::fs::read(&path).expect("read the workload");
    let config = HeapConfig {
        step_deadline: None,
        gc_threads: 1,
        ..config
    };
    let mut vm: Lua<C> = Lua::new(C::new(config), &VmOptions { gc_stress: 0 }).expect("boot");
    let setup = format!("arg = {{ '{arg}' }} io.write = function() end");
    vm.run(setup.as_bytes(), "=setup").expect("setup");
    vm.run(&script, &format!("@{name}.lua")).expect(name);
    vm.stats()
}
