//! The VM's allocation front: the collector, plus the GC-stress mode that runs the
//! collector's stress step (a collection, or an increment of one) and verifies the heap
//! every N allocations to flush out rooting and barrier bugs. Stress collections
//! also mark the VM's stress pins, so they never clear weak entries or queue finalizers
//! a program could observe (see `stress_pins`).
//!
//! Invariants:
//! - Every allocation of the VM goes through [`Heap`], so the stress mode sees them all,
//!   and every call passes the complete roots (`VmRoots`, or the boot roots before it
//!   exists).
//! - The write barrier (the tri-color invariant's price): every store of a reference (a
//!   `Value` holding an object, a `TableRef`, `LuaStr`, `UpvalRef`, a leaf block's
//!   `ObjectRef`...) into a heap object outside a stack goes through a barrier on that
//!   object first ([`Heap::barrier_store`] with the stored reference, [`Heap::barrier`]
//!   without, [`Heap::barrier_move`] for a move inside it), after the last allocation
//!   before the store: an allocation may run an increment that traces the object again,
//!   so a barrier called before an allocation does not cover the stores after it. A
//!   fresh object needs no barrier for the stores that initialise it before the next
//!   allocation (it is allocated light-gray). Stores of plain data (counts, the
//!   header's user bits, an open upvalue's slot pointer, which the collector never
//!   reads) need none either.
//! - The pre-write barrier (snapshot-at-the-beginning collectors' price): every store
//!   into a heap object outside a stack that overwrites a reference the object's trace
//!   reports ([`Heap::barrier_pre`], [`Heap::barrier_pre_ref`]) reports it first, moves
//!   included (a removed table entry's key and value, a replaced part block, a closed
//!   upvalue's thread).
//! - Stacks are the exception: the running thread's value slots and frames are written
//!   without the barrier (`LuaModel::is_stack`); incremental collectors trace it again
//!   in the atomic phase (`Roots::running_stacks`). A thread takes the barrier when it
//!   stops running and before a store into its stack while another runs (resume's
//!   arguments, `debug.setlocal`, an open upvalue's slot). (The thread's own reference
//!   fields, its stack and frame blocks and open-upvalue list, run the barrier at every
//!   store: those stores are rare.) Roots
//!   (`VmRoots`) are outside the heap and never barriered: collectors trace them again
//!   in the atomic phase too.
//! - `src/tests/barriers.rs` checks the barrier invariant on the corpus and on targeted
//!   scripts, with a collector that blackens every reachable object at each allocation.
//! - The VM never rewrites an object's `GcHeader` after allocation (the collector owns
//!   its flags, with the gray bit): objects are initialised and updated field by field,
//!   and the VM only changes the header's user bits, through `GcHeader::set_user`.

use gc_core::{Collector, Liveness, ObjectRef, OutOfMemory, Roots, Tracer};

use crate::alloc_counts::AllocCounts;
use crate::model::LuaModel;
use crate::roots::RootStack;
use crate::value::Value;

/// The collector, what the program allocated, and the allocation counters of the stress
/// mode.
pub struct Heap<C> {
    /// The collector, public so the VM can read statistics and set limits.
    pub gc: C,
    /// Every allocation by kind (for `luagc --stats-json`).
    pub counts: AllocCounts,
    stress_every: u32,
    countdown: u32,
}

impl<C: Collector<LuaModel>> Heap<C> {
    /// Wraps a collector. `stress_every` = N > 0 runs the collector's stress step (see
    /// `Collector::stress_step`) before every N-th allocation.
    pub fn new(gc: C, stress_every: u32) -> Self {
        Heap {
            gc,
            counts: AllocCounts::default(),
            stress_every,
            countdown: stress_every,
        }
    }

    /// Allocates a traversable object of kind `kind`; the caller initialises it before
    /// the next allocation.
    #[inline(always)]
    pub fn alloc_object<R: RootStack>(
        &mut self,
        kind: u8,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        self.stress_if_due(roots);
        let obj = self.gc.alloc_object(kind, bytes, roots)?;
        self.counts.object(kind, bytes);
        Ok(obj)
    }

    /// Allocates a leaf block (no header, never traced by itself) that one object owns
    /// alone (a table's part, a stack, a prototype's code): the caller installs it in its
    /// owner before the next allocation, `LuaModel::owned_leaves` reports it there, and
    /// [`Heap::free_owned_leaf`] gives it back when the owner replaces it.
    #[inline(always)]
    pub fn alloc_owned_leaf<R: RootStack>(
        &mut self,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        self.stress_if_due(roots);
        let block = self.gc.alloc_owned_leaf(bytes, roots)?;
        self.counts.leaf(bytes);
        Ok(block)
    }

    /// Gives back a block from [`Heap::alloc_owned_leaf`] that its owner has replaced.
    ///
    /// # Safety
    /// The owner no longer holds `leaf`, and nothing reads it again.
    #[inline(always)]
    pub unsafe fn free_owned_leaf(&mut self, leaf: ObjectRef) {
        // SAFETY: per the caller; every owned block comes from `alloc_owned_leaf`.
        unsafe { self.gc.free_owned_leaf(leaf) };
    }

    /// Allocates a string's leaf block (shared: any number of objects refer to it).
    #[inline(always)]
    pub fn alloc_string<R: RootStack>(
        &mut self,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        self.stress_if_due(roots);
        let block = self.gc.alloc_leaf(bytes, roots)?;
        self.counts.string(bytes);
        Ok(block)
    }

    /// Allocates an owned leaf block of `len` values: a copy of the `old_len` values at
    /// `old`, then nils. The moved storage of a growing stack or array part.
    ///
    /// # Safety
    /// `old` points to `old_len <= len` initialised values in storage that stays where it
    /// is during the allocation (its owner reachable and still holding it: collectors do
    /// not move blocks).
    pub unsafe fn alloc_values_from<R: RootStack>(
        &mut self,
        old: *const Value,
        old_len: usize,
        len: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        debug_assert!(old_len <= len);
        let block = self.alloc_owned_leaf(len * std::mem::size_of::<Value>(), roots)?;
        let new = block.as_ptr() as *mut Value;
        // SAFETY: the fresh block holds `len` values and is not the old storage, which
        // holds `old_len` initialised values (per the caller).
        unsafe {
            if old_len > 0 {
                std::ptr::copy_nonoverlapping(old, new, old_len);
            }
            for i in old_len..len {
                new.add(i).write(Value::Nil);
            }
        }
        Ok(block)
    }

    /// The write barrier: call before storing a reference into the object `obj`, after
    /// the last allocation that precedes the store (see the module invariants).
    #[inline(always)]
    pub fn barrier(&mut self, obj: ObjectRef) {
        // SAFETY: the VM stores only into its live objects (the handles' invariant,
        // `crate::object`), all allocated by this collector.
        unsafe { self.gc.write_barrier(obj) };
    }

    /// The pre-write barrier before a store into `obj` overwrites the value at `slot`
    /// (see `Collector::write_barrier_pre`): reports the old value if it is a reference.
    ///
    /// # Safety
    /// `slot` points at an initialised value of `obj` or of a leaf block it owns.
    #[inline(always)]
    pub unsafe fn barrier_pre(&mut self, obj: ObjectRef, slot: *const Value) {
        // SAFETY: per the caller.
        if let Some(old) = unsafe { *slot }.object() {
            // SAFETY: as in `barrier`; `old` is held by the live `obj`, so it is live,
            // and `slot` lies in `obj` or a block it owns (the caller).
            unsafe { self.gc.write_barrier_pre(obj, slot.cast(), old) };
        }
    }

    /// The pre-write barrier for a reference field that is not a `Value` (a metatable,
    /// a part block, a list link) about to be overwritten at `slot`, holding `old`.
    #[inline(always)]
    pub fn barrier_pre_ref<T>(&mut self, obj: ObjectRef, slot: *const T, old: Option<ObjectRef>) {
        if let Some(old) = old {
            // SAFETY: as in `barrier_pre`.
            unsafe { self.gc.write_barrier_pre(obj, slot.cast(), old) };
        }
    }

    /// The write barrier before storing a reference to `stored` into `obj` (see
    /// `Collector::write_barrier_store`: the collector chooses forward or backward).
    #[inline(always)]
    pub fn barrier_store(&mut self, obj: ObjectRef, stored: ObjectRef) {
        // SAFETY: as in `barrier`; the VM stores only references to its live objects.
        unsafe { self.gc.write_barrier_store(obj, stored) };
    }

    /// The barrier before moving the values of parts `parts` of `obj` to other parts
    /// of it (see `Collector::write_barrier_move`).
    #[inline(always)]
    pub fn barrier_move(&mut self, obj: ObjectRef, parts: std::ops::Range<usize>) {
        // SAFETY: as in `barrier`.
        unsafe { self.gc.write_barrier_move(obj, parts) };
    }

    /// Whether the GC-stress mode is on.
    pub fn stress_enabled(&self) -> bool {
        self.stress_every != 0
    }

    /// Before every allocation: counts it towards the next stress step, in stress mode.
    #[inline(always)]
    fn stress_if_due<R: RootStack>(&mut self, roots: &mut R) {
        if self.stress_every != 0 {
            self.stress(roots);
        }
    }

    #[cold]
    #[inline(never)]
    fn stress<R: RootStack>(&mut self, roots: &mut R) {
        self.countdown -= 1;
        if self.countdown == 0 {
            self.countdown = self.stress_every;
            let mut roots = PinningRoots(roots);
            if let Err(err) = self.gc.stress_step(&mut roots) {
                eprintln!("luagc: GC stress: {err}");
                std::process::abort();
            }
        }
    }
}

/// The roots of a stress collection: the VM's roots plus its stress pins.
struct PinningRoots<'r, R>(&'r mut R);

// SAFETY: reports every root of the VM's roots (and more); pruning is theirs.
unsafe impl<R: RootStack> Roots for PinningRoots<'_, R> {
    fn trace_roots<T: Tracer>(&mut self, tracer: &mut T) {
        self.0.trace_roots(tracer);
        self.0.trace_stress_pins(tracer);
    }

    fn running_stacks(&self) -> &[ObjectRef] {
        self.0.running_stacks()
    }

    fn prune_weak_references<L: Liveness>(&mut self, liveness: &L) {
        self.0.prune_weak_references(liveness);
    }

    fn prune_weak_references_step<L: Liveness>(
        &mut self,
        liveness: &L,
        restart: bool,
        budget: usize,
    ) -> bool {
        self.0.prune_weak_references_step(liveness, restart, budget)
    }
}
