//! [`check_tessellation`] on real boundaries: the geographr LSOA21 set for Plymouth
//! (`shared/data/boundaries/geographr`, see its README), reprojected to British National
//! Grid, is a clean tessellation; simplifying one LSOA on its own breaks it, and every
//! reported overlap and gap involves that LSOA.

mod common;

use geo::{Area, BooleanOps, MultiPolygon, Simplify};
use safemap_geo::multipolygon_to_bng;
use safemap_geo::tessellation::check_tessellation;
use safemap_types::Crs;

const PLYMOUTH: &str = "boundaries/geographr/lsoa21_E06000026.geojson";

fn plymouth() -> (Vec<String>, Vec<MultiPolygon<f64>>) {
    common::read_areas(PLYMOUTH, "lsoa21_code")
        .into_iter()
        .map(|(code, mp)| {
            let bng = multipolygon_to_bng(&mp, Crs::Wgs84).expect("Plymouth is in the OSTN15 grid");
            (code, bng)
        })
        .unzip()
}

#[test]
fn plymouth_lsoas_tile_cleanly() {
    let (codes, areas) = plymouth();
    assert_eq!(codes.len(), 164);
    // Not even a sliver: the neighbours share their vertices exactly.
    let report = check_tessellation(&areas, 0.0);
    assert!(report.is_clean(), "{report:?}");
}

#[test]
fn simplifying_one_lsoa_breaks_the_tessellation_around_it() {
    let (codes, areas) = plymouth();
    let mut broken_somewhere = 0;
    // The first twenty LSOAs in turn, each simplified alone with a 30 m tolerance.
    for k in 0..20 {
        let mut simplified = areas.clone();
        simplified[k] = areas[k].simplify(30.0);
        let report = check_tessellation(&simplified, 1.0);
        for o in &report.overlaps {
            assert!(o.a == k || o.b == k, "{}: {o:?}", codes[k]);
            assert!(o.a < o.b);
        }
        for g in &report.gaps {
            assert!(g.touching.contains(&k), "{}: {g:?}", codes[k]);
        }
        // The overlaps lie in what the simplified LSOA gained, the gaps in what it lost (up
        // to i_overlay's snapping, a few hundredths of a m² at this extent).
        let gained = simplified[k].difference(&areas[k]).unsigned_area();
        let lost = areas[k].difference(&simplified[k]).unsigned_area();
        assert!(
            report.overlap_area <= gained + 0.1,
            "{}: {report:?}",
            codes[k]
        );
        assert!(report.gap_area <= lost + 0.1, "{}: {report:?}", codes[k]);
        if !report.is_clean() {
            broken_somewhere += 1;
        }
    }
    assert!(broken_somewhere >= 5, "{broken_somewhere}");
}

#[test]
fn simplified_lsoa_reports_its_overlaps_and_gap() {
    // Plymouth LSOA index 1 (E01015024, Plymouth 004A): simplified at 30 m it overlaps two neighbours and
    // leaves one enclosed gap (the figures agree with geo's unary_union of all 164).
    let (codes, areas) = plymouth();
    assert_eq!(codes[1], "E01015024");
    let mut simplified = areas.clone();
    simplified[1] = areas[1].simplify(30.0);
    let report = check_tessellation(&simplified, 1.0);
    assert_eq!(report.overlaps.len(), 2, "{report:?}");
    assert!(report.overlaps.iter().all(|o| o.a == 1 || o.b == 1));
    assert_eq!(report.gaps.len(), 1, "{report:?}");
    assert!(report.gaps[0].touching.contains(&1));
    assert!((report.overlap_area - 2617.2).abs() < 0.1, "{report:?}");
    assert!((report.gaps[0].area - 6179.3).abs() < 0.1, "{report:?}");
}
