//! Full userdata. Lua programs can only create them with `newproxy`, which carry an
//! identity and a metatable; the libraries' own userdata (the io library's file
//! handles) also carry a tag, a number naming the native state they stand for (which
//! cannot live in the heap: the collector frees blocks without running Rust code).
//!
//! Invariant: `metatable` is `None` or a live table.
//!
//! Write barrier (see `crate::heap`): none is needed. The metatable is written at
//! creation, before the next allocation, and never again: there is no `debug.setmetatable`
//! and `setmetatable` only takes tables; userdata have no environment and no payload. A
//! setter added later must run `Heap::barrier` on the userdata first.

use gc_core::{Collector, GcHeader, ObjectRef, OutOfMemory, Tracer};

use super::KIND_USERDATA;
use crate::heap::Heap;
use crate::model::LuaModel;
use crate::object::table::TableRef;
use crate::roots::VmRoots;

/// A reference to a userdata.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Hash)]
#[repr(transparent)]
pub struct UserdataRef(pub(crate) ObjectRef);

#[repr(C)]
struct Userdata {
    header: GcHeader,
    metatable: Option<TableRef>,
    tag: u64,
}

impl UserdataRef {
    fn raw(self) -> *mut Userdata {
        self.0.as_ptr() as *mut Userdata
    }

    /// A new userdata with the given metatable (rooted by the caller) and tag 0.
    pub fn new<C: Collector<LuaModel>>(
        heap: &mut Heap<C>,
        roots: &mut VmRoots,
        metatable: Option<TableRef>,
    ) -> Result<UserdataRef, OutOfMemory> {
        Self::tagged(heap, roots, metatable, 0)
    }

    /// A new userdata with the given metatable (rooted by the caller) and tag.
    pub fn tagged<C: Collector<LuaModel>>(
        heap: &mut Heap<C>,
        roots: &mut VmRoots,
        metatable: Option<TableRef>,
        tag: u64,
    ) -> Result<UserdataRef, OutOfMemory> {
        let obj = heap.alloc_object(KIND_USERDATA, std::mem::size_of::<Userdata>(), roots)?;
        let ud = UserdataRef(obj);
        // SAFETY: a fresh userdata-sized block; its fields are written at once.
        unsafe {
            std::ptr::addr_of_mut!((*ud.raw()).metatable).write(metatable);
            std::ptr::addr_of_mut!((*ud.raw()).tag).write(tag);
        }
        Ok(ud)
    }

    /// The tag given at creation.
    pub fn tag(self) -> u64 {
        // SAFETY: a UserdataRef points at a live, initialised userdata.
        unsafe { (*self.raw()).tag }
    }

    /// The metatable.
    pub fn metatable(self) -> Option<TableRef> {
        // SAFETY: a UserdataRef points at a live, initialised userdata.
        unsafe { (*self.raw()).metatable }
    }

    pub(crate) fn trace<T: Tracer>(self, tracer: &mut T) {
        if let Some(mt) = self.metatable() {
            tracer.mark(mt.0);
        }
    }
}
