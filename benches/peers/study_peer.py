#!/usr/bin/env python3
"""The whole study of `safemap run` written as an analyst would with GeoPandas, libpysal and
esda, on the same files: the boundary file (read with pyogrio, projected to British National
Grid), the population, the incident CSV (every column parsed: time, offence, flag, as
safemap's reader does), the point-in-polygon join and count per area, rates per
`rate_per` residents and their global Empirical Bayes smoothing, queen contiguity (libpysal's
fastest working method, `--weights`), global Moran's I, Gi* and Local Moran with 999
permutations each, and the outputs: `areas.csv` and `areas.geojson` (WGS84) with every column.

esda's numba kernels are compiled first on a 10 × 10 lattice (reported as compile_s); the
pipeline's time (pipeline_s, what bench.py reports) is this process's whole run less that
warm-up, so it includes starting Python and importing the libraries, as safemap's includes
starting its binary.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import tomllib  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import esda  # noqa: E402
import geopandas as gpd  # noqa: E402
import libpysal  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

PERMUTATIONS = 999
SEED = 1


def warm_up(threads: int) -> float:
    """Compiles esda's numba kernels (here and in the joblib workers); the seconds taken."""
    t0 = time.perf_counter()
    w = libpysal.weights.lat2W(10, 10)
    y = np.arange(100, dtype=float)
    esda.G_Local(y, w, transform="B", star=True, permutations=PERMUTATIONS, n_jobs=threads,
                 seed=SEED)
    esda.Moran_Local(y, w, transformation="r", permutations=PERMUTATIONS, n_jobs=threads,
                     seed=SEED)
    return time.perf_counter() - t0


def queen(gdf, method: str):
    graph = libpysal.graph.Graph
    build = {
        "graph_contiguity_strict": lambda: graph.build_contiguity(gdf, rook=False,
                                                                  strict=True).to_W(),
        "graph_fuzzy": lambda: graph.build_fuzzy_contiguity(gdf).to_W(),
        "fuzzy_contiguity": lambda: libpysal.weights.fuzzy_contiguity(
            gdf, tolerance=0, buffering=False, ids=gdf.index.tolist()),
        "queen": lambda: libpysal.weights.Queen.from_dataframe(gdf, use_index=True),
    }
    return build[method]()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--study", type=Path, required=True, help="study.toml (for rate_per)")
    ap.add_argument("--boundaries", type=Path, required=True)
    ap.add_argument("--population", type=Path, required=True)
    ap.add_argument("--events", type=Path, required=True)
    ap.add_argument("--weights", default="graph_fuzzy")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    compile_s = warm_up(args.threads)
    steps = {}
    rate_per = float(tomllib.loads(args.study.read_text()).get("study", {}).get("rate_per", 1000))

    def step(name, fn):
        t0 = time.perf_counter()
        out = fn()
        steps[name] = time.perf_counter() - t0
        return out

    def read_areas():
        path = args.boundaries
        gdf = gpd.read_file(f"/vsigzip/{path}" if path.suffix == ".gz" else path,
                            engine="pyogrio", columns=["LSOA11CD"])
        gdf = gdf.to_crs(27700).set_index("LSOA11CD", drop=False)
        gdf.index.name = None
        return gdf

    areas = step("read boundaries + project", read_areas)
    pop = step("read population", lambda: pd.read_csv(
        args.population, usecols=["lsoa11_code", "total_population"]).set_index("lsoa11_code"))
    areas["population"] = pop["total_population"].reindex(areas.index).to_numpy(dtype=float)

    def read_events():
        df = pd.read_csv(args.events, engine="pyarrow", dtype={"incident_id": str})
        df["occurred_at"] = pd.to_datetime(df["occurred_at"], format="%Y-%m-%d %H:%M")
        df["offence"] = df["offence"].astype("category")
        df["domestic_abuse"] = df["domestic_abuse"].astype(str).str.lower().isin(
            ["yes", "y", "true", "1"])
        return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["easting"], df["northing"]),
                                crs=27700)

    events = step("read events", read_events)

    def join():
        j = gpd.sjoin(events[["geometry"]], areas[["LSOA11CD", "geometry"]], predicate="within",
                      how="inner")
        return j.groupby("LSOA11CD").size().reindex(areas.index, fill_value=0)

    areas["count"] = step("join + count", join).to_numpy(dtype=float)

    def rates():
        areas["rate"] = areas["count"] / areas["population"] * rate_per
        eb = esda.smoothing.Empirical_Bayes(areas["count"].to_numpy().reshape(-1, 1),
                                            areas["population"].to_numpy().reshape(-1, 1))
        areas["eb_rate"] = np.asarray(eb.r).ravel() * rate_per

    step("rates + EB", rates)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = step("queen weights", lambda: queen(areas, args.weights))
        y = areas["rate"].to_numpy(dtype=float)

        def statistics():
            moran = esda.Moran(y, w, permutations=PERMUTATIONS)
            gi = esda.G_Local(y, w, transform="B", star=True, permutations=PERMUTATIONS,
                              n_jobs=args.threads, seed=SEED)
            lm = esda.Moran_Local(y, w, transformation="r", permutations=PERMUTATIONS,
                                  n_jobs=args.threads, seed=SEED)
            areas["gi_z"], areas["gi_p_sim"] = gi.Zs, gi.p_sim
            areas["lm_i"], areas["lm_q"], areas["lm_p_sim"] = lm.Is, lm.q, lm.p_sim
            return float(moran.I)

        global_i = step("Moran + Gi* + Local Moran, 999 permutations", statistics)

    def write():
        args.out.mkdir(parents=True, exist_ok=True)
        areas.drop(columns="geometry").to_csv(args.out / "areas.csv", index=False)
        areas.to_crs(4326).to_file(args.out / "areas.geojson", engine="pyogrio")

    step("write outputs", write)
    total = time.perf_counter() - STARTED
    print(json.dumps({"pipeline_s": total - compile_s, "compile_s": compile_s, "steps_s": steps,
                      "events": len(events), "joined": int(areas["count"].sum()),
                      "global_moran_i": global_i, "areas": len(areas)}))


if __name__ == "__main__":
    main()
