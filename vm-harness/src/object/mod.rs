//! The heap object kinds, one file each. Every module here owns the layout of its
//! objects and is one of the few places that read or write heap memory directly.
//!
//! Invariants shared by all kinds:
//! - Traversable objects are `#[repr(C)]` structs starting with a `GcHeader` whose kind
//!   byte is one of the `KIND_*` constants below; variable-size parts are leaf blocks (or
//!   inline tails) that the owner's trace marks before the references inside them.
//! - A reference type (`TableRef`, `LuaStr`, ...) wraps an `ObjectRef` to a live,
//!   initialised object of its kind; the VM's rooting discipline keeps it live while used.
//! - Objects own no Rust heap memory: the collector frees blocks without destructors.

pub mod closure;
pub mod proto;
pub mod string;
pub mod table;
pub mod thread;
pub mod upvalue;
pub mod userdata;

/// Kind byte of tables.
pub const KIND_TABLE: u8 = 1;
/// Kind byte of Lua closures.
pub const KIND_LUA_CLOSURE: u8 = 2;
/// Kind byte of native closures.
pub const KIND_NATIVE_CLOSURE: u8 = 3;
/// Kind byte of upvalues.
pub const KIND_UPVALUE: u8 = 4;
/// Kind byte of function prototypes.
pub const KIND_PROTO: u8 = 5;
/// Kind byte of userdata.
pub const KIND_USERDATA: u8 = 6;
/// Kind byte of threads (coroutines).
pub const KIND_THREAD: u8 = 7;
