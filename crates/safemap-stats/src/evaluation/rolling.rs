//! Train/test windows over per-unit monthly counts, and the rolling origin: every window
//! of `train_months` followed by `test_months`, one month apart.

use super::{evaluate_hotspots, EvaluationError, Figure, HotspotEvaluation};
use std::ops::Range;

/// Per-unit monthly counts, units × months, unit by unit; `None` where a unit has no data
/// for a month (no input covers it), which is not the same as no events.
#[derive(Debug, Clone, Copy)]
pub struct MonthlyCounts<'a> {
    values: &'a [Option<u64>],
    units: usize,
    months: usize,
}

impl<'a> MonthlyCounts<'a> {
    /// `values[unit * months + month]`.
    ///
    /// # Errors
    ///
    /// [`EvaluationError::ShapeMismatch`] unless there are `units * months` values.
    pub fn new(
        values: &'a [Option<u64>],
        units: usize,
        months: usize,
    ) -> Result<Self, EvaluationError> {
        if units.checked_mul(months) != Some(values.len()) {
            return Err(EvaluationError::ShapeMismatch {
                len: values.len(),
                units,
                months,
            });
        }
        Ok(Self {
            values,
            units,
            months,
        })
    }

    /// Number of units.
    pub fn units(&self) -> usize {
        self.units
    }

    /// Number of months.
    pub fn months(&self) -> usize {
        self.months
    }

    /// Events of `unit` in `months`; `None` when the unit has no data for one of them.
    pub fn total(&self, unit: usize, months: Range<usize>) -> Option<u64> {
        let row = &self.values[unit * self.months..(unit + 1) * self.months];
        row[months].iter().copied().sum()
    }
}

/// Train and test months, as indices into the months of a [`MonthlyCounts`]; the test
/// months follow the train months (not necessarily at once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Months whose events choose the hotspots.
    pub train: Range<usize>,
    /// Months whose events the hotspots are scored against.
    pub test: Range<usize>,
}

/// One window's hotspots and figures.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowEvaluation {
    /// The window.
    pub window: Window,
    /// Per unit: whether it has data in every month of the window. Units without are left
    /// out of the figures (of `A`, `N`, `N1` alike).
    pub included: Vec<bool>,
    /// Per unit: whether it is a hotspot of the train months (never for a unit left out).
    pub flagged: Vec<bool>,
    /// The figures over the units included.
    pub figures: HotspotEvaluation,
}

/// Evaluates one window: `select` gets the window and each unit's train-month total
/// (`None` for a unit left out) and returns one flag per unit.
///
/// # Errors
///
/// `E` from `select`, or from an [`EvaluationError`]: a window outside the months or whose
/// test months do not follow its train months, a selector answer that is not one flag per
/// unit, bad areas.
pub fn evaluate_window<E: From<EvaluationError>>(
    counts: &MonthlyCounts<'_>,
    areas: &[f64],
    window: &Window,
    select: impl FnOnce(&Window, &[Option<u64>]) -> Result<Vec<bool>, E>,
) -> Result<WindowEvaluation, E> {
    let Window { train, test } = window;
    if train.is_empty() || test.is_empty() || train.end > test.start || test.end > counts.months {
        return Err(EvaluationError::BadWindow {
            train: train.clone(),
            test: test.clone(),
            months: counts.months,
        }
        .into());
    }
    if areas.len() != counts.units {
        return Err(EvaluationError::LengthMismatch {
            what: "areas",
            len: areas.len(),
            n: counts.units,
        }
        .into());
    }
    let totals = |months: &Range<usize>| -> Vec<Option<u64>> {
        (0..counts.units)
            .map(|u| counts.total(u, months.clone()))
            .collect()
    };
    let (train_totals, test_totals) = (totals(train), totals(test));
    let included: Vec<bool> = train_totals
        .iter()
        .zip(&test_totals)
        .map(|(a, b)| a.is_some() && b.is_some())
        .collect();
    let offered: Vec<Option<u64>> = train_totals
        .iter()
        .zip(&included)
        .map(|(t, inc)| t.filter(|_| *inc))
        .collect();
    let chosen = select(window, &offered)?;
    if chosen.len() != counts.units {
        return Err(EvaluationError::LengthMismatch {
            what: "the selector's flags",
            len: chosen.len(),
            n: counts.units,
        }
        .into());
    }
    let flagged: Vec<bool> = chosen
        .iter()
        .zip(&included)
        .map(|(f, i)| *f && *i)
        .collect();
    let kept: Vec<usize> = (0..counts.units).filter(|&i| included[i]).collect();
    let figures = evaluate_hotspots(
        &kept.iter().map(|&i| flagged[i]).collect::<Vec<_>>(),
        &kept.iter().map(|&i| areas[i]).collect::<Vec<_>>(),
        &kept
            .iter()
            .filter_map(|&i| train_totals[i])
            .collect::<Vec<_>>(),
        &kept
            .iter()
            .filter_map(|&i| test_totals[i])
            .collect::<Vec<_>>(),
    )?;
    Ok(WindowEvaluation {
        window: window.clone(),
        included,
        flagged,
        figures,
    })
}

/// Window lengths of a rolling-origin evaluation: each origin month `t` from
/// `train_months` on scores the hotspots of months `t - train_months .. t` against months
/// `t .. t + test_months`; origins are one month apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RollingOrigin {
    train_months: usize,
    test_months: usize,
}

impl RollingOrigin {
    /// Windows of `train_months` then `test_months`.
    ///
    /// # Errors
    ///
    /// [`EvaluationError::EmptyWindow`] when either is 0.
    pub fn new(train_months: usize, test_months: usize) -> Result<Self, EvaluationError> {
        if train_months == 0 || test_months == 0 {
            return Err(EvaluationError::EmptyWindow {
                train_months,
                test_months,
            });
        }
        Ok(Self {
            train_months,
            test_months,
        })
    }

    /// Train months per window.
    pub fn train_months(&self) -> usize {
        self.train_months
    }

    /// Test months per window.
    pub fn test_months(&self) -> usize {
        self.test_months
    }

    /// Every window over `months` months, in order of origin.
    ///
    /// ```
    /// use safemap_stats::evaluation::{RollingOrigin, Window};
    /// let w = RollingOrigin::new(2, 1)?.windows(4)?;
    /// assert_eq!(w, [Window { train: 0..2, test: 2..3 }, Window { train: 1..3, test: 3..4 }]);
    /// # Ok::<(), safemap_stats::evaluation::EvaluationError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`EvaluationError::TooFewMonths`] when not even one window fits.
    pub fn windows(&self, months: usize) -> Result<Vec<Window>, EvaluationError> {
        let (train, test) = (self.train_months, self.test_months);
        if months < train + test {
            return Err(EvaluationError::TooFewMonths {
                months,
                train_months: train,
                test_months: test,
            });
        }
        Ok((train..=months - test)
            .map(|t| Window {
                train: t - train..t,
                test: t..t + test,
            })
            .collect())
    }
}

/// The mean of a figure over the windows where it is defined.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mean {
    /// The arithmetic mean; `None` when no window defines the figure.
    pub value: Option<f64>,
    /// Number of windows that define it.
    pub defined: usize,
}

impl Mean {
    fn of(figures: impl Iterator<Item = Figure>) -> Self {
        let values: Vec<f64> = figures.flatten().collect();
        Self {
            value: (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64),
            defined: values.len(),
        }
    }
}

/// The mean of each figure over windows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanFigures {
    /// Mean hit rate.
    pub hit_rate: Mean,
    /// Mean PAI.
    pub pai: Mean,
    /// Mean PAI*.
    pub best_pai: Mean,
    /// Mean PEI.
    pub pei: Mean,
    /// Mean RRI.
    pub rri: Mean,
}

impl MeanFigures {
    /// The means over `evaluations`, each figure over the evaluations that define it.
    pub fn over(evaluations: &[&HotspotEvaluation]) -> Self {
        let mean = |f: fn(&HotspotEvaluation) -> Figure| Mean::of(evaluations.iter().map(|e| f(e)));
        Self {
            hit_rate: mean(|e| e.hit_rate),
            pai: mean(|e| e.pai),
            best_pai: mean(|e| e.best_pai),
            pei: mean(|e| e.pei),
            rri: mean(|e| e.rri),
        }
    }
}

/// Every window of a rolling origin with the means of its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct RollingEvaluation {
    /// The window lengths.
    pub origin: RollingOrigin,
    /// One evaluation per origin, in order.
    pub windows: Vec<WindowEvaluation>,
    /// Each figure's mean over the windows that define it.
    pub mean: MeanFigures,
}

/// Evaluates every window of `origin` over `counts` (see [`evaluate_window`]; `select` is
/// called once per window, in order).
///
/// # Errors
///
/// As [`evaluate_window`], and [`EvaluationError::TooFewMonths`] when no window fits.
pub fn rolling_origin<E: From<EvaluationError>>(
    counts: &MonthlyCounts<'_>,
    areas: &[f64],
    origin: RollingOrigin,
    mut select: impl FnMut(&Window, &[Option<u64>]) -> Result<Vec<bool>, E>,
) -> Result<RollingEvaluation, E> {
    let windows = origin
        .windows(counts.months)?
        .iter()
        .map(|w| evaluate_window(counts, areas, w, &mut select))
        .collect::<Result<Vec<_>, E>>()?;
    let mean = MeanFigures::over(&windows.iter().map(|w| &w.figures).collect::<Vec<_>>());
    Ok(RollingEvaluation {
        origin,
        windows,
        mean,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::{TopShare, Undefined};

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-12)
    }

    /// Two units (areas 1 and 3) over four months, windows of 2 train months and 1 test
    /// month, the top half of units (1 unit) flagged.
    ///
    /// ```text
    /// month     0  1  2  3
    /// unit 0    4  2  1  3      area 1   (A = 4)
    /// unit 1    1  1  3  0      area 3
    ///
    /// origin 2: train 0..2 -> unit 0: 6, unit 1: 2 -> flag unit 0 (a/A = 1/4)
    ///           test month 2: N = 4, n = 1 -> hit rate 1/4, PAI = 0.25 / 0.25 = 1
    ///           densities 1/1 = 1 and 3/3 = 1 tie -> unit 0 first: n* = 1, PEI = 1
    ///           RRI = (1 / 6) / (4 / 8) = 1/3
    /// origin 3: train 1..3 -> unit 0: 3, unit 1: 4 -> flag unit 1 (a/A = 3/4)
    ///           test month 3: N = 3, n = 0 -> hit rate 0, PAI 0
    ///           n* = 3 (unit 0, area 1, fits in 3) -> PEI 0
    ///           RRI = (0 / 4) / (3 / 7) = 0
    /// means:    hit rate 1/8, PAI 1/2, PEI 1/2, RRI 1/6
    /// ```
    #[test]
    fn hand_computed_rolling_origin() {
        let values = [4, 2, 1, 3, 1, 1, 3, 0].map(Some);
        let counts = MonthlyCounts::new(&values, 2, 4).unwrap();
        let top = TopShare::new(0.5).unwrap();
        let r = rolling_origin(
            &counts,
            &[1.0, 3.0],
            RollingOrigin::new(2, 1).unwrap(),
            |_, train| Ok::<_, EvaluationError>(top.select(train)),
        )
        .unwrap();
        assert_eq!(r.windows.len(), 2);
        let (a, b) = (&r.windows[0], &r.windows[1]);
        assert_eq!(a.flagged, [true, false]);
        assert_eq!(b.flagged, [false, true]);
        assert_eq!(
            (a.figures.hit_rate, a.figures.pai, a.figures.pei),
            (Ok(0.25), Ok(1.0), Ok(1.0))
        );
        assert!((a.figures.rri.unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(
            (
                b.figures.hit_rate,
                b.figures.pai,
                b.figures.pei,
                b.figures.rri
            ),
            (Ok(0.0), Ok(0.0), Ok(0.0), Ok(0.0))
        );
        assert_eq!(b.figures.best_hits, 3.0);
        assert!(close(r.mean.hit_rate.value, 0.125));
        assert!(close(r.mean.pai.value, 0.5));
        assert!(close(r.mean.pei.value, 0.5));
        assert!(close(r.mean.rri.value, 1.0 / 6.0));
        assert_eq!(r.mean.pai.defined, 2);
    }

    /// A unit without data in a month is left out of every window holding that month, and
    /// the mean skips windows where a figure is undefined.
    #[test]
    fn units_without_data_are_left_out_and_means_skip_undefined() {
        // unit 0: 2 0 0 0; unit 1: 1 1 None 1. Windows (1 train, 1 test): 0->1, 1->2, 2->3.
        let values = [
            Some(2),
            Some(0),
            Some(0),
            Some(0),
            Some(1),
            Some(1),
            None,
            Some(1),
        ];
        let counts = MonthlyCounts::new(&values, 2, 4).unwrap();
        let mut seen = Vec::new();
        let r = rolling_origin(
            &counts,
            &[1.0, 1.0],
            RollingOrigin::new(1, 1).unwrap(),
            |w, train| {
                seen.push((w.clone(), train.to_vec()));
                Ok::<_, EvaluationError>(vec![true, true])
            },
        )
        .unwrap();
        assert_eq!(seen[1].1, [Some(0), None], "unit 1 has no data in month 2");
        assert_eq!(r.windows[1].included, [true, false]);
        assert_eq!(
            r.windows[1].flagged,
            [true, false],
            "a unit left out is never flagged"
        );
        assert_eq!(r.windows[1].figures.units, 1);
        // Window 0->1: N = 1 (unit 1), everything flagged: PAI 1. Window 1->2: only unit 0,
        // no test events: undefined. Window 2->3: unit 1 left out, unit 0 has no events.
        assert_eq!(r.windows[0].figures.pai, Ok(1.0));
        assert_eq!(r.windows[1].figures.pai, Err(Undefined::NoTestEvents));
        assert_eq!(r.windows[2].figures.pai, Err(Undefined::NoTestEvents));
        assert_eq!(
            r.mean.pai,
            Mean {
                value: Some(1.0),
                defined: 1
            }
        );
        assert_eq!(r.mean.rri.defined, 1);
    }

    #[test]
    fn bad_windows_and_shapes_are_errors() {
        let values = [Some(1); 6];
        assert_eq!(
            MonthlyCounts::new(&values, 2, 2).unwrap_err(),
            EvaluationError::ShapeMismatch {
                len: 6,
                units: 2,
                months: 2
            }
        );
        let counts = MonthlyCounts::new(&values, 2, 3).unwrap();
        let all = |_: &Window, t: &[Option<u64>]| Ok::<_, EvaluationError>(vec![true; t.len()]);
        for (train, test) in [(0..2, 1..3), (0..1, 1..4), (0..0, 1..2), (0..1, 2..2)] {
            let w = Window {
                train: train.clone(),
                test: test.clone(),
            };
            assert!(
                matches!(
                    evaluate_window(&counts, &[1.0, 1.0], &w, all),
                    Err(EvaluationError::BadWindow { .. })
                ),
                "{train:?} {test:?}"
            );
        }
        let gap = Window {
            train: 0..1,
            test: 2..3,
        };
        assert!(
            evaluate_window(&counts, &[1.0, 1.0], &gap, all).is_ok(),
            "test months need not follow at once"
        );
        let short = |_: &Window, _: &[Option<u64>]| Ok::<_, EvaluationError>(vec![true]);
        assert!(matches!(
            evaluate_window(&counts, &[1.0, 1.0], &gap, short),
            Err(EvaluationError::LengthMismatch { len: 1, n: 2, .. })
        ));
        assert_eq!(
            RollingOrigin::new(0, 1),
            Err(EvaluationError::EmptyWindow {
                train_months: 0,
                test_months: 1
            })
        );
        assert_eq!(
            RollingOrigin::new(3, 1).unwrap().windows(3),
            Err(EvaluationError::TooFewMonths {
                months: 3,
                train_months: 3,
                test_months: 1
            })
        );
    }
}
