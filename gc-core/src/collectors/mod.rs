//! The collectors (plans, in MMTk's terms), one folder each, with the same file names
//! where they have the same parts: `mod.rs` holds the collector type and its `Collector`
//! implementation, `cycle.rs` a collection cycle, `barrier.rs`, `marker.rs`, `pacing.rs`
//! and `verify.rs` the barrier, marking, pacing and stress checks of incremental ones.
//!
//! - [`newgc`]: the collector of Pall's NewGC proposal: quad-color incremental, lazy
//!   bitmap sweep, generational by sticky mark bits.
//! - [`stw`]: stop-the-world mark and bitmap sweep on the NewGC heap: the throughput bound.
//! - [`lua51`]: the Lua 5.1 / LuaJIT 2.x collector over malloc'd blocks on one list: the
//!   collector NewGC was proposed to replace.
//! - [`epsilon`]: the NewGC heap, never collected: a reference point for what collection
//!   costs, not a lower bound (never reusing memory touches a fresh page per allocation).
//!
//! [`visit_all`] is the one list of collectors: `luagc --gc`, the tests, the benchmarks
//! and gcbench all derive from it. Adding a collector is a folder here and a line there.

pub mod epsilon;
pub mod lua51;
pub mod newgc;
pub mod stw;

pub use epsilon::Epsilon;
pub use lua51::Lua51;
pub use newgc::NewGc;
pub use stw::Stw;

use crate::collector::{Collector, GcMode};
use crate::object_model::{ObjectModel, ObjectRef, Tracer};

/// Something to do with a collector whose type is chosen at run time (by name, say): the
/// VM is generic over its collector, so the choice must become a type parameter.
pub trait CollectorVisitor<M: ObjectModel> {
    /// Called with one collector type.
    fn visit<C: Collector<M>>(&mut self);
}

/// Calls `visitor` with every collector, in the order tables list them (the first is
/// the default). The registry of collectors: the only list there is.
pub fn visit_all<M: ObjectModel, V: CollectorVisitor<M>>(visitor: &mut V) {
    visitor.visit::<NewGc<M>>();
    visitor.visit::<Stw<M>>();
    visitor.visit::<Lua51<M>>();
    visitor.visit::<Epsilon<M>>();
}

/// Runs `visitor` with the collector called `name`; false if there is none.
pub fn visit_named<M: ObjectModel, V: CollectorVisitor<M>>(name: &str, visitor: &mut V) -> bool {
    struct Named<'a, V> {
        name: &'a str,
        visitor: &'a mut V,
        found: bool,
    }
    impl<M: ObjectModel, V: CollectorVisitor<M>> CollectorVisitor<M> for Named<'_, V> {
        fn visit<C: Collector<M>>(&mut self) {
            if !self.found && C::NAME == self.name {
                self.found = true;
                self.visitor.visit::<C>();
            }
        }
    }
    let mut named = Named {
        name,
        visitor,
        found: false,
    };
    visit_all::<M, _>(&mut named);
    named.found
}

/// What the registry says of one collector, for command lines, tests and reports.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct CollectorInfo {
    /// [`Collector::NAME`].
    pub name: &'static str,
    /// [`Collector::DESCRIPTION`].
    pub description: &'static str,
    /// [`Collector::COLLECTS`].
    pub collects: bool,
    /// [`Collector::MODES`].
    pub modes: &'static [GcMode],
}

/// Every collector's [`CollectorInfo`], in the registry's order.
pub fn registry() -> Vec<CollectorInfo> {
    struct Infos(Vec<CollectorInfo>);
    impl CollectorVisitor<NoObjects> for Infos {
        fn visit<C: Collector<NoObjects>>(&mut self) {
            self.0.push(CollectorInfo {
                name: C::NAME,
                description: C::DESCRIPTION,
                collects: C::COLLECTS,
                modes: C::MODES,
            });
        }
    }
    let mut infos = Infos(Vec::new());
    visit_all(&mut infos);
    infos.0
}

/// The collectors' names, in the registry's order.
pub fn names() -> Vec<&'static str> {
    registry().iter().map(|info| info.name).collect()
}

/// An object model without objects: what the registry instantiates collectors over to
/// read their constants.
struct NoObjects;

// SAFETY: there are no objects, so no reference to report.
unsafe impl ObjectModel for NoObjects {
    unsafe fn trace<T: Tracer>(_obj: ObjectRef, _tracer: &mut T) {}
}
