//! Interned byte strings: leaf blocks holding length, hash and bytes, and the VM-side
//! intern table that makes string equality a pointer comparison.
//!
//! The table is open addressing with linear probing over a power of two of one-word
//! slots, at most `MAX_LOAD_EIGHTHS` eighths full. A slot holds a string's address and, in the
//! bits the address leaves free, the top bits of its hash (a tag: a probe reads a string
//! only when its tag matches) and its distance from its home slot (so that removing an
//! entry, pruning and halving the table read no string: only slots and, to prune, the
//! mark bits the collector's liveness reads).
//!
//! Invariants: two live strings with the same bytes are the same block; a string's bytes
//! never change; every string of the table is reached by probing from its home slot
//! (`home_slot`) through full slots only, and its slot's distance is its offset from
//! there (or `FAR`); the intern table holds no freed string, because the dead ones are
//! dropped between marking and the sweep of the leaf arenas: at once
//! ([`StringTable::prune`]) or in steps ([`StringTable::prune_some`], incremental
//! collectors, which hold the leaf sweep meanwhile). A dead string `intern` finds before
//! it is dropped is revived.

use gc_core::{Collector, Liveness, ObjectRef, OutOfMemory};

use crate::heap::Heap;
use crate::model::LuaModel;
use crate::roots::VmRoots;

/// A reference to an interned string.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Hash)]
#[repr(transparent)]
pub struct LuaStr(pub(crate) ObjectRef);

/// The fixed part of a string block, followed by the bytes.
#[repr(C)]
struct StrHead {
    /// Length in bytes: a string holds less than 4 GiB (LuaJIT 2.x's limit is 2 GiB),
    /// so that the header is 8 bytes and a string of up to 8 bytes one 16-byte cell.
    len: u32,
    hash: u32,
}

const HEAD: usize = std::mem::size_of::<StrHead>();
const _: () = assert!(HEAD == 8, "a string's header is half a cell");

/// Lua 5.1's string hash (`luaS_newlstr`): long strings sample at most 32 bytes. Using
/// the same function as 5.1 makes table layouts, and so `next` orders, match lua5.1.
pub fn hash_bytes(bytes: &[u8]) -> u32 {
    let len = bytes.len();
    let mut h = len as u32;
    let step = (len >> 5) + 1;
    let mut l1 = len;
    while l1 >= step {
        h ^= (h << 5)
            .wrapping_add(h >> 2)
            .wrapping_add(u32::from(bytes[l1 - 1]));
        l1 -= step;
    }
    h
}

impl LuaStr {
    fn head(self) -> *mut StrHead {
        self.0.as_ptr() as *mut StrHead
    }

    /// Length in bytes.
    #[inline(always)]
    pub fn len(self) -> usize {
        // SAFETY: a LuaStr points at a live, initialised string block (module invariant).
        unsafe { (*self.head()).len as usize }
    }

    /// Whether the string is empty.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The precomputed hash, used by tables.
    #[inline(always)]
    pub fn hash(self) -> u32 {
        // SAFETY: as in `len`.
        unsafe { (*self.head()).hash }
    }

    /// The bytes. The slice stays valid while the string is reachable: strings never
    /// move or change, so callers only need to keep the string rooted while using it.
    /// The slice borrows this handle, not `'static` memory: it cannot be returned or
    /// stored past the handle's scope.
    #[inline(always)]
    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: the block holds `len` initialised bytes after the head (see `intern`).
        unsafe { std::slice::from_raw_parts(self.0.as_ptr().add(HEAD), self.len()) }
    }

    /// The bytes as text, replacing invalid UTF-8 (for Rust-side messages only).
    pub fn to_str_lossy(self) -> String {
        String::from_utf8_lossy(self.as_bytes()).into_owned()
    }
}

/// The intern table's size when empty, and the least it shrinks to, in slots.
const MIN_SLOTS: usize = 512;

/// The table grows past this load, in eighths: linear probing's probes for a string not
/// in the table grow as 1 / (1 - load)^2 (32 slots, four cache lines read in order, at
/// 7/8), and the table's size as 1 / load (about what Lua 5.1's chained table takes
/// when its strings' links are counted).
const MAX_LOAD_EIGHTHS: usize = 7;

/// Slot bits the address leaves free: the low 4 (strings are 16-byte aligned) and the
/// top 16 (user-space addresses are below 2^48).
const ADDRESS_MASK: usize = ((1 << 48) - 1) & !15;

/// Of the 20 free bits: the probe distance, then the hash's top bits (the tag).
const DISTANCE_BITS: u32 = 10;
const TAG_BITS: u32 = 10;
const _: () = assert!(DISTANCE_BITS >= 4 && DISTANCE_BITS + TAG_BITS == 20);

/// The distance a slot records for a string this far from its home slot or farther:
/// its home is then computed from its hash (only long runs of one home come to it).
const FAR: usize = (1 << DISTANCE_BITS) - 1;

/// An intern-table slot: empty (null), or a string's address with its probe distance
/// and hash tag in the address's free bits (see `ADDRESS_MASK`). The pointer keeps the
/// string's provenance; it is read only through its address bits.
#[derive(Copy, Clone)]
#[repr(transparent)]
struct Slot(*mut u8);

const EMPTY: Slot = Slot(std::ptr::null_mut());

/// A table of `n` empty slots, from zeroed memory: for a big table, pages the OS zeroes
/// as the table fills, where writing every slot at once (what `vec![EMPTY; n]` does, not
/// knowing `EMPTY` is all zeros) would be a pause as long as the table is big.
fn empty_slots(n: usize) -> Vec<Slot> {
    // Integers, unlike pointers, are known to the standard library to be all zeros when
    // zero: it asks the allocator for zeroed memory.
    let mut zeroed = std::mem::ManuallyDrop::new(vec![0usize; n]);
    const _: () = assert!(size_of::<usize>() == size_of::<Slot>());
    const _: () = assert!(align_of::<usize>() == align_of::<Slot>());
    // SAFETY: `Slot` is a transparent `*mut u8`, of `usize`'s size and alignment (checked
    // above), and zero bits are a null pointer, `EMPTY`: the buffer holds `n` empty
    // slots, allocated with `Slot`'s layout, and the vector it came from is not dropped.
    unsafe {
        Vec::from_raw_parts(
            zeroed.as_mut_ptr().cast::<Slot>(),
            zeroed.len(),
            zeroed.capacity(),
        )
    }
}

/// The slots of a table given up (grown or halved) are freed on a thread of their own if
/// big: freeing returns every page to the OS, in time that grows with the table, which
/// would otherwise be one pause. Below this, at once.
const FREE_APART_BYTES: usize = 1 << 20;

/// Slots on their way to another thread, only to be freed there.
struct Discarded(Vec<Slot>);

// SAFETY: the slots' pointers are never read again, by any thread: the vector is only
// dropped, which frees its buffer and touches no string.
unsafe impl Send for Discarded {}

impl Discarded {
    fn free(self) {
        drop(self.0);
    }
}

/// Frees `slots` (see `FREE_APART_BYTES`); at once if no thread can be started.
fn free_slots(slots: Vec<Slot>) {
    if slots.len() * size_of::<Slot>() >= FREE_APART_BYTES {
        let discarded = Discarded(slots);
        // A failed spawn drops the closure, and with it the slots, here.
        let _ = std::thread::Builder::new()
            .name("luagc-free".to_owned())
            .spawn(move || discarded.free());
    }
}

/// The home slot of a string of hash `hash` in a table of `len` slots: the top bits of
/// the hash times 2^64 / phi (Fibonacci hashing). 5.1's hash of similar strings (numbers,
/// names with a counter) differs in few low bits; taken as they are, they would make long
/// runs of full slots. Halving the table halves the home.
#[inline(always)]
pub(crate) fn home_slot(hash: u32, len: usize) -> usize {
    let mixed = u64::from(hash).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed >> (64 - len.trailing_zeros())) as usize
}

/// The tag of a string of hash `hash`.
#[inline(always)]
fn tag_of(hash: u32) -> usize {
    (hash >> (32 - TAG_BITS)) as usize
}

impl Slot {
    /// The slot for `s`, `distance` slots past its home.
    #[inline(always)]
    fn new(s: LuaStr, tag: usize, distance: usize) -> Slot {
        let ptr = s.0.as_ptr();
        assert_eq!(
            ptr.addr() & !ADDRESS_MASK,
            0,
            "a string below 2^48, 16-byte aligned"
        );
        let meta = distance.min(FAR) | tag << DISTANCE_BITS;
        Slot(ptr.map_addr(|addr| addr | (meta & 15) | (meta >> 4) << 48))
    }

    /// The free bits' contents.
    #[inline(always)]
    fn meta(self) -> usize {
        let addr = self.0.addr();
        (addr & 15) | (addr >> 48) << 4
    }

    /// The hash tag: the top bits, past the distance's (at least 4 wide).
    #[inline(always)]
    fn tag(self) -> usize {
        self.0.addr() >> (48 + DISTANCE_BITS - 4)
    }

    /// The string, if the slot is full.
    #[inline(always)]
    fn string(self) -> Option<LuaStr> {
        // SAFETY: a full slot was made by `Slot::new` from a string's block pointer;
        // masking restores that pointer, with its provenance.
        unsafe { ObjectRef::from_ptr(self.0.map_addr(|addr| addr & ADDRESS_MASK)) }.map(LuaStr)
    }

    /// How far the string of this full slot, at index `at` of a table of `mask + 1`
    /// slots, is from its home slot.
    #[inline(always)]
    fn distance(self, s: LuaStr, at: usize, mask: usize) -> usize {
        match self.meta() & FAR {
            FAR => at.wrapping_sub(home_slot(s.hash(), mask + 1)) & mask,
            near => near,
        }
    }
}

/// Puts `s` (not in the table) in the first empty slot from `home` on.
#[inline]
fn put(slots: &mut [Slot], s: LuaStr, tag: usize, home: usize) {
    let mask = slots.len() - 1;
    let mut i = home;
    while slots[i].string().is_some() {
        i = (i + 1) & mask;
    }
    slots[i] = Slot::new(s, tag, i.wrapping_sub(home) & mask);
}

/// The string with these bytes and hash in `slots`, if any.
#[inline]
fn probe(slots: &[Slot], bytes: &[u8], hash: u32) -> Option<LuaStr> {
    let mask = slots.len() - 1;
    let tag = tag_of(hash);
    let mut i = home_slot(hash, slots.len());
    loop {
        let slot = slots[i];
        if slot.0.is_null() {
            return None;
        }
        if slot.tag() == tag {
            let s = slot.string()?;
            if s.hash() == hash && s.as_bytes() == bytes {
                return Some(s);
            }
        }
        i = (i + 1) & mask;
    }
}

/// A live string of a run being pruned (`prune_run`): its slot's tag, and its home as an
/// offset from the run's first pruned slot, or, for a home before that slot (the slots
/// from there to it stay full), offset 0 and how far before it the home is.
struct Kept {
    s: LuaStr,
    tag: usize,
    home: usize,
    before: usize,
}

/// Drops the dead strings of the slots from `start` (full) to the next empty slot, the
/// rest of a run of full slots, in one pass, and packs the live ones back: each into the
/// first empty slot from its home, so every string is still reached from its home through
/// full slots. Returns the empty slot that ended the run (cyclically after `start`) and
/// how many strings were dropped.
///
/// Removing the dead one at a time, each moving back the rest of the run (Knuth's
/// algorithm R), reads the run once per dead string: on a big table at 7/8 load, runs of
/// thousands of slots make that quadratic. Here a string whose home is at or before the
/// packed prefix goes to its end at once; only one whose home lies past it probes, no
/// further than it was from its home before.
fn prune_run<L: Liveness>(
    slots: &mut [Slot],
    kept: &mut Vec<Kept>,
    liveness: &L,
    start: usize,
) -> (usize, usize) {
    let mask = slots.len() - 1;
    let mut dropped = 0;
    let mut j = start;
    while let Some(s) = slots[j].string() {
        let slot = slots[j];
        if liveness.is_live(s.0) {
            let offset = j.wrapping_sub(start) & mask;
            let distance = slot.distance(s, j, mask);
            let tag = slot.tag();
            kept.push(match offset.checked_sub(distance) {
                Some(home) => Kept {
                    s,
                    tag,
                    home,
                    before: 0,
                },
                None => Kept {
                    s,
                    tag,
                    home: 0,
                    before: distance - offset,
                },
            });
        } else {
            dropped += 1;
        }
        slots[j] = EMPTY;
        j = (j + 1) & mask;
    }
    // Offsets below `packed` are full again.
    let mut packed = 0;
    for k in kept.drain(..) {
        let mut at = k.home.max(packed);
        while slots[(start + at) & mask].string().is_some() {
            at += 1;
        }
        slots[(start + at) & mask] = Slot::new(k.s, k.tag, k.before + at - k.home);
        while slots[(start + packed) & mask].string().is_some() {
            packed += 1;
        }
    }
    (j, dropped)
}

/// The intern table (see the module docs).
pub struct StringTable {
    /// A power of two of slots, at most `MAX_LOAD_EIGHTHS` eighths full.
    slots: Vec<Slot>,
    /// The strings in `slots` and those of `halving` not moved yet.
    count: usize,
    /// The next slot to prune while a collector prunes in steps (`prune_some`).
    prune_next: Option<usize>,
    /// While the table halves in steps (after a prune left it a quarter full): the old
    /// slots, not changed any more, and how many of them have been moved into `slots`.
    /// A string is in `slots` or, not moved yet, in the old ones.
    halving: Option<(Vec<Slot>, usize)>,
    /// `prune_run`'s list of the live strings of a run, kept for its capacity.
    kept: Vec<Kept>,
}

impl Default for StringTable {
    fn default() -> Self {
        StringTable {
            slots: empty_slots(MIN_SLOTS),
            count: 0,
            prune_next: None,
            halving: None,
            kept: Vec::new(),
        }
    }
}

impl StringTable {
    #[inline]
    fn find(&self, bytes: &[u8], hash: u32) -> Option<LuaStr> {
        probe(&self.slots, bytes, hash).or_else(|| {
            let (old, _) = self.halving.as_ref()?;
            probe(old, bytes, hash)
        })
    }

    /// Adds `s`, which `find` did not find.
    fn insert(&mut self, s: LuaStr) {
        if (self.count + 1) * 8 > self.slots.len() * MAX_LOAD_EIGHTHS {
            self.grow();
        }
        let hash = s.hash();
        let home = home_slot(hash, self.slots.len());
        put(&mut self.slots, s, tag_of(hash), home);
        self.count += 1;
    }

    /// Doubles the table (a halving under way is finished first). The new home slots
    /// take one more bit of each hash than the old: read from the strings.
    #[cold]
    fn grow(&mut self) {
        self.halve_some(usize::MAX);
        let len = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, empty_slots(len));
        for s in old.iter().filter_map(|slot| slot.string()) {
            let hash = s.hash();
            put(&mut self.slots, s, tag_of(hash), home_slot(hash, len));
        }
        free_slots(old);
        // Slots pruned so far are mixed with the others now: prune them all again.
        if self.prune_next.is_some() {
            self.prune_next = Some(0);
        }
    }

    /// Moves up to `budget` of the old slots into the halved table while it halves; true
    /// once it is halved (or was not halving). A string's home in the halved table is its
    /// old home halved: no string is read.
    fn halve_some(&mut self, budget: usize) -> bool {
        let Some((old, moved)) = &mut self.halving else {
            return true;
        };
        let to = moved.saturating_add(budget).min(old.len());
        let old_mask = old.len() - 1;
        for (i, &slot) in old.iter().enumerate().take(to).skip(*moved) {
            if let Some(s) = slot.string() {
                let home = (i.wrapping_sub(slot.distance(s, i, old_mask)) & old_mask) / 2;
                put(&mut self.slots, s, slot.tag(), home);
            }
        }
        if to < old.len() {
            *moved = to;
            return false;
        }
        if let Some((old, _)) = self.halving.take() {
            free_slots(old);
        }
        true
    }

    /// Drops the strings the collection found dead.
    pub fn prune<L: Liveness>(&mut self, liveness: &L) {
        self.prune_some(liveness, true, usize::MAX);
    }

    /// Drops the dead strings of about `budget` slots, starting over when `restart`; true
    /// once every slot is pruned (and a table left a quarter full halved, in steps of the
    /// same budget: moving every string at once would be a pause as long as the table is
    /// big). Meanwhile `intern` revives the dead strings it finds. A dead string is
    /// dropped with the rest of its run of full slots (`prune_run`), which moves only
    /// live strings, within the run: those of slots not pruned yet, and at the table's
    /// end those of its start, pruned already, that the run wraps around to. A run counts
    /// its slots against the budget, but is pruned whole.
    pub fn prune_some<L: Liveness>(&mut self, liveness: &L, restart: bool, budget: usize) -> bool {
        if self.halving.is_some() {
            if !restart {
                return self.halve_some(budget);
            }
            self.halve_some(usize::MAX);
        }
        let mut i = if restart {
            0
        } else {
            self.prune_next.unwrap_or(0)
        };
        let mut left = budget;
        while i < self.slots.len() && left > 0 {
            match self.slots[i].string() {
                Some(s) if !liveness.is_live(s.0) => {
                    let (end, dropped) = prune_run(&mut self.slots, &mut self.kept, liveness, i);
                    self.count -= dropped;
                    // A run past the table's end ends in its start, pruned already.
                    let next = if end < i { self.slots.len() } else { end };
                    left = left.saturating_sub(next - i);
                    i = next;
                }
                _ => {
                    left -= 1;
                    i += 1;
                }
            }
        }
        let done = i == self.slots.len();
        self.prune_next = (!done).then_some(i);
        if !done {
            return false;
        }
        // As 5.1's `checkSizes`: a table left a quarter full is halved, at most once a
        // collection.
        if self.count < self.slots.len() / 4 && self.slots.len() > MIN_SLOTS {
            let half = empty_slots(self.slots.len() / 2);
            self.halving = Some((std::mem::replace(&mut self.slots, half), 0));
            return self.halve_some(left);
        }
        true
    }

    /// Number of interned strings (what the tests of pruning count).
    #[cfg(test)]
    pub fn interned(&self) -> usize {
        self.count
    }

    /// Number of slots, the table's whole size.
    #[cfg(test)]
    pub fn slots(&self) -> usize {
        self.slots.len()
    }
}

/// Returns the interned string with these bytes, allocating it if needed. `bytes` may
/// point into another heap string, which the caller keeps rooted.
pub fn intern<C: Collector<LuaModel>>(
    heap: &mut Heap<C>,
    roots: &mut VmRoots,
    bytes: &[u8],
) -> Result<LuaStr, OutOfMemory> {
    let hash = hash_bytes(bytes);
    if let Some(s) = roots.strings.find(bytes, hash) {
        // A collector may still be pruning the table: a dead string found must live on.
        // SAFETY: `s` was found in the intern table, which holds no freed string
        // (module invariant): dead, perhaps, but not freed yet.
        unsafe { heap.gc.revive(s.0) };
        return Ok(s);
    }
    // A string of 4 GiB or more cannot be represented (see `StrHead::len`).
    let len = u32::try_from(bytes.len()).map_err(|_| OutOfMemory {
        requested: HEAD.saturating_add(bytes.len()),
    })?;
    let obj = heap.alloc_string(HEAD + bytes.len(), roots)?;
    // SAFETY: the new block has HEAD + len bytes; it is written before any other
    // allocation, and `bytes` (rooted by the caller) cannot overlap a fresh block.
    unsafe {
        (obj.as_ptr() as *mut StrHead).write(StrHead { len, hash });
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), obj.as_ptr().add(HEAD), bytes.len());
    }
    let s = LuaStr(obj);
    roots.strings.insert(s);
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A big table's empty slots are the OS's zero pages until written: allocating one is
    /// not a pass over all its memory. 64 MB, past the size from which `malloc` always
    /// maps fresh memory.
    #[test]
    fn a_big_empty_table_is_not_resident() {
        let n = (64 << 20) / size_of::<Slot>();
        let slots = empty_slots(n);
        let bytes = n * size_of::<Slot>();
        let resident = gc_core::heap::os::resident_pages(slots.as_ptr().addr(), bytes)
            .expect("the table is mapped");
        let pages = bytes / gc_core::heap::os::page_size();
        assert!(resident < pages / 8, "{resident} of {pages} pages");
        assert!(slots.iter().all(|slot| slot.string().is_none()));
    }
}
