//! The spaces, and the NewGC heap over them: two spaces of size-aligned arenas
//! (traversable objects and leaf blocks), the large-object space, and the accounting the
//! collectors pace themselves by. The malloc space (`malloc_space`, Lua 5.1's design) is a
//! space of its own, which `lua51` uses instead of this heap.
//!
//! The heap allocates and sweeps; it does not decide when to collect. A collector passes
//! its decision into [`Heap::alloc_slow`] as a trigger and a callback. Invariant: every
//! block the heap hands out is either in an arena of the matching kind or in the
//! large-object space, and the heap's memory (arenas in use plus huge mappings) never
//! exceeds the limit.

pub mod arena;
pub mod arena_source;
pub mod bitmap;
pub mod bump;
pub mod free_bins;
pub mod large_object_space;
pub mod malloc_space;
pub mod os;
pub mod space;

use std::collections::HashSet;

use crate::collector::{HeapConfig, OutOfMemory};
use crate::object_model::{GcHeader, ObjectRef};
use crate::stats::HeapSizes;
use arena::{cells_for, ArenaKind, ARENA_SIZE, CELL_SHIFT};
use arena_source::ArenaSource;
use bitmap::SweepKind;
use large_object_space::{LargeObjectSpace, LARGE_THRESHOLD};
use space::Space;

/// Unswept arenas the allocation slow path sweeps at most, while the heap may grow,
/// looking for free space (see `space`); the collector's steps sweep the rest.
const ALLOC_SWEEP_ARENAS: usize = 16;

/// What a collector does when the heap cannot satisfy an allocation from free space.
pub trait GrowthPolicy {
    /// Whether the heap has grown enough that a collection should run before it grows more.
    fn should_collect(&self, heap: &Heap) -> bool;
    /// Runs a collection; returns false if this collector never collects.
    fn collect(&mut self, heap: &mut Heap) -> bool;
}

/// The growth policy of [`Heap::alloc_growing`]: grow until the limit, never collect.
struct NeverCollect;

impl GrowthPolicy for NeverCollect {
    fn should_collect(&self, _heap: &Heap) -> bool {
        false
    }

    fn collect(&mut self, _heap: &mut Heap) -> bool {
        false
    }
}

/// The heap: arenas, huge blocks, and their accounting.
pub struct Heap {
    source: ArenaSource,
    objects: Space,
    leaves: Space,
    los: LargeObjectSpace,
    limit: Option<usize>,
    /// Threads for marking and sweeping big heaps, and what "big" means.
    threads: usize,
    parallel_min_bytes: usize,
    /// Bytes allocated in huge blocks over the heap's life.
    huge_allocated: u64,
    /// Bytes of allocated blocks the last collection left (its live heap).
    live_bytes: u64,
    /// Total allocation when the last collection finished.
    allocated_at_last_collection: u64,
    peak_heap_bytes: u64,
    /// The sweep a held leaf sweep will run once released (huge leaf blocks included).
    leaf_sweep_kind: SweepKind,
    /// While the leaf sweep is held: the leaf arenas and huge leaf blocks it holds.
    held_leaf_arenas: HashSet<usize>,
    held_huge_leaves: HashSet<usize>,
}

impl Heap {
    /// An empty heap with `config`'s limit and parallelism.
    pub fn new(config: &HeapConfig) -> Heap {
        Heap {
            source: ArenaSource::default(),
            objects: Space::new(ArenaKind::Objects),
            leaves: Space::new(ArenaKind::Leaves),
            los: LargeObjectSpace::default(),
            limit: config.heap_limit,
            threads: config.gc_threads.max(1),
            parallel_min_bytes: config.parallel_min_bytes,
            huge_allocated: 0,
            live_bytes: 0,
            allocated_at_last_collection: 0,
            peak_heap_bytes: 0,
            leaf_sweep_kind: SweepKind::Major,
            held_leaf_arenas: HashSet::new(),
            held_huge_leaves: HashSet::new(),
        }
    }

    /// The space for traversable objects or for leaf blocks.
    #[inline(always)]
    pub fn space_mut(&mut self, kind: ArenaKind) -> &mut Space {
        match kind {
            ArenaKind::Objects => &mut self.objects,
            ArenaKind::Leaves => &mut self.leaves,
        }
    }

    /// Both spaces.
    pub fn spaces(&self) -> [&Space; 2] {
        [&self.objects, &self.leaves]
    }

    /// The large-object space.
    pub fn large_objects(&self) -> &LargeObjectSpace {
        &self.los
    }

    /// The fast path: bump allocation of `bytes` (header included for objects), or `None`
    /// when the slow path must run. Writes the header of traversable objects, with the
    /// collector's `flags` (the color new objects get). Huge requests always take the slow
    /// path, even when the bump region could hold them.
    #[inline(always)]
    pub fn alloc_fast(
        &mut self,
        kind: ArenaKind,
        object_kind: u8,
        bytes: usize,
        flags: u8,
    ) -> Option<ObjectRef> {
        if bytes > LARGE_THRESHOLD {
            return None;
        }
        let rounded = (bytes.max(1) + 15) & !15;
        let addr = self.space_mut(kind).alloc_fast(rounded)?;
        Some(finish_block(
            addr,
            kind,
            object_kind,
            rounded >> CELL_SHIFT,
            flags,
        ))
    }

    /// Allocates without ever collecting: the fast path, else the slow path growing the
    /// heap up to its limit. For `epsilon`, and for tools and tests that build heaps by
    /// hand.
    #[inline(always)]
    pub fn alloc_growing(
        &mut self,
        kind: ArenaKind,
        object_kind: u8,
        bytes: usize,
        flags: u8,
    ) -> Result<ObjectRef, OutOfMemory> {
        match self.alloc_fast(kind, object_kind, bytes, flags) {
            Some(obj) => Ok(obj),
            None => self.alloc_slow(kind, object_kind, bytes, flags, &mut NeverCollect),
        }
    }

    /// The slow path: free space, else new memory below the collector's trigger, else a
    /// collection, else new memory up to the limit, else [`OutOfMemory`]. `flags` as for
    /// [`Heap::alloc_fast`].
    #[inline(never)]
    pub fn alloc_slow(
        &mut self,
        kind: ArenaKind,
        object_kind: u8,
        bytes: usize,
        flags: u8,
        policy: &mut impl GrowthPolicy,
    ) -> Result<ObjectRef, OutOfMemory> {
        let out_of_memory = OutOfMemory { requested: bytes };
        if bytes > LARGE_THRESHOLD {
            let mapping = bytes
                .checked_next_multiple_of(ARENA_SIZE)
                .ok_or(out_of_memory)?;
            self.note_peak();
            if policy.should_collect(self) || !self.can_grow(mapping) {
                policy.collect(self);
            }
            if !self.can_grow(mapping) {
                return Err(out_of_memory);
            }
            let ptr = self
                .los
                .alloc(bytes, kind == ArenaKind::Objects)
                .ok_or(out_of_memory)?;
            self.huge_allocated += mapping as u64;
            return Ok(finish_block(
                ptr.as_ptr() as usize,
                kind,
                object_kind,
                0,
                flags,
            ));
        }
        let cells = cells_for(bytes);
        let mut collected = false;
        loop {
            // A few unswept arenas at most while the heap may grow; at its limit, all.
            let max_sweeps = if self.can_grow(ARENA_SIZE) {
                ALLOC_SWEEP_ARENAS
            } else {
                usize::MAX
            };
            if let Some(addr) = self.space_mut(kind).alloc_reusing(cells, max_sweeps) {
                return Ok(finish_block(addr, kind, object_kind, cells, flags));
            }
            self.note_peak();
            // Collect at the trigger; past the limit, collect even below it.
            let want_collection = policy.should_collect(self) || !self.can_grow(ARENA_SIZE);
            if want_collection && !collected {
                collected = true;
                if policy.collect(self) {
                    continue;
                }
            }
            if !self.can_grow(ARENA_SIZE) {
                return Err(out_of_memory);
            }
            let space = match kind {
                ArenaKind::Objects => &mut self.objects,
                ArenaKind::Leaves => &mut self.leaves,
            };
            let addr = space
                .alloc_in_new_arena(&mut self.source, cells)
                .ok_or(out_of_memory)?;
            return Ok(finish_block(addr, kind, object_kind, cells, flags));
        }
    }

    fn can_grow(&self, bytes: usize) -> bool {
        self.limit
            .is_none_or(|limit| self.mapped_in_use().saturating_add(bytes) <= limit)
    }

    /// Bytes of memory the heap holds for objects: arenas in use plus huge mappings. This
    /// is what the limit bounds.
    pub fn mapped_in_use(&self) -> usize {
        self.source.arenas_in_use() * ARENA_SIZE + self.los.mapped_bytes()
    }

    /// Bytes of address space mapped, reserve arenas included.
    pub fn mapped_bytes(&self) -> usize {
        self.source.mapped_bytes() + self.los.mapped_bytes()
    }

    /// Sets the memory limit.
    pub fn set_limit(&mut self, limit: Option<usize>) {
        self.limit = limit;
    }

    /// The memory limit.
    pub fn limit(&self) -> Option<usize> {
        self.limit
    }

    /// Bytes allocated over the heap's life.
    pub fn allocated_bytes(&self) -> u64 {
        self.objects.allocated_bytes() + self.leaves.allocated_bytes() + self.huge_allocated
    }

    /// Bytes in allocated blocks now: the last live heap plus what was allocated since.
    pub fn heap_bytes(&self) -> u64 {
        self.live_bytes + (self.allocated_bytes() - self.allocated_at_last_collection)
    }

    /// The live heap the last collection found.
    pub fn live_bytes(&self) -> u64 {
        self.live_bytes
    }

    /// The largest `heap_bytes` seen (sampled on slow paths and at collections, so it may
    /// miss at most one bump region's worth of growth).
    pub fn peak_heap_bytes(&self) -> u64 {
        self.peak_heap_bytes.max(self.heap_bytes())
    }

    fn note_peak(&mut self) {
        self.peak_heap_bytes = self.peak_heap_bytes.max(self.heap_bytes());
    }

    /// Whether `obj` is an allocated block of this heap. A linear search of the arena
    /// tables: for tests and debugging, not for hot paths.
    pub fn contains(&self, obj: ObjectRef) -> bool {
        let addr = obj.addr();
        if arena::is_huge(addr) {
            return self.los.get(addr).is_some();
        }
        let arena = arena::Arena::containing(addr);
        let ours = self
            .spaces()
            .iter()
            .any(|space| space.arenas().contains(&arena));
        let cell = arena::cell_of(addr);
        // SAFETY: evaluated only for one of this heap's live arenas.
        ours && addr.is_multiple_of(arena::CELL_SIZE)
            && cell >= arena::FIRST_DATA_CELL
            && unsafe { arena.bitmaps() }.is_allocated(cell)
    }

    /// The heap's sizes, for [`Stats`](crate::Stats).
    pub fn sizes(&self) -> HeapSizes {
        HeapSizes {
            allocated_bytes: self.allocated_bytes(),
            live_bytes: self.live_bytes(),
            heap_bytes: self.heap_bytes(),
            peak_heap_bytes: self.peak_heap_bytes(),
            mapped_bytes: self.mapped_bytes() as u64,
            arenas: self.arenas_in_use(),
            huge_blocks: self.los.len(),
        }
    }

    /// Sets the threads that mark and sweep big heaps (see [`HeapConfig::gc_threads`]).
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.max(1);
    }

    /// How many threads should mark and sweep this heap now: its configured threads once
    /// it is big enough to pay for them, else one.
    pub fn parallelism(&self) -> usize {
        if self.mapped_in_use() >= self.parallel_min_bytes {
            self.threads
        } else {
            1
        }
    }

    /// Arenas in use.
    pub fn arenas_in_use(&self) -> usize {
        self.source.arenas_in_use()
    }

    /// Emptied arenas whose memory went back to the OS so far (see `trim`).
    pub fn arenas_returned(&self) -> u64 {
        self.source.arenas_returned()
    }

    /// Starts a collection: completes the bitmap encoding and drops the allocator's free
    /// space bookkeeping.
    pub fn prepare_for_collection(&mut self) {
        self.note_peak();
        self.objects.prepare_for_collection();
        self.leaves.prepare_for_collection();
    }

    /// The major sweep of every arena and of the large-object space, on
    /// [`Heap::parallelism`] threads. Returns the number of arenas and huge blocks released.
    pub fn sweep_major(&mut self) -> (usize, usize) {
        let threads = self.parallelism();
        let huge_before = self.los.len();
        self.los.sweep(threads);
        let arenas = self.objects.sweep_major(&mut self.source, threads)
            + self.leaves.sweep_major(&mut self.source, threads);
        (arenas, huge_before - self.los.len())
    }

    /// Ends the marking of an incremental cycle that found `live_bytes` reachable: takes
    /// the dead huge blocks out of the large-object space now (their mappings go back to
    /// the OS in later sweep steps) and starts a lazy sweep of `kind` of every arena. From here the heap counts `live_bytes` plus what is allocated next.
    pub fn begin_sweep(&mut self, kind: SweepKind, live_bytes: u64) {
        self.note_peak();
        self.leaf_sweep_kind = kind;
        let held = &self.held_huge_leaves;
        self.los
            .take_dead_where(kind, |addr, _| !held.contains(&addr));
        self.objects.begin_sweep(kind);
        self.leaves.begin_sweep(kind);
        self.live_bytes = live_bytes;
        self.allocated_at_last_collection = self.allocated_bytes();
    }

    /// Sweeps up to `max_arenas` unswept arenas; returns how many it swept (fewer when the
    /// lazy sweep is done).
    pub fn sweep_some(&mut self, max_arenas: usize) -> usize {
        let mut swept = 0;
        // A piece of a dead huge block's mapping goes back to the OS, as one unit.
        if self.los.unmap_dead_piece() {
            swept += 1;
        }
        while swept < max_arenas
            && (self.objects.sweep_next(&mut self.source)
                || self.leaves.sweep_next(&mut self.source))
        {
            swept += 1;
        }
        swept
    }

    /// Bounds the bump regions of both spaces to `bytes`, so the allocation slow path runs
    /// at least that often (incremental collectors step there). `ARENA_SIZE` lifts it.
    pub fn set_max_bump_region(&mut self, bytes: usize) {
        self.objects.set_max_region(bytes);
        self.leaves.set_max_region(bytes);
    }

    /// Holds the lazy sweep of the leaf arenas while the VM prunes its weak references
    /// to leaf blocks (its string table) step by step, or releases it.
    /// Call before `begin_sweep`: the blocks held are those allocated now.
    pub fn hold_leaf_sweep(&mut self, held: bool) {
        if held {
            self.held_leaf_arenas = self
                .leaves
                .arenas()
                .iter()
                .map(|arena| arena.base())
                .collect();
            self.held_huge_leaves = self
                .los
                .iter()
                .filter(|(_, block)| !block.traversable)
                .map(|(addr, _)| addr)
                .collect();
        } else if self.leaves.sweep_is_held() {
            let kind = self.leaf_sweep_kind;
            let huge = std::mem::take(&mut self.held_huge_leaves);
            self.los
                .take_dead_where(kind, |addr, _| huge.contains(&addr));
            self.held_leaf_arenas.clear();
        }
        self.leaves.hold_sweep(held);
    }

    /// Whether `obj` is a leaf block whose sweep is held (allocated before the hold):
    /// only such a block can be dead while the VM still holds a weak reference to it.
    pub fn is_held_leaf(&self, obj: ObjectRef) -> bool {
        let addr = obj.addr();
        if arena::is_huge(addr) {
            self.held_huge_leaves.contains(&addr)
        } else {
            self.held_leaf_arenas.contains(&(addr & !arena::ARENA_MASK))
        }
    }

    /// Arenas the lazy sweep has not swept yet, and dead huge blocks not yet unmapped.
    pub fn unswept_arenas(&self) -> usize {
        self.objects.unswept_count()
            + self.leaves.unswept_count()
            + usize::from(self.los.has_dead())
    }

    /// Keeps `headroom_bytes` of emptied arenas resident for the coming growth and returns
    /// the rest to the OS (see [`Heap::finish_collection`]).
    pub fn trim(&mut self, headroom_bytes: u64) {
        self.trim_some(headroom_bytes, usize::MAX);
    }

    /// [`Heap::trim`], returning `max_arenas` at most to the OS, so that an incremental
    /// collector spreads a big trim over its steps. Returns whether it is done.
    pub fn trim_some(&mut self, headroom_bytes: u64, max_arenas: usize) -> bool {
        self.source.trim_some(
            usize::try_from(headroom_bytes).unwrap_or(usize::MAX),
            max_arenas,
        )
    }

    /// Unmarks every block and huge block: ends generational mode's sticky marks before a
    /// marking of the whole heap. Requires no lazy sweep in progress.
    pub fn unmark_all(&mut self) {
        debug_assert_eq!(self.unswept_arenas(), 0);
        self.objects.unmark_all();
        self.leaves.unmark_all();
        self.los.unmark_all();
    }

    /// Ends a collection that found `live_bytes` reachable. `headroom_bytes` is how much
    /// the collector expects the heap to grow before its next collection: that much of the
    /// arenas the sweep emptied stays resident for reuse, the rest goes back to the OS.
    pub fn finish_collection(&mut self, live_bytes: u64, headroom_bytes: u64) {
        self.live_bytes = live_bytes;
        self.allocated_at_last_collection = self.allocated_bytes();
        self.source
            .trim(usize::try_from(headroom_bytes).unwrap_or(usize::MAX));
    }
}

/// Writes the header of a new traversable object (with the collector's `flags`) and wraps
/// the address.
#[inline(always)]
fn finish_block(
    addr: usize,
    kind: ArenaKind,
    object_kind: u8,
    cells: usize,
    flags: u8,
) -> ObjectRef {
    if kind == ArenaKind::Objects {
        let header = GcHeader::new(object_kind, cells as u32, flags);
        // SAFETY: addr is a fresh block of at least one cell, owned by the caller.
        unsafe { (addr as *mut GcHeader).write(header) };
    }
    // SAFETY: blocks are never at address 0, so the pointer is not null.
    unsafe { ObjectRef::from_ptr(addr as *mut u8).unwrap_unchecked() }
}

impl Drop for Heap {
    fn drop(&mut self) {
        self.objects.release_all(&mut self.source);
        self.leaves.release_all(&mut self.source);
        self.source.trim(0);
    }
}
