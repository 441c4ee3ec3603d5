#!/usr/bin/env bash
# safemap against PySAL (libpysal, esda) on the same national inputs, in one run:
#   1. a Python venv with benches/requirements-peers.txt (PyPI only);
#   2. safemap built in release; the national study (tests/studies/national.toml) run into
#      target/peers/national (areas.csv, weights.gal, manifest.json);
#   3. the criterion benches weights, hotspots and join (-p safemap-benches);
#   4. benches/peers.py: libpysal weights, esda Gi* and Local Moran and a geopandas join on
#      the same inputs, the 1e-9 agreement checks, and one table (also target/peers/results.json).
#
# Needs ../shared/data beside the checkout. Nothing is downloaded except packages from PyPI
# and crates.io. Takes about 15-25 minutes on 2 cores.
#
# Environment:
#   SAFEMAP_PEERS_VENV   venv to create or reuse (default target/peers-venv)
#   PYTHON               interpreter for a new venv (default python3)
#   SAFEMAP_PEERS_SKIP_BENCH=1   reuse the criterion results already in target/criterion
#   SAFEMAP_PEERS_ARGS   extra arguments for peers.py (e.g. "--skip-queen --reps 1")
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${SAFEMAP_PEERS_VENV:-target/peers-venv}"
STUDY_OUT="target/peers/national"
DATA="$ROOT/../shared/data"

if [ ! -d "$DATA/boundaries/uk-geojson" ]; then
    echo "compare_peers: $DATA/boundaries/uk-geojson not found: the real data must sit in ../shared/data" >&2
    exit 2
fi

step() { printf '\n== %s (%s)\n' "$1" "$(date +%H:%M:%S)" >&2; }

step "Python venv $VENV"
if [ ! -x "$VENV/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r benches/requirements-peers.txt

step "building safemap (release)"
cargo build --release -p safemap-cli

step "national study -> $STUDY_OUT"
rm -rf "$STUDY_OUT"
mkdir -p "$(dirname "$STUDY_OUT")"
target/release/safemap run tests/studies/national.toml --out "$STUDY_OUT"

if [ "${SAFEMAP_PEERS_SKIP_BENCH:-0}" != "1" ]; then
    step "criterion: weights, hotspots, join"
    cargo bench -p safemap-benches --bench weights --bench hotspots --bench join
fi

step "peers (libpysal, esda, geopandas)"
# numba's threading layer and joblib's workers: 2 cores, as safemap's rayon pool.
# shellcheck disable=SC2086
PROJ_NETWORK=OFF "$VENV/bin/python" benches/peers.py --study "$STUDY_OUT" ${SAFEMAP_PEERS_ARGS:-}
