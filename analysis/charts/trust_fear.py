"""Trust and fear by group: means over time and distributions on the last day."""
from __future__ import annotations

import numpy as np

from ..measures import ALL
from ..stats import SHARE, SHARE_DIFF, mean_ci
from ..text import ci_bounds, excludes_zero, group_label, replicates_note, sgn3
from .base import (GROUP_LINESTYLE, SHORT_GROUP, Chart, Context, band, ci_row, group_colour,
                   legend_below, mark_changes, new_figure, save, share_axis, suptitle,
                   write_csv)

SECTION = "Trust and fear"


def quantiles_last_day(run, name: str) -> np.ndarray:
    """Quantiles [group, quantile] on the last day, averaged over replicates.

    With several jurisdictions this is the population-weighted average of
    per-jurisdiction quantiles: an approximation, said so in the summary.
    """
    q = run.series(name)
    pop = run.series("population").values[:, -1].astype(float)  # [R, J, G]
    vals = q.values[:, -1]  # [R, J, G, Q]
    w = pop[..., None] / np.maximum(pop.sum(axis=1, keepdims=True)[..., None], 1)
    return np.nanmean(np.nansum(vals * w, axis=1), axis=0)


def trust_change(run):
    """Per-replicate change of mean trust from day 0 to the last day, [replicate, group]."""
    t = run.weighted_mean("trust_mean")
    return t.values[:, -1, :] - t.values[:, 0, :], t


def make(ctx: Context) -> list:
    return [_one(ctx, run) for run in ctx.runs]


def _dist(ax, qs, groups, qlabels, ylabel):
    """Box-style glyphs from stored quantiles: whiskers 10-90%, box 25-75%, tick at median."""
    for i, g in enumerate(groups):
        q = dict(zip(qlabels, qs[i]))
        c = group_colour(g, i)
        ax.vlines(i, q.get(0.1, np.nan), q.get(0.9, np.nan), color=c, lw=1.2)
        ax.vlines(i, q.get(0.25, np.nan), q.get(0.75, np.nan), color=c, lw=7, alpha=0.6)
        ax.hlines(q.get(0.5, np.nan), i - 0.25, i + 0.25, color="black", lw=1.5)
    ax.set_xticks(range(len(groups)), [SHORT_GROUP.get(g, g) for g in groups], fontsize=7)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, 1)


def _one(ctx: Context, run) -> Chart:
    label = ctx.label(run)
    cid = f"trust_fear_{ctx.slug(run)}"
    change, trust = trust_change(run)
    fear = run.weighted_mean("fear_mean")
    groups = list(trust.coords["group"])
    days = np.asarray(trust.coords["day"])
    qlabels = [float(x) for x in run.coord("quantile")]
    base = [g for g in groups if g != ALL]

    fig, axes = new_figure(10.0, 7.0, nrows=2, ncols=2)
    for i, g in enumerate(groups):
        style = dict(colour=group_colour(g, i), label=group_label(g).capitalize(),
                     ls=GROUP_LINESTYLE.get(g, "-"))
        band(axes[0, 0], days, mean_ci(trust.values[:, :, i], bounds=SHARE), **style)
        band(axes[0, 1], days, mean_ci(fear.values[:, :, i], bounds=SHARE), **style)
    axes[0, 0].set_ylabel("mean trust in local\npolice (0-1 scale)")
    axes[0, 1].set_ylabel("mean fear of immigration\nconsequences (0-1 scale)")
    for ax in axes[0]:
        ax.set_xlabel("day of simulation (days)")
        share_axis(ax)
        mark_changes(ax, run)
    legend_below(axes[0, 1], ncol=2)
    tq = quantiles_last_day(run, "trust_quantiles")
    fq = quantiles_last_day(run, "fear_quantiles")
    _dist(axes[1, 0], tq, base, qlabels, f"trust on day {run.days - 1} (0-1 scale)")
    _dist(axes[1, 1], fq, base, qlabels, f"fear on day {run.days - 1} (0-1 scale)")

    bi = [groups.index(g) for g in run.base_groups()]
    ci_change = mean_ci(change, axis=0, bounds=SHARE_DIFF)
    k = max(bi, key=lambda i: np.nan_to_num(abs(ci_change.mean[i]), nan=-1))
    g = groups[k]
    t0, t1 = np.nanmean(trust.values[:, 0, k]), np.nanmean(trust.values[:, -1, k])
    f1 = mean_ci(fear.values[:, -1, k], bounds=SHARE)
    dk = ci_change.item(k)
    clear = [i for i in bi if excludes_zero(ci_change.item(i))]
    if not clear:
        title = (f"In {label}, the data show no clear change in any group's mean trust by day "
                 f"{run.days - 1} (largest: {group_label(g)}, {sgn3(dk.mean)} "
                 f"{ci_bounds(dk, sgn3)} on a 0-1 scale)")
    else:
        k = max(clear, key=lambda i: abs(ci_change.mean[i]))
        g, dk = groups[k], ci_change.item(k)
        t0, t1 = np.nanmean(trust.values[:, 0, k]), np.nanmean(trust.values[:, -1, k])
        f1 = mean_ci(fear.values[:, -1, k], bounds=SHARE)
        verb = "fell" if dk.mean < 0 else "rose"
        title = (f"In {label}, {group_label(g)}' mean trust {verb} by {abs(dk.mean):.3f} "
                 f"{ci_bounds(dk, _f)} on a 0-1 scale, from {t0:.3f} to {t1:.3f} by day "
                 f"{run.days - 1}, the largest clear change of any group")
    suptitle(fig, title)
    png, svg = save(fig, ctx, cid)

    all_t = mean_ci(trust.values[:, -1, groups.index(ALL)], bounds=SHARE)
    approx = (", pooling jurisdictions approximately (population-weighted)"
              if len(run.coord("jurisdiction")) > 1 else "")
    summary = (
        f"Mean trust of {group_label(g)} changed by {sgn3(dk.mean)} {ci_bounds(dk, sgn3)} on a 0-1 "
        f"scale between day 0 and day {run.days - 1}, and their mean fear on the last day is "
        f"{f1.mean:.3f} {ci_bounds(f1, _f)}; all residents end at a mean trust of "
        f"{all_t.mean:.3f} {ci_bounds(all_t, _f)}. "
        + replicates_note(run.replicates, "Lines are means",
                          "; lower panels show the 10th, 25th, 50th, 75th and 90th "
                          "percentiles on the last day" + approx))
    alt = (f"Four panels for scenario {label}: mean trust and mean fear by group over days 0-"
           f"{run.days - 1}, and their distributions on the last day as box glyphs. "
           f"{group_label(g).capitalize()}' trust goes from {t0:.2f} to {t1:.2f}.")
    rows = []
    for i, gg in enumerate(groups):
        tc = mean_ci(trust.values[:, :, i], bounds=SHARE)
        fc = mean_ci(fear.values[:, :, i], bounds=SHARE)
        for d in range(len(days)):
            rows.append([label, "trust_mean", int(days[d]), gg, "", *ci_row(tc, (d,))])
            rows.append([label, "fear_mean", int(days[d]), gg, "", *ci_row(fc, (d,))])
    for i, gg in enumerate(base):
        for j, q in enumerate(qlabels):
            rows.append([label, "trust_quantile", run.days - 1, gg, q, tq[i, j], "", "", ""])
            rows.append([label, "fear_quantile", run.days - 1, gg, q, fq[i, j], "", "", ""])
    csv = write_csv(ctx, cid, ["scenario", "measure", "day", "group", "quantile", "mean",
                               "ci_low", "ci_high", "replicates"], rows)
    facts = {"group": g, "trust_start": t0, "trust_end": t1, "trust_change": dk.mean,
             "fear_end": f1.mean, "trust_end_all": all_t.mean}
    return Chart(cid, SECTION, title, alt, summary, png, svg, csv, facts)



def _f(x, digits=3):
    return f"{float(x):.{digits}f}"
