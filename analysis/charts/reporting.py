"""Reporting rate by group over time, one chart per scenario."""
from __future__ import annotations

import numpy as np

from ..measures import ALL
from ..stats import SHARE, SHARE_DIFF, mean_ci
from ..text import (ci_bounds, ci_text, excludes_zero, group_label, pct, pp, pts,
                    replicates_note)
from .base import (GROUP_LINESTYLE, Chart, Context, band, ci_row, group_colour, mark_changes,
                   new_figure, save, share_axis, suptitle, write_csv)

SECTION = "Crime reporting by group"


FOCAL_GROUP = "undocumented"  # the group the policies are about; fixed so that the
# headline is not chosen after looking at noisy small-group rates


def whole_run_gap(run):
    """Pooled reporting rates and the gap of the focal group to the first group.

    Returns (rates [replicate, group+all] Labelled, reference group, focal group,
    gap per replicate). The gap is paired within replicates of the same run.
    """
    rates = run.reporting_rate(days=(0, run.days))
    groups = list(rates.coords["group"])
    base = run.base_groups()
    ref = base[0]
    focal = FOCAL_GROUP if FOCAL_GROUP in base else base[-1]
    gap = rates.values[:, groups.index(focal)] - rates.values[:, groups.index(ref)]
    return rates, ref, focal, gap


def make(ctx: Context) -> list:
    return [_one(ctx, run) for run in ctx.runs]


def _one(ctx: Context, run) -> Chart:
    label = ctx.label(run)
    cid = f"reporting_{ctx.slug(run)}"
    daily, values = ctx.rolling_reporting(run)  # each group with its own window
    days = np.asarray(daily.coords["day"])
    groups = list(daily.coords["group"])
    cis = mean_ci(values, axis=0, bounds=SHARE)  # [day, group]

    # One panel per group: overlaid bands of small groups turn into an unreadable smear.
    ncols = 3
    nrows = -(-len(groups) // ncols)
    fig, axes = new_figure(9.0, 1.2 + 2.4 * nrows, nrows=nrows, ncols=ncols, squeeze=False,
                           sharex=True, sharey=True)
    ia = groups.index(ALL)
    for i, (ax, g) in enumerate(zip(axes.flat, groups)):
        if g != ALL:
            ax.plot(days, cis.mean[:, ia], color="0.35", ls=":", lw=1.2, label="all residents")
        band(ax, days, cis.item(slice(None), i), group_colour(g, i), group_label(g),
             GROUP_LINESTYLE.get(g, "-"))
        ax.set_title(f"{group_label(g).capitalize()} ({ctx.window_for(g)}-day window)",
                     fontsize=8)
        ax.yaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f}")
        share_axis(ax)
        mark_changes(ax, run, label=i == 0)
    for ax in list(axes.flat)[len(groups):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("day of simulation (days)")
    for ax in axes[:, 0]:
        ax.set_ylabel("victimisations reported (%, rolling)")
    axes.flat[0].legend(fontsize=7, frameon=False, loc="lower left")

    rates, ref, focal, gap = whole_run_gap(run)
    rg = list(rates.coords["group"])
    c_all = mean_ci(rates.values[:, rg.index(ALL)], bounds=SHARE)
    c_ref = mean_ci(rates.values[:, rg.index(ref)], bounds=SHARE)
    c_foc = mean_ci(rates.values[:, rg.index(focal)], bounds=SHARE)
    c_gap = mean_ci(gap, bounds=SHARE_DIFF)
    direction = "less" if c_gap.mean < 0 else "more"
    if excludes_zero(c_gap):
        title = (f"In {label}, {group_label(focal)} report {abs(100 * c_gap.mean):.1f} points "
                 f"{direction} of their victimisations than {group_label(ref)} "
                 f"{ci_bounds(c_gap, pp)}")
    else:
        title = (f"In {label}, the data show no clear gap between the reporting of "
                 f"{group_label(focal)} and {group_label(ref)} ({pts(c_gap.mean)} "
                 f"{ci_bounds(c_gap, pp)})")
    if np.isnan(c_gap.mean):  # a tiny city can leave a group with no victimisation at all
        title = (f"In {label}, {pct(c_all.mean)} of victimisations were reported; groups had "
                 f"too few victimisations to compare")
    suptitle(fig, title)
    png, svg = save(fig, ctx, cid)

    span = f"days 0-{run.days - 1}"
    summary = (
        f"Over {span}, {ci_text(c_all)} of victimisations of all residents were reported. "
        f"{group_label(focal).capitalize()} reported {pct(c_foc.mean)} {ci_bounds(c_foc)} "
        f"against {pct(c_ref.mean)} {ci_bounds(c_ref)} for {group_label(ref)}, a gap of "
        f"{pts(c_gap.mean)} {ci_bounds(c_gap, pp)}. "
        + replicates_note(run.replicates, "Lines are rolling shares (each group's window, "
                          "in its panel's title, holds about 1,100 victimisations)"))
    alt = (f"Line charts, one per resident group, of the share of victimisations reported to "
           f"police over {span} in scenario {label}, with the all-residents line for reference. "
           f"Whole-run shares: all residents {pct(c_all.mean)}, "
           f"{group_label(ref)} {pct(c_ref.mean)}, {group_label(focal)} {pct(c_foc.mean)}.")
    rows = [[label, "reporting_rate_rolling", int(d), g, *ci_row(cis, (k, i))]
            for i, g in enumerate(groups) for k, d in enumerate(days)]
    whole = mean_ci(rates.values, axis=0, bounds=SHARE)
    rows += [[label, "reporting_rate_whole_run", "", g, *ci_row(whole, (i,))]
             for i, g in enumerate(rg)]
    csv = write_csv(ctx, cid, ["scenario", "measure", "day", "group", "mean", "ci_low",
                               "ci_high", "replicates"], rows)
    facts = {"rate_all": c_all.mean, "rate_ref": c_ref.mean, "rate_focal": c_foc.mean,
             "gap": c_gap.mean, "gap_lo": c_gap.lo, "gap_hi": c_gap.hi,
             "ref_group": ref, "focal_group": focal}
    return Chart(cid, SECTION, title, alt, summary, png, svg, csv, facts)
