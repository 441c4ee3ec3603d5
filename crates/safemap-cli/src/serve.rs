//! `safemap serve` and the serving half of `safemap demo`: the analyst token, the web map's
//! directory, the listener.

use anyhow::Context as _;
use safemap_results::{files, Manifest};
use safemap_server::{AppState, ServerConfig};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Command-line settings of the server.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Port (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// File holding the analyst bearer token (overrides the study's [serve]).
    #[arg(long, conflicts_with = "token_env")]
    pub token_file: Option<PathBuf>,
    /// Environment variable holding the analyst bearer token.
    #[arg(long)]
    pub token_env: Option<String>,
    /// Origin allowed by CORS (repeat; `*` for any). Default: the study's [serve], else none.
    #[arg(long = "cors-origin")]
    pub cors_origins: Vec<String>,
    /// Directory of the web map (default: ./web-map, else the one beside this source tree).
    #[arg(long)]
    pub web_dir: Option<PathBuf>,
    /// Most connections open at once; a new one replaces the one waiting longest for its
    /// client. Keep it well below the open-file limit (`ulimit -n`).
    #[arg(long, default_value_t = safemap_server::DEFAULT_MAX_CONNECTIONS,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_connections: usize,
    /// Seconds a connection may take to send a whole request head (from its opening or the
    /// end of its previous answer).
    #[arg(long, value_name = "SECONDS", default_value_t = safemap_server::DEFAULT_HEADER_READ_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout: u64,
    /// Seconds a connection with no request being answered may go without moving a byte.
    #[arg(long, value_name = "SECONDS", default_value_t = safemap_server::DEFAULT_IDLE_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout: u64,
    /// Seconds from a request's head to its answer, reading the body included (then `408`).
    #[arg(long, value_name = "SECONDS", default_value_t = safemap_server::DEFAULT_REQUEST_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout: u64,
    /// Largest request body accepted, in bytes, chunked or not (then `413`).
    #[arg(long, value_name = "BYTES", default_value_t = safemap_server::DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
}

/// Reads a token file: the first line, trimmed; an empty token is an error.
fn read_token(path: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the analyst token file {}", path.display()))?;
    let token = text.lines().next().unwrap_or_default().trim().to_string();
    anyhow::ensure!(
        !token.is_empty(),
        "the analyst token file {} is empty",
        path.display()
    );
    Ok(token)
}

/// The token from the command line, else from the `[serve]` the run's manifest records.
fn token(args: &ServeArgs, manifest: &Manifest) -> anyhow::Result<Option<String>> {
    let from_env = |var: &str| -> anyhow::Result<Option<String>> {
        let v = std::env::var(var)
            .with_context(|| format!("the analyst token variable {var} is not set"))?;
        anyhow::ensure!(
            !v.trim().is_empty(),
            "the analyst token variable {var} is empty"
        );
        Ok(Some(v.trim().to_string()))
    };
    if let Some(f) = &args.token_file {
        return read_token(f).map(Some);
    }
    if let Some(var) = &args.token_env {
        return from_env(var);
    }
    let serve = &manifest.parameters.serve;
    if let Some(f) = &serve.token_file {
        let study_dir = manifest
            .study_file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        return read_token(&study_dir.join(f)).map(Some);
    }
    if let Some(var) = &serve.token_env {
        return from_env(var);
    }
    Ok(None)
}

fn web_dir(args: &ServeArgs) -> Option<PathBuf> {
    if let Some(d) = &args.web_dir {
        return Some(d.clone());
    }
    let candidates = [
        PathBuf::from("web-map"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web-map"),
    ];
    candidates
        .into_iter()
        .find(|d| d.join("index.html").is_file())
}

/// Loads `results_dir` and serves it until Ctrl-C.
pub fn serve(results_dir: &Path, args: &ServeArgs) -> anyhow::Result<()> {
    let manifest_path = results_dir.join(files::MANIFEST);
    let manifest = Manifest::from_slice(&std::fs::read(&manifest_path).with_context(|| {
        format!(
            "reading {}: is this a results directory of `safemap run`?",
            manifest_path.display()
        )
    })?)
    .with_context(|| format!("{}", manifest_path.display()))?;
    let mut config = ServerConfig::new(results_dir);
    config.token = token(args, &manifest)?;
    config.web_dir = web_dir(args);
    config.max_connections = args.max_connections;
    config.header_read_timeout = Duration::from_secs(args.header_read_timeout);
    config.idle_timeout = Duration::from_secs(args.idle_timeout);
    config.request_timeout = Duration::from_secs(args.request_timeout);
    config.max_body_bytes = args.max_body_bytes;
    config.cors_origins = if args.cors_origins.is_empty() {
        manifest.parameters.serve.cors_origins.clone()
    } else {
        args.cors_origins.clone()
    };
    if config.web_dir.is_none() {
        eprintln!(
            "note: no web-map directory found (pass --web-dir); serving the APIs and tiles only"
        );
    } else if let Some(d) = &config.web_dir {
        if !d
            .join("node_modules/maplibre-gl/dist/maplibre-gl.js")
            .is_file()
        {
            eprintln!(
                "note: {} has no node_modules: run `npm ci --prefix {}` for the map's MapLibre GL JS",
                d.display(),
                d.display()
            );
        }
    }
    let has_token = config.token.is_some();
    let state = AppState::load(config)
        .with_context(|| format!("loading the results in {}", results_dir.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind((args.bind.as_str(), args.port))
            .await
            .with_context(|| format!("listening on {}:{}", args.bind, args.port))?;
        let addr = listener.local_addr()?;
        eprintln!("safemap: serving http://{addr}/");
        eprintln!(
            "safemap: analyst role {}; Ctrl-C stops, SIGHUP or POST /admin/reload reloads the results",
            if has_token { "enabled (bearer token)" } else { "disabled (no token configured)" }
        );
        safemap_server::serve(listener, state)
            .await
            .context("serving")
    })
}
