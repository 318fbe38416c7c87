//! Upvalues: a variable shared between closures. While open it lives in a thread's stack
//! slot; when its scope ends it is closed, copying the value into the upvalue itself.
//!
//! Invariants:
//! - Open: `v` points at stack slot `index` of `thread`'s current stack block (the thread
//!   re-points it when the stack moves), and `thread` keeps that thread alive.
//! - Closed: `v` points at `closed` inside this object (objects never move) and `thread`
//!   is `None`.
//! - A thread's open upvalues form a list through `next`, sorted by decreasing `index`,
//!   with at most one upvalue per slot, so all closures of a frame share it.
//!
//! Write barrier (see `crate::heap`): `new_open` writes every field before the next
//! allocation. Later stores of references run `Heap::barrier` on the upvalue: `set` of a
//! closed upvalue, `set_next` (open-list links) and `close`, which copies the stack value
//! into `closed`. `set` of an open upvalue writes its thread's stack slot, which needs
//! none (threads are stacks). `repoint` needs none: `v` is a slot address the collector
//! never reads (an open upvalue's value is traced through its thread).

use gc_core::{Collector, GcHeader, ObjectRef, OutOfMemory, Tracer};

use super::KIND_UPVALUE;
use crate::heap::Heap;
use crate::model::LuaModel;
use crate::object::thread::ThreadRef;
use crate::roots::VmRoots;
use crate::value::Value;

/// A reference to an upvalue.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
#[repr(transparent)]
pub struct UpvalRef(pub(crate) ObjectRef);

#[repr(C)]
struct Upvalue {
    header: GcHeader,
    v: *mut Value,
    closed: Value,
    thread: Option<ThreadRef>,
    next: Option<UpvalRef>,
    index: usize,
}

impl UpvalRef {
    #[inline(always)]
    fn raw(self) -> *mut Upvalue {
        self.0.as_ptr() as *mut Upvalue
    }

    /// A new open upvalue for slot `index` of `thread`, whose stack slot is `slot`,
    /// linked before `next`.
    pub fn new_open<C: Collector<LuaModel>>(
        heap: &mut Heap<C>,
        roots: &mut VmRoots,
        thread: ThreadRef,
        index: usize,
        next: Option<UpvalRef>,
    ) -> Result<UpvalRef, OutOfMemory> {
        let obj = heap.alloc_object(KIND_UPVALUE, std::mem::size_of::<Upvalue>(), roots)?;
        let uv = UpvalRef(obj);
        // SAFETY: a fresh upvalue-sized block, initialised field by field at once; the
        // slot pointer is taken after the allocation, which cannot move the stack.
        unsafe {
            let p = uv.raw();
            std::ptr::addr_of_mut!((*p).v).write(thread.slot_ptr(index));
            std::ptr::addr_of_mut!((*p).closed).write(Value::Nil);
            std::ptr::addr_of_mut!((*p).thread).write(Some(thread));
            std::ptr::addr_of_mut!((*p).next).write(next);
            std::ptr::addr_of_mut!((*p).index).write(index);
        }
        Ok(uv)
    }

    /// The variable's value.
    #[inline(always)]
    pub fn get(self) -> Value {
        // SAFETY: `v` points at the open stack slot or at `closed` (module invariant).
        unsafe { *(*self.raw()).v }
    }

    /// Assigns the variable. Open upvalues write the thread's stack (exempt from the
    /// barrier: stacks are rescanned); closed ones run the barrier on the upvalue.
    #[inline(always)]
    pub fn set<C: Collector<LuaModel>>(self, heap: &mut Heap<C>, value: Value) {
        // SAFETY: as in `get`.
        unsafe {
            let p = self.raw();
            if (*p).thread.is_none() {
                heap.barrier_pre(self.0, (*p).v);
                if let Some(obj) = value.object() {
                    heap.barrier_store(self.0, obj);
                }
            }
            *(*p).v = value;
        }
    }

    /// The stack slot index of an open upvalue.
    #[inline(always)]
    pub fn index(self) -> usize {
        // SAFETY: a live upvalue.
        unsafe { (*self.raw()).index }
    }

    /// The next open upvalue of the same thread.
    pub fn next(self) -> Option<UpvalRef> {
        // SAFETY: a live upvalue.
        unsafe { (*self.raw()).next }
    }

    /// Links the next open upvalue (list maintenance, with the write barrier).
    pub fn set_next<C: Collector<LuaModel>>(self, heap: &mut Heap<C>, next: Option<UpvalRef>) {
        // SAFETY: a live upvalue.
        let link = unsafe { std::ptr::addr_of!((*self.raw()).next) };
        // SAFETY: as above.
        heap.barrier_pre_ref(self.0, link, unsafe { *link }.map(|u| u.0));
        heap.barrier(self.0);
        // SAFETY: a live upvalue.
        unsafe { (*self.raw()).next = next }
    }

    /// Re-points an open upvalue at its slot after the stack moved to `stack`.
    ///
    /// # Safety
    /// `self` must be open and `stack` its thread's new stack block, holding slot `index`.
    pub unsafe fn repoint(self, stack: *mut Value) {
        // SAFETY: a live open upvalue; the caller guarantees `stack` holds slot `index`.
        unsafe { (*self.raw()).v = stack.add((*self.raw()).index) }
    }

    /// Closes the upvalue: copies the stack value in and detaches it from the thread.
    pub fn close<C: Collector<LuaModel>>(self, heap: &mut Heap<C>) {
        // SAFETY: a live open upvalue whose `v` still points at its stack slot.
        unsafe {
            let p = self.raw();
            let value = *(*p).v;
            // The thread and the list link are dropped: deletions.
            heap.barrier_pre_ref(
                self.0,
                std::ptr::addr_of!((*p).thread),
                (*p).thread.map(|t| t.0),
            );
            heap.barrier_pre_ref(
                self.0,
                std::ptr::addr_of!((*p).next),
                (*p).next.map(|u| u.0),
            );
            if let Some(obj) = value.object() {
                heap.barrier_store(self.0, obj);
            }
            (*p).closed = value;
            (*p).v = std::ptr::addr_of_mut!((*p).closed);
            (*p).thread = None;
            (*p).next = None;
        }
    }

    pub(crate) fn trace<T: Tracer>(self, tracer: &mut T) {
        let uv = self.raw();
        // SAFETY: a live upvalue being traced; its fields are read as places, with no
        // reference to them.
        let thread = unsafe { (*uv).thread };
        match thread {
            Some(thread) => tracer.mark(thread.0),
            // SAFETY: as above.
            None => unsafe { (*uv).closed }.trace(tracer),
        }
        // SAFETY: as above.
        if let Some(next) = unsafe { (*uv).next } {
            tracer.mark(next.0);
        }
    }
}
