#!/usr/bin/env python3
"""Regenerates the service-access reference values (PySAL `access` and `spopt`).

Run from the repository root:  bash scripts/reference/make_reference.sh

Outputs (committed under tests/reference/):
  plymouth_gp_cost.csv   the distance matrix both sides use: Plymouth LSOA11 (E06000026)
                         centroids (of the polygons projected to British National Grid by pyproj) to every GP
                         practice of ../shared/data/services/nhs-choices-2019/GP.csv within
                         10 km of one of them, straight-line metres rounded to 0.1 m. safemap
                         reads it as a travel-cost matrix (tests/studies/plymouth-gp-access.toml),
                         so the comparison is of the formulas, not of two projections.
  plymouth_gp_access.csv access 1.1.10 two_stage_fca (2 km) and enhanced_two_stage_fca
                         (step weights 1 / 0.68 / 0.22 up to 1 / 2 / 3 km) per LSOA, mid-2019
                         population as demand, capacity 1 per practice, not normalised
  plymouth_gp_access.json provenance and parameters
  mclp_spopt.json        a small seeded maximal-covering instance (demand weights, candidate
                         costs, radius, p) and spopt's MCLP (CBC via PuLP) covered weight
"""
import csv
import json
import platform
import sys
from pathlib import Path

import access
import geopandas
import numpy
import pandas
import pulp
import pyproj
import shapely
import spopt
from access import Access, weights
from spopt.locate import MCLP

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "reference"
DATA = ROOT.parent / "shared" / "data"
BOUNDARIES = DATA / "boundaries" / "uk-geojson" / "lsoa11" / "E06000026.json"
POPULATION = DATA / "population" / "population19_lsoa11.csv"
GP = DATA / "services" / "nhs-choices-2019" / "GP.csv"
WITHIN_M = 10_000.0


def provenance() -> dict:
    return {
        "generator": "scripts/reference/make_access_reference.py",
        "python": platform.python_version(),
        "access": access.__version__ if hasattr(access, "__version__") else "1.1.10.post3",
        "spopt": spopt.__version__,
        "pulp": pulp.__version__,
        "geopandas": geopandas.__version__,
        "pyproj": pyproj.__version__,
        "shapely": shapely.__version__,
        "numpy": numpy.__version__,
    }


def plymouth_gp() -> None:
    to_bng = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    areas = geopandas.read_file(BOUNDARIES)
    centroids = areas.geometry.to_crs("EPSG:27700").centroid
    cx, cy = centroids.x.values, centroids.y.values
    population = pandas.read_csv(POPULATION, usecols=["lsoa11_code", "total_population"])
    demand = areas[["LSOA11CD"]].merge(
        population, left_on="LSOA11CD", right_on="lsoa11_code", how="left", validate="1:1"
    )
    assert demand.total_population.notna().all()
    gp = pandas.read_csv(GP, sep="¬", encoding="cp1252", engine="python")
    gp = gp[gp.Latitude.notna() & gp.Longitude.notna()]
    gx, gy = to_bng.transform(gp.Longitude.values, gp.Latitude.values)
    d = numpy.hypot(cx[:, None] - gx[None, :], cy[:, None] - gy[None, :])
    near = (d <= WITHIN_M).any(axis=0)
    codes = gp.OrganisationCode.values
    rows = []
    for i, code in enumerate(demand.LSOA11CD):
        for j in numpy.flatnonzero(near):
            if d[i, j] <= WITHIN_M:
                rows.append((code, codes[j], round(float(d[i, j]), 1)))
    path = OUT / "plymouth_gp_cost.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["lsoa11_code", "gp_code", "metres"])
        w.writerows(rows)
    print(f"wrote {path} ({len(rows)} pairs, {int(near.sum())} practices)", file=sys.stderr)

    cost = pandas.DataFrame(rows, columns=["origin", "dest", "cost"])
    demand_df = pandas.DataFrame(
        {"geoid": demand.LSOA11CD.values, "pop": demand.total_population.astype(float).values}
    )
    supply_df = pandas.DataFrame({"geoid": codes[near], "doc": 1.0})
    a = Access(
        demand_df=demand_df,
        demand_index="geoid",
        demand_value="pop",
        supply_df=supply_df,
        supply_index="geoid",
        supply_value="doc",
        cost_df=cost,
        cost_origin="origin",
        cost_dest="dest",
        cost_name="cost",
    )
    two = a.two_stage_fca(name="2sfca", max_cost=2000.0, normalize=False)
    step = weights.step_fn({1000.0: 1.0, 2000.0: 0.68, 3000.0: 0.22})
    enh = a.enhanced_two_stage_fca(name="e2sfca", weight_fn=step, max_cost=3000.0, normalize=False)
    path = OUT / "plymouth_gp_access.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "population", "two_sfca_2km", "e2sfca_3km"])
        for code in demand.LSOA11CD:
            pop = demand_df.set_index("geoid").loc[code, "pop"]
            w.writerow([code, int(pop), repr(float(two.loc[code].iloc[0])),
                        repr(float(enh.loc[code].iloc[0]))])
    print(f"wrote {path}", file=sys.stderr)
    meta = {
        "provenance": provenance(),
        "boundaries": str(BOUNDARIES.relative_to(DATA.parent.parent)),
        "population": str(POPULATION.relative_to(DATA.parent.parent)),
        "services": str(GP.relative_to(DATA.parent.parent)),
        "demand": "centroids of the LSOA11 polygons projected to EPSG:27700 by pyproj (geopandas)",
        "supply": "GP practices within 10 km of a centroid, capacity 1",
        "two_sfca": {"max_cost_m": 2000.0},
        "e2sfca": {"max_cost_m": 3000.0, "steps": [[1000.0, 1.0], [2000.0, 0.68], [3000.0, 0.22]]},
        "areas": len(demand),
        "practices": int(near.sum()),
        "pairs": len(rows),
    }
    path = OUT / "plymouth_gp_access.json"
    path.write_text(json.dumps(meta, indent=1) + "\n")
    print(f"wrote {path}", file=sys.stderr)


def mclp() -> None:
    """A seeded instance small enough to read, solved by spopt's MCLP with CBC."""
    rng = numpy.random.default_rng(20261203)
    n_demand, n_sites, p, radius = 60, 25, 4, 1500.0
    demand_xy = rng.uniform(0, 10_000, size=(n_demand, 2))
    site_xy = rng.uniform(0, 10_000, size=(n_sites, 2))
    weight = rng.integers(1, 500, size=n_demand)
    cost = numpy.round(
        numpy.hypot(*(demand_xy[:, None, :] - site_xy[None, :, :]).transpose(2, 0, 1)), 1
    )
    model = MCLP.from_cost_matrix(cost, weight, service_radius=radius, p_facilities=p,
                                  name="mclp")
    model = model.solve(pulp.PULP_CBC_CMD(msg=False))
    chosen = [j for j in range(n_sites) if model.fac2cli[j]]
    covered = (cost[:, chosen] <= radius).any(axis=1)
    result = {
        "provenance": provenance(),
        "p": p,
        "radius_m": radius,
        "weights": weight.tolist(),
        "cost": cost.tolist(),
        "spopt_sites": chosen,
        "spopt_covered_weight": int(weight[covered].sum()),
        "spopt_perc_cov": float(model.perc_cov),
    }
    path = OUT / "mclp_spopt.json"
    path.write_text(json.dumps(result) + "\n")
    print(f"wrote {path}: sites {chosen}, covered {result['spopt_covered_weight']}",
          file=sys.stderr)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    plymouth_gp()
    mclp()
