//! The study's areas: boundaries reprojected to British National Grid, indexed for the
//! join, with their population and deprivation.

use crate::config::{DenominatorSection, KeyedSection, MeasureKind, RateBase, Study};
use crate::error::EngineError;
use crate::vintage::{convert_table, ConversionSummary, Rule};
use rayon::prelude::*;
use safemap_geo::reproject::{multipolygon_to_bng, multipolygon_to_wgs84};
use safemap_geo::tessellation::{check_tessellation, TessellationReport};
use safemap_geo::AreaIndex;
use safemap_ingest::boundaries::{read_boundaries, BoundaryMapping, InvalidArea, RepairedArea};
use safemap_ingest::keyed_table::read_keyed_sum;
use safemap_types::{AreaId, Crs, Reject};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use geo_types::MultiPolygon;

/// One area with everything the pipeline attaches to it.
#[derive(Debug, Clone)]
pub struct AreaRecord {
    /// Area code.
    pub code: String,
    /// Area name.
    pub name: String,
    /// Polygon in the working CRS: British National Grid metres, or the input's own
    /// coordinates when the boundaries are `planar`.
    pub geometry: MultiPolygon<f64>,
    /// Polygon in WGS84 (the input's own coordinates when it was WGS84); `None` for planar
    /// boundaries, which have no known relation to WGS84.
    pub geometry_wgs84: Option<MultiPolygon<f64>>,
    /// Residents, when the population table has the area.
    pub population: Option<f64>,
    /// Deprivation value, when the deprivation table has the area.
    pub deprivation: Option<f64>,
}

/// A keyed table's contribution, for the manifest.
#[derive(Debug, Clone, Default)]
pub struct KeyedSummary {
    /// The file.
    pub path: PathBuf,
    /// Data rows read.
    pub read: u64,
    /// Rows whose code is a study area.
    pub matched: u64,
    /// Rows whose code is not a study area (other areas of a national table).
    pub other_codes: u64,
    /// Rows rejected (see `rejects.csv`).
    pub rejected: u64,
}

/// All areas of a study, indexed.
pub struct AreaTable {
    /// Areas in boundary-file order (`AreaId` = position).
    pub areas: Vec<AreaRecord>,
    /// Point-in-polygon index over the BNG polygons.
    pub index: AreaIndex,
    /// Area code → id.
    pub by_code: HashMap<String, AreaId>,
    /// Codes known to exist but outside the study (codes of the population table that are
    /// not study areas): a code join counts them as outside, not as unknown.
    pub known_other_codes: BTreeSet<String>,
    /// Boundary file and its CRS.
    pub boundary_path: PathBuf,
    /// CRS the boundary file was in.
    pub boundary_crs: Crs,
    /// Polygons that are not valid (kept and used).
    pub invalid: Vec<InvalidArea>,
    /// Areas whose polygon a documented rule repaired (see `safemap_ingest::boundaries`).
    pub repaired: Vec<RepairedArea>,
    /// Areas re-wound to RFC 7946's right-hand rule.
    pub rewound: usize,
    /// Where the polygons overlap or leave gaps between them (area indices are `AreaId`s),
    /// from [`AreaTable::check_tessellation`]; `None` until then, and for a set of more
    /// vertices than `[limits] max_tiling_vertices`, which is not checked.
    pub tessellation: Option<TessellationReport>,
    /// Population table summary.
    pub population: Option<KeyedSummary>,
    /// Deprivation table summary.
    pub deprivation: Option<KeyedSummary>,
    /// Rejected rows of the keyed tables, by table role.
    pub rejects: Vec<(String, Reject)>,
    /// `measures[m][i]`: value of the study's `m`-th `[[measure]]` for area `i`.
    pub measures: Vec<Vec<Option<f64>>>,
    /// Tables converted from another boundary vintage, in study order.
    pub conversions: Vec<ConversionSummary>,
    /// The `[[denominator]]` tables, in study order.
    pub denominators: Vec<Denominator>,
}

/// A `[[denominator]]`'s value per area.
#[derive(Debug, Clone)]
pub struct Denominator {
    /// Its name.
    pub name: String,
    /// Value per area, in area order.
    pub values: Vec<Option<f64>>,
    /// How its table was read.
    pub summary: KeyedSummary,
}

/// The smallest overlap or gap between areas worth reporting: 10 m² in British National Grid
/// (a careless simplification leaves hundreds or thousands; the national LSOA files hold
/// a few slivers of 1 to 2 m² where neighbours do not share vertices, which no count
/// notices), and a billionth of the whole set's area in a planar CRS of unknown units.
fn min_sliver_area(crs: Crs, polygons: &[&MultiPolygon<f64>]) -> f64 {
    use geo::Area;
    if crs == Crs::Planar {
        polygons.iter().map(|p| p.unsigned_area()).sum::<f64>() * 1e-9
    } else {
        10.0
    }
}

impl AreaTable {
    /// Reads the boundaries and denominators named by the study.
    pub fn load(study: &Study) -> Result<Self, EngineError> {
        let b = &study.boundaries;
        let mapping = BoundaryMapping {
            id_field: b.id_field.clone(),
            name_field: b.name_field.clone(),
            crs: b.crs,
            layer: b.layer.clone(),
            value_fields: study
                .measures
                .iter()
                .filter_map(|m| m.boundary_field.clone())
                .collect(),
        };
        let set = read_boundaries(
            &study.resolve(&b.path),
            &mapping,
            study.limits.input_limits(),
        )
        .map_err(|source| EngineError::ingest("boundaries", source))?;
        let crs = set.crs;
        let start = std::time::Instant::now();
        let geoms: Vec<(MultiPolygon<f64>, Option<MultiPolygon<f64>>)> = set
            .areas
            .par_iter()
            .map(|a| {
                let reproject_err = |source| EngineError::Reproject {
                    code: a.code.clone(),
                    source,
                };
                if crs == Crs::Planar {
                    return Ok((a.geometry.clone(), None));
                }
                let bng = multipolygon_to_bng(&a.geometry, crs).map_err(reproject_err)?;
                // The input's own coordinates when it is WGS84 (no round trip).
                let wgs = multipolygon_to_wgs84(&a.geometry, crs).map_err(reproject_err)?;
                Ok((bng, Some(wgs)))
            })
            .collect::<Result<_, EngineError>>()?;
        let projected = start.elapsed();
        let (geoms, geoms_wgs84): (Vec<_>, Vec<_>) = geoms.into_iter().unzip();
        let index = AreaIndex::new(&geoms);
        tracing::debug!(
            project_ms = projected.as_millis(),
            index_ms = start.elapsed().saturating_sub(projected).as_millis(),
            "boundaries projected and indexed"
        );
        let mut areas: Vec<AreaRecord> = set
            .areas
            .into_iter()
            .zip(geoms.into_iter().zip(geoms_wgs84))
            .map(|(a, (geometry, geometry_wgs84))| AreaRecord {
                code: a.code,
                name: a.name,
                geometry,
                geometry_wgs84,
                population: None,
                deprivation: None,
            })
            .collect();
        let by_code: HashMap<String, AreaId> = areas
            .iter()
            .enumerate()
            .map(|(i, a)| (a.code.clone(), AreaId(i as u32)))
            .collect();
        let mut tables = KeyedTables::new(study, &by_code);
        let population = tables.attach(study.population.as_ref(), "population", Rule::Extensive)?;
        if let Some((values, _)) = &population {
            for (a, v) in areas.iter_mut().zip(values) {
                a.population = *v;
            }
        }
        let mut denominators = Vec::with_capacity(study.denominators.len());
        for d in &study.denominators {
            let (values, summary) = tables.attach_denominator(d)?;
            denominators.push(Denominator {
                name: d.name.clone(),
                values,
                summary,
            });
        }
        let deprivation =
            tables.attach(study.deprivation.as_ref(), "deprivation", Rule::Intensive)?;
        if let Some((values, _)) = &deprivation {
            for (a, v) in areas.iter_mut().zip(values) {
                a.deprivation = *v;
            }
        }
        let mut field_values = set.values.into_iter();
        let mut measures = Vec::with_capacity(study.measures.len());
        for m in &study.measures {
            measures.push(match &m.table {
                None => field_values.next().unwrap_or_default(),
                Some(table) => {
                    let rule = match m.kind {
                        MeasureKind::Count => Rule::Extensive,
                        MeasureKind::Value => Rule::Intensive,
                    };
                    let role = format!("measure {}", m.name);
                    tables
                        .attach(Some(table), &role, rule)?
                        .map(|(values, _)| values)
                        .unwrap_or_default()
                }
            });
        }
        let KeyedTables {
            known_other_codes,
            rejects,
            conversions,
            ..
        } = tables;
        Ok(Self {
            areas,
            index,
            by_code,
            known_other_codes,
            boundary_path: set.path,
            boundary_crs: crs,
            invalid: set.invalid,
            repaired: set.repaired,
            rewound: set.rewound,
            tessellation: None,
            population: population.map(|p| p.1),
            deprivation: deprivation.map(|d| d.1),
            rejects,
            measures,
            conversions,
            denominators,
        })
    }

    /// Where the polygons overlap or leave gaps between them
    /// ([`safemap_geo::tessellation::check_tessellation`]); smaller than 10 m² (a billionth
    /// of the set in a planar CRS) is not reported. `None` for a set of more than
    /// `max_vertices` vertices.
    pub fn check_tessellation(&self, max_vertices: u64) -> Option<TessellationReport> {
        if self.vertices() as u64 > max_vertices {
            return None;
        }
        let start = std::time::Instant::now();
        let polygons: Vec<&MultiPolygon<f64>> = self.areas.iter().map(|a| &a.geometry).collect();
        let t = check_tessellation(&polygons, min_sliver_area(self.boundary_crs, &polygons));
        tracing::debug!(
            ms = start.elapsed().as_millis(),
            overlaps = t.overlaps.len(),
            gaps = t.gaps.len(),
            "tessellation checked"
        );
        Some(t)
    }

    /// The vertices of every polygon.
    pub fn vertices(&self) -> usize {
        use geo::CoordsIter;
        self.areas.iter().map(|a| a.geometry.coords_count()).sum()
    }

    /// A table of `records` (polygons already in the working CRS) read from the same
    /// boundary file as `like`, with no denominators attached yet.
    pub fn from_records(records: Vec<AreaRecord>, like: &AreaTable) -> Self {
        let index = AreaIndex::new(
            &records
                .iter()
                .map(|a| a.geometry.clone())
                .collect::<Vec<_>>(),
        );
        let by_code = records
            .iter()
            .enumerate()
            .map(|(i, a)| (a.code.clone(), AreaId(i as u32)))
            .collect();
        Self {
            areas: records,
            index,
            by_code,
            known_other_codes: BTreeSet::new(),
            boundary_path: like.boundary_path.clone(),
            boundary_crs: like.boundary_crs,
            invalid: Vec::new(),
            repaired: Vec::new(),
            rewound: 0,
            tessellation: None,
            population: None,
            deprivation: None,
            rejects: Vec::new(),
            measures: Vec::new(),
            conversions: Vec::new(),
            denominators: Vec::new(),
        }
    }

    /// The population of each area a rate of `base` is per, in area order.
    pub fn denominator(&self, base: &RateBase<'_>) -> Vec<Option<f64>> {
        match base.denominator {
            None => self.populations(),
            Some(d) => self
                .denominators
                .iter()
                .find(|x| x.name == d.name)
                .map_or_else(|| vec![None; self.areas.len()], |x| x.values.clone()),
        }
    }

    /// Codes of areas with no usable population (missing, zero or negative).
    pub fn without_population(&self) -> Vec<&str> {
        self.areas
            .iter()
            .filter(|a| !a.population.is_some_and(|p| p > 0.0))
            .map(|a| a.code.as_str())
            .collect()
    }

    /// Populations in area order.
    pub fn populations(&self) -> Vec<Option<f64>> {
        self.areas.iter().map(|a| a.population).collect()
    }
}

/// Reads the study's tables keyed by area code, converts those of another boundary
/// vintage, and keeps what the manifest reports about them.
struct KeyedTables<'s> {
    study: &'s Study,
    by_code: &'s HashMap<String, AreaId>,
    /// The population table as read (its own vintage), for weighting conversions.
    population: Option<(Option<String>, BTreeMap<String, f64>)>,
    /// The population of each study area, once known.
    study_population: HashMap<String, f64>,
    known_other_codes: BTreeSet<String>,
    rejects: Vec<(String, Reject)>,
    conversions: Vec<ConversionSummary>,
}

impl<'s> KeyedTables<'s> {
    fn new(study: &'s Study, by_code: &'s HashMap<String, AreaId>) -> Self {
        Self {
            study,
            by_code,
            population: None,
            study_population: HashMap::new(),
            known_other_codes: BTreeSet::new(),
            rejects: Vec::new(),
            conversions: Vec::new(),
        }
    }

    /// Reads `section`'s table, converted to the study's areas: each area's value (in area
    /// order) and the table's summary.
    fn attach(
        &mut self,
        section: Option<&KeyedSection>,
        role: &str,
        rule: Rule,
    ) -> Result<Option<Attached>, EngineError> {
        let Some(section) = section else {
            return Ok(None);
        };
        let table = TableSpec {
            path: &section.path,
            code_column: &section.code_column,
            value_columns: &[section.value_column.as_str()],
            vintage: section.vintage.as_deref(),
        };
        self.attach_table(&table, role, rule).map(Some)
    }

    /// Reads a `[[denominator]]`, converted to the study's areas.
    fn attach_denominator(&mut self, d: &DenominatorSection) -> Result<Attached, EngineError> {
        let columns = d.value_columns();
        let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
        let table = TableSpec {
            path: &d.path,
            code_column: &d.code_column,
            value_columns: &columns,
            vintage: d.vintage.as_deref(),
        };
        self.attach_table(&table, &format!("denominator {}", d.name), Rule::Extensive)
    }

    fn attach_table(
        &mut self,
        section: &TableSpec<'_>,
        role: &str,
        rule: Rule,
    ) -> Result<Attached, EngineError> {
        let study = self.study;
        let table = read_keyed_sum(
            &study.resolve(section.path),
            section.code_column,
            section.value_columns,
            study.limits.input_limits(),
        )
        .map_err(|source| EngineError::ingest(role, source))?;
        let mut summary = KeyedSummary {
            path: table.path.clone(),
            read: table.read,
            rejected: table.rejects.len() as u64,
            ..KeyedSummary::default()
        };
        let vintage = section
            .vintage
            .filter(|v| Some(*v) != study.boundaries.vintage.as_deref());
        if role == "population" {
            self.population = Some((section.vintage.map(String::from), table.values.clone()));
        }
        let values = match vintage {
            None => table.values,
            Some(vintage) => {
                let by_code = self.by_code;
                let weight = |code: &str| match rule {
                    Rule::Extensive => self.study_population.get(code).copied(),
                    Rule::Intensive => self
                        .population
                        .as_ref()
                        .filter(|(v, _)| v.as_deref() == Some(vintage))
                        .and_then(|(_, p)| p.get(code).copied()),
                };
                let (converted, conversion) = convert_table(
                    study,
                    role,
                    vintage,
                    &table.values,
                    rule,
                    &weight,
                    &|code| by_code.contains_key(code),
                )?;
                self.conversions.push(conversion);
                converted
            }
        };
        let mut out = vec![None; self.by_code.len()];
        for (code, value) in &values {
            if let Some(id) = self.by_code.get(code) {
                out[id.index()] = Some(*value);
                summary.matched += 1;
                if role == "population" {
                    self.study_population.insert(code.clone(), *value);
                }
            } else {
                summary.other_codes += 1;
                self.known_other_codes.insert(code.clone());
            }
        }
        self.rejects
            .extend(table.rejects.into_iter().map(|r| (role.to_string(), r)));
        Ok((out, summary))
    }
}

/// A table's value per area (in area order) and how it was read.
type Attached = (Vec<Option<f64>>, KeyedSummary);

/// Where a keyed table's values are.
struct TableSpec<'a> {
    path: &'a std::path::Path,
    code_column: &'a str,
    /// Summed when more than one (an age band).
    value_columns: &'a [&'a str],
    vintage: Option<&'a str>,
}
