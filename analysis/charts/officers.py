"""Officer hours by task: how much policing goes to immigration work."""
from __future__ import annotations

import numpy as np

from ..stats import NONNEG, SHARE, diff_ci, mean_ci, ratio
from ..text import ci_bounds, num, pct, replicates_note, signed
from .base import (CYCLE, Chart, Context, ci_row, errorbars, legend_below, new_figure, paired_runs,
                   save, suptitle, write_csv)

SECTION = "Officer hours"


def hours_per_day(run) -> np.ndarray:
    """Mean officer hours per day by task, per replicate: [replicate, task]."""
    h = run.series("officer_hours").sum("jurisdiction")
    return h.values.mean(axis=h.axis("day"))


def make(ctx: Context) -> list:
    runs = ctx.runs
    labels = [ctx.label(r) for r in runs]
    tasks = list(runs[0].coord("task"))
    hours = [hours_per_day(r) for r in runs]
    per_task = [mean_ci(h, axis=0, bounds=NONNEG) for h in hours]
    ki = tasks.index("immigration") if "immigration" in tasks else len(tasks) - 1
    share = [mean_ci(ratio(h[:, ki], h.sum(axis=1)), bounds=SHARE) for h in hours]

    fig, (ax1, ax2) = new_figure(9.0, 1.6 + 0.55 * len(runs), ncols=2)
    y = np.arange(len(runs))
    left = np.zeros(len(runs))
    for k, t in enumerate(tasks):
        w = np.array([np.nan_to_num(p.mean[k]) for p in per_task])
        ax1.barh(y, w, left=left, color=CYCLE[k % len(CYCLE)], label=t,
                 hatch=["", "//", ".."][k % 3], edgecolor="white", lw=0.5)
        left += w
    ax1.set_yticks(y, labels)
    ax1.invert_yaxis()
    ax1.set_xlabel("officer hours per day (hours)")
    legend_below(ax1, title="task", title_fontsize=7)
    for i, s in enumerate(share):
        errorbars(ax2, [i], s, CYCLE[ki % len(CYCLE)])
    ax2.set_yticks(y, labels)
    ax2.invert_yaxis()
    ax2.xaxis.set_major_formatter(lambda v, _: f"{100 * v:.1f}")
    ax2.set_xlabel(f"share of officer hours on {tasks[ki]} tasks (%)")

    top = int(np.nanargmax([np.nan_to_num(s.mean) for s in share]))
    st = share[top]
    if not st.mean > 0:
        title = f"No scenario spends officer hours on {tasks[ki]} tasks"
    else:
        title = (f"Under {labels[top]}, {pct(st.mean)} of officer hours go to {tasks[ki]} "
                 f"tasks, the most of any scenario")
    suptitle(fig, title)
    png, svg = save(fig, ctx, "officer_hours")

    ref = runs.index(ctx.reference)
    facts = {"top": labels[top], "share_top": st.mean}
    summary = (f"{labels[top]} spends {pct(st.mean)} {ci_bounds(st)} of officer hours on "
               f"{tasks[ki]} tasks. ")
    if top != ref:
        kp = tasks.index("patrol") if "patrol" in tasks else 0
        d = diff_ci(hours[top][:, kp], hours[ref][:, kp], paired_runs(runs[top], runs[ref]))
        summary += (f"Its patrol time differs from {labels[ref]}'s "
                    f"{num(per_task[ref].mean[kp])} hours per day by {signed(d.mean)} "
                    f"{ci_bounds(d, signed)}. ")
        facts.update(patrol_diff=d.mean, patrol_ref=per_task[ref].mean[kp])
    summary += replicates_note(runs[top].replicates, "Hours are daily means")
    alt = (f"Left: stacked bars of officer hours per day by task ({', '.join(tasks)}) for "
           f"{len(runs)} scenarios. Right: share of hours on {tasks[ki]} tasks with 95% "
           f"intervals; {labels[top]} is highest at {pct(st.mean)}.")
    rows = []
    for i, lab in enumerate(labels):
        rows += [[lab, "hours_per_day", t, *ci_row(per_task[i], (k,))] for k, t in enumerate(tasks)]
        rows.append([lab, f"share_{tasks[ki]}", tasks[ki], *ci_row(share[i])])
    csv = write_csv(ctx, "officer_hours", ["scenario", "measure", "task", "mean", "ci_low",
                                           "ci_high", "replicates"], rows)
    return [Chart("officer_hours", SECTION, title, alt, summary, png, svg, csv, facts)]
