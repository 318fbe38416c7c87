//! The math library (5.1's `lmathlib.c`); `random` uses a deterministic xorshift64*
//! generator of ours, so runs are reproducible. `ldexp`, `frexp`, `modf` and `fmod` are
//! the `libm` crate's exact versions of C's: signed zeros and results near the ends of
//! the exponent range come out as lua5.1's.

use gc_core::Collector;

use crate::model::LuaModel;
use crate::value::Value;
use crate::vm::{Args, LuaResult, NativeFn, Vm};

/// Registers the `math` table.
pub fn open<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> LuaResult<()> {
    let funcs: &[(&str, NativeFn<C>)] = &[
        ("abs", |vm, a| unary(vm, a, f64::abs)),
        ("ceil", |vm, a| unary(vm, a, f64::ceil)),
        ("floor", |vm, a| unary(vm, a, f64::floor)),
        ("sqrt", |vm, a| unary(vm, a, f64::sqrt)),
        ("sin", |vm, a| unary(vm, a, f64::sin)),
        ("cos", |vm, a| unary(vm, a, f64::cos)),
        ("tan", |vm, a| unary(vm, a, f64::tan)),
        ("asin", |vm, a| unary(vm, a, f64::asin)),
        ("acos", |vm, a| unary(vm, a, f64::acos)),
        ("atan", |vm, a| unary(vm, a, f64::atan)),
        ("sinh", |vm, a| unary(vm, a, f64::sinh)),
        ("cosh", |vm, a| unary(vm, a, f64::cosh)),
        ("tanh", |vm, a| unary(vm, a, f64::tanh)),
        ("exp", |vm, a| unary(vm, a, f64::exp)),
        ("log", |vm, a| unary(vm, a, f64::ln)),
        ("log10", |vm, a| unary(vm, a, f64::log10)),
        ("deg", |vm, a| {
            unary(vm, a, |x| x * (180.0 / std::f64::consts::PI))
        }),
        ("rad", |vm, a| {
            unary(vm, a, |x| x * (std::f64::consts::PI / 180.0))
        }),
        ("atan2", |vm, a| binary(vm, a, f64::atan2)),
        ("pow", |vm, a| binary(vm, a, f64::powf)),
        ("fmod", |vm, a| binary(vm, a, libm::fmod)),
        ("ldexp", ldexp),
        ("frexp", frexp),
        ("modf", modf),
        ("min", min),
        ("max", max),
        ("random", random),
        ("randomseed", randomseed),
    ];
    let t = vm.register_lib("math", funcs)?;
    vm.set_field(t, "pi", Value::Number(std::f64::consts::PI))?;
    vm.set_field(t, "huge", Value::Number(f64::INFINITY))?;
    let modf_fn = vm.get_field(t, "fmod")?;
    vm.set_field(t, "mod", modf_fn)?;
    Ok(())
}

fn unary<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    args: Args,
    f: fn(f64) -> f64,
) -> LuaResult<usize> {
    let x = vm.check_number(args, 1)?;
    vm.ret1(Value::Number(f(x)))
}

fn binary<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    args: Args,
    f: fn(f64, f64) -> f64,
) -> LuaResult<usize> {
    let x = vm.check_number(args, 1)?;
    let y = vm.check_number(args, 2)?;
    vm.ret1(Value::Number(f(x, y)))
}

fn ldexp<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let m = vm.check_number(args, 1)?;
    let e = vm.check_int(args, 2)?;
    vm.ret1(Value::Number(libm::ldexp(m, e as i32)))
}

fn frexp<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let x = vm.check_number(args, 1)?;
    let (m, e) = libm::frexp(x);
    vm.push(Value::Number(m))?;
    vm.push(Value::Number(f64::from(e)))?;
    Ok(2)
}

fn modf<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let x = vm.check_number(args, 1)?;
    let (fraction, integral) = libm::modf(x);
    vm.push(Value::Number(integral))?;
    vm.push(Value::Number(fraction))?;
    Ok(2)
}

fn min<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let mut m = vm.check_number(args, 1)?;
    for i in 2..=args.n {
        let x = vm.check_number(args, i)?;
        if x < m {
            m = x;
        }
    }
    vm.ret1(Value::Number(m))
}

fn max<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let mut m = vm.check_number(args, 1)?;
    for i in 2..=args.n {
        let x = vm.check_number(args, i)?;
        if x > m {
            m = x;
        }
    }
    vm.ret1(Value::Number(m))
}

/// The next number in [0, 1) from the VM's xorshift64* state.
fn next_random<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> f64 {
    let mut x = vm.rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    vm.rng = x;
    (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
}

fn random<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let r = next_random(vm);
    let v = match args.n {
        0 => r,
        1 => {
            let u = vm.check_int(args, 1)?;
            if u < 1 {
                return Err(vm.arg_error(1, "interval is empty"));
            }
            (r * u as f64).floor() + 1.0
        }
        2 => {
            let l = vm.check_int(args, 1)?;
            let u = vm.check_int(args, 2)?;
            if l > u {
                return Err(vm.arg_error(2, "interval is empty"));
            }
            // 5.1 computes the width in C `int`, which wraps for the widest intervals.
            let width = (u as i32).wrapping_sub(l as i32).wrapping_add(1);
            (r * f64::from(width)).floor() + l as f64
        }
        _ => return Err(vm.native_error("wrong number of arguments")),
    };
    vm.ret1(Value::Number(v))
}

fn randomseed<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let seed = vm.check_int(args, 1)?;
    vm.rng = (seed as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    Ok(0)
}
