//! Chat and messaging: purpose menus, the customer's language, and a chat
//! switched to a voice call keeping its place and history.

use callroute::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

const WEB_CHAT: QueueId = QueueId::new(1);
const BILLING: QueueId = QueueId::new(2);
const ORDERS: QueueId = QueueId::new(3);
const PAY: PurposeId = PurposeId::new(1);
const RETURNS: PurposeId = PurposeId::new(2);
const RETURNS_SKILL: SkillId = SkillId::new(5);

fn secs(s: u64) -> Timestamp {
    Timestamp::from_secs(s)
}

fn id(c: u64) -> ContactId {
    ContactId::new(c)
}

fn level(l: u8) -> Proficiency {
    Proficiency::new(l).unwrap()
}

fn lang(code: &str) -> Language {
    Language::new(code).unwrap()
}

fn menu_router() -> Router {
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(QueueConfig::new(BILLING)).unwrap();
    r.add_queue(QueueConfig::new(ORDERS)).unwrap();
    r.add_queue(
        QueueConfig::new(WEB_CHAT)
            .purpose(PurposeRoute::new(PAY, BILLING))
            .purpose(
                PurposeRoute::new(RETURNS, ORDERS)
                    .requirements(Requirements::new().skill(RETURNS_SKILL, level(3))),
            ),
    )
    .unwrap();
    r
}

fn chat(c: u64) -> Contact {
    Contact::new(id(c), WEB_CHAT, Channel::Chat)
}

fn snapshot_json(r: &Router) -> String {
    serde_json::to_string(&r.snapshot()).unwrap()
}

#[test]
fn a_purpose_routes_to_its_queue_with_its_requirements() {
    let mut r = menu_router();
    let chatter = AgentSpec::new(AgentId::new(1))
        .capacity(Capacity::none().with(Channel::Chat, 3))
        .skill(RETURNS_SKILL, level(2))
        .profile(RoutingProfile::new().serve(ORDERS, 1));
    r.add_agent(chatter).unwrap();
    let _ = r.log_in(AgentId::new(1), secs(0)).unwrap();
    // Level 2 is below the entry's minimum of 3: the chat waits in orders.
    let d = r.arrive(chat(1).purpose(RETURNS), secs(1)).unwrap();
    assert!(matches!(
        d.as_slice(),
        [Decision::Queued { queue: ORDERS, .. }]
    ));
    let held = r.contact(id(1)).unwrap();
    assert_eq!((held.queue, held.purpose), (ORDERS, Some(RETURNS)));
    assert_eq!(held.requirements.skills()[0].min, level(3));
    assert_eq!(r.queue_stats(ORDERS, secs(1)).unwrap().offered, 1);
    assert_eq!(r.queue_stats(WEB_CHAT, secs(1)).unwrap().offered, 0);
    // Without a purpose the chat stays in the entry queue.
    let d = r.arrive(chat(2), secs(2)).unwrap();
    assert!(matches!(
        d.as_slice(),
        [Decision::Queued {
            queue: WEB_CHAT,
            ..
        }]
    ));
    // A purpose without requirements.
    let d = r.arrive(chat(3).purpose(PAY), secs(3)).unwrap();
    assert!(matches!(
        d.as_slice(),
        [Decision::Queued { queue: BILLING, .. }]
    ));
}

#[test]
fn a_purpose_off_the_menu_is_refused_and_changes_nothing() {
    let mut r = menu_router();
    let _ = r.arrive(chat(1).purpose(PAY), secs(1)).unwrap();
    let before = snapshot_json(&r);
    let err = r.arrive(chat(2).purpose(PurposeId::new(9)), secs(2));
    assert_eq!(
        err.unwrap_err(),
        RouterError::UnknownPurpose {
            queue: WEB_CHAT,
            purpose: PurposeId::new(9)
        }
    );
    // Billing has no menu at all.
    let err = r.arrive(
        Contact::new(id(3), BILLING, Channel::Chat).purpose(PAY),
        secs(2),
    );
    assert!(matches!(
        err,
        Err(RouterError::UnknownPurpose { queue: BILLING, .. })
    ));
    assert_eq!(snapshot_json(&r), before);
}

#[test]
fn a_menu_naming_a_purpose_twice_or_an_unknown_queue_is_refused() {
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(QueueConfig::new(BILLING)).unwrap();
    let twice = QueueConfig::new(WEB_CHAT)
        .purpose(PurposeRoute::new(PAY, BILLING))
        .purpose(PurposeRoute::new(PAY, WEB_CHAT));
    assert_eq!(
        r.add_queue(twice),
        Err(RouterError::InvalidPurpose {
            queue: WEB_CHAT,
            purpose: PAY
        })
    );
    let unknown = QueueConfig::new(WEB_CHAT).purpose(PurposeRoute::new(RETURNS, ORDERS));
    assert_eq!(
        r.add_queue(unknown),
        Err(RouterError::InvalidPurpose {
            queue: WEB_CHAT,
            purpose: RETURNS
        })
    );
    // Neither was added; the queue itself is a valid target.
    let own = QueueConfig::new(WEB_CHAT).purpose(PurposeRoute::new(PAY, WEB_CHAT));
    assert_eq!(r.add_queue(own), Ok(()));
}

#[test]
fn a_chat_waits_for_its_customers_language_then_falls_back() {
    let mut r = Router::new(RouterConfig::default()).unwrap();
    let fallback = EscalationStep::new(TimeSpan::from_secs(60), Escalation::DropLanguage);
    r.add_queue(
        QueueConfig::new(WEB_CHAT)
            .language_from_context(true)
            .escalation(vec![fallback]),
    )
    .unwrap();
    let chats = Capacity::none().with(Channel::Chat, 2);
    let english = AgentSpec::new(AgentId::new(1))
        .capacity(chats)
        .language(lang("en"))
        .profile(RoutingProfile::new().serve(WEB_CHAT, 1));
    r.add_agent(english).unwrap();
    let _ = r.log_in(AgentId::new(1), secs(0)).unwrap();
    let french = CustomerContext {
        language: Some(lang("fr")),
        ..CustomerContext::default()
    };
    let d = r.arrive(chat(1).context(french.clone()), secs(0)).unwrap();
    assert!(matches!(d.as_slice(), [Decision::Queued { .. }]));
    assert_eq!(
        r.contact(id(1)).unwrap().requirements.required_language(),
        Some(lang("fr"))
    );
    // The contact's own language wins over its customer's.
    let own = Requirements::new().language(lang("en"));
    let d = r
        .arrive(chat(2).context(french).requirements(own), secs(1))
        .unwrap();
    assert_eq!(
        d.assignments().collect::<Vec<_>>(),
        [(id(2), AgentId::new(1))]
    );
    // A minute on, anyone may take the French chat.
    let d = r.advance(secs(61)).unwrap();
    assert!(d.iter().any(|d| matches!(
        d,
        Decision::Escalated {
            action: Escalation::DropLanguage,
            ..
        }
    )));
    assert_eq!(
        d.assignments().collect::<Vec<_>>(),
        [(id(1), AgentId::new(1))]
    );
}

#[test]
fn a_queue_without_the_option_ignores_the_customers_language() {
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(QueueConfig::new(WEB_CHAT)).unwrap();
    let agent = AgentSpec::new(AgentId::new(1))
        .capacity(Capacity::none().with(Channel::Chat, 1))
        .profile(RoutingProfile::new().serve(WEB_CHAT, 1));
    r.add_agent(agent).unwrap();
    let _ = r.log_in(AgentId::new(1), secs(0)).unwrap();
    let german = CustomerContext {
        language: Some(lang("de")),
        ..CustomerContext::default()
    };
    let d = r.arrive(chat(1).context(german), secs(0)).unwrap();
    assert_eq!(d.assignments().count(), 1);
}

/// One queue; `phones` voice-only agents and one chat agent (id 100).
fn switch_router(phones: u32) -> Router {
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(QueueConfig::new(WEB_CHAT)).unwrap();
    for a in 1..=phones {
        r.add_agent(
            AgentSpec::new(AgentId::new(a)).profile(RoutingProfile::new().serve(WEB_CHAT, 1)),
        )
        .unwrap();
    }
    let chatter = AgentSpec::new(AgentId::new(100))
        .capacity(Capacity::none().with(Channel::Chat, 1))
        .profile(RoutingProfile::new().serve(WEB_CHAT, 1));
    r.add_agent(chatter).unwrap();
    r
}

#[test]
fn a_switched_chat_keeps_its_place_among_the_calls() {
    let mut r = switch_router(1);
    let _ = r.arrive(chat(1), secs(10)).unwrap();
    for (c, t) in [(2, 20), (3, 30)] {
        let _ = r
            .arrive(Contact::new(id(c), WEB_CHAT, Channel::Voice), secs(t))
            .unwrap();
    }
    let d = r
        .switch_channel(id(1), Channel::Voice, WEB_CHAT, secs(40))
        .unwrap();
    assert!(matches!(
        d.as_slice(),
        [
            Decision::ChannelSwitched {
                from: Channel::Chat,
                to: Channel::Voice,
                ..
            },
            Decision::Transferred { .. },
            Decision::Queued { .. }
        ]
    ));
    assert_eq!(
        r.contact_status(id(1)).unwrap(),
        ContactStatus::Waiting { since: secs(10) }
    );
    // The phone agent logs in: the switched chat, first to arrive, goes first.
    let d = r.log_in(AgentId::new(1), secs(50)).unwrap();
    assert_eq!(
        d.assignments().collect::<Vec<_>>(),
        [(id(1), AgentId::new(1))]
    );
    let waited = d.iter().find_map(|d| match d {
        Decision::Assigned { waited, .. } => Some(*waited),
        _ => None,
    });
    assert_eq!(waited, Some(TimeSpan::from_secs(40)));
}

#[test]
fn a_chat_in_service_becomes_a_call_with_its_history() {
    let mut r = switch_router(1);
    let _ = r.log_in(AgentId::new(100), secs(0)).unwrap();
    let context = CustomerContext {
        purchases: 2,
        ..CustomerContext::default()
    };
    let sad = Sentiment::new(-0.4).unwrap();
    let c = chat(1)
        .customer(CustomerId::new(7))
        .context(context.clone())
        .sentiment(sad);
    let d = r.arrive(c, secs(10)).unwrap();
    assert_eq!(d.assignments().count(), 1);
    let before = r.contact(id(1)).unwrap().clone();
    // Nobody on the phones yet: the call waits, and the chat agent is free.
    let d = r
        .switch_channel(id(1), Channel::Voice, WEB_CHAT, secs(100))
        .unwrap();
    assert!(d.assignments().next().is_none());
    assert_eq!(
        r.agent_status(AgentId::new(100)).unwrap(),
        AgentStatus::Available
    );
    let after = r.contact(id(1)).unwrap();
    assert_eq!(after.channel, Channel::Voice);
    assert_eq!(
        (&after.context, after.customer, after.sentiment, after.stage),
        (
            &before.context,
            before.customer,
            before.sentiment,
            before.stage
        )
    );
    // The snapshot keeps the call as it is.
    let json = snapshot_json(&r);
    let mut back = Router::restore(serde_json::from_str(&json).unwrap()).unwrap();
    for r in [&mut r, &mut back] {
        let d = r.log_in(AgentId::new(1), secs(120)).unwrap();
        assert_eq!(
            d.assignments().collect::<Vec<_>>(),
            [(id(1), AgentId::new(1))]
        );
    }
}

#[test]
fn an_offered_chat_cannot_switch_and_nothing_changes() {
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(QueueConfig::new(WEB_CHAT).offer(OfferPolicy::new(TimeSpan::from_secs(15))))
        .unwrap();
    let chatter = AgentSpec::new(AgentId::new(1))
        .capacity(Capacity::none().with(Channel::Chat, 1))
        .profile(RoutingProfile::new().serve(WEB_CHAT, 1));
    r.add_agent(chatter).unwrap();
    let _ = r.log_in(AgentId::new(1), secs(0)).unwrap();
    let _ = r.arrive(chat(1), secs(1)).unwrap();
    let before = snapshot_json(&r);
    assert_eq!(
        r.switch_channel(id(1), Channel::Voice, WEB_CHAT, secs(2)),
        Err(RouterError::ContactNotWaiting(id(1)))
    );
    assert_eq!(
        r.switch_channel(id(1), Channel::Voice, QueueId::new(99), secs(2)),
        Err(RouterError::UnknownQueue(QueueId::new(99)))
    );
    assert_eq!(
        r.switch_channel(id(5), Channel::Voice, WEB_CHAT, secs(2)),
        Err(RouterError::UnknownContact(id(5)))
    );
    assert_eq!(snapshot_json(&r), before);
}

#[derive(Debug, Clone)]
enum Op {
    Arrive { voice: bool },
    Switch(usize),
    Finish(usize),
    LogIn(u32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => any::<bool>().prop_map(|voice| Op::Arrive { voice }),
        3 => any::<usize>().prop_map(Op::Switch),
        3 => any::<usize>().prop_map(Op::Finish),
        1 => (1u32..=3).prop_map(Op::LogIn),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Chats switched to calls keep their place: every call goes to an
    /// agent only when no call that arrived earlier (switched or not) still
    /// waits, and no contact is lost or duplicated.
    #[test]
    fn switched_chats_keep_their_place(ops in prop::collection::vec((op(), 0u64..30), 1..80)) {
        let mut r = switch_router(3);
        let _ = r.log_in(AgentId::new(100), secs(0)).unwrap();
        let mut live: BTreeMap<ContactId, ()> = BTreeMap::new();
        let mut arrived: BTreeMap<ContactId, Timestamp> = BTreeMap::new();
        let (mut now, mut next) = (0, 1);
        for (op, dt) in ops {
            now += dt;
            let _ = r.advance(secs(now)).unwrap();
            let d = match op {
                Op::Arrive { voice } => {
                    let channel = if voice { Channel::Voice } else { Channel::Chat };
                    live.insert(id(next), ());
                    arrived.insert(id(next), secs(now));
                    next += 1;
                    r.arrive(Contact::new(id(next - 1), WEB_CHAT, channel), secs(now)).unwrap()
                }
                Op::Switch(i) => {
                    let chats: Vec<ContactId> = live
                        .keys()
                        .filter(|&&c| r.contact(c).unwrap().channel == Channel::Chat)
                        .copied()
                        .collect();
                    if chats.is_empty() {
                        continue;
                    }
                    r.switch_channel(chats[i % chats.len()], Channel::Voice, WEB_CHAT, secs(now)).unwrap()
                }
                Op::Finish(i) => {
                    let busy: Vec<ContactId> = live
                        .keys()
                        .filter(|&&c| matches!(r.contact_status(c).unwrap(), ContactStatus::InService { .. }))
                        .copied()
                        .collect();
                    if busy.is_empty() {
                        continue;
                    }
                    let c = busy[i % busy.len()];
                    live.remove(&c);
                    r.finish(c, secs(now)).unwrap()
                }
                Op::LogIn(a) => match r.log_in(AgentId::new(a), secs(now)) {
                    Ok(d) => d,
                    Err(_) => continue,
                },
            };
            // No call assigned while a call that arrived earlier (switched
            // or not) is left waiting.
            let waiting_calls: Vec<(Timestamp, ContactId)> = live
                .keys()
                .filter(|&&c| r.contact(c).unwrap().channel == Channel::Voice)
                .filter_map(|&c| match r.contact_status(c).unwrap() {
                    ContactStatus::Waiting { since } => Some((since, c)),
                    _ => None,
                })
                // Its place: when the customer first arrived, as recorded here.
                .map(|(since, c)| {
                    assert_eq!(since, arrived[&c], "{c} lost its arrival time");
                    (arrived[&c], c)
                })
                .collect();
            for (c, _) in d.assignments() {
                if r.contact(c).is_ok_and(|c| c.channel == Channel::Voice) {
                    let at = arrived[&c];
                    let earlier = waiting_calls.iter().find(|w| w.0 < at);
                    prop_assert!(earlier.is_none(), "{} taken before {:?}", c, earlier);
                }
            }
            prop_assert_eq!(r.contact_count(), live.len());
        }
    }
}
