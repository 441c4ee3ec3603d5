"""What every peer task script shares: timing, the JSON line a task prints, and the inputs.

A task script is run once per (tool, task, size) in its own process by `bench.py`, which
measures its peak resident memory; the script loads its inputs (timed as `load_s`, never in
the median), runs the task `--reps` times, and prints one JSON object as its last stdout line.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

# The synthetic workload's incident CSV: British National Grid metres, one decimal.
X_COLUMN, Y_COLUMN = "easting", "northing"
# Code property of the boundary file in British National Grid written by safemap's
# `peer_tasks bng-boundaries` (every tool reads the same coordinates).
CODE = "code"


def log(msg: str) -> None:
    print(f"[peers {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def timed(fn, reps: int):
    """(all seconds, last result) of `reps` calls of fn."""
    times, out = [], None
    for _ in range(max(reps, 1)):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return times, out


def emit(load_s: float, times: list[float], **facts) -> None:
    """Prints the task's JSON line: load_s, times_s, median_s and the facts."""
    out = {"load_s": load_s, "times_s": times, "median_s": statistics.median(times), **facts}
    print(json.dumps(out, default=str), flush=True)


def write_counts(path: str | Path, counts: dict[str, int]) -> None:
    """`code,count` per area that received at least one point (others are 0)."""
    with open(path, "w") as f:
        f.write("code,count\n")
        for code, n in sorted(counts.items()):
            f.write(f"{code},{int(n)}\n")


def read_events_xy(path: str | Path):
    """(x, y) numpy arrays of an incident CSV, read with pyarrow's CSV reader (the fastest
    reader in the venv) and only the two coordinate columns."""
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        include_columns=[X_COLUMN, Y_COLUMN]))
    return (table.column(X_COLUMN).to_numpy(), table.column(Y_COLUMN).to_numpy())


def base_args(ap):
    """The options every task script takes."""
    ap.add_argument("--reps", type=int, default=3, help="timed repetitions (median taken)")
    ap.add_argument("--threads", type=int, default=2, help="threads or jobs the tool may use")
    return ap
