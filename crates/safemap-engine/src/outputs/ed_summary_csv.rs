//! `ed_summary.csv`: the ED figures of every ED source, study-wide then per area, one row
//! per figure (see [`crate::ed_analysis::figures`] and docs/ed-analysis.md). Analyst only.
//!
//! Columns: `source, scope, code, name, figure, subset, category, numerator, denominator,
//! percent`. `scope` is `study` (code and name empty) or `area`; areas appear when they
//! have data for the whole period and at least one assault. `percent` is
//! `100 × numerator / denominator` to one decimal place, empty when the denominator is
//! missing or 0. The source compared with the police (`[ed_vs_police]`) adds the figure
//! `ed_share_vs_police` (subset `{police source}:{police category}`): ED assaults over ED
//! assaults plus police violence, study-wide and per area.

use crate::ed_analysis::figures::{figures, Figure};
use crate::ed_analysis::{EdResults, VsPolice};
use crate::error::EngineError;
use crate::outputs::{csv_error, write_file};
use crate::results::StudyResults;
use std::path::Path;

/// The header of `ed_summary.csv`.
pub const HEADER: [&str; 10] = [
    "source",
    "scope",
    "code",
    "name",
    "figure",
    "subset",
    "category",
    "numerator",
    "denominator",
    "percent",
];

/// Writes `ed_summary.csv`.
pub fn write(results: &StudyResults, ed: &EdResults, path: &Path) -> Result<(), EngineError> {
    write_file(path, |w| {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(HEADER).map_err(csv_error)?;
        for s in &ed.sources {
            let vs = ed.vs_police.as_ref().filter(|v| v.config.ed == s.source);
            let mut rows = |scope: &str, code: &str, name: &str, figs: Vec<Figure>| {
                figs.iter().try_for_each(|f| {
                    let percent = f.percent().map_or_else(String::new, |p| format!("{p:.1}"));
                    let denominator = f.denominator.map_or_else(String::new, |d| d.to_string());
                    out.write_record([
                        s.source.as_str(),
                        scope,
                        code,
                        name,
                        f.figure,
                        &f.subset,
                        &f.category,
                        &f.numerator.to_string(),
                        &denominator,
                        &percent,
                    ])
                    .map_err(csv_error)
                })
            };
            let mut study = figures(&s.study, &s.locations);
            study.extend(vs.and_then(|v| share_figure(v, None)));
            rows("study", "", "", study)?;
            for (i, t) in s.areas.iter().enumerate() {
                let Some(t) = t.as_ref().filter(|t| t.assaults > 0) else {
                    continue;
                };
                let area = &results.areas.areas[i];
                let mut figs = figures(t, &s.locations);
                figs.extend(vs.and_then(|v| share_figure(v, Some(i))));
                rows("area", &area.code, &area.name, figs)?;
            }
        }
        out.flush()
    })
}

/// The ED share of ED and police violence of area `i`, or of the study (`None`).
fn share_figure(v: &VsPolice, area: Option<usize>) -> Option<Figure> {
    let pairs: Vec<(u64, u64)> = match area {
        Some(i) => vec![(v.ed[i]?, v.police[i]?)],
        None => {
            v.ed.iter()
                .zip(&v.police)
                .filter_map(|(e, p)| Some(((*e)?, (*p)?)))
                .collect()
        }
    };
    let (ed, police) = pairs.iter().fold((0, 0), |(a, b), (e, p)| (a + e, b + p));
    Some(Figure {
        figure: "ed_share_vs_police",
        subset: format!("{}:{}", v.config.police, v.category),
        category: String::new(),
        numerator: ed,
        denominator: Some(ed + police),
    })
}
