//! Staffing per interval by simulation: it meets every interval's target
//! with the fewest agents each, and where Erlang A's assumptions hold it
//! finds Erlang A's answer.

use callroute::sim::{
    Dist, IntervalCell, Scenario, Shift, SimError, Summary, iterative_staffing, replicate,
};
use callroute::staffing::{Load, ServiceLevelDefinition, Targets, fewest_agents_with_abandonment};

/// A queue over `rates.len()` half hours, one group on duty in each.
fn day(rates: &[f64]) -> Scenario {
    let mut s = Scenario::single_queue(
        10,
        0.0,
        Dist::exponential(180.0).unwrap(),
        Some(Dist::exponential(300.0).unwrap()),
        1_800,
    );
    s.intervals = rates.len() as u32;
    s.interval_secs = 1_800;
    s.streams[0].rates_per_hour = rates.to_vec();
    let template = s.groups[0].clone();
    s.groups = (0..rates.len() as u64)
        .map(|k| {
            let mut g = template.clone();
            g.name = format!("half hour {k}");
            g.shifts = vec![Shift {
                start_secs: k * 1_800,
                end_secs: (k + 1) * 1_800,
            }];
            g
        })
        .collect();
    s
}

fn cells(s: &Scenario, target: f64) -> Vec<IntervalCell> {
    (0..s.intervals as usize)
        .map(|k| IntervalCell {
            group: k,
            queue: s.queues[0].id,
            interval: k as u32,
            service_level: target,
        })
        .collect()
}

fn level(summary: &Summary, k: usize) -> f64 {
    summary.queue_intervals[0].1[k].service_level.mean
}

#[test]
fn every_interval_meets_its_target_and_one_agent_fewer_misses() {
    let s = day(&[200.0, 600.0, 900.0, 300.0]);
    let cells = cells(&s, 0.8);
    let evaluate = |s: &Scenario| replicate(s, 11, 8);
    let found = iterative_staffing(&s, &cells, 30, evaluate).unwrap();
    assert!(found.converged, "{found:?}");
    assert!(found.iterations > 1 && found.iterations <= 30);
    // The counts follow the load, and the summary is the one at them.
    let n = &found.counts;
    assert!(n[0] < n[1] && n[1] < n[2] && n[3] < n[2], "{n:?}");
    let mut at = s.clone();
    for (g, &c) in at.groups.iter_mut().zip(n) {
        g.count = c;
    }
    let again = evaluate(&at).unwrap();
    assert_eq!(again, found.summary);
    for (k, &count) in n.iter().enumerate() {
        assert!(
            level(&again, k) >= 0.8,
            "interval {k}: {}",
            level(&again, k)
        );
        // Minimal: one agent fewer in that interval misses its target.
        let mut fewer = at.clone();
        fewer.groups[k].count = count - 1;
        let s = evaluate(&fewer).unwrap();
        assert!(level(&s, k) < 0.8, "interval {k} with {}", count - 1);
    }
}

#[test]
fn where_erlang_a_holds_it_finds_erlang_a_s_staffing() {
    // One long half-hour-free stretch: Poisson arrivals, exponential
    // handle times and patience, one pool; three hours so that the empty
    // start weighs little.
    let mut s = day(&[600.0]);
    s.interval_secs = 3 * 3_600;
    s.groups[0].shifts[0].end_secs = s.interval_secs;
    let found =
        iterative_staffing(&s, &cells(&s, 0.8), 30, |s: &Scenario| replicate(s, 21, 30)).unwrap();
    assert!(found.converged);
    let targets = Targets::new()
        .service_level(0.8, 20.0)
        .unwrap()
        .counting(ServiceLevelDefinition::OfOffered);
    let load = Load::from_rate(600.0, 180.0).unwrap();
    let erlang = fewest_agents_with_abandonment(load, 180.0, 300.0, &targets).unwrap();
    let got = found.counts[0];
    assert!(
        got.abs_diff(erlang) <= 1,
        "simulation {got}, Erlang A {erlang}"
    );
}

#[test]
fn bad_cells_are_refused_by_name() {
    let s = day(&[300.0]);
    let mut bad = cells(&s, 0.8);
    bad[0].group = 7;
    let err = iterative_staffing(&s, &bad, 5, |s: &Scenario| replicate(s, 1, 2)).unwrap_err();
    assert!(matches!(err, SimError::Invalid { ref field, .. } if field == "cells[0].group"));
    let err =
        iterative_staffing(&s, &cells(&s, 0.8), 0, |s: &Scenario| replicate(s, 1, 2)).unwrap_err();
    assert!(matches!(err, SimError::Invalid { ref field, .. } if field == "max_iterations"));
}
