//! The policy layer: how urgent a waiting contact is
//! ([`PriorityWeights`]) and which eligible agent takes it ([`Selection`]).

mod custom;
mod priority;
mod selection;
mod stage;

pub use custom::CustomScoring;
pub(crate) use custom::{Scoring, ordered_bits};
pub use priority::{PriorityBreakdown, PriorityWeights, StageWeights, ValueWeights};
pub use selection::{IdleMeasure, Selection};
pub use stage::{StageEvidence, StageRule, StageSource};

/// A policy setting was out of its domain.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// A priority weight was not finite, or out of range; fix the named field.
    #[error("priority weight `{name}` = {value} is out of range")]
    InvalidWeight {
        /// The field at fault.
        name: &'static str,
        /// Its value.
        value: f64,
    },
}
