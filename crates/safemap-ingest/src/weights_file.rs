//! GAL and GWT spatial weights files (GeoDa / PySAL formats), read into and written from
//! [`Weights`].
//!
//! **GAL** (neighbour lists, no values):
//!
//! ```text
//! 0 49 columbus POLY_ID      header: `n` alone, or `flag n name id_column`
//! 1 2                        record: area id, number of neighbours k
//! 2 3                        its k neighbour ids on the next line (an empty line when k = 0)
//! ...                        one record per area, n in all
//! ```
//!
//! **GWT** (one weighted pair per line; areas with no line are islands):
//!
//! ```text
//! 1 168 juvenile ID          header: `n` alone, or `flag n name id_column`
//! 1 2 14.1421356             area id, neighbour id, weight
//! ```
//!
//! # Ids
//!
//! Ids in a file are mapped to area positions (the order of every per-area slice) in one of
//! two ways:
//!
//! - **with an id list** (`Some(ids)`, e.g. the LSOA codes of the boundary set in order): the
//!   id `ids[p]` is position `p`; the list must have the header's `n` entries and every id in
//!   the file must be in it. Use this for codes such as `E01015023` or FIPS numbers.
//! - **without** (`None`): ids must be whole numbers, **0-based** (id = position) when any id
//!   in the file is `0` and **1-based** (id = position + 1) otherwise, as in PySAL's example
//!   files (`stl.gal` counts from 1, `mexico.gal` from 0). Every id must then be below `n`
//!   (0-based) or at most `n` (1-based).
//!
//! # Strictness
//!
//! A GAL record's neighbour line must list exactly the declared number of ids; records may not
//! repeat; there must be exactly `n` of them. Pairs may not repeat and an area may not list
//! itself (Gi* adds its own self-weight). GWT weights must be finite and positive. Every
//! error names the (1-based) line and the offending text; [`read_gal`] and [`read_gwt`] add
//! the path.
//!
//! Parsed GAL weights are [`Transform::Binary`]; GWT weights are `Binary` when every weight is
//! 1 and [`Transform::Supplied`] otherwise.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use safemap_types::{Transform, Weights, WeightsError};

/// Why a weights file could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WeightsFileError {
    /// The file could not be read or written.
    #[error("cannot read or write {}: check the path and permissions", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A problem inside a named file.
    #[error("{}: {source}", path.display())]
    InFile {
        /// The file.
        path: PathBuf,
        /// The problem, with its line.
        #[source]
        source: Box<WeightsFileError>,
    },
    /// The first line is not a header.
    #[error(
        "line {line}: header {text:?} is not `n` or `flag n name id_column` with n a whole number"
    )]
    Header {
        /// Line number (1-based).
        line: usize,
        /// The line.
        text: String,
    },
    /// The header gives more areas than weights can index (positions are `u32`).
    #[error(
        "line {line}: the header says {n} areas; weights hold at most {} areas",
        u32::MAX
    )]
    TooManyAreas {
        /// Line number (1-based).
        line: usize,
        /// The number of areas the header gives.
        n: usize,
    },
    /// The file is empty.
    #[error(
        "the file is empty: a weights file starts with a header line giving the number of areas"
    )]
    Empty,
    /// A field that must be a whole number is not.
    #[error("line {line}: {what} {value:?} is not a whole number")]
    BadNumber {
        /// Line number.
        line: usize,
        /// Which field.
        what: &'static str,
        /// The text found.
        value: String,
    },
    /// The id list does not have the header's number of areas.
    #[error("the header says {n} areas but the id list has {ids} ids: pass the ids of exactly these areas, in order")]
    IdCount {
        /// Number of areas in the header.
        n: usize,
        /// Length of the id list.
        ids: usize,
    },
    /// The id list given to the reader repeats an id.
    #[error("the id list repeats {id:?}: area ids must be unique")]
    RepeatedListId {
        /// The repeated id.
        id: String,
    },
    /// An id is not in the id list (or, without one, is not a valid 0-based / 1-based number).
    #[error("line {line}: id {id:?} {why}")]
    UnknownId {
        /// Line number.
        line: usize,
        /// The id as written.
        id: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// A GAL record for the same area appears twice.
    #[error("line {line}: area {id:?} already has a record on line {first}")]
    RepeatedRecord {
        /// Line number.
        line: usize,
        /// The area id.
        id: String,
        /// Line of the first record.
        first: usize,
    },
    /// A GAL file has fewer records than its header says.
    #[error("the header says {expected} areas but the file ends after {found} records")]
    MissingRecords {
        /// Number from the header.
        expected: usize,
        /// Records found.
        found: usize,
    },
    /// Text after the last of the header's `n` GAL records.
    #[error("line {line}: unexpected text {text:?} after the {n} records the header announces")]
    Trailing {
        /// Line number.
        line: usize,
        /// The text.
        text: String,
        /// Number of records announced.
        n: usize,
    },
    /// A GAL record line is not `id count`.
    #[error("line {line}: expected a record header `id neighbour_count`, found {text:?}")]
    BadRecord {
        /// Line number.
        line: usize,
        /// The line.
        text: String,
    },
    /// A GAL neighbour line lists a different number of ids than declared.
    #[error(
        "line {line}: area {id:?} declares {declared} neighbours but this line lists {listed}"
    )]
    CountMismatch {
        /// Line number of the neighbour line.
        line: usize,
        /// The area id.
        id: String,
        /// Count from the record header.
        declared: usize,
        /// Ids found.
        listed: usize,
    },
    /// An area lists itself.
    #[error("line {line}: area {id:?} lists itself as a neighbour: remove the pair (Gi* adds its own self-weight)")]
    SelfNeighbour {
        /// Line number.
        line: usize,
        /// The area id.
        id: String,
    },
    /// A pair appears twice.
    #[error("line {line}: area {id:?} lists neighbour {neighbour:?} a second time")]
    DuplicateNeighbour {
        /// Line number.
        line: usize,
        /// The area id.
        id: String,
        /// The repeated neighbour.
        neighbour: String,
    },
    /// A GWT line is not `id neighbour weight`.
    #[error("line {line}: expected `id neighbour_id weight`, found {text:?}")]
    BadPair {
        /// Line number.
        line: usize,
        /// The line.
        text: String,
    },
    /// A GWT weight is not a finite positive number.
    #[error("line {line}: weight {value:?} is not a finite positive number (leave the pair out instead of weight 0)")]
    BadWeight {
        /// Line number.
        line: usize,
        /// The text found.
        value: String,
    },
    /// Writing: the id list does not have one id per area.
    #[error("the weights have {n} areas but {ids} ids were given: pass one id per area, in order")]
    WrongIdCount {
        /// Number of areas.
        n: usize,
        /// Ids given.
        ids: usize,
    },
    /// Writing: an id is empty, contains white space or repeats, so the file could not be read
    /// back.
    #[error("id {id:?} cannot be written: ids must be non-empty, unique and free of spaces")]
    UnwritableId {
        /// The id.
        id: String,
    },
    /// Writing: GAL files have no weight values.
    #[error("these weights have supplied values (e.g. distances) that a GAL file cannot hold: write GWT instead, or transform to binary first")]
    ValuesNotInGal,
    /// The neighbour lists were refused by [`Weights`].
    #[error(transparent)]
    Weights(#[from] WeightsError),
}

type Result<T> = std::result::Result<T, WeightsFileError>;

/// How file ids become positions.
enum IdMap<'a> {
    Listed(HashMap<&'a str, u32>),
    Numeric { n: usize, one_based: bool },
}

impl<'a> IdMap<'a> {
    fn new(n: usize, ids: Option<&'a [String]>, any_zero: bool) -> Result<Self> {
        match ids {
            Some(ids) => {
                if ids.len() != n {
                    return Err(WeightsFileError::IdCount { n, ids: ids.len() });
                }
                let mut map = HashMap::with_capacity(n);
                for (p, id) in ids.iter().enumerate() {
                    if map.insert(id.as_str(), p as u32).is_some() {
                        return Err(WeightsFileError::RepeatedListId { id: id.clone() });
                    }
                }
                Ok(Self::Listed(map))
            }
            None => Ok(Self::Numeric {
                n,
                one_based: !any_zero,
            }),
        }
    }

    fn position(&self, id: &str, line: usize) -> Result<u32> {
        let unknown = |why| WeightsFileError::UnknownId {
            line,
            id: id.to_owned(),
            why,
        };
        match self {
            Self::Listed(map) => map
                .get(id)
                .copied()
                .ok_or_else(|| unknown("is not in the area id list")),
            Self::Numeric { n, one_based } => {
                let v: usize = id
                    .parse()
                    .map_err(|_| unknown("is not a whole number: pass the area id list"))?;
                let p = if *one_based {
                    v.checked_sub(1).ok_or_else(|| unknown("is out of range"))?
                } else {
                    v
                };
                if p < *n {
                    Ok(p as u32)
                } else if *one_based {
                    Err(unknown(
                        "is above n (ids without an id list count from 1 here, since none is 0)",
                    ))
                } else {
                    Err(unknown(
                        "is n or above (ids without an id list count from 0 here)",
                    ))
                }
            }
        }
    }
}

/// Numbered, trimmed lines (1-based).
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l.trim()))
}

fn header(line: usize, text: &str) -> Result<usize> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let ([n] | [_, n, ..]) = tokens.as_slice() else {
        return Err(WeightsFileError::Header {
            line,
            text: text.to_owned(),
        });
    };
    let n: usize = n.parse().map_err(|_| WeightsFileError::Header {
        line,
        text: text.to_owned(),
    })?;
    if u32::try_from(n).is_err() {
        return Err(WeightsFileError::TooManyAreas { line, n });
    }
    Ok(n)
}

fn whole(line: usize, what: &'static str, value: &str) -> Result<usize> {
    value.parse().map_err(|_| WeightsFileError::BadNumber {
        line,
        what,
        value: value.to_owned(),
    })
}

/// Parses the text of a GAL file. See the [module docs](self) for the format and id rules.
///
/// ```
/// use safemap_ingest::weights_file::parse_gal;
/// let w = parse_gal("3\n1 1\n2\n2 2\n1 3\n3 1\n2\n", None)?;
/// assert_eq!(w.neighbours(1), &[0, 2]);
/// let ids = ["a".to_string(), "b".to_string()];
/// let w = parse_gal("0 2 demo ID\na 1\nb\nb 1\na\n", Some(&ids))?;
/// assert_eq!(w.neighbours(0), &[1]);
/// # Ok::<(), safemap_ingest::weights_file::WeightsFileError>(())
/// ```
pub fn parse_gal(text: &str, ids: Option<&[String]>) -> Result<Weights> {
    let mut it = lines(text).filter(|(_, l)| !l.is_empty()).peekable();
    let (hline, htext) = it.next().ok_or(WeightsFileError::Empty)?;
    let n = header(hline, htext)?;
    // Records: (header line, id, declared count, neighbour line, neighbour ids).
    // Not pre-sized from the header: its n is only checked against the records read.
    let mut records: Vec<(usize, &str, Vec<&str>, usize)> = Vec::new();
    // Blank lines were filtered, so an island's empty neighbour line is simply absent: read
    // the neighbour line only when the count is positive.
    while records.len() < n {
        let Some((line, text)) = it.next() else {
            return Err(WeightsFileError::MissingRecords {
                expected: n,
                found: records.len(),
            });
        };
        let (id, count) = match text.split_whitespace().collect::<Vec<_>>().as_slice() {
            [id, count] => (*id, whole(line, "neighbour count", count)?),
            _ => {
                return Err(WeightsFileError::BadRecord {
                    line,
                    text: text.to_owned(),
                })
            }
        };
        let (nline, neighbours) = if count == 0 {
            (line, Vec::new())
        } else {
            let Some((nline, ntext)) = it.next() else {
                return Err(WeightsFileError::MissingRecords {
                    expected: n,
                    found: records.len(),
                });
            };
            (nline, ntext.split_whitespace().collect())
        };
        if neighbours.len() != count {
            return Err(WeightsFileError::CountMismatch {
                line: nline,
                id: id.to_owned(),
                declared: count,
                listed: neighbours.len(),
            });
        }
        records.push((line, id, neighbours, nline));
    }
    if let Some((line, text)) = it.next() {
        return Err(WeightsFileError::Trailing {
            line,
            text: text.to_owned(),
            n,
        });
    }
    let any_zero = records
        .iter()
        .any(|(_, id, nb, _)| *id == "0" || nb.contains(&"0"));
    let map = IdMap::new(n, ids, any_zero)?;
    // Per position: the line of its record and its (neighbour, weight) pairs.
    let mut lists: Vec<Option<Record>> = vec![None; n];
    for (line, id, neighbours, nline) in records {
        let p = map.position(id, line)? as usize;
        if let Some((first, _)) = &lists[p] {
            return Err(WeightsFileError::RepeatedRecord {
                line,
                id: id.to_owned(),
                first: *first,
            });
        }
        let mut row = Vec::with_capacity(neighbours.len());
        for nb in neighbours {
            let q = map.position(nb, nline)?;
            check_pair(nline, id, nb, p, q, &row)?;
            row.push((q, 1.0));
        }
        lists[p] = Some((line, row));
    }
    // n distinct positions below n were filled, so every entry is Some.
    let lists: Vec<Vec<(u32, f64)>> = lists
        .into_iter()
        .map(|r| r.map(|(_, row)| row).unwrap_or_default())
        .collect();
    Ok(Weights::from_weighted_lists(&lists)?)
}

/// A parsed GAL record: its line and its (neighbour, weight) pairs.
type Record = (usize, Vec<(u32, f64)>);

fn check_pair(line: usize, id: &str, nb: &str, p: usize, q: u32, row: &[(u32, f64)]) -> Result<()> {
    if q as usize == p {
        return Err(WeightsFileError::SelfNeighbour {
            line,
            id: id.to_owned(),
        });
    }
    if row.iter().any(|&(r, _)| r == q) {
        return Err(WeightsFileError::DuplicateNeighbour {
            line,
            id: id.to_owned(),
            neighbour: nb.to_owned(),
        });
    }
    Ok(())
}

/// Parses the text of a GWT file. See the [module docs](self) for the format and id rules.
///
/// ```
/// use safemap_ingest::weights_file::parse_gwt;
/// use safemap_types::Transform;
/// let w = parse_gwt("0 3 demo ID\n1 2 0.5\n2 1 0.5\n", None)?;
/// assert_eq!(w.values(0), &[0.5]);
/// assert_eq!(w.islands(), vec![2]);
/// assert_eq!(w.transform(), Transform::Supplied);
/// # Ok::<(), safemap_ingest::weights_file::WeightsFileError>(())
/// ```
pub fn parse_gwt(text: &str, ids: Option<&[String]>) -> Result<Weights> {
    let mut it = lines(text).filter(|(_, l)| !l.is_empty());
    let (hline, htext) = it.next().ok_or(WeightsFileError::Empty)?;
    let n = header(hline, htext)?;
    let mut pairs: Vec<(usize, &str, &str, f64)> = Vec::new();
    for (line, text) in it {
        let (id, nb, value) = match text.split_whitespace().collect::<Vec<_>>().as_slice() {
            [id, nb, value] => (*id, *nb, *value),
            _ => {
                return Err(WeightsFileError::BadPair {
                    line,
                    text: text.to_owned(),
                })
            }
        };
        let w: f64 = value
            .parse()
            .ok()
            .filter(|w: &f64| w.is_finite() && *w > 0.0)
            .ok_or_else(|| WeightsFileError::BadWeight {
                line,
                value: value.to_owned(),
            })?;
        pairs.push((line, id, nb, w));
    }
    let any_zero = pairs.iter().any(|(_, a, b, _)| *a == "0" || *b == "0");
    let map = IdMap::new(n, ids, any_zero)?;
    let mut lists: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n];
    for (line, id, nb, w) in pairs {
        let p = map.position(id, line)? as usize;
        let q = map.position(nb, line)?;
        check_pair(line, id, nb, p, q, &lists[p])?;
        lists[p].push((q, w));
    }
    Ok(Weights::from_weighted_lists(&lists)?)
}

fn check_ids(weights: &Weights, ids: &[String]) -> Result<()> {
    if ids.len() != weights.n() {
        return Err(WeightsFileError::WrongIdCount {
            n: weights.n(),
            ids: ids.len(),
        });
    }
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    for id in ids {
        if id.is_empty() || id.chars().any(char::is_whitespace) || !seen.insert(id.as_str()) {
            return Err(WeightsFileError::UnwritableId { id: id.clone() });
        }
    }
    Ok(())
}

/// Writes weights as GAL text with the header `n` alone, one record per area in position
/// order, neighbours ascending by position. Binary and row-standardised weights are written
/// as their neighbour structure; weights with [`Transform::Supplied`] values are refused
/// (GAL cannot hold values). `ids[p]` is written for position `p`.
///
/// ```
/// use safemap_ingest::weights_file::{format_gal, parse_gal};
/// use safemap_types::Weights;
/// let w = Weights::from_neighbour_lists(&[vec![1], vec![0], vec![]])?;
/// let ids: Vec<String> = ["x", "y", "z"].map(String::from).to_vec();
/// let text = format_gal(&w, &ids)?;
/// assert_eq!(text, "3\nx 1\ny\ny 1\nx\nz 0\n\n");
/// assert_eq!(parse_gal(&text, Some(&ids))?, w);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn format_gal(weights: &Weights, ids: &[String]) -> Result<String> {
    check_ids(weights, ids)?;
    if weights.transform() == Transform::Supplied {
        return Err(WeightsFileError::ValuesNotInGal);
    }
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(out, "{}", weights.n());
    for (p, id) in ids.iter().enumerate() {
        let _ = writeln!(out, "{id} {}", weights.cardinality(p));
        let names: Vec<&str> = weights
            .neighbours(p)
            .iter()
            .map(|&q| ids[q as usize].as_str())
            .collect();
        let _ = writeln!(out, "{}", names.join(" "));
    }
    Ok(out)
}

/// Writes weights as GWT text: the header `0 n safemap id`, then one `id neighbour weight`
/// line per pair in position order. Weights are written in Rust's shortest round-trip form,
/// so [`parse_gwt`] reads back the same bits.
///
/// ```
/// use safemap_ingest::weights_file::{format_gwt, parse_gwt};
/// use safemap_types::Weights;
/// let w = Weights::from_weighted_lists(&[vec![(1, 0.25)], vec![(0, 4.0)]])?;
/// let ids: Vec<String> = ["a", "b"].map(String::from).to_vec();
/// let text = format_gwt(&w, &ids)?;
/// assert_eq!(text, "0 2 safemap id\na b 0.25\nb a 4\n");
/// assert_eq!(parse_gwt(&text, Some(&ids))?, w);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn format_gwt(weights: &Weights, ids: &[String]) -> Result<String> {
    check_ids(weights, ids)?;
    let mut out = String::new();
    let _ = writeln!(out, "0 {} safemap id", weights.n());
    for (p, id) in ids.iter().enumerate() {
        for (&q, &w) in weights.neighbours(p).iter().zip(weights.values(p)) {
            let _ = writeln!(out, "{id} {} {w}", ids[q as usize]);
        }
    }
    Ok(out)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| WeightsFileError::Io {
        path: path.to_owned(),
        source,
    })
}

fn in_file(path: &Path) -> impl FnOnce(WeightsFileError) -> WeightsFileError + '_ {
    move |e| WeightsFileError::InFile {
        path: path.to_owned(),
        source: Box::new(e),
    }
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|source| WeightsFileError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Reads a GAL file with [`parse_gal`]; errors name the path.
pub fn read_gal(path: &Path, ids: Option<&[String]>) -> Result<Weights> {
    parse_gal(&read(path)?, ids).map_err(in_file(path))
}

/// Reads a GWT file with [`parse_gwt`]; errors name the path.
pub fn read_gwt(path: &Path, ids: Option<&[String]>) -> Result<Weights> {
    parse_gwt(&read(path)?, ids).map_err(in_file(path))
}

/// Writes a GAL file with [`format_gal`].
pub fn write_gal(path: &Path, weights: &Weights, ids: &[String]) -> Result<()> {
    write(path, &format_gal(weights, ids).map_err(in_file(path))?)
}

/// Writes a GWT file with [`format_gwt`].
pub fn write_gwt(path: &Path, weights: &Weights, ids: &[String]) -> Result<()> {
    write(path, &format_gwt(weights, ids).map_err(in_file(path))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| (*s).to_owned()).collect()
    }

    /// Found by `cargo fuzz` (target `weights_file`): a header count was trusted before any
    /// record was read, so `Vec::with_capacity(n)` panicked ("capacity overflow") or aborted
    /// on allocation, with or without an id list, and a count past `u32` wrapped positions.
    #[test]
    fn huge_header_counts_are_errors_not_aborts() {
        let ids = strings(&["1", "2"]);
        for text in ["18446744073709551615\n1 0\n", "0 4294967296 x id\n1 0\n"] {
            for list in [None, Some(ids.as_slice())] {
                let err = parse_gal(text, list).unwrap_err();
                assert!(
                    matches!(err, WeightsFileError::TooManyAreas { line: 1, .. }),
                    "{err}"
                );
            }
        }
        let err = parse_gwt("0 4294967297 x id\n1 4294967297 1.5\n", None).unwrap_err();
        assert!(matches!(
            err,
            WeightsFileError::TooManyAreas {
                line: 1,
                n: 4_294_967_297
            }
        ));
        assert_eq!(
            err.to_string(),
            "line 1: the header says 4294967297 areas; weights hold at most 4294967295 areas"
        );
        // A count that fits but that the records do not fill is not allocated for.
        let err = parse_gal("4294967295\n1 0\n", Some(&ids)).unwrap_err();
        assert!(
            matches!(
                err,
                WeightsFileError::MissingRecords {
                    expected: 4_294_967_295,
                    found: 1
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn numeric_ids_are_zero_or_one_based() {
        let one = parse_gal("2\n1 1\n2\n2 1\n1\n", None).unwrap();
        let zero = parse_gal("2\n0 1\n1\n1 1\n0\n", None).unwrap();
        assert_eq!(one, zero);
        let err = parse_gal("2\n1 1\n3\n2 1\n1\n", None).unwrap_err();
        assert!(err.to_string().starts_with("line 3: id \"3\""), "{err}");
    }

    #[test]
    fn islands_with_or_without_blank_line() {
        let a = parse_gal("0 3 x ID\n1 1\n2\n2 1\n1\n3 0\n\n", None).unwrap();
        let b = parse_gal("3\n1 1\n2\n3 0\n2 1\n1\n", None).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.islands(), vec![2]);
    }

    #[test]
    fn errors_name_line_and_value() {
        let msg = |text: &str| parse_gal(text, None).unwrap_err().to_string();
        assert!(msg("x y z\n").contains("line 1: header \"x y z\""));
        assert!(msg("2\n1 two\n").contains("line 2: neighbour count \"two\""));
        assert!(msg("2\n1 2\n2\n2 1\n1\n").contains("line 3: area \"1\" declares 2"));
        assert!(msg("2\n1 1\n1\n2 1\n1\n").contains("line 3: area \"1\" lists itself"));
        assert!(msg("2\n1 1\n2\n1 1\n2\n")
            .contains("line 4: area \"1\" already has a record on line 2"));
        assert!(msg("2\n1 1\n2\n").contains("ends after 1 records"));
        assert!(msg("1\n1 0\n\nextra\n").contains("line 4: unexpected text \"extra\""));
        let ids = strings(&["a", "b"]);
        let e = parse_gal("2\na 1\nc\nb 0\n", Some(&ids)).unwrap_err();
        assert!(e
            .to_string()
            .contains("line 3: id \"c\" is not in the area id list"));
        let e = parse_gal("3\na 0\nb 0\nc 0\n", Some(&ids)).unwrap_err();
        assert!(e.to_string().contains("3 areas but the id list has 2"));
        let g = |text: &str| parse_gwt(text, None).unwrap_err().to_string();
        assert!(g("2\n1 2 0\n").contains("line 2: weight \"0\""));
        assert!(g("2\n1 2\n").contains("line 2: expected `id neighbour_id weight`"));
        assert!(g("2\n1 2 1\n1 2 1\n")
            .contains("line 3: area \"1\" lists neighbour \"2\" a second time"));
    }

    #[test]
    fn format_refuses_what_cannot_round_trip() {
        let w = Weights::from_weighted_lists(&[vec![(1, 0.5)], vec![]]).unwrap();
        assert!(matches!(
            format_gal(&w, &strings(&["a", "b"])),
            Err(WeightsFileError::ValuesNotInGal)
        ));
        let row = w.transformed(Transform::RowStandardised);
        assert!(format_gal(&row, &strings(&["a", "b"])).is_ok());
        assert!(matches!(
            format_gwt(&w, &strings(&["a b", "c"])),
            Err(WeightsFileError::UnwritableId { .. })
        ));
        assert!(matches!(
            format_gwt(&w, &strings(&["a"])),
            Err(WeightsFileError::WrongIdCount { n: 2, ids: 1 })
        ));
    }

    #[test]
    fn files_round_trip_and_errors_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let w =
            Weights::from_weighted_lists(&[vec![(1, 1.0 / 3.0)], vec![(0, 2.5)], vec![]]).unwrap();
        let ids = strings(&["E1", "E2", "E3"]);
        let gwt = dir.path().join("w.gwt");
        write_gwt(&gwt, &w, &ids).unwrap();
        assert_eq!(read_gwt(&gwt, Some(&ids)).unwrap(), w);
        let gal = dir.path().join("w.gal");
        let b = w.transformed(Transform::Binary);
        write_gal(&gal, &b, &ids).unwrap();
        assert_eq!(read_gal(&gal, Some(&ids)).unwrap(), b);
        let err = read_gal(&gal, None).unwrap_err().to_string();
        assert!(
            err.contains("w.gal: line 2: id \"E1\" is not a whole number"),
            "{err}"
        );
    }

    fn data(rel: &str) -> PathBuf {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")).join(rel)
    }

    /// Ids of a dBase column as strings (`FIPSNO` 37009.0 becomes "37009").
    fn dbf_ids(rel: &str, column: &str) -> Vec<String> {
        use shapefile::dbase::FieldValue;
        shapefile::dbase::read(data(rel))
            .unwrap()
            .iter()
            .map(|r| match r.get(column) {
                Some(FieldValue::Numeric(Some(v))) => format!("{v}"),
                Some(FieldValue::Character(Some(s))) => s.trim().to_owned(),
                other => panic!("{column}: {other:?}"),
            })
            .collect()
    }

    /// (file, id list, n, links, sum of weights)
    type Case<'a> = (&'a str, Option<&'a [String]>, usize, usize, f64);

    /// Every GAL and GWT file in shared/data reads, with the counts libpysal 4.14.1 gives
    /// (n, links = s0 for binary weights, sum of weights, islands).
    #[test]
    fn reads_the_pysal_and_reference_files() {
        let sids = dbf_ids("pysal/sids2/sids2.dbf", "FIPSNO");
        let baltim = dbf_ids("pysal/baltim/baltim.dbf", "STATION");
        let plymouth: Vec<String> = std::fs::read_to_string(data(
            "reference/uk_plymouth_lsoa11_police_2018-10_2019-02.csv",
        ))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect();
        let cases: [Case; 13] = [
            ("pysal/baltim/baltim_k4.gwt", Some(&baltim), 211, 844, 844.0),
            (
                "pysal/baltim/baltim_q.gal",
                Some(&baltim),
                211,
                1190,
                1190.0,
            ),
            ("pysal/book/book.gal", None, 16, 48, 48.0),
            ("pysal/columbus/columbus.gal", None, 49, 236, 236.0),
            ("pysal/desmith/desmith.gal", None, 10, 26, 26.0),
            (
                "pysal/juvenile/juvenile.gwt",
                None,
                168,
                2802,
                24_207.571_054_917_164,
            ),
            ("pysal/mexico/mexico.gal", None, 32, 140, 140.0),
            ("pysal/sids2/sids2.gal", Some(&sids), 100, 462, 462.0),
            ("pysal/stl/stl.gal", None, 78, 398, 398.0),
            ("pysal/stl/stl_hom_rook.gal", None, 78, 398, 398.0),
            ("pysal/wmat/rook31.gal", None, 3, 4, 4.0),
            (
                "reference/columbus_crime_queen_weights.gal",
                None,
                49,
                236,
                236.0,
            ),
            (
                "reference/uk_plymouth_lsoa11_intersects.gal",
                Some(&plymouth),
                161,
                812,
                812.0,
            ),
        ];
        for (rel, ids, n, links, sum) in cases {
            let path = data(rel);
            let w = if Path::new(rel).extension().is_some_and(|e| e == "gal") {
                read_gal(&path, ids)
            } else {
                read_gwt(&path, ids)
            }
            .unwrap_or_else(|e| panic!("{e}"));
            let total: f64 = (0..w.n()).flat_map(|i| w.values(i).iter()).sum();
            assert_eq!((w.n(), w.links()), (n, links), "{rel}");
            assert!((total - sum).abs() < 1e-9 * sum, "{rel}: {total}");
            assert!(w.islands().is_empty(), "{rel}");
        }
        // baltim_k4 is k-nearest (asymmetric, binary); the contiguity files are symmetric.
        let k4 = read_gwt(&data("pysal/baltim/baltim_k4.gwt"), Some(&baltim)).unwrap();
        assert_eq!(k4.transform(), Transform::Binary);
        assert!(!k4.is_symmetric());
        let stl = read_gal(&data("pysal/stl/stl.gal"), None).unwrap();
        assert!(stl.is_symmetric());
        assert_eq!(stl.components().0, 1);
    }
}
