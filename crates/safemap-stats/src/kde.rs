//! Kernel density estimation: a surface of events per square kilometre on a raster, and a
//! population-normalised surface.
//!
//! For points `(x_i, y_i)` with weights `w_i` (1 if none are given) and a kernel `K_h`, the
//! density at the centre `c` of every raster cell is
//!
//! ```text
//! f(c) = 10^6 · Σ_i w_i K_h(|c - p_i|)          events per km² (coordinates in metres)
//! ```
//!
//! # Kernels ([`Kernel`])
//!
//! ```text
//! Quartic  (biweight; ArcGIS, CrimeStat):  K_h(d) = 3/(π h²) · (1 - d²/h²)²        for d < h, else 0
//! Gaussian (h = standard deviation):       K_h(d) = exp(-d²/(2h²)) / (2π h² (1 - e^{-8}))
//!                                                                                 for d < 4h, else 0
//! ```
//!
//! Both integrate to 1 over the plane: the Gaussian is truncated at `4h`
//! ([`GAUSSIAN_TRUNCATION`]) and renormalised by the mass `1 - e^{-8}` kept inside that
//! radius. So the integral of the surface is the total weight, less what spills over the
//! raster's edges: [`KdeSurface::mass`] checks it.
//!
//! # Bandwidth ([`Bandwidth`])
//!
//! A fixed `h` in metres, or [`BandwidthRule::SpatialSilverman`], the default search radius
//! of ArcGIS Pro's *Kernel Density* tool (Esri, "How Kernel Density works"), a spatial
//! variant of Silverman's rule of thumb (Silverman 1986, *Density Estimation for Statistics
//! and Data Analysis*, eq. 3.31):
//!
//! ```text
//! h  = 0.9 · min(SD, √(1/ln 2) · Dm) · n^(-0.2)
//! SD = √( Σ w_i ((x_i - x̄)² + (y_i - ȳ)²) / n )      standard distance
//! Dm = weighted median of |p_i - (x̄, ȳ)|              median distance to the mean centre
//! (x̄, ȳ) = Σ w_i p_i / n,   n = Σ w_i                (the number of points if unweighted)
//! ```
//!
//! Points of weight 0 take no part. The weighted median is the smallest distance whose
//! cumulative weight (distances ascending) reaches `n/2`, averaged with the next distance
//! when the cumulative weight equals `n/2` exactly (for unit weights: the usual median).
//! ArcGIS uses `h` as the quartic kernel's radius; Silverman derived it as a Gaussian
//! standard deviation, which is what `h` is for [`Kernel::Gaussian`] here (a surface
//! about 2.8 times smoother than the quartic one for the same `h`).
//!
//! # Evaluation ([`Evaluation`])
//!
//! - `Binned` (the default, fast): each point's weight is shared among the four nearest
//!   cell centres by linear (bilinear, "cloud-in-cell") binning, and the binned grid is
//!   convolved with the kernel sampled at the cell-centre offsets `K_h(c·√(a² + b²))`,
//!   `|a|, |b| <= ⌈R/c⌉` (`R` the support radius), through a real 2D FFT (`realfft` on
//!   `rustfft`), the same method as KDEpy's `FFTKDE`. Linear binning keeps every point's
//!   weight, is exact for a point at a cell centre and otherwise second-order accurate:
//!   per unit weight the error is at most about `c²/8 · (max |∂²K/∂x²| + max |∂²K/∂y²|)`,
//!   for the quartic `2 (c/h)²` of its peak (2% at `h = 10c`; much less where many points
//!   overlap, as the errors of neighbours largely cancel). It needs `h >= c`
//!   ([`KdeError::BandwidthBelowCell`]). The grid is padded by
//!   `⌈R/c⌉` cells on every side, so points outside the raster but within `R` of it
//!   contribute. Values below the FFT round-off bound `τ` (see
//!   [`KdeSurface::round_off_floor`]) are set to exactly 0, so cells far from every point
//!   are 0.
//! - `Exact`: the formula above, summed directly over the points within `R` of each cell
//!   centre (`O(n·(R/c)²)`), for small inputs, tests and bandwidths below a cell.
//!
//! The FFT was chosen over a direct stencil because its cost, `O(N log N)` for `N` padded
//! cells, does not grow with the bandwidth: a direct quartic stencil (not separable) costs
//! about `π (h/c)²` multiply-adds per cell, 314 for `h = 10c`, against a few dozen for the
//! FFT. `rustfft` (with `realfft` for the real-to-complex half) is pure Rust, maintained
//! and widely used, and picks its SIMD path at run time.
//!
//! # Raster ([`Raster`])
//!
//! `ncols × nrows` square cells of side `c` from the south-west corner `(x_min, y_min)`;
//! cell `(col, row)` is centred at `(x_min + (col + ½)c, y_min + (row + ½)c)`. Values are
//! row-major from the south: `values[row · ncols + col]`, row 0 southernmost (flip the rows
//! for a north-up image format).
//!
//! Results are identical for any number of rayon threads: binning adds each cell's shares
//! in input order, sums over points run in fixed chunks combined in order, exact sums run
//! per output row over the points in a fixed order, and each FFT row or column is
//! transformed on its own. (`rustfft` picks its SIMD code at run time, so another CPU may
//! differ in the last bits.)
//!
//! ```
//! use safemap_stats::kde::{kernel_density, Bandwidth, KdeParams, KdePoints, Kernel, Metres, Raster};
//!
//! let xs = [500.0, 520.0, 480.0];
//! let ys = [500.0, 510.0, 470.0];
//! let points = KdePoints::new(&xs, &ys).unwrap();
//! let raster = Raster::new(0.0, 0.0, 10.0, 100, 100).unwrap();
//! let params = KdeParams::new(Kernel::Quartic, Bandwidth::Fixed(Metres::new(100.0).unwrap()));
//! let surface = kernel_density(&points, &raster, &params).unwrap();
//! assert!((surface.mass() - 3.0).abs() < 0.01); // events, far from the raster's edges
//! ```

use std::f64::consts::{LN_2, PI};
use std::fmt;
use std::sync::Arc;

use rayon::prelude::*;
use realfft::num_complex::Complex;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use rustfft::{Fft, FftPlanner};

/// The Gaussian kernel is cut off at `GAUSSIAN_TRUNCATION · h` (4 standard deviations,
/// where `1 - e^{-8}` ≈ 99.97% of its mass lies) and renormalised.
pub const GAUSSIAN_TRUNCATION: f64 = 4.0;

/// Most cells a raster, or the padded grid of a binned evaluation, may have (`2^26`,
/// about 67 million; the binned evaluation needs about 50 bytes per padded cell and 24
/// bytes per point).
pub const MAX_GRID_CELLS: usize = 1 << 26;

/// Square metres per square kilometre: densities come out per km².
const M2_PER_KM2: f64 = 1.0e6;

/// Why a kernel density surface could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum KdeError {
    /// The raster's cell size is not a positive, finite number of metres.
    #[error("raster cell size {0} m must be a positive, finite number of metres (e.g. 50)")]
    BadCellSize(f64),
    /// The raster's origin is not finite.
    #[error("raster origin ({x}, {y}) must be finite projected coordinates in metres")]
    BadOrigin {
        /// x of the south-west corner.
        x: f64,
        /// y of the south-west corner.
        y: f64,
    },
    /// The raster has no cells or too many.
    #[error("a raster of {ncols} × {nrows} cells is not allowed: give between 1 and {limit} cells in all")]
    BadRasterSize {
        /// Columns.
        ncols: usize,
        /// Rows.
        nrows: usize,
        /// [`MAX_GRID_CELLS`].
        limit: usize,
    },
    /// A bandwidth that is not a positive, finite number of metres.
    #[error("bandwidth {0} m must be a positive, finite number of metres (e.g. 250)")]
    BadBandwidth(f64),
    /// An input slice does not have one entry per point.
    #[error("{what} has {len} entries but xs has {expected}: give one per point")]
    LengthMismatch {
        /// Which input.
        what: &'static str,
        /// Its length.
        len: usize,
        /// The number of points (length of `xs`).
        expected: usize,
    },
    /// A coordinate is NaN or infinite.
    #[error("{what} at position {index} is {value}: coordinates must be finite projected metres")]
    NotFinite {
        /// `xs` or `ys`.
        what: &'static str,
        /// Position of the point.
        index: usize,
        /// The value.
        value: f64,
    },
    /// A weight is negative, NaN or infinite.
    #[error("weight {value} at position {index} must be finite and not negative")]
    BadWeight {
        /// Position of the point.
        index: usize,
        /// The value.
        value: f64,
    },
    /// The bandwidth rule needs at least two points of positive weight.
    #[error("the bandwidth rule needs at least 2 points with positive weight, got {n}: give a fixed bandwidth")]
    TooFewPoints {
        /// Points with positive weight.
        n: usize,
    },
    /// The bandwidth rule gave zero (the points coincide, or over half the weight sits on
    /// the mean centre).
    #[error("the points have standard distance {sd} m and median distance {median} m to their mean centre, so the bandwidth rule gives 0: give a fixed bandwidth")]
    DegenerateBandwidth {
        /// Standard distance, metres.
        sd: f64,
        /// Median distance to the mean centre, metres.
        median: f64,
    },
    /// Binned evaluation with a bandwidth below one cell.
    #[error("bandwidth {bandwidth} m is below the cell size {cell_size} m, too small for binned evaluation: use Evaluation::Exact or smaller cells")]
    BandwidthBelowCell {
        /// The bandwidth, metres.
        bandwidth: f64,
        /// The raster's cell size, metres.
        cell_size: f64,
    },
    /// The raster padded by the kernel's radius is too large for binned evaluation.
    #[error("the {ncols} × {nrows} raster padded by the kernel's radius of {radius} m ({pad} cells each side) exceeds {limit} cells: use larger cells or a smaller bandwidth")]
    PaddedGridTooLarge {
        /// Raster columns.
        ncols: usize,
        /// Raster rows.
        nrows: usize,
        /// Support radius, metres.
        radius: f64,
        /// Padding cells per side.
        pad: usize,
        /// [`MAX_GRID_CELLS`].
        limit: usize,
    },
    /// A rate base that is not positive and finite.
    #[error("rate base {0} must be a positive number (e.g. 1000 for events per 1,000 residents)")]
    BadRateBase(f64),
    /// A population threshold that is not positive and finite.
    #[error("population threshold {0} per km² must be a positive, finite number (e.g. 100)")]
    BadPopulationThreshold(f64),
}

/// A raster of `ncols × nrows` square cells of side `cell_size` metres whose south-west
/// corner is `(x_min, y_min)`; see the [module docs](self) for the cell and value order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Raster {
    x_min: f64,
    y_min: f64,
    cell_size: f64,
    ncols: usize,
    nrows: usize,
}

impl Raster {
    /// A raster from its south-west corner, cell side (metres) and dimensions.
    pub fn new(
        x_min: f64,
        y_min: f64,
        cell_size: f64,
        ncols: usize,
        nrows: usize,
    ) -> Result<Self, KdeError> {
        if !(cell_size.is_finite() && cell_size > 0.0) {
            return Err(KdeError::BadCellSize(cell_size));
        }
        if !(x_min.is_finite() && y_min.is_finite()) {
            return Err(KdeError::BadOrigin { x: x_min, y: y_min });
        }
        if ncols == 0 || nrows == 0 || ncols.saturating_mul(nrows) > MAX_GRID_CELLS {
            return Err(KdeError::BadRasterSize {
                ncols,
                nrows,
                limit: MAX_GRID_CELLS,
            });
        }
        Ok(Raster {
            x_min,
            y_min,
            cell_size,
            ncols,
            nrows,
        })
    }

    /// The smallest raster of `cell_size` cells aligned on multiples of `cell_size` (so
    /// rasters of different studies line up, as the grids of `safemap_geo::cells` do) that
    /// covers `[x_min, x_max] × [y_min, y_max]`: `x0 = ⌊x_min/c⌋·c`,
    /// `ncols = max(1, ⌈(x_max - x0)/c⌉)`, likewise for rows.
    pub fn covering(
        x_min: f64,
        y_min: f64,
        x_max: f64,
        y_max: f64,
        cell_size: f64,
    ) -> Result<Self, KdeError> {
        if !(cell_size.is_finite() && cell_size > 0.0) {
            return Err(KdeError::BadCellSize(cell_size));
        }
        if !(x_min.is_finite() && y_min.is_finite() && x_max.is_finite() && y_max.is_finite()) {
            return Err(KdeError::BadOrigin { x: x_min, y: y_min });
        }
        let x0 = (x_min / cell_size).floor() * cell_size;
        let y0 = (y_min / cell_size).floor() * cell_size;
        let count = |lo: f64, hi: f64| {
            let n = ((hi - lo) / cell_size).ceil().max(1.0);
            if n < MAX_GRID_CELLS as f64 {
                n as usize
            } else {
                MAX_GRID_CELLS + 1
            }
        };
        Raster::new(x0, y0, cell_size, count(x0, x_max), count(y0, y_max))
    }

    /// x of the west edge.
    pub fn x_min(&self) -> f64 {
        self.x_min
    }

    /// y of the south edge.
    pub fn y_min(&self) -> f64 {
        self.y_min
    }

    /// Cell side in metres.
    pub fn cell_size(&self) -> f64 {
        self.cell_size
    }

    /// Number of columns (west to east).
    pub fn ncols(&self) -> usize {
        self.ncols
    }

    /// Number of rows (south to north).
    pub fn nrows(&self) -> usize {
        self.nrows
    }

    /// Number of cells, `ncols · nrows`.
    pub fn len(&self) -> usize {
        self.ncols * self.nrows
    }

    /// Always false: a raster has at least one cell.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The centre of cell `(col, row)`: `(x_min + (col + ½)c, y_min + (row + ½)c)`.
    pub fn centre(&self, col: usize, row: usize) -> (f64, f64) {
        (
            self.x_min + (col as f64 + 0.5) * self.cell_size,
            self.y_min + (row as f64 + 0.5) * self.cell_size,
        )
    }

    /// Area of one cell in km²: `c² / 10⁶`.
    pub fn cell_area_km2(&self) -> f64 {
        self.cell_size * self.cell_size / M2_PER_KM2
    }
}

/// The kernel function; formulas in the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kernel {
    /// Quartic (biweight): `3/(π h²) · (1 - d²/h²)²` within radius `h`. ArcGIS Pro's and
    /// CrimeStat's kernel for crime hotspot maps.
    Quartic,
    /// Gaussian with standard deviation `h`, truncated at `4h` and renormalised:
    /// `exp(-d²/(2h²)) / (2π h² (1 - e^{-8}))`.
    Gaussian,
}

impl Kernel {
    /// Stable snake_case name: `quartic` or `gaussian`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kernel::Quartic => "quartic",
            Kernel::Gaussian => "gaussian",
        }
    }

    /// The radius beyond which the kernel is 0: `h` (quartic) or `4h` (Gaussian).
    pub fn support(self, h: f64) -> f64 {
        match self {
            Kernel::Quartic => h,
            Kernel::Gaussian => GAUSSIAN_TRUNCATION * h,
        }
    }

    /// `K_h(d)` per square metre, for distance `d` metres and bandwidth `h` metres.
    pub fn value(self, d: f64, h: f64) -> f64 {
        self.value_d2(d * d, h * h)
    }

    /// `K_h` from the squared distance `d2` and squared bandwidth `h2`.
    #[inline]
    fn value_d2(self, d2: f64, h2: f64) -> f64 {
        match self {
            Kernel::Quartic => {
                if d2 < h2 {
                    let t = 1.0 - d2 / h2;
                    3.0 / (PI * h2) * t * t
                } else {
                    0.0
                }
            }
            Kernel::Gaussian => {
                let cut = GAUSSIAN_TRUNCATION * GAUSSIAN_TRUNCATION;
                if d2 < cut * h2 {
                    (-d2 / (2.0 * h2)).exp() / (2.0 * PI * h2 * (1.0 - (-cut / 2.0).exp()))
                } else {
                    0.0
                }
            }
        }
    }
}

impl fmt::Display for Kernel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A positive, finite length in metres (a bandwidth), checked on construction.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Metres(f64);

impl Metres {
    /// `metres`, if positive and finite.
    pub fn new(metres: f64) -> Result<Self, KdeError> {
        if metres.is_finite() && metres > 0.0 {
            Ok(Metres(metres))
        } else {
            Err(KdeError::BadBandwidth(metres))
        }
    }

    /// The length in metres.
    pub fn get(self) -> f64 {
        self.0
    }
}

/// A rule that derives the bandwidth from the points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BandwidthRule {
    /// ArcGIS Pro *Kernel Density*'s default: `h = 0.9 · min(SD, √(1/ln 2) · Dm) · n^(-0.2)`
    /// (see the [module docs](self)).
    SpatialSilverman,
}

impl BandwidthRule {
    /// Stable snake_case name: `spatial_silverman`.
    pub fn as_str(self) -> &'static str {
        match self {
            BandwidthRule::SpatialSilverman => "spatial_silverman",
        }
    }

    /// The bandwidth in metres the rule gives for `points`.
    pub fn bandwidth(self, points: &KdePoints<'_>) -> Result<f64, KdeError> {
        match self {
            BandwidthRule::SpatialSilverman => spatial_silverman(points),
        }
    }
}

/// The bandwidth `h`: fixed, or from a rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bandwidth {
    /// A fixed bandwidth (quartic radius or Gaussian standard deviation).
    Fixed(Metres),
    /// Derived from the points by a rule.
    Rule(BandwidthRule),
}

impl Bandwidth {
    /// The bandwidth in metres for `points`.
    pub fn resolve(self, points: &KdePoints<'_>) -> Result<f64, KdeError> {
        match self {
            Bandwidth::Fixed(m) => Ok(m.get()),
            Bandwidth::Rule(rule) => rule.bandwidth(points),
        }
    }
}

/// How the surface is computed; see the [module docs](self).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Evaluation {
    /// Linear binning to the cell centres, then FFT convolution (the default).
    #[default]
    Binned,
    /// The kernel sum evaluated directly at every cell centre.
    Exact,
}

impl Evaluation {
    /// Stable snake_case name: `binned` or `exact`.
    pub fn as_str(self) -> &'static str {
        match self {
            Evaluation::Binned => "binned",
            Evaluation::Exact => "exact",
        }
    }
}

/// Point coordinates in metres, with optional non-negative weights, checked on construction.
#[derive(Debug, Clone, Copy)]
pub struct KdePoints<'a> {
    xs: &'a [f64],
    ys: &'a [f64],
    weights: Option<&'a [f64]>,
}

impl<'a> KdePoints<'a> {
    /// Unweighted points (each weight 1).
    pub fn new(xs: &'a [f64], ys: &'a [f64]) -> Result<Self, KdeError> {
        check_coordinates(xs, ys)?;
        Ok(KdePoints {
            xs,
            ys,
            weights: None,
        })
    }

    /// Weighted points (e.g. population counts at population-weighted centroids).
    pub fn weighted(xs: &'a [f64], ys: &'a [f64], weights: &'a [f64]) -> Result<Self, KdeError> {
        check_coordinates(xs, ys)?;
        if weights.len() != xs.len() {
            return Err(KdeError::LengthMismatch {
                what: "weights",
                len: weights.len(),
                expected: xs.len(),
            });
        }
        if let Some((index, &value)) = weights
            .iter()
            .enumerate()
            .find(|(_, w)| !(w.is_finite() && **w >= 0.0))
        {
            return Err(KdeError::BadWeight { index, value });
        }
        Ok(KdePoints {
            xs,
            ys,
            weights: Some(weights),
        })
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.xs.len()
    }

    /// True if there are no points.
    pub fn is_empty(&self) -> bool {
        self.xs.is_empty()
    }

    /// `Σ w_i` (the number of points if unweighted).
    pub fn total_weight(&self) -> f64 {
        self.weights
            .map_or(self.xs.len() as f64, |w| w.iter().sum())
    }

    #[inline]
    fn weight(&self, i: usize) -> f64 {
        self.weights.map_or(1.0, |w| w[i])
    }
}

fn check_coordinates(xs: &[f64], ys: &[f64]) -> Result<(), KdeError> {
    if ys.len() != xs.len() {
        return Err(KdeError::LengthMismatch {
            what: "ys",
            len: ys.len(),
            expected: xs.len(),
        });
    }
    for (what, values) in [("xs", xs), ("ys", ys)] {
        if let Some((index, &value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(KdeError::NotFinite { what, index, value });
        }
    }
    Ok(())
}

/// Parameters of [`kernel_density`]: kernel, bandwidth and evaluation mode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KdeParams {
    kernel: Kernel,
    bandwidth: Bandwidth,
    evaluation: Evaluation,
}

impl KdeParams {
    /// `kernel` with `bandwidth`, binned evaluation.
    pub fn new(kernel: Kernel, bandwidth: Bandwidth) -> Self {
        KdeParams {
            kernel,
            bandwidth,
            evaluation: Evaluation::Binned,
        }
    }

    /// The evaluation mode (default [`Evaluation::Binned`]).
    #[must_use]
    pub fn evaluation(mut self, evaluation: Evaluation) -> Self {
        self.evaluation = evaluation;
        self
    }

    /// The kernel.
    pub fn kernel(&self) -> Kernel {
        self.kernel
    }

    /// The bandwidth choice.
    pub fn bandwidth(&self) -> Bandwidth {
        self.bandwidth
    }

    /// The evaluation mode.
    pub fn evaluation_mode(&self) -> Evaluation {
        self.evaluation
    }
}

/// A kernel density surface.
#[derive(Debug, Clone, PartialEq)]
pub struct KdeSurface {
    /// The raster the values belong to.
    pub raster: Raster,
    /// Density at each cell centre in events (or weight units) per km², row-major from the
    /// south-west: `values[row · ncols + col]`.
    pub values: Vec<f64>,
    /// The kernel used.
    pub kernel: Kernel,
    /// The bandwidth `h` used, in metres (resolved from the rule if one was given).
    pub bandwidth: f64,
    /// The evaluation mode used.
    pub evaluation: Evaluation,
    /// `Σ w_i` over all points given (inside the raster or not).
    pub total_weight: f64,
    /// For binned evaluation, the bound `τ` (per km²) on the FFT's round-off below which
    /// values were set to 0: `τ = 10⁶ · 8 ε log₂(N) ‖B‖₂ ‖S‖₁`, with `ε` the `f64` unit
    /// round-off, `N` the padded grid's size, `B` the binned weights and `S` the kernel
    /// stencil (per m²). 0 for exact evaluation.
    pub round_off_floor: f64,
}

impl KdeSurface {
    /// The integral of the surface over the raster, `Σ f(c) · c²/10⁶`: the total weight
    /// less what the kernels spill over the raster's edges (and, for binned evaluation,
    /// up to the small binning error; for a point at least `R + c` inside the raster, the
    /// Riemann-sum error of the sampled kernel only).
    pub fn mass(&self) -> f64 {
        self.values.iter().sum::<f64>() * self.raster.cell_area_km2()
    }

    /// The density of cell `(col, row)` per km².
    ///
    /// # Panics
    ///
    /// If the cell is outside the raster.
    pub fn value(&self, col: usize, row: usize) -> f64 {
        assert!(
            col < self.raster.ncols && row < self.raster.nrows,
            "cell ({col}, {row}) is outside the raster"
        );
        self.values[row * self.raster.ncols + col]
    }
}

/// The kernel density surface of `points` on `raster`; see the [module docs](self).
///
/// Runs on the current rayon pool; identical for any number of threads.
pub fn kernel_density(
    points: &KdePoints<'_>,
    raster: &Raster,
    params: &KdeParams,
) -> Result<KdeSurface, KdeError> {
    let h = params.bandwidth.resolve(points)?;
    surface_with_bandwidth(points, raster, params.kernel, h, params.evaluation)
}

fn surface_with_bandwidth(
    points: &KdePoints<'_>,
    raster: &Raster,
    kernel: Kernel,
    h: f64,
    evaluation: Evaluation,
) -> Result<KdeSurface, KdeError> {
    let (values, round_off_floor) = match evaluation {
        Evaluation::Exact => (exact(points, raster, kernel, h), 0.0),
        Evaluation::Binned => binned(points, raster, kernel, h)?,
    };
    Ok(KdeSurface {
        raster: *raster,
        values,
        kernel,
        bandwidth: h,
        evaluation,
        total_weight: points.total_weight(),
        round_off_floor,
    })
}

/// What to do where the population surface is (nearly) zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LowPopulation {
    /// No rate (`None`) where the population density is below `below` persons per km²:
    /// the honest choice, since a rate over nobody is not a rate.
    Omit {
        /// Threshold, persons per km².
        below: f64,
    },
    /// Divide by `max(population density, at)`: every cell gets a rate, damped where few
    /// people live (events in empty places, e.g. a night-time economy street, still show).
    Floor {
        /// Floor, persons per km².
        at: f64,
    },
}

impl LowPopulation {
    /// Stable snake_case name: `omit` or `floor`.
    pub fn as_str(self) -> &'static str {
        match self {
            LowPopulation::Omit { .. } => "omit",
            LowPopulation::Floor { .. } => "floor",
        }
    }

    fn threshold(self) -> f64 {
        match self {
            LowPopulation::Omit { below } => below,
            LowPopulation::Floor { at } => at,
        }
    }
}

/// Parameters of [`kernel_density_ratio`]: the rate base and the low-population rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatioParams {
    per: f64,
    low_population: LowPopulation,
}

impl RatioParams {
    /// Rates per `per` persons (e.g. 1000), with the `low_population` rule; fails unless
    /// `per` and the rule's threshold are positive and finite.
    pub fn new(per: f64, low_population: LowPopulation) -> Result<Self, KdeError> {
        RatioParams {
            per: 1.0,
            low_population: LowPopulation::Omit { below: 1.0 },
        }
        .per(per)?
        .low_population(low_population)
    }

    /// Sets the rate base.
    pub fn per(mut self, per: f64) -> Result<Self, KdeError> {
        if !(per.is_finite() && per > 0.0) {
            return Err(KdeError::BadRateBase(per));
        }
        self.per = per;
        Ok(self)
    }

    /// Sets the low-population rule.
    pub fn low_population(mut self, low_population: LowPopulation) -> Result<Self, KdeError> {
        let t = low_population.threshold();
        if !(t.is_finite() && t > 0.0) {
            return Err(KdeError::BadPopulationThreshold(t));
        }
        self.low_population = low_population;
        Ok(self)
    }

    /// The rate base.
    pub fn rate_base(&self) -> f64 {
        self.per
    }

    /// The low-population rule.
    pub fn low_population_rule(&self) -> LowPopulation {
        self.low_population
    }
}

/// A population-normalised density surface: events per `per` persons.
#[derive(Debug, Clone, PartialEq)]
pub struct KdeRatio {
    /// The event surface (events per km²).
    pub events: KdeSurface,
    /// The population surface (persons per km²), same kernel, bandwidth, evaluation.
    pub population: KdeSurface,
    /// `per · events / population` per cell, with the [`LowPopulation`] rule applied
    /// (`None` only under [`LowPopulation::Omit`]).
    pub values: Vec<Option<f64>>,
    /// The parameters used.
    pub params: RatioParams,
}

/// Events per `per` persons at every cell: the event density divided by the density of the
/// population surface made with the same kernel, bandwidth and evaluation,
///
/// ```text
/// rate(c) = per · f_events(c) / f_population(c)
/// ```
///
/// with the [`LowPopulation`] rule where `f_population(c)` is small. A bandwidth rule is
/// resolved once, from the events, and used for both surfaces (so the two are smoothed
/// alike and the ratio is a ratio of like quantities).
pub fn kernel_density_ratio(
    events: &KdePoints<'_>,
    population: &KdePoints<'_>,
    raster: &Raster,
    params: &KdeParams,
    ratio: &RatioParams,
) -> Result<KdeRatio, KdeError> {
    let h = params.bandwidth.resolve(events)?;
    let ev = surface_with_bandwidth(events, raster, params.kernel, h, params.evaluation)?;
    let pop = surface_with_bandwidth(population, raster, params.kernel, h, params.evaluation)?;
    let values = ev
        .values
        .iter()
        .zip(&pop.values)
        .map(|(&e, &p)| match ratio.low_population {
            LowPopulation::Omit { below } => (p >= below).then(|| ratio.per * e / p),
            LowPopulation::Floor { at } => Some(ratio.per * e / p.max(at)),
        })
        .collect();
    Ok(KdeRatio {
        events: ev,
        population: pop,
        values,
        params: *ratio,
    })
}

// ---------------------------------------------------------------------------------------
// Bandwidth rule.

fn spatial_silverman(points: &KdePoints<'_>) -> Result<f64, KdeError> {
    let n = points.len();
    let positive = points
        .weights
        .map_or(n, |w| w.par_iter().filter(|&&w| w > 0.0).count());
    if positive < 2 {
        return Err(KdeError::TooFewPoints { n: positive });
    }
    // Mean centre, relative to the first point to keep BNG magnitudes out of the sums.
    let first = (0..n).find(|&i| points.weight(i) > 0.0).unwrap_or(0);
    let (x0, y0) = (points.xs[first], points.ys[first]);
    let [sw, sx, sy] = chunked_sums(n, |i| {
        let w = points.weight(i);
        [w, w * (points.xs[i] - x0), w * (points.ys[i] - y0)]
    });
    let (mx, my) = (x0 + sx / sw, y0 + sy / sw);
    let d2 = |i: usize| {
        let (dx, dy) = (points.xs[i] - mx, points.ys[i] - my);
        dx * dx + dy * dy
    };
    let [ss, _, _] = chunked_sums(n, |i| [points.weight(i) * d2(i), 0.0, 0.0]);
    let sd = (ss / sw).sqrt();
    let median = match points.weights {
        None => {
            let mut dist: Vec<f64> = (0..n).into_par_iter().map(|i| d2(i).sqrt()).collect();
            median(&mut dist)
        }
        Some(w) => {
            let (dist, w): (Vec<f64>, Vec<f64>) = (0..n)
                .into_par_iter()
                .filter(|&i| w[i] > 0.0)
                .map(|i| (d2(i).sqrt(), w[i]))
                .unzip();
            weighted_median(&dist, &w, sw)
        }
    };
    let h = 0.9 * sd.min((1.0 / LN_2).sqrt() * median) * sw.powf(-0.2);
    if h.is_finite() && h > 0.0 {
        Ok(h)
    } else {
        Err(KdeError::DegenerateBandwidth { sd, median })
    }
}

/// Three sums over `0..n` of `f(i)`, in parallel but in a fixed order (chunk by chunk, then
/// the chunks' sums in order), so identical for any number of threads.
fn chunked_sums(n: usize, f: impl Fn(usize) -> [f64; 3] + Sync) -> [f64; 3] {
    const CHUNK: usize = 1 << 14;
    let partial: Vec<[f64; 3]> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let mut acc = [0.0; 3];
            for i in c * CHUNK..((c + 1) * CHUNK).min(n) {
                let v = f(i);
                for (a, v) in acc.iter_mut().zip(v) {
                    *a += v;
                }
            }
            acc
        })
        .collect();
    let mut total = [0.0; 3];
    for p in partial {
        for (t, v) in total.iter_mut().zip(p) {
            *t += v;
        }
    }
    total
}

/// The median (mean of the two middle values for an even count), in O(n).
fn median(v: &mut [f64]) -> f64 {
    let n = v.len();
    let (_, upper, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
    let upper = *upper;
    if n % 2 == 1 {
        upper
    } else {
        let lower = v[..n / 2].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        f64::midpoint(lower, upper)
    }
}

/// The weighted median: the smallest value whose cumulative weight reaches half the total,
/// averaged with the next value when the cumulative weight equals half exactly.
fn weighted_median(v: &[f64], w: &[f64], total: f64) -> f64 {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let half = total / 2.0;
    let mut cum = 0.0;
    for (k, &i) in order.iter().enumerate() {
        cum += w[i];
        if cum >= half {
            if cum == half {
                if let Some(&j) = order.get(k + 1) {
                    return f64::midpoint(v[i], v[j]);
                }
            }
            return v[i];
        }
    }
    v[order[order.len() - 1]]
}

// ---------------------------------------------------------------------------------------
// Exact evaluation.

fn exact(points: &KdePoints<'_>, raster: &Raster, kernel: Kernel, h: f64) -> Vec<f64> {
    let (c, ncols) = (raster.cell_size, raster.ncols);
    let radius = kernel.support(h);
    let (r2, h2) = (radius * radius, h * h);
    // Points of positive weight by y (then input order), so each row scans a band.
    let mut order: Vec<usize> = (0..points.len())
        .filter(|&i| points.weight(i) > 0.0)
        .collect();
    order.sort_by(|&a, &b| points.ys[a].total_cmp(&points.ys[b]).then(a.cmp(&b)));
    let sorted_y: Vec<f64> = order.iter().map(|&i| points.ys[i]).collect();
    let mut values = vec![0.0; raster.len()];
    values
        .par_chunks_mut(ncols)
        .enumerate()
        .for_each(|(row, out)| {
            let (_, yc) = raster.centre(0, row);
            let lo = sorted_y.partition_point(|&y| y <= yc - radius);
            let hi = sorted_y.partition_point(|&y| y < yc + radius);
            for &i in &order[lo..hi] {
                let (x, w) = (points.xs[i], points.weight(i));
                let dy = points.ys[i] - yc;
                let dy2 = dy * dy;
                if dy2 >= r2 {
                    continue;
                }
                let half = (r2 - dy2).sqrt();
                let first = ((x - half - raster.x_min) / c - 0.5).floor() - 1.0;
                let last = ((x + half - raster.x_min) / c - 0.5).ceil() + 1.0;
                if last < 0.0 || first >= ncols as f64 {
                    continue;
                }
                let first = first.max(0.0) as usize;
                let last = (last as usize).min(ncols - 1);
                for (col, v) in out.iter_mut().enumerate().take(last + 1).skip(first) {
                    let dx = x - raster.centre(col, row).0;
                    let d2 = dx * dx + dy2;
                    if d2 < r2 {
                        *v += w * kernel.value_d2(d2, h2);
                    }
                }
            }
            for v in out.iter_mut() {
                *v *= M2_PER_KM2;
            }
        });
    values
}

// ---------------------------------------------------------------------------------------
// Binned evaluation: linear binning, then FFT convolution.

fn binned(
    points: &KdePoints<'_>,
    raster: &Raster,
    kernel: Kernel,
    h: f64,
) -> Result<(Vec<f64>, f64), KdeError> {
    let c = raster.cell_size;
    if h < c {
        return Err(KdeError::BandwidthBelowCell {
            bandwidth: h,
            cell_size: c,
        });
    }
    let radius = kernel.support(h);
    let too_large = |pad: usize| KdeError::PaddedGridTooLarge {
        ncols: raster.ncols,
        nrows: raster.nrows,
        radius,
        pad,
        limit: MAX_GRID_CELLS,
    };
    let pad_f = (radius / c).ceil();
    if pad_f > MAX_GRID_CELLS as f64 {
        return Err(too_large(MAX_GRID_CELLS));
    }
    let pad = pad_f as usize;
    let (ex, ey) = (raster.ncols + 2 * pad, raster.nrows + 2 * pad);
    let (lx, ly) = (fast_len(ex, true), fast_len(ey, false));
    if lx.saturating_mul(ly) > MAX_GRID_CELLS {
        return Err(too_large(pad));
    }

    // 1. Linear binning onto the centres of the padded grid (row-major, row length lx).
    let binning = Binning {
        x_min: raster.x_min,
        y_min: raster.y_min,
        c,
        pad: pad as f64,
        ex,
        ey,
    };
    let mut grid = binning.bin(points, lx, ly);
    let b_norm2 = grid.iter().map(|v| v * v).sum::<f64>().sqrt();

    // 2. The kernel stencil, centred on (0, 0) with wrap-around.
    let (r2, h2) = (radius * radius, h * h);
    let mut stencil = vec![0.0f64; lx * ly];
    let mut s_norm1 = 0.0;
    let p = pad as isize;
    for a in -p..=p {
        for b in -p..=p {
            let d2 = c * c * (a * a + b * b) as f64;
            if d2 < r2 {
                let k = kernel.value_d2(d2, h2);
                s_norm1 += k;
                let row = a.rem_euclid(ly as isize) as usize;
                let col = b.rem_euclid(lx as isize) as usize;
                stencil[row * lx + col] = k;
            }
        }
    }

    // 3. Convolution through the FFT; the stencil's spectrum is real (it is even).
    let fft = Fft2::new(lx, ly);
    let mut spectrum = fft.forward(&mut grid);
    let kernel_spectrum = fft.forward(&mut stencil);
    let scale = M2_PER_KM2 / (lx * ly) as f64;
    spectrum
        .par_chunks_mut(ly)
        .zip(kernel_spectrum.par_chunks(ly))
        .for_each(|(s, k)| {
            for (z, kz) in s.iter_mut().zip(k) {
                *z *= kz.re * scale;
            }
        });
    let conv = fft.inverse(&mut spectrum);

    // 4. The raster's part of the padded grid, with the round-off floor.
    let tau = M2_PER_KM2 * 8.0 * f64::EPSILON * ((lx * ly) as f64).log2() * b_norm2 * s_norm1;
    let mut values = vec![0.0; raster.len()];
    values
        .par_chunks_mut(raster.ncols)
        .enumerate()
        .for_each(|(row, out)| {
            let src = &conv[(row + pad) * lx + pad..(row + pad) * lx + pad + raster.ncols];
            for (o, &v) in out.iter_mut().zip(src) {
                *o = if v < tau { 0.0 } else { v };
            }
        });
    Ok((values, tau))
}

/// Rows of the padded grid per binning band: one band's slice of the grid stays in cache.
const BAND_ROWS: usize = 16;
/// Points per binning task.
const BIN_CHUNK: usize = 1 << 16;

/// Linear binning onto the `ex × ey` centres of the padded grid, whose node `(i, j)` is at
/// `(x_min + (i - pad + ½)c, y_min + (j - pad + ½)c)`.
struct Binning {
    x_min: f64,
    y_min: f64,
    c: f64,
    pad: f64,
    ex: usize,
    ey: usize,
}

impl Binning {
    /// Point `i` in node units, `(u, v)`, if it has weight and a node of the padded grid
    /// within one cell (otherwise it contributes nothing to the raster).
    #[inline]
    fn node(&self, points: &KdePoints<'_>, i: usize) -> Option<(f64, f64)> {
        if points.weight(i) == 0.0 {
            return None;
        }
        let u = (points.xs[i] - self.x_min) / self.c - 0.5 + self.pad;
        let v = (points.ys[i] - self.y_min) / self.c - 0.5 + self.pad;
        (u >= -1.0 && u < self.ex as f64 && v >= -1.0 && v < self.ey as f64).then_some((u, v))
    }

    /// The bands holding node rows `⌊v⌋` and `⌊v⌋ + 1` (rows outside the grid have none;
    /// a band is named once).
    #[inline]
    fn bands_of(&self, v: f64) -> [Option<usize>; 2] {
        let j0 = floor(v) as isize;
        let band = |j: isize| (j >= 0 && (j as usize) < self.ey).then_some(j as usize / BAND_ROWS);
        let (b0, b1) = (band(j0), band(j0 + 1));
        [b0, if b1 == b0 { None } else { b1 }]
    }

    /// The binned weights on an `ly × lx` grid (zero beyond `ey × ex`).
    ///
    /// A parallel counting sort first copies every point that has weight, as `(u, v, w)`,
    /// into the bands of [`BAND_ROWS`] grid rows it touches, in input order within each
    /// band; then each band adds its points' shares into its own rows, which stay in cache.
    /// Every cell's sum is taken in input order whatever the number of threads, so the
    /// result equals a sequential loop's bit for bit.
    fn bin(&self, points: &KdePoints<'_>, lx: usize, ly: usize) -> Vec<f64> {
        let n = points.len();
        let nbands = self.ey.div_ceil(BAND_ROWS);
        let nchunks = n.div_ceil(BIN_CHUNK);
        let chunk = |c: usize| c * BIN_CHUNK..((c + 1) * BIN_CHUNK).min(n);
        // Entries per chunk and band.
        let counts: Vec<Vec<usize>> = (0..nchunks)
            .into_par_iter()
            .map(|c| {
                let mut count = vec![0usize; nbands];
                for i in chunk(c) {
                    if let Some((_, v)) = self.node(points, i) {
                        for b in self.bands_of(v).into_iter().flatten() {
                            count[b] += 1;
                        }
                    }
                }
                count
            })
            .collect();
        let band_len: Vec<usize> = (0..nbands)
            .map(|b| counts.iter().map(|count| count[b]).sum())
            .collect();
        let mut entries = vec![[0.0f64; 3]; band_len.iter().sum()];
        // Split the entries band by band, then chunk by chunk, and hand each chunk its
        // pieces (one per band).
        let mut pieces: Vec<Vec<&mut [[f64; 3]]>> =
            (0..nchunks).map(|_| Vec::with_capacity(nbands)).collect();
        let mut bands: Vec<&[[f64; 3]]> = Vec::with_capacity(nbands);
        {
            let mut rest: &mut [[f64; 3]] = &mut entries;
            for (b, &len) in band_len.iter().enumerate() {
                let (mut band, tail) = rest.split_at_mut(len);
                rest = tail;
                for (c, count) in counts.iter().enumerate() {
                    let (piece, tail) = band.split_at_mut(count[b]);
                    band = tail;
                    pieces[c].push(piece);
                }
            }
        }
        pieces
            .into_par_iter()
            .enumerate()
            .for_each(|(c, mut mine)| {
                let mut at = vec![0usize; nbands];
                for i in chunk(c) {
                    if let Some((u, v)) = self.node(points, i) {
                        for b in self.bands_of(v).into_iter().flatten() {
                            mine[b][at[b]] = [u, v, points.weight(i)];
                            at[b] += 1;
                        }
                    }
                }
            });
        {
            let mut rest: &[[f64; 3]] = &entries;
            for &len in &band_len {
                let (band, tail) = rest.split_at(len);
                bands.push(band);
                rest = tail;
            }
        }
        let mut grid = vec![0.0f64; lx * ly];
        grid.par_chunks_mut(BAND_ROWS * lx)
            .zip(bands.into_par_iter())
            .enumerate()
            .for_each(|(b, (slice, band))| {
                let (row0, row1) = (b * BAND_ROWS, ((b + 1) * BAND_ROWS).min(self.ey));
                for &[u, v, w] in band {
                    let (fu, fv) = (floor(u), floor(v));
                    let (tx, ty) = (u - fu, v - fv);
                    let (i0, j0) = (fu as isize, fv as isize);
                    for (j, wy) in [(j0, 1.0 - ty), (j0 + 1, ty)] {
                        if j < row0 as isize || j >= row1 as isize || wy == 0.0 {
                            continue;
                        }
                        let row = &mut slice[(j as usize - row0) * lx..][..lx];
                        for (k, wx) in [(i0, 1.0 - tx), (i0 + 1, tx)] {
                            if k >= 0 && (k as usize) < self.ex && wx != 0.0 {
                                row[k as usize] += w * wx * wy;
                            }
                        }
                    }
                }
            });
        grid
    }
}

/// `⌊v⌋` for `|v| < 2^52`, without the libm call `f64::floor` compiles to on x86-64's
/// baseline (which has no SSE4.1 `roundsd`).
#[inline]
fn floor(v: f64) -> f64 {
    let t = v as i64 as f64;
    if t > v {
        t - 1.0
    } else {
        t
    }
}

/// The smallest `m >= n` whose prime factors are all 2, 3, 5 or 7 (fast FFT lengths), even
/// if `even`.
#[allow(clippy::manual_is_multiple_of)] // `is_multiple_of` needs Rust 1.87; MSRV is 1.85
fn fast_len(n: usize, even: bool) -> usize {
    let mut m = n.max(2);
    loop {
        if !even || m % 2 == 0 {
            let mut r = m;
            for f in [2, 3, 5, 7] {
                while r % f == 0 {
                    r /= f;
                }
            }
            if r == 1 {
                return m;
            }
        }
        m += 1;
    }
}

/// A 2D real FFT of an `ly × lx` row-major grid. The spectrum is kept column-major:
/// `lx/2 + 1` columns of `ly` values.
struct Fft2 {
    lx: usize,
    ly: usize,
    r2c: Arc<dyn RealToComplex<f64>>,
    c2r: Arc<dyn ComplexToReal<f64>>,
    fwd: Arc<dyn Fft<f64>>,
    inv: Arc<dyn Fft<f64>>,
}

impl Fft2 {
    fn new(lx: usize, ly: usize) -> Self {
        let mut real = RealFftPlanner::<f64>::new();
        let mut complex = FftPlanner::<f64>::new();
        Fft2 {
            lx,
            ly,
            r2c: real.plan_fft_forward(lx),
            c2r: real.plan_fft_inverse(lx),
            fwd: complex.plan_fft_forward(ly),
            inv: complex.plan_fft_inverse(ly),
        }
    }

    /// The spectrum of `grid` (which is used as scratch space).
    fn forward(&self, grid: &mut [f64]) -> Vec<Complex<f64>> {
        let nc = self.lx / 2 + 1;
        let zero = Complex::new(0.0, 0.0);
        let mut rows = vec![zero; self.ly * nc];
        grid.par_chunks_mut(self.lx)
            .zip(rows.par_chunks_mut(nc))
            .for_each_init(
                || self.r2c.make_scratch_vec(),
                |scratch, (g, r)| {
                    if g.iter().any(|&v| v != 0.0) {
                        self.r2c
                            .process_with_scratch(g, r, scratch)
                            .expect("buffer lengths match the plan");
                    }
                },
            );
        let mut cols = transpose(&rows, self.ly, nc);
        cols.par_chunks_mut(self.ly).for_each_init(
            || vec![zero; self.fwd.get_inplace_scratch_len()],
            |scratch, col| self.fwd.process_with_scratch(col, scratch),
        );
        cols
    }

    /// The (unnormalised) inverse of a column-major spectrum (used as scratch space).
    fn inverse(&self, cols: &mut [Complex<f64>]) -> Vec<f64> {
        let nc = self.lx / 2 + 1;
        let zero = Complex::new(0.0, 0.0);
        cols.par_chunks_mut(self.ly).for_each_init(
            || vec![zero; self.inv.get_inplace_scratch_len()],
            |scratch, col| self.inv.process_with_scratch(col, scratch),
        );
        let mut rows = transpose(cols, nc, self.ly);
        let mut out = vec![0.0; self.ly * self.lx];
        rows.par_chunks_mut(nc)
            .zip(out.par_chunks_mut(self.lx))
            .for_each_init(
                || self.c2r.make_scratch_vec(),
                |scratch, (r, o)| {
                    // The input of a real signal's inverse: these are 0 up to round-off.
                    r[0].im = 0.0;
                    r[nc - 1].im = 0.0;
                    self.c2r
                        .process_with_scratch(r, o, scratch)
                        .expect("buffer lengths match the plan");
                },
            );
        out
    }
}

/// `src` (`rows × cols`, row-major) transposed to `cols × rows`, in parallel blocks.
fn transpose(src: &[Complex<f64>], rows: usize, cols: usize) -> Vec<Complex<f64>> {
    const BLOCK: usize = 16;
    let mut dst = vec![Complex::new(0.0, 0.0); rows * cols];
    dst.par_chunks_mut(BLOCK * rows)
        .enumerate()
        .for_each(|(bi, block)| {
            let c0 = bi * BLOCK;
            let nb = block.len() / rows;
            for r in 0..rows {
                let s = &src[r * cols + c0..r * cols + c0 + nb];
                for (k, &z) in s.iter().enumerate() {
                    block[k * rows + r] = z;
                }
            }
        });
    dst
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_lengths_are_smooth_and_even_on_request() {
        assert_eq!(fast_len(1, false), 2);
        assert_eq!(fast_len(11, false), 12);
        assert_eq!(fast_len(1001, true), 1008);
        assert_eq!(fast_len(1027, false), 1029);
        assert_eq!(fast_len(1027, true), 1050);
    }

    /// The banded, parallel binning equals the plain sequential loop bit for bit, over
    /// several chunks and with points outside the padded grid, on 1 and 2 threads.
    #[test]
    fn banded_binning_equals_a_sequential_loop() {
        let n = 3 * BIN_CHUNK + 123;
        let mut state = 1u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let xs: Vec<f64> = (0..n).map(|_| -60.0 + 1100.0 * next()).collect();
        let ys: Vec<f64> = (0..n).map(|_| -60.0 + 900.0 * next()).collect();
        let ws: Vec<f64> = (0..n)
            .map(|k| if k % 7 == 0 { 0.0 } else { next() })
            .collect();
        let points = KdePoints::weighted(&xs, &ys, &ws).expect("points");
        let (ex, ey, lx, ly) = (108, 86, 112, 90);
        let b = Binning {
            x_min: 0.0,
            y_min: 0.0,
            c: 10.0,
            pad: 4.0,
            ex,
            ey,
        };
        let mut want = vec![0.0f64; lx * ly];
        for (i, w) in ws.iter().enumerate() {
            let Some((u, v)) = b.node(&points, i) else {
                continue;
            };
            let (fu, fv) = (u.floor(), v.floor());
            let (tx, ty) = (u - fu, v - fv);
            for (j, wy) in [(fv as isize, 1.0 - ty), (fv as isize + 1, ty)] {
                for (k, wx) in [(fu as isize, 1.0 - tx), (fu as isize + 1, tx)] {
                    let inside = j >= 0 && (j as usize) < ey && k >= 0 && (k as usize) < ex;
                    if inside && wx != 0.0 && wy != 0.0 {
                        want[j as usize * lx + k as usize] += w * wx * wy;
                    }
                }
            }
        }
        for threads in [1, 2] {
            let got = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("pool")
                .install(|| b.bin(&points, lx, ly));
            assert!(got
                .iter()
                .zip(&want)
                .all(|(g, w)| g.to_bits() == w.to_bits()));
        }
    }

    #[test]
    fn floor_matches_std() {
        for v in [
            -1.0,
            -0.5,
            -1e-17,
            -0.0,
            0.0,
            0.999_999_9,
            3.0,
            7.5,
            1.0e15 + 0.5,
            -2.0e9 - 0.25,
        ] {
            assert_eq!(floor(v), v.floor(), "{v}");
        }
    }

    #[test]
    fn medians() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(weighted_median(&[1.0, 2.0, 3.0, 4.0], &[1.0; 4], 4.0), 2.5);
        assert_eq!(
            weighted_median(&[1.0, 2.0, 3.0], &[1.0, 1.0, 5.0], 7.0),
            3.0
        );
        assert_eq!(
            weighted_median(&[1.0, 2.0, 3.0], &[2.0, 1.0, 1.0], 4.0),
            1.5
        );
    }

    #[test]
    fn transpose_round_trips() {
        let src: Vec<Complex<f64>> = (0..35).map(|k| Complex::new(f64::from(k), 0.0)).collect();
        let t = transpose(&src, 5, 7);
        assert_eq!(transpose(&t, 7, 5), src);
        assert_eq!(t[3 * 5 + 2], src[2 * 7 + 3]);
    }

    #[test]
    fn kernels_integrate_to_one() {
        for kernel in [Kernel::Quartic, Kernel::Gaussian] {
            // Midpoint rule on a fine polar grid.
            let h = 10.0;
            let r = kernel.support(h);
            let n = 20_000;
            let dr = r / f64::from(n);
            let total: f64 = (0..n)
                .map(|k| {
                    let d = (f64::from(k) + 0.5) * dr;
                    kernel.value(d, h) * 2.0 * PI * d * dr
                })
                .sum();
            assert!((total - 1.0).abs() < 1e-8, "{kernel}: {total}");
            assert_eq!(kernel.value(r, h), 0.0);
        }
    }
}
