//! Errors of shift scheduling.

/// A scheduling input out of its domain, or a solver that gave no answer.
///
/// ```
/// use callroute::schedule::{Requirement, ScheduleError};
/// let err = Requirement::new(0, vec![1]).unwrap_err();
/// assert!(matches!(&err, ScheduleError::Invalid { field, .. } if field == "interval_secs"));
/// assert_eq!(err.to_string(), "interval_secs: must be above 0");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScheduleError {
    /// An input field out of its domain, named as in the scenario file
    /// (`shift_types[2].breaks[0].latest_secs`, say).
    #[error("{field}: {reason}")]
    Invalid {
        /// The field.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The solver stopped without a plan (it should not: every input that
    /// passes validation has one).
    #[error("the integer program was not solved: {0}")]
    Solver(String),
}

impl ScheduleError {
    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        ScheduleError::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }
}
