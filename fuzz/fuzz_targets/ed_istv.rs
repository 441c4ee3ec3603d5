//! Emergency department (ISTV) CSV read through the default mapping. The first input byte
//! picks the dialect (bit 0: cp1252, bit 1: `;` delimiter); the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use safemap_fuzz::{check_source_read, write};
use safemap_ingest::{read_ed, CategoryMapping, CsvDialect, EdMapping, Encoding, InputLimits};
use safemap_types::Crs;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, file)) = data.split_first() else {
        return;
    };
    let encoding = match (flags & 8 != 0, flags & 1 == 0) {
        (true, _) => Encoding::Detect,
        (false, true) => Encoding::Utf8,
        (false, false) => Encoding::Cp1252,
    };
    let delimiter = if flags & 2 == 0 { ',' } else { ';' };
    let mapping = EdMapping {
        dialect: CsvDialect::new(encoding, delimiter).expect("valid delimiter"),
        ..EdMapping::default()
    };
    let path = write("ed.csv", file);
    let Ok(got) = read_ed(
        std::slice::from_ref(&path),
        &mapping,
        &CategoryMapping::default(),
        InputLimits::default(),
        None,
    ) else {
        return;
    };
    check_source_read(&got, &path, file);
    assert_eq!(got.crs, Crs::BritishNationalGrid);
});
