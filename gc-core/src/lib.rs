//! `gc-core`: the NewGC arena heap and the collectors that manage it, behind one trait.
//!
//! The crate knows nothing about Lua. A VM describes its objects through [`ObjectModel`] and
//! its roots through [`Roots`], and is generic over a [`Collector`]; choosing a collector is
//! choosing a type parameter, so the write barrier and the allocation fast path inline into
//! the VM. Several heaps may live in one process: all state is in the collector value.
//!
//! Layout, from the bottom up:
//! - [`heap`]: the spaces (MMTk's policies), one shape each behind the
//!   [`heap::space::Space`] trait: the arena space of Mike Pall's NewGC proposal
//!   (size-aligned arenas of 16-byte cells with block and mark bitmaps, bump and
//!   segregated-fit allocation), the large-object space, and the malloc space of Lua 5.1's
//!   design (a `malloc` per block, all on one list); and `Heap`, the NewGC heap over the
//!   first two. Under `--cfg gc_poison` the spaces poison what they free for
//!   AddressSanitizer (`heap::poison`).
//! - [`mark`]: marking from the roots with a gray stack, weak tables and ephemerons; in
//!   parallel with work stealing on big heaps.
//! - [`parallel`] and [`sync`]: the concurrency protocols, and the primitives they use
//!   (loom's under `cfg(loom)`, where only these two modules are built).
//! - [`finalizers`]: objects registered for finalization, and those found dead.
//! - [`collectors`]: the collectors (plans over spaces: `newgc`, `stw`, `lua51`, `epsilon`),
//!   each in its own folder, and the registry every tool derives its list from.
//! - [`stats`] and [`verify`]: what every collector reports, and the heap checker;
//!   [`footprint`]: where the heap's memory goes at its peak.
//! - [`testing`]: a minimal object model for tests, benchmarks and examples, and the
//!   model-based tests any collector, in this crate or outside it, can run.

pub mod parallel;
pub mod sync;

#[cfg(not(loom))]
pub use collector::{
    Collector, GcMode, HeapConfig, OutOfMemory, DEFAULT_STEP_DEADLINE,
    DEFAULT_STEP_HELPERS_MIN_WORK,
};
#[cfg(not(loom))]
pub use finalizers::FinalizerQueue;
#[cfg(not(loom))]
pub use object_model::{GcHeader, Liveness, ObjectModel, ObjectRef, Roots, Tracer, Weakness};
#[cfg(not(loom))]
pub use stats::{
    AtomicPhase, ExplicitCollections, HeapSizes, PausePhase, PauseSummary, PhasePauses, Stats,
};

#[cfg(not(loom))]
pub mod collector;
#[cfg(not(loom))]
pub mod collectors;
#[cfg(not(loom))]
pub mod finalizers;
#[cfg(not(loom))]
pub mod footprint;
#[cfg(not(loom))]
pub mod heap;
#[cfg(not(loom))]
pub mod mark;
#[cfg(not(loom))]
pub mod object_model;
#[cfg(not(loom))]
pub mod stats;
#[cfg(not(loom))]
pub mod testing;
#[cfg(not(loom))]
pub mod verify;
