//! The catalogue's `time` entry: the summary periods, the night-time-economy window, and the
//! emerging hot spot, change and NTE-share layers, each naming its area column. A role is
//! told of a column only when it may see it (the areas layer's registry entry decides).

use crate::dataset::Dataset;
use crate::role::Role;
use serde_json::{json, Value};

/// `time` of `/api/layers`.
pub fn catalogue_entry(data: &Dataset, role: Role) -> Value {
    let t = &data.manifest.time;
    let visible = |c: &str| role.is_analyst() || data.is_public_area_column(c);
    let emerging: Vec<Value> = t
        .emerging
        .iter()
        .filter(|e| visible(&e.class_column()))
        .map(|e| {
            json!({
                "name": e.name, "source": e.source, "category": e.category, "slice": e.slice,
                "lags": e.lags, "slices": e.slices, "grid": e.grid, "column": e.class_column(),
                "columns": e.columns().into_iter().filter(|c| visible(c)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let changes: Vec<Value> = t
        .changes
        .iter()
        .filter(|c| visible(&c.class_column()))
        .map(|c| {
            json!({
                "name": c.name, "source": c.source, "category": c.category, "period": c.period,
                "previous": c.previous, "class_column": c.class_column(),
                "columns": c.columns().into_iter().filter(|col| visible(col)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let shares: Vec<Value> = t
        .nte
        .share_columns
        .iter()
        .filter(|(_, c)| visible(c))
        .map(|(s, c)| json!({"source": s, "column": c}))
        .collect();
    json!({
        "period": t.period, "previous": t.previous,
        "nte": {"days": t.nte.days, "hours": t.nte.hours, "shares": shares},
        "emerging": emerging,
        "changes": changes,
    })
}
