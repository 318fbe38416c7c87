//! The concurrency protocols of parallel collection, generic and small so loom can check
//! each one exhaustively (`tests/loom.rs`):
//! - [`claim_bits`]: mark bits are claimed with one `fetch_or` per word; only the winner
//!   of an object's bit traces it.
//! - [`WorkPool`]: work stealing with explicit termination: a worker stops only when every
//!   member is idle and every queue is empty; members may join while it runs, and a
//!   bounded phase may be stopped, its workers handing back what they hold.
//! - [`claim_indices`]: workers take items (arenas to sweep) by an atomic cursor; each item
//!   is processed exactly once and results come back per worker, merged without locks.
//! - [`mark`]: the parallel mark driver over them (private gray stacks, surplus shared in
//!   batches, big objects traced in chunks), generic over the heap it marks.
//!
//! They use only [`crate::sync`]'s primitives. Everything here compiles under loom; the
//! heap-specific code (`mark::parallel`, the parallel sweep) runs them on the heap's
//! [`WorkerThreads`].

mod claim;
pub mod mark;
pub(crate) mod prefetch;
#[cfg(not(loom))]
mod threads;
mod work_pool;

pub use claim::{claim_bits, claim_indices};
pub use prefetch::Prefetch;
#[cfg(not(loom))]
pub use threads::WorkerThreads;
pub use work_pool::WorkPool;
