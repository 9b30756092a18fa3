//! Simulator benchmarks: simulated contacts per second with the full
//! router in the loop, for an M/M/c+M center (arrival rate 95% of the
//! agents' capacity, mean patience two handle times) of 100 and 10,000
//! agents, and for one day of the study's default center (every stage,
//! voice and chat, shifts, escalation, every report segment). Building the
//! router and logging its agents in is set-up, left out of the time.

use callroute::sim::{Dist, Scenario, Simulation};
use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;

pub(crate) fn define(c: &mut Criterion) {
    let mut g = c.benchmark_group("sim");
    g.sample_size(10);
    // (agents, horizon seconds): about 60,000 contacts per run.
    for (agents, horizon) in [(100u32, 36_000u64), (10_000, 360)] {
        let per_hour = f64::from(agents) * 0.95 * 60.0; // handle 60 s
        let s = Scenario::single_queue(
            agents,
            per_hour,
            Dist::exponential(60.0).unwrap(),
            Some(Dist::exponential(120.0).unwrap()),
            horizon,
        );
        day(&mut g, BenchmarkId::new("mmc_m", agents), &s);
    }
    let center: Scenario =
        toml::from_str(include_str!("../../examples/scenarios/default_center.toml")).unwrap();
    day(
        &mut g,
        BenchmarkId::from_parameter("default_center_day"),
        &center,
    );
    g.finish();
}

/// One run of `scenario`, in contacts per second; building the router and
/// its agents is set-up, not simulation.
fn day(g: &mut BenchmarkGroup<'_, WallTime>, id: BenchmarkId, scenario: &Scenario) {
    let contacts = Simulation::new(scenario, 1)
        .unwrap()
        .run()
        .unwrap()
        .overall
        .offered;
    g.throughput(Throughput::Elements(contacts));
    g.bench_function(id, |b| {
        b.iter_batched(
            || Simulation::new(black_box(scenario), 1).unwrap(),
            |sim| sim.run().unwrap(),
            BatchSize::LargeInput,
        )
    });
}
