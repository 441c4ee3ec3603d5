//! Police-recorded events: one list, written both as data.police.uk monthly files and
//! as the force's own extract.

use crate::calendar::{sample_time, Period, TimeProfile};
use crate::offence::Offence;
use crate::patterns::{police_excess, PatternKind, Plan};
use crate::points::{snap_dm, AreaShape};
use crate::random::{chance, hex64, index, poisson, stream_rng, uniform, weighted, Stream};
use chrono::{Datelike, NaiveDateTime};
use geo_types::Coord;
use safemap_types::AreaId;

/// One police-recorded event.
#[derive(Debug, Clone, PartialEq)]
pub struct PoliceRecord {
    /// The area it happened in.
    pub area: AreaId,
    /// The offence (its data.police.uk crime type and force name follow from it).
    pub offence: Offence,
    /// When it happened (data.police.uk shows only the month).
    pub occurred_at: NaiveDateTime,
    /// Flagged as domestic abuse in the force extract.
    pub domestic_abuse: bool,
    /// Where it happened, British National Grid metres on the 0.1 m grid.
    pub point: Coord<f64>,
    /// The anonymous data.police.uk map point it is published at (an index into the
    /// area's `map_points`), or `None` when it is published without a location.
    pub map_point: Option<usize>,
    /// data.police.uk `Crime ID` (64 hex digits); `None` for anti-social behaviour.
    pub crime_id: Option<String>,
    /// data.police.uk `Last outcome category`; `None` for anti-social behaviour.
    pub outcome: Option<&'static str>,
    /// Force extract `incident_id`; `None` for offences the extract leaves out.
    pub incident_id: Option<String>,
    /// The planted pattern that added this event, if any (not written to any file).
    pub planted: Option<PatternKind>,
}

const OUTCOMES: [(&str, f64); 11] = [
    ("Investigation complete; no suspect identified", 0.35),
    ("Unable to prosecute suspect", 0.25),
    ("Under investigation", 0.06),
    ("Status update unavailable", 0.08),
    ("Local resolution", 0.05),
    ("Offender given a caution", 0.03),
    ("Awaiting court outcome", 0.05),
    ("Court result unavailable", 0.05),
    ("Action to be taken by another organisation", 0.03),
    ("Further investigation is not in the public interest", 0.03),
    ("Formal action is not in the public interest", 0.02),
];

fn profile(o: Offence) -> TimeProfile {
    if o.is_violence()
        || matches!(
            o,
            Offence::PublicOrder | Offence::Robbery | Offence::PossessionOfWeapons
        )
    {
        TimeProfile::Violence
    } else {
        TimeProfile::General
    }
}

/// Inputs shared by the event generators.
pub(crate) struct EventContext<'a> {
    pub seed: u64,
    pub period: Period,
    pub shapes: &'a [AreaShape],
    pub population: &'a [u32],
    pub plan: &'a Plan,
    pub map_points: &'a [usize],
    pub scale: f64,
}

/// Draws every police event, month by month, area by area, offence by offence.
pub(crate) fn police_records(cx: &EventContext<'_>) -> Vec<PoliceRecord> {
    let mut rng = stream_rng(cx.seed, Stream::Police);
    let n = cx.shapes.len();
    let noise: Vec<Vec<f64>> = (0..n)
        .map(|_| {
            Offence::ALL
                .iter()
                .map(|_| uniform(&mut rng, 0.9, 1.1))
                .collect()
        })
        .collect();
    let outcome_w: Vec<f64> = OUTCOMES.iter().map(|(_, w)| *w).collect();
    let mut out = Vec::new();
    for k in 0..cx.period.months {
        let ym = cx.period.month(k);
        let recent = k + 3 >= cx.period.months;
        let season = cx.period.season(k);
        for (a, area_noise) in noise.iter().enumerate() {
            for (oi, &o) in Offence::ALL.iter().enumerate() {
                let lambda = o.base_rate() / 12_000.0
                    * f64::from(cx.population[a])
                    * season
                    * area_noise[oi]
                    * cx.scale;
                let mut draws = vec![(poisson(&mut rng, lambda), None, false, profile(o))];
                if let Some(kind) = cx.plan.member[a] {
                    if let Some(e) = police_excess(kind, o, k, cx.period) {
                        let share = if e.domestic_only {
                            o.domestic_share()
                        } else {
                            1.0
                        };
                        draws.push((
                            poisson(&mut rng, lambda * e.factor * share),
                            Some(kind),
                            e.domestic_only,
                            e.profile,
                        ));
                    }
                }
                for (count, planted, all_domestic, prof) in draws {
                    for _ in 0..count {
                        let occurred_at = sample_time(&mut rng, ym, prof);
                        let nte = prof == TimeProfile::NightTimeEconomy;
                        // A planted street-violence pattern adds no domestic abuse (it
                        // would blur the domestic-abuse groups); the background keeps the
                        // offence's domestic share.
                        let domestic_abuse = all_domestic
                            || (!nte && planted.is_none() && chance(&mut rng, o.domestic_share()));
                        let point = cx.shapes[a].random_point(&mut rng, 5.0, snap_dm);
                        let map_point = if chance(&mut rng, o.no_location_share()) {
                            None
                        } else if nte && chance(&mut rng, 0.5) {
                            Some(0)
                        } else {
                            Some(index(&mut rng, cx.map_points[a]))
                        };
                        let (crime_id, outcome) = if o == Offence::AntiSocialBehaviour {
                            (None, None)
                        } else {
                            let id = hex64(&mut rng);
                            let outcome = if recent && chance(&mut rng, 0.6) {
                                "Under investigation"
                            } else {
                                OUTCOMES[weighted(&mut rng, &outcome_w)].0
                            };
                            (Some(id), Some(outcome))
                        };
                        out.push(PoliceRecord {
                            area: AreaId(a as u32),
                            offence: o,
                            occurred_at,
                            domestic_abuse,
                            point,
                            map_point,
                            crime_id,
                            outcome,
                            incident_id: None,
                            planted,
                        });
                    }
                }
            }
        }
    }
    assign_incident_ids(&mut out);
    out
}

/// Numbers the force-extract rows in time order: `INC-2023-000001`, ... per year.
fn assign_incident_ids(records: &mut [PoliceRecord]) {
    let mut order: Vec<usize> = (0..records.len())
        .filter(|&i| records[i].offence.force_name().is_some())
        .collect();
    order.sort_by_key(|&i| (records[i].occurred_at, i));
    let mut year = i32::MIN;
    let mut seq = 0;
    for i in order {
        let y = records[i].occurred_at.year();
        if y != year {
            year = y;
            seq = 0;
        }
        seq += 1;
        records[i].incident_id = Some(format!("INC-{y:04}-{seq:06}"));
    }
}
