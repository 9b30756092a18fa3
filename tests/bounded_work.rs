//! Every operation's work is bounded by the router's state, not by the
//! values of its timeouts: random operation sequences in a world of
//! extreme settings (offers that ring a millisecond, rests of zero,
//! progressive intervals of a millisecond, escalation steps at once,
//! callbacks retried at once, jumps of time to the end of the clock), with
//! a bound on the decisions and on the allocations of each operation.
//!
//! Its own test binary: it counts allocations with a global allocator
//! (allocation-counter) that the other tests need not pay for.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use callroute::*;
use core::num::NonZeroU8;
use proptest::prelude::*;

const QUEUES: u32 = 3;
const AGENTS: u32 = 5;
const CONTACTS: u64 = 12;
const SKILLS: u16 = 3;

/// A span among the extreme ones: zero, a millisecond, ordinary, an hour.
fn span() -> impl Strategy<Value = TimeSpan> {
    prop_oneof![
        Just(TimeSpan::ZERO),
        Just(TimeSpan::from_millis(1)),
        Just(TimeSpan::from_millis(2)),
        Just(TimeSpan::from_secs(20)),
        Just(TimeSpan::from_secs(3600)),
    ]
}

/// A positive span (where zero is refused).
fn positive() -> impl Strategy<Value = TimeSpan> {
    prop_oneof![
        Just(TimeSpan::from_millis(1)),
        Just(TimeSpan::from_millis(3)),
        Just(TimeSpan::from_secs(3600)),
        Just(TimeSpan::from_millis(u64::MAX / 2)),
    ]
}

fn offer() -> impl Strategy<Value = OfferPolicy> {
    let mode = prop_oneof![
        Just(OfferMode::One),
        (1u8..4).prop_map(|agents| OfferMode::RingAll { agents }),
        (1u8..5, positive()).prop_map(|(agents, every)| OfferMode::Progressive { every, agents }),
    ];
    (positive(), mode).prop_map(|(t, m)| OfferPolicy::new(t).mode(m))
}

fn action(i: u32) -> impl Strategy<Value = Escalation> {
    let earlier = if i == 0 { 0 } else { i - 1 };
    prop_oneof![
        (1u8..4).prop_map(|by| Escalation::RelaxProficiency { by }),
        (0..SKILLS).prop_map(|s| Escalation::DropSkill {
            skill: SkillId::new(s)
        }),
        Just(Escalation::RaisePriority { points: 5.0 }),
        (0..=earlier).prop_map(move |q| if i == 0 {
            Escalation::RaisePriority { points: 1.0 }
        } else {
            Escalation::Overflow {
                queue: QueueId::new(q),
            }
        }),
        (0..=earlier).prop_map(move |q| if i == 0 {
            Escalation::DropPreference
        } else {
            Escalation::Widen {
                queue: QueueId::new(q),
            }
        }),
    ]
}

fn queue(i: u32) -> impl Strategy<Value = QueueConfig> {
    (
        proptest::option::weighted(0.7, offer()),
        proptest::collection::vec((positive(), action(i)), 0..4),
        span(),
        proptest::option::weighted(0.5, (span(), 0u8..4, proptest::option::of(positive()))),
        proptest::option::weighted(0.3, span()),
    )
        .prop_map(move |(offer, steps, wrap, callbacks, known)| {
            let mut q = QueueConfig::new(QueueId::new(i)).wrap_up(wrap);
            if let Some(o) = offer {
                q = q.offer(o);
            }
            let mut steps: Vec<EscalationStep> = steps
                .into_iter()
                .map(|(after, a)| EscalationStep::new(after, a))
                .collect();
            steps.sort_by_key(|s| s.after);
            q = q.escalation(steps);
            if let Some((retry_after, retries, window)) = callbacks {
                q = q.callbacks(CallbackPolicy {
                    offer_above: TimeSpan::ZERO,
                    retries,
                    retry_after,
                    window,
                });
            }
            if let Some(k) = known {
                q = q.prefer_known_agents(k);
            }
            q
        })
}

fn agent() -> impl Strategy<Value = AgentSpec> {
    (
        0..AGENTS,
        proptest::collection::vec((0..SKILLS, 1u8..=10), 0..3),
        proptest::collection::vec((0..QUEUES, 1u8..3, span()), 1..4),
        1u8..3,
    )
        .prop_map(|(id, skills, profile, chats)| {
            let mut spec = AgentSpec::new(AgentId::new(id))
                .capacity(Capacity::voice().with(Channel::Chat, chats));
            for (s, p) in skills {
                spec = spec.skill(SkillId::new(s), Proficiency::new(p).unwrap());
            }
            let mut p = RoutingProfile::new();
            for (q, rank, delay) in profile {
                p = p.serve_after(QueueId::new(q), rank, delay);
            }
            spec.profile(p)
        })
}

fn contact() -> impl Strategy<Value = Contact> {
    (
        0..CONTACTS,
        0..QUEUES,
        any::<bool>(),
        proptest::collection::vec((0..SKILLS, 1u8..=6), 0..3),
        proptest::option::weighted(0.3, (0..AGENTS, span())),
    )
        .prop_map(|(id, q, chat, skills, prefer)| {
            let ch = if chat { Channel::Chat } else { Channel::Voice };
            let mut req = Requirements::new();
            for (s, p) in skills {
                req = req.skill(SkillId::new(s), Proficiency::new(p).unwrap());
            }
            let mut c = Contact::new(ContactId::new(id), QueueId::new(q), ch).requirements(req);
            if let Some((a, wait)) = prefer {
                c = c.prefer(Preference::new([AgentId::new(a)], wait));
            }
            c
        })
}

#[derive(Debug, Clone)]
enum Op {
    Add(AgentSpec),
    Update(AgentSpec),
    LogIn(u32),
    Ready(u32),
    Arrive(Contact),
    Finish(u64),
    Accept(u64, u32),
    Reject(u64, u32),
    Callback(u64, Option<u64>),
    Unanswered(u64),
    Abandon(u64),
    Advance,
}

/// How far time jumps before an operation: not at all, a millisecond,
/// a minute, a month, or most of what is left of the clock.
fn jump() -> impl Strategy<Value = u64> {
    prop_oneof![
        3 => Just(0u64),
        3 => Just(1),
        3 => Just(60_000),
        1 => Just(30 * 86_400_000),
        1 => Just(u64::MAX / 4),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => agent().prop_map(Op::Add),
        2 => agent().prop_map(Op::Update),
        2 => (0..AGENTS).prop_map(Op::LogIn),
        2 => (0..AGENTS).prop_map(Op::Ready),
        6 => contact().prop_map(Op::Arrive),
        3 => (0..CONTACTS).prop_map(Op::Finish),
        3 => (0..CONTACTS, 0..AGENTS).prop_map(|(c, a)| Op::Accept(c, a)),
        1 => (0..CONTACTS, 0..AGENTS).prop_map(|(c, a)| Op::Reject(c, a)),
        2 => (0..CONTACTS, proptest::option::of(0u64..5)).prop_map(|(c, at)| Op::Callback(c, at)),
        1 => (0..CONTACTS).prop_map(Op::Unanswered),
        1 => (0..CONTACTS).prop_map(Op::Abandon),
        3 => Just(Op::Advance),
    ]
}

fn world() -> impl Strategy<Value = (Vec<QueueConfig>, MissedOffers)> {
    let queues = (queue(0), queue(1), queue(2)).prop_map(|(a, b, c)| vec![a, b, c]);
    let missed = (span(), span(), prop_oneof![Just(1u8), Just(3), Just(255)]).prop_map(
        |(reject_rest, no_answer_rest, n)| MissedOffers {
            reject_rest,
            no_answer_rest,
            not_ready_after: NonZeroU8::new(n).unwrap(),
        },
    );
    (queues, missed)
}

/// Runs `op` at `now`, ignoring refusals; its decisions.
fn apply(r: &mut Router, op: &Op, now: Timestamp) -> usize {
    let c = ContactId::new;
    let a = AgentId::new;
    let d = match op {
        Op::Add(spec) => return r.add_agent(spec.clone()).map_or(0, |()| 0),
        Op::Update(spec) => r.update_agent(spec.clone(), now),
        Op::LogIn(id) => r.log_in(a(*id), now),
        Op::Ready(id) => r.set_ready(a(*id), now),
        Op::Arrive(contact) => r.arrive(contact.clone(), now),
        Op::Finish(id) => r.finish(c(*id), now),
        Op::Accept(id, agent) => r.accept(c(*id), a(*agent), now),
        Op::Reject(id, agent) => r.reject(c(*id), a(*agent), now),
        Op::Callback(id, at) => r.request_callback(
            c(*id),
            at.map(|s| Timestamp::from_millis(now.as_millis().saturating_add(s))),
            now,
        ),
        Op::Unanswered(id) => r.callback_unanswered(c(*id), now),
        Op::Abandon(id) => r.abandon(c(*id), now),
        Op::Advance => r.advance(now),
    };
    d.map_or(0, |d| d.len())
}

/// The most work one operation may do in a router holding `agents` agents
/// and `contacts` contacts (the larger of before and after), whose agents
/// go not ready after `n` missed offers in a row. Each agent may miss `n`
/// offers (a decision for the offer, one for its end, one for a rest or
/// not-ready), each contact may climb its ladder (at most 4 steps here,
/// each withdrawing its offers and routing again), ring its agents, and be
/// assigned, queued, called back or ended. The factor is generous; what
/// matters is that nothing here grows with time or with the timeouts.
fn work_bound(agents: usize, contacts: usize, n: u8) -> usize {
    let per_agent = 4 * (usize::from(n) + 2);
    let per_contact = 8 * (4 + 1) * (AGENTS as usize + 2);
    16 + agents * per_agent + contacts * per_contact
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: if std::env::var_os("CI").is_some() { 64 } else { 256 },
        ..ProptestConfig::default()
    })]

    #[test]
    fn each_operation_is_bounded_by_the_state_not_the_timeouts(
        (queues, missed) in world(),
        steps in proptest::collection::vec((jump(), op()), 1..120),
    ) {
        let mut r = Router::new(RouterConfig::default().missed_offers(missed)).unwrap();
        for q in queues {
            // A ladder naming a queue not added yet is refused; the world
            // only names earlier ones.
            r.add_queue(q).unwrap();
        }
        let n = missed.not_ready_after.get();
        let mut now = 0u64;
        for (jump, op) in &steps {
            now = now.saturating_add(*jump);
            let t = Timestamp::from_millis(now);
            let before = r.footprint();
            let mut decisions = 0;
            let info = allocation_counter::measure(|| decisions = apply(&mut r, op, t));
            let after = r.footprint();
            let agents = before.agents.max(after.agents);
            let contacts = before.contacts.max(after.contacts);
            let bound = work_bound(agents, contacts, n);
            prop_assert!(
                decisions <= bound,
                "{op:?} at {now} ms made {decisions} decisions (bound {bound})"
            );
            prop_assert!(
                info.count_total <= 4 * bound as u64,
                "{op:?} at {now} ms allocated {} times (bound {})",
                info.count_total,
                4 * bound
            );
            prop_assert!(
                after.timers <= 16 + 8 * (after.agents + after.contacts * (AGENTS as usize + 8)),
                "{} timers pending for {} agents and {} contacts",
                after.timers, after.agents, after.contacts
            );
        }
        // The end of the clock is reached, and everything due by then has
        // run, in one bounded call.
        let end = Timestamp::from_millis(u64::MAX);
        let before = r.footprint();
        let mut decisions = 0;
        let info = allocation_counter::measure(|| decisions = apply(&mut r, &Op::Advance, end));
        let bound = work_bound(before.agents, before.contacts, n);
        prop_assert!(decisions <= bound, "advance to the end of time: {decisions} decisions");
        prop_assert!(info.count_total <= 4 * bound as u64);
        prop_assert_eq!(r.next_timer(), None, "nothing is left due by the end of time");
    }
}

/// The hostile case that was found: offers of a millisecond, rests of
/// zero, agents that never answer. One advance over thirty days made a
/// decision per ring (three per millisecond); now each agent misses
/// `not_ready_after` offers and goes not ready.
#[test]
fn a_month_of_unanswered_rings_is_a_few_decisions() {
    let q = QueueId::new(1);
    let missed = MissedOffers {
        reject_rest: TimeSpan::ZERO,
        no_answer_rest: TimeSpan::ZERO,
        not_ready_after: NonZeroU8::MAX,
    };
    let mut r = Router::new(RouterConfig::default().missed_offers(missed)).unwrap();
    let progressive = OfferMode::Progressive {
        every: TimeSpan::from_millis(1),
        agents: 2,
    };
    r.add_queue(
        QueueConfig::new(q).offer(OfferPolicy::new(TimeSpan::from_millis(1)).mode(progressive)),
    )
    .unwrap();
    for id in 1..=2 {
        r.add_agent(AgentSpec::new(AgentId::new(id)).profile(RoutingProfile::new().serve(q, 1)))
            .unwrap();
        let _ = r.log_in(AgentId::new(id), Timestamp::ZERO).unwrap();
    }
    let call = Contact::new(ContactId::new(1), q, Channel::Voice);
    let _ = r.arrive(call, Timestamp::ZERO).unwrap();
    let d = r.advance(Timestamp::from_secs(30 * 86_400)).unwrap();
    // Each agent: 255 offers, each ending and the contact queued again,
    // then not ready.
    assert!(d.len() <= 2 * (3 * 255 + 1) + 4, "{} decisions", d.len());
    for id in 1..=2 {
        assert_eq!(
            r.agent_status(AgentId::new(id)).unwrap(),
            AgentStatus::NotReady {
                reason: NotReadyReason::MissedOffers
            }
        );
    }
    assert_eq!(r.waiting_count(), 1, "the contact waits, not lost");
    // And to the end of the clock, from a fresh ring.
    let _ = r
        .set_ready(AgentId::new(1), Timestamp::from_secs(30 * 86_400))
        .unwrap();
    let d = r.advance(Timestamp::from_millis(u64::MAX)).unwrap();
    assert!(d.len() <= 3 * 255 + 2, "{} decisions", d.len());
}
