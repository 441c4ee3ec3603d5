//! Converting tables keyed by one boundary vintage's codes to another's (LSOA 2011 to 2021
//! and back) through a `[[vintage_lookup]]`.
//!
//! Every source code's value goes to its target codes:
//!
//! - **counts and populations** (extensive) are split among a source area's targets in
//!   proportion to the targets' weights (their population, where the study knows it at the
//!   target vintage), else equally, and summed where targets merge. A whole-number value is
//!   split into whole numbers by largest remainder, so totals are conserved exactly;
//! - **scores, ranks and deciles** (intensive) are averaged over the source areas that make up
//!   a target, weighted by the population each gives it (where the source vintage's
//!   population is known, else each source area alike). An unchanged or split area keeps its
//!   value.
//!
//! Codes the lookup does not name pass through unchanged (codes that did not change keep
//! their value in both vintages; others are simply not study areas).

use crate::config::{Study, VintageLookupSection};
use crate::error::EngineError;
use safemap_ingest::read_text_columns;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

/// A lookup, read in the direction of one conversion.
#[derive(Debug, Clone)]
pub struct Conversion {
    /// Vintage converted from.
    pub from: String,
    /// Vintage converted to.
    pub to: String,
    /// The lookup file.
    pub path: PathBuf,
    /// Source code → its target codes (sorted, distinct).
    targets: HashMap<String, Vec<String>>,
    /// Target code → its number of source codes.
    sources_of: HashMap<String, usize>,
    /// Source code → ONS change code, read in this direction (`S` and `M` swap when the lookup
    /// is read backwards).
    change: HashMap<String, ChangeKind>,
}

/// How an area changed between vintages (ONS's change codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// `U`: the same area in both vintages.
    Unchanged,
    /// `S`: one area became several.
    Split,
    /// `M`: several areas became one.
    Merged,
    /// `X`: redrawn in a way that is neither.
    Complex,
}

/// What one conversion did, for the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct ConversionSummary {
    /// The table converted (`population`, `deprivation`, `measure NAME`).
    pub table: String,
    /// Vintage converted from.
    pub from: String,
    /// Vintage converted to.
    pub to: String,
    /// The lookup file.
    pub lookup: PathBuf,
    /// `extensive` (split and summed) or `intensive` (weighted mean).
    pub rule: &'static str,
    /// Weights of the split (extensive) or the mean (intensive): `population` where the
    /// study knows it, else `equal`.
    pub weighted_by: &'static str,
    /// Per change kind: the table's source areas that reach a study area, and the study
    /// areas they reach.
    pub changes: BTreeMap<ChangeKind, ChangeTally>,
    /// Codes of the table the lookup does not name (kept as they are).
    pub not_in_lookup: usize,
    /// Sum of the table's values before and after, over the study's areas (extensive only).
    pub total: Option<[f64; 2]>,
}

/// Areas of one change kind.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct ChangeTally {
    /// Areas of the table's vintage.
    pub from_areas: usize,
    /// Study areas they become.
    pub to_areas: usize,
}

impl Conversion {
    /// Reads the study's lookup between `from` and `to`.
    pub fn load(study: &Study, from: &str, to: &str) -> Result<Self, EngineError> {
        let Some((section, forwards)) = study.vintage_lookup(from, to) else {
            return Err(EngineError::Geography {
                table: "vintage_lookup".into(),
                message: format!("no [[vintage_lookup]] converts {from:?} to {to:?}"),
            });
        };
        Self::read(study, section, forwards)
    }

    fn read(study: &Study, l: &VintageLookupSection, forwards: bool) -> Result<Self, EngineError> {
        let path = study.resolve(&l.path);
        let mut columns = vec![l.from_column.as_str(), l.to_column.as_str()];
        columns.extend(l.change_column.as_deref());
        let table = read_text_columns(&path, &columns, study.limits.input_limits())
            .map_err(|source| EngineError::ingest("vintage_lookup", source))?;
        if let Some(r) = table.rejects.first() {
            return Err(EngineError::Geography {
                table: "vintage_lookup".into(),
                message: format!(
                    "{}: {} rows are unusable, the first at line {} ({:?} in column {})",
                    path.display(),
                    table.rejects.len(),
                    r.line,
                    r.reason,
                    r.column.as_deref().unwrap_or("?"),
                ),
            });
        }
        if let Some(row) = table.rows.iter().find(|r| r[1].is_empty()) {
            return Err(EngineError::Geography {
                table: "vintage_lookup".into(),
                message: format!(
                    "{}: the row of {} {:?} has no {}",
                    path.display(),
                    l.from_column,
                    row[0],
                    l.to_column
                ),
            });
        }
        let mut pairs = Vec::with_capacity(table.rows.len());
        let mut declared = HashMap::new();
        for row in &table.rows {
            let (a, b) = if forwards {
                (&row[0], &row[1])
            } else {
                (&row[1], &row[0])
            };
            pairs.push((a.clone(), b.clone()));
            if let Some(code) = row.get(2).and_then(|c| ChangeKind::from_ons(c, forwards)) {
                declared.insert(a.clone(), code);
            }
        }
        let (from, to) = if forwards {
            (&l.from, &l.to)
        } else {
            (&l.to, &l.from)
        };
        Ok(Self::from_pairs(from, to, path, pairs, &declared))
    }

    /// The conversion given by (source, target) pairs; a source's change kind is the
    /// declared one, else worked out from the pairs.
    fn from_pairs(
        from: &str,
        to: &str,
        path: PathBuf,
        pairs: Vec<(String, String)>,
        declared: &HashMap<String, ChangeKind>,
    ) -> Self {
        let mut targets: HashMap<String, BTreeSet<String>> = HashMap::new();
        let mut sources: HashMap<String, BTreeSet<String>> = HashMap::new();
        for (a, b) in pairs {
            sources.entry(b.clone()).or_default().insert(a.clone());
            targets.entry(a).or_default().insert(b);
        }
        let change = targets
            .iter()
            .map(|(s, ts)| {
                let kind = declared.get(s).copied().unwrap_or_else(|| {
                    let merged = ts.iter().any(|t| sources[t].len() > 1);
                    match (ts.len() > 1, merged) {
                        (false, false) => ChangeKind::Unchanged,
                        (true, false) => ChangeKind::Split,
                        (false, true) => ChangeKind::Merged,
                        (true, true) => ChangeKind::Complex,
                    }
                });
                (s.clone(), kind)
            })
            .collect();
        Self {
            from: from.to_string(),
            to: to.to_string(),
            path,
            targets: targets
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().collect()))
                .collect(),
            sources_of: sources.into_iter().map(|(k, v)| (k, v.len())).collect(),
            change,
        }
    }

    /// The target codes of `code` (itself when the lookup does not name it).
    fn targets_of<'a>(&'a self, code: &'a str) -> Vec<&'a str> {
        self.targets
            .get(code)
            .map_or_else(|| vec![code], |ts| ts.iter().map(String::as_str).collect())
    }

    /// Splits and sums counts or populations. `target_weight` gives a target's weight
    /// (its population) where known; a source area whose targets do not all have a positive
    /// weight is split equally.
    pub fn extensive(
        &self,
        values: &BTreeMap<String, f64>,
        target_weight: &dyn Fn(&str) -> Option<f64>,
    ) -> BTreeMap<String, f64> {
        let mut out: BTreeMap<String, f64> = BTreeMap::new();
        for (code, &v) in values {
            let targets = self.targets_of(code);
            let weights: Option<Vec<f64>> = targets
                .iter()
                .map(|t| target_weight(t).filter(|w| *w > 0.0))
                .collect();
            let weights = weights.unwrap_or_else(|| vec![1.0; targets.len()]);
            for (t, part) in targets.iter().zip(apportion(v, &weights)) {
                *out.entry((*t).to_string()).or_default() += part;
            }
        }
        out
    }

    /// Weighted means of scores, ranks or deciles: each target's value is the mean of its
    /// source areas' values, weighted by the share of each source area's `source_weight`
    /// (population, where known; else 1) that goes to it.
    pub fn intensive(
        &self,
        values: &BTreeMap<String, f64>,
        source_weight: &dyn Fn(&str) -> Option<f64>,
    ) -> BTreeMap<String, f64> {
        let mut sums: BTreeMap<String, (f64, f64)> = BTreeMap::new();
        for (code, &v) in values {
            let targets = self.targets_of(code);
            let w = source_weight(code).filter(|w| *w > 0.0).unwrap_or(1.0) / targets.len() as f64;
            for t in targets {
                let e = sums.entry(t.to_string()).or_default();
                e.0 += v * w;
                e.1 += w;
            }
        }
        sums.into_iter().map(|(t, (s, w))| (t, s / w)).collect()
    }

    /// The tally of change kinds of `codes` (the table's codes) that reach one of
    /// `study_codes`.
    pub fn tally(
        &self,
        codes: impl Iterator<Item = impl AsRef<str>>,
        study_codes: &dyn Fn(&str) -> bool,
    ) -> (BTreeMap<ChangeKind, ChangeTally>, usize) {
        let mut out: BTreeMap<ChangeKind, ChangeTally> = BTreeMap::new();
        let mut reached: BTreeMap<ChangeKind, BTreeSet<&str>> = BTreeMap::new();
        let mut not_in_lookup = 0;
        for code in codes {
            let code = code.as_ref();
            let Some(ts) = self.targets.get(code) else {
                not_in_lookup += 1;
                continue;
            };
            let in_study: Vec<&str> = ts
                .iter()
                .map(String::as_str)
                .filter(|t| study_codes(t))
                .collect();
            if in_study.is_empty() {
                continue;
            }
            let kind = self.change[code];
            out.entry(kind).or_default().from_areas += 1;
            reached.entry(kind).or_default().extend(in_study);
        }
        for (kind, set) in reached {
            out.entry(kind).or_default().to_areas = set.len();
        }
        (out, not_in_lookup)
    }

    /// The change kind of source `code` (`None` when the lookup does not name it).
    pub fn change_of(&self, code: &str) -> Option<ChangeKind> {
        self.change.get(code).copied()
    }

    /// The targets of source `code` for which `keep` holds (itself when the lookup does not
    /// name it).
    pub fn targets_where<'a>(&'a self, code: &'a str, keep: impl Fn(&str) -> bool) -> Vec<&'a str> {
        self.targets_of(code)
            .into_iter()
            .filter(|t| keep(t))
            .collect()
    }

    /// Whether target `code` is made from more than one source area.
    pub fn is_merge(&self, code: &str) -> bool {
        self.sources_of.get(code).is_some_and(|n| *n > 1)
    }
}

/// How a table's values convert: [`Conversion::extensive`] or [`Conversion::intensive`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Counts and populations: split and summed.
    Extensive,
    /// Scores, ranks, deciles, rates: weighted means.
    Intensive,
}

/// Converts `values`, keyed by `vintage`, to the study's boundary vintage, and says what it
/// did. `weight` is the target areas' population for an extensive table, the source areas'
/// population for an intensive one, where the study knows it.
pub fn convert_table(
    study: &Study,
    table: &str,
    vintage: &str,
    values: &BTreeMap<String, f64>,
    rule: Rule,
    weight: &dyn Fn(&str) -> Option<f64>,
    is_study_area: &dyn Fn(&str) -> bool,
) -> Result<(BTreeMap<String, f64>, ConversionSummary), EngineError> {
    let to = study.boundaries.vintage.as_deref().unwrap_or_default();
    let c = Conversion::load(study, vintage, to)?;
    let converted = match rule {
        Rule::Extensive => c.extensive(values, weight),
        Rule::Intensive => c.intensive(values, weight),
    };
    let (changes, not_in_lookup) = c.tally(values.keys(), is_study_area);
    let in_study = |m: &BTreeMap<String, f64>, by_target: bool| -> f64 {
        m.iter()
            .filter(|(k, _)| {
                if by_target {
                    is_study_area(k)
                } else {
                    c.targets_of(k).iter().any(|t| is_study_area(t))
                }
            })
            .map(|(_, v)| v)
            .sum()
    };
    let weighted = values.keys().any(|k| match rule {
        Rule::Extensive => c.targets_of(k).iter().any(|t| weight(t).is_some()),
        Rule::Intensive => weight(k).is_some(),
    });
    let summary = ConversionSummary {
        table: table.to_string(),
        from: c.from.clone(),
        to: c.to.clone(),
        lookup: c.path.clone(),
        rule: match rule {
            Rule::Extensive => "extensive: split among the new areas and summed where areas merge",
            Rule::Intensive => {
                "intensive: population-weighted mean of the areas each new area is made from"
            }
        },
        weighted_by: if weighted { "population" } else { "equal" },
        changes,
        not_in_lookup,
        total: (rule == Rule::Extensive)
            .then(|| [in_study(values, false), in_study(&converted, true)]),
    };
    Ok((converted, summary))
}

impl ChangeKind {
    /// ONS's letter read in the lookup's direction (`forwards`) or backwards.
    fn from_ons(code: &str, forwards: bool) -> Option<Self> {
        Some(match (code.trim(), forwards) {
            ("U", _) => Self::Unchanged,
            ("S", true) | ("M", false) => Self::Split,
            ("M", true) | ("S", false) => Self::Merged,
            ("X", _) => Self::Complex,
            _ => return None,
        })
    }
}

/// `v` split in proportion to `weights`. A whole number is split into whole numbers by
/// largest remainder (ties to the first part), so the parts add up to `v` exactly.
fn apportion(v: f64, weights: &[f64]) -> Vec<f64> {
    let total: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| v * w / total).collect();
    if weights.len() == 1 {
        return vec![v];
    }
    if v.fract() != 0.0 || v.abs() > 2f64.powi(52) {
        return exact;
    }
    let mut parts: Vec<f64> = exact.iter().map(|x| x.floor()).collect();
    let mut left = (v - parts.iter().sum::<f64>()).round() as usize;
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - parts[b])
            .total_cmp(&(exact[a] - parts[a]))
            .then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        parts[i] += 1.0;
        left -= 1;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conversion(rows: &[(&str, &str)]) -> Conversion {
        let pairs = rows
            .iter()
            .map(|(a, b)| ((*a).into(), (*b).into()))
            .collect();
        Conversion::from_pairs("old", "new", PathBuf::new(), pairs, &HashMap::new())
    }

    fn map(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
        pairs.iter().map(|(k, v)| ((*k).into(), *v)).collect()
    }

    #[test]
    fn whole_numbers_split_into_whole_numbers_that_add_up() {
        assert_eq!(apportion(7.0, &[1.0, 1.0]), [4.0, 3.0]);
        assert_eq!(apportion(10.0, &[1.0, 1.0, 1.0]), [4.0, 3.0, 3.0]);
        assert_eq!(apportion(10.0, &[3.0, 1.0]), [8.0, 2.0]);
        assert_eq!(apportion(2.5, &[1.0, 1.0]), [1.25, 1.25]);
        for v in [0.0, 1.0, 1523.0, 99_999.0] {
            for w in [[1.0, 2.0, 3.0], [0.1, 0.7, 0.2]] {
                let parts = apportion(v, &w);
                assert_eq!(parts.iter().sum::<f64>(), v);
                assert!(parts.iter().all(|p| p.fract() == 0.0));
            }
        }
    }

    #[test]
    fn split_merge_and_pass_through_conserve_totals() {
        let c = conversion(&[
            ("A", "A"),
            ("B", "B1"),
            ("B", "B2"),
            ("C", "CD"),
            ("D", "CD"),
        ]);
        let pop = map(&[
            ("A", 100.0),
            ("B", 301.0),
            ("C", 50.0),
            ("D", 150.0),
            ("Z", 9.0),
        ]);
        let equal = c.extensive(&pop, &|_| None);
        assert_eq!(
            equal,
            map(&[
                ("A", 100.0),
                ("B1", 151.0),
                ("B2", 150.0),
                ("CD", 200.0),
                ("Z", 9.0)
            ])
        );
        // With the targets' populations known, the split follows them.
        let weighted = c.extensive(&map(&[("B", 100.0)]), &|t| {
            (t == "B1").then_some(3.0).or(Some(1.0))
        });
        assert_eq!(weighted, map(&[("B1", 75.0), ("B2", 25.0)]));
        // Scores: a split keeps its value; a merge is population-weighted.
        let score = map(&[("A", 10.0), ("B", 20.0), ("C", 30.0), ("D", 10.0)]);
        let mean = c.intensive(&score, &|s| pop.get(s).copied());
        assert_eq!(mean["B1"], 20.0);
        assert_eq!(mean["B2"], 20.0);
        assert_eq!(mean["CD"], (30.0 * 50.0 + 10.0 * 150.0) / 200.0);
        let (tally, missing) = c.tally(pop.keys(), &|t| t != "A");
        assert_eq!(missing, 1);
        assert_eq!(tally[&ChangeKind::Split].from_areas, 1);
        assert_eq!(tally[&ChangeKind::Split].to_areas, 2);
        assert_eq!(tally[&ChangeKind::Merged].from_areas, 2);
        assert_eq!(tally[&ChangeKind::Merged].to_areas, 1);
        assert!(!tally.contains_key(&ChangeKind::Unchanged));
        assert!(c.is_merge("CD") && !c.is_merge("B1"));
    }

    #[test]
    fn ons_letters_swap_when_read_backwards() {
        assert_eq!(ChangeKind::from_ons("S", true), Some(ChangeKind::Split));
        assert_eq!(ChangeKind::from_ons("S", false), Some(ChangeKind::Merged));
        assert_eq!(ChangeKind::from_ons("M", false), Some(ChangeKind::Split));
        assert_eq!(
            ChangeKind::from_ons("U", false),
            Some(ChangeKind::Unchanged)
        );
        assert_eq!(ChangeKind::from_ons("?", true), None);
    }
}
