//! The concurrency primitives the parallel protocols use: std's and crossbeam's normally,
//! loom's under `cfg(loom)`, so loom can explore every interleaving of the code in
//! [`crate::parallel`]. Nothing outside `parallel` and the code that drives it may use
//! atomics or queues from anywhere else.
//!
//! crossbeam-deque is invisible to loom, so under loom [`deque`] is a lock-based stand-in
//! with the same interface: the models check our protocols, not crossbeam's deque. Like
//! crossbeam's, its steals may fail with `Steal::Retry` when they meet another operation
//! on the queue, so the callers' retry paths are explored too.

#[cfg(loom)]
pub use loom::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
#[cfg(not(loom))]
pub use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

/// Says that the caller is about to retry after losing a race (a pause instruction; to
/// loom, a yield, without which it would explore the retry loop forever).
#[cfg(loom)]
pub use loom::hint::spin_loop;
#[cfg(not(loom))]
pub use std::hint::spin_loop;

/// Waiting in a loop for another thread: crossbeam's backoff (spinning a little longer
/// each time, then yielding), or under loom a plain yield, which loom must be told of.
#[cfg(not(loom))]
pub use crossbeam_utils::Backoff;

/// Waiting in a loop for another thread: to loom, each round is a yield.
#[cfg(loom)]
#[derive(Default)]
pub struct Backoff;

#[cfg(loom)]
impl Backoff {
    /// A fresh backoff.
    pub fn new() -> Self {
        Backoff
    }

    /// Waits a little (yields, so loom explores the other threads).
    pub fn snooze(&self) {
        loom::thread::yield_now();
    }
}

/// Work-stealing deques: crossbeam's, or a lock-based model of them under loom.
#[cfg(not(loom))]
pub mod deque {
    pub use crossbeam_deque::{Injector, Steal, Stealer, Worker};
}

/// Work-stealing deques: a lock-based model of crossbeam's interface for loom.
#[cfg(loom)]
pub mod deque {
    use loom::sync::atomic::{AtomicUsize, Ordering};
    use loom::sync::{Arc, Mutex};
    use std::collections::VecDeque;

    /// The outcome of a steal.
    pub enum Steal<T> {
        /// The queue was empty.
        Empty,
        /// An item was taken.
        Success(T),
        /// Lost a race with another operation on the queue; try again.
        Retry,
    }

    /// A queue behind a loom mutex: the shared part of all three handles. `version`
    /// counts the changes to it; a steal that finds it changed between its first look
    /// and taking the lock gives up with `Retry`, as crossbeam's steal does when its
    /// compare-and-swap loses to another operation.
    pub struct Queue<T> {
        items: Mutex<VecDeque<T>>,
        version: AtomicUsize,
    }

    impl<T> Queue<T> {
        fn new() -> Self {
            Queue {
                items: Mutex::new(VecDeque::new()),
                version: AtomicUsize::new(0),
            }
        }

        /// Steals the oldest item, or gives up with `Retry` if the queue changed since
        /// the steal began.
        pub fn steal(&self) -> Steal<T> {
            let seen = self.version.load(Ordering::Acquire);
            let mut items = self.items.lock().unwrap();
            if self.version.load(Ordering::Relaxed) != seen {
                return Steal::Retry;
            }
            match items.pop_front() {
                Some(item) => {
                    self.version.fetch_add(1, Ordering::Release);
                    Steal::Success(item)
                }
                None => Steal::Empty,
            }
        }

        /// Whether the queue is empty.
        pub fn is_empty(&self) -> bool {
            self.items.lock().unwrap().is_empty()
        }

        fn push(&self, item: T) {
            self.items.lock().unwrap().push_back(item);
            self.version.fetch_add(1, Ordering::Release);
        }

        fn pop(&self) -> Option<T> {
            let item = self.items.lock().unwrap().pop_back();
            if item.is_some() {
                self.version.fetch_add(1, Ordering::Release);
            }
            item
        }
    }

    /// A worker's own deque: it pushes and pops at the back.
    pub struct Worker<T>(Arc<Queue<T>>);

    /// Another worker's handle on a deque: it steals from the front.
    pub struct Stealer<T>(Arc<Queue<T>>);

    /// A shared queue anyone pushes to and steals from.
    pub struct Injector<T>(Queue<T>);

    impl<T> Worker<T> {
        /// A last-in first-out deque.
        pub fn new_lifo() -> Self {
            Worker(Arc::new(Queue::new()))
        }

        /// Pushes an item.
        pub fn push(&self, item: T) {
            self.0.push(item);
        }

        /// Pops the newest item.
        pub fn pop(&self) -> Option<T> {
            self.0.pop()
        }

        /// Whether the deque is empty.
        pub fn is_empty(&self) -> bool {
            self.0.is_empty()
        }

        /// A handle others steal with.
        pub fn stealer(&self) -> Stealer<T> {
            Stealer(self.0.clone())
        }
    }

    impl<T> std::ops::Deref for Stealer<T> {
        type Target = Queue<T>;

        fn deref(&self) -> &Queue<T> {
            &self.0
        }
    }

    impl<T> std::ops::Deref for Injector<T> {
        type Target = Queue<T>;

        fn deref(&self) -> &Queue<T> {
            &self.0
        }
    }

    impl<T> Default for Injector<T> {
        fn default() -> Self {
            Injector(Queue::new())
        }
    }

    impl<T> Injector<T> {
        /// An empty queue.
        pub fn new() -> Self {
            Self::default()
        }

        /// Pushes an item.
        pub fn push(&self, item: T) {
            self.0.push(item);
        }
    }
}
