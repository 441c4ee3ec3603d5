//! The `gdal` feature end to end, through the real GDAL library and its command-line tools
//! (`ogr2ogr`, `ogrinfo`, `gdalinfo` from Debian's gdal-bin): the Plymouth LSOAs converted to
//! GeoPackages and a Shapefile in WGS84 and British National Grid, and to a Web Mercator
//! Shapefile and a UTM FlatGeobuf (which only GDAL reprojects), give the same per-area counts
//! as the GeoJSON they came from; a run's `results.gpkg` and `density.tif` open in GDAL with
//! every layer, feature and value.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Runs a GDAL command-line tool and returns its standard output.
fn gdal_tool(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} (Debian's gdal-bin) must be installed: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs a study into `out` and returns police counts by area code.
fn run(study: &Path, out: &Path) -> BTreeMap<String, String> {
    run_into(study, out);
    let m = manifest(out);
    four_numbers(accounting(&m, "police"));
    read_csv(&out.join("areas.csv"))
        .into_iter()
        .map(|r| (r["code"].clone(), r["police_all_count"].clone()))
        .collect()
}

/// The Plymouth LSOAs in British National Grid, as safemap itself projects WGS84 boundaries
/// (OSTN15), written as GeoJSON with its `crs` member.
fn plymouth_in_bng(geojson: &Path, out: &Path) {
    let text = std::fs::read_to_string(geojson).unwrap();
    let collection =
        geojson::FeatureCollection::try_from(text.parse::<geojson::GeoJson>().unwrap()).unwrap();
    let features: Vec<serde_json::Value> = collection
        .features
        .iter()
        .map(|f| {
            let g: geo_types::Geometry<f64> = f.geometry.clone().unwrap().try_into().unwrap();
            let mp = match g {
                geo_types::Geometry::Polygon(p) => geo_types::MultiPolygon(vec![p]),
                geo_types::Geometry::MultiPolygon(m) => m,
                other => panic!("not a polygon: {other:?}"),
            };
            let bng = safemap_geo::reproject::multipolygon_to_bng(&mp, safemap_types::Crs::Wgs84)
                .unwrap();
            serde_json::json!({
                "type": "Feature",
                "properties": f.properties,
                "geometry": geojson::Geometry::new(geojson::GeometryValue::from(&bng)),
            })
        })
        .collect();
    let doc = serde_json::json!({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
        "features": features,
    });
    std::fs::write(out, serde_json::to_vec(&doc).unwrap()).unwrap();
}

#[test]
fn geopackages_and_shapefiles_join_as_the_geojson_does() {
    let dir = tempfile::tempdir().unwrap();
    let geojson = data("boundaries/uk-geojson/lsoa11/E06000026.json");
    let src = geojson.to_str().unwrap();
    let bng_geojson = dir.path().join("plymouth_bng.geojson");
    plymouth_in_bng(&geojson, &bng_geojson);
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let bng_src = path("plymouth_bng.geojson");
    // WGS84 as published, British National Grid, and Web Mercator (GDAL reprojects it).
    gdal_tool("ogr2ogr", &["-f", "GPKG", &path("wgs84.gpkg"), src]);
    gdal_tool("ogr2ogr", &["-f", "GPKG", &path("bng.gpkg"), &bng_src]);
    gdal_tool(
        "ogr2ogr",
        &["-f", "ESRI Shapefile", &path("bng.shp"), &bng_src],
    );
    gdal_tool(
        "ogr2ogr",
        &[
            "-f",
            "ESRI Shapefile",
            "-t_srs",
            "EPSG:3857",
            &path("mercator.shp"),
            src,
        ],
    );
    gdal_tool(
        "ogr2ogr",
        &[
            "-f",
            "FlatGeobuf",
            "-t_srs",
            "EPSG:32630",
            &path("utm30.fgb"),
            src,
        ],
    );
    assert!(std::fs::read_to_string(path("bng.prj"))
        .unwrap()
        .contains("British_National_Grid"));

    let from_geojson = run(
        &plymouth_study(dir.path(), "a.toml", Some(&geojson), ""),
        &dir.path().join("out-geojson"),
    );
    assert_eq!(from_geojson.len(), 161);
    let total = |c: &BTreeMap<String, String>| -> u64 {
        c.values().map(|v| v.parse::<u64>().unwrap()).sum()
    };
    assert!(total(&from_geojson) > 10_000, "{}", total(&from_geojson));
    for file in [
        "wgs84.gpkg",
        "bng.gpkg",
        "bng.shp",
        "mercator.shp",
        "utm30.fgb",
    ] {
        let counts = run(
            &plymouth_study(
                dir.path(),
                &format!("{file}.toml"),
                Some(Path::new(&path(file))),
                "",
            ),
            &dir.path().join(format!("out-{file}")),
        );
        assert_eq!(counts, from_geojson, "{file}: per-area police counts");
    }
}

#[test]
fn a_run_writes_every_layer_to_one_geopackage_and_density_to_a_geotiff() {
    let dir = tempfile::tempdir().unwrap();
    let geojson = data("boundaries/uk-geojson/lsoa11/E06000026.json");
    let study = plymouth_study(
        dir.path(),
        "study.toml",
        Some(&geojson),
        r#"
[grid]
shape = "square"
cell_size_m = 500
source = "police"
threshold_m = 1000

[density]
source = "police"
cell_size_m = 200
kernel = "quartic"
"#,
    );
    let out = dir.path().join("out");
    run(&study, &out);
    let outputs: Vec<String> = manifest(&out)["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert!(outputs.contains(&"results.gpkg".to_string()), "{outputs:?}");
    assert!(outputs.contains(&"density.tif".to_string()), "{outputs:?}");

    let gpkg = out.join("results.gpkg");
    let info = gdal_tool("ogrinfo", &["-so", "-al", gpkg.to_str().unwrap()]);
    // Every GeoJSON layer of the run is a table, with as many features as its file.
    let mut layers = 0;
    for file in outputs.iter().filter(|f| f.ends_with(".geojson")) {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        let features =
            geojson::FeatureCollection::try_from(text.parse::<geojson::GeoJson>().unwrap())
                .unwrap()
                .features
                .len();
        let layer = file.trim_end_matches(".geojson");
        assert!(
            info.contains(&format!("Layer name: {layer}\n")),
            "{layer} missing from:\n{info}"
        );
        let block = info
            .split("Layer name: ")
            .find(|b| b.starts_with(&format!("{layer}\n")));
        assert!(
            block
                .unwrap()
                .contains(&format!("Feature Count: {features}\n")),
            "{layer}: {features} features expected in\n{info}"
        );
        layers += 1;
    }
    assert!(layers >= 3, "areas, grid and density at least: {outputs:?}");
    // The areas table has every column of areas.csv.
    let areas = info
        .split("Layer name: ")
        .find(|b| b.starts_with("areas\n"))
        .unwrap();
    let header = read_csv(&out.join("areas.csv"))[0].clone();
    for column in header.keys() {
        assert!(
            areas.contains(&format!("\n{column}: ")),
            "areas lacks {column}"
        );
    }

    // The GeoTIFF: the surface's size, British National Grid, and the ASCII grid's values.
    let tif = out.join("density.tif");
    let info = gdal_tool("gdalinfo", &["-stats", tif.to_str().unwrap()]);
    let asc = std::fs::read_to_string(out.join("density.asc")).unwrap();
    let header: BTreeMap<&str, &str> = asc
        .lines()
        .take(6)
        .filter_map(|l| l.split_once(' '))
        .collect();
    assert!(
        info.contains(&format!("Size is {}, {}", header["ncols"], header["nrows"])),
        "{info}"
    );
    assert!(info.contains("British National Grid"), "{info}");
    let asc_values: Vec<f64> = asc
        .lines()
        .skip(6)
        .flat_map(|l| l.split(' ').map(|v| v.parse::<f64>().unwrap()))
        .collect();
    let max = asc_values.iter().copied().fold(f64::MIN, f64::max);
    assert!(max > 0.0);
    let stat = |key: &str| -> f64 {
        let line = info.lines().find(|l| l.contains(key)).unwrap();
        line.split('=').nth(1).unwrap().trim().parse().unwrap()
    };
    assert!(
        (stat("STATISTICS_MAXIMUM") - max).abs() <= 1e-9 * max,
        "GeoTIFF maximum {} vs ASCII grid {max}",
        stat("STATISTICS_MAXIMUM")
    );
    // The first pixel (north-west) is the ASCII grid's first value.
    let first = gdal_tool(
        "gdallocationinfo",
        &["-valonly", tif.to_str().unwrap(), "0", "0"],
    );
    let first: f64 = first.trim().parse().unwrap();
    assert!(
        (first - asc_values[0]).abs() <= 1e-9 * max.max(1.0),
        "{first}"
    );
}

#[test]
fn a_geopackage_of_several_layers_needs_one_named() {
    let dir = tempfile::tempdir().unwrap();
    let geojson = data("boundaries/uk-geojson/lsoa11/E06000026.json");
    let gpkg = dir.path().join("two.gpkg");
    let g = gpkg.to_str().unwrap();
    let src = geojson.to_str().unwrap();
    gdal_tool("ogr2ogr", &["-f", "GPKG", g, src, "-nln", "lsoa"]);
    gdal_tool(
        "ogr2ogr",
        &["-f", "GPKG", "-update", g, src, "-nln", "copy"],
    );
    let study = plymouth_study(dir.path(), "study.toml", Some(&gpkg), "");
    let out = safemap(&["run", study.to_str().unwrap()], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr.contains("has 2 layers (lsoa, copy)") && stderr.contains("set layer"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&study).unwrap().replace(
        "id_field = \"LSOA11CD\"",
        "id_field = \"LSOA11CD\"\nlayer = \"copy\"",
    );
    std::fs::write(&study, text).unwrap();
    let counts = run(&study, &dir.path().join("out"));
    assert_eq!(counts.len(), 161);
}

/// Writes the rows of `csv`, located by its `Longitude` and `Latitude` columns, as WGS84
/// points in GDAL's `format` at `out`.
fn csv_points_to(format: &str, csv: &Path, out: &Path) {
    gdal_tool(
        "ogr2ogr",
        &[
            "-f",
            format,
            "-oo",
            "X_POSSIBLE_NAMES=Longitude",
            "-oo",
            "Y_POSSIBLE_NAMES=Latitude",
            "-a_srs",
            "EPSG:4326",
            out.to_str().unwrap(),
            csv.to_str().unwrap(),
        ],
    );
}

/// Point layers through GDAL read as the CSVs they were made from (with `ogr2ogr`): the
/// police.uk months as Shapefiles of WGS84 points (an `events_gdal` source, located by the
/// geometry) give every Plymouth LSOA the count the `police_uk` source gives it, with every
/// row accounted for; the NHS GP register as a GeoPackage loads as the CSV does (8,883 rows:
/// 43 practices in Plymouth, 8,839 outside, the one without coordinates rejected at its
/// feature's position).
#[test]
fn point_sources_and_service_registers_from_gdal_formats_read_as_their_csvs() {
    let dir = tempfile::tempdir().unwrap();
    let shp_dir = dir.path().join("police");
    std::fs::create_dir(&shp_dir).unwrap();
    let mut csv_rows = 0;
    for entry in std::fs::read_dir(data("police/devon-and-cornwall")).unwrap() {
        let csv = entry.unwrap().path();
        csv_rows += read_csv(&csv).len() as u64;
        let shp = shp_dir.join(csv.file_stem().unwrap()).with_extension("shp");
        csv_points_to("ESRI Shapefile", &csv, &shp);
    }
    let gpkg = dir.path().join("gp.gpkg");
    let register = data("services/nhs-choices-2019/GP.utf8.csv");
    csv_points_to("GPKG", &register, &gpkg);
    let extra = format!(
        "[[source]]\nname = \"shp\"\nformat = \"events_gdal\"\npaths = [\"{}/*.shp\"]\n\
         join = \"spatial\"\n[source.columns]\ntime = \"Month\"\ntime_format = \"%Y-%m\"\n\
         category = \"Crime type\"\n\n[services]\npath = \"{}\"\nkind = \"gp_practice\"\n\
         confidential = false\n[services.columns]\nid = \"OrganisationCode\"\n\
         name = \"OrganisationName\"\n",
        shp_dir.display(),
        gpkg.display()
    );
    let geojson = data("boundaries/uk-geojson/lsoa11/E06000026.json");
    let study = plymouth_study(dir.path(), "study.toml", Some(&geojson), &extra);
    let out = dir.path().join("out");
    let police = run(&study, &out);
    let areas = read_csv(&out.join("areas.csv"));
    let shp: BTreeMap<String, String> = areas
        .iter()
        .map(|r| (r["code"].clone(), r["shp_all_count"].clone()))
        .collect();
    assert_eq!(shp.len(), 161);
    assert_eq!(shp, police, "per-area counts from the Shapefiles");
    let m = manifest(&out);
    let [read, joined, outside, rejected] = four_numbers(accounting(&m, "shp"));
    assert_eq!(read, csv_rows, "one feature per CSV row");
    assert_eq!(read, joined + outside + rejected);
    assert_eq!(
        four_numbers(accounting(&m, "shp"))[1],
        four_numbers(accounting(&m, "police"))[1],
        "joined"
    );

    assert_eq!(four_numbers(&m["services"]), [8_883, 43, 8_839, 1]);
    let rejects = read_csv(&out.join("rejects.csv"));
    let services: Vec<_> = rejects
        .iter()
        .filter(|r| r["input"] == "services")
        .collect();
    // Line 8,708 of the CSV (its header is line 1) is the 8,707th feature.
    assert_eq!(services.len(), 1);
    assert_eq!(services[0]["line"], "8707");
    let geojson: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("services.geojson")).unwrap()).unwrap();
    let features = geojson["features"].as_array().unwrap();
    assert_eq!(features.len(), 8_882);
    let st_martins = features
        .iter()
        .find(|f| f["properties"]["service_id"] == "B86100")
        .unwrap();
    assert_eq!(
        st_martins["properties"]["name"],
        "St Martin\u{2019}s Practice"
    );
}
