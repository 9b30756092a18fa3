//! Routing in depth: an afternoon where not everything goes to plan.
//!
//! This example demonstrates:
//! - offers that ring an agent, time out, rest the agent and ring another;
//! - an escalation ladder that relaxes a skill level, then overflows to a
//!   backup queue;
//! - an angry customer routed to the supervisor pool by an upset rule;
//! - a returning loyal customer waiting for their account manager;
//! - the position and expected wait the product can announce;
//! - a snapshot taken mid-afternoon and restored.
//!
//! Every decision is printed, and the example asserts what it shows. Run it
//! with `cargo run --example routing_in_depth`.

use callroute::*;

fn t(s: u64) -> Timestamp {
    Timestamp::from_secs(s)
}

/// Prints the decisions of one call; `when` is the call's time (`..t`: an
/// advance to `t`, whose decisions happened at their timers' times).
fn show(when: &str, d: &Decisions) {
    for d in d.iter() {
        println!("{when:>7}  {d:?}");
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sales = QueueId::new(1);
    let backup = QueueId::new(2);
    let supervisors = QueueId::new(9);
    let spanish = SkillId::new(4);

    let mut router = Router::new(RouterConfig::default())?;
    router.add_queue(QueueConfig::new(backup))?;
    router.add_queue(QueueConfig::new(supervisors))?;
    router.add_queue(
        QueueConfig::new(sales)
            .requirements(Requirements::new().skill(spanish, Proficiency::new(6)?))
            .offer(OfferPolicy::new(TimeSpan::from_secs(15)))
            .escalation(vec![
                EscalationStep::new(
                    TimeSpan::from_secs(20),
                    Escalation::RelaxProficiency { by: 3 },
                ),
                EscalationStep::new(
                    TimeSpan::from_secs(120),
                    Escalation::Overflow { queue: backup },
                ),
            ])
            .upset(UpsetRule::new(
                -0.6,
                Escalation::Overflow { queue: supervisors },
            )),
    )?;

    let (ana, ben, carla, sam, max) = (
        AgentId::new(1),
        AgentId::new(2),
        AgentId::new(3),
        AgentId::new(4),
        AgentId::new(5),
    );
    // Ana and Ben speak Spanish well; Carla is learning; Sam backs up;
    // Max supervises.
    router.add_agent(
        AgentSpec::new(ana)
            .skill(spanish, Proficiency::new(9)?)
            .profile(RoutingProfile::new().serve(sales, 1)),
    )?;
    router.add_agent(
        AgentSpec::new(ben)
            .skill(spanish, Proficiency::new(7)?)
            .profile(RoutingProfile::new().serve(sales, 1)),
    )?;
    router.add_agent(
        AgentSpec::new(carla)
            .skill(spanish, Proficiency::new(4)?)
            .profile(RoutingProfile::new().serve(sales, 1)),
    )?;
    router.add_agent(AgentSpec::new(sam).profile(RoutingProfile::new().serve(backup, 1)))?;
    router.add_agent(AgentSpec::new(max).profile(RoutingProfile::new().serve(supervisors, 1)))?;
    for a in [ana, ben, carla, sam, max] {
        let _ = router.log_in(a, t(0))?;
    }

    println!("-- An offer rings Ana, who is away from her desk.");
    let d = router.arrive(
        Contact::new(ContactId::new(1), sales, Channel::Voice),
        t(10),
    )?;
    show("10 s", &d);
    let d = router.advance(t(25))?;
    show("..25 s", &d);
    assert!(matches!(
        d.as_slice(),
        [Decision::OfferEnded { end: OfferEnd::NoAnswer, .. }, Decision::Queued { .. }, Decision::Offered { agent, .. }]
            if *agent == ben
    ));
    assert_eq!(
        router.agent_status(ana)?,
        AgentStatus::Resting { until: t(55) }
    );
    let d = router.accept(ContactId::new(1), ben, t(27))?;
    show("27 s", &d);

    println!(
        "-- A Spanish call waits (Ana rests, Ben is busy); after 20 s Carla (level 4) may take it."
    );
    let d = router.arrive(
        Contact::new(ContactId::new(2), sales, Channel::Voice),
        t(30),
    )?;
    show("30 s", &d);
    let d = router.advance(t(60))?;
    show("..60 s", &d);
    assert!(
        d.iter()
            .any(|d| matches!(d, Decision::Offered { agent, .. } if *agent == carla))
    );
    let d = router.accept(ContactId::new(2), carla, t(62))?;
    show("62 s", &d);

    println!("-- Ana is back but a long call holds her; the next call overflows to Sam.");
    let _ = router.advance(t(70))?;
    let d = router.arrive(
        Contact::new(ContactId::new(3), sales, Channel::Voice),
        t(70),
    )?;
    show("70 s", &d);
    let d = router.accept(ContactId::new(3), ana, t(72))?;
    show("72 s", &d);
    let d = router.arrive(
        Contact::new(ContactId::new(4), sales, Channel::Voice),
        t(80),
    )?;
    show("80 s", &d);
    let e = router.wait_estimate(ContactId::new(4))?;
    println!(
        "        position of contact#4: {} ahead, {} agents, expected {:?}",
        e.ahead, e.agents, e.expected
    );
    let d = router.advance(t(200))?;
    show("..200 s", &d);
    assert!(d.iter().any(|d| matches!(
        d,
        Decision::Escalated {
            action: Escalation::Overflow { .. },
            ..
        }
    )));
    assert!(
        d.iter()
            .any(|d| matches!(d, Decision::Assigned { agent, .. } if *agent == sam))
    );

    println!("-- An angry customer goes straight to the supervisors.");
    let angry = Contact::new(ContactId::new(5), sales, Channel::Voice)
        .stage(LifecycleStage::Retention)
        .sentiment(Sentiment::new(-0.8)?);
    let d = router.arrive(angry, t(210))?;
    show("210 s", &d);
    assert!(
        d.iter()
            .any(|d| matches!(d, Decision::Assigned { agent, .. } if *agent == max))
    );

    println!("-- A loyal customer calls back and waits for Ben, their account manager.");
    let loyal = Contact::new(ContactId::new(6), sales, Channel::Voice)
        .stage(LifecycleStage::Loyalty)
        .prefer(Preference::new([ben], TimeSpan::from_secs(90)));
    let d = router.arrive(loyal, t(220))?;
    show("220 s", &d);
    assert!(
        matches!(d.as_slice(), [Decision::Queued { .. }]),
        "Ben is busy"
    );

    println!("-- Mid-afternoon snapshot, restored into a fresh router.");
    let text = serde_json::to_string(&router.snapshot())?;
    let mut router = Router::restore(serde_json::from_str(&text)?)?;
    println!(
        "        snapshot of {} bytes restored; {} waiting",
        text.len(),
        router.waiting_count()
    );

    let d = router.advance(t(240))?;
    show("..240 s", &d);
    let d = router.finish(ContactId::new(1), t(240))?;
    show("240 s", &d);
    assert!(d.iter().any(|d| matches!(d, Decision::Offered { agent, contact, .. } if *agent == ben && *contact == ContactId::new(6))));
    let d = router.accept(ContactId::new(6), ben, t(243))?;
    show("243 s", &d);

    let s = router.queue_stats(sales, t(243))?;
    println!(
        "-- sales: offered {}, answered {}, service level {:?}, average answer {:?}",
        s.offered,
        s.answered,
        s.service_level(),
        s.average_speed_of_answer()
    );
    Ok(())
}
