"""Build an offline HTML report from trustsim run files.

Usage: python3 -m analysis.report RUN.h5... -o DIR  (or scripts/report ...)
Writes DIR/index.html with every chart as PNG and SVG and its data as CSV
beside it, then prints the path of index.html.
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
from .charts import RUN_MODULES
from .charts.base import Context
from .page import render
from .reader import FormatError, open_run

WINDOWS = (7, 14, 28)
MIN_PER_WINDOW = 30  # victimisations a rolling window should hold to be readable


def auto_window(runs) -> int:
    """Shortest window in which the least busy run has ~30 victimisations in total.

    Small test cities see a crime or two a day; a 7-day share of that is noise.
    """
    per_day = min(float(np.mean(r.series("victimisations").values.sum(axis=(2, 3, 4))))
                  for r in runs)
    return next((w for w in WINDOWS if per_day * w >= MIN_PER_WINDOW), WINDOWS[-1])


def display_labels(runs) -> dict:
    """Scenario names, made unique with the file name when two runs share one."""
    counts = Counter(r.name for r in runs)
    labels, seen = {}, set()
    for r in runs:
        lab = r.name if counts[r.name] == 1 else f"{r.name} ({r.path.stem})"
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


def build_report(paths, outdir, reference=None, window=None, map_days=()) -> Report:
    runs = [open_run(p) for p in paths]  # FormatError before any file is written
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    ref = pick_reference(runs, reference)
    ctx = Context(runs=runs, labels=display_labels(runs), reference=ref, outdir=outdir,
                  window=window or auto_window(runs), map_days=tuple(map_days))
    charts = [ch for module in RUN_MODULES for ch in module.make(ctx)]
    notes = [
        f"Daily reporting shares are {ctx.window}-day rolling ratios of summed reports to "
        f"summed victimisations; whole-run figures pool all days of a run.",
        "Members of mixed-status households are an overlay: they are also counted in their "
        "own status group, and totals for all residents leave the overlay out.",
        "95% confidence intervals are across replicates (Student's t below 30 replicates, "
        "normal from 30); a run with one replicate has none. Differences between two "
        "scenarios with the same seed and replicate count are paired by replicate.",
    ]
    if len(runs) == 1:
        notes.append("Only one run was given, so there is no comparison between scenarios.")
    meta = {"title": "trustsim report: " + ", ".join(ctx.label(r) for r in runs),
            "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "analysis_version": __version__, "reference": ctx.label(ref)}
    index = outdir / "index.html"
    index.write_text(render(charts, [r.provenance() for r in runs], meta, notes),
                     encoding="utf-8")
    return Report(index, charts, ctx)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="scripts/report", description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", help="trustsim run files (.h5)")
    ap.add_argument("-o", "--output", required=True, help="folder for index.html and charts")
    ap.add_argument("--reference", help="scenario_name to compare against (default: baseline)")
    ap.add_argument("--window", type=int, help="rolling window in days (default: automatic)")
    ap.add_argument("--map-days", default="", help="comma-separated snapshot days for maps")
    args = ap.parse_args(argv)
    days = [int(d) for d in args.map_days.split(",") if d.strip()]
    try:
        report = build_report(args.files, args.output, args.reference, args.window, days)
    except FormatError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(report.index.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
