//! The Lua 5.1 compiler front end: source bytes in, a tree of [`Proto`]s out.
//!
//! It is a port of PUC-Rio Lua 5.1's single-pass compiler (`llex.c`, `lparser.c`,
//! `lcode.c`) and aims to emit bit-identical bytecode and byte-identical syntax error
//! messages; the test fixtures under `testdata/` check this against Debian's `luac5.1`.
//! Nothing here touches a heap or a collector: constants are plain Rust values and the
//! VM turns the finished tree into heap objects when it loads a chunk.
//!
//! Invariant: a successful compilation always yields a main function whose
//! `line_defined` is 0 and that is vararg; a failed one yields the exact message lua5.1
//! would report, with no partial output.

mod code;
mod debug;
pub mod disasm;
mod lexer;
pub mod opcodes;
mod parser;
mod proto;
mod token;
pub mod verify;

use std::fmt;

pub use debug::{describe_register, local_name};
pub use proto::{Constant, LocalVar, Proto};

/// A compile-time error, carrying the message exactly as lua5.1 formats it (for example
/// `script.lua:3: unexpected symbol near '+'`), without any program-name prefix.
/// The message is bytes because it can quote source text, which need not be UTF-8.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    message: Vec<u8>,
}

impl SyntaxError {
    fn new(message: Vec<u8>) -> Self {
        SyntaxError { message }
    }

    /// The message as lua5.1 would print it; a VM raises exactly these bytes as the
    /// error value of `load`/`loadstring`.
    pub fn message(&self) -> &[u8] {
        &self.message
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.message))
    }
}

impl std::error::Error for SyntaxError {}

/// How a chunk is loaded: the differences between `luaL_loadfile` and `loadstring`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompileOptions {
    /// Skip a first line starting with `#` (a Unix shebang), keeping line numbers, as
    /// `luaL_loadfile` does; `loadstring` does not.
    pub skip_shebang: bool,
    /// C-call nesting depth (`L->nCcalls`) at which the parser starts. Syntax nesting and
    /// assignment-target limits count against the 200 of `LUAI_MAXCCALLS`, so this
    /// decides exactly where "chunk has too many syntax levels" is reported. The
    /// standalone `lua5.1` and `luac5.1` load files at depth 1.
    pub c_call_depth: u32,
}

impl Default for CompileOptions {
    /// The options of `lua5.1 script.lua` / `luac5.1 script.lua`.
    fn default() -> Self {
        CompileOptions {
            skip_shebang: true,
            c_call_depth: 1,
        }
    }
}

/// 5.1's `luaO_chunkid` as run-time messages and debug information use it (`short_src`,
/// `LUA_IDSIZE` = 60 bytes): the display name of a chunk named `source` (`=name` shown
/// as is, `@file` as the file name, anything else as `[string "first line..."]`).
pub fn chunk_id(source: &[u8]) -> String {
    chunk_id_within(source, 60)
}

/// The chunk name in syntax errors: 5.1's lexer calls `luaO_chunkid` with a longer
/// buffer (`MAXSRC` = 80 bytes).
pub fn syntax_chunk_id(source: &[u8]) -> String {
    chunk_id_within(source, 80)
}

/// `luaO_chunkid` into a buffer of `idsize` bytes.
fn chunk_id_within(source: &[u8], idsize: usize) -> String {
    if let Some(rest) = source.strip_prefix(b"=") {
        let n = rest.len().min(idsize - 1);
        return String::from_utf8_lossy(&rest[..n]).into_owned();
    }
    if let Some(rest) = source.strip_prefix(b"@") {
        let budget = idsize - " '...' ".len() - 1;
        if rest.len() > budget {
            let tail = &rest[rest.len() - budget..];
            return format!("...{}", String::from_utf8_lossy(tail));
        }
        return String::from_utf8_lossy(rest).into_owned();
    }
    let budget = idsize - " [string \"...\"] ".len() - 1;
    let line_end = source
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(source.len());
    let len = line_end.min(budget);
    if len < source.len() {
        format!(
            "[string \"{}...\"]",
            String::from_utf8_lossy(&source[..len])
        )
    } else {
        format!("[string \"{}\"]", String::from_utf8_lossy(source))
    }
}

/// Compiles a script file as lua5.1 does: the chunk is named `@file_name` (shown as
/// `file_name` in messages), and a `#` first line is skipped.
pub fn compile(source: &[u8], file_name: &str) -> Result<Proto, SyntaxError> {
    compile_with(source, &format!("@{file_name}"), CompileOptions::default())
}

/// Compiles a chunk with explicit [`CompileOptions`] (e.g. for `loadstring`).
/// `chunk_name` is 5.1's chunk name, kept as the prototypes' `source` (`@file`,
/// `=name`, or the code itself); messages show its `chunk_id`.
pub fn compile_with(
    source: &[u8],
    chunk_name: &str,
    options: CompileOptions,
) -> Result<Proto, SyntaxError> {
    if options.skip_shebang && source.first() == Some(&b'#') {
        // luaL_loadfile drops the first line but feeds a '\n' in its place.
        let rest = match source.iter().position(|&b| b == b'\n') {
            Some(nl) => &source[nl + 1..],
            None => &[],
        };
        let mut patched = Vec::with_capacity(rest.len() + 1);
        patched.push(b'\n');
        patched.extend_from_slice(rest);
        return parser::Parser::parse_chunk(&patched, chunk_name, options.c_call_depth);
    }
    parser::Parser::parse_chunk(source, chunk_name, options.c_call_depth)
}
