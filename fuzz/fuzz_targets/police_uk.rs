//! data.police.uk street CSV: the raw input is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use safemap_fuzz::{check_source_read, write};
use safemap_ingest::{read_police_uk, CategoryMapping, InputLimits};

fuzz_target!(|data: &[u8]| {
    let path = write("street.csv", data);
    let Ok(got) = read_police_uk(
        std::slice::from_ref(&path),
        &CategoryMapping::default(),
        InputLimits::default(),
    ) else {
        return;
    };
    check_source_read(&got, &path, data);
    assert!(!got.has_timestamps);
});
