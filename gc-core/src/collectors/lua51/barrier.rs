//! Lua 5.1's write barriers, which keep the tri-color invariant of `marker` (no black
//! object refers to a white one) while marking runs:
//! - forward (`luaC_barrierf`), for most objects: storing a white object into a black one
//!   marks the white one while propagating; during the sweep, when the invariant no
//!   longer matters, the black object turns white instead, so it takes no more barriers;
//! - backward (`luaC_barrierback`), for objects written often, many slots at a time
//!   (Lua tables, `ObjectModel::is_written_often`), and for stores the VM does not
//!   describe: the black object turns gray again and goes to the gray-again list, traced
//!   once more in the atomic phase instead of marking at every store.
//!
//! Fast path: the object written to is not black (and, with the stored value known, the
//! value is not white). Between cycles nothing is black.

use super::cycle::Phase;
use super::marker::GRAY;
use super::Lua51;
use crate::heap::malloc_space::MallocSpace;
use crate::object_model::{ObjectModel, ObjectRef, Tracer};

impl<M: ObjectModel> Lua51<M> {
    /// The backward barrier: `obj` (black) becomes gray and will be traced again.
    #[cold]
    #[inline(never)]
    pub(super) fn barrier_back(&mut self, obj: ObjectRef) {
        // SAFETY: the VM calls the barrier on live traversable objects of this heap.
        unsafe { MallocSpace::set_bits(obj, GRAY) };
        self.marking.gray_again.push(obj);
    }

    /// The slow path of a described store of the white `stored` into the black `obj`.
    #[cold]
    #[inline(never)]
    pub(super) fn barrier_store_slow(&mut self, obj: ObjectRef, stored: ObjectRef) {
        // SAFETY: as for `barrier_back`.
        if unsafe { M::is_written_often(obj) } {
            self.barrier_back(obj);
        } else if self.phase == Phase::Propagate {
            self.marking.mark(stored);
        } else {
            // SAFETY: as for `barrier_back`.
            unsafe { MallocSpace::set_bits(obj, self.marking.current_white) };
        }
    }
}
