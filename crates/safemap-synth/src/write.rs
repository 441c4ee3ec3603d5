//! [`City::write_to`]: every input file a study needs, plus the ground truth.

use crate::city::City;
use crate::error::SynthError;
use crate::grid_ref::format_grid_ref;
use chrono::Datelike;
use safemap_types::PreventionTier;
use std::fs;
use std::path::{Path, PathBuf};

/// `Reported by` and `Falls within` of the police.uk files.
pub const FORCE_NAME: &str = "Synthshire Police";

/// The header of the data.police.uk street-level files.
pub use safemap_types::formats::POLICE_UK_COLUMNS as POLICE_UK_HEADER;
/// The header of `force.csv`.
pub const FORCE_HEADER: [&str; 6] = [
    "incident_id",
    "occurred_at",
    "easting",
    "northing",
    "offence",
    "domestic_abuse",
];
/// The header of `ed.csv`.
pub const ED_HEADER: [&str; 12] = [
    "attendance_id",
    "arrival_date",
    "arrival_time",
    "assault_date",
    "assault_time",
    "assault_method",
    "location_type",
    "location_text",
    "alcohol",
    "grid_ref",
    "easting",
    "northing",
];
/// The header of `services.csv`.
pub const SERVICES_HEADER: [&str; 7] =
    ["name", "kind", "tier", "x", "y", "capacity", "confidential"];
/// The header of `population.csv`.
pub const POPULATION_HEADER: [&str; 2] = ["code", "population"];
/// The header of `deprivation.csv`.
pub const DEPRIVATION_HEADER: [&str; 2] = ["code", "imd_decile"];

/// The files [`City::write_to`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CityFiles {
    /// The folder everything is in.
    pub dir: PathBuf,
    /// `police/YYYY-MM-synth-street.csv`, one per month, in month order.
    pub police_uk: Vec<PathBuf>,
    /// `force.csv`.
    pub force: PathBuf,
    /// `ed.csv`.
    pub ed: PathBuf,
    /// `services.csv`.
    pub services: PathBuf,
    /// `population.csv`.
    pub population: PathBuf,
    /// `deprivation.csv`.
    pub deprivation: PathBuf,
    /// `boundaries.geojson`.
    pub boundaries: PathBuf,
    /// `ground_truth.json`.
    pub ground_truth: PathBuf,
}

impl CityFiles {
    /// Every file, police.uk months first.
    pub fn all(&self) -> Vec<&Path> {
        let mut v: Vec<&Path> = self.police_uk.iter().map(PathBuf::as_path).collect();
        v.extend(
            [
                &self.force,
                &self.ed,
                &self.services,
                &self.population,
                &self.deprivation,
                &self.boundaries,
                &self.ground_truth,
            ]
            .map(PathBuf::as_path),
        );
        v
    }
}

/// Collects CSV records in memory, then writes them in one go.
struct CsvFile {
    path: PathBuf,
    w: csv::Writer<Vec<u8>>,
}

impl CsvFile {
    fn new(path: PathBuf, header: &[&str]) -> Result<Self, SynthError> {
        let w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let mut f = Self { path, w };
        f.row(header)?;
        Ok(f)
    }

    fn row<S: AsRef<[u8]>>(&mut self, fields: &[S]) -> Result<(), SynthError> {
        self.w
            .write_record(fields)
            .map_err(|source| SynthError::Csv {
                path: self.path.clone(),
                source,
            })
    }

    fn finish(self) -> Result<PathBuf, SynthError> {
        let Self { path, w } = self;
        let bytes = w.into_inner().map_err(|e| SynthError::Write {
            path: path.clone(),
            source: e.into_error(),
        })?;
        write_file(&path, &bytes)?;
        Ok(path)
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), SynthError> {
    fs::write(path, bytes).map_err(|source| SynthError::Write {
        path: path.to_path_buf(),
        source,
    })
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

impl City {
    /// Writes every file into `dir` (created if missing; files of the same name are
    /// replaced, other files are left alone):
    ///
    /// | file | content |
    /// |---|---|
    /// | `police/YYYY-MM-synth-street.csv` | data.police.uk street-level crime, one file per month, WGS84 |
    /// | `force.csv` | the force's violence-related extract: timestamps, BNG, domestic-abuse flag |
    /// | `ed.csv` | ED assault attendances (ISTV): grid references or easting/northing |
    /// | `services.csv` | the service register, BNG |
    /// | `population.csv`, `deprivation.csv` | residents and IMD decile per area code |
    /// | `boundaries.geojson` | the areas, EPSG:27700 |
    /// | `ground_truth.json` | what was planted where |
    pub fn write_to(&self, dir: &Path) -> Result<CityFiles, SynthError> {
        let police_dir = dir.join("police");
        fs::create_dir_all(&police_dir).map_err(|source| SynthError::CreateDir {
            path: police_dir.clone(),
            source,
        })?;
        Ok(CityFiles {
            dir: dir.to_path_buf(),
            police_uk: self.write_police_uk(&police_dir)?,
            force: self.write_force(dir.join("force.csv"))?,
            ed: self.write_ed(dir.join("ed.csv"))?,
            services: self.write_services(dir.join("services.csv"))?,
            population: self.write_population(dir.join("population.csv"))?,
            deprivation: self.write_deprivation(dir.join("deprivation.csv"))?,
            boundaries: {
                let path = dir.join("boundaries.geojson");
                write_file(&path, self.boundaries_geojson().as_bytes())?;
                path
            },
            ground_truth: {
                let path = dir.join("ground_truth.json");
                let mut json =
                    serde_json::to_string_pretty(&self.ground_truth).map_err(|source| {
                        SynthError::Json {
                            path: path.clone(),
                            source,
                        }
                    })?;
                json.push('\n');
                write_file(&path, json.as_bytes())?;
                path
            },
        })
    }

    fn write_police_uk(&self, dir: &Path) -> Result<Vec<PathBuf>, SynthError> {
        // Longitude/latitude of every map point, converted once.
        let mut lonlat: Vec<Vec<(String, String)>> = Vec::with_capacity(self.areas.len());
        for a in &self.areas {
            let mut v = Vec::with_capacity(a.map_points.len());
            for m in &a.map_points {
                let ll = safemap_geo::bng_to_wgs84(m.point).map_err(|_| SynthError::Reproject {
                    easting: m.point.x,
                    northing: m.point.y,
                })?;
                v.push((format!("{:.6}", ll.x), format!("{:.6}", ll.y)));
            }
            lonlat.push(v);
        }
        let (y0, m0) = self.params.get_start();
        let first = y0 * 12 + m0 as i32 - 1;
        let months = self.params.get_months() as usize;
        let mut by_month: Vec<Vec<usize>> = vec![Vec::new(); months];
        for (i, r) in self.police.iter().enumerate() {
            let k = r.occurred_at.year() * 12 + r.occurred_at.month0() as i32 - first;
            if let Some(v) = usize::try_from(k).ok().and_then(|k| by_month.get_mut(k)) {
                v.push(i);
            }
        }
        let mut paths = Vec::with_capacity(months);
        for (k, rows) in by_month.iter().enumerate() {
            let idx = first + k as i32;
            let label = format!("{:04}-{:02}", idx.div_euclid(12), idx.rem_euclid(12) + 1);
            let mut f = CsvFile::new(
                dir.join(format!("{label}-synth-street.csv")),
                &POLICE_UK_HEADER,
            )?;
            for &i in rows {
                let r = &self.police[i];
                let area = &self.areas[r.area.index()];
                let (lon, lat, location, code, name) = match r.map_point {
                    Some(m) => {
                        let (lon, lat) = &lonlat[r.area.index()][m];
                        let location = format!("On or near {}", area.map_points[m].name);
                        (
                            lon.as_str(),
                            lat.as_str(),
                            location,
                            area.area.code.as_str(),
                            area.area.name.as_str(),
                        )
                    }
                    None => ("", "", "No location".to_string(), "", ""),
                };
                f.row(&[
                    r.crime_id.as_deref().unwrap_or(""),
                    &label,
                    FORCE_NAME,
                    FORCE_NAME,
                    lon,
                    lat,
                    &location,
                    code,
                    name,
                    r.offence.police_uk_category(),
                    r.outcome.unwrap_or(""),
                    "",
                ])?;
            }
            paths.push(f.finish()?);
        }
        Ok(paths)
    }

    fn write_force(&self, path: PathBuf) -> Result<PathBuf, SynthError> {
        let mut f = CsvFile::new(path, &FORCE_HEADER)?;
        for r in self.force_rows() {
            f.row(&[
                r.incident_id.as_deref().unwrap_or(""),
                &r.occurred_at.format("%Y-%m-%d %H:%M").to_string(),
                &format!("{:.1}", r.point.x),
                &format!("{:.1}", r.point.y),
                r.offence.force_name().unwrap_or(""),
                yes_no(r.domestic_abuse),
            ])?;
        }
        f.finish()
    }

    fn write_ed(&self, path: PathBuf) -> Result<PathBuf, SynthError> {
        let mut f = CsvFile::new(path, &ED_HEADER)?;
        for r in &self.ed {
            let (grid_ref, e, n) = if r.as_grid_ref {
                (
                    format_grid_ref(r.point.x, r.point.y)?,
                    String::new(),
                    String::new(),
                )
            } else {
                (
                    String::new(),
                    format!("{:.0}", r.point.x),
                    format!("{:.0}", r.point.y),
                )
            };
            f.row(&[
                r.attendance_id.as_str(),
                &r.arrival_at.format("%Y-%m-%d").to_string(),
                &r.arrival_at.format("%H:%M").to_string(),
                &r.assault_at.format("%Y-%m-%d").to_string(),
                &r.assault_at.format("%H:%M").to_string(),
                r.method.as_str(),
                r.location_type.as_str(),
                &r.location_text,
                yes_no(r.alcohol),
                &grid_ref,
                &e,
                &n,
            ])?;
        }
        f.finish()
    }

    fn write_services(&self, path: PathBuf) -> Result<PathBuf, SynthError> {
        let mut f = CsvFile::new(path, &SERVICES_HEADER)?;
        for s in &self.services {
            f.row(&[
                s.name.as_str(),
                s.kind.as_str(),
                s.tier.map_or("", PreventionTier::as_str),
                &format!("{:.1}", s.point.x()),
                &format!("{:.1}", s.point.y()),
                &s.capacity.map(|c| format!("{c:.0}")).unwrap_or_default(),
                yes_no(s.confidential),
            ])?;
        }
        f.finish()
    }

    fn write_population(&self, path: PathBuf) -> Result<PathBuf, SynthError> {
        let mut f = CsvFile::new(path, &POPULATION_HEADER)?;
        for a in &self.areas {
            f.row(&[a.area.code.as_str(), &a.population.to_string()])?;
        }
        f.finish()
    }

    fn write_deprivation(&self, path: PathBuf) -> Result<PathBuf, SynthError> {
        let mut f = CsvFile::new(path, &DEPRIVATION_HEADER)?;
        for a in &self.areas {
            f.row(&[a.area.code.as_str(), &a.imd_decile.to_string()])?;
        }
        f.finish()
    }
}
