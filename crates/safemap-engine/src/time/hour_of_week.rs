//! Hour-of-week profiles (7 × 24 counts, Monday 00:00 first) of the sources whose events
//! have a time of day: study-wide, per area, and per group of hot spots (the areas an
//! analysis of the source finds hot after correction); and each area's share of events in
//! the night-time-economy window.

use crate::analysis::LocalResult;
use crate::results::{SourceResult, StudyResults};
use safemap_stats::HotspotClass;
use safemap_types::time::HourMask;
use safemap_types::MonthRange;

/// One profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The source.
    pub source: String,
    /// `study`, `area` or `hot_spots`.
    pub scope: &'static str,
    /// `""` for the study, the area code, or the analysis whose hot spots are pooled.
    pub id: String,
    /// Events per hour of the week.
    pub counts: [u64; 168],
}

impl Profile {
    /// The hour of the week with the most events (the earliest of equals).
    pub fn peak(&self) -> usize {
        (0..168).fold(0, |best, h| {
            if self.counts[h] > self.counts[best] {
                h
            } else {
                best
            }
        })
    }
}

/// Per area, events per hour of the week of `source` (every category) in `months`.
fn area_profiles(source: &SourceResult, n: usize, months: Option<MonthRange>) -> Vec<[u64; 168]> {
    let mut out = vec![[0_u64; 168]; n];
    for (&(area, m, month, hour), &c) in &source.counts.hourly {
        if usize::from(m) < source.counts.n_categories && months.is_none_or(|r| r.contains(month)) {
            out[area as usize][usize::from(hour)] += c;
        }
    }
    out
}

/// The profiles of every timestamped source for `months`.
pub fn profiles(
    results: &StudyResults,
    months: impl Fn(&SourceResult) -> Option<MonthRange>,
) -> Vec<Profile> {
    let n = results.areas.areas.len();
    let mut out = Vec::new();
    for s in results.sources.iter().filter(|s| s.has_timestamps) {
        let per_area = area_profiles(s, n, months(s));
        let pooled = |areas: &mut dyn Iterator<Item = usize>| {
            let mut total = [0_u64; 168];
            for i in areas {
                for (t, c) in total.iter_mut().zip(per_area[i]) {
                    *t += c;
                }
            }
            total
        };
        let name = s.section.name.clone();
        out.push(Profile {
            source: name.clone(),
            scope: "study",
            id: String::new(),
            counts: pooled(&mut (0..n)),
        });
        for a in &results.analyses {
            if a.section.source.as_deref() != Some(name.as_str()) {
                continue;
            }
            for local in &a.local {
                if let LocalResult::GetisOrd(_, _, classes) = local {
                    let mut hot = (0..n).filter(|&i| {
                        a.analysed[i]
                            .and_then(|row| classes.adjusted[row])
                            .is_some_and(|c| matches!(c, HotspotClass::Hot(_)))
                    });
                    out.push(Profile {
                        source: name.clone(),
                        scope: "hot_spots",
                        id: a.section.name.clone(),
                        counts: pooled(&mut hot),
                    });
                    break;
                }
            }
        }
        for (i, counts) in per_area.into_iter().enumerate() {
            out.push(Profile {
                source: name.clone(),
                scope: "area",
                id: results.areas.areas[i].code.clone(),
                counts,
            });
        }
    }
    out
}

/// Each area's share of its events (every category) in `window`: `None` without events.
pub fn window_share(
    source: &SourceResult,
    n: usize,
    months: Option<MonthRange>,
    window: HourMask,
) -> Vec<Option<f64>> {
    area_profiles(source, n, months)
        .iter()
        .map(|p| {
            let all: u64 = p.iter().sum();
            let inside: u64 = (0..168)
                .filter(|&h| window.contains(h as u8))
                .map(|h| p[h])
                .sum();
            (all > 0).then(|| inside as f64 / all as f64)
        })
        .collect()
}
