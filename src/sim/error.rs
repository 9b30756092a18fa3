//! Errors of the simulator.

use crate::router::RouterError;
use crate::schedule::ScheduleError;

/// A scenario that cannot be run, named by the field at fault, or a router
/// error the simulation met.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// A field of the scenario is out of its domain.
    #[error("scenario field `{field}`: {problem}")]
    Invalid {
        /// The field, as a path (`streams[2].handle`).
        field: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The work a scenario implies is beyond what one run may do: more
    /// contacts expected, or more agent shift changes, than the limit
    /// (a year at ten million contacts an hour passed each field's own
    /// bound and grew past 16 GB).
    #[error(
        "the scenario implies about {figure:.3e} {what} a run, above the {limit:.0e} supported"
    )]
    TooLarge {
        /// What is counted.
        what: &'static str,
        /// How many the scenario implies.
        figure: f64,
        /// The most supported.
        limit: f64,
    },
    /// The router refused an operation the scenario led to (a queue or
    /// agent the scenario names twice, for example).
    #[error(transparent)]
    Router(#[from] RouterError),
    /// A shift schedule could not be made.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
}

impl SimError {
    pub(crate) fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Self {
        SimError::Invalid {
            field: field.into(),
            problem: problem.into(),
        }
    }
}
