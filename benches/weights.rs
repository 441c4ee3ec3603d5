//! Queen contiguity of the 34,753 England and Wales LSOA11 polygons (UK-GeoJSON, in British
//! National Grid), by exact boundary intersection. PEERS.md: libpysal takes 13.7 s
//! (`Queen`) and 9.8 s (`Graph`) on 35k polygons.
//!
//! Correctness is asserted before timing: the weights are symmetric, the mean number of
//! neighbours is within 4.5-6.5 (the data README gives about 5.0 for intersection), the
//! islands are only areas with no other area within 1 km (genuine islands such as the
//! Isles of Scilly), exact queen and 5 mm rook are subsets of 5 mm queen, and a sample of pairs agrees with geo's
//! `Intersects`.

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use geo::{BoundingRect, Intersects, MultiPolygon};
use rayon::prelude::*;
use safemap_benches::national_lsoas;
use safemap_geo::weights::{contiguity_weights, Contiguity, ContiguityParams};
use safemap_types::Weights;
use std::time::Duration;

fn queen() -> ContiguityParams {
    ContiguityParams::new(Contiguity::Queen)
}

fn assert_queen_correct(polygons: &[MultiPolygon<f64>], w: &Weights) {
    let n = polygons.len();
    assert_eq!(w.n(), n);
    assert!(w.is_symmetric(), "queen contiguity must be symmetric");
    let mean = w.links() as f64 / n as f64;
    assert!((4.5..6.5).contains(&mean), "mean neighbours {mean}");
    // Islands: nothing else within 1 km of their envelope.
    let rects: Vec<_> = polygons
        .iter()
        .map(|p| p.bounding_rect().expect("non-empty"))
        .collect();
    for &i in &w.islands() {
        let r = rects[i];
        let near = rects.iter().enumerate().any(|(j, s)| {
            j != i
                && s.min().x <= r.max().x + 1000.0
                && r.min().x - 1000.0 <= s.max().x
                && s.min().y <= r.max().y + 1000.0
                && r.min().y - 1000.0 <= s.max().y
        });
        assert!(
            !near,
            "area {i} is an island but has another area within 1 km"
        );
    }
    // A sample of candidate pairs (envelopes overlap) agrees with geo's `Intersects`.
    (0..n).into_par_iter().step_by(97).for_each(|i| {
        for j in 0..n {
            if j != i
                && rects[i].intersects(&rects[j])
                && (w.weight(i, j).is_some() != polygons[i].intersects(&polygons[j]))
            {
                panic!("pair {i} {j}: queen disagrees with geo's Intersects");
            }
        }
    });
}

/// Every link of `sub` is a link of `sup`.
fn assert_queen_correct_superset(sub: &Weights, sup: &Weights) {
    for i in 0..sub.n() {
        for &j in sub.neighbours(i) {
            assert!(sup.weight(i, j as usize).is_some(), "pair {i} {j}");
        }
    }
}

fn bench_weights(c: &mut Criterion) {
    let polygons = national_lsoas();
    let w = contiguity_weights(&polygons, &queen()).expect("queen weights");
    assert_queen_correct(&polygons, &w);
    let (components, _) = w.components();
    let rook = contiguity_weights(
        &polygons,
        &ContiguityParams::new(Contiguity::Rook).tolerance(0.005),
    )
    .expect("rook weights");
    let queen_5mm = contiguity_weights(&polygons, &queen().tolerance(0.005)).expect("queen 5 mm");
    assert_queen_correct_superset(&w, &queen_5mm);
    assert_queen_correct_superset(&rook, &queen_5mm);
    eprintln!(
        "queen, national LSOA11: {} areas, mean {:.4} neighbours, {} islands {:?}, {} components; \
         queen 5 mm: mean {:.4}; rook 5 mm: mean {:.4}",
        w.n(),
        w.links() as f64 / w.n() as f64,
        w.islands().len(),
        w.islands(),
        components,
        queen_5mm.links() as f64 / w.n() as f64,
        rook.links() as f64 / w.n() as f64,
    );

    let mut g = c.benchmark_group("weights_national_lsoa11");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(10));
    g.bench_function("queen", |b| {
        b.iter(|| contiguity_weights(&polygons, &queen()));
    });
    g.bench_function("queen_5mm", |b| {
        b.iter(|| contiguity_weights(&polygons, &queen().tolerance(0.005)));
    });
    g.finish();
}

criterion_group!(benches, bench_weights);
criterion_main!(benches);
