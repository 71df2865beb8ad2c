"""scripts/decompose: a policy's effect split by learning channel, on a real (small) city; the
channels the binary's registry names; the reference's runs made once for every scenario;
one chart per scenario in the report and a line per card in the brief."""
import json
import re
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import h5py
import numpy as np
import pytest

from analysis.decompose import (DecomposeError, Runner, channel_words, decompose,
                                decompose_all, registry_channels)
from analysis.reader import FormatError, open_decomposition
from analysis.tests.conftest import ENGINE, ROOT, SCENARIO_DIR

SMALL = ["population.residents=3000", "population.neighbourhoods=10",
         "simulation.replicates=1", "simulation.seed=3"]
DAYS = 60  # measured after the last policy change


@pytest.fixture(scope="module")
def engine():
    if not ENGINE.exists():
        pytest.skip(f"{ENGINE} is not built")
    return str(ENGINE)


def fake_engine(tmp: Path, add=(), drop=()) -> tuple:
    """A trustsim stand-in that logs every call and passes it on to the real one; its
    registry gains the channels `add` (their switch is dropped from the real run, so they
    carry nothing) and loses `drop`. Returns (program, log)."""
    log = tmp / "calls.log"
    prog = tmp / "trustsim"
    prog.write_text(f"""#!{sys.executable}
import json, subprocess, sys
ADD, DROP, REAL, LOG = {list(add)!r}, {list(drop)!r}, {str(ENGINE)!r}, {str(log)!r}
args = sys.argv[1:]
with open(LOG, "a") as fh:
    fh.write(json.dumps(args) + "\\n")
if args[:2] == ["schema", "--json"]:
    doc = json.loads(subprocess.run([REAL] + args, capture_output=True, text=True, check=True).stdout)
    doc["parameters"] = [p for p in doc["parameters"]
                         if p["name"] not in ["learning.channel_" + d for d in DROP]]
    doc["parameters"] += [dict(name="learning.channel_" + a, type="bool", default=True,
                               section="learning", key="channel_" + a) for a in ADD]
    print(json.dumps(doc))
    sys.exit(0)
out = list(args)
for a in ADD:  # the real engine does not know this switch: leave it out
    key = "learning.channel_" + a + "=false"
    while key in out:
        i = out.index(key)
        del out[i - 1:i + 1]
sys.exit(subprocess.run([REAL] + out).returncode)
""")
    prog.chmod(prog.stat().st_mode | stat.S_IEXEC)
    return str(prog), log


def calls(log: Path) -> list:
    return [json.loads(line) for line in log.read_text().splitlines()]


def test_channels_add_up_and_the_announcement_is_seen(tmp_path, engine):
    sets = ["population.residents=20000", "population.neighbourhoods=10", "simulation.days=120",
            "simulation.replicates=1"]
    res = decompose(str(ROOT / "scenarios" / "287g_task_force.yaml"), "baseline", tmp_path, sets,
                    engine)
    effect, labels, groups = res["effect"], res["channels"], res["groups"]
    assert labels == registry_channels(engine) + ["interaction", "total"]
    # The parts (channels and interaction) add up to the total, by construction of the rows.
    assert np.allclose(effect[:-1].sum(axis=0), effect[-1], atol=1e-12)
    und = groups.index("undocumented")
    # The task force raises undocumented fear, and the announcement channel carries some of it.
    assert effect[-1, und, 2] > 0
    assert effect[labels.index("announcement"), und, 2] > 0
    # No operations in this policy: the neighbourhood channel carries nothing.
    # (same seed, same draws: switching the channel off changes nothing at all).
    assert np.all(effect[labels.index("neighbourhood")] == 0)
    dec = open_decomposition(tmp_path / "decomposition.h5")
    assert dec.channels == labels and dec.effect.shape == (len(labels), len(groups), 3)
    assert dec.words[labels.index("announcement")] == "the policy's announcement"
    assert (dec.attrs["window_start"], dec.attrs["window_end"]) == (0, 120)
    assert (tmp_path / "decomposition.png").stat().st_size > 10000
    assert (tmp_path / "decomposition.csv").read_text().startswith("channel,group,measure,effect")


def test_the_channel_list_is_the_registry_s(engine, tmp_path):
    """Every Bool learning.channel_* that `trustsim schema learning` prints, in its order;
    a channel the registry gains is decomposed and one it loses is not."""
    text = subprocess.run([engine, "schema", "learning"], capture_output=True, text=True,
                          check=True).stdout
    printed = re.findall(r"^learning\.channel_(\w+)\n  type: bool$", text, re.M)
    assert printed and registry_channels(engine) == printed
    prog, _ = fake_engine(tmp_path, add=["rumours"], drop=["household"])
    got = registry_channels(prog)
    assert got == [c for c in printed if c != "household"] + ["rumours"]
    res = decompose(str(SCENARIO_DIR / "sanctuary.yaml"), "baseline", tmp_path / "d", SMALL,
                    prog, days=DAYS)
    assert res["channels"] == got + ["interaction", "total"]
    # The stand-in's switch reaches no run, so its channel carries exactly nothing.
    # (NaN: a group of this small city with no victimisation in the window.)
    rumours = res["effect"][res["channels"].index("rumours")]
    assert np.isfinite(rumours).sum() > 10 and np.all(rumours[np.isfinite(rumours)] == 0)


def test_a_registry_without_channels_is_a_clear_error(tmp_path):
    prog = tmp_path / "trustsim"
    prog.write_text('#!/bin/sh\necho \'{"format": "trustsim-schema", "parameters": '
                    '[{"name": "learning.channel_x", "type": "real"}]}\'\n')
    prog.chmod(0o755)
    with pytest.raises(DecomposeError, match="no Bool parameter learning.channel_"):
        registry_channels(str(prog))


def test_an_unknown_channel_reads_as_words():
    assert channel_words("news") == "local news stories"
    assert channel_words("announcement") == "the policy's announcement"
    fallback = channel_words("word_of_mouth")
    assert fallback == "word of mouth (learning channel)" and "_" not in fallback


@pytest.fixture(scope="module")
def shared(engine, tmp_path_factory):
    """decompose --all over three scenarios and baseline itself, through a logging stand-in
    with one channel the real engine does not have."""
    tmp = tmp_path_factory.mktemp("all")
    prog, log = fake_engine(tmp, add=["rumours"])
    names = ("baseline", "sanctuary", "287g_task_force", "policy_switch")
    with tempfile.TemporaryDirectory() as work:
        runner = Runner(prog, Path(work))
        res = decompose_all([SCENARIO_DIR / f"{n}.yaml" for n in names], "baseline",
                            tmp / "decomposition", SMALL, prog, DAYS, runner)
    return {"res": res, "log": log, "out": tmp / "decomposition", "runner": runner}


def test_the_reference_runs_once_for_every_scenario(shared):
    res, runs = shared["res"], [c for c in calls(shared["log"]) if c[0] == "run"]
    assert sorted(res) == ["287g_task_force", "policy_switch", "sanctuary"]  # not baseline
    arms = len(res["sanctuary"]["channels"]) - 1  # every channel off, and all on
    ref = [c for c in runs if Path(c[1]).name.startswith("reference_")]
    subjects = [c for c in runs if c not in ref]
    # Three scenarios with their own runs; the reference once per run length: 60 days for
    # two scenarios, 365 + 60 for the switch.
    assert len(subjects) == 3 * arms and len(ref) == 2 * arms
    assert len(runs) == shared["runner"].calls == 5 * arms
    settings = [tuple(a for a in c[2:] if "=" in a) for c in ref]
    assert len(set(settings)) == len(settings)  # never the same reference run twice
    assert not any(Path(c[1]).name == "baseline.yaml" for c in runs)  # skipped, not run


def test_a_switch_is_measured_after_it(shared):
    switch = open_decomposition(shared["out"] / "policy_switch" / "decomposition.h5")
    assert (switch.attrs["window_start"], switch.attrs["window_end"]) == (365, 365 + DAYS)
    assert int(switch.attrs["days"]) == 365 + DAYS
    other = open_decomposition(shared["out"] / "sanctuary" / "decomposition.h5")
    assert (other.attrs["window_start"], other.attrs["window_end"]) == (0, DAYS)
    assert switch.reference_name == "baseline" and switch.name == "policy_switch"
    assert "rumours (learning channel)" in switch.words


def test_the_report_shows_one_decomposition_per_scenario(shared, real_runs, tmp_path):
    from analysis.report import build_report
    rep = build_report(list(real_runs.values()), tmp_path / "r", decomposition=shared["out"])
    charts = [c for c in rep.charts if c.id.startswith("decomposition_")]
    scenarios = [r for r in rep.context.runs if r is not rep.context.reference]
    assert sorted(c.id for c in charts) == sorted(
        f"decomposition_{rep.context.slug(r)}" for r in scenarios)
    index = rep.index.read_text(encoding="utf-8")
    brief = (tmp_path / "r" / "brief.html").read_text(encoding="utf-8")
    for c in charts:
        assert f'<img src="{c.png}"' in index and (tmp_path / "r" / c.png).stat().st_size > 5000
        assert "the policy's announcement" in c.summary and "3,000 residents" in c.summary
        assert "rumours (learning channel)" in c.summary  # the fallback words reach the caption
        assert f'href="index.html#{c.id}"' in brief
    assert brief.count('data-measure="drivers"') == len(scenarios)
    assert "What drives the change in reporting" in index
    assert f"from {shared['out']} for {len(scenarios)} scenario(s) against baseline" in index


def test_the_report_works_without_decompositions(real_report, shared, real_runs, tmp_path):
    assert not [c for c in real_report.charts if c.id.startswith("decomposition_")]
    assert 'data-measure="drivers"' not in (real_report.context.outdir / "brief.html").read_text()
    # A file that cannot be read is left out with a note; the report is still built.
    from analysis.report import build_report
    folder = tmp_path / "decomposition"
    (folder / "sanctuary").mkdir(parents=True)
    with h5py.File(folder / "sanctuary" / "decomposition.h5", "w") as f:
        f.attrs["format"] = "trustsim-decomposition"
        f.attrs["format_version"] = "1.0"
    rep = build_report(list(real_runs.values()), tmp_path / "r", decomposition=folder)
    assert not [c for c in rep.charts if c.id.startswith("decomposition_")]
    assert "Channel decomposition left out" in rep.index.read_text(encoding="utf-8")
    with pytest.raises(FormatError, match="rewrite it with scripts/decompose"):
        open_decomposition(folder / "sanctuary" / "decomposition.h5")


def test_a_channel_keeps_its_colour_when_the_engine_adds_one():
    from analysis.charts.base import contrast_on_white
    from analysis.charts.decomposition import channel_colours
    before = channel_colours(["own", "ties", "announcement", "interaction"])
    after = channel_colours(["own", "ties", "news", "rumours", "announcement", "interaction"])
    assert all(after[c] == before[c] for c in before)
    assert len(set(after.values())) == len(after)  # the new ones take free colours
    assert all(contrast_on_white(c) >= 3 for c in after.values())
