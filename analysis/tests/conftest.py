"""Fixtures: real trustsim outputs made by the test run, and a report built on them.

Real runs need build/trustsim. Without it those tests are skipped (the engine
is not built); with it, a failing run fails the tests, it is never skipped.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# TRUSTSIM_BIN points the tests at an engine built elsewhere (another build dir).
ENGINE = Path(os.environ.get("TRUSTSIM_BIN", ROOT / "build" / "trustsim"))
SCENARIO_DIR = Path(os.environ.get("TRUSTSIM_SCENARIOS", ROOT / "scenarios"))
SCENARIOS = ("baseline", "sanctuary", "287g_task_force", "policy_switch")
DAYS = 120
AFTER_SWITCH = 60  # days kept after the last scheduled change, so "after" has data


def schedule_days(scenario: Path) -> list:
    """Days on which the scenario's schedule changes policy (0 if none found).

    Reads the YAML generically (any integer under a key ending in 'day' inside a
    'schedule' section), so this does not depend on the engine's exact schema.
    """
    try:
        import yaml
    except ImportError:
        return []
    if not scenario.is_file():
        return []  # the engine will say so
    found = []

    def walk(node, in_schedule):
        if isinstance(node, dict):
            for k, v in node.items():
                inside = in_schedule or "schedule" in str(k) or "switch" in str(k)
                if inside and str(k).endswith("day") and isinstance(v, int):
                    found.append(v)
                walk(v, inside)
        elif isinstance(node, list):
            for v in node:
                walk(v, in_schedule)

    walk(yaml.safe_load(scenario.read_text()), False)
    return found


def run_engine(name: str, out: Path) -> Path:
    scenario = SCENARIO_DIR / f"{name}.yaml"
    days = max([DAYS] + [d + AFTER_SWITCH for d in schedule_days(scenario)])
    path = out / f"{name}.h5"
    cmd = [str(ENGINE), "run", str(scenario),
           "--set", "population.residents=5000", "--set", f"simulation.days={days}",
           "--replicates", "2", "-o", str(path), "--quiet"]
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    if res.returncode != 0:
        pytest.fail(f"trustsim failed ({res.returncode}): {' '.join(cmd)}\n{res.stderr[-3000:]}")
    return path


@pytest.fixture(scope="session")
def real_runs(tmp_path_factory) -> dict:
    """scenario name -> path of a real run file (5,000 residents, 2 replicates)."""
    if not ENGINE.exists():
        pytest.skip(f"{ENGINE} is not built: build the engine to run the tests on real "
                    "outputs")
    out = tmp_path_factory.mktemp("runs")
    return {name: run_engine(name, out) for name in SCENARIOS}


@pytest.fixture(scope="session")
def real_report(real_runs, tmp_path_factory):
    """The report built on the real runs (analysis.report.Report)."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    from analysis.report import build_report
    out = tmp_path_factory.mktemp("report")
    return build_report(list(real_runs.values()), out)


# --- merged sweeps ----------------------------------------------------------------------
# Small sweeps of the real engine (2 scenarios, 3,000 residents, 90 days): a 2x2 grid
# with 2 replicates and a Sobol design with 4 base samples over 2 axes.
SWEEP_SET = """set:
  population.residents: 3000
  population.neighbourhoods: 10
  simulation.days: 90
summary:
  period_days: 30
  window_days: 60
"""
GRID_SWEEP = """name: test_grid
description: 2x2 grid for the analysis tests
seed: 11
replicates: 2
scenarios: [{sanctuary}, {task_force}]
design: grid
axes:
  policy.joint_operations_per_100k_month: [0, 4]
  policy.profiling_multiplier: [1, 3]
outputs: [reporting_rate, reporting_rate.undocumented, detentions]
""" + SWEEP_SET
SOBOL_SWEEP = """name: test_sobol
description: Sobol design with 4 base samples for the analysis tests
seed: 5
replicates: 1
scenarios: [{sanctuary}, {task_force}]
design: sobol
samples: 4
bootstrap: 200
axes:
  reporting.trust_weight: {{min: 0.5, max: 3.0}}
  reporting.fear_weight: {{min: 0.2, max: 2.0}}
outputs: [reporting_rate, trust_mean.undocumented]
""" + SWEEP_SET


def trustsim(*args, timeout=900):
    cmd = [str(ENGINE), *map(str, args)]
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if res.returncode != 0:
        pytest.fail(f"trustsim failed ({res.returncode}): {' '.join(cmd)}\n{res.stderr[-3000:]}")
    return res


def make_sweep(text: str, out: Path, name: str) -> tuple:
    """Write a sweep file, run it and merge it: (merged file, run folder)."""
    sweep = out / f"{name}.yaml"
    sweep.write_text(text.format(sanctuary=SCENARIO_DIR / "sanctuary.yaml",
                                 task_force=SCENARIO_DIR / "287g_task_force.yaml"))
    runs = out / name
    trustsim("sweep", sweep, "-o", runs, "--threads", "2", "--quiet")
    merged = out / f"{name}.h5"
    trustsim("merge", runs, "-o", merged, "--quiet")
    return merged, runs


@pytest.fixture(scope="session")
def real_sweeps(tmp_path_factory) -> dict:
    """Merged sweep files made by the real engine: 'grid', 'sobol', and 'grid_missing'
    (the grid merged with --allow-missing after one run file was removed)."""
    if not ENGINE.exists():
        pytest.skip(f"{ENGINE} is not built: build the engine to run the tests on real "
                    "outputs")
    out = tmp_path_factory.mktemp("sweeps")
    grid, grid_runs = make_sweep(GRID_SWEEP, out, "grid")
    sobol, _ = make_sweep(SOBOL_SWEEP, out, "sobol")
    victim = sorted((grid_runs / "runs").rglob("*.h5"))[5]
    partial = out / "grid_partial"
    import shutil
    shutil.copytree(grid_runs, partial)
    (partial / victim.relative_to(grid_runs)).unlink()
    missing = out / "grid_missing.h5"
    trustsim("merge", partial, "-o", missing, "--allow-missing", "--quiet")
    return {"grid": grid, "sobol": sobol, "grid_missing": missing}


@pytest.fixture(scope="session")
def sweep_reports(real_sweeps, tmp_path_factory) -> dict:
    """name -> the report (analysis.report.Report) built on each merged sweep."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    from analysis.report import build_report
    return {name: build_report([path], tmp_path_factory.mktemp(f"report_{name}"))
            for name, path in real_sweeps.items()}
