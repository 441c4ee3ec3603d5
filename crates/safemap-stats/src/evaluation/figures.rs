//! Hit rate, PAI, PAI*, PEI and RRI of one flag set against one pair of periods.

use super::EvaluationError;
use std::fmt;

/// Why a figure has no value: its denominator is zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Undefined {
    /// `N = 0`: no events in the test period, so no share of them.
    NoTestEvents,
    /// `a = 0`: no unit is flagged, or the flagged units have no area.
    NoFlaggedArea,
    /// `N1 = 0`: no events in the train period (RRI).
    NoTrainEvents,
    /// `n1 = 0`: no train-period events in the flagged units (RRI).
    NoFlaggedTrainEvents,
}

impl Undefined {
    /// A stable name: `no_test_events`, `no_flagged_area`, `no_train_events`,
    /// `no_flagged_train_events`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoTestEvents => "no_test_events",
            Self::NoFlaggedArea => "no_flagged_area",
            Self::NoTrainEvents => "no_train_events",
            Self::NoFlaggedTrainEvents => "no_flagged_train_events",
        }
    }
}

impl fmt::Display for Undefined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NoTestEvents => "no events in the test period (N = 0)",
            Self::NoFlaggedArea => "nothing flagged (a = 0)",
            Self::NoTrainEvents => "no events in the train period (N1 = 0)",
            Self::NoFlaggedTrainEvents => "no train-period events in the flagged units (n1 = 0)",
        })
    }
}

/// A figure, or why it has none.
pub type Figure = Result<f64, Undefined>;

/// The figures of one flag set against one pair of periods (see the [module
/// docs](super) for the formulas).
#[derive(Debug, Clone, PartialEq)]
pub struct HotspotEvaluation {
    /// Number of units.
    pub units: usize,
    /// Number of flagged units.
    pub flagged_units: usize,
    /// `A`: total area of the units.
    pub area: f64,
    /// `a`: area of the flagged units.
    pub flagged_area: f64,
    /// `N1`: train-period events in all units.
    pub train_events: u64,
    /// `n1`: train-period events in the flagged units.
    pub flagged_train_events: u64,
    /// `N`: test-period events in all units.
    pub test_events: u64,
    /// `n`: test-period events in the flagged units.
    pub hits: u64,
    /// `n*`: the most test-period events a selection of area `a` captures (fractional for
    /// the last unit, see the module docs).
    pub best_hits: f64,
    /// `n / N`.
    pub hit_rate: Figure,
    /// `(n / N) / (a / A)`.
    pub pai: Figure,
    /// `(n* / N) / (a / A)`.
    pub best_pai: Figure,
    /// `PAI / PAI* = n / n*`.
    pub pei: Figure,
    /// `(n / n1) / (N / N1)`.
    pub rri: Figure,
}

impl HotspotEvaluation {
    /// `a / A`, the share of the study area flagged.
    pub fn area_share(&self) -> f64 {
        self.flagged_area / self.area
    }
}

/// Evaluates `flagged` units (the hotspots of the train period) against the test period.
///
/// `areas`, `train` and `test` hold one entry per unit, in the same order as `flagged`.
///
/// ```
/// use safemap_stats::evaluation::{evaluate_hotspots, Undefined};
/// // Two units of area 1 and 3; the first is flagged and gets 3 of the 4 test events.
/// let e = evaluate_hotspots(&[true, false], &[1.0, 3.0], &[4, 4], &[3, 1])?;
/// assert_eq!(e.hit_rate, Ok(0.75));
/// assert_eq!(e.pai, Ok(3.0)); // 0.75 / 0.25
/// assert_eq!(e.pei, Ok(1.0)); // no area-1 selection captures more than 3
/// assert_eq!(e.rri, Ok(1.5)); // (3 / 4) / (4 / 8)
/// let none = evaluate_hotspots(&[false, false], &[1.0, 3.0], &[4, 4], &[3, 1])?;
/// assert_eq!(none.pai, Err(Undefined::NoFlaggedArea));
/// # Ok::<(), safemap_stats::evaluation::EvaluationError>(())
/// ```
///
/// # Errors
///
/// [`EvaluationError`] when the slices differ in length, an area is negative or not
/// finite, or the areas sum to zero.
pub fn evaluate_hotspots(
    flagged: &[bool],
    areas: &[f64],
    train: &[u64],
    test: &[u64],
) -> Result<HotspotEvaluation, EvaluationError> {
    let n = flagged.len();
    for (what, len) in [
        ("areas", areas.len()),
        ("train counts", train.len()),
        ("test counts", test.len()),
    ] {
        if len != n {
            return Err(EvaluationError::LengthMismatch { what, len, n });
        }
    }
    if let Some(index) = areas.iter().position(|a| !(a.is_finite() && *a >= 0.0)) {
        return Err(EvaluationError::BadArea {
            index,
            value: areas[index],
        });
    }
    let area: f64 = areas.iter().sum();
    if area <= 0.0 {
        return Err(EvaluationError::NoArea { units: n });
    }
    let over_flagged = |values: &[u64]| -> u64 {
        values
            .iter()
            .zip(flagged)
            .filter(|(_, f)| **f)
            .map(|(v, _)| v)
            .sum()
    };
    let flagged_area: f64 = areas
        .iter()
        .zip(flagged)
        .filter(|(_, f)| **f)
        .map(|(a, _)| a)
        .sum();
    let (train_events, test_events) = (train.iter().sum::<u64>(), test.iter().sum::<u64>());
    let (flagged_train_events, hits) = (over_flagged(train), over_flagged(test));
    let best_hits = best_capture(areas, test, flagged_area);
    let share_of_test = |k: f64| {
        if test_events == 0 {
            Err(Undefined::NoTestEvents)
        } else {
            Ok(k / test_events as f64)
        }
    };
    let per_area_share = |share: f64| {
        if flagged_area > 0.0 {
            Ok(share / (flagged_area / area))
        } else {
            Err(Undefined::NoFlaggedArea)
        }
    };
    let hit_rate = share_of_test(hits as f64);
    let pai = hit_rate.and_then(per_area_share);
    let best_pai = share_of_test(best_hits).and_then(per_area_share);
    // n <= n* in exact arithmetic; the minimum absorbs the rounding of the area sums.
    let pei = best_pai.map(|_| (hits as f64 / best_hits).min(1.0));
    let rri =
        if train_events == 0 {
            Err(Undefined::NoTrainEvents)
        } else if flagged_train_events == 0 {
            Err(Undefined::NoFlaggedTrainEvents)
        } else if test_events == 0 {
            Err(Undefined::NoTestEvents)
        } else {
            Ok((hits as f64 / flagged_train_events as f64)
                / (test_events as f64 / train_events as f64))
        };
    Ok(HotspotEvaluation {
        units: n,
        flagged_units: flagged.iter().filter(|f| **f).count(),
        area,
        flagged_area,
        train_events,
        flagged_train_events,
        test_events,
        hits,
        best_hits,
        hit_rate,
        pai,
        best_pai,
        pei,
        rri,
    })
}

/// `n*`: the test events captured by filling `budget` of area with the units of highest
/// test density (ties by position), the last unit pro rata. A unit of zero area with events
/// has infinite density and costs nothing.
fn best_capture(areas: &[f64], test: &[u64], budget: f64) -> f64 {
    let density = |i: usize| match (test[i], areas[i] > 0.0) {
        (0, _) => 0.0,
        (k, true) => k as f64 / areas[i],
        (_, false) => f64::INFINITY,
    };
    let mut order: Vec<usize> = (0..areas.len()).filter(|&i| test[i] > 0).collect();
    order.sort_by(|&i, &j| density(j).total_cmp(&density(i)).then(i.cmp(&j)));
    // Area sums in another order differ in the last bits: a unit that fits to within
    // 1e-12 of the budget fits whole.
    let slack = budget * 1e-12;
    let mut left = budget;
    let mut captured = 0.0;
    for i in order {
        if areas[i] <= left + slack {
            captured += test[i] as f64;
            left -= areas[i];
        } else {
            captured += test[i] as f64 * (left.max(0.0) / areas[i]);
            break;
        }
    }
    captured
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Figure, b: f64) -> bool {
        a.is_ok_and(|a| (a - b).abs() < 1e-12)
    }

    /// Five units of unequal area, units 1 and 2 flagged.
    ///
    /// ```text
    /// unit        0    1    2    3    4      total
    /// area        1    2    3    4   10      A  = 20
    /// train       3    6    6    1    9      N1 = 25
    /// test        5    7    1    0    7      N  = 20
    /// flagged          x    x                a  = 5 (a/A = 0.25), n1 = 12, n = 8
    ///
    /// hit rate = 8 / 20                    = 0.4
    /// PAI      = 0.4 / 0.25                = 1.6
    /// test density: 5, 3.5, 1/3, 0, 0.7 -> best order 0, 1, 4, 2
    /// n*  = 5 (unit 0, area 1) + 7 (unit 1, area 2) + 7 * 2/10 (the 2 of unit 4's 10 left)
    ///     = 13.4
    /// PAI* = (13.4 / 20) / 0.25            = 2.68
    /// PEI  = 1.6 / 2.68 = 8 / 13.4         = 0.597014925...
    /// RRI  = (8 / 12) / (20 / 25) = 0.6667 / 0.8 = 5/6
    /// ```
    #[test]
    fn hand_computed_fixture_with_unequal_areas() {
        let areas = [1.0, 2.0, 3.0, 4.0, 10.0];
        let train = [3, 6, 6, 1, 9];
        let test = [5, 7, 1, 0, 7];
        let flagged = [false, true, true, false, false];
        let e = evaluate_hotspots(&flagged, &areas, &train, &test).unwrap();
        assert_eq!((e.units, e.flagged_units), (5, 2));
        assert_eq!((e.area, e.flagged_area, e.area_share()), (20.0, 5.0, 0.25));
        assert_eq!((e.train_events, e.flagged_train_events), (25, 12));
        assert_eq!((e.test_events, e.hits), (20, 8));
        assert!((e.best_hits - 13.4).abs() < 1e-12, "{}", e.best_hits);
        assert!(close(e.hit_rate, 0.4), "{:?}", e.hit_rate);
        assert!(close(e.pai, 1.6), "{:?}", e.pai);
        assert!(close(e.best_pai, 2.68), "{:?}", e.best_pai);
        assert!(close(e.pei, 8.0 / 13.4), "{:?}", e.pei);
        assert!(close(e.rri, 5.0 / 6.0), "{:?}", e.rri);
    }

    /// Flagging the densest units is the best selection: PEI = 1 (units 0 and 1 above: area
    /// 3, n = n* = 12; PAI = (12/20) / (3/20) = 4).
    #[test]
    fn the_best_selection_has_pei_one() {
        let areas = [1.0, 2.0, 3.0, 4.0, 10.0];
        let e = evaluate_hotspots(
            &[true, true, false, false, false],
            &areas,
            &[3, 6, 6, 1, 9],
            &[5, 7, 1, 0, 7],
        )
        .unwrap();
        assert_eq!(e.best_hits, 12.0);
        assert!(close(e.pai, 4.0) && close(e.pei, 1.0), "{e:?}");
    }

    /// Equal areas: flagging everything gives PAI = PEI = 1; areas whose sum rounds
    /// differently in another order still give PEI exactly 1.
    #[test]
    fn flagging_everything_gives_one() {
        let areas = [0.1, 0.2, 0.3, 0.7];
        // Test densities 10, 15, 20, 30: the best order is the reverse of the unit order.
        let e = evaluate_hotspots(&[true; 4], &areas, &[1, 2, 3, 4], &[1, 3, 6, 21]).unwrap();
        assert!(close(e.hit_rate, 1.0) && close(e.pai, 1.0), "{e:?}");
        assert_eq!(e.pei, Ok(1.0));
        assert!(close(e.rri, 1.0), "{e:?}");
    }

    #[test]
    fn zero_denominators_give_reasons_not_nan() {
        let areas = [1.0, 1.0];
        let no_test = evaluate_hotspots(&[true, false], &areas, &[2, 1], &[0, 0]).unwrap();
        for f in [
            no_test.hit_rate,
            no_test.pai,
            no_test.best_pai,
            no_test.pei,
            no_test.rri,
        ] {
            assert_eq!(f, Err(Undefined::NoTestEvents));
        }
        let nothing = evaluate_hotspots(&[false, false], &areas, &[2, 1], &[3, 1]).unwrap();
        assert_eq!(nothing.hit_rate, Ok(0.0), "no hits of 4 events");
        assert_eq!(nothing.pai, Err(Undefined::NoFlaggedArea));
        assert_eq!(nothing.pei, Err(Undefined::NoFlaggedArea));
        assert_eq!(nothing.rri, Err(Undefined::NoFlaggedTrainEvents));
        let no_train = evaluate_hotspots(&[true, false], &areas, &[0, 0], &[3, 1]).unwrap();
        assert!(close(no_train.pai, 1.5), "{no_train:?}");
        assert_eq!(no_train.rri, Err(Undefined::NoTrainEvents));
        assert_eq!(
            Undefined::NoFlaggedTrainEvents.to_string(),
            "no train-period events in the flagged units (n1 = 0)"
        );
    }

    /// A unit of zero area (a degenerate polygon) with events is the densest of all: the best
    /// selection takes it at no cost. Flagged alone it has no area, so no PAI.
    #[test]
    fn zero_area_units() {
        let areas = [0.0, 1.0, 1.0];
        let e = evaluate_hotspots(&[false, true, false], &areas, &[1, 1, 1], &[2, 1, 1]).unwrap();
        // Budget 1: unit 0 (2 events, no area), then unit 1 (1 event, area 1) -> n* = 3.
        assert_eq!(e.best_hits, 3.0);
        assert!(close(e.pei, 1.0 / 3.0), "{e:?}");
        let only =
            evaluate_hotspots(&[true, false, false], &areas, &[1, 1, 1], &[2, 1, 1]).unwrap();
        assert!(close(only.hit_rate, 0.5), "{only:?}");
        assert_eq!(only.pai, Err(Undefined::NoFlaggedArea));
    }

    #[test]
    fn bad_inputs_are_errors_naming_the_problem() {
        let e = evaluate_hotspots(&[true], &[1.0, 2.0], &[1], &[1]).unwrap_err();
        assert_eq!(
            e,
            EvaluationError::LengthMismatch {
                what: "areas",
                len: 2,
                n: 1
            }
        );
        let e = evaluate_hotspots(&[true, false], &[1.0, -2.0], &[1, 1], &[1, 1]).unwrap_err();
        assert_eq!(
            e,
            EvaluationError::BadArea {
                index: 1,
                value: -2.0
            }
        );
        assert!(matches!(
            evaluate_hotspots(&[true], &[f64::NAN], &[1], &[1]),
            Err(EvaluationError::BadArea { index: 0, .. })
        ));
        assert_eq!(
            evaluate_hotspots(&[true, false], &[0.0, 0.0], &[1, 1], &[1, 1]),
            Err(EvaluationError::NoArea { units: 2 })
        );
        assert_eq!(
            evaluate_hotspots(&[], &[], &[], &[]),
            Err(EvaluationError::NoArea { units: 0 })
        );
    }
}
