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
//! Each stream draws its arrivals from one generator and its contacts'
//! attributes (handle time, patience) from another, both seeded from the
//! run's seed and the stream's index; a contact's handle time and patience
//! are drawn at its arrival. So two policies run with the same seed meet
//! the same customers (common random numbers), and the same scenario and
//! seed give the same report on every run.
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

mod dist;
mod engine;
mod error;
mod live;
mod replicate;
mod scenario;
mod shard;
mod stats;
mod study;

pub use dist::Dist;
pub use engine::Simulation;
pub use error::SimError;
pub use replicate::{Estimate, SegmentSummary, Summary, replicate, run_replications};
pub use scenario::{
    AgentGroup, Costs, ReportWindow, SENTIMENT_UPDATE_SECS, Scenario, Shift, Stream,
};
pub use shard::Shard;
pub use stats::{Report, Segment};
pub use study::{
    CurvePoint, Difference, SegmentTarget, compare, compare_reports, fewest_agents_by_simulation,
    staffing_curve,
};
