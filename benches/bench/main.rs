//! The one benchmark target: a module per layer, each with `define`.
//!
//! Run with `cargo bench`; filter with `cargo bench -- router/`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use criterion::{criterion_group, criterion_main};

mod bare;
mod machine;
#[path = "../../tests/integration/support/naive.rs"]
#[allow(dead_code)]
mod naive;
mod router;
mod schedule;
mod sim;
mod staffing;
mod study;

criterion_group!(
    benches,
    router::define,
    staffing::define,
    sim::define,
    schedule::define,
    study::define,
    machine::define
);
criterion_main!(benches);
