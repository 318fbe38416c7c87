//! luagc's command line as lua.c defines it (the manual's section 6), and the process-
//! level behaviour of the io and os libraries: each test runs the binary. Expected
//! outputs are lua5.1's for the same command, where lua5.1 behaves the same.

use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lua")
}

fn luagc() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_luagc"));
    command
        .current_dir(corpus_dir())
        .env_remove("LUA_INIT")
        .env_remove("LUA_PATH")
        .env_remove("LUA_CPATH");
    command
}

/// Runs luagc with `args` and `input` on standard input.
fn run_with_input(command: &mut Command, input: &[u8]) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run luagc");
    let mut stdin = child.stdin.take().expect("piped stdin");
    stdin.write_all(input).expect("write stdin");
    drop(stdin);
    child.wait_with_output().expect("wait for luagc")
}

fn run(args: &[&str]) -> Output {
    run_with_input(luagc().args(args), b"")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A scratch directory of its own for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("luagc-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

#[test]
fn dash_e_runs_chunks_in_order_before_the_script() {
    let out = run(&["-e", "x = 20", "-ey = x + 1", "-e", "print(x, y, arg)"]);
    assert_eq!(stdout(&out), "20\t21\tnil\n");
    assert!(out.status.success());
    let out = run(&["-e", "print(arg)", "arg_table.lua"]);
    assert!(
        stdout(&out).starts_with("nil\n"),
        "arg is set only for the script"
    );
    let out = run(&["-e", "error('boom')"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out).lines().next(),
        Some("luagc: (command line):1: boom")
    );
    let out = run(&["-e", "x = = 1"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out).lines().next(),
        Some("luagc: (command line):1: unexpected symbol near '='")
    );
}

#[test]
fn dash_l_requires_a_library() {
    let out = run(&[
        "-lmodules.mathx",
        "-e",
        "print(package.loaded['modules.mathx'] ~= nil)",
    ]);
    assert_eq!(stdout(&out), "true\n");
    let out = run(&[
        "-l",
        "modules.mathx",
        "-e",
        "print(type(package.loaded['modules.mathx']))",
    ]);
    assert_eq!(stdout(&out), "table\n");
    let out = run(&["-l", "nosuch", "-e", "print('not reached')"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out).lines().next(),
        Some("luagc: module 'nosuch' not found:")
    );
}

#[test]
fn dash_v_prints_a_version_line_and_stops() {
    let out = run_with_input(luagc().arg("-v"), b"print('stdin is not run')\n");
    assert!(out.status.success());
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(
        err.starts_with("luagc ") && err.contains("Lua 5.1"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
    let out = run(&["-v", "-e", "print(1)"]);
    assert_eq!(stdout(&out), "1\n");
}

#[test]
fn dash_runs_standard_input_with_arguments() {
    let script = b"#!/usr/bin/lua\nprint(arg[0], arg[-1] ~= nil, ...)\n";
    let out = run_with_input(luagc().args(["-", "a", "b"]), script);
    assert_eq!(stdout(&out), "-\ttrue\ta\tb\n");
    // Standard input that is not a terminal runs as a script when nothing else is given.
    let out = run_with_input(&mut luagc(), b"print('from stdin', arg)");
    assert_eq!(stdout(&out), "from stdin\tnil\n");
    let out = run_with_input(&mut luagc(), b"print(1");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out).lines().next(),
        Some("luagc: stdin:1: ')' expected near '<eof>'")
    );
}

#[test]
fn double_dash_ends_the_options() {
    let dir = scratch("double-dash");
    let script = dir.join("-e");
    std::fs::write(&script, "print('script named -e', ...)").unwrap();
    let out = luagc()
        .current_dir(&dir)
        .args(["--", "-e", "x"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "script named -e\tx\n");
    let out = run(&["--"]);
    assert!(out.status.success());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn unknown_options_print_the_usage_and_fail() {
    for bad in [
        &["-z"][..],
        &["-e"],
        &["-l"],
        &["-iv"],
        &["--no-such-option"],
    ] {
        let out = run(bad);
        assert_eq!(out.status.code(), Some(1), "{bad:?}");
        let err = stderr(&out);
        assert!(
            err.starts_with("usage: luagc [options] [script [args]].\nAvailable options are:\n  -e stat  execute string 'stat'\n"),
            "{bad:?}: {err}"
        );
        assert!(err.contains("--gc NAME") && err.contains("--stats-json FILE"));
    }
    let out = run(&["--gc-threads", "many"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("luagc: --gc-threads: 'many' is not a count\n"));
    let out = run(&["--help"]);
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("usage: luagc"));
}

#[test]
fn arg_holds_every_word_before_the_script_at_negative_indices() {
    let dir = scratch("arg");
    let script = dir.join("show.lua");
    std::fs::write(
        &script,
        "for i = -6, #arg do io.write(i, '=', tostring(arg[i]), ' ') end print(select('#', ...))",
    )
    .unwrap();
    let out = run(&["--gc=stw", "-e", "", "--", script.to_str().unwrap(), "one"]);
    let expected = format!(
        "-6=nil -5={} -4=--gc=stw -3=-e -2= -1=-- 0={} 1=one 1\n",
        env!("CARGO_BIN_EXE_luagc"),
        script.display()
    );
    assert_eq!(stdout(&out), expected);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn lua_init_runs_first() {
    let out = run_with_input(
        luagc().env("LUA_INIT", "x = 5").args(["-e", "print(x)"]),
        b"",
    );
    assert_eq!(stdout(&out), "5\n");
    let dir = scratch("init");
    let init = dir.join("init.lua");
    std::fs::write(&init, "print('from init file', ...)").unwrap();
    let out = run_with_input(
        luagc()
            .env("LUA_INIT", format!("@{}", init.display()))
            .args(["-e", "print(2)"]),
        b"",
    );
    assert_eq!(stdout(&out), "from init file\n2\n");
    let out = run_with_input(
        luagc()
            .env("LUA_INIT", "error('x')")
            .args(["-e", "print(1)"]),
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert_eq!(stderr(&out).lines().next(), Some("luagc: LUA_INIT:1: x"));
    std::fs::remove_dir_all(dir).unwrap();
}

/// lua5.1 -i on the same input prints exactly this on stdout (Debian's build echoes each
/// line after its prompt when stdin is not a terminal).
#[test]
fn interactive_prompt_through_piped_stdin() {
    let input = "x = 1\nprint(x\n)\n=x+1\nerror(\"boom\")\n= 1,2\nfor i=1,2 do\nprint(i)\nend\n_PROMPT=\"P> \"\nlocal y = \n3 print(y)\nreturn 5\n= nil\nreturn\nerror({})\n";
    let out = run_with_input(luagc().arg("-i"), input.as_bytes());
    let expected = "> x = 1\n> print(x\n>> )\n1\n> =x+1\n2\n> error(\"boom\")\n> = 1,2\n1\t2\n> for i=1,2 do\n>> print(i)\n>> end\n1\n2\n> _PROMPT=\"P> \"\nP> local y = \n>> 3 print(y)\n3\nP> return 5\n5\nP> = nil\nnil\nP> return\nP> error({})\nP> \n";
    assert_eq!(stdout(&out), expected);
    assert!(out.status.success());
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().filter(|l| !l.starts_with('\t')).collect();
    assert!(lines[0].starts_with("luagc "), "the version line: {err}");
    assert!(lines.contains(&"stdin:1: boom"), "{err}");
    assert!(lines.contains(&"(error object is not a string)"), "{err}");
    // -i after a script: the script runs first; an incomplete chunk at the end of input
    // is dropped.
    let out = run_with_input(
        luagc().args(["-i", "-e", "z = 7"]),
        b"=z\nfor i = 1, 2 do\n",
    );
    assert_eq!(stdout(&out), "> =z\n7\n> for i = 1, 2 do\n>> \n");
}

fn read_stats(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("stats written");
    serde_json::from_str(&text).expect("stats are JSON")
}

#[test]
fn statistics_are_written_on_every_exit_path() {
    let dir = scratch("stats");
    let json = dir.join("stats.json");
    let json_arg = json.to_str().unwrap();
    let out = run(&[
        "--stats",
        "--stats-json",
        json_arg,
        "-e",
        "x = {} os.exit(3)",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("luagc stats: collector newgc"));
    assert_eq!(read_stats(&json)["exit_code"], 3);
    let out = run(&["--stats-json", json_arg, "-e", "error('x')"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(read_stats(&json)["exit_code"], 1);
    let out = run(&["--stats-json", json_arg, "-e", "os.exit()"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(read_stats(&json)["exit_code"], 0);
    let out = run(&["--stats-json", json_arg, "-e", "print('done')"]);
    assert_eq!(stdout(&out), "done\n");
    assert_eq!(read_stats(&json)["exit_code"], 0);
    // A path that cannot be written is reported before anything runs.
    let out = run(&[
        "--stats-json",
        "/nonexistent/dir/stats.json",
        "-e",
        "print('ran')",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).starts_with("luagc: cannot write /nonexistent/dir/stats.json: "));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn os_exit_flushes_files_and_follows_5_1_argument_rules() {
    let dir = scratch("exit");
    let file = dir.join("out.txt");
    let chunk = format!(
        "local f = io.open('{}', 'w') f:write('kept') io.write('buffered') os.exit(2)",
        file.display()
    );
    let out = run(&["-e", &chunk]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "buffered");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "kept");
    let out = run(&["-e", "os.exit(true)"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out).lines().next(),
        Some("luagc: (command line):1: bad argument #1 to 'exit' (number expected, got boolean)")
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn gc_threads_beyond_the_machine_are_capped() {
    let out = run(&["--gc-threads", "100000", "-e", "print('ran')"]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), "ran\n");
    assert!(stderr(&out).contains("--gc-threads 100000 is more than"));
}

#[test]
fn print_into_a_closed_pipe_dies_of_sigpipe() {
    let mut child = luagc()
        .args(["-e", "for i = 1, 1000000 do print(i) end"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    out.read_exact(&mut first).unwrap();
    drop(out);
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(libc::SIGPIPE));
}

#[test]
fn writing_to_a_full_device_fails_after_the_flush() {
    let full = std::fs::File::create("/dev/full").expect("/dev/full");
    let out = luagc()
        .args([
            "-e",
            "for i = 1, 100000 do local ok, m, e = io.write('x') if not ok then io.stderr:write(m, ' ', e, '\\n') break end end",
        ])
        .stdout(full)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(stderr(&out), "No space left on device 28\n");
}

#[test]
fn package_paths_come_from_the_environment() {
    let out = run_with_input(
        luagc()
            .env("LUA_PATH", "first/?.lua;;last/?.lua")
            .env("LUA_CPATH", "c/?.so")
            .args(["-e", "print(package.path) print(package.cpath)"]),
        b"",
    );
    let text = stdout(&out);
    let mut lines = text.lines();
    let path = lines.next().unwrap();
    assert!(path.starts_with("first/?.lua;./?.lua;"), "{path}");
    assert!(
        path.ends_with(";/usr/share/lua/5.1/?/init.lua;last/?.lua"),
        "{path}"
    );
    assert_eq!(lines.next(), Some("c/?.so"));
    // A C library that exists cannot be loaded: 5.1's error without dynamic libraries.
    let dir = scratch("cpath");
    std::fs::write(dir.join("clib.so"), "not a library").unwrap();
    let out = luagc()
        .current_dir(&dir)
        .env("LUA_CPATH", "./?.so")
        .args([
            "-e",
            "print(pcall(require, 'clib')) print(pcall(require, 'clib.sub'))",
        ])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&out),
        "false\terror loading module 'clib' from file './clib.so':\n\tdynamic libraries not enabled; check your Lua installation\n\
         false\terror loading module 'clib.sub' from file './clib.so':\n\tdynamic libraries not enabled; check your Lua installation\n"
    );
    let out = run(&["-e", "print(package.loadlib('x.so', 'f'))"]);
    assert_eq!(
        stdout(&out),
        "nil\tdynamic libraries not enabled; check your Lua installation\tabsent\n"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn dates_use_the_local_time_zone() {
    let out = run_with_input(
        luagc().env("TZ", "EST5EDT,M3.2.0,M11.1.0").args([
            "-e",
            "print(os.time{year=2020,month=7,day=1,hour=0}, os.date('%Z %H', 0), os.date('*t', 1593576000).isdst, os.date('%H:%M %Z', 1593576000), os.time{year=2020,month=1,day=1,hour=0})",
        ]),
        b"",
    );
    assert_eq!(
        stdout(&out),
        "1593576000\tEST 19\ttrue\t00:00 EDT\t1577854800\n"
    );
}

/// lua.c reads its lines and `io.read` its input from the same `stdin` stream, so a
/// program reads the lines after the one that called it. (Debian's lua5.1 reads lines
/// with readline, past the stream's buffer: there `io.read` swallows the rest of piped
/// input, a quirk not reproduced.)
#[test]
fn io_read_shares_standard_input_with_the_prompt() {
    let out = run_with_input(
        luagc().arg("-i"),
        b"print(io.read('*n'), io.read())\n42 rest of line\n=io.read(3)\nabcdef\n",
    );
    assert_eq!(
        stdout(&out),
        "> print(io.read('*n'), io.read())\n42\t rest of line\n> =io.read(3)\nabc\n> def\n>> \n"
    );
}
