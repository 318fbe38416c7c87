//! The string library (5.1's `lstrlib.c`) and the string metatable, whose `__index` is
//! the `string` table so that `("x"):upper()` works.

use gc_core::Collector;

use crate::model::LuaModel;
use crate::object::string::LuaStr;
use crate::text::format::{format as format_text, FormatArg, FormatError};
use crate::text::pattern::{self, Capture, Match, Matcher, PatternError};
use crate::value::Value;
use crate::vm::{Args, LuaResult, NativeFn, Vm};

/// Registers the `string` table and installs the string metatable.
pub fn open<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> LuaResult<()> {
    let funcs: &[(&str, NativeFn<C>)] = &[
        ("len", len),
        ("sub", sub),
        ("upper", |vm, a| {
            map_bytes(vm, a, |b| b.to_ascii_uppercase())
        }),
        ("lower", |vm, a| {
            map_bytes(vm, a, |b| b.to_ascii_lowercase())
        }),
        ("rep", rep),
        ("reverse", reverse),
        ("byte", byte),
        ("char", char),
        ("format", format),
        ("find", |vm, a| find_aux(vm, a, true)),
        ("match", |vm, a| find_aux(vm, a, false)),
        ("gmatch", gmatch),
        ("gsub", gsub),
        ("dump", dump),
    ];
    let string = vm.register_lib("string", funcs)?;
    let gmatch_fn = vm.get_field(string, "gmatch")?;
    vm.set_field(string, "gfind", gmatch_fn)?;
    vm.roots.temps.push(Value::Table(string));
    let mt = vm.new_table(0, 1);
    vm.roots.temps.pop();
    let mt = mt?;
    vm.roots.type_metatables[crate::value::STRING_METATABLE] = Some(mt);
    vm.set_field(mt, "__index", Value::Table(string))
}

/// 5.1's `posrelat`: negative positions count from the end.
fn pos_relative(pos: i64, len: usize) -> i64 {
    let pos = if pos < 0 { pos + len as i64 + 1 } else { pos };
    pos.max(0)
}

fn len<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    vm.ret1(Value::Number(s.len() as f64))
}

fn sub<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let l = s.len();
    let start = pos_relative(vm.check_integer(args, 2)?, l).max(1);
    let end = pos_relative(vm.opt_integer(args, 3, -1)?, l).min(l as i64);
    let v = if start <= end {
        vm.str_value(&s.as_bytes()[start as usize - 1..end as usize])?
    } else {
        vm.str_value(b"")?
    };
    vm.ret1(v)
}

fn map_bytes<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    args: Args,
    f: fn(u8) -> u8,
) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let out: Vec<u8> = s.as_bytes().iter().map(|&b| f(b)).collect();
    let v = vm.str_value(&out)?;
    vm.ret1(v)
}

fn rep<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let n = vm.check_int(args, 2)?;
    if n <= 0 || s.is_empty() {
        let v = vm.str_value(b"")?;
        return vm.ret1(v);
    }
    let total = usize::try_from(n)
        .ok()
        .and_then(|n| s.len().checked_mul(n))
        .ok_or_else(|| vm.out_of_memory())?;
    let mut out = Vec::new();
    vm.reserve_buffer(&mut out, total)?;
    for _ in 0..n {
        out.extend_from_slice(s.as_bytes());
    }
    let v = vm.str_value(&out)?;
    vm.ret1(v)
}

fn reverse<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let out: Vec<u8> = s.as_bytes().iter().rev().copied().collect();
    let v = vm.str_value(&out)?;
    vm.ret1(v)
}

fn byte<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let l = s.len();
    let posi = pos_relative(vm.opt_integer(args, 2, 1)?, l);
    let pose = pos_relative(vm.opt_integer(args, 3, posi)?, l).min(l as i64);
    let posi = posi.max(1);
    if posi > pose {
        return Ok(0);
    }
    let n = (pose - posi + 1) as usize;
    if n >= crate::vm::MAX_NATIVE_STACK {
        return Err(vm.native_error("stack overflow (string slice too long)"));
    }
    vm.check_stack(n)?;
    for i in 0..n {
        let b = s.as_bytes()[posi as usize - 1 + i];
        vm.push(Value::Number(f64::from(b)))?;
    }
    Ok(n)
}

fn char<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let mut out = Vec::with_capacity(args.n);
    for i in 1..=args.n {
        let c = vm.check_int(args, i)?;
        if !(0..=255).contains(&c) {
            return Err(vm.arg_error(i, "invalid value"));
        }
        out.push(c as u8);
    }
    let v = vm.str_value(&out)?;
    vm.ret1(v)
}

/// Raises a pattern error as 5.1 does (a plain `luaL_error`).
fn pattern_error<C: Collector<LuaModel>>(vm: &mut Vm<C>, e: PatternError) -> crate::vm::Throw {
    if e.is_out_of_steps() {
        return vm.budget_exhausted();
    }
    vm.native_error(&e.0)
}

/// Pushes one capture: the captured bytes of `subject`, or a position.
fn push_capture<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    subject: LuaStr,
    c: &Capture,
) -> LuaResult<()> {
    let v = match c {
        Capture::Bytes(range) => vm.str_value(&subject.as_bytes()[range.clone()])?,
        Capture::Position(p) => Value::Number(*p as f64),
    };
    vm.push(v)
}

/// Pushes captures `0..n` of `m` (5.1's `push_captures`) and returns `n`.
fn push_captures<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    subject: LuaStr,
    m: Match,
    n: usize,
) -> LuaResult<usize> {
    vm.check_stack(n)?;
    for i in 0..n {
        let c = m.capture(i).map_err(|e| pattern_error(vm, e))?;
        push_capture(vm, subject, &c)?;
    }
    Ok(n)
}

/// Readies `matcher` for a native call: it gets the VM's spare backtracking stack
/// (which the call gives back when it is done) and the steps the instruction budget allows,
/// which are returned for `charge_pattern_steps`.
fn ready_matcher<C: Collector<LuaModel>>(vm: &mut Vm<C>, matcher: &mut Matcher) -> u64 {
    matcher.reuse(std::mem::take(&mut vm.backtrack));
    let allowed = vm.pattern_steps();
    matcher.limit_steps(allowed);
    allowed
}

/// 5.1's `str_find_aux`: `string.find` (positions, then captures) and `string.match`.
fn find_aux<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args, find: bool) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let p = vm.check_str(args, 2)?;
    let len = s.len();
    let init = (pos_relative(vm.opt_integer(args, 3, 1)?, len) - 1).clamp(0, len as i64) as usize;
    if find && (vm.arg(args, 3).truthy() || !pattern::has_specials(p.as_bytes())) {
        return match pattern::find_plain(s.as_bytes(), p.as_bytes(), init) {
            Some(at) => {
                vm.push(Value::Number((at + 1) as f64))?;
                vm.push(Value::Number((at + p.len()) as f64))?;
                Ok(2)
            }
            None => vm.ret1(Value::Nil),
        };
    }
    let mut matcher = Matcher::anchorable(s.as_bytes(), p.as_bytes());
    let allowed = ready_matcher(vm, &mut matcher);
    let found = matcher.find(init);
    vm.charge_pattern_steps(allowed, matcher.steps_left())?;
    let n = match found {
        Err(e) => return Err(pattern_error(vm, e)),
        Ok(false) => vm.ret1(Value::Nil)?,
        Ok(true) => {
            let m = matcher.matched();
            if find {
                vm.push(Value::Number((m.whole().start + 1) as f64))?;
                vm.push(Value::Number(m.whole().end as f64))?;
                2 + push_captures(vm, s, m, m.ncaptures())?
            } else {
                push_captures(vm, s, m, m.nvalues())?
            }
        }
    };
    vm.backtrack = matcher.into_backtrack();
    Ok(n)
}

fn gmatch<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let p = vm.check_str(args, 2)?;
    let f = vm.new_native(
        gmatch_step,
        &[Value::String(s), Value::String(p), Value::Number(0.0)],
    )?;
    vm.ret1(f)
}

/// The iterator `string.gmatch` returns; its upvalues are the subject, the pattern and
/// the byte index where the next search starts.
fn gmatch_step<C: Collector<LuaModel>>(vm: &mut Vm<C>, _args: Args) -> LuaResult<usize> {
    let this = vm.current_native();
    let (Value::String(s), Value::String(p), Value::Number(start)) =
        (this.upvalue(0), this.upvalue(1), this.upvalue(2))
    else {
        unreachable!("gmatch iterator upvalues")
    };
    let mut src = start as usize;
    let mut matcher = Matcher::new(s.as_bytes(), p.as_bytes());
    let allowed = ready_matcher(vm, &mut matcher);
    while src <= s.len() {
        let found = matcher.match_at(src);
        if !matches!(found, Ok(false)) {
            vm.charge_pattern_steps(allowed, matcher.steps_left())?;
        }
        match found {
            Err(e) => return Err(pattern_error(vm, e)),
            Ok(true) => {
                let m = matcher.matched();
                let end = m.whole().end;
                let next = if end == src { end + 1 } else { end };
                this.set_upvalue(&mut vm.heap, 2, Value::Number(next as f64));
                let n = push_captures(vm, s, m, m.nvalues())?;
                vm.backtrack = matcher.into_backtrack();
                return Ok(n);
            }
            Ok(false) => src += 1,
        }
    }
    vm.charge_pattern_steps(allowed, matcher.steps_left())?;
    this.set_upvalue(&mut vm.heap, 2, Value::Number(src as f64));
    vm.backtrack = matcher.into_backtrack();
    Ok(0)
}

/// 5.1's `add_value`: appends the replacement for match `m` to `out`.
/// Appends the expansion of a replacement string within the buffer limit.
fn expand<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    replacement: &[u8],
    s: LuaStr,
    m: &Match,
    out: &mut Vec<u8>,
) -> LuaResult<()> {
    let max_len = vm.buffer_limit();
    match pattern::expand_replacement(replacement, s.as_bytes(), m, out, max_len) {
        Ok(true) => Ok(()),
        Ok(false) => Err(vm.out_of_memory()),
        Err(e) => Err(pattern_error(vm, e)),
    }
}

fn add_value<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    s: LuaStr,
    repl: Value,
    m: &Match,
    out: &mut Vec<u8>,
) -> LuaResult<()> {
    let v = match repl {
        Value::String(r) => return expand(vm, r.as_bytes(), s, m, out),
        Value::Number(n) => {
            let mut text = Vec::new();
            crate::convert::format_number(n, &mut text);
            return expand(vm, &text, s, m, out);
        }
        Value::Table(_) => {
            let c = m.capture(0).map_err(|e| pattern_error(vm, e))?;
            let base = vm.top();
            push_capture(vm, s, &c)?;
            let key = vm.thread().get(base);
            let v = vm.index(repl, key, None)?;
            vm.set_top(base)?;
            v
        }
        _ => {
            let func = vm.top();
            vm.push(repl)?;
            push_captures(vm, s, *m, m.nvalues())?;
            vm.call(func, 1)?;
            vm.pop()
        }
    };
    match v {
        Value::Nil | Value::Boolean(false) => vm.append_buffer(out, &s.as_bytes()[m.whole()])?,
        Value::String(r) => vm.append_buffer(out, r.as_bytes())?,
        Value::Number(n) => vm.append_number(out, n)?,
        other => {
            let msg = format!("invalid replacement value (a {})", other.type_name());
            return Err(vm.native_error(&msg));
        }
    }
    Ok(())
}

fn gsub<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let p = vm.check_str(args, 2)?;
    let repl = vm.arg(args, 2);
    let max = vm.opt_int(args, 4, s.len() as i64 + 1)?;
    if !matches!(
        repl,
        Value::Number(_)
            | Value::String(_)
            | Value::Table(_)
            | Value::LuaFunction(_)
            | Value::NativeFunction(_)
    ) {
        return Err(vm.arg_error(3, "string/function/table expected"));
    }
    let subject = s.as_bytes();
    let mut out = Vec::with_capacity(subject.len());
    let mut src = 0;
    let mut n = 0;
    let mut matcher = Matcher::anchorable(subject, p.as_bytes());
    let allowed = ready_matcher(vm, &mut matcher);
    while n < max {
        let matched = match matcher.match_at(src) {
            Ok(matched) => matched,
            Err(e) => {
                vm.charge_pattern_steps(allowed, matcher.steps_left())?;
                return Err(pattern_error(vm, e));
            }
        };
        let mut end = None;
        if matched {
            let m = matcher.matched();
            n += 1;
            add_value(vm, s, repl, &m, &mut out)?;
            end = Some(m.whole().end);
        }
        match end {
            Some(e) if e > src => src = e,
            _ if src < subject.len() => {
                vm.append_buffer(&mut out, &subject[src..=src])?;
                src += 1;
            }
            _ => break,
        }
        if matcher.is_anchored() {
            break;
        }
    }
    vm.charge_pattern_steps(allowed, matcher.steps_left())?;
    vm.backtrack = matcher.into_backtrack();
    vm.append_buffer(&mut out, &subject[src.min(subject.len())..])?;
    let result = vm.str_value(&out)?;
    vm.push(result)?;
    vm.push(Value::Number(n as f64))?;
    Ok(2)
}

fn format<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let fmt = vm.check_str(args, 1)?;
    let values: Vec<Value> = (1..args.n).map(|i| vm.arg(args, i)).collect();
    let fargs: Vec<FormatArg> = values
        .iter()
        .map(|v| match v {
            Value::Number(n) => FormatArg::Number(*n),
            Value::String(s) => FormatArg::String(s.as_bytes()),
            other => FormatArg::Other(other.type_name()),
        })
        .collect();
    let max_len = vm.buffer_limit();
    match format_text(fmt.as_bytes(), &fargs, max_len) {
        Ok(out) => {
            let v = vm.str_value(&out)?;
            vm.ret1(v)
        }
        Err(FormatError::BadArgument { arg, message }) => Err(vm.arg_error(arg, &message)),
        Err(FormatError::Malformed(msg)) => Err(vm.error_at_level(&msg, 1)),
        Err(FormatError::OutOfMemory) => Err(vm.out_of_memory()),
    }
}

fn dump<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    match vm.arg(args, 0) {
        Value::LuaFunction(f) => {
            let chunk = vm.dump_function(f);
            let s = vm.str_value(&chunk)?;
            vm.ret1(s)
        }
        Value::NativeFunction(_) => Err(vm.native_error("unable to dump given function")),
        _ => Err(vm.arg_type_error(args, 1, "function")),
    }
}
