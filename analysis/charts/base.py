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

# Okabe & Ito (2008) hues, distinguishable under the common colour-vision deficiencies,
# with the light ones darkened (orange, sky blue, yellow, reddish purple) so that every
# colour has at least 3:1 contrast on white (WCAG 2.1 non-text contrast; tested). The
# original yellow #F0E442 had 1.3:1 and vanished on paper.
PALETTE = {"orange": "#C27C00", "sky_blue": "#2C8AC4", "green": "#009E73",
           "yellow": "#8F8000", "blue": "#0072B2", "vermillion": "#D55E00",
           "purple": "#B0538E", "black": "#000000", "grey": "#767676"}
OKABE_ITO = PALETTE  # the name other modules import
MIN_CONTRAST = 3.0
CYCLE = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "purple",
                              "sky_blue", "yellow", "black")]
GROUP_COLOURS = {"citizen_non_immigrant": PALETTE["blue"],
                 "citizen_immigrant_origin": PALETTE["sky_blue"],
                 "lawful_noncitizen": PALETTE["green"],
                 "undocumented": PALETTE["vermillion"],
                 "mixed_status": PALETTE["purple"], "all": PALETTE["black"]}
SHORT_GROUP = {"citizen_non_immigrant": "Citizen\n(not imm.-origin)",
               "citizen_immigrant_origin": "Citizen\n(imm.-origin)",
               "lawful_noncitizen": "Lawful\nnon-citizen", "undocumented": "Undocumented",
               "mixed_status": "Mixed-status\n(overlay)", "all": "All"}


def contrast_on_white(colour) -> float:
    """WCAG 2.1 contrast ratio of a colour against white (1 to 21)."""
    from matplotlib.colors import to_rgb
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return 1.05 / (lum + 0.05)


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
    window: int           # rolling window (days) for all residents' daily rates
    map_days: tuple = ()  # requested snapshot days; empty = first, middle, last
    slugs: dict = field(default_factory=dict)  # id(run) -> unique file-name part
    group_windows: dict = field(default_factory=dict)  # group -> its own rolling window
    decompositions: dict = field(default_factory=dict)  # scenario name -> reader.Decomposition

    def window_for(self, group) -> int:
        """A small group sees few crimes a day, so its rolling window is longer."""
        return self.group_windows.get(str(group), self.window)

    def rolling_reporting(self, run):
        """Daily reporting shares [replicate, day, group], each group with its own window."""
        first = run.reporting_rate(window=self.window)
        groups = list(first.coords["group"])
        vals = first.values.copy()
        for w in sorted({self.window_for(g) for g in groups} - {self.window}):
            other = run.reporting_rate(window=w).values
            for i, g in enumerate(groups):
                if self.window_for(g) == w:
                    vals[:, :, i] = other[:, :, i]
        return first, vals

    @property
    def common_days(self) -> int:
        """The shortest run's length: runs of different lengths compare on days 0..this-1."""
        return min(r.days for r in self.runs)

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


def common_window_note(ctx) -> str:
    """'' when all runs have one length; else how they were put on a common window."""
    longer = sorted({r.days for r in ctx.runs if r.days > ctx.common_days})
    if not longer:
        return ""
    who = ", ".join(ctx.label(r) for r in ctx.runs if r.days > ctx.common_days)
    return (f"; runs of different lengths are compared on their common days 0-"
            f"{ctx.common_days - 1} (the later days of {who} are left out)")


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


def mark_changes(ax, run, colour="0.25", label=True):
    """A dashed vertical line at each policy change after day 0, named at the top."""
    for ch in run.policy_changes():
        if 0 < ch.day < run.days:
            ax.axvline(ch.day, color=colour, lw=1.0, ls="--", zorder=1)
            if label:
                ax.annotate(f"day {ch.day}: {ch.label}", (ch.day, 1.0),
                            xycoords=("data", "axes fraction"), fontsize=6, va="top",
                            xytext=(2, -1), textcoords="offset points", color="0.2")


def share_axis(ax, lo=0.0, hi=1.0):
    """Shares and 0-1 scores always on their whole range, so charts compare by eye."""
    ax.set_ylim(lo, hi)


def new_figure(width=8.0, height=4.2, **kw):
    return plt.subplots(figsize=(width, height), layout="constrained", **kw)
