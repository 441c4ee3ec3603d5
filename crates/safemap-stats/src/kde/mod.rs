//! Kernel density estimation: a surface of events per square kilometre on a raster.
//!
//! | file | holds |
//! |---|---|
//! | `raster.rs` | [`Raster`], the cells the surface is evaluated on |
//! | `kernel.rs` | [`Kernel`] (quartic, truncated Gaussian) |
//! | `bandwidth.rs` | [`Bandwidth`], [`BandwidthRule`] (spatial Silverman) |
//! | `points.rs` | [`KdePoints`], checked coordinates and weights |
//! | `exact.rs` | exact evaluation |
//! | `binned.rs`, `binning.rs`, `fft.rs` | binned evaluation: linear binning, 2D real FFT convolution |
//! | `error.rs` | [`KdeError`] |
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

mod bandwidth;
mod binned;
mod binning;
mod error;
mod exact;
mod fft;
mod kernel;
mod points;
mod raster;

pub use bandwidth::{Bandwidth, BandwidthRule};
pub use error::KdeError;
pub use kernel::{Kernel, GAUSSIAN_TRUNCATION};
pub use points::KdePoints;
pub use raster::Raster;
pub use safemap_types::Metres;

/// Most cells a raster, or the padded grid of a binned evaluation, may have (`2^26`,
/// about 67 million; the binned evaluation needs about 50 bytes per padded cell and 24
/// bytes per point).
pub const MAX_GRID_CELLS: usize = 1 << 26;

/// Square metres per square kilometre: densities come out per km².
const M2_PER_KM2: f64 = 1.0e6;

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
            col < self.raster.ncols() && row < self.raster.nrows(),
            "cell ({col}, {row}) is outside the raster"
        );
        self.values[row * self.raster.ncols() + col]
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
    let (kernel, evaluation) = (params.kernel, params.evaluation);
    let h = params.bandwidth.resolve(points)?;
    let (values, round_off_floor) = match evaluation {
        Evaluation::Exact => (exact::exact(points, raster, kernel, h), 0.0),
        Evaluation::Binned => binned::binned(points, raster, kernel, h)?,
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
