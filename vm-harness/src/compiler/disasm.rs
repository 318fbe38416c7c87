//! Bytecode listings in the exact text format of `luac5.1 -l` (and `-l -l`), so that
//! compiler output can be diffed against the reference compiler line by line.
//!
//! Invariant: the only intended difference from luac's output is the function
//! "addresses" (`%p` in luac): a listing numbers functions in pre-order and prints
//! function number `n` as `0x` followed by `n` in hex. Comparisons must normalise
//! `0x...` words on both sides.

use std::fmt::Write;

use super::opcodes::{
    get_a, get_b, get_bx, get_c, get_opcode, get_sbx, index_k, is_k, OpArgMask, OpCode, OpMode,
};
use super::proto::{Constant, Proto};

/// Formats a number as C's `printf("%.14g")`, Lua 5.1's `LUA_NUMBER_FMT` (so this is
/// also how `tostring` shows numbers).
pub fn format_number(n: f64) -> String {
    if n.is_nan() {
        return if n.is_sign_negative() { "-nan" } else { "nan" }.to_owned();
    }
    if n.is_infinite() {
        return if n < 0.0 { "-inf" } else { "inf" }.to_owned();
    }
    if n == 0.0 {
        return if n.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    const PRECISION: i32 = 14;
    let sci = format!("{:.*e}", (PRECISION - 1) as usize, n);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..PRECISION).contains(&exp) {
        let mantissa = strip_zeros(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        let fixed = format!("{:.*}", (PRECISION - 1 - exp) as usize, n);
        strip_zeros(&fixed).to_owned()
    }
}

/// Drops trailing fractional zeros and a bare decimal point, as `%g` does.
fn strip_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// A string constant as luac's `PrintString` shows it: quoted, with C escapes and
/// `\ddd` for other non-printable bytes.
fn quote_string(s: &[u8]) -> String {
    let mut out = String::from("\"");
    for &c in s {
        match c {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            7 => out.push_str("\\a"),
            8 => out.push_str("\\b"),
            12 => out.push_str("\\f"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            11 => out.push_str("\\v"),
            32..=126 => out.push(c as char),
            _ => {
                let _ = write!(out, "\\{c:03}");
            }
        }
    }
    out.push('"');
    out
}

fn constant_text(k: Option<&Constant>) -> String {
    match k {
        Some(Constant::Nil) => "nil".to_owned(),
        Some(Constant::Boolean(b)) => b.to_string(),
        Some(Constant::Number(n)) => format_number(*n),
        Some(Constant::String(s)) => quote_string(s),
        None => "?".to_owned(),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Lists `proto` and its nested functions like `luac5.1 -l` (with `full`, like
/// `luac5.1 -l -l`: plus constants, locals and upvalues).
pub fn listing(proto: &Proto, full: bool) -> String {
    let mut out = String::new();
    let mut next_id = 1;
    list_function(&mut out, proto, full, &mut next_id);
    out
}

fn subtree_size(p: &Proto) -> usize {
    1 + p.protos.iter().map(subtree_size).sum::<usize>()
}

fn list_function(out: &mut String, f: &Proto, full: bool, next_id: &mut usize) {
    let id = *next_id;
    *next_id += 1;
    let addr = format!("0x{id:x}");
    let kind = if f.line_defined == 0 {
        "main"
    } else {
        "function"
    };
    let n = f.code.len();
    // luac names a chunk by its source without the `@`/`=` mark.
    let source = match f.source.as_bytes().first() {
        Some(b'@' | b'=') => &f.source[1..],
        _ => "(string)",
    };
    let _ = writeln!(
        out,
        "\n{kind} <{source}:{},{}> ({n} instruction{}, {} bytes at {addr})",
        f.line_defined,
        f.last_line_defined,
        plural(n),
        n * 4
    );
    let np = usize::from(f.num_params);
    let _ = write!(
        out,
        "{np}{} param{}, {} slot{}, {} upvalue{}, ",
        if f.is_vararg { "+" } else { "" },
        plural(np),
        f.max_stack_size,
        plural(usize::from(f.max_stack_size)),
        f.upvalue_names.len(),
        plural(f.upvalue_names.len())
    );
    let _ = writeln!(
        out,
        "{} local{}, {} constant{}, {} function{}",
        f.local_vars.len(),
        plural(f.local_vars.len()),
        f.constants.len(),
        plural(f.constants.len()),
        f.protos.len(),
        plural(f.protos.len())
    );
    let mut child_ids = Vec::with_capacity(f.protos.len());
    let mut id_acc = *next_id;
    for p in &f.protos {
        child_ids.push(id_acc);
        id_acc += subtree_size(p);
    }
    list_code(out, f, &child_ids);
    if full {
        let _ = writeln!(out, "constants ({}) for {addr}:", f.constants.len());
        for (i, k) in f.constants.iter().enumerate() {
            let _ = writeln!(out, "\t{}\t{}", i + 1, constant_text(Some(k)));
        }
        let _ = writeln!(out, "locals ({}) for {addr}:", f.local_vars.len());
        for (i, v) in f.local_vars.iter().enumerate() {
            let _ = writeln!(
                out,
                "\t{i}\t{}\t{}\t{}",
                v.name,
                v.start_pc + 1,
                v.end_pc + 1
            );
        }
        let _ = writeln!(out, "upvalues ({}) for {addr}:", f.upvalue_names.len());
        for (i, name) in f.upvalue_names.iter().enumerate() {
            let _ = writeln!(out, "\t{i}\t{name}");
        }
    }
    for p in &f.protos {
        list_function(out, p, full, next_id);
    }
}

fn rk_text(rk: u32) -> i64 {
    if is_k(rk) {
        -1 - i64::from(index_k(rk))
    } else {
        i64::from(rk)
    }
}

fn list_code(out: &mut String, f: &Proto, child_ids: &[usize]) {
    let code = &f.code;
    let mut pc = 0;
    while pc < code.len() {
        let i = code[pc];
        let line = f.line_info.get(pc).copied().unwrap_or(0);
        let _ = write!(out, "\t{}\t", pc + 1);
        if line > 0 {
            let _ = write!(out, "[{line}]\t");
        } else {
            out.push_str("[-]\t");
        }
        let Some(op) = get_opcode(i) else {
            let _ = writeln!(out, "<invalid {i:#010x}>");
            pc += 1;
            continue;
        };
        let _ = write!(out, "{:<9}\t", op.name());
        let info = op.info();
        let (a, b, c, bx, sbx) = (get_a(i), get_b(i), get_c(i), get_bx(i), get_sbx(i));
        match info.mode {
            OpMode::Abc => {
                let _ = write!(out, "{a}");
                if info.b != OpArgMask::N {
                    let _ = write!(out, " {}", rk_text(b));
                }
                if info.c != OpArgMask::N {
                    let _ = write!(out, " {}", rk_text(c));
                }
            }
            OpMode::ABx => {
                if info.b == OpArgMask::K {
                    let _ = write!(out, "{a} {}", -1 - i64::from(bx));
                } else {
                    let _ = write!(out, "{a} {bx}");
                }
            }
            OpMode::AsBx => {
                if op == OpCode::Jmp {
                    let _ = write!(out, "{sbx}");
                } else {
                    let _ = write!(out, "{a} {sbx}");
                }
            }
        }
        let k = |idx: u32| constant_text(f.constants.get(idx as usize));
        match op {
            OpCode::LoadK => {
                let _ = write!(out, "\t; {}", k(bx));
            }
            OpCode::GetUpval | OpCode::SetUpval => {
                let name = if f.upvalue_names.is_empty() {
                    "-"
                } else {
                    f.upvalue_names.get(b as usize).map_or("?", String::as_str)
                };
                let _ = write!(out, "\t; {name}");
            }
            OpCode::GetGlobal | OpCode::SetGlobal => {
                let name = match f.constants.get(bx as usize) {
                    Some(Constant::String(s)) => {
                        let end = s.iter().position(|&b| b == 0).unwrap_or(s.len());
                        String::from_utf8_lossy(&s[..end]).into_owned()
                    }
                    _ => "?".to_owned(),
                };
                let _ = write!(out, "\t; {name}");
            }
            OpCode::GetTable | OpCode::Self_ if is_k(c) => {
                let _ = write!(out, "\t; {}", k(index_k(c)));
            }
            // luac 5.1's print.c leaves MOD out of this list; so do we.
            OpCode::SetTable
            | OpCode::Add
            | OpCode::Sub
            | OpCode::Mul
            | OpCode::Div
            | OpCode::Pow
            | OpCode::Eq
            | OpCode::Lt
            | OpCode::Le
                if is_k(b) || is_k(c) =>
            {
                let kb = if is_k(b) {
                    k(index_k(b))
                } else {
                    "-".to_owned()
                };
                let kc = if is_k(c) {
                    k(index_k(c))
                } else {
                    "-".to_owned()
                };
                let _ = write!(out, "\t; {kb} {kc}");
            }
            OpCode::Jmp | OpCode::ForLoop | OpCode::ForPrep => {
                let _ = write!(out, "\t; to {}", sbx as i64 + pc as i64 + 2);
            }
            OpCode::Closure => {
                let id = child_ids.get(bx as usize).copied().unwrap_or(0);
                let _ = write!(out, "\t; 0x{id:x}");
            }
            OpCode::SetList => {
                if c == 0 {
                    pc += 1;
                    let _ = write!(out, "\t; {}", code.get(pc).copied().unwrap_or(0));
                } else {
                    let _ = write!(out, "\t; {c}");
                }
            }
            _ => {}
        }
        out.push('\n');
        pc += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_format_like_percent_14g() {
        // Expected strings are what luac5.1 -l -l printed for these constants.
        let cases: [(f64, &str); 14] = [
            (0.0, "0"),
            (1.0, "1"),
            (100.0, "100"),
            (0.5, "0.5"),
            (0.1, "0.1"),
            (1.0 / 3.0, "0.33333333333333"),
            (1e15, "1e+15"),
            (1e14, "1e+14"),
            (123_456_789_012_345.0, "1.2345678901234e+14"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (2f64.sqrt(), "1.4142135623731"),
            (f64::INFINITY, "inf"),
            (-1.5e300, "-1.5e+300"),
        ];
        for (n, s) in cases {
            assert_eq!(format_number(n), s, "{n}");
        }
        assert_eq!(format_number(-0.0), "-0");
        assert_eq!(format_number(12_345_678_901_234.0), "12345678901234");
        assert_eq!(format_number(-2.5), "-2.5");
    }

    #[test]
    fn strings_quote_like_luac() {
        assert_eq!(
            quote_string(b"q\0z\xff\"\\\n"),
            "\"q\\000z\\255\\\"\\\\\\n\""
        );
    }
}
