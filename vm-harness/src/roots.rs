//! The VM's roots: what the collector marks from, and the weak string table it prunes.
//!
//! Invariant: at every allocation, everything the VM will use again is reachable from
//! here: the running and main threads (and through them every resumer, whose stack holds
//! the coroutine it resumed), globals, registry, the string metatable, the pending error
//! value, the interned names, native temporaries in `temps`, and the finalizable
//! userdata taken from the collector whose finalizers have not run yet.

use std::collections::VecDeque;

use gc_core::{Liveness, ObjectRef, Roots, Tracer};

use crate::object::proto::ProtoRef;
use crate::object::string::{LuaStr, StringTable};
use crate::object::table::TableRef;
use crate::object::thread::ThreadRef;
use crate::object::userdata::UserdataRef;
use crate::stress_pins::StressPins;
use crate::value::{Value, SHARED_METATABLE_TYPES};

/// Strings the VM needs by name, interned at start-up and kept alive here. The first 17
/// are 5.1's metamethod events in `ltm.h` order, so an event's number is its cache bit.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
#[repr(u16)]
pub enum Name {
    /// `__index`
    Index,
    /// `__newindex`
    NewIndex,
    /// `__gc`
    Gc,
    /// `__mode`
    Mode,
    /// `__eq`
    Eq,
    /// `__add`
    Add,
    /// `__sub`
    Sub,
    /// `__mul`
    Mul,
    /// `__div`
    Div,
    /// `__mod`
    Mod,
    /// `__pow`
    Pow,
    /// `__unm`
    Unm,
    /// `__len`
    Len,
    /// `__lt`
    Lt,
    /// `__le`
    Le,
    /// `__concat`
    Concat,
    /// `__call`
    Call,
    /// `__tostring`
    ToString,
    /// `__metatable`
    Metatable,
    /// `n`
    N,
    /// The out-of-memory message, raised without allocating.
    NotEnoughMemory,
}

impl Name {
    /// Every name, in enum order.
    pub const ALL: [(Name, &'static str); 21] = [
        (Name::Index, "__index"),
        (Name::NewIndex, "__newindex"),
        (Name::Gc, "__gc"),
        (Name::Mode, "__mode"),
        (Name::Eq, "__eq"),
        (Name::Add, "__add"),
        (Name::Sub, "__sub"),
        (Name::Mul, "__mul"),
        (Name::Div, "__div"),
        (Name::Mod, "__mod"),
        (Name::Pow, "__pow"),
        (Name::Unm, "__unm"),
        (Name::Len, "__len"),
        (Name::Lt, "__lt"),
        (Name::Le, "__le"),
        (Name::Concat, "__concat"),
        (Name::Call, "__call"),
        (Name::ToString, "__tostring"),
        (Name::Metatable, "__metatable"),
        (Name::N, "n"),
        (Name::NotEnoughMemory, "not enough memory"),
    ];

    /// Whether tables cache this event's absence in their flag bits (5.1's `fasttm`).
    pub fn is_cached(self) -> bool {
        (self as u16) <= Name::Eq as u16
    }
}

/// The roots and weak tables of one VM.
pub struct VmRoots {
    /// The intern table (weak).
    pub strings: StringTable,
    /// The main thread.
    pub main_thread: ThreadRef,
    /// The running thread.
    pub thread: ThreadRef,
    /// The global table.
    pub globals: TableRef,
    /// The registry (holds `package.loaded`, `_LOADED`).
    pub registry: TableRef,
    /// The metatables values of each type without metatables of their own share
    /// (strings, numbers, ...: all but tables and userdata), indexed by
    /// `Value::shared_metatable_index`; lua5.1's `G(L)->mt`.
    pub type_metatables: [Option<TableRef>; SHARED_METATABLE_TYPES],
    /// The error value being propagated, if any.
    pub error_value: Value,
    /// Interned names, indexed by [`Name`].
    pub names: Vec<LuaStr>,
    /// Values native code holds across allocations.
    pub temps: Vec<Value>,
    /// Prototypes being loaded (not yet reachable from a closure).
    pub protos_under_construction: Vec<ProtoRef>,
    /// Userdata whose finalizers are due, in the order to run them: taken from the
    /// collector, kept here until their finalizer is called (an erroring finalizer
    /// leaves the rest for the next run).
    pub finalizing: VecDeque<UserdataRef>,
    /// What GC-stress collections keep alive besides the roots.
    pub stress_pins: StressPins,
}

impl VmRoots {
    /// The interned name `name`.
    #[inline(always)]
    pub fn name(&self, name: Name) -> LuaStr {
        self.names[name as usize]
    }
}

/// Roots that can hold native temporaries: what object constructors need to keep a
/// half-built object alive across their own allocations.
pub trait RootStack: Roots {
    /// The temporary root stack.
    fn temps(&mut self) -> &mut Vec<Value>;

    /// Marks what a GC-stress collection keeps alive besides the roots (see
    /// [`StressPins`]). None by default.
    fn trace_stress_pins<T: Tracer>(&mut self, tracer: &mut T) {
        let _ = tracer;
    }
}

impl RootStack for VmRoots {
    fn temps(&mut self) -> &mut Vec<Value> {
        &mut self.temps
    }

    fn trace_stress_pins<T: Tracer>(&mut self, tracer: &mut T) {
        self.stress_pins.trace(tracer);
    }
}

/// The roots while the VM boots, before its threads and tables exist.
#[derive(Default)]
pub struct BootRoots {
    /// The objects built so far.
    pub temps: Vec<Value>,
}

// SAFETY: during boot the only live objects are those kept in `temps`.
unsafe impl Roots for BootRoots {
    fn trace_roots<T: Tracer>(&mut self, tracer: &mut T) {
        for v in &self.temps {
            v.trace(tracer);
        }
    }

    fn running_stacks(&self) -> &[ObjectRef] {
        &[]
    }
}

impl RootStack for BootRoots {
    fn temps(&mut self) -> &mut Vec<Value> {
        &mut self.temps
    }
}

// SAFETY: reports every root listed in the module invariant; the string table and the
// stress pins are pruned of dead objects before the sweep, so the VM never sees a freed
// object.
unsafe impl Roots for VmRoots {
    fn trace_roots<T: Tracer>(&mut self, tracer: &mut T) {
        tracer.mark(self.main_thread.0);
        tracer.mark(self.thread.0);
        tracer.mark(self.globals.0);
        tracer.mark(self.registry.0);
        for mt in self.type_metatables.iter().flatten() {
            tracer.mark(mt.0);
        }
        self.error_value.trace(tracer);
        for name in &self.names {
            tracer.mark(name.0);
        }
        for v in &self.temps {
            v.trace(tracer);
        }
        for p in &self.protos_under_construction {
            tracer.mark(p.0);
        }
        for u in &self.finalizing {
            tracer.mark(u.0);
        }
    }

    fn running_stacks(&self) -> &[ObjectRef] {
        // The resumers wait with their stacks barriered (`vm::coroutine`).
        std::slice::from_ref(&self.thread.0)
    }

    fn prune_weak_references<L: Liveness>(&mut self, liveness: &L) {
        self.strings.prune(liveness);
        self.stress_pins.prune(liveness);
    }

    fn prune_weak_references_step<L: Liveness>(
        &mut self,
        liveness: &L,
        restart: bool,
        budget: usize,
    ) -> bool {
        if restart {
            self.stress_pins.prune(liveness);
        }
        self.strings.prune_some(liveness, restart, budget)
    }
}
