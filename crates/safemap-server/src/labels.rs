//! Human labels for the identifiers a study uses: category slugs, `flag_*` measures, analysis
//! and source names. The catalogue (`/api/layers`) sends them as `label` beside each id, so
//! people read "Domestic abuse (flagged)" while URLs and files keep `flag_domestic_abuse`.

/// Whole identifiers whose label is not their words capitalised.
const PHRASES: &[(&str, &str)] = &[
    ("pub_club", "Pub or club"),
    ("alcohol", "Alcohol-related"),
    ("weapon", "Weapon involved"),
    ("asb", "Anti-social behaviour"),
    ("nte", "Night-time economy"),
];

/// Words written otherwise than in lower case.
const WORDS: &[(&str, &str)] = &[
    ("ed", "ED"),
    ("eb", "EB"),
    ("nte", "NTE"),
    ("asb", "ASB"),
    ("idva", "IDVA"),
    ("imd", "IMD"),
    ("lsoa", "LSOA"),
    ("msoa", "MSOA"),
    ("uk", "UK"),
];

/// The label of an identifier: `flag_domestic_abuse` → "Domestic abuse (flagged)",
/// `flag_alcohol` → "Alcohol-related (flagged)", `pub_club` → "Pub or club",
/// `violence_and_sexual_offences` → "Violence and sexual offences", `ed_assaults` →
/// "ED assaults". Text that is already a label (it has a capital letter or a space) is kept.
///
/// ```
/// use safemap_server::labels::human_label;
/// assert_eq!(human_label("flag_domestic_abuse"), "Domestic abuse (flagged)");
/// assert_eq!(human_label("pub_club"), "Pub or club");
/// assert_eq!(human_label("Anti-social behaviour"), "Anti-social behaviour");
/// ```
pub fn human_label(id: &str) -> String {
    if id.is_empty() || id.chars().any(|c| c.is_uppercase() || c == ' ') {
        return id.to_string();
    }
    if let Some(rest) = id.strip_prefix("flag_") {
        return format!("{} (flagged)", human_label(rest));
    }
    if let Some((_, label)) = PHRASES.iter().find(|(k, _)| *k == id) {
        return (*label).to_string();
    }
    let words: Vec<String> = id
        .split(['_', '-'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            WORDS
                .iter()
                .find(|(k, _)| *k == w)
                .map_or_else(|| w.to_string(), |(_, v)| (*v).to_string())
        })
        .collect();
    let text = words.join(" ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::human_label;

    #[test]
    fn identifiers_read_as_words() {
        for (id, label) in [
            ("flag_domestic_abuse", "Domestic abuse (flagged)"),
            ("flag_alcohol", "Alcohol-related (flagged)"),
            ("flag_weapon", "Weapon involved (flagged)"),
            ("pub_club", "Pub or club"),
            (
                "violence_and_sexual_offences",
                "Violence and sexual offences",
            ),
            ("anti-social-behaviour", "Anti social behaviour"),
            ("ed_assaults", "ED assaults"),
            ("violence_eb", "Violence EB"),
            ("ed", "ED"),
            ("police", "Police"),
            ("street", "Street"),
        ] {
            assert_eq!(human_label(id), label, "{id}");
        }
    }

    #[test]
    fn labels_are_kept() {
        for label in [
            "Anti-social behaviour",
            "Violence and sexual offences",
            "Other theft",
            "",
        ] {
            assert_eq!(human_label(label), label);
        }
    }
}
