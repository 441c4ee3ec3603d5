//! Domain types shared by every safemap crate.
//!
//! | module | offers |
//! |---|---|
//! | [`crs`] | [`Crs`], the coordinate reference system tag (WGS84 or British National Grid) |
//! | [`coord`] | [`CheckedCoord`], a coordinate that is finite and in range for its CRS |
//! | [`area`] | [`AreaId`], [`Area`]: one neighbourhood polygon with its code and name |
//! | [`metres`] | [`Metres`]: a positive, finite length in metres (cell sizes, bandwidths), [`MetresError`] |
//! | [`time`] | [`EventTime`] (a month or a full timestamp), [`Month`], [`MonthRange`], quarters, financial years, hour-of-week masks and named windows |
//! | [`formats`] | column layouts of public formats ([`formats::POLICE_UK_COLUMNS`]) |
//! | [`event`] | [`Event`], [`Flags`], [`RowRef`]: one incident as read from an input row |
//! | [`assault_method`] | [`AssaultMethod`]: the ED assault method categories, kept in [`Flags`] |
//! | [`service`] | [`Service`], [`ServiceKind`] (an open set of slugs; the known kinds have labels), [`PreventionTier`] |
//! | [`reject`] | [`Reject`], [`RejectReason`]: why an input row could not be used |
//! | [`weights`] | [`Weights`], [`Transform`], [`WeightsError`]: sparse spatial weights (CSR neighbour lists) |
//!
//! This crate does no I/O. It has no cargo features.

pub mod area;
pub mod assault_method;
pub mod coord;
pub mod crs;
pub mod event;
pub mod formats;
pub mod metres;
pub mod reject;
pub mod service;
pub mod time;
pub mod weights;

pub use area::{Area, AreaId};
pub use assault_method::AssaultMethod;
pub use coord::{CheckedCoord, CoordError};
pub use crs::Crs;
pub use event::{Event, Flags, RowRef};
pub use metres::{Metres, MetresError};
pub use reject::{Reject, RejectReason};
pub use service::{PreventionTier, Service, ServiceKind};
pub use time::{EventTime, Month, MonthRange};
pub use weights::{Transform, Weights, WeightsError};
