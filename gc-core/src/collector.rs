//! The [`Collector`] trait a VM is generic over, and what configures a heap.
//!
//! Allocation may collect: at every call that takes `roots`, everything the VM still needs
//! must be reachable from them (the rule Lua's C API follows with its stack).

use std::fmt;
use std::time::Duration;

use crate::object_model::{ObjectModel, ObjectRef, Roots};
use crate::stats::Stats;
use crate::verify::VerifyError;

/// Settings every collector accepts.
#[derive(Clone, Debug)]
pub struct HeapConfig {
    /// Upper bound on the heap's memory (arenas plus huge mappings, counted in whole
    /// arenas and mappings). Allocation past it first collects, then fails with
    /// [`OutOfMemory`]. `None`: no limit.
    pub heap_limit: Option<usize>,
    /// Lua's `setpause`: a collection starts when the heap reaches this percentage of the
    /// live heap left by the previous one. 200 (Lua's default) waits for the heap to double.
    pub pause_percent: u32,
    /// No collection is triggered below this heap size, so tiny scripts never collect.
    pub min_trigger_bytes: usize,
    /// Threads that mark and sweep stop-the-world cycles (`luagc --gc-threads`). The set
    /// of surviving objects never depends on it. Default: the number of cores.
    pub gc_threads: usize,
    /// Heaps smaller than this (arenas plus huge blocks) are marked and swept by one
    /// thread: starting threads would cost more than they save.
    pub parallel_min_bytes: usize,
    /// The marking work (newgc's units: bytes reached plus references and parts
    /// scanned) that an incremental step, or its atomic phase, must have before it has
    /// the worker threads mark with it (on heaps of at least `parallel_min_bytes`): both
    /// its budget and the gray objects waiting must stand for this much. Less is less
    /// tracing than waking the threads costs. Tests set it to 0, to have helpers mark
    /// the small heaps they check. Default: [`DEFAULT_STEP_HELPERS_MIN_WORK`] (off).
    pub step_helpers_min_work: u64,
    /// Lua's `setstepmul`: how much collector work an incremental collector does per unit
    /// of allocation, in percent (Lua 5.1's default, 200, marks or sweeps two bytes per
    /// byte allocated). Collectors that never run incrementally ignore it.
    pub stepmul_percent: u32,
    /// A mode forced for collectors that have several (`luagc --gc-mode`); `None` lets
    /// the collector switch by itself.
    pub mode: Option<GcMode>,
    /// Also measure every pause in the thread's CPU time (`luagc --pause-cpu-time`), a
    /// system call per pause start and end. A pause much longer in wall time than in CPU
    /// time was the machine's (a preempted virtual CPU), not the collector's.
    pub pause_cpu_time: bool,
    /// Whether the collector's pause log records its pauses: their lengths (GC time,
    /// percentiles, histograms) and their places on the run's timeline (MMU), about 400
    /// instructions a pause besides the clock reads. Off, the statistics show no pause
    /// (GC time zero, MMU 1); cycles, young survival and sizes are counted either way. `luagc` records only for
    /// `--stats` or `--stats-json`, so that, like `lua5.1`, it spends nothing on timing
    /// steps nobody reads. Default: on.
    pub record_pauses: bool,
    /// The longest an incremental collector's allocation step marks before it stops and
    /// carries the work it still owes to the next steps (`luagc --gc-step-deadline`):
    /// work is a poor proxy for time on memory far bigger than the caches, so the
    /// deadline bounds pauses. It also makes the marking done per step depend on the
    /// machine's speed and load. `None`: every step does the work its budget says, and a
    /// run is reproducible (the same program and settings give the same cycles, heap
    /// sizes and statistics, times aside). Default: [`DEFAULT_STEP_DEADLINE`].
    pub step_deadline: Option<Duration>,
    /// The most of the interpreter thread's CPU time, in percent, that an incremental
    /// collector's allocation steps take over any stretch of it (`luagc --gc-max-share`;
    /// newgc, with a step deadline): bounds how densely short pauses come, for a minimum
    /// mutator utilisation at short windows, at the cost of cycles that take more
    /// allocation, so bigger heaps and more barrier work. `None` (the default): steps
    /// take what their budget asks, up to the deadline each, but for those of a newgc
    /// cycle past its goal, which keep to a catch-up share up to a memory bound.
    pub max_gc_share_percent: Option<u32>,
}

/// The default [`HeapConfig::step_deadline`]: half of a 1 ms pause target, leaving the
/// other half to what a step does besides marking (the forward barrier's records, its
/// share of the sweep).
pub const DEFAULT_STEP_DEADLINE: Duration = Duration::from_micros(500);

/// The default [`HeapConfig::step_helpers_min_work`]: never, until helpers are shown to
/// pay. An allocation step marks for about as long as waking a thread and sharing the
/// work take, and in a big drain (a cycle finished at once, an atomic phase) the
/// collector's thread marks with atomic claims while the pool's threads may come late,
/// so it can finish slower than it does alone (papers/newgc.md, Section 7).
pub const DEFAULT_STEP_HELPERS_MIN_WORK: u64 = u64::MAX;

/// The two modes of an incremental collector (Lua 5.4's `collectgarbage("incremental")`
/// and `("generational")`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum GcMode {
    /// Every cycle marks the whole heap.
    Incremental,
    /// Most cycles mark only the objects allocated since the last one, plus the old
    /// objects the write barrier remembered.
    Generational,
}

impl Default for HeapConfig {
    fn default() -> Self {
        HeapConfig {
            heap_limit: None,
            pause_percent: 200,
            min_trigger_bytes: 4 << 20,
            gc_threads: std::thread::available_parallelism().map_or(1, usize::from),
            parallel_min_bytes: 16 << 20,
            step_helpers_min_work: DEFAULT_STEP_HELPERS_MIN_WORK,
            stepmul_percent: 200,
            mode: None,
            pause_cpu_time: false,
            record_pauses: true,
            step_deadline: Some(DEFAULT_STEP_DEADLINE),
            max_gc_share_percent: None,
        }
    }
}

/// Allocation failed: the heap limit is reached even after a full collection, or the
/// operating system refused memory. The VM turns it into Lua's "not enough memory".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfMemory {
    /// The size of the request that failed, in bytes.
    pub requested: usize,
}

impl fmt::Display for OutOfMemory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not enough memory (allocating {} bytes)", self.requested)
    }
}

impl std::error::Error for OutOfMemory {}

/// A garbage collector with its heap, as a VM sees it.
///
/// The VM is monomorphised per collector: `luagc --gc NAME` picks the instance at start-up,
/// and the barrier and allocation fast paths inline into the interpreter.
///
/// # Safety of the methods that take an object
/// The barriers, [`Collector::revive`] and [`Collector::register_finalizer`] read the
/// header, the block bits or the arena metadata of the objects they are given, or (for
/// a registered finalizer) have the next collections trace them, so they are `unsafe`
/// with one contract: every [`ObjectRef`] passed is a live object this collector
/// allocated, that is, returned by its [`Collector::alloc_object`] (or
/// [`Collector::alloc_leaf`], where a leaf is allowed) and not freed since (reachable
/// from the roots at every collection since its allocation; for `revive`, found through
/// a weak reference not pruned yet). An [`ObjectRef`] is `Copy` and carries no lifetime,
/// so only the caller can know this. The other methods are safe for any reference:
/// [`Collector::contains`] compares addresses with the heap's own tables and reads
/// metadata only of memory the heap owns. Safe code cannot call a barrier:
///
/// ```compile_fail,E0133
/// use gc_core::collectors::Stw;
/// use gc_core::testing::{RootList, TestModel};
/// use gc_core::{Collector, HeapConfig};
///
/// let mut gc = Stw::<TestModel>::new(HeapConfig::default());
/// let obj = gc.alloc_object(1, 32, &mut RootList::default()).unwrap();
/// gc.collect(&mut RootList::default()); // `obj` was not rooted: it is freed
/// gc.write_barrier(obj);
/// ```
pub trait Collector<M: ObjectModel>: Sized {
    /// The name `luagc --gc` and the benchmark tables use.
    const NAME: &'static str;

    /// What the collector is, in a line (`luagc --help` lists it).
    const DESCRIPTION: &'static str;

    /// Whether the collector ever frees anything: tests whose outcome needs objects
    /// collected (weak entries cleared, finalizers run) skip those that do not.
    const COLLECTS: bool = true;

    /// The modes [`Collector::set_mode`] can force (`luagc --gc-mode`); empty for
    /// collectors without modes.
    const MODES: &'static [GcMode] = &[];

    /// A new, empty heap.
    fn new(config: HeapConfig) -> Self;

    /// Allocates a traversable object of `bytes` bytes (header included) and writes its
    /// header with the VM's `kind` byte. Above half an arena the block is huge and gets its
    /// own mapping. The rest of the object is uninitialised: the VM must initialise it
    /// before its next allocation, which may trace it.
    fn alloc_object<R: Roots>(
        &mut self,
        kind: u8,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory>;

    /// Allocates a leaf block (string bytes, number arrays): never scanned, no header.
    fn alloc_leaf<R: Roots>(
        &mut self,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory>;

    /// Allocates a leaf block that one object will own alone (a table's array or hash
    /// part, a stack): installed in its owner before the next allocation, referenced by no
    /// other object, and reported by [`ObjectModel::owned_leaves`] for as long as the
    /// owner holds it. A collector may keep such blocks off its lists and free them with
    /// their owner or when the owner replaces them ([`Collector::free_owned_leaf`]), as
    /// Lua 5.1 frees a table's parts; the default allocates an ordinary leaf block.
    #[inline(always)]
    fn alloc_owned_leaf<R: Roots>(
        &mut self,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        self.alloc_leaf(bytes, roots)
    }

    /// The VM's owner of `leaf` has replaced it (a table resized, a stack grown): a
    /// collector that keeps owned blocks off its lists frees it now, as 5.1's
    /// `luaM_reallocvector` does. The default leaves it to be found unreachable.
    ///
    /// # Safety
    /// `leaf` came from [`Collector::alloc_owned_leaf`] of this collector, its owner no
    /// longer holds it (so [`ObjectModel::owned_leaves`] no longer reports it), and
    /// nothing reads it again.
    #[inline(always)]
    unsafe fn free_owned_leaf(&mut self, leaf: ObjectRef) {
        let _ = leaf;
    }

    /// Must be called before a store into the traversable object `obj` that
    /// [`Collector::write_barrier_store`] does not describe: installing new parts, several
    /// stores at once, a store whose value the VM does not have at hand. The collector
    /// treats `obj` as changed as a whole (a backward barrier: traced again if it was
    /// traced). Collectors without incremental marking make it a no-op the compiler
    /// removes.
    ///
    /// # Safety
    /// `obj` is a live traversable object of this collector (see the trait's contract).
    unsafe fn write_barrier(&mut self, obj: ObjectRef);

    /// Must be called before each store of a reference to `stored` into the traversable
    /// object `obj`, after the last allocation before the store (or right after the
    /// store, with no allocation in between: the collector then sees `obj` as the store
    /// leaves it). The collector decides per object how to keep its invariant:
    /// mark `stored` (a forward barrier: NewGC for big objects, whose re-trace would be a
    /// long pause; Lua 5.1 for everything but tables) or trace `obj` again (backward, as
    /// [`Collector::write_barrier`]). The default is the backward barrier.
    ///
    /// # Safety
    /// `obj` is a live traversable object of this collector, `stored` a live object of
    /// it (see the trait's contract).
    #[inline(always)]
    unsafe fn write_barrier_store(&mut self, obj: ObjectRef, stored: ObjectRef) {
        let _ = stored;
        // SAFETY: forwarded from the caller.
        unsafe { self.write_barrier(obj) };
    }

    /// Must be called before a store into the traversable object `obj` (or into a leaf
    /// block it owns) overwrites `old`, a reference held at `slot`: the pre-write
    /// barrier of snapshot-at-the-beginning collectors (Yuasa's deletion barrier), which
    /// mark what the snapshot held. Stacks are exempt, as from every barrier. gc-core's
    /// collectors keep incremental-update invariants and leave it a no-op, which the
    /// compiler removes with the read of the old value.
    ///
    /// # Safety
    /// `obj` is a live traversable object of this collector and `old` a live object of
    /// it (see the trait's contract); `slot` lies inside `obj` or a leaf block it owns.
    #[inline(always)]
    unsafe fn write_barrier_pre(&mut self, obj: ObjectRef, slot: *const u8, old: ObjectRef) {
        let _ = (obj, slot, old);
    }

    /// Must be called for a move of values inside `obj` (see
    /// [`ObjectModel::part_count`]), as `table.insert` and `table.remove` shift an array
    /// and a resize re-inserts entries: the references `obj` holds stay the same, but one
    /// moved into a part already traced, out of one not traced yet, would be missed by a
    /// collector that traces `obj` a part at a time. `parts` are the parts that hold the
    /// moved values when the call is made: the source parts before the move, or the
    /// destination parts right after it, with no allocation in between. One call covers a
    /// whole range. Unlike a store, a move must not keep a weak object's entries alive.
    /// The default is the backward barrier.
    ///
    /// # Safety
    /// `obj` is a live traversable object of this collector (see the trait's contract).
    #[inline(always)]
    unsafe fn write_barrier_move(&mut self, obj: ObjectRef, parts: std::ops::Range<usize>) {
        let _ = parts;
        // SAFETY: forwarded from the caller.
        unsafe { self.write_barrier(obj) };
    }

    /// The VM found `obj` through a weak reference it has not pruned yet (its string
    /// intern table, see [`Roots::prune_weak_references_step`]) and will use it again:
    /// the collector keeps it alive. A no-op for collectors that prune at once.
    ///
    /// # Safety
    /// `obj` is a block of this collector found through a weak reference that
    /// [`Roots::prune_weak_references_step`] has not pruned yet (see the trait's
    /// contract): dead, perhaps, but not freed.
    #[inline(always)]
    unsafe fn revive(&mut self, obj: ObjectRef) {
        let _ = obj;
    }

    /// A point the VM reaches every so often while it runs, allocating or not, with every
    /// live reference in `roots`. A collector whose cycle is open does one increment of it
    /// here: a program that stops allocating must not hold a cycle, and the slower
    /// barrier paths it takes, open for good. The default does nothing: collectors that
    /// collect in one pause have no cycle open between allocations.
    fn safepoint<R: Roots>(&mut self, roots: &mut R) {
        let _ = roots;
    }

    /// A full collection: every object unreachable from `roots` is freed.
    fn collect<R: Roots>(&mut self, roots: &mut R);

    /// Lua's `collectgarbage("step", kbytes)`: does the collector work that `kbytes` KB of
    /// allocation would pay for (at least one increment), or a whole cycle for collectors
    /// that are not incremental. Returns whether a cycle finished, as Lua's does.
    fn step<R: Roots>(&mut self, roots: &mut R, kbytes: usize) -> bool {
        let _ = kbytes;
        self.collect(roots);
        true
    }

    /// Lua's `collectgarbage("setstepmul", percent)`: see [`HeapConfig::stepmul_percent`].
    fn set_stepmul(&mut self, percent: u32) {
        let _ = percent;
    }

    /// Forces `mode` (Lua 5.4's `collectgarbage("generational")`); returns the mode in
    /// force before, or `None` for collectors that have no modes.
    fn set_mode(&mut self, mode: GcMode) -> Option<GcMode> {
        let _ = mode;
        None
    }

    /// One step of the GC-stress mode (`luagc --gc-stress`), run before every N-th
    /// allocation: collector work at a moment the program did not choose, then a full
    /// heap verification. Stop-the-world collectors collect; incremental ones advance a
    /// cycle by a small increment, so the verifier also sees the heap mid-cycle.
    fn stress_step<R: Roots>(&mut self, roots: &mut R) -> Result<(), VerifyError> {
        self.collect(roots);
        self.verify(roots)
    }

    /// Registers `obj` for finalization (Lua: userdata whose metatable has `__gc`). When a
    /// collection finds it unreachable, it and everything it references survive that
    /// collection, and it is queued for [`Collector::take_pending_finalizers`].
    ///
    /// # Safety
    /// `obj` is a live traversable object of this collector (see the trait's contract):
    /// the collections that find it dead trace it.
    unsafe fn register_finalizer(&mut self, obj: ObjectRef);

    /// The objects queued for finalization since the last call, in the order to finalize
    /// them (reverse order of registration within a cycle). They stay alive until taken;
    /// from then on the VM must keep them rooted while it runs their finalizers.
    fn take_pending_finalizers(&mut self) -> Vec<ObjectRef>;

    /// When the VM shuts down: every queued and every registered object, in the order to
    /// finalize them (Lua runs all finalizers when a state closes).
    fn take_all_finalizers(&mut self) -> Vec<ObjectRef>;

    /// Lua's `collectgarbage("setpause", percent)`: see [`HeapConfig::pause_percent`].
    /// Takes effect from the next trigger computation.
    fn set_pause(&mut self, percent: u32);

    /// Lua's `collectgarbage("stop")` (false) and `("restart")` (true): whether
    /// collections start by themselves. Explicit collections still run, and so does the
    /// collection forced at the heap limit, which would otherwise be a spurious
    /// out-of-memory error (Lua 5.4's emergency collection behaves the same).
    fn set_auto_collect(&mut self, enabled: bool);

    /// Sets the heap limit (see [`HeapConfig::heap_limit`]).
    fn set_heap_limit(&mut self, limit: Option<usize>);

    /// The heap limit in force: a VM bounds the buffers it builds outside the heap by
    /// it too (their contents end up in the heap).
    fn heap_limit(&self) -> Option<usize>;

    /// Statistics so far.
    fn stats(&self) -> Stats;

    /// Bytes in allocated blocks now, as `stats().heap_bytes` reports them: Lua's
    /// `collectgarbage("count")`, which programs call in loops, so collectors answer it
    /// without assembling the rest of the statistics (pause percentiles, the MMU curve,
    /// the RSS read from `/proc`).
    fn heap_bytes(&self) -> u64 {
        self.stats().heap_bytes
    }

    /// Whether `obj` is an allocated block of this heap (not freed). For tests and
    /// debugging tools; not a fast path. Safe for any reference: implementations look
    /// the address up in the heap's own tables before they read any block metadata.
    fn contains(&self, obj: ObjectRef) -> bool;

    /// Checks the heap's invariants and that everything reachable from `roots` is allocated.
    fn verify<R: Roots>(&mut self, roots: &mut R) -> Result<(), VerifyError>;
}
