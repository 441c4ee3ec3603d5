//! Reporting periods longer than a month: calendar [`Quarter`]s and UK [`FinancialYear`]s
//! (April to March, as councils and the Home Office report).

use super::month::Month;
use super::range::MonthRange;
use std::fmt;
use std::str::FromStr;

/// A calendar quarter: Q1 is January to March. Written `2024-Q1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i32,
    /// 1-4.
    number: u8,
}

impl Quarter {
    /// The quarter `month` falls in.
    pub fn of(month: Month) -> Self {
        Self {
            year: month.year(),
            number: ((month.month() - 1) / 3 + 1) as u8,
        }
    }

    /// Calendar year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 (January to March) to 4 (October to December).
    pub fn number(self) -> u8 {
        self.number
    }

    /// The quarter's three months.
    pub fn months(self) -> MonthRange {
        let first = Month::from_index(self.year * 12 + 3 * (i32::from(self.number) - 1));
        MonthRange::new(first, first.plus(2)).unwrap_or(MonthRange::single(first))
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.number)
    }
}

/// A UK financial year, April to March. Written `2023/24` (April 2023 to March 2024).
///
/// ```
/// use safemap_types::time::{FinancialYear, Month};
/// let fy: FinancialYear = "2023/24".parse().unwrap();
/// assert_eq!(fy.months().to_string(), "2023-04 to 2024-03");
/// assert_eq!(Month::new(2024, 3).unwrap().financial_year(), fy);
/// assert_eq!(Month::new(2024, 4).unwrap().financial_year().to_string(), "2024/25");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear {
    /// The calendar year of its April.
    start: i32,
}

/// A text that is not a financial year written `YYYY/YY`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a financial year; expected YYYY/YY such as 2023/24 (April 2023 to March 2024)")]
pub struct FinancialYearError {
    /// The text found.
    pub value: String,
}

impl FinancialYear {
    /// The financial year `month` falls in: April to December belong to the year starting
    /// that April, January to March to the one that started the April before.
    pub fn of(month: Month) -> Self {
        let start = if month.month() >= 4 {
            month.year()
        } else {
            month.year() - 1
        };
        Self { start }
    }

    /// The financial year starting in April of `year`.
    pub fn starting(year: i32) -> Self {
        Self { start: year }
    }

    /// The calendar year of its April.
    pub fn start_year(self) -> i32 {
        self.start
    }

    /// April to March.
    pub fn months(self) -> MonthRange {
        let april = Month::from_index(self.start * 12 + 3);
        MonthRange::new(april, april.plus(11)).unwrap_or(MonthRange::single(april))
    }

    /// The financial quarter of `month` within this year (1: April to June, 4: January to
    /// March); `None` when the month is not in this year.
    pub fn quarter_of(self, month: Month) -> Option<u8> {
        Some((self.months().position(month)? / 3 + 1) as u8)
    }

    /// Parses exactly `YYYY/YY` where `YY` is the last two digits of the next year.
    ///
    /// # Errors
    ///
    /// [`FinancialYearError`] for anything else (`2023/25`, `2023-24`, `23/24`).
    pub fn parse(text: &str) -> Result<Self, FinancialYearError> {
        let bad = || FinancialYearError {
            value: text.to_string(),
        };
        let (a, b) = text.split_once('/').ok_or_else(bad)?;
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|c| c.is_ascii_digit());
        if !(digits(a, 4) && digits(b, 2)) {
            return Err(bad());
        }
        let start: i32 = a.parse().map_err(|_| bad())?;
        let end: i32 = b.parse().map_err(|_| bad())?;
        if (start + 1) % 100 != end {
            return Err(bad());
        }
        Ok(Self { start })
    }
}

impl FromStr for FinancialYear {
    type Err = FinancialYearError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}/{:02}", self.start, (self.start + 1) % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    #[test]
    fn quarters_are_calendar_quarters() {
        for (month, q) in [
            ("2024-01", "2024-Q1"),
            ("2024-03", "2024-Q1"),
            ("2024-04", "2024-Q2"),
            ("2024-09", "2024-Q3"),
            ("2024-12", "2024-Q4"),
        ] {
            assert_eq!(m(month).quarter().to_string(), q, "{month}");
        }
        let q = m("2024-08").quarter();
        assert_eq!((q.year(), q.number()), (2024, 3));
        assert_eq!(q.months().to_string(), "2024-07 to 2024-09");
    }

    #[test]
    fn financial_years_run_april_to_march() {
        assert_eq!(m("2024-03").financial_year().to_string(), "2023/24");
        assert_eq!(m("2024-04").financial_year().to_string(), "2024/25");
        assert_eq!(m("1999-12").financial_year().to_string(), "1999/00");
        let fy = FinancialYear::starting(2023);
        assert_eq!(fy.start_year(), 2023);
        assert_eq!(fy.months().len(), 12);
        assert!(fy.months().iter().all(|x| x.financial_year() == fy));
        assert_eq!(fy.quarter_of(m("2023-04")), Some(1));
        assert_eq!(fy.quarter_of(m("2023-12")), Some(3));
        assert_eq!(fy.quarter_of(m("2024-03")), Some(4));
        assert_eq!(fy.quarter_of(m("2024-04")), None);
    }

    #[test]
    fn parses_only_yyyy_slash_yy() {
        assert_eq!(
            FinancialYear::parse("1999/00").unwrap(),
            FinancialYear::starting(1999)
        );
        for bad in ["2023/25", "2023-24", "23/24", "2023/2024", "", "2023/"] {
            let e = FinancialYear::parse(bad).unwrap_err();
            assert!(e.to_string().contains("YYYY/YY"), "{e}");
        }
    }
}
