#!/usr/bin/env bash
# Runs the browser tests: installs the web map's npm packages (locked) when missing, builds
# the safemap binary (dev profile) unless SAFEMAP_BIN names one, then `node --test`: the web
# map's unit tests, then the browser tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -d web-map/node_modules/playwright-core ] || [ ! -d web-map/node_modules/maplibre-gl ]; then
  npm ci --prefix web-map --no-audit --no-fund
fi
if [ -z "${SAFEMAP_BIN:-}" ]; then
  cargo build -q -p safemap-cli
fi
# The pure modules' unit tests first (no browser), then the browser tests one file at a time
# (each file starts its own demo server; two at once would fight over two cores).
node --test web-map/test/
exec node --test --test-concurrency=1 tests/browser/
