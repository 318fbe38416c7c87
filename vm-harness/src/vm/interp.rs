//! The interpreter loop: Lua 5.1's register machine, one `match` arm per opcode.
//!
//! Invariants:
//! - Lua-to-Lua calls, returns and tail calls never recurse on the Rust stack: they
//!   push or pop a frame and either switch the loop's cached state in place (calls of
//!   fixed-arity functions, the common case) or restart the outer loop, which reloads it
//!   from the innermost frame (`continue 'frame`). Only native code and metamethods
//!   re-enter `execute`, which returns when the frame count drops back to `entry`.
//! - `regs` caches the address of the frame's first register in the running thread's
//!   stack block, and `frame` the address of its frame in the frame block; both are
//!   reloaded after anything that can run code or grow either block (`protect!`).
//!   Registers of the current frame are below its `top`, which `precall` made fit in
//!   the stack, so register accesses through `regs + r` stay in bounds.
//! - The frame's saved pc is updated before anything that can raise an error, allocate
//!   or call, so error positions and variable names are those of the faulting
//!   instruction.
//! - Operands are not bounds-checked: registers, constants, upvalues, nested
//!   prototypes, jump targets and the words after tests, `CLOSURE` and `SETLIST` are as
//!   the code generator emits them, which `compiler::verify` checks for binary chunks
//!   before they load (the "compiler invariant" of the comments below). Types are not
//!   verified, so the two arms that assume them (`FORLOOP`'s numbers, `SETLIST`'s
//!   table) raise an error if foreign code breaks the assumption.
//! - Hooks (see `hooks`): the loop is compiled twice, with and without the hook checks
//!   (`HOOKED`); `execute` runs the copy that fits the thread's hook mask. The copy
//!   without checks switches where a hook can have been set during the running
//!   function's own execution: after a native call returns (`debug.sethook` is one) and
//!   whenever a frame is entered through the outer loop; the copy with checks switches
//!   back at the outer loop. A hook set by a metamethod or finalizer therefore takes
//!   effect at the next call or return of the interrupted function.
//! - Backward jumps (the loops' `JMP`, `FORLOOP`, the `JMP` after a test) charge the
//!   instruction budget (`budget`); calls charge it when they enter the callee. A charge
//!   may poll the collector, which may run an increment: a safe point, where the
//!   registers hold every live value, but one that neither runs code nor moves a block.
//! - The instructions that allocate (`NEWTABLE`, `CONCAT`, `CLOSURE`, 5.1's
//!   `luaC_checkGC` points) are the safe points where finalizers made due by an
//!   automatic collection run, once the instruction's result is in its register.

use gc_core::Collector;

use super::call::Called;
use super::metamethods::Arith;
use super::{LuaResult, Vm};
use crate::compiler::opcodes::{fb_to_int, OpCode, BITRK, LFIELDS_PER_FLUSH, MAXARG_SBX};
use crate::model::LuaModel;
use crate::object::closure::LuaClosureRef;
use crate::object::thread::{Frame, HOOK_CALL, HOOK_COUNT, HOOK_LINE, HOOK_RETURN};
use crate::object::upvalue::UpvalRef;
use crate::value::Value;

const MOVE: u32 = OpCode::Move as u32;
const LOADK: u32 = OpCode::LoadK as u32;
const LOADBOOL: u32 = OpCode::LoadBool as u32;
const LOADNIL: u32 = OpCode::LoadNil as u32;
const GETUPVAL: u32 = OpCode::GetUpval as u32;
const GETGLOBAL: u32 = OpCode::GetGlobal as u32;
const GETTABLE: u32 = OpCode::GetTable as u32;
const SETGLOBAL: u32 = OpCode::SetGlobal as u32;
const SETUPVAL: u32 = OpCode::SetUpval as u32;
const SETTABLE: u32 = OpCode::SetTable as u32;
const NEWTABLE: u32 = OpCode::NewTable as u32;
const SELF: u32 = OpCode::Self_ as u32;
const ADD: u32 = OpCode::Add as u32;
const SUB: u32 = OpCode::Sub as u32;
const MUL: u32 = OpCode::Mul as u32;
const DIV: u32 = OpCode::Div as u32;
const MOD: u32 = OpCode::Mod as u32;
const POW: u32 = OpCode::Pow as u32;
const UNM: u32 = OpCode::Unm as u32;
const NOT: u32 = OpCode::Not as u32;
const LEN: u32 = OpCode::Len as u32;
const CONCAT: u32 = OpCode::Concat as u32;
const JMP: u32 = OpCode::Jmp as u32;
const EQ: u32 = OpCode::Eq as u32;
const LT: u32 = OpCode::Lt as u32;
const LE: u32 = OpCode::Le as u32;
const TEST: u32 = OpCode::Test as u32;
const TESTSET: u32 = OpCode::TestSet as u32;
const CALL: u32 = OpCode::Call as u32;
const TAILCALL: u32 = OpCode::TailCall as u32;
const RETURN: u32 = OpCode::Return as u32;
const FORLOOP: u32 = OpCode::ForLoop as u32;
const FORPREP: u32 = OpCode::ForPrep as u32;
const TFORLOOP: u32 = OpCode::TForLoop as u32;
const SETLIST: u32 = OpCode::SetList as u32;
const CLOSE: u32 = OpCode::Close as u32;
const CLOSURE: u32 = OpCode::Closure as u32;
const VARARG: u32 = OpCode::VarArg as u32;

/// 5.1's `LUAI_MAXUPVALUES`.
const MAX_UPVALUES: usize = 60;

#[inline(always)]
fn arg_b(i: u32) -> u32 {
    i >> 23
}

#[inline(always)]
fn arg_c(i: u32) -> u32 {
    (i >> 14) & 0x1ff
}

#[inline(always)]
fn arg_bx(i: u32) -> u32 {
    i >> 14
}

#[inline(always)]
fn arg_sbx(i: u32) -> isize {
    (i >> 14) as isize - MAXARG_SBX as isize
}

impl<C: Collector<LuaModel>> Vm<C> {
    /// Runs Lua frames until the frame count drops to `entry`.
    pub(crate) fn execute(&mut self, entry: usize) -> LuaResult<()> {
        loop {
            let done = if self.roots.thread.hook_mask() != 0 {
                self.run_frames::<true>(entry)?
            } else {
                self.run_frames::<false>(entry)?
            };
            if done {
                return Ok(());
            }
        }
    }

    /// The interpreter loop, with the hook checks if `HOOKED`. Returns true when the
    /// frame count has dropped to `entry`, false when the thread's hooks no longer fit
    /// `HOOKED` (with the innermost frame's state saved, to be continued by the other
    /// copy).
    fn run_frames<const HOOKED: bool>(&mut self, entry: usize) -> LuaResult<bool> {
        'frame: loop {
            let th = self.roots.thread;
            if (th.hook_mask() != 0) != HOOKED {
                return Ok(false);
            }
            // SAFETY: execute runs while the thread has frames above `entry`.
            let mut frame: *mut Frame = unsafe { th.top_frame_unchecked() };
            // SAFETY: `frame` points at the innermost frame (module invariant).
            let (func, mut base, resume) = unsafe {
                (
                    (*frame).func as usize,
                    (*frame).base as usize,
                    (*frame).resume,
                )
            };
            let stack = th.stack_ptr();
            // SAFETY: a frame's function slot is below its base, inside the stack.
            let Value::LuaFunction(mut cl) = (unsafe { *stack.add(func) }) else {
                unreachable!("a Lua frame runs a Lua function")
            };
            let mut code = cl.proto().code_ptr();
            // The next instruction. Moved with wrapping arithmetic; dereferenced only
            // inside the code (see the loop).
            let mut ip = if resume == 0 {
                code
            } else {
                resume as *const u32
            };
            let mut k = cl.proto().constants_ptr();
            // The frame's first register (`stack + base`), kept so register accesses are
            // one addition.
            // SAFETY: the base is inside the stack.
            let mut regs = unsafe { stack.add(base) };

            macro_rules! r {
                ($x:expr) => {
                    // SAFETY: registers are below the frame top, inside the stack block
                    // `regs` points into (module invariant).
                    unsafe { *regs.add(($x) as usize) }
                };
            }
            macro_rules! setr {
                ($x:expr, $v:expr) => {{
                    let v = $v;
                    // SAFETY: as in `r!`.
                    unsafe { *regs.add(($x) as usize) = v }
                }};
            }
            macro_rules! setr_returned {
                ($x:expr, $v:expr) => {{
                    let v = $v;
                    // SAFETY: as in `r!`. One 16-byte store (`Value::write`): a value
                    // taken out of a call's returned `Result` is otherwise copied in
                    // pieces, which the next read of the register stalls on.
                    unsafe { Value::write(regs.add(($x) as usize), v) }
                }};
            }
            macro_rules! setr_number {
                ($x:expr, $n:expr) => {{
                    let n = $n;
                    // SAFETY: as in `r!`.
                    unsafe { Value::write_number(regs.add(($x) as usize), n) }
                }};
            }
            macro_rules! setr_boolean {
                ($x:expr, $b:expr) => {{
                    let b = $b;
                    // SAFETY: as in `r!`.
                    unsafe { Value::write_boolean(regs.add(($x) as usize), b) }
                }};
            }
            macro_rules! kst {
                ($x:expr) => {
                    // SAFETY: the compiler only emits constant indices of this prototype.
                    unsafe { *k.add(($x) as usize) }
                };
            }
            macro_rules! upval {
                ($x:expr) => {
                    // SAFETY: the compiler only emits upvalue indices of this closure's
                    // prototype.
                    unsafe { cl.upvalue_unchecked(($x) as usize) }
                };
            }
            macro_rules! rk_ptr {
                ($x:expr) => {{
                    let x = $x as usize;
                    // An RK operand is a register below BITRK or a constant index plus
                    // BITRK: pick the array (a select, not a branch), then index it
                    // with the operand's low bits (a biased constants address, kept
                    // live across the loop, was recomputed at every dispatch).
                    let array = if x & BITRK as usize != 0 {
                        k
                    } else {
                        regs as *const Value
                    };
                    array.wrapping_add(x & (BITRK as usize - 1))
                }};
            }
            macro_rules! rk {
                ($x:expr) => {
                    // SAFETY: as in `kst!` and `r!`.
                    unsafe { *rk_ptr!($x) }
                };
            }
            macro_rules! r_ref {
                ($x:expr) => {
                    // SAFETY: as in `r!`; the reference is dropped before anything writes
                    // to the stack or can move it (see `rk_ref!`).
                    unsafe { &*regs.add(($x) as usize) }
                };
            }
            macro_rules! rk_ref {
                ($x:expr) => {
                    // SAFETY: as in `kst!` and `r!`; the reference is dropped before
                    // anything writes to the stack or can move it. Matching through a
                    // reference reads the tag and the payload as two words, which the
                    // loads of a 16-byte copy would not forward from narrower stores.
                    unsafe { &*rk_ptr!($x) }
                };
            }
            macro_rules! slot {
                ($x:expr) => {{
                    let x = $x;
                    if x & BITRK != 0 {
                        None
                    } else {
                        Some(base + x as usize)
                    }
                }};
            }
            macro_rules! save_pc {
                () => {
                    // SAFETY: `frame` points at the innermost frame (module invariant).
                    unsafe { (*frame).resume = ip as usize };
                };
            }
            macro_rules! reload {
                () => {
                    // SAFETY: this frame is the innermost again, and its base is inside
                    // the (possibly moved) stack.
                    unsafe {
                        regs = th.stack_ptr().add(base);
                        frame = th.top_frame_unchecked();
                    }
                };
            }
            macro_rules! protect {
                ($e:expr) => {{
                    save_pc!();
                    let result = $e;
                    reload!();
                    result?
                }};
            }
            macro_rules! charge_loop {
                () => {
                    if self.budget_spent() {
                        // A poll runs no Lua code and grows no block: nothing to reload.
                        save_pc!();
                        self.budget_poll()?;
                    }
                };
            }
            macro_rules! jump_next {
                () => {{
                    // SAFETY: a test instruction is always followed by a JMP.
                    let j = unsafe { *ip };
                    if arg_sbx(j) < 0 {
                        charge_loop!();
                    }
                    ip = ip.wrapping_offset(1 + arg_sbx(j));
                }};
            }
            macro_rules! switch_to {
                ($callee:expr, $func:expr, $frame:expr) => {{
                    // The frame `enter_fixed` just pushed, at `$frame`, for `$callee`
                    // at `$func` is run without leaving this loop: its state is known,
                    // no need to reload it through the outer loop, nor to recompute the
                    // frame's address.
                    let callee: LuaClosureRef = $callee;
                    let p = callee.proto();
                    base = $func + 1;
                    frame = $frame;
                    // SAFETY: the base is inside the (possibly moved) stack.
                    regs = unsafe { th.stack_ptr().add(base) };
                    cl = callee;
                    code = p.code_ptr();
                    ip = code;
                    k = p.constants_ptr();
                    if HOOKED {
                        let hooked = self.hook_call();
                        reload!();
                        hooked?;
                    }
                }};
            }
            macro_rules! index_into {
                ($a:expr, $obj_reg:expr, $key:expr) => {{
                    // `R(a) = R(obj_reg)[RK(key)]`: a raw hit, a miss in a table
                    // without a metatable, or a string key found through `__index`
                    // tables, stays in this loop; any other miss in a table with a
                    // metatable continues through its chain from there. Operands are matched
                    // where they lie, and the value of a string key or of a number in
                    // the array part tested in its slot, so none is copied out to be
                    // tested.
                    let (obj_ref, key_ref) = (r_ref!($obj_reg), rk_ref!($key));
                    let missed = if let &Value::Table(tt) = obj_ref {
                        let looked_up = match key_ref {
                            &Value::String(s) => {
                                // SAFETY: the register is as in `r!`.
                                if unsafe { tt.read_str_into(s, regs.add(($a) as usize)) } {
                                    continue;
                                }
                                true
                            }
                            &Value::Number(n) => {
                                let found = tt.array_value_ptr(n);
                                // SAFETY: a non-null `found` is a value slot of the live
                                // table `tt`, read before anything writes to it; the
                                // register is as in `r!`.
                                unsafe {
                                    if !found.is_null() && !matches!(*found, Value::Nil) {
                                        std::ptr::copy_nonoverlapping(
                                            found,
                                            regs.add(($a) as usize),
                                            1,
                                        );
                                        continue;
                                    }
                                }
                                !found.is_null()
                            }
                            _ => false,
                        };
                        if !looked_up {
                            // A key of the hash part other than a string.
                            let v = tt.get(*key_ref);
                            if !v.is_nil() {
                                setr!($a, v);
                                continue;
                            }
                        }
                        if tt.metatable().is_none() {
                            setr!($a, Value::Nil);
                            continue;
                        }
                        if let &Value::String(s) = key_ref {
                            // SAFETY: the register is as in `r!`.
                            if unsafe {
                                self.index_missed_in_tables(tt, s, regs.add(($a) as usize))
                            } {
                                continue;
                            }
                        }
                        Some(tt)
                    } else {
                        None
                    };
                    let (obj, key) = (*obj_ref, *key_ref);
                    let v = protect!(match missed {
                        Some(tt) => self.index_missed(tt, key),
                        None => self.index(obj, key, Some(base + $obj_reg as usize)),
                    });
                    setr_returned!($a, v);
                }};
            }
            macro_rules! arith {
                ($a:expr, $i:expr, $op:expr, $fast:expr) => {{
                    let (bi, cidx) = (arg_b($i), arg_c($i));
                    if let (&Value::Number(x), &Value::Number(y)) = (rk_ref!(bi), rk_ref!(cidx)) {
                        setr_number!($a, $fast(x, y));
                    } else {
                        let (b, c) = (rk!(bi), rk!(cidx));
                        let v = protect!(self.arith($op, b, c, slot!(bi), slot!(cidx)));
                        setr_returned!($a, v);
                    }
                }};
            }

            loop {
                // SAFETY: `ip` stays inside the code: every path ends in RETURN and
                // jumps target instructions of this prototype (compiler invariant,
                // checked for binary chunks by `compiler::verify`).
                let i = unsafe { *ip };
                ip = ip.wrapping_add(1);
                if HOOKED && th.hook_mask() & (HOOK_LINE | HOOK_COUNT) != 0 {
                    // SAFETY: as in `save_pc!`.
                    let old_pc = unsafe { (*frame).pc(code) };
                    let pc = (ip as usize - code as usize) / 4;
                    save_pc!();
                    let hooked = self.hook_instruction(old_pc, pc);
                    reload!();
                    hooked?;
                }
                let a = (i >> 6) & 0xff;
                match i & 0x3f {
                    MOVE => setr!(a, r!(arg_b(i))),
                    LOADK => setr!(a, kst!(arg_bx(i))),
                    LOADBOOL => {
                        setr_boolean!(a, arg_b(i) != 0);
                        if arg_c(i) != 0 {
                            ip = ip.wrapping_add(1);
                        }
                    }
                    LOADNIL => {
                        for x in a..=arg_b(i) {
                            setr!(x, Value::Nil);
                        }
                    }
                    GETUPVAL => setr!(a, upval!(arg_b(i)).get()),
                    GETGLOBAL => {
                        let env = cl.env();
                        // SAFETY: as in `kst!`.
                        let key_ref = unsafe { &*k.add(arg_bx(i) as usize) };
                        // The name is a string (compiler invariant), tested in place as
                        // in `index_into!`; foreign code's other constants take `get`.
                        if let &Value::String(s) = key_ref {
                            // SAFETY: the register is as in `r!`.
                            if unsafe { env.read_str_into(s, regs.add(a as usize)) } {
                                continue;
                            }
                        } else {
                            let v = env.get(*key_ref);
                            if !v.is_nil() {
                                setr!(a, v);
                                continue;
                            }
                        }
                        if env.metatable().is_none() {
                            setr!(a, Value::Nil);
                        } else {
                            let v = protect!(self.index_missed(env, *key_ref));
                            setr_returned!(a, v);
                        }
                    }
                    GETTABLE => {
                        let b = arg_b(i);
                        index_into!(a, b, arg_c(i));
                    }
                    SETGLOBAL => {
                        let key = kst!(arg_bx(i));
                        let env = cl.env();
                        let val = r!(a);
                        if env.metatable().is_none() {
                            protect!(self.raw_set(env, key, val));
                        } else {
                            protect!(self.set_index(Value::Table(env), key, val, None));
                        }
                    }
                    SETUPVAL => upval!(arg_b(i)).set(&mut self.heap, r!(a)),
                    SETTABLE => {
                        // Operands are matched where they lie, as in `index_into!`.
                        let (key_ref, val_ref) = (rk_ref!(arg_b(i)), rk_ref!(arg_c(i)));
                        if let &Value::Table(tt) = r_ref!(a) {
                            if tt.set_present(&mut self.heap, *key_ref, *val_ref) {
                                continue;
                            }
                        }
                        let (t, key, val) = (r!(a), *key_ref, *val_ref);
                        match t {
                            Value::Table(tt) if tt.metatable().is_none() => {
                                protect!(self.raw_set_absent(tt, key, val))
                            }
                            _ => protect!(self.set_index(t, key, val, Some(base + a as usize))),
                        }
                    }
                    NEWTABLE => {
                        let narray = fb_to_int(arg_b(i)) as usize;
                        let nhash = fb_to_int(arg_c(i)) as usize;
                        let t = protect!(self.new_table(narray, nhash));
                        setr!(a, Value::Table(t));
                        protect!(self.run_pending_finalizers());
                    }
                    SELF => {
                        let b = arg_b(i);
                        setr!(a + 1, r!(b));
                        index_into!(a, b, arg_c(i));
                    }
                    ADD => arith!(a, i, Arith::Add, |x: f64, y: f64| x + y),
                    SUB => arith!(a, i, Arith::Sub, |x: f64, y: f64| x - y),
                    MUL => arith!(a, i, Arith::Mul, |x: f64, y: f64| x * y),
                    DIV => arith!(a, i, Arith::Div, |x: f64, y: f64| x / y),
                    MOD => arith!(a, i, Arith::Mod, |x: f64, y: f64| Arith::Mod.apply(x, y)),
                    POW => arith!(a, i, Arith::Pow, |x: f64, y: f64| x.powf(y)),
                    UNM => {
                        let b = arg_b(i);
                        let v = r!(b);
                        if let Value::Number(x) = v {
                            setr_number!(a, -x);
                        } else {
                            let s = Some(base + b as usize);
                            let v = protect!(self.arith(Arith::Unm, v, v, s, s));
                            setr_returned!(a, v);
                        }
                    }
                    NOT => setr_boolean!(a, !r!(arg_b(i)).truthy()),
                    LEN => {
                        let b = arg_b(i);
                        let v = r!(b);
                        match v {
                            Value::Table(t) => setr_number!(a, t.length() as f64),
                            Value::String(s) => setr_number!(a, s.len() as f64),
                            _ => {
                                let v = protect!(self.length(v, Some(base + b as usize)));
                                setr_returned!(a, v);
                            }
                        }
                    }
                    CONCAT => {
                        let b = arg_b(i) as usize;
                        let c = arg_c(i) as usize;
                        protect!(self.concat(base + b, base + c));
                        setr!(a, r!(b));
                        protect!(self.run_pending_finalizers());
                    }
                    JMP => {
                        if arg_sbx(i) < 0 {
                            charge_loop!();
                        }
                        ip = ip.wrapping_offset(arg_sbx(i));
                    }
                    EQ => {
                        let (bi, cidx) = (arg_b(i), arg_c(i));
                        let eq = match (rk_ref!(bi), rk_ref!(cidx)) {
                            (&Value::Number(x), &Value::Number(y)) => x == y,
                            (&Value::Table(_), &Value::Table(_))
                            | (&Value::Userdata(_), &Value::Userdata(_)) => {
                                protect!(self.equals(rk!(bi), rk!(cidx)))
                            }
                            (&b, &c) => b.raw_eq(c),
                        };
                        if eq == (a != 0) {
                            jump_next!();
                        } else {
                            ip = ip.wrapping_add(1);
                        }
                    }
                    LT => {
                        let (bi, cidx) = (arg_b(i), arg_c(i));
                        let lt = match (rk_ref!(bi), rk_ref!(cidx)) {
                            (&Value::Number(x), &Value::Number(y)) => x < y,
                            _ => protect!(self.less_than(rk!(bi), rk!(cidx))),
                        };
                        if lt == (a != 0) {
                            jump_next!();
                        } else {
                            ip = ip.wrapping_add(1);
                        }
                    }
                    LE => {
                        let (bi, cidx) = (arg_b(i), arg_c(i));
                        let le = match (rk_ref!(bi), rk_ref!(cidx)) {
                            (&Value::Number(x), &Value::Number(y)) => x <= y,
                            _ => protect!(self.less_equal(rk!(bi), rk!(cidx))),
                        };
                        if le == (a != 0) {
                            jump_next!();
                        } else {
                            ip = ip.wrapping_add(1);
                        }
                    }
                    TEST => {
                        if r!(a).truthy() == (arg_c(i) != 0) {
                            jump_next!();
                        } else {
                            ip = ip.wrapping_add(1);
                        }
                    }
                    TESTSET => {
                        let v = r!(arg_b(i));
                        if v.truthy() == (arg_c(i) != 0) {
                            setr!(a, v);
                            jump_next!();
                        } else {
                            ip = ip.wrapping_add(1);
                        }
                    }
                    CALL => {
                        let b = arg_b(i) as usize;
                        let c = arg_c(i);
                        let f = base + a as usize;
                        save_pc!();
                        if let Value::LuaFunction(callee) = r!(a) {
                            let p = callee.proto();
                            if !p.is_vararg() {
                                // A fixed count of arguments lies in this frame's
                                // registers, so `top` is left alone.
                                let nargs = if b != 0 { b - 1 } else { th.top() - f - 1 };
                                let entered = self.enter_fixed(th, p, f, nargs, c as i32 - 1)?;
                                switch_to!(callee, f, entered);
                                continue;
                            }
                        }
                        if b != 0 {
                            th.set_top(f + b);
                        }
                        match self.precall(f, c as i32 - 1)? {
                            Called::Lua => continue 'frame,
                            Called::Native => {
                                reload!();
                                if c != 0 {
                                    // SAFETY: as in `save_pc!`.
                                    th.set_top(unsafe { (*frame).top } as usize);
                                }
                                if !HOOKED && th.hook_mask() != 0 {
                                    continue 'frame;
                                }
                            }
                        }
                    }
                    TAILCALL => {
                        let b = arg_b(i) as usize;
                        let f = base + a as usize;
                        if b != 0 {
                            th.set_top(f + b);
                        }
                        save_pc!();
                        self.close_upvalues_above(th, regs);
                        let callee = th.get(f);
                        if !callee.is_function() {
                            // A `__call` metamethod is tail-called in the value's place.
                            protect!(self.insert_call_metamethod(callee, f));
                        }
                        if let Value::LuaFunction(_) = th.get(f) {
                            if HOOKED && th.hook_mask() & HOOK_CALL != 0 {
                                self.tail_call_hooked(f)?;
                                continue 'frame;
                            }
                            // SAFETY: as in `save_pc!`.
                            let cur = unsafe { *frame };
                            let dst = cur.func as usize;
                            let n = th.top() - f;
                            // The function and its few arguments move down one value at
                            // a time, in ascending order (`dst < f`: each is read before
                            // anything is written over it): `ptr::copy` called memmove.
                            let stack = th.stack_ptr();
                            for j in 0..n {
                                // SAFETY: the function and its arguments lie below the
                                // top, and the caller's slots they move to lie below them.
                                unsafe { *stack.add(dst + j) = *stack.add(f + j) };
                            }
                            th.set_top(dst + n);
                            th.pop_frame();
                            let tailcalls = cur.tailcalls.saturating_add(1);
                            // SAFETY: the function slot is below the top, in the stack.
                            let callee = unsafe { *th.stack_ptr().add(dst) };
                            if let Value::LuaFunction(callee) = callee {
                                let p = callee.proto();
                                if !p.is_vararg() {
                                    let entered =
                                        self.enter_fixed(th, p, dst, n - 1, cur.nresults)?;
                                    // SAFETY: enter_fixed pushed the callee's frame there.
                                    unsafe { (*entered).tailcalls = tailcalls };
                                    switch_to!(callee, dst, entered);
                                    continue;
                                }
                            }
                            self.precall(dst, cur.nresults)?;
                            let mut callee = th.current_frame();
                            callee.tailcalls = tailcalls;
                            th.set_current_frame(callee);
                            continue 'frame;
                        }
                        match self.precall(f, -1)? {
                            Called::Lua => continue 'frame,
                            Called::Native => {
                                reload!();
                                if !HOOKED && th.hook_mask() != 0 {
                                    continue 'frame;
                                }
                            }
                        }
                    }
                    RETURN => {
                        if HOOKED && th.hook_mask() & HOOK_RETURN != 0 {
                            protect!(self.hook_return());
                        }
                        let b = arg_b(i) as usize;
                        let first = base + a as usize;
                        self.close_upvalues_above(th, regs);
                        // SAFETY: as in `save_pc!`.
                        let (wanted, func) = unsafe { ((*frame).nresults, (*frame).func) };
                        if b == 2 && wanted == 1 {
                            // The common `return x` to a call wanting one value: no
                            // count to adjust.
                            let v = r!(a);
                            // SAFETY: the function slot is below the base, in the stack.
                            unsafe { *th.stack_ptr().add(func as usize) = v };
                            th.pop_frame();
                        } else {
                            let n = if b != 0 { b - 1 } else { th.top() - first };
                            self.poscall(first, n);
                        }
                        if th.nframes() == entry {
                            if wanted >= 0 {
                                th.set_top(func as usize + wanted as usize);
                            }
                            return Ok(true);
                        }
                        // The caller is a Lua frame of this loop (frames above `entry`
                        // are), so its state is restored here, as CALL switched to the
                        // callee's, without going back through the outer loop.
                        // The caller's frame, now the innermost, is the one below the
                        // popped frame in the frame block, which popping did not move:
                        // no reload of the block and count, so resuming the caller
                        // waits on fewer loads.
                        frame = frame.wrapping_sub(1);
                        // SAFETY: as in `save_pc!`.
                        let caller = unsafe { *frame };
                        if wanted >= 0 {
                            th.set_top(caller.top as usize);
                        }
                        base = caller.base as usize;
                        // The caller saved its pc (`resume`) at the call (CALL or
                        // TAILCALL of this loop) that this return ends.
                        ip = caller.resume as *const u32;
                        let stack = th.stack_ptr();
                        // SAFETY: as in the outer loop; the base is inside the stack.
                        regs = unsafe { stack.add(base) };
                        // SAFETY: as in the outer loop.
                        let Value::LuaFunction(caller_cl) =
                            (unsafe { *stack.add(caller.func as usize) })
                        else {
                            unreachable!("a Lua frame runs a Lua function")
                        };
                        cl = caller_cl;
                        code = cl.proto().code_ptr();
                        k = cl.proto().constants_ptr();
                    }
                    FORLOOP => {
                        let (Value::Number(idx), Value::Number(limit), Value::Number(step)) =
                            (r!(a), r!(a + 1), r!(a + 2))
                        else {
                            // Compiled code loops on the numbers FORPREP made; foreign code
                            // may not (the verifier checks no types).
                            save_pc!();
                            return Err(self.runtime_error("FORLOOP on non-number control values"));
                        };
                        let idx = idx + step;
                        let go_on = if 0.0 < step {
                            idx <= limit
                        } else {
                            limit <= idx
                        };
                        if go_on {
                            charge_loop!();
                            ip = ip.wrapping_offset(arg_sbx(i));
                            setr_number!(a, idx);
                            setr_number!(a + 3, idx);
                        }
                    }
                    FORPREP => {
                        save_pc!();
                        let Some(init) = self.to_number(r!(a)) else {
                            return Err(self.for_error("initial value"));
                        };
                        let Some(limit) = self.to_number(r!(a + 1)) else {
                            return Err(self.for_error("limit"));
                        };
                        let Some(step) = self.to_number(r!(a + 2)) else {
                            return Err(self.for_error("step"));
                        };
                        setr_number!(a, init - step);
                        setr_number!(a + 1, limit);
                        setr_number!(a + 2, step);
                        ip = ip.wrapping_offset(arg_sbx(i));
                    }
                    TFORLOOP => {
                        let cb = base + a as usize + 3;
                        th.set(cb + 2, r!(a + 2));
                        th.set(cb + 1, r!(a + 1));
                        th.set(cb, r!(a));
                        th.set_top(cb + 3);
                        protect!(self.call(cb, arg_c(i) as i32));
                        // SAFETY: as in `save_pc!`.
                        th.set_top(unsafe { (*frame).top } as usize);
                        let v = r!(a + 3);
                        if !v.is_nil() {
                            setr!(a + 2, v);
                            jump_next!();
                        } else {
                            ip = ip.wrapping_add(1);
                        }
                    }
                    SETLIST => {
                        let mut n = arg_b(i) as usize;
                        let mut c = arg_c(i) as usize;
                        let multret = n == 0;
                        if multret {
                            n = th.top() - (base + a as usize) - 1;
                        }
                        if c == 0 {
                            // SAFETY: a SETLIST with C = 0 is followed by its real C.
                            c = unsafe { *ip } as usize;
                            ip = ip.wrapping_add(1);
                        }
                        let Value::Table(t) = r!(a) else {
                            // Compiled code stores into its constructor's table; foreign
                            // code may not, as in FORLOOP.
                            save_pc!();
                            return Err(self.runtime_error("SETLIST on a non-table value"));
                        };
                        let last = (c - 1) * LFIELDS_PER_FLUSH as usize + n;
                        if last > t.array_size() {
                            save_pc!();
                            if t.resize_array(&mut self.heap, &mut self.roots, last)
                                .is_err()
                            {
                                return Err(self.out_of_memory());
                            }
                        }
                        // SAFETY: the n values are registers a + 1..=a + n, which `r!`
                        // reads (below the stack's top for a multiple result); the resize
                        // moved no block.
                        unsafe {
                            t.set_list(&mut self.heap, last - n, regs.add(a as usize + 1), n)
                        };
                        if multret {
                            // Only once the values are stored: the resize may collect,
                            // and a stack trace clears the slots past the top (those
                            // past the frame's top hold values of a multiple result).
                            // SAFETY: as in `save_pc!`.
                            th.set_top(unsafe { (*frame).top } as usize);
                        }
                    }
                    CLOSE => self.close_upvalues_above(th, regs.wrapping_add(a as usize)),
                    CLOSURE => {
                        let p = cl.proto().child(arg_bx(i) as usize);
                        let nup = p.nupvalues();
                        let mut ups: [Option<UpvalRef>; MAX_UPVALUES] = [None; MAX_UPVALUES];
                        save_pc!();
                        for (j, up) in ups.iter_mut().enumerate().take(nup) {
                            // SAFETY: CLOSURE is followed by one pseudo-instruction per
                            // upvalue of the child (compiler invariant).
                            let pseudo = unsafe { *ip.add(j) };
                            *up = Some(if pseudo & 0x3f == GETUPVAL {
                                cl.upvalue(arg_b(pseudo) as usize)
                            } else {
                                self.find_upvalue(base + arg_b(pseudo) as usize)?
                            });
                        }
                        ip = ip.wrapping_add(nup);
                        let env = cl.env();
                        let made = LuaClosureRef::new(
                            &mut self.heap,
                            &mut self.roots,
                            p,
                            env,
                            &ups[..nup],
                        );
                        let ncl = protect!(made.map_err(|_| self.out_of_memory()));
                        setr!(a, Value::LuaFunction(ncl));
                        protect!(self.run_pending_finalizers());
                    }
                    VARARG => {
                        let b = arg_b(i) as usize;
                        // SAFETY: as in `save_pc!`.
                        let func = unsafe { (*frame).func } as usize;
                        let n = base - func - 1 - cl.proto().num_params();
                        let ra = base + a as usize;
                        if b == 0 {
                            if ra + n > th.stack_cap() {
                                th.set_top(ra);
                                protect!(self.check_stack(n));
                            }
                            for j in 0..n {
                                th.set(ra + j, th.get(base - n + j));
                            }
                            th.set_top(ra + n);
                        } else {
                            for j in 0..b - 1 {
                                let v = if j < n {
                                    th.get(base - n + j)
                                } else {
                                    Value::Nil
                                };
                                th.set(ra + j, v);
                            }
                        }
                    }
                    // SAFETY: every word executed is an instruction with a valid opcode
                    // (compiler invariant; `compiler::verify` checks binary chunks), so
                    // the dispatch needs no range check.
                    _ => unsafe { std::hint::unreachable_unchecked() },
                }
            }
        }
    }
}
