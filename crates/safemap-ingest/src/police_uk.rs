//! [`read_police_uk`]: data.police.uk street-level crime CSVs (plain or `.csv.gz`).

use crate::coords::check_coord;
use crate::open::{field, CsvInput};
use crate::source::{read_in_parallel, Collect, EventSink, FileEvents, FileOut, Problem, SinkFile};
use crate::{CategoryMapping, IngestError, InputLimits, SourceRead};
use safemap_types::{Crs, Event, EventTime, Flags, Month, RejectReason, RowRef};
use std::path::{Path, PathBuf};

pub use safemap_types::formats::POLICE_UK_COLUMNS;

const MONTH: usize = 1;
const LONGITUDE: usize = 4;
const LATITUDE: usize = 5;
const LSOA_CODE: usize = 7;
const CRIME_TYPE: usize = 9;

/// data.police.uk never writes a line break inside a field, so a record is one line and a
/// quote still open at the end of a line is a stray quote (see `csv_records`).
const RECORD_LINES: usize = 1;

/// Reads data.police.uk street-level CSV files (one per force and month).
///
/// Each file must have exactly the 12 standard columns ([`POLICE_UK_COLUMNS`]); anything
/// else is [`IngestError::WrongHeader`], showing the expected and found headers. Each row
/// becomes an event:
///
/// - `Month` (`YYYY-MM`) is the time, at month precision (`has_timestamps` is false);
///   anything else is rejected with `BadDate { expected: "YYYY-MM" }`.
/// - `Longitude`/`Latitude` (WGS84) are checked as the crate docs describe; **both empty**
///   (police.uk rows with no location, about 4 % in Devon & Cornwall) gives an event with
///   `point: None`, which the engine rejects in spatial-join mode and joins by `LSOA code`
///   in code-join mode.
/// - `LSOA code` is the event's `area_code` (`None` when empty).
/// - `Crime type` is the category, through `categories`.
///
/// A line with a quoted field that does not close on it is rejected with `UnbalancedQuote`
/// and the next line is read as usual (a record never spans lines here).
///
/// A row with several problems is rejected for the first found, in the order: location,
/// month, category. Files are read in parallel and merged in order.
///
/// # Errors
///
/// File-level problems only: unreadable file, empty file, wrong header, a limit passed
/// ([`InputLimits`]).
pub fn read_police_uk(
    files: &[PathBuf],
    categories: &CategoryMapping,
    limits: InputLimits,
) -> Result<SourceRead, IngestError> {
    read_police_uk_into(files, categories, limits, &Collect).map(SourceRead::collected)
}

/// [`read_police_uk`], handing the events to `sink` a chunk at a time.
///
/// # Errors
///
/// Those of [`read_police_uk`].
pub fn read_police_uk_into<S: EventSink>(
    files: &[PathBuf],
    categories: &CategoryMapping,
    limits: InputLimits,
    sink: &S,
) -> Result<SourceRead<Vec<SinkFile<S::File>>>, IngestError> {
    read_in_parallel(
        files,
        categories,
        (Crs::Wgs84, false),
        sink,
        |i, path, out| read_file(i, path, limits, out),
    )
}

fn read_file<S: EventSink>(
    index: u32,
    path: &Path,
    limits: InputLimits,
    mut out: FileOut<'_, S>,
) -> Result<FileEvents<S::File>, IngestError> {
    let input = CsvInput::open(path, RECORD_LINES, limits)?;
    check_header(path, &input.header)?;
    let mut rejects = Vec::new();
    let read = input.for_each_row(&mut rejects, |rec, line| {
        let col = |i: usize| field(rec, i, POLICE_UK_COLUMNS[i]);
        let point = check_coord(
            col(LONGITUDE)?,
            col(LATITUDE)?,
            (POLICE_UK_COLUMNS[LONGITUDE], POLICE_UK_COLUMNS[LATITUDE]),
            Crs::Wgs84,
        )?;
        let month = col(MONTH)?;
        let time = Month::parse(month).map(EventTime::from).map_err(|_| {
            Problem::at(
                POLICE_UK_COLUMNS[MONTH],
                month,
                RejectReason::BadDate {
                    expected: "YYYY-MM".to_string(),
                },
            )
        })?;
        let category = out
            .cats
            .resolve(POLICE_UK_COLUMNS[CRIME_TYPE], col(CRIME_TYPE)?)?;
        let code = col(LSOA_CODE)?;
        out.push(Event {
            origin: RowRef { file: index, line },
            point,
            area_code: (!code.is_empty()).then(|| code.into()),
            time,
            category,
            flags: Flags::empty(),
        });
        Ok(())
    })?;
    out.finish(path, rejects, read)
}

/// Fails unless `header` is exactly the 12 police.uk columns.
fn check_header(path: &Path, header: &[String]) -> Result<(), IngestError> {
    if header.iter().map(String::as_str).eq(POLICE_UK_COLUMNS) {
        return Ok(());
    }
    let column = (0..header.len().max(POLICE_UK_COLUMNS.len()))
        .find(|&i| header.get(i).map(String::as_str) != POLICE_UK_COLUMNS.get(i).copied())
        .unwrap_or(0);
    Err(IngestError::WrongHeader {
        path: path.to_path_buf(),
        column: column + 1,
        found: header.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::CHUNK_EVENTS;
    use std::fmt::Write;

    const HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n";

    fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, format!("{HEADER}{body}")).unwrap();
        p
    }

    #[test]
    fn reads_rows_rejects_and_merges_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(
            dir.path(),
            "a.csv",
            ",2019-01,F,F,-4.14,50.37,\"On or near A, B\",E01015023,Plymouth 003A,Burglary,,\n\
             x,2019-01,F,F,,,No Location,,,Drugs,,\n\
             y,2019-13,F,F,-4.14,50.37,L,E01015023,P,Drugs,,\n",
        );
        let b = write(dir.path(), "b.csv", "z,2019-02,F,F,-4.1,50.3,L,,,Arson,,\n");
        let got = read_police_uk(
            &[a.clone(), b],
            &CategoryMapping::default(),
            InputLimits::default(),
        )
        .unwrap();
        assert_eq!(got.read, 4);
        assert_eq!(got.events.len(), 3);
        assert_eq!(got.categories, ["Arson", "Burglary", "Drugs"]);
        assert_eq!(got.events[0].category, 1);
        assert_eq!(got.events[0].area_code.as_deref(), Some("E01015023"));
        assert_eq!(got.events[1].point, None);
        assert_eq!(got.events[1].area_code, None);
        assert_eq!(got.events[2].origin, RowRef { file: 1, line: 2 });
        assert_eq!(got.events[2].category, 0);
        assert_eq!(got.rejects.len(), 1);
        let r = &got.rejects[0];
        assert_eq!(
            (
                r.file.as_path(),
                r.line,
                r.column.as_deref(),
                r.value.as_str()
            ),
            (a.as_path(), 4, Some("Month"), "2019-13")
        );
        assert!(!got.has_timestamps);
        assert_eq!(got.crs, Crs::Wgs84);
    }

    #[test]
    fn wrong_header_shows_both() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("h.csv");
        std::fs::write(&p, "Crime ID,Month,Reported by\n").unwrap();
        let err =
            read_police_uk(&[p], &CategoryMapping::default(), InputLimits::default()).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("column 4 should be \"Falls within\""), "{msg}");
        assert!(
            msg.contains("found:    Crime ID,Month,Reported by"),
            "{msg}"
        );
    }

    /// Counts what it is handed: chunks, their sizes, and whether each chunk's category list
    /// extends the one before.
    #[derive(Default)]
    struct Chunks(std::sync::Mutex<Vec<(usize, Vec<String>)>>);

    impl EventSink for Chunks {
        type File = Vec<Event>;
        fn open(&self) -> Vec<Event> {
            Vec::new()
        }
        fn take(&self, file: &mut Vec<Event>, events: Vec<Event>, categories: &[String]) {
            self.0
                .lock()
                .unwrap()
                .push((events.len(), categories.to_vec()));
            file.extend(events);
        }
    }

    #[test]
    fn a_large_file_is_handed_over_in_chunks_with_the_same_events() {
        let dir = tempfile::tempdir().unwrap();
        let rows = 2 * CHUNK_EVENTS + 1000;
        let kinds = ["Burglary", "Drugs", "Arson", "Robbery"];
        let mut body = String::new();
        for i in 0..rows {
            // A new category appears in each chunk; every 1,000th row is rejected.
            let kind = kinds[(i / CHUNK_EVENTS + i % 2).min(3)];
            let month = if i % 1000 == 7 { "2019-13" } else { "2019-01" };
            writeln!(body, "c{i},{month},F,F,-4.14,50.37,L,E01015023,P,{kind},,").unwrap();
        }
        let path = write(dir.path(), "big.csv", &body);
        let sink = Chunks::default();
        let mapping = CategoryMapping::default();
        let streamed = read_police_uk_into(
            std::slice::from_ref(&path),
            &mapping,
            InputLimits::default(),
            &sink,
        )
        .unwrap();
        let chunks = sink.0.into_inner().unwrap();
        assert_eq!(chunks.len(), 3, "two full chunks and the rest");
        assert!(chunks.iter().all(|c| c.0 <= CHUNK_EVENTS));
        for pair in chunks.windows(2) {
            assert!(
                pair[1].1.starts_with(&pair[0].1),
                "category lists only grow"
            );
        }
        let whole = read_police_uk(&[path], &mapping, InputLimits::default()).unwrap();
        assert_eq!(streamed.read, rows as u64);
        assert_eq!(whole.read, rows as u64);
        assert_eq!(
            chunks.iter().map(|c| c.0).sum::<usize>() + whole.rejects.len(),
            rows
        );
        assert_eq!(streamed.collected(), whole, "chunked and whole reads agree");
    }
}
