//! `[neighbourhoods]`: the study reported at a coarser geography built from its small
//! areas.
//!
//! Events are joined to the small areas of `[boundaries]` (with their row accounting), then
//! [`lift`] moves the prepared study up a level: each event joined to a small area is joined
//! to that small area's neighbourhood, so a neighbourhood's counts are exactly the sums of
//! its small areas' counts; its population is the sum of theirs (none if any lacks one), its
//! deprivation and `value` measures their population-weighted mean, its `count` measures
//! their sum. Everything after the join then runs on the neighbourhoods. The small areas stay
//! as [`SmallAreas`]: their counts and rates of open (not sensitive) sources, for the layer
//! the map shows when zoomed in.
//!
//! Which neighbourhood a small area belongs to comes from a lookup, or by best fit (the
//! neighbourhood polygon holding the small area's point on surface, else the nearest, see
//! [`safemap_geo::best_fit`]). Without neighbourhood polygons, each is the union of its
//! small areas.

use crate::areas::{AreaRecord, AreaTable, Denominator};
use crate::config::{BoundariesSection, NeighbourhoodsSection, SourceSection, Study};
use crate::coverage;
use crate::error::EngineError;
use crate::joined::Joined;
use crate::pipeline::Prepared;
use crate::services;
use geo::unary_union;
use geo_types::MultiPolygon;
use rayon::prelude::*;
use safemap_geo::best_fit::{best_fit, Fit};
use safemap_ingest::read_text_columns;
use safemap_stats::{area_rates, AreaRate, RateParams};
use safemap_types::AreaId;
use std::collections::HashMap;

/// The small areas below the neighbourhoods.
pub struct SmallAreas {
    /// The small areas, with their denominators.
    pub areas: AreaTable,
    /// The neighbourhood of each small area.
    pub parent: Vec<AreaId>,
    /// `lookup` or `best fit`.
    pub membership: &'static str,
    /// Small areas placed in the nearest neighbourhood because none holds their point on
    /// surface (best fit only).
    pub by_nearest: Vec<String>,
    /// Per open source: its name, each small area's count and rate of all its events in the
    /// study period (`None` where its files do not cover the area).
    pub sources: Vec<SmallAreaCounts>,
}

/// One open source's figures per small area.
pub struct SmallAreaCounts {
    /// The source.
    pub name: String,
    /// Events per small area, where covered.
    pub counts: Vec<Option<u64>>,
    /// Rates per `rate_per` residents.
    pub rates: Vec<AreaRate>,
}

/// Moves `prepared` from the small areas up to the study's neighbourhoods.
pub fn lift(study: &Study, prepared: Prepared) -> Result<(Prepared, SmallAreas), EngineError> {
    let Some(section) = &study.neighbourhoods else {
        unreachable!("lift is only called for a study with [neighbourhoods]")
    };
    let Prepared {
        areas: small,
        sources,
        services: _,
        postcodes,
    } = prepared;
    let Level {
        table: mut level,
        parent,
        membership,
        by_nearest,
    } = build_level(study, section, &small)?;
    aggregate_denominators(study, &small, &parent, &mut level);
    let mut small_sources = Vec::new();
    let mut lifted = Vec::with_capacity(sources.len());
    for ((loaded, mut assignment), s) in sources.into_iter().zip(&study.sources) {
        if !s.is_sensitive() {
            // Per the source's own denominator, as its neighbourhood rates are.
            let base = study.source_rate_base(&s.name);
            small_sources.push(small_area_counts(
                study,
                s,
                &loaded,
                &assignment.joined,
                &small,
                &small.denominator(&base),
                RateParams::new(base.per, study.study.confidence)?,
            )?);
        }
        assignment.joined.move_areas(&parent);
        lifted.push((loaded, assignment));
    }
    let services = services::load(study, &level, postcodes.as_ref())?;
    Ok((
        Prepared {
            areas: level,
            sources: lifted,
            services,
            postcodes,
        },
        SmallAreas {
            areas: small,
            parent,
            membership,
            by_nearest,
            sources: small_sources,
        },
    ))
}

/// The count and rate of all events of an open source per small area.
fn small_area_counts(
    study: &Study,
    section: &SourceSection,
    loaded: &crate::sources::LoadedSource,
    joined: &Joined,
    small: &AreaTable,
    populations: &[Option<f64>],
    params: RateParams,
) -> Result<SmallAreaCounts, EngineError> {
    let coverage = coverage::of_source(study, section, loaded, joined, small)?;
    let mut counts = vec![0_u64; small.areas.len()];
    for &((area, .., month, _), n) in &joined.cells {
        if coverage.is_covered(area, month) {
            counts[area as usize] += n;
        }
    }
    let counts: Vec<Option<u64>> = counts
        .into_iter()
        .enumerate()
        .map(|(i, n)| coverage.covers(i, None).then_some(n))
        .collect();
    let with_data: Vec<Option<f64>> = populations
        .iter()
        .zip(&counts)
        .map(|(p, c)| p.filter(|_| c.is_some()))
        .collect();
    let totals: Vec<u64> = counts.iter().map(|c| c.unwrap_or(0)).collect();
    Ok(SmallAreaCounts {
        name: section.name.clone(),
        rates: area_rates(&totals, &with_data, params)?,
        counts,
    })
}

/// The neighbourhoods and how the small areas were placed in them.
struct Level {
    /// Polygons, codes, names (no denominators yet).
    table: AreaTable,
    /// Each small area's neighbourhood.
    parent: Vec<AreaId>,
    /// `lookup` or `best fit`.
    membership: &'static str,
    /// Small areas placed in the nearest neighbourhood.
    by_nearest: Vec<String>,
}

/// The neighbourhoods' table (polygons, codes, names) and each small area's neighbourhood.
fn build_level(
    study: &Study,
    section: &NeighbourhoodsSection,
    small: &AreaTable,
) -> Result<Level, EngineError> {
    let err = |message: String| EngineError::Geography {
        table: "neighbourhoods".into(),
        message,
    };
    let lookup = match &section.lookup {
        None => None,
        Some(l) => {
            let path = study.resolve(&l.path);
            let mut columns = vec![l.area_column.as_str(), l.code_column.as_str()];
            columns.extend(l.name_column.as_deref());
            let table = read_text_columns(&path, &columns, study.limits.input_limits())
                .map_err(|source| EngineError::ingest("neighbourhoods.lookup", source))?;
            let mut by_area: HashMap<String, (String, String)> = HashMap::new();
            for row in table.rows.into_iter().filter(|r| !r[1].is_empty()) {
                let name = row.get(2).cloned().unwrap_or_else(|| row[1].clone());
                by_area
                    .entry(row[0].clone())
                    .or_insert((row[1].clone(), name));
            }
            Some(by_area)
        }
    };
    let level = match &section.path {
        Some(path) => {
            let mut level_study = study.clone();
            level_study.boundaries = BoundariesSection {
                path: path.clone(),
                id_field: section.id_field.clone().unwrap_or_default(),
                name_field: section.name_field.clone(),
                crs: None,
                layer: None,
                vintage: None,
            };
            level_study.population = None;
            level_study.deprivation = None;
            level_study.measures.clear();
            AreaTable::load(&level_study)?
        }
        None => dissolve(
            small,
            lookup.as_ref().expect("checked: a lookup without polygons"),
        ),
    };
    let mut by_nearest = Vec::new();
    let parent: Vec<AreaId> = if let Some(by_area) = &lookup {
        let mut missing = Vec::new();
        let parent = small
            .areas
            .iter()
            .map(|a| {
                let id = by_area
                    .get(&a.code)
                    .and_then(|(code, _)| level.by_code.get(code).copied());
                if id.is_none() {
                    missing.push(a.code.clone());
                }
                id.unwrap_or(AreaId(0))
            })
            .collect();
        if !missing.is_empty() {
            return Err(err(format!(
                    "{} small areas are in no neighbourhood of the lookup (or their neighbourhood is not in the neighbourhood file), e.g. {}; every small area must belong to one so no event is lost",
                    missing.len(),
                    missing.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                )));
        }
        parent
    } else {
        let small_polys: Vec<MultiPolygon<f64>> =
            small.areas.iter().map(|a| a.geometry.clone()).collect();
        let large: Vec<MultiPolygon<f64>> =
            level.areas.iter().map(|a| a.geometry.clone()).collect();
        let fits = best_fit(&small_polys, &large, &level.index);
        let mut parent = Vec::with_capacity(fits.len());
        for (a, fit) in small.areas.iter().zip(fits) {
            match fit {
                    Fit::Within(i) => parent.push(AreaId(i as u32)),
                    Fit::Nearest(i) => {
                        by_nearest.push(a.code.clone());
                        parent.push(AreaId(i as u32));
                    }
                    Fit::None => {
                        return Err(err(format!(
                            "small area {} has no point on surface (an empty polygon), so it fits no neighbourhood",
                            a.code
                        )))
                    }
                }
        }
        parent
    };
    let membership = if lookup.is_some() {
        "lookup"
    } else {
        "best fit"
    };
    Ok(Level {
        table: level,
        parent,
        membership,
        by_nearest,
    })
}

/// Neighbourhood polygons as the union of their small areas, in order of first appearance.
fn dissolve(small: &AreaTable, lookup: &HashMap<String, (String, String)>) -> AreaTable {
    let mut order: Vec<(String, String)> = Vec::new();
    let mut members: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, a) in small.areas.iter().enumerate() {
        if let Some((code, name)) = lookup.get(&a.code) {
            members
                .entry(code.clone())
                .or_insert_with(|| {
                    order.push((code.clone(), name.clone()));
                    Vec::new()
                })
                .push(i);
        }
    }
    let records: Vec<AreaRecord> = order
        .par_iter()
        .map(|(code, name)| {
            let m = &members[code];
            let union = |g: &dyn Fn(&AreaRecord) -> Option<&MultiPolygon<f64>>| {
                let polys: Vec<_> = m
                    .iter()
                    .filter_map(|&i| g(&small.areas[i]))
                    .flat_map(|mp| mp.0.iter().cloned())
                    .collect();
                unary_union(&polys)
            };
            AreaRecord {
                code: code.clone(),
                name: name.clone(),
                geometry: union(&|a| Some(&a.geometry)),
                geometry_wgs84: small.areas[m[0]]
                    .geometry_wgs84
                    .is_some()
                    .then(|| union(&|a| a.geometry_wgs84.as_ref())),
                population: None,
                deprivation: None,
            }
        })
        .collect();
    AreaTable::from_records(records, small)
}

/// Population (a sum), deprivation and measures of each neighbourhood from its small areas.
fn aggregate_denominators(
    study: &Study,
    small: &AreaTable,
    parent: &[AreaId],
    level: &mut AreaTable,
) {
    let n = level.areas.len();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, p) in parent.iter().enumerate() {
        members[p.index()].push(i);
    }
    let sum = |values: &dyn Fn(usize) -> Option<f64>, m: &[usize]| -> Option<f64> {
        if m.is_empty() {
            return None;
        }
        m.iter().map(|&i| values(i)).sum()
    };
    let weighted_mean = |values: &dyn Fn(usize) -> Option<f64>, m: &[usize]| -> Option<f64> {
        let (mut s, mut w) = (0.0, 0.0);
        for &i in m {
            if let Some(v) = values(i) {
                let weight = small.areas[i].population.unwrap_or(1.0);
                s += v * weight;
                w += weight;
            }
        }
        (w > 0.0).then(|| s / w)
    };
    for (a, m) in level.areas.iter_mut().zip(&members) {
        a.population = sum(&|i| small.areas[i].population, m);
        a.deprivation = weighted_mean(&|i| small.areas[i].deprivation, m);
    }
    level.measures = study
        .measures
        .iter()
        .zip(&small.measures)
        .map(|(section, values)| {
            members
                .iter()
                .map(|m| match section.kind {
                    crate::config::MeasureKind::Count => sum(&|i| values[i], m),
                    crate::config::MeasureKind::Value => weighted_mean(&|i| values[i], m),
                })
                .collect()
        })
        .collect();
    level.denominators = small
        .denominators
        .iter()
        .map(|d| Denominator {
            name: d.name.clone(),
            values: members.iter().map(|m| sum(&|i| d.values[i], m)).collect(),
            summary: d.summary.clone(),
        })
        .collect();
    level.population.clone_from(&small.population);
    level.deprivation.clone_from(&small.deprivation);
    level.known_other_codes.clear();
}
