//! Service register CSV. The first input byte picks the register: bit 0 the NHS Choices
//! layout (cp1252, `¬`, OrganisationCode/OrganisationName/Latitude/Longitude, fixed kind) or
//! a generic one (UTF-8, `,`, id/name/kind/tier/capacity/confidential/x/y in EPSG:27700);
//! the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use safemap_fuzz::{check_reject, is_gzip, physical_lines, write};
use safemap_ingest::{
    read_services, CsvDialect, Encoding, InputLimits, ServiceColumns, ServiceRegister,
};
use safemap_types::Crs;
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, file)) = data.split_first() else {
        return;
    };
    let register = if flags & 1 == 0 {
        ServiceRegister {
            columns: ServiceColumns {
                id: Some("OrganisationCode".into()),
                name: Some("OrganisationName".into()),
                latitude: Some("Latitude".into()),
                longitude: Some("Longitude".into()),
                ..ServiceColumns::default()
            },
            kind: Some("gp_practice".parse().expect("kind")),
            confidential: Some(false),
            dialect: CsvDialect::new(Encoding::Cp1252, '¬').expect("delimiter"),
            layer: None,
        }
    } else {
        ServiceRegister {
            columns: ServiceColumns {
                id: Some("id".into()),
                name: Some("name".into()),
                kind: Some("kind".into()),
                tier: Some("tier".into()),
                capacity: Some("capacity".into()),
                opening_hours: Some("opening_hours".into()),
                confidential: Some("confidential".into()),
                x: Some("x".into()),
                y: Some("y".into()),
                crs: Some(Crs::BritishNationalGrid),
                ..ServiceColumns::default()
            },
            kind: None,
            confidential: None,
            dialect: CsvDialect::default(),
            layer: None,
        }
    };
    let path = write("services.csv", file);
    let Ok(got) = read_services(&path, &register, InputLimits::default(), None) else {
        return;
    };
    assert_eq!(got.read, (got.services.len() + got.rejects.len()) as u64);
    let lines = (!is_gzip(file)).then(|| physical_lines(file));
    for r in &got.rejects {
        check_reject(r, &path, lines);
    }
    let mut ids = HashSet::new();
    for s in &got.services {
        assert!(ids.insert(s.id.as_str()), "duplicate service id {:?}", s.id);
        assert!(!s.name.is_empty());
        assert!(s.capacity.is_none_or(|c| c >= 0.0));
        if s.kind.is_confidential_by_nature() {
            assert!(s.confidential);
        }
    }
});
