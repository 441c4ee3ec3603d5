//! [`City`] and [`generate`]: the whole synthetic city in memory.

use crate::calendar::{Period, NTE_WINDOW_SHARE};
use crate::demography::demography;
use crate::ed::{ed_records, EdNames, EdRecord};
use crate::ground_truth::{
    Effect, GroundTruth, NteWindow, PeriodTruth, PlantedPattern, ServiceGap, Source, YearRisk,
};
use crate::layout::Layout;
use crate::naming::{area_code, area_names, is_street, map_point_name, street_name};
use crate::offence::{Offence, VIOLENCE_AND_SEXUAL_OFFENCES};
use crate::patterns::{relative_risk, PatternKind, Plan, ED_NTE_FACTOR};
use crate::planar::{dist_to_region, ring_centroid};
use crate::points::{snap_dm, AreaShape};
use crate::police::{police_records, EventContext, PoliceRecord};
use crate::random::{index, stream_rng, Stream};
use crate::services::{services, GAP_DISTANCE_M, GAP_KINDS};
use crate::tessellation::tessellate;
use crate::CityParams;
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use safemap_types::{Area, AreaId, Service};

/// An anonymous data.police.uk map point: where events near it are published.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    /// British National Grid metres on the 0.1 m grid, at least 20 m inside its area.
    pub point: Coord<f64>,
    /// Street or place name; the `Location` column reads `On or near <name>`.
    pub name: String,
}

/// One neighbourhood of the synthetic city.
#[derive(Debug, Clone, PartialEq)]
pub struct CityArea {
    /// Id (position), code (`SYN0001`), name (`Castlegate 1`) and British National Grid
    /// polygon (vertices on the 0.1 m grid, shared exactly with the neighbours).
    pub area: Area,
    /// Residents.
    pub population: u32,
    /// Index of Multiple Deprivation decile within the city, 1 = most deprived.
    pub imd_decile: u8,
    /// Centroid of the polygon.
    pub centroid: Coord<f64>,
    /// Areas sharing at least one boundary edge (ascending).
    pub neighbours: Vec<AreaId>,
    /// The data.police.uk map points in this area.
    pub map_points: Vec<MapPoint>,
}

/// A generated synthetic city: boundaries, denominators, events, services and the
/// ground truth of what was planted. Write it with [`City::write_to`].
#[derive(Debug, Clone, PartialEq)]
pub struct City {
    /// The parameters it was generated from.
    pub params: CityParams,
    /// The neighbourhoods, in code order (`areas[i].area.id == AreaId(i)`).
    pub areas: Vec<CityArea>,
    /// The city outline (the union of the areas), British National Grid.
    pub outline: MultiPolygon<f64>,
    /// Every police-recorded event, by month. Rows of offences with a force name
    /// (`incident_id` set) also form the force extract.
    pub police: Vec<PoliceRecord>,
    /// ED assault attendances in arrival order.
    pub ed: Vec<EdRecord>,
    /// The service register (British National Grid points).
    pub services: Vec<Service>,
    /// What was planted where.
    pub ground_truth: GroundTruth,
}

impl City {
    /// The area with `code`, if any.
    pub fn area_by_code(&self, code: &str) -> Option<&CityArea> {
        self.areas.iter().find(|a| a.area.code == code)
    }

    /// The rows of the force extract (`force.csv`), in time order.
    pub fn force_rows(&self) -> Vec<&PoliceRecord> {
        let mut rows: Vec<&PoliceRecord> = self
            .police
            .iter()
            .filter(|r| r.incident_id.is_some())
            .collect();
        rows.sort_by(|a, b| {
            a.occurred_at
                .cmp(&b.occurred_at)
                .then_with(|| a.incident_id.cmp(&b.incident_id))
        });
        rows
    }

    /// Ids of the areas in the group of a planted pattern (empty if not planted).
    pub fn pattern_areas(&self, kind: PatternKind) -> Vec<AreaId> {
        self.ground_truth.pattern(kind).map_or_else(Vec::new, |p| {
            p.areas
                .iter()
                .filter_map(|c| self.area_by_code(c))
                .map(|a| a.area.id)
                .collect()
        })
    }
}

/// Generates the city described by `params`. Deterministic: the same parameters give
/// an equal `City` (and byte-identical files) on any machine.
///
/// ```
/// use safemap_synth::{generate, CityParams};
/// let city = generate(&CityParams::default().n_areas(120).months(24).volume_scale(0.2));
/// assert_eq!(city.areas.len(), 120);
/// assert_eq!(city.areas[0].area.code, "SYN0001");
/// ```
pub fn generate(params: &CityParams) -> City {
    let seed = params.get_seed();
    let layout = Layout::new(params);
    let tess = tessellate(&layout, seed);

    // Code order: bands of one seed spacing from north to south, west to east within.
    let cents: Vec<Coord<f64>> = tess.rings.iter().map(|r| ring_centroid(r)).collect();
    let top = cents.iter().map(|c| c.y).fold(f64::NEG_INFINITY, f64::max);
    let band = |c: Coord<f64>| ((top - c.y) / layout.spacing).floor() as i64;
    let mut perm: Vec<usize> = (0..cents.len()).collect();
    perm.sort_by(|&a, &b| {
        band(cents[a])
            .cmp(&band(cents[b]))
            .then(cents[a].x.total_cmp(&cents[b].x))
            .then(a.cmp(&b))
    });
    let mut new_of = vec![0; perm.len()];
    for (new, &old) in perm.iter().enumerate() {
        new_of[old] = new;
    }
    let rings: Vec<Vec<Coord<f64>>> = perm.iter().map(|&o| tess.rings[o].clone()).collect();
    let centroids: Vec<Coord<f64>> = perm.iter().map(|&o| cents[o]).collect();
    let neighbours: Vec<Vec<usize>> = perm
        .iter()
        .map(|&o| {
            let mut v: Vec<usize> = tess.neighbours[o].iter().map(|&j| new_of[j]).collect();
            v.sort_unstable();
            v
        })
        .collect();
    let n = rings.len();

    let names = area_names(&centroids, layout.centre);
    let plan = Plan::new(&layout, &centroids, &neighbours);
    let demo = demography(seed, &layout, &centroids, &plan);
    let shapes: Vec<AreaShape> = rings.iter().cloned().map(AreaShape::new).collect();

    let mut rng = stream_rng(seed, Stream::SnapPoints);
    let mut map_points: Vec<Vec<MapPoint>> = Vec::with_capacity(n);
    let mut streets: Vec<Vec<String>> = Vec::with_capacity(n);
    for (a, shape) in shapes.iter().enumerate() {
        let count = 6 + index(&mut rng, 6);
        let mut pts = Vec::with_capacity(count);
        for k in 0..count {
            let point = shape.random_point(&mut rng, 20.0, snap_dm);
            let name = if k == 0 && plan.member[a] == Some(PatternKind::NightTimeEconomy) {
                "Nightclub".to_string()
            } else {
                map_point_name(&mut rng)
            };
            pts.push(MapPoint { point, name });
        }
        let mut s: Vec<String> = pts
            .iter()
            .filter(|p| is_street(&p.name))
            .map(|p| p.name.clone())
            .collect();
        if s.is_empty() {
            s.push(street_name(&mut rng));
        }
        streets.push(s);
        map_points.push(pts);
    }

    let period = Period::new(params.get_start(), params.get_months());
    let counts: Vec<usize> = map_points.iter().map(Vec::len).collect();
    let cx = EventContext {
        seed,
        period,
        shapes: &shapes,
        population: &demo.population,
        plan: &plan,
        map_points: &counts,
        scale: params.get_volume_scale(),
    };
    let police = police_records(&cx);
    let ed = ed_records(&cx, &EdNames { streets: &streets });
    let wards: Vec<String> = names
        .iter()
        .map(|s| {
            s.rsplit_once(' ')
                .map_or(s.as_str(), |(w, _)| w)
                .to_string()
        })
        .collect();
    let services = services(
        seed,
        &shapes,
        &centroids,
        &wards,
        plan.group(PatternKind::ServiceGap),
        plan.group(PatternKind::DomesticAbuse),
    );

    let codes: Vec<String> = (0..n).map(area_code).collect();
    let ground_truth = ground_truth(
        params,
        period,
        &plan,
        &neighbours,
        &codes,
        &shapes,
        &services,
        &demo.imd_decile,
    );

    let to_polygon = |ring: &[Coord<f64>]| {
        let mut r = ring.to_vec();
        r.push(ring[0]);
        Polygon::new(LineString::from(r), vec![])
    };
    let areas = (0..n)
        .map(|i| CityArea {
            area: Area {
                id: AreaId(i as u32),
                code: codes[i].clone(),
                name: names[i].clone(),
                geometry: MultiPolygon(vec![to_polygon(&rings[i])]),
            },
            population: demo.population[i],
            imd_decile: demo.imd_decile[i],
            centroid: centroids[i],
            neighbours: neighbours[i].iter().map(|&j| AreaId(j as u32)).collect(),
            map_points: std::mem::take(&mut map_points[i]),
        })
        .collect();
    let outline = MultiPolygon(tess.outline.iter().map(|r| to_polygon(r)).collect());
    City {
        params: params.clone(),
        areas,
        outline,
        police,
        ed,
        services,
        ground_truth,
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[allow(clippy::too_many_arguments)]
fn ground_truth(
    params: &CityParams,
    period: Period,
    plan: &Plan,
    neighbours: &[Vec<usize>],
    codes: &[String],
    shapes: &[AreaShape],
    services: &[Service],
    deciles: &[u8],
) -> GroundTruth {
    use Offence::{
        CriminalDamage, PossessionOfWeapons, PublicOrder, SexualOffences, StalkingAndHarassment,
        ViolenceWithInjury, ViolenceWithoutInjury,
    };
    let first = period.label(0);
    let last = period.label(period.months - 1);
    let years = period.years();
    let vso = [
        ViolenceWithInjury,
        ViolenceWithoutInjury,
        StalkingAndHarassment,
        SexualOffences,
    ];
    let force_names = |offences: &[Offence]| {
        offences
            .iter()
            .filter_map(|o| o.force_name())
            .map(str::to_string)
            .collect()
    };
    let risk = |kind, offences: &[Offence], domestic: bool| -> Vec<YearRisk> {
        years
            .iter()
            .filter_map(|&y| {
                relative_risk(kind, offences, domestic, period, y).map(|r| YearRisk {
                    year: y,
                    relative_risk: round2(r),
                })
            })
            .collect()
    };
    let police_uk = |kind, category: &str, offences: &[Offence], first: &str| Effect {
        source: Source::PoliceUk,
        column: Some("Crime type".to_string()),
        values: vec![category.to_string()],
        filter: None,
        first_month: first.to_string(),
        last_month: last.clone(),
        nte_window_share: None,
        relative_risk: risk(kind, offences, false),
    };
    let force = |kind, offences: &[Offence], first: &str, nte: bool| Effect {
        source: Source::Force,
        column: Some("offence".to_string()),
        values: force_names(offences),
        filter: None,
        first_month: first.to_string(),
        last_month: last.clone(),
        nte_window_share: nte.then_some(NTE_WINDOW_SHARE),
        relative_risk: risk(kind, offences, false),
    };
    let domestic = |kind| Effect {
        source: Source::Force,
        column: None,
        values: vec![],
        filter: Some("domestic_abuse = yes".to_string()),
        first_month: first.clone(),
        last_month: last.clone(),
        nte_window_share: None,
        relative_risk: risk(
            kind,
            &[
                ViolenceWithInjury,
                ViolenceWithoutInjury,
                StalkingAndHarassment,
                SexualOffences,
                CriminalDamage,
            ],
            true,
        ),
    };
    let new_first = period.label(period.months - crate::patterns::NEW_MONTHS);
    let codes_of = |idx: &[usize]| idx.iter().map(|&i| codes[i].clone()).collect::<Vec<_>>();

    let patterns = plan
        .groups
        .iter()
        .map(|(kind, group)| {
            let kind = *kind;
            let (description, effects, service_gap) = match kind {
                PatternKind::NightTimeEconomy => (
                    "Night-time-economy violence: extra violence, public order and weapon offences in these central areas, \
                     85% of it on Friday and Saturday nights 21:00-02:59 (timestamped in force.csv; month only on \
                     data.police.uk); extra ED assault attendances at the same times, at pubs, clubs and on the \
                     street, mostly with alcohol. Strongest in the force extract inside the window and in ED data.",
                    vec![
                        police_uk(kind, VIOLENCE_AND_SEXUAL_OFFENCES, &vso, &first),
                        police_uk(kind, "Public order", &[PublicOrder], &first),
                        force(kind, &[ViolenceWithInjury, ViolenceWithoutInjury, SexualOffences, PublicOrder, PossessionOfWeapons], &first, true),
                        Effect {
                            source: Source::Ed,
                            column: None,
                            values: vec![],
                            filter: Some("extra rows: location_type pub_club or street, 85% alcohol = yes".to_string()),
                            first_month: first.clone(),
                            last_month: last.clone(),
                            nte_window_share: Some(NTE_WINDOW_SHARE),
                            relative_risk: years.iter().map(|&y| YearRisk { year: y, relative_risk: 1.0 + ED_NTE_FACTOR }).collect(),
                        },
                    ],
                    None,
                ),
                PatternKind::DomesticAbuse => (
                    "Domestic abuse concentrated in the most deprived areas (IMD decile 1, east side): extra \
                     domestic-abuse-flagged violence and stalking and harassment in force.csv, which also raise \
                     data.police.uk violence and sexual offences.",
                    vec![domestic(kind), police_uk(kind, VIOLENCE_AND_SEXUAL_OFFENCES, &vso, &first)],
                    None,
                ),
                PatternKind::ServiceGap => {
                    let nearest = services
                        .iter()
                        .filter(|s| GAP_KINDS.contains(&s.kind))
                        .flat_map(|s| group.iter().map(move |&g| dist_to_region(s.point.to_coord(), &shapes[g].ring)))
                        .fold(f64::INFINITY, f64::min);
                    (
                        "Service gap: deprived (IMD decile 1), populous areas with domestic abuse as high as in the \
                         domestic-abuse group, more than 3 km from every IDVA service, family hub and youth service.",
                        vec![domestic(kind), police_uk(kind, VIOLENCE_AND_SEXUAL_OFFENCES, &vso, &first)],
                        Some(ServiceGap {
                            kinds: GAP_KINDS.to_vec(),
                            min_distance_m: GAP_DISTANCE_M,
                            nearest_service_m: (nearest * 10.0).floor() / 10.0,
                            imd_deciles: group.iter().map(|&g| deciles[g]).collect(),
                        }),
                    )
                }
                PatternKind::NewHotspot => (
                    "New hotspot: violence with and without injury elevated in the final quarter only, at the \
                     background level before.",
                    vec![police_uk(kind, VIOLENCE_AND_SEXUAL_OFFENCES, &vso, &new_first), force(kind, &vso, &new_first, false)],
                    None,
                ),
                PatternKind::IntensifyingHotspot => (
                    "Intensifying hotspot: violence with and without injury elevated throughout (7 times the \
                     background at the start) and rising every month (to 14 times).",
                    vec![police_uk(kind, VIOLENCE_AND_SEXUAL_OFFENCES, &vso, &first), force(kind, &vso, &first, false)],
                    None,
                ),
                PatternKind::DiminishingHotspot => (
                    "Diminishing hotspot: violence with and without injury elevated throughout, 14 times the \
                     background at the start and falling every month (to 7 times).",
                    vec![police_uk(kind, VIOLENCE_AND_SEXUAL_OFFENCES, &vso, &first), force(kind, &vso, &first, false)],
                    None,
                ),
            };
            PlantedPattern {
                kind,
                description: description.to_string(),
                areas: codes_of(group),
                halo: codes_of(&plan.halo(kind, neighbours)),
                effects,
                service_gap,
            }
        })
        .collect();

    GroundTruth {
        generator: concat!("safemap-synth ", env!("CARGO_PKG_VERSION")).to_string(),
        seed: params.get_seed(),
        params: params.clone(),
        crs: "EPSG:27700".to_string(),
        period: PeriodTruth { first_month: first.clone(), last_month: last.clone(), months: period.months },
        nte_window: NteWindow { nights: vec!["Fri".into(), "Sat".into()], start: "21:00".into(), end: "02:59".into() },
        city_centre: codes_of(&plan.city_centre),
        background: "Poisson counts per area, month and offence with mean = rate per 1,000 residents x population x \
                     month-of-year factor (0.88-1.10) x area factor (uniform 0.9-1.1, fixed per area and offence) x \
                     volume_scale; ED assaults likewise at 2.5 per 1,000 per year. Areas outside the patterns carry \
                     only this background."
            .to_string(),
        patterns,
    }
}
