//! Ordnance Survey National Grid references.

use crate::SynthError;

/// Formats British National Grid metres as a 10-figure OS grid reference, e.g.
/// `SP 50123 00456`: two 100 km square letters, then easting and northing within
/// the square to the metre. Fractions of a metre are truncated (a grid reference
/// names the square the point is in, by its south-west corner).
///
/// ```
/// use safemap_synth::format_grid_ref;
/// assert_eq!(format_grid_ref(651_409.9, 313_177.2).unwrap(), "TG 51409 13177");
/// assert!(format_grid_ref(-5.0, 100.0).is_err());
/// ```
pub fn format_grid_ref(easting: f64, northing: f64) -> Result<String, SynthError> {
    let outside = || SynthError::OutsideNationalGrid { easting, northing };
    if !(0.0..700_000.0).contains(&easting) || !(0.0..1_300_000.0).contains(&northing) {
        return Err(outside());
    }
    let (e, n) = (easting.floor() as u32, northing.floor() as u32);
    let (e100k, n100k) = (e / 100_000, n / 100_000);
    // Letters A-Z without I, laid out in 5x5 blocks (Chris Veness' formulation).
    let row = 19 - n100k;
    let mut l1 = row - row % 5 + (e100k + 10) / 5;
    let mut l2 = (row * 5) % 25 + e100k % 5;
    if l1 > 7 {
        l1 += 1;
    }
    if l2 > 7 {
        l2 += 1;
    }
    let letter = |l: u32| char::from(b'A' + l as u8);
    Ok(format!(
        "{}{} {:05} {:05}",
        letter(l1),
        letter(l2),
        e % 100_000,
        n % 100_000
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_references() {
        let cases = [
            ((450_123.0, 200_456.0), "SP 50123 00456"),
            ((450_000.0, 300_000.0), "SK 50000 00000"),
            ((449_999.9, 299_999.9), "SP 49999 99999"),
            ((0.0, 0.0), "SV 00000 00000"),
            ((216_667.0, 771_285.0), "NN 16667 71285"),
            ((651_409.0, 313_177.0), "TG 51409 13177"),
            ((530_000.0, 180_000.0), "TQ 30000 80000"),
            ((325_000.0, 673_000.0), "NT 25000 73000"),
            ((699_999.0, 1_299_999.0), "JM 99999 99999"),
        ];
        for ((e, n), want) in cases {
            assert_eq!(format_grid_ref(e, n).unwrap(), want, "({e}, {n})");
        }
    }

    #[test]
    fn outside_the_grid_is_an_error() {
        for (e, n) in [
            (-1.0, 10.0),
            (700_000.0, 10.0),
            (10.0, 1_300_000.0),
            (f64::NAN, 1.0),
        ] {
            let err = format_grid_ref(e, n).unwrap_err();
            assert!(err.to_string().contains("outside the OS National Grid"));
        }
    }
}
