//! The staffing study: how many agents does a day in a contact center
//! need, where do the textbook formulas go wrong, and what does routing by
//! lifecycle stage and sentiment change?
//!
//! `cargo run --release --example staffing` studies the embedded default
//! center (`examples/scenarios/default_center.toml`: a retailer's day from
//! 08:00 to 20:00, voice and chat, all five lifecycle stages, about a
//! hundred agents in shifts) and prints:
//!
//! 1. Erlang's staffing per interval (each queue alone, Erlang A with the
//!    callers' patience) next to what the simulator measures with that very
//!    staffing, and with the scenario's own;
//! 2. the fewest agents per team that meet per-stage service-level targets,
//!    found by simulation;
//! 3. plain FIFO against the lifecycle and sentiment priority, per stage and
//!    mood, on the same customers, and why they differ;
//! 4. the staffing curve of the whole center.
//!
//! It writes SVG charts (staffing curve, intraday service level and queue
//! length, waits per stage) into `--out` (default `staffing-study/`).
//!
//! Flags (after `--`):
//!
//! - `--scenario FILE`: study a scenario file instead (TOML, or JSON by its
//!   `.json` extension);
//! - `--seed N` (default 2026), `--replications N` (default 20);
//! - `--out DIR`: where the charts go;
//! - `--json FILE`: also write the whole study as JSON;
//! - `--replications-from A --replications-to B --json FILE`: run only
//!   replications `A..B` of the scenario as it is and write them as a shard
//!   (one task of a job array);
//! - `merge FILE...` (with `--json FILE` to keep the result): merge shards
//!   into the figures one run of all their replications gives.
//!
//! A bad flag or a bad file is reported in one line naming the problem,
//! with exit code 2.

mod charts;
mod study;

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

use callroute::sim::{Scenario, Shard, Summary};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use study::{Progress, Study};

const USAGE: &str = "usage: staffing [--scenario FILE] [--seed N] [--replications N] [--out DIR] \
                     [--json FILE] [--replications-from A --replications-to B]\n       \
                     staffing merge SHARD... [--json FILE]";

/// What the command line asks for.
struct Options {
    scenario: Option<PathBuf>,
    seed: u64,
    replications: u32,
    out: PathBuf,
    json: Option<PathBuf>,
    slice: (Option<u32>, Option<u32>),
    merge: Option<Vec<PathBuf>>,
}

fn parse() -> Result<Options, String> {
    use lexopt::prelude::*;
    let mut o = Options {
        scenario: None,
        seed: 2026,
        replications: 20,
        out: PathBuf::from("staffing-study"),
        json: None,
        slice: (None, None),
        merge: None,
    };
    let mut args = lexopt::Parser::from_env();
    let text = |v: std::ffi::OsString| v.to_string_lossy().into_owned();
    let number = |v: std::ffi::OsString, flag: &str| -> Result<u64, String> {
        let t = text(v);
        t.parse::<u64>()
            .map_err(|_| format!("--{flag}: `{t}` is not a whole number"))
    };
    let small = |n: u64, flag: &str| -> Result<u32, String> {
        u32::try_from(n).map_err(|_| format!("--{flag}: {n} is too large"))
    };
    while let Some(arg) = args.next().map_err(|e| e.to_string())? {
        match arg {
            Long("scenario") => o.scenario = Some(val(&mut args)?.into()),
            Long("json") => o.json = Some(val(&mut args)?.into()),
            Long("out") => o.out = val(&mut args)?.into(),
            Long("seed") => o.seed = number(val(&mut args)?, "seed")?,
            Long("replications") => {
                let n = small(number(val(&mut args)?, "replications")?, "replications")?;
                if n == 0 {
                    return Err("--replications: must be at least 1".into());
                }
                o.replications = n;
            }
            Long("replications-from") => {
                o.slice.0 = Some(small(
                    number(val(&mut args)?, "replications-from")?,
                    "replications-from",
                )?);
            }
            Long("replications-to") => {
                o.slice.1 = Some(small(
                    number(val(&mut args)?, "replications-to")?,
                    "replications-to",
                )?);
            }
            Value(v) if o.merge.is_some() => {
                if let Some(files) = &mut o.merge {
                    files.push(v.into());
                }
            }
            Value(v) if text(v.clone()) == "merge" => o.merge = Some(Vec::new()),
            Long("help") | Short('h') => return Err(USAGE.into()),
            other => return Err(other.unexpected().to_string()),
        }
    }
    Ok(o)
}

/// The value of the flag just read.
fn val(args: &mut lexopt::Parser) -> Result<std::ffi::OsString, String> {
    args.value().map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    match parse().and_then(|o| run(&o)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("staffing: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(o: &Options) -> Result<(), String> {
    if let Some(files) = &o.merge {
        return merge(files, o);
    }
    let (name, scenario) = load(o)?;
    match o.slice {
        (None, None) => {}
        (Some(from), Some(to)) => return shard(&name, &scenario, from..to, o),
        _ => return Err("--replications-from and --replications-to go together".into()),
    }
    let bar = Bar::new();
    let result = study::run(&scenario, o.seed, o.replications, &bar);
    bar.0.finish_and_clear();
    let study = result.map_err(|e| format!("{name}: {e}"))?;
    print(&name, &scenario, &study);
    let charts = charts::write(&study, &o.out)?;
    say!();
    for c in charts {
        say!("Wrote {}", c.display());
    }
    if let Some(path) = &o.json {
        write_json(path, &study)?;
    }
    Ok(())
}

/// The scenario to study and what to call it.
fn load(o: &Options) -> Result<(String, Scenario), String> {
    match &o.scenario {
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

fn write_json(path: &PathBuf, value: &impl serde::Serialize) -> Result<(), String> {
    let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    say!("Wrote {}", path.display());
    Ok(())
}

/// Runs a slice of the replications and writes it as a shard.
fn shard(
    name: &str,
    scenario: &Scenario,
    range: std::ops::Range<u32>,
    o: &Options,
) -> Result<(), String> {
    let Some(path) = &o.json else {
        return Err("a slice of replications needs --json FILE to write it to".into());
    };
    if range.is_empty() {
        return Err(format!(
            "--replications-from {} must be below --replications-to {}",
            range.start, range.end
        ));
    }
    let bar = Bar::new();
    bar.phase(
        &format!("replications {range:?}"),
        u64::from(range.end - range.start),
    );
    let s = Shard::run(scenario, o.seed, range, &|| bar.tick());
    bar.0.finish_and_clear();
    let s = s.map_err(|e| format!("{name}: {e}"))?;
    write_json(path, &s)
}

/// Merges shards and prints the figures of all their replications.
fn merge(files: &[PathBuf], o: &Options) -> Result<(), String> {
    if files.is_empty() {
        return Err("merge: name the shard files".into());
    }
    let mut shards = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
        let s: Shard = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", f.display()))?;
        shards.push(s);
    }
    let all = Shard::merge(shards).map_err(|e| format!("merge: {e}"))?;
    let summary = all.summary().map_err(|e| format!("merge: {e}"))?;
    say!(
        "{} shards: replications {:?} of seed {}.",
        files.len(),
        all.range(),
        all.seed
    );
    segments(&summary);
    if let Some(path) = &o.json {
        write_json(path, &summary)?;
    }
    Ok(())
}

/// A progress bar on the terminal's error stream, hidden when it is not a
/// terminal.
struct Bar(ProgressBar);

impl Bar {
    fn new() -> Self {
        let bar = ProgressBar::new(0);
        if std::io::stderr().is_terminal() {
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg:45} [{bar:30}] {pos}/{len} runs")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
        } else {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        Bar(bar)
    }
}

impl Progress for Bar {
    fn phase(&self, name: &str, runs: u64) {
        self.0.set_message(format!("Simulating {name}"));
        self.0.inc_length(runs);
    }
    fn tick(&self) {
        self.0.inc(1);
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

fn clock(secs: u64) -> String {
    let minutes = 8 * 60 + secs / 60;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Prints the study.
fn print(name: &str, scenario: &Scenario, s: &Study) {
    let agents: u32 = scenario.groups.iter().map(|g| g.count).sum();
    let b = &s.baseline;
    say!(
        "Staffing study of {name}: {} contacts a day, {agents} agents in {} groups; \
         {} replications (seed {}), 95% intervals.",
        b.overall.offered.mean.round(),
        scenario.groups.len(),
        s.replications,
        s.seed
    );
    say!(
        "As scheduled: service level {} ± {:.1}, abandoned {}, occupancy {}.",
        pct(b.overall.service_level.mean),
        100.0 * b.overall.service_level.half_width,
        pct(b.overall.abandonment.mean),
        pct(b.occupancy.mean)
    );

    say!("\n1. Erlang's staffing per interval, and what the simulator measures with it");
    say!(
        "   (each queue staffed alone for its own target; chats as slots of the chat concurrency)\n"
    );
    say!(
        "   {:>5}  {:>7}  {:>6}  {:>8}  {:>10}  {:>9}  {:>9}  {:>10}  {:>7}",
        "time",
        "Erlangs",
        "agents",
        "promised",
        "simulated",
        "abandoned",
        "scheduled",
        "simulated",
        "waiting"
    );
    say!(
        "   {:>5}  {:>7}  {:>6}  {:>8}  {:>10}  {:>9}  {:>9}  {:>10}  {:>7}",
        "",
        "",
        "Erlang",
        "Erlang",
        "at Erlang",
        "at Erlang",
        "agents",
        "as sched.",
        "as sched."
    );
    for r in &s.intervals {
        say!(
            "   {:>5}  {:>7.1}  {:>6}  {:>8}  {:>10}  {:>9}  {:>9.1}  {:>10}  {:>7.1}",
            clock(r.start_secs),
            r.erlangs,
            r.erlang_agents,
            pct(r.erlang_service_level),
            pct(r.simulated_at_erlang),
            pct(r.abandoned_at_erlang),
            r.scheduled_agents,
            pct(r.simulated_as_scheduled),
            r.queue_length_as_scheduled
        );
    }
    let e = &s.at_erlang.overall;
    say!(
        "\n   Over the day Erlang's staffing gives {} ± {:.1} simulated (abandoned {}), \
         where it promises each queue at least its target (the lowest is {}):",
        pct(e.service_level.mean),
        100.0 * e.service_level.half_width,
        pct(e.abandonment.mean),
        pct(scenario
            .queues
            .iter()
            .map(|q| q.service_level.share())
            .fold(1.0, f64::min))
    );
    let caveats = erlang_caveats(scenario);
    if !caveats.is_empty() {
        say!(
            "   Where the two differ, Erlang's assumptions do not hold here: {}.",
            caveats.join("; ")
        );
    }

    say!("\n2. The fewest agents per team that meet the stage targets (found by simulation)\n");
    for t in &s.teams {
        let targets: Vec<String> = t
            .targets
            .iter()
            .zip(&t.reached)
            .map(|((seg, share), got)| {
                format!(
                    "{} ≥ {} (reaches {})",
                    seg.trim_start_matches("stream "),
                    pct(*share),
                    pct(*got)
                )
            })
            .collect();
        let change = i64::from(t.needed) - i64::from(t.scheduled);
        say!(
            "   {:<40} scheduled {:>3}, needed {:>3} ({change:+})",
            t.groups.join(" + "),
            t.scheduled,
            t.needed
        );
        say!("   {:<40} {}", "", targets.join("; "));
    }

    say!("\n3. Plain FIFO against the lifecycle and sentiment priority, on the same customers\n");
    say!(
        "   {:<22} {:>9} {:>9} {:>15}   {:>8} {:>8}   {:>9} {:>9}",
        "segment",
        "SL FIFO",
        "SL prio",
        "difference",
        "ab. FIFO",
        "ab. prio",
        "cost FIFO",
        "cost prio"
    );
    for p in &s.policies {
        say!(
            "   {:<22} {:>9} {:>9} {:>+8.1} ± {:<4.1}   {:>8} {:>8}   {:>9.0} {:>9.0}",
            p.segment,
            pct(p.fifo.0),
            pct(p.priority.0),
            100.0 * p.difference.service_level.mean,
            100.0 * p.difference.service_level.half_width,
            pct(p.fifo.1),
            pct(p.priority.1),
            p.fifo.2,
            p.priority.2
        );
    }
    say!();
    let mut any = false;
    for p in s.policies.iter().filter_map(|p| p.why.as_ref()) {
        say!("   - {p}");
        any = true;
    }
    if !any {
        say!("   The two policies do not differ beyond the noise here.");
    }

    say!("\n4. The staffing curve: the whole center scaled\n");
    say!(
        "   {:>6}  {:>14}  {:>10}  {:>10}",
        "agents",
        "service level",
        "abandoned",
        "cost"
    );
    for p in &s.curve {
        let o = &p.summary.overall;
        say!(
            "   {:>6}  {:>14}  {:>10}  {:>10.0}",
            p.agents,
            pct(o.service_level.mean),
            pct(o.abandonment.mean),
            o.cost.mean
        );
    }
    say!("\nPer segment, as scheduled:\n");
    segments(b);
}

/// What in `scenario` Erlang's formulas do not model.
fn erlang_caveats(scenario: &Scenario) -> Vec<String> {
    use callroute::sim::Dist;
    let mut out = Vec::new();
    let mut kinds: Vec<&str> = scenario
        .streams
        .iter()
        .filter_map(|s| match s.handle {
            Dist::Exponential { .. } => None,
            Dist::LogNormal { .. } => Some("log-normal"),
            Dist::Gamma { .. } => Some("gamma"),
            Dist::Fixed { .. } => Some("fixed"),
            Dist::Empirical { .. } => Some("empirical"),
        })
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    if !kinds.is_empty() {
        out.push(format!(
            "handle times are {} rather than exponential",
            kinds.join(" and ")
        ));
    }
    out.push(
        "its agents start and stop on the interval's edges, and a queue left at an edge \
         meets new agents"
            .to_owned(),
    );
    let fed_by_overflow = scenario.queues.iter().any(|q| {
        matches!(
            q.upset.map(|u| u.action),
            Some(callroute::Escalation::Overflow { .. })
        ) || q
            .escalation
            .iter()
            .any(|e| matches!(e.action, callroute::Escalation::Overflow { .. }))
    });
    if fed_by_overflow {
        out.push("contacts overflow between queues, which Erlang staffs apart".to_owned());
    }
    if scenario
        .streams
        .iter()
        .any(|s| s.sentiment_drift_per_minute != 0.0)
    {
        out.push("sentiment drifts while callers wait and reorders them".to_owned());
    }
    out
}

/// The per-segment table of a summary.
fn segments(summary: &Summary) {
    say!(
        "   {:<26} {:>8} {:>15} {:>15} {:>8} {:>8} {:>10}",
        "segment",
        "offered",
        "service level",
        "abandoned",
        "ASA (s)",
        "p90 (s)",
        "cost"
    );
    for (name, s) in &summary.segments {
        if s.offered.mean == 0.0 {
            continue;
        }
        say!(
            "   {name:<26} {:>8.0} {:>8.1}% ± {:>4.1} {:>8.1}% ± {:>4.1} {:>8.1} {:>8.1} {:>10.0}",
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
}
