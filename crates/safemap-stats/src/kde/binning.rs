//! Linear ("cloud-in-cell") binning of weighted points onto a padded grid's centres.

use rayon::prelude::*;

use super::KdePoints;

/// Rows of the padded grid per binning band: one band's slice of the grid stays in cache.
const BAND_ROWS: usize = 16;
/// Points per binning task.
const BIN_CHUNK: usize = 1 << 16;

/// Linear binning onto the `ex × ey` centres of the padded grid, whose node `(i, j)` is at
/// `(x_min + (i - pad + ½)c, y_min + (j - pad + ½)c)`.
pub(super) struct Binning {
    pub(super) x_min: f64,
    pub(super) y_min: f64,
    pub(super) c: f64,
    pub(super) pad: f64,
    pub(super) ex: usize,
    pub(super) ey: usize,
}

impl Binning {
    /// Point `i` in node units, `(u, v)`, if it has weight and a node of the padded grid
    /// within one cell (otherwise it contributes nothing to the raster).
    #[inline]
    fn node(&self, points: &KdePoints<'_>, i: usize) -> Option<(f64, f64)> {
        if points.weight(i) == 0.0 {
            return None;
        }
        let u = (points.xs[i] - self.x_min) / self.c - 0.5 + self.pad;
        let v = (points.ys[i] - self.y_min) / self.c - 0.5 + self.pad;
        (u >= -1.0 && u < self.ex as f64 && v >= -1.0 && v < self.ey as f64).then_some((u, v))
    }

    /// The bands holding node rows `⌊v⌋` and `⌊v⌋ + 1` (rows outside the grid have none;
    /// a band is named once).
    #[inline]
    fn bands_of(&self, v: f64) -> [Option<usize>; 2] {
        let j0 = floor(v) as isize;
        let band = |j: isize| (j >= 0 && (j as usize) < self.ey).then_some(j as usize / BAND_ROWS);
        let (b0, b1) = (band(j0), band(j0 + 1));
        [b0, if b1 == b0 { None } else { b1 }]
    }

    /// The binned weights on an `ly × lx` grid (zero beyond `ey × ex`).
    ///
    /// A parallel counting sort first copies every point that has weight, as `(u, v, w)`,
    /// into the bands of [`BAND_ROWS`] grid rows it touches, in input order within each
    /// band; then each band adds its points' shares into its own rows, which stay in cache.
    /// Every cell's sum is taken in input order whatever the number of threads, so the
    /// result equals a sequential loop's bit for bit.
    pub(super) fn bin(&self, points: &KdePoints<'_>, lx: usize, ly: usize) -> Vec<f64> {
        let n = points.len();
        let nbands = self.ey.div_ceil(BAND_ROWS);
        let nchunks = n.div_ceil(BIN_CHUNK);
        let chunk = |c: usize| c * BIN_CHUNK..((c + 1) * BIN_CHUNK).min(n);
        // Entries per chunk and band.
        let counts: Vec<Vec<usize>> = (0..nchunks)
            .into_par_iter()
            .map(|c| {
                let mut count = vec![0usize; nbands];
                for i in chunk(c) {
                    if let Some((_, v)) = self.node(points, i) {
                        for b in self.bands_of(v).into_iter().flatten() {
                            count[b] += 1;
                        }
                    }
                }
                count
            })
            .collect();
        let band_len: Vec<usize> = (0..nbands)
            .map(|b| counts.iter().map(|count| count[b]).sum())
            .collect();
        let mut entries = vec![[0.0f64; 3]; band_len.iter().sum()];
        // Split the entries band by band, then chunk by chunk, and hand each chunk its
        // pieces (one per band).
        let mut pieces: Vec<Vec<&mut [[f64; 3]]>> =
            (0..nchunks).map(|_| Vec::with_capacity(nbands)).collect();
        let mut bands: Vec<&[[f64; 3]]> = Vec::with_capacity(nbands);
        {
            let mut rest: &mut [[f64; 3]] = &mut entries;
            for (b, &len) in band_len.iter().enumerate() {
                let (mut band, tail) = rest.split_at_mut(len);
                rest = tail;
                for (c, count) in counts.iter().enumerate() {
                    let (piece, tail) = band.split_at_mut(count[b]);
                    band = tail;
                    pieces[c].push(piece);
                }
            }
        }
        pieces
            .into_par_iter()
            .enumerate()
            .for_each(|(c, mut mine)| {
                let mut at = vec![0usize; nbands];
                for i in chunk(c) {
                    if let Some((u, v)) = self.node(points, i) {
                        for b in self.bands_of(v).into_iter().flatten() {
                            mine[b][at[b]] = [u, v, points.weight(i)];
                            at[b] += 1;
                        }
                    }
                }
            });
        {
            let mut rest: &[[f64; 3]] = &entries;
            for &len in &band_len {
                let (band, tail) = rest.split_at(len);
                bands.push(band);
                rest = tail;
            }
        }
        let mut grid = vec![0.0f64; lx * ly];
        grid.par_chunks_mut(BAND_ROWS * lx)
            .zip(bands.into_par_iter())
            .enumerate()
            .for_each(|(b, (slice, band))| {
                let (row0, row1) = (b * BAND_ROWS, ((b + 1) * BAND_ROWS).min(self.ey));
                for &[u, v, w] in band {
                    let (fu, fv) = (floor(u), floor(v));
                    let (tx, ty) = (u - fu, v - fv);
                    let (i0, j0) = (fu as isize, fv as isize);
                    for (j, wy) in [(j0, 1.0 - ty), (j0 + 1, ty)] {
                        if j < row0 as isize || j >= row1 as isize || wy == 0.0 {
                            continue;
                        }
                        let row = &mut slice[(j as usize - row0) * lx..][..lx];
                        for (k, wx) in [(i0, 1.0 - tx), (i0 + 1, tx)] {
                            if k >= 0 && (k as usize) < self.ex && wx != 0.0 {
                                row[k as usize] += w * wx * wy;
                            }
                        }
                    }
                }
            });
        grid
    }
}

/// `⌊v⌋` for `|v| < 2^52`, without the libm call `f64::floor` compiles to on x86-64's
/// baseline (which has no SSE4.1 `roundsd`).
#[inline]
fn floor(v: f64) -> f64 {
    let t = v as i64 as f64;
    if t > v {
        t - 1.0
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The banded, parallel binning equals the plain sequential loop bit for bit, over
    /// several chunks and with points outside the padded grid, on 1 and 2 threads.
    #[test]
    fn banded_binning_equals_a_sequential_loop() {
        let n = 3 * BIN_CHUNK + 123;
        let mut state = 1u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let xs: Vec<f64> = (0..n).map(|_| -60.0 + 1100.0 * next()).collect();
        let ys: Vec<f64> = (0..n).map(|_| -60.0 + 900.0 * next()).collect();
        let ws: Vec<f64> = (0..n)
            .map(|k| if k % 7 == 0 { 0.0 } else { next() })
            .collect();
        let points = KdePoints::weighted(&xs, &ys, &ws).expect("points");
        let (ex, ey, lx, ly) = (108, 86, 112, 90);
        let b = Binning {
            x_min: 0.0,
            y_min: 0.0,
            c: 10.0,
            pad: 4.0,
            ex,
            ey,
        };
        let mut want = vec![0.0f64; lx * ly];
        for (i, w) in ws.iter().enumerate() {
            let Some((u, v)) = b.node(&points, i) else {
                continue;
            };
            let (fu, fv) = (u.floor(), v.floor());
            let (tx, ty) = (u - fu, v - fv);
            for (j, wy) in [(fv as isize, 1.0 - ty), (fv as isize + 1, ty)] {
                for (k, wx) in [(fu as isize, 1.0 - tx), (fu as isize + 1, tx)] {
                    let inside = j >= 0 && (j as usize) < ey && k >= 0 && (k as usize) < ex;
                    if inside && wx != 0.0 && wy != 0.0 {
                        want[j as usize * lx + k as usize] += w * wx * wy;
                    }
                }
            }
        }
        for threads in [1, 2] {
            let got = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("pool")
                .install(|| b.bin(&points, lx, ly));
            assert!(got
                .iter()
                .zip(&want)
                .all(|(g, w)| g.to_bits() == w.to_bits()));
        }
    }

    #[test]
    fn floor_matches_std() {
        for v in [
            -1.0,
            -0.5,
            -1e-17,
            -0.0,
            0.0,
            0.999_999_9,
            3.0,
            7.5,
            1.0e15 + 0.5,
            -2.0e9 - 0.25,
        ] {
            assert_eq!(floor(v), v.floor(), "{v}");
        }
    }
}
