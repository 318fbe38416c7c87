//! The single-pass Lua 5.1 parser, a port of PUC-Rio's `lparser.c`: it recognises
//! statements and expressions and drives the code generator (`code.rs`) as it goes,
//! without building a syntax tree.
//!
//! Invariants: `fs` is the function being compiled and `enclosing` its ancestors,
//! outermost first. Between statements `fs.freereg == fs.nactvar`: every register
//! above the active locals is free. Active local `i` lives in register `i`.
//! `nccalls` mirrors the C stack depth counter `L->nCcalls`, which bounds nesting.

use std::collections::HashMap;

use super::code::{BinOpr, ExpDesc, ExpKind, UnOpr, NO_JUMP};
use super::lexer::Lexer;
use super::opcodes::{self, OpCode, MAXARG_BX};
use super::proto::{LocalVar, Proto};
use super::token::{Token, TokenKind};
use super::SyntaxError;

/// Result type of everything that can reject the program.
pub(super) type PResult<T> = Result<T, SyntaxError>;

/// `LUAI_MAXCCALLS`: bound on nesting depth (and on assignment targets).
pub(super) const MAX_C_CALLS: u32 = 200;
/// `LUAI_MAXVARS`: active locals per function.
const MAX_VARS: u32 = 200;
/// `LUAI_MAXUPVALUES`: upvalues per function.
pub(super) const MAX_UPVALUES: u32 = 60;
/// `SHRT_MAX`: local variable declarations per function (the size limit of `locvars`).
const MAX_LOCVARS: usize = 32767;
/// `LUA_MULTRET`: "all results".
pub(super) const MULTRET: i32 = -1;
/// Priority of unary operators.
const UNARY_PRIORITY: u8 = 8;

/// A lexical block (`BlockCnt`).
#[derive(Clone, Copy, Debug)]
pub(super) struct BlockCnt {
    /// Jumps out of this loop, patched when it closes.
    pub breaklist: i32,
    /// Active locals outside the block.
    pub nactvar: u32,
    /// Some local of the block is captured as an upvalue (needs `CLOSE`).
    pub upval: bool,
    /// The block is a loop.
    pub isbreakable: bool,
}

/// Where an upvalue of a function comes from in its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum UpvalSource {
    /// The parent's register.
    Local(u32),
    /// The parent's own upvalue.
    Upval(u32),
}

/// Per-function compilation state (`FuncState`).
pub(super) struct FuncState {
    /// The prototype being filled in.
    pub f: Proto,
    /// Constant lookup: key to index in `f.constants`.
    pub h: HashMap<ConstKey, u32>,
    /// Open blocks, innermost last.
    pub bl: Vec<BlockCnt>,
    /// pc of the last jump target, to stop peephole optimisations across labels.
    pub lasttarget: i32,
    /// Jumps pending to the next instruction emitted.
    pub jpc: i32,
    /// First free register.
    pub freereg: u32,
    /// Number of active locals.
    pub nactvar: u32,
    /// Upvalue origins, parallel to `f.upvalue_names`.
    pub upvalues: Vec<UpvalSource>,
    /// `actvar[i]`: index in `f.local_vars` of active local `i` (and of pending ones).
    pub actvar: Vec<u32>,
}

/// Identity of a constant for de-duplication, with Lua table-key equality
/// (so `0` and `-0` share one entry, as they do in lua5.1).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum ConstKey {
    Nil,
    Boolean(bool),
    Number(u64),
    String(Vec<u8>),
}

impl FuncState {
    fn new(source: &str, line_defined: u32) -> Self {
        FuncState {
            f: Proto::new(source, line_defined),
            h: HashMap::new(),
            bl: Vec::new(),
            lasttarget: -1,
            jpc: NO_JUMP,
            freereg: 0,
            nactvar: 0,
            upvalues: Vec::new(),
            actvar: vec![0; MAX_VARS as usize],
        }
    }

    /// Current pc: index of the next instruction.
    pub fn pc(&self) -> usize {
        self.f.code.len()
    }

    fn locvar(&mut self, i: u32) -> &mut LocalVar {
        let idx = self.actvar[i as usize] as usize;
        &mut self.f.local_vars[idx]
    }

    fn searchvar(&self, name: &[u8]) -> Option<u32> {
        (0..self.nactvar).rev().find(|&i| {
            self.f.local_vars[self.actvar[i as usize] as usize]
                .name
                .as_bytes()
                == name
        })
    }

    fn markupval(&mut self, level: u32) {
        if let Some(bl) = self.bl.iter_mut().rev().find(|bl| bl.nactvar <= level) {
            bl.upval = true;
        }
    }
}

/// Binary operator priorities `(left, right)`.
fn priority(op: BinOpr) -> (u8, u8) {
    use BinOpr::*;
    match op {
        Add | Sub => (6, 6),
        Mul | Div | Mod => (7, 7),
        Pow => (10, 9),
        Concat => (5, 4),
        Eq | Ne | Lt | Le | Gt | Ge => (3, 3),
        And => (2, 2),
        Or => (1, 1),
    }
}

fn getunopr(t: TokenKind) -> Option<UnOpr> {
    match t {
        TokenKind::Not => Some(UnOpr::Not),
        TokenKind::Char(b'-') => Some(UnOpr::Minus),
        TokenKind::Char(b'#') => Some(UnOpr::Len),
        _ => None,
    }
}

fn getbinopr(t: TokenKind) -> Option<BinOpr> {
    use BinOpr::*;
    Some(match t {
        TokenKind::Char(b'+') => Add,
        TokenKind::Char(b'-') => Sub,
        TokenKind::Char(b'*') => Mul,
        TokenKind::Char(b'/') => Div,
        TokenKind::Char(b'%') => Mod,
        TokenKind::Char(b'^') => Pow,
        TokenKind::Concat => Concat,
        TokenKind::Ne => Ne,
        TokenKind::Eq => Eq,
        TokenKind::Char(b'<') => Lt,
        TokenKind::Le => Le,
        TokenKind::Char(b'>') => Gt,
        TokenKind::Ge => Ge,
        TokenKind::And => And,
        TokenKind::Or => Or,
        _ => return None,
    })
}

fn block_follow(t: TokenKind) -> bool {
    matches!(
        t,
        TokenKind::Else | TokenKind::Elseif | TokenKind::End | TokenKind::Until | TokenKind::Eos
    )
}

/// State of a table constructor (`ConsControl`).
struct ConsControl {
    /// Last list item read, not yet stored in a register.
    v: ExpDesc,
    /// Register holding the table.
    table: u32,
    /// Number of record fields.
    nh: u32,
    /// Number of list items.
    na: u32,
    /// List items waiting for a `SETLIST`.
    tostore: u32,
}

/// Parser and code generator state for one chunk.
pub(super) struct Parser<'s> {
    pub lex: Lexer<'s>,
    pub fs: FuncState,
    enclosing: Vec<FuncState>,
    nccalls: u32,
    chunk_name: &'s str,
}

impl<'s> Parser<'s> {
    /// Compiles a whole chunk into its main function (`luaY_parser`). `c_calls` is the
    /// nesting depth already used by the caller (`L->nCcalls`), which the syntax-level
    /// and assignment limits count against.
    pub fn parse_chunk(src: &'s [u8], chunk_name: &'s str, c_calls: u32) -> PResult<Proto> {
        let mut p = Parser {
            lex: Lexer::new(src, chunk_name),
            fs: FuncState::new(chunk_name, 0),
            enclosing: Vec::new(),
            nccalls: c_calls,
            chunk_name,
        };
        p.fs.f.is_vararg = true;
        p.lex.next()?;
        p.chunk()?;
        p.check(TokenKind::Eos)?;
        p.close_func()?;
        Ok(p.fs.f)
    }

    // ---- token helpers ----

    fn tk(&self) -> TokenKind {
        self.lex.t.kind()
    }

    fn error_expected(&self, token: TokenKind) -> SyntaxError {
        let mut msg = b"'".to_vec();
        msg.extend(token.to_bytes());
        msg.extend_from_slice(b"' expected");
        self.lex.error(&msg, Some(self.tk()))
    }

    /// `errorlimit`: a limit of `fs_level` was exceeded (no "near" part).
    fn errorlimit(&self, line_defined: u32, limit: u32, what: &str) -> SyntaxError {
        let msg = if line_defined == 0 {
            format!("main function has more than {limit} {what}")
        } else {
            format!("function at line {line_defined} has more than {limit} {what}")
        };
        self.lex.error(msg.as_bytes(), None)
    }

    fn checklimit(&self, v: u32, limit: u32, what: &str) -> PResult<()> {
        if v > limit {
            return Err(self.errorlimit(self.fs.f.line_defined, limit, what));
        }
        Ok(())
    }

    fn testnext(&mut self, c: TokenKind) -> PResult<bool> {
        if self.tk() == c {
            self.lex.next()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn check(&self, c: TokenKind) -> PResult<()> {
        if self.tk() != c {
            return Err(self.error_expected(c));
        }
        Ok(())
    }

    fn checknext(&mut self, c: TokenKind) -> PResult<()> {
        self.check(c)?;
        self.lex.next()
    }

    fn check_match(&mut self, what: TokenKind, who: TokenKind, line: u32) -> PResult<()> {
        if !self.testnext(what)? {
            if line == self.lex.linenumber {
                return Err(self.error_expected(what));
            }
            let mut msg = b"'".to_vec();
            msg.extend(what.to_bytes());
            msg.extend_from_slice(b"' expected (to close '");
            msg.extend(who.to_bytes());
            msg.extend_from_slice(format!("' at line {line})").as_bytes());
            return Err(self.lex.error(&msg, Some(self.tk())));
        }
        Ok(())
    }

    fn str_checkname(&mut self) -> PResult<Vec<u8>> {
        let Token::Name(name) = &self.lex.t else {
            return Err(self.error_expected(TokenKind::Name));
        };
        let name = name.clone();
        self.lex.next()?;
        Ok(name)
    }

    fn codestring(&mut self, s: Vec<u8>) -> PResult<ExpDesc> {
        Ok(ExpDesc::new(ExpKind::K(self.string_k(s)?)))
    }

    fn checkname(&mut self) -> PResult<ExpDesc> {
        let name = self.str_checkname()?;
        self.codestring(name)
    }

    fn enterlevel(&mut self) -> PResult<()> {
        self.nccalls += 1;
        if self.nccalls > MAX_C_CALLS {
            return Err(self.lex.error(b"chunk has too many syntax levels", None));
        }
        Ok(())
    }

    fn leavelevel(&mut self) {
        self.nccalls -= 1;
    }

    // ---- variables and scopes ----

    fn registerlocalvar(&mut self, name: Vec<u8>) -> PResult<u32> {
        if self.fs.f.local_vars.len() >= MAX_LOCVARS {
            return Err(SyntaxError::new(b"too many local variables".to_vec()));
        }
        self.fs.f.local_vars.push(LocalVar {
            // Names come from the lexer (ASCII identifiers) or are fixed ASCII strings.
            name: String::from_utf8_lossy(&name).into_owned(),
            start_pc: 0,
            end_pc: 0,
        });
        Ok(self.fs.f.local_vars.len() as u32 - 1)
    }

    fn new_localvar(&mut self, name: Vec<u8>, n: u32) -> PResult<()> {
        self.checklimit(self.fs.nactvar + n + 1, MAX_VARS, "local variables")?;
        let idx = self.registerlocalvar(name)?;
        self.fs.actvar[(self.fs.nactvar + n) as usize] = idx;
        Ok(())
    }

    fn adjustlocalvars(&mut self, nvars: u32) {
        let fs = &mut self.fs;
        fs.nactvar += nvars;
        let pc = fs.pc() as u32;
        for i in (fs.nactvar - nvars)..fs.nactvar {
            fs.locvar(i).start_pc = pc;
        }
    }

    fn removevars(&mut self, tolevel: u32) {
        let fs = &mut self.fs;
        let pc = fs.pc() as u32;
        while fs.nactvar > tolevel {
            fs.nactvar -= 1;
            let n = fs.nactvar;
            fs.locvar(n).end_pc = pc;
        }
    }

    /// The function state at nesting `level` (0 = main chunk).
    fn fs_at(&mut self, level: usize) -> &mut FuncState {
        if level == self.enclosing.len() {
            &mut self.fs
        } else {
            &mut self.enclosing[level]
        }
    }

    fn indexupvalue(&mut self, level: usize, name: &[u8], v: UpvalSource) -> PResult<u32> {
        let fs = self.fs_at(level);
        if let Some(i) = fs.upvalues.iter().position(|&u| u == v) {
            return Ok(i as u32);
        }
        let nups = fs.upvalues.len() as u32;
        let line_defined = fs.f.line_defined;
        if nups + 1 > MAX_UPVALUES {
            return Err(self.errorlimit(line_defined, MAX_UPVALUES, "upvalues"));
        }
        let fs = self.fs_at(level);
        fs.upvalues.push(v);
        fs.f.upvalue_names
            .push(String::from_utf8_lossy(name).into_owned());
        Ok(nups)
    }

    /// Resolves `name` as seen from function `level` (`singlevaraux`): a local of that
    /// function, an upvalue (creating the chain of upvalues down from the defining
    /// function), or a global.
    fn singlevaraux(&mut self, level: Option<usize>, name: &[u8], base: bool) -> PResult<ExpKind> {
        let Some(level) = level else {
            return Ok(ExpKind::Global(0));
        };
        let fs = self.fs_at(level);
        if let Some(v) = fs.searchvar(name) {
            if !base {
                fs.markupval(v);
            }
            return Ok(ExpKind::Local(v));
        }
        let outer = level.checked_sub(1);
        let source = match self.singlevaraux(outer, name, false)? {
            ExpKind::Local(r) => UpvalSource::Local(r),
            ExpKind::Upval(u) => UpvalSource::Upval(u),
            global => return Ok(global),
        };
        Ok(ExpKind::Upval(self.indexupvalue(level, name, source)?))
    }

    fn singlevar(&mut self) -> PResult<ExpDesc> {
        let name = self.str_checkname()?;
        let level = self.enclosing.len();
        let kind = match self.singlevaraux(Some(level), &name, true)? {
            ExpKind::Global(_) => ExpKind::Global(self.string_k(name)?),
            other => other,
        };
        Ok(ExpDesc::new(kind))
    }

    fn adjust_assign(&mut self, nvars: u32, nexps: u32, e: &mut ExpDesc) -> PResult<()> {
        let mut extra = nvars as i32 - nexps as i32;
        if e.k.has_multret() {
            extra = (extra + 1).max(0);
            self.setreturns(e, extra)?;
            if extra > 1 {
                self.reserveregs(extra as u32 - 1)?;
            }
        } else {
            if e.k != ExpKind::Void {
                self.exp2nextreg(e)?;
            }
            if extra > 0 {
                let reg = self.fs.freereg;
                self.reserveregs(extra as u32)?;
                self.code_nil(reg, extra as u32)?;
            }
        }
        Ok(())
    }

    fn enterblock(&mut self, isbreakable: bool) {
        // lparser.c asserts freereg == nactvar here, but a generic `for` with more than
        // three expressions breaks that (in release builds of lua5.1 too); mirror the
        // resulting register use rather than the assertion.
        let nactvar = self.fs.nactvar;
        self.fs.bl.push(BlockCnt {
            breaklist: NO_JUMP,
            nactvar,
            upval: false,
            isbreakable,
        });
    }

    fn leaveblock(&mut self) -> PResult<()> {
        let bl = self.fs.bl.pop().expect("leaveblock without an open block");
        self.removevars(bl.nactvar);
        if bl.upval {
            self.code_abc(OpCode::Close, bl.nactvar, 0, 0)?;
        }
        self.fs.freereg = self.fs.nactvar;
        self.patchtohere(bl.breaklist)
    }

    // ---- functions ----

    fn open_func(&mut self, line_defined: u32) {
        let child = FuncState::new(self.chunk_name, line_defined);
        let parent = std::mem::replace(&mut self.fs, child);
        self.enclosing.push(parent);
    }

    /// Finishes the current function: final `RETURN`, scopes closed.
    fn close_func(&mut self) -> PResult<()> {
        self.removevars(0);
        self.ret(0, 0)?;
        debug_assert!(self.fs.bl.is_empty());
        Ok(())
    }

    /// Pops the finished child function and emits its `CLOSURE` in the parent.
    fn pushclosure(&mut self) -> PResult<ExpDesc> {
        let parent = self
            .enclosing
            .pop()
            .expect("closure without a parent function");
        let child = std::mem::replace(&mut self.fs, parent);
        if self.fs.f.protos.len() >= MAXARG_BX as usize {
            return Err(SyntaxError::new(b"constant table overflow".to_vec()));
        }
        self.fs.f.protos.push(child.f);
        let idx = self.fs.f.protos.len() as u32 - 1;
        let pc = self.code_abx(OpCode::Closure, 0, idx)?;
        for u in child.upvalues {
            match u {
                UpvalSource::Local(r) => self.code_abc(OpCode::Move, 0, r, 0)?,
                UpvalSource::Upval(i) => self.code_abc(OpCode::GetUpval, 0, i, 0)?,
            };
        }
        Ok(ExpDesc::new(ExpKind::Relocable(pc)))
    }

    fn parlist(&mut self) -> PResult<()> {
        let mut nparams = 0;
        let mut is_vararg = false;
        if self.tk() != TokenKind::Char(b')') {
            loop {
                match self.tk() {
                    TokenKind::Name => {
                        let name = self.str_checkname()?;
                        self.new_localvar(name, nparams)?;
                        nparams += 1;
                    }
                    TokenKind::Dots => {
                        self.lex.next()?;
                        self.new_localvar(b"arg".to_vec(), nparams)?;
                        nparams += 1;
                        is_vararg = true;
                    }
                    _ => return Err(self.lex.syntax_error("<name> or '...' expected")),
                }
                if is_vararg || !self.testnext(TokenKind::Char(b','))? {
                    break;
                }
            }
        }
        self.adjustlocalvars(nparams);
        let fs = &mut self.fs;
        fs.f.is_vararg = is_vararg;
        fs.f.needs_arg = is_vararg;
        fs.f.num_params = (fs.nactvar - u32::from(is_vararg)) as u8;
        let n = fs.nactvar;
        self.reserveregs(n)
    }

    fn body(&mut self, needself: bool, line: u32) -> PResult<ExpDesc> {
        self.open_func(line);
        self.checknext(TokenKind::Char(b'('))?;
        if needself {
            self.new_localvar(b"self".to_vec(), 0)?;
            self.adjustlocalvars(1);
        }
        self.parlist()?;
        self.checknext(TokenKind::Char(b')'))?;
        self.chunk()?;
        self.fs.f.last_line_defined = self.lex.linenumber;
        self.check_match(TokenKind::End, TokenKind::Function, line)?;
        self.close_func()?;
        self.pushclosure()
    }

    fn explist1(&mut self, v: &mut ExpDesc) -> PResult<u32> {
        let mut n = 1;
        *v = self.expr()?;
        while self.testnext(TokenKind::Char(b','))? {
            self.exp2nextreg(v)?;
            *v = self.expr()?;
            n += 1;
        }
        Ok(n)
    }

    fn funcargs(&mut self, f: &mut ExpDesc) -> PResult<()> {
        let line = self.lex.linenumber;
        let mut args = match self.tk() {
            TokenKind::Char(b'(') => {
                if line != self.lex.lastline {
                    return Err(self
                        .lex
                        .syntax_error("ambiguous syntax (function call x new statement)"));
                }
                self.lex.next()?;
                let mut args = ExpDesc::new(ExpKind::Void);
                if self.tk() != TokenKind::Char(b')') {
                    self.explist1(&mut args)?;
                    self.setreturns(&mut args, MULTRET)?;
                }
                self.check_match(TokenKind::Char(b')'), TokenKind::Char(b'('), line)?;
                args
            }
            TokenKind::Char(b'{') => self.constructor()?,
            TokenKind::String => {
                let Token::String(s) = &self.lex.t else {
                    unreachable!("a String token carries its contents");
                };
                let e = self.codestring(s.clone())?;
                self.lex.next()?;
                e
            }
            _ => return Err(self.lex.syntax_error("function arguments expected")),
        };
        let ExpKind::NonReloc(base) = f.k else {
            unreachable!("function to call must be in a register");
        };
        let nparams = if args.k.has_multret() {
            MULTRET
        } else {
            if args.k != ExpKind::Void {
                self.exp2nextreg(&mut args)?;
            }
            (self.fs.freereg - (base + 1)) as i32
        };
        let pc = self.code_abc(OpCode::Call, base, (nparams + 1) as u32, 2)?;
        *f = ExpDesc::new(ExpKind::Call(pc));
        self.fixline(line);
        self.fs.freereg = base + 1;
        Ok(())
    }

    // ---- table constructors ----

    fn recfield(&mut self, cc: &mut ConsControl) -> PResult<()> {
        let reg = self.fs.freereg;
        let mut key = if self.tk() == TokenKind::Name {
            self.checkname()?
        } else {
            self.yindex()?
        };
        cc.nh += 1;
        self.checknext(TokenKind::Char(b'='))?;
        let rkkey = self.exp2rk(&mut key)?;
        let mut val = self.expr()?;
        let rkval = self.exp2rk(&mut val)?;
        self.code_abc(OpCode::SetTable, cc.table, rkkey, rkval)?;
        self.fs.freereg = reg;
        Ok(())
    }

    fn closelistfield(&mut self, cc: &mut ConsControl) -> PResult<()> {
        if cc.v.k == ExpKind::Void {
            return Ok(());
        }
        self.exp2nextreg(&mut cc.v)?;
        cc.v.k = ExpKind::Void;
        if cc.tostore == opcodes::LFIELDS_PER_FLUSH {
            self.setlist(cc.table, cc.na, cc.tostore as i32)?;
            cc.tostore = 0;
        }
        Ok(())
    }

    fn lastlistfield(&mut self, cc: &mut ConsControl) -> PResult<()> {
        if cc.tostore == 0 {
            return Ok(());
        }
        if cc.v.k.has_multret() {
            self.setreturns(&mut cc.v, MULTRET)?;
            self.setlist(cc.table, cc.na, MULTRET)?;
            cc.na -= 1;
        } else {
            if cc.v.k != ExpKind::Void {
                self.exp2nextreg(&mut cc.v)?;
            }
            self.setlist(cc.table, cc.na, cc.tostore as i32)?;
        }
        Ok(())
    }

    fn listfield(&mut self, cc: &mut ConsControl) -> PResult<()> {
        cc.v = self.expr()?;
        cc.na += 1;
        cc.tostore += 1;
        Ok(())
    }

    fn constructor(&mut self) -> PResult<ExpDesc> {
        let line = self.lex.linenumber;
        let pc = self.code_abc(OpCode::NewTable, 0, 0, 0)?;
        let mut t = ExpDesc::new(ExpKind::Relocable(pc));
        self.exp2nextreg(&mut t)?;
        let ExpKind::NonReloc(table) = t.k else {
            unreachable!("exp2nextreg leaves the table in a register");
        };
        let mut cc = ConsControl {
            v: ExpDesc::new(ExpKind::Void),
            table,
            nh: 0,
            na: 0,
            tostore: 0,
        };
        self.checknext(TokenKind::Char(b'{'))?;
        loop {
            if self.tk() == TokenKind::Char(b'}') {
                break;
            }
            self.closelistfield(&mut cc)?;
            match self.tk() {
                TokenKind::Name => {
                    if self.lex.lookahead()? != TokenKind::Char(b'=') {
                        self.listfield(&mut cc)?;
                    } else {
                        self.recfield(&mut cc)?;
                    }
                }
                TokenKind::Char(b'[') => self.recfield(&mut cc)?,
                _ => self.listfield(&mut cc)?,
            }
            if !(self.testnext(TokenKind::Char(b','))? || self.testnext(TokenKind::Char(b';'))?) {
                break;
            }
        }
        self.check_match(TokenKind::Char(b'}'), TokenKind::Char(b'{'), line)?;
        self.lastlistfield(&mut cc)?;
        let code = &mut self.fs.f.code[pc];
        opcodes::set_b(code, opcodes::int_to_fb(cc.na));
        opcodes::set_c(code, opcodes::int_to_fb(cc.nh));
        Ok(t)
    }

    // ---- expressions ----

    fn field(&mut self, v: &mut ExpDesc) -> PResult<()> {
        let table = self.exp2anyreg(v)?;
        self.lex.next()?;
        let mut key = self.checkname()?;
        self.indexed(v, table, &mut key)
    }

    fn yindex(&mut self) -> PResult<ExpDesc> {
        self.lex.next()?;
        let mut v = self.expr()?;
        self.exp2val(&mut v)?;
        self.checknext(TokenKind::Char(b']'))?;
        Ok(v)
    }

    fn prefixexp(&mut self) -> PResult<ExpDesc> {
        match self.tk() {
            TokenKind::Char(b'(') => {
                let line = self.lex.linenumber;
                self.lex.next()?;
                let mut v = self.expr()?;
                self.check_match(TokenKind::Char(b')'), TokenKind::Char(b'('), line)?;
                self.dischargevars(&mut v)?;
                Ok(v)
            }
            TokenKind::Name => self.singlevar(),
            _ => Err(self.lex.syntax_error("unexpected symbol")),
        }
    }

    fn primaryexp(&mut self) -> PResult<ExpDesc> {
        let mut v = self.prefixexp()?;
        loop {
            match self.tk() {
                TokenKind::Char(b'.') => self.field(&mut v)?,
                TokenKind::Char(b'[') => {
                    let table = self.exp2anyreg(&mut v)?;
                    let mut key = self.yindex()?;
                    self.indexed(&mut v, table, &mut key)?;
                }
                TokenKind::Char(b':') => {
                    self.lex.next()?;
                    let mut key = self.checkname()?;
                    self.self_(&mut v, &mut key)?;
                    self.funcargs(&mut v)?;
                }
                TokenKind::Char(b'(') | TokenKind::String | TokenKind::Char(b'{') => {
                    self.exp2nextreg(&mut v)?;
                    self.funcargs(&mut v)?;
                }
                _ => return Ok(v),
            }
        }
    }

    fn simpleexp(&mut self) -> PResult<ExpDesc> {
        let v = match &self.lex.t {
            Token::Number(n) => ExpDesc::new(ExpKind::KNum(*n)),
            Token::String(s) => {
                let s = s.clone();
                self.codestring(s)?
            }
            Token::Plain(TokenKind::Nil) => ExpDesc::new(ExpKind::Nil),
            Token::Plain(TokenKind::True) => ExpDesc::new(ExpKind::True),
            Token::Plain(TokenKind::False) => ExpDesc::new(ExpKind::False),
            Token::Plain(TokenKind::Dots) => {
                if !self.fs.f.is_vararg {
                    return Err(self
                        .lex
                        .syntax_error("cannot use '...' outside a vararg function"));
                }
                self.fs.f.needs_arg = false;
                let pc = self.code_abc(OpCode::VarArg, 0, 1, 0)?;
                ExpDesc::new(ExpKind::Vararg(pc))
            }
            Token::Plain(TokenKind::Char(b'{')) => return self.constructor(),
            Token::Plain(TokenKind::Function) => {
                self.lex.next()?;
                let line = self.lex.linenumber;
                return self.body(false, line);
            }
            _ => return self.primaryexp(),
        };
        self.lex.next()?;
        Ok(v)
    }

    /// `subexpr`: parses operators binding tighter than `limit`; returns the first
    /// operator it did not consume.
    fn subexpr(&mut self, v: &mut ExpDesc, limit: u8) -> PResult<Option<BinOpr>> {
        self.enterlevel()?;
        if let Some(uop) = getunopr(self.tk()) {
            self.lex.next()?;
            self.subexpr(v, UNARY_PRIORITY)?;
            self.prefix(uop, v)?;
        } else {
            *v = self.simpleexp()?;
        }
        let mut op = getbinopr(self.tk());
        while let Some(o) = op {
            let (left, right) = priority(o);
            if left <= limit {
                break;
            }
            self.lex.next()?;
            self.infix(o, v)?;
            let mut v2 = ExpDesc::new(ExpKind::Void);
            let nextop = self.subexpr(&mut v2, right)?;
            self.posfix(o, v, &mut v2)?;
            op = nextop;
        }
        self.leavelevel();
        Ok(op)
    }

    fn expr(&mut self) -> PResult<ExpDesc> {
        let mut v = ExpDesc::new(ExpKind::Void);
        self.subexpr(&mut v, 0)?;
        Ok(v)
    }

    // ---- statements ----

    fn block(&mut self) -> PResult<()> {
        self.enterblock(false);
        self.chunk()?;
        debug_assert_eq!(self.fs.bl.last().map(|b| b.breaklist), Some(NO_JUMP));
        self.leaveblock()
    }

    /// In `a[i], i = ...`, a later local target may be a register an earlier indexed
    /// target reads; copy it aside first so the stores see the old value.
    fn check_conflict(&mut self, lhs: &mut [ExpDesc], reg: u32) -> PResult<()> {
        let extra = self.fs.freereg;
        let mut conflict = false;
        for lh in lhs.iter_mut() {
            if let ExpKind::Indexed { table, key } = &mut lh.k {
                if *table == reg {
                    conflict = true;
                    *table = extra;
                }
                if *key == reg {
                    conflict = true;
                    *key = extra;
                }
            }
        }
        if conflict {
            self.code_abc(OpCode::Move, self.fs.freereg, reg, 0)?;
            self.reserveregs(1)?;
        }
        Ok(())
    }

    /// Parses the rest of an assignment whose targets so far are `lhs` (the last one is
    /// the current target) and stores into the current target.
    fn assignment(&mut self, lhs: &mut Vec<ExpDesc>) -> PResult<()> {
        let nvars = lhs.len() as u32;
        if !lhs[lhs.len() - 1].k.is_var() {
            return Err(self.lex.syntax_error("syntax error"));
        }
        if self.testnext(TokenKind::Char(b','))? {
            let nv = self.primaryexp()?;
            if let ExpKind::Local(r) = nv.k {
                self.check_conflict(lhs, r)?;
            }
            self.checklimit(nvars, MAX_C_CALLS - self.nccalls, "variables in assignment")?;
            lhs.push(nv);
            self.assignment(lhs)?;
            lhs.pop();
        } else {
            self.checknext(TokenKind::Char(b'='))?;
            let mut e = ExpDesc::new(ExpKind::Void);
            let nexps = self.explist1(&mut e)?;
            if nexps != nvars {
                self.adjust_assign(nvars, nexps, &mut e)?;
                if nexps > nvars {
                    self.fs.freereg -= nexps - nvars;
                }
            } else {
                self.setoneret(&mut e);
                let var = lhs[lhs.len() - 1];
                return self.storevar(&var, &mut e);
            }
        }
        let mut e = ExpDesc::new(ExpKind::NonReloc(self.fs.freereg - 1));
        let var = lhs[lhs.len() - 1];
        self.storevar(&var, &mut e)
    }

    fn cond(&mut self) -> PResult<i32> {
        let mut v = self.expr()?;
        if v.k == ExpKind::Nil {
            v.k = ExpKind::False;
        }
        self.goiftrue(&mut v)?;
        Ok(v.f)
    }

    fn breakstat(&mut self) -> PResult<()> {
        let mut upval = false;
        let mut target = None;
        for (i, bl) in self.fs.bl.iter().enumerate().rev() {
            if bl.isbreakable {
                target = Some(i);
                break;
            }
            upval |= bl.upval;
        }
        let Some(idx) = target else {
            return Err(self.lex.syntax_error("no loop to break"));
        };
        if upval {
            self.code_abc(OpCode::Close, self.fs.bl[idx].nactvar, 0, 0)?;
        }
        let j = self.jump()?;
        let list = self.concat(self.fs.bl[idx].breaklist, j)?;
        self.fs.bl[idx].breaklist = list;
        Ok(())
    }

    fn whilestat(&mut self, line: u32) -> PResult<()> {
        self.lex.next()?;
        let whileinit = self.getlabel();
        let condexit = self.cond()?;
        self.enterblock(true);
        self.checknext(TokenKind::Do)?;
        self.block()?;
        let j = self.jump()?;
        self.patchlist(j, whileinit)?;
        self.check_match(TokenKind::End, TokenKind::While, line)?;
        self.leaveblock()?;
        self.patchtohere(condexit)
    }

    fn repeatstat(&mut self, line: u32) -> PResult<()> {
        let repeat_init = self.getlabel();
        self.enterblock(true);
        self.enterblock(false);
        self.lex.next()?;
        self.chunk()?;
        self.check_match(TokenKind::Until, TokenKind::Repeat, line)?;
        let condexit = self.cond()?;
        if !self.fs.bl.last().is_some_and(|b| b.upval) {
            self.leaveblock()?;
            self.patchlist(condexit, repeat_init)?;
        } else {
            self.breakstat()?;
            self.patchtohere(condexit)?;
            self.leaveblock()?;
            let j = self.jump()?;
            self.patchlist(j, repeat_init)?;
        }
        self.leaveblock()
    }

    fn exp1(&mut self) -> PResult<()> {
        let mut e = self.expr()?;
        self.exp2nextreg(&mut e)
    }

    fn forbody(&mut self, base: u32, line: u32, nvars: u32, isnum: bool) -> PResult<()> {
        self.adjustlocalvars(3);
        self.checknext(TokenKind::Do)?;
        let prep = if isnum {
            self.code_asbx(OpCode::ForPrep, base, NO_JUMP)? as i32
        } else {
            self.jump()?
        };
        self.enterblock(false);
        self.adjustlocalvars(nvars);
        self.reserveregs(nvars)?;
        self.block()?;
        self.leaveblock()?;
        self.patchtohere(prep)?;
        let endfor = if isnum {
            self.code_asbx(OpCode::ForLoop, base, NO_JUMP)?
        } else {
            self.code_abc(OpCode::TForLoop, base, 0, nvars)?
        };
        self.fixline(line);
        let back = if isnum { endfor as i32 } else { self.jump()? };
        self.patchlist(back, (prep + 1) as usize)
    }

    fn fornum(&mut self, varname: Vec<u8>, line: u32) -> PResult<()> {
        let base = self.fs.freereg;
        self.new_localvar(b"(for index)".to_vec(), 0)?;
        self.new_localvar(b"(for limit)".to_vec(), 1)?;
        self.new_localvar(b"(for step)".to_vec(), 2)?;
        self.new_localvar(varname, 3)?;
        self.checknext(TokenKind::Char(b'='))?;
        self.exp1()?;
        self.checknext(TokenKind::Char(b','))?;
        self.exp1()?;
        if self.testnext(TokenKind::Char(b','))? {
            self.exp1()?;
        } else {
            let k = self.number_k(1.0)?;
            self.code_abx(OpCode::LoadK, self.fs.freereg, k)?;
            self.reserveregs(1)?;
        }
        self.forbody(base, line, 1, true)
    }

    fn forlist(&mut self, indexname: Vec<u8>) -> PResult<()> {
        let base = self.fs.freereg;
        self.new_localvar(b"(for generator)".to_vec(), 0)?;
        self.new_localvar(b"(for state)".to_vec(), 1)?;
        self.new_localvar(b"(for control)".to_vec(), 2)?;
        self.new_localvar(indexname, 3)?;
        let mut nvars = 4;
        while self.testnext(TokenKind::Char(b','))? {
            let name = self.str_checkname()?;
            self.new_localvar(name, nvars)?;
            nvars += 1;
        }
        self.checknext(TokenKind::In)?;
        let line = self.lex.linenumber;
        let mut e = ExpDesc::new(ExpKind::Void);
        let nexps = self.explist1(&mut e)?;
        self.adjust_assign(3, nexps, &mut e)?;
        self.checkstack(3)?;
        self.forbody(base, line, nvars - 3, false)
    }

    fn forstat(&mut self, line: u32) -> PResult<()> {
        self.enterblock(true);
        self.lex.next()?;
        let varname = self.str_checkname()?;
        match self.tk() {
            TokenKind::Char(b'=') => self.fornum(varname, line)?,
            TokenKind::Char(b',') | TokenKind::In => self.forlist(varname)?,
            _ => return Err(self.lex.syntax_error("'=' or 'in' expected")),
        }
        self.check_match(TokenKind::End, TokenKind::For, line)?;
        self.leaveblock()
    }

    fn test_then_block(&mut self) -> PResult<i32> {
        self.lex.next()?;
        let condexit = self.cond()?;
        self.checknext(TokenKind::Then)?;
        self.block()?;
        Ok(condexit)
    }

    fn ifstat(&mut self, line: u32) -> PResult<()> {
        let mut escapelist = NO_JUMP;
        let mut flist = self.test_then_block()?;
        while self.tk() == TokenKind::Elseif {
            let j = self.jump()?;
            escapelist = self.concat(escapelist, j)?;
            self.patchtohere(flist)?;
            flist = self.test_then_block()?;
        }
        if self.tk() == TokenKind::Else {
            let j = self.jump()?;
            escapelist = self.concat(escapelist, j)?;
            self.patchtohere(flist)?;
            self.lex.next()?;
            self.block()?;
        } else {
            escapelist = self.concat(escapelist, flist)?;
        }
        self.patchtohere(escapelist)?;
        self.check_match(TokenKind::End, TokenKind::If, line)
    }

    fn localfunc(&mut self) -> PResult<()> {
        let name = self.str_checkname()?;
        self.new_localvar(name, 0)?;
        let v = ExpDesc::new(ExpKind::Local(self.fs.freereg));
        self.reserveregs(1)?;
        self.adjustlocalvars(1);
        let line = self.lex.linenumber;
        let mut b = self.body(false, line)?;
        self.storevar(&v, &mut b)?;
        // The debug information only sees the variable after the closure is stored.
        let pc = self.fs.pc() as u32;
        let n = self.fs.nactvar - 1;
        self.fs.locvar(n).start_pc = pc;
        Ok(())
    }

    fn localstat(&mut self) -> PResult<()> {
        let mut nvars = 0;
        loop {
            let name = self.str_checkname()?;
            self.new_localvar(name, nvars)?;
            nvars += 1;
            if !self.testnext(TokenKind::Char(b','))? {
                break;
            }
        }
        let mut e = ExpDesc::new(ExpKind::Void);
        let nexps = if self.testnext(TokenKind::Char(b'='))? {
            self.explist1(&mut e)?
        } else {
            0
        };
        self.adjust_assign(nvars, nexps, &mut e)?;
        self.adjustlocalvars(nvars);
        Ok(())
    }

    fn funcname(&mut self, v: &mut ExpDesc) -> PResult<bool> {
        *v = self.singlevar()?;
        while self.tk() == TokenKind::Char(b'.') {
            self.field(v)?;
        }
        if self.tk() == TokenKind::Char(b':') {
            self.field(v)?;
            return Ok(true);
        }
        Ok(false)
    }

    fn funcstat(&mut self, line: u32) -> PResult<()> {
        self.lex.next()?;
        let mut v = ExpDesc::new(ExpKind::Void);
        let needself = self.funcname(&mut v)?;
        let mut b = self.body(needself, line)?;
        self.storevar(&v, &mut b)?;
        self.fixline(line);
        Ok(())
    }

    fn exprstat(&mut self) -> PResult<()> {
        let v = self.primaryexp()?;
        if let ExpKind::Call(pc) = v.k {
            opcodes::set_c(&mut self.fs.f.code[pc], 1);
            Ok(())
        } else {
            self.assignment(&mut vec![v])
        }
    }

    fn retstat(&mut self) -> PResult<()> {
        self.lex.next()?;
        let (first, nret) = if block_follow(self.tk()) || self.tk() == TokenKind::Char(b';') {
            (0, 0)
        } else {
            let mut e = ExpDesc::new(ExpKind::Void);
            let nret = self.explist1(&mut e)?;
            if e.k.has_multret() {
                self.setreturns(&mut e, MULTRET)?;
                if let (ExpKind::Call(pc), 1) = (e.k, nret) {
                    opcodes::set_opcode(&mut self.fs.f.code[pc], OpCode::TailCall);
                }
                (self.fs.nactvar, MULTRET)
            } else if nret == 1 {
                (self.exp2anyreg(&mut e)?, 1)
            } else {
                self.exp2nextreg(&mut e)?;
                (self.fs.nactvar, nret as i32)
            }
        };
        self.ret(first, nret)
    }

    /// Parses one statement; returns whether it must be the last of its block.
    fn statement(&mut self) -> PResult<bool> {
        let line = self.lex.linenumber;
        match self.tk() {
            TokenKind::If => self.ifstat(line)?,
            TokenKind::While => self.whilestat(line)?,
            TokenKind::Do => {
                self.lex.next()?;
                self.block()?;
                self.check_match(TokenKind::End, TokenKind::Do, line)?;
            }
            TokenKind::For => self.forstat(line)?,
            TokenKind::Repeat => self.repeatstat(line)?,
            TokenKind::Function => self.funcstat(line)?,
            TokenKind::Local => {
                self.lex.next()?;
                if self.testnext(TokenKind::Function)? {
                    self.localfunc()?;
                } else {
                    self.localstat()?;
                }
            }
            TokenKind::Return => {
                self.retstat()?;
                return Ok(true);
            }
            TokenKind::Break => {
                self.lex.next()?;
                self.breakstat()?;
                return Ok(true);
            }
            _ => self.exprstat()?,
        }
        Ok(false)
    }

    fn chunk(&mut self) -> PResult<()> {
        self.enterlevel()?;
        let mut islast = false;
        while !islast && !block_follow(self.tk()) {
            islast = self.statement()?;
            self.testnext(TokenKind::Char(b';'))?;
            debug_assert!(
                u32::from(self.fs.f.max_stack_size) >= self.fs.freereg
                    && self.fs.freereg >= self.fs.nactvar
            );
            self.fs.freereg = self.fs.nactvar;
        }
        self.leavelevel();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::compiler::{compile, compile_with, CompileOptions};
    use std::path::Path;

    fn error_of(src: &[u8], name: &str) -> String {
        match compile(src, name) {
            Ok(_) => panic!("{name}: compiled, expected an error"),
            Err(e) => String::from_utf8_lossy(e.message()).into_owned(),
        }
    }

    /// Every `testdata/errors/NAME.lua` must fail with the message `luac5.1 -p NAME.lua`
    /// printed (stored in `NAME.expected`, see `testdata/README.md`).
    #[test]
    fn syntax_errors_match_luac51() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/compiler/testdata/errors");
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .expect("fixture dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "lua"))
            .collect();
        paths.sort();
        assert!(paths.len() >= 25, "only {} error fixtures", paths.len());
        let mut failures = Vec::new();
        for path in &paths {
            let name = path.file_name().unwrap().to_str().unwrap();
            let src = std::fs::read(path).unwrap();
            let expected = std::fs::read_to_string(path.with_extension("expected")).unwrap();
            let expected = expected.trim_end_matches('\n');
            match compile(&src, name) {
                Ok(_) => failures.push(format!("{name}: compiled without error")),
                Err(e) => {
                    let got = String::from_utf8_lossy(e.message()).into_owned();
                    if got != expected {
                        failures.push(format!("{name}:\n  ours: {got}\n  luac: {expected}"));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn too_many_local_declarations() {
        // 32768 declarations in one function overflow 5.1's `locvars` (SHRT_MAX entries);
        // `luac5.1 -p` on this program prints "luac5.1: too many local variables", with
        // no position because the error is raised as a runtime error by the allocator.
        let src = "do local a end\n".repeat(32768);
        assert_eq!(
            error_of(src.as_bytes(), "t.lua"),
            "too many local variables"
        );
        let ok = "do local a end\n".repeat(32767);
        assert!(compile(ok.as_bytes(), "t.lua").is_ok());
    }

    #[test]
    fn constant_table_overflow() {
        // 262144 distinct constants exceed MAXARG_Bx + 1; `luac5.1 -p` prints
        // "luac5.1: constant table overflow".
        let mut src = String::from("local t = {");
        for i in 0..262_144 {
            src.push_str(&i.to_string());
            src.push(',');
        }
        src.push('}');
        assert_eq!(error_of(src.as_bytes(), "t.lua"), "constant table overflow");
    }

    #[test]
    fn shebang_is_skipped_only_for_files() {
        assert!(compile(b"#!/usr/bin/lua\nx = 1", "t.lua").is_ok());
        // The shebang line still counts as line 1.
        assert_eq!(
            error_of(b"# comment\nx = = 1", "t.lua"),
            "t.lua:2: unexpected symbol near '='"
        );
        let string_opts = CompileOptions {
            skip_shebang: false,
            c_call_depth: 1,
        };
        let err = compile_with(b"#!x\nx = 1", "#!x\nx = 1", string_opts).unwrap_err();
        // lua5.1 -e 'print(loadstring("#!x\nx = 1"))' prints this message.
        assert_eq!(
            err.to_string(),
            "[string \"#!x...\"]:1: unexpected symbol near '#'"
        );
    }

    #[test]
    fn syntax_level_limit_depends_on_call_depth() {
        // `luac5.1 -p` (depth 1) accepts 197 nested parentheses and rejects 198; a
        // `loadstring` called from a chunk run by lua5.1 (depth 2) rejects 197 and
        // accepts 196, as `lua5.1 -e 'print(loadstring(...))'` shows.
        let nest = |n: usize| format!("x = {}1{}", "(".repeat(n), ")".repeat(n));
        assert!(compile(nest(197).as_bytes(), "t.lua").is_ok());
        assert_eq!(
            error_of(nest(198).as_bytes(), "t.lua"),
            "t.lua:1: chunk has too many syntax levels"
        );
        let deeper = CompileOptions {
            skip_shebang: true,
            c_call_depth: 2,
        };
        assert!(compile_with(nest(197).as_bytes(), "@t.lua", deeper).is_err());
        assert!(compile_with(nest(196).as_bytes(), "@t.lua", deeper).is_ok());
    }

    #[test]
    fn error_message_quotes_raw_bytes() {
        // A string token is quoted as scanned (escapes resolved), cut at a NUL byte.
        let err = compile(b"x = 1 'a\\0b'", "t.lua").unwrap_err();
        assert_eq!(err.message(), b"t.lua:1: unexpected symbol near ''a'");
        let err = compile(b"x = \xe9", "t.lua").unwrap_err();
        assert_eq!(err.message(), b"t.lua:1: unexpected symbol near '\xe9'");
    }
}
