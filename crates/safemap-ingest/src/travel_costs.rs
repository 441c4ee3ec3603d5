//! [`read_travel_costs`]: a travel-cost matrix (origin area code, service id, cost), as r5r,
//! OSRM or PySAL `access` write them, so that access can use drive or public-transport
//! times computed elsewhere.

use crate::csv_records::MAX_RECORD_LINES;
use crate::open::{field, CsvInput};
use crate::source::Problem;
use crate::values::number;
use crate::{IngestError, InputLimits};
use safemap_types::{Reject, RejectReason};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What a matrix's costs measure, as the study declares it.
///
/// ```
/// let u: safemap_ingest::CostUnit = serde_json::from_str("\"minutes\"").unwrap();
/// assert_eq!(u, safemap_ingest::CostUnit::Minutes);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CostUnit {
    /// Travel time in minutes.
    Minutes,
    /// Travel distance in metres (`meters` is accepted too).
    #[serde(alias = "meters")]
    Metres,
}

/// Which columns hold the origin area code, the service id and the cost.
///
/// ```
/// let c: safemap_ingest::TravelCostColumns = serde_json::from_str(
///     r#"{"origin_column": "origin", "service_column": "destination", "cost_column": "travel_time"}"#,
/// ).unwrap();
/// assert_eq!(c.cost_column, "travel_time");
/// ```
#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TravelCostColumns {
    /// Column of the origin area code.
    pub origin_column: String,
    /// Column of the service id (a register's id: its id column, or its line number).
    pub service_column: String,
    /// Column of the cost.
    pub cost_column: String,
}

/// One (origin, service, cost) triple.
#[derive(Debug, Clone, PartialEq)]
pub struct TravelCost {
    /// Origin area code.
    pub origin: String,
    /// Service id.
    pub service: String,
    /// Cost from the origin to the service, in the matrix's unit; finite and >= 0.
    pub cost: f64,
}

/// A travel-cost matrix, with its rejects.
///
/// Invariant: `read == costs.len() + rejects.len()`.
#[derive(Debug, Clone, PartialEq)]
pub struct TravelCosts {
    /// The file read.
    pub path: PathBuf,
    /// The unit of every cost.
    pub unit: CostUnit,
    /// The triples, in file order; each (origin, service) pair once.
    pub costs: Vec<TravelCost>,
    /// Rows that could not be used.
    pub rejects: Vec<Reject>,
    /// Data rows read (header excluded).
    pub read: u64,
}

/// Reads a travel-cost matrix CSV (plain or `.gz`, UTF-8, comma-separated) in `unit`.
///
/// Per row: an empty origin or service is `MissingValue`; the cost is a number (thousands
/// separators allowed): empty is `MissingValue`, unparsable `UnparsableNumber`, NaN or
/// infinite `NotANumber`, negative `InvalidValue`; a pair seen before is `DuplicatePair`
/// (the first row keeps it), checked last. The matrix is directed (origin to service) and
/// need not be symmetric; a pair it does not list is unreachable, which is for the caller
/// to apply. Codes and ids are not checked against the study here: the caller knows them.
///
/// # Errors
///
/// [`IngestError::MissingColumn`] when a column is not in the header, a limit passed
/// ([`InputLimits`]), and I/O errors.
pub fn read_travel_costs(
    path: &Path,
    columns: &TravelCostColumns,
    unit: CostUnit,
    limits: InputLimits,
) -> Result<TravelCosts, IngestError> {
    let input = CsvInput::open(path, MAX_RECORD_LINES, limits)?;
    let names = [
        columns.origin_column.as_str(),
        columns.service_column.as_str(),
        columns.cost_column.as_str(),
    ];
    let [origin_i, service_i, cost_i] = [0, 1, 2].map(|k| input.column(names[k]));
    let (origin_i, service_i, cost_i) = (origin_i?, service_i?, cost_i?);
    let [origin_c, service_c, cost_c] = names;
    let mut costs = Vec::new();
    let mut seen = HashSet::new();
    let mut rejects = Vec::new();
    let read = input.for_each_row(&mut rejects, |rec, _line| {
        let origin = field(rec, origin_i, origin_c)?;
        if origin.is_empty() {
            return Err(Problem::at(origin_c, "", RejectReason::MissingValue));
        }
        let service = field(rec, service_i, service_c)?;
        if service.is_empty() {
            return Err(Problem::at(service_c, "", RejectReason::MissingValue));
        }
        let cost_text = field(rec, cost_i, cost_c)?;
        let cost = number(cost_text, cost_c)?;
        if cost < 0.0 {
            let expected = "a cost >= 0".to_string();
            return Err(Problem::at(
                cost_c,
                cost_text,
                RejectReason::InvalidValue { expected },
            ));
        }
        if !seen.insert((origin.to_string(), service.to_string())) {
            return Err(Problem {
                column: Some(format!("{origin_c}, {service_c}")),
                value: format!("{origin}, {service}"),
                reason: RejectReason::DuplicatePair,
            });
        }
        costs.push(TravelCost {
            origin: origin.to_string(),
            service: service.to_string(),
            cost,
        });
        Ok(())
    })?;
    debug_assert_eq!(read, (costs.len() + rejects.len()) as u64);
    Ok(TravelCosts {
        path: path.to_path_buf(),
        unit,
        costs,
        rejects,
        read,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns() -> TravelCostColumns {
        TravelCostColumns {
            origin_column: "origin".into(),
            service_column: "service".into(),
            cost_column: "minutes".into(),
        }
    }

    #[test]
    fn triples_in_file_order_with_rejects() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("matrix.csv");
        std::fs::write(
            &p,
            "origin,service,minutes\n\
             E01000001,S1,12.5\n\
             E01000002,S1,0\n\
             S1,E01000001,7\n\
             E01000001,S1,3\n\
             ,S2,4\n\
             E01000001,,4\n\
             E01000001,S2,\n\
             E01000001,S3,soon\n\
             E01000001,S4,-1\n\
             E01000001,S5,inf\n\
             E01000003,S1,\"1,200\"\n",
        )
        .unwrap();
        let got =
            read_travel_costs(&p, &columns(), CostUnit::Minutes, InputLimits::default()).unwrap();
        assert_eq!(got.read, 11);
        assert_eq!(got.read, (got.costs.len() + got.rejects.len()) as u64);
        let triples: Vec<_> = got
            .costs
            .iter()
            .map(|c| (c.origin.as_str(), c.service.as_str(), c.cost))
            .collect();
        assert_eq!(
            triples,
            [
                ("E01000001", "S1", 12.5),
                ("E01000002", "S1", 0.0),
                ("S1", "E01000001", 7.0),
                ("E01000003", "S1", 1200.0),
            ],
            "directed: the reverse pair is its own entry"
        );
        let reasons: Vec<_> = got
            .rejects
            .iter()
            .map(|r| {
                (
                    r.line,
                    r.column.clone().unwrap_or_default(),
                    r.reason.to_string(),
                )
            })
            .collect();
        let want = [
            (
                5,
                "origin, service",
                "duplicate origin and service pair (an earlier row has it)",
            ),
            (6, "origin", "missing value"),
            (7, "service", "missing value"),
            (8, "minutes", "missing value"),
            (9, "minutes", "unparsable number"),
            (10, "minutes", "invalid value (expected a cost >= 0)"),
            (11, "minutes", "number is NaN or infinite"),
        ]
        .map(|(l, c, r)| (l, c.to_string(), r.to_string()));
        assert_eq!(reasons, want);
        assert_eq!(got.rejects[0].value, "E01000001, S1");
    }

    #[test]
    fn the_unit_is_the_studys() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("metres.csv");
        std::fs::write(&p, "o,s,d\nE1,7,1500\n").unwrap();
        let cols = TravelCostColumns {
            origin_column: "o".into(),
            service_column: "s".into(),
            cost_column: "d".into(),
        };
        let got = read_travel_costs(&p, &cols, CostUnit::Metres, InputLimits::default()).unwrap();
        assert_eq!(got.unit, CostUnit::Metres);
        assert_eq!(got.costs[0].service, "7", "a line-number service id");
        let unit: CostUnit = serde_json::from_str("\"meters\"").unwrap();
        assert_eq!(unit, CostUnit::Metres);
    }
}
