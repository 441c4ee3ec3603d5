//! The figures of `ed_summary.csv` from a [`Tally`]: each a numerator over a denominator,
//! the way a needs assessment quotes them ("67% alcohol related", "41% of alcohol-related
//! assaults occurred on the street", "glass and bottles 13.7%").
//!
//! | figure | subset | category | numerator / denominator |
//! |---|---|---|---|
//! | `assaults` | | | assaults (no denominator) |
//! | `weekend` | | | on Saturday or Sunday / assaults |
//! | `night_21_03` | | | 21:00-02:59, any day / assaults |
//! | `nte_window` | | | in the `[time] nte` window (default: nights starting Fri or Sat, 21:00-02:59) / assaults |
//! | `alcohol_recorded` | | | alcohol field filled in / assaults |
//! | `alcohol_related` | | | alcohol related / alcohol recorded |
//! | `method` | | a method | with that method / assaults |
//! | `location` | | a location type | at that location type / assaults |
//! | `location` | `alcohol_related` | a location type | alcohol related there / alcohol related |
//! | `alcohol_related` | `location:{type}` | | alcohol related there / alcohol recorded there |
//! | `location` | `method:{method}` | a location type | that method there / that method |
//! | `method` | `location:{type}` | a method | that method there / at that location type |

use super::tally::Tally;
use safemap_types::AssaultMethod;

/// One figure: `numerator` of `denominator` (`None` for a plain count).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// What is counted (`weekend`, `method`, ...).
    pub figure: &'static str,
    /// The assaults the share is taken of, when not all of them (`alcohol_related`,
    /// `location:street`, `method:knife_or_sharp_object`); empty for all.
    pub subset: String,
    /// The method or location type a `method` or `location` figure is about; else empty.
    pub category: String,
    /// Assaults counted.
    pub numerator: u64,
    /// Assaults they are a share of.
    pub denominator: Option<u64>,
}

impl Figure {
    fn share(figure: &'static str, numerator: u64, denominator: u64) -> Self {
        Figure {
            figure,
            subset: String::new(),
            category: String::new(),
            numerator,
            denominator: Some(denominator),
        }
    }

    fn of(mut self, subset: String) -> Self {
        self.subset = subset;
        self
    }

    fn about(mut self, category: &str) -> Self {
        self.category = category.to_string();
        self
    }

    /// The percentage, `None` when the denominator is missing or 0.
    pub fn percent(&self) -> Option<f64> {
        self.denominator
            .filter(|&d| d > 0)
            .map(|d| 100.0 * self.numerator as f64 / d as f64)
    }
}

/// Every figure of a tally, in the order of the module table; `locations` names the
/// location types.
pub fn figures(t: &Tally, locations: &[String]) -> Vec<Figure> {
    let n = t.assaults;
    let mut out = vec![
        Figure {
            figure: "assaults",
            subset: String::new(),
            category: String::new(),
            numerator: n,
            denominator: None,
        },
        Figure::share("weekend", t.weekend, n),
        Figure::share("night_21_03", t.night, n),
        Figure::share("nte_window", t.nte, n),
        Figure::share("alcohol_recorded", t.alcohol_recorded, n),
        Figure::share("alcohol_related", t.alcohol, t.alcohol_recorded),
    ];
    let methods = AssaultMethod::ALL.map(AssaultMethod::as_str);
    for (m, name) in methods.iter().enumerate() {
        out.push(Figure::share("method", t.method[m], n).about(name));
    }
    for (c, loc) in locations.iter().enumerate() {
        out.push(Figure::share("location", t.location[c], n).about(loc));
    }
    for (c, loc) in locations.iter().enumerate() {
        out.push(
            Figure::share("location", t.alcohol_at[c], t.alcohol)
                .of("alcohol_related".into())
                .about(loc),
        );
    }
    for (c, loc) in locations.iter().enumerate() {
        out.push(
            Figure::share("alcohol_related", t.alcohol_at[c], t.alcohol_recorded_at[c])
                .of(format!("location:{loc}")),
        );
    }
    for (m, name) in methods.iter().enumerate() {
        for (c, loc) in locations.iter().enumerate() {
            out.push(
                Figure::share("location", t.method_at[c][m], t.method[m])
                    .of(format!("method:{name}"))
                    .about(loc),
            );
        }
    }
    for (c, loc) in locations.iter().enumerate() {
        for (m, name) in methods.iter().enumerate() {
            out.push(
                Figure::share("method", t.method_at[c][m], t.location[c])
                    .of(format!("location:{loc}"))
                    .about(name),
            );
        }
    }
    out
}
