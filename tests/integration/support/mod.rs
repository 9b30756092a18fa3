//! Test support: the naive reference router and proptest strategies.

pub mod naive;
pub mod strategies;
