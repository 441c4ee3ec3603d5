use super::*;
use crate::{CsvDialect, Encoding};

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn reasons(got: &ServicesRead) -> Vec<(u64, Option<&str>, String)> {
    got.rejects
        .iter()
        .map(|r| (r.line, r.column.as_deref(), r.reason.to_string()))
        .collect()
}

#[test]
fn reads_the_default_layout() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "services.csv",
        b"name,kind,tier,x,y,capacity,confidential\n\
          Hub North,family_hub,primary,248000,56000,\"1,200\",no\n\
          Safe House,refuge,tertiary,247500,55500,12,no\n\
          The Crown,pub,,247500,55500,,no\n\
          IDVA team,IDVA,Secondary,,,,yes\n\
          Youth club,youth service,2,247000,55000,-3,no\n\
          Caf\xc3\xa9,Caf\xc3\xa9,2,247000,55000,,no\n\
          ,family_hub,2,247000,55000,,no\n\
          Drop in,drop-in,quaternary,247000,55000,,no\n",
    );
    let got = read_services(
        &p,
        &ServiceRegister::default(),
        InputLimits::default(),
        None,
    )
    .unwrap();
    assert_eq!((got.read, got.services.len(), got.rejects.len()), (8, 3, 5));
    let [hub, refuge, crown] = &got.services[..] else {
        panic!("{:?}", got.services)
    };
    assert_eq!(hub.capacity, Some(1200.0));
    assert_eq!(hub.kind, ServiceKind::FAMILY_HUB);
    assert_eq!(hub.tier, Some(PreventionTier::Primary));
    assert!(refuge.confidential, "refuges are always confidential");
    assert_eq!(crown.kind.as_str(), "pub", "any slug is a kind");
    assert_eq!((crown.tier, crown.capacity), (None, None));
    assert!(!crown.confidential);
    // Without an id column, the id is the line number.
    assert_eq!(
        got.services
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>(),
        ["2", "3", "4"]
    );
    assert_eq!(
        reasons(&got),
        [
            (5, Some("x, y"), "no coordinates".to_string()),
            (
                6,
                Some("capacity"),
                "invalid value (expected a number >= 0, or empty)".to_string()
            ),
            (
                7,
                Some("kind"),
                format!("invalid value (expected {SLUG_RULE}; spaces and hyphens are read as _)")
            ),
            (8, Some("name"), "missing value".to_string()),
            (
                9,
                Some("tier"),
                "unknown value (expected one of primary, secondary, tertiary)".to_string()
            ),
        ]
    );
    assert_eq!(got.rejects[2].value, "Café");
}

/// The NHS layout: windows-1252, `¬`-separated, latitude/longitude, an id column, no kind,
/// tier or confidential column.
fn nhs_register() -> ServiceRegister {
    ServiceRegister {
        columns: ServiceColumns {
            id: Some("OrganisationCode".into()),
            name: Some("OrganisationName".into()),
            latitude: Some("Latitude".into()),
            longitude: Some("Longitude".into()),
            ..ServiceColumns::default()
        },
        kind: Some(ServiceKind::GP_PRACTICE),
        confidential: Some(false),
        dialect: CsvDialect::new(Encoding::Cp1252, '¬').unwrap(),
        layer: None,
    }
}

#[test]
fn a_cp1252_not_sign_register_with_fixed_kind_and_ids() {
    let dir = tempfile::tempdir().unwrap();
    // 0xAC is ¬ and 0x92 a right single quote in windows-1252.
    let p = write(
        &dir,
        "GP.csv",
        b"OrganisationCode\xacOrganisationName\xacCity\xacLatitude\xacLongitude\r\n\
          B86100\xacSt Martin\x92s Practice\xacLeeds, West\xac53.8214\xac-1.5321\r\n\
          A81001\xacThe Densham Surgery\xacStockton\xac54.5616\xac-1.3189\r\n\
          B86100\xacDuplicate\xacLeeds\xac53.8\xac-1.5\r\n\
          J82217\xacNo Location\xacSouthampton\xac\xac\r\n\
          \xacNo Id\xacLeeds\xac53.8\xac-1.5\r\n",
    );
    let got = read_services(&p, &nhs_register(), InputLimits::default(), None).unwrap();
    assert_eq!((got.read, got.services.len()), (5, 2));
    assert_eq!(got.crs, Crs::Wgs84);
    let s = &got.services[0];
    assert_eq!(s.name, "St Martin\u{2019}s Practice");
    assert_eq!(
        (s.id.as_str(), &s.kind),
        ("B86100", &ServiceKind::GP_PRACTICE)
    );
    assert_eq!((s.point.x(), s.point.y()), (-1.5321, 53.8214));
    assert!(!s.confidential);
    assert_eq!(
        reasons(&got),
        [
            (
                4,
                Some("OrganisationCode"),
                "duplicate service id (an earlier row has it)".to_string()
            ),
            (5, Some("Longitude, Latitude"), "no coordinates".to_string()),
            (6, Some("OrganisationCode"), "missing value".to_string()),
        ]
    );
    assert_eq!(got.rejects[0].value, "B86100");
    // With only the delimiter declared, the encoding is detected (cp1252, from the header
    // line): the same register.
    let detected = ServiceRegister {
        dialect: CsvDialect::new(Encoding::Detect, '¬').unwrap(),
        ..nhs_register()
    };
    let again = read_services(&p, &detected, InputLimits::default(), None).unwrap();
    assert_eq!(again, got);
    // Declared UTF-8 with commas, the same file is one column.
    let plain = ServiceRegister {
        dialect: CsvDialect::new(Encoding::Utf8, ',').unwrap(),
        ..nhs_register()
    };
    let err = read_services(&p, &plain, InputLimits::default(), None).unwrap_err();
    let IngestError::MissingColumn { available, .. } = &err else {
        panic!("{err}")
    };
    assert!(
        available.starts_with("OrganisationCode\u{fffd}OrganisationName")
            && !available.contains(", "),
        "{available}"
    );
}

/// Without the `gdal` feature, a register in a vector format says which feature reads it.
#[cfg(not(feature = "gdal"))]
#[test]
fn a_geopackage_register_needs_the_gdal_feature() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "GP.gpkg", b"SQLite format 3\0");
    let err = read_services(&p, &nhs_register(), InputLimits::default(), None).unwrap_err();
    assert!(
        matches!(err, IngestError::GdalFeatureNeeded { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("--features gdal"), "{err}");
}

#[test]
fn a_utf8_register_with_a_multi_byte_delimiter_and_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "s.csv",
        "id¬name¬kind¬x¬y¬opening_hours¬confidential\n\
         7¬\"Hub ¬ North\"¬family hub¬248000¬56000¬Mon-Fri 9-5¬no\n\
         8¬\"Two\nlines\"¬youth_service¬248000¬56000¬¬no\n\
         7¬Again¬family_hub¬248000¬56000¬¬no\n"
            .as_bytes(),
    );
    let register = ServiceRegister {
        dialect: CsvDialect::new(Encoding::Utf8, '¬').unwrap(),
        ..ServiceRegister::default()
    };
    let got = read_services(&p, &register, InputLimits::default(), None).unwrap();
    assert_eq!(got.read, 3, "the quoted line break is one row");
    let names: Vec<_> = got.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Hub ¬ North", "Two\nlines"]);
    assert_eq!(
        got.services[0].opening_hours.as_deref(),
        Some("Mon-Fri 9-5")
    );
    assert_eq!(got.services[1].opening_hours, None);
    assert_eq!(got.services[1].tier, None, "no tier column: no tier");
    assert_eq!(got.rejects[0].reason, RejectReason::DuplicateId);
    assert_eq!(got.rejects[0].line, 5);
}

#[test]
fn a_fixed_kind_does_not_free_a_refuge_and_a_fixed_flag_marks_all() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "r.csv", b"name,x,y\nA,248000,56000\n");
    let refuges = ServiceRegister {
        kind: Some(ServiceKind::REFUGE),
        confidential: Some(false),
        ..ServiceRegister::default()
    };
    let got = read_services(&p, &refuges, InputLimits::default(), None).unwrap();
    assert!(got.services[0].confidential);
    let secret = ServiceRegister {
        kind: Some(ServiceKind::new("safe_house").unwrap()),
        confidential: Some(true),
        ..ServiceRegister::default()
    };
    let got = read_services(&p, &secret, InputLimits::default(), None).unwrap();
    assert!(got.services[0].confidential);
}

#[test]
fn mapping_errors_name_what_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "s.csv",
        b"name,kind,x,y,lat,lon,confidential\nA,hub,1,2,50,-4,no\n",
    );
    let read = |r: ServiceRegister| {
        read_services(&p, &r, InputLimits::default(), None)
            .unwrap_err()
            .to_string()
    };
    let both_kinds = ServiceRegister {
        kind: Some(ServiceKind::GP_PRACTICE),
        columns: ServiceColumns {
            kind: Some("kind".into()),
            ..ServiceColumns::default()
        },
        ..ServiceRegister::default()
    };
    assert!(read(both_kinds).contains("both as a fixed kind and as column \"kind\""));
    let both_flags = ServiceRegister {
        confidential: Some(false),
        columns: ServiceColumns {
            confidential: Some("confidential".into()),
            ..ServiceColumns::default()
        },
        ..ServiceRegister::default()
    };
    assert!(read(both_flags).contains("confidential both"));
    let half = ServiceRegister {
        columns: ServiceColumns {
            latitude: Some("lat".into()),
            ..ServiceColumns::default()
        },
        ..ServiceRegister::default()
    };
    assert!(read(half).contains("only one of latitude and longitude"));
    let mixed = ServiceRegister {
        columns: ServiceColumns {
            latitude: Some("lat".into()),
            longitude: Some("lon".into()),
            crs: Some(Crs::Wgs84),
            ..ServiceColumns::default()
        },
        ..ServiceRegister::default()
    };
    assert!(read(mixed).contains("both as latitude/longitude and as x/y/crs"));
    // A named optional column must exist; an unnamed one is simply absent.
    let typo = ServiceRegister {
        columns: ServiceColumns {
            tier: Some("Tier".into()),
            ..ServiceColumns::default()
        },
        ..ServiceRegister::default()
    };
    assert!(read(typo).contains("column \"Tier\" is not in the header"));
    // No confidential column and no fixed value: the register must say.
    let p2 = write(&dir, "n.csv", b"name,kind,x,y\nA,hub,248000,56000\n");
    let err = read_services(
        &p2,
        &ServiceRegister::default(),
        InputLimits::default(),
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("column \"confidential\" is not in the header"),
        "{err}"
    );
}
