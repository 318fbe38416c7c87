//! Lua 5.1 instruction encoding, bit for bit as in PUC-Rio's `lopcodes.h`.
//!
//! Invariants: an instruction is a `u32` laid out as `B:9 C:9 A:8 OP:6` (most to least
//! significant bits), or `Bx:18 A:8 OP:6`; `sBx` is `Bx` minus [`MAXARG_SBX`]. An RK
//! operand (B or C) with bit 8 set ([`BITRK`]) names constant `value - BITRK`, otherwise
//! a register. The one word that is not an instruction is the extra word after a
//! `SETLIST` whose C is 0: it holds the real C, so decoders must skip it.

/// Bits of the opcode field.
const SIZE_OP: u32 = 6;
/// Bits of the A field.
const SIZE_A: u32 = 8;
/// Bits of the B and C fields.
const SIZE_BC: u32 = 9;
/// Bits of the Bx field.
const SIZE_BX: u32 = 18;
const POS_A: u32 = SIZE_OP;
const POS_C: u32 = POS_A + SIZE_A;
const POS_B: u32 = POS_C + SIZE_BC;
const POS_BX: u32 = POS_C;

/// Largest value of the A field; also `NO_REG`, the "no register" marker of the code generator.
pub const MAXARG_A: u32 = (1 << SIZE_A) - 1;
/// Largest value of the B and C fields.
pub const MAXARG_BC: u32 = (1 << SIZE_BC) - 1;
/// Largest value of the Bx field, which bounds constant and prototype indices.
pub const MAXARG_BX: u32 = (1 << SIZE_BX) - 1;
/// Bias of the signed sBx field: a stored Bx of `MAXARG_SBX` means a jump offset of 0.
pub const MAXARG_SBX: i32 = (MAXARG_BX >> 1) as i32;
/// Bit that marks an RK operand as a constant index.
pub const BITRK: u32 = 1 << (SIZE_BC - 1);
/// Largest constant index an RK operand can hold.
pub const MAXINDEXRK: u32 = BITRK - 1;
/// Number of array items a single `SETLIST` stores per "batch" (its C counts batches).
pub const LFIELDS_PER_FLUSH: u32 = 50;

/// The 38 opcodes of Lua 5.1, in `lopcodes.h` order (the order fixes their numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum OpCode {
    /// `R(A) := R(B)`
    Move = 0,
    /// `R(A) := Kst(Bx)`
    LoadK,
    /// `R(A) := (Bool)B; if (C) pc++`
    LoadBool,
    /// `R(A) := ... := R(B) := nil`
    LoadNil,
    /// `R(A) := UpValue[B]`
    GetUpval,
    /// `R(A) := Gbl[Kst(Bx)]`
    GetGlobal,
    /// `R(A) := R(B)[RK(C)]`
    GetTable,
    /// `Gbl[Kst(Bx)] := R(A)`
    SetGlobal,
    /// `UpValue[B] := R(A)`
    SetUpval,
    /// `R(A)[RK(B)] := RK(C)`
    SetTable,
    /// `R(A) := {} (size = B,C)`, sizes in "floating point byte" form.
    NewTable,
    /// `R(A+1) := R(B); R(A) := R(B)[RK(C)]`
    Self_,
    /// `R(A) := RK(B) + RK(C)`
    Add,
    /// `R(A) := RK(B) - RK(C)`
    Sub,
    /// `R(A) := RK(B) * RK(C)`
    Mul,
    /// `R(A) := RK(B) / RK(C)`
    Div,
    /// `R(A) := RK(B) % RK(C)`
    Mod,
    /// `R(A) := RK(B) ^ RK(C)`
    Pow,
    /// `R(A) := -R(B)`
    Unm,
    /// `R(A) := not R(B)`
    Not,
    /// `R(A) := length of R(B)`
    Len,
    /// `R(A) := R(B).. ... ..R(C)`
    Concat,
    /// `pc += sBx`
    Jmp,
    /// `if ((RK(B) == RK(C)) ~= A) then pc++`
    Eq,
    /// `if ((RK(B) <  RK(C)) ~= A) then pc++`
    Lt,
    /// `if ((RK(B) <= RK(C)) ~= A) then pc++`
    Le,
    /// `if not (R(A) <=> C) then pc++`
    Test,
    /// `if (R(B) <=> C) then R(A) := R(B) else pc++`
    TestSet,
    /// `R(A), ... ,R(A+C-2) := R(A)(R(A+1), ... ,R(A+B-1))`
    Call,
    /// `return R(A)(R(A+1), ... ,R(A+B-1))`
    TailCall,
    /// `return R(A), ... ,R(A+B-2)`
    Return,
    /// `R(A) += R(A+2); if R(A) <?= R(A+1) then { pc += sBx; R(A+3) = R(A) }`
    ForLoop,
    /// `R(A) -= R(A+2); pc += sBx`
    ForPrep,
    /// `R(A+3), ... ,R(A+2+C) := R(A)(R(A+1), R(A+2)); if R(A+3) ~= nil then R(A+2) = R(A+3) else pc++`
    TForLoop,
    /// `R(A)[(C-1)*FPF+i] := R(A+i), 1 <= i <= B`
    SetList,
    /// close all variables in the stack up to (>=) R(A)
    Close,
    /// `R(A) := closure(KPROTO[Bx], R(A), ... ,R(A+n))`
    Closure,
    /// `R(A), R(A+1), ..., R(A+B-1) = vararg`
    VarArg,
}

/// How an instruction's operands are packed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpMode {
    /// Three operands A, B, C.
    Abc,
    /// A and an unsigned 18-bit Bx.
    ABx,
    /// A and a signed 18-bit sBx.
    AsBx,
}

/// What a B or C operand means, as `lopcodes.h`'s `OpArgMask`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpArgMask {
    /// Operand not used.
    N,
    /// Operand used, but not a register or constant (a count, a flag, an index).
    U,
    /// A register or a jump offset.
    R,
    /// A constant or register (RK), or a constant index for Bx.
    K,
}

/// Static properties of an opcode, as `luaP_opmodes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpInfo {
    /// The instruction is a test: the next instruction is always a `JMP` it may skip.
    pub test: bool,
    /// The instruction writes register A (the debug scanner relies on this).
    pub sets_a: bool,
    /// Meaning of B (or Bx/sBx).
    pub b: OpArgMask,
    /// Meaning of C.
    pub c: OpArgMask,
    /// Operand layout.
    pub mode: OpMode,
}

impl OpCode {
    /// Every opcode, indexed by its number.
    pub const ALL: [OpCode; 38] = [
        OpCode::Move,
        OpCode::LoadK,
        OpCode::LoadBool,
        OpCode::LoadNil,
        OpCode::GetUpval,
        OpCode::GetGlobal,
        OpCode::GetTable,
        OpCode::SetGlobal,
        OpCode::SetUpval,
        OpCode::SetTable,
        OpCode::NewTable,
        OpCode::Self_,
        OpCode::Add,
        OpCode::Sub,
        OpCode::Mul,
        OpCode::Div,
        OpCode::Mod,
        OpCode::Pow,
        OpCode::Unm,
        OpCode::Not,
        OpCode::Len,
        OpCode::Concat,
        OpCode::Jmp,
        OpCode::Eq,
        OpCode::Lt,
        OpCode::Le,
        OpCode::Test,
        OpCode::TestSet,
        OpCode::Call,
        OpCode::TailCall,
        OpCode::Return,
        OpCode::ForLoop,
        OpCode::ForPrep,
        OpCode::TForLoop,
        OpCode::SetList,
        OpCode::Close,
        OpCode::Closure,
        OpCode::VarArg,
    ];

    /// The opcode numbered `n`, or `None` for the 26 unused 6-bit values (which can
    /// appear in the low bits of a `SETLIST` extra word).
    pub fn from_u32(n: u32) -> Option<OpCode> {
        OpCode::ALL.get(n as usize).copied()
    }

    /// The name `luac -l` prints.
    pub fn name(self) -> &'static str {
        const NAMES: [&str; 38] = [
            "MOVE",
            "LOADK",
            "LOADBOOL",
            "LOADNIL",
            "GETUPVAL",
            "GETGLOBAL",
            "GETTABLE",
            "SETGLOBAL",
            "SETUPVAL",
            "SETTABLE",
            "NEWTABLE",
            "SELF",
            "ADD",
            "SUB",
            "MUL",
            "DIV",
            "MOD",
            "POW",
            "UNM",
            "NOT",
            "LEN",
            "CONCAT",
            "JMP",
            "EQ",
            "LT",
            "LE",
            "TEST",
            "TESTSET",
            "CALL",
            "TAILCALL",
            "RETURN",
            "FORLOOP",
            "FORPREP",
            "TFORLOOP",
            "SETLIST",
            "CLOSE",
            "CLOSURE",
            "VARARG",
        ];
        NAMES[self as usize]
    }

    /// The opcode's row of `luaP_opmodes`.
    pub fn info(self) -> OpInfo {
        use OpArgMask::{K, N, R, U};
        use OpCode::*;
        let (test, sets_a, b, c, mode) = match self {
            Move => (false, true, R, N, OpMode::Abc),
            LoadK => (false, true, K, N, OpMode::ABx),
            LoadBool => (false, true, U, U, OpMode::Abc),
            LoadNil => (false, true, R, N, OpMode::Abc),
            GetUpval => (false, true, U, N, OpMode::Abc),
            GetGlobal => (false, true, K, N, OpMode::ABx),
            GetTable => (false, true, R, K, OpMode::Abc),
            SetGlobal => (false, false, K, N, OpMode::ABx),
            SetUpval => (false, false, U, N, OpMode::Abc),
            SetTable => (false, false, K, K, OpMode::Abc),
            NewTable => (false, true, U, U, OpMode::Abc),
            Self_ => (false, true, R, K, OpMode::Abc),
            Add | Sub | Mul | Div | Mod | Pow => (false, true, K, K, OpMode::Abc),
            Unm | Not | Len => (false, true, R, N, OpMode::Abc),
            Concat => (false, true, R, R, OpMode::Abc),
            Jmp => (false, false, R, N, OpMode::AsBx),
            Eq | Lt | Le => (true, false, K, K, OpMode::Abc),
            Test | TestSet => (true, true, R, U, OpMode::Abc),
            Call | TailCall => (false, true, U, U, OpMode::Abc),
            Return => (false, false, U, N, OpMode::Abc),
            ForLoop | ForPrep => (false, true, R, N, OpMode::AsBx),
            TForLoop => (true, false, N, U, OpMode::Abc),
            SetList => (false, false, U, U, OpMode::Abc),
            Close => (false, false, N, N, OpMode::Abc),
            Closure => (false, true, U, N, OpMode::ABx),
            VarArg => (false, true, U, N, OpMode::Abc),
        };
        OpInfo {
            test,
            sets_a,
            b,
            c,
            mode,
        }
    }
}

/// Builds an A/B/C instruction.
pub fn create_abc(op: OpCode, a: u32, b: u32, c: u32) -> u32 {
    debug_assert!(a <= MAXARG_A && b <= MAXARG_BC && c <= MAXARG_BC);
    (op as u32) | (a << POS_A) | (b << POS_B) | (c << POS_C)
}

/// Builds an A/Bx instruction.
pub fn create_abx(op: OpCode, a: u32, bx: u32) -> u32 {
    debug_assert!(a <= MAXARG_A && bx <= MAXARG_BX);
    (op as u32) | (a << POS_A) | (bx << POS_BX)
}

/// Builds an A/sBx instruction; `sbx` must lie in `-MAXARG_SBX..=MAXARG_SBX + 1`.
pub fn create_asbx(op: OpCode, a: u32, sbx: i32) -> u32 {
    create_abx(op, a, (sbx + MAXARG_SBX) as u32)
}

/// The opcode of `i`, `None` if its low six bits are not an opcode.
pub fn get_opcode(i: u32) -> Option<OpCode> {
    OpCode::from_u32(i & ((1 << SIZE_OP) - 1))
}

/// The A field.
pub fn get_a(i: u32) -> u32 {
    (i >> POS_A) & MAXARG_A
}

/// The B field.
pub fn get_b(i: u32) -> u32 {
    (i >> POS_B) & MAXARG_BC
}

/// The C field.
pub fn get_c(i: u32) -> u32 {
    (i >> POS_C) & MAXARG_BC
}

/// The Bx field.
pub fn get_bx(i: u32) -> u32 {
    (i >> POS_BX) & MAXARG_BX
}

/// The sBx field (Bx without its bias).
pub fn get_sbx(i: u32) -> i32 {
    get_bx(i) as i32 - MAXARG_SBX
}

/// Replaces the opcode of `i`.
pub fn set_opcode(i: &mut u32, op: OpCode) {
    *i = (*i & !((1 << SIZE_OP) - 1)) | op as u32;
}

/// Replaces the A field of `i`.
pub fn set_a(i: &mut u32, a: u32) {
    debug_assert!(a <= MAXARG_A);
    *i = (*i & !(MAXARG_A << POS_A)) | (a << POS_A);
}

/// Replaces the B field of `i`.
pub fn set_b(i: &mut u32, b: u32) {
    debug_assert!(b <= MAXARG_BC);
    *i = (*i & !(MAXARG_BC << POS_B)) | (b << POS_B);
}

/// Replaces the C field of `i`.
pub fn set_c(i: &mut u32, c: u32) {
    debug_assert!(c <= MAXARG_BC);
    *i = (*i & !(MAXARG_BC << POS_C)) | (c << POS_C);
}

/// Replaces the sBx field of `i`.
pub fn set_sbx(i: &mut u32, sbx: i32) {
    let bx = (sbx + MAXARG_SBX) as u32;
    *i = (*i & !(MAXARG_BX << POS_BX)) | (bx << POS_BX);
}

/// Whether an RK operand names a constant.
pub fn is_k(rk: u32) -> bool {
    rk & BITRK != 0
}

/// The constant index of a constant RK operand.
pub fn index_k(rk: u32) -> u32 {
    rk & !BITRK
}

/// Encodes a table size hint in `NEWTABLE`'s "floating point byte" form
/// (`eeeeexxx`, meaning `(1xxx) * 2^(eeeee-1)` when `eeeee` is non-zero), rounding up
/// as `luaO_int2fb` does, so the VM pre-sizes exactly as PUC-Rio Lua would.
pub fn int_to_fb(mut x: u32) -> u32 {
    let mut e = 0;
    while x >= 16 {
        x = (x + 1) >> 1;
        e += 1;
    }
    if x < 8 {
        x
    } else {
        ((e + 1) << 3) | (x - 8)
    }
}

/// Decodes a "floating point byte" produced by [`int_to_fb`] (`luaO_fb2int`).
pub fn fb_to_int(x: u32) -> u32 {
    let e = (x >> 3) & 31;
    if e == 0 {
        x
    } else {
        ((x & 7) + 8) << (e - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip() {
        let mut i = create_abc(OpCode::Call, 7, 300, 511);
        assert_eq!(get_opcode(i), Some(OpCode::Call));
        assert_eq!((get_a(i), get_b(i), get_c(i)), (7, 300, 511));
        set_a(&mut i, 255);
        set_b(&mut i, 0);
        set_c(&mut i, 1);
        set_opcode(&mut i, OpCode::TailCall);
        assert_eq!(get_opcode(i), Some(OpCode::TailCall));
        assert_eq!((get_a(i), get_b(i), get_c(i)), (255, 0, 1));
        let mut j = create_asbx(OpCode::Jmp, 0, -1);
        assert_eq!(get_sbx(j), -1);
        set_sbx(&mut j, MAXARG_SBX);
        assert_eq!(get_sbx(j), MAXARG_SBX);
        set_sbx(&mut j, -MAXARG_SBX);
        assert_eq!(get_sbx(j), -MAXARG_SBX);
        assert_eq!(get_bx(create_abx(OpCode::LoadK, 3, MAXARG_BX)), MAXARG_BX);
    }

    #[test]
    fn encoding_matches_lopcodes_layout() {
        // `luac5.1 -l` on `local a = 1` prints `LOADK 0 -1`; the raw word is 0x00000001:
        // opcode 1 in the low bits, A = 0, Bx = 0.
        assert_eq!(create_abx(OpCode::LoadK, 0, 0), 1);
        // RETURN 0 1 is 0x0080001e in every 5.1 `luac.out`.
        assert_eq!(create_abc(OpCode::Return, 0, 1, 0), 0x0080_001e);
        assert_eq!(OpCode::VarArg as u32, 37);
        assert_eq!(get_opcode(63), None);
    }

    #[test]
    fn names_and_modes() {
        for (n, op) in OpCode::ALL.iter().enumerate() {
            assert_eq!(OpCode::from_u32(n as u32), Some(*op));
        }
        assert_eq!(OpCode::Self_.name(), "SELF");
        assert_eq!(OpCode::TForLoop.name(), "TFORLOOP");
        assert!(OpCode::TestSet.info().test);
        assert!(!OpCode::SetTable.info().sets_a);
        assert_eq!(OpCode::Jmp.info().mode, OpMode::AsBx);
    }

    #[test]
    fn floating_point_bytes() {
        // Values checked against `luac5.1 -l` NEWTABLE operands: 60 items -> 31, 1000 items -> 64.
        assert_eq!(int_to_fb(60), 31);
        assert_eq!(int_to_fb(1000), 64);
        for x in 0..8 {
            assert_eq!(int_to_fb(x), x);
        }
        for x in 0..100_000 {
            let fb = int_to_fb(x);
            assert!(fb_to_int(fb) >= x, "{x} -> {fb}");
        }
    }
}
