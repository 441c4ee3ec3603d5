//! The files of the time analyses: `summary.csv`, `change.csv`, `hour_of_week.csv` (analyst
//! only) and `emerging.geojson` (emerging hot spot classes of areas and grid cells).

use crate::error::EngineError;
use crate::outputs::{
    cell_geometry, csv_error, write_csv_rows, write_features, write_file, Rounded,
};
use crate::results::StudyResults;
use crate::time::TimeResults;
use safemap_results::files;
use safemap_stats::emerging::{EmergingLocation, SliceSign};
use safemap_types::time::WEEKDAYS;
use serde_json::{json, Value};
use std::path::Path;

fn num(v: Option<f64>) -> String {
    v.map_or_else(String::new, |x| x.to_string())
}

fn count(v: Option<u64>) -> String {
    v.map_or_else(String::new, |x| x.to_string())
}

/// Writes the four files into `out_dir` (`emerging.geojson` only with `[[emerging]]`).
pub fn write(
    results: &StudyResults,
    time: &TimeResults,
    planar: bool,
    out_dir: &Path,
) -> Result<(), EngineError> {
    let (period, previous) = time.periods.map_or((String::new(), String::new()), |p| {
        (p.period.to_string(), p.previous.to_string())
    });
    write_file(&out_dir.join(files::SUMMARY_CSV), |w| {
        let mut out = csv::Writer::from_writer(w);
        out.write_record([
            "source",
            "measure",
            "period",
            "previous_period",
            "count",
            "previous_count",
            "change_pct",
            "rank",
        ])
        .map_err(csv_error)?;
        for r in &time.summary {
            out.write_record([
                r.source.clone(),
                r.measure.clone(),
                period.clone(),
                previous.clone(),
                count(r.count),
                count(r.previous),
                num(r.change_pct),
                r.rank.map_or_else(String::new, |x| x.to_string()),
            ])
            .map_err(csv_error)?;
        }
        out.flush()
    })?;
    // 521,000 rows for the national study: formatted in parallel batches.
    let rows = time
        .changes
        .iter()
        .flat_map(|m| (0..m.areas.len()).map(move |i| (m, i)));
    write_csv_rows(
        &out_dir.join(files::CHANGE_CSV),
        &[
            "source",
            "measure",
            "code",
            "name",
            "period",
            "previous_period",
            "count",
            "previous_count",
            "rate",
            "previous_rate",
            "change_pct",
            "rate_ratio",
            "p",
            "class_fdr",
            "rank",
        ],
        rows,
        |&(m, i), out| {
            let (area, c) = (&results.areas.areas[i], m.areas[i]);
            out.write_record([
                m.source.as_str(),
                &m.measure,
                &area.code,
                &area.name,
                &period,
                &previous,
                &count(m.counts[i]),
                &count(c.map(|c| c.before)),
                &num(c.and_then(|c| c.rate_after)),
                &num(c.and_then(|c| c.rate_before)),
                &num(c.and_then(|c| c.change_pct)),
                &num(c.and_then(|c| c.rate_ratio)),
                &num(c.map(|c| c.p)),
                c.map_or("", |c| c.class),
                &m.rank[i].map_or_else(String::new, |x| x.to_string()),
            ])
        },
    )?;
    write_file(&out_dir.join(files::HOUR_OF_WEEK_CSV), |w| {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(["source", "scope", "id", "weekday", "hour", "count"])
            .map_err(csv_error)?;
        for p in &time.profiles {
            for (h, &c) in p.counts.iter().enumerate() {
                // Areas list their non-zero hours only; the study and hot spots all 168.
                if p.scope == "area" && c == 0 {
                    continue;
                }
                out.write_record([
                    p.source.as_str(),
                    p.scope,
                    &p.id,
                    WEEKDAYS[h / 24],
                    &(h % 24).to_string(),
                    &c.to_string(),
                ])
                .map_err(csv_error)?;
            }
        }
        out.flush()
    })?;
    if time.emerging.is_empty() {
        return Ok(());
    }
    let props = |analysis: &str, level: &str, id: &str, name: &str, l: &EmergingLocation| {
        let signs: String = l
            .signs
            .iter()
            .map(|s| match s {
                SliceSign::Hot => 'H',
                SliceSign::Cold => 'C',
                SliceSign::None => '.',
            })
            .collect();
        json!({
            "analysis": analysis, "level": level, "id": id, "name": name,
            "class": l.class.slug(),
            "hot_slices": l.slices(SliceSign::Hot), "cold_slices": l.slices(SliceSign::Cold),
            "signs": signs,
            "trend_z": l.trend.map(|t| t.z), "trend_p": l.trend.map(|t| t.p),
        })
    };
    let features = time.emerging.iter().flat_map(|e| {
        let name = e.section.name.as_str();
        let areas = results
            .areas
            .areas
            .iter()
            .zip(&e.areas)
            .filter_map(move |(a, l)| {
                let l = l.as_ref()?;
                Some(json!({
                    "type": "Feature",
                    "properties": props(name, "area", &a.code, &a.name, l),
                    "geometry": a.geometry_wgs84.as_ref().map(Rounded),
                }))
            });
        let cells = e.cells.iter().flatten().map(move |(id, polygon, l)| {
            json!({
                "type": "Feature",
                "properties": props(name, "cell", id, "", l),
                "geometry": cell_geometry(polygon, planar),
            })
        });
        areas.chain(cells).collect::<Vec<Value>>()
    });
    write_features(&out_dir.join(files::EMERGING_GEOJSON), features)
}
