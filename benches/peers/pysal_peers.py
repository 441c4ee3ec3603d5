#!/usr/bin/env python3
"""PySAL on safemap's inputs: libpysal contiguity weights, esda Gi* and Local Moran.

weights METHOD: libpysal on the BNG boundary file (read with pyogrio outside the timing). The
LSOAs' neighbours share boundary lines but not vertices, so vertex-based queen contiguity
(`Queen.from_dataframe`, `Graph.build_contiguity(strict=False)`) makes most areas islands;
the working equivalents of safemap's queen are the shapely-predicate methods: `Graph.
build_contiguity(rook=False, strict=True)`, `Graph.build_fuzzy_contiguity()` and `weights.
fuzzy_contiguity(tolerance=0, buffering=False)` (polygon intersection). Each link set is
compared with safemap's GAL; a method "works" when at most 1% of the areas' neighbour sets
differ from safemap's.

hotspots: esda `G_Local(star=True, transform='B')` and `Moran_Local(transformation='r')`, 999
permutations, seed 1, n_jobs = the cores, on safemap's own weights (GAL) and values, so the
analytic statistics must equal safemap's to 1e-9 and the pseudo p-values agree within Monte
Carlo error. Both are called once first so numba compiles (here and in the joblib workers);
that first call is reported as compile_s, not in the median.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import checks
import common

PERMUTATIONS = 999
SEED = 1


def read_gal(path: Path):
    import libpysal

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return libpysal.io.open(str(path)).read()


def neighbour_sets(w) -> dict[str, set[str]]:
    return {str(k): {str(j) for j in v} for k, v in w.neighbors.items()}


def link_diff(a: dict[str, set[str]], b: dict[str, set[str]]) -> tuple[int, int, int]:
    """(areas whose neighbour sets differ, links only in a, links only in b); directed links."""
    areas = only_a = only_b = 0
    for k in a.keys() | b.keys():
        sa, sb = a.get(k, set()), b.get(k, set())
        if sa != sb:
            areas += 1
            only_a += len(sa - sb)
            only_b += len(sb - sa)
    return areas, only_a, only_b


def weights(args) -> None:
    import geopandas as gpd
    import libpysal

    t0 = time.perf_counter()
    gdf = gpd.read_file(args.boundaries, engine="pyogrio").set_index(common.CODE, drop=False)
    load_s = time.perf_counter() - t0
    ids = gdf.index.tolist()
    methods = {
        "graph_contiguity_strict": (
            "Graph.build_contiguity(rook=False, strict=True)",
            lambda: libpysal.graph.Graph.build_contiguity(gdf, rook=False, strict=True).to_W()),
        "graph_fuzzy": ("Graph.build_fuzzy_contiguity()",
                        lambda: libpysal.graph.Graph.build_fuzzy_contiguity(gdf).to_W()),
        "fuzzy_contiguity": (
            "weights.fuzzy_contiguity(tolerance=0, buffering=False)",
            lambda: libpysal.weights.fuzzy_contiguity(gdf, tolerance=0, buffering=False,
                                                      ids=ids)),
        "queen": ("weights.Queen.from_dataframe (shared vertices only)",
                  lambda: libpysal.weights.Queen.from_dataframe(gdf, use_index=True)),
    }
    name, call = methods[args.method]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        times, w = common.timed(call, args.reps)
    ours = neighbour_sets(read_gal(args.gal))
    areas, only_peer, only_safemap = link_diff(neighbour_sets(w), ours)
    common.emit(load_s, times, method=name, mean_neighbours=float(w.mean_neighbors),
                islands=len(w.islands), areas_differing_from_safemap=areas,
                links_only_libpysal=only_peer, links_only_safemap=only_safemap,
                working=areas <= 0.01 * len(ids))


def hotspots(args) -> None:
    import esda

    t0 = time.perf_counter()
    w = read_gal(args.gal)
    ours = pd.read_csv(args.safemap, dtype={"code": str}).set_index("code")
    ids = [str(i) for i in w.id_order]
    if len(ids) != len(ours):
        raise SystemExit(f"{args.gal} has {len(ids)} ids, {args.safemap} {len(ours)} rows")
    ours = ours.loc[ids]
    y = ours["value"].to_numpy(dtype=float)
    islands = {str(i) for i in w.islands}
    keep = np.array([i not in islands for i in ids])
    pos = {c: k for k, c in enumerate(ids)}
    nb_sum = np.array([sum(y[pos[str(j)]] for j in w.neighbors[i]) for i in w.id_order])
    tied = nb_sum == 0  # see checks.pseudo_p_agreement
    w.sparse  # the CSR matrix, built outside the timing
    load_s = time.perf_counter() - t0

    def gi():
        return esda.G_Local(y, w, transform="B", star=True, permutations=PERMUTATIONS,
                            n_jobs=args.threads, seed=SEED)

    def lisa():
        return esda.Moran_Local(y, w, transformation="r", permutations=PERMUTATIONS,
                                n_jobs=args.threads, seed=SEED)

    facts, totals = {}, None
    for name, fn, stat_col, p_col, attr in [
        ("gi_star", gi, "gi_z", "gi_p_sim", "Zs"),
        ("local_moran", lisa, "lm_i", "lm_p_sim", "Is"),
    ]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t1 = time.perf_counter()
            fn()  # numba compiles here and in the joblib workers
            first = time.perf_counter() - t1
            times, res = common.timed(fn, args.reps)
        facts[f"{name}_median_s"] = float(np.median(times))
        facts[f"{name}_first_call_s"] = first
        facts[f"{name}_check"] = checks.statistic_agreement(
            ours[stat_col].to_numpy(dtype=float), np.asarray(getattr(res, attr), dtype=float),
            ours[p_col].to_numpy(dtype=float), np.asarray(res.p_sim, dtype=float), keep, tied,
            PERMUTATIONS)
        totals = times if totals is None else [a + b for a, b in zip(totals, times)]
    compile_s = sum(facts[f"{n}_first_call_s"] - facts[f"{n}_median_s"]
                    for n in ("gi_star", "local_moran"))
    common.emit(load_s, totals, compile_s=compile_s, areas=len(ids), islands=len(islands),
                ok=facts["gi_star_check"]["ok"] and facts["local_moran_check"]["ok"], **facts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="task", required=True)
    w = sub.add_parser("weights")
    w.add_argument("method", choices=["graph_contiguity_strict", "graph_fuzzy",
                                      "fuzzy_contiguity", "queen"])
    w.add_argument("--boundaries", type=Path, required=True)
    w.add_argument("--gal", type=Path, required=True, help="safemap's weights, to compare")
    h = sub.add_parser("hotspots")
    h.add_argument("--gal", type=Path, required=True)
    h.add_argument("--safemap", type=Path, required=True,
                   help="peer_tasks hotspots output: code,value,gi_z,gi_p_sim,lm_i,lm_p_sim")
    for p in (w, h):
        common.base_args(p)
    args = ap.parse_args()
    {"weights": weights, "hotspots": hotspots}[args.task](args)


if __name__ == "__main__":
    main()
