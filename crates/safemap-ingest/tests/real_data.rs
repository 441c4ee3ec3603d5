//! Reads the real public data in `../shared/data` (relative to the repository root).
//!
//! The data is not part of the repository; when it is absent these tests say so on stderr
//! and pass.

use safemap_ingest::{
    expand_paths, read_boundaries, read_keyed_values, read_police_uk, BoundaryMapping,
    CategoryMapping, KeyedColumns,
};
use safemap_types::{Crs, RejectReason};
use std::path::PathBuf;
use std::time::Instant;

/// `../shared/data` beside the checkout; the tests fail (never skip) without it.
fn data_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    assert!(
        dir.is_dir(),
        "test data missing: {} must hold the shared data",
        dir.display()
    );
    dir
}

fn lsoa_mapping() -> BoundaryMapping {
    BoundaryMapping {
        value_fields: Vec::new(),
        id_field: "LSOA11CD".into(),
        name_field: Some("LSOA11NM".into()),
        crs: None,
    }
}

#[test]
fn devon_and_cornwall_street_files() {
    let data = data_dir();
    let files = expand_paths(&["police/devon-and-cornwall/*.csv".into()], &data).unwrap();
    assert_eq!(files.len(), 5);
    let got = read_police_uk(&files, &CategoryMapping::default()).unwrap();
    assert_eq!(got.read, 56_626);
    assert_eq!(got.read, (got.events.len() + got.rejects.len()) as u64);
    assert!(
        got.rejects.is_empty(),
        "{:?}",
        &got.rejects[..got.rejects.len().min(5)]
    );
    let no_point = got.events.iter().filter(|e| e.point.is_none()).count();
    assert_eq!(no_point, 2_293);
    // Rows without a location also have no LSOA code.
    assert!(got
        .events
        .iter()
        .filter(|e| e.point.is_none())
        .all(|e| e.area_code.is_none()));
    assert_eq!(got.categories.len(), 14, "{:?}", got.categories);
    assert!(got
        .categories
        .iter()
        .any(|c| c == "Violence and sexual offences"));
    // File order then line order.
    assert!(got.events.windows(2).all(|w| w[0].origin < w[1].origin));
    assert_eq!(got.events[0].origin.line, 2);
}

#[test]
fn same_result_whatever_the_thread_count() {
    let data = data_dir();
    let files = expand_paths(&["police/hampshire/*.csv".into()], &data).unwrap();
    let read_with = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| read_police_uk(&files, &CategoryMapping::default()).unwrap())
    };
    let one = read_with(1);
    assert_eq!(one.read, 64_744);
    assert!(one.events.iter().all(|e| e.point.is_some()));
    assert_eq!(
        one.events.iter().filter(|e| e.area_code.is_none()).count(),
        2
    );
    assert_eq!(one, read_with(3));
}

#[test]
fn category_mapping_on_real_rows() {
    let data = data_dir();
    let files = expand_paths(&["police/hampshire/2019-01-*.csv".into()], &data).unwrap();
    let mapping: CategoryMapping = serde_json::from_str(
        r#"{"Violence and sexual offences": "violence", "Public order": "disorder", "Anti-social behaviour": "disorder"}"#,
    )
    .unwrap();
    let got = read_police_uk(&files, &mapping).unwrap();
    assert_eq!(got.read, 12_774);
    assert_eq!(got.categories, ["disorder", "violence"]);
    assert!(!got.rejects.is_empty());
    assert!(got
        .rejects
        .iter()
        .all(|r| r.reason == RejectReason::UnknownCategory
            && r.column.as_deref() == Some("Crime type")));
    assert_eq!(got.read, (got.events.len() + got.rejects.len()) as u64);
}

#[test]
fn national_january_2019_gzipped() {
    let data = data_dir();
    let files = expand_paths(&["police/national-2019-01/*.csv.gz".into()], &data).unwrap();
    assert_eq!(files.len(), 39);
    let t = Instant::now();
    let got = read_police_uk(&files, &CategoryMapping::default()).unwrap();
    eprintln!(
        "national police.uk: {} rows from {} files in {:.2?}",
        got.read,
        files.len(),
        t.elapsed()
    );
    assert_eq!(got.read, 334_367);
    assert_eq!(got.read, (got.events.len() + got.rejects.len()) as u64);
    eprintln!(
        "  {} events ({} without a point), {} rejects",
        got.events.len(),
        got.events.iter().filter(|e| e.point.is_none()).count(),
        got.rejects.len()
    );
}

#[test]
fn plymouth_lsoa_boundaries_and_population() {
    let data = data_dir();
    let set = read_boundaries(
        &data.join("boundaries/uk-geojson/lsoa11/E06000026.json"),
        &lsoa_mapping(),
    )
    .unwrap();
    assert_eq!(set.areas.len(), 161);
    assert_eq!(set.crs, Crs::Wgs84);
    assert!(set
        .areas
        .iter()
        .all(|a| a.code.starts_with("E01") && a.name.starts_with("Plymouth")));

    let pop = read_keyed_values(
        &data.join("population/population19_lsoa11.csv"),
        &KeyedColumns {
            code_column: "lsoa11_code".into(),
            value_column: "total_population".into(),
        },
    )
    .unwrap();
    assert!(
        pop.rejects.is_empty(),
        "{:?}",
        &pop.rejects[..pop.rejects.len().min(5)]
    );
    assert_eq!(pop.read, pop.values.len() as u64);
    let plymouth: f64 = set.areas.iter().map(|a| pop.values[&a.code]).sum();
    assert_eq!(plymouth, 262_100.0);
}

#[test]
fn imd_2019_with_bom_and_thousands_separators() {
    let data = data_dir();
    let path =
        data.join("imd/mhclg-iod2019-files/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv");
    let rank = read_keyed_values(
        &path,
        &KeyedColumns {
            code_column: "LSOA code (2011)".into(),
            value_column: "Index of Multiple Deprivation (IMD) Rank".into(),
        },
    )
    .unwrap();
    assert_eq!(rank.read, 32_844);
    assert!(rank.rejects.is_empty());
    assert_eq!(rank.values["E01000001"], 29_199.0);
    assert_eq!(rank.values["E01000002"], 30_379.0);
    let max = rank.values.values().copied().fold(0.0, f64::max);
    assert_eq!(max, 32_844.0);
    let decile = read_keyed_values(
        &path,
        &KeyedColumns {
            code_column: "LSOA code (2011)".into(),
            value_column: "Index of Multiple Deprivation (IMD) Decile".into(),
        },
    )
    .unwrap();
    assert_eq!(decile.values.len(), 32_844);
    assert_eq!(decile.values["E01000001"], 9.0);
    assert!(decile.values.values().all(|d| (1.0..=10.0).contains(d)));
}

#[test]
fn columbus_shapefile() {
    let data = data_dir();
    let path = data.join("pysal/columbus/columbus.shp");
    let mapping = BoundaryMapping {
        value_fields: vec!["CRIME".into(), "HOVAL".into()],
        id_field: "POLYID".into(),
        name_field: None,
        crs: Some(Crs::BritishNationalGrid),
    };
    let set = read_boundaries(&path, &mapping).unwrap();
    assert_eq!(set.areas.len(), 49);
    assert_eq!(set.crs, Crs::BritishNationalGrid);
    assert_eq!(set.areas[0].code, "1");
    assert_eq!(set.areas[48].code, "49");
    // DBF attributes as area-level values (Anselin 1988: CRIME of POLYID 1 is 15.725980).
    assert_eq!(set.values.len(), 2);
    assert!(
        (set.values[0][0].unwrap() - 15.725_98).abs() < 1e-5,
        "{:?}",
        set.values[0][0]
    );
    assert!(set
        .values
        .iter()
        .all(|f| f.len() == 49 && f.iter().all(Option::is_some)));
}

/// The 86 MB national LSOA file (a few seconds in a test build).
#[test]
fn national_lsoa_boundaries() {
    let data = data_dir();
    let t = Instant::now();
    let set = read_boundaries(
        &data.join("boundaries/uk-geojson/england_wales_lsoa11.geojson.gz"),
        &lsoa_mapping(),
    )
    .unwrap();
    eprintln!(
        "national LSOA11 boundaries: {} areas, {} invalid, in {:.2?}",
        set.areas.len(),
        set.invalid.len(),
        t.elapsed()
    );
    assert_eq!(set.areas.len(), 34_753);
    assert_eq!(set.crs, Crs::Wgs84);
    // shapely's is_valid also finds 94 (see shared/data/README.md).
    assert_eq!(set.invalid.len(), 94);
    for bad in set.invalid.iter().take(3) {
        eprintln!("  invalid: {} {}", bad.code, bad.problem);
    }
}
