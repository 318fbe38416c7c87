//! Inputs that once crashed the VM or escaped its limits, where a corpus script cannot
//! pin the behaviour down (lua5.1 itself crashes, or the check is about the process:
//! panics, exit status, memory). (Finalizers at close and after a panic: the crate's
//! `tests::close`.)

use std::io::Write;
use std::process::{Command, Output, Stdio};

use gc_core::collectors::Stw;
use gc_core::{Collector, HeapConfig};
use vm_harness::model::LuaModel;
use vm_harness::{Lua, LuaValue, VmOptions};

fn lua() -> Lua<Stw<LuaModel>> {
    Lua::new(Stw::new(HeapConfig::default()), &VmOptions { gc_stress: 0 }).expect("boot")
}

/// Runs `source` and returns the global `result` as text.
fn result_of(lua: &mut Lua<Stw<LuaModel>>, source: &str) -> String {
    lua.run(source.as_bytes(), "=test").expect("runs");
    match lua.global("result").expect("result") {
        LuaValue::String(s) => String::from_utf8_lossy(&s).into_owned(),
        v => panic!("result is not a string: {v:?}"),
    }
}

#[test]
fn bit_tohex_widths_follow_luabitop_and_luajit_at_minus_2_pow_31() {
    let mut lua = lua();
    // lua5.1 with LuaBitOp crashes on -2^31 (its negation overflows); LuaJIT returns "".
    let cases = [
        ("bit.tohex(1, -2^31)", ""),
        ("bit.tohex(1, 2^31)", ""),
        ("bit.tohex(255, -3)", "0FF"),
        ("bit.tohex(255, 3)", "0ff"),
        ("bit.tohex(1, 100)", "00000001"),
        ("bit.tohex(1, -2^31 + 1)", "00000001"),
        ("bit.tohex(-1)", "ffffffff"),
        ("bit.tohex(1, 0)", ""),
    ];
    for (expr, expected) in cases {
        let got = result_of(&mut lua, &format!("result = {expr}"));
        assert_eq!(got, expected, "{expr}");
    }
}

/// Programs that build strings past any sensible heap from small inputs: each must end
/// in the catchable "not enough memory" (printed by its `pcall`), not an abort.
const BUFFER_BLOWUPS: &[(&str, &str)] = &[
    ("string.rep", "print(pcall(string.rep, 'x', 2^30))"),
    (
        "concatenation",
        "local s = 'x' print(pcall(function() for i = 1, 40 do s = s .. s end end))",
    ),
    (
        "table.concat",
        "local t = {} for i = 1, 300 do t[i] = string.rep('y', 1e6) end \
         print(pcall(table.concat, t, t[1]))",
    ),
    (
        "string.gsub",
        "print(pcall(string.gsub, string.rep('a', 1e6), 'a', string.rep('b', 1000)))",
    ),
    (
        "string.gsub %0",
        "print(pcall(string.gsub, string.rep('a', 2e5), '.+', string.rep('%0', 5000)))",
    ),
    (
        "string.format",
        "local s, t = string.rep('z', 3e7), {} for i = 1, 60 do t[i] = s end \
         print(pcall(string.format, string.rep('%s', 60), unpack(t)))",
    ),
    (
        "string.format %q",
        "local s = string.rep('\\0', 6e7) print(pcall(string.format, string.rep('%q', 6), s, s, s, s, s, s))",
    ),
];

/// Runs luagc on `-e chunk` with `options`, optionally under an address-space limit
/// (`ulimit -v`, in KB), with `stdin` as standard input.
fn luagc(chunk: &str, options: &[&str], ulimit_kb: Option<u64>, stdin: Stdio) -> Output {
    let luagc = env!("CARGO_BIN_EXE_luagc");
    let mut command = match ulimit_kb {
        Some(kb) => {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg(format!("ulimit -v {kb} && exec \"$0\" \"$@\""))
                .arg(luagc);
            c
        }
        None => Command::new(luagc),
    };
    command
        .args(options)
        .arg("-e")
        .arg(chunk)
        .stdin(stdin)
        .output()
        .expect("run luagc")
}

fn assert_caught_out_of_memory(what: &str, output: &Output) {
    let stdout = String::from_utf8_lossy(&output.stdout[..output.stdout.len().min(200)]);
    assert!(
        output.status.success() && stdout.starts_with("false\tnot enough memory"),
        "{what}: status {:?}, stdout {stdout:?}, stderr {}",
        output.status,
        String::from_utf8_lossy(&output.stderr[..output.stderr.len().min(2000)])
    );
}

#[test]
fn buffers_built_from_input_are_bounded_by_the_heap_limit() {
    for (what, chunk) in BUFFER_BLOWUPS {
        let output = luagc(chunk, &["--heap-limit", "100M"], None, Stdio::null());
        assert_caught_out_of_memory(what, &output);
    }
}

/// Without a heap limit, the system's refusal (an address-space limit, as containers
/// set) is the same catchable error.
#[test]
fn refused_allocations_are_lua_errors_under_an_address_space_limit() {
    for (what, chunk) in BUFFER_BLOWUPS {
        let output = luagc(chunk, &[], Some(1_500_000), Stdio::null());
        assert_caught_out_of_memory(what, &output);
    }
}

/// An endless line on standard input (`yes | tr -d '\n'`) read by `io.read`.
#[test]
fn an_endless_input_line_is_bounded_by_the_heap_limit() {
    for format in ["'*l'", "'*a'", "2^40"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_luagc"))
            .args(["--heap-limit", "64M", "-e"])
            .arg(format!("print(pcall(io.read, {format}))"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run luagc");
        let mut stdin = child.stdin.take().expect("stdin");
        let feeder = std::thread::spawn(move || {
            let block = [b'y'; 1 << 16];
            // Ends when luagc stops reading (a broken pipe).
            while stdin.write_all(&block).is_ok() {}
        });
        let output = child.wait_with_output().expect("wait");
        feeder.join().expect("feeder");
        assert_caught_out_of_memory(&format!("io.read({format})"), &output);
    }
}

/// Runs `chunk` as the fuzz targets do: stw, a 32 MB heap, `budget` units.
fn run_untrusted(chunk: &str, budget: u64) -> vm_harness::untrusted::Outcome {
    let config = HeapConfig {
        heap_limit: Some(32 << 20),
        ..HeapConfig::default()
    };
    vm_harness::untrusted::run(
        Stw::<LuaModel>::new(config),
        &VmOptions { gc_stress: 0 },
        chunk.as_bytes(),
        budget,
    )
    .expect("boots")
}

#[test]
fn the_instruction_budget_stops_every_kind_of_endless_program() {
    let endless = [
        "while true do end",
        "repeat until false",
        "for i = 1, math.huge do end",
        "local function f() return f() end f()",
        "local function f() f() f() end f()",
        "for _ in function() return 1 end do end",
        "while true do pcall(function() while true do end end) end",
        "while true do pcall(error) end",
        "local t = {} for i = 1, 1e9 do t[i % 100 + 1] = {} collectgarbage() end",
        "local co = coroutine.wrap(function() while true do coroutine.yield() end end) \
         while true do co() end",
        // Backtracking exponential in the lazy quantifiers, in one native call (5.1
        // takes as long): the matcher's steps are charged to the budget.
        "string.find(string.rep('a', 40), string.rep('a-', 30) .. 'b')",
        "string.match(string.rep('a', 40), string.rep('a-', 30) .. 'b')",
        "string.gsub(string.rep('a', 40), string.rep('a-', 30) .. 'b', '')",
        "for w in string.gmatch(string.rep('a', 40), string.rep('a-', 30) .. 'b') do end",
        "while true do string.find('aaaa', 'a-a-b') end",
        "while true do string.gsub('aaaaaaaa', '%a', '') end",
    ];
    for chunk in endless {
        let outcome = run_untrusted(chunk, 10_000);
        let error = outcome.error.unwrap_or_default();
        assert!(
            error.contains("instruction budget exhausted"),
            "{chunk}: {error:?}"
        );
    }
    let finite = "local s = 0 for i = 1, 1000 do s = s + i end result = tostring(s)";
    let outcome = run_untrusted(finite, 10_000);
    assert_eq!(outcome.error, None);
    assert_eq!(outcome.result.as_deref(), Some(&b"500500"[..]));
}

#[test]
fn untrusted_chunks_cannot_reach_the_host() {
    for chunk in [
        "os.exit(3)",
        "io.read()",
        "require('os')",
        "dofile('x')",
        "os.remove('x')",
    ] {
        let outcome = run_untrusted(chunk, 10_000);
        assert!(outcome.error.is_some(), "{chunk} ran");
    }
}
