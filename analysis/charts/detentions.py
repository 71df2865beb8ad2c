"""Detentions by pathway, and how many detainees had no (violent) record."""
from __future__ import annotations

import numpy as np

from ..measures import PER_RESIDENTS, PER_YEAR
from ..stats import NONNEG, SHARE, mean_ci, ratio
from ..text import ci_bounds, num, pct, replicates_note
from .base import (CYCLE, Chart, Context, ci_row, common_window_note, errorbars, legend_below,
                   new_figure, save, suptitle, write_csv)

SECTION = "Detentions"
PER = PER_RESIDENTS  # detentions per 10,000 residents per year


def per_resident_year(run, counts, days=None) -> np.ndarray:
    """Scale totals [replicate, ...] over `days` (half-open range; None: the whole run)
    to per 10,000 residents per year."""
    d0, d1 = days or (0, run.days)
    rd = run.resident_days().values[:, d0:d1].sum(axis=1).astype(float)  # [replicate]
    shape = (-1,) + (1,) * (np.ndim(counts) - 1)
    return ratio(counts, rd.reshape(shape)) * PER * PER_YEAR


def record_shares(run, days=None) -> tuple:
    """Per replicate: share of detainees with no record, and with no violent record."""
    by = run.detention_counts("record", days=days)
    rec = list(by.coords["record"])
    total = by.values.sum(axis=1)
    none = by.values[:, rec.index("none")]
    nonviolent = total - by.values[:, rec.index("violent")]
    return ratio(none, total), ratio(nonviolent, total)


def make(ctx: Context) -> list:
    runs = ctx.runs
    labels = [ctx.label(r) for r in runs]
    pathways = list(runs[0].coord("pathway"))
    window = (0, ctx.common_days)  # runs of different lengths compare on the same days
    rates = [per_resident_year(r, r.detention_counts("pathway", days=window).values, window)
             for r in runs]
    totals = [mean_ci(x.sum(axis=1), bounds=NONNEG) for x in rates]
    by_path = [mean_ci(x, axis=0, bounds=NONNEG) for x in rates]
    shares = [tuple(mean_ci(s, bounds=SHARE) for s in record_shares(r, window)) for r in runs]

    fig, (ax1, ax2) = new_figure(9.0, 1.6 + 0.55 * len(runs), ncols=2)
    y = np.arange(len(runs))
    left = np.zeros(len(runs))
    for k, p in enumerate(pathways):
        w = np.array([np.nan_to_num(b.mean[k]) for b in by_path])
        ax1.barh(y, w, left=left, color=CYCLE[k % len(CYCLE)], label=p.replace("_", " "),
                 hatch=["", "//", "..", "\\\\", "xx"][k % 5], edgecolor="white", lw=0.5)
        left += w
    for i, t in enumerate(totals):
        errorbars(ax1, [i], t, "black", marker="|")
    ax1.set_yticks(y, labels)
    ax1.invert_yaxis()
    ax1.set_xlabel(f"detentions per {PER:,} residents per year")
    legend_below(ax1, title="pathway", title_fontsize=7)
    for j, (name, off) in enumerate((("no criminal record", -0.12), ("no violent record", 0.12))):
        for i, s in enumerate(shares):
            errorbars(ax2, [i + off], s[j], CYCLE[j], label=name if i == 0 else None,
                      marker="os"[j])
    ax2.set_yticks(y, labels)
    ax2.invert_yaxis()
    ax2.set_xlim(0, 1)
    ax2.xaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f}")
    ax2.set_xlabel("share of detainees (%)")
    legend_below(ax2, ncol=2)

    top = int(np.nanargmax([np.nan_to_num(t.mean) for t in totals]))
    t = totals[top]
    if not t.mean > 0:
        title = "No scenario produced any detentions"
        main_path, s_none, s_nv = "none", shares[top][0], shares[top][1]
    else:
        main_path = pathways[int(np.nanargmax(by_path[top].mean))]
        s_none, s_nv = shares[top]
        title = (f"Under {labels[top]}, {pct(s_none.mean, 0)} of detainees had no criminal "
                 f"record and {pct(s_nv.mean, 0)} no violent record; most came through "
                 f"{main_path.replace('_', ' ')}")
    suptitle(fig, title)
    png, svg = save(fig, ctx, "detentions")

    others = [f"{labels[i]} {num(totals[i].mean)}" for i in range(len(runs)) if i != top]
    summary = (
        f"{labels[top]} had the most detentions: {num(t.mean)} per {PER:,} residents per year "
        f"{ci_bounds(t, num)}" + (f", against {', '.join(others)}" if others else "") + ". "
        f"Of its detainees, {pct(s_none.mean)} {ci_bounds(s_none)} had no criminal record and "
        f"{pct(s_nv.mean)} {ci_bounds(s_nv)} no violent record. "
        + replicates_note(runs[top].replicates, "Rates and shares are means",
                          common_window_note(ctx)))
    alt = (f"Left: stacked horizontal bars of detentions per {PER:,} residents per year by "
           f"pathway for {len(runs)} scenarios. Right: share of detainees with no criminal "
           f"record and with no violent record, with 95% intervals. {labels[top]} is highest "
           f"at {num(t.mean)}, mostly through {main_path.replace('_', ' ')}.")
    rows = []
    for i, lab in enumerate(labels):
        rows += [[lab, "detentions_per_10k_year", p, *ci_row(by_path[i], (k,))]
                 for k, p in enumerate(pathways)]
        rows.append([lab, "detentions_per_10k_year", "all", *ci_row(totals[i])])
        rows.append([lab, "share_no_record", "all", *ci_row(shares[i][0])])
        rows.append([lab, "share_no_violent_record", "all", *ci_row(shares[i][1])])
    csv = write_csv(ctx, "detentions", ["scenario", "measure", "pathway", "mean", "ci_low",
                                        "ci_high", "replicates"], rows)
    facts = {"top": labels[top], "rate": t.mean, "share_none": s_none.mean,
             "share_nonviolent": s_nv.mean, "main_pathway": main_path}
    return [Chart("detentions", SECTION, title, alt, summary, png, svg, csv, facts)]
