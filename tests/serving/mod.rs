//! Support for the HTTP tests: the demo city's results, and the real `safemap serve`
//! process on a free loopback port.
#![allow(dead_code)] // each test file uses a different subset
#![allow(clippy::unwrap_used)] // test support: a failed unwrap is a failed test

pub mod pmtiles;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

/// The demo city, generated and run once per test binary.
pub fn demo_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("safemap-serving-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let out = Command::new(env!("CARGO_BIN_EXE_safemap"))
            .args(["demo", "--no-serve", "--out"])
            .arg(&dir)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
}

/// A running `safemap serve`, killed on drop.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The analyst token.
    pub token: String,
    /// The results directory served.
    pub results: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Serves `results` with the token in `token_file`.
    pub fn start(results: &Path, token_file: &Path, extra: &[&str]) -> Server {
        Server::spawn(results, Some(token_file), extra, None)
    }

    /// As [`Server::start`], in a process that may hold at most `open_files` files
    /// (`ulimit -n`, through `sh`).
    pub fn start_with_open_files(
        results: &Path,
        token_file: &Path,
        extra: &[&str],
        open_files: u32,
    ) -> Server {
        Server::spawn(results, Some(token_file), extra, Some(open_files))
    }

    /// Serves `results` with no token on the command line (the manifest's `[serve]`, if any,
    /// still applies); `token` is then empty.
    pub fn start_without_token(results: &Path) -> Server {
        Server::spawn(results, None, &[], None)
    }

    fn spawn(
        results: &Path,
        token_file: Option<&Path>,
        extra: &[&str],
        open_files: Option<u32>,
    ) -> Server {
        let bin = env!("CARGO_BIN_EXE_safemap");
        let mut cmd = match open_files {
            Some(n) => {
                let mut sh = Command::new("sh");
                sh.arg("-c")
                    .arg(format!("ulimit -n {n} && exec \"$0\" \"$@\""))
                    .arg(bin);
                sh
            }
            None => Command::new(bin),
        };
        cmd.arg("serve").arg(results).args(["--port", "0"]);
        if let Some(f) = token_file {
            cmd.arg("--token-file").arg(f);
        }
        let mut child = cmd
            .args(extra)
            .env("SAFEMAP_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("safemap serve exited before serving")
                .unwrap();
            if let Some(url) = line.strip_prefix("safemap: serving ") {
                break url.trim_end_matches('/').to_string();
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server {
            child,
            base,
            token: token_file.map_or_else(String::new, |f| {
                std::fs::read_to_string(f).unwrap().trim().to_string()
            }),
            results: results.to_path_buf(),
        }
    }

    /// Serves the demo city's results with its token.
    pub fn demo() -> Server {
        let dir = demo_dir();
        Server::start(&dir.join("results"), &dir.join("analyst.token"), &[])
    }

    /// The process id (for signals).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A public GET.
    pub fn get(&self, path: &str) -> reqwest::blocking::Response {
        client().get(format!("{}{path}", self.base)).send().unwrap()
    }

    /// An analyst GET.
    pub fn get_analyst(&self, path: &str) -> reqwest::blocking::Response {
        client()
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .unwrap()
    }

    /// `POST /admin/reload` as the analyst, asserting 200; the reload report.
    pub fn reload(&self) -> serde_json::Value {
        let r = client()
            .post(format!("{}/admin/reload", self.base))
            .bearer_auth(&self.token)
            .send()
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json().unwrap()
    }

    /// GET as JSON, asserting 200.
    pub fn json(&self, path: &str, analyst: bool) -> serde_json::Value {
        let r = if analyst {
            self.get_analyst(path)
        } else {
            self.get(path)
        };
        assert_eq!(r.status(), 200, "{path}");
        r.json().unwrap()
    }
}

/// A client without automatic decompression or redirects.
pub fn client() -> reqwest::blocking::Client {
    static C: OnceLock<reqwest::blocking::Client> = OnceLock::new();
    C.get_or_init(|| {
        reqwest::blocking::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    })
    .clone()
}

/// The status and JSON error message of a response.
pub fn error_of(r: reqwest::blocking::Response) -> (u16, String) {
    let status = r.status().as_u16();
    let body: serde_json::Value = r.json().unwrap();
    assert_eq!(body["error"]["status"], status, "{body}");
    (
        status,
        body["error"]["message"].as_str().unwrap().to_string(),
    )
}

/// `areas.csv` of a results directory as rows of column → value.
pub fn areas_csv(results: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(results.join("areas.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The tile containing a WGS84 point.
pub fn tile_of(lon: f64, lat: f64, z: u8) -> (u8, u32, u32) {
    let n = f64::from(1_u32 << z);
    let x = ((lon + 180.0) / 360.0 * n).floor() as u32;
    let lat = lat.to_radians();
    let y = ((1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor()
        as u32;
    (z, x, y)
}

impl Server {
    /// The study's bounds `[west, south, east, north]` (WGS84), as the public `/api/layers`
    /// gives them.
    pub fn bounds(&self) -> [f64; 4] {
        let layers = self.json("/api/layers", false);
        let b: Vec<f64> = layers["bounds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        [b[0], b[1], b[2], b[3]]
    }
}

/// Every tile `(z, x, y)` over `bounds` at zoom `z`.
pub fn tiles_over(bounds: [f64; 4], z: u8) -> Vec<(u8, u32, u32)> {
    let (_, x0, y1) = tile_of(bounds[0], bounds[1], z);
    let (_, x1, y0) = tile_of(bounds[2], bounds[3], z);
    (x0..=x1)
        .flat_map(|x| (y0..=y1).map(move |y| (z, x, y)))
        .collect()
}

/// The tile at the centre of `bounds` at zoom `z`.
pub fn centre_tile(bounds: [f64; 4], z: u8) -> (u8, u32, u32) {
    tile_of(
        f64::midpoint(bounds[0], bounds[2]),
        f64::midpoint(bounds[1], bounds[3]),
        z,
    )
}
