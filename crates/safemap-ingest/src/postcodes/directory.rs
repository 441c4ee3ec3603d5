//! [`read_postcode_directory`]: an ONS Postcode Directory (ONSPD) or National Statistics
//! Postcode Lookup (NSPL) CSV, or any table in their layout, to a [`PostcodeDirectory`].

use super::Postcode;
use crate::coords::check_coord;
use crate::csv_records::MAX_RECORD_LINES;
use crate::open::{field, CsvInput};
use crate::source::Problem;
use crate::{IngestError, InputLimits};
use safemap_types::{CheckedCoord, Crs, Reject, RejectReason};
use std::collections::hash_map::Entry as MapEntry;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The columns of a postcode directory; `None` means the ONSPD/NSPL name.
///
/// | field | absent |
/// |---|---|
/// | `postcode` | the first of `pcds`, `pcd`, `pcd2`, `postcode` in the header |
/// | `easting`, `northing` | `oseast1m`, `osnrth1m` (British National Grid metres) |
/// | `lsoa` | read only when asked for: `lsoa11` or `lsoa21`, whichever the header has (it must name one when it has both) |
/// | `terminated` | `doterm` if the header has it, else no postcode is terminated |
///
/// A column named here must be in the header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PostcodeColumns {
    /// The postcode (any case and spacing).
    pub postcode: Option<String>,
    /// Easting (British National Grid).
    pub easting: Option<String>,
    /// Northing (British National Grid).
    pub northing: Option<String>,
    /// The LSOA code of the postcode.
    pub lsoa: Option<String>,
    /// Date of termination (`YYYYMM`; empty for a live postcode).
    pub terminated: Option<String>,
}

/// The postcode columns the header may have, in order of preference.
const POSTCODE_COLUMNS: [&str; 4] = ["pcds", "pcd", "pcd2", "postcode"];
/// The LSOA columns of ONSPD and NSPL.
const LSOA_COLUMNS: [&str; 2] = ["lsoa11", "lsoa21"];
/// `lsoa` of an [`Entry`] without an LSOA code.
const NO_LSOA: u32 = u32::MAX;

/// One postcode of the directory.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    /// Its grid reference; `None` when the directory gives none.
    point: Option<CheckedCoord>,
    /// Index into [`PostcodeDirectory::lsoa_codes`], or [`NO_LSOA`].
    lsoa: u32,
    /// Month of termination as `YYYYMM`; 0 for a live postcode.
    terminated: u32,
}

/// Postcodes with their grid reference, termination date and (when asked for) LSOA code,
/// keyed by normalised [`Postcode`]. LSOA codes are interned: a directory of millions of
/// postcodes holds each of its tens of thousands of codes once.
#[derive(Debug, Clone, PartialEq)]
pub struct PostcodeDirectory {
    /// The file read.
    pub path: PathBuf,
    /// The postcode column, for messages.
    pub postcode_column: String,
    /// Data rows read (header excluded).
    pub read: u64,
    /// Rows that could not be used (`read == len() + rejects.len()`).
    pub rejects: Vec<Reject>,
    entries: HashMap<Postcode, Entry>,
    lsoa_codes: Vec<Box<str>>,
    /// Whether LSOA codes were read.
    has_lsoa: bool,
}

/// Where a postcode is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed<'d> {
    /// Its grid reference (British National Grid).
    pub point: CheckedCoord,
    /// Its LSOA code, when the directory was read with LSOA codes and gives one.
    pub lsoa: Option<&'d str>,
}

impl PostcodeDirectory {
    /// Number of postcodes held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the directory holds no postcode.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether the directory was read with LSOA codes.
    pub fn has_lsoa(&self) -> bool {
        self.has_lsoa
    }

    /// Places the postcode written as `text` (any case and spacing), or says why not:
    /// [`RejectReason::NotAPostcode`], [`RejectReason::UnknownPostcode`],
    /// [`RejectReason::TerminatedPostcode`] (checked before the location), or
    /// [`RejectReason::PostcodeWithoutLocation`].
    pub fn place(&self, text: &str) -> Result<Placed<'_>, RejectReason> {
        let code = Postcode::parse(text).ok_or(RejectReason::NotAPostcode)?;
        let entry = self
            .entries
            .get(&code)
            .ok_or(RejectReason::UnknownPostcode)?;
        if entry.terminated != 0 {
            return Err(RejectReason::TerminatedPostcode {
                terminated: entry.terminated.to_string(),
            });
        }
        let point = entry.point.ok_or(RejectReason::PostcodeWithoutLocation)?;
        let lsoa = self.lsoa_codes.get(entry.lsoa as usize).map(|code| &**code);
        Ok(Placed { point, lsoa })
    }
}

/// Reads a postcode directory (plain or `.gz` CSV) through `columns`, with LSOA codes when
/// `with_lsoa`.
///
/// Per row: the postcode must be one in shape ([`Postcode::parse`]; else `NotAPostcode`,
/// empty `MissingValue`); easting and northing are checked as the crate docs describe,
/// both empty meaning a postcode without a grid reference (kept: a row placed by it says
/// so); a termination date must be empty or `YYYYMM`; a postcode seen before is
/// `DuplicatePostcode` (the first row keeps it). Only the columns used are decoded: 2.7
/// million ONSPD-like rows of 51 columns (1.1 GB) load in about 7 seconds (release build).
///
/// # Errors
///
/// [`IngestError::MissingColumn`] for a named or required column not in the header (or no
/// LSOA column when `with_lsoa`), [`IngestError::ConflictingMapping`] when `with_lsoa` and
/// the header has both `lsoa11` and `lsoa21` but `columns.lsoa` names neither, a limit
/// passed ([`InputLimits`]), and I/O errors.
pub fn read_postcode_directory(
    path: &Path,
    columns: &PostcodeColumns,
    with_lsoa: bool,
    limits: InputLimits,
) -> Result<PostcodeDirectory, IngestError> {
    let input = CsvInput::open(path, MAX_RECORD_LINES, limits)?;
    let named_or_first = |named: &Option<String>, defaults: &[&str]| -> Result<_, IngestError> {
        match named {
            Some(name) => Ok((input.column(name)?, name.clone())),
            None => defaults
                .iter()
                .find_map(|d| input.has_column(d).map(|i| (i, d.to_string())))
                .map_or_else(
                    || {
                        input
                            .column(&defaults.join(" or "))
                            .map(|i| (i, String::new()))
                    },
                    Ok,
                ),
        }
    };
    let (postcode_i, postcode_column) = named_or_first(&columns.postcode, &POSTCODE_COLUMNS)?;
    let (easting_i, easting) = named_or_first(&columns.easting, &["oseast1m"])?;
    let (northing_i, northing) = named_or_first(&columns.northing, &["osnrth1m"])?;
    let terminated = match &columns.terminated {
        Some(name) => Some((input.column(name)?, name.clone())),
        None => input
            .has_column("doterm")
            .map(|i| (i, "doterm".to_string())),
    };
    let lsoa = if with_lsoa {
        let found: Vec<&str> = LSOA_COLUMNS
            .into_iter()
            .filter(|c| input.has_column(c).is_some())
            .collect();
        if columns.lsoa.is_none() && found.len() > 1 {
            return Err(IngestError::ConflictingMapping {
                path: path.to_path_buf(),
                message: "has both lsoa11 and lsoa21 columns: say which matches the study's boundaries with lsoa_column".into(),
            });
        }
        Some(named_or_first(&columns.lsoa, &LSOA_COLUMNS)?)
    } else {
        None
    };

    let mut entries = HashMap::new();
    let mut lsoa_ids: HashMap<Box<str>, u32> = HashMap::new();
    let mut lsoa_codes: Vec<Box<str>> = Vec::new();
    let mut rejects = Vec::new();
    let read = input.for_each_row(&mut rejects, |rec, _line| {
        let text = field(rec, postcode_i, &postcode_column)?;
        if text.is_empty() {
            return Err(Problem::at(
                &postcode_column,
                "",
                RejectReason::MissingValue,
            ));
        }
        let code = Postcode::parse(text)
            .ok_or_else(|| Problem::at(&postcode_column, text, RejectReason::NotAPostcode))?;
        let point = check_coord(
            field(rec, easting_i, &easting)?,
            field(rec, northing_i, &northing)?,
            (&easting, &northing),
            Crs::BritishNationalGrid,
        )?;
        let terminated = match &terminated {
            Some((i, name)) => month(field(rec, *i, name)?, name)?,
            None => 0,
        };
        let lsoa = match &lsoa {
            Some((i, name)) => match field(rec, *i, name)? {
                "" => NO_LSOA,
                code => *lsoa_ids.entry(code.into()).or_insert_with(|| {
                    lsoa_codes.push(code.into());
                    (lsoa_codes.len() - 1) as u32
                }),
            },
            None => NO_LSOA,
        };
        match entries.entry(code) {
            MapEntry::Vacant(e) => {
                e.insert(Entry {
                    point,
                    lsoa,
                    terminated,
                });
                Ok(())
            }
            MapEntry::Occupied(_) => Err(Problem::at(
                &postcode_column,
                text,
                RejectReason::DuplicatePostcode,
            )),
        }
    })?;
    debug_assert_eq!(read, (entries.len() + rejects.len()) as u64);
    Ok(PostcodeDirectory {
        path: path.to_path_buf(),
        postcode_column,
        read,
        rejects,
        entries,
        lsoa_codes,
        has_lsoa: lsoa.is_some(),
    })
}

/// A termination date: empty is 0 (live), else `YYYYMM` as a number.
fn month(text: &str, column: &str) -> Result<u32, Problem> {
    if text.is_empty() {
        return Ok(0);
    }
    let month_ok = text.len() == 6
        && text.bytes().all(|b| b.is_ascii_digit())
        && (1..=12).contains(&text[4..].parse::<u32>().unwrap_or(0));
    match text.parse::<u32>() {
        Ok(v) if month_ok => Ok(v),
        _ => Err(Problem::at(
            column,
            text,
            RejectReason::InvalidValue {
                expected: "a month as YYYYMM, or empty for a live postcode".into(),
            },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONSPD: &str = "pcd,pcd2,pcds,dointr,doterm,oseast1m,osnrth1m,lsoa11,lsoa21\n\
        PL4 8AA,PL4  8AA,PL4 8AA,198001,,248710,54640,E01015106,E01015106\n\
        PL1 1AA,PL1  1AA,PL1 1AA,198001,200412,247500,54400,E01015000,E01015000\n\
        PL9 9ZZ,PL9  9ZZ,PL9 9ZZ,198001,,,,,\n\
        XX,XX,XX,198001,,1,1,,\n\
        pl48aa,x,pl48aa,198001,,1,1,,\n\
        PL2 2BB,PL2  2BB,PL2 2BB,198001,2004-12,248000,55000,,\n\
        PL3 3CC,PL3  3CC,PL3 3CC,198001,,248000,9999999,,\n";

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("onspd.csv");
        std::fs::write(&p, text).unwrap();
        (dir, p)
    }

    #[test]
    fn reads_the_onspd_layout_and_places_postcodes() {
        let (_dir, p) = write(ONSPD);
        let cols = PostcodeColumns {
            lsoa: Some("lsoa11".into()),
            ..PostcodeColumns::default()
        };
        let d = read_postcode_directory(&p, &cols, true, InputLimits::default()).unwrap();
        assert_eq!((d.read, d.len(), d.rejects.len()), (7, 3, 4));
        assert_eq!(d.postcode_column, "pcds");
        let placed = d.place(" pl4  8aa ").unwrap();
        assert_eq!((placed.point.x(), placed.point.y()), (248_710.0, 54_640.0));
        assert_eq!(placed.point.crs(), Crs::BritishNationalGrid);
        assert_eq!(placed.lsoa, Some("E01015106"));
        assert_eq!(
            d.place("PL1 1AA"),
            Err(RejectReason::TerminatedPostcode {
                terminated: "200412".into()
            })
        );
        assert_eq!(
            d.place("PL9 9ZZ"),
            Err(RejectReason::PostcodeWithoutLocation)
        );
        assert_eq!(d.place("PL5 5AA"), Err(RejectReason::UnknownPostcode));
        assert_eq!(d.place("not known"), Err(RejectReason::NotAPostcode));
        let reasons: Vec<_> = d
            .rejects
            .iter()
            .map(|r| {
                (
                    r.line,
                    r.column.clone().unwrap_or_default(),
                    r.reason.clone(),
                )
            })
            .collect();
        assert_eq!(reasons[0], (5, "pcds".into(), RejectReason::NotAPostcode));
        assert_eq!(
            reasons[1],
            (6, "pcds".into(), RejectReason::DuplicatePostcode)
        );
        assert_eq!(reasons[2].1, "doterm");
        assert_eq!(
            reasons[3],
            (8, "oseast1m, osnrth1m".into(), RejectReason::OutsideGrid)
        );
    }

    #[test]
    fn lsoa_columns_are_read_only_when_asked_and_must_be_unambiguous() {
        let (_dir, p) = write(ONSPD);
        let d = read_postcode_directory(
            &p,
            &PostcodeColumns::default(),
            false,
            InputLimits::default(),
        )
        .unwrap();
        assert!(!d.has_lsoa());
        assert_eq!(d.place("PL4 8AA").unwrap().lsoa, None);
        let err = read_postcode_directory(
            &p,
            &PostcodeColumns::default(),
            true,
            InputLimits::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("lsoa_column"), "{err}");
        let (_dir2, p2) = write("postcode,oseast1m,osnrth1m\nPL4 8AA,248710,54640\n");
        let err = read_postcode_directory(
            &p2,
            &PostcodeColumns::default(),
            true,
            InputLimits::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("lsoa11 or lsoa21"), "{err}");
        let d = read_postcode_directory(
            &p2,
            &PostcodeColumns::default(),
            false,
            InputLimits::default(),
        )
        .unwrap();
        assert_eq!(d.postcode_column, "postcode");
        let named = PostcodeColumns {
            terminated: Some("doterm".into()),
            ..PostcodeColumns::default()
        };
        let err = read_postcode_directory(&p2, &named, false, InputLimits::default()).unwrap_err();
        assert!(
            matches!(err, IngestError::MissingColumn { ref column, .. } if column == "doterm"),
            "{err}"
        );
    }
}
