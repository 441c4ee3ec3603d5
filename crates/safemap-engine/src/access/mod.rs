//! Service access and gaps for commissioners: `[access]` (nearest service, services within
//! a cost, floating-catchment scores per area and kind), `[need]` (a weighted index of area
//! columns), `[gap]` (need against access), `[sites]` (new sites covering the most unmet
//! need) and `[priority]` (an explainable ranking). The numbers come from
//! `safemap-access`; this module gathers its inputs from the study and the results.
//!
//! Confidential services (refuges) count in every computation, but only area figures leave
//! this module: their ids are never kept as an area's nearest service.

mod area_columns;
mod area_view;
mod demand;
mod sites;

pub use area_columns::{AreaColumns, OwnedComponent};
pub use demand::DemandPoints;
pub use sites::SitesResult;

use crate::config::{AccessSection, DecayName, MethodName, ScoreSection, Study};
use crate::error::EngineError;
use crate::results::StudyResults;
use crate::services::LocatedServices;
use geo_types::Coord;
use safemap_access::{
    count_within, coverage, floating_catchment, gap, nearest, nearest_straight_line, need_index,
    priority, quantile, AccessError, CostMatrix, Coverage, Decay, FcaParams, Gap, Method,
    NeedIndex, NeedParams, Priority,
};
use safemap_geo::reproject::to_bng;
use safemap_ingest::{read_travel_costs, CostUnit, TravelCostColumns};
use safemap_results::columns::{gap_column, NEED};
use safemap_types::ServiceKind;
use std::collections::HashMap;

/// Access to one kind of service.
#[derive(Debug, Clone)]
pub struct KindAccess {
    /// The kind.
    pub kind: ServiceKind,
    /// Services of the kind in the register (confidential ones included).
    pub services: usize,
    /// Whether any service of the kind is confidential.
    pub confidential: bool,
    /// Per area the cost of the nearest service and its id; all `None` for a kind with a
    /// confidential service (distances from many areas would locate it).
    pub nearest: Vec<Option<(f64, Option<String>)>>,
    /// Per area the services within `[access] within`.
    pub within: Vec<usize>,
    /// Per `[[access.score]]`, per area.
    pub scores: Vec<Vec<f64>>,
    /// Share of all and of high-need residents within `[access] within` of a service.
    pub coverage: Coverage,
    /// Need against the gap score's access, when `[gap]` asks for it.
    pub gap: Option<Gap>,
}

/// Everything `[access]` and the sections built on it computed.
#[derive(Debug, Clone)]
pub struct AccessResults {
    /// Where each area's residents are taken to be.
    pub demand: DemandPoints,
    /// `metres` (straight line or a matrix in metres) or `minutes`.
    pub unit: &'static str,
    /// The cost "within" counts and coverage use.
    pub within: f64,
    /// The `[[access.score]]` names, in order.
    pub score_names: Vec<String>,
    /// One entry per kind analysed.
    pub kinds: Vec<KindAccess>,
    /// Rows of the travel-cost matrix whose origin is not a study area or whose service is
    /// not in the register (left out).
    pub matrix_rows_unmatched: u64,
    /// The need index, when `[need]` is given.
    pub need: Option<NeedIndex>,
    /// Per area: need strictly above `[gap] high_need_quantile` (the median by default).
    pub high_need: Vec<bool>,
    /// New sites, when `[sites]` is given.
    pub sites: Option<SitesResult>,
    /// The ranking, when `[priority]` is given, with its inputs.
    pub priority: Option<(Priority, Vec<OwnedComponent>)>,
    /// Which `[[access.score]]` the gap scores use.
    pub gap_score: Option<usize>,
    /// Whether the need index and the ranking are made only from open columns (see
    /// [`AreaColumns`]): only then are they, the gap scores and the new sites public.
    pub open: bool,
}

/// Runs `[access]` and what builds on it; `None` without `[access]`.
pub fn run(
    study: &Study,
    results: &StudyResults,
    services: Option<&LocatedServices>,
) -> Result<Option<AccessResults>, EngineError> {
    let (Some(section), Some(services)) = (&study.access, services) else {
        return Ok(None);
    };
    let demand = demand::demand_points(study, &results.areas)?;
    let population: Vec<f64> = results
        .areas
        .populations()
        .into_iter()
        .map(|p| p.unwrap_or(0.0))
        .collect();
    let mut columns = AreaColumns::of(results);
    let need_open = study
        .need
        .as_ref()
        .is_some_and(|n| columns.all_open(&n.components));
    let need = study
        .need
        .as_ref()
        .map(|n| -> Result<NeedIndex, EngineError> {
            let inputs = columns.components(study, "need.component", &n.components)?;
            let inputs: Vec<_> = inputs.iter().map(OwnedComponent::as_component).collect();
            need_index(&inputs, &NeedParams::new()).map_err(access_error("need"))
        })
        .transpose()?;
    let need_score: Option<Vec<Option<f64>>> = need.as_ref().map(|n| n.composite.score.clone());
    let above_cut = need_above_cut(study, need_score.as_deref(), population.len());
    let high_need: Vec<bool> = above_cut.iter().map(Option::is_some).collect();
    let matrix = CostInputs::read(study, section, results, services)?;
    let kinds = kinds_of(study, section, services)?;
    let gap_score = study.gap.as_ref().and_then(|g| {
        let name = g.score.as_ref().unwrap_or(&section.scores[0].name);
        section.scores.iter().position(|s| &s.name == name)
    });
    let mut out = Vec::new();
    for kind in kinds {
        let mut k = kind_access(
            section,
            &demand.points,
            &population,
            &high_need,
            services,
            &matrix,
            kind,
        )?;
        if let (Some(g), Some(s), Some(need)) = (&study.gap, gap_score, &need_score) {
            let access: Vec<Option<f64>> = k.scores[s].iter().map(|&a| Some(a)).collect();
            let params = safemap_access::GapParams::new()
                .need_quantile(g.high_need_quantile)
                .access_quantile(g.high_access_quantile);
            let kind_gap = gap(need, &access, &params).map_err(access_error("gap"))?;
            columns.insert(
                gap_column(k.kind.as_str()),
                kind_gap.score.clone(),
                need_open,
            );
            k.gap = Some(kind_gap);
        }
        out.push(k);
    }
    if let Some(n) = &need_score {
        columns.insert(NEED.into(), n.clone(), need_open);
    }
    let sites = study
        .sites
        .as_ref()
        .map(|s| sites::run(s, &demand.points, &population, &above_cut, services))
        .transpose()?;
    let priority = study
        .priority
        .as_ref()
        .map(|p| -> Result<_, EngineError> {
            let inputs = columns.components(study, "priority.component", &p.components)?;
            let borrowed: Vec<_> = inputs.iter().map(OwnedComponent::as_component).collect();
            let ranking = priority(&borrowed).map_err(access_error("priority"))?;
            Ok((ranking, inputs))
        })
        .transpose()?;
    let ranking_open = study
        .priority
        .as_ref()
        .is_none_or(|p| columns.all_open(&p.components));
    Ok(Some(AccessResults {
        demand,
        unit: match section.cost_matrix.as_ref().map(|m| m.unit) {
            Some(CostUnit::Minutes) => "minutes",
            _ => "metres",
        },
        within: section.within,
        score_names: section.scores.iter().map(|s| s.name.clone()).collect(),
        kinds: out,
        matrix_rows_unmatched: matrix.unmatched,
        need,
        high_need,
        sites,
        priority,
        gap_score,
        open: (study.need.is_none() || need_open) && ranking_open,
    }))
}

/// Maps an error of `safemap-access` to a run error naming the step.
fn access_error(step: &'static str) -> impl Fn(AccessError) -> EngineError {
    move |source| EngineError::Access { step, source }
}

/// Per area, how far its need is above the high-need cut (the `[gap] high_need_quantile`
/// of the need index, the median without `[gap]`): `None` unless it is high need, and for
/// every area without a need index.
fn need_above_cut(study: &Study, need: Option<&[Option<f64>]>, n: usize) -> Vec<Option<f64>> {
    let Some(need) = need else {
        return vec![None; n];
    };
    let values: Vec<f64> = need.iter().flatten().copied().collect();
    if values.is_empty() {
        return vec![None; n];
    }
    let q = study.gap.as_ref().map_or(0.5, |g| g.high_need_quantile);
    let cut = quantile(values, q);
    need.iter()
        .map(|v| v.filter(|&v| v > cut).map(|v| v - cut))
        .collect()
}

/// The kinds analysed: those `[access] kinds` names, or every kind in the register (in
/// name order).
fn kinds_of(
    study: &Study,
    section: &AccessSection,
    services: &LocatedServices,
) -> Result<Vec<ServiceKind>, EngineError> {
    if section.kinds.is_empty() {
        let mut kinds: Vec<ServiceKind> = services
            .services
            .iter()
            .map(|(s, _)| s.kind.clone())
            .collect();
        kinds.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        kinds.dedup();
        return Ok(kinds);
    }
    section
        .kinds
        .iter()
        .enumerate()
        .map(|(i, k)| {
            ServiceKind::new(k).map_err(|e| EngineError::Mapping {
                path: study.file.clone(),
                key: format!("access.kinds[{i}]"),
                message: e.to_string(),
            })
        })
        .collect()
}

/// The decay and method of a score.
fn fca_params(s: &ScoreSection) -> FcaParams {
    let decay = match s.decay {
        DecayName::Binary => Decay::Binary { cutoff: s.max_cost },
        DecayName::Stepwise => Decay::Stepwise(s.steps.iter().map(|[c, w]| (*c, *w)).collect()),
        DecayName::Gaussian => Decay::Gaussian {
            sigma: s.sigma.unwrap_or(s.max_cost),
            cutoff: s.max_cost,
        },
    };
    FcaParams::new(decay).method(match s.method {
        MethodName::TwoStep => Method::TwoStep,
        MethodName::Balanced => Method::Balanced,
        MethodName::Proportional => Method::Proportional,
    })
}

/// Access to `kind` per area.
fn kind_access(
    section: &AccessSection,
    demand: &[Coord<f64>],
    population: &[f64],
    high_need: &[bool],
    services: &LocatedServices,
    matrix: &CostInputs,
    kind: ServiceKind,
) -> Result<KindAccess, EngineError> {
    let of_kind = services
        .services
        .iter()
        .filter(|(s, _)| s.kind == kind)
        .count();
    let confidential = services
        .services
        .iter()
        .any(|(s, _)| s.kind == kind && s.confidential);
    let reach = section
        .scores
        .iter()
        .map(|s| s.max_cost)
        .fold(section.within, f64::max);
    let costs = matrix.costs_of(demand, services, &kind, reach)?;
    let located = matrix.supply_of(services, &kind);
    let nearest_found = match &matrix.costs {
        None => nearest_straight_line(demand, &located.points),
        Some(_) => nearest(&costs),
    };
    let nearest = nearest_found
        .into_iter()
        .map(|n| {
            n.filter(|_| !confidential).map(|n| {
                let (s, _) = &services.services[located.index[n.supply]];
                (n.cost, Some(s.id.clone()))
            })
        })
        .collect();
    let within = count_within(&costs, section.within).map_err(access_error("within"))?;
    let capacity: Vec<f64> = located
        .index
        .iter()
        .map(|&j| services.services[j].0.capacity.unwrap_or(1.0))
        .collect();
    let scores = section
        .scores
        .iter()
        .map(|s| {
            floating_catchment(&costs, population, Some(&capacity), &fca_params(s))
                .map(|f| f.access)
                .map_err(access_error("access.score"))
        })
        .collect::<Result<_, _>>()?;
    let coverage = coverage(&costs, section.within, population, high_need)
        .map_err(access_error("coverage"))?;
    Ok(KindAccess {
        kind,
        services: of_kind,
        confidential,
        nearest,
        within,
        scores,
        coverage,
        gap: None,
    })
}

/// The services of a kind that costs can reach: their register indices and points.
struct Located {
    index: Vec<usize>,
    points: Vec<Coord<f64>>,
}

/// How costs are found: straight lines, or the rows of a travel-cost matrix.
struct CostInputs {
    /// Per matrix row: (area index, register index, cost); `None` for straight lines.
    costs: Option<Vec<(usize, usize, f64)>>,
    /// Matrix rows left out (unknown origin or service).
    unmatched: u64,
}

impl CostInputs {
    fn read(
        study: &Study,
        section: &AccessSection,
        results: &StudyResults,
        services: &LocatedServices,
    ) -> Result<Self, EngineError> {
        let Some(m) = &section.cost_matrix else {
            return Ok(CostInputs {
                costs: None,
                unmatched: 0,
            });
        };
        let read = read_travel_costs(
            &study.resolve(&m.path),
            &TravelCostColumns {
                origin_column: m.origin_column.clone(),
                service_column: m.service_column.clone(),
                cost_column: m.cost_column.clone(),
            },
            m.unit,
            study.limits.input_limits(),
        )
        .map_err(|source| EngineError::ingest("access.cost_matrix", source))?;
        let by_id: HashMap<&str, usize> = services
            .services
            .iter()
            .enumerate()
            .map(|(j, (s, _))| (s.id.as_str(), j))
            .collect();
        let mut costs = Vec::with_capacity(read.costs.len());
        let mut unmatched = read.rejects.len() as u64;
        for c in &read.costs {
            match (
                results.areas.by_code.get(&c.origin),
                by_id.get(c.service.as_str()),
            ) {
                (Some(a), Some(&j)) => costs.push((a.0 as usize, j, c.cost)),
                _ => unmatched += 1,
            }
        }
        Ok(CostInputs {
            costs: Some(costs),
            unmatched,
        })
    }

    /// The services of `kind` costs can reach: with straight lines those with a location
    /// in British National Grid, with a matrix every one.
    fn supply_of(&self, services: &LocatedServices, kind: &ServiceKind) -> Located {
        let mut index = Vec::new();
        let mut points = Vec::new();
        for (j, (s, _)) in services.services.iter().enumerate() {
            if &s.kind != kind {
                continue;
            }
            match (&self.costs, to_bng(s.point)) {
                (None, Ok(p)) => {
                    index.push(j);
                    points.push(p);
                }
                (None, Err(_)) => {}
                (Some(_), p) => {
                    index.push(j);
                    points.push(p.unwrap_or_default());
                }
            }
        }
        Located { index, points }
    }

    /// The costs from every area to the services of `kind` up to `reach`.
    fn costs_of(
        &self,
        demand: &[Coord<f64>],
        services: &LocatedServices,
        kind: &ServiceKind,
        reach: f64,
    ) -> Result<CostMatrix, EngineError> {
        let located = self.supply_of(services, kind);
        match &self.costs {
            None => CostMatrix::straight_line(demand, &located.points, reach),
            Some(rows) => {
                let column: HashMap<usize, usize> = located
                    .index
                    .iter()
                    .enumerate()
                    .map(|(k, &j)| (j, k))
                    .collect();
                CostMatrix::from_triples(
                    demand.len(),
                    located.index.len(),
                    rows.iter()
                        .filter_map(|&(a, j, c)| column.get(&j).map(|&k| (a, k, c))),
                )
            }
        }
        .map_err(access_error("access costs"))
    }
}
