//! `safemap`: the command line.
//!
//! Exit codes, the same for `run` and `validate`: 0 success; 1 the inputs were read but a
//! source rejected more rows than the study's `max_reject_share`; 2 a usage, config or
//! input error (the message names the file or key and what to do, each cause once).

// The binary is where printing belongs (the workspace lint forbids it in libraries).
#![allow(clippy::print_stdout)]

mod demo;
mod export;
mod serve;
mod summary;
mod synth;

use clap::{Parser, Subcommand};
use safemap_engine::{prepare, run, RunOptions, Study};
use std::path::PathBuf;
use std::process::ExitCode;
use tracing::Level;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

#[derive(Parser)]
#[command(
    name = "safemap",
    version,
    about = "Hotspot mapping and service-gap analysis for community safety partnerships"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the synthetic demo city and run its full study.
    Demo {
        /// Directory for the city's files and the results.
        #[arg(long, default_value = "out/demo")]
        out: PathBuf,
        /// Seed of the synthetic city.
        #[arg(long, default_value_t = safemap_synth::CityParams::default().get_seed())]
        seed: u64,
        /// Do not start the map server afterwards.
        #[arg(long)]
        no_serve: bool,
        #[command(flatten)]
        serve: serve::ServeArgs,
    },
    /// Serve a run's results: vector tiles, JSON APIs and the web map.
    Serve {
        /// The results directory a run wrote (with manifest.json).
        results: PathBuf,
        #[command(flatten)]
        serve: serve::ServeArgs,
    },
    /// Export results for hosting without a server (pmtiles), or a study's data as GeoParquet
    /// for other engines (geoparquet: analyst-only data).
    #[command(subcommand)]
    Export(ExportCommand),
    /// Run a study file and write its outputs.
    Run {
        /// The study file (TOML).
        study: PathBuf,
        /// Output directory (overrides the study's `output_dir`).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check a study file and its inputs, print the row accounting; runs no analysis.
    Validate {
        /// The study file (TOML).
        study: PathBuf,
    },
    /// Write synthetic workloads for benchmarks.
    #[command(subcommand)]
    Synth(SynthCommand),
}

#[derive(Subcommand)]
enum SynthCommand {
    /// Millions of events and thousands of services over real boundaries with population,
    /// with planted hotspots, and the study that runs them (`OUT/study.toml`).
    National(synth::NationalArgs),
}

#[derive(Subcommand)]
enum ExportCommand {
    /// The public (disclosure-controlled) layers as a PMTiles v3 archive.
    Pmtiles {
        /// The results directory a run wrote.
        results: PathBuf,
        /// The archive to write.
        #[arg(long)]
        out: PathBuf,
        /// Lowest zoom.
        #[arg(long, default_value_t = 0)]
        min_zoom: u8,
        /// Highest zoom.
        #[arg(long, default_value_t = 14)]
        max_zoom: u8,
        /// Only tiles over west,south,east,north (degrees); default: the study's bounds.
        #[arg(long, value_parser = export::parse_bbox)]
        bbox: Option<[f64; 4]>,
    },
    /// ANALYST-ONLY DATA: a study's joined events (point locations, possibly of domestic
    /// abuse or ED records), its area x category x month count cube and its areas as
    /// GeoParquet 1.1 (British National Grid), for DuckDB, Dask-GeoPandas or Apache Sedona.
    ///
    /// Reads and joins the study as `run` does (no statistics) and writes
    /// DIR/events/month=YYYY-MM/part-0.parquet, DIR/counts/month=YYYY-MM/part-0.parquet and
    /// DIR/areas.parquet. Keep DIR on the analyst's own machines: it is not disclosure
    /// controlled, and `serve` never reads it.
    Geoparquet {
        /// The study file (TOML).
        study: PathBuf,
        /// The folder to write (must not already hold an export).
        #[arg(long)]
        out: PathBuf,
    },
}

// A national run makes tens of millions of small allocations from every thread (records,
// events, output text); under glibc's malloc a sixth of its time went to the allocator's
// free lists (perf of a ten-million-event run). mimalloc is made for exactly that load.
// Built without transparent huge pages (`no_thp`): with them every first touch of its memory
// zeroed a whole 2 MiB page, 11% of the real national study's CPU time (perf); without,
// its kernel time fell from 1.2 s to 0.9 s.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // `Targets` parses the same `level` / `target=level,...` strings as `EnvFilter` for what we
    // log, without the regex engine that `EnvFilter` compiles in.
    let filter = std::env::var("SAFEMAP_LOG")
        .ok()
        .and_then(|v| v.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(Level::WARN));
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(filter)
        .init();
    match dispatch(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", error_text(&e));
            ExitCode::from(2)
        }
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Demo {
            out,
            seed,
            no_serve,
            serve: args,
        } => {
            let demo = demo::generate(&out, seed)?;
            let results = out.join("results");
            let code = run_study(&demo.study, Some(results.clone()))?;
            demo.print_planted_rejects(&results);
            if no_serve || code != ExitCode::SUCCESS {
                return Ok(code);
            }
            eprintln!(
                "safemap: analyst token in {} (sign in on the map to see exact numbers)",
                out.join(demo::TOKEN_FILE).display()
            );
            serve::serve(&results, &args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            results,
            serve: args,
        } => {
            serve::serve(&results, &args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Synth(SynthCommand::National(args)) => {
            let study = synth::national(&args)?;
            println!(
                "wrote {}: run it with `safemap run {}`",
                study.display(),
                study.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(ExportCommand::Pmtiles {
            results,
            out,
            min_zoom,
            max_zoom,
            bbox,
        }) => {
            let n = export::pmtiles(&results, &out, min_zoom, max_zoom, bbox)?;
            println!(
                "wrote {} ({n} tiles, zooms {min_zoom}-{max_zoom})",
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(ExportCommand::Geoparquet { study, out }) => {
            let study = Study::load(&study)?;
            let summary = safemap_engine::geoparquet::export::export(&study, &out)?;
            println!(
                "wrote {} (analyst only): {} events, {} count cells, {} areas in {} files",
                out.display(),
                summary.events,
                summary.cube_rows,
                summary.areas,
                summary.files.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Run { study, out } => run_study(&study, out),
        Command::Validate { study } => {
            let study = Study::load(&study)?;
            let prepared = prepare(&study)?;
            summary::print_prepared(&study, &prepared);
            Ok(reject_exit_code(
                &study,
                &prepared.over_reject_threshold(&study),
            ))
        }
    }
}

fn run_study(path: &std::path::Path, out: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let study = Study::load(path)?;
    let report = run(&study, &RunOptions { out_dir: out })?;
    summary::print_report(&study, &report, started.elapsed());
    Ok(reject_exit_code(&study, &report.over_reject_threshold))
}

/// Exit code 1, saying which sources passed `max_reject_share`, if any did (`over` is what
/// the engine's `Prepared::over_reject_threshold` found, for `run` and `validate` alike);
/// otherwise 0.
fn reject_exit_code(study: &Study, over: &[(String, f64)]) -> ExitCode {
    for (name, share) in over {
        eprintln!(
            "source {name}: {:.2}% of rows rejected, above max_reject_share = {}; see rejects.csv",
            share * 100.0,
            study.study.max_reject_share.unwrap_or_default()
        );
    }
    if over.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The error and its causes, each said once: many errors already put their cause's text in
/// their own message, so a cause whose text is already there is left out.
fn error_text(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::error_text;
    use anyhow::Context as _;

    #[test]
    fn causes_already_in_the_message_are_said_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let inner = anyhow::Error::new(io).context("cannot read a.csv");
        // A wrapper that repeats its cause in its own message, as thiserror's "{source}" does.
        let outer = inner.context("population: cannot read a.csv");
        assert_eq!(
            error_text(&outer),
            "population: cannot read a.csv: no such file"
        );
        let plain: anyhow::Result<()> =
            Err(anyhow::anyhow!("disk full")).context("cannot write out/areas.csv");
        assert_eq!(
            error_text(&plain.unwrap_err()),
            "cannot write out/areas.csv: disk full"
        );
    }
}
