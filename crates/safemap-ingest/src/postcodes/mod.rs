//! Postcode geocoding: rows located by a UK postcode instead of coordinates, placed by an
//! ONS Postcode Directory (ONSPD) or NSPL-format file.
//!
//! | module | offers |
//! |---|---|
//! | [`postcode`] | [`Postcode`]: normalised (case, spaces) and checked in shape |
//! | [`directory`] | [`read_postcode_directory`], [`PostcodeColumns`], [`PostcodeDirectory`]: postcode → grid reference, termination, LSOA |
//!
//! How a reader locates a row with a postcode column ([`PostcodeLookup`]):
//!
//! - **Coordinates first.** A row with coordinates (or a grid reference) is placed by them;
//!   its postcode is not looked up.
//! - A row with only a postcode is placed at the directory's grid reference for it (British
//!   National Grid), or rejected: `NotAPostcode`, `UnknownPostcode`, `TerminatedPostcode`,
//!   `PostcodeWithoutLocation`, or `NoPostcodeDirectory` when the study names none.
//! - With [`PostcodeLookup::lsoa_as_area_code`] (`join = "postcode_lsoa"`) every row with a
//!   postcode is looked up, whether or not it has coordinates, and the directory's LSOA code
//!   becomes the row's area code; a row without a postcode has no area code.

pub mod directory;
pub mod postcode;

pub use directory::{read_postcode_directory, Placed, PostcodeColumns, PostcodeDirectory};
pub use postcode::Postcode;

use crate::source::Problem;
use safemap_types::CheckedCoord;

/// A postcode directory as an event reader uses it.
#[derive(Debug, Clone, Copy)]
pub struct PostcodeLookup<'d> {
    /// The directory.
    pub directory: &'d PostcodeDirectory,
    /// The row's area code is the directory's LSOA code for its postcode
    /// (`join = "postcode_lsoa"`).
    pub lsoa_as_area_code: bool,
}

/// Where a row is: its point, the area code the postcode gave, and whether the postcode
/// placed it.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Location {
    pub(crate) point: Option<CheckedCoord>,
    /// The directory's LSOA code, in [`PostcodeLookup::lsoa_as_area_code`] mode.
    pub(crate) area_code: Option<Box<str>>,
    pub(crate) by_postcode: bool,
}

/// The row's location from its checked coordinates `point` and the text of its postcode
/// column (`postcode` = (text, column name), `None` without a postcode column), as the
/// module docs describe.
pub(crate) fn locate(
    point: Option<CheckedCoord>,
    postcode: Option<(&str, &str)>,
    lookup: Option<PostcodeLookup<'_>>,
) -> Result<Location, Problem> {
    let postcode = postcode.filter(|(text, _)| !text.is_empty());
    let lsoa_mode = lookup.is_some_and(|l| l.lsoa_as_area_code);
    let Some((text, column)) = postcode.filter(|_| point.is_none() || lsoa_mode) else {
        return Ok(Location {
            point,
            ..Location::default()
        });
    };
    let lookup = lookup.ok_or_else(|| {
        Problem::at(
            column,
            text,
            safemap_types::RejectReason::NoPostcodeDirectory,
        )
    })?;
    let placed = lookup
        .directory
        .place(text)
        .map_err(|reason| Problem::at(column, text, reason))?;
    Ok(Location {
        point: point.or(Some(placed.point)),
        area_code: placed.lsoa.filter(|_| lsoa_mode).map(Into::into),
        by_postcode: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::InputLimits;
    use safemap_types::{Crs, RejectReason};

    fn directory() -> (tempfile::TempDir, PostcodeDirectory) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nspl.csv");
        std::fs::write(
            &p,
            "pcds,oseast1m,osnrth1m,lsoa11\nPL4 8AA,248710,54640,E01015106\n",
        )
        .unwrap();
        let d = read_postcode_directory(
            &p,
            &PostcodeColumns::default(),
            true,
            InputLimits::default(),
        )
        .unwrap();
        (dir, d)
    }

    #[test]
    fn coordinates_first_then_the_postcode() {
        let (_dir, d) = directory();
        let spatial = Some(PostcodeLookup {
            directory: &d,
            lsoa_as_area_code: false,
        });
        let own = CheckedCoord::new(250_000.0, 60_000.0, Crs::BritishNationalGrid).ok();
        let pc = Some(("pl4 8aa", "postcode"));
        let got = locate(own, pc, spatial).unwrap();
        assert_eq!((got.point, got.by_postcode), (own, false));
        // Coordinates win even over a postcode that would be rejected.
        assert!(locate(own, Some(("nonsense", "postcode")), spatial).is_ok());
        let got = locate(None, pc, spatial).unwrap();
        assert_eq!(
            got.point.map(|p| (p.x(), p.y())),
            Some((248_710.0, 54_640.0))
        );
        assert_eq!((got.area_code, got.by_postcode), (None, true));
        assert_eq!(
            locate(None, Some(("", "postcode")), spatial).unwrap(),
            Location::default()
        );
        let p = locate(None, Some(("PL5 5AA", "postcode")), spatial).unwrap_err();
        assert_eq!(
            (p.column.as_deref(), p.value.as_str(), p.reason),
            (Some("postcode"), "PL5 5AA", RejectReason::UnknownPostcode)
        );
        let p = locate(None, pc, None).unwrap_err();
        assert_eq!(p.reason, RejectReason::NoPostcodeDirectory);
        assert_eq!(locate(own, pc, None).unwrap().point, own);
    }

    #[test]
    fn lsoa_mode_looks_up_every_postcode() {
        let (_dir, d) = directory();
        let lsoa = Some(PostcodeLookup {
            directory: &d,
            lsoa_as_area_code: true,
        });
        let own = CheckedCoord::new(250_000.0, 60_000.0, Crs::BritishNationalGrid).ok();
        let got = locate(own, Some(("PL48AA", "pc")), lsoa).unwrap();
        assert_eq!(
            (got.point, got.area_code.as_deref()),
            (own, Some("E01015106"))
        );
        assert_eq!(
            locate(own, Some(("PL5 5AA", "pc")), lsoa)
                .unwrap_err()
                .reason,
            RejectReason::UnknownPostcode
        );
        assert_eq!(locate(own, None, lsoa).unwrap().area_code, None);
    }
}
