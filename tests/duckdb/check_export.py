"""Reads a `safemap export geoparquet` folder with DuckDB spatial and checks it against the
results directory `safemap run` wrote for the same study.

    python check_export.py EXPORT_DIR RESULTS_DIR

Checks, each an assertion that names what differs:

1. DuckDB reads the geometry columns as GEOMETRY with the CRS of the file metadata
   (EPSG:27700), the points inside the areas' bounding box.
2. Per source and area, the events counted by their `area_code`, the events counted again
   by DuckDB's own point-in-polygon join (ST_Intersects, a point on a shared edge going to
   the lowest `area_id`, safemap's `lowest_area_id` rule), and the cube's counts summed over
   months and categories all equal the `{source}_all_count` column of `areas.csv`.
3. The cube equals `counts.csv` cell for cell.

The spatial extension comes from PyPI (`duckdb-extension-spatial`, the same version as
`duckdb`) and is loaded from its file; DuckDB may not fetch anything.
"""

import csv
import os
import sys
from collections import Counter

import duckdb
import duckdb_extension_spatial


def connect():
    extension = os.path.join(
        os.path.dirname(duckdb_extension_spatial.__file__),
        "extensions",
        f"v{duckdb.__version__}",
        "spatial.duckdb_extension",
    )
    con = duckdb.connect(
        config={
            "autoinstall_known_extensions": "false",
            "autoload_known_extensions": "false",
        }
    )
    con.execute(f"LOAD '{extension}'")
    return con


def main(export, results):
    con = connect()
    events = f"read_parquet('{export}/events/*/*.parquet', hive_partitioning = true)"
    cube = f"read_parquet('{export}/counts/*/*.parquet', hive_partitioning = true)"
    areas = f"read_parquet('{export}/areas.parquet')"

    # 1. Geometry and CRS understood from the files.
    for name, table in [("events", events), ("cube", cube), ("areas", areas)]:
        kind, crs = con.sql(
            f"SELECT typeof(geometry), ST_CRS(geometry) FROM {table} "
            "WHERE geometry IS NOT NULL LIMIT 1"
        ).fetchone()
        assert kind.startswith("GEOMETRY"), f"{name}: geometry read as {kind}"
        assert crs is not None and "27700" in crs, f"{name}: CRS read as {crs!r}"
    outside = con.sql(
        f"""SELECT count(*) FROM {events}, (SELECT ST_Extent_Agg(geometry) AS box FROM {areas})
            WHERE NOT ST_Intersects(geometry, box::GEOMETRY)"""
    ).fetchone()[0]
    assert outside == 0, f"{outside} event points lie outside the areas' bounding box"

    # 2. Per-area counts, three ways, against areas.csv.
    with open(os.path.join(results, "areas.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    sources = [r[0] for r in con.sql(f"SELECT DISTINCT source FROM {events}").fetchall()]
    assert sources, "no events were exported"
    by_code = Counter(
        {
            (source, code): n
            for source, code, n in con.sql(
                f"SELECT source, area_code, count(*) FROM {events} GROUP BY ALL"
            ).fetchall()
        }
    )
    by_polygon = Counter(
        {
            (source, code): n
            for source, code, n in con.sql(
                f"""WITH e AS (SELECT row_number() OVER () AS id, source, geometry FROM {events}),
                         hit AS (SELECT e.id, e.source, min(a.area_id) AS area_id
                                 FROM e JOIN {areas} a ON ST_Intersects(a.geometry, e.geometry)
                                 GROUP BY e.id, e.source)
                    SELECT hit.source, a.code, count(*)
                    FROM hit JOIN {areas} a USING (area_id) GROUP BY ALL"""
            ).fetchall()
        }
    )
    by_cube = Counter(
        {
            (source, code): int(n)
            for source, code, n in con.sql(
                f"""SELECT source, area_code, sum(count) FROM {cube}
                    WHERE NOT starts_with(category, 'flag_') GROUP BY ALL"""
            ).fetchall()
        }
    )
    compared, without_value = 0, 0
    for source in sources:
        column = f"{source}_all_count"
        for row in rows:
            key = (source, row["code"])
            got = (by_code[key], by_polygon[key], by_cube[key])
            if row[column] == "":
                # No data for some month: areas.csv has no total; the months with data are
                # exported and counted alike.
                assert got[0] == got[1] == got[2], f"{key}: {got}"
                without_value += got[0]
                continue
            expected = int(row[column])
            assert got == (expected,) * 3, (
                f"{source} in {row['code']}: areas.csv says {expected}, "
                f"DuckDB counts (by area_code, by ST_Intersects, cube) {got}"
            )
            compared += expected
    total = sum(by_code.values())
    assert compared + without_value == total, (
        f"areas.csv accounts for {compared} + {without_value} of {total} events"
    )

    # 3. The cube is counts.csv.
    with open(os.path.join(results, "counts.csv"), newline="") as f:
        expected_cube = sorted(
            (r["code"], r["source"], r["category"], r["month"], int(r["count"]))
            for r in csv.DictReader(f)
        )
    got_cube = sorted(
        (code, source, category, month, int(n))
        for code, source, category, month, n in con.sql(
            f"SELECT area_code, source, category, month, count FROM {cube}"
        ).fetchall()
    )
    assert got_cube == expected_cube, "the cube differs from counts.csv"

    print(
        f"duckdb {duckdb.__version__}: {total} events in {len(sources)} sources, "
        f"{len(got_cube)} cube cells and {len(rows)} areas agree with areas.csv and counts.csv"
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
