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
//!
//! Flags (after `--`):
//!
//! - `--scenario FILE`: simulate a scenario file instead (TOML, or JSON by
//!   its `.json` extension; see `examples/scenarios/`) and print its
//!   figures per segment;
//! - `--seed N` (default 2026), `--replications N` (default 20);
//! - `--json FILE`: also write the summary of the replications as JSON.
//!
//! A bad flag or a bad file is reported in one line naming the problem,
//! with exit code 2.

use callroute::sim::{Dist, Scenario, Summary, replicate};
use callroute::staffing::{
    ErlangA, Load, ServiceLevelDefinition, Targets, fewest_agents, fewest_agents_with_abandonment,
};
use std::path::PathBuf;
use std::process::ExitCode;

/// The peak: calls an hour, mean handle and patience in seconds.
const CALLS_PER_HOUR: f64 = 900.0;
const HANDLE_SECS: f64 = 240.0;
const HANDLE_SD_SECS: f64 = 120.0;
const PATIENCE_SECS: f64 = 90.0;
/// The target: 80% answered within 20 s.
const SHARE: f64 = 0.8;
const WITHIN_SECS: f64 = 20.0;
/// What the command line asks for.
struct Options {
    scenario: Option<PathBuf>,
    seed: u64,
    replications: u32,
    json: Option<PathBuf>,
}

fn parse() -> Result<Options, String> {
    use lexopt::prelude::*;
    let mut o = Options {
        scenario: None,
        seed: 2026,
        replications: 20,
        json: None,
    };
    let mut args = lexopt::Parser::from_env();
    let number = |v: std::ffi::OsString, flag: &str| -> Result<u64, String> {
        let text = v.to_string_lossy().into_owned();
        text.parse::<u64>()
            .map_err(|_| format!("--{flag}: `{text}` is not a whole number"))
    };
    while let Some(arg) = args.next().map_err(|e| e.to_string())? {
        match arg {
            Long("scenario") => o.scenario = Some(args.value().map_err(|e| e.to_string())?.into()),
            Long("json") => o.json = Some(args.value().map_err(|e| e.to_string())?.into()),
            Long("seed") => o.seed = number(args.value().map_err(|e| e.to_string())?, "seed")?,
            Long("replications") => {
                let n = number(args.value().map_err(|e| e.to_string())?, "replications")?;
                o.replications = u32::try_from(n).ok().filter(|&n| n > 0).ok_or_else(|| {
                    format!("--replications: {n} is not between 1 and {}", u32::MAX)
                })?;
            }
            Long("help") | Short('h') => {
                return Err(
                    "usage: staffing [--scenario FILE] [--seed N] [--replications N] [--json FILE]"
                        .into(),
                );
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    Ok(o)
}

fn main() -> ExitCode {
    let result = parse().and_then(|o| run(&o));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("staffing: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(o: &Options) -> Result<(), String> {
    let summary = match &o.scenario {
        Some(path) => scenario_file(path, o)?,
        None => default_study(o).map_err(|e| e.to_string())?,
    };
    if let Some(path) = &o.json {
        let text = serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?;
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("Wrote the summary to {}.", path.display());
    }
    Ok(())
}

/// Simulates the scenario in `path` and prints its figures per segment.
fn scenario_file(path: &PathBuf, o: &Options) -> Result<Summary, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let scenario: Scenario = if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?
    } else {
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?
    };
    let summary = replicate(&scenario, o.seed, o.replications)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    println!(
        "{}: {} replications, seed {}; occupancy {:.1}% ± {:.1}",
        path.display(),
        summary.replications,
        o.seed,
        100.0 * summary.occupancy.mean,
        100.0 * summary.occupancy.half_width
    );
    println!(
        "{:<28} {:>9} {:>15} {:>15} {:>9} {:>9} {:>11}",
        "segment", "offered", "service level", "abandoned", "ASA (s)", "p90 (s)", "cost"
    );
    for (name, s) in &summary.segments {
        if s.offered.mean == 0.0 {
            continue;
        }
        println!(
            "{name:<28} {:>9.0} {:>8.1}% ± {:>4.1} {:>8.1}% ± {:>4.1} {:>9.1} {:>9.1} {:>11.2}",
            s.offered.mean,
            100.0 * s.service_level.mean,
            100.0 * s.service_level.half_width,
            100.0 * s.abandonment.mean,
            100.0 * s.abandonment.half_width,
            s.average_speed_of_answer.mean,
            s.wait_p90.mean,
            s.cost.mean,
        );
    }
    Ok(summary)
}

/// The embedded study: a peak staffed by Erlang C, Erlang A and the
/// simulator. Returns the simulated summary at the Erlang A staffing.
fn default_study(o: &Options) -> Result<Summary, callroute::Error> {
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
        "Staffing curve — Erlang A against the simulator ({} replications of 4 hours, \
         log-normal handle times, sd {HANDLE_SD_SECS} s):",
        o.replications
    );
    println!(
        "{:>6}  {:>10}  {:>16}  {:>10}  {:>16}  {:>12}",
        "agents", "SL Erlang", "SL simulated", "abandon A", "abandon sim", "ASA sim (s)"
    );
    let mut offered = None;
    let mut last_sl = 0.0;
    let mut at_erlang_a = None;
    for agents in by_a.saturating_sub(3)..=by_c + 1 {
        let q = ErlangA::new(agents, load, HANDLE_SECS, PATIENCE_SECS)?;
        let scenario = Scenario::single_queue(
            agents,
            CALLS_PER_HOUR,
            Dist::log_normal(HANDLE_SECS, HANDLE_SD_SECS)?,
            Some(Dist::exponential(PATIENCE_SECS)?),
            4 * 3_600,
        );
        let s = replicate(&scenario, o.seed, o.replications)?;
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
        if agents == by_a {
            at_erlang_a = Some(s.clone());
        }
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
    match at_erlang_a {
        Some(s) => Ok(s),
        None => Ok(replicate(
            &Scenario::single_queue(
                by_a,
                CALLS_PER_HOUR,
                Dist::log_normal(HANDLE_SECS, HANDLE_SD_SECS)?,
                Some(Dist::exponential(PATIENCE_SECS)?),
                4 * 3_600,
            ),
            o.seed,
            o.replications,
        )?),
    }
}
