//! What the router decided: values the caller must carry out.

use crate::model::{AgentId, ContactId, NotReadyReason, QueueId};
use crate::policy::PriorityBreakdown;
use crate::router::escalation::Escalation;
use crate::router::offer::OfferEnd;
use crate::time::{TimeSpan, Timestamp};
use serde::{Deserialize, Serialize};

/// One decision of the router.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Decision {
    /// Connect `contact` to `agent`: at once in a queue without offers, or
    /// when the agent accepts an offer.
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
        /// Whether it is a callback: the agent calls the customer
        /// ([`Router::request_callback`](crate::Router::request_callback)).
        #[serde(default)]
        callback: bool,
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
    /// Offer `contact` to `agent`, who is reserved for it until it accepts
    /// ([`Router::accept`](crate::Router::accept)), rejects
    /// ([`Router::reject`](crate::Router::reject)) or `expires` passes.
    Offered {
        /// The contact.
        contact: ContactId,
        /// The agent offered it.
        agent: AgentId,
        /// The contact's queue.
        queue: QueueId,
        /// When the offer rings out unanswered.
        expires: Timestamp,
        /// The contact's priority at the moment of the offer, term by term.
        priority: PriorityBreakdown,
    },
    /// The offer of `contact` to `agent` ended without connecting them;
    /// stop ringing that agent.
    OfferEnded {
        /// The contact.
        contact: ContactId,
        /// The agent.
        agent: AgentId,
        /// How it ended.
        end: OfferEnd,
    },
    /// An escalation step or upset rule changed `contact`, now in `queue`;
    /// the decisions that follow route it again.
    Escalated {
        /// The contact.
        contact: ContactId,
        /// Its queue after the change.
        queue: QueueId,
        /// What changed.
        action: Escalation,
        /// Whether the queue's upset rule caused it (rather than a step).
        upset: bool,
    },
    /// `contact` was transferred to `queue`
    /// ([`Router::transfer`](crate::Router::transfer)); the decisions that
    /// follow route it there.
    Transferred {
        /// The contact.
        contact: ContactId,
        /// The queue it now waits in.
        queue: QueueId,
    },
    /// `contact` changed channel ([`Router::switch_channel`](crate::Router::switch_channel));
    /// the [`Decision::Transferred`] that follows names the queue it waits in.
    ChannelSwitched {
        /// The contact.
        contact: ContactId,
        /// Its channel before.
        from: crate::model::Channel,
        /// Its channel now.
        to: crate::model::Channel,
    },
    /// The router put `agent` not ready (after missed offers).
    AgentNotReady {
        /// The agent.
        agent: AgentId,
        /// Why.
        reason: NotReadyReason,
    },
    /// The callback of `contact` ended unanswered after its last attempt
    /// ([`Router::callback_unanswered`](crate::Router::callback_unanswered)).
    CallbackFailed {
        /// The contact.
        contact: ContactId,
        /// Its queue.
        queue: QueueId,
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
///
/// Most operations decide nothing or one thing; those are held inline, so
/// that an operation allocates only when it makes two decisions or more.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "Vec<Decision>", into = "Vec<Decision>")]
#[must_use = "decisions are offers and assignments the caller must carry out"]
pub struct Decisions(Repr);

#[derive(Debug, Clone)]
enum Repr {
    One(Option<Decision>),
    Many(Vec<Decision>),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::One(None)
    }
}

impl Decisions {
    pub(crate) fn new() -> Self {
        Decisions::default()
    }

    pub(crate) fn push(&mut self, d: Decision) {
        match &mut self.0 {
            Repr::One(slot @ None) => *slot = Some(d),
            Repr::One(Some(_)) => {
                if let Repr::One(Some(first)) = core::mem::take(&mut self.0) {
                    self.0 = Repr::Many(vec![first, d]);
                }
            }
            Repr::Many(v) => v.push(d),
        }
    }

    /// The decisions as a slice.
    #[must_use]
    pub fn as_slice(&self) -> &[Decision] {
        match &self.0 {
            Repr::One(None) => &[],
            Repr::One(Some(d)) => core::slice::from_ref(d),
            Repr::Many(v) => v,
        }
    }

    /// How many decisions were made.
    #[must_use]
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// Whether no decision was made.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    /// Iterates over the decisions.
    pub fn iter(&self) -> core::slice::Iter<'_, Decision> {
        self.as_slice().iter()
    }

    /// The assignments among the decisions, as `(contact, agent)` pairs.
    pub fn assignments(&self) -> impl Iterator<Item = (ContactId, AgentId)> + '_ {
        self.iter().filter_map(|d| match d {
            Decision::Assigned { contact, agent, .. } => Some((*contact, *agent)),
            _ => None,
        })
    }

    /// The decisions as a vector.
    #[must_use]
    pub fn into_vec(self) -> Vec<Decision> {
        match self.0 {
            Repr::One(d) => d.into_iter().collect(),
            Repr::Many(v) => v,
        }
    }
}

impl PartialEq for Decisions {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl From<Vec<Decision>> for Decisions {
    fn from(v: Vec<Decision>) -> Self {
        let mut out = Decisions::new();
        for d in v {
            out.push(d);
        }
        out
    }
}

impl From<Decisions> for Vec<Decision> {
    fn from(d: Decisions) -> Self {
        d.into_vec()
    }
}

impl IntoIterator for Decisions {
    type Item = Decision;
    type IntoIter = std::vec::IntoIter<Decision>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

impl<'a> IntoIterator for &'a Decisions {
    type Item = &'a Decision;
    type IntoIter = core::slice::Iter<'a, Decision>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;

    fn ended(n: u32) -> Decision {
        Decision::WrapUpEnded {
            agent: AgentId::new(n),
            at: Timestamp::ZERO,
        }
    }

    #[test]
    fn inline_and_heap_forms_behave_alike() {
        let mut d = Decisions::new();
        assert!(d.is_empty());
        d.push(ended(1));
        assert_eq!(d.as_slice(), [ended(1)]);
        d.push(ended(2));
        d.push(ended(3));
        assert_eq!(d.len(), 3);
        assert_eq!(d.clone().into_vec(), [ended(1), ended(2), ended(3)]);
        assert_eq!(Decisions::from(vec![ended(1)]), {
            let mut one = Decisions::new();
            one.push(ended(1));
            one
        });
        let json = serde_json::to_string(&d).unwrap_or_default();
        let back: Result<Decisions, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(d));
    }
}
