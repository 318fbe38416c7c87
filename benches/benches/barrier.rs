//! The write barrier's fast path as a VM takes it, under every collector of the registry:
//! described stores (`write_barrier_store`) of a child into a node that a full
//! collection left in the collector's usual between-cycles color (newgc: gray bit clear,
//! so the first store takes the slow path and the rest the fast one; lua51: white).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gc_core::collectors::{visit_all, CollectorVisitor};
use gc_core::testing::{node_bytes, Node, RootList, TestModel, NODE_KIND};
use gc_core::{Collector, HeapConfig};

const STORES: u64 = 10_000;

struct Barrier<'c>(&'c mut Criterion);

impl CollectorVisitor<TestModel> for Barrier<'_> {
    fn visit<C: Collector<TestModel>>(&mut self) {
        let mut group = self.0.benchmark_group("barrier_store");
        group.throughput(Throughput::Elements(STORES));
        let mut gc = C::new(HeapConfig::default());
        let mut roots = RootList::default();
        let parent = gc
            .alloc_object(NODE_KIND, node_bytes(1), &mut roots)
            .unwrap();
        // SAFETY: a fresh node of one slot.
        let parent = unsafe { Node::init(parent, 1, 1) };
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { roots.push(parent.obj()) };
        let child = gc
            .alloc_object(NODE_KIND, node_bytes(0), &mut roots)
            .unwrap();
        // SAFETY: a fresh node without slots.
        let child = unsafe { Node::init(child, 2, 0) };
        // SAFETY: allocated by this collector, with no allocation since.
        unsafe { roots.push(child.obj()) };
        gc.collect(&mut roots);
        group.bench_function(C::NAME, |b| {
            b.iter(|| {
                for _ in 0..STORES {
                    // SAFETY: live nodes of this collector (rooted, or allocated since the last allocation).
                    unsafe {
                        gc.write_barrier_store(black_box(parent.obj()), black_box(child.obj()))
                    };
                    // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
                    unsafe { parent.set_slot(0, Some(child.obj())) };
                }
            })
        });
        group.finish();
    }
}

fn benches(c: &mut Criterion) {
    visit_all(&mut Barrier(c));
}

criterion_group!(barrier, benches);
criterion_main!(barrier);
