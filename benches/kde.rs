//! Kernel density (quartic, binned + FFT) of 1,000,000 and 10,000,000 seeded synthetic
//! points on a 1000 × 1000 raster, the PEERS.md task (KDEpy FFTKDE: 0.29 s / 1.96 s on 2
//! cores); and points counted per cell of square and hexagon grids.
//!
//! Correctness is asserted before timing: the surface's mass against the number of points
//! far from the raster's edges, sampled cells against the kernel sum over every point, and
//! grid counts against brute-force point-in-polygon tests.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use geo::{polygon, Coord, Intersects, MultiPolygon};
use rayon::prelude::*;
use safemap_benches::synthetic_points;
use safemap_geo::cells::{CellGrid, CellShape, Lattice};
use safemap_stats::kde::{
    kernel_density, Bandwidth, BandwidthRule, KdeParams, KdePoints, KdeSurface, Kernel, Metres,
    Raster,
};
use std::time::Duration;

/// South-west corner of the synthetic study area (British National Grid metres).
const X0: f64 = 430_000.0;
const Y0: f64 = 110_000.0;
/// Side of the study area: 40 km, so 1000 cells of 40 m.
const SIDE: f64 = 40_000.0;

/// Four 20 km × 20 km districts making up the study area.
fn districts() -> Vec<MultiPolygon<f64>> {
    let half = SIDE / 2.0;
    let mut out = Vec::new();
    for (i, j) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)] {
        let (x, y) = (X0 + i * half, Y0 + j * half);
        out.push(MultiPolygon::new(vec![polygon![
            (x: x, y: y), (x: x + half, y: y), (x: x + half, y: y + half), (x: x, y: y + half)
        ]]));
    }
    out
}

fn split(points: &[Coord<f64>]) -> (Vec<f64>, Vec<f64>) {
    (
        points.iter().map(|p| p.x).collect(),
        points.iter().map(|p| p.y).collect(),
    )
}

/// Mass and sampled cells of a binned quartic surface against direct computation.
fn assert_surface(surface: &KdeSurface, xs: &[f64], ys: &[f64]) {
    let h = surface.bandwidth;
    let raster = surface.raster;
    let (x1, y1) = (raster.x_min() + SIDE, raster.y_min() + SIDE);
    let far_from_edges = xs
        .par_iter()
        .zip(ys)
        .filter(|(&x, &y)| {
            x > raster.x_min() + h + raster.cell_size()
                && x < x1 - h - raster.cell_size()
                && y > raster.y_min() + h + raster.cell_size()
                && y < y1 - h - raster.cell_size()
        })
        .count() as f64;
    let mass = surface.mass();
    assert!(
        mass > far_from_edges * 0.999 && mass < xs.len() as f64 * 1.001,
        "mass {mass}, points far from the edges {far_from_edges}"
    );
    // 24 cells, the densest among them included, against Σ_i K(|c - p_i|) over all points.
    let peak = surface.values.iter().copied().fold(0.0, f64::max);
    let argmax = surface
        .values
        .iter()
        .position(|&v| v == peak)
        .expect("a cell");
    let mut cells: Vec<(usize, usize)> = (0..23).map(|k| (37 * k + 11, 41 * k + 7)).collect();
    cells.push((argmax % raster.ncols(), argmax / raster.ncols()));
    for (col, row) in cells {
        let (cx, cy) = raster.centre(col, row);
        let exact: f64 = xs
            .par_iter()
            .zip(ys)
            .map(|(&x, &y)| Kernel::Quartic.value((x - cx).hypot(y - cy), h) * 1e6)
            .sum();
        let got = surface.value(col, row);
        assert!(
            (got - exact).abs() < 0.01 * peak,
            "cell ({col}, {row}): binned {got}, exact {exact}, peak {peak}"
        );
    }
}

fn bench_kde(c: &mut Criterion) {
    let polygons = districts();
    let raster = Raster::new(X0, Y0, SIDE / 1000.0, 1000, 1000).expect("raster");
    let mut g = c.benchmark_group("kde_quartic_1000x1000");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    for (name, n) in [("1m", 1_000_000usize), ("10m", 10_000_000)] {
        let (xs, ys) = split(&synthetic_points(&polygons, n, 2026));
        let points = KdePoints::new(&xs, &ys).expect("finite points");
        let rule = KdeParams::new(
            Kernel::Quartic,
            Bandwidth::Rule(BandwidthRule::SpatialSilverman),
        );
        let surface = kernel_density(&points, &raster, &rule).expect("kde");
        assert_surface(&surface, &xs, &ys);
        let fixed = KdeParams::new(
            Kernel::Quartic,
            Bandwidth::Fixed(Metres::new(surface.bandwidth).expect("positive")),
        );
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("{name}_fixed_h{:.0}m", surface.bandwidth), |b| {
            b.iter(|| kernel_density(&points, &raster, &fixed).expect("kde"));
        });
        g.bench_function(format!("{name}_rule"), |b| {
            b.iter(|| kernel_density(&points, &raster, &rule).expect("kde"));
        });
    }
    // A wide bandwidth (2 km = 50 cells): the FFT's cost does not grow with it.
    let (xs, ys) = split(&synthetic_points(&polygons, 1_000_000, 2026));
    let points = KdePoints::new(&xs, &ys).expect("finite points");
    let wide = KdeParams::new(
        Kernel::Quartic,
        Bandwidth::Fixed(Metres::new(2_000.0).expect("h")),
    );
    assert_surface(
        &kernel_density(&points, &raster, &wide).expect("kde"),
        &xs,
        &ys,
    );
    g.bench_function("1m_fixed_h2000m", |b| {
        b.iter(|| kernel_density(&points, &raster, &wide).expect("kde"));
    });
    g.finish();
}

fn bench_cells(c: &mut Criterion) {
    let polygons = districts();
    let points = synthetic_points(&polygons, 1_000_000, 2026);
    let mut g = c.benchmark_group("cells_aggregate_1m");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for (shape, size) in [(CellShape::Square, 250.0), (CellShape::Hexagon, 250.0)] {
        let lattice = Lattice::new(shape, Metres::new(size).expect("positive"));
        let grid = CellGrid::new(lattice, &polygons).expect("grid");
        let counts = grid.aggregate(&points);
        assert_eq!(counts.inside() + counts.outside, points.len() as u64);
        // Brute force on a sample: the assigned cell's polygon contains the point, and a
        // point inside the study area is never outside the grid.
        let assigned = grid.assign(&points);
        points
            .par_iter()
            .zip(&assigned)
            .step_by(97)
            .for_each(|(p, a)| match a {
                Some(i) => assert!(grid.polygon(*i).intersects(p)),
                None => assert!(!polygons.iter().any(|mp| mp.intersects(p))),
            });
        g.throughput(Throughput::Elements(points.len() as u64));
        g.bench_function(format!("{shape}_{size:.0}m_{}_cells", grid.len()), |b| {
            b.iter(|| grid.aggregate(&points));
        });
        g.bench_function(format!("{shape}_{size:.0}m_build"), |b| {
            b.iter(|| CellGrid::new(lattice, &polygons).expect("grid"));
        });
    }
    g.finish();
}

criterion_group!(benches, bench_kde, bench_cells);
criterion_main!(benches);
