"""A policy switch: reporting and trust around the switch day, before vs after.

Before = the W days just before the switch; after = the last W days before
the next change (or the end of the run), W = min(30, days available). The
after window sits at the end because trust and belief adjust slowly, so
the days right after a switch understate its effect.
"""
from __future__ import annotations

import numpy as np

from ..measures import ALL
from .reporting import FOCAL_GROUP
from ..stats import SHARE, SHARE_DIFF, mean_ci
from ..text import ci_bounds, excludes_zero, group_label, pct, pp, pts, replicates_note, sgn3
from .base import (GROUP_LINESTYLE, Chart, Context, band, ci_row, group_colour, legend_below,
                   new_figure, save, share_axis, suptitle, write_csv)

SECTION = "Policy switch"
MAX_WINDOW = 30


def windows(run, k: int) -> tuple:
    """(before, after) half-open day ranges for the k-th policy change."""
    changes = run.policy_changes()
    s = changes[k].day
    end = next((c.day for c in changes[k + 1:] if c.day > s), run.days)
    w = min(MAX_WINDOW, s, end - s)
    return (s - w, s), (end - w, end)


def before_after(run, k: int):
    """Per-replicate reporting rates and mean trust, before and after, [replicate, group]."""
    before, after = windows(run, k)
    rep = [run.reporting_rate(days=d) for d in (before, after)]
    trust = run.weighted_mean("trust_mean")
    tr = [np.nanmean(trust.values[:, d[0]:d[1], :], axis=1) for d in (before, after)]
    return rep[0], rep[1], tr[0], tr[1]


def make(ctx: Context) -> list:
    out = []
    for run in ctx.runs:
        changes = run.policy_changes()
        for k, ch in enumerate(changes):
            if 0 < ch.day < run.days:  # a change on day 0 is just the starting policy
                out.append(_one(ctx, run, k))
    return out


def _one(ctx: Context, run, k: int) -> Chart:
    label = ctx.label(run)
    ch = run.policy_changes()[k]
    cid = f"switch_{ctx.slug(run)}_{k}"
    (b0, b1), (a0, a1) = windows(run, k)
    rb, ra, tb, ta = before_after(run, k)
    groups = list(rb.coords["group"])
    d_rep = mean_ci(ra.values - rb.values, axis=0, bounds=SHARE_DIFF)  # paired within replicate
    d_tr = mean_ci(ta - tb, axis=0, bounds=SHARE_DIFF)
    # The headline group is fixed in advance (not the largest of noisy changes); all
    # residents stand in when the focal group had no victimisation in a window.
    gi = ALL
    if FOCAL_GROUP in groups and not np.isnan(d_rep.mean[groups.index(FOCAL_GROUP)]):
        gi = FOCAL_GROUP
    big, ai = groups.index(gi), groups.index(ALL)

    daily, values = ctx.rolling_reporting(run)
    trust = run.weighted_mean("trust_mean")
    days = np.asarray(daily.coords["day"])
    fig, (ax1, ax2) = new_figure(9.0, 4.2, ncols=2)
    for i, g in enumerate(groups):
        style = dict(colour=group_colour(g, i), label=group_label(g).capitalize(),
                     ls=GROUP_LINESTYLE.get(g, "-"))
        if g in (gi, ALL):  # small groups' daily rates would drown the picture
            band(ax1, days, mean_ci(values[:, :, i], bounds=SHARE), **style)
        band(ax2, days, mean_ci(trust.values[:, :, i], bounds=SHARE), **style)
    for ax in (ax1, ax2):
        ax.axvline(ch.day, color="black", lw=1.2)
        ax.axvspan(b0, b1, color="0.85", lw=0, zorder=0)
        ax.axvspan(a0, a1, color="0.92", lw=0, zorder=0)
        ax.annotate(f"day {ch.day}: {ch.label}\n({ch.jurisdiction})", (ch.day, 1.0),
                    xycoords=("data", "axes fraction"), fontsize=7, va="top",
                    xytext=(3, 0), textcoords="offset points")
        ax.set_xlabel("day of simulation (days)")
    ax1.yaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f}")
    ax1.set_ylabel(f"victimisations reported (%, {ctx.window_for(gi)}-day rolling)")
    ax2.set_ylabel("mean trust in local police (0-1 scale)")
    for ax in (ax1, ax2):
        share_axis(ax)
    ax1.legend(fontsize=7, frameon=False, loc="lower left")
    legend_below(ax2, ncol=2)

    change = d_rep.item(big)
    verb = "rose" if change.mean > 0 else "fell"
    if excludes_zero(change):
        title = (f"After the switch to {ch.label} on day {ch.day} in {label}, "
                 f"{group_label(gi)}' reporting {verb} by {abs(100 * change.mean):.1f} points "
                 f"{ci_bounds(change, pp)}")
    else:
        title = (f"After the switch to {ch.label} on day {ch.day} in {label}, the data show "
                 f"no clear change in {group_label(gi)}' reporting ({pts(change.mean)} "
                 f"{ci_bounds(change, pp)})")
    suptitle(fig, title)
    png, svg = save(fig, ctx, cid)

    c_all, c_tr = d_rep.item(ai), d_tr.item(big)
    r_before, r_after = float(np.nanmean(rb.values[:, big])), float(np.nanmean(ra.values[:, big]))
    summary = (
        f"Comparing days {b0}-{b1 - 1} (before, dark shading) with days {a0}-{a1 - 1} "
        f"(after, light shading), {group_label(gi)} reported {pct(r_before)} "
        f"then {pct(r_after)} of victimisations, a change of "
        f"{pts(change.mean)} {ci_bounds(change, pp)}; for all residents the "
        f"change was {pts(c_all.mean)} {ci_bounds(c_all, pp)}. "
        f"Their mean trust changed by {sgn3(c_tr.mean)} {ci_bounds(c_tr, sgn3)} on a 0-1 scale. "
        + replicates_note(run.replicates, "Before-after changes are means of within-replicate differences"))
    alt = (f"Two line charts for scenario {label}: share of victimisations reported by "
           f"{group_label(gi)} and by all residents, and mean trust by group, with a vertical "
           f"line at day {ch.day} where the policy becomes "
           f"{ch.label}. {group_label(gi).capitalize()}' reporting changes by "
           f"{pts(change.mean)} between the shaded before and after windows.")
    rows = []
    for i, g in enumerate(groups):
        rows.append([label, ch.day, ch.label, "reporting_rate_change", g, *ci_row(d_rep, (i,))])
        rows.append([label, ch.day, ch.label, "trust_mean_change", g, *ci_row(d_tr, (i,))])
    csv = write_csv(ctx, cid, ["scenario", "switch_day", "new_policy", "measure", "group",
                               "mean", "ci_low", "ci_high", "replicates"], rows)
    facts = {"group": gi, "switch_day": ch.day, "before": (b0, b1), "after": (a0, a1),
             "rate_before": r_before, "rate_after": r_after, "change": change.mean,
             "change_all": c_all.mean, "trust_change": c_tr.mean}
    return Chart(cid, SECTION, title, alt, summary, png, svg, csv, facts)
