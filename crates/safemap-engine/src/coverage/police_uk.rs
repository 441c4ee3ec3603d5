//! Coverage of a data.police.uk source: each file is one force's month
//! (`YYYY-MM-<force>-street.csv[.gz]`), each study area belongs to one force, and an area is
//! covered in a month when its force has a file for that month.
//!
//! Which force an area belongs to:
//! - with `coverage = { force_areas = ... }`: the force area containing the area's interior
//!   point (or the nearest one), its name slugged to the police.uk force slug;
//! - else, when the files name one territorial force only: that force, for every area;
//! - else, inferred from the rows: the force whose rows join to the area most often over the
//!   study (ties to the first slug). British Transport Police has no territory and never
//!   covers an area. An area that no force's rows join to is covered by none, so it has no
//!   data; a force missing from every file cannot be seen at all, which is why the force-area
//!   file is the better method for national studies.

use super::force_areas;
use super::{Coverage, CoverageMethod, MissingForceMonth};
use crate::areas::AreaTable;
use crate::config::{SourceSection, Study};
use crate::error::EngineError;
use crate::joined::Joined;
use crate::paths::tidy;
use safemap_ingest::police_forces::{force_name, street_file_force_month, NON_TERRITORIAL_FORCES};
use safemap_types::{Month, MonthRange};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The force each study area belongs to, and how that was decided.
struct AreaForces {
    method: CoverageMethod,
    /// Per area: the force's slug and name, `None` when no force covers it.
    forces: Vec<Option<(String, String)>>,
    /// Why an area without a force has no data.
    no_force_reason: String,
    details: serde_json::Value,
}

/// Works out a police.uk source's coverage.
pub fn coverage(
    study: &Study,
    section: &SourceSection,
    files: &[PathBuf],
    joined: &Joined,
    areas: &AreaTable,
) -> Result<Coverage, EngineError> {
    let n_areas = areas.areas.len();
    let mut parsed = Vec::with_capacity(files.len());
    for f in files {
        let Some(force_month) = street_file_force_month(f) else {
            let mut c = Coverage::complete(
                CoverageMethod::AssumedComplete,
                study.period.or_else(|| joined.span()),
                n_areas,
            );
            c.details = json!({"note": format!(
                "{} is not named YYYY-MM-<force>-street.csv as data.police.uk names its files, so which force and month each file holds is unknown: coverage is taken as complete",
                tidy(f).display()
            )});
            return Ok(c);
        };
        parsed.push(force_month);
    }
    let mut file_months: BTreeMap<&str, BTreeSet<Month>> = BTreeMap::new();
    for (month, force) in &parsed {
        file_months.entry(force).or_default().insert(*month);
    }
    let months = study
        .period
        .or_else(|| MonthRange::spanning(parsed.iter().map(|p| p.0)));
    let file_forces: Vec<&str> = file_months.keys().copied().collect();
    let territorial: Vec<&str> = file_forces
        .iter()
        .copied()
        .filter(|f| !NON_TERRITORIAL_FORCES.contains(f))
        .collect();
    let assigned = match &section.coverage {
        Some(cs) => {
            let fa = force_areas::assign(study, &section.name, cs, areas)?;
            let pfa_slugs: BTreeSet<&str> = fa.forces.iter().map(|f| f.slug.as_str()).collect();
            let without_area: Vec<&str> = file_forces
                .iter()
                .copied()
                .filter(|f| !pfa_slugs.contains(f))
                .collect();
            let unknown_names: Vec<String> = fa
                .forces
                .iter()
                .filter(|f| force_name(&f.slug).is_none())
                .map(|f| format!("{} ({})", f.name, f.slug))
                .collect();
            AreaForces {
                method: CoverageMethod::ForceAreas,
                forces: fa
                    .area_force
                    .iter()
                    .map(|f| f.map(|i| (fa.forces[i].slug.clone(), fa.forces[i].name.clone())))
                    .collect(),
                no_force_reason: format!(
                    "the area has no interior point to place in a force area of {}",
                    tidy(&fa.path).display()
                ),
                details: json!({
                    "force_areas": tidy(&fa.path),
                    "id_field": cs.id_field,
                    "name_field": cs.name_field,
                    "force_areas_read": fa.forces.len(),
                    "areas_placed_by_nearest_force_area": fa.by_nearest,
                    "area_rule": "the force area containing the area's interior point; the nearest one when none contains it",
                    "forces_with_files_but_no_force_area": without_area,
                    "force_area_names_not_police_uk_slugs": unknown_names,
                }),
            }
        }
        None if territorial.len() == 1 => {
            let slug = territorial[0];
            let name = force_name(slug).unwrap_or(slug).to_string();
            AreaForces {
                method: CoverageMethod::SingleForce,
                forces: vec![Some((slug.to_string(), name)); n_areas],
                no_force_reason: String::new(),
                details: json!({"force": slug, "area_rule": "the files name one territorial force, taken to cover every study area"}),
            }
        }
        None => inferred(&parsed, joined, n_areas),
    };
    Ok(gaps(assigned, &file_months, months, n_areas))
}

/// Each area's force from the rows joined to it: the force with the most rows.
fn inferred(parsed: &[(Month, String)], joined: &Joined, n_areas: usize) -> AreaForces {
    let mut tally: BTreeMap<(u32, &str), u64> = BTreeMap::new();
    for &((area, file), n) in &joined.by_file {
        let force = parsed[file as usize].1.as_str();
        if !NON_TERRITORIAL_FORCES.contains(&force) {
            *tally.entry((area, force)).or_default() += n;
        }
    }
    let mut best: Vec<Option<(&str, u64)>> = vec![None; n_areas];
    for (&(area, force), &n) in &tally {
        let slot = &mut best[area as usize];
        // Keys come in slug order within an area: a tie keeps the first slug.
        if slot.is_none_or(|(_, m)| n > m) {
            *slot = Some((force, n));
        }
    }
    let without = best.iter().filter(|b| b.is_none()).count();
    AreaForces {
        method: CoverageMethod::InferredFromRows,
        forces: best
            .into_iter()
            .map(|b| {
                b.map(|(slug, _)| {
                    (
                        slug.to_string(),
                        force_name(slug).unwrap_or(slug).to_string(),
                    )
                })
            })
            .collect(),
        no_force_reason: "no police.uk rows fall in this area in any month, so no force is known to cover it (coverage inferred from the rows; name a force-area file in the source's coverage setting to know)".to_string(),
        details: json!({
            "area_rule": "the force whose rows join to the area most often over the study (British Transport Police excluded)",
            "areas_without_rows": without,
        }),
    }
}

/// The uncovered cells and missing force-months of an assignment.
fn gaps(
    assigned: AreaForces,
    file_months: &BTreeMap<&str, BTreeSet<Month>>,
    months: Option<MonthRange>,
    n_areas: usize,
) -> Coverage {
    let mut c = Coverage::complete(assigned.method, months, n_areas);
    c.details = assigned.details;
    let Some(months) = months else {
        return c;
    };
    let none = BTreeSet::new();
    let mut areas_of: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (area, force) in assigned.forces.iter().enumerate() {
        let area = area as u32;
        match force {
            Some((slug, name)) => {
                *areas_of.entry((slug, name)).or_default() += 1;
                let have = file_months.get(slug.as_str()).unwrap_or(&none);
                for m in months.iter().filter(|m| !have.contains(m)) {
                    let reason = format!("no police.uk file for {name} in {m}");
                    c.add_gap(area, m, &reason);
                }
            }
            None => {
                for m in months.iter() {
                    c.add_gap(area, m, &assigned.no_force_reason);
                }
            }
        }
    }
    for (&(slug, name), &n) in &areas_of {
        let have = file_months.get(slug).unwrap_or(&none);
        for m in months.iter().filter(|m| !have.contains(m)) {
            c.missing.push(MissingForceMonth {
                force: slug.to_string(),
                name: name.to_string(),
                month: m,
                areas: n,
            });
        }
    }
    c
}
