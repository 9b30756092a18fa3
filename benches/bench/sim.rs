//! Simulator benchmarks: simulated contacts per second with the full
//! router in the loop, for an M/M/c+M center (arrival rate 95% of the
//! agents' capacity, mean patience two handle times) of 100 and 10,000
//! agents; for the same center with its agents in two groups and repeat
//! contacts, with the outcome rules by who answers and without (the
//! rules' cost); and for one
//! day of the study's default center (every stage, voice and chat, shifts,
//! escalation, every report segment). Building the router and logging its
//! agents in is set-up, left out of the time.

use callroute::sim::{Churn, Conversion, Deescalation, Dist, Scenario, ServedBy, Simulation};
use callroute::{Proficiency, Sentiment, SkillId};
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
        let (off, on) = with_outcomes(&s);
        day(&mut g, BenchmarkId::new("outcomes_off", agents), &off);
        day(&mut g, BenchmarkId::new("outcomes_on", agents), &on);
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

/// Center `s` with its agents split into experts and juniors (the
/// experts with a calming skill) and its callers' moods spread, one in ten
/// contacts left unresolved (their customers come back after two days on
/// average, mostly after the horizon): without outcome rules by who
/// answers, and with them (each group's handle factor, resolution and
/// sales; sales, churn after long waits or unresolved contacts, upset
/// callers left unresolved by the juniors). The groups answer about half
/// each, so both serve about the same work.
fn with_outcomes(s: &Scenario) -> (Scenario, Scenario) {
    let calm = SkillId::new(9);
    let mut off = s.clone();
    off.streams[0].sentiment = Sentiment::new(-0.1).unwrap();
    off.streams[0].sentiment_sd = 0.4;
    off.streams[0].unresolved_share = 0.1;
    off.streams[0].repeat_after = Some(Dist::exponential(2.0 * 86_400.0).unwrap());
    let mut juniors = off.groups[0].clone();
    juniors.name = "juniors".into();
    juniors.count = off.groups[0].count / 2;
    off.groups[0].name = "experts".into();
    off.groups[0].count -= juniors.count;
    off.groups[0].skills = vec![(calm, Proficiency::new(7).unwrap())];
    off.groups.push(juniors);
    let mut on = off.clone();
    let stream = &mut on.streams[0];
    stream.served_by = vec![
        ServedBy {
            handle_factor: 0.9,
            unresolved_share: Some(0.05),
            conversion_share: Some(0.5),
            ..ServedBy::new("experts")
        },
        ServedBy {
            handle_factor: 1.1,
            unresolved_share: Some(0.15),
            conversion_share: Some(0.3),
            ..ServedBy::new("juniors")
        },
    ];
    stream.conversion = Some(Conversion {
        share: 0.4,
        value: 100.0,
    });
    stream.churn = Some(Churn {
        unresolved: 0.5,
        long_wait_secs: 60.0,
        after_long_wait: 0.1,
        value: 500.0,
    });
    stream.deescalation = Some(Deescalation {
        skill: calm,
        unresolved_share: 0.3,
    });
    (off, on)
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
