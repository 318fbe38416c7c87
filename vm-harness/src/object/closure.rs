//! Closures: Lua functions (a prototype, an environment table and upvalues) and native
//! functions (an index into the VM's table of Rust functions plus upvalue values). The
//! upvalue arrays are inline tails of the closure objects.
//!
//! Invariants:
//! - Both kinds are created complete: the interpreter finds or creates every upvalue of
//!   a new Lua closure before allocating it, and a native closure's upvalue values are
//!   given at creation.
//! - The upvalue count is the header's user bits (`GcHeader::user`), written at creation
//!   and never changed; it fits them (Lua functions have at most 60 upvalues, the native
//!   ones the library makes at most 3; `new` checks). So a Lua closure is 24 bytes plus 8
//!   per upvalue (one upvalue: two cells), a native one 16 plus 16 per upvalue.
//!
//! Write barrier (see `crate::heap`): creation writes every field before the next
//! allocation, so it needs none; a Lua closure's prototype and upvalue slots never
//! change afterwards. The two later stores run `Heap::barrier` on the closure:
//! `LuaClosureRef::set_env` (`setfenv`, `module`) and `NativeClosureRef::set_upvalue`
//! (`string.gmatch`'s position).

use gc_core::{Collector, GcHeader, ObjectRef, OutOfMemory, Tracer};

use super::{KIND_LUA_CLOSURE, KIND_NATIVE_CLOSURE};
use crate::heap::Heap;
use crate::model::LuaModel;
use crate::object::proto::ProtoRef;
use crate::object::table::TableRef;
use crate::object::upvalue::UpvalRef;
use crate::roots::VmRoots;
use crate::value::Value;

/// A reference to a Lua closure.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Hash)]
#[repr(transparent)]
pub struct LuaClosureRef(pub(crate) ObjectRef);

/// A reference to a native closure.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Hash)]
#[repr(transparent)]
pub struct NativeClosureRef(pub(crate) ObjectRef);

#[repr(C)]
struct LuaClosure {
    header: GcHeader,
    proto: ProtoRef,
    env: TableRef,
}

#[repr(C)]
struct NativeClosure {
    header: GcHeader,
    func: usize,
}

const LUA_HEAD: usize = std::mem::size_of::<LuaClosure>();
const NATIVE_HEAD: usize = std::mem::size_of::<NativeClosure>();
const _: () = assert!(LUA_HEAD + 8 <= 32, "a one-upvalue Lua closure is two cells");
const _: () = assert!(NATIVE_HEAD == 16, "a native closure's head is one cell");

/// The upvalue count a closure's header holds (see the module invariant).
#[inline(always)]
fn header_count(obj: ObjectRef) -> usize {
    // SAFETY: a handle points at a live, initialised closure (`crate::object`).
    usize::from(unsafe { obj.header() }.user())
}

/// Records `n` upvalues in a fresh closure's header.
fn set_header_count(obj: ObjectRef, n: usize) {
    let n = u16::try_from(n).expect("a closure's upvalue count fits its header");
    // SAFETY: a fresh closure, allocated with its header.
    unsafe { obj.header() }.set_user(n);
}

impl LuaClosureRef {
    #[inline(always)]
    fn raw(self) -> *mut LuaClosure {
        self.0.as_ptr() as *mut LuaClosure
    }

    raw_fields! {
        proto: ProtoRef, proto_field;
        env: TableRef, env_field, set_env_field;
    }

    /// Number of upvalues.
    #[inline(always)]
    fn nupvalues(self) -> usize {
        header_count(self.0)
    }

    #[inline(always)]
    fn upvals(self) -> *mut Option<UpvalRef> {
        // SAFETY: the upvalue array follows the fixed part inside the block.
        unsafe { self.0.as_ptr().add(LUA_HEAD) as *mut Option<UpvalRef> }
    }

    /// A closure of `proto` in environment `env` (both rooted by the caller) whose
    /// upvalues are given in order, all `Some` (rooted by the caller too: open upvalues
    /// through their thread, inherited ones through the enclosing closure).
    pub fn new<C: Collector<LuaModel>>(
        heap: &mut Heap<C>,
        roots: &mut VmRoots,
        proto: ProtoRef,
        env: TableRef,
        upvalues: &[Option<UpvalRef>],
    ) -> Result<LuaClosureRef, OutOfMemory> {
        let n = upvalues.len();
        let obj = heap.alloc_object(KIND_LUA_CLOSURE, LUA_HEAD + 8 * n, roots)?;
        let cl = LuaClosureRef(obj);
        set_header_count(obj, n);
        // SAFETY: a fresh block of LUA_HEAD + 8n bytes, fully written before the next
        // allocation.
        unsafe {
            let p = obj.as_ptr() as *mut LuaClosure;
            std::ptr::addr_of_mut!((*p).proto).write(proto);
            std::ptr::addr_of_mut!((*p).env).write(env);
            for (i, uv) in upvalues.iter().enumerate() {
                cl.upvals().add(i).write(*uv);
            }
        }
        Ok(cl)
    }

    /// The prototype.
    #[inline(always)]
    pub fn proto(self) -> ProtoRef {
        self.proto_field()
    }

    /// The environment (globals) table.
    #[inline(always)]
    pub fn env(self) -> TableRef {
        self.env_field()
    }

    /// Replaces the environment (`setfenv`), with the write barrier.
    pub fn set_env<C: Collector<LuaModel>>(self, heap: &mut Heap<C>, env: TableRef) {
        // SAFETY: a field of this live closure; no reference is made.
        let slot = unsafe { std::ptr::addr_of!((*self.raw()).env) };
        heap.barrier_pre_ref(self.0, slot, Some(self.env().0));
        heap.barrier_store(self.0, env.0);
        self.set_env_field(env);
    }

    /// Upvalue `i`.
    #[inline(always)]
    pub fn upvalue(self, i: usize) -> UpvalRef {
        assert!(i < self.nupvalues());
        // SAFETY: i < nupvalues.
        unsafe { self.upvalue_unchecked(i) }
    }

    /// Upvalue `i`, without the bounds check: for the interpreter, whose upvalue
    /// operands are below the prototype's upvalue count (compiler invariant, checked
    /// for binary chunks by `compiler::verify`).
    ///
    /// # Safety
    /// `i < self.nupvalues()`.
    #[inline(always)]
    pub unsafe fn upvalue_unchecked(self, i: usize) -> UpvalRef {
        // SAFETY: i < nupvalues (the caller), and closures are created with every slot
        // filled.
        unsafe { (*self.upvals().add(i)).unwrap_unchecked() }
    }

    pub(crate) fn trace<T: Tracer>(self, tracer: &mut T) {
        tracer.mark(self.proto().0);
        tracer.mark(self.env().0);
        for i in 0..self.nupvalues() {
            // SAFETY: i < nupvalues, inside the block.
            if let Some(uv) = unsafe { *self.upvals().add(i) } {
                tracer.mark(uv.0);
            }
        }
    }
}

impl NativeClosureRef {
    #[inline(always)]
    fn raw(self) -> *mut NativeClosure {
        self.0.as_ptr() as *mut NativeClosure
    }

    raw_fields! {
        func: usize, func_field;
    }

    #[inline(always)]
    fn upvals(self) -> *mut Value {
        // SAFETY: the upvalue values follow the fixed part inside the block.
        unsafe { self.0.as_ptr().add(NATIVE_HEAD) as *mut Value }
    }

    /// A native closure calling the VM's function number `func`, with upvalues (rooted
    /// by the caller).
    pub fn new<C: Collector<LuaModel>>(
        heap: &mut Heap<C>,
        roots: &mut VmRoots,
        func: usize,
        upvalues: &[Value],
    ) -> Result<NativeClosureRef, OutOfMemory> {
        let n = upvalues.len();
        let obj = heap.alloc_object(KIND_NATIVE_CLOSURE, NATIVE_HEAD + 16 * n, roots)?;
        let cl = NativeClosureRef(obj);
        set_header_count(obj, n);
        // SAFETY: a fresh block of NATIVE_HEAD + 16n bytes, fully written at once.
        unsafe {
            let p = obj.as_ptr() as *mut NativeClosure;
            std::ptr::addr_of_mut!((*p).func).write(func);
            for (i, v) in upvalues.iter().enumerate() {
                cl.upvals().add(i).write(*v);
            }
        }
        Ok(cl)
    }

    /// The index of the Rust function in the VM's native table.
    #[inline(always)]
    pub fn func(self) -> usize {
        self.func_field()
    }

    /// Number of upvalues.
    pub fn nupvalues(self) -> usize {
        header_count(self.0)
    }

    /// Upvalue `i`.
    pub fn upvalue(self, i: usize) -> Value {
        assert!(i < self.nupvalues());
        // SAFETY: i < nupvalues.
        unsafe { *self.upvals().add(i) }
    }

    /// Sets upvalue `i` (with the write barrier).
    pub fn set_upvalue<C: Collector<LuaModel>>(self, heap: &mut Heap<C>, i: usize, v: Value) {
        assert!(i < self.nupvalues());
        // SAFETY: i < nupvalues: an initialised upvalue slot.
        unsafe { heap.barrier_pre(self.0, self.upvals().add(i)) };
        if let Some(obj) = v.object() {
            heap.barrier_store(self.0, obj);
        }
        // SAFETY: i < nupvalues.
        unsafe { *self.upvals().add(i) = v };
    }

    pub(crate) fn trace<T: Tracer>(self, tracer: &mut T) {
        for i in 0..self.nupvalues() {
            self.upvalue(i).trace(tracer);
        }
    }
}
