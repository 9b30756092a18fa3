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

use super::bracket::{Bracket, margin};
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
/// moved by its neighbours' changes, replaces it). The next count is as
/// in [`fewest_agents_by`](super::fewest_agents_by): out by steps that
/// double (from an eighth of the count, or from one agent after a
/// contradiction) while one end is unknown; within the bracket, up to
/// three counts where the straight line between the ends' margins (the
/// cell's service level against its target on the logit scale) crosses,
/// then halving. The search settles when a simulation
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
    let mut brackets: Vec<Bracket<Vec<u32>>> = vec![Bracket::default(); cells.len()];
    let mut trial = scenario.clone();
    let mut iterations = 0u32;
    // The figures at `counts` and each cell's margin there (see
    // [`margin`]: at least 0 when its target is met).
    let mut run = |counts: &[u32], trial: &mut Scenario| -> Result<(Summary, Vec<f64>), E> {
        for (c, &n) in cells.iter().zip(counts) {
            if let Some(g) = trial.groups.get_mut(c.group) {
                g.count = n;
            }
        }
        let summary = evaluate(trial)?;
        let margins = cells
            .iter()
            .zip(&queues)
            .map(|(c, &q)| {
                let level = summary
                    .queue_intervals
                    .get(q)
                    .and_then(|(_, per_k)| per_k.get(c.interval as usize))
                    .map_or(1.0, |k| k.service_level.mean);
                margin(level, c.service_level)
            })
            .collect();
        Ok((summary, margins))
    };
    // The search: every cell moves at once.
    let summary = loop {
        iterations += 1;
        let (summary, margins) = run(&counts, &mut trial)?;
        let all_met = margins.iter().all(|&m| m >= 0.0);
        let mut next = Vec::with_capacity(counts.len());
        for ((b, &n), &m) in brackets.iter_mut().zip(&counts).zip(&margins) {
            b.record(n, m, counts.clone());
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
                    c.interval % 3 == third && n > 0 && !misses_hold(b, n - 1, near, &counts)
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
            let (probe, margins) = run(&fewer, &mut trial)?;
            let at = |i: usize| margins.get(i).copied().unwrap_or(-1.0);
            let meets = |i: usize| at(i) >= 0.0;
            let mut kept = 0;
            for &i in &tried {
                let near = neighbours.get(i).map_or(&[][..], Vec::as_slice);
                let (Some(b), Some(n)) = (brackets.get_mut(i), counts.get_mut(i)) else {
                    continue;
                };
                if meets(i) && near.iter().all(|&j| meets(j)) {
                    *n -= 1;
                    b.record(*n, at(i), fewer.clone());
                    kept += 1;
                } else {
                    // A miss, this cell's or a neighbour's.
                    b.record(*n - 1, at(i).min(-f64::MIN_POSITIVE), fewer.clone());
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
        let (at, margins) = run(&counts, &mut trial)?;
        summary = at;
        exact = true;
        let before = counts.clone();
        for ((n, b), &m) in counts.iter_mut().zip(brackets.iter_mut()).zip(&margins) {
            if m < 0.0 {
                b.record(*n, m, before.clone());
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

/// Whether `bracket` holds a miss at `n` seen with none of the cells
/// `near` at more agents than in `counts`: with no more agents next to
/// it, it misses still.
fn misses_hold(bracket: &Bracket<Vec<u32>>, n: u32, near: &[usize], counts: &[u32]) -> bool {
    bracket.misses().is_some_and(|(m, then)| {
        m == n
            && near
                .iter()
                .all(|&j| matches!((then.get(j), counts.get(j)), (Some(t), Some(c)) if c <= t))
    })
}

#[cfg(test)]
mod tests {
    use super::{Bracket, misses_hold};

    #[test]
    fn a_miss_holds_while_no_neighbour_has_more() {
        let mut b = Bracket::default();
        b.record(5, 0.5, vec![5, 3]);
        b.record(4, -0.5, vec![4, 3]);
        // The miss at 4 holds while the other cell has no more than 3.
        assert!(misses_hold(&b, 4, &[1], &[5, 2]));
        assert!(!misses_hold(&b, 4, &[1], &[5, 4]));
        assert!(!misses_hold(&b, 3, &[1], &[5, 2]));
    }
}
