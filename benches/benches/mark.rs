//! Marking binary-tree-shaped heaps of 32-byte nodes. Only marking is timed; an untimed
//! sweep between iterations turns the tree white again.
//! - `mark/binary_tree_depth20`: 2^21 - 1 nodes (64 MB), the sequential marker.
//! - `mark_1GiB/...`: 2^25 - 1 nodes (1 GB): the sequential marker, and the parallel
//!   (work-stealing, `fetch_or`) marker with 1 and 2 threads, side by side.

use std::time::{Duration, Instant};

use benches::binary_tree;
use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use gc_core::heap::Heap;
use gc_core::mark::Marker;
use gc_core::parallel::WorkerThreads;
use gc_core::testing::{RootList, TestModel};
use gc_core::{HeapConfig, ObjectRef, Roots};

/// Times `drain` over the tree rooted at `roots`, `iters` times.
fn time_marking(
    heap: &mut Heap,
    roots: &mut RootList,
    nodes: u64,
    iters: u64,
    drain: impl Fn(&mut Marker),
) -> Duration {
    let mut gray_stack: Vec<ObjectRef> = Vec::new();
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        heap.prepare_for_collection();
        let start = Instant::now();
        // SAFETY: the marker is given the tree's root and what the nodes reference,
        // all live nodes of `heap`.
        let mut marker = unsafe { Marker::new(heap.large_objects(), &mut gray_stack) };
        roots.trace_roots(&mut marker);
        drain(&mut marker);
        total += start.elapsed();
        assert_eq!(marker.outcome().live_objects, nodes);
        heap.sweep_major();
    }
    total
}

fn tree(depth: u32) -> (Heap, RootList, u64) {
    let mut heap = Heap::new(&HeapConfig {
        gc_threads: 1,
        ..HeapConfig::default()
    });
    let root = binary_tree(&mut heap, depth);
    // SAFETY: the tree's root, just built in `heap`, which does not collect by itself.
    let roots = unsafe { RootList::from_vec(vec![root]) };
    (heap, roots, (1u64 << (depth + 1)) - 1)
}

fn bench_variants(
    group: &mut BenchmarkGroup<'_, WallTime>,
    heap: &mut Heap,
    roots: &mut RootList,
    nodes: u64,
    parallel: &[usize],
) {
    group.bench_function("sequential", |b| {
        b.iter_custom(|iters| time_marking(heap, roots, nodes, iters, |m| m.drain::<TestModel>()))
    });
    for &threads in parallel {
        let workers = WorkerThreads::new(threads);
        group.bench_function(format!("parallel_{threads}"), |b| {
            b.iter_custom(|iters| {
                time_marking(heap, roots, nodes, iters, |m| {
                    m.drain_parallel::<TestModel>(&workers)
                })
            })
        });
    }
}

fn mark_binary_trees(c: &mut Criterion) {
    let (mut heap, mut roots, nodes) = tree(20);
    let mut group = c.benchmark_group("mark/binary_tree_depth20");
    group.throughput(Throughput::Elements(nodes));
    group.sample_size(20);
    bench_variants(&mut group, &mut heap, &mut roots, nodes, &[]);
    group.finish();
    drop(heap);

    let (mut heap, mut roots, nodes) = tree(24);
    let mut group = c.benchmark_group("mark_1GiB");
    group.throughput(Throughput::Elements(nodes));
    group.sample_size(10);
    bench_variants(&mut group, &mut heap, &mut roots, nodes, &[1, 2]);
    group.finish();
}

criterion_group!(mark, mark_binary_trees);
criterion_main!(mark);
