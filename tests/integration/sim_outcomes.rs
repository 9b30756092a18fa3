//! Outcomes that depend on who answers: a group's handle time and
//! resolution, so that matching contacts to agents shows in the figures.

use callroute::sim::{Dist, Scenario, ServedBy, Summary, compare, replicate};
use callroute::{Proficiency, Selection, SkillId};

const RATE: f64 = 130.0;

/// One queue served by six experts (proficiency 9) and six juniors (3);
/// the experts handle with `expert` × the stream's handle time and the
/// juniors with `junior` ×.
fn center(selection: Selection, expert: f64, junior: f64) -> Scenario {
    let mut s = Scenario::single_queue(
        6,
        RATE,
        Dist::exponential(300.0).unwrap(),
        Some(Dist::exponential(180.0).unwrap()),
        8 * 3_600,
    );
    s.costs.abandoned = [20.0; 5];
    s.costs.waiting_per_second = [0.01; 3];
    let skill = SkillId::new(1);
    s.queues[0].requirements = callroute::Requirements::new().skill(skill, Proficiency::MIN);
    s.queues[0].selection = selection;
    s.streams[0].requirements = s.queues[0].requirements.clone();
    s.groups[0].name = "experts".into();
    s.groups[0].skills = vec![(skill, Proficiency::new(9).unwrap())];
    let mut juniors = s.groups[0].clone();
    juniors.name = "juniors".into();
    juniors.skills = vec![(skill, Proficiency::new(3).unwrap())];
    s.groups.push(juniors);
    s.streams[0].served_by = vec![
        ServedBy {
            group: "experts".into(),
            handle_factor: expert,
            unresolved_share: None,
        },
        ServedBy {
            group: "juniors".into(),
            handle_factor: junior,
            unresolved_share: None,
        },
    ];
    s
}

fn run(s: &Scenario) -> Summary {
    replicate(s, 2026, 40).unwrap()
}

/// `a`'s interval lies wholly below `b`'s.
fn below(a: callroute::sim::Estimate, b: callroute::sim::Estimate) -> bool {
    a.mean + a.half_width < b.mean - b.half_width
}

#[test]
fn where_experts_are_faster_the_most_proficient_beats_the_longest_idle() {
    let idle = center(Selection::default(), 0.5, 1.5);
    let best = center(Selection::MostProficient, 0.5, 1.5);
    let (a, b) = (run(&idle).overall, run(&best).overall);
    // Service level higher, cost lower, the 95% intervals apart.
    assert!(below(a.service_level, b.service_level), "{a:?} vs {b:?}");
    assert!(below(b.cost, a.cost), "{a:?} vs {b:?}");
    // Paired on the same customers, the gain is sharper still.
    let diff = compare(&idle, &best, 2026, 40).unwrap();
    let overall = diff[0].1;
    assert!(overall.service_level.mean > overall.service_level.half_width);
    assert!(-overall.cost.mean > overall.cost.half_width, "{overall:?}");
}

#[test]
fn where_experts_are_slower_the_most_proficient_loses() {
    // The thorough experts take longer: sending them every contact first
    // costs service level.
    let idle = center(Selection::default(), 1.5, 0.5);
    let best = center(Selection::MostProficient, 1.5, 0.5);
    let (a, b) = (run(&idle).overall, run(&best).overall);
    assert!(
        b.service_level.mean < a.service_level.mean,
        "{a:?} vs {b:?}"
    );
    assert!(b.cost.mean > a.cost.mean, "{a:?} vs {b:?}");
    // Paired on the same customers, the loss is beyond the noise.
    let diff = compare(&idle, &best, 2026, 40).unwrap();
    let overall = diff[0].1;
    assert!(
        -overall.service_level.mean > overall.service_level.half_width,
        "{overall:?}"
    );
    assert!(overall.cost.mean > overall.cost.half_width, "{overall:?}");
}

#[test]
fn with_every_group_alike_the_outcome_is_the_stream_s() {
    // Factors of 1 and no share: the same figures as no rule at all.
    let mut s = center(Selection::MostProficient, 1.0, 1.0);
    let with = run(&s);
    s.streams[0].served_by.clear();
    assert_eq!(with, run(&s));
}

#[test]
fn a_group_s_resolution_replaces_the_stream_s() {
    let mut s = center(Selection::default(), 1.0, 1.0);
    s.streams[0].repeat_after = Some(Dist::exponential(3_600.0).unwrap());
    s.streams[0].served_by[1].unresolved_share = Some(0.5);
    let r = callroute::sim::Simulation::new(&s, 4)
        .unwrap()
        .run()
        .unwrap();
    let o = &r.overall;
    // The experts resolve everything, the juniors half: about a quarter
    // unresolved when each answers about half.
    let share = o.unresolved as f64 / (o.resolved + o.unresolved) as f64;
    assert!((0.15..0.35).contains(&share), "{share}");
    assert!(o.repeats > 0);
    // A group that does not exist, or a share out of range, is named.
    s.streams[0].served_by[0].group = "nobody".into();
    let err = s.validate().unwrap_err().to_string();
    assert!(err.contains("streams[0].served_by[0].group"), "{err}");
    s.streams[0].served_by[0].group = "experts".into();
    s.streams[0].served_by[0].handle_factor = 0.0;
    let err = s.validate().unwrap_err().to_string();
    assert!(err.contains("handle_factor"), "{err}");
    s.streams[0].served_by[0].handle_factor = 1.0;
    s.streams[0].repeat_after = None;
    let err = s.validate().unwrap_err().to_string();
    assert!(err.contains("repeat_after"), "{err}");
}
