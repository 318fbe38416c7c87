//! Allocation through the `Collector` trait as a VM calls it.
//! - A 32-byte object (header plus two slots), under every collector of the registry:
//!   `newgc` and `stw` reuse memory, so their figure is the bump fast path plus the
//!   amortised slow path and collections of an empty heap; `lua51` is a `malloc` and a
//!   list link, plus its steps, and with nothing live its threshold (twice the live
//!   estimate, 5.1's pacing) stays near zero, so it steps at almost every allocation and
//!   frees each block with `free`; `epsilon` never reuses memory, so it adds a fresh page
//!   fault every 4 KB.
//! - A 40 KB leaf block (a Lua array part of 2,500 slots): huge with 64 KB arenas (its own
//!   mapping), an arena block with 256 KB or 1 MB arenas; it is zero-filled as a VM would. This is what the arena size
//!   trades against small-heap footprint (see `benches/scripts/arena_sizes.sh`).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gc_core::collectors::{visit_all, CollectorVisitor, Stw};
use gc_core::testing::{node_bytes, RootList, TestModel, NODE_KIND};
use gc_core::{Collector, HeapConfig};

const BATCH: u64 = 10_000;

/// Runs [`allocate`] for each collector it visits.
struct Allocate<'c>(&'c mut Criterion);

impl CollectorVisitor<TestModel> for Allocate<'_> {
    fn visit<C: Collector<TestModel>>(&mut self) {
        allocate::<C>(self.0);
    }
}

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

fn allocate_40k_leaves(c: &mut Criterion) {
    let mut group = c.benchmark_group("alloc_40KiB_leaf");
    group.throughput(Throughput::Elements(1));
    let mut gc = Stw::<TestModel>::new(HeapConfig::default());
    let mut roots = RootList::default();
    group.bench_function("stw", |b| {
        b.iter(|| {
            let block = gc.alloc_leaf(40 << 10, &mut roots).unwrap();
            // SAFETY: a fresh 40 KB block; a VM fills an array part on creation too.
            unsafe { std::ptr::write_bytes(block.as_ptr(), 0, 40 << 10) };
            black_box(block)
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    visit_all(&mut Allocate(c));
    allocate_40k_leaves(c);
}

criterion_group!(alloc, benches);
criterion_main!(alloc);
