//! Time: event times, months, month ranges, quarters, financial years and the hours of the
//! week. Every month in safemap is read and written through [`Month`] (`YYYY-MM`, strictly),
//! and every period through [`MonthRange`] (`from <= to`).
//!
//! | module | offers |
//! |---|---|
//! | [`event_time`] | [`EventTime`]: a month (data.police.uk) or a full timestamp |
//! | [`month`] | [`Month`], [`MonthError`] |
//! | [`range`] | [`MonthRange`], [`MonthRangeError`] |
//! | [`period`] | [`MonthRange::parse_period`] (`2024`, `2024-Q3`, `2023/24`, `2024-03`, `2023-04..2024-03`), [`PeriodError`] |
//! | [`fiscal`] | [`Quarter`], [`FinancialYear`] (April to March) |
//! | [`week`] | [`hour_of_week`], [`WEEKDAYS`], [`HourMask`], [`NamedWindow`], [`NTE`] |

pub mod event_time;
pub mod fiscal;
pub mod month;
pub mod period;
pub mod range;
pub mod week;

pub use event_time::EventTime;
pub use fiscal::{FinancialYear, FinancialYearError, Quarter};
pub use month::{Month, MonthError};
pub use period::PeriodError;
pub use range::{MonthRange, MonthRangeError};
pub use week::{hour_of_week, HourMask, NamedWindow, WindowError, NTE, WEEKDAYS};
