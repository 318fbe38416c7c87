//! What a GC-stress collection keeps alive beyond the roots, so that stress mode changes
//! when garbage is freed but never what a program observes.
//!
//! A stress collection runs before an allocation, at a moment the program did not ask
//! for. Freeing unreachable objects there is invisible, which is what flushes out
//! rooting bugs; clearing a weak entry or queueing a finalizer is not (a script printing
//! the size of a weak table before its `collectgarbage()` would see it shrink early). So
//! in stress mode the VM lists the tables given a metatable and the userdata registered
//! for finalization, and a stress collection marks, as roots, the weak tables among them
//! with all their entries, and the finalizable userdata. Ordinary collections (explicit
//! or triggered by the heap size) ignore the pins.
//!
//! Invariant: after every collection the lists hold only live objects (dead ones are
//! pruned before the sweep).

use gc_core::{Liveness, Tracer, Weakness};

use crate::object::table::TableRef;
use crate::object::userdata::UserdataRef;

/// The objects stress collections keep (empty unless stress mode is on).
#[derive(Default, Debug)]
pub struct StressPins {
    enabled: bool,
    tables: Vec<TableRef>,
    userdata: Vec<UserdataRef>,
}

impl StressPins {
    /// Pins for a VM in stress mode (`enabled`), or none.
    pub fn new(enabled: bool) -> Self {
        StressPins {
            enabled,
            ..Default::default()
        }
    }

    /// Notes a table that was given a metatable: it is weak whenever that metatable's
    /// `__mode` says so, which may change later.
    pub fn note_table(&mut self, t: TableRef) {
        if self.enabled {
            self.tables.push(t);
        }
    }

    /// Notes a userdata registered for finalization.
    pub fn note_userdata(&mut self, u: UserdataRef) {
        if self.enabled {
            self.userdata.push(u);
        }
    }

    /// Marks the pinned objects, for a stress collection: weak tables with all their
    /// entries as if they were strong, and finalizable userdata.
    pub fn trace<T: Tracer>(&self, tracer: &mut T) {
        for &t in &self.tables {
            if t.weakness() != Weakness::Strong {
                tracer.mark(t.0);
                t.trace(tracer);
            }
        }
        for &u in &self.userdata {
            tracer.mark(u.0);
        }
    }

    /// Drops the objects `liveness` calls dead.
    pub fn prune<L: Liveness>(&mut self, liveness: &L) {
        self.tables.retain(|t| liveness.is_live(t.0));
        self.userdata.retain(|u| liveness.is_live(u.0));
    }
}
