//! The router's records of agents, contacts, queues and timers.

use crate::model::{AgentId, AgentSpec, Contact, NotReadyReason, Requirements};
use crate::policy::{IdleMeasure, Selection, StageSource, ordered_bits};
use crate::router::bitset::Bitset;
use crate::router::config::QueueConfig;
use crate::router::stats::QueueStats;
use crate::time::Timestamp;

#[derive(Debug, Clone)]
pub(crate) struct QueueState {
    pub(crate) config: QueueConfig,
    /// Agents whose routing profile names the queue (any delay).
    pub(crate) members: Bitset,
    /// Waiting groups of the queue.
    pub(crate) groups: Vec<u32>,
    pub(crate) stats: QueueStats,
    /// The agent chosen last, for round robin.
    pub(crate) last_chosen: Option<AgentId>,
    /// How fast the queue has been answering, for wait estimates.
    pub(crate) pace: crate::router::estimate::AnswerPace,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Presence {
    LoggedOut,
    Ready,
    NotReady(NotReadyReason),
}

/// A group the agent may serve, with the agent's rank for its queue and
/// whether its routing profile delays that queue (the delay itself is in
/// the group's [`delayed`](crate::router::waiting::Group::delayed) list).
/// Eight bytes: a freed agent reads all its links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Link {
    pub(crate) rank: u8,
    pub(crate) group: u32,
    pub(crate) channel: crate::model::Channel,
    /// Whether the group's contacts reach the agent only after a delay.
    pub(crate) delayed: bool,
}

pub(crate) type TimerKey = (Timestamp, u64);

/// Forgets the timer `held` if it is `key` (which just fired); whether it was.
/// Every timer a record holds is spent this way, so no key outlives its timer.
pub(crate) fn spend(held: &mut Option<TimerKey>, key: TimerKey) -> bool {
    let fired = *held == Some(key);
    if fired {
        *held = None;
    }
    fired
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct WrapUp {
    pub(crate) channel: usize,
    pub(crate) timer: TimerKey,
}

#[derive(Debug, Clone)]
pub(crate) struct AgentState {
    pub(crate) spec: AgentSpec,
    pub(crate) presence: Presence,
    /// Contacts in service or in wrap-up, per channel.
    pub(crate) load: [u8; 4],
    pub(crate) in_service: u32,
    pub(crate) wrap_ups: Vec<WrapUp>,
    /// Groups the agent may serve, sorted by rank then group.
    pub(crate) links: Vec<Link>,
    pub(crate) last_contact_end: Timestamp,
    pub(crate) available_since: Timestamp,
    pub(crate) handled: u64,
    /// Offers pending for the agent (each holds one unit of its load).
    pub(crate) offers: u32,
    /// While resting after a rejected or missed offer: the timer ending it.
    pub(crate) rest: Option<TimerKey>,
    /// Offers missed in a row since the last acceptance.
    pub(crate) missed: u8,
    /// The agent's entries in the idle orders, while fully idle and ready.
    pub(crate) idle_keys: Option<[crate::router::availability::IdleKey; 2]>,
    /// The idle lists the agent belongs to (all, then one per skill);
    /// filled on first use, emptied when its skills change.
    /// Held inline: the agent's record is in the cache whenever its lists
    /// are read, and most agents belong to fewer than ten.
    pub(crate) idle_lists: crate::small_list::SmallList<u32, 9>,
}

impl AgentState {
    pub(crate) fn new(spec: AgentSpec) -> Self {
        AgentState {
            spec,
            presence: Presence::LoggedOut,
            load: [0; 4],
            in_service: 0,
            wrap_ups: Vec::new(),
            links: Vec::new(),
            last_contact_end: Timestamp::ZERO,
            available_since: Timestamp::ZERO,
            handled: 0,
            offers: 0,
            rest: None,
            missed: 0,
            idle_keys: None,
            idle_lists: Default::default(),
        }
    }

    /// Whether the agent may be given new work: ready and not resting.
    pub(crate) fn takes_work(&self) -> bool {
        self.presence == Presence::Ready && self.rest.is_none()
    }

    /// Whether the agent has every required skill at the minimum level and
    /// the required language.
    pub(crate) fn qualifies(&self, req: &Requirements) -> bool {
        req.skills()
            .iter()
            .all(|r| self.spec.proficiency(r.skill).is_some_and(|p| p >= r.min))
            && req
                .required_language()
                .is_none_or(|l| self.spec.languages.contains(&l))
    }

    pub(crate) fn proficiency_sum(&self, req: &Requirements) -> u64 {
        req.skills()
            .iter()
            .filter_map(|r| self.spec.proficiency(r.skill))
            .map(|p| u64::from(p.get()))
            .sum()
    }

    /// The numbers the selection strategies compare.
    pub(crate) fn facts(&self) -> SelectionFacts {
        SelectionFacts {
            id: self.spec.id.get(),
            busy: self.load.iter().any(|&l| l > 0),
            last_contact_end: self.last_contact_end.as_millis(),
            available_since: self.available_since.as_millis(),
            in_service: self.in_service,
            handled: self.handled,
        }
    }
}

/// A compact copy of what the selection strategies compare, kept per slot
/// so that choosing among many candidates touches one small array.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct SelectionFacts {
    pub(crate) id: u32,
    busy: bool,
    last_contact_end: u64,
    available_since: u64,
    in_service: u32,
    handled: u64,
}

impl SelectionFacts {
    /// The key under a deterministic strategy: the smallest key wins.
    /// `proficiency` is asked only by [`Selection::MostProficient`].
    pub(crate) fn key(
        &self,
        selection: Selection,
        last_chosen: Option<AgentId>,
        proficiency: impl FnOnce() -> u64,
        custom: impl FnOnce() -> f64,
    ) -> (u64, u64, u64, u32) {
        let id = self.id;
        let busy = u64::from(self.busy);
        let since_contact = self.last_contact_end;
        match selection {
            Selection::LongestIdle(IdleMeasure::SinceLastContact) => (busy, since_contact, 0, id),
            Selection::LongestIdle(IdleMeasure::SinceAvailable) => {
                (busy, self.available_since, 0, id)
            }
            Selection::MostProficient => (u64::MAX - proficiency(), busy, since_contact, id),
            Selection::Custom => (u64::MAX - ordered_bits(custom()), busy, since_contact, id),
            Selection::LeastOccupied => (u64::from(self.in_service), since_contact, 0, id),
            Selection::FewestHandled => (self.handled, busy, since_contact, id),
            Selection::RoundRobin | Selection::Random | Selection::WeightedRandom => {
                let start = last_chosen.map_or(0, |a| a.get().wrapping_add(1));
                (u64::from(id.wrapping_sub(start)), 0, 0, id)
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Waiting,
    /// A callback held off the queue until its timer
    /// ([`More::callback`]).
    Held,
    /// Offered to the agents of [`ContactState::offers`].
    Offered,
    InService {
        agent: u32,
    },
}

/// A pending offer: the agent offered, and the timer of its timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Offer {
    pub(crate) agent: u32,
    pub(crate) timer: TimerKey,
}

#[derive(Debug, Clone)]
pub(crate) struct ContactState {
    /// The contact as it arrived, with its own requirements (before its
    /// queue's and any escalation).
    pub(crate) contact: Contact,
    /// The queue it waits in now (it may have overflowed).
    pub(crate) queue: u32,
    /// The queue it arrived in, which accounts for its service level.
    pub(crate) home: u32,
    pub(crate) group: u32,
    pub(crate) seq: u64,
    pub(crate) arrived: Timestamp,
    pub(crate) phase: Phase,
    /// Whether the timers of delayed routing-profile entries were set.
    pub(crate) delays_scheduled: bool,
    /// Offers and the escalation ladder, which most contacts never need:
    /// boxed, so that the record every arrival writes stays small. `None`
    /// means no offer and the ladder of [`Ladder::new`]`(arrived)`.
    more: Option<Box<More>>,
}

/// The part of a contact's record that most contacts never need.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct More {
    /// Pending offers, in the order made.
    pub(crate) offers: Vec<Offer>,
    /// A progressive offer's timer for one more agent.
    pub(crate) extend: Option<TimerKey>,
    pub(crate) ladder: Ladder,
    /// Where its stage came from, when not given with it.
    pub(crate) stage_source: StageSource,
    /// Whether it arrived as a repeat contact.
    pub(crate) repeat: bool,
    /// Its callback, once the caller asked for one.
    pub(crate) callback: Option<crate::router::callback::Callback>,
}

impl ContactState {
    /// A contact waiting from `arrived`, with `more` (see the field).
    #[inline]
    pub(crate) fn new(
        contact: Contact,
        [queue, home, group]: [u32; 3],
        seq: u64,
        arrived: Timestamp,
        phase: Phase,
        more: Option<Box<More>>,
    ) -> Self {
        let more = more.filter(|m| {
            !m.offers.is_empty()
                || m.extend.is_some()
                || m.ladder != Ladder::new(arrived)
                || m.stage_source != StageSource::Given
                || m.repeat
                || m.callback.is_some()
        });
        ContactState {
            contact,
            queue,
            home,
            group,
            seq,
            arrived,
            phase,
            delays_scheduled: false,
            more,
        }
    }

    /// Its ladder (a copy).
    #[inline]
    pub(crate) fn ladder(&self) -> Ladder {
        self.more
            .as_ref()
            .map_or_else(|| Ladder::new(self.arrived), |m| m.ladder)
    }

    /// The points its escalations added.
    #[inline]
    pub(crate) fn bonus(&self) -> f64 {
        self.more.as_ref().map_or(0.0, |m| m.ladder.bonus)
    }

    /// Its pending offers.
    #[inline]
    pub(crate) fn offers(&self) -> &[Offer] {
        self.more.as_ref().map_or(&[], |m| &m.offers)
    }

    /// Where its stage came from.
    #[inline]
    pub(crate) fn stage_source(&self) -> StageSource {
        self.more
            .as_ref()
            .map_or(StageSource::Given, |m| m.stage_source)
    }

    /// Whether it arrived as a repeat contact.
    #[inline]
    pub(crate) fn is_repeat(&self) -> bool {
        self.more.as_ref().is_some_and(|m| m.repeat)
    }

    /// Its callback, if the caller asked for one.
    #[inline]
    pub(crate) fn callback(&self) -> Option<crate::router::callback::Callback> {
        self.more.as_ref().and_then(|m| m.callback)
    }

    /// Its callback, to change, if the caller asked for one.
    #[inline]
    pub(crate) fn callback_mut(&mut self) -> Option<&mut crate::router::callback::Callback> {
        self.more.as_mut().and_then(|m| m.callback.as_mut())
    }

    /// Its progressive offer's timer.
    #[inline]
    pub(crate) fn extend(&self) -> Option<TimerKey> {
        self.more.as_ref().and_then(|m| m.extend)
    }

    /// The rarely needed part, created on first need.
    pub(crate) fn more_mut(&mut self) -> &mut More {
        let arrived = self.arrived;
        self.more.get_or_insert_with(|| {
            Box::new(More {
                offers: Vec::new(),
                extend: None,
                ladder: Ladder::new(arrived),
                stage_source: StageSource::Given,
                repeat: false,
                callback: None,
            })
        })
    }

    /// The rarely needed part, if it exists; for taking what it holds.
    #[inline]
    pub(crate) fn more_if_any(&mut self) -> Option<&mut More> {
        self.more.as_deref_mut()
    }

    /// Every timer the record names: its offers', a progressive offer's,
    /// its escalation step's and preference's, and its callback's hold and
    /// window. A contact that leaves the router takes all of them with it.
    pub(crate) fn timers(&self) -> impl Iterator<Item = TimerKey> + '_ {
        self.more.iter().flat_map(|m| {
            let callback = m
                .callback
                .iter()
                .flat_map(|cb| cb.held.into_iter().chain(cb.expiry));
            m.offers
                .iter()
                .map(|o| o.timer)
                .chain(m.extend)
                .chain(m.ladder.timer)
                .chain(m.ladder.prefer_timer)
                .chain(callback)
        })
    }
}

/// Where a contact stands on its queue's escalation ladder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ladder {
    /// When it entered its current queue; steps count from here.
    pub(crate) entered: Timestamp,
    /// The next step of the current queue's ladder.
    pub(crate) step: u8,
    /// The timer of the next step.
    pub(crate) timer: Option<TimerKey>,
    /// Points added by steps.
    pub(crate) bonus: f64,
    /// Whether the upset rule has applied.
    pub(crate) upset: bool,
    /// The timer ending the contact's preference for some agents.
    pub(crate) prefer_timer: Option<TimerKey>,
}

impl Ladder {
    pub(crate) fn new(entered: Timestamp) -> Self {
        Ladder {
            entered,
            step: 0,
            timer: None,
            bonus: 0.0,
            upset: false,
            prefer_timer: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Timer {
    WrapUpEnd { agent: u32 },
    DelayElapsed { contact: u32, seq: u64 },
    OfferTimeout { contact: u32, agent: u32 },
    OfferExtend { contact: u32 },
    RestEnd { agent: u32 },
    Escalate { contact: u32 },
    PreferenceEnds { contact: u32 },
    CallbackDue { contact: u32 },
    CallbackExpires { contact: u32 },
}
