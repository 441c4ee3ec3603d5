//! `manifest.comparison`: the study's partnership against every community safety
//! partnership and against its most similar ones (`[comparison]`), with the figures the
//! report page shows; `comparison.csv` holds every partnership's row. Partnership-level
//! police.uk figures are open data: the public sees this entry whole.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What `[comparison]` computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonEntry {
    /// The results file with every partnership and category.
    pub file: String,
    /// The study's partnership.
    pub partnership: Member,
    /// Months of the police files, `YYYY-MM`.
    pub months: Vec<String>,
    /// Rates are per this many residents.
    pub rate_per: f64,
    /// How many most similar partnerships (the group is these and the study's own).
    pub similar: usize,
    /// The characteristics similarity is measured on, with the study partnership's values.
    pub characteristics: Vec<CharacteristicEntry>,
    /// Partnerships in the partnership table.
    pub partnerships: usize,
    /// Partnerships with police data and residents: ranked.
    pub ranked: usize,
    /// Partnerships without data (no count, rate or rank; never zero).
    pub no_data: usize,
    /// Why, with how many partnerships: their force sent no file for some month, or no
    /// LSOA reaches them.
    pub no_data_reasons: BTreeMap<String, usize>,
    /// The forces (police.uk slugs) whose partnerships have no data.
    pub forces_without_files: Vec<String>,
    /// What happened to every police row.
    pub accounting: ComparisonAccounting,
    /// The group: the study's partnership first, then the most similar, nearest first.
    pub group: Vec<Member>,
    /// All crime (`all`) then each police.uk crime type.
    pub categories: Vec<CategoryEntry>,
}

/// A partnership of the group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Distance to the study's partnership in standardised characteristics (0 for itself).
    pub distance: f64,
}

/// One characteristic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CharacteristicEntry {
    /// Its name in the study.
    pub name: String,
    /// What it is, in words.
    pub description: String,
    /// The study partnership's value.
    pub value: f64,
    /// Partnerships with a value.
    pub with_value: usize,
}

/// Every police row: `read = counted + no_lsoa_code + unmatched + rejected`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonAccounting {
    /// Rows read.
    pub read: u64,
    /// Rows counted in a partnership.
    pub counted: u64,
    /// Rows with no LSOA code (Northern Ireland, no location): outside England and Wales or
    /// unplaceable.
    pub no_lsoa_code: u64,
    /// Rows whose LSOA code reaches no single partnership, by reason.
    pub unmatched: BTreeMap<String, u64>,
    /// Up to 20 unmatched codes with their reason and rows, most rows first.
    pub unmatched_codes: Vec<(String, String, u64)>,
    /// Rows the reader rejected (bad month, ...).
    pub rejected: u64,
}

/// One category's figures for the group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryEntry {
    /// `all` or the crime type's slug.
    pub slug: String,
    /// Name for people.
    pub name: String,
    /// The study partnership's rank among all ranked partnerships, lowest rate = 1.
    pub rank_all: Option<usize>,
    /// Partnerships ranked.
    pub ranked: usize,
    /// Its rank in the group, lowest rate = 1.
    pub rank_similar: Option<usize>,
    /// Per group member (in `group` order): events.
    pub counts: Vec<Option<u64>>,
    /// Per group member: rate per `rate_per` residents.
    pub rates: Vec<Option<f64>>,
}
