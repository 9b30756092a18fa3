//! Offers: how a queue's contacts are put to agents before they connect.
//!
//! Without an [`OfferPolicy`] a queue connects a contact the moment the
//! router picks its agent ([`Decision::Assigned`](crate::Decision::Assigned)).
//! With one, the router first *offers* it ([`Decision::Offered`](crate::Decision::Offered)):
//! the agent is reserved (the offer holds one unit of its capacity on the
//! contact's channel) and the contact is neither waiting nor lost, until
//!
//! - an offered agent accepts ([`Router::accept`](crate::Router::accept)): the
//!   contact connects to that agent and every other offer of it is
//!   withdrawn ([`OfferEnd::Withdrawn`]);
//! - an offered agent rejects ([`Router::reject`](crate::Router::reject)) or
//!   does not answer within the policy's timeout (fired by
//!   [`Router::advance`](crate::Router::advance)): that offer ends, the agent
//!   rests as [`MissedOffers`] says, and once no offer of the contact is
//!   left it goes back to its place, with its original arrival time and
//!   priority ([`Decision::Queued`](crate::Decision::Queued)); the freed
//!   agent, if it may take work, takes the best waiting contact, and then a
//!   free agent that may take the contact takes it;
//! - the caller hangs up ([`Router::abandon`](crate::Router::abandon)): every
//!   offer is withdrawn.

use crate::time::TimeSpan;
use core::num::NonZeroU8;
use serde::{Deserialize, Serialize};

/// To how many agents a contact is offered, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferMode {
    /// To one agent at a time.
    One,
    /// To up to `agents` eligible free agents at once, best first by the
    /// queue's selection; the first to accept wins.
    RingAll {
        /// The most agents offered at once (at least 1).
        agents: u8,
    },
    /// To the best agent, then one more every `every` while none has
    /// accepted, up to `agents` at once. An interval at which no agent is
    /// free ends the extension: the offer rings on with the agents it has.
    Progressive {
        /// The interval between two more agents (more than zero).
        every: TimeSpan,
        /// The most agents offered at once (at least 1).
        agents: u8,
    },
}

impl OfferMode {
    /// The most agents offered one contact at once.
    #[must_use]
    pub fn max_agents(&self) -> u8 {
        match *self {
            OfferMode::One => 1,
            OfferMode::RingAll { agents } | OfferMode::Progressive { agents, .. } => agents,
        }
    }
}

/// A queue's offers: each rings `timeout` before it counts as not answered.
///
/// ```
/// use callroute::{OfferMode, OfferPolicy, QueueConfig, QueueId, TimeSpan};
/// let q = QueueConfig::new(QueueId::new(1))
///     .offer(OfferPolicy::new(TimeSpan::from_secs(15)).mode(OfferMode::RingAll { agents: 3 }));
/// assert_eq!(q.offer.map(|o| o.mode.max_agents()), Some(3));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferPolicy {
    /// How long an offer rings (more than zero).
    pub timeout: TimeSpan,
    /// To how many agents, and when (default [`OfferMode::One`]).
    pub mode: OfferMode,
}

impl OfferPolicy {
    /// Offers to one agent at a time, each ringing `timeout`.
    #[must_use]
    pub fn new(timeout: TimeSpan) -> Self {
        OfferPolicy {
            timeout,
            mode: OfferMode::One,
        }
    }

    /// Sets the mode.
    #[must_use]
    pub fn mode(mut self, mode: OfferMode) -> Self {
        self.mode = mode;
        self
    }

    /// Whether the policy can work: a positive timeout and interval, and
    /// at least one agent.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.timeout > TimeSpan::ZERO
            && self.mode.max_agents() > 0
            && !matches!(self.mode, OfferMode::Progressive { every, .. } if every == TimeSpan::ZERO)
    }
}

/// What happens to an agent whose offer ends without an acceptance, so that
/// a contact is not put to the same absent agent in a loop (as Asterisk's
/// and FreeSWITCH's queues do after a no-answer).
///
/// While it *rests*, an agent stays ready but is offered nothing; its
/// contacts in service continue.
///
/// ```
/// use callroute::{MissedOffers, TimeSpan};
/// let m = MissedOffers::default();
/// assert_eq!(m.no_answer_rest, TimeSpan::from_secs(30));
/// assert_eq!(m.not_ready_after.get(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MissedOffers {
    /// Rest after the agent rejects an offer (default 10 s: a deliberate
    /// "not now", so a short pause).
    pub reject_rest: TimeSpan,
    /// Rest after an offer rings out unanswered (default 30 s: the agent
    /// is probably away from the desk).
    pub no_answer_rest: TimeSpan,
    /// After this many unanswered offers in a row the agent is put not
    /// ready with [`NotReadyReason::MissedOffers`](crate::NotReadyReason::MissedOffers)
    /// instead of resting (default 3, at most 255). An acceptance resets
    /// the count; rejections do not count.
    ///
    /// There is always such a limit: an agent who never answers is offered
    /// at most this many contacts before someone must make it ready again.
    /// Without one, offers that ring out and ring again (rests of zero,
    /// timeouts of a millisecond) would repeat without end, and one
    /// [`Router::advance`](crate::Router::advance) over a long stretch would
    /// return a decision per ring, its work set by the timeouts rather than
    /// by the router's state.
    pub not_ready_after: NonZeroU8,
}

impl Default for MissedOffers {
    fn default() -> Self {
        MissedOffers {
            reject_rest: TimeSpan::from_secs(10),
            no_answer_rest: TimeSpan::from_secs(30),
            not_ready_after: NonZeroU8::new(3).unwrap_or(NonZeroU8::MIN),
        }
    }
}

/// How an offer ended without the contact connecting to that agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferEnd {
    /// The agent rejected it.
    Rejected,
    /// It rang out unanswered.
    NoAnswer,
    /// The router took it back: another agent accepted, or the caller hung up.
    Withdrawn,
}
