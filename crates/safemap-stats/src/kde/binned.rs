//! Binned evaluation: linear binning onto the cell centres, then FFT convolution with the
//! sampled kernel.

use rayon::prelude::*;

use super::binning::Binning;
use super::fft::{fast_len, Fft2};
use super::{KdeError, KdePoints, Kernel, Raster, M2_PER_KM2, MAX_GRID_CELLS};

/// The density per km² at every cell centre of `raster` and the round-off floor `τ`
/// below which values were set to 0 (see [`super::KdeSurface::round_off_floor`]).
pub(super) fn binned(
    points: &KdePoints<'_>,
    raster: &Raster,
    kernel: Kernel,
    h: f64,
) -> Result<(Vec<f64>, f64), KdeError> {
    let c = raster.cell_size();
    if h < c {
        return Err(KdeError::BandwidthBelowCell {
            bandwidth: h,
            cell_size: c,
        });
    }
    let radius = kernel.support(h);
    let too_large = |pad: usize| KdeError::PaddedGridTooLarge {
        ncols: raster.ncols(),
        nrows: raster.nrows(),
        radius,
        pad,
        limit: MAX_GRID_CELLS,
    };
    let pad_f = (radius / c).ceil();
    if pad_f > MAX_GRID_CELLS as f64 {
        return Err(too_large(MAX_GRID_CELLS));
    }
    let pad = pad_f as usize;
    let (ex, ey) = (raster.ncols() + 2 * pad, raster.nrows() + 2 * pad);
    let (lx, ly) = (fast_len(ex, true), fast_len(ey, false));
    if lx.saturating_mul(ly) > MAX_GRID_CELLS {
        return Err(too_large(pad));
    }

    // 1. Linear binning onto the centres of the padded grid (row-major, row length lx).
    let binning = Binning {
        x_min: raster.x_min(),
        y_min: raster.y_min(),
        c,
        pad: pad as f64,
        ex,
        ey,
    };
    let mut grid = binning.bin(points, lx, ly);
    let b_norm2 = grid.iter().map(|v| v * v).sum::<f64>().sqrt();

    // 2. The kernel stencil, centred on (0, 0) with wrap-around.
    let (r2, h2) = (radius * radius, h * h);
    let mut stencil = vec![0.0f64; lx * ly];
    let mut s_norm1 = 0.0;
    let p = pad as isize;
    for a in -p..=p {
        for b in -p..=p {
            let d2 = c * c * (a * a + b * b) as f64;
            if d2 < r2 {
                let k = kernel.value_d2(d2, h2);
                s_norm1 += k;
                let row = a.rem_euclid(ly as isize) as usize;
                let col = b.rem_euclid(lx as isize) as usize;
                stencil[row * lx + col] = k;
            }
        }
    }

    // 3. Convolution through the FFT; the stencil's spectrum is real (it is even).
    let fft = Fft2::new(lx, ly);
    let mut spectrum = fft.forward(&mut grid);
    let kernel_spectrum = fft.forward(&mut stencil);
    let scale = M2_PER_KM2 / (lx * ly) as f64;
    spectrum
        .par_chunks_mut(ly)
        .zip(kernel_spectrum.par_chunks(ly))
        .for_each(|(s, k)| {
            for (z, kz) in s.iter_mut().zip(k) {
                *z *= kz.re * scale;
            }
        });
    let conv = fft.inverse(&mut spectrum);

    // 4. The raster's part of the padded grid, with the round-off floor.
    let tau = M2_PER_KM2 * 8.0 * f64::EPSILON * ((lx * ly) as f64).log2() * b_norm2 * s_norm1;
    let mut values = vec![0.0; raster.len()];
    values
        .par_chunks_mut(raster.ncols())
        .enumerate()
        .for_each(|(row, out)| {
            let src = &conv[(row + pad) * lx + pad..(row + pad) * lx + pad + raster.ncols()];
            for (o, &v) in out.iter_mut().zip(src) {
                *o = if v < tau { 0.0 } else { v };
            }
        });
    Ok((values, tau))
}
