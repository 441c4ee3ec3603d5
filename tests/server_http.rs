//! The real `safemap serve` over HTTP on loopback: every route and status code, gzip,
//! ETag/304, roles, path traversal, CORS, tiles decoded by an independent MVT reader, and
//! reloads (HTTP and SIGHUP) under concurrent load.
#![allow(clippy::unwrap_used)]

mod serving;

use serving::{areas_csv, client, error_of, tiles_over, Server};
use std::io::{Read, Write};

fn centre_tile(s: &Server, z: u8) -> String {
    let (z, x, y) = serving::centre_tile(s.bounds(), z);
    format!("{z}/{x}/{y}")
}

#[test]
fn json_routes_answer_with_the_documented_statuses() {
    let s = Server::demo();
    // Roles.
    assert_eq!(s.json("/api/session", false)["role"], "public");
    assert_eq!(s.json("/api/session", true)["role"], "analyst");
    let r = client()
        .get(format!("{}/api/session", s.base))
        .bearer_auth("not-the-token")
        .send()
        .unwrap();
    assert!(r.headers().contains_key("www-authenticate"));
    assert_eq!(error_of(r).0, 401);
    // Catalogue and provenance.
    let layers = s.json("/api/layers", false);
    let names: Vec<&str> = layers["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["police", "force", "ed"]);
    assert_eq!(layers["sources"][0]["windows"].as_array().unwrap().len(), 0);
    assert_eq!(layers["sources"][1]["windows"][1]["id"], "nte");
    // The demo is not reported by neighbourhood: no levels, no small areas.
    assert!(layers.get("levels").is_none(), "{}", layers["levels"]);
    assert_eq!(error_of(s.get("/api/small_areas.json")).0, 404);
    let public_manifest = s.json("/api/manifest", false);
    assert!(
        public_manifest["inputs"][0]["sha256"]
            .as_str()
            .unwrap()
            .len()
            == 64
    );
    // The analyst sees the whole manifest with its layer registry; neither has timings (the
    // manifest is byte-identical from run to run).
    let analyst_manifest = s.json("/api/manifest", true);
    assert_eq!(analyst_manifest["format_version"], 1);
    assert!(analyst_manifest["layers"].as_array().unwrap().len() >= 2);
    assert!(public_manifest.get("layers").is_none());
    assert!(public_manifest.get("timings_ms").is_none());
    assert!(analyst_manifest.get("timings_ms").is_none());
    // Areas.
    let n = areas_csv(&s.results).len();
    let all = s.json("/api/areas.json", false);
    assert_eq!(all["areas"].as_array().unwrap().len(), n);
    let r = s.get("/api/areas.geojson?source=force&window=nte");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/geo+json");
    let fc: serde_json::Value = r.json().unwrap();
    assert_eq!(fc["features"].as_array().unwrap().len(), n);
    assert_eq!(fc["features"][0]["geometry"]["type"], "MultiPolygon");
    let code = all["areas"][0]["code"].as_str().unwrap().to_string();
    let one = s.json(&format!("/api/areas/{code}?source=force"), false);
    assert_eq!(one["code"], code.as_str());
    // A sensitive source's monthly counts are for the analyst; an open source's are public.
    assert!(one["monthly"].as_array().unwrap().is_empty());
    assert!(one["hour_of_week"].is_null() && one["hour_of_week_note"].is_string());
    let open = s.json(&format!("/api/areas/{code}?source=police"), false);
    assert_eq!(open["monthly"].as_array().unwrap().len(), 36);
    let exact = s.json(&format!("/api/areas/{code}?source=force"), true);
    assert_eq!(exact["hour_of_week"].as_array().unwrap().len(), 7);
    // Errors, each JSON with a message naming the problem.
    let cases: [(&str, bool, u16, &str); 14] = [
        ("/api/areas/NOPE", false, 404, "NOPE"),
        ("/api/areas.json?source=nope", false, 404, "nope"),
        ("/api/areas.json?category=nope", false, 404, "nope"),
        ("/api/areas.json?from=2024-13", false, 400, "2024-13"),
        (
            "/api/areas.json?from=2025-01&to=2024-01",
            true,
            400,
            "after",
        ),
        ("/api/areas.json?from=2019-01", true, 422, "covers"),
        ("/api/areas.json?color=red", false, 400, "color"),
        (
            "/api/areas.json?source=police&window=nte",
            true,
            422,
            "month-precision",
        ),
        (
            "/api/areas.json?source=force&days=fri&hours=25-2",
            true,
            400,
            "25-2",
        ),
        (
            "/api/areas.json?source=force&days=mon&hours=9-17",
            false,
            403,
            "analyst",
        ),
        (
            "/api/areas.json?source=force&from=2024-02&to=2024-05",
            false,
            403,
            "analyst",
        ),
        (
            "/api/areas.json?source=force&window=weekend",
            false,
            400,
            "weekend",
        ),
        ("/no/such/page", false, 404, "no such page"),
        ("/api/nothing", false, 404, "no such page"),
    ];
    for (path, analyst, status, needle) in cases {
        let r = if analyst {
            s.get_analyst(path)
        } else {
            s.get(path)
        };
        let (got, message) = error_of(r);
        assert_eq!(got, status, "{path}: {message}");
        assert!(message.contains(needle), "{path}: {message}");
    }
    // Custom windows and ranges work for the analyst.
    let custom = s.json(
        "/api/areas.json?source=force&days=mon&hours=9-17&from=2024-02&to=2024-05",
        true,
    );
    assert_eq!(custom["filter"]["window"], "custom");
    // Reload: analyst only, POST only, bounded body.
    assert_eq!(
        error_of(
            client()
                .post(format!("{}/admin/reload", s.base))
                .send()
                .unwrap()
        )
        .0,
        403
    );
    assert_eq!(error_of(s.get_analyst("/admin/reload")).0, 405);
    // A 1 MiB body is refused from its Content-Length, before it is sent.
    let addr = s.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST /admin/reload HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Length: 1048576\r\nConnection: close\r\n\r\n",
        s.token
    )
    .unwrap();
    let mut head = [0_u8; 12];
    stream.read_exact(&mut head).unwrap();
    assert_eq!(&head[9..12], b"413");
    let report = s.reload();
    assert_eq!(report["changed"], false, "same files, same fingerprint");
    // The web map itself.
    let page = s.get("/");
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(page
        .text()
        .unwrap()
        .contains("/vendor/maplibre-gl/maplibre-gl.js"));
}

#[test]
fn analyst_answers_equal_areas_csv_and_public_ones_are_exact_or_protected() {
    let s = Server::demo();
    let rows = areas_csv(&s.results);
    for (source, category) in [
        ("police", "all"),
        ("police", "violence_and_sexual_offences"),
        ("force", "flag_domestic_abuse"),
        ("ed", "all"),
    ] {
        let exact = s.json(
            &format!("/api/areas.json?source={source}&category={category}"),
            true,
        );
        let public = s.json(
            &format!("/api/areas.json?source={source}&category={category}"),
            false,
        );
        for (i, row) in rows.iter().enumerate() {
            let a = &exact["areas"][i];
            assert_eq!(a["code"].as_str().unwrap(), row["code"]);
            let count: u64 = row[&format!("{source}_{category}_count")].parse().unwrap();
            assert_eq!(
                a["count"].as_u64().unwrap(),
                count,
                "{source} {category} {}",
                row["code"]
            );
            for f in ["rate", "rate_lo", "rate_hi", "expected", "excess_risk"] {
                let csv = &row[&format!("{source}_{category}_{f}")];
                match a[f].as_f64() {
                    Some(v) => assert_eq!(v, csv.parse::<f64>().unwrap(), "{f}"),
                    None => assert!(csv.is_empty(), "{f}"),
                }
            }
            let p = &public["areas"][i];
            match (source, p["count"].as_u64()) {
                // police.uk is open data: published exactly.
                ("police", v) => assert_eq!(v, Some(count)),
                (_, Some(v)) => {
                    assert_eq!(v % 5, 0);
                    assert!(v.abs_diff(count) <= 2, "rounded to the nearest 5");
                }
                (_, None) => assert!(p["suppressed"].as_bool().unwrap()),
            }
        }
    }
}

#[test]
fn tiles_gzip_etags_and_bad_coordinates() {
    let s = Server::demo();
    let t = centre_tile(&s, 13);
    let url = format!("{}/tiles/areas/{t}.mvt", s.base);
    let plain = client().get(&url).send().unwrap();
    assert_eq!(plain.status(), 200);
    assert_eq!(
        plain.headers()["content-type"],
        "application/vnd.mapbox-vector-tile"
    );
    assert!(plain.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("public"));
    let etag = plain.headers()["etag"].to_str().unwrap().to_string();
    let raw = plain.bytes().unwrap();
    let gz = client()
        .get(&url)
        .header("accept-encoding", "gzip")
        .send()
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gz.bytes().unwrap()[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, raw, "gzip body decompresses to the plain tile");
    let cached = client()
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .unwrap();
    assert_eq!(cached.status(), 304);
    let analyst = client()
        .get(&url)
        .bearer_auth(&s.token)
        .header("if-none-match", &etag)
        .send()
        .unwrap();
    assert_eq!(
        analyst.status(),
        200,
        "the analyst tile differs from the public one"
    );
    assert!(analyst.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("private"));
    // Empty: a tile far from the city.
    assert_eq!(s.get("/tiles/areas/10/0/0.mvt").status(), 204);
    for (path, status) in [
        ("/tiles/areas/x/1/1.mvt", 400),
        ("/tiles/areas/3/8/1.mvt", 400),
        ("/tiles/areas/3/1/-1.mvt", 400),
        ("/tiles/areas/25/1/1.mvt", 400),
        ("/tiles/nope/3/1/1.mvt", 404),
        ("/tiles/areas/3/1/1.png", 404),
        ("/tiles/nope.json", 404),
    ] {
        assert_eq!(error_of(s.get(path)).0, status, "{path}");
    }
    let tj = s.json("/tiles/areas.json", false);
    assert_eq!(tj["tilejson"], "3.0.0");
    let fields = &tj["vector_layers"][0]["fields"];
    assert_eq!(fields["code"], "String");
    assert_eq!(fields["police_all_count"], "Number");
    assert!(
        fields.get("ed_assaults_gi_star_z").is_none(),
        "no z values in public"
    );
    assert!(
        s.json("/tiles/areas.json", true)["vector_layers"][0]["fields"]
            .get("ed_assaults_gi_star_z")
            .is_some()
    );
}

/// Sends a raw request line (paths exactly as given, not normalised by a client).
fn raw_get(base: &str, path: &str) -> String {
    let addr = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    let _ = stream.read_to_string(&mut out);
    out
}

#[test]
fn no_route_reads_outside_its_directory_and_cors_is_opt_in() {
    let s = Server::demo();
    for path in [
        "/../../Cargo.toml",
        "/%2e%2e/%2e%2e/Cargo.toml",
        "/..%2f..%2fCargo.toml",
        "/vendor/maplibre-gl/..%2f..%2f..%2f..%2fCargo.toml",
        "/src/../../Cargo.toml",
        "/tiles/..%2f..%2fCargo.toml/1/1/1.mvt",
        "/api/areas/..%2f..%2fCargo.toml",
        "/%2fetc%2fpasswd",
        "//etc/passwd",
    ] {
        let resp = raw_get(&s.base, path);
        let status: u16 = resp[9..12].parse().unwrap();
        assert!(matches!(status, 400 | 404), "{path}: {status}");
        assert!(
            !resp.contains("[workspace]") && !resp.contains("root:x"),
            "{path} leaked a file"
        );
    }
    let r = client()
        .get(format!("{}/api/layers", s.base))
        .header("origin", "http://elsewhere.example")
        .send()
        .unwrap();
    assert!(
        !r.headers().contains_key("access-control-allow-origin"),
        "same-origin by default"
    );
    drop(s);
    let dir = serving::demo_dir();
    let s = Server::start(
        &dir.join("results"),
        &dir.join("analyst.token"),
        &["--cors-origin", "http://map.example"],
    );
    let r = client()
        .get(format!("{}/api/layers", s.base))
        .header("origin", "http://map.example")
        .send()
        .unwrap();
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "http://map.example"
    );
}

#[test]
fn tiles_decode_with_an_independent_reader_and_carry_the_areas_csv_rows() {
    let s = Server::demo();
    let rows = areas_csv(&s.results);
    let b = s.bounds();
    let mut seen = std::collections::BTreeSet::new();
    for z in [11_u8, 13] {
        for (_, x, y) in tiles_over(b, z) {
            let r = s.get_analyst(&format!("/tiles/areas/{z}/{x}/{y}.mvt"));
            if r.status() == 204 {
                continue;
            }
            assert_eq!(r.status(), 200);
            let reader = mvt_reader::Reader::new(r.bytes().unwrap().to_vec()).unwrap();
            let meta = reader.get_layer_metadata().unwrap();
            assert_eq!(meta.len(), 1);
            assert_eq!(meta[0].name, "areas");
            assert_eq!(meta[0].extent, 4096);
            for f in reader.get_features(0).unwrap() {
                let id = f.id.unwrap() as usize;
                seen.insert(id);
                let props = f.properties.as_ref().unwrap();
                for (key, csv) in &rows[id] {
                    match props.get(key) {
                        None | Some(mvt_reader::feature::Value::Null) => {
                            assert!(csv.is_empty(), "{key} of area {id}");
                        }
                        Some(mvt_reader::feature::Value::String(v)) => {
                            assert_eq!(v, csv, "{key}");
                        }
                        Some(mvt_reader::feature::Value::UInt(v)) => {
                            assert_eq!(v.to_string(), *csv, "{key}");
                        }
                        Some(mvt_reader::feature::Value::Double(v)) => {
                            assert_eq!(*v, csv.parse::<f64>().unwrap(), "{key} of area {id}");
                        }
                        Some(other) => panic!("{key}: unexpected {other:?}"),
                    }
                }
                let geo_types::Geometry::MultiPolygon(mp) = f.geometry else {
                    panic!("area {id} is not a polygon")
                };
                for p in &mp.0 {
                    let ring_area = |r: &geo_types::LineString<f32>| {
                        r.0.windows(2)
                            .map(|w| {
                                f64::from(w[0].x) * f64::from(w[1].y)
                                    - f64::from(w[1].x) * f64::from(w[0].y)
                            })
                            .sum::<f64>()
                    };
                    assert!(
                        ring_area(p.exterior()) > 0.0,
                        "exterior rings are clockwise (positive area, y down)"
                    );
                    for hole in p.interiors() {
                        assert!(ring_area(hole) < 0.0, "holes are anticlockwise");
                    }
                }
            }
        }
    }
    assert_eq!(seen.len(), rows.len(), "every area appears in some tile");
}

#[test]
fn sign_in_is_offered_only_when_the_server_has_an_analyst_token() {
    let s = Server::demo();
    assert_eq!(s.json("/api/session", false)["analyst_login"], true);
    assert_eq!(s.json("/api/layers", false)["analyst_login"], true);
    drop(s);
    // The same results without the study's [serve] token: nobody can sign in.
    let dir = serving::demo_dir();
    let results = dir.join("results-no-token");
    copy_results(&dir.join("results"), &results);
    let path = results.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    manifest["parameters"]
        .as_object_mut()
        .unwrap()
        .remove("serve");
    std::fs::write(&path, serde_json::to_vec(&manifest).unwrap()).unwrap();
    let s = Server::start_without_token(&results);
    assert_eq!(s.json("/api/session", false)["analyst_login"], false);
    assert_eq!(s.json("/api/layers", false)["analyst_login"], false);
    assert_eq!(s.json("/api/session", false)["role"], "public");
}

/// Copies every file of `from` into `to`.
fn copy_results(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for f in std::fs::read_dir(from).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), to.join(f.file_name())).unwrap();
    }
}

#[test]
fn reloads_under_load_fail_no_request_and_swap_in_new_results() {
    let dir = serving::demo_dir();
    // A second set of results (another seed) to alternate with the first.
    let other = std::env::temp_dir().join(format!("safemap-reload-seed-{}", std::process::id()));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_safemap"))
        .args(["demo", "--no-serve", "--seed", "99", "--out"])
        .arg(&other)
        .output()
        .unwrap();
    assert!(out.status.success());
    let sets = [dir.join("results"), other.join("results")];
    let first_count = |results: &std::path::Path| -> u64 {
        areas_csv(results)[0]["police_all_count"].parse().unwrap()
    };
    assert_ne!(
        first_count(&sets[0]),
        first_count(&sets[1]),
        "the other seed has other counts"
    );

    let served = std::env::temp_dir().join(format!("safemap-reload-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&served);
    copy_results(&sets[0], &served);
    let s = Server::start(&served, &dir.join("analyst.token"), &[]);
    let t = centre_tile(&s, 12);
    let paths = [
        format!("/tiles/areas/{t}.mvt"),
        "/api/areas.json?source=force&window=nte".to_string(),
        "/api/areas.geojson?source=police".to_string(),
        "/api/layers".to_string(),
    ];
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let workers: Vec<_> = (0..6)
        .map(|k| {
            let (base, paths, stop) = (s.base.clone(), paths.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut n = 0_u32;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let p = &paths[(n as usize + k) % paths.len()];
                    let r = client().get(format!("{base}{p}")).send().unwrap();
                    assert!(r.status().is_success(), "{p}: {}", r.status());
                    let _ = r.bytes().unwrap();
                    n += 1;
                }
                n
            })
        })
        .collect();
    // 20 reloads, each swapping in the other set of results while the workers run.
    for k in 1..=20 {
        copy_results(&sets[k % 2], &served);
        let report = s.reload();
        assert_eq!(report["changed"], true, "reload {k} swapped in new results");
        let now = s.json("/api/areas.json", true)["areas"][0]["count"]
            .as_u64()
            .unwrap();
        assert_eq!(
            now,
            first_count(&sets[k % 2]),
            "reload {k} serves the new counts"
        );
    }
    // Reloading unchanged files keeps what is served.
    assert_eq!(s.reload()["changed"], false);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let answered: u32 = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert!(
        answered > 20,
        "requests ran during the reloads ({answered})"
    );

    // SIGHUP reloads too.
    copy_results(&sets[1], &served);
    let hup = std::process::Command::new("kill")
        .args(["-HUP", &s.pid().to_string()])
        .status()
        .unwrap();
    assert!(hup.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while s.json("/api/areas.json", true)["areas"][0]["count"]
        .as_u64()
        .unwrap()
        != first_count(&sets[1])
    {
        assert!(
            std::time::Instant::now() < deadline,
            "SIGHUP did not reload"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = std::fs::remove_dir_all(&served);
    let _ = std::fs::remove_dir_all(&other);
}

#[test]
fn pmtiles_export_holds_the_public_layers_only() {
    let dir = serving::demo_dir();
    let bytes = serving::pmtiles::export(&dir.join("results"), 10, 13).0;
    assert_eq!(&bytes[..7], b"PMTiles");
    assert_eq!(bytes[7], 3, "version 3");
    let u64_at = |o: usize| u64::from_le_bytes(bytes[o..o + 8].try_into().unwrap()) as usize;
    let (meta_offset, meta_len) = (u64_at(24), u64_at(32));
    assert!(u64_at(72) > 0, "addressed tiles");
    assert_eq!(bytes[99], 1, "tile type MVT");
    assert_eq!((bytes[100], bytes[101]), (10, 13), "zoom range");
    let raw = &bytes[meta_offset..meta_offset + meta_len];
    let mut json = Vec::new();
    if bytes[97] == 2 {
        flate2::read::GzDecoder::new(raw)
            .read_to_end(&mut json)
            .unwrap();
    } else {
        json = raw.to_vec();
    }
    let meta: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let layers = meta["vector_layers"].as_array().unwrap();
    let ids: Vec<&str> = layers.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["areas", "context", "density", "emerging", "grid", "labels", "services"]
    );
    let area_fields = layers[0]["fields"].as_object().unwrap();
    assert!(area_fields.contains_key("force_flag_domestic_abuse_count"));
    assert!(
        !area_fields
            .keys()
            .any(|k| k.ends_with("_z") || k.ends_with("_value")),
        "public fields only"
    );
}

/// GET `path` (analyst when `analyst`) without and with `Accept-Encoding: gzip`: the plain
/// body, and the gzipped body's headers and decompressed bytes.
fn plain_and_gzip(
    s: &Server,
    path: &str,
    analyst: bool,
) -> (Vec<u8>, reqwest::header::HeaderMap, Vec<u8>) {
    let get = |gzip: bool| {
        let mut r = client().get(format!("{}{path}", s.base));
        if analyst {
            r = r.bearer_auth(&s.token);
        }
        if gzip {
            r = r.header("accept-encoding", "gzip");
        }
        let r = r.send().unwrap();
        assert_eq!(r.status(), 200, "{path}");
        r
    };
    let plain = get(false);
    assert!(
        plain.headers().get("content-encoding").is_none(),
        "{path}: not compressed for a client that does not ask"
    );
    let plain = plain.bytes().unwrap().to_vec();
    let gz = get(true);
    let headers = gz.headers().clone();
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gz.bytes().unwrap()[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    (plain, headers, unzipped)
}

#[test]
fn every_json_answer_is_gzipped_for_clients_that_accept_it() {
    let s = Server::demo();
    let code = areas_csv(&s.results)[0]["code"].clone();
    for (path, analyst) in [
        ("/api/areas.json".to_string(), false),
        ("/api/areas.json?source=ed&category=all".to_string(), true),
        ("/api/areas.geojson".to_string(), false),
        (format!("/api/areas/{code}"), false),
        ("/api/layers".to_string(), false),
        ("/api/manifest".to_string(), true),
        ("/tiles/areas.json".to_string(), false),
        ("/tiles/labels.json".to_string(), false),
    ] {
        let (plain, headers, unzipped) = plain_and_gzip(&s, &path, analyst);
        assert_eq!(headers["content-encoding"], "gzip", "{path}");
        let vary: Vec<&str> = headers
            .get_all("vary")
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect();
        assert!(
            vary.iter()
                .any(|v| v.to_ascii_lowercase().contains("accept-encoding")),
            "{path}: vary {vary:?}"
        );
        assert_eq!(
            unzipped, plain,
            "{path}: gzip decompresses to the plain answer"
        );
        serde_json::from_slice::<serde_json::Value>(&plain).unwrap();
    }
    // Tiles are gzipped once, by the tile cache: one decompression gives the MVT.
    let t = centre_tile(&s, 12);
    let (plain, headers, unzipped) = plain_and_gzip(&s, &format!("/tiles/areas/{t}.mvt"), false);
    assert_eq!(headers["content-encoding"], "gzip");
    assert_eq!(unzipped, plain);
    mvt_reader::Reader::new(unzipped).unwrap();
}

/// Decoded features of one layer tile: (id, properties, geometry in tile units).
type Decoded = Vec<(
    u64,
    std::collections::HashMap<String, mvt_reader::feature::Value>,
    geo_types::Geometry<f32>,
)>;

fn decode(s: &Server, layer: &str, z: u8, x: u32, y: u32) -> Decoded {
    decode_as(s, layer, (z, x, y), false)
}

/// [`decode`] as the public or the analyst.
fn decode_as(s: &Server, layer: &str, (z, x, y): (u8, u32, u32), analyst: bool) -> Decoded {
    let path = format!("/tiles/{layer}/{z}/{x}/{y}.mvt");
    let r = if analyst {
        s.get_analyst(&path)
    } else {
        s.get(&path)
    };
    if r.status() == 204 {
        return Vec::new();
    }
    assert_eq!(r.status(), 200);
    let reader = mvt_reader::Reader::new(r.bytes().unwrap().to_vec()).unwrap();
    assert_eq!(reader.get_layer_names().unwrap(), [layer]);
    reader
        .get_features(0)
        .unwrap()
        .into_iter()
        .map(|f| (f.id.unwrap(), f.properties.unwrap_or_default(), f.geometry))
        .collect()
}

fn string_prop(
    p: &std::collections::HashMap<String, mvt_reader::feature::Value>,
    key: &str,
) -> String {
    match p.get(key) {
        Some(mvt_reader::feature::Value::String(v)) => v.clone(),
        other => panic!("{key}: {other:?}"),
    }
}

/// The area whose polygon in `areas` contains `p`, if any.
fn area_at(areas: &Decoded, p: geo_types::Point<f32>) -> Option<u64> {
    use geo::Contains;
    areas
        .iter()
        .find_map(|(id, _, g)| g.contains(&p).then_some(*id))
}

/// The demo city's `context` tiles hold its outline (one side in an area, the other
/// outside every area) and the boundaries between its districts (the two sides in areas of
/// different districts, by the area names); its `labels` tiles hold one point inside each
/// area from the zoom where the area is 80 px wide, and a point per district inside one of
/// its areas.
#[test]
fn context_lines_and_labels_match_the_areas_and_their_districts() {
    use safemap_server::dataset::district_of;
    let s = Server::demo();
    let rows = areas_csv(&s.results);
    let district = |id: u64| district_of(&rows[id as usize]["name"]).unwrap().to_string();
    let layers = s.json("/api/layers", false);
    let ids: Vec<&str> = layers["tile_layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"context") && ids.contains(&"labels"),
        "{ids:?}"
    );
    let tj = s.json("/tiles/labels.json", false);
    assert_eq!(tj["vector_layers"][0]["fields"]["name"], "String");
    assert_eq!(
        s.json("/tiles/context.json", false)["vector_layers"][0]["fields"]["kind"],
        "String"
    );

    // Area widths in Web Mercator metres, from the GeoJSON answer.
    let geo = s.json("/api/areas.geojson", false);
    let merc_x = |lon: f64| lon.to_radians() * 6_378_137.0;
    let widths: Vec<f64> = geo["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut lons = Vec::new();
            let mut walk = vec![&f["geometry"]["coordinates"]];
            while let Some(v) = walk.pop() {
                let a = v.as_array().unwrap();
                if a[0].is_number() {
                    lons.push(a[0].as_f64().unwrap());
                } else {
                    walk.extend(a);
                }
            }
            let (w, e) = lons
                .iter()
                .fold((f64::MAX, f64::MIN), |(w, e), &x| (w.min(x), e.max(x)));
            merc_x(e) - merc_x(w)
        })
        .collect();

    let b = s.bounds();
    let (mut outline, mut between) = (0, 0);
    let (mut probes, mut failures) = (0, 0);
    for z in [11_u8, 12, 13, 14] {
        let px_per_metre =
            512.0 * f64::from(1u32 << z) / (2.0 * std::f64::consts::PI * 6_378_137.0);
        let mut labelled = std::collections::BTreeSet::new();
        for (_, x, y) in tiles_over(b, z) {
            let areas = decode(&s, "areas", z, x, y);
            for (_, p, g) in decode(&s, "labels", z, x, y) {
                let pt = match g {
                    geo_types::Geometry::Point(p) => p,
                    geo_types::Geometry::MultiPoint(m) if m.0.len() == 1 => m.0[0],
                    other => panic!("labels are points: {other:?}"),
                };
                let name = string_prop(&p, "name");
                let inside = (0.0..=4096.0).contains(&pt.x()) && (0.0..=4096.0).contains(&pt.y());
                match string_prop(&p, "kind").as_str() {
                    "area" => {
                        let id = rows.iter().position(|r| r["name"] == name).unwrap() as u64;
                        if inside {
                            labelled.insert(id);
                            assert_eq!(
                                area_at(&areas, pt),
                                Some(id),
                                "label {name} inside its area"
                            );
                        }
                    }
                    "district" => {
                        if inside {
                            let at = area_at(&areas, pt).unwrap();
                            assert_eq!(district(at), name, "district label inside the district");
                        }
                    }
                    other => panic!("label kind {other}"),
                }
            }
            if z != 13 {
                continue;
            }
            for (_, p, g) in decode(&s, "context", z, x, y) {
                let kind = string_prop(&p, "kind");
                let lines = match g {
                    geo_types::Geometry::LineString(l) => vec![l],
                    geo_types::Geometry::MultiLineString(m) => m.0,
                    other => panic!("context lines: {other:?}"),
                };
                for l in lines {
                    for w in l.0.windows(2) {
                        let (dx, dy) = (w[1].x - w[0].x, w[1].y - w[0].y);
                        let len = (dx * dx + dy * dy).sqrt();
                        let m = geo_types::Point::new(
                            f32::midpoint(w[0].x, w[1].x),
                            f32::midpoint(w[0].y, w[1].y),
                        );
                        if len < 8.0
                            || !(0.0..=4096.0).contains(&m.x())
                            || !(0.0..=4096.0).contains(&m.y())
                        {
                            continue;
                        }
                        let (nx, ny) = (-dy / len * 3.0, dx / len * 3.0);
                        let a = area_at(&areas, geo_types::Point::new(m.x() + nx, m.y() + ny));
                        let c = area_at(&areas, geo_types::Point::new(m.x() - nx, m.y() - ny));
                        probes += 1;
                        let ok = match kind.as_str() {
                            "study_outline" => {
                                outline += 1;
                                a.is_some() != c.is_some()
                            }
                            "district" => {
                                between += 1;
                                matches!((a, c), (Some(a), Some(c)) if district(a) != district(c))
                            }
                            other => panic!("context kind {other}"),
                        };
                        if !ok {
                            failures += 1;
                        }
                    }
                }
            }
        }
        // An area is labelled at zoom z exactly when it is at least 80 px wide there.
        for (id, w) in widths.iter().enumerate() {
            let wide = w * px_per_metre >= 80.0;
            assert_eq!(
                labelled.contains(&(id as u64)),
                wide,
                "area {id} at z{z}: {} px",
                w * px_per_metre
            );
        }
    }
    assert!(
        outline > 20 && between > 20,
        "outline {outline}, district {between} segments"
    );
    // Probes 3 tile units off a segment's middle can meet a third area near a sharp corner.
    assert!(
        failures * 50 <= probes,
        "{failures} of {probes} probes on the wrong side"
    );
}

/// A numeric MVT property as f64, `None` when absent.
fn number_prop(
    p: &std::collections::HashMap<String, mvt_reader::feature::Value>,
    key: &str,
) -> Option<f64> {
    use mvt_reader::feature::Value as V;
    match p.get(key)? {
        V::UInt(v) => Some(*v as f64),
        V::SInt(v) | V::Int(v) => Some(*v as f64),
        V::Double(v) => Some(*v),
        V::Float(v) => Some(f64::from(*v)),
        V::Null => None,
        other => panic!("{key}: not a number: {other:?}"),
    }
}

/// The Plymouth ward study (20 wards built from 164 LSOAs): both roles' catalogues carry
/// its `levels`, the `small_areas` layer is listed and its tiles over the city centre at z14
/// hold LSOAs, each with its ward's code and name and the run's rate (counts exact for the
/// analyst, protected for the public), while the `areas` tiles hold the wards;
/// `/api/small_areas.json` lists every LSOA with the public columns only.
#[test]
fn a_ward_study_lists_its_levels_and_serves_its_lsoas_as_small_areas() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let tmp = tempfile::tempdir().unwrap();
    let results = tmp.path().join("results");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_safemap"))
        .current_dir(&root)
        .args(["run", "tests/studies/plymouth-wards.toml", "--out"])
        .arg(&results)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = tmp.path().join("analyst.token");
    std::fs::write(&token, "ward-study-analyst-token-0123456789").unwrap();
    let s = Server::start(&results, &token, &[]);

    for analyst in [false, true] {
        let layers = s.json("/api/layers", analyst);
        let levels = &layers["levels"];
        assert_eq!(levels["label"], "ward", "{levels}");
        assert_eq!(levels["switch_zoom"].as_f64(), Some(13.0), "{levels}");
        assert_eq!(levels["small_areas"], "small_areas");
        assert_eq!(levels["small_area_vintage"], "lsoa21");
        assert!(
            layers["tile_layers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["id"] == "small_areas" && t["geometry"] == "polygon"),
            "{}",
            layers["tile_layers"]
        );
    }

    // The run's own files, read independently.
    let wards: std::collections::BTreeMap<String, String> = areas_csv(&results)
        .into_iter()
        .map(|r| (r["code"].clone(), r["name"].clone()))
        .collect();
    assert_eq!(wards.len(), 20);
    let fc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(results.join("small_areas.geojson")).unwrap(),
    )
    .unwrap();
    let file: std::collections::BTreeMap<String, serde_json::Value> = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = f["properties"].clone();
            (p["code"].as_str().unwrap().to_string(), p)
        })
        .collect();
    assert_eq!(file.len(), 164);

    // Plymouth city centre (the Guildhall) at z14.
    let tile = serving::tile_of(-4.1427, 50.3703, 14);
    for analyst in [false, true] {
        let lsoas = decode_as(&s, "small_areas", tile, analyst);
        assert!(lsoas.len() >= 5, "{} LSOAs in the tile", lsoas.len());
        for (_, p, g) in &lsoas {
            let code = string_prop(p, "code");
            assert!(code.starts_with("E01"), "{code}");
            let f = &file[&code];
            assert_eq!(string_prop(p, "name"), f["name"].as_str().unwrap());
            assert!(string_prop(p, "name").starts_with("Plymouth "), "{code}");
            let ward = string_prop(p, "neighbourhood");
            assert_eq!(string_prop(p, "neighbourhood_name"), wards[&ward], "{code}");
            assert_eq!(
                number_prop(p, "police_all_rate"),
                f["police_all_rate"].as_f64(),
                "{code}"
            );
            let exact = f["police_all_count"].as_f64().unwrap();
            match (analyst, number_prop(p, "police_all_count")) {
                (true, got) => assert_eq!(got, Some(exact), "{code}"),
                // Protected: suppressed, or rounded to the nearest 5.
                (false, None) => {}
                (false, Some(got)) => {
                    assert!(
                        got % 5.0 == 0.0 && (got - exact).abs() <= 2.5,
                        "{code}: {got} {exact}"
                    );
                }
            }
            assert!(matches!(g, geo_types::Geometry::MultiPolygon(_)), "{code}");
        }
    }
    let areas = decode_as(&s, "areas", tile, false);
    assert!(!areas.is_empty());
    for (_, p, _) in &areas {
        let code = string_prop(p, "code");
        assert!(wards.contains_key(&code), "{code} is a ward");
    }

    let listed = s.json("/api/small_areas.json", false);
    let rows = listed["small_areas"].as_array().unwrap();
    assert_eq!(rows.len(), 164);
    let manifest = s.json("/api/manifest", true);
    let entry = manifest["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "small_areas")
        .unwrap();
    let public: std::collections::BTreeSet<&str> = entry["public_columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    for r in rows {
        let keys: std::collections::BTreeSet<&str> =
            r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, public);
        let f = &file[r["code"].as_str().unwrap()];
        assert_eq!(r["neighbourhood_name"], f["neighbourhood_name"]);
        assert_eq!(r["police_all_rate"], f["police_all_rate"]);
    }
    let exact = s.json("/api/small_areas.json", true);
    for r in exact["small_areas"].as_array().unwrap() {
        let f = &file[r["code"].as_str().unwrap()];
        assert_eq!(r["police_all_count"], f["police_all_count"]);
    }
}
