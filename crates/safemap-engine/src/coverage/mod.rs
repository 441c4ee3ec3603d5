//! Coverage: which (area, month) cells a source's input files cover.
//!
//! An area that no input file covers for a month has **no data** for that month, not zero
//! events. A cell that is not covered has no count (its rows, if any, are not counted),
//! and an area with any uncovered month in a period has no value for that period: not a
//! partial count presented as a full one. Areas without data are left out of rates, the
//! study-wide rate, expected counts, Empirical Bayes and every spatial statistic.
//!
//! How coverage is worked out ([`CoverageMethod`]):
//! - data.police.uk sources ([`police_uk`]): each file is one force's month
//!   (`YYYY-MM-<force>-street.csv`). Each study area belongs to one force, taken from a
//!   force-area boundary file when the source names one (`coverage = { force_areas = ... }`),
//!   else inferred from the rows; the area is covered in a month when its force has a file
//!   for that month.
//! - Every other source covers every area for every month it spans.
//!
//! The expected months are the study period, or else the span of months seen (file names
//! for police.uk, joined events otherwise).

mod force_areas;
pub mod police_uk;

use crate::areas::AreaTable;
use crate::config::{SourceFormat, SourceSection, Study};
use crate::error::EngineError;
use crate::joined::Joined;
use crate::sources::LoadedSource;
pub use safemap_results::coverage::{Coverage, CoverageMethod, MissingForceMonth};

/// Works out the coverage of one source from its files and its joined events.
pub fn of_source(
    study: &Study,
    section: &SourceSection,
    loaded: &LoadedSource,
    joined: &Joined,
    areas: &AreaTable,
) -> Result<Coverage, EngineError> {
    if section.format == SourceFormat::PoliceUk {
        return police_uk::coverage(study, section, &loaded.data.files, joined, areas);
    }
    let months = study.period.or_else(|| joined.span());
    Ok(Coverage::complete(
        CoverageMethod::WholeSpan,
        months,
        areas.areas.len(),
    ))
}
