//! The results contract: what a results directory of `safemap run` is, for the engine that
//! writes it and the server and CLI that read it.
//!
//! | module | owns |
//! |---|---|
//! | [`files`] | the file names of a results directory |
//! | [`manifest`] | the typed, versioned [`Manifest`] (`manifest.json`), read strictly: an unknown `format_version` or a malformed disclosure block is an error naming the key |
//! | [`registry`] | one [`LayerEntry`] per layer: file, geometry, sources, sensitivity, public columns and their disclosure control; fail closed |
//! | [`audit`] | what the public can work out about a hidden count: feasible ranges over everything published |
//! | [`columns`] | column naming: measure fields, slugs, analysis and class columns, each built from its parts and compared whole |
//! | [`comparison_entry`] | `manifest.comparison`: the study's partnership against all partnerships and its most similar ones |
//! | [`coverage`] | which (area, month) cells a source covers: missing data is not zero |
//! | [`disclosure`] | the small-number rule and the protection of nested counts (primary and secondary suppression) |
//! | [`sensitive_table`] | disclosure control of a sensitive source's table of one area, proved by the audit |
//!
//! The seam between batch and serving: `safemap-server` depends on this crate, never on the
//! engine.

pub mod access_entry;
pub mod audit;
pub mod columns;
pub mod comparison_entry;
pub mod coverage;
pub mod disclosure;
pub mod files;
pub mod manifest;
pub mod registry;
pub mod sensitive_table;
pub mod time_entry;

pub use access_entry::{AccessEntry, AccessKind};
pub use comparison_entry::ComparisonEntry;
pub use manifest::{Manifest, ManifestError, FORMAT_VERSION};
pub use registry::{GeometryKind, LayerEntry, LayerKind, ProtectedCount};
pub use time_entry::{ChangeEntry, EmergingEntry, NteEntry, TimeEntry};
