//! The Plymouth LSOA11 boundaries (ONS generalised clipped, via UK-GeoJSON), reprojected to
//! British National Grid and indexed: every LSOA's representative point is located in its
//! own LSOA, and the index agrees with a brute-force scan using geo's own predicate.

mod common;

use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::{BoundingRect, Coord, CoordsIter, InteriorPoint, MultiPolygon, Rect};
use safemap_geo::{multipolygon_to_bng, point_on_surface, to_bng, AreaIndex, EdgeRule};
use safemap_types::{AreaId, CheckedCoord, Crs};

const PLYMOUTH: &str = "boundaries/uk-geojson/lsoa11/E06000026.json";

fn plymouth() -> (Vec<String>, Vec<MultiPolygon<f64>>, Vec<MultiPolygon<f64>>) {
    let areas = common::read_areas(PLYMOUTH, "LSOA11CD");
    let codes = areas.iter().map(|(c, _)| c.clone()).collect();
    let wgs: Vec<_> = areas.into_iter().map(|(_, mp)| mp).collect();
    let bng = wgs
        .iter()
        .map(|mp| multipolygon_to_bng(mp, Crs::Wgs84).expect("Plymouth is in the OSTN15 grid"))
        .collect();
    (codes, wgs, bng)
}

#[test]
fn representative_points_fall_in_their_own_lsoa() {
    let (codes, wgs, bng) = plymouth();
    assert_eq!(codes.len(), 161);
    let index = AreaIndex::new(&bng);
    for (i, (code, mp)) in codes.iter().zip(&wgs).enumerate() {
        let rep = mp.interior_point().expect("non-empty polygon");
        let p = to_bng(CheckedCoord::new(rep.x(), rep.y(), Crs::Wgs84).unwrap()).unwrap();
        let own = Some(AreaId(i as u32));
        assert_eq!(
            index.locate(p, EdgeRule::LowestAreaId),
            own,
            "{code} at {p:?}"
        );
        assert_eq!(index.locate(p, EdgeRule::Exclude), own, "{code} at {p:?}");
        // The same holds for the representative point computed in BNG.
        let rep_bng = bng[i].interior_point().unwrap().0;
        assert_eq!(
            index.locate(rep_bng, EdgeRule::Exclude),
            own,
            "{code} at {rep_bng:?}"
        );
    }
}

/// `point_on_surface` finds the very point geo's `InteriorPoint` does, on real boundary
/// polygons in both CRSs.
#[test]
fn point_on_surface_is_geos_interior_point() {
    let (codes, wgs, bng) = plymouth();
    for (code, mp) in codes.iter().zip(&wgs).chain(codes.iter().zip(&bng)) {
        assert_eq!(point_on_surface(mp), mp.interior_point(), "{code}");
    }
}

/// The index's answer, recomputed by scanning every area with geo's `CoordinatePosition`.
fn brute_force(
    areas: &[(Rect<f64>, &MultiPolygon<f64>)],
    p: Coord<f64>,
    rule: EdgeRule,
) -> Option<AreaId> {
    areas.iter().enumerate().find_map(|(i, (rect, mp))| {
        if !(rect.min().x <= p.x
            && p.x <= rect.max().x
            && rect.min().y <= p.y
            && p.y <= rect.max().y)
        {
            return None;
        }
        let hit = mp.0.iter().any(|poly| match poly.coordinate_position(&p) {
            CoordPos::Inside => true,
            CoordPos::OnBoundary => rule == EdgeRule::LowestAreaId,
            CoordPos::Outside => false,
        });
        hit.then_some(AreaId(i as u32))
    })
}

#[test]
fn index_agrees_with_brute_force_on_vertices_and_random_points() {
    let (_, _, bng) = plymouth();
    let index = AreaIndex::new(&bng);
    let rects: Vec<_> = bng
        .iter()
        .map(|mp| (mp.bounding_rect().unwrap(), mp))
        .collect();

    // Every vertex (on a boundary by construction), the midpoint of every edge, and
    // pseudo-random points over the city's envelope.
    let mut points: Vec<Coord<f64>> = bng.iter().flat_map(CoordsIter::coords_iter).collect();
    let vertices = points.len();
    for mp in &bng {
        for poly in &mp.0 {
            for w in poly.exterior().0.windows(2) {
                points.push((w[0] + w[1]) / 2.0);
            }
        }
    }
    let envelope = MultiPolygon::new(bng.iter().flat_map(|mp| mp.0.clone()).collect())
        .bounding_rect()
        .unwrap();
    let mut s = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    for _ in 0..20_000 {
        points.push(Coord {
            x: envelope.min().x + next() * envelope.width(),
            y: envelope.min().y + next() * envelope.height(),
        });
    }

    for rule in [EdgeRule::LowestAreaId, EdgeRule::Exclude] {
        let joined = index.join(&points, rule);
        for (p, got) in points.iter().zip(&joined) {
            assert_eq!(*got, brute_force(&rects, *p, rule), "{p:?} under {rule}");
        }
        if rule == EdgeRule::LowestAreaId {
            // Every vertex is in the closed union, so it is assigned exactly once.
            assert!(joined[..vertices].iter().all(Option::is_some));
        }
    }
}
