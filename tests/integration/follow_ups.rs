//! Proactive follow-ups: outbound tasks blended with inbound work, never
//! ahead of an inbound contact and never below the idle agents kept.

use callroute::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

const INBOUND: QueueId = QueueId::new(1);
const SPECIAL: QueueId = QueueId::new(2);
const TASKS: QueueId = QueueId::new(3);
const BILLING: SkillId = SkillId::new(1);

fn secs(s: u64) -> Timestamp {
    Timestamp::from_secs(s)
}

fn id(c: u64) -> ContactId {
    ContactId::new(c)
}

fn assigned(d: &Decisions) -> Vec<(ContactId, AgentId)> {
    d.assignments().collect()
}

/// An inbound queue and a follow-up queue keeping `keep_idle` agents idle;
/// `agents` agents serve both, the follow-ups at `task_rank`.
fn blended(keep_idle: u32, agents: u32, task_rank: u8) -> Router {
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(QueueConfig::new(INBOUND)).unwrap();
    r.add_queue(QueueConfig::new(TASKS).outbound(Outbound { keep_idle }))
        .unwrap();
    for a in 1..=agents {
        let profile = RoutingProfile::new()
            .serve(INBOUND, 2)
            .serve(TASKS, task_rank);
        r.add_agent(AgentSpec::new(AgentId::new(a)).profile(profile))
            .unwrap();
        let _ = r.log_in(AgentId::new(a), Timestamp::ZERO).unwrap();
    }
    r
}

fn call(c: u64) -> Contact {
    Contact::new(id(c), INBOUND, Channel::Voice)
}

fn task(c: u64) -> Contact {
    Contact::new(id(c), TASKS, Channel::Voice).stage(LifecycleStage::Loyalty)
}

#[test]
fn a_freed_agent_takes_inbound_before_a_task_whatever_its_rank_and_score() {
    // Tasks at rank 1, inbound at rank 2, and the task worth far more.
    let mut r = blended(0, 1, 1);
    let _ = r.arrive(call(1), secs(0)).unwrap();
    let _ = r
        .arrive(task(2).value(CustomerValue::Amount(1_000_000)), secs(1))
        .unwrap();
    let _ = r.arrive(call(3), secs(2)).unwrap();
    let d = r.finish(id(1), secs(60)).unwrap();
    assert_eq!(assigned(&d), [(id(3), AgentId::new(1))]);
    // With no inbound contact left, the task goes.
    let d = r.finish(id(3), secs(120)).unwrap();
    assert_eq!(assigned(&d), [(id(2), AgentId::new(1))]);
    assert_eq!(r.queue_stats(TASKS, secs(120)).unwrap().answered, 1);
}

#[test]
fn tasks_wait_while_only_the_kept_idle_agents_are_free() {
    let mut r = blended(2, 3, 2);
    let d = r.arrive(task(1), secs(0)).unwrap();
    assert_eq!(assigned(&d).len(), 1, "three idle, two kept: one may go");
    let d = r.arrive(task(2), secs(1)).unwrap();
    assert!(assigned(&d).is_empty(), "two idle, both kept");
    assert_eq!(
        r.contact_status(id(2)).unwrap(),
        ContactStatus::Waiting { since: secs(1) }
    );
    // The kept agents serve inbound calls at once.
    let d = r.arrive(call(3), secs(2)).unwrap();
    assert_eq!(assigned(&d).len(), 1);
    // When the first task ends, two agents are idle again: still kept.
    let d = r.finish(id(1), secs(30)).unwrap();
    assert!(assigned(&d).is_empty());
    // The inbound call ends: three idle, the waiting task goes out.
    let d = r.finish(id(3), secs(40)).unwrap();
    assert_eq!(
        assigned(&d).iter().map(|a| a.0).collect::<Vec<_>>(),
        [id(2)]
    );
}

#[test]
fn an_agent_freed_elsewhere_lets_a_kept_agent_take_a_task() {
    // Agent 1 serves only inbound; agent 2 inbound and tasks; one kept idle.
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(QueueConfig::new(INBOUND)).unwrap();
    r.add_queue(QueueConfig::new(TASKS).outbound(Outbound::default()))
        .unwrap();
    r.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(INBOUND, 1)))
        .unwrap();
    r.add_agent(
        AgentSpec::new(AgentId::new(2))
            .profile(RoutingProfile::new().serve(INBOUND, 1).serve(TASKS, 1)),
    )
    .unwrap();
    let _ = r.log_in(AgentId::new(1), secs(0)).unwrap();
    let _ = r.arrive(call(1), secs(1)).unwrap();
    let _ = r.log_in(AgentId::new(2), secs(2)).unwrap();
    let d = r.arrive(task(2), secs(3)).unwrap();
    assert!(assigned(&d).is_empty(), "agent 2 is the only idle one");
    // Agent 1 frees up and cannot take the task; agent 2 now may.
    let d = r.finish(id(1), secs(50)).unwrap();
    assert_eq!(assigned(&d), [(id(2), AgentId::new(2))]);
}

#[test]
fn a_wrap_up_ending_places_a_task_at_its_own_time() {
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(QueueConfig::new(INBOUND).wrap_up(TimeSpan::from_secs(10)))
        .unwrap();
    r.add_queue(QueueConfig::new(TASKS).outbound(Outbound { keep_idle: 0 }))
        .unwrap();
    let profile = RoutingProfile::new().serve(INBOUND, 1).serve(TASKS, 1);
    r.add_agent(AgentSpec::new(AgentId::new(1)).profile(profile))
        .unwrap();
    let _ = r.log_in(AgentId::new(1), secs(0)).unwrap();
    let _ = r.arrive(call(1), secs(0)).unwrap();
    let _ = r.arrive(task(2), secs(1)).unwrap();
    let _ = r.finish(id(1), secs(20)).unwrap();
    let d = r.advance(secs(100)).unwrap();
    let waited = d.iter().find_map(|d| match d {
        Decision::Assigned {
            contact, waited, ..
        } if *contact == id(2) => Some(*waited),
        _ => None,
    });
    assert_eq!(waited, Some(TimeSpan::from_secs(29)));
}

#[test]
fn a_follow_up_is_no_repeat_contact_of_its_customer() {
    let mut r = blended(0, 1, 1);
    let customer = CustomerId::new(9);
    let _ = r.arrive(call(1).customer(customer), secs(0)).unwrap();
    let _ = r.finish(id(1), secs(60)).unwrap();
    // The feedback call a day later, within the repeat window.
    let day = 86_400;
    let d = r.arrive(task(2).customer(customer), secs(day)).unwrap();
    let Some(Decision::Assigned { priority, .. }) = d.iter().next() else {
        panic!("the follow-up goes out: {d:?}");
    };
    assert_eq!(priority.repeat, 0.0);
    let _ = r.finish(id(2), secs(day + 60)).unwrap();
    let fcr = r.queue_stats(INBOUND, secs(day + 60)).unwrap().resolution;
    assert_eq!((fcr.unresolved, fcr.repeats, fcr.pending), (0, 0, 1));
    assert_eq!(
        r.queue_stats(TASKS, secs(day + 60))
            .unwrap()
            .resolution
            .pending,
        0
    );
    // The customer calling back is a repeat of the first call, not of the task.
    let d = r
        .arrive(call(3).customer(customer), secs(day + 120))
        .unwrap();
    assert!(
        matches!(d.iter().next(), Some(Decision::Assigned { priority, .. }) if priority.repeat > 0.0)
    );
}

#[test]
fn waiting_tasks_survive_a_snapshot() {
    let mut r = blended(1, 2, 1);
    let _ = r.arrive(task(1), secs(0)).unwrap();
    let _ = r.arrive(task(2), secs(1)).unwrap();
    let _ = r.arrive(call(3), secs(2)).unwrap();
    let json = serde_json::to_string(&r.snapshot()).unwrap();
    let mut back = Router::restore(serde_json::from_str(&json).unwrap()).unwrap();
    for r in [&mut r, &mut back] {
        let d = r.finish(id(3), secs(30)).unwrap();
        assert!(assigned(&d).is_empty(), "one idle, kept");
        let d = r.finish(id(1), secs(40)).unwrap();
        assert_eq!(
            assigned(&d).iter().map(|a| a.0).collect::<Vec<_>>(),
            [id(2)]
        );
    }
}

#[test]
fn an_offered_task_rejected_goes_back_and_keeps_the_rule() {
    // Follow-ups are offered before they connect; two agents, none kept.
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(QueueConfig::new(INBOUND)).unwrap();
    r.add_queue(
        QueueConfig::new(TASKS)
            .outbound(Outbound { keep_idle: 0 })
            .offer(OfferPolicy::new(TimeSpan::from_secs(20))),
    )
    .unwrap();
    for a in 1..=2 {
        let profile = RoutingProfile::new().serve(INBOUND, 1).serve(TASKS, 1);
        r.add_agent(AgentSpec::new(AgentId::new(a)).profile(profile))
            .unwrap();
        let _ = r.log_in(AgentId::new(a), secs(0)).unwrap();
    }
    let d = r.arrive(task(1), secs(1)).unwrap();
    let Some(Decision::Offered { agent: first, .. }) = d.iter().next().cloned() else {
        panic!("the task is offered: {d:?}");
    };
    // Rejected: the first agent rests, the other is offered it at once.
    let d = r.reject(id(1), first, secs(5)).unwrap();
    let other = d.iter().find_map(|d| match d {
        Decision::Offered { agent, .. } => Some(*agent),
        _ => None,
    });
    assert!(other.is_some_and(|a| a != first), "{d:?}");
    // An inbound call meanwhile goes to nobody (one rests, one is
    // reserved) and waits; when the offer is accepted the call still waits,
    // and the resting agent takes it when the rest ends.
    let _ = r.arrive(call(2), secs(6)).unwrap();
    let d = r.accept(id(1), other.unwrap(), secs(7)).unwrap();
    assert_eq!(
        d.assignments().collect::<Vec<_>>(),
        [(id(1), other.unwrap())]
    );
    let d = r.advance(secs(30)).unwrap();
    assert_eq!(d.assignments().collect::<Vec<_>>(), [(id(2), first)]);
    assert_eq!(r.contact_count(), 2);
}

// ----- the rule under random traffic ----------------------------------

#[derive(Debug, Clone)]
enum Op {
    Call { special: bool },
    Task { value: u32 },
    Finish(usize),
    Abandon(usize),
    NotReady(u32),
    Ready(u32),
    Wait,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => any::<bool>().prop_map(|special| Op::Call { special }),
        3 => (0u32..4_000).prop_map(|value| Op::Task { value }),
        5 => any::<usize>().prop_map(Op::Finish),
        1 => any::<usize>().prop_map(Op::Abandon),
        1 => (1u32..=5).prop_map(Op::NotReady),
        1 => (1u32..=5).prop_map(Op::Ready),
        1 => Just(Op::Wait),
    ]
}

/// Who each agent is: whether it has the billing skill (the special
/// queue needs it) and whether it takes follow-ups.
#[derive(Debug, Clone, Copy)]
struct Staff {
    billing: bool,
    tasks: bool,
}

fn staff() -> impl Strategy<Value = Staff> {
    (any::<bool>(), any::<bool>()).prop_map(|(billing, tasks)| Staff { billing, tasks })
}

struct World {
    router: Router,
    staff: Vec<Staff>,
    keep_idle: u32,
    /// Every contact not yet ended, with its queue.
    live: BTreeMap<ContactId, QueueId>,
}

impl World {
    fn new(staff: Vec<Staff>, keep_idle: u32, wrap_up: u64, task_rank: u8) -> World {
        let mut router = Router::new(RouterConfig::default()).unwrap();
        router
            .add_queue(QueueConfig::new(INBOUND).wrap_up(TimeSpan::from_secs(wrap_up)))
            .unwrap();
        router
            .add_queue(
                QueueConfig::new(SPECIAL)
                    .requirements(Requirements::new().skill(BILLING, Proficiency::new(1).unwrap())),
            )
            .unwrap();
        router
            .add_queue(QueueConfig::new(TASKS).outbound(Outbound { keep_idle }))
            .unwrap();
        for (a, s) in staff.iter().enumerate() {
            let mut profile = RoutingProfile::new().serve(INBOUND, 2).serve(SPECIAL, 1);
            if s.tasks {
                profile = profile.serve(TASKS, task_rank);
            }
            let mut spec = AgentSpec::new(AgentId::new(a as u32 + 1)).profile(profile);
            if s.billing {
                spec = spec.skill(BILLING, Proficiency::new(5).unwrap());
            }
            router.add_agent(spec).unwrap();
            let _ = router.log_in(AgentId::new(a as u32 + 1), secs(0)).unwrap();
        }
        World {
            router,
            staff,
            keep_idle,
            live: BTreeMap::new(),
        }
    }

    fn serves(&self, agent: AgentId, queue: QueueId) -> bool {
        let Some(s) = self.staff.get(agent.get() as usize - 1) else {
            return false;
        };
        match queue {
            INBOUND => true,
            SPECIAL => s.billing,
            _ => s.tasks,
        }
    }

    fn idle_agents(&self) -> Vec<AgentId> {
        (1..=self.staff.len() as u32)
            .map(AgentId::new)
            .filter(|&a| self.router.agent_status(a).unwrap() == AgentStatus::Available)
            .collect()
    }

    fn waiting(&self) -> Vec<(ContactId, QueueId)> {
        self.live
            .iter()
            .filter(|(c, _)| {
                matches!(
                    self.router.contact_status(**c).unwrap(),
                    ContactStatus::Waiting { .. }
                )
            })
            .map(|(c, q)| (*c, *q))
            .collect()
    }

    fn in_service(&self) -> Vec<ContactId> {
        self.live
            .keys()
            .filter(|c| {
                matches!(
                    self.router.contact_status(**c).unwrap(),
                    ContactStatus::InService { .. }
                )
            })
            .copied()
            .collect()
    }

    /// The rule, checked after an operation that made `decisions`.
    fn check(&self, decisions: &[Decision]) -> Result<(), TestCaseError> {
        prop_assert_eq!(
            self.router.contact_count(),
            self.live.len(),
            "lost or extra"
        );
        let idle = self.idle_agents();
        let waiting = self.waiting();
        for &(c, q) in &waiting {
            for &a in &idle {
                if q == TASKS {
                    // Left waiting only while the idle agents are all kept.
                    prop_assert!(
                        !self.serves(a, q) || idle.len() <= self.keep_idle as usize,
                        "task {} waits while {} of {} kept agents idle, {} among them",
                        c,
                        idle.len(),
                        self.keep_idle,
                        a
                    );
                } else {
                    prop_assert!(!self.serves(a, q), "{} waits with {} idle", c, a);
                }
            }
        }
        for d in decisions {
            if let Decision::Assigned {
                contact,
                agent,
                queue: TASKS,
                ..
            } = d
            {
                prop_assert!(
                    idle.len() >= self.keep_idle as usize,
                    "task {} left {} idle of {} kept",
                    contact,
                    idle.len(),
                    self.keep_idle
                );
                for &(c, q) in &waiting {
                    prop_assert!(
                        q == TASKS || !self.serves(*agent, q),
                        "{} took task {} while {} waited for it",
                        agent,
                        contact,
                        c
                    );
                }
            }
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Follow-ups never go ahead of an inbound contact an agent may serve,
    /// never leave fewer idle agents than kept, never wait while the rule
    /// lets one go, and nothing is lost; with inbound traffic over, every
    /// task is served when some agent takes tasks and more agents than the
    /// kept ones are logged in.
    #[test]
    fn follow_ups_never_delay_inbound_beyond_the_rule(
        staff in prop::collection::vec(staff(), 1..=5),
        keep_idle in 0u32..3,
        wrap_up in prop_oneof![Just(0u64), Just(5)],
        task_rank in 1u8..=3,
        ops in prop::collection::vec((op(), 0u64..20), 1..80),
    ) {
        let mut w = World::new(staff, keep_idle, wrap_up, task_rank);
        let mut now = 0;
        let mut next = 1;
        for (op, dt) in ops {
            now += dt;
            let d = w.router.advance(secs(now)).unwrap();
            w.check(d.as_slice())?;
            let d = match op {
                Op::Call { special } => {
                    let q = if special { SPECIAL } else { INBOUND };
                    w.live.insert(id(next), q);
                    next += 1;
                    w.router.arrive(Contact::new(id(next - 1), q, Channel::Voice), secs(now)).unwrap().into_vec()
                }
                Op::Task { value } => {
                    w.live.insert(id(next), TASKS);
                    next += 1;
                    let t = task(next - 1).value(CustomerValue::Amount(value));
                    w.router.arrive(t, secs(now)).unwrap().into_vec()
                }
                Op::Finish(i) => {
                    let busy = w.in_service();
                    if busy.is_empty() {
                        continue;
                    }
                    let c = busy[i % busy.len()];
                    w.live.remove(&c);
                    w.router.finish(c, secs(now)).unwrap().into_vec()
                }
                Op::Abandon(i) => {
                    let waiting: Vec<ContactId> = w.waiting().into_iter().map(|(c, _)| c).collect();
                    if waiting.is_empty() {
                        continue;
                    }
                    let c = waiting[i % waiting.len()];
                    w.live.remove(&c);
                    w.router.abandon(c, secs(now)).unwrap().into_vec()
                }
                Op::NotReady(a) => {
                    let a = AgentId::new(a);
                    if w.router.agent_status(a).is_err() {
                        continue;
                    }
                    w.router.set_not_ready(a, NotReadyReason::Break, secs(now)).unwrap();
                    Vec::new()
                }
                Op::Ready(a) => match w.router.set_ready(AgentId::new(a), secs(now)) {
                    Ok(d) => d.into_vec(),
                    Err(_) => continue,
                },
                Op::Wait => continue,
            };
            w.check(&d)?;
        }
        // Inbound traffic over: everyone ready, everything finished as it
        // is served.
        for a in 1..=w.staff.len() as u32 {
            let _ = w.router.set_ready(AgentId::new(a), secs(now));
        }
        for _ in 0..200 {
            now += 100;
            let d = w.router.advance(secs(now)).unwrap();
            w.check(d.as_slice())?;
            for c in w.in_service() {
                w.live.remove(&c);
                let d = w.router.finish(c, secs(now)).unwrap();
                w.check(d.as_slice())?;
            }
        }
        // Left: only contacts nobody serves, or tasks the rule bars for good.
        let takers = w.staff.iter().any(|s| s.tasks);
        let tasks_go = takers && w.staff.len() > keep_idle as usize;
        for (c, q) in w.waiting() {
            let served = (1..=w.staff.len() as u32).any(|a| w.serves(AgentId::new(a), q));
            prop_assert!(!served || (q == TASKS && !tasks_go), "{} left in {}", c, q);
        }
        prop_assert_eq!(w.router.contact_count(), w.waiting().len());
    }
}

/// Found by the reference router's blending: an inbound call given to an
/// idle agent leaves it busy with room for a chat task, which it must take
/// at once (an agent holding work may take a task whenever no inbound
/// contact it may serve waits); it used to wait for the next operation
/// that freed someone.
#[test]
fn an_arrival_that_makes_an_agent_busy_lets_it_take_a_task_it_has_room_for() {
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(QueueConfig::new(INBOUND)).unwrap();
    r.add_queue(QueueConfig::new(TASKS).outbound(Outbound { keep_idle: 1 }))
        .unwrap();
    let both = RoutingProfile::new().serve(INBOUND, 1).serve(TASKS, 1);
    let spec = AgentSpec::new(AgentId::new(1))
        .capacity(
            Capacity::voice()
                .with(Channel::Chat, 1)
                .voice_exclusive(false),
        )
        .profile(both);
    r.add_agent(spec).unwrap();
    let _ = r.log_in(AgentId::new(1), secs(0)).unwrap();
    // The only idle agent is kept for inbound: the chat task waits.
    let chat = Contact::new(id(1), TASKS, Channel::Chat);
    assert!(assigned(&r.arrive(chat, secs(0)).unwrap()).is_empty());
    // A call makes the agent busy; its free chat slot takes the task.
    let d = r.arrive(call(2), secs(1)).unwrap();
    assert_eq!(
        assigned(&d),
        [(id(2), AgentId::new(1)), (id(1), AgentId::new(1))]
    );
}

/// Found by the reference: ringing a task at several agents counted the
/// first agent rung as still idle, so a second idle agent was rung while
/// the rule kept it for inbound.
#[test]
fn ringing_a_task_at_several_agents_keeps_the_idle_agents_the_rule_keeps() {
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(QueueConfig::new(INBOUND)).unwrap();
    let ring = OfferPolicy::new(TimeSpan::from_secs(5)).mode(OfferMode::RingAll { agents: 3 });
    r.add_queue(
        QueueConfig::new(TASKS)
            .outbound(Outbound { keep_idle: 2 })
            .offer(ring),
    )
    .unwrap();
    for a in 1..=3 {
        let profile = RoutingProfile::new().serve(INBOUND, 1).serve(TASKS, 1);
        r.add_agent(AgentSpec::new(AgentId::new(a)).profile(profile))
            .unwrap();
        let _ = r.log_in(AgentId::new(a), secs(0)).unwrap();
    }
    // Three idle, two kept: the task rings at one agent only.
    let d = r.arrive(task(1), secs(0)).unwrap();
    let rung = d
        .iter()
        .filter(|d| matches!(d, Decision::Offered { .. }))
        .count();
    assert_eq!(rung, 1);
}

/// Found by the reference: a task that has waited out an agent's profile
/// delay was not placed while a newer, better task (not yet reachable by
/// that agent) stood at the head of its group.
#[test]
fn a_task_past_an_agents_delay_goes_though_a_newer_better_one_heads_the_group() {
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(QueueConfig::new(TASKS).outbound(Outbound { keep_idle: 0 }))
        .unwrap();
    let late = RoutingProfile::new().serve_after(TASKS, 1, TimeSpan::from_secs(30));
    r.add_agent(AgentSpec::new(AgentId::new(1)).profile(late))
        .unwrap();
    let _ = r.log_in(AgentId::new(1), secs(0)).unwrap();
    r.set_not_ready(AgentId::new(1), NotReadyReason::Break, secs(0))
        .unwrap();
    let _ = r.arrive(task(1), secs(0)).unwrap();
    let _ = r.advance(secs(30)).unwrap();
    // An upset caller's task scores 40 points more.
    let better = task(2).sentiment(Sentiment::new(-1.0).unwrap());
    let _ = r.arrive(better, secs(30)).unwrap();
    // Back from the break at 31 s: task 1 has waited 31 s, task 2 only 1.
    let _ = r.advance(secs(31)).unwrap();
    let d = r.set_ready(AgentId::new(1), secs(31)).unwrap();
    assert_eq!(assigned(&d), [(id(1), AgentId::new(1))]);
}

/// Found by the reference: a rejected task went straight back to the agent
/// who rejected it, ahead of a better task waiting beside it; a task back
/// in its place now waits for the blending rule like any other.
#[test]
fn a_rejected_task_does_not_jump_a_better_task_waiting_beside_it() {
    let config = RouterConfig::default().missed_offers(MissedOffers {
        reject_rest: TimeSpan::ZERO,
        no_answer_rest: TimeSpan::ZERO,
        not_ready_after: core::num::NonZeroU8::MAX,
    });
    let mut r = Router::new(config).unwrap();
    let ring = OfferPolicy::new(TimeSpan::from_secs(20));
    r.add_queue(
        QueueConfig::new(TASKS)
            .outbound(Outbound { keep_idle: 0 })
            .offer(ring),
    )
    .unwrap();
    let profile = RoutingProfile::new().serve(TASKS, 1);
    r.add_agent(AgentSpec::new(AgentId::new(1)).profile(profile))
        .unwrap();
    let _ = r.log_in(AgentId::new(1), secs(0)).unwrap();
    let _ = r.arrive(task(1), secs(0)).unwrap();
    // An upset customer's task scores 40 points more and waits.
    let better = task(2).sentiment(Sentiment::new(-1.0).unwrap());
    let _ = r.arrive(better, secs(1)).unwrap();
    let d = r.reject(id(1), AgentId::new(1), secs(2)).unwrap();
    let offered: Vec<ContactId> = d
        .iter()
        .filter_map(|d| match d {
            Decision::Offered { contact, .. } => Some(*contact),
            _ => None,
        })
        .collect();
    assert_eq!(offered, [id(2)]);
}
