//! The machine's memory latency: one dependent load after another over a
//! random cycle through a buffer of each size, a cache line per step.
//!
//! The router's figures at large sizes are bound by how far its working
//! set reaches: this says what one trip costs at each reach on the machine
//! the benchmarks run on, so figures from different machines can be read.

use criterion::{BenchmarkId, Criterion, Throughput};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use std::hint::black_box;

/// Words per cache line: each step reads a different line.
const LINE: usize = 8;

/// A buffer of `bytes` where word `i * LINE` holds the next line's word
/// index, following one random cycle through every line (Sattolo's
/// shuffle gives a single cycle).
fn cycle(bytes: usize) -> Vec<u64> {
    let lines = (bytes / 64).max(2);
    let mut order: Vec<usize> = (0..lines).collect();
    let mut rng = Pcg64Mcg::seed_from_u64(3);
    for i in (1..lines).rev() {
        let j = rng.random_range(0..i);
        order.swap(i, j);
    }
    let mut words = vec![0u64; lines * LINE];
    for (i, &next) in order.iter().enumerate() {
        words[i * LINE] = (next * LINE) as u64;
    }
    words
}

pub(crate) fn define(c: &mut Criterion) {
    let mut g = c.benchmark_group("machine/dependent_load");
    g.throughput(Throughput::Elements(1));
    for mib in [1usize, 4, 16, 64] {
        let words = cycle(mib << 20);
        g.bench_function(BenchmarkId::from_parameter(format!("{mib}MiB")), |b| {
            let mut at = 0usize;
            b.iter(|| {
                at = words[at] as usize;
                black_box(at)
            })
        });
    }
    g.finish();
}
