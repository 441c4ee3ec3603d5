#!/usr/bin/env bash
# safemap against PySAL (libpysal, esda, access) on the same national inputs, in one run:
#   1. a Python venv with benches/requirements-peers.txt (PyPI only);
#   2. safemap built in release; the national study (tests/studies/national.toml) run into
#      target/peers/national (areas.csv, weights.gal, manifest.json);
#   3. the criterion benches weights, hotspots, join and access (-p safemap-benches);
#   4. the access_inputs example: the access bench's demand points, services and safemap's
#      E2SFCA written to target/peers/access;
#   5. benches/peers.py: libpysal weights, esda Gi* and Local Moran, a geopandas join, PySAL
#      access and a scipy cKDTree E2SFCA on the same inputs, the 1e-9 agreement checks, and
#      one table (also target/peers/results.json).
#
# Needs ../shared/data beside the checkout. Nothing is downloaded except packages from PyPI
# and crates.io. Takes about 15-25 minutes on 2 cores.
#
# Environment:
#   SAFEMAP_PEERS_VENV   venv to create or reuse (default target/peers-venv)
#   PYTHON               interpreter for a new venv (default python3)
#   SAFEMAP_PEERS_SKIP_BENCH=1   reuse the criterion results already in target/criterion
#   SAFEMAP_PEERS_BENCHES  criterion benches to run (default "weights hotspots join access")
#   SAFEMAP_PEERS_SKIP_STUDY=1   neither build the CLI nor run the national study (only
#                        Gi*, Local Moran and the weights comparison read it: pass
#                        --skip-esda --skip-weights in SAFEMAP_PEERS_ARGS)
#   SAFEMAP_PEERS_ARGS   extra arguments for peers.py (e.g. "--skip-queen --reps 1")
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${SAFEMAP_PEERS_VENV:-target/peers-venv}"
STUDY_OUT="target/peers/national"
ACCESS_OUT="target/peers/access"
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

if [ "${SAFEMAP_PEERS_SKIP_STUDY:-0}" != "1" ]; then
    step "building safemap (release)"
    cargo build --release -p safemap-cli

    step "national study -> $STUDY_OUT"
    rm -rf "$STUDY_OUT"
    mkdir -p "$(dirname "$STUDY_OUT")"
    target/release/safemap run tests/studies/national.toml --out "$STUDY_OUT"
fi

if [ "${SAFEMAP_PEERS_SKIP_BENCH:-0}" != "1" ]; then
    BENCHES="${SAFEMAP_PEERS_BENCHES:-weights hotspots join access}"
    step "criterion: $BENCHES"
    bench_args=()
    for b in $BENCHES; do bench_args+=(--bench "$b"); done
    cargo bench -p safemap-benches "${bench_args[@]}"
fi

step "access bench inputs and safemap's E2SFCA -> $ACCESS_OUT"
# The bench profile: the crates the criterion run just built.
cargo run --profile bench -p safemap-benches --example access_inputs -- "$ACCESS_OUT"

step "peers (libpysal, esda, geopandas, access, scipy)"
# numba's threading layer and joblib's workers: 2 cores, as safemap's rayon pool.
# shellcheck disable=SC2086
PROJ_NETWORK=OFF "$VENV/bin/python" benches/peers.py --study "$STUDY_OUT" ${SAFEMAP_PEERS_ARGS:-}
