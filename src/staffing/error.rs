//! Errors of the staffing layer.

/// A staffing input out of its domain, or a queue that cannot be stable.
///
/// ```
/// use callroute::staffing::{ErlangC, Load, StaffingError};
/// let err = ErlangC::new(5, Load::new(6.0)?, 180.0).unwrap_err();
/// assert_eq!(err, StaffingError::Unstable { agents: 5, load: 6.0 });
/// assert_eq!(err.to_string(), "5 agents cannot carry 6 Erlangs: the queue is unstable");
/// # Ok::<(), StaffingError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StaffingError {
    /// A load, rate or handle time is negative, NaN or infinite.
    #[error("{what} = {value} is not a finite number at least 0")]
    Negative {
        /// Which input.
        what: &'static str,
        /// Its value.
        value: f64,
    },
    /// A load beyond [`MAX_ERLANGS`](crate::staffing::MAX_ERLANGS): the
    /// agents it needs would not fit the solvers' counts and tables.
    #[error("a load of {value} Erlangs is beyond the largest supported, {limit}")]
    LoadTooLarge {
        /// The load asked for.
        value: f64,
        /// The largest supported.
        limit: f64,
    },
    /// A mean handle time beyond
    /// [`MAX_HANDLE_SECS`](crate::staffing::MAX_HANDLE_SECS).
    #[error("a handle time of {value} s is beyond the longest supported, {limit} s")]
    HandleTimeTooLong {
        /// The handle time asked for, in seconds.
        value: f64,
        /// The longest supported, in seconds.
        limit: f64,
    },
    /// More agents than a `u32` counts.
    #[error("{agents} agents are beyond the largest count supported, {limit}", limit = u32::MAX)]
    TooManyAgents {
        /// How many agents the answer would be.
        agents: f64,
    },
    /// A handle time of zero: no load can be computed from it.
    #[error("the handle time is zero")]
    ZeroHandleTime,
    /// A mean patience of zero: Erlang A needs callers who wait at all.
    #[error("the mean patience is zero")]
    ZeroPatience,
    /// The queue's state distribution is too wide to sum exactly (a mean
    /// patience far longer than the handle time under a load far above the
    /// agents).
    #[error("about {states} waiting states would be needed: too many to sum")]
    TooManyStates {
        /// How many.
        states: f64,
    },
    /// A chat concurrency of zero: an agent must hold at least one chat.
    #[error("the chat concurrency is zero")]
    ZeroConcurrency,
    /// A target share outside (0, 1].
    #[error("target share {0} is not in (0, 1]")]
    InvalidTarget(f64),
    /// With `agents` agents and `load` Erlangs the queue grows without
    /// bound (the load is at or above the agents): waiting measures have no
    /// value.
    #[error("{agents} agents cannot carry {load} Erlangs: the queue is unstable")]
    Unstable {
        /// The agents.
        agents: u32,
        /// The load in Erlangs.
        load: f64,
    },
    /// A solver was given no target. With none, every staffing a model can
    /// evaluate would do, and the two models would answer differently
    /// (Erlang A no agent at all, Erlang C its smallest stable count), so
    /// both refuse rather than guess.
    #[error("no target is set: give a service level, speed of answer, occupancy or abandonment")]
    NoTarget,
    /// No number of agents up to the search limit meets the target.
    #[error("no staffing up to {limit} agents meets the target")]
    Unreachable {
        /// The largest number of agents tried.
        limit: u32,
    },
}
