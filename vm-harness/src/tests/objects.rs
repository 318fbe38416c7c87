//! Unit tests of the heap objects through a real VM: tables (array and hash parts,
//! rehash, borders, traversal order, keys packed in nodes) and strings (interning, pruning after collection).

use crate::compiler::CompileOptions;
use crate::model::LuaModel;
use crate::object::table::TableRef;
use crate::value::Value;
use crate::vm::{Vm, VmOptions};
use gc_core::collectors::Stw;
use gc_core::{Collector, HeapConfig};

fn vm() -> Vm<Stw<LuaModel>> {
    Vm::new(Stw::new(HeapConfig::default()), &VmOptions { gc_stress: 0 }).expect("boot")
}

fn num(n: i64) -> Value {
    Value::Number(n as f64)
}

/// A table kept alive in the VM's temporary roots.
fn rooted_table(vm: &mut Vm<Stw<LuaModel>>, narray: usize, nhash: usize) -> TableRef {
    let t = vm.new_table(narray, nhash).expect("table");
    vm.roots.temps.push(Value::Table(t));
    t
}

/// A rooted empty table whose metatable's `__mode` is `mode`.
fn rooted_weak_table(vm: &mut Vm<Stw<LuaModel>>, mode: &[u8]) -> TableRef {
    let mt = rooted_table(vm, 0, 0);
    let mode = vm.str_value(mode).expect("memory");
    vm.set_field(mt, "__mode", mode).unwrap();
    let weak = rooted_table(vm, 0, 0);
    weak.set_metatable(&mut vm.heap, Some(mt));
    weak
}

fn keys_in_order(t: TableRef) -> Vec<String> {
    let mut out = Vec::new();
    let mut key = Value::Nil;
    while let Some((k, _)) = t.next(key).expect("valid key") {
        out.push(format!("{k:?}"));
        key = k;
    }
    out
}

#[test]
fn integer_keys_fill_the_array_part() {
    let mut vm = vm();
    let t = rooted_table(&mut vm, 0, 0);
    for i in 1..=100 {
        vm.raw_set(t, num(i), num(i * 10)).unwrap();
    }
    assert!(t.array_size() >= 100, "array part {}", t.array_size());
    assert!(t.hash_size() < 8, "hash part {}", t.hash_size());
    assert_eq!(t.length(), 100);
    for i in 1..=100 {
        assert!(t.get_int(i).raw_eq(num(i * 10)));
    }
    assert!(t.get_int(101).is_nil());
    assert!(t.get_int(0).is_nil());
}

#[test]
fn string_keys_live_in_the_hash_part_and_survive_rehashes() {
    let mut vm = vm();
    let t = rooted_table(&mut vm, 0, 0);
    let mut keys = Vec::new();
    for i in 0..1000 {
        let k = vm.str_value(format!("key{i}").as_bytes()).unwrap();
        vm.roots.temps.push(k);
        keys.push(k);
        vm.raw_set(t, k, num(i)).unwrap();
        vm.heap.gc.collect(&mut vm.roots);
    }
    assert_eq!(t.array_size(), 0);
    assert!(t.hash_size() >= 1000);
    for (i, k) in keys.iter().enumerate() {
        let Value::String(s) = *k else { unreachable!() };
        assert!(t.get_str(s).raw_eq(num(i as i64)));
    }
    vm.heap.gc.verify(&mut vm.roots).expect("heap verifies");
}

#[test]
fn a_table_without_a_hash_part_reports_5_1s_dummy_node() {
    let mut vm = vm();
    let t = rooted_table(&mut vm, 2, 0);
    // One node: the value's and the key's payload words, their tags and the chain link.
    assert_eq!(t.shared_bytes_traversed(), 24);
    let k = vm.str_value(b"key").unwrap();
    vm.raw_set(t, k, num(1)).unwrap();
    assert_eq!(t.shared_bytes_traversed(), 0);
}

#[test]
fn border_of_a_table_with_a_hash_tail() {
    let mut vm = vm();
    let t = rooted_table(&mut vm, 0, 0);
    for i in (1..=20).rev() {
        vm.raw_set(t, num(i), Value::Boolean(true)).unwrap();
    }
    let n = t.length() as i64;
    assert_eq!(n, 20);
    vm.raw_set(t, num(21), Value::Boolean(true)).unwrap();
    vm.raw_set(t, num(10), Value::Nil).unwrap();
    let n = t.length() as i64;
    assert!(!t.get_int(n).is_nil() || n == 0, "t[{n}] is nil");
    assert!(t.get_int(n + 1).is_nil(), "t[{}] is not nil", n + 1);
}

#[test]
fn float_nan_and_nil_keys() {
    let mut vm = vm();
    let t = rooted_table(&mut vm, 0, 0);
    vm.raw_set(t, Value::Number(1.5), num(1)).unwrap();
    assert!(t.get(Value::Number(1.5)).raw_eq(num(1)));
    assert!(vm.raw_set(t, Value::Nil, num(1)).is_err());
    assert!(vm.raw_set(t, Value::Number(f64::NAN), num(1)).is_err());
}

#[test]
fn traversal_order_is_stable_under_assignment_to_existing_keys() {
    let mut vm = vm();
    let t = rooted_table(&mut vm, 0, 0);
    for i in 0..50 {
        let k = vm.str_value(format!("k{i}").as_bytes()).unwrap();
        vm.raw_set(t, k, num(i)).unwrap();
        vm.raw_set(t, num(i + 1), num(i)).unwrap();
    }
    let before = keys_in_order(t);
    let mut seen = Vec::new();
    let mut key = Value::Nil;
    while let Some((k, v)) = t.next(key).unwrap() {
        let Value::Number(n) = v else { unreachable!() };
        vm.raw_set(t, k, Value::Number(n + 1000.0)).unwrap();
        seen.push(format!("{k:?}"));
        key = k;
    }
    assert_eq!(seen, before);
    assert_eq!(keys_in_order(t), before);
}

#[test]
fn clearing_entries_during_traversal_visits_each_once() {
    let mut vm = vm();
    let t = rooted_table(&mut vm, 0, 0);
    for i in 0..200 {
        let k = vm.str_value(format!("x{i}").as_bytes()).unwrap();
        vm.raw_set(t, k, num(i)).unwrap();
        vm.raw_set(t, num(i + 1), num(i)).unwrap();
    }
    let mut visited = 0;
    let mut key = Value::Nil;
    while let Some((k, _)) = t.next(key).unwrap() {
        vm.raw_set(t, k, Value::Nil).unwrap();
        vm.heap.gc.collect(&mut vm.roots);
        visited += 1;
        key = k;
    }
    assert_eq!(visited, 400);
    assert!(t.next(Value::Nil).unwrap().is_none());
    assert_eq!(t.length(), 0);
}

#[test]
fn next_rejects_keys_that_are_not_in_the_table() {
    let mut vm = vm();
    let t = rooted_table(&mut vm, 0, 0);
    vm.raw_set(t, num(1), num(1)).unwrap();
    let k = vm.str_value(b"absent").unwrap();
    assert!(t.next(k).is_err());
}

#[test]
fn equal_strings_are_interned_once() {
    let mut vm = vm();
    let a = vm.str_value(b"hello world").unwrap();
    vm.roots.temps.push(a);
    let b = vm.str_value(b"hello world").unwrap();
    let c = vm.str_value(b"hello worle").unwrap();
    assert!(a.raw_eq(b));
    assert!(!a.raw_eq(c));
    let Value::String(s) = a else { unreachable!() };
    assert_eq!(s.as_bytes(), b"hello world");
    let bytes = vm.str_value(b"a\0b\xff").unwrap();
    let Value::String(s) = bytes else {
        unreachable!()
    };
    assert_eq!(s.as_bytes(), b"a\0b\xff");
}

#[test]
fn dead_strings_are_pruned_from_the_intern_table() {
    let mut vm = vm();
    vm.heap.gc.collect(&mut vm.roots);
    let baseline = vm.roots.strings.interned();
    let kept = vm.str_value(b"kept string").unwrap();
    vm.roots.temps.push(kept);
    for i in 0..1000 {
        vm.str_value(format!("garbage {i}").as_bytes()).unwrap();
    }
    assert_eq!(vm.roots.strings.interned(), baseline + 1001);
    vm.heap.gc.collect(&mut vm.roots);
    assert_eq!(vm.roots.strings.interned(), baseline + 1);
    let again = vm.str_value(b"kept string").unwrap();
    assert!(again.raw_eq(kept));
    let fresh = vm.str_value(b"garbage 7").unwrap();
    let Value::String(s) = fresh else {
        unreachable!()
    };
    assert_eq!(s.as_bytes(), b"garbage 7");
    vm.heap.gc.verify(&mut vm.roots).expect("heap verifies");
}

/// The intern table grows by moving its strings to twice the slots and prunes them in
/// place: every string is found again, the same block, across growths and a prune of
/// half of them, and the table holds fewer than 16/7 slots per string (it grows at 7/8
/// full), shrinking when most die.
#[test]
fn the_intern_table_finds_every_string_across_growth_and_pruning() {
    let mut vm = vm();
    let n = 20_000;
    let mut kept = Vec::new();
    for i in 0..n {
        let s = vm.str_value(format!("s{i}").as_bytes()).unwrap();
        if i % 2 == 0 {
            vm.roots.temps.push(s);
            kept.push(s);
        }
    }
    let strings = &vm.roots.strings;
    assert!(
        7 * strings.slots() < 16 * strings.interned(),
        "one growth too many"
    );
    vm.heap.gc.collect(&mut vm.roots);
    for (i, s) in kept.iter().enumerate() {
        let again = vm.str_value(format!("s{}", 2 * i).as_bytes()).unwrap();
        assert!(again.raw_eq(*s), "string s{} found again", 2 * i);
    }
    let dead = vm.roots.strings.interned();
    for i in (1..n).step_by(2) {
        vm.str_value(format!("s{i}").as_bytes()).unwrap();
    }
    assert_eq!(
        vm.roots.strings.interned(),
        dead + n / 2,
        "the pruned half was new"
    );
    vm.roots.temps.clear();
    let slots = vm.roots.strings.slots();
    vm.heap.gc.collect(&mut vm.roots);
    assert_eq!(
        vm.roots.strings.slots(),
        slots / 2,
        "a table left a quarter full is halved"
    );
    for i in 0..n {
        vm.str_value(format!("s{i}").as_bytes()).unwrap();
    }
    vm.heap.gc.verify(&mut vm.roots).expect("heap verifies");
}

/// Strings a test declares dead, every other one live.
struct AllBut(std::collections::HashSet<gc_core::ObjectRef>);

impl gc_core::Liveness for AllBut {
    fn is_live(&self, obj: gc_core::ObjectRef) -> bool {
        !self.0.contains(&obj)
    }
}

/// Interns the strings `bytes(i)` for `i` below `n`, rooting those `keep` picks: returns
/// them by index, and a liveness that calls the others dead.
fn intern_keeping(
    vm: &mut Vm<Stw<LuaModel>>,
    n: usize,
    bytes: impl Fn(usize) -> Vec<u8>,
    keep: impl Fn(usize) -> bool,
) -> (Vec<(usize, Value)>, AllBut) {
    let (mut kept, mut dead) = (Vec::new(), std::collections::HashSet::new());
    for i in 0..n {
        let s = vm.str_value(&bytes(i)).unwrap();
        let Value::String(string) = s else {
            unreachable!()
        };
        if keep(i) {
            vm.roots.temps.push(s);
            kept.push((i, s));
        } else {
            dead.insert(string.0);
        }
    }
    (kept, AllBut(dead))
}

/// A prune that leaves the intern table a quarter full halves it in steps of the prune's
/// budget, not in one relinking of every string: meanwhile every live string is found
/// again (moved or not yet) and new ones go in.
#[test]
fn the_intern_table_halves_in_steps_finding_every_string_meanwhile() {
    let mut vm = vm();
    let (kept, liveness) = intern_keeping(
        &mut vm,
        20_000,
        |i| format!("h{i}").into_bytes(),
        |i| i % 16 == 0,
    );
    let slots = vm.roots.strings.slots();
    let budget = 64;
    let mut calls = 0;
    while !vm.roots.strings.prune_some(&liveness, calls == 0, budget) {
        calls += 1;
        if calls % 16 == 0 {
            let (i, s) = kept[calls % kept.len()];
            let again = vm.str_value(format!("h{i}").as_bytes()).unwrap();
            assert!(again.raw_eq(s), "h{i} found again after {calls} steps");
            let fresh = vm.str_value(format!("fresh{calls}").as_bytes()).unwrap();
            let found = vm.str_value(format!("fresh{calls}").as_bytes()).unwrap();
            assert!(fresh.raw_eq(found), "a string added meanwhile is found");
        }
    }
    assert!(
        calls + 1 >= (slots + slots / 2) / budget,
        "pruned and halved in steps of {budget} slots: {calls} steps for {slots}"
    );
    assert_eq!(vm.roots.strings.slots(), slots / 2);
    for (i, s) in kept {
        let again = vm.str_value(format!("h{i}").as_bytes()).unwrap();
        assert!(again.raw_eq(s), "h{i} found again once halved");
    }
}

/// Strings of one hash (64 bytes: 5.1's hash skips bytes 61 and 62) whose home is the
/// table's last slot (in any table up to 2^16 slots): their run of slots wraps around to its start and is longer than a
/// slot's distance field holds. Pruned in steps of a few slots, half of them dead, with
/// strings looked up and added between steps, every live one is found again, the same
/// block, and the dead ones are gone. The run goes in one step, from its first dead
/// string on (its live strings packed back once, not moved back once per dead one), the
/// rest of the table in steps.
#[test]
fn the_intern_table_prunes_a_wrapping_run_of_one_hash_in_steps() {
    use crate::object::string::{hash_bytes, home_slot};
    let variant = |prefix: &[u8], i: usize| {
        let mut bytes = prefix.to_vec();
        bytes[61] = (i % 256) as u8;
        bytes[62] = (i / 256) as u8;
        bytes
    };
    let prefix = (0..)
        .map(|i: u64| format!("{:016x}", i.wrapping_mul(0x9e37_79b9_7f4a_7c15)).repeat(4))
        .map(String::into_bytes)
        .find(|bytes| home_slot(hash_bytes(bytes), 1 << 16) == 0xffff)
        .expect("a string whose home is the last slot of any table up to 2^16 slots");
    let hash = hash_bytes(&prefix);
    let mut vm = vm();
    let n = 3000;
    let (kept, liveness) = intern_keeping(
        &mut vm,
        n,
        |i| {
            let bytes = variant(&prefix, i);
            assert_eq!(
                hash_bytes(&bytes),
                hash,
                "variant {i} has the prefix's hash"
            );
            bytes
        },
        |i| i % 2 == 0,
    );
    assert!(
        vm.roots.strings.slots() <= 1 << 16,
        "the run's home is the last slot"
    );
    let interned = vm.roots.strings.interned();
    let mut calls = 0;
    let mut fresh = Vec::new();
    while !vm.roots.strings.prune_some(&liveness, calls == 0, 7) {
        calls += 1;
        if calls % 8 == 0 {
            let (i, s) = kept[(calls / 8 * 37) % kept.len()];
            let again = vm.str_value(&variant(&prefix, i)).unwrap();
            assert!(
                again.raw_eq(s),
                "variant {i} found again after {calls} steps"
            );
            let new = vm.str_value(format!("fresh {calls}").as_bytes()).unwrap();
            vm.roots.temps.push(new);
            fresh.push((calls, new));
        }
    }
    assert!(
        calls > 1 && calls < n / 7,
        "the run in one step, the rest in steps: {calls} for {n} strings"
    );
    let left = interned - n / 2 + fresh.len();
    assert_eq!(vm.roots.strings.interned(), left, "the dead half is gone");
    for (i, s) in kept {
        let again = vm.str_value(&variant(&prefix, i)).unwrap();
        assert!(again.raw_eq(s), "variant {i} found again once pruned");
    }
    for (calls, s) in fresh {
        let again = vm.str_value(format!("fresh {calls}").as_bytes()).unwrap();
        assert!(
            again.raw_eq(s),
            "the string added after step {calls} found again"
        );
    }
    assert_eq!(vm.roots.strings.interned(), left, "nothing interned twice");
}

/// A table made with a small array size hint keeps its array part inside the table
/// object: this takes one from there to a smaller part, back, and out to a leaf block,
/// under GC stress, with objects reachable only through the array slots.
#[test]
fn small_array_parts_move_from_inline_to_a_block_intact() {
    let mut vm =
        Vm::new(Stw::new(HeapConfig::default()), &VmOptions { gc_stress: 1 }).expect("boot");
    let t = rooted_table(&mut vm, 3, 0);
    assert_eq!(t.array_size(), 3);
    let item = |i: i64| match t.get_int(i) {
        Value::Table(x) => x.get_int(1),
        _ => Value::Nil,
    };
    let store_item = |vm: &mut Vm<Stw<LuaModel>>, i: i64| {
        let x = vm.new_table(0, 0).unwrap();
        vm.raw_set(t, num(i), Value::Table(x)).unwrap();
        vm.raw_set(x, num(1), num(i * 10)).unwrap();
    };
    for i in 1..=3 {
        store_item(&mut vm, i);
    }
    vm.heap.gc.collect(&mut vm.roots);
    assert_eq!(t.length(), 3);
    assert!((1..=3).all(|i| item(i).raw_eq(num(i * 10))));

    // The first hash key rehashes the table, which keeps only t[1] in the array part.
    vm.raw_set(t, num(2), Value::Nil).unwrap();
    vm.raw_set(t, num(3), Value::Nil).unwrap();
    let k = vm.str_value(b"k").unwrap();
    vm.raw_set(t, k, num(0)).unwrap();
    assert_eq!(t.array_size(), 1);
    assert!(item(1).raw_eq(num(10)));
    t.resize_array(&mut vm.heap, &mut vm.roots, 3).unwrap();
    assert_eq!(t.array_size(), 3);
    assert!(t.get_int(2).is_nil() && t.get_int(3).is_nil());

    for i in 2..=20 {
        store_item(&mut vm, i);
    }
    assert!(t.array_size() >= 20, "array part {}", t.array_size());
    vm.heap.gc.collect(&mut vm.roots);
    vm.heap.gc.verify(&mut vm.roots).expect("heap verifies");
    assert_eq!(t.length(), 20);
    assert!((1..=20).all(|i| item(i).raw_eq(num(i * 10))));
    let order: Vec<String> = (1..=20).map(|i| format!("{:?}", num(i))).collect();
    assert_eq!(keys_in_order(t)[..20], order[..]);
}

/// A fresh table's inline slots read nil even in cells a dead table's values filled:
/// the sweep leaves a freed block's bytes as they were, so `TableRef::new` must write them.
#[test]
fn fresh_inline_slots_are_nil_in_reused_cells() {
    let mut vm = vm();
    let mut dead = std::collections::HashSet::new();
    for narray in 1..=8 {
        for _ in 0..200 {
            let t = vm.new_table(narray, 0).unwrap();
            for i in 1..=narray as i64 {
                vm.raw_set(t, num(i), num(i)).unwrap();
            }
            dead.insert(t.0.as_ptr().addr());
        }
    }
    vm.heap.gc.collect(&mut vm.roots);
    let mut reused = 0;
    for narray in 1..=8 {
        for _ in 0..200 {
            let t = rooted_table(&mut vm, narray, 0);
            reused += usize::from(dead.contains(&t.0.as_ptr().addr()));
            assert_eq!(t.array_size(), narray);
            assert!((1..=narray as i64).all(|i| t.get_int(i).is_nil()));
            assert!(t.next(Value::Nil).expect("valid key").is_none());
        }
    }
    assert!(reused > 0, "no dead table's cells were reused");
}

/// A constructor sizes its array part for its list items and stores each where it
/// belongs: one `SETLIST` (inline slots), several (more than 50 items), and a multiple
/// result at the end, under GC stress on the incremental collector.
#[test]
fn constructors_fill_array_parts_sized_to_their_items() {
    let config = HeapConfig {
        step_deadline: None,
        ..HeapConfig::default()
    };
    let mut vm = Vm::new(
        gc_core::collectors::NewGc::new(config),
        &VmOptions { gc_stress: 3 },
    )
    .expect("boot");
    let long: Vec<String> = (1..=120).map(|i| format!("{{{i}}}")).collect();
    let source = format!(
        "local function many(n) local t = {{}} for i = 1, n do t[i] = {{i}} end \
         return unpack(t) end
         S = {{7, 'x', false}}
         L = {{{}}}
         M = {{1, 2, many(70)}}
         H = {{1, 2, k = 3, 4}}",
        long.join(", ")
    );
    let chunk = vm
        .load(source.as_bytes(), "=ctors", CompileOptions::default())
        .expect("memory")
        .expect("compiles");
    vm.run_function(chunk, &[]).expect("runs");
    let globals = vm.roots.globals;
    let global = |vm: &mut Vm<_>, name| match vm.get_field(globals, name).expect("memory") {
        Value::Table(t) => t,
        other => panic!("{name} is {other:?}"),
    };
    let item = |t: TableRef, i: i64| match t.get_int(i) {
        Value::Table(x) => x.get_int(1),
        other => other,
    };

    let s = global(&mut vm, "S");
    assert_eq!((s.array_size(), s.hash_size()), (3, 0));
    assert!(s.get_int(1).raw_eq(num(7)) && s.get_int(3).raw_eq(Value::Boolean(false)));
    assert!(matches!(s.get_int(2), Value::String(x) if x.as_bytes() == b"x"));

    let l = global(&mut vm, "L");
    assert_eq!((l.array_size(), l.hash_size(), l.length()), (120, 0, 120));
    assert!((1..=120).all(|i| item(l, i).raw_eq(num(i))));

    let m = global(&mut vm, "M");
    assert_eq!((m.array_size(), m.length()), (72, 72));
    assert!(m.get_int(1).raw_eq(num(1)) && m.get_int(2).raw_eq(num(2)));
    assert!((1..=70).all(|i| item(m, i + 2).raw_eq(num(i))));

    let h = global(&mut vm, "H");
    assert_eq!((h.array_size(), h.length()), (3, 3));
    assert!((1..=3).all(|i| h.get_int(i).raw_eq(num(if i < 3 { i } else { 4 }))));
    vm.heap.gc.verify(&mut vm.roots).expect("heap verifies");
}

/// Whether two values have the same words: the same type and bits (a zero's sign too).
fn same_bits(a: Value, b: Value) -> bool {
    a.words() == b.words()
}

#[test]
fn every_key_type_round_trips_through_a_node() {
    let mut vm = vm();
    let source = b"K = {newproxy(), coroutine.create(function() end), function() end, print, {}}";
    let chunk = vm
        .load(source, "=keys", CompileOptions::default())
        .expect("memory")
        .expect("compiles");
    vm.run_function(chunk, &[]).expect("runs");
    let globals = vm.roots.globals;
    let Value::Table(objects) = vm.get_field(globals, "K").expect("memory") else {
        panic!("K is a table");
    };
    let mut keys = vec![Value::Boolean(false), Value::Boolean(true)];
    keys.extend(
        [
            -0.0,
            0.5,
            -3.0,
            9007199254740993.0,
            1e300,
            f64::MAX,
            f64::MIN_POSITIVE / 4.0,
            -1.5e-300,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ]
        .map(Value::Number),
    );
    for s in [&b""[..], b"key", b"a longer string key"] {
        keys.push(vm.str_value(s).expect("memory"));
    }
    keys.extend((1..=5).map(|i| objects.get_int(i)));
    keys.push(Value::Thread(vm.thread()));
    assert!(keys.iter().all(|k| !k.is_nil()));

    let t = rooted_table(&mut vm, 0, 0);
    for (i, &k) in keys.iter().enumerate() {
        vm.raw_set(t, k, num(i as i64)).unwrap();
    }
    assert_eq!(t.array_size(), 0);
    for (i, &k) in keys.iter().enumerate() {
        assert!(t.get(k).raw_eq(num(i as i64)), "t[{k:?}]");
    }
    let mut seen = vec![false; keys.len()];
    let mut key = Value::Nil;
    while let Some((k, v)) = t.next(key).expect("valid key") {
        let Value::Number(i) = v else {
            panic!("value {v:?}")
        };
        let i = i as usize;
        assert!(same_bits(k, keys[i]), "{k:?} came back as {:?}", keys[i]);
        assert!(!seen[i], "{k:?} twice");
        seen[i] = true;
        key = k;
    }
    assert!(seen.iter().all(|&s| s));
    // -0.0 and 0.0 are the same key, as in Lua.
    assert!(t.get(Value::Number(0.0)).raw_eq(num(2)));

    // Every type of value too: each one stored under itself and under a string key
    // comes back with its bits by `get`, `next` and `read_str_into`.
    let u = rooted_table(&mut vm, 0, 0);
    let name = |vm: &mut Vm<_>, i: usize| vm.str_value(format!("v{i}").as_bytes()).expect("memory");
    for (i, &k) in keys.iter().enumerate() {
        vm.raw_set(t, k, k).unwrap();
        let s = name(&mut vm, i);
        vm.raw_set(u, s, k).unwrap();
    }
    assert_eq!(u.array_size(), 0);
    let mut visited = 0;
    let mut key = Value::Nil;
    while let Some((k, v)) = t.next(key).expect("valid key") {
        assert!(same_bits(k, v), "{k:?} holds {v:?}");
        visited += 1;
        key = k;
    }
    assert_eq!(visited, keys.len());
    for (i, &k) in keys.iter().enumerate() {
        assert!(same_bits(t.get(k), k), "t[{k:?}]");
        let Value::String(s) = name(&mut vm, i) else {
            panic!("a string")
        };
        assert!(same_bits(u.get_str(s), k), "u.v{i}");
        let mut slot = Value::Nil;
        // SAFETY: a local value.
        assert!(unsafe { u.read_str_into(s, &mut slot) }, "u.v{i} read");
        assert!(same_bits(slot, k), "u.v{i} read as {slot:?}");
    }
    // A removed entry's value is nil, which `read_str_into` does not copy.
    let removed = name(&mut vm, 0);
    vm.raw_set(u, removed, Value::Nil).unwrap();
    let Value::String(removed) = removed else {
        panic!("a string")
    };
    let mut slot = num(7);
    // SAFETY: a local value.
    assert!(!unsafe { u.read_str_into(removed, &mut slot) });
    assert!(u.get_str(removed).is_nil() && slot.raw_eq(num(7)));
}

#[test]
fn dead_keys_stay_in_their_nodes_after_a_collection() {
    let mut vm = vm();
    let weak = rooted_weak_table(&mut vm, b"k");
    let keep = rooted_table(&mut vm, 0, 0);
    let mut kept = Vec::new();
    for i in 0..64 {
        let k = Value::Table(vm.new_table(0, 0).expect("memory"));
        vm.roots.temps.push(k);
        vm.raw_set(weak, k, num(i)).unwrap();
        if i % 2 == 0 {
            vm.raw_set(keep, num(i / 2 + 1), k).unwrap();
            kept.push((k, i));
        }
        vm.roots.temps.pop();
    }
    let nodes = weak.hash_size();
    vm.heap.gc.collect(&mut vm.roots);
    // The cleared entries keep their (dead) keys: the node part has not shrunk, and
    // traversal, lookups and new keys step over them.
    assert_eq!(weak.hash_size(), nodes);
    let mut visited = 0;
    let mut key = Value::Nil;
    while let Some((k, v)) = weak.next(key).expect("valid key") {
        let Value::Number(i) = v else {
            panic!("value {v:?}")
        };
        assert_eq!(i % 2.0, 0.0, "entry {i} of a dead key");
        assert!(same_bits(keep.get_int(i as i64 / 2 + 1), k));
        visited += 1;
        key = k;
    }
    assert_eq!(visited, kept.len());
    for &(k, i) in &kept {
        assert!(weak.get(k).raw_eq(num(i)));
    }
    for i in 100..110 {
        let s = vm.str_value(format!("new {i}").as_bytes()).expect("memory");
        vm.raw_set(weak, s, num(i)).unwrap();
        assert!(weak.get(s).raw_eq(num(i)));
    }
    for &(k, i) in &kept {
        assert!(weak.get(k).raw_eq(num(i)));
    }

    // Weak values: the entries of dead values lose their values and keep their keys,
    // whose nodes a new store under the same key takes again.
    let weak = rooted_weak_table(&mut vm, b"v");
    let name = |vm: &mut Vm<_>, i: i64| vm.str_value(format!("w{i}").as_bytes()).expect("memory");
    let mut kept = Vec::new();
    for i in 0..64 {
        let v = Value::Table(vm.new_table(0, 0).expect("memory"));
        vm.roots.temps.push(v);
        let k = name(&mut vm, i);
        // The keys stay alive: strings are no weak references, but one that only a
        // cleared entry holds may be freed and made again at another address.
        vm.raw_set(keep, num(200 + i), k).unwrap();
        vm.raw_set(weak, k, v).unwrap();
        if i % 2 == 0 {
            vm.raw_set(keep, num(100 + i), v).unwrap();
            kept.push((i, v));
        }
        vm.roots.temps.pop();
    }
    let nodes = weak.hash_size();
    vm.heap.gc.collect(&mut vm.roots);
    assert_eq!(weak.hash_size(), nodes);
    let mut visited = 0;
    let mut key = Value::Nil;
    while let Some((k, v)) = weak.next(key).expect("valid key") {
        assert!(kept
            .iter()
            .any(|&(i, kv)| same_bits(kv, v) && same_bits(name(&mut vm, i), k)));
        visited += 1;
        key = k;
    }
    assert_eq!(visited, kept.len());
    for i in (1..64).step_by(2) {
        let k = name(&mut vm, i);
        assert!(weak.get(k).is_nil(), "w{i}");
        vm.raw_set(weak, k, num(i)).unwrap();
        assert!(weak.get(k).raw_eq(num(i)));
    }
    assert_eq!(weak.hash_size(), nodes);
    for &(i, v) in &kept {
        let k = name(&mut vm, i);
        assert!(same_bits(weak.get(k), v), "w{i}");
    }
    vm.heap.gc.verify(&mut vm.roots).expect("heap verifies");
}
