//! The standalone Lua 5.1 interpreter (lua.c, the manual's section 6) over the collector
//! chosen by `--gc`, reporting the collector's statistics: what the `luagc` command runs,
//! as lua.c is to liblua. It is the crate's public way to run programs: everything the
//! VM hands out leaves it as text (output, messages, statistics) and an exit status.
//!
//! As lua.c: `LUA_INIT` runs first, then the `-e` and `-l` options in order, then the
//! script with its arguments (the global `arg`), then the interactive prompt with `-i`,
//! or when nothing else was given and standard input is a terminal (otherwise standard
//! input is run as a script). Exit status: 0, or 1 after an error (reported as
//! `luagc: MESSAGE` with a traceback) or a bad command line (the usage message).
//! Statistics are written on every way out: the end, an error, `os.exit`.

mod interactive;
mod options;
mod stats;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::os::unix::ffi::OsStrExt;

use gc_core::collectors::{registry, visit_named, CollectorVisitor};
use gc_core::{Collector, HeapConfig};

use crate::compiler::CompileOptions;
use crate::model::LuaModel;
use crate::value::Value;
use crate::vm::{Vm, VmOptions};

use options::{Action, BadCommandLine, Options, Script};
use stats::StatsSink;

/// The name messages start with (lua.c's `progname`), fixed so that scripts' error
/// output does not depend on how luagc was invoked.
const PROGNAME: &str = "luagc";

/// Runs the command line `argv` (the program's name first) as `luagc` does, on a thread
/// of its own with a stack deep enough for Lua's recursion limits, and returns the exit
/// status. Output goes to the process's standard output and error; `os.exit` ends the
/// process.
pub fn main(argv: Vec<OsString>) -> i32 {
    let options = match Options::parse(argv) {
        Ok(options) => options,
        Err(BadCommandLine::Help) => {
            println!("{}", options::usage(PROGNAME));
            return 0;
        }
        Err(BadCommandLine::Usage) => {
            eprintln!("{}", options::usage(PROGNAME));
            return 1;
        }
        Err(BadCommandLine::Invalid(msg)) => {
            eprintln!("{PROGNAME}: {msg}");
            eprintln!("{}", options::usage(PROGNAME));
            return 1;
        }
    };
    std::thread::Builder::new()
        .name("lua".into())
        .stack_size(512 << 20)
        .spawn(move || {
            let mut run = Run {
                options: &options,
                code: 1,
            };
            if !visit_named(&options.gc, &mut run) {
                let names: Vec<&str> = registry().iter().map(|info| info.name).collect();
                eprintln!(
                    "{PROGNAME}: unknown collector '{}' (available: {})",
                    options.gc,
                    names.join(", ")
                );
            }
            run.code
        })
        .expect("spawn the interpreter thread")
        .join()
        .unwrap_or(1)
}

/// Runs the program under the collector the registry hands over.
struct Run<'a> {
    options: &'a Options,
    code: i32,
}

impl CollectorVisitor<LuaModel> for Run<'_> {
    fn visit<C: Collector<LuaModel>>(&mut self) {
        self.code = run::<C>(self.options);
    }
}

/// `--gc-threads`, capped at what the machine can run at once.
fn gc_threads(requested: Option<usize>, default: usize) -> usize {
    let Some(n) = requested else {
        return default;
    };
    let usable = std::thread::available_parallelism().map_or(1, usize::from);
    if n > usable {
        eprintln!(
            "{PROGNAME}: --gc-threads {n} is more than the {usable} threads this machine runs at once; using {usable}"
        );
        return usable;
    }
    n
}

fn run<C: Collector<LuaModel>>(options: &Options) -> i32 {
    let defaults = HeapConfig::default();
    let config = HeapConfig {
        heap_limit: options.heap_limit,
        gc_threads: gc_threads(options.gc_threads, defaults.gc_threads),
        mode: options.gc_mode,
        pause_cpu_time: options.pause_cpu_time,
        record_pauses: options.stats || options.stats_json.is_some(),
        step_deadline: options.gc_step_deadline.unwrap_or(defaults.step_deadline),
        max_gc_share_percent: options.gc_max_share,
        ..defaults
    };
    let sink = match StatsSink::new(options.stats, options.stats_json.as_deref(), &config) {
        Ok(sink) => sink,
        Err(msg) => {
            eprintln!("{PROGNAME}: {msg}");
            return 1;
        }
    };
    let vm_options = VmOptions {
        gc_stress: options.gc_stress,
    };
    // lua.c's `pmain`: the collector is stopped while the libraries open and restarted
    // after, which puts the first step right there, whatever the boot allocated.
    let mut gc = C::new(config);
    gc.set_auto_collect(false);
    let mut vm = match Vm::new(gc, &vm_options) {
        Ok(vm) => vm,
        Err(msg) => {
            eprintln!("{PROGNAME}: {msg}");
            return 1;
        }
    };
    vm.heap.gc.set_auto_collect(true);
    vm.exit_hook = Some(Box::new(move |vm: &mut Vm<C>, code| sink.report(vm, code)));
    let code = match run_program(&mut vm, options) {
        Ok(()) => 0,
        Err(msg) => {
            report_error(Some(PROGNAME), &msg);
            1
        }
    };
    vm.close();
    if let Some(report) = vm.exit_hook.take() {
        report(&mut vm, code);
    }
    code
}

/// lua.c's `l_message`: the message on stderr, after the program name if given.
fn report_error(progname: Option<&str>, msg: &str) {
    match progname {
        Some(name) => eprintln!("{name}: {msg}"),
        None => eprintln!("{msg}"),
    }
}

/// lua.c's `print_version`.
fn print_version() {
    report_error(
        None,
        &format!(
            "{PROGNAME} {} (Lua 5.1 over gc-core's collectors)",
            env!("CARGO_PKG_VERSION")
        ),
    );
}

/// lua.c's `pmain` after the command line is read; an error comes back as the message
/// to report.
fn run_program<C: Collector<LuaModel>>(vm: &mut Vm<C>, options: &Options) -> Result<(), String> {
    run_lua_init(vm)?;
    if options.version {
        print_version();
    }
    for action in &options.actions {
        match action {
            Action::Exec(chunk) => run_chunk(vm, chunk.as_bytes(), "=(command line)")?,
            Action::Require(name) => require(vm, name)?,
        }
    }
    if let Some(script) = &options.script {
        run_script(vm, options, script)?;
    }
    let has_exec = options.actions.iter().any(|a| matches!(a, Action::Exec(_)));
    if options.interactive {
        interactive::run(vm);
    } else if options.script.is_none() && !has_exec && !options.version {
        if std::io::stdin().is_terminal() {
            print_version();
            interactive::run(vm);
        } else {
            let f = load_stdin(vm)?;
            vm.run_function(f, &[])?;
        }
    }
    Ok(())
}

/// `LUA_INIT`: a chunk, or `@FILE`, run before anything else.
fn run_lua_init<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> Result<(), String> {
    let Some(init) = std::env::var_os("LUA_INIT") else {
        return Ok(());
    };
    let init = init.as_bytes();
    match init.strip_prefix(b"@") {
        Some(file) => {
            let f = load_file(vm, &String::from_utf8_lossy(file))?;
            vm.run_function(f, &[])
        }
        None => run_chunk(vm, init, "=LUA_INIT"),
    }
}

/// Turns a load's outcome into the function or the message to report.
fn loaded<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    outcome: crate::vm::LuaResult<Result<Value, Vec<u8>>>,
) -> Result<Value, String> {
    match outcome {
        Ok(Ok(f)) => Ok(f),
        Ok(Err(msg)) => Err(String::from_utf8_lossy(&msg).into_owned()),
        Err(_) => Err(vm.error_string()),
    }
}

fn load_file<C: Collector<LuaModel>>(vm: &mut Vm<C>, path: &str) -> Result<Value, String> {
    let outcome = vm.load_file(path);
    loaded(vm, outcome)
}

/// Loads all of standard input as the chunk `stdin` (a first `#` line skipped, as
/// `luaL_loadfile(L, NULL)` does).
fn load_stdin<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> Result<Value, String> {
    let source = vm
        .read_stdin_to_end()
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    let options = CompileOptions {
        skip_shebang: true,
        c_call_depth: 1,
    };
    let outcome = vm.load(&source, "=stdin", options);
    loaded(vm, outcome)
}

/// lua.c's `dostring`: loads and runs a chunk.
fn run_chunk<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    source: &[u8],
    name: &str,
) -> Result<(), String> {
    let options = CompileOptions {
        skip_shebang: false,
        c_call_depth: 1,
    };
    let outcome = vm.load(source, name, options);
    let f = loaded(vm, outcome)?;
    vm.run_function(f, &[])
}

/// lua.c's `dolibrary`: `require(name)`.
fn require<C: Collector<LuaModel>>(vm: &mut Vm<C>, name: &str) -> Result<(), String> {
    let globals = vm.roots.globals;
    let require = vm
        .get_field(globals, "require")
        .map_err(|_| vm.error_string())?;
    let name = vm
        .str_value(name.as_bytes())
        .map_err(|_| vm.error_string())?;
    vm.roots.temps.push(name);
    let result = vm.run_function(require, &[name]);
    vm.roots.temps.pop();
    result
}

/// lua.c's `handle_script`: sets `arg` (the whole command line, the script at 0), loads
/// the script and runs it with the arguments after it.
fn run_script<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    options: &Options,
    script: &Script,
) -> Result<(), String> {
    let words: Vec<&[u8]> = options.argv.iter().map(|a| a.as_bytes()).collect();
    let at = options.script_index;
    set_arg_table(vm, &words, at).map_err(|_| vm.error_string())?;
    let f = match script {
        Script::Stdin => load_stdin(vm)?,
        Script::File(path) => load_file(vm, &path.to_string_lossy())?,
    };
    vm.roots.temps.push(f);
    let mut args = Vec::new();
    for word in &words[at + 1..] {
        match vm.str_value(word) {
            Ok(v) => {
                vm.roots.temps.push(v);
                args.push(v);
            }
            Err(_) => {
                vm.roots.temps.clear();
                return Err(vm.error_string());
            }
        }
    }
    let result = vm.run_function(f, &args);
    vm.roots.temps.clear();
    result
}

/// The global `arg`: `words[i]` at `i - script`, so the interpreter and its options
/// have negative indices, the script 0 and its arguments 1, 2, ...
fn set_arg_table<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    words: &[&[u8]],
    script: usize,
) -> crate::vm::LuaResult<()> {
    let t = vm.new_table(words.len() - script, script + 1)?;
    vm.roots.temps.push(Value::Table(t));
    let result = (|| {
        for (i, word) in words.iter().enumerate() {
            let v = vm.str_value(word)?;
            vm.raw_set(t, Value::Number(i as f64 - script as f64), v)?;
        }
        let globals = vm.roots.globals;
        vm.set_field(globals, "arg", Value::Table(t))
    })();
    vm.roots.temps.pop();
    result
}
