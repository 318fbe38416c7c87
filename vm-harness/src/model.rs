//! The object model gc-core traces: one kind byte per object type, and a trace function
//! per kind that reports every reference the object holds (leaf blocks first, then the
//! references stored inside them). Tables with a weak `__mode` are the only weak objects.
//!
//! Threads are the only stacks (`is_stack`): the running thread's value slots and frames
//! are written without the write barrier, so incremental collectors trace it again,
//! whole (stack, frames and header fields), in the atomic phase; a thread that stops
//! running, or is written while another runs, takes the barrier. Every other
//! object follows the barrier invariant of [`crate::heap`]: each store of a reference
//! into it after its initialisation runs `Heap::barrier` on it first.

use gc_core::{Liveness, ObjectModel, ObjectRef, Tracer, Weakness};

use crate::object::closure::{LuaClosureRef, NativeClosureRef};
use crate::object::proto::ProtoRef;
use crate::object::table::TableRef;
use crate::object::thread::ThreadRef;
use crate::object::upvalue::UpvalRef;
use crate::object::userdata::UserdataRef;
use crate::object::{
    KIND_LUA_CLOSURE, KIND_NATIVE_CLOSURE, KIND_PROTO, KIND_TABLE, KIND_THREAD, KIND_UPVALUE,
    KIND_USERDATA,
};

/// The Lua object model.
pub struct LuaModel;

// SAFETY: each kind's trace (in its object module) reports exactly the heap references
// the object holds: its leaf blocks and the references stored in them or inline. Its
// owned leaves are the blocks allocated with `Heap::alloc_owned_leaf`, installed in it
// alone. Weak tables report their strong part in trace_weak and clear dead entries in
// clear_weak.
// Only threads, whose stores skip the barrier, are reported as stacks.
unsafe impl ObjectModel for LuaModel {
    /// Tables, most of what is traced, are told apart where the collector calls this,
    /// so that their trace is the only call: the dispatch over the other kinds sets up a
    /// frame for the biggest of them.
    #[inline(always)]
    unsafe fn trace<T: Tracer>(obj: ObjectRef, tracer: &mut T) {
        // SAFETY: the collector only traces live, initialised traversable objects.
        let kind = unsafe { obj.header() }.kind();
        if kind == KIND_TABLE {
            TableRef(obj).trace(tracer);
        } else {
            trace_other(kind, obj, tracer);
        }
    }

    unsafe fn owned_leaves<F: FnMut(ObjectRef)>(obj: ObjectRef, f: &mut F) {
        // SAFETY: the collector only asks about initialised traversable objects; each
        // kind's function reads only the object's own fields.
        let kind = unsafe { obj.header() }.kind();
        match kind {
            KIND_TABLE => TableRef(obj).owned_leaves(f),
            KIND_PROTO => ProtoRef(obj).owned_leaves(f),
            KIND_THREAD => ThreadRef(obj).owned_leaves(f),
            _ => {}
        }
    }

    #[inline(always)]
    unsafe fn is_stack(obj: ObjectRef) -> bool {
        // SAFETY: the collector only asks about live, initialised traversable objects.
        unsafe { obj.header() }.kind() == KIND_THREAD
    }

    #[inline(always)]
    unsafe fn shared_bytes_traversed(obj: ObjectRef) -> u64 {
        // SAFETY: the collector only asks about live, initialised traversable objects.
        if unsafe { obj.header() }.kind() == KIND_TABLE {
            TableRef(obj).shared_bytes_traversed()
        } else {
            0
        }
    }

    #[inline(always)]
    unsafe fn is_written_often(obj: ObjectRef) -> bool {
        // SAFETY: the collector only asks about live, initialised traversable objects.
        unsafe { obj.header() }.kind() == KIND_TABLE
    }

    unsafe fn part_count(obj: ObjectRef) -> usize {
        // SAFETY: the collector only asks about live, initialised traversable objects.
        if unsafe { obj.header() }.kind() == KIND_TABLE {
            TableRef(obj).part_count()
        } else {
            1
        }
    }

    unsafe fn trace_parts<T: Tracer>(
        obj: ObjectRef,
        parts: std::ops::Range<usize>,
        tracer: &mut T,
    ) {
        // SAFETY: as for `part_count`.
        if unsafe { obj.header() }.kind() == KIND_TABLE {
            TableRef(obj).trace_parts(parts, tracer);
        } else if parts.start == 0 {
            // SAFETY: forwarded from the caller.
            unsafe { Self::trace(obj, tracer) };
        }
    }

    #[inline(always)]
    unsafe fn weakness(obj: ObjectRef) -> Weakness {
        // SAFETY: the collector only asks about live, initialised traversable objects.
        if unsafe { obj.header() }.kind() == KIND_TABLE {
            TableRef(obj).weakness()
        } else {
            Weakness::Strong
        }
    }

    unsafe fn trace_weak<T: Tracer + Liveness>(obj: ObjectRef, weakness: Weakness, tracer: &mut T) {
        // Only tables are ever weak (see `weakness`).
        TableRef(obj).trace_weak(weakness, tracer)
    }

    unsafe fn clear_weak<L: Liveness>(obj: ObjectRef, weakness: Weakness, liveness: &L) {
        TableRef(obj).clear_weak(weakness, liveness)
    }
}

/// Traces an object of any kind but a table (see `LuaModel::trace`).
#[inline(never)]
fn trace_other<T: Tracer>(kind: u8, obj: ObjectRef, tracer: &mut T) {
    match kind {
        KIND_LUA_CLOSURE => LuaClosureRef(obj).trace(tracer),
        KIND_NATIVE_CLOSURE => NativeClosureRef(obj).trace(tracer),
        KIND_UPVALUE => UpvalRef(obj).trace(tracer),
        KIND_PROTO => ProtoRef(obj).trace(tracer),
        KIND_USERDATA => UserdataRef(obj).trace(tracer),
        KIND_THREAD => ThreadRef(obj).trace(tracer),
        _ => unreachable!("unknown object kind {kind}"),
    }
}
