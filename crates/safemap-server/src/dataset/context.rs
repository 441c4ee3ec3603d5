//! The offline orientation layers built from the areas' own geometry at load: `context`
//! (the study area's outline and the boundaries between districts) and `labels` (a point
//! inside each area and each district, with its name). Both are public: names and
//! outlines are not sensitive.
//!
//! An area's *district* is its name without a trailing LSOA/MSOA-style suffix ("Plymouth
//! 027E" → "Plymouth", "Cardiff 001A" → "Cardiff", the demo's "Eastfield 3" →
//! "Eastfield"); an area whose name has no such suffix has no district. The lines come from
//! the shared-arc topology of the areas layer, so they need boundaries whose neighbours
//! share vertices (ONS, geographr, the demo city). Where they do not (the UK-GeoJSON LSOA11
//! file: neighbours meet along the same lines with different vertices) every edge would
//! look like the outline, so the context layer is left empty and the load says so in the
//! log; the labels do not depend on it.

use super::layers::TileLayer;
use super::AreaInfo;
use geo::{Area, BoundingRect, InteriorPoint};
use geo_types::{MultiPolygon, Point};
use safemap_tiles::{
    lonlat_to_mercator, AttributeTable, BoundaryKind, LayerGeometry, PrepareOptions, PropValue,
    MAX_ZOOM, TILE_PIXELS, WORLD_WIDTH,
};
use std::collections::BTreeMap;

/// An area label is drawn from the zoom where the area is this many pixels wide.
pub const LABEL_MIN_PIXELS: f64 = 80.0;

/// Below this share of boundary vertices on arcs two areas share, the boundaries do not
/// share vertices and no context lines are drawn.
const MIN_PAIRED_SHARE: f64 = 0.5;

/// The district of an area name: the name without a trailing space, 1-4 digits and at
/// most one capital letter; `None` when there is no such suffix or nothing before it.
///
/// ```
/// use safemap_server::dataset::district_of;
/// assert_eq!(district_of("Plymouth 027E"), Some("Plymouth"));
/// assert_eq!(district_of("Cardiff 001A"), Some("Cardiff"));
/// assert_eq!(district_of("Eastfield 3"), Some("Eastfield"));
/// assert_eq!(district_of("Bristol"), None);
/// assert_eq!(district_of("027E"), None);
/// ```
pub fn district_of(name: &str) -> Option<&str> {
    let (head, suffix) = name.trim_end().rsplit_once(' ')?;
    let digits = suffix.trim_end_matches(|c: char| c.is_ascii_uppercase());
    let letters = suffix.len() - digits.len();
    let ok = (1..=4).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && letters <= 1;
    let head = head.trim_end();
    (ok && !head.is_empty()).then_some(head)
}

/// The lowest zoom at which something `width` Web Mercator metres wide is
/// [`LABEL_MIN_PIXELS`] wide on a tile of [`TILE_PIXELS`].
fn zoom_for_width(width: f64) -> u8 {
    if width <= 0.0 || !width.is_finite() {
        return MAX_ZOOM;
    }
    let z = (LABEL_MIN_PIXELS * WORLD_WIDTH / (f64::from(TILE_PIXELS) * width))
        .log2()
        .ceil();
    z.clamp(0.0, f64::from(MAX_ZOOM)) as u8
}

/// Width in Web Mercator metres of a WGS84 box.
fn mercator_width(b: geo_types::Rect<f64>) -> f64 {
    let (x0, _) = lonlat_to_mercator(b.min().x, b.min().y);
    let (x1, _) = lonlat_to_mercator(b.max().x, b.min().y);
    x1 - x0
}

/// Each area's district, numbered in name order.
pub struct Districts<'a> {
    /// District number of each area (`None`: its name has no district).
    of_area: Vec<Option<u32>>,
    /// District names and numbers.
    ids: BTreeMap<&'a str, u32>,
}

impl<'a> Districts<'a> {
    /// The districts of `areas` by [`district_of`].
    pub fn of(areas: &'a [AreaInfo]) -> Self {
        let mut ids: BTreeMap<&str, u32> = BTreeMap::new();
        for d in areas.iter().filter_map(|a| district_of(&a.name)) {
            let next = ids.len() as u32;
            ids.entry(d).or_insert(next);
        }
        let of_area = areas
            .iter()
            .map(|a| district_of(&a.name).map(|d| ids[d]))
            .collect();
        Districts { of_area, ids }
    }

    /// The `context` layer from the prepared areas layer.
    pub fn context(&self, geometry: &LayerGeometry) -> TileLayer {
        context_layer(geometry, &self.of_area)
    }

    /// The `labels` layer of `areas` with their WGS84 `polygons`.
    pub fn labels(&self, areas: &[AreaInfo], polygons: &[MultiPolygon<f64>]) -> TileLayer {
        labels_layer(areas, polygons, &self.of_area, &self.ids)
    }
}

fn kind_table(kinds: impl Iterator<Item = &'static str>) -> AttributeTable {
    AttributeTable {
        keys: vec!["kind".into()],
        rows: kinds.map(|k| vec![PropValue::String(k.into())]).collect(),
    }
}

fn context_layer(geometry: &LayerGeometry, district: &[Option<u32>]) -> TileLayer {
    let lines = geometry.boundary_lines(district).filter(|l| {
        let shared = l.paired_share >= MIN_PAIRED_SHARE || geometry.len() < 2;
        if !shared {
            tracing::warn!(
                paired_share = l.paired_share,
                "the area boundaries do not share vertices: no context lines"
            );
        }
        shared
    });
    let (geometry, table) = match lines {
        Some(l) => {
            let table = kind_table(l.kinds.iter().map(|k| match k {
                BoundaryKind::Outline => "study_outline",
                BoundaryKind::BetweenGroups => "district",
            }));
            (l.geometry, table)
        }
        None => (
            LayerGeometry::points(Vec::new(), PrepareOptions::default()),
            AttributeTable {
                keys: vec!["kind".into()],
                rows: Vec::new(),
            },
        ),
    };
    TileLayer::plain("line", geometry, table.clone(), Some(table))
}

/// A point inside the largest polygon of `mp`, and the width of `mp`'s box.
fn label_point(mp: &MultiPolygon<f64>) -> Option<(Point<f64>, f64)> {
    let largest =
        mp.0.iter()
            .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))?;
    Some((
        largest.interior_point()?,
        mercator_width(mp.bounding_rect()?),
    ))
}

fn labels_layer(
    areas: &[AreaInfo],
    polygons: &[MultiPolygon<f64>],
    district: &[Option<u32>],
    district_ids: &BTreeMap<&str, u32>,
) -> TileLayer {
    let mut points = Vec::new();
    let mut rows = Vec::new();
    let mut min_zoom = Vec::new();
    // District: members' label points and the district's box.
    let mut members: Vec<Vec<Point<f64>>> = vec![Vec::new(); district_ids.len()];
    let mut boxes: Vec<Option<geo_types::Rect<f64>>> = vec![None; district_ids.len()];
    for ((a, mp), d) in areas.iter().zip(polygons).zip(district) {
        let Some((p, width)) = label_point(mp) else {
            continue;
        };
        points.push(p);
        rows.push(vec![
            PropValue::String(a.name.clone()),
            PropValue::String("area".into()),
        ]);
        min_zoom.push(zoom_for_width(width));
        if let (Some(d), Some(r)) = (d, mp.bounding_rect()) {
            let d = *d as usize;
            members[d].push(p);
            boxes[d] = Some(boxes[d].map_or(r, |b| {
                geo_types::Rect::new(
                    (b.min().x.min(r.min().x), b.min().y.min(r.min().y)),
                    (b.max().x.max(r.max().x), b.max().y.max(r.max().y)),
                )
            }));
        }
    }
    for (name, &d) in district_ids {
        let (ps, Some(b)) = (&members[d as usize], boxes[d as usize]) else {
            continue;
        };
        // The member label point nearest the members' mean: inside the district.
        let n = ps.len() as f64;
        let (mx, my) = (
            ps.iter().map(|p| p.x()).sum::<f64>() / n,
            ps.iter().map(|p| p.y()).sum::<f64>() / n,
        );
        let Some(p) = ps.iter().min_by(|a, b| {
            let da = (a.x() - mx).powi(2) + (a.y() - my).powi(2);
            let db = (b.x() - mx).powi(2) + (b.y() - my).powi(2);
            da.total_cmp(&db)
        }) else {
            continue;
        };
        points.push(*p);
        rows.push(vec![
            PropValue::String((*name).to_string()),
            PropValue::String("district".into()),
        ]);
        min_zoom.push(zoom_for_width(mercator_width(b)));
    }
    let table = AttributeTable {
        keys: vec!["name".into(), "kind".into()],
        rows,
    };
    TileLayer {
        feature_min_zoom: min_zoom,
        ..TileLayer::plain(
            "point",
            LayerGeometry::points(points, PrepareOptions::default()),
            table.clone(),
            Some(table),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_zoom_grows_as_areas_shrink() {
        // A 1 km wide area is 80 px wide at zoom 13 (0.0187 px per metre × 2^13 / 2^13 ...).
        let z = zoom_for_width(1000.0);
        let px = |z: u8| 1000.0 * f64::from(TILE_PIXELS) * f64::from(1u32 << z) / WORLD_WIDTH;
        assert!(
            px(z) >= LABEL_MIN_PIXELS && px(z - 1) < LABEL_MIN_PIXELS,
            "{z}"
        );
        assert!(zoom_for_width(10_000.0) < z);
        assert_eq!(zoom_for_width(0.0), MAX_ZOOM);
    }
}
