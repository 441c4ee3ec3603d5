//! Square and hexagon grids: kept cells against an independent DE-9IM oracle, point
//! counts, the edge rule, hexagon rounding against brute force, thread-count independence.

use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::{coord, polygon, Coord, Intersects, MultiPolygon, Polygon, Rect, Relate};
use safemap_geo::cells::{CellGrid, CellId, CellShape, CellsError, Lattice};
use safemap_geo::{AreaIndex, EdgeRule};
use safemap_types::Metres;

/// SplitMix64: a tiny seeded generator for test points.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }
}

fn lattice(shape: CellShape, size: f64) -> Lattice {
    Lattice::new(shape, Metres::new(size).expect("positive size"))
}

/// An L-shaped (concave) study area in BNG-like coordinates, split into two areas, with
/// edges that do not follow grid lines.
fn l_shape() -> Vec<MultiPolygon<f64>> {
    let (x0, y0) = (451_013.7, 120_377.3);
    let south = polygon![
        (x: x0, y: y0), (x: x0 + 3_000.0, y: y0 + 40.0), (x: x0 + 2_990.0, y: y0 + 1_010.0),
        (x: x0 + 1_000.0, y: y0 + 1_000.0), (x: x0, y: y0 + 1_000.0)
    ];
    let north = polygon![
        (x: x0, y: y0 + 1_000.0), (x: x0 + 1_000.0, y: y0 + 1_000.0),
        (x: x0 + 1_020.0, y: y0 + 3_000.0), (x: x0 - 15.0, y: y0 + 2_980.0)
    ];
    vec![
        MultiPolygon::new(vec![south]),
        MultiPolygon::new(vec![north]),
    ]
}

/// The oracle: does the cell's interior meet the interior of some polygon (DE-9IM)?
fn interiors_meet(cell: &Polygon<f64>, study: &[MultiPolygon<f64>]) -> bool {
    study
        .iter()
        .any(|mp| cell.relate(mp).get(CoordPos::Inside, CoordPos::Inside) != Dimensions::Empty)
}

/// Every lattice cell around the study area's bounding box.
fn cells_around(l: &Lattice, min: Coord<f64>, max: Coord<f64>) -> Vec<CellId> {
    let lo = l.cell_of(min).expect("finite");
    let hi = l.cell_of(max).expect("finite");
    let mut out = Vec::new();
    for row in lo.row - 3..=hi.row + 3 {
        for col in lo.col - 4 - (hi.row - lo.row)..=hi.col + 4 + (hi.row - lo.row) {
            let id = CellId { col, row };
            let c = l.centre(id);
            let pad = 2.0 * l.size().get();
            if c.x >= min.x - pad && c.x <= max.x + pad && c.y >= min.y - pad && c.y <= max.y + pad
            {
                out.push(id);
            }
        }
    }
    out
}

#[test]
fn kept_cells_equal_the_de9im_oracle_on_an_l_shape() {
    let study = l_shape();
    let (min, max) = (
        coord! { x: 450_990.0, y: 120_370.0 },
        coord! { x: 454_020.0, y: 123_390.0 },
    );
    for shape in [CellShape::Square, CellShape::Hexagon] {
        for size in [250.0, 333.3, 1_000.0] {
            let l = lattice(shape, size);
            let grid = CellGrid::new(l, &study).expect("grid");
            let kept: Vec<CellId> = grid.cells().iter().map(|c| c.id).collect();
            let mut want: Vec<CellId> = cells_around(&l, min, max)
                .into_iter()
                .filter(|&id| interiors_meet(&l.polygon(id), &study))
                .collect();
            want.sort();
            assert_eq!(kept, want, "{shape} {size} m");
            // The north-east of the L (inside the bounding box, outside the study) is empty.
            let ne = coord! { x: 453_500.0, y: 122_900.0 };
            assert_eq!(grid.locate(ne), None, "{shape} {size} m");
            // Centres are the lattice's; ids are in order.
            for (i, c) in grid.cells().iter().enumerate() {
                assert_eq!(c.centre, l.centre(c.id));
                assert_eq!(grid.index_of(c.id), Some(i));
            }
        }
    }
}

#[test]
fn cells_touching_only_along_a_grid_line_are_dropped_and_edge_points_kept() {
    // L-shaped study area whose edges all lie on 100 m grid lines.
    let l_poly = polygon![
        (x: 0.0, y: 0.0), (x: 300.0, y: 0.0), (x: 300.0, y: 100.0),
        (x: 100.0, y: 100.0), (x: 100.0, y: 300.0), (x: 0.0, y: 300.0)
    ];
    let study = vec![MultiPolygon::new(vec![l_poly])];
    let grid = CellGrid::new(lattice(CellShape::Square, 100.0), &study).expect("grid");
    let ids: Vec<(i32, i32)> = grid.cells().iter().map(|c| (c.id.col, c.id.row)).collect();
    assert_eq!(ids, vec![(0, 0), (1, 0), (2, 0), (0, 1), (0, 2)]);
    // A point on the east edge of the study area (x = 300) falls, by the half-open rule,
    // in dropped column 3: it goes to the kept cell west of the edge instead.
    assert_eq!(grid.locate(coord! { x: 300.0, y: 50.0 }), Some(2));
    // On the north edge of the L's foot (y = 100, x in the notch): the cell to the south.
    assert_eq!(grid.locate(coord! { x: 250.0, y: 100.0 }), Some(2));
    // The re-entrant corner (100, 100) is in the closed study area: north-east cell (1, 1)
    // is dropped, so the first kept of west (0, 1), south (1, 0).
    assert_eq!(grid.locate(coord! { x: 100.0, y: 100.0 }), Some(3));
    // The outer corner (300, 300) of the bounding box is outside.
    assert_eq!(grid.locate(coord! { x: 300.0, y: 300.0 }), None);
    // A bounding box aligned with the grid gives exactly its cells.
    let r = CellGrid::over_rect(
        lattice(CellShape::Square, 100.0),
        Rect::new(
            coord! { x: -200.0, y: 100.0 },
            coord! { x: 300.0, y: 400.0 },
        ),
    )
    .expect("grid");
    assert_eq!(r.len(), 15);
}

#[test]
fn a_hole_drops_the_cells_inside_it() {
    let shell = geo::LineString::from(vec![
        (0.0, 0.0),
        (1000.0, 0.0),
        (1000.0, 1000.0),
        (0.0, 1000.0),
    ]);
    let hole = geo::LineString::from(vec![
        (210.0, 210.0),
        (790.0, 210.0),
        (790.0, 790.0),
        (210.0, 790.0),
    ]);
    let study = vec![MultiPolygon::new(vec![Polygon::new(shell, vec![hole])])];
    let grid = CellGrid::new(lattice(CellShape::Square, 100.0), &study).expect("grid");
    // 100 cells minus the 4 × 4 wholly inside the hole (columns and rows 3..=6).
    assert_eq!(grid.len(), 100 - 16);
    assert_eq!(grid.locate(coord! { x: 500.0, y: 500.0 }), None);
    assert!(grid.locate(coord! { x: 250.0, y: 500.0 }).is_some());
}

#[test]
fn counts_sum_to_the_points_inside() {
    let study = l_shape();
    let index = AreaIndex::new(&study);
    let mut rng = Rng(7);
    let points: Vec<Coord<f64>> = (0..50_000)
        .map(|_| coord! { x: rng.uniform(450_900.0, 454_100.0), y: rng.uniform(120_300.0, 123_500.0) })
        .collect();
    let inside: Vec<Coord<f64>> = points
        .iter()
        .copied()
        .filter(|&p| index.locate(p, EdgeRule::LowestAreaId).is_some())
        .collect();
    assert!(inside.len() > 20_000 && inside.len() < points.len());
    for shape in [CellShape::Square, CellShape::Hexagon] {
        for size in [97.3, 500.0] {
            let grid = CellGrid::new(lattice(shape, size), &study).expect("grid");
            let counts = grid.aggregate(&inside);
            assert_eq!(counts.inside(), inside.len() as u64, "{shape} {size}");
            assert_eq!(counts.outside, 0);
            let all = grid.aggregate(&points);
            assert_eq!(all.inside() + all.outside, points.len() as u64);
            // Each point's cell contains it (closed polygon), and assign agrees with counts.
            let assigned = grid.assign(&points);
            let mut recount = vec![0u64; grid.len()];
            for (p, a) in points.iter().zip(&assigned) {
                if let Some(i) = *a {
                    assert!(grid.polygon(i).intersects(p), "{p:?} not in cell {i}");
                    recount[i] += 1;
                }
            }
            assert_eq!(recount, all.counts);
        }
    }
}

#[test]
fn points_on_shared_square_edges_go_east_and_north() {
    let l = lattice(CellShape::Square, 250.0);
    let id = |x: f64, y: f64| l.cell_of(coord! { x: x, y: y }).expect("finite");
    assert_eq!(id(500.0, 100.0), CellId { col: 2, row: 0 }); // vertical edge: east
    assert_eq!(id(100.0, 500.0), CellId { col: 0, row: 2 }); // horizontal edge: north
    assert_eq!(id(500.0, 500.0), CellId { col: 2, row: 2 }); // corner: north-east
    assert_eq!(id(-250.0, -0.0), CellId { col: -1, row: 0 });
    // Along a whole shared edge, each point is counted once, all in the east column.
    let grid = CellGrid::over_rect(
        l,
        Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 1000.0, y: 1000.0 }),
    )
    .expect("grid");
    let on_edge: Vec<Coord<f64>> = (0..1000)
        .map(|k| coord! { x: 500.0, y: f64::from(k) + 0.5 })
        .collect();
    let counts = grid.aggregate(&on_edge);
    assert_eq!(counts.inside(), 1000);
    for (c, n) in grid.cells().iter().zip(&counts.counts) {
        assert_eq!(*n > 0, c.id.col == 2, "{:?}", c.id);
    }
}

#[test]
fn points_on_shared_hexagon_edges_follow_the_tie_rule() {
    let l = lattice(CellShape::Hexagon, 200.0);
    // Vertical edge between (0, 0) and (1, 0) at x = w/2: east wins.
    assert_eq!(
        l.cell_of(coord! { x: 100.0, y: 0.0 }),
        Some(CellId { col: 1, row: 0 })
    );
    assert_eq!(
        l.cell_of(coord! { x: 100.0, y: 20.0 }),
        Some(CellId { col: 1, row: 0 })
    );
    assert_eq!(
        l.cell_of(coord! { x: -100.0, y: 0.0 }),
        Some(CellId { col: 0, row: 0 })
    );
    // The top vertex of (0, 0) is shared with (0, 1) and (-1, 1): north, then east.
    let top = l.polygon(CellId { col: 0, row: 0 }).exterior().0[3];
    assert_eq!(l.cell_of(top), Some(CellId { col: 0, row: 1 }));
    // Every vertex, and points on every edge, go to exactly one of the cells whose closed
    // polygon contains them: the largest (row, col).
    for id in [
        CellId { col: 0, row: 0 },
        CellId { col: 5, row: -3 },
        CellId { col: -7, row: 8 },
    ] {
        let poly = l.polygon(id);
        let ring = &poly.exterior().0;
        for k in 0..6 {
            let (a, b) = (ring[k], ring[k + 1]);
            for t in [0.0, 0.125, 0.25, 0.5, 0.75] {
                let p = coord! { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
                let got = l.cell_of(p).expect("finite");
                assert_eq!(got, brute_containing(&l, p, id), "{p:?}");
            }
        }
    }
}

/// Among the cells within three rings of `near`, those whose closed polygon contains `p`
/// (geo's exact `Intersects`), the one with the largest (row, col).
fn brute_containing(l: &Lattice, p: Coord<f64>, near: CellId) -> CellId {
    let mut hits: Vec<CellId> = Vec::new();
    for dr in -3..=3 {
        for dq in -3..=3 {
            let id = CellId {
                col: near.col + dq,
                row: near.row + dr,
            };
            if l.polygon(id).intersects(&p) {
                hits.push(id);
            }
        }
    }
    assert!(!hits.is_empty() && hits.len() <= 3, "{p:?}: {hits:?}");
    hits.into_iter().max().expect("a cell")
}

/// The nearest lattice centre to `p` among the cells within three rings of `near`
/// (f64 squared distance; exact ties do not occur for random points).
fn brute_nearest(l: &Lattice, p: Coord<f64>, near: CellId) -> CellId {
    let mut best: Option<(f64, CellId)> = None;
    for dr in -3..=3 {
        for dq in -3..=3 {
            let id = CellId {
                col: near.col + dq,
                row: near.row + dr,
            };
            let c = l.centre(id);
            let d = (p.x - c.x) * (p.x - c.x) + (p.y - c.y) * (p.y - c.y);
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, id));
            }
        }
    }
    best.expect("candidates").1
}

#[test]
fn hexagon_rounding_equals_brute_force_nearest_centre_on_100k_points() {
    let mut rng = Rng(2026);
    for (size, (x0, y0)) in [
        (200.0, (0.0, 0.0)),
        (173.2, (452_000.0, 121_000.0)),
        (1.0, (-30.0, 70.0)),
    ] {
        let l = lattice(CellShape::Hexagon, size);
        let width = 40.0 * size;
        for _ in 0..=(100_000 / 3) {
            let p =
                coord! { x: x0 + rng.uniform(-width, width), y: y0 + rng.uniform(-width, width) };
            let got = l.cell_of(p).expect("finite");
            // Brute force over a neighbourhood that surely holds the nearest centre: the
            // cells around a coarse guess from the centre coordinates.
            let guess_r = (p.y / (1.5 * size / 3f64.sqrt())).round() as i32;
            let guess_q = (p.x / size - f64::from(guess_r) / 2.0).round() as i32;
            let want = brute_nearest(
                &l,
                p,
                CellId {
                    col: guess_q,
                    row: guess_r,
                },
            );
            assert_eq!(got, want, "{p:?} size {size}");
            assert!(l.polygon(got).intersects(&p));
        }
    }
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let study = l_shape();
    let mut rng = Rng(11);
    let points: Vec<Coord<f64>> = (0..100_000)
        .map(|_| coord! { x: rng.uniform(450_900.0, 454_100.0), y: rng.uniform(120_300.0, 123_500.0) })
        .collect();
    let run = |threads: usize, shape: CellShape| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool")
            .install(|| {
                let grid = CellGrid::new(lattice(shape, 123.4), &study).expect("grid");
                (
                    grid.cells().to_vec(),
                    grid.aggregate(&points),
                    grid.assign(&points),
                )
            })
    };
    for shape in [CellShape::Square, CellShape::Hexagon] {
        assert_eq!(run(1, shape), run(2, shape), "{shape}");
    }
}

#[test]
fn bad_inputs_are_errors_naming_the_value() {
    assert!(matches!(
        CellGrid::new(lattice(CellShape::Square, 100.0), &[]),
        Err(CellsError::EmptyStudyArea)
    ));
    let nan = polygon![(x: f64::NAN, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)];
    assert!(matches!(
        CellGrid::new(
            lattice(CellShape::Hexagon, 100.0),
            &[MultiPolygon::new(vec![nan])]
        ),
        Err(CellsError::EmptyStudyArea)
    ));
    let big = Rect::new(
        coord! { x: 0.0, y: 0.0 },
        coord! { x: 700_000.0, y: 1_300_000.0 },
    );
    let e = CellGrid::over_rect(lattice(CellShape::Square, 10.0), big).expect_err("too many");
    assert!(matches!(e, CellsError::TooManyCells { .. }), "{e}");
    assert!(e.to_string().contains("10 m"), "{e}");
    let e = CellGrid::over_rect(lattice(CellShape::Hexagon, 1e-4), big).expect_err("overflow");
    assert!(matches!(e, CellsError::OutOfRange { .. }), "{e}");
}

#[test]
fn a_study_area_made_of_cells_keeps_exactly_them_and_its_boundary_points() {
    for shape in [CellShape::Square, CellShape::Hexagon] {
        let l = lattice(shape, 150.0);
        let ids = [
            CellId { col: 2, row: 3 },
            CellId { col: 3, row: 3 },
            CellId { col: 2, row: 4 },
        ];
        let study: Vec<MultiPolygon<f64>> = ids
            .iter()
            .map(|&id| MultiPolygon::new(vec![l.polygon(id)]))
            .collect();
        let grid = CellGrid::new(l, &study).expect("grid");
        let mut want = ids.to_vec();
        want.sort();
        let got: Vec<CellId> = grid.cells().iter().map(|c| c.id).collect();
        assert_eq!(got, want, "{shape}: neighbours that only touch are dropped");
        // Every vertex and edge point of the study area is in the closed study area, so it
        // lands in a kept cell (the one beside the boundary when its own cell is dropped).
        let boundary: Vec<Coord<f64>> = study
            .iter()
            .flat_map(|mp| mp.0[0].exterior().lines().collect::<Vec<_>>())
            .flat_map(|line| {
                [0.0, 0.3, 0.5].map(|t| {
                    coord! {
                        x: line.start.x + (line.end.x - line.start.x) * t,
                        y: line.start.y + (line.end.y - line.start.y) * t,
                    }
                })
            })
            .collect();
        let index = AreaIndex::new(&study);
        let inside: Vec<Coord<f64>> = boundary
            .into_iter()
            .filter(|&p| index.locate(p, EdgeRule::LowestAreaId).is_some())
            .collect();
        assert!(inside.len() >= 30);
        let counts = grid.aggregate(&inside);
        assert_eq!(
            (counts.inside(), counts.outside),
            (inside.len() as u64, 0),
            "{shape}"
        );
    }
}
