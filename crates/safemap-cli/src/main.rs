//! `safemap`: the command line.
//!
//! Exit codes: 0 success; 1 the run finished but a source rejected more rows than the
//! study's `max_reject_share`; 2 a usage, config or input error (the message names the
//! file or key and what to do).

// The binary is where printing belongs (the workspace lint forbids it in libraries).
#![allow(clippy::print_stdout)]

mod demo;
mod summary;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use safemap_engine::{prepare, run, RunOptions, Study};
use std::path::PathBuf;
use std::process::ExitCode;

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
        /// Do not start the map server afterwards (the only mode until the server lands).
        #[arg(long)]
        no_serve: bool,
    },
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
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SAFEMAP_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match dispatch(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
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
        } => {
            let study_file = demo::generate(&out, seed)?;
            if !no_serve {
                eprintln!("note: the map server is not built yet; running as with --no-serve");
            }
            run_study(&study_file, Some(out.join("results")))
        }
        Command::Run { study, out } => run_study(&study, out),
        Command::Validate { study } => {
            let study = Study::load(&study)?;
            let prepared = prepare(&study)?;
            summary::print_prepared(&study, &prepared);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn run_study(path: &std::path::Path, out: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let study = Study::load(path)?;
    let report = run(&study, &RunOptions { out_dir: out })
        .with_context(|| format!("running study {}", path.display()))?;
    summary::print_report(&study, &report);
    if report.over_reject_threshold.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        for (name, share) in &report.over_reject_threshold {
            eprintln!(
                "source {name}: {:.2}% of rows rejected, above max_reject_share = {}; see rejects.csv",
                share * 100.0,
                study.study.max_reject_share.unwrap_or_default()
            );
        }
        Ok(ExitCode::from(1))
    }
}
