//! A Lua 5.1 virtual machine over `gc-core`'s collectors.
//!
//! So far this holds the compiler front end (`compiler`), which turns Lua source into
//! register bytecode without touching the heap: the VM materialises a compiled
//! [`compiler::Proto`] tree into heap objects when it loads a chunk.

pub mod compiler;
