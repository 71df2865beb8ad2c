"""Every number a chart summary quotes is checked against the HDF5 file,
recomputed here with h5py and numpy only (real engine output)."""
import csv
import re

import numpy as np
import pytest
from matplotlib import image

from analysis.charts.base import slug
from analysis.tests.rawdata import Raw, mean
from analysis.stats import mean_ci
from analysis.text import excludes_zero, num, pct, pts

REL = 1e-9


@pytest.fixture(scope="module")
def charts(real_report):
    return {c.id: c for c in real_report.charts}


@pytest.fixture(scope="module")
def runs(real_report):
    """display label -> Raw data of that run's file."""
    ctx = real_report.context
    return {ctx.label(r): Raw(r.path) for r in ctx.runs}


def test_every_chart_has_its_files_and_words(real_report, charts):
    out = real_report.context.outdir
    expected = {"comparison", "detentions", "clearance_crime", "court", "officer_hours"}
    for label in map(real_report.context.label, real_report.context.runs):
        expected |= {f"reporting_{slug(label)}", f"trust_fear_{slug(label)}",
                     f"maps_{slug(label)}"}
    assert expected <= set(charts)
    assert any(cid.startswith("switch_") for cid in charts)
    for c in charts.values():
        img = image.imread(out / c.png)
        assert img.shape[0] > 200 and img.std() > 0.05, c.id
        assert (out / c.svg).read_text().lstrip().startswith("<?xml"), c.id
        with open(out / c.csv, newline="") as fh:
            rows = list(csv.reader(fh))
        assert len(rows) > 1 and "ci_low" in rows[0], c.id
        for text in (c.title, c.alt, c.summary):
            assert text and "nan" not in text.lower(), (c.id, text)
        sentences = re.split(r"(?<=[.)])\s+(?=[A-Z0-9])", c.summary.strip())
        assert 2 <= len(sentences) <= 3, (c.id, c.summary)
        assert any(ch.isdigit() for ch in c.title + c.summary)


def test_reporting_summaries(charts, runs):
    for label, raw in runs.items():
        c = charts[f"reporting_{slug(label)}"]
        f = c.facts
        assert (f["ref_group"], f["focal_group"]) == ("citizen_non_immigrant", "undocumented")
        focal, ref = raw.pooled_rate("undocumented"), raw.pooled_rate("citizen_non_immigrant")
        assert f["rate_all"] == pytest.approx(mean(raw.pooled_rate()), rel=REL)
        assert f["rate_focal"] == pytest.approx(mean(focal), rel=REL, nan_ok=True)
        assert f["rate_ref"] == pytest.approx(mean(ref), rel=REL)
        gap = mean(focal - ref)
        assert f["gap"] == pytest.approx(gap, rel=REL)
        assert pct(mean(raw.pooled_rate())) in c.summary
        assert pts(gap) in c.summary
        gap_ci = mean_ci(focal - ref)
        if excludes_zero(gap_ci):  # an effect is stated only with an interval clear of zero
            assert f"{abs(100 * gap):.1f} points" in c.title and "95% CI" in c.title
        elif not np.isnan(gap):
            assert "no clear gap" in c.title


def test_switch_summary(charts, runs):
    (c,) = [c for cid, c in charts.items() if cid.startswith("switch_")]
    raw = next(r for r in runs.values() if len(r.axes["policy_change_day"]))
    s = int(raw.axes["policy_change_day"][0])
    end = next((int(d) for d in raw.axes["policy_change_day"][1:] if d > s), raw.D)
    w = min(30, s, end - s)
    assert c.facts["before"] == (s - w, s) and c.facts["after"] == (end - w, end)
    g = None if c.facts["group"] == "all" else c.facts["group"]
    before = raw.pooled_rate(g, s - w, s)
    after = raw.pooled_rate(g, end - w, end)
    assert c.facts["change"] == pytest.approx(mean(after - before), rel=REL)
    assert c.facts["change_all"] == pytest.approx(
        mean(raw.pooled_rate(None, end - w, end) - raw.pooled_rate(None, s - w, s)), rel=REL)
    t = raw.weighted("trust_mean", g)  # g None: all residents (overlay excluded)
    trust = t[:, end - w:end].mean(axis=1) - t[:, s - w:s].mean(axis=1)
    assert c.facts["trust_change"] == pytest.approx(mean(trust), rel=1e-6)
    assert f"day {s}" in c.title and pct(mean(before)) in c.summary


def common(runs):
    """Runs of different lengths are compared on their common days [0, this)."""
    return min(r.D for r in runs.values())


def test_detention_summary(charts, runs):
    f = charts["detentions"].facts
    d1 = common(runs)
    rates = {lab: mean(r.detention_rate(d1)) for lab, r in runs.items()}
    top = max(rates, key=rates.get)
    assert f["top"] == top and f["rate"] == pytest.approx(rates[top], rel=REL)
    none, nonviolent = runs[top].record_shares(d1)
    assert f["share_none"] == pytest.approx(mean(none), rel=REL)
    assert f["share_nonviolent"] == pytest.approx(mean(nonviolent), rel=REL)
    assert num(rates[top]) in charts["detentions"].summary


def test_trust_summaries(charts, runs):
    for label, raw in runs.items():
        f = charts[f"trust_fear_{slug(label)}"].facts
        t = raw.weighted("trust_mean", f["group"])
        assert f["trust_start"] == pytest.approx(mean(t[:, 0]), rel=1e-6)
        assert f["trust_end"] == pytest.approx(mean(t[:, -1]), rel=1e-6)
        changes = {g: raw.weighted("trust_mean", g)[:, -1] - raw.weighted("trust_mean", g)[:, 0]
                   for g in raw.groups if g != "mixed_status"}
        clear = {g: abs(mean(c)) for g, c in changes.items() if excludes_zero(mean_ci(c))}
        pool = clear or {g: abs(mean(c)) for g, c in changes.items()}
        assert abs(f["trust_change"]) == pytest.approx(max(pool.values()), rel=1e-6)
        title = charts[f"trust_fear_{slug(label)}"].title
        assert ("no clear change" in title) == (not clear)
        if clear:
            assert "95% CI" in title
        fear = raw.weighted("fear_mean", f["group"])[:, -1]
        assert f["fear_end"] == pytest.approx(mean(fear), rel=1e-6)
        assert f"{mean(fear):.3f}" in charts[f"trust_fear_{slug(label)}"].summary


def test_clearance_summary(charts, runs):
    f = charts["clearance_crime"].facts
    d1 = common(runs)
    clear = {lab: mean(r.clearance(0, d1)) for lab, r in runs.items()}
    assert clear[f["low"]] == min(clear.values()) and clear[f["high"]] == max(clear.values())
    assert f["clear_low"] == pytest.approx(clear[f["low"]], rel=REL)
    assert f["crime_low"] == pytest.approx(mean(runs[f["low"]].crime_rate(d1)), rel=REL)
    assert pct(clear[f["high"]]) in charts["clearance_crime"].summary


def test_court_summary(charts, runs):
    f = charts["court"].facts
    d1 = common(runs)  # runs of different lengths: the backlog on the last common day
    # The chart shows the detained docket (index 0 of /axes/docket), whose cases are decided in a run.
    final = {lab: mean(r.series["court_backlog"][:, d1 - 1, 0]) for lab, r in runs.items()}
    assert f["top"] == max(final, key=final.get)
    assert f["backlog_top"] == pytest.approx(final[f["top"]], rel=REL)
    wait = runs[f["top"]].series["court_mean_wait_days"][:, :d1, 0]
    per_rep = [mean(w) for w in wait]  # mean over days with hearings, per replicate
    assert f["wait_top"] == pytest.approx(mean(per_rep), rel=REL, nan_ok=True)


def test_officer_summary(charts, runs):
    f = charts["officer_hours"].facts
    shares = {}
    for lab, r in runs.items():
        h = r.series["officer_hours"].sum(axis=(1, 2))  # [R, task]
        shares[lab] = mean(h[:, -1] / h.sum(axis=1))
    assert f["share_top"] == pytest.approx(max(shares.values()), rel=REL)
    assert pct(f["share_top"]) in charts["officer_hours"].summary


def test_map_summaries(charts, runs):
    for label, raw in runs.items():
        f = charts[f"maps_{slug(label)}"].facts
        s = list(raw.snap["day"]).index(f["day"])
        trust = np.nanmean(raw.snap["trust_mean"][:, s], axis=0)
        assert f["trust_min"] == pytest.approx(np.nanmin(trust), rel=REL)
        assert f["trust_max"] == pytest.approx(np.nanmax(trust), rel=REL)
        share = raw.nb["immigrant_origin_share"]
        r = [np.corrcoef(v, share)[0, 1] for v in raw.snap["trust_mean"][:, s]]
        assert f["r_trust"] == pytest.approx(mean(r), rel=1e-6, nan_ok=True)


def test_comparison_summary(real_report, charts, runs):
    f = charts["comparison"].facts
    ref, star = runs[f["reference"]], runs[f["scenario"]]
    assert f["reference"] == real_report.context.label(real_report.context.reference)
    group = "undocumented" if f["metric"] == "reporting_undocumented" else None
    d1 = common(runs)  # the shipped runs differ in length: compared on common days
    assert f["d_reporting"] == pytest.approx(
        mean(star.pooled_rate(group, 0, d1)) - mean(ref.pooled_rate(group, 0, d1)), rel=1e-6)
    assert f["d_detentions"] == pytest.approx(
        mean(star.detention_rate(d1)) - mean(ref.detention_rate(d1)), rel=1e-6)
    assert f["d_crime"] == pytest.approx(
        mean(star.crime_rate(d1)) - mean(ref.crime_rate(d1)), rel=1e-6)
    assert pts(f["d_reporting"]) in charts["comparison"].summary
    if any(r.D > d1 for r in runs.values()):
        assert f"common days 0-{d1 - 1}" in charts["comparison"].summary


def test_comparison_csv_units_match_values(real_report):
    """Shares are written in % and percentage points, as the unit columns say."""
    with open(real_report.context.outdir / "comparison.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    shares = [r for r in rows if r["metric"].startswith("reporting")]
    assert shares and all(r["unit_of_means"] == "%" and
                          r["unit_of_difference"] == "percentage points" for r in shares)
    assert all(1.0 < float(r["reference_mean"]) <= 100.0 for r in shares)
    crime = [r for r in rows if r["metric"] == "crime"]
    assert all("per 10,000" in r["unit_of_difference"] for r in crime)


def test_palette_contrast_on_white():
    """Every colour a chart draws lines, points or bars with has at least 3:1 on white."""
    from analysis.charts import base, sweep
    colours = set(base.PALETTE.values()) | set(base.CYCLE) | set(base.GROUP_COLOURS.values())
    colours |= set(sweep.STATUS_COLOURS.values())
    low = {c: round(base.contrast_on_white(c), 2) for c in colours
           if base.contrast_on_white(c) < base.MIN_CONTRAST}
    assert low == {}
    assert base.contrast_on_white("#F0E442") < 3  # the old yellow: the check can fail
    assert base.contrast_on_white("#000000") == pytest.approx(21.0)


def test_report_names_files_seeds_and_versions(real_report, runs):
    html = real_report.index.read_text()
    for r in real_report.context.runs:
        raw = runs[real_report.context.label(r)]
        for key in ("software_version", "scenario_file", "git_revision"):
            assert str(raw.attrs[key]) in html
        assert f"<td>{raw.attrs['seed']}</td>" in html
        assert r.path.name in html


def test_detention_change_reads_as_a_reader_would_say_it():
    from analysis.charts.comparison import detention_change
    assert detention_change(10.0, 5.0) == "detentions by +50%"
    assert detention_change(10.0, -4.0) == "detentions by -40%"
    assert detention_change(3.7, 37.0) == "detentions 11-fold"    # not "+1000%"
    assert detention_change(10.0, 19.9) == "detentions by +199%"  # under threefold: a percentage
    assert detention_change(0.0, 2.5) == "detentions by 2.5 per 10,000 residents per year"
