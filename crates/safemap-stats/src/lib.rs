//! Rates, intervals and spatial statistics on plain slices.
//!
//! | module | offers |
//! |---|---|
//! | [`poisson`] | exact (Garwood) confidence interval for a Poisson count |
//! | [`rates`] | rate per *k* residents with its exact interval, expected count and excess risk, per area |
//!
//! This crate knows no geometry and does no I/O. It has no cargo features.

pub mod poisson;
pub mod rates;

pub use poisson::{poisson_interval, PoissonInterval};
pub use rates::{area_rates, AreaRate, RateError, RateParams};
