//! The collectors, one folder each, with the same file names where they have the same
//! parts: `mod.rs` holds the collector type and its `Collector` implementation, `cycle.rs`
//! a collection cycle.
//!
//! - [`stw`]: stop-the-world mark and bitmap sweep on the NewGC heap: the throughput bound.
//! - [`epsilon`]: the same heap, never collected: a reference point for what collection
//!   costs, not a lower bound (never reusing memory touches a fresh page per allocation).

pub mod epsilon;
pub mod stw;

pub use epsilon::Epsilon;
pub use stw::Stw;

/// The names `luagc --gc` accepts, in the order tables list them.
pub const NAMES: &[&str] = &[stw::NAME, epsilon::NAME];
