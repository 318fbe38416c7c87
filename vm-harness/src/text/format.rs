//! `string.format` as 5.1.5's `str_format` does it: each `%` item is checked the way
//! `scanformat` checks it, then formatted as glibc's `sprintf` formats the C value 5.1
//! passes it (a `long` for `%d`, an `unsigned long` for `%x`, an `int` for `%c`, a
//! `double` for `%e`/`%f`/`%g`, a C string for `%s`).
//!
//! Invariants:
//! - At most 5 flag bytes, 2 width digits and 2 precision digits per item (5.1's limits,
//!   which keep every formatted item within its 512-byte buffer: `%99.99f` of 1e308 is
//!   409 bytes), so the output is bounded by the arguments, not by the format.
//! - Floating-point digits are exact: Rust's `{:.*e}` and `{:.*}` print the correctly
//!   rounded (ties to even) decimal expansion, as glibc does; `%g` and the C exponent
//!   style are reshaped from them.
//! - The C-string effects of `sprintf` are kept: `%s` stops at a NUL (unless the string
//!   is copied whole, see below) and an item is cut at its first NUL (`%c` of 0 adds
//!   nothing).

use std::borrow::Cow;
use std::fmt;

use super::c_string;
use super::number::{number_to_string, parse_number};
use crate::convert::{c_int, c_long};

/// One argument of `string.format` (arguments 2, 3, ...) as the VM hands it over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FormatArg<'a> {
    /// A Lua number. Also accepted where a string is expected, as `"%.14g"`.
    Number(f64),
    /// A Lua string. Also accepted where a number is expected when it converts as
    /// `tonumber` would (`string.format("%d", "10")` is `"10"`).
    String(&'a [u8]),
    /// Any other Lua value, by its type name (`"nil"`, `"boolean"`, `"table"`, ...), which
    /// appears in the error message.
    Other(&'static str),
}

/// Why `string.format` failed. The two kinds are raised differently by 5.1, so the VM
/// can build the message the way 5.1 would for the actual call (`luaL_argerror` names
/// the called function and shifts the argument number for method calls:
/// `("%d"):format("x")` reports argument #1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// An argument is missing or of the wrong type: `luaL_argerror(arg, message)`, where
    /// `arg` counts the format string as 1, e.g. `arg: 2, message: "no value"` or
    /// `"number expected, got string"`.
    BadArgument {
        /// 1-based argument number, the format string being argument 1.
        arg: usize,
        /// The parenthesised part of 5.1's message.
        message: String,
    },
    /// A malformed format string, raised with a plain `luaL_error`: the exact message,
    /// as bytes because "invalid option '%\xff' to 'format'" echoes any byte.
    Malformed(Vec<u8>),
    /// The output would be longer than the caller allows, or memory was refused: Lua's
    /// "not enough memory".
    OutOfMemory,
}

impl FormatError {
    /// The message lua5.1 gives for a plain `string.format(...)` call (before
    /// `luaL_error` adds the caller's position), e.g.
    /// `bad argument #2 to 'format' (number expected, got string)`.
    pub fn message(&self) -> Vec<u8> {
        match self {
            FormatError::BadArgument { arg, message } => {
                format!("bad argument #{arg} to 'format' ({message})").into_bytes()
            }
            FormatError::Malformed(message) => message.clone(),
            FormatError::OutOfMemory => b"not enough memory".to_vec(),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.message()))
    }
}

impl std::error::Error for FormatError {}

/// `string.format(fmt, args...)` with `args` the arguments after the format string.
///
/// Items: `%d %i %u %c %x %X %o %e %E %f %g %G %q %s` and `%%`, with flags `-+ #0`,
/// width and precision. Extra arguments are ignored. Numbers become C integers as 5.1's
/// casts do on x86-64: truncation toward zero, and the "integer indefinite" value for
/// NaN and out-of-range values (`%d` of 2^63 is `-9223372036854775808`, `%x` of 2^64 is
/// `0`). `%s` of a string of 100 bytes or more without a precision copies it whole, as
/// 5.1 does; otherwise `%s` stops at the string's first NUL. `%q` ignores flags and width.
///
/// An output longer than `max_len` bytes (the VM's heap limit) fails with
/// [`FormatError::OutOfMemory`] once the item that passes it is written (before, for
/// whole strings); the output's memory is reserved ahead of each write, so a refused
/// allocation is that error too, never an abort.
pub fn format(fmt: &[u8], args: &[FormatArg], max_len: usize) -> Result<Vec<u8>, FormatError> {
    // The format is a C string to `scanformat`: reading past its end yields NUL.
    let at = |i: usize| fmt.get(i).copied().unwrap_or(0);
    let mut out = Vec::new();
    room(&mut out, fmt.len())?;
    let mut i = 0;
    let mut arg = 1;
    while i < fmt.len() {
        if out.len() > max_len {
            return Err(FormatError::OutOfMemory);
        }
        if fmt[i] != b'%' {
            room(&mut out, 1)?;
            out.push(fmt[i]);
            i += 1;
            continue;
        }
        if at(i + 1) == b'%' {
            room(&mut out, 1)?;
            out.push(b'%');
            i += 2;
            continue;
        }
        arg += 1;
        let value = args.get(arg - 2).ok_or_else(|| FormatError::BadArgument {
            arg,
            message: "no value".to_owned(),
        })?;
        let (spec, conv_at) = scan_spec(fmt, i + 1)?;
        let conv = at(conv_at);
        i = conv_at + 1;
        room(&mut out, ITEM_MAX)?;
        let item_start = out.len();
        match conv {
            b'c' => {
                let byte = c_int(check_number(value, arg)?) as u8;
                let spec = Spec {
                    zero: false,
                    ..spec
                };
                pad(&mut out, b"", b"", &[byte], &spec);
            }
            b'd' | b'i' => format_signed(&mut out, c_long(check_number(value, arg)?), &spec),
            b'o' | b'u' | b'x' | b'X' => {
                format_unsigned(&mut out, c_ulong(check_number(value, arg)?), conv, &spec);
            }
            b'e' | b'E' | b'f' | b'g' | b'G' => {
                format_float(&mut out, check_number(value, arg)?, conv, &spec);
            }
            b'q' => {
                let s = check_string(value, arg)?;
                if out.len().saturating_add(s.len()) > max_len {
                    return Err(FormatError::OutOfMemory);
                }
                room(
                    &mut out,
                    QUOTED_MAX.saturating_mul(s.len()).saturating_add(2),
                )?;
                add_quoted(&mut out, &s);
                continue;
            }
            b's' => {
                let s = check_string(value, arg)?;
                if out.len().saturating_add(s.len()) > max_len {
                    return Err(FormatError::OutOfMemory);
                }
                room(&mut out, s.len())?;
                if spec.precision.is_none() && s.len() >= 100 {
                    out.extend_from_slice(&s);
                    continue;
                }
                let s = c_string(&s);
                let s = &s[..spec.precision.map_or(s.len(), |p| p.min(s.len()))];
                let spec = Spec {
                    zero: false,
                    ..spec
                };
                pad(&mut out, b"", b"", s, &spec);
            }
            _ => {
                // 5.1 formats the byte with `%c` into a C string: a NUL vanishes.
                let mut message = b"invalid option '%".to_vec();
                message.extend(Some(conv).filter(|&c| c != 0));
                message.extend_from_slice(b"' to 'format'");
                return Err(FormatError::Malformed(message));
            }
        }
        // `luaL_addlstring(&b, buff, strlen(buff))`.
        if let Some(nul) = out[item_start..].iter().position(|&b| b == 0) {
            out.truncate(item_start + nul);
        }
    }
    if out.len() > max_len {
        return Err(FormatError::OutOfMemory);
    }
    Ok(out)
}

/// The most one numeric or `%c` item writes (5.1's item buffer: see the invariants),
/// and what a `%s` item adds to its string (padding to a width under 100).
const ITEM_MAX: usize = 512;

/// The most `%q` writes per byte of its string (`\000`-style escapes).
const QUOTED_MAX: usize = 4;

/// Reserves `n` more bytes of output, or fails as out of memory.
fn room(out: &mut Vec<u8>, n: usize) -> Result<(), FormatError> {
    out.try_reserve(n).map_err(|_| FormatError::OutOfMemory)
}

/// The flags, width and precision of one `%` item.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Spec {
    /// `-`: pad on the right.
    left: bool,
    /// `+`: a `+` before non-negative signed conversions.
    plus: bool,
    /// ` `: a space before non-negative signed conversions (unless `+`).
    space: bool,
    /// `#`: the alternate form.
    alt: bool,
    /// `0`: pad numbers with zeros after the sign.
    zero: bool,
    /// Minimum width (0 when absent).
    width: usize,
    /// Precision, `Some(0)` for a lone `.`.
    precision: Option<usize>,
}

/// `scanformat` from the byte after `%`: the item's spec and the index of its
/// conversion byte.
fn scan_spec(fmt: &[u8], start: usize) -> Result<(Spec, usize), FormatError> {
    let at = |i: usize| fmt.get(i).copied().unwrap_or(0);
    let mut spec = Spec::default();
    let mut i = start;
    while b"-+ #0".contains(&at(i)) {
        match at(i) {
            b'-' => spec.left = true,
            b'+' => spec.plus = true,
            b' ' => spec.space = true,
            b'#' => spec.alt = true,
            _ => spec.zero = true,
        }
        i += 1;
    }
    // `sizeof(FLAGS)` counts the C string's NUL: 6 flag bytes are too many.
    if i - start >= 6 {
        return malformed("invalid format (repeated flags)");
    }
    let digits = |i: &mut usize| {
        let mut n = 0;
        for _ in 0..2 {
            if at(*i).is_ascii_digit() {
                n = n * 10 + usize::from(at(*i) - b'0');
                *i += 1;
            }
        }
        n
    };
    spec.width = digits(&mut i);
    if at(i) == b'.' {
        i += 1;
        spec.precision = Some(digits(&mut i));
    }
    if at(i).is_ascii_digit() {
        return malformed("invalid format (width or precision too long)");
    }
    Ok((spec, i))
}

fn malformed<T>(message: &str) -> Result<T, FormatError> {
    Err(FormatError::Malformed(message.as_bytes().to_vec()))
}

/// `luaL_checknumber`: a number, or a string that converts to one.
fn check_number(value: &FormatArg, arg: usize) -> Result<f64, FormatError> {
    match *value {
        FormatArg::Number(n) => Ok(n),
        FormatArg::String(s) => parse_number(s).ok_or_else(|| type_error(arg, "number", "string")),
        FormatArg::Other(type_name) => Err(type_error(arg, "number", type_name)),
    }
}

/// `luaL_checklstring`: a string, or a number converted with `"%.14g"`.
fn check_string<'a>(value: &FormatArg<'a>, arg: usize) -> Result<Cow<'a, [u8]>, FormatError> {
    match *value {
        FormatArg::Number(n) => Ok(Cow::Owned(number_to_string(n).into_bytes())),
        FormatArg::String(s) => Ok(Cow::Borrowed(s)),
        FormatArg::Other(type_name) => Err(type_error(arg, "string", type_name)),
    }
}

fn type_error(arg: usize, expected: &str, got: &str) -> FormatError {
    FormatError::BadArgument {
        arg,
        message: format!("{expected} expected, got {got}"),
    }
}

/// `addquoted`: `"`, `\` and newline escaped with `\`, `\r` as `\r`, NUL as `\000`.
fn add_quoted(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    for &b in s {
        match b {
            b'"' | b'\\' | b'\n' => out.extend_from_slice(&[b'\\', b]),
            b'\r' => out.extend_from_slice(b"\\r"),
            0 => out.extend_from_slice(b"\\000"),
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

/// `(unsigned long)d` as gcc compiles it for x86-64: values below 2^63 (negative ones
/// included) convert as `long`, larger ones as `long` of `d - 2^63` with the top bit
/// flipped, so 2^64 and beyond give 0 and NaN gives 2^63.
fn c_ulong(d: f64) -> u64 {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if d >= TWO_63 {
        (c_long(d - TWO_63) as u64) ^ (1 << 63)
    } else {
        c_long(d) as u64
    }
}

/// Writes `sign`, `prefix` and `body` padded to the spec's width: spaces on the right
/// with `-`, zeros between prefix and body with `0`, spaces on the left otherwise.
fn pad(out: &mut Vec<u8>, sign: &[u8], prefix: &[u8], body: &[u8], spec: &Spec) {
    let fill = spec
        .width
        .saturating_sub(sign.len() + prefix.len() + body.len());
    if spec.left {
        out.extend_from_slice(sign);
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
        out.resize(out.len() + fill, b' ');
    } else if spec.zero {
        out.extend_from_slice(sign);
        out.extend_from_slice(prefix);
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(body);
    } else {
        out.resize(out.len() + fill, b' ');
        out.extend_from_slice(sign);
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
    }
}

/// The digits of `v` in `radix`, at least `precision` of them (none for a zero with
/// precision 0, as C prints it).
fn int_digits(v: u64, radix: u32, upper: bool, precision: Option<usize>) -> Vec<u8> {
    let mut digits = Vec::new();
    if !(v == 0 && precision == Some(0)) {
        let mut v = v;
        loop {
            let digit = char::from_digit((v % u64::from(radix)) as u32, radix).unwrap_or('0');
            digits.push(if upper {
                digit.to_ascii_uppercase()
            } else {
                digit
            } as u8);
            v /= u64::from(radix);
            if v == 0 {
                break;
            }
        }
    }
    digits.resize(digits.len().max(precision.unwrap_or(0)), b'0');
    digits.reverse();
    digits
}

/// `%ld`: a precision turns zero padding off.
fn format_signed(out: &mut Vec<u8>, v: i64, spec: &Spec) {
    let sign: &[u8] = if v < 0 {
        b"-"
    } else if spec.plus {
        b"+"
    } else if spec.space {
        b" "
    } else {
        b""
    };
    let digits = int_digits(v.unsigned_abs(), 10, false, spec.precision);
    let spec = Spec {
        zero: spec.zero && spec.precision.is_none(),
        ..*spec
    };
    pad(out, sign, b"", &digits, &spec);
}

/// `%lo`, `%lu`, `%lx`, `%lX`: no sign; `#` makes octal start with 0 and prefixes
/// nonzero hex with `0x`/`0X`.
fn format_unsigned(out: &mut Vec<u8>, v: u64, conv: u8, spec: &Spec) {
    let radix = match conv {
        b'o' => 8,
        b'u' => 10,
        _ => 16,
    };
    let mut digits = int_digits(v, radix, conv == b'X', spec.precision);
    let prefix: &[u8] = match conv {
        b'o' if spec.alt && digits.first() != Some(&b'0') => {
            digits.insert(0, b'0');
            b""
        }
        b'x' if spec.alt && v != 0 => b"0x",
        b'X' if spec.alt && v != 0 => b"0X",
        _ => b"",
    };
    let spec = Spec {
        zero: spec.zero && spec.precision.is_none(),
        ..*spec
    };
    pad(out, b"", prefix, &digits, &spec);
}

/// `LUAI_NUMFFORMAT`, `"%.14g"`: how 5.1 turns a number into a string (`tostring`,
/// `..`, `%s`), the body of [`number_to_string`].
pub(super) fn write_lua_number(out: &mut Vec<u8>, n: f64) {
    let spec = Spec {
        precision: Some(14),
        ..Spec::default()
    };
    format_float(out, n, b'g', &spec);
}

/// glibc's `%e %E %f %g %G` of `x` (`conv` is the conversion byte), written to `out`.
fn format_float(out: &mut Vec<u8>, x: f64, conv: u8, spec: &Spec) {
    let upper = conv.is_ascii_uppercase();
    let sign: &[u8] = if x.is_sign_negative() {
        b"-"
    } else if spec.plus {
        b"+"
    } else if spec.space {
        b" "
    } else {
        b""
    };
    if !x.is_finite() {
        let text: &[u8] = match (x.is_nan(), upper) {
            (true, false) => b"nan",
            (true, true) => b"NAN",
            (false, false) => b"inf",
            (false, true) => b"INF",
        };
        let spec = Spec {
            zero: false,
            ..*spec
        };
        pad(out, sign, b"", text, &spec);
        return;
    }
    let a = x.abs();
    let precision = spec.precision.unwrap_or(6);
    let mut body = match conv.to_ascii_lowercase() {
        b'e' => exponent_form(a, precision, spec.alt),
        b'f' => fixed_form(a, precision, spec.alt),
        _ => general_form(a, precision, spec.alt),
    };
    if upper {
        body.make_ascii_uppercase();
    }
    pad(out, sign, b"", &body, spec);
}

/// The decimal exponent of `a` once rounded to `precision + 1` significant digits.
fn decimal_exponent(a: f64, precision: usize) -> i32 {
    let text = format!("{a:.precision$e}");
    text.rsplit('e')
        .next()
        .and_then(|e| e.parse().ok())
        .unwrap_or(0)
}

/// `%.{precision}e` of a non-negative finite `a`: `d.ddde+XX`, at least two exponent
/// digits; `#` keeps the point when precision is 0.
fn exponent_form(a: f64, precision: usize, alt: bool) -> Vec<u8> {
    let text = format!("{a:.precision$e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let mut body = mantissa.as_bytes().to_vec();
    if alt && precision == 0 {
        body.push(b'.');
    }
    body.extend_from_slice(
        format!(
            "e{}{:02}",
            if exponent < 0 { '-' } else { '+' },
            exponent.unsigned_abs()
        )
        .as_bytes(),
    );
    body
}

/// `%.{precision}f` of a non-negative finite `a`; `#` keeps the point when precision
/// is 0.
fn fixed_form(a: f64, precision: usize, alt: bool) -> Vec<u8> {
    let mut body = format!("{a:.precision$}").into_bytes();
    if alt && precision == 0 {
        body.push(b'.');
    }
    body
}

/// `%.{precision}g` of a non-negative finite `a`: with P significant digits (precision,
/// 1 if 0) and X the exponent after rounding to them, `%f` style with P-1-X decimals if
/// -4 <= X < P, else `%e` style with P-1; without `#`, trailing fractional zeros and a
/// trailing point are removed.
///
/// glibc departs from C in one case, reproduced here: with `#`, a value of P integer
/// digits that rounds up to 10^P (`%#g` of 999999.5) prints `1.e+06`, not `1.00000e+06`,
/// because glibc picks the style before rounding and keeps that style's zero count.
fn general_form(a: f64, precision: usize, alt: bool) -> Vec<u8> {
    let p = precision.max(1);
    let x = if a == 0.0 {
        0
    } else {
        decimal_exponent(a, p - 1)
    };
    // The unrounded integer part has P digits: `{:.0}` of an integral value is exact.
    if alt && x == p as i32 && a >= 1.0 && format!("{:.0}", a.trunc()).len() == p {
        return format!("1.e+{x:02}").into_bytes();
    }
    let mut body = if -4 <= x && x < p as i32 {
        fixed_form(a, (p as i32 - 1 - x) as usize, alt)
    } else {
        exponent_form(a, p - 1, alt)
    };
    if !alt {
        let mantissa_end = body.iter().position(|&b| b == b'e').unwrap_or(body.len());
        if body[..mantissa_end].contains(&b'.') {
            let mut end = mantissa_end;
            while body[end - 1] == b'0' {
                end -= 1;
            }
            if body[end - 1] == b'.' {
                end -= 1;
            }
            body.drain(end..mantissa_end);
        }
    }
    body
}

#[cfg(test)]
mod tests {
    //! Expected values come from lua5.1 (Debian's 5.1.5 on glibc/x86-64): each case keeps
    //! the `string.format` call that produced it. Error messages are 5.1's for a plain
    //! `string.format(...)` call, without the caller position `luaL_error` prepends.

    use super::FormatArg::{Number as N, Other as O, String as S};
    use super::*;

    fn check_ok(fmt: &[u8], args: &[FormatArg], expected: &[u8]) {
        // `escape_ascii` is injective, so this compares the bytes exactly.
        match format(fmt, args, usize::MAX) {
            Ok(got) => assert_eq!(
                got.escape_ascii().to_string(),
                expected.escape_ascii().to_string(),
                "format {:?}",
                String::from_utf8_lossy(fmt)
            ),
            Err(e) => panic!(
                "format {:?}: unexpected error {e}",
                String::from_utf8_lossy(fmt)
            ),
        }
    }

    fn check_err(fmt: &[u8], args: &[FormatArg], expected: &[u8]) {
        match format(fmt, args, usize::MAX) {
            Ok(got) => panic!(
                "format {:?}: unexpected {:?}",
                String::from_utf8_lossy(fmt),
                String::from_utf8_lossy(&got)
            ),
            Err(e) => assert_eq!(
                e.message(),
                expected,
                "format {:?}",
                String::from_utf8_lossy(fmt)
            ),
        }
    }

    /// Plain text, %% and ignored extra arguments.
    #[test]
    fn plain_text() {
        // string.format("hello")
        check_ok(b"hello", &[], b"hello");
        // string.format("")
        check_ok(b"", &[], b"");
        // string.format("100%% sure %d%%", 5)
        check_ok(b"100%% sure %d%%", &[N(5.0)], b"100% sure 5%");
        // string.format("%d", 1, 2, 3)
        check_ok(b"%d", &[N(1.0), N(2.0), N(3.0)], b"1");
        // string.format("a\0b%d\0", 7)
        check_ok(b"a\x00b%d\x00", &[N(7.0)], b"a\x00b7\x00");
    }

    /// %d/%i: truncation toward zero and x86-64's integer-indefinite for out-of-range values.
    #[test]
    fn signed_conversion() {
        // string.format("%d|%i|%d|%d|%d", 0, 42, -7, 3.99, -3.99)
        check_ok(
            b"%d|%i|%d|%d|%d",
            &[N(0.0), N(42.0), N(-7.0), N(3.99), N(-3.99)],
            b"0|42|-7|3|-3",
        );
        // string.format("%d|%d|%d", 2^53, 123456789012345678, -2^63)
        check_ok(
            b"%d|%d|%d",
            &[
                N(9007199254740992.0),
                N(1.2345678901234568e+17),
                N(-9.223372036854776e+18),
            ],
            b"9007199254740992|123456789012345680|-9223372036854775808",
        );
        // string.format("%d|%d|%d|%d|%d", 2^63, 1e100, math.huge, -math.huge, 0/0)
        check_ok(b"%d|%d|%d|%d|%d", &[N(9.223372036854776e+18), N(1e+100), N(f64::INFINITY), N(f64::NEG_INFINITY), N(-f64::NAN)], b"-9223372036854775808|-9223372036854775808|-9223372036854775808|-9223372036854775808|-9223372036854775808");
        // string.format("%d|%d", 5e-324, -0.5)
        check_ok(b"%d|%d", &[N(5e-324), N(-0.5)], b"0|0");
    }

    /// Integer flags, width and precision.
    #[test]
    fn integer_flags() {
        // string.format("%5d|%-5d|%05d|%+d|% d|%+ d|% +d", 42, 42, 42, 42, 42, 42, 42)
        check_ok(
            b"%5d|%-5d|%05d|%+d|% d|%+ d|% +d",
            &[
                N(42.0),
                N(42.0),
                N(42.0),
                N(42.0),
                N(42.0),
                N(42.0),
                N(42.0),
            ],
            b"   42|42   |00042|+42| 42|+42|+42",
        );
        // string.format("%-05d|%+05d|% 05d|%05d", -42, 42, 42, -42)
        check_ok(
            b"%-05d|%+05d|% 05d|%05d",
            &[N(-42.0), N(42.0), N(42.0), N(-42.0)],
            b"-42  |+0042| 0042|-0042",
        );
        // string.format("%.3d|%8.3d|%-8.3d|%08.3d|%.0d|%.0d|%5.0d|%+.0d|% .0d", 7, 7, -7, 7, 0, 1, 0, 0, 0)
        check_ok(
            b"%.3d|%8.3d|%-8.3d|%08.3d|%.0d|%.0d|%5.0d|%+.0d|% .0d",
            &[
                N(7.0),
                N(7.0),
                N(-7.0),
                N(7.0),
                N(0.0),
                N(1.0),
                N(0.0),
                N(0.0),
                N(0.0),
            ],
            b"007|     007|-007    |     007||1|     |+| ",
        );
        // string.format("%99d", 1)
        check_ok(b"%99d", &[N(1.0)], b"                                                                                                  1");
        // string.format("%.99d", -1)
        check_ok(b"%.99d", &[N(-1.0)], b"-000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001");
        // string.format("%-----5d|%-+ #0d", 1, 2)
        check_ok(b"%-----5d|%-+ #0d", &[N(1.0), N(2.0)], b"1    |+2");
    }

    /// Unsigned conversions: negative values wrap, 2^64 and beyond give 0, NaN 2^63.
    #[test]
    fn unsigned_conversions() {
        // string.format("%u|%x|%X|%o", 255, 255, 255, 255)
        check_ok(
            b"%u|%x|%X|%o",
            &[N(255.0), N(255.0), N(255.0), N(255.0)],
            b"255|ff|FF|377",
        );
        // string.format("%u|%x|%X|%o", -1, -1.5, -123.456, -8)
        check_ok(
            b"%u|%x|%X|%o",
            &[N(-1.0), N(-1.5), N(-123.456), N(-8.0)],
            b"18446744073709551615|ffffffffffffffff|FFFFFFFFFFFFFF85|1777777777777777777770",
        );
        // string.format("%u|%x|%o|%x|%x|%x|%x", 2^63, 2^63, 2^63, 2^64, 1e30, 0/0, -math.huge)
        check_ok(b"%u|%x|%o|%x|%x|%x|%x", &[N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(1.8446744073709552e+19), N(1e+30), N(-f64::NAN), N(f64::NEG_INFINITY)], b"9223372036854775808|8000000000000000|1000000000000000000000|0|0|8000000000000000|8000000000000000");
        // string.format("%x|%X|%u", 2^64 - 2048, 123456789012345678, 1e15)
        check_ok(
            b"%x|%X|%u",
            &[
                N(1.844674407370955e+19),
                N(1.2345678901234568e+17),
                N(1e+15),
            ],
            b"fffffffffffff800|1B69B4BA630F350|1000000000000000",
        );
        // string.format("%#x|%#X|%#o|%#x|%#o|%#.0o|%#.0x|%.0x|%.0o", 255, 255, 8, 0, 0, 0, 0, 0, 0)
        check_ok(
            b"%#x|%#X|%#o|%#x|%#o|%#.0o|%#.0x|%.0x|%.0o",
            &[
                N(255.0),
                N(255.0),
                N(8.0),
                N(0.0),
                N(0.0),
                N(0.0),
                N(0.0),
                N(0.0),
                N(0.0),
            ],
            b"0xff|0XFF|010|0|0|0|||",
        );
        // string.format("%08x|%-8X|%#08x|%#8x|%#-8o|%+x|% u|%.5x|%#.5x|%08.5x", 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)
        check_ok(
            b"%08x|%-8X|%#08x|%#8x|%#-8o|%+x|% u|%.5x|%#.5x|%08.5x",
            &[
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
            ],
            b"000000ff|FF      |0x0000ff|    0xff|0377    |ff|255|000ff|0x000ff|   000ff",
        );
    }

    /// %c: an int's low byte; a NUL byte ends the item (C string).
    #[test]
    fn char_conversion() {
        // string.format("%c%c%c", 76, 117, 97)
        check_ok(b"%c%c%c", &[N(76.0), N(117.0), N(97.0)], b"Lua");
        // string.format("[%c]|[%5c]|[%-5c]|[%05c]", 0, 0, 0, 65)
        check_ok(
            b"[%c]|[%5c]|[%-5c]|[%05c]",
            &[N(0.0), N(0.0), N(0.0), N(65.0)],
            b"[]|[    ]|[]|[    A]",
        );
        // string.format("%c|%c|%c|%c", 321, -191, 65.9, "66")
        check_ok(
            b"%c|%c|%c|%c",
            &[N(321.0), N(-191.0), N(65.9), S(b"66")],
            b"A|A|A|B",
        );
        // string.format("%c|%c", 2^31, 0/0)
        check_ok(b"%c|%c", &[N(2147483648.0), N(-f64::NAN)], b"|");
    }

    /// %e and %E.
    #[test]
    fn exponent_conversion() {
        // string.format("%e|%e|%e|%e|%e", 0, 1, -1.5, 0.1, 1/3)
        check_ok(
            b"%e|%e|%e|%e|%e",
            &[N(0.0), N(1.0), N(-1.5), N(0.1), N(0.3333333333333333)],
            b"0.000000e+00|1.000000e+00|-1.500000e+00|1.000000e-01|3.333333e-01",
        );
        // string.format("%E|%.0e|%#.0e|%.3e|%.10e", 12345.678, 2.5, 3, 1e100, 5e-324)
        check_ok(
            b"%E|%.0e|%#.0e|%.3e|%.10e",
            &[N(12345.678), N(2.5), N(3.0), N(1e+100), N(5e-324)],
            b"1.234568E+04|2e+00|3.e+00|1.000e+100|4.9406564584e-324",
        );
        // string.format("%+e|% e|%-+12.3e|%+012.3e|%015.3E|%12e", 1.5, 1.5, 1.5, -1.5, 12345.678, -0.001)
        check_ok(
            b"%+e|% e|%-+12.3e|%+012.3e|%015.3E|%12e",
            &[N(1.5), N(1.5), N(1.5), N(-1.5), N(12345.678), N(-0.001)],
            b"+1.500000e+00| 1.500000e+00|+1.500e+00  |-001.500e+00|0000001.235E+04|-1.000000e-03",
        );
        // string.format("%.0e|%.0e|%.0e|%.1e|%.2e", 0.5, 1.5, 2.5, 0.25, 1.125)
        check_ok(
            b"%.0e|%.0e|%.0e|%.1e|%.2e",
            &[N(0.5), N(1.5), N(2.5), N(0.25), N(1.125)],
            b"5e-01|2e+00|2e+00|2.5e-01|1.12e+00",
        );
        // string.format("%e|%e|%.20e", 1.7976931348623157e308, 2^-1074, 0.1)
        check_ok(
            b"%e|%e|%.20e",
            &[N(1.7976931348623157e+308), N(5e-324), N(0.1)],
            b"1.797693e+308|4.940656e-324|1.00000000000000005551e-01",
        );
    }

    /// %f.
    #[test]
    fn fixed_conversion() {
        // string.format("%f|%f|%f|%f|%f", 0, 1, -1.5, 0.1, 1/3)
        check_ok(
            b"%f|%f|%f|%f|%f",
            &[N(0.0), N(1.0), N(-1.5), N(0.1), N(0.3333333333333333)],
            b"0.000000|1.000000|-1.500000|0.100000|0.333333",
        );
        // string.format("%.0f|%.0f|%.0f|%.0f|%.1f|%.1f|%.2f", 0.5, 1.5, 2.5, -0.5, 0.25, 0.35, 1.005)
        check_ok(
            b"%.0f|%.0f|%.0f|%.0f|%.1f|%.1f|%.2f",
            &[N(0.5), N(1.5), N(2.5), N(-0.5), N(0.25), N(0.35), N(1.005)],
            b"0|2|2|-0|0.2|0.3|1.00",
        );
        // string.format("%f|%.3f|%10.3f|%-10.2f|%010.2f|%+.1f|% .1f|%#.0f|%.0f", 1e15, 1e16, 3.14149, 2.5, -2.5, 1, 1, 3, 3)
        check_ok(b"%f|%.3f|%10.3f|%-10.2f|%010.2f|%+.1f|% .1f|%#.0f|%.0f", &[N(1e+15), N(1e+16), N(3.14149), N(2.5), N(-2.5), N(1.0), N(1.0), N(3.0), N(3.0)], b"1000000000000000.000000|10000000000000000.000|     3.141|2.50      |-000002.50|+1.0| 1.0|3.|3");
        // string.format("%f", 1e100)
        check_ok(b"%f", &[N(1e+100)], b"10000000000000000159028911097599180468360808563945281389781327557747838772170381060813469985856815104.000000");
        // string.format("%.99f", 1)
        check_ok(b"%.99f", &[N(1.0)], b"1.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
        // string.format("%99.99f", 1e300)
        check_ok(b"%99.99f", &[N(1e+300)], b"1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
        // string.format("%f|%.20f|%.0f", 5e-324, 1e-5, 123456789012345678)
        check_ok(
            b"%f|%.20f|%.0f",
            &[N(5e-324), N(1e-05), N(1.2345678901234568e+17)],
            b"0.000000|0.00001000000000000000|123456789012345680",
        );
    }

    /// %g and %G: precision means significant digits; trailing zeros go unless '#'.
    #[test]
    fn general_conversion() {
        // string.format("%g|%g|%g|%g|%g|%g|%g", 0, 1, -1.5, 0.1, 1/3, 100, 1e15)
        check_ok(
            b"%g|%g|%g|%g|%g|%g|%g",
            &[
                N(0.0),
                N(1.0),
                N(-1.5),
                N(0.1),
                N(0.3333333333333333),
                N(1e+02),
                N(1e+15),
            ],
            b"0|1|-1.5|0.1|0.333333|100|1e+15",
        );
        // string.format("%g|%g|%g|%g|%g|%g", 100000, 1000000, 1e-4, 1e-5, 0.00012345, 123456789)
        check_ok(
            b"%g|%g|%g|%g|%g|%g",
            &[
                N(1e+05),
                N(1e+06),
                N(0.0001),
                N(1e-05),
                N(0.00012345),
                N(123456789.0),
            ],
            b"100000|1e+06|0.0001|1e-05|0.00012345|1.23457e+08",
        );
        // string.format("%g|%g|%g|%g|%g", 1e16, 1e100, 2^53, 2^63, 5e-324)
        check_ok(
            b"%g|%g|%g|%g|%g",
            &[
                N(1e+16),
                N(1e+100),
                N(9007199254740992.0),
                N(9.223372036854776e+18),
                N(5e-324),
            ],
            b"1e+16|1e+100|9.0072e+15|9.22337e+18|4.94066e-324",
        );
        // string.format("%G|%G|%#G|%.3G|%g", 1e-10, 1e20, 1e-10, 123456, 999999.5)
        check_ok(
            b"%G|%G|%#G|%.3G|%g",
            &[N(1e-10), N(1e+20), N(1e-10), N(123456.0), N(999999.5)],
            b"1E-10|1E+20|1.00000E-10|1.23E+05|1e+06",
        );
        // string.format("%#g|%#.3g|%#.10g|%#g|%#.0g|%#g", 1, 1e-5, 1/3, 1e100, 123, 0)
        check_ok(
            b"%#g|%#.3g|%#.10g|%#g|%#.0g|%#g",
            &[
                N(1.0),
                N(1e-05),
                N(0.3333333333333333),
                N(1e+100),
                N(123.0),
                N(0.0),
            ],
            b"1.00000|1.00e-05|0.3333333333|1.00000e+100|1.e+02|0.00000",
        );
        // string.format("%.0g|%.1g|%.2g|%.3g|%.20g|%.14g", 123.456, 123.456, 123.456, 123.456, 0.1, 9.9999999999999e14)
        check_ok(
            b"%.0g|%.1g|%.2g|%.3g|%.20g|%.14g",
            &[
                N(123.456),
                N(123.456),
                N(123.456),
                N(123.456),
                N(0.1),
                N(9.9999999999999e+14),
            ],
            b"1e+02|1e+02|1.2e+02|123|0.10000000000000000555|9.9999999999999e+14",
        );
        // string.format("%.14g|%.14g|%.14g|%.14g|%.14g", 1e15, 1e16, 123456789012345678, 2^63, -1.5)
        check_ok(
            b"%.14g|%.14g|%.14g|%.14g|%.14g",
            &[
                N(1e+15),
                N(1e+16),
                N(1.2345678901234568e+17),
                N(9.223372036854776e+18),
                N(-1.5),
            ],
            b"1e+15|1e+16|1.2345678901235e+17|9.2233720368548e+18|-1.5",
        );
        // string.format("%10g|%-10g|%010g|%+g|% g|%+.3g|%012.3g", 1.5, 1.5, -1.5, 1.5, 1.5, -123.456, -123.456)
        check_ok(
            b"%10g|%-10g|%010g|%+g|% g|%+.3g|%012.3g",
            &[
                N(1.5),
                N(1.5),
                N(-1.5),
                N(1.5),
                N(1.5),
                N(-123.456),
                N(-123.456),
            ],
            b"       1.5|1.5       |-0000001.5|+1.5| 1.5|-123|-00000000123",
        );
        // string.format("%.99g", 0.1)
        check_ok(
            b"%.99g",
            &[N(0.1)],
            b"0.1000000000000000055511151231257827021181583404541015625",
        );
    }

    /// Infinity, NaN and -0: glibc prints the sign bit; '0' pads them with spaces.
    #[test]
    fn infinity_nan_negative_zero() {
        // string.format("%f|%e|%g|%E|%G|%.3f", math.huge, math.huge, math.huge, math.huge, math.huge, -math.huge)
        check_ok(
            b"%f|%e|%g|%E|%G|%.3f",
            &[
                N(f64::INFINITY),
                N(f64::INFINITY),
                N(f64::INFINITY),
                N(f64::INFINITY),
                N(f64::INFINITY),
                N(f64::NEG_INFINITY),
            ],
            b"inf|inf|inf|INF|INF|-inf",
        );
        // string.format("%05f|%-8f|%+f|% f|%08.3f|%010e", math.huge, -math.huge, math.huge, math.huge, -math.huge, math.huge)
        check_ok(
            b"%05f|%-8f|%+f|% f|%08.3f|%010e",
            &[
                N(f64::INFINITY),
                N(f64::NEG_INFINITY),
                N(f64::INFINITY),
                N(f64::INFINITY),
                N(f64::NEG_INFINITY),
                N(f64::INFINITY),
            ],
            b"  inf|-inf    |+inf| inf|    -inf|       inf",
        );
        // string.format("%f|%g|%e|%G|%+f|% f|%5.1f", 0/0, 0/0, 0/0, 0/0, -(0/0), -(0/0), 0/0)
        check_ok(
            b"%f|%g|%e|%G|%+f|% f|%5.1f",
            &[
                N(-f64::NAN),
                N(-f64::NAN),
                N(-f64::NAN),
                N(-f64::NAN),
                N(f64::NAN),
                N(f64::NAN),
                N(-f64::NAN),
            ],
            b"-nan|-nan|-nan|-NAN|+nan| nan| -nan",
        );
        // string.format("%g|%f|%e|%+g|%d|%x", -0.0 * 1, -(0*1), -(0*1), -(0*1), -(0*1), -(0*1))
        check_ok(
            b"%g|%f|%e|%+g|%d|%x",
            &[N(-0.0), N(-0.0), N(-0.0), N(-0.0), N(-0.0), N(-0.0)],
            b"-0|-0.000000|-0.000000e+00|-0|0|0",
        );
    }

    /// %s: numbers as %.14g, precision truncates, width pads with spaces, NUL ends short strings.
    #[test]
    fn string_conversion() {
        // string.format("%s|%s|%s|%s", "abc", 1/3, 1e15, 2^63)
        check_ok(
            b"%s|%s|%s|%s",
            &[
                S(b"abc"),
                N(0.3333333333333333),
                N(1e+15),
                N(9.223372036854776e+18),
            ],
            b"abc|0.33333333333333|1e+15|9.2233720368548e+18",
        );
        // string.format("%.2s|%5.1s|%-5s|%5s|%05s|%+s|% s|%#s|%.0s|%.s", "abc", "abc", "ab", "ab", "ab", "ab", "ab", "ab", "ab", "ab")
        check_ok(
            b"%.2s|%5.1s|%-5s|%5s|%05s|%+s|% s|%#s|%.0s|%.s",
            &[
                S(b"abc"),
                S(b"abc"),
                S(b"ab"),
                S(b"ab"),
                S(b"ab"),
                S(b"ab"),
                S(b"ab"),
                S(b"ab"),
                S(b"ab"),
                S(b"ab"),
            ],
            b"ab|    a|ab   |   ab|   ab|ab|ab|ab||",
        );
        // string.format("%10s|%-10s|", 12, -0.5)
        check_ok(
            b"%10s|%-10s|",
            &[N(12.0), N(-0.5)],
            b"        12|-0.5      |",
        );
        // string.format("%s|%5s|%.5s", "a\0b", "a\0b", "a\0b")
        check_ok(
            b"%s|%5s|%.5s",
            &[S(b"a\x00b"), S(b"a\x00b"), S(b"a\x00b")],
            b"a|    a|a",
        );
        // string.format("%s", string.rep("x", 99) .. "\0y")
        check_ok(b"%s", &[S(b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\x00y")], b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\x00y");
        // string.format("%s", string.rep("x", 100) .. "\0y")
        check_ok(b"%s", &[S(b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\x00y")], b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\x00y");
        // string.format("%.3s", string.rep("x", 200))
        check_ok(b"%.3s", &[S(b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")], b"xxx");
        // string.format("%5s", string.rep("ab", 60))
        check_ok(b"%5s", &[S(b"abababababababababababababababababababababababababababababababababababababababababababababababababababababababababababab")], b"abababababababababababababababababababababababababababababababababababababababababababababababababababababababababababab");
    }

    /// %q: escapes ", \, newline (as \ + newline), \r and NUL; other bytes as they are; flags ignored.
    #[test]
    fn quoted_conversion() {
        // string.format("%q", "a\"b\\c\nd\re\0f\1g\255h\0001")
        check_ok(
            b"%q",
            &[S(b"a\x22b\x5cc\x0ad\x0de\x00f\x01g\xffh\x001")],
            b"\x22a\x5c\x22b\x5c\x5cc\x5c\x0ad\x5cre\x5c000f\x01g\xffh\x5c0001\x22",
        );
        // string.format("%q|%10q|%-5q", "", "ab", 1/3)
        check_ok(
            b"%q|%10q|%-5q",
            &[S(b""), S(b"ab"), N(0.3333333333333333)],
            b"\x22\x22|\x22ab\x22|\x220.33333333333333\x22",
        );
    }

    /// Strings are converted to numbers where numbers are expected.
    #[test]
    fn numeric_strings() {
        // string.format("%d|%5.1f|%g|%x", "10", " 0x10 ", "1e2", "255")
        check_ok(
            b"%d|%5.1f|%g|%x",
            &[S(b"10"), S(b" 0x10 "), S(b"1e2"), S(b"255")],
            b"10| 16.0|100|ff",
        );
        // string.format("%d", " -7 ")
        check_ok(b"%d", &[S(b" -7 ")], b"-7");
    }

    /// Errors: arguments (format string is #1).
    #[test]
    fn argument_errors() {
        // string.format("%d", "x")
        check_err(
            b"%d",
            &[S(b"x")],
            b"bad argument #2 to 'format' (number expected, got string)",
        );
        // string.format("%s %d", "a", "x")
        check_err(
            b"%s %d",
            &[S(b"a"), S(b"x")],
            b"bad argument #3 to 'format' (number expected, got string)",
        );
        // string.format("%d")
        check_err(b"%d", &[], b"bad argument #2 to 'format' (no value)");
        // string.format("%d %d", 1)
        check_err(
            b"%d %d",
            &[N(1.0)],
            b"bad argument #3 to 'format' (no value)",
        );
        // string.format("%s")
        check_err(b"%s", &[], b"bad argument #2 to 'format' (no value)");
        // string.format("%q")
        check_err(b"%q", &[], b"bad argument #2 to 'format' (no value)");
        // string.format("%s", nil)
        check_err(
            b"%s",
            &[O("nil")],
            b"bad argument #2 to 'format' (string expected, got nil)",
        );
        // string.format("%s", {})
        check_err(
            b"%s",
            &[O("table")],
            b"bad argument #2 to 'format' (string expected, got table)",
        );
        // string.format("%s", true)
        check_err(
            b"%s",
            &[O("boolean")],
            b"bad argument #2 to 'format' (string expected, got boolean)",
        );
        // string.format("%d", nil)
        check_err(
            b"%d",
            &[O("nil")],
            b"bad argument #2 to 'format' (number expected, got nil)",
        );
        // string.format("%f", false)
        check_err(
            b"%f",
            &[O("boolean")],
            b"bad argument #2 to 'format' (number expected, got boolean)",
        );
        // string.format("%x", {})
        check_err(
            b"%x",
            &[O("table")],
            b"bad argument #2 to 'format' (number expected, got table)",
        );
        // string.format("%c", print)
        check_err(
            b"%c",
            &[O("function")],
            b"bad argument #2 to 'format' (number expected, got function)",
        );
        // string.format("%d %y", 1)
        check_err(
            b"%d %y",
            &[N(1.0)],
            b"bad argument #3 to 'format' (no value)",
        );
        // string.format("%y %d")
        check_err(b"%y %d", &[], b"bad argument #2 to 'format' (no value)");
        // string.format("abc%")
        check_err(b"abc%", &[], b"bad argument #2 to 'format' (no value)");
    }

    /// Errors: malformed items (checked after the argument count; flags and sizes before the option).
    #[test]
    fn malformed_items() {
        // string.format("%y", 1)
        check_err(b"%y", &[N(1.0)], b"invalid option '%y' to 'format'");
        // string.format("%5%", 1)
        check_err(b"%5%", &[N(1.0)], b"invalid option '%%' to 'format'");
        // string.format("abc%", 1)
        check_err(b"abc%", &[N(1.0)], b"invalid option '%' to 'format'");
        // string.format("%5\0d", 1)
        check_err(b"%5\x00d", &[N(1.0)], b"invalid option '%' to 'format'");
        // string.format("%ld", 1)
        check_err(b"%ld", &[N(1.0)], b"invalid option '%l' to 'format'");
        // string.format("%hd", 1)
        check_err(b"%hd", &[N(1.0)], b"invalid option '%h' to 'format'");
        // string.format("%n", 1)
        check_err(b"%n", &[N(1.0)], b"invalid option '%n' to 'format'");
        // string.format("%p", 1)
        check_err(b"%p", &[N(1.0)], b"invalid option '%p' to 'format'");
        // string.format("%F", 1)
        check_err(b"%F", &[N(1.0)], b"invalid option '%F' to 'format'");
        // string.format("%a", 1)
        check_err(b"%a", &[N(1.0)], b"invalid option '%a' to 'format'");
        // string.format("%\255", 1)
        check_err(b"%\xff", &[N(1.0)], b"invalid option '%\xff' to 'format'");
        // string.format("%------5d", 1)
        check_err(b"%------5d", &[N(1.0)], b"invalid format (repeated flags)");
        // string.format("%-+ #00d", 1)
        check_err(b"%-+ #00d", &[N(1.0)], b"invalid format (repeated flags)");
        // string.format("%------y", 1)
        check_err(b"%------y", &[N(1.0)], b"invalid format (repeated flags)");
        // string.format("%100d", 1)
        check_err(
            b"%100d",
            &[N(1.0)],
            b"invalid format (width or precision too long)",
        );
        // string.format("%.100f", 1)
        check_err(
            b"%.100f",
            &[N(1.0)],
            b"invalid format (width or precision too long)",
        );
        // string.format("%10.123f", 1)
        check_err(
            b"%10.123f",
            &[N(1.0)],
            b"invalid format (width or precision too long)",
        );
        // string.format("%1.2.3f", 1)
        check_err(b"%1.2.3f", &[N(1.0)], b"invalid option '%.' to 'format'");
    }

    /// A matrix of float conversions over awkward values.
    #[test]
    fn float_matrix() {
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(0.0), N(0.0), N(0.0), N(0.0), N(0.0), N(0.0), N(0.0), N(0.0), N(0.0), N(0.0), N(0.0), N(0.0), N(0.0), N(0.0), N(0.0), N(0.0), N(0.0), N(0.0), N(0.0), N(0.0)], b"0|0.000000e+00|0.000000|0|0|0.000000E+00|0|     0.000|0.00e+00    |+0| 0|0.00000|0.|0.e+00|000000000000|0|0|0e+00|0|  0.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(0.1), N(0.1), N(0.1), N(0.1), N(0.1), N(0.1), N(0.1), N(0.1), N(0.1), N(0.1), N(0.1), N(0.1), N(0.1), N(0.1), N(0.1), N(0.1), N(0.1), N(0.1), N(0.1), N(0.1)], b"0.1|1.000000e-01|0.100000|0.1|0.1|1.000000E-01|0.1|     0.100|1.00e-01    |+0.1| 0.1|0.100000|0.|1.e-01|0000000000.1|0.1|0.10000000000000000555|1e-01|0|  0.1");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 1/3, 1/3, 1/3, 1/3, 1/3, 1/3, 1/3, 1/3, 1/3, 1/3, 1/3, 1/3, 1/3, 1/3, 1/3, 1/3, 1/3, 1/3, 1/3, 1/3)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333), N(0.3333333333333333)], b"0.333333|3.333333e-01|0.333333|0.33333333333333|0.333333|3.333333E-01|0.333|     0.333|3.33e-01    |+0.333333| 0.333333|0.333333|0.|3.e-01|00000000.333|0.3|0.33333333333333331483|3e-01|0|  0.3");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 2/3, 2/3, 2/3, 2/3, 2/3, 2/3, 2/3, 2/3, 2/3, 2/3, 2/3, 2/3, 2/3, 2/3, 2/3, 2/3, 2/3, 2/3, 2/3, 2/3)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666), N(0.6666666666666666)], b"0.666667|6.666667e-01|0.666667|0.66666666666667|0.666667|6.666667E-01|0.667|     0.667|6.67e-01    |+0.666667| 0.666667|0.666667|1.|7.e-01|00000000.667|0.7|0.66666666666666662966|7e-01|1|  0.7");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 1e15, 1e15, 1e15, 1e15, 1e15, 1e15, 1e15, 1e15, 1e15, 1e15, 1e15, 1e15, 1e15, 1e15, 1e15, 1e15, 1e15, 1e15, 1e15, 1e15)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(1e+15), N(1e+15), N(1e+15), N(1e+15), N(1e+15), N(1e+15), N(1e+15), N(1e+15), N(1e+15), N(1e+15), N(1e+15), N(1e+15), N(1e+15), N(1e+15), N(1e+15), N(1e+15), N(1e+15), N(1e+15), N(1e+15), N(1e+15)], b"1e+15|1.000000e+15|1000000000000000.000000|1e+15|1E+15|1.000000E+15|1e+15|1000000000000000.000|1.00e+15    |+1e+15| 1e+15|1.00000e+15|1000000000000000.|1.e+15|00000001e+15|1e+15|1000000000000000|1e+15|1000000000000000|1000000000000000.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 1e16, 1e16, 1e16, 1e16, 1e16, 1e16, 1e16, 1e16, 1e16, 1e16, 1e16, 1e16, 1e16, 1e16, 1e16, 1e16, 1e16, 1e16, 1e16, 1e16)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(1e+16), N(1e+16), N(1e+16), N(1e+16), N(1e+16), N(1e+16), N(1e+16), N(1e+16), N(1e+16), N(1e+16), N(1e+16), N(1e+16), N(1e+16), N(1e+16), N(1e+16), N(1e+16), N(1e+16), N(1e+16), N(1e+16), N(1e+16)], b"1e+16|1.000000e+16|10000000000000000.000000|1e+16|1E+16|1.000000E+16|1e+16|10000000000000000.000|1.00e+16    |+1e+16| 1e+16|1.00000e+16|10000000000000000.|1.e+16|00000001e+16|1e+16|10000000000000000|1e+16|10000000000000000|10000000000000000.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 1e100, 1e100, 1e100, 1e100, 1e100, 1e100, 1e100, 1e100, 1e100, 1e100, 1e100, 1e100, 1e100, 1e100, 1e100, 1e100, 1e100, 1e100, 1e100, 1e100)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(1e+100), N(1e+100), N(1e+100), N(1e+100), N(1e+100), N(1e+100), N(1e+100), N(1e+100), N(1e+100), N(1e+100), N(1e+100), N(1e+100), N(1e+100), N(1e+100), N(1e+100), N(1e+100), N(1e+100), N(1e+100), N(1e+100), N(1e+100)], b"1e+100|1.000000e+100|10000000000000000159028911097599180468360808563945281389781327557747838772170381060813469985856815104.000000|1e+100|1E+100|1.000000E+100|1e+100|10000000000000000159028911097599180468360808563945281389781327557747838772170381060813469985856815104.000|1.00e+100   |+1e+100| 1e+100|1.00000e+100|10000000000000000159028911097599180468360808563945281389781327557747838772170381060813469985856815104.|1.e+100|0000001e+100|1e+100|1.0000000000000000159e+100|1e+100|10000000000000000159028911097599180468360808563945281389781327557747838772170381060813469985856815104|10000000000000000159028911097599180468360808563945281389781327557747838772170381060813469985856815104.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 123456789012345678, 123456789012345678, 123456789012345678, 123456789012345678, 123456789012345678, 123456789012345678, 123456789012345678, 123456789012345678, 123456789012345678, 123456789012345678, 123456789012345678, 123456789012345678, 123456789012345678, 123456789012345678, 123456789012345678, 123456789012345678, 123456789012345678, 123456789012345678, 123456789012345678, 123456789012345678)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17), N(1.2345678901234568e+17)], b"1.23457e+17|1.234568e+17|123456789012345680.000000|1.2345678901235e+17|1.23457E+17|1.234568E+17|1.23e+17|123456789012345680.000|1.23e+17    |+1.23457e+17| 1.23457e+17|1.23457e+17|123456789012345680.|1.e+17|00001.23e+17|1e+17|123456789012345680|1e+17|123456789012345680|123456789012345680.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0)], b"9.0072e+15|9.007199e+15|9007199254740992.000000|9.007199254741e+15|9.0072E+15|9.007199E+15|9.01e+15|9007199254740992.000|9.01e+15    |+9.0072e+15| 9.0072e+15|9.00720e+15|9007199254740992.|9.e+15|00009.01e+15|9e+15|9007199254740992|9e+15|9007199254740992|9007199254740992.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 2^63, 2^63, 2^63, 2^63, 2^63, 2^63, 2^63, 2^63, 2^63, 2^63, 2^63, 2^63, 2^63, 2^63, 2^63, 2^63, 2^63, 2^63, 2^63, 2^63)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18), N(9.223372036854776e+18)], b"9.22337e+18|9.223372e+18|9223372036854775808.000000|9.2233720368548e+18|9.22337E+18|9.223372E+18|9.22e+18|9223372036854775808.000|9.22e+18    |+9.22337e+18| 9.22337e+18|9.22337e+18|9223372036854775808.|9.e+18|00009.22e+18|9e+18|9223372036854775808|9e+18|9223372036854775808|9223372036854775808.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", -1.5, -1.5, -1.5, -1.5, -1.5, -1.5, -1.5, -1.5, -1.5, -1.5, -1.5, -1.5, -1.5, -1.5, -1.5, -1.5, -1.5, -1.5, -1.5, -1.5)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(-1.5), N(-1.5), N(-1.5), N(-1.5), N(-1.5), N(-1.5), N(-1.5), N(-1.5), N(-1.5), N(-1.5), N(-1.5), N(-1.5), N(-1.5), N(-1.5), N(-1.5), N(-1.5), N(-1.5), N(-1.5), N(-1.5), N(-1.5)], b"-1.5|-1.500000e+00|-1.500000|-1.5|-1.5|-1.500000E+00|-1.5|    -1.500|-1.50e+00   |-1.5|-1.5|-1.50000|-2.|-2.e+00|-000000001.5|-2|-1.5|-2e+00|-2| -1.5");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(5e-324), N(5e-324), N(5e-324), N(5e-324), N(5e-324), N(5e-324), N(5e-324), N(5e-324), N(5e-324), N(5e-324), N(5e-324), N(5e-324), N(5e-324), N(5e-324), N(5e-324), N(5e-324), N(5e-324), N(5e-324), N(5e-324), N(5e-324)], b"4.94066e-324|4.940656e-324|0.000000|4.9406564584125e-324|4.94066E-324|4.940656E-324|4.94e-324|     0.000|4.94e-324   |+4.94066e-324| 4.94066e-324|4.94066e-324|0.|5.e-324|0004.94e-324|5e-324|4.9406564584124654418e-324|5e-324|0|  0.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308, 2.2250738585072014e-308)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308), N(2.2250738585072014e-308)], b"2.22507e-308|2.225074e-308|0.000000|2.2250738585072e-308|2.22507E-308|2.225074E-308|2.23e-308|     0.000|2.23e-308   |+2.22507e-308| 2.22507e-308|2.22507e-308|0.|2.e-308|0002.23e-308|2e-308|2.2250738585072013831e-308|2e-308|0|  0.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(1e+02), N(1e+02), N(1e+02), N(1e+02), N(1e+02), N(1e+02), N(1e+02), N(1e+02), N(1e+02), N(1e+02), N(1e+02), N(1e+02), N(1e+02), N(1e+02), N(1e+02), N(1e+02), N(1e+02), N(1e+02), N(1e+02), N(1e+02)], b"100|1.000000e+02|100.000000|100|100|1.000000E+02|100|   100.000|1.00e+02    |+100| 100|100.000|100.|1.e+02|000000000100|1e+02|100|1e+02|100|100.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(1e-05), N(1e-05), N(1e-05), N(1e-05), N(1e-05), N(1e-05), N(1e-05), N(1e-05), N(1e-05), N(1e-05), N(1e-05), N(1e-05), N(1e-05), N(1e-05), N(1e-05), N(1e-05), N(1e-05), N(1e-05), N(1e-05), N(1e-05)], b"1e-05|1.000000e-05|0.000010|1e-05|1E-05|1.000000E-05|1e-05|     0.000|1.00e-05    |+1e-05| 1e-05|1.00000e-05|0.|1.e-05|00000001e-05|1e-05|1.0000000000000000818e-05|1e-05|0|  0.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 123456, 123456, 123456, 123456, 123456, 123456, 123456, 123456, 123456, 123456, 123456, 123456, 123456, 123456, 123456, 123456, 123456, 123456, 123456, 123456)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(123456.0), N(123456.0), N(123456.0), N(123456.0), N(123456.0), N(123456.0), N(123456.0), N(123456.0), N(123456.0), N(123456.0), N(123456.0), N(123456.0), N(123456.0), N(123456.0), N(123456.0), N(123456.0), N(123456.0), N(123456.0), N(123456.0), N(123456.0)], b"123456|1.234560e+05|123456.000000|123456|123456|1.234560E+05|1.23e+05|123456.000|1.23e+05    |+123456| 123456|123456.|123456.|1.e+05|00001.23e+05|1e+05|123456|1e+05|123456|123456.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 1234567, 1234567, 1234567, 1234567, 1234567, 1234567, 1234567, 1234567, 1234567, 1234567, 1234567, 1234567, 1234567, 1234567, 1234567, 1234567, 1234567, 1234567, 1234567, 1234567)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(1234567.0), N(1234567.0), N(1234567.0), N(1234567.0), N(1234567.0), N(1234567.0), N(1234567.0), N(1234567.0), N(1234567.0), N(1234567.0), N(1234567.0), N(1234567.0), N(1234567.0), N(1234567.0), N(1234567.0), N(1234567.0), N(1234567.0), N(1234567.0), N(1234567.0), N(1234567.0)], b"1.23457e+06|1.234567e+06|1234567.000000|1234567|1.23457E+06|1.234567E+06|1.23e+06|1234567.000|1.23e+06    |+1.23457e+06| 1.23457e+06|1.23457e+06|1234567.|1.e+06|00001.23e+06|1e+06|1234567|1e+06|1234567|1234567.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(0.0001), N(0.0001), N(0.0001), N(0.0001), N(0.0001), N(0.0001), N(0.0001), N(0.0001), N(0.0001), N(0.0001), N(0.0001), N(0.0001), N(0.0001), N(0.0001), N(0.0001), N(0.0001), N(0.0001), N(0.0001), N(0.0001), N(0.0001)], b"0.0001|1.000000e-04|0.000100|0.0001|0.0001|1.000000E-04|0.0001|     0.000|1.00e-04    |+0.0001| 0.0001|0.000100000|0.|1.e-04|0000000.0001|0.0001|0.00010000000000000000479|1e-04|0|  0.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(2.5), N(2.5), N(2.5), N(2.5), N(2.5), N(2.5), N(2.5), N(2.5), N(2.5), N(2.5), N(2.5), N(2.5), N(2.5), N(2.5), N(2.5), N(2.5), N(2.5), N(2.5), N(2.5), N(2.5)], b"2.5|2.500000e+00|2.500000|2.5|2.5|2.500000E+00|2.5|     2.500|2.50e+00    |+2.5| 2.5|2.50000|2.|2.e+00|0000000002.5|2|2.5|2e+00|2|  2.5");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(0.5), N(0.5), N(0.5), N(0.5), N(0.5), N(0.5), N(0.5), N(0.5), N(0.5), N(0.5), N(0.5), N(0.5), N(0.5), N(0.5), N(0.5), N(0.5), N(0.5), N(0.5), N(0.5), N(0.5)], b"0.5|5.000000e-01|0.500000|0.5|0.5|5.000000E-01|0.5|     0.500|5.00e-01    |+0.5| 0.5|0.500000|0.|5.e-01|0000000000.5|0.5|0.5|5e-01|0|  0.5");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(1.5), N(1.5), N(1.5), N(1.5), N(1.5), N(1.5), N(1.5), N(1.5), N(1.5), N(1.5), N(1.5), N(1.5), N(1.5), N(1.5), N(1.5), N(1.5), N(1.5), N(1.5), N(1.5), N(1.5)], b"1.5|1.500000e+00|1.500000|1.5|1.5|1.500000E+00|1.5|     1.500|1.50e+00    |+1.5| 1.5|1.50000|2.|2.e+00|0000000001.5|2|1.5|2e+00|2|  1.5");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 1e21, 1e21, 1e21, 1e21, 1e21, 1e21, 1e21, 1e21, 1e21, 1e21, 1e21, 1e21, 1e21, 1e21, 1e21, 1e21, 1e21, 1e21, 1e21, 1e21)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(1e+21), N(1e+21), N(1e+21), N(1e+21), N(1e+21), N(1e+21), N(1e+21), N(1e+21), N(1e+21), N(1e+21), N(1e+21), N(1e+21), N(1e+21), N(1e+21), N(1e+21), N(1e+21), N(1e+21), N(1e+21), N(1e+21), N(1e+21)], b"1e+21|1.000000e+21|1000000000000000000000.000000|1e+21|1E+21|1.000000E+21|1e+21|1000000000000000000000.000|1.00e+21    |+1e+21| 1e+21|1.00000e+21|1000000000000000000000.|1.e+21|00000001e+21|1e+21|1e+21|1e+21|1000000000000000000000|1000000000000000000000.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 1e-300, 1e-300, 1e-300, 1e-300, 1e-300, 1e-300, 1e-300, 1e-300, 1e-300, 1e-300, 1e-300, 1e-300, 1e-300, 1e-300, 1e-300, 1e-300, 1e-300, 1e-300, 1e-300, 1e-300)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(1e-300), N(1e-300), N(1e-300), N(1e-300), N(1e-300), N(1e-300), N(1e-300), N(1e-300), N(1e-300), N(1e-300), N(1e-300), N(1e-300), N(1e-300), N(1e-300), N(1e-300), N(1e-300), N(1e-300), N(1e-300), N(1e-300), N(1e-300)], b"1e-300|1.000000e-300|0.000000|1e-300|1E-300|1.000000E-300|1e-300|     0.000|1.00e-300   |+1e-300| 1e-300|1.00000e-300|0.|1.e-300|0000001e-300|1e-300|1.0000000000000000251e-300|1e-300|0|  0.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308), N(1.7976931348623157e+308)], b"1.79769e+308|1.797693e+308|179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.000000|1.7976931348623e+308|1.79769E+308|1.797693E+308|1.8e+308|179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.000|1.80e+308   |+1.79769e+308| 1.79769e+308|1.79769e+308|179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.|2.e+308|00001.8e+308|2e+308|1.7976931348623157081e+308|2e+308|179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368|179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 12.3456789012345, 12.3456789012345, 12.3456789012345, 12.3456789012345, 12.3456789012345, 12.3456789012345, 12.3456789012345, 12.3456789012345, 12.3456789012345, 12.3456789012345, 12.3456789012345, 12.3456789012345, 12.3456789012345, 12.3456789012345, 12.3456789012345, 12.3456789012345, 12.3456789012345, 12.3456789012345, 12.3456789012345, 12.3456789012345)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(12.3456789012345), N(12.3456789012345), N(12.3456789012345), N(12.3456789012345), N(12.3456789012345), N(12.3456789012345), N(12.3456789012345), N(12.3456789012345), N(12.3456789012345), N(12.3456789012345), N(12.3456789012345), N(12.3456789012345), N(12.3456789012345), N(12.3456789012345), N(12.3456789012345), N(12.3456789012345), N(12.3456789012345), N(12.3456789012345), N(12.3456789012345), N(12.3456789012345)], b"12.3457|1.234568e+01|12.345679|12.345678901234|12.3457|1.234568E+01|12.3|    12.346|1.23e+01    |+12.3457| 12.3457|12.3457|12.|1.e+01|0000000012.3|1e+01|12.345678901234499847|1e+01|12| 12.3");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", -123.456, -123.456, -123.456, -123.456, -123.456, -123.456, -123.456, -123.456, -123.456, -123.456, -123.456, -123.456, -123.456, -123.456, -123.456, -123.456, -123.456, -123.456, -123.456, -123.456)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(-123.456), N(-123.456), N(-123.456), N(-123.456), N(-123.456), N(-123.456), N(-123.456), N(-123.456), N(-123.456), N(-123.456), N(-123.456), N(-123.456), N(-123.456), N(-123.456), N(-123.456), N(-123.456), N(-123.456), N(-123.456), N(-123.456), N(-123.456)], b"-123.456|-1.234560e+02|-123.456000|-123.456|-123.456|-1.234560E+02|-123|  -123.456|-1.23e+02   |-123.456|-123.456|-123.456|-123.|-1.e+02|-00000000123|-1e+02|-123.45600000000000307|-1e+02|-123|-123.5");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 999999.5, 999999.5, 999999.5, 999999.5, 999999.5, 999999.5, 999999.5, 999999.5, 999999.5, 999999.5, 999999.5, 999999.5, 999999.5, 999999.5, 999999.5, 999999.5, 999999.5, 999999.5, 999999.5, 999999.5)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(999999.5), N(999999.5), N(999999.5), N(999999.5), N(999999.5), N(999999.5), N(999999.5), N(999999.5), N(999999.5), N(999999.5), N(999999.5), N(999999.5), N(999999.5), N(999999.5), N(999999.5), N(999999.5), N(999999.5), N(999999.5), N(999999.5), N(999999.5)], b"1e+06|9.999995e+05|999999.500000|999999.5|1E+06|9.999995E+05|1e+06|999999.500|1.00e+06    |+1e+06| 1e+06|1.e+06|1000000.|1.e+06|00000001e+06|1e+06|999999.5|1e+06|1000000|999999.5");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14, 9.9999999999999e14)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14), N(9.9999999999999e+14)], b"1e+15|1.000000e+15|999999999999990.000000|9.9999999999999e+14|1E+15|1.000000E+15|1e+15|999999999999990.000|1.00e+15    |+1e+15| 1e+15|1.00000e+15|999999999999990.|1.e+15|00000001e+15|1e+15|999999999999990|1e+15|999999999999990|999999999999990.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 0.000123456789, 0.000123456789, 0.000123456789, 0.000123456789, 0.000123456789, 0.000123456789, 0.000123456789, 0.000123456789, 0.000123456789, 0.000123456789, 0.000123456789, 0.000123456789, 0.000123456789, 0.000123456789, 0.000123456789, 0.000123456789, 0.000123456789, 0.000123456789, 0.000123456789, 0.000123456789)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(0.000123456789), N(0.000123456789), N(0.000123456789), N(0.000123456789), N(0.000123456789), N(0.000123456789), N(0.000123456789), N(0.000123456789), N(0.000123456789), N(0.000123456789), N(0.000123456789), N(0.000123456789), N(0.000123456789), N(0.000123456789), N(0.000123456789), N(0.000123456789), N(0.000123456789), N(0.000123456789), N(0.000123456789), N(0.000123456789)], b"0.000123457|1.234568e-04|0.000123|0.000123456789|0.000123457|1.234568E-04|0.000123|     0.000|1.23e-04    |+0.000123457| 0.000123457|0.000123457|0.|1.e-04|00000.000123|0.0001|0.00012345678899999999669|1e-04|0|  0.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 1e22, 1e22, 1e22, 1e22, 1e22, 1e22, 1e22, 1e22, 1e22, 1e22, 1e22, 1e22, 1e22, 1e22, 1e22, 1e22, 1e22, 1e22, 1e22, 1e22)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(1e+22), N(1e+22), N(1e+22), N(1e+22), N(1e+22), N(1e+22), N(1e+22), N(1e+22), N(1e+22), N(1e+22), N(1e+22), N(1e+22), N(1e+22), N(1e+22), N(1e+22), N(1e+22), N(1e+22), N(1e+22), N(1e+22), N(1e+22)], b"1e+22|1.000000e+22|10000000000000000000000.000000|1e+22|1E+22|1.000000E+22|1e+22|10000000000000000000000.000|1.00e+22    |+1e+22| 1e+22|1.00000e+22|10000000000000000000000.|1.e+22|00000001e+22|1e+22|1e+22|1e+22|10000000000000000000000|10000000000000000000000.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 1e23, 1e23, 1e23, 1e23, 1e23, 1e23, 1e23, 1e23, 1e23, 1e23, 1e23, 1e23, 1e23, 1e23, 1e23, 1e23, 1e23, 1e23, 1e23, 1e23)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(1e+23), N(1e+23), N(1e+23), N(1e+23), N(1e+23), N(1e+23), N(1e+23), N(1e+23), N(1e+23), N(1e+23), N(1e+23), N(1e+23), N(1e+23), N(1e+23), N(1e+23), N(1e+23), N(1e+23), N(1e+23), N(1e+23), N(1e+23)], b"1e+23|1.000000e+23|99999999999999991611392.000000|1e+23|1E+23|1.000000E+23|1e+23|99999999999999991611392.000|1.00e+23    |+1e+23| 1e+23|1.00000e+23|99999999999999991611392.|1.e+23|00000001e+23|1e+23|9.9999999999999991611e+22|1e+23|99999999999999991611392|99999999999999991611392.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(5.5), N(5.5), N(5.5), N(5.5), N(5.5), N(5.5), N(5.5), N(5.5), N(5.5), N(5.5), N(5.5), N(5.5), N(5.5), N(5.5), N(5.5), N(5.5), N(5.5), N(5.5), N(5.5), N(5.5)], b"5.5|5.500000e+00|5.500000|5.5|5.5|5.500000E+00|5.5|     5.500|5.50e+00    |+5.5| 5.5|5.50000|6.|6.e+00|0000000005.5|6|5.5|6e+00|6|  5.5");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(0.05), N(0.05), N(0.05), N(0.05), N(0.05), N(0.05), N(0.05), N(0.05), N(0.05), N(0.05), N(0.05), N(0.05), N(0.05), N(0.05), N(0.05), N(0.05), N(0.05), N(0.05), N(0.05), N(0.05)], b"0.05|5.000000e-02|0.050000|0.05|0.05|5.000000E-02|0.05|     0.050|5.00e-02    |+0.05| 0.05|0.0500000|0.|5.e-02|000000000.05|0.05|0.050000000000000002776|5e-02|0|  0.1");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(0.15), N(0.15), N(0.15), N(0.15), N(0.15), N(0.15), N(0.15), N(0.15), N(0.15), N(0.15), N(0.15), N(0.15), N(0.15), N(0.15), N(0.15), N(0.15), N(0.15), N(0.15), N(0.15), N(0.15)], b"0.15|1.500000e-01|0.150000|0.15|0.15|1.500000E-01|0.15|     0.150|1.50e-01    |+0.15| 0.15|0.150000|0.|1.e-01|000000000.15|0.1|0.14999999999999999445|1e-01|0|  0.1");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(0.25), N(0.25), N(0.25), N(0.25), N(0.25), N(0.25), N(0.25), N(0.25), N(0.25), N(0.25), N(0.25), N(0.25), N(0.25), N(0.25), N(0.25), N(0.25), N(0.25), N(0.25), N(0.25), N(0.25)], b"0.25|2.500000e-01|0.250000|0.25|0.25|2.500000E-01|0.25|     0.250|2.50e-01    |+0.25| 0.25|0.250000|0.|2.e-01|000000000.25|0.2|0.25|2e-01|0|  0.2");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(0.35), N(0.35), N(0.35), N(0.35), N(0.35), N(0.35), N(0.35), N(0.35), N(0.35), N(0.35), N(0.35), N(0.35), N(0.35), N(0.35), N(0.35), N(0.35), N(0.35), N(0.35), N(0.35), N(0.35)], b"0.35|3.500000e-01|0.350000|0.35|0.35|3.500000E-01|0.35|     0.350|3.50e-01    |+0.35| 0.35|0.350000|0.|3.e-01|000000000.35|0.3|0.3499999999999999778|3e-01|0|  0.3");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 12345.6789, 12345.6789, 12345.6789, 12345.6789, 12345.6789, 12345.6789, 12345.6789, 12345.6789, 12345.6789, 12345.6789, 12345.6789, 12345.6789, 12345.6789, 12345.6789, 12345.6789, 12345.6789, 12345.6789, 12345.6789, 12345.6789, 12345.6789)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(12345.6789), N(12345.6789), N(12345.6789), N(12345.6789), N(12345.6789), N(12345.6789), N(12345.6789), N(12345.6789), N(12345.6789), N(12345.6789), N(12345.6789), N(12345.6789), N(12345.6789), N(12345.6789), N(12345.6789), N(12345.6789), N(12345.6789), N(12345.6789), N(12345.6789), N(12345.6789)], b"12345.7|1.234568e+04|12345.678900|12345.6789|12345.7|1.234568E+04|1.23e+04| 12345.679|1.23e+04    |+12345.7| 12345.7|12345.7|12346.|1.e+04|00001.23e+04|1e+04|12345.678900000000795|1e+04|12346|12345.7");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", -0.0001234, -0.0001234, -0.0001234, -0.0001234, -0.0001234, -0.0001234, -0.0001234, -0.0001234, -0.0001234, -0.0001234, -0.0001234, -0.0001234, -0.0001234, -0.0001234, -0.0001234, -0.0001234, -0.0001234, -0.0001234, -0.0001234, -0.0001234)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(-0.0001234), N(-0.0001234), N(-0.0001234), N(-0.0001234), N(-0.0001234), N(-0.0001234), N(-0.0001234), N(-0.0001234), N(-0.0001234), N(-0.0001234), N(-0.0001234), N(-0.0001234), N(-0.0001234), N(-0.0001234), N(-0.0001234), N(-0.0001234), N(-0.0001234), N(-0.0001234), N(-0.0001234), N(-0.0001234)], b"-0.0001234|-1.234000e-04|-0.000123|-0.0001234|-0.0001234|-1.234000E-04|-0.000123|    -0.000|-1.23e-04   |-0.0001234|-0.0001234|-0.000123400|-0.|-1.e-04|-0000.000123|-0.0001|-0.00012339999999999999082|-1e-04|-0| -0.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 65536.0625, 65536.0625, 65536.0625, 65536.0625, 65536.0625, 65536.0625, 65536.0625, 65536.0625, 65536.0625, 65536.0625, 65536.0625, 65536.0625, 65536.0625, 65536.0625, 65536.0625, 65536.0625, 65536.0625, 65536.0625, 65536.0625, 65536.0625)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(65536.0625), N(65536.0625), N(65536.0625), N(65536.0625), N(65536.0625), N(65536.0625), N(65536.0625), N(65536.0625), N(65536.0625), N(65536.0625), N(65536.0625), N(65536.0625), N(65536.0625), N(65536.0625), N(65536.0625), N(65536.0625), N(65536.0625), N(65536.0625), N(65536.0625), N(65536.0625)], b"65536.1|6.553606e+04|65536.062500|65536.0625|65536.1|6.553606E+04|6.55e+04| 65536.062|6.55e+04    |+65536.1| 65536.1|65536.1|65536.|7.e+04|00006.55e+04|7e+04|65536.0625|7e+04|65536|65536.1");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 1e-10, 1e-10, 1e-10, 1e-10, 1e-10, 1e-10, 1e-10, 1e-10, 1e-10, 1e-10, 1e-10, 1e-10, 1e-10, 1e-10, 1e-10, 1e-10, 1e-10, 1e-10, 1e-10, 1e-10)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(1e-10), N(1e-10), N(1e-10), N(1e-10), N(1e-10), N(1e-10), N(1e-10), N(1e-10), N(1e-10), N(1e-10), N(1e-10), N(1e-10), N(1e-10), N(1e-10), N(1e-10), N(1e-10), N(1e-10), N(1e-10), N(1e-10), N(1e-10)], b"1e-10|1.000000e-10|0.000000|1e-10|1E-10|1.000000E-10|1e-10|     0.000|1.00e-10    |+1e-10| 1e-10|1.00000e-10|0.|1.e-10|00000001e-10|1e-10|1.0000000000000000364e-10|1e-10|0|  0.0");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(0.95), N(0.95), N(0.95), N(0.95), N(0.95), N(0.95), N(0.95), N(0.95), N(0.95), N(0.95), N(0.95), N(0.95), N(0.95), N(0.95), N(0.95), N(0.95), N(0.95), N(0.95), N(0.95), N(0.95)], b"0.95|9.500000e-01|0.950000|0.95|0.95|9.500000E-01|0.95|     0.950|9.50e-01    |+0.95| 0.95|0.950000|1.|9.e-01|000000000.95|0.9|0.94999999999999995559|9e-01|1|  0.9");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(9.5), N(9.5), N(9.5), N(9.5), N(9.5), N(9.5), N(9.5), N(9.5), N(9.5), N(9.5), N(9.5), N(9.5), N(9.5), N(9.5), N(9.5), N(9.5), N(9.5), N(9.5), N(9.5), N(9.5)], b"9.5|9.500000e+00|9.500000|9.5|9.5|9.500000E+00|9.5|     9.500|9.50e+00    |+9.5| 9.5|9.50000|10.|1.e+01|0000000009.5|1e+01|9.5|1e+01|10|  9.5");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 99.5, 99.5, 99.5, 99.5, 99.5, 99.5, 99.5, 99.5, 99.5, 99.5, 99.5, 99.5, 99.5, 99.5, 99.5, 99.5, 99.5, 99.5, 99.5, 99.5)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(99.5), N(99.5), N(99.5), N(99.5), N(99.5), N(99.5), N(99.5), N(99.5), N(99.5), N(99.5), N(99.5), N(99.5), N(99.5), N(99.5), N(99.5), N(99.5), N(99.5), N(99.5), N(99.5), N(99.5)], b"99.5|9.950000e+01|99.500000|99.5|99.5|9.950000E+01|99.5|    99.500|9.95e+01    |+99.5| 99.5|99.5000|100.|1.e+02|0000000099.5|1e+02|99.5|1e+02|100| 99.5");
        // string.format("%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", 0.0009765625, 0.0009765625, 0.0009765625, 0.0009765625, 0.0009765625, 0.0009765625, 0.0009765625, 0.0009765625, 0.0009765625, 0.0009765625, 0.0009765625, 0.0009765625, 0.0009765625, 0.0009765625, 0.0009765625, 0.0009765625, 0.0009765625, 0.0009765625, 0.0009765625, 0.0009765625)
        check_ok(b"%g|%e|%f|%.14g|%G|%E|%.3g|%10.3f|%-12.2e|%+g|% g|%#g|%#.0f|%#.0e|%012.3g|%.0g|%.20g|%.0e|%.0f|%5.1f", &[N(0.0009765625), N(0.0009765625), N(0.0009765625), N(0.0009765625), N(0.0009765625), N(0.0009765625), N(0.0009765625), N(0.0009765625), N(0.0009765625), N(0.0009765625), N(0.0009765625), N(0.0009765625), N(0.0009765625), N(0.0009765625), N(0.0009765625), N(0.0009765625), N(0.0009765625), N(0.0009765625), N(0.0009765625), N(0.0009765625)], b"0.000976562|9.765625e-04|0.000977|0.0009765625|0.000976562|9.765625E-04|0.000977|     0.001|9.77e-04    |+0.000976562| 0.000976562|0.000976562|0.|1.e-03|00000.000977|0.001|0.0009765625|1e-03|0|  0.0");
    }

    /// A matrix of integer conversions.
    #[test]
    fn integer_matrix() {
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        check_ok(
            b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X",
            &[
                N(0.0),
                N(0.0),
                N(0.0),
                N(0.0),
                N(0.0),
                N(0.0),
                N(0.0),
                N(0.0),
                N(0.0),
                N(0.0),
                N(0.0),
                N(0.0),
                N(0.0),
                N(0.0),
                N(0.0),
            ],
            b"0|0|0|0|0|0|    0|0    |00000|+0| 0|000|0|0|0",
        );
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
        check_ok(
            b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X",
            &[
                N(1.0),
                N(1.0),
                N(1.0),
                N(1.0),
                N(1.0),
                N(1.0),
                N(1.0),
                N(1.0),
                N(1.0),
                N(1.0),
                N(1.0),
                N(1.0),
                N(1.0),
                N(1.0),
                N(1.0),
            ],
            b"1|1|1|1|1|1|    1|1    |00001|+1| 1|001|0x1|01|0X1",
        );
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1)
        check_ok(b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", &[N(-1.0), N(-1.0), N(-1.0), N(-1.0), N(-1.0), N(-1.0), N(-1.0), N(-1.0), N(-1.0), N(-1.0), N(-1.0), N(-1.0), N(-1.0), N(-1.0), N(-1.0)], b"-1|-1|18446744073709551615|ffffffffffffffff|FFFFFFFFFFFFFFFF|1777777777777777777777|   -1|-1   |-0001|-1|-1|-001|0xffffffffffffffff|01777777777777777777777|0XFFFFFFFFFFFFFFFF");
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)
        check_ok(
            b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X",
            &[
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
                N(255.0),
            ],
            b"255|255|255|ff|FF|377|  255|255  |00255|+255| 255|255|0xff|0377|0XFF",
        );
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", -255, -255, -255, -255, -255, -255, -255, -255, -255, -255, -255, -255, -255, -255, -255)
        check_ok(b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", &[N(-255.0), N(-255.0), N(-255.0), N(-255.0), N(-255.0), N(-255.0), N(-255.0), N(-255.0), N(-255.0), N(-255.0), N(-255.0), N(-255.0), N(-255.0), N(-255.0), N(-255.0)], b"-255|-255|18446744073709551361|ffffffffffffff01|FFFFFFFFFFFFFF01|1777777777777777777401| -255|-255 |-0255|-255|-255|-255|0xffffffffffffff01|01777777777777777777401|0XFFFFFFFFFFFFFF01");
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535)
        check_ok(b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", &[N(65535.0), N(65535.0), N(65535.0), N(65535.0), N(65535.0), N(65535.0), N(65535.0), N(65535.0), N(65535.0), N(65535.0), N(65535.0), N(65535.0), N(65535.0), N(65535.0), N(65535.0)], b"65535|65535|65535|ffff|FFFF|177777|65535|65535|65535|+65535| 65535|65535|0xffff|0177777|0XFFFF");
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", 3.7, 3.7, 3.7, 3.7, 3.7, 3.7, 3.7, 3.7, 3.7, 3.7, 3.7, 3.7, 3.7, 3.7, 3.7)
        check_ok(
            b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X",
            &[
                N(3.7),
                N(3.7),
                N(3.7),
                N(3.7),
                N(3.7),
                N(3.7),
                N(3.7),
                N(3.7),
                N(3.7),
                N(3.7),
                N(3.7),
                N(3.7),
                N(3.7),
                N(3.7),
                N(3.7),
            ],
            b"3|3|3|3|3|3|    3|3    |00003|+3| 3|003|0x3|03|0X3",
        );
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", -3.7, -3.7, -3.7, -3.7, -3.7, -3.7, -3.7, -3.7, -3.7, -3.7, -3.7, -3.7, -3.7, -3.7, -3.7)
        check_ok(b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", &[N(-3.7), N(-3.7), N(-3.7), N(-3.7), N(-3.7), N(-3.7), N(-3.7), N(-3.7), N(-3.7), N(-3.7), N(-3.7), N(-3.7), N(-3.7), N(-3.7), N(-3.7)], b"-3|-3|18446744073709551613|fffffffffffffffd|FFFFFFFFFFFFFFFD|1777777777777777777775|   -3|-3   |-0003|-3|-3|-003|0xfffffffffffffffd|01777777777777777777775|0XFFFFFFFFFFFFFFFD");
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", 1e10, 1e10, 1e10, 1e10, 1e10, 1e10, 1e10, 1e10, 1e10, 1e10, 1e10, 1e10, 1e10, 1e10, 1e10)
        check_ok(b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", &[N(1e+10), N(1e+10), N(1e+10), N(1e+10), N(1e+10), N(1e+10), N(1e+10), N(1e+10), N(1e+10), N(1e+10), N(1e+10), N(1e+10), N(1e+10), N(1e+10), N(1e+10)], b"10000000000|10000000000|10000000000|2540be400|2540BE400|112402762000|10000000000|10000000000|10000000000|+10000000000| 10000000000|10000000000|0x2540be400|0112402762000|0X2540BE400");
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", -1e10, -1e10, -1e10, -1e10, -1e10, -1e10, -1e10, -1e10, -1e10, -1e10, -1e10, -1e10, -1e10, -1e10, -1e10)
        check_ok(b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", &[N(-1e+10), N(-1e+10), N(-1e+10), N(-1e+10), N(-1e+10), N(-1e+10), N(-1e+10), N(-1e+10), N(-1e+10), N(-1e+10), N(-1e+10), N(-1e+10), N(-1e+10), N(-1e+10), N(-1e+10)], b"-10000000000|-10000000000|18446744063709551616|fffffffdabf41c00|FFFFFFFDABF41C00|1777777777665375016000|-10000000000|-10000000000|-10000000000|-10000000000|-10000000000|-10000000000|0xfffffffdabf41c00|01777777777665375016000|0XFFFFFFFDABF41C00");
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", 4294967296, 4294967296, 4294967296, 4294967296, 4294967296, 4294967296, 4294967296, 4294967296, 4294967296, 4294967296, 4294967296, 4294967296, 4294967296, 4294967296, 4294967296)
        check_ok(b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", &[N(4294967296.0), N(4294967296.0), N(4294967296.0), N(4294967296.0), N(4294967296.0), N(4294967296.0), N(4294967296.0), N(4294967296.0), N(4294967296.0), N(4294967296.0), N(4294967296.0), N(4294967296.0), N(4294967296.0), N(4294967296.0), N(4294967296.0)], b"4294967296|4294967296|4294967296|100000000|100000000|40000000000|4294967296|4294967296|4294967296|+4294967296| 4294967296|4294967296|0x100000000|040000000000|0X100000000");
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53, 2^53)
        check_ok(b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", &[N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0), N(9007199254740992.0)], b"9007199254740992|9007199254740992|9007199254740992|20000000000000|20000000000000|400000000000000000|9007199254740992|9007199254740992|9007199254740992|+9007199254740992| 9007199254740992|9007199254740992|0x20000000000000|0400000000000000000|0X20000000000000");
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", -2^53, -2^53, -2^53, -2^53, -2^53, -2^53, -2^53, -2^53, -2^53, -2^53, -2^53, -2^53, -2^53, -2^53, -2^53)
        check_ok(b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", &[N(-9007199254740992.0), N(-9007199254740992.0), N(-9007199254740992.0), N(-9007199254740992.0), N(-9007199254740992.0), N(-9007199254740992.0), N(-9007199254740992.0), N(-9007199254740992.0), N(-9007199254740992.0), N(-9007199254740992.0), N(-9007199254740992.0), N(-9007199254740992.0), N(-9007199254740992.0), N(-9007199254740992.0), N(-9007199254740992.0)], b"-9007199254740992|-9007199254740992|18437736874454810624|ffe0000000000000|FFE0000000000000|1777400000000000000000|-9007199254740992|-9007199254740992|-9007199254740992|-9007199254740992|-9007199254740992|-9007199254740992|0xffe0000000000000|01777400000000000000000|0XFFE0000000000000");
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", 2^62, 2^62, 2^62, 2^62, 2^62, 2^62, 2^62, 2^62, 2^62, 2^62, 2^62, 2^62, 2^62, 2^62, 2^62)
        check_ok(b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", &[N(4.611686018427388e+18), N(4.611686018427388e+18), N(4.611686018427388e+18), N(4.611686018427388e+18), N(4.611686018427388e+18), N(4.611686018427388e+18), N(4.611686018427388e+18), N(4.611686018427388e+18), N(4.611686018427388e+18), N(4.611686018427388e+18), N(4.611686018427388e+18), N(4.611686018427388e+18), N(4.611686018427388e+18), N(4.611686018427388e+18), N(4.611686018427388e+18)], b"4611686018427387904|4611686018427387904|4611686018427387904|4000000000000000|4000000000000000|400000000000000000000|4611686018427387904|4611686018427387904|4611686018427387904|+4611686018427387904| 4611686018427387904|4611686018427387904|0x4000000000000000|0400000000000000000000|0X4000000000000000");
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", 2^63-1024, 2^63-1024, 2^63-1024, 2^63-1024, 2^63-1024, 2^63-1024, 2^63-1024, 2^63-1024, 2^63-1024, 2^63-1024, 2^63-1024, 2^63-1024, 2^63-1024, 2^63-1024, 2^63-1024)
        check_ok(b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", &[N(9.223372036854775e+18), N(9.223372036854775e+18), N(9.223372036854775e+18), N(9.223372036854775e+18), N(9.223372036854775e+18), N(9.223372036854775e+18), N(9.223372036854775e+18), N(9.223372036854775e+18), N(9.223372036854775e+18), N(9.223372036854775e+18), N(9.223372036854775e+18), N(9.223372036854775e+18), N(9.223372036854775e+18), N(9.223372036854775e+18), N(9.223372036854775e+18)], b"9223372036854774784|9223372036854774784|9223372036854774784|7ffffffffffffc00|7FFFFFFFFFFFFC00|777777777777777776000|9223372036854774784|9223372036854774784|9223372036854774784|+9223372036854774784| 9223372036854774784|9223372036854774784|0x7ffffffffffffc00|0777777777777777776000|0X7FFFFFFFFFFFFC00");
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", -2^63, -2^63, -2^63, -2^63, -2^63, -2^63, -2^63, -2^63, -2^63, -2^63, -2^63, -2^63, -2^63, -2^63, -2^63)
        check_ok(b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", &[N(-9.223372036854776e+18), N(-9.223372036854776e+18), N(-9.223372036854776e+18), N(-9.223372036854776e+18), N(-9.223372036854776e+18), N(-9.223372036854776e+18), N(-9.223372036854776e+18), N(-9.223372036854776e+18), N(-9.223372036854776e+18), N(-9.223372036854776e+18), N(-9.223372036854776e+18), N(-9.223372036854776e+18), N(-9.223372036854776e+18), N(-9.223372036854776e+18), N(-9.223372036854776e+18)], b"-9223372036854775808|-9223372036854775808|9223372036854775808|8000000000000000|8000000000000000|1000000000000000000000|-9223372036854775808|-9223372036854775808|-9223372036854775808|-9223372036854775808|-9223372036854775808|-9223372036854775808|0x8000000000000000|01000000000000000000000|0X8000000000000000");
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", 1e19, 1e19, 1e19, 1e19, 1e19, 1e19, 1e19, 1e19, 1e19, 1e19, 1e19, 1e19, 1e19, 1e19, 1e19)
        check_ok(b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", &[N(1e+19), N(1e+19), N(1e+19), N(1e+19), N(1e+19), N(1e+19), N(1e+19), N(1e+19), N(1e+19), N(1e+19), N(1e+19), N(1e+19), N(1e+19), N(1e+19), N(1e+19)], b"-9223372036854775808|-9223372036854775808|10000000000000000000|8ac7230489e80000|8AC7230489E80000|1053071060221172000000|-9223372036854775808|-9223372036854775808|-9223372036854775808|-9223372036854775808|-9223372036854775808|-9223372036854775808|0x8ac7230489e80000|01053071060221172000000|0X8AC7230489E80000");
        // string.format("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", -1e19, -1e19, -1e19, -1e19, -1e19, -1e19, -1e19, -1e19, -1e19, -1e19, -1e19, -1e19, -1e19, -1e19, -1e19)
        check_ok(b"%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%#X", &[N(-1e+19), N(-1e+19), N(-1e+19), N(-1e+19), N(-1e+19), N(-1e+19), N(-1e+19), N(-1e+19), N(-1e+19), N(-1e+19), N(-1e+19), N(-1e+19), N(-1e+19), N(-1e+19), N(-1e+19)], b"-9223372036854775808|-9223372036854775808|9223372036854775808|8000000000000000|8000000000000000|1000000000000000000000|-9223372036854775808|-9223372036854775808|-9223372036854775808|-9223372036854775808|-9223372036854775808|-9223372036854775808|0x8000000000000000|01000000000000000000000|0X8000000000000000");
    }

    /// glibc's %#g quirk: P integer digits rounding up to 10^P keep no zeros.
    #[test]
    fn glibc_alt_g_quirk() {
        // string.format("%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g", 999999.5, 999999.5, 999999.5, 999999.5, 999999.5, 999999.5, 999999.5)
        check_ok(
            b"%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g",
            &[
                N(999999.5),
                N(999999.5),
                N(999999.5),
                N(999999.5),
                N(999999.5),
                N(999999.5),
                N(999999.5),
            ],
            b"1.e+06|1.00e+06|1.0e+06|1.e+06|1.e+06|1e+06|1e+06",
        );
        // string.format("%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g", 9999995, 9999995, 9999995, 9999995, 9999995, 9999995, 9999995)
        check_ok(
            b"%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g",
            &[
                N(9999995.0),
                N(9999995.0),
                N(9999995.0),
                N(9999995.0),
                N(9999995.0),
                N(9999995.0),
                N(9999995.0),
            ],
            b"1.00000e+07|1.00e+07|1.0e+07|1.e+07|1.e+07|1e+07|1e+07",
        );
        // string.format("%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g", 99.99995, 99.99995, 99.99995, 99.99995, 99.99995, 99.99995, 99.99995)
        check_ok(
            b"%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g",
            &[
                N(99.99995),
                N(99.99995),
                N(99.99995),
                N(99.99995),
                N(99.99995),
                N(99.99995),
                N(99.99995),
            ],
            b"99.9999|100.|1.e+02|1.e+02|1.e+02|99.9999|100",
        );
        // string.format("%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g", 9.999995, 9.999995, 9.999995, 9.999995, 9.999995, 9.999995, 9.999995)
        check_ok(
            b"%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g",
            &[
                N(9.999995),
                N(9.999995),
                N(9.999995),
                N(9.999995),
                N(9.999995),
                N(9.999995),
                N(9.999995),
            ],
            b"10.0000|10.0|10.|1.e+01|1.e+01|10|10",
        );
        // string.format("%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g", 0.99999995, 0.99999995, 0.99999995, 0.99999995, 0.99999995, 0.99999995, 0.99999995)
        check_ok(
            b"%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g",
            &[
                N(0.99999995),
                N(0.99999995),
                N(0.99999995),
                N(0.99999995),
                N(0.99999995),
                N(0.99999995),
                N(0.99999995),
            ],
            b"1.00000|1.00|1.0|1.|1.|1|1",
        );
        // string.format("%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g", 0.000099999995, 0.000099999995, 0.000099999995, 0.000099999995, 0.000099999995, 0.000099999995, 0.000099999995)
        check_ok(
            b"%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g",
            &[
                N(9.9999995e-05),
                N(9.9999995e-05),
                N(9.9999995e-05),
                N(9.9999995e-05),
                N(9.9999995e-05),
                N(9.9999995e-05),
                N(9.9999995e-05),
            ],
            b"0.000100000|0.000100|0.00010|0.0001|0.0001|0.0001|0.0001",
        );
        // string.format("%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g", 999.5, 999.5, 999.5, 999.5, 999.5, 999.5, 999.5)
        check_ok(
            b"%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g",
            &[
                N(999.5),
                N(999.5),
                N(999.5),
                N(999.5),
                N(999.5),
                N(999.5),
                N(999.5),
            ],
            b"999.500|1.e+03|1.0e+03|1.e+03|1.e+03|999.5|1e+03",
        );
        // string.format("%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g", 99.95, 99.95, 99.95, 99.95, 99.95, 99.95, 99.95)
        check_ok(
            b"%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g",
            &[
                N(99.95),
                N(99.95),
                N(99.95),
                N(99.95),
                N(99.95),
                N(99.95),
                N(99.95),
            ],
            b"99.9500|100.|1.e+02|1.e+02|1.e+02|99.95|100",
        );
        // string.format("%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g", 995, 995, 995, 995, 995, 995, 995)
        check_ok(
            b"%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g",
            &[
                N(995.0),
                N(995.0),
                N(995.0),
                N(995.0),
                N(995.0),
                N(995.0),
                N(995.0),
            ],
            b"995.000|995.|1.0e+03|1.e+03|1.e+03|995|995",
        );
        // string.format("%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g", 0.0099999995, 0.0099999995, 0.0099999995, 0.0099999995, 0.0099999995, 0.0099999995, 0.0099999995)
        check_ok(
            b"%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g",
            &[
                N(0.0099999995),
                N(0.0099999995),
                N(0.0099999995),
                N(0.0099999995),
                N(0.0099999995),
                N(0.0099999995),
                N(0.0099999995),
            ],
            b"0.0100000|0.0100|0.010|0.01|0.01|0.01|0.01",
        );
        // string.format("%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g", 999999.4, 999999.4, 999999.4, 999999.4, 999999.4, 999999.4, 999999.4)
        check_ok(
            b"%#g|%#.3g|%#.2g|%#.1g|%#.0g|%g|%.3g",
            &[
                N(999999.4),
                N(999999.4),
                N(999999.4),
                N(999999.4),
                N(999999.4),
                N(999999.4),
                N(999999.4),
            ],
            b"999999.|1.00e+06|1.0e+06|1.e+06|1.e+06|999999|1e+06",
        );
        // string.format("%#.22g|%#.23g|%#.22G|%#G", 1e23, 1e23, 9999999999999999999999.5, 99999999999999999999999)
        check_ok(b"%#.22g|%#.23g|%#.22G|%#G", &[N(1e+23), N(1e+23), N(1e+22), N(1e+23)], b"9.999999999999999161139e+22|99999999999999991611392.|1.000000000000000000000E+22|1.00000E+23");
        // string.format("%#.10g|%#.15g|%#.16g|%#.17g", 9999999999.5, 999999999999999.5, 9999999999999998, 99999999999999999)
        check_ok(
            b"%#.10g|%#.15g|%#.16g|%#.17g",
            &[
                N(9999999999.5),
                N(999999999999999.5),
                N(9999999999999998.0),
                N(1e+17),
            ],
            b"1.e+10|1.e+15|9999999999999998.|1.0000000000000000e+17",
        );
    }

    /// Flags that do not apply to a conversion are ignored.
    #[test]
    fn inapplicable_flags() {
        // string.format("[%.3c]|[%+c]|[%#c]|[% c]|[%#s]|[%+.3s]|[%#d]|[%#u]|[%+u]|[% x]|[%#5.3s]", 65, 66, 67, 68, "ab", "abcd", 5, 6, 7, 8, "xyz")
        check_ok(
            b"[%.3c]|[%+c]|[%#c]|[% c]|[%#s]|[%+.3s]|[%#d]|[%#u]|[%+u]|[% x]|[%#5.3s]",
            &[
                N(65.0),
                N(66.0),
                N(67.0),
                N(68.0),
                S(b"ab"),
                S(b"abcd"),
                N(5.0),
                N(6.0),
                N(7.0),
                N(8.0),
                S(b"xyz"),
            ],
            b"[A]|[B]|[C]|[D]|[ab]|[abc]|[5]|[6]|[7]|[8]|[  xyz]",
        );
        // string.format("[%#i]|[%#.0d]|[%+#o]|[%#.3o]|[%#.3x]|[%-#10x]|[%#010o]", 5, 0, 8, 8, 255, 255, 8)
        check_ok(
            b"[%#i]|[%#.0d]|[%+#o]|[%#.3o]|[%#.3x]|[%-#10x]|[%#010o]",
            &[N(5.0), N(0.0), N(8.0), N(8.0), N(255.0), N(255.0), N(8.0)],
            b"[5]|[]|[010]|[010]|[0x0ff]|[0xff      ]|[0000000010]",
        );
    }

    #[test]
    fn errors_keep_their_structure() {
        // ("%d"):format("x") is "bad argument #1 to 'format' ..." in 5.1: the VM needs the
        // argument number apart from the message to shift it for method calls.
        assert_eq!(
            format(b"%s %d", &[S(b"a"), S(b"x")], usize::MAX),
            Err(FormatError::BadArgument {
                arg: 3,
                message: "number expected, got string".to_owned()
            })
        );
        assert_eq!(
            format(b"%y", &[N(1.0)], usize::MAX),
            Err(FormatError::Malformed(
                b"invalid option '%y' to 'format'".to_vec()
            ))
        );
        assert_eq!(
            format(b"%d", &[], usize::MAX).unwrap_err().to_string(),
            "bad argument #2 to 'format' (no value)"
        );
    }

    #[test]
    fn output_longer_than_the_limit_is_out_of_memory() {
        let args = [S(b"abc"), S(b"def")];
        assert_eq!(format(b"%s%s", &args, 6), Ok(b"abcdef".to_vec()));
        assert_eq!(format(b"%s%s", &args, 5), Err(FormatError::OutOfMemory));
        assert_eq!(
            format(b"%q", &[S(b"\0\0")], 7),
            Err(FormatError::OutOfMemory)
        );
        assert_eq!(format(b"%5d", &[N(1.0)], 4), Err(FormatError::OutOfMemory));
        assert_eq!(format(b"abcdef", &[], 5), Err(FormatError::OutOfMemory));
    }

    #[test]
    fn c_conversions() {
        // The x86-64 conversions 5.1's casts compile to (checked through %d/%u/%c above).
        assert_eq!(c_long(-0.99), 0);
        assert_eq!(c_long(-9_223_372_036_854_775_808.0), i64::MIN);
        assert_eq!(
            c_long(9_223_372_036_854_774_784.0),
            9_223_372_036_854_774_784
        );
        assert_eq!(
            c_ulong(18_446_744_073_709_549_568.0),
            18_446_744_073_709_549_568
        );
        assert_eq!(c_ulong(-1.0), u64::MAX);
        assert_eq!(c_int(-2_147_483_648.9), i32::MIN);
        assert_eq!(c_int(2_147_483_647.9), i32::MAX);
        assert_eq!(c_int(2_147_483_648.0), i32::MIN);
    }
}
