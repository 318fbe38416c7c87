//! The bytecode verifier: what loading a binary chunk checks before the VM may run it,
//! as 5.1's `luaG_checkcode`, so a bad chunk fails with "bad code in precompiled chunk"
//! instead of breaking the interpreter.
//!
//! The interpreter (`vm::interp`) reads registers, constants, upvalues, nested
//! prototypes and the code itself without bounds checks, trusting the code generator's
//! invariants (see [`Proto`]). [`check`] establishes them for any prototype tree, so
//! that a tree that passes runs as safely as compiled code. It guarantees, for every
//! function of the tree:
//! - Frame: `max_stack_size` is at most the compiler's limit and holds the fixed
//!   parameters, the `arg` table's register when `needs_arg` (which implies
//!   `is_vararg`) and the registers expected nil; there are at most 60 upvalues (the
//!   capture buffer of `CLOSURE`); `line_info` has one line per instruction.
//! - Control: the words are instructions with valid opcodes, except the batch word
//!   after a `SETLIST` whose C is 0. The last word is a `RETURN`, so falling through
//!   never leaves the code (nor lands on a batch word: only `SETLIST` precedes one).
//!   Jumps, loops and `LOADBOOL`'s skip land on instructions. The tests (`EQ`, `LT`,
//!   `LE`, `TEST`, `TESTSET`, `TFORLOOP`) are followed by the `JMP` the interpreter
//!   reads, so their skip lands on an instruction too; a batch word is not 0.
//! - Operands: A is a register in every instruction (as in 5.1), and so is every
//!   register an instruction reads or writes, ranges included; a constant operand
//!   indexes the constant table, and a global's name is a string; an upvalue operand
//!   indexes the function's upvalues; `CLOSURE` names a nested function and is followed
//!   by one capture per upvalue of it, a `MOVE` or a `GETUPVAL`, which are checked as
//!   the instructions they also are.
//! - Open results: `CALL` with C = 0, `TAILCALL` (whose results the interpreter leaves
//!   open whatever C says, when it falls through after a callee that is not a Lua
//!   function) and `VARARG` with B = 0 leave their values from register A up to the
//!   stack top. The next instruction takes them: a `CALL`, `TAILCALL` or `SETLIST` with
//!   B = 0 and a lower A, or a `RETURN` with B = 0 and an A no higher, so that its
//!   count, the top minus its A, cannot underflow. Elsewhere the top is the frame's
//!   top, above every register. `VARARG` only appears in vararg functions, whose
//!   varargs lie below the frame.
//!
//! Types are not checked: compiled code runs `FORLOOP` only on the numbers `FORPREP`
//! made and `SETLIST` only on a table constructor's table; for foreign code the
//! interpreter checks those two itself and raises an error.

use super::code::MAX_STACK;
use super::opcodes::{get_a, get_b, get_bx, get_c, get_opcode, get_sbx, index_k, is_k, OpCode};
use super::parser::MAX_UPVALUES;
use super::proto::{Constant, Proto};

/// Why a prototype was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadCode {
    /// `line_defined` of the rejected function (0 for a main chunk).
    pub line_defined: u32,
    /// Index of the offending instruction; `None` when the fault is in the function's
    /// header.
    pub pc: Option<usize>,
    /// The rule broken.
    pub fault: Fault,
}

/// The rules of [`check`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// `max_stack_size` above the compiler's limit, or below the parameters or the
    /// registers expected nil.
    StackSize,
    /// `needs_arg` in a function without varargs.
    NeedsArg,
    /// More upvalues than 5.1 allows.
    Upvalues,
    /// Not one line per instruction.
    LineInfo,
    /// The code does not end with a `RETURN`.
    NoReturn,
    /// An instruction without a valid opcode.
    Opcode,
    /// A register outside the frame, or a `CONCAT` of fewer than two registers.
    Register,
    /// A constant index outside the constant table.
    Constant,
    /// A global whose name is not a string constant.
    GlobalName,
    /// An upvalue index outside the function's upvalues.
    Upvalue,
    /// A jump, loop or skip that does not land on an instruction.
    Target,
    /// A test not followed by a `JMP`.
    MissingJump,
    /// A `CLOSURE` of a missing function, or without its captures.
    Closure,
    /// A `SETLIST` batch word of 0.
    SetListBatch,
    /// Open results that the next instruction does not take.
    OpenResults,
    /// `VARARG` in a function without varargs.
    VarArg,
}

/// Checks `p` and its nested functions (see the module documentation).
pub fn check(p: &Proto) -> Result<(), BadCode> {
    let at = |pc, fault| BadCode {
        line_defined: p.line_defined,
        pc,
        fault,
    };
    check_header(p).map_err(|fault| at(None, fault))?;
    let f = Function {
        p,
        starts: instruction_starts(&p.code),
    };
    let last = p.code.len().checked_sub(1);
    let ends_in_return =
        last.is_some_and(|pc| f.starts[pc] && get_opcode(p.code[pc]) == Some(OpCode::Return));
    ensure(ends_in_return, Fault::NoReturn).map_err(|fault| at(last, fault))?;
    for pc in (0..p.code.len()).filter(|&pc| f.starts[pc]) {
        f.instruction(pc).map_err(|fault| at(Some(pc), fault))?;
    }
    p.protos.iter().try_for_each(check)
}

fn ensure(ok: bool, fault: Fault) -> Result<(), Fault> {
    if ok {
        Ok(())
    } else {
        Err(fault)
    }
}

/// The function-wide rules.
fn check_header(p: &Proto) -> Result<(), Fault> {
    let stack = u32::from(p.max_stack_size);
    let params = u32::from(p.num_params) + u32::from(p.needs_arg);
    ensure(stack <= MAX_STACK, Fault::StackSize)?;
    ensure(params <= stack, Fault::StackSize)?;
    ensure(p.nil_registers <= p.max_stack_size, Fault::StackSize)?;
    ensure(p.is_vararg || !p.needs_arg, Fault::NeedsArg)?;
    ensure(
        p.upvalue_names.len() <= MAX_UPVALUES as usize,
        Fault::Upvalues,
    )?;
    ensure(p.line_info.len() == p.code.len(), Fault::LineInfo)
}

/// Which words are instructions: all but the batch word after each `SETLIST` with C = 0,
/// found by decoding from the start as the interpreter does.
fn instruction_starts(code: &[u32]) -> Vec<bool> {
    let mut starts = vec![false; code.len()];
    let mut pc = 0;
    while pc < code.len() {
        starts[pc] = true;
        let i = code[pc];
        let batch_word_follows = get_opcode(i) == Some(OpCode::SetList) && get_c(i) == 0;
        pc += if batch_word_follows { 2 } else { 1 };
    }
    starts
}

/// A function whose header passed, with its instruction map.
struct Function<'a> {
    p: &'a Proto,
    /// `starts[pc]`: word `pc` is an instruction.
    starts: Vec<bool>,
}

impl Function<'_> {
    /// The rules of the instruction at `pc`.
    fn instruction(&self, pc: usize) -> Result<(), Fault> {
        use OpCode::*;
        let i = self.p.code[pc];
        let op = get_opcode(i).ok_or(Fault::Opcode)?;
        let (a, b, c, bx) = (get_a(i), get_b(i), get_c(i), get_bx(i));
        self.regs(a, 1)?;
        match op {
            Move | LoadNil | Unm | Not | Len => self.regs(b, 1),
            LoadK => self.constant(bx),
            LoadBool if c != 0 => self.target(pc as i64 + 2),
            LoadBool | NewTable | Close => Ok(()),
            GetUpval | SetUpval => {
                ensure((b as usize) < self.p.upvalue_names.len(), Fault::Upvalue)
            }
            GetGlobal | SetGlobal => {
                let name = self.p.constants.get(bx as usize);
                ensure(matches!(name, Some(Constant::String(_))), Fault::GlobalName)
            }
            GetTable => {
                self.regs(b, 1)?;
                self.rk(c)
            }
            SetTable | Add | Sub | Mul | Div | Mod | Pow => {
                self.rk(b)?;
                self.rk(c)
            }
            Self_ => {
                self.regs(a, 2)?;
                self.regs(b, 1)?;
                self.rk(c)
            }
            Concat => {
                ensure(b < c, Fault::Register)?;
                self.regs(b, c - b + 1)
            }
            Jmp => self.jump(pc, get_sbx(i)),
            Eq | Lt | Le => {
                self.rk(b)?;
                self.rk(c)?;
                self.jmp_follows(pc)
            }
            Test => self.jmp_follows(pc),
            TestSet => {
                self.regs(b, 1)?;
                self.jmp_follows(pc)
            }
            // The function and its B - 1 arguments; C - 1 results, or open ones.
            Call => {
                self.regs(a, b)?;
                if c == 0 {
                    self.open_results_taken(pc, a)
                } else {
                    self.regs(a, c - 1)
                }
            }
            TailCall => {
                self.regs(a, b)?;
                self.open_results_taken(pc, a)
            }
            Return => self.regs(a, b.saturating_sub(1)),
            // The index, limit, step and the visible copy of the index.
            ForLoop | ForPrep => {
                self.regs(a, 4)?;
                self.jump(pc, get_sbx(i))
            }
            // The generator, state and control, then the call of the generator in
            // A + 3 ..= A + 5, whose C results land from A + 3.
            TForLoop => {
                self.regs(a, 3 + c.max(3))?;
                self.jmp_follows(pc)
            }
            // The table and its B items; the batch number, in the next word when C = 0.
            SetList => {
                self.regs(a, b + 1)?;
                let batch_word = self.p.code.get(pc + 1).copied();
                ensure(
                    c != 0 || batch_word.is_some_and(|n| n != 0),
                    Fault::SetListBatch,
                )
            }
            Closure => self.closure(pc, bx),
            VarArg => {
                ensure(self.p.is_vararg, Fault::VarArg)?;
                if b == 0 {
                    self.open_results_taken(pc, a)
                } else {
                    self.regs(a, b - 1)
                }
            }
        }
    }

    /// Registers `first .. first + count` are in the frame.
    fn regs(&self, first: u32, count: u32) -> Result<(), Fault> {
        ensure(
            first + count <= u32::from(self.p.max_stack_size),
            Fault::Register,
        )
    }

    /// Constant `k` exists.
    fn constant(&self, k: u32) -> Result<(), Fault> {
        ensure((k as usize) < self.p.constants.len(), Fault::Constant)
    }

    /// An RK operand: a constant if it has the constant bit, else a register.
    fn rk(&self, x: u32) -> Result<(), Fault> {
        if is_k(x) {
            self.constant(index_k(x))
        } else {
            self.regs(x, 1)
        }
    }

    /// Word `pc` is an instruction.
    fn target(&self, pc: i64) -> Result<(), Fault> {
        let is_instruction = usize::try_from(pc)
            .ok()
            .and_then(|pc| self.starts.get(pc))
            .is_some_and(|&start| start);
        ensure(is_instruction, Fault::Target)
    }

    /// The jump by `sbx` of the instruction at `pc` lands on an instruction.
    fn jump(&self, pc: usize, sbx: i32) -> Result<(), Fault> {
        self.target(pc as i64 + 1 + i64::from(sbx))
    }

    /// The test at `pc` is followed by a `JMP`, itself checked as an instruction. The
    /// test's skip lands after that `JMP`, on an instruction since the `JMP` is not last.
    fn jmp_follows(&self, pc: usize) -> Result<(), Fault> {
        let next = self.p.code.get(pc + 1).copied().and_then(get_opcode);
        ensure(next == Some(OpCode::Jmp), Fault::MissingJump)
    }

    /// The open results of the instruction at `pc`, from register `a` up to the top, are
    /// taken by the next instruction (see the module documentation).
    fn open_results_taken(&self, pc: usize, a: u32) -> Result<(), Fault> {
        use OpCode::*;
        let taken = self.p.code.get(pc + 1).is_some_and(|&next| {
            let (next_a, next_b) = (get_a(next), get_b(next));
            match get_opcode(next) {
                Some(Call | TailCall | SetList) => next_b == 0 && next_a < a,
                Some(Return) => next_b == 0 && next_a <= a,
                _ => false,
            }
        });
        ensure(taken, Fault::OpenResults)
    }

    /// `CLOSURE` of nested function `bx` at `pc`: the function exists and one capture per
    /// upvalue of it follows. The instruction after the captures exists because they
    /// cannot be the final `RETURN`.
    fn closure(&self, pc: usize, bx: u32) -> Result<(), Fault> {
        let child = self.p.protos.get(bx as usize).ok_or(Fault::Closure)?;
        let captures = self.p.code.get(pc + 1..pc + 1 + child.upvalue_names.len());
        let captured = captures.is_some_and(|words| {
            words
                .iter()
                .all(|&w| matches!(get_opcode(w), Some(OpCode::Move | OpCode::GetUpval)))
        });
        ensure(captured, Fault::Closure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::binary_chunk;
    use crate::compiler::compile;
    use crate::compiler::opcodes::{
        create_abc, create_abx, create_asbx, set_a, set_b, set_c, set_opcode, set_sbx, BITRK,
    };
    use std::path::Path;

    fn compiled(src: &str) -> Proto {
        compile(src.as_bytes(), "t.lua").expect("compiles")
    }

    /// The first function of `p`'s tree, in pre-order, that contains `op`.
    fn with_op(p: &mut Proto, op: OpCode) -> Option<&mut Proto> {
        if p.code.iter().any(|&i| get_opcode(i) == Some(op)) {
            return Some(p);
        }
        p.protos.iter_mut().find_map(|c| with_op(c, op))
    }

    /// A change to the function at the pc of an instruction.
    type Corruption = fn(&mut Proto, usize);

    /// Compiles `src`, lets `corrupt` change the first function using `op` at the pc of
    /// its first `op`, and returns what `check` says of the whole tree.
    fn corrupted(src: &str, op: OpCode, corrupt: impl FnOnce(&mut Proto, usize)) -> Fault {
        let mut p = compiled(src);
        assert_eq!(check(&p), Ok(()), "{src} passes before corruption");
        let f = with_op(&mut p, op).unwrap_or_else(|| panic!("{op:?} in {src}"));
        let pc = f
            .code
            .iter()
            .position(|&i| get_opcode(i) == Some(op))
            .unwrap();
        corrupt(f, pc);
        match check(&p) {
            Ok(()) => panic!(
                "{src}: accepted\n{}",
                crate::compiler::disasm::listing(&p, false)
            ),
            Err(e) => e.fault,
        }
    }

    /// Every Lua file of the repository that compiles (the conformance corpus and its
    /// modules, the compiler's fixtures, the benchmark workloads) passes: no false
    /// positives on anything the code generator emits.
    #[test]
    fn compiled_code_passes() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dirs = [
            root.join("tests/lua"),
            root.join("tests/lua/modules"),
            root.join("tests/lua/modules/nested"),
            root.join("src/compiler/testdata/bytecode"),
            root.join("src/compiler/testdata/errors"),
            root.join("../workloads/lua"),
        ];
        let mut checked = 0;
        for dir in dirs {
            for entry in std::fs::read_dir(&dir).expect("directory") {
                let path = entry.expect("entry").path();
                if path.extension().is_none_or(|e| e != "lua") {
                    continue;
                }
                let source = std::fs::read(&path).expect("read");
                if let Ok(p) = compile(&source, "t.lua") {
                    assert_eq!(check(&p), Ok(()), "{}", path.display());
                    checked += 1;
                }
            }
        }
        assert!(checked > 150, "only {checked} files compiled");
    }

    #[test]
    fn header_limits() {
        let src = "local function f(a, b, ...) return arg end";
        let mut p = compiled(src);
        p.max_stack_size = 251;
        assert_eq!(check(&p).unwrap_err().fault, Fault::StackSize);
        let mut p = compiled(src);
        let f = &mut p.protos[0];
        assert!(f.needs_arg);
        f.max_stack_size = 2; // a, b and the arg table need 3
        f.nil_registers = 2;
        let err = check(&p).unwrap_err();
        assert_eq!(
            (err.line_defined, err.pc, err.fault),
            (1, None, Fault::StackSize)
        );
        let mut p = compiled(src);
        p.nil_registers = p.max_stack_size + 1;
        assert_eq!(check(&p).unwrap_err().fault, Fault::StackSize);
        let mut p = compiled(src);
        p.protos[0].is_vararg = false;
        assert_eq!(check(&p).unwrap_err().fault, Fault::NeedsArg);
        let mut p = compiled(src);
        p.upvalue_names = vec![String::new(); 61];
        assert_eq!(check(&p).unwrap_err().fault, Fault::Upvalues);
        let mut p = compiled(src);
        p.line_info.pop();
        assert_eq!(check(&p).unwrap_err().fault, Fault::LineInfo);
    }

    #[test]
    fn code_must_end_in_return() {
        let mut p = compiled("x = 1");
        p.code.pop();
        p.line_info.pop();
        assert_eq!(check(&p).unwrap_err().fault, Fault::NoReturn);
        p.code.clear();
        p.line_info.clear();
        assert_eq!(check(&p).unwrap_err().fault, Fault::NoReturn);
        // A RETURN-looking batch word is not an instruction.
        let mut p = compiled("local t = {1, 2}");
        let pc = p.code.len() - 2;
        assert_eq!(get_opcode(p.code[pc]), Some(OpCode::SetList));
        set_c(&mut p.code[pc], 0);
        p.code.insert(pc + 1, 1);
        p.line_info.insert(pc + 1, 1);
        assert_eq!(check(&p), Ok(()));
        p.code.truncate(pc + 1);
        p.line_info.truncate(pc + 1);
        p.code.push(create_abc(OpCode::Return, 0, 1, 0));
        p.line_info.push(1);
        assert_eq!(check(&p).unwrap_err().fault, Fault::NoReturn);
    }

    #[test]
    fn bad_opcode() {
        let fault = corrupted("x = 1", OpCode::SetGlobal, |f, pc| {
            f.code[pc] = (f.code[pc] & !0x3f) | 63;
        });
        assert_eq!(fault, Fault::Opcode);
    }

    #[test]
    fn registers_outside_the_frame() {
        let cases: [(&str, OpCode, Corruption); 14] = [
            ("local a, b = 1; a = b", OpCode::Move, |f, pc| {
                set_b(&mut f.code[pc], u32::from(f.max_stack_size))
            }),
            ("local a, b = 1; a = b", OpCode::Move, |f, pc| {
                set_a(&mut f.code[pc], u32::from(f.max_stack_size))
            }),
            ("local a = 1; local b, c", OpCode::LoadNil, |f, pc| {
                set_b(&mut f.code[pc], u32::from(f.max_stack_size))
            }),
            ("local a = {}; a = a.x", OpCode::GetTable, |f, pc| {
                set_c(&mut f.code[pc], u32::from(f.max_stack_size))
            }),
            ("local a; a = a + a", OpCode::Add, |f, pc| {
                set_b(&mut f.code[pc], u32::from(f.max_stack_size))
            }),
            ("local o; o:m()", OpCode::Self_, |f, pc| {
                set_a(&mut f.code[pc], u32::from(f.max_stack_size) - 1)
            }),
            ("local a, b; a = a .. b", OpCode::Concat, |f, pc| {
                set_c(&mut f.code[pc], u32::from(f.max_stack_size))
            }),
            ("local a, b; a = a .. b", OpCode::Concat, |f, pc| {
                let b = get_b(f.code[pc]);
                set_c(&mut f.code[pc], b)
            }),
            ("f(1, 2)", OpCode::Call, |f, pc| {
                set_b(&mut f.code[pc], u32::from(f.max_stack_size) + 1)
            }),
            ("local a, b, c = f()", OpCode::Call, |f, pc| {
                set_c(&mut f.code[pc], u32::from(f.max_stack_size) + 2)
            }),
            ("local a, b; return a, b", OpCode::Return, |f, pc| {
                set_b(&mut f.code[pc], u32::from(f.max_stack_size) + 2)
            }),
            ("for i = 1, 2 do end", OpCode::ForPrep, |f, pc| {
                set_a(&mut f.code[pc], u32::from(f.max_stack_size) - 3)
            }),
            // The generator call needs A + 3 ..= A + 5 even for one result.
            ("for k in next, {} do end", OpCode::TForLoop, |f, _| {
                f.max_stack_size = 5;
                f.nil_registers = 5;
            }),
            ("local t = {1, 2, 3}", OpCode::SetList, |f, pc| {
                set_b(&mut f.code[pc], u32::from(f.max_stack_size))
            }),
        ];
        for (src, op, corrupt) in cases {
            assert_eq!(corrupted(src, op, corrupt), Fault::Register, "{src}");
        }
        let fault = corrupted(
            "local function f(...) local a = ... end",
            OpCode::VarArg,
            |f, pc| set_b(&mut f.code[pc], u32::from(f.max_stack_size) + 1),
        );
        assert_eq!(fault, Fault::Register);
    }

    #[test]
    fn constants_and_upvalues_out_of_range() {
        let fault = corrupted("local a = 'x'", OpCode::LoadK, |f, _| f.constants.clear());
        assert_eq!(fault, Fault::Constant);
        let fault = corrupted("local a; a = a + 1", OpCode::Add, |f, pc| {
            set_c(&mut f.code[pc], BITRK | f.constants.len() as u32)
        });
        assert_eq!(fault, Fault::Constant);
        let fault = corrupted("x = 1", OpCode::SetGlobal, |f, pc| {
            f.code[pc] = create_abx(OpCode::SetGlobal, get_a(f.code[pc]), 1);
            assert_eq!(f.constants[1], Constant::Number(1.0));
        });
        assert_eq!(fault, Fault::GlobalName);
        let fault = corrupted(
            "local u; function f() return u end",
            OpCode::GetUpval,
            |f, pc| set_b(&mut f.code[pc], 1),
        );
        assert_eq!(fault, Fault::Upvalue);
        let fault = corrupted(
            "local u; function f() u = 1 end",
            OpCode::SetUpval,
            |f, pc| set_b(&mut f.code[pc], 1),
        );
        assert_eq!(fault, Fault::Upvalue);
    }

    #[test]
    fn jumps_land_on_instructions() {
        let src = "local a; if a then a = 1 end";
        let past_end = |f: &mut Proto, pc: usize| {
            let n = f.code.len() as i32;
            set_sbx(&mut f.code[pc], n)
        };
        assert_eq!(corrupted(src, OpCode::Jmp, past_end), Fault::Target);
        let before_start = |f: &mut Proto, pc: usize| set_sbx(&mut f.code[pc], -(pc as i32) - 2);
        assert_eq!(corrupted(src, OpCode::Jmp, before_start), Fault::Target);
        let fault = corrupted("for i = 1, 2 do end", OpCode::ForLoop, |f, pc| {
            set_sbx(&mut f.code[pc], 5)
        });
        assert_eq!(fault, Fault::Target);
        let fault = corrupted("for i = 1, 2 do end", OpCode::ForPrep, |f, pc| {
            set_sbx(&mut f.code[pc], -(pc as i32) - 2)
        });
        assert_eq!(fault, Fault::Target);
        // LOADBOOL's skip from the second-to-last instruction leaves the code.
        let fault = corrupted("local a = 1 < 2", OpCode::LoadBool, |f, _| {
            let n = f.code.len();
            f.code[n - 2] = create_abc(OpCode::LoadBool, 0, 1, 1);
        });
        assert_eq!(fault, Fault::Target);
        // A jump to a SETLIST batch word.
        let mut p = compiled("local a; if a then a = {1} end");
        let setlist = p
            .code
            .iter()
            .position(|&i| get_opcode(i) == Some(OpCode::SetList))
            .unwrap();
        set_c(&mut p.code[setlist], 0);
        p.code.insert(setlist + 1, 1);
        p.line_info.insert(setlist + 1, 1);
        let jmp = p
            .code
            .iter()
            .position(|&i| get_opcode(i) == Some(OpCode::Jmp))
            .unwrap();
        let over_setlist = get_sbx(p.code[jmp]) + 1;
        set_sbx(&mut p.code[jmp], over_setlist);
        assert_eq!(check(&p), Ok(()), "the jump over the whole SETLIST");
        set_sbx(&mut p.code[jmp], (setlist - jmp) as i32);
        assert_eq!(check(&p).unwrap_err().fault, Fault::Target);
    }

    #[test]
    fn tests_are_followed_by_a_jump() {
        let no_jump = |f: &mut Proto, pc: usize| f.code[pc + 1] = create_abc(OpCode::Move, 0, 0, 0);
        for (src, op) in [
            ("local a, b; if a == b then a = 1 end", OpCode::Eq),
            ("local a, b; if a < b then a = 1 end", OpCode::Lt),
            ("local a, b; if a <= b then a = 1 end", OpCode::Le),
            ("local a; if a then a = 1 end", OpCode::Test),
            ("local a, b; x = a or b", OpCode::TestSet),
            ("for k in next, {} do end", OpCode::TForLoop),
        ] {
            assert_eq!(corrupted(src, op, no_jump), Fault::MissingJump, "{src}");
        }
    }

    #[test]
    fn closures_need_their_function_and_captures() {
        let src = "local a, b; function f() return a, b end";
        let fault = corrupted(src, OpCode::Closure, |f, pc| {
            f.code[pc] = create_abx(OpCode::Closure, get_a(f.code[pc]), 1)
        });
        assert_eq!(fault, Fault::Closure);
        let fault = corrupted(src, OpCode::Closure, |f, pc| {
            set_opcode(&mut f.code[pc + 2], OpCode::LoadNil)
        });
        assert_eq!(fault, Fault::Closure);
        // One more upvalue than captures: the word after them is no capture.
        let fault = corrupted(src, OpCode::Closure, |f, _| {
            f.protos[0].upvalue_names.push("c".to_owned())
        });
        assert_eq!(fault, Fault::Closure);
        // A capture of a register outside the frame, checked as the MOVE it is.
        let fault = corrupted(src, OpCode::Closure, |f, pc| {
            set_b(&mut f.code[pc + 1], u32::from(f.max_stack_size))
        });
        assert_eq!(fault, Fault::Register);
        // A nested function is checked too.
        let fault = corrupted(src, OpCode::GetUpval, |f, _| {
            *f.code.last_mut().unwrap() = create_abc(OpCode::Move, 0, 0, 0)
        });
        assert_eq!(fault, Fault::NoReturn);
    }

    #[test]
    fn setlist_batch_word_is_not_zero() {
        let fault = corrupted("local t = {1, 2}", OpCode::SetList, |f, pc| {
            set_c(&mut f.code[pc], 0);
            f.code.insert(pc + 1, 0);
            f.line_info.insert(pc + 1, 1);
        });
        assert_eq!(fault, Fault::SetListBatch);
    }

    #[test]
    fn open_results_are_taken() {
        // f(g()): the outer CALL no longer takes g's results.
        let fault = corrupted("f(g())", OpCode::Call, |f, pc| {
            set_b(&mut f.code[pc + 1], 2)
        });
        assert_eq!(fault, Fault::OpenResults);
        // ... or takes them from above their first register (its count would underflow).
        let fault = corrupted("f(g())", OpCode::Call, |f, pc| {
            let a = get_a(f.code[pc]);
            set_a(&mut f.code[pc + 1], a)
        });
        assert_eq!(fault, Fault::OpenResults);
        let fault = corrupted(
            "local function f(...) return ... end",
            OpCode::VarArg,
            |f, pc| {
                let a = get_a(f.code[pc + 1]);
                set_a(&mut f.code[pc + 1], a + 1)
            },
        );
        assert_eq!(fault, Fault::OpenResults);
        let fault = corrupted("local t = {...}", OpCode::VarArg, |f, pc| {
            set_b(&mut f.code[pc + 1], 1)
        });
        assert_eq!(fault, Fault::OpenResults);
        // A TAILCALL's results are open whatever its C.
        let fault = corrupted("return f()", OpCode::TailCall, |f, pc| {
            set_c(&mut f.code[pc], 2);
            f.code[pc + 1] = create_abc(OpCode::Return, 0, 1, 0);
        });
        assert_eq!(fault, Fault::OpenResults);
    }

    #[test]
    fn vararg_only_in_vararg_functions() {
        let fault = corrupted(
            "local function f(...) return ... end",
            OpCode::VarArg,
            |f, _| f.is_vararg = false,
        );
        assert_eq!(fault, Fault::VarArg);
    }

    #[test]
    fn the_fault_names_the_function_and_pc() {
        let mut p = compiled("local x\nlocal function f()\nreturn x\nend");
        set_b(&mut p.protos[0].code[0], 3);
        let err = check(&p).unwrap_err();
        assert_eq!(
            err,
            BadCode {
                line_defined: 2,
                pc: Some(0),
                fault: Fault::Upvalue,
            }
        );
    }

    #[test]
    fn undump_reports_bad_code_as_lua_does() {
        let mut p = compiled("local a = 1; return a");
        let chunk = binary_chunk::dump(&p);
        assert_eq!(
            binary_chunk::undump(&chunk, 1).map(|q| q.code),
            Ok(p.code.clone())
        );
        p.code[0] = create_asbx(OpCode::Jmp, 0, 100);
        let bad = binary_chunk::dump(&p);
        assert_eq!(
            binary_chunk::undump(&bad, 1),
            Err("bad code in precompiled chunk".to_owned())
        );
    }
}
