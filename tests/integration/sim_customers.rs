//! The simulator's customers beyond waiting: callbacks, repeat contacts
//! and first-contact resolution, and outbound follow-up tasks.

use callroute::sim::{Dist, Report, Scenario, Segment, SimError, Simulation, replicate};
use callroute::*;

fn base(agents: u32, per_hour: f64) -> Scenario {
    Scenario::single_queue(
        agents,
        per_hour,
        Dist::exponential(240.0).unwrap(),
        Some(Dist::exponential(120.0).unwrap()),
        4 * 3_600,
    )
}

fn run(s: &Scenario, seed: u64) -> Report {
    Simulation::new(s, seed).unwrap().run().unwrap()
}

fn all_segments(r: &Report) -> Vec<&Segment> {
    std::iter::once(&r.overall)
        .chain(r.queues.iter().map(|x| &x.1))
        .chain(r.stages.iter().map(|x| &x.1))
        .chain(r.channels.iter().map(|x| &x.1))
        .chain(r.streams.iter().map(|x| &x.1))
        .chain(r.sentiment_bands.iter().map(|x| &x.1))
        .chain(r.intervals.iter())
        .collect()
}

/// Offered = answered + abandoned + failed callbacks + still waiting, in
/// every segment.
fn conserved(r: &Report) {
    for seg in all_segments(r) {
        assert_eq!(
            seg.offered,
            seg.answered + seg.abandoned + seg.callbacks_failed + seg.waiting_at_end,
            "{seg:?}"
        );
    }
}

fn invalid_field(s: &Scenario) -> String {
    match Simulation::new(s, 1) {
        Err(SimError::Invalid { field, .. }) => field,
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

#[test]
fn callers_called_back_never_abandon() {
    // Overloaded: 8 agents for about 10 erlangs.
    let mut s = base(8, 150.0);
    s.queues[0].callbacks = Some(CallbackPolicy {
        offer_above: TimeSpan::ZERO,
        ..CallbackPolicy::default()
    });
    let holding = run(&s, 5);
    s.streams[0].callback_share = 1.0;
    let called_back = run(&s, 5);
    conserved(&called_back);
    assert!(
        holding.overall.abandoned > 50,
        "{:?}",
        holding.overall.abandoned
    );
    // Everyone made to wait asks for a callback, and is granted one.
    assert_eq!(called_back.overall.abandoned, 0);
    assert!(called_back.overall.callbacks > 100);
    assert_eq!(called_back.overall.callbacks_failed, 0);
    assert!(called_back.overall.callback_share() > 0.2);
}

#[test]
fn callbacks_nobody_answers_fail_after_their_retries() {
    let mut s = base(8, 150.0);
    s.queues[0].callbacks = Some(CallbackPolicy {
        offer_above: TimeSpan::ZERO,
        retries: 1,
        retry_after: TimeSpan::from_secs(60),
        window: None,
    });
    s.streams[0].callback_share = 0.5;
    s.streams[0].callback_no_answer = 1.0;
    let r = run(&s, 9);
    conserved(&r);
    assert!(r.overall.callbacks > 20);
    assert_eq!(r.overall.callbacks_failed, r.overall.callbacks);
    // Half the waiting callers held instead and some of them hung up.
    assert!(r.overall.abandoned > 0);
}

#[test]
fn unresolved_contacts_come_back_as_repeats() {
    let mut s = base(12, 120.0);
    s.streams[0].patience = None;
    s.streams[0].unresolved_share = 0.3;
    s.streams[0].repeat_after = Some(Dist::fixed(600.0).unwrap());
    let r = run(&s, 11);
    conserved(&r);
    let o = &r.overall;
    let first = o.resolved + o.unresolved;
    assert_eq!(
        first + o.repeats,
        o.answered,
        "every contact answered and ended"
    );
    // About 30% of ~480 first contacts, within four standard deviations.
    let fcr = o.first_contact_resolution();
    assert!((fcr - 0.7).abs() < 0.09, "{fcr}");
    // Each unresolved customer came back unless 10 minutes ran past the
    // horizon; a repeat may itself be unresolved and come back again.
    assert!(
        o.repeats >= o.unresolved * 8 / 10 && o.repeats > 50,
        "{o:?}"
    );
    // Streams without repeats count every first contact resolved.
    s.streams[0].unresolved_share = 0.0;
    let r = run(&s, 11);
    assert_eq!(r.overall.first_contact_resolution(), 1.0);
    assert_eq!((r.overall.repeats, r.overall.unresolved), (0, 0));
}

#[test]
fn first_contact_resolution_is_summarized_over_replications() {
    let mut s = base(12, 120.0);
    s.streams[0].unresolved_share = 0.2;
    s.streams[0].repeat_after = Some(Dist::exponential(900.0).unwrap());
    let summary = replicate(&s, 3, 6).unwrap();
    let fcr = summary.overall.first_contact_resolution;
    assert!(
        fcr.contains(0.8) || (fcr.mean - 0.8).abs() < 0.05,
        "{fcr:?}"
    );
    assert!(fcr.half_width > 0.0);
}

/// An inbound queue and a follow-up queue keeping `keep_idle` agents idle;
/// every agent serves both.
fn blended(keep_idle: u32) -> Scenario {
    let mut s = base(10, 100.0);
    let tasks = QueueId::new(1);
    s.queues
        .push(QueueConfig::new(tasks).outbound(Outbound { keep_idle }));
    let mut follow_ups = s.streams[0].clone();
    follow_ups.name = "follow-ups".into();
    follow_ups.queue = tasks;
    follow_ups.stage = LifecycleStage::Loyalty;
    follow_ups.patience = None;
    follow_ups.rates_per_hour = vec![40.0];
    follow_ups.handle = Dist::exponential(180.0).unwrap();
    s.streams.push(follow_ups);
    s.groups[0].profile = s.groups[0].profile.clone().serve(tasks, 1);
    s
}

#[test]
fn follow_ups_are_served_apart_from_the_inbound_figures() {
    let s = blended(2);
    let r = run(&s, 21);
    conserved(&r);
    let tasks = &r.queues[1].1;
    let inbound = &r.queues[0].1;
    assert!(tasks.answered > 50, "{tasks:?}");
    assert_eq!(tasks.abandoned, 0);
    // The overall figures are the inbound queue's.
    assert_eq!(r.overall.offered, inbound.offered);
    assert_eq!(r.overall.answered, inbound.answered);
    assert_eq!(
        r.intervals.iter().map(|i| i.offered).sum::<u64>(),
        inbound.offered
    );
    // Tasks take agent time: more busy than without them.
    let mut alone = s.clone();
    alone.streams.pop();
    let without = run(&alone, 21);
    assert!(
        r.occupancy > without.occupancy + 0.05,
        "{} vs {}",
        r.occupancy,
        without.occupancy
    );
}

#[test]
fn keeping_more_agents_idle_protects_inbound_service() {
    // Over replications with common random numbers: keeping 3 agents idle
    // answers inbound calls sooner than keeping none.
    let eager = replicate(&blended(0), 31, 8).unwrap();
    let careful = replicate(&blended(3), 31, 8).unwrap();
    let asa = |s: &callroute::sim::Summary| s.overall.average_speed_of_answer.mean;
    assert!(
        asa(&careful) < asa(&eager),
        "{} vs {}",
        asa(&careful),
        asa(&eager)
    );
}

#[test]
fn the_same_seed_gives_the_same_report_with_every_behaviour() {
    let mut s = blended(1);
    s.queues[0].callbacks = Some(CallbackPolicy::default());
    s.streams[0].callback_share = 0.4;
    s.streams[0].callback_no_answer = 0.3;
    s.streams[0].unresolved_share = 0.25;
    s.streams[0].repeat_after = Some(Dist::exponential(1_200.0).unwrap());
    let a = run(&s, 8);
    assert_eq!(a, run(&s, 8));
    conserved(&a);
    assert!(a.overall.callbacks > 0 && a.overall.repeats > 0);
}

#[test]
fn streams_without_these_behaviours_draw_as_before() {
    // A stream with a callback share of 0 draws nothing more: adding the
    // option to the queue changes no figure.
    let s = base(8, 150.0);
    let mut offered = s.clone();
    offered.queues[0].callbacks = Some(CallbackPolicy::default());
    assert_eq!(run(&s, 4), run(&offered, 4));
}

#[test]
fn bad_behaviours_are_refused_with_the_field_named() {
    let mut s = base(4, 60.0);
    s.streams[0].callback_share = 0.5;
    assert_eq!(invalid_field(&s), "streams[0].callback_share");
    s.queues[0].callbacks = Some(CallbackPolicy::default());
    s.streams[0].callback_no_answer = 1.5;
    assert_eq!(invalid_field(&s), "streams[0].callback_no_answer");
    s.streams[0].callback_no_answer = 0.0;
    s.streams[0].unresolved_share = 0.1;
    assert_eq!(invalid_field(&s), "streams[0].repeat_after");
    s.streams[0].repeat_after = Some(Dist::fixed(60.0).unwrap());
    assert!(Simulation::new(&s, 1).is_ok());
    let mut b = blended(1);
    b.streams[1].patience = Some(Dist::exponential(60.0).unwrap());
    assert_eq!(invalid_field(&b), "streams[1].patience");
}
