//! `callroute compare`: two router configurations on one scenario, with
//! common random numbers.

use crate::outputs::Outputs;
use crate::report::pct;
use crate::{RunArgs, load};
use callroute::PriorityWeights;
use callroute::RouterConfig;
use callroute::sim::{compare, replicate};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Args)]
pub struct CompareArgs {
    #[command(flatten)]
    run: RunArgs,
    /// The first router configuration (a TOML or JSON file of the
    /// scenario's `[router]` table); default: the scenario's router with
    /// plain FIFO priority weights.
    #[arg(long, value_name = "FILE")]
    a: Option<PathBuf>,
    /// The second router configuration; default: the scenario's own.
    #[arg(long, value_name = "FILE")]
    b: Option<PathBuf>,
    /// Also write the differences (b − a per segment) as JSON.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

/// A router configuration from a file.
fn router(path: &Path) -> Result<RouterConfig, String> {
    let name = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    let config: RouterConfig = if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).map_err(|e| format!("{name}: {e}"))?
    } else {
        toml::from_str(&text).map_err(|e| format!("{name}: {e}"))?
    };
    config.validate().map_err(|e| format!("{name}: {e}"))?;
    Ok(config)
}

pub fn run(a: &CompareArgs) -> Result<(), String> {
    let (name, scenario) = load(&a.run)?;
    let outputs = Outputs::check(None, a.json.as_deref())?;
    let mut first = scenario.clone();
    match &a.a {
        Some(p) => first.router = router(p)?,
        None => first.router.weights = PriorityWeights::fifo(),
    }
    let mut second = scenario.clone();
    if let Some(p) = &a.b {
        second.router = router(p)?;
    }
    let label = |p: &Option<PathBuf>, default: &str| {
        p.as_ref()
            .map_or(default.to_owned(), |p| p.display().to_string())
    };
    let (la, lb) = (
        label(&a.a, "plain FIFO"),
        label(&a.b, "the scenario's router"),
    );
    let (seed, n) = (a.run.seed, a.run.replications);
    let diff = compare(&first, &second, seed, n).map_err(|e| format!("{name}: {e}"))?;
    let before = replicate(&first, seed, n).map_err(|e| format!("{name}: {e}"))?;
    say!(
        "{name}: {la} (a) against {lb} (b), {n} paired replications (seed {seed}), \
         the same customers for both; b − a with 95% intervals.\n"
    );
    let w = crate::report::width(diff.iter().map(|(n, _)| n.as_str()), 26);
    say!(
        "   {:<w$} {:>9} {:>22} {:>22} {:>18}",
        "segment",
        "SL of a",
        "SL change (points)",
        "abandoned (points)",
        "cost change"
    );
    for ((segment, d), (_, b)) in diff.iter().zip(&before.segments) {
        if b.offered.mean == 0.0 {
            continue;
        }
        say!(
            "   {segment:<w$} {:>9} {:>+14.1} ± {:<5.1} {:>+14.1} ± {:<5.1} {:>+10.0} ± {:<5.0}",
            pct(b.service_level.mean),
            100.0 * d.service_level.mean,
            100.0 * d.service_level.half_width,
            100.0 * d.abandonment.mean,
            100.0 * d.abandonment.half_width,
            d.cost.mean,
            d.cost.half_width,
        );
    }
    outputs.write_json(&diff)
}
