//! Route handlers, one file per family.

pub mod access;
pub mod admin;
pub mod api;
pub mod levels;
pub mod tiles;
pub mod time;
