//! Number/string conversions as the VM uses them: a thin layer over `text::number`
//! (lua5.1's exact `%.14g` and `strtod` behaviour) that appends to a byte buffer, with a
//! fast path for integral values, which print as plain integers under `%.14g`.

use crate::text::number::{number_to_string, parse_number as parse};

/// Appends `n` as `tostring` prints it.
#[inline]
pub fn format_number(n: f64, out: &mut Vec<u8>) {
    if n == n.trunc() && n.abs() < 1e14 && !(n == 0.0 && n.is_sign_negative()) {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        let neg = n < 0.0;
        let mut v = n.abs() as u64;
        loop {
            i -= 1;
            buf[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        if neg {
            out.push(b'-');
        }
        out.extend_from_slice(&buf[i..]);
        return;
    }
    out.extend_from_slice(number_to_string(n).as_bytes());
}

/// Parses a string as Lua's number coercion does (`tonumber(s)`).
#[inline]
pub fn parse_number(s: &[u8]) -> Option<f64> {
    parse(s)
}

/// The C conversion `(int)d` on x86-64 (`cvttsd2si`): truncation, and `INT_MIN` for NaN
/// and values out of range. 5.1 casts this way where it converts a number straight to
/// `int` (`string.format`'s `%c`).
pub fn c_int(d: f64) -> i32 {
    if d > -2_147_483_649.0 && d < 2_147_483_648.0 {
        d as i32
    } else {
        i32::MIN
    }
}

/// `(long)d` on x86-64: truncation, and `LONG_MIN` for NaN and values out of range. This
/// is 5.1's `lua_tointeger` (`luaL_checkinteger`) on this platform, so every library
/// integer argument goes through it.
pub fn c_long(d: f64) -> i64 {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if (-TWO_63..TWO_63).contains(&d) {
        d as i64
    } else {
        i64::MIN
    }
}

/// 5.1's `luaL_checkint` on x86-64: `(int)` of the `lua_Integer`, i.e. the low 32 bits of
/// [`c_long`], so NaN and out-of-range numbers give 0 and 2^32 + 2 gives 2.
pub fn c_int_of_integer(d: f64) -> i32 {
    c_long(d) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integral_fast_path_matches_text_number() {
        for n in [
            0.0,
            1.0,
            -1.0,
            42.0,
            99999999999999.0,
            -12345678901234.0,
            1e14,
            1e15,
            -0.0,
            0.5,
        ] {
            let mut out = Vec::new();
            format_number(n, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), number_to_string(n), "{n}");
        }
    }
}
