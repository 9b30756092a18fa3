//! The customer behind the contact: a day with a callback, a follow-up
//! call and a repeat caller.
//!
//! This example demonstrates:
//! - a caller who asks to be called back keeps their place without holding
//!   the line, and the agent calls them when their turn comes;
//! - a follow-up call to a loyal customer (an outbound task) that agents
//!   take only when no inbound call waits and enough of them stay idle;
//! - a customer whose problem was not solved calls again: the router sees
//!   a repeat, ranks it higher, and counts first-contact resolution;
//! - a chat routed by the purpose chosen in the chat menu and switched to
//!   a voice call without losing its place.
//!
//! Every decision is printed, and the example asserts what it shows. Run
//! it with `cargo run --example customer_day`.

use callroute::*;

fn main() -> Result<(), Error> {
    let service = QueueId::new(1);
    let follow_ups = QueueId::new(2);
    let web_chat = QueueId::new(3);
    let returns = PurposeId::new(1);

    let mut router = Router::new(RouterConfig::default())?;
    router.add_queue(
        QueueConfig::new(service)
            .wrap_up(TimeSpan::from_secs(30))
            // Callbacks for anyone made to wait (the default offers them
            // only above a minute's expected wait).
            .callbacks(CallbackPolicy {
                offer_above: TimeSpan::ZERO,
                ..CallbackPolicy::default()
            }),
    )?;
    // Follow-up calls: taken only while more than one agent is idle.
    router.add_queue(QueueConfig::new(follow_ups).outbound(Outbound { keep_idle: 1 }))?;
    // The chat entry point: "returns" in the menu goes to the service queue.
    router.add_queue(QueueConfig::new(web_chat).purpose(PurposeRoute::new(returns, service)))?;

    // Two voice agents serve calls and make follow-ups; one answers chats.
    let (ana, ben, cleo) = (AgentId::new(1), AgentId::new(2), AgentId::new(3));
    for a in [ana, ben] {
        let profile = RoutingProfile::new().serve(service, 1).serve(follow_ups, 1);
        router.add_agent(AgentSpec::new(a).profile(profile))?;
    }
    router.add_agent(
        AgentSpec::new(cleo)
            .capacity(Capacity::none().with(Channel::Chat, 2))
            .profile(RoutingProfile::new().serve(service, 1)),
    )?;

    let t = Timestamp::from_secs;
    let show = |label: &str, d: &Decisions| {
        for decision in d {
            match decision {
                Decision::Assigned {
                    contact,
                    agent,
                    waited,
                    priority,
                    callback,
                    ..
                } => println!(
                    "{label:<36} {contact} -> {agent} after {waited}{}; priority {:.0} (repeat {:.0})",
                    if *callback { ", calling back" } else { "" },
                    priority.total,
                    priority.repeat
                ),
                Decision::Queued { contact, queue, .. } => {
                    println!("{label:<36} {contact} waits in {queue}")
                }
                other => println!("{label:<36} {other:?}"),
            }
        }
    };
    let assigned = |d: &Decisions| d.assignments().collect::<Vec<_>>();

    // 08:00 Ana and Ben log in; three calls come at once.
    for a in [ana, ben] {
        show("log in", &router.log_in(a, t(0))?);
    }
    let mia = CustomerId::new(501);
    for (id, customer) in [(1, 500), (2, 501), (3, 502)] {
        let call = Contact::new(ContactId::new(id), service, Channel::Voice)
            .stage(LifecycleStage::Retention)
            .customer(CustomerId::new(customer));
        show("service call", &router.arrive(call, t(10 + id))?);
    }
    // The third caller would rather be called back than hold: their place
    // is kept, and they are neither waiting on the line nor abandoned.
    let _ = router.request_callback(ContactId::new(3), None, t(120))?;
    let status = router.contact_status(ContactId::new(3))?;
    println!(
        "{:<36} {status:?}, place kept",
        "caller 3 asks for a callback"
    );

    // Ana solves caller 1's problem; Mia (caller 2) is told to try a reset.
    let d = router.finish(ContactId::new(1), t(300))?;
    show("Ana ends call 1", &d);
    let d = router.finish_with(ContactId::new(2), Outcome::Unresolved, t(320))?;
    show("Ben ends call 2, unresolved", &d);
    // Ana's wrap-up ends: she calls caller 3 back, in their turn.
    let d = router.advance(t(330))?;
    show("Ana's wrap-up ends", &d);
    assert!(matches!(
        d.as_slice(),
        [Decision::WrapUpEnded { .. }, Decision::Assigned { contact, callback: true, .. }]
            if *contact == ContactId::new(3)
    ));

    // A follow-up call to a loyal customer is due. Ben is idle but the
    // only idle agent: he is kept for inbound calls, and the task waits.
    let task = Contact::new(ContactId::new(10), follow_ups, Channel::Voice)
        .stage(LifecycleStage::Loyalty)
        .customer(CustomerId::new(900));
    let d = router.advance(t(350))?;
    show("Ben's wrap-up ends", &d);
    let d = router.arrive(task, t(400))?;
    show("follow-up call due", &d);
    assert!(assigned(&d).is_empty());

    // A new customer calls: Ben, idle, takes it (inbound calls are never
    // held back). Another new customer calls, then Mia again: both wait,
    // and Mia, a repeat within the window, is lifted above the earlier
    // first call.
    let call = |id: u64, customer: u64| {
        Contact::new(ContactId::new(id), service, Channel::Voice)
            .stage(LifecycleStage::Retention)
            .customer(CustomerId::new(customer))
    };
    let d = router.arrive(call(4, 503), t(410))?;
    show("a new customer calls", &d);
    assert_eq!(assigned(&d), [(ContactId::new(4), ben)]);
    show(
        "another new customer",
        &router.arrive(call(6, 504), t(415))?,
    );
    show(
        "Mia calls again",
        &router.arrive(call(5, mia.get()), t(420))?,
    );
    let (repeat, first) = (
        router.explain(ContactId::new(5), t(420))?,
        router.explain(ContactId::new(6), t(420))?,
    );
    println!("explain Mia's repeat: {repeat:?}");
    assert!(repeat.repeat > 0.0 && repeat.total > first.total);

    // Ana ends the callback; after her wrap-up she takes Mia first.
    show(
        "Ana ends the callback",
        &router.finish(ContactId::new(3), t(500))?,
    );
    let d = router.advance(t(530))?;
    show("Ana's wrap-up ends", &d);
    assert_eq!(assigned(&d), [(ContactId::new(5), ana)]);

    // Ben takes the waiting first call after his wrap-up; when Ana's ends
    // she is the only idle agent, kept for inbound: the task still waits.
    show(
        "Ben ends call 4",
        &router.finish(ContactId::new(4), t(600))?,
    );
    show(
        "Ana ends Mia's call",
        &router.finish(ContactId::new(5), t(610))?,
    );
    let d = router.advance(t(640))?;
    show("wrap-ups end", &d);
    assert_eq!(assigned(&d), [(ContactId::new(6), ben)]);
    // Ben ends call 6: two idle agents, more than the one kept, so the
    // follow-up call goes out, to Ana, idle the longest.
    show(
        "Ben ends call 6",
        &router.finish(ContactId::new(6), t(700))?,
    );
    let d = router.advance(t(730))?;
    show("Ben's wrap-up ends", &d);
    assert_eq!(assigned(&d), [(ContactId::new(10), ana)]);

    // A chat about a return, routed by its menu choice; nobody chats yet,
    // so the customer switches to a call and keeps their place.
    let chat = Contact::new(ContactId::new(20), web_chat, Channel::Chat).purpose(returns);
    show("chat: returns", &router.arrive(chat, t(800))?);
    assert_eq!(router.contact(ContactId::new(20))?.queue, service);
    let d = router.switch_channel(ContactId::new(20), Channel::Voice, service, t(860))?;
    show("the chat becomes a call", &d);
    assert_eq!(assigned(&d), [(ContactId::new(20), ben)]);

    // First-contact resolution: call 1 resolved; Mia's first call was
    // not; the others are still within their repeat window at 09:00, and
    // would count as resolved once it closes without a repeat.
    let fcr = router.queue_stats(service, t(3_600))?.resolution;
    println!("first-contact resolution of service at 09:00: {fcr:?}");
    assert_eq!((fcr.unresolved, fcr.repeats), (1, 1));
    let week_later = router.queue_stats(service, t(8 * 24 * 3_600))?.resolution;
    println!("a week later: {week_later:?}, rate {:?}", week_later.rate());
    assert!(week_later.rate().is_some_and(|r| r > 0.5 && r < 1.0));
    assert_eq!(router.queue_stats(follow_ups, t(3_600))?.answered, 1);
    Ok(())
}
