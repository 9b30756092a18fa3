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
            handle_factor: expert,
            ..ServedBy::new("experts")
        },
        ServedBy {
            handle_factor: junior,
            ..ServedBy::new("juniors")
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

/// The report of one run as JSON, without the figures the outcome rules
/// added (zero without them, but for the waiting part of the cost), hashed
/// with 64-bit FNV-1a.
fn report_hash(s: &Scenario) -> u64 {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                for k in ["waiting_cost", "sales", "revenue", "churned", "churn_loss"] {
                    m.remove(k);
                }
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let r = callroute::sim::Simulation::new(s, 1)
        .unwrap()
        .run()
        .unwrap();
    let mut v = serde_json::to_value(&r).unwrap();
    strip(&mut v);
    serde_json::to_string(&v)
        .unwrap()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |h: u64, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
}

#[test]
fn without_outcome_rules_every_report_is_what_it_was_before_them() {
    // The hashes of the example scenarios' reports at 281aff7, the commit
    // before outcomes by who answers, sales and churn.
    for (file, before) in [
        ("default_center", 0x5a45_87da_b005_79c0_u64),
        ("omnichannel", 0xfedc_1e27_1ad9_34a6),
        ("large_bank", 0x9489_2099_30bc_c52f),
        ("small_shop", 0x112a_e6c5_811e_4a5d),
    ] {
        let path = format!(
            "{}/examples/scenarios/{file}.toml",
            env!("CARGO_MANIFEST_DIR")
        );
        let s: Scenario = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(report_hash(&s), before, "{file}");
    }
}

#[test]
fn sales_follow_the_conversion_of_whoever_answers() {
    let mut s = center(Selection::default(), 1.0, 1.0);
    s.streams[0].conversion = Some(callroute::sim::Conversion {
        share: 0.2,
        value: 100.0,
    });
    s.streams[0].served_by[0].conversion_share = Some(0.6);
    let r = callroute::sim::Simulation::new(&s, 8)
        .unwrap()
        .run()
        .unwrap();
    let o = &r.overall;
    assert!(o.sales > 0);
    assert!((o.revenue - 100.0 * o.sales as f64).abs() < 1e-9);
    // Experts and juniors answer about half each: about 40% buy.
    let share = o.sales as f64 / o.answered as f64;
    assert!((0.3..0.5).contains(&share), "{share}");
    assert!((o.net() - (o.revenue - o.cost - o.churn_loss)).abs() < 1e-9);
    // Sending contacts to the experts first sells more, paired on the same
    // customers (each customer's chance of buying is drawn at arrival).
    let mut best = s.clone();
    best.queues[0].selection = Selection::MostProficient;
    let diff = compare(&s, &best, 2026, 20).unwrap()[0].1;
    assert!(diff.net.mean > diff.net.half_width, "{diff:?}");
}

#[test]
fn customers_leave_after_unresolved_or_long_waits() {
    let mut s = center(Selection::default(), 1.0, 1.0);
    s.streams[0].stage = callroute::LifecycleStage::Retention;
    s.streams[0].unresolved_share = 0.3;
    // Customers would come back after the day: no repeats to count.
    s.streams[0].repeat_after = Some(Dist::fixed(1e6).unwrap());
    s.streams[0].churn = Some(callroute::sim::Churn {
        unresolved: 1.0,
        long_wait_secs: 1e9,
        after_long_wait: 0.0,
        value: 400.0,
    });
    let r = callroute::sim::Simulation::new(&s, 5)
        .unwrap()
        .run()
        .unwrap();
    let o = &r.overall;
    // Every unresolved contact's customer leaves, and only those.
    assert_eq!(o.repeats, 0);
    assert!(o.unresolved > 0);
    assert_eq!(o.churned, o.unresolved);
    assert!((o.churn_loss - 400.0 * o.churned as f64).abs() < 1e-9);
    // Long waits alone: everyone who waited over 30 s leaves, answered or
    // abandoned.
    s.streams[0].unresolved_share = 0.0;
    s.streams[0].repeat_after = None;
    s.streams[0].churn = Some(callroute::sim::Churn {
        unresolved: 0.0,
        long_wait_secs: 30.0,
        after_long_wait: 1.0,
        value: 400.0,
    });
    let r = callroute::sim::Simulation::new(&s, 5)
        .unwrap()
        .run()
        .unwrap();
    let o = &r.overall;
    let waited_long = o.wait_histogram.total() - o.wait_histogram.at_most(30.0);
    // The histogram's bins end on whole seconds: a wait of 30.4 s is in
    // the bin from 30 to 31, long for the rule.
    assert!(o.churned > 0);
    assert!(
        o.churned.abs_diff(waited_long)
            <= o.wait_histogram
                .bins()
                .filter(|b| b.0 == 30.0)
                .map(|b| b.2)
                .sum::<u64>(),
        "{} vs {waited_long}",
        o.churned
    );
}

#[test]
fn upset_callers_need_a_group_that_can_calm_them() {
    let mut s = center(Selection::default(), 1.0, 1.0);
    s.streams[0].sentiment = callroute::Sentiment::new(-0.8).unwrap();
    s.streams[0].repeat_after = Some(Dist::exponential(7_200.0).unwrap());
    let calm = callroute::SkillId::new(9);
    s.groups[0]
        .skills
        .push((calm, Proficiency::new(5).unwrap()));
    s.streams[0].deescalation = Some(callroute::sim::Deescalation {
        skill: calm,
        unresolved_share: 0.8,
    });
    let r = callroute::sim::Simulation::new(&s, 6)
        .unwrap()
        .run()
        .unwrap();
    let o = &r.overall;
    // The experts calm them (the stream resolves everything), the juniors
    // leave 80% unresolved: about 40% over both.
    let share = o.unresolved as f64 / (o.resolved + o.unresolved) as f64;
    assert!((0.3..0.5).contains(&share), "{share}");
    // Give the juniors the skill: nobody is left unresolved.
    s.groups[1]
        .skills
        .push((calm, Proficiency::new(5).unwrap()));
    let r = callroute::sim::Simulation::new(&s, 6)
        .unwrap()
        .run()
        .unwrap();
    assert_eq!(r.overall.unresolved, 0);
}
