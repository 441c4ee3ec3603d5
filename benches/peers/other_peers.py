#!/usr/bin/env python3
"""GeoPandas reading the national boundary file, and KDEpy's FFT kernel density.

read: `geopandas.read_file(path, engine="pyogrio")` of the gzipped GeoJSON (GDAL's /vsigzip/),
    with `--project` followed by `.to_crs(27700)` (PROJ; without network access PROJ uses the
    7-parameter Helmert transformation, not the OSTN15 grid safemap applies, so it does less
    work than safemap here).
kde: `KDEpy.FFTKDE(kernel="biweight", bw=h / 2.6457513110645907)` (KDEpy scales its kernels to
    unit variance: this bandwidth makes the biweight's support radius h, safemap's quartic
    kernel of radius h), fitted to the same points and evaluated on the centres of safemap's
    raster (read from safemap's kde output). Reports the ratio of the two surfaces' peaks
    (per km²) as a sanity check.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

import common


def read(args) -> None:
    import geopandas as gpd

    def run():
        gdf = gpd.read_file(f"/vsigzip/{args.input}", engine="pyogrio")
        if args.project:
            gdf = gdf.to_crs(27700)
        return len(gdf)

    times, n = common.timed(run, args.reps)
    common.emit(0.0, times, areas=n, project=args.project)


def kde(args) -> None:
    from KDEpy import FFTKDE
    from KDEpy.kernel_funcs import _kernel_functions

    t0 = time.perf_counter()
    x, y = common.read_events_xy(args.events)
    data = np.column_stack([x, y])
    r = pd.read_csv(args.raster).iloc[0]
    ncols, nrows, cell, h = int(r["ncols"]), int(r["nrows"]), float(r["cell"]), float(r["bandwidth"])
    gx = r["x_min"] + (np.arange(ncols) + 0.5) * cell
    gy = r["y_min"] + (np.arange(nrows) + 0.5) * cell
    # KDEpy wants the grid sorted by the first coordinate, then the second.
    grid = np.column_stack([np.repeat(gx, nrows), np.tile(gy, ncols)])
    bw = h / _kernel_functions["biweight"].practical_support(1.0)
    load_s = time.perf_counter() - t0

    def run():
        return FFTKDE(kernel="biweight", bw=bw, norm=2).fit(data).evaluate(grid)

    times, density = common.timed(run, args.reps)
    peak_per_km2 = float(density.max()) * len(x) * 1e6
    common.emit(load_s, times, points=len(x), cells=ncols * nrows, bandwidth_m=h,
                peak_ratio_to_safemap=peak_per_km2 / float(r["peak"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="task", required=True)
    r = common.base_args(sub.add_parser("read"))
    r.add_argument("--in", dest="input", type=Path, required=True)
    r.add_argument("--project", action="store_true")
    k = common.base_args(sub.add_parser("kde"))
    k.add_argument("--events", type=Path, required=True)
    k.add_argument("--raster", type=Path, required=True, help="peer_tasks kde output")
    args = ap.parse_args()
    {"read": read, "kde": kde}[args.task](args)


if __name__ == "__main__":
    main()
