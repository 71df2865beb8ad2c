"""What drives the change in reporting: each policy scenario's effect on every group's
reporting rate against the reference, split by the learning channel that carries it
(scripts/decompose; the files are found by report.load_decompositions).

The decomposition runs a smaller city than the report's own runs (its size is in every
caption), with the same random numbers in every run, so a channel's bar is the change that
disappears when residents stop learning through it and nothing else differs.
"""
from __future__ import annotations

import numpy as np

from ..measures import ALL
from ..stats import CI, SHARE_DIFF, diff_ci
from ..text import ci_bounds, excludes_zero, group_label, pp, pts
from .base import (CYCLE, PALETTE, Chart, Context, new_figure, paired_runs, save, suptitle,
                   write_csv)
from .reporting import FOCAL_GROUP

SECTION = "What drives the change in reporting"
# Top to bottom: the group the policies are about first, all residents last.
ORDER = (FOCAL_GROUP, "mixed_status", "mixed_status_citizen", "lawful_noncitizen",
         "citizen_immigrant_origin", "citizen_non_immigrant", ALL)
TABLE_GROUPS = (FOCAL_GROUP, "citizen_immigrant_origin", ALL)
INTERACTION_COLOUR = "#555555"
# A channel keeps its colour from chart to chart and when the engine adds one; a channel
# not named here takes the first colour no other channel of the chart has.
CHANNEL_COLOURS = {"own": PALETTE["blue"], "ties": PALETTE["orange"],
                   "household": PALETTE["green"], "neighbourhood": PALETTE["vermillion"],
                   "announcement": PALETTE["purple"], "news": PALETTE["yellow"]}


def channel_colours(channels) -> dict:
    out = {c: CHANNEL_COLOURS[c] for c in channels if c in CHANNEL_COLOURS}
    free = [c for c in CYCLE if c not in out.values()] or CYCLE
    for i, c in enumerate(c for c in channels if c not in out and c != "interaction"):
        out[c] = free[i % len(free)]
    out["interaction"] = INTERACTION_COLOUR
    return out


def shown_groups(dec) -> list:
    """Groups drawn, in ORDER; groups the engine adds later go before 'all'."""
    known = [g for g in ORDER if g in dec.groups]
    extra = [g for g in dec.groups if g not in ORDER]
    return known[:-1] + extra + known[-1:] if known and known[-1] == ALL else known + extra


def window_words(dec) -> str:
    a = dec.attrs
    start, end = int(a["window_start"]), int(a["window_end"])
    after = f" (after the policy change on day {start})" if start > 0 else ""
    return f"days {start}-{end - 1}{after}"


def size_words(dec) -> str:
    a = dec.attrs
    reps = int(a["replicates"])
    return (f"{int(a['residents']):,} residents, {window_words(dec)}, {reps} "
            f"replicate{'s' if reps != 1 else ''}, seed {a['seed']}")


def draw(dec, title: str | None = None):
    """Stacked bars per group (points of reporting): each channel's part and the channels'
    interaction, positive parts to the right of zero and negative to the left; a black tick
    marks the whole change. Returns the figure."""
    groups = shown_groups(dec)
    parts = len(dec.channels) - 1  # channels and interaction, not the total
    colours = channel_colours(dec.channels[:parts])
    # The legend gets its own row under the bars, so it is never cut off or drawn over them.
    fig, (ax, key) = new_figure(8.0, 0.42 * len(groups) + 2.9, nrows=2,
                                gridspec_kw={"height_ratios": [len(groups), 2.2]})
    for row, grp in enumerate(groups):
        g = dec.groups.index(grp)
        left = {True: 0.0, False: 0.0}
        for c in range(parts):
            v = 100 * dec.effect[c, g, 0]
            inter = dec.channels[c] == "interaction"
            ax.barh(row, v, left=left[v >= 0], height=0.6, edgecolor="white", lw=0.5,
                    color=colours[dec.channels[c]],
                    hatch="//" if inter else None, label=dec.words[c] if row == 0 else None)
            left[v >= 0] += v
        ax.plot([100 * dec.effect[-1, g, 0]], [row], "|", color="black", markersize=16,
                markeredgewidth=2, label="whole change" if row == 0 else None)
    ax.set_yticks(range(len(groups)), [group_label(g) for g in groups])
    ax.invert_yaxis()
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set_xlabel(f"change in the chance that a victim reports (percentage points)\n"
                  f"{dec.name} against {dec.reference_name}, {window_words(dec)}")
    key.axis("off")
    key.legend(*ax.get_legend_handles_labels(), loc="upper center", ncol=2, fontsize=8,
               frameon=False)
    suptitle(fig, title or f"What drives the change in reporting: {dec.name} against "
                           f"{dec.reference_name} ({size_words(dec)})")
    return fig


def focal(dec) -> str:
    return FOCAL_GROUP if FOCAL_GROUP in dec.groups else ALL


def full_size_change(run, ref, dec) -> CI:
    """The focal group's change in reporting in the report's own (full-size) runs, from the
    decomposition's first day (the last policy change) to the end of both runs: whether
    there is a change at all is judged on these runs' replicates, not on the smaller
    city's one or two. Without a switch that is the whole run, as the brief's own lines."""
    end = min(run.days, ref.days)
    start = int(dec.attrs["window_start"])
    days = (start, end) if start < end else (0, end)
    a, b = (r.reporting_rate(days=days) for r in (run, ref))
    g = list(a.coords["group"]).index(focal(dec))
    return diff_ci(a.values[:, g], b.values[:, g], paired_runs(run, ref), bounds=SHARE_DIFF)


def after_words(dec) -> str:
    """' after day 365' for a decomposition measured after a policy change, else ''."""
    start = int(dec.attrs["window_start"])
    return f" after day {start}" if start > 0 else ""


def most_words(share: float, total: float) -> str:
    return "most of it" if abs(share) > abs(total) / 2 and share * total > 0 else "its largest part"


def top_part(dec) -> tuple:
    """(index, value) of the part (a channel or the interaction) that carries the largest
    share of the focal group's change."""
    parts = dec.effect[:-1, dec.groups.index(focal(dec)), 0]
    top = int(np.argmax(np.abs(parts)))
    return top, float(parts[top])


def headline(dec, label: str, change: CI) -> tuple:
    """(title, facts): the change in the full-size runs, stated only when its 95% interval
    excludes zero, and the part of the decomposition that carries most of it."""
    g = dec.groups.index(focal(dec))
    total = float(dec.effect[-1, g, 0])
    top, share = top_part(dec)
    facts = {"group": dec.groups[g], "total": total, "top_channel": dec.channels[top],
             "top_share": share, "change": float(change.mean)}
    who = group_label(dec.groups[g])
    if not excludes_zero(change):
        return (f"Under {label} the data show no clear change in {who}' reporting"
                f"{after_words(dec)} to split by channel: {pts(change.mean)} "
                f"{ci_bounds(change, pp)}", facts)
    return (f"Under {label}, {who}' reporting{after_words(dec)} changes by "
            f"{pts(change.mean)} {ci_bounds(change, pp)}; {dec.words[top]} carries "
            f"{most_words(share, total)} ({pp(share, 2)} of {pp(total, 2)} points in the "
            f"channel decomposition)", facts)


def caption(dec, label: str) -> str:
    """The plain-language caption: what the bars are, the focal group's parts, the size."""
    g = dec.groups.index(focal(dec))
    parts = [(dec.words[c], dec.effect[c, g, 0]) for c in range(len(dec.channels) - 1)]
    parts.sort(key=lambda p: -abs(p[1]))
    level = dec.reference_level[g, 0]
    listed = "; ".join(f"{w} {pp(v, 2)}" for w, v in parts)
    return (f"Each bar splits the change in the chance that a victim of a violent crime "
            f"reports to the police (the mean over a fixed panel of residents) under {label}, "
            f"against {dec.reference_name}, by the way residents learn what the police do: "
            f"{', '.join(w for w in dec.words[:-2])}. A channel's part is how much of the "
            f"change disappears when residents stop learning that way, with the same city and "
            f"the same chances in every run; 'channels together' (hatched) is what the "
            f"channels do only in combination; the black tick is the whole change. For "
            f"{group_label(dec.groups[g])} (whose chance is {100 * level:.1f}% under "
            f"{dec.reference_name}), in points: {listed}; whole change "
            f"{pp(dec.effect[-1, g, 0], 2)}. Measured on a smaller simulated city than the "
            f"charts above ({size_words(dec)}): bars are means over its replicates, without "
            f"intervals, and its whole change can differ a little from theirs; whether there "
            f"is a change at all is judged on the full-size runs (the title).")


def make(ctx: Context) -> list:
    out = []
    for run in ctx.runs:
        dec = ctx.decompositions.get(run.name)
        if run is ctx.reference or dec is None:
            continue
        out.append(_one(ctx, run, dec))
    return out


def _one(ctx: Context, run, dec) -> Chart:
    label = ctx.label(run)
    cid = f"decomposition_{ctx.slug(run)}"
    title, facts = headline(dec, label, full_size_change(run, ctx.reference, dec))
    png, svg = save(draw(dec, title), ctx, cid)
    rows = []
    for c, ch in enumerate(dec.channels):
        for g, grp in enumerate(dec.groups):
            for m, meas in enumerate(dec.measures):
                reps = dec.by_replicate[:, c, g, m]
                rows.append([label, dec.reference_name, ch, dec.words[c], grp, meas,
                             float(dec.effect[c, g, m]), float(reps.min()), float(reps.max()),
                             len(reps)])
    csv = write_csv(ctx, cid, ["scenario", "reference", "channel", "channel_words", "group",
                               "measure", "effect", "replicate_min", "replicate_max",
                               "replicates"], rows)
    cols = [g for g in TABLE_GROUPS if g in dec.groups]
    table = (["channel"] + [f"{group_label(g)} (points)" for g in cols],
             [[dec.words[c]] + [pp(dec.effect[c, dec.groups.index(g), 0], 2) for g in cols]
              for c in range(len(dec.channels))])
    alt = (f"Horizontal stacked bars, one per group of residents, splitting the change in "
           f"reporting under {label} against {dec.reference_name} into the learning channels "
           f"{', '.join(dec.words[:-2])}, and their interaction. "
           f"{group_label(facts['group']).capitalize()}: whole change {pts(facts['total'])}, "
           f"largest part {dec.words[dec.channels.index(facts['top_channel'])]} "
           f"{pts(facts['top_share'])}.")
    return Chart(cid, SECTION, title, alt, caption(dec, label), png, svg, csv, facts, table)
