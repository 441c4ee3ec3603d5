//! `[postcodes]`: the postcode directory that places rows located by postcode, and the
//! checks of `join = "postcode_lsoa"`.

use super::{ConfigError, JoinMode, SourceFormat, Study};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `[postcodes]`: an ONS Postcode Directory (ONSPD) or National Statistics Postcode Lookup
/// (NSPL) CSV, or any CSV in their layout. Every column has the ONSPD/NSPL name as default.
///
/// ```toml
/// [postcodes]
/// path = "ONSPD_FEB_2025_UK.csv.gz"
/// postcode_column = "pcds"        # default: the first of pcds, pcd, pcd2, postcode
/// easting_column = "oseast1m"     # British National Grid metres
/// northing_column = "osnrth1m"
/// lsoa_column = "lsoa11"          # for join = "postcode_lsoa": lsoa11 or lsoa21, whichever the file has
/// terminated_column = "doterm"    # default: doterm if the file has it
/// ```
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PostcodesSection {
    /// The CSV file (plain or `.gz`).
    pub path: PathBuf,
    /// Column of the postcode.
    pub postcode_column: Option<String>,
    /// Column of the easting.
    pub easting_column: Option<String>,
    /// Column of the northing.
    pub northing_column: Option<String>,
    /// Column of the LSOA code (read only when a source joins by `postcode_lsoa`).
    pub lsoa_column: Option<String>,
    /// Column of the termination date (`YYYYMM`, empty for a live postcode).
    pub terminated_column: Option<String>,
}

/// Checks `[postcodes]` (no empty column name) and every `join = "postcode_lsoa"` (it needs
/// `[postcodes]`, and rows that can carry a postcode).
pub(super) fn check(study: &Study) -> Result<(), ConfigError> {
    if let Some(section) = &study.postcodes {
        for (key, column) in [
            ("postcode_column", &section.postcode_column),
            ("easting_column", &section.easting_column),
            ("northing_column", &section.northing_column),
            ("lsoa_column", &section.lsoa_column),
            ("terminated_column", &section.terminated_column),
        ] {
            if column.as_ref().is_some_and(|c| c.trim().is_empty()) {
                return Err(study.invalid(
                    &format!("postcodes.{key}"),
                    "\"\"",
                    "a column name, or leave the key out for the ONSPD/NSPL name",
                ));
            }
        }
    }
    for (i, src) in study.sources.iter().enumerate() {
        if src.join != JoinMode::PostcodeLsoa {
            continue;
        }
        let key = format!("source[{i}].join");
        if src.format == SourceFormat::PoliceUk {
            return Err(study.invalid(
                &key,
                "\"postcode_lsoa\"",
                "police_uk rows have no postcode: use \"spatial\" or \"code\"",
            ));
        }
        if study.postcodes.is_none() {
            return Err(study.invalid(
                &key,
                "\"postcode_lsoa\"",
                "a [postcodes] section naming the postcode directory whose LSOA codes to use",
            ));
        }
        let has_postcode_column = src
            .columns
            .as_ref()
            .is_some_and(|c| c.contains_key("postcode"));
        if src.format.is_mapped_events() && !has_postcode_column {
            return Err(study.invalid(
                &key,
                "\"postcode_lsoa\"",
                "a postcode column in [source.columns] (postcode = \"...\")",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{write, MINIMAL};
    use super::super::Study;

    const ED: &str = "[[source]]\nname = \"ed\"\nformat = \"ed_istv\"\npaths = [\"ed.csv\"]\njoin = \"postcode_lsoa\"\n";

    #[test]
    fn postcode_lsoa_needs_a_directory_and_postcodes() {
        let (_dir, path) = write(&format!("{MINIMAL}{ED}"));
        let err = Study::load(&path).unwrap_err().to_string();
        assert!(
            err.contains("source[1].join") && err.contains("[postcodes]"),
            "{err}"
        );
        let with = format!("{MINIMAL}{ED}[postcodes]\npath = \"onspd.csv\"\n");
        let (_dir, path) = write(&with);
        let s = Study::load(&path).unwrap();
        assert_eq!(s.postcodes.unwrap().path.to_str(), Some("onspd.csv"));
        let police = with.replacen("join = \"spatial\"", "join = \"postcode_lsoa\"", 1);
        let (_dir, path) = write(&police);
        let err = Study::load(&path).unwrap_err().to_string();
        assert!(
            err.contains("source[0].join") && err.contains("police_uk rows have no postcode"),
            "{err}"
        );
    }

    #[test]
    fn columns_are_checked_and_unknown_keys_named() {
        let (_dir, path) = write(&format!(
            "{MINIMAL}[postcodes]\npath = \"onspd.csv\"\nlsoa_column = \" \"\n"
        ));
        let err = Study::load(&path).unwrap_err().to_string();
        assert!(err.contains("postcodes.lsoa_column"), "{err}");
        let (_dir, path) = write(&format!(
            "{MINIMAL}[postcodes]\npath = \"onspd.csv\"\npostcode = \"pcd\"\n"
        ));
        let err = Study::load(&path).unwrap_err().to_string();
        assert!(err.contains("unknown field `postcode`"), "{err}");
    }
}
