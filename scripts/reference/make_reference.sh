#!/usr/bin/env bash
# Creates a local virtual environment with the pinned reference packages (from PyPI) and
# regenerates tests/reference/* (make_reference.py, make_access_reference.py, make_trend_reference.py,
# make_ed_reference.py). Run from anywhere.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${SAFEMAP_REFERENCE_VENV:-$here/../../.venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet -r "$here/requirements.txt"
"$venv/bin/python" "$here/make_reference.py"
"$venv/bin/python" "$here/make_access_reference.py"
"$venv/bin/python" "$here/make_trend_reference.py"
"$venv/bin/python" "$here/make_ed_reference.py"
