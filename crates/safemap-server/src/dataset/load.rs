//! Reading a results directory into a [`Dataset`] through the results contract: the typed
//! manifest, then the tables (`counts.csv`, `counts_by_hour.csv`, `coverage.csv`) and every
//! layer file its registry lists. Layers are built from their registry entries alone: what
//! the public sees of a layer is what its entry allows, and nothing when the entry or a
//! source it draws from does not say it is public.

use super::layers::{areas_key_min_zoom, painted_from_tiles, prop_value, table_of, TileLayer};
use super::published::PublishedTable;
use super::source::{Entry, SourceData};
use super::{AnalysisInfo, AreaInfo, Dataset, RateBase};
use crate::values::{derive, Derived};
use rayon::prelude::*;
use safemap_results::columns::{measure_columns, MEASURES};
use safemap_results::coverage::{Coverage, CoverageMethod};
use safemap_results::disclosure::{DisclosureRule, Published};
use safemap_results::files;
use safemap_results::manifest::{AnalysisEntry, SourceEntry, TimePrecision};
use safemap_results::registry::{GeometryKind, LayerEntry, LayerKind};
use safemap_results::Manifest;
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

/// The files of a results directory, read whole, and their fingerprint.
pub struct ResultFiles {
    dir: PathBuf,
    manifest: Manifest,
    bytes: HashMap<String, Vec<u8>>,
    fingerprint: String,
}

impl ResultFiles {
    /// Reads the manifest, the tables and every layer file its registry lists, and hashes
    /// them (SHA-256 of names, lengths and contents).
    pub fn read(dir: &Path) -> Result<Self, LoadError> {
        let read = |name: &str, required: bool| match std::fs::read(dir.join(name)) {
            Ok(b) => Ok(Some(b)),
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(LoadError::Read {
                path: dir.join(name),
                source,
            }),
        };
        let manifest_path = dir.join(files::MANIFEST);
        let manifest_bytes = read(files::MANIFEST, true)?.unwrap_or_default();
        let manifest =
            Manifest::from_slice(&manifest_bytes).map_err(|e| parse_err(&manifest_path, e))?;
        let mut hasher = Sha256::new();
        hasher.update(files::MANIFEST.as_bytes());
        hasher.update((manifest_bytes.len() as u64).to_le_bytes());
        hasher.update(&manifest_bytes);
        let names = files::SERVED_TABLES
            .into_iter()
            .filter(|(name, _)| *name != files::MANIFEST)
            .chain(manifest.layers.iter().map(|l| (l.file.as_str(), true)));
        let mut bytes = HashMap::new();
        for (name, required) in names {
            if name.contains(['/', '\\']) || name.starts_with('.') {
                return Err(parse_err(
                    &manifest_path,
                    format!("layer file {name:?} is not a file name in the results directory"),
                ));
            }
            if let Some(b) = read(name, required)? {
                hasher.update(name.as_bytes());
                hasher.update((b.len() as u64).to_le_bytes());
                hasher.update(&b);
                bytes.insert(name.to_string(), b);
            }
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            manifest,
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

/// Loads a results directory.
pub fn load(dir: &Path) -> Result<Dataset, LoadError> {
    parse(ResultFiles::read(dir)?)
}

/// Builds the dataset from files already read.
pub fn parse(mut files: ResultFiles) -> Result<Dataset, LoadError> {
    let manifest_path = files.path(files::MANIFEST);
    let manifest = files.manifest.clone();
    let params = &manifest.parameters;
    let rate_params = RateParams::new(params.rate_per, params.confidence)
        .map_err(|e| parse_err(&manifest_path, format!("parameters: {e}")))?;
    let disclosure = manifest.disclosure_rule();
    let mut entries = manifest
        .layers
        .iter()
        .filter(|l| l.kind == LayerKind::Areas);
    let (Some(areas_entry), None) = (entries.next(), entries.next()) else {
        return Err(parse_err(
            &manifest_path,
            "layers: expected exactly one layer of kind \"areas\"",
        ));
    };

    let areas_path = files.path(&areas_entry.file);
    let areas_bytes = files.take(&areas_entry.file).unwrap_or_default();
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

    let mut sources: Vec<SourceData> = manifest
        .sources
        .iter()
        .map(|s| source_shell(&manifest_path, s))
        .collect::<Result<_, _>>()?;
    for (name, hourly) in [
        (files::COUNTS_CSV, false),
        (files::COUNTS_BY_HOUR_CSV, true),
    ] {
        let path = files.path(name);
        if let Some(bytes) = files.take(name) {
            read_counts(&path, &bytes, hourly, &by_code, &mut sources)?;
        }
    }
    let coverage_path = files.path(files::COVERAGE_CSV);
    // Results written before coverage.csv existed read as complete coverage.
    let coverage = files.take(files::COVERAGE_CSV).unwrap_or_default();
    read_coverage(&coverage_path, &coverage, &manifest, &by_code, &mut sources)?;
    for s in &mut sources {
        for table in [&mut s.monthly, &mut s.hourly] {
            for entries in table.iter_mut() {
                entries.sort_unstable_by_key(|e| (e.area, e.month, e.hour));
            }
        }
    }
    let published: Vec<PublishedTable> = sources
        .iter()
        .map(|s| PublishedTable::build(s, areas.len(), disclosure, manifest.time.nte.mask()))
        .collect();

    let analyses: Vec<AnalysisInfo> = manifest.analyses.iter().map(analysis_info).collect();
    let painted = painted_from_tiles(&analyses);

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
    let rate_bases = manifest
        .sources
        .iter()
        .map(|s| rate_base(s, &areas_fc.props, &areas, params, rate_params))
        .collect::<Result<Vec<_>, String>>()
        .map_err(|e| parse_err(&manifest_path, e))?;
    let public_rows = areas_entry.is_public(&manifest.sources).then(|| {
        public_area_rows(
            &areas_entry.public_columns,
            &areas_fc.props,
            &sources,
            &published,
            &rate_bases,
        )
    });
    let districts = super::context::Districts::of(&areas);
    let labels = districts.labels(&areas, &polygons);
    let areas_geometry = LayerGeometry::polygons(polygons, PrepareOptions::default());
    let context = districts.context(&areas_geometry);
    drop(districts);
    let analyst = table_of(&areas_fc.props, &columns);
    layers.insert(
        areas_entry.name.clone(),
        TileLayer {
            analyst_key_min_zoom: areas_key_min_zoom(&analyst, &painted),
            public_key_min_zoom: public_rows
                .as_ref()
                .map(|t| areas_key_min_zoom(t, &painted))
                .unwrap_or_default(),
            ..TileLayer::plain("polygon", areas_geometry, analyst, public_rows)
        },
    );
    layers.insert("context".to_string(), context);
    layers.insert("labels".to_string(), labels);
    for entry in manifest
        .layers
        .iter()
        .filter(|l| l.kind == LayerKind::Features)
    {
        let path = files.path(&entry.file);
        let bytes = files.take(&entry.file).unwrap_or_default();
        let layer = feature_layer(&path, &bytes, entry, &manifest, disclosure)?;
        layers.insert(entry.name.clone(), layer);
    }
    let bounds = layers
        .get(&areas_entry.name)
        .and_then(|l| l.geometry.bounds_wgs84());
    Ok(Dataset {
        fingerprint: files.fingerprint.into(),
        study: manifest.study.clone(),
        manifest,
        disclosure,
        rate_bases,
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

/// A layer of kind `features` from its file and registry entry: the analyst sees every
/// property; the public, when the entry allows it, its `public_columns` with the
/// `protected_counts` disclosure-controlled. Features without geometry are left out.
fn feature_layer(
    path: &Path,
    bytes: &[u8],
    entry: &LayerEntry,
    manifest: &Manifest,
    rule: DisclosureRule,
) -> Result<TileLayer, LoadError> {
    let fc = features(path, bytes)?;
    let mut props = Vec::new();
    let mut shapes = Vec::new();
    for (i, (p, g)) in fc.props.into_iter().zip(&fc.geometry).enumerate() {
        let Some(g) = g else { continue };
        let geom = geo_types::Geometry::<f64>::try_from(g.value.clone())
            .map_err(|e| parse_err(path, format!("feature {i}: {e}")))?;
        shapes.push(geom);
        props.push(p);
    }
    let keys: Vec<String> = props
        .first()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    let geometry = layer_geometry(path, entry.geometry, shapes)?;
    let public = entry
        .is_public(&manifest.sources)
        .then(|| public_features(&props, entry, rule));
    Ok(TileLayer::plain(
        entry.geometry.as_str(),
        geometry,
        table_of(&props, &keys),
        public,
    ))
}

/// The prepared geometry of a layer whose features are all of `kind`.
fn layer_geometry(
    path: &Path,
    kind: GeometryKind,
    shapes: Vec<geo_types::Geometry<f64>>,
) -> Result<LayerGeometry, LoadError> {
    use geo_types::Geometry as G;
    let wrong = |i: usize, g: &G<f64>| {
        parse_err(
            path,
            format!(
                "feature {i}: expected a {} geometry, found {g:?}",
                kind.as_str()
            ),
        )
    };
    let options = PrepareOptions::default();
    Ok(match kind {
        GeometryKind::Polygon => LayerGeometry::polygons(
            shapes
                .into_iter()
                .enumerate()
                .map(|(i, g)| match g {
                    G::MultiPolygon(mp) => Ok(mp),
                    G::Polygon(p) => Ok(geo_types::MultiPolygon(vec![p])),
                    other => Err(wrong(i, &other)),
                })
                .collect::<Result<_, _>>()?,
            options,
        ),
        GeometryKind::Point => LayerGeometry::points(
            shapes
                .into_iter()
                .enumerate()
                .map(|(i, g)| match g {
                    G::Point(p) => Ok(p),
                    other => Err(wrong(i, &other)),
                })
                .collect::<Result<_, _>>()?,
            options,
        ),
    })
}

/// The public attributes of a features layer: its `public_columns`, the protected counts
/// through [`LayerEntry::protect`] (a count that is not a whole number is withheld).
fn public_features(
    rows: &[Map<String, Value>],
    entry: &LayerEntry,
    rule: DisclosureRule,
) -> AttributeTable {
    let mut t = table_of(rows, &entry.public_columns);
    let slots: Vec<Option<usize>> = entry
        .protected_counts
        .iter()
        .map(|p| entry.public_columns.iter().position(|k| *k == p.column))
        .collect();
    for (row, props) in t.rows.iter_mut().zip(rows) {
        let exact: Vec<Option<u64>> = entry
            .protected_counts
            .iter()
            .map(|p| props.get(&p.column).and_then(Value::as_u64))
            .collect();
        let shown = entry.protect(
            rule,
            &exact.iter().map(|c| c.unwrap_or(0)).collect::<Vec<_>>(),
        );
        for ((slot, shown), exact) in slots.iter().zip(shown).zip(&exact) {
            let Some(slot) = slot else { continue };
            row[*slot] = match (shown, exact) {
                (Published::Shown(v), Some(_)) => PropValue::UInt(v),
                _ => PropValue::Null,
            };
        }
    }
    t
}

/// A source from its manifest entry, without counts yet.
fn source_shell(path: &Path, s: &SourceEntry) -> Result<SourceData, LoadError> {
    if s.slugs.len() != s.measures.len() {
        return Err(parse_err(
            path,
            format!("sources: {:?}: measures and slugs differ in length; re-run the study with this safemap version", s.name),
        ));
    }
    let months = s
        .months
        .map(|[from, to]| {
            MonthRange::new(from, to)
                .map_err(|e| parse_err(path, format!("sources: {:?}: months: {e}", s.name)))
        })
        .transpose()?;
    let n = s.measures.len();
    Ok(SourceData {
        name: s.name.clone(),
        sensitive: s.sensitive,
        has_timestamps: s.time_precision == TimePrecision::Timestamp,
        labels: s.measures.clone(),
        slugs: s.slugs.clone(),
        n_categories: s.n_categories.min(n),
        // A source with no joined events at all has no span; one month keeps the maths simple.
        months: months.unwrap_or(MonthRange::single(Month::from_index(0))),
        monthly: vec![Vec::new(); n],
        hourly: vec![Vec::new(); n],
        // Set from `coverage.csv` once the areas are known.
        coverage: Coverage::complete(CoverageMethod::WholeSpan, months, 0),
    })
}

/// One row of a results table whose first two fields are an area code and a source name,
/// both resolved.
struct KeyedRow<'a> {
    path: &'a Path,
    line: usize,
    record: csv::StringRecord,
    area: usize,
    source: usize,
}

impl KeyedRow<'_> {
    fn field(&self, i: usize) -> &str {
        self.record.get(i).unwrap_or_default()
    }

    /// Field `i` is not a value this run wrote.
    fn bad(&self, what: &str, i: usize) -> LoadError {
        parse_err(
            self.path,
            format!(
                "line {}: {what} {:?} is not one of this run's",
                self.line,
                self.field(i)
            ),
        )
    }

    fn month(&self, i: usize) -> Result<Month, LoadError> {
        Month::parse(self.field(i))
            .map_err(|e| parse_err(self.path, format!("line {}: month: {e}", self.line)))
    }
}

/// Calls `each` with every row of a CSV table keyed by area code and source name.
fn keyed_rows(
    path: &Path,
    bytes: &[u8],
    by_code: &HashMap<String, usize>,
    source_names: &[String],
    mut each: impl FnMut(KeyedRow<'_>) -> Result<(), LoadError>,
) -> Result<(), LoadError> {
    let mut reader = csv::Reader::from_reader(bytes);
    for (line, record) in reader.records().enumerate() {
        let line = line + 2;
        let record = record.map_err(|e| parse_err(path, format!("line {line}: {e}")))?;
        let mut row = KeyedRow {
            path,
            line,
            record,
            area: 0,
            source: 0,
        };
        row.area = *by_code
            .get(row.field(0))
            .ok_or_else(|| row.bad("area code", 0))?;
        row.source = source_names
            .iter()
            .position(|s| s == row.field(1))
            .ok_or_else(|| row.bad("source", 1))?;
        each(row)?;
    }
    Ok(())
}

/// Reads `coverage.csv` (`code,source,month,reason`: the cells no input file covers) into
/// the sources' coverage, with the method the manifest records.
fn read_coverage(
    path: &Path,
    bytes: &[u8],
    manifest: &Manifest,
    by_code: &HashMap<String, usize>,
    sources: &mut [SourceData],
) -> Result<(), LoadError> {
    let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
    let mut gaps: Vec<Vec<(u32, Month, String)>> = vec![Vec::new(); sources.len()];
    keyed_rows(path, bytes, by_code, &names, |row| {
        let month = row.month(2)?;
        gaps[row.source].push((row.area as u32, month, row.field(3).to_string()));
        Ok(())
    })?;
    for ((source, gaps), meta) in sources.iter_mut().zip(gaps).zip(&manifest.sources) {
        let method = meta
            .coverage
            .as_ref()
            .map_or(CoverageMethod::WholeSpan, |c| c.method);
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
    let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
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
    keyed_rows(path, bytes, by_code, &names, |row| {
        let m = *lookups[row.source]
            .get(row.field(2))
            .ok_or_else(|| row.bad("category", 2))?;
        let month = row.month(3)?;
        let (hour, count_col) = if hourly {
            let day = WEEKDAYS
                .iter()
                .position(|d| *d == row.field(4))
                .ok_or_else(|| row.bad("weekday", 4))?;
            let h: usize = row.field(5).parse().map_err(|_| row.bad("hour", 5))?;
            ((day * 24 + h.min(23)) as u8, 6)
        } else {
            (u8::MAX, 4)
        };
        let count: u32 = row
            .field(count_col)
            .parse()
            .map_err(|_| row.bad("count", count_col))?;
        let source = &mut sources[row.source];
        let table = if hourly {
            &mut source.hourly
        } else {
            &mut source.monthly
        };
        table[m].push(Entry {
            area: row.area as u32,
            month,
            hour,
            count,
        });
        Ok(())
    })
}

fn analysis_info(a: &AnalysisEntry) -> AnalysisInfo {
    let settings = &a.settings;
    AnalysisInfo {
        label: crate::labels::human_label(&a.name),
        name: a.name.clone(),
        source: settings.source.clone(),
        category: settings.category.clone(),
        statistics: settings
            .statistics
            .iter()
            .filter(|s| *s != "global_moran")
            .cloned()
            .collect(),
        correction: settings.correction.clone().unwrap_or_else(|| "fdr".into()),
    }
}

/// What a source's rates are per: its manifest `rate` entry's column of the areas (the
/// residents and the run's `rate_per` for results without one).
fn rate_base(
    source: &safemap_results::manifest::SourceEntry,
    rows: &[Map<String, Value>],
    areas: &[AreaInfo],
    params: &safemap_results::manifest::Parameters,
    default: RateParams,
) -> Result<RateBase, String> {
    let Some(rate) = &source.rate else {
        return Ok(RateBase {
            denominators: areas.iter().map(|a| a.population).collect(),
            params: default,
            label: None,
        });
    };
    let denominators = if rate.column == "population" {
        areas.iter().map(|a| a.population).collect()
    } else {
        rows.iter()
            .map(|p| p.get(&rate.column).and_then(Value::as_f64))
            .collect()
    };
    Ok(RateBase {
        denominators,
        params: RateParams::new(rate.per, params.confidence)
            .map_err(|e| format!("sources: {}: rate: {e}", source.name))?,
        label: Some(rate.label.clone()),
    })
}

/// The public attribute rows of the areas layer: exactly the registry's public columns, in
/// their order. A listed measure column of a source (named exactly as
/// [`measure_columns`] names it) is derived from the source's published counts of the whole
/// period (all hours), never read from the file; any other listed column is read from the
/// file. A column not listed is not there, whatever its name.
fn public_area_rows(
    public_columns: &[String],
    rows: &[Map<String, Value>],
    sources: &[SourceData],
    published: &[PublishedTable],
    rate_bases: &[RateBase],
) -> AttributeTable {
    // Each measure column: its source, measure slot and field (an index of MEASURES).
    let mut measure_of: HashMap<String, (usize, usize, usize)> = HashMap::new();
    for (source, s) in sources.iter().enumerate() {
        for (k, column) in measure_columns(&s.name, &s.slugs).into_iter().enumerate() {
            measure_of
                .entry(column)
                .or_insert((source, k / MEASURES.len(), k % MEASURES.len()));
        }
    }
    // The published values of each (source, slot) a listed column needs.
    let mut values: HashMap<(usize, usize), Vec<[PropValue; MEASURES.len()]>> = HashMap::new();
    for &(source, slot, _) in public_columns.iter().filter_map(|k| measure_of.get(k)) {
        values.entry((source, slot)).or_insert_with(|| {
            let counts = published[source].counts((slot, 0, 0));
            let base = &rate_bases[source];
            derive(&counts, &base.denominators, base.params)
                .iter()
                .map(measure_values)
                .collect()
        });
    }
    let table = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            public_columns
                .iter()
                .map(|k| match measure_of.get(k) {
                    Some(&(source, slot, field)) => values[&(source, slot)][i][field].clone(),
                    None => r.get(k).map_or(PropValue::Null, prop_value),
                })
                .collect()
        })
        .collect();
    AttributeTable {
        keys: public_columns.to_vec(),
        rows: table,
    }
}

/// One area's derived values as tile values, aligned with [`MEASURES`].
fn measure_values(d: &Derived) -> [PropValue; MEASURES.len()] {
    let number = |v: Option<f64>| v.map_or(PropValue::Null, PropValue::Float);
    [
        d.count.map_or(PropValue::Null, PropValue::UInt),
        number(d.rate),
        number(d.rate_lo),
        number(d.rate_hi),
        number(d.expected),
        number(d.excess_risk),
    ]
}
