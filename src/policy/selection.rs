//! The choice among eligible agents.

use serde::{Deserialize, Serialize};

/// What "idle" measures for [`Selection::LongestIdle`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdleMeasure {
    /// Time since the agent's last contact ended (its wrap-up included), or
    /// since log-in if it has handled none. Breaks do not reset it, so an
    /// agent back from a break is not flooded first. The default.
    #[default]
    SinceLastContact,
    /// Time since the agent last became available: log-in, the end of
    /// not-ready, or the end of its last contact or wrap-up.
    SinceAvailable,
}

/// How a queue chooses among several eligible agents with free capacity.
///
/// Every strategy breaks remaining ties by the lowest [`AgentId`](crate::AgentId),
/// so the choice is deterministic. Agents already handling a contact
/// (multi-channel) rank after fully idle agents under `LongestIdle`.
///
/// ```
/// use callroute::{IdleMeasure, Selection};
/// assert_eq!(Selection::default(), Selection::LongestIdle(IdleMeasure::SinceLastContact));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Selection {
    /// The agent idle the longest, by the given measure. Fair to agents;
    /// the industry default.
    LongestIdle(IdleMeasure),
    /// The highest sum of proficiencies over the contact's required skills
    /// (best match), then longest idle since the last contact.
    MostProficient,
    /// The fewest contacts in service, then longest idle since the last contact.
    LeastOccupied,
    /// The fewest contacts handled since log-in, then longest idle since
    /// the last contact.
    FewestHandled,
    /// The next agent in id order after the one this queue chose last,
    /// wrapping around.
    RoundRobin,
    /// Uniformly at random, from the router's seeded generator.
    Random,
    /// At random with weight equal to the sum of proficiencies over the
    /// contact's required skills (1 per agent when none is required).
    WeightedRandom,
    /// The highest [`CustomScoring::agent_score`](crate::CustomScoring::agent_score)
    /// for the contact, then longest idle since the last contact (without
    /// custom scoring every score is 0).
    Custom,
}

impl Default for Selection {
    fn default() -> Self {
        Selection::LongestIdle(IdleMeasure::SinceLastContact)
    }
}
