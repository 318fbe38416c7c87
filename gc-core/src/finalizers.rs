//! Finalization: objects the VM registered (Lua userdata with `__gc`), and those a
//! collection found unreachable, resurrected and queued for the VM to finalize.
//!
//! Invariants: an object is in at most one of the three lists. `pending` objects are
//! roots until the VM takes them, so what a finalizer will see stays alive. `held` objects
//! (newgc's) were found dead by a cycle whose marking is still tracing what they reach:
//! that marking marked them, and its steps trace them, so they need no other root; the
//! cycle queues them when its marking ends, and a marking given up queues them at once
//! (the collection that follows marks the pending objects). A cycle queues its dead
//! objects in reverse order of registration, the order Lua 5.1 runs finalizers in.

use crate::object_model::{Liveness, ObjectRef};

/// The registered and the pending finalizable objects of one heap.
#[derive(Default, Debug)]
pub struct FinalizerQueue {
    registered: Vec<ObjectRef>,
    held: Vec<ObjectRef>,
    pending: Vec<ObjectRef>,
}

impl FinalizerQueue {
    /// Registers `obj`: when it is found unreachable it will be resurrected and queued.
    pub fn register(&mut self, obj: ObjectRef) {
        self.registered.push(obj);
    }

    /// Objects queued and not yet taken: roots of every marking.
    pub fn pending(&self) -> &[ObjectRef] {
        &self.pending
    }

    /// After marking: removes the registered objects `liveness` calls dead and returns
    /// them, in reverse order of registration. The caller resurrects them (marks them and
    /// what they reach) and then calls [`FinalizerQueue::queue`].
    pub fn separate_dead<L: Liveness>(&mut self, liveness: &L) -> Vec<ObjectRef> {
        let mut dead = Vec::new();
        self.registered.retain(|&obj| {
            let live = liveness.is_live(obj);
            if !live {
                dead.push(obj);
            }
            live
        });
        dead.reverse();
        dead
    }

    /// Queues resurrected objects for the VM.
    pub fn queue(&mut self, dead: Vec<ObjectRef>) {
        self.pending.extend(dead);
    }

    /// Holds resurrected objects until the marking tracing what they reach ends (see the
    /// module docs).
    pub fn hold(&mut self, dead: Vec<ObjectRef>) {
        debug_assert!(self.held.is_empty());
        self.held = dead;
    }

    /// The held objects, in reverse order of registration.
    pub fn held(&self) -> &[ObjectRef] {
        &self.held
    }

    /// Takes the held objects, to be queued.
    pub fn take_held(&mut self) -> Vec<ObjectRef> {
        std::mem::take(&mut self.held)
    }

    /// Hands the queued objects to the VM, which must keep them rooted while it finalizes.
    pub fn take_pending(&mut self) -> Vec<ObjectRef> {
        std::mem::take(&mut self.pending)
    }

    /// At VM shutdown: everything queued, then everything held, then every registered
    /// object in reverse order of registration (Lua runs all finalizers when a state
    /// closes).
    pub fn take_all(&mut self) -> Vec<ObjectRef> {
        let mut all = std::mem::take(&mut self.pending);
        all.append(&mut self.held);
        all.extend(self.registered.drain(..).rev());
        all
    }
}
