//! The gap between need and access ([`gap`]): a continuous score and a four-way class.
//!
//! **Score.** `gap = z(need) - z(access)`: both standardised over the areas that have both
//! values (z-scores with the population standard deviation, see [`composite`](mod@crate::composite)). It
//! is high where need is high for the area set *and* access is low; it is in standard
//! deviations, so need and access in different units weigh the same.
//!
//! **Class.** An area is *high need* when its need is strictly above the need cut, and
//! *high access* when its access is strictly above the access cut. The cuts are quantiles
//! over the same areas, the medians by default (linear interpolation between order
//! statistics, numpy's default). "Strictly above" puts areas on the cut, and every area
//! with no access when most areas have none, on the low side.

use crate::composite::{composite, Component, Composite};
use crate::AccessError;

/// Where an area falls when need and access are each split at their cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GapClass {
    /// High need, low access: the gap.
    HighNeedLowAccess,
    /// High need, high access.
    HighNeedHighAccess,
    /// Low need, low access.
    LowNeedLowAccess,
    /// Low need, high access.
    LowNeedHighAccess,
}

impl GapClass {
    /// The class from its two halves.
    pub fn new(high_need: bool, high_access: bool) -> Self {
        match (high_need, high_access) {
            (true, false) => GapClass::HighNeedLowAccess,
            (true, true) => GapClass::HighNeedHighAccess,
            (false, false) => GapClass::LowNeedLowAccess,
            (false, true) => GapClass::LowNeedHighAccess,
        }
    }

    /// A lower-case name for outputs: `gap`, `high_need_high_access`,
    /// `low_need_low_access`, `low_need_high_access`.
    pub fn slug(self) -> &'static str {
        match self {
            GapClass::HighNeedLowAccess => "gap",
            GapClass::HighNeedHighAccess => "high_need_high_access",
            GapClass::LowNeedLowAccess => "low_need_low_access",
            GapClass::LowNeedHighAccess => "low_need_high_access",
        }
    }

    /// True for the two high-need classes.
    pub fn is_high_need(self) -> bool {
        matches!(
            self,
            GapClass::HighNeedLowAccess | GapClass::HighNeedHighAccess
        )
    }
}

/// Parameters of [`gap`]: the quantiles at which need and access are split (the medians
/// by default).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GapParams {
    need_quantile: f64,
    access_quantile: f64,
}

impl Default for GapParams {
    fn default() -> Self {
        GapParams {
            need_quantile: 0.5,
            access_quantile: 0.5,
        }
    }
}

impl GapParams {
    /// Split both at the median.
    pub fn new() -> Self {
        Self::default()
    }

    /// The quantile of need above which an area is high need (0.8: the top fifth).
    #[must_use]
    pub fn need_quantile(mut self, q: f64) -> Self {
        self.need_quantile = q;
        self
    }

    /// The quantile of access above which an area is high access.
    #[must_use]
    pub fn access_quantile(mut self, q: f64) -> Self {
        self.access_quantile = q;
        self
    }
}

/// Need against access for every area.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    /// The score's two parts: `need` (weight 1) and `access` (weight -1), standardised.
    pub composite: Composite,
    /// Per area `z(need) - z(access)`; `None` unless the area has both.
    pub score: Vec<Option<f64>>,
    /// Per area its class; `None` unless the area has both.
    pub class: Vec<Option<GapClass>>,
    /// The need above which an area is high need.
    pub need_cut: f64,
    /// The access above which an area is high access.
    pub access_cut: f64,
}

/// The gap score and class of every area from its need (e.g. the need index) and its
/// access (e.g. E2SFCA), `None` where an area has no value (see the [module docs](self)).
///
/// ```
/// use safemap_access::{gap, GapClass, GapParams};
///
/// let need = [Some(3.0), Some(2.5), Some(1.0), Some(0.5)];
/// let access = [Some(0.1), Some(0.9), Some(0.2), Some(0.8)];
/// let g = gap(&need, &access, &GapParams::new()).unwrap();
/// assert_eq!(g.class[0], Some(GapClass::HighNeedLowAccess));
/// assert_eq!(g.class[3], Some(GapClass::LowNeedHighAccess));
/// assert_eq!((g.need_cut, g.access_cut), (1.75, 0.5));
/// ```
pub fn gap(
    need: &[Option<f64>],
    access: &[Option<f64>],
    params: &GapParams,
) -> Result<Gap, AccessError> {
    for (what, q) in [
        ("the need quantile", params.need_quantile),
        ("the access quantile", params.access_quantile),
    ] {
        if !(0.0..=1.0).contains(&q) {
            return Err(AccessError::BadFraction {
                what,
                value: q,
                min: 0.0,
                max: 1.0,
            });
        }
    }
    let composite = composite(&[
        Component::new("need", need, 1.0),
        Component::new("access", access, -1.0),
    ])?;
    let both = |values: &[Option<f64>]| -> Vec<f64> {
        values
            .iter()
            .zip(&composite.score)
            .filter_map(|(v, s)| s.and(*v))
            .collect()
    };
    let need_cut = quantile(both(need), params.need_quantile);
    let access_cut = quantile(both(access), params.access_quantile);
    let class = (0..need.len())
        .map(|i| {
            composite.score[i]?;
            Some(GapClass::new(need[i]? > need_cut, access[i]? > access_cut))
        })
        .collect();
    Ok(Gap {
        score: composite.score.clone(),
        composite,
        class,
        need_cut,
        access_cut,
    })
}

/// The `q` quantile of `values` (not empty), interpolating linearly between order
/// statistics (numpy's default, Hyndman & Fan type 7). The cut of "high need" and "high
/// access": an area is high when its value is strictly above it.
///
/// ```
/// assert_eq!(safemap_access::quantile(vec![4.0, 1.0, 3.0, 2.0], 0.5), 2.5);
/// ```
///
/// # Panics
///
/// When `values` is empty.
pub fn quantile(mut values: Vec<f64>, q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let h = (values.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(values.len() - 1);
    values[lo] + (h - lo as f64) * (values[hi] - values[lo])
}

#[cfg(test)]
mod tests {
    use super::*;
    use GapClass::{HighNeedLowAccess, LowNeedHighAccess, LowNeedLowAccess};

    #[test]
    fn quantiles_interpolate_like_numpy() {
        // numpy.quantile([1, 2, 3, 4], [0, 0.5, 0.8, 1]) = 1, 2.5, 3.4, 4.
        let v = vec![4.0, 1.0, 3.0, 2.0];
        assert_eq!(quantile(v.clone(), 0.0), 1.0);
        assert_eq!(quantile(v.clone(), 0.5), 2.5);
        assert!((quantile(v.clone(), 0.8) - 3.4).abs() < 1e-12);
        assert_eq!(quantile(v, 1.0), 4.0);
    }

    #[test]
    fn scores_and_classes_by_hand() {
        // Five areas with both values and one without access.
        // need 1..5: mean 3, population sd sqrt(2). access 0, 0, 0, 2, 8: mean 2, sd
        // sqrt((4 + 4 + 4 + 0 + 36) / 5) = sqrt(9.6).
        let need = [
            Some(1.0),
            Some(2.0),
            Some(3.0),
            Some(4.0),
            Some(5.0),
            Some(9.0),
        ];
        let access = [Some(2.0), Some(0.0), Some(8.0), Some(0.0), Some(0.0), None];
        let g = gap(&need, &access, &GapParams::new()).unwrap();
        let (sn, sa) = (2.0f64.sqrt(), 9.6f64.sqrt());
        let want = |n: f64, a: f64| (n - 3.0) / sn - (a - 2.0) / sa;
        for (i, (n, a)) in [(1.0, 2.0), (2.0, 0.0), (3.0, 8.0), (4.0, 0.0), (5.0, 0.0)]
            .into_iter()
            .enumerate()
        {
            assert!((g.score[i].unwrap() - want(n, a)).abs() < 1e-12, "area {i}");
        }
        assert_eq!(g.score[5], None);
        assert_eq!(g.class[5], None);
        // Medians: need 3 (area 2 is on it: low), access 0 (the three zeros: low).
        assert_eq!((g.need_cut, g.access_cut), (3.0, 0.0));
        assert_eq!(
            g.class,
            vec![
                Some(LowNeedHighAccess),
                Some(LowNeedLowAccess),
                Some(LowNeedHighAccess),
                Some(HighNeedLowAccess),
                Some(HighNeedLowAccess),
                None
            ]
        );
        // The largest score is the highest need with no access.
        let top = (0..5).max_by(|&a, &b| g.score[a].unwrap().total_cmp(&g.score[b].unwrap()));
        assert_eq!(top, Some(4));
        assert_eq!(HighNeedLowAccess.slug(), "gap");
        // A top-fifth need cut: only area 4 (need 5 > 4.2) is high need.
        let strict = gap(&need, &access, &GapParams::new().need_quantile(0.8)).unwrap();
        assert!((strict.need_cut - 4.2).abs() < 1e-12);
        let high: Vec<bool> = strict
            .class
            .iter()
            .flatten()
            .map(|c| c.is_high_need())
            .collect();
        assert_eq!(high, vec![false, false, false, false, true]);
        assert!(gap(&need, &access, &GapParams::new().access_quantile(-0.1)).is_err());
    }
}
