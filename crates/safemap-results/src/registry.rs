//! The layer registry: one entry per map layer of a results directory, saying which file
//! holds it, what its features are, which sources it is drawn from, whether the public may
//! see it, which of its columns the public may see and how its counts are protected.
//!
//! The server builds every layer from its entry, with no layer-specific code: a layer the
//! engine registers appears in the catalogue, TileJSON and tiles for the roles its entry
//! allows.
//!
//! Everything fails closed: a layer or source whose sensitivity is missing or not a
//! boolean is sensitive (analyst only); `public_columns` is an allow-list of exact names
//! (a column not listed is not public, whatever its name looks like); a public count column
//! must be listed in `protected_counts`.

use crate::columns::{measure_column, ALL};
use crate::disclosure::{DisclosureRule, Published};
use crate::manifest::SourceEntry;
use serde::{Deserialize, Deserializer, Serialize};

/// What a layer's features are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeometryKind {
    /// Polygons and multipolygons.
    Polygon,
    /// Points.
    Point,
}

impl GeometryKind {
    /// The name TileJSON and the catalogue use.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Polygon => "polygon",
            Self::Point => "point",
        }
    }
}

/// How the public attributes of a layer are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayerKind {
    /// The study areas: the public row is exactly the entry's `public_columns`. A listed
    /// measure column of a source (`{source}_{slug}_{field}`) is derived from the published
    /// (disclosure-controlled) counts, never read from the file; any other listed column is
    /// read from the file as it is.
    Areas,
    /// Features as the file holds them: the public sees `public_columns`, with the
    /// `protected_counts` disclosure-controlled.
    Features,
}

/// A public count column and the count nesting it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtectedCount {
    /// The column.
    pub column: String,
    /// A count column of the same feature whose events include all of this one's: this one
    /// is withheld when the two differ by a small count (secondary suppression).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<String>,
}

/// One layer of a results directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerEntry {
    /// Layer id in URLs (`/tiles/{name}/…`).
    pub name: String,
    /// The GeoJSON file holding its features, relative to the results directory.
    pub file: String,
    /// How its public attributes are made.
    pub kind: LayerKind,
    /// What its features are.
    pub geometry: GeometryKind,
    /// The sources whose events it is drawn from.
    #[serde(default)]
    pub sources: Vec<String>,
    /// True when the layer shows where a sensitive source's events are; missing or not a
    /// boolean reads as true.
    #[serde(default = "fail_closed_default", deserialize_with = "fail_closed")]
    pub sensitive: bool,
    /// The columns the public may see, by exact name (missing: none). Nothing else of the
    /// layer reaches the public role: not in tiles at any zoom, JSON or exports.
    #[serde(default)]
    pub public_columns: Vec<String>,
    /// The public count columns and how they nest; each is disclosure-controlled.
    #[serde(default)]
    pub protected_counts: Vec<ProtectedCount>,
}

impl LayerEntry {
    /// Whether the public role may see the layer. An areas layer is public unless marked
    /// sensitive (its source measures reach the public only through the published counts); a
    /// features layer also needs every source it is drawn from to be known and not sensitive.
    pub fn is_public(&self, sources: &[SourceEntry]) -> bool {
        if self.sensitive {
            return false;
        }
        match self.kind {
            LayerKind::Areas => true,
            LayerKind::Features => self.sources.iter().all(|name| {
                sources
                    .iter()
                    .find(|s| &s.name == name)
                    .is_some_and(|s| !s.sensitive)
            }),
        }
    }

    /// Whether the public may see column `key` of the layer: it is listed, exactly, in
    /// `public_columns`.
    pub fn is_public_column(&self, key: &str) -> bool {
        self.public_columns.iter().any(|c| c == key)
    }

    /// Checks the entry against the manifest's sources: a public column that holds counts
    /// (`count`, `*_count`) must be protected, and a protected count must nest in a protected
    /// count. An areas layer protects its counts through the published table of their
    /// source, so each of its protected counts must be the count column of a source's
    /// measure.
    pub fn check(&self, sources: &[SourceEntry]) -> Result<(), String> {
        let protected = |c: &str| self.protected_counts.iter().any(|p| p.column == c);
        if let Some(c) = self
            .public_columns
            .iter()
            .find(|c| is_count_column(c) && !protected(c))
        {
            return Err(format!(
                "layer {:?}: public column {c:?} holds counts but is not in protected_counts",
                self.name
            ));
        }
        for p in &self.protected_counts {
            if let Some(w) = p.within.as_deref().filter(|w| !protected(w)) {
                return Err(format!(
                    "layer {:?}: protected count {:?} is within {w:?}, which is not a protected count",
                    self.name, p.column
                ));
            }
        }
        if self.kind == LayerKind::Areas {
            let measure_counts: std::collections::HashSet<String> = sources
                .iter()
                .flat_map(|s| {
                    std::iter::once(ALL)
                        .chain(s.slugs.iter().map(String::as_str))
                        .map(|slug| measure_column(&s.name, slug, "count"))
                })
                .collect();
            if let Some(p) = self
                .protected_counts
                .iter()
                .find(|p| !measure_counts.contains(&p.column))
            {
                return Err(format!(
                    "layer {:?}: protected count {:?} is not the count of a source's measure; an areas layer publishes counts only from the published tables of its sources",
                    self.name, p.column
                ));
            }
        }
        Ok(())
    }

    /// The public values of the protected counts of one feature, in the order of
    /// `protected_counts`: primary and secondary suppression over their nesting.
    pub fn protect(&self, rule: DisclosureRule, exact: &[u64]) -> Vec<Published> {
        let index = |c: &str| self.protected_counts.iter().position(|p| p.column == c);
        let ancestors: Vec<Vec<usize>> = self
            .protected_counts
            .iter()
            .map(|p| {
                let mut chain = Vec::new();
                let mut next = p.within.as_deref().and_then(index);
                while let Some(a) = next.filter(|a| !chain.contains(a)) {
                    chain.push(a);
                    next = self.protected_counts[a].within.as_deref().and_then(index);
                }
                chain
            })
            .collect();
        rule.protect(exact, &ancestors)
    }
}

/// True for a column name that holds counts of events.
pub fn is_count_column(key: &str) -> bool {
    key == "count" || key.ends_with("_count")
}

fn fail_closed_default() -> bool {
    true
}

/// A sensitivity flag: `false` only when the manifest says exactly `false`.
pub(crate) fn fail_closed<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(v != serde_json::Value::Bool(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(json: serde_json::Value) -> LayerEntry {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn sensitivity_fails_closed() {
        let base = serde_json::json!({"name": "grid", "file": "grid.geojson", "kind": "features", "geometry": "polygon"});
        assert!(entry(base.clone()).sensitive, "missing");
        for v in [
            serde_json::json!(true),
            serde_json::json!("false"),
            serde_json::json!(0),
            serde_json::Value::Null,
        ] {
            let mut j = base.clone();
            j["sensitive"] = v.clone();
            assert!(entry(j).sensitive, "{v}");
        }
        let mut j = base;
        j["sensitive"] = serde_json::json!(false);
        assert!(!entry(j).sensitive);
    }

    #[test]
    fn a_features_layer_is_public_only_when_its_sources_are_known_and_public() {
        let mut e = entry(
            serde_json::json!({"name": "grid", "file": "grid.geojson", "kind": "features",
            "geometry": "polygon", "sources": ["police"], "sensitive": false}),
        );
        let source = |sensitive: serde_json::Value| -> SourceEntry {
            serde_json::from_value(serde_json::json!({"name": "police", "format": "police_uk",
                "time_precision": "month", "sensitive": sensitive, "measures": [], "slugs": [],
                "n_categories": 0, "months": null, "accounting": {}, "coverage": null}))
            .unwrap()
        };
        assert!(e.is_public(&[source(serde_json::json!(false))]));
        assert!(!e.is_public(&[source(serde_json::json!(true))]));
        assert!(!e.is_public(&[source(serde_json::json!("no"))]));
        assert!(!e.is_public(&[]), "an unknown source");
        e.kind = LayerKind::Areas;
        assert!(e.is_public(&[]));
        e.sensitive = true;
        assert!(!e.is_public(&[]));
    }

    #[test]
    fn public_counts_must_be_protected_and_nested_counts_get_secondary_suppression() {
        let mut e = entry(
            serde_json::json!({"name": "grid", "file": "grid.geojson", "kind": "features",
            "geometry": "polygon", "public_columns": ["cell", "count", "alcohol_count"],
            "protected_counts": [{"column": "count"}]}),
        );
        assert!(e.check(&[]).unwrap_err().contains("alcohol_count"));
        e.protected_counts.push(ProtectedCount {
            column: "alcohol_count".into(),
            within: Some("count".into()),
        });
        assert!(e.check(&[]).is_ok());
        let rule = DisclosureRule {
            suppress_max: 7,
            round_to: 5,
        };
        // 40 - 35 = 5 would publish a small count by subtraction: the finer one is withheld.
        assert_eq!(
            e.protect(rule, &[40, 35]),
            [Published::Shown(40), Published::Suppressed]
        );
        assert_eq!(
            e.protect(rule, &[40, 20]),
            [Published::Shown(40), Published::Shown(20)]
        );
        assert_eq!(
            e.protect(rule, &[3, 0]),
            [Published::Suppressed, Published::Shown(0)]
        );
    }

    #[test]
    fn an_areas_layer_protects_only_the_counts_of_its_sources_measures() {
        let police: SourceEntry = serde_json::from_value(serde_json::json!({"name": "police",
            "format": "police_uk", "time_precision": "month", "sensitive": false,
            "measures": ["Drug supply class A"], "slugs": ["drug_supply_class_a"],
            "n_categories": 1, "months": null, "accounting": {}, "coverage": null}))
        .unwrap();
        let mut e = entry(serde_json::json!({"name": "areas", "file": "areas.geojson",
            "kind": "areas", "geometry": "polygon",
            "public_columns": ["code", "police_all_count", "police_drug_supply_class_a_count"],
            "protected_counts": [{"column": "police_all_count"},
                {"column": "police_drug_supply_class_a_count", "within": "police_all_count"}]}));
        assert!(e.check(std::slice::from_ref(&police)).is_ok());
        assert!(e.is_public_column("police_all_count"));
        assert!(!e.is_public_column("police_all"), "exact names only");
        // A count of the file that no published table protects is refused.
        e.public_columns.push("da_class_count".into());
        e.protected_counts.push(ProtectedCount {
            column: "da_class_count".into(),
            within: None,
        });
        let err = e.check(&[police]).unwrap_err();
        assert!(err.contains("da_class_count"), "{err}");
    }
}
