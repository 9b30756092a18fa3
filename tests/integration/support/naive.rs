//! A deliberately naive reference router: linear scans over every agent and
//! every contact, no index. It implements the documented semantics of
//! `Router` directly, so the fast router must make exactly the same
//! decisions and return exactly the same errors.

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
}

#[derive(Debug, Clone)]
pub struct NContact {
    pub contact: Contact,
    pub reqs: Requirements,
    pub seq: u64,
    pub arrived: Timestamp,
    pub agent: Option<AgentId>,
}

#[derive(Debug, Clone)]
pub struct NQueue {
    pub config: QueueConfig,
    pub last: Option<AgentId>,
    pub waiting: u64,
}

#[derive(Debug, Clone, Copy)]
enum NTimer {
    WrapUp(AgentId),
    Delay(ContactId, u64),
}

#[derive(Debug, Clone)]
pub struct Naive {
    pub weights: PriorityWeights,
    pub clock: Timestamp,
    rng: Pcg64Mcg,
    pub queues: BTreeMap<QueueId, NQueue>,
    pub agents: BTreeMap<AgentId, NAgent>,
    pub contacts: BTreeMap<ContactId, NContact>,
    timers: BTreeMap<(Timestamp, u64), NTimer>,
    seq: u64,
}

type Out = Vec<Decision>;

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
            clock: Timestamp::ZERO,
            rng: Pcg64Mcg::seed_from_u64(config.rng_seed),
            queues: BTreeMap::new(),
            agents: BTreeMap::new(),
            contacts: BTreeMap::new(),
            timers: BTreeMap::new(),
            seq: 0,
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

    fn key(&self, c: &NContact) -> f64 {
        let s = self.weights.static_score(
            self.base(c.contact.queue),
            c.contact.stage,
            c.contact.sentiment,
            c.contact.value,
        );
        self.weights.order_key(s, c.arrived)
    }

    fn breakdown(&self, c: &NContact, now: Timestamp) -> PriorityBreakdown {
        self.weights.breakdown(
            self.base(c.contact.queue),
            c.contact.stage,
            c.contact.sentiment,
            c.contact.value,
            now.saturating_since(c.arrived),
        )
    }

    /// Chooses among `candidates` (sorted by id) with the queue's strategy.
    fn select(
        &mut self,
        queue: QueueId,
        req: &Requirements,
        candidates: Vec<AgentId>,
    ) -> Option<AgentId> {
        let q = self.queues.get(&queue)?;
        let sel = q.config.selection;
        let last = q.last;
        if candidates.is_empty() {
            return None;
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
        let e = a.spec.profile.entry(c.contact.queue)?;
        if delayed_only && e.delay == TimeSpan::ZERO {
            return None;
        }
        let ok = a.presence == Presence::Ready
            && a.spec.capacity.admits(&a.load, c.contact.channel)
            && qualifies(&a.spec, &c.reqs)
            && now.as_millis() >= e.delay.as_millis()
            && c.arrived.as_millis() <= now.as_millis() - e.delay.as_millis();
        ok.then_some(e.rank)
    }

    fn assign(&mut self, cid: ContactId, aid: AgentId, now: Timestamp, out: &mut Out) {
        let c = &self.contacts[&cid];
        let priority = self.breakdown(c, now);
        let waited = now.saturating_since(c.arrived);
        let queue = c.contact.queue;
        let ch = c.contact.channel.index();
        if let Some(c) = self.contacts.get_mut(&cid) {
            c.agent = Some(aid);
        }
        if let Some(a) = self.agents.get_mut(&aid) {
            a.load[ch] += 1;
            a.in_service += 1;
        }
        if let Some(q) = self.queues.get_mut(&queue) {
            q.last = Some(aid);
        }
        out.push(Decision::Assigned {
            contact: cid,
            agent: aid,
            queue,
            waited,
            priority,
        });
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
                .filter(|c| c.agent.is_none())
                .filter_map(|c| self.may_take(a, c, now, false).map(|rank| (rank, c)))
                .min_by(|x, y| {
                    x.0.cmp(&y.0)
                        .then(self.key(y.1).total_cmp(&self.key(x.1)))
                        .then(x.1.seq.cmp(&y.1.seq))
                })
                .map(|(_, c)| c.contact.id);
            let Some(cid) = best else { return };
            self.unqueue(cid);
            self.assign(cid, aid, now, out);
        }
    }

    /// Distinct delays of agents that may serve `c` after a delay.
    fn delays_for(&self, c: &NContact, except: Option<AgentId>) -> Vec<TimeSpan> {
        let mut d: Vec<TimeSpan> = self
            .agents
            .values()
            .filter(|a| Some(a.spec.id) != except && qualifies(&a.spec, &c.reqs))
            .filter_map(|a| a.spec.profile.entry(c.contact.queue))
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
        for c in self.contacts.values().filter(|c| c.agent.is_none()) {
            let Some(e) = a.spec.profile.entry(c.contact.queue) else {
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
        self.pull(id, now, &mut out);
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
        Ok(out)
    }

    pub fn log_out(&mut self, id: AgentId, now: Timestamp) -> Result<(), RouterError> {
        self.agent(id)?;
        self.check_time(now)?;
        let a = self.agent(id)?;
        if a.presence == Presence::LoggedOut {
            return Err(RouterError::AgentLoggedOut(id));
        }
        if a.in_service > 0 {
            return Err(RouterError::AgentHasContacts(id));
        }
        let keys: Vec<_> = a.wrap_ups.iter().map(|w| w.1).collect();
        self.clock = now;
        for k in keys {
            self.timers.remove(&k);
        }
        if let Some(a) = self.agents.get_mut(&id) {
            a.presence = Presence::LoggedOut;
            a.wrap_ups.clear();
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
        Ok(out)
    }

    pub fn arrive(&mut self, contact: Contact, now: Timestamp) -> Result<Out, RouterError> {
        if self.contacts.contains_key(&contact.id) {
            return Err(RouterError::DuplicateContact(contact.id));
        }
        let Some(q) = self.queues.get(&contact.queue) else {
            return Err(RouterError::UnknownQueue(contact.queue));
        };
        self.check_time(now)?;
        let reqs = q.config.requirements.merged(&contact.requirements);
        let probe = NContact {
            contact: contact.clone(),
            reqs: reqs.clone(),
            seq: 0,
            arrived: now,
            agent: None,
        };
        let candidates: Vec<AgentId> = self
            .agents
            .values()
            .filter(|a| {
                a.spec
                    .profile
                    .entry(contact.queue)
                    .is_some_and(|e| e.delay == TimeSpan::ZERO)
            })
            .filter(|a| self.may_take(a, &probe, now, false).is_some())
            .map(|a| a.spec.id)
            .collect();
        let chosen = self.select(contact.queue, &reqs, candidates);
        let q = &self.queues[&contact.queue];
        if chosen.is_none()
            && q.config
                .max_waiting
                .is_some_and(|m| q.waiting >= u64::from(m))
        {
            return Err(RouterError::QueueFull {
                queue: contact.queue,
                contact: contact.id,
            });
        }
        self.clock = now;
        let seq = self.take_seq();
        let id = contact.id;
        let queue = contact.queue;
        self.contacts.insert(
            id,
            NContact {
                contact,
                reqs,
                seq,
                arrived: now,
                agent: None,
            },
        );
        let mut out = Vec::new();
        match chosen {
            Some(a) => self.assign(id, a, now, &mut out),
            None => {
                let c = &self.contacts[&id];
                let priority = self.breakdown(c, now);
                let delays = self.delays_for(c, None);
                for d in delays {
                    self.schedule(now + d, NTimer::Delay(id, seq));
                }
                if let Some(q) = self.queues.get_mut(&queue) {
                    q.waiting += 1;
                }
                out.push(Decision::Queued {
                    contact: id,
                    queue,
                    priority,
                });
            }
        }
        Ok(out)
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
        Ok(out)
    }

    pub fn abandon(&mut self, id: ContactId, now: Timestamp) -> Result<(), RouterError> {
        let c = self
            .contacts
            .get(&id)
            .ok_or(RouterError::UnknownContact(id))?;
        self.check_time(now)?;
        if c.agent.is_some() {
            return Err(RouterError::ContactNotWaiting(id));
        }
        self.clock = now;
        self.unqueue(id);
        self.contacts.remove(&id);
        Ok(())
    }

    pub fn update_sentiment(
        &mut self,
        id: ContactId,
        s: Sentiment,
        now: Timestamp,
    ) -> Result<(), RouterError> {
        self.contacts
            .get(&id)
            .ok_or(RouterError::UnknownContact(id))?;
        self.check_time(now)?;
        self.clock = now;
        if let Some(c) = self.contacts.get_mut(&id) {
            c.contact.sentiment = s;
        }
        Ok(())
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
            match timer {
                NTimer::WrapUp(aid) => {
                    self.wrap_up_ended(aid, key, at, &mut out);
                    self.pull(aid, at, &mut out);
                }
                NTimer::Delay(cid, seq) => {
                    let Some(c) = self.contacts.get(&cid) else {
                        continue;
                    };
                    if c.seq != seq || c.agent.is_some() {
                        continue;
                    }
                    let candidates: Vec<AgentId> = self
                        .agents
                        .values()
                        .filter(|a| self.may_take(a, c, at, true).is_some())
                        .map(|a| a.spec.id)
                        .collect();
                    let reqs = c.reqs.clone();
                    let queue = c.contact.queue;
                    if let Some(aid) = self.select(queue, &reqs, candidates) {
                        self.unqueue(cid);
                        self.assign(cid, aid, at, &mut out);
                    }
                }
            }
        }
        self.clock = now;
        Ok(out)
    }

    /// Whether any ready agent with free capacity may take a waiting contact.
    pub fn idle_agent_with_work(&self) -> Option<(AgentId, ContactId)> {
        for a in self.agents.values() {
            for c in self.contacts.values().filter(|c| c.agent.is_none()) {
                if self.may_take(a, c, self.clock, false).is_some() {
                    return Some((a.spec.id, c.contact.id));
                }
            }
        }
        None
    }
}
