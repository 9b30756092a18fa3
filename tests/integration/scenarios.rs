//! Hand-written scenarios: behaviour worth reading as a story.

use callroute::*;

const Q: QueueId = QueueId::new(1);
const BACKUP: QueueId = QueueId::new(2);

fn secs(s: u64) -> Timestamp {
    Timestamp::from_secs(s)
}

fn router_with(queue: QueueConfig) -> Router {
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(queue).unwrap();
    r
}

fn agent(id: u32) -> AgentSpec {
    AgentSpec::new(AgentId::new(id)).profile(RoutingProfile::new().serve(Q, 1))
}

fn call(id: u64) -> Contact {
    Contact::new(ContactId::new(id), Q, Channel::Voice)
}

fn assigned(d: &Decisions) -> Vec<(u64, u32)> {
    d.assignments().map(|(c, a)| (c.get(), a.get())).collect()
}

#[test]
fn purchase_call_overtakes_earlier_discovery_call_but_fifo_among_equals() {
    let mut r = router_with(QueueConfig::new(Q));
    r.add_agent(agent(1)).unwrap();
    let _ = r.arrive(call(1), secs(0)).unwrap(); // discovery
    let _ = r.arrive(call(2), secs(1)).unwrap(); // discovery, later
    let _ = r
        .arrive(call(3).stage(LifecycleStage::Conversion), secs(2))
        .unwrap();
    let d = r.log_in(AgentId::new(1), secs(3)).unwrap();
    assert_eq!(assigned(&d), [(3, 1)], "purchase first");
    let _ = r.finish(ContactId::new(3), secs(4)).unwrap();
    // contact 1 and 2 have equal scores but for aging: first come, first served.
    let d = r.advance(secs(4)).unwrap();
    assert!(d.is_empty());
    assert_eq!(
        r.contact_status(ContactId::new(1)).unwrap(),
        ContactStatus::InService {
            agent: AgentId::new(1)
        }
    );
}

#[test]
fn aging_lets_an_old_discovery_call_pass_a_fresh_purchase_call() {
    let mut r = router_with(QueueConfig::new(Q));
    r.add_agent(agent(1)).unwrap();
    let _ = r.arrive(call(1), secs(0)).unwrap();
    // 61 s later a purchase call (+60 points) arrives: the discovery call has
    // aged 61 points and keeps its place.
    let _ = r
        .arrive(call(2).stage(LifecycleStage::Conversion), secs(61))
        .unwrap();
    let d = r.log_in(AgentId::new(1), secs(62)).unwrap();
    assert_eq!(assigned(&d), [(1, 1)]);
}

#[test]
fn sentiment_update_reprioritizes_a_waiting_contact_at_once() {
    let mut r = router_with(QueueConfig::new(Q));
    r.add_agent(agent(1)).unwrap();
    let _ = r
        .arrive(call(1).stage(LifecycleStage::Retention), secs(0))
        .unwrap();
    let _ = r
        .arrive(call(2).stage(LifecycleStage::Retention), secs(5))
        .unwrap();
    let d = r
        .update_sentiment(ContactId::new(2), Sentiment::new(-0.9).unwrap(), secs(6))
        .unwrap();
    assert!(d.is_empty(), "no upset rule: only re-prioritized");
    let b = r.explain(ContactId::new(2), secs(6)).unwrap();
    assert_eq!((b.stage, b.sentiment, b.aging), (30.0, 36.0, 1.0));
    let d = r.log_in(AgentId::new(1), secs(7)).unwrap();
    assert_eq!(assigned(&d), [(2, 1)], "the upset customer goes first");
    match d.as_slice() {
        [
            Decision::Assigned {
                priority, waited, ..
            },
        ] => {
            assert_eq!(*waited, TimeSpan::from_secs(2));
            assert_eq!(priority.total, 30.0 + 36.0 + 2.0);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn longest_idle_measures_differ_after_a_break() {
    for (measure, expected) in [
        (IdleMeasure::SinceLastContact, 1),
        (IdleMeasure::SinceAvailable, 2),
    ] {
        let mut r = router_with(QueueConfig::new(Q).selection(Selection::LongestIdle(measure)));
        r.add_agent(agent(1)).unwrap();
        r.add_agent(agent(2)).unwrap();
        let _ = r.log_in(AgentId::new(1), secs(0)).unwrap();
        let _ = r.log_in(AgentId::new(2), secs(10)).unwrap();
        // Agent 1 takes a break and comes back: it has been idle since its
        // log-in at 0, but available only since 30.
        r.set_not_ready(AgentId::new(1), NotReadyReason::Break, secs(20))
            .unwrap();
        let _ = r.set_ready(AgentId::new(1), secs(30)).unwrap();
        let d = r.arrive(call(1), secs(40)).unwrap();
        assert_eq!(assigned(&d), [(1, expected)], "{measure:?}");
    }
}

#[test]
fn most_proficient_round_robin_and_least_occupied() {
    let skill = SkillId::new(7);
    let req = Requirements::new().skill(skill, Proficiency::new(3).unwrap());
    let mut r = router_with(
        QueueConfig::new(Q)
            .selection(Selection::MostProficient)
            .requirements(req),
    );
    for (id, level) in [(1, 4), (2, 9), (3, 6)] {
        r.add_agent(agent(id).skill(skill, Proficiency::new(level).unwrap()))
            .unwrap();
        let _ = r.log_in(AgentId::new(id), secs(0)).unwrap();
    }
    assert_eq!(assigned(&r.arrive(call(1), secs(1)).unwrap()), [(1, 2)]);
    assert_eq!(assigned(&r.arrive(call(2), secs(1)).unwrap()), [(2, 3)]);

    let mut r = router_with(QueueConfig::new(Q).selection(Selection::RoundRobin));
    for id in [5, 1, 3] {
        r.add_agent(agent(id)).unwrap();
        let _ = r.log_in(AgentId::new(id), secs(0)).unwrap();
    }
    let mut order = Vec::new();
    for c in 0..4 {
        let d = r.arrive(call(c), secs(1)).unwrap();
        order.extend(assigned(&d).into_iter().map(|p| p.1));
        let _ = r.finish(ContactId::new(c), secs(1)).unwrap();
    }
    assert_eq!(order, [1, 3, 5, 1], "id order, wrapping around");

    let chat3 = Capacity::none().with(Channel::Chat, 3);
    let mut r = router_with(QueueConfig::new(Q).selection(Selection::LeastOccupied));
    for id in [1, 2] {
        r.add_agent(agent(id).capacity(chat3)).unwrap();
        let _ = r.log_in(AgentId::new(id), secs(0)).unwrap();
    }
    let chats: Vec<u32> = (0..4)
        .flat_map(|c| {
            let d = r
                .arrive(Contact::new(ContactId::new(c), Q, Channel::Chat), secs(1))
                .unwrap();
            assigned(&d).into_iter().map(|p| p.1).collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(chats, [1, 2, 1, 2], "spread over the least occupied");
}

#[test]
fn chat_concurrency_and_voice_exclusivity() {
    let mut r = router_with(QueueConfig::new(Q));
    let blended = Capacity::voice().with(Channel::Chat, 2);
    r.add_agent(agent(1).capacity(blended)).unwrap();
    let _ = r.log_in(AgentId::new(1), secs(0)).unwrap();
    let chat = |id| Contact::new(ContactId::new(id), Q, Channel::Chat);
    assert_eq!(assigned(&r.arrive(chat(1), secs(1)).unwrap()), [(1, 1)]);
    assert_eq!(assigned(&r.arrive(chat(2), secs(1)).unwrap()), [(2, 1)]);
    assert!(
        assigned(&r.arrive(chat(3), secs(1)).unwrap()).is_empty(),
        "chat limit"
    );
    assert!(
        assigned(&r.arrive(call(4), secs(1)).unwrap()).is_empty(),
        "no call while chatting"
    );
    assert_eq!(
        r.agent_status(AgentId::new(1)).unwrap(),
        AgentStatus::Busy { contacts: 2 }
    );
    // One chat ends: the waiting chat takes the slot, the call still waits.
    let d = r.finish(ContactId::new(1), secs(2)).unwrap();
    assert_eq!(assigned(&d), [(3, 1)]);
    let _ = r.finish(ContactId::new(2), secs(3)).unwrap();
    let d = r.finish(ContactId::new(3), secs(4)).unwrap();
    assert_eq!(assigned(&d), [(4, 1)], "the call once all chats are done");
    assert_eq!(r.agent_load(AgentId::new(1)).unwrap(), [1, 0, 0, 0]);
}

#[test]
fn wrap_up_is_a_timer_and_ops_wait_for_advance() {
    let mut r = router_with(QueueConfig::new(Q).wrap_up(TimeSpan::from_secs(30)));
    r.add_agent(agent(1)).unwrap();
    let _ = r.log_in(AgentId::new(1), secs(0)).unwrap();
    let _ = r.arrive(call(1), secs(0)).unwrap();
    let _ = r.arrive(call(2), secs(1)).unwrap();
    let d = r.finish(ContactId::new(1), secs(60)).unwrap();
    assert!(d.is_empty(), "in wrap-up, takes nothing");
    assert_eq!(
        r.agent_status(AgentId::new(1)).unwrap(),
        AgentStatus::WrapUp { until: secs(90) }
    );
    assert_eq!(r.next_timer(), Some(secs(90)));
    // An operation after the timer is due is refused until advance.
    let before = format!("{r:?}");
    assert_eq!(
        r.arrive(call(3), secs(95)).unwrap_err(),
        RouterError::TimersDue { due: secs(90) }
    );
    assert_eq!(
        format!("{r:?}"),
        before,
        "a refused operation changes nothing"
    );
    let d = r.advance(secs(95)).unwrap();
    assert_eq!(
        d.as_slice().first(),
        Some(&Decision::WrapUpEnded {
            agent: AgentId::new(1),
            at: secs(90)
        })
    );
    // The waiting call is assigned at the instant the wrap-up ended.
    match d.as_slice().get(1) {
        Some(Decision::Assigned {
            contact, waited, ..
        }) => {
            assert_eq!(*contact, ContactId::new(2));
            assert_eq!(*waited, TimeSpan::from_secs(89));
        }
        other => panic!("{other:?}"),
    }
    // Ending a wrap-up early.
    let d = r.finish(ContactId::new(2), secs(100)).unwrap();
    assert!(d.is_empty());
    let _ = r.arrive(call(3), secs(101)).unwrap();
    let d = r.end_wrap_up(AgentId::new(1), secs(102)).unwrap();
    assert_eq!(assigned(&d), [(3, 1)]);
    assert_eq!(r.next_timer(), None);
}

#[test]
fn a_backup_pool_takes_contacts_only_after_its_delay() {
    let mut r = router_with(QueueConfig::new(Q));
    r.add_queue(QueueConfig::new(BACKUP)).unwrap();
    let main = AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(Q, 1));
    let backup = AgentSpec::new(AgentId::new(2)).profile(
        RoutingProfile::new()
            .serve(BACKUP, 1)
            .serve_after(Q, 2, TimeSpan::from_secs(30)),
    );
    r.add_agent(main).unwrap();
    r.add_agent(backup).unwrap();
    let _ = r.log_in(AgentId::new(1), secs(0)).unwrap();
    let _ = r.log_in(AgentId::new(2), secs(0)).unwrap();
    assert_eq!(assigned(&r.arrive(call(1), secs(0)).unwrap()), [(1, 1)]);
    assert!(
        assigned(&r.arrive(call(2), secs(5)).unwrap()).is_empty(),
        "backup waits"
    );
    assert_eq!(r.next_timer(), Some(secs(35)));
    let d = r.advance(secs(40)).unwrap();
    assert_eq!(
        assigned(&d),
        [(2, 2)],
        "after 30 s the backup pool takes it"
    );
    // Rank: a freed backup agent serves its own queue before the delayed one.
    let _ = r.arrive(call(3), secs(41)).unwrap();
    assert!(
        r.advance(secs(80)).unwrap().is_empty(),
        "both agents busy at 71 s"
    );
    let _ = r
        .arrive(
            Contact::new(ContactId::new(4), BACKUP, Channel::Voice),
            secs(80),
        )
        .unwrap();
    let d = r.finish(ContactId::new(2), secs(81)).unwrap();
    assert_eq!(
        assigned(&d),
        [(4, 2)],
        "rank 1 first even though contact 3 waited longer"
    );
}

#[test]
fn a_full_queue_refuses_and_changes_nothing() {
    let mut r = router_with(QueueConfig::new(Q).max_waiting(1));
    let _ = r.arrive(call(1), secs(0)).unwrap();
    let err = r.arrive(call(2), secs(1)).unwrap_err();
    assert_eq!(
        err,
        RouterError::QueueFull {
            queue: Q,
            contact: ContactId::new(2)
        }
    );
    assert_eq!(r.contact_count(), 1);
    assert_eq!(r.now(), secs(0));
    let stats = r.queue_stats(Q, secs(1)).unwrap();
    assert_eq!((stats.offered, stats.refused, stats.waiting), (1, 1, 1));
    // An agent that can take it at once is not blocked by the limit.
    r.add_agent(agent(9).capacity(Capacity::none().with(Channel::Chat, 1)))
        .unwrap();
    let _ = r.log_in(AgentId::new(9), secs(2)).unwrap();
    let d = r
        .arrive(Contact::new(ContactId::new(3), Q, Channel::Chat), secs(3))
        .unwrap();
    assert_eq!(assigned(&d), [(3, 9)]);
}

#[test]
fn errors_name_the_culprit() {
    let mut r = router_with(QueueConfig::new(Q));
    assert_eq!(
        r.log_in(AgentId::new(4), secs(0)).unwrap_err(),
        RouterError::UnknownAgent(AgentId::new(4))
    );
    r.add_agent(agent(4)).unwrap();
    assert_eq!(
        r.add_agent(agent(4)).unwrap_err(),
        RouterError::DuplicateAgent(AgentId::new(4))
    );
    assert_eq!(
        r.add_agent(
            AgentSpec::new(AgentId::new(5)).profile(RoutingProfile::new().serve(BACKUP, 1))
        )
        .unwrap_err(),
        RouterError::UnknownQueue(BACKUP)
    );
    assert_eq!(
        r.add_agent(agent(6).capacity(Capacity::none()))
            .unwrap_err(),
        RouterError::NoCapacity(AgentId::new(6))
    );
    let _ = r.arrive(call(1), secs(10)).unwrap();
    assert_eq!(
        r.arrive(call(1), secs(10)).unwrap_err(),
        RouterError::DuplicateContact(ContactId::new(1))
    );
    assert_eq!(
        r.arrive(call(2), secs(9)).unwrap_err(),
        RouterError::TimeWentBackwards {
            now: secs(9),
            clock: secs(10)
        }
    );
    assert_eq!(
        r.finish(ContactId::new(1), secs(10)).unwrap_err(),
        RouterError::ContactNotInService(ContactId::new(1))
    );
    assert_eq!(
        r.log_out(AgentId::new(4), secs(10)).unwrap_err(),
        RouterError::AgentLoggedOut(AgentId::new(4))
    );
    let _ = r.log_in(AgentId::new(4), secs(11)).unwrap();
    assert_eq!(
        r.abandon(ContactId::new(1), secs(11)).unwrap_err(),
        RouterError::ContactNotWaiting(ContactId::new(1))
    );
    assert_eq!(
        r.log_out(AgentId::new(4), secs(12)).unwrap_err(),
        RouterError::AgentHasContacts(AgentId::new(4))
    );
    assert_eq!(
        r.remove_agent(AgentId::new(4)).unwrap_err(),
        RouterError::AgentLoggedIn(AgentId::new(4))
    );
    let e: Error = Sentiment::new(f64::NAN).unwrap_err().into();
    assert!(matches!(e, Error::Model(_)));
}

#[test]
fn live_statistics_count_service_level_and_speed_of_answer() {
    let mut r = router_with(
        QueueConfig::new(Q)
            .service_level(ServiceLevelTarget::new(0.8, TimeSpan::from_secs(20)).unwrap()),
    );
    r.add_agent(agent(1)).unwrap();
    let _ = r.arrive(call(1), secs(0)).unwrap();
    let _ = r.arrive(call(2), secs(0)).unwrap();
    let _ = r.arrive(call(3), secs(0)).unwrap();
    let _ = r.log_in(AgentId::new(1), secs(10)).unwrap(); // call 1 after 10 s
    let _ = r.finish(ContactId::new(1), secs(40)).unwrap(); // call 2 after 40 s
    let _ = r.abandon(ContactId::new(3), secs(45)).unwrap();
    let s = r.queue_stats(Q, secs(50)).unwrap();
    assert_eq!(
        (s.offered, s.answered, s.abandoned, s.waiting),
        (3, 2, 1, 0)
    );
    assert_eq!(s.answered_within_target, 1);
    assert_eq!(
        s.service_level(),
        Some(1.0 / 3.0),
        "abandoned count as misses"
    );
    assert_eq!(s.average_speed_of_answer(), Some(TimeSpan::from_secs(25)));
    let _ = r.arrive(call(4), secs(50)).unwrap();
    assert_eq!(
        r.queue_stats(Q, secs(58)).unwrap().oldest_wait,
        TimeSpan::from_secs(8)
    );
}

#[test]
fn finished_contacts_leave_no_trace() {
    let mut r = router_with(QueueConfig::new(Q));
    r.add_agent(agent(1)).unwrap();
    let _ = r.log_in(AgentId::new(1), secs(0)).unwrap();
    for i in 0..10_000 {
        let _ = r.arrive(call(i), secs(i)).unwrap();
        let _ = r.finish(ContactId::new(i), secs(i)).unwrap();
    }
    assert_eq!(r.contact_count(), 0);
    assert_eq!(r.waiting_count(), 0);
    assert_eq!(
        r.contact_status(ContactId::new(5)).unwrap_err(),
        RouterError::UnknownContact(ContactId::new(5))
    );
}

#[test]
fn the_router_can_move_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Router>();
    let mut r = router_with(QueueConfig::new(Q));
    r.add_agent(agent(1)).unwrap();
    let handle = std::thread::spawn(move || {
        let _ = r.log_in(AgentId::new(1), secs(0)).unwrap();
        r
    });
    let r = handle.join().unwrap();
    assert_eq!(
        r.agent_status(AgentId::new(1)).unwrap(),
        AgentStatus::Available
    );
}
