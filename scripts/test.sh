#!/usr/bin/env bash
# Runs every check and test of safemap. This is the README's test command; .ci/run calls it.
# It installs what it needs itself (today: the rustfmt and clippy components).
set -euo pipefail
cd "$(dirname "$0")/.."

rustup component add rustfmt clippy >/dev/null 2>&1 || true

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
echo "== all tests passed"
