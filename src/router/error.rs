//! The router's error type.

use crate::model::{AgentId, ContactId, QueueId};
use crate::time::Timestamp;

/// An operation was refused; the router is unchanged, with one exception:
/// the two refusals of an arriving contact, [`RouterError::QueueFull`] and
/// [`RouterError::Unstaffed`], are counted in the queue's
/// [`QueueStats::refused`](crate::QueueStats::refused) (and the waiting
/// structure of the contact's requirement profile may stay among the idle
/// ones of [`RouterConfig::idle_groups_kept`](crate::RouterConfig::idle_groups_kept),
/// which no snapshot or decision sees). Nothing else changes: no clock, no
/// sequence number, no random draw.
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
    /// A timer is due at or before `now`: call [`Router::advance`](crate::Router::advance) first.
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
    /// The queue has `max_waiting` contacts waiting; the contact was refused
    /// (and counted in [`QueueStats::refused`](crate::QueueStats::refused)).
    #[error("{queue} is full: {contact} refused")]
    QueueFull {
        /// The full queue.
        queue: QueueId,
        /// The refused contact.
        contact: ContactId,
    },
    /// A queue's offer policy has a zero timeout or interval, or no agent.
    #[error("{0} has an offer policy that cannot work (zero timeout or interval, or no agent)")]
    InvalidOfferPolicy(QueueId),
    /// A contact named a purpose its entry queue's menu does not list; it
    /// was not accepted.
    #[error("{queue} has no {purpose} in its menu")]
    UnknownPurpose {
        /// The entry queue.
        queue: QueueId,
        /// The purpose.
        purpose: crate::model::PurposeId,
    },
    /// A queue's menu lists a purpose twice, or sends one to a queue not
    /// added yet.
    #[error("{queue}: the menu entry for {purpose} repeats it or names a queue not added yet")]
    InvalidPurpose {
        /// The queue.
        queue: QueueId,
        /// The purpose at fault.
        purpose: crate::model::PurposeId,
    },
    /// A queue's escalation steps or upset rule cannot work.
    #[error("{queue}: {reason}")]
    InvalidEscalation {
        /// The queue.
        queue: QueueId,
        /// What is wrong.
        reason: &'static str,
    },
    /// The agent holds no pending offer of the contact (never offered, or
    /// the offer already ended).
    #[error("{agent} holds no offer of {contact}")]
    NoSuchOffer {
        /// The contact.
        contact: ContactId,
        /// The agent.
        agent: AgentId,
    },
    /// No logged-in agent could serve the contact and its queue refuses
    /// contacts then ([`Unstaffed::Refuse`](crate::Unstaffed::Refuse)); the
    /// refusal is counted in [`QueueStats::refused`](crate::QueueStats::refused).
    #[error("nobody logged in can serve {contact} in {queue}: refused")]
    Unstaffed {
        /// The queue.
        queue: QueueId,
        /// The refused contact.
        contact: ContactId,
    },
    /// The contact's queue offers no callbacks.
    #[error("{0} offers no callbacks")]
    CallbacksNotOffered(QueueId),
    /// The contact's estimated wait is below its queue's
    /// [`CallbackPolicy::offer_above`](crate::CallbackPolicy::offer_above).
    #[error("{contact} is expected to wait only {expected}: no callback")]
    CallbackNotNeeded {
        /// The contact.
        contact: ContactId,
        /// Its estimated wait.
        expected: crate::time::TimeSpan,
    },
    /// The contact is no callback.
    #[error("{0} is not a callback")]
    NotACallback(ContactId),
    /// A queue's base priority is not finite or beyond
    /// [`MAX_POINTS`](crate::MAX_POINTS) in size.
    #[error("{queue} has base priority {value}, which is not finite or beyond MAX_POINTS (1e12)")]
    InvalidBasePriority {
        /// The queue.
        queue: QueueId,
        /// The value given.
        value: f64,
    },
}
