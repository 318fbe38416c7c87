//! The collectors, one folder each, with the same file names where they have the same
//! parts: `mod.rs` holds the collector type and its `Collector` implementation, `cycle.rs`
//! a collection cycle.
//!
//! - [`newgc`]: the collector of Pall's NewGC proposal: quad-color incremental, lazy
//!   bitmap sweep, generational by sticky mark bits.
//! - [`stw`]: stop-the-world mark and bitmap sweep on the NewGC heap: the throughput bound.
//! - [`epsilon`]: the same heap, never collected: a reference point for what collection
//!   costs, not a lower bound (never reusing memory touches a fresh page per allocation).

pub mod epsilon;
pub mod newgc;
pub mod stw;

pub use epsilon::Epsilon;
pub use newgc::NewGc;
pub use stw::Stw;

/// The names `luagc --gc` accepts, in the order tables list them (the first is the
/// default).
pub const NAMES: &[&str] = &[newgc::NAME, stw::NAME, epsilon::NAME];
