#!/usr/bin/env bash
# Bounded memory: generates a police.uk-style CSV of SIZE_GB gigabytes (default 5) from the
# Devon & Cornwall street files in ../shared/data, runs `safemap run` on it with the Plymouth
# LSOAs under `/usr/bin/time -v`, and prints the peak resident memory and the row accounting.
#
#   bash benches/memory/run.sh [SIZE_GB] [WORK_DIR]
#
# The file is made by repeating the five months' rows, each repeat with new crime IDs, until
# it reaches the size; it is written to WORK_DIR (default: a temporary folder, removed after).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
size_gb="${1:-5}"
work="${2:-$(mktemp -d)}"
[ -n "${2:-}" ] || trap 'rm -rf "$work"' EXIT
shared="$(cd "$here/../shared/data" && pwd)"

cargo build --release --locked -p safemap-cli --quiet --manifest-path "$here/Cargo.toml"
bin="$here/target/release/safemap"

csv="$work/police-${size_gb}gb.csv"
python3 - "$shared/police/devon-and-cornwall" "$csv" "$size_gb" <<'PY'
import glob, os, sys
src, out, size_gb = sys.argv[1], sys.argv[2], float(sys.argv[3])
rows = []
header = None
for path in sorted(glob.glob(os.path.join(src, "*-street.csv"))):
    with open(path, encoding="utf-8", newline="") as f:
        header = f.readline()
        rows.extend(line for line in f if line.strip())
target = int(size_gb * 1e9)
written = 0
lines = 0
with open(out, "w", encoding="utf-8", newline="") as f:
    f.write(header)
    written += len(header.encode())
    repeat = 0
    while written < target:
        # A new crime ID per repeat keeps the rows distinct, as a real extract's are.
        block = "".join(f"r{repeat:05d}{line}" if not line.startswith(",") else line for line in rows)
        f.write(block)
        written += len(block.encode())
        lines += len(rows)
        repeat += 1
print(f"wrote {out}: {written / 1e9:.2f} GB, {lines} data rows", file=sys.stderr)
PY

cat > "$work/study.toml" <<TOML
[study]
name = "Bounded memory: ${size_gb} GB police.uk-style CSV, Plymouth LSOAs"
output_dir = "$work/out"

[period]
from = "2018-10"
to = "2019-02"

[boundaries]
path = "$shared/boundaries/uk-geojson/lsoa11/E06000026.json"
id_field = "LSOA11CD"
name_field = "LSOA11NM"

[population]
path = "$shared/population/population19_lsoa11.csv"
code_column = "lsoa11_code"
value_column = "total_population"

[[source]]
name = "police"
format = "police_uk"
paths = ["$csv"]
join = "spatial"
TOML

/usr/bin/time -v "$bin" run "$work/study.toml" 2> "$work/time.txt" | tail -n 20
grep -E "Maximum resident set size|Elapsed \(wall clock\)" "$work/time.txt"
kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
echo "input: $(du -h "$csv" | cut -f1) ($(stat -c %s "$csv") bytes); peak resident: $((kb / 1024)) MiB"
python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(json.dumps(m['sources'][0]['accounting'] if 'sources' in m else m.get('accounting'), indent=1)[:800])" "$work/out/manifest.json" || true
