"""The one-page brief for the people who decide (brief.html beside the report).

Each scenario in plain words (its own `description:`), what it is compared with, and a
few numbers with 95% intervals scaled to a city of the size the reader names: violent
crimes that go unreported, people detained and how many of them had no criminal record,
reporting and trust by group, crime. An effect whose interval includes zero is called
unclear and is never ranked. A caveats box and the sources close it. It prints on at most
two pages and reads at 400 px.

Group, crime-type and record names are read from the file's labels (never fixed indices),
so groups or categories the engine adds later appear or are ignored without breaking it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html import escape

import numpy as np

from .measures import ALL, PER_YEAR
from .stats import SHARE_DIFF, CI, diff_ci, ratio
from .text import clean, excludes_zero, group_label

DEFAULT_CITY = 1_000_000
FOCUS_GROUPS = ("undocumented", "citizen_immigrant_origin")  # shown when the file has them

CAVEATS = [
    "This is a simulation of one synthetic, generic large US city fitted to national "
    "figures. It compares policies on the same city; it does not forecast a real one.",
    "Left out: people moving in or out, changes of immigration status, people leaving out "
    "of fear, witnesses and tips, jail time, the economic cost of a removal to a family, "
    "news and social media, and any change in staffing or overtime.",
    "Police officers are counts, not individuals with their own judgement; ICE acts the "
    "same everywhere in the city; one immigration court serves everyone in arrival order.",
    "Crime rates have no trend or season; only two kinds of crime (violent and property).",
    "Each number is the mean of several simulated replicates of the city with a 95% "
    "interval; an interval that includes zero means the simulation cannot tell whether "
    "the policy helps or hurts on that measure.",
]
SOURCES = ("Crime and reporting: BJS National Crime Victimization Survey 2022; clearance: "
           "FBI Crime in the United States 2019; police contacts: BJS Police-Public Contact "
           "Survey; fear and trust: Theodore 2013 (Insecure Communities), Pew Research Center "
           "2019 and 2022, Gallup; enforcement: ICE ERO FY2019, TRAC, Migration Policy "
           "Institute; contact effects: Skogan 2006. Full citations: docs/parameters.md; "
           "limitations: docs/model.md.")


@dataclass
class Finding:
    """One line of a scenario's card: what is measured, the numbers, whether any is clear."""
    measure: str
    label: str
    text: str
    clear: bool
    ci: CI


def round_sig(x: float, sig: int = 2) -> float:
    """12,345 -> 12,000: a council reads two significant figures, not five."""
    if not np.isfinite(x) or x == 0:
        return 0.0 if x == 0 else x
    return round(x, sig - 1 - int(math.floor(math.log10(abs(x)))))


def people(x: float) -> str:
    return f"{round_sig(abs(x)):,.0f}"


def resolved_yaml(run) -> str:
    """The resolved scenario text; bytes that are not UTF-8 (a Latin-1 name) are read as
    text.clean reads them, instead of failing."""
    try:
        return run.resolved_yaml()
    except UnicodeDecodeError as e:
        return clean(e.object.decode("utf-8", "surrogateescape"))


def description(run) -> str:
    """The scenario's own `description:`, from the resolved scenario in the file."""
    m = re.search(r"^description:\s*(.+)$", resolved_yaml(run), re.M)
    return clean(m.group(1).strip().strip("'\"")) if m else ""


# --- per-replicate quantities over days [0, days) -------------------------------------------

def _per_year_city(run, counts, days, city):
    """Counts [replicate] over the window -> per year in a city of `city` residents."""
    rd = run.resident_days().values[:, :days].sum(axis=1).astype(float)
    return ratio(counts, rd) * PER_YEAR * city


def unreported_violent(run, days, city):
    types = [str(t) for t in run.coord("crime_type")]
    kind = "violent" if "violent" in types else types[0]
    v = run.series("victimisations").sel(crime_type=kind).sum("jurisdiction")
    r = run.series("reports").sel(crime_type=kind).sum("jurisdiction")
    base = run.base_groups()
    gone = (v.sel(group=base).values - r.sel(group=base).values)[:, :days].sum(axis=(1, 2))
    return _per_year_city(run, gone, days, city), kind


def detained(run, days, city):
    det = run.detention_counts("record", days=(0, days))
    recs = [str(r) for r in det.coords["record"]]
    total = det.values.sum(axis=1)
    none = det.values[:, recs.index("none")] if "none" in recs else np.full_like(total, np.nan)
    return _per_year_city(run, total, days, city), _per_year_city(run, none, days, city)


def crime(run, days, city):
    v = run.series("victimisations").sum("jurisdiction").sum("crime_type")
    n = v.sel(group=run.base_groups()).values[:, :days].sum(axis=(1, 2))
    return _per_year_city(run, n, days, city)


def reporting(run, days):
    rate = run.reporting_rate(days=(0, days))
    return {str(g): rate.values[:, i] for i, g in enumerate(rate.coords["group"])}


def trust(run, days):
    t = run.weighted_mean("trust_mean")
    return {str(g): t.values[:, days - 1, i] for i, g in enumerate(t.coords["group"])}


# --- words ------------------------------------------------------------------------------------

def _interval(ci: CI, fmt) -> str:
    if not np.asarray(ci.n) >= 2:
        return "(one replicate: no interval)"
    return f"({fmt(ci.lo)} to {fmt(ci.hi)})"


def _count(x: float) -> str:
    return f"{'+' if x > 0 else '-' if x < 0 else ''}{people(x)}"


def _pts(x: float) -> str:
    t = f"{100 * x:+.1f}"
    return "0.0" if float(t) == 0 else t


def _part(ci: CI, fmt, unit: str) -> str:
    """'+410 a year (+390 to +430)', or 'unclear (-42 to +11)'."""
    if excludes_zero(ci):
        return f"{fmt(ci.mean)}{unit} {_interval(ci, fmt)}"
    return f"unclear {_interval(ci, fmt)}"


def count_finding(measure, label, ci: CI, extra: str = "") -> Finding:
    return Finding(measure, label, _part(ci, _count, " a year") + extra, excludes_zero(ci), ci)


def group_finding(measure, label, cis: dict, levels: dict, unit: str) -> Finding:
    """One line over groups: 'undocumented residents -3.5 (-3.8 to -3.2) from 20; ...'."""
    parts = [f"{group_label(g)} {_part(ci, _pts, '')}, from {100 * levels[g]:.0f}"
             for g, ci in cis.items()]
    clear = any(excludes_zero(c) for c in cis.values())
    return Finding(measure, label, "; ".join(parts) + unit, clear,
                   next(iter(cis.values())))


def scenario_findings(run, ref, days, city, paired) -> list:
    """Five lines: unreported violent crime, people detained (and with no record),
    reporting and trust by group, all crime; each effect with its 95% interval."""
    out = []
    (u, kind), (u0, _) = unreported_violent(run, days, city), unreported_violent(ref, days, city)
    out.append(count_finding("unreported_violent", f"{kind.capitalize()} crimes that go "
                             f"unreported", diff_ci(u, u0, paired)))
    (d, dn), (d0, dn0) = detained(run, days, city), detained(ref, days, city)
    det, none = diff_ci(d, d0, paired), diff_ci(dn, dn0, paired)
    extra = (f"; of them with no criminal record {_count(none.mean)} {_interval(none, _count)}"
             if excludes_zero(det) and excludes_zero(none) else "")
    out.append(count_finding("detained", "People detained for immigration enforcement", det,
                             extra))
    rep, rep0 = reporting(run, days), reporting(ref, days)
    tr, tr0 = trust(run, days), trust(ref, days)
    groups = [g for g in FOCUS_GROUPS[:1] if g in rep] + [ALL]
    out.append(group_finding(
        "reporting", "Crimes reported to police (points of 100)",
        {g: diff_ci(rep[g], rep0[g], paired, bounds=SHARE_DIFF) for g in groups},
        {g: float(np.nanmean(rep0[g])) for g in groups}, ""))
    out.append(group_finding(
        "trust", "Trust in local police (points on a 0-100 scale)",
        {g: diff_ci(tr[g], tr0[g], paired, bounds=SHARE_DIFF) for g in groups if g in tr},
        {g: float(np.nanmean(tr0[g])) for g in groups if g in tr0}, ""))
    out.append(count_finding("crime", "Crimes (all victimisations)",
                             diff_ci(crime(run, days, city), crime(ref, days, city), paired)))
    return out


# --- the page ---------------------------------------------------------------------------------

CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
margin:0 auto;max-width:1100px;padding:1em;color:#1a1a1a;line-height:1.4;font-size:16px}
h1{font-size:1.45em;margin:.2em 0} h2{font-size:1.05em;margin:.1em 0 .3em}
.lead{margin:.3em 0 .8em} .muted{color:#555;font-size:.9em}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:.7em}
.card{border:1px solid #bbb;border-radius:6px;padding:.5em .7em;break-inside:avoid}
.card ul{margin:.2em 0;padding-left:1.1em} .card li{margin:.15em 0}
.unclear{color:#555}
.box{border:2px solid #8F8000;background:#fffbe6;border-radius:6px;padding:.5em .8em;margin:.8em 0}
.box ul{margin:.2em 0;padding-left:1.1em}
@media (max-width:500px){body{font-size:15px;padding:.6em}.cards{grid-template-columns:1fr}}
@media print{@page{size:A4;margin:11mm}
body{font-size:8.6pt;max-width:none;padding:0;line-height:1.3}
.cards{grid-template-columns:1fr 1fr;gap:2.5mm}.card{padding:1.5mm 2.5mm}
h1{font-size:13pt}.box{padding:1.5mm 3mm;margin:2mm 0}a{color:inherit;text-decoration:none}}
"""


def _li(f: Finding) -> str:
    cls = "clear" if f.clear else "unclear"
    return (f'<li class="{cls}" data-measure="{escape(f.measure)}"><strong>{escape(f.label)}:'
            f'</strong> {escape(f.text)}</li>')


def drivers_li(ctx, run, dec) -> str:
    """One line: which way of learning carries most of the change in the focal group's
    reporting (scripts/decompose), linked to its chart; said only when the change is clear."""
    from .charts.decomposition import (after_words, focal, full_size_change, most_words,
                                       top_part)
    who, after = group_label(focal(dec)), after_words(dec)
    if excludes_zero(full_size_change(run, ctx.reference, dec)):
        top, share = top_part(dec)
        total = dec.effect[-1, dec.groups.index(focal(dec)), 0]
        text = (f"for {who}{after}, {dec.words[top]} carries {most_words(share, total)} "
                f"({_pts(share)} of {_pts(total)} points in a smaller simulated city)")
    else:
        text = f"no clear change in {who}' reporting{after} to explain"
    return (f'<li data-measure="drivers"><strong>What drives the change in reporting:</strong>'
            f' {escape(text)} (<a href="index.html#decomposition_{escape(ctx.slug(run))}">'
            f'chart</a>)</li>')


def render_brief(ctx, city: int = DEFAULT_CITY, generated: str = "") -> tuple:
    """(html, {scenario label: [Finding]}) for every run against ctx.reference."""
    ref, days = ctx.reference, ctx.common_days
    ref_label = ctx.label(ref)
    status_quo = (" (today's status quo in most US counties)"
                  if ref.name == "baseline" else "")
    cards, findings = [], {}
    for run in ctx.runs:
        if run is ref:
            continue
        paired = run.seed == ref.seed and run.replicates == ref.replicates
        fs = scenario_findings(run, ref, days, city, paired)
        findings[ctx.label(run)] = fs
        changes = [c for c in run.policy_changes() if 0 < c.day < days]
        when = ("" if not changes else
                " Its policy changes on day " + ", ".join(str(c.day) for c in changes)
                + f"; the numbers average days 0-{days - 1}, before and after.")
        dec = ctx.decompositions.get(run.name)
        drivers = drivers_li(ctx, run, dec) if dec is not None else ""
        cards.append(
            f'<section class="card" data-scenario="{escape(ctx.label(run))}">'
            f'<h2>{escape(description(run) or ctx.label(run))}</h2>'
            f'<p class="muted">Scenario <code>{escape(ctx.label(run))}</code>.{escape(when)}'
            f'</p><ul>{"".join(_li(f) for f in fs)}{drivers}</ul></section>')
    longer = [ctx.label(r) for r in ctx.runs if r.days > days]
    window = (f" Runs of different lengths are compared on their common first {days} days "
              f"(the later days of {', '.join(longer)} are left out)." if longer else "")
    reps = sorted({r.replicates for r in ctx.runs})
    residents = sorted({_residents(r) for r in ctx.runs})
    caveats = "".join(f"<li>{escape(c)}</li>" for c in CAVEATS)
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Policy brief: police cooperation with immigration enforcement</title>
<style>{CSS}</style></head><body>
<header><h1>What changes when local police take part in immigration enforcement</h1>
<p class="lead">Each policy below is compared with <strong>{escape(ref_label)}</strong>{
        escape(status_quo)}: {escape(description(ref) or ref_label)}. Numbers are per year
for a city of <strong>{city:,}</strong> residents, with 95% intervals; an effect whose
interval includes zero is marked <em>unclear</em>: the simulation cannot tell whether the
policy raises or lowers it, and it is not ranked. A + means more than under {escape(ref_label)};
points are percentage points ("from 20" is the level under {escape(ref_label)}).{escape(window)}</p>
</header>
<div class="cards">{"".join(cards) or "<p>Only one scenario was given: nothing to compare.</p>"}</div>
<section class="box"><h2>Before you use these numbers</h2><ul>{caveats}</ul></section>
<p class="muted"><strong>Where the numbers come from.</strong> {escape(SOURCES)}
Simulated cities of {", ".join(f"{n:,}" for n in residents)} residents, {
        ", ".join(map(str, reps))} replicates each, days 0-{days - 1}; scaled to {city:,}
residents. Full charts and data: <a href="index.html">index.html</a>. {escape(generated)}</p>
</body></html>
"""
    return html, findings


def _residents(run) -> int:
    pop = run.resident_days().values[:, 0]
    return int(round(float(np.mean(pop))))


def write_brief(ctx, city: int = DEFAULT_CITY, generated: str = ""):
    html, findings = render_brief(ctx, city, generated)
    path = ctx.outdir / "brief.html"
    path.write_text(html, encoding="utf-8")
    return path, findings
