//! The interactive prompt (lua.c's `dotty`): reads a line, runs it and prints what it
//! returns; `=expr` stands for `return expr`; a line that leaves the chunk incomplete
//! (its syntax error is at `<eof>`) is continued on the next lines. Errors are printed
//! without ending the session. The prompts are the globals `_PROMPT` and `_PROMPT2`
//! (`> ` and `>> ` by default), written to standard output; when standard input is
//! not a terminal each line read is echoed after its prompt, as Debian's lua5.1 (built
//! with readline) does, so a session's transcript is the same.

use std::io::IsTerminal;

use gc_core::Collector;

use crate::compiler::CompileOptions;
use crate::model::LuaModel;
use crate::value::Value;
use crate::vm::Vm;

use super::report_error;

/// How a syntax error ends when the chunk is merely incomplete (5.1's `incomplete`).
const EOF_MARK: &[u8] = b"'<eof>'";

/// Runs the prompt until standard input ends.
pub fn run<C: Collector<LuaModel>>(vm: &mut Vm<C>) {
    let echo = !std::io::stdin().is_terminal();
    while let Some(loaded) = read_chunk(vm, echo) {
        match loaded {
            Ok(f) => run_line(vm, f),
            Err(msg) => report_error(None, &msg),
        }
    }
    vm.write_stdout(b"\n");
    vm.flush();
}

/// Runs one chunk and prints its results with the global `print`.
fn run_line<C: Collector<LuaModel>>(vm: &mut Vm<C>, f: Value) {
    vm.roots.temps.push(f);
    let outcome = vm.run_function_results(f, &[]);
    vm.roots.temps.pop();
    let first = match outcome {
        Ok(first) => first,
        Err(msg) => return report_error(None, &msg),
    };
    let th = vm.thread();
    let results: Vec<Value> = (first..vm.top()).map(|i| th.get(i)).collect();
    if !results.is_empty() {
        let globals = vm.roots.globals;
        let printed = match vm.get_field(globals, "print") {
            Ok(print) => vm
                .run_function(print, &results)
                .map_err(|_| vm.error_string()),
            Err(_) => Err(vm.error_string()),
        };
        if let Err(msg) = printed {
            report_error(None, &format!("error calling 'print' ({msg})"));
        }
    }
    let _ = vm.set_top(first);
}

/// The prompt: the global `_PROMPT` (first line) or `_PROMPT2`, if a string or number.
fn prompt<C: Collector<LuaModel>>(vm: &mut Vm<C>, first_line: bool) -> Vec<u8> {
    let (name, default) = if first_line {
        ("_PROMPT", "> ")
    } else {
        ("_PROMPT2", ">> ")
    };
    let globals = vm.roots.globals;
    match vm.get_field(globals, name) {
        Ok(Value::String(s)) => s.as_bytes().to_vec(),
        Ok(Value::Number(n)) => {
            let mut out = Vec::new();
            crate::convert::format_number(n, &mut out);
            out
        }
        _ => default.as_bytes().to_vec(),
    }
}

/// Shows the prompt and reads a line (5.1's `pushline`); `None` at end of input.
fn read_line<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    first_line: bool,
    echo: bool,
) -> Option<Vec<u8>> {
    let p = prompt(vm, first_line);
    vm.write_stdout(&p);
    vm.flush();
    let mut line = vm.read_stdin_line().ok()??;
    if echo {
        vm.write_stdout(&line);
        vm.write_stdout(b"\n");
        vm.flush();
    }
    if first_line && line.first() == Some(&b'=') {
        line.splice(..1, b"return ".iter().copied());
    }
    Some(line)
}

/// Reads lines until they make a chunk that compiles or fails other than by ending
/// early (5.1's `loadline`); `None` at end of input.
fn read_chunk<C: Collector<LuaModel>>(vm: &mut Vm<C>, echo: bool) -> Option<Result<Value, String>> {
    let mut chunk = read_line(vm, true, echo)?;
    loop {
        let options = CompileOptions {
            skip_shebang: false,
            c_call_depth: 1,
        };
        match vm.load(&chunk, "=stdin", options) {
            Ok(Ok(f)) => return Some(Ok(f)),
            Ok(Err(msg)) if msg.ends_with(EOF_MARK) => {
                let more = read_line(vm, false, echo)?;
                chunk.push(b'\n');
                chunk.extend_from_slice(&more);
            }
            Ok(Err(msg)) => return Some(Err(String::from_utf8_lossy(&msg).into_owned())),
            Err(_) => return Some(Err(vm.error_string())),
        }
    }
}
