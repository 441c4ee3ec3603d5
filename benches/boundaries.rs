//! Reading a boundary file of one area with 100,000 and 500,000 vertices (issue 11): the
//! GeoJSON parse and the polygon validity check, which was quadratic in the vertices (75 s
//! for 100,000 before) and is now O(n log n) for boundary data.
//!
//! Correctness is asserted before timing: one area, valid, with every vertex read; the same
//! ring with two neighbouring vertices swapped is reported as crossing itself.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use safemap_ingest::boundaries::{read_boundaries, BoundaryMapping};
use safemap_ingest::InputLimits;
use safemap_synth::stress::many_vertex_area;
use std::path::Path;
use std::time::Duration;

fn mapping() -> BoundaryMapping {
    BoundaryMapping {
        layer: None,
        id_field: "code".into(),
        name_field: Some("name".into()),
        crs: None,
        value_fields: Vec::new(),
    }
}

/// `text` with the positions `k` and `k + 1` of its only ring swapped: a small bow tie.
fn swap_two_vertices(text: &str, k: usize) -> String {
    let start = text.find("[[[").expect("a ring") + 3;
    let end = text.find("]]]").expect("a ring");
    let mut positions: Vec<&str> = text[start..end].split("],[").collect();
    positions.swap(k, k + 1);
    format!(
        "{}{}{}",
        &text[..start],
        positions.join("],["),
        &text[end..]
    )
}

fn bench_read(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut g = c.benchmark_group("boundaries_many_vertices");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    for n in [100_000, 500_000] {
        let text = many_vertex_area(n, (-4.15, 50.38), 0.05, "BIG");
        let path = dir.path().join(format!("ring_{n}.geojson"));
        std::fs::write(&path, &text).expect("write the boundary file");
        let read = |p: &Path| read_boundaries(p, &mapping(), InputLimits::default()).expect("read");
        let set = read(&path);
        assert_eq!(set.areas.len(), 1);
        assert!(set.invalid.is_empty(), "{:?}", set.invalid);
        assert_eq!(set.areas[0].geometry.0[0].exterior().0.len(), n + 1);
        let crossed = dir.path().join(format!("crossed_{n}.geojson"));
        // At the top of a bump, where the ring curves: the swapped pair makes a bow tie.
        std::fs::write(&crossed, swap_two_vertices(&text, n / 2 + n / 4000)).expect("write");
        let problem = &read(&crossed).invalid[0].problem;
        assert_eq!(
            problem,
            "polygon at index 0 is invalid: exterior ring has a self-intersection"
        );
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("read_{n}"), |b| b.iter(|| read(&path)));
    }
    g.finish();
}

criterion_group!(benches, bench_read);
criterion_main!(benches);
