//! The umbrella error of the crate.

use crate::model::ModelError;
use crate::policy::PolicyError;
use crate::router::{RouterError, SnapshotError};
#[cfg(feature = "sim")]
use crate::sim::SimError;
use crate::staffing::StaffingError;

/// Any error of `callroute`; each layer's own enum converts into it with `?`.
///
/// ```
/// use callroute::{Error, Sentiment};
/// let e: Error = Sentiment::new(2.0).unwrap_err().into();
/// assert_eq!(e.to_string(), "sentiment 2 is not a number in [-1, 1]");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A model value was out of its domain.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// A policy setting was out of its domain.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// A router operation was refused.
    #[error(transparent)]
    Router(#[from] RouterError),
    /// A snapshot was refused.
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    /// A staffing computation had bad input or an unstable queue.
    #[error(transparent)]
    Staffing(#[from] StaffingError),
    /// A scenario could not be simulated.
    #[cfg(feature = "sim")]
    #[error(transparent)]
    Sim(#[from] SimError),
}
