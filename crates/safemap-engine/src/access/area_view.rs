//! The access figures as area columns of `areas.geojson` (so the server serves them as
//! tiles and answers, and the registry decides who sees which), and `manifest.access`, which
//! names every one of those columns.

use super::{AccessResults, KindAccess};
use crate::results::ColumnValue;
use safemap_access::quantile;
use safemap_results::columns::{
    access_column, gap_bivariate_column, gap_class_column, gap_column, NEED, NEED_RANK,
    PRIORITY_DRIVERS, PRIORITY_RANK, PRIORITY_SCORE,
};
use safemap_results::{AccessEntry, AccessKind};

/// The drivers named per area in `priority_drivers`.
pub const DRIVERS: usize = 3;

impl AccessResults {
    /// `manifest.access`; `straight_line` when no travel-cost matrix was given.
    pub fn entry(&self, straight_line: bool) -> AccessEntry {
        AccessEntry {
            unit: self.unit.to_string(),
            straight_line,
            within: self.within,
            scores: self.score_names.clone(),
            kinds: self
                .kinds
                .iter()
                .map(|k| AccessKind {
                    kind: k.kind.as_str().to_string(),
                    label: k.kind.label().into_owned(),
                    confidential: k.confidential,
                    coverage_all: k.coverage.all.fraction(),
                    coverage_high_need: self
                        .need
                        .as_ref()
                        .and_then(|_| k.coverage.high_need.fraction()),
                })
                .collect(),
            need: self.need.is_some(),
            need_open: self.open,
            gap: self.kinds.iter().any(|k| k.gap.is_some()),
            priority: self.priority.is_some(),
            sites: self.sites.is_some(),
        }
    }

    /// The area columns, named and ordered as [`AccessEntry::columns`] of [`Self::entry`].
    pub fn area_columns(&self, n: usize) -> Vec<(String, Vec<ColumnValue>)> {
        let num = |v: Option<f64>| ColumnValue::Number(v);
        let mut out = Vec::new();
        let with_gap = self.kinds.iter().any(|k| k.gap.is_some());
        for k in &self.kinds {
            let kind = k.kind.as_str();
            if !k.confidential {
                let nearest = k.nearest.iter().map(|x| num(x.as_ref().map(|x| x.0)));
                out.push((access_column(kind, "nearest"), nearest.collect()));
            }
            let within = k.within.iter().map(|&w| ColumnValue::Count(w as u64));
            out.push((access_column(kind, "within"), within.collect()));
            for (name, score) in self.score_names.iter().zip(&k.scores) {
                let values = score.iter().map(|&a| num(Some(a)));
                out.push((access_column(kind, name), values.collect()));
            }
            if with_gap {
                out.extend(self.gap_columns(k, n));
            }
        }
        if let Some(need) = &self.need {
            out.push((
                NEED.into(),
                need.composite.score.iter().map(|&v| num(v)).collect(),
            ));
            out.push((
                NEED_RANK.into(),
                need.rank.iter().map(|&v| num(v)).collect(),
            ));
        }
        if let Some((ranking, _)) = &self.priority {
            let mut rank = vec![ColumnValue::Number(None); n];
            for (r, &i) in ranking.order.iter().enumerate() {
                rank[i] = ColumnValue::Count(r as u64 + 1);
            }
            out.push((PRIORITY_RANK.into(), rank));
            out.push((
                PRIORITY_SCORE.into(),
                ranking.composite.score.iter().map(|&v| num(v)).collect(),
            ));
            let drivers = ranking.drivers.iter().map(|d| {
                let words: Vec<String> = d
                    .iter()
                    .filter(|d| d.contribution > 0.0)
                    .take(DRIVERS)
                    .map(|d| format!("{} (+{:.2})", ranking.input_name(d), d.contribution))
                    .collect();
                ColumnValue::Text(words.join("; "))
            });
            out.push((PRIORITY_DRIVERS.into(), drivers.collect()));
        }
        out
    }

    /// A kind's gap score, four-way class and bivariate class (empty where it has none).
    fn gap_columns(&self, k: &KindAccess, n: usize) -> [(String, Vec<ColumnValue>); 3] {
        let kind = k.kind.as_str();
        let none = || vec![ColumnValue::Number(None); n];
        let (Some(gap), Some(s), Some(need)) = (&k.gap, self.gap_score, &self.need) else {
            return [
                (gap_column(kind), none()),
                (gap_class_column(kind), none()),
                (gap_bivariate_column(kind), none()),
            ];
        };
        let need_third = terciles(&need.composite.score);
        let access: Vec<Option<f64>> = k.scores[s].iter().map(|&a| Some(a)).collect();
        let access_third = terciles(&access);
        let bivariate = (0..n).map(|i| match (gap.class[i], need_third[i], access_third[i]) {
            (Some(_), Some(nt), Some(at)) => ColumnValue::Text(format!("n{nt}a{at}")),
            _ => ColumnValue::Number(None),
        });
        [
            (
                gap_column(kind),
                gap.score.iter().map(|&v| ColumnValue::Number(v)).collect(),
            ),
            (
                gap_class_column(kind),
                gap.class
                    .iter()
                    .map(|c| {
                        c.map_or(ColumnValue::Number(None), |c| {
                            ColumnValue::Text(c.slug().into())
                        })
                    })
                    .collect(),
            ),
            (gap_bivariate_column(kind), bivariate.collect()),
        ]
    }
}

/// Per value its third, 1 (lowest) to 3, cut at the 1/3 and 2/3 quantiles (a value on a cut
/// takes the lower third); `None` where there is no value.
fn terciles(values: &[Option<f64>]) -> Vec<Option<u8>> {
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    if present.is_empty() {
        return vec![None; values.len()];
    }
    let low = quantile(present.clone(), 1.0 / 3.0);
    let high = quantile(present, 2.0 / 3.0);
    values
        .iter()
        .map(|v| v.map(|v| 1 + u8::from(v > low) + u8::from(v > high)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::terciles;

    #[test]
    fn terciles_split_in_thirds_and_keep_missing_values() {
        let v: Vec<Option<f64>> = (1..=9).map(|x| Some(f64::from(x))).chain([None]).collect();
        let t = terciles(&v);
        assert_eq!(
            t,
            vec![
                Some(1),
                Some(1),
                Some(1),
                Some(2),
                Some(2),
                Some(2),
                Some(3),
                Some(3),
                Some(3),
                None
            ]
        );
        // Ties on a cut stay together in the lower third (both cuts here: 0 and 1.67).
        let tied = terciles(&[
            Some(0.0),
            Some(0.0),
            Some(0.0),
            Some(0.0),
            Some(5.0),
            Some(9.0),
        ]);
        assert_eq!(
            tied,
            vec![Some(1), Some(1), Some(1), Some(1), Some(3), Some(3)]
        );
    }
}
