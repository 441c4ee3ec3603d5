//! What the public role sees is declared, never guessed, and it learns nothing of sensitive
//! inputs beyond their existence.
//!
//! - **Public columns are an allow-list.** A study whose source, categories and analyses are
//!   named with every suffix a results column can carry (`_class_`, `_class`, `_count`, `_g`,
//!   `_z`, `_p`, `_p_sim`, `_local_moran_i`, `_rate`, `_eb`, `_value`, `_quadrant`,
//!   `_coverage`, `_gi_star_class_fdr`) shows the public only the columns the contract
//!   declares (identity, the published measures, the hotspot classes), in MVT and GeoJSON
//!   tiles at several zooms, TileJSON, `/api/areas.json`, `/api/areas.geojson`,
//!   `/api/areas/{code}` and the tiles inside the PMTiles export.
//! - **Sensitivity follows the data.** An `events_csv` source with a domestic-abuse flag
//!   and no `sensitive = true` makes its grid and density analyst only, the run says why,
//!   and a manifest that claims otherwise is not believed.
//! - **Sensitive inputs stay secret.** The public manifest and `/api/layers` give no
//!   checksum, size, file name or count of a sensitive source's files, the service register
//!   or the confidential services; the analyst still sees them.
#![allow(clippy::unwrap_used)]

mod serving;

use mvt_reader::feature::Value as MvtValue;
use serde_json::{json, Value};
use serving::{demo_dir, tiles_over, Server};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The per-measure fields of the areas' attribute table (docs/http-api.md).
const MEASURE_FIELDS: [&str; 6] = [
    "count",
    "rate",
    "rate_lo",
    "rate_hi",
    "expected",
    "excess_risk",
];

/// The study file's common head: the demo city's areas and denominators.
const HEAD: &str = r#"[study]
name = "{name}"
seed = 11
output_dir = "{out}"
rate_per = 1000

[boundaries]
path = "boundaries.geojson"
id_field = "code"
name_field = "name"

[population]
path = "population.csv"
code_column = "code"
value_column = "population"

[deprivation]
path = "deprivation.csv"
code_column = "code"
value_column = "imd_decile"
"#;

/// The columns of the demo city's force extract (`force.csv`).
const FORCE_COLUMNS: &str = r#"[source.columns]
x = "easting"
y = "northing"
crs = "EPSG:27700"
time = "occurred_at"
time_format = "%Y-%m-%d %H:%M"
category = "offence"
"#;

/// Writes a study over the demo city (`HEAD`, then `body`) as `{stem}.toml` beside it, runs
/// it, and returns its results directory and the run summary.
fn run_study(stem: &str, body: &str) -> (PathBuf, String) {
    let dir = demo_dir();
    let out = format!("results-{stem}");
    let study = dir.join(format!("{stem}.toml"));
    let head = HEAD.replace("{name}", stem).replace("{out}", &out);
    std::fs::write(&study, format!("{head}\n{body}")).unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_safemap"))
        .arg("run")
        .arg(&study)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout).to_string();
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (dir.join(out), stdout)
}

/// Serves a results directory with the demo's analyst token.
fn serve(results: &Path) -> Server {
    Server::start(results, &demo_dir().join("analyst.token"), &[])
}

/// Every object key anywhere in a JSON value.
fn json_keys(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                out.insert(k.clone());
                json_keys(v, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| json_keys(v, out)),
        _ => {}
    }
}

/// What the public may see of the areas, worked out from the catalogue as the contract
/// names columns: the published measures of every source and the hotspot classes of every
/// analysis, by exact name; and what it may not: every other column of `areas.csv`.
struct AreasView {
    allowed: BTreeSet<String>,
    forbidden: BTreeSet<String>,
    /// The class columns, which every zoom carries.
    classes: BTreeSet<String>,
    /// Count column → the public count of each area (by id) over the whole period.
    public_counts: HashMap<String, Vec<Option<u64>>>,
}

impl AreasView {
    fn of(s: &Server) -> Self {
        let layers = s.json("/api/layers", false);
        let mut allowed: BTreeSet<String> = ["code", "name", "population", "deprivation"]
            .map(String::from)
            .into();
        let mut public_counts = HashMap::new();
        for source in layers["sources"].as_array().unwrap() {
            let name = source["name"].as_str().unwrap();
            for m in source["measures"].as_array().unwrap() {
                let id = m["id"].as_str().unwrap();
                allowed.extend(MEASURE_FIELDS.map(|f| format!("{name}_{id}_{f}")));
                let answer = s.json(
                    &format!("/api/areas.json?source={name}&category={id}"),
                    false,
                );
                let counts = answer["areas"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["count"].as_u64())
                    .collect();
                public_counts.insert(format!("{name}_{id}_count"), counts);
            }
        }
        let mut classes = BTreeSet::new();
        for a in layers["analyses"].as_array().unwrap() {
            let (name, correction) = (
                a["name"].as_str().unwrap(),
                a["correction"].as_str().unwrap(),
            );
            for st in a["statistics"].as_array().unwrap() {
                let st = st.as_str().unwrap();
                classes.insert(format!("{name}_{st}_class"));
                classes.insert(format!("{name}_{st}_class_{correction}"));
            }
        }
        allowed.extend(classes.iter().cloned());
        // The time layers' columns, as the catalogue declares them to the public.
        let time = &layers["time"];
        for entry in ["emerging", "changes"] {
            for e in time[entry].as_array().unwrap() {
                allowed.extend(
                    e["columns"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| c.as_str().unwrap().to_string()),
                );
            }
        }
        for s in time["nte"]["shares"].as_array().unwrap() {
            allowed.insert(s["column"].as_str().unwrap().to_string());
        }
        let header = csv::Reader::from_path(s.results.join("areas.csv"))
            .unwrap()
            .headers()
            .unwrap()
            .clone();
        let forbidden = header
            .iter()
            .filter(|c| !allowed.contains(*c))
            .map(String::from)
            .collect();
        AreasView {
            allowed,
            forbidden,
            classes,
            public_counts,
        }
    }

    /// Asserts that `key` is declared public.
    fn check_key(&self, what: &str, key: &str) {
        assert!(
            self.allowed.contains(key),
            "{what}: the public sees {key:?}, which is not a declared public column{}",
            if self.forbidden.contains(key) {
                " (an analyst-only column of areas.csv)"
            } else {
                ""
            }
        );
    }

    /// Asserts that the areas features of a tile (id, properties) show only declared
    /// columns, and counts equal to the public JSON's; returns the keys seen.
    fn check_features<'a, V: 'a>(
        &self,
        what: &str,
        features: impl IntoIterator<Item = (u64, &'a HashMap<String, V>)>,
        count_of: impl Fn(&V) -> Option<u64>,
    ) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        for (id, props) in features {
            for (k, v) in props {
                self.check_key(what, k);
                seen.insert(k.clone());
                if let Some(public) = self.public_counts.get(k) {
                    assert_eq!(
                        count_of(v),
                        public[usize::try_from(id).unwrap()],
                        "{what}: {k} of area {id} differs from the public JSON's count"
                    );
                }
            }
        }
        seen
    }
}

fn mvt_count(v: &MvtValue) -> Option<u64> {
    match v {
        MvtValue::UInt(c) => Some(*c),
        MvtValue::Int(c) => u64::try_from(*c).ok(),
        _ => None,
    }
}

/// Checks every layer of an MVT tile the public gets; returns the areas keys seen.
fn check_mvt(view: &AreasView, what: &str, bytes: Vec<u8>) -> BTreeSet<String> {
    let grid_public: BTreeSet<&str> =
        ["cell", "count", "gi_star_class", "gi_star_class_fdr"].into();
    let reader = mvt_reader::Reader::new(bytes).unwrap();
    let mut seen = BTreeSet::new();
    for (i, layer) in reader.get_layer_names().unwrap().iter().enumerate() {
        let features = reader.get_features(i).unwrap();
        match layer.as_str() {
            "areas" => {
                let props: Vec<(u64, HashMap<String, MvtValue>)> = features
                    .into_iter()
                    .map(|f| (f.id.unwrap(), f.properties.unwrap_or_default()))
                    .collect();
                seen.extend(view.check_features(
                    what,
                    props.iter().map(|(id, p)| (*id, p)),
                    mvt_count,
                ));
            }
            "grid" => {
                for f in features {
                    for k in f.properties.unwrap_or_default().keys() {
                        assert!(grid_public.contains(k.as_str()), "{what}: grid key {k:?}");
                    }
                }
            }
            _ => {}
        }
    }
    seen
}

/// The study of the column-name attack: a source (`{source}`), its categories
/// (`{categories}`) and five analyses named with the suffixes of results columns, and a
/// grid.
const SUFFIX_STUDY: &str = r#"
[[source]]
name = "{source}"
format = "events_csv"
paths = ["force.csv"]
join = "spatial"
{categories}
{columns}

[weights]
kind = "queen"

[[analysis]]
name = "da_class_count"
source = "{source}"
category = "all"
statistics = ["gi_star", "local_moran"]
permutations = 99

[[analysis]]
name = "x_z"
source = "{source}"
category = "all"
statistics = ["gi_star"]
correction = "bonferroni"
permutations = 99

[[analysis]]
name = "y_class"
source = "{source}"
category = "all"
value = "count"
statistics = ["local_moran"]
permutations = 99

[[analysis]]
name = "e_rate_eb"
source = "{source}"
category = "all"
value = "eb_rate"
statistics = ["gi_star_rowstd"]
permutations = 99

[[analysis]]
name = "v_gi_star_class_fdr"
source = "{source}"
category = "all"
statistics = ["gi"]
permutations = 99

[grid]
shape = "square"
cell_size_m = 400
source = "{source}"
threshold_m = 800
permutations = 99
"#;

/// Categories named with the suffixes of results columns.
const SUFFIX_CATEGORIES: &str = r#"
[source.categories]
"Violence with injury" = "Drug supply class A"
"Violence without injury" = "assault_class"
"Criminal damage" = "damage_count"
"Public order offences" = "order_g_value"
"Stalking and harassment" = "stalking_z"
"Robbery" = "robbery_p"
"Sexual offences" = "sexual_p_sim_quadrant"
"Arson" = "arson_local_moran_i"
"Possession of weapons offences" = "weapons_rate_eb_coverage"
"#;

/// The analyses of `SUFFIX_STUDY` over source `source` (its categories mapped by
/// `categories`) show the public only the declared columns of the areas, everywhere;
/// `count_column` is a published count the public must see.
fn only_declared_columns_reach_the_public(
    stem: &str,
    source: &str,
    categories: &str,
    count_column: &str,
) {
    let study = SUFFIX_STUDY
        .replace("{source}", source)
        .replace("{categories}", categories)
        .replace("{columns}", FORCE_COLUMNS);
    let (results, _) = run_study(stem, &study);
    let s = serve(&results);
    let view = AreasView::of(&s);
    // The attack's columns exist, for the analyst, and are what the public must not see.
    for c in [
        "da_class_count_value",
        "da_class_count_gi_star_z",
        "da_class_count_gi_star_p",
        "da_class_count_gi_star_p_sim",
        "da_class_count_local_moran_i",
        "x_z_gi_star_g",
        "y_class_local_moran_quadrant",
        "e_rate_eb_gi_star_rowstd_z",
        "v_gi_star_class_fdr_gi_p",
        format!("{source}_coverage").as_str(),
    ] {
        assert!(view.forbidden.contains(c), "{c} is not in areas.csv");
    }
    assert!(view.classes.contains("x_z_gi_star_class_bonferroni"));
    assert!(view.allowed.contains(count_column));

    // TileJSON: declared columns only, the classes among them.
    let fields: BTreeSet<String> = s.json("/tiles/areas.json", false)["vector_layers"][0]["fields"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    for k in &fields {
        view.check_key("TileJSON", k);
    }
    assert!(view.classes.is_subset(&fields), "{fields:?}");

    // MVT and GeoJSON tiles at low, middle and high zooms.
    for z in [8, 11, 14] {
        let mut seen = BTreeSet::new();
        for (z, x, y) in tiles_over(s.bounds(), z) {
            let what = format!("/tiles/areas/{z}/{x}/{y}.mvt");
            let r = s.get(&what);
            if r.status() == 204 {
                continue;
            }
            assert_eq!(r.status(), 200, "{what}");
            seen.extend(check_mvt(&view, &what, r.bytes().unwrap().to_vec()));
            let what = what.replace(".mvt", ".geojson");
            let tile = s.json(&what, false);
            let features: Vec<(u64, HashMap<String, Value>)> = tile["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    let props = f["properties"].as_object().unwrap();
                    (
                        f["id"].as_u64().unwrap(),
                        props.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                    )
                })
                .collect();
            view.check_features(
                &what,
                features.iter().map(|(id, p)| (*id, p)),
                Value::as_u64,
            );
            let what = format!("/tiles/grid/{z}/{x}/{y}.mvt");
            let r = s.get(&what);
            if r.status() == 200 {
                check_mvt(&view, &what, r.bytes().unwrap().to_vec());
            }
        }
        assert!(view.classes.is_subset(&seen), "zoom {z}: {seen:?}");
        if z >= 10 {
            assert!(seen.contains(count_column), "zoom {z}");
        }
    }

    // JSON answers: no analyst-only column by name, and only classes of the analyses.
    let layers = s.json("/api/layers", false);
    let measures = layers["sources"][0]["measures"].as_array().unwrap();
    let areas = serving::areas_csv(&results);
    for m in measures {
        let q = format!("source={source}&category={}", m["id"].as_str().unwrap());
        for route in ["/api/areas.json", "/api/areas.geojson"] {
            let mut keys = BTreeSet::new();
            json_keys(&s.json(&format!("{route}?{q}"), false), &mut keys);
            assert!(keys.is_disjoint(&view.forbidden), "{route}?{q}: {keys:?}");
        }
    }
    let mut classes_shown = 0;
    for row in &areas {
        let code = &row["code"];
        let answer = s.json(&format!("/api/areas/{code}"), false);
        let mut keys = BTreeSet::new();
        json_keys(&answer, &mut keys);
        assert!(
            keys.is_disjoint(&view.forbidden),
            "/api/areas/{code}: {keys:?}"
        );
        for a in answer["analyses"].as_array().unwrap() {
            let entry: BTreeSet<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(
                entry,
                [
                    "analysis",
                    "category",
                    "class",
                    "class_adjusted",
                    "correction",
                    "source",
                    "statistic"
                ]
                .into(),
                "/api/areas/{code}: {a}"
            );
            let column = format!(
                "{}_{}_class",
                a["analysis"].as_str().unwrap(),
                a["statistic"].as_str().unwrap()
            );
            assert_eq!(
                a["class"].as_str().unwrap_or_default(),
                row[&column],
                "{code} {column}"
            );
            classes_shown += 1;
        }
    }
    assert_eq!(classes_shown, areas.len() * view.classes.len() / 2);

    // The PMTiles export: every tile inside it, decoded.
    let archive = serving::pmtiles::export(&results, 8, 14);
    let meta = archive.metadata();
    for layer in meta["vector_layers"].as_array().unwrap() {
        if layer["id"] == "areas" {
            for k in layer["fields"].as_object().unwrap().keys() {
                view.check_key("PMTiles metadata", k);
            }
        }
    }
    let tiles = archive.tiles();
    assert!(tiles.len() > 10, "{} tiles", tiles.len());
    let mut seen = BTreeSet::new();
    for (i, tile) in tiles.into_iter().enumerate() {
        seen.extend(check_mvt(&view, &format!("PMTiles tile {i}"), tile));
    }
    assert!(view.classes.is_subset(&seen), "{seen:?}");
    assert!(seen.contains(count_column));
}

#[test]
fn analyses_named_like_columns_show_the_public_only_their_classes() {
    only_declared_columns_reach_the_public("suffix-analyses", "force", "", "force_all_count");
}

#[test]
fn sources_and_categories_named_like_columns_show_the_public_only_published_measures() {
    only_declared_columns_reach_the_public(
        "suffix-categories",
        "da_class_p",
        SUFFIX_CATEGORIES,
        "da_class_p_drug_supply_class_a_count",
    );
}

/// A source called nothing in particular, with a domestic-abuse flag and no
/// `sensitive = true`, and a grid and density surface of its events.
fn flagged_study() -> String {
    format!(
        r#"
[[source]]
name = "incidents"
format = "events_csv"
paths = ["force.csv"]
join = "spatial"

{FORCE_COLUMNS}domestic_abuse = "domestic_abuse"

[grid]
shape = "hexagon"
cell_size_m = 300
source = "incidents"
threshold_m = 600
permutations = 99

[density]
source = "incidents"
cell_size_m = 100
"#
    )
}

/// The ids of the tile layers `/api/layers` lists for a role.
fn tile_layers(s: &Server, analyst: bool) -> Vec<String> {
    s.json("/api/layers", analyst)["tile_layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect()
}

/// The public gets no grid or density of `s`; the analyst gets both.
fn assert_analyst_only_surfaces(s: &Server) {
    let public = tile_layers(s, false);
    assert!(
        !public.iter().any(|l| l == "grid" || l == "density"),
        "{public:?}"
    );
    let analyst = tile_layers(s, true);
    assert!(
        ["grid", "density"]
            .iter()
            .all(|l| analyst.iter().any(|a| a == l)),
        "{analyst:?}"
    );
    let tiles = tiles_over(s.bounds(), 12);
    let (z, x, y) = tiles[tiles.len() / 2];
    for layer in ["grid", "density"] {
        for path in [
            format!("/tiles/{layer}.json"),
            format!("/tiles/{layer}/{z}/{x}/{y}.mvt"),
            format!("/tiles/{layer}/{z}/{x}/{y}.geojson"),
        ] {
            assert_eq!(serving::error_of(s.get(&path)).0, 403, "{path}");
            assert!(
                [200, 204].contains(&s.get_analyst(&path).status().as_u16()),
                "{path} (analyst)"
            );
        }
    }
}

#[test]
fn a_domestic_abuse_flag_makes_every_layer_of_its_events_analyst_only() {
    let (results, summary) = run_study("flagged", &flagged_study());
    assert!(
        summary.lines().any(|l| l.contains("incidents")
            && l.contains("sensitive")
            && l.contains("domestic-abuse flag")),
        "the run does not say why incidents is sensitive:\n{summary}"
    );
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(results.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["sources"][0]["sensitive"], true);
    let s = serve(&results);
    assert_analyst_only_surfaces(&s);
    let meta = serving::pmtiles::export(&results, 12, 12).metadata();
    let ids: BTreeSet<&str> = meta["vector_layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains("grid") && !ids.contains("density"), "{ids:?}");
    drop(s);

    // A manifest that says the source and its layers are not sensitive is not believed: the
    // source's measures show the flag.
    let copy = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(&results).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, copy.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    let mut m = manifest;
    m["sources"][0]["sensitive"] = json!(false);
    m["sources"][0]
        .as_object_mut()
        .unwrap()
        .remove("sensitive_because");
    for layer in m["layers"].as_array_mut().unwrap() {
        layer["sensitive"] = json!(false);
    }
    std::fs::write(
        copy.path().join("manifest.json"),
        serde_json::to_vec_pretty(&m).unwrap(),
    )
    .unwrap();
    assert_analyst_only_surfaces(&serve(copy.path()));
}

#[test]
fn the_public_learns_only_that_sensitive_inputs_exist() {
    let s = Server::demo();
    let analyst = s.json("/api/manifest", true);
    let public = s.json("/api/manifest", false);
    let public_text = public.to_string();
    let sensitive_sources: BTreeSet<String> = analyst["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["sensitive"] == true)
        .map(|s| format!("source:{}", s["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        sensitive_sources,
        ["source:ed", "source:force"].map(String::from).into()
    );
    let mut secret = 0;
    for input in analyst["inputs"].as_array().unwrap() {
        let role = input["role"].as_str().unwrap();
        let sha = input["sha256"].as_str().unwrap();
        let file = Path::new(input["path"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let shown: Vec<&Value> = public["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["role"] == role)
            .collect();
        if sensitive_sources.contains(role) || role == "services" {
            secret += 1;
            assert!(
                !public_text.contains(sha),
                "{role}: checksum of {file} public"
            );
            assert!(
                !public_text.contains(&file),
                "{role}: {file} named in public"
            );
            assert_eq!(shown, [&json!({"role": role, "sensitive": true})], "{role}");
        } else {
            let same: Vec<&&Value> = shown.iter().filter(|i| i["file"] == file).collect();
            assert_eq!(same.len(), 1, "{role} {file}");
            assert_eq!(same[0]["sha256"], sha, "{role}: public provenance kept");
            assert_eq!(same[0]["bytes"], input["bytes"], "{role}");
        }
    }
    assert!(secret >= 3, "ed, force and the service register");
    let mut keys = BTreeSet::new();
    json_keys(&public, &mut keys);
    for k in [
        "accounting",
        "bytes_read",
        "read",
        "services_confidential_withheld",
    ] {
        assert!(!keys.contains(k), "public manifest has {k}");
    }

    // /api/layers: the analyst learns how many confidential services were withheld, the
    // public does not.
    let analyst = s.json("/api/layers", true);
    assert!(
        analyst["services"]["confidential_withheld"]
            .as_u64()
            .unwrap()
            > 0
    );
    let public = s.json("/api/layers", false);
    let mut keys = BTreeSet::new();
    json_keys(&public, &mut keys);
    assert!(
        !keys
            .iter()
            .any(|k| k.contains("confidential") || k.contains("withheld")),
        "{keys:?}"
    );
    assert_eq!(public["services"]["present"], true);
    // The kinds are those of the services the layer holds, with labels; refuges, all
    // confidential, are not among them.
    let mut register = csv::Reader::from_path(demo_dir().join("services.csv")).unwrap();
    let mut listed: Vec<String> = register
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .filter(|k| k != "refuge")
        .collect();
    listed.sort_unstable();
    listed.dedup();
    assert!(listed.len() >= 3, "{listed:?}");
    assert_eq!(public["services"]["kinds"], json!(listed));
    assert_eq!(
        public["services"]["kind_labels"]["idva_service"],
        "IDVA service"
    );
    assert_eq!(
        public["services"]["kind_labels"]["family_hub"],
        "Family hub"
    );
}
