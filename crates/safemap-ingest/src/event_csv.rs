//! [`read_event_csv`]: a generic incident CSV (a police force's own extract) read through a
//! column mapping from the study file.

use crate::csv_records::MAX_RECORD_LINES;
use crate::dialect::CsvDialect;
use crate::event_row::{read_mapped_into, EventRows, MappedFormat};
use crate::open::{field, CsvInput};
use crate::postcodes::PostcodeLookup;
use crate::source::{Collect, EventSink, FileCategories, FileEvents, FileOut};
use crate::{CategoryMapping, IngestError, InputLimits, SourceRead};
use safemap_types::{Crs, RowRef};
use serde::Deserialize;
use std::borrow::Cow;
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
    /// The files' encoding and delimiter (default: detected, and `,`). Not a column: the
    /// study sets it from the source's `encoding` and `delimiter`.
    #[serde(skip)]
    pub dialect: CsvDialect,
    /// The layer to read from a GDAL file of several ([`crate::MappedFormat`]'s `Gdal`).
    /// Not a column: the study sets it from the source's `layer`.
    #[serde(skip)]
    pub layer: Option<String>,
}

impl EventCsvMapping {
    /// The columns of the force-style incident extract `safemap synth` writes (`events.csv`
    /// of the demo city and of `synth national`): `incident_id, occurred_at` (`%Y-%m-%d
    /// %H:%M`), `easting, northing` (British National Grid), `offence, domestic_abuse`.
    pub fn force_extract() -> Self {
        Self {
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
            dialect: CsvDialect::default(),
            layer: None,
        }
    }
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
    read_mapped_into(
        MappedFormat::Csv,
        files,
        (mapping, categories),
        limits,
        postcodes,
        &Collect,
    )
    .map(SourceRead::collected)
}

/// Reads one CSV file of mapped events.
pub(crate) fn read_file<S: EventSink>(
    index: u32,
    path: &Path,
    (rows, mapping): (&EventRows<'_>, &CategoryMapping),
    limits: InputLimits,
    dialect: CsvDialect,
    mut out: FileOut<'_, S>,
) -> Result<FileEvents<S::File>, IngestError> {
    let input = CsvInput::open_with(path, MAX_RECORD_LINES, limits, dialect)?;
    let columns = rows.columns(|name| input.column(name))?;
    let mut rejects = Vec::new();
    // Rows are independent: each task keeps its own events, categories and tally, handed
    // over in line order.
    let read = input.for_each_row_parallel(
        &mut rejects,
        || (Vec::new(), FileCategories::new(mapping), 0_u64),
        |(events, cats, by_postcode), rec, line| {
            let origin = RowRef { file: index, line };
            let get = |&i: &usize, name: &str| field(rec, i, name).map(Cow::Borrowed);
            events.push(rows.event(&columns, get, origin, cats, by_postcode)?);
            Ok(())
        },
        |(events, cats, by_postcode): (Vec<safemap_types::Event>, _, u64)| {
            let ids = out.cats.absorb(cats);
            for mut e in events {
                e.category = ids[usize::from(e.category)];
                out.push(e);
            }
            out.placed_by_postcode += by_postcode;
        },
    )?;
    out.finish(path, rejects, read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use safemap_types::{EventTime, Flags, RejectReason};

    /// An Excel export: windows-1252, semicolons, CRLF, day-first dates as the study
    /// declares them, a BOM-less header and a trailing empty column.
    #[test]
    fn reads_a_cp1252_semicolon_extract_with_day_first_dates() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("excel.csv");
        // 0xE9 is é and 0x96 an en dash in windows-1252.
        let mut bytes = b"ref;date;x;y;type;\r\n".to_vec();
        bytes.extend_from_slice(b"1;01/02/2024 22:41;248100;54500;caf\xe9 \x96 disorder;\r\n");
        bytes.extend_from_slice(b"2;13/02/2024 01:05;248200;54600;theft;\r\n");
        bytes.extend_from_slice(b"3;02/13/2024 01:05;248200;54600;theft;\r\n");
        std::fs::write(&p, bytes).unwrap();
        let m = EventCsvMapping {
            x: "x".into(),
            y: "y".into(),
            time: "date".into(),
            time_format: "%d/%m/%Y %H:%M".into(),
            category: "type".into(),
            domestic_abuse: None,
            dialect: CsvDialect::new(crate::Encoding::Cp1252, ';').unwrap(),
            ..EventCsvMapping::force_extract()
        };
        let got = read_event_csv(
            &[p],
            &m,
            &CategoryMapping::default(),
            InputLimits::default(),
            None,
        )
        .unwrap();
        assert_eq!(got.read, 3);
        assert_eq!(got.categories, ["café – disorder", "theft"]);
        let times: Vec<_> = got.events.iter().map(|e| e.time).collect();
        let at = |d, h, min| {
            EventTime::Timestamp(
                chrono::NaiveDate::from_ymd_opt(2024, 2, d)
                    .unwrap()
                    .and_hms_opt(h, min, 0)
                    .unwrap(),
            )
        };
        assert_eq!(times, [at(1, 22, 41), at(13, 1, 5)]);
        // Month 13 is no date under the declared day-first convention.
        assert_eq!(got.rejects.len(), 1);
        assert_eq!(
            (got.rejects[0].line, got.rejects[0].value.as_str()),
            (4, "02/13/2024 01:05")
        );
        assert!(matches!(
            got.rejects[0].reason,
            RejectReason::BadDate { .. }
        ));
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
            &EventCsvMapping::force_extract(),
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
            dialect: CsvDialect::default(),
            layer: None,
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

    /// A file of several batches read by several threads: events in file order, rejects in
    /// line order, the same events and rejects whatever the thread count.
    #[test]
    fn rows_read_in_parallel_keep_the_file_order() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.csv");
        let mut text =
            String::from("incident_id,occurred_at,easting,northing,offence,domestic_abuse\n");
        let rows = 150_000;
        for i in 0..rows {
            let line = i + 2;
            let offence = ["theft", "burglary", "arson"][(i / 40_000) % 3];
            let row = match i % 9_973 {
                5 => format!("{i},not a date,248100,54500,{offence},no\n"),
                7 => format!("{i},2024-03-15 22:41,\"248100,54500,{offence},no\n"),
                _ => format!(
                    "{i},2024-03-15 22:41,{},54500,{offence},no\n",
                    248_000 + line
                ),
            };
            text.push_str(&row);
        }
        std::fs::write(&p, text).unwrap();
        let read = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    read_event_csv(
                        std::slice::from_ref(&p),
                        &EventCsvMapping::force_extract(),
                        &CategoryMapping::default(),
                        InputLimits::default(),
                        None,
                    )
                    .unwrap()
                })
        };
        let got = read(3);
        let bad = (0..rows)
            .filter(|i| i % 9_973 == 5 || i % 9_973 == 7)
            .count();
        assert_eq!(got.read, rows as u64);
        assert_eq!((got.events.len(), got.rejects.len()), (rows - bad, bad));
        let lines: Vec<u64> = got.events.iter().map(|e| e.origin.line).collect();
        assert!(
            lines.windows(2).all(|w| w[0] < w[1]),
            "events in file order"
        );
        assert!(got
            .events
            .iter()
            .all(|e| e.point.map(safemap_types::CheckedCoord::x)
                == Some(248_000.0 + e.origin.line as f64)));
        let reject_lines: Vec<u64> = got.rejects.iter().map(|r| r.line).collect();
        assert!(
            reject_lines.windows(2).all(|w| w[0] < w[1]),
            "rejects in line order"
        );
        assert_eq!(reject_lines[0], 7, "the first bad date, on line 5 + 2");
        assert_eq!(got.rejects[1].reason, RejectReason::UnbalancedQuote);
        assert_eq!(got.categories, ["arson", "burglary", "theft"]);
        let one = read(1);
        assert_eq!(got.events, one.events);
        assert_eq!(got.rejects, one.rejects);
    }
}

#[cfg(test)]
mod postcode_tests {
    use super::*;
    use crate::postcodes::{read_postcode_directory, PostcodeColumns};
    use safemap_types::{Event, RejectReason};

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
            dialect: CsvDialect::default(),
            layer: None,
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
