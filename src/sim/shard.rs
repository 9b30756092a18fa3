//! Studies spread over machines: slices of the replications run apart
//! (for example as the tasks of a batch system's job array) and merged
//! into the figures one run would give.

use super::{Report, Scenario, SimError, Summary, run_replications};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// The reports of a slice of a study's replications, with the scenario and
/// seed they were run from, so that slices run apart can be checked and
/// merged. Serializable: each task writes its shard (as JSON, say) and one
/// more step merges them.
///
/// ```
/// use callroute::sim::{Dist, Scenario, Shard, replicate};
/// let s = Scenario::single_queue(12, 600.0, Dist::exponential(60.0)?, None, 3_600);
/// // Two tasks, each its slice of ten replications...
/// let a = Shard::run(&s, 7, 0..4, &|| {})?;
/// let b = Shard::run(&s, 7, 4..10, &|| {})?;
/// // ...merged in any order: the figures of one run of all ten.
/// let all = Shard::merge(vec![b, a])?;
/// assert_eq!(all.summary()?, replicate(&s, 7, 10)?);
/// # Ok::<(), callroute::sim::SimError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shard {
    /// The scenario simulated.
    pub scenario: Scenario,
    /// The study's seed (replication `r` is seeded
    /// [`replication_seed`](super::replication_seed)`(seed, r)`).
    pub seed: u64,
    /// The first replication of the slice.
    pub first: u32,
    /// The reports of replications `first`, `first + 1`, ..., in order.
    pub reports: Vec<Report>,
}

impl Shard {
    /// Runs replications `range` of `scenario` (see [`run_replications`]).
    ///
    /// # Errors
    ///
    /// As [`run_replications`].
    pub fn run(
        scenario: &Scenario,
        seed: u64,
        range: Range<u32>,
        on_done: &(dyn Fn() + Sync),
    ) -> Result<Shard, SimError> {
        let first = range.start;
        Ok(Shard {
            scenario: scenario.clone(),
            seed,
            first,
            reports: run_replications(scenario, seed, range, on_done)?,
        })
    }

    /// The replications the shard holds.
    #[must_use]
    pub fn range(&self) -> Range<u32> {
        let len = u32::try_from(self.reports.len()).unwrap_or(u32::MAX);
        self.first..self.first.saturating_add(len)
    }

    /// Joins shards of one study, given in any order, into one: they must
    /// share the scenario and the seed, and their replications must follow
    /// each other without a gap or an overlap.
    ///
    /// # Errors
    ///
    /// [`SimError::Invalid`] naming what does not fit: no shard, another
    /// scenario or seed, a gap or an overlap.
    pub fn merge(shards: impl IntoIterator<Item = Shard>) -> Result<Shard, SimError> {
        let mut shards: Vec<Shard> = shards.into_iter().collect();
        shards.sort_by_key(|s| s.first);
        let mut rest = shards.into_iter();
        let Some(mut all) = rest.next() else {
            return Err(SimError::invalid("shards", "no shard to merge"));
        };
        for s in rest {
            if s.scenario != all.scenario {
                return Err(SimError::invalid(
                    "shards",
                    format!("replications {:?} are of another scenario", s.range()),
                ));
            }
            if s.seed != all.seed {
                return Err(SimError::invalid(
                    "shards",
                    format!(
                        "replications {:?} have seed {}, not {}",
                        s.range(),
                        s.seed,
                        all.seed
                    ),
                ));
            }
            let next = all.range().end;
            if s.first != next {
                let what = if s.first < next {
                    "overlap"
                } else {
                    "leave a gap after"
                };
                return Err(SimError::invalid(
                    "shards",
                    format!("replications {:?} {what} {:?}", s.range(), all.range()),
                ));
            }
            all.reports.extend(s.reports);
        }
        Ok(all)
    }

    /// The summary of the shard's replications.
    ///
    /// # Errors
    ///
    /// As [`Summary::of`].
    pub fn summary(&self) -> Result<Summary, SimError> {
        Summary::of(&self.reports)
    }
}
