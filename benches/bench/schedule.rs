//! Shift scheduling: a day of 48 half-hour intervals for four agent
//! groups, each with 30 shift types (15 full-time shifts of 8 hours from
//! 06:00 to 13:00 every half hour, two paid 15-minute breaks and an
//! unpaid half-hour lunch each in an hour's window; 15 part-time shifts
//! of 4 hours from 08:00 to 15:00 with one 15-minute break), every group
//! scheduled against its own requirement. And the whole of `callroute
//! schedule` on the default center (20 replications, seed 2026): its four
//! rosters planned against Erlang's requirement and simulated, and the
//! plan checked by simulation, from the staffing per interval by
//! simulation until every target is met.

use crate::study::program;
use callroute::schedule::{BreakRule, Requirement, ShiftType, schedule};
use criterion::Criterion;
use std::hint::black_box;

/// Group `g`'s requirement: two peaks (late morning and early
/// afternoon), none before 06:30 or from 20:30 (when no shift works),
/// scaled by group.
fn requirement(g: u32) -> Requirement {
    let agents = (0..48)
        .map(|k| {
            let hour = f64::from(k) / 2.0;
            let peak = |at: f64, width: f64| (-((hour - at) / width).powi(2)).exp();
            if !(6.5..20.5).contains(&hour) {
                return 0;
            }
            let load = 2.0 + 30.0 * peak(11.0, 2.5) + 22.0 * peak(15.0, 2.0);
            (load * f64::from(g + 2) / 3.0).round() as u32
        })
        .collect();
    Requirement::new(1_800, agents).unwrap()
}

/// The 30 shift types of every group.
fn shift_types() -> Vec<ShiftType> {
    let hour = 3_600;
    let full = (0..15).map(|i| ShiftType {
        breaks: vec![
            BreakRule::new(900, 2 * hour, 3 * hour),
            BreakRule {
                paid: false,
                ..BreakRule::new(1_800, 7 * hour / 2, 9 * hour / 2)
            },
            BreakRule::new(900, 6 * hour, 7 * hour),
        ],
        ..ShiftType::new(
            &format!("full {i}"),
            vec![6 * hour + i * hour / 2],
            8 * hour,
            120.0,
        )
    });
    let part = (0..15).map(|i| ShiftType {
        breaks: vec![BreakRule::new(900, hour, 2 * hour)],
        ..ShiftType::new(
            &format!("part {i}"),
            vec![8 * hour + i * hour / 2],
            4 * hour,
            66.0,
        )
    });
    full.chain(part).collect()
}

pub(crate) fn define(c: &mut Criterion) {
    let mut g = c.benchmark_group("schedule");
    g.sample_size(10);
    let types = shift_types();
    let needs: Vec<Requirement> = (0..4).map(requirement).collect();
    g.bench_function("day_48_intervals_4_groups_30_shift_types", |b| {
        b.iter(|| {
            needs
                .iter()
                .map(|n| schedule(black_box(n), &types).unwrap().cost)
                .sum::<f64>()
        })
    });
    let center = program::parse_scenario(program::DEFAULT_SCENARIO, false).unwrap();
    g.bench_function("checked_default_center", |b| {
        b.iter(|| {
            let (found, _) =
                program::checked_schedule(black_box(&center), (2026, 20), 12, &|_| {}).unwrap();
            assert!(found.met);
            found.verified.cost()
        })
    });
    g.finish();
}
