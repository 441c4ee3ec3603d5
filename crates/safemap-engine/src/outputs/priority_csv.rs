//! `priority.csv`: the areas in priority order, each with its score, the value, z-score and
//! contribution of every input, and its drivers (the inputs that push it up most) in words.

use crate::access::OwnedComponent;
use crate::error::EngineError;
use crate::outputs::{csv_error, write_file};
use crate::results::StudyResults;
use safemap_access::Priority;
use std::path::Path;

/// The drivers listed per area.
const DRIVERS: usize = 3;

/// Writes `priority.csv`: `rank, code, name, score, drivers`, then per input
/// `{input}_value, {input}_z, {input}_contribution`. Values are as the study gives them (a
/// column where lower means more keeps its own sign); z-scores and contributions are
/// oriented so that higher means more priority. Areas without a score come last, unranked.
pub fn write(
    results: &StudyResults,
    ranking: &Priority,
    inputs: &[OwnedComponent],
    higher_is_more: &[bool],
    path: &Path,
) -> Result<(), EngineError> {
    let num = |v: Option<f64>| v.map_or_else(String::new, |x| x.to_string());
    write_file(path, |w| {
        let mut out = csv::Writer::from_writer(w);
        let mut header: Vec<String> = ["rank", "code", "name", "score", "drivers"]
            .map(String::from)
            .to_vec();
        for c in inputs {
            header.extend(["value", "z", "contribution"].map(|f| format!("{}_{f}", c.name)));
        }
        out.write_record(&header).map_err(csv_error)?;
        let ranked = ranking
            .order
            .iter()
            .enumerate()
            .map(|(r, &i)| ((r + 1).to_string(), i));
        let unranked = (0..results.areas.areas.len())
            .filter(|&i| ranking.composite.score[i].is_none())
            .map(|i| (String::new(), i));
        for (rank, i) in ranked.chain(unranked) {
            let area = &results.areas.areas[i];
            let drivers: Vec<String> = ranking.drivers[i]
                .iter()
                .filter(|d| d.contribution > 0.0)
                .take(DRIVERS)
                .map(|d| format!("{} (+{:.2})", ranking.input_name(d), d.contribution))
                .collect();
            let mut row = vec![
                rank,
                area.code.clone(),
                area.name.clone(),
                num(ranking.composite.score[i]),
                drivers.join("; "),
            ];
            for ((c, s), up) in inputs
                .iter()
                .zip(&ranking.composite.components)
                .zip(higher_is_more)
            {
                let value = c.values[i].map(|v| if *up { v } else { -v });
                row.extend([num(value), num(s.z[i]), num(s.contribution[i])]);
            }
            out.write_record(&row).map_err(csv_error)?;
        }
        out.flush()
    })
}
