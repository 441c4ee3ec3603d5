//! Service access for each role: the catalogue's `access` entry, an area's access figures
//! (`/api/areas/{code}`) and the priority ranking (`/api/priority`). Every figure is an
//! area column named by `manifest.access`; the public sees a column only when the areas
//! layer's registry entry lists it, and nothing of a kind with a confidential service.

use crate::dataset::Dataset;
use crate::error::AppError;
use crate::role::Role;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::Json;
use safemap_results::columns::{
    access_column, gap_bivariate_column, gap_class_column, gap_column, NEED, NEED_RANK,
    PRIORITY_DRIVERS, PRIORITY_RANK, PRIORITY_SCORE,
};
use safemap_results::AccessEntry;
use serde_json::{json, Map, Value};

/// Most areas one `/api/priority` answer lists.
const MAX_PRIORITY: usize = 1000;

/// Whether `role` may see area column `column`.
fn visible(data: &Dataset, role: Role, column: &str) -> bool {
    role.is_analyst() || data.is_public_area_column(column)
}

/// The catalogue's `access` entry: units, scores, and the kinds the role may see with their
/// coverage, and which views exist for it; `null` without `[access]`. The public is told
/// nothing of a kind with a confidential service.
pub fn catalogue_entry(data: &Dataset, role: Role) -> Value {
    let Some(a) = &data.manifest.access else {
        return Value::Null;
    };
    let kinds: Vec<Value> = a
        .kinds
        .iter()
        .filter(|k| role.is_analyst() || !k.confidential)
        .map(|k| {
            let mut entry = json!({
                "kind": k.kind, "label": k.label,
                "coverage_all": k.coverage_all, "coverage_high_need": k.coverage_high_need,
                "columns": a.kind_columns(k).into_iter().filter(|c| visible(data, role, c)).collect::<Vec<_>>(),
            });
            // Which kinds hold confidential services is for the analyst (the public sees
            // only kinds that hold none).
            if role.is_analyst() {
                entry["confidential"] = k.confidential.into();
            }
            entry
        })
        .collect();
    json!({
        "unit": a.unit, "straight_line": a.straight_line, "within": a.within, "scores": a.scores,
        "kinds": kinds,
        "need": a.need && visible(data, role, NEED),
        "need_from_sensitive_data": !a.need_open,
        "priority": a.priority && visible(data, role, PRIORITY_RANK),
        "sites": a.sites && data.layers.get("candidate_sites").is_some_and(|l| l.attributes(role.is_analyst()).is_some()),
    })
}

/// Area `i`'s access figures the role may see: per kind its nearest cost, services within
/// reach, scores, gap score and classes; need and priority. `null` without `[access]`.
pub fn area_access(data: &Dataset, i: usize, role: Role) -> Value {
    let Some(a) = &data.manifest.access else {
        return Value::Null;
    };
    let row = &data.rows[i];
    let pick = |out: &mut Map<String, Value>, key: &str, column: &str| {
        if visible(data, role, column) {
            out.insert(key.into(), row.get(column).cloned().unwrap_or(Value::Null));
        }
    };
    let kinds: Vec<Value> = a
        .kinds
        .iter()
        .filter(|k| role.is_analyst() || !k.confidential)
        .filter_map(|k| {
            let mut out = Map::new();
            pick(&mut out, "nearest", &access_column(&k.kind, "nearest"));
            pick(&mut out, "within", &access_column(&k.kind, "within"));
            let mut scores = Map::new();
            for s in &a.scores {
                pick(&mut scores, s, &access_column(&k.kind, s));
            }
            if !scores.is_empty() {
                out.insert("scores".into(), Value::Object(scores));
            }
            if a.gap {
                pick(&mut out, "gap", &gap_column(&k.kind));
                pick(&mut out, "gap_class", &gap_class_column(&k.kind));
                pick(&mut out, "bivariate", &gap_bivariate_column(&k.kind));
            }
            if out.is_empty() {
                return None;
            }
            out.insert("kind".into(), k.kind.clone().into());
            out.insert("label".into(), k.label.clone().into());
            Some(Value::Object(out))
        })
        .collect();
    let mut out = Map::new();
    out.insert("unit".into(), a.unit.clone().into());
    out.insert("kinds".into(), kinds.into());
    for (key, column) in [
        ("need", NEED),
        ("need_rank", NEED_RANK),
        ("priority_rank", PRIORITY_RANK),
        ("priority_score", PRIORITY_SCORE),
        ("priority_drivers", PRIORITY_DRIVERS),
    ] {
        pick(&mut out, key, column);
    }
    Value::Object(out)
}

/// `GET /api/priority?n=10`: the `n` areas of highest priority (`[priority]`), each with
/// its rank, score, need and the inputs that drive it. For the analyst, and for the public
/// when the ranking is made from open data only (else 403).
pub async fn priority(
    State(state): State<AppState>,
    role: Role,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, AppError> {
    let data = state.data();
    let n = top_n(query.as_deref())?;
    let entry: &AccessEntry = data
        .manifest
        .access
        .as_ref()
        .filter(|a| a.priority)
        .ok_or_else(|| AppError::NotFound("this study has no [priority] ranking".into()))?;
    if !visible(&data, role, PRIORITY_RANK) {
        return Err(AppError::Forbidden(
            "the priority ranking is built from a sensitive source's data: it is for the analyst role".into(),
        ));
    }
    let mut ranked: Vec<(u64, usize)> = data
        .rows
        .iter()
        .enumerate()
        .filter_map(|(i, row)| {
            row.get(PRIORITY_RANK)
                .and_then(Value::as_u64)
                .map(|r| (r, i))
        })
        .collect();
    ranked.sort_unstable();
    let total = ranked.len();
    let areas: Vec<Value> = ranked
        .into_iter()
        .take(n)
        .map(|(rank, i)| {
            let row = &data.rows[i];
            let cell = |c: &str| {
                if visible(&data, role, c) {
                    row.get(c).cloned().unwrap_or(Value::Null)
                } else {
                    Value::Null
                }
            };
            let drivers: Vec<&str> = row
                .get(PRIORITY_DRIVERS)
                .and_then(Value::as_str)
                .map(|d| d.split("; ").filter(|s| !s.is_empty()).collect())
                .unwrap_or_default();
            json!({
                "rank": rank, "id": i, "code": data.areas[i].code, "name": data.areas[i].name,
                "score": cell(PRIORITY_SCORE), "need": cell(NEED), "need_rank": cell(NEED_RANK),
                "drivers": drivers,
            })
        })
        .collect();
    Ok(Json(json!({
        "role": role.as_str(),
        "need_from_sensitive_data": !entry.need_open,
        "ranked": total,
        "areas": areas,
    })))
}

/// The `n` of a query (`n=10` by default, 1 to [`MAX_PRIORITY`]).
fn top_n(query: Option<&str>) -> Result<usize, AppError> {
    let mut n = 10;
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "n" => {
                n = value
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_PRIORITY).contains(n))
                    .ok_or_else(|| {
                        AppError::BadRequest(format!(
                            "n={value:?}: expected a whole number from 1 to {MAX_PRIORITY}"
                        ))
                    })?;
            }
            other => {
                return Err(AppError::BadRequest(format!(
                    "unknown parameter {other:?} of /api/priority: expected n"
                )))
            }
        }
    }
    Ok(n)
}
