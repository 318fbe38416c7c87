//! The concurrency protocols of parallel collection, generic and small so loom can check
//! each one exhaustively (`tests/loom.rs`):
//! - [`claim_bit`]: a mark bit is claimed with one `fetch_or`; only the winner traces.
//! - [`WorkPool`]: work stealing with explicit termination: a worker stops only when every
//!   worker is idle and every queue is empty.
//! - [`claim_indices`]: workers take items (arenas to sweep) by an atomic cursor; each item
//!   is processed exactly once and results come back per worker, merged without locks.
//! - [`mark`]: the parallel mark driver over them (private gray stacks, surplus shared in
//!   batches, big objects traced in chunks), generic over the heap it marks.
//!
//! They use only [`crate::sync`]'s primitives. Everything here compiles under loom; the
//! heap-specific code (`mark::parallel`, the parallel sweep) runs them on scoped threads.

mod claim;
pub mod mark;
pub(crate) mod prefetch;
mod work_pool;

pub use claim::{claim_bit, claim_indices};
pub use prefetch::Prefetch;
pub use work_pool::WorkPool;

/// Runs `work(i, state)` for each worker `i`, handing worker `i` the `i`-th of `states`
/// (its own deque, say): worker 0 on the calling thread, the others on scoped threads.
/// Returns their results in worker order. (Scoped threads do not exist under loom; the
/// models spawn loom threads around the protocols instead.)
#[cfg(not(loom))]
pub fn run_workers<S: Send, R: Send>(
    states: Vec<S>,
    work: impl Fn(usize, S) -> R + Sync,
) -> Vec<R> {
    let work = &work;
    std::thread::scope(|scope| {
        let mut states = states.into_iter().enumerate();
        let first = states.next();
        let others: Vec<_> = states
            .map(|(i, state)| scope.spawn(move || work(i, state)))
            .collect();
        let first = first.map(|(i, state)| work(i, state));
        first
            .into_iter()
            .chain(
                others
                    .into_iter()
                    .map(|handle| handle.join().expect("a collector thread panicked")),
            )
            .collect()
    })
}
