//! Column naming of the results tables: the per-measure fields, the slugs of measure names,
//! and the columns of analyses and their hotspot classes.
//!
//! Every column name is built here from its parts, and compared whole: no reader decides
//! what a column is from a prefix, a suffix or a substring of its name (a category named
//! "Drug supply class A" or an analysis named `da_class_count` is not a class column).

/// Per-measure columns, in output order.
pub const MEASURES: [&str; 6] = [
    "count",
    "rate",
    "rate_lo",
    "rate_hi",
    "expected",
    "excess_risk",
];

/// Column-name slugs: lower case, runs of other characters as one `_`; clashes get `_2`, `_3`.
pub fn slugs(names: &[String]) -> Vec<String> {
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    names
        .iter()
        .map(|n| {
            let mut s = String::new();
            for c in n.chars() {
                if c.is_ascii_alphanumeric() {
                    s.push(c.to_ascii_lowercase());
                } else if !s.ends_with('_') {
                    s.push('_');
                }
            }
            let s = s.trim_matches('_').to_string();
            let s = if s.is_empty() || s == "all" {
                format!("cat_{s}")
            } else {
                s
            };
            let k = seen.entry(s.clone()).or_default();
            *k += 1;
            if *k == 1 {
                s
            } else {
                format!("{s}_{k}")
            }
        })
        .collect()
}

/// The measure slug of every category of a source together.
pub const ALL: &str = "all";

/// The column of one measure field of a source: `{source}_{slug}_{field}` (`slug` is `all`
/// for every category together).
pub fn measure_column(source: &str, slug: &str, field: &str) -> String {
    format!("{source}_{slug}_{field}")
}

/// Every measure column of a source, in output order: for `all`, then each slug, each of
/// [`MEASURES`].
pub fn measure_columns(source: &str, slugs: &[String]) -> Vec<String> {
    std::iter::once(ALL)
        .chain(slugs.iter().map(String::as_str))
        .flat_map(|slug| MEASURES.map(|field| measure_column(source, slug, field)))
        .collect()
}

/// The column of one per-area field of an analysis's local statistic:
/// `{analysis}_{statistic}_{field}` (`da_gi_star_z`).
pub fn analysis_column(analysis: &str, statistic: &str, field: &str) -> String {
    format!("{analysis}_{statistic}_{field}")
}

/// The class columns of a local statistic, raw and adjusted for multiple testing:
/// `{statistic}_class` and `{statistic}_class_{correction}` (the grid's `gi_star_class`,
/// `gi_star_class_fdr`).
pub fn statistic_class_columns(statistic: &str, correction: &str) -> [String; 2] {
    [
        format!("{statistic}_class"),
        format!("{statistic}_class_{correction}"),
    ]
}

/// The class columns of an analysis's local statistic, raw and adjusted:
/// `{analysis}_{statistic}_class` and `{analysis}_{statistic}_class_{correction}`.
pub fn class_columns(analysis: &str, statistic: &str, correction: &str) -> [String; 2] {
    statistic_class_columns(statistic, correction).map(|c| format!("{analysis}_{c}"))
}

/// The need index column (`[need]`).
pub const NEED: &str = "need";
/// The need index's rank column (1 = highest need).
pub const NEED_RANK: &str = "need_rank";
/// The priority ranking's rank column (`[priority]`; 1 = first).
pub const PRIORITY_RANK: &str = "priority_rank";
/// The priority ranking's score column.
pub const PRIORITY_SCORE: &str = "priority_score";
/// The priority ranking's drivers, in words (`need (+3.60); gap_idva_service (+2.65)`).
pub const PRIORITY_DRIVERS: &str = "priority_drivers";

/// The column of one access figure of a service kind: `access_{kind}_{field}`, where
/// `field` is `nearest` (cost of the nearest service), `within` (services within the
/// `[access] within` cost) or a `[[access.score]]` name.
pub fn access_column(kind: &str, field: &str) -> String {
    format!("access_{kind}_{field}")
}

/// The need-against-access gap score of a service kind: `gap_{kind}` (also a name the
/// `[priority]` components may use).
pub fn gap_column(kind: &str) -> String {
    format!("gap_{kind}")
}

/// The four-way gap class of a service kind (`gap`, `high_need_high_access`, ...):
/// `gap_{kind}_class`.
pub fn gap_class_column(kind: &str) -> String {
    format!("gap_{kind}_class")
}

/// The bivariate class of a service kind, need tercile against access tercile (`n3a1` is
/// the highest need third with the lowest access third): `gap_{kind}_bivariate`.
pub fn gap_bivariate_column(kind: &str) -> String {
    format!("gap_{kind}_bivariate")
}

/// The fields of the ED-versus-police comparison (`[ed_vs_police]`), in column order:
/// ED assaults, police violence, their ratio, the ED share of both, its one-sided p-value
/// and its FDR class (`high`, `not_significant`).
pub const ED_VS_POLICE_FIELDS: [&str; 6] = [
    "ed_assaults",
    "police_violence",
    "ratio",
    "ed_share",
    "ed_share_p",
    "ed_share_class_fdr",
];

/// The area column of one ED-versus-police field: `ed_vs_police_{field}`. Analyst only
/// (exact ED counts, and shares that give them back beside the police counts).
pub fn ed_vs_police_column(field: &str) -> String {
    format!("ed_vs_police_{field}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_and_unique() {
        let names = [
            "Violence and sexual offences",
            "Anti-social behaviour",
            "anti social behaviour",
            "All",
        ]
        .map(String::from);
        assert_eq!(
            slugs(&names),
            [
                "violence_and_sexual_offences",
                "anti_social_behaviour",
                "anti_social_behaviour_2",
                "cat_all"
            ]
        );
    }

    #[test]
    fn names_are_built_from_their_parts() {
        assert_eq!(
            class_columns("da_class_count", "gi_star", "fdr"),
            [
                "da_class_count_gi_star_class",
                "da_class_count_gi_star_class_fdr"
            ]
        );
        assert_eq!(
            statistic_class_columns("gi_star", "bonferroni"),
            ["gi_star_class", "gi_star_class_bonferroni"]
        );
        assert_eq!(
            analysis_column("x_z", "local_moran", "i"),
            "x_z_local_moran_i"
        );
        let cols = measure_columns("force", &["drug_supply_class_a".into()]);
        assert_eq!(cols.len(), 2 * MEASURES.len());
        assert_eq!(cols[0], "force_all_count");
        assert_eq!(cols[MEASURES.len()], "force_drug_supply_class_a_count");
    }
}
