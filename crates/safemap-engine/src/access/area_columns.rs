//! Numeric area columns by name, for the need index and the priority ranking: any number
//! column of the attribute table (`areas.csv`), plus the scores access adds (`need`,
//! `gap_{kind}`). Each column knows whether it is open: made only from data the public may
//! see exactly (population, deprivation, a non-sensitive source's measures, an analysis of
//! one); a figure built from any other column is not published.

use crate::config::{ComponentSection, Study};
use crate::error::EngineError;
use crate::results::{ColumnValue, StudyResults};
use safemap_access::Component;
use safemap_results::columns::measure_columns;
use std::collections::{BTreeMap, BTreeSet};

/// Named columns of per-area numbers (`None`: missing).
#[derive(Debug, Default)]
pub struct AreaColumns {
    columns: BTreeMap<String, Vec<Option<f64>>>,
    open: BTreeSet<String>,
}

/// A component's values, oriented so that higher means more, with its weight.
#[derive(Debug, Clone)]
pub struct OwnedComponent {
    /// The column.
    pub name: String,
    /// Per area, negated when the study says lower means more.
    pub values: Vec<Option<f64>>,
    /// Its weight.
    pub weight: f64,
}

impl OwnedComponent {
    /// The borrowed form `safemap-access` takes.
    pub fn as_component(&self) -> Component<'_> {
        Component::new(&self.name, &self.values, self.weight)
    }
}

impl AreaColumns {
    /// The number columns of the attribute table (text columns such as codes, names and
    /// classes are left out; a count is a number).
    pub fn of(results: &StudyResults) -> Self {
        let names = results.columns();
        let mut columns: Vec<Vec<Option<f64>>> = vec![Vec::new(); names.len()];
        let mut text = vec![false; names.len()];
        for i in 0..results.areas.areas.len() {
            for (c, v) in results.row(i).into_iter().enumerate() {
                columns[c].push(match v {
                    ColumnValue::Count(n) => Some(n as f64),
                    ColumnValue::Number(x) => x,
                    ColumnValue::Text(_) => {
                        text[c] = true;
                        None
                    }
                });
            }
        }
        AreaColumns {
            open: open_columns(results),
            columns: names
                .into_iter()
                .zip(columns)
                .zip(text)
                .filter(|(_, text)| !text)
                .map(|(column, _)| column)
                .collect(),
        }
    }

    /// Adds (or replaces) a column, open when `open`.
    pub fn insert(&mut self, name: String, values: Vec<Option<f64>>, open: bool) {
        if open {
            self.open.insert(name.clone());
        } else {
            self.open.remove(&name);
        }
        self.columns.insert(name, values);
    }

    /// Whether every column of `sections` is open.
    pub fn all_open(&self, sections: &[ComponentSection]) -> bool {
        sections.iter().all(|c| self.open.contains(&c.column))
    }

    /// The components of `[need]` or `[priority]` (`key` names the section in errors).
    ///
    /// # Errors
    ///
    /// [`EngineError::Mapping`] naming the key when a column is not a number column.
    pub fn components(
        &self,
        study: &Study,
        key: &str,
        sections: &[ComponentSection],
    ) -> Result<Vec<OwnedComponent>, EngineError> {
        sections
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let values = self
                    .columns
                    .get(&c.column)
                    .ok_or_else(|| EngineError::Mapping {
                        path: study.file.clone(),
                        key: format!("{key}[{i}].column"),
                        message: format!(
                            "no number column {:?} among the areas' columns: {}",
                            c.column,
                            self.columns.keys().cloned().collect::<Vec<_>>().join(", ")
                        ),
                    })?;
                Ok(OwnedComponent {
                    name: c.column.clone(),
                    values: if c.higher_is_more {
                        values.clone()
                    } else {
                        values.iter().map(|v| v.map(|x| -x)).collect()
                    },
                    weight: c.weight,
                })
            })
            .collect()
    }
}

/// The open columns of the attribute table: population and deprivation, the measures and
/// coverage of every source that is not sensitive, and every column of an analysis of such
/// a source's counts (an analysis of a `[[measure]]` is treated as not open).
fn open_columns(results: &StudyResults) -> BTreeSet<String> {
    let mut open: BTreeSet<String> = ["population", "deprivation"].map(String::from).into();
    let mut open_sources = BTreeSet::new();
    for s in results.sources.iter().filter(|s| !s.section.is_sensitive()) {
        let name = &s.section.name;
        open.extend(measure_columns(name, &s.slugs));
        open.insert(format!("{name}_coverage"));
        open_sources.insert(name.as_str());
    }
    for a in &results.analyses {
        if a.section
            .source
            .as_deref()
            .is_some_and(|s| open_sources.contains(s))
        {
            open.extend(a.columns());
        }
    }
    open
}
