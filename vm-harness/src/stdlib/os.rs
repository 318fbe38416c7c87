//! The os library (5.1's `loslib.c`): `clock`, `date`, `difftime`, `execute`, `exit`,
//! `getenv`, `remove`, `rename`, `setlocale`, `time` and `tmpname`. Dates and times go
//! through the C library (`localtime_r`, `gmtime_r`, `mktime`, `strftime`), so the local
//! time zone (`TZ`) and daylight saving time are what lua5.1 sees. Only the C locale
//! exists.

use std::hash::{BuildHasher, Hasher};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;

use gc_core::Collector;

use crate::model::LuaModel;
use crate::stdlib::io::c_string;
use crate::value::Value;
use crate::vm::{Args, LuaResult, Vm};

/// Registers the `os` table.
pub fn open<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> LuaResult<()> {
    vm.register_lib(
        "os",
        &[
            ("clock", clock),
            ("date", date),
            ("difftime", difftime),
            ("execute", execute),
            ("exit", exit),
            ("getenv", getenv),
            ("remove", remove),
            ("rename", rename),
            ("setlocale", setlocale),
            ("time", time),
            ("tmpname", tmpname),
        ],
    )?;
    Ok(())
}

/// The process's CPU time in seconds (C's `clock()`).
fn clock<C: Collector<LuaModel>>(vm: &mut Vm<C>, _args: Args) -> LuaResult<usize> {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec into `now`, which outlives the call.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) };
    let secs = if status == 0 {
        now.tv_sec as f64 + now.tv_nsec as f64 / 1e9
    } else {
        -1.0
    };
    vm.ret1(Value::Number(secs))
}

/// A number as C's `(time_t)` cast converts it on x86-64: truncated toward zero, and
/// the minimum integer when out of range or NaN.
fn to_time(n: f64) -> libc::time_t {
    /// 2^63: where a 64-bit `time_t` ends.
    const TIME_T_END: f64 = (1u64 << 63) as f64;
    if !(-TIME_T_END..TIME_T_END).contains(&n) {
        libc::time_t::MIN
    } else {
        n as libc::time_t
    }
}

fn now() -> libc::time_t {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as libc::time_t)
}

/// An all-zero `struct tm`.
fn empty_tm() -> libc::tm {
    // SAFETY: `struct tm` is plain integers and a pointer (`tm_zone`), for which all
    // zero bits are valid values.
    unsafe { std::mem::zeroed() }
}

/// `t` broken down in UTC or in the local time zone; `None` when out of range.
fn broken_down(t: libc::time_t, utc: bool) -> Option<libc::tm> {
    let mut tm = empty_tm();
    // SAFETY: both functions read one time_t and write one struct tm, both of which
    // outlive the call; they are the reentrant variants.
    let result = unsafe {
        if utc {
            libc::gmtime_r(&t, &mut tm)
        } else {
            libc::localtime_r(&t, &mut tm)
        }
    };
    (!result.is_null()).then_some(tm)
}

/// One `strftime` conversion (`%` and `spec`) of `tm`, appended to `out`.
fn strftime(spec: u8, tm: &libc::tm, out: &mut Vec<u8>) {
    let format = [b'%', spec, 0];
    let mut buf = [0u8; 200];
    // SAFETY: `format` is NUL-terminated; strftime writes at most `buf.len()` bytes into
    // `buf` and reads `tm`, all of which outlive the call.
    let len = unsafe {
        libc::strftime(
            buf.as_mut_ptr().cast(),
            buf.len(),
            format.as_ptr().cast(),
            tm,
        )
    };
    out.extend_from_slice(&buf[..len]);
}

fn date<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let format = match vm.opt_str(args, 1)? {
        Some(s) => s.as_bytes().to_vec(),
        None => b"%c".to_vec(),
    };
    let t = if vm.arg(args, 1).is_nil() {
        now()
    } else {
        to_time(vm.check_number(args, 2)?)
    };
    let format = c_string(&format).as_bytes();
    let (utc, format) = match format.strip_prefix(b"!") {
        Some(rest) => (true, rest),
        None => (false, format),
    };
    let Some(tm) = broken_down(t, utc) else {
        return vm.ret1(Value::Nil);
    };
    if format == b"*t" {
        let table = vm.new_table(0, 9)?;
        vm.push(Value::Table(table))?;
        for (name, v) in [
            ("sec", tm.tm_sec),
            ("min", tm.tm_min),
            ("hour", tm.tm_hour),
            ("day", tm.tm_mday),
            ("month", tm.tm_mon + 1),
            ("year", tm.tm_year + 1900),
            ("wday", tm.tm_wday + 1),
            ("yday", tm.tm_yday + 1),
        ] {
            vm.set_field(table, name, Value::Number(f64::from(v)))?;
        }
        vm.set_field(table, "isdst", Value::Boolean(tm.tm_isdst > 0))?;
        return Ok(1);
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < format.len() {
        if format[i] == b'%' && i + 1 < format.len() {
            strftime(format[i + 1], &tm, &mut out);
            i += 2;
        } else {
            out.push(format[i]);
            i += 1;
        }
    }
    let s = vm.str_value(&out)?;
    vm.ret1(s)
}

/// A field of `os.time`'s table (5.1's `getfield`): a number as a C `int`, else the
/// default, else an error.
fn date_field<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    table: Value,
    name: &str,
    default: Option<i32>,
) -> LuaResult<i32> {
    let key = vm.str_value(name.as_bytes())?;
    let v = vm.index(table, key, None)?;
    match vm.to_number(v) {
        Some(n) => Ok(crate::convert::c_int_of_integer(n)),
        None => {
            default.ok_or_else(|| vm.native_error(&format!("field '{name}' missing in date table")))
        }
    }
}

fn time<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    if vm.arg(args, 0).is_nil() {
        return vm.ret1(Value::Number(now() as f64));
    }
    let table = Value::Table(vm.check_table(args, 1)?);
    let mut tm = empty_tm();
    tm.tm_sec = date_field(vm, table, "sec", Some(0))?;
    tm.tm_min = date_field(vm, table, "min", Some(0))?;
    tm.tm_hour = date_field(vm, table, "hour", Some(12))?;
    tm.tm_mday = date_field(vm, table, "day", None)?;
    tm.tm_mon = date_field(vm, table, "month", None)?.wrapping_sub(1);
    tm.tm_year = date_field(vm, table, "year", None)?.wrapping_sub(1900);
    let key = vm.str_value(b"isdst")?;
    tm.tm_isdst = match vm.index(table, key, None)? {
        Value::Nil => -1,
        v => i32::from(v.truthy()),
    };
    // SAFETY: mktime reads and normalises one struct tm, which outlives the call.
    let t = unsafe { libc::mktime(&mut tm) };
    if t == -1 {
        return vm.ret1(Value::Nil);
    }
    vm.ret1(Value::Number(t as f64))
}

fn difftime<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t1 = to_time(vm.check_number(args, 1)?);
    let t0 = to_time(vm.opt_number(args, 2, 0.0)?);
    vm.ret1(Value::Number(t1 as f64 - t0 as f64))
}

fn getenv<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    use std::os::unix::ffi::OsStringExt;
    let name = vm.check_str(args, 1)?;
    let value = std::env::var_os(c_string(name.as_bytes()));
    match value {
        Some(v) => {
            let s = vm.str_value(&v.into_vec())?;
            vm.ret1(s)
        }
        None => vm.ret1(Value::Nil),
    }
}

/// `os.execute([command])`: the raw wait status of `sh -c command` (C's `system`);
/// without a command, whether a shell exists (1).
fn execute<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let Some(command) = vm.opt_str(args, 1)? else {
        let shell = std::path::Path::new("/bin/sh").exists();
        return vm.ret1(Value::Number(f64::from(u8::from(shell))));
    };
    let status = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(c_string(command.as_bytes()))
        .status()
        .map_or(-1, |s| s.into_raw());
    vm.ret1(Value::Number(f64::from(status)))
}

/// `os.exit([code])`: ends the process as C's `exit` does: open files are flushed,
/// finalizers do not run. The embedder's exit hook (luagc's statistics) runs first.
fn exit<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let code = vm.opt_int(args, 1, 0)? as i32;
    vm.flush_all_files();
    if let Some(hook) = vm.exit_hook.take() {
        hook(vm, code);
    }
    std::process::exit(code)
}

/// 5.1's `os_pushresult`: true, or nil, "name: message" and the error number.
fn push_fs_result<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    result: std::io::Result<()>,
    name: &[u8],
) -> LuaResult<usize> {
    crate::stdlib::io::push_result(vm, result, Some(name))
}

fn path_arg<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    args: Args,
    i: usize,
) -> LuaResult<(Vec<u8>, PathBuf)> {
    let s = vm.check_str(args, i)?;
    let bytes = s.as_bytes().to_vec();
    let path = crate::stdlib::io::path_of(&bytes).to_path_buf();
    Ok((bytes, path))
}

/// `os.remove(name)`: a file, or an empty directory (C's `remove`).
fn remove<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let (name, path) = path_arg(vm, args, 1)?;
    let result = match std::fs::remove_file(&path) {
        Err(e) if e.raw_os_error() == Some(libc::EISDIR) => std::fs::remove_dir(&path),
        other => other,
    };
    push_fs_result(vm, result, &name)
}

fn rename<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let (from_name, from) = path_arg(vm, args, 1)?;
    let (_, to) = path_arg(vm, args, 2)?;
    let result = std::fs::rename(from, to);
    push_fs_result(vm, result, &from_name)
}

/// Creates a new, empty file named like 5.1's `mkstemp` template `/tmp/lua_XXXXXX`,
/// open for reading and writing.
pub(crate) fn create_temp_file() -> std::io::Result<(PathBuf, std::fs::File)> {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    // A randomly keyed hasher (std seeds each from the OS) gives the random letters.
    let random = std::collections::hash_map::RandomState::new();
    let mut last_error = None;
    for attempt in 0u64..100 {
        let mut hasher = random.build_hasher();
        hasher.write_u64(attempt);
        let mut bits = hasher.finish();
        let mut name = String::from("/tmp/lua_");
        for _ in 0..6 {
            name.push(LETTERS[(bits % LETTERS.len() as u64) as usize] as char);
            bits /= LETTERS.len() as u64;
        }
        let opened = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&name);
        match opened {
            Ok(file) => return Ok((PathBuf::from(name), file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_error.unwrap_or_else(|| std::io::Error::from_raw_os_error(libc::EEXIST)))
}

fn tmpname<C: Collector<LuaModel>>(vm: &mut Vm<C>, _args: Args) -> LuaResult<usize> {
    match create_temp_file() {
        Ok((path, _)) => {
            let s = vm.str_value(path.as_os_str().as_bytes())?;
            vm.ret1(s)
        }
        Err(_) => Err(vm.native_error("unable to generate a unique filename")),
    }
}

/// `os.setlocale([locale [, category]])`: only the C locale exists, so "C", "POSIX"
/// and "" (the environment's, here C) succeed and give "C"; a query gives "C"; any
/// other locale gives nil.
fn setlocale<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let locale = vm.opt_str(args, 1)?;
    vm.check_option(
        args,
        2,
        Some("all"),
        &["all", "collate", "ctype", "monetary", "numeric", "time"],
    )?;
    let known = locale.is_none_or(|l| matches!(l.as_bytes(), b"C" | b"POSIX" | b""));
    if known {
        let s = vm.str_value(b"C")?;
        vm.ret1(s)
    } else {
        vm.ret1(Value::Nil)
    }
}
