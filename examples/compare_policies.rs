//! Two router configurations on one scenario, with common random numbers:
//! plain FIFO against the lifecycle and sentiment priority on the default
//! center, customer for customer.
//!
//! Run it with `cargo run --release --example compare_policies`. Both
//! policies meet the same callers (the `r`-th replication of each is seeded
//! `replication_seed(seed, r)`, and the streams are the same), so each difference comes with a paired 95% interval far
//! narrower than the two figures' own intervals side by side.

use callroute::PriorityWeights;
use callroute::sim::{Scenario, compare, replicate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let priority: Scenario = toml::from_str(include_str!("scenarios/default_center.toml"))?;
    let mut fifo = priority.clone();
    fifo.router.weights = PriorityWeights::fifo();
    let (seed, replications) = (7, 20);

    let diff = compare(&fifo, &priority, seed, replications)?;
    let a = replicate(&fifo, seed, replications)?;
    println!(
        "The default center, FIFO → lifecycle and sentiment priority ({replications} paired replications):\n"
    );
    println!(
        "{:<26} {:>9} {:>22} {:>22} {:>16}",
        "segment", "SL FIFO", "SL change (points)", "abandoned (points)", "cost change"
    );
    for ((name, d), (_, before)) in diff.iter().zip(&a.segments) {
        if before.offered.mean == 0.0 || name.starts_with("queue ") || name.starts_with("stream ") {
            continue;
        }
        println!(
            "{name:<26} {:>8.1}% {:>+14.1} ± {:<5.1} {:>+14.1} ± {:<5.1} {:>+10.0} ± {:<5.0}",
            100.0 * before.service_level.mean,
            100.0 * d.service_level.mean,
            100.0 * d.service_level.half_width,
            100.0 * d.abandonment.mean,
            100.0 * d.abandonment.half_width,
            d.cost.mean,
            d.cost.half_width,
        );
    }

    // What the example shows, checked: purchase calls gain beyond the
    // noise, and the center loses less money to abandoned sales.
    let get = |n: &str| diff.iter().find(|(name, _)| name == n).map(|(_, d)| *d);
    let buy = get("stage Conversion").ok_or("no conversion stage")?;
    assert!(buy.service_level.mean - buy.service_level.half_width > 0.0);
    let all = get("overall").ok_or("no overall segment")?;
    assert!(all.cost.mean < 0.0, "the priority costs less overall");
    println!(
        "\nPurchase calls gain {:.1} ± {:.1} points of service level; the day costs {:.0} ± {:.0} less.",
        100.0 * buy.service_level.mean,
        100.0 * buy.service_level.half_width,
        -all.cost.mean,
        all.cost.half_width
    );
    Ok(())
}
