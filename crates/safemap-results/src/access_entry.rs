//! `manifest.access`: what `[access]` computed and which area columns hold it, so the
//! server and the web map find every access figure by its exact column name
//! ([`crate::columns::access_column`] and its kin) without reading the study file.

use crate::columns::{
    access_column, gap_bivariate_column, gap_class_column, gap_column, NEED, NEED_RANK,
    PRIORITY_DRIVERS, PRIORITY_RANK, PRIORITY_SCORE,
};
use serde::{Deserialize, Serialize};

/// `[access]` as the run carried it out.
// Independent yes/no facts of a JSON record, read by name: not a state machine.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessEntry {
    /// Unit of every cost: `metres` or `minutes`.
    pub unit: String,
    /// True when costs are straight lines between points (no travel-cost matrix): a
    /// catchment is then a circle of the cost in metres.
    pub straight_line: bool,
    /// The cost the `within` counts and coverage use.
    pub within: f64,
    /// The `[[access.score]]` names, in order (`access_{kind}_{score}` columns).
    pub scores: Vec<String>,
    /// One entry per kind analysed.
    pub kinds: Vec<AccessKind>,
    /// Whether `need` and `need_rank` columns exist (`[need]`).
    pub need: bool,
    /// Whether the need index is made only from open inputs (no sensitive source's data):
    /// only then are need, gap scores, the priority ranking and the new sites public.
    pub need_open: bool,
    /// Whether the `gap_{kind}` columns exist (`[gap]` with `[need]`).
    pub gap: bool,
    /// Whether the `priority_*` columns exist (`[priority]`).
    pub priority: bool,
    /// Whether the new sites' layer exists (`[sites]`).
    pub sites: bool,
}

/// One kind of service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessKind {
    /// The kind's slug.
    pub kind: String,
    /// Its label for people.
    pub label: String,
    /// Whether any service of the kind is confidential: the kind's per-area figures are
    /// then analyst only (they would narrow down where the services are), and it has no
    /// nearest-cost column at all (distances from many areas would locate a service).
    pub confidential: bool,
    /// Share of all residents within `within` of a service of the kind.
    pub coverage_all: Option<f64>,
    /// Share of high-need residents within `within` (with `[need]`).
    pub coverage_high_need: Option<f64>,
}

impl AccessEntry {
    /// Every area column the run added for `kind`, in output order.
    pub fn kind_columns(&self, kind: &AccessKind) -> Vec<String> {
        let mut out = Vec::new();
        if !kind.confidential {
            out.push(access_column(&kind.kind, "nearest"));
        }
        out.push(access_column(&kind.kind, "within"));
        out.extend(self.scores.iter().map(|s| access_column(&kind.kind, s)));
        if self.gap {
            out.extend([
                gap_column(&kind.kind),
                gap_class_column(&kind.kind),
                gap_bivariate_column(&kind.kind),
            ]);
        }
        out
    }

    /// Every area column the run added: each kind's, then need and priority.
    pub fn columns(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .kinds
            .iter()
            .flat_map(|k| self.kind_columns(k))
            .collect();
        if self.need {
            out.extend([NEED, NEED_RANK].map(String::from));
        }
        if self.priority {
            out.extend([PRIORITY_RANK, PRIORITY_SCORE, PRIORITY_DRIVERS].map(String::from));
        }
        out
    }

    /// The columns the public may see: a kind's access figures when none of its services is
    /// confidential; its gap classes likewise (classes, like hotspot classes, are public);
    /// need, gap scores and the ranking only when the need index is made from open inputs.
    pub fn public_columns(&self) -> Vec<String> {
        let mut out = Vec::new();
        for k in self.kinds.iter().filter(|k| !k.confidential) {
            out.push(access_column(&k.kind, "nearest"));
            out.push(access_column(&k.kind, "within"));
            out.extend(self.scores.iter().map(|s| access_column(&k.kind, s)));
            if self.gap {
                out.extend([gap_class_column(&k.kind), gap_bivariate_column(&k.kind)]);
                if self.need_open {
                    out.push(gap_column(&k.kind));
                }
            }
        }
        if self.need_open {
            if self.need {
                out.extend([NEED, NEED_RANK].map(String::from));
            }
            if self.priority {
                out.extend([PRIORITY_RANK, PRIORITY_SCORE, PRIORITY_DRIVERS].map(String::from));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(need_open: bool) -> AccessEntry {
        let kind = |k: &str, confidential| AccessKind {
            kind: k.into(),
            label: k.into(),
            confidential,
            coverage_all: Some(0.5),
            coverage_high_need: None,
        };
        AccessEntry {
            unit: "metres".into(),
            straight_line: true,
            within: 3000.0,
            scores: vec!["e2sfca".into()],
            kinds: vec![kind("gp", false), kind("refuge", true)],
            need: true,
            need_open,
            gap: true,
            priority: true,
            sites: false,
        }
    }

    #[test]
    fn confidential_kinds_have_no_nearest_cost_and_nothing_public() {
        let e = entry(true);
        let all = e.columns();
        assert!(all.contains(&"access_gp_nearest".to_string()));
        assert!(!all.contains(&"access_refuge_nearest".to_string()));
        assert!(all.contains(&"access_refuge_within".to_string()));
        let public = e.public_columns();
        assert!(public.iter().all(|c| !c.contains("refuge")), "{public:?}");
        assert!(public.iter().all(|c| all.contains(c)));
    }

    #[test]
    fn need_from_sensitive_data_leaves_only_classes_public() {
        let public = entry(false).public_columns();
        for hidden in [
            "need",
            "need_rank",
            "gap_gp",
            "priority_rank",
            "priority_score",
            "priority_drivers",
        ] {
            assert!(!public.contains(&hidden.to_string()), "{hidden}");
        }
        for shown in [
            "gap_gp_class",
            "gap_gp_bivariate",
            "access_gp_e2sfca",
            "access_gp_nearest",
        ] {
            assert!(public.contains(&shown.to_string()), "{shown}");
        }
        assert!(entry(true)
            .public_columns()
            .contains(&"priority_drivers".to_string()));
    }
}
