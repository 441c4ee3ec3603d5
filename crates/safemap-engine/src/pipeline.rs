//! The pipeline: read → join → aggregate → rates → outputs.
//!
//! [`prepare`] reads every input and decides the fate of every row (this is all
//! `safemap validate` runs); [`run`] adds the analysis and writes the outputs.

use crate::aggregate::count;
use crate::analysis::run_analyses;
use crate::areas::AreaTable;
use crate::assign::{Assignment, Join};
use crate::config::{SourceSection, Study};
use crate::coverage::{self, Coverage};
use crate::error::EngineError;
use crate::outputs::{self, manifest::InputFile};
use crate::progress::Steps;
use crate::results::{slugs, SourceResult, StudyResults};
use crate::services::{self, LocatedServices};
use crate::sources::{read_source, Keep, LoadedSource};
use crate::weights;
use rayon::prelude::*;
use safemap_results::files;
use safemap_stats::{area_rates, RateParams};
use safemap_types::{Crs, Flags, Reject};
use std::path::{Path, PathBuf};

/// A source as read, and how its rows were assigned to areas.
pub type JoinedSource = (LoadedSource, Assignment);

/// Inputs read and rows assigned; no analysis yet.
pub struct Prepared {
    /// Areas, indexed, with denominators.
    pub areas: AreaTable,
    /// Each source with the fate of its rows.
    pub sources: Vec<JoinedSource>,
    /// The service register, located.
    pub services: Option<LocatedServices>,
    /// The `[postcodes]` directory (its rejects go to `rejects.csv`).
    pub postcodes: Option<safemap_ingest::PostcodeDirectory>,
}

impl Prepared {
    /// Every rejected row, labelled with its input, in input order then file and line order.
    pub fn rejects(&self, study: &Study) -> Vec<(String, Reject)> {
        let mut all = self.areas.rejects.clone();
        if let Some(d) = &self.postcodes {
            all.extend(
                d.rejects
                    .iter()
                    .map(|r| ("postcodes".to_string(), r.clone())),
            );
        }
        if let Some(s) = &self.services {
            all.extend(
                s.rejects
                    .iter()
                    .map(|r| ("services".to_string(), r.clone())),
            );
        }
        for ((loaded, assignment), section) in self.sources.iter().zip(&study.sources) {
            let file_index = |r: &Reject| loaded.data.files.iter().position(|f| *f == r.file);
            let mut rs: Vec<&Reject> = loaded
                .data
                .rejects
                .iter()
                .chain(&assignment.rejects)
                .collect();
            rs.sort_by_key(|r| (file_index(r), r.line));
            all.extend(rs.into_iter().map(|r| (section.name.clone(), r.clone())));
        }
        all
    }

    /// Sources whose rejected share exceeds `study.max_reject_share`, with the share: what
    /// makes both `run` and `validate` exit with code 1.
    pub fn over_reject_threshold(&self, study: &Study) -> Vec<(String, f64)> {
        let Some(max) = study.study.max_reject_share else {
            return Vec::new();
        };
        self.sources
            .iter()
            .zip(&study.sources)
            .filter_map(|((_, assignment), section)| {
                let a = &assignment.accounting;
                let share = if a.read == 0 {
                    0.0
                } else {
                    a.rejected as f64 / a.read as f64
                };
                (share > max).then(|| (section.name.clone(), share))
            })
            .collect()
    }
}

/// Reads all inputs and assigns every event to an area, outside, or rejected.
pub fn prepare(study: &Study) -> Result<Prepared, EngineError> {
    prepare_keeping(study, false)
}

/// [`prepare`], keeping every joined event in its source's [`crate::joined::Joined`] when
/// `keep_events` (the GeoParquet export writes them). Otherwise the events are joined and
/// counted a chunk at a time as they are read, and dropped: memory follows the results,
/// not the size of the input.
pub fn prepare_keeping(study: &Study, keep_events: bool) -> Result<Prepared, EngineError> {
    let steps = Steps::default();
    // The boundaries and the postcode directory are read at once: neither needs the other.
    let quiet = Steps::quiet();
    let (areas, postcodes) = rayon::join(
        || {
            steps.run("Reading boundaries and denominators", || {
                AreaTable::load(study)
            })
        },
        || {
            quiet.run("Reading the postcode directory", || {
                crate::postcodes::load(study)
            })
        },
    );
    let (mut areas, postcodes) = (areas?, postcodes?);
    // Whether the polygons tile is only reported at the end: checked beside the reading.
    let (read, tessellation) = rayon::join(
        || read_services_and_sources(study, &areas, postcodes.as_ref(), keep_events, &steps),
        || areas.check_tessellation(study.limits.max_tiling_vertices),
    );
    let (services, sources) = read?;
    areas.tessellation = tessellation;
    Ok(Prepared {
        areas,
        sources,
        services,
        postcodes,
    })
}

/// The service register and the sources, each source read and joined to `areas`.
fn read_services_and_sources(
    study: &Study,
    areas: &AreaTable,
    postcodes: Option<&safemap_ingest::PostcodeDirectory>,
    keep_events: bool,
    steps: &Steps,
) -> Result<(Option<LocatedServices>, Vec<JoinedSource>), EngineError> {
    let services = steps.run("Reading services", || {
        services::load(study, areas, postcodes)
    })?;
    let mut sources = Vec::with_capacity(study.sources.len());
    for (i, section) in study.sources.iter().enumerate() {
        let read = steps.run(
            &format!("Reading and joining source {}", section.name),
            || {
                let codes = match (&section.vintage, &study.boundaries.vintage) {
                    (Some(from), Some(to)) if from != to => {
                        Some(crate::vintage::Conversion::load(study, from, to)?)
                    }
                    _ => None,
                };
                let join = Join::new(section, areas, study.period, codes.as_ref());
                let keep = Keep {
                    points: study.uses_points(&section.name),
                    events: keep_events,
                };
                read_source(study, i, section, postcodes, (&join, keep))
            },
        )?;
        sources.push(read);
    }
    Ok((services, sources))
}

/// Options of [`run`].
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Overrides `study.output_dir`.
    pub out_dir: Option<PathBuf>,
}

/// What a finished run reports.
pub struct RunReport {
    /// The computed results.
    pub results: StudyResults,
    /// Service register accounting, if the study has one.
    pub services: Option<LocatedServices>,
    /// Where the outputs were written.
    pub out_dir: PathBuf,
    /// Sources whose rejected share exceeds `study.max_reject_share`, with the share.
    pub over_reject_threshold: Vec<(String, f64)>,
    /// One result per `[[evaluation]]`, in study order (also in `evaluation.json`).
    pub evaluations: Vec<crate::evaluation::EvaluationResult>,
    /// `[access]` and what builds on it (also in `access.csv`, `priority.csv` and
    /// `candidate_sites.geojson`).
    pub access: Option<crate::access::AccessResults>,
    /// The time analyses (also in `summary.csv`, `change.csv`, `hour_of_week.csv`,
    /// `emerging.geojson` and area columns).
    pub time: crate::time::TimeResults,
    /// The small areas below `[neighbourhoods]` (also in `small_areas.geojson`).
    pub small_areas: Option<crate::neighbourhoods::SmallAreas>,
    /// `[comparison]` (also in `comparison.csv` and the manifest).
    pub comparison: Option<crate::comparison::ComparisonResult>,
}

/// Runs the whole study and writes its results directory (the files of
/// [`safemap_results::files`]); step timings are in the debug log, not in the manifest.
pub fn run(study: &Study, options: &RunOptions) -> Result<RunReport, EngineError> {
    let prepared = prepare(study)?;
    let rejects = prepared.rejects(study);
    let over_reject_threshold = prepared.over_reject_threshold(study);
    let (prepared, small_areas) = match &study.neighbourhoods {
        Some(_) => {
            let (p, s) = crate::neighbourhoods::lift(study, prepared)?;
            (p, Some(s))
        }
        None => (prepared, None),
    };
    let Prepared {
        areas,
        sources,
        services,
        ..
    } = prepared;
    let steps = Steps::default();
    let coverages = steps.run("Working out coverage", || {
        sources
            .iter()
            .zip(&study.sources)
            .map(|((loaded, assignment), section)| {
                coverage::of_source(study, section, loaded, &assignment.joined, &areas)
            })
            .collect::<Result<Vec<_>, EngineError>>()
    })?;
    let ed_tallies = steps.run("ED tallies", || {
        crate::ed_analysis::tally_sources(study, &sources, &coverages, areas.areas.len())
    });
    let sources = steps.run("Counting and rates", || {
        sources
            .into_iter()
            .zip(coverages)
            .zip(&study.sources)
            .map(|(((loaded, assignment), coverage), section)| {
                let base = study.source_rate_base(&section.name);
                source_result(
                    loaded,
                    assignment,
                    coverage,
                    section,
                    &areas.denominator(&base),
                    RateParams::new(base.per, study.study.confidence)?,
                )
            })
            .collect::<Result<Vec<_>, EngineError>>()
    })?;
    let mut results = StudyResults {
        areas,
        sources,
        weights: None,
        analyses: Vec::new(),
    };
    let mut study_weights = None;
    let evaluations_need_weights = study
        .evaluations
        .iter()
        .any(|e| e.needs_area_weights(study));
    if !study.analyses.is_empty() || !study.emerging.is_empty() || evaluations_need_weights {
        let (weights, summary) = steps.run("Building spatial weights", || {
            weights::build(study, &results.areas)
        })?;
        results.analyses = steps.run("Spatial statistics", || {
            run_analyses(study, &results.areas, &results.sources, &weights)
        })?;
        results.weights = Some(summary);
        study_weights = Some(weights);
    }
    let grid = study
        .grid
        .as_ref()
        .map(|g| steps.run("Grid hotspots", || crate::grid::run(study, g, &results)))
        .transpose()?;
    let density = study
        .density
        .as_ref()
        .map(|d| steps.run("Kernel density", || crate::density::run(study, d, &results)))
        .transpose()?;
    let evaluations = if study.evaluations.is_empty() {
        Vec::new()
    } else {
        steps.run("Hotspot evaluation", || {
            crate::evaluation::run_all(study, &results, study_weights.as_ref())
        })?
    };
    let time = steps.run("Time analyses", || {
        crate::time::run(study, &results, study_weights.as_ref())
    })?;
    let access = steps.run("Service access", || {
        crate::access::run(study, &results, services.as_ref())
    })?;
    let ed = steps.run("ED analysis", || {
        crate::ed_analysis::EdResults::new(study, &results, ed_tallies)
    })?;
    let comparison = steps.run("Partnership comparison", || crate::comparison::run(study))?;
    let planar = results.areas.boundary_crs == Crs::Planar;
    let out_dir = options
        .out_dir
        .clone()
        .unwrap_or_else(|| study.resolve(&study.study.output_dir));
    std::fs::create_dir_all(&out_dir).map_err(|source| EngineError::Write {
        path: out_dir.clone(),
        source,
    })?;
    let withheld_services = services
        .as_ref()
        .map(|s| {
            outputs::services_geojson::write(
                s,
                &results.areas,
                &out_dir.join(files::SERVICES_GEOJSON),
            )
        })
        .transpose()?;
    // The writers are independent, and the checksums read only the inputs: all run at once.
    let inputs = steps.run("Writing outputs", || -> Result<_, EngineError> {
        let n = results.areas.areas.len();
        let mut extra_columns = time.area_columns(n);
        if let Some(a) = &access {
            extra_columns.extend(a.area_columns(n));
        }
        extra_columns.extend(ed.area_columns());
        let path = |name: &str| out_dir.join(name);
        let mut writers: Vec<Writer<'_>> = vec![
            Box::new(|| {
                outputs::areas_geojson::write(&results, &extra_columns, &path(files::AREAS_GEOJSON))
            }),
            Box::new(|| outputs::areas_csv::write(&results, &path(files::AREAS_CSV))),
            Box::new(|| outputs::counts_csv::write(&results, &path(files::COUNTS_CSV))),
            Box::new(|| {
                outputs::counts_by_hour_csv::write(&results, &path(files::COUNTS_BY_HOUR_CSV))
            }),
            Box::new(|| outputs::coverage_csv::write(&results, &path(files::COVERAGE_CSV))),
            Box::new(|| outputs::time_files::write(&results, &time, planar, &out_dir)),
            Box::new(|| {
                outputs::rejects_csv::write(&rejects, &study.base_dir, &path(files::REJECTS_CSV))
            }),
        ];
        if let Some(w) = &study_weights {
            writers.push(Box::new(|| {
                let codes: Vec<String> =
                    results.areas.areas.iter().map(|a| a.code.clone()).collect();
                let gal = path(files::WEIGHTS_GAL);
                safemap_ingest::weights_file::write_gal(&gal, w, &codes).map_err(|e| {
                    EngineError::Write {
                        path: gal.clone(),
                        source: std::io::Error::other(e),
                    }
                })
            }));
        }
        if let Some(g) = &grid {
            writers.push(Box::new(|| {
                outputs::grid_geojson::write(g, planar, &path(files::GRID_GEOJSON))
            }));
        }
        if let Some(d) = &density {
            writers.push(Box::new(|| {
                outputs::density_files::write(d, planar, &out_dir)
            }));
            #[cfg(feature = "gdal")]
            writers.push(Box::new(|| {
                outputs::density_tiff::write(d, planar, &path(files::DENSITY_TIFF))
            }));
        }
        if !evaluations.is_empty() {
            writers.push(Box::new(|| {
                outputs::evaluation_json::write(&evaluations, planar, &path(files::EVALUATION_JSON))
            }));
        }
        if let Some(a) = &access {
            writers.push(Box::new(|| {
                write_access(study, &results, a, planar, &out_dir)
            }));
        }
        if !ed.sources.is_empty() {
            writers.push(Box::new(|| {
                outputs::ed_summary_csv::write(&results, &ed, &path(files::ED_SUMMARY_CSV))
            }));
        }
        if let Some(small) = &small_areas {
            writers.push(Box::new(|| {
                outputs::small_areas_geojson::write(
                    &path(files::SMALL_AREAS_GEOJSON),
                    small,
                    &results.areas,
                )
            }));
        }
        if let Some(c) = &comparison {
            writers.push(Box::new(|| {
                outputs::comparison_csv::write(c, &path(files::COMPARISON_CSV))
            }));
        }
        let (written, inputs) = rayon::join(
            || writers.into_par_iter().try_for_each(|write| write()),
            || input_checksums(study, &results),
        );
        written?;
        inputs
    })?;
    let manifest = outputs::manifest::build(outputs::manifest::RunOutputs {
        study,
        results: &results,
        services: services.as_ref(),
        withheld_services,
        grid: grid.as_ref(),
        density: density.as_ref(),
        evaluations: !evaluations.is_empty(),
        access: access.as_ref(),
        ed: &ed,
        time: &time,
        small_areas: small_areas.as_ref(),
        inputs,
        comparison: comparison.as_ref().map(|c| c.entry.clone()),
    });
    #[cfg(feature = "gdal")]
    steps.run("GeoPackage", || {
        outputs::geopackage::write(
            &out_dir,
            &manifest.outputs,
            &out_dir.join(files::GEOPACKAGE),
        )
    })?;
    outputs::manifest::write(&manifest, &out_dir.join(files::MANIFEST))?;
    Ok(RunReport {
        results,
        services,
        out_dir,
        over_reject_threshold,
        evaluations,
        access,
        time,
        small_areas,
        comparison,
    })
}

/// Writes the files of `[access]`, `[priority]` and `[sites]`.
fn write_access(
    study: &Study,
    results: &StudyResults,
    access: &crate::access::AccessResults,
    planar: bool,
    out_dir: &Path,
) -> Result<(), EngineError> {
    outputs::access_csv::write(results, access, &out_dir.join(files::ACCESS_CSV))?;
    if let (Some((ranking, inputs)), Some(section)) = (&access.priority, &study.priority) {
        let higher: Vec<bool> = section
            .components
            .iter()
            .map(|c| c.higher_is_more)
            .collect();
        outputs::priority_csv::write(
            results,
            ranking,
            inputs,
            &higher,
            &out_dir.join(files::PRIORITY_CSV),
        )?;
    }
    if let Some(sites) = &access.sites {
        outputs::candidate_sites_geojson::write(
            results,
            &access.demand,
            sites,
            planar,
            &out_dir.join(files::CANDIDATE_SITES_GEOJSON),
        )?;
    }
    Ok(())
}

/// Counts, rates and intervals of one source: all categories together, each category, and
/// each flag the source carries.
///
/// Areas without data for some month of the span get no rate and stay out of the
/// study-wide rate behind every expected count.
fn source_result(
    loaded: LoadedSource,
    assignment: Assignment,
    coverage: Coverage,
    section: &SourceSection,
    populations: &[Option<f64>],
    params: RateParams,
) -> Result<SourceResult, EngineError> {
    let data = loaded.data;
    let flags: Vec<Flags> = loaded.flags.iter().map(|f| f.0).collect();
    let joined = assignment.joined;
    let points = joined
        .points
        .into_iter()
        .filter(|(area, p)| coverage.is_covered(*area, p.month))
        .map(|(_, p)| p)
        .collect();
    let n_areas = populations.len();
    let counts = count(
        &joined.cells,
        n_areas,
        data.categories.len(),
        &flags,
        &coverage,
    );
    let with_data: Vec<Option<f64>> = populations
        .iter()
        .enumerate()
        .map(|(i, p)| p.filter(|_| coverage.covers(i, None)))
        .collect();
    let n_measures = data.categories.len() + flags.len();
    let rates = std::iter::once(None)
        .chain((0..n_measures).map(|m| Some(m as u16)))
        .map(|m| area_rates(&counts.totals(m, None), &with_data, params))
        .collect::<Result<_, _>>()?;
    let mut accounting = assignment.accounting;
    accounting.joined_without_coverage = counts.without_coverage;
    let flag_names = loaded.flags.iter().map(|(_, name)| format!("flag_{name}"));
    let mut measure_slugs = slugs(&data.categories);
    measure_slugs.extend(flag_names.clone());
    let mut measures = data.categories;
    measures.extend(flag_names);
    Ok(SourceResult {
        section: section.clone(),
        files: data.files,
        slugs: measure_slugs,
        measures,
        has_timestamps: data.has_timestamps,
        counts,
        rates,
        accounting,
        flags,
        points,
        coverage,
    })
}

/// One output writer of [`run`].
type Writer<'a> = Box<dyn FnOnce() -> Result<(), EngineError> + Send + 'a>;

/// The checksums of every input file the run read.
fn input_checksums(study: &Study, results: &StudyResults) -> Result<Vec<InputFile>, EngineError> {
    let areas = &results.areas;
    let mut files = vec![("boundaries".to_string(), areas.boundary_path.clone())];
    for (role, s) in [
        ("population", &areas.population),
        ("deprivation", &areas.deprivation),
    ] {
        if let Some(s) = s {
            files.push((role.to_string(), s.path.clone()));
        }
    }
    for d in &areas.denominators {
        files.push((format!("denominator {}", d.name), d.summary.path.clone()));
    }
    if let Some(s) = &study.services {
        files.push(("services".to_string(), study.resolve(&s.path)));
    }
    if let Some(p) = &study.postcodes {
        files.push(("postcodes".to_string(), study.resolve(&p.path)));
    }
    // Access inputs (not public roles: the public learns only that they exist).
    if let Some(a) = &study.access {
        if let Some(m) = &a.cost_matrix {
            files.push(("access.cost_matrix".to_string(), study.resolve(&m.path)));
        }
        if let Some(c) = &a.centroids {
            files.push(("access.centroids".to_string(), study.resolve(&c.path)));
        }
    }
    // Source files as read (expanding the patterns again could match the outputs).
    for s in &results.sources {
        let role = safemap_results::manifest::source_input_role(&s.section.name);
        files.extend(s.files.iter().map(|f| (role.clone(), f.clone())));
    }
    outputs::manifest::checksum_all(&files)
}
