//! [`read_event_csv`]: a generic incident CSV (a police force's own extract) read through a
//! column mapping from the study file.

use crate::coords::check_coord;
use crate::csv_records::MAX_RECORD_LINES;
use crate::datetime::TimeFormat;
use crate::open::{field, CsvInput};
use crate::postcodes::{locate, PostcodeLookup};
use crate::source::{read_in_parallel, FileCategories, FileEvents, Problem};
use crate::values::yes_no;
use crate::{CategoryMapping, IngestError, InputLimits, SourceRead};
use safemap_types::{Crs, Event, Flags, RejectReason, RowRef};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Which columns of an incident CSV hold what, as written in the study file.
///
/// ```
/// let m: safemap_ingest::EventCsvMapping = serde_json::from_str(r#"{
///     "x": "easting", "y": "northing", "crs": "EPSG:27700",
///     "time": "occurred_at", "time_format": "%Y-%m-%d %H:%M",
///     "category": "offence", "domestic_abuse": "domestic_abuse"
/// }"#).unwrap();
/// assert_eq!(m.crs, safemap_types::Crs::BritishNationalGrid);
/// ```
#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventCsvMapping {
    /// Column of the x coordinate (longitude or easting).
    pub x: String,
    /// Column of the y coordinate (latitude or northing).
    pub y: String,
    /// CRS of x/y: `"EPSG:4326"` (longitude/latitude) or `"EPSG:27700"` (easting/northing).
    pub crs: Crs,
    /// Column of the date/time.
    pub time: String,
    /// chrono strftime format of `time`, e.g. `"%Y-%m-%d %H:%M"`. A format with no time of
    /// day (e.g. `"%Y-%m"`) makes a month-precision source.
    pub time_format: String,
    /// Column of the category (offence type).
    pub category: String,
    /// Column of an area code (e.g. LSOA), if the extract has one.
    #[serde(default)]
    pub area_code: Option<String>,
    /// Column of the domestic-abuse flag (yes/no).
    #[serde(default)]
    pub domestic_abuse: Option<String>,
    /// Column of the alcohol flag (yes/no).
    #[serde(default)]
    pub alcohol: Option<String>,
    /// Column of the weapon flag (yes/no).
    #[serde(default)]
    pub weapon: Option<String>,
    /// Column of a postcode, used when x and y are empty (see [`crate::postcodes`]).
    #[serde(default)]
    pub postcode: Option<String>,
}

/// Reads incident CSV files through `mapping`.
///
/// - x/y are checked as the crate docs describe; both empty gives an event with
///   `point: None` (as for police.uk; the engine decides).
/// - `time` is parsed with `time_format`; a mismatch is rejected with
///   `BadDate { expected: <the format> }`.
/// - `category` goes through `categories` (empty is `MissingValue`).
/// - Flag columns accept yes/no, y/n, true/false, 1/0 (any case), empty = no; anything else
///   is rejected with `UnknownValue`.
/// - `area_code`, when mapped, is the event's area code (`None` when empty).
/// - `postcode`, when mapped, places a row whose x and y are empty through `postcodes`
///   (see [`crate::postcodes`] for its rejects, and for `postcode_lsoa`, whose LSOA code
///   replaces `area_code`).
///
/// A row with several problems is rejected for the first found, in the order: location,
/// time, flags, category.
///
/// # Errors
///
/// [`IngestError::MissingColumn`] when a mapped column is not in a file's header (naming the
/// column, the file and the columns it has), [`IngestError::BadTimeFormat`], a limit passed
/// ([`InputLimits`]), and I/O errors.
pub fn read_event_csv(
    files: &[PathBuf],
    mapping: &EventCsvMapping,
    categories: &CategoryMapping,
    limits: InputLimits,
    postcodes: Option<PostcodeLookup<'_>>,
) -> Result<SourceRead, IngestError> {
    let format = TimeFormat::new(&mapping.time_format)?;
    read_in_parallel(
        files,
        categories,
        mapping.crs,
        format.has_time_of_day,
        |i, path| read_file(i, path, mapping, &format, categories, limits, postcodes),
    )
}

fn read_file(
    index: u32,
    path: &Path,
    m: &EventCsvMapping,
    format: &TimeFormat,
    mapping: &CategoryMapping,
    limits: InputLimits,
    postcodes: Option<PostcodeLookup<'_>>,
) -> Result<FileEvents, IngestError> {
    let input = CsvInput::open(path, MAX_RECORD_LINES, limits)?;
    let (x_col, y_col, time_col, category_col) = (
        input.column(&m.x)?,
        input.column(&m.y)?,
        input.column(&m.time)?,
        input.column(&m.category)?,
    );
    let area_code = input.optional_column(m.area_code.as_deref())?;
    let postcode = input.optional_column(m.postcode.as_deref())?;
    let postcode_name = m.postcode.as_deref().unwrap_or_default();
    let mut by_postcode = 0;
    let flag_columns: Vec<(usize, &str, Flags)> = [
        (&m.domestic_abuse, Flags::DOMESTIC_ABUSE),
        (&m.alcohol, Flags::ALCOHOL),
        (&m.weapon, Flags::WEAPON),
    ]
    .into_iter()
    .filter_map(|(col, flag)| {
        col.as_deref()
            .map(|c| input.column(c).map(|i| (i, c, flag)))
    })
    .collect::<Result<_, _>>()?;

    let mut cats = FileCategories::new(mapping);
    let mut events = Vec::new();
    let mut rejects = Vec::new();
    let read = input.for_each_row(&mut rejects, |rec, line| {
        let point = check_coord(
            field(rec, x_col, &m.x)?,
            field(rec, y_col, &m.y)?,
            (&m.x, &m.y),
            m.crs,
        )?;
        let postcode = postcode
            .map(|i| field(rec, i, postcode_name).map(|text| (text, postcode_name)))
            .transpose()?;
        let located = locate(point, postcode, postcodes)?;
        let time_text = field(rec, time_col, &m.time)?;
        let when = format.parse(time_text).ok_or_else(|| {
            Problem::at(
                &m.time,
                time_text,
                RejectReason::BadDate {
                    expected: format.text.clone(),
                },
            )
        })?;
        let mut flags = Flags::empty();
        for &(col, column, flag) in &flag_columns {
            flags.set(flag, yes_no(field(rec, col, column)?, column)?);
        }
        let area_code = match area_code {
            _ if postcodes.is_some_and(|p| p.lsoa_as_area_code) => located.area_code,
            Some(col) => {
                let code = field(rec, col, m.area_code.as_deref().unwrap_or_default())?;
                (!code.is_empty()).then(|| code.into())
            }
            None => None,
        };
        // Last, so that only rows that become events add categories.
        let category = cats.resolve(&m.category, field(rec, category_col, &m.category)?)?;
        by_postcode += u64::from(located.by_postcode);
        events.push(Event {
            origin: RowRef { file: index, line },
            point: located.point,
            area_code,
            time: when,
            category,
            flags,
        });
        Ok(())
    })?;
    FileEvents::new(path, events, rejects, read, cats, by_postcode)
}

#[cfg(test)]
mod tests {
    use super::*;
    use safemap_types::EventTime;

    fn mapping() -> EventCsvMapping {
        EventCsvMapping {
            x: "easting".into(),
            y: "northing".into(),
            crs: Crs::BritishNationalGrid,
            time: "occurred_at".into(),
            time_format: "%Y-%m-%d %H:%M".into(),
            category: "offence".into(),
            area_code: None,
            domestic_abuse: Some("domestic_abuse".into()),
            alcohol: None,
            weapon: None,
            postcode: None,
        }
    }

    #[test]
    fn reads_the_synthetic_force_layout() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("force.csv");
        std::fs::write(
            &p,
            "incident_id,occurred_at,easting,northing,offence,domestic_abuse\n\
             1,2024-03-15 22:41,248100,54500,violence_with_injury,no\n\
             2,2024-03-16 01:05,248200,54600,violence_with_injury,YES\n\
             3,2024-03-16 1:05pm,248200,54600,violence_with_injury,no\n\
             4,2024-03-16 02:00,248200,54600,public_order,perhaps\n",
        )
        .unwrap();
        let got = read_event_csv(
            &[p],
            &mapping(),
            &CategoryMapping::default(),
            InputLimits::default(),
            None,
        )
        .unwrap();
        assert_eq!((got.read, got.events.len(), got.rejects.len()), (4, 2, 2));
        assert!(got.has_timestamps);
        assert_eq!(got.crs, Crs::BritishNationalGrid);
        assert!(!got.events[0].flags.contains(Flags::DOMESTIC_ABUSE));
        assert!(got.events[1].flags.contains(Flags::DOMESTIC_ABUSE));
        assert_eq!(got.events[1].time.to_string(), "2024-03-16T01:05:00");
        assert_eq!(
            got.rejects[0].reason,
            RejectReason::BadDate {
                expected: "%Y-%m-%d %H:%M".into()
            }
        );
        assert_eq!(got.rejects[0].line, 4);
        assert_eq!(got.rejects[1].column.as_deref(), Some("domestic_abuse"));
        // Only categories of events are listed when there is no mapping.
        assert_eq!(got.categories, ["violence_with_injury"]);
    }

    #[test]
    fn month_precision_and_missing_column() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.csv");
        std::fs::write(&p, "month,lon,lat,type\n2019-01,-4.1,50.3,a\n").unwrap();
        let m = EventCsvMapping {
            x: "lon".into(),
            y: "lat".into(),
            crs: Crs::Wgs84,
            time: "month".into(),
            time_format: "%Y-%m".into(),
            category: "type".into(),
            area_code: None,
            domestic_abuse: None,
            alcohol: None,
            weapon: None,
            postcode: None,
        };
        let got = read_event_csv(
            std::slice::from_ref(&p),
            &m,
            &CategoryMapping::default(),
            InputLimits::default(),
            None,
        )
        .unwrap();
        assert!(!got.has_timestamps);
        assert_eq!(got.events[0].time, EventTime::month(2019, 1).unwrap());
        let err = read_event_csv(
            &[p],
            &EventCsvMapping {
                weapon: Some("knife".into()),
                ..m
            },
            &CategoryMapping::default(),
            InputLimits::default(),
            None,
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("\"knife\"")
                && msg.contains("m.csv")
                && msg.contains("month, lon, lat, type"),
            "{msg}"
        );
    }
}

#[cfg(test)]
mod postcode_tests {
    use super::*;
    use crate::postcodes::{read_postcode_directory, PostcodeColumns};

    #[test]
    fn rows_without_coordinates_are_placed_by_postcode() {
        let dir = tempfile::tempdir().unwrap();
        let nspl = dir.path().join("nspl.csv");
        std::fs::write(
            &nspl,
            "pcds,oseast1m,osnrth1m,lsoa11\nPL4 8AA,248710,54640,E01015106\n",
        )
        .unwrap();
        let directory = read_postcode_directory(
            &nspl,
            &PostcodeColumns::default(),
            true,
            InputLimits::default(),
        )
        .unwrap();
        let p = dir.path().join("force.csv");
        std::fs::write(
            &p,
            "occurred_at,easting,northing,offence,lsoa,postcode\n\
             2024-03-15 22:41,248100,54500,assault,E01000001,pl48aa\n\
             2024-03-15 22:41,,,assault,E01000001, PL4 8AA\n\
             2024-03-15 22:41,,,assault,E01000001,PL9 9ZZ\n",
        )
        .unwrap();
        let m = EventCsvMapping {
            x: "easting".into(),
            y: "northing".into(),
            crs: Crs::BritishNationalGrid,
            time: "occurred_at".into(),
            time_format: "%Y-%m-%d %H:%M".into(),
            category: "offence".into(),
            area_code: Some("lsoa".into()),
            domestic_abuse: None,
            alcohol: None,
            weapon: None,
            postcode: Some("postcode".into()),
        };
        let read = |lsoa_as_area_code| {
            let lookup = PostcodeLookup {
                directory: &directory,
                lsoa_as_area_code,
            };
            read_event_csv(
                std::slice::from_ref(&p),
                &m,
                &CategoryMapping::default(),
                InputLimits::default(),
                Some(lookup),
            )
            .unwrap()
        };
        let got = read(false);
        assert_eq!((got.events.len(), got.placed_by_postcode), (2, 1));
        let xy = |e: &Event| e.point.map(|p| (p.x(), p.y()));
        assert_eq!(
            xy(&got.events[0]),
            Some((248_100.0, 54_500.0)),
            "coordinates first"
        );
        assert_eq!(xy(&got.events[1]), Some((248_710.0, 54_640.0)));
        assert_eq!(got.events[1].area_code.as_deref(), Some("E01000001"));
        assert_eq!(
            (got.rejects[0].line, got.rejects[0].reason.clone()),
            (4, RejectReason::UnknownPostcode)
        );
        let got = read(true);
        assert_eq!(got.placed_by_postcode, 2, "every postcode is looked up");
        assert!(got
            .events
            .iter()
            .all(|e| e.area_code.as_deref() == Some("E01015106")));
        assert_eq!(xy(&got.events[0]), Some((248_100.0, 54_500.0)));
    }
}
