//! The bad-input corpus: one small file per fault in `tests/bad_input/`, each with the exact
//! reject (reason, column, value, line) or error it must give.

use safemap_ingest::{
    expand_paths, read_boundaries, read_ed, read_event_csv, read_keyed_values, read_police_uk,
    BoundaryMapping, CategoryMapping, EdMapping, EventCsvMapping, IngestError, InputLimits,
    KeyedColumns, SourceRead,
};
use safemap_types::{Crs, Reject, RejectReason};
use std::path::{Path, PathBuf};

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/bad_input")
        .join(name)
}

fn police(name: &str) -> SourceRead {
    police_with(name, &CategoryMapping::default())
}

fn police_with(name: &str, mapping: &CategoryMapping) -> SourceRead {
    let got = read_police_uk(&[corpus(name)], mapping, InputLimits::default())
        .expect("the corpus file reads");
    assert_eq!(
        got.read,
        (got.events.len() + got.rejects.len()) as u64,
        "{name}: every row accounted for"
    );
    assert_eq!(
        got.read,
        data_lines(&corpus(name)),
        "{name}: every physical line is a row (police.uk records are one line each)"
    );
    assert!(
        got.rejects
            .iter()
            .all(|r| r.file == corpus(name) && r.line > 1 && r.column.is_some()),
        "{name}: every reject names its file, line and column: {:?}",
        got.rejects
    );
    got
}

/// The non-blank lines of a file after its header.
fn data_lines(path: &Path) -> u64 {
    let text = std::fs::read_to_string(path).expect("the corpus file reads");
    let lines = text.split(['\n', '\r']).filter(|l| !l.is_empty()).count();
    lines as u64 - 1
}

/// The single reject of `got`, as (line, column, value, reason).
fn only_reject(got: &SourceRead) -> (u64, Option<&str>, &str, &RejectReason) {
    assert_eq!(got.rejects.len(), 1, "{:?}", got.rejects);
    let Reject {
        line,
        column,
        value,
        reason,
        ..
    } = &got.rejects[0];
    (*line, column.as_deref(), value.as_str(), reason)
}

#[test]
fn swapped_lat_lon() {
    let got = police("police_swapped_latlon.csv");
    assert_eq!(got.events.len(), 1);
    assert_eq!(
        only_reject(&got),
        (
            3,
            Some("Longitude, Latitude"),
            "50.372000, -4.142000",
            &RejectReason::SwappedLatLon
        )
    );
    assert_eq!(got.rejects[0].file, corpus("police_swapped_latlon.csv"));
}

#[test]
fn nan_latitude() {
    let got = police("police_nan_latitude.csv");
    assert_eq!(
        only_reject(&got),
        (3, Some("Latitude"), "NaN", &RejectReason::NotANumber)
    );
}

#[test]
fn empty_coordinates_give_an_event_without_a_point() {
    let got = police("police_empty_coordinates.csv");
    assert!(got.rejects.is_empty());
    assert_eq!(got.events.len(), 2);
    assert!(got.events[0].point.is_some());
    assert_eq!(got.events[1].point, None);
    assert_eq!(got.events[1].area_code, None);
    assert_eq!(got.events[1].origin.line, 3);
}

#[test]
fn one_empty_coordinate_is_a_missing_value() {
    let got = police("police_one_coordinate_empty.csv");
    assert_eq!(
        only_reject(&got),
        (3, Some("Latitude"), "", &RejectReason::MissingValue)
    );
}

#[test]
fn latitude_out_of_range() {
    let got = police("police_latitude_out_of_range.csv");
    assert_eq!(
        only_reject(&got),
        (
            3,
            Some("Latitude"),
            "95.0",
            &RejectReason::LatitudeOutOfRange
        )
    );
}

#[test]
fn byte_order_mark_reads_fine() {
    let got = police("police_bom.csv");
    assert!(got.rejects.is_empty());
    assert_eq!(got.events.len(), 1);
    assert_eq!(got.events[0].origin.line, 2);
    assert_eq!(got.categories, ["Anti-social behaviour"]);
}

#[test]
fn quoted_comma_reads_fine() {
    let got = police("police_quoted_comma.csv");
    assert!(got.rejects.is_empty());
    assert_eq!(got.events.len(), 1);
    assert_eq!(got.events[0].area_code.as_deref(), Some("E01015023"));
    assert_eq!(got.categories, ["Anti-social behaviour"]);
}

#[test]
fn bad_month() {
    let got = police("police_bad_month.csv");
    assert_eq!(
        only_reject(&got),
        (
            3,
            Some("Month"),
            "2019-13",
            &RejectReason::BadDate {
                expected: "YYYY-MM".into()
            }
        )
    );
}

#[test]
fn wrong_field_count() {
    let got = police("police_wrong_field_count.csv");
    let (line, column, value, reason) = only_reject(&got);
    assert_eq!(
        (line, column, reason),
        (
            3,
            Some("Context"),
            &RejectReason::WrongFieldCount {
                expected: 12,
                found: 11
            }
        )
    );
    assert!(
        value.starts_with("a6,2019-01,Devon & Cornwall Police,-4.142609"),
        "{value}"
    );
}

#[test]
fn unbalanced_quote_costs_its_line_only() {
    let got = police("police_unbalanced_quote.csv");
    assert_eq!(got.read, 6);
    assert_eq!(
        only_reject(&got),
        (
            4,
            Some("Location"),
            "\"On or near Armada Way,E01015023,Plymouth 003A,Burglary,Under investigation,",
            &RejectReason::UnbalancedQuote
        )
    );
    let lines: Vec<u64> = got.events.iter().map(|e| e.origin.line).collect();
    assert_eq!(lines, [2, 3, 5, 6, 7]);
    // The properly quoted comma on line 5 still reads as one field.
    assert_eq!(got.events[2].area_code.as_deref(), Some("E01015024"));
}

#[test]
fn quote_running_to_the_end_of_a_force_extract() {
    let path = corpus("force_quote_to_end.csv");
    let got = read_event_csv(
        std::slice::from_ref(&path),
        &EventCsvMapping::force_extract(),
        &CategoryMapping::default(),
        InputLimits::default(),
        None,
    )
    .unwrap();
    // Lines 3-4 are one legitimate record (a note with a line break); line 6 opens a note
    // that never closes; lines 7 and 8 are read as usual.
    assert_eq!(got.read, data_lines(&path) - 1);
    assert_eq!(got.read, (got.events.len() + got.rejects.len()) as u64);
    assert_eq!(
        only_reject(&got),
        (
            6,
            Some("notes"),
            "\"seen leaving, no further,no",
            &RejectReason::UnbalancedQuote
        )
    );
    let lines: Vec<u64> = got.events.iter().map(|e| e.origin.line).collect();
    assert_eq!(lines, [2, 3, 5, 7, 8]);
}

#[test]
fn unknown_category_under_a_mapping() {
    let mapping = CategoryMapping(Some(
        [("Anti-social behaviour", "asb"), ("Burglary", "burglary")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    ));
    let got = police_with("police_unknown_category.csv", &mapping);
    assert_eq!(
        only_reject(&got),
        (
            3,
            Some("Crime type"),
            "Bicycle theft",
            &RejectReason::UnknownCategory
        )
    );
    assert_eq!(got.categories, ["asb", "burglary"]);
}

#[test]
fn bad_timestamp_in_a_force_extract() {
    let got = read_event_csv(
        &[corpus("force_bad_timestamp.csv")],
        &EventCsvMapping::force_extract(),
        &CategoryMapping::default(),
        InputLimits::default(),
        None,
    )
    .unwrap();
    assert_eq!(got.events.len(), 1);
    assert_eq!(
        only_reject(&got),
        (
            3,
            Some("occurred_at"),
            "15/03/2024 23:10",
            &RejectReason::BadDate {
                expected: "%Y-%m-%d %H:%M".into()
            }
        )
    );
}

#[test]
fn bad_grid_reference_in_ed_records() {
    let got = read_ed(
        &[corpus("ed_bad_grid_ref.csv")],
        &EdMapping::default(),
        &CategoryMapping::default(),
        InputLimits::default(),
        None,
    )
    .unwrap();
    assert_eq!(got.events.len(), 1);
    assert_eq!(
        only_reject(&got),
        (
            3,
            Some("grid_ref"),
            "XZ 47123 54321",
            &RejectReason::BadGridReference
        )
    );
}

#[test]
fn thousands_separators_in_a_keyed_table() {
    let got = read_keyed_values(
        &corpus("imd_thousands_separators.csv"),
        &KeyedColumns {
            code_column: "LSOA code (2011)".into(),
            value_column: "Index of Multiple Deprivation (IMD) Rank".into(),
        },
        InputLimits::default(),
    )
    .unwrap();
    assert_eq!(got.read, 2);
    assert_eq!(got.values.get("E01000001"), Some(&29_199.0));
    assert_eq!(got.rejects.len(), 1);
    let r = &got.rejects[0];
    assert_eq!(
        (r.line, r.column.as_deref(), r.value.as_str(), &r.reason),
        (
            3,
            Some("Index of Multiple Deprivation (IMD) Rank"),
            "30,37",
            &RejectReason::UnparsableNumber
        )
    );
}

#[test]
fn self_intersecting_polygon_is_kept_and_listed() {
    let mapping = BoundaryMapping {
        layer: None,
        value_fields: Vec::new(),
        id_field: "code".into(),
        name_field: Some("name".into()),
        crs: None,
    };
    let set = read_boundaries(&corpus("bowtie.geojson"), &mapping, InputLimits::default()).unwrap();
    assert_eq!(set.crs, Crs::BritishNationalGrid);
    assert_eq!(set.areas.len(), 2);
    assert_eq!(set.areas[1].code, "BT001");
    assert_eq!(set.invalid.len(), 1);
    assert_eq!(set.invalid[0].code, "BT001");
    assert_eq!(set.invalid[0].id, set.areas[1].id);
    assert_eq!(
        set.invalid[0].problem,
        "polygon at index 0 is invalid: exterior ring has a self-intersection"
    );
}

#[test]
fn duplicate_area_ids_are_a_file_error() {
    let mapping = BoundaryMapping {
        layer: None,
        value_fields: Vec::new(),
        id_field: "LSOA11CD".into(),
        name_field: None,
        crs: None,
    };
    let path = corpus("duplicate_ids.geojson");
    let err = read_boundaries(&path, &mapping, InputLimits::default()).unwrap_err();
    assert!(
        matches!(&err, IngestError::DuplicateAreaId { code, first: 0, second: 2, .. } if code == "E01015023")
    );
    assert_eq!(
        err.to_string(),
        format!(
            "area id \"E01015023\" appears twice in {} (features 0 and 2, 0-based): area ids must be unique; \
             fix the file or choose another id_field",
            path.display()
        )
    );
}

#[test]
fn missing_file() {
    let err = expand_paths(&["police/no-such-force/*.csv".into()], &corpus("")).unwrap_err();
    assert!(
        matches!(&err, IngestError::MissingFile { pattern } if pattern == "police/no-such-force/*.csv")
    );
    assert_eq!(
        err.to_string(),
        "no file matches \"police/no-such-force/*.csv\": check the path, which is relative to the folder of the study file"
    );
}
