//! `[[denominator]]`: named populations a rate can be per (an age band such as 10-17 for
//! youth first-time entrants, a daytime or ambient population for the night-time economy),
//! beside the residents of `[population]`.

use super::{is_identifier, ConfigError, Study};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The name of `[population]` as a denominator.
pub const RESIDENTS: &str = "residents";

/// One `[[denominator]]` table: a CSV keyed by area code, with one value column or an age
/// band of single-year columns.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DenominatorSection {
    /// Lower-case name, used by `denominator = ...` of a `[[source]]` or `[[analysis]]`.
    pub name: String,
    /// What it counts, for people (`residents aged 10-17`, `daytime population`).
    pub label: String,
    /// The CSV file.
    pub path: PathBuf,
    /// Column with the area code.
    pub code_column: String,
    /// Column with the value ...
    pub value_column: Option<String>,
    /// ... or an age band `FROM-TO` whose single-year columns (`10`, `11`, ... `17`; `90+`
    /// for 90) are summed, as in ONS's mid-year estimates.
    pub age_band: Option<String>,
    /// Which vintage of codes the table is keyed by, when not the boundaries'.
    pub vintage: Option<String>,
}

/// The population a rate is per, and per how many.
#[derive(Debug, Clone, Copy)]
pub struct RateBase<'a> {
    /// `None` for the residents of `[population]`, else a `[[denominator]]`.
    pub denominator: Option<&'a DenominatorSection>,
    /// Rates are per this many.
    pub per: f64,
}

impl RateBase<'_> {
    /// The denominator's name (`residents` for `[population]`).
    pub fn name(&self) -> &str {
        self.denominator.map_or(RESIDENTS, |d| d.name.as_str())
    }

    /// What the rate is per, for people: `per 100,000 residents aged 10-17`.
    pub fn label(&self) -> String {
        let per = self.per;
        let per = if per.fract() == 0.0 && per >= 1000.0 {
            let digits = (per as u64).to_string();
            let mut out = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    out.push(',');
                }
                out.push(c);
            }
            out
        } else {
            per.to_string()
        };
        format!(
            "per {per} {}",
            self.denominator.map_or(RESIDENTS, |d| d.label.as_str())
        )
    }
}

impl DenominatorSection {
    /// The columns summed for the value: `value_column`, or the age band's single years.
    pub fn value_columns(&self) -> Vec<String> {
        match (
            &self.value_column,
            self.age_band.as_deref().and_then(age_band),
        ) {
            (Some(c), _) => vec![c.clone()],
            (None, Some((from, to))) => (from..=to)
                .map(|a| {
                    if a == 90 {
                        "90+".to_string()
                    } else {
                        a.to_string()
                    }
                })
                .collect(),
            (None, None) => Vec::new(),
        }
    }
}

/// `FROM-TO` as years of age within 0..=90.
fn age_band(text: &str) -> Option<(u32, u32)> {
    let (a, b) = text.split_once('-')?;
    let (a, b): (u32, u32) = (
        a.trim().parse().ok()?,
        b.trim().trim_end_matches('+').parse().ok()?,
    );
    (a <= b && b <= 90).then_some((a, b))
}

impl Study {
    /// The rate base of `[[source]] source` (its `denominator` and `rate_per`, else the
    /// residents per `study.rate_per`).
    pub fn source_rate_base(&self, source: &str) -> RateBase<'_> {
        let s = self.sources.iter().find(|s| s.name == source);
        self.rate_base(
            s.and_then(|s| s.denominator.as_deref()),
            s.and_then(|s| s.rate_per),
        )
    }

    /// The rate base of an `[[analysis]]`: its own `denominator` and `rate_per`, else its
    /// source's.
    pub fn analysis_rate_base(&self, a: &super::AnalysisSection) -> RateBase<'_> {
        let source = a
            .source
            .as_deref()
            .and_then(|n| self.sources.iter().find(|s| s.name == n));
        self.rate_base(
            a.denominator
                .as_deref()
                .or(source.and_then(|s| s.denominator.as_deref())),
            a.rate_per.or(source.and_then(|s| s.rate_per)),
        )
    }

    /// The rate base named by a `denominator` and `rate_per` (either may be absent).
    pub fn rate_base(&self, denominator: Option<&str>, per: Option<f64>) -> RateBase<'_> {
        RateBase {
            denominator: denominator
                .filter(|d| *d != RESIDENTS)
                .and_then(|d| self.denominators.iter().find(|x| x.name == d)),
            per: per.unwrap_or(self.study.rate_per),
        }
    }
}

/// Checks every `[[denominator]]` and every `denominator` and `rate_per` naming one.
pub(super) fn check(study: &Study) -> Result<(), ConfigError> {
    let mut names = std::collections::BTreeSet::from([RESIDENTS]);
    for (i, d) in study.denominators.iter().enumerate() {
        let key = |k: &str| format!("denominator[{i}].{k}");
        if !is_identifier(&d.name) || !names.insert(d.name.as_str()) {
            return Err(study.invalid(
                &key("name"),
                format!("{:?}", d.name),
                "expected a unique name of lower-case letters, digits and _ (not \"residents\", the name of [population])",
            ));
        }
        match (&d.value_column, &d.age_band) {
            (Some(_), None) => {}
            (None, Some(band)) if age_band(band).is_some() => {}
            (None, Some(band)) => {
                return Err(study.invalid(
                    &key("age_band"),
                    format!("{band:?}"),
                    "expected FROM-TO in years of age, such as \"10-17\" (90 is the 90+ column)",
                ))
            }
            _ => {
                return Err(study.invalid(
                    &key("value_column"),
                    "(none)",
                    "give exactly one of value_column or age_band",
                ))
            }
        }
    }
    let mut uses: Vec<(String, Option<&str>, Option<f64>)> = Vec::new();
    for (i, s) in study.sources.iter().enumerate() {
        uses.push((format!("source[{i}]"), s.denominator.as_deref(), s.rate_per));
    }
    for (i, a) in study.analyses.iter().enumerate() {
        uses.push((
            format!("analysis[{i}]"),
            a.denominator.as_deref(),
            a.rate_per,
        ));
    }
    for (key, denominator, per) in uses {
        if let Some(d) = denominator {
            if !names.contains(d) {
                return Err(study.invalid(
                    &format!("{key}.denominator"),
                    format!("{d:?}"),
                    "expected \"residents\" or the name of a [[denominator]]",
                ));
            }
        }
        if let Some(p) = per {
            if !(p.is_finite() && p > 0.0) {
                return Err(study.invalid(
                    &format!("{key}.rate_per"),
                    p,
                    "expected a positive number such as 100000",
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_bands_name_single_year_columns() {
        assert_eq!(age_band("10-17"), Some((10, 17)));
        assert_eq!(age_band("85-90+"), Some((85, 90)));
        assert_eq!(age_band("17-10"), None);
        assert_eq!(age_band("10"), None);
        let d = DenominatorSection {
            name: "old".into(),
            label: "residents aged 88 and over".into(),
            path: PathBuf::new(),
            code_column: "c".into(),
            value_column: None,
            age_band: Some("88-90".into()),
            vintage: None,
        };
        assert_eq!(d.value_columns(), ["88", "89", "90+"]);
        let base = RateBase {
            denominator: Some(&d),
            per: 100_000.0,
        };
        assert_eq!(base.label(), "per 100,000 residents aged 88 and over");
        assert_eq!(
            RateBase {
                denominator: None,
                per: 1000.0
            }
            .label(),
            "per 1,000 residents"
        );
    }
}
