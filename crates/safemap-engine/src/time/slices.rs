//! Time slices of an analysed period: whole calendar months, quarters, years or financial
//! years. A slice the period covers only in part is dropped (a part-year would look like a
//! fall in events).

use crate::config::SliceKind;
use safemap_types::time::{FinancialYear, Month, MonthRange, Quarter};

/// The whole slices of `kind` inside `months`, oldest first, each with its label
/// (`2024-03`, `2024-Q1`, `2024`, `2024/25`).
pub fn whole_slices(months: MonthRange, kind: SliceKind) -> Vec<(String, MonthRange)> {
    let mut out: Vec<(String, MonthRange)> = Vec::new();
    for m in months.iter() {
        let (label, range) = slice_of(m, kind);
        if months.includes(range) && out.last().is_none_or(|(l, _)| *l != label) {
            out.push((label, range));
        }
    }
    out
}

/// The slice of `kind` holding month `m`.
fn slice_of(m: Month, kind: SliceKind) -> (String, MonthRange) {
    match kind {
        SliceKind::Month => (m.to_string(), MonthRange::single(m)),
        SliceKind::Quarter => {
            let q = Quarter::of(m);
            (q.to_string(), q.months())
        }
        SliceKind::Year => {
            let y = m.year();
            let first = m.plus(1 - m.month() as i32);
            (
                y.to_string(),
                MonthRange::new(first, first.plus(11)).unwrap_or(MonthRange::single(m)),
            )
        }
        SliceKind::FinancialYear => {
            let fy = FinancialYear::of(m);
            (fy.to_string(), fy.months())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_slices_are_kept() {
        let r = MonthRange::parse_period("2023-02..2025-03").unwrap();
        let labels = |k| -> Vec<String> { whole_slices(r, k).into_iter().map(|s| s.0).collect() };
        assert_eq!(labels(SliceKind::Year), ["2024"]);
        assert_eq!(labels(SliceKind::FinancialYear), ["2023/24", "2024/25"]);
        assert_eq!(labels(SliceKind::Quarter).first().unwrap(), "2023-Q2");
        assert_eq!(labels(SliceKind::Quarter).last().unwrap(), "2025-Q1");
        assert_eq!(labels(SliceKind::Quarter).len(), 8);
        assert_eq!(labels(SliceKind::Month).len(), 26);
    }
}
