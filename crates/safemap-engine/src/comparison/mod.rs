//! `[comparison]`: rates per `rate_per` residents by police.uk crime type for every
//! community safety partnership in England and Wales, from the national police.uk files
//! counted by `LSOA code` (LSOA → partnership through the study's routes), and the study's
//! partnership ranked among all partnerships and among its most similar ones.
//!
//! - `routes.rs`: the partnership table and the routes from an LSOA code to a partnership;
//! - `count.rs`: the police rows, each counted or set aside with its reason, and which
//!   forces sent a file for every month;
//! - `characteristics.rs`: residents and the declared characteristics per partnership;
//! - `similar.rs`: z-scores, nearest partnerships, ranks.
//!
//! A partnership whose force sent no file for some month has no data (no count, no rate,
//! no rank), never zero. Similarity is measured over the partnerships with data and every
//! characteristic; the group is the study's partnership and its `similar` nearest, so
//! ranks in it are "of `similar + 1`". See docs/comparison.md.

mod characteristics;
mod count;
mod routes;
pub mod similar;

use crate::config::{ComparisonSection, Study};
use crate::error::EngineError;
use crate::results::slugs;
use safemap_results::comparison_entry::{
    CategoryEntry, CharacteristicEntry, ComparisonEntry, Member,
};
use safemap_results::files;
use std::collections::BTreeMap;

/// One partnership's figures.
#[derive(Debug, Clone)]
pub struct PartnershipRow {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// `None` with data, else why it has none ([`NO_FILE`], [`NO_LSOA`]).
    pub no_data: Option<&'static str>,
    /// Residents.
    pub population: Option<f64>,
    /// Per category (`all` first): events, `None` without data.
    pub counts: Vec<Option<u64>>,
    /// Per category: rate per `rate_per` residents.
    pub rates: Vec<Option<f64>>,
    /// Per category: rank among all ranked partnerships, lowest = 1.
    pub rank_all: Vec<Option<usize>>,
    /// Per category: rank in the study's group; `None` outside it.
    pub rank_similar: Vec<Option<usize>>,
    /// Distance to the study's partnership in z-scores; `None` without every
    /// characteristic or data.
    pub distance: Option<f64>,
    /// `study`, `similar` or empty.
    pub group: &'static str,
}

/// Why a partnership has no data: its force sent no file for some month.
pub const NO_FILE: &str = "no police file from its force";
/// Why a partnership has no data: no LSOA of the population table reaches it by any route
/// (a lookup places them in several partnerships), so neither its events nor its residents
/// are known.
pub const NO_LSOA: &str = "no LSOA reaches it";

/// What `[comparison]` computed.
#[derive(Debug, Clone)]
pub struct ComparisonResult {
    /// Every partnership, in code order.
    pub rows: Vec<PartnershipRow>,
    /// Category slugs: `all`, then each crime type's.
    pub slugs: Vec<String>,
    /// Category names.
    pub names: Vec<String>,
    /// The study's partnership (index in `rows`).
    pub study: usize,
    /// The group: the study's partnership, then its most similar, nearest first.
    pub group: Vec<usize>,
    /// The manifest entry.
    pub entry: ComparisonEntry,
}

/// Runs `[comparison]` when the study has it.
pub fn run(study: &Study) -> Result<Option<ComparisonResult>, EngineError> {
    study
        .comparison
        .as_ref()
        .map(|c| compare(study, c))
        .transpose()
}

fn compare(study: &Study, c: &ComparisonSection) -> Result<ComparisonResult, EngineError> {
    let router = routes::Router::load(study, c)?;
    let mut match_columns = routes::Router::match_columns(c);
    match_columns.extend(
        c.characteristics
            .iter()
            .filter_map(|ch| ch.boundaries.as_ref())
            .map(|b| b.match_column.as_str()),
    );
    let partnerships = routes::Partnerships::load(study, c, &match_columns)?;
    let me = partnerships.find(&c.partnership).ok_or_else(|| {
        EngineError::Comparison(format!(
            "`comparison.partnership` = {:?} is neither a code nor a name of {}",
            c.partnership,
            c.partnerships.path.display()
        ))
    })?;
    let police = count::count(study, c, &router, &partnerships)?;
    let profiles = characteristics::profiles(study, c, &router, &partnerships)?;
    let rate_per = study.study.rate_per;
    let n = partnerships.list.len();
    let no_data: Vec<Option<&'static str>> = (0..n)
        .map(|p| {
            if !police.has_data(&partnerships, p) {
                Some(NO_FILE)
            } else if profiles.population[p].is_none() {
                Some(NO_LSOA)
            } else {
                None
            }
        })
        .collect();
    let has_data: Vec<bool> = no_data.iter().map(Option::is_none).collect();
    if let Some(why) = no_data[me] {
        return Err(EngineError::Comparison(format!(
            "the study's partnership {} ({}, force {:?}) has no data: {why}",
            partnerships.list[me].name, partnerships.list[me].code, partnerships.list[me].force
        )));
    }
    let mut names = vec!["All crime".to_string()];
    names.extend(police.categories.iter().cloned());
    let mut slugs_all = vec!["all".to_string()];
    slugs_all.extend(slugs(&police.categories));
    let counts: Vec<Vec<Option<u64>>> = (0..n)
        .map(|p| {
            let by_cat = &police.counts[p];
            std::iter::once(by_cat.iter().sum::<u64>())
                .chain(by_cat.iter().copied())
                .map(|v| has_data[p].then_some(v))
                .collect()
        })
        .collect();
    let rates: Vec<Vec<Option<f64>>> = (0..n)
        .map(|p| {
            counts[p]
                .iter()
                .map(|c| {
                    let pop = profiles.population[p]?;
                    c.map(|c| c as f64 / pop * rate_per)
                })
                .collect()
        })
        .collect();
    // Candidates for similarity: data, residents and every characteristic.
    let candidates: Vec<usize> = (0..n)
        .filter(|&p| rates[p][0].is_some() && profiles.values.iter().all(|v| v[p].is_some()))
        .collect();
    let Some(me_at) = candidates.iter().position(|&p| p == me) else {
        return Err(EngineError::Comparison(format!(
            "the study's partnership {} has no value for some characteristic (or no residents): it cannot be compared",
            partnerships.list[me].name
        )));
    };
    let raw: Vec<Vec<f64>> = candidates
        .iter()
        .map(|&p| {
            profiles
                .values
                .iter()
                .map(|v| v[p].unwrap_or_default())
                .collect()
        })
        .collect();
    let z = similar::standardise(&raw);
    let mut distance = vec![None; n];
    for (i, &p) in candidates.iter().enumerate() {
        distance[p] = Some(similar::distance(&z[me_at], &z[i]));
    }
    let group: Vec<usize> = std::iter::once(me)
        .chain(
            similar::nearest(&z, me_at, c.similar)
                .into_iter()
                .map(|(i, _)| candidates[i]),
        )
        .collect();
    let n_cat = names.len();
    let mut rank_all = vec![vec![None; n_cat]; n];
    let mut rank_similar = vec![vec![None; n_cat]; n];
    let mut ranked = 0;
    for k in 0..n_cat {
        let column: Vec<Option<f64>> = rates.iter().map(|r| r[k]).collect();
        ranked = ranked.max(column.iter().flatten().count());
        for (p, r) in similar::rank_lowest(&column).into_iter().enumerate() {
            rank_all[p][k] = r;
        }
        let in_group: Vec<Option<f64>> = group.iter().map(|&p| column[p]).collect();
        for (g, r) in similar::rank_lowest(&in_group).into_iter().enumerate() {
            rank_similar[group[g]][k] = r;
        }
    }
    let rows: Vec<PartnershipRow> = partnerships
        .list
        .iter()
        .enumerate()
        .map(|(p, info)| PartnershipRow {
            code: info.code.clone(),
            name: info.name.clone(),
            no_data: no_data[p],
            population: profiles.population[p],
            counts: counts[p].clone(),
            rates: rates[p].clone(),
            rank_all: rank_all[p].clone(),
            rank_similar: rank_similar[p].clone(),
            distance: distance[p],
            group: if p == me {
                "study"
            } else if group.contains(&p) {
                "similar"
            } else {
                ""
            },
        })
        .collect();
    let member = |p: usize| Member {
        code: rows[p].code.clone(),
        name: rows[p].name.clone(),
        distance: distance[p].unwrap_or_default(),
    };
    let mut forces_without_files: Vec<String> = partnerships
        .list
        .iter()
        .zip(&no_data)
        .filter(|(_, d)| **d == Some(NO_FILE))
        .map(|(p, _)| safemap_ingest::police_forces::force_slug(&p.force))
        .collect();
    forces_without_files.sort();
    forces_without_files.dedup();
    let entry = ComparisonEntry {
        file: files::COMPARISON_CSV.into(),
        partnership: member(me),
        months: police.months.iter().map(ToString::to_string).collect(),
        rate_per,
        similar: c.similar,
        characteristics: c
            .characteristics
            .iter()
            .zip(&profiles.values)
            .zip(&profiles.descriptions)
            .map(|((ch, v), d)| CharacteristicEntry {
                name: ch.name.clone(),
                description: d.clone(),
                value: v[me].unwrap_or_default(),
                with_value: v.iter().flatten().count(),
            })
            .collect(),
        partnerships: n,
        ranked,
        no_data: has_data.iter().filter(|d| !**d).count(),
        no_data_reasons: no_data
            .iter()
            .flatten()
            .fold(BTreeMap::new(), |mut m, why| {
                *m.entry(why.to_string()).or_default() += 1;
                m
            }),
        forces_without_files,
        accounting: police.accounting,
        group: group.iter().map(|&p| member(p)).collect(),
        categories: (0..n_cat)
            .map(|k| CategoryEntry {
                slug: slugs_all[k].clone(),
                name: names[k].clone(),
                rank_all: rank_all[me][k],
                ranked: rates.iter().filter(|r| r[k].is_some()).count(),
                rank_similar: rank_similar[me][k],
                counts: group.iter().map(|&p| counts[p][k]).collect(),
                rates: group.iter().map(|&p| rates[p][k]).collect(),
            })
            .collect(),
    };
    Ok(ComparisonResult {
        rows,
        slugs: slugs_all,
        names,
        study: me,
        group,
        entry,
    })
}
