//! Embedding the router: a short morning in a small contact center.
//!
//! This example demonstrates:
//! - queues, agents with skills, languages and chat concurrency;
//! - contacts at different lifecycle stages and moods, and how their
//!   priority is explained term by term;
//! - a sentiment update that moves an upset customer ahead;
//! - wrap-up timers driven by `advance`;
//! - the live statistics of a queue.
//!
//! Every decision is printed with its explanation, and the example asserts
//! what it shows. Run it with `cargo run --example embed_router`.

use callroute::*;

fn main() -> Result<(), Error> {
    let sales = QueueId::new(1);
    let support = QueueId::new(2);
    let billing = SkillId::new(1);
    let devices = SkillId::new(2);
    let en = Language::new("en")?;

    let mut router = Router::new(RouterConfig::default())?;
    router.add_queue(QueueConfig::new(sales).base_priority(5.0))?;
    router.add_queue(
        QueueConfig::new(support)
            .requirements(Requirements::new().language(en))
            .selection(Selection::MostProficient)
            .wrap_up(TimeSpan::from_secs(20)),
    )?;

    // Ana sells and backs up support; Ben and Cleo are support specialists;
    // Cleo also answers up to three chats at once.
    let ana = AgentId::new(1);
    let ben = AgentId::new(2);
    let cleo = AgentId::new(3);
    router.add_agent(
        AgentSpec::new(ana)
            .language(en)
            .skill(billing, Proficiency::new(4)?)
            .profile(RoutingProfile::new().serve(sales, 1).serve(support, 2)),
    )?;
    router.add_agent(
        AgentSpec::new(ben)
            .language(en)
            .skill(devices, Proficiency::new(9)?)
            .profile(RoutingProfile::new().serve(support, 1)),
    )?;
    router.add_agent(
        AgentSpec::new(cleo)
            .language(en)
            .skill(devices, Proficiency::new(6)?)
            .skill(billing, Proficiency::new(8)?)
            .capacity(Capacity::none().with(Channel::Chat, 3))
            .profile(RoutingProfile::new().serve(support, 1)),
    )?;

    let t = Timestamp::from_secs;
    let mut log = Vec::new();
    let mut show = |label: &str, d: Decisions| {
        for decision in &d {
            match decision {
                Decision::Assigned {
                    contact,
                    agent,
                    waited,
                    priority,
                    ..
                } => println!(
                    "{label:<34} {contact} -> {agent} after {waited}; priority {:.0} = base {:.0} + stage {:.0} + mood {:.0} + value {:.0} + aging {:.0}",
                    priority.total,
                    priority.queue_base,
                    priority.stage,
                    priority.sentiment,
                    priority.value,
                    priority.aging
                ),
                Decision::Queued {
                    contact,
                    queue,
                    priority,
                } => println!(
                    "{label:<34} {contact} waits in {queue} with priority {:.0}",
                    priority.total
                ),
                Decision::WrapUpEnded { agent, at } => {
                    println!("{label:<34} {agent} ends wrap-up at {at}")
                }
                other => println!("{label:<34} {other:?}"),
            }
        }
        log.extend(d.assignments());
    };

    // 09:00 nobody is logged in yet; three calls arrive.
    let browsing = Contact::new(ContactId::new(1), sales, Channel::Voice);
    show("discovery call", router.arrive(browsing, t(0))?);
    let buying = Contact::new(ContactId::new(2), sales, Channel::Voice)
        .stage(LifecycleStage::Conversion)
        .value(CustomerValue::Tier(ValueTier::Gold));
    show("purchase call, gold customer", router.arrive(buying, t(5))?);
    let broken = Contact::new(ContactId::new(3), support, Channel::Voice)
        .stage(LifecycleStage::Retention)
        .requirements(Requirements::new().skill(devices, Proficiency::new(5)?));
    show("broken device after purchase", router.arrive(broken, t(8))?);

    // The device customer gets angry while waiting: speech analytics says so.
    let _ = router.update_sentiment(ContactId::new(3), Sentiment::new(-0.9)?, t(20))?;
    let why = router.explain(ContactId::new(3), t(20))?;
    println!("explain contact#3 at 20 s: {why:?}");
    assert_eq!((why.stage, why.sentiment), (30.0, 36.0));

    // 09:00:30 Ana logs in: the purchase call outranks the earlier browsing call.
    show("Ana logs in", router.log_in(ana, t(30))?);
    // Ben logs in and takes the upset device customer at once.
    show("Ben logs in", router.log_in(ben, t(31))?);
    // Cleo logs in; two chats arrive and both go to her.
    show("Cleo logs in", router.log_in(cleo, t(32))?);
    for id in [10, 11] {
        let chat = Contact::new(ContactId::new(id), support, Channel::Chat)
            .stage(LifecycleStage::Acquisition);
        show("chat", router.arrive(chat, t(40))?);
    }

    // Ben finishes; his 20 s of wrap-up is a timer that `advance` fires.
    show(
        "Ben finishes the device call",
        router.finish(ContactId::new(3), t(200))?,
    );
    assert_eq!(
        router.agent_status(ben)?,
        AgentStatus::WrapUp { until: t(220) }
    );
    show("advance to 09:04", router.advance(t(240))?);
    assert_eq!(router.agent_status(ben)?, AgentStatus::Available);
    show(
        "Ana finishes the sale",
        router.finish(ContactId::new(2), t(300))?,
    );

    assert_eq!(
        log,
        [
            (ContactId::new(2), ana),
            (ContactId::new(3), ben),
            (ContactId::new(10), cleo),
            (ContactId::new(11), cleo),
            (ContactId::new(1), ana),
        ]
    );
    let stats = router.queue_stats(sales, t(300))?;
    println!(
        "sales: offered {} answered {} service level {:?} average speed of answer {:?}",
        stats.offered,
        stats.answered,
        stats.service_level(),
        stats.average_speed_of_answer()
    );
    assert_eq!((stats.offered, stats.answered), (2, 2));
    assert_eq!(
        stats.service_level(),
        Some(0.0),
        "both sales calls waited over 20 s"
    );
    Ok(())
}
