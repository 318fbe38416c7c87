//! A Lua 5.1 virtual machine over `gc-core`'s collectors.
//!
//! Every Lua object lives in the heap of a collector chosen at run time; the VM is generic
//! over [`gc_core::Collector`], so the allocation fast path and the write barrier inline
//! into the interpreter. Layout:
//! - [`compiler`]: source to bytecode (5.1's, bit for bit), no heap involved, and the
//!   verifier of foreign bytecode; [`binary_chunk`] reads and writes 5.1's precompiled
//!   format.
//! - [`value`], [`object`]: the value type and the heap objects, one file per kind;
//!   [`model`] tells the collector how to trace them, [`roots`] what to mark from.
//! - [`heap`]: the allocation front (collector plus GC-stress mode); [`alloc_counts`]
//!   counts what it allocates by kind.
//! - [`latency_json`]: the pause histograms and MMU curves `luagc --stats-json` writes.
//! - [`vm`]: the interpreter, calls, metamethods, errors and coroutines.
//! - [`stdlib`]: the standard libraries, one file each.
//! - [`untrusted`]: running untrusted chunks within bounds (the fuzz targets).
//! - [`text`]: Lua's text algorithms (patterns, `string.format`, number conversions);
//!   [`convert`] adapts its number conversions to the VM's buffers.

pub mod alloc_counts;
pub mod binary_chunk;
pub mod compiler;
pub mod convert;
pub mod heap;
pub mod latency_json;
pub mod model;
pub mod object;
pub mod roots;
pub mod stdlib;
pub mod stress_pins;
pub mod text;
pub mod untrusted;
pub mod value;
pub mod vm;
