//! `manifest.json`: what went in (with SHA-256), every parameter, the seed, the row
//! accounting, the analyses and the layer registry, typed by `safemap-results`. No timings:
//! the same inputs, study file and seed give the same bytes.

use crate::analysis::{correction_name, statistic_name, AnalysisResult, LocalResult};
use crate::config::{DensitySection, Study};
use crate::error::EngineError;
use crate::grid::GridResult;
use crate::outputs::write_file;
use crate::paths::tidy;
use crate::results::StudyResults;
use crate::seeds::{stream_seed, GRID_STREAM};
use crate::services::LocatedServices;
use rayon::prelude::*;
use safemap_results::columns::{
    class_columns, measure_column, measure_columns, statistic_class_columns, ALL,
};
use safemap_results::files;
pub use safemap_results::manifest::InputFile;
use safemap_results::manifest::{AnalysisEntry, Parameters, SourceEntry, TimePrecision};
use safemap_results::registry::{GeometryKind, LayerEntry, LayerKind, ProtectedCount};
use safemap_results::{AccessEntry, Manifest, FORMAT_VERSION};
use safemap_stats::kde::KdeSurface;
use safemap_types::Crs;
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// What a run produced, for its manifest.
pub struct RunOutputs<'a> {
    /// The study.
    pub study: &'a Study,
    /// Its results.
    pub results: &'a StudyResults,
    /// The service register, located.
    pub services: Option<&'a LocatedServices>,
    /// Confidential services withheld from `services.geojson`.
    pub withheld_services: Option<u64>,
    /// `[grid]`'s result.
    pub grid: Option<&'a GridResult>,
    /// `[density]`'s surface.
    pub density: Option<&'a KdeSurface>,
    /// Whether `evaluation.json` was written (the study has `[[evaluation]]` tables).
    pub evaluations: bool,
    /// `[access]`'s results (which of its files were written).
    pub access: Option<&'a crate::access::AccessResults>,
    /// The ED analysis (`ed_summary.csv` when it has sources, `[ed_vs_police]`).
    pub ed: &'a crate::ed_analysis::EdResults,
    /// The time analyses.
    pub time: &'a crate::time::TimeResults,
    /// The small areas below `[neighbourhoods]`.
    pub small_areas: Option<&'a crate::neighbourhoods::SmallAreas>,
    /// Input files with checksums.
    pub inputs: Vec<InputFile>,
    /// `[comparison]`'s entry (`comparison.csv` was written).
    pub comparison: Option<safemap_results::ComparisonEntry>,
}

/// The manifest of a run, with its layer registry.
pub fn build(run: RunOutputs<'_>) -> Manifest {
    let RunOutputs {
        study,
        results,
        services,
        withheld_services,
        grid,
        density,
        evaluations,
        access,
        ed,
        time,
        small_areas,
        inputs,
        comparison,
    } = run;
    let time_entry = time.entry(study);
    let areas = &results.areas;
    let summary = |s: &Option<crate::areas::KeyedSummary>| {
        s.as_ref().map(|s| {
            json!({ "path": tidy(&s.path), "read": s.read, "matched_study_areas": s.matched,
                    "other_codes": s.other_codes, "rejected": s.rejected })
        })
    };
    let access_entry = access.map(|a| {
        a.entry(
            study
                .access
                .as_ref()
                .is_none_or(|s| s.cost_matrix.is_none()),
        )
    });
    let mut layers = registry(
        study,
        results,
        services.is_some(),
        grid,
        density.is_some(),
        access_entry.as_ref(),
        (time, &time_entry),
    );
    layers.extend(small_areas.map(small_areas_entry));
    let mut outputs: Vec<String> = [
        files::AREAS_GEOJSON,
        files::AREAS_CSV,
        files::COUNTS_CSV,
        files::COUNTS_BY_HOUR_CSV,
        files::COVERAGE_CSV,
    ]
    .into_iter()
    .chain(results.weights.is_some().then_some(files::WEIGHTS_GAL))
    .chain(
        withheld_services
            .is_some()
            .then_some(files::SERVICES_GEOJSON),
    )
    .chain(grid.is_some().then_some(files::GRID_GEOJSON))
    .chain(
        density
            .iter()
            .flat_map(|_| [files::DENSITY_ASC, files::DENSITY_GEOJSON]),
    )
    .chain(
        density
            .filter(|_| cfg!(feature = "gdal"))
            .map(|_| files::DENSITY_TIFF),
    )
    .chain(evaluations.then_some(files::EVALUATION_JSON))
    .chain(access.iter().flat_map(|a| {
        [
            Some(files::ACCESS_CSV),
            a.priority.is_some().then_some(files::PRIORITY_CSV),
            a.sites.is_some().then_some(files::CANDIDATE_SITES_GEOJSON),
        ]
        .into_iter()
        .flatten()
    }))
    .chain((!ed.sources.is_empty()).then_some(files::ED_SUMMARY_CSV))
    .chain([
        files::SUMMARY_CSV,
        files::CHANGE_CSV,
        files::HOUR_OF_WEEK_CSV,
    ])
    .chain((!time.emerging.is_empty()).then_some(files::EMERGING_GEOJSON))
    .chain(small_areas.is_some().then_some(files::SMALL_AREAS_GEOJSON))
    .chain(comparison.is_some().then_some(files::COMPARISON_CSV))
    .chain(cfg!(feature = "gdal").then_some(files::GEOPACKAGE))
    .chain([files::REJECTS_CSV, files::MANIFEST])
    .map(String::from)
    .collect();
    outputs.dedup();
    Manifest {
        format_version: FORMAT_VERSION,
        safemap_version: env!("CARGO_PKG_VERSION").into(),
        study: study.study.name.clone(),
        study_file: tidy(&study.file),
        seed: study.study.seed,
        parameters: Parameters {
            rate_per: study.study.rate_per,
            confidence: study.study.confidence,
            interval_method: "exact Poisson (Garwood): chi-square quantiles".into(),
            expected_counts: "population x study-wide rate (sum of counts / sum of population over areas with population and data)".into(),
            period: to_value(&study.period),
            max_reject_share: study.study.max_reject_share,
            boundaries: to_value(&study.boundaries),
            population: to_value(&study.population),
            deprivation: to_value(&study.deprivation),
            sources: to_value(&study.sources),
            services: to_value(&study.services),
            access: if study.access.is_some() {
                json!({
                    "access": study.access,
                    "need": study.need,
                    "gap": study.gap,
                    "sites": study.sites,
                    "priority": study.priority,
                })
            } else {
                Value::Null
            },
            disclosure: study.disclosure,
            serve: study.serve.clone(),
        },
        inputs,
        areas: json!({
            "count": areas.areas.len(),
            "boundary_crs": areas.boundary_crs.to_string(),
            "working_crs": if areas.boundary_crs == Crs::Planar { "planar" } else { "EPSG:27700" },
            "invalid_polygons": areas.invalid.iter().map(|a| json!({"code": a.code, "problem": a.problem})).collect::<Vec<_>>(),
            "repaired_polygons": areas.repaired.iter().map(|a| json!({"code": a.code, "repairs": a.repairs})).collect::<Vec<_>>(),
            "rewound_polygons": areas.rewound,
            "overlaps": areas.tessellation.as_ref().map(|t| t.overlaps.iter().map(|o| json!({
                "codes": [&areas.areas[o.a].code, &areas.areas[o.b].code],
                "area": o.area,
            })).collect::<Vec<_>>()),
            "gaps": areas.tessellation.as_ref().map(|t| t.gaps.iter().map(|g| json!({
                "touching": g.touching.iter().map(|&i| &areas.areas[i].code).collect::<Vec<_>>(),
                "area": g.area,
                "point": [g.point.x, g.point.y],
            })).collect::<Vec<_>>()),
            "without_population": areas.without_population(),
            "population_table": summary(&areas.population),
            "deprivation_table": summary(&areas.deprivation),
            "vintage": study.boundaries.vintage,
            "denominators": study.denominators.iter().zip(&areas.denominators).map(|(d, t)| json!({
                "name": d.name, "label": d.label, "column": crate::results::denominator_column(&d.name),
                "value_columns": d.value_columns(), "table": summary(&Some(t.summary.clone())),
            })).collect::<Vec<_>>(),
            "neighbourhoods": small_areas.zip(study.neighbourhoods.as_ref()).map(|(s, n)| json!({
                "label": n.label, "switch_zoom": n.switch_zoom, "membership": s.membership,
                "small_areas": s.areas.areas.len(), "small_areas_by_nearest": s.by_nearest,
                "small_area_vintage": study.boundaries.vintage,
                "without_small_areas": areas.areas.iter().enumerate()
                    .filter(|(i, _)| !s.parent.iter().any(|p| p.index() == *i))
                    .map(|(_, a)| a.code.clone()).collect::<Vec<_>>(),
            })),
            "conversions": areas.conversions.iter().map(|c| json!({
                "table": c.table, "from": c.from, "to": c.to, "lookup": tidy(&c.lookup),
                "rule": c.rule, "weighted_by": c.weighted_by, "changes": c.changes,
                "not_in_lookup": c.not_in_lookup, "total_before_after": c.total,
            })).collect::<Vec<_>>(),
        }),
        sources: results
            .sources
            .iter()
            .map(|s| SourceEntry {
                name: s.section.name.clone(),
                format: to_value(&s.section.format).as_str().unwrap_or_default().to_string(),
                time_precision: if s.has_timestamps {
                    TimePrecision::Timestamp
                } else {
                    TimePrecision::Month
                },
                sensitive: s.section.is_sensitive(),
                sensitive_because: s.section.sensitivity().map(|r| r.reason().to_string()),
                measures: s.measures.clone(),
                slugs: s.slugs.clone(),
                n_categories: s.counts.n_categories,
                months: s.months(study).map(|m| [m.from(), m.to()]),
                accounting: to_value(&s.accounting),
                coverage: Some(s.coverage.summary()),
                rate: Some({
                    let base = study.source_rate_base(&s.section.name);
                    safemap_results::manifest::RateEntry {
                        denominator: base.name().to_string(),
                        column: base.denominator.map_or_else(
                            || "population".to_string(),
                            |d| crate::results::denominator_column(&d.name),
                        ),
                        per: base.per,
                        label: base.label(),
                    }
                }),
            })
            .collect(),
        services: services.map_or(Value::Null, |s| to_value(&s.accounting)),
        services_confidential_withheld: withheld_services,
        weights: to_value(&results.weights),
        analyses: results
            .analyses
            .iter()
            .map(|a| analysis_entry(study, a))
            .collect(),
        grid: grid.map_or(Value::Null, |g| grid_manifest(study, g)),
        density: match (&study.density, density) {
            (Some(section), Some(d)) => density_manifest(section, d),
            _ => Value::Null,
        },
        layers,
        access: access_entry,
        ed_vs_police: ed
            .vs_police
            .as_ref()
            .map_or(Value::Null, crate::ed_analysis::VsPolice::manifest),
        time: time_entry,
        comparison,
        outputs,
    }
}

/// The layer registry: the areas (with the access columns the public may see), and the grid,
/// density, services and new sites layers the run wrote.
/// Grid and density show where a source's events are, so they are as sensitive as it is
/// (and a source is sensitive when its data is: [`crate::config::SourceSection::sensitivity`]).
/// The services layer holds the register without its confidential services, which never
/// reach an output file. Each entry's `public_columns` names exactly what the public sees.
fn registry(
    study: &Study,
    results: &StudyResults,
    services: bool,
    grid: Option<&GridResult>,
    density: bool,
    access: Option<&AccessEntry>,
    (time, time_entry): (&crate::time::TimeResults, &safemap_results::TimeEntry),
) -> Vec<LayerEntry> {
    let strings = |v: &[&str]| v.iter().map(ToString::to_string).collect::<Vec<_>>();
    let count = || ProtectedCount {
        column: "count".into(),
        within: None,
    };
    let sensitive = |source: &str| {
        study
            .sources
            .iter()
            .find(|s| s.name == source)
            .is_none_or(crate::config::SourceSection::is_sensitive)
    };
    let (mut public_area_columns, area_counts) = public_area_columns(results);
    public_area_columns.extend(access.iter().flat_map(|a| a.public_columns()));
    public_area_columns.extend(time.public_columns(study, time_entry));
    let mut layers = vec![LayerEntry {
        name: "areas".into(),
        file: files::AREAS_GEOJSON.into(),
        kind: LayerKind::Areas,
        geometry: GeometryKind::Polygon,
        sources: study.sources.iter().map(|s| s.name.clone()).collect(),
        sensitive: false,
        public_columns: public_area_columns,
        protected_counts: area_counts,
    }];
    if let (Some(g), Some(section)) = (grid, &study.grid) {
        let mut public = strings(&["cell", "count"]);
        public.extend(statistic_class_columns(
            "gi_star",
            correction_name(g.section.correction),
        ));
        layers.push(LayerEntry {
            name: "grid".into(),
            file: files::GRID_GEOJSON.into(),
            kind: LayerKind::Features,
            geometry: GeometryKind::Polygon,
            sources: vec![section.source.clone()],
            sensitive: sensitive(&section.source),
            public_columns: public,
            protected_counts: vec![count()],
        });
    }
    if let (true, Some(section)) = (density, &study.density) {
        layers.push(LayerEntry {
            name: "density".into(),
            file: files::DENSITY_GEOJSON.into(),
            kind: LayerKind::Features,
            geometry: GeometryKind::Polygon,
            sources: vec![section.source.clone()],
            sensitive: sensitive(&section.source),
            public_columns: strings(&["density_per_km2"]),
            protected_counts: Vec::new(),
        });
    }
    if services {
        layers.push(LayerEntry {
            name: "services".into(),
            file: files::SERVICES_GEOJSON.into(),
            kind: LayerKind::Features,
            geometry: GeometryKind::Point,
            sources: Vec::new(),
            sensitive: false,
            public_columns: strings(&[
                "service_id",
                "name",
                "kind",
                "kind_label",
                "tier",
                "capacity",
                "opening_hours",
                "area",
            ]),
            protected_counts: Vec::new(),
        });
    }
    if !time.emerging.is_empty() {
        // Classes only, like the hot spot classes of the areas layer; a grid of a sensitive
        // source's cells shows where its events are, so the layer is as sensitive as its
        // sources when it holds cells.
        let sources: Vec<String> = time
            .emerging
            .iter()
            .map(|e| e.section.source.clone())
            .collect();
        layers.push(LayerEntry {
            name: "emerging".into(),
            file: files::EMERGING_GEOJSON.into(),
            kind: LayerKind::Features,
            geometry: GeometryKind::Polygon,
            sensitive: time
                .emerging
                .iter()
                .any(|e| e.cells.is_some() && sensitive(&e.section.source)),
            sources,
            // Not the trend's z and p: statistics are for the analyst, as everywhere.
            public_columns: strings(&[
                "analysis",
                "level",
                "id",
                "name",
                "class",
                "hot_slices",
                "cold_slices",
                "signs",
            ]),
            protected_counts: Vec::new(),
        });
    }
    if let Some(a) = access.filter(|a| a.sites) {
        layers.push(candidate_sites_entry(study, a));
    }
    layers
}

/// The small areas below `[neighbourhoods]`: open sources only (sensitive ones are not in
/// the file); their counts are disclosure-controlled like the grid's.
fn small_areas_entry(small: &crate::neighbourhoods::SmallAreas) -> LayerEntry {
    LayerEntry {
        name: "small_areas".into(),
        file: files::SMALL_AREAS_GEOJSON.into(),
        kind: LayerKind::Features,
        geometry: GeometryKind::Polygon,
        sources: small.sources.iter().map(|s| s.name.clone()).collect(),
        sensitive: false,
        public_columns: crate::outputs::small_areas_geojson::columns(small),
        protected_counts: small
            .sources
            .iter()
            .map(|s| ProtectedCount {
                column: measure_column(&s.name, ALL, "count"),
                within: None,
            })
            .collect(),
    }
}

/// The new sites: where they go (area centroids, public) and the need each covers, which is
/// built from the need index: public only when that index is made from open inputs, else
/// the layer is analyst only and names the sensitive sources it is drawn from.
fn candidate_sites_entry(study: &Study, access: &AccessEntry) -> LayerEntry {
    let sensitive_sources: Vec<String> = study
        .sources
        .iter()
        .filter(|s| s.is_sensitive())
        .map(|s| s.name.clone())
        .collect();
    LayerEntry {
        name: "candidate_sites".into(),
        file: files::CANDIDATE_SITES_GEOJSON.into(),
        kind: LayerKind::Features,
        geometry: GeometryKind::Point,
        sources: if access.need_open {
            Vec::new()
        } else {
            sensitive_sources
        },
        sensitive: !access.need_open,
        public_columns: [
            "order",
            "kind",
            "area",
            "area_name",
            "coverage_cost_m",
            "need_covered_before",
            "need_added",
            "need_covered_after",
            "need_total",
            "method",
        ]
        .map(String::from)
        .to_vec(),
        protected_counts: Vec::new(),
    }
}

/// The public columns of the areas layer, each named exactly, and its protected counts:
/// identity and denominators; every measure of every source (the server derives them from
/// the published, disclosure-controlled counts, never from the file), each category's and
/// flag's count nested in the source's `all` count; and the raw and adjusted hotspot
/// classes of each analysis's local statistics. Analysed values, z, p, G, I and coverage
/// shares stay analyst only.
fn public_area_columns(results: &StudyResults) -> (Vec<String>, Vec<ProtectedCount>) {
    let mut public: Vec<String> = ["code", "name", "population", "deprivation"]
        .map(String::from)
        .to_vec();
    // ONS's population estimates, by age band or otherwise, are open data.
    public.extend(
        results
            .areas
            .denominators
            .iter()
            .map(|d| crate::results::denominator_column(&d.name)),
    );
    let mut counts = Vec::new();
    for s in &results.sources {
        let name = &s.section.name;
        public.extend(measure_columns(name, &s.slugs));
        let all = measure_column(name, ALL, "count");
        counts.push(ProtectedCount {
            column: all.clone(),
            within: None,
        });
        counts.extend(s.slugs.iter().map(|slug| ProtectedCount {
            column: measure_column(name, slug, "count"),
            within: Some(all.clone()),
        }));
    }
    for a in &results.analyses {
        let correction = correction_name(a.section.correction);
        for local in &a.local {
            public.extend(class_columns(
                &a.section.name,
                local.statistic(),
                correction,
            ));
        }
    }
    (public, counts)
}

/// A study section as JSON (they are plain data: serialising cannot fail).
fn to_value(v: &impl Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// An analysis as the manifest records it: its settings, conventions and global results.
fn analysis_entry(study: &Study, a: &AnalysisResult) -> AnalysisEntry {
    let gm = a.global_moran.as_ref().map(|g| {
        json!({
            "I": g.i, "EI": g.expected,
            "VI_norm": g.normality.variance, "z_norm": g.normality.z, "p_norm": g.normality.p,
            "VI_rand": g.randomisation.variance, "z_rand": g.randomisation.z, "p_rand": g.randomisation.p,
            "p_sim": g.p_sim, "islands": g.islands.len(),
            "weights": "row-standardised", "p_norm_and_p_rand": "two-sided",
        })
    });
    let local: Vec<_> = a
        .local
        .iter()
        .map(|l| match l {
            LocalResult::Moran(lm, c) => json!({
                "statistic": "local_moran", "weights": "row-standardised",
                "class_p_value": "pseudo p (conditional permutation, folded tail)",
                "correction": c.correction.as_str(), "tested": c.tested,
                "adjusted_cutoffs": {"99": c.cutoffs.p99, "95": c.cutoffs.p95, "90": c.cutoffs.p90},
                "islands": lm.islands.len(),
            }),
            LocalResult::GetisOrd(s, gi, c) => json!({
                "statistic": statistic_name(*s),
                "class_p_value": "two-sided analytic p of z",
                "p_sim_tail": "folded (esda's default): p = (M+1)/(R+1)",
                "correction": c.correction.as_str(), "tested": c.tested,
                "adjusted_cutoffs": {"99": c.cutoffs.p99, "95": c.cutoffs.p95, "90": c.cutoffs.p90},
                "islands": gi.islands.len(), "undefined": gi.undefined.len(),
            }),
        })
        .collect();
    let analysed = a.analysed.iter().flatten().count();
    AnalysisEntry {
        name: a.section.name.clone(),
        settings: serde_json::from_value(to_value(&a.section))
            .expect("an [[analysis]] section serialises to analysis settings"),
        areas_analysed: analysed,
        areas_without_data: a.analysed.len() - analysed,
        areas_without_data_rule: "left out; the weights are restricted to the areas analysed (links to areas without data dropped)".into(),
        seed: stream_seed(study.study.seed, &a.section.name),
        eb_negative_prior_variance_clamped: a.eb_clamped.into(),
        global_moran: gm.into(),
        local,
    }
}

fn grid_manifest(study: &Study, g: &GridResult) -> Value {
    json!({
        "settings": g.section,
        "seed": stream_seed(study.study.seed, GRID_STREAM),
        "cells": g.cells.len(),
        "events_in_cells": g.counts.iter().sum::<u64>(),
        "events_outside_cells": g.outside,
        "weights": "binary distance band between cell centres (threshold_m), self included in Gi*",
        "class_p_value": "two-sided analytic p of z",
        "correction": g.classes.correction.as_str(),
        "adjusted_cutoffs": {"99": g.classes.cutoffs.p99, "95": g.classes.cutoffs.p95, "90": g.classes.cutoffs.p90},
        "islands": g.gi_star.islands.len(),
        "origin": "cells aligned on multiples of the cell size in the working CRS",
    })
}

fn density_manifest(section: &DensitySection, d: &KdeSurface) -> Value {
    json!({
        "settings": section,
        "kernel": d.kernel.as_str(),
        "bandwidth_m": d.bandwidth,
        "evaluation": d.evaluation.as_str(),
        "cell_size_m": d.raster.cell_size(),
        "ncols": d.raster.ncols(),
        "nrows": d.raster.nrows(),
        "x_min": d.raster.x_min(),
        "y_min": d.raster.y_min(),
        "units": "events per square kilometre",
        "events": d.total_weight,
        "geojson_floor_share_of_peak": super::density_files::GEOJSON_FLOOR,
    })
}

/// Hashes the files in parallel; the result keeps the given order.
pub fn checksum_all(files: &[(String, PathBuf)]) -> Result<Vec<InputFile>, EngineError> {
    files
        .par_iter()
        .map(|(role, path)| {
            let io = |source| EngineError::Read {
                path: path.clone(),
                source,
            };
            let mut f = std::fs::File::open(path).map_err(io)?;
            let mut hasher = Sha256::new();
            let mut buf = vec![0_u8; 1 << 16];
            let mut bytes = 0_u64;
            loop {
                let n = f.read(&mut buf).map_err(io)?;
                if n == 0 {
                    break;
                }
                bytes += n as u64;
                hasher.update(&buf[..n]);
            }
            let sha256 = format!("{:x}", hasher.finalize());
            Ok(InputFile {
                role: role.clone(),
                path: tidy(path),
                bytes,
                sha256,
            })
        })
        .collect()
}

/// Writes any serialisable manifest value as pretty JSON.
pub fn write(manifest: &impl Serialize, path: &Path) -> Result<(), EngineError> {
    write_file(path, |w| {
        serde_json::to_writer_pretty(&mut *w, manifest)?;
        w.write_all(b"\n")
    })
}
