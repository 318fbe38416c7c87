//! A write-barrier audit of the VM (the invariants in `crate::heap`): every store of
//! a reference into a heap object outside a stack runs a barrier on it first, after the
//! last allocation before the store, and every store that overwrites a reference reports
//! it to the pre-write barrier.
//!
//! [`BarrierCheck`] wraps `stw` and plays an incremental collector at its most hostile:
//! every allocation (and every explicit collection or step) is the end of an increment
//! that has traced, and so blackened, every reachable object. At the next such point it
//! traces them all again: an object that is not the running stack, was black and was not
//! given to the write barrier since, must not hold a reference it did not hold when it
//! was blackened (a suspended coroutine's stack included: see `LuaModel::is_stack`). A
//! real incremental collector would have left that target white and freed it. On big
//! heaps the check skips a pseudo-random number of allocations between points, so its
//! cost per allocation stays bounded.
//!
//! The same points check the pre-write barrier, for snapshot-at-the-beginning collectors:
//! a strong object that is not a stack and held a reference at the last point, and holds
//! it no more, must have reported it to `write_barrier_pre` since (stacks are exempt from
//! that barrier).

use std::collections::{HashMap, HashSet};

use crate::compiler::CompileOptions;
use crate::model::LuaModel;
use crate::object::table::TableRef;
use crate::object::thread::ThreadRef;
use crate::value::Value;
use crate::vm::{Vm, VmOptions};
use gc_core::collectors::Stw;
use gc_core::verify::VerifyError;
use gc_core::{Collector, GcMode, HeapConfig, ObjectModel, ObjectRef, OutOfMemory, Roots};
use gc_core::{Stats, Tracer, Weakness};

/// Collects the references a trace reports.
struct Push<'a>(&'a mut Vec<ObjectRef>);

impl Tracer for Push<'_> {
    fn mark(&mut self, obj: ObjectRef) {
        self.0.push(obj);
    }
}

/// `stw`, plus the barrier check described in the module docs.
struct BarrierCheck {
    inner: Stw<LuaModel>,
    /// Traversable blocks by address (leaf blocks reusing an address leave the set).
    objects: HashSet<ObjectRef>,
    /// The black objects: their references, sorted, when they were blackened.
    black: HashMap<ObjectRef, Vec<ObjectRef>>,
    /// Objects given to the write barrier since the last check.
    barriered: HashSet<ObjectRef>,
    /// The references each object reported to the pre-write barrier since the last check.
    deleted: HashMap<ObjectRef, HashSet<ObjectRef>>,
    /// Allocations until the next check.
    countdown: u64,
    rng: u64,
    /// Checks done, and what they found.
    checks: u64,
    violations: Vec<String>,
}

fn kind_name(kind: u8) -> &'static str {
    match kind {
        1 => "table",
        2 => "Lua closure",
        3 => "native closure",
        4 => "upvalue",
        5 => "prototype",
        6 => "userdata",
        7 => "thread",
        _ => "?",
    }
}

impl BarrierCheck {
    fn describe(&self, obj: ObjectRef) -> &'static str {
        if self.objects.contains(&obj) {
            // SAFETY: a traversable block reached from the roots just now.
            kind_name(unsafe { obj.header() }.kind())
        } else {
            "leaf block"
        }
    }

    /// The check, then every reachable object is black.
    fn checkpoint<R: Roots>(&mut self, roots: &mut R) {
        self.checks += 1;
        let mut pending = Vec::new();
        roots.trace_roots(&mut Push(&mut pending));
        let running = roots.running_stacks().to_vec();
        let mut seen = HashSet::new();
        let mut black = HashMap::new();
        while let Some(obj) = pending.pop() {
            if !seen.insert(obj) || !self.objects.contains(&obj) {
                continue;
            }
            let mut children = Vec::new();
            // SAFETY: a live traversable object, reachable from the roots.
            unsafe { LuaModel::trace(obj, &mut Push(&mut children)) };
            children.sort();
            children.dedup();
            pending.extend(children.iter().copied());
            // The running stack is blackened but not checked: it is written unbarriered.
            let before = self.black.get(&obj).filter(|_| !running.contains(&obj));
            if let Some(before) = before {
                // SAFETY: as above.
                let strong = unsafe {
                    LuaModel::weakness(obj) == Weakness::Strong && !LuaModel::is_stack(obj)
                };
                let reported = self.deleted.get(&obj);
                for &c in before {
                    let kept = children.binary_search(&c).is_ok();
                    if strong
                        && !kept
                        && !reported.is_some_and(|r| r.contains(&c))
                        && self.violations.len() < 20
                    {
                        let msg = format!(
                            "check {}: {} {:?} dropped its reference to a {} {:?} without \
                             the pre-write barrier",
                            self.checks,
                            self.describe(obj),
                            obj,
                            self.describe(c),
                            c
                        );
                        self.violations.push(msg);
                    }
                }
                if !self.barriered.contains(&obj) {
                    for &c in &children {
                        if before.binary_search(&c).is_err() && self.violations.len() < 20 {
                            let msg = format!(
                                "check {}: black {} {:?} got a reference to a {} {:?} \
                                 without the write barrier",
                                self.checks,
                                self.describe(obj),
                                obj,
                                self.describe(c),
                                c
                            );
                            self.violations.push(msg);
                        }
                    }
                }
            }
            black.insert(obj, children);
        }
        // On big heaps, check about every (objects / 2048)-th allocation, at random.
        let spread = (black.len() as u64 / 2048).max(1);
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.countdown = if spread == 1 {
            1
        } else {
            1 + self.rng % (2 * spread)
        };
        self.black = black;
        self.barriered.clear();
        self.deleted.clear();
    }

    fn before_allocation<R: Roots>(&mut self, roots: &mut R) {
        self.countdown -= 1;
        if self.countdown == 0 {
            self.checkpoint(roots);
        }
    }

    fn allocated(&mut self, obj: ObjectRef, traversable: bool) {
        self.black.remove(&obj);
        self.barriered.remove(&obj);
        self.deleted.remove(&obj);
        if traversable {
            self.objects.insert(obj);
        } else {
            self.objects.remove(&obj);
        }
    }
}

impl Collector<LuaModel> for BarrierCheck {
    const NAME: &'static str = "barrier-check";
    const DESCRIPTION: &'static str = "stw, recording every barrier to check the VM calls it";

    fn new(config: HeapConfig) -> Self {
        BarrierCheck {
            inner: Stw::new(config),
            objects: HashSet::new(),
            black: HashMap::new(),
            barriered: HashSet::new(),
            deleted: HashMap::new(),
            countdown: 1,
            rng: 0x9e37_79b9_7f4a_7c15,
            checks: 0,
            violations: Vec::new(),
        }
    }

    fn alloc_object<R: Roots>(
        &mut self,
        kind: u8,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        self.before_allocation(roots);
        let obj = self.inner.alloc_object(kind, bytes, roots)?;
        self.allocated(obj, true);
        Ok(obj)
    }

    fn alloc_leaf<R: Roots>(
        &mut self,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        self.before_allocation(roots);
        let obj = self.inner.alloc_leaf(bytes, roots)?;
        self.allocated(obj, false);
        Ok(obj)
    }

    unsafe fn write_barrier(&mut self, obj: ObjectRef) {
        self.barriered.insert(obj);
    }

    unsafe fn write_barrier_pre(&mut self, obj: ObjectRef, _slot: *const u8, old: ObjectRef) {
        self.deleted.entry(obj).or_default().insert(old);
    }

    fn safepoint<R: Roots>(&mut self, roots: &mut R) {
        self.checkpoint(roots);
        self.inner.safepoint(roots);
    }

    fn collect<R: Roots>(&mut self, roots: &mut R) {
        self.checkpoint(roots);
        self.inner.collect(roots);
    }

    fn step<R: Roots>(&mut self, roots: &mut R, kbytes: usize) -> bool {
        self.checkpoint(roots);
        self.inner.step(roots, kbytes)
    }

    fn set_stepmul(&mut self, percent: u32) {
        self.inner.set_stepmul(percent);
    }

    fn set_mode(&mut self, mode: GcMode) -> Option<GcMode> {
        self.inner.set_mode(mode)
    }

    fn stress_step<R: Roots>(&mut self, roots: &mut R) -> Result<(), VerifyError> {
        self.checkpoint(roots);
        self.inner.stress_step(roots)
    }

    unsafe fn register_finalizer(&mut self, obj: ObjectRef) {
        // SAFETY: forwarded from the caller.
        unsafe { self.inner.register_finalizer(obj) };
    }

    fn take_pending_finalizers(&mut self) -> Vec<ObjectRef> {
        self.inner.take_pending_finalizers()
    }

    fn take_all_finalizers(&mut self) -> Vec<ObjectRef> {
        self.inner.take_all_finalizers()
    }

    fn set_pause(&mut self, percent: u32) {
        self.inner.set_pause(percent);
    }

    fn set_auto_collect(&mut self, enabled: bool) {
        self.inner.set_auto_collect(enabled);
    }

    fn set_heap_limit(&mut self, limit: Option<usize>) {
        self.inner.set_heap_limit(limit);
    }

    fn heap_limit(&self) -> Option<usize> {
        self.inner.heap_limit()
    }

    fn stats(&self) -> Stats {
        self.inner.stats()
    }

    fn contains(&self, obj: ObjectRef) -> bool {
        self.inner.contains(obj)
    }

    fn verify<R: Roots>(&mut self, roots: &mut R) -> Result<(), VerifyError> {
        self.inner.verify(roots)
    }
}

/// Runs `code` on a VM over [`BarrierCheck`] (whose `stw` collects from 256 KB on, so
/// freed addresses get reused); returns the checks done and the violations found.
fn audit(code: &str) -> (u64, Vec<String>) {
    let config = HeapConfig {
        min_trigger_bytes: 256 << 10,
        ..HeapConfig::default()
    };
    let mut vm = Vm::new(BarrierCheck::new(config), &VmOptions { gc_stress: 0 }).expect("boot");
    let options = CompileOptions {
        skip_shebang: false,
        c_call_depth: 1,
    };
    let f = vm
        .load(code.as_bytes(), "=audit", options)
        .expect("load")
        .expect("compile");
    vm.run_function(f, &[]).expect("run");
    vm.close();
    (
        vm.heap.gc.checks,
        std::mem::take(&mut vm.heap.gc.violations),
    )
}

fn assert_clean(what: &str, code: &str) {
    let (checks, violations) = audit(code);
    assert!(checks > 100, "{what}: only {checks} checks");
    assert!(
        violations.is_empty(),
        "{what}: {} missing barriers:\n{}",
        violations.len(),
        violations.join("\n")
    );
}

#[test]
fn table_stores_and_resizes_run_the_barrier() {
    assert_clean(
        "tables",
        "local keep = {}
         for round = 1, 3 do
           local t = {}
           for i = 1, 300 do t[i] = {i} end              -- array part grows
           for i = 1, 300 do t['k' .. i] = {} end        -- hash part grows
           for i = 1, 300 do t[i] = nil end
           for i = 1, 50 do t[i * 1.5] = 'v' .. i end     -- array part shrinks
           t[{}] = function() return i end
           rawset(t, 'raw' .. round, {})
           keep[round] = t
         end
         local list = {}
         for i = 1, 200 do table.insert(list, 1, {i}) end
         for i = 1, 100 do table.remove(list, 1) end
         for i = 1, 100 do table.insert(list, 'x' .. i) end
         table.sort(list, function(a, b) return tostring(a) < tostring(b) end)
         local ctor = {1, 2, 3, {}, 'a' .. 1, {}, n = {}, [{}] = {}}
         local function many(...) return {...} end
         local big = many(unpack(list))
         local mt = {__index = function(t, k) return k .. '!' end}
         for i = 1, 100 do
           local t = setmetatable({}, mt)
           t[i] = t[i .. '']
           setmetatable(t, {__newindex = keep})
           t['n' .. i] = {}
         end
         _G['global' .. 1] = {}
         for i = 1, 200 do _G['g' .. i] = {i} end",
    );
}

#[test]
fn constructor_stores_run_the_barrier() {
    let items: Vec<String> = (1..=120).map(|i| format!("{{{i}}}, 's{i}' .. i")).collect();
    assert_clean(
        "constructors",
        &format!(
            "local keep = {{}}
             local function many(...) return {{...}} end
             for i = 1, 40 do
               keep[i] = {{{}}}
               keep[i + 40] = many(unpack(keep[i]))
               keep[i + 80] = {{{{i}}, 'a' .. i, {{}}, many({{}}, {{}})}}
             end",
            items.join(", ")
        ),
    );
}

#[test]
fn closure_upvalue_and_environment_stores_run_the_barrier() {
    assert_clean(
        "closures",
        "local fns = {}
         for i = 1, 200 do
           local a, b = {}, 'up' .. i
           fns[i] = function() a = {b} b = b .. '!' return a, b end
           fns[i]()
         end
         for i = 1, 200 do fns[i]() end                  -- closed upvalues set
         local function counter()
           local n = {}
           return function() n = {n} return n end
         end
         local c = counter()
         for i = 1, 200 do c() end
         for i = 1, 50 do
           local f = loadstring('x = {} return x')
           setfenv(f, {})
           f()
         end
         for w in string.gmatch(string.rep('word ', 200), '%a+') do fns[#fns + 1] = w .. 1 end",
    );
}

#[test]
fn loaded_prototypes_run_the_barrier() {
    assert_clean(
        "prototypes",
        "for i = 1, 30 do
           local src = 'local a, b, c = ' .. i .. ', \"s' .. i .. '\", {} ' ..
             'local function f(x) local y = \"k' .. i .. '\" ' ..
             'return function() return x, y end end ' ..
             'return f(\"p' .. i .. '\"), function(...) return select(\"#\", ...) end'
           local f = assert(loadstring(src, 'chunk' .. i))
           local g = f()
           g()
         end",
    );
}

#[test]
fn coroutine_and_userdata_stores_run_the_barrier() {
    assert_clean(
        "coroutines and userdata",
        "local cos = {}
         for i = 1, 50 do
           local co = coroutine.create(function(a)
             local t = {a}
             for j = 1, 5 do t = {t, coroutine.yield(t)} end
             return t
           end)
           cos[i] = co
           coroutine.resume(co, {i})
         end
         for j = 1, 6 do
           for i = 1, 50 do coroutine.resume(cos[i], {j}) end
         end
         local gen = coroutine.wrap(function() for i = 1, 100 do coroutine.yield({i}) end end)
         for i = 1, 100 do gen() end
         local proxies = {}
         for i = 1, 50 do
           local u = newproxy(true)
           getmetatable(u).__index = {i}
           proxies[i] = newproxy(u)
         end
         for i = 1, 3 do collectgarbage('step') collectgarbage() end",
    );
}

#[test]
fn suspended_stacks_take_the_barrier() {
    // Stores into the stack of a coroutine that is not running: resume's arguments, an
    // open upvalue of its frame set from the main thread, `debug.setlocal`, the function
    // of a new coroutine; and the stacks of coroutines that stop running.
    assert_clean(
        "suspended stacks",
        "local cos, setters = {}, {}
         for i = 1, 60 do
           local co = coroutine.create(function(a)
             local x = a
             setters[i] = function(v) x = v end
             while true do
               local got = coroutine.yield(x)
               x = {got, x}
             end
           end)
           cos[i] = co
           coroutine.resume(co, {i})
         end
         for round = 1, 4 do
           for i = 1, 60 do
             setters[i]({round, i})
             debug.setlocal(cos[i], 1, 2, {i, round})
             local fresh = {round}
             coroutine.resume(cos[i], fresh)
           end
         end
         local outer = coroutine.wrap(function()
           local inner = coroutine.wrap(function()
             for i = 1, 100 do coroutine.yield({i}) end
           end)
           for i = 1, 100 do coroutine.yield({inner()}) end
         end)
         for i = 1, 100 do outer() end",
    );
}

/// A VM over [`BarrierCheck`] holding (rooted) an empty table with room in its hash part
/// and two more tables to store into it.
fn audited_holder_and_two_tables() -> (Vm<BarrierCheck>, TableRef, TableRef, TableRef) {
    let mut vm = Vm::new(
        BarrierCheck::new(HeapConfig::default()),
        &VmOptions { gc_stress: 0 },
    )
    .expect("boot");
    let holder = vm.new_table(0, 4).expect("table");
    vm.roots.temps.push(Value::Table(holder));
    let b = vm.new_table(0, 0).expect("table");
    let c = vm.new_table(0, 0).expect("table");
    vm.roots.temps.extend([Value::Table(b), Value::Table(c)]);
    (vm, holder, b, c)
}

/// Collects (a check point) and asserts what the check reported: nothing, or one
/// violation mentioning `expected`.
fn check_reports(vm: &mut Vm<BarrierCheck>, expected: Option<&str>) {
    vm.heap.gc.collect(&mut vm.roots);
    let violations = &vm.heap.gc.violations;
    match expected {
        None => assert!(violations.is_empty(), "{violations:?}"),
        Some(text) => assert!(
            violations.len() == 1 && violations[0].contains(text),
            "{violations:?}"
        ),
    }
}

#[test]
fn a_missing_barrier_is_caught() {
    // The check must be able to fail: a barriered store passes, the same store with the
    // barrier's record erased (as if it had been skipped) is reported.
    let (mut vm, holder, b, c) = audited_holder_and_two_tables();
    vm.heap.gc.collect(&mut vm.roots);
    // The hash part has room: these stores allocate nothing.
    vm.raw_set(holder, Value::Boolean(true), Value::Table(b))
        .expect("set");
    check_reports(&mut vm, None);
    vm.raw_set(holder, Value::Boolean(false), Value::Table(c))
        .expect("set");
    vm.heap.gc.barriered.clear();
    check_reports(&mut vm, Some("black table"));
}

#[test]
fn a_store_into_a_suspended_stack_without_the_barrier_is_caught() {
    // The running thread's stack is exempt, another thread's is not.
    let (mut vm, _, b, c) = audited_holder_and_two_tables();
    let co = ThreadRef::new(&mut vm.heap, &mut vm.roots).expect("thread");
    vm.roots.temps.push(Value::Thread(co));
    vm.heap.gc.collect(&mut vm.roots);
    let main = vm.thread();
    let top = main.top();
    main.set(top, Value::Table(b));
    main.set_top(top + 1);
    vm.heap.barrier(co.0);
    co.set(0, Value::Table(b));
    co.set_top(1);
    check_reports(&mut vm, None);
    co.set(1, Value::Table(c));
    co.set_top(2);
    check_reports(&mut vm, Some("black thread"));
}

#[test]
fn a_missing_pre_write_barrier_is_caught() {
    // As above for the pre-write barrier: overwriting a reference reports it; the same
    // overwrite with the report erased is caught.
    let (mut vm, holder, b, c) = audited_holder_and_two_tables();
    vm.raw_set(holder, Value::Boolean(true), Value::Table(b))
        .expect("set");
    vm.raw_set(holder, Value::Boolean(false), Value::Table(c))
        .expect("set");
    vm.heap.gc.collect(&mut vm.roots);
    vm.raw_set(holder, Value::Boolean(true), Value::Nil)
        .expect("set");
    check_reports(&mut vm, None);
    vm.raw_set(holder, Value::Boolean(false), Value::Nil)
        .expect("set");
    vm.heap.gc.deleted.clear();
    check_reports(&mut vm, Some("without the pre-write barrier"));
}

/// Output the corpus scripts would print, swallowed (their results are `corpus.rs`'s
/// business), and no reading from the test's standard input.
const QUIET: &str = "print = function() end
    io.write = function() return io.stdout end
    getmetatable(io.stdout).write = function(self) return self end
    io.read = function() return nil end";

#[test]
fn corpus_scripts_run_the_barrier() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lua");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("corpus directory")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".lua").map(str::to_owned)
        })
        .collect();
    names.sort();
    // dofile and require find their files relative to the corpus directory; no other
    // test of this binary depends on the working directory.
    std::env::set_current_dir(&dir).expect("cd corpus");
    let mut failures = Vec::new();
    let mut checks = 0;
    for name in &names {
        let config = HeapConfig {
            min_trigger_bytes: 256 << 10,
            ..HeapConfig::default()
        };
        let mut vm = Vm::new(BarrierCheck::new(config), &VmOptions { gc_stress: 0 }).expect("boot");
        let options = CompileOptions {
            skip_shebang: false,
            c_call_depth: 1,
        };
        let quiet = vm
            .load(QUIET.as_bytes(), "=quiet", options)
            .expect("load")
            .expect("compile");
        vm.run_function(quiet, &[]).expect("quiet");
        // Scripts that end in an error (their `.expected_err`) still audit what ran.
        if let Ok(Ok(f)) = vm.load_file(&format!("{name}.lua")) {
            let _ = vm.run_function(f, &[]);
        }
        vm.close();
        checks += vm.heap.gc.checks;
        for v in std::mem::take(&mut vm.heap.gc.violations) {
            failures.push(format!("{name}: {v}"));
        }
    }
    assert!(checks > 10_000, "only {checks} checks");
    assert!(
        failures.is_empty(),
        "{} missing barriers:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
