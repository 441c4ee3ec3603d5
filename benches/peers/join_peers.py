#!/usr/bin/env python3
"""Point-in-polygon join and count per area by one peer: GeoPandas, DuckDB spatial, PostGIS or
SedonaDB, on the BNG boundary file and an incident CSV of the synthetic workload.

Load (not timed in the median, reported as load_s): the polygons and the points read into
the tool's own form (a GeoDataFrame with its STRtree built; a DuckDB table; a PostGIS table
with a GiST index on the polygons, analysed; a SedonaDB in-memory table). Timed: the join
and the count per area, from those tables to the counts in Python.

Every tool is asked for `contains` (GeoPandas: `within`): a point exactly on an area's
boundary is in no area (OGC DE-9IM: it touches the boundary but not the interior), so points
on shared edges and on the outer boundary are dropped. safemap's `EdgeRule::Exclude` is the
same rule; its default `LowestAreaId` gives such a point to the lowest-numbered area.
"""

from __future__ import annotations

import argparse
import glob
import os
import time
from pathlib import Path

import common


def geopandas_join(args):
    import geopandas as gpd
    import numpy as np

    t0 = time.perf_counter()
    areas = gpd.read_file(args.boundaries, engine="pyogrio", columns=[common.CODE])
    x, y = common.read_events_xy(args.events)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=areas.crs)
    load_s = time.perf_counter() - t0
    # sjoin turns "within" into "contains" over the STRtree of the points (the left frame),
    # which it builds on first use and keeps: built here, outside the timing, as the other
    # tools' persistent indexes.
    t0 = time.perf_counter()
    points.sindex
    index_s = time.perf_counter() - t0

    def run():
        j = gpd.sjoin(points, areas, predicate="within", how="inner")
        return j.groupby(common.CODE).size()

    times, counts = common.timed(run, args.reps)
    return load_s, times, dict(zip(counts.index, counts.to_numpy(dtype=np.int64))), {
        "points": len(points), "index_s": index_s}


def duckdb_connect(threads: int):
    """A DuckDB connection with the spatial extension of the `duckdb-extension-spatial`
    wheel loaded from its file: nothing is downloaded (autoinstall and autoload off)."""
    import duckdb
    import duckdb_extension_spatial

    found = glob.glob(str(Path(duckdb_extension_spatial.__file__).parent / "extensions" / "*"
                          / "spatial.duckdb_extension"))
    if len(found) != 1:
        raise SystemExit(f"duckdb-extension-spatial: expected one extension file, found {found}")
    con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False, "threads": threads})
    con.execute(f"LOAD '{found[0]}'")
    return con


def duckdb_join(args):
    t0 = time.perf_counter()
    con = duckdb_connect(args.threads)
    con.execute(f"CREATE TABLE areas AS SELECT {common.CODE} AS code, geom FROM ST_Read(?)",
                [str(args.boundaries)])
    con.execute(f"CREATE TABLE points AS SELECT ST_Point({common.X_COLUMN}, {common.Y_COLUMN}) "
                "AS geom FROM read_csv(?, header = true)", [str(args.events)])
    n = con.execute("SELECT count(*) FROM points").fetchone()[0]
    load_s = time.perf_counter() - t0
    sql = ("SELECT a.code, count(*) FROM areas a JOIN points p ON ST_Contains(a.geom, p.geom) "
           "GROUP BY a.code")

    times, rows = common.timed(lambda: con.execute(sql).fetchall(), args.reps)
    plan = con.execute("EXPLAIN " + sql).fetchall()
    spatial_join = any("SPATIAL_JOIN" in str(r) for r in plan)
    return load_s, times, dict(rows), {"points": n, "spatial_join_operator": spatial_join}


def postgis_join(args):
    import psycopg
    import shapely
    import pyogrio

    t0 = time.perf_counter()
    con = psycopg.connect(args.pg_dsn, autocommit=True)
    con.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    con.execute("DROP TABLE IF EXISTS areas, points")
    con.execute("CREATE UNLOGGED TABLE areas (code text, geom geometry(Geometry, 27700))")
    df = pyogrio.read_dataframe(args.boundaries, columns=[common.CODE])
    ewkb = shapely.to_wkb(shapely.set_srid(df.geometry.values, 27700), hex=True, include_srid=True)
    with con.cursor().copy("COPY areas (code, geom) FROM STDIN") as copy:
        for row in zip(df[common.CODE], ewkb):
            copy.write_row(row)
    con.execute("CREATE UNLOGGED TABLE staging (incident_id text, occurred_at text, "
                "easting float8, northing float8, offence text, domestic_abuse text)")
    with con.cursor().copy("COPY staging FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, \
            open(args.events, "rb") as f:
        while chunk := f.read(1 << 20):
            copy.write(chunk)
    con.execute("CREATE UNLOGGED TABLE points AS SELECT ST_SetSRID(ST_MakePoint(easting, "
                "northing), 27700)::geometry(Point, 27700) AS geom FROM staging")
    con.execute("DROP TABLE staging")
    n = con.execute("SELECT count(*) FROM points").fetchone()[0]
    load_s = time.perf_counter() - t0
    # GiST indexes on both tables (the planner then loops over the areas and finds each
    # one's points through the index, so PostGIS prepares each polygon once), analysed:
    # built outside the timing, reported as index_s.
    t0 = time.perf_counter()
    con.execute("CREATE INDEX ON areas USING gist (geom)")
    con.execute("CREATE INDEX ON points USING gist (geom)")
    con.execute("VACUUM ANALYZE areas")
    con.execute("VACUUM ANALYZE points")
    index_s = time.perf_counter() - t0
    sql = ("SELECT a.code, count(*) FROM areas a JOIN points p ON ST_Contains(a.geom, p.geom) "
           "GROUP BY a.code")
    # Two cores: the leader and one parallel worker.
    con.execute(f"SET max_parallel_workers_per_gather = {max(args.threads - 1, 0)}")
    times, rows = common.timed(lambda: con.execute(sql).fetchall(), args.reps)
    plan = "\n".join(r[0] for r in con.execute("EXPLAIN " + sql).fetchall())
    backend = con.execute("SELECT pg_backend_pid()").fetchone()[0]
    server_peak_kb = None
    try:
        status = Path(f"/proc/{backend}/status").read_text()
        server_peak_kb = int(next(l for l in status.splitlines() if l.startswith("VmHWM")).split()[1])
    except (OSError, StopIteration):
        pass
    version = con.execute("SELECT postgis_lib_version()").fetchone()[0]
    con.execute("DROP TABLE areas, points")
    return load_s, times, dict(rows), {"points": n, "plan": plan, "index_s": index_s,
                                       "server_backend_peak_kb": server_peak_kb,
                                       "postgis_version": version}


def sedona_join(args):
    import pyarrow as pa
    import sedonadb

    t0 = time.perf_counter()
    sd = sedonadb.connect()
    sd.read_pyogrio(str(args.boundaries)).to_memtable().to_view("areas")
    x, y = common.read_events_xy(args.events)
    sd.create_data_frame(pa.table({"x": x, "y": y})).to_view("xy")
    sd.sql("SELECT ST_SetSRID(ST_Point(x, y), 27700) AS geom FROM xy").to_memtable().to_view(
        "points")
    n = sd.sql("SELECT count(*) AS n FROM points").to_pandas()["n"][0]
    geom = [c for c in sd.view("areas").columns if c != common.CODE][0]
    load_s = time.perf_counter() - t0
    sql = (f"SELECT a.{common.CODE} AS code, count(*) AS n FROM areas a JOIN points p "
           f"ON ST_Contains(a.{geom}, p.geom) GROUP BY a.{common.CODE}")

    def run():
        df = sd.sql(sql).to_pandas()
        return dict(zip(df["code"], df["n"]))

    times, counts = common.timed(run, args.reps)
    return load_s, times, counts, {"points": int(n)}


TOOLS = {"geopandas": geopandas_join, "duckdb": duckdb_join, "postgis": postgis_join,
         "sedonadb": sedona_join}


def main() -> None:
    ap = common.base_args(argparse.ArgumentParser(description=__doc__.split("\n")[0]))
    ap.add_argument("tool", choices=sorted(TOOLS))
    ap.add_argument("--boundaries", type=Path, required=True, help="BNG GeoJSON (peer_tasks)")
    ap.add_argument("--events", type=Path, required=True)
    ap.add_argument("--counts", type=Path, required=True, help="code,count written here")
    ap.add_argument("--pg-dsn", default=os.environ.get("SAFEMAP_PEERS_PG_DSN", ""))
    args = ap.parse_args()
    load_s, times, counts, facts = TOOLS[args.tool](args)
    common.write_counts(args.counts, counts)
    common.emit(load_s, times, joined=int(sum(counts.values())), areas_with_points=len(counts),
                **facts)


if __name__ == "__main__":
    main()
