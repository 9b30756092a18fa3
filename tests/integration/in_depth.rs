//! Hand-written stories of routing in depth: offers, escalation, overflow,
//! upset customers, preferred agents, admission and service levels.

use callroute::*;

const SALES: QueueId = QueueId::new(1);
const BACKUP: QueueId = QueueId::new(2);
const SUPERVISORS: QueueId = QueueId::new(9);

fn secs(s: u64) -> Timestamp {
    Timestamp::from_secs(s)
}

fn agent(id: u32, queue: QueueId) -> AgentSpec {
    AgentSpec::new(AgentId::new(id)).profile(RoutingProfile::new().serve(queue, 1))
}

fn call(id: u64, queue: QueueId) -> Contact {
    Contact::new(ContactId::new(id), queue, Channel::Voice)
}

fn router(queues: Vec<QueueConfig>, agents: Vec<AgentSpec>) -> Router {
    let mut r = Router::new(RouterConfig::default()).unwrap();
    for q in queues {
        r.add_queue(q).unwrap();
    }
    for a in agents {
        let id = a.id;
        r.add_agent(a).unwrap();
        let _ = r.log_in(id, Timestamp::ZERO).unwrap();
    }
    r
}

fn offered_to(d: &Decisions) -> Vec<u32> {
    d.iter()
        .filter_map(|d| match d {
            Decision::Offered { agent, .. } => Some(agent.get()),
            _ => None,
        })
        .collect()
}

#[test]
fn an_unanswered_offer_rests_the_agent_and_rings_the_next() {
    let q = QueueConfig::new(SALES).offer(OfferPolicy::new(TimeSpan::from_secs(15)));
    let mut r = router(vec![q], vec![agent(1, SALES), agent(2, SALES)]);
    let d = r.arrive(call(7, SALES), secs(10)).unwrap();
    assert_eq!(offered_to(&d), [1], "longest idle first (ties by id)");
    assert_eq!(
        r.agent_status(AgentId::new(1)).unwrap(),
        AgentStatus::Reserved { offers: 1 }
    );
    assert!(matches!(
        r.contact_status(ContactId::new(7)).unwrap(),
        ContactStatus::Offered { agents: 1, .. }
    ));
    // Nobody answers: at 25 s the offer rings out, agent 1 rests 30 s.
    let d = r.advance(secs(25)).unwrap();
    assert!(matches!(
        d.as_slice(),
        [
            Decision::OfferEnded {
                end: OfferEnd::NoAnswer,
                ..
            },
            Decision::Queued { .. },
            Decision::Offered { .. },
        ]
    ));
    assert_eq!(offered_to(&d), [2]);
    assert_eq!(
        r.agent_status(AgentId::new(1)).unwrap(),
        AgentStatus::Resting { until: secs(55) }
    );
    let d = r
        .accept(ContactId::new(7), AgentId::new(2), secs(30))
        .unwrap();
    assert!(matches!(
        d.as_slice(),
        [Decision::Assigned { waited, .. }] if *waited == TimeSpan::from_secs(20)
    ));
    assert_eq!(
        r.accept(ContactId::new(7), AgentId::new(1), secs(31)),
        Err(RouterError::NoSuchOffer {
            contact: ContactId::new(7),
            agent: AgentId::new(1)
        })
    );
}

#[test]
fn three_missed_offers_in_a_row_put_the_agent_not_ready() {
    let missed = MissedOffers {
        reject_rest: TimeSpan::ZERO,
        no_answer_rest: TimeSpan::ZERO,
        not_ready_after: core::num::NonZeroU8::new(3).unwrap(),
    };
    let mut r = Router::new(RouterConfig::default().missed_offers(missed)).unwrap();
    r.add_queue(QueueConfig::new(SALES).offer(OfferPolicy::new(TimeSpan::from_secs(10))))
        .unwrap();
    r.add_agent(agent(1, SALES)).unwrap();
    let _ = r.log_in(AgentId::new(1), secs(0)).unwrap();
    let _ = r.arrive(call(1, SALES), secs(0)).unwrap();
    // No rest: each miss re-offers at once, the third puts it not ready.
    let d = r.advance(secs(30)).unwrap();
    let ended = d
        .iter()
        .filter(|d| {
            matches!(
                d,
                Decision::OfferEnded {
                    end: OfferEnd::NoAnswer,
                    ..
                }
            )
        })
        .count();
    assert_eq!(ended, 3);
    assert!(d.iter().any(|d| matches!(
        d,
        Decision::AgentNotReady {
            reason: NotReadyReason::MissedOffers,
            ..
        }
    )));
    assert_eq!(
        r.agent_status(AgentId::new(1)).unwrap(),
        AgentStatus::NotReady {
            reason: NotReadyReason::MissedOffers
        }
    );
    assert!(matches!(
        r.contact_status(ContactId::new(1)).unwrap(),
        ContactStatus::Waiting { .. }
    ));
}

#[test]
fn ring_all_has_exactly_one_winner_and_withdraws_the_rest() {
    let policy = OfferPolicy::new(TimeSpan::from_secs(20)).mode(OfferMode::RingAll { agents: 3 });
    let q = QueueConfig::new(SALES).offer(policy);
    let agents = (1..=4).map(|i| agent(i, SALES)).collect();
    let mut r = router(vec![q], agents);
    let d = r.arrive(call(5, SALES), secs(1)).unwrap();
    assert_eq!(offered_to(&d), [1, 2, 3]);
    let d = r
        .accept(ContactId::new(5), AgentId::new(2), secs(3))
        .unwrap();
    let withdrawn: Vec<u32> = d
        .iter()
        .filter_map(|d| match d {
            Decision::OfferEnded {
                agent,
                end: OfferEnd::Withdrawn,
                ..
            } => Some(agent.get()),
            _ => None,
        })
        .collect();
    assert!(
        matches!(d.as_slice().first(), Some(Decision::Assigned { agent, .. }) if agent.get() == 2)
    );
    assert_eq!(withdrawn, [1, 3]);
    for (a, load) in [(1, 0), (2, 1), (3, 0), (4, 0)] {
        assert_eq!(r.agent_load(AgentId::new(a)).unwrap()[0], load);
    }
}

#[test]
fn progressive_offers_add_one_agent_per_interval() {
    let policy = OfferPolicy::new(TimeSpan::from_secs(30)).mode(OfferMode::Progressive {
        every: TimeSpan::from_secs(5),
        agents: 3,
    });
    let agents = (1..=3).map(|i| agent(i, SALES)).collect();
    let mut r = router(vec![QueueConfig::new(SALES).offer(policy)], agents);
    assert_eq!(offered_to(&r.arrive(call(1, SALES), secs(0)).unwrap()), [1]);
    assert_eq!(offered_to(&r.advance(secs(5)).unwrap()), [2]);
    assert_eq!(offered_to(&r.advance(secs(10)).unwrap()), [3]);
    assert!(r.advance(secs(20)).unwrap().is_empty(), "three is the most");
}

#[test]
fn escalation_relaxes_proficiency_then_overflows() {
    let spanish = SkillId::new(4);
    let sales = QueueConfig::new(SALES)
        .requirements(Requirements::new().skill(spanish, Proficiency::new(8).unwrap()))
        .escalation(vec![
            EscalationStep::new(
                TimeSpan::from_secs(30),
                Escalation::RelaxProficiency { by: 3 },
            ),
            EscalationStep::new(
                TimeSpan::from_secs(90),
                Escalation::Overflow { queue: BACKUP },
            ),
        ]);
    let junior = agent(1, SALES).skill(spanish, Proficiency::new(5).unwrap());
    let mut r = router(vec![QueueConfig::new(BACKUP), sales], vec![junior]);
    let d = r.arrive(call(1, SALES), secs(0)).unwrap();
    assert!(
        matches!(d.as_slice(), [Decision::Queued { .. }]),
        "level 5 < 8"
    );
    let d = r.advance(secs(30)).unwrap();
    assert!(matches!(
        d.as_slice(),
        [
            Decision::Escalated { action: Escalation::RelaxProficiency { by: 3 }, .. },
            Decision::Assigned { agent, waited, .. },
        ] if agent.get() == 1 && *waited == TimeSpan::from_secs(30)
    ));
    // A second call finds the junior busy and overflows to the backup pool.
    let _ = r.arrive(call(2, SALES), secs(40)).unwrap();
    let d = r.advance(secs(130)).unwrap();
    assert!(d.iter().any(|d| matches!(
        d,
        Decision::Escalated { queue, action: Escalation::Overflow { .. }, .. } if *queue == BACKUP
    )));
    assert!(
        matches!(d.as_slice().last(), Some(Decision::Queued { queue, .. }) if *queue == BACKUP)
    );
    let _ = r.finish(ContactId::new(1), secs(140)).unwrap();
    // Its service level still counts in the queue it called.
    assert_eq!(r.queue_stats(SALES, secs(140)).unwrap().waiting, 0);
    assert_eq!(r.queue_stats(BACKUP, secs(140)).unwrap().waiting, 1);
    assert_eq!(r.queue_stats(SALES, secs(140)).unwrap().offered, 2);
}

#[test]
fn an_angry_customer_goes_to_the_supervisors_at_arrival_or_when_upset_while_waiting() {
    let support = QueueConfig::new(SALES).upset(UpsetRule::new(
        -0.6,
        Escalation::Overflow { queue: SUPERVISORS },
    ));
    let agents = vec![agent(1, SALES), agent(9, SUPERVISORS)];
    let mut r = router(vec![QueueConfig::new(SUPERVISORS), support], agents);
    let angry = call(1, SALES).sentiment(Sentiment::new(-0.9).unwrap());
    let d = r.arrive(angry, secs(0)).unwrap();
    assert!(matches!(
        d.as_slice(),
        [Decision::Escalated { upset: true, .. }, Decision::Assigned { agent, .. }] if agent.get() == 9
    ));
    // A calm caller waits for agent 1 (busy), then loses patience.
    let _ = r.arrive(call(2, SALES), secs(1)).unwrap();
    let _ = r.arrive(call(3, SALES), secs(2)).unwrap();
    let d = r
        .update_sentiment(ContactId::new(3), Sentiment::new(-0.8).unwrap(), secs(20))
        .unwrap();
    assert!(matches!(
        d.as_slice(),
        [Decision::Escalated { upset: true, queue, .. }, Decision::Queued { .. }] if *queue == SUPERVISORS
    ));
    let d = r.finish(ContactId::new(1), secs(30)).unwrap();
    assert_eq!(
        d.assignments().collect::<Vec<_>>(),
        [(ContactId::new(3), AgentId::new(9))]
    );
}

#[test]
fn a_returning_loyal_customer_waits_for_the_account_manager_then_anyone() {
    let manager = AgentId::new(5);
    let mut r = router(
        vec![QueueConfig::new(SALES)],
        vec![agent(1, SALES), agent(5, SALES)],
    );
    // The manager is busy.
    let _ = r.arrive(call(1, SALES), secs(0)).unwrap();
    let _ = r.arrive(call(2, SALES), secs(0)).unwrap();
    assert_eq!(r.agent_load(manager).unwrap()[0], 1);
    let _ = r.finish(ContactId::new(1), secs(5)).unwrap(); // agent 1 frees
    let loyal = call(3, SALES)
        .stage(LifecycleStage::Loyalty)
        .prefer(Preference::new([manager], TimeSpan::from_secs(60)));
    let d = r.arrive(loyal, secs(10)).unwrap();
    assert!(
        matches!(d.as_slice(), [Decision::Queued { .. }]),
        "waits for the manager"
    );
    // A plain call arriving later goes to the idle agent 1.
    let d = r.arrive(call(4, SALES), secs(11)).unwrap();
    assert_eq!(
        d.assignments().collect::<Vec<_>>(),
        [(ContactId::new(4), AgentId::new(1))]
    );
    // The manager frees up and takes the loyal customer first.
    let d = r.finish(ContactId::new(2), secs(20)).unwrap();
    assert_eq!(
        d.assignments().collect::<Vec<_>>(),
        [(ContactId::new(3), manager)]
    );

    // Another loyal caller whose manager stays busy: after 60 s, anyone.
    let again = call(6, SALES).prefer(Preference::new([manager], TimeSpan::from_secs(60)));
    let _ = r.arrive(again, secs(30)).unwrap();
    let _ = r.finish(ContactId::new(4), secs(40)).unwrap(); // agent 1 idle
    let d = r.advance(secs(90)).unwrap();
    assert!(matches!(
        d.as_slice(),
        [
            Decision::Escalated { action: Escalation::DropPreference, .. },
            Decision::Assigned { agent, .. },
        ] if agent.get() == 1
    ));
}

#[test]
fn a_closed_desk_refuses_and_counts_it() {
    let q = QueueConfig::new(SALES).unstaffed(Unstaffed::Refuse);
    let mut r = router(vec![q], vec![]);
    let refused = r.arrive(call(1, SALES), secs(0));
    assert_eq!(
        refused.err(),
        Some(RouterError::Unstaffed {
            queue: SALES,
            contact: ContactId::new(1)
        })
    );
    assert_eq!(r.queue_stats(SALES, secs(0)).unwrap().refused, 1);
    assert_eq!(r.contact_count(), 0);
    // An agent logged in but not ready staffs the desk: the call waits.
    r.add_agent(agent(1, SALES)).unwrap();
    let _ = r.log_in(AgentId::new(1), secs(1)).unwrap();
    r.set_not_ready(AgentId::new(1), NotReadyReason::Meal, secs(1))
        .unwrap();
    let d = r.arrive(call(2, SALES), secs(2)).unwrap();
    assert!(matches!(d.as_slice(), [Decision::Queued { .. }]));
}

#[test]
fn short_abandons_are_left_out_of_the_service_level() {
    let target = ServiceLevelTarget::default().short_abandon(TimeSpan::from_secs(5));
    let mut r = router(
        vec![QueueConfig::new(SALES).service_level(target)],
        vec![agent(1, SALES)],
    );
    let _ = r.arrive(call(1, SALES), secs(0)).unwrap(); // answered at once
    let _ = r.arrive(call(2, SALES), secs(0)).unwrap();
    let _ = r.arrive(call(3, SALES), secs(0)).unwrap();
    let _ = r.abandon(ContactId::new(2), secs(3)).unwrap(); // short
    let _ = r.abandon(ContactId::new(3), secs(60)).unwrap(); // a miss
    let s = r.queue_stats(SALES, secs(60)).unwrap();
    assert_eq!((s.abandoned, s.short_abandoned), (2, 1));
    assert_eq!(s.service_level(), Some(0.5));
    assert_eq!(s.service_level_of_answered(), Some(1.0));
}

#[test]
fn a_caller_who_hangs_up_and_calls_back_resumes_their_place() {
    let q = QueueConfig::new(SALES).resume_within(TimeSpan::from_secs(60));
    let mut r = router(vec![q], vec![agent(1, SALES)]);
    let _ = r.arrive(call(1, SALES), secs(0)).unwrap(); // busy the agent
    let me = CustomerId::new(42);
    let _ = r.arrive(call(2, SALES).customer(me), secs(10)).unwrap();
    let _ = r.arrive(call(3, SALES), secs(30)).unwrap();
    let _ = r.abandon(ContactId::new(2), secs(40)).unwrap();
    // Back within the window: the new contact keeps the first arrival.
    let _ = r.arrive(call(4, SALES).customer(me), secs(70)).unwrap();
    assert_eq!(
        r.contact_status(ContactId::new(4)).unwrap(),
        ContactStatus::Waiting { since: secs(10) }
    );
    assert_eq!(r.wait_estimate(ContactId::new(4)).unwrap().ahead, 0);
    let d = r.finish(ContactId::new(1), secs(80)).unwrap();
    assert!(matches!(
        d.as_slice(),
        [Decision::Assigned { contact, waited, .. }] if contact.get() == 4 && *waited == TimeSpan::from_secs(70)
    ));
    // A second hang-up, and a call back after the window: a new place.
    let _ = r.abandon(ContactId::new(3), secs(90)).unwrap();
    let _ = r.arrive(call(5, SALES).customer(me), secs(95)).unwrap(); // no place kept for 42
    assert_eq!(
        r.contact_status(ContactId::new(5)).unwrap(),
        ContactStatus::Waiting { since: secs(95) }
    );
}
