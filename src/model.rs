//! The model layer: identifiers, skills, channels, customers, contacts and
//! agents. Plain data with validated constructors; no routing logic.

mod agent;
mod channel;
mod contact;
mod context;
mod customer;
mod id;
mod service_level;
mod skill;

pub use agent::{AgentSpec, AgentStatus, Capacity, NotReadyReason, ProfileEntry, RoutingProfile};
pub use channel::Channel;
pub use contact::{Contact, Preference};
pub use context::CustomerContext;
pub use customer::{CustomerValue, LifecycleStage, Sentiment, ValueTier};
pub use id::{AgentId, ContactId, CustomerId, PurposeId, QueueId, SkillId};
pub use service_level::ServiceLevelTarget;
pub use skill::{Language, Proficiency, Requirements, SkillRequirement};

/// A value of the model was out of its domain.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// A sentiment score was NaN or outside `[-1, 1]`; clamp or drop the
    /// analytics reading.
    #[error("sentiment {0} is not a number in [-1, 1]")]
    InvalidSentiment(f64),
    /// A proficiency level was outside `1..=10`.
    #[error("proficiency {0} is not in 1..=10")]
    InvalidProficiency(u8),
    /// A language code was not 2 or 3 lowercase ASCII letters.
    #[error("language code {0:?} is not 2 or 3 lowercase letters")]
    InvalidLanguage(String),
    /// A service-level share was outside `(0, 1]`.
    #[error("service-level share {0} is not in (0, 1]")]
    InvalidServiceLevel(f64),
}
