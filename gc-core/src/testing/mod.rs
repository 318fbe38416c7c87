//! A minimal object model for tests, benchmarks and examples (MMTk calls its equivalent a
//! dummy VM): nodes with an id and a fixed number of reference slots, plus leaf blocks.
//! Nodes of the weak kinds hold key/value pairs (slots 2i and 2i+1) with the weakness of
//! their kind, like Lua tables with a `__mode`; an empty key slot stands for a key that is
//! not an object (a Lua string or number), which never dies.
//!
//! Node layout: `GcHeader` (8 bytes, slot count in its user bits) | id: u64 | slots:
//! `[usize; n]`, where 0 is an empty slot. A node with two slots is 32 bytes: two cells.

pub mod model;

use crate::object_model::{GcHeader, Liveness, ObjectModel, ObjectRef, Roots, Tracer, Weakness};

/// The kind byte of strong nodes.
pub const NODE_KIND: u8 = 1;
/// The kind byte of nodes whose pairs have weak keys (ephemerons).
pub const WEAK_KEYS_KIND: u8 = 2;
/// The kind byte of nodes whose pairs have weak values.
pub const WEAK_VALUES_KIND: u8 = 3;
/// The kind byte of nodes whose pairs have weak keys and values.
pub const WEAK_KEYS_AND_VALUES_KIND: u8 = 4;

/// The object model of [`Node`]s.
pub struct TestModel;

/// Bytes of a node with `slots` reference slots.
pub const fn node_bytes(slots: usize) -> usize {
    16 + 8 * slots
}

/// A traversable test object.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct Node(pub ObjectRef);

impl Node {
    /// Initialises a block freshly allocated with [`node_bytes`]`(slots)` bytes.
    ///
    /// # Safety
    /// `obj` must be such a block, allocated as an object with kind [`NODE_KIND`].
    pub unsafe fn init(obj: ObjectRef, id: u64, slots: u16) -> Node {
        // SAFETY: the block is node_bytes(slots) long and ours to write (caller).
        unsafe {
            obj.header().set_user(slots);
            let body = obj.as_ptr().add(8).cast::<u64>();
            body.write(id);
            std::ptr::write_bytes(body.add(1), 0, usize::from(slots));
        }
        Node(obj)
    }

    fn words(self) -> *mut u64 {
        // SAFETY: nodes are at least 16 bytes; the id and slots follow the header.
        unsafe { self.0.as_ptr().add(8).cast() }
    }

    /// The id given at initialisation.
    pub fn id(self) -> u64 {
        // SAFETY: a Node wraps an initialised, live node (see `init`).
        unsafe { self.words().read() }
    }

    /// Number of reference slots.
    pub fn slot_count(self) -> usize {
        // SAFETY: as in `id`.
        usize::from(self.header().user())
    }

    fn header(self) -> &'static GcHeader {
        // SAFETY: as in `id`; the reference is only used while the node is live.
        unsafe { self.0.header() }
    }

    /// The reference in slot `i`.
    pub fn slot(self, i: usize) -> Option<ObjectRef> {
        assert!(i < self.slot_count());
        // SAFETY: slot i is inside the node.
        ObjectRef::from_ptr(unsafe { self.words().add(1 + i).read() } as *mut u8)
    }

    /// Stores `value` in slot `i`. Call the collector's write barrier first.
    pub fn set_slot(self, i: usize, value: Option<ObjectRef>) {
        assert!(i < self.slot_count());
        let raw = value.map_or(0, |obj| obj.addr() as u64);
        // SAFETY: slot i is inside the node.
        unsafe { self.words().add(1 + i).write(raw) };
    }
}

// SAFETY: trace reports exactly the non-empty slots, which hold heap references only;
// trace_weak reports the strong part of weak nodes, clear_weak empties dead pairs.
unsafe impl ObjectModel for TestModel {
    unsafe fn trace<T: Tracer>(obj: ObjectRef, tracer: &mut T) {
        let node = Node(obj);
        for i in 0..node.slot_count() {
            if let Some(child) = node.slot(i) {
                tracer.mark(child);
            }
        }
    }

    /// Even nodes stand for tables, written often (collectors with a choice take the
    /// backward barrier for them), odd ones for objects written rarely.
    unsafe fn is_written_often(obj: ObjectRef) -> bool {
        Node(obj).id().is_multiple_of(2)
    }

    unsafe fn part_count(obj: ObjectRef) -> usize {
        Node(obj).slot_count()
    }

    unsafe fn trace_parts<T: Tracer>(
        obj: ObjectRef,
        parts: std::ops::Range<usize>,
        tracer: &mut T,
    ) {
        let node = Node(obj);
        for i in parts {
            if let Some(child) = node.slot(i) {
                tracer.mark(child);
            }
        }
    }

    unsafe fn weakness(obj: ObjectRef) -> Weakness {
        // SAFETY: obj is a live node (ObjectModel contract).
        match unsafe { obj.header() }.kind() {
            WEAK_KEYS_KIND => Weakness::WeakKeys,
            WEAK_VALUES_KIND => Weakness::WeakValues,
            WEAK_KEYS_AND_VALUES_KIND => Weakness::WeakKeysAndValues,
            _ => Weakness::Strong,
        }
    }

    unsafe fn trace_weak<T: Tracer + Liveness>(obj: ObjectRef, weakness: Weakness, tracer: &mut T) {
        let node = Node(obj);
        for pair in 0..node.slot_count() / 2 {
            let (key, value) = (node.slot(2 * pair), node.slot(2 * pair + 1));
            let key_live = key.is_none_or(|key| tracer.is_live(key));
            if let (Some(key), Weakness::WeakValues) = (key, weakness) {
                tracer.mark(key);
            }
            let value_strong = match weakness {
                Weakness::WeakKeys => key_live,
                Weakness::WeakValues | Weakness::WeakKeysAndValues => false,
                Weakness::Strong => true,
            };
            match (key, value) {
                (_, Some(value)) if value_strong => tracer.mark(value),
                (Some(key), Some(value)) if weakness == Weakness::WeakKeys => {
                    tracer.mark_when_live(key, value)
                }
                _ => {}
            }
        }
    }

    unsafe fn clear_weak<L: Liveness>(obj: ObjectRef, weakness: Weakness, liveness: &L) {
        let node = Node(obj);
        let weak_keys = matches!(weakness, Weakness::WeakKeys | Weakness::WeakKeysAndValues);
        let weak_values = matches!(weakness, Weakness::WeakValues | Weakness::WeakKeysAndValues);
        for pair in 0..node.slot_count() / 2 {
            let dead = |slot: Option<ObjectRef>, values: bool| {
                slot.is_some_and(|obj| {
                    !liveness.is_live(obj) || (values && liveness.is_being_finalized(obj))
                })
            };
            if (weak_keys && dead(node.slot(2 * pair), false))
                || (weak_values && dead(node.slot(2 * pair + 1), true))
            {
                node.set_slot(2 * pair, None);
                node.set_slot(2 * pair + 1, None);
            }
        }
    }
}

/// A list of root references.
#[derive(Default, Debug, Clone)]
pub struct RootList(pub Vec<ObjectRef>);

// SAFETY: reports every reference in the list; users keep there what they will use again.
unsafe impl Roots for RootList {
    fn trace_roots<T: Tracer>(&mut self, tracer: &mut T) {
        for &root in &self.0 {
            tracer.mark(root);
        }
    }
}
