//! GeoJSON boundaries. The first input byte picks the mapping (id and name fields, value
//! fields) and whether the file is `.geojson` or `.json`; the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use safemap_fuzz::{check_boundary_set, remove, write};
use safemap_ingest::{read_boundaries, BoundaryMapping, InputLimits};

const MAPPINGS: [(&str, Option<&str>, &[&str]); 4] = [
    ("LSOA11CD", Some("LSOA11NM"), &[]),
    ("code", Some("name"), &["value"]),
    ("LSOA21CD", None, &[]),
    ("id", None, &["value", "pop"]),
];

fuzz_target!(|data: &[u8]| {
    let Some((&flags, file)) = data.split_first() else {
        return;
    };
    let (id, name, values) = MAPPINGS[usize::from(flags & 3)];
    let mapping = BoundaryMapping {
        id_field: id.into(),
        name_field: name.map(Into::into),
        crs: None,
        layer: None,
        value_fields: values.iter().map(|v| (*v).to_string()).collect(),
    };
    let name = if flags & 4 == 0 {
        "areas.geojson"
    } else {
        "areas.json"
    };
    let path = write(name, file);
    let got = read_boundaries(&path, &mapping, InputLimits::default());
    remove(name);
    let Ok(set) = got else {
        return;
    };
    check_boundary_set(&set, &mapping);
});
