//! [`Kernel`]: the quartic and truncated Gaussian kernels.

use std::f64::consts::PI;
use std::fmt;

/// The Gaussian kernel is cut off at `GAUSSIAN_TRUNCATION · h` (4 standard deviations,
/// where `1 - e^{-8}` ≈ 99.97% of its mass lies) and renormalised.
pub const GAUSSIAN_TRUNCATION: f64 = 4.0;
/// The kernel function; formulas in the [module docs](super).
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
    pub(super) fn value_d2(self, d2: f64, h2: f64) -> f64 {
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

#[cfg(test)]
mod tests {
    use super::*;

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
