//! [`SourceRead`], what every event reader returns, [`CategoryMapping`], and the parallel
//! per-file driver the event readers share.
//!
//! Files are parsed in parallel with rayon, one task per file, and merged in file order, so
//! the result is the same whatever the number of threads.

use crate::IngestError;
use rayon::prelude::*;
use safemap_types::{Crs, Event, Reject, RejectReason};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The events of one source (all the files of one `[[sources]]` entry), with its rejects.
///
/// Invariant: `read == events.len() + rejects.len()`: every data row (header excluded) is
/// either an event or a reject.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRead {
    /// The files read, in order; [`RowRef::file`](safemap_types::RowRef::file) indexes this.
    pub files: Vec<PathBuf>,
    /// The events, in file order then line order.
    pub events: Vec<Event>,
    /// Analysis categories, sorted; [`Event::category`] indexes this.
    pub categories: Vec<String>,
    /// Rows that could not be used, in file order then line order.
    pub rejects: Vec<Reject>,
    /// Data rows read (header excluded).
    pub read: u64,
    /// CRS of the event points.
    pub crs: Crs,
    /// False for month-precision sources (data.police.uk, or a `time_format` with no time of day).
    pub has_timestamps: bool,
    /// Events placed by their postcode (see [`crate::postcodes`]).
    pub placed_by_postcode: u64,
}

/// Optional mapping from raw category values to analysis categories, from the study file.
///
/// `None`: each raw value (trimmed) is its own category. `Some(map)`: the trimmed raw value
/// is looked up exactly (case-sensitive) among the keys; a value that is not a key is
/// rejected with [`RejectReason::UnknownCategory`], naming the column and value. Several
/// raw values may map to one category. With a mapping, every category of the mapping is
/// listed in [`SourceRead::categories`] even if no row has it, so outputs carry a zero rather
/// than a missing column.
///
/// ```
/// use safemap_ingest::CategoryMapping;
/// let m: CategoryMapping = serde_json::from_str(r#"{"Violence and sexual offences": "violence"}"#).unwrap();
/// assert_eq!(m.map("Violence and sexual offences"), Some("violence"));
/// assert_eq!(m.map("Burglary"), None);
/// assert_eq!(CategoryMapping::default().map("Burglary"), Some("Burglary"));
/// ```
#[derive(Deserialize, Default, Clone, Debug, PartialEq)]
pub struct CategoryMapping(pub Option<BTreeMap<String, String>>);

impl CategoryMapping {
    /// The analysis category of a raw value (trimmed first), or `None` if the mapping
    /// does not list it.
    pub fn map<'a>(&'a self, raw: &'a str) -> Option<&'a str> {
        let raw = raw.trim();
        match &self.0 {
            None => Some(raw),
            Some(map) => map.get(raw).map(String::as_str),
        }
    }
}

/// A per-row problem before it is given its file and line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    pub(crate) column: Option<String>,
    pub(crate) value: String,
    pub(crate) reason: RejectReason,
}

impl Problem {
    /// A problem with one column's value.
    pub(crate) fn at(column: &str, value: &str, reason: RejectReason) -> Self {
        Problem {
            column: Some(column.to_string()),
            value: value.to_string(),
            reason,
        }
    }

    /// The reject record for this problem at `file`, `line`.
    pub(crate) fn into_reject(self, file: &Path, line: u64) -> Reject {
        Reject {
            file: file.to_path_buf(),
            line,
            column: self.column,
            value: self.value,
            reason: self.reason,
        }
    }
}

/// Categories seen in one file, numbered in order of first appearance.
///
/// Readers call [`FileCategories::resolve`] as the last check of a row, so that only rows
/// that become events add categories.
pub(crate) struct FileCategories<'m> {
    mapping: &'m CategoryMapping,
    ids: HashMap<String, u16>,
    names: Vec<String>,
    overflow: bool,
}

impl<'m> FileCategories<'m> {
    pub(crate) fn new(mapping: &'m CategoryMapping) -> Self {
        Self {
            mapping,
            ids: HashMap::new(),
            names: Vec::new(),
            overflow: false,
        }
    }

    /// The file-local id of the category of raw value `raw` in `column`.
    pub(crate) fn resolve(&mut self, column: &str, raw: &str) -> Result<u16, Problem> {
        if raw.is_empty() {
            return Err(Problem::at(column, raw, RejectReason::MissingValue));
        }
        let name = self
            .mapping
            .map(raw)
            .ok_or_else(|| Problem::at(column, raw, RejectReason::UnknownCategory))?;
        if let Some(&id) = self.ids.get(name) {
            return Ok(id);
        }
        let Ok(id) = u16::try_from(self.names.len()) else {
            self.overflow = true;
            return Ok(0);
        };
        self.ids.insert(name.to_string(), id);
        self.names.push(name.to_string());
        Ok(id)
    }
}

impl FileCategories<'_> {
    /// Takes in the categories of `other` (a part of the same file read apart): returns,
    /// for each of `other`'s ids, its id here.
    pub(crate) fn absorb(&mut self, other: FileCategories<'_>) -> Vec<u16> {
        self.overflow |= other.overflow;
        other
            .names
            .into_iter()
            .map(|name| {
                if let Some(&id) = self.ids.get(&name) {
                    return id;
                }
                let Ok(id) = u16::try_from(self.names.len()) else {
                    self.overflow = true;
                    return 0;
                };
                self.ids.insert(name.clone(), id);
                self.names.push(name);
                id
            })
            .collect()
    }
}

/// What one task returns for one file.
pub(crate) struct FileEvents {
    pub(crate) events: Vec<Event>,
    pub(crate) rejects: Vec<Reject>,
    pub(crate) read: u64,
    /// File-local category names; the events' `category` indexes this until the merge.
    pub(crate) categories: Vec<String>,
    /// Events placed by their postcode.
    pub(crate) placed_by_postcode: u64,
}

impl FileEvents {
    /// Finishes a file, of which `placed_by_postcode` events were placed by their postcode:
    /// checks the category limit.
    pub(crate) fn new(
        path: &Path,
        events: Vec<Event>,
        rejects: Vec<Reject>,
        read: u64,
        categories: FileCategories<'_>,
        placed_by_postcode: u64,
    ) -> Result<Self, IngestError> {
        if categories.overflow {
            return Err(IngestError::TooManyCategories {
                path: path.to_path_buf(),
            });
        }
        debug_assert_eq!(read, (events.len() + rejects.len()) as u64);
        Ok(Self {
            events,
            rejects,
            read,
            categories: categories.names,
            placed_by_postcode,
        })
    }
}

/// Reads every file with `read_one(file_index, path)` in parallel (one rayon task per file)
/// and merges the results in file order.
///
/// When several files fail, the error of the first failing file (in file order) is returned,
/// so errors are deterministic too.
pub(crate) fn read_in_parallel<F>(
    files: &[PathBuf],
    mapping: &CategoryMapping,
    crs: Crs,
    has_timestamps: bool,
    read_one: F,
) -> Result<SourceRead, IngestError>
where
    F: Fn(u32, &Path) -> Result<FileEvents, IngestError> + Sync,
{
    let parts: Vec<Result<FileEvents, IngestError>> = files
        .par_iter()
        .enumerate()
        .map(|(i, path)| read_one(i as u32, path))
        .collect();
    let parts = parts.into_iter().collect::<Result<Vec<_>, _>>()?;

    let mut all: BTreeSet<&str> = BTreeSet::new();
    if let Some(map) = &mapping.0 {
        all.extend(map.values().map(String::as_str));
    }
    for part in &parts {
        all.extend(part.categories.iter().map(String::as_str));
    }
    let categories: Vec<String> = all.into_iter().map(str::to_string).collect();
    if categories.len() > usize::from(u16::MAX) + 1 {
        let path = files.first().cloned().unwrap_or_default();
        return Err(IngestError::TooManyCategories { path });
    }
    let global: HashMap<&str, u16> = categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i as u16))
        .collect();

    let mut out = SourceRead {
        files: files.to_vec(),
        events: Vec::with_capacity(parts.iter().map(|p| p.events.len()).sum()),
        categories: Vec::new(),
        rejects: Vec::new(),
        read: 0,
        crs,
        has_timestamps,
        placed_by_postcode: 0,
    };
    for part in parts {
        let remap: Vec<u16> = part.categories.iter().map(|c| global[c.as_str()]).collect();
        out.events.extend(part.events.into_iter().map(|mut e| {
            e.category = remap[usize::from(e.category)];
            e
        }));
        out.rejects.extend(part.rejects);
        out.read += part.read;
        out.placed_by_postcode += part.placed_by_postcode;
    }
    out.categories = categories;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_rejects_unknown_and_interns() {
        let m = CategoryMapping(Some(BTreeMap::from([
            ("Robbery".to_string(), "acquisitive".to_string()),
            ("Burglary".to_string(), "acquisitive".to_string()),
        ])));
        let mut cats = FileCategories::new(&m);
        assert_eq!(cats.resolve("Crime type", " Robbery "), Ok(0));
        assert_eq!(cats.resolve("Crime type", "Burglary"), Ok(0));
        let p = cats.resolve("Crime type", "Drugs").unwrap_err();
        assert_eq!(p.reason, RejectReason::UnknownCategory);
        assert_eq!(p.column.as_deref(), Some("Crime type"));
        assert_eq!(p.value, "Drugs");
        assert_eq!(
            cats.resolve("Crime type", "").unwrap_err().reason,
            RejectReason::MissingValue
        );
    }
}
