#!/usr/bin/env bash
# Runs every check and test of safemap. This is the README's test command; .ci/run calls it.
# It installs what it needs itself: the rustfmt and clippy components, Debian's chromium for
# the browser tests (as root, through apt-get), and the web map's locked npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup component add rustfmt clippy >/dev/null 2>&1 || true

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing chromium (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  else
    echo "error: /usr/bin/chromium is missing; run: sudo apt-get install -y chromium" >&2
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
echo "== cargo test"
cargo test --workspace --locked
echo "== browser tests (headless chromium)"
bash tests/browser/run.sh
echo "== all tests passed"
