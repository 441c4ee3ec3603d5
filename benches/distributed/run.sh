#!/usr/bin/env bash
# Data beyond one machine, end to end on the national synthetic workload:
#
#   bash benches/distributed/run.sh [EVENTS] [WORKERS]     (default 10,000,000 events, 2 workers)
#
# 1. `safemap synth national`: EVENTS events and 10,000 services over the 34,753 England and
#    Wales LSOA11 polygons with the mid-2019 population (the shared data beside the checkout);
# 2. `safemap run` of its study (safemap's per-area counts, areas.csv);
# 3. `safemap export geoparquet` of the same study;
# 4. benches/distributed/dask_join.py: Dask-GeoPandas joins and counts the exported events on
#    a local dask.distributed cluster of WORKERS processes and checks every area's count
#    against safemap's (exit 1 on any difference).
#
# The Python packages, pinned in requirements.txt, go into a virtual environment under
# target/ made once and reused. Work files go to target/distributed (removed at the end
# unless KEEP=1). Each step's wall time is printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-10000000}
workers=${2:-2}
data=../shared/data
boundaries=$data/boundaries/uk-geojson/england_wales_lsoa11.geojson.gz
venv=target/py-dask
requirements=benches/distributed/requirements.txt

if ! cmp -s "$requirements" "$venv/requirements.txt" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/requirements.txt"
fi

cargo build --release --locked -p safemap-cli
bin=target/release/safemap
work=target/distributed
rm -rf "$work"
mkdir -p "$work"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT

timed() {
  local label=$1
  shift
  local start=$SECONDS
  "$@"
  echo "== $label: $((SECONDS - start)) s" >&2
}

timed "synth national ($events events)" "$bin" synth national \
  --boundaries "$boundaries" --id-field LSOA11CD \
  --population "$data/population/population19_lsoa11.csv" \
  --code-column lsoa11_code --value-column total_population \
  --events "$events" --services 10000 --seed 1 --out "$work/national" >/dev/null
timed "safemap run" "$bin" run "$work/national/study.toml" --out "$work/results" >/dev/null
timed "safemap export geoparquet" "$bin" export geoparquet "$work/national/study.toml" --out "$work/export"
timed "dask_join.py ($workers workers)" "$venv/bin/python" benches/distributed/dask_join.py \
  --export "$work/export" --results "$work/results" \
  --boundaries "$boundaries" --id-field LSOA11CD --workers "$workers"
