//! k-nearest-neighbour and distance-band weights against brute-force O(n^2) computations
//! on seeded random points (with exact duplicates and lattice ties), islands, errors, and
//! identical results on 1 and 2 threads.

use geo::{coord, polygon, Contains, Coord, MultiPolygon};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use safemap_geo::weights::{
    distance_band_weights, knn_weights, representative_points, BandWeighting, DistanceBandParams,
    KnnParams, RepresentativePoint, WeightsBuildError,
};
use safemap_types::{Transform, Weights};

fn d2(a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (dx, dy) = (a.x - b.x, a.y - b.y);
    dx * dx + dy * dy
}

/// Uniform points in a 10 km square, a few exact duplicates, and a 10 m lattice (many
/// equal distances) in one corner.
fn points(n: usize, seed: u64) -> Vec<Coord<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut pts: Vec<Coord<f64>> = (0..n)
        .map(|_| coord! { x: rng.random_range(0.0..10_000.0), y: rng.random_range(0.0..10_000.0) })
        .collect();
    for k in 0..n / 50 {
        let p = pts[k * 7];
        pts.push(p);
    }
    for i in 0..10 {
        for j in 0..10 {
            pts.push(coord! { x: -500.0 + 10.0 * f64::from(i), y: -500.0 + 10.0 * f64::from(j) });
        }
    }
    pts
}

fn brute_knn(pts: &[Coord<f64>], k: usize) -> Vec<Vec<u32>> {
    (0..pts.len())
        .map(|i| {
            let mut all: Vec<(f64, u32)> = (0..pts.len())
                .filter(|&j| j != i)
                .map(|j| (d2(pts[i], pts[j]), j as u32))
                .collect();
            all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut row: Vec<u32> = all[..k].iter().map(|&(_, j)| j).collect();
            row.sort_unstable();
            row
        })
        .collect()
}

fn brute_band(pts: &[Coord<f64>], threshold: f64, power: Option<f64>) -> Vec<Vec<(u32, f64)>> {
    (0..pts.len())
        .map(|i| {
            (0..pts.len())
                .filter(|&j| j != i && d2(pts[i], pts[j]) <= threshold * threshold)
                .map(|j| {
                    let w = power.map_or(1.0, |p| d2(pts[i], pts[j]).sqrt().powf(-p));
                    (j as u32, w)
                })
                .collect()
        })
        .collect()
}

fn rows(w: &Weights) -> Vec<Vec<(u32, f64)>> {
    (0..w.n())
        .map(|i| {
            w.neighbours(i)
                .iter()
                .copied()
                .zip(w.values(i).iter().copied())
                .collect()
        })
        .collect()
}

#[test]
fn knn_matches_brute_force() {
    let pts = points(1_500, 7);
    for k in [1, 4, 8] {
        let w = knn_weights(&pts, &KnnParams::new(k)).unwrap();
        let want = brute_knn(&pts, k);
        for (i, row) in want.iter().enumerate() {
            assert_eq!(w.neighbours(i), row.as_slice(), "k = {k}, point {i}");
        }
        assert_eq!(w.transform(), Transform::Binary);
        assert!(w.islands().is_empty());
    }
}

#[test]
fn knn_ties_go_to_the_lower_index() {
    // A centre with four points at distance 1 and a duplicate of the centre.
    let pts = [
        coord! { x: 0.0, y: 0.0 },
        coord! { x: 0.0, y: 1.0 },
        coord! { x: 1.0, y: 0.0 },
        coord! { x: -1.0, y: 0.0 },
        coord! { x: 0.0, y: -1.0 },
        coord! { x: 0.0, y: 0.0 },
    ];
    let w = knn_weights(&pts, &KnnParams::new(3)).unwrap();
    // The duplicate first (distance 0), then the two lowest of the four at distance 1.
    assert_eq!(w.neighbours(0), &[1, 2, 5]);
    assert_eq!(w.neighbours(5), &[0, 1, 2]);
    assert!(!w.is_symmetric());
    // Two far clusters: components, not islands.
    let far = [
        pts.as_slice(),
        &[coord! { x: 1e6, y: 0.0 }, coord! { x: 1e6, y: 1.0 }],
    ]
    .concat();
    let w = knn_weights(&far, &KnnParams::new(1)).unwrap();
    assert!(w.islands().is_empty());
    assert_eq!(w.components().0, 2);
}

#[test]
fn distance_band_matches_brute_force() {
    let pts = points(1_500, 11);
    for threshold in [0.0, 10.0, 250.0, 600.0] {
        let w = distance_band_weights(&pts, &DistanceBandParams::new(threshold)).unwrap();
        let want = brute_band(&pts, threshold, None);
        assert_eq!(rows(&w), want, "threshold {threshold}");
        assert!(w.is_symmetric());
        let islands: Vec<usize> = (0..pts.len()).filter(|&i| want[i].is_empty()).collect();
        assert_eq!(w.islands(), islands);
        if threshold == 250.0 {
            assert!(!islands.is_empty() && islands.len() < pts.len());
        }
    }
    // The lattice's 10 m spacing is exactly on the band's edge: included.
    let w = distance_band_weights(&pts, &DistanceBandParams::new(10.0)).unwrap();
    let corner = pts.len() - 100; // (-500, -500)
    assert_eq!(w.cardinality(corner), 2);
}

#[test]
fn inverse_distance_band() {
    // No duplicates here: they are refused under inverse distance.
    let pts: Vec<Coord<f64>> = points(800, 3).into_iter().take(800).collect();
    for power in [1.0, 2.0, 0.5] {
        let params =
            DistanceBandParams::new(700.0).weighting(BandWeighting::InverseDistance { power });
        let w = distance_band_weights(&pts, &params).unwrap();
        assert_eq!(
            rows(&w),
            brute_band(&pts, 700.0, Some(power)),
            "power {power}"
        );
        assert_eq!(w.transform(), Transform::Supplied);
        assert!(w.is_symmetric());
    }
    let dup = [pts[0], pts[1], pts[0]];
    let params =
        DistanceBandParams::new(1.0).weighting(BandWeighting::InverseDistance { power: 1.0 });
    let err = distance_band_weights(&dup, &params).unwrap_err();
    assert!(
        matches!(err, WeightsBuildError::CoincidentPoints { i: 0, j: 2, .. }),
        "{err}"
    );
}

#[test]
fn errors_name_the_problem() {
    let pts = [coord! { x: 0.0, y: 0.0 }, coord! { x: 1.0, y: f64::NAN }];
    assert!(matches!(
        knn_weights(&pts, &KnnParams::new(1)),
        Err(WeightsBuildError::NonFinitePoint { point: 1, .. })
    ));
    assert!(matches!(
        distance_band_weights(&pts, &DistanceBandParams::new(1.0)),
        Err(WeightsBuildError::NonFinitePoint { point: 1, .. })
    ));
    let ok = [coord! { x: 0.0, y: 0.0 }, coord! { x: 1.0, y: 0.0 }];
    assert_eq!(
        knn_weights(&ok, &KnnParams::new(0)),
        Err(WeightsBuildError::ZeroK)
    );
    let err = knn_weights(&ok, &KnnParams::new(2)).unwrap_err();
    assert_eq!(err, WeightsBuildError::KTooLarge { k: 2, n: 2 });
    assert!(err.to_string().contains("at least 3 points"), "{err}");
    for t in [-1.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            distance_band_weights(&ok, &DistanceBandParams::new(t)),
            Err(WeightsBuildError::BadThreshold { .. })
        ));
    }
    let bad_power =
        DistanceBandParams::new(1.0).weighting(BandWeighting::InverseDistance { power: 0.0 });
    assert!(matches!(
        distance_band_weights(&ok, &bad_power),
        Err(WeightsBuildError::BadPower { .. })
    ));
    // Empty input is fine for the band (no areas); a single point is an island.
    assert_eq!(
        distance_band_weights(&[], &DistanceBandParams::new(1.0))
            .unwrap()
            .n(),
        0
    );
    let one = distance_band_weights(&ok[..1], &DistanceBandParams::new(1.0)).unwrap();
    assert_eq!(one.islands(), vec![0]);
}

#[test]
fn representative_points_of_areas() {
    let l_shape = MultiPolygon::new(vec![polygon![
        (x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 1.0), (x: 1.0, y: 1.0), (x: 1.0, y: 10.0), (x: 0.0, y: 10.0)
    ]]);
    let areas = [l_shape.clone(), MultiPolygon::new(vec![])];
    let err = representative_points(&areas, RepresentativePoint::Centroid).unwrap_err();
    assert!(
        matches!(err, WeightsBuildError::EmptyArea { area: 1, .. }),
        "{err}"
    );
    let c = representative_points(&areas[..1], RepresentativePoint::Centroid).unwrap();
    let i = representative_points(&areas[..1], RepresentativePoint::InteriorPoint).unwrap();
    // The L's centroid lies outside it; the interior point inside.
    assert!(!l_shape.contains(&c[0]));
    assert!(l_shape.contains(&i[0]));
}

#[test]
fn identical_on_one_and_two_threads() {
    let pts = points(5_000, 99);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                (
                    knn_weights(&pts, &KnnParams::new(6)).unwrap(),
                    distance_band_weights(&pts, &DistanceBandParams::new(300.0)).unwrap(),
                )
            })
    };
    assert_eq!(run(1), run(2));
}
