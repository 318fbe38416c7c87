//! The parts of the io library scripts use for output and input: `io.write`, `io.read`
//! (formats "*l", "*n", "*a" and byte counts), and `io.stdout`/`io.stderr` handles
//! (userdata with `write`, `read` and `flush` methods). As in 5.1, writes return `true`.

use std::io::{BufRead, Write};

use gc_core::Collector;

use crate::model::LuaModel;
use crate::object::userdata::UserdataRef;
use crate::value::Value;
use crate::vm::buffer::read_limited;
use crate::vm::{Args, LuaResult, Vm};

/// Registers the `io` table and its three standard handles.
pub fn open<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> LuaResult<()> {
    let io = vm.register_lib("io", &[("write", write), ("read", read), ("type", io_type)])?;
    vm.roots.temps.push(Value::Table(io));
    let result = (|| {
        let methods = vm.new_table(0, 4)?;
        vm.set_field(io, "_methods", Value::Table(methods))?;
        for (name, f) in [
            ("write", handle_write as crate::vm::NativeFn<C>),
            ("read", handle_read),
            ("flush", flush),
        ] {
            let closure = vm.new_native(f, &[])?;
            vm.set_field(methods, name, closure)?;
        }
        let mt = vm.new_table(0, 2)?;
        vm.set_field(io, "_handlemt", Value::Table(mt))?;
        vm.set_field(mt, "__index", Value::Table(methods))?;
        for name in ["stdin", "stdout", "stderr"] {
            let u = UserdataRef::new(&mut vm.heap, &mut vm.roots, Some(mt))
                .map_err(|_| vm.out_of_memory())?;
            vm.set_field(io, name, Value::Userdata(u))?;
        }
        Ok(())
    })();
    vm.roots.temps.pop();
    result
}

/// Writes arguments `from..` (strings or numbers) to stdout or stderr.
fn write_values<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    args: Args,
    from: usize,
    to_stderr: bool,
) -> LuaResult<()> {
    let mut out = Vec::new();
    for i in from..args.n {
        let s = vm.check_str(args, i + 1)?;
        out.extend_from_slice(s.as_bytes());
    }
    if to_stderr {
        vm.flush();
        let _ = std::io::stderr().write_all(&out);
    } else {
        let _ = vm.stdout.write_all(&out);
    }
    Ok(())
}

fn io_field<C: Collector<LuaModel>>(vm: &mut Vm<C>, name: &str) -> LuaResult<Value> {
    let globals = vm.roots.globals;
    let loaded = vm.loaded_table()?;
    let io = match vm.get_field(loaded, "io")? {
        Value::Table(t) => t,
        _ => match vm.get_field(globals, "io")? {
            Value::Table(t) => t,
            _ => return Ok(Value::Nil),
        },
    };
    vm.get_field(io, name)
}

fn write<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    write_values(vm, args, 0, false)?;
    vm.ret1(Value::Boolean(true))
}

fn handle_write<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let this = vm.arg(args, 0);
    let stderr = io_field(vm, "stderr")?;
    write_values(vm, args, 1, this.raw_eq(stderr))?;
    vm.ret1(Value::Boolean(true))
}

fn io_type<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    vm.check_any(args, 1)?;
    let v = vm.arg(args, 0);
    let handle_mt = io_field(vm, "_handlemt")?;
    let is_file = match (v, handle_mt) {
        (Value::Userdata(u), Value::Table(mt)) => u.metatable() == Some(mt),
        _ => false,
    };
    if is_file {
        let s = vm.str_value(b"file")?;
        vm.ret1(s)
    } else {
        vm.ret1(Value::Nil)
    }
}

fn flush<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    vm.flush();
    vm.ret1(vm.arg(args, 0))
}

fn read<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    read_formats(vm, args, 0)
}

fn handle_read<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    read_formats(vm, args, 1)
}

/// Reads one value per format argument from `from` on (default "*l"); stops at the
/// first failure, which yields nil, as 5.1's `g_read` does.
fn read_formats<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    args: Args,
    from: usize,
) -> LuaResult<usize> {
    vm.flush();
    let formats: Vec<Value> = if args.n <= from {
        vec![Value::Nil]
    } else {
        (from..args.n).map(|i| vm.arg(args, i)).collect()
    };
    let mut count = 0;
    for (k, f) in formats.into_iter().enumerate() {
        let v = match f {
            Value::Nil => read_line(vm)?,
            Value::Number(n) => read_bytes(vm, n as usize)?,
            Value::String(s) => match s.as_bytes().get(..2) {
                Some(b"*l") => read_line(vm)?,
                Some(b"*a") => {
                    let mut buf = Vec::new();
                    let limit = vm.buffer_limit();
                    read_limited(&mut vm.stdin, &mut buf, None, usize::MAX, limit)
                        .map_err(|_| vm.out_of_memory())?;
                    vm.str_value(&buf)?
                }
                Some(b"*n") => read_number(vm),
                _ => return Err(vm.arg_error(from + k + 1, "invalid format")),
            },
            _ => return Err(vm.arg_error(from + k + 1, "invalid option")),
        };
        vm.push(v)?;
        count += 1;
        if v.is_nil() {
            break;
        }
    }
    Ok(count)
}

fn read_line<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> LuaResult<Value> {
    let mut buf = Vec::new();
    let limit = vm.buffer_limit();
    read_limited(&mut vm.stdin, &mut buf, Some(b'\n'), usize::MAX, limit)
        .map_err(|_| vm.out_of_memory())?;
    if buf.is_empty() {
        return Ok(Value::Nil);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
    }
    vm.str_value(&buf)
}

fn read_bytes<C: Collector<LuaModel>>(vm: &mut Vm<C>, n: usize) -> LuaResult<Value> {
    let mut buf = Vec::new();
    let limit = vm.buffer_limit();
    read_limited(&mut vm.stdin, &mut buf, None, n, limit).map_err(|_| vm.out_of_memory())?;
    if buf.is_empty() && (n > 0 || vm.stdin.fill_buf().map_or(true, |b| b.is_empty())) {
        return Ok(Value::Nil);
    }
    vm.str_value(&buf)
}

/// The longest numeral `read("*n")` reads (an endless one must not grow without bound;
/// no number needs more digits).
const MAX_NUMERAL: usize = 200;

fn read_number<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> Value {
    let mut text = Vec::new();
    loop {
        let (consumed, done) = match vm.stdin.fill_buf() {
            Ok(buf) if !buf.is_empty() => {
                let mut used = 0;
                let mut done = false;
                for &b in buf {
                    if text.is_empty() && b.is_ascii_whitespace() {
                        used += 1;
                        continue;
                    }
                    if text.len() >= MAX_NUMERAL {
                        done = true;
                        break;
                    }
                    if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-') {
                        text.push(b);
                        used += 1;
                    } else {
                        done = true;
                        break;
                    }
                }
                (used, done)
            }
            _ => (0, true),
        };
        vm.stdin.consume(consumed);
        if done {
            break;
        }
    }
    crate::convert::parse_number(&text).map_or(Value::Nil, Value::Number)
}
