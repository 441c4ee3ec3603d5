//! [`CityParams`]: what to generate, with chained setters and an explicit seed.

use serde::{Deserialize, Serialize};

/// Parameters of a synthetic city.
///
/// Every setter takes and returns `self`, so parameters chain; values outside the
/// supported range are clamped to it (the ranges are given on each setter). The
/// [`Default`] is the demo city: seed 2026, 175 areas, 36 months from 2023-01,
/// volume scale 1, centre (450 000, 300 000) in British National Grid, radius 6 km.
///
/// ```
/// use safemap_synth::CityParams;
/// let p = CityParams::default().seed(7).n_areas(120).months(24).volume_scale(0.5);
/// assert_eq!((p.get_seed(), p.get_n_areas(), p.get_months()), (7, 120, 24));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CityParams {
    seed: u64,
    n_areas: usize,
    start_year: i32,
    start_month: u32,
    months: u32,
    volume_scale: f64,
    centre_easting: f64,
    centre_northing: f64,
    radius_m: f64,
}

impl Default for CityParams {
    fn default() -> Self {
        Self {
            seed: 2026,
            n_areas: 175,
            start_year: 2023,
            start_month: 1,
            months: 36,
            volume_scale: 1.0,
            centre_easting: 450_000.0,
            centre_northing: 300_000.0,
            radius_m: 6_000.0,
        }
    }
}

impl CityParams {
    /// The random seed; the same parameters give byte-identical output on any machine.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Number of neighbourhoods, clamped to 100-2000 (the planted patterns need room).
    #[must_use]
    pub fn n_areas(mut self, n: usize) -> Self {
        self.n_areas = n.clamp(100, 2000);
        self
    }

    /// First month of the period (`month` clamped to 1-12, `year` to 1990-2100).
    #[must_use]
    pub fn start(mut self, year: i32, month: u32) -> Self {
        self.start_year = year.clamp(1990, 2100);
        self.start_month = month.clamp(1, 12);
        self
    }

    /// Length of the period in months, clamped to 24-120 (the new hotspot needs a
    /// last year and something before it).
    #[must_use]
    pub fn months(mut self, months: u32) -> Self {
        self.months = months.clamp(24, 120);
        self
    }

    /// Multiplies every background event rate (patterns keep their relative risks);
    /// clamped to 0.01-50, and 1 when not finite.
    #[must_use]
    pub fn volume_scale(mut self, scale: f64) -> Self {
        self.volume_scale = if scale.is_finite() {
            scale.clamp(0.01, 50.0)
        } else {
            1.0
        };
        self
    }

    /// City centre in British National Grid metres, clamped to easting 100 000-600 000
    /// and northing 100 000-1 000 000 (England, Wales and southern Scotland).
    #[must_use]
    pub fn centre(mut self, easting: f64, northing: f64) -> Self {
        let e = if easting.is_finite() {
            easting
        } else {
            450_000.0
        };
        let n = if northing.is_finite() {
            northing
        } else {
            300_000.0
        };
        self.centre_easting = e.clamp(100_000.0, 600_000.0);
        self.centre_northing = n.clamp(100_000.0, 1_000_000.0);
        self
    }

    /// Mean radius of the city outline in metres, clamped to 2 000-50 000.
    #[must_use]
    pub fn radius_m(mut self, radius: f64) -> Self {
        self.radius_m = if radius.is_finite() {
            radius.clamp(2_000.0, 50_000.0)
        } else {
            6_000.0
        };
        self
    }

    /// The seed.
    pub fn get_seed(&self) -> u64 {
        self.seed
    }

    /// The number of areas.
    pub fn get_n_areas(&self) -> usize {
        self.n_areas
    }

    /// The first month as `(year, month)`.
    pub fn get_start(&self) -> (i32, u32) {
        (self.start_year, self.start_month)
    }

    /// The number of months.
    pub fn get_months(&self) -> u32 {
        self.months
    }

    /// The event volume scale.
    pub fn get_volume_scale(&self) -> f64 {
        self.volume_scale
    }

    /// The centre `(easting, northing)`.
    pub fn get_centre(&self) -> (f64, f64) {
        (self.centre_easting, self.centre_northing)
    }

    /// The mean outline radius in metres.
    pub fn get_radius_m(&self) -> f64 {
        self.radius_m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setters_chain_and_clamp() {
        let p = CityParams::default()
            .n_areas(5)
            .months(500)
            .volume_scale(f64::NAN)
            .start(2020, 14);
        assert_eq!(p.get_n_areas(), 100);
        assert_eq!(p.get_months(), 120);
        assert!((p.get_volume_scale() - 1.0).abs() < f64::EPSILON);
        assert_eq!(p.get_start(), (2020, 12));
    }
}
