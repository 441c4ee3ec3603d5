#!/usr/bin/env bash
# The README's demo command: installs the web map's MapLibre GL JS (locked, from npm) when
# missing, then builds safemap and runs `safemap demo`: the synthetic city, its full study,
# and the server with the web map at http://127.0.0.1:8080/ (arguments are passed on, e.g.
# --port 9000 or --no-serve).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f web-map/node_modules/maplibre-gl/dist/maplibre-gl.js ]; then
  echo "== installing the web map's packages (npm ci)"
  npm ci --prefix web-map --omit=dev --no-audit --no-fund
fi
exec cargo run --release --locked -p safemap-cli -- demo "$@"
