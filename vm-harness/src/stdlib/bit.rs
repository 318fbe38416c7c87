//! LuaJIT's `bit` module (LuaBitOp semantics): 32-bit operations on numbers normalised
//! to signed 32-bit integers, loaded as a global and in `package.loaded`.

use gc_core::Collector;

use crate::model::LuaModel;
use crate::value::Value;
use crate::vm::{Args, LuaResult, NativeFn, Vm};

/// Registers the `bit` table.
pub fn open<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> LuaResult<()> {
    let funcs: &[(&str, NativeFn<C>)] = &[
        ("tobit", |vm, a| unary(vm, a, |x| x)),
        ("bnot", |vm, a| unary(vm, a, |x| !x)),
        ("bswap", |vm, a| unary(vm, a, u32::swap_bytes)),
        ("band", |vm, a| fold(vm, a, |x, y| x & y)),
        ("bor", |vm, a| fold(vm, a, |x, y| x | y)),
        ("bxor", |vm, a| fold(vm, a, |x, y| x ^ y)),
        ("lshift", |vm, a| shift(vm, a, |x, n| x << n)),
        ("rshift", |vm, a| shift(vm, a, |x, n| x >> n)),
        ("arshift", |vm, a| {
            shift(vm, a, |x, n| ((x as i32) >> n) as u32)
        }),
        ("rol", |vm, a| shift(vm, a, u32::rotate_left)),
        ("ror", |vm, a| shift(vm, a, u32::rotate_right)),
        ("tohex", tohex),
    ];
    vm.register_lib("bit", funcs)?;
    Ok(())
}

/// LuaBitOp's `barg`: the low 32 bits of the number rounded to an integer (the
/// 2^52 + 2^51 addition trick, so rounding is to nearest even).
fn to_bits(n: f64) -> u32 {
    (n + 6_755_399_441_055_744.0).to_bits() as u32
}

fn check_bits<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args, i: usize) -> LuaResult<u32> {
    vm.check_number(args, i).map(to_bits)
}

fn result(x: u32) -> Value {
    Value::Number(f64::from(x as i32))
}

fn unary<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    args: Args,
    f: fn(u32) -> u32,
) -> LuaResult<usize> {
    let x = check_bits(vm, args, 1)?;
    vm.ret1(result(f(x)))
}

fn fold<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    args: Args,
    f: fn(u32, u32) -> u32,
) -> LuaResult<usize> {
    let mut x = check_bits(vm, args, 1)?;
    for i in 2..=args.n {
        let y = check_bits(vm, args, i)?;
        x = f(x, y);
    }
    vm.ret1(result(x))
}

fn shift<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    args: Args,
    f: fn(u32, u32) -> u32,
) -> LuaResult<usize> {
    let x = check_bits(vm, args, 1)?;
    let n = check_bits(vm, args, 2)? & 31;
    vm.ret1(result(f(x, n)))
}

fn tohex<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let x = check_bits(vm, args, 1)?;
    let n = if vm.arg(args, 1).is_nil() {
        8
    } else {
        check_bits(vm, args, 2)? as i32
    };
    // A negative width asks for upper case. -2^31 has no negation: LuaBitOp's C
    // overflows there, and LuaJIT answers the empty string, as this does.
    let (n, digits): (i32, &[u8]) = if n < 0 {
        (n.checked_neg().unwrap_or(0), b"0123456789ABCDEF")
    } else {
        (n, b"0123456789abcdef")
    };
    let n = n.min(8) as usize;
    let mut buf = [0u8; 8];
    let out = &mut buf[..n];
    let mut y = x;
    for slot in out.iter_mut().rev() {
        *slot = digits[(y & 15) as usize];
        y >>= 4;
    }
    let s = vm.str_value(out)?;
    vm.ret1(s)
}
