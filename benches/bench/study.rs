//! The whole staffing study, as `callroute study` runs it (every section
//! and search, 20 replications, seed 2026) without printing or charts: of
//! the default center (a few seconds) and of the large bank
//! (`examples/scenarios/large_bank.toml`: 2,000 agents in 16 groups,
//! 68,000 calls a day; about a minute on two cores, so ten samples take
//! over ten minutes: run it alone, `cargo bench -- study/large_bank`).

#[path = "../../src/bin/callroute/study.rs"]
#[allow(dead_code)]
pub(crate) mod program;

use criterion::Criterion;
use std::hint::black_box;

/// A progress display that shows nothing.
struct Quiet;

impl program::Progress for Quiet {
    fn phase(&self, _: &str, _: u64) {}
    fn tick(&self) {}
}

pub(crate) fn define(c: &mut Criterion) {
    let mut g = c.benchmark_group("study");
    g.sample_size(10);
    for (name, text) in [
        ("default_center", program::DEFAULT_SCENARIO),
        (
            "large_bank",
            include_str!("../../examples/scenarios/large_bank.toml"),
        ),
    ] {
        let scenario = program::parse_scenario(text, false).unwrap();
        g.bench_function(name, |b| {
            b.iter(|| program::run(black_box(&scenario), 2026, 20, &program::Here, &Quiet).unwrap())
        });
    }
    g.finish();
}
