//! Regressions for what independent checks found in the router (issue 20):
//! each test failed before its fix.

use callroute::*;

const Q: QueueId = QueueId::new(1);

fn agent(id: u32) -> AgentSpec {
    AgentSpec::new(AgentId::new(id)).profile(RoutingProfile::new().serve(Q, 1))
}

fn call(id: u64) -> Contact {
    Contact::new(ContactId::new(id), Q, Channel::Voice)
}

/// The snapshot through JSON and back, then restored.
fn through_json(r: &Router) -> Router {
    let text = serde_json::to_string(&r.snapshot()).unwrap();
    let back: Snapshot = serde_json::from_str(&text).unwrap();
    Router::restore(back).unwrap()
}

/// A callback whose window closes leaves none of its timers behind (its
/// escalation step's here), and the snapshot taken then restores even
/// though a live contact holds the largest id there is.
#[test]
fn an_expired_callback_takes_its_timers_and_the_largest_id_is_no_sentinel() {
    let policy = CallbackPolicy {
        offer_above: TimeSpan::ZERO,
        window: Some(TimeSpan::from_secs(60)),
        ..CallbackPolicy::default()
    };
    let queue = QueueConfig::new(Q)
        .callbacks(policy)
        .escalation(vec![EscalationStep::new(
            TimeSpan::from_secs(600),
            Escalation::RaisePriority { points: 5.0 },
        )]);
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(queue).unwrap();
    let _ = r.arrive(call(7), Timestamp::ZERO).unwrap();
    let _ = r.arrive(call(u64::MAX), Timestamp::ZERO).unwrap();
    let _ = r
        .request_callback(ContactId::new(7), None, Timestamp::from_secs(1))
        .unwrap();
    let d = r.advance(Timestamp::from_secs(61)).unwrap();
    assert!(
        matches!(d.as_slice(), [Decision::CallbackFailed { .. }]),
        "{d:?}"
    );
    // What is left is the escalation step of the contact still waiting.
    assert_eq!(r.footprint().timers, 1);
    assert_eq!(r.next_timer(), Some(Timestamp::from_secs(600)));
    let mut copy = through_json(&r);
    assert_eq!(copy.snapshot(), r.snapshot());
    let t = Timestamp::from_secs(700);
    assert_eq!(copy.advance(t).unwrap(), r.advance(t).unwrap());
}

/// Ids at both ends of their ranges are ordinary ids, in every record a
/// snapshot writes: agents in service and in wrap-up, contacts waiting,
/// ringing and in service.
#[test]
fn ids_at_the_ends_of_their_ranges_survive_a_snapshot() {
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(
        QueueConfig::new(Q)
            .wrap_up(TimeSpan::from_secs(5))
            .offer(OfferPolicy::new(TimeSpan::from_secs(20))),
    )
    .unwrap();
    for id in [0, u32::MAX] {
        r.add_agent(agent(id)).unwrap();
        let _ = r.log_in(AgentId::new(id), Timestamp::ZERO).unwrap();
    }
    for id in [0, u64::MAX, u64::MAX - 1] {
        let _ = r.arrive(call(id), Timestamp::ZERO).unwrap();
    }
    let _ = r
        .accept(ContactId::new(0), AgentId::new(0), Timestamp::from_secs(1))
        .ok();
    let mut copy = through_json(&r);
    assert_eq!(copy.snapshot(), r.snapshot());
    for t in [2, 30, 60] {
        let t = Timestamp::from_secs(t);
        assert_eq!(copy.advance(t).unwrap(), r.advance(t).unwrap());
    }
}

/// Points beyond [`MAX_POINTS`] are refused where they are set, so no sum
/// of them becomes infinite (which JSON writes as `null` and cannot read).
#[test]
fn points_that_could_overflow_a_score_are_refused_up_front() {
    let mut w = PriorityWeights::default();
    w.stage.conversion = 1e308;
    assert!(matches!(
        Router::new(RouterConfig::default().weights(w)),
        Err(callroute::policy::PolicyError::InvalidWeight {
            name: "stage.conversion",
            ..
        })
    ));
    let mut r = Router::new(RouterConfig::default()).unwrap();
    assert!(matches!(
        r.add_queue(QueueConfig::new(Q).base_priority(1e300)),
        Err(RouterError::InvalidBasePriority { .. })
    ));
    let raise =
        |points| EscalationStep::new(TimeSpan::from_secs(1), Escalation::RaisePriority { points });
    assert!(
        r.add_queue(QueueConfig::new(Q).escalation(vec![raise(1e308)]))
            .is_err()
    );
    assert!(
        r.queue_stats(Q, Timestamp::ZERO).is_err(),
        "refused queues are not added"
    );
    // The largest settings allowed, stacked, stay finite through a
    // snapshot: the bonus of many raises is clamped.
    let mut w = PriorityWeights::default();
    w.stage.conversion = MAX_POINTS;
    w.upset = MAX_POINTS;
    w.repeat = MAX_POINTS;
    let mut r = Router::new(RouterConfig::default().weights(w)).unwrap();
    let steps = (1..=200).map(|s| {
        EscalationStep::new(
            TimeSpan::from_secs(s),
            Escalation::RaisePriority { points: MAX_POINTS },
        )
    });
    r.add_queue(
        QueueConfig::new(Q)
            .base_priority(MAX_POINTS)
            .escalation(steps.collect()),
    )
    .unwrap();
    let upset = call(1)
        .stage(LifecycleStage::Conversion)
        .sentiment(Sentiment::new(-1.0).unwrap());
    let _ = r.arrive(upset, Timestamp::ZERO).unwrap();
    let _ = r.advance(Timestamp::from_secs(300)).unwrap();
    let p = r
        .explain(ContactId::new(1), Timestamp::from_secs(300))
        .unwrap();
    assert!(p.total.is_finite() && p.escalation <= MAX_POINTS, "{p:?}");
    let mut copy = through_json(&r);
    assert_eq!(copy.snapshot(), r.snapshot());
    assert_eq!(
        copy.advance(Timestamp::from_secs(400)).unwrap(),
        r.advance(Timestamp::from_secs(400)).unwrap()
    );
}

/// A custom score as large as a float can be is clamped like any points.
#[test]
fn a_custom_score_cannot_make_a_priority_infinite() {
    struct Huge;
    impl CustomScoring for Huge {
        fn contact_points(&self, _: &Contact) -> f64 {
            f64::MAX
        }
    }
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(QueueConfig::new(Q).base_priority(MAX_POINTS))
        .unwrap();
    r.set_custom_scoring(Some(std::sync::Arc::new(Huge)));
    let _ = r.arrive(call(1), Timestamp::ZERO).unwrap();
    let p = r
        .explain(ContactId::new(1), Timestamp::from_secs(1))
        .unwrap();
    assert_eq!(p.custom, MAX_POINTS);
    assert!(p.total.is_finite());
}

/// An agent changed while an offer rings keeps it only if it may still
/// take the contact: without the skill (or the capacity) the offer is
/// withdrawn, the contact goes to an agent who may take it, and accepting
/// the old offer is refused.
#[test]
fn an_agent_change_never_leaves_an_offer_it_may_not_take() {
    let skill = SkillId::new(4);
    let p = Proficiency::new(5).unwrap();
    let needs = Requirements::new().skill(skill, p);
    // Agent 1, who has the skill, rings with contact 1, which needs it.
    let ringing = || {
        let mut r = Router::new(RouterConfig::default()).unwrap();
        r.add_queue(QueueConfig::new(Q).offer(OfferPolicy::new(TimeSpan::from_secs(20))))
            .unwrap();
        r.add_agent(agent(1).skill(skill, p)).unwrap();
        let _ = r.log_in(AgentId::new(1), Timestamp::ZERO).unwrap();
        let d = r
            .arrive(call(1).requirements(needs.clone()), Timestamp::ZERO)
            .unwrap();
        assert!(matches!(d.as_slice(), [Decision::Offered { .. }]));
        r
    };
    for change in ["skill", "capacity", "profile"] {
        let mut r = ringing();
        // A second agent who may take it joins, not ready for now.
        r.add_agent(agent(2).skill(skill, p)).unwrap();
        let changed = match change {
            "skill" => agent(1),
            "capacity" => agent(1)
                .skill(skill, p)
                .capacity(Capacity::none().with(Channel::Chat, 1)),
            _ => AgentSpec::new(AgentId::new(1)).skill(skill, p),
        };
        let d = r.update_agent(changed, Timestamp::from_secs(1)).unwrap();
        assert!(
            matches!(
                d.as_slice(),
                [
                    Decision::OfferEnded {
                        end: OfferEnd::Withdrawn,
                        ..
                    },
                    Decision::Queued { .. }
                ]
            ),
            "{change}: {d:?}"
        );
        assert!(matches!(
            r.accept(ContactId::new(1), AgentId::new(1), Timestamp::from_secs(2)),
            Err(RouterError::NoSuchOffer { .. })
        ));
        let d = r.log_in(AgentId::new(2), Timestamp::from_secs(3)).unwrap();
        assert!(
            matches!(d.as_slice(), [Decision::Offered { agent, .. }] if *agent == AgentId::new(2))
        );
    }
    // A change that keeps the agent eligible keeps the offer.
    let mut r = ringing();
    let better = agent(1).skill(skill, Proficiency::new(9).unwrap());
    assert!(
        r.update_agent(better, Timestamp::from_secs(1))
            .unwrap()
            .is_empty()
    );
    let d = r
        .accept(ContactId::new(1), AgentId::new(1), Timestamp::from_secs(2))
        .unwrap();
    assert_eq!(d.assignments().count(), 1);
}

/// `retries: 255` allows 255 more attempts and then ends; the counter does
/// not saturate into an endless run.
#[test]
fn the_largest_retry_count_still_ends() {
    let policy = CallbackPolicy {
        offer_above: TimeSpan::ZERO,
        retries: u8::MAX,
        retry_after: TimeSpan::from_secs(1),
        window: None,
    };
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(QueueConfig::new(Q).callbacks(policy)).unwrap();
    let _ = r.arrive(call(1), Timestamp::ZERO).unwrap();
    let _ = r
        .request_callback(ContactId::new(1), None, Timestamp::ZERO)
        .unwrap();
    r.add_agent(agent(1)).unwrap();
    let mut t = 1;
    let _ = r.log_in(AgentId::new(1), Timestamp::from_secs(t)).unwrap();
    let mut attempts = 0;
    loop {
        t += 1;
        let d = r
            .callback_unanswered(ContactId::new(1), Timestamp::from_secs(t))
            .unwrap();
        attempts += 1;
        if d.iter()
            .any(|d| matches!(d, Decision::CallbackFailed { .. }))
        {
            break;
        }
        assert!(attempts <= 256, "retried past its limit");
        t += 1;
        let d = r.advance(Timestamp::from_secs(t)).unwrap();
        assert_eq!(d.assignments().count(), 1, "attempt {attempts}: {d:?}");
    }
    assert_eq!(attempts, 256, "the first attempt and 255 retries");
    assert_eq!(r.contact_count(), 0);
}

/// A callback held off the queue meets an agent who joined during the
/// hold and serves its queue after a profile delay: the agent takes it
/// when the hold ends if the delay has passed by then, or when the delay
/// passes if it is still to come.
#[test]
fn a_held_callback_meets_an_agent_added_during_the_hold() {
    let policy = CallbackPolicy {
        offer_above: TimeSpan::ZERO,
        ..CallbackPolicy::default()
    };
    for delay in [30, 300] {
        let mut r = Router::new(RouterConfig::default()).unwrap();
        r.add_queue(QueueConfig::new(Q).callbacks(policy)).unwrap();
        let _ = r.arrive(call(1), Timestamp::ZERO).unwrap();
        // Called back not before 60 s.
        let _ = r
            .request_callback(
                ContactId::new(1),
                Some(Timestamp::from_secs(60)),
                Timestamp::ZERO,
            )
            .unwrap();
        let late = AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve_after(
            Q,
            1,
            TimeSpan::from_secs(delay),
        ));
        r.add_agent(late).unwrap();
        let _ = r.log_in(AgentId::new(1), Timestamp::from_secs(10)).unwrap();
        let d = r.advance(Timestamp::from_secs(delay.max(60) + 1)).unwrap();
        assert_eq!(
            d.assignments().collect::<Vec<_>>(),
            [(ContactId::new(1), AgentId::new(1))],
            "delay {delay}: {d:?}"
        );
    }
}

/// A refused arrival changes exactly what the error docs say: the queue's
/// refused count, nothing a snapshot holds besides.
#[test]
fn a_refused_arrival_changes_only_the_refused_count() {
    let mut r = Router::new(RouterConfig::default().seed(5)).unwrap();
    r.add_queue(
        QueueConfig::new(Q)
            .max_waiting(1)
            .selection(Selection::Random),
    )
    .unwrap();
    let unstaffed = QueueId::new(2);
    r.add_queue(QueueConfig::new(unstaffed).unstaffed(Unstaffed::Refuse))
        .unwrap();
    let _ = r.arrive(call(1), Timestamp::from_secs(1)).unwrap();
    for (contact, err) in [
        (call(2), "full"),
        (
            Contact::new(ContactId::new(3), unstaffed, Channel::Chat),
            "unstaffed",
        ),
    ] {
        let before = serde_json::to_value(r.snapshot()).unwrap();
        let queue = contact.queue;
        let refused = r
            .queue_stats(queue, Timestamp::from_secs(2))
            .unwrap()
            .refused;
        let e = r.arrive(contact, Timestamp::from_secs(2)).unwrap_err();
        assert!(
            matches!(
                e,
                RouterError::QueueFull { .. } | RouterError::Unstaffed { .. }
            ),
            "{err}: {e}"
        );
        let stats = r.queue_stats(queue, Timestamp::from_secs(2)).unwrap();
        assert_eq!(stats.refused, refused + 1, "{err}");
        let mut after = serde_json::to_value(r.snapshot()).unwrap();
        let i = usize::try_from(queue.get() - 1).unwrap();
        after["queues"][i]["stats"]["refused"] = before["queues"][i]["stats"]["refused"].clone();
        assert_eq!(after, before, "{err}: only the refused count changed");
    }
}

/// Counters restored at the top of their range stay there (saturating)
/// rather than wrapping or panicking, and a sequence number with no
/// headroom left is refused.
#[test]
fn counters_restored_at_their_limit_do_not_wrap() {
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(QueueConfig::new(Q).max_waiting(1)).unwrap();
    r.add_agent(agent(1)).unwrap();
    let _ = r.log_in(AgentId::new(1), Timestamp::ZERO).unwrap();
    let mut v = serde_json::to_value(r.snapshot()).unwrap();
    for field in [
        "offered",
        "answered",
        "answered_within_target",
        "abandoned",
        "refused",
    ] {
        v["queues"][0]["stats"][field] = u64::MAX.into();
    }
    v["agents"][0]["handled"] = u64::MAX.into();
    let mut big: Router = Router::restore(serde_json::from_value(v.clone()).unwrap()).unwrap();
    let _ = big.arrive(call(1), Timestamp::from_secs(1)).unwrap();
    let _ = big.arrive(call(2), Timestamp::from_secs(1)).unwrap();
    assert!(big.arrive(call(3), Timestamp::from_secs(1)).is_err());
    let _ = big
        .abandon(ContactId::new(2), Timestamp::from_secs(2))
        .unwrap();
    let _ = big
        .finish(ContactId::new(1), Timestamp::from_secs(3))
        .unwrap();
    let s = big.queue_stats(Q, Timestamp::from_secs(3)).unwrap();
    assert_eq!(
        (s.offered, s.answered, s.abandoned, s.refused),
        (u64::MAX, u64::MAX, u64::MAX, u64::MAX)
    );
    v["next_seq"] = u64::MAX.into();
    assert!(matches!(
        Router::restore(serde_json::from_value(v).unwrap()),
        Err(SnapshotError::Inconsistent(_))
    ));
}

/// An agent read through serde obeys the builder's rules: skills sorted,
/// a repeated skill keeps its last level, languages once, a repeated queue
/// keeps its last profile entry; unknown fields are refused.
#[test]
fn an_agent_read_from_json_is_the_one_the_builder_makes() {
    let text = r#"{
        "id": 7,
        "skills": [[9, 4], [2, 8], [9, 6]],
        "languages": ["en", "fr", "en"],
        "capacity": {"limits": [1, 0, 0, 0], "voice_exclusive": true},
        "profile": {"entries": [
            {"queue": 1, "rank": 1, "delay": 0},
            {"queue": 2, "rank": 2, "delay": 0},
            {"queue": 1, "rank": 3, "delay": 5000}
        ]}
    }"#;
    let read: AgentSpec = serde_json::from_str(text).unwrap();
    let p = |n| Proficiency::new(n).unwrap();
    let lang = |c| Language::new(c).unwrap();
    let built = AgentSpec::new(AgentId::new(7))
        .skill(SkillId::new(9), p(4))
        .skill(SkillId::new(2), p(8))
        .skill(SkillId::new(9), p(6))
        .language(lang("en"))
        .language(lang("fr"))
        .language(lang("en"))
        .capacity(Capacity::voice())
        .profile(
            RoutingProfile::new()
                .serve(Q, 1)
                .serve(QueueId::new(2), 2)
                .serve_after(Q, 3, TimeSpan::from_secs(5)),
        );
    assert_eq!(read, built);
    assert_eq!(
        read.skills(),
        [(SkillId::new(2), p(8)), (SkillId::new(9), p(6))]
    );
    assert_eq!(read.profile.entries().len(), 2);
    // What it writes reads back as itself.
    let again: AgentSpec = serde_json::from_str(&serde_json::to_string(&read).unwrap()).unwrap();
    assert_eq!(again, read);
    let misspelt = text.replace("\"languages\"", "\"langauges\"");
    assert!(serde_json::from_str::<AgentSpec>(&misspelt).is_err());
}

/// A misspelt field anywhere in a scenario file is refused and named,
/// not silently ignored: in a queue's router settings, in a distribution,
/// in the router's weights.
#[test]
fn misspelt_fields_in_a_scenario_are_refused() {
    let text = std::fs::read_to_string("examples/scenarios/small_shop.toml").unwrap();
    assert!(toml::from_str::<callroute::sim::Scenario>(&text).is_ok());
    for (right, wrong) in [
        ("wrap_up = 15000", "wrap_upp = 15000"),
        ("mean = 240.0, sd", "meen = 240.0, sd"),
    ] {
        assert!(text.contains(right), "{right}");
        let spoiled = text.replacen(right, wrong, 1);
        let err = toml::from_str::<callroute::sim::Scenario>(&spoiled).unwrap_err();
        let field = wrong.split(' ').next().unwrap();
        assert!(err.to_string().contains(field), "{wrong}: {err}");
    }
    let weights = r#"{"weights": {"stage": {"conversion": 50.0, "retenton": 1.0}}}"#;
    assert!(serde_json::from_str::<RouterConfig>(weights).is_err());
    let missed = r#"{"missed_offers": {"no_answer_rest": 0, "not_ready_afer": 2}}"#;
    assert!(serde_json::from_str::<RouterConfig>(missed).is_err());
}
