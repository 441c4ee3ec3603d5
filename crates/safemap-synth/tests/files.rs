//! The written files: names, exact headers, formats and volumes.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use safemap_synth::{
    format_grid_ref, CityFiles, GroundTruth, DEPRIVATION_HEADER, ED_HEADER, FORCE_HEADER,
    POLICE_UK_HEADER, POPULATION_HEADER, SERVICES_HEADER,
};
use std::path::Path;
use std::sync::OnceLock;

const CRIME_TYPES: [&str; 14] = [
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
];

fn written() -> &'static (tempfile::TempDir, CityFiles) {
    static W: OnceLock<(tempfile::TempDir, CityFiles)> = OnceLock::new();
    W.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let files = common::demo_city()
            .write_to(dir.path())
            .expect("the demo city writes");
        (dir, files)
    })
}

fn rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .expect("the file opens");
    let header = r
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    let body = r
        .records()
        .map(|rec| {
            rec.expect("a CSV record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    (header, body)
}

#[test]
fn every_file_is_written_with_its_exact_header() {
    let (dir, files) = written();
    assert_eq!(files.all().len(), 36 + 7);
    assert!(files
        .all()
        .iter()
        .all(|p| p.starts_with(dir.path()) && p.is_file()));
    assert_eq!(
        files.police_uk[0],
        dir.path().join("police/2023-01-synth-street.csv")
    );
    assert_eq!(
        files.police_uk[35],
        dir.path().join("police/2025-12-synth-street.csv")
    );
    let first_line = |p: &Path| {
        std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        first_line(&files.police_uk[7]),
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"
    );
    assert_eq!(
        first_line(&files.force),
        "incident_id,occurred_at,easting,northing,offence,domestic_abuse"
    );
    assert_eq!(
        first_line(&files.ed),
        "attendance_id,arrival_date,arrival_time,assault_date,assault_time,assault_method,location_type,location_text,alcohol,grid_ref,easting,northing"
    );
    assert_eq!(
        first_line(&files.services),
        "name,kind,tier,x,y,capacity,confidential"
    );
    assert_eq!(first_line(&files.population), "code,population");
    assert_eq!(first_line(&files.deprivation), "code,imd_decile");
    assert_eq!(first_line(&files.police_uk[0]), POLICE_UK_HEADER.join(","));
    assert_eq!(first_line(&files.force), FORCE_HEADER.join(","));
    assert_eq!(first_line(&files.ed), ED_HEADER.join(","));
    assert_eq!(first_line(&files.services), SERVICES_HEADER.join(","));
    assert_eq!(first_line(&files.population), POPULATION_HEADER.join(","));
    assert_eq!(first_line(&files.deprivation), DEPRIVATION_HEADER.join(","));
}

#[test]
fn police_uk_files_look_like_the_real_ones() {
    let (_, files) = written();
    let codes: Vec<&str> = common::demo_city()
        .areas
        .iter()
        .map(|a| a.area.code.as_str())
        .collect();
    let (mut total, mut no_location) = (0usize, 0usize);
    for path in &files.police_uk {
        let month = path.file_name().unwrap().to_str().unwrap()[..7].to_string();
        let (_, body) = rows(path);
        for r in &body {
            assert_eq!(r.len(), 12);
            assert_eq!(r[1], month);
            assert_eq!(
                (r[2].as_str(), r[3].as_str()),
                ("Synthshire Police", "Synthshire Police")
            );
            assert!(CRIME_TYPES.contains(&r[9].as_str()), "{}", r[9]);
            let asb = r[9] == "Anti-social behaviour";
            assert_eq!(r[0].is_empty(), asb);
            assert_eq!(r[10].is_empty(), asb);
            assert!(asb || (r[0].len() == 64 && r[0].chars().all(|c| c.is_ascii_hexdigit())));
            assert!(r[11].is_empty());
            if r[4].is_empty() {
                no_location += 1;
                assert!(r[5].is_empty() && r[7].is_empty() && r[8].is_empty());
                assert_eq!(r[6], "No location");
            } else {
                for (v, lo, hi) in [(&r[4], -1.6, -1.0), (&r[5], 52.5, 52.8)] {
                    assert_eq!(v.split('.').nth(1).map(str::len), Some(6), "{v}");
                    let x: f64 = v.parse().unwrap();
                    assert!((lo..hi).contains(&x), "{v}");
                }
                assert!(r[6].starts_with("On or near "));
                assert!(codes.contains(&r[7].as_str()));
                assert!(!r[8].is_empty());
            }
        }
        total += body.len();
    }
    assert!((40_000..=60_000).contains(&total), "{total} police.uk rows");
    let share = no_location as f64 / total as f64;
    assert!((0.02..0.04).contains(&share), "{share} without location");
}

#[test]
fn force_extract_rows_parse() {
    let (_, files) = written();
    let (_, body) = rows(&files.force);
    assert!(
        (20_000..=30_000).contains(&body.len()),
        "{} force rows",
        body.len()
    );
    let mut last = NaiveDateTime::MIN;
    let mut domestic = 0;
    for r in &body {
        assert!(r[0].starts_with("INC-20"));
        let t = NaiveDateTime::parse_from_str(&r[1], "%Y-%m-%d %H:%M").unwrap();
        assert!(t >= last);
        last = t;
        for v in [&r[2], &r[3]] {
            assert_eq!(v.split('.').nth(1).map(str::len), Some(1), "{v}");
        }
        let (e, n): (f64, f64) = (r[2].parse().unwrap(), r[3].parse().unwrap());
        assert!((440_000.0..460_000.0).contains(&e) && (290_000.0..310_000.0).contains(&n));
        assert!(!r[4].is_empty());
        assert!(r[5] == "yes" || r[5] == "no");
        domestic += usize::from(r[5] == "yes");
    }
    assert!(domestic > body.len() / 10);
}

#[test]
fn ed_rows_use_grid_refs_or_coordinates() {
    let (_, files) = written();
    let (_, body) = rows(&files.ed);
    assert!(
        (2_000..=6_000).contains(&body.len()),
        "{} ED rows",
        body.len()
    );
    let methods = [
        "none",
        "body",
        "knife",
        "blunt_object",
        "glass_bottle",
        "firearm",
        "other_weapon",
    ];
    let places = ["street", "pub_club", "home", "other"];
    let mut grid = 0;
    for r in &body {
        let arrival =
            NaiveDateTime::parse_from_str(&format!("{} {}", r[1], r[2]), "%Y-%m-%d %H:%M").unwrap();
        let assault =
            NaiveDateTime::parse_from_str(&format!("{} {}", r[3], r[4]), "%Y-%m-%d %H:%M").unwrap();
        assert!(arrival > assault);
        assert!(methods.contains(&r[5].as_str()) && places.contains(&r[6].as_str()));
        assert!(!r[7].is_empty());
        assert!(r[8] == "yes" || r[8] == "no");
        if r[9].is_empty() {
            let (e, n): (f64, f64) = (r[10].parse().unwrap(), r[11].parse().unwrap());
            assert_eq!((e.fract(), n.fract()), (0.0, 0.0));
        } else {
            grid += 1;
            assert!(r[10].is_empty() && r[11].is_empty());
            let parts: Vec<&str> = r[9].split(' ').collect();
            assert_eq!(parts.len(), 3, "{}", r[9]);
            assert!(parts[0] == "SP" || parts[0] == "SK", "{}", r[9]);
            assert!(parts[1..]
                .iter()
                .all(|p| p.len() == 5 && p.chars().all(|c| c.is_ascii_digit())));
        }
    }
    let share = f64::from(grid) / body.len() as f64;
    assert!((0.8..0.9).contains(&share), "{share} with grid references");
    // Grid references round-trip the in-memory points.
    for r in common::demo_city().ed.iter().take(50) {
        let g = format_grid_ref(r.point.x, r.point.y).unwrap();
        assert_eq!(&g[3..8], &format!("{:05}", r.point.x as u32 % 100_000));
    }
    assert!(NaiveDate::from_ymd_opt(2023, 1, 1).is_some());
}

#[test]
fn services_population_and_deprivation_files() {
    let (_, files) = written();
    let city = common::demo_city();
    let (_, services) = rows(&files.services);
    assert_eq!(services.len(), city.services.len());
    for r in &services {
        assert!([
            "idva_service",
            "refuge",
            "family_hub",
            "youth_service",
            "perpetrator_programme",
            "sexual_violence_service"
        ]
        .contains(&r[1].as_str()));
        assert!(["primary", "secondary", "tertiary"].contains(&r[2].as_str()));
        assert_eq!(r[6] == "yes", r[1] == "refuge");
        let _: f64 = r[3].parse().unwrap();
        let _: f64 = r[5].parse().unwrap();
    }
    let (_, pop) = rows(&files.population);
    let (_, dep) = rows(&files.deprivation);
    assert_eq!(pop.len(), 175);
    for ((p, d), a) in pop.iter().zip(&dep).zip(&city.areas) {
        assert_eq!(
            (p[0].as_str(), d[0].as_str()),
            (a.area.code.as_str(), a.area.code.as_str())
        );
        assert_eq!(p[1].parse::<u32>().unwrap(), a.population);
        assert!((1..=10).contains(&d[1].parse::<u8>().unwrap()));
    }
}

#[test]
fn boundaries_and_ground_truth_read_back() {
    let (_, files) = written();
    let city = common::demo_city();
    let gj: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&files.boundaries).unwrap()).unwrap();
    assert_eq!(gj["type"], "FeatureCollection");
    assert_eq!(
        gj["crs"]["properties"]["name"],
        "urn:ogc:def:crs:EPSG::27700"
    );
    let features = gj["features"].as_array().unwrap();
    assert_eq!(features.len(), 175);
    assert_eq!(features[0]["properties"]["code"], "SYN0001");
    assert_eq!(
        features[0]["properties"]["name"],
        city.areas[0].area.name.as_str()
    );
    assert_eq!(features[0]["geometry"]["type"], "Polygon");
    let ring = features[0]["geometry"]["coordinates"][0]
        .as_array()
        .unwrap();
    assert_eq!(ring.first(), ring.last());
    let gt: GroundTruth =
        serde_json::from_slice(&std::fs::read(&files.ground_truth).unwrap()).unwrap();
    assert_eq!(&gt, &city.ground_truth);
    let text = std::fs::read_to_string(&files.ground_truth).unwrap();
    for name in [
        "night_time_economy",
        "domestic_abuse",
        "new_hotspot",
        "intensifying_hotspot",
        "diminishing_hotspot",
        "service_gap",
    ] {
        assert!(text.contains(&format!("\"kind\": \"{name}\"")), "{name}");
    }
}
