//! The simulator against queueing theory (Erlang C and Erlang A), its
//! determinism, conservation, and scenario validation.

use callroute::sim::*;
use callroute::staffing::{ErlangA, ErlangC, Load, ServiceLevelDefinition};

/// `value` lies within two half-widths of the 95% interval (about 99.8%
/// with ten replications): a deterministic check on fixed seeds that a
/// correct simulator passes with near certainty.
fn agrees(e: Estimate, value: f64, what: &str) {
    assert!(
        (e.mean - value).abs() <= 2.0 * e.half_width,
        "{what}: simulated {} ± {}, theory {value}",
        e.mean,
        e.half_width
    );
}

#[test]
fn one_queue_without_abandonment_agrees_with_erlang_c() {
    // 9 Erlangs on 10 agents: 540 calls an hour of 60 s on average.
    let s = Scenario::single_queue(
        10,
        540.0,
        Dist::exponential(60.0).unwrap(),
        None,
        48 * 3_600,
    );
    let summary = replicate(&s, 11, 10).unwrap();
    let q = ErlangC::new(10, Load::new(9.0).unwrap(), 60.0).unwrap();
    agrees(
        summary.overall.service_level,
        q.service_level(20.0).unwrap(),
        "service level",
    );
    agrees(
        summary.overall.average_speed_of_answer,
        q.average_speed_of_answer(),
        "average speed of answer",
    );
    agrees(summary.occupancy, q.occupancy(), "occupancy");
    agrees(summary.overall.prob_wait, q.prob_wait(), "P(wait)");
    // Nobody abandons: both service levels are one figure.
    assert_eq!(
        summary.overall.service_level_of_answered,
        summary.overall.service_level
    );
    // One voice call at a time: the busy share is the slots' share.
    assert_eq!(summary.channel_occupancy.len(), 1);
    assert_eq!(summary.channel_occupancy[0].1, summary.occupancy);
    // One interval: its time-averaged figures are the queue's.
    agrees(
        summary.interval_occupancy[0],
        q.occupancy(),
        "interval occupancy",
    );
    agrees(
        summary.interval_queue_length[0],
        q.queue_length(),
        "interval queue length",
    );
    assert_eq!(summary.overall.abandonment.mean, 0.0);
}

#[test]
fn interval_figures_count_time_where_it_is_spent() {
    // Two busy half hours, then a quiet one in which the queue drains and
    // the last services end.
    let mut s = Scenario::single_queue(2, 200.0, Dist::exponential(20.0).unwrap(), None, 1_800);
    s.interval_secs = 1_800;
    s.intervals = 3;
    s.streams[0].rates_per_hour = vec![200.0, 200.0, 0.0];
    let r = Simulation::new(&s, 9).unwrap().run().unwrap();
    assert_eq!(r.overall.waiting_at_end, 0);
    assert!(r.overall.answered > 150 && r.overall.total_wait_secs > 0.0);
    // Every second waited and served lies in some interval, once.
    let waited: f64 = r.interval_queue_length.iter().map(|q| q * 1_800.0).sum();
    assert!((waited - r.overall.total_wait_secs).abs() < 1e-6 * waited);
    let served: f64 = r.interval_occupancy.iter().map(|o| o * 2.0 * 1_800.0).sum();
    assert!((served - r.overall.handle_secs).abs() < 1e-6 * served);
    // Nobody arrives in the third interval: little service, no queue left.
    let busiest = |v: &[f64]| v[0].max(v[1]);
    assert!(r.interval_occupancy[2] < busiest(&r.interval_occupancy) / 5.0);
    assert!(r.interval_queue_length[2] < busiest(&r.interval_queue_length) / 5.0);
    assert_eq!(r.intervals[2].offered, 0);
}

#[test]
fn one_queue_with_patience_agrees_with_erlang_a() {
    // 11 Erlangs on 10 agents, mean patience 120 s: stable only because
    // callers abandon.
    let s = Scenario::single_queue(
        10,
        660.0,
        Dist::exponential(60.0).unwrap(),
        Some(Dist::exponential(120.0).unwrap()),
        48 * 3_600,
    );
    let summary = replicate(&s, 5, 10).unwrap();
    let q = ErlangA::new(10, Load::new(11.0).unwrap(), 60.0, 120.0).unwrap();
    agrees(summary.overall.abandonment, q.prob_abandon(), "abandonment");
    agrees(
        summary.overall.service_level,
        q.service_level(20.0, ServiceLevelDefinition::OfOffered)
            .unwrap(),
        "service level",
    );
    agrees(
        summary.overall.average_wait,
        q.average_wait(),
        "average wait",
    );
    agrees(summary.overall.prob_wait, q.prob_wait(), "P(wait)");
    agrees(
        summary.overall.service_level_of_answered,
        q.service_level(20.0, ServiceLevelDefinition::OfAnswered)
            .unwrap(),
        "service level of the answered",
    );
}

#[test]
fn the_same_seed_gives_the_same_report() {
    let s = Scenario::single_queue(
        5,
        300.0,
        Dist::log_normal(50.0, 30.0).unwrap(),
        Some(Dist::gamma(2.0, 90.0).unwrap()),
        3_600,
    );
    let a = Simulation::new(&s, 42).unwrap().run().unwrap();
    let b = Simulation::new(&s, 42).unwrap().run().unwrap();
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    let c = Simulation::new(&s, 43).unwrap().run().unwrap();
    assert_ne!(a, c);
}

#[test]
fn replications_do_not_depend_on_the_thread_count() {
    let s = Scenario::single_queue(
        6,
        400.0,
        Dist::exponential(45.0).unwrap(),
        Some(Dist::exponential(60.0).unwrap()),
        3_600,
    );
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| replicate(&s, 77, 8).unwrap())
    };
    let one = on(1);
    assert_eq!(one, on(2));
    assert_eq!(one, on(5));
}

#[test]
fn every_contact_is_answered_abandoned_or_still_waiting() {
    let s = Scenario::single_queue(
        3,
        400.0,
        Dist::exponential(40.0).unwrap(),
        Some(Dist::exponential(30.0).unwrap()),
        2 * 3_600,
    );
    let r = Simulation::new(&s, 3).unwrap().run().unwrap();
    let segments = std::iter::once(&r.overall)
        .chain(r.queues.iter().map(|x| &x.1))
        .chain(r.stages.iter().map(|x| &x.1))
        .chain(r.channels.iter().map(|x| &x.1))
        .chain(r.streams.iter().map(|x| &x.1))
        .chain(r.intervals.iter())
        .chain(r.queue_intervals.iter().flatten());
    for seg in segments {
        assert_eq!(
            seg.offered,
            seg.answered + seg.abandoned + seg.waiting_at_end
        );
        assert_eq!(seg.wait_histogram.total(), seg.answered + seg.abandoned);
        assert_eq!(seg.abandoned_wait_histogram.total(), seg.abandoned);
    }
    // Each queue's intervals split its contacts.
    assert_eq!(r.queue_intervals.len(), r.queues.len());
    for (q, per_k) in r.queues.iter().zip(&r.queue_intervals) {
        assert_eq!(per_k.len(), r.intervals.len());
        assert_eq!(per_k.iter().map(|k| k.offered).sum::<u64>(), q.1.offered);
        assert_eq!(
            per_k.iter().map(|k| k.abandoned).sum::<u64>(),
            q.1.abandoned
        );
    }
    assert!(r.overall.offered > 500 && r.overall.abandoned > 0);
    // No agent serves the queue: everyone abandons.
    let mut nobody = s.clone();
    nobody.groups[0].profile = callroute::RoutingProfile::new();
    let r = Simulation::new(&nobody, 3).unwrap().run().unwrap();
    assert_eq!(r.overall.abandoned, r.overall.offered);
}

#[test]
fn common_random_numbers_give_the_same_customers() {
    // More agents change waits, not who arrives or how long they need.
    let fewer = Scenario::single_queue(4, 300.0, Dist::exponential(45.0).unwrap(), None, 3_600);
    let mut more = fewer.clone();
    more.groups[0].count = 6;
    let a = Simulation::new(&fewer, 9).unwrap().run().unwrap();
    let b = Simulation::new(&more, 9).unwrap().run().unwrap();
    assert_eq!(a.overall.offered, b.overall.offered);
    assert!((a.overall.handle_secs - b.overall.handle_secs).abs() < 1e-6);
    assert!(b.overall.average_wait() <= a.overall.average_wait());
}

#[test]
fn bad_scenarios_name_the_field_at_fault() {
    let good = Scenario::single_queue(5, 300.0, Dist::exponential(60.0).unwrap(), None, 3_600);
    let field = |s: &Scenario| match Simulation::new(s, 1) {
        Err(SimError::Invalid { field, .. }) => field,
        other => panic!("expected an invalid field, got {other:?}"),
    };
    let mut s = good.clone();
    s.streams[0].rates_per_hour = vec![1.0, 2.0];
    assert_eq!(field(&s), "streams[0].rates_per_hour");
    let mut s = good.clone();
    s.streams[0].rates_per_hour = vec![f64::NAN];
    assert_eq!(field(&s), "streams[0].rates_per_hour[0]");
    let mut s = good.clone();
    s.streams[0].handle = Dist::Exponential { mean: -3.0 };
    assert_eq!(field(&s), "streams[0].handle.mean");
    let mut s = good.clone();
    s.streams[0].queue = callroute::QueueId::new(9);
    assert_eq!(field(&s), "streams[0].queue");
    let mut s = good.clone();
    s.intervals = 0;
    assert_eq!(field(&s), "intervals");
    let mut s = good.clone();
    s.groups[0].count = 2_000_000;
    assert_eq!(field(&s), "groups[0].count");
    // Arrivals as a daily volume and a shape: one or the other, sane.
    let mut s = good.clone();
    s.streams[0].daily_volume = Some(100.0);
    assert_eq!(field(&s), "streams[0].daily_volume");
    s.streams[0].rates_per_hour.clear();
    s.streams[0].intraday_profile = vec![1.0, 2.0];
    assert_eq!(field(&s), "streams[0].intraday_profile");
    s.streams[0].intraday_profile = vec![0.0];
    assert_eq!(field(&s), "streams[0].intraday_profile");
    s.streams[0].intraday_profile = vec![-1.0];
    assert_eq!(field(&s), "streams[0].intraday_profile[0]");
    s.streams[0].intraday_profile = vec![1.0];
    s.streams[0].daily_volume = Some(1e300);
    assert_eq!(field(&s), "streams[0].daily_volume");
    s.streams[0].daily_volume = None;
    assert_eq!(field(&s), "streams[0].rates_per_hour");
    let mut s = good.clone();
    s.streams[0].intraday_profile = vec![1.0];
    assert_eq!(field(&s), "streams[0].intraday_profile");
    let mut s = good.clone();
    s.volume_factor = f64::NAN;
    assert_eq!(field(&s), "volume_factor");
    // A scenario read from JSON: unknown fields are refused.
    let json = serde_json::to_string(&good).unwrap();
    let back: Scenario = serde_json::from_str(&json).unwrap();
    assert_eq!(back, good);
    let wrong = json.replacen("\"intervals\"", "\"intervalz\"", 1);
    assert!(serde_json::from_str::<Scenario>(&wrong).is_err());
}

#[test]
fn a_daily_volume_follows_its_intraday_profile() {
    // 3,000 contacts over four hours shaped 1 : 0 : 3 : 2, on a day 20%
    // busier than usual; plenty of agents.
    let mut s = Scenario::single_queue(60, 0.0, Dist::exponential(60.0).unwrap(), None, 3_600);
    s.intervals = 4;
    s.streams[0].rates_per_hour.clear();
    s.streams[0].daily_volume = Some(3_000.0);
    s.streams[0].intraday_profile = vec![1.0, 0.0, 3.0, 2.0];
    s.volume_factor = 1.2;
    assert_eq!(
        s.hourly_rates(&s.streams[0]),
        vec![600.0, 0.0, 1_800.0, 1_200.0]
    );
    let r = Simulation::new(&s, 4).unwrap().run().unwrap();
    let offered: Vec<u64> = r.intervals.iter().map(|i| i.offered).collect();
    assert_eq!(offered[1], 0);
    // Poisson counts within five standard deviations of their means.
    for (k, mean) in [(0, 600.0), (2, 1_800.0), (3, 1_200.0)] {
        let n = offered[k] as f64;
        assert!((n - mean).abs() < 5.0 * f64::sqrt(mean), "{offered:?}");
    }
}

#[test]
fn agents_work_their_shifts_and_shrinkage_takes_some_away() {
    // Arrivals stop 20 minutes before the second shift ends, so that the
    // last callers are served; the report counts agent time to its end.
    let mut s = Scenario::single_queue(2, 60.0, Dist::exponential(60.0).unwrap(), None, 6_000);
    s.window = Some(ReportWindow {
        from_secs: 0,
        to_secs: 7_200,
    });
    s.groups[0].shifts = vec![
        Shift {
            start_secs: 0,
            end_secs: 1_800,
        },
        Shift {
            start_secs: 3_600,
            end_secs: 7_200,
        },
    ];
    let r = Simulation::new(&s, 4).unwrap().run().unwrap();
    // Callers of the break wait for the second shift.
    assert!(
        r.overall.longest_wait_secs > 1_200.0,
        "{}",
        r.overall.longest_wait_secs
    );
    assert_eq!(r.overall.waiting_at_end, 0);
    // Occupancy is over the time on duty: two agents for 1,800 + 3,600 s.
    let handled = r.overall.handle_secs;
    assert!((r.occupancy - handled / (2.0 * 5_400.0)).abs() < 1e-9);
    // 10 agents at 30% shrinkage are 7 on duty: the same run as 7 agents.
    let mut ten = Scenario::single_queue(10, 300.0, Dist::exponential(60.0).unwrap(), None, 3_600);
    ten.groups[0].shrinkage = 0.3;
    let mut seven = ten.clone();
    seven.groups[0].count = 7;
    seven.groups[0].shrinkage = 0.0;
    assert_eq!(
        Simulation::new(&ten, 2).unwrap().run().unwrap(),
        Simulation::new(&seven, 2).unwrap().run().unwrap()
    );
    // Shifts out of order, and a shrinkage of 1, are named.
    let mut bad = s.clone();
    bad.groups[0].shifts.swap(0, 1);
    assert!(matches!(
        Simulation::new(&bad, 1),
        Err(SimError::Invalid { field, .. }) if field == "groups[0].shifts[1]"
    ));
    let mut bad = s.clone();
    bad.groups[0].shrinkage = 1.0;
    assert!(matches!(
        Simulation::new(&bad, 1),
        Err(SimError::Invalid { field, .. }) if field == "groups[0].shrinkage"
    ));
}

#[test]
fn souring_callers_rise_and_costs_add_up() {
    // One queue, calm callers and callers whose mood sours as they wait.
    let mut s = Scenario::single_queue(
        8,
        400.0,
        Dist::exponential(70.0).unwrap(),
        Some(Dist::exponential(300.0).unwrap()),
        4 * 3_600,
    );
    let mut souring = s.streams[0].clone();
    souring.name = "souring".into();
    souring.sentiment_drift_per_minute = -0.5;
    s.streams[0].name = "calm".into();
    s.streams.push(souring);
    s.streams[0].sentiment_sd = 0.3;
    s.costs = Costs {
        abandoned: [100.0; 5],
        waiting_per_second: [2.0, 1.0, 0.5],
    };
    let r = Simulation::new(&s, 8).unwrap().run().unwrap();
    let asa = |name: &str| {
        r.streams
            .iter()
            .find(|(n, _)| n == name)
            .unwrap()
            .1
            .average_speed_of_answer()
    };
    // The router lifts the upset: they wait less than the calm.
    assert!(
        asa("souring") < asa("calm"),
        "{} vs {}",
        asa("souring"),
        asa("calm")
    );
    // Without drift the two streams are alike (same mean mood).
    let mut still = s.clone();
    still.streams[1].sentiment_drift_per_minute = 0.0;
    let q = Simulation::new(&still, 8).unwrap().run().unwrap();
    let calm_still = q.streams[0].1.average_speed_of_answer();
    assert!(asa("calm") > calm_still, "drift moves the calm back");
    // Bands partition the contacts, and the costs add up: 100 per abandon
    // plus waiting at the band's rate.
    let bands: u64 = r.sentiment_bands.iter().map(|b| b.1.offered).sum();
    assert_eq!(bands, r.overall.offered);
    let expected: f64 = r
        .sentiment_bands
        .iter()
        .zip([2.0, 1.0, 0.5])
        .map(|((_, b), rate)| 100.0 * b.abandoned as f64 + rate * b.total_wait_secs)
        .sum();
    assert!((r.overall.cost - expected).abs() <= 1e-9 * expected.max(1.0));
}

/// Purchase calls and discovery questions in one queue, a little under
/// staffed: `weights` decide who waits.
fn two_stage_center(weights: callroute::PriorityWeights) -> Scenario {
    let mut s = Scenario::single_queue(
        9,
        480.0,
        Dist::exponential(60.0).unwrap(),
        Some(Dist::exponential(90.0).unwrap()),
        4 * 3_600,
    );
    s.router.weights = weights;
    s.streams[0].name = "discovery".into();
    s.streams[0].stage = callroute::LifecycleStage::Discovery;
    let mut buy = s.streams[0].clone();
    buy.name = "purchase".into();
    buy.stage = callroute::LifecycleStage::Conversion;
    s.streams.push(buy);
    s
}

#[test]
fn lifecycle_priority_against_fifo_on_the_same_customers() {
    let a = two_stage_center(callroute::PriorityWeights::fifo());
    let b = two_stage_center(callroute::PriorityWeights::default());
    let diff = compare(&a, &b, 21, 10).unwrap();
    let get = |name: &str| diff.iter().find(|(n, _)| n == name).unwrap().1;
    // Purchase calls gain, discovery questions pay; both beyond the noise.
    let buy = get("stage purchase").service_level;
    let ask = get("stage discovery").service_level;
    assert!(buy.mean - buy.half_width > 0.0, "{buy:?}");
    assert!(ask.mean + ask.half_width < 0.0, "{ask:?}");
    // Staffing the purchase stage to 90%: no fewer agents with FIFO.
    let target = [SegmentTarget {
        segment: "stage purchase".into(),
        service_level: 0.9,
    }];
    let (with_priority, _) =
        fewest_agents_by_simulation(&b, &[0], &target, 4, 5, 30, &|| {}).unwrap();
    let (with_fifo, _) = fewest_agents_by_simulation(&a, &[0], &target, 4, 5, 30, &|| {}).unwrap();
    assert!(with_priority <= with_fifo, "{with_priority} vs {with_fifo}");
}

#[test]
fn a_run_can_be_stepped_and_ends_even_when_nobody_serves() {
    let s = Scenario::single_queue(3, 300.0, Dist::exponential(60.0).unwrap(), None, 1_800);
    let mut sim = Simulation::new(&s, 5).unwrap();
    let mut steps = 0;
    let mut last = sim.now();
    while sim.step().unwrap() {
        assert!(sim.now() >= last, "time never goes back");
        last = sim.now();
        steps += 1;
    }
    let stepped = sim.into_report();
    assert!(steps > 100);
    assert_eq!(stepped, Simulation::new(&s, 5).unwrap().run().unwrap());
    // Nobody serves, callers wait forever and their mood sours: the run
    // still ends (drift stops at the end of the scale).
    let mut nobody = s.clone();
    nobody.groups[0].profile = callroute::RoutingProfile::new();
    nobody.streams[0].sentiment_drift_per_minute = -0.5;
    let r = Simulation::new(&nobody, 5).unwrap().run().unwrap();
    assert_eq!(r.overall.waiting_at_end, r.overall.offered);
    assert_eq!(r.overall.service_level(), 0.0);
}

#[test]
fn upset_callers_can_be_less_patient() {
    let mut s = Scenario::single_queue(
        8,
        560.0,
        Dist::exponential(60.0).unwrap(),
        Some(Dist::exponential(120.0).unwrap()),
        4 * 3_600,
    );
    s.streams[0].sentiment_sd = 0.5;
    let before = Simulation::new(&s, 6).unwrap().run().unwrap();
    s.streams[0].patience_by_mood = [0.25, 1.0, 1.0];
    let after = Simulation::new(&s, 6).unwrap().run().unwrap();
    let negative = |r: &Report| r.sentiment_bands[0].1.abandonment();
    assert_eq!(before.overall.offered, after.overall.offered);
    assert!(
        negative(&after) > negative(&before) + 0.02,
        "{} vs {}",
        negative(&after),
        negative(&before)
    );
    s.streams[0].patience_by_mood = [0.0, 1.0, 1.0];
    assert!(matches!(
        Simulation::new(&s, 1),
        Err(SimError::Invalid { field, .. }) if field == "streams[0].patience_by_mood[0]"
    ));
}

#[test]
fn a_team_is_staffed_in_proportion() {
    let mut s = Scenario::single_queue(7, 600.0, Dist::exponential(60.0).unwrap(), None, 3_600);
    for count in [3, 0] {
        let mut g = s.groups[0].clone();
        g.count = count;
        s.groups.push(g);
    }
    let counts = |t: &Scenario| t.groups.iter().map(|g| g.count).collect::<Vec<_>>();
    // 7 : 3 : 0 of 21 → 14.7, 6.3, 0 → 15, 6, 0.
    assert_eq!(counts(&s.with_team(&[0, 1, 2], 21).unwrap()), [15, 6, 0]);
    assert_eq!(counts(&s.with_team(&[1], 4).unwrap()), [7, 4, 0]);
    // A team of empty groups is split evenly, earlier groups first.
    assert_eq!(counts(&s.with_team(&[2], 5).unwrap()), [7, 3, 5]);
    let mut empty = s.clone();
    empty.groups[0].count = 0;
    empty.groups[1].count = 0;
    assert_eq!(counts(&empty.with_team(&[0, 1], 5).unwrap()), [3, 2, 0]);
    for bad in [&[][..], &[3], &[0, 0]] {
        assert!(matches!(s.with_team(bad, 5), Err(SimError::Invalid { .. })));
    }
}

#[test]
fn a_staffing_curve_is_replications_at_each_count() {
    let s = Scenario::single_queue(0, 600.0, Dist::exponential(60.0).unwrap(), None, 4 * 3_600);
    let curve = staffing_curve(&s, &[0], [11, 12, 14], 21, 4).unwrap();
    assert_eq!(
        curve.iter().map(|p| p.agents).collect::<Vec<_>>(),
        [11, 12, 14]
    );
    let mut twelve = s.clone();
    twelve.groups[0].count = 12;
    assert_eq!(curve[1].summary, replicate(&twelve, 21, 4).unwrap());
    // Same customers at every count: more agents, shorter waits.
    let waits: Vec<f64> = curve
        .iter()
        .map(|p| p.summary.overall.average_speed_of_answer.mean)
        .collect();
    assert!(waits[0] > waits[1] && waits[1] > waits[2], "{waits:?}");
    assert!(matches!(
        staffing_curve(&s, &[3], [1], 21, 4),
        Err(SimError::Invalid { .. })
    ));
}

#[test]
fn group_occupancies_make_up_the_whole() {
    // Two groups on one queue, always on duty: the center's busy share is
    // their agent-weighted mean.
    let mut s = Scenario::single_queue(4, 400.0, Dist::exponential(60.0).unwrap(), None, 3_600);
    let mut second = s.groups[0].clone();
    second.name = "backup".into();
    second.count = 2;
    s.groups.push(second);
    let r = Simulation::new(&s, 12).unwrap().run().unwrap();
    assert_eq!(r.groups.len(), 2);
    assert_eq!(r.groups[1].0, "backup");
    let weighted = (4.0 * r.groups[0].1 + 2.0 * r.groups[1].1) / 6.0;
    assert!(
        (weighted - r.occupancy).abs() < 1e-9,
        "{weighted} vs {}",
        r.occupancy
    );
    assert!(r.groups.iter().all(|(_, o)| *o > 0.2 && *o < 1.0));
    let summary = replicate(&s, 12, 3).unwrap();
    assert_eq!(summary.group_occupancy[1].0, "backup");
}

#[test]
fn shards_run_apart_merge_into_one_study() {
    let s = Scenario::single_queue(
        8,
        400.0,
        Dist::exponential(60.0).unwrap(),
        Some(Dist::exponential(90.0).unwrap()),
        3_600,
    );
    let one_run = replicate(&s, 5, 9).unwrap();
    // Three tasks of a job array write their shards as JSON...
    let files: Vec<String> = [0..3, 3..7, 7..9]
        .into_iter()
        .map(|r| serde_json::to_string(&Shard::run(&s, 5, r, &|| {}).unwrap()).unwrap())
        .collect();
    // ...read back in any order and merged: the figures of one run.
    let shards: Vec<Shard> = files
        .iter()
        .rev()
        .map(|f| serde_json::from_str(f).unwrap())
        .collect();
    let merged = Shard::merge(shards.clone()).unwrap();
    assert_eq!(merged.range(), 0..9);
    assert_eq!(merged.summary().unwrap(), one_run);
    // What does not fit is refused, naming the replications.
    let refused = |shards: Vec<Shard>| match Shard::merge(shards) {
        Err(SimError::Invalid { field, problem }) => {
            assert_eq!(field, "shards");
            problem
        }
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert!(refused(vec![shards[0].clone(), shards[2].clone()]).contains("gap"));
    let mut again = shards[1].clone();
    again.first = 2;
    assert!(refused(vec![shards[2].clone(), again]).contains("overlap"));
    let mut other_seed = shards[1].clone();
    other_seed.seed = 6;
    assert!(refused(vec![shards[2].clone(), other_seed]).contains("seed"));
    let mut other = shards[1].clone();
    other.scenario.groups[0].count = 9;
    assert!(refused(vec![shards[2].clone(), other]).contains("another scenario"));
    assert!(refused(Vec::new()).contains("no shard"));
}

/// The sample variance of the replications' arrival counts, and the
/// tolerance for it: four standard deviations of a sample variance of
/// `n` draws of variance `var` and excess kurtosis `kurtosis`.
fn arrival_variance(s: &Scenario, n: u32) -> (f64, f64) {
    let counts: Vec<f64> = callroute::sim::run_replications(s, 17, 0..n, &|| {})
        .unwrap()
        .iter()
        .map(|r| r.overall.offered as f64)
        .collect();
    let mean = counts.iter().sum::<f64>() / f64::from(n);
    let var = counts.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / f64::from(n - 1);
    (mean, var)
}

#[test]
fn a_busyness_factor_adds_its_variance_to_the_days_arrivals() {
    let mut s = Scenario::single_queue(1, 600.0, Dist::exponential(30.0).unwrap(), None, 3_600);
    let n = 400;
    let tolerance = |var: f64, kurtosis: f64| {
        4.0 * var * (2.0 / f64::from(n - 1) + kurtosis / f64::from(n)).sqrt()
    };
    // Poisson alone: the variance is the mean.
    let (mean, var) = arrival_variance(&s, n);
    assert!(
        (mean - 600.0).abs() < 4.0 * (600.0f64 / f64::from(n)).sqrt(),
        "{mean}"
    );
    assert!((var - 600.0).abs() < tolerance(600.0, 1.0 / 600.0), "{var}");
    // Poisson–gamma with cv 0.2: μ + (cv μ)² = 600 + 14,400.
    s.busyness_cv = 0.2;
    let want = 600.0 + (0.2f64 * 600.0).powi(2);
    let (mean, var) = arrival_variance(&s, n);
    assert!(
        (mean - 600.0).abs() < 4.0 * (want / f64::from(n)).sqrt(),
        "{mean}"
    );
    // The gamma's excess kurtosis, 6 cv², dominates the count's.
    assert!(
        (var - want).abs() < tolerance(want, 6.0 * 0.04),
        "{var} vs {want}"
    );
    // One seed, one day: two scenarios compared meet the same busyness.
    let mut more_agents = s.clone();
    more_agents.groups[0].count = 30;
    let a = callroute::sim::Simulation::new(&s, 3)
        .unwrap()
        .run()
        .unwrap();
    let b = callroute::sim::Simulation::new(&more_agents, 3)
        .unwrap()
        .run()
        .unwrap();
    assert_eq!(a.overall.offered, b.overall.offered);
    // Out of its domain, named.
    s.busyness_cv = 1.5;
    let err = s.validate().unwrap_err();
    assert!(err.to_string().contains("busyness_cv"), "{err}");
}

mod fewest_search {
    use callroute::sim::{Dist, Scenario, SegmentTarget, fewest_agents_by, replicate, search_runs};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

        /// Whatever the load, the target and where the team starts: the
        /// answer meets the target and one agent fewer misses it, no count
        /// is tried twice, and the search stays within `search_runs`.
        #[test]
        fn the_search_ends_on_the_fewest_within_its_bound(
            per_hour in 20.0f64..2_000.0,
            start in 1u32..60,
            target in 0.3f64..0.95,
        ) {
            let s = Scenario::single_queue(start, per_hour, Dist::exponential(120.0).unwrap(), Some(Dist::exponential(200.0).unwrap()), 3_600);
            let targets = [SegmentTarget { segment: "overall".into(), service_level: target }];
            let max = 200;
            let mut tried = Vec::new();
            let (n, at) = fewest_agents_by(&s, &[0], &targets, max, |s: &Scenario| {
                tried.push(s.groups[0].count);
                replicate(s, 7, 4)
            }).unwrap();
            prop_assert!(at.overall.service_level.mean >= target);
            if n > 0 {
                let fewer = replicate(&s.with_team(&[0], n - 1).unwrap(), 7, 4).unwrap();
                prop_assert!(fewer.overall.service_level.mean < target, "{n}: {tried:?}");
            }
            let mut once = tried.clone();
            once.sort_unstable();
            once.dedup();
            prop_assert_eq!(once.len(), tried.len(), "{:?}", tried);
            prop_assert!(tried.len() as u64 * 4 <= search_runs(start, max, 4), "{:?}", tried);
        }
    }
}
