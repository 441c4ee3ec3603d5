#!/usr/bin/env python3
"""Times PySAL (libpysal, esda, access) on safemap's benchmark inputs and prints one comparison table.

Run by benches/compare_peers.sh after it has run the national study into
target/peers/national, the criterion benches (weights, hotspots, join, access) and the
access_inputs example into target/peers/access. Same inputs:

- weights: the 34,753 LSOA11 polygons of the same GeoJSON (read with geopandas and projected
  to British National Grid outside the timing). Their neighbours share boundary lines but not
  vertices, so libpysal's working equivalent of safemap's queen contiguity is fuzzy contiguity
  with tolerance 0 (polygon intersection); `Queen.from_dataframe` is timed for reference and
  its islands counted.
- Gi* (binary, 999 permutations) and Local Moran (row-standardised, 999 permutations): esda on
  the study's own weights.gal and analysed values (areas.csv `crime_value`), so the analytic
  statistics must equal safemap's to 1e-9; the pseudo p-values use different random draws
  and must agree within Monte Carlo error.
- join (reference only): geopandas `sjoin` of the located police.uk rows of January 2019.
- E2SFCA (3 km, weights 1 / 0.68 / 0.22 up to 1 / 2 / 3 km, capacity 1) of the 34,753 LSOA
  centroids against 10,000 seeded services: the points the criterion bench uses, written with
  safemap's result by the access_inputs example. PySAL `access` is given the pairs within 3 km
  (all 347.5 million would not fit in memory as a DataFrame), found with scipy's cKDTree outside
  its timing; a hand-written scipy cKDTree + numpy version of the same formula is timed from the
  points. Both must equal safemap's access per area to 1e-9 (relative).

safemap's figures are the criterion medians in target/criterion/<group>/<bench>/new/estimates.json.
Nothing is downloaded: every input is read from ../shared/data and target/.
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
LSOA_GEOJSON = DATA / "boundaries" / "uk-geojson" / "england_wales_lsoa11.geojson.gz"
POLICE_GLOB = DATA / "police" / "national-2019-01" / "*.csv.gz"

# E2SFCA of benches/access.rs (safemap_benches::access_inputs): Luo & Qi's steps as
# (upper cost, weight), a cost taking the weight of the first step whose upper cost is >= it.
E2SFCA_STEPS = ((1000.0, 1.0), (2000.0, 0.68), (3000.0, 0.22))
E2SFCA_CUTOFF = 3000.0

# (task, criterion group, criterion bench)
SAFEMAP_BENCHES = {
    "weights": ("weights_national_lsoa11", "queen"),
    "gi_star": ("hotspots_national_lsoa11", "gi_star_binary_999"),
    "local_moran": ("hotspots_national_lsoa11", "local_moran_rowstd_999"),
    "join": ("join_national_lsoa11", "police_uk_2019_01"),
    "e2sfca_from_points": ("access_national_lsoa11", "e2sfca_3km_10k_services_from_points"),
    "e2sfca_given_costs": ("access_national_lsoa11", "e2sfca_3km_10k_services_given_costs"),
}


def log(msg: str) -> None:
    print(f"[peers {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def timed(fn, reps: int):
    """(median seconds, all seconds, last result) of `reps` calls of fn."""
    times, out = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, out


def criterion_median(criterion_dir: Path, group: str, bench: str) -> float | None:
    path = criterion_dir / group / bench / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"] / 1e9


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


def bench_weights(args, results: dict, safemap_w: dict[str, set[str]]) -> None:
    import geopandas as gpd
    import libpysal

    log(f"reading {LSOA_GEOJSON.name} with geopandas (not timed)")
    t0 = time.perf_counter()
    gdf = gpd.read_file(f"/vsigzip/{LSOA_GEOJSON}", engine="pyogrio")
    gdf = gdf.to_crs(27700)
    gdf = gdf.set_index("LSOA11CD", drop=False)
    results["load_geojson_s"] = time.perf_counter() - t0
    log(f"{len(gdf)} polygons read and projected in {results['load_geojson_s']:.1f} s")

    ids = gdf.index.tolist()
    variants = [
        # (key, label, call, graph?)
        ("weights_fuzzy", "fuzzy_contiguity(tolerance=0)",
         lambda: libpysal.weights.fuzzy_contiguity(gdf, tolerance=0, buffering=False, ids=ids), False),
        ("weights_graph_fuzzy", "Graph.build_fuzzy_contiguity()",
         lambda: libpysal.graph.Graph.build_fuzzy_contiguity(gdf), True),
        ("weights_fuzzy_1mm", "fuzzy_contiguity(buffering=True, buffer=0.001)",
         lambda: libpysal.weights.fuzzy_contiguity(gdf, buffering=True, buffer=0.001, ids=ids), False),
        ("weights_graph_fuzzy_1mm", "Graph.build_fuzzy_contiguity(buffer=0.001)",
         lambda: libpysal.graph.Graph.build_fuzzy_contiguity(gdf, buffer=0.001), True),
    ]
    if not args.skip_queen:
        variants.append(("weights_queen", "Queen.from_dataframe",
                         lambda: libpysal.weights.Queen.from_dataframe(gdf, use_index=True), False))
    for key, label, call, is_graph in variants:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            med, times, w = timed(call, args.reps)
            if is_graph:
                w = w.to_W()
        areas, only_peer, only_safemap = link_diff(neighbour_sets(w), safemap_w)
        results[key] = {
            "label": label,
            "median_s": med,
            "times_s": times,
            "mean_neighbours": float(w.mean_neighbors),
            "islands": len(w.islands),
            "areas_differing_from_safemap": areas,
            "links_only_libpysal": only_peer,
            "links_only_safemap": only_safemap,
        }
        log(f"{label}: median {med:.2f} s {fmt_times(times)}, mean {w.mean_neighbors:.4f} "
            f"neighbours, {len(w.islands)} islands, {areas} areas differ from safemap's queen "
            f"({only_peer} directed links only in libpysal, {only_safemap} only in safemap)")


def bench_join(args, results: dict) -> None:
    import geopandas as gpd

    log("reading police.uk CSVs and boundaries (not timed)")
    files = sorted(glob.glob(str(POLICE_GLOB)))
    frames = [pd.read_csv(f, usecols=["Longitude", "Latitude"]) for f in files]
    pts = pd.concat(frames).dropna()
    points = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(pts["Longitude"], pts["Latitude"]), crs=4326
    ).to_crs(27700)
    lsoas = gpd.read_file(f"/vsigzip/{LSOA_GEOJSON}", engine="pyogrio", columns=["LSOA11CD"])
    lsoas = lsoas.to_crs(27700)
    lsoas.sindex  # build the tree outside the timing, as safemap's bench builds its index

    def run():
        j = gpd.sjoin(points, lsoas, predicate="within", how="inner")
        return j.groupby("LSOA11CD").size()

    med, times, counts = timed(run, args.reps)
    results["join_geopandas"] = {
        "median_s": med,
        "times_s": times,
        "points": len(points),
        "joined": int(counts.sum()),
    }
    log(f"geopandas sjoin: median {med:.2f} s {fmt_times(times)}, {int(counts.sum())} of {len(points)} joined")


def read_access_inputs(folder: Path):
    """The access_inputs example's demand, services and safemap's E2SFCA. Numbers are parsed
    by Python's float (correctly rounded), so each is the f64 safemap wrote, bit for bit."""

    def read(name: str) -> pd.DataFrame:
        df = pd.read_csv(folder / name, dtype=str)
        for col in df.columns.drop("code", errors="ignore"):
            df[col] = df[col].map(float)
        return df

    demand, services, ours = read("demand.csv"), read("services.csv"), read("safemap_e2sfca.csv")
    if not demand["code"].equals(ours["code"]):
        raise SystemExit(f"{folder}: demand.csv and safemap_e2sfca.csv list different areas")
    services["id"] = services["id"].astype(int)
    return demand, services, ours["access"].to_numpy(dtype=float)


def step_weights(cost: np.ndarray) -> np.ndarray:
    """E2SFCA_STEPS applied to every cost: the first step whose upper cost is >= the cost, so
    a cost exactly on a step's edge takes the nearer step's weight (access's weights.step_fn);
    0 beyond the last step."""
    w = np.zeros_like(cost)
    for upper, weight in reversed(E2SFCA_STEPS):
        w[cost <= upper] = weight
    return w


# cKDTree options of the hand-written version: scipy's defaults, and the unbalanced tree
# without compacted nodes (faster to build and, on these points, to query).
CKDTREE_VARIANTS = {
    "defaults": {},
    "fast": {"balanced_tree": False, "compact_nodes": False},
}


def e2sfca_ckdtree(area_xy: np.ndarray, population: np.ndarray, service_xy: np.ndarray,
                   **tree_options) -> np.ndarray:
    """Hand-written E2SFCA from the points: scipy cKDTree pairs within the cutoff (inclusive,
    as access and safemap), numpy bincount sums. Areas with no service in reach get 0."""
    from scipy.spatial import cKDTree

    pairs = cKDTree(service_xy, **tree_options).sparse_distance_matrix(
        cKDTree(area_xy, **tree_options), E2SFCA_CUTOFF, output_type="ndarray")
    s, a, w = pairs["i"], pairs["j"], step_weights(pairs["v"])
    catchment = np.bincount(s, weights=w * population[a], minlength=len(service_xy))
    ratio = np.zeros_like(catchment)
    np.divide(1.0, catchment, out=ratio, where=catchment > 0)
    return np.bincount(a, weights=w * ratio[s], minlength=len(area_xy))


def access_cost_df(codes: np.ndarray, area_xy: np.ndarray, service_xy: np.ndarray) -> pd.DataFrame:
    """The (origin area code, dest service id, cost) pairs within the cutoff, for `access`.

    cKDTree finds the pairs with a radius widened by 1e-9 and the distance is recomputed as
    safemap computes it, sqrt(dx * dx + dy * dy) from the service to the area, so the costs
    are bit for bit safemap's and access's own `cost <= max_cost` decides the edge."""
    from scipy.spatial import cKDTree

    pairs = cKDTree(area_xy).sparse_distance_matrix(
        cKDTree(service_xy), E2SFCA_CUTOFF * (1 + 1e-9) + 1e-9, output_type="ndarray")
    a, s = pairs["i"], pairs["j"]
    dx = service_xy[s, 0] - area_xy[a, 0]
    dy = service_xy[s, 1] - area_xy[a, 1]
    return pd.DataFrame({"origin": codes[a], "dest": s, "cost": np.sqrt(dx * dx + dy * dy)})


def run_access(demand_df: pd.DataFrame, supply_df: pd.DataFrame, cost_df: pd.DataFrame) -> pd.Series:
    """PySAL access's E2SFCA: the Access object and enhanced_two_stage_fca, as documented."""
    from access import Access, weights

    acc = Access(demand_df=demand_df, demand_index="geoid", demand_value="pop",
                 supply_df=supply_df, supply_index="geoid", supply_value="supply",
                 cost_df=cost_df, cost_origin="origin", cost_dest="dest", cost_name="cost")
    fn = weights.step_fn({upper: weight for upper, weight in E2SFCA_STEPS})
    out = acc.enhanced_two_stage_fca(name="e2sfca", max_cost=E2SFCA_CUTOFF, weight_fn=fn)
    return out["e2sfca_supply"]


def access_agreement(ours: np.ndarray, theirs: np.ndarray, none_is_nan: bool) -> dict:
    """Per-area agreement with safemap: relative difference where safemap's access is > 0;
    where it is 0 (no service within 3 km) the peer must say so too (NaN for access, which
    leaves those areas out of its sums, 0 for the cKDTree version)."""
    ours_none = ours == 0
    theirs_none = np.isnan(theirs) if none_is_nan else theirs == 0
    both = ~ours_none & ~theirs_none
    rel = np.abs(ours[both] - theirs[both]) / np.abs(ours[both])
    max_rel = float(rel.max()) if rel.size else 0.0
    out = {
        "compared": int(both.sum()),
        "no_service_in_reach": int(ours_none.sum()),
        "none_mismatched": int((ours_none != theirs_none).sum()),
        "max_rel_diff": max_rel,
    }
    out["within_1e-9"] = bool(out["none_mismatched"] == 0 and max_rel <= 1e-9)
    return out


def bench_access(args, results: dict) -> None:
    import scipy

    folder = Path(args.access_inputs)
    log(f"reading {folder} (not timed)")
    demand, services, ours = read_access_inputs(folder)
    area_xy = demand[["x", "y"]].to_numpy(dtype=float)
    population = demand["population"].to_numpy(dtype=float)
    service_xy = services[["x", "y"]].to_numpy(dtype=float)
    codes = demand["code"].to_numpy()
    log(f"{len(demand)} areas, {len(services)} services, safemap access > 0 in "
        f"{int((ours > 0).sum())} areas")

    # (b) the scipy version, from the points; one untimed call first.
    ckdtree, checks = {}, {}
    for name, options in CKDTREE_VARIANTS.items():
        e2sfca_ckdtree(area_xy, population, service_xy, **options)
        med, times, kd = timed(lambda: e2sfca_ckdtree(area_xy, population, service_xy, **options),
                               args.fast_reps)
        ckdtree[name] = {"options": options, "median_s": med, "times_s": times}
        checks[f"ckdtree_{name}"] = access_agreement(ours, kd, none_is_nan=False)
        log(f"scipy {scipy.__version__} cKDTree version ({name} {options}): median "
            f"{med * 1000:.1f} ms {fmt_times(times)}; agreement {checks[f'ckdtree_{name}']}")

    # (a) access, given the pairs within 3 km.
    med_pairs, times_pairs, cost_df = timed(
        lambda: access_cost_df(codes, area_xy, service_xy), args.fast_reps)
    demand_df = pd.DataFrame({"geoid": codes, "pop": population})
    supply_df = pd.DataFrame({"geoid": services["id"].to_numpy(), "supply": 1.0})
    log(f"{len(cost_df)} pairs within 3 km for access: cKDTree + DataFrame median "
        f"{med_pairs * 1000:.1f} ms (not in access's time)")
    run_access(demand_df, supply_df, cost_df)
    med_acc, times_acc, series = timed(lambda: run_access(demand_df, supply_df, cost_df), args.reps)
    theirs = series.reindex(codes).to_numpy(dtype=float)
    checks["access"] = access_agreement(ours, theirs, none_is_nan=True)
    log(f"access E2SFCA: median {med_acc:.3f} s {fmt_times(times_acc)}; agreement {checks['access']}")

    results["access"] = {
        "areas": len(demand),
        "services": len(services),
        "pairs_within_3km": len(cost_df),
        "access_median_s": med_acc,
        "access_times_s": times_acc,
        "pairs_median_s": med_pairs,
        "pairs_times_s": times_pairs,
        "ckdtree": ckdtree,
        "checks": checks,
    }


def pseudo_p_agreement(p_safemap: np.ndarray, p_esda: np.ndarray, r: int, tied: np.ndarray) -> dict:
    """Two pseudo p-value estimates from different random draws, on the areas whose observed
    neighbour sum is not 0 (`~tied`).

    Where every neighbour has the minimum value 0 (areas of the four forces missing from the
    police.uk files), many permuted neighbour sums tie with the observed one: esda counts ties
    only upwards, so its folded p is 1/(R+1) there, while safemap counts them in both tails
    (benches/README.md). Those areas are reported apart. On the others the mean |difference| is
    compared with what Monte Carlo error alone gives (normal approximation, binomial variance
    of each estimate). Both tools share one set of random neighbour tuples between all sites,
    so all of one run's p-values move together: the mean difference varies between seeds far
    more than independent draws would (esda against esda moves by up to 0.005 between seeds
    here), hence the loose bounds.
    """
    a, b = p_safemap[~tied], p_esda[~tied]
    pbar = (a + b) / 2
    sd_diff = np.sqrt(2 * pbar * (1 - pbar) / (r + 1))
    diff = a - b
    expected = float(np.mean(np.sqrt(2 / np.pi) * sd_diff))
    observed = float(np.mean(np.abs(diff)))
    bias = float(np.mean(diff))
    floor = 1 / (r + 1) + 1e-9
    return {
        "compared": int(len(a)),
        "mean_abs_diff": observed,
        "expected_mean_abs_diff": expected,
        "mean_diff": bias,
        "share_significant_005": [float(np.mean(a <= 0.05)), float(np.mean(b <= 0.05))],
        "tied_areas": int(tied.sum()),
        "tied_at_floor": [int((p_safemap[tied] <= floor).sum()), int((p_esda[tied] <= floor).sum())],
        "ok": bool(observed <= 2.5 * expected and abs(bias) <= 0.01),
    }


def bench_esda(args, results: dict, study: Path) -> dict[str, set[str]]:
    import esda
    import libpysal

    areas = pd.read_csv(study / "areas.csv", dtype={"code": str})
    gal = study / "weights.gal"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = libpysal.io.open(str(gal)).read()
    header_n = int(gal.read_text().split("\n", 1)[0].split()[-1])
    ids = [str(i) for i in w.id_order]
    if len(ids) != len(areas) or header_n != len(areas):
        raise SystemExit(f"weights.gal has {len(ids)} ids (header {header_n}), areas.csv {len(areas)} rows")
    by_code = areas.set_index("code")
    y = by_code.loc[ids, "crime_value"].to_numpy(dtype=float)
    islands = set(map(str, w.islands))
    keep = np.array([i not in islands for i in ids])
    pos = {c: k for k, c in enumerate(ids)}
    nb_sum = np.array([sum(y[pos[str(j)]] for j in w.neighbors[i]) for i in w.id_order])
    tied = nb_sum == 0  # see pseudo_p_agreement
    results["n"] = len(ids)
    results["islands"] = sorted(islands)
    results["mean_neighbours"] = w.mean_neighbors
    w.sparse  # build the CSR matrix outside the timing
    log(f"{len(ids)} areas, {len(islands)} islands, mean {w.mean_neighbors:.4f} neighbours; sum y {y.sum():.6f}")

    def gi(keep_simulations=True):
        return esda.G_Local(y, w, transform="B", star=True, permutations=args.permutations,
                            n_jobs=args.jobs, seed=args.seed, keep_simulations=keep_simulations)

    def lisa(keep_simulations=True):
        return esda.Moran_Local(y, w, transformation="r", permutations=args.permutations,
                                n_jobs=args.jobs, seed=args.seed,
                                keep_simulations=keep_simulations)

    checks = {}
    for name, fn, stat_col, p_col, attr in [
        ("gi_star", gi, "crime_gi_star_z", "crime_gi_star_p_sim", "Zs"),
        ("local_moran", lisa, "crime_local_moran_i", "crime_local_moran_p_sim", "Is"),
    ]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t0 = time.perf_counter()
            fn()  # first call in this process: numba compiles, here and in the joblib workers
            first = time.perf_counter() - t0
            med, times, res = timed(fn, args.reps)
        results[f"esda_{name}"] = {
            "first_call_s": first,
            "compile_s_estimate": first - med,
            "median_s": med,
            "times_s": times,
        }
        log(f"esda {name}: first call {first:.2f} s, then median {med:.3f} s {fmt_times(times)}")

        ours = by_code.loc[ids, stat_col].to_numpy(dtype=float)
        theirs = np.asarray(getattr(res, attr), dtype=float)
        both = keep & np.isfinite(ours)
        diff = np.abs(ours[both] - theirs[both])
        rel = diff / np.maximum(np.abs(theirs[both]), 1.0)
        p_ours = by_code.loc[ids, p_col].to_numpy(dtype=float)[both]
        p_theirs = np.asarray(res.p_sim, dtype=float)[both]
        checks[name] = {
            "column": stat_col,
            "compared": int(both.sum()),
            "missing_in_safemap": int((keep & ~np.isfinite(ours)).sum()),
            "max_abs_diff": float(diff.max()),
            "max_rel_diff": float(rel.max()),
            "within_1e-9": bool(rel.max() <= 1e-9),
            "pseudo_p": pseudo_p_agreement(p_ours, p_theirs, args.permutations, tied[both]),
        }
        c = checks[name]
        log(f"{name}: {stat_col} vs esda {attr}: max |diff| {c['max_abs_diff']:.3g}, "
            f"max rel {c['max_rel_diff']:.3g} over {c['compared']} areas -> "
            f"{'OK' if c['within_1e-9'] else 'MISMATCH'}; pseudo p mean |diff| "
            f"{c['pseudo_p']['mean_abs_diff']:.5f} (Monte Carlo expects {c['pseudo_p']['expected_mean_abs_diff']:.5f})")
        if not args.skip_lean:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                med, times, _ = timed(lambda: fn(keep_simulations=False), args.reps)
            results[f"esda_{name}_lean"] = {"median_s": med, "times_s": times}
            log(f"esda {name}, keep_simulations=False: median {med:.3f} s {fmt_times(times)}")
    results["checks"] = checks
    return neighbour_sets(w)


def fmt_times(times) -> str:
    return "[" + ", ".join(f"{t:.3f}" for t in times) + "]"


def fmt_s(s: float | None) -> str:
    if s is None or (isinstance(s, float) and math.isnan(s)):
        return "-"
    if s < 0.1:
        return f"{s * 1000:.1f} ms"
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def report(args, results: dict, study: Path) -> None:
    crit = Path(args.criterion_dir)
    ours = {k: criterion_median(crit, *v) for k, v in SAFEMAP_BENCHES.items()}
    results["safemap_criterion_median_s"] = ours
    rows = [
        *[
            ("queen contiguity, 34,753 LSOAs" if k == 0 else "", ours["weights"],
             f"libpysal {results[key]['label']} ({results[key]['areas_differing_from_safemap']} areas "
             f"differ, {results[key]['islands']} islands)", results[key]["median_s"])
            for k, key in enumerate(
                x for x in ("weights_fuzzy", "weights_graph_fuzzy", "weights_fuzzy_1mm",
                            "weights_graph_fuzzy_1mm", "weights_queen") if x in results
            )
        ],
        ("Gi* binary, 999 perm.", ours["gi_star"],
         f"esda G_Local, numba, n_jobs={args.jobs}", results.get("esda_gi_star", {}).get("median_s")),
        ("", ours["gi_star"], "same, keep_simulations=False",
         results.get("esda_gi_star_lean", {}).get("median_s")),
        ("Local Moran row-std, 999 perm.", ours["local_moran"],
         f"esda Moran_Local, numba, n_jobs={args.jobs}", results.get("esda_local_moran", {}).get("median_s")),
        ("", ours["local_moran"], "same, keep_simulations=False",
         results.get("esda_local_moran_lean", {}).get("median_s")),
        ("join 326k located police.uk rows", ours["join"], "geopandas sjoin (within)",
         results.get("join_geopandas", {}).get("median_s")),
    ]
    acc = results.get("access")
    if acc:
        pairs = f"{acc['pairs_within_3km']:,}"
        rows += [
            ("E2SFCA 3 km, 34,753 LSOAs x 10,000 services, from the points", ours["e2sfca_from_points"],
             f"access enhanced_two_stage_fca, given the {pairs} pairs within 3 km (found by "
             "cKDTree outside its time: all 347.5M pairs do not fit in memory)", acc["access_median_s"]),
            ("", ours["e2sfca_from_points"],
             "same + the cKDTree pairs and cost DataFrame it was given",
             acc["access_median_s"] + acc["pairs_median_s"]),
            *[("", ours["e2sfca_from_points"],
               "hand-written scipy cKDTree ("
               + (", ".join(f"{k}={o}" for k, o in v["options"].items()) or "default options")
               + ") + numpy bincount, from the points", v["median_s"])
              for v in acc["ckdtree"].values()],
            ("E2SFCA, cost structure given", ours["e2sfca_given_costs"],
             f"access enhanced_two_stage_fca, given the {pairs} pairs", acc["access_median_s"]),
        ]
    if acc and ours["e2sfca_from_points"] and ours["e2sfca_given_costs"]:
        acc["ratios"] = {
            "access_over_safemap_from_points": acc["access_median_s"] / ours["e2sfca_from_points"],
            "access_and_pairs_over_safemap_from_points":
                (acc["access_median_s"] + acc["pairs_median_s"]) / ours["e2sfca_from_points"],
            **{f"ckdtree_{name}_over_safemap_from_points": v["median_s"] / ours["e2sfca_from_points"]
               for name, v in acc["ckdtree"].items()},
            "access_over_safemap_given_costs": acc["access_median_s"] / ours["e2sfca_given_costs"],
        }
    out = ["", "| task | safemap median | peer | peer median | peer / safemap |", "|---|---|---|---|---|"]
    for task, s, peer, p in rows:
        if p is None:
            continue  # skipped (--skip-...)
        ratio = f"{p / s:.1f}x" if s else "-"
        out.append(f"| {task} | {fmt_s(s)} | {peer} | {fmt_s(p)} | {ratio} |")
    for name in ("esda_gi_star", "esda_local_moran"):
        if name in results:
            r = results[name]
            out.append(f"\nnumba compile ({name}): first call {fmt_s(r['first_call_s'])}, "
                       f"so about {fmt_s(r['compile_s_estimate'])} of compilation (not in the median)")
    for name, c in results.get("checks", {}).items():
        pp = c["pseudo_p"]
        out.append(
            f"check {name}: {c['column']} vs esda over {c['compared']} areas: max |diff| "
            f"{c['max_abs_diff']:.2e}, max rel {c['max_rel_diff']:.2e} -> "
            f"{'equal to 1e-9' if c['within_1e-9'] else 'NOT equal to 1e-9'}; pseudo p: mean |diff| "
            f"{pp['mean_abs_diff']:.5f} vs {pp['expected_mean_abs_diff']:.5f} expected from Monte Carlo "
            f"error, mean diff {pp['mean_diff']:+.5f}, share p<=0.05 {pp['share_significant_005'][0]:.4f} "
            f"(safemap) / {pp['share_significant_005'][1]:.4f} (esda) over {pp['compared']} areas -> "
            f"{'agree' if pp['ok'] else 'DISAGREE'}; {pp['tied_areas']} areas whose neighbours all "
            f"have value 0 (ties) are apart: p = 1/(R+1) for {pp['tied_at_floor'][0]} (safemap) and "
            f"{pp['tied_at_floor'][1]} (esda)"
        )
    for name, c in (acc or {}).get("checks", {}).items():
        out.append(
            f"check e2sfca {name}: per-area access vs safemap over {c['compared']} areas: max rel "
            f"{c['max_rel_diff']:.2e}; {c['no_service_in_reach']} areas with no service within 3 km "
            f"(safemap 0, {'access NaN' if name == 'access' else 'cKDTree version 0'}), "
            f"{c['none_mismatched']} mismatched -> "
            f"{'equal to 1e-9' if c['within_1e-9'] else 'NOT equal to 1e-9'}"
        )
    manifest = study / "manifest.json"
    if manifest.exists():
        timings = json.loads(manifest.read_text()).get("timings_ms", {})
        out.append("\nsafemap national study, whole pipeline (manifest timings_ms):")
        if isinstance(timings, dict):
            timings = [{"step": k, "ms": v} for k, v in timings.items()]
        total = sum(t.get("ms", 0) for t in timings)
        for t in timings:
            out.append(f"  {t.get('step')}: {t.get('ms')} ms")
        out.append(f"  total of the steps: {total} ms")
    out.append(f"\nload average at the end: {os.getloadavg()}")
    print("\n".join(out), flush=True)
    results["table"] = out


def versions() -> dict:
    import importlib.metadata as md

    names = ["esda", "libpysal", "access", "numba", "numpy", "scipy", "pandas", "geopandas", "shapely",
             "pyogrio"]
    def version(name: str) -> str | None:
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return None

    return {n: version(n) for n in names}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--study", default=str(REPO / "target" / "peers" / "national"))
    ap.add_argument("--criterion-dir", default=str(REPO / "target" / "criterion"))
    ap.add_argument("--out", default=str(REPO / "target" / "peers" / "results.json"))
    ap.add_argument("--access-inputs", default=str(REPO / "target" / "peers" / "access"),
                    help="the access_inputs example's output directory")
    ap.add_argument("--reps", type=int, default=3, help="timed repetitions (median taken)")
    ap.add_argument("--fast-reps", type=int, default=20,
                    help="timed repetitions of the sub-second peers (cKDTree version and pairs)")
    ap.add_argument("--permutations", type=int, default=999)
    ap.add_argument("--jobs", type=int, default=2, help="esda n_jobs")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip-esda", action="store_true", help="skip Gi* and Local Moran")
    ap.add_argument("--skip-weights", action="store_true")
    ap.add_argument("--skip-queen", action="store_true", help="skip Queen.from_dataframe")
    ap.add_argument("--skip-join", action="store_true")
    ap.add_argument("--skip-access", action="store_true", help="skip E2SFCA (access, cKDTree)")
    ap.add_argument("--skip-lean", action="store_true", help="skip the keep_simulations=False runs")
    ap.add_argument("--table-only", action="store_true", help="reprint the table from --out")
    args = ap.parse_args()
    study = Path(args.study)

    if args.table_only:
        results = json.loads(Path(args.out).read_text())
        report(args, results, study)
        return

    results = {"versions": versions(), "cpus": os.cpu_count(), "load_at_start": os.getloadavg(),
               "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "args": vars(args)}
    log(f"versions {results['versions']}; {os.cpu_count()} cpus; load {os.getloadavg()}")
    if not args.skip_esda:
        safemap_w = bench_esda(args, results, study)
    elif not args.skip_weights:
        import libpysal

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            safemap_w = neighbour_sets(libpysal.io.open(str(study / "weights.gal")).read())
    if not args.skip_weights:
        bench_weights(args, results, safemap_w)
    if not args.skip_join:
        bench_join(args, results)
    if not args.skip_access:
        bench_access(args, results)
    report(args, results, study)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1, default=str))
    ok = all(c["within_1e-9"] and c["pseudo_p"]["ok"] for c in results.get("checks", {}).values())
    ok = ok and all(c["within_1e-9"] for c in results.get("access", {}).get("checks", {}).values())
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
