//! The fate of every event: joined to an area, outside the study (area or period), or
//! rejected with its reason. Every row read ends in exactly one of these.

use crate::areas::AreaTable;
use crate::config::{EdgeRuleName, JoinMode, SourceSection};
use crate::joined::Joined;
use crate::vintage::{ChangeKind, Conversion};
use geo_types::Coord;
use rayon::prelude::*;
use safemap_geo::reproject::to_bng;
use safemap_geo::EdgeRule;
use safemap_ingest::paths::Skipped;
use safemap_types::{AreaId, Event, MonthRange, Reject, RejectReason};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

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
    /// Rejects of the join stage, in file order then line order.
    pub rejects: Vec<Reject>,
    /// The four numbers and their breakdown.
    pub accounting: Accounting,
    /// What the analysis keeps of the joined events.
    pub joined: Joined,
}

/// How one source's events are joined: the join mode, the areas and the study period.
pub struct Join<'a> {
    section: &'a SourceSection,
    areas: &'a AreaTable,
    period: Option<MonthRange>,
    /// For a code join from another vintage: the conversion, and what each split code's
    /// study areas have been dealt so far (rows are dealt in input order).
    codes: Option<(&'a Conversion, Mutex<Deals>)>,
}

/// Per split code: its study areas, their weights and what each has been dealt.
type Deals = HashMap<String, (Vec<AreaId>, Vec<f64>, Vec<f64>)>;

impl<'a> Join<'a> {
    /// The join of `section` into `areas`; `codes` converts a code join's codes from their
    /// vintage to the boundaries' ([`Self::fates`]).
    pub fn new(
        section: &'a SourceSection,
        areas: &'a AreaTable,
        period: Option<MonthRange>,
        codes: Option<&'a Conversion>,
    ) -> Self {
        Self {
            section,
            areas,
            period,
            codes: codes.map(|c| (c, Mutex::new(Deals::new()))),
        }
    }

    /// The areas joined to.
    pub fn areas(&self) -> &'a AreaTable {
        self.areas
    }

    /// The fate of each of `events`, a part of the source in input order, and for a spatial
    /// join each event's point in British National Grid as the join placed it (`None` for
    /// an event it did not place; empty for a code join).
    ///
    /// For a code join from another vintage, `tally` counts the joined rows by the change
    /// kind of their code.
    pub fn fates(
        &self,
        events: &[Event],
        tally: &mut BTreeMap<ChangeKind, u64>,
    ) -> (Vec<Fate>, Vec<Option<Coord<f64>>>) {
        let areas = self.areas;
        let period = self.period;
        let in_period = |e: &Event| period.is_none_or(|r| r.contains(e.time.calendar_month()));
        match self.section.join {
            JoinMode::Spatial => {
                let rule = match self.section.edge_rule {
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
                        Err(fate) => (fate, None),
                        Ok(xy) => {
                            let fate = located
                                .next()
                                .flatten()
                                .map_or(Fate::OutsideArea, Fate::Joined);
                            (fate, Some(xy))
                        }
                    })
                    .unzip()
            }
            JoinMode::Code | JoinMode::PostcodeLsoa => {
                let fates = match &self.codes {
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
                    Some((conversion, deals)) => {
                        // A poisoned lock only means another chunk panicked; its deals stand.
                        let mut deals = deals.lock().unwrap_or_else(PoisonError::into_inner);
                        events
                            .iter()
                            .map(|e| match e.area_code.as_deref() {
                                None => Fate::Rejected(RejectKind::NoAreaCode),
                                Some(_) if !in_period(e) => Fate::OutsidePeriod,
                                Some(code) => {
                                    let (fate, kind) =
                                        convert_code(code, areas, conversion, &mut deals);
                                    if let Fate::Joined(_) = fate {
                                        *tally
                                            .entry(kind.unwrap_or(ChangeKind::Unchanged))
                                            .or_default() += 1;
                                    }
                                    fate
                                }
                            })
                            .collect()
                    }
                };
                (fates, Vec::new())
            }
        }
    }

    /// True for a code join from another vintage: its accounting tallies the change kinds,
    /// and its events must come in input order, since rows of split codes are dealt in it.
    pub fn converts_codes(&self) -> bool {
        self.codes.is_some()
    }

    /// True when the spatial join is compared with the source's own area codes.
    pub fn is_spatial(&self) -> bool {
        self.section.join == JoinMode::Spatial
    }
}

/// Whether a count is zero (left out of the manifest).
#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The reject of an event the join cannot use, for a source whose location columns are
/// `columns` and whose files are `files`.
pub fn reject_for(
    columns: &RejectColumns,
    files: &[PathBuf],
    e: &Event,
    kind: RejectKind,
) -> Reject {
    let file = files[e.origin.file as usize].clone();
    let (column, value, reason) = match kind {
        RejectKind::NoCoordinates => (
            Some(columns.coordinates.clone()),
            String::new(),
            RejectReason::NoCoordinates,
        ),
        RejectKind::NoAreaCode => (
            columns.code.clone(),
            String::new(),
            RejectReason::NoAreaCode,
        ),
        RejectKind::UnknownAreaCode => (
            columns.code.clone(),
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

/// The columns a source's join rejects name.
#[derive(Debug, Clone, Default)]
pub struct RejectColumns {
    /// The location column(s), as named in `rejects.csv` (e.g. `Longitude/Latitude`).
    pub coordinates: String,
    /// The area-code column, if the format has one (the postcode column for
    /// `join = "postcode_lsoa"`).
    pub code: Option<String>,
}

/// Code join of a row whose code is another vintage's, with the code's change kind. A code
/// whose new areas include one study area joins it; a split code's rows are dealt among its
/// study areas in proportion to their population (equally where not all are known), in input
/// order, each row going to the area furthest below its share, so the counts are whole and
/// add up; a code whose new areas are all elsewhere is outside; a code neither the lookup nor
/// the study knows is rejected.
fn convert_code(
    code: &str,
    areas: &AreaTable,
    conversion: &Conversion,
    dealt: &mut Deals,
) -> (Fate, Option<ChangeKind>) {
    let kind = conversion.change_of(code);
    let targets: Vec<AreaId> = conversion
        .targets_where(code, |t| areas.by_code.contains_key(t))
        .into_iter()
        .map(|t| areas.by_code[t])
        .collect();
    let fate = match targets.len() {
        0 if kind.is_some() || areas.known_other_codes.contains(code) => Fate::OutsideArea,
        0 => Fate::Rejected(RejectKind::UnknownAreaCode),
        1 => Fate::Joined(targets[0]),
        _ => {
            let (ids, weights, given) = dealt.entry(code.to_string()).or_insert_with(|| {
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
    (fate, kind)
}
