//! Coverage: which (area, month) cells a source's input files cover.
//!
//! An area that no input file covers for a month has **no data** for that month, not zero
//! events. A cell that is not covered has no count (its rows, if any, are not counted),
//! and an area with any uncovered month in a period has no value for that period: not a
//! partial count presented as a full one. Areas without data are left out of rates, the
//! study-wide rate, expected counts, Empirical Bayes and every spatial statistic.
//!
//! The engine works coverage out (`safemap_engine::coverage`); the results directory
//! carries it as `coverage.csv` (the uncovered cells) and the manifest's
//! `sources[].coverage`, from which the server rebuilds this same model.

use safemap_types::{Month, MonthRange};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a source's coverage was worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageMethod {
    /// Not police.uk: every area for every month of the source's span.
    WholeSpan,
    /// police.uk: areas assigned to forces by a force-area boundary file.
    ForceAreas,
    /// police.uk: each area belongs to the force whose rows join to it most often over the
    /// study; an area no force's rows join to is covered by none.
    InferredFromRows,
    /// police.uk files of one territorial force only: it covers every area.
    SingleForce,
    /// police.uk files whose names do not name a force and month: taken as complete.
    AssumedComplete,
}

/// How missing data is treated, as the manifest states it.
const RULE: &str = "an area with any uncovered month in a period has no data for that period; areas without data are left out of rates, expected counts, Empirical Bayes and the spatial statistics";

/// A source's coverage as the manifest records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageSummary {
    /// How it was worked out.
    pub method: CoverageMethod,
    /// Expected months, `[from, to]` (`YYYY-MM` in JSON).
    pub months: Option<[Month; 2]>,
    /// True when every area is covered in every month.
    pub complete: bool,
    /// Force-months without a file (police.uk).
    pub missing_force_months: Vec<MissingForceMonth>,
    /// Uncovered areas in each expected month.
    pub uncovered_areas_by_month: Vec<UncoveredMonth>,
    /// Areas with at least one uncovered month.
    pub areas_without_full_coverage: usize,
    /// Uncovered (area, month) cells.
    pub uncovered_cells: usize,
    /// How missing data is treated.
    pub rule: String,
    /// Method-specific facts.
    pub details: serde_json::Value,
}

/// The number of uncovered areas in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UncoveredMonth {
    /// The month (`YYYY-MM` in JSON).
    pub month: Month,
    /// Uncovered study areas.
    pub areas: usize,
}

/// A force-month with no file, and the number of study areas it leaves without data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingForceMonth {
    /// The force's police.uk slug (`metropolitan`).
    pub force: String,
    /// Its name as the study knows it (`Metropolitan Police`).
    pub name: String,
    /// The month (`YYYY-MM` in JSON).
    pub month: Month,
    /// Study areas of the force.
    pub areas: usize,
}

/// The (area × month) cells a source covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// How it was worked out.
    pub method: CoverageMethod,
    /// Expected months, inclusive (`None`: the source has no months at all).
    pub months: Option<MonthRange>,
    n_areas: usize,
    /// Uncovered cells, `(area, month)` → index into `reasons`.
    gaps: BTreeMap<(u32, Month), u32>,
    /// Why a cell is uncovered, in words (`no police.uk file for Kent Police in 2019-01`).
    reasons: Vec<String>,
    /// Force-months without a file (police.uk), by force then month.
    pub missing: Vec<MissingForceMonth>,
    /// Method-specific facts for the manifest.
    pub details: serde_json::Value,
}

impl Coverage {
    /// Every area covered for every month of `months`.
    pub fn complete(method: CoverageMethod, months: Option<MonthRange>, n_areas: usize) -> Self {
        Self {
            method,
            months,
            n_areas,
            gaps: BTreeMap::new(),
            reasons: Vec::new(),
            missing: Vec::new(),
            details: serde_json::Value::Null,
        }
    }

    /// Coverage with the given uncovered cells `(area, month, reason)`.
    pub fn with_gaps(
        method: CoverageMethod,
        months: Option<MonthRange>,
        n_areas: usize,
        gaps: &[(u32, Month, &str)],
    ) -> Self {
        let mut c = Self::complete(method, months, n_areas);
        for &(area, month, reason) in gaps {
            c.add_gap(area, month, reason);
        }
        c
    }

    /// Marks `(area, month)` uncovered, for `reason`.
    pub fn add_gap(&mut self, area: u32, month: Month, reason: &str) {
        let r = if let Some(r) = self.reasons.iter().position(|x| x == reason) {
            r
        } else {
            self.reasons.push(reason.to_string());
            self.reasons.len() - 1
        };
        self.gaps.insert((area, month), r as u32);
    }

    /// Why area `area` has no data for `months` (`None`: the whole span): each distinct
    /// reason once, in month order, joined by `; `; `None` when it has data.
    pub fn reason(&self, area: usize, months: Option<MonthRange>) -> Option<String> {
        let mut reasons: Vec<&str> = Vec::new();
        for &r in self.area_gaps(area, months.or(self.months)?) {
            let text = self.reasons[r as usize].as_str();
            if !reasons.contains(&text) {
                reasons.push(text);
            }
        }
        (!reasons.is_empty()).then(|| reasons.join("; "))
    }

    /// True when some input file covers area `area` in month `month`: never for a month
    /// outside the expected months, which no input file covers.
    pub fn is_covered(&self, area: u32, month: Month) -> bool {
        self.months.is_none_or(|s| s.contains(month)) && !self.gaps.contains_key(&(area, month))
    }

    /// True when area `area` is covered in every month of `months` (`None`: the whole span).
    /// A period reaching outside the expected months is not covered: no input file says
    /// what happened then, so it has no data (not zero events).
    pub fn covers(&self, area: usize, months: Option<MonthRange>) -> bool {
        months
            .or(self.months)
            .is_none_or(|r| self.within_span(r) && self.area_gaps(area, r).next().is_none())
    }

    /// True when every month of `r` is an expected month (always, for a source without months).
    fn within_span(&self, r: MonthRange) -> bool {
        self.months.is_none_or(|s| s.includes(r))
    }

    /// The reasons (indices into `reasons`) of area `area`'s gaps within `months`.
    fn area_gaps(&self, area: usize, months: MonthRange) -> impl Iterator<Item = &u32> {
        let a = area as u32;
        self.gaps
            .range((a, months.from())..=(a, months.to()))
            .map(|(_, r)| r)
    }

    /// Per area, whether it has data for `months` (`None`: the whole span).
    pub fn covered_areas(&self, months: Option<MonthRange>) -> Vec<bool> {
        (0..self.n_areas).map(|a| self.covers(a, months)).collect()
    }

    /// True when every area is covered in every month.
    pub fn is_complete(&self) -> bool {
        self.gaps.is_empty()
    }

    /// Share of the expected months in which area `area` is covered (1 when complete).
    pub fn share(&self, area: usize) -> f64 {
        let Some(months) = self.months else {
            return 1.0;
        };
        let n = months.len() as f64;
        let gaps = self.area_gaps(area, months).count();
        (n - gaps as f64) / n
    }

    /// Every uncovered cell, by area then month, with its reason.
    pub fn gaps(&self) -> impl Iterator<Item = (u32, Month, &str)> {
        self.gaps
            .iter()
            .map(|(&(a, m), &r)| (a, m, self.reasons[r as usize].as_str()))
    }

    /// Uncovered areas per expected month (every month of the span, zeros included).
    pub fn uncovered_by_month(&self) -> Vec<UncoveredMonth> {
        let Some(months) = self.months else {
            return Vec::new();
        };
        let mut n: BTreeMap<Month, usize> = months.iter().map(|m| (m, 0)).collect();
        for &(_, m) in self.gaps.keys() {
            *n.entry(m).or_default() += 1;
        }
        n.into_iter()
            .map(|(month, areas)| UncoveredMonth { month, areas })
            .collect()
    }

    /// The gaps within `months` in a sentence, for messages: the reasons, most areas first,
    /// with the number of uncovered cells each.
    pub fn describe(&self, months: Option<MonthRange>) -> String {
        let within = months.or(self.months);
        let mut by_reason: BTreeMap<u32, usize> = BTreeMap::new();
        for (&(_, m), &r) in &self.gaps {
            if within.is_none_or(|w| w.contains(m)) {
                *by_reason.entry(r).or_default() += 1;
            }
        }
        let mut list: Vec<(u32, usize)> = by_reason.into_iter().collect();
        list.sort_by_key(|&(r, n)| (std::cmp::Reverse(n), r));
        let shown: Vec<String> = list
            .iter()
            .take(6)
            .map(|&(r, n)| format!("{} ({n} areas)", self.reasons[r as usize]))
            .collect();
        let more = list.len().saturating_sub(shown.len());
        let tail = if more > 0 {
            format!("; and {more} more")
        } else {
            String::new()
        };
        format!("{}{tail}", shown.join("; "))
    }

    /// What the manifest records.
    pub fn summary(&self) -> CoverageSummary {
        CoverageSummary {
            method: self.method,
            months: self.months.map(|r| [r.from(), r.to()]),
            complete: self.is_complete(),
            missing_force_months: self.missing.clone(),
            uncovered_areas_by_month: self.uncovered_by_month(),
            areas_without_full_coverage: (0..self.n_areas)
                .filter(|&a| !self.covers(a, None))
                .count(),
            uncovered_cells: self.gaps.len(),
            rule: RULE.to_string(),
            details: self.details.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_make_areas_no_data_for_any_period_containing_them() {
        let jan = Month::new(2019, 1).unwrap();
        let r = |a: Month, b: Month| MonthRange::new(a, b).ok();
        let complete = Coverage::complete(CoverageMethod::ForceAreas, r(jan, jan.plus(2)), 3);
        assert!(complete.is_complete() && complete.covers(1, None));
        let (feb, mar) = (
            "no police.uk file for Kent Police in 2019-02",
            "no police.uk file for Kent Police in 2019-03",
        );
        let c = Coverage::with_gaps(
            CoverageMethod::ForceAreas,
            r(jan, jan.plus(2)),
            3,
            &[
                (1, jan.plus(1), feb),
                (2, jan.plus(1), feb),
                (2, jan.plus(2), mar),
            ],
        );
        assert!(!c.is_complete());
        assert!(!c.is_covered(1, jan.plus(1)) && c.is_covered(1, jan));
        assert!(c.covers(1, r(jan, jan)));
        assert!(!c.covers(1, r(jan, jan.plus(1))));
        assert!(!c.covers(1, None));
        assert_eq!(c.covered_areas(None), [true, false, false]);
        assert_eq!(c.covered_areas(r(jan, jan)), [true, true, true]);
        assert!((c.share(2) - 1.0 / 3.0).abs() < 1e-12);
        let by_month: Vec<(String, usize)> = c
            .uncovered_by_month()
            .into_iter()
            .map(|u| (u.month.to_string(), u.areas))
            .collect();
        assert_eq!(
            by_month,
            [
                ("2019-01".to_string(), 0),
                ("2019-02".to_string(), 2),
                ("2019-03".to_string(), 1)
            ]
        );
        assert_eq!(c.reasons.len(), 2);
        assert!(c.describe(None).starts_with(
            "no police.uk file for Kent Police in 2019-02 (2 areas); no police.uk file for Kent Police in 2019-03 (1 areas)"
        ));
        assert!(!c.describe(r(jan.plus(2), jan.plus(2))).contains("2019-02"));
        assert_eq!(c.reason(2, None).unwrap(), format!("{feb}; {mar}"));
        assert_eq!(c.reason(2, r(jan.plus(2), jan.plus(2))).unwrap(), mar);
        assert_eq!(c.reason(0, None), None);
        // No input file covers a month outside the expected ones: no data, not zero.
        let dec = jan.plus(-1);
        assert!(!c.is_covered(0, dec) && !complete.is_covered(0, jan.plus(3)));
        assert!(!complete.covers(0, r(dec, dec)) && !complete.covers(0, r(dec, jan)));
        assert_eq!(complete.covered_areas(r(dec, jan)), [false, false, false]);
        assert!(Coverage::complete(CoverageMethod::WholeSpan, None, 1).covers(0, r(dec, dec)));
    }
}
