//! Real UK geographies: a study on 2021 LSOAs with a population table on 2011 LSOAs
//! converted through ONS's lookup, and a ward study aggregated from its LSOAs.
#![allow(clippy::unwrap_used)] // fixture helpers: a failed unwrap is a failed test

mod common;
use common::*;
use std::collections::{BTreeMap, BTreeSet};

/// Rows of ONS's LSOA 2011 to 2021 lookup for Plymouth: (lsoa11, change code, lsoa21).
fn plymouth_lookup() -> Vec<(String, String, String)> {
    read_csv(&data("lookups/lsoa11_lsoa21_ltla22.csv"))
        .into_iter()
        .filter(|r| r["ltla22_code"] == "E06000026")
        .map(|r| {
            (
                r["lsoa11_code"].clone(),
                r["change_code"].clone(),
                r["lsoa21_code"].clone(),
            )
        })
        .collect()
}

#[test]
fn lsoa21_study_converts_the_2011_population_and_attaches_iod2025() {
    let out = tempfile::tempdir().unwrap();
    let stdout = safemap_ok(
        &[
            "run",
            "tests/studies/plymouth-lsoa21.toml",
            "--out",
            out.path().to_str().unwrap(),
        ],
        &[],
        0,
    );
    let areas = read_csv(&out.path().join("areas.csv"));
    assert_eq!(areas.len(), 164);
    let population: BTreeMap<&str, f64> = areas
        .iter()
        .map(|a| (a["code"].as_str(), a["population"].parse().unwrap()))
        .collect();

    // The 2011 table, read independently.
    let pop11: BTreeMap<String, f64> = read_csv(&data("population/population19_lsoa11.csv"))
        .into_iter()
        .map(|r| {
            (
                r["lsoa11_code"].clone(),
                r["total_population"].parse().unwrap(),
            )
        })
        .collect();
    let lookup = plymouth_lookup();
    let sources: BTreeSet<&str> = lookup.iter().map(|r| r.0.as_str()).collect();
    let total11: f64 = sources.iter().map(|c| pop11[*c]).sum();
    assert_eq!(total11, 262_100.0, "the README's mid-2019 Plymouth total");
    assert_eq!(
        population.values().sum::<f64>(),
        total11,
        "total conserved exactly"
    );

    let unchanged: Vec<_> = lookup.iter().filter(|r| r.1 == "U").collect();
    assert_eq!(unchanged.len(), 158);
    for (old, _, new) in &unchanged {
        assert_eq!(old, new);
        assert_eq!(population[new.as_str()], pop11[old], "{new} unchanged");
    }
    let mut splits: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (old, _, new) in lookup.iter().filter(|r| r.1 == "S") {
        splits.entry(old).or_default().push(new);
    }
    assert_eq!(splits.len(), 3);
    for (old, parts) in &splits {
        assert_eq!(parts.len(), 2);
        let p: Vec<f64> = parts.iter().map(|c| population[c]).collect();
        assert_eq!(p.iter().sum::<f64>(), pop11[*old], "{old}'s parts add up");
        assert!(
            (p[0] - p[1]).abs() <= 1.0,
            "{old} split equally in whole people: {p:?}"
        );
        assert!(p.iter().all(|x| x.fract() == 0.0));
    }

    // IoD2025 deciles, native to LSOA 2021: every area has the file's decile.
    let iod: BTreeMap<String, String> = read_csv(&data("imd/imd2025_england_lsoa21.csv"))
        .into_iter()
        .map(|r| (r["lsoa21_code"].clone(), r["IMD_decile"].clone()))
        .collect();
    for a in &areas {
        let want: f64 = iod[&a["code"]].parse().unwrap();
        assert_eq!(
            a["deprivation"].parse::<f64>().unwrap(),
            want,
            "{}",
            a["code"]
        );
    }

    // The manifest records the conversion with its tally of change types.
    let m = manifest(out.path());
    let c = &m["areas"]["conversions"][0];
    assert_eq!(c["table"], "population");
    assert_eq!(c["from"], "lsoa11");
    assert_eq!(c["to"], "lsoa21");
    assert_eq!(c["changes"]["unchanged"]["from_areas"], 158);
    assert_eq!(c["changes"]["split"]["from_areas"], 3);
    assert_eq!(c["changes"]["split"]["to_areas"], 6);
    assert_eq!(
        c["total_before_after"],
        serde_json::json!([262_100.0, 262_100.0])
    );
    assert_eq!(
        m["areas"]["conversions"].as_array().unwrap().len(),
        1,
        "IoD2025 is native"
    );
    assert_eq!(
        m["areas"]["without_population"].as_array().unwrap().len(),
        0
    );
    assert!(
        stdout.contains("population converted from lsoa11 to lsoa21"),
        "{stdout}"
    );
}

/// `tests/studies/{name}` edited by `edit`, written into `dir` with the shared data's paths
/// made absolute.
fn study_variant(dir: &std::path::Path, name: &str, edit: impl Fn(&str) -> String) -> String {
    let text = std::fs::read_to_string(root().join("tests/studies").join(name)).unwrap();
    let text = edit(&text).replace(
        "../../../shared",
        &root().join("../shared").display().to_string(),
    );
    let study = dir.join("study.toml");
    std::fs::write(&study, text).unwrap();
    study.to_str().unwrap().to_string()
}

#[test]
fn a_table_of_another_vintage_without_a_lookup_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let study = study_variant(dir.path(), "plymouth-lsoa21.toml", |text| {
        let cut = text.find("[[vintage_lookup]]").unwrap();
        let end = text.find("[[source]]").unwrap();
        format!("{}{}", &text[..cut], &text[end..])
    });
    let out = safemap(&["validate", &study], &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("population.vintage"), "{err}");
    assert!(err.contains("[[vintage_lookup]]"), "{err}");
}

/// Sums of `column` of the small areas per neighbourhood, from `small_areas.geojson`.
fn sums_by_neighbourhood(dir: &std::path::Path, column: &str) -> BTreeMap<String, u64> {
    let text = std::fs::read_to_string(dir.join("small_areas.geojson")).unwrap();
    let fc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut sums = BTreeMap::new();
    for f in fc["features"].as_array().unwrap() {
        let p = &f["properties"];
        *sums
            .entry(p["neighbourhood"].as_str().unwrap().to_string())
            .or_default() += p[column].as_u64().unwrap();
    }
    sums
}

#[test]
fn ward_study_has_rates_and_hotspots_for_every_ward_and_counts_that_sum_its_lsoas() {
    let wards = tempfile::tempdir().unwrap();
    let lsoas = tempfile::tempdir().unwrap();
    let stdout = safemap_ok(
        &[
            "run",
            "tests/studies/plymouth-wards.toml",
            "--out",
            wards.path().to_str().unwrap(),
        ],
        &[],
        0,
    );
    safemap_ok(
        &[
            "run",
            "tests/studies/plymouth-lsoa21.toml",
            "--out",
            lsoas.path().to_str().unwrap(),
        ],
        &[],
        0,
    );
    let areas = read_csv(&wards.path().join("areas.csv"));
    assert_eq!(areas.len(), 20, "the 20 wards of Plymouth");
    let mut names = BTreeSet::new();
    for a in &areas {
        assert!(a["code"].starts_with("E05"), "{}", a["code"]);
        names.insert(a["name"].clone());
        let population: f64 = a["population"]
            .parse()
            .unwrap_or_else(|_| panic!("{} has a population", a["name"]));
        assert!(population > 5_000.0, "{}: {population}", a["name"]);
        let rate: f64 = a["police_all_rate"].parse().unwrap();
        assert!(rate > 0.0);
        assert!(
            !a["violence_gi_star_z"].is_empty(),
            "{} has a Gi* z",
            a["name"]
        );
    }
    assert!(
        names.contains("Budshead") && names.contains("St Peter and the Waterfront"),
        "{names:?}"
    );

    // Ward populations are the sums of the converted LSOA populations, in total the city's.
    let total: f64 = areas
        .iter()
        .map(|a| a["population"].parse::<f64>().unwrap())
        .sum();
    assert_eq!(total, 262_100.0);

    // Each ward's count equals the sum of the counts of its LSOAs, both from the layer of
    // the ward run and from the separate LSOA run.
    let by_ward = sums_by_neighbourhood(wards.path(), "police_all_count");
    let lsoa_counts: BTreeMap<String, u64> = read_csv(&lsoas.path().join("areas.csv"))
        .into_iter()
        .map(|r| (r["code"].clone(), r["police_all_count"].parse().unwrap()))
        .collect();
    let text = std::fs::read_to_string(wards.path().join("small_areas.geojson")).unwrap();
    let fc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut from_lsoa_run: BTreeMap<String, u64> = BTreeMap::new();
    for f in fc["features"].as_array().unwrap() {
        let p = &f["properties"];
        assert_eq!(
            p["police_all_count"].as_u64().unwrap(),
            lsoa_counts[p["code"].as_str().unwrap()],
            "the small areas layer holds the LSOA run's counts"
        );
        *from_lsoa_run
            .entry(p["neighbourhood"].as_str().unwrap().into())
            .or_default() += lsoa_counts[p["code"].as_str().unwrap()];
    }
    assert_eq!(fc["features"].as_array().unwrap().len(), 164);
    for a in &areas {
        let count: u64 = a["police_all_count"].parse().unwrap();
        assert_eq!(count, by_ward[&a["code"]], "{}", a["name"]);
        assert_eq!(count, from_lsoa_run[&a["code"]], "{}", a["name"]);
    }
    // Every row is still accounted for, as in the LSOA run.
    let m = manifest(wards.path());
    let n = &m["areas"]["neighbourhoods"];
    assert_eq!(n["small_areas"], 164);
    assert_eq!(n["membership"], "best fit");
    assert_eq!(n["without_small_areas"].as_array().unwrap().len(), 0);
    assert_eq!(
        four_numbers(accounting(&m, "police")),
        four_numbers(accounting(&manifest(lsoas.path()), "police"))
    );
    let layer = m["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "small_areas")
        .expect("a small_areas layer");
    assert_eq!(layer["sensitive"], false);
    assert!(
        stdout.contains("reported by ward: 20 wards from 164 small areas (best fit"),
        "{stdout}"
    );
}

#[test]
fn a_source_can_be_per_an_age_band_converted_from_2011() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let study = study_variant(dir.path(), "plymouth-lsoa21.toml", |text| {
        text.replace(
            "[[source]]",
            "[[denominator]]\nname = \"youth\"\nlabel = \"residents aged 10-17\"\npath = \"../../../shared/data/population/population19_lsoa11.csv\"\ncode_column = \"lsoa11_code\"\nage_band = \"10-17\"\nvintage = \"lsoa11\"\n\n[[source]]",
        )
        .replace("join = \"spatial\"", "join = \"spatial\"\ndenominator = \"youth\"\nrate_per = 100000")
    });
    safemap_ok(&["run", &study, "--out", out.to_str().unwrap()], &[], 0);
    // The band, summed from the single-year columns of the 2011 table, read independently.
    let youth11: BTreeMap<String, f64> = read_csv(&data("population/population19_lsoa11.csv"))
        .into_iter()
        .map(|r| {
            let band: f64 = (10..=17)
                .map(|a| r[&a.to_string()].parse::<f64>().unwrap())
                .sum();
            (r["lsoa11_code"].clone(), band)
        })
        .collect();
    let lookup = plymouth_lookup();
    let areas = read_csv(&out.join("areas.csv"));
    let youth: BTreeMap<&str, f64> = areas
        .iter()
        .map(|a| (a["code"].as_str(), a["denominator_youth"].parse().unwrap()))
        .collect();
    for (old, change, new) in &lookup {
        if change == "U" {
            assert_eq!(youth[new.as_str()], youth11[old], "{new}");
        }
    }
    let sources: BTreeSet<&str> = lookup.iter().map(|r| r.0.as_str()).collect();
    let total: f64 = sources.iter().map(|c| youth11[*c]).sum();
    assert_eq!(
        youth.values().sum::<f64>(),
        total,
        "the band's total is conserved"
    );
    // The rate is per 100,000 of the band, not per 1,000 residents.
    for a in &areas {
        let count: f64 = a["police_all_count"].parse().unwrap();
        let rate: f64 = a["police_all_rate"].parse().unwrap();
        let want = count / youth[a["code"].as_str()] * 100_000.0;
        assert!(
            (rate - want).abs() <= 1e-9 * want.max(1.0),
            "{}: {rate} vs {want}",
            a["code"]
        );
    }
    let m = manifest(&out);
    let rate = &m["sources"][0]["rate"];
    assert_eq!(rate["denominator"], "youth");
    assert_eq!(rate["column"], "denominator_youth");
    assert_eq!(rate["label"], "per 100,000 residents aged 10-17");
    assert_eq!(m["areas"]["denominators"][0]["name"], "youth");
}

#[test]
fn rows_with_2011_codes_join_2021_areas_with_splits_dealt_in_whole_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let study = study_variant(dir.path(), "plymouth-lsoa21.toml", |text| {
        text.replace(
            "join = \"spatial\"",
            "join = \"code\"\nvintage = \"lsoa11\"",
        )
    });
    safemap_ok(&["run", &study, "--out", out.to_str().unwrap()], &[], 0);
    // Rows per 2011 code, from the reference file (matched by the CSV's `LSOA code`).
    let by_code: BTreeMap<String, u64> = read_csv(&data(
        "reference/uk_plymouth_lsoa11_police_2018-10_2019-02.csv",
    ))
    .into_iter()
    .map(|r| (r["LSOA11CD"].clone(), r["crimes_all"].parse().unwrap()))
    .collect();
    let counts: BTreeMap<String, u64> = read_csv(&out.join("areas.csv"))
        .into_iter()
        .map(|r| (r["code"].clone(), r["police_all_count"].parse().unwrap()))
        .collect();
    let lookup = plymouth_lookup();
    let mut parts: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (old, change, new) in &lookup {
        if change == "U" {
            assert_eq!(counts[new], by_code[old], "{new} unchanged");
        } else {
            parts.entry(old).or_default().push(new);
        }
    }
    for (old, new) in &parts {
        let got: Vec<u64> = new.iter().map(|c| counts[*c]).collect();
        assert_eq!(
            got.iter().sum::<u64>(),
            by_code[*old],
            "{old}'s rows all dealt"
        );
        assert!(
            got.iter().max().unwrap() - got.iter().min().unwrap() <= 1,
            "{old}: {got:?}"
        );
    }
    let m = manifest(&out);
    let a = accounting(&m, "police");
    assert_eq!(
        a["joined"].as_u64().unwrap(),
        by_code.values().sum::<u64>(),
        "every row with a Plymouth 2011 code is joined"
    );
    let split: u64 = parts.keys().map(|c| by_code[*c]).sum();
    assert_eq!(a["converted_codes"]["split"], split);
    let [read, joined, outside, rejected] = four_numbers(a);
    assert_eq!(read, joined + outside + rejected);
}
