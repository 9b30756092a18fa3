//! Model-based property tests: random operation sequences, valid and
//! invalid, drive the fast router and the naive reference side by side.
//! They must make the same decisions and return the same errors, and the
//! routing invariants must hold after every step.

use crate::support::naive::{NContact, Naive, qualifies};
use crate::support::strategies::{
    AgentTarget, Op, QUEUES, Step, Target, agent_spec, queue_configs, step,
};
use callroute::*;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

fn cases() -> u32 {
    std::env::var("CALLROUTE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4000)
}

/// Applies one operation to both routers; returns both outcomes.
fn resolve(naive: &Naive, t: Target, in_service: Option<bool>) -> ContactId {
    resolve_where(naive, t, |c| {
        in_service.is_none_or(|s| c.agent.is_some() == s)
    })
}

/// The contact an operation names: mostly one of the reference's that
/// `fits`, picked by index.
fn resolve_where(naive: &Naive, t: Target, fits: impl Fn(&NContact) -> bool) -> ContactId {
    match t {
        Target::Raw(c) => c,
        Target::Existing(n) => {
            let pool: Vec<ContactId> = naive
                .contacts
                .values()
                .filter(|c| fits(c))
                .map(|c| c.contact.id)
                .collect();
            if pool.is_empty() {
                ContactId::new(u64::MAX)
            } else {
                pool[n % pool.len()]
            }
        }
    }
}

/// The contact and agent of an accept or reject: mostly a pending offer of
/// the reference, picked by index.
fn resolve_offer(naive: &Naive, t: Target, a: AgentTarget) -> (Option<ContactId>, Option<AgentId>) {
    let pool: Vec<(ContactId, AgentId)> = naive
        .contacts
        .keys()
        .flat_map(|c| naive.offered_to(*c).into_iter().map(move |a| (*c, a)))
        .collect();
    match (t, a) {
        (Target::Existing(n), AgentTarget::Offered) if !pool.is_empty() => {
            let (c, a) = pool[n % pool.len()];
            (Some(c), Some(a))
        }
        (Target::Existing(_), _) => (Some(ContactId::new(u64::MAX)), None),
        (Target::Raw(c), _) => (Some(c), None),
    }
}

/// Applies one operation to a router; `target` is the contact a finish or
/// abandon names, resolved beforehand.
fn on_router(
    router: &mut Router,
    op: &Op,
    now: Timestamp,
    (target, target_agent): (Option<ContactId>, Option<AgentId>),
) -> Result<Vec<Decision>, RouterError> {
    fn unit(r: Result<(), RouterError>) -> Result<Vec<Decision>, RouterError> {
        r.map(|()| Vec::new())
    }
    fn vec(r: Result<Decisions, RouterError>) -> Result<Vec<Decision>, RouterError> {
        r.map(Decisions::into_vec)
    }
    let c = target.unwrap_or(ContactId::new(u64::MAX));
    match op {
        Op::AddAgent(s) => unit(router.add_agent(s.clone())),
        Op::UpdateAgent(s) => vec(router.update_agent(s.clone(), now)),
        Op::RemoveAgent(a) => unit(router.remove_agent(*a)),
        Op::LogIn(a) => vec(router.log_in(*a, now)),
        Op::LogOut(a) => unit(router.log_out(*a, now)),
        Op::Ready(a) => vec(router.set_ready(*a, now)),
        Op::NotReady(a) => unit(router.set_not_ready(*a, NotReadyReason::Break, now)),
        Op::EndWrapUp(a) => vec(router.end_wrap_up(*a, now)),
        Op::Arrive(c) => vec(router.arrive(c.clone(), now)),
        Op::Finish(_) => vec(router.finish(c, now)),
        Op::Abandon(_) => vec(router.abandon(c, now)),
        Op::Sentiment(_, s) => vec(router.update_sentiment(c, *s, now)),
        Op::Advance => vec(router.advance(now)),
        Op::Accept(_, a) => vec(router.accept(c, offered_agent(*a, target_agent), now)),
        Op::Transfer(_, q) => vec(router.transfer(c, *q, now)),
        Op::Reject(_, a) => vec(router.reject(c, offered_agent(*a, target_agent), now)),
        Op::RequestCallback(_, at) => vec(router.request_callback(c, later(now, *at), now)),
        Op::CallbackUnanswered(_) => vec(router.callback_unanswered(c, now)),
        Op::SwitchChannel(_, ch, q) => vec(router.switch_channel(c, *ch, *q, now)),
    }
}

/// The agent an accept or reject names: the one resolved from the
/// reference's pending offers, or the raw id.
fn offered_agent(raw: AgentTarget, resolved: Option<AgentId>) -> AgentId {
    match raw {
        AgentTarget::Offered => resolved.unwrap_or(AgentId::new(u32::MAX)),
        AgentTarget::Raw(a) => a,
    }
}

/// Applies one operation to the naive reference.
fn on_naive(
    naive: &mut Naive,
    op: &Op,
    now: Timestamp,
    (target, target_agent): (Option<ContactId>, Option<AgentId>),
) -> Result<Vec<Decision>, RouterError> {
    let unit = |r: Result<(), RouterError>| r.map(|()| Vec::new());
    let c = target.unwrap_or(ContactId::new(u64::MAX));
    match op {
        Op::AddAgent(s) => unit(naive.add_agent(s.clone())),
        Op::UpdateAgent(s) => naive.update_agent(s.clone(), now),
        Op::RemoveAgent(a) => unit(naive.remove_agent(*a)),
        Op::LogIn(a) => naive.log_in(*a, now),
        Op::LogOut(a) => unit(naive.log_out(*a, now)),
        Op::Ready(a) => naive.set_ready(*a, now),
        Op::NotReady(a) => unit(naive.set_not_ready(*a, NotReadyReason::Break, now)),
        Op::EndWrapUp(a) => naive.end_wrap_up(*a, now),
        Op::Arrive(c) => naive.arrive(c.clone(), now),
        Op::Finish(_) => naive.finish(c, now),
        Op::Abandon(_) => naive.abandon(c, now),
        Op::Sentiment(_, s) => naive.update_sentiment(c, *s, now),
        Op::Advance => naive.advance(now),
        Op::Accept(_, a) => naive.accept(c, offered_agent(*a, target_agent), now),
        Op::Transfer(_, q) => naive.transfer(c, *q, now),
        Op::Reject(_, a) => naive.reject(c, offered_agent(*a, target_agent), now),
        Op::RequestCallback(_, at) => naive.request_callback(c, later(now, *at), now),
        Op::CallbackUnanswered(_) => naive.callback_unanswered(c, now),
        Op::SwitchChannel(_, ch, q) => naive.switch_channel(c, *ch, *q, now),
    }
}

/// The time a callback is asked for: `ms` from `now` (before it too).
fn later(now: Timestamp, ms: Option<i64>) -> Option<Timestamp> {
    ms.map(|ms| Timestamp::from_millis(now.as_millis().saturating_add_signed(ms)))
}

/// A scoring of the kind a product might supply: points by customer
/// number, agents by id against the contact.
struct TestScoring;

impl CustomScoring for TestScoring {
    fn contact_points(&self, contact: &Contact) -> f64 {
        (contact.id.get() % 7) as f64 * 3.0
    }
    fn agent_score(&self, agent: &AgentSpec, contact: &Contact) -> f64 {
        ((u64::from(agent.id.get()) * 3 + contact.id.get()) % 5) as f64
    }
}

/// A router restored from `router`'s snapshot after a trip through JSON
/// text and through a self-describing value (read by `deserialize_any`,
/// as other self-describing formats read), with the same custom scoring
/// installed again.
fn twin_of(router: &Router, scoring: Option<Arc<dyn CustomScoring>>) -> Router {
    let json = serde_json::to_string(&router.snapshot()).expect("serializes");
    let snapshot: Snapshot = serde_json::from_str(&json).expect("deserializes");
    let value = serde_json::to_value(&snapshot).expect("serializes to a value");
    let snapshot: Snapshot = serde_json::from_value(value).expect("deserializes from a value");
    let mut twin = Router::restore(snapshot).expect("restores");
    twin.set_custom_scoring(scoring);
    assert_eq!(
        twin.snapshot(),
        router.snapshot(),
        "restore changed the state"
    );
    twin
}

/// The largest difference of the time-independent score terms that the
/// generated world can produce: the bound on how much later an overtaking
/// contact can have arrived, in points.
fn spread(w: &PriorityWeights) -> f64 {
    let base = 25.0;
    let stages = LifecycleStage::ALL.map(|s| w.stage.get(s));
    let max_stage = stages.iter().copied().fold(f64::MIN, f64::max);
    let min_stage = stages.iter().copied().fold(f64::MAX, f64::min);
    // Escalation bonuses: two steps and an upset rule per queue, and a
    // contact may overflow once or twice, at 10 points each at most.
    let bonus = 60.0;
    // The test's custom scoring adds up to 18 points.
    let custom = 18.0;
    // A repeat contact adds its points.
    base + (max_stage - min_stage) + w.upset + 30.0 + bonus + custom + w.repeat
}

/// Checks the invariants on the naive model and that the fast router's
/// queries agree with it.
fn check_invariants(
    router: &Router,
    naive: &Naive,
    ledger: &Ledger,
    assigned: &[(ContactId, AgentId)],
    loads_before: &BTreeMap<AgentId, [u8; 4]>,
) {
    // Nothing lost or duplicated: the contacts held are exactly the ledger,
    // and so are the pending offers.
    assert_eq!(router.contact_count(), ledger.held.len());
    assert_eq!(naive.contacts.len(), ledger.held.len());
    for (cid, agent) in &ledger.held {
        let status = router
            .contact_status(*cid)
            .expect("a contact of the ledger is known");
        let offered = ledger.offered(*cid);
        match (status, agent) {
            (ContactStatus::Waiting { .. }, None) => assert_eq!(offered, 0),
            (ContactStatus::Offered { agents, .. }, None) => {
                assert_eq!(agents as usize, offered);
                // Within the mode of the queues its offers were made in (an
                // escalation may have moved it since).
                let most = ledger
                    .offers
                    .iter()
                    .filter(|(o, _)| o.0 == *cid)
                    .filter_map(|(_, q)| naive.queues[q].config.offer)
                    .map(|p| p.mode.max_agents())
                    .max()
                    .unwrap_or(0);
                assert!(
                    offered >= 1 && offered <= usize::from(most),
                    "{cid} offered to {offered}"
                );
            }
            (ContactStatus::InService { agent: a }, Some(b)) => assert_eq!(a, *b),
            (ContactStatus::CallbackHeld { .. }, None) => {
                assert_eq!(offered, 0);
                assert!(naive.contacts[cid].held(), "{cid} held by the router only");
            }
            other => panic!("{cid}: router says {other:?}"),
        }
    }
    let pending: BTreeSet<(ContactId, AgentId)> = naive
        .contacts
        .keys()
        .flat_map(|c| naive.offered_to(*c).into_iter().map(move |a| (*c, a)))
        .collect();
    let offers: BTreeSet<(ContactId, AgentId)> = ledger.offers.keys().copied().collect();
    assert_eq!(pending, offers, "pending offers");
    // Positions agree with the reference's count.
    let held = |c: &ContactId| naive.contacts.get(c).is_some_and(NContact::held);
    for (cid, agent) in &ledger.held {
        if agent.is_none() && ledger.offered(*cid) == 0 && !held(cid) {
            let e = router.wait_estimate(*cid).expect("a waiting contact");
            assert_eq!(
                (e.ahead, e.agents),
                naive.position(*cid),
                "position of {cid}"
            );
        }
    }
    let waiting = ledger
        .held
        .iter()
        .filter(|(c, a)| a.is_none() && ledger.offered(**c) == 0 && !held(c))
        .count();
    assert_eq!(router.waiting_count(), waiting);
    // Loads agree; an agent that just took contacts is within its capacity
    // (an update may lower the capacity below the load of contacts already
    // in service, so only agents assigned to in this step are checked).
    for a in naive.agents.values() {
        assert_eq!(
            router.agent_load(a.spec.id).ok(),
            Some(a.load),
            "load of {}",
            a.spec.id
        );
        if !assigned.iter().any(|p| p.1 == a.spec.id) {
            continue;
        }
        let before = loads_before.get(&a.spec.id).copied().unwrap_or([0; 4]);
        for ch in Channel::ALL {
            let i = ch.index();
            if a.load[i] > before[i] {
                assert!(
                    a.load[i] <= a.spec.capacity.limit(ch),
                    "{} over capacity on {ch:?}",
                    a.spec.id
                );
                if a.spec.capacity.voice_exclusive {
                    let others: u32 =
                        a.load.iter().map(|&l| u32::from(l)).sum::<u32>() - u32::from(a.load[0]);
                    assert!(
                        a.load[0] == 0 || others == 0,
                        "{} mixes voice with other work",
                        a.spec.id
                    );
                }
            }
        }
    }
    // Skills and language, checked for contacts assigned or offered in this
    // step and still with that agent (an update may later change the skills
    // of an agent already serving; an escalation in the same step withdraws
    // offers it no longer allows): escalation never leaves a contact with an
    // agent its current step does not allow.
    for (cid, aid) in assigned {
        let Some(c) = naive.contacts.get(cid) else {
            continue;
        };
        let current = c.agent == Some(*aid) || ledger.offers.contains_key(&(*cid, *aid));
        if !current {
            continue;
        }
        let a = &naive.agents[aid];
        assert!(qualifies(&a.spec, &c.reqs), "{aid} lacks skills for {cid}");
    }
    // Work-conserving.
    assert_eq!(
        naive.idle_agent_with_work(),
        None,
        "an idle agent could serve a waiting contact"
    );
    // Queue counters agree.
    for q in 0..QUEUES {
        let q = QueueId::new(q);
        let stats = router.queue_stats(q, naive.clock).expect("queue exists");
        let n = naive
            .contacts
            .values()
            .filter(|c| c.waiting() && c.contact.queue == q)
            .count();
        assert_eq!(stats.waiting, n as u64);
    }
}

fn run(
    queues: Vec<QueueConfig>,
    agents: Vec<AgentSpec>,
    steps: Vec<Step>,
    seed: u64,
    compare_state: bool,
    split: Option<usize>,
) {
    // The seed also picks how agents who miss offers are treated.
    let missed = match seed % 3 {
        0 => MissedOffers::default(),
        1 => MissedOffers {
            reject_rest: TimeSpan::ZERO,
            no_answer_rest: TimeSpan::ZERO,
            not_ready_after: core::num::NonZeroU8::MAX,
        },
        _ => MissedOffers {
            reject_rest: TimeSpan::from_secs(3),
            no_answer_rest: TimeSpan::from_secs(8),
            not_ready_after: core::num::NonZeroU8::MIN,
        },
    };
    // Few idle groups kept: idle groups are dropped and rebuilt all along.
    let config = RouterConfig::default()
        .seed(seed)
        .missed_offers(missed)
        .idle_groups_kept((seed % 4) as usize);
    // Every other seed installs the product's own scoring in both routers.
    let scoring = seed
        .is_multiple_of(2)
        .then(|| Arc::new(TestScoring) as Arc<dyn CustomScoring>);
    let mut router = Router::new(config.clone()).expect("valid config");
    let mut naive = Naive::new(config);
    router.set_custom_scoring(scoring.clone());
    naive.set_scoring(scoring.clone());
    for q in &queues {
        router.add_queue(q.clone()).expect("queue");
        naive.add_queue(q.clone()).expect("queue");
    }
    let mut steps = steps;
    let setup = agents.iter().flat_map(|a| {
        [
            Step {
                op: Op::AddAgent(a.clone()),
                dt: 0,
                advance_first: false,
            },
            Step {
                op: Op::LogIn(a.id),
                dt: 0,
                advance_first: false,
            },
        ]
    });
    steps.splice(0..0, setup);
    let rate = router.weights().aging_per_second;
    let bound_ms = spread(router.weights()) / rate * 1000.0;
    let mut ledger = Ledger::default();
    let mut now = Timestamp::ZERO;
    let split = split.map(|k| k % (steps.len() + 1));
    let mut twin = None;
    for (i, s) in steps.into_iter().enumerate() {
        if split == Some(i) {
            twin = Some(twin_of(&router, scoring.clone()));
        }
        now = Timestamp::from_millis(now.as_millis().saturating_add_signed(s.dt));
        let mut world = World {
            router: &mut router,
            twin: twin.as_mut(),
            naive: &mut naive,
            ledger: &mut ledger,
            compare_state,
            bound_ms,
        };
        if s.advance_first {
            world.call(&Op::Advance, now);
        }
        world.call(&s.op, now);
    }
    if let Some(twin) = twin {
        assert_eq!(
            twin.snapshot(),
            router.snapshot(),
            "the restored router drifted"
        );
    }
}

/// Both routers and the test's ledger, for one call at a time.
struct World<'a> {
    router: &'a mut Router,
    /// A router restored from a snapshot of `router`, given the same calls.
    twin: Option<&'a mut Router>,
    naive: &'a mut Naive,
    ledger: &'a mut Ledger,
    compare_state: bool,
    bound_ms: f64,
}

impl World<'_> {
    /// Applies `op` to both routers, checks they agree, updates the ledger
    /// and checks the invariants.
    fn call(&mut self, op: &Op, now: Timestamp) {
        let loads_before = loads(self.naive);
        let target = match op {
            Op::Finish(t) => (Some(resolve(self.naive, *t, Some(true))), None),
            Op::Abandon(t) => (Some(resolve(self.naive, *t, Some(false))), None),
            Op::Sentiment(t, _) | Op::Transfer(t, _) | Op::SwitchChannel(t, ..) => {
                (Some(resolve(self.naive, *t, None)), None)
            }
            // Mostly a contact whose queue offers callbacks.
            Op::RequestCallback(t, _) => {
                let offers = |c: &NContact| {
                    self.naive.queues[&c.contact.queue]
                        .config
                        .callbacks
                        .is_some()
                };
                let pick =
                    |c: &NContact| c.waiting() && (offers(c) || now.as_millis().is_multiple_of(4));
                (Some(resolve_where(self.naive, *t, pick)), None)
            }
            Op::CallbackUnanswered(t) => (
                Some(resolve_where(self.naive, *t, |c| {
                    c.agent.is_some() && c.callback.is_some()
                })),
                None,
            ),
            Op::Accept(t, a) | Op::Reject(t, a) => resolve_offer(self.naive, *t, *a),
            _ => (None, None),
        };
        let (before, snapshot) = if self.compare_state {
            (format!("{:?}", self.router), Some(self.router.snapshot()))
        } else {
            (String::new(), None)
        };
        let a = on_router(self.router, op, now, target);
        let b = on_naive(self.naive, op, now, target);
        assert_eq!(a, b, "op {op:?} at {now}");
        if let Some(twin) = self.twin.as_deref_mut() {
            let t = on_router(twin, op, now, target);
            assert_eq!(t, a, "the restored router differs: op {op:?} at {now}");
        }
        // A refused operation leaves the router exactly as it was, indexes
        // included (a full or unstaffed queue only counts the refusal in its
        // statistics).
        if let Some(snapshot) = snapshot
            && let Err(e) = &a
            && !matches!(
                e,
                RouterError::QueueFull { .. } | RouterError::Unstaffed { .. }
            )
        {
            assert_eq!(self.router.snapshot(), snapshot, "{e} changed the state");
            assert_eq!(
                format!("{:?}", self.router),
                before,
                "{e} changed the indexes"
            );
        }
        match (op, &a, target.0) {
            (Op::Arrive(c), Ok(_), _) => {
                self.ledger.held.insert(c.id, None);
            }
            (Op::Finish(_) | Op::Abandon(_), Ok(_), Some(c)) => {
                self.ledger.held.remove(&c);
            }
            // The attempt is over: the callback is held off the queue (or
            // has failed, which its decision says).
            (Op::CallbackUnanswered(_), Ok(_), Some(c)) => {
                self.ledger.held.insert(c, None);
            }
            _ => {}
        }
        let chosen = self.ledger.record(&a, target.0, op);
        self.check_step(&a, &chosen, &loads_before);
    }
}

fn loads(naive: &Naive) -> BTreeMap<AgentId, [u8; 4]> {
    naive.agents.iter().map(|(id, a)| (*id, a.load)).collect()
}

/// The invariants after one call, given its outcome.
impl World<'_> {
    fn check_step(
        &self,
        outcome: &Result<Vec<Decision>, RouterError>,
        chosen: &[(ContactId, AgentId)],
        loads_before: &BTreeMap<AgentId, [u8; 4]>,
    ) {
        let (router, naive, ledger, bound_ms) =
            (&*self.router, &*self.naive, &*self.ledger, self.bound_ms);
        let assigned = chosen;
        // Contacts some decision of this call names: they may have been offered
        // (not waiting) when another contact was chosen, and waiting again by
        // the end of the call; or escalated or transferred during the call
        // (a preference ending, a step widening or requiring a skill), so
        // that an agent may take them only from then on.
        let touched: BTreeSet<ContactId> = outcome
            .iter()
            .flatten()
            .filter_map(|d| match d {
                Decision::Offered { contact, .. }
                | Decision::OfferEnded { contact, .. }
                | Decision::Queued { contact, .. }
                | Decision::Assigned { contact, .. }
                | Decision::Escalated { contact, .. }
                | Decision::Transferred { contact, .. } => Some(*contact),
                _ => None,
            })
            .collect();
        // Contacts chosen for an agent and escalated later in the same call
        // (an offer made in one queue, then the contact overflowed while
        // ringing): their rank now is not the one they were chosen at.
        let mut chosen_so_far = BTreeSet::new();
        let mut moved_after_choice = BTreeSet::new();
        for d in outcome.iter().flatten() {
            match d {
                Decision::Offered { contact, .. } | Decision::Assigned { contact, .. } => {
                    chosen_so_far.insert(*contact);
                }
                Decision::Escalated { contact, .. } | Decision::Transferred { contact, .. }
                    if chosen_so_far.contains(contact) =>
                {
                    moved_after_choice.insert(*contact);
                }
                _ => {}
            }
        }
        // Aging bounds every wait: when an agent takes a contact, no contact it
        // could have taken instead (same rank, no delay, same channel) and that
        // waited throughout the call arrived more than spread / aging before it.
        for (cid, aid) in assigned {
            if moved_after_choice.contains(cid) {
                continue;
            }
            let (Some(y), Some(agent)) = (naive.contacts.get(cid), naive.agents.get(aid)) else {
                continue;
            };
            let Some((mine, _)) = naive.rank_of(agent, y) else {
                continue;
            };
            // A contact that prefers this agent may go first by policy
            // (preferred first), even when its preference ended later in the
            // same call; aging orders the others.
            if y.contact
                .preference
                .as_ref()
                .is_some_and(|p| p.agents().contains(aid))
            {
                continue;
            }
            // Its arrival as the reference keeps it (a resumed caller keeps
            // the first one).
            let t = y.arrived;
            for x in naive
                .contacts
                .values()
                .filter(|c| c.waiting() && !touched.contains(&c.contact.id))
            {
                // Inbound contacts go before tasks, whatever their age, and
                // a task goes as its own queue's blending rule allows.
                let rule = |c: &NContact| naive.queues[&c.contact.queue].config.outbound;
                let overtaken = naive.rank_of(agent, x) == Some((mine, TimeSpan::ZERO))
                    && x.contact.channel == y.contact.channel
                    && rule(x) == rule(y);
                if overtaken {
                    assert!(
                        t.as_millis() as f64 - x.arrived.as_millis() as f64 <= bound_ms + 1.0,
                        "{cid} (arrived {t}) overtook {} (arrived {})",
                        x.contact.id,
                        x.arrived
                    );
                }
            }
        }
        check_invariants(router, naive, ledger, assigned, loads_before);
    }
}

/// What the test knows independently of both routers: the contacts held
/// (with their agent once connected) and the pending offers.
#[derive(Default)]
struct Ledger {
    held: BTreeMap<ContactId, Option<AgentId>>,
    /// Pending offers, with the queue each was made in.
    offers: BTreeMap<(ContactId, AgentId), QueueId>,
}

impl Ledger {
    /// Applies one call's decisions; returns the agents chosen for contacts
    /// in it (offers made, and connections made without an offer).
    fn record(
        &mut self,
        r: &Result<Vec<Decision>, RouterError>,
        target: Option<ContactId>,
        op: &Op,
    ) -> Vec<(ContactId, AgentId)> {
        let mut chosen = Vec::new();
        let Ok(ds) = r else {
            return chosen;
        };
        let mut won = Vec::new();
        for d in ds {
            match d {
                Decision::Offered {
                    contact,
                    agent,
                    queue,
                    ..
                } => {
                    assert_eq!(
                        self.held.get(contact),
                        Some(&None),
                        "{contact} offered but not held"
                    );
                    assert!(
                        self.offers.insert((*contact, *agent), *queue).is_none(),
                        "{contact} offered to {agent} twice"
                    );
                    chosen.push((*contact, *agent));
                }
                Decision::CallbackFailed { contact, .. } => {
                    assert!(
                        self.held.remove(contact).is_some(),
                        "{contact} failed but not held"
                    );
                    assert!(
                        !self.offers.keys().any(|o| o.0 == *contact),
                        "{contact} failed but still offered"
                    );
                }
                Decision::Transferred { contact, .. } => {
                    // A transfer out of service puts the contact back to waiting.
                    if let Some(held) = self.held.get_mut(contact) {
                        *held = None;
                    }
                }
                Decision::OfferEnded { contact, agent, .. } => {
                    assert!(
                        self.offers.remove(&(*contact, *agent)).is_some(),
                        "{contact}: an offer to {agent} ended twice"
                    );
                }
                Decision::Assigned { contact, agent, .. } => {
                    let had_offers = self.offers.keys().any(|o| o.0 == *contact);
                    if had_offers {
                        assert!(
                            self.offers.remove(&(*contact, *agent)).is_some(),
                            "{agent} won {contact} without an offer"
                        );
                        won.push(*contact);
                    } else {
                        chosen.push((*contact, *agent));
                    }
                    let prev = self.held.insert(*contact, Some(*agent));
                    assert_eq!(prev, Some(None), "{contact} assigned twice or unknown");
                }
                _ => {}
            }
        }
        // One winner: when an offer is accepted, every other offer of the
        // contact is withdrawn in the same call.
        for c in won {
            assert!(
                !self.offers.keys().any(|o| o.0 == c),
                "{c} still offered after it was accepted"
            );
        }
        // An abandoned contact leaves no offer behind.
        if let (Op::Abandon(_), Some(c)) = (op, target) {
            assert!(
                !self.offers.keys().any(|o| o.0 == c),
                "{c} abandoned but still offered"
            );
        }
        chosen
    }

    fn offered(&self, c: ContactId) -> usize {
        self.offers.keys().filter(|o| o.0 == c).count()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// The fast router and the naive reference agree on every decision and
    /// error, and the invariants hold after every step.
    #[test]
    fn router_matches_naive_reference(
        queues in queue_configs(),
        agents in proptest::collection::vec(agent_spec(), 3..8),
        steps in proptest::collection::vec(step(), 1..120),
        seed in any::<u64>(),
        split in any::<usize>(),
    ) {
        run(queues, agents, steps, seed, true, Some(split));
    }
}

/// A world large enough that popular requirement profiles have hundreds of
/// eligible agents, so the router's dense paths (bitsets, idle orders) are
/// compared with the reference too.
fn dense_world(seed: u64) -> (Vec<QueueConfig>, Vec<AgentSpec>, Vec<Step>) {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(seed);
    let selections = [
        Selection::LongestIdle(IdleMeasure::SinceLastContact),
        Selection::LongestIdle(IdleMeasure::SinceAvailable),
        Selection::MostProficient,
    ];
    let queues: Vec<QueueConfig> = (0..QUEUES)
        .map(|q| {
            QueueConfig::new(QueueId::new(q))
                .selection(selections[q as usize % selections.len()])
                .wrap_up(TimeSpan::from_secs(rng.random_range(0..3)))
        })
        .collect();
    let agents: Vec<AgentSpec> = (0..400)
        .map(|i| {
            let mut spec = AgentSpec::new(AgentId::new(i))
                .capacity(Capacity::voice().with(Channel::Chat, rng.random_range(0..3)));
            for _ in 0..rng.random_range(1..4) {
                let level = Proficiency::new(rng.random_range(1..=10)).unwrap();
                spec = spec.skill(SkillId::new(rng.random_range(0..3)), level);
            }
            let mut profile = RoutingProfile::new();
            for q in 0..QUEUES {
                if rng.random_bool(0.9) {
                    let delay = if rng.random_bool(0.2) { 10 } else { 0 };
                    profile = profile.serve_after(
                        QueueId::new(q),
                        rng.random_range(1..3),
                        TimeSpan::from_secs(delay),
                    );
                }
            }
            spec.profile(profile)
        })
        .collect();
    let mut steps = Vec::new();
    for n in 0..800u64 {
        let op = match rng.random_range(0..20) {
            0..=8 => {
                let mut req = Requirements::new();
                for _ in 0..rng.random_range(0..3) {
                    let min = Proficiency::new(rng.random_range(1..=4)).unwrap();
                    req = req.skill(SkillId::new(rng.random_range(0..3)), min);
                }
                let ch = if rng.random_bool(0.7) {
                    Channel::Voice
                } else {
                    Channel::Chat
                };
                Op::Arrive(
                    Contact::new(
                        ContactId::new(1_000 + n),
                        QueueId::new(rng.random_range(0..QUEUES)),
                        ch,
                    )
                    .stage(LifecycleStage::ALL[rng.random_range(0..5)])
                    .requirements(req),
                )
            }
            9..=15 => Op::Finish(Target::Existing(rng.random_range(0..usize::MAX))),
            16 => Op::Abandon(Target::Existing(rng.random_range(0..usize::MAX))),
            17 => Op::NotReady(AgentId::new(rng.random_range(0..400))),
            18 => Op::Ready(AgentId::new(rng.random_range(0..400))),
            _ => Op::Advance,
        };
        steps.push(Step {
            op,
            dt: rng.random_range(0..2_000),
            advance_first: true,
        });
    }
    (queues, agents, steps)
}

/// The dense world against the reference, for a few seeds.
#[test]
fn dense_world_matches_naive_reference() {
    for seed in 0..2 {
        let (queues, agents, steps) = dense_world(seed);
        run(
            queues,
            agents,
            steps,
            seed,
            false,
            Some(400 + 150 * seed as usize),
        );
    }
}

/// A world where every inbound queue offers callbacks and one queue holds
/// outbound tasks: callbacks granted, held, connected, unanswered, retried,
/// expired and called off, channel switches and purpose menus, many times
/// over, against the reference.
fn callback_world(seed: u64) -> (Vec<QueueConfig>, Vec<AgentSpec>, Vec<Step>) {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(seed);
    let policy = |rng: &mut rand_pcg::Pcg64Mcg| CallbackPolicy {
        offer_above: TimeSpan::from_secs([0, 15, 120][rng.random_range(0..3)]),
        retries: [0, 2, 255][rng.random_range(0..3)],
        retry_after: TimeSpan::from_secs(rng.random_range(0..20)),
        window: rng
            .random_bool(0.5)
            .then(|| TimeSpan::from_secs(rng.random_range(5..200))),
    };
    let (q0, q1, tasks) = (QueueId::new(0), QueueId::new(1), QueueId::new(2));
    let queues = vec![
        QueueConfig::new(q0).callbacks(policy(&mut rng)),
        QueueConfig::new(q1)
            .callbacks(policy(&mut rng))
            .offer(OfferPolicy::new(TimeSpan::from_secs(4)))
            .wrap_up(TimeSpan::from_secs(2)),
        QueueConfig::new(tasks)
            .outbound(Outbound {
                keep_idle: rng.random_range(0..3),
            })
            .purpose(PurposeRoute::new(PurposeId::new(1), q0))
            .purpose(PurposeRoute::new(PurposeId::new(2), q1)),
    ];
    let agents: Vec<AgentSpec> = (0..12)
        .map(|i| {
            let mut profile = RoutingProfile::new();
            for q in [q0, q1, tasks] {
                if rng.random_bool(0.7) {
                    let delay = if rng.random_bool(0.2) { 8 } else { 0 };
                    profile =
                        profile.serve_after(q, rng.random_range(1..3), TimeSpan::from_secs(delay));
                }
            }
            AgentSpec::new(AgentId::new(i))
                .capacity(Capacity::voice().with(Channel::Chat, rng.random_range(0..3)))
                .profile(profile)
        })
        .collect();
    let mut steps = Vec::new();
    for n in 0..600u64 {
        let any = |rng: &mut rand_pcg::Pcg64Mcg| Target::Existing(rng.random_range(0..usize::MAX));
        let op = match rng.random_range(0..24) {
            0..=6 => {
                let ch = if rng.random_bool(0.7) {
                    Channel::Voice
                } else {
                    Channel::Chat
                };
                let q = QueueId::new(rng.random_range(0..3));
                let mut c = Contact::new(ContactId::new(1_000 + n), q, ch)
                    .stage(LifecycleStage::ALL[rng.random_range(0..5)]);
                if q == tasks && rng.random_bool(0.5) {
                    c = c.purpose(PurposeId::new(rng.random_range(1..4)));
                }
                Op::Arrive(c)
            }
            7..=9 => Op::RequestCallback(
                any(&mut rng),
                rng.random_bool(0.3)
                    .then(|| rng.random_range(-1_000..90_000)),
            ),
            10..=12 => Op::CallbackUnanswered(any(&mut rng)),
            13..=15 => Op::Finish(any(&mut rng)),
            16 => Op::Abandon(any(&mut rng)),
            17 => Op::Accept(any(&mut rng), AgentTarget::Offered),
            18 => Op::SwitchChannel(
                any(&mut rng),
                if rng.random_bool(0.5) {
                    Channel::Voice
                } else {
                    Channel::Chat
                },
                QueueId::new(rng.random_range(0..3)),
            ),
            19 => Op::NotReady(AgentId::new(rng.random_range(0..12))),
            20 => Op::Ready(AgentId::new(rng.random_range(0..12))),
            _ => Op::Advance,
        };
        steps.push(Step {
            op,
            dt: rng.random_range(0..6_000),
            advance_first: true,
        });
    }
    (queues, agents, steps)
}

/// The callback world against the reference, for a few seeds.
#[test]
fn callback_world_matches_naive_reference() {
    for seed in 0..12 {
        let (queues, agents, steps) = callback_world(seed);
        run(queues, agents, steps, seed, seed < 2, Some(300));
    }
}
