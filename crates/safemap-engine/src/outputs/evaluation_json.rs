//! `evaluation.json`: each `[[evaluation]]`'s figures, for the fixed pair of periods and
//! every rolling origin, with the flagged units, and the definitions. Analyst only: the
//! server does not read it.

use crate::error::EngineError;
use crate::evaluation::{EvaluationResult, UnitsEvaluation};
use crate::outputs::manifest;
use safemap_stats::evaluation::{Figure, Mean, WindowEvaluation};
use serde_json::{json, Map, Value};
use std::path::Path;

/// Writes `evaluation.json`; `planar` says the areas are in the units of a planar CRS
/// rather than square metres of British National Grid.
pub fn write(
    evaluations: &[EvaluationResult],
    planar: bool,
    path: &Path,
) -> Result<(), EngineError> {
    let doc = json!({
        "definitions": {
            "symbols": "A, a: area of all units and of the flagged units; N1, n1: train-period events in all and in the flagged units; N, n: test-period events in all and in the flagged units (the hits)",
            "hit_rate": "n / N",
            "pai": "(n / N) / (a / A): Predictive Accuracy Index (Chainey, Tompson & Uhlig 2008)",
            "best_pai": "(n* / N) / (a / A), n* the most test-period events a selection of area a captures: units taken by test-period events per unit area, highest first, the last one that does not fit whole pro rata (so PEI <= 1)",
            "pei": "PAI / PAI* = n / n*: Predictive Efficiency Index (Hunt 2016)",
            "rri": "(n / n1) / (N / N1): Recapture Rate Index (Levine 2008)",
            "undefined": "a figure whose denominator is 0 is null, with the reason under `undefined`",
            "left_out": "units without data for some month of a window (no input file covers it) are left out of that window: of A, N and N1 alike",
            "hotspots": "chosen afresh on each train period's counts",
            "rolling": "each origin month from train_months on scores the hotspots of the train_months before it against the test_months from it; mean: arithmetic mean over the origins that define the figure",
            "docs": "docs/evaluation.md",
        },
        "area_units": if planar { "square units of the planar CRS" } else { "square metres (British National Grid)" },
        "evaluations": evaluations.iter().map(evaluation).collect::<Vec<_>>(),
    });
    manifest::write(&doc, path)
}

fn evaluation(e: &EvaluationResult) -> Value {
    json!({
        "name": e.section.name,
        "source": e.source,
        "category": e.category,
        "months": e.months,
        "units": e.units.iter().map(|u| units(e, u)).collect::<Vec<_>>(),
    })
}

fn units(e: &EvaluationResult, u: &UnitsEvaluation) -> Value {
    let r = &u.rolling;
    let mean = |m: Mean| json!({ "value": m.value, "origins": m.defined });
    json!({
        "kind": u.kind.as_str(),
        "hotspots": u.hotspots,
        "units": u.ids.len(),
        "total_area": u.areas.iter().sum::<f64>(),
        "split": window(e, u, &u.split),
        "rolling": {
            "train_months": r.origin.train_months(),
            "test_months": r.origin.test_months(),
            "origins": r.windows.len(),
            "mean": {
                "hit_rate": mean(r.mean.hit_rate),
                "pai": mean(r.mean.pai),
                "best_pai": mean(r.mean.best_pai),
                "pei": mean(r.mean.pei),
                "rri": mean(r.mean.rri),
            },
            "windows": r.windows.iter().map(|w| window(e, u, w)).collect::<Vec<_>>(),
        },
    })
}

/// One window: its months, counts, areas, figures (null when undefined, the reason under
/// `undefined`), and the ids of its flagged and left-out units.
fn window(e: &EvaluationResult, u: &UnitsEvaluation, w: &WindowEvaluation) -> Value {
    let f = &w.figures;
    let ids = |keep: &dyn Fn(usize) -> bool| -> Vec<&str> {
        u.ids
            .iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, id)| id.as_str())
            .collect()
    };
    let figures = [
        ("hit_rate", f.hit_rate),
        ("pai", f.pai),
        ("best_pai", f.best_pai),
        ("pei", f.pei),
        ("rri", f.rri),
    ];
    let undefined: Map<String, Value> = figures
        .iter()
        .filter_map(|(name, f)| {
            f.err().map(|why| {
                (
                    (*name).to_string(),
                    format!("{}: {why}", why.as_str()).into(),
                )
            })
        })
        .collect();
    let mut out = json!({
        "train": e.months_of(&w.window.train),
        "test": e.months_of(&w.window.test),
        "units": f.units,
        "flagged_units": f.flagged_units,
        "area": f.area,
        "flagged_area": f.flagged_area,
        "area_share": f.area_share(),
        "train_events": f.train_events,
        "flagged_train_events": f.flagged_train_events,
        "test_events": f.test_events,
        "hits": f.hits,
        "best_hits": f.best_hits,
    });
    if let Value::Object(map) = &mut out {
        for (name, figure) in figures {
            map.insert(name.into(), value(figure));
        }
        if !undefined.is_empty() {
            map.insert("undefined".into(), Value::Object(undefined));
        }
        map.insert("flagged".into(), ids(&|i| w.flagged[i]).into());
        map.insert("left_out".into(), ids(&|i| !w.included[i]).into());
    }
    out
}

fn value(f: Figure) -> Value {
    f.map_or(Value::Null, Value::from)
}
