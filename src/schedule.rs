//! Shift scheduling: which shifts to put on, and where their breaks go,
//! so that a requirement of agents per interval is met at least cost.
//!
//! The input is the shift types a planner may use ([`ShiftType`]: the
//! times one may start, its length, its breaks each with a window
//! ([`BreakRule`]), its cost, and the fewest and most agents on it) and a
//! [`Requirement`] of agents per interval of the day. [`schedule`] returns
//! the [`Plan`]: how many agents work each shift type from each start, and
//! how many of them take each break at each time, at the least cost with
//! never fewer agents present than required in any step of the day. Where
//! no plan can cover every interval (a shift type's most agents, or no
//! shift at all at some hour), it returns the plan short of the fewest
//! agents over the day, the cheapest of those, and says which intervals
//! stay short and by how many.
//!
//! It is solved as an integer program (shift variables per type and start,
//! break variables per break and start, a cover constraint per step of the
//! day) by the `microlp` solver (feature `schedule`): pure Rust, so the
//! crate builds wherever Rust does. [`schedule`] searches until no cheaper
//! plan can exist; [`schedule_within`] bounds the search by a count of
//! branch-and-bound nodes (the same plan on every machine) and says how
//! close to the best the plan is proved to be. The shift types, plans and
//! their checks ([`check`]) need no feature. The time step is the greatest common divisor
//! of the interval and every time in the shift types (15 minutes when
//! breaks start on the quarter hour), so a break shorter than an interval
//! is counted where it falls.
//!
//! Standalone like [`staffing`](crate::staffing): requirements may come
//! from Erlang's formulas, from a simulation, or from elsewhere. Times are
//! whole seconds from the start of the day's first interval.
//!
//! ```
//! use callroute::schedule::{BreakRule, Requirement, ShiftType, schedule};
//! // Four hours in half hours: 2 agents, 3 in the middle two hours, 2.
//! let need = Requirement::new(1_800, vec![2, 2, 3, 3, 3, 3, 2, 2])?;
//! let four_hours = ShiftType {
//!     // 15 minutes, starting 1 h to 1 h 30 in.
//!     breaks: vec![BreakRule::new(900, 3_600, 5_400)],
//!     ..ShiftType::new("four hours", vec![0], 14_400, 60.0)
//! };
//! let two_hours = ShiftType::new("two hours", vec![0, 3_600, 7_200], 7_200, 45.0);
//! let plan = schedule(&need, &[four_hours, two_hours])?;
//! assert!(plan.short.is_empty());
//! assert!(plan.present.iter().zip(need.agents()).all(|(p, n)| p >= n));
//! // Two on the four-hour shift, their breaks staggered, and two two-hour
//! // shifts over the peak and the breaks: cheaper than five two-hour
//! // shifts (225) or three four-hour ones and a two-hour one (225).
//! assert_eq!(plan.cost, 2.0 * 60.0 + 2.0 * 45.0);
//! # Ok::<(), callroute::schedule::ScheduleError>(())
//! ```

// Without the solver (feature `schedule`) the links to it have nothing to
// point at; the plans and checks are documented either way.
#![cfg_attr(not(feature = "schedule"), allow(rustdoc::broken_intra_doc_links))]

mod check;
mod error;
#[cfg(feature = "schedule")]
mod model;
mod plan;

pub use check::{MAX_STEPS, MAX_VARIABLES, check};
pub use error::ScheduleError;
#[cfg(feature = "schedule")]
pub use model::{schedule, schedule_within};
pub use plan::{BreakStart, Crew, Plan, PlannedShift, Shortfall};

use serde::{Deserialize, Serialize};

/// A kind of shift agents may work: when it may start, how long it lasts,
/// its breaks, its cost and how many may work it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftType {
    /// Its name, as the plan shows it.
    pub name: String,
    /// The times it may start, seconds from the start of the day.
    #[serde(deserialize_with = "crate::secs::wholes")]
    pub starts_secs: Vec<u64>,
    /// How long it lasts, seconds, breaks included.
    #[serde(deserialize_with = "crate::secs::whole")]
    pub length_secs: u64,
    /// Its breaks, in the order they are taken; their windows may not
    /// overlap.
    #[serde(default)]
    pub breaks: Vec<BreakRule>,
    /// The cost of one agent working it once (wages for its paid time,
    /// say): what the plan spends least of.
    pub cost: f64,
    /// The fewest agents on it over all its starts (a contract's minimum).
    #[serde(default)]
    pub min_agents: u32,
    /// The most agents on it over all its starts; none when unbounded.
    #[serde(default)]
    pub max_agents: Option<u32>,
}

impl ShiftType {
    /// A shift type with no break and no bound on its head count.
    #[must_use]
    pub fn new(name: &str, starts_secs: Vec<u64>, length_secs: u64, cost: f64) -> Self {
        ShiftType {
            name: name.to_owned(),
            starts_secs,
            length_secs,
            breaks: Vec::new(),
            cost,
            min_agents: 0,
            max_agents: None,
        }
    }

    /// The paid time of one agent on it, seconds: its length less its
    /// unpaid breaks.
    #[must_use]
    pub fn paid_secs(&self) -> u64 {
        let unpaid: u64 = self
            .breaks
            .iter()
            .filter(|b| !b.paid)
            .map(|b| b.length_secs)
            .sum();
        self.length_secs.saturating_sub(unpaid)
    }
}

/// One break of a shift: how long it lasts and the window it must start
/// in, counted from the shift's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakRule {
    /// How long it lasts, seconds.
    #[serde(deserialize_with = "crate::secs::whole")]
    pub length_secs: u64,
    /// The earliest it may start, seconds after the shift's start.
    #[serde(deserialize_with = "crate::secs::whole")]
    pub earliest_secs: u64,
    /// The latest it may start, seconds after the shift's start.
    #[serde(deserialize_with = "crate::secs::whole")]
    pub latest_secs: u64,
    /// Whether it is paid (a short rest) or not (a meal); unpaid time does
    /// not count in [`ShiftType::paid_secs`]. Default: paid.
    #[serde(default = "paid")]
    pub paid: bool,
}

fn paid() -> bool {
    true
}

impl BreakRule {
    /// A paid break of `length_secs` starting from `earliest_secs` to
    /// `latest_secs` after the shift's start.
    #[must_use]
    pub fn new(length_secs: u64, earliest_secs: u64, latest_secs: u64) -> Self {
        BreakRule {
            length_secs,
            earliest_secs,
            latest_secs,
            paid: true,
        }
    }
}

/// The agents needed present in each interval of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    interval_secs: u64,
    agents: Vec<u32>,
}

impl Requirement {
    /// `agents[k]` needed throughout interval `k`, each `interval_secs`
    /// long, from the start of the day.
    ///
    /// # Errors
    ///
    /// [`ScheduleError::Invalid`] for an interval of 0 s or no interval.
    pub fn new(interval_secs: u64, agents: Vec<u32>) -> Result<Self, ScheduleError> {
        if interval_secs == 0 {
            return Err(ScheduleError::invalid("interval_secs", "must be above 0"));
        }
        if agents.is_empty() {
            return Err(ScheduleError::invalid("agents", "no interval"));
        }
        Ok(Requirement {
            interval_secs,
            agents,
        })
    }

    /// The length of an interval, seconds.
    #[must_use]
    pub fn interval_secs(&self) -> u64 {
        self.interval_secs
    }

    /// The agents needed in each interval.
    #[must_use]
    pub fn agents(&self) -> &[u32] {
        &self.agents
    }

    /// The length of the day, seconds.
    #[must_use]
    pub fn day_secs(&self) -> u64 {
        self.interval_secs.saturating_mul(self.agents.len() as u64)
    }
}
