"""benches/RESULTS.md and benches/scaling.png from one run's results (bench.py)."""

from __future__ import annotations

from pathlib import Path

JOIN = "join"
STUDY = "whole study, end to end"
HOTSPOTS = "Gi* + Local Moran, 999 permutations"
WEIGHTS = "queen contiguity weights"
KDE = "kernel density (quartic)"
READ = "read boundaries"
READ_PROJECT = "read boundaries + project to BNG"

# How each tool treats a point exactly on an area boundary, as asked here.
EDGE_RULES = {
    "safemap": "`EdgeRule::LowestAreaId` (the default): the point goes to the lowest-numbered "
               "area whose closed polygon holds it, so every point inside the union of the "
               "areas, boundaries included, is counted exactly once",
    "geopandas": "`sjoin(predicate=\"within\")`: a point on a boundary is not within the "
                 "polygon, so it is dropped (with `intersects` it would be counted in every "
                 "area sharing the edge)",
    "duckdb": "`ST_Contains(area, point)`: false on the boundary, so the point is dropped "
              "(`ST_Intersects` would double it)",
    "postgis": "`ST_Contains(area, point)`: false on the boundary, so the point is dropped "
               "(`ST_Intersects` would double it)",
    "sedonadb": "`ST_Contains(area, point)`: false on the boundary, so the point is dropped "
                "(`ST_Intersects` would double it)",
}

# What each tool's join time holds (load never included).
JOIN_TIMED = {
    "safemap": "`AreaIndex::join` + count per area, in process (`peer_tasks join`); the "
               "polygon index built beforehand (its build time is shown as index)",
    "geopandas": "`sjoin(points, areas, predicate=\"within\")` + `groupby().size()`; sjoin "
                 "runs within as contains over the STRtree of the points, which GeoPandas keeps "
                 "(`points.sindex`): built beforehand, shown as index",
    "duckdb": "`SELECT code, count(*) … JOIN … ON ST_Contains … GROUP BY code` on tables "
              "loaded beforehand; DuckDB's SPATIAL_JOIN operator builds its R-tree inside "
              "the query (it keeps none between queries)",
    "postgis": "the same SQL on UNLOGGED tables loaded beforehand, with GiST indexes on both "
               "tables built and analysed beforehand (shown as index); PostgreSQL's own plan, "
               "leader + 1 parallel worker; the time as seen by the client. Peak memory: the "
               "client's; the server backend's is in the notes",
    "sedonadb": "the same SQL on in-memory tables (`to_memtable`) loaded beforehand; "
                "SedonaDB builds its spatial index inside the query",
}

TARGETS = [
    # (task, tool prefix, factor, wording): peer / safemap must be >= factor.
    (JOIN, "geopandas", 10, "10M join ≥ 10x GeoPandas"),
    (JOIN, "duckdb", 10, "10M join ≥ 10x DuckDB spatial"),
    (JOIN, "postgis", 10, "10M join ≥ 10x PostGIS"),
    (JOIN, "sedonadb", 1, "10M join faster than SedonaDB"),
    (HOTSPOTS, "esda", 10, "Gi* + Local Moran, 999 permutations ≥ 10x esda"),
    (WEIGHTS, "libpysal", 20, "queen weights ≥ 20x libpysal's fastest working method"),
    (KDE, "KDEpy", 1, "kernel density at least as fast as KDEpy FFT"),
    (READ, "geopandas", 1, "reading the boundary file at least as fast as GeoPandas + pyogrio"),
    (READ_PROJECT, "geopandas", 1, "… and reading + projecting it"),
]


def secs(s) -> str:
    if s is None:
        return "-"
    if s < 0.1:
        return f"{s * 1000:.1f} ms"
    if s < 10:
        return f"{s:.3f} s" if s < 1 else f"{s:.2f} s"
    return f"{s:.1f} s"


def mib(kb) -> str:
    return "-" if not kb else f"{kb / 1024:,.0f} MiB"


def notes(r: dict) -> str:
    """What else a row's process reported."""
    out = []
    if r.get("load_s"):
        out.append(f"load {secs(r['load_s'])}")
    if r.get("index_s") is not None:
        out.append(f"index {secs(r['index_s'])}")
    if r.get("method"):
        out.append(f"`{r['method']}`")
    if "areas_differing_from_safemap" in r:
        out.append(f"{r['areas_differing_from_safemap']:,} areas' neighbours differ from "
                   f"safemap's, {r['islands']} islands"
                   + ("" if r.get("working") else " (not working)"))
    if r.get("compile_s") is not None:
        out.append(f"numba compile {secs(r['compile_s'])} (not in the median)")
    if r.get("gi_star_median_s") is not None:
        out.append(f"Gi* {secs(r['gi_star_median_s'])}, Local Moran "
                   f"{secs(r['local_moran_median_s'])}")
    if r.get("server_backend_peak_kb"):
        out.append(f"server backend peak {mib(r['server_backend_peak_kb'])} (not in the column)")
    if r.get("pairs_s") is not None:
        out.append(f"of which finding the {r['pairs']:,} pairs {secs(r['pairs_s'])}")
    if r.get("peak_ratio_to_safemap") is not None:
        out.append(f"peak density / safemap's {r['peak_ratio_to_safemap']:.4f}")
    if r.get("agreement"):
        a = r["agreement"]
        out.append("counts = safemap's `Exclude` in every area" if a["equals_safemap_exclude"]
                   else f"**{a['unexplained_area_count']} areas unexplained**")
    if "failed" in r:
        out.append("**failed** (see the log)")
    return "; ".join(out)


def rows(results: list[dict], scaling: bool) -> list[dict]:
    return [r for r in results if r.get("scaling_only", False) == scaling
            and "median_s" in r and r["tool"] != "all"]


def safemap_median(results, task, size):
    for r in results:
        if r["task"] == task and r["size"] == size and r["tool"].startswith("safemap") \
                and "median_s" in r:
            return r["median_s"]
    return None


def main_table(results: list[dict]) -> list[str]:
    out = ["| task | size | tool | median | peak memory | peer / safemap | notes |",
           "|---|---|---|---|---|---|---|"]
    for r in results:
        if r.get("scaling_only") or r["tool"] == "all":
            continue
        ours = safemap_median(results, r["task"], r["size"])
        is_ours = r["tool"].startswith("safemap")
        ratio = "-" if is_ours or ours is None or "median_s" not in r else \
            f"{r['median_s'] / ours:.1f}x" if r["median_s"] / ours >= 1.95 else \
            f"{r['median_s'] / ours:.2f}x"
        tool = f"**{r['tool']}**" if is_ours else r["tool"]
        out.append(f"| {r['task']} | {r['size']} | {tool} | {secs(r.get('median_s'))} | "
                   f"{mib(r.get('peak_kb'))} | {ratio} | {notes(r)} |")
    return out


def targets(results: list[dict], join_size: str | None) -> tuple[list[str], bool]:
    out, all_met = [], True
    for task, prefix, factor, wording in TARGETS:
        cands = [r for r in results if r["task"] == task and r["tool"].startswith(prefix)
                 and "median_s" in r and not r.get("scaling_only")
                 and (task != JOIN or r["size"] == join_size)
                 and (task != WEIGHTS or r.get("working"))]
        if not cands:
            out.append(f"- {wording}: not measured")
            all_met = False
            continue
        peer = min(cands, key=lambda r: r["median_s"])
        ours = safemap_median(results, task, peer["size"])
        if ours is None:
            out.append(f"- {wording}: safemap not measured")
            all_met = False
            continue
        ratio = peer["median_s"] / ours
        met = ratio >= factor
        all_met &= met
        out.append(f"- {wording}: {peer['tool']} {secs(peer['median_s'])} / safemap "
                   f"{secs(ours)} = **{ratio:.2f}x** → {'met' if met else '**not met**'}")
    return out, all_met


def agreement_section(results: list[dict]) -> tuple[list[str], bool]:
    out, ok = [], True
    out.append("How each tool treats a point exactly on an area boundary (as asked here):\n")
    for tool, rule in EDGE_RULES.items():
        out.append(f"- **{tool}**: {rule}.")
    out.append("")
    out.append("safemap also counts each size with `EdgeRule::Exclude` (the peers' rule). A peer "
               "agrees when its count equals that in every area; the points it then differs "
               "from safemap's default by are exactly the points on a boundary. Anything else "
               "is an unexplained disagreement and fails the run.\n")
    out.append("| size | points joined by safemap | on a boundary (in areas) | peer | joined "
               "| points differing from safemap | equals safemap `Exclude` |")
    out.append("|---|---|---|---|---|---|---|")
    for r in results:
        if r["task"] != "join-agreement":
            continue
        a = r["agreement"]
        ok &= a["ok"]
        for tool, p in a["peers"].items():
            verdict = "yes" if p["equals_safemap_exclude"] else (
                f"**no: {p['unexplained_area_count']} areas, {p['unexplained_points']} points, "
                f"e.g. {p['unexplained_areas']}**")
            out.append(f"| {r['size']} | {a['safemap_joined']:,} | {a['boundary_points']:,} "
                       f"({a['areas_with_boundary_points']}) | {tool} | {p['joined']:,} | "
                       f"{p['points_differing_from_safemap']:,} | {verdict} |")
    out.append("")
    for r in results:
        for name in ("gi_star", "local_moran"):
            c = r.get(f"{name}_check")
            if not c:
                continue
            pp = c["pseudo_p"]
            ok &= c["ok"]
            out.append(
                f"- {r['size']}, esda {name}: {'z' if name == 'gi_star' else 'I'} against "
                f"safemap's over {c['compared']:,} areas: max relative difference "
                f"{c['max_rel_diff']:.2e} → {'equal to 1e-9' if c['within_1e-9'] else '**not equal to 1e-9**'}; "
                f"pseudo p: mean |diff| {pp['mean_abs_diff']:.5f} against "
                f"{pp['expected_mean_abs_diff']:.5f} from Monte Carlo error alone, mean diff "
                f"{pp['mean_diff']:+.5f}, share p ≤ 0.05 {pp['share_significant_005'][0]:.4f} "
                f"(safemap) / {pp['share_significant_005'][1]:.4f} (esda) → "
                f"{'agree' if pp['ok'] else '**disagree**'}; {pp['tied_areas']} areas whose "
                f"neighbours all have value 0 reported apart (p = 1/(R+1): "
                f"{pp['tied_at_floor'][0]} safemap, {pp['tied_at_floor'][1]} esda).")
        c = r.get("check")
        if c and "none_mismatched" in c:
            ok &= c["ok"]
            out.append(f"- E2SFCA, {r['tool']}: per-area access against safemap's over "
                       f"{c['compared']:,} areas: max relative difference {c['max_rel_diff']:.2e}; "
                       f"{c['no_service_in_reach']:,} areas with no service within 3 km, "
                       f"{c['none_mismatched']} mismatched → "
                       f"{'equal to 1e-9' if c['ok'] else '**not equal**'}.")
    return out, ok


def scaling_series(results: list[dict], task: str, axis: str) -> dict[str, list[tuple]]:
    """tool -> [(x, median s)] for records of task with the axis (n or m) varying."""
    series: dict[str, list[tuple]] = {}
    for r in results:
        if r["task"] != task or "median_s" not in r or r.get(axis) is None:
            continue
        other = "m" if axis == "n" else "n"
        series.setdefault((r["tool"], r.get(other)), []).append((r[axis], r["median_s"]))
    # Keep, per tool, the series with the most points (N at all areas, M at one N).
    best: dict[str, list[tuple]] = {}
    for (tool, _), pts in series.items():
        if len(pts) > len(best.get(tool, [])):
            best[tool] = sorted(set(pts))
    return {t: p for t, p in best.items() if len(p) >= 2}


def hotspot_steps_vs_n(results: list[dict]) -> dict[str, list[tuple]]:
    """Hotspot statistics inside the study runs against N: safemap's logged step
    "Spatial statistics", the peer's "Moran + Gi* + Local Moran" step."""
    series: dict[str, list[tuple]] = {}
    for r in results:
        if r["task"] != STUDY or not r.get("steps_s") or r.get("n") is None:
            continue
        for step, s in r["steps_s"].items():
            if step == "Spatial statistics" or step.startswith("Moran + Gi*"):
                series.setdefault(r["tool"], []).append((r["n"], r["m"], s))
    out = {}
    for tool, pts in series.items():
        m_all = max(p[1] for p in pts)
        out[tool] = sorted({(n, s) for n, m, s in pts if m == m_all})
    return {t: p for t, p in out.items() if len(p) >= 2}


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [
        ("join, all areas: time against N events", scaling_series(results, JOIN, "n"), "events"),
        ("whole study: time against N events", scaling_series(results, STUDY, "n"), "events"),
        ("hotspot statistics inside the study against N", hotspot_steps_vs_n(results), "events"),
        ("join: time against M areas", scaling_series(results, JOIN, "m"), "areas"),
        ("whole study: time against M areas", scaling_series(results, STUDY, "m"), "areas"),
        ("Gi* + Local Moran 999: time against M areas", scaling_series(results, HOTSPOTS, "m"),
         "areas"),
    ]
    # One colour per tool across the panels: safemap always red, the peers in name order.
    tools = sorted({tool for _, series, _ in panels for tool in series if "safemap" not in tool})
    palette = ["tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:brown", "tab:gray"]
    colour = {tool: palette[i % len(palette)] for i, tool in enumerate(tools)}
    fig, axes = plt.subplots(2, 3, figsize=(16, 9))
    for ax, (title, series, xlabel) in zip(axes.ravel(), panels):
        for tool, pts in sorted(series.items()):
            xs, ys = zip(*pts)
            mine = "safemap" in tool
            ax.plot(xs, ys, marker="o", label=tool, linewidth=2.5 if mine else 1.2,
                    color="tab:red" if mine else colour[tool])
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("median seconds")
        ax.grid(True, which="both", alpha=0.3)
        if series:
            ax.legend(fontsize=8)
    fig.suptitle("safemap and its peers: scaling (benches/peers/run.sh)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def scaling_tables(results: list[dict]) -> list[str]:
    out = []
    for task, axis, title in [(JOIN, "n", "join against N events (all areas)"),
                              (STUDY, "n", "whole study against N events (all areas)"),
                              (JOIN, "m", "join against M areas"),
                              (STUDY, "m", "whole study against M areas"),
                              (HOTSPOTS, "m", "Gi* + Local Moran, 999 permutations, against M areas")]:
        series = scaling_series(results, task, axis)
        if not series:
            continue
        xs = sorted({x for pts in series.values() for x, _ in pts})
        out.append(f"\n**{title}** (median seconds)\n")
        out.append("| tool | " + " | ".join(f"{x:,}" for x in xs) + " |")
        out.append("|---|" + "---|" * len(xs))
        for tool, pts in sorted(series.items(), key=lambda kv: not kv[0].startswith("safemap")):
            d = dict(pts)
            out.append(f"| {tool} | " + " | ".join(secs(d.get(x)) for x in xs) + " |")
    hs = hotspot_steps_vs_n(results)
    if hs:
        xs = sorted({x for pts in hs.values() for x, _ in pts})
        out.append("\n**hotspot statistics inside the whole study, against N events** (one run "
                   "each; safemap's step \"Spatial statistics\" = global Moran, Gi*, Local Moran; "
                   "the peer's Moran + Gi* + Local Moran step)\n")
        out.append("| tool | " + " | ".join(f"{x:,}" for x in xs) + " |")
        out.append("|---|" + "---|" * len(xs))
        for tool, pts in sorted(hs.items()):
            d = dict(pts)
            out.append(f"| {tool} | " + " | ".join(secs(d.get(x)) for x in xs) + " |")
    return out


def write(saved: dict, md_path: Path, png_path: Path) -> bool:
    f, results = saved["facts"], saved["results"]
    sizes = saved["sizes"]
    join_sizes = [r["size"] for r in results if r["task"] == JOIN and r.get("n") == sizes["join"][-1]
                  and not r.get("scaling_only")]
    target_lines, _ = targets(results, join_sizes[0] if join_sizes else None)
    agree_lines, ok = agreement_section(results)
    failed = [r for r in results if "failed" in r]
    plot(results, png_path)
    v = f["versions"]
    postgis = next((r["postgis_version"] for r in results if r.get("postgis_version")), None)
    lines = [
        "# safemap against its peers",
        "",
        "Generated by `bash benches/peers/run.sh`"
        + (" **--quick (development sizes, not the comparison)**" if f["quick"] else "")
        + f" on {f['date']}; do not edit (rerun it). Every tool ran on the same input files in "
          "the same run, each (task, size, tool) in its own process; the median of "
          f"**{f['reps']}** timed repetitions inside that process (points only on the scaling "
          f"curves: {f['scaling_reps']}), after loading the inputs, which is never timed "
          "(shown as load). Peak memory is the process's peak resident set (GNU time's %M). "
          "Ratio: the peer's median over safemap's on the same row group (> 1: safemap is "
          "faster).",
        "",
        f"Machine: {f['cpu']}, {f['cores']} cores, {f['memory_gib']} GiB; load average "
        f"{', '.join(f'{x:.2f}' for x in f['load_at_start'])} at the start, "
        f"{', '.join(f'{x:.2f}' for x in saved['load_at_end'])} at the end. Every tool was given "
        f"{f['threads']} threads (rayon, DuckDB `threads`, PostGIS leader + 1 worker, esda "
        "`n_jobs`, numba). Whole run: "
        f"{saved['total_s'] / 60:.1f} min.",
        "",
        f"Versions: safemap {f['safemap_commit']} ({f['rustc']}, release build), Python "
        f"{f['python']}, " + ", ".join(f"{k} {val}" for k, val in v.items() if val)
        + f", {f['postgres']}, PostGIS {postgis or '(not run)'}.",
        "",
        "Inputs: the 34,753 England and Wales LSOA11 polygons of "
        "`../shared/data/boundaries/uk-geojson/england_wales_lsoa11.geojson.gz`, projected once "
        "to British National Grid by safemap (OSTN15) and written as GeoJSON with every "
        "coordinate in shortest round-trip form, so every tool joins against identical "
        f"coordinates; the events and services made by {saved.get('inputs_generator', 'safemap synth national')} "
        "with the mid-2019 population; the first 100k / 1M events are the first rows of the "
        "one 10M-event file.",
        "",
        "## Results",
        "",
        *main_table(results),
        "",
        "What each join time holds:",
        "",
        *[f"- **{t}**: {d}." for t, d in JOIN_TIMED.items()],
        "",
        "## Targets (issue 15)",
        "",
        *target_lines,
        "",
        "## Agreement",
        "",
        *agree_lines,
        "",
        "## Scaling",
        "",
        "![scaling curves](scaling.png)",
        "",
        "Against N: all areas, the first N events of the one file. Against M: the first M LSOAs "
        "of the boundary file (file order, so contiguous districts) with their own synthetic "
        f"workload of {sizes['scaling_m_events']:,} events (made the same way on the "
        "subset); the hotspot statistics on the counts of those events. PostGIS is in the "
        "main table only (its load of millions of points takes longer than its join).",
        *scaling_tables(results),
        "",
    ]
    if failed:
        lines += ["## Failures", ""] + [f"- {r['task']} {r['size']} {r['tool']}: exit "
                                        f"{r.get('exit')}" for r in failed] + [""]
    md_path.write_text("\n".join(lines))
    return ok and not failed
