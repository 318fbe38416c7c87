//! Interned byte strings: leaf blocks holding length, hash, the intern table's chain link
//! and bytes, and the VM-side intern table that makes string equality a pointer comparison.
//!
//! The table is Lua 5.1's (`lstring.c`): an array of bucket heads, each bucket a chain
//! threaded through its strings' headers, so the table costs one pointer per bucket
//! (at most two per string) and no allocation per string.
//!
//! Invariants: two live strings with the same bytes are the same block; a string's bytes
//! never change; the intern table holds no freed string, because the dead ones are dropped
//! between marking and the sweep of the leaf arenas: at once ([`StringTable::prune`]) or
//! in steps ([`StringTable::prune_some`], incremental collectors, which hold the leaf
//! sweep meanwhile). A dead string `intern` finds before it is dropped is revived.

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
    /// so that the header with its chain link stays one 16-byte cell.
    len: u32,
    hash: u32,
    /// The next string of its intern-table bucket. Not a reference the collector traces
    /// (the table is weak): the table unlinks a dead string before its block is freed.
    next: Option<LuaStr>,
}

const HEAD: usize = std::mem::size_of::<StrHead>();
const _: () = assert!(HEAD == 16, "a string's header is one cell");

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

    /// The next string of this string's intern-table bucket.
    fn next_in_bucket(self) -> Option<LuaStr> {
        // SAFETY: the intern table calls this on the strings it holds, which are not
        // freed (module invariant), their headers initialised by `intern`.
        unsafe { (*self.head()).next }
    }

    /// Links this string to `next` in its intern-table bucket. A plain-data store: the
    /// collector never reads the link, so it takes no barrier.
    fn set_next_in_bucket(self, next: Option<LuaStr>) {
        // SAFETY: as in `next_in_bucket`; no Rust reference into the header is alive.
        unsafe { (*self.head()).next = next }
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

/// The intern table's size when empty, and the least it shrinks to.
const MIN_BUCKETS: usize = 256;

/// The intern table: bucket heads, each a chain of strings linked through their headers.
pub struct StringTable {
    /// A power of two of bucket heads, at least as many as strings.
    buckets: Vec<Option<LuaStr>>,
    count: usize,
    /// The next bucket to prune while a collector prunes in steps (`prune_some`).
    prune_next: Option<usize>,
    /// While the table halves in steps (after a prune left it a quarter full): how many
    /// buckets of the upper half have been moved onto their lower twins (bucket
    /// `half + i` onto `i`, as the halved mask maps them) and emptied.
    halved_upto: Option<usize>,
}

impl Default for StringTable {
    fn default() -> Self {
        StringTable {
            buckets: vec![None; MIN_BUCKETS],
            count: 0,
            prune_next: None,
            halved_upto: None,
        }
    }
}

/// The strings of the chain that starts at `head`.
fn chain(head: Option<LuaStr>) -> impl Iterator<Item = LuaStr> {
    std::iter::successors(head, |s| s.next_in_bucket())
}

/// Links `s` in at the front of `bucket`'s chain.
fn push_front(bucket: &mut Option<LuaStr>, s: LuaStr) {
    s.set_next_in_bucket(*bucket);
    *bucket = Some(s);
}

impl StringTable {
    /// The bucket of a string of hash `hash`: by the whole table's mask, but in the lower
    /// half for an upper bucket already moved there while the table halves.
    #[inline]
    fn bucket_of(&self, hash: u32) -> usize {
        let i = hash as usize & (self.buckets.len() - 1);
        let half = self.buckets.len() / 2;
        match self.halved_upto {
            Some(moved) if i >= half && i - half < moved => i - half,
            _ => i,
        }
    }

    fn find(&self, bytes: &[u8], hash: u32) -> Option<LuaStr> {
        let head = self.buckets[self.bucket_of(hash)];
        chain(head).find(|s| s.hash() == hash && s.as_bytes() == bytes)
    }

    fn insert(&mut self, s: LuaStr) {
        if self.count >= self.buckets.len() {
            self.grow();
        }
        let bucket = self.bucket_of(s.hash());
        push_front(&mut self.buckets[bucket], s);
        self.count += 1;
    }

    /// Doubles the table (a halving under way is finished first).
    #[cold]
    fn grow(&mut self) {
        self.halve_some(usize::MAX);
        self.rehash(self.buckets.len() * 2);
    }

    /// Moves up to `budget` buckets of the upper half onto the lower one while the table
    /// halves; true once it is halved (or was not halving).
    fn halve_some(&mut self, budget: usize) -> bool {
        let Some(moved) = self.halved_upto else {
            return true;
        };
        let half = self.buckets.len() / 2;
        let to = moved.saturating_add(budget).min(half);
        let (lower, upper) = self.buckets.split_at_mut(half);
        for (low, high) in lower[moved..to].iter_mut().zip(&mut upper[moved..to]) {
            // The link is read before the string is relinked into its new bucket.
            let mut next = high.take();
            while let Some(s) = next {
                next = s.next_in_bucket();
                push_front(low, s);
            }
        }
        if to < half {
            self.halved_upto = Some(to);
            return false;
        }
        self.buckets.truncate(half);
        self.buckets.shrink_to_fit();
        self.halved_upto = None;
        true
    }

    /// Relinks every string into `len` buckets (a power of two).
    fn rehash(&mut self, len: usize) {
        let mut buckets = vec![None; len];
        let mask = len - 1;
        for head in std::mem::take(&mut self.buckets) {
            // The link is read before the string is relinked into its new bucket.
            let mut next = head;
            while let Some(s) = next {
                next = s.next_in_bucket();
                push_front(&mut buckets[s.hash() as usize & mask], s);
            }
        }
        self.buckets = buckets;
        // Buckets pruned so far are mixed with the others now: prune them all again.
        if self.prune_next.is_some() {
            self.prune_next = Some(0);
        }
    }

    /// Drops the strings the collection found dead.
    pub fn prune<L: Liveness>(&mut self, liveness: &L) {
        self.prune_some(liveness, true, usize::MAX);
    }

    /// Drops the dead strings of about `budget` buckets, starting over when `restart`;
    /// true once every bucket is pruned (and a table left a quarter full halved, in
    /// steps of the same budget: relinking every string at once would be a pause as long
    /// as the table is big). Meanwhile `intern` revives the dead strings it finds.
    pub fn prune_some<L: Liveness>(&mut self, liveness: &L, restart: bool, budget: usize) -> bool {
        if self.halved_upto.is_some() {
            if !restart {
                return self.halve_some(budget);
            }
            self.halve_some(usize::MAX);
        }
        let from = if restart {
            0
        } else {
            self.prune_next.unwrap_or(0)
        };
        let to = from.saturating_add(budget).min(self.buckets.len());
        for bucket in &mut self.buckets[from..to] {
            // Relinks the live strings (in reverse order: a chain's order means nothing).
            let mut next = bucket.take();
            while let Some(s) = next {
                next = s.next_in_bucket();
                if liveness.is_live(s.0) {
                    push_front(bucket, s);
                } else {
                    self.count -= 1;
                }
            }
        }
        let done = to == self.buckets.len();
        self.prune_next = (!done).then_some(to);
        if !done {
            return false;
        }
        // As 5.1's `checkSizes`: a table left a quarter full is halved, at most once a
        // collection.
        if self.count < self.buckets.len() / 4 && self.buckets.len() > MIN_BUCKETS {
            self.halved_upto = Some(0);
            return self.halve_some(budget.saturating_sub(to - from));
        }
        true
    }

    /// Number of interned strings (what the tests of pruning count).
    #[cfg(test)]
    pub fn interned(&self) -> usize {
        self.count
    }

    /// Number of bucket heads, the table's whole size besides the strings' own links.
    #[cfg(test)]
    pub fn buckets(&self) -> usize {
        self.buckets.len()
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
        (obj.as_ptr() as *mut StrHead).write(StrHead {
            len,
            hash,
            next: None,
        });
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), obj.as_ptr().add(HEAD), bytes.len());
    }
    let s = LuaStr(obj);
    roots.strings.insert(s);
    Ok(s)
}
