//! The stress mode's checks, in whatever phase the collector is:
//! - the space's own (`Space::verify`: its list and its counts agree);
//! - the list: every block's bits are a color (one white, black, or gray), no block is of
//!   the other white before the flip;
//! - owned blocks: each object on the list owns blocks marked owned, no block is owned
//!   twice, and the owned blocks found so are all the space counts (none leaked);
//! - reachability: everything reachable from the roots and the finalization queue is a
//!   block on the list and not of the white the running sweep frees;
//! - while propagating, the tri-color invariant: no black object refers to a white block.

use std::collections::HashSet;

use super::cycle::Phase;
use super::marker::{BLACK, WHITES};
use super::Lua51;
use crate::heap::malloc_space::{MallocSpace, OWNED, TRAVERSABLE};
use crate::heap::space::Space;
use crate::object_model::{ObjectModel, ObjectRef, Roots};
use crate::verify::{fail, CollectRefs, VerifyError};

impl<M: ObjectModel> Lua51<M> {
    /// Verifies the heap and the collector's invariants.
    pub(super) fn verify_all<R: Roots>(&self, roots: &mut R) -> Result<(), VerifyError> {
        let sweeping = matches!(self.phase, Phase::SweepString | Phase::Sweep);
        let dead_white = self.marking.other_white();
        self.space.verify()?;
        let mut blocks = HashSet::new();
        let mut owners = Vec::new();
        let mut bad = None;
        self.space.for_each(|obj, bits| {
            if bits & TRAVERSABLE != 0 {
                owners.push(obj);
            }
            let color = bits & !TRAVERSABLE;
            let valid = matches!(color, 0 | BLACK) || color == self.marking.current_white;
            let dead_ok = sweeping && color == dead_white;
            if bad.is_none() && !valid && !dead_ok {
                bad = Some((obj, bits));
            }
            blocks.insert(obj);
        });
        if let Some((obj, bits)) = bad {
            fail!(
                "block {:#x} has bits {bits:#x} in {:?}",
                obj.addr(),
                self.phase
            );
        }

        self.verify_owned(&owners, &mut blocks)?;

        let mut pending = self.finalizers.pending().to_vec();
        roots.trace_roots(&mut CollectRefs(&mut pending));
        let mut visited = HashSet::new();
        while let Some(obj) = pending.pop() {
            if !visited.insert(obj) {
                continue;
            }
            if !blocks.contains(&obj) {
                fail!("reachable {:#x} is not a block of this heap", obj.addr());
            }
            // SAFETY: a block on the list is live.
            let bits = unsafe { MallocSpace::bits(obj) };
            if sweeping && bits & dead_white != 0 {
                fail!("reachable {:#x} is dead in {:?}", obj.addr(), self.phase);
            }
            if bits & TRAVERSABLE == 0 {
                continue;
            }
            let mut children = Vec::new();
            // SAFETY: a reachable traversable object, initialised by the VM.
            unsafe { M::trace(obj, &mut CollectRefs(&mut children)) };
            if self.phase == Phase::Propagate && bits & BLACK != 0 {
                for &child in &children {
                    // SAFETY: references of a live object are blocks of this heap, on
                    // the list (checked when they are visited, before any read here
                    // could matter: the list check above covers every block).
                    if blocks.contains(&child) && unsafe { MallocSpace::bits(child) } & WHITES != 0
                    {
                        fail!(
                            "black {:#x} refers to white {:#x}",
                            obj.addr(),
                            child.addr()
                        );
                    }
                }
            }
            pending.extend(children);
        }
        Ok(())
    }

    /// Checks the blocks `owners` (every object on the list) own, and adds them to
    /// `blocks`.
    fn verify_owned(
        &self,
        owners: &[ObjectRef],
        blocks: &mut HashSet<ObjectRef>,
    ) -> Result<(), VerifyError> {
        let (mut count, mut bytes) = (0, 0);
        let mut bad = None;
        for &owner in owners {
            // SAFETY: objects on the list are initialised and not freed.
            unsafe {
                M::owned_leaves(owner, &mut |leaf| {
                    if bad.is_none() && (MallocSpace::bits(leaf) != OWNED || !blocks.insert(leaf)) {
                        bad = Some((owner, leaf));
                    }
                    count += 1;
                    bytes += MallocSpace::block_bytes(leaf);
                })
            };
        }
        if let Some((owner, leaf)) = bad {
            fail!(
                "{:#x} owns {:#x}, which is not an owned block or has another owner",
                owner.addr(),
                leaf.addr()
            );
        }
        if (count, bytes) != self.space.owned() {
            fail!(
                "objects own {count} blocks of {bytes} bytes, the space counts {:?}",
                self.space.owned()
            );
        }
        Ok(())
    }
}
