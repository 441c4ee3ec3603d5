#!/usr/bin/env python3
"""safemap against its peers on the same inputs, in one run (run by benches/peers/run.sh).

Makes the inputs (the national synthetic workload by `safemap synth national`, the boundary
file in British National Grid by safemap's `peer_tasks bng-boundaries`, area subsets for the
scaling curves), runs every (task, size, tool) in its own process (peak resident memory from
GNU time), checks that the tools agree, and writes results.json, benches/RESULTS.md
and benches/scaling.png (report.py). Exits non-zero on an unexplained disagreement.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import checks
import common
import report

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DATA = REPO.parent / "shared" / "data"
LSOA_GEOJSON = DATA / "boundaries" / "uk-geojson" / "england_wales_lsoa11.geojson.gz"
POPULATION = DATA / "population" / "population19_lsoa11.csv"
SAFEMAP = REPO / "target" / "release" / "safemap"
PEER_TASKS = REPO / "target" / "release" / "examples" / "peer_tasks"
TIME = "/usr/bin/time"  # GNU time (Debian package `time`): peak resident memory
SEED = 1
SERVICES = 10_000
KDE_POINTS = 1_000_000
KDE_CELLS = 1000
KDE_BANDWIDTH_M = 2000.0
SYNTH = "`safemap synth national` (seed 1)"


class Sizes:
    """Sizes of one run: the full comparison, or --quick for development."""

    def __init__(self, quick: bool):
        if quick:
            self.areas = 2_000  # the first 2,000 LSOAs (file order) stand in for the nation
            self.events = 200_000
            self.join = [20_000, 200_000]
            self.scaling_n = [20_000, 50_000, 200_000]
            self.scaling_m = [200, 1_000]
            self.scaling_m_events = 50_000
            self.kde_points = 50_000
            self.kde_cells = 200
        else:
            self.areas = None  # all 34,753
            self.events = 10_000_000
            self.join = [100_000, 1_000_000, 10_000_000]
            self.scaling_n = [100_000, 300_000, 1_000_000, 3_000_000, 10_000_000]
            self.scaling_m = [200, 1_000, 5_000, 15_000]
            self.scaling_m_events = 1_000_000
            self.kde_points = KDE_POINTS
            self.kde_cells = KDE_CELLS


def label(n: int) -> str:
    """100k, 1M, 34,753 ..."""
    for div, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= div and n % div == 0:
            return f"{n // div}{suffix}"
    return f"{n:,}"


class Runner:
    """Runs task processes, measures them, and keeps every result."""

    def __init__(self, args, work: Path):
        self.args = args
        self.work = work
        self.results: list[dict] = []
        self.env = dict(os.environ, PYTHONPATH=str(HERE), PROJ_NETWORK="OFF",
                        RAYON_NUM_THREADS=str(args.threads), NUMBA_NUM_THREADS=str(args.threads),
                        OMP_NUM_THREADS="1", POLARS_MAX_THREADS=str(args.threads),
                        SAFEMAP_LOG="safemap_engine::progress=debug", NO_COLOR="1")

    def measured(self, cmd: list[str], log_path: Path) -> tuple[dict | None, int, float, int]:
        """Runs cmd under GNU time, its stdout in a file: (last stdout line as JSON or None,
        the process's peak resident memory in KiB, wall seconds, exit code).

        GNU time forks the command from its own small process: the peak a child inherits
        from the process that forks it (Linux carries the high-water mark across exec)
        would otherwise be this Python's, not the command's.
        """
        log_path.parent.mkdir(parents=True, exist_ok=True)
        out_path, rss_path = log_path.with_suffix(".out"), log_path.with_suffix(".rss")
        t0 = time.perf_counter()
        with open(log_path, "w") as err, open(out_path, "w") as out:
            code = subprocess.run([TIME, "-f", "%M", "-o", rss_path, *[str(c) for c in cmd]],
                                  stdout=out, stderr=err, env=self.env).returncode
        wall = time.perf_counter() - t0
        rss = rss_path.read_text().split()
        peak_kb = int(rss[-1]) if rss and rss[-1].isdigit() else 0
        lines = [l for l in out_path.read_text().splitlines() if l.strip()]
        parsed = None
        if lines:
            try:
                parsed = json.loads(lines[-1])
            except json.JSONDecodeError:
                parsed = None
        return parsed, peak_kb, wall, code

    def run(self, task: str, size: str, tool: str, cmd: list, *, scaling: bool = False,
            **meta) -> dict | None:
        """One (task, size, tool) in its own process; the record, or None if it failed."""
        name = f"{task}/{tool}_{size}".replace(" ", "_").replace(",", "")
        common.log(f"{task} {size} {tool} ...")
        parsed, peak_kb, wall, code = self.measured(cmd, self.work / "logs" / f"{name}.log")
        record = {"task": task, "size": size, "tool": tool, "scaling_only": scaling,
                  "peak_kb": peak_kb, "wall_s": wall, "exit": code, **meta}
        if code != 0 or parsed is None:
            tail = (self.work / "logs" / f"{name}.log").read_text()[-1500:]
            common.log(f"FAILED ({code}): {task} {size} {tool}; log tail:\n{tail}")
            record["failed"] = tail or f"exit {code}"
            self.results.append(record)
            return None
        # The process's own facts first: the names above win over any it reports.
        record = {**parsed, **record}
        common.log(f"{task} {size} {tool}: median {record['median_s']:.3f} s "
                   f"{['%.3f' % t for t in record['times_s']]}, load {record.get('load_s', 0):.1f} s, "
                   f"peak {peak_kb / 1024:.0f} MiB")
        self.results.append(record)
        return record

    def whole_process(self, task: str, size: str, tool: str, cmd: list, reps: int,
                      out_dir: Path | None = None, *, scaling: bool = False, **meta) -> dict | None:
        """A task that is a whole program (safemap run, the peer pipeline): `reps` separate
        processes, the median of their wall times, the largest peak memory."""
        times, peaks, last = [], [], {}
        name = f"{task}/{tool}_{size}".replace(" ", "_").replace(",", "")
        for rep in range(max(reps, 1)):
            if out_dir is not None:
                shutil.rmtree(out_dir, ignore_errors=True)
            common.log(f"{task} {size} {tool} (process {rep + 1}/{reps}) ...")
            parsed, peak_kb, wall, code = self.measured(
                cmd, self.work / "logs" / f"{name}_{rep}.log")
            if code != 0:
                tail = (self.work / "logs" / f"{name}_{rep}.log").read_text()[-1500:]
                common.log(f"FAILED ({code}): {task} {size} {tool}; log tail:\n{tail}")
                self.results.append({"task": task, "size": size, "tool": tool,
                                     "scaling_only": scaling, "failed": tail, "exit": code,
                                     **meta})
                return None
            # A program that reports its own time less a warm-up (study_peer.py: numba's
            # compilation) is timed by that; anything else by its wall time.
            times.append((parsed or {}).get("pipeline_s", wall))
            peaks.append(peak_kb)
            last = parsed or {"steps_s": logged_steps(
                self.work / "logs" / f"{name}_{rep}.log")}
        record = {"task": task, "size": size, "tool": tool, "scaling_only": scaling,
                  "times_s": times, "median_s": statistics.median(times), "load_s": 0.0,
                  "peak_kb": max(peaks), **last, **meta}
        record["median_s"] = statistics.median(times)
        record["times_s"] = times
        common.log(f"{task} {size} {tool}: median {record['median_s']:.2f} s "
                   f"{['%.2f' % t for t in times]}, peak {max(peaks) / 1024:.0f} MiB")
        self.results.append(record)
        return record


def logged_steps(log: Path) -> dict[str, float]:
    """The step timings `safemap run` logs with SAFEMAP_LOG=safemap_engine::progress=debug."""
    steps = {}
    text = re.sub(r"\x1b\[[0-9;]*m", "", log.read_text())
    for m in re.finditer(r'step="?([^"=]+?)"? ms=(\d+)', text):
        steps[m.group(1)] = int(m.group(2)) / 1000
    return steps


def python(*args) -> list:
    return [sys.executable, *args]


def peer_tasks(*args) -> list:
    return [PEER_TASKS, *args]


# ---------------------------------------------------------------------------------- inputs

def head_csv(src: Path, dst: Path, rows: int) -> Path:
    """The header and the first `rows` rows of src (every tool then reads the same file)."""
    if dst.exists():
        return dst
    tmp = dst.with_suffix(".tmp")
    with open(src, "rb") as f, open(tmp, "wb") as out:
        for k, line in enumerate(f):
            if k > rows:
                break
            out.write(line)
    tmp.rename(dst)
    return dst


def subset_boundaries(first: int, dst: Path) -> Path:
    """The first `first` features of the national LSOA file, as they are (WGS84)."""
    if dst.exists():
        return dst
    with gzip.open(LSOA_GEOJSON, "rt") as f:
        fc = json.load(f)
    fc["features"] = fc["features"][:first]
    tmp = dst.with_suffix(".tmp")
    tmp.write_text(json.dumps(fc))
    tmp.rename(dst)
    return dst


class Inputs:
    """One boundary set (all LSOAs or the first M) and its synthetic workload."""

    def __init__(self, runner: Runner, areas: int | None, events: int):
        self.dir = runner.work / "inputs" / (f"areas_{areas}" if areas else "areas_all")
        self.dir.mkdir(parents=True, exist_ok=True)
        self.wgs84 = LSOA_GEOJSON if areas is None else subset_boundaries(
            areas, self.dir / "boundaries.geojson")
        self.bng = self.dir / "boundaries_bng.geojson"
        if not self.bng.exists():
            subprocess.run([str(PEER_TASKS), "bng-boundaries", "--in", str(self.wgs84),
                            "--id-field", "LSOA11CD", "--out", str(self.bng)], check=True,
                           stdout=subprocess.DEVNULL, env=runner.env)
        self.synth = self.dir / f"synth_{events}"
        stamp = self.synth / "peers-inputs.json"
        want = {"boundaries": str(self.wgs84), "events": events, "services": SERVICES,
                "seed": SEED}
        have = json.loads(stamp.read_text()) if stamp.exists() else {}
        if {k: have.get(k) for k in want} != want:
            shutil.rmtree(self.synth, ignore_errors=True)
            common.log(f"safemap synth national: {events:,} events over {self.wgs84.name}")
            subprocess.run([str(SAFEMAP), "synth", "national", "--boundaries", str(self.wgs84),
                            "--id-field", "LSOA11CD", "--population", str(POPULATION),
                            "--code-column", "lsoa11_code", "--value-column", "total_population",
                            "--events", str(events), "--services", str(SERVICES),
                            "--seed", str(SEED), "--out", str(self.synth)], check=True,
                           env=runner.env)
            stamp.write_text(json.dumps({**want, "generator": SYNTH}))
            have = json.loads(stamp.read_text())
        # What made the events and services (inputs made earlier are reused).
        self.generator = have.get("generator", SYNTH)
        self.events_all = self.synth / "events.csv"
        self.services = self.synth / "services.csv"
        self.study = self.synth / "study.toml"
        self.n_events = events
        with open(self.bng) as f:
            self.n_areas = sum(1 for _ in json.load(f)["features"])

    def events(self, n: int) -> Path:
        """The first n events (the whole file when n is all of them)."""
        if n >= self.n_events:
            return self.events_all
        return head_csv(self.events_all, self.synth / f"events_{n}.csv", n)

    def study_for(self, n: int) -> Path:
        """The synthetic study on the first n events: study.toml with events.csv replaced."""
        if n >= self.n_events:
            return self.study
        dst = self.synth / f"study_{n}.toml"
        text = self.study.read_text()
        if "events.csv" not in text:
            raise SystemExit(f"{self.study}: no events.csv path to replace for the scaling runs")
        dst.write_text(text.replace("events.csv", self.events(n).name))
        return dst


# ----------------------------------------------------------------------------------- tasks

JOIN_PEERS = ["geopandas", "duckdb", "postgis", "sedonadb"]


def join_task(runner: Runner, inp: Inputs, n: int, *, scaling: bool, peers: list[str],
              size: str | None = None) -> dict:
    """safemap and each peer on the first n events; the agreement check."""
    size = size or f"{label(n)} × {inp.n_areas:,}"
    events = inp.events(n)
    reps = runner.args.scaling_reps if scaling else runner.args.reps
    out = runner.work / "runs" / "join" / f"{inp.dir.name}_{n}"
    out.mkdir(parents=True, exist_ok=True)
    got = {}
    ours = runner.run("join", size, "safemap", peer_tasks(
        "join", "--boundaries", inp.bng, "--events", events, "--counts", out / "safemap.csv",
        "--reps", reps), scaling=scaling, n=n, m=inp.n_areas)
    for tool in peers:
        rec = runner.run("join", size, tool, python(
            HERE / "join_peers.py", tool, "--boundaries", inp.bng, "--events", events,
            "--counts", out / f"{tool}.csv", "--reps", reps, "--threads", runner.args.threads,
            "--pg-dsn", runner.args.pg_dsn), scaling=scaling, n=n, m=inp.n_areas)
        if rec is not None:
            got[tool] = out / f"{tool}.csv"
    if ours is None:
        return {}
    agreement = checks.join_agreement(out / "safemap.csv", got)
    for rec in runner.results:
        if rec["task"] == "join" and rec["size"] == size and rec["tool"] in agreement["peers"]:
            rec["agreement"] = agreement["peers"][rec["tool"]]
    runner.results.append({"task": "join-agreement", "size": size, "tool": "all",
                           "scaling_only": scaling, "agreement": agreement})
    return agreement


def read_task(runner: Runner) -> None:
    for project in (False, True):
        task = "read boundaries + project to BNG" if project else "read boundaries"
        flag = ["--project"] if project else []
        size = "34,753 LSOAs, GeoJSON.gz"
        runner.run(task, size, "safemap", peer_tasks(
            "read-boundaries", "--in", LSOA_GEOJSON, "--id-field", "LSOA11CD",
            "--reps", runner.args.reps, *flag))
        runner.run(task, size, "geopandas", python(
            HERE / "other_peers.py", "read", "--in", LSOA_GEOJSON, "--reps", runner.args.reps,
            *flag))


def weights_task(runner: Runner, inp: Inputs) -> str | None:
    """safemap's queen weights and libpysal's methods; the fastest working libpysal method."""
    size = f"{inp.n_areas:,} LSOAs"
    out = runner.work / "runs" / "weights"
    gal = out / f"safemap_{inp.n_areas}.gal"
    runner.run("queen contiguity weights", size, "safemap", peer_tasks(
        "weights", "--boundaries", inp.bng, "--gal", gal, "--reps", runner.args.reps))
    fastest = None
    for method in ("graph_contiguity_strict", "graph_fuzzy", "fuzzy_contiguity", "queen"):
        reps = 1 if method == "queen" else runner.args.reps
        rec = runner.run("queen contiguity weights", size, f"libpysal {method}", python(
            HERE / "pysal_peers.py", "weights", method, "--boundaries", inp.bng, "--gal", gal,
            "--reps", reps))
        if rec and rec.get("working") and (fastest is None or rec["median_s"] < fastest[1]):
            fastest = (method, rec["median_s"])
    return fastest[0] if fastest else None


def hotspots_task(runner: Runner, inp: Inputs, counts: Path, *, scaling: bool,
                  size: str) -> None:
    out = runner.work / "runs" / "hotspots" / inp.dir.name
    ours = runner.run("Gi* + Local Moran, 999 permutations", size, "safemap", peer_tasks(
        "hotspots", "--boundaries", inp.bng, "--counts", counts, "--population", POPULATION,
        "--gal", out / "safemap.gal", "--out", out / "safemap.csv",
        "--reps", runner.args.scaling_reps if scaling else runner.args.reps),
        scaling=scaling, m=inp.n_areas)
    if ours is None:
        return
    runner.run("Gi* + Local Moran, 999 permutations", size, "esda", python(
        HERE / "pysal_peers.py", "hotspots", "--gal", out / "safemap.gal",
        "--safemap", out / "safemap.csv", "--threads", runner.args.threads,
        "--reps", runner.args.scaling_reps if scaling else runner.args.reps),
        scaling=scaling, m=inp.n_areas)


def kde_task(runner: Runner, inp: Inputs, sizes: Sizes) -> None:
    events = inp.events(sizes.kde_points)
    size = f"{label(sizes.kde_points)} points, {sizes.kde_cells}×{sizes.kde_cells}"
    out = runner.work / "runs" / "kde"
    runner.run("kernel density (quartic)", size, "safemap", peer_tasks(
        "kde", "--events", events, "--cells", sizes.kde_cells, "--bandwidth", KDE_BANDWIDTH_M,
        "--out", out / "safemap.csv", "--reps", runner.args.reps))
    runner.run("kernel density (quartic)", size, "KDEpy FFTKDE", python(
        HERE / "other_peers.py", "kde", "--events", events, "--raster", out / "safemap.csv",
        "--reps", runner.args.reps))


def e2sfca_task(runner: Runner, inp: Inputs) -> None:
    size = f"{inp.n_areas:,} × {SERVICES:,}"
    out = runner.work / "runs" / "e2sfca"
    ours = runner.run("E2SFCA 3 km", size, "safemap", peer_tasks(
        "e2sfca", "--boundaries", inp.bng, "--population", POPULATION,
        "--services", inp.services, "--out", out, "--reps", runner.args.reps))
    if ours is None:
        return
    for tool in ("access", "scipy"):
        runner.run("E2SFCA 3 km", size, "PySAL access" if tool == "access" else
                   "scipy cKDTree + numpy", python(
            HERE / "access_peers.py", tool, "--inputs", out, "--reps", runner.args.reps))


def study_task(runner: Runner, inp: Inputs, n: int, *, scaling: bool, size: str,
               libpysal_method: str, peer: bool = True) -> None:
    reps = runner.args.scaling_reps if scaling else runner.args.reps
    study = inp.study_for(n)
    out = runner.work / "runs" / "study" / f"{inp.dir.name}_{n}"
    runner.whole_process("whole study, end to end", size, "safemap run", [
        SAFEMAP, "run", study, "--out", out / "safemap"], reps, out / "safemap",
        scaling=scaling, n=n, m=inp.n_areas)
    if peer:
        runner.whole_process("whole study, end to end", size, "GeoPandas + libpysal + esda",
                             python(HERE / "study_peer.py", "--study", study,
                                    "--boundaries", inp.wgs84, "--population", POPULATION,
                                    "--events", inp.events(n), "--weights", libpysal_method,
                                    "--threads", runner.args.threads, "--out", out / "peer"),
                             reps, out / "peer", scaling=scaling, n=n, m=inp.n_areas)


# ------------------------------------------------------------------------------------ main

def machine_facts(args) -> dict:
    import importlib.metadata as md

    def version(name):
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return None

    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return None

    names = ["geopandas", "shapely", "pyogrio", "pyproj", "pandas", "numpy", "pyarrow", "duckdb",
             "duckdb-extension-spatial", "sedonadb", "esda", "libpysal", "numba", "KDEpy",
             "access", "scipy", "psycopg", "matplotlib"]
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "load_at_start": os.getloadavg(),
        "python": platform.python_version(),
        "versions": {n: version(n) for n in names},
        "postgres": run(["psql", "--version"]),
        "safemap_commit": run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
        "rustc": run(["rustc", "--version"]),
        "threads": args.threads,
        "reps": args.reps,
        "scaling_reps": args.scaling_reps,
        "quick": args.quick,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="development: 2,000 areas, 200k events, 1 repetition")
    ap.add_argument("--reps", type=int, default=3, help="repetitions per task (median taken)")
    ap.add_argument("--scaling-reps", type=int, default=1,
                    help="repetitions of the points only on the scaling curves")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--work", type=Path, default=REPO / "target" / "peers")
    ap.add_argument("--pg-dsn", default=os.environ.get("SAFEMAP_PEERS_PG_DSN", ""))
    ap.add_argument("--results-md", type=Path, default=REPO / "benches" / "RESULTS.md")
    ap.add_argument("--plot", type=Path, default=REPO / "benches" / "scaling.png")
    ap.add_argument("--only", default="",
                    help="comma-separated parts to run (read,join,weights,hotspots,kde,e2sfca,"
                         "study,scaling); default all")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite RESULTS.md and the plot from the work dir's results.json")
    args = ap.parse_args()
    if args.quick:
        args.reps = 1
    work = args.work / ("quick" if args.quick else "full")
    work.mkdir(parents=True, exist_ok=True)
    results_json = work / "results.json"
    if args.report_only:
        saved = json.loads(results_json.read_text())
        areas = Sizes(args.quick).areas
        for stamp in (work / "inputs" / (f"areas_{areas}" if areas else "areas_all")).glob(
                "synth_*/peers-inputs.json"):
            saved["inputs_generator"] = json.loads(stamp.read_text()).get("generator", SYNTH)
        ok = report.write(saved, args.results_md, args.plot)
        sys.exit(0 if ok else 1)

    started = time.perf_counter()
    parts = set(filter(None, args.only.split(","))) or {
        "read", "join", "weights", "hotspots", "kde", "e2sfca", "study", "scaling"}
    sizes = Sizes(args.quick)
    runner = Runner(args, work)
    facts = machine_facts(args)
    common.log(f"{facts['cores']} cores, load {facts['load_at_start']}, reps {args.reps}")
    peers = JOIN_PEERS if args.pg_dsn else [p for p in JOIN_PEERS if p != "postgis"]

    nation = Inputs(runner, sizes.areas, sizes.events)
    nation_label = f"{nation.n_areas:,}"
    if "read" in parts:
        read_task(runner)
    agreements = {}
    if "join" in parts or "hotspots" in parts:
        for n in sizes.join:
            agreements[n] = join_task(runner, nation, n, scaling=False,
                                      peers=peers if "join" in parts else [])
    libpysal_method = "graph_fuzzy"
    if "weights" in parts:
        libpysal_method = weights_task(runner, nation) or libpysal_method
    counts_all = runner.work / "runs" / "join" / f"{nation.dir.name}_{sizes.join[-1]}" / "safemap.csv"
    if "hotspots" in parts:
        hotspots_task(runner, nation, counts_all, scaling=False,
                      size=f"{nation_label} areas, {label(sizes.join[-1])} events")
    if "kde" in parts:
        kde_task(runner, nation, sizes)
    if "e2sfca" in parts:
        e2sfca_task(runner, nation)
    if "study" in parts:
        study_task(runner, nation, sizes.events, scaling=False,
                   size=f"{label(sizes.events)} events × {nation_label} areas",
                   libpysal_method=libpysal_method)
    if "scaling" in parts:
        # Against N: the whole set of areas, the first N events. The join sizes of the main
        # table are reused; the others run once (--scaling-reps).
        for n in sizes.scaling_n:
            if n not in sizes.join:
                join_task(runner, nation, n, scaling=True, peers=[p for p in peers if p != "postgis"])
            if n != sizes.events:
                study_task(runner, nation, n, scaling=True,
                           size=f"{label(n)} events × {nation_label} areas",
                           libpysal_method=libpysal_method)
        # Against M: the first M areas with their own synthetic workload.
        for m in sizes.scaling_m:
            n = sizes.scaling_m_events
            try:
                sub = Inputs(runner, m, n)
            except subprocess.CalledProcessError as e:
                common.log(f"FAILED: inputs of {m:,} areas: {e}")
                runner.results.append({"task": "inputs", "size": f"{m:,} areas", "tool": "all",
                                       "scaling_only": True, "failed": str(e)})
                continue
            size = f"{label(n)} events × {m:,} areas"
            join_task(runner, sub, n, scaling=True, peers=[p for p in peers if p != "postgis"],
                      size=size)
            counts = runner.work / "runs" / "join" / f"{sub.dir.name}_{n}" / "safemap.csv"
            hotspots_task(runner, sub, counts, scaling=True, size=f"{m:,} areas")
            study_task(runner, sub, n, scaling=True, size=size, libpysal_method=libpysal_method)

    saved = {"facts": facts, "results": runner.results, "libpysal_method": libpysal_method,
             "inputs_generator": nation.generator,
             "sizes": vars(sizes), "total_s": time.perf_counter() - started,
             "load_at_end": os.getloadavg()}
    results_json.write_text(json.dumps(saved, indent=1, default=str))
    ok = report.write(saved, args.results_md, args.plot)
    common.log(f"done in {saved['total_s'] / 60:.1f} min; {results_json}, {args.results_md}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
