//! Boundary lines of a polygon layer, from its shared-arc topology: the arcs only one ring
//! uses (the outline of the whole layer) and the arcs between two features of different
//! groups (e.g. the districts the areas belong to). Each arc keeps the per-zoom
//! simplification of the polygons, so the lines lie exactly on the polygons' edges.

use crate::layer::{Kind, LayerGeometry};
use crate::topology::Arc;

/// What a boundary line separates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BoundaryKind {
    /// An arc only one ring uses: the edge of the layer (the study area's outline).
    Outline,
    /// An arc shared by two features of different groups.
    BetweenGroups,
}

/// The boundary lines of a polygon layer: one line feature per arc.
pub struct BoundaryLines {
    /// Line features, one per arc.
    pub geometry: LayerGeometry,
    /// The kind of each feature.
    pub kinds: Vec<BoundaryKind>,
    /// Share of the layer's boundary vertices on arcs that two rings share: near 1 when
    /// neighbours share vertices along common edges, near 0 when they do not (then every
    /// edge looks like an outline and the lines mean nothing).
    pub paired_share: f64,
}

impl LayerGeometry {
    /// The outline and the between-group arcs of a polygon layer, `group[i]` being the
    /// group of feature `i` (`None`: no group, so no between-group line along it). `None`
    /// for a point or line layer.
    ///
    /// ```
    /// use geo_types::{polygon, MultiPolygon};
    /// use safemap_tiles::{BoundaryKind, LayerGeometry, PrepareOptions};
    /// let a = polygon![(x: 0.0, y: 0.0), (x: 0.01, y: 0.0), (x: 0.01, y: 0.01), (x: 0.0, y: 0.01)];
    /// let b = polygon![(x: 0.01, y: 0.0), (x: 0.02, y: 0.0), (x: 0.02, y: 0.01), (x: 0.01, y: 0.01)];
    /// let g = LayerGeometry::polygons(
    ///     vec![MultiPolygon::new(vec![a]), MultiPolygon::new(vec![b])],
    ///     PrepareOptions::default(),
    /// );
    /// let lines = g.boundary_lines(&[Some(0), Some(1)]).unwrap();
    /// assert_eq!(lines.kinds.iter().filter(|k| **k == BoundaryKind::BetweenGroups).count(), 1);
    /// assert!(lines.paired_share > 0.0);
    /// ```
    pub fn boundary_lines(&self, group: &[Option<u32>]) -> Option<BoundaryLines> {
        let Kind::Polygons {
            topology, features, ..
        } = &self.kind
        else {
            return None;
        };
        let mut users: Vec<Vec<u32>> = vec![Vec::new(); topology.arcs.len()];
        for (f, polygons) in features.iter().enumerate() {
            for r in polygons.iter().flatten().flatten() {
                users[r.arc as usize].push(f as u32);
            }
        }
        let (mut paired, mut total) = (0usize, 0usize);
        let mut lines: Vec<Vec<Arc>> = Vec::new();
        let mut kinds = Vec::new();
        for (arc, u) in topology.arcs.iter().zip(&users) {
            total += arc.coords.len();
            let kind = match u.as_slice() {
                [_] => Some(BoundaryKind::Outline),
                [a, b] => {
                    paired += arc.coords.len();
                    let (ga, gb) = (
                        group.get(*a as usize).copied().flatten(),
                        group.get(*b as usize).copied().flatten(),
                    );
                    (ga.is_some() && gb.is_some() && ga != gb)
                        .then_some(BoundaryKind::BetweenGroups)
                }
                _ => None,
            };
            if let Some(kind) = kind {
                lines.push(vec![arc.clone()]);
                kinds.push(kind);
            }
        }
        let bounds = self.bounds_wgs84();
        Some(BoundaryLines {
            geometry: LayerGeometry::from_lines(lines, self.options, bounds),
            kinds,
            paired_share: if total == 0 {
                0.0
            } else {
                paired as f64 / total as f64
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PrepareOptions;
    use geo_types::{polygon, MultiPolygon};

    #[test]
    fn a_row_of_three_squares_has_one_outline_ring_and_one_group_border() {
        let sq = |x0: f64| {
            MultiPolygon::new(vec![polygon![
                (x: x0, y: 0.0), (x: x0 + 0.01, y: 0.0), (x: x0 + 0.01, y: 0.01), (x: x0, y: 0.01)
            ]])
        };
        let g =
            LayerGeometry::polygons(vec![sq(0.0), sq(0.01), sq(0.02)], PrepareOptions::default());
        // Squares 0 and 1 in group 7, square 2 in group 8: one border, between 1 and 2.
        let lines = g.boundary_lines(&[Some(7), Some(7), Some(8)]).unwrap();
        let between: Vec<usize> = (0..lines.kinds.len())
            .filter(|&i| lines.kinds[i] == BoundaryKind::BetweenGroups)
            .collect();
        assert_eq!(between.len(), 1);
        let Kind::Lines(parts) = &lines.geometry.kind else {
            panic!("lines")
        };
        let border = &parts[between[0]][0].coords;
        let (x, _) = crate::mercator::lonlat_to_mercator(0.02, 0.0);
        assert!(border.iter().all(|p| (p[0] - x).abs() < 1e-6), "{border:?}");
        // Without groups, no borders; the outline is the same.
        let plain = g.boundary_lines(&[None, None, None]).unwrap();
        assert!(plain.kinds.iter().all(|k| *k == BoundaryKind::Outline));
        assert_eq!(
            plain.kinds.len(),
            lines.kinds.len() - 1,
            "the same outline arcs"
        );
        assert!(lines.paired_share > 0.2 && lines.paired_share < 1.0);
    }
}
