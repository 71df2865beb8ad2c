"""scripts/report on odd but valid inputs and on bad options (issue 15, findings 10 and 14):
tiny and 1-day runs, a Latin-1 scenario name, names that slugify alike, an -o that is a
file, and --map-days / --window values that cannot apply. Real engine output."""
import re
import subprocess

import pytest

from analysis.tests.conftest import ENGINE, ROOT, SCENARIO_DIR

REPORT = ROOT / "scripts" / "report"


def _run(tmp_path, name, *sets, scenario_text=None):
    """A run of the baseline scenario (or the given scenario file text) with overrides."""
    if not ENGINE.exists():
        pytest.skip(f"{ENGINE} is not built")
    scenario = SCENARIO_DIR / "baseline.yaml"
    if scenario_text is not None:
        scenario = tmp_path / f"{name}.yaml"
        scenario.write_bytes(scenario_text)
    out = tmp_path / f"{name}.h5"
    cmd = [str(ENGINE), "run", str(scenario), "-q", "-o", str(out)]
    for s in sets:
        cmd += ["--set", s]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    return out


def _report(*args):
    return subprocess.run([str(REPORT), *map(str, args)], capture_output=True, text=True,
                          timeout=600)


@pytest.mark.parametrize("sets", [
    ("population.residents=100", "population.neighbourhoods=1", "simulation.days=30"),
    ("population.residents=2000", "simulation.days=1"),
    ("population.residents=100", "population.neighbourhoods=1", "simulation.days=1"),
], ids=["100_residents_1_neighbourhood", "1_day", "100_residents_1_day"])
def test_tiny_runs_make_a_report(tmp_path, sets):
    run = _run(tmp_path, "tiny", *sets)
    res = _report(run, "-o", tmp_path / "r")
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    html = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"\bnan\b", html, re.I)
    assert "clearance" in html.lower()


def test_latin1_scenario_name(tmp_path):
    run = _run(tmp_path, "latin1", "population.residents=2000", "simulation.days=30",
               scenario_text=b"name: caf\xe9\npolicy: baseline\n")
    res = _report(run, "-o", tmp_path / "r")
    assert res.returncode == 0, res.stderr
    html = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")  # valid UTF-8
    assert "café" in html


def test_names_that_slugify_alike_get_their_own_charts(tmp_path):
    a = _run(tmp_path, "a", "population.residents=2000", "simulation.days=30",
             scenario_text=b"name: caf!\npolicy: baseline\n")
    b = _run(tmp_path, "b", "population.residents=2000", "simulation.days=30",
             scenario_text=b"name: caf?\npolicy: 287g_task_force\n")
    from analysis.report import build_report
    rep = build_report([a, b], tmp_path / "r")
    ctx = rep.context
    pngs = {}
    for c in rep.charts:
        if c.id.startswith("reporting_"):
            pngs[c.title.split(",")[0]] = c.png
    assert set(pngs) == {"In caf!", "In caf?"}
    assert len(set(pngs.values())) == 2
    assert ctx.slug(ctx.runs[0]) != ctx.slug(ctx.runs[1])
    assert len({c.png for c in rep.charts}) == len(rep.charts)  # no file written twice


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("small"), "small", "population.residents=2000",
                "simulation.days=30")


@pytest.mark.parametrize("args, message", [
    (["--map-days", "abc"], "--map-days 'abc': 'abc' is not a day number"),
    (["--map-days", "0,-3"], "'-3' is not a day number"),
    (["--window", "-5"], "--window -5: must be a whole number of days from 1 to 30"),
    (["--window", "0"], "--window 0: must be"),
    (["--window", "100000"], "--window 100000: must be"),
])
def test_bad_options_are_refused_with_a_message(small_run, tmp_path, args, message):
    out = tmp_path / "r"
    res = _report(small_run, "-o", out, *args)
    assert res.returncode == 2, res.stderr
    assert message in res.stderr
    assert "Traceback" not in res.stderr
    assert not (out / "index.html").exists()


def test_output_that_is_a_file_is_refused(small_run, tmp_path):
    existing = tmp_path / "existing.txt"
    existing.write_text("keep me")
    res = _report(small_run, "-o", existing)
    assert res.returncode == 2
    assert "exists and is not a folder" in res.stderr
    assert "Traceback" not in res.stderr
    assert existing.read_text() == "keep me"
