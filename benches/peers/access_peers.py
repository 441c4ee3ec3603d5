#!/usr/bin/env python3
"""E2SFCA (3 km, weights 1 / 0.68 / 0.22 up to 1 / 2 / 3 km, supply = each service's
capacity) of the LSOA centroids against the synthetic services, on the files safemap's
`peer_tasks e2sfca` wrote (demand.csv, services.csv, safemap_e2sfca.csv), by:

access: PySAL `access` (`Access(...).enhanced_two_stage_fca(max_cost=3000, weight_fn=
    weights.step_fn({1000: 1, 2000: 0.68, 3000: 0.22}))`), given a cost DataFrame of the
    pairs within 3 km only: all 347.5 million pairs would not fit in memory as a DataFrame
    (`access`'s own `create_euclidean_distance` cross-joins every pair). The pairs are found
    by scipy's cKDTree and their costs recomputed as safemap computes them; that time is
    included (timed from the points, as safemap), and reported apart as pairs_s.
scipy: a hand-written version of the same formula from the points: `cKDTree.
    sparse_distance_matrix` of services against areas with `max_distance=3000` (inclusive,
    as `access` and safemap), the steps with a cost on an edge taking the nearer step's
    weight (`access`'s `step_fn`), two `numpy.bincount` sums; the unbalanced, non-compact
    tree (faster here than scipy's defaults).

Each must equal safemap's access per area to 1e-9 (relative); the areas with no service
within 3 km are 0 in safemap and the scipy version and NaN in `access`, and must be the same.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

import checks
import common

# Luo & Qi's steps as (upper cost, weight): a cost takes the weight of the first step whose
# upper cost is >= it.
STEPS = ((1000.0, 1.0), (2000.0, 0.68), (3000.0, 0.22))
CUTOFF = 3000.0
TREE = {"balanced_tree": False, "compact_nodes": False}


def read(folder: Path):
    """demand, services and safemap's access. Numbers are parsed by Python's float (correctly
    rounded), so each is the f64 safemap wrote, bit for bit."""

    def frame(name: str) -> pd.DataFrame:
        df = pd.read_csv(folder / name, dtype=str)
        for col in df.columns.drop("code", errors="ignore"):
            df[col] = df[col].map(float)
        return df

    demand, services, ours = frame("demand.csv"), frame("services.csv"), frame(
        "safemap_e2sfca.csv")
    if not demand["code"].equals(ours["code"]):
        raise SystemExit(f"{folder}: demand.csv and safemap_e2sfca.csv list different areas")
    services["id"] = services["id"].astype(int)
    return demand, services, ours["access"].to_numpy(dtype=float)


def step_weights(cost: np.ndarray) -> np.ndarray:
    w = np.zeros_like(cost)
    for upper, weight in reversed(STEPS):
        w[cost <= upper] = weight
    return w


def e2sfca_ckdtree(area_xy, population, service_xy, capacity) -> np.ndarray:
    from scipy.spatial import cKDTree

    pairs = cKDTree(service_xy, **TREE).sparse_distance_matrix(
        cKDTree(area_xy, **TREE), CUTOFF, output_type="ndarray")
    s, a, w = pairs["i"], pairs["j"], step_weights(pairs["v"])
    catchment = np.bincount(s, weights=w * population[a], minlength=len(service_xy))
    ratio = np.zeros_like(catchment)
    np.divide(capacity, catchment, out=ratio, where=catchment > 0)
    return np.bincount(a, weights=w * ratio[s], minlength=len(area_xy))


def cost_frame(codes, area_xy, service_xy) -> pd.DataFrame:
    """(origin area code, dest service id, cost) within the cutoff: cKDTree with a radius
    widened by 1e-9, the distance recomputed as safemap does, sqrt(dx * dx + dy * dy) from
    the service to the area, so access's own `cost <= max_cost` decides the edge."""
    from scipy.spatial import cKDTree

    pairs = cKDTree(area_xy).sparse_distance_matrix(
        cKDTree(service_xy), CUTOFF * (1 + 1e-9) + 1e-9, output_type="ndarray")
    a, s = pairs["i"], pairs["j"]
    dx = service_xy[s, 0] - area_xy[a, 0]
    dy = service_xy[s, 1] - area_xy[a, 1]
    return pd.DataFrame({"origin": codes[a], "dest": s, "cost": np.sqrt(dx * dx + dy * dy)})


def run_access(demand_df, supply_df, cost_df) -> pd.Series:
    from access import Access, weights

    acc = Access(demand_df=demand_df, demand_index="geoid", demand_value="pop",
                 supply_df=supply_df, supply_index="geoid", supply_value="supply",
                 cost_df=cost_df, cost_origin="origin", cost_dest="dest", cost_name="cost")
    fn = weights.step_fn({upper: weight for upper, weight in STEPS})
    out = acc.enhanced_two_stage_fca(name="e2sfca", max_cost=CUTOFF, weight_fn=fn)
    return out["e2sfca_supply"]


def main() -> None:
    ap = common.base_args(argparse.ArgumentParser(description=__doc__.split("\n")[0]))
    ap.add_argument("tool", choices=["access", "scipy"])
    ap.add_argument("--inputs", type=Path, required=True)
    args = ap.parse_args()
    t0 = time.perf_counter()
    demand, services, ours = read(args.inputs)
    area_xy = demand[["x", "y"]].to_numpy(dtype=float)
    population = demand["population"].to_numpy(dtype=float)
    service_xy = services[["x", "y"]].to_numpy(dtype=float)
    capacity = services["capacity"].to_numpy(dtype=float)
    codes = demand["code"].to_numpy()
    load_s = time.perf_counter() - t0
    if args.tool == "scipy":
        e2sfca_ckdtree(area_xy, population, service_xy, capacity)  # one untimed call
        times, theirs = common.timed(
            lambda: e2sfca_ckdtree(area_xy, population, service_xy, capacity), args.reps)
        check = checks.access_agreement(ours, theirs, none_is_nan=False)
        common.emit(load_s, times, check=check, ok=check["ok"], tree_options=TREE)
        return
    demand_df = pd.DataFrame({"geoid": codes, "pop": population})
    supply_df = pd.DataFrame({"geoid": services["id"].to_numpy(), "supply": capacity})
    pairs_times, cost_df = common.timed(lambda: cost_frame(codes, area_xy, service_xy), args.reps)
    run_access(demand_df, supply_df, cost_df)  # one untimed call
    access_times, series = common.timed(lambda: run_access(demand_df, supply_df, cost_df),
                                        args.reps)
    theirs = series.reindex(codes).to_numpy(dtype=float)
    check = checks.access_agreement(ours, theirs, none_is_nan=True)
    common.emit(load_s, [p + a for p, a in zip(pairs_times, access_times)], check=check,
                ok=check["ok"], pairs_s=float(np.median(pairs_times)),
                access_only_s=float(np.median(access_times)), pairs=len(cost_df))


if __name__ == "__main__":
    main()
