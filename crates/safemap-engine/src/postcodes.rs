//! The `[postcodes]` directory: read once, before the service register and the sources,
//! which place their rows located only by postcode through it.

use crate::config::{JoinMode, Study};
use crate::error::EngineError;
use safemap_ingest::{read_postcode_directory, PostcodeColumns, PostcodeDirectory};

/// Reads the directory `[postcodes]` names, if any, with LSOA codes when a source joins by
/// `postcode_lsoa` (a full ONSPD holds millions of postcodes: nothing unused is kept).
pub fn load(study: &Study) -> Result<Option<PostcodeDirectory>, EngineError> {
    let Some(section) = &study.postcodes else {
        return Ok(None);
    };
    let columns = PostcodeColumns {
        postcode: section.postcode_column.clone(),
        easting: section.easting_column.clone(),
        northing: section.northing_column.clone(),
        lsoa: section.lsoa_column.clone(),
        terminated: section.terminated_column.clone(),
    };
    let with_lsoa = study
        .sources
        .iter()
        .any(|s| s.join == JoinMode::PostcodeLsoa);
    read_postcode_directory(
        &study.resolve(&section.path),
        &columns,
        with_lsoa,
        study.limits.input_limits(),
    )
    .map(Some)
    .map_err(|source| EngineError::ingest("postcodes", source))
}
