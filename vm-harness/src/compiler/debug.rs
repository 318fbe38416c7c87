//! Variable names for runtime error messages, as 5.1's `ldebug.c` derives them
//! (`getobjname` over a symbolic execution, `symbexec`) and `lfunc.c`'s
//! `luaF_getlocalname`.
//!
//! Invariant: only the prototype is consulted, never runtime values, so the answers
//! depend on `(proto, pc, register)` alone and match what lua5.1 prints in messages
//! like "attempt to index local 't' (a nil value)".

use super::opcodes::{
    get_a, get_b, get_bx, get_c, get_opcode, get_sbx, index_k, is_k, OpCode, OpMode,
};
use super::proto::{Constant, Proto};

/// Name of the `local_number`-th (1-based) local variable active at `pc`, if any
/// (`luaF_getlocalname`); also what `debug.getlocal` reports.
pub fn local_name(proto: &Proto, local_number: usize, pc: usize) -> Option<&str> {
    let mut n = local_number;
    for var in proto
        .local_vars
        .iter()
        .take_while(|v| v.start_pc as usize <= pc)
    {
        if pc < var.end_pc as usize {
            n -= 1;
            if n == 0 {
                return Some(&var.name);
            }
        }
    }
    None
}

/// Describes what register `reg` holds while the instruction at `pc` runs, for error
/// messages: `("local", name)`, `("global", name)`, `("field", key)`,
/// `("upvalue", name)` or `("method", name)`; `None` when 5.1 would print no name
/// (e.g. "attempt to call a nil value"). 5.1 has no "constant" kind (5.2 added it).
/// `pc` is the index of the faulting instruction.
/// Names that are not UTF-8 (possible for field keys) are converted lossily.
pub fn describe_register(proto: &Proto, pc: usize, reg: u8) -> Option<(&'static str, String)> {
    if let Some(name) = local_name(proto, usize::from(reg) + 1, pc) {
        return Some(("local", name.to_owned()));
    }
    let i = symbexec(proto, pc, u32::from(reg))?;
    match get_opcode(i)? {
        OpCode::GetGlobal => Some(("global", constant_name(proto, get_bx(i))?)),
        OpCode::Move => {
            let (a, b) = (get_a(i), get_b(i));
            if b < a {
                describe_register(proto, pc, b as u8)
            } else {
                None
            }
        }
        OpCode::GetTable => Some(("field", kname(proto, get_c(i)))),
        OpCode::GetUpval => {
            let name = proto
                .upvalue_names
                .get(get_b(i) as usize)
                .cloned()
                .unwrap_or_else(|| "?".to_owned());
            Some(("upvalue", name))
        }
        OpCode::Self_ => Some(("method", kname(proto, get_c(i)))),
        _ => None,
    }
}

fn constant_name(proto: &Proto, idx: u32) -> Option<String> {
    match proto.constants.get(idx as usize)? {
        Constant::String(s) => Some(String::from_utf8_lossy(s).into_owned()),
        _ => None,
    }
}

/// The key of an RK operand when it is a string constant, else `?`.
fn kname(proto: &Proto, rk: u32) -> String {
    if is_k(rk) {
        if let Some(name) = constant_name(proto, index_k(rk)) {
            return name;
        }
    }
    "?".to_owned()
}

/// The last instruction before `lastpc` that changed `reg`, following forward jumps
/// that stay within `lastpc` (`symbexec` in tracing mode); the final `RETURN` if none.
fn symbexec(proto: &Proto, lastpc: usize, reg: u32) -> Option<u32> {
    let code = &proto.code;
    let mut last = code.len().checked_sub(1)?;
    let mut pc = 0;
    while pc < lastpc.min(code.len()) {
        let i = code[pc];
        let op = get_opcode(i)?;
        let info = op.info();
        let a = get_a(i);
        let (b, c) = match info.mode {
            OpMode::Abc => (get_b(i) as i64, get_c(i)),
            OpMode::ABx => (i64::from(get_bx(i)), 0),
            OpMode::AsBx => (i64::from(get_sbx(i)), 0),
        };
        if info.sets_a && a == reg {
            last = pc;
        }
        match op {
            OpCode::LoadNil if a <= reg && i64::from(reg) <= b => last = pc,
            OpCode::Self_ if reg == a + 1 => last = pc,
            OpCode::TForLoop if reg >= a + 2 => last = pc,
            OpCode::Call | OpCode::TailCall if reg >= a => last = pc,
            OpCode::ForLoop | OpCode::ForPrep | OpCode::Jmp => {
                let dest = pc as i64 + 1 + b;
                if (pc as i64) < dest && dest <= lastpc as i64 {
                    pc = (pc as i64 + b) as usize;
                }
            }
            OpCode::SetList if c == 0 => pc += 1,
            OpCode::Closure => {
                pc += proto.protos.get(b as usize)?.upvalue_names.len();
            }
            _ => {}
        }
        pc += 1;
    }
    Some(code[last])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::compile;

    /// Compiles `src` and describes `reg` at the first instruction with opcode `op`.
    fn describe_at(
        src: &str,
        op: OpCode,
        reg_of: impl Fn(u32) -> u32,
    ) -> Option<(&'static str, String)> {
        let p = compile(src.as_bytes(), "t.lua").unwrap();
        let proto = if p.protos.is_empty() {
            &p
        } else {
            &p.protos[0]
        };
        let pc = proto
            .code
            .iter()
            .position(|&i| get_opcode(i) == Some(op))
            .expect("opcode present");
        describe_register(proto, pc, reg_of(proto.code[pc]) as u8)
    }

    fn named(kind: &'static str, name: &str) -> Option<(&'static str, String)> {
        Some((kind, name.to_owned()))
    }

    // Each case mirrors a lua5.1 runtime message, shown in the comment as lua5.1 prints it.

    #[test]
    fn local_index() {
        // local t; t.x = 1  -->  attempt to index local 't' (a nil value)
        assert_eq!(
            describe_at("local t; t.x = 1", OpCode::SetTable, get_a),
            named("local", "t")
        );
    }

    #[test]
    fn global_call() {
        // foo()  -->  attempt to call global 'foo' (a nil value)
        assert_eq!(
            describe_at("foo()", OpCode::Call, get_a),
            named("global", "foo")
        );
    }

    #[test]
    fn field_index() {
        // local t = {} ; t.x.y = 1  -->  attempt to index field 'x' (a nil value)
        assert_eq!(
            describe_at("local t = {} ; t.x.y = 1", OpCode::SetTable, get_a),
            named("field", "x")
        );
    }

    #[test]
    fn method_call() {
        // local o = {} ; o:m()  -->  attempt to call method 'm' (a nil value)
        assert_eq!(
            describe_at("local o = {} ; o:m()", OpCode::Call, get_a),
            named("method", "m")
        );
    }

    #[test]
    fn upvalue_arith() {
        // local u; function f() return u + 1 end; f()
        //   -->  attempt to perform arithmetic on upvalue 'u' (a nil value)
        assert_eq!(
            describe_at("local u; function f() return u + 1 end", OpCode::Add, get_b),
            named("upvalue", "u")
        );
    }

    #[test]
    fn moved_global_and_unknown() {
        // local x = y; x()  names the local; (nil)() has no name.
        assert_eq!(
            describe_at("local x = y; x()", OpCode::Call, get_a),
            named("local", "x")
        );
        assert_eq!(describe_at("(nil)()", OpCode::Call, get_a), None);
        // t[1].z: the key of the faulting index is not a string constant.
        assert_eq!(
            describe_at("local t = {} ; t[1].z = 1", OpCode::SetTable, get_a),
            named("field", "?")
        );
    }

    #[test]
    fn jumps_are_followed() {
        // local a = c and d; a.x = 1 -- the register of `a` is a local.
        assert_eq!(
            describe_at("local a = c and d; a.x = 1", OpCode::SetTable, get_a),
            named("local", "a")
        );
        // (c or d).y: the jump over `GETGLOBAL d` is followed, so the last writer found
        // is the TEST; lua5.1 prints "attempt to index a nil value" without a name.
        assert_eq!(describe_at("x = (c or d).y", OpCode::GetTable, get_b), None);
    }

    #[test]
    fn local_names_by_scope() {
        // luac5.1 -l -l lists (1-based, end exclusive): a 2 5, b 3 4, c 5 5.
        let p = compile(
            b"local a = 1; do local b = 2; x = b end; local c = 3",
            "t.lua",
        )
        .unwrap();
        assert_eq!(local_name(&p, 1, 0), None);
        assert_eq!(local_name(&p, 1, 1), Some("a"));
        assert_eq!(local_name(&p, 1, 3), Some("a"));
        assert_eq!(local_name(&p, 2, 2), Some("b"));
        assert_eq!(local_name(&p, 2, 3), None);
        assert_eq!(local_name(&p, 1, 4), None);
    }
}
