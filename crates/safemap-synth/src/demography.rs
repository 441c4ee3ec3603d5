//! Residents and deprivation.
//!
//! Populations are 1,000-3,000 per area, independent of place (so counts carry no
//! spatial pattern of their own); the service-gap areas are at the busy end
//! (2,300-3,000). Deprivation is a smooth field: a strong bump over the
//! domestic-abuse group on the east side, a second over the service-gap district, a
//! west-to-east gradient and some noise. Both groups are forced into decile 1; the
//! other areas get deciles from their rank (1 = most deprived tenth of the city).

use crate::layout::Layout;
use crate::patterns::{PatternKind, Plan};
use crate::planar::dist;
use crate::random::{int_in, stream_rng, uniform, Stream};
use geo_types::Coord;

/// Population and IMD decile of each area, in code order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Demography {
    pub population: Vec<u32>,
    pub imd_decile: Vec<u8>,
}

fn bump(p: Coord<f64>, centre: Coord<f64>, sigma: f64) -> f64 {
    let d = dist(p, centre);
    libm::exp(-d * d / (2.0 * sigma * sigma))
}

pub(crate) fn demography(
    seed: u64,
    layout: &Layout,
    centroids: &[Coord<f64>],
    plan: &Plan,
) -> Demography {
    let mut rng = stream_rng(seed, Stream::Demography);
    let n = centroids.len();
    let anchor = |kind: PatternKind| {
        let i = PatternKind::ALL
            .iter()
            .position(|k| *k == kind)
            .unwrap_or(0);
        plan.anchors[i]
    };
    let (da, gap) = (
        anchor(PatternKind::DomesticAbuse),
        anchor(PatternKind::ServiceGap),
    );
    let r = layout.radius;
    let mut population = Vec::with_capacity(n);
    let mut score = Vec::with_capacity(n);
    for (i, c) in centroids.iter().enumerate() {
        let in_gap = plan.member[i] == Some(PatternKind::ServiceGap);
        population.push(if in_gap {
            int_in(&mut rng, 2300, 3000)
        } else {
            int_in(&mut rng, 1000, 3000)
        });
        let mut s = 1.2 * bump(*c, da, 0.35 * r)
            + 0.9 * bump(*c, gap, 0.3 * r)
            + 0.35 * (c.x - layout.centre.x) / r
            + uniform(&mut rng, -0.3, 0.3);
        match plan.member[i] {
            Some(PatternKind::DomesticAbuse) => s += 10.0,
            Some(PatternKind::ServiceGap) => s += 9.0,
            _ => {}
        }
        score.push(s);
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| score[b].total_cmp(&score[a]).then(a.cmp(&b)));
    let mut imd_decile = vec![0u8; n];
    for (rank, &i) in order.iter().enumerate() {
        imd_decile[i] = (1 + rank * 10 / n) as u8;
    }
    Demography {
        population,
        imd_decile,
    }
}
