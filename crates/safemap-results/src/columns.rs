//! Column naming of the results tables: the per-measure fields, the slugs of measure names,
//! and which columns are hotspot classes.

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

/// Columns of analysis classes (`{analysis}_{statistic}_class`, `…_class_{correction}`).
pub fn is_class_column(key: &str) -> bool {
    key.ends_with("_class") || key.contains("_class_")
}

/// The column of one measure field of a source: `{source}_{slug}_{field}` (`slug` is `all`
/// for every category together).
pub fn measure_column(source: &str, slug: &str, field: &str) -> String {
    format!("{source}_{slug}_{field}")
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
}
