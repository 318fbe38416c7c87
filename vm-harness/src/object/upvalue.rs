//! Upvalues: a variable shared between closures. While open it lives in a thread's stack
//! slot; when its scope ends it is closed, copying the value into the upvalue itself.
//!
//! Layout: 32 bytes, two cells: the header, `v`, and 16 bytes (`State`) that hold the
//! open state (`thread`, `next`) while open and the value (`closed`) once closed.
//!
//! Invariants:
//! - Closed exactly when `v` points at the upvalue's own `State` (objects never move, and
//!   an open upvalue's slot lies in a stack block, never in the upvalue): every reader
//!   decides open or closed by that test before reading `State`, the collector's trace
//!   included, so no field is ever read as a reference while it holds something else.
//! - Open: `v` points at a stack slot of `thread`'s current stack block (the thread
//!   re-points it when the stack moves), and `thread` keeps that thread alive. The slot's
//!   index is not stored: it is `v`'s offset in the stack block.
//! - Closed: `State` holds the value, which `v` points at.
//! - A thread's open upvalues form a list through `next`, sorted by decreasing slot
//!   address (one stack block: decreasing index), with at most one upvalue per slot, so
//!   all closures of a frame share it.
//!
//! Write barrier (see `crate::heap`): `new_open` writes every field before the next
//! allocation. Later stores of references run `Heap::barrier` on the upvalue: `set` of a
//! closed upvalue, `set_next` (open-list links) and `close`, which reports the thread and
//! the link it overwrites to the pre-write barrier and stores the stack value over them.
//! `set` of an open upvalue writes its thread's stack slot, which needs none (threads are
//! stacks). `repoint` needs none: `v` is a slot address, plain data to the collector
//! (its trace compares it, never follows it: an open upvalue's value is traced through
//! its thread).

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

/// An open upvalue's thread and list link.
#[repr(C)]
#[derive(Copy, Clone)]
struct Open {
    thread: ThreadRef,
    next: Option<UpvalRef>,
}

/// `open` while `v` points elsewhere, `closed` once `v` points here (module invariant).
#[repr(C)]
union State {
    open: Open,
    closed: Value,
}

#[repr(C)]
struct Upvalue {
    header: GcHeader,
    v: *mut Value,
    state: State,
}

const _: () = assert!(
    std::mem::size_of::<Upvalue>() == 32,
    "an upvalue is two cells"
);

impl UpvalRef {
    #[inline(always)]
    fn raw(self) -> *mut Upvalue {
        self.0.as_ptr() as *mut Upvalue
    }

    /// Where a closed upvalue keeps its value.
    #[inline(always)]
    fn closed_ptr(self) -> *mut Value {
        // SAFETY: a field of this live upvalue; no reference is made.
        unsafe { std::ptr::addr_of_mut!((*self.raw()).state) as *mut Value }
    }

    /// Whether the upvalue is open (module invariant).
    #[inline(always)]
    fn is_open(self) -> bool {
        self.slot() != self.closed_ptr()
    }

    /// The open state, read only after `is_open`.
    #[inline(always)]
    fn open(self) -> Open {
        debug_assert!(self.is_open());
        // SAFETY: the upvalue is open (the callers test it), so `state` holds `open`.
        unsafe { (*self.raw()).state.open }
    }

    /// A new open upvalue for slot `index` of `thread`, linked before `next`.
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
            std::ptr::addr_of_mut!((*p).state).write(State {
                open: Open { thread, next },
            });
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
        let v = self.slot();
        if v == self.closed_ptr() {
            // SAFETY: `v` is this closed upvalue's value, initialised.
            unsafe { heap.barrier_pre(self.0, v) };
            if let Some(obj) = value.object() {
                heap.barrier_store(self.0, obj);
            }
        } else {
            // The slot is in its thread's stack, which may not be the running one.
            heap.barrier(self.open().thread.0);
        }
        // SAFETY: `v` points at the open stack slot or at `closed` (module invariant).
        unsafe { *v = value }
    }

    /// Where the value is: an open upvalue's stack slot, which the open list is sorted by.
    #[inline(always)]
    pub fn slot(self) -> *mut Value {
        // SAFETY: a live upvalue.
        unsafe { (*self.raw()).v }
    }

    /// The next open upvalue of the same thread. The upvalue must be open.
    pub fn next(self) -> Option<UpvalRef> {
        assert!(self.is_open(), "the open-list link of a closed upvalue");
        self.open().next
    }

    /// Links the next open upvalue (list maintenance, with the write barrier). The
    /// upvalue must be open.
    pub fn set_next<C: Collector<LuaModel>>(self, heap: &mut Heap<C>, next: Option<UpvalRef>) {
        let old = self.next();
        // SAFETY: a field of this live upvalue; no reference is made.
        let link = unsafe { std::ptr::addr_of!((*self.raw()).state.open.next) };
        heap.barrier_pre_ref(self.0, link, old.map(|u| u.0));
        heap.barrier(self.0);
        // SAFETY: the upvalue is open (`next` checked it), so `state` holds `open`, and
        // writing one of its fields keeps it so.
        unsafe { (*self.raw()).state.open.next = next }
    }

    /// Re-points an open upvalue after its thread's stack moved from `old` to `new`.
    ///
    /// # Safety
    /// `self` must be open, its slot in the stack block at `old`, and `new` its thread's
    /// new stack block, holding at least as many slots.
    pub unsafe fn repoint(self, old: *const Value, new: *mut Value) {
        let index = (self.slot() as usize - old as usize) / std::mem::size_of::<Value>();
        // SAFETY: a live open upvalue; the caller guarantees `new` holds slot `index`.
        unsafe { (*self.raw()).v = new.add(index) }
    }

    /// Closes the upvalue: copies the stack value in and detaches it from the thread.
    /// The upvalue must be open.
    pub fn close<C: Collector<LuaModel>>(self, heap: &mut Heap<C>) {
        assert!(self.is_open(), "closing a closed upvalue");
        let Open { thread, next } = self.open();
        let p = self.raw();
        // SAFETY: a live open upvalue whose `v` points at its stack slot; the fields are
        // addressed as places, with no reference made.
        unsafe {
            let value = *(*p).v;
            // The thread and the list link are overwritten: deletions.
            heap.barrier_pre_ref(
                self.0,
                std::ptr::addr_of!((*p).state.open.thread),
                Some(thread.0),
            );
            heap.barrier_pre_ref(
                self.0,
                std::ptr::addr_of!((*p).state.open.next),
                next.map(|u| u.0),
            );
            if let Some(obj) = value.object() {
                heap.barrier_store(self.0, obj);
            }
            std::ptr::addr_of_mut!((*p).state).write(State { closed: value });
            (*p).v = self.closed_ptr();
        }
    }

    pub(crate) fn trace<T: Tracer>(self, tracer: &mut T) {
        if self.is_open() {
            let Open { thread, next } = self.open();
            tracer.mark(thread.0);
            if let Some(next) = next {
                tracer.mark(next.0);
            }
        } else {
            // SAFETY: closed (just tested), so `state` holds the value.
            unsafe { (*self.raw()).state.closed }.trace(tracer);
        }
    }
}
