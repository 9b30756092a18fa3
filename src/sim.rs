//! The contact-center simulator: the real router in a seeded world.
//!
//! A [`Scenario`] describes the world — arrival streams with their mix,
//! handle times and patience, agent groups, queues and the router's
//! configuration. A [`Simulation`] drives the very [`Router`](crate::Router)
//! of production through its public operations with simulated time: there
//! is no second routing model, so a policy tested here is the code that
//! runs for real.
//!
//! # Events and order
//!
//! The calendar holds arrivals, ends of service and abandonments, ordered
//! by `(time, sequence)`. Before an event at time `t` is applied, every
//! router timer due at or before `t` (wrap-ups, offer timeouts, escalation
//! steps) fires at its own time. Offers are accepted at once by simulated
//! agents.
//!
//! # Randomness
//!
//! Each stream draws its arrivals from one generator, its contacts'
//! attributes (handle time, patience, mood) from a second and its
//! customers' behaviour (callbacks, repeats) from a third, each seeded
//! from the run's seed, the stream's [`fingerprint`](Stream::fingerprint)
//! (a digest of who arrives and when) and its index; a contact's handle
//! time and patience are drawn at its arrival. Replication `r` of a study
//! seeded `seed` is the run seeded [`replication_seed`]`(seed, r)`. So:
//!
//! - the same scenario and seed give the same report on every run and
//!   platform;
//! - variants of a scenario that change only its staffing (groups), its
//!   routing (router and queues), costs, report window, the day's volume
//!   factor or how contacts are drawn (handle times, patience, moods,
//!   callbacks, repeats) meet the same customers at the same times
//!   (common random numbers: their differences are the change's, not
//!   luck's);
//! - scenarios whose streams bring other customers (another rate, profile,
//!   queue, channel, stage, value or name) draw independent numbers, so two
//!   scenarios in one study are not correlated by accident (with one seed
//!   for all, a stream at 600 an hour was the 500-an-hour one's arrivals
//!   squeezed); adding a stream at the end leaves the others' numbers as
//!   they were.
//!
//! ```
//! use callroute::sim::{Dist, Scenario, Simulation};
//! let scenario = Scenario::single_queue(10, 540.0, Dist::exponential(60.0)?, Some(Dist::exponential(120.0)?), 3_600);
//! let report = Simulation::new(&scenario, 7)?.run()?;
//! let all = &report.overall;
//! assert_eq!(all.offered, all.answered + all.abandoned + all.waiting_at_end);
//! assert!(all.service_level() > 0.5);
//! # Ok::<(), callroute::sim::SimError>(())
//! ```

mod bracket;
mod dist;
mod engine;
mod error;
mod histogram;
mod iterative;
mod live;
mod replicate;
mod roster;
mod scenario;
mod shard;
mod stats;
mod study;
#[cfg(feature = "schedule")]
mod verified;

pub use dist::Dist;
pub use engine::Simulation;
pub use error::SimError;
pub use histogram::WaitHistogram;
pub use iterative::{IntervalCell, IterativeStaffing, iterative_staffing};
pub use replicate::{
    Estimate, QueueFlowSummary, SegmentSummary, Summary, replicate, replication_seed,
    run_replications,
};
pub use roster::Roster;
pub use scenario::{
    AgentGroup, Churn, Conversion, Costs, Deescalation, Redial, ReportWindow,
    SENTIMENT_UPDATE_SECS, Scenario, ServedBy, Shift, Stream, Transfer,
};
pub use shard::Shard;
pub use stats::{QueueFlow, Report, Segment};
pub use study::{
    CurvePoint, Difference, SegmentTarget, compare, compare_reports, fewest_agents_by,
    fewest_agents_by_simulation, search_runs, staffing_curve,
};
#[cfg(feature = "schedule")]
pub use verified::{
    CheckedSchedule, PATIENCE, RAISE, RosterPlan, SEARCH_NODES, VerifiedSchedule, verified_schedule,
};
