//! Weak tables, ephemerons and finalizers through a real VM (Lua 5.1 semantics, with
//! 5.2-style ephemerons for weak keys as gc-core's contract requires), and the
//! `collectgarbage` options that drive a collector ("step", "setstepmul", and the 5.4
//! mode switches). Scripts leave their findings in globals, which the tests read.

use gc_core::collectors::{visit_all, CollectorVisitor, NewGc, Stw};
use gc_core::{Collector, GcMode, HeapConfig};
use vm_harness::model::LuaModel;
use vm_harness::{Lua, LuaValue, VmOptions};

type LuaVm = Lua<Stw<LuaModel>>;

fn vm(gc_stress: u32) -> LuaVm {
    vm_on(gc_stress)
}

/// A VM over the collector `G`.
fn vm_on<G: Collector<LuaModel>>(gc_stress: u32) -> Lua<G> {
    Lua::new(G::new(HeapConfig::default()), &VmOptions { gc_stress }).expect("boot")
}

/// Runs `code` as a chunk; panics with the Lua error if it fails.
fn run<G: Collector<LuaModel>>(vm: &mut Lua<G>, code: &str) {
    vm.run(code.as_bytes(), "=test").expect("run");
}

/// Global `name` as text (strings as they are, numbers formatted, others by type).
fn global<G: Collector<LuaModel>>(vm: &mut Lua<G>, name: &str) -> String {
    match vm.global(name).expect("get global") {
        LuaValue::String(s) => String::from_utf8_lossy(&s).into_owned(),
        LuaValue::Number(n) => format!("{n}"),
        LuaValue::Boolean(b) => format!("{b}"),
        LuaValue::Nil => "nil".to_owned(),
        LuaValue::Object(type_name) => type_name.to_owned(),
    }
}

const COUNT: &str =
    "function count(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end ";

#[test]
fn an_ephemeron_whose_value_refers_to_its_key_is_collected() {
    for stress in [0, 1] {
        let mut vm = vm(stress);
        run(
            &mut vm,
            &(COUNT.to_owned()
                + "local t = setmetatable({}, {__mode = 'k'})
                   local function fill() local k = {} t[k] = {ref = k} t.str = {} end
                   fill()
                   before = count(t)
                   collectgarbage()
                   after = count(t)"),
        );
        assert_eq!(global(&mut vm, "before"), "2", "stress {stress}");
        assert_eq!(global(&mut vm, "after"), "1", "stress {stress}");
    }
}

#[test]
fn a_chain_of_ephemerons_lives_while_its_first_key_does() {
    let mut vm = vm(0);
    run(
        &mut vm,
        &(COUNT.to_owned()
            + "local t = setmetatable({}, {__mode = 'k'})
               local function chain()
                 local first = {}
                 local k = first
                 for i = 1, 50 do local nxt = {} t[k] = nxt k = nxt end
                 return first
               end
               head = chain()
               collectgarbage()
               anchored = count(t)
               head = nil
               collectgarbage()
               dropped = count(t)"),
    );
    assert_eq!(global(&mut vm, "anchored"), "50");
    assert_eq!(global(&mut vm, "dropped"), "0");
}

#[test]
fn a_finalizer_can_resurrect_its_object_which_stays_usable() {
    for stress in [0, 1] {
        let mut vm = vm(stress);
        run(
            &mut vm,
            "calls = 0
             local function make()
               local u = newproxy(true)
               local mt = getmetatable(u)
               mt.__index = {name = 'R'}
               mt.__gc = function(self) calls = calls + 1 saved = self end
             end
             make()
             collectgarbage()
             name = saved.name
             first = calls
             collectgarbage()
             still = saved.name
             saved = nil
             collectgarbage()
             collectgarbage()",
        );
        assert_eq!(global(&mut vm, "name"), "R", "stress {stress}");
        assert_eq!(global(&mut vm, "still"), "R", "stress {stress}");
        assert_eq!(global(&mut vm, "first"), "1", "stress {stress}");
        assert_eq!(global(&mut vm, "calls"), "1", "stress {stress}");
    }
}

#[test]
fn a_finalizer_error_propagates_from_collectgarbage_and_the_rest_run_later() {
    let mut vm = vm(0);
    run(
        &mut vm,
        "log = ''
         local function make(name, fails)
           local u = newproxy(true)
           getmetatable(u).__gc = function()
             log = log .. name
             if fails then error('boom ' .. name, 0) end
           end
         end
         make('good') make('bad', true)
         ok, err = pcall(collectgarbage)
         ok = tostring(ok)
         after_error = log
         collectgarbage()",
    );
    assert_eq!(global(&mut vm, "ok"), "false");
    assert_eq!(global(&mut vm, "err"), "boom bad");
    assert_eq!(global(&mut vm, "after_error"), "bad");
    assert_eq!(global(&mut vm, "log"), "badgood");
}

#[test]
fn finalizers_run_at_close_in_reverse_order_of_creation() {
    let mut vm = vm(0);
    run(
        &mut vm,
        "log = ''
         keep = {}
         for i = 1, 3 do
           local u = newproxy(true)
           getmetatable(u).__gc = function() log = log .. i end
           keep[i] = u
         end
         local plain = newproxy(true)
         getmetatable(plain).__gc = function() error('ignored at close') end",
    );
    assert_eq!(global(&mut vm, "log"), "");
    vm.close();
    assert_eq!(global(&mut vm, "log"), "321");
    vm.close();
    assert_eq!(global(&mut vm, "log"), "321", "a second close runs nothing");
}

#[test]
fn weak_values_drop_collected_objects_and_keep_strings() {
    let mut vm = vm(0);
    run(
        &mut vm,
        &(COUNT.to_owned()
            + "local mt = {}
               local t = setmetatable({}, mt)
               local function fill() for i = 1, 5 do t[i] = {} end t.s = 'str' t.n = 1 end
               fill()
               collectgarbage()
               strong = count(t)
               mt.__mode = 'v'
               collectgarbage()
               weak = count(t)"),
    );
    assert_eq!(global(&mut vm, "strong"), "7");
    assert_eq!(global(&mut vm, "weak"), "2", "__mode set later applies");
}

/// Runs the `collectgarbage` checks every collector must pass: "step" (with and without
/// a size) returns a boolean and runs the finalizers it made due; "setstepmul" returns
/// the previous value; unknown options fail with 5.1's message, before the second
/// argument is looked at.
fn check_common_options<G: Collector<LuaModel>>(stress: u32) {
    let mut vm = vm_on::<G>(stress);
    run(
        &mut vm,
        "step_type = type(collectgarbage('step'))
         sized_type = type(collectgarbage('step', 100))
         negative_type = type(collectgarbage('step', -5))
         local finished = false
         for i = 1, 1000 do
           if collectgarbage('step', 1) then finished = true break end
         end
         finished_some_cycle = finished
         first_mul = collectgarbage('setstepmul', 400)
         second_mul = collectgarbage('setstepmul', 200)
         ok, err = pcall(collectgarbage, 'bogus')
         ok = tostring(ok)
         ok2, err2 = pcall(function() return collectgarbage('bogus', {}) end)
         ok3, err3 = pcall(function() return collectgarbage('step', {}) end)
         counted = type(collectgarbage('count'))",
    );
    let name = G::NAME;
    assert_eq!(global(&mut vm, "step_type"), "boolean", "{name}");
    assert_eq!(global(&mut vm, "sized_type"), "boolean", "{name}");
    assert_eq!(global(&mut vm, "negative_type"), "boolean", "{name}");
    assert_eq!(global(&mut vm, "finished_some_cycle"), "true", "{name}");
    assert_eq!(global(&mut vm, "first_mul"), "200", "{name}");
    assert_eq!(global(&mut vm, "second_mul"), "400", "{name}");
    assert_eq!(global(&mut vm, "ok"), "false", "{name}");
    // As lua5.1 prints them: a function called by pcall has no name.
    let expected = "bad argument #1 to '?' (invalid option 'bogus')";
    assert_eq!(global(&mut vm, "err"), expected, "{name}");
    let err2 = global(&mut vm, "err2");
    let expected = "bad argument #1 to 'collectgarbage' (invalid option 'bogus')";
    assert!(
        err2.ends_with(expected),
        "{name}: option checked first: {err2}"
    );
    let err3 = global(&mut vm, "err3");
    let expected = "bad argument #2 to 'collectgarbage' (number expected, got table)";
    assert!(err3.ends_with(expected), "{name}: {err3}");
    assert_eq!(global(&mut vm, "counted"), "number", "{name}");
}

#[test]
fn collectgarbage_step_and_setstepmul_work_under_every_collector() {
    struct CommonOptions(u32);
    impl CollectorVisitor<LuaModel> for CommonOptions {
        fn visit<C: Collector<LuaModel>>(&mut self) {
            check_common_options::<C>(self.0);
        }
    }
    for stress in [0, 1] {
        visit_all(&mut CommonOptions(stress));
    }
}

#[test]
fn collectgarbage_step_runs_the_finalizers_it_made_due() {
    let mut vm = vm(0);
    run(
        &mut vm,
        "calls = 0
         local function make()
           getmetatable(newproxy(true)).__gc = function() calls = calls + 1 end
         end
         make()
         local finished
         repeat finished = collectgarbage('step') until finished
         after_step = calls",
    );
    assert_eq!(global(&mut vm, "after_step"), "1");
}

/// Collectors without modes answer the 5.4 mode switches with nil and keep working.
fn check_modeless<G: Collector<LuaModel>>() {
    let mut vm = vm_on::<G>(0);
    run(
        &mut vm,
        "gen = collectgarbage('generational')
         inc = collectgarbage('incremental')
         gen_type = type(gen)
         inc_type = type(inc)
         local t = {}
         for i = 1, 1000 do t[i] = {i} end
         collectgarbage()
         still = #t",
    );
    let name = G::NAME;
    assert_eq!(global(&mut vm, "gen_type"), "nil", "{name}");
    assert_eq!(global(&mut vm, "inc_type"), "nil", "{name}");
    assert_eq!(global(&mut vm, "still"), "1000", "{name}");
}

#[test]
fn mode_switches_return_nil_under_collectors_without_modes() {
    struct Modeless;
    impl CollectorVisitor<LuaModel> for Modeless {
        fn visit<C: Collector<LuaModel>>(&mut self) {
            if C::MODES.is_empty() {
                check_modeless::<C>();
            }
        }
    }
    visit_all(&mut Modeless);
}

/// A big weak table resized while newgc marks keeps its entries weak: the values only it
/// holds are cleared by that very cycle (a strong big table's resize shades what it
/// moves instead, which would keep them all alive for the cycle). The resize comes at
/// seven points of the cycle, so that it follows the weak table's trace at some.
#[test]
fn a_big_weak_table_resized_during_marking_stays_weak() {
    for mode in ["incremental", "generational"] {
        let mut vm: Lua<NewGc<LuaModel>> = vm_on(0);
        run(
            &mut vm,
            &(COUNT.to_owned()
                + "collectgarbage('"
                + mode
                + "')
                   local live = {}
                   for i = 1, 200000 do live[i] = {i} end
                   collectgarbage()
                   local steps = 0
                   while not collectgarbage('step', 1) do steps = steps + 1 end
                   left = ''
                   for part = 1, 7 do
                     local wt = setmetatable({}, {__mode = 'v'})
                     local keep = {}
                     for i = 1, 4096 do local v = {} keep[i] = v wt['k' .. i] = v end
                     collectgarbage()
                     keep = nil
                     for _ = 1, math.floor(steps * part / 8) do collectgarbage('step', 1) end
                     -- The full hash part rehashes on a new key.
                     wt.extra = false
                     while not collectgarbage('step', 1) do end
                     left = left .. count(wt) .. ' '
                   end"),
        );
        assert_eq!(global(&mut vm, "left"), "1 1 1 1 1 1 1 ", "{mode}");
    }
}

/// Marking and sweeping end even when the program keeps giving them work: writing old
/// tables in turn (each goes back to the SSB as soon as it is traced again), and interning
/// a new string per iteration (the string table pruned after each marking grows as fast).
/// newgc ran a single cycle, or none, on both and its heap grew with every allocation.
#[test]
fn newgc_cycles_end_while_the_program_keeps_feeding_them() {
    let scripts = [
        "local objs = {}
         for i = 1, 1000 do objs[i] = { n = 0 } end
         for i = 1, 1000000 do objs[i % 1000 + 1].last = { i } end",
        "local live = {}
         for i = 1, 1000000 do live[i % 5000] = {i, tostring(i)} end",
    ];
    for mode in [GcMode::Incremental, GcMode::Generational] {
        for script in scripts {
            let config = HeapConfig {
                mode: Some(mode),
                step_deadline: None,
                ..HeapConfig::default()
            };
            let mut vm: Lua<NewGc<LuaModel>> =
                Lua::new(NewGc::new(config), &VmOptions { gc_stress: 0 }).expect("boot");
            run(&mut vm, script);
            let stats = vm.stats();
            assert!(
                stats.cycles >= 4 && stats.peak_heap_bytes < stats.allocated_bytes / 4,
                "{mode:?}: {stats:?}\n{script}"
            );
        }
    }
}

/// A program that stops allocating with a cycle open: steps come at allocations, so
/// without the VM's poll (`Collector::safepoint`, every few thousand calls and loop
/// iterations) the cycle stayed open for good, and every store into an old table paid
/// the barrier's slow path while it did.
#[test]
fn a_cycle_open_when_the_program_stops_allocating_ends_in_its_loops() {
    let cycles_around = |iterations: u32| {
        let config = HeapConfig {
            mode: Some(GcMode::Incremental),
            step_deadline: None,
            ..HeapConfig::default()
        };
        let mut vm: Lua<NewGc<LuaModel>> =
            Lua::new(NewGc::new(config), &VmOptions { gc_stress: 0 }).expect("boot");
        run(
            &mut vm,
            "old = { n = 0 }
             keep = {}
             for i = 1, 60000 do keep[i] = { i } end",
        );
        let before = vm.stats().cycles;
        run(
            &mut vm,
            &format!("for i = 1, {iterations} do old.n = old.n + 1; old.last = keep end"),
        );
        (before, vm.stats().cycles)
    };
    let (before, after) = cycles_around(0);
    assert_eq!(after, before, "the set-up leaves a cycle open");
    let (before, after) = cycles_around(2_000_000);
    assert_eq!(
        after,
        before + 1,
        "the loop ends the open cycle, and starts none"
    );
}
