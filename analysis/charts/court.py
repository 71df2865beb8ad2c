"""The immigration-court backlog and waiting time, per scenario."""
from __future__ import annotations

import warnings

import numpy as np

from ..stats import NONNEG, mean_ci
from ..text import ci_bounds, num, replicates_note
from .base import (Chart, Context, band, ci_row, common_window_note, legend_below, mark_changes,
                   new_figure, save, scenario_colour, suptitle, write_csv)

SECTION = "Immigration court"
WAIT_WINDOW = 30  # days


def detained_docket(run, name: str) -> np.ndarray:
    """(replicate, day) values of a court series on the detained docket, the one whose cases
    are decided within a run (non-detained cases wait years)."""
    lab = run.series(name)
    if "docket" not in lab.dims:  # files written before the court had two dockets
        return lab.values.astype(float)
    k = [str(v) for v in np.asarray(lab.coords["docket"])].index("detained")
    return np.take(lab.values, k, axis=lab.dims.index("docket")).astype(float)


def mean_wait(run, days=None) -> np.ndarray:
    """Per replicate: mean of the daily mean waits over days [0, days) when cases were heard."""
    w = detained_docket(run, "court_mean_wait_days")[:, :days]
    with warnings.catch_warnings():  # a replicate with no hearing at all gives NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(w, axis=1)


def _window_mean(row, d) -> float:
    w = row[max(0, d - WAIT_WINDOW + 1):d + 1]
    return float(np.nanmean(w)) if np.any(~np.isnan(w)) else np.nan


def make(ctx: Context) -> list:
    runs = ctx.runs
    labels = [ctx.label(r) for r in runs]
    fig, (ax1, ax2) = new_figure(9.0, 3.8, ncols=2)
    finals, waits, rows = [], [], []
    for i, r in enumerate(runs):
        backlog = detained_docket(r, "court_backlog")
        wait = detained_docket(r, "court_mean_wait_days")
        days = np.arange(backlog.shape[1])
        c = scenario_colour(i)
        series = mean_ci(backlog, bounds=NONNEG)
        band(ax1, days, series, c, labels[i])
        with np.errstate(invalid="ignore"):
            # Mean over the last WAIT_WINDOW days with hearings: daily values are sparse
            # (NaN when nothing is heard) and jumpy.
            smooth = np.array([[_window_mean(row, d) for d in days] for row in wait])
        smooth_ci = mean_ci(smooth, bounds=NONNEG)
        band(ax2, days, smooth_ci, c, labels[i])
        for ax in (ax1, ax2):
            mark_changes(ax, r, colour=c, label=False)
        rows += [[labels[i], "backlog", int(d), *ci_row(series, (d,))] for d in days]
        rows += [[labels[i], f"mean_wait_days_{WAIT_WINDOW}day", int(d), *ci_row(smooth_ci, (d,))]
                 for d in days]
        # Runs of different lengths compare on their common days: the backlog on the last
        # common day, waits over the common days.
        finals.append(mean_ci(backlog[:, ctx.common_days - 1], bounds=NONNEG))
        waits.append(mean_ci(mean_wait(r, ctx.common_days), bounds=NONNEG))
    ax1.set_ylabel("detained cases waiting (cases)")
    ax2.set_ylabel(f"wait of detained cases decided (days, {WAIT_WINDOW}-day mean)")
    for ax in (ax1, ax2):
        ax.set_xlabel("day of simulation (days)")
    legend_below(ax1, ncol=2)

    top = int(np.nanargmax([np.nan_to_num(f.mean) for f in finals]))
    low = int(np.nanargmin([np.nan_to_num(f.mean) for f in finals]))
    ft, fl = finals[top], finals[low]
    title = (f"The immigration-court backlog reaches {num(ft.mean, 0)} cases by day "
             f"{ctx.common_days - 1} under {labels[top]}"
             + (f", against {num(fl.mean, 0)} under {labels[low]}" if low != top else ""))
    suptitle(fig, title)
    png, svg = save(fig, ctx, "court")

    wt = waits[top]
    summary = (
        f"On day {ctx.common_days - 1}, {labels[top]} has {num(ft.mean)} {ci_bounds(ft, num)} cases "
        f"waiting" + (f" and {labels[low]} {num(fl.mean)} {ci_bounds(fl, num)}" if low != top
                      else "") + ". "
        f"Cases heard under {labels[top]} had waited {num(wt.mean)} days on average "
        f"{ci_bounds(wt, num)} (mean over days with hearings). "
        + replicates_note(runs[top].replicates, "Lines are means",
                          "; dashed lines mark policy changes in the scenario's colour"
                          + common_window_note(ctx)))
    alt = (f"Two line charts over simulation days for {len(runs)} scenarios: immigration-court "
           f"backlog in cases, and mean waiting time of cases heard in days. {labels[top]} "
           f"ends with the largest backlog, {num(ft.mean, 0)} cases.")
    for i, lab in enumerate(labels):
        rows.append([lab, "backlog_last_common_day", ctx.common_days - 1, *ci_row(finals[i])])
        rows.append([lab, "mean_wait_days_whole_run", "", *ci_row(waits[i])])
    csv = write_csv(ctx, "court", ["scenario", "measure", "day", "mean", "ci_low", "ci_high",
                                   "replicates"], rows)
    facts = {"top": labels[top], "backlog_top": ft.mean, "low": labels[low],
             "backlog_low": fl.mean, "wait_top": wt.mean}
    return [Chart("court", SECTION, title, alt, summary, png, svg, csv, facts)]
