//! The collector's worker threads: one pool per heap, made on first use and kept for the
//! heap's life, so no phase pays for starting threads. Its threads sleep while idle
//! (rayon's pool parks them after a short spin).

use std::sync::OnceLock;

/// The threads that run a heap's parallel marking and sweeping.
pub struct WorkerThreads {
    count: usize,
    pool: OnceLock<rayon::ThreadPool>,
}

impl WorkerThreads {
    /// `count` workers (at least one), started when first needed.
    pub fn new(count: usize) -> Self {
        WorkerThreads {
            count: count.max(1),
            pool: OnceLock::new(),
        }
    }

    /// How many workers run a phase.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Starts `work` on one of the pool's threads and returns at once: for helpers that
    /// join a running phase if they come in time ([`crate::parallel::WorkPool::join`]).
    pub fn spawn(&self, work: impl FnOnce() + Send + 'static) {
        self.pool().spawn(work);
    }

    fn pool(&self) -> &rayon::ThreadPool {
        self.pool.get_or_init(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(self.count)
                .thread_name(|i| format!("gc-worker-{i}"))
                .build()
                .expect("the collector's worker threads start")
        })
    }

    /// Runs `work(i, state)` for each worker `i`, handing worker `i` the `i`-th of
    /// `states` (its own deque, say), all at once on the pool's threads; returns their
    /// results in worker order. There are at most [`WorkerThreads::count`] states, so
    /// every worker has a thread of its own: the protocols of [`crate::parallel`] wait
    /// for each other and would not end on fewer. The return happens after every worker
    /// has finished, so what they wrote is visible to the caller.
    pub fn run<S: Send, R: Send>(
        &self,
        states: Vec<S>,
        work: impl Fn(usize, S) -> R + Sync,
    ) -> Vec<R> {
        assert!(
            states.len() <= self.count,
            "{} workers for a pool of {}",
            states.len(),
            self.count
        );
        if states.len() <= 1 {
            return states
                .into_iter()
                .enumerate()
                .map(|(i, state)| work(i, state))
                .collect();
        }
        let pool = self.pool();
        let work = &work;
        let mut results: Vec<Option<R>> = states.iter().map(|_| None).collect();
        pool.scope(|scope| {
            for ((i, state), result) in states.into_iter().enumerate().zip(&mut results) {
                scope.spawn(move |_| *result = Some(work(i, state)));
            }
        });
        results
            .into_iter()
            .map(|result| result.expect("every worker ran"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::sync::Barrier;

    /// Every worker of a run gets a thread of its own (they all wait at a barrier, which
    /// would never open otherwise), results come back in worker order, and later runs
    /// reuse the same threads instead of starting new ones.
    #[test]
    fn runs_all_workers_at_once_on_threads_kept_between_runs() {
        let workers = WorkerThreads::new(3);
        let mut threads = HashSet::new();
        for _ in 0..20 {
            let barrier = Barrier::new(3);
            let ran = workers.run(vec![10, 20, 30], |i, state| {
                barrier.wait();
                let thread = std::thread::current();
                assert!(thread.name().unwrap_or("").starts_with("gc-worker-"));
                (i, state, thread.id())
            });
            assert_eq!(
                ran.iter()
                    .map(|&(i, state, _)| (i, state))
                    .collect::<Vec<_>>(),
                [(0, 10), (1, 20), (2, 30)]
            );
            threads.extend(ran.into_iter().map(|(_, _, thread)| thread));
        }
        assert_eq!(threads.len(), 3, "the same three threads ran every phase");
    }

    /// A single worker runs on the caller's thread: no pool is started for it.
    #[test]
    fn one_worker_runs_on_the_callers_thread() {
        let workers = WorkerThreads::new(1);
        let caller = std::thread::current().id();
        assert_eq!(
            workers.run(vec![()], |_, ()| std::thread::current().id()),
            [caller]
        );
        assert!(workers.pool.get().is_none());
    }
}
