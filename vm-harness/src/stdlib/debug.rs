//! The debug library (5.1's `ldblib.c`): stack and function inspection (`getinfo`,
//! `getlocal`, `setlocal`, `getupvalue`, `setupvalue`), raw metatables and
//! environments, the registry, hooks, `debug.debug`'s command loop, and `traceback`.
//!
//! Functions that inspect a stack take an optional thread first, as in 5.1; levels
//! count from the function running on that thread (on the calling thread, level 0 is
//! the debug function itself).

use std::io::Write;

use gc_core::Collector;

use crate::compiler::{chunk_id, CompileOptions};
use crate::model::LuaModel;
use crate::object::thread::{ThreadRef, HOOK_CALL, HOOK_COUNT, HOOK_LINE, HOOK_RETURN};
use crate::value::Value;
use crate::vm::{Args, LuaResult, NativeFn, StackLevel, Vm};

/// Registers the `debug` table.
pub fn open<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> LuaResult<()> {
    let funcs: &[(&str, NativeFn<C>)] = &[
        ("debug", debug),
        ("getfenv", getfenv),
        ("gethook", gethook),
        ("getinfo", getinfo),
        ("getlocal", getlocal),
        ("getregistry", getregistry),
        ("getmetatable", getmetatable),
        ("getupvalue", |vm, a| upvalue(vm, a, false)),
        ("setfenv", setfenv),
        ("sethook", sethook),
        ("setlocal", setlocal),
        ("setmetatable", setmetatable),
        ("setupvalue", |vm, a| upvalue(vm, a, true)),
        ("traceback", traceback),
    ];
    vm.register_lib("debug", funcs)?;
    Ok(())
}

/// 5.1's `getthread`: the thread given as argument 1, and how many arguments it takes
/// (0 when absent: the running thread).
fn thread_arg<C: Collector<LuaModel>>(vm: &Vm<C>, args: Args) -> (ThreadRef, usize) {
    match vm.arg(args, 0) {
        Value::Thread(t) => (t, 1),
        _ => (vm.thread(), 0),
    }
}

/// The stack level of `th` that a (possibly negative) level number designates; a
/// negative one is a lost tail call, as in 5.1's `lua_getstack`.
fn level_of<C: Collector<LuaModel>>(vm: &Vm<C>, th: ThreadRef, level: i64) -> StackLevel {
    match usize::try_from(level) {
        Ok(l) => vm.stack_level_of(th, l),
        Err(_) => StackLevel::TailCall,
    }
}

/// What `getinfo` describes: a function (from a level or given), a lost tail call, or
/// the host's own function.
enum Subject {
    Function(Value, Option<usize>),
    TailCall,
    Host,
}

fn getinfo<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let (th, a) = thread_arg(vm, args);
    let options = match vm.opt_str(args, a + 2)? {
        Some(s) => s.as_bytes().to_vec(),
        None => b"flnSu".to_vec(),
    };
    let target = vm.arg(args, a);
    let subject = if vm.to_number(target).is_some() {
        let level = vm.check_int(args, a + 1)?;
        match level_of(vm, th, level) {
            StackLevel::Frame(i) => Subject::Function(vm.frame_function(th, i), Some(i)),
            StackLevel::TailCall => Subject::TailCall,
            StackLevel::Host => Subject::Host,
            StackLevel::Invalid => return vm.ret1(Value::Nil),
        }
    } else if target.is_function() {
        Subject::Function(target, None)
    } else {
        return Err(vm.arg_error(a + 1, "function or level expected"));
    };
    if !matches!(subject, Subject::TailCall) && options.iter().any(|c| !b"SlunLf".contains(c)) {
        return Err(vm.arg_error(a + 2, "invalid option"));
    }
    let t = vm.new_table(0, 2)?;
    vm.push(Value::Table(t))?;
    let has = |c: u8| options.contains(&c);
    let (func, frame) = match subject {
        Subject::Function(f, frame) => (f, frame),
        Subject::TailCall => {
            if has(b'S') {
                set_source_fields(vm, t, b"=(tail call)", -1, -1, "tail")?;
            }
            if has(b'l') {
                vm.set_field(t, "currentline", Value::Number(-1.0))?;
            }
            if has(b'u') {
                vm.set_field(t, "nups", Value::Number(0.0))?;
            }
            if has(b'n') {
                let empty = vm.str_value(b"")?;
                vm.set_field(t, "name", empty)?;
                vm.set_field(t, "namewhat", empty)?;
            }
            return Ok(1);
        }
        Subject::Host => (Value::Nil, None),
    };
    if has(b'S') {
        match func {
            Value::LuaFunction(cl) => {
                let p = cl.proto();
                let what = if p.line_defined() == 0 { "main" } else { "Lua" };
                let source = p.source();
                vm.push(Value::String(source))?;
                set_source_fields(
                    vm,
                    t,
                    source.as_bytes(),
                    i64::from(p.line_defined()),
                    i64::from(p.last_line_defined()),
                    what,
                )?;
                vm.pop();
            }
            _ => set_source_fields(vm, t, b"=[C]", -1, -1, "C")?,
        }
    }
    if has(b'l') {
        let line = frame
            .and_then(|i| vm.current_line(th, i))
            .map_or(-1.0, f64::from);
        vm.set_field(t, "currentline", Value::Number(line))?;
    }
    if has(b'u') {
        let nups = match func {
            Value::LuaFunction(cl) => cl.proto().nupvalues(),
            Value::NativeFunction(cl) => cl.nupvalues(),
            _ => 0,
        };
        vm.set_field(t, "nups", Value::Number(nups as f64))?;
    }
    if has(b'n') {
        let (namewhat, name) = match frame.and_then(|i| vm.function_name(th, i)) {
            Some((what, name)) => (what, Some(name)),
            None => ("", None),
        };
        if let Some(name) = name {
            let name = vm.str_value(name.as_bytes())?;
            vm.set_field(t, "name", name)?;
        }
        let namewhat = vm.str_value(namewhat.as_bytes())?;
        vm.set_field(t, "namewhat", namewhat)?;
    }
    if has(b'L') {
        if let Value::LuaFunction(cl) = func {
            let lines = vm.new_table(0, 0)?;
            vm.set_field(t, "activelines", Value::Table(lines))?;
            let p = cl.proto();
            for pc in 0..p.code_len() {
                let line = Value::Number(f64::from(p.line(pc)));
                vm.raw_set(lines, line, Value::Boolean(true))?;
            }
        }
    }
    if has(b'f') {
        vm.set_field(t, "func", func)?;
    }
    Ok(1)
}

/// The `S` fields of a `getinfo` table.
fn set_source_fields<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    t: crate::object::table::TableRef,
    source: &[u8],
    line_defined: i64,
    last_line_defined: i64,
    what: &str,
) -> LuaResult<()> {
    let short = chunk_id(source);
    let source = vm.str_value(source)?;
    vm.set_field(t, "source", source)?;
    let short = vm.str_value(short.as_bytes())?;
    vm.set_field(t, "short_src", short)?;
    vm.set_field(t, "linedefined", Value::Number(line_defined as f64))?;
    vm.set_field(
        t,
        "lastlinedefined",
        Value::Number(last_line_defined as f64),
    )?;
    let what = vm.str_value(what.as_bytes())?;
    vm.set_field(t, "what", what)
}

/// The frame of `th` at the level in argument `a + 1`, or 5.1's "level out of range";
/// `None` for a level without locals here (a lost tail call, the host function).
fn local_frame<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    args: Args,
    th: ThreadRef,
    a: usize,
) -> LuaResult<Option<usize>> {
    let level = vm.check_int(args, a + 1)?;
    match level_of(vm, th, level) {
        StackLevel::Frame(i) => Ok(Some(i)),
        StackLevel::TailCall | StackLevel::Host => Ok(None),
        StackLevel::Invalid => Err(vm.arg_error(a + 1, "level out of range")),
    }
}

fn getlocal<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let (th, a) = thread_arg(vm, args);
    let frame = local_frame(vm, args, th, a)?;
    let n = vm.check_int(args, a + 2)?;
    match frame.and_then(|i| vm.find_local(th, i, n)) {
        Some((slot, name)) => {
            let value = th.get(slot);
            let name = vm.str_value(name.as_bytes())?;
            vm.push(name)?;
            vm.push(value)?;
            Ok(2)
        }
        None => vm.ret1(Value::Nil),
    }
}

fn setlocal<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let (th, a) = thread_arg(vm, args);
    let frame = local_frame(vm, args, th, a)?;
    let value = vm.check_any(args, a + 3)?;
    let n = vm.check_int(args, a + 2)?;
    match frame.and_then(|i| vm.find_local(th, i, n)) {
        Some((slot, name)) => {
            // `th` may be another thread, whose stack takes the barrier.
            vm.heap.barrier(th.0);
            th.set(slot, value);
            let name = vm.str_value(name.as_bytes())?;
            vm.ret1(name)
        }
        None => vm.ret1(Value::Nil),
    }
}

/// `getupvalue(f, n)` and `setupvalue(f, n, v)`: the name of upvalue `n` of Lua
/// function `f` (and its value, or it is set); nothing for natives and bad indices.
fn upvalue<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args, set: bool) -> LuaResult<usize> {
    if set {
        vm.check_any(args, 3)?;
    }
    let n = vm.check_int(args, 2)?;
    let f = vm.arg(args, 0);
    let cl = match f {
        Value::LuaFunction(cl) => cl,
        Value::NativeFunction(_) => return Ok(0),
        _ => return Err(vm.arg_type_error(args, 1, "function")),
    };
    let names = cl.proto().debug_view().upvalue_names;
    let Some(name) = usize::try_from(n - 1).ok().and_then(|i| names.get(i)) else {
        return Ok(0);
    };
    let uv = cl.upvalue(n as usize - 1);
    let name = vm.str_value(name.as_bytes())?;
    vm.push(name)?;
    if set {
        let v = vm.arg(args, 2);
        uv.set(&mut vm.heap, v);
        return Ok(1);
    }
    vm.push(uv.get())?;
    Ok(2)
}

fn getregistry<C: Collector<LuaModel>>(vm: &mut Vm<C>, _args: Args) -> LuaResult<usize> {
    let registry = vm.roots.registry;
    vm.ret1(Value::Table(registry))
}

fn getmetatable<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let v = vm.check_any(args, 1)?;
    let mt = vm.metatable_of(v).map_or(Value::Nil, Value::Table);
    vm.ret1(mt)
}

/// `debug.setmetatable(v, mt)`: sets the metatable of a table, or the one all values
/// of `v`'s type share, ignoring `__metatable`. Userdata metatables are set only by
/// their makers here (see COMPATIBILITY.md).
fn setmetatable<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let mt = match vm.arg(args, 1) {
        Value::Nil => None,
        Value::Table(m) => Some(m),
        _ => return Err(vm.arg_error(2, "nil or table expected")),
    };
    match vm.arg(args, 0) {
        Value::Table(t) => {
            t.set_metatable(&mut vm.heap, mt);
            if mt.is_some() {
                vm.roots.stress_pins.note_table(t);
            }
        }
        other => match other.shared_metatable_index() {
            Some(i) => vm.roots.type_metatables[i] = mt,
            None => {
                let msg = format!("cannot set the metatable of a {} value", other.type_name());
                return Err(vm.native_error(&msg));
            }
        },
    }
    vm.ret1(Value::Boolean(true))
}

fn getfenv<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let env = match vm.check_any(args, 1)? {
        Value::LuaFunction(f) => Value::Table(f.env()),
        Value::NativeFunction(_) | Value::Thread(_) | Value::Userdata(_) => {
            Value::Table(vm.roots.globals)
        }
        _ => Value::Nil,
    };
    vm.ret1(env)
}

fn setfenv<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 2)?;
    match vm.arg(args, 0) {
        Value::LuaFunction(f) => f.set_env(&mut vm.heap, t),
        Value::Thread(_) => vm.roots.globals = t,
        _ => return Err(vm.native_error("'setfenv' cannot change environment of given object")),
    }
    let target = vm.arg(args, 0);
    vm.ret1(target)
}

/// The letters of `sethook`'s mask and the events they select (count events are
/// selected by the count instead).
const HOOK_LETTERS: [(u8, u8); 3] = [(b'c', HOOK_CALL), (b'r', HOOK_RETURN), (b'l', HOOK_LINE)];

fn sethook<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let (th, a) = thread_arg(vm, args);
    let hook = vm.arg(args, a);
    if hook.is_nil() {
        th.set_hook(&mut vm.heap, Value::Nil, 0, 0);
        return Ok(0);
    }
    let spec = vm.check_str(args, a + 2)?;
    if !hook.is_function() {
        return Err(vm.arg_type_error(args, a + 1, "function"));
    }
    let count = vm.opt_int(args, a + 3, 0)?;
    let spec = spec.as_bytes();
    let mut mask = 0;
    for (letter, bit) in HOOK_LETTERS {
        if spec.contains(&letter) {
            mask |= bit;
        }
    }
    if count > 0 {
        mask |= HOOK_COUNT;
    }
    th.set_hook(&mut vm.heap, hook, mask, count.max(0) as u32);
    Ok(0)
}

fn gethook<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let (th, _) = thread_arg(vm, args);
    let mask = th.hook_mask();
    let mut spec = Vec::new();
    for (letter, bit) in HOOK_LETTERS {
        if mask & bit != 0 {
            spec.push(letter);
        }
    }
    vm.push(th.hook())?;
    let spec = vm.str_value(&spec)?;
    vm.push(spec)?;
    vm.push(Value::Number(f64::from(th.base_hook_count())))?;
    Ok(3)
}

/// `debug.debug()`: prompts on stderr and runs each line read from stdin as a chunk,
/// printing errors to stderr, until end of input or a line `cont`.
fn debug<C: Collector<LuaModel>>(vm: &mut Vm<C>, _args: Args) -> LuaResult<usize> {
    loop {
        vm.flush();
        eprint!("lua_debug> ");
        let mut line = Vec::new();
        let limit = vm.buffer_limit();
        if !matches!(vm.stdin.read_line(&mut line, limit), Ok(true)) || line == b"cont" {
            return Ok(0);
        }
        let options = CompileOptions {
            skip_shebang: false,
            c_call_depth: vm.ccalls + 1,
        };
        let failed = match vm.load(&line, "=(debug command)", options)? {
            Err(msg) => Some(String::from_utf8_lossy(&msg).into_owned()),
            Ok(f) => {
                let func = vm.top();
                vm.push(f)?;
                if vm.pcall(func, 0, None)? {
                    None
                } else {
                    Some(vm.error_string())
                }
            }
        };
        if let Some(msg) = failed {
            let _ = writeln!(std::io::stderr(), "{msg}");
        }
    }
}

/// `debug.traceback([thread,] [message [, level]])`: the message (if any), a newline
/// and the traceback from `level` (1 on the calling thread, skipping `traceback`
/// itself; 0 on another); a message that is not a string is returned untouched.
fn traceback<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let (th, a) = thread_arg(vm, args);
    let mut given = args.n;
    let level = match vm.arg(args, a + 1) {
        Value::Number(_) | Value::String(_) if vm.to_number(vm.arg(args, a + 1)).is_some() => {
            given -= 1;
            vm.check_integer(args, a + 2)?
        }
        _ => i64::from(th == vm.thread()),
    };
    let mut text = Vec::new();
    if given > a {
        match vm.arg(args, a) {
            Value::String(_) | Value::Number(_) => {
                text.extend_from_slice(vm.check_str(args, a + 1)?.as_bytes());
                text.push(b'\n');
            }
            other => return vm.ret1(other),
        }
    }
    // 5.1 starts a negative level among lost tail calls; here it starts at 0.
    text.extend_from_slice(&vm.traceback_of(th, usize::try_from(level).unwrap_or(0)));
    let s = vm.str_value(&text)?;
    vm.ret1(s)
}
