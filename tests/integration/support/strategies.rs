//! Proptest strategies: a small world of queues, skills, agents and
//! contacts, and random operation sequences over it, valid and invalid.

use callroute::*;
use proptest::prelude::*;

pub const QUEUES: u32 = 3;
pub const SKILLS: u16 = 4;
pub const AGENT_IDS: u32 = 6;
pub const CONTACT_IDS: u64 = 24;
/// Purposes a queue's menu may list.
pub const PURPOSES: u16 = 3;

/// Which contact an operation targets: mostly one the router holds in the
/// right state (picked at run time by index), sometimes any raw id.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// The n-th (modulo) contact in the state the operation needs.
    Existing(usize),
    /// Any id, likely unknown or in the wrong state.
    Raw(ContactId),
}

/// Which agent an accept or reject names: mostly one holding an offer of
/// the contact (picked at run time), sometimes any raw id.
#[derive(Debug, Clone, Copy)]
pub enum AgentTarget {
    Offered,
    Raw(AgentId),
}

#[derive(Debug, Clone)]
pub enum Op {
    AddAgent(AgentSpec),
    UpdateAgent(AgentSpec),
    RemoveAgent(AgentId),
    LogIn(AgentId),
    LogOut(AgentId),
    Ready(AgentId),
    NotReady(AgentId),
    EndWrapUp(AgentId),
    Arrive(Contact),
    Finish(Target),
    Abandon(Target),
    Sentiment(Target, Sentiment),
    Accept(Target, AgentTarget),
    Transfer(Target, QueueId),
    Reject(Target, AgentTarget),
    /// A waiting caller asks to be called back: at once, or this many
    /// milliseconds from now (zero or negative: at once too).
    RequestCallback(Target, Option<i64>),
    /// Nobody answered the callback attempt in service.
    CallbackUnanswered(Target),
    SwitchChannel(Target, Channel, QueueId),
    Advance,
}

fn agent_target() -> impl Strategy<Value = AgentTarget> {
    prop_oneof![
        9 => Just(AgentTarget::Offered),
        1 => (0..AGENT_IDS).prop_map(|a| AgentTarget::Raw(AgentId::new(a))),
    ]
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        9 => any::<usize>().prop_map(Target::Existing),
        1 => (0..CONTACT_IDS).prop_map(|c| Target::Raw(ContactId::new(c))),
    ]
}

/// One step: an operation, how far time moves (negative: backwards), and
/// whether the driver advances the router to `now` first.
#[derive(Debug, Clone)]
pub struct Step {
    pub op: Op,
    pub dt: i64,
    pub advance_first: bool,
}

fn prof() -> impl Strategy<Value = Proficiency> {
    (1u8..=10).prop_map(|p| Proficiency::new(p).unwrap_or(Proficiency::MIN))
}

pub fn channel() -> impl Strategy<Value = Channel> {
    prop_oneof![
        4 => Just(Channel::Voice),
        2 => Just(Channel::Chat),
        1 => Just(Channel::Email),
        1 => Just(Channel::Messaging),
    ]
}

fn language() -> impl Strategy<Value = Language> {
    prop_oneof![Just("en"), Just("fr")]
        .prop_map(|c| Language::new(c).unwrap_or_else(|_| unreachable!()))
}

pub fn agent_spec() -> impl Strategy<Value = AgentSpec> {
    (
        0..AGENT_IDS,
        proptest::collection::vec((0..SKILLS, prof()), 1..5),
        proptest::collection::vec(language(), 0..2),
        (0u8..2, 0u8..3, 0u8..2, any::<bool>()),
        proptest::collection::vec(
            (
                0..QUEUES,
                1u8..3,
                prop_oneof![3 => Just(0u64), 1 => Just(10), 1 => Just(30)],
            ),
            0..4,
        ),
    )
        .prop_map(|(id, skills, langs, (voice, chat, email, excl), profile)| {
            let mut spec = AgentSpec::new(AgentId::new(id));
            for (s, p) in skills {
                spec = spec.skill(SkillId::new(s), p);
            }
            for l in langs {
                spec = spec.language(l);
            }
            spec = spec.capacity(
                Capacity::none()
                    .with(Channel::Voice, voice)
                    .with(Channel::Chat, chat)
                    .with(Channel::Email, email)
                    .with(Channel::Messaging, 1)
                    .voice_exclusive(excl),
            );
            let mut p = RoutingProfile::new();
            for (q, rank, delay) in profile {
                p = p.serve_after(QueueId::new(q), rank, TimeSpan::from_secs(delay));
            }
            spec.profile(p)
        })
}

pub fn contact() -> impl Strategy<Value = Contact> {
    (
        0..CONTACT_IDS,
        prop_oneof![19 => 0..QUEUES, 1 => Just(QUEUES)], // sometimes unknown
        channel(),
        0usize..5,
        -10i8..=10,
        0usize..4,
        prop_oneof![
            Just(Vec::new()),
            proptest::collection::vec((0..SKILLS, 1u8..=4), 1..3),
        ],
        proptest::option::weighted(0.1, language()),
        proptest::option::weighted(
            0.25,
            (
                proptest::collection::vec(0..AGENT_IDS, 1..3),
                prop_oneof![Just(0u64), Just(10), Just(40)],
            ),
        ),
        proptest::option::weighted(0.5, 0u64..4),
        proptest::bool::weighted(0.7),
        (
            proptest::option::weighted(0.4, context()),
            proptest::option::weighted(0.3, 0u16..PURPOSES + 1), // sometimes unknown
        ),
    )
        .prop_map(
            |(id, q, ch, stage, s, tier, skills, lang, prefer, customer, given, (ctx, purpose))| {
                let mut req = Requirements::new();
                for (sk, p) in skills {
                    req = req.skill(
                        SkillId::new(sk),
                        Proficiency::new(p).unwrap_or(Proficiency::MIN),
                    );
                }
                if let Some(l) = lang {
                    req = req.language(l);
                }
                let tiers = [
                    ValueTier::Standard,
                    ValueTier::Silver,
                    ValueTier::Gold,
                    ValueTier::Platinum,
                ];
                let mut c = Contact::new(ContactId::new(id), QueueId::new(q), ch);
                if let Some(cu) = customer {
                    c = c.customer(CustomerId::new(cu));
                }
                if let Some((agents, secs)) = prefer {
                    c = c.prefer(Preference::new(
                        agents.into_iter().map(AgentId::new),
                        TimeSpan::from_secs(secs),
                    ));
                }
                if given {
                    c = c.stage(LifecycleStage::ALL[stage]);
                }
                if let Some(ctx) = ctx {
                    c = c.context(ctx);
                }
                if let Some(p) = purpose {
                    c = c.purpose(PurposeId::new(p));
                }
                c.sentiment(Sentiment::new(f64::from(s) / 10.0).unwrap_or(Sentiment::NEUTRAL))
                    .value(CustomerValue::Tier(tiers[tier]))
                    .requirements(req)
            },
        )
}

/// A customer's context: purchases, open cases, known agents and
/// engagement. The tests run in the first minutes of the clock, so a
/// purchase with a date is recent (a date after `now` counts as just now)
/// and one without a date is not: both branches of the rule are taken.
pub fn context() -> impl Strategy<Value = CustomerContext> {
    (
        0u32..4,
        proptest::option::of(0u64..4_000_000),
        0u32..2,
        proptest::option::of(0..AGENT_IDS),
        proptest::option::of(0..AGENT_IDS),
        0u32..4,
        proptest::option::weighted(0.5, language()),
    )
        .prop_map(
            |(purchases, last, open_cases, last_agent, manager, engagement, language)| {
                CustomerContext {
                    purchases,
                    last_purchase: last.map(Timestamp::from_secs),
                    open_cases,
                    last_agent: last_agent.map(AgentId::new),
                    account_manager: manager.map(AgentId::new),
                    engagement,
                    language,
                    ..CustomerContext::default()
                }
            },
        )
}

fn offer_policy() -> impl Strategy<Value = OfferPolicy> {
    let mode = prop_oneof![
        Just(OfferMode::One),
        (1u8..4).prop_map(|agents| OfferMode::RingAll { agents }),
        (1u8..4, prop_oneof![Just(2u64), Just(7)]).prop_map(|(agents, s)| {
            OfferMode::Progressive {
                every: TimeSpan::from_secs(s),
                agents,
            }
        }),
    ];
    (prop_oneof![Just(5u64), Just(15)], mode)
        .prop_map(|(t, mode)| OfferPolicy::new(TimeSpan::from_secs(t)).mode(mode))
}

/// An escalation action; `Widen` and `Overflow` name a queue by index,
/// fixed up by [`queue_configs`] to a queue added earlier.
fn escalation() -> impl Strategy<Value = Escalation> {
    let skill = (0..SKILLS).prop_map(SkillId::new);
    prop_oneof![
        (1u8..4).prop_map(|by| Escalation::RelaxProficiency { by }),
        skill
            .clone()
            .prop_map(|skill| Escalation::DropSkill { skill }),
        (skill, 1u8..=5).prop_map(|(skill, m)| Escalation::RequireSkill {
            skill,
            min: Proficiency::new(m).unwrap_or(Proficiency::MIN),
        }),
        (0..QUEUES).prop_map(|q| Escalation::Widen {
            queue: QueueId::new(q)
        }),
        (0..QUEUES).prop_map(|q| Escalation::Overflow {
            queue: QueueId::new(q)
        }),
        Just(Escalation::RaisePriority { points: 10.0 }),
        Just(Escalation::DropLanguage),
        Just(Escalation::DropPreference),
    ]
}

/// Queue `i` may name only queues added before it.
fn fix_target(i: u32, a: Escalation) -> Escalation {
    match a {
        Escalation::Widen { queue } | Escalation::Overflow { queue } if queue.get() >= i => {
            Escalation::RaisePriority { points: 5.0 }
        }
        other => other,
    }
}

fn ladder() -> impl Strategy<Value = Vec<(u64, Escalation)>> {
    proptest::collection::vec(
        (prop_oneof![Just(5u64), Just(12), Just(30)], escalation()),
        0..3,
    )
}

pub fn queue_configs() -> impl Strategy<Value = Vec<QueueConfig>> {
    let selection = prop_oneof![
        Just(Selection::LongestIdle(IdleMeasure::SinceLastContact)),
        Just(Selection::LongestIdle(IdleMeasure::SinceAvailable)),
        Just(Selection::MostProficient),
        Just(Selection::LeastOccupied),
        Just(Selection::FewestHandled),
        Just(Selection::RoundRobin),
        Just(Selection::Random),
        Just(Selection::WeightedRandom),
        Just(Selection::Custom),
    ];
    proptest::collection::vec(
        (
            selection,
            prop_oneof![Just(0.0), Just(25.0)],
            prop_oneof![Just(0u64), Just(5)],
            proptest::option::weighted(0.3, 1u32..4),
            proptest::option::weighted(0.3, (0..SKILLS, 1u8..=3)),
            proptest::option::weighted(0.6, offer_policy()),
            ladder(),
            proptest::option::weighted(0.3, (prop_oneof![Just(-0.5), Just(0.0)], escalation())),
            proptest::bool::weighted(0.25),
            any::<bool>(),
            proptest::option::weighted(0.4, prop_oneof![Just(20u64), Just(90)]),
            (
                proptest::option::weighted(0.3, prop_oneof![Just(0u64), Just(30)]),
                extras(),
            ),
        ),
        QUEUES as usize,
    )
    .prop_map(|qs| {
        qs.into_iter()
            .enumerate()
            .map(
                |(
                    i,
                    (
                        sel,
                        base,
                        wrap,
                        max,
                        req,
                        offer,
                        ladder,
                        upset,
                        refuse,
                        first,
                        resume,
                        (known, (callbacks, outbound, menu, language)),
                    ),
                )| {
                    let i = i as u32;
                    let mut q = QueueConfig::new(QueueId::new(i))
                        .selection(sel)
                        .base_priority(base)
                        .wrap_up(TimeSpan::from_secs(wrap));
                    if let Some(m) = max {
                        q = q.max_waiting(m);
                    }
                    if let Some(p) = offer {
                        q = q.offer(p);
                    }
                    if refuse {
                        q = q.unstaffed(Unstaffed::Refuse);
                    }
                    q = q.preferred_first(first);
                    if let Some(w) = resume {
                        q = q.resume_within(TimeSpan::from_secs(w));
                    }
                    if let Some(w) = known {
                        q = q.prefer_known_agents(TimeSpan::from_secs(w));
                    }
                    let mut steps: Vec<EscalationStep> = ladder
                        .into_iter()
                        .map(|(after, a)| {
                            EscalationStep::new(TimeSpan::from_secs(after), fix_target(i, a))
                        })
                        .collect();
                    steps.sort_by_key(|s| s.after);
                    q = q.escalation(steps);
                    if let Some((below, a)) = upset {
                        q = q.upset(UpsetRule::new(below, fix_target(i, a)));
                    }
                    if let Some((s, p)) = req {
                        let p = Proficiency::new(p).unwrap_or(Proficiency::MIN);
                        q = q.requirements(Requirements::new().skill(SkillId::new(s), p));
                    }
                    if let Some(policy) = callbacks {
                        q = q.callbacks(policy);
                    }
                    if let Some(rule) = outbound {
                        q = q.outbound(rule);
                    }
                    // Each purpose once, to this queue or one added before.
                    let mut listed = Vec::new();
                    for (purpose, target, skill) in menu {
                        if listed.contains(&purpose) {
                            continue;
                        }
                        listed.push(purpose);
                        let mut entry = PurposeRoute::new(
                            PurposeId::new(purpose),
                            QueueId::new(target % (i + 1)),
                        );
                        if let Some((s, p)) = skill {
                            let p = Proficiency::new(p).unwrap_or(Proficiency::MIN);
                            entry =
                                entry.requirements(Requirements::new().skill(SkillId::new(s), p));
                        }
                        q = q.purpose(entry);
                    }
                    q.language_from_context(language)
                },
            )
            .collect()
    })
}

/// A queue's callbacks, outbound rule, purpose menu and language rule.
#[allow(clippy::type_complexity)]
fn extras() -> impl Strategy<
    Value = (
        Option<CallbackPolicy>,
        Option<Outbound>,
        Vec<(u16, u32, Option<(u16, u8)>)>,
        bool,
    ),
> {
    let callbacks = (
        prop_oneof![Just(0u64), Just(20), Just(600)],
        prop_oneof![Just(0u8), Just(1), Just(255)],
        prop_oneof![Just(0u64), Just(3), Just(30)],
        proptest::option::weighted(0.4, prop_oneof![Just(0u64), Just(10), Just(60), Just(600)]),
    )
        .prop_map(|(above, retries, after, window)| CallbackPolicy {
            offer_above: TimeSpan::from_secs(above),
            retries,
            retry_after: TimeSpan::from_secs(after),
            window: window.map(TimeSpan::from_secs),
        });
    (
        proptest::option::weighted(0.6, callbacks),
        proptest::option::weighted(0.25, (0u32..3).prop_map(|keep_idle| Outbound { keep_idle })),
        proptest::collection::vec(
            (
                0..PURPOSES,
                0..QUEUES,
                proptest::option::weighted(0.3, (0..SKILLS, 1u8..=3)),
            ),
            0..3,
        ),
        proptest::bool::weighted(0.3),
    )
}

pub fn step() -> impl Strategy<Value = Step> {
    let agent = (0..AGENT_IDS).prop_map(AgentId::new);
    let op = prop_oneof![
        2 => agent_spec().prop_map(Op::AddAgent),
        1 => agent_spec().prop_map(Op::UpdateAgent),
        1 => agent.clone().prop_map(Op::RemoveAgent),
        3 => agent.clone().prop_map(Op::LogIn),
        1 => agent.clone().prop_map(Op::LogOut),
        2 => agent.clone().prop_map(Op::Ready),
        1 => agent.clone().prop_map(Op::NotReady),
        1 => agent.prop_map(Op::EndWrapUp),
        8 => contact().prop_map(Op::Arrive),
        10 => target().prop_map(Op::Finish),
        2 => target().prop_map(Op::Abandon),
        2 => (target(), -10i8..=10).prop_map(|(c, s)| Op::Sentiment(c, Sentiment::new(f64::from(s) / 10.0).unwrap_or(Sentiment::NEUTRAL))),
        2 => Just(Op::Advance),
        6 => (target(), agent_target()).prop_map(|(c, a)| Op::Accept(c, a)),
        2 => (target(), 0..=QUEUES).prop_map(|(c, q)| Op::Transfer(c, QueueId::new(q))),
        3 => (target(), agent_target()).prop_map(|(c, a)| Op::Reject(c, a)),
        6 => (target(), proptest::option::weighted(0.4, -1_000i64..60_000))
            .prop_map(|(c, at)| Op::RequestCallback(c, at)),
        5 => target().prop_map(Op::CallbackUnanswered),
        1 => (target(), channel(), 0..=QUEUES)
            .prop_map(|(c, ch, q)| Op::SwitchChannel(c, ch, QueueId::new(q))),
    ];
    (
        op,
        prop_oneof![1 => Just(-1_000i64), 3 => Just(0), 10 => 1i64..20_000],
        proptest::bool::weighted(0.85),
    )
        .prop_map(|(op, dt, advance_first)| Step {
            op,
            dt,
            advance_first,
        })
}
