//! The one integration-test binary; topics are modules.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod callbacks;
mod channels;
mod customer;
mod default_study;
mod erlang_a;
mod follow_ups;
mod in_depth;
mod iterative;
mod properties;
mod reliability;
mod repeats;
mod scenario_files;
mod scenarios;
#[cfg(feature = "schedule")]
mod schedule;
mod sim_customers;
mod sim_measures;
mod sim_moves;
mod sim_outcomes;
mod simulation;
mod snapshots;
mod staffing;
mod staffing_domain;
mod support;
mod trust_router;
mod trust_staffing;
mod verified_schedule;
