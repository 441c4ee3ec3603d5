//! The planted patterns: which areas carry them and how much extra they add.
//!
//! Each pattern is a contiguous group of areas grown from an anchor point: start at
//! the area nearest the anchor, then repeatedly add the neighbour nearest to it.
//! Groups never touch: an area next to one group cannot join another. Extra events
//! are drawn on top of the background as `factor x background mean`.

use crate::calendar::{Period, TimeProfile};
use crate::layout::Layout;
use crate::offence::Offence;
use crate::planar::dist;
use geo_types::Coord;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The kinds of planted pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PatternKind {
    /// Central areas with violence concentrated on Friday and Saturday nights.
    NightTimeEconomy,
    /// Domestic abuse concentrated in the most deprived areas.
    DomesticAbuse,
    /// Violence elevated only in the final quarter.
    NewHotspot,
    /// Violence elevated throughout and rising.
    IntensifyingHotspot,
    /// Violence elevated throughout and falling.
    DiminishingHotspot,
    /// Deprived, high-need areas more than 3 km from any IDVA service, family hub or
    /// youth service.
    ServiceGap,
}

impl PatternKind {
    /// Every kind, in the order groups are placed.
    pub const ALL: [PatternKind; 6] = [
        PatternKind::NightTimeEconomy,
        PatternKind::DomesticAbuse,
        PatternKind::ServiceGap,
        PatternKind::NewHotspot,
        PatternKind::IntensifyingHotspot,
        PatternKind::DiminishingHotspot,
    ];

    /// The snake_case name used in `ground_truth.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            PatternKind::NightTimeEconomy => "night_time_economy",
            PatternKind::DomesticAbuse => "domestic_abuse",
            PatternKind::NewHotspot => "new_hotspot",
            PatternKind::IntensifyingHotspot => "intensifying_hotspot",
            PatternKind::DiminishingHotspot => "diminishing_hotspot",
            PatternKind::ServiceGap => "service_gap",
        }
    }

    /// Anchor direction (degrees counter-clockwise from east), distance as a fraction
    /// of the outline radius, and group size.
    fn placement(self) -> (f64, f64, usize) {
        match self {
            PatternKind::NightTimeEconomy => (0.0, 0.0, 4),
            PatternKind::DomesticAbuse => (10.0, 0.6, 6),
            PatternKind::ServiceGap => (-62.0, 0.78, 5),
            PatternKind::NewHotspot => (140.0, 0.6, 4),
            PatternKind::IntensifyingHotspot => (215.0, 0.62, 4),
            PatternKind::DiminishingHotspot => (85.0, 0.62, 4),
        }
    }
}

impl fmt::Display for PatternKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Number of areas in the city-centre group (the night-time-economy group and the
/// central areas around it).
const CITY_CENTRE_SIZE: usize = 8;
/// The new hotspot's months: the final quarter of the period.
pub(crate) const NEW_MONTHS: u32 = 3;
/// Extra emergency-department assaults in night-time-economy areas, per background one.
pub(crate) const ED_NTE_FACTOR: f64 = 7.0;

/// Extra events for one offence in one month of one pattern area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Excess {
    /// Expected extra events as a multiple of the background mean (of the domestic part
    /// only, when `domestic_only`).
    pub factor: f64,
    /// Every extra event is domestic abuse, and the factor applies to the domestic share.
    pub domestic_only: bool,
    /// When the extra events happen.
    pub profile: TimeProfile,
}

/// Police extra events of `kind` for `offence` in month `k` of `period`.
pub(crate) fn police_excess(
    kind: PatternKind,
    offence: Offence,
    k: u32,
    period: Period,
) -> Option<Excess> {
    use Offence::{
        PossessionOfWeapons, PublicOrder, SexualOffences, StalkingAndHarassment,
        ViolenceWithInjury, ViolenceWithoutInjury,
    };
    let n = f64::from(period.months);
    let t = (f64::from(k) + 0.5) / n;
    let violence = matches!(offence, ViolenceWithInjury | ViolenceWithoutInjury);
    let plain = |factor: f64| Excess {
        factor,
        domestic_only: false,
        profile: TimeProfile::Violence,
    };
    let domestic = |factor: f64| Excess {
        factor,
        domestic_only: true,
        profile: TimeProfile::Violence,
    };
    let e = match kind {
        PatternKind::NightTimeEconomy => {
            let factor = match offence {
                ViolenceWithInjury | PublicOrder => 3.0,
                ViolenceWithoutInjury | PossessionOfWeapons => 2.0,
                SexualOffences => 0.5,
                _ => return None,
            };
            Excess {
                factor,
                domestic_only: false,
                profile: TimeProfile::NightTimeEconomy,
            }
        }
        PatternKind::DomesticAbuse | PatternKind::ServiceGap
            if violence || offence == StalkingAndHarassment =>
        {
            domestic(6.0)
        }
        // Shaped after the emerging hot spot definitions (docs/change-and-trend.md) with
        // quarterly slices: new only in the final quarter; intensifying and diminishing
        // elevated throughout (hot in every quarter) with the excess rising or falling.
        PatternKind::NewHotspot if violence => plain(if k + NEW_MONTHS >= period.months {
            16.0
        } else {
            0.0
        }),
        PatternKind::IntensifyingHotspot if violence => plain(6.0 + 7.0 * t),
        PatternKind::DiminishingHotspot if violence => plain(6.0 + 7.0 * (1.0 - t)),
        _ => return None,
    };
    (e.factor > 0.0).then_some(e)
}

/// Expected (background + extra) / background for the rows of `offences` (only their
/// domestic-abuse rows when `domestic_only`) in pattern areas, over the months of
/// `period` that fall in calendar `year`. `None` if the year has no such months.
pub(crate) fn relative_risk(
    kind: PatternKind,
    offences: &[Offence],
    domestic_only: bool,
    period: Period,
    year: i32,
) -> Option<f64> {
    let (mut base, mut extra) = (0.0, 0.0);
    for k in (0..period.months).filter(|&k| period.month(k).0 == year) {
        let s = period.season(k);
        for &o in offences {
            let share = if domestic_only {
                o.domestic_share()
            } else {
                1.0
            };
            let b = s * o.base_rate() * share;
            base += b;
            if let Some(e) = police_excess(kind, o, k, period) {
                if e.domestic_only {
                    extra += s * o.base_rate() * o.domestic_share() * e.factor;
                } else if !domestic_only {
                    extra += b * e.factor;
                }
            }
        }
    }
    (base > 0.0).then(|| (base + extra) / base)
}

/// Which areas carry which pattern.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    /// The groups, in [`PatternKind::ALL`] order, area indices ascending.
    pub groups: Vec<(PatternKind, Vec<usize>)>,
    /// The city-centre areas (ascending), a superset of the night-time-economy group.
    pub city_centre: Vec<usize>,
    /// The pattern of each area, if any.
    pub member: Vec<Option<PatternKind>>,
    /// The anchor each group was grown from.
    pub anchors: Vec<Coord<f64>>,
}

fn grow(
    centroids: &[Coord<f64>],
    neighbours: &[Vec<usize>],
    anchor: Coord<f64>,
    start: Vec<usize>,
    size: usize,
    blocked: &[bool],
) -> Vec<usize> {
    let closer = |a: &usize, b: &usize| {
        dist(centroids[*a], anchor)
            .total_cmp(&dist(centroids[*b], anchor))
            .then(a.cmp(b))
    };
    let mut group = start;
    if group.is_empty() {
        match (0..centroids.len()).filter(|&i| !blocked[i]).min_by(closer) {
            Some(first) => group.push(first),
            None => return group,
        }
    }
    // Prefer the candidate touching most of the group (compact blobs: every member
    // of a group of three or more touches at least two others), then the one nearest
    // the anchor.
    let touching =
        |c: usize, group: &[usize]| neighbours[c].iter().filter(|n| group.contains(n)).count();
    while group.len() < size {
        let next = group
            .iter()
            .flat_map(|&g| neighbours[g].iter().copied())
            .filter(|&c| !blocked[c] && !group.contains(&c))
            .min_by(|a, b| {
                touching(*b, &group)
                    .cmp(&touching(*a, &group))
                    .then_with(|| closer(a, b))
            });
        match next {
            Some(c) => group.push(c),
            None => break,
        }
    }
    group
}

impl Plan {
    /// Places the groups on the areas (given in code order).
    pub fn new(layout: &Layout, centroids: &[Coord<f64>], neighbours: &[Vec<usize>]) -> Self {
        let n = centroids.len();
        let mut blocked = vec![false; n];
        let mut member = vec![None; n];
        let mut groups = Vec::new();
        let mut anchors = Vec::new();
        let mut city_centre = Vec::new();
        for kind in PatternKind::ALL {
            let (deg, frac, size) = kind.placement();
            let anchor = layout.anchor(deg, frac);
            let mut group = grow(centroids, neighbours, anchor, Vec::new(), size, &blocked);
            if kind == PatternKind::NightTimeEconomy {
                city_centre = grow(
                    centroids,
                    neighbours,
                    anchor,
                    group.clone(),
                    CITY_CENTRE_SIZE,
                    &blocked,
                );
                city_centre.sort_unstable();
            }
            for &g in &group {
                member[g] = Some(kind);
                blocked[g] = true;
                for &h in &neighbours[g] {
                    blocked[h] = true;
                }
            }
            group.sort_unstable();
            groups.push((kind, group));
            anchors.push(anchor);
        }
        Self {
            groups,
            city_centre,
            member,
            anchors,
        }
    }

    /// The areas of `kind`.
    pub fn group(&self, kind: PatternKind) -> &[usize] {
        self.groups
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&[], |(_, g)| g.as_slice())
    }

    /// Areas sharing an edge with the group of `kind` but not in it (ascending).
    pub fn halo(&self, kind: PatternKind, neighbours: &[Vec<usize>]) -> Vec<usize> {
        let group = self.group(kind);
        let mut halo: Vec<usize> = group
            .iter()
            .flat_map(|&g| neighbours[g].iter().copied())
            .filter(|h| !group.contains(h))
            .collect();
        halo.sort_unstable();
        halo.dedup();
        halo
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excess_shapes_over_time() {
        let p = Period::new((2023, 1), 36);
        let f = |kind, k| {
            police_excess(kind, Offence::ViolenceWithInjury, k, p).map_or(0.0, |e| e.factor)
        };
        assert!(f(PatternKind::NewHotspot, 32) == 0.0 && f(PatternKind::NewHotspot, 33) > 3.0);
        assert!(
            f(PatternKind::DiminishingHotspot, 35) > 3.0,
            "still hot at the end"
        );
        assert!(f(PatternKind::IntensifyingHotspot, 35) > f(PatternKind::IntensifyingHotspot, 0));
        assert!(f(PatternKind::DiminishingHotspot, 35) < f(PatternKind::DiminishingHotspot, 0));
        assert!(police_excess(PatternKind::NewHotspot, Offence::Burglary, 30, p).is_none());
        let rr = |y| {
            relative_risk(
                PatternKind::IntensifyingHotspot,
                &[Offence::ViolenceWithInjury],
                false,
                p,
                y,
            )
            .unwrap_or(0.0)
        };
        assert!(rr(2023) < rr(2024) && rr(2024) < rr(2025));
        assert!(relative_risk(
            PatternKind::NewHotspot,
            &[Offence::ViolenceWithInjury],
            false,
            p,
            2030
        )
        .is_none());
        let da = relative_risk(
            PatternKind::DomesticAbuse,
            &[Offence::ViolenceWithInjury],
            true,
            p,
            2024,
        )
        .unwrap_or(0.0);
        assert!((da - 7.0).abs() < 1e-9);
    }
}
