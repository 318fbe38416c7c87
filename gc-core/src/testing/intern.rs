//! Roots with an intern table, for tests of the held leaf sweep: weak references to leaf
//! blocks pruned a budget of entries at a time, as the VM's string table is (see
//! [`Roots::prune_weak_references_step`]).

use super::RootList;
use crate::object_model::{Liveness, ObjectRef, Roots, Tracer};

/// The strong roots, and weak references to leaves pruned `budget` entries at a time.
#[derive(Default)]
pub struct InternTable {
    /// The strong roots.
    pub strong: RootList,
    weak: Vec<ObjectRef>,
    cursor: usize,
}

impl InternTable {
    /// Adds a weak reference to `leaf`: pruned once a collection finds it dead.
    ///
    /// # Safety
    /// `leaf` is a live leaf block of the collector this table is given to.
    pub unsafe fn intern(&mut self, leaf: ObjectRef) {
        self.weak.push(leaf);
    }
}

// SAFETY: reports every strongly held object; weak entries the liveness calls dead are
// dropped, and no weak entry is used again.
unsafe impl Roots for InternTable {
    fn trace_roots<T: Tracer>(&mut self, tracer: &mut T) {
        self.strong.trace_roots(tracer);
    }

    fn running_stacks(&self) -> &[ObjectRef] {
        &[]
    }

    fn prune_weak_references_step<L: Liveness>(
        &mut self,
        liveness: &L,
        restart: bool,
        budget: usize,
    ) -> bool {
        if restart {
            self.cursor = 0;
        }
        for _ in 0..budget {
            let Some(&obj) = self.weak.get(self.cursor) else {
                break;
            };
            if liveness.is_live(obj) {
                self.cursor += 1;
            } else {
                self.weak.swap_remove(self.cursor);
            }
        }
        self.cursor == self.weak.len()
    }
}
