//! The major sweep over 1 GB of arenas (256-byte leaf blocks, every other one live), with
//! 1 and 2 threads side by side. Only the sweep is timed; untimed marking between
//! iterations blackens the survivors again. Throughput is heap bytes swept: the sweep
//! itself reads 1/64 of them.

use std::time::{Duration, Instant};

use benches::alloc_leaf;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gc_core::heap::arena::{ARENA_SIZE, CELL_SIZE, DATA_CELLS};
use gc_core::heap::Heap;
use gc_core::mark::mark_heap;
use gc_core::testing::{RootList, TestModel};
use gc_core::{FinalizerQueue, HeapConfig};

const HEAP_BYTES: usize = 1 << 30;
const BLOCK: usize = 256;

fn sweep_arenas(c: &mut Criterion) {
    let mut heap = Heap::new(&HeapConfig {
        parallel_min_bytes: 0,
        ..HeapConfig::default()
    });
    let mut roots = RootList::default();
    let blocks = HEAP_BYTES / ARENA_SIZE * (DATA_CELLS * CELL_SIZE / BLOCK);
    for i in 0..blocks {
        let block = alloc_leaf(&mut heap, BLOCK);
        if i % 2 == 1 {
            // SAFETY: allocated by this collector, with no allocation since.
            unsafe { roots.push(block) };
        }
    }
    let mut gray_stack = Vec::new();
    let heap_bytes = (heap.arenas_in_use() * ARENA_SIZE) as u64;
    let mut group = c.benchmark_group("sweep");
    group.throughput(Throughput::Bytes(heap_bytes));
    group.sample_size(10);
    for threads in [1, 2] {
        heap.set_threads(threads);
        group.bench_function(format!("major_1GiB/threads_{threads}"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    heap.prepare_for_collection();
                    // SAFETY: no finalizers.
                    unsafe {
                        mark_heap::<TestModel, _>(
                            &heap,
                            &mut roots,
                            &mut gray_stack,
                            &mut FinalizerQueue::default(),
                        )
                    };
                    let start = Instant::now();
                    let (arenas_released, _) = heap.sweep_major();
                    total += start.elapsed();
                    assert_eq!(arenas_released, 0);
                }
                total
            })
        });
    }
    group.finish();
}

criterion_group!(sweep, sweep_arenas);
criterion_main!(sweep);
