//! The concurrency primitives the parallel protocols use: std's and crossbeam's normally,
//! loom's under `cfg(loom)`, so loom can explore every interleaving of the code in
//! [`crate::parallel`]. Nothing outside `parallel` and the code that drives it may use
//! atomics or queues from anywhere else.
//!
//! crossbeam-deque is invisible to loom, so under loom [`deque`] is a lock-based stand-in
//! with the same interface: the models check our protocols, not crossbeam's deque.

#[cfg(loom)]
pub use loom::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
#[cfg(not(loom))]
pub use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Yields the processor inside a spin loop (loom must be told, or it explores the loop
/// forever).
#[cfg(loom)]
pub use loom::thread::yield_now;
#[cfg(not(loom))]
pub use std::thread::yield_now;

/// Work-stealing deques: crossbeam's, or a lock-based model of them under loom.
#[cfg(not(loom))]
pub mod deque {
    pub use crossbeam_deque::{Injector, Steal, Stealer, Worker};
}

/// Work-stealing deques: a lock-based model of crossbeam's interface for loom.
#[cfg(loom)]
pub mod deque {
    use loom::sync::{Arc, Mutex};
    use std::collections::VecDeque;

    /// The outcome of a steal.
    pub enum Steal<T> {
        /// The queue was empty.
        Empty,
        /// An item was taken.
        Success(T),
        /// Lost a race; try again (never returned by this model).
        Retry,
    }

    /// A queue behind a loom mutex: the shared part of all three handles.
    pub struct Queue<T>(Mutex<VecDeque<T>>);

    impl<T> Queue<T> {
        fn new() -> Self {
            Queue(Mutex::new(VecDeque::new()))
        }

        /// Steals the oldest item.
        pub fn steal(&self) -> Steal<T> {
            self.0
                .lock()
                .unwrap()
                .pop_front()
                .map_or(Steal::Empty, Steal::Success)
        }

        /// Whether the queue is empty.
        pub fn is_empty(&self) -> bool {
            self.0.lock().unwrap().is_empty()
        }

        fn push(&self, item: T) {
            self.0.lock().unwrap().push_back(item);
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
            self.0 .0.lock().unwrap().pop_back()
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
