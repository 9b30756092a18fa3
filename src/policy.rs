//! The policy layer: how urgent a waiting contact is
//! ([`PriorityWeights`]) and which eligible agent takes it ([`Selection`]).

mod custom;
mod priority;
mod selection;
mod stage;

pub use custom::CustomScoring;
pub(crate) use custom::{Scoring, ordered_bits};
pub(crate) use priority::within_points;
pub use priority::{MAX_POINTS, PriorityBreakdown, PriorityWeights, StageWeights, ValueWeights};
pub use selection::{IdleMeasure, Selection};
pub use stage::{StageEvidence, StageRule, StageSource};

/// A policy setting was out of its domain.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// A priority weight was not finite, or out of range (points beyond
    /// [`MAX_POINTS`] in size); fix the named field.
    #[error("priority weight `{name}` = {value} is out of range")]
    InvalidWeight {
        /// The field at fault.
        name: &'static str,
        /// Its value.
        value: f64,
    },
}
