//! Exact evaluation: the kernel sum at every cell centre.

use rayon::prelude::*;

use super::{KdePoints, Kernel, Raster, M2_PER_KM2};

/// The density per km² at every cell centre of `raster`, summed directly over the points
/// within the kernel's support (row-major from the south-west).
pub(super) fn exact(points: &KdePoints<'_>, raster: &Raster, kernel: Kernel, h: f64) -> Vec<f64> {
    let (c, ncols) = (raster.cell_size(), raster.ncols());
    let radius = kernel.support(h);
    let (r2, h2) = (radius * radius, h * h);
    // Points of positive weight by y (then input order), so each row scans a band.
    let mut order: Vec<usize> = (0..points.len())
        .filter(|&i| points.weight(i) > 0.0)
        .collect();
    order.sort_by(|&a, &b| points.ys[a].total_cmp(&points.ys[b]).then(a.cmp(&b)));
    let sorted_y: Vec<f64> = order.iter().map(|&i| points.ys[i]).collect();
    let mut values = vec![0.0; raster.len()];
    values
        .par_chunks_mut(ncols)
        .enumerate()
        .for_each(|(row, out)| {
            let (_, yc) = raster.centre(0, row);
            let lo = sorted_y.partition_point(|&y| y <= yc - radius);
            let hi = sorted_y.partition_point(|&y| y < yc + radius);
            for &i in &order[lo..hi] {
                let (x, w) = (points.xs[i], points.weight(i));
                let dy = points.ys[i] - yc;
                let dy2 = dy * dy;
                if dy2 >= r2 {
                    continue;
                }
                let half = (r2 - dy2).sqrt();
                let first = ((x - half - raster.x_min()) / c - 0.5).floor() - 1.0;
                let last = ((x + half - raster.x_min()) / c - 0.5).ceil() + 1.0;
                if last < 0.0 || first >= ncols as f64 {
                    continue;
                }
                let first = first.max(0.0) as usize;
                let last = (last as usize).min(ncols - 1);
                for (col, v) in out.iter_mut().enumerate().take(last + 1).skip(first) {
                    let dx = x - raster.centre(col, row).0;
                    let d2 = dx * dx + dy2;
                    if d2 < r2 {
                        *v += w * kernel.value_d2(d2, h2);
                    }
                }
            }
            for v in out.iter_mut() {
                *v *= M2_PER_KM2;
            }
        });
    values
}
