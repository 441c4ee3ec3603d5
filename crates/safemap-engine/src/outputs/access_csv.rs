//! `access.csv`: one row per area and kind of service, from `[access]`, `[need]` and
//! `[gap]`. A kind with any confidential service has no nearest cost or id at all: only
//! area figures leave the run for a refuge, and not its distance from each area.

use crate::access::AccessResults;
use crate::error::EngineError;
use crate::outputs::{csv_error, write_file};
use crate::results::StudyResults;
use std::path::Path;

/// Writes `access.csv`: `code, name, kind, population, nearest_cost, nearest_service,
/// within, <one column per [[access.score]]>, need, need_rank, need_rank_change, high_need,
/// gap, gap_class`, by kind then area. Costs are in the `unit` of the manifest's access
/// entry; an empty cell is a value that does not exist (no service reachable, no need).
pub fn write(
    results: &StudyResults,
    access: &AccessResults,
    path: &Path,
) -> Result<(), EngineError> {
    let num = |v: Option<f64>| v.map_or_else(String::new, |x| x.to_string());
    write_file(path, |w| {
        let mut out = csv::Writer::from_writer(w);
        let mut header: Vec<String> = [
            "code",
            "name",
            "kind",
            "population",
            "nearest_cost",
            "nearest_service",
            "within",
        ]
        .map(String::from)
        .to_vec();
        header.extend(access.score_names.iter().cloned());
        header.extend(
            [
                "need",
                "need_rank",
                "need_rank_change",
                "high_need",
                "gap",
                "gap_class",
            ]
            .map(String::from),
        );
        out.write_record(&header).map_err(csv_error)?;
        for k in &access.kinds {
            for (i, area) in results.areas.areas.iter().enumerate() {
                let nearest = k.nearest[i].as_ref();
                let mut row = vec![
                    area.code.clone(),
                    area.name.clone(),
                    k.kind.as_str().to_string(),
                    num(area.population),
                    num(nearest.map(|n| n.0)),
                    nearest.and_then(|n| n.1.clone()).unwrap_or_default(),
                    k.within[i].to_string(),
                ];
                row.extend(k.scores.iter().map(|s| s[i].to_string()));
                let need = access.need.as_ref();
                row.extend([
                    num(need.and_then(|n| n.composite.score[i])),
                    num(need.and_then(|n| n.rank[i])),
                    num(need.and_then(|n| n.max_rank_change[i])),
                    if need.is_some() {
                        access.high_need[i].to_string()
                    } else {
                        String::new()
                    },
                    num(k.gap.as_ref().and_then(|g| g.score[i])),
                    k.gap
                        .as_ref()
                        .and_then(|g| g.class[i])
                        .map_or_else(String::new, |c| c.slug().to_string()),
                ]);
                out.write_record(&row).map_err(csv_error)?;
            }
        }
        out.flush()
    })
}
