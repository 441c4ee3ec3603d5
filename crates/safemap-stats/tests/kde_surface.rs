//! Kernel density surfaces: the kernel formula at cell centres, mass, symmetry, kernel
//! shapes, weights, thread-count independence, errors.

use std::f64::consts::PI;

use safemap_stats::kde::{
    kernel_density, Bandwidth, Evaluation, KdeError, KdeParams, KdePoints, KdeSurface, Kernel,
    Metres, Raster,
};

/// SplitMix64, for seeded test points.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        lo + (hi - lo) * ((z >> 11) as f64 / (1u64 << 53) as f64)
    }
}

/// The kernels written out independently of the library, per km².
fn formula(kernel: Kernel, d: f64, h: f64) -> f64 {
    let per_m2 = match kernel {
        Kernel::Quartic if d < h => 3.0 / (PI * h * h) * (1.0 - (d / h).powi(2)).powi(2),
        Kernel::Gaussian if d < 4.0 * h => {
            (-(d * d) / (2.0 * h * h)).exp() / (2.0 * PI * h * h * (1.0 - (-8.0f64).exp()))
        }
        _ => 0.0,
    };
    per_m2 * 1.0e6
}

fn fixed(h: f64) -> Bandwidth {
    Bandwidth::Fixed(Metres::new(h).expect("positive"))
}

fn surface(
    xs: &[f64],
    ys: &[f64],
    raster: &Raster,
    kernel: Kernel,
    h: f64,
    e: Evaluation,
) -> KdeSurface {
    let points = KdePoints::new(xs, ys).expect("points");
    kernel_density(
        &points,
        raster,
        &KdeParams::new(kernel, fixed(h)).evaluation(e),
    )
    .expect("kde")
}

/// Largest |a - b| over all cells.
fn max_diff(a: &KdeSurface, b: &[f64]) -> f64 {
    a.values
        .iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

fn expected(raster: &Raster, x: f64, y: f64, kernel: Kernel, h: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(raster.len());
    for row in 0..raster.nrows() {
        for col in 0..raster.ncols() {
            let (cx, cy) = raster.centre(col, row);
            out.push(formula(kernel, (cx - x).hypot(cy - y), h));
        }
    }
    out
}

#[test]
fn one_point_exact_equals_the_kernel_formula_at_cell_centres() {
    // BNG-like origin, a point off every centre.
    let raster = Raster::new(451_000.0, 120_000.0, 10.0, 60, 50).expect("raster");
    let (x, y) = (451_301.7, 120_255.3);
    for (kernel, h) in [(Kernel::Quartic, 57.0), (Kernel::Gaussian, 21.0)] {
        let s = surface(&[x], &[y], &raster, kernel, h, Evaluation::Exact);
        let want = expected(&raster, x, y, kernel, h);
        let peak = formula(kernel, 0.0, h);
        assert!(
            max_diff(&s, &want) <= 1e-12 * peak,
            "{kernel}: {}",
            max_diff(&s, &want)
        );
        // Zero exactly where the kernel is zero.
        for (g, w) in s.values.iter().zip(&want) {
            assert_eq!(*g == 0.0, *w == 0.0);
        }
        assert_eq!(s.round_off_floor, 0.0);
    }
}

#[test]
fn one_point_at_a_cell_centre_binned_equals_the_kernel_formula() {
    // Linear binning puts all of a point at a cell centre on that centre: no binning error,
    // only the FFT's round-off, which the floor removes where the kernel is zero.
    let raster = Raster::new(0.0, 0.0, 10.0, 80, 70).expect("raster");
    let (x, y) = raster.centre(31, 40);
    for (kernel, h) in [
        (Kernel::Quartic, 123.0),
        (Kernel::Gaussian, 35.0),
        (Kernel::Quartic, 10.0),
    ] {
        let s = surface(&[x], &[y], &raster, kernel, h, Evaluation::Binned);
        let want = expected(&raster, x, y, kernel, h);
        let peak = formula(kernel, 0.0, h);
        let diff = max_diff(&s, &want);
        assert!(diff <= 1e-12 * peak, "{kernel} h={h}: {diff}");
        assert!(s.round_off_floor > 0.0 && s.round_off_floor < 1e-10 * peak);
        for (g, w) in s.values.iter().zip(&want) {
            if *w == 0.0 {
                assert_eq!(*g, 0.0, "{kernel} h={h}: beyond the support");
            }
        }
    }
}

#[test]
fn binned_off_centre_stays_within_the_binning_error() {
    // The documented bound: about c²/8 · max|∂²K/∂x²| per axis. For the quartic with
    // h = 10c that is about 1% of the peak; allow 2%.
    let raster = Raster::new(0.0, 0.0, 10.0, 100, 100).expect("raster");
    let mut rng = Rng(5);
    // Points inside, near the edges and outside the raster (within the support of it).
    for _ in 0..40 {
        let (x, y) = (rng.uniform(-150.0, 1150.0), rng.uniform(-150.0, 1150.0));
        for (kernel, h) in [(Kernel::Quartic, 100.0), (Kernel::Gaussian, 40.0)] {
            let b = surface(&[x], &[y], &raster, kernel, h, Evaluation::Binned);
            let e = surface(&[x], &[y], &raster, kernel, h, Evaluation::Exact);
            let peak = formula(kernel, 0.0, h);
            let diff = max_diff(&b, &e.values);
            assert!(diff < 0.02 * peak, "{kernel}: {diff} vs peak {peak}");
        }
    }
}

#[test]
fn mass_of_one_point_far_from_the_edges() {
    let raster = Raster::new(0.0, 0.0, 10.0, 100, 100).expect("raster");
    let (x, y) = (503.7, 488.1);
    for (kernel, h) in [(Kernel::Quartic, 100.0), (Kernel::Gaussian, 30.0)] {
        // Binned: linear binning keeps the weight, so the mass is exactly the stencil's
        // Riemann sum Σ K(c·√(a² + b²)) · c².
        let c: f64 = 10.0;
        let pad = (kernel.support(h) / c).ceil() as i64;
        let mut riemann = 0.0;
        for a in -pad..=pad {
            for b in -pad..=pad {
                riemann += kernel.value(c * ((a * a + b * b) as f64).sqrt(), h) * c * c;
            }
        }
        let binned = surface(&[x], &[y], &raster, kernel, h, Evaluation::Binned);
        assert!(
            (binned.mass() - riemann).abs() < 1e-12,
            "{kernel}: {} vs {riemann}",
            binned.mass()
        );
        // Both are 1 up to the Riemann-sum error.
        let exact = surface(&[x], &[y], &raster, kernel, h, Evaluation::Exact);
        assert!((riemann - 1.0).abs() < 1e-3, "{kernel}: {riemann}");
        assert!(
            (exact.mass() - 1.0).abs() < 1e-3,
            "{kernel}: {}",
            exact.mass()
        );
    }
}

#[test]
fn mass_of_many_points_loses_only_what_spills_over_the_edges() {
    let raster = Raster::new(0.0, 0.0, 20.0, 150, 100).expect("raster");
    let mut rng = Rng(17);
    let n = 20_000;
    let xs: Vec<f64> = (0..n).map(|_| rng.uniform(-100.0, 3100.0)).collect();
    let ys: Vec<f64> = (0..n).map(|_| rng.uniform(-100.0, 2100.0)).collect();
    let h = 150.0;
    let well_inside = xs
        .iter()
        .zip(&ys)
        .filter(|(&x, &y)| x > h && x < 3000.0 - h && y > h && y < 2000.0 - h)
        .count() as f64;
    for e in [Evaluation::Binned, Evaluation::Exact] {
        let s = surface(&xs, &ys, &raster, Kernel::Quartic, h, e);
        assert_eq!(s.total_weight, f64::from(n));
        let mass = s.mass();
        assert!(
            mass < f64::from(n) && mass > well_inside * 0.999,
            "{e:?}: {mass} vs {well_inside}"
        );
    }
}

#[test]
fn mirror_symmetric_points_give_a_mirror_symmetric_surface() {
    let raster = Raster::new(0.0, 0.0, 5.0, 64, 48).expect("raster");
    // Mirror about x = 160 (the raster's vertical axis).
    let xs = [100.3, 219.7, 130.0, 190.0];
    let ys = [80.2, 80.2, 150.9, 150.9];
    for kernel in [Kernel::Quartic, Kernel::Gaussian] {
        for e in [Evaluation::Binned, Evaluation::Exact] {
            let s = surface(&xs, &ys, &raster, kernel, 40.0, e);
            let peak = formula(kernel, 0.0, 40.0);
            for row in 0..48 {
                for col in 0..32 {
                    let (a, b) = (s.value(col, row), s.value(63 - col, row));
                    assert!(
                        (a - b).abs() <= 1e-12 * peak,
                        "{kernel} {e:?} ({col}, {row})"
                    );
                }
            }
        }
    }
    // One point at a cell centre: symmetric under the eight symmetries of the square.
    let (x, y) = raster.centre(20, 20);
    let s = surface(
        &[x],
        &[y],
        &raster,
        Kernel::Quartic,
        37.0,
        Evaluation::Exact,
    );
    for a in 0..10 {
        for b in 0..10 {
            let v = s.value(20 + a, 20 + b);
            for w in [
                s.value(20 - a, 20 + b),
                s.value(20 + b, 20 + a),
                s.value(20 - b, 20 - a),
            ] {
                assert_eq!(v, w);
            }
        }
    }
}

#[test]
fn gaussian_and_quartic_have_their_shapes() {
    let raster = Raster::new(0.0, 0.0, 10.0, 101, 101).expect("raster");
    let (x, y) = raster.centre(50, 50);
    let h = 100.0;
    let q = surface(&[x], &[y], &raster, Kernel::Quartic, h, Evaluation::Binned);
    let g = surface(
        &[x],
        &[y],
        &raster,
        Kernel::Gaussian,
        h / 4.0,
        Evaluation::Binned,
    );
    // Peaks: 3/(π h²) and 1/(2π σ²(1 - e^-8)) per m².
    assert!((q.value(50, 50) - 3.0 / (PI * h * h) * 1e6).abs() < 1e-9);
    let sigma: f64 = h / 4.0;
    assert!(
        (g.value(50, 50) - 1e6 / (2.0 * PI * sigma * sigma * (1.0 - (-8.0f64).exp()))).abs() < 1e-9
    );
    // Both fall monotonically along a row, to exactly 0 at and beyond the support (h = 4σ).
    for s in [&q, &g] {
        for col in 50..100 {
            assert!(s.value(col + 1, 50) <= s.value(col, 50));
        }
        assert!(s.value(59, 50) > 0.0);
        assert_eq!(s.value(60, 50), 0.0);
        assert_eq!(s.value(100, 100), 0.0);
    }
    // The Gaussian is more peaked for this pairing (σ = h/4): larger centre, thinner tails.
    assert!(g.value(50, 50) > q.value(50, 50));
    assert!(g.value(58, 50) < q.value(58, 50));
    // The quartic with radius h has per-axis standard deviation h/√8: compare second moments.
    let moment = |s: &KdeSurface| {
        let mut m = 0.0;
        for row in 0..101 {
            for col in 0..101 {
                let dx = (col as f64 - 50.0) * 10.0;
                m += s.value(col, row) * dx * dx;
            }
        }
        (m / s.values.iter().sum::<f64>()).sqrt()
    };
    assert!(
        (moment(&q) - h / 8f64.sqrt()).abs() < 0.01 * h,
        "{}",
        moment(&q)
    );
    assert!((moment(&g) - sigma).abs() < 0.01 * h, "{}", moment(&g));
}

#[test]
fn a_weight_counts_like_coincident_points() {
    let raster = Raster::new(0.0, 0.0, 10.0, 40, 40).expect("raster");
    let params = KdeParams::new(Kernel::Quartic, fixed(55.0));
    for e in [Evaluation::Binned, Evaluation::Exact] {
        let params = params.evaluation(e);
        let two = KdePoints::new(&[201.5, 201.5, 100.0], &[177.0, 177.0, 90.0]).expect("points");
        let weighted =
            KdePoints::weighted(&[201.5, 100.0], &[177.0, 90.0], &[2.0, 1.0]).expect("points");
        let zero = KdePoints::weighted(&[201.5, 100.0, 5.0], &[177.0, 90.0, 5.0], &[2.0, 1.0, 0.0])
            .expect("points");
        let a = kernel_density(&two, &raster, &params).expect("kde");
        let b = kernel_density(&weighted, &raster, &params).expect("kde");
        let c = kernel_density(&zero, &raster, &params).expect("kde");
        let peak = formula(Kernel::Quartic, 0.0, 55.0);
        assert!(max_diff(&a, &b.values) < 1e-12 * peak, "{e:?}");
        assert_eq!(b.values, c.values, "{e:?}: a zero weight changes nothing");
        assert_eq!(b.total_weight, 3.0);
    }
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let raster = Raster::new(400_000.0, 100_000.0, 25.0, 203, 157).expect("raster");
    let mut rng = Rng(99);
    let n = 30_000;
    let xs: Vec<f64> = (0..n).map(|_| rng.uniform(399_000.0, 406_000.0)).collect();
    let ys: Vec<f64> = (0..n).map(|_| rng.uniform(99_000.0, 104_500.0)).collect();
    let ws: Vec<f64> = (0..n).map(|_| rng.uniform(0.0, 3.0)).collect();
    let points = KdePoints::weighted(&xs, &ys, &ws).expect("points");
    let run = |threads: usize, kernel: Kernel, e: Evaluation| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool")
            .install(|| {
                let params = KdeParams::new(
                    kernel,
                    Bandwidth::Rule(safemap_stats::kde::BandwidthRule::SpatialSilverman),
                )
                .evaluation(e);
                kernel_density(&points, &raster, &params).expect("kde")
            })
    };
    for kernel in [Kernel::Quartic, Kernel::Gaussian] {
        for e in [Evaluation::Binned, Evaluation::Exact] {
            let (one, two) = (run(1, kernel, e), run(2, kernel, e));
            assert!(one
                .values
                .iter()
                .zip(&two.values)
                .all(|(a, b)| a.to_bits() == b.to_bits()));
            assert_eq!(one, two, "{kernel} {e:?}");
        }
    }
}

#[test]
fn bad_inputs_are_errors_naming_the_value() {
    assert!(matches!(
        Raster::new(0.0, 0.0, 0.0, 10, 10),
        Err(KdeError::BadCellSize(_))
    ));
    assert!(matches!(
        Raster::new(f64::NAN, 0.0, 1.0, 10, 10),
        Err(KdeError::BadOrigin { .. })
    ));
    assert!(matches!(
        Raster::new(0.0, 0.0, 1.0, 0, 10),
        Err(KdeError::BadRasterSize { .. })
    ));
    assert!(matches!(
        Raster::new(0.0, 0.0, 1.0, 100_000, 100_000),
        Err(KdeError::BadRasterSize { .. })
    ));
    let e = KdePoints::new(&[1.0, f64::INFINITY], &[1.0, 2.0]).expect_err("infinite");
    assert!(
        matches!(
            e,
            KdeError::NotFinite {
                what: "xs",
                index: 1,
                ..
            }
        ),
        "{e}"
    );
    assert!(matches!(
        KdePoints::new(&[1.0], &[1.0, 2.0]),
        Err(KdeError::LengthMismatch { what: "ys", .. })
    ));
    let e = KdePoints::weighted(&[1.0, 2.0], &[1.0, 2.0], &[1.0, -1.0]).expect_err("negative");
    assert_eq!(
        e,
        KdeError::BadWeight {
            index: 1,
            value: -1.0
        }
    );
    // Binned evaluation needs h >= c; exact does not.
    let raster = Raster::new(0.0, 0.0, 10.0, 10, 10).expect("raster");
    let points = KdePoints::new(&[50.0], &[50.0]).expect("points");
    let small = KdeParams::new(Kernel::Quartic, fixed(5.0));
    assert!(matches!(
        kernel_density(&points, &raster, &small),
        Err(KdeError::BandwidthBelowCell { .. })
    ));
    assert!(kernel_density(&points, &raster, &small.evaluation(Evaluation::Exact)).is_ok());
    let huge = KdeParams::new(Kernel::Gaussian, fixed(1.0e6));
    assert!(matches!(
        kernel_density(&points, &raster, &huge),
        Err(KdeError::PaddedGridTooLarge { .. })
    ));
}

#[test]
fn covering_rasters_snap_to_multiples_of_the_cell_size() {
    let r = Raster::covering(451_013.7, 120_377.3, 452_990.0, 121_000.0, 50.0).expect("raster");
    assert_eq!((r.x_min(), r.y_min()), (451_000.0, 120_350.0));
    assert_eq!((r.ncols(), r.nrows()), (40, 13));
    assert!((r.cell_area_km2() - 0.0025).abs() < 1e-15);
}
