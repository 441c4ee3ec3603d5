//! From an LSOA code to one partnership: the partnership table and the routes of
//! `[[comparison.route]]` (lookups chained, then a column of the table), tried in order.

use crate::config::{ComparisonSection, Study};
use crate::error::EngineError;
use safemap_ingest::read_text_columns;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One partnership of the table.
#[derive(Debug, Clone)]
pub struct Partnership {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Its police force area's name, as the table writes it.
    pub force: String,
}

/// The partnership table: partnerships in code order, and which partnerships each value
/// of each matched column names.
pub struct Partnerships {
    /// Partnerships, sorted by code.
    pub list: Vec<Partnership>,
    /// Per matched column: value → partnerships.
    by_column: HashMap<String, HashMap<String, BTreeSet<usize>>>,
}

impl Partnerships {
    /// Reads the table with the columns `match_columns` name besides code, name and force.
    pub fn load(
        study: &Study,
        c: &ComparisonSection,
        match_columns: &[&str],
    ) -> Result<Self, EngineError> {
        let t = &c.partnerships;
        let path = study.resolve(&t.path);
        let mut columns = vec![
            t.code_column.as_str(),
            t.name_column.as_str(),
            t.force_column.as_str(),
        ];
        for m in match_columns {
            if !columns.contains(m) {
                columns.push(m);
            }
        }
        let table = read_text_columns(&path, &columns, study.limits.input_limits())
            .map_err(|e| EngineError::ingest("comparison.partnerships", e))?;
        let mut by_code: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
        for row in &table.rows {
            by_code.entry(&row[0]).or_insert((&row[1], &row[2]));
        }
        let list: Vec<Partnership> = by_code
            .iter()
            .map(|(code, (name, force))| Partnership {
                code: code.to_string(),
                name: name.to_string(),
                force: force.to_string(),
            })
            .collect();
        let index: HashMap<&str, usize> = list
            .iter()
            .enumerate()
            .map(|(i, p)| (p.code.as_str(), i))
            .collect();
        let mut by_column: HashMap<String, HashMap<String, BTreeSet<usize>>> = HashMap::new();
        for (ci, name) in columns.iter().enumerate() {
            let map = by_column.entry(name.to_string()).or_default();
            for row in &table.rows {
                if !row[ci].is_empty() {
                    map.entry(row[ci].clone())
                        .or_default()
                        .insert(index[row[0].as_str()]);
                }
            }
        }
        Ok(Self { list, by_column })
    }

    /// The partnerships whose `column` holds `value`.
    pub fn matching(&self, column: &str, value: &str) -> Option<&BTreeSet<usize>> {
        self.by_column.get(column)?.get(value)
    }

    /// The study's partnership: by code, then by name (case-insensitive), then by a
    /// matched column's value naming one partnership (an LTLA code).
    pub fn find(&self, wanted: &str) -> Option<usize> {
        let w = wanted.trim();
        self.list
            .iter()
            .position(|p| p.code == w)
            .or_else(|| {
                self.list
                    .iter()
                    .position(|p| p.name.eq_ignore_ascii_case(w))
            })
            .or_else(|| {
                let mut cols: Vec<&String> = self.by_column.keys().collect();
                cols.sort();
                cols.into_iter().find_map(|c| match self.matching(c, w) {
                    Some(set) if set.len() == 1 => set.first().copied(),
                    _ => None,
                })
            })
    }
}

/// Why an LSOA code reaches no single partnership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unmatched {
    /// A lookup of the route does not know the value.
    NotInLookup,
    /// The route's last value names no partnership.
    NoPartnership,
    /// It names several.
    SeveralPartnerships,
}

impl Unmatched {
    /// The reason in words (the accounting key).
    pub fn reason(self) -> &'static str {
        match self {
            Unmatched::NotInLookup => "LSOA code not in the lookups",
            Unmatched::NoPartnership => "lookup value in no partnership",
            Unmatched::SeveralPartnerships => "in several partnerships",
        }
    }
}

/// One route, loaded: each lookup as value → values.
struct Route {
    steps: Vec<HashMap<String, BTreeSet<String>>>,
    match_column: String,
}

/// The routes of `[[comparison.route]]`.
pub struct Router {
    routes: Vec<Route>,
}

impl Router {
    /// Reads every lookup of every route.
    pub fn load(study: &Study, c: &ComparisonSection) -> Result<Self, EngineError> {
        let mut routes = Vec::new();
        for (ri, r) in c.routes.iter().enumerate() {
            let mut steps = Vec::new();
            for (si, step) in r.lookups.iter().enumerate() {
                let role = format!("comparison.route[{}].lookups[{}]", ri + 1, si + 1);
                let t = read_text_columns(
                    &study.resolve(&step.path),
                    &[&step.from, &step.to],
                    study.limits.input_limits(),
                )
                .map_err(|e| EngineError::ingest(role, e))?;
                let mut map: HashMap<String, BTreeSet<String>> = HashMap::new();
                for row in t.rows {
                    let [from, to]: [String; 2] = row.try_into().unwrap_or_default();
                    if !to.is_empty() {
                        map.entry(from).or_default().insert(to);
                    }
                }
                steps.push(map);
            }
            routes.push(Route {
                steps,
                match_column: r.match_column.clone(),
            });
        }
        Ok(Self { routes })
    }

    /// The matched columns of the routes, for [`Partnerships::load`].
    pub fn match_columns(c: &ComparisonSection) -> Vec<&str> {
        c.routes.iter().map(|r| r.match_column.as_str()).collect()
    }

    /// The one partnership `code` reaches by the first route that gives exactly one; else
    /// why the first route failed.
    pub fn resolve(&self, code: &str, partnerships: &Partnerships) -> Result<usize, Unmatched> {
        let mut first_failure = None;
        for route in &self.routes {
            match route.resolve(code, partnerships) {
                Ok(p) => return Ok(p),
                Err(u) => {
                    first_failure.get_or_insert(u);
                }
            }
        }
        Err(first_failure.unwrap_or(Unmatched::NotInLookup))
    }
}

impl Route {
    fn resolve(&self, code: &str, partnerships: &Partnerships) -> Result<usize, Unmatched> {
        let mut values: BTreeSet<String> = BTreeSet::from([code.to_string()]);
        for step in &self.steps {
            values = values
                .iter()
                .filter_map(|v| step.get(v))
                .flatten()
                .cloned()
                .collect();
            if values.is_empty() {
                return Err(Unmatched::NotInLookup);
            }
        }
        let found: BTreeSet<usize> = values
            .iter()
            .filter_map(|v| partnerships.matching(&self.match_column, v))
            .flatten()
            .copied()
            .collect();
        match found.len() {
            0 => Err(Unmatched::NoPartnership),
            1 => Ok(found.first().copied().unwrap_or_default()),
            _ => Err(Unmatched::SeveralPartnerships),
        }
    }
}
