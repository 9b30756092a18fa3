//! A deliberately naive reference router: linear scans over every agent and
//! every contact, no index. It implements the documented semantics of
//! `Router` directly, so the fast router must make exactly the same
//! decisions and return exactly the same errors: agents and their states,
//! arrivals (purpose menus, the customer's language, stages read off the
//! context, known agents), offers in every mode, escalation ladders and the
//! upset rule, transfers and channel switches, resumed callers and repeat
//! contacts, callbacks (granted by the wait estimate, held, retried,
//! expired, called off) and outbound tasks under the blending rule.

use callroute::*;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Presence {
    LoggedOut,
    Ready,
    NotReady(NotReadyReason),
}

#[derive(Debug, Clone)]
pub struct NAgent {
    pub spec: AgentSpec,
    pub presence: Presence,
    pub load: [u8; 4],
    pub in_service: u32,
    pub wrap_ups: Vec<(usize, (Timestamp, u64))>,
    pub last_end: Timestamp,
    pub available_since: Timestamp,
    pub handled: u64,
    pub offers: u32,
    pub rest: Option<(Timestamp, u64)>,
    pub missed: u8,
}

#[derive(Debug, Clone)]
pub struct NContact {
    pub contact: Contact,
    pub reqs: Requirements,
    pub seq: u64,
    pub arrived: Timestamp,
    pub agent: Option<AgentId>,
    /// Pending offers: the agent and its timeout's key.
    pub offers: Vec<(AgentId, (Timestamp, u64))>,
    pub extend: Option<(Timestamp, u64)>,
    pub delays_scheduled: bool,
    /// Queues whose agents may also take it (in the order queues were
    /// added, which the tests make the order of ids).
    pub widen: Vec<QueueId>,
    pub entered: Timestamp,
    pub step: u8,
    pub step_timer: Option<(Timestamp, u64)>,
    pub bonus: f64,
    pub upset: bool,
    /// While not empty, only these agents may take it (its preference).
    pub only: Vec<AgentId>,
    pub prefer_timer: Option<(Timestamp, u64)>,
    /// The queue the customer called.
    pub called: QueueId,
    /// Where its stage came from.
    pub stage_source: StageSource,
    /// Whether its customer's last contact ended within the repeat window.
    pub repeat: bool,
    /// The queue that counts it (where it arrived, or was transferred to
    /// from service).
    pub home: QueueId,
    /// Its callback, once the customer asked for one.
    pub callback: Option<NCallback>,
}

/// A contact's callback, as `CallbackPolicy` documents it.
#[derive(Debug, Clone, Copy, Default)]
pub struct NCallback {
    /// Attempts the customer did not answer.
    pub attempts: u8,
    /// While held off the queue: the timer bringing it back.
    pub held: Option<(Timestamp, u64)>,
    /// When its window closes, if it has one.
    pub until: Option<Timestamp>,
    /// While not connected within a window: the timer closing it.
    pub expiry: Option<(Timestamp, u64)>,
}

impl NContact {
    /// `contact.queue` is the queue it is in now (it changes on overflow).
    fn new(contact: Contact, reqs: Requirements, seq: u64, now: Timestamp) -> Self {
        let only = contact
            .preference
            .as_ref()
            .filter(|p| p.wait_up_to() > TimeSpan::ZERO)
            .map(|p| p.agents().to_vec())
            .unwrap_or_default();
        NContact {
            only,
            prefer_timer: None,
            stage_source: StageSource::Given,
            repeat: false,
            called: contact.queue,
            home: contact.queue,
            callback: None,
            contact,
            reqs,
            seq,
            arrived: now,
            agent: None,
            offers: Vec::new(),
            extend: None,
            delays_scheduled: false,
            widen: Vec::new(),
            entered: now,
            step: 0,
            step_timer: None,
            bonus: 0.0,
            upset: false,
        }
    }

    /// The agent's routing entry that lets it take this contact (none for
    /// an agent it does not prefer while its preference holds).
    fn entry<'a>(&self, spec: &'a AgentSpec) -> Option<&'a ProfileEntry> {
        if !self.only.is_empty() && !self.only.contains(&spec.id) {
            return None;
        }
        std::iter::once(self.contact.queue)
            .chain(self.widen.iter().copied())
            .find_map(|q| spec.profile.entry(q))
    }

    /// Neither offered, in service nor a held callback.
    pub fn waiting(&self) -> bool {
        self.agent.is_none() && self.offers.is_empty() && !self.held()
    }

    /// A callback held off the queue.
    pub fn held(&self) -> bool {
        self.callback.is_some_and(|cb| cb.held.is_some())
    }
}

#[derive(Debug, Clone)]
pub struct NQueue {
    pub config: QueueConfig,
    pub last: Option<AgentId>,
    pub waiting: u64,
    /// When it last answered, and the running mean interval between its
    /// answers (the newest weighs a fifth), as `WaitEstimate` defines it.
    pub answered: Option<Timestamp>,
    pub mean_gap: Option<TimeSpan>,
}

#[derive(Debug, Clone, Copy)]
enum NTimer {
    WrapUp(AgentId),
    Delay(ContactId, u64),
    OfferTimeout(ContactId, AgentId),
    Extend(ContactId),
    Rest(AgentId),
    Step(ContactId),
    PreferEnds(ContactId),
    CallbackDue(ContactId),
    CallbackExpires(ContactId),
}

#[derive(Debug, Clone)]
pub struct Naive {
    pub weights: PriorityWeights,
    stage_rule: StageRule,
    scoring: NScoring,
    missed: MissedOffers,
    pub clock: Timestamp,
    rng: Pcg64Mcg,
    pub queues: BTreeMap<QueueId, NQueue>,
    pub agents: BTreeMap<AgentId, NAgent>,
    pub contacts: BTreeMap<ContactId, NContact>,
    timers: BTreeMap<(Timestamp, u64), NTimer>,
    seq: u64,
    /// Places kept for callers who hung up: queue, first arrival, until.
    kept: BTreeMap<CustomerId, (QueueId, Timestamp, Timestamp)>,
    repeat_window: Option<TimeSpan>,
    /// When each customer's last contact stops counting for repeats.
    last_contact: BTreeMap<CustomerId, Timestamp>,
}

type Out = Vec<Decision>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NCause {
    Step,
    Upset,
    Transfer,
}

/// The product's scoring, if any.
#[derive(Clone)]
struct NScoring(Option<std::sync::Arc<dyn CustomScoring>>);

impl std::fmt::Debug for NScoring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NScoring({})", self.0.is_some())
    }
}

pub fn qualifies(spec: &AgentSpec, req: &Requirements) -> bool {
    req.skills()
        .iter()
        .all(|r| spec.proficiency(r.skill).is_some_and(|p| p >= r.min))
        && req
            .required_language()
            .is_none_or(|l| spec.languages.contains(&l))
}

fn prof_sum(spec: &AgentSpec, req: &Requirements) -> u64 {
    req.skills()
        .iter()
        .filter_map(|r| spec.proficiency(r.skill))
        .map(|p| u64::from(p.get()))
        .sum()
}

impl Naive {
    pub fn new(config: RouterConfig) -> Self {
        Naive {
            weights: config.weights,
            stage_rule: config.stage_rule,
            scoring: NScoring(None),
            missed: config.missed_offers,
            clock: Timestamp::ZERO,
            rng: Pcg64Mcg::seed_from_u64(config.rng_seed),
            queues: BTreeMap::new(),
            agents: BTreeMap::new(),
            contacts: BTreeMap::new(),
            timers: BTreeMap::new(),
            seq: 0,
            kept: BTreeMap::new(),
            repeat_window: config.repeat_window,
            last_contact: BTreeMap::new(),
        }
    }

    fn take_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    fn schedule(&mut self, at: Timestamp, t: NTimer) -> (Timestamp, u64) {
        let k = (at, self.take_seq());
        self.timers.insert(k, t);
        k
    }

    fn check_time(&self, now: Timestamp) -> Result<(), RouterError> {
        if now < self.clock {
            return Err(RouterError::TimeWentBackwards {
                now,
                clock: self.clock,
            });
        }
        match self.timers.keys().next() {
            Some(k) if k.0 <= now => Err(RouterError::TimersDue { due: k.0 }),
            _ => Ok(()),
        }
    }

    fn agent(&self, id: AgentId) -> Result<&NAgent, RouterError> {
        self.agents.get(&id).ok_or(RouterError::UnknownAgent(id))
    }

    fn check_spec(&self, spec: &AgentSpec) -> Result<(), RouterError> {
        if spec.capacity.total() == 0 {
            return Err(RouterError::NoCapacity(spec.id));
        }
        for e in spec.profile.entries() {
            if !self.queues.contains_key(&e.queue) {
                return Err(RouterError::UnknownQueue(e.queue));
            }
        }
        Ok(())
    }

    fn base(&self, q: QueueId) -> f64 {
        self.queues.get(&q).map_or(0.0, |q| q.config.base_priority)
    }

    pub fn set_scoring(&mut self, s: Option<std::sync::Arc<dyn CustomScoring>>) {
        self.scoring = NScoring(s);
    }

    fn points(&self, c: &NContact) -> f64 {
        let p = self
            .scoring
            .0
            .as_ref()
            .map_or(0.0, |s| s.contact_points(&c.contact));
        if p.is_finite() { p } else { 0.0 }
    }

    fn agent_score(&self, a: &NAgent, c: &Contact) -> f64 {
        let p = self
            .scoring
            .0
            .as_ref()
            .map_or(0.0, |s| s.agent_score(&a.spec, c));
        if p.is_finite() { p } else { 0.0 }
    }

    fn key(&self, c: &NContact) -> f64 {
        let s = self.weights.static_score(
            self.base(c.contact.queue),
            c.contact.stage.unwrap_or_default(),
            c.contact.sentiment,
            c.contact.value,
        ) + c.bonus
            + self.repeat_points(c)
            + self.points(c);
        self.weights.order_key(s, c.arrived)
    }

    fn breakdown(&self, c: &NContact, now: Timestamp) -> PriorityBreakdown {
        let mut b = self.weights.breakdown(
            self.base(c.contact.queue),
            c.contact.stage.unwrap_or_default(),
            c.contact.sentiment,
            c.contact.value,
            now.saturating_since(c.arrived),
        );
        b.stage_source = c.stage_source;
        let custom = self.points(c);
        b.escalation = c.bonus;
        b.custom = custom;
        b.repeat = self.repeat_points(c);
        b.total += c.bonus + custom + b.repeat;
        b
    }

    fn repeat_points(&self, c: &NContact) -> f64 {
        if c.repeat { self.weights.repeat } else { 0.0 }
    }

    /// Chooses among `candidates` (sorted by id) with the queue's strategy.
    fn select(
        &mut self,
        queue: QueueId,
        req: &Requirements,
        contact: &Contact,
        candidates: Vec<AgentId>,
    ) -> Option<AgentId> {
        let q = self.queues.get(&queue)?;
        let sel = q.config.selection;
        let last = q.last;
        if candidates.is_empty() {
            return None;
        }
        if sel == Selection::Custom {
            return candidates.into_iter().min_by(|x, y| {
                let (a, b) = (&self.agents[x], &self.agents[y]);
                let busy = |a: &NAgent| a.load.iter().any(|&l| l > 0);
                self.agent_score(b, contact)
                    .total_cmp(&self.agent_score(a, contact))
                    .then(busy(a).cmp(&busy(b)))
                    .then(a.last_end.cmp(&b.last_end))
                    .then(x.cmp(y))
            });
        }
        match sel {
            Selection::Random | Selection::WeightedRandom => {
                let pool: Vec<(AgentId, u64)> = candidates
                    .iter()
                    .map(|id| {
                        let w = if sel == Selection::WeightedRandom {
                            prof_sum(&self.agents[id].spec, req).max(1)
                        } else {
                            1
                        };
                        (*id, w)
                    })
                    .collect();
                let total: u64 = pool.iter().map(|p| p.1).sum();
                let mut r = self.rng.random_range(0..total);
                for (id, w) in pool {
                    if r < w {
                        return Some(id);
                    }
                    r -= w;
                }
                None
            }
            _ => candidates.into_iter().min_by_key(|id| {
                let a = &self.agents[id];
                let busy = u64::from(a.load.iter().any(|&l| l > 0));
                let end = a.last_end.as_millis();
                let raw = id.get();
                match sel {
                    Selection::LongestIdle(IdleMeasure::SinceLastContact) => (busy, end, 0, raw),
                    Selection::LongestIdle(IdleMeasure::SinceAvailable) => {
                        (busy, a.available_since.as_millis(), 0, raw)
                    }
                    Selection::MostProficient => {
                        (u64::MAX - prof_sum(&a.spec, req), busy, end, raw)
                    }
                    Selection::LeastOccupied => (u64::from(a.in_service), end, 0, raw),
                    Selection::FewestHandled => (a.handled, busy, end, raw),
                    _ => {
                        let start = last.map_or(0, |l| l.get().wrapping_add(1));
                        (u64::from(raw.wrapping_sub(start)), 0, 0, raw)
                    }
                }
            }),
        }
    }

    /// Whether `a` may take `c` now (ignoring presence), with its rank.
    fn may_take(&self, a: &NAgent, c: &NContact, now: Timestamp, delayed_only: bool) -> Option<u8> {
        let e = c.entry(&a.spec)?;
        if delayed_only && e.delay == TimeSpan::ZERO {
            return None;
        }
        let ok = a.presence == Presence::Ready
            && a.rest.is_none()
            && a.spec.capacity.admits(&a.load, c.contact.channel)
            && qualifies(&a.spec, &c.reqs)
            && now.as_millis() >= e.delay.as_millis()
            && c.arrived.as_millis() <= now.as_millis() - e.delay.as_millis();
        ok.then_some(self.rank(c, e.rank))
    }

    /// The rank an agent with queue rank `rank` gives the contact: 0 while
    /// it prefers that agent, if its queue lets preferred agents go first.
    fn rank(&self, c: &NContact, rank: u8) -> u8 {
        if !c.only.is_empty() && self.queues[&c.contact.queue].config.preferred_first {
            0
        } else {
            rank
        }
    }

    /// The rank and delay with which agent `a` may take contact `c`,
    /// whatever the agent's state.
    pub fn rank_of(&self, a: &NAgent, c: &NContact) -> Option<(u8, TimeSpan)> {
        let e = c.entry(&a.spec)?;
        qualifies(&a.spec, &c.reqs).then(|| (self.rank(c, e.rank), e.delay))
    }

    /// Whether `c` is an outbound task (its queue is outbound now).
    pub fn is_task(&self, c: &NContact) -> bool {
        self.queues
            .get(&c.contact.queue)
            .is_some_and(|q| q.config.outbound.is_some())
    }

    /// Ready, resting from no offer, and holding nothing.
    fn idle(a: &NAgent) -> bool {
        a.presence == Presence::Ready && a.rest.is_none() && a.load == [0; 4]
    }

    /// Whether the blending rule lets agent `a` take `c`: any contact but a
    /// task, and a task unless `a` is idle while no more than the rule's
    /// `keep_idle` agents are.
    fn blend_allows(&self, a: &NAgent, c: &NContact) -> bool {
        let Some(rule) = self
            .queues
            .get(&c.contact.queue)
            .and_then(|q| q.config.outbound)
        else {
            return true;
        };
        let idle = self.agents.values().filter(|a| Self::idle(a)).count();
        !Self::idle(a) || idle > rule.keep_idle as usize
    }

    /// Places waiting tasks while the rule allows: the best waiting task
    /// (score, then arrival) that some agent may take goes to the best such
    /// agent; again until none can go.
    fn blend(&mut self, now: Timestamp, out: &mut Out) {
        loop {
            let mut tasks: Vec<(f64, u64, ContactId)> = self
                .contacts
                .values()
                .filter(|c| c.waiting() && self.is_task(c))
                .map(|c| (self.key(c), c.seq, c.contact.id))
                .collect();
            tasks.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            let placed = tasks
                .iter()
                .find_map(|t| self.best_free(t.2, now).map(|a| (t.2, a)));
            let Some((cid, aid)) = placed else {
                return;
            };
            self.unqueue(cid);
            self.give(cid, aid, now, out);
        }
    }

    fn assign(&mut self, cid: ContactId, aid: AgentId, now: Timestamp, out: &mut Out) {
        let ch = self.contacts[&cid].contact.channel.index();
        if let Some(a) = self.agents.get_mut(&aid) {
            a.load[ch] += 1;
        }
        self.connect(cid, aid, now, out);
    }

    /// In service with `aid`, whose load already counts the contact.
    fn connect(&mut self, cid: ContactId, aid: AgentId, now: Timestamp, out: &mut Out) {
        let c = &self.contacts[&cid];
        let priority = self.breakdown(c, now);
        let waited = now.saturating_since(c.arrived);
        let queue = c.contact.queue;
        let callback = c.callback.is_some();
        if let Some(c) = self.contacts.get_mut(&cid) {
            c.agent = Some(aid);
        }
        for k in self
            .contacts
            .get_mut(&cid)
            .map(|c| {
                let expiry = c.callback.as_mut().and_then(|cb| cb.expiry.take());
                [c.step_timer.take(), c.prefer_timer.take(), expiry]
            })
            .into_iter()
            .flatten()
            .flatten()
        {
            self.timers.remove(&k);
        }
        if let Some(a) = self.agents.get_mut(&aid) {
            a.in_service += 1;
        }
        if let Some(q) = self.queues.get_mut(&queue) {
            q.last = Some(aid);
            if let Some(last) = q.answered {
                let gap = now.saturating_since(last).as_millis() as i64;
                q.mean_gap = Some(TimeSpan::from_millis(match q.mean_gap {
                    Some(m) => {
                        let m = m.as_millis() as i64;
                        (m + (gap - m) / 5) as u64
                    }
                    None => gap as u64,
                }));
            }
            q.answered = Some(now);
        }
        out.push(Decision::Assigned {
            contact: cid,
            agent: aid,
            queue,
            waited,
            priority,
            callback,
        });
    }

    /// Connects, or offers under the queue's policy.
    fn give(&mut self, cid: ContactId, aid: AgentId, now: Timestamp, out: &mut Out) {
        let queue = self.contacts[&cid].contact.queue;
        let Some(policy) = self.queues[&queue].config.offer else {
            self.assign(cid, aid, now, out);
            return;
        };
        self.offer(cid, aid, policy, now, out);
        match policy.mode {
            OfferMode::One => {}
            OfferMode::RingAll { agents } => {
                while self.contacts[&cid].offers.len() < usize::from(agents) {
                    let Some(more) = self.best_free(cid, now) else {
                        break;
                    };
                    self.offer(cid, more, policy, now, out);
                }
            }
            OfferMode::Progressive { every, .. } => {
                let k = self.schedule(now + every, NTimer::Extend(cid));
                if let Some(c) = self.contacts.get_mut(&cid) {
                    c.extend = Some(k);
                }
            }
        }
    }

    fn offer(
        &mut self,
        cid: ContactId,
        aid: AgentId,
        policy: OfferPolicy,
        now: Timestamp,
        out: &mut Out,
    ) {
        let c = &self.contacts[&cid];
        let priority = self.breakdown(c, now);
        let queue = c.contact.queue;
        let ch = c.contact.channel.index();
        let expires = now + policy.timeout;
        let k = self.schedule(expires, NTimer::OfferTimeout(cid, aid));
        if let Some(c) = self.contacts.get_mut(&cid) {
            c.offers.push((aid, k));
        }
        if let Some(a) = self.agents.get_mut(&aid) {
            a.load[ch] += 1;
            a.offers += 1;
        }
        if let Some(q) = self.queues.get_mut(&queue) {
            q.last = Some(aid);
        }
        out.push(Decision::Offered {
            contact: cid,
            agent: aid,
            queue,
            expires,
            priority,
        });
    }

    /// The best agent that may take `cid` now and holds no offer of it.
    fn best_free(&mut self, cid: ContactId, now: Timestamp) -> Option<AgentId> {
        let c = &self.contacts[&cid];
        let candidates: Vec<AgentId> = self
            .agents
            .values()
            .filter(|a| !c.offers.iter().any(|o| o.0 == a.spec.id))
            .filter(|a| self.may_take(a, c, now, false).is_some() && self.blend_allows(a, c))
            .map(|a| a.spec.id)
            .collect();
        let (queue, reqs, contact) = (c.contact.queue, c.reqs.clone(), c.contact.clone());
        self.select(queue, &reqs, &contact, candidates)
    }

    fn release(&mut self, cid: ContactId, aid: AgentId, end: OfferEnd, out: &mut Out) {
        let ch = self.contacts[&cid].contact.channel.index();
        if let Some(c) = self.contacts.get_mut(&cid) {
            c.offers.retain(|o| o.0 != aid);
        }
        if let Some(a) = self.agents.get_mut(&aid) {
            a.offers -= 1;
            a.load[ch] -= 1;
        }
        out.push(Decision::OfferEnded {
            contact: cid,
            agent: aid,
            end,
        });
    }

    fn end_offer(
        &mut self,
        cid: ContactId,
        aid: AgentId,
        end: OfferEnd,
        now: Timestamp,
        out: &mut Out,
    ) {
        self.release(cid, aid, end, out);
        let rules = self.missed;
        let mut rest = if end == OfferEnd::NoAnswer {
            rules.no_answer_rest
        } else {
            rules.reject_rest
        };
        if end == OfferEnd::NoAnswer
            && let Some(a) = self.agents.get_mut(&aid)
        {
            a.missed = a.missed.saturating_add(1);
            if a.presence == Presence::Ready && a.missed >= rules.not_ready_after.get() {
                a.presence = Presence::NotReady(NotReadyReason::MissedOffers);
                a.missed = 0;
                rest = TimeSpan::ZERO;
                out.push(Decision::AgentNotReady {
                    agent: aid,
                    reason: NotReadyReason::MissedOffers,
                });
            }
        }
        if rest > TimeSpan::ZERO {
            if let Some(old) = self.agents.get_mut(&aid).and_then(|a| a.rest.take()) {
                self.timers.remove(&old);
            }
            let k = self.schedule(now + rest, NTimer::Rest(aid));
            if let Some(a) = self.agents.get_mut(&aid) {
                a.rest = Some(k);
            }
        }
        self.after_offers_ended(cid, &[aid], now, out);
    }

    fn after_offers_ended(
        &mut self,
        cid: ContactId,
        freed: &[AgentId],
        now: Timestamp,
        out: &mut Out,
    ) {
        let c = &self.contacts[&cid];
        let requeued = c.offers.is_empty() && c.agent.is_none();
        if requeued {
            if let Some(c) = self.contacts.get_mut(&cid) {
                c.delays_scheduled = false;
            }
            if let Some(k) = self.contacts.get_mut(&cid).and_then(|c| c.extend.take()) {
                self.timers.remove(&k);
            }
            self.enqueue(cid, now, out);
        }
        for &a in freed {
            self.pull(a, now, out);
        }
        if requeued
            && self.contacts[&cid].waiting()
            && !self.is_task(&self.contacts[&cid])
            && let Some(other) = self.best_free(cid, now)
        {
            self.unqueue(cid);
            self.give(cid, other, now, out);
        }
    }

    /// Withdraws offers of a contact to agents who may no longer take it
    /// (it escalated, or the agent changed): not qualified, not served by
    /// the profile (yet), or without the capacity for it.
    fn withdraw_disallowed(&mut self, cid: ContactId, now: Timestamp, out: &mut Out) {
        let c = &self.contacts[&cid];
        let ch = c.contact.channel;
        let gone: Vec<(AgentId, (Timestamp, u64))> = c
            .offers
            .iter()
            .copied()
            .filter(|(a, _)| {
                let spec = &self.agents[a].spec;
                let mut load = self.agents[a].load;
                load[ch.index()] -= 1;
                let ok = spec.capacity.admits(&load, ch)
                    && qualifies(spec, &c.reqs)
                    && c.entry(spec)
                        .is_some_and(|e| e.delay == TimeSpan::ZERO || c.arrived + e.delay <= now);
                !ok
            })
            .collect();
        if gone.is_empty() {
            return;
        }
        for (a, k) in &gone {
            self.timers.remove(k);
            self.release(cid, *a, OfferEnd::Withdrawn, out);
        }
        let freed: Vec<AgentId> = gone.iter().map(|g| g.0).collect();
        self.after_offers_ended(cid, &freed, now, out);
    }

    /// Waits; the first time, the delays still to come get timers.
    fn enqueue(&mut self, cid: ContactId, now: Timestamp, out: &mut Out) {
        let c = &self.contacts[&cid];
        let priority = self.breakdown(c, now);
        let (queue, seq, arrived) = (c.contact.queue, c.seq, c.arrived);
        if !c.delays_scheduled {
            let delays = self.delays_for(c, None);
            for d in delays {
                if arrived + d > now {
                    self.schedule(arrived + d, NTimer::Delay(cid, seq));
                }
            }
        }
        if let Some(c) = self.contacts.get_mut(&cid) {
            c.delays_scheduled = true;
        }
        if let Some(q) = self.queues.get_mut(&queue) {
            q.waiting += 1;
        }
        out.push(Decision::Queued {
            contact: cid,
            queue,
            priority,
        });
    }

    fn pending(&self, cid: ContactId, aid: AgentId, now: Timestamp) -> Result<(), RouterError> {
        let c = self
            .contacts
            .get(&cid)
            .ok_or(RouterError::UnknownContact(cid))?;
        self.agent(aid)?;
        self.check_time(now)?;
        if !c.offers.iter().any(|o| o.0 == aid) {
            return Err(RouterError::NoSuchOffer {
                contact: cid,
                agent: aid,
            });
        }
        Ok(())
    }

    pub fn accept(
        &mut self,
        cid: ContactId,
        aid: AgentId,
        now: Timestamp,
    ) -> Result<Out, RouterError> {
        self.pending(cid, aid, now)?;
        self.clock = now;
        let c = self.contacts.get_mut(&cid).unwrap();
        let offers = std::mem::take(&mut c.offers);
        let extend = c.extend.take();
        for k in offers.iter().map(|o| o.1).chain(extend) {
            self.timers.remove(&k);
        }
        if let Some(a) = self.agents.get_mut(&aid) {
            a.offers -= 1;
            a.missed = 0;
        }
        let mut out = Vec::new();
        self.connect(cid, aid, now, &mut out);
        let ch = self.contacts[&cid].contact.channel.index();
        for (other, _) in offers.into_iter().filter(|o| o.0 != aid) {
            if let Some(a) = self.agents.get_mut(&other) {
                a.offers -= 1;
                a.load[ch] -= 1;
            }
            out.push(Decision::OfferEnded {
                contact: cid,
                agent: other,
                end: OfferEnd::Withdrawn,
            });
            self.pull(other, now, &mut out);
        }
        self.blend(now, &mut out);
        Ok(out)
    }

    pub fn reject(
        &mut self,
        cid: ContactId,
        aid: AgentId,
        now: Timestamp,
    ) -> Result<Out, RouterError> {
        self.pending(cid, aid, now)?;
        self.clock = now;
        let k = self.contacts[&cid]
            .offers
            .iter()
            .find(|o| o.0 == aid)
            .unwrap()
            .1;
        self.timers.remove(&k);
        let mut out = Vec::new();
        self.end_offer(cid, aid, OfferEnd::Rejected, now, &mut out);
        self.blend(now, &mut out);
        Ok(out)
    }

    /// The agents holding an offer of `cid`.
    pub fn offered_to(&self, cid: ContactId) -> Vec<AgentId> {
        self.contacts
            .get(&cid)
            .map(|c| c.offers.iter().map(|o| o.0).collect())
            .unwrap_or_default()
    }

    fn unqueue(&mut self, cid: ContactId) {
        let q = self.contacts[&cid].contact.queue;
        if let Some(q) = self.queues.get_mut(&q) {
            q.waiting -= 1;
        }
    }

    fn pull(&mut self, aid: AgentId, now: Timestamp, out: &mut Out) {
        loop {
            let a = &self.agents[&aid];
            let best = self
                .contacts
                .values()
                .filter(|c| c.waiting() && !self.is_task(c))
                .filter_map(|c| self.may_take(a, c, now, false).map(|rank| (rank, c)))
                .min_by(|x, y| {
                    x.0.cmp(&y.0)
                        .then(self.key(y.1).total_cmp(&self.key(x.1)))
                        .then(x.1.seq.cmp(&y.1.seq))
                })
                .map(|(_, c)| c.contact.id);
            let Some(cid) = best else { return };
            self.unqueue(cid);
            self.give(cid, aid, now, out);
        }
    }

    /// Distinct delays of agents that may serve `c` after a delay.
    fn delays_for(&self, c: &NContact, except: Option<AgentId>) -> Vec<TimeSpan> {
        let mut d: Vec<TimeSpan> = self
            .agents
            .values()
            .filter(|a| Some(a.spec.id) != except && qualifies(&a.spec, &c.reqs))
            .filter_map(|a| c.entry(&a.spec))
            .map(|e| e.delay)
            .filter(|d| *d > TimeSpan::ZERO)
            .collect();
        d.sort();
        d.dedup();
        d
    }

    fn wake_for_new_agent(&mut self, aid: AgentId) {
        let a = &self.agents[&aid];
        let mut wake = Vec::new();
        for c in self.contacts.values().filter(|c| c.waiting()) {
            let Some(e) = c.entry(&a.spec) else {
                continue;
            };
            if e.delay == TimeSpan::ZERO || !qualifies(&a.spec, &c.reqs) {
                continue;
            }
            if self.delays_for(c, Some(aid)).contains(&e.delay) {
                continue;
            }
            let due = c.arrived + e.delay;
            if due > self.clock {
                wake.push((c.seq, c.contact.id, due));
            }
        }
        wake.sort();
        for (seq, cid, due) in wake {
            self.schedule(due, NTimer::Delay(cid, seq));
        }
    }

    // ----- operations, mirroring Router --------------------------------

    pub fn add_queue(&mut self, config: QueueConfig) -> Result<(), RouterError> {
        if self.queues.contains_key(&config.id) {
            return Err(RouterError::DuplicateQueue(config.id));
        }
        if config.offer.is_some_and(|p| !p.is_valid()) {
            return Err(RouterError::InvalidOfferPolicy(config.id));
        }
        if !config.base_priority.is_finite() {
            return Err(RouterError::InvalidBasePriority {
                queue: config.id,
                value: config.base_priority,
            });
        }
        self.queues.insert(
            config.id,
            NQueue {
                config,
                last: None,
                waiting: 0,
                answered: None,
                mean_gap: None,
            },
        );
        Ok(())
    }

    pub fn add_agent(&mut self, spec: AgentSpec) -> Result<(), RouterError> {
        if self.agents.contains_key(&spec.id) {
            return Err(RouterError::DuplicateAgent(spec.id));
        }
        self.check_spec(&spec)?;
        let id = spec.id;
        self.agents.insert(
            id,
            NAgent {
                spec,
                presence: Presence::LoggedOut,
                load: [0; 4],
                in_service: 0,
                wrap_ups: Vec::new(),
                last_end: Timestamp::ZERO,
                available_since: Timestamp::ZERO,
                handled: 0,
                offers: 0,
                rest: None,
                missed: 0,
            },
        );
        self.wake_for_new_agent(id);
        Ok(())
    }

    pub fn update_agent(&mut self, spec: AgentSpec, now: Timestamp) -> Result<Out, RouterError> {
        self.agent(spec.id)?;
        self.check_time(now)?;
        self.check_spec(&spec)?;
        self.clock = now;
        let id = spec.id;
        if let Some(a) = self.agents.get_mut(&id) {
            a.spec = spec;
        }
        self.wake_for_new_agent(id);
        let mut out = Vec::new();
        let mut offered: Vec<(u64, ContactId)> = self
            .contacts
            .values()
            .filter(|c| c.offers.iter().any(|(a, _)| *a == id))
            .map(|c| (c.seq, c.contact.id))
            .collect();
        offered.sort_unstable();
        for (_, cid) in offered {
            self.withdraw_disallowed(cid, now, &mut out);
        }
        self.pull(id, now, &mut out);
        self.blend(now, &mut out);
        Ok(out)
    }

    pub fn remove_agent(&mut self, id: AgentId) -> Result<(), RouterError> {
        if self.agent(id)?.presence != Presence::LoggedOut {
            return Err(RouterError::AgentLoggedIn(id));
        }
        self.agents.remove(&id);
        Ok(())
    }

    pub fn log_in(&mut self, id: AgentId, now: Timestamp) -> Result<Out, RouterError> {
        self.agent(id)?;
        self.check_time(now)?;
        if self.agent(id)?.presence != Presence::LoggedOut {
            return Err(RouterError::AgentLoggedIn(id));
        }
        self.clock = now;
        if let Some(a) = self.agents.get_mut(&id) {
            a.presence = Presence::Ready;
            a.last_end = now;
            a.available_since = now;
            a.handled = 0;
        }
        let mut out = Vec::new();
        self.pull(id, now, &mut out);
        self.blend(now, &mut out);
        Ok(out)
    }

    pub fn log_out(&mut self, id: AgentId, now: Timestamp) -> Result<(), RouterError> {
        self.agent(id)?;
        self.check_time(now)?;
        let a = self.agent(id)?;
        if a.presence == Presence::LoggedOut {
            return Err(RouterError::AgentLoggedOut(id));
        }
        if a.in_service > 0 || a.offers > 0 {
            return Err(RouterError::AgentHasContacts(id));
        }
        let keys: Vec<_> = a.wrap_ups.iter().map(|w| w.1).chain(a.rest).collect();
        self.clock = now;
        for k in keys {
            self.timers.remove(&k);
        }
        if let Some(a) = self.agents.get_mut(&id) {
            a.presence = Presence::LoggedOut;
            a.wrap_ups.clear();
            a.rest = None;
            a.load = [0; 4];
        }
        Ok(())
    }

    fn logged_in(&self, id: AgentId, now: Timestamp) -> Result<(), RouterError> {
        self.agent(id)?;
        self.check_time(now)?;
        if self.agent(id)?.presence == Presence::LoggedOut {
            return Err(RouterError::AgentLoggedOut(id));
        }
        Ok(())
    }

    pub fn set_ready(&mut self, id: AgentId, now: Timestamp) -> Result<Out, RouterError> {
        self.logged_in(id, now)?;
        self.clock = now;
        if let Some(a) = self.agents.get_mut(&id)
            && a.presence != Presence::Ready
        {
            a.presence = Presence::Ready;
            a.available_since = now;
        }
        let mut out = Vec::new();
        self.pull(id, now, &mut out);
        self.blend(now, &mut out);
        Ok(out)
    }

    pub fn set_not_ready(
        &mut self,
        id: AgentId,
        reason: NotReadyReason,
        now: Timestamp,
    ) -> Result<(), RouterError> {
        self.logged_in(id, now)?;
        self.clock = now;
        if let Some(a) = self.agents.get_mut(&id) {
            a.presence = Presence::NotReady(reason);
        }
        Ok(())
    }

    fn wrap_up_ended(&mut self, id: AgentId, key: (Timestamp, u64), at: Timestamp, out: &mut Out) {
        let Some(a) = self.agents.get_mut(&id) else {
            return;
        };
        let Some(i) = a.wrap_ups.iter().position(|w| w.1 == key) else {
            return;
        };
        let (ch, _) = a.wrap_ups.swap_remove(i);
        a.load[ch] -= 1;
        a.last_end = at;
        a.available_since = at;
        out.push(Decision::WrapUpEnded { agent: id, at });
    }

    pub fn end_wrap_up(&mut self, id: AgentId, now: Timestamp) -> Result<Out, RouterError> {
        self.agent(id)?;
        self.check_time(now)?;
        let keys: Vec<_> = self.agent(id)?.wrap_ups.iter().map(|w| w.1).collect();
        if keys.is_empty() {
            return Err(RouterError::AgentNotInWrapUp(id));
        }
        self.clock = now;
        let mut out = Vec::new();
        for k in keys {
            self.timers.remove(&k);
            self.wrap_up_ended(id, k, now, &mut out);
        }
        self.pull(id, now, &mut out);
        self.blend(now, &mut out);
        Ok(out)
    }

    pub fn arrive(&mut self, mut contact: Contact, now: Timestamp) -> Result<Out, RouterError> {
        // The entry queue's menu moves it first, then its queue may
        // require the customer's language.
        if let Some(purpose) = contact.purpose {
            let q = self
                .queues
                .get(&contact.queue)
                .ok_or(RouterError::UnknownQueue(contact.queue))?;
            let e = q
                .config
                .purposes
                .iter()
                .find(|e| e.purpose == purpose)
                .ok_or(RouterError::UnknownPurpose {
                    queue: contact.queue,
                    purpose,
                })?;
            contact.queue = e.queue;
            contact.requirements = e.requirements.merged(&contact.requirements);
        }
        if self
            .queues
            .get(&contact.queue)
            .is_some_and(|q| q.config.language_from_context)
            && contact.requirements.required_language().is_none()
            && let Some(language) = contact.context.as_deref().and_then(|c| c.language)
        {
            contact.requirements = contact.requirements.clone().language(language);
        }
        if self.contacts.contains_key(&contact.id) {
            return Err(RouterError::DuplicateContact(contact.id));
        }
        let Some(q) = self.queues.get(&contact.queue) else {
            return Err(RouterError::UnknownQueue(contact.queue));
        };
        self.check_time(now)?;
        // The stage: given, or read off the context (the documented rule).
        let (stage, stage_source) = self.stage_rule.resolve(&contact, now);
        contact.stage = Some(stage);
        // No preference of its own: the agents its customer knows, if the
        // queue waits for them.
        if contact.preference.is_none()
            && let Some(wait) = q.config.prefer_known_agents
            && let Some(ctx) = contact.context.as_deref()
        {
            let mut known: Vec<AgentId> = ctx.account_manager.into_iter().collect();
            known.extend(ctx.last_agent);
            if !known.is_empty() {
                contact.preference = Some(Preference::new(known, wait));
            }
        }
        let reqs = q.config.requirements.merged(&contact.requirements);
        let resumed = contact
            .customer
            .and_then(|cu| self.kept.get(&cu))
            .filter(|k| k.0 == contact.queue && now <= k.2)
            .map(|k| k.1);
        let mut probe = NContact::new(contact.clone(), reqs, 0, now);
        probe.stage_source = stage_source;
        if let Some(first) = resumed {
            probe.arrived = first;
            if probe
                .contact
                .preference
                .as_ref()
                .is_some_and(|p| p.wait_up_to() <= now.saturating_since(first))
            {
                probe.only.clear();
            }
        }
        let upset = q
            .config
            .upset
            .filter(|r| contact.sentiment.get() < r.below)
            .map(|r| r.action);
        if let Some(action) = upset {
            self.apply(&mut probe, action, now);
            probe.upset = true;
        }
        let queue = probe.contact.queue;
        let candidates: Vec<AgentId> = self
            .agents
            .values()
            .filter(|a| self.may_take(a, &probe, now, false).is_some())
            .filter(|a| self.blend_allows(a, &probe))
            .map(|a| a.spec.id)
            .collect();
        let chosen = self.select(queue, &probe.reqs.clone(), &contact, candidates);
        let q = &self.queues[&queue];
        let staffed = self.agents.values().any(|a| {
            a.presence != Presence::LoggedOut
                && qualifies(&a.spec, &probe.reqs)
                && probe.entry(&a.spec).is_some()
        });
        if chosen.is_none() && q.config.unstaffed == Unstaffed::Refuse && !staffed {
            return Err(RouterError::Unstaffed {
                queue,
                contact: contact.id,
            });
        }
        if chosen.is_none()
            && q.config
                .max_waiting
                .is_some_and(|m| q.waiting >= u64::from(m))
        {
            return Err(RouterError::QueueFull {
                queue,
                contact: contact.id,
            });
        }
        self.clock = now;
        if resumed.is_some()
            && let Some(cu) = contact.customer
        {
            self.kept.remove(&cu);
        }
        self.kept.retain(|_, k| k.2 >= now);
        if let Some(cu) = contact.customer.filter(|_| !self.is_task(&probe))
            && let Some(until) = self.last_contact.remove(&cu)
        {
            probe.repeat = now <= until;
        }
        probe.seq = self.take_seq();
        let id = contact.id;
        self.contacts.insert(id, probe);
        let mut out = Vec::new();
        if let Some(action) = upset {
            out.push(Decision::Escalated {
                contact: id,
                queue,
                action,
                upset: true,
            });
        }
        match chosen {
            Some(a) => self.give(id, a, now, &mut out),
            None => self.enqueue(id, now, &mut out),
        }
        self.schedule_preference(id);
        self.schedule_step(id);
        self.blend(now, &mut out);
        Ok(out)
    }

    fn schedule_preference(&mut self, cid: ContactId) {
        let c = &self.contacts[&cid];
        if c.only.is_empty() || c.agent.is_some() {
            return;
        }
        let Some(limit) = c.contact.preference.as_ref().map(|p| p.wait_up_to()) else {
            return;
        };
        let k = self.schedule(c.arrived + limit, NTimer::PreferEnds(cid));
        if let Some(c) = self.contacts.get_mut(&cid) {
            c.prefer_timer = Some(k);
        }
    }

    /// Changes `c` as `action` says (not its routing).
    fn apply(&self, c: &mut NContact, action: Escalation, now: Timestamp) {
        match action {
            Escalation::RelaxProficiency { by } => c.reqs = c.reqs.relaxed(by),
            Escalation::DropSkill { skill } => c.reqs = c.reqs.without(skill),
            Escalation::DropLanguage => c.reqs = c.reqs.without_language(),
            Escalation::RequireSkill { skill, min } => c.reqs = c.reqs.clone().skill(skill, min),
            Escalation::Widen { queue } => {
                if queue != c.contact.queue && !c.widen.contains(&queue) {
                    c.widen.push(queue);
                    c.widen.sort();
                }
            }
            Escalation::Overflow { queue } if queue != c.contact.queue => {
                let own = self.original_requirements(c);
                c.reqs = self.queues[&queue].config.requirements.merged(&own);
                c.contact.queue = queue;
                c.widen.clear();
                c.entered = now;
                c.step = 0;
            }
            Escalation::Overflow { .. } => {}
            Escalation::RaisePriority { points } => c.bonus += points,
            Escalation::DropPreference => c.only.clear(),
        }
    }

    fn original_requirements(&self, c: &NContact) -> Requirements {
        c.contact.requirements.clone()
    }

    fn schedule_step(&mut self, cid: ContactId) {
        let c = &self.contacts[&cid];
        if c.step_timer.is_some() || c.agent.is_some() {
            return;
        }
        let Some(step) = self.queues[&c.contact.queue]
            .config
            .escalation
            .get(usize::from(c.step))
        else {
            return;
        };
        let due = c.entered + step.after;
        let k = self.schedule(due, NTimer::Step(cid));
        if let Some(c) = self.contacts.get_mut(&cid) {
            c.step_timer = Some(k);
        }
    }

    /// Applies `action` to a waiting or offered contact and routes a waiting
    /// one again.
    fn escalate(
        &mut self,
        cid: ContactId,
        action: Escalation,
        cause: NCause,
        now: Timestamp,
        out: &mut Out,
    ) {
        let waiting = self.contacts[&cid].waiting();
        if waiting {
            self.unqueue(cid);
        }
        let mut c = self.contacts.remove(&cid).unwrap();
        let before = c.contact.queue;
        self.apply(&mut c, action, now);
        if c.contact.queue != before
            && let Some(k) = c.step_timer.take()
        {
            self.timers.remove(&k);
        }
        if c.only.is_empty()
            && let Some(k) = c.prefer_timer.take()
        {
            self.timers.remove(&k);
        }
        let queue = c.contact.queue;
        self.contacts.insert(cid, c);
        out.push(match cause {
            NCause::Transfer => Decision::Transferred {
                contact: cid,
                queue,
            },
            _ => Decision::Escalated {
                contact: cid,
                queue,
                action,
                upset: cause == NCause::Upset,
            },
        });
        if let Some(c) = self.contacts.get_mut(&cid) {
            c.delays_scheduled = false;
        }
        if waiting {
            match self.best_free(cid, now) {
                Some(a) => self.give(cid, a, now, out),
                None => self.enqueue(cid, now, out),
            }
        } else {
            self.withdraw_disallowed(cid, now, out);
        }
    }

    pub fn transfer(
        &mut self,
        cid: ContactId,
        to: QueueId,
        now: Timestamp,
    ) -> Result<Out, RouterError> {
        self.transfer_on(cid, to, None, now)
    }

    /// A transfer, onto `channel` if given (its agent's load is the old
    /// channel's).
    fn transfer_on(
        &mut self,
        cid: ContactId,
        to: QueueId,
        channel: Option<Channel>,
        now: Timestamp,
    ) -> Result<Out, RouterError> {
        let c = self
            .contacts
            .get(&cid)
            .ok_or(RouterError::UnknownContact(cid))?;
        if !self.queues.contains_key(&to) {
            return Err(RouterError::UnknownQueue(to));
        }
        self.check_time(now)?;
        self.clock = now;
        let mut out = Vec::new();
        let action = Escalation::Overflow { queue: to };
        let ch = c.contact.channel.index();
        let agent = c.agent;
        if let (Some(channel), Some(c)) = (channel, self.contacts.get_mut(&cid)) {
            c.contact.channel = channel;
        }
        let Some(aid) = agent else {
            self.escalate(cid, action, NCause::Transfer, now, &mut out);
            self.schedule_step(cid);
            self.blend(now, &mut out);
            return Ok(out);
        };
        if let Some(a) = self.agents.get_mut(&aid) {
            a.in_service -= 1;
            a.handled += 1;
            a.load[ch] -= 1;
            a.last_end = now;
            a.available_since = now;
        }
        let mut c = self.contacts.remove(&cid).unwrap();
        c.agent = None;
        c.home = to;
        self.apply(&mut c, action, now);
        let queue = c.contact.queue;
        c.delays_scheduled = false;
        self.contacts.insert(cid, c);
        out.push(Decision::Transferred {
            contact: cid,
            queue,
        });
        self.enqueue(cid, now, &mut out);
        self.pull(aid, now, &mut out);
        if self.contacts[&cid].waiting()
            && let Some(other) = self.best_free(cid, now)
        {
            self.unqueue(cid);
            self.give(cid, other, now, &mut out);
        }
        self.schedule_step(cid);
        self.blend(now, &mut out);
        Ok(out)
    }

    /// `Router::switch_channel`: a waiting or in-service contact changes
    /// channel, then moves as a transfer does.
    pub fn switch_channel(
        &mut self,
        cid: ContactId,
        channel: Channel,
        to: QueueId,
        now: Timestamp,
    ) -> Result<Out, RouterError> {
        let c = self
            .contacts
            .get(&cid)
            .ok_or(RouterError::UnknownContact(cid))?;
        if !self.queues.contains_key(&to) {
            return Err(RouterError::UnknownQueue(to));
        }
        self.check_time(now)?;
        if !(c.waiting() || c.agent.is_some()) {
            return Err(RouterError::ContactNotWaiting(cid));
        }
        let from = c.contact.channel;
        let mut out = vec![Decision::ChannelSwitched {
            contact: cid,
            from,
            to: channel,
        }];
        out.extend(self.transfer_on(cid, to, Some(channel), now)?);
        Ok(out)
    }

    fn check_upset(&mut self, cid: ContactId, now: Timestamp, out: &mut Out) {
        let c = &self.contacts[&cid];
        if c.upset || c.agent.is_some() {
            return;
        }
        let Some(rule) = self.queues[&c.contact.queue]
            .config
            .upset
            .filter(|r| c.contact.sentiment.get() < r.below)
        else {
            return;
        };
        if let Some(c) = self.contacts.get_mut(&cid) {
            c.upset = true;
        }
        self.escalate(cid, rule.action, NCause::Upset, now, out);
        self.schedule_step(cid);
    }

    pub fn finish(&mut self, id: ContactId, now: Timestamp) -> Result<Out, RouterError> {
        let c = self
            .contacts
            .get(&id)
            .ok_or(RouterError::UnknownContact(id))?;
        self.check_time(now)?;
        let Some(aid) = c.agent else {
            return Err(RouterError::ContactNotInService(id));
        };
        let ch = c.contact.channel.index();
        let wrap = self.queues[&c.contact.queue].config.wrap_up;
        let task = self.queues[&c.home].config.outbound.is_some();
        if let (Some(cu), Some(w), false) = (c.contact.customer, self.repeat_window, task) {
            self.last_contact.insert(cu, now + w);
        }
        self.clock = now;
        self.contacts.remove(&id);
        let timer = (wrap > TimeSpan::ZERO).then(|| self.schedule(now + wrap, NTimer::WrapUp(aid)));
        if let Some(a) = self.agents.get_mut(&aid) {
            a.in_service -= 1;
            a.handled += 1;
            match timer {
                Some(k) => a.wrap_ups.push((ch, k)),
                None => {
                    a.load[ch] -= 1;
                    a.last_end = now;
                    a.available_since = now;
                }
            }
        }
        let mut out = Vec::new();
        self.pull(aid, now, &mut out);
        self.blend(now, &mut out);
        Ok(out)
    }

    pub fn abandon(&mut self, id: ContactId, now: Timestamp) -> Result<Out, RouterError> {
        let c = self
            .contacts
            .get(&id)
            .ok_or(RouterError::UnknownContact(id))?;
        self.check_time(now)?;
        if c.agent.is_some() {
            return Err(RouterError::ContactNotWaiting(id));
        }
        self.clock = now;
        let mut out = Vec::new();
        if c.waiting() {
            self.unqueue(id);
        }
        let Some(c) = self.remove_contact(id) else {
            return Ok(out);
        };
        self.kept.retain(|_, k| k.2 >= now);
        if let (Some(cu), Some(window)) = (
            c.contact.customer.filter(|_| c.callback.is_none()),
            self.queues
                .get(&c.called)
                .and_then(|q| q.config.resume_within),
        ) {
            self.kept.insert(cu, (c.called, c.arrived, now + window));
        }
        self.withdraw_all(&c, now, &mut out);
        self.blend(now, &mut out);
        Ok(out)
    }

    pub fn update_sentiment(
        &mut self,
        id: ContactId,
        s: Sentiment,
        now: Timestamp,
    ) -> Result<Out, RouterError> {
        self.contacts
            .get(&id)
            .ok_or(RouterError::UnknownContact(id))?;
        self.check_time(now)?;
        self.clock = now;
        if let Some(c) = self.contacts.get_mut(&id) {
            c.contact.sentiment = s;
        }
        let mut out = Vec::new();
        self.check_upset(id, now, &mut out);
        self.blend(now, &mut out);
        Ok(out)
    }

    /// The expected further wait of waiting `cid`, as `WaitEstimate`
    /// defines it.
    pub fn expected_wait(&self, cid: ContactId) -> Option<TimeSpan> {
        let (ahead, agents) = self.position(cid);
        let gap = self.queues[&self.contacts[&cid].contact.queue].mean_gap?;
        (agents > 0).then(|| TimeSpan::from_millis(gap.as_millis() * (u64::from(ahead) + 1)))
    }

    /// `Router::request_callback`.
    pub fn request_callback(
        &mut self,
        cid: ContactId,
        at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<Out, RouterError> {
        let c = self
            .contacts
            .get(&cid)
            .ok_or(RouterError::UnknownContact(cid))?;
        self.check_time(now)?;
        if !c.waiting() || c.callback.is_some() {
            return Err(RouterError::ContactNotWaiting(cid));
        }
        let q = &self.queues[&c.contact.queue];
        let Some(policy) = q.config.callbacks else {
            return Err(RouterError::CallbacksNotOffered(q.config.id));
        };
        let later = at.filter(|&t| t > now);
        if later.is_none()
            && let Some(expected) = self.expected_wait(cid)
            && expected < policy.offer_above
        {
            return Err(RouterError::CallbackNotNeeded {
                contact: cid,
                expected,
            });
        }
        self.clock = now;
        let until = policy.window.map(|w| later.unwrap_or(now) + w);
        if let Some(c) = self.contacts.get_mut(&cid) {
            c.callback = Some(NCallback {
                until,
                ..NCallback::default()
            });
        }
        if let Some(at) = later {
            self.unqueue(cid);
            self.hold(cid, at);
        }
        self.watch_window(cid);
        Ok(Vec::new())
    }

    fn hold(&mut self, cid: ContactId, at: Timestamp) {
        let k = self.schedule(at, NTimer::CallbackDue(cid));
        if let Some(cb) = self
            .contacts
            .get_mut(&cid)
            .and_then(|c| c.callback.as_mut())
        {
            cb.held = Some(k);
        }
    }

    fn watch_window(&mut self, cid: ContactId) {
        let Some(until) = self.contacts[&cid].callback.and_then(|cb| cb.until) else {
            return;
        };
        let k = self.schedule(until, NTimer::CallbackExpires(cid));
        if let Some(cb) = self
            .contacts
            .get_mut(&cid)
            .and_then(|c| c.callback.as_mut())
        {
            cb.expiry = Some(k);
        }
    }

    /// `Router::callback_unanswered`.
    pub fn callback_unanswered(
        &mut self,
        cid: ContactId,
        now: Timestamp,
    ) -> Result<Out, RouterError> {
        let c = self
            .contacts
            .get(&cid)
            .ok_or(RouterError::UnknownContact(cid))?;
        self.check_time(now)?;
        let Some(aid) = c.agent else {
            return Err(RouterError::ContactNotInService(cid));
        };
        let Some(cb) = c.callback else {
            return Err(RouterError::NotACallback(cid));
        };
        let policy = self.queues[&c.contact.queue]
            .config
            .callbacks
            .unwrap_or_default();
        let ch = c.contact.channel.index();
        self.clock = now;
        if let Some(a) = self.agents.get_mut(&aid) {
            a.in_service -= 1;
            a.load[ch] -= 1;
        }
        if let Some(c) = self.contacts.get_mut(&cid) {
            c.agent = None;
        }
        let retry = now + policy.retry_after;
        let mut out = Vec::new();
        if cb.attempts >= policy.retries || cb.until.is_some_and(|until| retry >= until) {
            self.end_callback(cid, &mut out);
        } else {
            if let Some(c) = self.contacts.get_mut(&cid) {
                c.callback = Some(NCallback {
                    attempts: cb.attempts + 1,
                    until: cb.until,
                    ..NCallback::default()
                });
            }
            self.hold(cid, retry);
            self.watch_window(cid);
        }
        self.pull(aid, now, &mut out);
        self.blend(now, &mut out);
        Ok(out)
    }

    /// The callback ends without reaching the customer.
    fn end_callback(&mut self, cid: ContactId, out: &mut Out) {
        if let Some(c) = self.remove_contact(cid) {
            out.push(Decision::CallbackFailed {
                contact: cid,
                queue: c.contact.queue,
            });
        }
    }

    /// Removes contact `cid` and every timer of it.
    fn remove_contact(&mut self, cid: ContactId) -> Option<NContact> {
        let c = self.contacts.remove(&cid)?;
        for k in c
            .offers
            .iter()
            .map(|o| o.1)
            .chain(c.extend)
            .chain(c.step_timer)
            .chain(c.prefer_timer)
            .chain(c.callback.and_then(|cb| cb.held))
            .chain(c.callback.and_then(|cb| cb.expiry))
        {
            self.timers.remove(&k);
        }
        Some(c)
    }

    /// The offers of removed contact `c` end (withdrawn); then their agents
    /// take other work.
    fn withdraw_all(&mut self, c: &NContact, now: Timestamp, out: &mut Out) {
        let ch = c.contact.channel.index();
        for (aid, _) in &c.offers {
            if let Some(a) = self.agents.get_mut(aid) {
                a.offers -= 1;
                a.load[ch] -= 1;
            }
            out.push(Decision::OfferEnded {
                contact: c.contact.id,
                agent: *aid,
                end: OfferEnd::Withdrawn,
            });
        }
        for (aid, _) in &c.offers {
            self.pull(*aid, now, out);
        }
    }

    fn callback_due(
        &mut self,
        cid: ContactId,
        key: (Timestamp, u64),
        at: Timestamp,
        out: &mut Out,
    ) {
        let Some(c) = self.contacts.get_mut(&cid) else {
            return;
        };
        let Some(cb) = c.callback.as_mut().filter(|cb| cb.held == Some(key)) else {
            return;
        };
        cb.held = None;
        c.delays_scheduled = false;
        match self.best_free(cid, at) {
            Some(a) => self.give(cid, a, at, out),
            None => self.enqueue(cid, at, out),
        }
    }

    fn callback_expires(
        &mut self,
        cid: ContactId,
        key: (Timestamp, u64),
        at: Timestamp,
        out: &mut Out,
    ) {
        let Some(c) = self.contacts.get_mut(&cid) else {
            return;
        };
        let Some(cb) = c.callback.as_mut().filter(|cb| cb.expiry == Some(key)) else {
            return;
        };
        cb.expiry = None;
        if c.agent.is_some() {
            return;
        }
        if c.waiting() {
            self.unqueue(cid);
        }
        let Some(c) = self.remove_contact(cid) else {
            return;
        };
        self.withdraw_all(&c, at, out);
        out.push(Decision::CallbackFailed {
            contact: cid,
            queue: c.contact.queue,
        });
    }

    pub fn advance(&mut self, now: Timestamp) -> Result<Out, RouterError> {
        if now < self.clock {
            return Err(RouterError::TimeWentBackwards {
                now,
                clock: self.clock,
            });
        }
        let mut out = Vec::new();
        while let Some(entry) = self.timers.first_entry() {
            let key = *entry.key();
            if key.0 > now {
                break;
            }
            let timer = entry.remove();
            self.clock = key.0;
            let at = key.0;
            'fire: {
                match timer {
                    NTimer::WrapUp(aid) => {
                        self.wrap_up_ended(aid, key, at, &mut out);
                        self.pull(aid, at, &mut out);
                    }
                    NTimer::Delay(cid, seq) => {
                        let Some(c) = self.contacts.get(&cid) else {
                            break 'fire;
                        };
                        if c.seq != seq || !c.waiting() {
                            break 'fire;
                        }
                        let candidates: Vec<AgentId> = self
                            .agents
                            .values()
                            .filter(|a| self.may_take(a, c, at, true).is_some())
                            .filter(|a| self.blend_allows(a, c))
                            .map(|a| a.spec.id)
                            .collect();
                        let reqs = c.reqs.clone();
                        let queue = c.contact.queue;
                        let contact = c.contact.clone();
                        if let Some(aid) = self.select(queue, &reqs, &contact, candidates) {
                            self.unqueue(cid);
                            self.give(cid, aid, at, &mut out);
                        }
                    }
                    NTimer::OfferTimeout(cid, aid) => {
                        self.end_offer(cid, aid, OfferEnd::NoAnswer, at, &mut out);
                    }
                    NTimer::Extend(cid) => {
                        let Some(c) = self.contacts.get_mut(&cid) else {
                            break 'fire;
                        };
                        c.extend = None;
                        let queue = c.contact.queue;
                        let Some(policy) = self.queues[&queue].config.offer else {
                            break 'fire;
                        };
                        let OfferMode::Progressive { every, agents } = policy.mode else {
                            break 'fire;
                        };
                        let mut rang = false;
                        if self.contacts[&cid].offers.len() < usize::from(agents)
                            && let Some(more) = self.best_free(cid, at)
                        {
                            self.offer(cid, more, policy, at, &mut out);
                            rang = true;
                        }
                        if rang && self.contacts[&cid].offers.len() < usize::from(agents) {
                            let k = self.schedule(at + every, NTimer::Extend(cid));
                            if let Some(c) = self.contacts.get_mut(&cid) {
                                c.extend = Some(k);
                            }
                        }
                    }
                    NTimer::Rest(aid) => {
                        if let Some(a) = self.agents.get_mut(&aid) {
                            a.rest = None;
                        }
                        self.pull(aid, at, &mut out);
                    }
                    NTimer::PreferEnds(cid) => {
                        if let Some(c) = self.contacts.get_mut(&cid) {
                            c.prefer_timer = None;
                        }
                        self.escalate(cid, Escalation::DropPreference, NCause::Step, at, &mut out);
                    }
                    NTimer::Step(cid) => {
                        let Some(c) = self.contacts.get_mut(&cid) else {
                            break 'fire;
                        };
                        c.step_timer = None;
                        let step = c.step;
                        c.step += 1;
                        let queue = c.contact.queue;
                        let action = self.queues[&queue]
                            .config
                            .escalation
                            .get(usize::from(step))
                            .map(|s| s.action);
                        if let Some(action) = action {
                            self.escalate(cid, action, NCause::Step, at, &mut out);
                        }
                        self.schedule_step(cid);
                    }
                    NTimer::CallbackDue(cid) => self.callback_due(cid, key, at, &mut out),
                    NTimer::CallbackExpires(cid) => self.callback_expires(cid, key, at, &mut out),
                }
            }
            self.blend(at, &mut out);
        }
        self.clock = now;
        Ok(out)
    }

    /// The position of a waiting contact as `Router::wait_estimate` defines
    /// it: contacts ranking ahead that share its group or a logged-in agent
    /// who may take both, and how many logged-in agents may take it.
    pub fn position(&self, cid: ContactId) -> (u32, u32) {
        let c = &self.contacts[&cid];
        let serves = |a: &NAgent, x: &NContact| {
            a.presence != Presence::LoggedOut
                && qualifies(&a.spec, &x.reqs)
                && x.entry(&a.spec).is_some()
        };
        let agents = self.agents.values().filter(|a| serves(a, c)).count() as u32;
        let (kc, sc) = (self.key(c), c.seq);
        let ahead = self
            .contacts
            .values()
            .filter(|x| x.waiting() && x.contact.id != cid)
            .filter(|x| {
                let kx = self.key(x);
                kx.total_cmp(&kc).then(sc.cmp(&x.seq)).is_gt()
            })
            .filter(|x| {
                let same = x.contact.queue == c.contact.queue
                    && x.contact.channel == c.contact.channel
                    && x.reqs == c.reqs
                    && x.widen == c.widen
                    && x.only == c.only;
                same || self.agents.values().any(|a| serves(a, c) && serves(a, x))
            })
            .count() as u32;
        (ahead, agents)
    }

    /// Whether any ready agent with free capacity may take a waiting contact.
    pub fn idle_agent_with_work(&self) -> Option<(AgentId, ContactId)> {
        for a in self.agents.values() {
            for c in self.contacts.values().filter(|c| c.waiting()) {
                if self.may_take(a, c, self.clock, false).is_some() && self.blend_allows(a, c) {
                    return Some((a.spec.id, c.contact.id));
                }
            }
        }
        None
    }
}
