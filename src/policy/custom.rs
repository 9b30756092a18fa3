//! An embedding product's own scoring, beside the built-in policies.

use crate::model::{AgentSpec, Contact};
use std::sync::Arc;

/// Scores supplied by the embedding product: points added to a waiting
/// contact's priority, and the score by which
/// [`Selection::Custom`](crate::Selection::Custom) chooses an agent.
///
/// Both must be pure functions of their arguments: the router calls them
/// when it (re)computes a contact's place and when it chooses an agent, in
/// an order that is deterministic but not specified. A non-finite result
/// counts as zero. Install it with [`Router::set_custom_scoring`](crate::Router::set_custom_scoring).
///
/// Custom scoring is code, not state: it is **not part of a
/// [`Snapshot`](crate::Snapshot)**; install it again after a restore, before
/// the next operation, or the restored router decides without it.
///
/// ```
/// use callroute::*;
/// use std::sync::Arc;
///
/// /// Customers on a premium contract jump 50 points; agents who speak
/// /// French score higher for French contacts.
/// struct Premium;
/// impl CustomScoring for Premium {
///     fn contact_points(&self, contact: &Contact) -> f64 {
///         if contact.id.get() % 2 == 0 { 50.0 } else { 0.0 }
///     }
///     fn agent_score(&self, agent: &AgentSpec, _contact: &Contact) -> f64 {
///         agent.languages.len() as f64
///     }
/// }
///
/// let mut router = Router::new(RouterConfig::default())?;
/// router.set_custom_scoring(Some(Arc::new(Premium)));
/// let q = QueueId::new(1);
/// router.add_queue(QueueConfig::new(q))?;
/// let _ = router.arrive(Contact::new(ContactId::new(2), q, Channel::Voice), Timestamp::ZERO)?;
/// assert_eq!(router.explain(ContactId::new(2), Timestamp::ZERO)?.custom, 50.0);
/// # Ok::<(), callroute::Error>(())
/// ```
pub trait CustomScoring: Send + Sync {
    /// Points added to the contact's priority while it waits (default 0).
    fn contact_points(&self, contact: &Contact) -> f64 {
        let _ = contact;
        0.0
    }

    /// The agent's score for the contact under
    /// [`Selection::Custom`](crate::Selection::Custom): the highest wins
    /// (default 0).
    fn agent_score(&self, agent: &AgentSpec, contact: &Contact) -> f64 {
        let _ = (agent, contact);
        0.0
    }
}

/// The router's custom scoring, if any.
#[derive(Clone, Default)]
pub(crate) struct Scoring(pub(crate) Option<Arc<dyn CustomScoring>>);

impl core::fmt::Debug for Scoring {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Scoring(custom)"
        } else {
            "Scoring(none)"
        })
    }
}

/// `x` within [`MAX_POINTS`](crate::policy::MAX_POINTS) (clamped), or 0
/// when it is not a number: a custom score never makes a score infinite.
pub(crate) fn bounded_points(x: f64) -> f64 {
    use crate::policy::MAX_POINTS;
    if x.is_nan() {
        0.0
    } else {
        x.clamp(-MAX_POINTS, MAX_POINTS)
    }
}

impl Scoring {
    /// The contact's custom points (0 without custom scoring).
    pub(crate) fn contact_points(&self, contact: &Contact) -> f64 {
        self.0
            .as_ref()
            .map_or(0.0, |s| bounded_points(s.contact_points(contact)))
    }

    /// The agent's custom score for the contact (0 without custom scoring).
    pub(crate) fn agent_score(&self, agent: &AgentSpec, contact: &Contact) -> f64 {
        self.0
            .as_ref()
            .map_or(0.0, |s| bounded_points(s.agent_score(agent, contact)))
    }
}

/// An order-preserving map of a finite `f64` to `u64` (larger maps larger).
pub(crate) fn ordered_bits(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}
