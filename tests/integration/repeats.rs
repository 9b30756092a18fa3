//! Repeat contacts and first-contact resolution.

use callroute::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

const Q: QueueId = QueueId::new(1);
const HOUR: u64 = 3_600;

fn secs(s: u64) -> Timestamp {
    Timestamp::from_secs(s)
}

/// A router with one queue, `agents` voice agents logged in at zero, and
/// the given repeat window.
fn router(agents: u32, window: Option<TimeSpan>) -> Router {
    let mut r = Router::new(RouterConfig::default().repeat_window(window)).unwrap();
    r.add_queue(QueueConfig::new(Q)).unwrap();
    for a in 0..agents {
        r.add_agent(AgentSpec::new(AgentId::new(a)).profile(RoutingProfile::new().serve(Q, 1)))
            .unwrap();
        let _ = r.log_in(AgentId::new(a), Timestamp::ZERO).unwrap();
    }
    r
}

fn call(id: u64, customer: u64, stage: LifecycleStage) -> Contact {
    Contact::new(ContactId::new(id), Q, Channel::Voice)
        .stage(stage)
        .customer(CustomerId::new(customer))
}

fn fcr(r: &Router, now: Timestamp) -> FirstContactResolution {
    r.queue_stats(Q, now).unwrap().resolution
}

#[test]
fn a_repeat_ranks_higher_and_judges_the_contact_before_it_unresolved() {
    // Nobody logged in once the first call is over: the calls wait.
    let mut r = router(1, Some(TimeSpan::from_secs(24 * HOUR)));
    let _ = r
        .arrive(call(1, 7, LifecycleStage::Retention), secs(0))
        .unwrap();
    let _ = r.finish(ContactId::new(1), secs(300)).unwrap();
    r.log_out(AgentId::new(0), secs(301)).unwrap();
    assert_eq!(
        fcr(&r, secs(301)),
        FirstContactResolution {
            pending: 1,
            ..Default::default()
        }
    );
    // Another customer, then customer 7 again two hours later.
    let _ = r
        .arrive(call(2, 8, LifecycleStage::Retention), secs(2 * HOUR))
        .unwrap();
    let d = r
        .arrive(call(3, 7, LifecycleStage::Retention), secs(2 * HOUR))
        .unwrap();
    let [Decision::Queued { priority, .. }] = d.as_slice() else {
        panic!("{d:?}")
    };
    assert_eq!(priority.repeat, 30.0);
    assert_eq!(priority.total, 30.0 + 30.0);
    // The repeat goes ahead of the other customer who called at the same time.
    let now = secs(2 * HOUR);
    assert!(
        r.explain(ContactId::new(3), now).unwrap().total
            > r.explain(ContactId::new(2), now).unwrap().total
    );
    assert_eq!(
        fcr(&r, now),
        FirstContactResolution {
            unresolved: 1,
            repeats: 1,
            ..Default::default()
        }
    );
    let by = r.resolution(now);
    assert_eq!(by.stage(LifecycleStage::Retention).unresolved, 1);
    assert_eq!(by.channel(Channel::Voice).repeats, 1);
    assert_eq!(by.stage(LifecycleStage::Discovery), Default::default());
}

#[test]
fn a_window_closing_without_a_repeat_judges_resolved() {
    let window = TimeSpan::from_secs(HOUR);
    let mut r = router(1, Some(window));
    let _ = r
        .arrive(call(1, 7, LifecycleStage::Conversion), secs(0))
        .unwrap();
    let _ = r.finish(ContactId::new(1), secs(60)).unwrap();
    // At the last instant of the window the call is still pending; the
    // statistics judge it as soon as the window has closed, before the
    // router's next operation does.
    assert_eq!(fcr(&r, secs(60 + HOUR)).pending, 1);
    let seen = fcr(&r, secs(61 + HOUR));
    assert_eq!(
        (seen.resolved, seen.pending, seen.rate()),
        (1, 0, Some(1.0))
    );
    let _ = r.advance(secs(61 + HOUR)).unwrap();
    assert_eq!(fcr(&r, secs(61 + HOUR)), seen);
    assert_eq!(r.footprint().customers_remembered, 0);
    // Calling again after the window is a first contact, not a repeat.
    let d = r
        .arrive(call(2, 7, LifecycleStage::Conversion), secs(2 * HOUR))
        .unwrap();
    let [Decision::Assigned { priority, .. }] = d.as_slice() else {
        panic!("{d:?}")
    };
    assert_eq!(priority.repeat, 0.0);
}

#[test]
fn an_unresolved_outcome_counts_at_once_and_only_once() {
    let mut r = router(1, Some(TimeSpan::from_secs(HOUR)));
    let _ = r
        .arrive(call(1, 7, LifecycleStage::Retention), secs(0))
        .unwrap();
    let _ = r
        .finish_with(ContactId::new(1), Outcome::Unresolved, secs(60))
        .unwrap();
    assert_eq!(
        fcr(&r, secs(60)),
        FirstContactResolution {
            unresolved: 1,
            ..Default::default()
        }
    );
    // The customer calls back: a repeat, and the first call is not judged
    // a second time.
    let _ = r
        .arrive(call(2, 7, LifecycleStage::Retention), secs(600))
        .unwrap();
    let _ = r.finish(ContactId::new(2), secs(700)).unwrap();
    // The repeat itself is no first contact: its window judges nothing.
    let _ = r.advance(secs(10 * HOUR)).unwrap();
    assert_eq!(
        fcr(&r, secs(10 * HOUR)),
        FirstContactResolution {
            unresolved: 1,
            repeats: 1,
            ..Default::default()
        }
    );
}

#[test]
fn two_contacts_at_once_judge_the_first_when_the_second_ends() {
    let mut r = router(2, Some(TimeSpan::from_secs(HOUR)));
    let _ = r
        .arrive(call(1, 7, LifecycleStage::Loyalty), secs(0))
        .unwrap();
    let _ = r
        .arrive(call(2, 7, LifecycleStage::Loyalty), secs(1))
        .unwrap();
    let _ = r.finish(ContactId::new(1), secs(100)).unwrap();
    let _ = r.finish(ContactId::new(2), secs(200)).unwrap();
    let f = fcr(&r, secs(200));
    assert_eq!((f.resolved, f.pending, f.unresolved), (1, 1, 0));
}

#[test]
fn without_a_window_or_a_customer_nothing_is_remembered() {
    let mut r = router(1, None);
    let _ = r
        .arrive(call(1, 7, LifecycleStage::Retention), secs(0))
        .unwrap();
    let _ = r.finish(ContactId::new(1), secs(10)).unwrap();
    let d = r
        .arrive(call(2, 7, LifecycleStage::Retention), secs(20))
        .unwrap();
    assert!(
        matches!(d.as_slice(), [Decision::Assigned { priority, .. }] if priority.repeat == 0.0)
    );
    assert_eq!(fcr(&r, secs(20)), FirstContactResolution::default());
    let mut r = router(1, Some(TimeSpan::from_secs(HOUR)));
    let anonymous = Contact::new(ContactId::new(1), Q, Channel::Voice);
    let _ = r.arrive(anonymous, secs(0)).unwrap();
    let _ = r.finish(ContactId::new(1), secs(10)).unwrap();
    assert_eq!(r.footprint().customers_remembered, 0);
}

#[test]
fn a_restored_router_remembers_customers_and_counts() {
    let mut r = router(1, Some(TimeSpan::from_secs(HOUR)));
    let _ = r
        .arrive(call(1, 7, LifecycleStage::Acquisition), secs(0))
        .unwrap();
    let _ = r.finish(ContactId::new(1), secs(10)).unwrap();
    let _ = r
        .arrive(call(2, 7, LifecycleStage::Acquisition), secs(20))
        .unwrap();
    let _ = r.finish(ContactId::new(2), secs(30)).unwrap();
    let _ = r
        .arrive(call(3, 7, LifecycleStage::Acquisition), secs(40))
        .unwrap();
    let json = serde_json::to_string(&r.snapshot()).unwrap();
    let mut twin = Router::restore(serde_json::from_str(&json).unwrap()).unwrap();
    assert_eq!(twin.snapshot(), r.snapshot());
    assert_eq!(fcr(&twin, secs(40)), fcr(&r, secs(40)));
    for router in [&mut r, &mut twin] {
        let _ = router.finish(ContactId::new(3), secs(50)).unwrap();
        let d = router
            .arrive(call(4, 7, LifecycleStage::Acquisition), secs(60))
            .unwrap();
        assert!(
            matches!(d.as_slice(), [Decision::Assigned { priority, .. }] if priority.repeat == 30.0)
        );
    }
    assert_eq!(fcr(&twin, secs(60)), fcr(&r, secs(60)));
    assert_eq!(r.resolution(secs(60)), twin.resolution(secs(60)));
}

/// One contact of the generated day: who calls, how long after the last
/// event, how long it lasts, and how it ends.
#[derive(Debug, Clone)]
struct Call {
    customer: u64,
    gap: u64,
    handle: u64,
    outcome: Outcome,
    stage: LifecycleStage,
}

fn calls() -> impl Strategy<Value = Vec<Call>> {
    let call = (
        0u64..4,
        0u64..2 * HOUR,
        1u64..600,
        prop_oneof![3 => Just(Outcome::Resolved), 1 => Just(Outcome::Unresolved)],
        prop::sample::select(LifecycleStage::ALL.to_vec()),
    )
        .prop_map(|(customer, gap, handle, outcome, stage)| Call {
            customer,
            gap,
            handle,
            outcome,
            stage,
        });
    prop::collection::vec(call, 1..40)
}

/// The reference's customers: last end, whether it is an open first
/// contact, and its stage.
type Lasts = BTreeMap<u64, (u64, bool, LifecycleStage)>;

/// Judges resolved, in the reference, every open first contact whose
/// window closed before `now`.
fn close_windows(
    last: &mut Lasts,
    want: &mut BTreeMap<LifecycleStage, FirstContactResolution>,
    now: u64,
    window: u64,
) {
    for (end, open, stage) in last.values_mut() {
        if *open && *end + window < now {
            *open = false;
            let f = want.entry(*stage).or_default();
            f.resolved += 1;
            f.pending -= 1;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The counters follow the documented rules, computed here from the
    /// calls alone: every first contact is judged once (resolved,
    /// unresolved) or still pending, and repeats are the calls within the
    /// window of their customer's last call.
    #[test]
    fn first_contact_resolution_follows_the_rules(calls in calls()) {
        let window = HOUR;
        let mut r = router(1, Some(TimeSpan::from_secs(window)));
        let mut last = Lasts::new();
        let mut want = BTreeMap::<LifecycleStage, FirstContactResolution>::new();
        let mut now = 0;
        for (i, c) in calls.iter().enumerate() {
            now += c.gap;
            // Windows closed before this arrival: resolved.
            close_windows(&mut last, &mut want, now, window);
            let repeat = last.get(&c.customer).is_some_and(|(end, _, _)| now <= *end + window);
            if repeat {
                let (_, open, stage) = last[&c.customer];
                if open {
                    let f = want.entry(stage).or_default();
                    f.unresolved += 1;
                    f.pending -= 1;
                }
                last.remove(&c.customer);
                want.entry(c.stage).or_default().repeats += 1;
            }
            let d = r.arrive(call(i as u64, c.customer, c.stage), secs(now)).unwrap();
            let is_repeat = matches!(d.as_slice(), [Decision::Assigned { priority, .. }] if priority.repeat > 0.0);
            prop_assert_eq!(is_repeat, repeat);
            now += c.handle;
            // Closed meanwhile (the end judges them first).
            close_windows(&mut last, &mut want, now, window);
            let _ = r.finish_with(ContactId::new(i as u64), c.outcome, secs(now)).unwrap();
            let first = !repeat;
            if let Some((_, true, stage)) = last.get(&c.customer).copied() {
                // The customer's earlier contact, still open: resolved.
                let f = want.entry(stage).or_default();
                f.resolved += 1;
                f.pending -= 1;
            }
            let open = first && c.outcome == Outcome::Resolved;
            if first {
                let f = want.entry(c.stage).or_default();
                if open { f.pending += 1 } else { f.unresolved += 1 }
            }
            last.insert(c.customer, (now, open, c.stage));
        }
        let by = r.resolution(secs(now));
        for stage in LifecycleStage::ALL {
            prop_assert_eq!(by.stage(stage), want.get(&stage).copied().unwrap_or_default(), "{:?}", stage);
        }
        // The queue and the channel see every contact.
        let total = want.values().fold(FirstContactResolution::default(), |mut t, f| {
            t.resolved += f.resolved;
            t.unresolved += f.unresolved;
            t.repeats += f.repeats;
            t.pending += f.pending;
            t
        });
        prop_assert_eq!(fcr(&r, secs(now)), total);
        prop_assert_eq!(by.channel(Channel::Voice), total);
        // Once every window has closed, nothing is pending.
        let end = secs(now + window + 1);
        let _ = r.advance(end).unwrap();
        let after = fcr(&r, end);
        prop_assert_eq!(after.pending, 0);
        prop_assert_eq!(after.resolved + after.unresolved, total.resolved + total.unresolved + total.pending);
        prop_assert_eq!(r.footprint().customers_remembered, 0);
    }
}
