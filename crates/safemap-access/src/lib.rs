//! Service access and gaps on plain slices: where need is high and provision far or thin,
//! and where a new service would reach the most unmet need.
//!
//! | module | offers |
//! |---|---|
//! | [`cost`] | [`CostMatrix`]: sparse demand → supply costs in CSR layout, from straight-line metres within a cutoff ([`CostMatrix::straight_line`], from a grid of cells as wide as the cutoff) or from (demand, supply, cost) triples of a travel-cost matrix ([`CostMatrix::from_triples`]; absent pairs unreachable, asymmetric costs used demand → supply); [`BySupply`], the transposed view |
//! | [`nearest`](mod@nearest) | [`nearest()`]: per area the nearest reachable service and its cost; [`nearest_straight_line`]: the nearest at any distance (R-tree); [`count_within`]: the services within a cost |
//! | [`fca`] | [`floating_catchment`] with a [`Decay`] (binary = 2SFCA, stepwise = enhanced 2SFCA, Gaussian) and a [`Method`] (two-step, or balanced per Paez et al. 2019), PySAL `access` conventions documented |
//! | [`coverage`](mod@coverage) | [`covered`] and [`coverage()`]: the share of all and of high-need population within a cost of a service |
//! | [`composite`](mod@composite) | [`composite()`]: the weighted sum of standardised named columns ([`Component`]) that the need, gap and priority scores share, every contribution kept |
//! | [`need`] | [`need_index`]: the need index with ranks and the ±20% weight robustness of each area's rank ([`NeedParams`]) |
//! | [`gap`](mod@gap) | [`gap()`]: `z(need) − z(access)` and the four-way [`GapClass`] split at quantiles ([`GapParams`], medians by default) |
//! | [`mclp`] | [`maximal_covering`]: maximal covering location for `k` new sites, exact (`good_lp`/`microlp`) for small instances and greedy with its `1 − 1/e` bound otherwise ([`MclpParams`], [`Solver`]) |
//! | [`priority`](mod@priority) | [`priority()`]: the explainable ranking, per area its inputs sorted by contribution, [`Priority::top`] |
//! | [`error`] | [`AccessError`]: inputs these computations cannot use |
//!
//! Areas and services are indices into the caller's slices; coordinates are projected
//! metres (British National Grid). Parallel loops use rayon and every sum runs in a fixed
//! order, so results are identical for any number of threads.
//!
//! This crate does no I/O and prints nothing. It has no cargo features.

pub mod composite;
pub mod cost;
pub mod coverage;
pub mod error;
pub mod fca;
pub mod gap;
mod grid;
mod input;
pub mod mclp;
pub mod nearest;
pub mod need;
pub mod priority;

pub use composite::{composite, Component, Composite, Standardised};
pub use cost::{BySupply, CostMatrix, Entries};
pub use coverage::{coverage, covered, Coverage, Share};
pub use error::AccessError;
pub use fca::{floating_catchment, Decay, FcaParams, FloatingCatchment, Method};
pub use gap::{gap, quantile, Gap, GapClass, GapParams};
pub use mclp::{maximal_covering, Mclp, MclpMethod, MclpParams, MclpStep, Solver};
pub use nearest::{count_within, nearest, nearest_straight_line, Nearest};
pub use need::{need_index, NeedIndex, NeedParams};
pub use priority::{priority, Driver, Priority};
