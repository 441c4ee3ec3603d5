//! The names of the files of a results directory, written once here for the engine that
//! writes them and the server that reads them.

/// Provenance, parameters, accounting and the layer registry.
pub const MANIFEST: &str = "manifest.json";
/// The study areas with every attribute.
pub const AREAS_GEOJSON: &str = "areas.geojson";
/// The attribute table without geometry.
pub const AREAS_CSV: &str = "areas.csv";
/// Counts by area, source, measure and month (covered cells only).
pub const COUNTS_CSV: &str = "counts.csv";
/// Counts by area, source, measure, month, weekday and hour (timestamped sources).
pub const COUNTS_BY_HOUR_CSV: &str = "counts_by_hour.csv";
/// The (area, source, month) cells no input file covers, with the reason.
pub const COVERAGE_CSV: &str = "coverage.csv";
/// Every rejected input row with its reason.
pub const REJECTS_CSV: &str = "rejects.csv";
/// The study's spatial weights (GAL).
pub const WEIGHTS_GAL: &str = "weights.gal";
/// `[grid]` cells with counts and Gi*.
pub const GRID_GEOJSON: &str = "grid.geojson";
/// `[density]` as an ESRI ASCII grid.
pub const DENSITY_ASC: &str = "density.asc";
/// `[density]` as a GeoTIFF (safemap built with the `gdal` feature).
pub const DENSITY_TIFF: &str = "density.tif";
/// Every GeoJSON layer of the run in one GeoPackage (safemap built with the `gdal` feature).
pub const GEOPACKAGE: &str = "results.gpkg";
/// `[density]` cells above the floor, as polygons.
pub const DENSITY_GEOJSON: &str = "density.geojson";
/// `[[evaluation]]`: hit rate, PAI, PEI and RRI of one period's hotspots against the next
/// period's events. Analyst only: the server does not read or serve it.
pub const EVALUATION_JSON: &str = "evaluation.json";
/// `[access]`: per area and kind of service, the nearest service (its id only when it is not
/// confidential), the services within a cost, the floating-catchment scores, need and gap.
/// Analyst only: the server does not read or serve it.
pub const ACCESS_CSV: &str = "access.csv";
/// `[priority]`: areas ranked, with each input's value, z-score and contribution. Analyst
/// only.
pub const PRIORITY_CSV: &str = "priority.csv";
/// `[sites]`: the chosen new sites (area centroids) with the need each covers. Analyst only.
pub const CANDIDATE_SITES_GEOJSON: &str = "candidate_sites.geojson";
/// ED (ISTV) figures per ED source, study-wide and per area: assaults, shares at weekends,
/// at night, alcohol related, by method and location type and their cross-tabs, and the
/// ED share of ED and police violence. Analyst only: the server does not read or serve it.
pub const ED_SUMMARY_CSV: &str = "ed_summary.csv";
/// The study summary: per source and measure, events in the summary period and the one
/// before, percentage change, category ranks. Analyst only.
pub const SUMMARY_CSV: &str = "summary.csv";
/// Every area's change in every measure between the summary periods, with the exact test.
/// Analyst only.
pub const CHANGE_CSV: &str = "change.csv";
/// `[neighbourhoods]`: the small areas below the neighbourhoods, with the counts and rates
/// of open sources, for the map's zoomed-in view.
pub const SMALL_AREAS_GEOJSON: &str = "small_areas.geojson";
/// `[[emerging]]`: each area's (and grid cell's) emerging hot spot class with its slices.
pub const EMERGING_GEOJSON: &str = "emerging.geojson";
/// Hour-of-week profiles (study, hot spots, areas) of timestamped sources. Analyst only.
pub const HOUR_OF_WEEK_CSV: &str = "hour_of_week.csv";
/// `[comparison]`: per community safety partnership and category, events, residents, rate,
/// whether it is in the study partnership's similar group, its ranks and distance. Open
/// data (police.uk totals per partnership).
pub const COMPARISON_CSV: &str = "comparison.csv";
/// The service register's public points (confidential services withheld).
pub const SERVICES_GEOJSON: &str = "services.geojson";

/// The tables the server reads besides the layer files of the registry, with whether each
/// is required.
pub const SERVED_TABLES: [(&str, bool); 4] = [
    (MANIFEST, true),
    (COUNTS_CSV, true),
    (COUNTS_BY_HOUR_CSV, false),
    (COVERAGE_CSV, false),
];
