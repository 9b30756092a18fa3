//! The router: the deterministic ACD engine.
//!
//! The router is a state machine. It never reads a clock and draws no
//! randomness of its own: every operation takes `now`, and the random
//! selection strategies use a generator seeded from
//! [`RouterConfig::rng_seed`]. The same operations with the same times give
//! the same decisions, bit for bit, in production and in simulation.
//!
//! # Time and timers
//!
//! Wrap-ups and profile delays are timers. [`Router::advance`] fires every
//! timer due at or before `now`, each at its own instant, in `(time,
//! sequence)` order. Every other timed operation requires that no timer is
//! due at or before its `now` ([`RouterError::TimersDue`]): call
//! `advance(now)` first. This keeps every failed operation free of side
//! effects. [`Router::next_timer`] tells a driver when to call next.
//!
//! # Ordering guarantees
//!
//! - Waiting contacts are ordered by priority score, then by arrival: two
//!   contacts with equal scores are served first come, first served.
//! - A freed agent takes the best contact of the lowest rank of its routing
//!   profile that has a contact it may serve.
//! - Several eligible agents for one contact: the queue's [`Selection`],
//!   ties broken by the lowest [`AgentId`].
//! - Decisions are returned in the order they were made.
//!
//! # Invariants after every operation
//!
//! - No contact is with an agent who lacks its skills, language or capacity.
//! - Every contact the router accepted is waiting or in service until it
//!   ends or is abandoned: none is lost or duplicated.
//! - Work-conserving: no ready agent with free capacity is idle while a
//!   contact it may serve waits.
//!
//! # Complexity
//!
//! With `n` agents, `k` waiting groups (distinct queue, channel and
//! requirements) and `w` waiting contacts: an arrival is `O(n/64 + e)` where
//! `e` is the number of eligible free agents, plus `O(log w)` to queue; a
//! freed agent is `O(l + log w)` where `l` is the number of groups it may
//! serve.

mod availability;
mod bitset;
mod config;
mod decision;
mod dispatch;
mod hash;
mod state;
mod stats;
mod waiting;

pub use config::{QueueConfig, RouterConfig};
pub use decision::{Decision, Decisions};
pub use stats::QueueStats;

use crate::model::{
    AgentId, AgentSpec, AgentStatus, Contact, ContactId, NotReadyReason, QueueId, Sentiment,
    SkillId,
};
use crate::policy::{PolicyError, PriorityBreakdown, PriorityWeights, Selection};
use crate::time::{TimeSpan, Timestamp};
use bitset::Bitset;
use hash::IdMap;
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};
use state::{AgentState, ContactState, Link, Phase, Presence, QueueState, Timer, TimerKey};
use std::collections::BTreeMap;
use waiting::{Group, GroupKey, WaitKey};

/// An operation was refused; the router is unchanged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RouterError {
    /// No agent has this id; add it first.
    #[error("unknown {0}")]
    UnknownAgent(AgentId),
    /// An agent with this id exists already.
    #[error("{0} exists already")]
    DuplicateAgent(AgentId),
    /// No contact with this id is known (it may have ended or abandoned).
    #[error("unknown {0}")]
    UnknownContact(ContactId),
    /// A contact with this id is known already.
    #[error("{0} exists already")]
    DuplicateContact(ContactId),
    /// No queue has this id; add it first.
    #[error("unknown {0}")]
    UnknownQueue(QueueId),
    /// A queue with this id exists already.
    #[error("{0} exists already")]
    DuplicateQueue(QueueId),
    /// `now` is earlier than the router's clock.
    #[error("time went backwards: {now} is before {clock}")]
    TimeWentBackwards {
        /// The time given.
        now: Timestamp,
        /// The router's clock.
        clock: Timestamp,
    },
    /// A timer is due at or before `now`: call [`Router::advance`] first.
    #[error("a timer is due at {due}: advance the router first")]
    TimersDue {
        /// When the first pending timer is due.
        due: Timestamp,
    },
    /// The agent is logged out; log it in first.
    #[error("{0} is logged out")]
    AgentLoggedOut(AgentId),
    /// The agent is logged in; log it out first.
    #[error("{0} is logged in")]
    AgentLoggedIn(AgentId),
    /// The agent still has contacts in service; finish them first.
    #[error("{0} has contacts in service")]
    AgentHasContacts(AgentId),
    /// The agent is not in after-contact work.
    #[error("{0} is not in wrap-up")]
    AgentNotInWrapUp(AgentId),
    /// The agent spec has no capacity on any channel.
    #[error("{0} has no capacity on any channel")]
    NoCapacity(AgentId),
    /// The contact is not waiting (it is in service).
    #[error("{0} is not waiting")]
    ContactNotWaiting(ContactId),
    /// The contact is not in service (it is waiting).
    #[error("{0} is not in service")]
    ContactNotInService(ContactId),
    /// The queue has `max_waiting` contacts waiting; the contact was refused.
    #[error("{queue} is full: {contact} refused")]
    QueueFull {
        /// The full queue.
        queue: QueueId,
        /// The refused contact.
        contact: ContactId,
    },
    /// A queue's base priority is not finite.
    #[error("{queue} has base priority {value}, which is not finite")]
    InvalidBasePriority {
        /// The queue.
        queue: QueueId,
        /// The value given.
        value: f64,
    },
}

/// Where a contact stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactStatus {
    /// Waiting in its queue since `since`.
    Waiting {
        /// When it arrived.
        since: Timestamp,
    },
    /// With `agent`.
    InService {
        /// The agent handling it.
        agent: AgentId,
    },
}

/// The routing engine. See the [module documentation](self) for its
/// guarantees.
///
/// ```
/// use callroute::*;
/// let mut router = Router::new(RouterConfig::default())?;
/// let sales = QueueId::new(1);
/// router.add_queue(QueueConfig::new(sales))?;
/// router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(sales, 1)))?;
///
/// let t0 = Timestamp::ZERO;
/// let call = Contact::new(ContactId::new(100), sales, Channel::Voice).stage(LifecycleStage::Conversion);
/// let d = router.arrive(call, t0)?;
/// assert!(matches!(d.as_slice(), [Decision::Queued { .. }])); // nobody logged in
///
/// let d = router.log_in(AgentId::new(1), Timestamp::from_secs(5))?;
/// assert_eq!(d.assignments().collect::<Vec<_>>(), [(ContactId::new(100), AgentId::new(1))]);
/// let _ = router.finish(ContactId::new(100), Timestamp::from_secs(65))?;
/// assert_eq!(router.queue_stats(sales, Timestamp::from_secs(65))?.answered, 1);
/// # Ok::<(), callroute::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Router {
    weights: PriorityWeights,
    clock: Timestamp,
    rng: Pcg64Mcg,
    queues: Vec<QueueState>,
    queue_slots: IdMap<QueueId, u32>,
    agents: Vec<Option<AgentState>>,
    agent_slots: IdMap<AgentId, u32>,
    vacant_agent_slots: Vec<u32>,
    contacts: Vec<Option<ContactState>>,
    contact_slots: IdMap<ContactId, u32>,
    vacant_contact_slots: Vec<u32>,
    groups: Vec<Group>,
    group_slots: IdMap<GroupKey, u32>,
    /// Groups with at least one waiting contact, so that a freed agent skips
    /// empty ones without touching them.
    nonempty: Bitset,
    /// The best waiting contact of each group, by group: a compact copy of
    /// the heads, so that a freed agent compares groups without touching them.
    heads: Vec<Option<(WaitKey, u32)>>,
    /// Contacts waiting over all groups.
    waiting_total: usize,
    /// Agents ready with free capacity, and the idle orders.
    available: availability::Availability,
    /// Agents having each skill, at any level.
    skill_agents: IdMap<SkillId, Bitset>,
    timers: BTreeMap<TimerKey, Timer>,
    next_seq: u64,
}

impl Router {
    /// An empty router: no queue, no agent, clock at zero.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] (through [`Error`](crate::Error)) if a weight is out of range.
    pub fn new(config: RouterConfig) -> Result<Self, PolicyError> {
        config.validate()?;
        Ok(Router {
            weights: config.weights,
            clock: Timestamp::ZERO,
            rng: Pcg64Mcg::seed_from_u64(config.rng_seed),
            queues: Vec::new(),
            queue_slots: IdMap::default(),
            agents: Vec::new(),
            agent_slots: IdMap::default(),
            vacant_agent_slots: Vec::new(),
            contacts: Vec::new(),
            contact_slots: IdMap::default(),
            vacant_contact_slots: Vec::new(),
            groups: Vec::new(),
            group_slots: IdMap::default(),
            nonempty: Bitset::default(),
            heads: Vec::new(),
            waiting_total: 0,
            available: Default::default(),
            skill_agents: IdMap::default(),
            timers: BTreeMap::new(),
            next_seq: 0,
        })
    }

    /// The router's clock: the latest `now` it was given.
    #[must_use]
    pub fn now(&self) -> Timestamp {
        self.clock
    }

    /// When the next timer is due, if any: call [`Router::advance`] then.
    #[must_use]
    pub fn next_timer(&self) -> Option<Timestamp> {
        self.timers.keys().next().map(|k| k.0)
    }

    /// The priority weights in force.
    #[must_use]
    pub fn weights(&self) -> &PriorityWeights {
        &self.weights
    }

    // ----- queues -------------------------------------------------------

    /// Adds a queue.
    ///
    /// # Errors
    ///
    /// [`RouterError::DuplicateQueue`], or [`RouterError::InvalidBasePriority`]
    /// if the base priority is not finite.
    pub fn add_queue(&mut self, config: QueueConfig) -> Result<(), RouterError> {
        if self.queue_slots.contains_key(&config.id) {
            return Err(RouterError::DuplicateQueue(config.id));
        }
        if !config.base_priority.is_finite() {
            return Err(RouterError::InvalidBasePriority {
                queue: config.id,
                value: config.base_priority,
            });
        }
        if let Selection::LongestIdle(m) = config.selection {
            self.available.enable(m, &self.agents);
        }
        let slot = self.queues.len() as u32;
        self.queue_slots.insert(config.id, slot);
        self.queues.push(QueueState {
            config,
            members: Bitset::default(),
            groups: Vec::new(),
            stats: QueueStats::default(),
            last_chosen: None,
        });
        Ok(())
    }

    /// The statistics of a queue so far, with its waiting contacts as of `now`.
    /// `O(waiting contacts of the queue)`.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownQueue`].
    pub fn queue_stats(&self, queue: QueueId, now: Timestamp) -> Result<QueueStats, RouterError> {
        let q = self.queue(queue)?;
        let mut stats = q.stats;
        let oldest = q
            .groups
            .iter()
            .filter_map(|&g| self.groups.get(g as usize))
            .flat_map(|g| g.waiting.iter())
            .filter_map(|(&c, _)| self.contact_at(c))
            .map(|c| c.arrived)
            .min();
        stats.oldest_wait = oldest.map_or(TimeSpan::ZERO, |t| now.saturating_since(t));
        Ok(stats)
    }

    // ----- agents -------------------------------------------------------

    /// Adds an agent, logged out.
    ///
    /// # Errors
    ///
    /// [`RouterError::DuplicateAgent`], [`RouterError::UnknownQueue`] for a
    /// queue of its profile, [`RouterError::NoCapacity`].
    pub fn add_agent(&mut self, spec: AgentSpec) -> Result<(), RouterError> {
        if self.agent_slots.contains_key(&spec.id) {
            return Err(RouterError::DuplicateAgent(spec.id));
        }
        self.check_spec(&spec)?;
        let slot = match self.vacant_agent_slots.pop() {
            Some(s) => s,
            None => {
                self.agents.push(None);
                self.agents.len() as u32 - 1
            }
        };
        self.agent_slots.insert(spec.id, slot);
        if let Some(cell) = self.agents.get_mut(slot as usize) {
            *cell = Some(AgentState::new(spec));
        }
        self.index_agent(slot);
        Ok(())
    }

    /// Replaces an agent's skills, languages, capacity and routing profile,
    /// in any state; contacts in service continue. A ready agent then takes
    /// the contacts it newly qualifies for.
    ///
    /// # Errors
    ///
    /// As [`Router::add_agent`], [`RouterError::UnknownAgent`], and the time
    /// errors.
    pub fn update_agent(
        &mut self,
        spec: AgentSpec,
        now: Timestamp,
    ) -> Result<Decisions, RouterError> {
        let slot = self.agent_slot(spec.id)?;
        self.check_time(now)?;
        self.check_spec(&spec)?;
        self.clock = now;
        self.unindex_agent(slot);
        if let Some(a) = self.agent_mut(slot) {
            a.spec = spec;
            a.idle_lists.clear();
        }
        self.index_agent(slot);
        self.refresh_free(slot);
        let mut out = Decisions::new();
        self.pull(slot, now, &mut out);
        Ok(out)
    }

    /// Removes a logged-out agent.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownAgent`], [`RouterError::AgentLoggedIn`].
    pub fn remove_agent(&mut self, agent: AgentId) -> Result<(), RouterError> {
        let slot = self.agent_slot(agent)?;
        if self
            .agent_ref(slot)
            .is_some_and(|a| a.presence != Presence::LoggedOut)
        {
            return Err(RouterError::AgentLoggedIn(agent));
        }
        self.unindex_agent(slot);
        if let Some(cell) = self.agents.get_mut(slot as usize) {
            *cell = None;
        }
        self.agent_slots.remove(&agent);
        self.vacant_agent_slots.push(slot);
        Ok(())
    }

    /// Logs an agent in, ready; it takes waiting contacts at once.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownAgent`], [`RouterError::AgentLoggedIn`], and the
    /// time errors.
    pub fn log_in(&mut self, agent: AgentId, now: Timestamp) -> Result<Decisions, RouterError> {
        let slot = self.agent_slot(agent)?;
        self.check_time(now)?;
        if self
            .agent_ref(slot)
            .is_some_and(|a| a.presence != Presence::LoggedOut)
        {
            return Err(RouterError::AgentLoggedIn(agent));
        }
        self.clock = now;
        if let Some(a) = self.agent_mut(slot) {
            a.presence = Presence::Ready;
            a.last_contact_end = now;
            a.available_since = now;
            a.handled = 0;
        }
        self.refresh_free(slot);
        let mut out = Decisions::new();
        self.pull(slot, now, &mut out);
        Ok(out)
    }

    /// Logs an agent out; pending wrap-ups are dropped.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownAgent`], [`RouterError::AgentLoggedOut`],
    /// [`RouterError::AgentHasContacts`], and the time errors.
    pub fn log_out(&mut self, agent: AgentId, now: Timestamp) -> Result<(), RouterError> {
        let slot = self.agent_slot(agent)?;
        self.check_time(now)?;
        let a = self
            .agent_ref(slot)
            .ok_or(RouterError::UnknownAgent(agent))?;
        if a.presence == Presence::LoggedOut {
            return Err(RouterError::AgentLoggedOut(agent));
        }
        if a.in_service > 0 {
            return Err(RouterError::AgentHasContacts(agent));
        }
        let timers: Vec<TimerKey> = a.wrap_ups.iter().map(|w| w.timer).collect();
        self.clock = now;
        for t in timers {
            self.timers.remove(&t);
        }
        if let Some(a) = self.agent_mut(slot) {
            a.presence = Presence::LoggedOut;
            a.wrap_ups.clear();
            a.load = [0; 4];
        }
        self.refresh_free(slot);
        Ok(())
    }

    /// Makes a logged-in agent ready; it takes waiting contacts at once.
    /// Ready while ready is accepted and changes nothing.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownAgent`], [`RouterError::AgentLoggedOut`], and
    /// the time errors.
    pub fn set_ready(&mut self, agent: AgentId, now: Timestamp) -> Result<Decisions, RouterError> {
        let slot = self.logged_in_agent(agent, now)?;
        self.clock = now;
        if let Some(a) = self.agent_mut(slot)
            && a.presence != Presence::Ready
        {
            a.presence = Presence::Ready;
            a.available_since = now;
        }
        self.refresh_free(slot);
        let mut out = Decisions::new();
        self.pull(slot, now, &mut out);
        Ok(out)
    }

    /// Makes a logged-in agent not ready: it takes no new contact; contacts
    /// in service and wrap-ups continue.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownAgent`], [`RouterError::AgentLoggedOut`], and
    /// the time errors.
    pub fn set_not_ready(
        &mut self,
        agent: AgentId,
        reason: NotReadyReason,
        now: Timestamp,
    ) -> Result<(), RouterError> {
        let slot = self.logged_in_agent(agent, now)?;
        self.clock = now;
        if let Some(a) = self.agent_mut(slot) {
            a.presence = Presence::NotReady(reason);
        }
        self.refresh_free(slot);
        Ok(())
    }

    /// Ends an agent's after-contact work early; it takes waiting contacts
    /// at once if ready.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownAgent`], [`RouterError::AgentNotInWrapUp`], and
    /// the time errors.
    pub fn end_wrap_up(
        &mut self,
        agent: AgentId,
        now: Timestamp,
    ) -> Result<Decisions, RouterError> {
        let slot = self.agent_slot(agent)?;
        self.check_time(now)?;
        let timers: Vec<TimerKey> = self
            .agent_ref(slot)
            .map(|a| a.wrap_ups.iter().map(|w| w.timer).collect())
            .unwrap_or_default();
        if timers.is_empty() {
            return Err(RouterError::AgentNotInWrapUp(agent));
        }
        self.clock = now;
        let mut out = Decisions::new();
        for t in timers {
            self.timers.remove(&t);
            self.wrap_up_ended(slot, t, now, &mut out);
        }
        self.pull(slot, now, &mut out);
        Ok(out)
    }

    /// What an agent is doing.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownAgent`].
    pub fn agent_status(&self, agent: AgentId) -> Result<AgentStatus, RouterError> {
        let a = self
            .agent_ref(self.agent_slot(agent)?)
            .ok_or(RouterError::UnknownAgent(agent))?;
        Ok(match a.presence {
            Presence::LoggedOut => AgentStatus::LoggedOut,
            Presence::NotReady(reason) => AgentStatus::NotReady { reason },
            Presence::Ready if a.in_service > 0 => AgentStatus::Busy {
                contacts: a.in_service,
            },
            Presence::Ready => match a.wrap_ups.iter().map(|w| w.timer.0).max() {
                Some(until) => AgentStatus::WrapUp { until },
                None => AgentStatus::Available,
            },
        })
    }

    /// The contacts an agent has in service or in wrap-up, per channel, in
    /// the order of [`Channel::ALL`].
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownAgent`].
    pub fn agent_load(&self, agent: AgentId) -> Result<[u8; 4], RouterError> {
        self.agent_ref(self.agent_slot(agent)?)
            .map(|a| a.load)
            .ok_or(RouterError::UnknownAgent(agent))
    }

    // ----- contacts -----------------------------------------------------

    /// A contact arrives: it is assigned at once to an eligible agent with
    /// free capacity (chosen by the queue's [`Selection`]), or it waits.
    ///
    /// Eligible: the agent is ready, its routing profile serves the queue
    /// with no delay, it has every skill of the queue's and the contact's
    /// requirements at the minimum level, the language, and free capacity on
    /// the contact's channel.
    ///
    /// # Errors
    ///
    /// [`RouterError::DuplicateContact`], [`RouterError::UnknownQueue`],
    /// [`RouterError::QueueFull`] when it would have to wait in a full queue,
    /// and the time errors.
    pub fn arrive(&mut self, contact: Contact, now: Timestamp) -> Result<Decisions, RouterError> {
        if self.contact_slots.contains_key(&contact.id) {
            return Err(RouterError::DuplicateContact(contact.id));
        }
        let queue = self.queue_slot(contact.queue)?;
        self.check_time(now)?;
        let requirements = self
            .queues
            .get(queue as usize)
            .map(|q| q.config.requirements.merged(&contact.requirements))
            .unwrap_or_default();
        let group = self.intern_group(GroupKey {
            queue,
            channel: contact.channel,
            requirements,
        });
        let chosen = self.choose_now(group);
        if chosen.is_none()
            && let Some(q) = self.queues.get(queue as usize)
            && let Some(max) = q.config.max_waiting
            && q.stats.waiting >= u64::from(max)
        {
            let id = contact.id;
            if let Some(q) = self.queues.get_mut(queue as usize) {
                q.stats.refused += 1;
            }
            return Err(RouterError::QueueFull {
                queue: contact.queue,
                contact: id,
            });
        }
        self.clock = now;
        let id = contact.id;
        let seq = self.take_seq();
        let state = ContactState {
            contact,
            queue,
            group,
            seq,
            arrived: now,
            phase: Phase::Waiting,
        };
        let slot = match self.vacant_contact_slots.pop() {
            Some(s) => {
                if let Some(cell) = self.contacts.get_mut(s as usize) {
                    *cell = Some(state);
                }
                s
            }
            None => {
                self.contacts.push(Some(state));
                self.contacts.len() as u32 - 1
            }
        };
        self.contact_slots.insert(id, slot);
        if let Some(q) = self.queues.get_mut(queue as usize) {
            q.stats.offered += 1;
        }
        let mut out = Decisions::new();
        match chosen {
            Some(agent) => self.assign(slot, agent, now, &mut out),
            None => self.enqueue(slot, now, &mut out),
        }
        Ok(out)
    }

    /// A contact in service ends; its agent goes to wrap-up for the queue's
    /// wrap-up time, or takes its next contact at once.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownContact`], [`RouterError::ContactNotInService`],
    /// and the time errors.
    pub fn finish(&mut self, contact: ContactId, now: Timestamp) -> Result<Decisions, RouterError> {
        let slot = self.contact_slot(contact)?;
        self.check_time(now)?;
        let c = self
            .contact_at(slot)
            .ok_or(RouterError::UnknownContact(contact))?;
        let Phase::InService { agent } = c.phase else {
            return Err(RouterError::ContactNotInService(contact));
        };
        let channel = c.contact.channel.index();
        let wrap_up = self
            .queues
            .get(c.queue as usize)
            .map_or(TimeSpan::ZERO, |q| q.config.wrap_up);
        self.clock = now;
        self.drop_contact(slot);
        let mut out = Decisions::new();
        let timer = (wrap_up > TimeSpan::ZERO)
            .then(|| self.schedule(now + wrap_up, Timer::WrapUpEnd { agent }));
        if let Some(a) = self.agent_mut(agent) {
            a.in_service = a.in_service.saturating_sub(1);
            a.handled += 1;
            match timer {
                Some(timer) => a.wrap_ups.push(state::WrapUp { channel, timer }),
                None => {
                    if let Some(l) = a.load.get_mut(channel) {
                        *l = l.saturating_sub(1);
                    }
                    a.last_contact_end = now;
                    a.available_since = now;
                }
            }
        }
        self.refresh_free(agent);
        self.pull(agent, now, &mut out);
        Ok(out)
    }

    /// The caller hangs up while waiting: the contact is removed and counted
    /// as abandoned.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownContact`], [`RouterError::ContactNotWaiting`],
    /// and the time errors.
    pub fn abandon(&mut self, contact: ContactId, now: Timestamp) -> Result<(), RouterError> {
        let slot = self.waiting_contact(contact, now)?;
        self.clock = now;
        self.unqueue(slot);
        let queue = self.contact_at(slot).map(|c| c.queue);
        if let Some(q) = queue.and_then(|q| self.queues.get_mut(q as usize)) {
            q.stats.abandoned += 1;
        }
        self.drop_contact(slot);
        Ok(())
    }

    /// The customer's sentiment changed. A waiting contact is re-prioritized
    /// at once; for a contact in service the new score is only recorded.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownContact`] and the time errors. An invalid score
    /// cannot reach here: [`Sentiment::new`] refuses it.
    pub fn update_sentiment(
        &mut self,
        contact: ContactId,
        sentiment: Sentiment,
        now: Timestamp,
    ) -> Result<(), RouterError> {
        let slot = self.contact_slot(contact)?;
        self.check_time(now)?;
        self.clock = now;
        let Some(c) = self
            .contacts
            .get_mut(slot as usize)
            .and_then(Option::as_mut)
        else {
            return Err(RouterError::UnknownContact(contact));
        };
        c.contact.sentiment = sentiment;
        if c.phase == Phase::Waiting {
            let (group, seq, arrived) = (c.group, c.seq, c.arrived);
            let key = self.wait_key(slot, seq, arrived);
            if let Some(g) = self.groups.get_mut(group as usize) {
                g.waiting.change_priority(&slot, key);
            }
            self.refresh_head(group);
        }
        Ok(())
    }

    /// The priority of a waiting contact at `now`, term by term.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownContact`], [`RouterError::ContactNotWaiting`].
    pub fn explain(
        &self,
        contact: ContactId,
        now: Timestamp,
    ) -> Result<PriorityBreakdown, RouterError> {
        let slot = self.contact_slot(contact)?;
        let c = self
            .contact_at(slot)
            .ok_or(RouterError::UnknownContact(contact))?;
        if c.phase != Phase::Waiting {
            return Err(RouterError::ContactNotWaiting(contact));
        }
        Ok(self.breakdown(c, now))
    }

    /// Where a contact stands.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownContact`] (also for contacts that ended or abandoned).
    pub fn contact_status(&self, contact: ContactId) -> Result<ContactStatus, RouterError> {
        let c = self
            .contact_at(self.contact_slot(contact)?)
            .ok_or(RouterError::UnknownContact(contact))?;
        Ok(match c.phase {
            Phase::Waiting => ContactStatus::Waiting { since: c.arrived },
            Phase::InService { agent } => ContactStatus::InService {
                agent: self
                    .agent_ref(agent)
                    .map_or(AgentId::new(u32::MAX), |a| a.spec.id),
            },
        })
    }

    /// How many contacts are waiting, over all queues.
    #[must_use]
    pub fn waiting_count(&self) -> usize {
        self.waiting_total
    }

    /// How many contacts the router holds (waiting or in service).
    #[must_use]
    pub fn contact_count(&self) -> usize {
        self.contact_slots.len()
    }

    /// Fires every timer due at or before `now`, each at its own time, in
    /// `(time, sequence)` order, and returns the decisions that follow.
    ///
    /// # Errors
    ///
    /// [`RouterError::TimeWentBackwards`].
    pub fn advance(&mut self, now: Timestamp) -> Result<Decisions, RouterError> {
        if now < self.clock {
            return Err(RouterError::TimeWentBackwards {
                now,
                clock: self.clock,
            });
        }
        let mut out = Decisions::new();
        while let Some(entry) = self.timers.first_entry() {
            let key = *entry.key();
            if key.0 > now {
                break;
            }
            let timer = entry.remove();
            self.clock = key.0;
            self.fire(key, timer, &mut out);
        }
        self.clock = now;
        Ok(out)
    }

    // ----- helpers ------------------------------------------------------

    fn check_time(&self, now: Timestamp) -> Result<(), RouterError> {
        if now < self.clock {
            return Err(RouterError::TimeWentBackwards {
                now,
                clock: self.clock,
            });
        }
        match self.next_timer() {
            Some(due) if due <= now => Err(RouterError::TimersDue { due }),
            _ => Ok(()),
        }
    }

    fn check_spec(&self, spec: &AgentSpec) -> Result<(), RouterError> {
        if spec.capacity.total() == 0 {
            return Err(RouterError::NoCapacity(spec.id));
        }
        for e in spec.profile.entries() {
            self.queue_slot(e.queue)?;
        }
        Ok(())
    }

    fn take_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    fn schedule(&mut self, at: Timestamp, timer: Timer) -> TimerKey {
        let key = (at, self.take_seq());
        self.timers.insert(key, timer);
        key
    }

    fn queue(&self, id: QueueId) -> Result<&QueueState, RouterError> {
        self.queues
            .get(self.queue_slot(id)? as usize)
            .ok_or(RouterError::UnknownQueue(id))
    }

    fn queue_slot(&self, id: QueueId) -> Result<u32, RouterError> {
        self.queue_slots
            .get(&id)
            .copied()
            .ok_or(RouterError::UnknownQueue(id))
    }

    fn agent_slot(&self, id: AgentId) -> Result<u32, RouterError> {
        self.agent_slots
            .get(&id)
            .copied()
            .ok_or(RouterError::UnknownAgent(id))
    }

    fn contact_slot(&self, id: ContactId) -> Result<u32, RouterError> {
        self.contact_slots
            .get(&id)
            .copied()
            .ok_or(RouterError::UnknownContact(id))
    }

    fn agent_ref(&self, slot: u32) -> Option<&AgentState> {
        self.agents.get(slot as usize).and_then(Option::as_ref)
    }

    fn agent_mut(&mut self, slot: u32) -> Option<&mut AgentState> {
        self.agents.get_mut(slot as usize).and_then(Option::as_mut)
    }

    fn contact_at(&self, slot: u32) -> Option<&ContactState> {
        self.contacts.get(slot as usize).and_then(Option::as_ref)
    }

    fn logged_in_agent(&self, agent: AgentId, now: Timestamp) -> Result<u32, RouterError> {
        let slot = self.agent_slot(agent)?;
        self.check_time(now)?;
        if self
            .agent_ref(slot)
            .is_none_or(|a| a.presence == Presence::LoggedOut)
        {
            return Err(RouterError::AgentLoggedOut(agent));
        }
        Ok(slot)
    }

    fn waiting_contact(&self, contact: ContactId, now: Timestamp) -> Result<u32, RouterError> {
        let slot = self.contact_slot(contact)?;
        self.check_time(now)?;
        if self
            .contact_at(slot)
            .is_none_or(|c| c.phase != Phase::Waiting)
        {
            return Err(RouterError::ContactNotWaiting(contact));
        }
        Ok(slot)
    }

    fn breakdown(&self, c: &ContactState, now: Timestamp) -> PriorityBreakdown {
        let base = self
            .queues
            .get(c.queue as usize)
            .map_or(0.0, |q| q.config.base_priority);
        self.weights.breakdown(
            base,
            c.contact.stage,
            c.contact.sentiment,
            c.contact.value,
            now.saturating_since(c.arrived),
        )
    }

    fn wait_key(&self, slot: u32, seq: u64, arrived: Timestamp) -> WaitKey {
        let score = self.contact_at(slot).map_or(0.0, |c| {
            let base = self
                .queues
                .get(c.queue as usize)
                .map_or(0.0, |q| q.config.base_priority);
            self.weights
                .static_score(base, c.contact.stage, c.contact.sentiment, c.contact.value)
        });
        WaitKey {
            key: self.weights.order_key(score, arrived),
            seq: core::cmp::Reverse(seq),
        }
    }

    fn drop_contact(&mut self, slot: u32) {
        if let Some(cell) = self.contacts.get_mut(slot as usize)
            && let Some(c) = cell.take()
        {
            self.contact_slots.remove(&c.contact.id);
            self.vacant_contact_slots.push(slot);
        }
    }

    /// Recomputes the agent's bits in the per-channel free sets.
    fn refresh_free(&mut self, slot: u32) {
        if let Some(a) = self.agents.get_mut(slot as usize).and_then(Option::as_mut) {
            self.available.update(slot, a);
        }
    }
}

/// Selection among candidates; a free function so that callers can borrow
/// the candidate sets and the agents separately.
fn select(
    agents: &[Option<AgentState>],
    facts: &[state::SelectionFacts],
    rng: &mut Pcg64Mcg,
    selection: Selection,
    req: &crate::model::Requirements,
    last_chosen: Option<AgentId>,
    candidates: impl Iterator<Item = u32>,
) -> Option<u32> {
    use rand::RngExt;
    let agent = |s: u32| agents.get(s as usize).and_then(Option::as_ref);
    match selection {
        Selection::Random | Selection::WeightedRandom => {
            let mut pool: Vec<(AgentId, u64, u32)> = candidates
                .filter_map(|s| {
                    agent(s).map(|a| {
                        let w = match selection {
                            Selection::WeightedRandom => a.proficiency_sum(req).max(1),
                            _ => 1,
                        };
                        (a.spec.id, w, s)
                    })
                })
                .collect();
            if pool.is_empty() {
                return None;
            }
            pool.sort_unstable_by_key(|p| p.0);
            let total: u64 = pool.iter().map(|p| p.1).sum();
            let mut r = rng.random_range(0..total);
            for (_, w, s) in &pool {
                if r < *w {
                    return Some(*s);
                }
                r -= w;
            }
            None
        }
        _ => candidates
            .filter_map(|s| {
                let f = facts.get(s as usize)?;
                let prof = || agent(s).map_or(0, |a| a.proficiency_sum(req));
                Some((f.key(selection, last_chosen, prof), s))
            })
            .min_by_key(|p| p.0)
            .map(|p| p.1),
    }
}

impl Link {
    fn new(rank: u8, group: u32, channel: crate::model::Channel, delay: TimeSpan) -> Self {
        Link {
            rank,
            group,
            channel,
            delay,
        }
    }
}
