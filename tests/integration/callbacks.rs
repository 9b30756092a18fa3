//! Callbacks (virtual hold): places kept without holding, retries, and
//! nothing lost or counted as abandoned.

use callroute::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

const Q: QueueId = QueueId::new(1);

fn secs(s: u64) -> Timestamp {
    Timestamp::from_secs(s)
}

fn id(c: u64) -> ContactId {
    ContactId::new(c)
}

/// One queue offering callbacks with `policy`, and `agents` voice agents.
fn router(policy: Option<CallbackPolicy>, agents: u32) -> Router {
    let mut r = Router::new(RouterConfig::default()).unwrap();
    let mut q = QueueConfig::new(Q);
    q.callbacks = policy;
    r.add_queue(q).unwrap();
    for a in 0..agents {
        r.add_agent(AgentSpec::new(AgentId::new(a)).profile(RoutingProfile::new().serve(Q, 1)))
            .unwrap();
        let _ = r.log_in(AgentId::new(a), Timestamp::ZERO).unwrap();
    }
    r
}

fn call(c: u64) -> Contact {
    Contact::new(id(c), Q, Channel::Voice)
}

fn assigned(d: &Decisions) -> Vec<(ContactId, bool)> {
    d.iter()
        .filter_map(|d| match d {
            Decision::Assigned {
                contact, callback, ..
            } => Some((*contact, *callback)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_callback_keeps_its_place_and_is_served_as_one() {
    let mut r = router(Some(CallbackPolicy::default()), 1);
    for (c, t) in [(1, 0), (2, 10), (3, 20), (4, 30)] {
        let _ = r.arrive(call(c), secs(t)).unwrap();
    }
    let _ = r.request_callback(id(3), None, secs(40)).unwrap();
    // Still in line (without holding the line).
    assert_eq!(r.waiting_count(), 3);
    assert_eq!(
        r.contact_status(id(3)).unwrap(),
        ContactStatus::Waiting { since: secs(20) }
    );
    let d = r.finish(id(1), secs(100)).unwrap();
    assert_eq!(assigned(&d), [(id(2), false)]);
    let d = r.finish(id(2), secs(200)).unwrap();
    assert_eq!(assigned(&d), [(id(3), true)]);
    let d = r.finish(id(3), secs(300)).unwrap();
    assert_eq!(assigned(&d), [(id(4), false)]);
    let s = r.queue_stats(Q, secs(300)).unwrap();
    assert_eq!((s.answered, s.abandoned, s.callbacks.requested), (4, 0, 1));
}

#[test]
fn refused_requests_change_nothing() {
    let mut r = router(None, 1);
    let _ = r.arrive(call(1), secs(0)).unwrap();
    let _ = r.arrive(call(2), secs(1)).unwrap();
    let before = r.snapshot();
    assert_eq!(
        r.request_callback(id(2), None, secs(2)),
        Err(RouterError::CallbacksNotOffered(Q))
    );
    assert_eq!(r.snapshot(), before);

    // A short expected wait: one answer every 40 s, nobody ahead.
    let mut r = router(Some(CallbackPolicy::default()), 1);
    for (c, t) in [(1, 0), (2, 40)] {
        let _ = r.arrive(call(c), secs(t)).unwrap();
        let _ = r.finish(id(c), secs(t + 30)).unwrap();
    }
    let _ = r.arrive(call(3), secs(80)).unwrap();
    let _ = r.arrive(call(4), secs(81)).unwrap();
    let before = r.snapshot();
    assert_eq!(
        r.request_callback(id(4), None, secs(82)),
        Err(RouterError::CallbackNotNeeded {
            contact: id(4),
            expected: TimeSpan::from_secs(40)
        })
    );
    // In service, or a callback already; unanswered for a contact that is
    // no callback.
    assert_eq!(
        r.request_callback(id(3), None, secs(82)),
        Err(RouterError::ContactNotWaiting(id(3)))
    );
    assert_eq!(
        r.callback_unanswered(id(3), secs(82)),
        Err(RouterError::NotACallback(id(3)))
    );
    assert_eq!(
        r.callback_unanswered(id(4), secs(82)),
        Err(RouterError::ContactNotInService(id(4)))
    );
    assert_eq!(r.snapshot(), before);
    // A later time is always granted, whatever the wait.
    let _ = r
        .request_callback(id(4), Some(secs(500)), secs(82))
        .unwrap();
    assert_eq!(
        r.request_callback(id(4), None, secs(83)),
        Err(RouterError::ContactNotWaiting(id(4)))
    );
}

#[test]
fn a_callback_at_a_later_time_is_held_until_then() {
    let mut r = router(Some(CallbackPolicy::default()), 1);
    let _ = r.arrive(call(1), secs(0)).unwrap();
    let _ = r.arrive(call(2), secs(10)).unwrap();
    let _ = r.arrive(call(3), secs(20)).unwrap();
    let _ = r
        .request_callback(id(2), Some(secs(1_000)), secs(30))
        .unwrap();
    assert_eq!(
        r.contact_status(id(2)).unwrap(),
        ContactStatus::CallbackHeld {
            since: secs(10),
            until: secs(1_000)
        }
    );
    // Held off the queue: contact 3 goes first.
    let d = r.finish(id(1), secs(100)).unwrap();
    assert_eq!(assigned(&d), [(id(3), false)]);
    let _ = r.finish(id(3), secs(200)).unwrap();
    // At its time, an idle agent takes it at once.
    assert_eq!(r.next_timer(), Some(secs(1_000)));
    let d = r.advance(secs(1_000)).unwrap();
    assert_eq!(assigned(&d), [(id(2), true)]);
    let Some(Decision::Assigned { waited, .. }) = d.iter().next() else {
        panic!("{d:?}")
    };
    assert_eq!(*waited, TimeSpan::from_secs(990));
}

#[test]
fn a_callback_not_reached_within_its_window_expires() {
    let policy = CallbackPolicy {
        offer_above: TimeSpan::ZERO,
        retries: 2,
        retry_after: TimeSpan::from_secs(120),
        window: Some(TimeSpan::from_secs(600)),
    };
    let mut r = router(Some(policy), 1);
    let _ = r.arrive(call(1), secs(0)).unwrap();
    let _ = r.arrive(call(2), secs(1)).unwrap();
    let _ = r.arrive(call(3), secs(2)).unwrap();
    // Contact 2 asks at 10 s: its window closes at 610 s.
    let _ = r.request_callback(id(2), None, secs(10)).unwrap();
    // Contact 3 asks to be called from 100 s on: its window closes at 700 s.
    let _ = r
        .request_callback(id(3), Some(secs(100)), secs(20))
        .unwrap();
    // At 100 s contact 3 takes its place again; nothing ends before 610 s.
    let d = r.advance(secs(609)).unwrap();
    assert!(matches!(d.as_slice(), [Decision::Queued { contact, .. }] if *contact == id(3)));
    let d = r.advance(secs(610)).unwrap();
    assert_eq!(
        d.as_slice(),
        [Decision::CallbackFailed {
            contact: id(2),
            queue: Q
        }]
    );
    assert!(r.contact_status(id(2)).is_err());
    // The agent frees up at 650 s and reaches contact 3 in its window; the
    // customer does not answer, and the retry would fall after 700 s.
    let d = r.finish(id(1), secs(650)).unwrap();
    assert_eq!(assigned(&d), [(id(3), true)]);
    let d = r.callback_unanswered(id(3), secs(660)).unwrap();
    assert_eq!(
        d.as_slice(),
        [Decision::CallbackFailed {
            contact: id(3),
            queue: Q
        }]
    );
    let s = r.queue_stats(Q, secs(660)).unwrap();
    assert_eq!(
        (s.callbacks.expired, s.callbacks.failed, s.abandoned),
        (2, 0, 0)
    );
    assert_eq!(r.next_timer(), None, "no timer outlives its callback");
}

#[test]
fn a_window_survives_a_snapshot_and_is_met_by_a_connected_attempt() {
    let policy = CallbackPolicy {
        offer_above: TimeSpan::ZERO,
        window: Some(TimeSpan::from_secs(300)),
        ..CallbackPolicy::default()
    };
    let mut r = router(Some(policy), 1);
    let _ = r.arrive(call(1), secs(0)).unwrap();
    let _ = r.arrive(call(2), secs(1)).unwrap();
    let _ = r.request_callback(id(2), None, secs(10)).unwrap();
    let json = serde_json::to_string(&r.snapshot()).unwrap();
    let mut back = Router::restore(serde_json::from_str(&json).unwrap()).unwrap();
    for r in [&mut r, &mut back] {
        let d = r.finish(id(1), secs(200)).unwrap();
        assert_eq!(assigned(&d), [(id(2), true)]);
        // Connected within the window: talking past its close is fine.
        let d = r.advance(secs(400)).unwrap();
        assert!(d.is_empty());
        let _ = r.finish(id(2), secs(500)).unwrap();
        assert_eq!(r.queue_stats(Q, secs(500)).unwrap().callbacks.expired, 0);
    }
}

#[test]
fn unanswered_attempts_are_retried_then_fail_without_abandoning() {
    let policy = CallbackPolicy {
        retries: 1,
        retry_after: TimeSpan::from_secs(60),
        ..CallbackPolicy::default()
    };
    let mut r = router(Some(policy), 1);
    let _ = r.arrive(call(1), secs(0)).unwrap();
    let _ = r.arrive(call(2), secs(1)).unwrap();
    let _ = r.request_callback(id(2), None, secs(2)).unwrap();
    let _ = r.arrive(call(3), secs(3)).unwrap();
    let d = r.finish(id(1), secs(100)).unwrap();
    assert_eq!(assigned(&d), [(id(2), true)]);
    // No answer: the agent takes contact 3 at once; 2 is held a minute.
    let d = r.callback_unanswered(id(2), secs(110)).unwrap();
    assert_eq!(assigned(&d), [(id(3), false)]);
    let s = r.queue_stats(Q, secs(110)).unwrap();
    assert_eq!((s.answered, s.callbacks.unanswered), (2, 1));
    let _ = r.finish(id(3), secs(150)).unwrap();
    let d = r.advance(secs(170)).unwrap();
    assert_eq!(assigned(&d), [(id(2), true)]);
    let d = r.callback_unanswered(id(2), secs(180)).unwrap();
    assert_eq!(
        d.as_slice(),
        [Decision::CallbackFailed {
            contact: id(2),
            queue: Q
        }]
    );
    let s = r.queue_stats(Q, secs(180)).unwrap();
    assert_eq!(
        (
            s.answered,
            s.abandoned,
            s.callbacks.failed,
            s.callbacks.unanswered
        ),
        (2, 0, 1, 2)
    );
    assert_eq!(r.contact_count(), 0);
    assert_eq!(r.next_timer(), None);
}

#[test]
fn a_called_off_callback_is_cancelled_not_abandoned() {
    let mut r = router(Some(CallbackPolicy::default()), 1);
    let _ = r.arrive(call(1), secs(0)).unwrap();
    let _ = r.arrive(call(2), secs(1)).unwrap();
    let _ = r.arrive(call(3), secs(2)).unwrap();
    let _ = r.request_callback(id(2), None, secs(3)).unwrap();
    let _ = r.request_callback(id(3), Some(secs(900)), secs(3)).unwrap();
    let _ = r.abandon(id(2), secs(4)).unwrap();
    let _ = r.abandon(id(3), secs(5)).unwrap();
    let s = r.queue_stats(Q, secs(5)).unwrap();
    assert_eq!((s.abandoned, s.callbacks.cancelled, s.waiting), (0, 2, 0));
    assert_eq!(r.next_timer(), None);
}

#[test]
fn a_restored_router_holds_and_serves_callbacks_alike() {
    let mut r = router(Some(CallbackPolicy::default()), 1);
    let _ = r.arrive(call(1), secs(0)).unwrap();
    let _ = r.arrive(call(2), secs(1)).unwrap();
    let _ = r.arrive(call(3), secs(2)).unwrap();
    let _ = r.request_callback(id(2), Some(secs(400)), secs(3)).unwrap();
    let _ = r.request_callback(id(3), None, secs(3)).unwrap();
    let _ = r.finish(id(1), secs(50)).unwrap();
    let json = serde_json::to_string(&r.snapshot()).unwrap();
    let mut twin = Router::restore(serde_json::from_str(&json).unwrap()).unwrap();
    assert_eq!(twin.snapshot(), r.snapshot());
    for router in [&mut r, &mut twin] {
        let _ = router.callback_unanswered(id(3), secs(60)).unwrap();
    }
    for t in [400, 500] {
        assert_eq!(
            r.advance(secs(t)).unwrap().into_vec(),
            twin.advance(secs(t)).unwrap().into_vec()
        );
    }
    assert_eq!(twin.snapshot(), r.snapshot());
}

/// What the generated sequence does.
#[derive(Debug, Clone)]
enum Op {
    Arrive,
    /// Ask for a callback for the n-th contact held, at once or later.
    Callback(usize, Option<u64>),
    /// The n-th contact held ends, or its callback is unanswered.
    Finish(usize),
    Unanswered(usize),
    Abandon(usize),
    Advance,
}

fn ops() -> impl Strategy<Value = Vec<(Op, u64)>> {
    let op = prop_oneof![
        4 => Just(Op::Arrive),
        3 => (any::<usize>(), prop::option::of(1u64..600)).prop_map(|(n, at)| Op::Callback(n, at)),
        3 => any::<usize>().prop_map(Op::Finish),
        2 => any::<usize>().prop_map(Op::Unanswered),
        1 => any::<usize>().prop_map(Op::Abandon),
        1 => Just(Op::Advance),
    ];
    prop::collection::vec((op, 0u64..120), 1..120)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// A callback is never lost and never counted as abandoned: every
    /// contact is held by the router until it ends in exactly one way, and
    /// the queue's counters are the ledger's.
    #[test]
    fn a_callback_is_never_lost_nor_abandoned(
        ops in ops(),
        agents in 1u32..4,
        window in proptest::option::of(30u64..600),
    ) {
        let policy = CallbackPolicy {
            offer_above: TimeSpan::ZERO,
            retries: 1,
            retry_after: TimeSpan::from_secs(30),
            window: window.map(TimeSpan::from_secs),
        };
        let mut r = router(Some(policy), agents);
        let mut held: BTreeMap<ContactId, bool> = BTreeMap::new(); // contact -> callback
        let (mut next, mut now) = (0u64, 0u64);
        let (mut abandoned, mut cancelled, mut failed, mut finished) = (0u64, 0u64, 0u64, 0u64);
        for (op, dt) in ops {
            now += dt;
            let t = secs(now);
            // Windows close as time passes.
            for d in r.advance(t).unwrap().iter() {
                if let Decision::CallbackFailed { contact, .. } = d {
                    prop_assert_eq!(held.remove(contact), Some(true));
                    failed += 1;
                }
            }
            let target = match &op {
                Op::Callback(n, _) | Op::Finish(n) | Op::Unanswered(n) | Op::Abandon(n) => {
                    held.keys().nth(n % held.len().max(1)).copied()
                }
                Op::Arrive | Op::Advance => None,
            };
            let outcome = match (op, target) {
                (Op::Arrive, _) => {
                    next += 1;
                    held.insert(id(next), false);
                    r.arrive(call(next), t).map(|_| ())
                }
                (Op::Callback(_, at), Some(c)) => r
                    .request_callback(c, at.map(|a| secs(now + a)), t)
                    .map(|_| {
                        held.insert(c, true);
                    }),
                (Op::Finish(_), Some(c)) => r.finish(c, t).map(|_| {
                    held.remove(&c);
                    finished += 1;
                }),
                (Op::Unanswered(_), Some(c)) => r.callback_unanswered(c, t).map(|d| {
                    if d.iter().any(|d| matches!(d, Decision::CallbackFailed { contact, .. } if *contact == c)) {
                        held.remove(&c);
                        failed += 1;
                    }
                }),
                (Op::Abandon(_), Some(c)) => r.abandon(c, t).map(|_| {
                    if held.remove(&c) == Some(true) {
                        cancelled += 1;
                    } else {
                        abandoned += 1;
                    }
                }),
                _ => Ok(()),
            };
            // Refusals are for contacts in the wrong state only.
            if let Err(e) = outcome {
                prop_assert!(matches!(
                    e,
                    RouterError::ContactNotWaiting(_)
                        | RouterError::ContactNotInService(_)
                        | RouterError::NotACallback(_)
                ), "{e}");
            }
            // Nothing lost or duplicated.
            prop_assert_eq!(r.contact_count(), held.len());
            for c in held.keys() {
                prop_assert!(r.contact_status(*c).is_ok());
            }
            let s = r.queue_stats(Q, t).unwrap();
            prop_assert_eq!(s.abandoned, abandoned);
            prop_assert_eq!(s.callbacks.cancelled, cancelled);
            prop_assert_eq!(s.callbacks.failed + s.callbacks.expired, failed);
            prop_assert_eq!(s.offered, next);
            prop_assert_eq!(
                s.offered,
                finished + abandoned + cancelled + failed + held.len() as u64
            );
        }
    }
}
