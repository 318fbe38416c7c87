//! A minimal object model for tests, benchmarks and examples (MMTk calls its equivalent a
//! dummy VM): nodes with an id and a fixed number of reference slots, plus leaf blocks.
//! Nodes of the weak kinds hold key/value pairs (slots 2i and 2i+1) with the weakness of
//! their kind, like Lua tables with a `__mode`; an empty key slot stands for a key that is
//! not an object (a Lua string or number), which never dies.
//!
//! Node layout: `GcHeader` (8 bytes, slot count in its user bits) | id: u64 | slots:
//! `[Option<ObjectRef>; n]`, where null is an empty slot. A node with two slots is 32 bytes: two cells.

pub mod intern;
pub mod model;
pub mod owner;

use crate::object_model::{Liveness, ObjectModel, ObjectRef, Roots, Tracer, Weakness};

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

/// A traversable test object: a handle to an initialised node.
///
/// Invariant: the wrapped reference is a node initialised by [`Node::init`] and live
/// for as long as the handle is used; constructing a handle ([`Node::init`],
/// [`Node::from_ref`]) is `unsafe` because its accessors rely on that, so safe code
/// cannot turn an arbitrary [`ObjectRef`] into reads and writes of foreign memory:
///
/// ```compile_fail,E0423
/// # fn forge(obj: gc_core::ObjectRef) -> u64 {
/// gc_core::testing::Node(obj).id()
/// # }
/// ```
///
/// ```compile_fail,E0133
/// # fn forge(obj: gc_core::ObjectRef) -> u64 {
/// gc_core::testing::Node::from_ref(obj).id()
/// # }
/// ```
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct Node(ObjectRef);

impl Node {
    /// Initialises a block freshly allocated with [`node_bytes`]`(slots)` bytes.
    ///
    /// # Safety
    /// `obj` must be such a block, allocated as an object with kind [`NODE_KIND`] (or
    /// a weak kind), and stay live (reachable from the roots given to its collector)
    /// while the returned handle is used.
    pub unsafe fn init(obj: ObjectRef, id: u64, slots: u16) -> Node {
        // SAFETY: the block is node_bytes(slots) long and ours to write (caller); empty
        // slots are null pointers, which is `None`.
        unsafe {
            obj.header().set_user(slots);
            let body = obj.as_ptr().add(8).cast::<u64>();
            body.write(id);
            std::ptr::write_bytes(body.add(1), 0, usize::from(slots));
        }
        Node(obj)
    }

    /// The handle of a node initialised earlier.
    ///
    /// # Safety
    /// `obj` is a node initialised by [`Node::init`], and stays live while the returned
    /// handle is used.
    pub unsafe fn from_ref(obj: ObjectRef) -> Node {
        Node(obj)
    }

    /// The node's reference, to store it or hand it to the collector.
    pub fn obj(self) -> ObjectRef {
        self.0
    }

    /// The id given at initialisation.
    pub fn id(self) -> u64 {
        // SAFETY: a Node wraps an initialised, live node (type invariant); the id
        // follows the 8-byte header.
        unsafe { self.0.as_ptr().add(8).cast::<u64>().read() }
    }

    /// Number of reference slots.
    pub fn slot_count(self) -> usize {
        // SAFETY: as in `id`; the reference lives only for this call.
        usize::from(unsafe { self.0.header() }.user())
    }

    /// Slot `i`, which must be below the slot count: an optional reference, stored as
    /// a pointer (null: empty) so that it keeps its provenance.
    fn slot_ptr(self, i: usize) -> *mut Option<ObjectRef> {
        assert!(i < self.slot_count());
        // SAFETY: as in `id`; slot i lies inside the node (slots follow the id).
        unsafe { self.0.as_ptr().add(16).cast::<Option<ObjectRef>>().add(i) }
    }

    /// The reference in slot `i`.
    pub fn slot(self, i: usize) -> Option<ObjectRef> {
        // SAFETY: an initialised slot of a live node (type invariant).
        unsafe { self.slot_ptr(i).read() }
    }

    /// Stores `value` in slot `i`.
    ///
    /// # Safety
    /// `value` is `None` or a live object of this node's collector (the collector traces
    /// what the slot holds), and the store keeps the collector's invariant: while it
    /// marks incrementally, the write barrier ran on this node since the last
    /// allocation, unless the node is new (allocated by that allocation).
    pub unsafe fn set_slot(self, i: usize, value: Option<ObjectRef>) {
        // SAFETY: as in `slot`.
        unsafe { self.slot_ptr(i).write(value) };
    }
}

// SAFETY: trace reports exactly the non-empty slots, which hold heap references only;
// trace_weak reports the strong part of weak nodes, clear_weak empties dead pairs.
unsafe impl ObjectModel for TestModel {
    unsafe fn trace<T: Tracer>(obj: ObjectRef, tracer: &mut T) {
        // SAFETY: the collector traces live nodes only (ObjectModel contract).
        let node = unsafe { Node::from_ref(obj) };
        for i in 0..node.slot_count() {
            if let Some(child) = node.slot(i) {
                tracer.mark(child);
            }
        }
    }

    /// Even nodes stand for tables, written often (collectors with a choice take the
    /// backward barrier for them), odd ones for objects written rarely.
    unsafe fn is_written_often(obj: ObjectRef) -> bool {
        // SAFETY: as in `trace`.
        unsafe { Node::from_ref(obj) }.id().is_multiple_of(2)
    }

    unsafe fn part_count(obj: ObjectRef) -> usize {
        // SAFETY: as in `trace`.
        unsafe { Node::from_ref(obj) }.slot_count()
    }

    unsafe fn trace_parts<T: Tracer>(
        obj: ObjectRef,
        parts: std::ops::Range<usize>,
        tracer: &mut T,
    ) {
        // SAFETY: the collector traces live nodes only (ObjectModel contract).
        let node = unsafe { Node::from_ref(obj) };
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
        // SAFETY: the collector traces live nodes only (ObjectModel contract).
        let node = unsafe { Node::from_ref(obj) };
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
        // SAFETY: the collector traces live nodes only (ObjectModel contract).
        let node = unsafe { Node::from_ref(obj) };
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
                // SAFETY: emptying slots (clearing weak entries needs no barrier).
                unsafe {
                    node.set_slot(2 * pair, None);
                    node.set_slot(2 * pair + 1, None);
                }
            }
        }
    }
}

/// A list of root references: what a test keeps alive across allocations.
///
/// Invariant: every reference in the list is a live object of the collector the list is
/// given to (allocated by it and reachable from the list at every collection since), as
/// [`Roots`] requires: the collector marks and traces what the list reports. Adding a
/// reference is `unsafe` for that reason; reading and removing them are not, since a
/// reference left out of the roots is only reached again through `unsafe` code.
///
/// ```compile_fail,E0133
/// # fn stale(roots: &mut gc_core::testing::RootList, freed: gc_core::ObjectRef) {
/// roots.push(freed);
/// # }
/// ```
#[derive(Default, Debug, Clone)]
pub struct RootList(Vec<ObjectRef>);

impl RootList {
    /// A list of `objs`.
    ///
    /// # Safety
    /// Each of `objs` is a live object of the collectors this list will be given to.
    pub unsafe fn from_vec(objs: Vec<ObjectRef>) -> Self {
        RootList(objs)
    }

    /// Adds `obj` to the roots.
    ///
    /// # Safety
    /// `obj` is a live object of the collectors this list will be given to.
    pub unsafe fn push(&mut self, obj: ObjectRef) {
        self.0.push(obj);
    }

    /// Replaces the root at `index` (which must be below the length) with `obj`.
    ///
    /// # Safety
    /// As for [`RootList::push`].
    pub unsafe fn set(&mut self, index: usize, obj: ObjectRef) {
        self.0[index] = obj;
    }

    /// Removes and returns the last root.
    pub fn pop(&mut self) -> Option<ObjectRef> {
        self.0.pop()
    }

    /// Removes the root at `index`, moving the last one into its place.
    pub fn swap_remove(&mut self, index: usize) -> ObjectRef {
        self.0.swap_remove(index)
    }

    /// Keeps only the roots `keep` accepts.
    pub fn retain(&mut self, keep: impl FnMut(&ObjectRef) -> bool) {
        self.0.retain(keep);
    }

    /// Removes every root.
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

impl std::ops::Deref for RootList {
    type Target = [ObjectRef];

    fn deref(&self) -> &[ObjectRef] {
        &self.0
    }
}

// SAFETY: reports every reference in the list, each a live object (type invariant, kept
// by the unsafe methods that add them); users keep there what they will use again.
unsafe impl Roots for RootList {
    fn trace_roots<T: Tracer>(&mut self, tracer: &mut T) {
        for &root in &self.0 {
            tracer.mark(root);
        }
    }

    fn running_stacks(&self) -> &[ObjectRef] {
        &[]
    }
}
