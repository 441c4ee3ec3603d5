//! Reject records: rows that could not be used, and why.

use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// Why a row was rejected. The `Display` text is the `reason` column of `rejects.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub enum RejectReason {
    /// Both coordinate fields are empty (police.uk rows with no location).
    NoCoordinates,
    /// A numeric field could not be parsed.
    UnparsableNumber,
    /// A number (coordinate, capacity, cost) is NaN or infinite.
    NotANumber,
    /// Latitude outside -90..90.
    LatitudeOutOfRange,
    /// Longitude outside -180..180.
    LongitudeOutOfRange,
    /// The values look like latitude and longitude in each other's columns.
    SwappedLatLon,
    /// Easting/northing outside the British National Grid.
    OutsideGrid,
    /// A date or time did not match the expected format.
    BadDate {
        /// The format that was expected, e.g. `YYYY-MM`.
        expected: String,
    },
    /// The category has no entry in the study's category mapping.
    UnknownCategory,
    /// The area code is not in the boundary set (code join).
    UnknownAreaCode,
    /// The row has no area code (code join).
    NoAreaCode,
    /// A quoted field opens on this line and does not close as a row can (it is still open
    /// at the end of the line, or of the file, or closing it on a later line gives a row
    /// with the wrong number of fields); the lines after it are read as rows.
    UnbalancedQuote,
    /// The row has a different number of fields from the header.
    WrongFieldCount {
        /// Fields in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
    },
    /// A required field is empty.
    MissingValue,
    /// A value is not one of the accepted names (service kind, tier, yes/no flag).
    UnknownValue {
        /// The accepted values.
        expected: String,
    },
    /// A value is of the right type but not allowed (a negative capacity or cost, a service
    /// kind that is not a slug).
    InvalidValue {
        /// What is allowed.
        expected: String,
    },
    /// An area code appears twice in a keyed table (population, deprivation, boundaries,
    /// centroids).
    DuplicateAreaCode,
    /// A service id appears twice in a service register (the first row keeps it).
    DuplicateId,
    /// An (origin, service) pair appears twice in a travel-cost matrix (the first row keeps
    /// it).
    DuplicatePair,
    /// The bytes are not valid UTF-8.
    InvalidUtf8,
    /// An Ordnance Survey grid reference (e.g. `SX 47123 54321`) could not be read.
    BadGridReference,
    /// The location is a postcode, but not one in shape (e.g. `PL4 8AA`).
    NotAPostcode,
    /// A well-formed postcode the study's postcode directory does not list.
    UnknownPostcode,
    /// A postcode the directory lists as terminated (no longer in use).
    TerminatedPostcode {
        /// When it was terminated, as the directory writes it (`YYYYMM`).
        terminated: String,
    },
    /// A postcode the directory lists without a grid reference.
    PostcodeWithoutLocation,
    /// The row is located only by a postcode, but the study names no postcode directory.
    NoPostcodeDirectory,
    /// A postcode appears twice in the postcode directory (the first row keeps it).
    DuplicatePostcode,
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectReason::NoCoordinates => f.write_str("no coordinates"),
            RejectReason::UnparsableNumber => f.write_str("unparsable number"),
            RejectReason::NotANumber => f.write_str("number is NaN or infinite"),
            RejectReason::LatitudeOutOfRange => {
                f.write_str("latitude out of range (expected -90 to 90)")
            }
            RejectReason::LongitudeOutOfRange => {
                f.write_str("longitude out of range (expected -180 to 180)")
            }
            RejectReason::SwappedLatLon => f.write_str("latitude and longitude appear swapped"),
            RejectReason::OutsideGrid => {
                f.write_str("easting/northing outside the British National Grid")
            }
            RejectReason::BadDate { expected } => write!(f, "bad date (expected {expected})"),
            RejectReason::UnknownCategory => {
                f.write_str("unknown category (not in the study's category mapping)")
            }
            RejectReason::UnknownAreaCode => f.write_str("area code not in the boundary set"),
            RejectReason::NoAreaCode => f.write_str("no area code"),
            RejectReason::UnbalancedQuote => f.write_str(
                "unbalanced quote: the quoted field starting here does not close on this line (the lines after it are read as rows)",
            ),
            RejectReason::WrongFieldCount { expected, found } => {
                write!(
                    f,
                    "wrong number of fields (expected {expected}, found {found})"
                )
            }
            RejectReason::MissingValue => f.write_str("missing value"),
            RejectReason::UnknownValue { expected } => {
                write!(f, "unknown value (expected one of {expected})")
            }
            RejectReason::InvalidValue { expected } => {
                write!(f, "invalid value (expected {expected})")
            }
            RejectReason::DuplicateAreaCode => f.write_str("duplicate area code"),
            RejectReason::DuplicateId => {
                f.write_str("duplicate service id (an earlier row has it)")
            }
            RejectReason::DuplicatePair => {
                f.write_str("duplicate origin and service pair (an earlier row has it)")
            }
            RejectReason::InvalidUtf8 => f.write_str("invalid UTF-8"),
            RejectReason::BadGridReference => f.write_str(
                "bad OS grid reference (expected two letters then 4, 6, 8 or 10 digits, e.g. SX 47123 54321)",
            ),
            RejectReason::NotAPostcode => {
                f.write_str("not a postcode (expected a UK postcode such as PL4 8AA)")
            }
            RejectReason::UnknownPostcode => {
                f.write_str("unknown postcode (not in the postcode directory)")
            }
            RejectReason::TerminatedPostcode { terminated } => {
                write!(f, "terminated postcode (terminated {terminated})")
            }
            RejectReason::PostcodeWithoutLocation => {
                f.write_str("postcode without a grid reference in the postcode directory")
            }
            RejectReason::NoPostcodeDirectory => f.write_str(
                "located only by a postcode, but the study has no [postcodes] directory",
            ),
            RejectReason::DuplicatePostcode => {
                f.write_str("duplicate postcode (an earlier row has it)")
            }
        }
    }
}

/// One rejected row: which file and line, which column and value, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reject {
    /// The input file.
    pub file: PathBuf,
    /// 1-based line number (header is line 1).
    pub line: u64,
    /// The column at fault, if one is.
    pub column: Option<String>,
    /// The offending value (empty when the value is missing).
    pub value: String,
    /// Why the row was rejected.
    pub reason: RejectReason,
}
