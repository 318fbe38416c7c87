//! The spaces (MMTk's policies), one shape each behind the [`space::Space`] trait, and the
//! NewGC heap over three of them:
//! - `arena_space`: size-aligned arenas of 16-byte cells with block and mark bitmaps
//!   (`arena`, `bitmap`, from `arena_source`), bump and segregated-fit allocation, and a
//!   bitmap sweep, eager or lazy;
//! - `large_object_space`: a mapping per huge block, marks in a table;
//! - `malloc_space`: Lua 5.1's design, a `malloc` per block on one list, which `lua51`
//!   uses instead of this heap.
//!
//! [`Heap`] is the arena space of traversable objects, that of leaf blocks and the
//! large-object space, with the accounting the collectors pace themselves by. It
//! allocates and sweeps; it does not decide when to collect, and it keeps no collector's
//! state: a collector passes its decisions in (a trigger and a callback to
//! [`Heap::alloc_slow`], the huge blocks a lazy sweep may free to [`Heap::begin_sweep`]).
//! Invariant: every block the heap hands out is either in an arena of the matching kind or
//! in the large-object space, and the heap's memory (arenas in use plus huge mappings)
//! never exceeds the limit.

pub mod arena;
pub mod arena_source;
pub mod arena_space;
pub mod bitmap;
pub mod large_object_space;
pub mod malloc_space;
pub mod os;
pub mod poison;
pub mod space;

use crate::collector::{HeapConfig, OutOfMemory};
use crate::footprint::{Footprint, PeakFootprint};
use crate::object_model::{GcHeader, ObjectRef};
use crate::parallel::WorkerThreads;
use crate::stats::HeapSizes;
use crate::verify::{fail, VerifyError};
use arena::{cells_for, heap_ptr, is_huge, ArenaKind, ARENA_SIZE, CELL_SHIFT, METADATA_BYTES};
use arena_source::ArenaSource;
use arena_space::ArenaSpace;
use bitmap::SweepKind;
use large_object_space::{LargeObjectSpace, LARGE_THRESHOLD};
use space::Space;

/// Unswept arenas the allocation slow path sweeps at most, while the heap may grow,
/// looking for free space (see `arena_space`); the collector's steps sweep the rest.
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

/// The NewGC heap: the arena spaces of objects and of leaf blocks over one arena source,
/// the large-object space, and their accounting.
pub struct Heap {
    source: ArenaSource,
    objects: ArenaSpace,
    leaves: ArenaSpace,
    los: LargeObjectSpace,
    limit: Option<usize>,
    /// Threads for marking and sweeping big heaps, and what "big" means.
    workers: WorkerThreads,
    parallel_min_bytes: usize,
    /// Bytes of allocated blocks the last collection left (its live heap).
    live_bytes: u64,
    /// Total allocation when the last collection finished, and the huge blocks' part.
    allocated_at_last_collection: u64,
    huge_allocated_at_last_collection: u64,
    /// Bytes of owned blocks allocated since the last collection and freed by their
    /// owners since (see `free_owned`).
    freed_since_collection: u64,
    peak_heap_bytes: u64,
    /// Where the memory was at the largest of the samples (see `note_peak`).
    peak_footprint: PeakFootprint,
    /// The collector's bookkeeping at its last sample, and the heap size at which
    /// `note_peak` samples next.
    collector_metadata: u64,
    next_peak_sample: u64,
}

impl Heap {
    /// An empty heap with `config`'s limit and parallelism.
    pub fn new(config: &HeapConfig) -> Heap {
        Heap {
            source: ArenaSource::default(),
            objects: ArenaSpace::new(ArenaKind::Objects),
            leaves: ArenaSpace::new(ArenaKind::Leaves),
            los: LargeObjectSpace::default(),
            limit: config.heap_limit,
            workers: WorkerThreads::new(config.gc_threads),
            parallel_min_bytes: config.parallel_min_bytes,
            live_bytes: 0,
            allocated_at_last_collection: 0,
            huge_allocated_at_last_collection: 0,
            freed_since_collection: 0,
            peak_heap_bytes: 0,
            peak_footprint: PeakFootprint::default(),
            collector_metadata: 0,
            next_peak_sample: 0,
        }
    }

    /// The arena space for traversable objects or for leaf blocks.
    #[inline(always)]
    pub fn space_mut(&mut self, kind: ArenaKind) -> &mut ArenaSpace {
        match kind {
            ArenaKind::Objects => &mut self.objects,
            ArenaKind::Leaves => &mut self.leaves,
        }
    }

    /// The arena space for traversable objects or for leaf blocks.
    pub fn space(&self, kind: ArenaKind) -> &ArenaSpace {
        match kind {
            ArenaKind::Objects => &self.objects,
            ArenaKind::Leaves => &self.leaves,
        }
    }

    /// Both arena spaces.
    pub fn arena_spaces(&self) -> [&ArenaSpace; 2] {
        [&self.objects, &self.leaves]
    }

    /// The large-object space.
    pub fn large_objects(&self) -> &LargeObjectSpace {
        &self.los
    }

    /// Every space of the heap: the two arena spaces and the large-object space.
    pub fn spaces(&self) -> [&dyn Space; 3] {
        [&self.objects, &self.leaves, &self.los]
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
            return Ok(finish_block(
                ptr.as_ptr().addr(),
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
        self.source.arenas_in_use() * ARENA_SIZE + self.los.stats().held_bytes as usize
    }

    /// Bytes of address space mapped, reserve arenas included.
    pub fn mapped_bytes(&self) -> usize {
        self.source.mapped_bytes() + self.los.stats().held_bytes as usize
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
    #[inline]
    pub fn allocated_bytes(&self) -> u64 {
        self.objects.stats().allocated_bytes
            + self.leaves.stats().allocated_bytes
            + self.huge_allocated_bytes()
    }

    /// The part of [`Heap::allocated_bytes`] in huge blocks (their whole mappings).
    pub fn huge_allocated_bytes(&self) -> u64 {
        self.los.stats().allocated_bytes
    }

    /// Bytes in allocated blocks now: the last live heap plus what was allocated since,
    /// less what owners freed since.
    pub fn heap_bytes(&self) -> u64 {
        self.live_bytes + (self.allocated_bytes() - self.allocated_at_last_collection)
            - self.freed_since_collection
    }

    /// Marks `leaf`, a leaf block one object owns alone (see
    /// [`Collector::alloc_owned_leaf`](crate::Collector::alloc_owned_leaf)), so that
    /// [`Heap::free_owned`] may free it.
    pub fn set_owned(&mut self, leaf: ObjectRef) {
        if is_huge(leaf.addr()) {
            self.los.set_owned(leaf.addr());
        }
    }

    /// Frees `leaf`, an owned block its owner replaced, if it is huge: its mapping goes
    /// back to the OS now. Arena blocks are left to the sweep (a cell's bits may not
    /// change under a lazy sweep or a bump region). Returns what was freed, if anything;
    /// the caller then drops any reference its own records keep to it, and any count of
    /// it in a running marking.
    ///
    /// # Safety
    /// `leaf` is a block [`Heap::set_owned`] marked, its owner no longer holds it, and
    /// nothing reads it again.
    pub unsafe fn free_owned(&mut self, leaf: ObjectRef) -> Option<FreedBlock> {
        if !is_huge(leaf.addr()) {
            return None;
        }
        let block = self.los.free_owned(leaf.addr())?;
        let bytes = block.mapping_bytes as u64;
        let young = block.allocated_at >= self.huge_allocated_at_last_collection;
        if young {
            self.freed_since_collection += bytes;
        } else {
            // Counted in the last live heap (its owner was live then).
            self.live_bytes = self.live_bytes.saturating_sub(bytes);
        }
        Some(FreedBlock {
            bytes,
            marked: block.is_marked(),
            young,
        })
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

    /// Records a new peak heap; at peaks a sixteenth above the last sampled one, samples
    /// the footprint too (so a run reads the RSS a few dozen times per tenfold growth).
    fn note_peak(&mut self) {
        let heap = self.heap_bytes();
        if heap <= self.peak_heap_bytes {
            return;
        }
        self.peak_heap_bytes = heap;
        if heap >= self.next_peak_sample {
            self.next_peak_sample = heap + heap / 16;
            let sample = self.footprint(self.collector_metadata);
            self.peak_footprint.offer(sample);
        }
    }

    /// Where the heap's memory is now, with `collector_metadata` bytes of the collector's
    /// own bookkeeping (gray queues, store buffers, pause log). Blocks in use are the
    /// heap's bytes outside huge blocks, exact between a marking's end and its sweep
    /// (where collectors sample), an estimate elsewhere.
    pub fn footprint(&self, collector_metadata: u64) -> Footprint {
        let los = self.los.stats();
        let (large_used, large_table) = self.los.used_and_table_bytes();
        let arena_data = (self.arenas_in_use() * (ARENA_SIZE - METADATA_BYTES)) as u64;
        // The heap's huge blocks are the mapped ones less those dead and not unmapped yet.
        let huge = los.held_bytes - self.los.dead_mapped_bytes();
        let in_use = self.heap_bytes().saturating_sub(huge).min(arena_data);
        Footprint {
            rss_bytes: 0,
            rss_file_bytes: 0,
            in_use_bytes: in_use,
            free_in_arenas_bytes: arena_data - in_use,
            empty_arenas_bytes: self.source.held_empty_bytes() as u64,
            large_mapped_bytes: los.held_bytes,
            large_used_bytes: large_used,
            metadata_bytes: (self.arenas_in_use() * METADATA_BYTES) as u64
                + self.objects.table_bytes()
                + self.leaves.table_bytes()
                + self.source.table_bytes()
                + large_table
                + collector_metadata,
        }
    }

    /// Samples [`Heap::footprint`] for the peak (see `footprint`): collectors call it
    /// where a cycle's heap is largest, at the end of marking; the heap also samples at
    /// new peaks on its own (see `note_peak`), between cycles, with the bookkeeping of
    /// this last call.
    pub fn sample_footprint(&mut self, collector_metadata: u64) {
        self.collector_metadata = collector_metadata;
        let sample = self.footprint(collector_metadata);
        self.peak_footprint.offer(sample);
    }

    /// Whether `obj` is an allocated block of this heap. A linear search of the arena
    /// tables: for tests and debugging, not for hot paths.
    pub fn contains(&self, obj: ObjectRef) -> bool {
        self.spaces().iter().any(|space| space.contains(obj))
    }

    /// Verifies every space (see [`Space::verify`]), and, unless `black_allowed`, that no
    /// block is marked, as a whitening sweep leaves the heap between collections.
    pub fn verify_spaces(&self, black_allowed: bool) -> Result<(), VerifyError> {
        for space in self.spaces() {
            space.verify()?;
        }
        if black_allowed {
            return Ok(());
        }
        let black = self.arena_spaces().iter().find_map(|s| s.first_black());
        if let Some(addr) = black.or_else(|| self.los.first_marked()) {
            fail!("black block at {addr:#x} between collections");
        }
        Ok(())
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
            huge_blocks: self.los.stats().pieces,
            footprint_at_peak: self.peak_footprint.peak(),
        }
    }

    /// Sets the threads that mark and sweep big heaps (see [`HeapConfig::gc_threads`]);
    /// they start when next needed.
    pub fn set_threads(&mut self, threads: usize) {
        self.workers = WorkerThreads::new(threads);
    }

    /// The threads that mark and sweep this heap now: its worker threads once it is big
    /// enough to pay for them and has more than one, else none (the caller's thread
    /// alone).
    pub fn parallel_workers(&self) -> Option<&WorkerThreads> {
        worth_parallel(&self.workers, self.mapped_in_use(), self.parallel_min_bytes)
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
    /// [`Heap::parallel_workers`]. Returns the number of arenas and huge blocks released.
    pub fn sweep_major(&mut self) -> (usize, usize) {
        let huge_before = self.los.stats().pieces;
        self.los.sweep();
        let arenas = self.sweep_arenas_major();
        (arenas, huge_before - self.los.stats().pieces)
    }

    /// [`Heap::sweep_major`] for an incremental collector: the dead huge blocks leave the
    /// large-object space, but their mappings go back to the OS later, a piece at a time
    /// ([`Heap::trim_some`], or the next lazy sweep), as an incremental cycle's do:
    /// unmapping hundreds of megabytes at once is a pause of tens of milliseconds.
    /// Returns the number of arenas released.
    pub fn sweep_major_unmapping_later(&mut self) -> usize {
        self.free_dead_huge_where(SweepKind::Major, |_| true);
        self.sweep_arenas_major()
    }

    /// The major sweep of both arena spaces, on [`Heap::parallel_workers`]. Returns the
    /// number of arenas released.
    fn sweep_arenas_major(&mut self) -> usize {
        let workers = worth_parallel(&self.workers, self.mapped_in_use(), self.parallel_min_bytes);
        self.objects.sweep_major(&mut self.source, workers)
            + self.leaves.sweep_major(&mut self.source, workers)
    }

    /// Ends the marking of an incremental cycle that found `live_bytes` reachable: takes
    /// the dead huge blocks `frees_huge` selects (by address) out of the large-object
    /// space now (their mappings go back to the OS in later sweep steps; a collector that
    /// holds some back frees them with [`Heap::free_dead_huge_where`]) and starts a lazy
    /// sweep of `kind` of every arena. From here the heap counts `live_bytes` plus what is
    /// allocated next.
    pub fn begin_sweep(
        &mut self,
        kind: SweepKind,
        live_bytes: u64,
        frees_huge: impl Fn(usize) -> bool,
    ) {
        self.note_peak();
        self.free_dead_huge_where(kind, frees_huge);
        self.objects.begin_sweep(kind);
        self.leaves.begin_sweep(kind);
        self.count_from(live_bytes);
    }

    /// Counts the heap from a collection that found `live_bytes` (see `heap_bytes`).
    fn count_from(&mut self, live_bytes: u64) {
        self.live_bytes = live_bytes;
        self.allocated_at_last_collection = self.allocated_bytes();
        self.huge_allocated_at_last_collection = self.huge_allocated_bytes();
        self.freed_since_collection = 0;
    }

    /// Unmaps up to `max_pieces` pieces (`UNMAP_PIECE` bytes at most each) of the dead
    /// huge blocks' mappings, the part of the lazy sweep that goes first: on a heap of
    /// huge blocks they are most of the sweep, and they must go back as fast as the
    /// program maps new ones, or the cycle (and the next one's start) waits on them.
    /// Returns the pieces unmapped (fewer when none is left).
    pub fn unmap_dead_some(&mut self, max_pieces: usize) -> usize {
        let mut unmapped = 0;
        while unmapped < max_pieces && self.los.unmap_dead_piece() {
            unmapped += 1;
        }
        unmapped
    }

    /// Sweeps up to `max_arenas` arenas of the lazy sweep. Returns the arenas swept
    /// (fewer when the lazy sweep is done, or waits on the held leaf arenas).
    pub fn sweep_some(&mut self, max_arenas: usize) -> usize {
        let mut swept = 0;
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

    /// Takes the dead huge blocks `which` selects (by address) out of the large-object
    /// space, as [`Heap::begin_sweep`] does, after a sweep of `kind`.
    pub fn free_dead_huge_where(&mut self, kind: SweepKind, which: impl Fn(usize) -> bool) {
        self.los.take_dead_where(kind, which);
    }

    /// Holds the lazy sweep of the leaf arenas (the allocator takes new arenas rather than
    /// sweep them), or releases it.
    pub fn hold_leaf_sweep(&mut self, held: bool) {
        self.leaves.hold_sweep(held);
    }

    /// Arenas the lazy sweep has not swept yet, and dead huge blocks not yet unmapped.
    pub fn unswept_arenas(&self) -> usize {
        self.objects.unswept_count()
            + self.leaves.unswept_count()
            + usize::from(self.los.has_dead())
    }

    /// Returns the mappings of dead huge blocks still held to the OS, and keeps
    /// `headroom_bytes` of emptied arenas resident for the coming growth, returning the
    /// rest (see [`Heap::finish_collection`]).
    pub fn trim(&mut self, headroom_bytes: u64) {
        self.trim_some(headroom_bytes, usize::MAX);
    }

    /// [`Heap::trim`], returning `max_arenas` at most to the OS (a dead huge block's
    /// mapping counts an arena a piece), so that an incremental collector spreads a big
    /// trim over its steps. Returns whether it is done.
    pub fn trim_some(&mut self, headroom_bytes: u64, max_arenas: usize) -> bool {
        let mut left = max_arenas;
        while left > 0 && self.los.unmap_dead_piece() {
            left -= 1;
        }
        left > 0
            && self
                .source
                .trim_some(usize::try_from(headroom_bytes).unwrap_or(usize::MAX), left)
    }

    /// Unmarks every block and huge block: ends generational mode's sticky marks before a
    /// marking of the whole heap. Requires no lazy sweep of arenas in progress (dead huge
    /// blocks waiting to be unmapped are out of the table, and have no marks).
    pub fn unmark_all(&mut self) {
        debug_assert_eq!(
            self.objects.unswept_count() + self.leaves.unswept_count(),
            0
        );
        self.objects.unmark_all();
        self.leaves.unmark_all();
        self.los.unmark_all();
    }

    /// Ends a collection that found `live_bytes` reachable: from here the heap counts
    /// them plus what is allocated next. The collector then trims the heap
    /// ([`Heap::trim`]) at once or in its steps.
    pub fn finish_collection(&mut self, live_bytes: u64) {
        self.count_from(live_bytes);
    }
}

/// A huge block its owner freed (see [`Heap::free_owned`]).
#[derive(Clone, Copy, Debug)]
pub struct FreedBlock {
    /// Its mapping's size: what the heap's count and a marking counted it as.
    pub bytes: u64,
    /// Whether its mark was set (by the running marking, or sticky if old).
    pub marked: bool,
    /// Whether it was allocated since the last collection.
    pub young: bool,
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
        unsafe { heap_ptr(addr).cast::<GcHeader>().write(header) };
    }
    // SAFETY: blocks are never at address 0, so the pointer is not null; it is a live
    // block of this heap, with the heap's provenance.
    unsafe { ObjectRef::from_ptr(heap_ptr(addr)).unwrap_unchecked() }
}

impl Drop for Heap {
    fn drop(&mut self) {
        self.objects.release_all(&mut self.source);
        self.leaves.release_all(&mut self.source);
        self.source.trim(0);
    }
}

/// `workers`, if there are several and the heap maps at least `min_bytes`: below that,
/// waking threads costs more than they save.
fn worth_parallel(
    workers: &WorkerThreads,
    mapped_bytes: usize,
    min_bytes: usize,
) -> Option<&WorkerThreads> {
    (workers.count() > 1 && mapped_bytes >= min_bytes).then_some(workers)
}
