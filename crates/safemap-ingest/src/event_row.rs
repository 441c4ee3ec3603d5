//! The rules that turn one mapped incident row into an [`Event`] or a [`Problem`], shared by
//! the CSV reader ([`crate::event_csv`]) and the Parquet reader ([`crate::event_parquet`]),
//! so that both read an [`EventCsvMapping`] into the same events and the same rejects.
//!
//! A reader finds each mapped column once per file ([`EventRows::columns`]), then hands
//! [`EventRows::event`] a way to get a column's text in the current row.

use crate::datetime::TimeFormat;
use crate::event_csv::EventCsvMapping;
use crate::postcodes::{locate, PostcodeLookup};
use crate::source::{
    read_in_parallel, EventSink, FileCategories, FileEvents, FileOut, Problem, SinkFile,
};
use crate::values::yes_no;
use crate::{CategoryMapping, IngestError, InputLimits, SourceRead};
use safemap_types::{Crs, Event, Flags, RejectReason, RowRef};
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// The file format of a mapped event source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MappedFormat {
    /// CSV ([`crate::event_csv::read_event_csv`]).
    Csv,
    /// Parquet ([`crate::event_parquet::read_event_parquet`]).
    Parquet,
    /// Point layers of any vector format GDAL reads (the `gdal` feature): the location is
    /// the point geometry, in columns [`crate::gdal_table::GEOMETRY_X`] and
    /// [`crate::gdal_table::GEOMETRY_Y`], in the layer's CRS (`mapping.crs` for a layer that
    /// declares none); the mapping's `layer` picks the layer of a file of several.
    #[cfg(feature = "gdal")]
    Gdal,
}

/// Reads mapped event files of `format` through `mapping` and its `categories`, handing the
/// events to `sink` a chunk at a time.
///
/// # Errors
///
/// Those of [`crate::event_csv::read_event_csv`] or
/// [`crate::event_parquet::read_event_parquet`].
pub fn read_mapped_into<S: EventSink>(
    format: MappedFormat,
    files: &[PathBuf],
    (mapping, categories): (&EventCsvMapping, &CategoryMapping),
    limits: InputLimits,
    postcodes: Option<PostcodeLookup<'_>>,
    sink: &S,
) -> Result<SourceRead<Vec<SinkFile<S::File>>>, IngestError> {
    let rows = EventRows::new(mapping, postcodes)?;
    let kind = (mapping.crs, rows.format.has_time_of_day);
    read_in_parallel(files, categories, kind, sink, |i, path, out| match format {
        MappedFormat::Csv => {
            crate::event_csv::read_file(i, path, (&rows, categories), limits, mapping.dialect, out)
        }
        MappedFormat::Parquet => crate::event_parquet::read_file(i, path, &rows, limits, out),
        #[cfg(feature = "gdal")]
        MappedFormat::Gdal => crate::event_gdal::read_file(i, path, &rows, out),
    })
}

/// The mapped columns of one file, each as the reader's handle `T` with its name.
pub(crate) struct MappedColumns<'m, T> {
    x: (T, &'m str),
    y: (T, &'m str),
    time: (T, &'m str),
    category: (T, &'m str),
    area_code: Option<(T, &'m str)>,
    postcode: Option<(T, &'m str)>,
    flags: Vec<(T, &'m str, Flags)>,
}

/// A mapping with its checked time format and postcode lookup: what makes a row an event.
#[derive(Clone)]
pub(crate) struct EventRows<'m> {
    mapping: &'m EventCsvMapping,
    /// The CRS of x and y: the mapping's, or a GDAL layer's own.
    crs: Crs,
    /// The mapping's `time_format`, checked.
    pub(crate) format: TimeFormat,
    postcodes: Option<PostcodeLookup<'m>>,
}

impl<'m> EventRows<'m> {
    /// Checks the mapping's time format.
    pub(crate) fn new(
        mapping: &'m EventCsvMapping,
        postcodes: Option<PostcodeLookup<'m>>,
    ) -> Result<Self, IngestError> {
        Ok(Self {
            mapping,
            crs: mapping.crs,
            format: TimeFormat::new(&mapping.time_format)?,
            postcodes,
        })
    }

    /// The CRS of x and y.
    #[cfg(feature = "gdal")]
    pub(crate) fn crs(&self) -> Crs {
        self.crs
    }

    /// These rules for a file whose x and y are in `crs`.
    #[cfg(feature = "gdal")]
    pub(crate) fn in_crs(&self, crs: Crs) -> Self {
        Self {
            crs,
            ..self.clone()
        }
    }

    /// The mapping's `layer`: which layer of a GDAL file to read.
    #[cfg(feature = "gdal")]
    pub(crate) fn layer(&self) -> Option<&'m str> {
        self.mapping.layer.as_deref()
    }

    /// Finds every mapped column with `find` (which names the file and its columns when one
    /// is missing): x, y, time, category, then the optional area code, postcode and flags.
    pub(crate) fn columns<T>(
        &self,
        mut find: impl FnMut(&'m str) -> Result<T, IngestError>,
    ) -> Result<MappedColumns<'m, T>, IngestError> {
        let m = self.mapping;
        let mut named = |name: &'m String| find(name).map(|t| (t, name.as_str()));
        Ok(MappedColumns {
            x: named(&m.x)?,
            y: named(&m.y)?,
            time: named(&m.time)?,
            category: named(&m.category)?,
            area_code: m.area_code.as_ref().map(&mut named).transpose()?,
            postcode: m.postcode.as_ref().map(&mut named).transpose()?,
            flags: [
                (&m.domestic_abuse, Flags::DOMESTIC_ABUSE),
                (&m.alcohol, Flags::ALCOHOL),
                (&m.weapon, Flags::WEAPON),
            ]
            .into_iter()
            .filter_map(|(column, flag)| {
                column
                    .as_ref()
                    .map(|c| named(c).map(|(t, name)| (t, name, flag)))
            })
            .collect::<Result<_, _>>()?,
        })
    }

    /// Every row of a file that is a table (Parquet, a GDAL layer) of `height` rows, whose
    /// columns' text `get(row, column, name)` gives (rows 0-based), as an event or a reject:
    /// row `r` is line `r + 1` of file `index` at `path`. Returns what `out` makes of them.
    pub(crate) fn read_table<'r, T, S: EventSink>(
        &self,
        (index, path): (u32, &Path),
        cols: &MappedColumns<'m, T>,
        (height, get): (usize, impl Fn(usize, &T) -> Cow<'r, str>),
        mut out: FileOut<'_, S>,
    ) -> Result<FileEvents<S::File>, IngestError> {
        let mut rejects = Vec::new();
        for row in 0..height {
            let line = row as u64 + 1;
            let text = |column: &T, _: &str| Ok(get(row, column));
            let origin = RowRef { file: index, line };
            let FileOut {
                cats,
                placed_by_postcode,
                ..
            } = &mut out;
            match self.event(cols, text, origin, cats, placed_by_postcode) {
                Ok(event) => out.push(event),
                Err(problem) => rejects.push(problem.into_reject(path, line)),
            }
        }
        out.finish(path, rejects, height as u64)
    }

    /// The event of one row, whose columns' text `get` gives (trimmed, `""` for a missing
    /// value), or the first problem found, in the order: location, time, flags, category
    /// (see [`crate::event_csv::read_event_csv`]). Adds 1 to `by_postcode` when the row was
    /// placed by its postcode.
    pub(crate) fn event<'r, T>(
        &self,
        cols: &MappedColumns<'m, T>,
        get: impl Fn(&T, &str) -> Result<Cow<'r, str>, Problem>,
        origin: RowRef,
        categories: &mut FileCategories<'_>,
        by_postcode: &mut u64,
    ) -> Result<Event, Problem> {
        let text = |(column, name): &(T, &str)| get(column, name);
        let (x, y) = (text(&cols.x)?, text(&cols.y)?);
        let point = crate::coords::check_coord(&x, &y, (cols.x.1, cols.y.1), self.crs)?;
        let postcode = cols
            .postcode
            .as_ref()
            .map(|c| text(c).map(|t| (t, c.1)))
            .transpose()?;
        let located = locate(
            point,
            postcode.as_ref().map(|(t, name)| (t.as_ref(), *name)),
            self.postcodes,
        )?;
        let time_text = text(&cols.time)?;
        let time = self.format.parse(&time_text).ok_or_else(|| {
            Problem::at(
                cols.time.1,
                &time_text,
                RejectReason::BadDate {
                    expected: self.format.text.clone(),
                },
            )
        })?;
        let mut flags = Flags::empty();
        for (column, name, flag) in &cols.flags {
            flags.set(*flag, yes_no(&get(column, name)?, name)?);
        }
        let area_code = match &cols.area_code {
            _ if self.postcodes.is_some_and(|p| p.lsoa_as_area_code) => located.area_code,
            Some(c) => {
                let code = text(c)?;
                (!code.is_empty()).then(|| code.as_ref().into())
            }
            None => None,
        };
        // Last, so that only rows that become events add categories.
        let category = categories.resolve(cols.category.1, &text(&cols.category)?)?;
        *by_postcode += u64::from(located.by_postcode);
        Ok(Event {
            origin,
            point: located.point,
            area_code,
            time,
            category,
            flags,
        })
    }
}
