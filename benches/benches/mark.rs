//! Marking a binary-tree-shaped heap (2^21 - 1 nodes of 32 bytes, 64 MB), one thread.
//! Only marking is timed; an untimed sweep between iterations turns the tree white again.

use std::time::{Duration, Instant};

use benches::binary_tree;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gc_core::heap::Heap;
use gc_core::mark::mark_heap;
use gc_core::testing::{RootList, TestModel};
use gc_core::FinalizerQueue;

const DEPTH: u32 = 20;

fn mark_binary_tree(c: &mut Criterion) {
    let mut heap = Heap::new(None);
    let mut roots = RootList(vec![binary_tree(&mut heap, DEPTH)]);
    let nodes = (1u64 << (DEPTH + 1)) - 1;
    let mut gray_stack = Vec::new();
    let mut group = c.benchmark_group("mark");
    group.throughput(Throughput::Elements(nodes));
    group.sample_size(20);
    group.bench_function("binary_tree_depth20", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                heap.prepare_for_collection();
                let start = Instant::now();
                let outcome = mark_heap::<TestModel, _>(
                    &heap,
                    &mut roots,
                    &mut gray_stack,
                    &mut FinalizerQueue::default(),
                );
                total += start.elapsed();
                assert_eq!(outcome.live_objects, nodes);
                heap.sweep_major();
            }
            total
        })
    });
    group.finish();
}

criterion_group!(mark, mark_binary_tree);
criterion_main!(mark);
