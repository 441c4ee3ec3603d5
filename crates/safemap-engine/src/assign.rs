//! The fate of every event: joined to an area, outside the study (area or period), or
//! rejected with its reason. Every row read ends in exactly one of these.

use crate::areas::AreaTable;
use crate::config::{EdgeRuleName, JoinMode, SourceSection};
use crate::paths::tidy;
use crate::sources::LoadedSource;
use crate::vintage::{ChangeKind, Conversion};
use rayon::prelude::*;
use safemap_geo::reproject::to_bng;
use safemap_geo::EdgeRule;
use safemap_ingest::paths::Skipped;
use safemap_types::{AreaId, Event, MonthRange, Reject, RejectReason};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// What happened to one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Assigned to this area.
    Joined(AreaId),
    /// Located, but in no study area (or outside the British National Grid).
    OutsideArea,
    /// Dated outside the study period.
    OutsidePeriod,
    /// Not usable in this join mode.
    Rejected(RejectKind),
}

/// Reasons found at the join stage (ingest reasons are already rejects).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectKind {
    /// Spatial join, but the row has no location.
    NoCoordinates,
    /// Code join, but the row has no area code.
    NoAreaCode,
    /// Code join, and the code is neither a study area nor a known area elsewhere.
    UnknownAreaCode,
}

/// Share of codes, among the joined events that carry one, that must be codes of the
/// boundary geography (a study area's code, or a code the population table knows elsewhere)
/// for the spatial join to be compared with the source's own codes. Below it the codes are of
/// another geography (police.uk's LSOA codes with ward or MSOA boundaries) and a comparison
/// would only say that they differ.
pub const SAME_GEOGRAPHY_SHARE: f64 = 0.5;

/// Share of joined events whose spatial area equals the area code the source gave; only
/// made when the source's codes are codes of the boundaries ([`SAME_GEOGRAPHY_SHARE`]).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct CodeAgreement {
    /// Joined events that carry an area code.
    pub compared: u64,
    /// Of those, events whose code is the code of the area they were joined to.
    pub agree: u64,
    /// `agree / compared`.
    pub share: f64,
}

/// Row accounting of one source: `read = joined + outside + rejected`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Accounting {
    /// Data rows read.
    pub read: u64,
    /// Rows assigned to a study area.
    pub joined: u64,
    /// Rows outside the study (`outside_area + outside_period`).
    pub outside: u64,
    /// Rows rejected (see `rejects.csv`).
    pub rejected: u64,
    /// Located outside every study area.
    pub outside_area: u64,
    /// Dated outside the study period.
    pub outside_period: u64,
    /// Of the joined rows, those in an (area, month) that no input file covers: not
    /// counted, since the area has no data for that month (see `coverage`).
    pub joined_without_coverage: u64,
    /// Rejected rows by reason.
    pub rejected_by_reason: BTreeMap<String, u64>,
    /// Code join from another vintage: joined rows by the change kind of their code
    /// (unchanged, split: dealt among the new areas, merged, complex).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub converted_codes: Option<BTreeMap<ChangeKind, u64>>,
    /// Rows (of any fate but a reader's reject) located by their postcode through the
    /// `[postcodes]` directory.
    #[serde(skip_serializing_if = "is_zero")]
    pub placed_by_postcode: u64,
    /// Spatial join against the source's own area codes, when it has them and they are
    /// codes of the boundary geography ([`SAME_GEOGRAPHY_SHARE`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_agreement: Option<CodeAgreement>,
    /// Paths the source's patterns matched that were not read, each with the path read (or
    /// searched) instead: another path to a file read once, or a symbolic link back into a
    /// folder already searched. Their lines are counted once, under the path read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped_paths: Vec<Skipped>,
}

/// The join result of one source.
pub struct Assignment {
    /// One fate per event, in event order.
    pub fates: Vec<Fate>,
    /// Rejects of the join stage, in event order.
    pub rejects: Vec<Reject>,
    /// The four numbers and their breakdown.
    pub accounting: Accounting,
}

/// Decides the fate of every event of `src`.
///
/// For a code join, `codes` converts the rows' codes from their vintage to the
/// boundaries' ([`convert_codes`]).
pub fn assign(
    loaded: &LoadedSource,
    section: &SourceSection,
    areas: &AreaTable,
    period: Option<MonthRange>,
    codes: Option<&Conversion>,
) -> Assignment {
    let events = &loaded.data.events;
    let in_period = |e: &Event| period.is_none_or(|r| r.contains(e.time.calendar_month()));
    let mut converted = None;
    let fates: Vec<Fate> = match section.join {
        JoinMode::Spatial => {
            let rule = match section.edge_rule {
                EdgeRuleName::LowestAreaId => EdgeRule::LowestAreaId,
                EdgeRuleName::Exclude => EdgeRule::Exclude,
            };
            // Reproject the located, in-period events; join them in one parallel batch.
            let pre: Vec<Result<geo_types::Coord<f64>, Fate>> = events
                .par_iter()
                .map(|e| match e.point {
                    None => Err(Fate::Rejected(RejectKind::NoCoordinates)),
                    Some(_) if !in_period(e) => Err(Fate::OutsidePeriod),
                    Some(p) => to_bng(p).map_err(|_| Fate::OutsideArea),
                })
                .collect();
            let points: Vec<_> = pre
                .iter()
                .filter_map(|r| r.as_ref().ok().copied())
                .collect();
            let mut located = areas.index.join(&points, rule).into_iter();
            pre.into_iter()
                .map(|r| match r {
                    Err(fate) => fate,
                    Ok(_) => located
                        .next()
                        .flatten()
                        .map_or(Fate::OutsideArea, Fate::Joined),
                })
                .collect()
        }
        JoinMode::Code | JoinMode::PostcodeLsoa => match codes {
            None => events
                .par_iter()
                .map(|e| match e.area_code.as_deref() {
                    None => Fate::Rejected(RejectKind::NoAreaCode),
                    Some(_) if !in_period(e) => Fate::OutsidePeriod,
                    Some(code) => match areas.by_code.get(code) {
                        Some(id) => Fate::Joined(*id),
                        None if areas.known_other_codes.contains(code) => Fate::OutsideArea,
                        None => Fate::Rejected(RejectKind::UnknownAreaCode),
                    },
                })
                .collect(),
            Some(conversion) => {
                converted = Some(BTreeMap::new());
                convert_codes(events, areas, conversion, &in_period, converted.as_mut())
            }
        },
    };
    let mut acc = Accounting {
        read: loaded.data.read,
        converted_codes: converted,
        placed_by_postcode: loaded.data.placed_by_postcode,
        skipped_paths: loaded
            .skipped
            .iter()
            .map(|s| Skipped {
                path: tidy(&s.path),
                same_as: tidy(&s.same_as),
                kind: s.kind,
            })
            .collect(),
        ..Accounting::default()
    };
    let mut rejects = Vec::new();
    for r in &loaded.data.rejects {
        *acc.rejected_by_reason
            .entry(r.reason.to_string())
            .or_default() += 1;
    }
    acc.rejected = loaded.data.rejects.len() as u64;
    let mut agreement = CodeAgreement::default();
    // Joined events whose code is a code of the boundary geography.
    let mut same_geography = 0u64;
    for (e, fate) in events.iter().zip(&fates) {
        match *fate {
            Fate::Joined(id) => {
                acc.joined += 1;
                if let Some(code) = e.area_code.as_deref() {
                    let agree = areas.areas[id.index()].code == code;
                    agreement.compared += 1;
                    agreement.agree += u64::from(agree);
                    same_geography += u64::from(
                        agree
                            || areas.by_code.contains_key(code)
                            || areas.known_other_codes.contains(code),
                    );
                }
            }
            Fate::OutsideArea => acc.outside_area += 1,
            Fate::OutsidePeriod => acc.outside_period += 1,
            Fate::Rejected(kind) => {
                let reject = reject_for(loaded, e, kind);
                *acc.rejected_by_reason
                    .entry(reject.reason.to_string())
                    .or_default() += 1;
                acc.rejected += 1;
                rejects.push(reject);
            }
        }
    }
    acc.outside = acc.outside_area + acc.outside_period;
    let comparable = same_geography as f64 >= SAME_GEOGRAPHY_SHARE * agreement.compared as f64;
    if section.join == JoinMode::Spatial && agreement.compared > 0 && comparable {
        agreement.share = agreement.agree as f64 / agreement.compared as f64;
        acc.code_agreement = Some(agreement);
    }
    Assignment {
        fates,
        rejects,
        accounting: acc,
    }
}

/// Whether a count is zero (left out of the manifest).
#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn reject_for(loaded: &LoadedSource, e: &Event, kind: RejectKind) -> Reject {
    let file = loaded.data.files[e.origin.file as usize].clone();
    let (column, value, reason) = match kind {
        RejectKind::NoCoordinates => (
            Some(loaded.coordinate_columns.clone()),
            String::new(),
            RejectReason::NoCoordinates,
        ),
        RejectKind::NoAreaCode => (
            loaded.code_column.clone(),
            String::new(),
            RejectReason::NoAreaCode,
        ),
        RejectKind::UnknownAreaCode => (
            loaded.code_column.clone(),
            e.area_code.as_deref().unwrap_or_default().to_string(),
            RejectReason::UnknownAreaCode,
        ),
    };
    Reject {
        file,
        line: e.origin.line,
        column,
        value,
        reason,
    }
}

/// Code join of rows whose codes are another vintage's. A code whose new areas include one
/// study area joins it; a split code's rows are dealt among its study areas in proportion to
/// their population (equally where not all are known), in input order, each row going to the
/// area furthest below its share, so the counts are whole and add up; a code whose new areas
/// are all elsewhere is outside; a code neither the lookup nor the study knows is rejected.
/// `tally` counts the joined rows by the change kind of their code.
fn convert_codes(
    events: &[Event],
    areas: &AreaTable,
    conversion: &Conversion,
    in_period: &dyn Fn(&Event) -> bool,
    mut tally: Option<&mut BTreeMap<ChangeKind, u64>>,
) -> Vec<Fate> {
    // Per split code: its study areas, their weights and what each has been dealt.
    type Deal = (Vec<AreaId>, Vec<f64>, Vec<f64>);
    let mut dealt: HashMap<&str, Deal> = HashMap::new();
    let mut fates = Vec::with_capacity(events.len());
    for e in events {
        let fate = match e.area_code.as_deref() {
            None => Fate::Rejected(RejectKind::NoAreaCode),
            Some(_) if !in_period(e) => Fate::OutsidePeriod,
            Some(code) => {
                let kind = conversion.change_of(code);
                let targets: Vec<AreaId> = conversion
                    .targets_where(code, |t| areas.by_code.contains_key(t))
                    .into_iter()
                    .map(|t| areas.by_code[t])
                    .collect();
                let fate = match targets.len() {
                    0 if kind.is_some() || areas.known_other_codes.contains(code) => {
                        Fate::OutsideArea
                    }
                    0 => Fate::Rejected(RejectKind::UnknownAreaCode),
                    1 => Fate::Joined(targets[0]),
                    _ => {
                        let (ids, weights, given) = dealt.entry(code).or_insert_with(|| {
                            let pops: Option<Vec<f64>> = targets
                                .iter()
                                .map(|id| areas.areas[id.index()].population.filter(|p| *p > 0.0))
                                .collect();
                            let w = pops.unwrap_or_else(|| vec![1.0; targets.len()]);
                            let total: f64 = w.iter().sum();
                            let n = targets.len();
                            (
                                targets,
                                w.into_iter().map(|x| x / total).collect(),
                                vec![0.0; n],
                            )
                        });
                        let next: f64 = given.iter().sum::<f64>() + 1.0;
                        let k = (0..ids.len())
                            .max_by(|&a, &b| {
                                (weights[a] * next - given[a])
                                    .total_cmp(&(weights[b] * next - given[b]))
                                    .then(b.cmp(&a))
                            })
                            .unwrap_or_default();
                        given[k] += 1.0;
                        Fate::Joined(ids[k])
                    }
                };
                if let (Fate::Joined(_), Some(t)) = (fate, tally.as_deref_mut()) {
                    *t.entry(kind.unwrap_or(ChangeKind::Unchanged)).or_default() += 1;
                }
                fate
            }
        };
        fates.push(fate);
    }
    fates
}
