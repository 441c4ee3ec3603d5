//! `safemap export geoparquet STUDY.toml --out DIR`: a study's data as GeoParquet 1.1, for
//! engines beyond one machine (DuckDB, Dask-GeoPandas, Apache Sedona).
//!
//! The study is read and joined exactly as `safemap run` reads and joins it ([`prepare`],
//! `[neighbourhoods]` lifted, coverage, [`count`]); no statistics are computed. It writes:
//!
//! | file | one row per | columns |
//! |---|---|---|
//! | `events/month=YYYY-MM/part-0.parquet` | counted event: joined to a study area in a month its source's files cover (what `counts.csv` counts) | `source`, `area_code`, `category`, `occurred_at` (UTC-less timestamp in ms; null for month-precision sources such as police.uk), `domestic_abuse`, `alcohol`, `weapon` (null when the source does not record the flag), `geometry` (the point; null for a code-joined row without coordinates) |
//! | `counts/month=YYYY-MM/part-0.parquet` | non-zero cell of the area × source × measure × month cube: exactly `counts.csv` | `area_code`, `source`, `category` (a category, or `flag_domestic_abuse`, ...), `count`, `geometry` (the area's interior point, so the cube maps on its own) |
//! | `areas.parquet` | study area, in boundary-file order | `area_id` (the position in the boundary file: the order the edge rule `lowest_area_id` picks by), `code`, `name`, `population`, `deprivation`, `{source}_all_count` (every category, as in `areas.csv`), `geometry` (the polygon) |
//!
//! The month is the hive partition (`month=2019-01`), not a column of the files; readers
//! that know hive partitioning (DuckDB `hive_partitioning = true`, Dask, Spark) add it.
//! Geometries are British National Grid metres. Events are rows in input order, source by
//! source. The export refuses a folder that already holds `events/` or `counts/`, so a
//! reader's glob never mixes two exports, and a results directory (with `manifest.json`),
//! so the events never sit among what `serve` reads or a host publishes.
//!
//! The event rows are point locations of possibly sensitive records (domestic abuse, ED
//! attendances): the export is analyst-only data, for the analyst's own machines. No part of
//! it is a results directory, and `safemap serve` never reads it.

use super::{extend_bbox, wkb, write_table, GeoColumn, GEOMETRY};
use crate::aggregate::{count, SourceCounts};
use crate::areas::AreaTable;
use crate::config::Study;
use crate::coverage::{self, Coverage};
use crate::error::EngineError;
use crate::pipeline::prepare_keeping;
use crate::sources::LoadedSource;
use geo_types::Coord;
use polars::prelude::{
    BinaryChunked, BooleanChunked, Column, DataFrame, Float64Chunked, Int64Chunked, IntoColumn,
    NewChunkedArray, StringChunked, TimeUnit, UInt32Chunked, UInt64Chunked,
};
use safemap_geo::reproject::to_bng;
use safemap_types::{Crs, Event, Flags, Month};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The event flags, in column order, with their column names.
const FLAG_COLUMNS: [(Flags, &str); 3] = [
    (Flags::DOMESTIC_ABUSE, "domestic_abuse"),
    (Flags::ALCOHOL, "alcohol"),
    (Flags::WEAPON, "weapon"),
];

/// What an export wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportSummary {
    /// Event rows written.
    pub events: u64,
    /// Cube rows (non-zero cells) written.
    pub cube_rows: u64,
    /// Areas written.
    pub areas: usize,
    /// Every file written, in order.
    pub files: Vec<PathBuf>,
}

/// One source, read, joined and counted.
struct Counted<'a> {
    name: &'a str,
    loaded: &'a LoadedSource,
    /// Its joined events, each with its area.
    events: &'a [(u32, Event)],
    coverage: Coverage,
    counts: SourceCounts,
    /// Its measures: the categories, then `flag_{name}` for each flag it carries.
    measures: Vec<String>,
}

impl Counted<'_> {
    /// The area of joined event `i` when it is counted: in a covered (area, month) cell.
    fn counts_event(&self, i: usize) -> Option<u32> {
        let (area, e) = &self.events[i];
        self.coverage
            .is_covered(*area, e.time.calendar_month())
            .then_some(*area)
    }
}

/// Reads and joins `study` as `run` does and writes its GeoParquet export to `out` (see the
/// module docs).
pub fn export(study: &Study, out: &Path) -> Result<ExportSummary, EngineError> {
    let manifest = out.join(safemap_results::files::MANIFEST);
    if manifest.exists() {
        return Err(EngineError::Write {
            path: out.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "this is a results directory, which `serve` reads and may be published: \
                 write the analyst-only export to a folder of its own",
            ),
        });
    }
    for dir in ["events", "counts"] {
        let path = out.join(dir);
        if path.exists() {
            return Err(EngineError::Write {
                path,
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "a previous export is there: remove it or choose another --out",
                ),
            });
        }
    }
    let prepared = prepare_keeping(study, true)?;
    let prepared = match &study.neighbourhoods {
        Some(_) => crate::neighbourhoods::lift(study, prepared)?.0,
        None => prepared,
    };
    let areas = &prepared.areas;
    let bng = areas.boundary_crs != Crs::Planar;
    let sources = prepared
        .sources
        .iter()
        .zip(&study.sources)
        .map(|((loaded, assignment), section)| {
            let coverage = coverage::of_source(study, section, loaded, &assignment.joined, areas)?;
            let flags: Vec<Flags> = loaded.flags.iter().map(|f| f.0).collect();
            let counts = count(
                &assignment.joined.cells,
                areas.areas.len(),
                loaded.data.categories.len(),
                &flags,
                &coverage,
            );
            let mut measures = loaded.data.categories.clone();
            measures.extend(loaded.flags.iter().map(|(_, name)| format!("flag_{name}")));
            Ok(Counted {
                name: &section.name,
                loaded,
                events: &assignment.joined.events,
                coverage,
                counts,
                measures,
            })
        })
        .collect::<Result<Vec<_>, EngineError>>()?;

    let mut summary = ExportSummary {
        events: 0,
        cube_rows: 0,
        areas: areas.areas.len(),
        files: Vec::new(),
    };
    write_events(&sources, areas, bng, out, &mut summary)?;
    write_cube(&sources, areas, bng, out, &mut summary)?;
    let path = out.join("areas.parquet");
    write_areas(&sources, areas, bng, &path)?;
    summary.files.push(path);
    Ok(summary)
}

/// The `events/month=.../part-0.parquet` files.
fn write_events(
    sources: &[Counted<'_>],
    areas: &AreaTable,
    bng: bool,
    out: &Path,
    summary: &mut ExportSummary,
) -> Result<(), EngineError> {
    // (source, event) of every counted event, by month, in input order.
    let mut by_month: BTreeMap<Month, Vec<(u16, u32, u32)>> = BTreeMap::new();
    for (s, source) in sources.iter().enumerate() {
        for (i, (_, e)) in source.events.iter().enumerate() {
            if let Some(area) = source.counts_event(i) {
                by_month
                    .entry(e.time.calendar_month())
                    .or_default()
                    .push((s as u16, i as u32, area));
            }
        }
    }
    for (month, rows) in by_month {
        let event = |&(s, i, _): &(u16, u32, u32)| {
            let source = &sources[usize::from(s)];
            (source, &source.events[i as usize].1)
        };
        let mut columns: Vec<Column> = vec![
            text_column("source", &rows, |r| event(r).0.name),
            text_column("area_code", &rows, |r| {
                areas.areas[r.2 as usize].code.as_str()
            }),
            text_column("category", &rows, |r| {
                let (source, e) = event(r);
                source.loaded.data.categories[usize::from(e.category)].as_str()
            }),
            Int64Chunked::from_iter_options(
                "occurred_at".into(),
                rows.iter().map(|r| {
                    let t = event(r).1.time.timestamp()?;
                    Some(t.and_utc().timestamp_millis())
                }),
            )
            .into_datetime(TimeUnit::Milliseconds, None)
            .into_column(),
        ];
        for (flag, name) in FLAG_COLUMNS {
            columns.push(
                BooleanChunked::from_iter_options(
                    name.into(),
                    rows.iter().map(|r| {
                        let (source, e) = event(r);
                        source
                            .loaded
                            .flags
                            .iter()
                            .any(|(f, _)| *f == flag)
                            .then(|| e.flags.contains(flag))
                    }),
                )
                .into_column(),
            );
        }
        let points = rows
            .iter()
            .map(|r| event(r).1.point.and_then(|p| to_bng(p).ok()));
        write_month(out, "events", month, columns, points, bng, summary)?;
        summary.events += rows.len() as u64;
    }
    Ok(())
}

/// The `counts/month=.../part-0.parquet` files: every non-zero cell of every source.
fn write_cube(
    sources: &[Counted<'_>],
    areas: &AreaTable,
    bng: bool,
    out: &Path,
    summary: &mut ExportSummary,
) -> Result<(), EngineError> {
    let points: Vec<Option<geo_types::Point<f64>>> = areas
        .areas
        .iter()
        .map(|a| safemap_geo::point_on_surface(&a.geometry))
        .collect();
    // (source, area, measure, count) by month, sources in study order, then area, measure.
    let mut by_month: BTreeMap<Month, Vec<(usize, u32, u16, u64)>> = BTreeMap::new();
    for (s, source) in sources.iter().enumerate() {
        for (&(area, measure, month), &n) in &source.counts.monthly {
            by_month
                .entry(month)
                .or_default()
                .push((s, area, measure, n));
        }
    }
    for (month, rows) in by_month {
        let columns = vec![
            text_column("area_code", &rows, |r| {
                areas.areas[r.1 as usize].code.as_str()
            }),
            text_column("source", &rows, |r| sources[r.0].name),
            text_column("category", &rows, |r| {
                sources[r.0].measures[usize::from(r.2)].as_str()
            }),
            UInt64Chunked::from_iter_values("count".into(), rows.iter().map(|r| r.3)).into_column(),
        ];
        let points = rows.iter().map(|r| points[r.1 as usize].map(|p| p.0));
        write_month(out, "counts", month, columns, points, bng, summary)?;
        summary.cube_rows += rows.len() as u64;
    }
    Ok(())
}

/// `areas.parquet`: the area layer.
fn write_areas(
    sources: &[Counted<'_>],
    areas: &AreaTable,
    bng: bool,
    path: &Path,
) -> Result<(), EngineError> {
    let a = &areas.areas;
    let mut bbox = None;
    for area in a {
        for c in area.geometry.0.iter().flat_map(|p| &p.exterior().0) {
            extend_bbox(&mut bbox, c.x, c.y);
        }
    }
    let mut columns = vec![
        UInt32Chunked::from_iter_values("area_id".into(), 0..a.len() as u32).into_column(),
        text_column("code", a, |r| r.code.as_str()),
        text_column("name", a, |r| r.name.as_str()),
        Float64Chunked::from_iter_options("population".into(), a.iter().map(|r| r.population))
            .into_column(),
        Float64Chunked::from_iter_options("deprivation".into(), a.iter().map(|r| r.deprivation))
            .into_column(),
    ];
    for source in sources {
        let totals = source.counts.totals(None, None);
        columns.push(
            UInt64Chunked::from_iter_values(
                format!("{}_all_count", source.name).into(),
                totals.into_iter(),
            )
            .into_column(),
        );
    }
    columns.push(
        BinaryChunked::from_iter_values(
            GEOMETRY.into(),
            a.iter().map(|r| wkb::multi_polygon(&r.geometry)),
        )
        .into_column(),
    );
    write(path, columns, &["MultiPolygon"], bbox, bng)
}

/// A text column of `rows`, each row's text given by `text`.
fn text_column<'a, R>(name: &str, rows: &'a [R], text: impl Fn(&'a R) -> &'a str) -> Column {
    StringChunked::from_iter_values(name.into(), rows.iter().map(text)).into_column()
}

/// Writes `columns` and the point geometry of `points` (one per row; `None` for a row
/// without a location) as `{dir}/month={month}/part-0.parquet` under `out`.
fn write_month(
    out: &Path,
    dir: &str,
    month: Month,
    mut columns: Vec<Column>,
    points: impl Iterator<Item = Option<Coord<f64>>>,
    bng: bool,
    summary: &mut ExportSummary,
) -> Result<(), EngineError> {
    let mut bbox = None;
    let geometry = points.map(|p| {
        let p = p?;
        extend_bbox(&mut bbox, p.x, p.y);
        Some(wkb::point(p))
    });
    columns.push(BinaryChunked::from_iter_options(GEOMETRY.into(), geometry).into_column());
    let path = out
        .join(dir)
        .join(format!("month={month}"))
        .join("part-0.parquet");
    write(&path, columns, &["Point"], bbox, bng)?;
    summary.files.push(path);
    Ok(())
}

/// Writes one GeoParquet file of `columns`.
fn write(
    path: &Path,
    columns: Vec<Column>,
    types: &'static [&'static str],
    bbox: Option<[f64; 4]>,
    bng: bool,
) -> Result<(), EngineError> {
    let mut frame = DataFrame::new_infer_height(columns).map_err(|e| EngineError::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
    })?;
    write_table(path, &mut frame, &GeoColumn { types, bbox, bng })
}
