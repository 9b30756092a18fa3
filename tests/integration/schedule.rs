//! Shift scheduling: the integer program's plans against every plan
//! enumerated, what a plan covers, and its checks of the input.

use callroute::schedule::{BreakRule, Plan, Requirement, ScheduleError, ShiftType, schedule};
use proptest::prelude::*;

/// Adds `delta` to the steps of `v` from `from` to `to` seconds.
fn span(v: &mut [i64], (from, to): (u64, u64), step: u64, delta: i64) {
    for x in &mut v[(from / step) as usize..(to / step) as usize] {
        *x += delta;
    }
}

/// A start's options: its agents, the agents present per step, the cost.
type Options = Vec<(u32, Vec<i64>, f64)>;

/// Agents present in each step of `step` seconds over `steps`, counted
/// from the plan's shifts and breaks (not from its own figures).
fn presence(plan: &Plan, step: u64, steps: usize) -> Vec<i64> {
    let mut present = vec![0i64; steps];
    let mut add = |from: u64, to: u64, n: u32, sign: i64| {
        span(&mut present, (from, to), step, sign * i64::from(n));
    };
    for shift in &plan.shifts {
        add(shift.start_secs, shift.end_secs, shift.agents, 1);
        for starts in &shift.breaks {
            for b in starts {
                add(b.start_secs, b.end_secs, b.agents, -1);
            }
        }
    }
    present
}

/// The requirement of each step.
fn needed(req: &Requirement, step: u64) -> Vec<i64> {
    let per = (req.interval_secs() / step) as usize;
    req.agents()
        .iter()
        .flat_map(|&n| std::iter::repeat_n(i64::from(n), per))
        .collect()
}

/// Every plan of `types` with at most `most` agents per start, each
/// break split every way over its starts: the least (agent-steps short,
/// cost).
fn brute_force(req: &Requirement, types: &[ShiftType], step: u64, most: u32) -> (i64, f64) {
    // One option per (type, start): its agents and each way to place
    // their breaks, as (present per step, cost).
    let steps = (req.day_secs() / step) as usize;
    let need = needed(req, step);
    let mut per_start: Vec<(usize, Options)> = Vec::new();
    for (j, t) in types.iter().enumerate() {
        for &start in &t.starts_secs {
            let mut options = Vec::new();
            for n in 0..=most {
                // Every split of n agents over each break's offsets.
                let mut splits: Vec<Vec<i64>> = vec![vec![0; steps]];
                span(
                    &mut splits[0],
                    (start, start + t.length_secs),
                    step,
                    i64::from(n),
                );
                for b in &t.breaks {
                    let offsets: Vec<u64> = (b.earliest_secs..=b.latest_secs)
                        .step_by(step as usize)
                        .collect();
                    let mut next = Vec::new();
                    for base in &splits {
                        for counts in compositions(n, offsets.len()) {
                            let mut p = base.clone();
                            for (&o, &c) in offsets.iter().zip(&counts) {
                                let from = start + o;
                                span(&mut p, (from, from + b.length_secs), step, -i64::from(c));
                            }
                            next.push(p);
                        }
                    }
                    splits = next;
                }
                for p in splits {
                    options.push((n, p, t.cost * f64::from(n)));
                }
            }
            per_start.push((j, options));
        }
    }
    let mut best = (i64::MAX, f64::INFINITY);
    let mut pick = vec![0usize; per_start.len()];
    loop {
        let mut present = vec![0i64; steps];
        let mut cost = 0.0;
        let mut on = vec![0u32; types.len()];
        for ((j, options), &i) in per_start.iter().zip(&pick) {
            let (n, p, c) = &options[i];
            for (a, b) in present.iter_mut().zip(p) {
                *a += b;
            }
            cost += c;
            on[*j] += n;
        }
        let bounds_hold = types
            .iter()
            .zip(&on)
            .all(|(t, &n)| n >= t.min_agents && t.max_agents.is_none_or(|m| n <= m));
        if bounds_hold {
            let short: i64 = need.iter().zip(&present).map(|(n, p)| (n - p).max(0)).sum();
            if short < best.0 || (short == best.0 && cost < best.1 - 1e-9) {
                best = (short, cost);
            }
        }
        // The next pick, as an odometer.
        let mut k = 0;
        loop {
            let Some(slot) = pick.get_mut(k) else {
                return best;
            };
            *slot += 1;
            if *slot < per_start[k].1.len() {
                break;
            }
            *slot = 0;
            k += 1;
        }
    }
}

/// Every way to write `n` as `parts` counts in order.
fn compositions(n: u32, parts: usize) -> Vec<Vec<u32>> {
    if parts <= 1 {
        return vec![vec![n]];
    }
    (0..=n)
        .flat_map(|first| {
            compositions(n - first, parts - 1)
                .into_iter()
                .map(move |mut rest| {
                    rest.insert(0, first);
                    rest
                })
        })
        .collect()
}

/// A small day of 15-minute steps in half-hour intervals and shift types
/// that fit it.
fn small_case() -> impl Strategy<Value = (Requirement, Vec<ShiftType>)> {
    let intervals = 4usize..=6;
    intervals
        .prop_flat_map(|k| {
            let day = 1_800 * k as u64;
            (
                proptest::collection::vec(0u32..=2, k),
                proptest::collection::vec(
                    (
                        2u64..=4,                       // length in half hours
                        0u64..=2,                       // first start, half hours
                        1usize..=2,                     // starts, an hour apart
                        any::<bool>(),                  // a break
                        1.0f64..=4.0,                   // cost per half hour
                        proptest::option::of(0u32..=3), // most agents
                        0u32..=1,                       // fewest agents
                    ),
                    1..=2,
                ),
                Just(day),
            )
        })
        .prop_map(|(agents, types, day)| {
            let req = Requirement::new(1_800, agents).unwrap();
            let types: Vec<ShiftType> = types
                .into_iter()
                .enumerate()
                .filter_map(|(j, (len, first, starts, brk, per_half, most, fewest))| {
                    let length = 1_800 * len;
                    let starts: Vec<u64> = (0..starts as u64)
                        .map(|i| 1_800 * first + 3_600 * i)
                        .filter(|s| s + length <= day)
                        .collect();
                    if starts.is_empty() {
                        return None;
                    }
                    let breaks = if brk {
                        // 15 minutes, from 30 to 45 minutes in.
                        vec![BreakRule::new(900, 1_800, 2_700)]
                    } else {
                        Vec::new()
                    };
                    Some(ShiftType {
                        breaks,
                        min_agents: fewest.min(most.unwrap_or(3)),
                        max_agents: most,
                        ..ShiftType::new(&format!("t{j}"), starts, length, per_half * len as f64)
                    })
                })
                .collect();
            (req, types)
        })
        .prop_filter("a shift type", |(_, types)| !types.is_empty())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// On days small enough to try every plan: the integer program's plan
    /// is as short as the fewest agent-steps short any plan is, and costs
    /// what the cheapest of those costs.
    #[test]
    fn the_plan_is_the_best_of_every_plan((req, types) in small_case()) {
        let plan = schedule(&req, &types).unwrap();
        let breaks = types.iter().any(|t| !t.breaks.is_empty());
        let step = if breaks { 900 } else { 1_800 };
        prop_assert_eq!(plan.step_secs, step);
        let steps = (req.day_secs() / step) as usize;
        let present = presence(&plan, step, steps);
        let short: i64 = needed(&req, step).iter().zip(&present).map(|(n, p)| (n - p).max(0)).sum();
        // Twice the most required at once, and one: room for the agents
        // on a break (with two break starts, half of a shift's agents may
        // be away at once).
        let most = 2 * req.agents().iter().copied().max().unwrap_or(0) + 1;
        let (best_short, best_cost) = brute_force(&req, &types, step, most);
        prop_assert_eq!(short, best_short, "{:?}", plan);
        prop_assert!((plan.cost - best_cost).abs() < 1e-6, "{} vs {}: {:?}", plan.cost, best_cost, plan);
    }

    /// Whatever the input: every interval the plan does not list as short
    /// has its agents present in every step; the short ones are short by
    /// what it says; every break is inside its window and taken by every
    /// agent of its shift; head counts are within their bounds.
    #[test]
    fn a_plan_covers_what_it_says((req, types) in small_case()) {
        let plan = schedule(&req, &types).unwrap();
        let step = plan.step_secs;
        let per = (req.interval_secs() / step) as usize;
        let steps = (req.day_secs() / step) as usize;
        let present = presence(&plan, step, steps);
        let need = needed(&req, step);
        for (k, (p, n)) in present.chunks(per).zip(need.chunks(per)).enumerate() {
            let missing = p.iter().zip(n).map(|(p, n)| n - p).max().unwrap();
            let listed = plan.short.iter().find(|s| s.interval == k).map_or(0, |s| i64::from(s.agents));
            prop_assert_eq!(missing.max(0), listed);
            prop_assert_eq!(i64::from(plan.present[k]), *p.iter().min().unwrap());
        }
        let mut on = vec![0u32; types.len()];
        for shift in &plan.shifts {
            let t = &types[shift.shift_type];
            prop_assert!(t.starts_secs.contains(&shift.start_secs));
            prop_assert_eq!(shift.end_secs - shift.start_secs, t.length_secs);
            on[shift.shift_type] += shift.agents;
            for (rule, starts) in t.breaks.iter().zip(&shift.breaks) {
                prop_assert_eq!(starts.iter().map(|b| b.agents).sum::<u32>(), shift.agents);
                for b in starts {
                    let offset = b.start_secs - shift.start_secs;
                    prop_assert!((rule.earliest_secs..=rule.latest_secs).contains(&offset));
                    prop_assert_eq!(b.end_secs - b.start_secs, rule.length_secs);
                }
            }
            let crews = shift.crews();
            prop_assert_eq!(crews.iter().map(|c| c.agents).sum::<u32>(), shift.agents);
        }
        for (t, n) in types.iter().zip(on) {
            prop_assert!(n >= t.min_agents);
            prop_assert!(t.max_agents.is_none_or(|m| n <= m));
        }
        let cost: f64 = plan.shifts.iter().map(|s| types[s.shift_type].cost * f64::from(s.agents)).sum();
        prop_assert!((cost - plan.cost).abs() < 1e-9);
    }
}

/// A center open before any shift may start: the early intervals stay
/// short, said so, and the rest is covered at the cheapest.
#[test]
fn intervals_no_shift_covers_are_reported_short() {
    let req = Requirement::new(1_800, vec![2, 2, 3, 3]).unwrap();
    let late = ShiftType::new("late", vec![3_600], 3_600, 10.0);
    let plan = schedule(&req, &[late]).unwrap();
    let short: Vec<(usize, u32)> = plan.short.iter().map(|s| (s.interval, s.agents)).collect();
    assert_eq!(short, vec![(0, 2), (1, 2)]);
    assert_eq!(plan.agents(), 3);
    assert_eq!(plan.cost, 30.0);
    // A cap on the shift's head count leaves the late hours one short.
    let capped = ShiftType {
        max_agents: Some(2),
        ..ShiftType::new("late", vec![3_600], 3_600, 10.0)
    };
    let plan = schedule(&req, &[capped]).unwrap();
    let short: Vec<(usize, u32)> = plan.short.iter().map(|s| (s.interval, s.agents)).collect();
    assert_eq!(short, vec![(0, 2), (1, 2), (2, 1), (3, 1)]);
}

/// Bad input is refused with the field named.
#[test]
fn bad_input_names_its_field() {
    let req = Requirement::new(1_800, vec![1, 1]).unwrap();
    let field = |types: &[ShiftType]| match schedule(&req, types) {
        Err(ScheduleError::Invalid { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    let ok = ShiftType::new("a", vec![0], 3_600, 1.0);
    assert_eq!(
        field(&[ShiftType {
            starts_secs: vec![],
            ..ok.clone()
        }]),
        "shift_types[0].starts_secs"
    );
    assert_eq!(
        field(&[
            ok.clone(),
            ShiftType {
                length_secs: 0,
                ..ok.clone()
            }
        ]),
        "shift_types[1].length_secs"
    );
    assert_eq!(
        field(&[ShiftType {
            starts_secs: vec![0, 1_800],
            ..ok.clone()
        }]),
        "shift_types[0].starts_secs[1]"
    );
    assert_eq!(
        field(&[ShiftType {
            cost: f64::NAN,
            ..ok.clone()
        }]),
        "shift_types[0].cost"
    );
    assert_eq!(
        field(&[ShiftType {
            cost: -1.0,
            ..ok.clone()
        }]),
        "shift_types[0].cost"
    );
    assert_eq!(
        field(&[ShiftType {
            min_agents: 3,
            max_agents: Some(2),
            ..ok.clone()
        }]),
        "shift_types[0].min_agents"
    );
    let with = |breaks: Vec<BreakRule>| ShiftType {
        breaks,
        ..ok.clone()
    };
    assert_eq!(
        field(&[with(vec![BreakRule::new(0, 0, 0)])]),
        "shift_types[0].breaks[0].length_secs"
    );
    assert_eq!(
        field(&[with(vec![BreakRule::new(600, 1_200, 600)])]),
        "shift_types[0].breaks[0].latest_secs"
    );
    assert_eq!(
        field(&[with(vec![BreakRule::new(900, 0, 3_000)])]),
        "shift_types[0].breaks[0].latest_secs"
    );
    assert_eq!(
        field(&[with(vec![
            BreakRule::new(600, 0, 1_200),
            BreakRule::new(600, 1_500, 1_800)
        ])]),
        "shift_types[0].breaks[1].earliest_secs"
    );
    // Times of odd seconds make a day of too many steps.
    assert_eq!(
        field(&[ShiftType {
            starts_secs: vec![1],
            length_secs: 1_800,
            ..ok.clone()
        }]),
        "shift_types"
    );
    // A start every minute, each with a break that may start in any of
    // 334 minutes: a program of over 300,000 variables.
    let minutes = Requirement::new(60, vec![1; 1_440]).unwrap();
    let wide = ShiftType {
        starts_secs: (0..960).map(|m| m * 60).collect(),
        length_secs: 28_800,
        breaks: vec![BreakRule::new(600, 0, 19_980)],
        ..ok.clone()
    };
    match schedule(&minutes, &[wide]) {
        Err(ScheduleError::Invalid { field, reason }) => {
            assert_eq!(field, "shift_types");
            assert!(reason.contains("variables"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        Requirement::new(1_800, vec![]),
        Err(ScheduleError::Invalid { .. })
    ));
}
