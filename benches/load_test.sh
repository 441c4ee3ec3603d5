#!/usr/bin/env bash
# Bounded load test of `safemap serve` on the national study (34,753 LSOA11 areas,
# police.uk 2019-01), and the same tiles from martin reading a PMTiles archive that
# `safemap export pmtiles` made from the same results. See benches/README.md.
#
#   bash benches/load_test.sh
#
# Steps: build safemap (release); run tests/studies/national.toml unless its results exist;
# export the public layers over the bounding box to PMTiles; draw a fixed list of tiles
# (zooms uniform in MIN_ZOOM..MAX_ZOOM, uniform within the box at each zoom, seeded); then
# three wrk runs of DURATION at CONNECTIONS connections, all with Accept-Encoding: gzip,
# the public role and the same z/x/y list in the same order:
#   1. safemap, freshly started (its tile cache starts empty and fills during the run);
#   2. safemap again (cache warm), with RELOADS POSTs to /admin/reload, one every
#      DURATION / (RELOADS + 1) seconds or as soon as the previous one answered; this run
#      lasts until the last reload has answered (at least DURATION);
#   3. martin serving the PMTiles archive.
# It prints a table (rps, p50, p90, p99, max, errors, ratio to martin) and the reloads.
#
# Environment (defaults in brackets): SAFEMAP_LOAD_RESULTS [/tmp/national-results],
# SAFEMAP_LOAD_WORK [target/load-test], SAFEMAP_LOAD_BBOX [-2.19,52.30,-1.60,52.66: about
# 40 x 40 km over Birmingham and the Black Country], MIN_ZOOM [8], MAX_ZOOM [16],
# DURATION [30s], CONNECTIONS [64], THREADS [2], TILES [20000], SEED [1], RELOADS [20],
# SAFEMAP_BIN [target/release/safemap], MARTIN_BIN [martin on PATH, else
# /tmp/tools/bin/martin], SAFEMAP_PORT [18080], MARTIN_PORT [18081], SKIP_BUILD [0],
# SKIP_MARTIN [0].
#
# Needs wrk, curl, jq and python3. Nothing is downloaded.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RESULTS=${SAFEMAP_LOAD_RESULTS:-/tmp/national-results}
WORK=${SAFEMAP_LOAD_WORK:-$ROOT/target/load-test}
BBOX=${SAFEMAP_LOAD_BBOX:--2.19,52.30,-1.60,52.66}
MIN_ZOOM=${MIN_ZOOM:-8}
MAX_ZOOM=${MAX_ZOOM:-16}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
TILES=${TILES:-20000}
SEED=${SEED:-1}
RELOADS=${RELOADS:-20}
SAFEMAP=${SAFEMAP_BIN:-$ROOT/target/release/safemap}
MARTIN=${MARTIN_BIN:-$(command -v martin || echo /tmp/tools/bin/martin)}
SAFEMAP_PORT=${SAFEMAP_PORT:-18080}
MARTIN_PORT=${MARTIN_PORT:-18081}
LUA=$ROOT/benches/load_test.lua

for tool in wrk curl jq python3; do
    command -v "$tool" >/dev/null || { echo "load_test.sh: $tool is not installed" >&2; exit 2; }
done
mkdir -p "$WORK"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
seconds() { local d=$1; case $d in *m) echo $((${d%m} * 60));; *s) echo "${d%s}";; *) echo "$d";; esac; }

wait_http() { # url pid: waits up to 120 s for a 200
    for _ in $(seq 1 240); do
        if [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ]; then return 0; fi
        kill -0 "$2" 2>/dev/null || { echo "load_test.sh: the server exited; see its log" >&2; return 1; }
        sleep 0.5
    done
    echo "load_test.sh: $1 did not answer 200 in 120 s" >&2
    return 1
}

# --- 1. build, results, archive, tile list ------------------------------------------------
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building safemap (release)"
    (cd "$ROOT" && cargo build --release -p safemap-cli)
fi
if [ ! -f "$RESULTS/manifest.json" ]; then
    log "running the national study into $RESULTS"
    "$SAFEMAP" run "$ROOT/tests/studies/national.toml" --out "$RESULTS"
fi
PMTILES=$WORK/national.pmtiles
if [ ! -f "$PMTILES" ] || [ "$RESULTS/manifest.json" -nt "$PMTILES" ] \
    || [ "$(cat "$WORK/export-args" 2>/dev/null)" != "$BBOX $MIN_ZOOM $MAX_ZOOM" ]; then
    log "exporting zooms $MIN_ZOOM-$MAX_ZOOM over $BBOX to $PMTILES"
    start=$(date +%s.%N)
    "$SAFEMAP" export pmtiles "$RESULTS" --out "$PMTILES" --min-zoom "$MIN_ZOOM" \
        --max-zoom "$MAX_ZOOM" --bbox="$BBOX"
    log "export took $(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s, $(du -h "$PMTILES" | cut -f1)"
    echo "$BBOX $MIN_ZOOM $MAX_ZOOM" >"$WORK/export-args"
fi

LIST=$WORK/tiles.txt
python3 - "$BBOX" "$MIN_ZOOM" "$MAX_ZOOM" "$TILES" "$SEED" >"$LIST" <<'PY'
import math, random, sys
w, s, e, n = map(float, sys.argv[1].split(","))
zmin, zmax, count, seed = map(int, sys.argv[2:])
rng = random.Random(seed)

def tile(lon, lat, z):
    k = 2 ** z
    x = int((lon + 180.0) / 360.0 * k)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * k)
    return min(max(x, 0), k - 1), min(max(y, 0), k - 1)

for _ in range(count):
    z = rng.randint(zmin, zmax)
    (x0, y0), (x1, y1) = tile(w, n, z), tile(e, s, z)
    print(f"{z}/{rng.randint(x0, x1)}/{rng.randint(y0, y1)}")
PY
log "$(wc -l <"$LIST") tiles in $LIST ($(sort -u "$LIST" | wc -l) distinct)"

TOKEN_FILE=$WORK/token
[ -s "$TOKEN_FILE" ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$TOKEN_FILE"
TOKEN=$(cat "$TOKEN_FILE")

# --- 2. runs ------------------------------------------------------------------------------
run_wrk() { # label base prefix suffix
    log "wrk: $1, $DURATION, $CONNECTIONS connections, $THREADS threads"
    LOAD_TILES=$LIST LOAD_LABEL=$1 LOAD_PREFIX=$3 LOAD_SUFFIX=$4 LOAD_THREADS=$THREADS \
        wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s "$LUA" "$2" \
        | tee "$WORK/wrk-$1.txt" >&2
    grep '^RESULT ' "$WORK/wrk-$1.txt" >>"$WORK/results.txt"
}

statuses() { # label url-prefix suffix: status codes of the first 300 listed tiles
    head -n 300 "$LIST" | while read -r t; do
        curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{http_code}\n' "$2$t$3"
    done | sort | uniq -c | awk -v l="$1" '{printf "%s%s x%s", (NR>1?", ":l": "), $2, $1} END {print ""}'
}

: >"$WORK/results.txt"
: >"$WORK/statuses.txt"
: >"$WORK/reloads.txt"
SAFEMAP_URL=http://127.0.0.1:$SAFEMAP_PORT

start_safemap() {
    "$SAFEMAP" serve "$RESULTS" --port "$SAFEMAP_PORT" --token-file "$TOKEN_FILE" \
        >"$WORK/safemap.log" 2>&1 &
    SAFEMAP_PID=$!
    PIDS+=("$SAFEMAP_PID")
    wait_http "$SAFEMAP_URL/api/session" "$SAFEMAP_PID"
}

log "starting safemap serve on port $SAFEMAP_PORT"
started=$(date +%s.%N)
start_safemap
log "safemap answered after $(python3 -c "print(f'{$(date +%s.%N) - $started:.1f}')") s"
run_wrk safemap "$SAFEMAP_URL" /tiles/areas/ .mvt
statuses safemap "$SAFEMAP_URL/tiles/areas/" .mvt >>"$WORK/statuses.txt"

# Reloads spread over the run: one every DURATION / (RELOADS + 1) seconds, from the start.
reload_loop() {
    local total step t0 code
    total=$(seconds "$DURATION")
    step=$(python3 -c "print($total / ($RELOADS + 1))")
    t0=$(date +%s.%N)
    for i in $(seq 1 "$RELOADS"); do
        sleep "$(python3 -c "print(max(0.0, $t0 + $i * $step - $(date +%s.%N)))")"
        code=$(curl -s -o "$WORK/reload-$i.json" -w '%{http_code} %{time_total}' -X POST \
            -H "Authorization: Bearer $TOKEN" "$SAFEMAP_URL/admin/reload")
        echo "$i $code $(jq -r '.load_ms // .error.message' "$WORK/reload-$i.json" 2>/dev/null)" \
            >>"$WORK/reloads.txt"
    done
}
# wrk runs until the last reload has answered and at least DURATION has passed (a reload of
# the national results takes seconds, so RELOADS of them may not fit in DURATION); wrk stops
# on SIGINT and reports as usual.
log "wrk: safemap+reloads, at least $DURATION and until $RELOADS reloads have answered, $CONNECTIONS connections, $THREADS threads"
LOAD_TILES=$LIST LOAD_LABEL=safemap+reloads LOAD_PREFIX=/tiles/areas/ LOAD_SUFFIX=.mvt LOAD_THREADS=$THREADS \
    wrk -t "$THREADS" -c "$CONNECTIONS" -d 3600s --latency -s "$LUA" "$SAFEMAP_URL" \
    >"$WORK/wrk-safemap+reloads.txt" 2>&1 &
WRK_PID=$!
PIDS+=("$WRK_PID")
wrk_started=$(date +%s.%N)
reload_loop
sleep "$(python3 -c "print(max(1.0, $wrk_started + $(seconds "$DURATION") - $(date +%s.%N)))")"
kill -INT "$WRK_PID"
wait "$WRK_PID" || true
log "safemap+reloads ran $(python3 -c "print(f'{$(date +%s.%N) - $wrk_started:.1f}')") s"
cat "$WORK/wrk-safemap+reloads.txt" >&2
grep '^RESULT ' "$WORK/wrk-safemap+reloads.txt" >>"$WORK/results.txt"
kill "$SAFEMAP_PID" 2>/dev/null || true
wait "$SAFEMAP_PID" 2>/dev/null || true

if [ "${SKIP_MARTIN:-0}" != 1 ]; then
    [ -x "$MARTIN" ] || { echo "load_test.sh: martin not found at $MARTIN (set MARTIN_BIN)" >&2; exit 2; }
    log "starting martin ($("$MARTIN" --version 2>/dev/null)) on port $MARTIN_PORT"
    "$MARTIN" "$PMTILES" --listen-addresses "127.0.0.1:$MARTIN_PORT" >"$WORK/martin.log" 2>&1 &
    MARTIN_PID=$!
    PIDS+=("$MARTIN_PID")
    wait_http "http://127.0.0.1:$MARTIN_PORT/catalog" "$MARTIN_PID"
    SOURCE=$(curl -s "http://127.0.0.1:$MARTIN_PORT/catalog" | jq -r '.tiles | keys[0]')
    log "martin source id: $SOURCE"
    run_wrk martin "http://127.0.0.1:$MARTIN_PORT" "/$SOURCE/" ""
    statuses martin "http://127.0.0.1:$MARTIN_PORT/$SOURCE/" "" >>"$WORK/statuses.txt"
    kill "$MARTIN_PID" 2>/dev/null || true
    wait "$MARTIN_PID" 2>/dev/null || true
fi

# --- 3. table -----------------------------------------------------------------------------
echo
echo "load test: $(wc -l <"$LIST") tiles (zooms $MIN_ZOOM-$MAX_ZOOM, bbox $BBOX, seed $SEED), $DURATION, $CONNECTIONS connections, $THREADS wrk threads, $(nproc) cores shared by wrk and the server"
awk '
    { label[NR] = $2; req[NR] = $3; rps[NR] = $4; p50[NR] = $5; p90[NR] = $6; p99[NR] = $7; mx[NR] = $8
      err[NR] = $9 + $10 + $11 + $12 + $13; detail[NR] = sprintf("c%d r%d w%d t%d s%d", $9, $10, $11, $12, $13)
      if ($2 == "martin") m = $4 }
    END {
      printf "%-16s %10s %9s %8s %8s %8s %8s %7s %-18s %s\n", "server", "requests", "rps", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors", "(conn/read/write/timeout/status>=400)", "rps / martin"
      for (i = 1; i <= NR; i++)
        printf "%-16s %10d %9.0f %8.2f %8.2f %8.2f %8.1f %7d %-38s %s\n", label[i], req[i], rps[i], p50[i], p90[i], p99[i], mx[i], err[i], detail[i], (m > 0 ? sprintf("%.2f", rps[i] / m) : "-")
    }' "$WORK/results.txt"
echo
echo "status codes of the first 300 listed tiles, one request each:"
cat "$WORK/statuses.txt"
echo
ok=$(awk '$2 == 200' "$WORK/reloads.txt" | wc -l)
echo "reloads during safemap+reloads: $ok of $(wc -l <"$WORK/reloads.txt") answered 200 (attempted $RELOADS); load_ms each: $(awk '{printf "%s%s", (NR>1?" ":""), $4}' "$WORK/reloads.txt")"
awk '$2 != 200 {print "  reload " $1 ": HTTP " $2 " " $4}' "$WORK/reloads.txt"
