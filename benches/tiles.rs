//! Vector tile encoding of the 34,753 England and Wales LSOA11 polygons: preparing the layer
//! (projection, R-tree, per-zoom simplification), then encoding a z8 tile, a z12 tile and a
//! z16 tile over Birmingham. Each tile is checked non-empty (and decodable in size terms)
//! before timing.

use criterion::{criterion_group, criterion_main, Criterion};
use geo_types::MultiPolygon;
use safemap_tiles::{
    encode_tile, tiles_covering, AttributeTable, LayerGeometry, LayerInput, PrepareOptions,
    PropValue, TileId,
};
use std::time::Duration;

/// The national LSOA11 codes and polygons in WGS84 (the file's own CRS).
fn national_lsoas_wgs84() -> (Vec<String>, Vec<MultiPolygon<f64>>) {
    let set = safemap_benches::national_lsoa_set();
    set.areas.into_iter().map(|a| (a.code, a.geometry)).unzip()
}

fn tile_at(lon: f64, lat: f64, z: u8) -> TileId {
    tiles_covering([lon, lat, lon, lat], z)
        .next()
        .expect("a tile covers a point")
}

fn bench_tiles(c: &mut Criterion) {
    let (codes, polygons) = national_lsoas_wgs84();
    assert_eq!(polygons.len(), 34_753);
    let attributes = AttributeTable {
        keys: vec!["code".into(), "index".into()],
        rows: codes
            .into_iter()
            .enumerate()
            .map(|(i, code)| vec![PropValue::String(code), PropValue::UInt(i as u64)])
            .collect(),
    };

    let mut g = c.benchmark_group("tiles_national_lsoa11");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("prepare", |b| {
        b.iter(|| LayerGeometry::polygons(polygons.clone(), PrepareOptions::default()));
    });
    g.finish();

    let geometry = LayerGeometry::polygons(polygons, PrepareOptions::default());
    let layer = [LayerInput::new("lsoa", &geometry, &attributes)];
    // Birmingham city centre.
    let (lon, lat) = (-1.8904, 52.4862);
    let mut g = c.benchmark_group("tiles_encode_birmingham");
    g.sample_size(50);
    for z in [8u8, 12, 16] {
        let tile = tile_at(lon, lat, z);
        let bytes = encode_tile(tile, &layer)
            .expect("encodes")
            .expect("the tile over Birmingham has LSOAs");
        assert!(bytes.len() > 100, "tile {tile}: {} bytes", bytes.len());
        g.bench_function(format!("z{z}"), |b| b.iter(|| encode_tile(tile, &layer)));
    }
    g.finish();
}

criterion_group!(benches, bench_tiles);
criterion_main!(benches);
