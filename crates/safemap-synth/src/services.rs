//! The service register, with a planted gap.
//!
//! Services of each kind are spread out by best-candidate sampling over random
//! points in random areas. Every service except refuges keeps more than
//! 3.3 km from every point of the service-gap district, so the district is
//! more than [`GAP_DISTANCE_M`] from any IDVA service, family hub or youth service.

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
    ServiceKind::IdvaService,
    ServiceKind::FamilyHub,
    ServiceKind::YouthService,
];

/// How many of each kind, its tier, and its capacity range (with rounding step).
fn plan(kind: ServiceKind) -> (usize, PreventionTier, (u32, u32, u32)) {
    match kind {
        ServiceKind::IdvaService => (4, PreventionTier::Tertiary, (60, 120, 5)),
        ServiceKind::Refuge => (3, PreventionTier::Tertiary, (6, 16, 1)),
        ServiceKind::FamilyHub => (8, PreventionTier::Primary, (300, 600, 50)),
        ServiceKind::YouthService => (8, PreventionTier::Secondary, (60, 200, 10)),
        ServiceKind::PerpetratorProgramme => (2, PreventionTier::Secondary, (20, 40, 2)),
        _ => (2, PreventionTier::Tertiary, (80, 160, 10)),
    }
}

fn name(kind: ServiceKind, ward: &str, k: usize) -> String {
    match kind {
        ServiceKind::IdvaService => format!("{ward} IDVA Service"),
        ServiceKind::Refuge => format!("Refuge {}", char::from(b'A' + k as u8)),
        ServiceKind::FamilyHub => format!("{ward} Family Hub"),
        ServiceKind::YouthService => format!("{ward} Youth Centre"),
        ServiceKind::PerpetratorProgramme => format!("Change Programme ({ward})"),
        _ => format!("Sexual Violence Support Centre ({ward})"),
    }
}

/// Draws the register. `ward_names` are the area names without their number.
pub(crate) fn services(
    seed: u64,
    shapes: &[AreaShape],
    ward_names: &[String],
    gap: &[usize],
) -> Vec<Service> {
    let mut rng = stream_rng(seed, Stream::Services);
    let far_from_gap = |p| {
        gap.iter()
            .all(|&g| dist_to_region(p, &shapes[g].ring) > GAP_KEEP_OUT_M)
    };
    let mut out = Vec::new();
    for kind in ServiceKind::ALL {
        let (count, tier, (lo, hi, step)) = plan(kind);
        let mut placed: Vec<geo_types::Coord<f64>> = Vec::new();
        for k in 0..count {
            let mut best = None;
            let mut best_d = -1.0;
            let mut tries = 0;
            for _ in 0..10_000 {
                if tries == 15 {
                    break;
                }
                let a = index(&mut rng, shapes.len());
                let p = shapes[a].random_point(&mut rng, 10.0, snap_dm);
                if kind != ServiceKind::Refuge && !far_from_gap(p) {
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
            let mut label = name(kind, &ward_names[a], k);
            let taken = |l: &str| out.iter().any(|s: &Service| s.name == l);
            if taken(&label) {
                label = (2..100)
                    .map(|i| format!("{label} {i}"))
                    .find(|l| !taken(l))
                    .unwrap_or(label);
            }
            out.push(Service {
                name: label,
                kind,
                tier,
                point: CheckedCoord::new(p.x, p.y, Crs::BritishNationalGrid)
                    .expect("service points lie inside the city, inside the grid"),
                capacity: Some(capacity),
                confidential: kind == ServiceKind::Refuge,
            });
        }
    }
    out
}
