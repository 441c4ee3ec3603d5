//! Route handlers, one file per family.

pub mod admin;
pub mod api;
pub mod tiles;
