"""The point-in-polygon join and per-area count of a `safemap export geoparquet` folder,
done by Dask-GeoPandas on a local `dask.distributed` cluster of worker processes (the same
code runs on a cluster of machines: only the scheduler address changes), and checked
against safemap's own per-area counts.

    python dask_join.py --export DIR --results DIR [--source NAME]
                        [--boundaries F --id-field CODE] [--workers 2]

Inputs:

- `DIR/events/month=*/part-0.parquet`: the exported events (GeoParquet, points in British
  National Grid), one Dask partition per month.
- `DIR/areas.parquet`: the study's areas as safemap joined them: the boundary file's
  polygons reprojected to British National Grid with OSTN15, in boundary-file order
  (`area_id`). GeoPandas would reproject the WGS84 boundary file with PROJ, which without
  the OSTN15 grid (a download, not in the wheels) is a Helmert approximation metres away
  from OSTN15: points near an edge would change area. With `--boundaries` the script checks
  that the area layer is that file's areas, in its order, by code.
- `RESULTS/areas.csv`: safemap's counts (`{source}_all_count`).

The edge rule is safemap's `lowest_area_id`: a point in the closed polygon (interior or
boundary) of several areas, i.e. on a shared edge or vertex, goes to the area that comes
first in the boundary file. Here: `sjoin(predicate="intersects")` (closed polygons, GEOS's
exact predicates on the same f64 coordinates), then the lowest `area_id` per point. The
areas are broadcast to every worker once; each month's partition is joined where it lies.
Prints the times and exits 1 unless every area's count agrees exactly.
"""

import argparse
import csv
import sys
import time

import dask
import dask_geopandas
import geopandas
import pandas as pd
import pyarrow.parquet
import pyogrio
from dask.distributed import Client, LocalCluster


def count_partition(part, areas, source):
    """Events per area_id of one partition, each event in its lowest-id closed polygon."""
    part = part[part["source"] == source].reset_index(drop=True)
    hits = geopandas.sjoin(
        part[["geometry"]], areas[["area_id", "geometry"]], predicate="intersects"
    )
    lowest = hits.groupby(level=0)["area_id"].min()
    unjoined = len(part) - len(lowest)
    counts = lowest.value_counts()
    # The events no area holds, under the key -1 (safemap joined every exported event).
    return pd.concat([counts, pd.Series({-1: unjoined})]).astype("int64")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--export", required=True, help="a safemap export geoparquet folder")
    p.add_argument("--results", required=True, help="the safemap run results folder")
    p.add_argument("--source", help="the source whose events to count (default: the only one)")
    p.add_argument("--boundaries", help="the boundary file, to check the area layer against")
    p.add_argument("--id-field", default="LSOA11CD", help="its code property")
    p.add_argument("--workers", type=int, default=2, help="worker processes")
    args = p.parse_args()

    started = time.perf_counter()
    areas = geopandas.read_parquet(f"{args.export}/areas.parquet", columns=["area_id", "code", "geometry"])
    assert areas.crs is not None and areas.crs.to_epsg() == 27700, f"areas CRS: {areas.crs}"
    assert list(areas["area_id"]) == list(range(len(areas))), "areas are not in area_id order"
    if args.source is None:
        names = pyarrow.parquet.read_schema(f"{args.export}/areas.parquet").names
        sources = [n[: -len("_all_count")] for n in names if n.endswith("_all_count")]
        assert len(sources) == 1, f"name the source with --source: the export has {sources}"
        args.source = sources[0]
    if args.boundaries:
        path = f"/vsigzip/{args.boundaries}" if args.boundaries.endswith(".gz") else args.boundaries
        codes = pyogrio.read_dataframe(path, columns=[args.id_field], read_geometry=False)
        assert list(codes[args.id_field]) == list(areas["code"]), (
            f"{args.export}/areas.parquet is not {args.boundaries} in its order"
        )
    read_areas = time.perf_counter() - started

    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True)
    client = Client(cluster)
    try:
        started = time.perf_counter()
        # One copy of the areas on every worker, shared by all its tasks (and their index).
        [areas_on_workers] = client.scatter([areas], broadcast=True)
        events = dask_geopandas.read_parquet(f"{args.export}/events", columns=["source", "geometry"])
        assert events.crs is not None and events.crs.to_epsg() == 27700, f"events CRS: {events.crs}"
        per_partition = events.map_partitions(
            count_partition,
            areas_on_workers,
            args.source,
            meta=pd.Series(dtype="int64"),
            align_dataframes=False,
        )
        counted = per_partition.compute().groupby(level=0).sum()
        joined = time.perf_counter() - started
        partitions = events.npartitions
    finally:
        client.close()
        cluster.close()

    unjoined = int(counted.pop(-1)) if -1 in counted.index else 0
    by_code = {areas["code"].iloc[i]: int(n) for i, n in counted.items()}
    column = f"{args.source}_all_count"
    with open(f"{args.results}/areas.csv", newline="") as f:
        expected = {r["code"]: int(r[column]) for r in csv.DictReader(f) if r[column] != ""}
    differ = {
        code: (n, by_code.get(code, 0))
        for code, n in expected.items()
        if by_code.get(code, 0) != n
    }
    total = sum(by_code.values())
    print(
        f"dask {dask.__version__}, dask-geopandas {dask_geopandas.__version__}, geopandas "
        f"{geopandas.__version__}: {args.workers} worker processes, {partitions} partitions, "
        f"{total} events joined to {len(areas)} areas in {joined:.1f} s "
        f"(reading the areas {read_areas:.1f} s before); {unjoined} in no area"
    )
    if differ or unjoined:
        shown = list(differ.items())[:10]
        print(f"DISAGREE: {len(differ)} areas differ from safemap's {column} (safemap, dask): {shown}")
        sys.exit(1)
    print(f"agree: every one of the {len(expected)} areas has safemap's {column} exactly")


if __name__ == "__main__":
    main()
