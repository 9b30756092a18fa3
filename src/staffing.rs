//! Staffing mathematics: Erlang B, Erlang C and Erlang A (with
//! abandonment), exact and stable at any size a real center has, and the
//! fewest agents that meet a target.
//!
//! Pure functions of their inputs, independent of the router. Loads are in
//! Erlangs ([`Load`]); times are in seconds as `f64` (handle times and
//! service-level thresholds are rarely whole milliseconds in forecasts).
//!
//! Numerics: the Erlang B probability comes from the recurrence
//! `B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1))`, which never forms a power
//! or a factorial, stays in [0, 1] at every step, and underflows gracefully
//! to zero where the probability is below the smallest `f64` (200 agents at
//! 1.7 Erlangs wait with probability about 1e-332: the answer is 0, never
//! NaN). Erlang C follows from Erlang B.

mod erlang;
mod erlang_a;
mod error;
mod load;
mod solve;
mod special;

pub use erlang::{ErlangC, erlang_b};
pub use erlang_a::{ErlangA, ServiceLevelDefinition};
pub use error::StaffingError;
pub use load::{Load, MAX_ERLANGS, MAX_HANDLE_SECS};
pub use solve::{
    Interval, IntervalPlan, Targets, fewest_agents, fewest_agents_with_abandonment,
    fewest_chat_agents, plan_day, scheduled_staff,
};
