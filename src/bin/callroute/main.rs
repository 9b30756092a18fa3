//! `callroute`, the program: staffing studies, simulations, the Erlang
//! calculator, policy comparisons and shard merges over the `callroute`
//! library.
//!
//! `callroute` alone runs the staffing study of the embedded default center
//! (a retailer's day from 08:00 to 20:00, voice and chat, all five
//! lifecycle stages, about a hundred agents in shifts). `callroute --help`
//! lists the subcommands, and `callroute <subcommand> --help` their flags.
//!
//! Everything is checked before anything is simulated: the scenario, the
//! flags, and that every output path can be written. A problem is reported
//! in one line naming the file, the field or the flag, with exit code 2.

/// Prints a line to standard output; a closed output (`| head`) ends the
/// program quietly instead of with a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

mod charts;
mod compare;
mod erlang;
mod outputs;
mod progress;
mod report;
mod simulate;
mod study;

use callroute::sim::{Scenario, Shard};
use clap::{Args, Parser, Subcommand};
use outputs::Outputs;
use progress::Bar;
use std::path::PathBuf;
use std::process::ExitCode;
use study::Progress as _;

/// Staffing studies and queue simulations of contact centers that route by
/// skill, lifecycle stage and sentiment.
#[derive(Debug, Parser)]
#[command(name = "callroute", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// The study's flags when no subcommand is given.
    #[command(flatten)]
    study: StudyArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The staffing study (the default): Erlang's staffing against the
    /// simulator, the fewest agents per team, FIFO against the lifecycle
    /// and sentiment priority, and the staffing curve, with charts.
    Study(StudyArgs),
    /// Simulates one scenario: the report per segment, as a table, JSON or
    /// CSV files.
    Simulate(simulate::SimulateArgs),
    /// The Erlang C and Erlang A calculator: agents needed for a target,
    /// and the service at and around that staffing.
    Erlang(erlang::ErlangArgs),
    /// Compares two router configurations on one scenario with common
    /// random numbers (the same customers for both).
    Compare(compare::CompareArgs),
    /// Merges shards (slices of a study's replications) into the figures
    /// one run of all their replications gives.
    Merge(MergeArgs),
}

/// Where the scenario comes from and how many replications to run.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// A scenario file (TOML, or JSON by its `.json` extension) instead of
    /// the embedded default center.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// The seed of every random stream.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Replications of the day per figure (each figure's 95% interval
    /// comes from them).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub replications: u32,
}

#[derive(Debug, Clone, Args)]
struct StudyArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Where the charts go (created if missing).
    #[arg(long, value_name = "DIR", default_value = "staffing-study")]
    out: PathBuf,
    /// Also write the whole study as JSON (with a slice of replications:
    /// the shard).
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Run only replications FROM..TO of the scenario as it is and write
    /// them as a shard to --json (one task of a job array).
    #[arg(long, value_name = "FROM", requires_all = ["replications_to", "json"])]
    replications_from: Option<u32>,
    /// The end (exclusive) of the shard's replications.
    #[arg(long, value_name = "TO", requires = "replications_from")]
    replications_to: Option<u32>,
}

#[derive(Debug, Clone, Args)]
struct MergeArgs {
    /// The shard files, as `study --replications-from A --replications-to B
    /// --json FILE` wrote them.
    #[arg(required = true, value_name = "SHARD")]
    shards: Vec<PathBuf>,
    /// Also write the merged figures as JSON.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let result = match cli.command {
        None => study(&cli.study),
        Some(Command::Study(a)) => study(&a),
        Some(Command::Simulate(a)) => simulate::run(&a),
        Some(Command::Erlang(a)) => erlang::run(&a),
        Some(Command::Compare(a)) => compare::run(&a),
        Some(Command::Merge(a)) => merge(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("callroute: {message}");
            ExitCode::from(2)
        }
    }
}

/// Help and version as clap prints them (exit 0); a usage error in one
/// line, with exit code 2.
fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    // clap's message runs to the first blank line (a missing argument is
    // named on the line after the sentence): joined into one line.
    let text = e.render().to_string();
    let message = text
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    eprintln!(
        "callroute: {} (see callroute --help)",
        message.trim_start_matches("error: ")
    );
    ExitCode::from(2)
}

/// The scenario to run and what to call it.
pub fn load(run: &RunArgs) -> Result<(String, Scenario), String> {
    match &run.scenario {
        None => Ok((
            "the default center".into(),
            study::parse_scenario(study::DEFAULT_SCENARIO, false)
                .map_err(|e| format!("the default scenario: {e}"))?,
        )),
        Some(path) => {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
            let json = path.extension().is_some_and(|e| e == "json");
            let scenario =
                study::parse_scenario(&text, json).map_err(|e| format!("{name}: {e}"))?;
            Ok((name, scenario))
        }
    }
}

fn study(a: &StudyArgs) -> Result<(), String> {
    let (name, scenario) = load(&a.run)?;
    if let (Some(from), Some(to)) = (a.replications_from, a.replications_to) {
        return shard(&name, &scenario, from..to, a);
    }
    let outputs = Outputs::check(Some(&a.out), a.json.as_deref())?;
    announce(&scenario, a)?;
    let bar = Bar::new();
    let result = study::run(&scenario, a.run.seed, a.run.replications, &bar);
    bar.finish();
    let study = result.map_err(|e| format!("{name}: {e}"))?;
    report::print(&name, &scenario, &study);
    let charts = charts::write(&study, &a.out)?;
    say!();
    for c in charts {
        say!("Wrote {}", c.display());
    }
    outputs.write_json(&study)
}

/// Says at the start how long a study will take when that is more than
/// half a minute, from one run of the day timed here.
fn announce(scenario: &Scenario, a: &StudyArgs) -> Result<(), String> {
    let start = std::time::Instant::now();
    callroute::sim::run_replications(scenario, a.run.seed, 0..1, &|| {})
        .map_err(|e| e.to_string())?;
    let one = start.elapsed();
    let runs = study::planned_runs(scenario, a.run.replications);
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let secs = one.as_secs_f64() * runs as f64 / threads as f64;
    if secs > 30.0 {
        let took = if one.as_secs_f64() < 1.0 {
            format!("{} ms", one.as_millis())
        } else {
            format!("{:.1} s", one.as_secs_f64())
        };
        eprintln!(
            "callroute: this study makes up to {runs} runs of the day; one took {took} here, \
             so expect about {} on {threads} threads.",
            if secs < 120.0 {
                format!("{secs:.0} s")
            } else {
                format!("{:.0} minutes", secs / 60.0)
            }
        );
    }
    Ok(())
}

/// Runs a slice of the replications and writes it as a shard.
fn shard(
    name: &str,
    scenario: &Scenario,
    range: std::ops::Range<u32>,
    a: &StudyArgs,
) -> Result<(), String> {
    if range.is_empty() {
        return Err(format!(
            "--replications-from {} must be below --replications-to {}",
            range.start, range.end
        ));
    }
    let outputs = Outputs::check(None, a.json.as_deref())?;
    let bar = Bar::new();
    bar.phase(
        &format!("replications {range:?}"),
        u64::from(range.end - range.start),
    );
    let s = Shard::run(scenario, a.run.seed, range, &|| bar.tick());
    bar.finish();
    let s = s.map_err(|e| format!("{name}: {e}"))?;
    outputs.write_json(&s)
}

/// Merges shards and prints the figures of all their replications.
fn merge(a: &MergeArgs) -> Result<(), String> {
    let outputs = Outputs::check(None, a.json.as_deref())?;
    let mut shards = Vec::new();
    for f in &a.shards {
        let text = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
        let s: Shard = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", f.display()))?;
        shards.push(s);
    }
    let all = Shard::merge(shards).map_err(|e| format!("merge: {e}"))?;
    let summary = all.summary().map_err(|e| format!("merge: {e}"))?;
    say!(
        "{} shards: replications {:?} of seed {}.",
        a.shards.len(),
        all.range(),
        all.seed
    );
    report::segments(&summary, "");
    outputs.write_json(&summary)
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
