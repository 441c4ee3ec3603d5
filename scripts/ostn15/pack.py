#!/usr/bin/env python3
"""Packs the OSTN15 ETRS89 -> OSGB36 shifts into the compact file that safemap-geo embeds.

Usage: python3 scripts/ostn15/pack.py OSTN15_OSGM15_DataFile.txt.xz [OUTPUT]

The input is the Ordnance Survey's OSTN15/OSGM15 data file (xz-compressed, as shipped in the
`ostn15_phf` crate), a CSV with the header
`Point_ID,ETRS89_Easting,ETRS89_Northing,ETRS89_OSGB36_EShift,ETRS89_OSGB36_NShift,...`:
one row per node of the 701 x 1251 grid of 1 km spacing (0-700 km east, 0-1250 km north of
the National Grid false origin), in Point_ID order (Point_ID = column + 701 * row + 1), with
the shifts in metres to 3 decimals. Only the east and north shifts are kept (no heights).

OUTPUT (default crates/safemap-geo/data/ostn15_shifts.bin.gz) is gzip (deterministic: no
name, time 0) of, all integers little-endian:

    8 bytes   magic b"OSTN15MM"
    u32       columns (701)
    u32       rows (1251)
    i32 x columns x rows   east shifts, delta-coded, in millimetres
    i32 x columns x rows   north shifts, delta-coded, in millimetres

Each plane is row by row from the south (row = northing / 1 km), each row from the west
(column = easting / 1 km). A value is stored as its difference from the value to its west
in the same row; the first value of a row as its difference from the first value of the row
below (the very first value from 0). The decoder is `safemap-geo/src/ostn15.rs`.

After writing, the file is decoded again and compared with every node of the input.
Python 3 standard library only.
"""

import gzip
import lzma
import struct
import sys
from pathlib import Path

COLUMNS = 701
ROWS = 1251
SPACING_M = 1000
MAGIC = b"OSTN15MM"
HEADER = "Point_ID,ETRS89_Easting,ETRS89_Northing,ETRS89_OSGB36_EShift,ETRS89_OSGB36_NShift"
DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "crates/safemap-geo/data/ostn15_shifts.bin.gz"


class DataError(Exception):
    """A line of the data file that is not what the format promises."""


def millimetres(text, path, line_no, column):
    """A shift written in metres with exactly 3 decimals, as whole millimetres (exact)."""
    digits = text.strip()
    sign = -1 if digits.startswith("-") else 1
    whole, dot, frac = digits.lstrip("+-").partition(".")
    if not (dot and whole.isdigit() and frac.isdigit() and len(frac) == 3):
        raise DataError(f"{path}:{line_no}: column {column}: {text!r} is not metres with 3 decimals")
    return sign * (int(whole) * 1000 + int(frac))


def read_shifts(path):
    """The east and north shift planes (millimetres, row-major from the south-west)."""
    east = [0] * (COLUMNS * ROWS)
    north = [0] * (COLUMNS * ROWS)
    with lzma.open(path, "rt", encoding="ascii", newline="") as f:
        header = f.readline().strip()
        if not header.startswith(HEADER):
            raise DataError(f"{path}:1: header {header!r} does not start with {HEADER!r}")
        count = 0
        for line_no, line in enumerate(f, start=2):
            fields = line.strip().split(",")
            if len(fields) < 5:
                raise DataError(f"{path}:{line_no}: expected at least 5 columns, got {line.strip()!r}")
            point_id, easting, northing = (int(v) for v in fields[:3])
            index = point_id - 1
            if index != count or (easting, northing) != (
                index % COLUMNS * SPACING_M,
                index // COLUMNS * SPACING_M,
            ):
                raise DataError(
                    f"{path}:{line_no}: Point_ID {point_id} at ({easting}, {northing}) "
                    f"is out of the expected grid order"
                )
            east[index] = millimetres(fields[3], path, line_no, 4)
            north[index] = millimetres(fields[4], path, line_no, 5)
            count += 1
    if count != COLUMNS * ROWS:
        raise DataError(f"{path}: {count} nodes, expected {COLUMNS} x {ROWS} = {COLUMNS * ROWS}")
    return east, north


def delta_code(plane):
    """Each value minus its west neighbour; a row's first value minus the row below's first."""
    out = []
    for row in range(ROWS):
        start = row * COLUMNS
        below = plane[start - COLUMNS] if row else 0
        out.append(plane[start] - below)
        out.extend(plane[start + c] - plane[start + c - 1] for c in range(1, COLUMNS))
    return out


def delta_decode(deltas):
    """Inverse of `delta_code`."""
    plane = []
    for row in range(ROWS):
        start = row * COLUMNS
        value = (plane[start - COLUMNS] if row else 0) + deltas[start]
        plane.append(value)
        for c in range(1, COLUMNS):
            value += deltas[start + c]
            plane.append(value)
    return plane


def pack(east, north):
    body = delta_code(east) + delta_code(north)
    raw = MAGIC + struct.pack(f"<II{len(body)}i", COLUMNS, ROWS, *body)
    return gzip.compress(raw, compresslevel=9, mtime=0)


def unpack(packed):
    raw = gzip.decompress(packed)
    n = COLUMNS * ROWS
    if raw[:8] != MAGIC or struct.unpack_from("<II", raw, 8) != (COLUMNS, ROWS):
        raise DataError("packed file has a wrong header")
    body = struct.unpack_from(f"<{2 * n}i", raw, 16)
    return delta_decode(body[:n]), delta_decode(body[n:])


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__.split("\n\n")[1])
    source = Path(argv[1])
    output = Path(argv[2]) if len(argv) == 3 else DEFAULT_OUTPUT
    try:
        east, north = read_shifts(source)
    except (DataError, ValueError, OSError, lzma.LZMAError) as e:
        sys.exit(f"error: {e}")
    packed = pack(east, north)
    if unpack(packed) != (east, north):
        sys.exit("error: the packed file does not decode to the input (bug in pack.py)")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(packed)
    print(f"wrote {output}: {COLUMNS} x {ROWS} nodes, {len(packed)} bytes")


if __name__ == "__main__":
    main(sys.argv)
