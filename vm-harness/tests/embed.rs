//! The public embedding API, as outside code sees it: chunks in, owned values and
//! messages out.

use gc_core::collectors::{visit_all, CollectorVisitor};
use gc_core::Collector;
use gc_core::HeapConfig;
use vm_harness::model::LuaModel;
use vm_harness::{Lua, LuaError, LuaValue, VmOptions};

fn lua<C: Collector<LuaModel>>(gc_stress: u32) -> Lua<C> {
    Lua::new(C::new(HeapConfig::default()), &VmOptions { gc_stress }).expect("boot")
}

/// Results and globals leave the VM as copies, also when a collection runs between the
/// chunk's return and the next read (under GC stress every allocation collects).
fn check_values<C: Collector<LuaModel>>() {
    for stress in [0, 1] {
        let mut lua = lua::<C>(stress);
        let results = lua
            .run(
                b"name = 'luagc' .. 5.1 return 6 * 7, nil, true, 'a\\0b', {}, print",
                "=values",
            )
            .expect("runs");
        assert_eq!(
            results,
            [
                LuaValue::Number(42.0),
                LuaValue::Nil,
                LuaValue::Boolean(true),
                LuaValue::String(b"a\0b".to_vec()),
                LuaValue::Object("table"),
                LuaValue::Object("function"),
            ],
            "{} stress {stress}",
            C::NAME
        );
        lua.run(
            b"collectgarbage() local t = {} for i = 1, 1000 do t[i] = {i} end",
            "=churn",
        )
        .expect("runs");
        assert_eq!(
            lua.global("name"),
            Ok(LuaValue::String(b"luagc5.1".to_vec())),
            "{}",
            C::NAME
        );
        assert_eq!(lua.global("undefined"), Ok(LuaValue::Nil));
    }
}

#[test]
fn values_are_copied_out_under_every_collector() {
    struct Values;
    impl CollectorVisitor<LuaModel> for Values {
        fn visit<C: Collector<LuaModel>>(&mut self) {
            check_values::<C>();
        }
    }
    visit_all(&mut Values);
}

#[test]
fn load_and_run_errors_are_told_apart() {
    let mut lua = lua::<gc_core::collectors::Stw<LuaModel>>(0);
    assert_eq!(
        lua.run(b"return +", "=bad"),
        Err(LuaError::Load(
            "bad:1: unexpected symbol near '+'".to_owned()
        ))
    );
    assert_eq!(
        lua.run(b"local t = nil\nreturn t.x", "=bad"),
        Err(LuaError::Run(
            "bad:2: attempt to index local 't' (a nil value)".to_owned()
        ))
    );
    assert_eq!(
        lua.run(b"error({})", "=bad"),
        Err(LuaError::Run("(error object is not a string)".to_owned()))
    );
    assert_eq!(
        lua.run(b"return 1", "=good"),
        Ok(vec![LuaValue::Number(1.0)])
    );
}

#[test]
fn the_instruction_budget_bounds_a_run() {
    let mut lua = lua::<gc_core::collectors::Stw<LuaModel>>(0);
    lua.set_instruction_budget(Some(1_000));
    let error = lua.run(b"while true do end", "=endless").unwrap_err();
    assert!(
        error.to_string().contains("instruction budget exhausted"),
        "{error}"
    );
    lua.set_instruction_budget(None);
    assert_eq!(
        lua.run(b"return 2", "=after"),
        Ok(vec![LuaValue::Number(2.0)])
    );
}

/// A budget of N runs exactly as many loop iterations whether or not N crosses the
/// points where the budget's countdown is refilled (and the collector polled).
#[test]
fn the_instruction_budget_is_exact_across_refills() {
    for budget in [1_000u64, 4_095, 4_096, 4_097, 10_000, 3 * 4_096 + 1] {
        let mut lua = lua::<gc_core::collectors::Stw<LuaModel>>(0);
        lua.set_instruction_budget(Some(budget));
        let error = lua
            .run(b"n = 0 while true do n = n + 1 end", "=endless")
            .unwrap_err();
        assert!(error.to_string().contains("budget exhausted"), "{error}");
        lua.set_instruction_budget(None);
        // One charge enters the chunk, one per loop iteration; the last iteration's
        // increment runs before its charge fails.
        assert_eq!(
            lua.global("n"),
            Ok(LuaValue::Number(budget as f64)),
            "budget {budget}"
        );
    }
}
