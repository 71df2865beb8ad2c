"""What every chart shares: the Chart record, palette, saving and CSV."""
from __future__ import annotations

import csv
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ..stats import CI  # noqa: E402

# Okabe & Ito (2008), distinguishable under the common colour-vision deficiencies.
OKABE_ITO = {"orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73",
             "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00",
             "purple": "#CC79A7", "black": "#000000"}
CYCLE = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "purple",
                                "sky_blue", "yellow", "black")]
GROUP_COLOURS = {"citizen_non_immigrant": OKABE_ITO["blue"],
                 "citizen_immigrant_origin": OKABE_ITO["sky_blue"],
                 "lawful_noncitizen": OKABE_ITO["green"],
                 "undocumented": OKABE_ITO["vermillion"],
                 "mixed_status": OKABE_ITO["purple"], "all": OKABE_ITO["black"]}
SHORT_GROUP = {"citizen_non_immigrant": "Citizen\n(not imm.-origin)",
               "citizen_immigrant_origin": "Citizen\n(imm.-origin)",
               "lawful_noncitizen": "Lawful\nnon-citizen", "undocumented": "Undocumented",
               "mixed_status": "Mixed-status\n(overlay)", "all": "All"}
# Overlay and total are drawn dashed so colour is never the only cue.
GROUP_LINESTYLE = {"mixed_status": "--", "all": ":"}
SEQUENTIAL_CMAP = "cividis"  # perceptually uniform and colour-blind safe

plt.rcParams.update({"svg.hashsalt": "trustsim", "font.size": 9, "axes.titlesize": 10,
                     "axes.spines.top": False, "axes.spines.right": False})


@dataclass
class Chart:
    """One figure of the report and the words that go with it."""
    id: str
    section: str
    title: str
    alt: str
    summary: str
    png: str
    svg: str
    csv: str
    facts: dict = field(default_factory=dict)  # every number the summary quotes
    table: tuple = ()  # optional (header, rows) printed under the figure

    def __post_init__(self):
        # Plain floats, not 0-d numpy arrays, so facts compare and print simply.
        self.facts = {k: float(v) if isinstance(v, (np.ndarray, np.generic)) and np.ndim(v) == 0
                      else v for k, v in self.facts.items()}


@dataclass
class Context:
    runs: list
    labels: dict          # id(run) -> display label
    reference: object     # the run other scenarios are compared against
    outdir: Path
    window: int           # rolling window (days) for noisy daily rates
    map_days: tuple = ()  # requested snapshot days; empty = first, middle, last
    slugs: dict = field(default_factory=dict)  # id(run) -> unique file-name part

    def label(self, run) -> str:
        return self.labels[id(run)]

    def slug(self, run) -> str:
        """The run's part of its chart file names: unique within the report, so two
        labels that slugify alike ('caf!', 'caf?') never share (overwrite) files."""
        if not self.slugs:
            self.slugs = unique_slugs(self.runs, self.label)
        return self.slugs[id(run)]


@dataclass
class SweepContext:
    """What the sweep charts (charts/sweep.py) get: one merged sweep (reader.Sweep)."""
    sweep: object
    outdir: Path


def paired_runs(a, b) -> bool:
    """Same seed and replicate count: replicate i of both runs shares its random
    numbers (common random numbers), so differences are taken within pairs."""
    return a.seed == b.seed and a.replicates == b.replicates


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", str(text)).strip("_") or "chart"


def unique_slugs(runs, label) -> dict:
    """id(run) -> slug(label(run)), with -2, -3... added where two labels slugify alike."""
    out, taken = {}, set()
    for r in runs:
        base = cand = slug(label(r))
        k = 1
        while cand.lower() in taken:  # lower: case-insensitive file systems
            k += 1
            cand = f"{base}-{k}"
        taken.add(cand.lower())
        out[id(r)] = cand
    return out


def group_colour(g, i: int = 0) -> str:
    return GROUP_COLOURS.get(str(g), CYCLE[i % len(CYCLE)])


def scenario_colour(i: int) -> str:
    return CYCLE[i % len(CYCLE)]


def save(fig, ctx: Context, chart_id: str) -> tuple:
    """Write PNG and SVG next to index.html; returns their file names."""
    png, svg = f"{chart_id}.png", f"{chart_id}.svg"
    fig.savefig(ctx.outdir / png, dpi=110)
    # No date in the SVG so that reruns on the same data give identical files.
    fig.savefig(ctx.outdir / svg, metadata={"Date": None})
    plt.close(fig)
    return png, svg


def write_csv(ctx: Context, chart_id: str, header: list, rows) -> str:
    name = f"{chart_id}.csv"
    with open(ctx.outdir / name, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for row in rows:
            w.writerow([_cell(v) for v in row])
    return name


def _cell(v):
    if isinstance(v, (float, np.floating)):
        return "" if np.isnan(v) else repr(float(v))
    if isinstance(v, np.integer):
        return int(v)
    return v


def ci_row(ci: CI, index=()) -> list:
    """mean, ci_low, ci_high, n at one position (for CSV rows)."""
    c = ci.item(*index) if index != () else ci
    return [float(c.mean), float(c.lo), float(c.hi), int(c.n)]


def band(ax, x, ci: CI, colour: str, label: str, ls: str = "-"):
    """A mean line with its 95% band (no band when there is one replicate)."""
    ax.plot(x, ci.mean, color=colour, ls=ls, lw=1.6, label=label)
    if np.any(np.asarray(ci.n) >= 2):
        ax.fill_between(x, ci.lo, ci.hi, color=colour, alpha=0.18, lw=0)


def errorbars(ax, y, ci: CI, colour: str, label=None, horizontal=True, marker="o"):
    """Points with 95% whiskers; scalars or arrays."""
    mean, lo, hi = (np.atleast_1d(np.asarray(a, dtype=float)) for a in (ci.mean, ci.lo, ci.hi))
    keep = ~np.isnan(mean)  # nothing to draw where there is no value (e.g. no detainees)
    if not keep.any():
        return
    y, mean, lo, hi = np.atleast_1d(y)[keep], mean[keep], lo[keep], hi[keep]
    err = np.vstack([mean - lo, hi - mean])
    err = np.where(np.isnan(err), 0, err)
    if horizontal:
        ax.errorbar(mean, y, xerr=err, fmt=marker, color=colour, capsize=3, label=label)
    else:
        ax.errorbar(y, mean, yerr=err, fmt=marker, color=colour, capsize=3, label=label)


def suptitle(fig, text: str):
    """The finding as the figure title, wrapped by hand so constrained layout
    leaves room for every line (matplotlib's wrap=True does not)."""
    width = fig.get_figwidth()
    fig.suptitle(textwrap.fill(text, int(width * 12.5)), x=0.01, ha="left", fontsize=10)


def legend_below(ax, ncol=3, offset=-0.18, **kw):
    """A legend under the axes, so it never hides data (offset: lower under an x label)."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, offset), ncol=ncol, fontsize=7,
              frameon=False, **kw)


def new_figure(width=8.0, height=4.2, **kw):
    return plt.subplots(figsize=(width, height), layout="constrained", **kw)
