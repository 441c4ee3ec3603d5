//! [`JoinSink`]: joins a source's events a chunk at a time, as the reader hands them over,
//! keeps what [`Joined`] needs of them and drops them; [`finish`] merges the files into the
//! source's [`Assignment`].

use crate::assign::SAME_GEOGRAPHY_SHARE;
use crate::assign::{reject_for, Accounting, Assignment, CodeAgreement, Fate, Join, RejectColumns};
use crate::joined::{cell_of, summed, Cell, Joined, Runs};
use crate::paths::tidy;
use crate::selection::EventPoint;
use crate::vintage::ChangeKind;
use rayon::prelude::*;
use safemap_ingest::paths::Skipped;
use safemap_ingest::{EventSink, SinkFile, SourceRead};
use safemap_types::{Event, Reject};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// Joins the events of one source as they are read.
pub struct JoinSink<'a> {
    /// The join.
    pub join: &'a Join<'a>,
    /// The source's files (join rejects name them).
    pub files: &'a [PathBuf],
    /// The columns join rejects name.
    pub columns: &'a RejectColumns,
    /// Keep the points of joined events ([`Joined::points`]).
    pub keep_points: bool,
    /// Keep the joined events themselves ([`Joined::events`]).
    pub keep_events: bool,
    /// Count joined events by file ([`Joined::by_file`]).
    pub by_file: bool,
}

/// What the sink keeps of one file.
#[derive(Default)]
pub struct FileJoin {
    cells: Runs<Cell>,
    by_file: HashMap<(u32, u32), u64>,
    points: Vec<(u32, EventPoint)>,
    events: Vec<(u32, Event)>,
    rejects: Vec<Reject>,
    outside_area: u64,
    outside_period: u64,
    converted: BTreeMap<ChangeKind, u64>,
    agreement: CodeAgreement,
    /// Joined events whose code is a code of the boundary geography.
    same_geography: u64,
}

impl EventSink for JoinSink<'_> {
    type File = FileJoin;

    fn open(&self) -> FileJoin {
        FileJoin::default()
    }

    fn in_order(&self) -> bool {
        self.join.converts_codes()
    }

    fn take(&self, file: &mut FileJoin, events: Vec<Event>, _: &[String]) {
        let (fates, placed) = self.join.fates(&events, &mut file.converted);
        let areas = self.join.areas();
        // The cells and the code agreement of the joined events, on every thread.
        let joined = || {
            events.par_iter().zip(&fates).filter_map(|(e, f)| match f {
                Fate::Joined(id) => Some((e, id)),
                _ => None,
            })
        };
        file.cells
            .add_keys(joined().map(|(e, id)| cell_of(id.0, e)).collect());
        let (compared, agree, same_geography) = joined()
            .filter_map(|(e, id)| e.area_code.as_deref().map(|code| (code, id)))
            .map(|(code, id)| {
                let agree = areas.areas[id.index()].code == code;
                let same = agree
                    || areas.by_code.contains_key(code)
                    || areas.known_other_codes.contains(code);
                (1, u64::from(agree), u64::from(same))
            })
            .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
        file.agreement.compared += compared;
        file.agreement.agree += agree;
        file.same_geography += same_geography;
        for (i, (e, fate)) in events.into_iter().zip(fates).enumerate() {
            match fate {
                Fate::Joined(id) => {
                    if self.by_file {
                        *file.by_file.entry((id.0, e.origin.file)).or_default() += 1;
                    }
                    if self.keep_points {
                        // The spatial join's own point, else projected here.
                        let point = match placed.get(i) {
                            Some(&Some(xy)) => Some(EventPoint::at(xy, &e)),
                            _ => EventPoint::of(&e),
                        };
                        file.points.extend(point.map(|p| (id.0, p)));
                    }
                    if self.keep_events {
                        file.events.push((id.0, e));
                    }
                }
                Fate::OutsideArea => file.outside_area += 1,
                Fate::OutsidePeriod => file.outside_period += 1,
                Fate::Rejected(kind) => {
                    file.rejects
                        .push(reject_for(self.columns, self.files, &e, kind));
                }
            }
        }
    }
}

/// The source read through a [`JoinSink`], and its assignment: the files' counts summed and
/// their categories made source-wide; `skipped` are the paths the source's patterns matched
/// but that were not read.
pub fn finish(
    read: SourceRead<Vec<SinkFile<FileJoin>>>,
    join: &Join<'_>,
    skipped: &[Skipped],
) -> (SourceRead<()>, Assignment) {
    let mut acc = Accounting {
        read: read.read,
        converted_codes: join.converts_codes().then(BTreeMap::new),
        placed_by_postcode: read.placed_by_postcode,
        skipped_paths: skipped
            .iter()
            .map(|s| Skipped {
                path: tidy(&s.path),
                same_as: tidy(&s.same_as),
                kind: s.kind,
            })
            .collect(),
        ..Accounting::default()
    };
    let mut rejects = Vec::new();
    let mut agreement = CodeAgreement::default();
    let mut same_geography = 0;
    let mut cells = Runs::default();
    let mut by_file = Vec::new();
    let mut joined = Joined::default();
    let read = read.map_events(|files| {
        for SinkFile {
            state,
            category_ids,
        } in files
        {
            let category = |c: u16| category_ids[usize::from(c)];
            acc.outside_area += state.outside_area;
            acc.outside_period += state.outside_period;
            if let Some(total) = &mut acc.converted_codes {
                for (kind, n) in state.converted {
                    *total.entry(kind).or_default() += n;
                }
            }
            agreement.compared += state.agreement.compared;
            agreement.agree += state.agreement.agree;
            same_geography += state.same_geography;
            rejects.extend(state.rejects);
            // Source-wide category ids may sort otherwise than the file's: `Runs` sorts.
            cells.add_run(
                state
                    .cells
                    .finish()
                    .into_iter()
                    .map(|((a, c, f, m, h), n)| ((a, category(c), f, m, h), n))
                    .collect(),
            );
            by_file.extend(state.by_file);
            joined
                .points
                .extend(state.points.into_iter().map(|(a, mut p)| {
                    p.category = category(p.category);
                    (a, p)
                }));
            joined
                .events
                .extend(state.events.into_iter().map(|(a, mut e)| {
                    e.category = category(e.category);
                    (a, e)
                }));
        }
    });
    joined.cells = cells.finish();
    acc.joined = joined.cells.iter().map(|(_, n)| n).sum();
    joined.by_file = summed(by_file);
    for r in read.rejects.iter().chain(&rejects) {
        *acc.rejected_by_reason
            .entry(r.reason.to_string())
            .or_default() += 1;
    }
    acc.rejected = (read.rejects.len() + rejects.len()) as u64;
    acc.outside = acc.outside_area + acc.outside_period;
    let comparable = same_geography as f64 >= SAME_GEOGRAPHY_SHARE * agreement.compared as f64;
    if join.is_spatial() && agreement.compared > 0 && comparable {
        agreement.share = agreement.agree as f64 / agreement.compared as f64;
        acc.code_agreement = Some(agreement);
    }
    let assignment = Assignment {
        rejects,
        accounting: acc,
        joined,
    };
    (read, assignment)
}
