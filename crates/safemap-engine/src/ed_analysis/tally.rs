//! Counting ED assaults per area: totals, times, alcohol, method and location type, and the
//! cross-tabs, from the events the monthly counts use (joined to an area, in the study
//! period, in a covered cell), so every total here equals the source's `all` count.

use crate::coverage::Coverage;
use crate::joined::{Cell, NO_HOUR};
use safemap_types::time::HourMask;
use safemap_types::{AssaultMethod, Flags};

/// Number of method categories ([`AssaultMethod::ALL`]).
pub const METHODS: usize = AssaultMethod::ALL.len();

/// The hours 21:00-02:59 of every night (the seed's "between 21:00-02:59").
pub const NIGHT_HOURS: &str = "21-2";

/// The counts of one area, or of the whole study. Location types are the source's
/// categories, by index; methods are in [`AssaultMethod::ALL`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Assaults.
    pub assaults: u64,
    /// On a Saturday or Sunday (by the date of the assault, or of arrival when the assault
    /// time is not known).
    pub weekend: u64,
    /// Between 21:00 and 02:59, any day.
    pub night: u64,
    /// In the study's night-time-economy window (`[time] nte`; by default nights starting
    /// Friday or Saturday, 21:00-02:59).
    pub nte: u64,
    /// With the alcohol field filled in (yes or no).
    pub alcohol_recorded: u64,
    /// Recorded as alcohol related.
    pub alcohol: u64,
    /// Per method.
    pub method: [u64; METHODS],
    /// Per location type.
    pub location: Vec<u64>,
    /// Per location type, with alcohol recorded.
    pub alcohol_recorded_at: Vec<u64>,
    /// Per location type, alcohol related.
    pub alcohol_at: Vec<u64>,
    /// Per location type, per method.
    pub method_at: Vec<[u64; METHODS]>,
}

impl Tally {
    /// Zero counts over `n_locations` location types.
    pub fn new(n_locations: usize) -> Self {
        Tally {
            assaults: 0,
            weekend: 0,
            night: 0,
            nte: 0,
            alcohol_recorded: 0,
            alcohol: 0,
            method: [0; METHODS],
            location: vec![0; n_locations],
            alcohol_recorded_at: vec![0; n_locations],
            alcohol_at: vec![0; n_locations],
            method_at: vec![[0; METHODS]; n_locations],
        }
    }

    /// Counts the `n` events of one cell (see [`crate::joined`]).
    fn add(&mut self, &(_, category, flags, _, how): &Cell, n: u64, masks: (HourMask, HourMask)) {
        let c = usize::from(category);
        let m = method_index(flags.method());
        let n_if = |yes: bool| if yes { n } else { 0 };
        self.assaults += n;
        if how != NO_HOUR {
            // Hours of the week count from Monday 00:00: Saturday starts at hour 120.
            self.weekend += n_if(how >= 5 * 24);
            self.night += n_if(masks.0.contains(how));
            self.nte += n_if(masks.1.contains(how));
        }
        let recorded = n_if(flags.contains(Flags::ALCOHOL_RECORDED));
        let alcohol = n_if(flags.contains(Flags::ALCOHOL));
        self.alcohol_recorded += recorded;
        self.alcohol += alcohol;
        self.method[m] += n;
        self.location[c] += n;
        self.alcohol_recorded_at[c] += recorded;
        self.alcohol_at[c] += alcohol;
        self.method_at[c][m] += n;
    }

    /// Adds another tally over the same location types.
    fn merge(&mut self, o: &Tally) {
        self.assaults += o.assaults;
        self.weekend += o.weekend;
        self.night += o.night;
        self.nte += o.nte;
        self.alcohol_recorded += o.alcohol_recorded;
        self.alcohol += o.alcohol;
        let add = |a: &mut [u64], b: &[u64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(&mut self.method, &o.method);
        add(&mut self.location, &o.location);
        add(&mut self.alcohol_recorded_at, &o.alcohol_recorded_at);
        add(&mut self.alcohol_at, &o.alcohol_at);
        for (a, b) in self.method_at.iter_mut().zip(&o.method_at) {
            add(a, b);
        }
    }
}

/// The position of a method in [`AssaultMethod::ALL`].
pub fn method_index(m: AssaultMethod) -> usize {
    AssaultMethod::ALL.iter().position(|&x| x == m).unwrap_or(0)
}

/// The tallies of one ED source.
#[derive(Debug, Clone)]
pub struct SourceTally {
    /// The source.
    pub source: String,
    /// Its location types (categories).
    pub locations: Vec<String>,
    /// Per area; `None` for an area some month of the span has no data for.
    pub areas: Vec<Option<Tally>>,
    /// The study: the sum over the areas with data.
    pub study: Tally,
}

/// The events of one ED source, as read and joined.
pub struct SourceEvents<'a> {
    /// The source.
    pub source: &'a str,
    /// Its location types (categories).
    pub locations: &'a [String],
    /// Its joined events, by cell.
    pub cells: &'a [(Cell, u64)],
    /// Which (area, month) cells have data.
    pub coverage: &'a Coverage,
}

/// Tallies the events of one ED source the way the monthly counts count them; `nte` is the
/// study's night-time-economy window.
pub fn tally_source(src: &SourceEvents<'_>, nte: HourMask, n_areas: usize) -> SourceTally {
    let SourceEvents {
        source,
        locations,
        cells,
        coverage,
    } = *src;
    let night = HourMask::parse(None, Some(NIGHT_HOURS)).unwrap_or(HourMask::ALL);
    let masks = (night, nte);
    let mut areas = vec![Tally::new(locations.len()); n_areas];
    for (cell, n) in cells {
        if coverage.is_covered(cell.0, cell.3) {
            areas[cell.0 as usize].add(cell, *n, masks);
        }
    }
    let mut study = Tally::new(locations.len());
    let areas: Vec<Option<Tally>> = areas
        .into_iter()
        .enumerate()
        .map(|(i, t)| coverage.covers(i, coverage.months).then_some(t))
        .collect();
    for t in areas.iter().flatten() {
        study.merge(t);
    }
    SourceTally {
        source: source.to_string(),
        locations: locations.to_vec(),
        areas,
        study,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assign::Fate;
    use crate::ed_analysis::figures::figures;
    use safemap_results::coverage::CoverageMethod;
    use safemap_types::{AreaId, Event, RowRef};

    fn event(at: &str, location: u16, alcohol: Option<bool>, method: AssaultMethod) -> Event {
        let mut flags = Flags::empty();
        flags.set(Flags::ALCOHOL_RECORDED, alcohol.is_some());
        flags.set(Flags::ALCOHOL, alcohol == Some(true));
        flags.set_method(method);
        Event {
            origin: RowRef { file: 0, line: 2 },
            point: None,
            area_code: None,
            time: EventTime::Timestamp(
                chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").unwrap(),
            ),
            category: location,
            flags,
        }
    }

    use safemap_types::EventTime;

    #[test]
    fn counts_times_alcohol_methods_and_cross_tabs() {
        use AssaultMethod::{Body, GlassOrBottle, KnifeOrSharpObject};
        let events = [
            // Friday 23:30: night and NTE, not weekend.
            event("2024-03-15 23:30", 1, Some(true), GlassOrBottle),
            // Saturday 02:59: weekend, night, NTE (Friday's night).
            event("2024-03-16 02:59", 1, Some(true), Body),
            // Saturday 03:00: weekend only.
            event("2024-03-16 03:00", 0, Some(false), KnifeOrSharpObject),
            // Sunday 21:00: weekend and night, not NTE (Sunday night).
            event("2024-03-17 21:00", 0, None, Body),
            // Monday noon, outside the study.
            event("2024-03-18 12:00", 0, Some(true), Body),
        ];
        let fates = [
            Fate::Joined(AreaId(0)),
            Fate::Joined(AreaId(0)),
            Fate::Joined(AreaId(1)),
            Fate::Joined(AreaId(1)),
            Fate::OutsideArea,
        ];
        let coverage = Coverage::complete(CoverageMethod::WholeSpan, None, 2);
        let locations = ["home".to_string(), "street".to_string()];
        let src = SourceEvents {
            source: "ed",
            locations: &locations,
            cells: &crate::joined::cells_of(&events, &fates),
            coverage: &coverage,
        };
        let t = tally_source(&src, safemap_types::time::NTE.mask(), 2);
        let s = &t.study;
        assert_eq!((s.assaults, s.weekend, s.night, s.nte), (4, 3, 3, 2));
        assert_eq!((s.alcohol_recorded, s.alcohol), (3, 2));
        assert_eq!(s.location, [2, 2]);
        assert_eq!(s.alcohol_at, [0, 2]);
        assert_eq!(s.alcohol_recorded_at, [1, 2]);
        assert_eq!(s.method[method_index(Body)], 2);
        assert_eq!(s.method_at[0][method_index(KnifeOrSharpObject)], 1);
        assert_eq!(t.areas[0].as_ref().unwrap().assaults, 2);
        let figs = figures(s, &locations);
        let find = |figure: &str, subset: &str, category: &str| {
            figs.iter()
                .find(|f| f.figure == figure && f.subset == subset && f.category == category)
                .map(|f| (f.numerator, f.denominator, f.percent()))
                .unwrap()
        };
        assert_eq!(
            find("alcohol_related", "", ""),
            (2, Some(3), Some(200.0 / 3.0))
        );
        assert_eq!(
            find("location", "alcohol_related", "street"),
            (2, Some(2), Some(100.0))
        );
        assert_eq!(
            find("alcohol_related", "location:home", ""),
            (0, Some(1), Some(0.0))
        );
        assert_eq!(
            find("method", "location:home", "body"),
            (1, Some(2), Some(50.0))
        );
        assert_eq!(
            find("location", "method:body", "home"),
            (1, Some(2), Some(50.0))
        );
        assert_eq!(find("method", "", "blunt_object"), (0, Some(4), Some(0.0)));
        assert_eq!(find("assaults", "", ""), (4, None, None));
    }
}
