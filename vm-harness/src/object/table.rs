//! Lua tables, ported from Lua 5.1's `ltable.c`: an array part for keys 1..n and a hash
//! part of chained nodes with Brent's variation, sized by the same rehash rule. Using
//! 5.1's layout and hash functions makes `#` borders and `next` orders match lua5.1.
//!
//! Invariants:
//! - The array part holds `size_array` values, in a leaf block when `array` is `Some`,
//!   else in the table object itself: a table created with an array size hint of 1 to
//!   `INLINE_MAX` is allocated with that many value slots after its struct
//!   (`inline_cap`), so reading `t[i]` of a small table touches one object. `array` is
//!   `None` only while `size_array <= inline_cap`. Growing past `inline_cap` moves the
//!   part to a block for good (shrinking keeps the current storage, block or inline);
//!   the stale inline slots are then never read or traced again, nor are slots at or
//!   past `size_array`.
//! - The node part holds `node_mask + 1` nodes, a power of two, or none (5.1's dummy
//!   node) when `node` is `None`, and then `node_mask` is 0. A node is 24 bytes: the payload words of its value and its key,
//!   their tags as bytes, and the chain link: the words of `Value::words`, so `Node::val`
//!   and `Node::key` rebuild them exactly (a float's sign and bits included). A node's
//!   value is therefore no `Value` in memory: it is read, written and pre-barriered
//!   through its node (`node_val`, `set_node_val`, `barrier_pre_val`), and handed out
//!   as a value or copied into a slot (`read_str_into`), never as a `*const Value`. A
//!   free node's key and value are nil.
//! - A node whose value is nil may keep a dead key whose object was freed: such keys are
//!   compared by identity only, never dereferenced (main positions are computed only for
//!   keys with non-nil values and for keys the caller holds).
//! - The header's user bits cache absent metamethods (5.1's `flags`): bit `i` set means
//!   this table, used as a metatable, has no field for event `i`. Every store clears them.
//! - The header's two top bits (`MODE_BITS`) cache, for this table used as a metatable,
//!   whether its `__mode` field is a string holding 'k' and/or 'v'. Stores keep them,
//!   except a store under the key `"__mode"`, which recomputes them: so tracing a table
//!   learns its weakness from its metatable's header without a hash lookup, and a later
//!   change of `__mode` takes effect at the next collection, as in 5.1.
//! - The table struct, its nodes and its array slots are read and written only through
//!   raw pointers, as places (`raw_fields!`, `node_key`, `array_set`, ...), never
//!   through Rust references: an allocation may run a collector step that reads the
//!   table or clears its weak entries, and no reference may be held across it.
//! - A resize allocates while the old parts are still installed, so everything stays
//!   reachable; the key and value being stored are rooted in the temporary roots meanwhile.
//!
//! Write barrier (see `crate::heap`): every store of a reference into a table (inline
//! array slots are part of the table object, so they are no exception) runs
//! `Heap::barrier` on the table after the last allocation before it: `set`, `set_int`
//! and `set_list` (every raw store of the VM and the libraries ends there; `set_list` is
//! `SETLIST`'s) before storing into an existing slot, `new_key` before it moves nodes
//! and stores the new key, `set` again before storing the value into a slot `new_key`
//! made (it may have resized), `set_metatable`, and `resize` before it installs a new
//! array or node block in the header (a store of the block's reference into the table)
//! and re-inserts the entries.
//! Moving entries within the table needs no barrier of its own but runs under one
//! anyway. Stores without one: the fields a fresh table is initialised with (inline
//! slots included), the header's user bits (metamethod and `__mode` caches, not
//! references), the nils a resize fills inline slots with, and `clear_weak`'s nils,
//! which the collector makes itself.

use gc_core::{Collector, GcHeader, Liveness, ObjectRef, OutOfMemory, Tracer, Weakness};

use super::KIND_TABLE;
use crate::heap::Heap;
use crate::model::LuaModel;
use crate::object::string::LuaStr;
use crate::roots::RootStack;
use crate::value::{truncate, Value};

/// A reference to a table.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Hash)]
#[repr(transparent)]
pub struct TableRef(pub(crate) ObjectRef);

#[repr(C)]
struct Table {
    header: GcHeader,
    metatable: Option<TableRef>,
    array: Option<ObjectRef>,
    node: Option<ObjectRef>,
    size_array: u32,
    last_free: u32,
    /// The node count minus one (see the module invariants): a string key's main
    /// position is its hash masked with it, no shift to compute at each lookup.
    node_mask: u32,
    /// The number of inline array slots after the struct (see the module invariants).
    inline_cap: u8,
}

/// The largest array size hint that gets inline slots (see the module invariants).
const INLINE_MAX: usize = 8;

// The inline slots start right after the struct: they must be aligned for values.
const _: () = assert!(std::mem::size_of::<Table>().is_multiple_of(std::mem::align_of::<Value>()));
const _: () = assert!(INLINE_MAX <= u8::MAX as usize);

/// A hash node: the tags of the value and the key, the chain link (the index of the
/// next node in the chain, -1 at its end), and the payload words of the value and the
/// key. See the module invariants.
#[repr(C)]
#[derive(Copy, Clone)]
struct Node {
    val_tag: u8,
    key_tag: u8,
    /// Zero, so the first 16 bytes are all initialised: the value's tag and payload
    /// are read as one block (`read_str_into`).
    zero: u16,
    next: i32,
    val_payload: u64,
    key_payload: u64,
}

// Lua 5.4's node size (5.1's layout, a value key and the link, would take 40 bytes).
const _: () = assert!(std::mem::size_of::<Node>() == 24);
// `read_str_into` reads the value's tag and payload as the node's first 16 bytes.
const _: () = assert!(
    std::mem::offset_of!(Node, val_tag) == 0 && std::mem::offset_of!(Node, val_payload) == 8
);

impl Node {
    /// A free node: nil key and value, no next node.
    #[inline(always)]
    fn empty() -> Node {
        let (tag, payload) = Value::Nil.words();
        Node {
            val_tag: tag as u8,
            key_tag: tag as u8,
            zero: 0,
            next: -1,
            val_payload: payload,
            key_payload: payload,
        }
    }

    /// The key, rebuilt from its words.
    #[inline(always)]
    fn key(self) -> Value {
        // SAFETY: a node's key fields hold the words of a value (module invariant), and
        // a tag fits in a byte (see `Value::words`).
        unsafe { Value::from_words(u64::from(self.key_tag), self.key_payload) }
    }

    /// The value, rebuilt from its words.
    #[inline(always)]
    fn val(self) -> Value {
        // SAFETY: as in `key`, for the value fields.
        unsafe { Value::from_words(u64::from(self.val_tag), self.val_payload) }
    }
}

/// Where a table keeps the value of a key: an array slot or a node, by index.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Slot {
    Array(usize),
    Node(usize),
}

/// Header bit: this table's `__mode` holds 'k' (see the module invariants).
const WEAK_KEYS_BIT: u16 = 1 << 14;
/// Header bit: this table's `__mode` holds 'v'.
const WEAK_VALUES_BIT: u16 = 1 << 15;
/// The header bits that stores keep: the `__mode` cache.
const MODE_BITS: u16 = WEAK_KEYS_BIT | WEAK_VALUES_BIT;

/// The `__mode` cache bits for a `__mode` field holding `mode` (5.1 ignores non-strings).
fn mode_bits(mode: Value) -> u16 {
    let Value::String(s) = mode else { return 0 };
    let bytes = s.as_bytes();
    let mut bits = 0;
    if bytes.contains(&b'k') {
        bits |= WEAK_KEYS_BIT;
    }
    if bytes.contains(&b'v') {
        bits |= WEAK_VALUES_BIT;
    }
    bits
}

/// Whether a weak reference to `v` can be cleared: objects with identity. Strings are
/// values in 5.1 (`iscleared` marks them), and numbers and booleans are not objects.
#[inline(always)]
fn is_weak_ref(v: Value) -> bool {
    !matches!(v, Value::String(_)) && v.object().is_some()
}

/// 5.1's `iscleared`: whether the entry holding `v` goes when `v` is weak. Userdata
/// values being finalized go too (their finalizer could otherwise still see the entry);
/// keys being finalized stay.
fn is_cleared<L: Liveness>(v: Value, is_key: bool, liveness: &L) -> bool {
    if !is_weak_ref(v) {
        return false;
    }
    let Some(obj) = v.object() else { return false };
    !liveness.is_live(obj)
        || (!is_key && matches!(v, Value::Userdata(_)) && liveness.is_being_finalized(obj))
}

/// 5.1's `MAXBITS`: the array part never exceeds `1 << MAXBITS` slots.
const MAXBITS: usize = 26;

/// `next` was given a key that is not in the table ("invalid key to 'next'").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidKey;

/// Why a store failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetError {
    /// The key was nil.
    NilKey,
    /// The key was NaN.
    NanKey,
    /// A resize ran out of memory.
    OutOfMemory,
}

impl From<OutOfMemory> for SetError {
    fn from(_: OutOfMemory) -> Self {
        SetError::OutOfMemory
    }
}

/// The integer a number key denotes, if it is integral.
#[inline(always)]
fn as_index(n: f64) -> Option<i64> {
    let i = truncate(n);
    (i as f64 == n).then_some(i)
}

fn ceil_log2(x: usize) -> usize {
    (usize::BITS - (x - 1).leading_zeros()) as usize
}

/// 5.1's `hashnum`: the sum of the double's 32-bit halves.
fn hash_number(n: f64) -> u32 {
    if n == 0.0 {
        return 0;
    }
    let bits = n.to_bits();
    (bits as u32).wrapping_add((bits >> 32) as u32)
}

impl TableRef {
    #[inline(always)]
    fn raw(self) -> *mut Table {
        self.0.as_ptr() as *mut Table
    }

    raw_fields! {
        metatable: Option<TableRef>, metatable_field, set_metatable_field;
        array: Option<ObjectRef>, array_block, set_array_block;
        node: Option<ObjectRef>, node_block, set_node_block;
        size_array: u32, size_array, set_size_array;
        last_free: u32, last_free, set_last_free;
        node_mask: u32, node_mask, set_node_mask;
        inline_cap: u8, inline_cap;
    }

    /// The collector's header of the table. Only the header's bytes are borrowed, and
    /// its mutable parts are cells, which the table's field writes never overlap.
    #[inline(always)]
    fn header(&self) -> &GcHeader {
        // SAFETY: a live, initialised table (module invariant), for as long as the borrow
        // of this handle.
        unsafe { self.0.header() }
    }

    /// Creates a table with room for `narray` array items and `nhash` hash entries.
    /// Up to `INLINE_MAX` array items are inline in the table object.
    pub fn new<C: Collector<LuaModel>, R: RootStack>(
        heap: &mut Heap<C>,
        roots: &mut R,
        narray: usize,
        nhash: usize,
    ) -> Result<TableRef, OutOfMemory> {
        let inline_cap = if narray <= INLINE_MAX { narray } else { 0 };
        let bytes = std::mem::size_of::<Table>() + inline_cap * std::mem::size_of::<Value>();
        let obj = heap.alloc_object(KIND_TABLE, bytes, roots)?;
        let table = TableRef(obj);
        // SAFETY: the block is a fresh object of the struct plus inline_cap value slots;
        // the header is the collector's, so only the fields after it and the slots are
        // written, before the next allocation.
        unsafe {
            let p = table.raw();
            std::ptr::addr_of_mut!((*p).metatable).write(None);
            std::ptr::addr_of_mut!((*p).array).write(None);
            std::ptr::addr_of_mut!((*p).node).write(None);
            std::ptr::addr_of_mut!((*p).size_array).write(inline_cap as u32);
            std::ptr::addr_of_mut!((*p).last_free).write(0);
            std::ptr::addr_of_mut!((*p).node_mask).write(0);
            std::ptr::addr_of_mut!((*p).inline_cap).write(inline_cap as u8);
            let slots = table.inline_slots();
            for i in 0..inline_cap {
                Value::write_nil(slots.add(i));
            }
        }
        if narray > inline_cap || nhash > 0 {
            roots.temps().push(Value::Table(table));
            let result = table.resize(heap, roots, narray, nhash);
            roots.temps().pop();
            result?;
        }
        Ok(table)
    }

    /// The first inline array slot: right after the struct, inside the table object
    /// (or its end, when it has no inline slots).
    #[inline(always)]
    fn inline_slots(self) -> *mut Value {
        self.raw().wrapping_add(1).cast::<Value>()
    }

    /// The array part's first slot: in the block, or inline when there is none.
    #[inline(always)]
    fn array_ptr(&self) -> *mut Value {
        match self.array_block() {
            Some(a) => a.as_ptr() as *mut Value,
            None => self.inline_slots(),
        }
    }

    #[inline(always)]
    fn node_ptr(&self) -> *mut Node {
        match self.node_block() {
            Some(n) => n.as_ptr() as *mut Node,
            None => std::ptr::null_mut(),
        }
    }

    #[inline(always)]
    fn node_count(&self) -> usize {
        if self.node_block().is_some() {
            self.node_mask() as usize + 1
        } else {
            0
        }
    }

    /// Node `i` of the hash part, as a raw pointer: its fields are read and written as
    /// places through it (`node_key`, `set_node_val`, ...), never borrowed.
    #[inline(always)]
    fn node(self, i: usize) -> *mut Node {
        debug_assert!(i < self.node_count());
        // SAFETY: i < node_count, the nodes the node block holds.
        unsafe { self.node_ptr().add(i) }
    }

    #[inline(always)]
    fn node_key(self, i: usize) -> Value {
        let node = self.node(i);
        // SAFETY: `node(i)` is an initialised node of this live table, whose key fields
        // hold the words of a value (module invariant).
        unsafe { Value::from_words(u64::from((*node).key_tag), (*node).key_payload) }
    }

    /// Whether node `i`'s key has the words `tag` and `payload` (see `Value::words`):
    /// a lookup's comparison of a string key, by identity.
    #[inline(always)]
    fn node_key_is(self, i: usize, tag: u64, payload: u64) -> bool {
        let node = self.node(i);
        // SAFETY: as in `node_key`.
        unsafe { u64::from((*node).key_tag) == tag && (*node).key_payload == payload }
    }

    #[inline(always)]
    fn node_val(self, i: usize) -> Value {
        let node = self.node(i);
        // SAFETY: as in `node_key`, for the value fields.
        unsafe { Value::from_words(u64::from((*node).val_tag), (*node).val_payload) }
    }

    #[inline(always)]
    fn node_next(self, i: usize) -> i32 {
        // SAFETY: as in `node_key`.
        unsafe { (*self.node(i)).next }
    }

    #[inline(always)]
    fn read_node(self, i: usize) -> Node {
        // SAFETY: as in `node_key`.
        unsafe { self.node(i).read() }
    }

    #[inline(always)]
    fn set_node_key(self, i: usize, key: Value) {
        let node = self.node(i);
        let (tag, payload) = key.words();
        // SAFETY: as in `node_key`; the VM is single-threaded, and no reference into the
        // node block exists (module invariant). The words are a value's.
        unsafe {
            (*node).key_tag = tag as u8;
            (*node).key_payload = payload;
        }
    }

    #[inline(always)]
    fn set_node_val(self, i: usize, val: Value) {
        let node = self.node(i);
        let (tag, payload) = val.words();
        // SAFETY: as in `set_node_key`.
        unsafe {
            (*node).val_tag = tag as u8;
            (*node).val_payload = payload;
        }
    }

    #[inline(always)]
    fn set_node_next(self, i: usize, next: i32) {
        // SAFETY: as in `set_node_key`.
        unsafe { (*self.node(i)).next = next }
    }

    #[inline(always)]
    fn write_node(self, i: usize, node: Node) {
        // SAFETY: as in `set_node_key`.
        unsafe { self.node(i).write(node) }
    }

    /// The pre-write barrier before node `i`'s value is overwritten.
    #[inline(always)]
    fn barrier_pre_val<C: Collector<LuaModel>>(self, heap: &mut Heap<C>, i: usize) {
        // SAFETY: as in `node_key`; no reference is made.
        let slot = unsafe { std::ptr::addr_of!((*self.node(i)).val_payload) };
        heap.barrier_pre_ref(self.0, slot, self.node_val(i).object());
    }

    /// The pre-write barrier before node `i`'s key is overwritten or its entry removed.
    #[inline(always)]
    fn barrier_pre_key<C: Collector<LuaModel>>(self, heap: &mut Heap<C>, i: usize) {
        // SAFETY: as in `node_key`; no reference is made.
        let slot = unsafe { std::ptr::addr_of!((*self.node(i)).key_payload) };
        heap.barrier_pre_ref(self.0, slot, self.node_key(i).object());
    }

    /// Stores `val` at `slot` (a slot `new_key` made, which held nil), after the barrier.
    #[inline(always)]
    fn set_slot(self, slot: Slot, val: Value) {
        match slot {
            Slot::Array(i) => self.array_set(i, val),
            Slot::Node(i) => self.set_node_val(i, val),
        }
    }

    /// The address of array slot `i`, read and written through `array_get`/`array_set`.
    #[inline(always)]
    fn array_slot(self, i: usize) -> *mut Value {
        debug_assert!(i < self.size_array() as usize);
        // SAFETY: i < size_array, the values the array part (block or inline slots)
        // holds.
        unsafe { self.array_ptr().add(i) }
    }

    #[inline(always)]
    fn array_get(self, i: usize) -> Value {
        // SAFETY: `array_slot(i)` is an initialised value of this live table.
        unsafe { self.array_slot(i).read() }
    }

    #[inline(always)]
    fn array_set(self, i: usize, val: Value) {
        // SAFETY: as in `array_get`; the VM is single-threaded and no reference into the
        // array part exists (module invariant).
        unsafe { self.array_slot(i).write(val) }
    }

    /// Installs a new node block of `1 << log` nodes (or none), after the last allocation
    /// of a resize: the pre-write barrier on the old block's reference, then the fields.
    fn install_nodes<C: Collector<LuaModel>>(
        self,
        heap: &mut Heap<C>,
        block: Option<ObjectRef>,
        log: usize,
    ) {
        // SAFETY: a field of this live table; no reference is made.
        let slot = unsafe { std::ptr::addr_of!((*self.raw()).node) };
        heap.barrier_pre_ref(self.0, slot, self.node_block());
        self.set_node_block(block);
        self.set_node_mask(block.map_or(0, |_| (1u32 << log) - 1));
        self.set_last_free(block.map_or(0, |_| 1 << log));
    }

    /// The size of the array part.
    pub fn array_size(self) -> usize {
        self.size_array() as usize
    }

    /// The number of nodes in the hash part (what the tests of resizing check).
    #[cfg(test)]
    pub fn hash_size(self) -> usize {
        self.node_count()
    }

    /// The metatable, if any.
    #[inline(always)]
    pub fn metatable(self) -> Option<TableRef> {
        self.metatable_field()
    }

    /// The write barrier before storing `key` and `val` (or moving an entry holding
    /// them) into this table, for each of them that is an object: the collector chooses
    /// how to keep its invariant (NewGC marks what is stored into big tables, Lua 5.1 and
    /// small tables trace the table again). A store of two non-references (numbers,
    /// booleans, nil) needs none, as in 5.1's `luaC_barriert`: it cannot make a black
    /// table point to a white object, and re-tracing an old table for each number
    /// written into it was most of the barrier's work on in-place updates.
    #[inline(always)]
    fn barrier_store<C: Collector<LuaModel>>(self, heap: &mut Heap<C>, key: Value, val: Value) {
        for stored in [key, val] {
            if let Some(obj) = stored.object() {
                heap.barrier_store(self.0, obj);
            }
        }
    }

    /// How many parts the collector may trace separately: array slots, then nodes.
    pub(crate) fn part_count(self) -> usize {
        self.size_array() as usize + self.node_count()
    }

    /// Traces parts `parts` (see `part_count`); the chunk from part 0 also reports the
    /// metatable and the array and node blocks. Together the chunks equal `trace`.
    pub(crate) fn trace_parts<T: Tracer>(self, parts: std::ops::Range<usize>, tracer: &mut T) {
        let size_array = self.size_array() as usize;
        if parts.start == 0 {
            if let Some(mt) = self.metatable() {
                tracer.mark(mt.0);
            }
            if let Some(array) = self.array_block() {
                tracer.mark(array);
            }
            if let Some(node) = self.node_block() {
                tracer.mark(node);
            }
        }
        self.trace_values(
            parts.start.min(size_array)..parts.end.min(size_array),
            tracer,
        );
        self.trace_nodes(
            parts.start.max(size_array) - size_array..parts.end.max(size_array) - size_array,
            tracer,
        );
    }

    /// Reports the values in array slots `slots` (within the array part). The part's
    /// address is read once: tracing writes nothing into the table.
    #[inline(always)]
    fn trace_values<T: Tracer>(self, slots: std::ops::Range<usize>, tracer: &mut T) {
        let array = self.array_ptr();
        for i in slots {
            // SAFETY: i < size_array: an initialised value of this live table.
            unsafe { array.add(i).read() }.trace(tracer);
        }
    }

    /// Reports the key and value of each node in `nodes` (within the node part) whose
    /// value is not nil: the live entries. The node block's address is read once, as in
    /// `trace_values`.
    #[inline(always)]
    fn trace_nodes<T: Tracer>(self, nodes: std::ops::Range<usize>, tracer: &mut T) {
        let base = self.node_ptr();
        for i in nodes {
            // SAFETY: i < node_count: an initialised node of this live table.
            let node = unsafe { base.add(i).read() };
            let val = node.val();
            if !val.is_nil() {
                node.key().trace(tracer);
                val.trace(tracer);
            }
        }
    }

    /// Sets the metatable, with the write barrier.
    pub fn set_metatable<C: Collector<LuaModel>>(self, heap: &mut Heap<C>, mt: Option<TableRef>) {
        // SAFETY: a field of this live table (module invariant); no reference is made.
        let slot = unsafe { std::ptr::addr_of!((*self.raw()).metatable) };
        heap.barrier_pre_ref(self.0, slot, self.metatable().map(|m| m.0));
        heap.barrier(self.0);
        self.set_metatable_field(mt);
    }

    /// The absent-metamethod cache bits.
    #[inline(always)]
    pub fn tm_flags(self) -> u16 {
        self.header().user()
    }

    /// Records that metamethod `event` is absent.
    #[inline(always)]
    pub fn set_tm_absent(self, event: u16) {
        let header = self.header();
        header.set_user(header.user() | (1 << event));
    }

    /// Before a store of `val` under `key`: clears the absent-metamethod cache and keeps
    /// the `__mode` cache, unless `key` is `"__mode"`, whose new value it caches.
    #[inline(always)]
    fn clear_caches(self, key: Value, val: Value) {
        let header = self.header();
        let mut bits = header.user() & MODE_BITS;
        if let Value::String(s) = key {
            if s.len() == 6 && s.as_bytes() == b"__mode" {
                bits = mode_bits(val);
            }
        }
        header.set_user(bits);
    }

    /// The table's weakness: its metatable's cached `__mode` (the one check strong tables
    /// pay when traced).
    #[inline(always)]
    pub fn weakness(self) -> Weakness {
        let Some(mt) = self.metatable() else {
            return Weakness::Strong;
        };
        let bits = mt.header().user();
        match (bits & WEAK_KEYS_BIT != 0, bits & WEAK_VALUES_BIT != 0) {
            (false, false) => Weakness::Strong,
            (true, false) => Weakness::WeakKeys,
            (false, true) => Weakness::WeakValues,
            (true, true) => Weakness::WeakKeysAndValues,
        }
    }

    /// Main position of a live key, as an index into the node part (which is non-empty).
    fn main_position(&self, key: Value) -> usize {
        let mask = self.node_mask();
        let hash_mod = |h: u32| (h % (mask | 1)) as usize;
        match key {
            Value::Number(n) => hash_mod(hash_number(n)),
            Value::String(s) => (s.hash() & mask) as usize,
            Value::Boolean(b) => (u32::from(b) & mask) as usize,
            other => hash_mod(other.object().map_or(0, |o| o.addr() as u32)),
        }
    }

    /// Value for integer key `key`.
    #[inline(always)]
    pub fn get_int(self, key: i64) -> Value {
        let idx = key.wrapping_sub(1) as u64;
        if idx < u64::from(self.size_array()) {
            return self.array_get(idx as usize);
        }
        self.get_num_hash(key as f64)
    }

    /// Moves the values under integer keys `from..from + count` to `to..to + count`, as
    /// `table.insert` and `table.remove` shift, with one barrier for the move, when both
    /// ranges lie in the array part; false (nothing moved) otherwise.
    pub fn move_in_array<C: Collector<LuaModel>>(
        self,
        heap: &mut Heap<C>,
        from: i64,
        to: i64,
        count: usize,
    ) -> bool {
        let size = i64::from(self.size_array());
        let (Ok(len), true) = (i64::try_from(count), from >= 1 && to >= 1) else {
            return false;
        };
        if from.saturating_add(len) > size + 1 || to.saturating_add(len) > size + 1 {
            return false;
        }
        let (from, to) = ((from - 1) as usize, (to - 1) as usize);
        // Array slots are the first parts (see `part_count`).
        heap.barrier_move(self.0, from..from + count);
        let array = self.array_ptr();
        // SAFETY: both ranges lie in the array part, which holds size_array values.
        unsafe {
            for i in to..to + count {
                heap.barrier_pre(self.0, array.add(i));
            }
            std::ptr::copy(array.add(from), array.add(to), count);
        }
        true
    }

    fn get_num_hash(self, n: f64) -> Value {
        if self.node_count() == 0 {
            return Value::Nil;
        }
        let mut i = self.main_position(Value::Number(n)) as i32;
        while i >= 0 {
            let node = i as usize;
            if let Value::Number(k) = self.node_key(node) {
                if k == n {
                    return self.node_val(node);
                }
            }
            i = self.node_next(node);
        }
        Value::Nil
    }

    /// Node index of string key `key`, if present: the hot path of field and global
    /// access. Strings are interned, so a key matches by identity alone.
    #[inline(always)]
    fn find_str(self, key: LuaStr) -> Option<usize> {
        // No node part, no key.
        self.node_block()?;
        let (tag, payload) = Value::String(key).words();
        let mut i = (key.hash() & self.node_mask()) as i32;
        loop {
            let node = i as usize;
            if self.node_key_is(node, tag, payload) {
                return Some(node);
            }
            i = self.node_next(node);
            if i < 0 {
                return None;
            }
        }
    }

    /// Value for string key `key`.
    #[inline(always)]
    pub fn get_str(self, key: LuaStr) -> Value {
        match self.find_str(key) {
            Some(node) => self.node_val(node),
            None => Value::Nil,
        }
    }

    /// Copies the value of string key `key` to `dst` if it is not nil, and says whether
    /// it did: for the interpreter's field and global reads, which test the value's tag
    /// where it lies and copy the value with one 16-byte load and store (see
    /// `Value::write`), instead of rebuilding it from its words to test and copy it.
    ///
    /// # Safety
    /// `dst` must be valid for a write of a `Value`.
    #[inline(always)]
    pub unsafe fn read_str_into(self, key: LuaStr, dst: *mut Value) -> bool {
        let Some(i) = self.find_str(key) else {
            return false;
        };
        let node = self.node(i);
        // SAFETY: as in `node_key`, for the value fields.
        let tag = unsafe { (*node).val_tag };
        if u64::from(tag) == Value::Nil.words().0 {
            return false;
        }
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::_mm_storeu_si128;
            use std::arch::x86_64::{_mm_and_si128, _mm_loadu_si128, _mm_set_epi64x};
            // SAFETY: SSE2 is part of x86_64. The node's first 16 bytes are initialised
            // (`Node::zero`); masked to its low byte, the value's tag (x86_64 is little
            // endian), the first word is the tag word, and the second is the value's
            // payload: the words of a value (module invariant). `dst` per the caller.
            unsafe {
                let block = _mm_loadu_si128(node.cast());
                let words = _mm_and_si128(block, _mm_set_epi64x(-1, 0xff));
                _mm_storeu_si128(dst.cast(), words);
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        // SAFETY: as in `node_key`; the words of a node's value, `dst` per the caller.
        unsafe {
            dst.write(Value::from_words(u64::from(tag), (*node).val_payload))
        };
        true
    }

    /// The address of the array-part slot of number key `n` (its value possibly nil),
    /// null if `n` is not an index of the array part: for the interpreter's `t[i]`,
    /// which tests the value where it lies and copies it once, instead of copying it
    /// out to test it (a round trip through memory on the read's critical path). Valid
    /// until the table is next written.
    #[inline(always)]
    pub fn array_value_ptr(self, n: f64) -> *const Value {
        match self.array_index_of(n) {
            Some(i) => self.array_slot(i),
            None => std::ptr::null(),
        }
    }

    /// Raw get (`rawget`). Inlined: the interpreter's field and index reads start
    /// here, and the key's type usually picks the path at compile time.
    #[inline(always)]
    pub fn get(self, key: Value) -> Value {
        match key {
            Value::String(s) => self.get_str(s),
            Value::Number(n) => match self.array_index_of(n) {
                Some(i) => self.array_get(i),
                // An integral key outside the array part is in the hash part, as a
                // float one is.
                None => self.get_num_hash(n),
            },
            Value::Nil => Value::Nil,
            _ => self.get_other(key),
        }
    }

    /// Raw get of a key that is neither a string, a number nor nil.
    #[inline(never)]
    fn get_other(self, key: Value) -> Value {
        match self.find_node(key) {
            Some(i) => self.node_val(i),
            None => Value::Nil,
        }
    }

    /// Node index of `key` (a live key), if present.
    fn find_node(self, key: Value) -> Option<usize> {
        if self.node_count() == 0 {
            return None;
        }
        let mut i = self.main_position(key) as i32;
        while i >= 0 {
            if self.node_key(i as usize).raw_eq(key) {
                return Some(i as usize);
            }
            i = self.node_next(i as usize);
        }
        None
    }

    /// The slot holding `key`'s value, if the key is present (possibly with a nil value).
    fn find_slot(self, key: Value) -> Option<Slot> {
        if let Some(idx) = self.array_index(key) {
            return Some(Slot::Array(idx));
        }
        self.find_node(key).map(Slot::Node)
    }

    /// The array-part slot of `key`, if it is an integer within the array part.
    #[inline(always)]
    fn array_index(self, key: Value) -> Option<usize> {
        let Value::Number(n) = key else { return None };
        self.array_index_of(n)
    }

    /// The array-part slot of number key `n`, if it is an integer within the array
    /// part: a conversion there and back and one unsigned comparison, the cost of
    /// `t[i]` in a loop.
    #[inline(always)]
    fn array_index_of(self, n: f64) -> Option<usize> {
        let i = truncate(n);
        let slot = (i as u64).wrapping_sub(1);
        (slot < u64::from(self.size_array()) && i as f64 == n).then_some(slot as usize)
    }

    /// Raw set (`rawset`): stores `val` under `key`, growing the table if needed.
    /// Runs the write barrier and clears the metamethod cache. Inlined: a store under a
    /// present key (`set_present`) takes only the lookup, the barriers and the store;
    /// everything else goes to `set_absent`.
    #[inline(always)]
    pub fn set<C: Collector<LuaModel>, R: RootStack>(
        self,
        heap: &mut Heap<C>,
        roots: &mut R,
        key: Value,
        val: Value,
    ) -> Result<(), SetError> {
        if self.set_present(heap, key, val) {
            return Ok(());
        }
        self.set_absent(heap, roots, key, val)
    }

    /// Stores `val` under `key` if the table holds a non-nil value under it, a string
    /// or array-part key (the interpreter's `t.name = v` and `t[i] = v`), or under any
    /// array-part key of a table without a metatable (appends into an array part that
    /// has grown ahead of them): true if stored. Such a store allocates nothing and
    /// consults no `__newindex` (5.1's `luaV_settable` looks for one only where the
    /// key holds nil), so the interpreter tries it before anything that may run code.
    /// With the barriers and cache clearing of `set`.
    #[inline(always)]
    pub fn set_present<C: Collector<LuaModel>>(
        self,
        heap: &mut Heap<C>,
        key: Value,
        val: Value,
    ) -> bool {
        match key {
            Value::String(s) => {
                let Some(i) = self.find_str(s) else {
                    return false;
                };
                if self.node_val(i).is_nil() {
                    return false;
                }
                self.barrier_store(heap, key, val);
                self.clear_caches(key, val);
                self.store_in_node(heap, i, val);
                true
            }
            Value::Number(n) => {
                let Some(idx) = self.array_index_of(n) else {
                    return false;
                };
                if self.array_get(idx).is_nil() && self.metatable().is_some() {
                    return false;
                }
                self.barrier_store(heap, key, val);
                self.clear_caches(key, val);
                // SAFETY: a value slot of this table's array part.
                unsafe { heap.barrier_pre(self.0, self.array_slot(idx)) };
                self.array_set(idx, val);
                true
            }
            _ => false,
        }
    }

    /// `set` once `set_present` did not store: the key is absent, holds nil, or is
    /// neither a string nor an array-part number (correct for any key).
    #[inline(never)]
    pub fn set_absent<C: Collector<LuaModel>, R: RootStack>(
        self,
        heap: &mut Heap<C>,
        roots: &mut R,
        key: Value,
        val: Value,
    ) -> Result<(), SetError> {
        self.barrier_store(heap, key, val);
        self.clear_caches(key, val);
        if let Some(idx) = self.array_index(key) {
            // SAFETY: a value slot of this table's array part.
            unsafe { heap.barrier_pre(self.0, self.array_slot(idx)) };
            self.array_set(idx, val);
            return Ok(());
        }
        if matches!(key, Value::Number(n) if n.is_nan()) {
            return Err(SetError::NanKey);
        }
        // Before the lookup: a free node's key is nil too, and `t[nil] = v` must not
        // store into one (5.1 refuses a nil key whatever the value).
        if key.is_nil() {
            return Err(SetError::NilKey);
        }
        if let Some(i) = self.find_node(key) {
            self.store_in_node(heap, i, val);
            return Ok(());
        }
        let slot = self.new_key(heap, roots, key, val)?;
        // new_key may have resized the table: the allocation may have run a collector
        // increment that traced it again since the barrier above.
        self.barrier_store(heap, key, val);
        self.set_slot(slot, val);
        Ok(())
    }

    /// Stores `val` as the value of node `i` (a live key), after `barrier_store`: the
    /// pre-write barrier on the old value, and on the key when storing nil deletes the
    /// entry (its key is no longer traced either).
    #[inline(always)]
    fn store_in_node<C: Collector<LuaModel>>(self, heap: &mut Heap<C>, i: usize, val: Value) {
        self.barrier_pre_val(heap, i);
        if val.is_nil() {
            self.barrier_pre_key(heap, i);
        }
        self.set_node_val(i, val);
    }

    /// Stores under an integer key.
    #[inline]
    pub fn set_int<C: Collector<LuaModel>, R: RootStack>(
        self,
        heap: &mut Heap<C>,
        roots: &mut R,
        key: i64,
        val: Value,
    ) -> Result<(), SetError> {
        let idx = key.wrapping_sub(1) as u64;
        if idx < u64::from(self.size_array()) {
            self.barrier_store(heap, Value::Nil, val);
            let header = self.header();
            header.set_user(header.user() & MODE_BITS);
            // SAFETY: a value slot of this table's array part.
            unsafe { heap.barrier_pre(self.0, self.array_slot(idx as usize)) };
            self.array_set(idx as usize, val);
            return Ok(());
        }
        self.set(heap, roots, Value::Number(key as f64), val)
    }

    /// Stores the `n` values at `values` under the integer keys `first + 1..=first + n`,
    /// all inside the array part (panics otherwise): a constructor's `SETLIST` once the
    /// part is sized, each store as `set_int` makes it (barriers, caches), without a call
    /// per value. Nothing here allocates, so no barrier is stale by the next store. Out
    /// of line: inlined, it would move the interpreter loop's register allocation.
    ///
    /// # Safety
    /// `values` points to `n` initialised values (registers of the running frame).
    #[inline(never)]
    pub unsafe fn set_list<C: Collector<LuaModel>>(
        self,
        heap: &mut Heap<C>,
        first: usize,
        values: *const Value,
        n: usize,
    ) {
        assert!(n <= (self.size_array() as usize).saturating_sub(first));
        let header = self.header();
        header.set_user(header.user() & MODE_BITS);
        for j in 0..n {
            // SAFETY: one of the caller's `n` values.
            let val = unsafe { values.add(j).read() };
            self.barrier_store(heap, Value::Nil, val);
            // SAFETY: first + j < size_array (checked above): a value slot of the part.
            unsafe { heap.barrier_pre(self.0, self.array_slot(first + j)) };
            self.array_set(first + j, val);
        }
    }

    fn free_pos(self) -> Option<usize> {
        let mut last_free = self.last_free();
        while last_free > 0 {
            last_free -= 1;
            if self.node_key(last_free as usize).is_nil() {
                self.set_last_free(last_free);
                return Some(last_free as usize);
            }
        }
        self.set_last_free(0);
        None
    }

    /// 5.1's `newkey`: inserts a key that is not present and returns its value slot.
    fn new_key<C: Collector<LuaModel>, R: RootStack>(
        self,
        heap: &mut Heap<C>,
        roots: &mut R,
        key: Value,
        val: Value,
    ) -> Result<Slot, OutOfMemory> {
        if self.node_count() == 0 {
            return self.rehash_and_insert(heap, roots, key, val);
        }
        // Nothing allocates from here to the key store, but the caller's barrier may
        // predate an allocation (this call may follow a rehash).
        self.barrier_store(heap, key, val);
        let mut mp = self.main_position(key);
        if !self.node_val(mp).is_nil() {
            let Some(free) = self.free_pos() else {
                return self.rehash_and_insert(heap, roots, key, val);
            };
            let mut other = self.main_position(self.node_key(mp));
            if other != mp {
                while self.node_next(other) != mp as i32 {
                    other = self.node_next(other) as usize;
                }
                self.set_node_next(other, free as i32);
                // Moving an entry is a store of its key and value, for the forward
                // barrier (it may move into a part the collector has traced already).
                let moved = self.read_node(mp);
                self.barrier_store(heap, moved.key(), moved.val());
                self.write_node(free, moved);
                self.set_node_next(mp, -1);
                // The entry moved out, so its old slots are deletions (the key is
                // overwritten below).
                self.barrier_pre_val(heap, mp);
                self.barrier_pre_key(heap, mp);
                self.set_node_val(mp, Value::Nil);
            } else {
                self.set_node_next(free, self.node_next(mp));
                self.set_node_next(mp, free as i32);
                mp = free;
            }
        }
        self.set_node_key(mp, key);
        Ok(Slot::Node(mp))
    }

    fn rehash_and_insert<C: Collector<LuaModel>, R: RootStack>(
        self,
        heap: &mut Heap<C>,
        roots: &mut R,
        key: Value,
        val: Value,
    ) -> Result<Slot, OutOfMemory> {
        let mut nums = [0usize; MAXBITS + 1];
        let mut na = self.count_array(&mut nums);
        let mut total = na;
        total += self.count_hash(&mut nums, &mut na);
        na += count_int(key, &mut nums);
        total += 1;
        let (array_size, in_array) = compute_sizes(&nums, na);
        roots.temps().extend([Value::Table(self), key, val]);
        let result = self.resize(heap, roots, array_size, total - in_array);
        let temps = roots.temps();
        temps.truncate(temps.len() - 3);
        result?;
        if let Some(slot) = self.find_slot(key) {
            return Ok(slot);
        }
        self.new_key(heap, roots, key, val)
    }

    fn count_array(self, nums: &mut [usize; MAXBITS + 1]) -> usize {
        let size = self.size_array() as usize;
        let mut total = 0;
        let mut i = 1;
        let mut ttlg = 1;
        for slot in nums.iter_mut() {
            let mut lim = ttlg;
            if lim > size {
                lim = size;
                if i > lim {
                    break;
                }
            }
            let mut count = 0;
            while i <= lim {
                if !self.array_get(i - 1).is_nil() {
                    count += 1;
                }
                i += 1;
            }
            *slot += count;
            total += count;
            ttlg *= 2;
        }
        total
    }

    fn count_hash(self, nums: &mut [usize; MAXBITS + 1], na: &mut usize) -> usize {
        let mut total = 0;
        let mut ints = 0;
        for i in (0..self.node_count()).rev() {
            let node = self.read_node(i);
            if !node.val().is_nil() {
                ints += count_int(node.key(), nums);
                total += 1;
            }
        }
        *na += ints;
        total
    }

    /// 5.1's `resize`: new array and node parts, then re-insertion.
    fn resize<C: Collector<LuaModel>, R: RootStack>(
        self,
        heap: &mut Heap<C>,
        roots: &mut R,
        array_size: usize,
        hash_size: usize,
    ) -> Result<(), OutOfMemory> {
        // 5.1's limits (MAXASIZE, and MAXBITS for the node part's "table overflow"):
        // only crafted bytecode asks for more, with NEWTABLE size hints in the
        // billions, which are refused before anything is allocated.
        if array_size > 1 << MAXBITS || hash_size > 1 << MAXBITS {
            let slots = array_size.saturating_add(hash_size);
            return Err(OutOfMemory {
                requested: slots.saturating_mul(std::mem::size_of::<Node>()),
            });
        }
        let old_array = self.size_array() as usize;
        if array_size > old_array {
            if self.array_block().is_none() && array_size <= self.inline_cap() as usize {
                let slots = self.inline_slots();
                for i in old_array..array_size {
                    // SAFETY: i < inline_cap: a slot of the table object. Nil is no
                    // reference, so the store needs no barrier.
                    unsafe { slots.add(i).write(Value::Nil) };
                }
                self.set_size_array(array_size as u32);
            } else {
                // SAFETY: the current array part (block or inline slots) holds
                // old_array < array_size initialised values and stays installed in this
                // table, which the caller keeps reachable.
                let block = unsafe {
                    heap.alloc_values_from(self.array_ptr(), old_array, array_size, roots)?
                };
                // SAFETY: a field of this live table; no reference is made.
                let slot = unsafe { std::ptr::addr_of!((*self.raw()).array) };
                let old_block = self.array_block();
                heap.barrier_pre_ref(self.0, slot, old_block);
                self.set_array_block(Some(block));
                self.set_size_array(array_size as u32);
                // Installing the new block stored a reference into the table; the
                // allocation may have run an increment that traced the table. Nothing
                // allocates since the store, so the barrier may follow it, and the
                // collector chooses its barrier by the table's new size. The copied
                // values keep their slots: traced ones stay traced.
                heap.barrier_store(self.0, block);
                if let Some(old) = old_block {
                    // SAFETY: the values are copied and the table holds the new block;
                    // nothing else refers to the old one.
                    unsafe { heap.free_owned_leaf(old) };
                }
            }
        }
        let old_nodes = self.node_ptr();
        let old_node_block = self.node_block();
        let old_count = self.node_count();
        if hash_size == 0 {
            self.install_nodes(heap, None, 0);
        } else {
            let log = ceil_log2(hash_size);
            let count = 1usize << log;
            let block = heap.alloc_owned_leaf(count * std::mem::size_of::<Node>(), roots)?;
            let nodes = block.as_ptr() as *mut Node;
            // SAFETY: the fresh block holds `count` nodes.
            unsafe {
                for i in 0..count {
                    nodes.add(i).write(Node::empty());
                }
            }
            // After the last allocation of the resize.
            self.install_nodes(heap, Some(block), log);
            // As for the array block: the barrier follows the store.
            heap.barrier_store(self.0, block);
        }
        if array_size < old_array {
            self.set_size_array(array_size as u32);
            for i in array_size..old_array {
                // SAFETY: the array part's storage (block or inline slots) still holds
                // old_array values: shrinking keeps it.
                let v = unsafe { *self.array_ptr().add(i) };
                if !v.is_nil() {
                    let key = Value::Number((i + 1) as f64);
                    self.reinsert(heap, key, v);
                }
            }
        }
        for i in (0..old_count).rev() {
            // SAFETY: the old node block (no longer installed, not freed before the next
            // allocation, and none happens here) holds old_count nodes.
            let node = unsafe { *old_nodes.add(i) };
            let val = node.val();
            if !val.is_nil() {
                self.reinsert(heap, node.key(), val);
            }
        }
        if let Some(old) = old_node_block {
            // SAFETY: the entries are re-inserted and the table holds the new block (or
            // none); nothing else refers to the old one.
            unsafe { heap.free_owned_leaf(old) };
        }
        Ok(())
    }

    /// Re-inserts an entry during a resize: a move inside the table (it may land in a
    /// part the collector traced already; entries that `insert_sized` moves again were
    /// re-inserted, and barriered, earlier in the resize, since the node block is fresh).
    /// The move barrier follows the move, on the part that now holds the entry: nothing
    /// allocates in between.
    fn reinsert<C: Collector<LuaModel>>(self, heap: &mut Heap<C>, key: Value, val: Value) {
        let part = self.insert_sized(key, val);
        if key.object().is_some() || val.object().is_some() {
            heap.barrier_move(self.0, part..part + 1);
        }
    }

    /// Inserts during a resize, which sized the parts to hold every key; returns the part
    /// (see `part_count`) that holds the entry.
    fn insert_sized(self, key: Value, val: Value) -> usize {
        if let Some(idx) = self.array_index(key) {
            self.array_set(idx, val);
            return idx;
        }
        let size_array = self.size_array() as usize;
        if let Some(i) = self.find_node(key) {
            self.set_node_val(i, val);
            return size_array + i;
        }
        let mut mp = self.main_position(key);
        if !self.node_val(mp).is_nil() {
            let free = self
                .free_pos()
                .expect("a resized table has room for every key");
            let mut other = self.main_position(self.node_key(mp));
            if other != mp {
                while self.node_next(other) != mp as i32 {
                    other = self.node_next(other) as usize;
                }
                self.set_node_next(other, free as i32);
                self.write_node(free, self.read_node(mp));
                self.set_node_next(mp, -1);
                self.set_node_val(mp, Value::Nil);
            } else {
                self.set_node_next(free, self.node_next(mp));
                self.set_node_next(mp, free as i32);
                mp = free;
            }
        }
        self.set_node_key(mp, key);
        self.set_node_val(mp, val);
        size_array + mp
    }

    /// Grows or shrinks the array part to `n` slots, keeping the hash part's size
    /// (5.1's `luaH_resizearray`, used by `SETLIST`).
    pub fn resize_array<C: Collector<LuaModel>, R: RootStack>(
        self,
        heap: &mut Heap<C>,
        roots: &mut R,
        n: usize,
    ) -> Result<(), OutOfMemory> {
        let hash = self.node_count();
        roots.temps().push(Value::Table(self));
        let result = self.resize(heap, roots, n, hash);
        roots.temps().pop();
        result
    }

    /// The border `#t` returns, computed as 5.1's `luaH_getn`.
    pub fn length(self) -> usize {
        let mut j = self.size_array() as usize;
        if j > 0 && self.array_get(j - 1).is_nil() {
            let mut i = 0;
            while j - i > 1 {
                let m = (i + j) / 2;
                if self.array_get(m - 1).is_nil() {
                    j = m;
                } else {
                    i = m;
                }
            }
            return i;
        }
        if self.node_count() == 0 {
            return j;
        }
        let mut i = j;
        j += 1;
        while !self.get_int(j as i64).is_nil() {
            i = j;
            j *= 2;
            if j > i32::MAX as usize {
                let mut i = 1;
                while !self.get_int(i).is_nil() {
                    i += 1;
                }
                return (i - 1) as usize;
            }
        }
        while j - i > 1 {
            let m = (i + j) / 2;
            if self.get_int(m as i64).is_nil() {
                j = m;
            } else {
                i = m;
            }
        }
        i
    }

    /// The entry after `key` in traversal order (`next`); `Err` for a key not in the
    /// table. Assigning to existing keys (or nil) during a traversal keeps the order.
    pub fn next(self, key: Value) -> Result<Option<(Value, Value)>, InvalidKey> {
        let size_array = self.size_array() as usize;
        let mut i = match key {
            Value::Nil => 0,
            _ => {
                let in_array = match key {
                    Value::Number(n) => as_index(n).filter(|&i| i >= 1 && i as usize <= size_array),
                    _ => None,
                };
                match in_array {
                    Some(i) => i as usize,
                    None => self.find_dead_or_live(key).ok_or(InvalidKey)? + size_array + 1,
                }
            }
        };
        while i < size_array {
            let v = self.array_get(i);
            if !v.is_nil() {
                return Ok(Some((Value::Number((i + 1) as f64), v)));
            }
            i += 1;
        }
        let mut n = i - size_array;
        while n < self.node_count() {
            let node = self.read_node(n);
            let val = node.val();
            if !val.is_nil() {
                return Ok(Some((node.key(), val)));
            }
            n += 1;
        }
        Ok(None)
    }

    /// Node index of `key` for `next`: the key may have a nil value (removed during the
    /// traversal), but the caller holds it, so its main position is computable.
    fn find_dead_or_live(self, key: Value) -> Option<usize> {
        if let Value::Number(n) = key {
            if n.is_nan() {
                return None;
            }
        }
        self.find_node(key)
    }

    /// Reports the part blocks the table owns (its own fields only: it may be dead).
    pub(crate) fn owned_leaves<F: FnMut(ObjectRef)>(self, f: &mut F) {
        self.array_block()
            .into_iter()
            .chain(self.node_block())
            .for_each(f);
    }

    /// The bytes of 5.1's dummy node when the table has no hash part: 5.1 points such a
    /// table at one shared node, which its traversal walks and charges as work (see
    /// `ObjectModel::shared_bytes_traversed`), charged at this VM's node size, as the
    /// nodes of a table's own block are.
    pub(crate) fn shared_bytes_traversed(self) -> u64 {
        if self.node_block().is_none() {
            std::mem::size_of::<Node>() as u64
        } else {
            0
        }
    }

    /// Reports the table's references: metatable, parts, and the live entries.
    pub(crate) fn trace<T: Tracer>(self, tracer: &mut T) {
        if let Some(mt) = self.metatable() {
            tracer.mark(mt.0);
        }
        if let Some(array) = self.array_block() {
            tracer.mark(array);
        }
        self.trace_values(0..self.size_array() as usize, tracer);
        if let Some(node) = self.node_block() {
            tracer.mark(node);
            self.trace_nodes(0..self.node_count(), tracer);
        }
    }

    /// Reports the strong references of a weak table (5.1's `traversetable` with a
    /// `__mode`, plus ephemerons): the metatable and parts always; keys unless keys are
    /// weak; values unless values are weak, and with weak keys only once the key is live
    /// (a value whose key is not live yet is reported to wait for it). Strings, numbers and
    /// booleans are never weak.
    pub(crate) fn trace_weak<T: Tracer + Liveness>(self, weakness: Weakness, tracer: &mut T) {
        let weak_keys = matches!(weakness, Weakness::WeakKeys | Weakness::WeakKeysAndValues);
        let weak_values = matches!(weakness, Weakness::WeakValues | Weakness::WeakKeysAndValues);
        if let Some(mt) = self.metatable() {
            tracer.mark(mt.0);
        }
        if let Some(array) = self.array_block() {
            tracer.mark(array);
        }
        for i in 0..self.size_array() as usize {
            let v = self.array_get(i);
            if !weak_values || !is_weak_ref(v) {
                v.trace(tracer);
            }
        }
        if let Some(node) = self.node_block() {
            tracer.mark(node);
            for i in 0..self.node_count() {
                let n = self.read_node(i);
                let val = n.val();
                if val.is_nil() {
                    continue;
                }
                let key = n.key();
                let key_strong = !weak_keys || !is_weak_ref(key);
                if key_strong {
                    key.trace(tracer);
                }
                if weak_values {
                    if !is_weak_ref(val) {
                        val.trace(tracer);
                    }
                } else if key_strong {
                    val.trace(tracer);
                } else if let (Some(key), Some(value)) = (key.object(), val.object()) {
                    if tracer.is_live(key) {
                        tracer.mark(value);
                    } else {
                        tracer.mark_when_live(key, value);
                    }
                }
            }
        }
    }

    /// Removes the entries whose key or value `liveness` calls cleared (5.1's
    /// `cleartable`): the value becomes nil and the dead key stays, so a `next` in
    /// progress still finds it.
    pub(crate) fn clear_weak<L: Liveness>(self, weakness: Weakness, liveness: &L) {
        let weak_values = matches!(weakness, Weakness::WeakValues | Weakness::WeakKeysAndValues);
        if weak_values {
            for i in 0..self.size_array() as usize {
                if is_cleared(self.array_get(i), false, liveness) {
                    self.array_set(i, Value::Nil);
                }
            }
        }
        for i in 0..self.node_count() {
            let n = self.read_node(i);
            let val = n.val();
            if !val.is_nil()
                && (is_cleared(n.key(), true, liveness) || is_cleared(val, false, liveness))
            {
                self.set_node_val(i, Value::Nil);
            }
        }
    }
}

fn count_int(key: Value, nums: &mut [usize; MAXBITS + 1]) -> usize {
    if let Value::Number(n) = key {
        if let Some(k) = as_index(n) {
            if k > 0 && k <= (1 << MAXBITS) {
                nums[ceil_log2(k as usize)] += 1;
                return 1;
            }
        }
    }
    0
}

/// 5.1's `computesizes`: the largest power of two n such that more than half of 1..n is
/// in use; returns (n, number of keys that go to the array part).
fn compute_sizes(nums: &[usize; MAXBITS + 1], narray: usize) -> (usize, usize) {
    let mut a = 0;
    let mut na = 0;
    let mut n = 0;
    let mut twotoi = 1usize;
    let mut i = 0;
    while twotoi / 2 < narray && i <= MAXBITS {
        if nums[i] > 0 {
            a += nums[i];
            if a > twotoi / 2 {
                n = twotoi;
                na = a;
            }
        }
        if a == narray {
            break;
        }
        i += 1;
        twotoi *= 2;
    }
    (n, na)
}
