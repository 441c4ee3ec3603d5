//! Postcode geocoding on real postcodes: a postcode directory built here from the NHS GP
//! practice extract (each practice's postcode at its coordinates, reprojected to British
//! National Grid, a few marked terminated), ED records that give only a postcode (in mixed
//! case and spacing, some unknown, some garbage, some terminated), the Plymouth LSOAs.
//! Each placed row lands in the LSOA whose polygon holds its practice (found here with geo's
//! point in polygon), every other row is rejected with its reason and line, and
//! read = joined + outside + rejected; `join = "postcode_lsoa"` uses the directory's LSOA
//! code instead, and a service register with only postcodes is placed the same way.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;
use common::*;
use geo::{Intersects, MultiPolygon, Point};
use safemap_types::{CheckedCoord, Crs};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

const GP: &str = "services/nhs-choices-2019/GP.utf8.csv";
const LSOAS: &str = "boundaries/uk-geojson/lsoa11/E06000026.json";
const POPULATION: &str = "population/population19_lsoa11.csv";
/// How many PL practices' postcodes the directory marks terminated.
const TERMINATED: usize = 3;
/// The termination month written for them.
const DOTERM: &str = "201806";

/// One postcode of the directory, as this test builds it.
struct Entry {
    /// The postcode as GP.csv writes it.
    postcode: String,
    easting: f64,
    northing: f64,
    /// The Plymouth LSOA holding the point, if any.
    plymouth_lsoa: Option<String>,
    terminated: bool,
}

/// The Plymouth LSOAs in file order: code and polygon in British National Grid.
fn plymouth_lsoas() -> Vec<(String, MultiPolygon<f64>)> {
    let text = std::fs::read_to_string(data(LSOAS)).unwrap();
    let fc: serde_json::Value = serde_json::from_str(&text).unwrap();
    fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let g: geo_types::Geometry<f64> =
                serde_json::from_value::<geojson::Geometry>(f["geometry"].clone())
                    .unwrap()
                    .try_into()
                    .unwrap();
            let mp = match g {
                geo_types::Geometry::Polygon(p) => MultiPolygon::new(vec![p]),
                geo_types::Geometry::MultiPolygon(mp) => mp,
                other => panic!("{other:?}"),
            };
            let code = f["properties"]["LSOA11CD"].as_str().unwrap().to_string();
            (
                code,
                safemap_geo::reproject::multipolygon_to_bng(&mp, Crs::Wgs84).unwrap(),
            )
        })
        .collect()
}

/// The postcode in the form the test compares: upper case, no spaces (written out here,
/// not taken from the engine).
fn key(postcode: &str) -> String {
    postcode
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The directory: one entry per postcode of GP.csv (the first practice with it), keyed by
/// [`key`]; the first [`TERMINATED`] PL postcodes in Plymouth are terminated.
fn directory(lsoas: &[(String, MultiPolygon<f64>)]) -> BTreeMap<String, Entry> {
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    let mut order = Vec::new();
    for r in read_csv(&data(GP)) {
        let (Ok(lat), Ok(lon)) = (r["Latitude"].parse::<f64>(), r["Longitude"].parse::<f64>())
        else {
            continue;
        };
        if r["Postcode"].is_empty() || entries.contains_key(&key(&r["Postcode"])) {
            continue;
        }
        let bng = safemap_geo::reproject::to_bng(CheckedCoord::new(lon, lat, Crs::Wgs84).unwrap())
            .unwrap();
        let point = Point::new(bng.x, bng.y);
        let plymouth_lsoa = lsoas
            .iter()
            .find(|(_, mp)| mp.intersects(&point))
            .map(|(code, _)| code.clone());
        order.push(key(&r["Postcode"]));
        entries.insert(
            key(&r["Postcode"]),
            Entry {
                postcode: r["Postcode"].clone(),
                easting: bng.x,
                northing: bng.y,
                plymouth_lsoa,
                terminated: false,
            },
        );
    }
    let mut marked = 0;
    for k in order {
        let e = entries.get_mut(&k).unwrap();
        if marked < TERMINATED && e.plymouth_lsoa.is_some() {
            e.terminated = true;
            marked += 1;
        }
    }
    entries
}

/// Writes the directory as ONSPD does (`pcds`, `oseast1m`, `osnrth1m`, `doterm`, `lsoa11`);
/// postcodes outside Plymouth get `other_lsoa`, an LSOA of another district.
fn write_directory(path: &Path, entries: &BTreeMap<String, Entry>, other_lsoa: &str) {
    let mut text = String::from("pcd,pcds,dointr,doterm,oseast1m,osnrth1m,lsoa11\n");
    for e in entries.values() {
        let doterm = if e.terminated { DOTERM } else { "" };
        let lsoa = e.plymouth_lsoa.as_deref().unwrap_or(other_lsoa);
        writeln!(
            text,
            "{},{},198001,{doterm},{:.3},{:.3},{lsoa}",
            key(&e.postcode),
            e.postcode,
            e.easting,
            e.northing
        )
        .unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// The same postcode written another way: lower case, no space, extra spaces, mixed case.
fn respell(postcode: &str, i: usize) -> String {
    match i % 4 {
        0 => postcode.to_lowercase(),
        1 => key(postcode),
        2 => format!("  {}  ", postcode.replace(' ', "   ")),
        _ => postcode
            .chars()
            .enumerate()
            .map(|(j, c)| {
                if j % 2 == 0 {
                    c.to_ascii_lowercase()
                } else {
                    c
                }
            })
            .collect(),
    }
}

/// What should become of one ED row.
#[derive(Debug, Clone, PartialEq)]
enum Want {
    /// Joined to this LSOA by a spatial join on its location.
    Spatial(String),
    /// The postcode is in the directory but outside Plymouth.
    Outside,
    /// Rejected by the reader (in both join modes) with this reason.
    Rejected(&'static str, String),
    /// No location at all.
    Nothing,
    /// Coordinates in the first LSOA, a postcode in the second.
    Both(String, String),
}

const ED_HEADER: &str = "attendance_id,arrival_date,arrival_time,assault_date,assault_time,assault_method,location_type,location_text,alcohol,easting,northing,postcode\n";

/// Writes the ED file; returns what should become of each row, by line (the header is 1).
fn write_ed(path: &Path, entries: &BTreeMap<String, Entry>) -> Vec<(u64, Want)> {
    let mut rows: Vec<(String, String, Want)> = Vec::new();
    let pl: Vec<&Entry> = entries
        .values()
        .filter(|e| e.postcode.starts_with("PL"))
        .collect();
    for (i, e) in pl.iter().enumerate() {
        let written = respell(&e.postcode, i);
        let want = match (&e.plymouth_lsoa, e.terminated) {
            // A reject's value is the field as read: trimmed, inner spaces kept.
            (_, true) => Want::Rejected(
                "terminated postcode (terminated 201806)",
                written.trim().to_string(),
            ),
            (Some(code), false) => Want::Spatial(code.clone()),
            (None, false) => Want::Outside,
        };
        rows.push((String::new(), written, want));
    }
    for unknown in ["PL99 9ZZ", "pl1 9zz", "PL7 0QQ"] {
        assert!(
            !entries.contains_key(&key(unknown)),
            "{unknown} is a GP postcode"
        );
        rows.push((
            String::new(),
            unknown.to_string(),
            Want::Rejected(
                "unknown postcode (not in the postcode directory)",
                unknown.into(),
            ),
        ));
    }
    for garbage in ["not known", "PL4", "12345", "PL4 8A?"] {
        rows.push((
            String::new(),
            garbage.to_string(),
            Want::Rejected(
                "not a postcode (expected a UK postcode such as PL4 8AA)",
                garbage.into(),
            ),
        ));
    }
    rows.push((String::new(), String::new(), Want::Nothing));
    // Coordinates of one Plymouth practice, the postcode of a practice in another LSOA.
    let inside: Vec<&&Entry> = pl
        .iter()
        .filter(|e| e.plymouth_lsoa.is_some() && !e.terminated)
        .collect();
    let (a, b) = (
        inside[0],
        inside
            .iter()
            .find(|e| e.plymouth_lsoa != inside[0].plymouth_lsoa)
            .unwrap(),
    );
    rows.push((
        format!("{:.3},{:.3}", a.easting, a.northing),
        b.postcode.clone(),
        Want::Both(
            a.plymouth_lsoa.clone().unwrap(),
            b.plymouth_lsoa.clone().unwrap(),
        ),
    ));
    let mut text = String::from(ED_HEADER);
    let mut wants = Vec::new();
    for (i, (en, postcode, want)) in rows.into_iter().enumerate() {
        let en = if en.is_empty() { ",".to_string() } else { en };
        writeln!(
            text,
            "A{i},2019-01-05,23:40,2019-01-05,23:10,none,street,,no,{en},\"{postcode}\""
        )
        .unwrap();
        wants.push((i as u64 + 2, want));
    }
    std::fs::write(path, text).unwrap();
    wants
}

/// A Plymouth study of `ed.csv` joined by `join`, with the directory and the national
/// population (so that codes of other districts are known: outside, not unknown).
fn study(dir: &Path, join: &str, services: bool) -> std::path::PathBuf {
    let p = |rel: &str| data(rel).display().to_string();
    let mut text = format!(
        r#"[study]
name = "postcodes"
output_dir = "out"
[boundaries]
path = "{}"
id_field = "LSOA11CD"
[population]
path = "{}"
code_column = "lsoa11_code"
value_column = "total_population"
[postcodes]
path = "onspd.csv"
[[source]]
name = "ed"
format = "ed_istv"
paths = ["ed.csv"]
join = "{join}"
"#,
        p(LSOAS),
        p(POPULATION)
    );
    if services {
        write!(
            text,
            r#"[services]
path = "{}"
kind = "gp_practice"
confidential = false
[services.columns]
id = "OrganisationCode"
name = "OrganisationName"
postcode = "Postcode"
"#,
            p(GP)
        )
        .unwrap();
    }
    let path = dir.join(format!("{join}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs `study` into a new directory; returns it with the ED rows of `areas.csv` and
/// `rejects.csv`.
fn run(
    study: &Path,
) -> (
    tempfile::TempDir,
    BTreeMap<String, u64>,
    Vec<BTreeMap<String, String>>,
) {
    let out = tempfile::tempdir().unwrap();
    run_into(study, out.path());
    let counts = read_csv(&out.path().join("areas.csv"))
        .into_iter()
        .map(|r| (r["code"].clone(), r["ed_all_count"].parse().unwrap()))
        .collect();
    let rejects = read_csv(&out.path().join("rejects.csv"));
    (out, counts, rejects)
}

/// The (line, column, value, reason) of each reject of `input`.
fn rejects_of(
    rejects: &[BTreeMap<String, String>],
    input: &str,
) -> BTreeSet<(u64, String, String, String)> {
    rejects
        .iter()
        .filter(|r| r["input"] == input)
        .map(|r| {
            (
                r["line"].parse().unwrap(),
                r["column"].clone(),
                r["value"].clone(),
                r["reason"].clone(),
            )
        })
        .collect()
}

/// Per LSOA, how many rows should be joined there, taking `Both` rows to their
/// coordinates' LSOA (`spatial`) or their postcode's.
fn want_counts(wants: &[(u64, Want)], spatial: bool) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for (_, w) in wants {
        let code = match w {
            Want::Spatial(code) => code,
            Want::Both(coords, postcode) => {
                if spatial {
                    coords
                } else {
                    postcode
                }
            }
            _ => continue,
        };
        *counts.entry(code.clone()).or_default() += 1;
    }
    counts
}

/// The reader's rejects every join mode shares.
fn reader_rejects(wants: &[(u64, Want)]) -> BTreeSet<(u64, String, String, String)> {
    wants
        .iter()
        .filter_map(|(line, w)| match w {
            Want::Rejected(reason, value) => {
                Some((*line, "postcode".into(), value.clone(), reason.to_string()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn ed_rows_with_only_a_postcode_are_placed_by_the_directory() {
    let lsoas = plymouth_lsoas();
    let entries = directory(&lsoas);
    let plymouth: BTreeSet<&str> = lsoas.iter().map(|(c, _)| c.as_str()).collect();
    let other = read_csv(&data(POPULATION))
        .into_iter()
        .map(|r| r["lsoa11_code"].clone())
        .find(|c| !plymouth.contains(c.as_str()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_directory(&dir.path().join("onspd.csv"), &entries, &other);
    let wants = write_ed(&dir.path().join("ed.csv"), &entries);
    let n = |f: fn(&Want) -> bool| wants.iter().filter(|(_, w)| f(w)).count() as u64;
    let placed = n(|w| matches!(w, Want::Spatial(_) | Want::Outside));
    assert!(
        placed > 50 && n(|w| matches!(w, Want::Outside)) > 10,
        "{placed} placed"
    );

    // Spatial join: the postcode's point, except where the row has coordinates.
    let (out, counts, rejects) = run(&study(dir.path(), "spatial", true));
    let want = want_counts(&wants, true);
    for (code, got) in &counts {
        assert_eq!(*got, want.get(code).copied().unwrap_or(0), "{code}");
    }
    let mut want_rejects = reader_rejects(&wants);
    let nothing = wants.iter().find(|(_, w)| *w == Want::Nothing).unwrap().0;
    want_rejects.insert((
        nothing,
        "grid_ref/easting/northing/postcode".into(),
        String::new(),
        "no coordinates".into(),
    ));
    assert_eq!(rejects_of(&rejects, "ed"), want_rejects);
    let m = manifest(out.path());
    let a = accounting(&m, "ed");
    let [read, joined, outside, rejected] = four_numbers(a);
    assert_eq!(read, wants.len() as u64);
    assert_eq!(joined, want.values().sum::<u64>());
    assert_eq!(outside, n(|w| *w == Want::Outside));
    assert_eq!(rejected, want_rejects.len() as u64);
    assert_eq!(
        a["rejected_by_reason"]["unknown postcode (not in the postcode directory)"],
        3
    );
    assert_eq!(
        a["rejected_by_reason"]["terminated postcode (terminated 201806)"],
        TERMINATED
    );
    assert_eq!(
        a["placed_by_postcode"], placed,
        "the row with coordinates is not"
    );

    // The GP register with postcodes only: each practice at its postcode's point.
    let services = &m["services"];
    let [s_read, s_joined, s_outside, s_rejected] = four_numbers(services);
    let gps = read_csv(&data(GP));
    assert_eq!(s_read, gps.len() as u64);
    let fate = |postcode: &str| {
        entries
            .get(&key(postcode))
            .map(|e| (e.terminated, e.plymouth_lsoa.is_some()))
    };
    let in_plymouth = gps
        .iter()
        .filter(|r| fate(&r["Postcode"]) == Some((false, true)))
        .count();
    let located = gps
        .iter()
        .filter(|r| matches!(fate(&r["Postcode"]), Some((false, _))))
        .count();
    assert_eq!(s_joined, in_plymouth as u64);
    assert_eq!(s_outside, (located - in_plymouth) as u64);
    assert_eq!(s_rejected, (gps.len() - located) as u64);
    assert_eq!(services["placed_by_postcode"], located as u64);
    assert_eq!(
        services["rejected_by_reason"]["terminated postcode (terminated 201806)"]
            .as_u64()
            .unwrap(),
        gps.iter()
            .filter(|r| fate(&r["Postcode"]) == Some((true, true)))
            .count() as u64
    );

    // join = "postcode_lsoa": the directory's LSOA code, even where the row has coordinates.
    let (out, counts, rejects) = run(&study(dir.path(), "postcode_lsoa", false));
    let want = want_counts(&wants, false);
    for (code, got) in &counts {
        assert_eq!(*got, want.get(code).copied().unwrap_or(0), "{code}");
    }
    let mut want_rejects = reader_rejects(&wants);
    want_rejects.insert((
        nothing,
        "postcode".into(),
        String::new(),
        "no area code".into(),
    ));
    assert_eq!(rejects_of(&rejects, "ed"), want_rejects);
    let m = manifest(out.path());
    let a = accounting(&m, "ed");
    let [read, joined, outside, rejected] = four_numbers(a);
    assert_eq!(read, wants.len() as u64);
    assert_eq!(joined, want.values().sum::<u64>());
    assert_eq!(
        outside,
        n(|w| *w == Want::Outside),
        "other districts' codes are outside"
    );
    assert_eq!(rejected, want_rejects.len() as u64);
    assert_eq!(
        a["placed_by_postcode"],
        placed + 1,
        "the row with coordinates is too"
    );
}
