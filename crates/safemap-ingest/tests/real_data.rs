//! Reads the real public data in `../shared/data` (relative to the repository root).
//!
//! The data is not part of the repository; when it is absent these tests say so on stderr
//! and pass.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use geo::Validation;
use rayon::prelude::*;
use safemap_ingest::{
    expand_paths, read_boundaries, read_event_csv, read_keyed_values, read_police_uk,
    read_services, BoundaryMapping, CategoryMapping, CsvDialect, Encoding, EventCsvMapping,
    InputLimits, KeyedColumns, ServiceColumns, ServiceRegister, SourceRead,
};
use safemap_types::{Crs, RejectReason, ServiceKind};
use std::path::{Path, PathBuf};
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
        layer: None,
        value_fields: Vec::new(),
        id_field: "LSOA11CD".into(),
        name_field: Some("LSOA11NM".into()),
        crs: None,
    }
}

#[test]
fn devon_and_cornwall_street_files() {
    let data = data_dir();
    let files = expand_paths(&["police/devon-and-cornwall/*.csv".into()], &data)
        .unwrap()
        .files;
    assert_eq!(files.len(), 5);
    let got = read_police_uk(&files, &CategoryMapping::default(), InputLimits::default()).unwrap();
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
    let files = expand_paths(&["police/hampshire/*.csv".into()], &data)
        .unwrap()
        .files;
    let read_with = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                read_police_uk(&files, &CategoryMapping::default(), InputLimits::default()).unwrap()
            })
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
    let files = expand_paths(&["police/hampshire/2019-01-*.csv".into()], &data)
        .unwrap()
        .files;
    let mapping: CategoryMapping = serde_json::from_str(
        r#"{"Violence and sexual offences": "violence", "Public order": "disorder", "Anti-social behaviour": "disorder"}"#,
    )
    .unwrap();
    let got = read_police_uk(&files, &mapping, InputLimits::default()).unwrap();
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
    let files = expand_paths(&["police/national-2019-01/*.csv.gz".into()], &data)
        .unwrap()
        .files;
    assert_eq!(files.len(), 39);
    let t = Instant::now();
    let got = read_police_uk(&files, &CategoryMapping::default(), InputLimits::default()).unwrap();
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
        InputLimits::default(),
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
        InputLimits::default(),
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
        InputLimits::default(),
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
        InputLimits::default(),
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
        layer: None,
        value_fields: vec!["CRIME".into(), "HOVAL".into()],
        id_field: "POLYID".into(),
        name_field: None,
        crs: Some(Crs::BritishNationalGrid),
    };
    let set = read_boundaries(&path, &mapping, InputLimits::default()).unwrap();
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
        InputLimits::default(),
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
    // The same areas and messages as geo's own (quadratic) `Validation`.
    let geo_says: Vec<(String, String)> = set
        .areas
        .par_iter()
        .filter_map(|a| {
            let e = a.geometry.check_validation().err()?;
            Some((a.code.clone(), e.to_string()))
        })
        .collect();
    let ours: Vec<(String, String)> = set
        .invalid
        .iter()
        .map(|i| (i.code.clone(), i.problem.clone()))
        .collect();
    assert_eq!(ours, geo_says);
}

/// The January 2019 Devon and Cornwall street file.
fn devon_and_cornwall_2019_01() -> PathBuf {
    data_dir().join("police/devon-and-cornwall/2019-01-devon-and-cornwall-street.csv")
}

/// A copy of `source` in `dir` with a stray `"` before the `Location` text (the 7th field)
/// on each of `lines` (1-based physical lines).
fn with_stray_quotes(source: &Path, dir: &Path, lines: &[u64]) -> PathBuf {
    let text = std::fs::read_to_string(source).unwrap();
    let mut out = String::with_capacity(text.len() + lines.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if lines.contains(&(i as u64 + 1)) {
            let at = line.match_indices(',').nth(5).unwrap().0 + 1;
            out.push_str(&line[..at]);
            out.push('"');
            out.push_str(&line[at..]);
        } else {
            out.push_str(line);
        }
    }
    let path = dir.join(format!("stray-quotes-{lines:?}.csv"));
    std::fs::write(&path, out).unwrap();
    path
}

/// An event as (line, point, category name, area code), to compare two reads.
type EventRow<'a> = (u64, Option<(f64, f64)>, &'a str, Option<&'a str>);

/// Each event of `got` as an [`EventRow`].
fn event_rows(got: &SourceRead) -> Vec<EventRow<'_>> {
    got.events
        .iter()
        .map(|e| {
            (
                e.origin.line,
                e.point.map(|p| (p.x(), p.y())),
                got.categories[usize::from(e.category)].as_str(),
                e.area_code.as_deref(),
            )
        })
        .collect()
}

/// `got`, read from `path`, has every row of `clean` but the lines in `stray`, which are
/// `UnbalancedQuote` rejects in the `Location` column with the text from the quote to the
/// end of the line, and it read as many rows as the file has data lines.
fn assert_only_stray_lines_lost(clean: &SourceRead, got: &SourceRead, path: &Path, stray: &[u64]) {
    assert_eq!(got.read, clean.read, "every physical line is counted");
    assert_eq!(got.read, (got.events.len() + got.rejects.len()) as u64);
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let rejects: Vec<_> = got
        .rejects
        .iter()
        .map(|r| {
            (
                r.line,
                r.column.as_deref(),
                r.value.as_str(),
                r.reason.clone(),
            )
        })
        .collect();
    let want: Vec<_> = stray
        .iter()
        .map(|&l| {
            let line = lines[l as usize - 1];
            let from_quote = &line[line.find('"').unwrap()..];
            (
                l,
                Some("Location"),
                from_quote,
                RejectReason::UnbalancedQuote,
            )
        })
        .collect();
    assert_eq!(rejects, want);
    let mut kept = event_rows(clean);
    kept.retain(|e| !stray.contains(&e.0));
    assert_eq!(event_rows(got), kept);
}

#[test]
fn stray_quotes_in_a_real_police_file_cost_their_own_rows_only() {
    let source = devon_and_cornwall_2019_01();
    let clean = read_police_uk(
        std::slice::from_ref(&source),
        &CategoryMapping::default(),
        InputLimits::default(),
    )
    .unwrap();
    let data_lines = std::fs::read_to_string(&source).unwrap().lines().count() as u64 - 1;
    assert_eq!(clean.read, data_lines);
    assert!(clean.rejects.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let last = data_lines + 1;
    // One quote (it would run to the end of the file), two that would pair up and swallow
    // the rows between them, and one on the last line.
    for stray in [vec![7], vec![7, 150], vec![last]] {
        let path = with_stray_quotes(&source, dir.path(), &stray);
        let got = read_police_uk(
            std::slice::from_ref(&path),
            &CategoryMapping::default(),
            InputLimits::default(),
        )
        .unwrap();
        assert_only_stray_lines_lost(&clean, &got, &path, &stray);
    }
}

#[test]
fn stray_quotes_in_a_reader_that_allows_multi_line_fields() {
    // The same file through the general event reader, where a quoted field may span up
    // to 20 lines: a quote that runs on, and two 5 lines apart that close into a record
    // with the right number of fields but an improper closing quote, still cost one row
    // each.
    let mapping = EventCsvMapping {
        x: "Longitude".into(),
        y: "Latitude".into(),
        crs: Crs::Wgs84,
        time: "Month".into(),
        time_format: "%Y-%m".into(),
        category: "Crime type".into(),
        area_code: Some("LSOA code".into()),
        domestic_abuse: None,
        alcohol: None,
        weapon: None,
        postcode: None,
        dialect: safemap_ingest::CsvDialect::default(),
        layer: None,
    };
    let read = |path: &Path| {
        read_event_csv(
            &[path.to_path_buf()],
            &mapping,
            &CategoryMapping::default(),
            InputLimits::default(),
            None,
        )
        .unwrap()
    };
    let source = devon_and_cornwall_2019_01();
    let clean = read(&source);
    assert!(clean.rejects.is_empty());
    let dir = tempfile::tempdir().unwrap();
    for stray in [vec![7], vec![7, 12]] {
        let path = with_stray_quotes(&source, dir.path(), &stray);
        assert_only_stray_lines_lost(&clean, &read(&path), &path, &stray);
    }
}

/// The NHS Choices GP practice extract as it is: windows-1252, `¬`-separated, no kind,
/// tier or confidential column.
fn gp_register(dialect: CsvDialect) -> ServiceRegister {
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
        dialect,
        layer: None,
    }
}

#[test]
fn nhs_gp_practices_in_cp1252_with_not_sign_delimiters() {
    let path = data_dir().join("services/nhs-choices-2019/GP.csv");
    let nhs = CsvDialect::new(Encoding::Cp1252, '¬').unwrap();
    let got = read_services(&path, &gp_register(nhs), InputLimits::default(), None).unwrap();
    // Every physical line after the header is one row (no field holds a quote or a line
    // break): read = loaded + rejected = that count.
    let bytes = std::fs::read(&path).unwrap();
    let lines = bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count() as u64;
    assert_eq!(got.read, lines - 1);
    assert_eq!(got.read, 8_883, "the README's count");
    assert_eq!(got.read, (got.services.len() + got.rejects.len()) as u64);
    assert_eq!(got.services.len(), 8_882);
    // The one practice without coordinates (the README says 1 has none).
    assert_eq!(got.rejects.len(), 1);
    let r = &got.rejects[0];
    assert_eq!((r.line, &r.reason), (8_708, &RejectReason::NoCoordinates));
    assert_eq!(r.column.as_deref(), Some("Longitude, Latitude"));
    assert_eq!(got.crs, Crs::Wgs84);
    assert!(got
        .services
        .iter()
        .all(|s| s.kind == ServiceKind::GP_PRACTICE && !s.confidential && s.tier.is_none()));
    // cp1252 bytes 0x92 and 0x96 decode to a right single quote and an en dash (latin1
    // would give control characters).
    let by_id = |id: &str| got.services.iter().find(|s| s.id == id).unwrap();
    assert_eq!(by_id("B86100").name, "St Martin\u{2019}s Practice");
    assert_eq!(
        by_id("E81037004").name,
        "The De Parys Group \u{2013} Goldington Branch"
    );
    let first = by_id("Y02622");
    assert_eq!(first.name, "Blackfriars Medical Practice");
    // The file's own text, parsed.
    let (lon, lat): (f64, f64) = (
        "-2.2542295455932617".parse().unwrap(),
        "53.484138488769531".parse().unwrap(),
    );
    assert_eq!((first.point.x(), first.point.y()), (lon, lat));
    // The UTF-8, comma-separated copy beside it reads to the same register.
    let copy = data_dir().join("services/nhs-choices-2019/GP.utf8.csv");
    let utf8 = read_services(
        &copy,
        &gp_register(CsvDialect::default()),
        InputLimits::default(),
        None,
    )
    .unwrap();
    assert_eq!(utf8.services, got.services);
    // Undeclared, the encoding is detected: cp1252 for GP.csv, UTF-8 for the copy.
    let detect = CsvDialect::new(Encoding::Detect, '¬').unwrap();
    let detected = read_services(&path, &gp_register(detect), InputLimits::default(), None);
    assert_eq!(detected.unwrap(), got);
}
