//! Studies built on replications: two policies compared on the same
//! customers, the staffing curve of a group, and the fewest agents of a
//! group that meet per-segment targets where no formula applies.

use super::bracket::{self, Bracket, INTERPOLATIONS, first_step};
use super::replicate::{Estimate, run_replications};
use super::stats::Segment;
use super::{Report, Scenario, SimError, Summary};
use serde::{Deserialize, Serialize};

/// How two scenarios (two policies, or two staffings) differ on one
/// segment: `b − a` per replication, paired on the same seeds, so the
/// interval is that of the difference, narrower than the two intervals
/// side by side.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// Service level (abandons as misses).
    pub service_level: Estimate,
    /// Share abandoning.
    pub abandonment: Estimate,
    /// Mean wait of the answered, seconds.
    pub average_speed_of_answer: Estimate,
    /// Cost.
    pub cost: Estimate,
    /// Money made: revenue less cost and churn loss.
    #[serde(default, skip_serializing_if = "Estimate::is_nothing")]
    pub net: Estimate,
}

/// Compares scenario `b` with scenario `a` over `replications` paired
/// replications (common random numbers: the `r`-th of each is seeded
/// [`replication_seed`](super::replication_seed)`(seed, r)`, so where their
/// streams agree both meet the same customers). Returns each segment's
/// name, as by [`Report::segments`], with its difference `b − a`.
///
/// # Errors
///
/// As [`replicate`](super::replicate); [`SimError::Invalid`] when the two
/// scenarios do not report the same segments.
///
/// ```
/// use callroute::sim::{Dist, Scenario, compare};
/// let a = Scenario::single_queue(10, 540.0, Dist::exponential(60.0)?, None, 7_200);
/// let mut b = a.clone();
/// b.groups[0].count = 11;
/// let diff = compare(&a, &b, 3, 10)?;
/// let (name, overall) = &diff[0];
/// assert_eq!(name, "overall");
/// assert!(overall.service_level.mean > 0.0); // one more agent helps
/// # Ok::<(), callroute::sim::SimError>(())
/// ```
pub fn compare(
    a: &Scenario,
    b: &Scenario,
    seed: u64,
    replications: u32,
) -> Result<Vec<(String, Difference)>, SimError> {
    let ra = run_replications(a, seed, 0..replications, &|| {})?;
    let rb = run_replications(b, seed, 0..replications, &|| {})?;
    compare_reports(&ra, &rb)
}

/// [`compare`] on reports already run: `a` and `b` are the reports of
/// the same replications (the same seeds, in order) of two scenarios.
///
/// # Errors
///
/// [`SimError::Invalid`] when the two do not report the same segments or
/// not as many replications.
pub fn compare_reports(a: &[Report], b: &[Report]) -> Result<Vec<(String, Difference)>, SimError> {
    if a.len() != b.len() {
        return Err(SimError::invalid(
            "b",
            format!("{} replications against {}", b.len(), a.len()),
        ));
    }
    let sa: Vec<Vec<(String, &Segment)>> = a.iter().map(Report::segments).collect();
    let sb: Vec<Vec<(String, &Segment)>> = b.iter().map(Report::segments).collect();
    let names: Vec<String> = sa
        .first()
        .map(|v| v.iter().map(|(n, _)| n.clone()).collect())
        .unwrap_or_default();
    let names_b: Vec<String> = sb
        .first()
        .map(|v| v.iter().map(|(n, _)| n.clone()).collect())
        .unwrap_or_default();
    if names != names_b {
        return Err(SimError::invalid(
            "b",
            "the two scenarios do not have the same queues, streams and stages",
        ));
    }
    let diff = |i: usize, f: &dyn Fn(&Segment) -> f64| {
        let d: Vec<f64> = sa
            .iter()
            .zip(&sb)
            .filter_map(|(x, y)| Some(f(y.get(i)?.1) - f(x.get(i)?.1)))
            .collect();
        Estimate::of(&d)
    };
    Ok(names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let d = Difference {
                service_level: diff(i, &Segment::service_level),
                abandonment: diff(i, &Segment::abandonment),
                average_speed_of_answer: diff(i, &Segment::average_speed_of_answer),
                cost: diff(i, &|s| s.cost),
                net: diff(i, &Segment::net),
            };
            (name, d)
        })
        .collect())
}

/// A service-level target for one segment of a simulated report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentTarget {
    /// The segment, named as by [`Report::segments`] (`overall`,
    /// `stage Conversion`, `stream purchase calls`, ...).
    pub segment: String,
    /// The least mean service level it must reach over the replications.
    pub service_level: f64,
}

/// The fewest agents in the team of groups `groups` of `scenario` (the
/// others as they are) with which every target is met on average over
/// `replications` replications, searching up to `max_agents`; returns the
/// team's head count and the summary there. A team's head count is split
/// among its groups in proportion to their counts in `scenario` (see
/// [`Scenario::with_team`]); a team of one group is that group. Common
/// random numbers make the results of two counts differ by staffing, not
/// by luck, so the search narrows a bracket over the count (the service
/// level is assumed to rise with agents): from the team's own count out by
/// steps that double, from an eighth of the count, until one count meets
/// and one misses; then up to three counts where the straight line between
/// the two ends' margins crosses (each target's service level against its
/// target on the logit scale, the least of them), the middle instead when
/// the two counts tried before fell on the same side; then halving: at most
/// [`search_runs`]`(count, max_agents, replications)` runs of the day,
/// each reported to `on_run` as it ends (for a progress display).
///
/// # Errors
///
/// As [`replicate`](super::replicate); [`SimError::Invalid`] for a team
/// or a segment that does not exist, or when `max_agents` falls short.
///
/// ```
/// use callroute::sim::{Dist, Scenario, SegmentTarget, fewest_agents_by_simulation};
/// let s = Scenario::single_queue(1, 540.0, Dist::exponential(60.0)?, None, 7_200);
/// let target = [SegmentTarget { segment: "overall".into(), service_level: 0.8 }];
/// let (agents, summary) = fewest_agents_by_simulation(&s, &[0], &target, 1, 5, 40, &|| {})?;
/// assert!(summary.overall.service_level.mean >= 0.8);
/// assert!((11..=14).contains(&agents)); // Erlang C says 12 for these
/// # Ok::<(), callroute::sim::SimError>(())
/// ```
pub fn fewest_agents_by_simulation(
    scenario: &Scenario,
    groups: &[usize],
    targets: &[SegmentTarget],
    seed: u64,
    replications: u32,
    max_agents: u32,
    on_run: &(dyn Fn() + Sync),
) -> Result<(u32, Summary), SimError> {
    fewest_agents_by(scenario, groups, targets, max_agents, |s: &Scenario| {
        Summary::of(&run_replications(s, seed, 0..replications, on_run)?)
    })
}

/// The search of [`fewest_agents_by_simulation`] with the figures of each
/// staffing it tries given by `evaluate` (the scenario with the team at
/// that count → its summary), for a caller that runs or stores the
/// replications its own way (spread over machines, say). The counts tried
/// and the answer depend only on what `evaluate` returns.
///
/// # Errors
///
/// What `evaluate` returns; [`SimError::Invalid`] for a team or a segment
/// that does not exist, or when `max_agents` falls short.
///
/// ```
/// use callroute::sim::{Dist, Scenario, SegmentTarget, fewest_agents_by, replicate};
/// let s = Scenario::single_queue(1, 540.0, Dist::exponential(60.0)?, None, 7_200);
/// let target = [SegmentTarget { segment: "overall".into(), service_level: 0.8 }];
/// let mut tried = Vec::new();
/// let (agents, _) = fewest_agents_by(&s, &[0], &target, 40, |s: &Scenario| {
///     tried.push(s.groups[0].count);
///     replicate(s, 1, 5)
/// })?;
/// // The team's own count first, then up by doubling steps, then within
/// // the bracket.
/// assert_eq!(&tried[..4], &[1, 2, 4, 8]);
/// assert!(tried.contains(&agents));
/// // No count is tried twice.
/// let mut once = tried.clone();
/// once.sort_unstable();
/// once.dedup();
/// assert_eq!(once.len(), tried.len());
/// # Ok::<(), callroute::sim::SimError>(())
/// ```
pub fn fewest_agents_by<E: From<SimError>>(
    scenario: &Scenario,
    groups: &[usize],
    targets: &[SegmentTarget],
    max_agents: u32,
    mut evaluate: impl FnMut(&Scenario) -> Result<Summary, E>,
) -> Result<(u32, Summary), E> {
    let mut with = |n: u32| -> Result<Summary, E> { evaluate(&scenario.with_team(groups, n)?) };
    // How far the summary is from its targets: the least of each
    // target's margin (at least 0 exactly when every target is met).
    let margin = |summary: &Summary| -> Result<f64, SimError> {
        let mut least = f64::INFINITY;
        for t in targets {
            let Some((_, seg)) = summary.segments.iter().find(|(n, _)| *n == t.segment) else {
                return Err(SimError::invalid(
                    "targets",
                    format!("no segment named `{}`", t.segment),
                ));
            };
            least = least.min(bracket::margin(seg.service_level.mean, t.service_level));
        }
        Ok(least)
    };
    let mut bracket = Bracket::default();
    let mut n = team_count(scenario, groups).clamp(1, max_agents.max(1));
    let mut best = None;
    loop {
        let s = with(n)?;
        let m = margin(&s)?;
        bracket.record(n, m, ());
        if m >= 0.0 {
            best = Some(s);
        }
        if bracket.settled()
            && let (Some(n), Some(best)) = (bracket.meets(), best.take())
        {
            return Ok((n, best));
        }
        if bracket.meets().is_none() && n >= max_agents {
            return Err(SimError::invalid(
                "max_agents",
                format!("{max_agents} agents do not meet the targets"),
            )
            .into());
        }
        n = bracket.next(n).min(max_agents);
    }
}

/// The head count of the team `groups` in `scenario`.
fn team_count(scenario: &Scenario, groups: &[usize]) -> u32 {
    groups
        .iter()
        .filter_map(|&g| scenario.groups.get(g).map(|x| x.count))
        .fold(0, u32::saturating_add)
}

/// The most runs of the day [`fewest_agents_by_simulation`] makes for a
/// team of `start` agents (its count in the scenario) searched up to
/// `max_agents` with `replications` replications per count: the team's
/// own count, the doubling steps out to 0 or to the bound, whichever
/// takes more, the interpolations and the halvings of the widest step
/// there can be.
///
/// ```
/// use callroute::sim::search_runs;
/// // From 40: down by 5, 10, 20 to 0 (4 steps, fewer than the 5 up to
/// // 120 by 5, 10, 20, 40 and 5), 3 interpolated counts, a step of at
/// // most 40 halved in 6: 1 + 5 + 3 + 6 = 15 counts.
/// assert_eq!(search_runs(40, 120, 5), 15 * 5);
/// assert_eq!(search_runs(1, 1, 5), 2 * 5);
/// ```
#[must_use]
pub fn search_runs(start: u32, max_agents: u32, replications: u32) -> u64 {
    let start = start.clamp(1, max_agents.max(1));
    // The steps out from `start` until `done`, and the widest (the
    // bracket is at most that wide when its other end turns up).
    let out = |done: &dyn Fn(u32) -> bool, toward: &dyn Fn(u32, u32) -> u32| {
        let (mut steps, mut n, mut step, mut widest) = (0u64, start, first_step(start), 0);
        while !done(n) {
            let to = toward(n, step);
            widest = widest.max(to.abs_diff(n));
            n = to;
            step = step.saturating_mul(2);
            steps += 1;
        }
        (steps, widest)
    };
    let (down, down_widest) = out(&|n| n == 0, &|n, s| n.saturating_sub(s));
    let (up, up_widest) = out(&|n| n >= max_agents, &|n, s| {
        n.saturating_add(s).min(max_agents)
    });
    let widest = down_widest.max(up_widest).max(1);
    let halvings = u64::from(u32::BITS - widest.saturating_sub(1).leading_zeros());
    let interpolations = if widest > 1 {
        u64::from(INTERPOLATIONS)
    } else {
        0
    };
    (1 + down.max(up) + interpolations + halvings) * u64::from(replications)
}

/// One point of a staffing curve: a count of agents and what it achieves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// Agents in the team.
    pub agents: u32,
    /// The scenario's figures with them.
    pub summary: Summary,
}

/// The staffing curve of the team of groups `groups`: `scenario`
/// summarized over `replications` replications for each head count of
/// `counts` (split as by [`Scenario::with_team`]; the other groups as they
/// are), in the order given. Every count meets the same
/// customers (common random numbers), so the curve's steps come from the
/// staffing, not from luck.
///
/// # Errors
///
/// As [`replicate`](super::replicate); [`SimError::Invalid`] for a team
/// that does not exist.
///
/// ```
/// use callroute::sim::{Dist, Scenario, staffing_curve};
/// let s = Scenario::single_queue(0, 540.0, Dist::exponential(60.0)?, None, 7_200);
/// let curve = staffing_curve(&s, &[0], 10..=13, 1, 4)?;
/// let levels: Vec<f64> = curve.iter().map(|p| p.summary.overall.service_level.mean).collect();
/// assert!(levels.windows(2).all(|w| w[0] <= w[1]), "{levels:?}");
/// assert_eq!(curve[3].agents, 13);
/// # Ok::<(), callroute::sim::SimError>(())
/// ```
pub fn staffing_curve(
    scenario: &Scenario,
    groups: &[usize],
    counts: impl IntoIterator<Item = u32>,
    seed: u64,
    replications: u32,
) -> Result<Vec<CurvePoint>, SimError> {
    counts
        .into_iter()
        .map(|agents| {
            Ok(CurvePoint {
                agents,
                summary: Summary::of(&run_replications(
                    &scenario.with_team(groups, agents)?,
                    seed,
                    0..replications,
                    &|| {},
                )?)?,
            })
        })
        .collect()
}
