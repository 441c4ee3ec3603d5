//! `[comparison]`: the study's community safety partnership against every partnership in
//! England and Wales and against its most similar partnerships (see docs/comparison.md and
//! `crate::comparison`).
//!
//! ```toml
//! [comparison]
//! partnership = "Plymouth"     # a code or name of the partnership table
//! police = ["national-2019-01/*.csv.gz"]
//! similar = 15
//! partnerships = { path = "ltla24_csp24_pfa24.csv", code_column = "csp24_code", name_column = "csp24_name", force_column = "pfa24_name" }
//! population = { path = "population19_lsoa11.csv", code_column = "lsoa11_code", value_column = "total_population" }
//!
//! [[comparison.route]]           # LSOA code → partnership, tried in order
//! lookups = [{ path = "lsoa11_lsoa21_ltla22.csv", from = "lsoa11_code", to = "lsoa21_code" },
//!            { path = "lsoa21_ward24_ltla24.csv", from = "lsoa21_code", to = "ltla24_code" }]
//! match = "ltla24_code"          # the partnership table's column the last `to` is found in
//!
//! [[comparison.characteristic]]
//! name = "young_adults"
//! kind = "age_share"
//! ages = "16-24"
//! ```

use super::{is_identifier, ConfigError, KeyedSection, Study};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `[comparison]` as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonSection {
    /// The study's partnership: a code or a name of the partnership table (case-insensitive
    /// for names), or a value of a route's `match` column (an LTLA code).
    pub partnership: String,
    /// data.police.uk street files (glob patterns), named `YYYY-MM-<force>-street.csv[.gz]`.
    pub police: Vec<String>,
    /// How many most similar partnerships besides the study's own (default 15).
    #[serde(default = "default_similar")]
    pub similar: usize,
    /// The partnership table: one row per (lookup key, partnership).
    pub partnerships: PartnershipTable,
    /// Residents per LSOA, keyed by the police files' LSOA codes; `value_column` is the
    /// total, and the single-year age columns (`0` … `89`, `90+`) serve `age_share`.
    pub population: KeyedSection,
    /// How an LSOA code reaches a partnership (`[[comparison.route]]`), tried in order.
    #[serde(rename = "route", default)]
    pub routes: Vec<RouteSection>,
    /// The characteristics similarity is measured on (`[[comparison.characteristic]]`).
    #[serde(rename = "characteristic", default)]
    pub characteristics: Vec<CharacteristicSection>,
}

fn default_similar() -> usize {
    15
}

/// The partnership table's file and columns.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PartnershipTable {
    /// The CSV file.
    pub path: PathBuf,
    /// The partnership's code.
    pub code_column: String,
    /// Its name.
    pub name_column: String,
    /// Its police force area's name (slugged as data.police.uk names forces).
    pub force_column: String,
}

/// One route from an LSOA code to a partnership: lookups chained, then a column of the
/// partnership table.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RouteSection {
    /// Lookups applied in turn: each maps the previous value (first: the LSOA code) to the
    /// values of its `to` column on rows whose `from` column holds it.
    pub lookups: Vec<LookupStep>,
    /// The column of the partnership table the last value is found in.
    #[serde(rename = "match")]
    pub match_column: String,
}

/// One lookup of a route.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LookupStep {
    /// The CSV file.
    pub path: PathBuf,
    /// The column holding the value looked up.
    pub from: String,
    /// The column of the result.
    pub to: String,
}

/// How a characteristic is made from LSOA values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CharacteristicKind {
    /// The population-weighted mean of a table's value over the partnership's LSOAs.
    WeightedMean,
    /// The share of the population aged `ages` (single-year age columns of `population`).
    AgeShare,
    /// Residents per km² (the area of the partnership's polygons in `boundaries`).
    Density,
}

/// One `[[comparison.characteristic]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CharacteristicSection {
    /// Lower-case name.
    pub name: String,
    /// How it is made.
    pub kind: CharacteristicKind,
    /// `weighted_mean`: the LSOA table and its value column.
    pub table: Option<KeyedSection>,
    /// `age_share`: ages `FROM-TO`, inclusive (`90` includes `90+`).
    pub ages: Option<String>,
    /// `density`: polygons keyed by a column of the partnership table.
    pub boundaries: Option<DensityBoundaries>,
}

/// The polygons a density's area is measured on.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DensityBoundaries {
    /// A GeoJSON or Shapefile boundary file.
    pub path: PathBuf,
    /// The property holding the polygon's code.
    pub id_field: String,
    /// The partnership table's column holding the same codes (a partnership's area is the
    /// sum of its polygons).
    #[serde(rename = "match")]
    pub match_column: String,
}

impl CharacteristicSection {
    /// The inclusive age band of an `age_share`.
    pub fn age_band(&self) -> Option<(u32, u32)> {
        let (from, to) = self.ages.as_deref()?.split_once('-')?;
        let (from, to) = (from.trim().parse().ok()?, to.trim().parse().ok()?);
        (from <= to).then_some((from, to))
    }
}

/// Checks `[comparison]`: a partnership, files, routes and characteristics, each kind with
/// its own keys.
pub(super) fn check(study: &Study) -> Result<(), ConfigError> {
    let Some(c) = &study.comparison else {
        return Ok(());
    };
    if c.partnership.trim().is_empty() {
        return Err(study.invalid(
            "comparison.partnership",
            "\"\"",
            "the code or name of the study's partnership",
        ));
    }
    if c.police.is_empty() {
        return Err(study.invalid(
            "comparison.police",
            "[]",
            "data.police.uk street files, e.g. [\"police/national-2019-01/*.csv.gz\"]",
        ));
    }
    if c.similar == 0 {
        return Err(study.invalid(
            "comparison.similar",
            0,
            "how many most similar partnerships, at least 1 (15 by default)",
        ));
    }
    if c.routes.is_empty() {
        return Err(study.invalid(
            "comparison.route",
            "(none)",
            "at least one [[comparison.route]] from an LSOA code to a partnership",
        ));
    }
    for (i, r) in c.routes.iter().enumerate() {
        if r.lookups.is_empty() {
            return Err(study.invalid(
                &format!("comparison.route[{}].lookups", i + 1),
                "[]",
                "at least one { path, from, to } lookup",
            ));
        }
    }
    if c.characteristics.is_empty() {
        return Err(study.invalid(
            "comparison.characteristic",
            "(none)",
            "at least one [[comparison.characteristic]] to measure similarity on",
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, ch) in c.characteristics.iter().enumerate() {
        let key = |k: &str| format!("comparison.characteristic[{}].{k}", i + 1);
        if !is_identifier(&ch.name) || !seen.insert(ch.name.as_str()) {
            return Err(study.invalid(
                &key("name"),
                &ch.name,
                "a unique lower-case name (letters, digits, _)",
            ));
        }
        let (needed, given) = match ch.kind {
            CharacteristicKind::WeightedMean => ("table", ch.table.is_some()),
            CharacteristicKind::AgeShare => ("ages", ch.ages.is_some()),
            CharacteristicKind::Density => ("boundaries", ch.boundaries.is_some()),
        };
        if !given {
            return Err(study.invalid(
                &key(needed),
                "(not given)",
                &format!("required by kind = \"{}\"", kind_name(ch.kind)),
            ));
        }
        let extra = [
            ("table", ch.table.is_some()),
            ("ages", ch.ages.is_some()),
            ("boundaries", ch.boundaries.is_some()),
        ]
        .into_iter()
        .find(|(k, g)| *g && *k != needed);
        if let Some((k, _)) = extra {
            return Err(study.invalid(
                &key(k),
                "(given)",
                &format!(
                    "only `{needed}` goes with kind = \"{}\"",
                    kind_name(ch.kind)
                ),
            ));
        }
        if ch.kind == CharacteristicKind::AgeShare && ch.age_band().is_none() {
            return Err(study.invalid(
                &key("ages"),
                ch.ages.as_deref().unwrap_or_default(),
                "ages FROM-TO in years, inclusive, e.g. \"16-24\"",
            ));
        }
    }
    Ok(())
}

fn kind_name(kind: CharacteristicKind) -> &'static str {
    match kind {
        CharacteristicKind::WeightedMean => "weighted_mean",
        CharacteristicKind::AgeShare => "age_share",
        CharacteristicKind::Density => "density",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECTION: &str = "[comparison]\npartnership = \"Plymouth\"\npolice = [\"p/*.csv\"]\npartnerships = { path = \"c.csv\", code_column = \"c\", name_column = \"n\", force_column = \"f\" }\npopulation = { path = \"pop.csv\", code_column = \"code\", value_column = \"total\" }\n[[comparison.route]]\nlookups = [{ path = \"l.csv\", from = \"lsoa\", to = \"ltla\" }]\nmatch = \"ltla\"\n";

    fn load(extra: &str) -> Result<Study, ConfigError> {
        let (_dir, path) = super::super::tests::write(&format!(
            "{}{SECTION}{extra}",
            super::super::tests::MINIMAL
        ));
        Study::load(&path)
    }

    #[test]
    fn a_full_section_loads_with_its_defaults() {
        let s = load("[[comparison.characteristic]]\nname = \"young\"\nkind = \"age_share\"\nages = \"16-24\"\n").unwrap();
        let c = s.comparison.unwrap();
        assert_eq!(c.similar, 15);
        assert_eq!(c.characteristics[0].age_band(), Some((16, 24)));
        assert_eq!(c.routes[0].match_column, "ltla");
    }

    #[test]
    fn each_check_names_its_key() {
        for (extra, key) in [
            ("", "comparison.characteristic"),
            (
                "[[comparison.characteristic]]\nname = \"young\"\nkind = \"age_share\"\nages = \"24-16\"\n",
                "comparison.characteristic[1].ages",
            ),
            (
                "[[comparison.characteristic]]\nname = \"imd\"\nkind = \"weighted_mean\"\n",
                "comparison.characteristic[1].table",
            ),
            (
                "[[comparison.characteristic]]\nname = \"imd\"\nkind = \"density\"\nages = \"1-2\"\nboundaries = { path = \"b.geojson\", id_field = \"c\", match = \"ltla\" }\n",
                "comparison.characteristic[1].ages",
            ),
            (
                "[[comparison.characteristic]]\nname = \"Bad Name\"\nkind = \"age_share\"\nages = \"1-2\"\n",
                "comparison.characteristic[1].name",
            ),
        ] {
            let err = load(extra).unwrap_err().to_string();
            assert!(err.contains(&format!("`{key}`")), "{extra}: {err}");
        }
        let err = load("[[comparison.characteristic]]\nname = \"x\"\nkind = \"age_share\"\nages = \"1-2\"\nweight = 2\n").unwrap_err();
        assert!(err.to_string().contains("unknown field `weight`"), "{err}");
    }
}
