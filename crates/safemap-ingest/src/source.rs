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
/// Invariant: every data row (header excluded) is either an event or a reject (a count
/// cube's row of `n` is `n` events). Collected (`E = Vec<Event>`), that is
/// `read == events.len() + rejects.len()`; read through an [`EventSink`], `read` is the
/// events the sink was handed plus `rejects.len()`.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRead<E = Vec<Event>> {
    /// The files read, in order; [`RowRef::file`](safemap_types::RowRef::file) indexes this.
    pub files: Vec<PathBuf>,
    /// The events, in file order then line order; or, read through an [`EventSink`], what
    /// the sink kept of each file.
    pub events: E,
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

/// Takes a source's events as they are read, a chunk at a time, so that no file need be
/// held whole: the engine joins and counts each chunk and drops it. [`Collect`] keeps them.
pub trait EventSink: Sync {
    /// What the sink keeps of one file.
    type File: Send;
    /// The state of a file not yet read.
    fn open(&self) -> Self::File;
    /// Events of one file, in line order. Their `category` indexes `categories`, the file's
    /// category names so far: a later chunk's list extends an earlier one's.
    fn take(&self, file: &mut Self::File, events: Vec<Event>, categories: &[String]);
    /// True when the files must be read one at a time, in order, so that the sink takes every
    /// event of the source in input order (otherwise files are read in parallel).
    fn in_order(&self) -> bool {
        false
    }
}

/// The sink that keeps every event: what [`SourceRead`] holds.
pub struct Collect;

impl EventSink for Collect {
    type File = Vec<Event>;
    fn open(&self) -> Vec<Event> {
        Vec::new()
    }
    fn take(&self, file: &mut Vec<Event>, events: Vec<Event>, _: &[String]) {
        file.extend(events);
    }
}

/// Events a reader hands its sink at a time.
pub(crate) const CHUNK_EVENTS: usize = 1 << 16;

/// A reader's output for one file: it resolves categories, gathers events and hands them
/// to the sink every [`CHUNK_EVENTS`].
pub(crate) struct FileOut<'a, S: EventSink> {
    sink: &'a S,
    state: S::File,
    /// The file's categories.
    pub(crate) cats: FileCategories<'a>,
    events: Vec<Event>,
    /// Events placed by their postcode.
    pub(crate) placed_by_postcode: u64,
}

impl<'a, S: EventSink> FileOut<'a, S> {
    pub(crate) fn new(sink: &'a S, mapping: &'a CategoryMapping) -> Self {
        Self {
            sink,
            state: sink.open(),
            cats: FileCategories::new(mapping),
            events: Vec::new(),
            placed_by_postcode: 0,
        }
    }

    /// Adds one event, in line order.
    pub(crate) fn push(&mut self, event: Event) {
        self.events.push(event);
        if self.events.len() >= CHUNK_EVENTS {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if !self.events.is_empty() {
            let events = std::mem::take(&mut self.events);
            self.sink.take(&mut self.state, events, &self.cats.names);
        }
    }

    /// Finishes the file at `path`, of which `read` data rows were read and `rejects`
    /// rejected: hands the last events over and checks the category limit.
    pub(crate) fn finish(
        mut self,
        path: &Path,
        rejects: Vec<Reject>,
        read: u64,
    ) -> Result<FileEvents<S::File>, IngestError> {
        self.flush();
        if self.cats.overflow {
            return Err(IngestError::TooManyCategories {
                path: path.to_path_buf(),
            });
        }
        Ok(FileEvents {
            state: self.state,
            rejects,
            read,
            categories: self.cats.names,
            placed_by_postcode: self.placed_by_postcode,
        })
    }
}

/// What one task returns for one file.
pub(crate) struct FileEvents<F> {
    state: F,
    rejects: Vec<Reject>,
    read: u64,
    /// File-local category names; the events' `category` indexes this until the merge.
    categories: Vec<String>,
    placed_by_postcode: u64,
}

/// What a sink kept of one file, with the source-wide id of each of the file's category ids.
#[derive(Debug)]
pub struct SinkFile<F> {
    /// The sink's state.
    pub state: F,
    /// `category_ids[file-local id]` is the id in [`SourceRead::categories`].
    pub category_ids: Vec<u16>,
}

impl SourceRead<Vec<SinkFile<Vec<Event>>>> {
    /// The events of every file, in file order, their categories made source-wide.
    pub fn collected(self) -> SourceRead {
        self.map_events(|files| {
            let mut events = Vec::with_capacity(files.iter().map(|f| f.state.len()).sum());
            for file in files {
                events.extend(file.state.into_iter().map(|mut e| {
                    e.category = file.category_ids[usize::from(e.category)];
                    e
                }));
            }
            events
        })
    }
}

impl<E> SourceRead<E> {
    /// The same source with its events (or what a sink kept of them) made into `T` by `f`.
    pub fn map_events<T>(self, f: impl FnOnce(E) -> T) -> SourceRead<T> {
        SourceRead {
            files: self.files,
            events: f(self.events),
            categories: self.categories,
            rejects: self.rejects,
            read: self.read,
            crs: self.crs,
            has_timestamps: self.has_timestamps,
            placed_by_postcode: self.placed_by_postcode,
        }
    }
}

/// Reads every file with `read_one(file_index, path, out)` (one rayon task per file, or one
/// file after another when the sink wants them [in order](EventSink::in_order)) and merges
/// the results in file order.
///
/// When several files fail, the error of the first failing file (in file order) is returned,
/// so errors are deterministic too.
pub(crate) fn read_in_parallel<S, F>(
    files: &[PathBuf],
    mapping: &CategoryMapping,
    (crs, has_timestamps): (Crs, bool),
    sink: &S,
    read_one: F,
) -> Result<SourceRead<Vec<SinkFile<S::File>>>, IngestError>
where
    S: EventSink,
    F: Fn(u32, &Path, FileOut<'_, S>) -> Result<FileEvents<S::File>, IngestError> + Sync,
{
    let one = |(i, path): (usize, &PathBuf)| read_one(i as u32, path, FileOut::new(sink, mapping));
    let parts: Vec<Result<FileEvents<S::File>, IngestError>> = if sink.in_order() {
        files.iter().enumerate().map(one).collect()
    } else {
        files.par_iter().enumerate().map(one).collect()
    };
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
        events: Vec::with_capacity(parts.len()),
        categories: Vec::new(),
        rejects: Vec::new(),
        read: 0,
        crs,
        has_timestamps,
        placed_by_postcode: 0,
    };
    for part in parts {
        debug_assert!(part.read >= part.rejects.len() as u64);
        let category_ids = part.categories.iter().map(|c| global[c.as_str()]).collect();
        out.events.push(SinkFile {
            state: part.state,
            category_ids,
        });
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
