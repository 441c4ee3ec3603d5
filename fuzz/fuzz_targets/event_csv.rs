//! A force's own incident CSV read through a fixed mapping. The first input byte picks the
//! dialect ([`safemap_fuzz::dialect`]) and the CRS (bit 2: British National Grid); the rest
//! is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use safemap_fuzz::{check_source_read, dialect, write};
use safemap_ingest::{read_event_csv, CategoryMapping, EventCsvMapping, InputLimits};
use safemap_types::Crs;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, file)) = data.split_first() else {
        return;
    };
    let crs = if flags & 4 == 0 {
        Crs::Wgs84
    } else {
        Crs::BritishNationalGrid
    };
    let mapping = EventCsvMapping {
        x: "x".into(),
        y: "y".into(),
        crs,
        time: "time".into(),
        time_format: "%Y-%m-%d %H:%M".into(),
        category: "category".into(),
        area_code: Some("area".into()),
        domestic_abuse: Some("domestic_abuse".into()),
        alcohol: Some("alcohol".into()),
        weapon: None,
        postcode: None,
        dialect: dialect(flags),
        layer: None,
    };
    let path = write("events.csv", file);
    let Ok(got) = read_event_csv(
        std::slice::from_ref(&path),
        &mapping,
        &CategoryMapping::default(),
        InputLimits::default(),
        None,
    ) else {
        return;
    };
    check_source_read(&got, &path, file);
    assert!(got.has_timestamps);
    assert_eq!(got.crs, crs);
});
