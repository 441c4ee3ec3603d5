//! Reading a results directory (`manifest.json`, `areas.geojson`, `counts.csv`,
//! `counts_by_hour.csv`, `coverage.csv`, and when present `grid.geojson`,
//! `density.geojson`, `services.geojson`) into a [`Dataset`].

use super::layers::{areas_key_min_zoom, prop_value, table_of, TileLayer};
use super::published::PublishedTable;
use super::source::{Entry, SourceData};
use super::{AnalysisInfo, AreaInfo, Dataset};
use crate::values::derive;
use rayon::prelude::*;
use safemap_engine::config::DisclosureSection;
use safemap_engine::coverage::{Coverage, CoverageMethod};
use safemap_engine::disclosure::DisclosureRule;
use safemap_stats::RateParams;
use safemap_tiles::{AttributeTable, LayerGeometry, PrepareOptions, PropValue};
use safemap_types::time::{Month, MonthRange, WEEKDAYS};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// A results directory that cannot be served.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}; is this the output directory of `safemap run`?")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file is not what `safemap run` writes.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the line where known.
        message: String,
    },
}

fn parse_err(path: &Path, message: impl std::fmt::Display) -> LoadError {
    LoadError::Parse {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

/// The files a results directory holds for the server, in hashing order, and whether each
/// is required.
const FILES: [(&str, bool); 8] = [
    ("manifest.json", true),
    ("areas.geojson", true),
    ("counts.csv", true),
    ("counts_by_hour.csv", false),
    ("coverage.csv", false),
    ("grid.geojson", false),
    ("density.geojson", false),
    ("services.geojson", false),
];

/// The files of a results directory, read whole, and their fingerprint.
pub struct ResultFiles {
    dir: PathBuf,
    bytes: HashMap<&'static str, Vec<u8>>,
    fingerprint: String,
}

impl ResultFiles {
    /// Reads and hashes every file (SHA-256 of names, lengths and contents).
    pub fn read(dir: &Path) -> Result<Self, LoadError> {
        let mut hasher = Sha256::new();
        let mut bytes = HashMap::new();
        for (name, required) in FILES {
            let path = dir.join(name);
            match std::fs::read(&path) {
                Ok(b) => {
                    hasher.update(name.as_bytes());
                    hasher.update((b.len() as u64).to_le_bytes());
                    hasher.update(&b);
                    bytes.insert(name, b);
                }
                Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(LoadError::Read { path, source }),
            }
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            bytes,
            fingerprint: format!("{:x}", hasher.finalize()),
        })
    }

    /// SHA-256 over the files: equal fingerprints, equal answers.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    fn take(&mut self, name: &str) -> Option<Vec<u8>> {
        self.bytes.remove(name)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

/// A GeoJSON feature collection's properties and geometries.
struct Features {
    props: Vec<Map<String, Value>>,
    geometry: Vec<Option<geojson::Geometry>>,
}

fn features(path: &Path, bytes: &[u8]) -> Result<Features, LoadError> {
    let fc: geojson::FeatureCollection =
        serde_json::from_slice(bytes).map_err(|e| parse_err(path, e))?;
    let (props, geometry) = fc
        .features
        .into_iter()
        .map(|f| (f.properties.unwrap_or_default(), f.geometry))
        .unzip();
    Ok(Features { props, geometry })
}

fn multipolygon(
    path: &Path,
    i: usize,
    g: &geojson::Geometry,
) -> Result<geo_types::MultiPolygon<f64>, LoadError> {
    let geom = geo_types::Geometry::<f64>::try_from(g.value.clone())
        .map_err(|e| parse_err(path, format!("feature {i}: {e}")))?;
    match geom {
        geo_types::Geometry::MultiPolygon(mp) => Ok(mp),
        geo_types::Geometry::Polygon(p) => Ok(geo_types::MultiPolygon(vec![p])),
        other => Err(parse_err(
            path,
            format!("feature {i}: expected a Polygon or MultiPolygon, found {other:?}"),
        )),
    }
}

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// Loads a results directory.
pub fn load(dir: &Path) -> Result<Dataset, LoadError> {
    parse(ResultFiles::read(dir)?)
}

/// Builds the dataset from files already read.
pub fn parse(mut files: ResultFiles) -> Result<Dataset, LoadError> {
    let manifest_bytes = files.take("manifest.json").unwrap_or_default();
    let manifest_path = files.path("manifest.json");
    let manifest: Value =
        serde_json::from_slice(&manifest_bytes).map_err(|e| parse_err(&manifest_path, e))?;
    let params = &manifest["parameters"];
    let rate_params = RateParams::new(
        params["rate_per"].as_f64().unwrap_or(1000.0),
        params["confidence"].as_f64().unwrap_or(0.95),
    )
    .map_err(|e| parse_err(&manifest_path, e))?;
    let disclosure: DisclosureSection =
        serde_json::from_value(params["disclosure"].clone()).unwrap_or_default();
    let disclosure = DisclosureRule::from(disclosure);

    let areas_path = files.path("areas.geojson");
    let areas_bytes = files.take("areas.geojson").unwrap_or_default();
    let areas_fc = features(&areas_path, &areas_bytes)?;
    drop(areas_bytes);
    let columns: Vec<String> = areas_fc
        .props
        .first()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    let areas: Vec<AreaInfo> = areas_fc
        .props
        .iter()
        .map(|p| AreaInfo {
            code: p
                .get("code")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            name: p
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            population: p.get("population").and_then(Value::as_f64),
            deprivation: p.get("deprivation").and_then(Value::as_f64),
        })
        .collect();
    let by_code: HashMap<String, usize> = areas
        .iter()
        .enumerate()
        .map(|(i, a)| (a.code.clone(), i))
        .collect();
    let geometry_json: Vec<axum::body::Bytes> = areas_fc
        .geometry
        .par_iter()
        .map(|g| {
            serde_json::to_vec(g)
                .unwrap_or_else(|_| b"null".to_vec())
                .into()
        })
        .collect();

    let source_meta = manifest["sources"].as_array().cloned().unwrap_or_default();
    let mut sources: Vec<SourceData> = source_meta
        .iter()
        .map(|s| source_shell(&manifest_path, s))
        .collect::<Result<_, _>>()?;
    let counts_path = files.path("counts.csv");
    let counts = files.take("counts.csv").unwrap_or_default();
    read_counts(&counts_path, &counts, false, &by_code, &mut sources)?;
    let hourly_path = files.path("counts_by_hour.csv");
    if let Some(hourly) = files.take("counts_by_hour.csv") {
        read_counts(&hourly_path, &hourly, true, &by_code, &mut sources)?;
    }
    let coverage_path = files.path("coverage.csv");
    // Results written before coverage.csv existed read as complete coverage.
    let coverage = files.take("coverage.csv").unwrap_or_default();
    read_coverage(
        &coverage_path,
        &coverage,
        &source_meta,
        &by_code,
        &mut sources,
    )?;
    for s in &mut sources {
        for table in [&mut s.monthly, &mut s.hourly] {
            for entries in table.iter_mut() {
                entries.sort_unstable_by_key(|e| (e.area, e.month, e.hour));
            }
        }
    }
    let published: Vec<PublishedTable> = sources
        .iter()
        .map(|s| PublishedTable::build(s, areas.len(), disclosure))
        .collect();

    let analyses = manifest["analyses"]
        .as_array()
        .map(|list| list.iter().map(analysis_info).collect())
        .unwrap_or_default();

    let mut layers = BTreeMap::new();
    let polygons: Vec<geo_types::MultiPolygon<f64>> = areas_fc
        .geometry
        .iter()
        .enumerate()
        .map(|(i, g)| {
            g.as_ref().map_or(Ok(geo_types::MultiPolygon(vec![])), |g| {
                multipolygon(&areas_path, i, g)
            })
        })
        .collect::<Result<_, _>>()?;
    let public_rows = public_area_rows(
        &columns,
        &areas_fc.props,
        &sources,
        &published,
        &areas,
        rate_params,
    );
    let districts = super::context::Districts::of(&areas);
    let labels = districts.labels(&areas, &polygons);
    let areas_geometry = LayerGeometry::polygons(polygons, PrepareOptions::default());
    let context = districts.context(&areas_geometry);
    drop(districts);
    let analyst = table_of(&areas_fc.props, &columns);
    layers.insert(
        "areas".to_string(),
        TileLayer {
            analyst_key_min_zoom: areas_key_min_zoom(&analyst),
            public_key_min_zoom: areas_key_min_zoom(&public_rows),
            ..TileLayer::plain("polygon", areas_geometry, analyst, Some(public_rows))
        },
    );
    layers.insert("context".to_string(), context);
    layers.insert("labels".to_string(), labels);
    let sensitive = |key: &str| {
        let name = manifest[key]["settings"]["source"]
            .as_str()
            .unwrap_or_default();
        sources.iter().any(|s| s.name == name && s.sensitive)
    };
    for (name, file) in [("grid", "grid.geojson"), ("density", "density.geojson")] {
        let path = files.path(file);
        let Some(bytes) = files.take(file) else {
            continue;
        };
        let fc = features(&path, &bytes)?;
        let polygons = fc
            .geometry
            .iter()
            .enumerate()
            .filter_map(|(i, g)| g.as_ref().map(|g| multipolygon(&path, i, g)))
            .collect::<Result<Vec<_>, _>>()?;
        let keys: Vec<String> = fc
            .props
            .first()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let public = (!sensitive(name)).then(|| public_cells(&fc.props, &keys, disclosure));
        layers.insert(
            name.to_string(),
            TileLayer::plain(
                "polygon",
                LayerGeometry::polygons(polygons, PrepareOptions::default()),
                table_of(&fc.props, &keys),
                public,
            ),
        );
    }
    let services_path = files.path("services.geojson");
    if let Some(bytes) = files.take("services.geojson") {
        let fc = features(&services_path, &bytes)?;
        let mut points = Vec::new();
        let mut props = Vec::new();
        for (p, g) in fc.props.into_iter().zip(&fc.geometry) {
            if let Some(Ok(geo_types::Geometry::Point(pt))) = g
                .as_ref()
                .map(|g| geo_types::Geometry::<f64>::try_from(g.value.clone()))
            {
                points.push(pt);
                props.push(p);
            }
        }
        let keys: Vec<String> = ["name", "kind", "tier", "capacity", "area"]
            .map(String::from)
            .to_vec();
        let table = table_of(&props, &keys);
        layers.insert(
            "services".to_string(),
            TileLayer::plain(
                "point",
                LayerGeometry::points(points, PrepareOptions::default()),
                table.clone(),
                Some(table),
            ),
        );
    }
    let bounds = layers.get("areas").and_then(|l| l.geometry.bounds_wgs84());
    Ok(Dataset {
        fingerprint: files.fingerprint.into(),
        study: manifest["study"].as_str().unwrap_or_default().to_string(),
        manifest,
        disclosure,
        rate_params,
        areas,
        by_code,
        columns,
        rows: areas_fc.props,
        geometry_json,
        sources,
        published,
        analyses,
        layers,
        bounds,
    })
}

/// A source from its manifest entry, without counts yet.
fn source_shell(path: &Path, s: &Value) -> Result<SourceData, LoadError> {
    let strings = |key: &str| -> Vec<String> {
        s[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let name = str_field(s, "name").unwrap_or_default().to_string();
    let labels = strings("measures");
    let slugs = strings("slugs");
    if slugs.len() != labels.len() {
        return Err(parse_err(
            path,
            format!("source {name:?}: measures and slugs differ in length; re-run the study with this safemap version"),
        ));
    }
    let months = s["months"].as_array().and_then(|m| {
        let from = Month::parse(m.first()?.as_str()?).ok()?;
        let to = Month::parse(m.get(1)?.as_str()?).ok()?;
        MonthRange::new(from, to).ok()
    });
    let n_categories = s["n_categories"].as_u64().map_or_else(
        || labels.iter().filter(|l| !l.starts_with("flag_")).count(),
        |n| n as usize,
    );
    let n = labels.len();
    Ok(SourceData {
        sensitive: s["sensitive"].as_bool().unwrap_or(false),
        has_timestamps: str_field(s, "time_precision") == Some("timestamp"),
        labels,
        slugs,
        n_categories,
        // A source with no joined events at all has no span; one month keeps the maths simple.
        months: months.unwrap_or(MonthRange::single(Month::from_index(0))),
        monthly: vec![Vec::new(); n],
        hourly: vec![Vec::new(); n],
        // Set from `coverage.csv` once the areas are known.
        coverage: Coverage::complete(CoverageMethod::WholeSpan, months, 0),
        name,
    })
}

/// Reads `coverage.csv` (`code,source,month,reason`: the cells no input file covers) into
/// the sources' coverage, with the method the manifest records.
fn read_coverage(
    path: &Path,
    bytes: &[u8],
    manifest_sources: &[Value],
    by_code: &HashMap<String, usize>,
    sources: &mut [SourceData],
) -> Result<(), LoadError> {
    let mut gaps: Vec<Vec<(u32, Month, String)>> = vec![Vec::new(); sources.len()];
    let mut reader = csv::Reader::from_reader(bytes);
    for (line, record) in reader.records().enumerate() {
        let line = line + 2;
        let r = record.map_err(|e| parse_err(path, format!("line {line}: {e}")))?;
        let field = |i: usize| r.get(i).unwrap_or_default();
        let bad = |what: &str, v: &str| {
            parse_err(
                path,
                format!("line {line}: {what} {v:?} is not one of this run's"),
            )
        };
        let area = *by_code
            .get(field(0))
            .ok_or_else(|| bad("area code", field(0)))?;
        let s = sources
            .iter()
            .position(|s| s.name == field(1))
            .ok_or_else(|| bad("source", field(1)))?;
        let month = Month::parse(field(2))
            .map_err(|e| parse_err(path, format!("line {line}: month: {e}")))?;
        gaps[s].push((area as u32, month, field(3).to_string()));
    }
    for ((source, gaps), meta) in sources.iter_mut().zip(gaps).zip(manifest_sources) {
        let method = serde_json::from_value(meta["coverage"]["method"].clone())
            .unwrap_or(CoverageMethod::WholeSpan);
        let gaps: Vec<(u32, Month, &str)> =
            gaps.iter().map(|(a, m, r)| (*a, *m, r.as_str())).collect();
        source.coverage = Coverage::with_gaps(method, Some(source.months), by_code.len(), &gaps);
    }
    Ok(())
}

/// Reads `counts.csv` (or `counts_by_hour.csv` when `hourly`) into the sources.
fn read_counts(
    path: &Path,
    bytes: &[u8],
    hourly: bool,
    by_code: &HashMap<String, usize>,
    sources: &mut [SourceData],
) -> Result<(), LoadError> {
    let mut reader = csv::Reader::from_reader(bytes);
    let lookups: Vec<HashMap<String, usize>> = sources
        .iter()
        .map(|s| {
            s.labels
                .iter()
                .enumerate()
                .map(|(i, l)| (l.clone(), i))
                .collect()
        })
        .collect();
    for (line, record) in reader.records().enumerate() {
        let line = line + 2;
        let r = record.map_err(|e| parse_err(path, format!("line {line}: {e}")))?;
        let field = |i: usize| r.get(i).unwrap_or_default();
        let bad = |what: &str, v: &str| {
            parse_err(
                path,
                format!("line {line}: {what} {v:?} is not one of this run's"),
            )
        };
        let area = *by_code
            .get(field(0))
            .ok_or_else(|| bad("area code", field(0)))?;
        let s = sources
            .iter()
            .position(|s| s.name == field(1))
            .ok_or_else(|| bad("source", field(1)))?;
        let m = *lookups[s]
            .get(field(2))
            .ok_or_else(|| bad("category", field(2)))?;
        let month = Month::parse(field(3))
            .map_err(|e| parse_err(path, format!("line {line}: month: {e}")))?;
        let (hour, count_col) = if hourly {
            let day = WEEKDAYS
                .iter()
                .position(|d| *d == field(4))
                .ok_or_else(|| bad("weekday", field(4)))?;
            let h: usize = field(5).parse().map_err(|_| bad("hour", field(5)))?;
            ((day * 24 + h.min(23)) as u8, 6)
        } else {
            (u8::MAX, 4)
        };
        let count: u32 = field(count_col)
            .parse()
            .map_err(|_| bad("count", field(count_col)))?;
        let table = if hourly {
            &mut sources[s].hourly
        } else {
            &mut sources[s].monthly
        };
        table[m].push(Entry {
            area: area as u32,
            month,
            hour,
            count,
        });
    }
    Ok(())
}

fn analysis_info(a: &Value) -> AnalysisInfo {
    let settings = &a["settings"];
    let name = str_field(a, "name").unwrap_or_default().to_string();
    AnalysisInfo {
        label: crate::labels::human_label(&name),
        name,
        source: str_field(settings, "source").map(String::from),
        category: str_field(settings, "category").map(String::from),
        statistics: settings["statistics"]
            .as_array()
            .map(|s| {
                s.iter()
                    .filter_map(Value::as_str)
                    .filter(|s| *s != "global_moran")
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default(),
        correction: str_field(settings, "correction")
            .unwrap_or("fdr")
            .to_string(),
    }
}

/// Columns of analysis classes: the only analysis outputs the public role sees.
pub fn is_class_column(key: &str) -> bool {
    key.ends_with("_class") || key.contains("_class_")
}

/// The public attribute rows of the areas layer: identity, published counts of the whole
/// period (all hours) with values derived from them, and hotspot classes.
fn public_area_rows(
    columns: &[String],
    rows: &[Map<String, Value>],
    sources: &[SourceData],
    published: &[PublishedTable],
    areas: &[AreaInfo],
    params: RateParams,
) -> AttributeTable {
    let populations: Vec<Option<f64>> = areas.iter().map(|a| a.population).collect();
    let mut keys: Vec<String> = ["code", "name", "population", "deprivation"]
        .map(String::from)
        .to_vec();
    let mut table: Vec<Vec<PropValue>> = rows
        .iter()
        .map(|r| {
            keys.iter()
                .map(|k| r.get(k).map_or(PropValue::Null, prop_value))
                .collect()
        })
        .collect();
    let number = |v: Option<f64>| v.map_or(PropValue::Null, PropValue::Float);
    for (s, table_p) in sources.iter().zip(published) {
        for (slot, slug) in std::iter::once("all")
            .chain(s.slugs.iter().map(String::as_str))
            .enumerate()
        {
            let counts = table_p.counts((slot, 0, 0));
            let derived = derive(&counts, &populations, params);
            for f in safemap_engine::results::MEASURES {
                keys.push(format!("{}_{slug}_{f}", s.name));
            }
            for (row, d) in table.iter_mut().zip(&derived) {
                row.extend([
                    d.count.map_or(PropValue::Null, PropValue::UInt),
                    number(d.rate),
                    number(d.rate_lo),
                    number(d.rate_hi),
                    number(d.expected),
                    number(d.excess_risk),
                ]);
            }
        }
    }
    for key in columns.iter().filter(|k| is_class_column(k)) {
        keys.push(key.clone());
        for (row, r) in table.iter_mut().zip(rows) {
            row.push(r.get(key).map_or(PropValue::Null, prop_value));
        }
    }
    AttributeTable { keys, rows: table }
}

/// Public attributes of grid or density cells: counts under the primary rule, no
/// statistics but the classes.
fn public_cells(
    rows: &[Map<String, Value>],
    keys: &[String],
    rule: DisclosureRule,
) -> AttributeTable {
    let public_keys: Vec<String> = keys
        .iter()
        .filter(|k| *k == "cell" || *k == "count" || *k == "density_per_km2" || is_class_column(k))
        .cloned()
        .collect();
    let mut t = table_of(rows, &public_keys);
    if let Some(c) = public_keys.iter().position(|k| k == "count") {
        for row in &mut t.rows {
            if let PropValue::UInt(n) = row[c] {
                row[c] = rule
                    .primary(n)
                    .value()
                    .map_or(PropValue::Null, PropValue::UInt);
            }
        }
    }
    t
}
