//! Hotspot evaluation: how well one period's hotspots capture the next period's events.
//!
//! For units (areas or grid cells) of unequal area `a_i`, a flag per unit (the hotspots of
//! the earlier, *train* period), the train-period counts and the later, *test*-period
//! counts:
//!
//! ```text
//! A  = sum of a_i                      a  = sum of a_i over flagged units
//! N1 = train events in all units       n1 = train events in flagged units
//! N  = test events in all units        n  = test events in flagged units (the hits)
//!
//! hit rate = n / N
//! PAI      = (n / N) / (a / A)                           Chainey, Tompson & Uhlig (2008)
//! PAI*     = (n* / N) / (a / A)   n* = most test events any area-a selection captures
//! PEI      = PAI / PAI* = n / n*                          Hunt (2016)
//! RRI      = (n / n1) / (N / N1)                          Levine (2008), as in CrimeStat
//! ```
//!
//! `n*` fills the flagged area `a` greedily with the units of highest test-period density
//! (events per unit of area; ties by position); the unit that does not fit whole counts for
//! the share of its area that fits, and that share of its events (the linear relaxation of
//! the knapsack). `n*` is therefore an upper bound of what any selection of whole units of
//! total area `a` captures, `PEI <= 1`, and for units of equal area with a whole number of
//! flagged units it is exact.
//!
//! A figure whose denominator is zero has no value: it is an [`Undefined`] with the reason,
//! never NaN or infinity.
//!
//! | item | offers |
//! |---|---|
//! | [`evaluate_hotspots`] | the figures of one flag set against one pair of periods ([`HotspotEvaluation`]) |
//! | [`MonthlyCounts`], [`Window`], [`evaluate_window`] | per-unit monthly counts (a unit without data in a month is left out of every window holding it) and one train/test window over them |
//! | [`RollingOrigin`], [`rolling_origin`] | every window of `train_months` followed by `test_months`, one month apart, with the mean of each figure ([`RollingEvaluation`]) |
//! | [`TopShare`] | a selector: the given share of units with the most train-period events |
//! | [`EvaluationError`] | inputs the figures cannot be computed from |

mod error;
mod figures;
mod rolling;
mod top_share;

pub use error::EvaluationError;
pub use figures::{evaluate_hotspots, Figure, HotspotEvaluation, Undefined};
pub use rolling::{
    evaluate_window, rolling_origin, Mean, MeanFigures, MonthlyCounts, RollingEvaluation,
    RollingOrigin, Window, WindowEvaluation,
};
pub use top_share::TopShare;
