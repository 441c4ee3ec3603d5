//! `[comparison]` on the national police.uk files of January 2019: Plymouth's community
//! safety partnership against every partnership and its 15 most similar.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use flate2::read::GzDecoder;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

/// Runs the study once; returns its results directory and stdout.
fn run() -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let stdout = safemap_ok(
        &[
            "run",
            "tests/studies/plymouth-comparison.toml",
            "--out",
            out.path().to_str().unwrap(),
        ],
        &[],
        0,
    );
    (out, stdout)
}

/// Every police row of the comparison's files: (LSOA code, crime type).
fn police_rows() -> Vec<(String, String)> {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(data("police/national-2019-01"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for force in ["devon-and-cornwall", "hampshire"] {
        files.push(data(&format!("police/{force}/2019-01-{force}-street.csv")));
    }
    let mut rows = Vec::new();
    for f in files {
        let mut text = String::new();
        let raw = std::fs::File::open(&f).unwrap();
        if f.extension().is_some_and(|e| e == "gz") {
            GzDecoder::new(raw).read_to_string(&mut text).unwrap();
        } else {
            std::io::BufReader::new(raw)
                .read_to_string(&mut text)
                .unwrap();
        }
        let mut r = csv::Reader::from_reader(text.as_bytes());
        for rec in r.records() {
            let rec = rec.unwrap();
            rows.push((rec[7].to_string(), rec[9].to_string()));
        }
    }
    rows
}

/// Plymouth's LSOA 2011 codes from the lookup (its 2022 authority, E06000026).
fn plymouth_lsoas() -> BTreeSet<String> {
    read_csv(&data("lookups/lsoa11_lsoa21_ltla22.csv"))
        .into_iter()
        .filter(|r| r["ltla22_code"] == "E06000026")
        .map(|r| r["lsoa11_code"].clone())
        .collect()
}

#[test]
fn plymouth_against_all_partnerships_and_its_most_similar() {
    let (out, stdout) = run();
    let rows = read_csv(&out.path().join("comparison.csv"));
    let m = manifest(out.path());
    let c = &m["comparison"];
    assert_eq!(c["partnership"]["name"], "Plymouth");

    // Plymouth's count per category = police rows with a Plymouth LSOA code, counted here.
    let lsoas = plymouth_lsoas();
    assert_eq!(lsoas.len(), 161);
    let police = police_rows();
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    for (code, crime_type) in &police {
        if lsoas.contains(code) {
            *expected.entry(crime_type.clone()).or_default() += 1;
            *expected.entry("All crime".into()).or_default() += 1;
        }
    }
    let plymouth: Vec<_> = rows.iter().filter(|r| r["group"] == "study").collect();
    assert!(expected["All crime"] > 1000, "{expected:?}");
    assert_eq!(plymouth.len(), expected.len(), "one row per category");
    for r in &plymouth {
        assert_eq!(
            r["count"].parse::<u64>().unwrap(),
            expected[&r["category_name"]],
            "{}",
            r["category_name"]
        );
    }

    // Ranks follow from the rates in the file (recomputed from its count and population:
    // the written rate is rounded), lowest = 1, ties sharing the best rank.
    let categories: BTreeSet<&str> = rows.iter().map(|r| r["category"].as_str()).collect();
    for cat in &categories {
        let of: Vec<_> = rows.iter().filter(|r| r["category"] == *cat).collect();
        let rate = |r: &BTreeMap<String, String>| {
            let x = r["count"].parse::<f64>().ok()? / r["population"].parse::<f64>().ok()? * 1000.0;
            assert!(
                (x - r["rate"].parse::<f64>().unwrap()).abs() < 1e-6,
                "{r:?}"
            );
            Some(x)
        };
        let rated: Vec<f64> = of.iter().filter_map(|r| rate(r)).collect();
        let group: Vec<f64> = of
            .iter()
            .filter(|r| !r["group"].is_empty())
            .filter_map(|r| rate(r))
            .collect();
        for r in &of {
            let Some(x) = rate(r) else {
                assert_eq!(r["rank_all"], "", "no rate, no rank: {r:?}");
                continue;
            };
            let rank = |among: &[f64]| 1 + among.iter().filter(|y| **y < x).count();
            assert_eq!(r["rank_all"], rank(&rated).to_string(), "{r:?}");
            if r["group"].is_empty() {
                assert_eq!(r["rank_similar"], "");
            } else {
                assert_eq!(r["rank_similar"], rank(&group).to_string(), "{r:?}");
            }
        }
        // 15 similar partnerships besides Plymouth, flagged in every category.
        assert_eq!(of.iter().filter(|r| r["group"] == "similar").count(), 15);
        assert_eq!(of.iter().filter(|r| r["group"] == "study").count(), 1);
        // The similar ones are the 15 nearest of the partnerships with a distance.
        let mut d: Vec<(f64, &str)> = of
            .iter()
            .filter(|r| r["group"] != "study")
            .filter_map(|r| Some((r["distance"].parse::<f64>().ok()?, r["group"].as_str())))
            .collect();
        d.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert!(d[..15].iter().all(|(_, g)| *g == "similar"), "{cat}");
    }

    // The four forces without files: their partnerships are no data, never zero.
    let missing = [
        "Greater Manchester",
        "Metropolitan Police",
        "West Midlands",
        "West Yorkshire",
    ];
    let lookup = read_csv(&data("lookups/ltla24_csp24_pfa24.csv"));
    let of_missing: BTreeSet<&str> = lookup
        .iter()
        .filter(|r| missing.contains(&r["pfa24_name"].as_str()))
        .map(|r| r["csp24_code"].as_str())
        .collect();
    assert!(of_missing.len() > 40, "{}", of_missing.len());
    for r in rows
        .iter()
        .filter(|r| of_missing.contains(r["code"].as_str()))
    {
        assert_eq!(r["data"], "no data: no police file from its force", "{r:?}");
        assert_eq!((r["count"].as_str(), r["rate"].as_str()), ("", ""), "{r:?}");
        assert_eq!(r["rank_all"], "");
    }
    let forces: Vec<&str> = c["forces_without_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(
        forces,
        [
            "greater-manchester",
            "metropolitan",
            "west-midlands",
            "west-yorkshire"
        ]
    );
    // Every partnership with data has a count; none without has one.
    let all: Vec<_> = rows.iter().filter(|r| r["category"] == "all").collect();
    assert_eq!(all.len() as u64, c["partnerships"].as_u64().unwrap());
    let ranked = all.iter().filter(|r| !r["rank_all"].is_empty()).count();
    assert_eq!(ranked as u64, c["ranked"].as_u64().unwrap());
    let no_data = all.iter().filter(|r| r["data"] != "yes").count();
    assert_eq!(no_data as u64, c["no_data"].as_u64().unwrap());
    assert_eq!(
        ranked + no_data,
        all.len(),
        "every partnership ranked or no data"
    );

    // Every police row is accounted for, and the counted ones are in the partnerships.
    let a = &c["accounting"];
    let n = |k: &str| a[k].as_u64().unwrap();
    let unmatched: u64 = a["unmatched"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(n("read"), police.len() as u64);
    assert_eq!(
        n("read"),
        n("counted") + n("no_lsoa_code") + unmatched + n("rejected")
    );
    let no_code = police.iter().filter(|(c, _)| c.is_empty()).count() as u64;
    assert_eq!(n("no_lsoa_code"), no_code);
    let counted: u64 = all
        .iter()
        .filter_map(|r| r["count"].parse::<u64>().ok())
        .sum();
    // (rows counted in a partnership without data are in `counted` but not in the file).
    assert!(counted > 0 && counted <= n("counted"));

    // The summary and the manifest say the ranks.
    let rank_similar =
        plymouth.iter().find(|r| r["category"] == "all").unwrap()["rank_similar"].clone();
    assert_eq!(
        c["categories"][0]["rank_similar"]
            .as_u64()
            .unwrap()
            .to_string(),
        rank_similar
    );
    assert!(
        stdout.contains("comparison: Plymouth all crime")
            && stdout.contains("of 16 similar partnerships"),
        "{stdout}"
    );
}
