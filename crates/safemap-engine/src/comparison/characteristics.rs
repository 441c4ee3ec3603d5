//! Residents and the declared characteristics of every partnership, aggregated from LSOA
//! tables through the routes: a population-weighted mean, the share of residents in an age
//! band, or residents per km² of the partnership's polygons.

use super::routes::{Partnerships, Router};
use crate::config::{CharacteristicKind, CharacteristicSection, ComparisonSection, Study};
use crate::error::EngineError;
use geo::{Area, ChamberlainDuquetteArea};
use safemap_ingest::{
    read_boundaries, read_keyed_numbers, read_keyed_values, BoundaryMapping, KeyedColumns,
};
use safemap_types::Crs;
use std::collections::BTreeMap;

/// Residents per partnership and each characteristic's value per partnership.
pub struct Profiles {
    /// Residents (sum over the LSOAs that reach the partnership); `None` when none does.
    pub population: Vec<Option<f64>>,
    /// `values[k][p]`: characteristic `k` of partnership `p`.
    pub values: Vec<Vec<Option<f64>>>,
    /// Each characteristic in words.
    pub descriptions: Vec<String>,
}

/// The single-year age columns of the band `from..=to` (`90+` stands for 90 and over).
fn age_columns(from: u32, to: u32) -> Vec<String> {
    (from..=to.min(90))
        .map(|a| {
            if a == 90 {
                "90+".to_string()
            } else {
                a.to_string()
            }
        })
        .collect()
}

/// Works out residents and every characteristic.
pub fn profiles(
    study: &Study,
    c: &ComparisonSection,
    router: &Router,
    partnerships: &Partnerships,
) -> Result<Profiles, EngineError> {
    let n = partnerships.list.len();
    let limits = study.limits.input_limits();
    let pop = &c.population;
    let bands: Vec<(u32, u32)> = c
        .characteristics
        .iter()
        .filter_map(CharacteristicSection::age_band)
        .collect();
    let age_cols: Vec<Vec<String>> = bands.iter().map(|&(f, t)| age_columns(f, t)).collect();
    let mut columns: Vec<&str> = vec![pop.value_column.as_str()];
    for cols in &age_cols {
        columns.extend(cols.iter().map(String::as_str));
    }
    let table = read_keyed_numbers(
        &study.resolve(&pop.path),
        &pop.code_column,
        &columns,
        limits,
    )
    .map_err(|e| EngineError::ingest("comparison.population", e))?;
    // Each LSOA's partnership, once.
    let lsoa_partnership: BTreeMap<&str, usize> = table
        .values
        .keys()
        .filter_map(|code| {
            router
                .resolve(code, partnerships)
                .ok()
                .map(|p| (code.as_str(), p))
        })
        .collect();
    let mut population = vec![0.0; n];
    let mut band_sums = vec![vec![0.0; n]; bands.len()];
    for (code, &p) in &lsoa_partnership {
        let row = &table.values[*code];
        population[p] += row[0];
        let mut at = 1;
        for (b, cols) in age_cols.iter().enumerate() {
            band_sums[b][p] += row[at..at + cols.len()].iter().sum::<f64>();
            at += cols.len();
        }
    }
    let per_person = |sums: &[f64]| -> Vec<Option<f64>> {
        sums.iter()
            .zip(&population)
            .map(|(s, p)| (*p > 0.0).then(|| s / p))
            .collect()
    };
    let mut values = Vec::new();
    let mut descriptions = Vec::new();
    let mut band = 0;
    for (k, ch) in c.characteristics.iter().enumerate() {
        let key = format!("comparison.characteristic[{}]", k + 1);
        match ch.kind {
            CharacteristicKind::AgeShare => {
                let (from, to) = bands[band];
                values.push(per_person(&band_sums[band]));
                band += 1;
                descriptions.push(format!("share of residents aged {from}-{to}"));
            }
            CharacteristicKind::WeightedMean => {
                let Some(t) = &ch.table else { continue };
                let cols = KeyedColumns {
                    code_column: t.code_column.clone(),
                    value_column: t.value_column.clone(),
                };
                let keyed = read_keyed_values(&study.resolve(&t.path), &cols, limits)
                    .map_err(|e| EngineError::ingest(format!("{key}.table"), e))?;
                let mut sum = vec![0.0; n];
                let mut weight = vec![0.0; n];
                for (code, &p) in &lsoa_partnership {
                    if let Some(v) = keyed.values.get(*code) {
                        let w = table.values[*code][0];
                        sum[p] += w * v;
                        weight[p] += w;
                    }
                }
                values.push(
                    sum.iter()
                        .zip(&weight)
                        .map(|(s, w)| (*w > 0.0).then(|| s / w))
                        .collect(),
                );
                descriptions.push(format!(
                    "population-weighted mean of {} ({})",
                    t.value_column,
                    t.path
                        .file_name()
                        .map(|f| f.to_string_lossy())
                        .unwrap_or_default()
                ));
            }
            CharacteristicKind::Density => {
                let Some(b) = &ch.boundaries else { continue };
                let km2 = partnership_areas(study, b, partnerships, &key)?;
                values.push(
                    km2.iter()
                        .zip(&population)
                        .map(|(a, p)| a.filter(|a| *a > 0.0 && *p > 0.0).map(|a| p / a))
                        .collect(),
                );
                descriptions.push(format!(
                    "residents per km² (areas of {} by {})",
                    b.path
                        .file_name()
                        .map(|f| f.to_string_lossy())
                        .unwrap_or_default(),
                    b.match_column
                ));
            }
        }
    }
    Ok(Profiles {
        population: population
            .iter()
            .map(|p| (*p > 0.0).then_some(*p))
            .collect(),
        values,
        descriptions,
    })
}

/// Each partnership's area in km²: the sum of its polygons (by the table's `match`
/// column); `None` when it has none, or when one of its polygons is shared with another
/// partnership (a merged authority with several partnerships: its area cannot be split).
fn partnership_areas(
    study: &Study,
    b: &crate::config::DensityBoundaries,
    partnerships: &Partnerships,
    key: &str,
) -> Result<Vec<Option<f64>>, EngineError> {
    let mapping = BoundaryMapping {
        layer: None,
        id_field: b.id_field.clone(),
        name_field: None,
        crs: None,
        value_fields: Vec::new(),
    };
    let set = read_boundaries(
        &study.resolve(&b.path),
        &mapping,
        study.limits.input_limits(),
    )
    .map_err(|e| EngineError::ingest(format!("{key}.boundaries"), e))?;
    let mut area: Vec<Option<f64>> = vec![Some(0.0); partnerships.list.len()];
    let mut found = vec![false; partnerships.list.len()];
    for a in &set.areas {
        let Some(owners) = partnerships.matching(&b.match_column, &a.code) else {
            continue;
        };
        let m2 = match set.crs {
            Crs::Wgs84 => a.geometry.chamberlain_duquette_unsigned_area(),
            _ => a.geometry.unsigned_area(),
        };
        for &p in owners {
            found[p] = true;
            area[p] = if owners.len() == 1 {
                area[p].map(|s| s + m2 / 1e6)
            } else {
                None
            };
        }
    }
    Ok(area
        .into_iter()
        .zip(found)
        .map(|(a, f)| a.filter(|_| f))
        .collect())
}
