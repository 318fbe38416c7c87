//! The io library (5.1's `liolib.c`): `io.open`, `io.popen`, `io.tmpfile`, `io.lines`,
//! `io.read`, `io.write`, the default input and output (`io.input`, `io.output`), and
//! file handles with the methods `read`, `write`, `lines`, `seek`, `setvbuf`, `flush`
//! and `close`.
//!
//! A file handle is a userdata in the collector's heap, with the metatable kept in the
//! registry as `FILE*` (also its own `__index`, holding the methods) and a tag naming its
//! stream in [`OpenFiles`]. Its `__gc` closes the stream, so files a program drops are
//! closed by the collector. The standard files have fixed tags and are never closed.
//!
//! Invariants: a handle whose tag has no stream is closed; every library function keeps
//! the io environment (the default input at `[1]`, the default output at `[2]`) as its
//! first upvalue, as 5.1's functions keep it as their environment.

mod read;
pub mod stream;

use std::collections::HashMap;
use std::io::SeekFrom;

use gc_core::Collector;

use crate::model::LuaModel;
use crate::object::table::TableRef;
use crate::object::userdata::UserdataRef;
use crate::value::Value;
use crate::vm::{Args, LuaResult, NativeFn, Vm};
use stream::{Buffering, Stream, BUFSIZ};

/// The tag of `io.stdin`'s stream (`Vm::stdin`).
const STDIN: u64 = 1;
/// The tag of `io.stdout`'s stream (`Vm::stdout`, which `print` writes too).
const STDOUT: u64 = 2;
/// The tag of `io.stderr`'s stream.
const STDERR: u64 = 3;
/// Where the io environment keeps the default input and output (5.1's `IO_INPUT`,
/// `IO_OUTPUT`).
const IO_INPUT: i64 = 1;
const IO_OUTPUT: i64 = 2;
/// The registry key of the file handles' metatable (5.1's `LUA_FILEHANDLE`).
const FILE_HANDLE: &str = "FILE*";

/// The streams of the open files other than standard input and output, by handle tag.
pub struct OpenFiles {
    streams: HashMap<u64, Stream>,
    next_tag: u64,
}

impl OpenFiles {
    /// Standard error alone.
    pub fn new() -> OpenFiles {
        let mut streams = HashMap::new();
        streams.insert(STDERR, Stream::stderr());
        OpenFiles {
            streams,
            next_tag: STDERR + 1,
        }
    }
}

impl Default for OpenFiles {
    fn default() -> Self {
        Self::new()
    }
}

/// Registers the `io` table, the handles' metatable and the three standard handles.
pub fn open<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> LuaResult<()> {
    let env = vm.new_table(2, 0)?;
    vm.roots.temps.push(Value::Table(env));
    let result = open_with_env(vm, env);
    vm.roots.temps.pop();
    result
}

fn open_with_env<C: Collector<LuaModel>>(vm: &mut Vm<C>, env: TableRef) -> LuaResult<()> {
    let mt = vm.new_table(0, 10)?;
    let registry = vm.roots.registry;
    vm.set_field(registry, FILE_HANDLE, Value::Table(mt))?;
    vm.set_field(mt, "__index", Value::Table(mt))?;
    let methods: [(&str, NativeFn<C>); 9] = [
        ("close", io_close),
        ("flush", file_flush),
        ("lines", file_lines),
        ("read", file_read),
        ("seek", file_seek),
        ("setvbuf", file_setvbuf),
        ("write", file_write),
        ("__gc", file_gc),
        ("__tostring", file_tostring),
    ];
    for (name, f) in methods {
        let closure = vm.new_native(f, &[Value::Table(env)])?;
        vm.set_field(mt, name, closure)?;
    }
    let io = vm.register_lib("io", &[])?;
    vm.roots.temps.push(Value::Table(io));
    let result = (|| {
        let funcs: [(&str, NativeFn<C>); 11] = [
            ("close", io_close),
            ("flush", io_flush),
            ("input", io_input),
            ("lines", io_lines),
            ("open", io_open),
            ("output", io_output),
            ("popen", io_popen),
            ("read", io_read),
            ("tmpfile", io_tmpfile),
            ("type", io_type),
            ("write", io_write),
        ];
        for (name, f) in funcs {
            let closure = vm.new_native(f, &[Value::Table(env)])?;
            vm.set_field(io, name, closure)?;
        }
        let standard = [
            ("stdin", STDIN, Some(IO_INPUT)),
            ("stdout", STDOUT, Some(IO_OUTPUT)),
            ("stderr", STDERR, None),
        ];
        for (name, tag, default_of) in standard {
            let handle = UserdataRef::tagged(&mut vm.heap, &mut vm.roots, Some(mt), tag)
                .map_err(|_| vm.out_of_memory())?;
            vm.set_field(io, name, Value::Userdata(handle))?;
            if let Some(which) = default_of {
                vm.raw_set(env, Value::Number(which as f64), Value::Userdata(handle))?;
            }
        }
        Ok(())
    })();
    vm.roots.temps.pop();
    result
}

impl<C: Collector<LuaModel>> Vm<C> {
    /// The stream of the handle tagged `tag`, if it is open.
    fn stream(&mut self, tag: u64) -> Option<&mut Stream> {
        match tag {
            STDIN => Some(&mut self.stdin),
            STDOUT => Some(&mut self.stdout),
            _ => self.files.streams.get_mut(&tag),
        }
    }

    /// Writes to standard output through `print`'s buffer (the interactive prompt's
    /// prompts); errors are ignored, as `fputs` in lua.c ignores them.
    pub fn write_stdout(&mut self, bytes: &[u8]) {
        let _ = self.stdout.write_bytes(bytes);
    }

    /// Sends what every stream holds, as C's `exit` does.
    pub fn flush_all_files(&mut self) {
        let _ = self.stdout.flush();
        for stream in self.files.streams.values_mut() {
            let _ = stream.flush();
        }
    }

    /// Reads the rest of standard input (a script given as `-`).
    pub fn read_stdin_to_end(&mut self) -> std::io::Result<Vec<u8>> {
        let mut all = Vec::new();
        let limit = self.buffer_limit();
        self.stdin.read_to_end(&mut all, limit)?;
        Ok(all)
    }

    /// Reads one line of standard input, without its newline, through the buffer
    /// `io.read` uses; `None` at end of input.
    pub fn read_stdin_line(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        let limit = self.buffer_limit();
        Ok(self.stdin.read_line(&mut line, limit)?.then_some(line))
    }
}

/// The io environment: the first upvalue of every io function.
fn io_env<C: Collector<LuaModel>>(vm: &Vm<C>) -> TableRef {
    match vm.current_native().upvalue(0) {
        Value::Table(t) => t,
        _ => unreachable!("io functions keep their environment"),
    }
}

/// The metatable of file handles.
fn handle_metatable<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> LuaResult<Option<TableRef>> {
    let registry = vm.roots.registry;
    Ok(match vm.get_field(registry, FILE_HANDLE)? {
        Value::Table(t) => Some(t),
        _ => None,
    })
}

/// `v` as a file handle, open or closed.
fn as_handle<C: Collector<LuaModel>>(vm: &mut Vm<C>, v: Value) -> LuaResult<Option<UserdataRef>> {
    let Value::Userdata(u) = v else {
        return Ok(None);
    };
    let mt = handle_metatable(vm)?;
    Ok((mt.is_some() && u.metatable() == mt).then_some(u))
}

fn is_open<C: Collector<LuaModel>>(vm: &mut Vm<C>, u: UserdataRef) -> bool {
    vm.stream(u.tag()).is_some()
}

/// Argument `i` must be a file handle (5.1's `luaL_checkudata(L, i, "FILE*")`).
fn check_handle<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    args: Args,
    i: usize,
) -> LuaResult<UserdataRef> {
    let v = vm.arg(args, i - 1);
    match as_handle(vm, v)? {
        Some(u) => Ok(u),
        None => Err(vm.arg_type_error(args, i, FILE_HANDLE)),
    }
}

/// Argument `i` must be an open file handle (5.1's `tofile`); returns its tag.
fn check_open<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args, i: usize) -> LuaResult<u64> {
    let u = check_handle(vm, args, i)?;
    if !is_open(vm, u) {
        return Err(vm.native_error("attempt to use a closed file"));
    }
    Ok(u.tag())
}

/// The default input or output file's tag (5.1's `getiofile`).
fn default_file<C: Collector<LuaModel>>(vm: &mut Vm<C>, which: i64) -> LuaResult<u64> {
    let env = io_env(vm);
    if let Value::Userdata(u) = env.get_int(which) {
        if is_open(vm, u) {
            return Ok(u.tag());
        }
    }
    let name = if which == IO_INPUT { "input" } else { "output" };
    Err(vm.native_error(&format!("standard {name} file is closed")))
}

/// The C library's message for an I/O error, and its `errno`.
fn os_error(e: &std::io::Error) -> (String, i32) {
    let code = e.raw_os_error().unwrap_or(libc::EIO);
    let mut buf = [0u8; 256];
    // SAFETY: strerror_r writes a NUL-terminated message of at most `buf.len()` bytes
    // into `buf`, which outlives the call.
    let status = unsafe { libc::strerror_r(code, buf.as_mut_ptr().cast(), buf.len()) };
    let len = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    if status != 0 || len == 0 {
        return (format!("Unknown error {code}"), code);
    }
    (String::from_utf8_lossy(&buf[..len]).into_owned(), code)
}

/// 5.1's `pushresult` for a failure: nil, the message (after `name: ` when given) and
/// the error number.
pub(crate) fn push_error<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    e: &std::io::Error,
    name: Option<&[u8]>,
) -> LuaResult<usize> {
    let (msg, code) = os_error(e);
    let mut text = Vec::new();
    if let Some(name) = name {
        text.extend_from_slice(name);
        text.extend_from_slice(b": ");
    }
    text.extend_from_slice(msg.as_bytes());
    vm.push(Value::Nil)?;
    let s = vm.str_value(&text)?;
    vm.push(s)?;
    vm.push(Value::Number(f64::from(code)))?;
    Ok(3)
}

/// 5.1's `pushresult`: true, or the error triple.
pub(crate) fn push_result<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    result: std::io::Result<()>,
    name: Option<&[u8]>,
) -> LuaResult<usize> {
    match result {
        Ok(()) => vm.ret1(Value::Boolean(true)),
        Err(e) => push_error(vm, &e, name),
    }
}

/// A new handle for `stream`, registered for finalization; pushed on the stack.
fn push_new_handle<C: Collector<LuaModel>>(vm: &mut Vm<C>, stream: Stream) -> LuaResult<usize> {
    let tag = vm.files.next_tag;
    vm.files.next_tag += 1;
    vm.files.streams.insert(tag, stream);
    let mt = handle_metatable(vm)?;
    let handle = match UserdataRef::tagged(&mut vm.heap, &mut vm.roots, mt, tag) {
        Ok(u) => u,
        Err(_) => {
            if let Some(stream) = vm.files.streams.remove(&tag) {
                let _ = stream.close();
            }
            return Err(vm.out_of_memory());
        }
    };
    // SAFETY: `handle` was allocated just now by this collector.
    unsafe { vm.heap.gc.register_finalizer(handle.0) };
    vm.ret1(Value::Userdata(handle))
}

/// Opens `name` as `fopen` does with `mode`, read as glibc reads it: `r`, `w` or `a`,
/// then up to six flag characters (`+` read and write, `x` exclusive; others ignored).
fn fopen(name: &[u8], mode: &[u8]) -> std::io::Result<Stream> {
    let mut options = std::fs::OpenOptions::new();
    let (mut readable, mut writable) = match mode.first() {
        Some(b'r') => (true, false),
        Some(b'w') => (false, true),
        Some(b'a') => (false, true),
        _ => return Err(std::io::Error::from_raw_os_error(libc::EINVAL)),
    };
    match mode[0] {
        b'r' => options.read(true),
        b'w' => options.write(true).create(true).truncate(true),
        _ => options.append(true).create(true),
    };
    for &flag in mode[1..].iter().take(6).take_while(|&&b| b != 0) {
        match flag {
            b'+' => {
                readable = true;
                writable = true;
                options.read(true).write(true)
            }
            b'x' => options.create_new(true),
            _ => &mut options,
        };
    }
    let file = options.open(path_of(name))?;
    Ok(Stream::file(file, readable, writable))
}

fn io_open<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?;
    let mode = match vm.opt_str(args, 2)? {
        Some(m) => m.as_bytes().to_vec(),
        None => b"r".to_vec(),
    };
    match fopen(name.as_bytes(), &mode) {
        Ok(stream) => push_new_handle(vm, stream),
        Err(e) => push_error(vm, &e, Some(name.as_bytes())),
    }
}

/// A Lua string as the C library sees it: up to its first NUL.
pub(crate) fn c_string(bytes: &[u8]) -> &std::ffi::OsStr {
    use std::os::unix::ffi::OsStrExt;
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    std::ffi::OsStr::from_bytes(&bytes[..end])
}

/// A Lua string as a path, as `fopen` sees it.
pub(crate) fn path_of(bytes: &[u8]) -> &std::path::Path {
    std::path::Path::new(c_string(bytes))
}

fn io_popen<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    use std::process::{Command, Stdio};
    let prog = vm.check_str(args, 1)?;
    let mode = match vm.opt_str(args, 2)? {
        Some(m) => m.as_bytes().to_vec(),
        None => b"r".to_vec(),
    };
    let reading = match mode.as_slice() {
        b"r" | b"re" => true,
        b"w" | b"we" => false,
        _ => {
            let e = std::io::Error::from_raw_os_error(libc::EINVAL);
            return push_error(vm, &e, Some(prog.as_bytes()));
        }
    };
    let mut command = Command::new("/bin/sh");
    command.arg("-c").arg(c_string(prog.as_bytes()));
    if reading {
        command.stdout(Stdio::piped());
    } else {
        command.stdin(Stdio::piped());
    }
    let stream = command.spawn().map(|mut child| {
        if reading {
            let out = child.stdout.take().expect("stdout was piped");
            Stream::pipe_from(child, out)
        } else {
            let input = child.stdin.take().expect("stdin was piped");
            Stream::pipe_to(child, input)
        }
    });
    match stream {
        Ok(stream) => push_new_handle(vm, stream),
        Err(e) => push_error(vm, &e, Some(prog.as_bytes())),
    }
}

fn io_tmpfile<C: Collector<LuaModel>>(vm: &mut Vm<C>, _args: Args) -> LuaResult<usize> {
    let opened = crate::stdlib::os::create_temp_file().and_then(|(path, file)| {
        std::fs::remove_file(&path)?;
        Ok(file)
    });
    match opened {
        Ok(file) => push_new_handle(vm, Stream::file(file, true, true)),
        Err(e) => push_error(vm, &e, None),
    }
}

fn io_type<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let v = vm.check_any(args, 1)?;
    let kind: Option<&[u8]> = match as_handle(vm, v)? {
        Some(u) if is_open(vm, u) => Some(b"file"),
        Some(_) => Some(b"closed file"),
        None => None,
    };
    match kind {
        Some(k) => {
            let s = vm.str_value(k)?;
            vm.ret1(s)
        }
        None => vm.ret1(Value::Nil),
    }
}

/// Closes the handle tagged `tag` (5.1's `aux_close`): standard files stay open.
fn close_tag<C: Collector<LuaModel>>(vm: &mut Vm<C>, tag: u64) -> LuaResult<usize> {
    match vm.files.streams.remove(&tag) {
        Some(stream) if tag != STDERR => push_result(vm, stream.close(), None),
        other => {
            if let Some(stderr) = other {
                vm.files.streams.insert(tag, stderr);
            }
            vm.push(Value::Nil)?;
            let msg = vm.str_value(b"cannot close standard file")?;
            vm.push(msg)?;
            Ok(2)
        }
    }
}

/// `io.close([file])` and `file:close()`: the default output when no file is given.
fn io_close<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let tag = if args.n == 0 {
        let env = io_env(vm);
        let out = env.get_int(IO_OUTPUT);
        vm.push(out)?;
        check_open(
            vm,
            Args {
                base: args.base,
                n: 1,
            },
            1,
        )?
    } else {
        check_open(vm, args, 1)?
    };
    close_tag(vm, tag)
}

fn file_gc<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let u = check_handle(vm, args, 1)?;
    if u.tag() > STDERR {
        if let Some(stream) = vm.files.streams.remove(&u.tag()) {
            let _ = stream.close();
        }
    }
    Ok(0)
}

fn file_tostring<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let u = check_handle(vm, args, 1)?;
    let text = if is_open(vm, u) {
        format!("file ({:p})", u.0.as_ptr())
    } else {
        "file (closed)".to_owned()
    };
    let s = vm.str_value(text.as_bytes())?;
    vm.ret1(s)
}

/// `io.input([file])` and `io.output([file])` (5.1's `g_iofile`): a file name is opened
/// in `mode`, a handle is taken as it is; returns the current default.
fn set_default<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    args: Args,
    which: i64,
    mode: &[u8],
) -> LuaResult<usize> {
    let env = io_env(vm);
    match vm.arg(args, 0) {
        Value::Nil => {}
        Value::String(_) | Value::Number(_) => {
            let name = vm.check_str(args, 1)?;
            let top = vm.top();
            match fopen(name.as_bytes(), mode) {
                Ok(stream) => {
                    push_new_handle(vm, stream)?;
                    let handle = vm.thread().get(top);
                    vm.raw_set(env, Value::Number(which as f64), handle)?;
                }
                Err(e) => {
                    let (msg, _) = os_error(&e);
                    let text = format!("{}: {msg}", name.to_str_lossy());
                    return Err(vm.arg_error(1, &text));
                }
            }
        }
        v => {
            check_open(vm, args, 1)?;
            vm.raw_set(env, Value::Number(which as f64), v)?;
        }
    }
    vm.ret1(env.get_int(which))
}

fn io_input<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    set_default(vm, args, IO_INPUT, b"r")
}

fn io_output<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    set_default(vm, args, IO_OUTPUT, b"w")
}

/// Writes arguments `first..` (strings, or numbers as `%.14g`) to the stream of `tag`
/// (5.1's `g_write`): true, or the error triple of the first failure.
fn write_args<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    tag: u64,
    args: Args,
    first: usize,
) -> LuaResult<usize> {
    let mut result = Ok(());
    for i in first..=args.n {
        let s = vm.check_str(args, i)?;
        if result.is_ok() {
            if let Some(stream) = vm.stream(tag) {
                result = stream.write_bytes(s.as_bytes());
            }
        }
    }
    push_result(vm, result, None)
}

fn io_write<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let tag = default_file(vm, IO_OUTPUT)?;
    write_args(vm, tag, args, 1)
}

fn file_write<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let tag = check_open(vm, args, 1)?;
    write_args(vm, tag, args, 2)
}

fn flush_tag<C: Collector<LuaModel>>(vm: &mut Vm<C>, tag: u64) -> LuaResult<usize> {
    let result = vm.stream(tag).map_or(Ok(()), Stream::flush);
    push_result(vm, result, None)
}

fn io_flush<C: Collector<LuaModel>>(vm: &mut Vm<C>, _args: Args) -> LuaResult<usize> {
    let tag = default_file(vm, IO_OUTPUT)?;
    flush_tag(vm, tag)
}

fn file_flush<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let tag = check_open(vm, args, 1)?;
    flush_tag(vm, tag)
}

fn io_read<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let tag = default_file(vm, IO_INPUT)?;
    read::read_formats(vm, tag, args, 1)
}

fn file_read<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let tag = check_open(vm, args, 1)?;
    read::read_formats(vm, tag, args, 2)
}

/// The iterator of `io.lines` and `file:lines`, over the handle at `args.base`; with
/// `close_at_end` the file is closed when it ends (5.1's `aux_lines`).
fn push_lines_iterator<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    handle: Value,
    close_at_end: bool,
) -> LuaResult<usize> {
    let env = Value::Table(io_env(vm));
    let f = vm.new_native(lines_step, &[env, handle, Value::Boolean(close_at_end)])?;
    vm.ret1(f)
}

fn lines_step<C: Collector<LuaModel>>(vm: &mut Vm<C>, _args: Args) -> LuaResult<usize> {
    let this = vm.current_native();
    let Value::Userdata(u) = this.upvalue(1) else {
        unreachable!("lines iterators keep their file")
    };
    let close_at_end = this.upvalue(2).truthy();
    let tag = u.tag();
    if tag == STDIN {
        // What standard output holds shows before the wait, as in read_formats.
        let _ = read::flush_before_input(vm);
    }
    let mut line = Vec::new();
    let limit = vm.buffer_limit();
    let result = match vm.stream(tag) {
        Some(stream) => stream.read_line(&mut line, limit),
        None => return Err(vm.native_error("file is already closed")),
    };
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::OutOfMemory => Err(vm.out_of_memory()),
        Ok(true) => {
            let s = vm.str_value(&line)?;
            vm.ret1(s)
        }
        Ok(false) => {
            if close_at_end {
                close_tag(vm, tag)?;
            }
            Ok(0)
        }
        Err(e) => {
            let (msg, _) = os_error(&e);
            Err(vm.native_error(&msg))
        }
    }
}

fn io_lines<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    if vm.arg(args, 0).is_nil() {
        let env = io_env(vm);
        let input = env.get_int(IO_INPUT);
        vm.push(input)?;
        check_open(
            vm,
            Args {
                base: vm.top() - 1,
                n: 1,
            },
            1,
        )?;
        return push_lines_iterator(vm, input, false);
    }
    let name = vm.check_str(args, 1)?;
    match fopen(name.as_bytes(), b"r") {
        Ok(stream) => {
            let top = vm.top();
            push_new_handle(vm, stream)?;
            let handle = vm.thread().get(top);
            push_lines_iterator(vm, handle, true)
        }
        Err(e) => {
            let (msg, _) = os_error(&e);
            let text = format!("{}: {msg}", name.to_str_lossy());
            Err(vm.arg_error(1, &text))
        }
    }
}

fn file_lines<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    check_open(vm, args, 1)?;
    let handle = vm.arg(args, 0);
    push_lines_iterator(vm, handle, false)
}

fn file_seek<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let tag = check_open(vm, args, 1)?;
    let whence = vm.check_option(args, 2, Some("cur"), &["set", "cur", "end"])?;
    let offset = vm.opt_integer(args, 3, 0)?;
    let to = match whence {
        0 => u64::try_from(offset).map(SeekFrom::Start).ok(),
        1 => Some(SeekFrom::Current(offset)),
        _ => Some(SeekFrom::End(offset)),
    };
    let result = match (to, vm.stream(tag)) {
        (Some(to), Some(stream)) => stream.seek(to),
        _ => Err(std::io::Error::from_raw_os_error(libc::EINVAL)),
    };
    match result {
        Ok(position) => vm.ret1(Value::Number(position as f64)),
        Err(e) => push_error(vm, &e, None),
    }
}

fn file_setvbuf<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let tag = check_open(vm, args, 1)?;
    let mode = match vm.check_option(args, 2, None, &["no", "full", "line"])? {
        0 => Buffering::No,
        1 => Buffering::Full,
        _ => Buffering::Line,
    };
    let size = vm.opt_integer(args, 3, BUFSIZ as i64)?;
    let result = match vm.stream(tag) {
        Some(stream) => stream.set_buffering(mode, usize::try_from(size).unwrap_or(BUFSIZ)),
        None => Ok(()),
    };
    push_result(vm, result, None)
}
