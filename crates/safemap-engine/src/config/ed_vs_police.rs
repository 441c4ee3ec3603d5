//! `[ed_vs_police]`: emergency-department assaults against police-recorded violence per
//! area (see `crate::ed_analysis::vs_police`).
//!
//! ```toml
//! [ed_vs_police]
//! ed = "ed"                         # an `ed_istv` source
//! police = "force"                  # a `police_uk` or `events_csv` source
//! category = "violence_with_injury" # the police measure: a category slug or name
//! alpha = 0.05                      # level of the FDR-adjusted class
//! ```
//!
//! Every key is optional. `ed` and `police` default to the study's only ED source and only
//! police source (`police_uk` or `events_csv`); `category` defaults to the police source's
//! `violence_with_injury` category, else `violence_and_sexual_offences` (all data.police.uk
//! has). Without the section the comparison runs when the study has exactly one source of
//! each kind.

use super::{ConfigError, SourceFormat, Study};
use serde::{Deserialize, Serialize};

/// `[ed_vs_police]` as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EdVsPoliceSection {
    /// The ED source (format `ed_istv`).
    pub ed: Option<String>,
    /// The police source (format `police_uk` or `events_csv`).
    pub police: Option<String>,
    /// The police measure compared: a category slug (`violence_with_injury`) or name.
    pub category: Option<String>,
    /// Level of the Benjamini-Hochberg class (default 0.05).
    pub alpha: Option<f64>,
}

/// The comparison the study asks for, its sources resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdVsPolice {
    /// The ED source.
    pub ed: String,
    /// The police source.
    pub police: String,
    /// The police measure as written, if given.
    pub category: Option<String>,
    /// FDR level.
    pub alpha: f64,
}

/// Default FDR level.
const ALPHA: f64 = 0.05;

fn is_police(format: SourceFormat) -> bool {
    format == SourceFormat::PoliceUk || format.is_mapped_events()
}

impl Study {
    /// The ED-versus-police comparison: the `[ed_vs_police]` section with its defaults, or,
    /// without the section, the study's only ED and only police source when it has exactly
    /// one of each; `None` otherwise.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] naming `ed_vs_police.ed`, `.police` or `.alpha` when a
    /// source is not of its kind, is missing, or cannot be chosen by default.
    pub fn ed_vs_police(&self) -> Result<Option<EdVsPolice>, ConfigError> {
        let of_kind = |police: bool| -> Vec<&str> {
            self.sources
                .iter()
                .filter(|s| {
                    if police {
                        is_police(s.format)
                    } else {
                        s.format == SourceFormat::EdIstv
                    }
                })
                .map(|s| s.name.as_str())
                .collect()
        };
        let (eds, police) = (of_kind(false), of_kind(true));
        let Some(section) = &self.ed_vs_police else {
            return Ok(match (eds.as_slice(), police.as_slice()) {
                ([ed], [p]) => Some(EdVsPolice {
                    ed: ed.to_string(),
                    police: p.to_string(),
                    category: None,
                    alpha: ALPHA,
                }),
                _ => None,
            });
        };
        let pick = |key: &str, given: &Option<String>, names: &[&str], what: &str| {
            let expected = format!("the name of {what} source: {}", list(names));
            match (given, names) {
                (Some(name), _) if names.contains(&name.as_str()) => Ok(name.clone()),
                (Some(name), _) => Err(self.invalid(key, name, &expected)),
                (None, [only]) => Ok(only.to_string()),
                (None, _) => Err(self.invalid(
                    key,
                    "(not given)",
                    &format!("{expected} (there is not exactly one, so name it)"),
                )),
            }
        };
        let ed = pick("ed_vs_police.ed", &section.ed, &eds, "an ed_istv")?;
        let police = pick(
            "ed_vs_police.police",
            &section.police,
            &police,
            "a police_uk or events_csv",
        )?;
        let alpha = section.alpha.unwrap_or(ALPHA);
        if !(alpha > 0.0 && alpha < 1.0) {
            return Err(self.invalid(
                "ed_vs_police.alpha",
                alpha,
                "a significance level between 0 and 1, e.g. 0.05",
            ));
        }
        Ok(Some(EdVsPolice {
            ed,
            police,
            category: section.category.clone(),
            alpha,
        }))
    }
}

fn list(names: &[&str]) -> String {
    if names.is_empty() {
        "(the study has none)".into()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The minimal study with an ED source besides its police one.
    fn study() -> String {
        format!(
            "{}[[source]]\nname = \"ed\"\nformat = \"ed_istv\"\npaths = [\"ed.csv\"]\njoin = \"spatial\"\n",
            super::super::tests::MINIMAL
        )
    }

    fn load(text: &str) -> Result<Study, ConfigError> {
        let (_dir, path) = super::super::tests::write(text);
        Study::load(&path)
    }

    fn with_force(extra: &str) -> String {
        format!(
            "{}[[source]]\nname = \"force\"\nformat = \"events_csv\"\npaths = [\"f.csv\"]\njoin = \"spatial\"\n[source.columns]\nx = \"x\"\ny = \"y\"\ncrs = \"EPSG:27700\"\ntime = \"t\"\ncategory = \"c\"\n{extra}",
            study()
        )
    }

    #[test]
    fn one_source_of_each_kind_is_compared_by_default() {
        let s = load(&study()).unwrap();
        assert_eq!(
            s.ed_vs_police().unwrap(),
            Some(EdVsPolice {
                ed: "ed".into(),
                police: "police".into(),
                category: None,
                alpha: 0.05,
            })
        );
        // Two police sources and no section: no comparison.
        let s = load(&with_force("")).unwrap();
        assert_eq!(s.ed_vs_police().unwrap(), None);
    }

    #[test]
    fn the_section_names_what_defaults_cannot_choose() {
        let s = load(&with_force(
            "[ed_vs_police]\npolice = \"force\"\ncategory = \"violence_with_injury\"\nalpha = 0.01\n",
        ))
        .unwrap();
        let c = s.ed_vs_police().unwrap().unwrap();
        assert_eq!(
            (c.ed.as_str(), c.police.as_str(), c.alpha),
            ("ed", "force", 0.01)
        );
        assert_eq!(c.category.as_deref(), Some("violence_with_injury"));
        for (extra, key, value) in [
            ("[ed_vs_police]\n", "ed_vs_police.police", "(not given)"),
            (
                "[ed_vs_police]\npolice = \"ed\"\n",
                "ed_vs_police.police",
                "ed",
            ),
            (
                "[ed_vs_police]\npolice = \"force\"\ned = \"police\"\n",
                "ed_vs_police.ed",
                "police",
            ),
            (
                "[ed_vs_police]\npolice = \"force\"\nalpha = 1.5\n",
                "ed_vs_police.alpha",
                "1.5",
            ),
        ] {
            let err = load(&with_force(extra)).unwrap_err();
            let text = err.to_string();
            assert!(
                text.contains(key) && text.contains(value),
                "{extra}: {text}"
            );
        }
        let err = load(&format!("{}[ed_vs_police]\nwhat = 1\n", study())).unwrap_err();
        assert!(err.to_string().contains("unknown field `what`"), "{err}");
    }
}
