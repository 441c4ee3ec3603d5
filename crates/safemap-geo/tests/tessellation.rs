//! [`check_tessellation`] on real boundaries: the geographr LSOA21 set for Plymouth
//! (`shared/data/boundaries/geographr`, see its README), reprojected to British National
//! Grid, is a clean tessellation; simplifying one LSOA on its own breaks it, and every
//! reported overlap and gap involves that LSOA. Then a property: on jittered grids with a
//! few corners moved, the overlaps are those of a brute-force intersection of every pair
//! and the gaps are the holes of geo's `unary_union`.

mod common;

use geo::{coord, Area, BooleanOps, Coord, LineString, MultiPolygon, Polygon, Simplify};
use proptest::prelude::*;
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

/// A 5 x 5 tessellation of quadrilaterals on a 6 x 6 lattice of points 100 m apart, each
/// moved by up to 20 m (`jitter`, shared by the cells meeting there), then single corners
/// of single cells moved by up to 25 m more (`moved`: cell, corner, dx, dy). Every cell
/// stays a simple quadrilateral: its sides keep to disjoint bands.
fn quads(jitter: &[(i32, i32)], moved: &[(usize, usize, i32, i32)]) -> Vec<MultiPolygon<f64>> {
    let lattice = |i: usize, j: usize| {
        let (dx, dy) = jitter[j * 6 + i];
        coord! { x: (i as f64) * 100.0 + f64::from(dx), y: (j as f64) * 100.0 + f64::from(dy) }
    };
    let mut corners: Vec<[Coord<f64>; 4]> = (0..25)
        .map(|k| {
            let (i, j) = (k % 5, k / 5);
            [
                lattice(i, j),
                lattice(i + 1, j),
                lattice(i + 1, j + 1),
                lattice(i, j + 1),
            ]
        })
        .collect();
    for &(cell, corner, dx, dy) in moved {
        corners[cell][corner].x += f64::from(dx);
        corners[cell][corner].y += f64::from(dy);
    }
    corners
        .into_iter()
        .map(|c| MultiPolygon::new(vec![Polygon::new(LineString::from(c.to_vec()), Vec::new())]))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn agrees_with_brute_force_and_unary_union(
        jitter in prop::collection::vec((-20i32..=20, -20i32..=20), 36),
        moved in prop::collection::vec((0usize..25, 0usize..4, -25i32..=25, -25i32..=25), 0..4),
    ) {
        let cells = quads(&jitter, &moved);
        let report = check_tessellation(&cells, 0.0);

        // Every pair, intersected: the filter and the R-tree must not lose one.
        let mut expected = Vec::new();
        for a in 0..cells.len() {
            for b in a + 1..cells.len() {
                let area = cells[a].intersection(&cells[b]).unsigned_area();
                if area > 0.0 {
                    expected.push((a, b, area));
                }
            }
        }
        let found: Vec<_> = report.overlaps.iter().map(|o| (o.a, o.b, o.area)).collect();
        prop_assert_eq!(found, expected);
        if moved.is_empty() {
            prop_assert!(report.is_clean(), "{:?}", report);
        }

        // Gaps: the holes of geo's union of all cells, up to i_overlay's snapping.
        let union = geo::unary_union(&cells);
        let mut holes: Vec<f64> = union
            .iter()
            .flat_map(Polygon::interiors)
            .map(|r| Polygon::new(r.clone(), Vec::new()).unsigned_area())
            .filter(|&a| a > 1e-3)
            .collect();
        let mut gaps: Vec<f64> =
            report.gaps.iter().map(|g| g.area).filter(|&a| a > 1e-3).collect();
        holes.sort_by(f64::total_cmp);
        gaps.sort_by(f64::total_cmp);
        prop_assert_eq!(gaps.len(), holes.len(), "{:?} {:?}", gaps, holes);
        for (g, h) in gaps.iter().zip(&holes) {
            prop_assert!((g - h).abs() < 1e-6 * h.max(1.0), "{} {}", g, h);
        }
        for g in &report.gaps {
            // Moved corners are the only source of gaps; each one borders a moved cell.
            prop_assert!(g.touching.iter().any(|i| moved.iter().any(|m| m.0 == *i)), "{:?}", g);
        }
    }
}
