//! Snapshots: the router's state as a versioned, serde-serializable value.
//!
//! A snapshot holds what the router knows (queues with their statistics,
//! agents with their state, contacts, pending timers, the clock, the
//! sequence counter and the random generator) and none of its indexes:
//! [`Router::restore`] checks the records against each other and rebuilds
//! the indexes, so a restored router makes exactly the decisions the
//! original would have made, and a snapshot that does not hold together is
//! refused with a [`SnapshotError`] rather than trusted.

use super::Router;
use crate::model::{
    AgentId, AgentSpec, Channel, Contact, ContactId, CustomerId, LifecycleStage, QueueId,
    Requirements,
};
use crate::policy::{PolicyError, PriorityWeights, StageRule, StageSource};
use crate::router::callback::Callback;
use crate::router::config::{QueueConfig, RouterConfig};
use crate::router::error::RouterError;
use crate::router::estimate::AnswerPace;
use crate::router::offer::MissedOffers;
use crate::router::repeat::{Last, ResolutionReport};
use crate::router::resume::Kept;
use crate::router::state::{
    ContactState, Ladder, More, Offer, Phase, Presence, Timer, TimerKey, WrapUp,
};
use crate::router::stats::QueueStats;
use crate::router::waiting::KeyRef;
use crate::time::{TimeSpan, Timestamp};
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

/// The snapshot format this build writes and reads.
pub const SNAPSHOT_VERSION: u32 = 1;

/// A router's complete state, from [`Router::snapshot`], for
/// [`Router::restore`]. Serialize it with any serde format; the fields are
/// private, and [`Snapshot::version`] tells the format.
///
/// Floating-point values (weights, sentiment, priority bonuses) are written
/// at full precision; a format must read them back exactly for the restored
/// router to decide identically (with `serde_json`, enable its
/// `float_roundtrip` feature).
///
/// ```
/// use callroute::*;
/// let mut router = Router::new(RouterConfig::default())?;
/// let q = QueueId::new(1);
/// router.add_queue(QueueConfig::new(q))?;
/// let _ = router.arrive(Contact::new(ContactId::new(7), q, Channel::Chat), Timestamp::from_secs(3))?;
///
/// let json = serde_json::to_string(&router.snapshot()).map_err(|e| e.to_string())?;
/// let snapshot: Snapshot = serde_json::from_str(&json).map_err(|e| e.to_string())?;
/// let restored = Router::restore(snapshot)?;
/// assert_eq!(restored.snapshot(), router.snapshot());
/// assert_eq!(restored.waiting_count(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    version: u32,
    weights: PriorityWeights,
    missed_offers: MissedOffers,
    /// [`RouterConfig::idle_groups_kept`] (absent in older snapshots: the
    /// default).
    #[serde(default = "default_idle_groups_kept")]
    idle_groups_kept: usize,
    /// [`RouterConfig::stage_rule`] (absent in older snapshots: the
    /// default).
    #[serde(default)]
    stage_rule: StageRule,
    clock: Timestamp,
    next_seq: u64,
    /// The random generator's 128-bit state as two words (high, low), as
    /// few formats carry 128-bit integers.
    rng: [u64; 2],
    /// In the order they were added.
    queues: Vec<QueueRecord>,
    /// By id, so that equal states give equal snapshots.
    agents: Vec<AgentRecord>,
    /// By arrival sequence.
    contacts: Vec<ContactRecord>,
    /// By due time, then sequence.
    timers: Vec<TimerRecord>,
    /// Places kept for callers who hung up: customer, queue called, first
    /// arrival, kept until.
    kept: Vec<(CustomerId, QueueId, Timestamp, Timestamp)>,
    /// See [`RouterConfig::repeat_window`].
    #[serde(default = "default_repeat_window")]
    repeat_window: Option<TimeSpan>,
    /// The last contact of each customer, within the repeat window.
    #[serde(default)]
    last_contacts: Vec<LastRecord>,
    /// First-contact resolution by stage and channel.
    #[serde(default)]
    resolution: ResolutionReport,
}

/// A customer's last contact, remembered until `until`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LastRecord {
    customer: CustomerId,
    until: Timestamp,
    home: QueueId,
    stage: LifecycleStage,
    channel: Channel,
    /// A first contact not judged yet.
    open: bool,
}

fn default_repeat_window() -> Option<TimeSpan> {
    RouterConfig::default().repeat_window
}

fn default_idle_groups_kept() -> usize {
    RouterConfig::default().idle_groups_kept
}

impl Snapshot {
    /// The format version the snapshot was written in.
    #[must_use]
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The router's clock when the snapshot was taken.
    #[must_use]
    pub fn clock(&self) -> Timestamp {
        self.clock
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct QueueRecord {
    config: QueueConfig,
    stats: QueueStats,
    last_chosen: Option<AgentId>,
    pace: AnswerPace,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AgentRecord {
    spec: AgentSpec,
    presence: Presence,
    /// Wrap-ups in progress: the channel and the key of the timer ending it.
    wrap_ups: Vec<(Channel, Timestamp, u64)>,
    last_contact_end: Timestamp,
    available_since: Timestamp,
    handled: u64,
    /// The key of the timer ending its rest after a missed offer.
    rest: Option<(Timestamp, u64)>,
    missed: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactRecord {
    /// The contact as it arrived (its queue is the one it arrived in).
    contact: Contact,
    /// The queue it is in now.
    queue: QueueId,
    /// The queue its service level counts in: where it arrived, or was
    /// transferred to out of service.
    home: QueueId,
    /// The requirements in force: the queue's merged with the contact's,
    /// as escalation changed them.
    requirements: Requirements,
    /// Queues whose agents may also take it, by escalation.
    widen: Vec<QueueId>,
    /// While its preference holds, the agents it waits for.
    only: Vec<AgentId>,
    /// The key of the timer ending its preference.
    prefer_timer: Option<(Timestamp, u64)>,
    /// When it entered its queue, the next step of its ladder and the key
    /// of that step's timer.
    entered: Timestamp,
    step: u8,
    step_timer: Option<(Timestamp, u64)>,
    /// Priority points added by escalation.
    bonus: f64,
    /// Whether its queue's upset rule applied.
    upset: bool,
    /// Where its stage came from (absent in older snapshots: given).
    #[serde(default)]
    stage_source: StageSource,
    /// Whether it arrived as a repeat contact.
    #[serde(default)]
    repeat: bool,
    /// Its callback, if the caller asked for one.
    #[serde(default)]
    callback: Option<Callback>,
    seq: u64,
    arrived: Timestamp,
    /// The agent serving it; `None` while it waits or is offered.
    agent: Option<AgentId>,
    /// Pending offers: the agent and the key of the offer's timeout.
    offers: Vec<(AgentId, Timestamp, u64)>,
    /// The key of a progressive offer's timer for one more agent.
    extend: Option<(Timestamp, u64)>,
    delays_scheduled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimerRecord {
    due: Timestamp,
    seq: u64,
    kind: TimerKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum TimerKind {
    WrapUpEnd {
        agent: AgentId,
    },
    /// A delayed routing-profile entry may take the contact now. `None`:
    /// the contact it was set for has left; it fires without effect.
    DelayElapsed {
        contact: Option<ContactId>,
        seq: u64,
    },
    OfferTimeout {
        contact: ContactId,
        agent: AgentId,
    },
    OfferExtend {
        contact: ContactId,
    },
    RestEnd {
        agent: AgentId,
    },
    Escalate {
        contact: ContactId,
    },
    PreferenceEnds {
        contact: ContactId,
    },
    CallbackDue {
        contact: ContactId,
    },
    CallbackExpires {
        contact: ContactId,
    },
}

/// Why [`Router::restore`] refused a snapshot. The snapshot was not applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    /// Written in a format this build does not read.
    #[error("snapshot format {found} is not supported (this build reads format {expected})")]
    Version {
        /// The format of the snapshot.
        found: u32,
        /// The format this build reads.
        expected: u32,
    },
    /// The priority weights are invalid.
    #[error("snapshot weights: {0}")]
    Weights(#[from] PolicyError),
    /// A queue, agent or contact is invalid or refers to something absent
    /// (the same checks as the live operations).
    #[error("snapshot record: {0}")]
    Record(#[from] RouterError),
    /// The records contradict each other.
    #[error("inconsistent snapshot: {0}")]
    Inconsistent(String),
}

fn inconsistent(what: impl Into<String>) -> SnapshotError {
    SnapshotError::Inconsistent(what.into())
}

impl Router {
    /// The router's state as a [`Snapshot`]. O(agents + contacts + timers).
    #[must_use]
    pub fn snapshot(&self) -> Snapshot {
        let queue_id = |slot: u32| self.queues.get(slot as usize).map(|q| q.config.id);
        let agent_id = |slot: u32| self.agent_ref(slot).map(|a| a.spec.id);
        let contact_id = |slot: u32| self.contact_at(slot).map(|c| c.contact.id);
        let queues = self
            .queues
            .iter()
            .map(|q| QueueRecord {
                config: q.config.clone(),
                stats: q.stats,
                last_chosen: q.last_chosen,
                pace: q.pace,
            })
            .collect();
        let mut agents: Vec<AgentRecord> = self
            .agents
            .iter()
            .flatten()
            .map(|a| AgentRecord {
                spec: a.spec.clone(),
                presence: a.presence,
                wrap_ups: a
                    .wrap_ups
                    .iter()
                    .filter_map(|w| {
                        let ch = Channel::ALL.get(w.channel)?;
                        Some((*ch, w.timer.0, w.timer.1))
                    })
                    .collect(),
                last_contact_end: a.last_contact_end,
                available_since: a.available_since,
                handled: a.handled,
                rest: a.rest,
                missed: a.missed,
            })
            .collect();
        agents.sort_by_key(|a| a.spec.id);
        let mut contacts: Vec<ContactRecord> = self
            .contacts
            .iter()
            .flatten()
            .map(|c| {
                let key = self.groups.get(c.group as usize).map(|g| &g.key);
                let ladder = c.ladder();
                ContactRecord {
                    contact: c.contact.clone(),
                    queue: queue_id(c.queue).unwrap_or(c.contact.queue),
                    home: queue_id(c.home).unwrap_or(c.contact.queue),
                    requirements: key.map(|k| k.requirements.clone()).unwrap_or_default(),
                    widen: key
                        .map(|k| k.widen.iter().filter_map(|&q| queue_id(q)).collect())
                        .unwrap_or_default(),
                    only: key.map(|k| k.only.clone()).unwrap_or_default(),
                    prefer_timer: ladder.prefer_timer,
                    entered: ladder.entered,
                    step: ladder.step,
                    step_timer: ladder.timer,
                    bonus: ladder.bonus,
                    upset: ladder.upset,
                    stage_source: c.stage_source(),
                    repeat: c.is_repeat(),
                    callback: c.callback(),
                    seq: c.seq,
                    arrived: c.arrived,
                    agent: match c.phase {
                        Phase::Waiting | Phase::Offered | Phase::Held => None,
                        Phase::InService { agent } => agent_id(agent),
                    },
                    offers: c
                        .offers()
                        .iter()
                        .filter_map(|o| Some((agent_id(o.agent)?, o.timer.0, o.timer.1)))
                        .collect(),
                    extend: c.extend(),
                    delays_scheduled: c.delays_scheduled,
                }
            })
            .collect();
        contacts.sort_by_key(|c| c.seq);
        // A timer is removed with what it serves; one whose agent or
        // contact were gone would fire as a no-op, so it is left out rather
        // than written with an id that stands for nothing (every id is a
        // user's).
        let timers = self
            .timers
            .iter()
            .filter_map(|(&(due, seq), timer)| {
                let kind = match *timer {
                    Timer::WrapUpEnd { agent } => TimerKind::WrapUpEnd {
                        agent: agent_id(agent)?,
                    },
                    Timer::DelayElapsed { contact, seq } => TimerKind::DelayElapsed {
                        contact: self
                            .contact_at(contact)
                            .filter(|c| c.seq == seq)
                            .map(|c| c.contact.id),
                        seq,
                    },
                    Timer::OfferTimeout { contact, agent } => TimerKind::OfferTimeout {
                        contact: contact_id(contact)?,
                        agent: agent_id(agent)?,
                    },
                    Timer::OfferExtend { contact } => TimerKind::OfferExtend {
                        contact: contact_id(contact)?,
                    },
                    Timer::Escalate { contact } => TimerKind::Escalate {
                        contact: contact_id(contact)?,
                    },
                    Timer::PreferenceEnds { contact } => TimerKind::PreferenceEnds {
                        contact: contact_id(contact)?,
                    },
                    Timer::RestEnd { agent } => TimerKind::RestEnd {
                        agent: agent_id(agent)?,
                    },
                    Timer::CallbackDue { contact } => TimerKind::CallbackDue {
                        contact: contact_id(contact)?,
                    },
                    Timer::CallbackExpires { contact } => TimerKind::CallbackExpires {
                        contact: contact_id(contact)?,
                    },
                };
                Some(TimerRecord { due, seq, kind })
            })
            .collect();
        Snapshot {
            version: SNAPSHOT_VERSION,
            weights: self.weights,
            missed_offers: self.missed_offers,
            idle_groups_kept: self.idle_groups_kept,
            stage_rule: self.stage_rule,
            clock: self.clock,
            next_seq: self.next_seq,
            rng: {
                let state = self.rng.state();
                [(state >> 64) as u64, state as u64]
            },
            queues,
            agents,
            contacts,
            timers,
            kept: self
                .resumes
                .iter()
                .map(|(c, until, k)| (c, k.queue, k.arrived, until))
                .collect(),
            repeat_window: self.repeat_window,
            last_contacts: self
                .repeats
                .iter()
                .filter_map(|(customer, until, l)| {
                    Some(LastRecord {
                        customer,
                        until,
                        home: self.queues.get(l.home as usize)?.config.id,
                        stage: l.stage,
                        channel: l.channel,
                        open: l.open,
                    })
                })
                .collect(),
            resolution: self.resolution,
        }
    }

    /// A router in the state of `snapshot`, its indexes rebuilt.
    /// O((agents + contacts) × requirement profiles) at worst.
    ///
    /// # Errors
    ///
    /// [`SnapshotError`] when the format is not this build's, a record is
    /// invalid, or the records contradict each other (a contact served by an
    /// unknown or logged-out agent, a timer for
    /// an unknown agent, a sequence number not yet issued, ...).
    pub fn restore(snapshot: Snapshot) -> Result<Router, SnapshotError> {
        if snapshot.version != SNAPSHOT_VERSION {
            return Err(SnapshotError::Version {
                found: snapshot.version,
                expected: SNAPSHOT_VERSION,
            });
        }
        let Snapshot {
            weights,
            missed_offers,
            idle_groups_kept,
            stage_rule,
            clock,
            next_seq,
            rng,
            queues,
            agents,
            contacts,
            timers,
            kept,
            repeat_window,
            last_contacts,
            resolution,
            ..
        } = snapshot;
        let config = RouterConfig::default()
            .weights(weights)
            .missed_offers(missed_offers)
            .idle_groups_kept(idle_groups_kept)
            .stage_rule(stage_rule)
            .repeat_window(repeat_window);
        let mut r = Router::new(config)?;
        r.rng = Pcg64Mcg::new((u128::from(rng[0]) << 64) | u128::from(rng[1]));
        r.clock = clock;
        // One sequence number is issued per event: a real router never
        // comes near 2^63, and the headroom keeps the next 2^63 events from
        // running out of numbers (which would reorder them).
        if next_seq > 1 << 63 {
            return Err(inconsistent(format!(
                "next sequence {next_seq} is beyond 2^63: no router issues that many"
            )));
        }
        r.next_seq = next_seq;
        let issued = |seq: u64, what: &str| {
            if seq == 0 || seq > next_seq {
                Err(inconsistent(format!(
                    "{what} has sequence {seq}, not yet issued (next is {next_seq})"
                )))
            } else {
                Ok(())
            }
        };
        for q in queues {
            r.add_queue(q.config)?;
            if let Some(state) = r.queues.last_mut() {
                state.stats = q.stats;
                state.last_chosen = q.last_chosen;
                state.pace = q.pace;
            }
        }
        let mut wrap_up_keys = Vec::new();
        // Timers the records name, to be found among the timers.
        let mut expected: Vec<(TimerKey, Timer)> = Vec::new();
        for rec in agents {
            let id = rec.spec.id;
            r.add_agent(rec.spec)?;
            let slot = r.agent_slot(id)?;
            let mut wrap_ups = Vec::with_capacity(rec.wrap_ups.len());
            for (channel, due, seq) in rec.wrap_ups {
                issued(seq, "a wrap-up")?;
                wrap_up_keys.push(((due, seq), slot));
                wrap_ups.push(WrapUp {
                    channel: channel.index(),
                    timer: (due, seq),
                });
            }
            if rec.presence == Presence::LoggedOut && !wrap_ups.is_empty() {
                return Err(inconsistent(format!("{id} is logged out in wrap-up")));
            }
            if let Some(a) = r.agent_mut(slot) {
                for w in &wrap_ups {
                    if let Some(l) = a.load.get_mut(w.channel) {
                        *l = l.saturating_add(1);
                    }
                }
                a.presence = rec.presence;
                a.wrap_ups = wrap_ups;
                a.last_contact_end = rec.last_contact_end;
                a.available_since = rec.available_since;
                a.handled = rec.handled;
                a.rest = rec.rest;
                a.missed = rec.missed;
            }
            if let Some(key) = rec.rest {
                expected.push((key, Timer::RestEnd { agent: slot }));
            }
        }
        let mut waiting = vec![0u64; r.queues.len()];
        for rec in contacts {
            r.restore_contact(rec, &mut waiting, &mut expected)?;
        }
        for (q, n) in r.queues.iter().zip(waiting) {
            if q.stats.waiting != n {
                return Err(inconsistent(format!(
                    "{} counts {} waiting but holds {n}",
                    q.config.id, q.stats.waiting
                )));
            }
        }
        for t in timers {
            issued(t.seq, "a timer")?;
            let timer = match t.kind {
                TimerKind::WrapUpEnd { agent } => {
                    let slot = r.agent_slot(agent)?;
                    Timer::WrapUpEnd { agent: slot }
                }
                TimerKind::OfferTimeout { contact, agent } => Timer::OfferTimeout {
                    contact: r.contact_slot(contact)?,
                    agent: r.agent_slot(agent)?,
                },
                TimerKind::OfferExtend { contact } => Timer::OfferExtend {
                    contact: r.contact_slot(contact)?,
                },
                TimerKind::Escalate { contact } => Timer::Escalate {
                    contact: r.contact_slot(contact)?,
                },
                TimerKind::PreferenceEnds { contact } => Timer::PreferenceEnds {
                    contact: r.contact_slot(contact)?,
                },
                TimerKind::RestEnd { agent } => Timer::RestEnd {
                    agent: r.agent_slot(agent)?,
                },
                TimerKind::CallbackDue { contact } => Timer::CallbackDue {
                    contact: r.contact_slot(contact)?,
                },
                TimerKind::CallbackExpires { contact } => Timer::CallbackExpires {
                    contact: r.contact_slot(contact)?,
                },
                TimerKind::DelayElapsed { contact, seq } => {
                    let slot = match contact {
                        Some(c) => r.contact_slot(c)?,
                        None => u32::MAX,
                    };
                    Timer::DelayElapsed { contact: slot, seq }
                }
            };
            if r.timers.insert((t.due, t.seq), timer).is_some() {
                return Err(inconsistent(format!("two timers share key {}", t.seq)));
            }
        }
        let wrap_ups = wrap_up_keys
            .into_iter()
            .map(|(key, slot)| (key, Timer::WrapUpEnd { agent: slot }));
        for (key, timer) in wrap_ups.chain(expected) {
            if r.timers.get(&key) != Some(&timer) {
                return Err(inconsistent(format!(
                    "timer {} named by a record is missing or of another kind",
                    key.1
                )));
            }
        }
        for (customer, queue, arrived, until) in kept {
            r.queue_slot(queue)?;
            if arrived > until {
                return Err(inconsistent(format!(
                    "{customer}'s kept place ends before it began"
                )));
            }
            r.resumes.insert(customer, until, Kept { queue, arrived });
        }
        for l in last_contacts {
            let home = r.queue_slot(l.home)?;
            let last = Last {
                home,
                stage: l.stage,
                channel: l.channel,
                open: l.open,
            };
            if r.repeats.insert(l.customer, l.until, last).is_some() {
                return Err(inconsistent(format!(
                    "{} has two last contacts",
                    l.customer
                )));
            }
        }
        r.resolution = resolution;
        for slot in 0..r.agents.len() as u32 {
            r.refresh_free(slot);
        }
        Ok(r)
    }

    /// Puts one contact record back: in service with its agent, or waiting
    /// in its group.
    fn restore_contact(
        &mut self,
        rec: ContactRecord,
        waiting: &mut [u64],
        expected: &mut Vec<(TimerKey, Timer)>,
    ) -> Result<(), SnapshotError> {
        let id = rec.contact.id;
        if self.contact_slots.contains(id) {
            return Err(RouterError::DuplicateContact(id).into());
        }
        if rec.seq == 0 || rec.seq > self.next_seq {
            return Err(inconsistent(format!("{id} has a sequence not yet issued")));
        }
        if rec.arrived > self.clock {
            return Err(inconsistent(format!("{id} arrives after the clock")));
        }
        let home = self.queue_slot(rec.home)?;
        let queue = self.queue_slot(rec.queue)?;
        let mut widen = Vec::with_capacity(rec.widen.len());
        for q in &rec.widen {
            widen.push(self.queue_slot(*q)?);
        }
        if !widen.is_sorted() || widen.windows(2).any(|w| w.first() == w.get(1)) {
            return Err(inconsistent(format!("{id} widens to queues out of order")));
        }
        if !crate::policy::within_points(rec.bonus) {
            return Err(inconsistent(format!(
                "{id} has a priority bonus beyond MAX_POINTS or not finite"
            )));
        }
        let channel = rec.contact.channel;
        let mut only = rec.only;
        only.sort_unstable();
        only.dedup();
        let group = self.group_for(KeyRef {
            queue,
            channel,
            requirements: &rec.requirements,
            widen: &widen,
            only: &only,
        });
        let slot = self.contacts.len() as u32;
        let mut offers = Vec::with_capacity(rec.offers.len());
        for (agent, due, seq) in rec.offers {
            let a_slot = self.agent_slot(agent)?;
            let a = self
                .agent_mut(a_slot)
                .ok_or(RouterError::UnknownAgent(agent))?;
            if a.presence == Presence::LoggedOut || offers.iter().any(|o: &Offer| o.agent == a_slot)
            {
                return Err(inconsistent(format!(
                    "{id} is offered to {agent} twice or logged out"
                )));
            }
            if let Some(l) = a.load.get_mut(channel.index()) {
                *l = l.saturating_add(1);
            }
            a.offers += 1;
            expected.push((
                (due, seq),
                Timer::OfferTimeout {
                    contact: slot,
                    agent: a_slot,
                },
            ));
            offers.push(Offer {
                agent: a_slot,
                timer: (due, seq),
            });
        }
        if let Some(key) = rec.extend {
            expected.push((key, Timer::OfferExtend { contact: slot }));
        }
        if let Some(key) = rec.callback.and_then(|cb| cb.expiry) {
            expected.push((key, Timer::CallbackExpires { contact: slot }));
        }
        let held = rec.callback.and_then(|cb| cb.held);
        if let Some(key) = held {
            expected.push((key, Timer::CallbackDue { contact: slot }));
            if rec.agent.is_some() || !offers.is_empty() {
                return Err(inconsistent(format!("{id} is held but not waiting")));
            }
        }
        let phase = match (rec.agent, offers.is_empty()) {
            (None, true) if held.is_some() => Phase::Held,
            (None, true) => Phase::Waiting,
            (None, false) => Phase::Offered,
            (Some(agent), true) => {
                let a_slot = self.agent_slot(agent)?;
                let a = self
                    .agent_mut(a_slot)
                    .ok_or(RouterError::UnknownAgent(agent))?;
                if a.presence == Presence::LoggedOut {
                    return Err(inconsistent(format!(
                        "{id} is served by logged-out {agent}"
                    )));
                }
                if let Some(l) = a.load.get_mut(channel.index()) {
                    *l = l.saturating_add(1);
                }
                a.in_service += 1;
                Phase::InService { agent: a_slot }
            }
            (Some(_), false) => {
                return Err(inconsistent(format!("{id} is both in service and offered")));
            }
        };
        if let Some(key) = rec.step_timer {
            expected.push((key, Timer::Escalate { contact: slot }));
        }
        if let Some(key) = rec.prefer_timer {
            expected.push((key, Timer::PreferenceEnds { contact: slot }));
        }
        if rec.extend.is_some() && phase != Phase::Offered {
            return Err(inconsistent(format!(
                "{id} rings more agents but is not offered"
            )));
        }
        let mut state = ContactState::new(
            rec.contact,
            [queue, home, group],
            rec.seq,
            rec.arrived,
            phase,
            Some(Box::new(More {
                offers,
                extend: rec.extend,
                ladder: Ladder {
                    entered: rec.entered,
                    step: rec.step,
                    timer: rec.step_timer,
                    bonus: rec.bonus,
                    upset: rec.upset,
                    prefer_timer: rec.prefer_timer,
                },
                stage_source: rec.stage_source,
                repeat: rec.repeat,
                callback: rec.callback,
            })),
        );
        state.delays_scheduled = rec.delays_scheduled;
        let key = self.wait_key(&state);
        self.contacts.push(Some(state));
        self.hold_group(group);
        self.contact_slots.insert(id, slot);
        if phase == Phase::Waiting {
            if let Some(g) = self.groups.get_mut(group as usize) {
                g.waiting.push(slot, key, &mut self.wait_pos);
                self.waiting_total += 1;
            }
            self.refresh_head(group);
            if let Some(n) = waiting.get_mut(queue as usize) {
                *n += 1;
            }
        }
        Ok(())
    }
}
