//! Point → area join against the 34,753 England and Wales LSOA11 polygons: the 326k located
//! rows of the national police.uk files, and 1,000,000 seeded synthetic points.
//! Correctness is asserted before timing: a sample of results equals a brute-force scan.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use safemap_benches::{
    assert_join_correct, join, national_lsoas, national_police_points, synthetic_points,
};
use safemap_geo::AreaIndex;
use std::time::Duration;

fn bench_join(c: &mut Criterion) {
    let polygons = national_lsoas();
    let index = AreaIndex::new(&polygons);
    let police = national_police_points();
    let synthetic = synthetic_points(&polygons, 1_000_000, 2026);
    assert_join_correct(&polygons, &police, &join(&index, &police), 2_000);
    assert_join_correct(&polygons, &synthetic, &join(&index, &synthetic), 2_000);

    let mut g = c.benchmark_group("join_national_lsoa11");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(police.len() as u64));
    g.bench_function("police_uk_2019_01", |b| b.iter(|| join(&index, &police)));
    g.throughput(Throughput::Elements(synthetic.len() as u64));
    g.bench_function("synthetic_1m", |b| b.iter(|| join(&index, &synthetic)));
    g.finish();

    let mut g = c.benchmark_group("index_national_lsoa11");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("build", |b| b.iter(|| AreaIndex::new(&polygons)));
    g.finish();
}

criterion_group!(benches, bench_join);
criterion_main!(benches);
