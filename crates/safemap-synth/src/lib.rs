//! A deterministic synthetic city with planted hotspots for the demo, tests and
//! benchmarks.
//!
//! [`generate`] turns [`CityParams`] into a [`City`]: about 175 irregular
//! neighbourhoods somewhere in England (British National Grid), their residents and
//! deprivation, three years of police and emergency-department events, a service
//! register, and the [`GroundTruth`] of six planted patterns. [`City::write_to`]
//! writes it all in the real input formats safemap reads. The same parameters give
//! byte-identical files on any machine and thread count (ChaCha8 streams, no hash-map
//! iteration, pure-Rust `libm` maths; only the WGS84 longitudes/latitudes, printed to
//! 6 decimals, pass through platform floating-point functions).
//!
//! ```no_run
//! use safemap_synth::{generate, CityParams};
//! let city = generate(&CityParams::default()); // the demo city, seed 2026
//! let files = city.write_to(std::path::Path::new("demo-data"))?;
//! assert_eq!(files.police_uk.len(), 36);
//! # Ok::<(), safemap_synth::SynthError>(())
//! ```
//!
//! | item | what it is |
//! |---|---|
//! | [`CityParams`] | seed, number of areas, start month, months, event volume, centre, radius; chained setters |
//! | [`generate`], [`City`], [`CityArea`], [`MapPoint`] | the city in memory |
//! | [`PoliceRecord`], [`Offence`] | police events; one list, written as data.police.uk files and as the force extract |
//! | [`EdRecord`], [`AssaultMethod`], [`LocationType`] | ED assault attendances (ISTV minimum data set) |
//! | [`GroundTruth`], [`PlantedPattern`], [`PatternKind`], [`Effect`] | `ground_truth.json`: what was planted where |
//! | [`City::write_to`], [`CityFiles`], the `*_HEADER` constants | the files and their exact headers |
//! | [`City::boundaries_geojson`] | the boundaries as EPSG:27700 GeoJSON (also committed as `boundaries/demo-city.geojson`) |
//! | [`format_grid_ref`] | 10-figure OS grid references (`SP 50123 00456`) |
//! | [`in_nte_window`] | the Friday/Saturday 21:00-02:59 night-time-economy window |
//! | [`SynthError`] | what can fail (only writing and formatting can) |
//! | [`stress::many_vertex_area`] | a boundary file of one area with very many vertices (for tests and benchmarks) |
//!
//! How the city is built:
//!
//! | module | step |
//! |---|---|
//! | `layout` | a wobbly-disc footprint; one blue-noise seed per area and a band of ghost seeds outside |
//! | `tessellation`, `edge_noise` | Voronoi cells from spade's Delaunay triangulation, each shared edge bent once so borders look organic and neighbours share vertices bit for bit |
//! | `naming` | `SYN0001` codes north to south, `Castlegate 1` names by ward, street and venue names |
//! | [`patterns`] | contiguous, non-touching groups grown from anchor points, and their extra events |
//! | `demography` | population 1,000-3,000; deprivation clustered east and around the service-gap district |
//! | [`police`], [`ed`], [`services`] | the events and the register |
//! | [`calendar`] | the period, seasonality and hour-of-week profiles |
//! | [`national`] | [`NationalWorkload`]: millions of events over real boundaries with population, for national benchmarks |
//!
//! This crate has no cargo features. It prints nothing.

pub mod calendar;
pub mod city;
mod demography;
pub mod ed;
mod edge_noise;
pub mod error;
mod geojson;
pub mod grid_ref;
pub mod ground_truth;
mod layout;
mod naming;
pub mod national;
mod national_parquet;
mod national_write;
pub mod offence;
pub mod params;
pub mod patterns;
mod planar;
mod points;
pub mod police;
mod random;
pub mod services;
pub mod stress;
mod tessellation;
pub mod write;

pub use calendar::in_nte_window;
pub use city::{generate, City, CityArea, MapPoint};
pub use ed::{AssaultMethod, EdRecord, LocationType};
pub use error::SynthError;
pub use grid_ref::format_grid_ref;
pub use ground_truth::{Effect, GroundTruth, PlantedPattern, ServiceGap, Source, YearRisk};
pub use national::{NationalParams, NationalWorkload};
pub use offence::Offence;
pub use params::CityParams;
pub use patterns::PatternKind;
pub use police::PoliceRecord;
pub use write::{
    CityFiles, DEPRIVATION_HEADER, ED_HEADER, FORCE_HEADER, POLICE_UK_HEADER, POPULATION_HEADER,
    SERVICES_HEADER,
};
