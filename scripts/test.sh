#!/usr/bin/env bash
# Runs every check and test of safemap. This is the README's test command; .ci/run calls it.
# It installs what it needs itself: the rustfmt and clippy components, Debian's chromium and
# GDAL packages (as root, through apt-get), and the web map's locked npm packages. The Rust
# tests run twice where the `gdal` feature changes code: without it (the default build) and
# with it.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup component add rustfmt clippy >/dev/null 2>&1 || true

# Debian packages: chromium for the browser tests; libgdal-dev (the C library and pkg-config
# file the `gdal` feature builds against) and gdal-bin (ogr2ogr, ogrinfo, gdalinfo, which
# the GDAL tests use to make inputs and read outputs back).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pkg-config >/dev/null || missing+=(pkg-config)
pkg-config --exists gdal 2>/dev/null || missing+=(libgdal-dev)
command -v ogr2ogr >/dev/null || missing+=(gdal-bin)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "error: missing Debian packages; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
fi

if [ ! -f ../shared/data/README.md ]; then
  echo "error: the shared test data must be at ../shared/data (beside this checkout); see README" >&2
  exit 2
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy (-D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo clippy, gdal feature on (the crates it changes, -D warnings)"
cargo clippy --locked -p safemap-ingest -p safemap-engine -p safemap-cli --all-targets \
  --features safemap-cli/gdal -- -D warnings
echo "== cargo test"
cargo test --workspace --locked
# The whole workspace again, so that cargo resolves the dependencies' features as above and
# rebuilds only GDAL and the crates the feature changes (`-p` would rebuild polars and more).
echo "== cargo test, gdal feature on (unit tests and GDAL's formats)"
cargo test --workspace --locked --features safemap-cli/gdal --lib --test gdal_formats
# The binary the tests above built: `cargo build -p safemap-cli` would resolve features anew
# and rebuild most dependencies.
echo "== browser tests (headless chromium)"
SAFEMAP_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/safemap" bash tests/browser/run.sh
echo "== all tests passed"
