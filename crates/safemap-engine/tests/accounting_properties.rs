//! Property test of row accounting through the whole engine (issue 16): a study of four
//! square areas and a random police.uk file (rows inside an area, outside them all, without
//! a location, dated outside the period, malformed, blank lines). After `run`, every
//! non-blank data line is read, read = joined + outside + rejected, and each of the four
//! numbers is the count of the rows generated to end that way.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use proptest::prelude::*;
use safemap_engine::pipeline::{run, RunOptions};
use safemap_engine::Study;

const HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";

/// The four areas: squares of 0.05° from (-4.2, 50.35).
const BOUNDARIES: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[-4.2,50.35],[-4.15,50.35],[-4.15,50.4],[-4.2,50.4],[-4.2,50.35]]]}},
{"type":"Feature","properties":{"code":"B"},"geometry":{"type":"Polygon","coordinates":[[[-4.15,50.35],[-4.1,50.35],[-4.1,50.4],[-4.15,50.4],[-4.15,50.35]]]}},
{"type":"Feature","properties":{"code":"C"},"geometry":{"type":"Polygon","coordinates":[[[-4.2,50.4],[-4.15,50.4],[-4.15,50.45],[-4.2,50.45],[-4.2,50.4]]]}},
{"type":"Feature","properties":{"code":"D"},"geometry":{"type":"Polygon","coordinates":[[[-4.15,50.4],[-4.1,50.4],[-4.1,50.45],[-4.15,50.45],[-4.15,50.4]]]}}
]}"#;

const STUDY: &str = r#"[study]
name = "accounting"
seed = 1
output_dir = "out"

[period]
from = "2019-01"
to = "2019-06"

[boundaries]
path = "areas.geojson"
id_field = "code"

[[source]]
name = "police"
format = "police_uk"
paths = ["police/*.csv"]
join = "spatial"
"#;

/// What a generated line should become.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fate {
    Joined,
    OutsideArea,
    OutsidePeriod,
    Rejected,
    Blank,
}

fn row(lon: &str, lat: &str, month: &str) -> String {
    format!("id,{month},Force,Force,{lon},{lat},On or near X,E01000001,Name 001A,Burglary,,")
}

fn line() -> impl Strategy<Value = (String, Fate)> {
    // Inside the squares, away from their shared edges by more than rounding.
    let inside = (-4.1999..-4.1001f64, 50.3501..50.4499f64)
        .prop_filter("off the shared edges", |(x, y)| {
            (x + 4.15).abs() > 1e-6 && (y - 50.4).abs() > 1e-6
        });
    let month = (1..=6_u32).prop_map(|m| format!("2019-{m:02}"));
    prop_oneof![
        6 => (inside.clone(), month.clone())
            .prop_map(|((x, y), m)| (row(&x.to_string(), &y.to_string(), &m), Fate::Joined)),
        2 => (-3.0..-1.0f64, 51.0..52.0f64, month.clone())
            .prop_map(|(x, y, m)| (row(&x.to_string(), &y.to_string(), &m), Fate::OutsideArea)),
        2 => (inside, 7..=12_u32)
            .prop_map(|((x, y), m)| (row(&x.to_string(), &y.to_string(), &format!("2019-{m:02}")), Fate::OutsidePeriod)),
        1 => month.clone().prop_map(|m| (row("", "", &m), Fate::Rejected)),
        1 => month.clone().prop_map(|m| (row("abc", "50.4", &m), Fate::Rejected)),
        1 => Just((row("-4.15", "50.4", "2019-13"), Fate::Rejected)),
        1 => month.prop_map(|m| (format!("\"{}", row("-4.15", "50.4", &m)), Fate::Rejected)),
        1 => Just(("a,b,c".to_string(), Fate::Rejected)),
        1 => Just((String::new(), Fate::Blank)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_row_ends_joined_outside_or_rejected(
        lines in proptest::collection::vec(line(), 1..150),
    ) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("areas.geojson"), BOUNDARIES).unwrap();
        std::fs::write(dir.path().join("study.toml"), STUDY).unwrap();
        std::fs::create_dir(dir.path().join("police")).unwrap();
        let mut text = HEADER.to_string();
        for (l, _) in &lines {
            text.push('\n');
            text.push_str(l);
        }
        text.push('\n');
        std::fs::write(dir.path().join("police/2019-force-street.csv"), text).unwrap();

        let study = Study::load(&dir.path().join("study.toml")).unwrap();
        let report = run(&study, &RunOptions::default()).unwrap();
        let a = &report.results.sources[0].accounting;
        let n = |f: Fate| lines.iter().filter(|(_, g)| *g == f).count() as u64;
        prop_assert_eq!(a.read, lines.len() as u64 - n(Fate::Blank));
        prop_assert_eq!(a.read, a.joined + a.outside + a.rejected);
        prop_assert_eq!(a.joined, n(Fate::Joined));
        prop_assert_eq!(a.outside_area, n(Fate::OutsideArea));
        prop_assert_eq!(a.outside_period, n(Fate::OutsidePeriod));
        prop_assert_eq!(a.rejected, n(Fate::Rejected));
        // The areas' counts add up to the joined rows.
        let areas = std::fs::read_to_string(report.out_dir.join("areas.csv")).unwrap();
        let mut reader = csv::Reader::from_reader(areas.as_bytes());
        let column = reader.headers().unwrap().iter().position(|h| h == "police_all_count").unwrap();
        let total: u64 = reader
            .records()
            .map(|r| r.unwrap()[column].parse::<u64>().unwrap_or(0))
            .sum();
        prop_assert_eq!(total, a.joined);
    }
}

/// A file of more rows than the readers hand over at once (65,536 events) is joined a chunk
/// at a time: its counts are the rows', area by area and category by category, and the same
/// rows split into small files give the same outputs.
#[test]
fn a_file_of_several_chunks_counts_like_its_rows() {
    const ROWS: u64 = 140_000;
    const KINDS: [&str; 3] = ["Burglary", "Drugs", "Arson"];
    let mut state = 7_u64;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        state >> 33
    };
    let mut lines = Vec::new();
    // Expected joined count per (area, kind); areas A..D as in BOUNDARIES.
    let mut expected = std::collections::BTreeMap::new();
    let mut outside = 0;
    for _ in 0..ROWS {
        let kind = KINDS[(next() % 3) as usize];
        let month = format!("2019-0{}", 1 + next() % 6);
        // Cell centres of a 40 x 40 grid over the squares: never on a shared edge.
        let (i, j) = (next() % 40, next() % 40);
        let (lon, lat) = (
            -4.2 + 0.1 * (i as f64 + 0.5) / 40.0,
            50.35 + 0.1 * (j as f64 + 0.5) / 40.0,
        );
        let far = next() % 10 == 0;
        let lon = if far { lon + 1.0 } else { lon };
        if far {
            outside += 1;
        } else {
            let area = ["A", "B", "C", "D"][usize::from(i >= 20) + 2 * usize::from(j >= 20)];
            *expected.entry((area, kind)).or_insert(0_u64) += 1;
        }
        lines.push(format!(
            "id,{month},Force,Force,{lon:.6},{lat:.6},On or near X,E01000001,Name 001A,{kind},,"
        ));
    }
    let run_with = |files: Vec<&[String]>| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("areas.geojson"), BOUNDARIES).unwrap();
        std::fs::write(dir.path().join("study.toml"), STUDY).unwrap();
        std::fs::create_dir(dir.path().join("police")).unwrap();
        for (k, part) in files.iter().enumerate() {
            let text = format!("{HEADER}\n{}\n", part.join("\n"));
            std::fs::write(dir.path().join(format!("police/part-{k:02}.csv")), text).unwrap();
        }
        let study = Study::load(&dir.path().join("study.toml")).unwrap();
        let report = run(&study, &RunOptions::default()).unwrap();
        let read = |name: &str| std::fs::read_to_string(report.out_dir.join(name)).unwrap();
        let accounting = report.results.sources[0].accounting.clone();
        (accounting, read("areas.csv"), read("counts.csv"), dir)
    };
    let (whole, areas, counts, _dir) = run_with(vec![&lines]);
    assert_eq!(whole.read, ROWS);
    assert_eq!(whole.outside_area, outside);
    assert_eq!(whole.joined, ROWS - outside);
    let mut reader = csv::Reader::from_reader(areas.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        let area = &record[column("code")];
        for kind in KINDS {
            let got: u64 = record[column(&format!("police_{}_count", kind.to_lowercase()))]
                .parse()
                .unwrap();
            assert_eq!(got, expected[&(area, kind)], "{area} {kind}");
        }
    }
    let parts: Vec<&[String]> = lines.chunks(9_000).collect();
    let (split, split_areas, split_counts, _split_dir) = run_with(parts);
    assert_eq!(
        (split.read, split.joined, split.outside_area),
        (whole.read, whole.joined, whole.outside_area)
    );
    assert_eq!(split_areas, areas, "areas.csv");
    assert_eq!(split_counts, counts, "counts.csv");
}
