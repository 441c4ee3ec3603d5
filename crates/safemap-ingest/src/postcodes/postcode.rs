//! [`Postcode`]: a UK postcode in normalised form (upper case, no spaces), packed in a `u64`.

use std::fmt;

/// A UK postcode, normalised: upper case with every space removed, so `"pl4 8aa"`,
/// `"PL48AA"` and `" PL4  8AA"` are the same postcode. It is packed into a `u64` (the
/// normalised bytes, at most 7), a compact key for a directory of millions of postcodes.
///
/// Displayed in the usual form, a space before the last three characters (`PL4 8AA`).
///
/// ```
/// use safemap_ingest::postcodes::Postcode;
/// let a = Postcode::parse(" pl4  8aa").unwrap();
/// assert_eq!(a, Postcode::parse("PL48AA").unwrap());
/// assert_eq!(a.to_string(), "PL4 8AA");
/// assert!(Postcode::parse("PL4").is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Postcode(u64);

impl Postcode {
    /// Normalises `text` (upper case, whitespace removed) and checks its shape loosely: an
    /// outward code `A9`, `A99`, `AA9`, `AA99`, `A9A` or `AA9A` (A a letter, 9 a digit) then
    /// an inward code `9AA`, or the special `GIR 0AA`. The letters are not checked against
    /// the lists of letters used in each position. `None` when it is not a postcode.
    pub fn parse(text: &str) -> Option<Self> {
        let mut bytes = [0u8; 8];
        let mut len = 0;
        for b in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
            if len == 7 || !b.is_ascii_alphanumeric() {
                return None;
            }
            bytes[len] = b.to_ascii_uppercase();
            len += 1;
        }
        let code = &bytes[..len];
        let shape_ok = len >= 5 && {
            let (outward, inward) = code.split_at(len - 3);
            is_outward(outward) && is_inward(inward)
        };
        (shape_ok || code == b"GIR0AA").then(|| Postcode(u64::from_le_bytes(bytes)))
    }

    /// The normalised bytes (no spaces, upper case).
    fn bytes(self) -> ([u8; 8], usize) {
        let bytes = self.0.to_le_bytes();
        let len = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        (bytes, len)
    }
}

/// An outward code: a letter, then one of `9`, `99`, `A9`, `A99`, `9A`, `A9A`.
fn is_outward(code: &[u8]) -> bool {
    let (l, d) = (u8::is_ascii_uppercase, u8::is_ascii_digit);
    match code {
        [a, b] => l(a) && d(b),
        [a, b, c] => l(a) && ((d(b) && (d(c) || l(c))) || (l(b) && d(c))),
        [a, b, c, e] => l(a) && l(b) && d(c) && (d(e) || l(e)),
        _ => false,
    }
}

/// An inward code: a digit then two letters.
fn is_inward(code: &[u8]) -> bool {
    matches!(code, [a, b, c] if a.is_ascii_digit() && b.is_ascii_uppercase() && c.is_ascii_uppercase())
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (bytes, len) = self.bytes();
        let text = std::str::from_utf8(&bytes[..len]).map_err(|_| fmt::Error)?;
        let (outward, inward) = text.split_at(len.saturating_sub(3));
        write!(f, "{outward} {inward}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_spaces_do_not_matter() {
        let want = Postcode::parse("PL4 8AA").unwrap();
        for text in ["pl4 8aa", "PL48AA", " PL4  8AA", "Pl4\t8aA", "p l 4 8 a a"] {
            assert_eq!(Postcode::parse(text), Some(want), "{text:?}");
        }
        assert_ne!(Postcode::parse("PL4 8AB"), Some(want));
        assert_ne!(
            Postcode::parse("PL48 AA"),
            None,
            "spaces anywhere are dropped"
        );
    }

    #[test]
    fn every_outward_shape_and_the_display_form() {
        for (text, shown) in [
            ("m1 1ae", "M1 1AE"),
            ("M60 1NW", "M60 1NW"),
            ("cr2 6xh", "CR2 6XH"),
            ("DN551PT", "DN55 1PT"),
            ("W1A 1HQ", "W1A 1HQ"),
            ("ec1a1bb", "EC1A 1BB"),
            ("GIR 0AA", "GIR 0AA"),
        ] {
            let p = Postcode::parse(text).unwrap_or_else(|| panic!("{text:?}"));
            assert_eq!(p.to_string(), shown);
            assert_eq!(Postcode::parse(shown), Some(p));
        }
    }

    #[test]
    fn garbage_is_not_a_postcode() {
        for text in [
            "",
            "PL4",
            "8AA",
            "PL4 8A",
            "PL4 88A",
            "PL4-8AA",
            "1L4 8AA",
            "PLL4 8AA",
            "PL44A 8AA",
            "PL4 8AAA",
            "unknown",
            "SX 47123 54321",
            "PL4 8ÄA",
            "N/A",
        ] {
            assert_eq!(Postcode::parse(text), None, "{text:?}");
        }
    }
}
