//! `io.read` and `file:read` (5.1's `g_read`): one value per format — `*l` a line,
//! `*a` the rest of the file, `*n` a number as `fscanf("%lf")` reads it, a count that
//! many bytes (0: whether the file has more) — stopping at the first that fails, which
//! yields nil. A read error gives the error triple instead.

use gc_core::Collector;

use super::stream::Stream;
use super::{push_error, STDIN};
use crate::model::LuaModel;
use crate::value::Value;
use crate::vm::{Args, LuaResult, Vm};

/// What one format read.
enum Outcome {
    Bytes(Vec<u8>),
    Number(f64),
    Failed,
}

/// Before waiting for a person at a terminal, shows what standard output holds, as
/// glibc flushes line-buffered output before reading a line-buffered input.
pub(super) fn flush_before_input<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> std::io::Result<()> {
    if vm.stdin.is_line_buffered() && vm.stdout.is_line_buffered() {
        vm.stdout.flush()?;
    }
    Ok(())
}

/// Reads the formats at arguments `first..` from the stream of `tag` (open).
pub(super) fn read_formats<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    tag: u64,
    args: Args,
    first: usize,
) -> LuaResult<usize> {
    if tag == STDIN {
        if let Err(e) = flush_before_input(vm) {
            return push_error(vm, &e, None);
        }
    }
    let last = args.n.max(first);
    vm.check_stack(last - first + crate::vm::MIN_STACK)?;
    let mut count = 0;
    for i in first..=last {
        let format = vm.arg(args, i - 1);
        let outcome = match format {
            Value::Nil if args.n < first => read_one(vm, tag, Format::Line),
            Value::Number(n) => {
                let count = crate::convert::c_long(n) as usize;
                read_one(vm, tag, Format::Count(count))
            }
            Value::String(s) if s.as_bytes().first() == Some(&b'*') => {
                let format = match s.as_bytes().get(1) {
                    Some(b'n') => Format::Number,
                    Some(b'l') => Format::Line,
                    Some(b'a') => Format::All,
                    _ => return Err(vm.arg_error(i, "invalid format")),
                };
                read_one(vm, tag, format)
            }
            _ => return Err(vm.arg_error(i, "invalid option")),
        };
        count += 1;
        let value = match outcome {
            Ok(Outcome::Bytes(bytes)) => vm.str_value(&bytes)?,
            Ok(Outcome::Number(n)) => Value::Number(n),
            Ok(Outcome::Failed) => Value::Nil,
            Err(e) if e.kind() == std::io::ErrorKind::OutOfMemory => return Err(vm.out_of_memory()),
            Err(e) => return push_error(vm, &e, None),
        };
        vm.push(value)?;
        if value.is_nil() {
            break;
        }
    }
    Ok(count)
}

/// A format of `read`.
#[derive(Copy, Clone)]
enum Format {
    Line,
    All,
    Number,
    Count(usize),
}

fn read_one<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    tag: u64,
    format: Format,
) -> std::io::Result<Outcome> {
    let limit = vm.buffer_limit();
    let Some(stream) = vm.stream(tag) else {
        return Ok(Outcome::Failed);
    };
    let mut bytes = Vec::new();
    let ok = match format {
        Format::Line => stream.read_line(&mut bytes, limit)?,
        Format::All => {
            stream.read_to_end(&mut bytes, limit)?;
            true
        }
        Format::Count(0) => stream.peek()?.is_some(),
        Format::Count(n) => stream.read_up_to(n, &mut bytes, limit)? > 0,
        Format::Number => return Ok(scan_number(stream)?.map_or(Outcome::Failed, Outcome::Number)),
    };
    Ok(if ok {
        Outcome::Bytes(bytes)
    } else {
        Outcome::Failed
    })
}

/// C's `isspace` in the C locale.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// The longest numeral `read("*n")` reads: an endless one must not grow without bound,
/// and no number needs more digits.
const MAX_NUMERAL: usize = 200;

/// Consumes the next byte into `text` if `accept` takes it and the numeral is not at its
/// longest.
fn take(
    stream: &mut Stream,
    text: &mut Vec<u8>,
    accept: impl Fn(u8) -> bool,
) -> std::io::Result<bool> {
    if text.len() >= MAX_NUMERAL {
        return Ok(false);
    }
    match stream.peek()? {
        Some(b) if accept(b) => {
            stream.consume(1);
            text.push(b);
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// Consumes bytes into `text` while `accept` takes them; returns how many.
fn take_while(
    stream: &mut Stream,
    text: &mut Vec<u8>,
    accept: impl Fn(u8) -> bool,
) -> std::io::Result<usize> {
    let mut n = 0;
    while take(stream, text, &accept)? {
        n += 1;
    }
    Ok(n)
}

/// Consumes as much of `word` (case-insensitive) as comes next; whether all of it came.
fn take_word(stream: &mut Stream, text: &mut Vec<u8>, word: &[u8]) -> std::io::Result<bool> {
    for &w in word {
        if !take(stream, text, |b| b.eq_ignore_ascii_case(&w))? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Reads a number as `fscanf(f, "%lf")` does: skips white space, then consumes the
/// longest prefix of a decimal or hexadecimal floating constant, `inf`, `infinity` or
/// `nan` (bytes consumed by a failed match are lost, as with C's one-byte pushback).
fn scan_number(stream: &mut Stream) -> std::io::Result<Option<f64>> {
    while stream.peek()?.is_some_and(is_space) {
        stream.consume(1);
    }
    let mut text = Vec::new();
    let negative = take(stream, &mut text, |b| b == b'-' || b == b'+')? && text[0] == b'-';
    let sign = if negative { -1.0 } else { 1.0 };
    let digits_start = text.len();
    if take(stream, &mut text, |b| b.eq_ignore_ascii_case(&b'i'))? {
        if !take_word(stream, &mut text, b"nf")? {
            return Ok(None);
        }
        if take(stream, &mut text, |b| b.eq_ignore_ascii_case(&b'i'))?
            && !take_word(stream, &mut text, b"nity")?
        {
            return Ok(None);
        }
        return Ok(Some(sign * f64::INFINITY));
    }
    if take(stream, &mut text, |b| b.eq_ignore_ascii_case(&b'n'))? {
        return Ok(take_word(stream, &mut text, b"an")?.then_some(f64::NAN));
    }
    let zero = take(stream, &mut text, |b| b == b'0')?;
    if zero && take(stream, &mut text, |b| b == b'x' || b == b'X')? {
        return scan_hex(stream, sign);
    }
    let mut digits = usize::from(zero) + take_while(stream, &mut text, |b| b.is_ascii_digit())?;
    if take(stream, &mut text, |b| b == b'.')? {
        digits += take_while(stream, &mut text, |b| b.is_ascii_digit())?;
    }
    if digits == 0 {
        return Ok(None);
    }
    let mantissa_end = text.len();
    if take(stream, &mut text, |b| b == b'e' || b == b'E')? {
        take(stream, &mut text, |b| b == b'-' || b == b'+')?;
        if take_while(stream, &mut text, |b| b.is_ascii_digit())? == 0 {
            // An exponent without digits is consumed, and the number is what came
            // before it.
            text.truncate(mantissa_end);
        }
    }
    let body = std::str::from_utf8(&text[digits_start..]).unwrap_or("");
    Ok(body.parse::<f64>().ok().map(|n| sign * n))
}

/// The rest of a hexadecimal constant after `0x`: digits, a point, digits, and a
/// binary exponent `p`.
fn scan_hex(stream: &mut Stream, sign: f64) -> std::io::Result<Option<f64>> {
    let mut text = Vec::new();
    let int_digits = take_while(stream, &mut text, |b| b.is_ascii_hexdigit())?;
    let mut frac_digits = 0;
    if take(stream, &mut text, |b| b == b'.')? {
        frac_digits = take_while(stream, &mut text, |b| b.is_ascii_hexdigit())?;
    }
    if int_digits + frac_digits == 0 {
        // "0x" alone: glibc reads the 0 and leaves the x consumed.
        return Ok(Some(sign * 0.0));
    }
    let mut mantissa = 0.0f64;
    for &b in text.iter().filter(|b| b.is_ascii_hexdigit()) {
        mantissa = mantissa * 16.0 + f64::from((b as char).to_digit(16).unwrap_or(0));
    }
    let mut exponent = -4 * frac_digits as i64;
    let mut exp_text = Vec::new();
    if take(stream, &mut exp_text, |b| b == b'p' || b == b'P')? {
        take(stream, &mut exp_text, |b| b == b'-' || b == b'+')?;
        let start = exp_text.len();
        if take_while(stream, &mut exp_text, |b| b.is_ascii_digit())? == 0 {
            exp_text.truncate(1);
        }
        let digits = std::str::from_utf8(&exp_text[start.min(exp_text.len())..]).unwrap_or("");
        let value = if digits.is_empty() {
            0
        } else {
            digits.parse::<i64>().unwrap_or(i64::MAX / 2)
        };
        exponent += if exp_text.get(1) == Some(&b'-') {
            -value
        } else {
            value
        };
    }
    let scaled = mantissa * 2f64.powi(exponent.clamp(-2200, 2200) as i32);
    Ok(Some(sign * scaled))
}
