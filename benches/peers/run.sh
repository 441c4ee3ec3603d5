#!/usr/bin/env bash
# safemap against its peers, in one command (issue 15): GeoPandas, DuckDB spatial, PostGIS,
# SedonaDB, libpysal, esda, KDEpy and PySAL access on the same inputs as safemap, in one run.
#
#   bash benches/peers/run.sh            # the full comparison (about an hour on 2 cores)
#   bash benches/peers/run.sh --quick    # development: 2,000 areas, 200k events, 1 repetition
#
# Any other argument goes to benches/peers/bench.py (`--help` lists them: --reps N,
# --only join,hotspots, --report-only ...).
#
# It installs what it needs, and downloads nothing else:
#   1. PostgreSQL, PostGIS and GNU time (peak memory) from Debian's packages when missing
#      (needs root; without root and without PostGIS, PostGIS is left out);
#   2. a venv (${SAFEMAP_PEERS_VENV:-target/peers-venv}) with benches/peers/requirements.txt
#      from PyPI (DuckDB's spatial extension comes from the duckdb-extension-spatial wheel and
#      is loaded from its file; autoinstall is off, so nothing is fetched from DuckDB's servers);
#   3. safemap (`safemap` and the `peer_tasks` example of safemap-benches) built in release;
#   4. a throwaway PostgreSQL cluster (initdb in a temporary directory, run as the `postgres`
#      user when root since PostgreSQL refuses root) on 127.0.0.1 only, stopped and deleted
#      at the end;
#   5. benches/peers/bench.py: the inputs (`safemap synth national`, the boundaries in
#      British National Grid), every task, the agreement checks, and benches/RESULTS.md with
#      benches/scaling.png. Work files go to target/peers/.
#
# Needs ../shared/data beside the checkout. Exits non-zero when a tool disagrees with
# safemap in a way the boundary rules do not explain, or a task fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
VENV="${SAFEMAP_PEERS_VENV:-target/peers-venv}"
DATA="$ROOT/../shared/data"
PG_PORT="${SAFEMAP_PEERS_PG_PORT:-55432}"

step() { printf '\n== %s (%s)\n' "$1" "$(date +%H:%M:%S)" >&2; }

if [ ! -f "$DATA/boundaries/uk-geojson/england_wales_lsoa11.geojson.gz" ]; then
    echo "peers: $DATA/boundaries/uk-geojson/england_wales_lsoa11.geojson.gz not found: the real data must sit in ../shared/data beside the checkout" >&2
    exit 2
fi

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
has_postgis() {
    local bin
    bin="$(pg_bin)"
    [ -n "$bin" ] && [ -f "/usr/share/postgresql/$(basename "$(dirname "$bin")")/extension/postgis.control" ]
}

step "PostgreSQL + PostGIS and GNU time (Debian)"
missing=()
has_postgis || missing+=(postgresql postgis)
[ -x /usr/bin/time ] || missing+=(time)
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "peers: not root, cannot install ${missing[*]}: PostGIS is left out without it" >&2
    fi
fi
if [ ! -x /usr/bin/time ]; then
    echo "peers: GNU time (/usr/bin/time, Debian package time) is needed to measure memory" >&2
    exit 2
fi

step "Python venv $VENV"
if [ ! -x "$VENV/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r benches/peers/requirements.txt

step "building safemap and peer_tasks (release)"
cargo build --release -p safemap-cli
cargo build --release -p safemap-benches --example peer_tasks

PG_DSN=""
PG_TMP=""
stop_postgres() {
    if [ -n "$PG_TMP" ]; then
        if [ "$(id -u)" = 0 ]; then
            runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$PG_TMP/data" -m fast -w stop >/dev/null 2>&1 || true
        else
            "$(pg_bin)/pg_ctl" -D "$PG_TMP/data" -m fast -w stop >/dev/null 2>&1 || true
        fi
        rm -rf "$PG_TMP"
    fi
}
trap stop_postgres EXIT
if has_postgis; then
    step "throwaway PostgreSQL cluster on 127.0.0.1:$PG_PORT"
    PG_TMP="$(mktemp -d /tmp/safemap-peers-pg.XXXXXX)"
    as_pg=()
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$PG_TMP"
        as_pg=(runuser -u postgres --)
    fi
    "${as_pg[@]}" "$(pg_bin)/initdb" -D "$PG_TMP/data" -A trust -U peers --no-sync >/dev/null
    # A throwaway cluster: durability off (fsync, synchronous commit, full page writes);
    # memory and parallelism for a 2-core, 24 GiB machine.
    "${as_pg[@]}" "$(pg_bin)/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_TMP -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=2GB \
            -c work_mem=256MB -c maintenance_work_mem=2GB -c max_wal_size=16GB \
            -c max_parallel_workers_per_gather=1 -c max_worker_processes=4" start >/dev/null
    PG_DSN="host=127.0.0.1 port=$PG_PORT user=peers dbname=postgres"
fi

step "benches/peers/bench.py $*"
PYTHONPATH="$ROOT/benches/peers" "$VENV/bin/python" benches/peers/bench.py --pg-dsn "$PG_DSN" "$@"
