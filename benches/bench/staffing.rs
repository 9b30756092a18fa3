//! Staffing benchmarks: an Erlang C and an Erlang A service level, and the
//! fewest agents for 80% within 20 s by each, near 50, 1,000 and 10,000
//! agents (Erlang A with a mean patience of 120 s).

use callroute::staffing::{
    ErlangA, ErlangC, Load, ServiceLevelDefinition, Targets, fewest_agents,
    fewest_agents_with_abandonment,
};
use criterion::{BenchmarkId, Criterion};
use std::hint::black_box;

pub(crate) fn define(c: &mut Criterion) {
    let mut g = c.benchmark_group("staffing");
    let target = Targets::new().service_level(0.8, 20.0).unwrap();
    for (agents, erlangs) in [(50u32, 45.0), (1_000, 970.0), (10_000, 9_900.0)] {
        let load = Load::new(erlangs).unwrap();
        g.bench_function(BenchmarkId::new("service_level", agents), |b| {
            b.iter(|| {
                let q = ErlangC::new(black_box(agents), black_box(load), 180.0).unwrap();
                q.service_level(20.0).unwrap()
            })
        });
        g.bench_function(BenchmarkId::new("fewest_agents", agents), |b| {
            b.iter(|| fewest_agents(black_box(load), 180.0, &target).unwrap())
        });
        g.bench_function(BenchmarkId::new("erlang_a_service_level", agents), |b| {
            b.iter(|| {
                let q = ErlangA::new(black_box(agents), black_box(load), 180.0, 120.0).unwrap();
                q.service_level(20.0, ServiceLevelDefinition::OfOffered)
                    .unwrap()
            })
        });
        g.bench_function(BenchmarkId::new("erlang_a_fewest_agents", agents), |b| {
            b.iter(|| {
                fewest_agents_with_abandonment(black_box(load), 180.0, 120.0, &target).unwrap()
            })
        });
    }
    g.finish();
}
