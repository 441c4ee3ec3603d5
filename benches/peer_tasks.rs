//! safemap's side of the peer comparison (`benches/peers/run.sh`): one task on the same input
//! files the peers read, timed in this process, medians of `--reps` runs. Prints one JSON
//! object on stdout (`load_s`: reading the inputs, not in the median; `times_s`, `median_s`;
//! task facts) and writes per-area results for the agreement checks. Run it in its own
//! process per task, so the caller measures its peak resident memory.
//!
//! ```sh
//! cargo run --release -p safemap-benches --example peer_tasks -- TASK --key value ...
//! ```
//!
//! | task | inputs | times | writes |
//! |---|---|---|---|
//! | `bng-boundaries` | `--in` boundary file, `--id-field` | nothing (prepares the input) | `--out`: the polygons in British National Grid as GeoJSON (OSTN15, safemap's reprojection), every coordinate in Rust's shortest round-trip form, `{"code": ...}` per feature, legacy `crs` member EPSG:27700; so every tool reads identical coordinates |
//! | `read-boundaries` | `--in`, `--id-field`, `--project` (flag) | `read_boundaries` (+ reprojection of every polygon to BNG with `--project`) | nothing |
//! | `join` | `--boundaries` (BNG GeoJSON), `--events` (incident CSV, BNG `easting`/`northing`) | `AreaIndex::join` with the default edge rule `lowest_area_id` (index built beforehand, reported as `index_s`) | `--counts`: `code,count,count_exclude` (the second with `EdgeRule::Exclude`, what the peers do) |
//! | `weights` | `--boundaries` | queen `contiguity_weights` | `--gal` |
//! | `hotspots` | `--boundaries`, `--counts` (of `join`), `--population` CSV | Gi* (binary) + Local Moran (row-standardised), 999 permutations each, seed 1, on count per 1,000 residents | `--out`: `code,value,gi_z,gi_p_sim,lm_i,lm_p_sim`; `--gal` the weights used |
//! | `kde` | `--events`, `--cells`, `--bandwidth` (m) | quartic `kernel_density` on a `cells` × `cells` raster over the points' extent plus the bandwidth | `--out`: `x_min,y_min,cell,ncols,nrows,bandwidth,mass,peak` |
//! | `e2sfca` | `--boundaries`, `--population`, `--services` (register CSV, BNG `x`/`y`, `capacity`) | E2SFCA 3 km (1 / 0.68 / 0.22 up to 1 / 2 / 3 km) from the points, supply = capacity | `--out` dir: `demand.csv` (`code,x,y,population`: centroids), `services.csv` (`id,x,y,capacity`), `safemap_e2sfca.csv` (`code,access`) |
//!
//! Every number written is in Rust's shortest round-trip form, so Python's `float` reads back
//! the same `f64`.

// The example's output is its purpose: one JSON line on stdout.
#![allow(clippy::print_stdout)]

use geo::Centroid;
use geo_types::{Coord, MultiPolygon};
use rayon::prelude::*;
use safemap_access::{floating_catchment, CostMatrix, FcaParams};
use safemap_benches::access_inputs::{decay, CUTOFF};
use safemap_benches::count_per_area;
use safemap_geo::reproject::{multipolygon_to_bng, to_bng};
use safemap_geo::weights::{contiguity_weights, Contiguity, ContiguityParams};
use safemap_geo::{AreaIndex, EdgeRule};
use safemap_ingest::boundaries::{read_boundaries, BoundaryMapping, BoundarySet};
use safemap_ingest::weights_file::write_gal;
use safemap_ingest::{
    read_event_csv, read_keyed_values, read_services, CategoryMapping, EventCsvMapping,
    InputLimits, KeyedColumns, ServiceRegister,
};
use safemap_stats::kde::{kernel_density, Bandwidth, KdeParams, KdePoints, Kernel, Metres, Raster};
use safemap_stats::{getis_ord, local_moran, GetisOrdParams, GiVariant, LocalMoranParams};
use safemap_types::weights::Transform;
use safemap_types::Crs;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The options after the task name, `--key value` or a bare `--flag`.
struct Args {
    values: HashMap<String, String>,
}

impl Args {
    fn parse(rest: &[String]) -> Self {
        let mut values = HashMap::new();
        let mut it = rest.iter().peekable();
        while let Some(key) = it.next() {
            let key = key
                .strip_prefix("--")
                .unwrap_or_else(|| panic!("expected --option, got {key:?}"));
            let value = match it.peek() {
                Some(v) if !v.starts_with("--") => it.next().cloned().unwrap_or_default(),
                _ => String::new(),
            };
            values.insert(key.to_string(), value);
        }
        Args { values }
    }

    fn get(&self, key: &str) -> &str {
        self.values
            .get(key)
            .unwrap_or_else(|| panic!("missing option --{key}"))
    }

    fn path(&self, key: &str) -> PathBuf {
        PathBuf::from(self.get(key))
    }

    fn number<T: std::str::FromStr>(&self, key: &str, default: T) -> T {
        self.values.get(key).map_or(default, |v| {
            v.parse()
                .unwrap_or_else(|_| panic!("--{key} {v:?} is not a number"))
        })
    }

    fn flag(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }
}

/// Seconds of each of `reps` calls of `f` and the last call's result.
fn timed<T>(reps: usize, mut f: impl FnMut() -> T) -> (Vec<f64>, T) {
    let mut times = Vec::with_capacity(reps);
    let mut out = None;
    for _ in 0..reps.max(1) {
        let started = Instant::now();
        out = Some(f());
        times.push(started.elapsed().as_secs_f64());
    }
    (times, out.expect("at least one run"))
}

fn median(times: &[f64]) -> f64 {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        f64::midpoint(sorted[n / 2 - 1], sorted[n / 2])
    }
}

/// The JSON every task prints: `load_s`, `times_s`, `median_s` and the task's facts.
fn report(load_s: f64, times: &[f64], facts: Value) -> Value {
    let mut out = json!({ "load_s": load_s, "times_s": times, "median_s": median(times) });
    if let (Some(out), Value::Object(facts)) = (out.as_object_mut(), facts) {
        out.extend(facts);
    }
    out
}

fn boundaries(path: &Path, id_field: &str) -> BoundarySet {
    let mapping = BoundaryMapping {
        layer: None,
        id_field: id_field.into(),
        name_field: None,
        crs: None,
        value_fields: Vec::new(),
    };
    read_boundaries(path, &mapping, InputLimits::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The set's codes and polygons in British National Grid (reprojected in parallel).
fn bng_polygons(set: BoundarySet) -> (Vec<String>, Vec<MultiPolygon<f64>>) {
    let crs = set.crs;
    let polygons = set
        .areas
        .par_iter()
        .map(|a| multipolygon_to_bng(&a.geometry, crs).expect("reprojects to BNG"))
        .collect();
    (set.areas.into_iter().map(|a| a.code).collect(), polygons)
}

/// The BNG boundary file of `bng-boundaries`, read with safemap's reader (ids `code`).
fn read_bng(path: &Path) -> (Vec<String>, Vec<MultiPolygon<f64>>) {
    let set = boundaries(path, "code");
    assert_eq!(set.crs, Crs::BritishNationalGrid, "{}", path.display());
    bng_polygons(set)
}

/// The points of an incident CSV of the synthetic workload, read with safemap's reader.
fn read_events(path: &Path) -> Vec<Coord<f64>> {
    let mapping = EventCsvMapping::force_extract();
    let read = read_event_csv(
        &[path.to_path_buf()],
        &mapping,
        &CategoryMapping::default(),
        InputLimits::default(),
        None,
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        read.rejects.is_empty(),
        "{}: {} rows rejected, the first {:?}",
        path.display(),
        read.rejects.len(),
        read.rejects.first()
    );
    read.events
        .iter()
        .filter_map(|e| e.point)
        .map(|p| to_bng(p).expect("BNG point"))
        .collect()
}

fn population(path: &Path, codes: &[String]) -> Vec<f64> {
    let read = read_keyed_values(
        path,
        &KeyedColumns {
            code_column: "lsoa11_code".into(),
            value_column: "total_population".into(),
        },
        InputLimits::default(),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    codes
        .iter()
        .map(|c| {
            *read
                .values
                .get(c)
                .unwrap_or_else(|| panic!("{}: no population for {c}", path.display()))
        })
        .collect()
}

/// Creates the directory `path` goes into.
fn create_parent(path: &Path) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
}

/// Writes `text` to `path`, naming it on failure.
fn write(path: &Path, text: &str) {
    create_parent(path);
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Writes `w` as a GAL file with safemap's writer.
fn gal(path: &Path, w: &safemap_types::Weights, codes: &[String]) {
    create_parent(path);
    write_gal(path, w, codes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn bng_boundaries(args: &Args) -> Value {
    let started = Instant::now();
    let (codes, polygons) = bng_polygons(boundaries(&args.path("in"), args.get("id-field")));
    let features: Vec<geojson::Feature> = codes
        .iter()
        .zip(&polygons)
        .map(|(code, mp)| {
            let mut properties = geojson::JsonObject::new();
            properties.insert("code".into(), json!(code));
            geojson::Feature {
                geometry: Some(geojson::Geometry::new(geojson::GeometryValue::from(mp))),
                properties: Some(properties),
                ..geojson::Feature::default()
            }
        })
        .collect();
    let mut members = geojson::JsonObject::new();
    members.insert(
        "crs".into(),
        json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}),
    );
    let collection = geojson::FeatureCollection {
        bbox: None,
        features,
        foreign_members: Some(members),
    };
    write(&args.path("out"), &collection.to_string());
    let vertices: usize = polygons
        .iter()
        .map(|mp| {
            mp.0.iter()
                .map(|p| {
                    p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>()
                })
                .sum::<usize>()
        })
        .sum();
    json!({ "areas": codes.len(), "vertices": vertices, "seconds": started.elapsed().as_secs_f64() })
}

fn read_boundaries_task(args: &Args) -> Value {
    let (path, id_field, project) = (args.path("in"), args.get("id-field"), args.flag("project"));
    let (times, areas) = timed(args.number("reps", 3), || {
        let set = boundaries(&path, id_field);
        if project {
            bng_polygons(set).1.len()
        } else {
            set.areas.len()
        }
    });
    report(0.0, &times, json!({ "areas": areas, "project": project }))
}

fn join_task(args: &Args) -> Value {
    let started = Instant::now();
    let (codes, polygons) = read_bng(&args.path("boundaries"));
    let points = read_events(&args.path("events"));
    let load_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let index = AreaIndex::new(&polygons);
    let index_s = started.elapsed().as_secs_f64();
    let (times, joined) = timed(args.number("reps", 3), || {
        count_per_area(&index.join(&points, EdgeRule::LowestAreaId), polygons.len())
    });
    let excluded = count_per_area(&index.join(&points, EdgeRule::Exclude), polygons.len());
    let mut csv = String::from("code,count,count_exclude\n");
    for ((code, n), e) in codes.iter().zip(&joined).zip(&excluded) {
        let _ = writeln!(csv, "{code},{n},{e}");
    }
    write(&args.path("counts"), &csv);
    report(
        load_s,
        &times,
        json!({
            "index_s": index_s,
            "points": points.len(),
            "areas": polygons.len(),
            "joined": joined.iter().sum::<f64>(),
            "joined_exclude": excluded.iter().sum::<f64>(),
        }),
    )
}

fn queen() -> ContiguityParams {
    ContiguityParams::new(Contiguity::Queen)
}

fn weights_task(args: &Args) -> Value {
    let started = Instant::now();
    let (codes, polygons) = read_bng(&args.path("boundaries"));
    let load_s = started.elapsed().as_secs_f64();
    let (times, w) = timed(args.number("reps", 3), || {
        contiguity_weights(&polygons, &queen()).expect("queen weights")
    });
    gal(&args.path("gal"), &w, &codes);
    report(
        load_s,
        &times,
        json!({ "areas": w.n(), "links": w.links(), "islands": w.islands().len() }),
    )
}

/// The study's seed and permutations (`tests/studies/national.toml`).
const SEED: u64 = 1;
const PERMUTATIONS: usize = 999;

fn hotspots_task(args: &Args) -> Value {
    let started = Instant::now();
    let (codes, polygons) = read_bng(&args.path("boundaries"));
    let counts_path = args.path("counts");
    let text = std::fs::read_to_string(&counts_path)
        .unwrap_or_else(|e| panic!("{}: {e}", counts_path.display()));
    let counts: HashMap<&str, f64> = text
        .lines()
        .skip(1)
        .map(|line| {
            let mut f = line.split(',');
            let code = f.next().unwrap_or_default();
            let n = f.next().and_then(|v| v.parse().ok());
            (
                code,
                n.unwrap_or_else(|| panic!("{}: bad line {line:?}", counts_path.display())),
            )
        })
        .collect();
    let population = population(&args.path("population"), &codes);
    let values: Vec<f64> = codes
        .iter()
        .zip(&population)
        .map(|(c, p)| counts[c.as_str()] / p * 1000.0)
        .collect();
    let w = contiguity_weights(&polygons, &queen()).expect("queen weights");
    gal(&args.path("gal"), &w, &codes);
    let load_s = started.elapsed().as_secs_f64();
    let gi_params = GetisOrdParams::new(GiVariant::GiStar, SEED)
        .transform(Transform::Binary)
        .permutations(PERMUTATIONS);
    let lm_params = LocalMoranParams::new(SEED)
        .transform(Transform::RowStandardised)
        .permutations(PERMUTATIONS);
    let reps = args.number("reps", 3);
    let (gi_times, gi) = timed(reps, || getis_ord(&values, &w, gi_params).expect("Gi*"));
    let (lm_times, lm) = timed(reps, || {
        local_moran(&values, &w, lm_params).expect("Local Moran")
    });
    let mut csv = String::from("code,value,gi_z,gi_p_sim,lm_i,lm_p_sim\n");
    let num = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v:?}"));
    for (k, code) in codes.iter().enumerate() {
        let g = gi.sites[k];
        let l = lm.sites[k];
        let _ = writeln!(
            csv,
            "{code},{:?},{},{},{},{}",
            values[k],
            num(g.map(|s| s.z)),
            num(g.and_then(|s| s.p_sim)),
            num(l.map(|s| s.i)),
            num(l.and_then(|s| s.p_sim)),
        );
    }
    write(&args.path("out"), &csv);
    let both: Vec<f64> = gi_times.iter().zip(&lm_times).map(|(a, b)| a + b).collect();
    report(
        load_s,
        &both,
        json!({
            "gi_star_median_s": median(&gi_times),
            "local_moran_median_s": median(&lm_times),
            "areas": values.len(),
            "islands": w.islands().len(),
            "permutations": PERMUTATIONS,
        }),
    )
}

fn kde_task(args: &Args) -> Value {
    let started = Instant::now();
    let points = read_events(&args.path("events"));
    let xs: Vec<f64> = points.iter().map(|p| p.x).collect();
    let ys: Vec<f64> = points.iter().map(|p| p.y).collect();
    let load_s = started.elapsed().as_secs_f64();
    let cells: usize = args.number("cells", 1000);
    let h: f64 = args.number("bandwidth", 2000.0);
    let (x_min, x_max) = xs
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    let (y_min, y_max) = ys
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &y| (a.min(y), b.max(y)));
    // Square cells over the extent plus the bandwidth on every side, as KDEpy's grid.
    let cell = ((x_max - x_min).max(y_max - y_min) + 2.0 * h) / cells as f64;
    let raster =
        Raster::new(x_min - h, y_min - h, cell, cells, cells).expect("raster of the points");
    let kde_points = KdePoints::new(&xs, &ys).expect("finite points");
    let params = KdeParams::new(
        Kernel::Quartic,
        Bandwidth::Fixed(Metres::new(h).expect("positive bandwidth")),
    );
    let (times, surface) = timed(args.number("reps", 3), || {
        kernel_density(&kde_points, &raster, &params).expect("kde")
    });
    let peak = surface.values.iter().copied().fold(0.0, f64::max);
    write(
        &args.path("out"),
        &format!(
            "x_min,y_min,cell,ncols,nrows,bandwidth,mass,peak\n{:?},{:?},{cell:?},{cells},{cells},{h:?},{:?},{peak:?}\n",
            x_min - h,
            y_min - h,
            surface.mass()
        ),
    );
    report(
        load_s,
        &times,
        json!({ "points": xs.len(), "cells": cells * cells, "bandwidth_m": h, "cell_m": cell }),
    )
}

fn e2sfca_task(args: &Args) -> Value {
    let started = Instant::now();
    let (codes, polygons) = read_bng(&args.path("boundaries"));
    let areas: Vec<Coord<f64>> = polygons
        .par_iter()
        .map(|p| p.centroid().expect("an area has a centroid").0)
        .collect();
    let population = population(&args.path("population"), &codes);
    let services_path = args.path("services");
    let read = read_services(
        &services_path,
        &ServiceRegister::default(),
        InputLimits::default(),
        None,
    )
    .unwrap_or_else(|e| panic!("{}: {e}", services_path.display()));
    assert!(
        read.rejects.is_empty(),
        "{}: rejected rows {:?}",
        services_path.display(),
        read.rejects.first()
    );
    let sites: Vec<Coord<f64>> = read
        .services
        .iter()
        .map(|s| to_bng(s.point).expect("BNG service"))
        .collect();
    let capacity: Vec<f64> = read
        .services
        .iter()
        .map(|s| s.capacity.unwrap_or(1.0))
        .collect();
    let load_s = started.elapsed().as_secs_f64();
    let params = FcaParams::new(decay());
    let (times, result) = timed(args.number("reps", 3), || {
        let costs = CostMatrix::straight_line(&areas, &sites, CUTOFF).expect("costs");
        floating_catchment(&costs, &population, Some(&capacity), &params).expect("E2SFCA")
    });
    let dir = args.path("out");
    let mut demand = String::from("code,x,y,population\n");
    let mut access = String::from("code,access\n");
    for (k, code) in codes.iter().enumerate() {
        let (p, pop) = (areas[k], population[k]);
        let _ = writeln!(demand, "{code},{:?},{:?},{pop:?}", p.x, p.y);
        let _ = writeln!(access, "{code},{:?}", result.access[k]);
    }
    let mut services = String::from("id,x,y,capacity\n");
    for (j, (s, c)) in sites.iter().zip(&capacity).enumerate() {
        let _ = writeln!(services, "{j},{:?},{:?},{c:?}", s.x, s.y);
    }
    write(&dir.join("demand.csv"), &demand);
    write(&dir.join("services.csv"), &services);
    write(&dir.join("safemap_e2sfca.csv"), &access);
    report(
        load_s,
        &times,
        json!({ "areas": areas.len(), "services": sites.len(), "cutoff_m": CUTOFF }),
    )
}

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let (task, rest) = argv.split_first().unwrap_or_else(|| {
        panic!("usage: peer_tasks TASK --option value ... (see the module docs)")
    });
    let args = Args::parse(rest);
    let out = match task.as_str() {
        "bng-boundaries" => bng_boundaries(&args),
        "read-boundaries" => read_boundaries_task(&args),
        "join" => join_task(&args),
        "weights" => weights_task(&args),
        "hotspots" => hotspots_task(&args),
        "kde" => kde_task(&args),
        "e2sfca" => e2sfca_task(&args),
        other => panic!("unknown task {other:?}"),
    };
    let threads = rayon::current_num_threads();
    let mut out = out;
    if let Some(map) = out.as_object_mut() {
        map.insert("task".into(), json!(task));
        map.insert("threads".into(), json!(threads));
    }
    println!("{out}");
}
