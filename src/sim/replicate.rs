//! Independent replications: every figure with its mean and 95% confidence
//! interval.

use super::stats::Segment;
use super::{Report, Scenario, SimError, Simulation};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// A figure over replications: its mean and the half-width of its 95%
/// confidence interval (Student's t; 0 with one replication).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Estimate {
    /// The mean over replications.
    pub mean: f64,
    /// Half the width of the 95% confidence interval of the mean.
    pub half_width: f64,
}

impl Estimate {
    /// Whether both the mean and the half-width are +0 (a figure left out
    /// of a summary's JSON, read back as the same).
    #[must_use]
    pub fn is_nothing(&self) -> bool {
        self.mean.to_bits() == 0 && self.half_width.to_bits() == 0
    }

    /// The estimate of `values`, one per replication.
    #[must_use]
    pub fn of(values: &[f64]) -> Self {
        let n = values.len();
        if n == 0 {
            return Estimate {
                mean: 0.0,
                half_width: 0.0,
            };
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        if n == 1 {
            return Estimate {
                mean,
                half_width: 0.0,
            };
        }
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        Estimate {
            mean,
            half_width: t_975(n - 1) * (var / n as f64).sqrt(),
        }
    }

    /// Whether `value` lies in the interval.
    #[must_use]
    pub fn contains(&self, value: f64) -> bool {
        (value - self.mean).abs() <= self.half_width
    }
}

/// The 97.5% quantile of Student's t with `df` degrees of freedom (the
/// two-sided 95% interval's factor). Infinite at 0 degrees of freedom.
///
/// Below 1,000 degrees of freedom it is statrs' inverse CDF (exact to
/// about 1e-9; the table with a first-order expansion used before was 3%
/// short past 30). From 1,000 on, statrs' inversion loses accuracy (1e-4
/// at 10^6, 7% at 10^7, and no answer in reasonable time at 10^9), so the
/// Cornish–Fisher expansion of t around the normal quantile to the fourth
/// order in 1/df takes over; at 1,000 the two agree to 1e-10 and its error
/// falls as df^-5 beyond.
pub(crate) fn t_975(df: usize) -> f64 {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    const Z: f64 = 1.959_963_984_540_054;
    if df == 0 {
        return f64::INFINITY;
    }
    let v = df as f64;
    if df < 1000
        && let Ok(t) = StudentsT::new(0.0, 1.0, v)
    {
        return t.inverse_cdf(0.975);
    }
    let z2 = Z * Z;
    let g1 = (z2 + 1.0) * Z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * Z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * Z / 384.0;
    let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * Z / 92_160.0;
    Z + (g1 + (g2 + (g3 + g4 / v) / v) / v) / v
}

#[cfg(test)]
mod tests {
    use super::t_975;

    /// Against tabulated quantiles (four decimals) from 1 to 1,000
    /// degrees of freedom, and the normal limit.
    #[test]
    fn the_t_quantile_matches_the_tables() {
        let table = [
            (1, 12.7062),
            (2, 4.3027),
            (3, 3.1824),
            (4, 2.7764),
            (5, 2.5706),
            (10, 2.2281),
            (20, 2.0860),
            (29, 2.0452),
            (30, 2.0423),
            (31, 2.0395),
            (40, 2.0211),
            (60, 2.0003),
            (100, 1.9840),
            (120, 1.9799),
            (1000, 1.9623),
        ];
        for (df, q) in table {
            let got = t_975(df);
            assert!((got - q).abs() < 6e-5, "df {df}: {got} against {q}");
        }
        // Both sides of the switch to the expansion, and far beyond.
        assert!((t_975(999) - t_975(1000)).abs() < 1e-5);
        assert!((t_975(10_000_000) - 1.959_964_2).abs() < 1e-7);
        assert!((t_975(usize::MAX) - 1.959_963_984_540_054).abs() < 1e-12);
        assert!(t_975(0).is_infinite());
        // Decreasing towards the normal quantile.
        assert!((1..3000).all(|df| t_975(df) > t_975(df + 1)));
    }
}

/// A segment's figures over replications.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SegmentSummary {
    /// Contacts arriving.
    pub offered: Estimate,
    /// Service level (abandons as misses).
    pub service_level: Estimate,
    /// Share abandoning.
    pub abandonment: Estimate,
    /// Mean wait of the answered, seconds.
    pub average_speed_of_answer: Estimate,
    /// Mean wait of all who left the queue, seconds.
    pub average_wait: Estimate,
    /// 90th percentile of the wait, seconds.
    pub wait_p90: Estimate,
    /// Longest wait, seconds.
    pub longest_wait: Estimate,
    /// Cost of waiting and abandonment (see [`Costs`](super::Costs)).
    pub cost: Estimate,
    /// First-contact resolution.
    #[serde(default)]
    pub first_contact_resolution: Estimate,
    /// Share of contacts called back.
    #[serde(default)]
    pub callback_share: Estimate,
    /// Share of contacts that waited at all (Erlang's P(wait)).
    #[serde(default)]
    pub prob_wait: Estimate,
    /// Service level over the answered (abandons left out).
    #[serde(default)]
    pub service_level_of_answered: Estimate,
    /// The waiting part of the cost.
    #[serde(default, skip_serializing_if = "Estimate::is_nothing")]
    pub waiting_cost: Estimate,
    /// Revenue from sales (see [`Stream::conversion`](super::Stream::conversion)).
    #[serde(default, skip_serializing_if = "Estimate::is_nothing")]
    pub revenue: Estimate,
    /// The value of the customers lost (see [`Stream::churn`](super::Stream::churn)).
    #[serde(default, skip_serializing_if = "Estimate::is_nothing")]
    pub churn_loss: Estimate,
    /// The money made: revenue less cost and churn loss (see
    /// [`Segment::net`]).
    #[serde(default, skip_serializing_if = "Estimate::is_nothing")]
    pub net: Estimate,
    /// Share of the answered transferred (see [`Segment::transfer_share`]).
    #[serde(default, skip_serializing_if = "Estimate::is_nothing")]
    pub transfer_share: Estimate,
    /// Mean hold after a transfer, seconds (see
    /// [`Segment::average_transfer_wait`]).
    #[serde(default, skip_serializing_if = "Estimate::is_nothing")]
    pub average_transfer_wait: Estimate,
    /// Share of the offered that were redials (see
    /// [`Segment::redial_share`]).
    #[serde(default, skip_serializing_if = "Estimate::is_nothing")]
    pub redial_share: Estimate,
}

impl SegmentSummary {
    fn of(segments: &[&Segment]) -> Self {
        let est = |f: &dyn Fn(&Segment) -> f64| {
            Estimate::of(&segments.iter().map(|s| f(s)).collect::<Vec<_>>())
        };
        SegmentSummary {
            offered: est(&|s| s.offered as f64),
            service_level: est(&Segment::service_level),
            abandonment: est(&Segment::abandonment),
            average_speed_of_answer: est(&Segment::average_speed_of_answer),
            average_wait: est(&Segment::average_wait),
            wait_p90: est(&|s| s.wait_percentile(0.9)),
            longest_wait: est(&|s| s.longest_wait_secs),
            cost: est(&|s| s.cost),
            waiting_cost: est(&|s| s.waiting_cost),
            revenue: est(&|s| s.revenue),
            churn_loss: est(&|s| s.churn_loss),
            net: est(&Segment::net),
            first_contact_resolution: est(&Segment::first_contact_resolution),
            callback_share: est(&Segment::callback_share),
            prob_wait: est(&Segment::prob_wait),
            service_level_of_answered: est(&Segment::service_level_of_answered),
            transfer_share: est(&Segment::transfer_share),
            average_transfer_wait: est(&Segment::average_transfer_wait),
            redial_share: est(&Segment::redial_share),
        }
    }
}

/// Figures over independent replications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// How many replications.
    pub replications: u32,
    /// Every contact.
    pub overall: SegmentSummary,
    /// Every segment, named as by [`Report::segments`] (`overall` first).
    pub segments: Vec<(String, SegmentSummary)>,
    /// Agents' busy share (see [`Report::occupancy`]).
    pub occupancy: Estimate,
    /// Per channel with capacity: the share of its slots in use (see
    /// [`Report::channel_occupancy`]).
    #[serde(default)]
    pub channel_occupancy: Vec<(crate::model::Channel, Estimate)>,
    /// Per interval: the figures of the contacts arriving in it.
    #[serde(default)]
    pub intervals: Vec<SegmentSummary>,
    /// Per queue, named as its segment (`queue sales`), and interval: the
    /// figures of its contacts arriving in the interval.
    #[serde(default)]
    pub queue_intervals: Vec<(String, Vec<SegmentSummary>)>,
    /// Per queue, named as its segment: what passed through it (see
    /// [`Report::queue_flows`]).
    #[serde(default)]
    pub queue_flows: Vec<QueueFlowSummary>,
    /// Per interval: agents' busy share.
    #[serde(default)]
    pub interval_occupancy: Vec<Estimate>,
    /// Per interval: the mean number of contacts waiting.
    #[serde(default)]
    pub interval_queue_length: Vec<Estimate>,
    /// Per agent group, in the scenario's order: its busy share.
    #[serde(default)]
    pub group_occupancy: Vec<(String, Estimate)>,
}

/// The seed of replication `r` of a study seeded `seed`: SplitMix64's
/// finalizer over both, so that the replications of two seeds never
/// overlap (with `seed + r`, replication 1 of seed 5 was replication 0 of
/// seed 6).
///
/// ```
/// use callroute::sim::replication_seed;
/// assert_ne!(replication_seed(5, 1), replication_seed(6, 0));
/// assert_eq!(replication_seed(5, 1), replication_seed(5, 1));
/// ```
#[must_use]
pub fn replication_seed(seed: u64, r: u32) -> u64 {
    mix(mix(seed) ^ u64::from(r))
}

/// SplitMix64's finalizer of `z` plus the golden-ratio increment: a
/// bijection on `u64` whose outputs look independent.
pub(crate) fn mix(z: u64) -> u64 {
    let mut z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Runs `replications` independent replications of `scenario`, the
/// `r`-th seeded by [`replication_seed`]`(seed, r)`, and summarizes them.
/// The same scenario and seed give the same summary; variants of a
/// scenario with the same streams meet the same customers (see the
/// module's "Randomness").
///
/// Replications run in parallel on rayon's thread pool; each is one
/// sequential run with its own seed and the reports are combined in
/// replication order, so the summary does not depend on the number of
/// threads.
///
/// # Errors
///
/// As [`Simulation::new`] and [`Simulation::run`];
/// [`SimError::Invalid`] for zero replications.
///
/// ```
/// use callroute::sim::{Dist, Scenario, replicate};
/// let s = Scenario::single_queue(12, 600.0, Dist::exponential(60.0)?, None, 3_600);
/// let summary = replicate(&s, 1, 5)?;
/// assert_eq!(summary.replications, 5);
/// assert!(summary.overall.service_level.half_width > 0.0);
/// # Ok::<(), callroute::sim::SimError>(())
/// ```
pub fn replicate(scenario: &Scenario, seed: u64, replications: u32) -> Result<Summary, SimError> {
    Summary::of(&run_replications(scenario, seed, 0..replications, &|| {})?)
}

/// The reports of replications `range` of `scenario`, the `r`-th seeded by
/// [`replication_seed`]`(seed, r)`, in replication order. They run in parallel on rayon's
/// thread pool; `on_done` is called (from the worker threads) as each one
/// ends, for a progress display.
///
/// Slices of one study run apart (on several machines) give, together,
/// the reports one run of the whole range gives: see [`Shard`](super::Shard).
///
/// # Errors
///
/// As [`Simulation::new`] and [`Simulation::run`];
/// [`SimError::Invalid`] for an empty range.
///
/// ```
/// use callroute::sim::{Dist, Scenario, Summary, replicate, run_replications};
/// use std::sync::atomic::{AtomicU32, Ordering};
/// let s = Scenario::single_queue(12, 600.0, Dist::exponential(60.0)?, None, 3_600);
/// let done = AtomicU32::new(0);
/// let mut reports = run_replications(&s, 1, 0..2, &|| { done.fetch_add(1, Ordering::Relaxed); })?;
/// reports.extend(run_replications(&s, 1, 2..5, &|| {})?);
/// assert_eq!(done.load(Ordering::Relaxed), 2);
/// assert_eq!(Summary::of(&reports)?, replicate(&s, 1, 5)?);
/// # Ok::<(), callroute::sim::SimError>(())
/// ```
pub fn run_replications(
    scenario: &Scenario,
    seed: u64,
    range: std::ops::Range<u32>,
    on_done: &(dyn Fn() + Sync),
) -> Result<Vec<Report>, SimError> {
    if range.is_empty() {
        return Err(SimError::invalid("replications", "must be above 0"));
    }
    range
        .into_par_iter()
        .map(|r| {
            let report = Simulation::new(scenario, replication_seed(seed, r))?.run();
            on_done();
            report
        })
        .collect()
}

/// What passed through one queue over the replications (see
/// [`QueueFlow`](crate::sim::QueueFlow)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueFlowSummary {
    /// The queue's segment name (`queue supervisors`).
    pub queue: String,
    /// Contacts moved into it while waiting, per run.
    pub moved_in: Estimate,
    /// Contacts answered from it, per run.
    pub answered: Estimate,
}

impl Summary {
    /// The summary of the reports of replications of one scenario, in
    /// replication order.
    ///
    /// # Errors
    ///
    /// [`SimError::Invalid`] for no report, or reports of scenarios with
    /// different segments or intervals.
    pub fn of(reports: &[Report]) -> Result<Summary, SimError> {
        let Some(first) = reports.first() else {
            return Err(SimError::invalid("reports", "no report to summarize"));
        };
        let shape = |r: &Report| {
            (
                r.segments().into_iter().map(|x| x.0).collect::<Vec<_>>(),
                r.intervals.len(),
                r.groups.iter().map(|g| g.0.clone()).collect::<Vec<_>>(),
            )
        };
        let expected = shape(first);
        if reports.iter().any(|r| shape(r) != expected) {
            return Err(SimError::invalid(
                "reports",
                "the reports are of scenarios with different segments",
            ));
        }
        Ok(summarize(reports))
    }
}

/// The summary of reports of one scenario (of the same shape).
fn summarize(reports: &[Report]) -> Summary {
    let per_report: Vec<Vec<(String, &Segment)>> = reports.iter().map(Report::segments).collect();
    let mut segments = Vec::new();
    if let Some(first) = per_report.first() {
        for (i, (name, _)) in first.iter().enumerate() {
            let segs: Vec<&Segment> = per_report
                .iter()
                .filter_map(|v| v.get(i).map(|x| x.1))
                .collect();
            segments.push((name.clone(), SegmentSummary::of(&segs)));
        }
    }
    let overall = SegmentSummary::of(&reports.iter().map(|r| &r.overall).collect::<Vec<_>>());
    let intervals = reports.first().map_or(0, |r| r.intervals.len());
    let per_interval = |k: usize, f: &dyn Fn(&Report, usize) -> Option<f64>| {
        Estimate::of(&reports.iter().filter_map(|r| f(r, k)).collect::<Vec<_>>())
    };
    Summary {
        replications: reports.len() as u32,
        overall,
        segments,
        occupancy: Estimate::of(&reports.iter().map(|r| r.occupancy).collect::<Vec<_>>()),
        channel_occupancy: per_entry(reports, |r| &r.channel_occupancy),
        intervals: (0..intervals)
            .map(|k| {
                SegmentSummary::of(
                    &reports
                        .iter()
                        .filter_map(|r| r.intervals.get(k))
                        .collect::<Vec<_>>(),
                )
            })
            .collect(),
        queue_intervals: reports
            .first()
            .map(Report::queue_segment_names)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(q, name)| {
                let per_k = (0..intervals)
                    .map(|k| {
                        SegmentSummary::of(
                            &reports
                                .iter()
                                .filter_map(|r| r.queue_intervals.get(q)?.get(k))
                                .collect::<Vec<_>>(),
                        )
                    })
                    .collect();
                (name, per_k)
            })
            .collect(),
        queue_flows: reports
            .first()
            .map(Report::queue_segment_names)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(q, queue)| {
                let est = |f: fn(&crate::sim::QueueFlow) -> u64| {
                    Estimate::of(
                        &reports
                            .iter()
                            .filter_map(|r| r.queue_flows.get(q).map(|x| f(x) as f64))
                            .collect::<Vec<_>>(),
                    )
                };
                QueueFlowSummary {
                    queue,
                    moved_in: est(|f| f.moved_in),
                    answered: est(|f| f.answered),
                }
            })
            .collect(),
        interval_occupancy: (0..intervals)
            .map(|k| per_interval(k, &|r, k| r.interval_occupancy.get(k).copied()))
            .collect(),
        interval_queue_length: (0..intervals)
            .map(|k| per_interval(k, &|r, k| r.interval_queue_length.get(k).copied()))
            .collect(),
        group_occupancy: per_entry(reports, |r| &r.groups),
    }
}

/// For each entry of a keyed list that every report of one scenario holds
/// in the same order (its groups, its channels with capacity): the key and
/// the estimate of the entry's value over the reports.
fn per_entry<K: Clone>(
    reports: &[Report],
    list: for<'a> fn(&'a Report) -> &'a [(K, f64)],
) -> Vec<(K, Estimate)> {
    let Some(first) = reports.first() else {
        return Vec::new();
    };
    list(first)
        .iter()
        .enumerate()
        .map(|(i, (key, _))| {
            let values: Vec<f64> = reports
                .iter()
                .filter_map(|r| list(r).get(i).map(|x| x.1))
                .collect();
            (key.clone(), Estimate::of(&values))
        })
        .collect()
}
