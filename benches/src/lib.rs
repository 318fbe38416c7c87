//! Benchmarks of gc-core. The criterion micro-benchmarks live in `benches/`; shared heap
//! builders live here so every benchmark measures the same shapes.
