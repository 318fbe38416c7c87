//! The code generator, a port of PUC-Rio's `lcode.c`: instruction emission, jump lists,
//! register allocation, expression discharge and constant folding.
//!
//! Invariants: a jump list is threaded through the sBx fields of its `JMP`s (ending in
//! [`NO_JUMP`]); `jpc` holds jumps to the next instruction and is discharged by every
//! emission. Registers are a stack: only the topmost temporary is freed, so
//! `freereg` always equals one more than the highest live temporary. Instructions are
//! attributed to `lex.lastline`, the line of the last consumed token, as in 5.1.

use super::opcodes::{
    self, create_abc, create_abx, create_asbx, get_a, get_b, get_opcode, get_sbx, is_k, OpCode,
    BITRK, MAXARG_A, MAXARG_BC, MAXARG_BX, MAXARG_SBX, MAXINDEXRK,
};
use super::parser::{ConstKey, PResult, Parser, MULTRET};
use super::proto::Constant;
use super::SyntaxError;

/// End of a jump list (an sBx of -1 would be a jump to itself, so it is free to use).
pub(super) const NO_JUMP: i32 = -1;
/// "No register": a `TESTSET` whose destination is still open.
const NO_REG: u32 = MAXARG_A;
/// `MAXSTACK`: registers per function.
pub(super) const MAX_STACK: u32 = 250;

/// What an expression descriptor currently denotes (`expkind` with its payload).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum ExpKind {
    /// No value (empty expression list).
    Void,
    /// `nil`.
    Nil,
    /// `true`.
    True,
    /// `false`.
    False,
    /// Constant with this index.
    K(u32),
    /// Numeric literal (kept unmaterialised for constant folding).
    KNum(f64),
    /// Local variable in this register.
    Local(u32),
    /// Upvalue with this index.
    Upval(u32),
    /// Global whose name is this constant.
    Global(u32),
    /// `table[key]` with the table in a register and the key an RK operand.
    Indexed { table: u32, key: u32 },
    /// A comparison: the pc of its `JMP`.
    Jmp(usize),
    /// Instruction at this pc computes the value; its A is still to be chosen.
    Relocable(usize),
    /// Value sits in this register.
    NonReloc(u32),
    /// Open call at this pc (results not fixed yet).
    Call(usize),
    /// `...` at this pc (count not fixed yet).
    Vararg(usize),
}

impl ExpKind {
    /// Calls and `...` can produce any number of values.
    pub fn has_multret(self) -> bool {
        matches!(self, ExpKind::Call(_) | ExpKind::Vararg(_))
    }

    /// Whether this is an assignable variable.
    pub fn is_var(self) -> bool {
        matches!(
            self,
            ExpKind::Local(_) | ExpKind::Upval(_) | ExpKind::Global(_) | ExpKind::Indexed { .. }
        )
    }
}

/// An expression being compiled (`expdesc`): its kind plus the jump lists of its
/// "exit when true" (`t`) and "exit when false" (`f`) branches.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct ExpDesc {
    pub k: ExpKind,
    pub t: i32,
    pub f: i32,
}

impl ExpDesc {
    /// A descriptor of kind `k` without pending jumps.
    pub fn new(k: ExpKind) -> Self {
        ExpDesc {
            k,
            t: NO_JUMP,
            f: NO_JUMP,
        }
    }

    fn has_jumps(&self) -> bool {
        self.t != self.f
    }

    fn is_numeral(&self) -> bool {
        matches!(self.k, ExpKind::KNum(_)) && self.t == NO_JUMP && self.f == NO_JUMP
    }
}

/// Binary operators, in `BinOpr` order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum BinOpr {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Concat,
    Ne,
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum UnOpr {
    Minus,
    Not,
    Len,
}

/// Folds `op` over two numerals as `lcode.c`'s `constfolding` does: no division or
/// modulo by zero, no `#`, and nothing that yields NaN (so no NaN constant ever exists).
fn fold(op: OpCode, v1: f64, v2: f64) -> Option<f64> {
    let r = match op {
        OpCode::Add => v1 + v2,
        OpCode::Sub => v1 - v2,
        OpCode::Mul => v1 * v2,
        OpCode::Div if v2 != 0.0 => v1 / v2,
        OpCode::Mod if v2 != 0.0 => v1 - (v1 / v2).floor() * v2,
        OpCode::Pow => v1.powf(v2),
        OpCode::Unm => -v1,
        _ => return None,
    };
    (!r.is_nan()).then_some(r)
}

impl Parser<'_> {
    // ---- emission ----

    fn code(&mut self, i: u32, line: u32) -> PResult<usize> {
        self.discharge_jpc()?;
        self.fs.f.code.push(i);
        self.fs.f.line_info.push(line);
        Ok(self.fs.pc() - 1)
    }

    /// Emits an A/B/C instruction at the current line; returns its pc.
    pub(super) fn code_abc(&mut self, op: OpCode, a: u32, b: u32, c: u32) -> PResult<usize> {
        self.code(create_abc(op, a, b, c), self.lex.lastline)
    }

    /// Emits an A/Bx instruction at the current line; returns its pc.
    pub(super) fn code_abx(&mut self, op: OpCode, a: u32, bx: u32) -> PResult<usize> {
        self.code(create_abx(op, a, bx), self.lex.lastline)
    }

    /// Emits an A/sBx instruction at the current line; returns its pc.
    pub(super) fn code_asbx(&mut self, op: OpCode, a: u32, sbx: i32) -> PResult<usize> {
        self.code(create_asbx(op, a, sbx), self.lex.lastline)
    }

    /// Attributes the last instruction to `line` (calls and loops report where they start).
    pub(super) fn fixline(&mut self, line: u32) {
        if let Some(l) = self.fs.f.line_info.last_mut() {
            *l = line;
        }
    }

    /// `luaK_nil`: sets `n` registers from `from` to nil, merging with a directly
    /// preceding `LOADNIL` and omitting it at function start, where registers are nil.
    pub(super) fn code_nil(&mut self, from: u32, n: u32) -> PResult<()> {
        let pc = self.fs.pc();
        if pc as i32 > self.fs.lasttarget {
            if pc == 0 {
                if from >= self.fs.nactvar {
                    let end = (from + n) as u8;
                    self.fs.f.nil_registers = self.fs.f.nil_registers.max(end);
                    return Ok(());
                }
            } else {
                let previous = &mut self.fs.f.code[pc - 1];
                if get_opcode(*previous) == Some(OpCode::LoadNil) {
                    let pfrom = get_a(*previous);
                    let pto = get_b(*previous);
                    if pfrom <= from && from <= pto + 1 {
                        if from + n - 1 > pto {
                            opcodes::set_b(previous, from + n - 1);
                        }
                        return Ok(());
                    }
                }
            }
        }
        self.code_abc(OpCode::LoadNil, from, from + n - 1, 0)?;
        Ok(())
    }

    /// Emits `RETURN first nret+1`.
    pub(super) fn ret(&mut self, first: u32, nret: i32) -> PResult<()> {
        self.code_abc(OpCode::Return, first, (nret + 1) as u32, 0)?;
        Ok(())
    }

    /// Emits a `JMP` that also carries the jumps pending to "here"; returns its list.
    pub(super) fn jump(&mut self) -> PResult<i32> {
        let jpc = self.fs.jpc;
        self.fs.jpc = NO_JUMP;
        let j = self.code_asbx(OpCode::Jmp, 0, NO_JUMP)? as i32;
        self.concat(j, jpc)
    }

    fn condjump(&mut self, op: OpCode, a: u32, b: u32, c: u32) -> PResult<i32> {
        self.code_abc(op, a, b, c)?;
        self.jump()
    }

    fn fixjump(&mut self, pc: i32, dest: i32) -> PResult<()> {
        debug_assert!(dest != NO_JUMP);
        let offset = dest - (pc + 1);
        if offset.abs() > MAXARG_SBX {
            return Err(self.lex.syntax_error("control structure too long"));
        }
        opcodes::set_sbx(&mut self.fs.f.code[pc as usize], offset);
        Ok(())
    }

    /// Marks the current pc as a jump target and returns it.
    pub(super) fn getlabel(&mut self) -> usize {
        self.fs.lasttarget = self.fs.pc() as i32;
        self.fs.pc()
    }

    fn getjump(&self, pc: i32) -> i32 {
        let offset = get_sbx(self.fs.f.code[pc as usize]);
        if offset == NO_JUMP {
            NO_JUMP
        } else {
            pc + 1 + offset
        }
    }

    /// The instruction that controls jump `pc`: the test before it, if any.
    fn getjumpcontrol(&self, pc: i32) -> usize {
        let pc = pc as usize;
        let code = &self.fs.f.code;
        if pc >= 1 && get_opcode(code[pc - 1]).is_some_and(|op| op.info().test) {
            pc - 1
        } else {
            pc
        }
    }

    /// Whether some jump in `list` is not a `TESTSET` (so a boolean must be produced).
    fn need_value(&self, mut list: i32) -> bool {
        while list != NO_JUMP {
            let i = self.fs.f.code[self.getjumpcontrol(list)];
            if get_opcode(i) != Some(OpCode::TestSet) {
                return true;
            }
            list = self.getjump(list);
        }
        false
    }

    /// Points a `TESTSET` controlling `node` at `reg`, or turns it into a `TEST` when
    /// no value is wanted; false if the control is not a `TESTSET`.
    fn patchtestreg(&mut self, node: i32, reg: u32) -> bool {
        let at = self.getjumpcontrol(node);
        let i = &mut self.fs.f.code[at];
        if get_opcode(*i) != Some(OpCode::TestSet) {
            return false;
        }
        if reg != NO_REG && reg != get_b(*i) {
            opcodes::set_a(i, reg);
        } else {
            *i = create_abc(OpCode::Test, get_b(*i), 0, opcodes::get_c(*i));
        }
        true
    }

    fn removevalues(&mut self, mut list: i32) {
        while list != NO_JUMP {
            self.patchtestreg(list, NO_REG);
            list = self.getjump(list);
        }
    }

    fn patchlistaux(&mut self, mut list: i32, vtarget: i32, reg: u32, dtarget: i32) -> PResult<()> {
        while list != NO_JUMP {
            let next = self.getjump(list);
            if self.patchtestreg(list, reg) {
                self.fixjump(list, vtarget)?;
            } else {
                self.fixjump(list, dtarget)?;
            }
            list = next;
        }
        Ok(())
    }

    fn discharge_jpc(&mut self) -> PResult<()> {
        let pc = self.fs.pc() as i32;
        let jpc = self.fs.jpc;
        self.patchlistaux(jpc, pc, NO_REG, pc)?;
        self.fs.jpc = NO_JUMP;
        Ok(())
    }

    /// Points every jump of `list` at `target`.
    pub(super) fn patchlist(&mut self, list: i32, target: usize) -> PResult<()> {
        if target == self.fs.pc() {
            self.patchtohere(list)
        } else {
            debug_assert!(target < self.fs.pc());
            self.patchlistaux(list, target as i32, NO_REG, target as i32)
        }
    }

    /// Points every jump of `list` at the next instruction to be emitted.
    pub(super) fn patchtohere(&mut self, list: i32) -> PResult<()> {
        self.getlabel();
        self.fs.jpc = self.concat(self.fs.jpc, list)?;
        Ok(())
    }

    /// Appends list `l2` to list `l1`; returns the joined list.
    pub(super) fn concat(&mut self, l1: i32, l2: i32) -> PResult<i32> {
        if l2 == NO_JUMP {
            return Ok(l1);
        }
        if l1 == NO_JUMP {
            return Ok(l2);
        }
        let mut list = l1;
        loop {
            let next = self.getjump(list);
            if next == NO_JUMP {
                break;
            }
            list = next;
        }
        self.fixjump(list, l2)?;
        Ok(l1)
    }

    // ---- registers and constants ----

    /// Ensures `n` more registers fit, growing `max_stack_size`.
    pub(super) fn checkstack(&mut self, n: u32) -> PResult<()> {
        let newstack = self.fs.freereg + n;
        if newstack > u32::from(self.fs.f.max_stack_size) {
            if newstack >= MAX_STACK {
                return Err(self.lex.syntax_error("function or expression too complex"));
            }
            self.fs.f.max_stack_size = newstack as u8;
        }
        Ok(())
    }

    /// Allocates `n` registers on top of the register stack.
    pub(super) fn reserveregs(&mut self, n: u32) -> PResult<()> {
        self.checkstack(n)?;
        self.fs.freereg += n;
        Ok(())
    }

    fn freereg(&mut self, reg: u32) {
        if !is_k(reg) && reg >= self.fs.nactvar {
            self.fs.freereg -= 1;
            debug_assert_eq!(reg, self.fs.freereg);
        }
    }

    fn freeexp(&mut self, e: &ExpDesc) {
        if let ExpKind::NonReloc(r) = e.k {
            self.freereg(r);
        }
    }

    fn addk(&mut self, key: ConstKey, value: Constant) -> PResult<u32> {
        if let Some(&idx) = self.fs.h.get(&key) {
            return Ok(idx);
        }
        if self.fs.f.constants.len() >= MAXARG_BX as usize {
            return Err(SyntaxError::new(b"constant table overflow".to_vec()));
        }
        let idx = self.fs.f.constants.len() as u32;
        self.fs.f.constants.push(value);
        self.fs.h.insert(key, idx);
        Ok(idx)
    }

    /// Index of string constant `s`, added if new.
    pub(super) fn string_k(&mut self, s: Vec<u8>) -> PResult<u32> {
        self.addk(ConstKey::String(s.clone()), Constant::String(s))
    }

    /// Index of number constant `r`, added if new; `0` and `-0` are one key.
    pub(super) fn number_k(&mut self, r: f64) -> PResult<u32> {
        let bits = if r == 0.0 { 0 } else { r.to_bits() };
        self.addk(ConstKey::Number(bits), Constant::Number(r))
    }

    fn bool_k(&mut self, b: bool) -> PResult<u32> {
        self.addk(ConstKey::Boolean(b), Constant::Boolean(b))
    }

    fn nil_k(&mut self) -> PResult<u32> {
        self.addk(ConstKey::Nil, Constant::Nil)
    }

    // ---- expression discharge ----

    /// Fixes how many results an open call or `...` yields (`MULTRET` for all).
    pub(super) fn setreturns(&mut self, e: &mut ExpDesc, nresults: i32) -> PResult<()> {
        match e.k {
            ExpKind::Call(pc) => {
                opcodes::set_c(&mut self.fs.f.code[pc], (nresults + 1) as u32);
            }
            ExpKind::Vararg(pc) => {
                let freereg = self.fs.freereg;
                let i = &mut self.fs.f.code[pc];
                opcodes::set_b(i, (nresults + 1) as u32);
                opcodes::set_a(i, freereg);
                self.reserveregs(1)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Makes an open call or `...` yield exactly one value.
    pub(super) fn setoneret(&mut self, e: &mut ExpDesc) {
        match e.k {
            ExpKind::Call(pc) => e.k = ExpKind::NonReloc(get_a(self.fs.f.code[pc])),
            ExpKind::Vararg(pc) => {
                opcodes::set_b(&mut self.fs.f.code[pc], 2);
                e.k = ExpKind::Relocable(pc);
            }
            _ => {}
        }
    }

    /// Turns a variable into a value (emitting the load, target register still open).
    pub(super) fn dischargevars(&mut self, e: &mut ExpDesc) -> PResult<()> {
        match e.k {
            ExpKind::Local(r) => e.k = ExpKind::NonReloc(r),
            ExpKind::Upval(u) => {
                e.k = ExpKind::Relocable(self.code_abc(OpCode::GetUpval, 0, u, 0)?);
            }
            ExpKind::Global(k) => {
                e.k = ExpKind::Relocable(self.code_abx(OpCode::GetGlobal, 0, k)?);
            }
            ExpKind::Indexed { table, key } => {
                self.freereg(key);
                self.freereg(table);
                e.k = ExpKind::Relocable(self.code_abc(OpCode::GetTable, 0, table, key)?);
            }
            ExpKind::Vararg(_) | ExpKind::Call(_) => self.setoneret(e),
            _ => {}
        }
        Ok(())
    }

    fn code_label(&mut self, a: u32, b: u32, jump: u32) -> PResult<usize> {
        self.getlabel();
        self.code_abc(OpCode::LoadBool, a, b, jump)
    }

    fn discharge2reg(&mut self, e: &mut ExpDesc, reg: u32) -> PResult<()> {
        self.dischargevars(e)?;
        match e.k {
            ExpKind::Nil => self.code_nil(reg, 1)?,
            ExpKind::False | ExpKind::True => {
                self.code_abc(OpCode::LoadBool, reg, u32::from(e.k == ExpKind::True), 0)?;
            }
            ExpKind::K(k) => {
                self.code_abx(OpCode::LoadK, reg, k)?;
            }
            ExpKind::KNum(n) => {
                let k = self.number_k(n)?;
                self.code_abx(OpCode::LoadK, reg, k)?;
            }
            ExpKind::Relocable(pc) => opcodes::set_a(&mut self.fs.f.code[pc], reg),
            ExpKind::NonReloc(r) => {
                if reg != r {
                    self.code_abc(OpCode::Move, reg, r, 0)?;
                }
            }
            _ => {
                debug_assert!(matches!(e.k, ExpKind::Void | ExpKind::Jmp(_)));
                return Ok(());
            }
        }
        e.k = ExpKind::NonReloc(reg);
        Ok(())
    }

    fn discharge2anyreg(&mut self, e: &mut ExpDesc) -> PResult<()> {
        if !matches!(e.k, ExpKind::NonReloc(_)) {
            self.reserveregs(1)?;
            let reg = self.fs.freereg - 1;
            self.discharge2reg(e, reg)?;
        }
        Ok(())
    }

    /// Puts the value of `e`, including its jump lists, into `reg`.
    fn exp2reg(&mut self, e: &mut ExpDesc, reg: u32) -> PResult<()> {
        self.discharge2reg(e, reg)?;
        if let ExpKind::Jmp(pc) = e.k {
            e.t = self.concat(e.t, pc as i32)?;
        }
        if e.has_jumps() {
            let mut p_f = NO_JUMP;
            let mut p_t = NO_JUMP;
            if self.need_value(e.t) || self.need_value(e.f) {
                let fj = if matches!(e.k, ExpKind::Jmp(_)) {
                    NO_JUMP
                } else {
                    self.jump()?
                };
                p_f = self.code_label(reg, 0, 1)? as i32;
                p_t = self.code_label(reg, 1, 0)? as i32;
                self.patchtohere(fj)?;
            }
            let final_pc = self.getlabel() as i32;
            self.patchlistaux(e.f, final_pc, reg, p_f)?;
            self.patchlistaux(e.t, final_pc, reg, p_t)?;
        }
        e.f = NO_JUMP;
        e.t = NO_JUMP;
        e.k = ExpKind::NonReloc(reg);
        Ok(())
    }

    /// Puts `e` into the next free register.
    pub(super) fn exp2nextreg(&mut self, e: &mut ExpDesc) -> PResult<()> {
        self.dischargevars(e)?;
        self.freeexp(e);
        self.reserveregs(1)?;
        let reg = self.fs.freereg - 1;
        self.exp2reg(e, reg)
    }

    /// Puts `e` into some register (its own if it already has one); returns it.
    pub(super) fn exp2anyreg(&mut self, e: &mut ExpDesc) -> PResult<u32> {
        self.dischargevars(e)?;
        if let ExpKind::NonReloc(r) = e.k {
            if !e.has_jumps() {
                return Ok(r);
            }
            if r >= self.fs.nactvar {
                self.exp2reg(e, r)?;
                return Ok(r);
            }
        }
        self.exp2nextreg(e)?;
        match e.k {
            ExpKind::NonReloc(r) => Ok(r),
            _ => unreachable!("exp2nextreg leaves a register"),
        }
    }

    /// Makes `e` a plain value (register or constant) without forcing a register.
    pub(super) fn exp2val(&mut self, e: &mut ExpDesc) -> PResult<()> {
        if e.has_jumps() {
            self.exp2anyreg(e)?;
            Ok(())
        } else {
            self.dischargevars(e)
        }
    }

    /// Makes `e` an RK operand: a constant index with [`BITRK`] when it fits, else a register.
    pub(super) fn exp2rk(&mut self, e: &mut ExpDesc) -> PResult<u32> {
        self.exp2val(e)?;
        let fits = self.fs.f.constants.len() as u32 <= MAXINDEXRK;
        match e.k {
            ExpKind::KNum(_) | ExpKind::True | ExpKind::False | ExpKind::Nil if fits => {
                let idx = match e.k {
                    ExpKind::Nil => self.nil_k()?,
                    ExpKind::KNum(n) => self.number_k(n)?,
                    other => self.bool_k(other == ExpKind::True)?,
                };
                e.k = ExpKind::K(idx);
                return Ok(idx | BITRK);
            }
            ExpKind::K(idx) if idx <= MAXINDEXRK => return Ok(idx | BITRK),
            _ => {}
        }
        self.exp2anyreg(e)
    }

    /// Stores `ex` into variable `var`.
    pub(super) fn storevar(&mut self, var: &ExpDesc, ex: &mut ExpDesc) -> PResult<()> {
        match var.k {
            ExpKind::Local(r) => {
                self.freeexp(ex);
                return self.exp2reg(ex, r);
            }
            ExpKind::Upval(u) => {
                let e = self.exp2anyreg(ex)?;
                self.code_abc(OpCode::SetUpval, e, u, 0)?;
            }
            ExpKind::Global(k) => {
                let e = self.exp2anyreg(ex)?;
                self.code_abx(OpCode::SetGlobal, e, k)?;
            }
            ExpKind::Indexed { table, key } => {
                let e = self.exp2rk(ex)?;
                self.code_abc(OpCode::SetTable, table, key, e)?;
            }
            _ => unreachable!("storevar on a non-variable"),
        }
        self.freeexp(ex);
        Ok(())
    }

    /// Compiles `e:key` up to the call: `SELF` puts the method and `e` in two registers.
    pub(super) fn self_(&mut self, e: &mut ExpDesc, key: &mut ExpDesc) -> PResult<()> {
        let obj = self.exp2anyreg(e)?;
        self.freeexp(e);
        let func = self.fs.freereg;
        self.reserveregs(2)?;
        let k = self.exp2rk(key)?;
        self.code_abc(OpCode::Self_, func, obj, k)?;
        self.freeexp(key);
        e.k = ExpKind::NonReloc(func);
        Ok(())
    }

    /// Turns `t` (whose table is in register `table`) into the indexed variable `t[k]`.
    pub(super) fn indexed(&mut self, t: &mut ExpDesc, table: u32, k: &mut ExpDesc) -> PResult<()> {
        let key = self.exp2rk(k)?;
        t.k = ExpKind::Indexed { table, key };
        Ok(())
    }

    // ---- conditionals ----

    fn invertjump(&mut self, pc: usize) {
        let at = self.getjumpcontrol(pc as i32);
        let i = &mut self.fs.f.code[at];
        let a = get_a(*i);
        opcodes::set_a(i, u32::from(a == 0));
    }

    fn jumponcond(&mut self, e: &mut ExpDesc, cond: bool) -> PResult<i32> {
        if let ExpKind::Relocable(pc) = e.k {
            let ie = self.fs.f.code[pc];
            if get_opcode(ie) == Some(OpCode::Not) {
                self.fs.f.code.pop();
                self.fs.f.line_info.pop();
                return self.condjump(OpCode::Test, get_b(ie), 0, u32::from(!cond));
            }
        }
        self.discharge2anyreg(e)?;
        self.freeexp(e);
        let ExpKind::NonReloc(r) = e.k else {
            unreachable!("discharge2anyreg leaves a register");
        };
        self.condjump(OpCode::TestSet, NO_REG, r, u32::from(cond))
    }

    /// Emits the test so that control falls through when `e` is true and jumps (via
    /// `e.f`) when it is false.
    pub(super) fn goiftrue(&mut self, e: &mut ExpDesc) -> PResult<()> {
        self.dischargevars(e)?;
        let pc = match e.k {
            ExpKind::K(_) | ExpKind::KNum(_) | ExpKind::True => NO_JUMP,
            ExpKind::Jmp(pc) => {
                self.invertjump(pc);
                pc as i32
            }
            _ => self.jumponcond(e, false)?,
        };
        e.f = self.concat(e.f, pc)?;
        self.patchtohere(e.t)?;
        e.t = NO_JUMP;
        Ok(())
    }

    fn goiffalse(&mut self, e: &mut ExpDesc) -> PResult<()> {
        self.dischargevars(e)?;
        let pc = match e.k {
            ExpKind::Nil | ExpKind::False => NO_JUMP,
            ExpKind::Jmp(pc) => pc as i32,
            _ => self.jumponcond(e, true)?,
        };
        e.t = self.concat(e.t, pc)?;
        self.patchtohere(e.f)?;
        e.f = NO_JUMP;
        Ok(())
    }

    fn codenot(&mut self, e: &mut ExpDesc) -> PResult<()> {
        self.dischargevars(e)?;
        match e.k {
            ExpKind::Nil | ExpKind::False => e.k = ExpKind::True,
            ExpKind::K(_) | ExpKind::KNum(_) | ExpKind::True => e.k = ExpKind::False,
            ExpKind::Jmp(pc) => self.invertjump(pc),
            ExpKind::Relocable(_) | ExpKind::NonReloc(_) => {
                self.discharge2anyreg(e)?;
                self.freeexp(e);
                let ExpKind::NonReloc(r) = e.k else {
                    unreachable!("discharge2anyreg leaves a register");
                };
                e.k = ExpKind::Relocable(self.code_abc(OpCode::Not, 0, r, 0)?);
            }
            _ => unreachable!("`not` of a non-value"),
        }
        std::mem::swap(&mut e.f, &mut e.t);
        self.removevalues(e.f);
        self.removevalues(e.t);
        Ok(())
    }

    // ---- operators ----

    fn constfolding(op: OpCode, e1: &mut ExpDesc, e2: &ExpDesc) -> bool {
        if !e1.is_numeral() || !e2.is_numeral() {
            return false;
        }
        let (ExpKind::KNum(v1), ExpKind::KNum(v2)) = (e1.k, e2.k) else {
            return false;
        };
        match fold(op, v1, v2) {
            Some(r) => {
                e1.k = ExpKind::KNum(r);
                true
            }
            None => false,
        }
    }

    fn codearith(&mut self, op: OpCode, e1: &mut ExpDesc, e2: &mut ExpDesc) -> PResult<()> {
        if Self::constfolding(op, e1, e2) {
            return Ok(());
        }
        let o2 = if op != OpCode::Unm && op != OpCode::Len {
            self.exp2rk(e2)?
        } else {
            0
        };
        let o1 = self.exp2rk(e1)?;
        if o1 > o2 {
            self.freeexp(e1);
            self.freeexp(e2);
        } else {
            self.freeexp(e2);
            self.freeexp(e1);
        }
        e1.k = ExpKind::Relocable(self.code_abc(op, 0, o1, o2)?);
        Ok(())
    }

    fn codecomp(
        &mut self,
        op: OpCode,
        cond: bool,
        e1: &mut ExpDesc,
        e2: &mut ExpDesc,
    ) -> PResult<()> {
        let mut o1 = self.exp2rk(e1)?;
        let mut o2 = self.exp2rk(e2)?;
        self.freeexp(e2);
        self.freeexp(e1);
        let mut cond = cond;
        if !cond && op != OpCode::Eq {
            std::mem::swap(&mut o1, &mut o2);
            cond = true;
        }
        e1.k = ExpKind::Jmp(self.condjump(op, u32::from(cond), o1, o2)? as usize);
        Ok(())
    }

    /// Applies a unary operator to `e`.
    pub(super) fn prefix(&mut self, op: UnOpr, e: &mut ExpDesc) -> PResult<()> {
        let mut e2 = ExpDesc::new(ExpKind::KNum(0.0));
        match op {
            UnOpr::Minus => {
                if !e.is_numeral() {
                    self.exp2anyreg(e)?;
                }
                self.codearith(OpCode::Unm, e, &mut e2)
            }
            UnOpr::Not => self.codenot(e),
            UnOpr::Len => {
                self.exp2anyreg(e)?;
                self.codearith(OpCode::Len, e, &mut e2)
            }
        }
    }

    /// Prepares the left operand `v` before the right one is parsed.
    pub(super) fn infix(&mut self, op: BinOpr, v: &mut ExpDesc) -> PResult<()> {
        match op {
            BinOpr::And => self.goiftrue(v),
            BinOpr::Or => self.goiffalse(v),
            BinOpr::Concat => self.exp2nextreg(v),
            BinOpr::Add | BinOpr::Sub | BinOpr::Mul | BinOpr::Div | BinOpr::Mod | BinOpr::Pow => {
                if !v.is_numeral() {
                    self.exp2rk(v)?;
                }
                Ok(())
            }
            _ => {
                self.exp2rk(v)?;
                Ok(())
            }
        }
    }

    /// Combines `e1 op e2` into `e1`.
    pub(super) fn posfix(&mut self, op: BinOpr, e1: &mut ExpDesc, e2: &mut ExpDesc) -> PResult<()> {
        match op {
            BinOpr::And => {
                debug_assert_eq!(e1.t, NO_JUMP);
                self.dischargevars(e2)?;
                e2.f = self.concat(e2.f, e1.f)?;
                *e1 = *e2;
                Ok(())
            }
            BinOpr::Or => {
                debug_assert_eq!(e1.f, NO_JUMP);
                self.dischargevars(e2)?;
                e2.t = self.concat(e2.t, e1.t)?;
                *e1 = *e2;
                Ok(())
            }
            BinOpr::Concat => {
                self.exp2val(e2)?;
                if let ExpKind::Relocable(pc) = e2.k {
                    if get_opcode(self.fs.f.code[pc]) == Some(OpCode::Concat) {
                        let ExpKind::NonReloc(r1) = e1.k else {
                            unreachable!("left operand of `..` is in a register");
                        };
                        debug_assert_eq!(r1, get_b(self.fs.f.code[pc]) - 1);
                        self.freeexp(e1);
                        opcodes::set_b(&mut self.fs.f.code[pc], r1);
                        e1.k = ExpKind::Relocable(pc);
                        return Ok(());
                    }
                }
                self.exp2nextreg(e2)?;
                self.codearith(OpCode::Concat, e1, e2)
            }
            BinOpr::Add => self.codearith(OpCode::Add, e1, e2),
            BinOpr::Sub => self.codearith(OpCode::Sub, e1, e2),
            BinOpr::Mul => self.codearith(OpCode::Mul, e1, e2),
            BinOpr::Div => self.codearith(OpCode::Div, e1, e2),
            BinOpr::Mod => self.codearith(OpCode::Mod, e1, e2),
            BinOpr::Pow => self.codearith(OpCode::Pow, e1, e2),
            BinOpr::Eq => self.codecomp(OpCode::Eq, true, e1, e2),
            BinOpr::Ne => self.codecomp(OpCode::Eq, false, e1, e2),
            BinOpr::Lt => self.codecomp(OpCode::Lt, true, e1, e2),
            BinOpr::Le => self.codecomp(OpCode::Le, true, e1, e2),
            BinOpr::Gt => self.codecomp(OpCode::Lt, false, e1, e2),
            BinOpr::Ge => self.codecomp(OpCode::Le, false, e1, e2),
        }
    }

    /// Emits `SETLIST` for `tostore` items (or `MULTRET`) ending at item `nelems`,
    /// using the extra-word form when the batch number exceeds C's range.
    pub(super) fn setlist(&mut self, base: u32, nelems: u32, tostore: i32) -> PResult<()> {
        let c = (nelems - 1) / opcodes::LFIELDS_PER_FLUSH + 1;
        let b = if tostore == MULTRET {
            0
        } else {
            tostore as u32
        };
        debug_assert!(tostore != 0);
        if c <= MAXARG_BC {
            self.code_abc(OpCode::SetList, base, b, c)?;
        } else {
            self.code_abc(OpCode::SetList, base, b, 0)?;
            self.code(c, self.lex.lastline)?;
        }
        self.fs.freereg = base + 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::disasm::listing;
    use crate::compiler::opcodes::{get_bx, get_c, OpArgMask, OpMode};
    use crate::compiler::{compile, Proto};
    use std::path::{Path, PathBuf};

    fn fixture_dir(sub: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/compiler/testdata")
            .join(sub)
    }

    /// One instruction as `luac -l` shows it: pc (1-based), line, name, operands.
    #[derive(Debug, PartialEq)]
    struct Listed {
        pc: usize,
        line: u32,
        name: String,
        operands: Vec<i64>,
    }

    /// Parses the instruction lines of a `luac5.1 -l` listing, per function, in the
    /// order luac prints functions (pre-order). Lines look like
    /// `\t1\t[1]\tLOADK    \t0 -1\t; 1`.
    fn parse_luac(text: &str) -> Vec<Vec<Listed>> {
        let mut functions: Vec<Vec<Listed>> = Vec::new();
        for line in text.lines() {
            if line.starts_with("main <") || line.starts_with("function <") {
                functions.push(Vec::new());
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() < 5 || !fields[0].is_empty() || !fields[2].starts_with('[') {
                continue;
            }
            let listed = Listed {
                pc: fields[1].parse().expect("pc"),
                line: fields[2]
                    .trim_matches(|c| c == '[' || c == ']')
                    .parse()
                    .expect("line"),
                name: fields[3].trim_end().to_owned(),
                operands: fields[4]
                    .split(' ')
                    .map(|n| n.parse().expect("operand"))
                    .collect(),
            };
            functions
                .last_mut()
                .expect("instruction before header")
                .push(listed);
        }
        functions
    }

    /// Decodes our instructions into the same shape, independently of `disasm`.
    fn decode(p: &Proto, out: &mut Vec<Vec<Listed>>) {
        let rk = |x: u32| {
            if is_k(x) {
                -1 - i64::from(x & !BITRK)
            } else {
                i64::from(x)
            }
        };
        let mut listed = Vec::new();
        let mut pc = 0;
        while pc < p.code.len() {
            let i = p.code[pc];
            let op = get_opcode(i).expect("valid opcode");
            let info = op.info();
            let mut operands = vec![i64::from(get_a(i))];
            match info.mode {
                OpMode::Abc => {
                    if info.b != OpArgMask::N {
                        operands.push(rk(get_b(i)));
                    }
                    if info.c != OpArgMask::N {
                        operands.push(rk(get_c(i)));
                    }
                }
                OpMode::ABx if info.b == OpArgMask::K => operands.push(-1 - i64::from(get_bx(i))),
                OpMode::ABx => operands.push(i64::from(get_bx(i))),
                OpMode::AsBx if op == OpCode::Jmp => operands = vec![i64::from(get_sbx(i))],
                OpMode::AsBx => operands.push(i64::from(get_sbx(i))),
            }
            listed.push(Listed {
                pc: pc + 1,
                line: p.line_info[pc],
                name: op.name().to_owned(),
                operands,
            });
            // luac prints a SETLIST's extra word on the SETLIST line and skips it.
            if op == OpCode::SetList && get_c(i) == 0 {
                pc += 1;
            }
            pc += 1;
        }
        out.push(listed);
        for child in &p.protos {
            decode(child, out);
        }
    }

    /// Replaces every `0x<hex>` word by `0x?`: function addresses differ by design.
    fn normalize_addresses(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("0x") {
            out.push_str(&rest[..at]);
            out.push_str("0x?");
            rest = rest[at + 2..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
        }
        out.push_str(rest);
        out
    }

    /// Compares every fixture under `testdata/bytecode` with the `luac5.1 -l -l`
    /// listing stored next to it (see `testdata/README.md`): first instruction by
    /// instruction (opcode, operands, line), then the whole listing text, which also
    /// covers headers, constants, locals and upvalues. There are no filtered
    /// differences: upvalues are described with the same MOVE/GETUPVAL pseudo
    /// instructions as luac5.1 emits.
    #[test]
    fn bytecode_matches_luac51() {
        let dir = fixture_dir("bytecode");
        let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("fixture dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "lua"))
            .collect();
        names.sort();
        assert!(names.len() >= 30, "only {} fixtures", names.len());
        let mut failures = Vec::new();
        for path in &names {
            let file = path.file_name().unwrap().to_str().unwrap();
            let src = std::fs::read(path).unwrap();
            let expected = std::fs::read_to_string(path.with_extension("luac.txt")).unwrap();
            let proto = match compile(&src, file) {
                Ok(p) => p,
                Err(e) => {
                    failures.push(format!("{file}: {e}"));
                    continue;
                }
            };
            let mut ours = Vec::new();
            decode(&proto, &mut ours);
            let theirs = parse_luac(&expected);
            if ours.len() != theirs.len() {
                failures.push(format!(
                    "{file}: {} functions, luac has {}",
                    ours.len(),
                    theirs.len()
                ));
                continue;
            }
            let mut instruction_mismatch = false;
            for (fi, (a, b)) in ours.iter().zip(&theirs).enumerate() {
                if let Some((x, y)) = a.iter().zip(b).find(|(x, y)| x != y) {
                    failures.push(format!("{file}: function {fi}: ours {x:?}, luac {y:?}"));
                    instruction_mismatch = true;
                } else if a.len() != b.len() {
                    failures.push(format!(
                        "{file}: function {fi}: {} vs {} instructions",
                        a.len(),
                        b.len()
                    ));
                    instruction_mismatch = true;
                }
            }
            if instruction_mismatch {
                continue;
            }
            let ours_text = normalize_addresses(&listing(&proto, true));
            let theirs_text = normalize_addresses(&expected);
            if let Some((n, (x, y))) = ours_text
                .lines()
                .zip(theirs_text.lines())
                .enumerate()
                .find(|(_, (x, y))| x != y)
            {
                failures.push(format!(
                    "{file}: listing line {}: ours {x:?}, luac {y:?}",
                    n + 1
                ));
            } else if ours_text.lines().count() != theirs_text.lines().count() {
                failures.push(format!("{file}: listing length differs"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} fixtures differ:\n{}",
            failures.len(),
            names.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn setlist_extra_word_form() {
        // `luac5.1 -l` on this 25700-item constructor ends with
        //   26217 [1] SETLIST 0 50 0 ; 514
        //   26219 [1] RETURN 0 1
        // (pc 26218 is the extra word holding C = 514, which luac does not list).
        let src = format!("local t = {{{}}}", vec!["1"; 25_700].join(","));
        let p = compile(src.as_bytes(), "t.lua").unwrap();
        assert_eq!(p.code.len(), 26_219);
        let setlist = p.code[26_216];
        assert_eq!(get_opcode(setlist), Some(OpCode::SetList));
        assert_eq!((get_a(setlist), get_b(setlist), get_c(setlist)), (0, 50, 0));
        assert_eq!(p.code[26_217], 514);
        assert_eq!(p.code[26_215], create_abx(OpCode::LoadK, 50, 0));
    }

    #[test]
    fn control_structure_too_long() {
        // `luac5.1 -p` prints "long.lua:70002: control structure too long near 'end'".
        let src = format!("while x do\n{}end\n", "y = y + 1\n".repeat(70_000));
        let err = compile(src.as_bytes(), "long.lua").unwrap_err();
        assert_eq!(
            err.to_string(),
            "long.lua:70002: control structure too long near 'end'"
        );
    }

    #[test]
    fn folding_guards() {
        assert_eq!(fold(OpCode::Add, 1.0, 2.0), Some(3.0));
        assert_eq!(fold(OpCode::Div, 1.0, 0.0), None);
        assert_eq!(fold(OpCode::Mod, 1.0, 0.0), None);
        assert_eq!(fold(OpCode::Mod, -5.0, 3.0), Some(1.0));
        assert_eq!(fold(OpCode::Mod, 5.5, -2.0), Some(-0.5));
        assert_eq!(fold(OpCode::Pow, 2.0, 10.0), Some(1024.0));
        assert_eq!(
            fold(OpCode::Unm, 0.0, 0.0).map(f64::is_sign_negative),
            Some(true)
        );
        assert_eq!(fold(OpCode::Sub, f64::INFINITY, f64::INFINITY), None);
        assert_eq!(fold(OpCode::Len, 1.0, 0.0), None);
    }
}
