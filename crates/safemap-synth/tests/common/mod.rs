//! Helpers shared by the integration tests: the default city, queen contiguity from the
//! polygons, and a reference Getis-Ord Gi* with Benjamini-Hochberg FDR.

#![allow(dead_code)]

use safemap_synth::{generate, City, CityParams};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The default (demo) city, generated once per test binary.
pub fn demo_city() -> &'static City {
    static CITY: OnceLock<City> = OnceLock::new();
    CITY.get_or_init(|| generate(&CityParams::default()))
}

/// Queen contiguity from the polygons: areas sharing at least one vertex (bit-exact).
pub fn queen(city: &City) -> Vec<Vec<usize>> {
    let mut at: BTreeMap<(u64, u64), Vec<usize>> = BTreeMap::new();
    for (i, a) in city.areas.iter().enumerate() {
        for p in &a.area.geometry.0 {
            for c in &p.exterior().0 {
                let v = at.entry((c.x.to_bits(), c.y.to_bits())).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
        }
    }
    let mut nb = vec![Vec::new(); city.areas.len()];
    for areas in at.values() {
        for &i in areas {
            for &j in areas {
                if i != j {
                    nb[i].push(j);
                }
            }
        }
    }
    for v in &mut nb {
        v.sort_unstable();
        v.dedup();
    }
    nb
}

/// Gi* z-scores with binary weights including self (the formula in DESIGN/MISSION).
pub fn gi_star(x: &[f64], nb: &[Vec<usize>]) -> Vec<f64> {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let s = (x.iter().map(|v| v * v).sum::<f64>() / n - mean * mean).sqrt();
    (0..x.len())
        .map(|i| {
            let w = (nb[i].len() + 1) as f64;
            let sum = x[i] + nb[i].iter().map(|&j| x[j]).sum::<f64>();
            (sum - mean * w) / (s * ((n * w - w * w) / (n - 1.0)).sqrt())
        })
        .collect()
}

/// Areas flagged hot by Gi* at FDR `alpha` (two-sided p, Benjamini-Hochberg).
pub fn hot_fdr(x: &[f64], nb: &[Vec<usize>], alpha: f64) -> Vec<bool> {
    let z = gi_star(x, nb);
    let p: Vec<f64> = z
        .iter()
        .map(|z| libm::erfc(z.abs() / std::f64::consts::SQRT_2))
        .collect();
    let mut sorted = p.clone();
    sorted.sort_by(f64::total_cmp);
    let n = p.len() as f64;
    let cutoff = sorted
        .iter()
        .enumerate()
        .filter(|(i, v)| **v <= (*i as f64 + 1.0) * alpha / n)
        .map(|(_, v)| *v)
        .fold(-1.0, f64::max);
    z.iter()
        .zip(&p)
        .map(|(z, p)| *z > 0.0 && *p <= cutoff)
        .collect()
}
