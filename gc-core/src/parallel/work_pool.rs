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
//! Membership: a pool made with [`WorkPool::new`] has all its workers from the start; one
//! made with [`WorkPool::joinable`] starts with its owner alone, and the others join
//! while it runs ([`WorkPool::join`]), or never: a helper thread the OS schedules late
//! finds the phase over and does nothing, instead of holding the owner up. The idle
//! count is compared with the members so far; the worker that sees all of them idle
//! closes the pool with one compare-and-swap, which fails if someone joined meanwhile
//! (a joiner holds no work, and none is left to find, so it goes idle too). A closed
//! pool admits nobody.
//!
//! A bounded phase (an incremental step's marking) may also end early: once
//! [`WorkPool::stop`] is called, workers take no more work and return, leaving what they
//! hold and what the queues hold for the owner (see [`WorkPool::leftovers`]), which first
//! waits for every member to leave ([`WorkPool::finish`]).

use crate::sync::deque::{Injector, Steal, Stealer, Worker};
use crate::sync::{spin_loop, AtomicBool, AtomicUsize, Backoff, Ordering};

/// The shared side of a set of workers.
pub struct WorkPool<T> {
    injector: Injector<T>,
    stealers: Vec<Stealer<T>>,
    idle: AtomicUsize,
    /// Workers that joined so far, with [`CLOSED`] set once the phase is over.
    members: AtomicUsize,
    /// Members other than the owner that have left (see [`WorkPool::leave`]).
    left: AtomicUsize,
    stopped: AtomicBool,
}

/// The bit of `members` that says the pool admits nobody more.
const CLOSED: usize = 1 << (usize::BITS - 1);

impl<T> WorkPool<T> {
    /// A pool for the workers whose deques are `workers` (worker `i` owns `workers[i]`),
    /// all of them members from the start.
    pub fn new(workers: &[Worker<T>]) -> Self {
        Self::with_members(workers, workers.len())
    }

    /// A pool for the workers whose deques are `workers`, with worker 0 (the owner) its
    /// only member; the others may [`WorkPool::join`] while it runs.
    pub fn joinable(workers: &[Worker<T>]) -> Self {
        Self::with_members(workers, 1)
    }

    fn with_members(workers: &[Worker<T>], members: usize) -> Self {
        WorkPool {
            injector: Injector::new(),
            stealers: workers.iter().map(Worker::stealer).collect(),
            idle: AtomicUsize::new(0),
            members: AtomicUsize::new(members),
            left: AtomicUsize::new(0),
            stopped: AtomicBool::new(false),
        }
    }

    /// Makes the caller a member of a running [`WorkPool::joinable`] pool: its worker
    /// index (whose deque it then owns), or `None` if the phase is over, stopped, or
    /// every deque is taken. A member must call [`WorkPool::leave`] when done.
    pub fn join(&self) -> Option<usize> {
        let mut members = self.members.load(Ordering::SeqCst);
        loop {
            if members & CLOSED != 0 || members == self.stealers.len() || self.is_stopped() {
                return None;
            }
            match self.members.compare_exchange_weak(
                members,
                members + 1,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => return Some(members),
                Err(now) => members = now,
            }
        }
    }

    /// Says that a member other than the owner is done with the pool and everything the
    /// phase lent it (the owner's data may go once all have left). Release: what it
    /// wrote before is visible to the owner after [`WorkPool::finish`].
    pub fn leave(&self) {
        self.left.fetch_add(1, Ordering::Release);
    }

    /// For the owner, once its own [`WorkPool::run`] has returned: admits nobody more
    /// and waits until every other member has left.
    pub fn finish(&self) {
        let members = self.members.fetch_or(CLOSED, Ordering::SeqCst) & !CLOSED;
        let backoff = Backoff::new();
        while self.left.load(Ordering::Acquire) + 1 < members {
            backoff.snooze();
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

    /// Counts worker `me` idle; returns true when all members are idle (the phase is
    /// over: it closes the pool) or the pool is stopped, false when work appeared
    /// elsewhere (the worker is counted busy again). Its own deque is empty and only it
    /// could fill it, so it is not checked.
    fn wait_for_work_or_end(&self, me: usize) -> bool {
        self.idle.fetch_add(1, Ordering::SeqCst);
        let backoff = Backoff::new();
        loop {
            let members = self.members.load(Ordering::SeqCst);
            if members & CLOSED != 0 || self.is_stopped() {
                return true;
            }
            if self.idle.load(Ordering::SeqCst) == members {
                let closed = members | CLOSED;
                let close = self.members.compare_exchange(
                    members,
                    closed,
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                );
                if close.is_ok() {
                    return true;
                }
                // Someone joined: they must go idle too.
                continue;
            }
            if !self.injector.is_empty() || self.others(me).any(|s| !s.is_empty()) {
                self.idle.fetch_sub(1, Ordering::SeqCst);
                return false;
            }
            backoff.snooze();
        }
    }
}
