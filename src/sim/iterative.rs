//! Staffing for time-varying demand by simulation: each interval's
//! staffing is moved until the simulated service level of the contacts
//! arriving in it meets its target, all intervals at once, with the
//! real router and whatever passes between intervals (a backlog carried
//! over, agents arriving mid-peak) in the measurement.
//!
//! In the spirit of the iterative staffing algorithm of Feldman,
//! Mandelbaum, Massey and Whitt (Management Science, 2008): simulate,
//! measure every interval, adjust every interval, repeat until nothing
//! moves. Theirs sets each interval from the simulated distribution of
//! the number in system, which fits one queue served by one pool; here
//! each interval's count is searched (a bracket per interval, narrowed
//! by every simulation) because the contacts of a multi-skill center with
//! priorities and overflow have no such distribution to read.

use super::{Scenario, SimError, Summary};
use crate::model::QueueId;
use serde::{Deserialize, Serialize};

/// One staffing to adjust: a group of the scenario (on duty in one
/// interval, say) and the queue and interval whose service level it must
/// bring to a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntervalCell {
    /// The group whose count is adjusted (an index into the scenario's
    /// groups).
    pub group: usize,
    /// The queue measured.
    pub queue: QueueId,
    /// The interval measured: the contacts of `queue` that arrive in it.
    pub interval: u32,
    /// The least mean service level they must reach over the replications.
    pub service_level: f64,
}

/// What [`iterative_staffing`] found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IterativeStaffing {
    /// Per cell, in the order given: the count found.
    pub counts: Vec<u32>,
    /// Simulations made (each of all the replications).
    pub iterations: u32,
    /// Whether the search ended: every cell's target is met at `counts`,
    /// and each cell one agent lower (its neighbours at `counts`, or at no
    /// more) was seen to miss its target or make a neighbour miss, or the
    /// cell is at zero. When false, the
    /// iterations ran out first and `counts` are the last tried (every
    /// target met at them if the search had reached its check).
    pub converged: bool,
    /// The figures of the last simulation (at `counts`).
    pub summary: Summary,
}

/// The fewest agents per cell (see [`IntervalCell`]) with which every
/// cell's queue and interval meets its service-level target, found by
/// simulating all cells at once, at most `max_iterations` times; `evaluate`
/// gives the figures of a staffing (the same seed every time, so that the
/// iterations meet the same customers: common random numbers).
///
/// The counts start from the scenario's. After each simulation a cell
/// that meets its target becomes the upper end of its bracket and one
/// that misses the lower end (a verdict that contradicts an earlier one,
/// moved by its neighbours' changes, replaces it), and the next count is
/// the bracket's middle, or a step of a quarter (at least one agent) out
/// of it while one end is unknown. The search settles when a simulation
/// at every cell's upper end meets every target and each cell is one
/// above its lower end (or at zero). Then comes a check: a cell whose
/// miss one agent lower was seen while a neighbour (the cell of its
/// queue's interval before or after) had fewer agents than now is tried
/// again one agent lower, a third of the intervals at a time so that no
/// two cells tried are neighbours, and kept there when it and its
/// neighbours still meet their targets; the figures at the counts kept are
/// simulated once more where not all of a third were kept. That assumes
/// what holds where each cell's agents serve its own queue: more agents
/// never lower a cell's service level, and a cell feels its own queue's
/// neighbouring intervals, not the intervals further off or the other
/// queues (a pool they share, fed by escalations, aside).
///
/// # Errors
///
/// What `evaluate` returns; [`SimError::Invalid`] for a cell whose group
/// or queue does not exist, or no iteration allowed.
///
/// ```
/// use callroute::sim::{Dist, IntervalCell, Scenario, Shift, iterative_staffing, replicate};
/// // Two hours, the second twice as busy, a group on duty in each.
/// let mut s = Scenario::single_queue(10, 0.0, Dist::exponential(60.0)?, None, 3_600);
/// s.intervals = 2;
/// s.streams[0].rates_per_hour = vec![300.0, 600.0];
/// let mut late = s.groups[0].clone();
/// s.groups[0].shifts = vec![Shift { start_secs: 0, end_secs: 3_600 }];
/// late.shifts = vec![Shift { start_secs: 3_600, end_secs: 7_200 }];
/// s.groups.push(late);
/// let q = s.queues[0].id;
/// let cells: Vec<IntervalCell> = (0..2)
///     .map(|k| IntervalCell { group: k, queue: q, interval: k as u32, service_level: 0.8 })
///     .collect();
/// let found = iterative_staffing(&s, &cells, 30, |s: &Scenario| replicate(s, 1, 5))?;
/// assert!(found.converged);
/// assert!(found.counts[0] < found.counts[1], "{:?}", found.counts);
/// # Ok::<(), callroute::sim::SimError>(())
/// ```
pub fn iterative_staffing<E: From<SimError>>(
    scenario: &Scenario,
    cells: &[IntervalCell],
    max_iterations: u32,
    mut evaluate: impl FnMut(&Scenario) -> Result<Summary, E>,
) -> Result<IterativeStaffing, E> {
    if max_iterations == 0 {
        return Err(SimError::invalid("max_iterations", "no iteration allowed").into());
    }
    let mut counts = Vec::with_capacity(cells.len());
    let mut queues = Vec::with_capacity(cells.len());
    for (i, c) in cells.iter().enumerate() {
        let Some(g) = scenario.groups.get(c.group) else {
            return Err(SimError::invalid(
                format!("cells[{i}].group"),
                format!("no group {}", c.group),
            )
            .into());
        };
        let Some(q) = scenario.queues.iter().position(|q| q.id == c.queue) else {
            return Err(SimError::invalid(
                format!("cells[{i}].queue"),
                format!("no queue {}", c.queue),
            )
            .into());
        };
        counts.push(g.count);
        queues.push(q);
    }
    let mut brackets = vec![Bracket::default(); cells.len()];
    let mut trial = scenario.clone();
    let mut iterations = 0u32;
    let mut run = |counts: &[u32], trial: &mut Scenario| -> Result<(Summary, Vec<bool>), E> {
        for (c, &n) in cells.iter().zip(counts) {
            if let Some(g) = trial.groups.get_mut(c.group) {
                g.count = n;
            }
        }
        let summary = evaluate(trial)?;
        let met = cells
            .iter()
            .zip(&queues)
            .map(|(c, &q)| {
                let level = summary
                    .queue_intervals
                    .get(q)
                    .and_then(|(_, per_k)| per_k.get(c.interval as usize))
                    .map_or(1.0, |k| k.service_level.mean);
                level >= c.service_level
            })
            .collect();
        Ok((summary, met))
    };
    // The search: every cell moves at once.
    let summary = loop {
        iterations += 1;
        let (summary, met) = run(&counts, &mut trial)?;
        let all_met = met.iter().all(|&m| m);
        let mut next = Vec::with_capacity(counts.len());
        for ((b, &n), &meets) in brackets.iter_mut().zip(&counts).zip(&met) {
            b.record(n, meets, &counts);
            next.push(b.next(n));
        }
        if next == counts && all_met {
            break summary;
        }
        if iterations == max_iterations {
            return Ok(IterativeStaffing {
                counts,
                iterations,
                converged: false,
                summary,
            });
        }
        counts = next;
    };
    // The check. A cell's miss one agent lower may have been seen while a
    // neighbour (its queue's interval before or after) had fewer agents
    // than now: such cells are tried again one lower, a third of the
    // intervals at a time so that no two tried are neighbours, and kept
    // there when they and their neighbours still meet their targets.
    let neighbours: Vec<Vec<usize>> = cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (0..cells.len())
                .filter(|&j| {
                    cells.get(j).is_some_and(|d| {
                        j != i && d.queue == c.queue && d.interval.abs_diff(c.interval) == 1
                    })
                })
                .collect()
        })
        .collect();
    let mut summary = summary;
    let mut exact = true;
    let give_up = |counts: Vec<u32>, iterations, summary| {
        Ok(IterativeStaffing {
            counts,
            iterations,
            converged: false,
            summary,
        })
    };
    loop {
        let mut moved = false;
        for third in 0..3 {
            let tried: Vec<usize> = (0..cells.len())
                .filter(|&i| {
                    let (Some(c), Some(&n), Some(b), Some(near)) = (
                        cells.get(i),
                        counts.get(i),
                        brackets.get(i),
                        neighbours.get(i),
                    ) else {
                        return false;
                    };
                    c.interval % 3 == third && n > 0 && !b.misses_hold(n - 1, near, &counts)
                })
                .collect();
            if tried.is_empty() {
                continue;
            }
            if iterations == max_iterations {
                return give_up(counts, iterations, summary);
            }
            iterations += 1;
            let mut fewer = counts.clone();
            for &i in &tried {
                if let Some(c) = fewer.get_mut(i) {
                    *c -= 1;
                }
            }
            let (probe, met) = run(&fewer, &mut trial)?;
            let meets = |i: usize| met.get(i).copied().unwrap_or(false);
            let mut kept = 0;
            for &i in &tried {
                let near = neighbours.get(i).map_or(&[][..], Vec::as_slice);
                let (Some(b), Some(n)) = (brackets.get_mut(i), counts.get_mut(i)) else {
                    continue;
                };
                if meets(i) && near.iter().all(|&j| meets(j)) {
                    *n -= 1;
                    b.record(*n, true, &fewer);
                    kept += 1;
                } else {
                    b.refuted(*n - 1, &fewer);
                }
            }
            if kept == tried.len() {
                summary = probe;
            } else if kept > 0 {
                exact = false;
            }
            moved |= kept > 0;
        }
        if !moved {
            break;
        }
    }
    // When only some of a third were kept, the figures at the counts are
    // simulated once more; a cell that misses there (its interval moved by
    // more than its neighbours) gets one agent back, until all meet.
    while !exact {
        if iterations == max_iterations {
            return give_up(counts, iterations, summary);
        }
        iterations += 1;
        let (at, met) = run(&counts, &mut trial)?;
        summary = at;
        exact = true;
        let before = counts.clone();
        for ((n, b), &meets) in counts.iter_mut().zip(brackets.iter_mut()).zip(&met) {
            if !meets {
                b.record(*n, false, &before);
                *n += 1;
                exact = false;
            }
        }
    }
    Ok(IterativeStaffing {
        counts,
        iterations,
        converged: true,
        summary,
    })
}

/// What is known of one cell: the largest count seen to miss (with every
/// cell's count at the time) and the smallest seen to meet, as of the
/// latest verdicts.
#[derive(Debug, Clone, Default)]
struct Bracket {
    misses: Option<(u32, Vec<u32>)>,
    meets: Option<u32>,
}

impl Bracket {
    /// Records the verdict at `n`, every cell's count being `counts`: the
    /// latest is the truth, so an end it contradicts is forgotten.
    fn record(&mut self, n: u32, meets: bool, counts: &[u32]) {
        if meets {
            self.meets = Some(n);
            if self.misses.as_ref().is_some_and(|m| m.0 >= n) {
                self.misses = None;
            }
        } else {
            self.misses = Some((n, counts.to_vec()));
            if self.meets.is_some_and(|m| m <= n) {
                self.meets = None;
            }
        }
    }

    /// Records that with this cell at `n` and every cell at `counts` some
    /// target was missed (this cell's or another's).
    fn refuted(&mut self, n: u32, counts: &[u32]) {
        self.misses = Some((n, counts.to_vec()));
    }

    /// Whether a miss at `n` was seen with none of the cells `near` at
    /// more agents than in `counts`: with no more agents next to it, it
    /// misses still.
    fn misses_hold(&self, n: u32, near: &[usize], counts: &[u32]) -> bool {
        self.misses.as_ref().is_some_and(|(m, then)| {
            *m == n
                && near
                    .iter()
                    .all(|&j| matches!((then.get(j), counts.get(j)), (Some(t), Some(c)) if c <= t))
        })
    }

    /// The count to try next.
    fn next(&self, current: u32) -> u32 {
        let step = |n: u32| (n / 4).max(1);
        match (self.misses.as_ref().map(|m| m.0), self.meets) {
            (Some(lo), Some(hi)) if hi > lo + 1 => lo + (hi - lo) / 2,
            (Some(_), Some(hi)) | (None, Some(hi @ 0)) => hi,
            (None, Some(hi)) => hi - step(hi),
            (Some(lo), None) => lo.saturating_add(step(lo)),
            (None, None) => current,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Bracket;

    #[test]
    fn a_bracket_narrows_to_the_fewest_that_meet() {
        // Meets from 7 up: from 12, down by quarters, then halves.
        let mut b = Bracket::default();
        let mut n = 12;
        let mut tried = vec![n];
        for _ in 0..20 {
            b.record(n, n >= 7, &[]);
            let next = b.next(n);
            if next == n {
                break;
            }
            n = next;
            tried.push(n);
        }
        assert_eq!(n, 7, "{tried:?}");
        assert!(tried.len() <= 7, "{tried:?}");
        // From below, up by quarters.
        let mut b = Bracket::default();
        let mut n = 1;
        for _ in 0..40 {
            b.record(n, n >= 30, &[]);
            let next = b.next(n);
            if next == n {
                break;
            }
            n = next;
        }
        assert_eq!(n, 30);
    }

    #[test]
    fn a_later_verdict_replaces_one_it_contradicts() {
        let mut b = Bracket::default();
        b.record(5, true, &[5, 3]);
        b.record(4, false, &[4, 3]);
        assert_eq!(b.next(4), 5);
        // The miss at 4 holds while the other cell has no more than 3.
        assert!(b.misses_hold(4, &[1], &[5, 2]));
        assert!(!b.misses_hold(4, &[1], &[5, 4]));
        // A neighbour's cut makes 5 miss now: the search goes up again.
        b.record(5, false, &[5, 1]);
        assert_eq!((b.misses.as_ref().map(|m| m.0), b.meets), (Some(5), None));
        assert_eq!(b.next(5), 6);
        // Zero meets: nothing to cut.
        let mut b = Bracket::default();
        b.record(0, true, &[0]);
        assert_eq!(b.next(0), 0);
    }
}
