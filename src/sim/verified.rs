//! Shift schedules checked by simulation: schedule each roster against a
//! requirement per interval, simulate the plan with the real router,
//! raise the requirement where a target is missed, and schedule again.
//!
//! In the style of Atlason, Epelman and Henderson's simulation-based
//! staffing (Annals of Operations Research, 2004), with the cuts replaced
//! by a rule on the requirement: a per-interval requirement (from Erlang's
//! formulas, say) treats each interval as its own queue, while the
//! simulation carries a backlog into the next interval, brings agents in
//! mid-peak, sends breaks where the plan put them and lets one group's
//! contacts overflow to another; where it misses, the interval needs more.

use super::study::SegmentTarget;
use super::{Scenario, SimError, Summary};
use crate::model::QueueId;
use crate::schedule::{Plan, schedule_within};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// One roster's requirement and the plan made against it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterPlan {
    /// The roster's name.
    pub roster: String,
    /// The queue whose service level it is measured by.
    pub queue: QueueId,
    /// Agents required per interval: what the plan was made against.
    pub requirement: Vec<u32>,
    /// The plan.
    pub plan: Plan,
}

/// One schedule of every roster and its simulated figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckedSchedule {
    /// Per roster, in the scenario's order.
    pub rosters: Vec<RosterPlan>,
    /// The simulated figures of the scenario with the plans in place.
    pub summary: Summary,
    /// The targets missed there: per roster, the intervals (of its queue)
    /// below its queue's target, and the segment targets missed (by name).
    pub misses: Vec<(Vec<u32>, Vec<String>)>,
}

impl CheckedSchedule {
    /// The cost of every roster's plan.
    #[must_use]
    pub fn cost(&self) -> f64 {
        self.rosters.iter().map(|r| r.plan.cost).sum()
    }

    /// The agents of every roster's plan.
    #[must_use]
    pub fn agents(&self) -> u32 {
        self.rosters.iter().map(|r| r.plan.agents()).sum()
    }

    /// How many targets were missed, intervals and segments.
    #[must_use]
    pub fn missed(&self) -> usize {
        self.misses.iter().map(|(k, s)| k.len() + s.len()).sum()
    }
}

/// What [`verified_schedule`] found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerifiedSchedule {
    /// The plans against the requirements given, simulated.
    pub first: CheckedSchedule,
    /// The plans kept: the first that met every target, else the one that
    /// missed the fewest (the cheaper of two alike).
    pub verified: CheckedSchedule,
    /// Schedules simulated, the first included.
    pub rounds: u32,
    /// Whether `verified` meets every target.
    pub met: bool,
}

/// How far a missed interval's requirement rises: by this share of its
/// agents for each point of service level missed (half of them for a
/// level of 0 against a target of 100%), and by one agent at least.
pub const RAISE: f64 = 0.5;

/// Rounds without fewer targets missed after which the search stops.
pub const PATIENCE: u32 = 5;

/// The most nodes of branch and bound each roster's program is searched
/// with (see [`schedule_within`]): about a second here for a roster of
/// the default center, whose cheapest plan is found within a thousand
/// while proving it takes some 600,000. A plan stopped by it says so
/// ([`Plan::optimal`]) with the bound proved ([`Plan::cost_bound`]).
pub const SEARCH_NODES: u64 = 20_000;

/// The rosters of `scenario` scheduled against `requirements` (per
/// roster, agents per interval) and checked by simulation: each round
/// schedules every roster (see [`schedule_within`], at most
/// [`SEARCH_NODES`] nodes each), puts the plans in place of
/// the rosters' groups ([`Scenario::rostered`]) and simulates with
/// `evaluate` (the same seeds every round: common random numbers). A
/// roster's targets are its queue's service level in every interval that
/// contacts arrive in, and the segment targets of `segment_targets[i]`
/// (empty for none; missing entries count as none).
///
/// Where an interval's service level is below its queue's target, that
/// interval's requirement `n` rises by `n × RAISE × miss` (see [`RAISE`];
/// the miss is the target less the level) rounded up, one agent at least;
/// where a segment's target is
/// missed, every interval of the roster's queue below that target rises
/// by one. The loop ends when every target is met, after `max_rounds`
/// schedules, or after [`PATIENCE`] rounds that miss no fewer targets than
/// the best so far. Nothing is ever lowered: a requirement that covers the
/// queue with overflow to spare stays as given.
///
/// # Errors
///
/// What `evaluate` returns; [`SimError::Invalid`] when the scenario has
/// no roster, `requirements` is not one per roster and interval, a roster
/// is invalid, or no round is allowed; [`SimError::Schedule`] when a
/// schedule cannot be made.
///
/// ```
/// use callroute::schedule::ShiftType;
/// use callroute::sim::{Dist, Roster, Scenario, replicate, verified_schedule};
/// // Four hours, twice as busy in the last two, one-hour shifts.
/// let mut s = Scenario::single_queue(10, 0.0, Dist::exponential(120.0)?, None, 3_600);
/// s.intervals = 4;
/// s.streams[0].rates_per_hour = vec![150.0, 150.0, 300.0, 300.0];
/// s.rosters = vec![Roster {
///     name: "desk".into(),
///     groups: vec![s.groups[0].name.clone()],
///     shift_types: vec![ShiftType::new("hour", vec![0, 3_600, 7_200, 10_800], 3_600, 1.0)],
/// }];
/// // A requirement too low in the busy hours.
/// let found = verified_schedule(&s, &[vec![7, 7, 9, 9]], &[], 10, |s: &Scenario| replicate(s, 1, 8))?;
/// assert!(found.met);
/// assert!(found.first.missed() > 0);
/// assert!(found.verified.rosters[0].requirement[2] > 9);
/// # Ok::<(), callroute::sim::SimError>(())
/// ```
pub fn verified_schedule<E: From<SimError>>(
    scenario: &Scenario,
    requirements: &[Vec<u32>],
    segment_targets: &[Vec<SegmentTarget>],
    max_rounds: u32,
    mut evaluate: impl FnMut(&Scenario) -> Result<Summary, E>,
) -> Result<VerifiedSchedule, E> {
    if scenario.rosters.is_empty() {
        return Err(SimError::invalid("rosters", "no roster to schedule").into());
    }
    if requirements.len() != scenario.rosters.len() {
        return Err(SimError::invalid(
            "requirements",
            format!(
                "{} for {} rosters",
                requirements.len(),
                scenario.rosters.len()
            ),
        )
        .into());
    }
    if max_rounds == 0 {
        return Err(SimError::invalid("max_rounds", "no round allowed").into());
    }
    scenario.validate()?;
    let mut queues = Vec::with_capacity(scenario.rosters.len());
    for (i, r) in scenario.rosters.iter().enumerate() {
        let (_, queue) = r.model(scenario)?;
        let index = scenario
            .queues
            .iter()
            .position(|q| q.id == queue)
            .ok_or_else(|| {
                SimError::invalid(format!("rosters[{i}]"), format!("no queue {queue}"))
            })?;
        let target = scenario
            .queues
            .get(index)
            .map_or(0.8, |q| q.service_level.share());
        queues.push((queue, index, target));
    }
    let mut needs: Vec<Vec<u32>> = requirements.to_vec();
    // The plans of the last requirement each roster was scheduled at.
    let mut made: Vec<Option<(Vec<u32>, Plan)>> = vec![None; needs.len()];
    let mut first: Option<CheckedSchedule> = None;
    let mut best: Option<CheckedSchedule> = None;
    let mut rounds = 0u32;
    let mut stale = 0u32;
    loop {
        rounds += 1;
        // The rosters whose requirement moved are scheduled again, side
        // by side (each program is solved on one thread).
        let plans: Vec<Plan> = needs
            .par_iter()
            .zip(&made)
            .enumerate()
            .map(|(i, (need, made))| match made {
                Some((at, plan)) if at == need => Ok(plan.clone()),
                _ => {
                    let requirement = scenario
                        .requirement(need.clone())
                        .map_err(|e| in_requirement(i, e))?;
                    let roster = scenario.rosters.get(i).map_or(&[][..], |r| &r.shift_types);
                    Ok(schedule_within(&requirement, roster, Some(SEARCH_NODES))?)
                }
            })
            .collect::<Result<_, SimError>>()?;
        for ((m, need), plan) in made.iter_mut().zip(&needs).zip(&plans) {
            *m = Some((need.clone(), plan.clone()));
        }
        let summary = evaluate(&scenario.rostered(&plans)?)?;
        if first.is_none() {
            check_segments(&summary, segment_targets)?;
        }
        let misses: Vec<(Vec<u32>, Vec<String>)> = queues
            .iter()
            .enumerate()
            .map(|(i, &(_, index, target))| {
                let levels = interval_levels(&summary, index);
                let below = |t: f64| {
                    levels
                        .iter()
                        .filter(|(_, l)| *l < t)
                        .map(|(k, _)| *k)
                        .collect::<Vec<u32>>()
                };
                let segments = segment_targets
                    .get(i)
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .filter(|t| segment_level(&summary, &t.segment) < t.service_level)
                    .map(|t| t.segment.clone())
                    .collect();
                (below(target), segments)
            })
            .collect();
        let checked = CheckedSchedule {
            rosters: scenario
                .rosters
                .iter()
                .zip(&queues)
                .zip(needs.iter().zip(plans))
                .map(|((r, &(queue, ..)), (need, plan))| RosterPlan {
                    roster: r.name.clone(),
                    queue,
                    requirement: need.clone(),
                    plan,
                })
                .collect(),
            summary,
            misses,
        };
        let better = best
            .as_ref()
            .is_none_or(|b| (checked.missed(), checked.cost()) < (b.missed(), b.cost()));
        let fewer_missed = best.as_ref().is_none_or(|b| checked.missed() < b.missed());
        stale = if fewer_missed { 0 } else { stale + 1 };
        if first.is_none() {
            first = Some(checked.clone());
        }
        // Raise the requirement where targets were missed.
        for (i, (need, &(_, index, target))) in needs.iter_mut().zip(&queues).enumerate() {
            let levels = interval_levels(&checked.summary, index);
            // The strictest of the segment targets missed, if any.
            let missed = checked.misses.get(i).map_or(&[][..], |m| m.1.as_slice());
            let strictest = segment_targets
                .get(i)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .filter(|t| missed.contains(&t.segment))
                .map(|t| t.service_level)
                .reduce(f64::max)
                .unwrap_or(0.0);
            for (k, level) in levels {
                let Some(n) = need.get_mut(k as usize) else {
                    continue;
                };
                if level < target {
                    let raise = (f64::from(*n) * RAISE * (target - level)).ceil().max(1.0);
                    *n = n.saturating_add(raise as u32);
                } else if level < strictest {
                    *n = n.saturating_add(1);
                }
            }
        }
        let done = checked.missed() == 0;
        if better {
            best = Some(checked);
        }
        if done || rounds == max_rounds || stale >= PATIENCE {
            break;
        }
    }
    let (Some(first), Some(verified)) = (first, best) else {
        return Err(SimError::invalid("max_rounds", "no round made").into());
    };
    let met = verified.missed() == 0;
    Ok(VerifiedSchedule {
        first,
        verified,
        rounds,
        met,
    })
}

/// Per interval that contacts of queue `index` arrived in: its number and
/// their mean service level.
fn interval_levels(summary: &Summary, index: usize) -> Vec<(u32, f64)> {
    summary
        .queue_intervals
        .get(index)
        .map_or(&[][..], |(_, per_k)| per_k.as_slice())
        .iter()
        .enumerate()
        .filter(|(_, s)| s.offered.mean > 0.0)
        .map(|(k, s)| (k as u32, s.service_level.mean))
        .collect()
}

/// Whether every segment `targets` name is one of the summary's.
fn check_segments(summary: &Summary, targets: &[Vec<SegmentTarget>]) -> Result<(), SimError> {
    for (i, per_roster) in targets.iter().enumerate() {
        for (j, t) in per_roster.iter().enumerate() {
            if !summary.segments.iter().any(|(n, _)| n == &t.segment) {
                return Err(SimError::invalid(
                    format!("segment_targets[{i}][{j}].segment"),
                    format!("the report has no segment \"{}\"", t.segment),
                ));
            }
        }
    }
    Ok(())
}

/// The mean service level of the segment named `name` (1 when the report
/// has none).
fn segment_level(summary: &Summary, name: &str) -> f64 {
    summary
        .segments
        .iter()
        .find(|(n, _)| n == name)
        .map_or(1.0, |(_, s)| s.service_level.mean)
}

/// `e` with its field inside `requirements[i]`.
fn in_requirement(i: usize, e: SimError) -> SimError {
    match e {
        SimError::Invalid { problem, .. } => {
            SimError::invalid(format!("requirements[{i}]"), problem)
        }
        other => other,
    }
}
