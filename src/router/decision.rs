//! What the router decided: values the caller must carry out.

use crate::model::{AgentId, ContactId, QueueId};
use crate::policy::PriorityBreakdown;
use crate::time::{TimeSpan, Timestamp};
use serde::{Deserialize, Serialize};

/// One decision of the router.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Decision {
    /// Connect `contact` to `agent`.
    Assigned {
        /// The contact.
        contact: ContactId,
        /// The agent who takes it.
        agent: AgentId,
        /// The contact's queue.
        queue: QueueId,
        /// How long it waited.
        waited: TimeSpan,
        /// Its priority at the moment of assignment, term by term.
        priority: PriorityBreakdown,
    },
    /// `contact` waits in `queue`; no eligible agent had free capacity.
    Queued {
        /// The contact.
        contact: ContactId,
        /// Its queue.
        queue: QueueId,
        /// Its priority at arrival, term by term.
        priority: PriorityBreakdown,
    },
    /// `agent` finished after-contact work at `at`.
    WrapUpEnded {
        /// The agent.
        agent: AgentId,
        /// When the wrap-up ended.
        at: Timestamp,
    },
}

/// The decisions of one operation, in the order they were made.
///
/// Within one operation the router first records what the operation itself
/// caused (a contact queued, a wrap-up ended), then every assignment that
/// follows from it, in the order made.
///
/// ```
/// use callroute::{AgentId, AgentSpec, Channel, Contact, ContactId, Decision, QueueConfig, QueueId,
///     Router, RouterConfig, RoutingProfile, Timestamp};
/// let mut router = Router::new(RouterConfig::default())?;
/// router.add_queue(QueueConfig::new(QueueId::new(1)))?;
/// router.add_agent(AgentSpec::new(AgentId::new(7)).profile(RoutingProfile::new().serve(QueueId::new(1), 1)))?;
/// let _ = router.log_in(AgentId::new(7), Timestamp::ZERO)?;
/// let decisions = router.arrive(Contact::new(ContactId::new(1), QueueId::new(1), Channel::Voice), Timestamp::ZERO)?;
/// assert!(matches!(decisions.as_slice(), [Decision::Assigned { agent, .. }] if *agent == AgentId::new(7)));
/// # Ok::<(), callroute::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[must_use = "decisions are offers and assignments the caller must carry out"]
pub struct Decisions(Vec<Decision>);

impl Decisions {
    pub(crate) fn new() -> Self {
        Decisions(Vec::new())
    }

    pub(crate) fn push(&mut self, d: Decision) {
        self.0.push(d);
    }

    /// The decisions as a slice.
    #[must_use]
    pub fn as_slice(&self) -> &[Decision] {
        &self.0
    }

    /// How many decisions were made.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no decision was made.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Iterates over the decisions.
    pub fn iter(&self) -> core::slice::Iter<'_, Decision> {
        self.0.iter()
    }

    /// The assignments among the decisions, as `(contact, agent)` pairs.
    pub fn assignments(&self) -> impl Iterator<Item = (ContactId, AgentId)> + '_ {
        self.0.iter().filter_map(|d| match d {
            Decision::Assigned { contact, agent, .. } => Some((*contact, *agent)),
            _ => None,
        })
    }

    /// The decisions as a vector.
    #[must_use]
    pub fn into_vec(self) -> Vec<Decision> {
        self.0
    }
}

impl IntoIterator for Decisions {
    type Item = Decision;
    type IntoIter = std::vec::IntoIter<Decision>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Decisions {
    type Item = &'a Decision;
    type IntoIter = core::slice::Iter<'a, Decision>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
