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
//! - A handle type reads and writes its object's fields through the raw pointer, as
//!   places (`raw_fields!`), never through a `&`/`&mut` of unbounded lifetime: such a
//!   reference could be held across an allocation, which may run a collector step that
//!   reads the object (or clears its weak entries, or frees it if it is unreachable).
//!
//! The handle types are `pub(crate)` (the module is): a handle is `Copy` and carries no
//! lifetime, and its safe accessors trust the VM's rooting discipline, which only code
//! in this crate keeps. The crate is their trusted base; outside it programs run through
//! `crate::embed` and `crate::standalone`, which hand out owned data only.

/// Field accessors for a handle type with a `fn raw(self) -> *mut Struct`: for each
/// `field: Type, getter[, setter];`, a getter that copies the field out and, if named, a
/// setter that writes it, both through the raw pointer as a place, making no reference
/// to the object's memory.
macro_rules! raw_fields {
    ($($field:ident: $ty:ty, $get:ident $(, $set:ident)?;)*) => {$(
        #[inline(always)]
        fn $get(self) -> $ty {
            // SAFETY: a handle points at a live, initialised object of its kind (module
            // invariant of `crate::object`).
            unsafe { (*self.raw()).$field }
        }

        $(
            #[inline(always)]
            fn $set(self, value: $ty) {
                // SAFETY: as for the read; the VM is single-threaded and collectors read
                // its objects only inside an allocation or a step, never during this
                // write; the field's type has no destructor.
                unsafe { (*self.raw()).$field = value }
            }
        )?
    )*};
}

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
