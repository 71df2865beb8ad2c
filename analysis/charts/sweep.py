"""Charts of a merged sweep (format "trustsim-sweep"), read through reader.Sweep.

- the runs: how many finished, failed or are missing, with their errors;
- a heatmap of each analysed output over two grid parameters (per scenario, and the
  difference between scenarios, paired by replicate);
- Sobol sensitivity indices (first and total order, bootstrap intervals);
- each analysed output against each parameter (lines for grids, scatter of replicate
  means for LHS, Sobol and list designs).

Every value plotted is a mean over replicates; runs that are not ok are NaN in the file
and left out, so a cell or point with no finished run shows "n/a".
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.patches import Rectangle

from ..stats import CI, NONNEG, SHARE, SHARE_DIFF, Z975, mean_ci
from ..text import excludes_zero, group_label, num, pct, plural, pp, signed
from .base import (CYCLE, OKABE_ITO, SEQUENTIAL_CMAP, Chart, legend_below, new_figure, save,
                   slug, suptitle, write_csv)

SECTION = "Parameter sweep"
DIVERGING_CMAP = "PuOr"  # ColorBrewer diverging, readable under colour-vision deficiencies
STATUS_COLOURS = {"ok": OKABE_ITO["green"], "failed": OKABE_ITO["vermillion"],
                  "missing": OKABE_ITO["grey"]}
STATUS_HATCH = {"ok": "", "failed": "//", "missing": ".."}
MAX_ERRORS_SHOWN = 20


# --- words and numbers ------------------------------------------------------------------

BASE_NAMES = {"reporting_rate": "reporting rate", "victimisation_rate": "crime rate",
              "clearance_rate": "clearance rate", "detentions": "detention rate",
              "removals": "removal rate", "trust_mean": "mean trust", "fear_mean": "mean fear",
              "below_baseline_share": "share reporting less than at the start",
              "immigration_hours_share": "share of officer hours on immigration work",
              "court_backlog": "court backlog"}
QUALIFIERS = {"no_record_share": "share of detainees with no record",
              "no_violent_record_share": "share of detainees with no violent record"}


def output_label(name: str) -> str:
    """'reporting_rate.undocumented' -> 'reporting rate of undocumented residents'."""
    base, *rest = str(name).split(".")
    if base == "detentions" and rest and rest[0] in QUALIFIERS:
        return QUALIFIERS[rest[0]]
    if base == "below_baseline_share" and len(rest) == 1:
        return f"share of {group_label(rest[0])} reporting less readily than at the start"
    words = BASE_NAMES.get(base, base.replace("_", " "))
    for part in rest:
        if part in ("violent", "property"):
            words += f", {part} crime"
        elif base == "detentions":
            words += f" through the {part.replace('_', ' ')} pathway"
        else:
            words += f" of {group_label(part)}"
    return words


@dataclass(frozen=True)
class Scale:
    """How an output's values and differences are written and drawn.

    Rates the sweep file gives per 1,000 residents are shown per 10,000, the unit of
    every report (analysis.measures.PER_RESIDENTS)."""
    file_units: str

    @property
    def units(self) -> str:
        return self.file_units.replace("per 1,000 residents", "per 10,000 residents")

    @property
    def rescale(self) -> float:
        return 10.0 if "per 1,000 residents" in self.file_units else 1.0

    @property
    def share(self) -> bool:
        return self.units == "share"

    @property
    def unit_score(self) -> bool:
        return self.units == "0-1"

    @property
    def factor(self) -> float:  # drawn values: shares in percent, rates per 10,000
        return 100.0 if self.share else self.rescale

    @property
    def digits(self) -> int:
        return 3 if self.unit_score else (1 if self.units == "cases" else 2)

    def level(self, x) -> str:
        return pct(x) if self.share else num(x * self.rescale, self.digits)

    def diff(self, x) -> str:
        return f"{pp(x)} points" if self.share else signed(x * self.rescale, self.digits)

    def cell(self, x, is_diff: bool) -> str:
        """Short text for a heatmap cell."""
        if x is None or not np.isfinite(x):
            return "n/a"
        if self.share:
            return pp(x) if is_diff else f"{100 * x:.1f}"
        d, x = self.digits, x * self.rescale
        return signed(x, d) if is_diff else f"{x:.{d}f}"

    @property
    def named(self) -> str:
        """The unit in brackets after an output's name ('' for shares: they print as %)."""
        return "" if self.share else f" ({self.axis()})"

    def bounds(self, is_diff: bool):
        """The range a mean and its interval can take, so intervals never claim a
        negative share or count."""
        if self.share or self.unit_score:
            return SHARE_DIFF if is_diff else SHARE
        if self.units.startswith(("person", "case", "per ")):
            return None if is_diff else NONNEG
        return None

    def axis(self, is_diff: bool = False) -> str:
        if self.share:
            return "percentage points" if is_diff else "%"
        if self.unit_score:
            return "0-1 scale"
        return self.units or "no unit"


def bracket(ci: CI, fmt) -> str:
    """'(95% CI a to b)', or why there is none."""
    n = int(np.asarray(ci.n))
    if n == 0:
        return "(no finished run)"
    if n == 1 or not np.isfinite(ci.lo):
        return "(one replicate: no interval)"
    return f"(95% CI {fmt(ci.lo)} to {fmt(ci.hi)})"


def param_axis(sw, p: str) -> str:
    unit = sw.parameter_units(p)
    return f"{p} ({unit})" if unit else f"{p} (no unit)"


def _nanmean(x, axis):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(x, axis=axis)


def paired(sw) -> bool:
    """Scenarios of one point and replicate share a seed (common random numbers)."""
    seeds = np.asarray(sw.runs["seed"]).reshape(sw.points, sw.replicates, len(sw.scenarios))
    return bool(np.all(seeds == seeds[..., :1]))


# --- the numbers (kept apart from drawing so tests can recompute them) -------------------

def cell_samples(out: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per replicate, the mean over the design points in `mask`: out is [point, replicate]."""
    return _nanmean(out[mask], axis=0)


def _bounds(sw, output: str, is_diff: bool = False):
    return Scale(sw.output_units(output)).bounds(is_diff)


def heatmap_cells(sw, output: str, px: str, py: str) -> dict:
    """(x value, y value) grid of per-scenario means and scenario-minus-first differences.

    Returns xs, ys (sorted unique design values), and for each key (a scenario name, or
    'B minus A') a 2-D list of CI records [y][x] across replicates. Design points that
    share the two values (more than two parameters) are averaged per replicate first.
    """
    v = sw.output(output).values  # [point, replicate, scenario]
    xv, yv = sw.parameter_values(px), sw.parameter_values(py)
    xs, ys = np.unique(xv), np.unique(yv)
    S = len(sw.scenarios)
    layers = {}
    for s, name in enumerate(sw.scenarios):
        layers[name] = v[:, :, s]
    for s in range(1, S):
        layers[f"{sw.scenarios[s]} minus {sw.scenarios[0]}"] = v[:, :, s] - v[:, :, 0]
    cells = {}
    for key, arr in layers.items():
        b = _bounds(sw, output, key not in sw.scenarios)
        cells[key] = [[mean_ci(cell_samples(arr, (xv == x) & (yv == y)), bounds=b)
                       for x in xs] for y in ys]
    return {"xs": xs, "ys": ys, "cells": cells}


def marginal(sw, output: str, p: str, s: int) -> tuple:
    """Grid: for each value of p, the per-replicate mean over the other parameters, as a CI."""
    v = sw.output(output).values[:, :, s]
    pv = sw.parameter_values(p)
    xs = np.unique(pv)
    return xs, [mean_ci(cell_samples(v, pv == x), bounds=_bounds(sw, output)) for x in xs]


def point_means(sw, output: str, s: int) -> CI:
    """Per design point, the mean over replicates (NaN-aware) with its interval."""
    return mean_ci(sw.output(output).values[:, :, s], axis=1, bounds=_bounds(sw, output))


def correlation_ci(x, y) -> tuple:
    """Pearson r with a Fisher-z 95% interval (NaN bounds below 4 points); n points used."""
    ok = np.isfinite(x) & np.isfinite(y)
    n = int(ok.sum())
    if n < 3 or np.std(x[ok]) == 0 or np.std(y[ok]) == 0:
        return np.nan, np.nan, np.nan, n
    r = float(np.corrcoef(x[ok], y[ok])[0, 1])
    if n < 4:
        return r, np.nan, np.nan, n
    z, half = np.arctanh(np.clip(r, -0.999999, 0.999999)), Z975 / np.sqrt(n - 3)
    return r, float(np.tanh(z - half)), float(np.tanh(z + half)), n


def r_text(r, lo, hi, n) -> str:
    if not np.isfinite(r):
        return f"r undefined ({n} points with a value)"
    ci = f"95% CI {lo:+.2f} to {hi:+.2f}" if np.isfinite(lo) else "too few points for an interval"
    return f"r = {r:+.2f} ({ci}, {n} points)"


# --- charts ---------------------------------------------------------------------------

def make(ctx) -> list:
    sw = ctx.sweep
    charts = [runs_chart(ctx)]
    outputs = sw.analysed_outputs()
    if sw.design == "grid" and len(sw.parameters) >= 2:
        charts += [heatmap_chart(ctx, o) for o in outputs]
    if sw.sensitivity_data is not None:
        charts += [sobol_chart(ctx, o) for o in sw.analysed_outputs()]
    if sw.parameters:
        charts.append(by_parameter_chart(ctx, outputs))
    return charts


def runs_chart(ctx) -> Chart:
    sw = ctx.sweep
    status = sw.run_status().values  # [point, replicate, scenario]
    counts = sw.counts
    N, S = sum(counts.values()), len(sw.scenarios)
    fig, (ax1, ax2) = new_figure(9.0, 1.9 + 0.35 * S, ncols=2)
    y = np.arange(S)
    left = np.zeros(S)
    for code, name in enumerate(("ok", "failed", "missing")):
        k = np.array([(status[:, :, s] == code).sum() for s in range(S)], dtype=float)
        ax1.barh(y, k, left=left, color=STATUS_COLOURS[name], hatch=STATUS_HATCH[name],
                 edgecolor="white", label=f"{name} ({counts[name]})")
        left += k
    ax1.set_yticks(y, sw.scenarios)
    ax1.invert_yaxis()
    ax1.set_xlabel("runs (count)")
    legend_below(ax1, ncol=3, offset=-0.3)
    wall = np.asarray(sw.runs["wall_seconds"], dtype=float)
    okw = wall[(np.asarray(sw.runs["status"]) == 0) & np.isfinite(wall)]
    if okw.size:
        ax2.hist(okw, bins=min(20, max(5, okw.size // 3)), color=OKABE_ITO["blue"])
    ax2.set_xlabel("wall time of a finished run (seconds)")
    ax2.set_ylabel("runs (count)")
    shape = (f"{plural(sw.points, 'design point')} x {plural(sw.replicates, 'replicate')} x "
             f"{plural(S, 'scenario')}")
    if counts["ok"] == N:
        title = f"All {N} runs of sweep {sw.name} finished ({shape})"
    else:
        title = (f"{N - counts['ok']} of {N} runs of sweep {sw.name} did not finish "
                 f"({counts['failed']} failed, {counts['missing']} missing); the charts use "
                 f"the {counts['ok']} that did")
    suptitle(fig, title)
    png, svg = save(fig, ctx, "sweep_runs")
    med = float(np.median(okw)) if okw.size else np.nan
    timing = (f"A finished run took a median of {num(med, 2)} seconds (range "
              f"{num(okw.min(), 2)} to {num(okw.max(), 2)})." if okw.size
              else "No run finished, so there are no run times.")
    summary = (f"{counts['ok']} of {N} runs finished ({counts['failed']} failed, "
               f"{counts['missing']} missing; {sw.design} design, {shape}, sweep seed "
               f"{sw.seed}). {timing}")
    if counts["ok"] < N:
        summary += (" The table lists the runs that did not finish; every chart below "
                    "leaves them out.")
    alt = (f"Stacked bars of finished, failed and missing runs for each of {S} scenarios "
           f"({counts['ok']} ok, {counts['failed']} failed, {counts['missing']} missing of "
           f"{N}), and a histogram of the wall time of the finished runs.")
    header = ["run", "point", "scenario", "replicate", "seed", "status", "wall_seconds",
              "error"] + sw.parameters
    names = ("ok", "failed", "missing")
    rows, bad = [], []
    for i in range(N):
        st = int(sw.runs["status"][i])
        row = [i, int(sw.runs["point"][i]), sw.scenarios[int(sw.runs["scenario"][i])],
               int(sw.runs["replicate"][i]), int(sw.runs["seed"][i]), names[st],
               float(sw.runs["wall_seconds"][i]), str(sw.runs["error"][i])]
        row += [sw.point_text(int(sw.runs["point"][i]), p) for p in sw.parameters]
        rows.append(row)
        if st != 0:
            bad.append(row)
    csv = write_csv(ctx, "sweep_runs", header, rows)
    table = ()
    if bad:
        shown = [[r[0], r[1], r[2], r[3], r[4], r[5], r[7] or "(no error recorded)"]
                 for r in bad[:MAX_ERRORS_SHOWN]]
        if len(bad) > MAX_ERRORS_SHOWN:
            shown.append(["...", "", "", "", "", "", f"{len(bad) - MAX_ERRORS_SHOWN} more in "
                                                    f"{csv}"])
        table = (["run", "point", "scenario", "replicate", "seed", "status", "error"], shown)
    facts = {**{f"runs_{k}": v for k, v in counts.items()}, "runs": N,
             "median_wall": med, "errors": [r[7] for r in bad]}
    return Chart("sweep_runs", SECTION, title, alt, summary, png, svg, csv, facts, table)


def _text_colour(rgba) -> str:
    r, g, b = to_rgb(rgba)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def _extreme(cells, ys, xs, largest: bool):
    """(y index, x index) of the largest (or smallest) finite mean, or None."""
    m = np.array([[c.mean for c in row] for row in cells], dtype=float)
    if not np.isfinite(m).any():
        return None
    flat = np.where(np.isfinite(m), m, -np.inf if largest else np.inf)
    idx = np.argmax(flat) if largest else np.argmin(flat)
    return np.unravel_index(idx, m.shape)


def heatmap_chart(ctx, output: str) -> Chart:
    sw = ctx.sweep
    px, py = sw.parameters[0], sw.parameters[1]
    others = sw.parameters[2:]
    sc = Scale(sw.output_units(output))
    h = heatmap_cells(sw, output, px, py)
    xs, ys, cells = h["xs"], h["ys"], h["cells"]
    keys = list(cells)
    ncols = len(keys)
    fig, axes = new_figure(min(14.0, 1.0 + 3.3 * ncols), 1.8 + 0.45 * len(ys) + 0.6,
                           ncols=ncols, squeeze=False)
    levels = [k for k in keys if k in sw.scenarios]
    lv = np.array([[[c.mean for c in row] for row in cells[k]] for k in levels], dtype=float)
    vmin, vmax = (np.nanmin(lv), np.nanmax(lv)) if np.isfinite(lv).any() else (0.0, 1.0)
    if vmin == vmax:
        vmin, vmax = vmin - 0.5 / sc.factor, vmax + 0.5 / sc.factor
    dv = [np.array([[c.mean for c in row] for row in cells[k]], dtype=float)
          for k in keys if k not in levels]
    dmax = max([np.nanmax(np.abs(d)) for d in dv if np.isfinite(d).any()] + [0.0]) or 0.01
    xt = [_value_text(sw, px, x) for x in xs]
    yt = [_value_text(sw, py, y) for y in ys]
    for ax, key in zip(axes.flat, keys):
        is_diff = key not in levels
        m = np.array([[c.mean for c in row] for row in cells[key]], dtype=float) * sc.factor
        lim = (-dmax * sc.factor, dmax * sc.factor) if is_diff else (vmin * sc.factor,
                                                                      vmax * sc.factor)
        im = ax.imshow(np.ma.masked_invalid(m), origin="lower", aspect="auto",
                       cmap=DIVERGING_CMAP if is_diff else SEQUENTIAL_CMAP,
                       vmin=lim[0], vmax=lim[1])
        im.cmap.set_bad("0.85")
        for j in range(len(ys)):
            for i in range(len(xs)):
                c = cells[key][j][i]
                txt = sc.cell(c.mean, is_diff)
                if np.isfinite(c.mean) and c.n >= 2 and np.isfinite(c.lo):
                    half = max(c.hi - c.mean, c.mean - c.lo) * sc.factor
                    txt += f"\n±{half:.{1 if sc.share else sc.digits}f}"
                colour = "black" if not np.isfinite(m[j, i]) else _text_colour(
                    im.cmap(im.norm(m[j, i])))
                if is_diff and np.isfinite(c.mean) and not excludes_zero(c):
                    ax.add_patch(Rectangle((i - 0.5, j - 0.5), 1, 1, fill=False, hatch="///",
                                           edgecolor="0.45", lw=0))
                ax.text(i, j, txt, ha="center", va="center", fontsize=7, color=colour)
        ax.set_xticks(range(len(xs)), xt)
        ax.set_yticks(range(len(ys)), yt)
        ax.set_xlabel(param_axis(sw, px), fontsize=8)
        ax.set_ylabel(param_axis(sw, py), fontsize=8)
        ax.set_title(key if not is_diff else f"difference: {key}", fontsize=8)
        cb = fig.colorbar(im, ax=ax, shrink=0.85)
        cb.set_label(f"{output} ({sc.axis(is_diff)})", fontsize=7)
        cb.ax.tick_params(labelsize=7)

    base = sw.scenarios[0]
    what = output_label(output)
    at = lambda jx: f"{px} = {xt[jx[1]]}, {py} = {yt[jx[0]]}"  # noqa: E731
    lo_i, hi_i = _extreme(cells[base], ys, xs, False), _extreme(cells[base], ys, xs, True)
    facts = {"output": output, "x": px, "y": py, "scenario": base}
    if lo_i is None:
        s1 = f"Under {base}, no cell has a finished run with a value of {what}."
        title = f"The {what} has no value anywhere on the grid under {base}"
    else:
        clo, chi = cells[base][lo_i[0]][lo_i[1]], cells[base][hi_i[0]][hi_i[1]]
        facts.update(low=clo.mean, low_at=(xs[lo_i[1]], ys[lo_i[0]]), high=chi.mean,
                     high_at=(xs[hi_i[1]], ys[hi_i[0]]))
        s1 = (f"Under {base}, the {what}{sc.named} ranges from {sc.level(clo.mean)} "
              f"{bracket(clo, sc.level)} at {at(lo_i)} to {sc.level(chi.mean)} "
              f"{bracket(chi, sc.level)} at {at(hi_i)}.")
        title = (f"Under {base}, the {what} runs from {sc.level(clo.mean)} to "
                 f"{sc.level(chi.mean)} across the {px.split('.')[-1]} x "
                 f"{py.split('.')[-1]} grid")
    dkeys = [k for k in keys if k not in levels]
    if dkeys:
        dk = dkeys[0]
        big = _extreme_abs(cells[dk])
        if big is None:
            s2 = f"The difference {dk} has no value on the grid."
        else:
            d = cells[dk][big[0]][big[1]]
            facts.update(diff_key=dk, diff=d.mean, diff_at=(xs[big[1]], ys[big[0]]))
            s2 = (f"The largest difference, {dk}, is {sc.diff(d.mean)} "
                  f"{bracket(d, sc.diff)} at {at(big)}.")
            other = dk.split(" minus ")[0]
            # The headline ranks only differences whose 95% interval excludes zero.
            clear = _extreme_abs(cells[dk], only_clear=True)
            if sc.cell(abs(d.mean), True).lstrip("+") == sc.cell(0.0, True).lstrip("+"):
                title = (f"{other} and {base} give the same {what}, to the precision "
                         f"shown, at every point of the grid")
            elif clear is None:
                title = (f"The data show no clear difference in the {what} between {other} "
                         f"and {base} anywhere on the grid (every 95% interval includes zero)")
            else:
                c = cells[dk][clear[0]][clear[1]]
                facts.update(clear_diff=c.mean, clear_at=(xs[clear[1]], ys[clear[0]]))
                title = (f"{other} changes the {what} by as much as {sc.diff(c.mean)} "
                         f"{bracket(c, sc.diff)} against {base} (at {at(clear)})")
    else:
        s2 = ""
    how = ("paired by replicate (runs of a point and replicate share a seed)" if paired(sw)
           else "unpaired")
    over = (f", averaged over {', '.join(others)}" if others else "")
    if sw.replicates < 2:
        s3 = (f"Cells are values of a single replicate{over}, so there are no confidence "
              f"intervals.")
    else:
        s3 = (f"Cells are means of {plural(sw.replicates, 'replicate')}{over}; the ± under "
              f"each value is the half-width of its 95% interval"
              + (f" and differences are {how}; hatched differences are unclear (their "
                 f"interval includes zero)." if dkeys else "."))
    summary = " ".join(t for t in (s1, s2, s3) if t)
    suptitle(fig, title)
    cid = f"sweep_heatmap_{slug(output)}"
    png, svg = save(fig, ctx, cid)
    alt = (f"Heatmaps over {px} (x axis) and {py} (y axis), {len(xs)} by {len(ys)} cells, "
           f"of the {what}: one per scenario ({', '.join(levels)})"
           + (f" and the difference {', '.join(dkeys)}" if dkeys else "")
           + ", each cell annotated with its mean. " + s1)
    rows = []
    for key in keys:
        for j, y in enumerate(ys):
            for i, x in enumerate(xs):
                c = cells[key][j][i]
                k = sc.rescale  # the report's unit (per 10,000 residents), as the axis says
                rows.append([output, sc.units, key, px, x, py, y, k * float(c.mean),
                             k * float(c.lo), k * float(c.hi), int(c.n)])
    csv = write_csv(ctx, cid, ["output", "units", "layer", "x_parameter", "x_value",
                               "y_parameter", "y_value", "mean", "ci_low", "ci_high",
                               "replicates"], rows)
    return Chart(cid, SECTION, title, alt, summary, png, svg, csv, facts)


def _extreme_abs(cells, only_clear=False):
    """(y index, x index) of the largest |mean| (of those whose interval excludes zero when
    only_clear), or None."""
    m = np.array([[abs(c.mean) if not only_clear or excludes_zero(c) else np.nan
                   for c in row] for row in cells], dtype=float)
    if not np.isfinite(m).any():
        return None
    return np.unravel_index(np.argmax(np.where(np.isfinite(m), m, -np.inf)), m.shape)


def _value_text(sw, p, x) -> str:
    """A design value as the sweep file wrote it."""
    pv = sw.parameter_values(p)
    i = int(np.flatnonzero(pv == x)[0])
    return sw.point_text(i, p)


def sobol_chart(ctx, output: str) -> Chart:
    sw = ctx.sweep
    fields = {f: sw.sensitivity(f).sel(output=output) for f in
              ("first_order", "first_order_low", "first_order_high", "total_order",
               "total_order_low", "total_order_high")}
    params, scen = sw.parameters, sw.scenarios
    S, K = len(scen), len(params)
    att = sw.sensitivity_attrs
    fig, axes = new_figure(min(14.0, 1.5 + 3.6 * S), 1.6 + 0.5 * K, ncols=S, squeeze=False,
                           sharey=True)
    y = np.arange(K)
    lo_all = np.nanmin([fields["first_order_low"].values, fields["total_order_low"].values,
                        np.zeros((S, K))])
    hi_all = np.nanmax([fields["first_order_high"].values, fields["total_order_high"].values,
                        np.ones((S, K))])
    xlim = (max(-1.0, min(-0.05, lo_all - 0.05)), min(2.0, max(1.05, hi_all + 0.05)))
    cut = bool(lo_all < xlim[0] or hi_all > xlim[1])
    for s, ax in enumerate(axes.flat):
        for k, (key, name, colour, hatch, off) in enumerate(
                (("first_order", "first order (S1)", OKABE_ITO["blue"], "", -0.2),
                 ("total_order", "total order (ST)", OKABE_ITO["orange"], "//", 0.2))):
            v = fields[key].values[s]
            lo, hi = fields[f"{key}_low"].values[s], fields[f"{key}_high"].values[s]
            ax.barh(y + off, np.nan_to_num(v), height=0.38, color=colour, hatch=hatch,
                    edgecolor="white", label=name if s == 0 else None)
            err = np.vstack([v - lo, hi - v])
            ok = np.isfinite(v) & np.isfinite(err).all(axis=0)
            ax.errorbar(v[ok], (y + off)[ok], xerr=err[:, ok], fmt="none", ecolor="black",
                        capsize=2, lw=0.8)
            for j in np.flatnonzero(~np.isfinite(v)):
                ax.text(0.02, j + off, "n/a", va="center", fontsize=7)
        ax.axvline(0, color="0.4", lw=0.8)
        ax.set_xlim(*xlim)
        ax.set_yticks(y, params, fontsize=7)
        if s == 0:  # the axes share y: inverting one inverts all
            ax.invert_yaxis()
        ax.set_title(scen[s], fontsize=8)
        ax.set_xlabel("Sobol index (share of output variance, 0-1)", fontsize=7)
    legend_below(axes.flat[0], ncol=2, offset=-0.3)
    what = output_label(output)
    parts, facts = [], {"output": output, "top": {}}
    for s, name in enumerate(scen):
        st = fields["total_order"].values[s]
        if not np.isfinite(st).any():
            y_pm = sw.output(output).values[:, :, s]
            nan_points = int(np.sum(~np.isfinite(_nanmean(y_pm, axis=1))))
            parts.append(f"under {name} the indices are undefined because {nan_points} of "
                         f"{sw.points} design points have no value")
            facts["top"][name] = None
            continue
        k = int(np.nanargmax(st))
        ci_t = CI(st[k], fields["total_order_low"].values[s][k],
                  fields["total_order_high"].values[s][k], 2)
        s1 = fields["first_order"].values[s][k]
        ci_1 = CI(s1, fields["first_order_low"].values[s][k],
                  fields["first_order_high"].values[s][k], 2)
        f2 = lambda x: num(x, 2)  # noqa: E731
        parts.append(f"under {name}, {params[k]} has the largest total-order index, "
                     f"{f2(st[k])} {bracket(ci_t, f2)}, with first-order {f2(s1)} "
                     f"{bracket(ci_1, f2)}")
        facts["top"][name] = (params[k], float(st[k]), float(s1))
    s_a = parts[0][0].upper() + parts[0][1:] + "".join(f"; {p}" for p in parts[1:]) + "."
    conf = float(att.get("confidence", 0.95))
    def spans(key, s):  # the widest interval of one index over the parameters
        return np.nanmax(np.r_[fields[f"{key}_high"].values[s] -
                               fields[f"{key}_low"].values[s], 0])
    wide_total = [name for s, name in enumerate(scen) if spans("total_order", s) > 1]
    wide = [name for s, name in enumerate(scen)
            if name in wide_total or spans("first_order", s) > 1]
    samples = att.get("base_samples", sw.attrs.get("samples"))
    s_b = (f"Indices come from {samples} base samples ({sw.points} design points) of "
           f"replicate means with {int(conf * 100)}% intervals from "
           f"{att.get('bootstrap', '?')} bootstrap resamples")
    s_b += ("; intervals wider than the whole 0-1 range (" + ", ".join(wide) + ") mean the "
            "sample is too small to rank the parameters by that index." if wide else ".")
    if cut:
        s_b = s_b[:-1] + " (whiskers beyond the axis are cut at its edge)."
    summary = f"{s_a} {s_b}"
    tops = [(n, t) for n, t in facts["top"].items() if t]
    if not tops:
        title = f"Sensitivity indices of the {what} are undefined: design points lack values"
    elif wide_total:
        n0, t0 = tops[0]
        title = (f"{samples} base samples are too few to rank the parameters behind the "
                 f"{what}: the largest total-order index is {t0[0]} under {n0} "
                 f"({num(t0[1], 2)}), but total-order intervals span more than 0-1")
    else:
        title = f"The {what} is most sensitive to " + " and ".join(
            f"{t[0]} under {n} (total-order index {num(t[1], 2)})" for n, t in tops)
        if wide:
            title += f"; first-order indices are too uncertain to read at {samples} samples"
    suptitle(fig, title)
    cid = f"sweep_sobol_{slug(output)}"
    png, svg = save(fig, ctx, cid)
    alt = (f"Horizontal bars of first-order and total-order Sobol indices of the {what} for "
           f"{K} parameters ({', '.join(params)}), one panel per scenario "
           f"({', '.join(scen)}), with {int(conf * 100)}% bootstrap whiskers. {s_a}")
    rows = []
    for s, name in enumerate(scen):
        for k, p in enumerate(params):
            for key in ("first_order", "total_order"):
                rows.append([name, output, p, key, float(fields[key].values[s][k]),
                             float(fields[f"{key}_low"].values[s][k]),
                             float(fields[f"{key}_high"].values[s][k]),
                             att.get("base_samples", ""), att.get("bootstrap", "")])
    csv = write_csv(ctx, cid, ["scenario", "output", "parameter", "index", "value", "ci_low",
                               "ci_high", "base_samples", "bootstrap"], rows)
    return Chart(cid, SECTION, title, alt, summary, png, svg, csv, facts)


def by_parameter_chart(ctx, outputs: list) -> Chart:
    """Each analysed output (rows) against each parameter (columns)."""
    sw = ctx.sweep
    params, scen = sw.parameters, sw.scenarios
    scatter = sw.design != "grid"  # lhs, sobol, list: points are not on a lattice
    nr, nc = len(outputs), len(params)
    fig, axes = new_figure(min(14.0, 1.2 + 2.7 * nc), 0.9 + 2.0 * nr, nrows=nr, ncols=nc,
                           squeeze=False)
    markers = "os^Dv<>p"
    rows, table = [], []
    assoc = {}  # (output, parameter, scenario) -> summary numbers
    for o_i, out in enumerate(outputs):
        sc = Scale(sw.output_units(out))
        for p_i, p in enumerate(params):
            ax = axes[o_i][p_i]
            for s, name in enumerate(scen):
                colour, mk = CYCLE[s % len(CYCLE)], markers[s % len(markers)]
                if scatter:
                    pm = point_means(sw, out, s)
                    x = sw.parameter_values(p)
                    ax.scatter(x, np.asarray(pm.mean) * sc.factor, s=14, color=colour,
                               marker=mk, alpha=0.8, label=name if o_i == p_i == 0 else None)
                    r = correlation_ci(x, np.asarray(pm.mean, dtype=float))
                    assoc[out, p, name] = r
                    table.append([output_label(out), p, name, r_text(*r)])
                    for j in range(sw.points):
                        rows.append([out, p, name, "point", j, x[j],
                                     *(sc.rescale * float(v[j]) for v in (pm.mean, pm.lo, pm.hi)),
                                     int(pm.n[j])])
                else:
                    xs, cis = marginal(sw, out, p, s)
                    m = np.array([c.mean for c in cis], dtype=float)
                    lo = np.array([c.lo for c in cis], dtype=float)
                    hi = np.array([c.hi for c in cis], dtype=float)
                    ax.plot(xs, m * sc.factor, color=colour, marker=mk, lw=1.4,
                            label=name if o_i == p_i == 0 else None)
                    if np.isfinite(lo).any():
                        ax.fill_between(xs, lo * sc.factor, hi * sc.factor, color=colour,
                                        alpha=0.18, lw=0)
                    assoc[out, p, name] = (xs, cis)
                    table.append([output_label(out), p, name,
                                  f"{sc.level(cis[0].mean)} at {_value_text(sw, p, xs[0])} "
                                  f"to {sc.level(cis[-1].mean)} at "
                                  f"{_value_text(sw, p, xs[-1])}"])
                    for x, c in zip(xs, cis):
                        rows.append([out, p, name, "marginal", "", x,
                                     *(sc.rescale * float(v) for v in (c.mean, c.lo, c.hi)),
                                     int(c.n)])
            ax.set_xlabel(param_axis(sw, p), fontsize=7)
            if p_i == 0:
                ax.set_ylabel(f"{out}\n({sc.axis()})", fontsize=7)
            ax.tick_params(labelsize=7)
    handles, labels = axes[0][0].get_legend_handles_labels()
    legend_below(axes[-1][0], ncol=min(4, len(scen)), offset=-0.3, handles=handles,
                 labels=labels)

    head = outputs[0]
    sc = Scale(sw.output_units(head))
    what = output_label(head)
    facts = {"output": head, "design": "scatter" if scatter else "lines"}
    if scatter:
        best = max(((p, n) for p in params for n in scen),
                   key=lambda pn: np.nan_to_num(abs(assoc[head, pn[0], pn[1]][0]), nan=-1))
        r, lo, hi, n = assoc[head, best[0], best[1]]
        facts.update(parameter=best[0], scenario=best[1], r=r, r_low=lo, r_high=hi, n=n)
        if np.isfinite(r):
            title = (f"Across the design, the {what} moves most with {best[0]} "
                     f"(correlation {r:+.2f} under {best[1]})")
        else:
            title = f"The {what} has too few values across the design to relate to a parameter"
        s1 = (f"Across {sw.points} design points, the {what}{sc.named} (the mean of "
              f"{plural(sw.replicates, 'replicate')} per point) is most strongly associated with "
              f"{best[0]} under {best[1]}: Pearson {r_text(r, lo, hi, n)}.")
        s2 = ("The table gives the correlation for every output, parameter and scenario; "
              "intervals are Fisher-z 95% intervals over design points.")
    else:
        def spread(key):
            xs, cis = assoc[key]
            return np.nan_to_num(abs(cis[-1].mean - cis[0].mean), nan=-1)
        best = max(((p, n) for p in params for n in scen), key=lambda pn: spread((head, *pn)))
        xs, cis = assoc[head, best[0], best[1]]
        a, b = cis[0], cis[-1]
        facts.update(parameter=best[0], scenario=best[1], first=a.mean, last=b.mean,
                     x_first=xs[0], x_last=xs[-1])
        ta, tb = _value_text(sw, best[0], xs[0]), _value_text(sw, best[0], xs[-1])
        title = (f"Moving {best[0]} from {ta} to {tb} takes the {what} from "
                 f"{sc.level(a.mean)} to {sc.level(b.mean)} under {best[1]}")
        s1 = (f"Under {best[1]}, the {what}{sc.named} is {sc.level(a.mean)} "
              f"{bracket(a, sc.level)} at {best[0]} = {ta} and {sc.level(b.mean)} {bracket(b, sc.level)} at {tb}, "
              f"averaged over the other parameters' grid values.")
        bands = (f"with 95% bands across {plural(sw.replicates, 'replicate')}"
                 if sw.replicates >= 2 else "from a single replicate, so without bands")
        s2 = (f"Lines are those averages {bands}; the table gives the first and last value "
              f"for every output, parameter and scenario.")
    summary = f"{s1} {s2}"
    suptitle(fig, title)
    png, svg = save(fig, ctx, "sweep_by_parameter")
    kind = ("scatter plots of per-point replicate means" if scatter else
            "line plots of means over the other parameters with 95% bands")
    alt = (f"A grid of {kind}: rows are outputs ({', '.join(outputs)}), columns are "
           f"parameters ({', '.join(params)}), one colour and marker per scenario. {s1}")
    csv = write_csv(ctx, "sweep_by_parameter",
                    ["output", "parameter", "scenario", "kind", "point", "parameter_value",
                     "mean", "ci_low", "ci_high", "replicates"], rows)
    header = ["output", "parameter", "scenario",
              "correlation over design points" if scatter else "first to last grid value"]
    return Chart("sweep_by_parameter", SECTION, title, alt, summary, png, svg, csv, facts,
                 (header, table))
