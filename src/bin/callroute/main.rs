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
mod schedule;
mod shared;
mod simulate;
mod study;

use callroute::sim::Scenario;
use clap::{Args, Parser, Subcommand};
use outputs::Outputs;
use progress::Bar;
use std::path::PathBuf;
use std::process::ExitCode;
use study::Runs;

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
    /// The staffing study (the default): Erlang's staffing per interval
    /// against the simulator and against the staffing found by simulation,
    /// the fewest agents per team, FIFO against the lifecycle and sentiment
    /// priority, and the staffing curve, with charts.
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
    /// Plans the shifts of the scenario's rosters against Erlang's
    /// requirement per interval, and checks a plan by simulation (from the
    /// staffing per interval by simulation, raised where a target is
    /// missed, until every target is met): both side by side, with CSV
    /// files and a chart.
    Schedule(schedule::ScheduleArgs),
    /// Reads back a study shared through a directory (`study --shared
    /// DIR`, run by several tasks): its report, charts and JSON, simulating
    /// nothing.
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
    /// Also write the whole study as JSON.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Share the study's runs with other processes through directory DIR
    /// (created if missing): start the same command in several tasks (a
    /// job array on machines that mount DIR), each simulates its part and
    /// every one ends with the whole study; `callroute merge DIR` reads it
    /// back.
    #[arg(long, value_name = "DIR")]
    shared: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
struct MergeArgs {
    /// The directory the study's tasks shared (`study --shared DIR`).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Where the charts go (created if missing).
    #[arg(long, value_name = "DIR", default_value = "staffing-study")]
    out: PathBuf,
    /// Also write the whole study as JSON.
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
        Some(Command::Schedule(a)) => schedule::run(&a),
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
    let outputs = Outputs::check(Some(&a.out), a.json.as_deref())?;
    let (seed, replications) = (a.run.seed, a.run.replications);
    let shared = match &a.shared {
        Some(dir) => Some(shared::Shared::join(dir, &scenario, seed, replications)?),
        None => None,
    };
    announce(&scenario, a)?;
    let runs: &dyn Runs = match &shared {
        Some(s) => s,
        None => &study::Here,
    };
    report_study(
        &name,
        &scenario,
        (seed, replications),
        runs,
        &a.out,
        &outputs,
    )?;
    if let (Some(s), Some(dir)) = (&shared, &a.shared) {
        let (simulated, read) = s.counts();
        say!(
            "Shared through {}: {simulated} runs of the day simulated here, {read} read \
             from there.",
            dir.display()
        );
    }
    Ok(())
}

/// Reads back the study of a shared directory, simulating nothing.
fn merge(a: &MergeArgs) -> Result<(), String> {
    let outputs = Outputs::check(Some(&a.out), a.json.as_deref())?;
    let (shared, manifest) = shared::Shared::open(&a.dir)?;
    let name = format!("the study shared in {}", a.dir.display());
    let run = (manifest.seed, manifest.replications);
    report_study(&name, &manifest.scenario, run, &shared, &a.out, &outputs)
}

/// Runs the study with `seed` and `replications`, prints its report and
/// writes its charts to `out` and its JSON where `outputs` says.
fn report_study(
    name: &str,
    scenario: &Scenario,
    (seed, replications): (u64, u32),
    runs: &dyn Runs,
    out: &std::path::Path,
    outputs: &Outputs,
) -> Result<(), String> {
    let bar = Bar::new();
    let result = study::run(scenario, seed, replications, runs, &bar);
    bar.finish();
    let study = result.map_err(|e| format!("{name}: {e}"))?;
    report::print(name, scenario, &study);
    let charts = charts::write(&study, out)?;
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
             so at most about {} on {threads} threads (its searches usually end far sooner).",
            if secs < 120.0 {
                format!("{secs:.0} s")
            } else {
                format!("{:.0} minutes", secs / 60.0)
            }
        );
    }
    Ok(())
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
