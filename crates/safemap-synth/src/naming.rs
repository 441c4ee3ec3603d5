//! Area codes, neighbourhood names, street names and venues.

use crate::planar::dist;
use crate::random::{chance, index};
use geo_types::Coord;
use rand_chacha::ChaCha8Rng;

/// Ward names, handed out from the city centre outwards.
const WARDS: [&str; 50] = [
    "Castlegate",
    "Cathedral",
    "Highcross",
    "Market Quarter",
    "Wharfside",
    "Victoria Park",
    "St Anne's",
    "Priory",
    "Northgate",
    "Eastfield",
    "Southmead",
    "Westbury",
    "Abbeyfields",
    "Ashton",
    "Barrowby",
    "Beaumont",
    "Bramley",
    "Brookside",
    "Chapel End",
    "Cheyne",
    "Coldharbour",
    "Cross Keys",
    "Dunmore",
    "Elmwood",
    "Fairfield",
    "Foxhill",
    "Greenlane",
    "Hallcroft",
    "Hawthorn",
    "Hillside",
    "Holmewood",
    "Kingsway",
    "Knighton",
    "Larkrise",
    "Lowfields",
    "Marsh End",
    "Meadowbank",
    "Millbrook",
    "Netherhall",
    "Oakleigh",
    "Orchard Park",
    "Parkside",
    "Queensmead",
    "Rowan Hill",
    "Saxonby",
    "Stonebridge",
    "Thornley",
    "Upton",
    "Willowbank",
    "Yewtree",
];

const STREET_STEMS: [&str; 48] = [
    "Abbey", "Albert", "Alma", "Ash", "Baker", "Bath", "Beech", "Bridge", "Brook", "Castle",
    "Cedar", "Chapel", "Church", "Clarence", "Cromwell", "Dale", "Elm", "Forest", "George",
    "Grange", "Green", "Grove", "Hazel", "High", "Hill", "King", "Lime", "Manor", "Maple",
    "Market", "Mill", "New", "North", "Oak", "Orchard", "Park", "Queen", "Regent", "School",
    "Station", "Stanley", "Tower", "Union", "Vicarage", "Victoria", "Water", "West", "York",
];
const STREET_KINDS: [&str; 10] = [
    "Street", "Road", "Lane", "Avenue", "Close", "Way", "Place", "Drive", "Crescent", "Terrace",
];
/// data.police.uk-style map point names that are places rather than streets.
const PLACES: [&str; 12] = [
    "Supermarket",
    "Parking Area",
    "Petrol Station",
    "Shopping Area",
    "Sports/Recreation Area",
    "Park/Open Space",
    "Pedestrian Subway",
    "Further/Higher Educational Building",
    "Bus/Coach Station",
    "Hospital",
    "Police Station",
    "Conference/Exhibition Centre",
];
/// Pubs and clubs, for ED location text.
pub(crate) const VENUES: [&str; 16] = [
    "The Crown",
    "The Red Lion",
    "The Vaults",
    "Club Neon",
    "The Old Bell",
    "The Anchor",
    "Revolution",
    "The Grapes",
    "The Kings Head",
    "Mojo",
    "The Exchange",
    "The Wheatsheaf",
    "Pulse",
    "The Mitre",
    "The Swan",
    "Tokyo Lounge",
];

/// `SYN0001`-style code of the area at `index` (0-based).
pub(crate) fn area_code(index: usize) -> String {
    format!("SYN{:04}", index + 1)
}

/// A ward name for ward `w` (0 = most central); beyond the list, names repeat with a suffix.
fn ward_name(w: usize) -> String {
    let base = WARDS[w % WARDS.len()];
    match w / WARDS.len() {
        0 => base.to_string(),
        k => format!("{base} {}", ["North", "South", "East", "West"][(k - 1) % 4]),
    }
}

/// Groups areas into wards of about four or five and names each area `Ward k`.
/// `centroids` are in code order; `centre` is the city centre.
pub(crate) fn area_names(centroids: &[Coord<f64>], centre: Coord<f64>) -> Vec<String> {
    let n = centroids.len();
    let n_wards = n.div_ceil(5).max(1);
    // Farthest-point seeding from the most central area, then a few Lloyd steps.
    let first = (0..n)
        .min_by(|&a, &b| dist(centroids[a], centre).total_cmp(&dist(centroids[b], centre)))
        .unwrap_or(0);
    let mut seeds = vec![centroids[first]];
    let mut nearest: Vec<f64> = centroids.iter().map(|c| dist(*c, seeds[0])).collect();
    while seeds.len() < n_wards {
        let far = (0..n)
            .max_by(|&a, &b| nearest[a].total_cmp(&nearest[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        seeds.push(centroids[far]);
        for (d, c) in nearest.iter_mut().zip(centroids) {
            *d = d.min(dist(*c, centroids[far]));
        }
    }
    let assign = |seeds: &[Coord<f64>]| -> Vec<usize> {
        centroids
            .iter()
            .map(|c| {
                (0..seeds.len())
                    .min_by(|&a, &b| dist(*c, seeds[a]).total_cmp(&dist(*c, seeds[b])))
                    .unwrap_or(0)
            })
            .collect()
    };
    let mut ward = assign(&seeds);
    for _ in 0..4 {
        for (w, s) in seeds.iter_mut().enumerate() {
            let members: Vec<Coord<f64>> = (0..n)
                .filter(|&i| ward[i] == w)
                .map(|i| centroids[i])
                .collect();
            if !members.is_empty() {
                let k = members.len() as f64;
                *s = Coord {
                    x: members.iter().map(|c| c.x).sum::<f64>() / k,
                    y: members.iter().map(|c| c.y).sum::<f64>() / k,
                };
            }
        }
        ward = assign(&seeds);
    }
    // Name wards by distance from the centre, most central first.
    let mut order: Vec<usize> = (0..seeds.len()).collect();
    order.sort_by(|&a, &b| {
        dist(seeds[a], centre)
            .total_cmp(&dist(seeds[b], centre))
            .then(a.cmp(&b))
    });
    let mut rank = vec![0; seeds.len()];
    for (r, &w) in order.iter().enumerate() {
        rank[w] = r;
    }
    let mut counter = vec![0; seeds.len()];
    ward.iter()
        .map(|&w| {
            counter[w] += 1;
            format!("{} {}", ward_name(rank[w]), counter[w])
        })
        .collect()
}

/// A random street name, e.g. `Station Road`.
pub(crate) fn street_name(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{} {}",
        STREET_STEMS[index(rng, STREET_STEMS.len())],
        STREET_KINDS[index(rng, STREET_KINDS.len())]
    )
}

/// True if `name` is a street (not a place such as `Supermarket`).
pub(crate) fn is_street(name: &str) -> bool {
    STREET_KINDS.iter().any(|k| name.ends_with(k))
}

/// A street or place name for a data.police.uk map point.
pub(crate) fn map_point_name(rng: &mut ChaCha8Rng) -> String {
    if chance(rng, 0.25) {
        PLACES[index(rng, PLACES.len())].to_string()
    } else {
        street_name(rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::{stream_rng, Stream};

    #[test]
    fn codes_and_names() {
        assert_eq!(area_code(0), "SYN0001");
        assert_eq!(area_code(174), "SYN0175");
        assert_eq!(ward_name(50), "Castlegate North");
        let pts: Vec<Coord<f64>> = (0..20)
            .map(|i| Coord {
                x: f64::from(i % 5) * 100.0,
                y: f64::from(i / 5) * 100.0,
            })
            .collect();
        let names = area_names(&pts, Coord { x: 200.0, y: 150.0 });
        assert_eq!(names.len(), 20);
        assert!(names.iter().any(|n| n == "Castlegate 1"));
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 20, "names are unique");
        assert!(!map_point_name(&mut stream_rng(1, Stream::SnapPoints)).is_empty());
    }
}
