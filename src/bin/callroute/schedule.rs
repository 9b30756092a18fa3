//! `callroute schedule`: the shifts of every roster of a scenario, planned
//! against Erlang's requirement per interval and simulated; and checked by
//! simulation (planned against the staffing per interval by simulation,
//! the requirement raised where a target is missed, and planned again);
//! both plans side by side: the shifts and breaks, agents, cost, and the
//! simulated service level per interval and stage.

use crate::charts::{self, PlanFigures, ScheduleFigures};
use crate::outputs::{Outputs, writable_file, write_whole};
use crate::report::pct;
use crate::study::{checked_schedule, queue_targets, roster_targets};
use crate::{RunArgs, load};
use callroute::schedule::Plan;
use callroute::sim::{
    CheckedSchedule, Estimate, RosterPlan, Scenario, SegmentTarget, VerifiedSchedule,
};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Args)]
pub struct ScheduleArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Where the plan's CSV files and chart go (created if missing):
    /// shifts.csv, intervals.csv and schedule.svg.
    #[arg(long, value_name = "DIR", default_value = "shift-schedule")]
    out: PathBuf,
    /// Also write both plans and their simulated figures as JSON.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Also write the scenario with the checked plan in place of the
    /// rosters' groups (TOML), to study or simulate it further.
    #[arg(long, value_name = "FILE")]
    write_scenario: Option<PathBuf>,
    /// The most schedules the check simulates (from the one against the
    /// staffing by simulation on; Erlang's plan is simulated besides).
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..))]
    max_rounds: u32,
}

pub fn run(a: &ScheduleArgs) -> Result<(), String> {
    let (name, scenario) = load(&a.run)?;
    if scenario.rosters.is_empty() {
        return Err(format!(
            "{name}: no [[rosters]] to schedule (each names the groups a plan replaces and the shift types they may work)"
        ));
    }
    let outputs = Outputs::check(Some(&a.out), a.json.as_deref())?;
    if let Some(path) = &a.write_scenario {
        writable_file(path)?;
    }
    let (seed, replications) = (a.run.seed, a.run.replications);
    let start = std::time::Instant::now();
    let simulated = std::cell::Cell::new(0u32);
    let (found, iterations) =
        checked_schedule(&scenario, (seed, replications), a.max_rounds, &|what| {
            simulated.set(simulated.get() + 1);
            eprintln!(
                "callroute: simulating {what} ({}; {replications} replications)",
                simulated.get()
            );
        })
        .map_err(|e| format!("{name}: {e}"))?;
    let targets = roster_targets(&scenario)
        .map_err(|e| format!("{name}: {e}"))?
        .1;
    let took = start.elapsed().as_secs_f64();
    print(
        &name,
        &scenario,
        &found,
        &targets,
        (seed, replications),
        (took, iterations, simulated.get()),
    );
    let figures = ScheduleFigures {
        opens_secs: scenario.opens_secs,
        interval_secs: scenario.interval_secs,
        plans: [
            ("Erlang's requirement", &found.first),
            ("checked by simulation", &found.verified),
        ]
        .into_iter()
        .map(|(n, c)| PlanFigures {
            name: n.to_owned(),
            required: total(c, |r| &r.requirement),
            present: total(c, |r| &r.plan.present),
            service_level: interval_levels(c),
        })
        .collect(),
        targets: charts::target_marks(&queue_targets(&scenario)),
    };
    say!();
    for path in write_csv(&scenario, &found, &a.out)? {
        say!("Wrote {}", path.display());
    }
    let chart = a.out.join("schedule.svg");
    charts::schedule(&figures, &chart)?;
    say!("Wrote {}", chart.display());
    if let Some(path) = &a.write_scenario {
        let plans: Vec<Plan> = found
            .verified
            .rosters
            .iter()
            .map(|r| r.plan.clone())
            .collect();
        let planned = scenario.rostered(&plans).map_err(|e| e.to_string())?;
        let text = toml::to_string(&planned).map_err(|e| e.to_string())?;
        write_whole(path, |aside| {
            std::fs::write(aside, text).map_err(|e| format!("{}: {e}", aside.display()))
        })?;
        say!("Wrote {}", path.display());
    }
    outputs.write_json(&found)
}

/// Per interval, the sum over rosters of `pick`.
fn total(c: &CheckedSchedule, pick: impl Fn(&callroute::sim::RosterPlan) -> &Vec<u32>) -> Vec<u32> {
    let mut sum: Vec<u32> = Vec::new();
    for r in &c.rosters {
        let v = pick(r);
        if sum.len() < v.len() {
            sum.resize(v.len(), 0);
        }
        for (s, n) in sum.iter_mut().zip(v) {
            *s += n;
        }
    }
    sum
}

/// Per interval: the simulated service level of every contact arriving
/// in it, where any did.
fn interval_levels(c: &CheckedSchedule) -> Vec<Option<Estimate>> {
    c.summary
        .intervals
        .iter()
        .map(|s| (s.offered.mean > 0.0).then_some(s.service_level))
        .collect()
}

/// The time of day `secs` after the opening, `08:30`.
fn clock(scenario: &Scenario, secs: u64) -> String {
    let minutes = (scenario.opens_secs + secs) / 60;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `(agents, shifts, cost)` of rosters' plans: agents on all shifts, how
/// many distinct shifts (type and start) they work, and their cost.
fn counts(rosters: &[&RosterPlan]) -> (u32, usize, f64) {
    rosters.iter().fold((0, 0, 0.0), |(n, s, c), r| {
        (
            n + r.plan.agents(),
            s + r.plan.shifts.len(),
            c + r.plan.cost,
        )
    })
}

/// A plan's misses in words: the intervals of each roster's queue below
/// target, and the segment targets missed.
fn misses(scenario: &Scenario, c: &CheckedSchedule) -> String {
    let mut parts = Vec::new();
    for (r, (intervals, segments)) in c.rosters.iter().zip(&c.misses) {
        if !intervals.is_empty() {
            let times: Vec<String> = intervals
                .iter()
                .map(|&k| clock(scenario, u64::from(k) * scenario.interval_secs))
                .collect();
            parts.push(format!("{} at {}", r.roster, times.join(" ")));
        }
        for s in segments {
            parts.push(format!("{} (for {})", s, r.roster));
        }
    }
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join("; ")
    }
}

fn print(
    name: &str,
    scenario: &Scenario,
    found: &VerifiedSchedule,
    targets: &[Vec<SegmentTarget>],
    (seed, replications): (u64, u32),
    (took, iterations, simulations): (f64, u32, u32),
) {
    let (first, checked) = (&found.first, &found.verified);
    say!(
        "Shift schedule of {name}: {} rosters, planned against Erlang's requirement per interval \
         (each queue alone, agents present), and checked by simulation with the real router: \
         planned against the staffing per interval by simulation ({iterations} simulations), \
         simulated, the requirement raised where a target is missed, and planned again \
         ({} schedules); {replications} replications, seed {seed}, {simulations} simulations \
         of the day in {took:.1} s.",
        scenario.rosters.len(),
        found.rounds
    );
    say!(
        "{}",
        if found.met {
            "The checked plan meets every target: each queue's service level in every interval, \
             and each stream's stage target over the day."
        } else {
            "No plan met every target within the rounds allowed: the checked plan is the one \
             that missed the fewest (see below)."
        }
    );
    say!();
    say!(
        "   {:<12} {:>29}   {:>29}",
        "",
        "against Erlang's requirement",
        "checked by simulation"
    );
    let cost = format!("cost{}", crate::report::currency(scenario));
    say!(
        "   {:<12} {:>8} {:>8} {:>11}   {:>8} {:>8} {:>11}",
        "roster",
        "agents",
        "shifts",
        cost,
        "agents",
        "shifts",
        cost
    );
    let row = |label: &str, a: &[&RosterPlan], b: &[&RosterPlan]| {
        let ((na, sa, ca), (nb, sb, cb)) = (counts(a), counts(b));
        say!("   {label:<12} {na:>8} {sa:>8} {ca:>11.0}   {nb:>8} {sb:>8} {cb:>11.0}");
    };
    for (a, b) in first.rosters.iter().zip(&checked.rosters) {
        row(&a.roster, &[a], &[b]);
    }
    let (all_a, all_b): (Vec<_>, Vec<_>) = (
        first.rosters.iter().collect(),
        checked.rosters.iter().collect(),
    );
    row("all", &all_a, &all_b);
    for (label, c) in [("Erlang's", first), ("The checked", checked)] {
        for r in c.rosters.iter().filter(|r| !r.plan.optimal) {
            say!(
                "   {label} plan for {}: the search stopped at its bound ({} nodes) with the cost \
                 {:.0}; no plan costs less than {:.0}.",
                r.roster,
                callroute::sim::SEARCH_NODES,
                r.plan.cost,
                r.plan.cost_bound.ceil()
            );
        }
    }
    say!();
    let level = |c: &CheckedSchedule, segment: &str| {
        c.summary
            .segments
            .iter()
            .find(|(n, _)| n == segment)
            .map(|(_, s)| s.service_level)
    };
    let shown = |e: Option<Estimate>| {
        e.map_or("-".to_owned(), |e| {
            format!("{} ± {:.1}", pct(e.mean), 100.0 * e.half_width)
        })
    };
    say!(
        "   {:<34} {:>14}   {:>14}   {:>7}",
        "simulated service level",
        "Erlang's",
        "checked",
        "target"
    );
    say!(
        "   {:<34} {:>14}   {:>14}",
        "overall",
        shown(Some(first.summary.overall.service_level)),
        shown(Some(checked.summary.overall.service_level))
    );
    for t in targets.iter().flatten() {
        say!(
            "   {:<34} {:>14}   {:>14}   {:>7}",
            t.segment,
            shown(level(first, &t.segment)),
            shown(level(checked, &t.segment)),
            pct(t.service_level)
        );
    }
    say!();
    say!(
        "   Targets missed, Erlang's plan: {}.",
        misses(scenario, first)
    );
    say!(
        "   Targets missed, checked plan: {}.",
        misses(scenario, checked)
    );
    say!();
    say!("   Per interval, all rosters (agents present: breaks taken out):");
    say!(
        "   {:>6} {:>9} {:>9} {:>10}   {:>9} {:>9} {:>10}",
        "",
        "Erlang",
        "",
        "simulated",
        "checked",
        "",
        "simulated"
    );
    say!(
        "   {:>6} {:>9} {:>9} {:>10}   {:>9} {:>9} {:>10}",
        "time",
        "required",
        "present",
        "service",
        "required",
        "present",
        "service"
    );
    let (need_a, have_a, sl_a) = (
        total(first, |r| &r.requirement),
        total(first, |r| &r.plan.present),
        interval_levels(first),
    );
    let (need_b, have_b, sl_b) = (
        total(checked, |r| &r.requirement),
        total(checked, |r| &r.plan.present),
        interval_levels(checked),
    );
    let pc =
        |e: Option<&Option<Estimate>>| e.copied().flatten().map_or("-".to_owned(), |e| pct(e.mean));
    for k in 0..need_a.len() {
        let get = |v: &[u32]| v.get(k).copied().unwrap_or(0);
        say!(
            "   {:>6} {:>9} {:>9} {:>10}   {:>9} {:>9} {:>10}",
            clock(scenario, k as u64 * scenario.interval_secs),
            get(&need_a),
            get(&have_a),
            pc(sl_a.get(k)),
            get(&need_b),
            get(&have_b),
            pc(sl_b.get(k))
        );
    }
    for r in &checked.rosters {
        say!();
        say!(
            "   Checked plan, {}: {} agents, cost {:.0}",
            r.roster,
            r.plan.agents(),
            r.plan.cost
        );
        say!(
            "   {:<10} {:>6} {:>6} {:>7}  breaks (start × agents)",
            "shift",
            "start",
            "end",
            "agents"
        );
        for s in &r.plan.shifts {
            let breaks: Vec<String> = s
                .breaks
                .iter()
                .map(|starts| {
                    starts
                        .iter()
                        .map(|b| format!("{}×{}", clock(scenario, b.start_secs), b.agents))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            say!(
                "   {:<10} {:>6} {:>6} {:>7}  {}",
                s.name,
                clock(scenario, s.start_secs),
                clock(scenario, s.end_secs),
                s.agents,
                breaks.join(" | ")
            );
        }
    }
}

/// Writes shifts.csv (both plans' shifts with their breaks) and
/// intervals.csv (per roster and interval: required, present and the
/// simulated service level of its queue, for both plans) into `dir`.
fn write_csv(
    scenario: &Scenario,
    found: &VerifiedSchedule,
    dir: &Path,
) -> Result<Vec<PathBuf>, String> {
    let plans = [("erlang", &found.first), ("checked", &found.verified)];
    let fail = |p: &Path, e: &dyn std::fmt::Display| format!("{}: {e}", p.display());
    let table = |file: &str, head: &[&str], rows: Vec<Vec<String>>| {
        let path = dir.join(file);
        write_whole(&path, |aside| {
            let mut w = csv::Writer::from_path(aside).map_err(|e| fail(aside, &e))?;
            w.write_record(head).map_err(|e| fail(aside, &e))?;
            for r in rows {
                w.write_record(&r).map_err(|e| fail(aside, &e))?;
            }
            w.flush().map_err(|e| fail(aside, &e))
        })?;
        Ok::<PathBuf, String>(path)
    };
    let mut shifts = Vec::new();
    for (plan, c) in plans {
        for r in &c.rosters {
            for s in &r.plan.shifts {
                // A row per break start (a shift without breaks: one row,
                // its break columns empty).
                let row = |b: Option<(usize, &callroute::schedule::BreakStart)>| {
                    let mut row = vec![
                        plan.to_owned(),
                        r.roster.clone(),
                        s.name.clone(),
                        s.start_secs.to_string(),
                        s.end_secs.to_string(),
                        s.agents.to_string(),
                    ];
                    row.extend(match b {
                        Some((rule, b)) => [
                            rule.to_string(),
                            b.start_secs.to_string(),
                            b.end_secs.to_string(),
                            b.agents.to_string(),
                        ],
                        None => [(); 4].map(|()| String::new()),
                    });
                    row
                };
                let mut any = false;
                for (rule, starts) in s.breaks.iter().enumerate() {
                    for b in starts {
                        shifts.push(row(Some((rule, b))));
                        any = true;
                    }
                }
                if !any {
                    shifts.push(row(None));
                }
            }
        }
    }
    let mut intervals = Vec::new();
    for (plan, c) in plans {
        for r in &c.rosters {
            let queue = scenario.queues.iter().position(|q| q.id == r.queue);
            let per_k = queue
                .and_then(|q| c.summary.queue_intervals.get(q))
                .map_or(&[][..], |(_, v)| v.as_slice());
            for (k, (need, present)) in r.requirement.iter().zip(&r.plan.present).enumerate() {
                let sl = per_k
                    .get(k)
                    .filter(|s| s.offered.mean > 0.0)
                    .map(|s| s.service_level);
                intervals.push(vec![
                    plan.to_owned(),
                    r.roster.clone(),
                    (k as u64 * scenario.interval_secs).to_string(),
                    need.to_string(),
                    present.to_string(),
                    sl.map_or(String::new(), |e| e.mean.to_string()),
                    sl.map_or(String::new(), |e| e.half_width.to_string()),
                ]);
            }
        }
    }
    Ok(vec![
        table(
            "shifts.csv",
            &[
                "plan",
                "roster",
                "shift",
                "start_secs",
                "end_secs",
                "agents",
                "break",
                "break_start_secs",
                "break_end_secs",
                "break_agents",
            ],
            shifts,
        )?,
        table(
            "intervals.csv",
            &[
                "plan",
                "roster",
                "start_secs",
                "required",
                "present",
                "service_level",
                "service_level_half_width",
            ],
            intervals,
        )?,
    ])
}
