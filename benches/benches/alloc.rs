//! Allocation of a 32-byte object (header plus two slots), through the `Collector` trait as
//! a VM calls it. `stw` reuses memory, so its figure is the bump fast path plus the
//! amortised slow path and collections of an empty heap; `epsilon` never reuses memory, so
//! it adds a fresh page fault every 4 KB.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gc_core::collectors::{Epsilon, Stw};
use gc_core::testing::{node_bytes, RootList, TestModel, NODE_KIND};
use gc_core::{Collector, HeapConfig};

const BATCH: u64 = 10_000;

fn allocate<C: Collector<TestModel>>(c: &mut Criterion) {
    let mut group = c.benchmark_group("alloc_32B");
    group.throughput(Throughput::Elements(BATCH));
    let mut gc = C::new(HeapConfig::default());
    let mut roots = RootList::default();
    group.bench_function(C::NAME, |b| {
        b.iter(|| {
            for _ in 0..BATCH {
                black_box(
                    gc.alloc_object(NODE_KIND, node_bytes(2), &mut roots)
                        .unwrap(),
                );
            }
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    allocate::<Stw<TestModel>>(c);
    allocate::<Epsilon<TestModel>>(c);
}

criterion_group!(alloc, benches);
criterion_main!(alloc);
