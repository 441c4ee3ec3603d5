//! Same parameters, same city, same bytes.

mod common;

use safemap_synth::{generate, CityParams};
use std::fs;
use std::path::Path;

fn read_all(dir: &Path, files: &safemap_synth::CityFiles) -> Vec<(String, Vec<u8>)> {
    files
        .all()
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(dir)
                .expect("files are inside the folder")
                .display()
                .to_string();
            (rel, fs::read(p).expect("file was written"))
        })
        .collect()
}

#[test]
fn same_seed_gives_an_equal_city() {
    let a = generate(&CityParams::default());
    assert_eq!(&a, common::demo_city());
}

#[test]
fn two_writes_are_byte_identical() {
    let city = common::demo_city();
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let f1 = city.write_to(d1.path()).unwrap();
    let f2 = city.write_to(d2.path()).unwrap();
    let (a, b) = (read_all(d1.path(), &f1), read_all(d2.path(), &f2));
    assert_eq!(a.len(), 43);
    for ((na, ba), (nb, bb)) in a.iter().zip(&b) {
        assert_eq!(na, nb);
        assert!(ba == bb, "{na} differs between two writes");
    }
}

#[test]
fn generation_on_other_threads_gives_the_same_city() {
    let params = CityParams::default()
        .n_areas(120)
        .months(24)
        .volume_scale(0.3);
    let here = generate(&params);
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let p = params.clone();
            std::thread::spawn(move || generate(&p))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), here);
    }
}

#[test]
fn seed_changes_the_city_but_volume_keeps_the_map() {
    let base = common::demo_city();
    let other = generate(&CityParams::default().seed(7));
    assert_ne!(other.boundaries_geojson(), base.boundaries_geojson());
    let lighter = generate(&CityParams::default().volume_scale(0.5));
    assert_eq!(lighter.boundaries_geojson(), base.boundaries_geojson());
    assert_eq!(lighter.services, base.services);
    assert!(lighter.police.len() < base.police.len() * 3 / 4);
}
