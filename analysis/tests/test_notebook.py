"""The example notebooks run, top to bottom, on the engine built here (so they never rot)."""
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from analysis.tests.conftest import ENGINE, ROOT

EXAMPLES = sorted((ROOT / "analysis" / "examples").glob("*.ipynb"))


def test_there_are_examples():
    assert EXAMPLES


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_notebook_runs(path: Path, monkeypatch):
    if not ENGINE.exists():
        pytest.skip(f"{ENGINE} is not built: the notebooks run the engine")
    monkeypatch.setenv("TRUSTSIM_BIN", str(ENGINE))
    monkeypatch.setenv("TRUSTSIM_ROOT", str(ROOT))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel draws inline, as in Jupyter
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    if path.name == "compare_scenarios.ipynb":
        result = eval(outputs[-1]["data"]["text/plain"])  # {scenario: mean reporting share}
        assert set(result) == {"sanctuary", "287g_task_force"}
        assert 0 < result["287g_task_force"] < result["sanctuary"] < 1
        assert any("image/png" in o.get("data", {}) for o in outputs)
