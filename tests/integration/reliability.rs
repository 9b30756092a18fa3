//! Reliability: the router shared between threads, and constant memory for
//! finished contacts over long runs.

use callroute::*;
use std::sync::{Arc, Mutex};

fn is_send_and_sync<T: Send + Sync>() {}

#[test]
fn the_router_can_be_moved_and_shared_between_threads() {
    is_send_and_sync::<Router>();
    is_send_and_sync::<Decisions>();
    is_send_and_sync::<RouterError>();
}

/// A small deterministic generator (no shared state between threads).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Four threads drive one router through a mutex, as a service with one
/// router and several request handlers would: every call takes the lock,
/// passes a `now` read from the router's own clock (so time never goes
/// backwards) and first fires the timers due by then. Every contact is answered exactly once and nothing is left
/// behind.
#[test]
fn threads_share_a_router_through_a_mutex() {
    const THREADS: u64 = 4;
    const PER_THREAD: u64 = 2_000;
    let q = QueueId::new(1);
    let mut router = Router::new(RouterConfig::default()).unwrap();
    router
        .add_queue(QueueConfig::new(q).wrap_up(TimeSpan::from_millis(3)))
        .unwrap();
    for a in 0..8 {
        router
            .add_agent(AgentSpec::new(AgentId::new(a)).profile(RoutingProfile::new().serve(q, 1)))
            .unwrap();
        let _ = router.log_in(AgentId::new(a), Timestamp::ZERO).unwrap();
    }
    let shared = Arc::new(Mutex::new((router, Vec::<ContactId>::new())));
    let next_now = |r: &Router| Timestamp::from_millis(r.now().as_millis() + 1);
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || {
                let mut rng = Lcg(t);
                let mut mine: Vec<ContactId> = Vec::new();
                for i in 0..PER_THREAD {
                    let id = ContactId::new(t * 1_000_000 + i);
                    let mut guard = shared.lock().unwrap();
                    let (router, answered) = &mut *guard;
                    // Due timers first (wrap-ups end), then the call.
                    let now = next_now(router);
                    let d = router.advance(now).unwrap();
                    answered.extend(d.assignments().map(|(c, _)| c));
                    let call = Contact::new(id, q, Channel::Voice)
                        .stage(LifecycleStage::ALL[rng.below(5) as usize]);
                    let d = router.arrive(call, now).unwrap();
                    answered.extend(d.assignments().map(|(c, _)| c));
                    mine.push(id);
                    // End one of this thread's calls in service, if any.
                    let pick = rng.below(mine.len() as u64) as usize;
                    if let Ok(ContactStatus::InService { .. }) = router.contact_status(mine[pick]) {
                        let done = mine.swap_remove(pick);
                        let d = router.finish(done, now).unwrap();
                        answered.extend(d.assignments().map(|(c, _)| c));
                    }
                }
                mine
            })
        })
        .collect();
    let mut left: Vec<ContactId> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let mut guard = shared.lock().unwrap();
    let (router, answered) = &mut *guard;
    // Drain: end every call in service until nobody waits.
    while !left.is_empty() {
        let before = left.len();
        let mut still = Vec::new();
        for c in left {
            let now = next_now(router);
            let d = router.advance(now).unwrap();
            answered.extend(d.assignments().map(|(c, _)| c));
            match router.contact_status(c).unwrap() {
                ContactStatus::InService { .. } => {
                    let d = router.finish(c, now).unwrap();
                    answered.extend(d.assignments().map(|(c, _)| c));
                }
                _ => still.push(c),
            }
        }
        // Let the last wrap-ups end.
        let later = Timestamp::from_millis(router.now().as_millis() + 1_000);
        let d = router.advance(later).unwrap();
        answered.extend(d.assignments().map(|(c, _)| c));
        left = still;
        assert!(left.len() < before || left.is_empty(), "no progress");
    }
    let mut all = answered.clone();
    all.sort_unstable();
    all.dedup();
    assert_eq!(
        answered.len(),
        (THREADS * PER_THREAD) as usize,
        "each answered once"
    );
    assert_eq!(all.len(), answered.len());
    let stats = router.queue_stats(q, router.now()).unwrap();
    assert_eq!(stats.answered, THREADS * PER_THREAD);
    assert_eq!(router.footprint().contacts, 0);
}

/// One busy stretch of a center: calls and chats at five stages arrive,
/// some hang up, some sour, agents wrap up and take breaks; then the
/// center drains. Returns the contacts it sent.
fn busy_stretch(router: &mut Router, rng: &mut Lcg, first_id: u64, contacts: u64) -> u64 {
    let queues = [QueueId::new(1), QueueId::new(2)];
    let mut held: Vec<ContactId> = Vec::new();
    let mut next = first_id;
    while next < first_id + contacts || !held.is_empty() {
        let now = Timestamp::from_millis(router.now().as_millis() + 1 + rng.below(400));
        let _ = router.advance(now).unwrap();
        if next < first_id + contacts {
            let q = queues[rng.below(2) as usize];
            let channel = if q == queues[0] {
                Channel::Voice
            } else {
                Channel::Chat
            };
            let contact = Contact::new(ContactId::new(next), q, channel)
                .stage(LifecycleStage::ALL[rng.below(5) as usize])
                .sentiment(Sentiment::new(rng.below(21) as f64 / 10.0 - 1.0).unwrap())
                .requirements(
                    Requirements::new().skill(SkillId::new(rng.below(3) as u16), Proficiency::MIN),
                )
                .customer(CustomerId::new(rng.below(500)));
            let _ = router.arrive(contact, now).unwrap();
            held.push(ContactId::new(next));
            next += 1;
        }
        // A few events among the contacts held: calls end, callers hang
        // up or sour.
        for _ in 0..3 {
            if held.is_empty() {
                break;
            }
            let i = rng.below(held.len() as u64) as usize;
            let c = held[i];
            match (router.contact_status(c).unwrap(), rng.below(10)) {
                (ContactStatus::InService { .. }, _) => {
                    let _ = router.finish(c, now).unwrap();
                    held.swap_remove(i);
                }
                (ContactStatus::Waiting { .. }, 0) => {
                    let _ = router.abandon(c, now).unwrap();
                    held.swap_remove(i);
                }
                (ContactStatus::Waiting { .. }, 1) => {
                    let _ = router
                        .update_sentiment(c, Sentiment::new(-0.9).unwrap(), now)
                        .unwrap();
                }
                _ => {}
            }
        }
    }
    // Let every wrap-up, rest and kept place run out.
    let later = Timestamp::from_millis(router.now().as_millis() + 3_600_000);
    let _ = router.advance(later).unwrap();
    next - first_id
}

#[test]
fn finished_contacts_leave_nothing_behind() {
    let mut router = Router::new(RouterConfig::default()).unwrap();
    let (voice, chat) = (QueueId::new(1), QueueId::new(2));
    router
        .add_queue(
            QueueConfig::new(voice)
                .wrap_up(TimeSpan::from_secs(2))
                .resume_within(TimeSpan::from_secs(60))
                .escalation(vec![EscalationStep::new(
                    TimeSpan::from_secs(5),
                    Escalation::RelaxProficiency { by: 1 },
                )]),
        )
        .unwrap();
    router.add_queue(QueueConfig::new(chat)).unwrap();
    for a in 0..12u32 {
        let mut spec = AgentSpec::new(AgentId::new(a))
            .profile(RoutingProfile::new().serve(voice, 1).serve(chat, 2));
        for s in 0..3u16 {
            spec = spec.skill(
                SkillId::new(s),
                Proficiency::new(1 + (a as u8 + s as u8) % 10).unwrap(),
            );
        }
        if a % 3 == 0 {
            spec = spec.capacity(Capacity::voice().with(Channel::Chat, 2));
        }
        router.add_agent(spec).unwrap();
        let _ = router.log_in(AgentId::new(a), Timestamp::ZERO).unwrap();
    }
    let mut rng = Lcg(42);
    let sent = busy_stretch(&mut router, &mut rng, 0, 100_000);
    let after_one = router.footprint();
    assert_eq!(after_one.contacts, 0);
    assert_eq!(after_one.timers, 0);
    assert_eq!(after_one.kept_places, 0);
    // Two queues × two channels at most × three skills, relaxed or not.
    assert!(after_one.groups <= 24, "{after_one:?}");
    assert!(after_one.contact_records < 1_000, "{after_one:?}");
    // Ten times as many contacts again: nothing grows.
    let more = busy_stretch(&mut router, &mut rng, sent, 1_000_000);
    assert_eq!(more, 1_000_000);
    let after_two = router.footprint();
    assert_eq!(after_two.contacts, 0);
    assert_eq!(after_two.timers, 0);
    assert_eq!(after_two.groups, after_one.groups);
    assert!(
        after_two.contact_records <= after_one.contact_records + 64,
        "{after_one:?} → {after_two:?}"
    );
}

mod hostile_files {
    use callroute::sim::{Scenario, Simulation};
    use proptest::prelude::*;

    const SAMPLE: &str = include_str!("../../examples/scenarios/default_center.toml");

    /// Values a hand-written or corrupted file may hold where a number is
    /// expected.
    const ABSURD: [&str; 14] = [
        "-1",
        "0",
        "1e300",
        "-1e300",
        "nan",
        "inf",
        "-inf",
        "18446744073709551615",
        "4294967296",
        "1e-300",
        "\"text\"",
        "[]",
        "{}",
        "0.5",
    ];

    /// One way of spoiling a good file.
    #[derive(Debug, Clone)]
    enum Spoil {
        /// Cut it short at a byte.
        Truncate(prop::sample::Index),
        /// Put an absurd value in place of a number.
        Number(prop::sample::Index, prop::sample::Index),
        /// Drop a line.
        DropLine(prop::sample::Index),
        /// Repeat a line.
        RepeatLine(prop::sample::Index),
        /// Rename a key (an unknown field).
        RenameKey(prop::sample::Index),
    }

    fn spoil() -> impl Strategy<Value = Spoil> {
        prop_oneof![
            any::<prop::sample::Index>().prop_map(Spoil::Truncate),
            (any::<prop::sample::Index>(), any::<prop::sample::Index>())
                .prop_map(|(a, b)| Spoil::Number(a, b)),
            any::<prop::sample::Index>().prop_map(Spoil::DropLine),
            any::<prop::sample::Index>().prop_map(Spoil::RepeatLine),
            any::<prop::sample::Index>().prop_map(Spoil::RenameKey),
        ]
    }

    fn apply(text: &str, s: &Spoil) -> String {
        let lines: Vec<&str> = text.lines().collect();
        if lines.is_empty() {
            return text.to_owned();
        }
        match s {
            Spoil::Truncate(i) => {
                let mut cut = i.index(text.len());
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text[..cut].to_owned()
            }
            Spoil::Number(at, value) => {
                // The start of every number in the text.
                let bytes = text.as_bytes();
                let starts: Vec<usize> = (0..bytes.len())
                    .filter(|&k| {
                        bytes[k].is_ascii_digit()
                            && (k == 0
                                || !(bytes[k - 1].is_ascii_alphanumeric() || bytes[k - 1] == b'.'))
                    })
                    .collect();
                if starts.is_empty() {
                    return text.to_owned();
                }
                let k = starts[at.index(starts.len())];
                let end = (k..bytes.len())
                    .find(|&e| !(bytes[e].is_ascii_digit() || bytes[e] == b'.'))
                    .unwrap_or(bytes.len());
                format!(
                    "{}{}{}",
                    &text[..k],
                    ABSURD[value.index(ABSURD.len())],
                    &text[end..]
                )
            }
            Spoil::DropLine(i) => {
                let skip = i.index(lines.len());
                lines
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| *k != skip)
                    .map(|(_, l)| *l)
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            Spoil::RepeatLine(i) => {
                let again = i.index(lines.len());
                let mut out = lines.clone();
                out.insert(again, lines[again]);
                out.join("\n")
            }
            Spoil::RenameKey(i) => {
                let keyed: Vec<usize> = (0..lines.len())
                    .filter(|&k| lines[k].contains(" = "))
                    .collect();
                if keyed.is_empty() {
                    return text.to_owned();
                }
                let k = keyed[i.index(keyed.len())];
                let mut out = lines.clone();
                let renamed = format!("x{}", lines[k].trim_start());
                out[k] = &renamed;
                out.join("\n")
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

        /// A spoiled file is refused with an error naming what is wrong, or
        /// (when the change is harmless) accepted; never a panic. An
        /// accepted file sets up a simulation without allocating in
        /// proportion to an absurd number (validation bounds every count).
        #[test]
        fn spoiled_scenario_files_are_refused_or_run(spoils in prop::collection::vec(spoil(), 1..4)) {
            let mut text = SAMPLE.to_owned();
            for s in &spoils {
                text = apply(&text, s);
            }
            match toml::from_str::<Scenario>(&text) {
                Err(e) => prop_assert!(!e.to_string().is_empty()),
                Ok(scenario) => match scenario.validate() {
                    Err(e) => prop_assert!(e.to_string().contains('`'), "{e}"),
                    Ok(()) => {
                        let agents: u64 = scenario.groups.iter().map(|g| u64::from(g.count)).sum();
                        prop_assert!(agents <= 1_000_000);
                        if agents <= 10_000 {
                            let mut small = scenario.clone();
                            small.volume_factor = (small.volume_factor).min(1.0) * 0.01;
                            // The router may still refuse what only it
                            // checks (an escalation to a queue listed later).
                            if let Err(e) = Simulation::new(&small, 1) {
                                prop_assert!(!e.to_string().is_empty());
                            }
                        }
                    }
                },
            }
        }
    }
}

/// Inputs that arrive as JSON (a contact from a telephony event, an agent
/// from a workforce system) are refused with an error when a value is out
/// of its domain, before they reach the router.
#[test]
fn out_of_domain_values_are_refused_at_the_border() {
    let good = Contact::new(ContactId::new(7), QueueId::new(1), Channel::Voice)
        .sentiment(Sentiment::new(-0.5).unwrap());
    let json = serde_json::to_string(&good).unwrap();
    assert_eq!(serde_json::from_str::<Contact>(&json).unwrap(), good);
    for bad in ["1.5", "-1.01", "1e999"] {
        let text = json.replacen("-0.5", bad, 1);
        assert!(serde_json::from_str::<Contact>(&text).is_err(), "{text}");
    }
    assert!(serde_json::from_str::<Proficiency>("11").is_err());
    assert!(serde_json::from_str::<Proficiency>("0").is_err());
    assert!(serde_json::from_str::<Sentiment>("null").is_err());
}

/// The peak resident memory of this process, in bytes (Linux), if known.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Ten million contacts through a 2,000-agent center (M/M/c+M at 95% of
/// capacity, 5-minute calls, 10-minute patience, about 18 days in hourly
/// intervals). Ignored by default; run it with
/// `cargo test --release --test integration soak -- --ignored --nocapture`.
#[test]
#[ignore = "a soak test: minutes in a debug build; run it with --release --ignored"]
fn soak_ten_million_contacts_through_two_thousand_agents() {
    use callroute::sim::{Dist, Scenario, Simulation};
    let per_hour: f64 = 2_000.0 * 0.95 * 3_600.0 / 300.0;
    let hours = (10_000_000.0 / per_hour).ceil() as u32 + 1;
    let mut s = Scenario::single_queue(
        2_000,
        per_hour,
        Dist::exponential(300.0).unwrap(),
        Some(Dist::exponential(600.0).unwrap()),
        3_600,
    );
    s.intervals = hours;
    let start = std::time::Instant::now();
    let r = Simulation::new(&s, 1).unwrap().run().unwrap();
    let secs = start.elapsed().as_secs_f64();
    let all = &r.overall;
    assert!(all.offered >= 10_000_000, "{}", all.offered);
    assert_eq!(
        all.offered,
        all.answered + all.abandoned + all.waiting_at_end
    );
    let peak = peak_memory().unwrap_or(0);
    println!(
        "soak: {} contacts ({} answered, {} abandoned) in {secs:.1} s = {:.2} million a second; \
         service level {:.1}%, occupancy {:.1}%; peak resident memory {:.1} MiB",
        all.offered,
        all.answered,
        all.abandoned,
        all.offered as f64 / secs / 1e6,
        100.0 * all.service_level(),
        100.0 * r.occupancy,
        peak as f64 / 1_048_576.0
    );
    // Streaming statistics: memory follows the agents and the intervals,
    // not the contacts.
    assert!(peak < 512 * 1_048_576, "peak {peak} bytes");
}

/// Contacts that each prefer their own pair of agents (a last agent and an
/// account manager) bring ever new requirement profiles; the router keeps
/// only the idle groups it is told to, so its tables stay bounded.
#[test]
fn ever_new_profiles_do_not_grow_the_router() {
    let q = QueueId::new(1);
    let config = RouterConfig::default().idle_groups_kept(256);
    let mut router = Router::new(config).unwrap();
    router.add_queue(QueueConfig::new(q)).unwrap();
    for a in 0..200 {
        router
            .add_agent(AgentSpec::new(AgentId::new(a)).profile(RoutingProfile::new().serve(q, 1)))
            .unwrap();
        let _ = router.log_in(AgentId::new(a), Timestamp::ZERO).unwrap();
    }
    let mut rng = Lcg(9);
    let mut held: Vec<ContactId> = Vec::new();
    let mut most_groups = 0;
    for i in 0..200_000u64 {
        let now = Timestamp::from_millis(router.now().as_millis() + 1 + rng.below(50));
        let _ = router.advance(now).unwrap();
        let pair = [
            AgentId::new(rng.below(200) as u32),
            AgentId::new(rng.below(200) as u32),
        ];
        let call = Contact::new(ContactId::new(i), q, Channel::Voice)
            .prefer(Preference::new(pair, TimeSpan::from_secs(20)));
        let _ = router.arrive(call, now).unwrap();
        held.push(ContactId::new(i));
        for _ in 0..2 {
            if held.is_empty() {
                break;
            }
            let k = rng.below(held.len() as u64) as usize;
            if let Ok(ContactStatus::InService { .. }) = router.contact_status(held[k]) {
                let _ = router.finish(held.swap_remove(k), now).unwrap();
            }
        }
        most_groups = most_groups.max(router.footprint().groups);
    }
    // About 20,000 distinct pairs were seen; the groups in use at once plus
    // the idle ones kept (and those made while a sweep is due) are all
    // there ever were at once.
    let f = router.footprint();
    assert!(
        most_groups <= 256 + 2 * f.contact_records + 1,
        "{most_groups} groups, {f:?}"
    );
    assert!(most_groups < 2_000, "{most_groups}");
}
