//! The arithmetic of the comparison: z-scores of the characteristics, the nearest
//! partnerships by Euclidean distance in them, and ranks of rates (lowest = 1).

/// Column-wise z-scores of `rows` (one row per partnership, one column per characteristic):
/// `(x - mean) / sd`, with the sample standard deviation (n - 1); a column that does not
/// vary gives 0 for every row.
pub fn standardise(rows: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let (n, width) = (rows.len(), rows.first().map_or(0, Vec::len));
    let mut out = rows.to_vec();
    for c in 0..width {
        let mean = rows.iter().map(|r| r[c]).sum::<f64>() / n as f64;
        let var = if n > 1 {
            rows.iter().map(|r| (r[c] - mean).powi(2)).sum::<f64>() / (n - 1) as f64
        } else {
            0.0
        };
        let sd = var.sqrt();
        for r in &mut out {
            r[c] = if sd > 0.0 { (r[c] - mean) / sd } else { 0.0 };
        }
    }
    out
}

/// Euclidean distance.
pub fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).powi(2))
        .sum::<f64>()
        .sqrt()
}

/// The `k` rows nearest to row `of` (itself excluded), nearest first, with their distance;
/// equal distances keep row order.
pub fn nearest(rows: &[Vec<f64>], of: usize, k: usize) -> Vec<(usize, f64)> {
    let mut d: Vec<(usize, f64)> = rows
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != of)
        .map(|(i, r)| (i, distance(&rows[of], r)))
        .collect();
    d.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    d.truncate(k);
    d
}

/// Competition ranks of the values present, lowest = 1 (ties share the best rank:
/// 1, 2, 2, 4); `None` stays `None`.
pub fn rank_lowest(values: &[Option<f64>]) -> Vec<Option<usize>> {
    values
        .iter()
        .map(|v| {
            v.map(|v| {
                1 + values
                    .iter()
                    .flatten()
                    .filter(|w| w.total_cmp(&v).is_lt())
                    .count()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn z_scores_by_hand() {
        // Column 1: 1, 2, 3 → mean 2, sd 1. Column 2 is constant → 0.
        let z = standardise(&[vec![1.0, 5.0], vec![2.0, 5.0], vec![3.0, 5.0]]);
        assert_eq!(z, [vec![-1.0, 0.0], vec![0.0, 0.0], vec![1.0, 0.0]]);
        // Column 1: 0, 0, 6 → mean 2, sd sqrt((4 + 4 + 16) / 2) = sqrt(12).
        let z = standardise(&[vec![0.0], vec![0.0], vec![6.0]]);
        assert!((z[2][0] - 4.0 / 12f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn nearest_excludes_itself_and_orders_by_distance_then_row() {
        let rows = [
            vec![0.0, 0.0],
            vec![3.0, 4.0], // 5 from row 0
            vec![1.0, 0.0], // 1
            vec![0.0, 1.0], // 1, after row 2
            vec![0.0, 0.0], // 0
        ];
        let got = nearest(&rows, 0, 3);
        assert_eq!(got, [(4, 0.0), (2, 1.0), (3, 1.0)]);
        assert_eq!(nearest(&rows, 0, 10).len(), 4);
        // From (3, 4): (0, 1) is sqrt(18) away, nearer than (1, 0) at sqrt(20) and 5.
        assert_eq!(nearest(&rows, 1, 2), [(3, 18f64.sqrt()), (2, 20f64.sqrt())]);
    }

    #[test]
    fn ranks_lowest_first_with_ties_and_gaps() {
        let r = rank_lowest(&[Some(3.0), None, Some(1.0), Some(3.0), Some(7.5)]);
        assert_eq!(r, [Some(2), None, Some(1), Some(2), Some(4)]);
    }
}
