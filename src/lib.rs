//! # callroute
//!
//! A deterministic call-routing (ACD) engine for contact centers: skills
//! with proficiency, multi-channel capacity, agent states and wrap-up, and a
//! priority in which the customer's **lifecycle stage** and **sentiment**
//! are inputs.
//!
//! ## Three uses, one engine
//!
//! 1. **Embed the router** in a contact-center product: feed it what
//!    happens (a contact arrives, an agent logs in, a call ends, the
//!    sentiment score changes) and carry out what it decides.
//! 2. **Simulate traffic** against a routing policy, seeded and reproducible.
//! 3. **Benchmark staffing scenarios** (how many agents, with which skills,
//!    under which policy).
//!
//! The router never reads a clock and draws no hidden randomness: every
//! operation takes `now`, so a policy tested in simulation is exactly the
//! code that runs in production.
//!
//! ## Layers
//!
//! ```text
//! router ──► policy ──► model
//! ```
//!
//! - [`model`]: ids, skills, channels, customers, contacts, agents.
//! - [`policy`]: the priority score ([`PriorityWeights`]) and the choice among
//!   agents ([`Selection`]).
//! - [`router`]: the engine ([`Router`]), its decisions and statistics.
//!
//! ## Example
//!
//! ```
//! use callroute::*;
//!
//! let mut router = Router::new(RouterConfig::default())?;
//! let support = QueueId::new(1);
//! router.add_queue(QueueConfig::new(support))?;
//! let agent = AgentSpec::new(AgentId::new(1))
//!     .skill(SkillId::new(10), Proficiency::new(7)?)
//!     .profile(RoutingProfile::new().serve(support, 1));
//! router.add_agent(agent)?;
//! let _ = router.log_in(AgentId::new(1), Timestamp::ZERO)?;
//!
//! // An upset customer after a purchase: the churn risk.
//! let call = Contact::new(ContactId::new(1), support, Channel::Voice)
//!     .stage(LifecycleStage::Retention)
//!     .sentiment(Sentiment::new(-0.8)?);
//! let decisions = router.arrive(call, Timestamp::from_secs(1))?;
//! match decisions.as_slice() {
//!     [Decision::Assigned { agent, priority, .. }] => {
//!         assert_eq!(*agent, AgentId::new(1));
//!         assert_eq!(priority.total, 30.0 + 32.0); // retention + upset
//!     }
//!     other => panic!("unexpected {other:?}"),
//! }
//! # Ok::<(), callroute::Error>(())
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations, unreachable_pub)]
#![doc(test(attr(deny(warnings))))]

mod error;
pub mod model;
pub mod policy;
pub mod router;
pub mod schedule;
// Shift types read whole seconds; the fractional readers serve the
// simulator's scenarios.
#[cfg_attr(not(feature = "sim"), allow(dead_code))]
mod secs;
#[cfg(feature = "sim")]
pub mod sim;
mod small_list;
pub mod staffing;
mod time;

pub use error::Error;
pub use model::{
    AgentId, AgentSpec, AgentStatus, Capacity, Channel, Contact, ContactId, CustomerContext,
    CustomerId, CustomerValue, Language, LifecycleStage, NotReadyReason, Preference, Proficiency,
    ProfileEntry, PurposeId, QueueId, Requirements, RoutingProfile, Sentiment, ServiceLevelTarget,
    SkillId, SkillRequirement, ValueTier,
};
pub use policy::{
    CustomScoring, IdleMeasure, MAX_POINTS, PriorityBreakdown, PriorityWeights, Selection,
    StageEvidence, StageRule, StageSource,
};
pub use router::{
    CallbackPolicy, CallbackStats, ContactStatus, Decision, Decisions, Escalation, EscalationStep,
    FirstContactResolution, Footprint, MissedOffers, OfferEnd, OfferMode, OfferPolicy, Outbound,
    Outcome, PurposeRoute, QueueConfig, QueueStats, ResolutionReport, Router, RouterConfig,
    RouterError, SNAPSHOT_VERSION, Snapshot, SnapshotError, Unstaffed, UpsetRule, WaitEstimate,
};
pub use time::{TimeSpan, Timestamp};

/// The README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
