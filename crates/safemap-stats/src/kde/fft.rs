//! A 2D real FFT (rows with `realfft`, columns with `rustfft`) for the binned convolution.

use std::sync::Arc;

use rayon::prelude::*;
use realfft::num_complex::Complex;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use rustfft::{Fft, FftPlanner};

/// The smallest `m >= n` whose prime factors are all 2, 3, 5 or 7 (fast FFT lengths), even
/// if `even`.
#[allow(clippy::manual_is_multiple_of)] // `is_multiple_of` needs Rust 1.87; MSRV is 1.85
pub(super) fn fast_len(n: usize, even: bool) -> usize {
    let mut m = n.max(2);
    loop {
        if !even || m % 2 == 0 {
            let mut r = m;
            for f in [2, 3, 5, 7] {
                while r % f == 0 {
                    r /= f;
                }
            }
            if r == 1 {
                return m;
            }
        }
        m += 1;
    }
}

/// A 2D real FFT of an `ly × lx` row-major grid. The spectrum is kept column-major:
/// `lx/2 + 1` columns of `ly` values.
pub(super) struct Fft2 {
    lx: usize,
    ly: usize,
    r2c: Arc<dyn RealToComplex<f64>>,
    c2r: Arc<dyn ComplexToReal<f64>>,
    fwd: Arc<dyn Fft<f64>>,
    inv: Arc<dyn Fft<f64>>,
}

impl Fft2 {
    /// Plans the row and column transforms.
    pub(super) fn new(lx: usize, ly: usize) -> Self {
        let mut real = RealFftPlanner::<f64>::new();
        let mut complex = FftPlanner::<f64>::new();
        Fft2 {
            lx,
            ly,
            r2c: real.plan_fft_forward(lx),
            c2r: real.plan_fft_inverse(lx),
            fwd: complex.plan_fft_forward(ly),
            inv: complex.plan_fft_inverse(ly),
        }
    }

    /// The spectrum of `grid` (which is used as scratch space).
    pub(super) fn forward(&self, grid: &mut [f64]) -> Vec<Complex<f64>> {
        let nc = self.lx / 2 + 1;
        let zero = Complex::new(0.0, 0.0);
        let mut rows = vec![zero; self.ly * nc];
        grid.par_chunks_mut(self.lx)
            .zip(rows.par_chunks_mut(nc))
            .for_each_init(
                || self.r2c.make_scratch_vec(),
                |scratch, (g, r)| {
                    if g.iter().any(|&v| v != 0.0) {
                        self.r2c
                            .process_with_scratch(g, r, scratch)
                            .expect("buffer lengths match the plan");
                    }
                },
            );
        let mut cols = transpose(&rows, self.ly, nc);
        cols.par_chunks_mut(self.ly).for_each_init(
            || vec![zero; self.fwd.get_inplace_scratch_len()],
            |scratch, col| self.fwd.process_with_scratch(col, scratch),
        );
        cols
    }

    /// The (unnormalised) inverse of a column-major spectrum (used as scratch space).
    pub(super) fn inverse(&self, cols: &mut [Complex<f64>]) -> Vec<f64> {
        let nc = self.lx / 2 + 1;
        let zero = Complex::new(0.0, 0.0);
        cols.par_chunks_mut(self.ly).for_each_init(
            || vec![zero; self.inv.get_inplace_scratch_len()],
            |scratch, col| self.inv.process_with_scratch(col, scratch),
        );
        let mut rows = transpose(cols, nc, self.ly);
        let mut out = vec![0.0; self.ly * self.lx];
        rows.par_chunks_mut(nc)
            .zip(out.par_chunks_mut(self.lx))
            .for_each_init(
                || self.c2r.make_scratch_vec(),
                |scratch, (r, o)| {
                    // The input of a real signal's inverse: these are 0 up to round-off.
                    r[0].im = 0.0;
                    r[nc - 1].im = 0.0;
                    self.c2r
                        .process_with_scratch(r, o, scratch)
                        .expect("buffer lengths match the plan");
                },
            );
        out
    }
}

/// `src` (`rows × cols`, row-major) transposed to `cols × rows`, in parallel blocks.
fn transpose(src: &[Complex<f64>], rows: usize, cols: usize) -> Vec<Complex<f64>> {
    const BLOCK: usize = 16;
    let mut dst = vec![Complex::new(0.0, 0.0); rows * cols];
    dst.par_chunks_mut(BLOCK * rows)
        .enumerate()
        .for_each(|(bi, block)| {
            let c0 = bi * BLOCK;
            let nb = block.len() / rows;
            for r in 0..rows {
                let s = &src[r * cols + c0..r * cols + c0 + nb];
                for (k, &z) in s.iter().enumerate() {
                    block[k * rows + r] = z;
                }
            }
        });
    dst
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_lengths_are_smooth_and_even_on_request() {
        assert_eq!(fast_len(1, false), 2);
        assert_eq!(fast_len(11, false), 12);
        assert_eq!(fast_len(1001, true), 1008);
        assert_eq!(fast_len(1027, false), 1029);
        assert_eq!(fast_len(1027, true), 1050);
    }

    #[test]
    fn transpose_round_trips() {
        let src: Vec<Complex<f64>> = (0..35).map(|k| Complex::new(f64::from(k), 0.0)).collect();
        let t = transpose(&src, 5, 7);
        assert_eq!(transpose(&t, 7, 5), src);
        assert_eq!(t[3 * 5 + 2], src[2 * 7 + 3]);
    }
}
