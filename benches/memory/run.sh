#!/usr/bin/env bash
# Bounded memory (issue 16), two measurements under `/usr/bin/time -v`, each printing the run
# summary, the peak resident memory and the wall time:
#
#   bash benches/memory/run.sh csv [SIZE_GB] [WORK_DIR]       # default 5 GB
#   bash benches/memory/run.sh polygon [VERTICES] [WORK_DIR]  # default 10,000,000
#
# csv: a police.uk-style CSV of SIZE_GB gigabytes, made by repeating the rows of the five
# Devon & Cornwall street files in ../shared/data (each repeat with new crime IDs), joined to
# the Plymouth LSOAs. polygon: one boundary polygon of VERTICES vertices (a 280 MB GeoJSON for
# ten million) joined against those five files.
# Files are written to WORK_DIR (default: a temporary folder, removed after).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
mode="${1:-csv}"
work="${3:-$(mktemp -d)}"
[ -n "${3:-}" ] || trap 'rm -rf "$work"' EXIT
shared="$(cd "$here/../shared/data" && pwd)"
cargo build --release --locked -p safemap-cli --quiet --manifest-path "$here/Cargo.toml"
bin="$here/target/release/safemap"

case "$mode" in
csv)
size_gb="${2:-5}"
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

echo "input: $(stat -c %s "$csv") bytes"
;;
polygon)
vertices="${2:-10000000}"
python3 - "$work/big.geojson" "$vertices" <<'PY'
import math, sys
out, n = sys.argv[1], int(sys.argv[2])
cx, cy, r = -4.14, 50.39, 0.05  # a circle over Plymouth, wound anticlockwise
with open(out, "w") as f:
    f.write('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},'
            '"geometry":{"type":"Polygon","coordinates":[[')
    f.write(",".join("[%.9f,%.9f]" % (cx + r * math.cos(2 * math.pi * (i % n) / n),
                                       cy + r * math.sin(2 * math.pi * (i % n) / n))
                     for i in range(n + 1)))
    f.write("]]}}]}")
PY
cat > "$work/study.toml" <<TOML
[study]
name = "One polygon of $vertices vertices"
output_dir = "$work/out"

[boundaries]
path = "$work/big.geojson"
id_field = "code"

[[source]]
name = "police"
format = "police_uk"
paths = ["$shared/police/devon-and-cornwall/*.csv"]
join = "spatial"
TOML
;;
*)
echo "usage: $0 csv|polygon [SIZE_GB|VERTICES] [WORK_DIR]" >&2
exit 2
;;
esac
/usr/bin/time -v "$bin" run "$work/study.toml" 2> "$work/time.txt" | head -n 12
grep -E "Maximum resident set size|Elapsed \(wall clock\)" "$work/time.txt"
kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
echo "peak resident: $((kb / 1024)) MiB"
