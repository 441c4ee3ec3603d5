//! Emerging hot spot classes of one location from its per-time-slice Gi* results, with the
//! definitions of ArcGIS Pro's *Emerging Hot Spot Analysis* (the tool analysts compare with).
//! Below, "hot" means a statistically significant hot spot in a slice (as the caller decides
//! it: Gi* z > 0 at the chosen confidence, FDR-adjusted per slice or not), the final slice
//! is the most recent, and the trend is the [`mann_kendall`] test of the Gi* z series at
//! the given significance.
//!
//! | class | the location … |
//! |---|---|
//! | new hot spot | is hot in the final slice only, never before |
//! | consecutive hot spot | ends in a single uninterrupted run of at least two hot slices, was never hot before that run, and is hot in fewer than 90% of slices |
//! | intensifying hot spot | is hot in at least 90% of slices, the final one included, and its z rises (significant upward trend) |
//! | persistent hot spot | is hot in at least 90% of slices, the final one included, with no significant trend |
//! | diminishing hot spot | is hot in at least 90% of slices, the final one included, and its z falls (significant downward trend) |
//! | sporadic hot spot | is hot in the final slice, on and off before, in fewer than 90% of slices, and never cold |
//! | oscillating hot spot | is hot in the final slice, was cold in some earlier slice, and is hot in fewer than 90% of slices |
//! | historical hot spot | is not hot in the final slice but hot in at least 90% of slices |
//!
//! The cold classes mirror them (cold for hot, and for intensifying a *falling* z: colder),
//! and a location that fits none is *no pattern*. A location hot in the final slice is
//! classed from its hot history; one cold in the final slice from its cold history; one
//! neither in the final slice can only be historical (hot before cold, for a location both
//! historically hot and cold, which cannot happen at the 90% threshold) or no pattern.

use crate::space_time::SpaceTimeGi;
use crate::{mann_kendall, Correction, MannKendall, StatsError};
use rayon::prelude::*;

/// Whether a location is a significant hot or cold spot in one time slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SliceSign {
    /// A significant hot spot.
    Hot,
    /// A significant cold spot.
    Cold,
    /// Neither (or not analysed in the slice).
    None,
}

/// Which way a class points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Hot spots.
    Hot,
    /// Cold spots.
    Cold,
}

/// The pattern of a hot or cold spot over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// Significant in the final slice only.
    New,
    /// A final run of at least two, nothing before it.
    Consecutive,
    /// At least 90% of slices, final included, strengthening.
    Intensifying,
    /// At least 90% of slices, final included, no trend.
    Persistent,
    /// At least 90% of slices, final included, weakening.
    Diminishing,
    /// On and off, final included, never the opposite sign.
    Sporadic,
    /// Final included, the opposite sign at some earlier slice.
    Oscillating,
    /// Not in the final slice, but in at least 90% of slices.
    Historical,
}

/// An emerging hot spot class: a pattern of hot or of cold spots, or no pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmergingClass {
    /// A pattern on one side.
    Spot(Side, Pattern),
    /// None of the patterns.
    NoPattern,
}

impl EmergingClass {
    /// The slug used in outputs: `new_hot_spot`, …, `historical_cold_spot`, `no_pattern`.
    pub fn slug(self) -> String {
        match self {
            EmergingClass::NoPattern => "no_pattern".into(),
            EmergingClass::Spot(side, pattern) => {
                let p = match pattern {
                    Pattern::New => "new",
                    Pattern::Consecutive => "consecutive",
                    Pattern::Intensifying => "intensifying",
                    Pattern::Persistent => "persistent",
                    Pattern::Diminishing => "diminishing",
                    Pattern::Sporadic => "sporadic",
                    Pattern::Oscillating => "oscillating",
                    Pattern::Historical => "historical",
                };
                let s = match side {
                    Side::Hot => "hot",
                    Side::Cold => "cold",
                };
                format!("{p}_{s}_spot")
            }
        }
    }
}

/// The share of slices a persistent, intensifying, diminishing or historical spot needs.
const MOST: f64 = 0.9;

/// The class of a location from its per-slice signs and Gi* z series (same length, oldest
/// first) and the significance of the trend test (e.g. 0.05). Empty input is no pattern.
///
/// ```
/// use safemap_stats::emerging::{classify, EmergingClass, Pattern, Side, SliceSign::*};
/// let signs = [None, None, None, Hot];
/// let z = [0.1, 0.3, 0.2, 2.5];
/// assert_eq!(classify(&signs, &z, 0.05), EmergingClass::Spot(Side::Hot, Pattern::New));
/// ```
pub fn classify(signs: &[SliceSign], z: &[f64], trend_alpha: f64) -> EmergingClass {
    let Some(&last) = signs.last() else {
        return EmergingClass::NoPattern;
    };
    let side = match last {
        SliceSign::Hot => Some(Side::Hot),
        SliceSign::Cold => Some(Side::Cold),
        SliceSign::None => None,
    };
    let share =
        |s: SliceSign| signs.iter().filter(|&&x| x == s).count() as f64 / signs.len() as f64;
    let Some(side) = side else {
        // Not significant now: historical if it mostly was, else nothing.
        return [(SliceSign::Hot, Side::Hot), (SliceSign::Cold, Side::Cold)]
            .into_iter()
            .find(|&(s, _)| share(s) >= MOST)
            .map_or(EmergingClass::NoPattern, |(_, side)| {
                EmergingClass::Spot(side, Pattern::Historical)
            });
    };
    let (same, opposite) = match side {
        Side::Hot => (SliceSign::Hot, SliceSign::Cold),
        Side::Cold => (SliceSign::Cold, SliceSign::Hot),
    };
    let run = signs.iter().rev().take_while(|&&s| s == same).count();
    let before = &signs[..signs.len() - run];
    let pattern = if share(same) >= MOST {
        // Strengthening means z rising for hot spots and falling for cold ones.
        let trend = mann_kendall(z)
            .filter(|t| t.p < trend_alpha)
            .map_or(0.0, |t| t.s.signum());
        let stronger = match side {
            Side::Hot => trend,
            Side::Cold => -trend,
        };
        if stronger > 0.0 {
            Pattern::Intensifying
        } else if stronger < 0.0 {
            Pattern::Diminishing
        } else {
            Pattern::Persistent
        }
    } else if !before.contains(&same) {
        if run == 1 {
            Pattern::New
        } else {
            Pattern::Consecutive
        }
    } else if before.contains(&opposite) {
        Pattern::Oscillating
    } else {
        Pattern::Sporadic
    };
    EmergingClass::Spot(side, pattern)
}

/// One location's emerging hot spot result.
#[derive(Debug, Clone, PartialEq)]
pub struct EmergingLocation {
    /// Its class.
    pub class: EmergingClass,
    /// Its sign in each slice, oldest first.
    pub signs: Vec<SliceSign>,
    /// The Mann-Kendall test of its Gi* z series (slices with a z only).
    pub trend: Option<MannKendall>,
}

impl EmergingLocation {
    /// Number of slices in which it is `sign`.
    pub fn slices(&self, sign: SliceSign) -> usize {
        self.signs.iter().filter(|&&s| s == sign).count()
    }
}

/// Which p-value decides a bin's significance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Significance {
    /// The two-sided normal p-value of z (ArcGIS Pro's rule, and safemap's for Gi* classes).
    #[default]
    Normal,
    /// The conditional-permutation pseudo p-value (folded). Its floor `1 / (R + 1)` limits
    /// what FDR can find: one bin of `m` needs `1 / (R + 1) <= alpha / m`.
    Permutation,
}

/// The emerging hot spot class of every area of a space-time Gi* cube. In each slice a bin is
/// hot (cold) when its z is positive (negative) and its p-value (by `significance`; a bin
/// without a pseudo p-value falls back to the normal one) is within the `correction` cut-off
/// at `alpha` computed **over that slice's areas**; the trend is tested at `trend_alpha`.
///
/// ```
/// use safemap_stats::emerging::{emerging_hot_spots, EmergingClass, Pattern, Side, Significance};
/// use safemap_stats::{space_time_gi_star, Correction, PermutationTest};
/// use safemap_types::Weights;
/// let lists: Vec<Vec<u32>> = (0..20u32)
///     .map(|i| [i.checked_sub(1), (i < 19).then_some(i + 1)].into_iter().flatten().collect())
///     .collect();
/// let w = Weights::from_neighbour_lists(&lists)?;
/// let mut cube = vec![1.0; 20 * 6];
/// for i in 0..3 { cube[5 * 20 + i] = 12.0; } // areas 0-2 flare up in the last slice
/// let st = space_time_gi_star(&cube, 6, &w, 0, PermutationTest::new(1).permutations(999))?;
/// let fdr = Correction::BenjaminiHochberg;
/// let areas = emerging_hot_spots(&st, Significance::Normal, 0.05, fdr, 0.05)?;
/// assert_eq!(areas[1].class, EmergingClass::Spot(Side::Hot, Pattern::New));
/// assert_eq!(areas[15].class, EmergingClass::NoPattern);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn emerging_hot_spots(
    cube: &SpaceTimeGi,
    significance: Significance,
    alpha: f64,
    correction: Correction,
    trend_alpha: f64,
) -> Result<Vec<EmergingLocation>, StatsError> {
    let n = cube.n_areas;
    let mut signs = vec![SliceSign::None; n * cube.n_slices];
    for t in 0..cube.n_slices {
        let bins = t * n..(t + 1) * n;
        let p = |b: usize| match significance {
            Significance::Normal => cube.p_norm[b],
            Significance::Permutation => cube.p_sim[b].or(cube.p_norm[b]),
        };
        let tested: Vec<f64> = bins.clone().filter_map(p).collect();
        let cutoff = correction.cutoff(&tested, alpha)?;
        for b in bins {
            if let (Some(z), Some(p)) = (cube.z[b], p(b)) {
                if p <= cutoff {
                    signs[b] = match z {
                        z if z > 0.0 => SliceSign::Hot,
                        z if z < 0.0 => SliceSign::Cold,
                        _ => SliceSign::None,
                    };
                }
            }
        }
    }
    Ok((0..n)
        .into_par_iter()
        .map(|i| {
            let signs: Vec<SliceSign> = (0..cube.n_slices).map(|t| signs[t * n + i]).collect();
            let z: Vec<f64> = cube.z_series(i).flatten().collect();
            EmergingLocation {
                class: classify(&signs, &z, trend_alpha),
                trend: mann_kendall(&z),
                signs,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::SliceSign::{Cold as C, Hot as H, None as N};
    use super::*;

    fn class(signs: &[SliceSign], z: &[f64]) -> String {
        classify(signs, z, 0.05).slug()
    }

    #[test]
    fn each_definition_by_hand() {
        let flat = [1.0; 10];
        let rising: Vec<f64> = (0..10).map(f64::from).collect();
        let falling: Vec<f64> = rising.iter().rev().copied().collect();
        assert_eq!(
            class(&[N, N, N, N, H], &[0.0, 0.1, 0.0, 0.1, 3.0]),
            "new_hot_spot"
        );
        assert_eq!(class(&[N, N, N, H, H], &flat[..5]), "consecutive_hot_spot");
        assert_eq!(class(&[H; 10], &rising), "intensifying_hot_spot");
        assert_eq!(class(&[H; 10], &flat), "persistent_hot_spot");
        assert_eq!(class(&[H; 10], &falling), "diminishing_hot_spot");
        assert_eq!(class(&[H, N, H, N, N, H], &flat[..6]), "sporadic_hot_spot");
        assert_eq!(
            class(&[C, N, H, N, N, H], &flat[..6]),
            "oscillating_hot_spot"
        );
        assert_eq!(
            class(&[H, H, H, H, H, H, H, H, H, N], &flat),
            "historical_hot_spot"
        );
        // Cold mirrors hot: intensifying cold means z falling (colder).
        assert_eq!(
            class(&[C; 10], &falling.iter().map(|z| -z).collect::<Vec<_>>()),
            "diminishing_cold_spot"
        );
        assert_eq!(
            class(&[C; 10], &rising.iter().map(|z| -z).collect::<Vec<_>>()),
            "intensifying_cold_spot"
        );
        assert_eq!(class(&[N, N, C], &flat[..3]), "new_cold_spot");
        assert_eq!(class(&[H, N, C, C], &flat[..4]), "consecutive_cold_spot");
        assert_eq!(class(&[H, C, N, C], &flat[..4]), "oscillating_cold_spot");
        assert_eq!(class(&[N, N, N], &flat[..3]), "no_pattern");
        assert_eq!(class(&[H, H, N, N], &flat[..4]), "no_pattern");
        assert_eq!(classify(&[], &[], 0.05), EmergingClass::NoPattern);
    }

    #[test]
    fn ninety_percent_is_the_line_between_persistent_and_sporadic() {
        // 9 of 10 hot, final included: persistent; 8 of 10: sporadic.
        let z = [1.0; 10];
        assert_eq!(
            class(&[H, H, H, N, H, H, H, H, H, H], &z),
            "persistent_hot_spot"
        );
        assert_eq!(
            class(&[H, N, H, N, H, H, H, H, H, H], &z),
            "sporadic_hot_spot"
        );
    }
}
