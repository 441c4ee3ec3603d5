//! Periods written the way a needs assessment names them: `2024` (calendar year), `2024-Q3`
//! (calendar quarter), `2023/24` (financial year, April to March), `2024-03` (one month) or
//! `2023-04..2024-03` (a custom range, both months included). Each is a [`MonthRange`].

use super::fiscal::FinancialYear;
use super::month::Month;
use super::range::MonthRange;
use std::str::FromStr;

/// A period that is none of the accepted forms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a period: expected YYYY, YYYY-Qn, YYYY/YY (financial year, April to March), YYYY-MM, or YYYY-MM..YYYY-MM")]
pub struct PeriodError {
    /// The text given.
    pub value: String,
}

impl MonthRange {
    /// Parses a period in any of the forms of this module.
    ///
    /// ```
    /// use safemap_types::time::MonthRange;
    /// let p = |s: &str| MonthRange::parse_period(s).unwrap().to_string();
    /// assert_eq!(p("2024"), "2024-01 to 2024-12");
    /// assert_eq!(p("2024-Q3"), "2024-07 to 2024-09");
    /// assert_eq!(p("2023/24"), "2023-04 to 2024-03");
    /// assert_eq!(p("2024-03"), "2024-03 to 2024-03");
    /// assert_eq!(p("2023-11..2024-02"), "2023-11 to 2024-02");
    /// assert!(MonthRange::parse_period("2024-02..2023-11").is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// [`PeriodError`] naming the text.
    pub fn parse_period(text: &str) -> Result<Self, PeriodError> {
        let bad = || PeriodError {
            value: text.to_string(),
        };
        let t = text.trim();
        if let Some((a, b)) = t.split_once("..") {
            let (a, b) = (Month::parse(a.trim()), Month::parse(b.trim()));
            return Self::new(a.map_err(|_| bad())?, b.map_err(|_| bad())?).map_err(|_| bad());
        }
        if let Ok(m) = Month::parse(t) {
            return Ok(Self::single(m));
        }
        if let Ok(fy) = FinancialYear::parse(t) {
            return Ok(fy.months());
        }
        if let Some((y, q)) = t.split_once("-Q") {
            let q: u32 = q
                .parse()
                .ok()
                .filter(|q| (1..=4).contains(q))
                .ok_or_else(bad)?;
            let first = Month::new(year(y).ok_or_else(bad)?, 3 * q - 2).ok_or_else(bad)?;
            return Ok(Self::new(first, first.plus(2)).unwrap_or(Self::single(first)));
        }
        let y = year(t).ok_or_else(bad)?;
        let (a, b) = (Month::new(y, 1), Month::new(y, 12));
        Self::new(a.ok_or_else(bad)?, b.ok_or_else(bad)?).map_err(|_| bad())
    }

    /// The period of the same length just before this one.
    ///
    /// ```
    /// use safemap_types::time::MonthRange;
    /// let fy = MonthRange::parse_period("2024/25").unwrap();
    /// assert_eq!(fy.previous().to_string(), "2023-04 to 2024-03");
    /// ```
    #[must_use]
    pub fn previous(self) -> Self {
        let n = self.len() as i32;
        Self::new(self.from().plus(-n), self.from().plus(-1)).unwrap_or(self)
    }
}

/// A four-digit year.
fn year(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

impl FromStr for MonthRange {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_period(s)
    }
}
