//! The contract between a VM and a collector: object references, the object header, and the
//! traits through which a VM describes its objects ([`ObjectModel`]) and roots ([`Roots`]).
//!
//! Invariants kept here:
//! - An [`ObjectRef`] points at the first byte of a block: a cell boundary inside an arena's
//!   data area, or the first byte of a huge mapping. Objects never move, so a reference stays
//!   valid for as long as the object is reachable.
//! - Every traversable block starts with a [`GcHeader`]; leaf (non-traversable) blocks have
//!   none: their size is read off the block bitmap.

use std::ptr::NonNull;
use std::sync::atomic::{AtomicU16, AtomicU8, Ordering};

/// The address of a block in a collector's heap.
///
/// A plain 64-bit pointer: there is no 2 or 4 GB limit anywhere in the heap. It is `Copy`
/// and carries no lifetime: keeping it reachable (from [`Roots`] or from another reachable
/// object) is the VM's job, as it is with Lua's own `GCObject *`. So a reference safe code
/// holds may be to a freed object: every method that reads memory through one is `unsafe`
/// (the [`Collector`](crate::Collector)'s barriers, [`ObjectRef::header`], ...), and the
/// safe ones only compare or look up its address. It is neither `Send` nor
/// `Sync`: a heap belongs to one mutator thread (the parallel marker passes references
/// between its threads in a wrapper of its own, while the mutator is stopped).
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
#[repr(transparent)]
pub struct ObjectRef(NonNull<u8>);

impl ObjectRef {
    /// Wraps a block address handed out by a collector. Returns `None` for null.
    ///
    /// # Safety
    /// `ptr` is null or the first byte of a live block of a collector's heap, with the
    /// provenance the collector gave it: code that trusts a reference to be a block
    /// (the collector's marker, the VM's object handles) reads its header and metadata.
    /// Safe code cannot forge one:
    ///
    /// ```compile_fail,E0133
    /// let foreign = Box::into_raw(Box::new(0u64)).cast::<u8>();
    /// let _ = gc_core::ObjectRef::from_ptr(foreign);
    /// ```
    pub unsafe fn from_ptr(ptr: *mut u8) -> Option<Self> {
        NonNull::new(ptr).map(ObjectRef)
    }

    /// The block's first byte.
    #[inline(always)]
    pub fn as_ptr(self) -> *mut u8 {
        self.0.as_ptr()
    }

    /// The block's address as an integer, for arena arithmetic (without the pointer's
    /// provenance: memory is reached through [`ObjectRef::as_ptr`]).
    #[inline(always)]
    pub fn addr(self) -> usize {
        self.0.as_ptr().addr()
    }

    /// The header of a traversable object.
    ///
    /// # Safety
    /// `self` must be a live traversable block of some heap (it starts with a `GcHeader`), and
    /// the returned reference must not outlive that block.
    #[inline(always)]
    pub unsafe fn header<'a>(self) -> &'a GcHeader {
        // SAFETY: the caller guarantees a traversable block, whose first bytes are its
        // header; blocks are 16-byte aligned, more than GcHeader's alignment.
        unsafe { &*(self.as_ptr() as *const GcHeader) }
    }
}

/// The header at the start of every traversable object, owned by `gc-core`.
///
/// Eight bytes: the collector's flags (the gray bit of NewGC's quad-color scheme), a kind
/// byte and 16 bits the VM may use as it likes (Lua type tag, table flags), and the block's
/// size in cells, so marking never has to scan the bitmap to learn a traversable block's
/// size. Huge objects store 0 there: their size is in the large-object space's table.
///
/// Concurrency: parallel marker threads read headers while other markers trace nearby
/// objects (a table's weakness is read from its metatable's user bits, any marker may
/// read any object's size), so the two mutable parts, the flags and the user bits, are
/// atomics, accessed with relaxed loads and stores, which compile to plain moves on
/// x86-64 and ARM: no data race whoever writes them, today the mutator and the
/// sequential marker. The kind byte and the size are written once, with the header,
/// before the object is reachable, and never change.
#[repr(C, align(8))]
#[derive(Debug)]
pub struct GcHeader {
    flags: AtomicU8,
    kind: u8,
    user: AtomicU16,
    cells: u32,
}

impl GcHeader {
    /// The gray bit of the quad-color scheme (set: light-gray or dark-gray).
    pub const GRAY: u8 = 1;

    /// The header a collector writes at the start of a new traversable object: the VM's
    /// `kind`, the block's size in cells (0 when the collector keeps sizes elsewhere) and
    /// the collector's initial `flags` (NewGC's new objects are light-gray: [`Self::GRAY`]).
    pub fn new(kind: u8, cells: u32, flags: u8) -> Self {
        GcHeader {
            flags: AtomicU8::new(flags),
            kind,
            user: AtomicU16::new(0),
            cells,
        }
    }

    /// The VM's kind byte, given at allocation: how the VM knows what the object is.
    #[inline(always)]
    pub fn kind(&self) -> u8 {
        self.kind
    }

    /// The VM's 16 spare bits.
    #[inline(always)]
    pub fn user(&self) -> u16 {
        self.user.load(Ordering::Relaxed)
    }

    /// Sets the VM's 16 spare bits.
    #[inline(always)]
    pub fn set_user(&self, bits: u16) {
        self.user.store(bits, Ordering::Relaxed)
    }

    /// The block size in 16-byte cells (0 for huge objects).
    #[inline(always)]
    pub fn cells(&self) -> u32 {
        self.cells
    }

    /// Whether the gray bit is set: the write barrier's fast-path test.
    #[inline(always)]
    pub fn is_gray(&self) -> bool {
        self.flags.load(Ordering::Relaxed) & Self::GRAY != 0
    }

    /// Sets or clears the gray bit with an atomic read-modify-write, for collector
    /// threads that may write one header at once (a step's helpers tracing an object
    /// queued twice).
    #[inline(always)]
    pub fn set_gray_concurrently(&self, gray: bool) {
        if gray {
            self.flags.fetch_or(Self::GRAY, Ordering::Relaxed);
        } else {
            self.flags.fetch_and(!Self::GRAY, Ordering::Relaxed);
        }
    }

    /// Sets or clears the gray bit (collector use). A load and a store, not an atomic
    /// read-modify-write: one thread at a time writes an object's flags (the mutator's
    /// barrier, or the one marker that claimed the object).
    #[inline(always)]
    pub fn set_gray(&self, gray: bool) {
        let flags = self.flags.load(Ordering::Relaxed);
        self.flags.store(
            if gray {
                flags | Self::GRAY
            } else {
                flags & !Self::GRAY
            },
            Ordering::Relaxed,
        );
    }
}

/// Receives the references a VM reports, from its roots or from an object's fields.
///
/// The collector's markers and the heap verifier implement it.
pub trait Tracer {
    /// Reports one reference. Reporting the same reference twice is harmless.
    fn mark(&mut self, obj: ObjectRef);

    /// Reports a weak-keyed entry (see [`ObjectModel::trace_weak`]) whose key is not live
    /// yet: `value` becomes reachable when `key` does. A marker remembers the pair to mark
    /// `value` as soon as it marks `key`, which makes ephemerons cost linear time. The
    /// default ignores it: such a tracer visits weak-keyed objects again instead.
    fn mark_when_live(&mut self, key: ObjectRef, value: ObjectRef) {
        let _ = (key, value);
    }
}

/// Which references of a traversable object do not keep their targets alive (Lua's
/// `__mode`). An entry is a key/value pair; references outside entries (a table's
/// metatable) are always strong.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Weakness {
    /// Every reference is strong.
    Strong,
    /// Keys are weak, with ephemeron semantics: a value is reachable through its entry only
    /// while its key is reachable otherwise.
    WeakKeys,
    /// Values are weak; keys are strong.
    WeakValues,
    /// Keys and values are weak.
    WeakKeysAndValues,
}

/// How a VM describes its traversable objects to a collector.
///
/// The methods are associated functions, not methods on a VM value: the object's own memory
/// (its header's kind byte) must say how to trace it, so a collector can trace any object at
/// any time without borrowing the VM.
///
/// # Safety
/// Implementations must report, through `trace`, every reference the object holds to
/// another block of the same heap, and nothing that is not such a reference. A missed
/// reference lets the collector free a live object; a bogus one corrupts the mark bitmap.
/// Objects must not own memory outside the heap: the collector frees blocks without running
/// any destructor.
pub unsafe trait ObjectModel: 'static {
    /// Calls [`Tracer::mark`] on every heap reference held by the object.
    ///
    /// # Safety
    /// `obj` is a live traversable block of this heap, allocated through
    /// [`Collector::alloc_object`](crate::Collector::alloc_object) and fully initialised by
    /// the VM before its next allocation.
    unsafe fn trace<T: Tracer>(obj: ObjectRef, tracer: &mut T);

    /// How many parts (array slots, say) [`ObjectModel::trace_parts`] can trace separately.
    /// Parallel markers split strong objects with many parts into chunks, so one big table
    /// cannot serialise marking. The default, 1, never splits.
    ///
    /// # Safety
    /// As for [`ObjectModel::trace`].
    unsafe fn part_count(obj: ObjectRef) -> usize {
        let _ = obj;
        1
    }

    /// Traces the references in parts `parts` of a strong object; the chunk that starts at
    /// part 0 also traces the references outside parts (a table's metatable, its hash
    /// part). Tracing every chunk of `0..part_count` must equal one [`ObjectModel::trace`].
    ///
    /// # Safety
    /// As for [`ObjectModel::trace`]; `parts` lies within `0..part_count(obj)`.
    unsafe fn trace_parts<T: Tracer>(
        obj: ObjectRef,
        parts: std::ops::Range<usize>,
        tracer: &mut T,
    ) {
        if parts.start == 0 {
            // SAFETY: forwarded from the caller.
            unsafe { Self::trace(obj, tracer) }
        }
    }

    /// Whether `obj` is a stack (a coroutine's): an object the VM writes without the write
    /// barrier while it runs, because stack stores are too frequent to pay for it. The VM
    /// runs the barrier on a stack when it stops running, and before writing it while
    /// another runs; it reports the running stacks in [`Roots::running_stacks`], which
    /// incremental collectors trace again in the atomic phase. A stack that has not run
    /// since its last trace is not traced again: a program with many suspended coroutines
    /// does not pay for all of them in every atomic phase.
    ///
    /// # Safety
    /// As for [`ObjectModel::trace`].
    unsafe fn is_stack(obj: ObjectRef) -> bool {
        let _ = obj;
        false
    }

    /// Bytes a traversal of `obj` reads besides its own block and the blocks it reports:
    /// structure that many objects share, which a collector pacing its marking by the bytes
    /// it traverses counts as work all the same (Lua 5.1 points every table without a hash
    /// part at one static dummy node, and `propagatemark` charges that node to each such
    /// table). The default is none.
    ///
    /// # Safety
    /// As for [`ObjectModel::trace`].
    unsafe fn shared_bytes_traversed(obj: ObjectRef) -> u64 {
        let _ = obj;
        0
    }

    /// Whether the program writes `obj` often and many slots at a time (Lua tables), so
    /// that a collector with a forward barrier takes the backward one for it, tracing it
    /// again once rather than marking at every store (Lua 5.1's `luaC_barriert`). The
    /// default, false, suits objects written rarely.
    ///
    /// # Safety
    /// As for [`ObjectModel::trace`].
    unsafe fn is_written_often(obj: ObjectRef) -> bool {
        let _ = obj;
        false
    }

    /// The object's weakness, asked once each time a marker reaches it. The default suits
    /// a VM without weak tables.
    ///
    /// # Safety
    /// As for [`ObjectModel::trace`].
    unsafe fn weakness(obj: ObjectRef) -> Weakness {
        let _ = obj;
        Weakness::Strong
    }

    /// Traces the strong part of a weak object: references outside entries; the keys of a
    /// `WeakValues` object; for `WeakKeys`, the value of each entry whose key
    /// `tracer.is_live` already, and [`Tracer::mark_when_live`] for each entry whose key is
    /// not live yet (ephemerons: without those reports the marker calls this again until
    /// no more keys become live, which takes time quadratic in a chain of entries). Keys and values that are not objects with identity (Lua strings) are
    /// the VM's to treat as strong.
    ///
    /// # Safety
    /// As for [`ObjectModel::trace`]; `weakness` is what [`ObjectModel::weakness`] returned.
    unsafe fn trace_weak<T: Tracer + Liveness>(obj: ObjectRef, weakness: Weakness, tracer: &mut T) {
        let _ = weakness;
        // SAFETY: forwarded from the caller.
        unsafe { Self::trace(obj, tracer) }
    }

    /// Calls `f` on each leaf block `obj` owns: allocated by
    /// [`Collector::alloc_owned_leaf`](crate::Collector::alloc_owned_leaf) and installed
    /// in `obj`, and referenced by no other object. A collector that keeps owned blocks
    /// off its lists frees them with their owner through this (as Lua 5.1's `luaH_free`
    /// frees a table's parts), so a block the VM allocated as owned and this leaves out
    /// leaks there. The default reports none, for a VM that allocates no owned blocks.
    ///
    /// # Safety
    /// `obj` is a traversable block of this heap, initialised, not freed; it may be
    /// unreachable, and the blocks it refers to freed already: only `obj`'s own fields
    /// may be read.
    unsafe fn owned_leaves<F: FnMut(ObjectRef)>(obj: ObjectRef, f: &mut F) {
        let _ = (obj, f);
    }

    /// Removes the entries whose weak key or weak value `liveness` calls dead, after
    /// marking and before the sweep frees them.
    ///
    /// # Safety
    /// As for [`ObjectModel::trace`]; `weakness` is what [`ObjectModel::weakness`] returned.
    unsafe fn clear_weak<L: Liveness>(obj: ObjectRef, weakness: Weakness, liveness: &L) {
        let _ = (obj, weakness, liveness);
    }
}

/// Tells, during and after marking, which objects survive the collection.
pub trait Liveness {
    /// Whether `obj` (a block of this heap) has been found reachable so far.
    fn is_live(&self, obj: ObjectRef) -> bool;

    /// Whether `obj` is live only because it was resurrected to run its finalizer this
    /// cycle. Lua 5.1 removes such userdata from weak values although they survive.
    fn is_being_finalized(&self, obj: ObjectRef) -> bool {
        let _ = obj;
        false
    }
}

/// The VM's roots: its stacks, globals, registry, open upvalues, and any object it holds in
/// native code across an allocation.
///
/// # Safety
/// `trace_roots` must report every object the VM will use again, and only live objects of
/// the collector it is given to (the collector marks and traces what it reports).
/// Allocation may collect, so an object held only in a Rust local across an allocation
/// must be reported here too.
/// After `prune_weak_references`, the VM must hold no reference to an object `liveness`
/// called dead: its memory is about to be reused.
pub unsafe trait Roots {
    /// Calls [`Tracer::mark`] on every root.
    fn trace_roots<T: Tracer>(&mut self, tracer: &mut T);

    /// The stacks (see [`ObjectModel::is_stack`]) the VM may have written since it last
    /// ran the write barrier on them: those of the threads running now; none for a VM
    /// without stacks. No default: a wrapper of another VM's roots that forgot it would
    /// hide the running stack from the atomic phase.
    fn running_stacks(&self) -> &[ObjectRef];

    /// Called after marking and before the sweep: the VM drops the references it holds
    /// without keeping their objects alive (its string intern table, caches), for objects
    /// `liveness` calls dead. The default suits a VM that holds no such references.
    fn prune_weak_references<L: Liveness>(&mut self, liveness: &L) {
        let _ = liveness;
    }

    /// The incremental form of [`Roots::prune_weak_references`], for collectors that
    /// sweep lazily: prunes about `budget` entries (starting over when `restart`) and
    /// returns true once every weak reference is pruned. Between the first call and that
    /// one the collector frees no leaf block, and the VM must call
    /// [`Collector::revive`](crate::Collector::revive) on any object it finds through these
    /// references and uses again. Weak references to traversable objects must all be
    /// pruned by the `restart` call. The default prunes everything at once.
    fn prune_weak_references_step<L: Liveness>(
        &mut self,
        liveness: &L,
        restart: bool,
        budget: usize,
    ) -> bool {
        let _ = budget;
        if restart {
            self.prune_weak_references(liveness);
        }
        true
    }
}
