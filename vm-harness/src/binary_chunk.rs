//! Binary chunks in Lua 5.1's precompiled format (`lundump.c`/`ldump.c`) for x86-64:
//! `string.dump` writes them and `load`/`loadstring` read them back.
//!
//! Invariants: the header is 5.1's for a little-endian machine with 4-byte `int`, 8-byte
//! `size_t`, 4-byte instructions and 8-byte floating-point numbers, so our chunks load in
//! `lua5.1`. Sources are stored as `=NAME` with the display name, and a loaded source
//! goes through `luaO_chunkid` again, so names round-trip. A chunk read back has passed
//! the bytecode verifier ([`verify::check`], 5.1's `luaG_checkcode`), so `load` may run
//! any chunk, ours or `luac5.1`'s, and foreign bytecode cannot address memory outside
//! its function.

use crate::compiler::{verify, Constant, LocalVar, Proto};
use crate::vm::MAX_CCALLS;

/// The 12-byte header of 5.1 chunks on x86-64.
const HEADER: [u8; 12] = [0x1b, b'L', b'u', b'a', 0x51, 0, 1, 4, 8, 4, 8, 0];

/// 5.1's `VARARG_HASARG`, `VARARG_ISVARARG` and `VARARG_NEEDSARG` bits.
const HASARG: u8 = 1;
const ISVARARG: u8 = 2;
const NEEDSARG: u8 = 4;

/// Whether `bytes` start like a binary chunk (5.1 checks the escape byte only).
pub fn is_binary(bytes: &[u8]) -> bool {
    bytes.first() == Some(&0x1b)
}

/// Serialises a prototype tree (`string.dump`).
pub fn dump(p: &Proto) -> Vec<u8> {
    let mut out = HEADER.to_vec();
    dump_function(p, None, &mut out);
    out
}

fn dump_int(n: usize, out: &mut Vec<u8>) {
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

fn dump_string(s: Option<&[u8]>, out: &mut Vec<u8>) {
    match s {
        None => out.extend_from_slice(&0u64.to_le_bytes()),
        Some(bytes) => {
            out.extend_from_slice(&(bytes.len() as u64 + 1).to_le_bytes());
            out.extend_from_slice(bytes);
            out.push(0);
        }
    }
}

fn dump_function(p: &Proto, parent_source: Option<&str>, out: &mut Vec<u8>) {
    let inherited = parent_source == Some(p.source.as_str());
    dump_string((!inherited).then_some(p.source.as_bytes()), out);
    dump_int(p.line_defined as usize, out);
    dump_int(p.last_line_defined as usize, out);
    out.push(p.upvalue_names.len() as u8);
    out.push(p.num_params);
    let mut vararg = 0;
    if p.is_vararg {
        vararg |= ISVARARG;
        if p.needs_arg {
            vararg |= HASARG | NEEDSARG;
        }
    }
    out.push(vararg);
    out.push(p.max_stack_size);
    dump_int(p.code.len(), out);
    for i in &p.code {
        out.extend_from_slice(&i.to_le_bytes());
    }
    dump_int(p.constants.len(), out);
    for c in &p.constants {
        match c {
            Constant::Nil => out.push(0),
            Constant::Boolean(b) => {
                out.push(1);
                out.push(u8::from(*b));
            }
            Constant::Number(n) => {
                out.push(3);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Constant::String(s) => {
                out.push(4);
                dump_string(Some(s), out);
            }
        }
    }
    dump_int(p.protos.len(), out);
    for child in &p.protos {
        dump_function(child, Some(&p.source), out);
    }
    dump_int(p.line_info.len(), out);
    for line in &p.line_info {
        dump_int(*line as usize, out);
    }
    dump_int(p.local_vars.len(), out);
    for var in &p.local_vars {
        dump_string(Some(var.name.as_bytes()), out);
        dump_int(var.start_pc as usize, out);
        dump_int(var.end_pc as usize, out);
    }
    dump_int(p.upvalue_names.len(), out);
    for name in &p.upvalue_names {
        dump_string(Some(name.as_bytes()), out);
    }
}

/// Reads a binary chunk back into a verified prototype tree. `c_call_depth` is the C-call
/// nesting at which reading starts (as for [`crate::compiler::CompileOptions`]): each
/// nested function counts against 5.1's `LUAI_MAXCCALLS`, which bounds the reader's
/// recursion. Errors carry 5.1's messages ("bad header in precompiled chunk", "unexpected
/// end in precompiled chunk", "code too deep in precompiled chunk", "bad code in
/// precompiled chunk").
pub fn undump(bytes: &[u8], c_call_depth: u32) -> Result<Proto, String> {
    if bytes.len() < HEADER.len() || bytes[..HEADER.len()] != HEADER {
        return Err("bad header in precompiled chunk".to_owned());
    }
    let mut r = Reader {
        bytes,
        at: HEADER.len(),
        depth: c_call_depth,
    };
    let p = r
        .function("=?")
        .map_err(|e| format!("{e} in precompiled chunk"))?;
    verify::check(&p).map_err(|_| "bad code in precompiled chunk".to_owned())?;
    Ok(p)
}

/// Why a chunk cannot be read: the first words of 5.1's message.
type ReadResult<T> = Result<T, &'static str>;

/// 5.1's `LoadBlock` error, for every read past the end.
const TRUNCATED: &str = "unexpected end";

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// The C-call depth of the function being read (5.1's `nCcalls`).
    depth: u32,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> ReadResult<&[u8]> {
        let end = self.at.checked_add(n).ok_or(TRUNCATED)?;
        let slice = self.bytes.get(self.at..end).ok_or(TRUNCATED)?;
        self.at = end;
        Ok(slice)
    }

    fn byte(&mut self) -> ReadResult<u8> {
        self.take(1).map(|b| b[0])
    }

    fn int(&mut self) -> ReadResult<u32> {
        self.take(4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
    }

    /// 5.1's `LoadInt`: an `int` field, which may not be negative.
    fn load_int(&mut self) -> ReadResult<u32> {
        let n = self.int()?;
        if n > i32::MAX as u32 {
            return Err("bad integer");
        }
        Ok(n)
    }

    /// A count of items that each take at least a byte: more than the chunk's length
    /// is a truncated chunk (and no allocation is sized by an unchecked count).
    fn count(&mut self) -> ReadResult<usize> {
        let n = self.load_int()? as usize;
        if n <= self.bytes.len() {
            Ok(n)
        } else {
            Err(TRUNCATED)
        }
    }

    fn string(&mut self) -> ReadResult<Option<Vec<u8>>> {
        let len = u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes"));
        if len == 0 {
            return Ok(None);
        }
        let len = usize::try_from(len).map_err(|_| TRUNCATED)?;
        let s = self.take(len)?;
        Ok(Some(s[..len - 1].to_vec()))
    }

    fn function(&mut self, parent_source: &str) -> ReadResult<Proto> {
        self.depth += 1;
        if self.depth > MAX_CCALLS {
            return Err("code too deep");
        }
        let p = self.function_body(parent_source);
        self.depth -= 1;
        p
    }

    fn function_body(&mut self, parent_source: &str) -> ReadResult<Proto> {
        let source = match self.string()? {
            Some(s) => String::from_utf8_lossy(&s).into_owned(),
            None => parent_source.to_owned(),
        };
        let mut p = Proto::new(&source, self.load_int()?);
        p.last_line_defined = self.load_int()?;
        let nups = self.byte()?;
        p.num_params = self.byte()?;
        let vararg = self.byte()?;
        p.is_vararg = vararg & ISVARARG != 0;
        p.needs_arg = vararg & NEEDSARG != 0;
        p.max_stack_size = self.byte()?;
        // The format does not say which registers the code expects nil: all of them,
        // as 5.1 provides.
        p.nil_registers = p.max_stack_size;
        let n = self.count()?;
        p.code = (0..n).map(|_| self.int()).collect::<ReadResult<_>>()?;
        let n = self.count()?;
        for _ in 0..n {
            let c = match self.byte()? {
                0 => Constant::Nil,
                1 => Constant::Boolean(self.byte()? != 0),
                3 => Constant::Number(f64::from_le_bytes(
                    self.take(8)?.try_into().expect("8 bytes"),
                )),
                4 => Constant::String(self.string()?.unwrap_or_default()),
                _ => return Err("bad constant"),
            };
            p.constants.push(c);
        }
        let n = self.count()?;
        for _ in 0..n {
            let child = self.function(&source)?;
            p.protos.push(child);
        }
        let n = self.count()?;
        p.line_info = (0..n).map(|_| self.int()).collect::<ReadResult<_>>()?;
        let n = self.count()?;
        for _ in 0..n {
            let name = String::from_utf8_lossy(&self.string()?.unwrap_or_default()).into_owned();
            let start_pc = self.load_int()?;
            let end_pc = self.load_int()?;
            p.local_vars.push(LocalVar {
                name,
                start_pc,
                end_pc,
            });
        }
        let n = self.count()?;
        for _ in 0..n {
            let name = self.string()?.unwrap_or_default();
            p.upvalue_names
                .push(String::from_utf8_lossy(&name).into_owned());
        }
        if p.upvalue_names.len() != usize::from(nups) {
            p.upvalue_names.resize(usize::from(nups), String::new());
        }
        if p.line_info.len() != p.code.len() {
            p.line_info.resize(p.code.len(), 0);
        }
        Ok(p)
    }
}
