//! The safemap engine: study files, the pipeline, the results model and the writers.
//!
//! | module | offers |
//! |---|---|
//! | [`config`] | [`Study`]: the TOML study file, validated (unknown keys are errors naming the key) |
//! | [`areas`] | [`areas::AreaTable`]: boundaries in British National Grid, indexed, with population and deprivation |
//! | [`vintage`] | converting tables keyed by another boundary vintage's codes (LSOA 2011 ↔ 2021): counts split and summed, scores population-weighted |
//! | [`neighbourhoods`] | `[neighbourhoods]`: the study lifted from its small areas to wards or named neighbourhoods (by lookup or best fit), counts exactly their sums |
//! | [`postcodes`] | the `[postcodes]` directory placing rows located by postcode |
//! | [`sources`] | reading a `[[source]]` with the reader of its format |
//! | [`assign`] | the fate of each row (joined, outside, rejected) and the row accounting |
//! | [`coverage`] | which (area, month) cells a source's files cover (police.uk: forces × months); the rest is no data |
//! | [`aggregate`] | counts by area × category × month, in covered cells |
//! | [`services`] | the service register, located |
//! | [`weights`] | the study's spatial weights from `[weights]` (contiguity, distance band, k-nearest, GAL/GWT) |
//! | [`analysis`] | `[[analysis]]`: global and Local Moran, Gi/Gi*, permutations, classes with FDR, Empirical Bayes |
//! | [`seeds`] | each analysis's and the grid's own permutation stream, from the study seed and its name |
//! | [`selection`] | which events an analysis, grid or density uses (source, measure, months) |
//! | [`time`] | `[time]`, `[[emerging]]`, `[[change]]`: study summary, change per area, emerging hot spots, hour-of-week profiles, night-time-economy shares |
//! | [`grid`] | `[grid]`: counts in square or hexagonal cells, Gi* with distance-band weights |
//! | [`density`] | `[density]`: kernel density surface (quartic or Gaussian) |
//! | [`access`](mod@access) | `[access]`, `[need]`, `[gap]`, `[sites]`, `[priority]`: nearest service, services within a cost and floating-catchment scores per area and kind, the need index, need against access, new sites covering unmet need, the explainable ranking |
//! | [`ed_analysis`] | ED (ISTV) figures per source, study-wide and per area (`ed_summary.csv`), and `[ed_vs_police]`: ED assaults against police violence per area, exact one-sided binomial test with FDR |
//! | [`evaluation`] | `[[evaluation]]`: hit rate, PAI, PEI and RRI of one period's hotspots (areas, grid cells) against the next period's events, fixed pair and rolling origin |
//! | [`results`] | [`results::StudyResults`]: the attribute table every output is written from |
//! | [`geoparquet`] | GeoParquet 1.1 tables written with polars, and `safemap export geoparquet`: a study's events, count cube and areas for DuckDB, Dask and Sedona (analyst only) |
//! | [`outputs`] | the results directory's files, written through the contract of `safemap-results` (names, manifest, layer registry) |
//! | [`pipeline`] | [`prepare`] (read and join: what `validate` runs) and [`run`] (everything) |
//! | [`progress`] | spinners on a terminal and step timings |
//!
//! Same inputs, study file and seed give a byte-identical results directory (every file)
//! whatever the number of threads: step timings go to the log, not to the manifest.

pub mod access;
pub mod aggregate;
pub mod analysis;
pub mod areas;
pub mod assign;
pub mod comparison;
pub mod config;
pub mod coverage;
pub mod density;
pub mod ed_analysis;
pub mod error;
pub mod evaluation;
pub mod geoparquet;
pub mod grid;
pub mod join_sink;
pub mod joined;
pub mod neighbourhoods;
pub mod outputs;
pub mod paths;
pub mod pipeline;
pub mod postcodes;
pub mod progress;
pub mod results;
pub mod seeds;
pub mod selection;
pub mod services;
pub mod sources;
pub mod time;
pub mod vintage;
pub mod weights;

pub use config::Study;
pub use error::EngineError;
pub use pipeline::{prepare, prepare_keeping, run, RunOptions, RunReport};
