"""Reporting rate by group over time, one chart per scenario."""
from __future__ import annotations

import numpy as np

from ..measures import ALL
from ..stats import SHARE, SHARE_DIFF, mean_ci
from ..text import (ci_bounds, ci_text, excludes_zero, group_label, pct, pp, pts,
                    replicates_note)
from .base import (GROUP_LINESTYLE, Chart, Context, band, ci_row, group_colour, legend_below,
                   new_figure, save, slug, suptitle, write_csv)

SECTION = "Crime reporting by group"


def whole_run_gap(run):
    """Pooled reporting rates and the gap of the lowest group to the first group.

    Returns (rates [replicate, group+all] Labelled, reference group, lowest group,
    gap per replicate). The gap is paired within replicates of the same run.
    """
    rates = run.reporting_rate(days=(0, run.days))
    groups = list(rates.coords["group"])
    ref = run.base_groups()[0]
    means = np.nanmean(rates.values, axis=0)
    candidates = [g for g in run.base_groups() if g != ref]
    low = min(candidates, key=lambda g: np.nan_to_num(means[groups.index(g)], nan=np.inf))
    gap = rates.values[:, groups.index(low)] - rates.values[:, groups.index(ref)]
    return rates, ref, low, gap


def make(ctx: Context) -> list:
    return [_one(ctx, run) for run in ctx.runs]


def _one(ctx: Context, run) -> Chart:
    label = ctx.label(run)
    cid = f"reporting_{slug(label)}"
    daily = run.reporting_rate(window=ctx.window)
    days = np.asarray(daily.coords["day"])
    groups = list(daily.coords["group"])
    cis = mean_ci(daily.values, axis=0, bounds=SHARE)  # [day, group]

    fig, ax = new_figure()
    for i, g in enumerate(groups):
        band(ax, days, cis.item(slice(None), i), group_colour(g, i), group_label(g).capitalize(),
             GROUP_LINESTYLE.get(g, "-"))
    ax.yaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f}")
    ax.set_xlabel("day of simulation (days)")
    ax.set_ylabel(f"victimisations reported (%, {ctx.window}-day rolling)")
    legend_below(ax)

    rates, ref, low, gap = whole_run_gap(run)
    rg = list(rates.coords["group"])
    c_all = mean_ci(rates.values[:, rg.index(ALL)], bounds=SHARE)
    c_ref = mean_ci(rates.values[:, rg.index(ref)], bounds=SHARE)
    c_low = mean_ci(rates.values[:, rg.index(low)], bounds=SHARE)
    c_gap = mean_ci(gap, bounds=SHARE_DIFF)
    direction = "less" if c_gap.mean < 0 else "more"
    noise = "" if excludes_zero(c_gap) or c_gap.n < 2 else ", a gap within replicate noise"
    title = (f"In {label}, {group_label(low)} report {abs(100 * c_gap.mean):.1f} points "
             f"{direction} of their victimisations than {group_label(ref)}{noise}")
    suptitle(fig, title)
    png, svg = save(fig, ctx, cid)

    span = f"days 0-{run.days - 1}"
    summary = (
        f"Over {span}, {ci_text(c_all)} of victimisations of all residents were reported. "
        f"{group_label(low).capitalize()} reported {pct(c_low.mean)} {ci_bounds(c_low)} "
        f"against {pct(c_ref.mean)} {ci_bounds(c_ref)} for {group_label(ref)}, a gap of "
        f"{pts(c_gap.mean)} {ci_bounds(c_gap, pp)}. "
        + replicates_note(run.replicates, f"Lines are {ctx.window}-day rolling shares"))
    alt = (f"Line chart of the share of victimisations reported to police, by resident group, "
           f"over {span} in scenario {label}. Whole-run shares: all residents {pct(c_all.mean)}, "
           f"{group_label(ref)} {pct(c_ref.mean)}, {group_label(low)} {pct(c_low.mean)}.")
    rows = [[label, "reporting_rate_rolling", int(d), g, *ci_row(cis, (k, i))]
            for i, g in enumerate(groups) for k, d in enumerate(days)]
    whole = mean_ci(rates.values, axis=0, bounds=SHARE)
    rows += [[label, "reporting_rate_whole_run", "", g, *ci_row(whole, (i,))]
             for i, g in enumerate(rg)]
    csv = write_csv(ctx, cid, ["scenario", "measure", "day", "group", "mean", "ci_low",
                               "ci_high", "replicates"], rows)
    facts = {"rate_all": c_all.mean, "rate_ref": c_ref.mean, "rate_low": c_low.mean,
             "gap": c_gap.mean, "gap_lo": c_gap.lo, "gap_hi": c_gap.hi,
             "ref_group": ref, "low_group": low}
    return Chart(cid, SECTION, title, alt, summary, png, svg, csv, facts)
