//! The VM's weak references (its string intern table, say) are pruned between marking and
//! sweeping: references to dead objects are dropped, live ones kept.

use gc_core::collectors::Stw;
use gc_core::testing::{RootList, TestModel};
use gc_core::{Collector, HeapConfig, Liveness, ObjectRef, Roots, Tracer};

#[derive(Default)]
struct WeakTable {
    strong: RootList,
    weak: Vec<ObjectRef>,
    pruned: usize,
}

// SAFETY: reports the strong list; weak entries are dropped when dead, before the sweep.
unsafe impl Roots for WeakTable {
    fn trace_roots<T: Tracer>(&mut self, tracer: &mut T) {
        self.strong.trace_roots(tracer);
    }

    fn running_stacks(&self) -> &[ObjectRef] {
        &[]
    }

    fn prune_weak_references<L: Liveness>(&mut self, liveness: &L) {
        let before = self.weak.len();
        self.weak.retain(|&obj| liveness.is_live(obj));
        self.pruned += before - self.weak.len();
    }
}

#[test]
fn dead_weak_references_are_pruned_before_the_sweep() {
    let mut gc = Stw::<TestModel>::new(HeapConfig {
        min_trigger_bytes: 4 << 20,
        ..HeapConfig::default()
    });
    let mut table = WeakTable::default();
    let small: Vec<ObjectRef> = (0..10)
        .map(|_| gc.alloc_leaf(40, &mut table).unwrap())
        .collect();
    let huge = gc.alloc_leaf(1 << 20, &mut table).unwrap();
    let huge_dead = gc.alloc_leaf(1 << 20, &mut table).unwrap();
    table.weak = small.iter().copied().chain([huge, huge_dead]).collect();
    let strong = small.iter().copied().step_by(2).chain([huge]).collect();
    // SAFETY: blocks of this collector, none freed yet: the heap (2 MB) has not reached
    // its first collection trigger.
    table.strong = unsafe { RootList::from_vec(strong) };

    gc.collect(&mut table);
    let mut expected: Vec<ObjectRef> = table.strong.to_vec();
    expected.sort();
    table.weak.sort();
    assert_eq!(
        table.weak, expected,
        "exactly the strongly reachable entries remain"
    );
    assert_eq!(table.pruned, 6);
    assert!(table.weak.iter().all(|&obj| gc.contains(obj)));
    assert!(!gc.contains(small[1]) && !gc.contains(huge_dead));
}
