//! `safemap demo`: the synthetic city and its study file.

use anyhow::Context as _;
use std::path::{Path, PathBuf};

/// The demo study, relative to the directory the city is written to.
const STUDY: &str = r#"# The synthetic demo city: written by `safemap demo`.
[study]
name = "Demo city (synthetic)"
seed = {seed}
output_dir = "results"
rate_per = 1000
confidence = 0.95
max_reject_share = 0.10

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

[services]
path = "services.csv"

# `safemap demo` writes a fresh random analyst token here.
[serve]
token_file = "analyst.token"

[[source]]
name = "police"
format = "police_uk"
paths = ["police/*.csv"]
join = "spatial"

[[source]]
name = "force"
format = "events_csv"
paths = ["force.csv"]
join = "spatial"
sensitive = true

[source.columns]
x = "easting"
y = "northing"
crs = "EPSG:27700"
time = "occurred_at"
time_format = "%Y-%m-%d %H:%M"
category = "offence"
domestic_abuse = "domestic_abuse"

[[source]]
name = "ed"
format = "ed_istv"
paths = ["ed.csv"]
join = "spatial"
sensitive = true

# ED assaults against the force's violence with injury per area: the ED share of both, and
# whether it is significantly above the study's (exact binomial test, FDR) - violence that
# does not reach the police. Analyst only, in areas.geojson; ed_summary.csv has the ED
# figures (weekend, 21:00-02:59, alcohol, method, location type and their cross-tabs).
[ed_vs_police]
ed = "ed"
police = "force"
category = "violence_with_injury"

# Hotspots: Gi* (binary queen weights, self included) and Local Moran, 999 conditional
# permutations, raw and FDR-adjusted classes side by side.
[weights]
kind = "queen"

[[analysis]]
name = "ed_assaults"
source = "ed"
category = "all"
statistics = ["gi_star", "local_moran"]

[[analysis]]
name = "domestic_abuse"
source = "force"
category = "flag_domestic_abuse"
value = "rate"
statistics = ["gi_star", "local_moran", "global_moran"]

[[analysis]]
name = "violence_2025"
source = "police"
category = "violence_and_sexual_offences"
period = { from = "2025-01", to = "2025-12" }
statistics = ["gi_star"]

[[analysis]]
name = "violence_2023"
source = "police"
category = "violence_and_sexual_offences"
period = { from = "2023-01", to = "2023-12" }
statistics = ["gi_star"]

# Time: the study summary compares 2025 with 2024 (summary.csv, change.csv); each area's
# change in violence with an exact test; emerging hot spots of violence by quarter, each
# quarter's Gi* over the area, its neighbours and the previous quarter (lags = 1), on areas
# and hexagons (emerging.geojson); and hot spots of violence in the night-time economy only
# (Friday and Saturday nights 21:00-02:59).
[time]
period = "2025"

[[change]]
name = "violence_change"
source = "police"
category = "violence_and_sexual_offences"

[[emerging]]
name = "violence_trend"
source = "police"
category = "violence_and_sexual_offences"
slice = "quarter"
lags = 1
value = "rate"
grid = true

[[analysis]]
name = "nte_violence"
source = "force"
category = "violence_with_injury"
window = "nte"
value = "count"
statistics = ["gi_star"]

# Hotspots on 300 m hexagons, neighbours within 600 m, and a kernel density surface of
# police-recorded violence (quartic kernel, ArcGIS Pro's default bandwidth rule).
[grid]
shape = "hexagon"
cell_size_m = 300
source = "police"
category = "violence_and_sexual_offences"
threshold_m = 600

[density]
source = "police"
category = "violence_and_sexual_offences"
cell_size_m = 100
kernel = "quartic"

[[analysis]]
name = "violence_eb"
source = "police"
category = "violence_and_sexual_offences"
value = "eb_rate"
statistics = ["gi_star", "global_moran"]

# Do the hotspots of one period predict where violence happens next? Hit rate, PAI, PEI and
# RRI (docs/evaluation.md) of the Gi* hot areas and cells of the first 18 months against
# the last 18, and of each 12 months against the month after, in evaluation.json.
[[evaluation]]
name = "violence_gi_star"
source = "police"
category = "violence_and_sexual_offences"

# The same with the 5% of areas and cells that had the most violence.
[[evaluation]]
name = "violence_top_5"
source = "police"
category = "violence_and_sexual_offences"
hotspots = "top_share"
top_share = 0.05

# Service gaps for commissioners: per area and kind of service the nearest service, the
# services within 3 km and enhanced 2SFCA access (Luo and Qi's weights up to 1, 2 and 3 km),
# in access.csv; a need index of domestic abuse and deprivation; need against access; three
# new IDVA services where they reach (within 2 km) the most high-need residents no IDVA
# service reaches
# (candidate_sites.geojson); and a priority ranking with its drivers (priority.csv).
[access]
within = 3000

[[access.score]]
name = "e2sfca_3km"
max_cost = 3000
decay = "stepwise"
steps = [[1000, 1.0], [2000, 0.68], [3000, 0.22]]

[need]
[[need.component]]
column = "force_flag_domestic_abuse_rate"
weight = 1.0

[[need.component]]
column = "deprivation"
weight = 1.0
higher_is_more = false

[gap]
score = "e2sfca_3km"

[sites]
kind = "idva_service"
count = 3
coverage_cost = 2000

[priority]
top = 10

[[priority.component]]
column = "need"
weight = 1.0

[[priority.component]]
column = "gap_idva_service"
weight = 1.0
"#;

/// The analyst token file, in the demo directory.
pub const TOKEN_FILE: &str = "analyst.token";

/// A demo city written to disk.
pub struct Demo {
    /// The study file.
    pub study: PathBuf,
    /// Rows of the police.uk files that the city publishes without a location, as
    /// data.police.uk does for some crimes: the spatial join rejects them.
    pub police_without_location: u64,
}

impl Demo {
    /// Tells the user that the `no coordinates` rejects are planted on purpose.
    pub fn print_planted_rejects(&self, results: &Path) {
        if self.police_without_location > 0 {
            println!(
                "demo: the {} police rows without coordinates are planted by the synthetic city \
                 (data.police.uk publishes some crimes without a location) to show how rejects are \
                 reported; see {}",
                crate::summary::thousands(self.police_without_location),
                results.join("rejects.csv").display()
            );
        }
    }
}

/// Writes the city, its study file and a fresh random analyst token into `dir`.
pub fn generate(dir: &Path, seed: u64) -> anyhow::Result<Demo> {
    let params = safemap_synth::CityParams::default().seed(seed);
    let city = safemap_synth::generate(&params);
    let police_without_location =
        city.police.iter().filter(|r| r.map_point.is_none()).count() as u64;
    city.write_to(dir)
        .with_context(|| format!("writing the demo city to {}", dir.display()))?;
    let study = dir.join("study.toml");
    std::fs::write(&study, STUDY.replace("{seed}", &seed.to_string()))
        .with_context(|| format!("writing {}", study.display()))?;
    let token: String = (0..32)
        .map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[rand::random_range(0..36)]))
        .collect();
    let token_path = dir.join(TOKEN_FILE);
    std::fs::write(&token_path, format!("{token}\n"))
        .with_context(|| format!("writing {}", token_path.display()))?;
    Ok(Demo {
        study,
        police_without_location,
    })
}
