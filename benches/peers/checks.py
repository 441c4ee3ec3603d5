"""Agreement checks between safemap and the peers: per-area join counts, esda's Gi* and Local
Moran (1e-9 and Monte Carlo bounds on the pseudo p-values), and E2SFCA per area."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def read_counts(path: Path) -> pd.Series:
    df = pd.read_csv(path, dtype={"code": str})
    return df.set_index("code")["count"].astype(np.int64)


def join_agreement(safemap_csv: Path, peers: dict[str, Path]) -> dict:
    """Each peer's counts against safemap's, area by area.

    safemap writes `count` (its default edge rule, `lowest_area_id`: a point on a boundary
    goes to the lowest-numbered area whose closed polygon holds it) and `count_exclude`
    (`EdgeRule::Exclude`: such a point goes to no area). Every peer here asks for contains /
    within, which drops boundary points, so a peer agrees, with every difference explained,
    when its counts equal `count_exclude` in every area; the points it then differs from
    safemap by are exactly the points on a boundary. Anything else is unexplained.
    """
    ours = pd.read_csv(safemap_csv, dtype={"code": str}).set_index("code")
    edge_points = int(ours["count"].sum() - ours["count_exclude"].sum())
    out = {"areas": len(ours), "safemap_joined": int(ours["count"].sum()),
           "safemap_joined_exclude": int(ours["count_exclude"].sum()),
           "boundary_points": edge_points,
           "areas_with_boundary_points": int((ours["count"] != ours["count_exclude"]).sum()),
           "peers": {}}
    for tool, path in peers.items():
        theirs = read_counts(path).reindex(ours.index, fill_value=0)
        unknown = sorted(set(read_counts(path).index) - set(ours.index))
        vs_default = theirs - ours["count"]
        vs_exclude = theirs - ours["count_exclude"]
        bad = vs_exclude[vs_exclude != 0]
        out["peers"][tool] = {
            "joined": int(theirs.sum()),
            "points_differing_from_safemap": int(vs_default.abs().sum()),
            "areas_differing_from_safemap": int((vs_default != 0).sum()),
            "equals_safemap_exclude": bool(len(bad) == 0 and not unknown),
            "unexplained_areas": {k: int(v) for k, v in bad.head(10).items()},
            "unexplained_area_count": int(len(bad)),
            "unexplained_points": int(bad.abs().sum()),
            "unknown_codes": unknown[:10],
        }
    out["ok"] = all(p["equals_safemap_exclude"] for p in out["peers"].values())
    return out


def pseudo_p_agreement(p_safemap: np.ndarray, p_esda: np.ndarray, r: int,
                       tied: np.ndarray) -> dict:
    """Two pseudo p-value estimates from different random draws, on the areas whose observed
    neighbour sum is not 0 (`~tied`).

    Where every neighbour has the minimum value 0, many permuted neighbour sums tie with the
    observed one: esda counts ties only upwards, so its folded p is 1/(R+1) there, while
    safemap counts them in both tails (benches/README.md). Those areas are reported apart. On
    the others the mean |difference| is compared with what Monte Carlo error alone gives
    (normal approximation, binomial variance of each estimate). Both tools share one set of
    random neighbour tuples between all sites, so all of one run's p-values move together:
    the mean difference varies between seeds far more than independent draws would (esda
    against esda moves by up to 0.005 between seeds here), hence the loose bounds.
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
        "tied_at_floor": [int((p_safemap[tied] <= floor).sum()),
                          int((p_esda[tied] <= floor).sum())],
        "ok": bool(observed <= 2.5 * expected and abs(bias) <= 0.01),
    }


def statistic_agreement(ours: np.ndarray, theirs: np.ndarray, p_ours: np.ndarray,
                        p_theirs: np.ndarray, keep: np.ndarray, tied: np.ndarray,
                        permutations: int) -> dict:
    """safemap's statistic against esda's to 1e-9 (relative, or absolute below 1) over the
    areas that are not islands, and the pseudo p-values within Monte Carlo error."""
    both = keep & np.isfinite(ours)
    diff = np.abs(ours[both] - theirs[both])
    rel = diff / np.maximum(np.abs(theirs[both]), 1.0)
    out = {
        "compared": int(both.sum()),
        "missing_in_safemap": int((keep & ~np.isfinite(ours)).sum()),
        "max_abs_diff": float(diff.max()) if diff.size else 0.0,
        "max_rel_diff": float(rel.max()) if rel.size else 0.0,
        "pseudo_p": pseudo_p_agreement(p_ours[both], p_theirs[both], permutations, tied[both]),
    }
    out["within_1e-9"] = bool(out["max_rel_diff"] <= 1e-9 and out["missing_in_safemap"] == 0)
    out["ok"] = out["within_1e-9"] and out["pseudo_p"]["ok"]
    return out


def access_agreement(ours: np.ndarray, theirs: np.ndarray, none_is_nan: bool) -> dict:
    """Per-area E2SFCA against safemap's: relative difference where safemap's access is > 0;
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
    out["ok"] = bool(out["none_mismatched"] == 0 and max_rel <= 1e-9)
    return out
