//! What the program prints: the study's four sections and the tables of a
//! summary.

use crate::study::Study;
use callroute::sim::{Scenario, Summary};

/// The width of a column of `names`: the longest, and at least `least`.
pub fn width<'a>(names: impl Iterator<Item = &'a str>, least: usize) -> usize {
    names.map(|n| n.chars().count()).fold(least, usize::max)
}

/// The scenario's currency as a column heading shows it: " (EUR)", or
/// nothing when the scenario names none.
pub fn currency(scenario: &Scenario) -> String {
    scenario
        .currency
        .as_ref()
        .map_or(String::new(), |c| format!(" ({c})"))
}

/// A count that may be fractional (agents on duty with shifts prorated):
/// whole numbers print as whole numbers.
fn whole(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// Each channel's slots in use, "voice 70.1%, chat 61.0%", for the
/// channels agents have capacity on.
pub fn channel_occupancy(summary: &Summary) -> String {
    summary
        .channel_occupancy
        .iter()
        .map(|(c, e)| format!("{} {}", format!("{c:?}").to_lowercase(), pct(e.mean)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// The time of day `secs` after the day opens at `opens` (seconds after
/// midnight), as "08:30"; past midnight it goes on counting ("25:00").
fn clock(opens: u64, secs: u64) -> String {
    let minutes = opens.saturating_add(secs) / 60;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Prints the study.
pub fn print(name: &str, scenario: &Scenario, s: &Study) {
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
        "As scheduled: service level {} ± {:.1}, abandoned {}, occupancy {} \
         (the share of agents' time on duty spent with at least one contact).",
        pct(b.overall.service_level.mean),
        100.0 * b.overall.service_level.half_width,
        pct(b.overall.abandonment.mean),
        pct(b.occupancy.mean)
    );
    let slots = channel_occupancy(b);
    if !slots.is_empty() {
        say!("Slots in use (busy capacity over capacity on duty, per channel): {slots}.");
    }
    if has_money(scenario) {
        let o = &b.overall;
        say!(
            "Money a day{}: sales {:.0}, less waiting {:.0}, abandonment {:.0} and customers \
             lost {:.0}: {:.0} ± {:.0}.",
            currency(scenario),
            o.revenue.mean,
            o.waiting_cost.mean,
            o.cost.mean - o.waiting_cost.mean,
            o.churn_loss.mean,
            o.net.mean,
            o.net.half_width
        );
    }

    say!("\n1. Erlang's staffing per interval, and what the simulator measures with it");
    say!("   (each queue staffed alone for its own target; load and agents both count heads:");
    say!(
        "   a chat, messaging or e-mail queue's load is its slots' Erlangs over the concurrency)\n"
    );
    say!(
        "   {:>5}  {:>7}  {:>6}  {:>6}  {:>8}  {:>10}  {:>9}  {:>9}  {:>10}  {:>7}",
        "time",
        "Erlangs",
        "agents",
        "agents",
        "promised",
        "simulated",
        "abandoned",
        "scheduled",
        "simulated",
        "waiting"
    );
    say!(
        "   {:>5}  {:>7}  {:>6}  {:>6}  {:>8}  {:>10}  {:>9}  {:>9}  {:>10}  {:>7}",
        "",
        "",
        "Erlang",
        "simul.",
        "Erlang",
        "at Erlang",
        "at Erlang",
        "agents",
        "as sched.",
        "as sched."
    );
    for r in &s.intervals {
        say!(
            "   {:>5}  {:>7.1}  {:>6}  {:>6}  {:>8}  {:>10}  {:>9}  {:>9}  {:>10}  {:>7.1}",
            clock(s.opens_secs, r.start_secs),
            r.erlangs,
            r.erlang_agents,
            r.simulation_agents,
            pct(r.erlang_service_level),
            pct(r.simulated_at_erlang),
            pct(r.abandoned_at_erlang),
            whole(r.scheduled_agents),
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
    let hours = |f: &dyn Fn(&crate::study::IntervalRow) -> u32| -> f64 {
        s.intervals.iter().map(|r| f64::from(f(r))).sum::<f64>() * s.interval_secs as f64 / 3_600.0
    };
    let (by_sim, by_erlang) = (hours(&|r| r.simulation_agents), hours(&|r| r.erlang_agents));
    let sim = &s.at_simulation.overall;
    say!(
        "   Staffed by simulation instead (\"simul.\": each queue's interval moved from Erlang's \
         count until its own contacts meet the target, the real router and the backlog between \
         intervals included; {} simulations of the day, {}): {} agent-hours where Erlang asks {} \
         ({}{}), {} ± {:.1} simulated (abandoned {}).",
        s.simulation_iterations,
        if s.simulation_converged {
            "converged"
        } else {
            "stopped before every interval settled"
        },
        whole(by_sim),
        whole(by_erlang),
        if by_sim >= by_erlang { "+" } else { "" },
        whole(by_sim - by_erlang),
        pct(sim.service_level.mean),
        100.0 * sim.service_level.half_width,
        pct(sim.abandonment.mean)
    );

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
    for (group, count) in &s.kept {
        // What its queues took in: the contacts moved to them.
        let queues: Vec<String> = scenario
            .groups
            .iter()
            .filter(|g| g.name == *group)
            .flat_map(|g| g.profile.entries().iter().map(|e| e.queue))
            .filter(|&id| scenario.streams.iter().all(|st| st.queue != id))
            .filter_map(|id| scenario.queues.iter().find(|q| q.id == id))
            .map(|q| format!("queue {}", q.label()))
            .collect();
        let (moved, answered) = s
            .baseline
            .queue_flows
            .iter()
            .filter(|f| queues.contains(&f.queue))
            .fold((0.0, 0.0), |(m, a), f| {
                (m + f.moved_in.mean, a + f.answered.mean)
            });
        say!(
            "   {group:<40} scheduled {count:>3}, kept: no stream arrives in the queues it serves first; \
             {moved:.1} contacts a day are moved to them, {answered:.1} answered there"
        );
    }

    say!("\n3. Plain FIFO against the lifecycle and sentiment priority, on the same customers\n");
    let cur = currency(scenario);
    let w = width(s.policies.iter().map(|p| p.segment.as_str()), 22);
    let cw = "cost FIFO".len() + cur.len();
    say!(
        "   {:<w$} {:>9} {:>9} {:>15}   {:>8} {:>8}   {:>cw$} {:>cw$} {:>17}",
        "segment",
        "SL FIFO",
        "SL prio",
        "difference",
        "ab. FIFO",
        "ab. prio",
        format!("cost FIFO{cur}"),
        format!("cost prio{cur}"),
        "cost change"
    );
    let row = |p: &crate::study::PolicyRow, label: &str| {
        say!(
            "   {:<w$} {:>9} {:>9} {:>+8.1} ± {:<4.1}   {:>8} {:>8}   {:>cw$.0} {:>cw$.0} {:>+9.0} ± {:<5.0}",
            label,
            pct(p.fifo.0),
            pct(p.priority.0),
            100.0 * p.difference.service_level.mean,
            100.0 * p.difference.service_level.half_width,
            pct(p.fifo.1),
            pct(p.priority.1),
            p.fifo.2,
            p.priority.2,
            p.difference.cost.mean,
            p.difference.cost.half_width,
        );
    };
    for p in s.policies.iter().filter(|p| p.segment != "overall") {
        row(p, &p.segment);
    }
    let day = s.policies.iter().find(|p| p.segment == "overall");
    if let Some(p) = day {
        row(p, "the whole day");
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
    if let Some(p) = day {
        let c = p.difference.cost;
        let unit = cur.replace(['(', ')'], "");
        if c.mean.abs() > c.half_width {
            say!(
                "   Over the day the priority {} {:.0} ± {:.0}{unit} against FIFO ({:.0} against {:.0}).",
                if c.mean < 0.0 { "saves" } else { "costs" },
                c.mean.abs(),
                c.half_width,
                p.priority.2,
                p.fifo.2
            );
        } else {
            say!(
                "   Over the day the two cost the same within the noise ({:+.0} ± {:.0}{unit}).",
                c.mean,
                c.half_width
            );
        }
        if has_money(scenario) {
            let n = p.difference.net;
            say!(
                "   Money made over the day (sales less cost and customers lost): {:.0}{unit} \
                 under the priority against {:.0} under FIFO, {:+.0} ± {:.0}{}.",
                p.net.1,
                p.net.0,
                n.mean,
                n.half_width,
                if n.mean.abs() > n.half_width {
                    ""
                } else {
                    " (within the noise)"
                }
            );
        }
    }

    say!("\n4. The staffing curve: the whole center scaled\n");
    say!(
        "   {:>6}  {:>14}  {:>10}  {:>10}",
        "agents",
        "service level",
        "abandoned",
        format!("cost{cur}")
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
    segments(b, &cur);
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
    if scenario.intervals > 1 {
        out.push(
            "its agents start and stop on the interval's edges, and a queue left at an edge \
             meets new agents"
                .to_owned(),
        );
    }
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

/// Whether the scenario has sales or churn (money beside the costs).
pub fn has_money(scenario: &callroute::sim::Scenario) -> bool {
    scenario
        .streams
        .iter()
        .any(|s| s.conversion.is_some() || s.churn.is_some())
}

/// The per-segment table of a summary.
pub fn segments(summary: &Summary, currency: &str) {
    let w = width(summary.segments.iter().map(|(n, _)| n.as_str()), 26);
    let money = summary
        .segments
        .iter()
        .any(|(_, s)| s.revenue.mean != 0.0 || s.churn_loss.mean != 0.0);
    let extra = if money {
        format!(
            " {:>10} {:>10} {:>10}",
            format!("sales{currency}"),
            format!("lost{currency}"),
            format!("net{currency}")
        )
    } else {
        String::new()
    };
    say!(
        "   {:<w$} {:>8} {:>15} {:>15} {:>8} {:>8} {:>10}{extra}",
        "segment",
        "offered",
        "service level",
        "abandoned",
        "ASA (s)",
        "p90 (s)",
        format!("cost{currency}")
    );
    for (name, s) in &summary.segments {
        if s.offered.mean == 0.0 {
            // A queue no contact arrives in still appears: what it serves
            // is counted where those contacts arrived.
            if name.starts_with("queue ") {
                say!(
                    "   {name:<w$} {:>8} (no arrivals: it serves contacts moved to it, \
                     counted in the queues they arrived in; see below)",
                    0
                );
            }
            continue;
        }
        let extra = if money {
            format!(
                " {:>10.0} {:>10.0} {:>10.0}",
                s.revenue.mean, s.churn_loss.mean, s.net.mean
            )
        } else {
            String::new()
        };
        say!(
            "   {name:<w$} {:>8.0} {:>8.1}% ± {:>4.1} {:>8.1}% ± {:>4.1} {:>8.1} {:>8.1} {:>10.0}{extra}",
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
    flows(summary);
    moves(summary);
}

/// What transfers and redials did, over every contact, where a stream has
/// them.
fn moves(summary: &Summary) {
    let o = &summary.overall;
    if !o.transfer_share.is_nothing() {
        say!(
            "\n   Agents transferred {} ± {:.1} of all answered contacts; they held {:.0} s on \
             average before a second agent answered.",
            pct(o.transfer_share.mean),
            100.0 * o.transfer_share.half_width,
            o.average_transfer_wait.mean
        );
    }
    if !o.redial_share.is_nothing() {
        say!(
            "\n   {} ± {:.1} of all contacts offered were callers trying again after hanging up \
             (redials); each counts as offered again.",
            pct(o.redial_share.mean),
            100.0 * o.redial_share.half_width
        );
    }
}

/// What passed through each queue, when contacts move between queues: a
/// pool fed by escalations shows its work here.
fn flows(summary: &Summary) {
    let moved = summary.queue_flows.iter().any(|f| f.moved_in.mean > 0.0);
    if !moved {
        return;
    }
    let w = width(summary.queue_flows.iter().map(|f| f.queue.as_str()), 26);
    say!("\n   Contacts moving between queues (escalation, overflow, transfer), per day:");
    say!(
        "   {:<w$} {:>8} {:>9} {:>15}",
        "queue",
        "arrived",
        "moved in",
        "answered there"
    );
    for f in &summary.queue_flows {
        let arrived = summary
            .segments
            .iter()
            .find(|(n, _)| *n == f.queue)
            .map_or(0.0, |(_, s)| s.offered.mean);
        say!(
            "   {:<w$} {:>8.1} {:>9.1} {:>15.1}",
            f.queue,
            arrived,
            f.moved_in.mean,
            f.answered.mean
        );
    }
}
