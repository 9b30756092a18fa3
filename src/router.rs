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
//! - Several eligible agents for one contact: the queue's [`Selection`](crate::Selection),
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
//! # Sharing between threads
//!
//! The router is `Send` and `Sync` and has no interior locking: a service
//! handling requests on several threads either gives it one owner (a task
//! or thread that receives the events over a channel and sends the
//! decisions back, which keeps the order of events explicit), or wraps it
//! in a `Mutex`. Either way each event is applied whole, with a `now` no
//! earlier than the router's [`Router::now`], after
//! [`Router::advance`]`(now)`:
//!
//! ```
//! use callroute::*;
//! use std::sync::{Arc, Mutex};
//! let q = QueueId::new(1);
//! let mut router = Router::new(RouterConfig::default())?;
//! router.add_queue(QueueConfig::new(q))?;
//! let shared = Arc::new(Mutex::new(router));
//! let handlers: Vec<_> = (0..4u64)
//!     .map(|t| {
//!         let shared = Arc::clone(&shared);
//!         std::thread::spawn(move || -> Result<(), RouterError> {
//!             // A handler that panicked while holding the lock did so
//!             // outside the router, whose calls are all or nothing: a
//!             // poisoned lock still guards a whole router.
//!             let mut router = shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
//!             let now = Timestamp::from_millis(router.now().as_millis() + 1);
//!             let _ = router.advance(now)?;
//!             let _ = router.arrive(Contact::new(ContactId::new(t), q, Channel::Chat), now)?;
//!             Ok(())
//!         })
//!     })
//!     .collect();
//! for h in handlers {
//!     match h.join() {
//!         Ok(outcome) => outcome?,
//!         // A handler that panicked: let the panic go on.
//!         Err(panic) => std::panic::resume_unwind(panic),
//!     }
//! }
//! let router = shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
//! assert_eq!(router.waiting_count(), 4);
//! # Ok::<(), callroute::Error>(())
//! ```
//!
//! The router's tables grow with what it holds at once, never with the
//! contacts it has handled; [`Router::footprint`] reports their sizes.
//!
//! # Complexity
//!
//! With `n` agents, `k` waiting groups (distinct queue, channel and
//! requirements) and `w` waiting contacts: an arrival is `O(n/64 + e)` where
//! `e` is the number of eligible free agents, plus `O(log w)` to queue; a
//! freed agent is `O(l + log w)` where `l` is the number of groups it may
//! serve.

mod agent_ops;
mod availability;
mod bitset;
mod blend;
mod callback;
mod config;
mod contact_ops;
mod decision;
mod dispatch;
mod error;
mod escalation;
mod escalation_ops;
mod estimate;
mod footprint;
mod group_cache;
mod offer;
mod offer_ops;
mod purpose;
mod repeat;
mod resume;
mod selection;
mod slot_table;
mod snapshot;
mod state;
mod stats;
mod wait_heap;
mod waiting;
mod windows;

pub use blend::Outbound;
pub use callback::{CallbackPolicy, CallbackStats};
pub use config::{QueueConfig, RouterConfig, Unstaffed};
pub use decision::{Decision, Decisions};
pub use error::RouterError;
pub use escalation::{Escalation, EscalationStep, UpsetRule};
pub use estimate::WaitEstimate;
pub use footprint::Footprint;
pub use offer::{MissedOffers, OfferEnd, OfferMode, OfferPolicy};
pub use purpose::PurposeRoute;
pub use repeat::{FirstContactResolution, Outcome, ResolutionReport};
pub use snapshot::{SNAPSHOT_VERSION, Snapshot, SnapshotError};
pub use stats::QueueStats;

use crate::model::{AgentId, AgentSpec, ContactId, QueueId, SkillId};
use crate::policy::{
    CustomScoring, PolicyError, PriorityBreakdown, PriorityWeights, Scoring, StageRule,
};
use crate::time::{TimeSpan, Timestamp};
use bitset::Bitset;
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use slot_table::SlotTable;
use state::{AgentState, ContactState, Presence, QueueState, Timer, TimerKey};
use std::collections::BTreeMap;
use waiting::{Group, WaitKey};

/// Where a contact stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactStatus {
    /// Waiting in its queue since `since`.
    Waiting {
        /// When it arrived.
        since: Timestamp,
    },
    /// Offered to `agents` agents, none of whom has accepted yet; it
    /// arrived at `since`.
    Offered {
        /// When it arrived.
        since: Timestamp,
        /// How many offers are pending.
        agents: u32,
    },
    /// With `agent`.
    InService {
        /// The agent handling it.
        agent: AgentId,
    },
    /// A callback held off the queue until `until` (the customer's chosen
    /// time, or the next attempt after an unanswered one); it arrived at
    /// `since`.
    CallbackHeld {
        /// When it arrived.
        since: Timestamp,
        /// When it takes its place again.
        until: Timestamp,
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
    /// The embedding product's scoring, if any (not part of snapshots).
    scoring: Scoring,
    missed_offers: MissedOffers,
    stage_rule: StageRule,
    clock: Timestamp,
    rng: Pcg64Mcg,
    queues: Vec<QueueState>,
    queue_slots: SlotTable<QueueId>,
    /// The slots of the queues holding outbound tasks.
    outbound_queues: Vec<u32>,
    agents: Vec<Option<AgentState>>,
    agent_slots: SlotTable<AgentId>,
    vacant_agent_slots: Vec<u32>,
    contacts: Vec<Option<ContactState>>,
    contact_slots: SlotTable<ContactId>,
    vacant_contact_slots: Vec<u32>,
    groups: Vec<Group>,
    /// Slots of dropped groups, for reuse.
    free_groups: Vec<u32>,
    /// Live groups no contact refers to, and how many of them to keep.
    idle_groups: usize,
    idle_groups_kept: usize,
    /// The first group of each key fingerprint; the others of the same
    /// fingerprint follow through `Group::same_fingerprint`.
    group_slots: SlotTable<u64>,
    /// Inbound groups with at least one waiting contact, so that a freed
    /// agent skips the others without touching them.
    nonempty: Bitset,
    /// The best waiting contact of each group, by group: a compact copy of
    /// the heads, so that a freed agent compares groups without touching them.
    heads: Vec<Option<(WaitKey, u32)>>,
    /// The order key of each group's head (negative infinity for none):
    /// the part of `heads` a freed agent compares first, a third of its
    /// size, so that comparing many groups stays within the cache.
    head_keys: Vec<f64>,
    /// How many contact records refer to each group (waiting, offered or
    /// in service), by group: a group none refers to is idle and may be
    /// dropped. Kept apart from the groups so that an ending contact
    /// touches four bytes, not a whole group.
    holders: Vec<u32>,
    /// Contacts waiting over all groups.
    waiting_total: usize,
    /// Where each waiting contact sits in its group's heap, by contact slot.
    wait_pos: wait_heap::Positions,
    /// Agents ready with free capacity, and the idle orders.
    available: availability::Availability,
    /// Agents having each skill, at any level.
    skill_agents: FxHashMap<SkillId, Bitset>,
    timers: BTreeMap<TimerKey, Timer>,
    next_seq: u64,
    /// Places kept for callers who hung up.
    resumes: resume::Resumes,
    /// See [`RouterConfig::repeat_window`].
    repeat_window: Option<TimeSpan>,
    /// The last contact of each customer, within the repeat window.
    repeats: repeat::Repeats,
    /// First-contact resolution by stage and channel.
    resolution: ResolutionReport,
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
            scoring: Scoring::default(),
            missed_offers: config.missed_offers,
            stage_rule: config.stage_rule,
            clock: Timestamp::ZERO,
            rng: Pcg64Mcg::seed_from_u64(config.rng_seed),
            queues: Vec::new(),
            queue_slots: SlotTable::default(),
            outbound_queues: Vec::new(),
            agents: Vec::new(),
            agent_slots: SlotTable::default(),
            vacant_agent_slots: Vec::new(),
            contacts: Vec::new(),
            contact_slots: SlotTable::default(),
            vacant_contact_slots: Vec::new(),
            groups: Vec::new(),
            free_groups: Vec::new(),
            idle_groups: 0,
            idle_groups_kept: config.idle_groups_kept,
            group_slots: SlotTable::default(),
            nonempty: Bitset::default(),
            heads: Vec::new(),
            head_keys: Vec::new(),
            holders: Vec::new(),
            wait_pos: Vec::new(),
            waiting_total: 0,
            available: Default::default(),
            skill_agents: FxHashMap::default(),
            timers: BTreeMap::new(),
            next_seq: 0,
            resumes: resume::Resumes::default(),
            repeat_window: config.repeat_window,
            repeats: repeat::Repeats::default(),
            resolution: ResolutionReport::default(),
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
        self.timers.first_key_value().map(|(k, _)| k.0)
    }

    /// Installs (or with `None`, removes) the embedding product's
    /// [`CustomScoring`]; every waiting contact takes its new place at once.
    /// O(waiting contacts × log). Not part of snapshots: install it again
    /// after [`Router::restore`].
    pub fn set_custom_scoring(&mut self, scoring: Option<std::sync::Arc<dyn CustomScoring>>) {
        self.scoring = Scoring(scoring);
        for g in 0..self.groups.len() as u32 {
            let keyed: Vec<(u32, WaitKey)> = self
                .groups
                .get(g as usize)
                .map(|group| {
                    group
                        .waiting
                        .iter()
                        .filter_map(|(s, _)| self.contact_at(s).map(|c| (s, self.wait_key(c))))
                        .collect()
                })
                .unwrap_or_default();
            if let Some(group) = self.groups.get_mut(g as usize) {
                for (s, k) in keyed {
                    group.waiting.rekey(s, k, &mut self.wait_pos);
                }
            }
            self.refresh_head(g);
        }
    }

    /// The priority weights in force.
    #[must_use]
    pub fn weights(&self) -> &PriorityWeights {
        &self.weights
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
            .get(id)
            .ok_or(RouterError::UnknownQueue(id))
    }

    fn agent_slot(&self, id: AgentId) -> Result<u32, RouterError> {
        self.agent_slots
            .get(id)
            .ok_or(RouterError::UnknownAgent(id))
    }

    fn contact_slot(&self, id: ContactId) -> Result<u32, RouterError> {
        self.contact_slots
            .get(id)
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

    fn contact_mut(&mut self, slot: u32) -> Option<&mut ContactState> {
        self.contacts
            .get_mut(slot as usize)
            .and_then(Option::as_mut)
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

    /// The slot and record of `contact`, for an operation on it at `now`
    /// (the time checked after the contact).
    fn contact_for(
        &self,
        contact: ContactId,
        now: Timestamp,
    ) -> Result<(u32, &state::ContactState), RouterError> {
        let slot = self.contact_slot(contact)?;
        self.check_time(now)?;
        let c = self
            .contact_at(slot)
            .ok_or(RouterError::UnknownContact(contact))?;
        Ok((slot, c))
    }

    /// The record of a waiting contact, for the queries about one.
    fn waiting_state(&self, contact: ContactId) -> Result<&ContactState, RouterError> {
        let c = self
            .contact_at(self.contact_slot(contact)?)
            .ok_or(RouterError::UnknownContact(contact))?;
        if c.phase != state::Phase::Waiting {
            return Err(RouterError::ContactNotWaiting(contact));
        }
        Ok(c)
    }

    fn breakdown(&self, c: &ContactState, now: Timestamp) -> PriorityBreakdown {
        let base = self
            .queues
            .get(c.queue as usize)
            .map_or(0.0, |q| q.config.base_priority);
        let mut b = self.weights.breakdown(
            base,
            c.contact.stage.unwrap_or_default(),
            c.contact.sentiment,
            c.contact.value,
            now.saturating_since(c.arrived),
        );
        let custom = self.scoring.contact_points(&c.contact);
        b.stage_source = c.stage_source();
        let repeat = self.repeat_points(c);
        b.escalation = c.bonus();
        b.custom = custom;
        b.repeat = repeat;
        b.total += c.bonus() + custom + repeat;
        b
    }

    /// The points a contact has for being a repeat.
    fn repeat_points(&self, c: &ContactState) -> f64 {
        if c.is_repeat() {
            self.weights.repeat
        } else {
            0.0
        }
    }

    /// The waiting-order key of a contact.
    fn wait_key(&self, c: &ContactState) -> WaitKey {
        let base = self
            .queues
            .get(c.queue as usize)
            .map_or(0.0, |q| q.config.base_priority);
        let score = self.weights.static_score(
            base,
            c.contact.stage.unwrap_or_default(),
            c.contact.sentiment,
            c.contact.value,
        ) + c.bonus()
            + self.repeat_points(c)
            + self.scoring.contact_points(&c.contact);
        WaitKey {
            key: self.weights.order_key(score, c.arrived),
            seq: core::cmp::Reverse(c.seq),
        }
    }

    /// Forgets contact `slot` with every timer its record names, so that
    /// no timer outlives what it serves (whatever path ends the contact).
    fn drop_contact(&mut self, slot: u32) {
        // Dropped in place: taking the record out would copy it first.
        if let Some(cell) = self.contacts.get_mut(slot as usize)
            && let Some(c) = cell.as_ref()
        {
            let (id, group) = (c.contact.id, c.group);
            for t in c.timers() {
                self.timers.remove(&t);
            }
            *cell = None;
            self.contact_slots.remove(id);
            self.vacant_contact_slots.push(slot);
            self.release_group(group);
        }
    }

    /// Recomputes the agent's bits in the per-channel free sets.
    fn refresh_free(&mut self, slot: u32) {
        if let Some(a) = self.agents.get_mut(slot as usize).and_then(Option::as_mut) {
            self.available.update(slot, a);
        }
    }
}
