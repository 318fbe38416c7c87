//! A Lua 5.1 virtual machine over `gc-core`'s collectors.
//!
//! Every Lua object lives in the heap of a collector chosen at run time; the VM is generic
//! over [`gc_core::Collector`], so the allocation fast path and the write barrier inline
//! into the interpreter.
//!
//! The public API runs programs and hands back owned data only: [`standalone`] (the
//! `luagc` command, as lua.c is to liblua), [`Lua`] (a state an embedder feeds chunks and
//! reads globals and results from as [`LuaValue`]s), [`untrusted`] (bounded runs for the
//! fuzz targets), and the parts that touch no heap ([`compiler`], [`binary_chunk`],
//! [`text`], [`convert`]). The VM itself, its value type and its heap handles are
//! `pub(crate)`: a handle is a `Copy` pointer into the collector's heap, valid only while
//! the VM's rooting discipline keeps its object alive, so the crate is their trusted base
//! and no handle reaches safe code outside it.
//!
//! Layout:
//! - `compiler`: source to bytecode (5.1's, bit for bit), no heap involved, and the
//!   verifier of foreign bytecode; `binary_chunk` reads and writes 5.1's precompiled
//!   format.
//! - `value`, `object`: the value type and the heap objects, one file per kind;
//!   [`model`] tells the collector how to trace them, `roots` what to mark from.
//! - `heap`: the allocation front (collector plus GC-stress mode); [`alloc_counts`]
//!   counts what it allocates by kind.
//! - [`latency_json`]: the pause histograms and MMU curves `luagc --stats-json` writes.
//! - `vm`: the interpreter, calls, metamethods, errors and coroutines.
//! - `stdlib`: the standard libraries, one file each.
//! - [`embed`], [`standalone`], [`untrusted`]: the ways in, described above.
//! - `text`: Lua's text algorithms (patterns, `string.format`, number conversions);
//!   `convert` adapts its number conversions to the VM's buffers.

pub mod alloc_counts;
pub mod binary_chunk;
pub mod compiler;
pub mod convert;
pub mod embed;
pub(crate) mod heap;
pub mod latency_json;
pub mod model;
pub(crate) mod object;
pub(crate) mod roots;
pub mod standalone;
pub(crate) mod stdlib;
pub(crate) mod stress_pins;
pub mod text;
pub mod untrusted;
pub(crate) mod value;
pub(crate) mod vm;

#[cfg(test)]
mod tests;

pub use embed::{Lua, LuaError, LuaValue};
pub use vm::VmOptions;
