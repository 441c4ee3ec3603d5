//! [`parse_grid_ref`]: Ordnance Survey National Grid references (`SX 47123 54321`) to
//! British National Grid easting/northing.

/// Parses an OS grid reference into the easting and northing (metres) of the **south-west
/// corner** of the square it names.
///
/// Two letters name the 100 km square (the first must be one of H, J, N, O, S, T, the
/// 500 km squares covering Great Britain; neither may be I), then 4, 6, 8 or 10 digits,
/// half for the easting and half for the northing within the square, giving a 1 km, 100 m,
/// 10 m or 1 m square. Letters are case-insensitive and spaces anywhere are ignored, so
/// `SX 47123 54321`, `sx4712354321` and `SX 47 54` are all accepted. Returns `None` for
/// anything else.
///
/// ```
/// use safemap_ingest::grid_ref::parse_grid_ref;
/// assert_eq!(parse_grid_ref("TQ 30080 80250"), Some((530_080.0, 180_250.0)));
/// assert_eq!(parse_grid_ref("SX 47 54"), Some((247_000.0, 54_000.0)));
/// assert_eq!(parse_grid_ref("SX 4712"), Some((247_000.0, 12_000.0)));
/// assert_eq!(parse_grid_ref("SX 471"), None);
/// ```
pub fn parse_grid_ref(text: &str) -> Option<(f64, f64)> {
    let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let (letters, digits) = compact.split_at_checked(2)?;
    let l1 = letters[0].to_ascii_uppercase();
    let l2 = letters[1].to_ascii_uppercase();
    if !matches!(l1, b'H' | b'J' | b'N' | b'O' | b'S' | b'T')
        || !l2.is_ascii_uppercase()
        || l2 == b'I'
    {
        return None;
    }
    if !matches!(digits.len(), 4 | 6 | 8 | 10) || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Letter indexes with I skipped (the grid letters are A-Z without I, 5 x 5).
    let index = |l: u8| {
        let i = u32::from(l - b'A');
        if i > 7 {
            i - 1
        } else {
            i
        }
    };
    let (i1, i2) = (index(l1), index(l2));
    // 100 km square indexes from the false origin (square SV).
    let e100 = ((i1 - 2) % 5) * 5 + i2 % 5;
    let n100 = (19 - (i1 / 5) * 5) - i2 / 5;
    let half = digits.len() / 2;
    let scale = 10u32.pow(5 - half as u32);
    let value = |d: &[u8]| {
        d.iter()
            .fold(0u32, |acc, &b| acc * 10 + u32::from(b - b'0'))
            * scale
    };
    let e = e100 * 100_000 + value(&digits[..half]);
    let n = n100 * 100_000 + value(&digits[half..]);
    Some((f64::from(e), f64::from(n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_references() {
        assert_eq!(
            parse_grid_ref("TQ 30080 80250"),
            Some((530_080.0, 180_250.0))
        );
        assert_eq!(
            parse_grid_ref("SX 47123 54321"),
            Some((247_123.0, 54_321.0))
        );
        assert_eq!(parse_grid_ref("sx4712354321"), Some((247_123.0, 54_321.0)));
        assert_eq!(parse_grid_ref("SX 4712 5432"), Some((247_120.0, 54_320.0)));
        assert_eq!(parse_grid_ref("SX 471 543"), Some((247_100.0, 54_300.0)));
        assert_eq!(parse_grid_ref("SX4754"), Some((247_000.0, 54_000.0)));
        // Corners of the grid: SV is the false origin; HP covers Shetland; TG Norfolk; NN Highlands.
        assert_eq!(parse_grid_ref("SV 00000 00000"), Some((0.0, 0.0)));
        assert_eq!(parse_grid_ref("HP 00 00"), Some((400_000.0, 1_200_000.0)));
        assert_eq!(
            parse_grid_ref("TG 51408 13177"),
            Some((651_408.0, 313_177.0))
        );
        assert_eq!(parse_grid_ref("NN 166 712"), Some((216_600.0, 771_200.0)));
    }

    #[test]
    fn malformed_references() {
        for bad in [
            "",
            "SX",
            "SX 4",
            "SX 47123 5432",
            "SX 471235432100",
            "XX 47 54",
            "SI 47 54",
            "IS 47 54",
            "S1 47 54",
            "SX 4a 54",
            "SX -4 54",
        ] {
            assert_eq!(parse_grid_ref(bad), None, "{bad}");
        }
    }
}
