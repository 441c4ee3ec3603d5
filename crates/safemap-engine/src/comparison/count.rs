//! The police rows of `[comparison]`: read with the data.police.uk reader, each counted in
//! the partnership its `LSOA code` reaches, or set aside with its reason; and which forces
//! sent a file for every month (a partnership of any other force has no data, not zero).

use super::routes::{Partnerships, Router, Unmatched};
use crate::config::{ComparisonSection, Study};
use crate::error::EngineError;
use crate::paths::tidy;
use safemap_ingest::police_forces::{force_slug, street_file_force_month};
use safemap_ingest::{expand_paths, read_police_uk, CategoryMapping};
use safemap_results::comparison_entry::ComparisonAccounting;
use safemap_types::Month;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Counts per partnership and category, the months, the forces with a file for each.
pub struct PoliceCounts {
    /// Crime types, sorted (the reader's categories).
    pub categories: Vec<String>,
    /// `counts[p][c]`: rows of category `c` counted in partnership `p`.
    pub counts: Vec<Vec<u64>>,
    /// The months the files hold.
    pub months: Vec<Month>,
    /// Force slugs with a file for every month.
    pub complete_forces: BTreeSet<String>,
    /// What happened to every row.
    pub accounting: ComparisonAccounting,
}

impl PoliceCounts {
    /// Whether partnership `p`'s force sent a file for every month.
    pub fn has_data(&self, partnerships: &Partnerships, p: usize) -> bool {
        self.complete_forces
            .contains(&force_slug(&partnerships.list[p].force))
    }
}

/// Reads and counts the police files of `[comparison]`.
pub fn count(
    study: &Study,
    c: &ComparisonSection,
    router: &Router,
    partnerships: &Partnerships,
) -> Result<PoliceCounts, EngineError> {
    let role = "comparison.police";
    let files = expand_paths(&c.police, &study.base_dir)
        .map_err(|e| EngineError::ingest(role, e))?
        .files;
    if files.is_empty() {
        return Err(EngineError::Comparison(format!(
            "`comparison.police` = {:?} matches no file",
            c.police
        )));
    }
    let mut force_months: BTreeMap<String, BTreeSet<Month>> = BTreeMap::new();
    for f in &files {
        let (month, force) = street_file_force_month(f).ok_or_else(|| {
            EngineError::Comparison(format!(
                "{} is not named YYYY-MM-<force>-street.csv[.gz] as data.police.uk names its files: which force each file holds must be known, so that a force without a file is no data, not zero crime",
                tidy(f).display()
            ))
        })?;
        force_months.entry(force).or_default().insert(month);
    }
    let months: BTreeSet<Month> = force_months.values().flatten().copied().collect();
    let complete_forces = force_months
        .iter()
        .filter(|(_, m)| m.len() == months.len())
        .map(|(f, _)| f.clone())
        .collect();
    let read = read_police_uk(
        &files,
        &CategoryMapping::default(),
        study.limits.input_limits(),
    )
    .map_err(|e| EngineError::ingest(role, e))?;
    let mut counts = vec![vec![0u64; read.categories.len()]; partnerships.list.len()];
    let mut accounting = ComparisonAccounting {
        read: read.read,
        rejected: read.rejects.len() as u64,
        ..Default::default()
    };
    let mut memo: HashMap<&str, Result<usize, Unmatched>> = HashMap::new();
    let mut unmatched_codes: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for e in &read.events {
        let Some(code) = e.area_code.as_deref() else {
            accounting.no_lsoa_code += 1;
            continue;
        };
        let fate = *memo
            .entry(code)
            .or_insert_with(|| router.resolve(code, partnerships));
        match fate {
            Ok(p) => {
                counts[p][e.category as usize] += 1;
                accounting.counted += 1;
            }
            Err(u) => {
                *accounting.unmatched.entry(u.reason().into()).or_default() += 1;
                *unmatched_codes.entry((u.reason(), code)).or_default() += 1;
            }
        }
    }
    let mut codes: Vec<(String, String, u64)> = unmatched_codes
        .into_iter()
        .map(|((r, c), n)| (r.to_string(), c.to_string(), n))
        .collect();
    codes.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.cmp(b)));
    codes.truncate(20);
    accounting.unmatched_codes = codes;
    Ok(PoliceCounts {
        categories: read.categories,
        counts,
        months: months.into_iter().collect(),
        complete_forces,
        accounting,
    })
}
