"""The one-page brief (brief.html beside the report): plain words, numbers that match the
files, honest 'unclear' for intervals that include zero, caveats; and files with groups or
axes the engine may add later (read by label, never by position)."""
import re
import shutil

import h5py
import numpy as np
import pytest

from analysis.brief import CAVEATS, description, people, round_sig
from analysis.stats import diff_ci
from analysis.tests.rawdata import Raw
from analysis.text import excludes_zero


@pytest.fixture(scope="module")
def brief(real_report):
    return (real_report.context.outdir / "brief.html").read_text(encoding="utf-8")


def test_brief_has_every_scenario_in_plain_words(real_report, brief):
    ctx = real_report.context
    assert 'href="brief.html"' in real_report.index.read_text(encoding="utf-8")
    for run in ctx.runs:
        words = description(run)
        assert words, f"{run.name} has no description"
        if run is ctx.reference:
            assert "today&#x27;s status quo" in brief and words in brief.replace("&#x27;", "'")
        else:
            assert f'data-scenario="{ctx.label(run)}"' in brief
            assert words in brief.replace("&#x27;", "'")
    assert "Before you use these numbers" in brief
    for caveat in CAVEATS:
        assert caveat.replace("'", "&#x27;") in brief
    assert not re.search(r"\bnan\b", brief, re.I)
    assert "1,000,000" in brief  # the default city size
    assert not re.search(r"https?://|<script", brief)  # offline, no code


def _cards(brief):
    return dict(re.findall(r'data-scenario="([^"]+)"(.*?)</section>', brief, re.S))


def test_brief_numbers_match_the_files(real_report, brief, real_runs):
    """Unreported violent crime per year in a city of 1,000,000, recomputed with h5py."""
    ctx = real_report.context
    raw = {ctx.label(r): Raw(r.path) for r in ctx.runs}
    ref = raw[ctx.label(ctx.reference)]
    d1 = min(r.D for r in raw.values())
    cards = _cards(brief)

    def unreported(r):
        k = [x.decode() if isinstance(x, bytes) else x for x in r.axes["crime_type"]].index(
            "violent")
        v = r.series["victimisations"][:, :d1, :, r.base, k].sum(axis=(1, 2, 3))
        rep = r.series["reports"][:, :d1, :, r.base, k].sum(axis=(1, 2, 3))
        return (v - rep) / r.resident_days(d1) * 365 * 1e6

    for label, card in cards.items():
        d = diff_ci(unreported(raw[label]), unreported(ref), paired=True)
        line = re.search(r'data-measure="unreported_violent">(.*?)</li>', card, re.S).group(1)
        if excludes_zero(d):
            sign = "+" if d.mean > 0 else "-"
            assert f"{sign}{people(d.mean)} a year" in line, (label, line)
        else:
            assert "unclear" in line, (label, line)
    assert cards


def test_unclear_effects_are_said_to_be_unclear(real_report, brief):
    """Every interval in the brief that includes zero is labelled unclear."""
    for card in _cards(brief).values():
        for li in re.findall(r"<li[^>]*>(.*?)</li>", card, re.S):
            for m in re.finditer(r"(\S+) \(([-+]?[\d,.]+) to ([-+]?[\d,.]+)\)", li):
                lo, hi = (float(x.replace(",", "")) for x in m.group(2, 3))
                if lo < 0 < hi:
                    assert m.group(1) == "unclear", li


def test_round_sig():
    assert round_sig(12345) == 12000 and round_sig(0.01234) == 0.012
    assert people(-1449.0) == "1,400" and people(0) == "0"


def _add_future_axes(src, dst):
    """A copy of a real run file with what the engine is about to add: a group of citizens
    in mixed-status households (an overlay: they are also citizens) and a charge axis on
    detentions (the same totals split over four charges)."""
    shutil.copy(src, dst)
    with h5py.File(dst, "r+") as f:
        groups = [g.decode() if isinstance(g, bytes) else g for g in f["axes/group"][()]]
        del f["axes/group"]
        f["axes"].create_dataset("group", data=np.array(groups + ["citizen_mixed_status"],
                                                        dtype=object),
                                 dtype=h5py.string_dtype())
        charges = ["violent_felony", "other_felony", "misdemeanour", "traffic_other"]
        f["axes"].create_dataset("charge", data=np.array(charges, dtype=object),
                                 dtype=h5py.string_dtype())
        del f["series"]
    # /series with its dimension scales (format 2), rewritten through xarray.
    import xarray as xr
    with xr.open_dataset(src, engine="h5netcdf", group="series", decode_timedelta=False) as ds:
        ds = ds.load()
    out = {}
    for name, da in ds.data_vars.items():
        attrs, data = dict(da.attrs), da
        if "group" in da.dims:
            extra = da.sel(group=["citizen_immigrant_origin"])
            extra = extra // 3 if da.dtype.kind in "iu" else extra
            data = xr.concat([da, extra.assign_coords(group=["citizen_mixed_status"])], "group")
        if name == "detentions":
            split = xr.zeros_like(data).expand_dims(charge=charges, axis=data.ndim).copy()
            split[..., 0] = data // 2
            split[..., 2] = data - data // 2
            data = split
            attrs["dims"] = ",".join(data.dims)
        out[name] = data.assign_attrs(attrs)
    xr.Dataset(out).to_netcdf(dst, mode="a", group="series", engine="h5netcdf")


def test_new_groups_and_axes_do_not_break_the_report_or_the_brief(real_runs, tmp_path):
    from analysis.report import build_report
    paths = []
    for name in ("baseline", "287g_task_force"):
        dst = tmp_path / f"{name}.h5"
        _add_future_axes(real_runs[name], dst)
        paths.append(dst)
    rep = build_report(paths, tmp_path / "report")
    new = (tmp_path / "report" / "brief.html").read_text(encoding="utf-8")
    old = build_report([real_runs["baseline"], real_runs["287g_task_force"]],
                       tmp_path / "old")
    old_brief = (tmp_path / "old" / "brief.html").read_text(encoding="utf-8")
    # The overlay is left out of totals and the charge axis sums away: the same numbers.
    strip = lambda t: re.sub(r"Generated [^<]*", "", t)  # noqa: E731
    assert strip(new) == strip(old_brief)
    assert any("citizen_mixed_status" in open(tmp_path / "report" / c.csv).read()
               for c in rep.charts if c.id.startswith("reporting_"))
    assert len(rep.charts) == len(old.charts)
