"""Neighbourhood maps of trust and reporting on chosen snapshot days."""
from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.patches import Rectangle

from ..stats import SHARE, SHARE_DIFF, mean_ci
from ..text import ci_bounds, excludes_zero, num, pct, replicates_note
from .base import (SEQUENTIAL_CMAP, Chart, Context, ci_row, new_figure, save, suptitle,
                   write_csv)

SECTION = "Neighbourhood maps"


def chosen_days(run, wanted=()) -> list:
    """Indices into the snapshot days: the requested ones, else first, middle and last."""
    days = list(np.asarray(run.snapshot("trust_mean").coords["snapshot_day"]))
    if wanted:
        return [days.index(d) for d in wanted if d in days] or [len(days) - 1]
    idx = sorted({0, len(days) // 2, len(days) - 1})
    return idx


def correlation(a, b) -> float:
    """Pearson r over neighbourhoods where both values exist; NaN if undefined."""
    ok = ~(np.isnan(a) | np.isnan(b))
    if ok.sum() < 3 or np.std(a[ok]) == 0 or np.std(b[ok]) == 0:
        return np.nan
    return float(np.corrcoef(a[ok], b[ok])[0, 1])


def per_replicate_r(values, share) -> np.ndarray:
    """r between a neighbourhood value [replicate, N] and immigrant-origin share."""
    return np.array([correlation(v, share) for v in values])


def _spacing(v) -> float:
    steps = np.diff(np.unique(v))
    return float(steps.min()) if steps.size else 1.0


def tiles(ax, x, y, values, vmin, vmax):
    """One square per neighbourhood at its grid cell; NaN (nothing to report) in grey."""
    dx, dy = _spacing(x), _spacing(y)
    cmap = plt.get_cmap(SEQUENTIAL_CMAP).copy()
    cmap.set_bad("0.85")
    pc = PatchCollection([Rectangle((a - dx / 2, b - dy / 2), dx, dy) for a, b in zip(x, y)],
                         cmap=cmap, edgecolor="white", linewidth=0.3)
    pc.set_array(np.ma.masked_invalid(values))
    pc.set_clim(vmin, vmax)
    ax.add_collection(pc)
    ax.set_xlim(x.min() - dx / 2, x.max() + dx / 2)
    ax.set_ylim(y.min() - dy / 2, y.max() + dy / 2)
    return pc


def borders(ax, x, y, jurisdiction) -> int:
    """Thick lines on the edges between neighbouring cells of different jurisdictions;
    returns how many edges were drawn."""
    dx, dy = _spacing(x), _spacing(y)
    x0, y0 = x.min(), y.min()
    where = {(round((a - x0) / dx), round((b - y0) / dy)): j
             for a, b, j in zip(x, y, jurisdiction)}
    segs = []
    for (i, k), j in where.items():
        if (i + 1, k) in where and where[i + 1, k] != j:  # vertical edge to the right
            xe = x0 + (i + 0.5) * dx
            segs.append([(xe, y0 + (k - 0.5) * dy), (xe, y0 + (k + 0.5) * dy)])
        if (i, k + 1) in where and where[i, k + 1] != j:  # horizontal edge above
            ye = y0 + (k + 0.5) * dy
            segs.append([(x0 + (i - 0.5) * dx, ye), (x0 + (i + 0.5) * dx, ye)])
    if segs:
        ax.add_collection(LineCollection(segs, colors="black", linewidths=2.2, zorder=3))
    return len(segs)


def make(ctx: Context) -> list:
    return [_one(ctx, run) for run in ctx.runs if run.has("snapshots/day")]


def _nanmean(x, axis):
    with warnings.catch_warnings():  # all-NaN neighbourhoods stay NaN (no victimisations)
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(x, axis=axis)


def _one(ctx: Context, run) -> Chart:
    label = ctx.label(run)
    cid = f"maps_{ctx.slug(run)}"
    nb = run.neighbourhoods()
    trust, rep = run.snapshot("trust_mean"), run.snapshot("reporting_rate")
    snap_days = np.asarray(trust.coords["snapshot_day"])
    cols = chosen_days(run, ctx.map_days)
    x, y = np.asarray(nb["x"], float), np.asarray(nb["y"], float)
    jur = np.asarray(nb["jurisdiction"])
    jnames = list(run.coord("jurisdiction"))

    fig, axes = new_figure(2.6 * len(cols) + 1.2, 5.2, nrows=2, ncols=len(cols), squeeze=False)
    for row, (var, name, unit) in enumerate(((trust, "mean trust", "0-1 scale"),
                                             (rep, "reporting", "% of 30-day victimisations"))):
        m = _nanmean(var.values, axis=0)  # [S, N]
        vmin, vmax = np.nanmin(m[cols]), np.nanmax(m[cols])
        for c, s in enumerate(cols):
            ax = axes[row, c]
            sc = tiles(ax, x, y, m[s], vmin, vmax)
            n_border = borders(ax, x, y, jur)
            ax.set_title(f"{name}, day {int(snap_days[s])}", fontsize=8)
            ax.set_aspect("equal")
            ax.set_xlabel("grid x (cells)", fontsize=7)
            ax.set_ylabel("grid y (cells)", fontsize=7)
            ax.tick_params(labelsize=6)
        cb = fig.colorbar(sc, ax=axes[row, :].tolist(), shrink=0.8)
        cb.set_label(f"{name} ({unit});\ncolour range cut to the data", fontsize=7)
        if row == 1:
            cb.formatter = _percent
            cb.update_ticks()

    s = cols[-1]
    share = np.asarray(nb["immigrant_origin_share"], float)
    r_t = mean_ci(per_replicate_r(trust.values[:, s], share), bounds=SHARE_DIFF)
    r_r = mean_ci(per_replicate_r(rep.values[:, s], share), bounds=SHARE_DIFF)
    mt, mr = _nanmean(trust.values[:, s], 0), _nanmean(rep.values[:, s], 0)
    day = int(snap_days[s])
    # "Linked" needs an interval clear of zero, or with one replicate at least |r| >= 0.2.
    clear = excludes_zero(r_t) if r_t.n >= 2 else abs(np.nan_to_num(r_t.mean)) >= 0.2
    if not clear:
        link = ("trust is not clearly linked to a neighbourhood's immigrant-origin share "
                f"(r = {num(r_t.mean, 2)})")
    else:
        link = ("neighbourhoods with more immigrant-origin residents have "
                + ("lower" if r_t.mean < 0 else "higher") + f" trust (r = {r_t.mean:.2f})")
    title = f"In {label} on day {day}, {link}"
    suptitle(fig, title)
    png, svg = save(fig, ctx, cid)

    summary = (
        f"On day {day}, neighbourhood mean trust ranges from {num(np.nanmin(mt), 3)} to "
        f"{num(np.nanmax(mt), 3)} and the 30-day reporting share from {pct(np.nanmin(mr))} to "
        f"{pct(np.nanmax(mr))}. Across neighbourhoods, the correlation with the immigrant-origin "
        f"share is r = {num(r_t.mean, 2)} {ci_bounds(r_t, _r)} for trust and r = "
        f"{num(r_r.mean, 2)} {ci_bounds(r_r, _r)} for reporting. "
        + replicates_note(run.replicates, "Maps show means and r is averaged",
                          "" if len(jnames) < 2 else
                          f"; the thick black line is the border between "
                          f"{' and '.join(map(str, jnames))}"))
    alt = (f"Grid maps of {len(x)} neighbourhoods in scenario {label}, coloured by mean trust "
           f"(top row) and by reporting share (bottom row) on days "
           f"{', '.join(str(int(snap_days[c])) for c in cols)}. On day {day} trust ranges from "
           f"{num(np.nanmin(mt), 3)} to {num(np.nanmax(mt), 3)}.")
    rows = []
    for c in cols:
        tc = mean_ci(trust.values[:, c], bounds=SHARE)
        rc = mean_ci(rep.values[:, c], bounds=SHARE)
        for n in range(len(x)):
            rows.append([label, int(snap_days[c]), n, x[n], y[n], share[n], "trust_mean",
                         *ci_row(tc, (n,))])
            rows.append([label, int(snap_days[c]), n, x[n], y[n], share[n], "reporting_rate",
                         *ci_row(rc, (n,))])
    csv = write_csv(ctx, cid, ["scenario", "day", "neighbourhood", "x", "y",
                               "immigrant_origin_share", "measure", "mean", "ci_low", "ci_high",
                               "replicates"], rows)
    facts = {"border_edges": n_border, "day": day, "trust_min": float(np.nanmin(mt)), "trust_max": float(np.nanmax(mt)),
             "rep_min": float(np.nanmin(mr)), "rep_max": float(np.nanmax(mr)),
             "r_trust": r_t.mean, "r_reporting": r_r.mean}
    return Chart(cid, SECTION, title, alt, summary, png, svg, csv, facts)


def _r(x, digits=2):
    return f"{float(x):.{digits}f}"


def _percent(v, _pos=None):
    return f"{100 * v:.0f}"
