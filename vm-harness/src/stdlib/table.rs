//! The table library (5.1's `ltablib.c`): insert, remove, concat, sort (5.1's quicksort,
//! so unstable orders match lua5.1), getn, maxn, and the functions 5.1 keeps for
//! compatibility: foreach, foreachi, and setn (which only says it is obsolete).

use gc_core::Collector;

use crate::model::LuaModel;
use crate::object::table::TableRef;
use crate::value::Value;
use crate::vm::{Args, LuaResult, Vm};

/// Registers the `table` table.
pub fn open<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> LuaResult<()> {
    vm.register_lib(
        "table",
        &[
            ("insert", insert),
            ("remove", remove),
            ("concat", concat),
            ("sort", sort),
            ("getn", getn),
            ("maxn", maxn),
            ("setn", setn),
            ("foreach", foreach),
            ("foreachi", foreachi),
        ],
    )?;
    Ok(())
}

fn set<C: Collector<LuaModel>>(vm: &mut Vm<C>, t: TableRef, i: i64, v: Value) -> LuaResult<()> {
    vm.raw_set(t, Value::Number(i as f64), v)
}

fn insert<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    let mut e = t.length() as i64 + 1;
    let pos = match args.n {
        2 => e,
        3 => {
            let pos = vm.check_int(args, 2)?;
            if pos > e {
                e = pos;
            }
            // The last move first: it may grow the array part, which then holds the
            // rest of the shift, moved at once.
            let mut i = e;
            if i > pos {
                let v = t.get_int(i - 1);
                set(vm, t, i, v)?;
                i -= 1;
            }
            let rest = usize::try_from(i - pos).unwrap_or(0);
            if pos < 1 || !t.move_in_array(&mut vm.heap, pos, pos + 1, rest) {
                while i > pos {
                    let v = t.get_int(i - 1);
                    set(vm, t, i, v)?;
                    i -= 1;
                }
            }
            pos
        }
        _ => return Err(vm.native_error("wrong number of arguments to 'insert'")),
    };
    let v = vm.arg(args, args.n - 1);
    set(vm, t, pos, v)?;
    Ok(0)
}

fn remove<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    let e = t.length() as i64;
    let mut pos = vm.opt_int(args, 2, e)?;
    if !(1 <= pos && pos <= e) {
        return Ok(0);
    }
    let result = t.get_int(pos);
    vm.push(result)?;
    let shift = usize::try_from(e - pos).unwrap_or(0);
    if !t.move_in_array(&mut vm.heap, pos + 1, pos, shift) {
        while pos < e {
            let v = t.get_int(pos + 1);
            set(vm, t, pos, v)?;
            pos += 1;
        }
    }
    set(vm, t, e, Value::Nil)?;
    Ok(1)
}

fn concat<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let sep_str = vm.opt_str(args, 2)?;
    let sep = sep_str.as_ref().map_or(&b""[..], |s| s.as_bytes());
    let t = vm.check_table(args, 1)?;
    let first = vm.opt_int(args, 3, 1)?;
    let last = if vm.arg(args, 3).is_nil() {
        t.length() as i64
    } else {
        vm.check_int(args, 4)?
    };
    let mut out = Vec::new();
    let mut i = first;
    while i <= last {
        match t.get_int(i) {
            Value::String(s) => vm.append_buffer(&mut out, s.as_bytes())?,
            Value::Number(n) => vm.append_number(&mut out, n)?,
            other => {
                let msg = format!(
                    "invalid value ({}) at index {i} in table for 'concat'",
                    other.type_name()
                );
                return Err(vm.native_error(&msg));
            }
        }
        if i < last {
            vm.append_buffer(&mut out, sep)?;
        }
        i += 1;
    }
    let s = vm.str_value(&out)?;
    vm.ret1(s)
}

fn setn<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    vm.check_table(args, 1)?;
    Err(vm.native_error("'setn' is obsolete"))
}

/// Argument 2 of `foreach`/`foreachi`: the function to call.
fn check_callback<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<Value> {
    let f = vm.arg(args, 1);
    if !f.is_function() {
        return Err(vm.arg_type_error(args, 2, "function"));
    }
    Ok(f)
}

/// `table.foreach(t, f)`: calls `f(k, v)` for every pair in `next` order and returns
/// the first non-nil result. The key being visited stays in the stack slot above the
/// arguments, so it is rooted while `f` runs.
fn foreach<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    let f = check_callback(vm, args)?;
    let key_slot = args.base + 2;
    vm.set_top(key_slot)?;
    vm.push(Value::Nil)?;
    loop {
        let key = vm.thread().get(key_slot);
        let (k, v) = match t.next(key) {
            Ok(Some(pair)) => pair,
            Ok(None) => return Ok(0),
            Err(_) => return Err(vm.runtime_error("invalid key to 'next'")),
        };
        vm.thread().set(key_slot, k);
        let result = vm.call_value(f, &[k, v])?;
        if !result.is_nil() {
            return vm.ret1(result);
        }
    }
}

/// `table.foreachi(t, f)`: calls `f(i, t[i])` for `i` from 1 to `#t` (taken once, before
/// the first call) and returns the first non-nil result.
fn foreachi<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    let n = t.length();
    let f = check_callback(vm, args)?;
    for i in 1..=n {
        let v = t.get_int(i as i64);
        let result = vm.call_value(f, &[Value::Number(i as f64), v])?;
        if !result.is_nil() {
            return vm.ret1(result);
        }
    }
    Ok(0)
}

fn getn<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    vm.ret1(Value::Number(t.length() as f64))
}

fn maxn<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    let mut max = 0.0f64;
    let mut key = Value::Nil;
    while let Ok(Some((k, _))) = t.next(key) {
        if let Value::Number(n) = k {
            if n > max {
                max = n;
            }
        }
        key = k;
    }
    vm.ret1(Value::Number(max))
}

/// The state of one `table.sort`: the table, the comparator, and the three stack slots
/// that keep the pivot and the two elements being compared rooted.
struct Sorter {
    t: TableRef,
    comp: Value,
    pivot: usize,
    a: usize,
    b: usize,
}

fn sort<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    let n = t.length() as i64;
    let comp = vm.arg(args, 1);
    if !comp.is_nil() && !comp.is_function() {
        return Err(vm.arg_type_error(args, 2, "function"));
    }
    vm.set_top(args.base + 2)?;
    let slots = vm.top();
    vm.set_top(slots + 3)?;
    let s = Sorter {
        t,
        comp,
        pivot: slots,
        a: slots + 1,
        b: slots + 2,
    };
    aux_sort(vm, &s, 1, n)?;
    Ok(0)
}

fn less<C: Collector<LuaModel>>(vm: &mut Vm<C>, s: &Sorter, x: Value, y: Value) -> LuaResult<bool> {
    if s.comp.is_nil() {
        vm.less_than(x, y)
    } else {
        Ok(vm.call_value(s.comp, &[x, y])?.truthy())
    }
}

/// 5.1's `auxsort`, element for element.
fn aux_sort<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    s: &Sorter,
    mut l: i64,
    mut u: i64,
) -> LuaResult<()> {
    let th = vm.thread();
    let t = s.t;
    while l < u {
        let (al, au) = (t.get_int(l), t.get_int(u));
        if less(vm, s, au, al)? {
            set(vm, t, l, au)?;
            set(vm, t, u, al)?;
        }
        if u - l == 1 {
            break;
        }
        let mut i = (l + u) / 2;
        let (ai, al) = (t.get_int(i), t.get_int(l));
        if less(vm, s, ai, al)? {
            set(vm, t, i, al)?;
            set(vm, t, l, ai)?;
        } else {
            let au = t.get_int(u);
            if less(vm, s, au, ai)? {
                set(vm, t, i, au)?;
                set(vm, t, u, ai)?;
            }
        }
        if u - l == 2 {
            break;
        }
        let p = t.get_int(i);
        th.set(s.pivot, p);
        let au1 = t.get_int(u - 1);
        set(vm, t, i, au1)?;
        set(vm, t, u - 1, p)?;
        i = l;
        let mut j = u - 1;
        loop {
            loop {
                i += 1;
                let ai = t.get_int(i);
                th.set(s.a, ai);
                if !less(vm, s, ai, th.get(s.pivot))? {
                    break;
                }
                if i > u {
                    return Err(vm.native_error("invalid order function for sorting"));
                }
            }
            loop {
                j -= 1;
                let aj = t.get_int(j);
                th.set(s.b, aj);
                if !less(vm, s, th.get(s.pivot), aj)? {
                    break;
                }
                if j < l {
                    return Err(vm.native_error("invalid order function for sorting"));
                }
            }
            if j < i {
                break;
            }
            let (ai, aj) = (th.get(s.a), th.get(s.b));
            set(vm, t, i, aj)?;
            set(vm, t, j, ai)?;
        }
        let (au1, ai) = (t.get_int(u - 1), t.get_int(i));
        set(vm, t, u - 1, ai)?;
        set(vm, t, i, au1)?;
        let (lo, hi);
        if i - l < u - i {
            lo = l;
            hi = i - 1;
            l = i + 1;
        } else {
            lo = i + 1;
            hi = u;
            u = i - 1;
        }
        aux_sort(vm, s, lo, hi)?;
    }
    Ok(())
}
