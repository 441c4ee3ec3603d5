//! Emergency-department assault attendances (the Cardiff Model / ISTV minimum data set).

use crate::calendar::{sample_time, TimeProfile};
use crate::naming::VENUES;
use crate::patterns::{PatternKind, ED_NTE_FACTOR};
use crate::points::snap_m;
use crate::police::EventContext;
use crate::random::{chance, index, poisson, stream_rng, uniform, weighted, Stream};
use chrono::{NaiveDateTime, TimeDelta};
use geo_types::Coord;
use safemap_types::AreaId;
use std::fmt;

/// Background ED assault attendances per 1,000 residents per year.
const ED_RATE: f64 = 2.5;

/// How the patient was assaulted (ISTV "assault method").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AssaultMethod {
    /// Not recorded (`none`; the ED reader's default table reads it as `not_recorded`).
    None,
    /// Hands, feet, head.
    Body,
    /// Knife or other blade.
    Knife,
    /// Blunt object.
    BluntObject,
    /// Glass or bottle.
    GlassBottle,
    /// Firearm.
    Firearm,
    /// Any other weapon.
    OtherWeapon,
}

impl AssaultMethod {
    const ALL: [AssaultMethod; 7] = [
        AssaultMethod::None,
        AssaultMethod::Body,
        AssaultMethod::Knife,
        AssaultMethod::BluntObject,
        AssaultMethod::GlassBottle,
        AssaultMethod::Firearm,
        AssaultMethod::OtherWeapon,
    ];

    /// The value written to `ed.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            AssaultMethod::None => "none",
            AssaultMethod::Body => "body",
            AssaultMethod::Knife => "knife",
            AssaultMethod::BluntObject => "blunt_object",
            AssaultMethod::GlassBottle => "glass_bottle",
            AssaultMethod::Firearm => "firearm",
            AssaultMethod::OtherWeapon => "other_weapon",
        }
    }
}

impl fmt::Display for AssaultMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the assault happened (ISTV "location type").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LocationType {
    /// Street or other public place.
    Street,
    /// Pub, bar or club.
    PubClub,
    /// The patient's or someone else's home.
    Home,
    /// Anywhere else.
    Other,
}

impl LocationType {
    const ALL: [LocationType; 4] = [
        LocationType::Street,
        LocationType::PubClub,
        LocationType::Home,
        LocationType::Other,
    ];

    /// The value written to `ed.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            LocationType::Street => "street",
            LocationType::PubClub => "pub_club",
            LocationType::Home => "home",
            LocationType::Other => "other",
        }
    }
}

impl fmt::Display for LocationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One ED attendance after an assault.
#[derive(Debug, Clone, PartialEq)]
pub struct EdRecord {
    /// `ED000001`, ... in arrival order.
    pub attendance_id: String,
    /// The area the assault happened in.
    pub area: AreaId,
    /// When the assault happened.
    pub assault_at: NaiveDateTime,
    /// When the patient arrived at the ED.
    pub arrival_at: NaiveDateTime,
    /// Assault method.
    pub method: AssaultMethod,
    /// Location type.
    pub location_type: LocationType,
    /// Free-text location as a receptionist would type it.
    pub location_text: String,
    /// Alcohol involved.
    pub alcohol: bool,
    /// Where, in whole British National Grid metres.
    pub point: Coord<f64>,
    /// Written as a grid reference (`grid_ref`) rather than `easting`/`northing`.
    pub as_grid_ref: bool,
    /// The planted pattern that added this attendance, if any (not written to any file).
    pub planted: Option<PatternKind>,
}

const BG_LOCATION: [f64; 4] = [0.38, 0.12, 0.30, 0.20];
const NTE_LOCATION: [f64; 4] = [0.30, 0.70, 0.0, 0.0];
const BG_METHOD: [f64; 7] = [0.12, 0.58, 0.07, 0.07, 0.04, 0.004, 0.066];
const NTE_METHOD: [f64; 7] = [0.10, 0.62, 0.05, 0.04, 0.12, 0.0, 0.07];
const OTHER_PLACES: [&str; 6] = [
    "Park",
    "Bus station",
    "Shop",
    "Workplace",
    "School grounds",
    "Car park",
];

/// Inputs for the ED generator beyond the shared context.
pub(crate) struct EdNames<'a> {
    /// Street names of each area (its map point names).
    pub streets: &'a [Vec<String>],
}

/// Draws the ED attendances, numbered in arrival order.
pub(crate) fn ed_records(cx: &EventContext<'_>, names: &EdNames<'_>) -> Vec<EdRecord> {
    let mut rng = stream_rng(cx.seed, Stream::Ed);
    let n = cx.shapes.len();
    let noise: Vec<f64> = (0..n).map(|_| uniform(&mut rng, 0.9, 1.1)).collect();
    let venues: Vec<[usize; 3]> = (0..n)
        .map(|_| [0usize; 3].map(|_| index(&mut rng, VENUES.len())))
        .collect();
    let mut out = Vec::new();
    for k in 0..cx.period.months {
        let ym = cx.period.month(k);
        for (a, &area_noise) in noise.iter().enumerate() {
            let lambda = ED_RATE / 12_000.0
                * f64::from(cx.population[a])
                * cx.period.season(k)
                * area_noise
                * cx.scale;
            let nte_area = cx.plan.member[a] == Some(PatternKind::NightTimeEconomy);
            let mut draws = vec![(poisson(&mut rng, lambda), false)];
            if nte_area {
                draws.push((poisson(&mut rng, lambda * ED_NTE_FACTOR), true));
            }
            for (count, planted) in draws {
                for _ in 0..count {
                    let assault_at = sample_time(
                        &mut rng,
                        ym,
                        if planted {
                            TimeProfile::NightTimeEconomy
                        } else {
                            TimeProfile::Violence
                        },
                    );
                    let location_type = LocationType::ALL
                        [weighted(&mut rng, if planted { &NTE_LOCATION } else { &BG_LOCATION })];
                    let method = AssaultMethod::ALL
                        [weighted(&mut rng, if planted { &NTE_METHOD } else { &BG_METHOD })];
                    let alcohol = chance(
                        &mut rng,
                        match (planted, location_type) {
                            (true, _) => 0.85,
                            (false, LocationType::PubClub) => 0.75,
                            (false, LocationType::Street) => 0.45,
                            (false, LocationType::Home) => 0.30,
                            (false, LocationType::Other) => 0.25,
                        },
                    );
                    let streets = &names.streets[a];
                    let street = &streets[index(&mut rng, streets.len())];
                    let location_text = match location_type {
                        LocationType::PubClub => {
                            let venue = if nte_area {
                                VENUES[venues[a][index(&mut rng, 3)]]
                            } else {
                                VENUES[index(&mut rng, VENUES.len())]
                            };
                            format!("{venue}, {street}")
                        }
                        LocationType::Street => {
                            if chance(&mut rng, 0.5) {
                                format!("Street near {street}")
                            } else {
                                street.clone()
                            }
                        }
                        LocationType::Home => "Home address".to_string(),
                        LocationType::Other => {
                            OTHER_PLACES[index(&mut rng, OTHER_PLACES.len())].to_string()
                        }
                    };
                    let delay = if chance(&mut rng, 0.88) {
                        15 + index(&mut rng, 180)
                    } else {
                        360 + index(&mut rng, 1440)
                    };
                    let arrival_at = assault_at + TimeDelta::minutes(delay as i64);
                    let point = cx.shapes[a].random_point(&mut rng, 5.0, snap_m);
                    let as_grid_ref = chance(&mut rng, 0.85);
                    out.push(EdRecord {
                        attendance_id: String::new(),
                        area: AreaId(a as u32),
                        assault_at,
                        arrival_at,
                        method,
                        location_type,
                        location_text,
                        alcohol,
                        point,
                        as_grid_ref,
                        planted: planted.then_some(PatternKind::NightTimeEconomy),
                    });
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by_key(|&i| (out[i].arrival_at, i));
    let mut sorted: Vec<EdRecord> = order.into_iter().map(|i| out[i].clone()).collect();
    for (i, r) in sorted.iter_mut().enumerate() {
        r.attendance_id = format!("ED{:06}", i + 1);
    }
    sorted
}
