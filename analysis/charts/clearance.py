"""Clearance of reported crimes and crime rates, per scenario."""
from __future__ import annotations

import numpy as np

from ..stats import NONNEG, SHARE, SHARE_DIFF, diff_ci, mean_ci
from ..text import ci_bounds, excludes_zero, num, pct, pp, pts, replicates_note
from .base import (CYCLE, Chart, Context, ci_row, common_window_note, errorbars, legend_below,
                   new_figure, paired_runs, save, suptitle, write_csv)

SECTION = "Clearance and crime"


def make(ctx: Context) -> list:
    runs = ctx.runs
    labels = [ctx.label(r) for r in runs]
    types = list(runs[0].coord("crime_type"))
    window = (0, ctx.common_days)  # runs of different lengths compare on the same days
    clear_runs = [r.clearance_rate(days=window).values for r in runs]
    clear = [mean_ci(c, axis=0, bounds=SHARE) for c in clear_runs]
    crime = [mean_ci(r.crime_rate(days=window).values, axis=0, bounds=NONNEG) for r in runs]
    crime_all = [mean_ci(r.crime_rate(days=window).values.sum(axis=1), bounds=NONNEG)
                 for r in runs]

    fig, (ax1, ax2) = new_figure(9.0, 1.6 + 0.55 * len(runs), ncols=2)
    y = np.arange(len(runs))
    off = np.linspace(-0.15, 0.15, len(types))
    for k, t in enumerate(types):
        for i in range(len(runs)):
            lab = t if i == 0 else None
            errorbars(ax1, [y[i] + off[k]], clear[i].item(k), CYCLE[k], lab, marker="os^"[k % 3])
            errorbars(ax2, [y[i] + off[k]], crime[i].item(k), CYCLE[k], lab, marker="os^"[k % 3])
    for ax in (ax1, ax2):
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        legend_below(ax, title="crime type", title_fontsize=7)
    ax1.xaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f}")
    ax1.set_xlabel("reported crimes cleared by arrest (%)")
    ax2.set_xlabel("victimisations per 10,000 residents per year")

    k = 0  # first crime type (violent) carries the headline: it is cleared most
    means = np.array([c.mean[k] for c in clear])
    tk = types[k]
    if np.isnan(means).all():  # a tiny or 1-day run: no crime of that type reported
        lo_i = hi_i = 0
    else:
        lo_i, hi_i = int(np.nanargmin(means)), int(np.nanargmax(means))
    if lo_i == hi_i and len(runs) > 1:  # all equal: still name two scenarios in the summary
        hi_i = 1 if lo_i == 0 else 0
    gap = diff_ci(clear_runs[hi_i][:, k], clear_runs[lo_i][:, k],
                  paired_runs(runs[hi_i], runs[lo_i]), bounds=SHARE_DIFF)
    if np.isnan(means).all():
        title = (f"No {tk} crime was reported in any scenario, so there is no clearance rate "
                 f"to show")
    elif len(runs) > 1 and abs(means[hi_i] - means[lo_i]) < 5e-4:
        title = (f"Clearance of reported {tk} crime is the same, {pct(means[hi_i], 1)}, in every "
                 f"scenario")
    elif len(runs) == 1:
        title = (f"In {labels[0]}, {pct(clear[0].mean[0], 0)} of reported {types[0]} and "
                 f"{pct(clear[0].mean[-1], 0)} of reported {types[-1]} crimes are cleared")
    elif excludes_zero(gap):
        title = (f"Clearance of reported {tk} crime is lowest under {labels[lo_i]} "
                 f"({pct(means[lo_i], 1)}) and highest under {labels[hi_i]} "
                 f"({pct(means[hi_i], 1)}), a gap of {pts(gap.mean)} {ci_bounds(gap, pp)}")
    else:
        title = (f"The data show no clear difference in clearance of reported {tk} crime "
                 f"between scenarios ({pct(np.nanmin(means), 1)} to {pct(np.nanmax(means), 1)})")
    suptitle(fig, title)
    png, svg = save(fig, ctx, "clearance_crime")

    c_lo, c_hi = clear[lo_i].item(k), clear[hi_i].item(k)
    r_lo, r_hi = crime_all[lo_i], crime_all[hi_i]
    summary = (
        f"Over days 0-{ctx.common_days - 1}, {labels[lo_i]} cleared {pct(c_lo.mean)} {ci_bounds(c_lo)} of "
        f"reported {tk} crimes and {labels[hi_i]} {pct(c_hi.mean)} {ci_bounds(c_hi)}. "
        f"Crime ran at {num(r_lo.mean)} {ci_bounds(r_lo, num)} victimisations per 10,000 "
        f"residents per year under {labels[lo_i]}"
        + (f" and {num(r_hi.mean)} {ci_bounds(r_hi, num)} under {labels[hi_i]}. "
           if hi_i != lo_i else ". ")
        + replicates_note(runs[0].replicates, "Points are means", common_window_note(ctx)))
    alt = (f"Two dot plots with 95% whiskers for {len(runs)} scenarios: share of reported "
           f"crimes cleared by arrest, and victimisations per 10,000 residents per year, each "
           f"by crime type. {tk.capitalize()} clearance spans {pct(means[lo_i])} to "
           f"{pct(means[hi_i])}.")
    rows = []
    for i, lab in enumerate(labels):
        rows += [[lab, "clearance_rate", t, *ci_row(clear[i], (j,))] for j, t in enumerate(types)]
        rows += [[lab, "crime_per_10000_year", t, *ci_row(crime[i], (j,))]
                 for j, t in enumerate(types)]
        rows.append([lab, "crime_per_10000_year", "all", *ci_row(crime_all[i])])
    csv = write_csv(ctx, "clearance_crime", ["scenario", "measure", "crime_type", "mean",
                                             "ci_low", "ci_high", "replicates"], rows)
    facts = {"gap": gap.mean, "crime_type": tk, "low": labels[lo_i], "high": labels[hi_i],
             "clear_low": c_lo.mean, "clear_high": c_hi.mean, "crime_low": r_lo.mean,
             "crime_high": r_hi.mean}
    return [Chart("clearance_crime", SECTION, title, alt, summary, png, svg, csv, facts)]
