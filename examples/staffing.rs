//! The staffing study, first version: how many agents does the peak of a
//! day need?
//!
//! An embedded default scenario — 900 calls in the peak hour, log-normal
//! handle times of 4 minutes on average, callers who hang up after a
//! minute and a half on average — is staffed three ways:
//!
//! - Erlang C (nobody hangs up) for 80% answered within 20 s;
//! - Erlang A (callers abandon) for the same target, abandonment capped at
//!   5%;
//! - the simulator, which runs the real router in a seeded world with the
//!   log-normal handle times Erlang's formulas cannot take, over a range of
//!   staffing, with 95% confidence intervals from independent
//!   replications.
//!
//! It prints the staffing curve side by side and asserts what it shows.
//! Run it with `cargo run --release --example staffing`.

use callroute::sim::{Dist, Scenario, replicate};
use callroute::staffing::{
    ErlangA, Load, ServiceLevelDefinition, Targets, fewest_agents, fewest_agents_with_abandonment,
};

/// The peak: calls an hour, mean handle and patience in seconds.
const CALLS_PER_HOUR: f64 = 900.0;
const HANDLE_SECS: f64 = 240.0;
const HANDLE_SD_SECS: f64 = 120.0;
const PATIENCE_SECS: f64 = 90.0;
/// The target: 80% answered within 20 s.
const SHARE: f64 = 0.8;
const WITHIN_SECS: f64 = 20.0;
const REPLICATIONS: u32 = 20;
const SEED: u64 = 2026;

fn main() -> Result<(), callroute::Error> {
    let load = Load::from_rate(CALLS_PER_HOUR, HANDLE_SECS)?;
    let target = Targets::new().service_level(SHARE, WITHIN_SECS)?;
    let capped = target.max_abandonment(0.05)?;
    let by_c = fewest_agents(load, HANDLE_SECS, &target)?;
    let by_a = fewest_agents_with_abandonment(load, HANDLE_SECS, PATIENCE_SECS, &capped)?;
    println!(
        "Peak: {CALLS_PER_HOUR} calls an hour × {HANDLE_SECS} s = {} Erlangs; \
         target {:.0}% within {WITHIN_SECS} s.",
        load.erlangs(),
        SHARE * 100.0
    );
    println!("  Erlang C (nobody hangs up):                 {by_c} agents");
    println!("  Erlang A (patience {PATIENCE_SECS} s, ≤ 5% abandon): {by_a} agents");
    println!();
    println!(
        "Staffing curve — Erlang A against the simulator ({REPLICATIONS} replications of 4 hours, \
         log-normal handle times, sd {HANDLE_SD_SECS} s):"
    );
    println!(
        "{:>6}  {:>10}  {:>16}  {:>10}  {:>16}  {:>12}",
        "agents", "SL Erlang", "SL simulated", "abandon A", "abandon sim", "ASA sim (s)"
    );
    let mut offered = None;
    let mut last_sl = 0.0;
    for agents in by_a.saturating_sub(3)..=by_c + 1 {
        let q = ErlangA::new(agents, load, HANDLE_SECS, PATIENCE_SECS)?;
        let scenario = Scenario::single_queue(
            agents,
            CALLS_PER_HOUR,
            Dist::log_normal(HANDLE_SECS, HANDLE_SD_SECS)?,
            Some(Dist::exponential(PATIENCE_SECS)?),
            4 * 3_600,
        );
        let s = replicate(&scenario, SEED, REPLICATIONS)?;
        let all = &s.overall;
        println!(
            "{agents:>6}  {:>9.1}%  {:>8.1}% ± {:>4.1}  {:>9.1}%  {:>8.1}% ± {:>4.1}  {:>12.1}",
            100.0 * q.service_level(WITHIN_SECS, ServiceLevelDefinition::OfOffered)?,
            100.0 * all.service_level.mean,
            100.0 * all.service_level.half_width,
            100.0 * q.prob_abandon(),
            100.0 * all.abandonment.mean,
            100.0 * all.abandonment.half_width,
            all.average_speed_of_answer.mean,
        );
        // Common random numbers: every staffing meets the same callers.
        assert!(offered.is_none_or(|o| o == all.offered.mean));
        offered = Some(all.offered.mean);
        // More agents answer more within the threshold.
        assert!(all.service_level.mean + 0.01 >= last_sl);
        last_sl = all.service_level.mean;
    }
    assert!(
        by_a <= by_c,
        "abandonment never needs more agents than Erlang C for this target"
    );
    println!();
    println!(
        "Erlang C staffs for callers who never hang up; Erlang A and the simulator count the \
         callers who do (as misses), so they need {} fewer agent(s) here at ≤ 5% abandonment.",
        by_c - by_a
    );
    Ok(())
}
