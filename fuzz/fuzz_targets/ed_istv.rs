//! Emergency department (ISTV) CSV read through the default mapping. The first input byte
//! picks the dialect ([`safemap_fuzz::dialect`]); the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use safemap_fuzz::{check_source_read, dialect, write};
use safemap_ingest::{read_ed, CategoryMapping, EdMapping, InputLimits};
use safemap_types::Crs;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, file)) = data.split_first() else {
        return;
    };
    let mapping = EdMapping {
        dialect: dialect(flags),
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
