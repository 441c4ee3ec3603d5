//! Shapefile boundaries. Input: one flags byte (bits 0-1: the mapping, bits 2-3: no `.prj`,
//! a British National Grid one, a WGS84 one, or junk), the `.shp` length and the `.shx`
//! length as little-endian u16, then the `.shp`, `.shx` and `.dbf` bytes (the `.dbf` is the
//! rest).
#![no_main]

use libfuzzer_sys::fuzz_target;
use safemap_fuzz::{check_boundary_set, remove, write};
use safemap_ingest::{read_boundaries, BoundaryMapping, InputLimits};

const MAPPINGS: [(&str, Option<&str>, &[&str]); 4] = [
    ("POLYID", None, &["HOVAL"]),
    ("POLY_ID", Some("id"), &[]),
    ("NAME", Some("FIPS"), &["AREA"]),
    ("towns", None, &["size"]),
];

const PRJ: [Option<&str>; 4] = [
    None,
    Some("PROJCS[\"British_National_Grid\",GEOGCS[\"GCS_OSGB_1936\"]]"),
    Some("GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\"]]"),
    Some("LOCAL_CS[\"junk\"]"),
];

fuzz_target!(|data: &[u8]| {
    if data.len() < 5 {
        return;
    }
    let flags = data[0];
    let shp_len = usize::from(u16::from_le_bytes([data[1], data[2]]));
    let shx_len = usize::from(u16::from_le_bytes([data[3], data[4]]));
    let rest = &data[5..];
    let shp = &rest[..shp_len.min(rest.len())];
    let rest = &rest[shp.len()..];
    let shx = &rest[..shx_len.min(rest.len())];
    let dbf = &rest[shx.len()..];
    let (id, name, values) = MAPPINGS[usize::from(flags & 3)];
    let mapping = BoundaryMapping {
        id_field: id.into(),
        name_field: name.map(Into::into),
        crs: None,
        layer: None,
        value_fields: values.iter().map(|v| (*v).to_string()).collect(),
    };
    let path = write("areas.shp", shp);
    write("areas.shx", shx);
    write("areas.dbf", dbf);
    match PRJ[usize::from((flags >> 2) & 3)] {
        Some(prj) => {
            write("areas.prj", prj.as_bytes());
        }
        None => remove("areas.prj"),
    }
    let Ok(set) = read_boundaries(&path, &mapping, InputLimits::default()) else {
        return;
    };
    check_boundary_set(&set, &mapping);
});
