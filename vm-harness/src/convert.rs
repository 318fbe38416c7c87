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
