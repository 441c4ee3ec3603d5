//! `[[vintage_lookup]]`: how area codes of one boundary vintage (LSOA 2011) map to another
//! (LSOA 2021), so tables keyed by the other vintage can be converted to the study's areas.

use super::{ConfigError, Study};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// One `[[vintage_lookup]]` table: a CSV with one row per (old code, new code) pair, such as
/// ONS's LSOA 2011 to LSOA 2021 best-fit lookup. It converts both ways.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VintageLookupSection {
    /// The lookup CSV.
    pub path: PathBuf,
    /// The vintage of `from_column`'s codes (e.g. `lsoa11`).
    pub from: String,
    /// The vintage of `to_column`'s codes (e.g. `lsoa21`).
    pub to: String,
    /// Column of the `from` codes.
    pub from_column: String,
    /// Column of the `to` codes.
    pub to_column: String,
    /// Column of ONS's change code (`U` unchanged, `S` split, `M` merged, `X` complex), for
    /// the manifest's tally; without it the tally is worked out from the pairs.
    pub change_column: Option<String>,
}

/// Checks every table's vintage against the boundaries': a table of another vintage needs a
/// `[[vintage_lookup]]` between the two, and a vintage needs the boundaries' to compare with.
pub(super) fn check(study: &Study) -> Result<(), ConfigError> {
    for (i, l) in study.vintage_lookups.iter().enumerate() {
        if l.from == l.to {
            return Err(study.invalid(
                &format!("vintage_lookup[{i}].to"),
                format!("{:?}", l.to),
                "expected a vintage other than `from`",
            ));
        }
    }
    for (i, s) in study.sources.iter().enumerate() {
        if s.vintage.is_some() && s.join == super::JoinMode::Spatial {
            return Err(study.invalid(
                &format!("source[{i}].vintage"),
                format!("{:?}", s.vintage.as_deref().unwrap_or_default()),
                "only rows joined by their area code (join = \"code\" or \"postcode_lsoa\") have a vintage: a spatial join needs none",
            ));
        }
    }
    let boundaries = study.boundaries.vintage.as_deref();
    for (key, vintage) in study.table_vintages() {
        let Some(vintage) = vintage else { continue };
        let Some(boundaries) = boundaries else {
            return Err(study.invalid(
                &key,
                format!("{vintage:?}"),
                "also say which vintage the boundaries are (boundaries.vintage), so safemap knows whether to convert",
            ));
        };
        if vintage != boundaries && study.vintage_lookup(vintage, boundaries).is_none() {
            return Err(study.invalid(
                &key,
                format!("{vintage:?}"),
                &format!(
                    "the boundaries are {boundaries:?}: add a [[vintage_lookup]] between {vintage:?} and {boundaries:?} (such as ONS's LSOA 2011 to 2021 lookup), or give a table of the boundaries' vintage"
                ),
            ));
        }
    }
    Ok(())
}

impl Study {
    /// Every table that may declare a vintage, with the key naming it.
    fn table_vintages(&self) -> Vec<(String, Option<&str>)> {
        let mut out = vec![
            (
                "population.vintage".to_string(),
                self.population.as_ref().and_then(|p| p.vintage.as_deref()),
            ),
            (
                "deprivation.vintage".to_string(),
                self.deprivation.as_ref().and_then(|p| p.vintage.as_deref()),
            ),
        ];
        for (i, s) in self.sources.iter().enumerate() {
            out.push((format!("source[{i}].vintage"), s.vintage.as_deref()));
        }
        for (i, d) in self.denominators.iter().enumerate() {
            out.push((format!("denominator[{i}].vintage"), d.vintage.as_deref()));
        }
        for (i, m) in self.measures.iter().enumerate() {
            out.push((
                format!("measure[{i}].table.vintage"),
                m.table.as_ref().and_then(|t| t.vintage.as_deref()),
            ));
        }
        out
    }

    /// The lookup between vintages `a` and `b` (either way round), and whether it runs
    /// from `a` to `b` as written.
    pub fn vintage_lookup(&self, a: &str, b: &str) -> Option<(&VintageLookupSection, bool)> {
        self.vintage_lookups.iter().find_map(|l| {
            if l.from == a && l.to == b {
                Some((l, true))
            } else if l.from == b && l.to == a {
                Some((l, false))
            } else {
                None
            }
        })
    }
}
