"""Build an offline HTML report from trustsim run files or a merged sweep.

Usage: python3 -m analysis.report RUN.h5... -o DIR  (or scripts/report ...)
       python3 -m analysis.report SWEEP.h5 -o DIR   (a file written by `trustsim merge`)
Writes DIR/index.html with every chart as PNG and SVG and its data as CSV
beside it, and (for run files) DIR/brief.html, the one-page brief for policymakers;
then prints the path of index.html.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from . import __version__
from .brief import DEFAULT_CITY, write_brief
from .charts import RUN_MODULES, SWEEP_MODULES
from .charts.base import Context, SweepContext
from .page import SWEEP_KEYS, render
from .reader import (SWEEP_FORMAT_NAME, FormatError, file_format, open_decomposition,
                     open_run, open_sweep)
from .text import clean, plural

WINDOWS = (7, 14, 28, 56, 91)
# Victimisations a rolling window should hold, pooled over replicates, for the plotted
# share to have about +-3 points of noise (95%): 1.96 * sqrt(0.25 / 1100) = 0.03.
MIN_PER_WINDOW = 1100


def _per_day(run, group=None) -> float:
    """Victimisations a day, summed over replicates (of one group, or all residents)."""
    lab = run.series("victimisations")
    v = lab.values
    if group is not None:
        v = np.take(v, [lab.index("group", group)], axis=lab.axis("group"))
    else:
        v = np.take(v, [lab.index("group", g) for g in run.base_groups()], axis=lab.axis("group"))
    return float(v.sum()) / max(run.days, 1)


def _window(per_day: float, days: int) -> int:
    w = next((w for w in WINDOWS if per_day * w >= MIN_PER_WINDOW), WINDOWS[-1])
    return max(1, min(w, days))


def auto_window(runs) -> int:
    """Shortest window in which the least busy run has ~1,100 victimisations of all
    residents (pooled over replicates); a small test city falls back to the longest."""
    return _window(min(_per_day(r) for r in runs), min(r.days for r in runs))


def group_windows(runs, window=None) -> dict:
    """group -> rolling window: each group's own (small groups see few crimes a day), or
    the window the user chose for every group."""
    groups = [g for g in runs[0].coord("group")]
    if window:
        return {str(g): window for g in groups}
    days = min(r.days for r in runs)
    return {str(g): _window(min(_per_day(r, g) for r in runs), days) for g in groups}


def display_labels(runs) -> dict:
    """Scenario names, made unique with the file name when two runs share one."""
    counts = Counter(clean(r.name) for r in runs)
    labels, seen = {}, set()
    for r in runs:
        name = clean(r.name)
        lab = name if counts[name] == 1 else f"{name} ({clean(r.path.stem)})"
        while lab in seen:
            lab += "'"
        seen.add(lab)
        labels[id(r)] = lab
    return labels


def pick_reference(runs, name=None):
    """The named scenario, else the one called 'baseline', else the first file."""
    want = name or "baseline"
    match = [r for r in runs if r.name == want]
    if name and not match:
        raise SystemExit(f"error: no run has scenario_name {name!r}; "
                         f"have {', '.join(r.name for r in runs)}")
    return match[0] if match else runs[0]


@dataclass
class Report:
    index: Path      # the index.html written
    charts: list     # Chart records in page order (titles, summaries, facts)
    context: Context


def load_decompositions(folder, runs, ref) -> tuple:
    """({scenario name: reader.Decomposition}, notes) from folder/*/decomposition.h5
    (scripts/decompose --all). No folder: none, and no note. A file that cannot be read is
    left out with a note saying why; so is a scenario of the report that has none."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}, []
    found, notes = {}, []
    for path in sorted(folder.glob("*/decomposition.h5")):
        try:
            dec = open_decomposition(path)
        except FormatError as e:
            notes.append(f"Channel decomposition left out: {e}")
            continue
        if dec.reference_name != ref.name:
            notes.append(f"Channel decomposition {path} left out: it is against "
                         f"{dec.reference_name}, the report against {ref.name}.")
            continue
        found.setdefault(dec.name, dec)
    used = [found[r.name] for r in runs if r is not ref and r.name in found]
    if used:
        revs = sorted({f"{d.attrs.get('software_version', '?')} ({d.attrs.get('git_revision', '?')})"
                       for d in used})
        notes.append(f"Channel decompositions ('What drives the change in reporting') from "
                     f"{folder} for {len(used)} scenario(s) against {ref.name}, made by trustsim "
                     f"{', '.join(revs)} (scripts/decompose).")
    missing = [r.name for r in runs if r is not ref and r.name not in found]
    if found and missing:
        notes.append(f"No channel decomposition in {folder} for {', '.join(missing)} "
                     f"(scripts/decompose --all scenarios/ -o {folder}).")
    return found, notes


def build_report(paths, outdir, reference=None, window=None, map_days=(),
                 city=DEFAULT_CITY, decomposition=None) -> Report:
    """Run files make the scenario report; one merged sweep file makes the sweep report.
    decomposition: the folder of scripts/decompose --all (default: decomposition/ beside
    the first run file), read when it exists."""
    sweeps = [p for p in paths if file_format(p) == SWEEP_FORMAT_NAME]
    if sweeps:
        if len(paths) != 1:
            raise UsageError(
                f"{sweeps[0]} is a merged sweep: give it alone (one sweep per report), not "
                f"with {len(paths) - 1} other file(s)")
        return build_sweep_report(paths[0], outdir)
    runs = [open_run(p) for p in paths]  # FormatError before any file is written
    check_window(window, runs)
    outdir = output_folder(outdir)
    ref = pick_reference(runs, reference)
    decs, dec_notes = load_decompositions(
        decomposition or Path(paths[0]).parent / "decomposition", runs, ref)
    ctx = Context(runs=runs, labels=display_labels(runs), reference=ref, outdir=outdir,
                  window=window or auto_window(runs), map_days=tuple(map_days),
                  group_windows=group_windows(runs, window), decompositions=decs)
    charts = [ch for module in RUN_MODULES for ch in module.make(ctx)]
    notes = [
        "Daily reporting shares are rolling ratios of summed reports to summed "
        "victimisations, each group with its own window (longer for small groups, so that "
        "a window holds about 1,100 victimisations over the replicates and the line's noise "
        "stays near 3 points); whole-run figures pool all days of a run. Rates are per "
        "10,000 residents per year. Dashed vertical lines mark policy changes.",
        "Headlines state an effect only when its 95% interval excludes zero; otherwise they "
        "say the data show no clear effect.",
        "Members of mixed-status households are an overlay: they are also counted in their "
        "own status group, and totals for all residents leave the overlay out.",
        "95% confidence intervals are across replicates (Student's t below 30 replicates, "
        "normal from 30); a run with one replicate has none. Differences between two "
        "scenarios with the same seed and replicate count are paired by replicate.",
    ]
    notes += dec_notes
    if len(runs) == 1:
        notes.append("Only one run was given, so there is no comparison between scenarios.")
    title = (f"Policies compared: {len(runs) - 1} simulated scenario(s) against {ctx.label(ref)}"
             if len(runs) > 1 else f"One simulated scenario: {ctx.label(ref)}")
    meta = {"title": title,
            "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "analysis_version": __version__, "reference": ctx.label(ref), "brief": True}
    write_brief(ctx, city, f"Generated {meta['generated']}.")
    index = outdir / "index.html"
    sources = [{k: clean(v) for k, v in r.provenance().items()} for r in runs]
    index.write_text(render(charts, sources, meta, notes), encoding="utf-8")
    return Report(index, charts, ctx)


class UsageError(ValueError):
    """Files that cannot go into one report together, or options that cannot apply."""


def output_folder(outdir) -> Path:
    """The report's folder, created if needed; an existing file there is refused."""
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise UsageError(f"-o {outdir}: exists and is not a folder; the report is a folder "
                         f"(index.html and its charts): name a new or existing folder")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"-o {outdir}: cannot create the folder ({e.strerror})") from None
    return outdir


def check_window(window, runs) -> None:
    """A rolling window must hold at least one day and fit in the shortest run."""
    if window is None:
        return
    shortest = min(r.days for r in runs)
    if not 1 <= window <= shortest:
        raise UsageError(f"--window {window}: must be a whole number of days from 1 to "
                         f"{shortest} (the shortest run's length)")


def parse_days(text: str) -> list:
    """'0,119' -> [0, 119]; anything but non-negative whole numbers is a UsageError."""
    days = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if not part.isdigit():
            raise UsageError(f"--map-days {text!r}: {part!r} is not a day number "
                             f"(give whole days from 0, comma-separated, e.g. 0,119)")
        days.append(int(part))
    return days


def build_sweep_report(path, outdir) -> Report:
    sweep = open_sweep(path)  # FormatError before any file is written
    outdir = output_folder(outdir)
    ctx = SweepContext(sweep=sweep, outdir=outdir)
    charts = [ch for module in SWEEP_MODULES for ch in module.make(ctx)]
    c = sweep.counts
    notes = [
        f"Sweep {sweep.name} ({sweep.attrs.get('sweep_description', '')}): {sweep.design} "
        f"design over {', '.join(sweep.parameters) or 'no parameters'}; "
        f"{plural(sweep.points, 'design point')} x {plural(sweep.replicates, 'replicate')} x "
        f"{plural(len(sweep.scenarios), 'scenario')} ({', '.join(sweep.scenarios)}) = "
        f"{sum(c.values())} runs: {c['ok']} ok, "
        f"{c['failed']} failed, {c['missing']} missing.",
        f"Sweep seed {sweep.seed}; every run's own seed is in sweep_runs.csv. Runs of the "
        f"same design point and replicate share a seed across scenarios (common random "
        f"numbers), so differences between scenarios are paired.",
        f"Outputs are summaries over each run's last {sweep.attrs.get('window_days', '?')} "
        f"days (trust and fear: the last day); each chart uses replicate means, and runs "
        f"that did not finish are left out. 95% intervals across replicates are t-based; "
        f"Sobol intervals are bootstrap percentiles.",
        "Parameter units come from the parameter registry (docs/parameters.md): the merged "
        "sweep file does not record them.",
    ]
    meta = {"title": f"trustsim sweep report: {sweep.name}",
            "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "analysis_version": __version__,
            "intro": f"from the merged sweep file {sweep.path.name} (format "
                     f"{sweep.attrs['format']} {sweep.attrs['format_version']}, trustsim "
                     f"{sweep.attrs['software_version']}).",
            "sources_text": "The sweep file, its base scenario files, seeds and the software "
                            "versions that produced every chart below.",
            "footer": "Each chart has its PNG, its SVG and its data as CSV in this folder. "
                      "Colours follow the Okabe-Ito hues, darkened so each has at least 3:1 "
                      "contrast on white; heatmaps use the cividis scale for values and the "
                      "PuOr diverging scale for differences. Rates are per 10,000 residents "
                      "per year, as in the scenario report."}
    appendix = [(f"Sweep file {sweep.sweep_text.get('file', '')} as run",
                 sweep.sweep_text.get("yaml", ""))]
    appendix += [(f"Base scenario {p}", t) for p, t in
                 zip(sweep.sweep_text.get("scenario_paths", []),
                     sweep.sweep_text.get("scenario_yaml", []))]
    index = outdir / "index.html"
    index.write_text(render(charts, [sweep.provenance()], meta, notes, SWEEP_KEYS, appendix),
                     encoding="utf-8")
    return Report(index, charts, ctx)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="scripts/report", description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+",
                    help="trustsim run files (.h5), or one merged sweep file")
    ap.add_argument("-o", "--output", required=True, help="folder for index.html and charts")
    ap.add_argument("--reference", help="scenario_name to compare against (default: baseline)")
    ap.add_argument("--window", type=int, help="rolling window in days (default: automatic)")
    ap.add_argument("--map-days", default="", help="comma-separated snapshot days for maps")
    ap.add_argument("--city-size", type=int, default=DEFAULT_CITY,
                    help="residents of the city the brief's numbers are scaled to "
                         f"(default {DEFAULT_CITY:,})")
    ap.add_argument("--decomposition", help="folder of scripts/decompose --all (default: "
                                            "decomposition/ beside the first run file)")
    args = ap.parse_args(argv)
    try:
        days = parse_days(args.map_days)
        if not 1_000 <= args.city_size <= 100_000_000:
            raise UsageError(f"--city-size {args.city_size}: give a city of 1,000 to "
                             f"100,000,000 residents")
        report = build_report(args.files, args.output, args.reference, args.window, days,
                              args.city_size, args.decomposition)
    except (FormatError, UsageError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(report.index.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
