//! What a program allocated, by kind: every allocation of the VM goes through
//! [`Heap`](crate::heap::Heap), which counts it here (objects by their kind byte, strings,
//! the other leaf blocks: array and hash parts, stacks, code), with the bytes asked for
//! (before rounding to the heap's cells). `luagc --stats-json` writes them under
//! `allocation`, for the workloads' characterization (mean object size, the share of
//! bytes in large objects, young survival).

use gc_core::heap::large_object_space::LARGE_THRESHOLD;
use gc_core::Stats;
use serde::Serialize;

use crate::object::{
    KIND_LUA_CLOSURE, KIND_NATIVE_CLOSURE, KIND_PROTO, KIND_TABLE, KIND_THREAD, KIND_UPVALUE,
    KIND_USERDATA,
};

/// A number of allocations and their bytes.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Allocations.
    pub count: u64,
    /// Bytes asked for.
    pub bytes: u64,
}

impl Tally {
    #[inline(always)]
    fn add(&mut self, bytes: usize) {
        self.count += 1;
        self.bytes += bytes as u64;
    }
}

/// The kinds of objects the VM allocates, by kind byte (the index; 0 is unused).
const OBJECT_KINDS: usize = KIND_THREAD as usize + 1;

/// Allocation counts by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllocCounts {
    objects: [Tally; OBJECT_KINDS],
    strings: Tally,
    leaves: Tally,
    large: Tally,
}

impl AllocCounts {
    /// Counts an object of kind `kind` and `bytes`.
    #[inline(always)]
    pub fn object(&mut self, kind: u8, bytes: usize) {
        if let Some(t) = self.objects.get_mut(usize::from(kind)) {
            t.add(bytes);
        }
        self.large_if(bytes);
    }

    /// Counts a string of `bytes` (header included).
    #[inline(always)]
    pub fn string(&mut self, bytes: usize) {
        self.strings.add(bytes);
        self.large_if(bytes);
    }

    /// Counts another leaf block of `bytes`.
    #[inline(always)]
    pub fn leaf(&mut self, bytes: usize) {
        self.leaves.add(bytes);
        self.large_if(bytes);
    }

    #[inline(always)]
    fn large_if(&mut self, bytes: usize) {
        if bytes > LARGE_THRESHOLD {
            self.large.add(bytes);
        }
    }

    /// Everything counted.
    pub fn total(&self) -> Tally {
        let all = self.objects.iter().chain([&self.strings, &self.leaves]);
        Tally {
            count: all.clone().map(|t| t.count).sum(),
            bytes: all.map(|t| t.bytes).sum(),
        }
    }
}

/// `allocation` in `luagc --stats-json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllocationJson {
    tables: Tally,
    lua_closures: Tally,
    native_closures: Tally,
    upvalues: Tally,
    protos: Tally,
    userdata: Tally,
    threads: Tally,
    strings: Tally,
    /// Leaf blocks other than strings: array and hash parts, stacks, code.
    leaf_blocks: Tally,
    /// All of the above.
    total: Tally,
    /// Allocations above `large_threshold_bytes` (the large-object space's), of any kind.
    large: Tally,
    large_threshold_bytes: usize,
    /// See `gc_core::stats::YoungSurvival`: bytes allocated young and examined by a minor
    /// cycle, and those of them it found reachable (0 without minor cycles).
    young_allocated_bytes: u64,
    young_surviving_bytes: u64,
}

impl AllocationJson {
    /// The record of `counts`, with the young survival of `stats`.
    pub fn of(counts: &AllocCounts, stats: &Stats) -> Self {
        let kind = |k: u8| counts.objects[usize::from(k)];
        AllocationJson {
            tables: kind(KIND_TABLE),
            lua_closures: kind(KIND_LUA_CLOSURE),
            native_closures: kind(KIND_NATIVE_CLOSURE),
            upvalues: kind(KIND_UPVALUE),
            protos: kind(KIND_PROTO),
            userdata: kind(KIND_USERDATA),
            threads: kind(KIND_THREAD),
            strings: counts.strings,
            leaf_blocks: counts.leaves,
            total: counts.total(),
            large: counts.large,
            large_threshold_bytes: LARGE_THRESHOLD,
            young_allocated_bytes: stats.young.allocated_bytes,
            young_surviving_bytes: stats.young.surviving_bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_kind_with_the_large_ones_apart() {
        let mut c = AllocCounts::default();
        c.object(KIND_TABLE, 64);
        c.object(KIND_TABLE, 32);
        c.object(KIND_THREAD, 200);
        c.string(40);
        c.leaf(LARGE_THRESHOLD + 1);
        let json = AllocationJson::of(&c, &Stats::default());
        assert_eq!(
            json.tables,
            Tally {
                count: 2,
                bytes: 96
            }
        );
        assert_eq!(
            json.threads,
            Tally {
                count: 1,
                bytes: 200
            }
        );
        assert_eq!(
            json.strings,
            Tally {
                count: 1,
                bytes: 40
            }
        );
        assert_eq!(json.leaf_blocks.count, 1);
        assert_eq!(
            json.total,
            Tally {
                count: 5,
                bytes: 336 + LARGE_THRESHOLD as u64 + 1
            }
        );
        assert_eq!(json.large.count, 1);
        assert_eq!(json.lua_closures, Tally::default());
    }
}
