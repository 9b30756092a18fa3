//! The staffing study: what a scenario's staffing achieves, what Erlang's
//! formulas would staff per interval and how that staffing really does,
//! the staffing per interval found by simulation, the fewest agents per
//! team that meet per-stage targets, plain FIFO against the lifecycle and
//! sentiment priority, and the staffing curve.
//!
//! Shared by the program's `study` and the integration test that runs the
//! default study; it prints nothing (see `report.rs` and `charts.rs`).

use callroute::sim::{
    CurvePoint, Difference, IntervalCell, Report, Scenario, SegmentTarget, Summary,
    VerifiedSchedule, WaitHistogram, compare_reports, fewest_agents_by, iterative_staffing,
    replicate, run_replications, search_runs, verified_schedule,
};
use callroute::staffing::{
    ErlangA, ErlangC, Load, ServiceLevelDefinition, Targets, fewest_agents,
    fewest_agents_with_abandonment, fewest_chat_agents,
};
use callroute::{Channel, LifecycleStage, PriorityWeights, QueueId};
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};

/// The default scenario, embedded: the commented file of
/// `examples/scenarios/`.
pub const DEFAULT_SCENARIO: &str = include_str!("../../../examples/scenarios/default_center.toml");

/// The service level each stage should reach (of its contacts, within their
/// queue's threshold): purchase and loyalty calls matter most, discovery
/// questions can wait a little.
pub const STAGE_TARGETS: [(LifecycleStage, f64); 5] = [
    (LifecycleStage::Discovery, 0.7),
    (LifecycleStage::Acquisition, 0.8),
    (LifecycleStage::Conversion, 0.9),
    (LifecycleStage::Retention, 0.8),
    (LifecycleStage::Loyalty, 0.9),
];

/// The staffings of the curve: the center's head count from 20% below to
/// 20% above in nine steps of 5% (of at least one agent, so every point
/// is a distinct staffing however small the center), split among the
/// groups in proportion to their counts.
pub fn curve_staffings(scenario: &Scenario) -> Vec<u32> {
    let total: u32 = scenario.groups.iter().map(|g| g.count).sum();
    let step = (f64::from(total) * 0.05).round().max(1.0) as i64;
    (-4..=4)
        .filter_map(|k| u32::try_from(i64::from(total) + k * step).ok())
        .filter(|&n| n > 0)
        .collect()
}

/// The most simulations of the whole day the staffing per interval by
/// simulation makes (each of every replication).
pub const INTERVAL_ITERATIONS: u32 = 30;

/// Any error of the study, as a message naming its cause.
pub type StudyError = String;

/// What the study reports to a progress display.
pub trait Progress: Sync {
    /// A new phase of `runs` simulation runs begins (0 when unknown).
    fn phase(&self, name: &str, runs: u64);
    /// One run ended.
    fn tick(&self);
}

/// One interval: Erlang's staffing of each queue on its own, the service
/// level Erlang promises with it, and what the simulator measures with the
/// same staffing and with the scenario's own.
#[derive(Debug, Clone, Serialize)]
pub struct IntervalRow {
    /// Start of the interval, seconds from the start of the day.
    pub start_secs: u64,
    /// Offered load over all queues, Erlangs (a concurrent channel's slots
    /// divided by its concurrency: in heads).
    pub erlangs: f64,
    /// Agents Erlang asks for, over all queues (each queue staffed alone).
    pub erlang_agents: u32,
    /// The service level Erlang promises with them (arrival-weighted).
    pub erlang_service_level: f64,
    /// The simulated service level with Erlang's staffing.
    pub simulated_at_erlang: f64,
    /// The simulated abandonment with Erlang's staffing.
    pub abandoned_at_erlang: f64,
    /// Agents the staffing by simulation asks for, over all queues (each
    /// queue's interval moved until its contacts meet its target).
    pub simulation_agents: u32,
    /// The simulated service level with them.
    pub simulated_at_simulation: f64,
    /// Agents on duty in the scenario (after shrinkage, shifts prorated).
    pub scheduled_agents: f64,
    /// The simulated service level with the scenario's staffing.
    pub simulated_as_scheduled: f64,
    /// The mean queue length with the scenario's staffing.
    pub queue_length_as_scheduled: f64,
}

/// The fewest agents of one team that meet its streams' stage targets.
#[derive(Debug, Clone, Serialize)]
pub struct TeamResult {
    /// The first queue the team is the team of.
    pub queue: QueueId,
    /// Its groups' names.
    pub groups: Vec<String>,
    /// Its head count in the scenario.
    pub scheduled: u32,
    /// The fewest that meet the targets (with the teams searched before it
    /// at their fewest).
    pub needed: u32,
    /// The targets: segment and share.
    pub targets: Vec<(String, f64)>,
    /// The service level each target segment reaches with `needed`.
    pub reached: Vec<f64>,
}

/// One segment under FIFO and under the lifecycle and sentiment priority.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyRow {
    /// The segment (`stage purchase`, `mood negative`, ..., and `overall`:
    /// the whole day).
    pub segment: String,
    /// Service level, abandonment and cost under FIFO.
    pub fifo: (f64, f64, f64),
    /// The same under the priority.
    pub priority: (f64, f64, f64),
    /// The money made (revenue less cost and churn loss) under FIFO and
    /// under the priority.
    pub net: (f64, f64),
    /// Priority − FIFO, paired on the same customers.
    pub difference: Difference,
    /// Why they differ, when they do beyond the noise.
    pub why: Option<String>,
}

/// What became of each stage's contacts while they waited (the scenario
/// as scheduled, every replication): of the contacts that left the queue,
/// the share answered and the share abandoned by each time.
#[derive(Debug, Clone, Serialize)]
pub struct Waits {
    /// Where the times end: past the wait by which 99% of every stage's
    /// contacts had left, rounded up (at least a minute), seconds.
    pub axis_secs: f64,
    /// The times, seconds from 1 to `axis_secs` (the wait histogram's bin
    /// edges: every second up to ten minutes, coarser beyond).
    pub secs: Vec<f64>,
    /// Per stage with contacts that left.
    pub stages: Vec<StageWaits>,
}

/// One stage's waits.
#[derive(Debug, Clone, Serialize)]
pub struct StageWaits {
    /// The stage's segment (`stage purchase`).
    pub stage: String,
    /// For each of [`Waits::secs`], the share of the stage's contacts
    /// that left the queue that were answered after waiting less.
    pub answered: Vec<f64>,
    /// The same for the abandoned: by the last time the two add up to
    /// about 99% or more.
    pub abandoned: Vec<f64>,
}

/// Everything the study found.
#[derive(Debug, Clone, Serialize)]
pub struct Study {
    /// The seed and the replications of every figure.
    pub seed: u64,
    /// Replications per simulated configuration.
    pub replications: u32,
    /// Length of an interval, seconds.
    pub interval_secs: u64,
    /// When the day opens, seconds after midnight.
    pub opens_secs: u64,
    /// The scenario's head count (the staffing curve's own point).
    pub scheduled: u32,
    /// Each queue's service-level target: its name, the share and the
    /// threshold in seconds.
    pub targets: Vec<(String, f64, f64)>,
    /// The scenario as given.
    pub baseline: Summary,
    /// What became of each stage's contacts while they waited, as
    /// scheduled.
    pub waits: Waits,
    /// Per interval: Erlang against the simulator.
    pub intervals: Vec<IntervalRow>,
    /// The whole day staffed by Erlang, simulated.
    pub at_erlang: Summary,
    /// The whole day staffed by simulation, interval by interval (Erlang's
    /// staffing moved until every queue's interval meets its target).
    pub at_simulation: Summary,
    /// The simulations that staffing took, and whether it converged
    /// within [`INTERVAL_ITERATIONS`].
    pub simulation_iterations: u32,
    /// See `simulation_iterations`.
    pub simulation_converged: bool,
    /// The fewest agents per team.
    pub teams: Vec<TeamResult>,
    /// Groups no target applies to (they serve queues no stream arrives
    /// in, such as a supervisors' pool fed by escalations), kept as
    /// scheduled: each with its head count.
    pub kept: Vec<(String, u32)>,
    /// FIFO against the priority, per segment.
    pub policies: Vec<PolicyRow>,
    /// The staffing curve: the whole center scaled.
    pub curve: Vec<CurvePoint>,
}

/// Reads a scenario from TOML, or JSON when `json` is set; the error names
/// the field and its place in the text.
pub fn parse_scenario(text: &str, json: bool) -> Result<Scenario, StudyError> {
    let scenario: Scenario = if json {
        serde_json::from_str(text).map_err(|e| e.to_string())?
    } else {
        toml::from_str(text).map_err(|e| toml_message(text, &e))?
    };
    scenario.validate().map_err(|e| e.to_string())?;
    Ok(scenario)
}

/// A TOML error as one readable block: the place and the message on the
/// first line, then the line of the file with the spot marked.
fn toml_message(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim();
    let Some(span) = e.span() else {
        return message.to_owned();
    };
    let before = text.get(..span.start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let source = text.lines().nth(line - 1).unwrap_or("");
    let marked = text
        .get(span)
        .and_then(|s| s.lines().next())
        .map_or(1, |s| s.chars().count().max(1));
    let gutter = " ".repeat(line.to_string().len());
    format!(
        "line {line}, column {column}: {message}\n  {line} | {source}\n  {gutter} | {}{}",
        " ".repeat(column - 1),
        "^".repeat(marked)
    )
}

/// Where the study's runs of the day come from: simulated here, or shared
/// with other processes through a directory (`shared.rs`). Either way a
/// run is replication `r` of a scenario from the study's seed, so the
/// study is the same whoever ran it.
pub trait Runs: Sync {
    /// The reports of replications `0..replications` of `scenario` from
    /// `seed`, in order, ticking `progress` once per replication.
    fn reports(
        &self,
        scenario: &Scenario,
        seed: u64,
        replications: u32,
        progress: &dyn Progress,
    ) -> Result<Vec<Report>, StudyError>;
}

/// Every run simulated in this process.
pub struct Here;

impl Runs for Here {
    fn reports(
        &self,
        scenario: &Scenario,
        seed: u64,
        replications: u32,
        progress: &dyn Progress,
    ) -> Result<Vec<Report>, StudyError> {
        run_replications(scenario, seed, 0..replications, &|| progress.tick())
            .map_err(|e| e.to_string())
    }
}

/// The runs of `runs`, with those of staffings the study asks for again
/// handed out once more instead of simulated anew: a search for a team's
/// fewest agents starts from the staffing as it stands (the scenario's, or
/// the team searched before at its fewest), the staffing curve passes the
/// scenario's own head count, and the staffing by simulation starts from
/// Erlang's. Kept: the scenario's and Erlang's staffings, and the last
/// [`Reuse::RECENT`] others asked for. The same runs either way, so the
/// study is unchanged, only sooner.
struct Reuse<'a> {
    runs: &'a dyn Runs,
    kept: std::sync::Mutex<Kept>,
}

/// What [`Reuse`] holds: staffings kept for the whole study, and the most
/// recent others, newest last.
#[derive(Default)]
struct Kept {
    always: Vec<(Scenario, Vec<Report>)>,
    recent: std::collections::VecDeque<(Scenario, Vec<Report>)>,
}

impl Kept {
    fn find(&self, scenario: &Scenario, replications: u32) -> Option<&Vec<Report>> {
        self.always
            .iter()
            .chain(&self.recent)
            .find(|(s, r)| s == scenario && r.len() == replications as usize)
            .map(|(_, r)| r)
    }
}

impl<'a> Reuse<'a> {
    /// How many staffings beyond the two kept for the study are kept.
    const RECENT: usize = 4;

    fn new(runs: &'a dyn Runs) -> Self {
        Reuse {
            runs,
            kept: std::sync::Mutex::new(Kept::default()),
        }
    }

    /// The reports of `scenario` (see [`Runs::reports`]), kept for the
    /// whole study.
    fn keep(
        &self,
        scenario: &Scenario,
        seed: u64,
        replications: u32,
        progress: &dyn Progress,
    ) -> Result<Vec<Report>, StudyError> {
        let reports = self.reports(scenario, seed, replications, progress)?;
        if let Ok(mut kept) = self.kept.lock() {
            kept.always.push((scenario.clone(), reports.clone()));
        }
        Ok(reports)
    }
}

impl Runs for Reuse<'_> {
    fn reports(
        &self,
        scenario: &Scenario,
        seed: u64,
        replications: u32,
        progress: &dyn Progress,
    ) -> Result<Vec<Report>, StudyError> {
        let found = self
            .kept
            .lock()
            .ok()
            .and_then(|k| k.find(scenario, replications).cloned());
        if let Some(reports) = found {
            for _ in 0..replications {
                progress.tick();
            }
            return Ok(reports);
        }
        let reports = self.runs.reports(scenario, seed, replications, progress)?;
        if let Ok(mut kept) = self.kept.lock() {
            if kept.recent.len() == Self::RECENT {
                kept.recent.pop_front();
            }
            kept.recent.push_back((scenario.clone(), reports.clone()));
        }
        Ok(reports)
    }
}

fn summary(reports: &[Report]) -> Result<Summary, StudyError> {
    Summary::of(reports).map_err(|e| e.to_string())
}

/// Runs the whole study, its runs of the day from `runs`.
pub fn run(
    scenario: &Scenario,
    seed: u64,
    replications: u32,
    runs: &dyn Runs,
    progress: &dyn Progress,
) -> Result<Study, StudyError> {
    let reuse = Reuse::new(runs);
    let runs: &dyn Runs = &reuse;
    let reports = |s: &Scenario| runs.reports(s, seed, replications, progress);
    let reps = u64::from(replications);
    progress.phase("the scenario as scheduled", reps);
    let base_reports = reuse.keep(scenario, seed, replications, progress)?;
    let baseline = summary(&base_reports)?;

    progress.phase("Erlang's staffing", reps);
    let plan = erlang_plan(scenario)?;
    let at_erlang = summary(&reuse.keep(&plan.scenario, seed, replications, progress)?)?;

    let by_simulation = bounded_search(
        (
            "the staffing per interval by simulation",
            "the staffing per interval by simulation",
        ),
        reps * u64::from(INTERVAL_ITERATIONS),
        (runs, seed, replications, progress),
        |evaluate| iterative_staffing(&plan.scenario, &plan.cells, INTERVAL_ITERATIONS, evaluate),
    )?;
    let intervals = interval_rows(scenario, &plan, &baseline, &at_erlang, &by_simulation);

    progress.phase("plain FIFO", reps);
    let mut fifo = scenario.clone();
    fifo.router.weights = PriorityWeights::fifo();
    let fifo_reports = reports(&fifo)?;
    let policies = policy_rows(scenario, &fifo_reports, &base_reports)?;

    let staffings = curve_staffings(scenario);
    progress.phase("the staffing curve", reps * staffings.len() as u64);
    let everyone: Vec<usize> = (0..scenario.groups.len()).collect();
    let mut curve = Vec::new();
    for agents in staffings {
        let s = scenario
            .with_team(&everyone, agents)
            .map_err(|e| e.to_string())?;
        let summary = summary(&reports(&s)?)?;
        curve.push(CurvePoint { agents, summary });
    }

    let teams = self::teams(scenario);
    let searched: Vec<usize> = teams.iter().flat_map(|t| t.1.iter().copied()).collect();
    let teams = fewest_per_team(scenario, teams, seed, replications, runs, progress)?;
    let kept = scenario
        .groups
        .iter()
        .enumerate()
        .filter(|(i, _)| !searched.contains(i))
        .map(|(_, g)| (g.name.clone(), g.count))
        .collect();
    Ok(Study {
        seed,
        replications,
        interval_secs: scenario.interval_secs,
        opens_secs: scenario.opens_secs,
        scheduled: scenario.groups.iter().map(|g| g.count).sum(),
        targets: queue_targets(scenario),
        waits: stage_waits(&base_reports),
        baseline,
        intervals,
        at_erlang,
        simulation_iterations: by_simulation.iterations,
        simulation_converged: by_simulation.converged,
        at_simulation: by_simulation.summary,
        teams,
        kept,
        policies,
        curve,
    })
}

/// Erlang's staffing of the day: per queue and interval, the fewest agents
/// meeting the queue's service-level target, and the scenario staffed that
/// way (one group per queue and interval, on duty for that interval only,
/// with the skills and capacity of the queue's first team). Queues no
/// stream arrives in (a supervisors' pool fed by escalations) keep the
/// scenario's own groups.
struct ErlangPlan {
    scenario: Scenario,
    /// Its groups of one queue and interval, each with the queue's
    /// target: what the staffing by simulation moves.
    cells: Vec<IntervalCell>,
    /// Per interval: agents over all queues, the load, and the promised
    /// service level weighted by arrivals.
    per_interval: Vec<(u32, f64, f64)>,
}

impl ErlangPlan {
    /// Erlang's count of each cell.
    fn counts(&self) -> Vec<u32> {
        self.cells
            .iter()
            .map(|c| self.scenario.groups.get(c.group).map_or(0, |g| g.count))
            .collect()
    }
}

fn erlang_plan(scenario: &Scenario) -> Result<ErlangPlan, StudyError> {
    let n = scenario.intervals as usize;
    let len = scenario.interval_secs;
    let mut plan = scenario.clone();
    plan.groups.clear();
    // Its groups are Erlang's, not the rosters' to plan.
    plan.rosters.clear();
    let mut per_interval = vec![(0u32, 0.0f64, 0.0f64); n];
    let mut weight = vec![0.0f64; n];
    let mut cells = Vec::new();
    for q in &scenario.queues {
        let streams: Vec<_> = scenario
            .streams
            .iter()
            .filter(|s| s.queue == q.id)
            .collect();
        let members = team(scenario, q.id);
        if q.outbound.is_some() {
            // Outbound tasks wait for idle agents: no service-level target
            // of inbound service to staff for.
            continue;
        }
        if streams.is_empty() {
            plan.groups.extend(
                members
                    .iter()
                    .filter_map(|&g| scenario.groups.get(g))
                    .cloned(),
            );
            continue;
        }
        let Some(team) = members.first().and_then(|&g| scenario.groups.get(g)) else {
            return Err(format!("no group serves queue {}", q.id));
        };
        let rates: Vec<Vec<f64>> = streams.iter().map(|s| scenario.hourly_rates(s)).collect();
        // Contacts of one channel an agent holds several of at once (chat,
        // messaging, e-mail) are staffed as slots of that concurrency.
        let channel = streams.first().map_or(Channel::Voice, |s| s.channel);
        let concurrency = if streams.iter().all(|s| s.channel == channel) {
            u32::from(team.capacity.limit(channel)).max(1)
        } else {
            1
        };
        let chat = concurrency > 1;
        let share = q.service_level.share();
        let within = q.service_level.within().as_millis() as f64 / 1_000.0;
        let targets = Targets::new()
            .service_level(share, within)
            .map_err(|e| e.to_string())?
            .counting(ServiceLevelDefinition::OfOffered);
        for k in 0..n {
            let per_hour: f64 = rates.iter().filter_map(|r| r.get(k)).sum();
            if per_hour <= 0.0 {
                continue;
            }
            let mean = |f: &dyn Fn(&callroute::sim::Stream) -> Option<f64>| {
                let (mut sum, mut w) = (0.0, 0.0);
                for (s, r) in streams.iter().zip(&rates) {
                    if let (Some(v), Some(rate)) = (f(s), r.get(k)) {
                        sum += v * rate;
                        w += rate;
                    }
                }
                (w > 0.0).then(|| sum / w)
            };
            let handle = mean(&|s| Some(s.handle.mean())).unwrap_or(1.0);
            let patience = mean(&|s| s.patience.as_ref().map(|p| p.mean()));
            let load = Load::from_rate(per_hour, handle).map_err(|e| e.to_string())?;
            let (agents, promised) = if chat {
                let agents = fewest_chat_agents(load, handle, concurrency, patience, &targets)
                    .map_err(|e| e.to_string())?;
                let slots = agents * concurrency;
                (agents, promise(slots, load, handle, patience, within)?)
            } else {
                let agents = match patience {
                    Some(p) => fewest_agents_with_abandonment(load, handle, p, &targets),
                    None => fewest_agents(load, handle, &targets),
                }
                .map_err(|e| e.to_string())?;
                (agents, promise(agents, load, handle, patience, within)?)
            };
            if let Some(row) = per_interval.get_mut(k) {
                row.0 += agents;
                row.1 += load.erlangs() / if chat { f64::from(concurrency) } else { 1.0 };
                row.2 += promised * per_hour;
            }
            if let Some(w) = weight.get_mut(k) {
                *w += per_hour;
            }
            let mut g = team.clone();
            g.name = format!("erlang {} #{k}", q.id);
            g.count = agents;
            g.shrinkage = 0.0;
            g.profile = callroute::RoutingProfile::new().serve(q.id, 1);
            let start = k as u64 * len;
            g.shifts = vec![callroute::sim::Shift {
                start_secs: start,
                end_secs: start + len,
            }];
            cells.push(IntervalCell {
                group: plan.groups.len(),
                queue: q.id,
                interval: k as u32,
                service_level: share,
            });
            plan.groups.push(g);
        }
    }
    for (row, w) in per_interval.iter_mut().zip(weight) {
        if w > 0.0 {
            row.2 /= w;
        }
    }
    Ok(ErlangPlan {
        scenario: plan,
        cells,
        per_interval,
    })
}

/// The service level Erlang promises with `agents` (Erlang A with a
/// patience, Erlang C without; 0 when Erlang C is unstable).
fn promise(
    agents: u32,
    load: Load,
    handle: f64,
    patience: Option<f64>,
    within: f64,
) -> Result<f64, StudyError> {
    match patience {
        Some(p) => ErlangA::new(agents, load, handle, p)
            .and_then(|q| q.service_level(within, ServiceLevelDefinition::OfOffered))
            .map_err(|e| e.to_string()),
        None => Ok(ErlangC::new(agents, load, handle)
            .and_then(|q| q.service_level(within))
            .unwrap_or(0.0)),
    }
}

fn interval_rows(
    scenario: &Scenario,
    plan: &ErlangPlan,
    baseline: &Summary,
    at_erlang: &Summary,
    by_simulation: &callroute::sim::IterativeStaffing,
) -> Vec<IntervalRow> {
    plan.per_interval
        .iter()
        .enumerate()
        .map(|(k, &(agents, erlangs, promised))| {
            let sim = at_erlang.intervals.get(k);
            let base = baseline.intervals.get(k);
            let simulation_agents = plan
                .cells
                .iter()
                .zip(&by_simulation.counts)
                .filter(|(c, _)| c.interval as usize == k)
                .map(|(_, n)| n)
                .sum();
            IntervalRow {
                start_secs: k as u64 * scenario.interval_secs,
                erlangs,
                erlang_agents: agents,
                erlang_service_level: promised,
                simulated_at_erlang: sim.map_or(0.0, |s| s.service_level.mean),
                abandoned_at_erlang: sim.map_or(0.0, |s| s.abandonment.mean),
                simulation_agents,
                simulated_at_simulation: by_simulation
                    .summary
                    .intervals
                    .get(k)
                    .map_or(0.0, |s| s.service_level.mean),
                scheduled_agents: scenario.agents_on_duty(k as u32),
                simulated_as_scheduled: base.map_or(0.0, |s| s.service_level.mean),
                queue_length_as_scheduled: baseline
                    .interval_queue_length
                    .get(k)
                    .map_or(0.0, |e| e.mean),
            }
        })
        .collect()
}

/// FIFO against the priority on the stage and mood segments, with the
/// reason for each difference beyond the noise.
fn policy_rows(
    scenario: &Scenario,
    fifo: &[Report],
    priority: &[Report],
) -> Result<Vec<PolicyRow>, StudyError> {
    let diffs = compare_reports(fifo, priority).map_err(|e| e.to_string())?;
    let (sa, sb) = (summary(fifo)?, summary(priority)?);
    let w = &scenario.router.weights;
    let offered: f64 = sb
        .segments
        .iter()
        .filter(|(n, _)| n.starts_with("stage "))
        .map(|(_, s)| s.offered.mean)
        .sum();
    let mean_stage_weight: f64 = STAGE_TARGETS
        .iter()
        .map(|&(stage, _)| {
            let n = sb
                .segments
                .iter()
                .find(|(name, _)| *name == format!("stage {stage}"))
                .map_or(0.0, |(_, s)| s.offered.mean);
            w.stage.get(stage) * n
        })
        .sum::<f64>()
        / offered.max(1.0);
    let mut rows = Vec::new();
    for ((name, d), ((_, a), (_, b))) in diffs.iter().zip(sa.segments.iter().zip(&sb.segments)) {
        let stage = STAGE_TARGETS
            .iter()
            .map(|&(s, _)| s)
            .find(|s| *name == format!("stage {s}"));
        let overall = name == "overall";
        if stage.is_none() && !name.starts_with("mood ") && !overall || b.offered.mean == 0.0 {
            continue;
        }
        let sl = d.service_level;
        // The day as a whole is the total row, its reasons are the others'.
        let beyond_noise = !overall && sl.mean.abs() > sl.half_width;
        let why = beyond_noise.then(|| {
            let gains = sl.mean > 0.0;
            let verb = if gains { "gains" } else { "loses" };
            let reason = match stage {
                Some(s) => {
                    let weight = w.stage.get(s);
                    let above = weight > mean_stage_weight;
                    if above == gains {
                        let side = if above { "above" } else { "below" };
                        format!(
                            "its stage weight, {weight:.0} points, is {side} the center's \
                             arrival-weighted mean of {mean_stage_weight:.0}"
                        )
                    } else {
                        format!(
                            "not from its own stage weight ({weight:.0} points against a mean \
                             of {mean_stage_weight:.0}) but through agents it shares with \
                             other stages"
                        )
                    }
                }
                None if name.ends_with("negative") && gains => format!(
                    "upset callers are lifted {:.0} points per unit of negative sentiment",
                    w.upset
                ),
                None => "through the mix of stages of its callers, which the stage \
                         weights move"
                    .to_owned(),
            };
            format!(
                "{name} {verb} {:.1} points of service level: {reason}",
                100.0 * sl.mean.abs()
            )
        });
        rows.push(PolicyRow {
            segment: name.clone(),
            fifo: (a.service_level.mean, a.abandonment.mean, a.cost.mean),
            priority: (b.service_level.mean, b.abandonment.mean, b.cost.mean),
            net: (a.net.mean, b.net.mean),
            difference: *d,
            why,
        });
    }
    Ok(rows)
}

/// The team of queue `queue`: the groups that serve it at the best rank
/// any group serves it (indexes into the scenario's groups).
fn team(scenario: &Scenario, queue: QueueId) -> Vec<usize> {
    let rank = |g: &callroute::sim::AgentGroup| {
        g.profile
            .entries()
            .iter()
            .filter(|e| e.queue == queue)
            .map(|e| e.rank)
            .min()
    };
    let best = scenario.groups.iter().filter_map(rank).min();
    scenario
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| best.is_some() && rank(g) == best)
        .map(|(i, _)| i)
        .collect()
}

/// The largest team the search for the fewest agents tries, for a team
/// scheduled at `scheduled`.
fn search_limit(scheduled: u32) -> u32 {
    scheduled.saturating_mul(3).max(20)
}

/// The teams of `scenario` and their targets: the team of each queue (see
/// [`team`]), with the stage targets of the streams of every queue it is
/// the team of, in the order of their first queue.
fn teams(scenario: &Scenario) -> Vec<(QueueId, Vec<usize>, Vec<SegmentTarget>)> {
    let mut teams: Vec<(QueueId, Vec<usize>, Vec<SegmentTarget>)> = Vec::new();
    for q in &scenario.queues {
        let groups = team(scenario, q.id);
        let targets = stream_targets(scenario, q.id);
        match teams.iter_mut().find(|t| t.1 == groups) {
            Some(t) => t.2.extend(targets),
            None => teams.push((q.id, groups, targets)),
        }
    }
    teams.retain(|t| !t.1.is_empty() && !t.2.is_empty());
    teams
}

/// Each queue's service-level target: its label, the share and the
/// threshold in seconds.
pub fn queue_targets(scenario: &Scenario) -> Vec<(String, f64, f64)> {
    scenario
        .queues
        .iter()
        .map(|q| {
            let t = q.service_level;
            (q.label(), t.share(), t.within().as_secs_f64())
        })
        .collect()
}

/// The stage targets (see [`STAGE_TARGETS`]) of the streams arriving in
/// `queue`, each on its stream's segment.
pub fn stream_targets(scenario: &Scenario, queue: QueueId) -> Vec<SegmentTarget> {
    scenario
        .streams
        .iter()
        .filter(|s| s.queue == queue)
        .map(|s| SegmentTarget {
            segment: format!("stream {}", s.name),
            service_level: STAGE_TARGETS
                .iter()
                .find(|(stage, _)| *stage == s.stage)
                .map_or(0.8, |t| t.1),
        })
        .collect()
}

/// Erlang's agents per interval for each of `queues` (each queue alone,
/// for its own target, as in the study's first section; none where no
/// stream arrives): the requirement a shift schedule starts from.
pub fn erlang_requirements(
    scenario: &Scenario,
    queues: &[QueueId],
) -> Result<Vec<Vec<u32>>, StudyError> {
    let plan = erlang_plan(scenario)?;
    Ok(per_queue(scenario, &plan.cells, &plan.counts(), queues))
}

/// Each roster's queue and its streams' stage targets (see
/// [`stream_targets`]).
pub fn roster_targets(
    scenario: &Scenario,
) -> Result<(Vec<QueueId>, Vec<Vec<SegmentTarget>>), StudyError> {
    let queues: Vec<QueueId> = scenario
        .rosters
        .iter()
        .map(|r| r.model(scenario).map(|(_, q)| q))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let targets = queues
        .iter()
        .map(|&q| stream_targets(scenario, q))
        .collect();
    Ok((queues, targets))
}

/// What `callroute schedule` computes: the rosters planned against
/// Erlang's requirement and simulated once, and the plan checked by
/// simulation: planned against the staffing per interval by simulation
/// (the study's: each queue's interval moved from Erlang's count until its
/// own contacts meet the target), then raised where a target is missed, at
/// most `max_rounds` schedules. Returns Erlang's plan (`first`) and the
/// checked one (`verified`), with the simulations the staffing by
/// simulation took; `on_simulation` hears of every simulation of the day
/// before it runs.
pub fn checked_schedule(
    scenario: &Scenario,
    (seed, replications): (u64, u32),
    max_rounds: u32,
    on_simulation: &dyn Fn(&str),
) -> Result<(VerifiedSchedule, u32), StudyError> {
    let (queues, targets) = roster_targets(scenario)?;
    let evaluate = |what: &'static str| {
        move |s: &Scenario| {
            on_simulation(what);
            replicate(s, seed, replications)
        }
    };
    let erlang = erlang_requirements(scenario, &queues)?;
    let at_erlang = verified_schedule(scenario, &erlang, &targets, 1, evaluate("Erlang's plan"))
        .map_err(|e| e.to_string())?;
    let plan = erlang_plan(scenario)?;
    let by_simulation = iterative_staffing(
        &plan.scenario,
        &plan.cells,
        INTERVAL_ITERATIONS,
        evaluate("the staffing by simulation"),
    )
    .map_err(|e| e.to_string())?;
    let start = per_queue(scenario, &plan.cells, &by_simulation.counts, &queues);
    let mut found = verified_schedule(
        scenario,
        &start,
        &targets,
        max_rounds,
        evaluate("a schedule"),
    )
    .map_err(|e| e.to_string())?;
    found.first = at_erlang.first;
    Ok((found, by_simulation.iterations))
}

/// Per queue of `queues`, per interval: the count of its cell.
fn per_queue(
    scenario: &Scenario,
    cells: &[IntervalCell],
    counts: &[u32],
    queues: &[QueueId],
) -> Vec<Vec<u32>> {
    queues
        .iter()
        .map(|&q| {
            let mut need = vec![0; scenario.intervals as usize];
            for (c, &n) in cells.iter().zip(counts).filter(|(c, _)| c.queue == q) {
                if let Some(slot) = need.get_mut(c.interval as usize) {
                    *slot = n;
                }
            }
            need
        })
        .collect()
}

/// The most runs of the day the study makes: the sections', the staffing
/// per interval by simulation and each team's search at their bounds.
pub fn planned_runs(scenario: &Scenario, replications: u32) -> u64 {
    let sections = (3 + u64::from(INTERVAL_ITERATIONS) + curve_staffings(scenario).len() as u64)
        * u64::from(replications);
    let searches: u64 = teams(scenario)
        .iter()
        .map(|(_, groups, _)| {
            let scheduled = groups
                .iter()
                .filter_map(|&g| scenario.groups.get(g).map(|x| x.count))
                .sum();
            search_runs(scheduled, search_limit(scheduled), replications)
        })
        .sum();
    sections + searches
}

/// The fewest agents of each of `teams` (see [`teams`]), searched in the
/// order of their first queue, each with the teams before it at their
/// fewest.
fn fewest_per_team(
    scenario: &Scenario,
    teams: Vec<(QueueId, Vec<usize>, Vec<SegmentTarget>)>,
    seed: u64,
    replications: u32,
    runs: &dyn Runs,
    progress: &dyn Progress,
) -> Result<Vec<TeamResult>, StudyError> {
    let mut current = scenario.clone();
    let mut results = Vec::new();
    for (queue, groups, targets) in teams {
        let names: Vec<String> = groups
            .iter()
            .filter_map(|&g| current.groups.get(g).map(|x| x.name.clone()))
            .collect();
        let scheduled: u32 = groups
            .iter()
            .filter_map(|&g| current.groups.get(g).map(|x| x.count))
            .sum();
        let max = search_limit(scheduled);
        let bound = search_runs(scheduled, max, replications);
        let (needed, at) = bounded_search(
            (
                &format!("the fewest agents for {}", names.join(" + ")),
                &names.join(" + "),
            ),
            bound,
            (runs, seed, replications, progress),
            |evaluate| fewest_agents_by(&current, &groups, &targets, max, evaluate),
        )?;
        let reached = targets
            .iter()
            .map(|t| {
                at.segments
                    .iter()
                    .find(|(n, _)| *n == t.segment)
                    .map_or(0.0, |(_, s)| s.service_level.mean)
            })
            .collect();
        current = current
            .with_team(&groups, needed)
            .map_err(|e| e.to_string())?;
        results.push(TeamResult {
            queue,
            groups: names,
            scheduled,
            needed,
            targets: targets
                .into_iter()
                .map(|t| (t.segment, t.service_level))
                .collect(),
            reached,
        });
    }
    Ok(results)
}

/// Runs `search`, of at most `bound` runs of the day, as its own phase
/// (`names.0`) of the progress display, with the figures of each staffing
/// it tries from `runs`; the bar moves on to the bound when the search ends
/// sooner. Its error is named by `names.1`.
fn bounded_search<T>(
    names: (&str, &str),
    bound: u64,
    (runs, seed, replications, progress): (&dyn Runs, u64, u32, &dyn Progress),
    search: impl FnOnce(
        &mut dyn FnMut(&Scenario) -> Result<Summary, SearchError>,
    ) -> Result<T, SearchError>,
) -> Result<T, StudyError> {
    progress.phase(names.0, bound);
    let done = AtomicU64::new(0);
    let counted = Counted {
        progress,
        done: &done,
    };
    let mut evaluate = |s: &Scenario| {
        runs.reports(s, seed, replications, &counted)
            .and_then(|r| summary(&r))
            .map_err(SearchError)
    };
    let found = search(&mut evaluate).map_err(|e| format!("{}: {}", names.1, e.0))?;
    for _ in done.load(Ordering::Relaxed)..bound {
        progress.tick();
    }
    Ok(found)
}

/// An error met in a search: the runs' or the simulator's.
struct SearchError(StudyError);

impl From<callroute::sim::SimError> for SearchError {
    fn from(e: callroute::sim::SimError) -> Self {
        SearchError(e.to_string())
    }
}

/// A progress display that also counts the runs it is told of.
struct Counted<'a> {
    progress: &'a dyn Progress,
    done: &'a AtomicU64,
}

impl Progress for Counted<'_> {
    fn phase(&self, name: &str, runs: u64) {
        self.progress.phase(name, runs);
    }
    fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
        self.progress.tick();
    }
}

/// What became of each stage's waiting contacts (see [`Waits`]), from
/// the waits of every replication.
fn stage_waits(reports: &[Report]) -> Waits {
    let stages = reports.first().map_or(0, |r| r.stages.len());
    let merged: Vec<(String, WaitHistogram, WaitHistogram)> = (0..stages)
        .filter_map(|i| {
            let name = reports.first()?.stages.get(i)?.0.to_string();
            let (mut all, mut abandoned) = (WaitHistogram::default(), WaitHistogram::default());
            for r in reports {
                if let Some((_, seg)) = r.stages.get(i) {
                    all.merge(&seg.wait_histogram);
                    abandoned.merge(&seg.abandoned_wait_histogram);
                }
            }
            (all.total() > 0).then_some((name, all, abandoned))
        })
        .collect();
    let longest = reports
        .iter()
        .flat_map(|r| &r.stages)
        .map(|(_, s)| s.longest_wait_secs)
        .fold(0.0f64, f64::max);
    // The axis runs to where 99% of every stage's contacts had left.
    let p99 = merged
        .iter()
        .map(|(_, all, _)| all.percentile(0.99).min(longest))
        .fold(0.0f64, f64::max);
    let axis_secs = nice_duration(p99.max(60.0));
    let secs: Vec<f64> = edges(axis_secs).collect();
    let stages = merged
        .into_iter()
        .map(|(stage, all, abandoned)| {
            let left = all.total() as f64;
            let (mut answered, mut abandoned_by) = (Vec::new(), Vec::new());
            for &t in &secs {
                let (gone, hung_up) = (all.at_most(t), abandoned.at_most(t));
                answered.push(gone.saturating_sub(hung_up) as f64 / left);
                abandoned_by.push(hung_up as f64 / left);
            }
            StageWaits {
                stage,
                answered,
                abandoned: abandoned_by,
            }
        })
        .collect();
    Waits {
        axis_secs,
        secs,
        stages,
    }
}

/// The times the waits are read at up to `axis_secs`: every second up to
/// ten minutes, every ten seconds up to an hour, every minute beyond (the
/// wait histogram's bins are no finer up to six hours, and a curve over
/// hours needs no more).
fn edges(axis_secs: f64) -> impl Iterator<Item = f64> {
    let whole = axis_secs as u64;
    (1..=whole.min(600))
        .chain((610..=whole.min(3_600)).step_by(10))
        .chain((3_660..=whole).step_by(60))
        .map(|t| t as f64)
}

/// `secs` rounded up to a duration an axis can end on: 1, 2 or 5 times a
/// power of ten in seconds, minutes or hours.
fn nice_duration(secs: f64) -> f64 {
    let unit = wait_unit(secs).1;
    let x = secs / unit;
    let power = 10f64.powf(x.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&v| v >= x - 1e-9)
        .unwrap_or(10.0 * power);
    step * unit
}

/// The unit waits up to `secs` are best read in: its name and seconds.
pub fn wait_unit(secs: f64) -> (&'static str, f64) {
    if secs <= 600.0 {
        ("seconds", 1.0)
    } else if secs <= 3.0 * 3_600.0 {
        ("minutes", 60.0)
    } else {
        ("hours", 3_600.0)
    }
}
