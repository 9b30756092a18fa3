//! Contacts that move in the simulator: transfers by the serving agent to
//! another queue, and redials of callers who hung up.

use callroute::sim::{Dist, Redial, Report, Scenario, ServedBy, SimError, Simulation, Transfer};
use callroute::{QueueConfig, QueueId, RoutingProfile};

const FRONT: QueueId = QueueId::new(0);
const BACK: QueueId = QueueId::new(1);

/// A front queue served by `front` agents, whose callers are transferred
/// with `share` to a back queue served by `back` agents. Handle times are
/// fixed (200 s at the front, 100 s at the back) so that handle time adds
/// up exactly.
fn two_desks(front: u32, back: u32, share: f64) -> Scenario {
    let mut s = Scenario::single_queue(
        front,
        120.0,
        Dist::fixed(200.0).unwrap(),
        Some(Dist::exponential(300.0).unwrap()),
        6 * 3_600,
    );
    s.queues.push(QueueConfig::new(BACK));
    s.groups[0].name = "front".into();
    let mut b = s.groups[0].clone();
    b.name = "back".into();
    b.count = back;
    b.profile = RoutingProfile::new().serve(BACK, 1);
    s.groups.push(b);
    s.streams[0].transfer = Some(Transfer {
        share,
        queue: BACK,
        handle: Some(Dist::fixed(100.0).unwrap()),
    });
    s
}

fn run(s: &Scenario, seed: u64) -> Report {
    Simulation::new(s, seed).unwrap().run().unwrap()
}

/// Whether `k` successes in `n` trials fit a chance of `p` (within five
/// standard deviations).
fn fits(k: u64, n: u64, p: f64) -> bool {
    let n = n as f64;
    (k as f64 - n * p).abs() <= 5.0 * (n * p * (1.0 - p)).sqrt() + 1.0
}

/// Every contact offered ends once: answered, abandoned, a failed
/// callback or still waiting, and a transferred one is one of the answered.
fn conserved(r: &Report) {
    for (name, seg) in r.segments() {
        assert_eq!(
            seg.offered,
            seg.answered + seg.abandoned + seg.callbacks_failed + seg.waiting_at_end,
            "{name}: {seg:?}"
        );
        assert!(seg.transfers_answered <= seg.transferred, "{name}");
        assert!(seg.transferred <= seg.answered, "{name}");
    }
}

#[test]
fn agents_transfer_their_share_to_the_other_queue() {
    let s = two_desks(8, 3, 0.3);
    let r = run(&s, 11);
    conserved(&r);
    let o = &r.overall;
    assert!(o.answered > 500, "{o:?}");
    assert!(fits(o.transferred, o.answered, 0.3), "{o:?}");
    // Every transferred caller holds until the back desk answers: the run
    // ends with all of them served.
    assert_eq!(o.transfers_answered, o.transferred);
    // Handle time: 200 s for every answer, 100 s more for every transfer.
    let handle = 200.0 * o.answered as f64 + 100.0 * o.transfers_answered as f64;
    assert!(
        (o.handle_secs - handle).abs() < 1e-6,
        "{} vs {handle}",
        o.handle_secs
    );
    // The back queue saw them move in and answered them.
    let back = r.queue_flows[1];
    assert_eq!(back.moved_in, o.transferred);
    assert_eq!(back.answered, o.transferred);
    assert_eq!(r.queue_flows[0].moved_in, 0);
    assert!(o.average_transfer_wait() >= 0.0);
    // The back desk works only on transfers.
    assert!(r.groups[1].1 > 0.0);
    let none = run(&two_desks(8, 3, 0.0), 11);
    assert_eq!(none.overall.transferred, 0);
    assert_eq!(none.groups[1].1, 0.0);
}

#[test]
fn a_transfer_keeps_the_first_answer_s_service_level_and_never_hangs_up() {
    // Two back agents for about 1.5 erlangs of transfers, and impatient
    // callers: some wait at the back, none hangs up there.
    let mut s = two_desks(8, 2, 0.5);
    s.streams[0].patience = Some(Dist::exponential(20.0).unwrap());
    let moved = run(&s, 3);
    conserved(&moved);
    let o = &moved.overall;
    assert_eq!(o.transfers_answered, o.transferred);
    assert!(o.transfer_wait_secs > 0.0, "{o:?}");
    // What the callers saw at the front is the same with or without
    // transfers: the same customers, the same front desk (the back desk
    // neither takes nor frees a front agent). The draws for transfers are
    // the stream's own, so arrivals and handle times meet alike.
    let mut front_only = s.clone();
    front_only.streams[0].transfer = None;
    let f = run(&front_only, 3).overall;
    assert_eq!(
        (o.offered, o.answered, o.abandoned, o.answered_within_target),
        (f.offered, f.answered, f.abandoned, f.answered_within_target)
    );
}

#[test]
fn the_group_that_answers_sets_the_transfer_share() {
    let mut s = two_desks(8, 3, 0.3);
    s.streams[0].served_by = vec![ServedBy {
        transfer_share: Some(0.0),
        ..ServedBy::new("front")
    }];
    assert_eq!(run(&s, 4).overall.transferred, 0);
    s.streams[0].served_by[0].transfer_share = Some(1.0);
    let o = run(&s, 4).overall;
    assert_eq!(o.transferred, o.answered);
}

#[test]
fn the_second_agent_decides_whether_it_is_resolved() {
    let mut s = two_desks(8, 3, 0.4);
    // Customers would come back after the day: no repeats to follow.
    s.streams[0].repeat_after = Some(Dist::fixed(1e6).unwrap());
    s.streams[0].served_by = vec![ServedBy {
        unresolved_share: Some(1.0),
        ..ServedBy::new("back")
    }];
    let o = run(&s, 9).overall;
    assert!(o.transferred > 0);
    assert_eq!(o.unresolved, o.transferred);
    assert_eq!(o.resolved + o.unresolved, o.answered);
}

/// One queue too small for its calls, whose callers hang up after about
/// a minute, and `share` of them redial `after` seconds later.
fn short_staffed(share: f64, after: f64) -> Scenario {
    let mut s = Scenario::single_queue(
        8,
        150.0,
        Dist::exponential(240.0).unwrap(),
        Some(Dist::exponential(60.0).unwrap()),
        8 * 3_600,
    );
    s.streams[0].redial = Some(Redial {
        share,
        after: Dist::fixed(after).unwrap(),
        stream: None,
    });
    s
}

#[test]
fn callers_who_hang_up_redial_by_their_share() {
    let r = run(&short_staffed(0.5, 300.0), 21);
    conserved(&r);
    let o = &r.overall;
    assert!(o.abandoned > 300, "{o:?}");
    // Half of those who hung up more than 300 s before the end redialled.
    assert!(o.redials < o.abandoned);
    assert!(
        fits(o.redials, o.abandoned, 0.5),
        "{} of {}",
        o.redials,
        o.abandoned
    );
    // Redials are offered again: more offered than without them, over the
    // same first callers.
    let without = run(&short_staffed(0.0, 300.0), 21).overall;
    assert_eq!(without.redials, 0);
    assert!(o.offered > without.offered);
    assert!(o.offered - o.redials > 0);
}

#[test]
fn redials_go_to_the_stream_named() {
    let mut s = short_staffed(0.6, 120.0);
    let mut chat = s.streams[0].clone();
    chat.name = "chat".into();
    chat.channel = callroute::Channel::Chat;
    chat.rates_per_hour = vec![10.0];
    chat.redial = None;
    s.streams.push(chat);
    s.streams[0].redial.as_mut().unwrap().stream = Some("chat".into());
    let r = run(&s, 5);
    conserved(&r);
    let voice = &r.streams[0].1;
    let chat = &r.streams[1].1;
    assert_eq!(voice.redials, 0);
    assert!(chat.redials > 0);
    assert!(fits(chat.redials, voice.abandoned, 0.6), "{chat:?}");
}

#[test]
fn rules_at_zero_change_nothing() {
    let base = two_desks(8, 3, 0.0);
    let mut plain = base.clone();
    plain.streams[0].transfer = None;
    assert_eq!(run(&base, 2), run(&plain, 2));
    let zero = short_staffed(0.0, 60.0);
    let mut plain = zero.clone();
    plain.streams[0].redial = None;
    assert_eq!(run(&zero, 2), run(&plain, 2));
}

#[test]
fn the_rules_are_read_from_scenario_files() {
    let mut s = two_desks(8, 3, 0.0);
    let text = toml::to_string(&s).unwrap();
    let text = text.replace(
        "[streams.transfer]\nshare = 0.0\nqueue = 1\n",
        "[streams.transfer]\nshare = 0.15\nqueue = 1\n",
    );
    let read: Scenario = toml::from_str(&text).unwrap();
    assert_eq!(read.streams[0].transfer.as_ref().unwrap().share, 0.15);
    // The forms the documentation shows.
    let t: Transfer = toml::from_str(
        "share = 0.15\nqueue = 2\nhandle = { kind = \"exponential\", mean = \"4m\" }",
    )
    .unwrap();
    assert_eq!(t.queue, QueueId::new(2));
    let r: Redial = toml::from_str(
        "share = 0.6\nafter = { kind = \"exponential\", mean = \"10m\" }\nstream = \"chat\"",
    )
    .unwrap();
    assert_eq!(r.stream.as_deref(), Some("chat"));
    s.streams[0].redial = Some(r);
    assert!(matches!(
        Simulation::new(&s, 1),
        Err(SimError::Invalid { field, .. }) if field == "streams[0].redial.stream"
    ));
}

#[test]
fn bad_rules_are_refused_naming_the_field() {
    let field = |s: &Scenario| match Simulation::new(s, 1) {
        Err(SimError::Invalid { field, .. }) => field,
        other => panic!("expected an invalid field, got {other:?}"),
    };
    let mut s = two_desks(8, 3, 1.5);
    assert_eq!(field(&s), "streams[0].transfer.share");
    s.streams[0].transfer.as_mut().unwrap().share = 0.2;
    s.streams[0].transfer.as_mut().unwrap().queue = FRONT;
    assert_eq!(field(&s), "streams[0].transfer.queue");
    s.streams[0].transfer.as_mut().unwrap().queue = QueueId::new(7);
    assert_eq!(field(&s), "streams[0].transfer.queue");
    s.streams[0].transfer = None;
    s.streams[0].served_by = vec![ServedBy {
        transfer_share: Some(0.5),
        ..ServedBy::new("front")
    }];
    assert_eq!(field(&s), "streams[0].transfer");
    s.streams[0].served_by[0].transfer_share = Some(-0.1);
    assert_eq!(field(&s), "streams[0].served_by[0].transfer_share");
    let mut r = short_staffed(1.0, 60.0);
    assert_eq!(field(&r), "streams[0].redial.share");
    r.streams[0].redial.as_mut().unwrap().share = 0.5;
    r.streams[0].redial.as_mut().unwrap().after = Dist::Fixed { value: -1.0 };
    assert!(field(&r).starts_with("streams[0].redial.after"));
}

mod any_moves {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Whatever the shares, staffing and patience: every contact ends
        /// once, a transferred one is answered at most once more (never
        /// without a back desk), and redials never outnumber those who hung
        /// up.
        #[test]
        fn moves_lose_and_duplicate_nothing(
            front in 1u32..6,
            back in 0u32..3,
            transfer in 0.0f64..=1.0,
            redial in 0.0f64..0.95,
            after in 0.0f64..900.0,
            patience in 1.0f64..400.0,
            seed in 0u64..1_000,
        ) {
            let mut s = two_desks(front, back, transfer);
            s.streams[0].patience = Some(Dist::exponential(patience).unwrap());
            s.streams[0].redial = Some(Redial {
                share: redial,
                after: Dist::exponential(after.max(0.001)).unwrap(),
                stream: None,
            });
            let r = run(&s, seed);
            conserved(&r);
            let o = &r.overall;
            prop_assert!(o.redials <= o.abandoned);
            if back == 0 {
                prop_assert_eq!(o.transfers_answered, 0);
            }
            let total = r.queue_flows.iter().map(|f| f.answered).sum::<u64>();
            prop_assert_eq!(total, o.answered + o.transfers_answered);
        }
    }
}
