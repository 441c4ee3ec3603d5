//! [`read_boundaries`]: area polygons from GeoJSON or a Shapefile, with their CRS worked
//! out, ids checked for uniqueness and polygon validity checked.
//!
//! One file per format: `geojson.rs` and `shapefile.rs` in pure Rust, `gdal.rs` for every
//! other vector format GDAL reads (the `gdal` feature); `repair.rs` applies the documented
//! rules for unclosed, repeated-vertex, zero-area and wrongly wound polygons, and
//! `validity.rs` checks what is left.

#[cfg(feature = "gdal")]
mod gdal;
mod geojson;
mod repair;
mod shapefile;
mod validity;

use crate::{IngestError, InputLimits};
use geo_types::MultiPolygon;
use rayon::prelude::*;
use safemap_types::{Area, AreaId, Crs};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Which properties hold the area code and name, and the CRS if the file's own declaration
/// is missing or wrong. This is the study's `[boundaries]` table (less the path).
///
/// ```
/// let m: safemap_ingest::BoundaryMapping = serde_json::from_str(r#"{"id_field": "LSOA11CD", "name_field": "LSOA11NM"}"#).unwrap();
/// assert_eq!(m.crs, None);
/// ```
#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct BoundaryMapping {
    /// Property (GeoJSON) or attribute (Shapefile) holding the area code.
    pub id_field: String,
    /// Property holding the area name, if any.
    #[serde(default)]
    pub name_field: Option<String>,
    /// CRS of the coordinates; when given it wins over anything the file declares.
    #[serde(default)]
    pub crs: Option<Crs>,
    /// The layer to read from a file of several (a GeoPackage, say; `gdal` feature). A file
    /// of one layer needs none; a file of several without one is an error listing them.
    #[serde(default)]
    pub layer: Option<String>,
    /// Numeric properties (attributes) to read for every area, e.g. `CRIME`: area-level
    /// values that arrive already aggregated. Null or empty values are `None`.
    #[serde(default)]
    pub value_fields: Vec<String>,
}

/// A polygon that failed the validity check. It is still in [`BoundarySet::areas`] and
/// usable (point-in-polygon works on most invalid shapes), but results near it may be off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidArea {
    /// The area's id in the set.
    pub id: AreaId,
    /// The area's code.
    pub code: String,
    /// What is wrong: the first problem geo's `Validation` finds (e.g. a self-intersection),
    /// found in O(n log n) for boundary data, or that a ring of long spikes was not checked
    /// (see `validity.rs`).
    pub problem: String,
}

/// An area whose polygon was repaired by one of the documented rules (see `repair.rs`: an
/// unclosed ring closed, repeated vertices removed, a zero-area polygon or hole dropped, a
/// hole wound like its exterior re-wound).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairedArea {
    /// The area's id in the set.
    pub id: AreaId,
    /// The area's code.
    pub code: String,
    /// What was repaired, in words.
    pub repairs: Vec<String>,
}

/// The areas of one boundary file.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundarySet {
    /// The file read.
    pub path: PathBuf,
    /// The areas in file order; `areas[i].id == AreaId(i)`. Geometry is in [`Self::crs`].
    pub areas: Vec<Area>,
    /// CRS of the geometry, as found by [`read_boundaries`].
    pub crs: Crs,
    /// Areas whose polygon is invalid, in area order.
    pub invalid: Vec<InvalidArea>,
    /// Areas repaired by a documented rule, in area order.
    pub repaired: Vec<RepairedArea>,
    /// Areas re-wound to RFC 7946's right-hand rule (counter-clockwise exteriors).
    pub rewound: usize,
    /// `values[f][i]`: the `f`-th of [`BoundaryMapping::value_fields`] for area `i`.
    pub values: Vec<Vec<Option<f64>>>,
}

/// One area as read, before ids and validity are checked.
pub(crate) struct RawArea {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) geometry: MultiPolygon<f64>,
    /// One per [`BoundaryMapping::value_fields`].
    pub(crate) values: Vec<Option<f64>>,
    /// Rings the file left unclosed (closed since).
    pub(crate) unclosed_rings: usize,
}

/// What a format reader returns.
pub(crate) struct RawSet {
    pub(crate) areas: Vec<RawArea>,
    /// The CRS the file declares (GeoJSON `crs` member, Shapefile `.prj`): `None` when it
    /// declares none, an error when the declaration is not one safemap reads. Only looked
    /// at when the mapping gives no CRS.
    pub(crate) declared: Option<Result<Crs, IngestError>>,
}

/// Extensions of vector formats only GDAL reads: without the `gdal` feature, a boundary file
/// with one of these says which feature to enable rather than "not a format".
#[cfg(not(feature = "gdal"))]
const GDAL_FORMATS: &[&str] = &[
    "gpkg", "fgb", "kml", "kmz", "gml", "tab", "mif", "gdb", "sqlite", "csv", "gpx", "dxf",
    "parquet",
];

/// Reads a boundary file: GeoJSON FeatureCollection (`.geojson`, `.json`, either optionally
/// gzipped as `.gz`) of Polygon/MultiPolygon features, or an ESRI Shapefile (`.shp` with its
/// `.shx` and `.dbf`, read in pure Rust). With the `gdal` feature, any other vector format
/// GDAL reads (GeoPackage, FlatGeobuf, KML, CSV with WKT, ...) and Shapefiles whose `.prj`
/// is neither British National Grid nor WGS84: coordinates in any other CRS GDAL knows are
/// reprojected into WGS84, and so into British National Grid by OSTN15 (see `gdal.rs`).
///
/// **CRS**, first that applies: `mapping.crs`; the GeoJSON legacy `crs` member (e.g.
/// `urn:ogc:def:crs:OGC:1.3:CRS84`, `urn:ogc:def:crs:EPSG::27700`); the shapefile's `.prj`
/// (`British_National_Grid` or `OSGB` → EPSG:27700; a `GEOGCS` on `WGS_1984`/`WGS 84` with no
/// `PROJCS` → EPSG:4326); WGS84 if every coordinate of the first feature is a valid
/// longitude/latitude; otherwise [`IngestError::UndeterminedCrs`].
///
/// Areas get `AreaId(i)` in file order. Polygon validity is checked in parallel; invalid
/// areas are kept and listed in [`BoundarySet::invalid`].
///
/// # Errors
///
/// An unsupported extension, unreadable or malformed file, a non-polygon geometry (naming the
/// feature), a feature without the id (or name) property, **a duplicate area id** (naming the
/// id and both features), an unsupported declared CRS, an undeterminable CRS, or no features.
pub fn read_boundaries(
    path: &Path,
    mapping: &BoundaryMapping,
    limits: InputLimits,
) -> Result<BoundarySet, IngestError> {
    let ext = |p: &Path| {
        p.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
    };
    let gz = ext(path).as_deref() == Some("gz");
    let inner = if gz {
        path.with_extension("")
    } else {
        path.to_path_buf()
    };
    let raw = match (ext(&inner).as_deref(), gz) {
        (Some("geojson" | "json"), _) => geojson::read(path, mapping, limits)?,
        (Some("shp"), false) => match shapefile::read(path, mapping)? {
            // A .prj the pure-Rust reader does not know: GDAL (PROJ) reprojects it.
            #[cfg(feature = "gdal")]
            RawSet {
                declared: Some(Err(IngestError::UnsupportedPrj { .. })),
                ..
            } if mapping.crs.is_none() => gdal::read(path, mapping)?,
            raw => raw,
        },
        #[cfg(feature = "gdal")]
        (_, false) => gdal::read(path, mapping)?,
        #[cfg(not(feature = "gdal"))]
        (Some(e), false) if GDAL_FORMATS.contains(&e) => {
            return Err(IngestError::GdalFeatureNeeded {
                path: path.to_path_buf(),
            })
        }
        _ => {
            return Err(IngestError::UnsupportedFormat {
                path: path.to_path_buf(),
            })
        }
    };
    if raw.areas.is_empty() {
        return Err(IngestError::NoFeatures {
            path: path.to_path_buf(),
        });
    }
    let crs = match (mapping.crs, raw.declared) {
        (Some(crs), _) => crs,
        (None, Some(declared)) => declared?,
        (None, None) if looks_like_lon_lat(&raw.areas[0].geometry) => Crs::Wgs84,
        (None, None) => {
            return Err(IngestError::UndeterminedCrs {
                path: path.to_path_buf(),
            })
        }
    };

    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(raw.areas.len());
    for (i, a) in raw.areas.iter().enumerate() {
        if let Some(first) = seen.insert(a.code.as_str(), i) {
            return Err(IngestError::DuplicateAreaId {
                path: path.to_path_buf(),
                code: a.code.clone(),
                first,
                second: i,
            });
        }
    }
    drop(seen);

    let values = (0..mapping.value_fields.len())
        .map(|f| raw.areas.iter().map(|a| a.values[f]).collect())
        .collect();
    let start = std::time::Instant::now();
    let tidied: Vec<repair::Tidied> = raw
        .areas
        .par_iter()
        .map(|a| repair::tidy(&a.geometry, a.unclosed_rings))
        .collect();
    let rewound = tidied.iter().filter(|t| t.rewound).count();
    let mut repaired = Vec::new();
    let mut areas = Vec::with_capacity(raw.areas.len());
    for (i, (a, t)) in raw.areas.into_iter().zip(tidied).enumerate() {
        let id = AreaId(i as u32);
        if !t.repairs.is_empty() {
            repaired.push(RepairedArea {
                id,
                code: a.code.clone(),
                repairs: t.repairs,
            });
        }
        areas.push(Area {
            id,
            code: a.code,
            name: a.name,
            geometry: t.geometry,
        });
    }
    let invalid = areas
        .par_iter()
        .filter_map(|a| {
            validity::first_problem(&a.geometry).map(|e| InvalidArea {
                id: a.id,
                code: a.code.clone(),
                problem: e.to_string(),
            })
        })
        .collect();
    tracing::debug!(file = %path.display(), ms = start.elapsed().as_millis(), "polygons repaired and checked");
    Ok(BoundarySet {
        path: path.to_path_buf(),
        areas,
        crs,
        invalid,
        repaired,
        rewound,
        values,
    })
}

/// Parses an attribute's text as a number for [`BoundaryMapping::value_fields`]; empty text
/// is `None`, anything else unparsable is [`IngestError::BadValueField`].
pub(crate) fn field_number(
    path: &Path,
    feature: usize,
    field: &str,
    text: Option<&str>,
) -> Result<Option<f64>, IngestError> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => t
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Some)
            .ok_or_else(|| IngestError::BadValueField {
                path: path.to_path_buf(),
                feature,
                field: field.to_string(),
                value: t.to_string(),
            }),
    }
}

/// A numeric attribute as text: whole numbers without a decimal point (an id stored as a
/// number, such as 1234.0, is the code "1234").
pub(crate) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

/// True if every coordinate is a plausible longitude/latitude.
fn looks_like_lon_lat(geometry: &MultiPolygon<f64>) -> bool {
    use geo::CoordsIter;
    geometry
        .coords_iter()
        .all(|c| (-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(crs: Option<Crs>) -> BoundaryMapping {
        BoundaryMapping {
            layer: None,
            value_fields: Vec::new(),
            id_field: "code".into(),
            name_field: Some("name".into()),
            crs,
        }
    }

    fn feature(code: &str, ring: &str) -> String {
        format!(
            r#"{{"type":"Feature","properties":{{"code":"{code}","name":"n {code}"}},"geometry":{{"type":"Polygon","coordinates":[{ring}]}}}}"#
        )
    }

    fn write(dir: &Path, name: &str, crs: &str, features: &[String]) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(
            &p,
            format!(
                r#"{{"type":"FeatureCollection",{crs}"features":[{}]}}"#,
                features.join(",")
            ),
        )
        .unwrap();
        p
    }

    const SQUARE: &str = "[[0,0],[1,0],[1,1],[0,1],[0,0]]";
    const BOWTIE: &str = "[[0,0],[1,1],[1,0],[0,1],[0,0]]";
    const BNG_SQUARE: &str =
        "[[248000,54000],[249000,54000],[249000,55000],[248000,55000],[248000,54000]]";

    #[test]
    fn crs_resolution_order() {
        let dir = tempfile::tempdir().unwrap();
        let lonlat = write(dir.path(), "a.geojson", "", &[feature("A", SQUARE)]);
        assert_eq!(
            read_boundaries(&lonlat, &mapping(None), InputLimits::default())
                .unwrap()
                .crs,
            Crs::Wgs84
        );
        let bng = write(dir.path(), "b.json", "", &[feature("A", BNG_SQUARE)]);
        let err = read_boundaries(&bng, &mapping(None), InputLimits::default()).unwrap_err();
        assert!(matches!(err, IngestError::UndeterminedCrs { .. }), "{err}");
        assert!(err.to_string().contains("[boundaries]"));
        let set = read_boundaries(
            &bng,
            &mapping(Some(Crs::BritishNationalGrid)),
            InputLimits::default(),
        )
        .unwrap();
        assert_eq!(set.crs, Crs::BritishNationalGrid);
        let declared =
            r#""crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"#;
        let decl = write(
            dir.path(),
            "c.geojson",
            declared,
            &[feature("A", BNG_SQUARE)],
        );
        assert_eq!(
            read_boundaries(&decl, &mapping(None), InputLimits::default())
                .unwrap()
                .crs,
            Crs::BritishNationalGrid
        );
        // An explicit CRS wins over the declaration.
        assert_eq!(
            read_boundaries(&decl, &mapping(Some(Crs::Wgs84)), InputLimits::default())
                .unwrap()
                .crs,
            Crs::Wgs84
        );
        let odd = r#""crs":{"type":"name","properties":{"name":"EPSG:3857"}},"#;
        let odd = write(dir.path(), "d.geojson", odd, &[feature("A", SQUARE)]);
        assert!(matches!(
            read_boundaries(&odd, &mapping(None), InputLimits::default()),
            Err(IngestError::UnknownCrs { .. })
        ));
    }

    #[test]
    fn ids_names_and_validity() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "v.geojson",
            "",
            &[feature("A", SQUARE), feature("B", BOWTIE)],
        );
        let set = read_boundaries(&p, &mapping(None), InputLimits::default()).unwrap();
        assert_eq!(set.areas.len(), 2);
        assert_eq!(
            (
                set.areas[1].id,
                set.areas[1].code.as_str(),
                set.areas[1].name.as_str()
            ),
            (AreaId(1), "B", "n B")
        );
        assert_eq!(set.invalid.len(), 1);
        assert_eq!(set.invalid[0].code, "B");
        assert!(
            set.invalid[0].problem.contains("self-intersection"),
            "{}",
            set.invalid[0].problem
        );

        let dup = write(
            dir.path(),
            "dup.geojson",
            "",
            &[
                feature("A", SQUARE),
                feature("B", SQUARE),
                feature("A", SQUARE),
            ],
        );
        let err = read_boundaries(&dup, &mapping(None), InputLimits::default()).unwrap_err();
        assert!(
            matches!(&err, IngestError::DuplicateAreaId { code, first: 0, second: 2, .. } if code == "A"),
            "{err}"
        );

        let wrong = BoundaryMapping {
            layer: None,
            value_fields: Vec::new(),
            id_field: "LSOA11CD".into(),
            name_field: None,
            crs: None,
        };
        let err = read_boundaries(&p, &wrong, InputLimits::default()).unwrap_err();
        assert!(
            err.to_string().contains("feature 0 (0-based)")
                && err.to_string().contains("code, name"),
            "{err}"
        );

        let txt = dir.path().join("b.txt");
        std::fs::write(&txt, "").unwrap();
        let err = read_boundaries(&txt, &mapping(None), InputLimits::default()).unwrap_err();
        #[cfg(not(feature = "gdal"))]
        assert!(
            matches!(err, IngestError::UnsupportedFormat { .. })
                && err.to_string().contains("`gdal` feature"),
            "{err}"
        );
        // GDAL is asked, and says it cannot open the file.
        #[cfg(feature = "gdal")]
        assert!(matches!(err, IngestError::Gdal { .. }), "{err}");
    }

    /// Each documented rule repairs and is reported by area code; what no rule repairs is
    /// reported as invalid and kept.
    #[test]
    fn messy_polygons_are_repaired_by_rule_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let features = [
            // Counter-clockwise and closed: nothing to say.
            feature("OK", "[[0,0],[1,0],[1,1],[0,1],[0,0]]"),
            // Unclosed and clockwise.
            feature("OPEN", "[[2,0],[2,1],[3,1],[3,0]]"),
            // A vertex twice in a row.
            feature("TWICE", "[[4,0],[5,0],[5,0],[5,1],[4,1],[4,0]]"),
            // All on one line: no area.
            feature("FLAT", "[[6,0],[7,0],[8,0],[6,0]]"),
            feature("BOWTIE", BOWTIE),
        ];
        let p = write(dir.path(), "messy.geojson", "", &features);
        let set = read_boundaries(&p, &mapping(None), InputLimits::default()).unwrap();
        let repairs: Vec<(&str, Vec<&str>)> = set
            .repaired
            .iter()
            .map(|a| {
                (
                    a.code.as_str(),
                    a.repairs.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            repairs,
            [
                ("OPEN", vec!["1 unclosed ring(s) closed"]),
                ("TWICE", vec!["1 repeated vertex(es) removed"]),
                (
                    "FLAT",
                    vec![
                        "1 polygon(s) of zero area dropped",
                        "no polygon of positive area is left: the area joins no events"
                    ]
                ),
            ]
        );
        // OPEN is clockwise (the bow tie turns counter-clockwise at its lowest vertex).
        assert_eq!(set.rewound, 1);
        assert!(geo::Winding::is_ccw(set.areas[1].geometry.0[0].exterior()));
        assert!(set.areas[3].geometry.0.is_empty());
        let invalid: Vec<&str> = set.invalid.iter().map(|a| a.code.as_str()).collect();
        assert_eq!(invalid, ["BOWTIE"]);
    }

    /// A format only GDAL reads, without the feature, names the feature to enable.
    #[cfg(not(feature = "gdal"))]
    #[test]
    fn gdal_formats_name_the_feature() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.gpkg", "b.KML", "b.fgb"] {
            let p = dir.path().join(name);
            std::fs::write(&p, "").unwrap();
            let err = read_boundaries(&p, &mapping(None), InputLimits::default()).unwrap_err();
            assert!(
                matches!(err, IngestError::GdalFeatureNeeded { .. }),
                "{err}"
            );
            assert!(err.to_string().contains("--features gdal"), "{err}");
        }
    }
}
