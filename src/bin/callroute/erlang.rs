//! `callroute erlang`: the analyst's everyday calculator, without a
//! scenario file.

use crate::outputs::Outputs;
use crate::report::pct;
use callroute::staffing::{
    ErlangA, ErlangC, Load, ServiceLevelDefinition, StaffingError, Targets, fewest_agents,
    fewest_agents_with_abandonment,
};
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Args)]
pub struct ErlangArgs {
    /// Calls offered per --per.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    calls: f64,
    /// The period the calls arrive in ("1h", "30m", "15m").
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = duration_secs)]
    per: f64,
    /// The average handle time ("3m", "180s", or seconds).
    #[arg(long, value_name = "DURATION", value_parser = duration_secs)]
    handle: f64,
    /// The service-level target: the share answered within --within
    /// ("0.8" or "80%").
    #[arg(long, value_name = "SHARE", default_value = "80%", value_parser = share)]
    service_level: f64,
    /// The service-level threshold.
    #[arg(long, value_name = "DURATION", default_value = "20s", value_parser = duration_secs)]
    within: f64,
    /// The callers' average patience: adds Erlang A (callers abandon,
    /// exponentially distributed patience). Its service level counts the
    /// answered within the threshold over all offered.
    #[arg(long, value_name = "DURATION", value_parser = duration_secs)]
    patience: Option<f64>,
    /// A table over this range of agents ("10..20", inclusive) instead of
    /// the answer ± 2.
    #[arg(long, value_name = "FROM..TO", value_parser = agent_range)]
    table: Option<(u32, u32)>,
    /// Also write the figures as JSON.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

/// Erlang C's figures at one staffing.
#[derive(Debug, Clone, Serialize)]
pub struct CRow {
    pub agents: u32,
    pub service_level: f64,
    pub prob_wait: f64,
    pub average_speed_of_answer_secs: f64,
    pub occupancy: f64,
}

/// Erlang A's figures at one staffing.
#[derive(Debug, Clone, Serialize)]
pub struct ARow {
    pub agents: u32,
    pub service_level: f64,
    pub prob_abandon: f64,
    pub average_speed_of_answer_secs: f64,
    pub occupancy: f64,
}

/// What `--json` writes.
#[derive(Debug, Clone, Serialize)]
pub struct Calculation {
    pub erlangs: f64,
    pub erlang_c_agents: u32,
    pub erlang_a_agents: Option<u32>,
    /// Erlang C per staffing of the table; staffings at or below the load
    /// are unstable and left out.
    pub erlang_c: Vec<CRow>,
    pub erlang_a: Vec<ARow>,
}

/// A duration with units ("20s", "1m30s", "2h"), or plain seconds.
fn duration_secs(text: &str) -> Result<f64, String> {
    if let Ok(secs) = text.parse::<f64>() {
        return if secs.is_finite() && secs >= 0.0 {
            Ok(secs)
        } else {
            Err(format!("`{text}` is not a duration"))
        };
    }
    humantime::parse_duration(text)
        .map(|d| d.as_secs_f64())
        .map_err(|e| format!("`{text}` is not a duration ({e}; write for example 20s, 3m, 1h)"))
}

/// A share: "0.8" or "80%".
fn share(text: &str) -> Result<f64, String> {
    let (number, scale) = match text.strip_suffix('%') {
        Some(n) => (n, 100.0),
        None => (text, 1.0),
    };
    number
        .trim()
        .parse::<f64>()
        .map(|v| v / scale)
        .ok()
        .filter(|v| (0.0..=1.0).contains(v))
        .ok_or_else(|| format!("`{text}` is not a share between 0 and 1 (or 0% and 100%)"))
}

/// An inclusive range of agents, "FROM..TO".
fn agent_range(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("`{text}` is not a range of agents such as 10..20");
    let (a, b) = text.split_once("..").ok_or_else(bad)?;
    let a: u32 = a.trim().parse().map_err(|_| bad())?;
    let b: u32 = b.trim().parse().map_err(|_| bad())?;
    if a > b || b - a > 1_000 {
        return Err(format!(
            "`{text}`: the range must run upwards, over at most 1,000 agents"
        ));
    }
    Ok((a, b))
}

/// The calculation the flags ask for.
pub fn calculate(a: &ErlangArgs) -> Result<Calculation, StaffingError> {
    let per_hour = a.calls * 3600.0 / a.per;
    let load = Load::from_rate(per_hour, a.handle)?;
    let targets = Targets::new().service_level(a.service_level, a.within)?;
    let c_needed = fewest_agents(load, a.handle, &targets)?;
    let a_needed = a
        .patience
        .map(|p| fewest_agents_with_abandonment(load, a.handle, p, &targets))
        .transpose()?;
    let (from, to) = a.table.unwrap_or_else(|| {
        let low = a_needed.map_or(c_needed, |n| n.min(c_needed));
        let high = a_needed.map_or(c_needed, |n| n.max(c_needed));
        (low.saturating_sub(2), high.saturating_add(2))
    });
    let mut erlang_c = Vec::new();
    let mut erlang_a = Vec::new();
    for n in from..=to {
        match ErlangC::new(n, load, a.handle) {
            Ok(q) => erlang_c.push(CRow {
                agents: n,
                service_level: q.service_level(a.within)?,
                prob_wait: q.prob_wait(),
                average_speed_of_answer_secs: q.average_speed_of_answer(),
                occupancy: q.occupancy(),
            }),
            Err(StaffingError::Unstable { .. }) => {}
            Err(e) => return Err(e),
        }
        if let Some(p) = a.patience {
            let q = ErlangA::new(n, load, a.handle, p)?;
            erlang_a.push(ARow {
                agents: n,
                service_level: q.service_level(a.within, ServiceLevelDefinition::OfOffered)?,
                prob_abandon: q.prob_abandon(),
                average_speed_of_answer_secs: q.average_speed_of_answer(),
                occupancy: q.occupancy(),
            });
        }
    }
    Ok(Calculation {
        erlangs: load.erlangs(),
        erlang_c_agents: c_needed,
        erlang_a_agents: a_needed,
        erlang_c,
        erlang_a,
    })
}

/// A duration as a person writes it: "20s", "3m", "1m30s".
fn span(secs: f64) -> String {
    if secs.fract() == 0.0 && secs < 1e9 {
        humantime::format_duration(std::time::Duration::from_secs(secs as u64)).to_string()
    } else {
        format!("{secs}s")
    }
}

pub fn run(a: &ErlangArgs) -> Result<(), String> {
    let outputs = Outputs::check(None, a.json.as_deref())?;
    if !(a.calls.is_finite() && a.calls >= 0.0) {
        return Err(format!("--calls: `{}` is not a number of calls", a.calls));
    }
    if a.per <= 0.0 {
        return Err("--per: the period must be longer than 0 s".into());
    }
    let c = calculate(a).map_err(|e| e.to_string())?;
    say!(
        "{} calls per {} of {} each: {:.2} Erlangs. Target: {} answered within {}.",
        a.calls,
        span(a.per),
        span(a.handle),
        c.erlangs,
        pct(a.service_level),
        span(a.within)
    );
    say!(
        "\nErlang C (callers wait as long as it takes): {} agents.",
        c.erlang_c_agents
    );
    if let (Some(n), Some(p)) = (c.erlang_a_agents, a.patience) {
        say!(
            "Erlang A (callers abandon after {} on average): {n} agents.",
            span(p)
        );
    }
    say!();
    let with_a = a.patience.is_some();
    let mut head = format!(
        "{:>7}   {:>13} {:>8} {:>8} {:>9}",
        "agents", "C: serv. lev.", "P(wait)", "ASA (s)", "occupancy"
    );
    if with_a {
        head.push_str(&format!(
            "   {:>13} {:>9} {:>8} {:>9}",
            "A: serv. lev.", "abandoned", "ASA (s)", "occupancy"
        ));
    }
    say!("{head}");
    let (from, to) = match (c.erlang_c.first(), c.erlang_a.first()) {
        (_, Some(r)) => (r.agents, c.erlang_a.last().map_or(r.agents, |l| l.agents)),
        (Some(r), None) => (r.agents, c.erlang_c.last().map_or(r.agents, |l| l.agents)),
        (None, None) => (1, 0),
    };
    for n in from..=to {
        let mark = match (n == c.erlang_c_agents, Some(n) == c.erlang_a_agents) {
            (true, true) => "  ← Erlang C and A",
            (true, false) => "  ← Erlang C",
            (false, true) => "  ← Erlang A",
            (false, false) => "",
        };
        let mut line = match c.erlang_c.iter().find(|r| r.agents == n) {
            Some(r) => format!(
                "{n:>7}   {:>13} {:>8} {:>8.1} {:>9}",
                pct(r.service_level),
                pct(r.prob_wait),
                r.average_speed_of_answer_secs,
                pct(r.occupancy)
            ),
            None => format!("{n:>7}   {:>13} {:>8} {:>8} {:>9}", "unstable", "", "", ""),
        };
        if let Some(r) = c.erlang_a.iter().find(|r| r.agents == n) {
            line.push_str(&format!(
                "   {:>13} {:>9} {:>8.1} {:>9}",
                pct(r.service_level),
                pct(r.prob_abandon),
                r.average_speed_of_answer_secs,
                pct(r.occupancy)
            ));
        }
        say!("{line}{mark}");
    }
    say!("\n← the fewest agents meeting the target.");
    outputs.write_json(&c)
}
