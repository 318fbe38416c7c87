//! What every space (MMTk's policy) offers the plans over it, whatever its shape: whether
//! a block is one of its own, a check of its invariants, and what it reports.
//!
//! Allocation, marking and sweeping are each space's own, and not part of the trait:
//! their shapes differ with the space (a bump region and bins of cells, a mapping per
//! block, a `malloc` per block; mark bits in a bitmap, in a table, or the plan's bits in
//! a prefix; a bitmap sweep, a table filter, a list walk the plan decides on), and no
//! caller is generic over them. What a caller does through the trait is aggregate and
//! check spaces alike: the arena heap over its three (`Heap::spaces`), a plan over its
//! one.

use crate::object_model::ObjectRef;
use crate::verify::VerifyError;

/// What a space reports about its memory.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct SpaceStats {
    /// Bytes allocated in the space over its life (what allocation rates are made of).
    pub allocated_bytes: u64,
    /// Bytes of memory the space holds for blocks now: arenas in use, huge mappings, or
    /// `malloc`'d blocks with their prefixes.
    pub held_bytes: u64,
    /// The pieces that memory comes in: arenas, huge mappings, or `malloc`'d blocks.
    pub pieces: usize,
}

/// A space: memory of one shape, which hands out blocks and takes back the dead ones.
pub trait Space {
    /// Whether `obj` is a block this space handed out and has not freed. A search for
    /// verifiers and tests, not for hot paths; it reads no memory `obj` points to.
    fn contains(&self, obj: ObjectRef) -> bool;

    /// Checks the space's own invariants (its encoding, its free-space bookkeeping, its
    /// counts) with the mutator stopped; the error says which one broke, and where.
    fn verify(&self) -> Result<(), VerifyError>;

    /// What the space holds and has allocated.
    fn stats(&self) -> SpaceStats;
}
