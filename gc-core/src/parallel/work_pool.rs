//! Work stealing with termination detection.
//!
//! Each worker has a LIFO deque; a shared injector holds the initial work. A worker takes
//! work from its own deque, then the injector, then the others' deques. Out of work, it
//! counts itself idle and waits: if work becomes visible it counts itself busy again and
//! goes back; when the idle count reaches the number of workers, it stops.
//!
//! Why that is enough: a worker only counts itself idle with its own deque empty and
//! after finding nothing to steal, and an idle worker pushes nothing. So when all are
//! idle, no queue holds work and none can get any: the phase is over, and every worker
//! sees it. A worker that saw work and went back may find it already taken; it then counts
//! itself idle again, so the count can only reach the total when all are truly idle.
//!
//! A bounded phase (an incremental step's marking) may also end early: once
//! [`WorkPool::stop`] is called, workers take no more work and return, leaving what they
//! hold and what the queues hold for the caller (see [`WorkPool::leftovers`]).

use crate::sync::deque::{Injector, Steal, Stealer, Worker};
use crate::sync::{spin_loop, AtomicBool, AtomicUsize, Backoff, Ordering};

/// The shared side of a set of workers.
pub struct WorkPool<T> {
    injector: Injector<T>,
    stealers: Vec<Stealer<T>>,
    idle: AtomicUsize,
    stopped: AtomicBool,
}

impl<T> WorkPool<T> {
    /// A pool for the workers whose deques are `workers` (worker `i` owns `workers[i]`).
    pub fn new(workers: &[Worker<T>]) -> Self {
        WorkPool {
            injector: Injector::new(),
            stealers: workers.iter().map(Worker::stealer).collect(),
            idle: AtomicUsize::new(0),
            stopped: AtomicBool::new(false),
        }
    }

    /// Adds work anyone may take (the roots, or chunks of a large object).
    pub fn inject(&self, item: T) {
        self.injector.push(item);
    }

    /// Runs worker `me` with deque `local` until the phase is over or stopped. `process`
    /// handles one item and pushes any new work onto the deque it is given.
    pub fn run(&self, me: usize, local: &Worker<T>, mut process: impl FnMut(T, &Worker<T>)) {
        loop {
            while !self.is_stopped() {
                let Some(item) = self.find_work(me, local) else {
                    break;
                };
                process(item, local);
            }
            if self.wait_for_work_or_end(me) {
                return;
            }
        }
    }

    /// Ends the phase early: every worker returns after the item it is processing, with
    /// its deque as it is. Relaxed: the caller reads what they left only after joining
    /// them.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }

    /// Whether [`WorkPool::stop`] was called.
    #[inline]
    pub fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }

    /// The items still in the shared injector, once every worker has returned (each
    /// worker empties its own deque itself).
    pub fn leftovers(&self) -> Vec<T> {
        std::iter::from_fn(|| loop {
            match self.injector.steal() {
                Steal::Success(item) => return Some(item),
                Steal::Retry => spin_loop(),
                Steal::Empty => return None,
            }
        })
        .collect()
    }

    /// One item for worker `me`: from its own deque, else the injector, else another
    /// worker's deque. `None` means nothing was visible at the time, not that the phase is
    /// over (only [`WorkPool::run`]'s idle count can tell that).
    pub fn find_work(&self, me: usize, local: &Worker<T>) -> Option<T> {
        if let Some(item) = local.pop() {
            return Some(item);
        }
        loop {
            let mut retry = false;
            for steal in std::iter::once(self.injector.steal())
                .chain(self.others(me).map(|stealer| stealer.steal()))
            {
                match steal {
                    Steal::Success(item) => return Some(item),
                    Steal::Retry => retry = true,
                    Steal::Empty => {}
                }
            }
            if !retry {
                return None;
            }
            spin_loop();
        }
    }

    fn others(&self, me: usize) -> impl Iterator<Item = &Stealer<T>> {
        self.stealers
            .iter()
            .enumerate()
            .filter(move |&(i, _)| i != me)
            .map(|(_, stealer)| stealer)
    }

    /// Counts worker `me` idle; returns true when all are idle (the phase is over) or the
    /// pool is stopped, false when work appeared elsewhere (the worker is counted busy
    /// again). Its own deque is empty and only it could fill it, so it is not checked.
    fn wait_for_work_or_end(&self, me: usize) -> bool {
        self.idle.fetch_add(1, Ordering::SeqCst);
        let backoff = Backoff::new();
        loop {
            if self.idle.load(Ordering::SeqCst) == self.stealers.len() || self.is_stopped() {
                return true;
            }
            if !self.injector.is_empty() || self.others(me).any(|s| !s.is_empty()) {
                self.idle.fetch_sub(1, Ordering::SeqCst);
                return false;
            }
            backoff.snooze();
        }
    }
}
