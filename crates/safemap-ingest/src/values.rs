//! Small value parsers shared by the readers: yes/no flags and numbers that may carry
//! thousands separators.

use crate::source::Problem;
use safemap_types::RejectReason;

/// The accepted yes/no spellings, for reject messages.
pub(crate) const YES_NO: &str = "yes, no, y, n, true, false, 1, 0 or empty (= no)";

/// Parses a yes/no flag: yes/no, y/n, true/false, 1/0 (case-insensitive); empty means no.
/// Anything else is [`RejectReason::UnknownValue`] naming `column`.
pub(crate) fn yes_no(text: &str, column: &str) -> Result<bool, Problem> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    match lower.as_str() {
        "yes" | "y" | "true" | "1" => Ok(true),
        "no" | "n" | "false" | "0" | "" => Ok(false),
        _ => Err(Problem::at(
            column,
            t,
            RejectReason::UnknownValue {
                expected: YES_NO.to_string(),
            },
        )),
    }
}

/// Parses a number that may use commas as thousands separators (`"29,199"`, `"1,296.5"`).
///
/// Separators are accepted only in well-formed groups: one to three digits, then groups of
/// exactly three (`1,234,567`); `1,23` or `12,3456` are unparsable (they are more likely a
/// decimal comma or a broken field than a thousands separator). Empty is
/// [`RejectReason::MissingValue`], NaN or infinite is [`RejectReason::NotANumber`].
pub(crate) fn number(text: &str, column: &str) -> Result<f64, Problem> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Problem::at(column, t, RejectReason::MissingValue));
    }
    let unparsable = || Problem::at(column, t, RejectReason::UnparsableNumber);
    let value = if t.contains(',') {
        let cleaned = strip_thousands(t).ok_or_else(unparsable)?;
        cleaned.parse::<f64>().map_err(|_| unparsable())?
    } else {
        t.parse::<f64>().map_err(|_| unparsable())?
    };
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Problem::at(column, t, RejectReason::NotANumber))
    }
}

/// `t` without its thousands separators, if they are well formed.
fn strip_thousands(t: &str) -> Option<String> {
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'+' | b'-') => t.split_at(1),
        _ => ("", t),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let mut groups = int.split(',');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = format!("{sign}{first}");
    for g in groups {
        if g.len() != 3 || !g.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push_str(g);
    }
    if let Some(f) = frac {
        if f.contains(',') {
            return None;
        }
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_no_spellings() {
        for t in ["yes", "Y", "TRUE", "1", " yes "] {
            assert_eq!(yes_no(t, "c"), Ok(true), "{t}");
        }
        for t in ["no", "N", "False", "0", ""] {
            assert_eq!(yes_no(t, "c"), Ok(false), "{t}");
        }
        let p = yes_no("maybe", "alcohol").unwrap_err();
        assert_eq!(p.column.as_deref(), Some("alcohol"));
        assert!(matches!(p.reason, RejectReason::UnknownValue { .. }));
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(number("\"29,199\"".trim_matches('"'), "c"), Ok(29_199.0));
        assert_eq!(number("1,234,567.5", "c"), Ok(1_234_567.5));
        assert_eq!(number("-1,000", "c"), Ok(-1000.0));
        assert_eq!(number("1954", "c"), Ok(1954.0));
        for bad in [
            "1,23",
            "12,3456",
            ",123",
            "1,,234",
            "1234,567",
            "1,234.5,6",
            "abc",
        ] {
            assert_eq!(
                number(bad, "c").unwrap_err().reason,
                RejectReason::UnparsableNumber,
                "{bad}"
            );
        }
        assert_eq!(
            number(" ", "c").unwrap_err().reason,
            RejectReason::MissingValue
        );
        assert_eq!(
            number("NaN", "c").unwrap_err().reason,
            RejectReason::NotANumber
        );
    }
}
