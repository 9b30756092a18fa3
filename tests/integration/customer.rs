//! The customer behind the contact: its context, the lifecycle stage
//! inferred from it, and the agents it knows.

use callroute::*;
use proptest::prelude::*;

const DAY: u64 = 86_400;

fn at_day(d: u64) -> Timestamp {
    Timestamp::from_secs(d * DAY)
}

fn router(queue: QueueConfig, agents: &[u32]) -> Router {
    let q = queue.id;
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(queue).unwrap();
    for &a in agents {
        r.add_agent(AgentSpec::new(AgentId::new(a)).profile(RoutingProfile::new().serve(q, 1)))
            .unwrap();
        let _ = r.log_in(AgentId::new(a), Timestamp::ZERO).unwrap();
    }
    r
}

#[test]
fn the_stage_is_inferred_from_the_context_and_explained() {
    let q = QueueId::new(1);
    // Nobody logged in: contacts wait, and explain shows their scores.
    let mut r = router(QueueConfig::new(q), &[]);
    let now = at_day(100);
    let _ = r.advance(now).unwrap();
    let cases = [
        // (context, stage, evidence)
        (
            CustomerContext {
                purchases: 1,
                last_purchase: Some(at_day(96)),
                ..Default::default()
            },
            LifecycleStage::Retention,
            StageEvidence::RecentPurchase { days_ago: 4 },
        ),
        (
            CustomerContext {
                purchases: 6,
                last_purchase: Some(at_day(10)),
                ..Default::default()
            },
            LifecycleStage::Loyalty,
            StageEvidence::RepeatBuyer { purchases: 6 },
        ),
        (
            CustomerContext {
                purchases: 6,
                open_cases: 2,
                ..Default::default()
            },
            LifecycleStage::Retention,
            StageEvidence::OpenCases { count: 2 },
        ),
        (
            CustomerContext {
                purchases: 1,
                last_purchase: Some(at_day(5)),
                ..Default::default()
            },
            LifecycleStage::Acquisition,
            StageEvidence::PastBuyer,
        ),
        (
            CustomerContext {
                engagement: 3,
                ..Default::default()
            },
            LifecycleStage::Acquisition,
            StageEvidence::Engaged { signs: 3 },
        ),
        (
            CustomerContext::default(),
            LifecycleStage::Discovery,
            StageEvidence::NewProspect,
        ),
    ];
    let weights = PriorityWeights::default();
    for (i, (ctx, stage, evidence)) in cases.into_iter().enumerate() {
        let id = ContactId::new(i as u64);
        let d = r
            .arrive(Contact::new(id, q, Channel::Voice).context(ctx), now)
            .unwrap();
        let Some(Decision::Queued { priority, .. }) = d.as_slice().first() else {
            panic!("{d:?}");
        };
        assert_eq!(priority.stage_source, StageSource::Inferred(evidence));
        assert_eq!(priority.stage, weights.stage.get(stage));
        assert_eq!(r.contact(id).unwrap().stage, Some(stage));
        let later = r.explain(id, now).unwrap();
        assert_eq!(later.stage_source, StageSource::Inferred(evidence));
    }
    // A stage given is kept, whatever the context says.
    let given = Contact::new(ContactId::new(50), q, Channel::Voice)
        .stage(LifecycleStage::Conversion)
        .context(CustomerContext {
            open_cases: 3,
            ..Default::default()
        });
    let _ = r.arrive(given, now).unwrap();
    let b = r.explain(ContactId::new(50), now).unwrap();
    assert_eq!(b.stage_source, StageSource::Given);
    assert_eq!(b.stage, weights.stage.get(LifecycleStage::Conversion));
    // Neither a stage nor a context: discovery, unknown.
    let _ = r
        .arrive(Contact::new(ContactId::new(51), q, Channel::Voice), now)
        .unwrap();
    let b = r.explain(ContactId::new(51), now).unwrap();
    assert_eq!(b.stage_source, StageSource::Unknown);
    assert_eq!(b.stage, weights.stage.get(LifecycleStage::Discovery));
    // The sources survive a snapshot.
    let json = serde_json::to_string(&r.snapshot()).unwrap();
    let back = Router::restore(serde_json::from_str(&json).unwrap()).unwrap();
    for i in [0u64, 2, 50, 51] {
        let id = ContactId::new(i);
        assert_eq!(back.explain(id, now).unwrap(), r.explain(id, now).unwrap());
    }
}

#[test]
fn a_configured_rule_moves_the_thresholds() {
    let rule = StageRule {
        service_window: TimeSpan::from_secs(7 * DAY),
        loyal_from: 4,
        considering_from: 1,
    };
    let ctx = CustomerContext {
        purchases: 3,
        last_purchase: Some(at_day(90)),
        ..Default::default()
    };
    // Ten days after the purchase: outside a week's window, and 3 < 4.
    assert_eq!(
        rule.infer(&ctx, at_day(100)),
        (LifecycleStage::Acquisition, StageEvidence::PastBuyer)
    );
    assert_eq!(
        StageRule::default().infer(&ctx, at_day(100)).0,
        LifecycleStage::Retention
    );
    let curious = CustomerContext {
        engagement: 1,
        ..Default::default()
    };
    assert_eq!(
        rule.infer(&curious, at_day(1)).0,
        LifecycleStage::Acquisition
    );
    assert_eq!(
        StageRule::default().infer(&curious, at_day(1)).0,
        LifecycleStage::Discovery
    );
    // The rule travels in the router's configuration.
    let r = Router::new(RouterConfig::default().stage_rule(rule)).unwrap();
    let json = serde_json::to_string(&r.snapshot()).unwrap();
    assert!(json.contains("\"loyal_from\":4"), "{json}");
}

#[test]
fn a_known_customer_waits_for_the_agents_it_knows() {
    let q = QueueId::new(1);
    let queue = QueueConfig::new(q).prefer_known_agents(TimeSpan::from_secs(30));
    let mut r = router(queue, &[1, 2, 3]);
    // Agent 2 (the last agent) is busy; 1 and 3 are free.
    let _ = r
        .arrive(
            Contact::new(ContactId::new(100), q, Channel::Voice),
            Timestamp::from_secs(1),
        )
        .unwrap();
    let busy = match r.contact_status(ContactId::new(100)).unwrap() {
        ContactStatus::InService { agent } => agent,
        s => panic!("{s:?}"),
    };
    let ctx = CustomerContext {
        last_agent: Some(busy),
        ..Default::default()
    };
    let call = Contact::new(ContactId::new(7), q, Channel::Voice).context(ctx);
    let d = r.arrive(call, Timestamp::from_secs(2)).unwrap();
    assert!(matches!(d.as_slice(), [Decision::Queued { .. }]), "{d:?}");
    // Its agent frees up: it takes the caller who knows it.
    let d = r
        .finish(ContactId::new(100), Timestamp::from_secs(10))
        .unwrap();
    assert_eq!(
        d.assignments().collect::<Vec<_>>(),
        [(ContactId::new(7), busy)]
    );
    // A caller whose agent stays busy is taken by another after 30 s.
    let _ = r
        .arrive(
            Contact::new(ContactId::new(101), q, Channel::Voice),
            Timestamp::from_secs(11),
        )
        .unwrap();
    let ctx = CustomerContext {
        account_manager: Some(busy),
        ..Default::default()
    };
    let _ = r
        .arrive(
            Contact::new(ContactId::new(8), q, Channel::Voice).context(ctx),
            Timestamp::from_secs(12),
        )
        .unwrap();
    let d = r.advance(Timestamp::from_secs(42)).unwrap();
    assert_eq!(d.assignments().count(), 1, "{d:?}");
    // Without the queue's setting, the context alone changes nothing.
    let mut plain = router(QueueConfig::new(q), &[1, 2]);
    let ctx = CustomerContext {
        last_agent: Some(AgentId::new(9)),
        ..Default::default()
    };
    let d = plain
        .arrive(
            Contact::new(ContactId::new(1), q, Channel::Voice).context(ctx),
            Timestamp::ZERO,
        )
        .unwrap();
    assert_eq!(d.assignments().count(), 1);
}

fn context() -> impl Strategy<Value = CustomerContext> {
    (0u32..5, proptest::option::of(0u64..200), 0u32..3, 0u32..5).prop_map(
        |(purchases, days, open_cases, engagement)| CustomerContext {
            purchases,
            last_purchase: days.map(at_day),
            open_cases,
            engagement,
            ..Default::default()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    /// The inferred stage follows the documented rule, line by line.
    #[test]
    fn inferred_stages_follow_the_documented_rule(
        ctx in context(),
        window in 1u64..90,
        loyal in 1u32..5,
        considering in 1u32..5,
        now_day in 0u64..250,
    ) {
        let rule = StageRule {
            service_window: TimeSpan::from_secs(window * DAY),
            loyal_from: loyal,
            considering_from: considering,
        };
        let now = at_day(now_day);
        let (stage, evidence) = rule.infer(&ctx, now);
        let recent = ctx.purchases > 0
            && ctx.last_purchase.is_some_and(|p| now.saturating_since(p) <= rule.service_window);
        let expected = if ctx.open_cases > 0 || recent {
            LifecycleStage::Retention
        } else if ctx.purchases >= loyal {
            LifecycleStage::Loyalty
        } else if ctx.purchases > 0 || ctx.engagement >= considering {
            LifecycleStage::Acquisition
        } else {
            LifecycleStage::Discovery
        };
        prop_assert_eq!(stage, expected);
        // The evidence names what decided.
        match evidence {
            StageEvidence::OpenCases { count } => prop_assert!(count == ctx.open_cases && count > 0),
            StageEvidence::RecentPurchase { days_ago } => {
                prop_assert!(recent && u64::from(days_ago) <= window)
            }
            StageEvidence::RepeatBuyer { purchases } => prop_assert!(purchases >= loyal),
            StageEvidence::PastBuyer => prop_assert!(ctx.purchases > 0 && !recent),
            StageEvidence::Engaged { signs } => prop_assert!(ctx.purchases == 0 && signs >= considering),
            StageEvidence::NewProspect => prop_assert!(ctx.purchases == 0 && ctx.engagement < considering),
        }
        // A stage given with the contact is never overridden.
        let given = Contact::new(ContactId::new(1), QueueId::new(1), Channel::Chat)
            .stage(LifecycleStage::Loyalty)
            .context(ctx.clone());
        prop_assert_eq!(rule.resolve(&given, now), (LifecycleStage::Loyalty, StageSource::Given));
        // More purchases never make a loyal customer less loyal.
        if stage == LifecycleStage::Loyalty {
            let more = CustomerContext { purchases: ctx.purchases + 1, ..ctx };
            prop_assert_eq!(rule.infer(&more, now).0, LifecycleStage::Loyalty);
        }
    }
}
