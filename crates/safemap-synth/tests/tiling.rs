//! The areas tile the outline exactly: shared vertices, no gaps, no overlaps.

mod common;

use geo::{Area, BooleanOps, BoundingRect, Validation};
use safemap_synth::{generate, City, CityParams};
use std::collections::BTreeMap;

type Key = (u64, u64);

fn key(c: geo::Coord<f64>) -> Key {
    (c.x.to_bits(), c.y.to_bits())
}

/// Every directed boundary edge of every area, with how many times it occurs.
fn directed_edges(city: &City) -> BTreeMap<(Key, Key), Vec<usize>> {
    let mut edges: BTreeMap<(Key, Key), Vec<usize>> = BTreeMap::new();
    for (i, a) in city.areas.iter().enumerate() {
        for p in &a.area.geometry.0 {
            for l in p.exterior().lines() {
                edges.entry((key(l.start), key(l.end))).or_default().push(i);
            }
        }
    }
    edges
}

fn check_tiling(city: &City) {
    let total: f64 = city
        .areas
        .iter()
        .map(|a| a.area.geometry.unsigned_area())
        .sum();
    let outline = city.outline.unsigned_area();
    assert_eq!(city.outline.0.len(), 1, "the outline is one polygon");
    assert!(
        (total - outline).abs() / outline < 1e-6,
        "areas sum to {total}, outline is {outline}"
    );

    let edges = directed_edges(city);
    let mut boundary_area2 = 0.0;
    for ((from, to), owners) in &edges {
        assert_eq!(
            owners.len(),
            1,
            "edge used twice in the same direction: overlap"
        );
        if !edges.contains_key(&(*to, *from)) {
            let (a, b) = (
                (f64::from_bits(from.0), f64::from_bits(from.1)),
                (f64::from_bits(to.0), f64::from_bits(to.1)),
            );
            boundary_area2 += a.0 * b.1 - b.0 * a.1;
        }
    }
    // The unmatched edges are exactly the outline: their shoelace sum is its area.
    assert!((boundary_area2 / 2.0 - outline).abs() / outline < 1e-6);

    for (i, a) in city.areas.iter().enumerate() {
        assert!(
            a.area.geometry.is_valid(),
            "{} is not a valid polygon",
            a.area.code
        );
        let mut shared: Vec<usize> = a
            .area
            .geometry
            .0
            .iter()
            .flat_map(|p| p.exterior().lines())
            .filter_map(|l| edges.get(&(key(l.end), key(l.start))))
            .flatten()
            .copied()
            .collect();
        shared.sort_unstable();
        shared.dedup();
        assert!(!shared.is_empty(), "{} shares no edge", a.area.code);
        let listed: Vec<usize> = a.neighbours.iter().map(|n| n.index()).collect();
        assert_eq!(shared, listed, "neighbours of {} (area {i})", a.area.code);
    }
}

#[test]
fn demo_city_tiles_its_outline() {
    let city = common::demo_city();
    assert_eq!(city.areas.len(), 175);
    check_tiling(city);
}

#[test]
fn another_city_tiles_too() {
    let city = generate(
        &CityParams::default()
            .seed(99)
            .n_areas(300)
            .radius_m(8000.0)
            .months(24)
            .volume_scale(0.1),
    );
    assert_eq!(city.areas.len(), 300);
    check_tiling(&city);
}

#[test]
fn no_two_areas_overlap() {
    let city = common::demo_city();
    let boxes: Vec<_> = city
        .areas
        .iter()
        .map(|a| a.area.geometry.bounding_rect().unwrap())
        .collect();
    let mut pairs = 0;
    for i in 0..city.areas.len() {
        for j in (i + 1)..city.areas.len() {
            let (a, b) = (boxes[i], boxes[j]);
            if a.min().x > b.max().x
                || b.min().x > a.max().x
                || a.min().y > b.max().y
                || b.min().y > a.max().y
            {
                continue;
            }
            pairs += 1;
            let overlap = city.areas[i]
                .area
                .geometry
                .intersection(&city.areas[j].area.geometry)
                .unsigned_area();
            assert!(
                overlap <= 1e-6,
                "{} and {} overlap by {overlap} m2",
                city.areas[i].area.code,
                city.areas[j].area.code
            );
        }
    }
    assert!(pairs > city.areas.len());
}

#[test]
fn vertices_are_on_the_decimetre_grid_and_codes_are_unique() {
    let city = common::demo_city();
    for a in &city.areas {
        for c in a.area.geometry.0.iter().flat_map(|p| p.exterior().0.iter()) {
            assert_eq!(format!("{:.1}", c.x).parse::<f64>().unwrap(), c.x);
            assert_eq!(format!("{:.1}", c.y).parse::<f64>().unwrap(), c.y);
        }
    }
    let mut codes: Vec<&str> = city.areas.iter().map(|a| a.area.code.as_str()).collect();
    let mut names: Vec<&str> = city.areas.iter().map(|a| a.area.name.as_str()).collect();
    codes.dedup();
    names.sort_unstable();
    names.dedup();
    assert_eq!((codes.len(), names.len()), (175, 175));
    assert_eq!(codes[0], "SYN0001");
    assert!(city
        .areas
        .iter()
        .enumerate()
        .all(|(i, a)| a.area.id.index() == i));
}
