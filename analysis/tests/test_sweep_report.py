"""The sweep report on merged sweeps made by the real engine (a 2x2 grid, a Sobol
design, and the grid merged with one run missing): it builds, every quoted number
matches the HDF5 file (recomputed here with h5py and numpy only), the images load,
and files of another format or version are refused with a clear message."""
import csv
import re
import shutil

import h5py
import numpy as np
import pytest
from matplotlib import image

from analysis.charts.base import slug
from analysis.charts.sweep import Scale
from analysis.reader import FormatError, open_file, open_run, open_sweep
from analysis.report import main as report_main
from analysis.tests.rawdata import RawSweep

REL = 1e-9


@pytest.fixture(scope="module")
def raw(real_sweeps):
    return {name: RawSweep(path) for name, path in real_sweeps.items()}


def charts_of(report):
    return {c.id: c for c in report.charts}


# --- reader -------------------------------------------------------------------------------

def test_reader_labels_the_merged_sweep(real_sweeps, raw):
    sw, rs = open_sweep(real_sweeps["grid"]), raw["grid"]
    assert (sw.design, sw.replicates, sw.points) == ("grid", 2, 4)
    assert sw.parameters == ["policy.joint_operations_per_100k_month", "policy.profiling_multiplier"]
    assert sw.scenarios == ["sanctuary", "287g_task_force"]
    assert sw.analysed_outputs() == ["reporting_rate", "reporting_rate.undocumented",
                                     "detentions"]
    out = sw.output("reporting_rate")
    assert out.dims == ("point", "replicate", "scenario") and out.values.shape == (4, 2, 2)
    assert out.units == "share"
    for p in range(4):
        for r in range(2):
            for s in range(2):
                assert out.values[p, r, s] == pytest.approx(
                    rs.out("reporting_rate", p, r, s), nan_ok=True)
    assert sw.parameter_units("policy.joint_operations_per_100k_month") == "operation per 100,000 per month"
    assert sw.counts == {"ok": 16, "failed": 0, "missing": 0}
    assert sw.point_text(3, "policy.profiling_multiplier") == "3"
    series = sw.summary_series("reports")
    assert series.dims == ("run", "period", "group", "crime_type")
    assert isinstance(open_file(real_sweeps["sobol"]).sensitivity("total_order").values,
                      np.ndarray)
    with pytest.raises(KeyError, match="only Sobol designs"):
        sw.sensitivity("first_order")


def _edited(src, tmp_path, name, **attrs):
    path = tmp_path / name
    shutil.copy(src, path)
    with h5py.File(path, "a") as f:
        for k, v in attrs.items():
            f.attrs[k] = v
    return path


@pytest.mark.parametrize("attrs, message", [
    ({"format_version": "2.0"}, "format_version 2.0 is not supported: this reader understands "
                                "trustsim-sweep 1.x only"),
    ({"format_version": "1"}, "is not 'MAJOR.MINOR'"),
    ({"format": "trustsim-other"}, "format is 'trustsim-other', expected 'trustsim-sweep'"),
    ({"complete": 0}, "the merge is incomplete"),
    ({"runs_ok": 3}, "disagree with /runs/status"),
])
def test_sweep_files_it_does_not_understand_are_refused(real_sweeps, tmp_path, attrs, message):
    path = _edited(real_sweeps["grid"], tmp_path, "odd.h5", **attrs)
    with pytest.raises(FormatError) as e:
        open_sweep(path)
    assert message in str(e.value) and "odd.h5" in str(e.value)


def test_newer_minor_version_is_read(real_sweeps, tmp_path):
    path = _edited(real_sweeps["grid"], tmp_path, "minor.h5", format_version="1.9")
    assert open_sweep(path).points == 4


def test_run_reader_points_at_the_sweep_reader(real_sweeps):
    with pytest.raises(FormatError, match="It is a merged sweep: open it with open_sweep"):
        open_run(real_sweeps["grid"])


def test_report_command_refuses_a_newer_sweep_version(real_sweeps, tmp_path, capsys):
    bad = _edited(real_sweeps["grid"], tmp_path, "v2.h5", format_version="2.0")
    out = tmp_path / "report"
    assert report_main([str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "v2.h5" in err and "format_version 2.0 is not supported" in err
    assert not (out / "index.html").exists()


def test_report_command_wants_a_sweep_alone(real_sweeps, tmp_path, capsys):
    out = tmp_path / "report"
    args = [str(real_sweeps["grid"]), str(real_sweeps["sobol"]), "-o", str(out)]
    assert report_main(args) == 2
    assert "one sweep per report" in capsys.readouterr().err
    assert not (out / "index.html").exists()


# --- every chart: files and words ----------------------------------------------------------

@pytest.mark.parametrize("name", ["grid", "sobol", "grid_missing"])
def test_every_chart_has_its_files_and_words(sweep_reports, raw, name):
    report, rs = sweep_reports[name], raw[name]
    charts = charts_of(report)
    expected = {"sweep_runs", "sweep_by_parameter"}
    outputs = report.context.sweep.analysed_outputs()
    if name.startswith("grid"):
        expected |= {f"sweep_heatmap_{slug(o)}" for o in outputs}
    else:
        expected |= {f"sweep_sobol_{slug(o)}" for o in rs.sens["output"]}
    assert set(charts) == expected
    out = report.context.outdir
    for c in charts.values():
        img = image.imread(out / c.png)
        assert img.shape[0] > 200 and img.std() > 0.05, c.id
        assert (out / c.svg).read_text().lstrip().startswith("<?xml"), c.id
        with open(out / c.csv, newline="") as fh:
            rows = list(csv.reader(fh))
        assert len(rows) > 1, c.id
        for text in (c.title, c.alt, c.summary):
            assert text and "nan" not in text.lower(), (c.id, text)
        sentences = re.split(r"(?<=[.)])\s+(?=[A-Z0-9])", c.summary.strip())
        assert 2 <= len(sentences) <= 3, (c.id, c.summary)
        assert any(ch.isdigit() for ch in c.title + c.summary)
        assert len(c.alt) > 40


def test_report_names_sweep_file_seeds_and_versions(sweep_reports, raw):
    for name, report in sweep_reports.items():
        html = report.index.read_text()
        a = raw[name].attrs
        for key in ("software_version", "git_revision", "sweep_hash", "sweep_name"):
            assert str(a[key]) in html, key
        assert f"<td>{a['seed']}</td>" in html
        assert report.context.sweep.path.name in html
        assert f"{name.split('_')[0]}.yaml" in html  # the sweep file as run
        with open(report.context.outdir / "sweep_runs.csv", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert [int(r["seed"]) for r in rows] == [int(s) for s in raw[name].runs["seed"]]


# --- numbers against the file ---------------------------------------------------------------

def test_runs_summary(sweep_reports, raw):
    for name, report in sweep_reports.items():
        c, rs = charts_of(report)["sweep_runs"], raw[name]
        st = rs.runs["status"]
        counts = {k: int(np.sum(st == i)) for i, k in enumerate(("ok", "failed", "missing"))}
        for k, v in counts.items():
            assert c.facts[f"runs_{k}"] == v == int(rs.attrs[f"runs_{k}"])
        assert f"{counts['ok']} of {len(st)} runs finished" in c.summary
        wall = rs.runs["wall_seconds"][st == 0]
        assert c.facts["median_wall"] == pytest.approx(np.median(wall), rel=REL)
    c = charts_of(sweep_reports["grid_missing"])["sweep_runs"]
    assert c.facts["runs_missing"] == 1 and "1 missing" in c.summary
    header, rows = c.table
    assert len(rows) == 1 and rows[0][5] == "missing"
    assert "missing" in c.title


def _cell(rs, name, px, py, x, y, s, diff=False):
    pts = rs.points_at({px: x, py: y})
    v = rs.per_replicate(name, s, pts)
    if diff:
        v = v - rs.per_replicate(name, 0, pts)
    return np.nanmean(v)


@pytest.mark.parametrize("name", ["grid", "grid_missing"])
def test_heatmap_summaries(sweep_reports, raw, name):
    rs = raw[name]
    px, py = rs.params
    xs, ys = np.unique(rs.design[:, 0]), np.unique(rs.design[:, 1])
    for out in sweep_reports[name].context.sweep.analysed_outputs():
        c = charts_of(sweep_reports[name])[f"sweep_heatmap_{slug(out)}"]
        f = c.facts
        sc = Scale(sweep_reports[name].context.sweep.output_units(out))
        base = {(x, y): _cell(rs, out, px, py, x, y, 0) for x in xs for y in ys}
        finite = {k: v for k, v in base.items() if np.isfinite(v)}
        assert f["low"] == pytest.approx(min(finite.values()), rel=REL)
        assert f["high"] == pytest.approx(max(finite.values()), rel=REL)
        assert base[tuple(f["low_at"])] == pytest.approx(f["low"], rel=REL)
        assert sc.level(f["low"]) in c.summary and sc.level(f["high"]) in c.summary
        # differences: scenario 1 minus scenario 0, paired by replicate within a point
        diffs = {}
        for x in xs:
            for y in ys:
                pts = rs.points_at({px: x, py: y})
                d = rs.per_replicate(out, 1, pts) - rs.per_replicate(out, 0, pts)
                diffs[x, y] = np.nanmean(d) if np.isfinite(d).any() else np.nan
        fin = {k: abs(v) for k, v in diffs.items() if np.isfinite(v)}
        assert abs(f["diff"]) == pytest.approx(max(fin.values()), rel=1e-9, abs=1e-15)
        assert f["diff"] == pytest.approx(diffs[tuple(f["diff_at"])], rel=REL, abs=1e-15)
        assert sc.diff(f["diff"]) in c.summary
        with open(sweep_reports[name].context.outdir / c.csv, newline="") as fh:
            rows = list(csv.DictReader(fh))
        for r in rows:
            if r["layer"] == rs.scenarios[0] and r["mean"]:
                want = base[float(r["x_value"]), float(r["y_value"])] * sc.rescale
                assert float(r["mean"]) == pytest.approx(want, rel=REL)
                assert r["units"] == sc.units and "per 1,000" not in r["units"]


def test_sobol_summaries(sweep_reports, raw):
    rs = raw["sobol"]
    for o, out in enumerate(rs.sens["output"]):
        c = charts_of(sweep_reports["sobol"])[f"sweep_sobol_{slug(out)}"]
        for s, scen in enumerate(rs.scenarios):
            st = rs.sens["total_order"][s, o]
            top = c.facts["top"][scen]
            if not np.isfinite(st).any():
                assert top is None and f"under {scen} the indices are undefined" in c.summary
                continue
            k = int(np.nanargmax(st))
            assert top[0] == rs.params[k]
            assert top[1] == pytest.approx(st[k], rel=REL)
            assert top[2] == pytest.approx(rs.sens["first_order"][s, o, k], rel=REL)
            lo, hi = rs.sens["total_order_low"][s, o, k], rs.sens["total_order_high"][s, o, k]
            assert f"{st[k]:,.2f} (95% CI {lo:,.2f} to {hi:,.2f})" in c.summary
        assert f"{int(rs.attrs['samples'])} base samples" in c.summary + c.title
        with open(sweep_reports["sobol"].context.outdir / c.csv, newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == rs.S * rs.K * 2


def test_by_parameter_scatter_summary(sweep_reports, raw):
    rs = raw["sobol"]
    c = charts_of(sweep_reports["sobol"])["sweep_by_parameter"]
    f = c.facts
    out = f["output"]
    best = None
    for p_i, p in enumerate(rs.params):
        for s, scen in enumerate(rs.scenarios):
            y = np.array([np.nanmean([rs.out(out, q, r, s) for r in range(rs.R)])
                          for q in range(rs.P)])
            x = rs.design[:, p_i]
            ok = np.isfinite(y)
            r = np.corrcoef(x[ok], y[ok])[0, 1]
            if best is None or abs(r) > abs(best[0]):
                best = (r, p, scen, int(ok.sum()))
    assert (f["parameter"], f["scenario"], f["n"]) == best[1:]
    assert f["r"] == pytest.approx(best[0], rel=1e-9)
    assert f"r = {best[0]:+.2f}" in c.summary
    z, half = np.arctanh(best[0]), 1.959964 / np.sqrt(best[3] - 3)
    assert f["r_low"] == pytest.approx(np.tanh(z - half), rel=1e-6)


def test_by_parameter_lines_summary(sweep_reports, raw):
    rs = raw["grid"]
    c = charts_of(sweep_reports["grid"])["sweep_by_parameter"]
    f = c.facts
    p_i, s = rs.params.index(f["parameter"]), rs.scenarios.index(f["scenario"])
    xs = np.unique(rs.design[:, p_i])
    first = np.nanmean(rs.per_replicate(f["output"], s, rs.points_at({f["parameter"]: xs[0]})))
    last = np.nanmean(rs.per_replicate(f["output"], s, rs.points_at({f["parameter"]: xs[-1]})))
    assert f["first"] == pytest.approx(first, rel=REL)
    assert f["last"] == pytest.approx(last, rel=REL)
    sc = Scale(sweep_reports["grid"].context.sweep.output_units(f["output"]))
    assert sc.level(first) in c.summary and sc.level(last) in c.summary


# --- words ---------------------------------------------------------------------------------

def test_output_labels_and_scales():
    from analysis.charts.sweep import output_label
    assert output_label("reporting_rate.undocumented") == \
        "reporting rate of undocumented residents"
    assert output_label("reporting_rate.lawful_noncitizen.violent") == \
        "reporting rate of lawful non-citizens, violent crime"
    assert output_label("detentions.no_record_share") == "share of detainees with no record"
    assert Scale("share").level(0.3125) == "31.2%" and Scale("share").diff(-0.02) == \
        "-2.0 points"
    assert Scale("0-1").diff(0.0123) == "+0.012" and Scale("cases").level(55) == "55.0"
    assert Scale("share").bounds(False) == (0.0, 1.0)
    assert Scale("persons per 1,000 residents per year").bounds(True) is None
    per_k = Scale("persons per 1,000 residents per year")  # shown per 10,000, as elsewhere
    assert per_k.units == "persons per 10,000 residents per year"
    assert per_k.level(1.25) == "12.50" and per_k.diff(-0.5) == "-5.00"


def test_units_and_analysed_outputs_come_from_the_merged_file(real_sweeps):
    sw = open_sweep(real_sweeps["grid"])
    with h5py.File(real_sweeps["grid"]) as f:
        units = [u.decode() for u in f["axes/parameter_units"][()]]
        analysed = [o.decode() for o in f["axes/analysed_output"][()]]
    assert [sw.parameter_units(p) for p in sw.parameters] == units
    assert units[0] == "operation per 100,000 per month"
    assert sw.analysed_outputs() == analysed


def test_outputs_table_has_one_row_per_run_with_its_parameters(real_sweeps, raw):
    sw, rs = open_sweep(real_sweeps["grid_missing"]), raw["grid_missing"]
    df = sw.outputs()
    assert len(df) == int(sw.attrs["runs"]) == 16
    assert list(df.columns[:7]) == ["point", "scenario", "replicate", "seed", "status", "error",
                                    "wall_seconds"]
    assert set(sw.parameters + sw.output_names) <= set(df.columns)
    assert (df["status"] == "missing").sum() == 1
    assert df.loc[df["status"] == "missing", "reporting_rate"].isna().all()
    row = df.iloc[5]
    assert row["scenario"] == sw.scenarios[5 % 2] and row["replicate"] == (5 // 2) % 2
    assert row["policy.profiling_multiplier"] == sw.parameter_values(
        "policy.profiling_multiplier")[row["point"]]
    assert row["reporting_rate"] == pytest.approx(rs.out("reporting_rate", row["point"],
                                                         row["replicate"], 1), nan_ok=True)
    assert df.attrs["units"]["reporting_rate"] == "share"
