//! The service register, with a planted gap.
//!
//! Services of each kind are spread out by best-candidate sampling over random
//! points in random areas. Every service except refuges keeps more than
//! 3.3 km from every point of the service-gap district, so the district is
//! more than [`GAP_DISTANCE_M`] from any IDVA service, family hub or youth service.
//! The first service of each of those kinds is placed in the middle of the
//! domestic-abuse group, whose need is as high as the district's: as where
//! services are commissioned after a needs assessment, the high-need place that
//! lacks them is the planted district alone, whatever the seed.

use crate::planar::{dist, dist_to_region};
use crate::points::{snap_dm, AreaShape};
use crate::random::{index, int_in, stream_rng, Stream};
use safemap_types::{CheckedCoord, Crs, PreventionTier, Service, ServiceKind};

/// The distance the service-gap district is guaranteed to be from the listed services.
pub const GAP_DISTANCE_M: f64 = 3_000.0;
/// The distance services are actually kept from the district (a margin over
/// [`GAP_DISTANCE_M`]).
const GAP_KEEP_OUT_M: f64 = 3_300.0;
/// The kinds the service-gap district is far from.
pub const GAP_KINDS: [ServiceKind; 3] = [
    ServiceKind::IDVA_SERVICE,
    ServiceKind::FAMILY_HUB,
    ServiceKind::YOUTH_SERVICE,
];

/// What the register holds, kind by kind in this order: how many, the tier, the capacity
/// range (with rounding step) and how a service is named from its ward and its number.
struct Plan {
    kind: ServiceKind,
    count: usize,
    tier: PreventionTier,
    capacity: (u32, u32, u32),
    name: fn(&str, usize) -> String,
}

const PLANS: [Plan; 6] = [
    Plan {
        kind: ServiceKind::IDVA_SERVICE,
        count: 4,
        tier: PreventionTier::Tertiary,
        capacity: (60, 120, 5),
        name: |ward, _| format!("{ward} IDVA Service"),
    },
    Plan {
        kind: ServiceKind::REFUGE,
        count: 3,
        tier: PreventionTier::Tertiary,
        capacity: (6, 16, 1),
        name: |_, k| format!("Refuge {}", char::from(b'A' + k as u8)),
    },
    Plan {
        kind: ServiceKind::FAMILY_HUB,
        count: 8,
        tier: PreventionTier::Primary,
        capacity: (300, 600, 50),
        name: |ward, _| format!("{ward} Family Hub"),
    },
    Plan {
        kind: ServiceKind::YOUTH_SERVICE,
        count: 8,
        tier: PreventionTier::Secondary,
        capacity: (60, 200, 10),
        name: |ward, _| format!("{ward} Youth Centre"),
    },
    Plan {
        kind: ServiceKind::PERPETRATOR_PROGRAMME,
        count: 2,
        tier: PreventionTier::Secondary,
        capacity: (20, 40, 2),
        name: |ward, _| format!("Change Programme ({ward})"),
    },
    Plan {
        kind: ServiceKind::SEXUAL_VIOLENCE_SERVICE,
        count: 2,
        tier: PreventionTier::Tertiary,
        capacity: (80, 160, 10),
        name: |ward, _| format!("Sexual Violence Support Centre ({ward})"),
    },
];

/// Draws the register. `ward_names` are the area names without their number. Each
/// service's id is the line it will have in `services.csv` (which has no id column).
pub(crate) fn services(
    seed: u64,
    shapes: &[AreaShape],
    centroids: &[geo_types::Coord<f64>],
    ward_names: &[String],
    gap: &[usize],
    served: &[usize],
) -> Vec<Service> {
    let middle = middle_area(centroids, served);
    let mut rng = stream_rng(seed, Stream::Services);
    let far_from_gap = |p| {
        gap.iter()
            .all(|&g| dist_to_region(p, &shapes[g].ring) > GAP_KEEP_OUT_M)
    };
    let mut out = Vec::new();
    for plan in &PLANS {
        let (kind, (lo, hi, step)) = (&plan.kind, plan.capacity);
        let refuge = kind.is_confidential_by_nature();
        let mut placed: Vec<geo_types::Coord<f64>> = Vec::new();
        for k in 0..plan.count {
            let mut best = None;
            let mut best_d = -1.0;
            let mut tries = 0;
            // The first of a gap kind goes in the middle of the served group.
            let anchored = k == 0 && GAP_KINDS.contains(kind);
            // (Drawn there while a point of it keeps clear of the district; else anywhere.)
            for attempt in 0..10_000 {
                if tries == 15 || (anchored && best.is_some()) {
                    break;
                }
                let a = match middle.filter(|_| anchored && attempt < 200) {
                    Some(m) => m,
                    None => index(&mut rng, shapes.len()),
                };
                let p = shapes[a].random_point(&mut rng, 10.0, snap_dm);
                if !refuge && !far_from_gap(p) {
                    continue;
                }
                tries += 1;
                let d = placed
                    .iter()
                    .map(|q| dist(p, *q))
                    .fold(f64::INFINITY, f64::min);
                if d > best_d {
                    best_d = d;
                    best = Some((a, p));
                }
            }
            let Some((a, p)) = best else { continue };
            placed.push(p);
            let capacity = f64::from(int_in(&mut rng, lo / step, hi / step) * step);
            let mut label = (plan.name)(&ward_names[a], k);
            let taken = |l: &str| out.iter().any(|s: &Service| s.name == l);
            if taken(&label) {
                label = (2..100)
                    .map(|i| format!("{label} {i}"))
                    .find(|l| !taken(l))
                    .unwrap_or(label);
            }
            out.push(Service {
                id: (out.len() + 2).to_string(),
                name: label,
                kind: kind.clone(),
                tier: Some(plan.tier),
                point: CheckedCoord::new(p.x, p.y, Crs::BritishNationalGrid)
                    .expect("service points lie inside the city, inside the grid"),
                capacity: Some(capacity),
                opening_hours: None,
                confidential: refuge,
            });
        }
    }
    out
}

/// The area of `group` whose centroid is nearest the group's mean centroid.
fn middle_area(centroids: &[geo_types::Coord<f64>], group: &[usize]) -> Option<usize> {
    if group.is_empty() {
        return None;
    }
    let n = group.len() as f64;
    let mean = geo_types::Coord {
        x: group.iter().map(|&g| centroids[g].x).sum::<f64>() / n,
        y: group.iter().map(|&g| centroids[g].y).sum::<f64>() / n,
    };
    group
        .iter()
        .copied()
        .min_by(|&a, &b| dist(centroids[a], mean).total_cmp(&dist(centroids[b], mean)))
}
