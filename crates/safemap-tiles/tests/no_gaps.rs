//! Per-zoom simplification leaves no gaps or slivers between neighbouring real areas:
//! Plymouth's LSOA21 polygons (geographr), whose neighbours share vertices exactly.

mod common;

use geo_types::MultiPolygon;
use safemap_tiles::{lonlat_to_mercator, LayerGeometry, PrepareOptions};
use std::collections::HashMap;

type Key = [u64; 2];
/// An undirected edge or segment, by its endpoints in order.
type Seg = (Key, Key);

fn key(p: [f64; 2]) -> Key {
    [(p[0] + 0.0).to_bits(), (p[1] + 0.0).to_bits()]
}

/// Rings of the input in Web Mercator, cleaned as the layer cleans them (open, no repeated
/// vertices): `rings[feature] = [(polygon, ring, vertices)]`.
fn original_rings(areas: &[MultiPolygon<f64>]) -> Vec<Vec<Vec<[f64; 2]>>> {
    areas
        .iter()
        .map(|mp| {
            mp.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .map(|ls| {
                    let mut r: Vec<[f64; 2]> = Vec::new();
                    for c in &ls.0 {
                        let (x, y) = lonlat_to_mercator(c.x, c.y);
                        if r.last() != Some(&[x, y]) {
                            r.push([x, y]);
                        }
                    }
                    if r.first() == r.last() {
                        r.pop();
                    }
                    r
                })
                .collect()
        })
        .collect()
}

fn simplified_rings(layer: &LayerGeometry, n: usize, z: u8) -> Vec<Vec<Vec<[f64; 2]>>> {
    (0..n)
        .map(|i| {
            let mp = layer.simplified_polygon(i, z).expect("a polygon layer");
            mp.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .map(|ls| {
                    let mut r: Vec<[f64; 2]> = ls.0.iter().map(|c| [c.x, c.y]).collect();
                    r.pop(); // closing vertex
                    r
                })
                .collect()
        })
        .collect()
}

/// For every original edge shared by two different areas, the simplified segment that
/// replaces it must be the same in both areas (as an unordered pair of endpoints); and
/// every simplified vertex that lies on a neighbour's original ring must also be in that
/// neighbour's simplified ring. Returns (shared edges checked, mismatches).
fn check_shared_boundaries(
    orig: &[Vec<Vec<[f64; 2]>>],
    simp: &[Vec<Vec<[f64; 2]>>],
) -> (usize, usize) {
    // edge -> [(feature, covering simplified segment)]
    let mut cover: HashMap<Seg, Vec<(usize, Seg)>> = HashMap::new();
    for (f, (orings, srings)) in orig.iter().zip(simp).enumerate() {
        assert_eq!(orings.len(), srings.len(), "feature {f}: ring count");
        for (o, s) in orings.iter().zip(srings) {
            let n = o.len();
            assert!(s.len() >= 3, "feature {f}: ring collapsed to {s:?}");
            // Simplified ring = cyclic subsequence of the original: mark kept indices.
            let start = o
                .iter()
                .position(|p| *p == s[0])
                .expect("simplified start is an input vertex");
            let mut kept = vec![false; n];
            let mut ptr = 0;
            for k in 0..n {
                let i = (start + k) % n;
                if ptr < s.len() && o[i] == s[ptr] {
                    kept[i] = true;
                    ptr += 1;
                }
            }
            assert_eq!(
                ptr,
                s.len(),
                "feature {f}: simplified ring is not a subsequence"
            );
            // Covering segment of each original edge (i, i+1).
            let mut prev = start;
            for k in 0..n {
                let i = (start + k) % n;
                if kept[i] {
                    prev = i;
                }
                let j = (i + 1) % n;
                let mut next = j;
                while !kept[next] {
                    next = (next + 1) % n;
                }
                let (a, b) = (key(o[i]), key(o[j]));
                let (u, w) = (key(o[prev]), key(o[next]));
                cover
                    .entry((a.min(b), a.max(b)))
                    .or_default()
                    .push((f, (u.min(w), u.max(w))));
            }
        }
    }
    let mut checked = 0;
    let mut mismatches = 0;
    for uses in cover.values() {
        if uses.len() == 2 && uses[0].0 != uses[1].0 {
            checked += 1;
            if uses[0].1 != uses[1].1 {
                mismatches += 1;
            }
        }
    }
    // Vertex check.
    let mut orig_owners: HashMap<Key, Vec<usize>> = HashMap::new();
    for (f, rings) in orig.iter().enumerate() {
        for p in rings.iter().flatten() {
            let e = orig_owners.entry(key(*p)).or_default();
            if e.last() != Some(&f) {
                e.push(f);
            }
        }
    }
    let simp_sets: Vec<std::collections::HashSet<Key>> = simp
        .iter()
        .map(|rings| rings.iter().flatten().map(|p| key(*p)).collect())
        .collect();
    for (f, set) in simp_sets.iter().enumerate() {
        for v in set {
            for &g in &orig_owners[v] {
                if g != f && !simp_sets[g].contains(v) {
                    mismatches += 1;
                }
            }
        }
    }
    (checked, mismatches)
}

fn plymouth_lsoa21() -> Vec<MultiPolygon<f64>> {
    let areas: Vec<_> = common::read_areas(common::PLYMOUTH_LSOA21)
        .into_iter()
        .map(|(_, g)| g)
        .collect();
    assert_eq!(areas.len(), 164);
    areas
}

/// Checks `areas` at `zooms`; returns the vertices kept at each zoom and the input total.
fn assert_gap_free(
    areas: Vec<MultiPolygon<f64>>,
    zooms: &[u8],
    min_shared: usize,
) -> (Vec<usize>, usize) {
    let orig = original_rings(&areas);
    let layer = LayerGeometry::polygons(areas, PrepareOptions::default());
    let n = layer.len();
    let total: usize = orig.iter().flatten().map(Vec::len).sum();
    let mut kept_per_zoom = Vec::new();
    for &z in zooms {
        let simp = simplified_rings(&layer, n, z);
        let (checked, mismatches) = check_shared_boundaries(&orig, &simp);
        assert!(
            checked > min_shared,
            "zoom {z}: only {checked} shared edges: the input should share vertices"
        );
        assert_eq!(mismatches, 0, "zoom {z}");
        kept_per_zoom.push(simp.iter().flatten().map(Vec::len).sum());
    }
    // Above the simplified range the geometry is the input, vertex for vertex.
    let full: usize = simplified_rings(&layer, n, 15)
        .iter()
        .flatten()
        .map(Vec::len)
        .sum();
    assert_eq!(full, total);
    (kept_per_zoom, total)
}

#[test]
fn neighbouring_lsoas_keep_identical_shared_boundaries_at_every_zoom() {
    // LSOA21 rings here have about 8 vertices, most of them junctions with a neighbour
    // (nodes, always kept), so simplification can remove little.
    let (kept, total) = assert_gap_free(plymouth_lsoa21(), &[8, 11, 14], 400);
    assert!(
        kept[0] < total && kept[0] <= kept[1] && kept[1] <= kept[2],
        "{kept:?} of {total}"
    );
}

#[test]
fn police_force_areas_keep_shared_boundaries_and_lose_vertices_at_low_zoom() {
    // The 43 police force areas of England and Wales: long shared arcs between junctions.
    let areas: Vec<_> = common::read_areas(common::PFA20)
        .into_iter()
        .map(|(_, g)| g)
        .collect();
    assert_eq!(areas.len(), 43);
    // The input is already generalised (vertices about 2 km apart), so the national view
    // (zoom 4, tolerance 2.4 km) is where simplification bites.
    let (kept, total) = assert_gap_free(areas, &[4, 6, 8, 11, 14], 2_000);
    eprintln!("{kept:?} of {total}");
    assert!(
        kept[0] * 2 < total,
        "zoom 4 kept {} of {total} vertices",
        kept[0]
    );
    assert!(
        kept.windows(2).all(|w| w[0] <= w[1]) && kept[0] < kept[2],
        "{kept:?} of {total}"
    );
}

#[test]
fn simplifying_each_area_alone_would_open_gaps() {
    // The control: the same check catches per-polygon simplification, which does not share
    // the work between neighbours.
    let areas = plymouth_lsoa21();
    let orig = original_rings(&areas);
    let simp: Vec<Vec<Vec<[f64; 2]>>> = areas
        .iter()
        .map(|a| {
            let alone = LayerGeometry::polygons(vec![a.clone()], PrepareOptions::default());
            simplified_rings(&alone, 1, 11).remove(0)
        })
        .collect();
    let (checked, mismatches) = check_shared_boundaries(&orig, &simp);
    assert!(checked > 400);
    assert!(mismatches > 20, "only {mismatches} mismatches");
}

#[test]
fn simplification_is_deterministic_across_thread_counts() {
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                let layer = LayerGeometry::polygons(plymouth_lsoa21(), PrepareOptions::default());
                simplified_rings(&layer, layer.len(), 10)
            })
    };
    assert_eq!(run(1), run(3));
}
