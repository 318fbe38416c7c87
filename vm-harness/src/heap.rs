//! The VM's allocation front: the collector, plus the GC-stress mode that collects and
//! verifies the heap every N allocations to flush out rooting bugs.
//!
//! Invariant: every allocation of the VM goes through [`Heap`], so the stress mode sees
//! them all, and every call passes the complete roots (`VmRoots`, or the boot roots before it exists).

use gc_core::{Collector, ObjectRef, OutOfMemory, Roots};

use crate::model::LuaModel;

/// The collector and the allocation counters of the stress mode.
pub struct Heap<C> {
    /// The collector, public so the VM can read statistics and set limits.
    pub gc: C,
    stress_every: u32,
    countdown: u32,
}

impl<C: Collector<LuaModel>> Heap<C> {
    /// Wraps a collector. `stress_every` = N > 0 runs a full collection and a heap
    /// verification before every N-th allocation.
    pub fn new(gc: C, stress_every: u32) -> Self {
        Heap {
            gc,
            stress_every,
            countdown: stress_every,
        }
    }

    /// Allocates a traversable object of kind `kind`; the caller initialises it before
    /// the next allocation.
    #[inline(always)]
    pub fn alloc_object<R: Roots>(
        &mut self,
        kind: u8,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        if self.stress_every != 0 {
            self.stress(roots);
        }
        self.gc.alloc_object(kind, bytes, roots)
    }

    /// Allocates a leaf block (no header, never traced by itself).
    #[inline(always)]
    pub fn alloc_leaf<R: Roots>(
        &mut self,
        bytes: usize,
        roots: &mut R,
    ) -> Result<ObjectRef, OutOfMemory> {
        if self.stress_every != 0 {
            self.stress(roots);
        }
        self.gc.alloc_leaf(bytes, roots)
    }

    /// The write barrier: call before storing a reference into the object `obj`.
    #[inline(always)]
    pub fn barrier(&mut self, obj: ObjectRef) {
        self.gc.write_barrier(obj);
    }

    #[cold]
    #[inline(never)]
    fn stress<R: Roots>(&mut self, roots: &mut R) {
        self.countdown -= 1;
        if self.countdown == 0 {
            self.countdown = self.stress_every;
            self.gc.collect(roots);
            if let Err(err) = self.gc.verify(roots) {
                eprintln!("luagc: GC stress: {err}");
                std::process::abort();
            }
        }
    }
}
