//! The JSON APIs: `/api/session`, `/api/layers`, `/api/manifest`, `/api/areas.json`,
//! `/api/areas.geojson` and `/api/areas/{code}`.

use crate::dataset::Dataset;
use crate::error::AppError;
use crate::filter::{FilterParams, Query};
use crate::labels::human_label;
use crate::role::Role;
use crate::state::AppState;
use crate::values::{derive, Derived, Shown};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use safemap_results::columns::{analysis_column, class_columns};
use safemap_tiles::PropValue;
use safemap_types::time::{Month, MonthRange, NTE};
use safemap_types::ServiceKind;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The disclosure block of an answer: what was applied for this role.
fn disclosure(data: &Dataset, role: Role) -> Value {
    if role.is_analyst() {
        json!({"applied": false, "note": "analyst view: exact numbers; do not publish them"})
    } else {
        let r = data.disclosure;
        json!({
            "applied": true,
            "suppress_max": r.suppress_max,
            "round_to": r.round_to,
            "protection_width": r.protection_width(),
            "note": format!(
                "Public view: counts of sensitive sources (domestic abuse, ED assaults) are published for the whole study period only, all hours or the night-time economy; counts from 0 to {} are suppressed alike and all others rounded to the nearest {}; further counts are suppressed until no hidden count can be narrowed to fewer than {} values by combining public answers. Other sources are open data and published exactly. Rates are computed from the published counts.",
                r.suppress_max, r.round_to, r.protection_width() + 1
            ),
        })
    }
}

/// Runs CPU work on the blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

/// Whether this server has an analyst role to sign in as (a token is configured).
fn analyst_login(state: &AppState) -> bool {
    state.config().token.is_some()
}

/// `GET /api/session`.
pub async fn session(State(state): State<AppState>, role: Role) -> Json<Value> {
    let data = state.data();
    Json(json!({
        "role": role.as_str(),
        "analyst_login": analyst_login(&state),
        "disclosure": disclosure(&data, role),
    }))
}

/// `GET /api/layers`. Every id (source, measure, analysis) comes with a human `label`.
pub async fn layers(State(state): State<AppState>, role: Role) -> Json<Value> {
    let data = state.data();
    let tile_layers: Vec<Value> = data
        .layers
        .iter()
        .filter(|(_, l)| l.attributes(role.is_analyst()).is_some())
        .map(|(id, l)| json!({"id": id, "geometry": l.geometry_type, "tilejson": format!("/tiles/{id}.json")}))
        .collect();
    let sources: Vec<Value> = data
        .sources
        .iter()
        .zip(&data.published)
        .zip(&data.rate_bases)
        .map(|((s, p), base)| {
            let measures: Vec<Value> = std::iter::once(json!({"id": "all", "label": "All categories", "kind": "all"}))
                .chain(s.slugs.iter().zip(&s.labels).enumerate().map(|(i, (id, label))| {
                    let kind = if i < s.n_categories { "category" } else { "flag" };
                    json!({"id": id, "label": human_label(label), "kind": kind})
                }))
                .collect();
            let periods: Vec<Value> = p
                .periods
                .iter()
                .map(|p| {
                    let label = if p.id == "all" { p.months.to_string() } else { p.id.clone() };
                    json!({"id": p.id, "from": p.months.from(), "to": p.months.to(), "label": label})
                })
                .collect();
            let windows: Vec<Value> = p
                .windows
                .iter()
                .map(|w| match w.id {
                    id if id == NTE.id => {
                        let nte = &data.manifest.time.nte;
                        let (days, hours) = if nte.days.is_empty() { (NTE.days, NTE.hours) } else { (nte.days.as_str(), nte.hours.as_str()) };
                        json!({"id": NTE.id, "label": nte.label(), "days": days, "hours": hours})
                    }
                    id => json!({"id": id, "label": "All hours"}),
                })
                .filter(|_| s.has_timestamps)
                .collect();
            json!({
                "name": s.name,
                "label": human_label(&s.name),
                "time_precision": if s.has_timestamps { "timestamp" } else { "month" },
                "sensitive": s.sensitive,
                "measures": measures,
                "months": s.months.iter().collect::<Vec<_>>(),
                "periods": periods,
                "windows": windows,
                "rate_label": base.label,
            })
        })
        .collect();
    let services = &data.manifest.parameters.services;
    let kinds = service_kinds(&data, role);
    let mut body = json!({
        "role": role.as_str(),
        "analyst_login": analyst_login(&state),
        "study": data.study,
        "bounds": data.bounds,
        "disclosure": disclosure(&data, role),
        "tile_layers": tile_layers,
        "sources": sources,
        "analyses": data.analyses,
        "services": {
            "present": data.layers.contains_key("services") && !services.is_null(),
            "kinds": kinds.keys().collect::<Vec<_>>(),
            "kind_labels": kinds,
            "tiers": ["primary", "secondary", "tertiary"],
        },
        "access": super::access::catalogue_entry(&data, role),
        "time": super::time::catalogue_entry(&data, role),
        // Partnership totals of police.uk open data: public whole (null without one).
        "comparison": data.manifest.comparison,
    });
    // How many confidential services there are is for the analyst: the public learns
    // nothing of them.
    // A [neighbourhoods] study: the map switches to the small areas from `switch_zoom`.
    if let Some(levels) = super::levels::catalogue_entry(&data, role) {
        body["levels"] = levels;
    }
    if role.is_analyst() {
        body["services"]["confidential_withheld"] =
            json!(data.manifest.services_confidential_withheld);
    }
    Json(body)
}

/// The kinds of the services the role may see (the services layer holds no confidential
/// service), sorted, each with its label ("GP practice" for `gp_practice`).
fn service_kinds(data: &Dataset, role: Role) -> BTreeMap<String, String> {
    let Some(table) = data
        .layers
        .get("services")
        .and_then(|l| l.attributes(role.is_analyst()))
    else {
        return BTreeMap::new();
    };
    let Some(k) = table.keys.iter().position(|key| key == "kind") else {
        return BTreeMap::new();
    };
    table
        .rows
        .iter()
        .filter_map(|row| match &row[k] {
            PropValue::String(slug) => Some(slug),
            _ => None,
        })
        .map(|slug| {
            let label =
                ServiceKind::new(slug).map_or_else(|_| slug.clone(), |k| k.label().into_owned());
            (slug.clone(), label)
        })
        .collect()
}

/// `GET /api/manifest`: provenance. The analyst gets the whole manifest; the public role the
/// study, version, seed, parameters that shape the numbers, the inputs and the analyses. Of
/// the files of a sensitive source and of the service register the public learns only that
/// they exist: one entry per role, with no file names, sizes, checksums or counts.
pub async fn manifest(State(state): State<AppState>, role: Role) -> Json<Value> {
    let data = state.data();
    let m = &data.manifest;
    if role.is_analyst() {
        return Json(serde_json::to_value(m).unwrap_or_default());
    }
    let p = &m.parameters;
    let mut inputs: Vec<Value> = Vec::new();
    for i in &m.inputs {
        if m.is_public_input(i) {
            let name = i
                .path
                .file_name()
                .map_or_else(|| i.path.to_string_lossy(), |n| n.to_string_lossy());
            inputs
                .push(json!({"role": i.role, "file": name, "sha256": i.sha256, "bytes": i.bytes}));
        } else if !inputs.iter().any(|v| v["role"] == i.role.as_str()) {
            inputs.push(json!({"role": i.role, "sensitive": true}));
        }
    }
    Json(json!({
        "study": m.study,
        "safemap_version": m.safemap_version,
        "seed": m.seed,
        "parameters": {
            "rate_per": p.rate_per, "confidence": p.confidence,
            "interval_method": p.interval_method, "period": p.period,
            "disclosure": p.disclosure,
        },
        "inputs": inputs,
        "sources": m.sources.iter().map(|s| json!({
            "name": s.name, "format": s.format, "time_precision": s.time_precision, "months": s.months,
        })).collect::<Vec<_>>(),
        "weights": m.weights,
        "analyses": m.analyses.iter().map(|a| json!({
            "name": a.name, "settings": a.settings,
        })).collect::<Vec<_>>(),
    }))
}

/// The values of every area for a filter and role; areas without data for the filter's
/// months are `no_data` for both roles.
fn area_values(data: &Dataset, q: &Query, role: Role) -> Result<Vec<Derived>, AppError> {
    let counts: Vec<Shown> = if role.is_analyst() {
        let source = &data.sources[q.source];
        source
            .counts(q, data.areas.len())
            .into_iter()
            .zip(source.no_data_areas(q.months))
            .map(|(n, gap)| if gap { Shown::NoData } else { Shown::Count(n) })
            .collect()
    } else {
        let table = &data.published[q.source];
        let cell = table.cell_of(q).ok_or_else(|| public_menu_error(data, q))?;
        table.counts(cell)
    };
    let base = &data.rate_bases[q.source];
    Ok(derive(&counts, &base.denominators, base.params))
}

fn public_menu_error(data: &Dataset, q: &Query) -> AppError {
    let t = &data.published[q.source];
    let windows = t
        .windows
        .iter()
        .map(|w| w.id)
        .collect::<Vec<_>>()
        .join(" and ");
    if data.sources[q.source].sensitive {
        let all = &t.periods[0].months;
        return AppError::Forbidden(format!(
            "source {:?} is sensitive: the public view publishes it for the whole study period ({}..{}) and the windows {windows} only; months, years, other ranges and custom days/hours are for the analyst role, because answers for nested ranges could be combined to reveal small counts",
            data.sources[q.source].name,
            all.from(),
            all.to()
        ));
    }
    let periods: Vec<String> = t
        .periods
        .iter()
        .filter(|p| p.months.len() > 1 || t.periods.len() == 1)
        .map(|p| format!("{}..{}", p.months.from(), p.months.to()))
        .collect();
    AppError::Forbidden(format!(
        "the public view publishes whole periods ({}, or any single month) and the windows {windows}; other ranges and custom days/hours are for the analyst role",
        periods.join(", "),
    ))
}

/// One area's answer, serialised straight into the body (no intermediate JSON values: the
/// national study has 34,753 of them per request).
#[derive(serde::Serialize)]
struct AreaAnswer<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    code: &'a str,
    name: &'a str,
    population: Option<f64>,
    #[serde(flatten)]
    values: &'a Derived,
}

impl<'a> AreaAnswer<'a> {
    fn new(data: &'a Dataset, i: usize, values: &'a Derived, with_id: bool) -> Self {
        let a = &data.areas[i];
        Self {
            id: with_id.then_some(i),
            code: &a.code,
            name: &a.name,
            population: a.population,
            values,
        }
    }
}

/// `{"role":…,"filter":…,"disclosure":…,` with `key` opened as an array.
fn answer_head(
    data: &Dataset,
    q: &Query,
    role: Role,
    extra: &[(&str, Value)],
    key: &str,
) -> Vec<u8> {
    let mut head = serde_json::Map::new();
    for (k, v) in extra {
        head.insert((*k).to_string(), v.clone());
    }
    head.insert("role".into(), role.as_str().into());
    head.insert("filter".into(), q.describe(data));
    head.insert("disclosure".into(), disclosure(data, role));
    let mut out = Value::Object(head).to_string().into_bytes();
    out.pop();
    out.extend_from_slice(format!(",\"{key}\":[").as_bytes());
    out
}

#[allow(clippy::needless_pass_by_value)] // the signature map_err wants
fn json_error(e: serde_json::Error) -> AppError {
    AppError::Internal(format!("serialising an answer: {e}"))
}

/// `GET /api/areas.json`.
pub async fn areas_json(
    State(state): State<AppState>,
    role: Role,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let params = FilterParams::from_query(query.as_deref())?;
    let data = state.data();
    let body = blocking(move || {
        let q = params.resolve(&data)?;
        let values = area_values(&data, &q, role)?;
        let mut out = answer_head(&data, &q, role, &[], "areas");
        out.reserve(values.len() * 300);
        for (i, d) in values.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            serde_json::to_writer(&mut out, &AreaAnswer::new(&data, i, d, true))
                .map_err(json_error)?;
        }
        out.extend_from_slice(b"]}");
        Ok(out)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// `GET /api/areas.geojson`: the filtered values with each area's geometry. The geometry
/// text is prepared at load and sent as shared buffers, so a request serialises only the
/// properties and copies no geometry.
pub async fn areas_geojson(
    State(state): State<AppState>,
    role: Role,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let params = FilterParams::from_query(query.as_deref())?;
    let data = state.data();
    let chunks = blocking(move || geojson_body(&data, &params, role)).await?;
    let stream =
        futures_util::stream::iter(chunks.into_iter().map(Ok::<_, std::convert::Infallible>));
    Ok((
        [(header::CONTENT_TYPE, "application/geo+json")],
        axum::body::Body::from_stream(stream),
    )
        .into_response())
}

/// The body of `/api/areas.geojson` as a sequence of buffers: each feature's head and
/// properties, then its shared geometry (public for the benchmark).
pub fn geojson_body(
    data: &Arc<Dataset>,
    params: &FilterParams,
    role: Role,
) -> Result<Vec<Bytes>, AppError> {
    let q = params.resolve(data)?;
    let values = area_values(data, &q, role)?;
    let mut text = answer_head(
        data,
        &q,
        role,
        &[("type", "FeatureCollection".into())],
        "features",
    );
    text.reserve(values.len() * 320);
    // Offsets where each feature's properties end and its geometry goes.
    let mut cuts = Vec::with_capacity(values.len());
    for (i, d) in values.iter().enumerate() {
        if i > 0 {
            text.extend_from_slice(b"},");
        }
        text.extend_from_slice(
            format!("{{\"type\":\"Feature\",\"id\":{i},\"properties\":").as_bytes(),
        );
        serde_json::to_writer(&mut text, &AreaAnswer::new(data, i, d, false))
            .map_err(json_error)?;
        text.extend_from_slice(b",\"geometry\":");
        cuts.push(text.len());
    }
    text.extend_from_slice(if values.is_empty() {
        b"]}".as_slice()
    } else {
        b"}]}".as_slice()
    });
    let text = Bytes::from(text);
    let mut chunks = Vec::with_capacity(2 * cuts.len() + 1);
    let mut from = 0;
    for (i, &cut) in cuts.iter().enumerate() {
        chunks.push(text.slice(from..cut));
        chunks.push(data.geometry_json[i].clone());
        from = cut;
    }
    chunks.push(text.slice(from..));
    Ok(chunks)
}

/// `GET /api/areas/{code}`.
pub async fn area(
    State(state): State<AppState>,
    role: Role,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, AppError> {
    let params = FilterParams::from_query(query.as_deref())?;
    let data = state.data();
    blocking(move || {
        let i = *data
            .by_code
            .get(&code)
            .ok_or_else(|| AppError::NotFound(format!("no area with code {code:?} in this study")))?;
        let q = params.resolve(&data)?;
        let values = area_values(&data, &q, role)?;
        let source = &data.sources[q.source];
        let month_entry = |month: Month, shown: Shown| {
            json!({
                "month": month,
                "count": shown.value(),
                "suppressed": shown == Shown::Suppressed,
                "no_data": shown == Shown::NoData,
            })
        };
        // The area's hour-of-week profile, the study's beside it, or a note saying why not.
        let (monthly, (hour_of_week, study_hour_of_week), note): (Vec<Value>, (Value, Value), Value) = if role.is_analyst() {
            let monthly = source
                .monthly_series(&q, i as u32)
                .into_iter()
                .map(|(m, n)| {
                    let gap = source.no_data(i as u32, MonthRange::single(m));
                    month_entry(m, if gap { Shown::NoData } else { Shown::Count(n) })
                })
                .collect();
            match (source.hour_of_week(&q, Some(i as u32)), source.hour_of_week(&q, None)) {
                (Some(grid), Some(study)) => (monthly, (json!(grid), json!(study)), Value::Null),
                _ => (monthly, (Value::Null, Value::Null), json!(format!("source {:?} has month-precision times (police.uk publishes the month only): no hour-of-week profile", source.name))),
            }
        } else {
            let table = &data.published[q.source];
            let (m, _, w) = table.cell_of(&q).ok_or_else(|| public_menu_error(&data, &q))?;
            let monthly: Vec<Value> = if source.sensitive {
                Vec::new()
            } else {
                q.months
                    .iter()
                    .map(|month| {
                        let shown = table.month_period(month).map_or(Shown::Suppressed, |p| table.count((m, p, w), i));
                        month_entry(month, shown)
                    })
                    .collect()
            };
            let note = if source.sensitive {
                "monthly counts and hour-of-week profiles of a sensitive source are for the analyst role: the public sees the whole study period only"
            } else {
                "hour-of-week profiles are for the analyst role: single hours are too small to publish"
            };
            (monthly, (Value::Null, Value::Null), json!(note))
        };
        let row = &data.rows[i];
        let cell = |column: &str| row.get(column).cloned().unwrap_or(Value::Null);
        // The public sees the classes of a statistic only when both class columns are public.
        let analyses: Vec<Value> = data
            .analyses
            .iter()
            .flat_map(|a| a.statistics.iter().map(move |s| (a, s, class_columns(&a.name, s, &a.correction))))
            .filter(|(_, _, classes)| role.is_analyst() || classes.iter().all(|c| data.is_public_area_column(c)))
            .map(|(a, stat, [class, adjusted])| {
                let mut entry = json!({
                    "analysis": a.name, "statistic": stat, "source": a.source, "category": a.category,
                    "class": cell(&class),
                    "class_adjusted": cell(&adjusted),
                    "correction": a.correction,
                });
                if role.is_analyst() {
                    let (value_key, p_key) = if stat == "local_moran" { ("i", "p_sim") } else { ("z", "p") };
                    entry[value_key] = cell(&analysis_column(&a.name, stat, value_key));
                    entry["p"] = cell(&analysis_column(&a.name, stat, p_key));
                }
                entry
            })
            .collect();
        let a = &data.areas[i];
        let mut area_values = json!(values[i]);
        area_values["no_data_reason"] = source.no_data_reason(i as u32, q.months).into();
        Ok(Json(json!({
            "id": i, "code": a.code, "name": a.name, "population": a.population, "deprivation": a.deprivation,
            "role": role.as_str(),
            "filter": q.describe(&data),
            "disclosure": disclosure(&data, role),
            "values": area_values,
            "monthly": monthly,
            "hour_of_week": hour_of_week,
            "study_hour_of_week": study_hour_of_week,
            "hour_of_week_note": note,
            "analyses": analyses,
            "access": super::access::area_access(&data, i, role),
        })))
    })
    .await
}
