"""One page: each scenario against the reference (baseline) with 95% intervals."""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
from matplotlib.ticker import MaxNLocator

from ..measures import ALL
from ..stats import CI, SHARE_DIFF, diff_ci
from ..text import ci_bounds, excludes_zero, group_label, num, pct, pp, pts, sgn3, signed
from .base import (CYCLE, Chart, Context, common_window_note, errorbars, new_figure, paired_runs,
                   save, suptitle, write_csv)
from .detentions import per_resident_year

SECTION = "Scenarios compared"


@dataclass(frozen=True)
class Metric:
    key: str
    name: str
    unit: str     # unit of the difference, for the axis
    share: bool   # a 0-1 share: differences are shown in percentage points


def detention_change(reference: float, difference: float) -> str:
    """The change in detentions as a reader would say it: a percentage, or 'n-fold' when
    detentions more than treble (a percentage of a small baseline reads as noise)."""
    if not reference > 0:
        return f"detentions by {num(difference)} per 10,000 residents per year"
    ratio = (reference + difference) / reference
    if ratio >= 3:
        return f"detentions {ratio:.0f}-fold"
    return f"detentions by {signed(100 * difference / reference, 0)}%"


def metrics(run, days=None) -> dict:
    """Per-replicate values of each headline metric for one run over days [0, days)
    (None: the whole run); trust is read on the window's last day."""
    days = days or run.days
    window = (0, days)
    rep = run.reporting_rate(days=window)
    trust = run.weighted_mean("trust_mean")
    g = list(rep.coords["group"])
    out = {"reporting_all": rep.values[:, g.index(ALL)],
           "detentions": per_resident_year(run, run.detention_counts(days=window).values,
                                           window),
           "crime": run.crime_rate(days=window).values.sum(axis=1),
           "trust_all": trust.values[:, days - 1, g.index(ALL)]}
    if "undocumented" in g:
        out["reporting_undocumented"] = rep.values[:, g.index("undocumented")]
        out["trust_undocumented"] = trust.values[:, days - 1, g.index("undocumented")]
    return out


METRICS = [
    Metric("reporting_all", "reporting, all residents", "percentage points", True),
    Metric("reporting_undocumented", "reporting, undocumented", "percentage points", True),
    Metric("detentions", "detentions", "per 10,000 residents per year", False),
    Metric("crime", "crime", "victimisations per 10,000 residents per year", False),
    Metric("trust_all", "trust on last day, all", "0-1 scale", False),
    Metric("trust_undocumented", "trust on last day, undocumented", "0-1 scale", False),
]


def differences(ctx: Context) -> dict:
    """(run label, metric key) -> (reference mean, scenario mean, difference CI)."""
    ref = ctx.reference
    mref = metrics(ref, ctx.common_days)
    out = {}
    for run in ctx.runs:
        if run is ref:
            continue
        m = metrics(run, ctx.common_days)
        for key in m.keys() & mref.keys():
            bounds = SHARE_DIFF if key.startswith(("reporting", "trust")) else None
            d = diff_ci(m[key], mref[key], paired_runs(run, ref), bounds=bounds)
            out[ctx.label(run), key] = (float(np.nanmean(mref[key])),
                                        float(np.nanmean(m[key])), d)
    return out


def make(ctx: Context) -> list:
    others = [r for r in ctx.runs if r is not ctx.reference]
    if not others:
        return []
    ref = ctx.label(ctx.reference)
    diffs = differences(ctx)
    used = [mt for mt in METRICS if any((ctx.label(r), mt.key) in diffs for r in others)]
    labels = [ctx.label(r) for r in others]

    ncols = 3
    nrows = -(-len(used) // ncols)
    fig, axes = new_figure(10.0, 0.9 + nrows * (1.0 + 0.45 * len(others)), nrows=nrows,
                           ncols=ncols, squeeze=False)
    for ax, mt in zip(axes.flat, used):
        scale = 100.0 if mt.share else 1.0
        for i, lab in enumerate(labels):
            if (lab, mt.key) in diffs:
                d = diffs[lab, mt.key][2]
                errorbars(ax, [i], _scaled(d, scale), CYCLE[i % len(CYCLE)])
        ax.axvline(0, color="0.4", lw=0.8)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))  # small trust differences crowd
        ax.tick_params(axis="x", labelsize=7)
        ax.set_yticks(range(len(labels)), labels, fontsize=7)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.set_title(mt.name, fontsize=8)
        ax.set_xlabel(textwrap.fill(f"difference from {ref} ({mt.unit})", 40), fontsize=7)
    for ax in list(axes.flat)[len(used):]:
        ax.set_visible(False)

    key = "reporting_undocumented" if any(k == "reporting_undocumented" for _, k in diffs) \
        else "reporting_all"
    who = group_label(key.split("_", 1)[1])
    # Only effects whose 95% interval excludes zero are ranked; the rest are "unclear".
    clear = [lab for lab in labels if excludes_zero(diffs[lab, key][2])]
    star = min(clear or labels,
               key=lambda lab: np.nan_to_num(diffs[lab, key][2].mean, nan=np.inf))
    d_rep = diffs[star, key][2]
    ref_det, _, d_det = diffs[star, "detentions"]
    det_txt = (f"{detention_change(ref_det, d_det.mean)} ({signed(d_det.mean)} per 10,000 "
               f"residents a year, 95% CI {signed(d_det.lo)} to {signed(d_det.hi)})"
               if excludes_zero(d_det) else "no clear change in detentions")
    if not clear:
        title = (f"Against {ref}, the data show no clear change in {who}' reporting under any "
                 f"scenario (95% intervals include zero)")
    else:
        title = (f"Against {ref}, {star} shifts {who}' reporting by {pts(d_rep.mean)} "
                 f"{ci_bounds(d_rep, pp)}, with {det_txt}")
    suptitle(fig, title)
    png, svg = save(fig, ctx, "comparison")

    d_all = diffs[star, "reporting_all"][2]
    d_crime = diffs[star, "crime"][2]
    tkey = "trust_undocumented" if (star, "trust_undocumented") in diffs else "trust_all"
    d_tr = diffs[star, tkey][2]
    run_star = next(r for r in others if ctx.label(r) == star)
    how = ("paired by replicate (same seed)" if paired_runs(run_star, ctx.reference)
           else "unpaired (Welch)")
    summary = (
        f"Against {ref}, {star} changes the share of victimisations reported by {who} by "
        f"{pts(d_rep.mean)} {ci_bounds(d_rep, pp)} and by all residents by "
        f"{pts(d_all.mean)} {ci_bounds(d_all, pp)}. "
        f"Detentions change by {num(d_det.mean)} per 10,000 residents per year "
        f"{ci_bounds(d_det, num)} and crime by {num(d_crime.mean)} victimisations per 10,000 "
        f"residents per year {ci_bounds(d_crime, num)}. Mean trust on day "
        f"{ctx.common_days - 1} ({group_label(tkey.split('_', 1)[1])}) differs by "
        f"{sgn3(d_tr.mean)} {ci_bounds(d_tr, sgn3)}; intervals are 95%, {how}"
        f"{common_window_note(ctx)}; the table lists every scenario.")
    alt = (f"Dot-and-whisker panels, one per metric ({', '.join(m.name for m in used)}), "
           f"showing each of {len(others)} scenarios' difference from {ref} with 95% "
           f"intervals and a line at zero. {star} moves {who}' reporting by "
           f"{pts(d_rep.mean)}.")
    # One row per scenario, one column per metric: the reference's level first, then each
    # scenario's difference from it with its interval ("unclear" when it includes zero).
    header = ["scenario"] + [f"{mt.name} ({'%' if mt.share else mt.unit})" for mt in used]
    levels = {mt.key: next((diffs[lab, mt.key][0] for lab in labels if (lab, mt.key) in diffs),
                           np.nan) for mt in used}
    rows = [[f"{ref} (level)"] + [_level(mt, levels[mt.key]) for mt in used]]
    csv_rows = []
    for lab in labels:
        row = [f"{lab} (difference)"]
        for mt in used:
            if (lab, mt.key) not in diffs:
                row.append("")
                continue
            rv, sv, d = diffs[lab, mt.key]
            dfmt = pp if mt.share else (sgn3 if "trust" in mt.key else signed)
            dtxt = f"{dfmt(d.mean)}{' points' if mt.share else ''} {ci_bounds(d, dfmt)}"
            row.append(dtxt if excludes_zero(d) else f"unclear: {dtxt}")
            # Shares go to the CSV in the units its columns name: % and percentage points.
            k = 100.0 if mt.share else 1.0
            csv_rows.append([lab, mt.key, "%" if mt.share else mt.unit, mt.unit, k * rv, k * sv,
                             k * float(d.mean), k * float(d.lo), k * float(d.hi), int(d.n),
                             int(excludes_zero(d)), 0, ctx.common_days - 1])
        rows.append(row)
    csv = write_csv(ctx, "comparison", ["scenario", "metric", "unit_of_means",
                                        "unit_of_difference", "reference_mean",
                                        "scenario_mean", "difference", "ci_low", "ci_high",
                                        "replicates", "interval_excludes_zero", "first_day",
                                        "last_day"], csv_rows)
    facts = {"reference": ref, "scenario": star, "metric": key, "d_reporting": d_rep.mean,
             "d_reporting_all": d_all.mean, "d_detentions": d_det.mean,
             "ref_detentions": ref_det, "d_crime": d_crime.mean, "d_trust": d_tr.mean,
             "trust_metric": tkey}
    return [Chart("comparison", SECTION, title, alt, summary, png, svg, csv, facts,
                  table=(header, rows))]


def _level(mt, v) -> str:
    return pct(v) if mt.share else (_v3(v) if "trust" in mt.key else num(v))


def _scaled(d, k):
    return CI(d.mean * k, d.lo * k, d.hi * k, d.n)




def _v3(x, digits=3):
    return f"{float(x):.{digits}f}"
