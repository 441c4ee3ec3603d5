//! Hot-spot and cluster classes, raw and corrected for multiple testing, side by side.
//!
//! An area is **significant at level `alpha`** when its p-value is `<=` the cut-off for
//! `alpha`: `alpha` itself for the **raw** class, and the [`Correction`]'s cut-off for the
//! **adjusted** class, computed over all tested areas (with Benjamini-Hochberg, `p <=
//! fdr_cutoff(p, alpha)`). The class is the strongest level met:
//!
//! ```text
//! 99%  p <= cut-off(0.01)       95%  p <= cut-off(0.05)       90%  p <= cut-off(0.10)
//! ```
//!
//! and its direction comes from the sign of `z` (Gi*: positive hot, negative cold) or from
//! the scatter-plot quadrant (Local Moran: HH, LL clusters, HL, LH outliers). Areas without a
//! test (islands, undefined statistics) get `None`; they do not count in `m`.
//!
//! Which p-value to classify (analytic or permutation) is the caller's choice.

use std::fmt;

use crate::{Correction, Quadrant, StatsError};

/// Confidence level of a significant class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Confidence {
    /// Significant at `alpha = 0.10`.
    P90,
    /// Significant at `alpha = 0.05`.
    P95,
    /// Significant at `alpha = 0.01`.
    P99,
}

impl Confidence {
    /// The level `alpha`: 0.10, 0.05 or 0.01.
    pub fn alpha(self) -> f64 {
        match self {
            Self::P90 => 0.10,
            Self::P95 => 0.05,
            Self::P99 => 0.01,
        }
    }

    /// `90`, `95` or `99`.
    pub fn percent(self) -> u8 {
        match self {
            Self::P90 => 90,
            Self::P95 => 95,
            Self::P99 => 99,
        }
    }
}

/// A Gi* hot-spot class. Names (from [`HotspotClass::as_str`]) are stable: `hot_99`,
/// `hot_95`, `hot_90`, `not_significant`, `cold_90`, `cold_95`, `cold_99`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HotspotClass {
    /// Significantly high (z > 0).
    Hot(Confidence),
    /// Not significant at 90%.
    NotSignificant,
    /// Significantly low (z < 0).
    Cold(Confidence),
}

impl HotspotClass {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hot(Confidence::P99) => "hot_99",
            Self::Hot(Confidence::P95) => "hot_95",
            Self::Hot(Confidence::P90) => "hot_90",
            Self::NotSignificant => "not_significant",
            Self::Cold(Confidence::P90) => "cold_90",
            Self::Cold(Confidence::P95) => "cold_95",
            Self::Cold(Confidence::P99) => "cold_99",
        }
    }
}

impl fmt::Display for HotspotClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Local Moran (LISA) class. Names are stable: `high_high_99` … `high_high_90`,
/// `low_low_*`, `high_low_*`, `low_high_*` and `not_significant`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClusterClass {
    /// A significant area of the given quadrant (HH and LL clusters, HL and LH outliers).
    Significant(Quadrant, Confidence),
    /// Not significant at 90%.
    NotSignificant,
}

impl ClusterClass {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        use Confidence::{P90, P95, P99};
        use Quadrant::{HighHigh, HighLow, LowHigh, LowLow};
        match self {
            Self::NotSignificant => "not_significant",
            Self::Significant(q, c) => match (q, c) {
                (HighHigh, P99) => "high_high_99",
                (HighHigh, P95) => "high_high_95",
                (HighHigh, P90) => "high_high_90",
                (LowLow, P99) => "low_low_99",
                (LowLow, P95) => "low_low_95",
                (LowLow, P90) => "low_low_90",
                (HighLow, P99) => "high_low_99",
                (HighLow, P95) => "high_low_95",
                (HighLow, P90) => "high_low_90",
                (LowHigh, P99) => "low_high_99",
                (LowHigh, P95) => "low_high_95",
                (LowHigh, P90) => "low_high_90",
            },
        }
    }
}

impl fmt::Display for ClusterClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// p-value cut-offs for the three levels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cutoffs {
    /// Cut-off at `alpha = 0.01`.
    pub p99: f64,
    /// Cut-off at `alpha = 0.05`.
    pub p95: f64,
    /// Cut-off at `alpha = 0.10`.
    pub p90: f64,
}

impl Cutoffs {
    fn new(correction: Correction, p: &[f64]) -> Result<Self, StatsError> {
        Ok(Self {
            p99: correction.cutoff(p, 0.01)?,
            p95: correction.cutoff(p, 0.05)?,
            p90: correction.cutoff(p, 0.10)?,
        })
    }

    /// The strongest level at which `p` is significant.
    pub fn level(&self, p: f64) -> Option<Confidence> {
        if p <= self.p99 {
            Some(Confidence::P99)
        } else if p <= self.p95 {
            Some(Confidence::P95)
        } else if p <= self.p90 {
            Some(Confidence::P90)
        } else {
            None
        }
    }
}

/// Raw and corrected classes side by side.
#[derive(Debug, Clone, PartialEq)]
pub struct Classes<C> {
    /// Class against the uncorrected levels (`p <= alpha`); `None` for untested areas.
    pub raw: Vec<Option<C>>,
    /// Class against the corrected cut-offs; `None` for untested areas.
    pub adjusted: Vec<Option<C>>,
    /// The correction of `adjusted`.
    pub correction: Correction,
    /// The corrected cut-offs used for `adjusted`.
    pub cutoffs: Cutoffs,
    /// Number of tested areas `m`.
    pub tested: usize,
}

/// Classes of every area with a direction `d` and a p-value, by `make(d, level)`, against the
/// raw and the corrected cut-offs (computed over those areas).
fn classify<D: Copy, C>(
    direction: &[Option<D>],
    p: &[Option<f64>],
    correction: Correction,
    make: impl Fn(D, Option<Confidence>) -> C,
) -> Result<Classes<C>, StatsError> {
    if p.len() != direction.len() {
        return Err(StatsError::LengthMismatch {
            what: "p-values",
            len: p.len(),
            n: direction.len(),
        });
    }
    let tested: Vec<f64> = direction
        .iter()
        .zip(p)
        .filter_map(|(d, p)| d.and(*p))
        .collect();
    let raw = Cutoffs::new(Correction::None, &tested)?;
    let adjusted = Cutoffs::new(correction, &tested)?;
    let with = |cutoffs: &Cutoffs| {
        direction
            .iter()
            .zip(p)
            .map(|(d, p)| Some(make((*d)?, cutoffs.level((*p)?))))
            .collect()
    };
    Ok(Classes {
        raw: with(&raw),
        adjusted: with(&adjusted),
        correction,
        cutoffs: adjusted,
        tested: tested.len(),
    })
}

/// Gi* hot-spot classes from z-scores and p-values (one each per area; `None` for areas
/// without a statistic). A `z` of exactly 0 is never significant.
///
/// ```
/// use safemap_stats::{hotspot_classes, Confidence, Correction, HotspotClass};
/// let z = [Some(3.0), Some(-2.0), Some(0.5), None];
/// let p = [Some(0.002), Some(0.04), Some(0.6), None];
/// let c = hotspot_classes(&z, &p, Correction::BenjaminiHochberg)?;
/// assert_eq!(c.raw[0], Some(HotspotClass::Hot(Confidence::P99)));
/// assert_eq!(c.raw[1].unwrap().as_str(), "cold_95");
/// // BH over 3 tests: at 0.05 the cut-off is 0.05 / 3, which 0.04 misses; at 0.10 it is
/// // 2 * 0.10 / 3, which 0.04 meets.
/// assert_eq!(c.adjusted[0], Some(HotspotClass::Hot(Confidence::P99)));
/// assert_eq!(c.adjusted[1], Some(HotspotClass::Cold(Confidence::P90)));
/// assert_eq!((c.adjusted[3], c.tested), (None, 3));
/// # Ok::<(), safemap_stats::StatsError>(())
/// ```
pub fn hotspot_classes(
    z: &[Option<f64>],
    p: &[Option<f64>],
    correction: Correction,
) -> Result<Classes<HotspotClass>, StatsError> {
    classify(z, p, correction, |z, level| match level {
        Some(c) if z > 0.0 => HotspotClass::Hot(c),
        Some(c) if z < 0.0 => HotspotClass::Cold(c),
        _ => HotspotClass::NotSignificant,
    })
}

/// Local Moran cluster classes from quadrants and p-values (one each per area; `None` for
/// areas without a statistic).
///
/// ```
/// use safemap_stats::{cluster_classes, ClusterClass, Correction, Quadrant};
/// let q = [Some(Quadrant::HighHigh), Some(Quadrant::HighLow)];
/// let c = cluster_classes(&q, &[Some(0.001), Some(0.3)], Correction::None)?;
/// assert_eq!(c.raw[0].unwrap().as_str(), "high_high_99");
/// assert_eq!(c.raw[1], Some(ClusterClass::NotSignificant));
/// # Ok::<(), safemap_stats::StatsError>(())
/// ```
pub fn cluster_classes(
    quadrants: &[Option<Quadrant>],
    p: &[Option<f64>],
    correction: Correction,
) -> Result<Classes<ClusterClass>, StatsError> {
    classify(quadrants, p, correction, |q, level| match level {
        Some(c) => ClusterClass::Significant(q, c),
        None => ClusterClass::NotSignificant,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_stable_and_distinct() {
        let mut names = vec![HotspotClass::NotSignificant.as_str()];
        for c in [Confidence::P90, Confidence::P95, Confidence::P99] {
            names.push(HotspotClass::Hot(c).as_str());
            names.push(HotspotClass::Cold(c).as_str());
            for q in [
                Quadrant::HighHigh,
                Quadrant::LowLow,
                Quadrant::HighLow,
                Quadrant::LowHigh,
            ] {
                let name = ClusterClass::Significant(q, c).to_string();
                assert!(name.ends_with(&c.percent().to_string()), "{name}");
            }
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 7);
        assert_eq!(HotspotClass::Cold(Confidence::P90).to_string(), "cold_90");
    }

    #[test]
    fn adjusted_is_never_more_lenient_than_raw() {
        let p: Vec<Option<f64>> = (1..=40).map(|i| Some(f64::from(i) / 400.0)).collect();
        let z = vec![Some(1.0); 40];
        for correction in [Correction::BenjaminiHochberg, Correction::Bonferroni] {
            let c = hotspot_classes(&z, &p, correction).unwrap();
            let rank = |c: Option<HotspotClass>| match c {
                Some(HotspotClass::Hot(level)) => level as u8 + 1,
                _ => 0,
            };
            assert!(c
                .raw
                .iter()
                .zip(&c.adjusted)
                .all(|(r, a)| rank(*a) <= rank(*r)));
            assert!(c.cutoffs.p99 <= c.cutoffs.p95 && c.cutoffs.p95 <= c.cutoffs.p90);
        }
        assert!(hotspot_classes(&z, &p[..3], Correction::None).is_err());
    }
}
