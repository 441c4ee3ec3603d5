//! Inputs shared by safemap's benchmarks: the national LSOA polygons and police points
//! from `../shared/data`, and seeded synthetic points.

use geo::{BoundingRect, Intersects};
use geo_types::{Coord, MultiPolygon};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use safemap_geo::reproject::{multipolygon_to_bng, to_bng};
use safemap_geo::{AreaIndex, EdgeRule};
use safemap_ingest::boundaries::{read_boundaries, BoundaryMapping};
use std::path::{Path, PathBuf};

pub mod access_inputs;

/// `../shared/data/<rel>` beside the checkout.
pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data")
        .join(rel)
}

/// The 34,753 England and Wales LSOA11 polygons in British National Grid.
pub fn national_lsoas() -> Vec<MultiPolygon<f64>> {
    national_lsoas_with_codes().1
}

/// The located rows of the 39 national police.uk files of January 2019, in BNG.
pub fn national_police_points() -> Vec<Coord<f64>> {
    let files =
        safemap_ingest::expand_paths(&["police/national-2019-01/*.csv.gz".to_string()], &data(""))
            .expect("national police files")
            .files;
    let read = safemap_ingest::police_uk::read_police_uk(
        &files,
        &safemap_ingest::CategoryMapping::default(),
        safemap_ingest::InputLimits::default(),
    )
    .expect("national police rows");
    read.events
        .iter()
        .filter_map(|e| e.point)
        .filter_map(|p| to_bng(p).ok())
        .collect()
}

/// `n` seeded points over the polygons' extent: 55% uniform, the rest in 8 Gaussian clusters
/// centred on randomly chosen polygons (the mix PEERS.md used for the peers).
pub fn synthetic_points(polygons: &[MultiPolygon<f64>], n: usize, seed: u64) -> Vec<Coord<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let rects: Vec<_> = polygons
        .iter()
        .filter_map(BoundingRect::bounding_rect)
        .collect();
    let (min, max) = rects.iter().fold(
        (
            Coord {
                x: f64::MAX,
                y: f64::MAX,
            },
            Coord {
                x: f64::MIN,
                y: f64::MIN,
            },
        ),
        |(lo, hi), r| {
            (
                Coord {
                    x: lo.x.min(r.min().x),
                    y: lo.y.min(r.min().y),
                },
                Coord {
                    x: hi.x.max(r.max().x),
                    y: hi.y.max(r.max().y),
                },
            )
        },
    );
    let centres: Vec<Coord<f64>> = (0..8)
        .map(|_| rects[rng.random_range(0..rects.len())].center())
        .collect();
    (0..n)
        .map(|i| {
            if i % 100 < 55 {
                Coord {
                    x: rng.random_range(min.x..max.x),
                    y: rng.random_range(min.y..max.y),
                }
            } else {
                let c = centres[i % 8];
                // Box-Muller, sigma 3 km.
                let (u, v): (f64, f64) = (rng.random_range(1e-12..1.0), rng.random_range(0.0..1.0));
                let r = (-2.0 * u.ln()).sqrt() * 3000.0;
                let t = std::f64::consts::TAU * v;
                Coord {
                    x: c.x + r * t.cos(),
                    y: c.y + r * t.sin(),
                }
            }
        })
        .collect()
}

/// Checks `got` (from the index) against a brute-force scan of every polygon for the
/// first `sample` points: the lowest-index polygon that intersects the point, or none.
pub fn assert_join_correct(
    polygons: &[MultiPolygon<f64>],
    points: &[Coord<f64>],
    got: &[Option<safemap_types::AreaId>],
    sample: usize,
) {
    let step = (points.len() / sample).max(1);
    points.par_iter().zip(got).step_by(step).for_each(|(p, g)| {
        let want = polygons.iter().position(|poly| poly.intersects(p));
        assert_eq!(g.map(safemap_types::AreaId::index), want, "point {p:?}");
    });
}

/// Joins with the safemap rule; used by the benchmark and its correctness check.
pub fn join(index: &AreaIndex, points: &[Coord<f64>]) -> Vec<Option<safemap_types::AreaId>> {
    index.join(points, EdgeRule::LowestAreaId)
}

/// The national LSOA11 boundary file as read (WGS84, the file's own CRS), ids `LSOA11CD`.
pub fn national_lsoa_set() -> safemap_ingest::boundaries::BoundarySet {
    let mapping = BoundaryMapping {
        layer: None,
        value_fields: Vec::new(),
        id_field: "LSOA11CD".into(),
        name_field: None,
        crs: None,
    };
    read_boundaries(
        &data("boundaries/uk-geojson/england_wales_lsoa11.geojson.gz"),
        &mapping,
        safemap_ingest::InputLimits::default(),
    )
    .expect("national LSOA boundaries")
}

/// The national LSOA11 codes (`LSOA11CD`) and polygons in British National Grid, in the
/// boundary file's order (the order of [`national_lsoas`]).
pub fn national_lsoas_with_codes() -> (Vec<String>, Vec<MultiPolygon<f64>>) {
    let set = national_lsoa_set();
    let polygons = set
        .areas
        .par_iter()
        .map(|a| multipolygon_to_bng(&a.geometry, set.crs).expect("reprojects"))
        .collect();
    (set.areas.into_iter().map(|a| a.code).collect(), polygons)
}

/// Mid-2019 resident population of each of `codes` (`population/population19_lsoa11.csv`,
/// read with the ingest crate's keyed-table reader); panics on a missing code.
pub fn lsoa_population_2019(codes: &[String]) -> Vec<f64> {
    let read = safemap_ingest::read_keyed_values(
        &data("population/population19_lsoa11.csv"),
        &safemap_ingest::KeyedColumns {
            code_column: "lsoa11_code".into(),
            value_column: "total_population".into(),
        },
        safemap_ingest::InputLimits::default(),
    )
    .expect("mid-2019 LSOA population");
    codes
        .iter()
        .map(|c| {
            *read
                .values
                .get(c)
                .unwrap_or_else(|| panic!("no population for {c}"))
        })
        .collect()
}

/// Points per area: `assigned[k]` is the area of point `k` (or none), out of `n` areas.
pub fn count_per_area(assigned: &[Option<safemap_types::AreaId>], n: usize) -> Vec<f64> {
    let mut counts = vec![0.0; n];
    for a in assigned.iter().flatten() {
        counts[a.index()] += 1.0;
    }
    counts
}
