//! [`read_ed`]: emergency department assault records (the NHS Information Sharing to Tackle
//! Violence (ISTV) minimum data set, "Cardiff Model" data).

use crate::coords::check_coord;
use crate::csv_records::MAX_RECORD_LINES;
use crate::datetime::{date_and_time, timestamp};
use crate::dialect::CsvDialect;
use crate::grid_ref::parse_grid_ref;
use crate::open::{field, CsvInput};
use crate::postcodes::{locate, PostcodeLookup};
use crate::source::{read_in_parallel, Collect, EventSink, FileEvents, FileOut, Problem, SinkFile};
use crate::values::yes_no;
use crate::{CategoryMapping, IngestError, InputLimits, SourceRead};
use safemap_types::{
    AssaultMethod, CheckedCoord, Crs, Event, EventTime, Flags, RejectReason, RowRef,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Column names and formats of an ED (ISTV) CSV. Every field has a default equal to the
/// standard layout, so the study file only lists what differs:
///
/// `attendance_id,arrival_date,arrival_time,assault_date,assault_time,assault_method,location_type,location_text,alcohol,grid_ref,easting,northing,postcode`
///
/// `attendance_id` and `location_text` are never read (the free text may identify people).
/// At least one location must be in the header: `grid_ref`, both `easting` and `northing`,
/// or `postcode`; the others may be absent.
///
/// ```
/// let m: safemap_ingest::EdMapping = serde_json::from_str(r#"{"alcohol": "alcohol_involved"}"#).unwrap();
/// assert_eq!(m.alcohol, "alcohol_involved");
/// assert_eq!(m.grid_ref, "grid_ref");
/// assert_eq!(m.date_format, "%Y-%m-%d");
/// ```
#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct EdMapping {
    /// Attendance identifier column (not read).
    pub attendance_id: String,
    /// Arrival date column.
    pub arrival_date: String,
    /// Arrival time column.
    pub arrival_time: String,
    /// Assault date column.
    pub assault_date: String,
    /// Assault time column.
    pub assault_time: String,
    /// Assault method column: its values go through the method table ([`Self::method_table`])
    /// and set the weapon flag (`unarmed_methods`).
    pub assault_method: String,
    /// Location type column (the category: street, pub_club, home, other, ...).
    pub location_type: String,
    /// Free-text location column (not read).
    pub location_text: String,
    /// Alcohol flag column (yes/no).
    pub alcohol: String,
    /// OS grid reference column.
    pub grid_ref: String,
    /// Easting column (British National Grid), used when `grid_ref` is empty.
    pub easting: String,
    /// Northing column (British National Grid), used when `grid_ref` is empty.
    pub northing: String,
    /// Postcode column, used when the grid reference and easting/northing are empty (see
    /// [`crate::postcodes`]).
    pub postcode: String,
    /// chrono format of the date columns (default `%Y-%m-%d`).
    pub date_format: String,
    /// chrono format of the time columns (default `%H:%M`).
    pub time_format: String,
    /// Assault methods that do **not** set the weapon flag, compared case-insensitively after
    /// trimming. Default: the values [`DEFAULT_METHODS`] puts under `body` or `not_recorded`
    /// (`none, body, hands_feet, unarmed, unknown, fist, kick, ...`) and empty.
    pub unarmed_methods: Vec<String>,
    /// Further values of `assault_method` and their category, added to (and overriding) the
    /// defaults of [`DEFAULT_METHODS`]: `methods = { "stanley knife" = "knife_or_sharp_object" }`.
    /// Values are compared after [`method_key`] (case, spaces and punctuation ignored).
    pub methods: BTreeMap<String, AssaultMethod>,
    /// The files' encoding and delimiter (default UTF-8 and `,`). Not a column: the study
    /// sets it from the source's `encoding` and `delimiter`.
    #[serde(skip)]
    pub dialect: CsvDialect,
}

/// The default method table: raw `assault_method` values (as [`method_key`] writes them)
/// and their category. Values it does not list are [`AssaultMethod::Other`]; an empty value
/// is [`AssaultMethod::NotRecorded`]. It covers the synthetic city's values (`none`, `body`,
/// `knife`, `blunt_object`, `glass_bottle`, `firearm`, `other_weapon`) and common spellings.
pub const DEFAULT_METHODS: &[(&str, AssaultMethod)] = {
    use AssaultMethod::{BluntObject, Body, GlassOrBottle, KnifeOrSharpObject, NotRecorded};
    &[
        ("knife", KnifeOrSharpObject),
        ("knives", KnifeOrSharpObject),
        ("knife_or_sharp_object", KnifeOrSharpObject),
        ("sharp", KnifeOrSharpObject),
        ("sharp_object", KnifeOrSharpObject),
        ("blade", KnifeOrSharpObject),
        ("stabbed", KnifeOrSharpObject),
        ("glass", GlassOrBottle),
        ("bottle", GlassOrBottle),
        ("glass_bottle", GlassOrBottle),
        ("glass_or_bottle", GlassOrBottle),
        ("glass_and_bottle", GlassOrBottle),
        ("glassed", GlassOrBottle),
        ("blunt", BluntObject),
        ("blunt_object", BluntObject),
        ("blunt_instrument", BluntObject),
        ("bat", BluntObject),
        ("club", BluntObject),
        ("stick", BluntObject),
        ("body", Body),
        ("body_part", Body),
        ("hands_feet", Body),
        ("hands", Body),
        ("feet", Body),
        ("fist", Body),
        ("fists", Body),
        ("punch", Body),
        ("kick", Body),
        ("head", Body),
        ("headbutt", Body),
        ("unarmed", Body),
        ("none", NotRecorded),
        ("unknown", NotRecorded),
        ("not_known", NotRecorded),
        ("not_recorded", NotRecorded),
        ("not_stated", NotRecorded),
        ("", NotRecorded),
    ]
};

/// How a method value is compared: lower case, every run of characters other than
/// letters and digits as one `_`, none at either end (`"Hands / Feet"` is `hands_feet`).
pub fn method_key(value: &str) -> String {
    let mut key = String::new();
    for c in value.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    key.trim_end_matches('_').to_string()
}

impl EdMapping {
    /// The method table in use: [`DEFAULT_METHODS`] overlaid with [`Self::methods`], keyed
    /// by [`method_key`].
    pub fn method_table(&self) -> BTreeMap<String, AssaultMethod> {
        let mut table: BTreeMap<String, AssaultMethod> = DEFAULT_METHODS
            .iter()
            .map(|&(k, m)| (k.to_string(), m))
            .collect();
        table.extend(self.methods.iter().map(|(k, &m)| (method_key(k), m)));
        table
    }
}

/// The category of a raw method value through `table` ([`EdMapping::method_table`]).
fn method_of(table: &BTreeMap<String, AssaultMethod>, value: &str) -> AssaultMethod {
    table
        .get(&method_key(value))
        .copied()
        .unwrap_or(AssaultMethod::Other)
}

impl Default for EdMapping {
    fn default() -> Self {
        let s = str::to_string;
        Self {
            attendance_id: s("attendance_id"),
            arrival_date: s("arrival_date"),
            arrival_time: s("arrival_time"),
            assault_date: s("assault_date"),
            assault_time: s("assault_time"),
            assault_method: s("assault_method"),
            location_type: s("location_type"),
            location_text: s("location_text"),
            alcohol: s("alcohol"),
            grid_ref: s("grid_ref"),
            easting: s("easting"),
            northing: s("northing"),
            postcode: s("postcode"),
            date_format: s("%Y-%m-%d"),
            time_format: s("%H:%M"),
            unarmed_methods: DEFAULT_METHODS
                .iter()
                .filter(|(_, m)| matches!(m, AssaultMethod::Body | AssaultMethod::NotRecorded))
                .map(|(k, _)| s(k))
                .collect(),
            dialect: CsvDialect::default(),
            methods: BTreeMap::new(),
        }
    }
}

/// Reads ED assault CSV files through `mapping`. Points are British National Grid.
///
/// - **Location**: from `grid_ref` (see [`parse_grid_ref`]; the south-west corner of the
///   square it names), or, when `grid_ref` is empty, from `easting`/`northing`, or, when
///   those are empty too, from `postcode` through `postcodes` (see [`crate::postcodes`] for
///   its rejects and for `postcode_lsoa`). A malformed grid reference is rejected with
///   `BadGridReference`; when all location fields are empty the event has `point: None`
///   (the engine decides).
/// - **Time**: assault date + assault time. When either of them is empty (patients often
///   cannot say when), the arrival date + arrival time is used instead, so the event is
///   placed at the time the patient reached the ED. A value not matching the format is
///   rejected with `BadDate`; missing arrival fields in that case are `MissingValue`.
/// - **Category**: `location_type`, through `categories`.
/// - **Flags**: `alcohol` (yes/no) sets [`Flags::ALCOHOL`], and [`Flags::ALCOHOL_RECORDED`]
///   unless it is empty; an `assault_method` not in `unarmed_methods` sets
///   [`Flags::WEAPON`]; the method's category ([`EdMapping::method_table`]) is kept with
///   [`Flags::set_method`].
///
/// A row with several problems is rejected for the first found, in the order: location,
/// time, flags, category.
///
/// # Errors
///
/// [`IngestError::MissingColumn`] for a mapped column not in the header, a limit passed
/// ([`InputLimits`]), and I/O errors.
pub fn read_ed(
    files: &[PathBuf],
    mapping: &EdMapping,
    categories: &CategoryMapping,
    limits: InputLimits,
    postcodes: Option<PostcodeLookup<'_>>,
) -> Result<SourceRead, IngestError> {
    read_ed_into(files, mapping, categories, limits, postcodes, &Collect).map(SourceRead::collected)
}

/// [`read_ed`], handing the events to `sink` a chunk at a time.
///
/// # Errors
///
/// Those of [`read_ed`].
pub fn read_ed_into<S: EventSink>(
    files: &[PathBuf],
    mapping: &EdMapping,
    categories: &CategoryMapping,
    limits: InputLimits,
    postcodes: Option<PostcodeLookup<'_>>,
    sink: &S,
) -> Result<SourceRead<Vec<SinkFile<S::File>>>, IngestError> {
    let unarmed: Vec<String> = mapping
        .unarmed_methods
        .iter()
        .map(|m| m.trim().to_lowercase())
        .collect();
    let methods = mapping.method_table();
    let methods = Methods {
        unarmed: &unarmed,
        table: &methods,
    };
    read_in_parallel(
        files,
        categories,
        (Crs::BritishNationalGrid, true),
        sink,
        |i, path, out| read_file(i, path, (mapping, &methods), limits, postcodes, out),
    )
}

/// How method values are read: which set no weapon flag, and their categories.
struct Methods<'a> {
    unarmed: &'a [String],
    table: &'a BTreeMap<String, AssaultMethod>,
}

fn read_file<S: EventSink>(
    index: u32,
    path: &Path,
    (m, methods): (&EdMapping, &Methods<'_>),
    limits: InputLimits,
    postcodes: Option<PostcodeLookup<'_>>,
    mut out: FileOut<'_, S>,
) -> Result<FileEvents<S::File>, IngestError> {
    let input = CsvInput::open_with(path, MAX_RECORD_LINES, limits, m.dialect)?;
    let arrival_date = input.column(&m.arrival_date)?;
    let arrival_time = input.column(&m.arrival_time)?;
    let assault_date = input.column(&m.assault_date)?;
    let assault_time = input.column(&m.assault_time)?;
    let method = input.column(&m.assault_method)?;
    let location_type = input.column(&m.location_type)?;
    let alcohol = input.column(&m.alcohol)?;
    // The grid reference, both easting and northing, or the postcode must be there; when
    // none is, the missing grid reference column is reported.
    let en = input
        .column(&m.easting)
        .and_then(|e| Ok((e, input.column(&m.northing)?)));
    let postcode = input.has_column(&m.postcode);
    let (grid_ref, en) = match (input.column(&m.grid_ref), en) {
        (Err(e), Err(_)) if postcode.is_none() => return Err(e),
        (g, en) => (g.ok(), en.ok()),
    };
    let mut rejects = Vec::new();
    let read = input.for_each_row(&mut rejects, |rec, line| {
        let point = location(rec, m, grid_ref, en)?;
        let postcode = postcode
            .map(|i| field(rec, i, &m.postcode).map(|text| (text, m.postcode.as_str())))
            .transpose()?;
        let located = locate(point, postcode, postcodes)?;
        let time = when(
            rec,
            m,
            [assault_date, assault_time, arrival_date, arrival_time],
        )?;
        let mut flags = Flags::empty();
        let alcohol_text = field(rec, alcohol, &m.alcohol)?;
        flags.set(Flags::ALCOHOL, yes_no(alcohol_text, &m.alcohol)?);
        flags.set(Flags::ALCOHOL_RECORDED, !alcohol_text.trim().is_empty());
        let raw_method = field(rec, method, &m.assault_method)?;
        let method = raw_method.to_lowercase();
        flags.set(Flags::WEAPON, !methods.unarmed.contains(&method));
        flags.set_method(method_of(methods.table, raw_method));
        // Last, so that only rows that become events add categories.
        let category = out.cats.resolve(
            &m.location_type,
            field(rec, location_type, &m.location_type)?,
        )?;
        out.placed_by_postcode += u64::from(located.by_postcode);
        out.push(Event {
            origin: RowRef { file: index, line },
            point: located.point,
            area_code: located.area_code,
            time,
            category,
            flags,
        });
        Ok(())
    })?;
    out.finish(path, rejects, read)
}

/// The row's point from the grid reference, else from easting/northing.
fn location(
    rec: &csv::ByteRecord,
    m: &EdMapping,
    grid_ref: Option<usize>,
    en: Option<(usize, usize)>,
) -> Result<Option<CheckedCoord>, Problem> {
    if let Some(g) = grid_ref {
        let text = field(rec, g, &m.grid_ref)?;
        if !text.is_empty() {
            let (e, n) = parse_grid_ref(text)
                .ok_or_else(|| Problem::at(&m.grid_ref, text, RejectReason::BadGridReference))?;
            return CheckedCoord::new(e, n, Crs::BritishNationalGrid)
                .map(Some)
                .map_err(|_| Problem::at(&m.grid_ref, text, RejectReason::OutsideGrid));
        }
    }
    match en {
        Some((e, n)) => check_coord(
            field(rec, e, &m.easting)?,
            field(rec, n, &m.northing)?,
            (&m.easting, &m.northing),
            Crs::BritishNationalGrid,
        ),
        None => Ok(None),
    }
}

/// Assault date + time, or arrival date + time when either assault field is empty.
fn when(rec: &csv::ByteRecord, m: &EdMapping, cols: [usize; 4]) -> Result<EventTime, Problem> {
    let names = [
        &m.assault_date,
        &m.assault_time,
        &m.arrival_date,
        &m.arrival_time,
    ];
    let mut text = [""; 4];
    for (k, (&c, name)) in cols.iter().zip(names).enumerate() {
        text[k] = field(rec, c, name)?;
    }
    let (d, t) = if text[0].is_empty() || text[1].is_empty() {
        (2, 3)
    } else {
        (0, 1)
    };
    for k in [d, t] {
        if text[k].is_empty() {
            return Err(Problem::at(names[k], "", RejectReason::MissingValue));
        }
    }
    match date_and_time(text[d], &m.date_format, text[t], &m.time_format) {
        (Some(date), Some(time)) => Ok(timestamp(date, time)),
        (None, _) => Err(Problem::at(
            names[d],
            text[d],
            RejectReason::BadDate {
                expected: m.date_format.clone(),
            },
        )),
        (_, None) => Err(Problem::at(
            names[t],
            text[t],
            RejectReason::BadDate {
                expected: m.time_format.clone(),
            },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "attendance_id,arrival_date,arrival_time,assault_date,assault_time,assault_method,location_type,location_text,alcohol,grid_ref,easting,northing\n";

    #[test]
    fn reads_locations_times_and_flags() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ed.csv");
        std::fs::write(
            &p,
            format!(
                "{HEADER}\
                 A1,2024-03-16,01:30,2024-03-15,23:50,knife,pub_club,The Bar,yes,SX 47123 54321,,\n\
                 A2,2024-03-16,02:10,2024-03-16,,hands_feet,street,,no,,248100,54500\n\
                 A3,2024-03-16,02:10,,,Body,home,,,,,\n\
                 A4,2024-03-16,02:10,2024-03-16,01:00,none,street,,no,ZZ 1 2,,\n\
                 A5,2024-03-16,02:10,16/03/2024,01:00,none,street,,no,,,\n\
                 A6,,,,,none,street,,no,,,\n"
            ),
        )
        .unwrap();
        let got = read_ed(
            &[p],
            &EdMapping::default(),
            &CategoryMapping::default(),
            InputLimits::default(),
            None,
        )
        .unwrap();
        assert_eq!((got.read, got.events.len(), got.rejects.len()), (6, 3, 3));
        assert_eq!(got.crs, Crs::BritishNationalGrid);
        let e = &got.events;
        assert_eq!(
            e[0].point.map(|p| (p.x(), p.y())),
            Some((247_123.0, 54_321.0))
        );
        assert_eq!(e[0].time.to_string(), "2024-03-15T23:50:00");
        assert!(e[0].flags.contains(Flags::ALCOHOL | Flags::WEAPON));
        assert_eq!(
            e[1].point.map(|p| (p.x(), p.y())),
            Some((248_100.0, 54_500.0))
        );
        assert_eq!(
            e[1].time.to_string(),
            "2024-03-16T02:10:00",
            "arrival time used"
        );
        assert!(!e[1].flags.contains(Flags::WEAPON) && !e[1].flags.contains(Flags::ALCOHOL));
        assert!(
            e[1].flags.contains(Flags::ALCOHOL_RECORDED),
            "no is recorded"
        );
        assert_eq!(e[0].flags.method(), AssaultMethod::KnifeOrSharpObject);
        assert_eq!(e[1].flags.method(), AssaultMethod::Body);
        assert_eq!(e[2].point, None);
        assert!(
            !e[2].flags.contains(Flags::WEAPON),
            "Body is unarmed, case-insensitively"
        );
        assert!(
            !e[2].flags.contains(Flags::ALCOHOL_RECORDED),
            "empty alcohol is not recorded"
        );
        assert_eq!(e[2].flags.method(), AssaultMethod::Body);
        assert_eq!(got.categories, ["home", "pub_club", "street"]);
        let r = &got.rejects;
        assert_eq!(
            (r[0].line, r[0].reason.clone()),
            (5, RejectReason::BadGridReference)
        );
        assert_eq!(
            (r[1].column.as_deref(), r[1].value.as_str()),
            (Some("assault_date"), "16/03/2024")
        );
        assert_eq!(
            (r[2].column.as_deref(), r[2].reason.clone()),
            (Some("arrival_date"), RejectReason::MissingValue)
        );
    }

    #[test]
    fn method_values_map_to_categories_through_the_table() {
        let m: EdMapping = serde_json::from_str(
            r#"{"methods": {"Stanley Knife": "knife_or_sharp_object", "bat": "other"}}"#,
        )
        .unwrap();
        let table = m.method_table();
        for (raw, want) in [
            ("Knife", AssaultMethod::KnifeOrSharpObject),
            ("stanley  knife", AssaultMethod::KnifeOrSharpObject),
            ("Glass / Bottle", AssaultMethod::GlassOrBottle),
            ("glass_bottle", AssaultMethod::GlassOrBottle),
            ("Blunt object", AssaultMethod::BluntObject),
            ("bat", AssaultMethod::Other),
            ("Hands/Feet", AssaultMethod::Body),
            ("fist", AssaultMethod::Body),
            ("firearm", AssaultMethod::Other),
            ("other_weapon", AssaultMethod::Other),
            ("spoon", AssaultMethod::Other),
            ("none", AssaultMethod::NotRecorded),
            (" ", AssaultMethod::NotRecorded),
        ] {
            assert_eq!(method_of(&table, raw), want, "{raw:?}");
        }
        assert_eq!(method_key("  Hands / Feet "), "hands_feet");
        let bad = serde_json::from_str::<EdMapping>(r#"{"methods": {"x": "spoon"}}"#).unwrap_err();
        assert!(bad.to_string().contains("knife_or_sharp_object"), "{bad}");
        let unarmed = EdMapping::default().unarmed_methods;
        assert!(["fist", "kick", "none", "body", "hands_feet", ""]
            .iter()
            .all(|u| unarmed.contains(&u.to_string())));
        assert!(!unarmed.contains(&"knife".to_string()));
    }

    #[test]
    fn location_columns_are_required_together() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ed.csv");
        std::fs::write(&p, "arrival_date,arrival_time,assault_date,assault_time,assault_method,location_type,alcohol,easting\n").unwrap();
        let err = read_ed(
            &[p],
            &EdMapping::default(),
            &CategoryMapping::default(),
            InputLimits::default(),
            None,
        )
        .unwrap_err();
        assert!(
            matches!(&err, IngestError::MissingColumn { column, .. } if column == "grid_ref"),
            "{err}"
        );
    }
}
