#!/usr/bin/env bash
# Runs the browser tests: installs the web map's npm packages (locked) when missing, builds
# the safemap binary (dev profile) unless SAFEMAP_BIN names one, then `node --test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -d web-map/node_modules/playwright-core ] || [ ! -d web-map/node_modules/maplibre-gl ]; then
  npm ci --prefix web-map --no-audit --no-fund
fi
if [ -z "${SAFEMAP_BIN:-}" ]; then
  cargo build -q -p safemap-cli
fi
exec node --test tests/browser/
