//! `safemap synth national`: a national synthetic workload (millions of events and
//! thousands of services over real boundaries with population) and the study that runs it.

use anyhow::Context as _;
use safemap_engine::areas::AreaTable;
use safemap_engine::Study;
use safemap_synth::{NationalParams, NationalWorkload};
use std::path::{Path, PathBuf};

/// The options of `safemap synth national`.
#[derive(clap::Args, Debug)]
pub struct NationalArgs {
    /// Boundary file (any format `safemap run` reads; reprojected to British National Grid).
    #[arg(long)]
    boundaries: PathBuf,
    /// Property of the boundary file holding the area code.
    #[arg(long)]
    id_field: String,
    /// Population CSV keyed by area code.
    #[arg(long)]
    population: PathBuf,
    /// Column of the population CSV holding the area code.
    #[arg(long)]
    code_column: String,
    /// Column of the population CSV holding the residents.
    #[arg(long)]
    value_column: String,
    /// Number of events.
    #[arg(long, default_value_t = NationalParams::default().events)]
    events: usize,
    /// Number of services.
    #[arg(long, default_value_t = NationalParams::default().services)]
    services: usize,
    /// Seed of every random draw.
    #[arg(long, default_value_t = NationalParams::default().seed)]
    seed: u64,
    /// Folder for `study.toml`, `events.csv` (and the same events as `events.parquet`),
    /// `services.csv` and `hotspots.json`.
    #[arg(long)]
    out: PathBuf,
}

/// The study of the workload; `{…}` are filled in by [`national`].
const STUDY: &str = r#"# A national synthetic workload: written by `safemap synth national`.
# {events} events over 36 months (2022-2024), {planted} of them around {hotspots} planted
# hotspot centres (hotspots.json); {services} services.
[study]
name = "Synthetic national workload ({events} events)"
seed = {seed}
output_dir = "results"
rate_per = 1000

[boundaries]
path = {boundaries}
id_field = {id_field}

[population]
path = {population}
code_column = {code_column}
value_column = {value_column}

[services]
path = "services.csv"

[[source]]
name = "events"
format = "events_csv"
paths = ["events.csv"]
join = "spatial"

[source.columns]
x = "easting"
y = "northing"
crs = "EPSG:27700"
time = "occurred_at"
time_format = "%Y-%m-%d %H:%M"
category = "offence"
domestic_abuse = "domestic_abuse"

# Hot spots of the Empirical Bayes smoothed rate of all events: queen contiguity, Gi* and
# Local Moran with 999 conditional permutations.
[weights]
kind = "queen"

[[analysis]]
name = "events"
source = "events"
category = "all"
value = "eb_rate"
statistics = ["global_moran", "gi_star", "local_moran"]
permutations = 999
"#;

/// Writes the study first, reads its areas (BNG polygons and residents) through the
/// engine as `run` would, then the events, services and planted hotspots beside it.
/// Returns the study file.
pub fn national(args: &NationalArgs) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let params = NationalParams {
        seed: args.seed,
        events: args.events,
        services: args.services,
        ..NationalParams::default()
    };
    let absolute =
        |p: &Path| std::path::absolute(p).with_context(|| format!("resolving {}", p.display()));
    let quoted = |s: &str| toml_string(s);
    let text = STUDY
        .replace("{events}", &args.events.to_string())
        .replace(
            "{planted}",
            &format!("about {:.0}%", params.hotspot_share * 100.0),
        )
        .replace("{hotspots}", &params.hotspots.to_string())
        .replace("{services}", &args.services.to_string())
        .replace("{seed}", &args.seed.to_string())
        .replace(
            "{boundaries}",
            &quoted(&absolute(&args.boundaries)?.to_string_lossy()),
        )
        .replace("{id_field}", &quoted(&args.id_field))
        .replace(
            "{population}",
            &quoted(&absolute(&args.population)?.to_string_lossy()),
        )
        .replace("{code_column}", &quoted(&args.code_column))
        .replace("{value_column}", &quoted(&args.value_column));
    let study_path = args.out.join("study.toml");
    std::fs::write(&study_path, text)
        .with_context(|| format!("writing {}", study_path.display()))?;
    let study = Study::load(&study_path)?;
    let table = AreaTable::load(&study)?;
    let areas: Vec<_> = table
        .areas
        .iter()
        .map(|a| (&a.geometry, a.population.unwrap_or(0.0)))
        .collect();
    let workload = NationalWorkload::new(&areas, params);
    workload.write_events_csv(&args.out.join("events.csv"))?;
    workload.write_events_parquet(&args.out.join("events.parquet"))?;
    workload.write_services_csv(&args.out.join("services.csv"))?;
    let hotspots: Vec<_> = workload
        .hotspots()
        .iter()
        .map(|h| {
            serde_json::json!({
                "code": table.areas[h.area].code, "x": h.x, "y": h.y,
                "sigma_m": params.hotspot_sigma,
            })
        })
        .collect();
    let hotspots_path = args.out.join("hotspots.json");
    std::fs::write(&hotspots_path, serde_json::to_string_pretty(&hotspots)?)
        .with_context(|| format!("writing {}", hotspots_path.display()))?;
    Ok(study_path)
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    // serde_json's string escapes are valid TOML basic-string escapes.
    serde_json::Value::String(s.to_string()).to_string()
}
