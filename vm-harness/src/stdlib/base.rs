//! The base library (5.1's `lbaselib.c`): printing, types and conversions, iteration,
//! raw access, metatables, errors and protected calls, the collector interface, and
//! loading code.
//!
//! `collectgarbage`, over the collector's trait methods:
//! - "collect" runs a full collection, "step" (with an optional size in KB, 0 by default)
//!   the collector work that much allocation would pay for (`Collector::step`: at least
//!   one increment, a whole cycle for collectors that are not incremental) and returns
//!   whether it finished a cycle, as 5.1 does; both then run the finalizers that became
//!   due;
//! - "count" reads the collector's heap size in KB;
//! - "stop"/"restart" turn automatic collections off and on;
//! - "setpause" and "setstepmul" give the collector its pause and step multiplier and
//!   return the previous value;
//! - an extension: "incremental" and "generational", Lua 5.4's names (5.1 has neither),
//!   force that mode (`Collector::set_mode`) and return the name of the mode in force
//!   before, or nil for collectors without modes. 5.4's tuning arguments to them are
//!   ignored.
//!
//! Any other option is 5.1's error, "bad argument #1 to 'collectgarbage' (invalid option
//! 'NAME')", raised before the second argument is read, as `luaL_checkoption` does.
//!
//! `newproxy(true)` and `newproxy(proxy)` make userdata with a metatable, registered for
//! finalization at creation: their `__gc` is looked up when the finalizer runs, so one
//! added to the metatable later counts, as in 5.1.

use std::io::Write;

use gc_core::{Collector, GcMode};

use crate::compiler::CompileOptions;
use crate::model::LuaModel;
use crate::object::userdata::UserdataRef;
use crate::roots::Name;
use crate::value::Value;
use crate::vm::{Args, LuaResult, StackLevel, Vm};

/// Registers the base functions as globals, plus `_G` and `_VERSION`.
pub fn open<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> LuaResult<()> {
    let globals = vm.roots.globals;
    let funcs: &[(&str, crate::vm::NativeFn<C>)] = &[
        ("print", print),
        ("type", type_),
        ("tostring", tostring),
        ("tonumber", tonumber),
        ("next", next),
        ("ipairs", ipairs),
        ("select", select),
        ("unpack", unpack),
        ("rawget", rawget),
        ("rawset", rawset),
        ("rawequal", rawequal),
        ("setmetatable", setmetatable),
        ("getmetatable", getmetatable),
        ("assert", assert),
        ("error", error),
        ("pcall", pcall),
        ("xpcall", xpcall),
        ("collectgarbage", collectgarbage),
        ("load", load),
        ("loadstring", loadstring),
        ("dofile", dofile),
        ("loadfile", loadfile),
        ("getfenv", getfenv),
        ("setfenv", setfenv),
        ("gcinfo", gcinfo),
    ];
    for &(name, f) in funcs {
        let closure = vm.new_native(f, &[])?;
        vm.set_field(globals, name, closure)?;
    }
    let pairs_next = vm.new_native(next, &[])?;
    vm.roots.temps.push(pairs_next);
    let pairs_fn = vm.new_native(pairs, &[pairs_next]);
    vm.roots.temps.pop();
    let pairs_fn = pairs_fn?;
    vm.set_field(globals, "pairs", pairs_fn)?;
    let ipairs_iter = vm.new_native(ipairs_aux, &[])?;
    vm.roots.temps.push(ipairs_iter);
    let ipairs_fn = vm.new_native(ipairs, &[ipairs_iter]);
    vm.roots.temps.pop();
    vm.set_field(globals, "ipairs", ipairs_fn?)?;
    // The metatables newproxy(true) made, which a proxy may share: weak, as in 5.1, so
    // each lives only as long as something else holds it.
    let proxies = vm.new_table(0, 0)?;
    vm.roots.temps.push(Value::Table(proxies));
    let mode = vm.str_value(b"kv")?;
    vm.set_field(proxies, "__mode", mode)?;
    proxies.set_metatable(&mut vm.heap, Some(proxies));
    let newproxy_fn = vm.new_native(newproxy, &[Value::Table(proxies)]);
    vm.roots.temps.pop();
    vm.set_field(globals, "newproxy", newproxy_fn?)?;
    vm.set_field(globals, "_G", Value::Table(globals))?;
    let version = vm.str_value(b"Lua 5.1")?;
    vm.set_field(globals, "_VERSION", version)?;
    vm.mark_loaded("_G", Value::Table(globals))
}

fn print<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let globals = vm.roots.globals;
    let tostring_fn = vm.get_field(globals, "tostring")?;
    let mut piece = Vec::new();
    for i in 0..args.n {
        piece.clear();
        if i > 0 {
            piece.push(b'\t');
        }
        let v = vm.arg(args, i);
        let text = match v {
            Value::String(_) | Value::Number(_) => v,
            _ => vm.call_value(tostring_fn, &[v])?,
        };
        match text {
            Value::String(s) => {
                // 5.1 writes each string with `fputs`, which stops at a zero byte.
                let bytes = s.as_bytes();
                let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
                piece.extend_from_slice(&bytes[..end]);
            }
            Value::Number(n) => crate::convert::format_number(n, &mut piece),
            _ => return Err(vm.native_error("'tostring' must return a string to 'print'")),
        }
        let _ = vm.stdout.write_all(&piece);
    }
    let _ = vm.stdout.write_all(b"\n");
    Ok(0)
}

fn type_<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let v = vm.check_any(args, 1)?;
    let s = vm.str_value(v.type_name().as_bytes())?;
    vm.ret1(s)
}

fn tostring<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let v = vm.check_any(args, 1)?;
    let s = vm.tostring(v)?;
    vm.ret1(s)
}

fn tonumber<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let base = vm.opt_int(args, 2, 10)?;
    if base == 10 {
        let v = vm.check_any(args, 1)?;
        let n = vm.to_number(v).map_or(Value::Nil, Value::Number);
        return vm.ret1(n);
    }
    let s = vm.check_str(args, 1)?;
    if !(2..=36).contains(&base) {
        return Err(vm.arg_error(2, "base out of range"));
    }
    let n = crate::text::number::parse_integer_base(s.as_bytes(), base as u32)
        .map_or(Value::Nil, Value::Number);
    vm.ret1(n)
}

fn next<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    let key = vm.arg(args, 1);
    match t.next(key) {
        Ok(Some((k, v))) => {
            vm.push(k)?;
            vm.push(v)?;
            Ok(2)
        }
        Ok(None) => vm.ret1(Value::Nil),
        Err(_) => Err(vm.runtime_error("invalid key to 'next'")),
    }
}

fn pairs<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    let next_fn = vm.current_native().upvalue(0);
    vm.push(next_fn)?;
    vm.push(Value::Table(t))?;
    vm.push(Value::Nil)?;
    Ok(3)
}

fn ipairs<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    let iter = vm.current_native().upvalue(0);
    vm.push(iter)?;
    vm.push(Value::Table(t))?;
    vm.push(Value::Number(0.0))?;
    Ok(3)
}

fn ipairs_aux<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    let i = vm.check_int(args, 2)? + 1;
    let v = t.get_int(i);
    if v.is_nil() {
        return Ok(0);
    }
    vm.push(Value::Number(i as f64))?;
    vm.push(v)?;
    Ok(2)
}

fn select<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let n = args.n as i64;
    if let Value::String(s) = vm.arg(args, 0) {
        if s.as_bytes().first() == Some(&b'#') {
            return vm.ret1(Value::Number((n - 1) as f64));
        }
    }
    let mut i = vm.check_int(args, 1)?;
    if i < 0 {
        i += n;
    } else if i > n {
        i = n;
    }
    if i < 1 {
        return Err(vm.arg_error(1, "index out of range"));
    }
    Ok((n - i) as usize)
}

fn unpack<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    let i = vm.opt_int(args, 2, 1)?;
    let e = if vm.arg(args, 2).is_nil() {
        t.length() as i64
    } else {
        vm.check_int(args, 3)?
    };
    if i > e {
        return Ok(0);
    }
    let n = e - i + 1;
    if n <= 0 || n >= crate::vm::MAX_NATIVE_STACK as i64 {
        return Err(vm.native_error("too many results to unpack"));
    }
    vm.check_stack(n as usize)?;
    for k in i..=e {
        vm.push(t.get_int(k))?;
    }
    Ok(n as usize)
}

fn rawget<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    let k = vm.check_any(args, 2)?;
    vm.ret1(t.get(k))
}

fn rawset<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    let k = vm.check_any(args, 2)?;
    let v = vm.check_any(args, 3)?;
    vm.raw_set(t, k, v)?;
    vm.ret1(Value::Table(t))
}

fn rawequal<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let a = vm.check_any(args, 1)?;
    let b = vm.check_any(args, 2)?;
    vm.ret1(Value::Boolean(a.raw_eq(b)))
}

fn setmetatable<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let mt = vm.arg(args, 1);
    let t = vm.check_table(args, 1)?;
    let mt = match mt {
        Value::Nil if args.n >= 2 => None,
        Value::Table(m) => Some(m),
        _ => return Err(vm.arg_error(2, "nil or table expected")),
    };
    if !vm.metamethod(Value::Table(t), Name::Metatable).is_nil() {
        return Err(vm.native_error("cannot change a protected metatable"));
    }
    t.set_metatable(&mut vm.heap, mt);
    if mt.is_some() {
        vm.roots.stress_pins.note_table(t);
    }
    vm.ret1(Value::Table(t))
}

fn getmetatable<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let v = vm.check_any(args, 1)?;
    match vm.metatable_of(v) {
        None => vm.ret1(Value::Nil),
        Some(mt) => {
            let protected = mt.get_str(vm.roots.name(Name::Metatable));
            if protected.is_nil() {
                vm.ret1(Value::Table(mt))
            } else {
                vm.ret1(protected)
            }
        }
    }
}

fn assert<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let v = vm.check_any(args, 1)?;
    if v.truthy() {
        return Ok(args.n);
    }
    let msg = match vm.opt_str(args, 2)? {
        Some(s) => s.as_bytes().to_vec(),
        None => b"assertion failed!".to_vec(),
    };
    Err(vm.error_at_level(&msg, 1))
}

fn error<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let level = vm.opt_int(args, 2, 1)?;
    let v = vm.arg(args, 0);
    if level > 0 {
        let text = match v {
            Value::String(s) => Some(s.as_bytes().to_vec()),
            Value::Number(n) => {
                let mut out = Vec::new();
                crate::convert::format_number(n, &mut out);
                Some(out)
            }
            _ => None,
        };
        if let Some(text) = text {
            return Err(vm.error_at_level(&text, level as usize));
        }
    }
    Err(vm.raise(v))
}

fn pcall<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    vm.check_any(args, 1)?;
    let ok = vm.pcall(args.base, -1, None)?;
    finish_pcall(vm, args.base, ok)
}

fn xpcall<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    vm.check_any(args, 2)?;
    let f = vm.arg(args, 0);
    let handler = vm.arg(args, 1);
    let th = vm.thread();
    th.set(args.base, handler);
    th.set(args.base + 1, f);
    vm.set_top(args.base + 2)?;
    let ok = vm.pcall(args.base + 1, -1, Some(handler))?;
    finish_pcall(vm, args.base + 1, ok)
}

/// Leaves `true, results...` or `false, error` as the results of a protected call whose
/// function was at `func`.
fn finish_pcall<C: Collector<LuaModel>>(vm: &mut Vm<C>, func: usize, ok: bool) -> LuaResult<usize> {
    if !ok {
        let err = vm.roots.error_value;
        vm.push(Value::Boolean(false))?;
        vm.push(err)?;
        return Ok(2);
    }
    let th = vm.thread();
    let top = th.top();
    vm.check_stack(1)?;
    for i in (func..top).rev() {
        th.set(i + 1, th.get(i));
    }
    th.set(func, Value::Boolean(true));
    th.set_top(top + 1);
    Ok(top + 1 - func)
}

/// `collectgarbage`'s options: 5.1's, then the 5.4 mode switches (see the module docs).
const GC_OPTIONS: &[&[u8]] = &[
    b"stop",
    b"restart",
    b"collect",
    b"count",
    b"step",
    b"setpause",
    b"setstepmul",
    b"incremental",
    b"generational",
];

fn collectgarbage<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let opt = match vm.opt_str(args, 1)? {
        Some(s) => s.as_bytes().to_vec(),
        None => b"collect".to_vec(),
    };
    if !GC_OPTIONS.contains(&opt.as_slice()) {
        let msg = format!("invalid option '{}'", String::from_utf8_lossy(&opt));
        return Err(vm.arg_error(1, &msg));
    }
    let ex = vm.opt_int(args, 2, 0)?;
    let result = match opt.as_slice() {
        b"collect" => {
            vm.charge_collection()?;
            vm.heap.gc.collect(&mut vm.roots);
            vm.run_finalizers_now()?;
            Value::Number(0.0)
        }
        b"count" => Value::Number(vm.heap.gc.heap_bytes() as f64 / 1024.0),
        b"step" => {
            vm.charge_collection()?;
            let kbytes = usize::try_from(ex.max(0)).unwrap_or(usize::MAX);
            let finished = vm.heap.gc.step(&mut vm.roots, kbytes);
            vm.run_finalizers_now()?;
            Value::Boolean(finished)
        }
        b"stop" | b"restart" => {
            vm.heap.gc.set_auto_collect(opt.as_slice() == b"restart");
            Value::Number(0.0)
        }
        b"setpause" => {
            let old = vm.gc_pause;
            vm.gc_pause = ex.clamp(0, i64::from(u32::MAX)) as u32;
            vm.heap.gc.set_pause(vm.gc_pause);
            Value::Number(f64::from(old))
        }
        b"setstepmul" => {
            let old = vm.gc_stepmul;
            vm.gc_stepmul = ex.clamp(0, i64::from(u32::MAX)) as u32;
            vm.heap.gc.set_stepmul(vm.gc_stepmul);
            Value::Number(f64::from(old))
        }
        mode @ (b"incremental" | b"generational") => {
            let mode = if mode == b"generational" {
                GcMode::Generational
            } else {
                GcMode::Incremental
            };
            match vm.heap.gc.set_mode(mode) {
                Some(GcMode::Incremental) => vm.str_value(b"incremental")?,
                Some(GcMode::Generational) => vm.str_value(b"generational")?,
                None => Value::Nil,
            }
        }
        _ => unreachable!("options are checked against GC_OPTIONS"),
    };
    vm.ret1(result)
}

fn newproxy<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let arg = vm.arg(args, 0);
    let Value::Table(valid) = vm.current_native().upvalue(0) else {
        unreachable!("newproxy keeps its table of valid metatables")
    };
    let mt = match arg {
        Value::Nil | Value::Boolean(false) => None,
        Value::Boolean(true) => {
            let m = vm.new_table(0, 0)?;
            vm.push(Value::Table(m))?;
            vm.raw_set(valid, Value::Table(m), Value::Boolean(true))?;
            Some(m)
        }
        other => {
            let m = match other {
                Value::Userdata(u) => u.metatable(),
                _ => None,
            };
            match m {
                Some(m) if valid.get(Value::Table(m)).truthy() => Some(m),
                _ => return Err(vm.arg_error(1, "boolean or proxy expected")),
            }
        }
    };
    let u = UserdataRef::new(&mut vm.heap, &mut vm.roots, mt).map_err(|_| vm.out_of_memory())?;
    if mt.is_some() {
        // SAFETY: `u` was allocated just now by this collector.
        unsafe { vm.heap.gc.register_finalizer(u.0) };
        vm.roots.stress_pins.note_userdata(u);
    }
    vm.ret1(Value::Userdata(u))
}

/// Compiles `source` as `load`/`loadstring` do and pushes the function, or nil and the
/// message.
fn push_loaded<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    source: &[u8],
    name: &[u8],
) -> LuaResult<usize> {
    let options = CompileOptions {
        skip_shebang: false,
        c_call_depth: vm.ccalls + 1,
    };
    match vm.load(source, &String::from_utf8_lossy(name), options)? {
        Ok(f) => vm.ret1(f),
        Err(msg) => {
            let m = vm.str_value(&msg)?;
            vm.push(Value::Nil)?;
            vm.push(m)?;
            Ok(2)
        }
    }
}

fn loadstring<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let name = match vm.opt_str(args, 2)? {
        Some(n) => n.as_bytes().to_vec(),
        None => s.as_bytes().to_vec(),
    };
    push_loaded(vm, s.as_bytes(), &name)
}

fn load<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let f = vm.arg(args, 0);
    if !f.is_function() {
        return Err(vm.arg_type_error(args, 1, "function"));
    }
    let name = match vm.opt_str(args, 2)? {
        Some(n) => n.as_bytes().to_vec(),
        None => b"=(load)".to_vec(),
    };
    let mut source = Vec::new();
    loop {
        // The reader runs protected, as 5.1's `lua_load` runs it: its errors (a yield
        // across it among them) become `load`'s nil and message.
        let func = vm.top();
        vm.push(f)?;
        if !vm.pcall(func, 1, None)? {
            let err = vm.roots.error_value;
            vm.push(Value::Nil)?;
            vm.push(err)?;
            return Ok(2);
        }
        let piece = vm.pop();
        match piece {
            Value::Nil => break,
            Value::String(s) if s.is_empty() => break,
            Value::String(s) => source.extend_from_slice(s.as_bytes()),
            // 5.1's reader takes a number as the string it converts to.
            Value::Number(n) => crate::convert::format_number(n, &mut source),
            _ => {
                let m = vm.str_value(b"reader function must return a string")?;
                vm.push(Value::Nil)?;
                vm.push(m)?;
                return Ok(2);
            }
        }
    }
    push_loaded(vm, &source, &name)
}

fn loadfile<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?;
    match vm.load_file(&name.to_str_lossy())? {
        Ok(f) => vm.ret1(f),
        Err(msg) => {
            let m = vm.str_value(&msg)?;
            vm.push(Value::Nil)?;
            vm.push(m)?;
            Ok(2)
        }
    }
}

fn gcinfo<C: Collector<LuaModel>>(vm: &mut Vm<C>, _args: Args) -> LuaResult<usize> {
    let kb = vm.heap.gc.heap_bytes() / 1024;
    vm.ret1(Value::Number(kb as f64))
}

/// 5.1's `getfunc`: the function argument 1 designates (a function, or a stack level;
/// `None` for level 0, the running thread).
fn env_target<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    args: Args,
    optional: bool,
) -> LuaResult<Option<Value>> {
    let v = vm.arg(args, 0);
    if v.is_function() {
        return Ok(Some(v));
    }
    let level = if optional {
        vm.opt_int(args, 1, 1)?
    } else {
        vm.check_int(args, 1)?
    };
    if level < 0 {
        return Err(vm.arg_error(1, "level must be non-negative"));
    }
    if level == 0 {
        return Ok(None);
    }
    match vm.stack_level(level as usize) {
        StackLevel::Frame(i) => {
            let th = vm.thread();
            Ok(Some(th.get(th.frame(i).func as usize)))
        }
        // The host's function has no environment of its own here: the globals'.
        StackLevel::Host => Ok(Some(Value::Nil)),
        StackLevel::TailCall => {
            let msg = format!("no function environment for tail call at level {level}");
            Err(vm.native_error(&msg))
        }
        StackLevel::Invalid => Err(vm.arg_error(1, "invalid level")),
    }
}

fn getfenv<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let env = match env_target(vm, args, true)? {
        Some(Value::LuaFunction(f)) => Value::Table(f.env()),
        _ => Value::Table(vm.roots.globals),
    };
    vm.ret1(env)
}

fn setfenv<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 2)?;
    match env_target(vm, args, false)? {
        None => {
            vm.roots.globals = t;
            Ok(0)
        }
        Some(Value::LuaFunction(f)) => {
            f.set_env(&mut vm.heap, t);
            vm.ret1(Value::LuaFunction(f))
        }
        Some(_) => Err(vm.native_error("'setfenv' cannot change environment of given object")),
    }
}

fn dofile<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?;
    let path = name.to_str_lossy();
    let f = match vm.load_file(&path)? {
        Ok(f) => f,
        Err(msg) => {
            let m = vm.str_value(&msg)?;
            return Err(vm.raise(m));
        }
    };
    let func = vm.top();
    vm.push(f)?;
    vm.call(func, -1)?;
    Ok(vm.top() - func)
}

impl<C: Collector<LuaModel>> Vm<C> {
    /// Loads a script file as `luaL_loadfile` does; `Err` holds the message
    /// ("cannot open NAME" or the syntax error).
    pub fn load_file(&mut self, path: &str) -> LuaResult<Result<Value, Vec<u8>>> {
        let source = match std::fs::read(path) {
            Ok(s) => s,
            Err(e) => {
                let text = e.to_string();
                let reason = text.split(" (os error").next().unwrap_or(&text);
                return Ok(Err(format!("cannot open {path}: {reason}").into_bytes()));
            }
        };
        let options = CompileOptions {
            skip_shebang: true,
            c_call_depth: self.ccalls + 1,
        };
        self.load(&source, &format!("@{path}"), options)
    }
}
