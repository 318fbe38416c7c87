//! Interned byte strings: leaf blocks holding length, hash and bytes, and the VM-side
//! intern table that makes string equality a pointer comparison.
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
    len: usize,
    hash: u32,
    _pad: u32,
}

const HEAD: usize = std::mem::size_of::<StrHead>();

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
    fn head(self) -> *const StrHead {
        self.0.as_ptr() as *const StrHead
    }

    /// Length in bytes.
    #[inline(always)]
    pub fn len(self) -> usize {
        // SAFETY: a LuaStr points at a live, initialised string block (module invariant).
        unsafe { (*self.head()).len }
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

/// The intern table: chained buckets of strings, outside the heap and weak.
pub struct StringTable {
    buckets: Vec<Vec<LuaStr>>,
    count: usize,
    /// The next bucket to prune while a collector prunes in steps (`prune_some`).
    prune_next: Option<usize>,
}

impl Default for StringTable {
    fn default() -> Self {
        StringTable {
            buckets: vec![Vec::new(); 256],
            count: 0,
            prune_next: None,
        }
    }
}

impl StringTable {
    fn find(&self, bytes: &[u8], hash: u32) -> Option<LuaStr> {
        let bucket = &self.buckets[hash as usize & (self.buckets.len() - 1)];
        bucket
            .iter()
            .copied()
            .find(|s| s.hash() == hash && s.as_bytes() == bytes)
    }

    fn insert(&mut self, s: LuaStr) {
        if self.count >= self.buckets.len() {
            let mut buckets = vec![Vec::new(); self.buckets.len() * 2];
            let mask = buckets.len() - 1;
            for old in self.buckets.drain(..).flatten() {
                buckets[old.hash() as usize & mask].push(old);
            }
            self.buckets = buckets;
            // Buckets pruned so far are mixed with the others now: prune them all again.
            if self.prune_next.is_some() {
                self.prune_next = Some(0);
            }
        }
        let mask = self.buckets.len() - 1;
        self.buckets[s.hash() as usize & mask].push(s);
        self.count += 1;
    }

    /// Drops the strings the collection found dead.
    pub fn prune<L: Liveness>(&mut self, liveness: &L) {
        self.prune_some(liveness, true, usize::MAX);
    }

    /// Drops the dead strings of about `budget` buckets, starting over when `restart`;
    /// true once every bucket is pruned. Meanwhile `intern` revives the dead strings it
    /// finds.
    pub fn prune_some<L: Liveness>(&mut self, liveness: &L, restart: bool, budget: usize) -> bool {
        let from = if restart {
            0
        } else {
            self.prune_next.unwrap_or(0)
        };
        let to = from.saturating_add(budget).min(self.buckets.len());
        for bucket in &mut self.buckets[from..to] {
            let before = bucket.len();
            bucket.retain(|s| liveness.is_live(s.0));
            self.count -= before - bucket.len();
        }
        let done = to == self.buckets.len();
        self.prune_next = (!done).then_some(to);
        done
    }

    /// Number of interned strings (what the tests of pruning count).
    #[cfg(test)]
    pub fn interned(&self) -> usize {
        self.count
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
    let obj = heap.alloc_string(HEAD + bytes.len(), roots)?;
    // SAFETY: the new block has HEAD + len bytes; it is written before any other
    // allocation, and `bytes` (rooted by the caller) cannot overlap a fresh block.
    unsafe {
        (obj.as_ptr() as *mut StrHead).write(StrHead {
            len: bytes.len(),
            hash,
            _pad: 0,
        });
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), obj.as_ptr().add(HEAD), bytes.len());
    }
    let s = LuaStr(obj);
    roots.strings.insert(s);
    Ok(s)
}
