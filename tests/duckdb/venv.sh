#!/usr/bin/env bash
# Prints the python of a virtual environment holding tests/duckdb/requirements.txt (DuckDB and
# its spatial extension from PyPI, pinned), made under target/ on first use and reused while
# the requirements are unchanged. tests/geoparquet.rs runs it; it exits non-zero when the
# environment cannot be made (no python3 venv, no PyPI).
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/py-duckdb
requirements=tests/duckdb/requirements.txt
if ! cmp -s "$requirements" "$venv/requirements.txt" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
  cp "$requirements" "$venv/requirements.txt"
fi
echo "$PWD/$venv/bin/python"
