"""Files the report must refuse clearly: a truncated run file and a foreign HDF5 file.

test_reader.py covers other formats, newer majors, missing attributes and a text file;
these add the cases a crashed copy or a wrong file from another tool produce.
"""
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest

from analysis.reader import FormatError, open_run
from analysis.tests.synthetic import write_run

ROOT = Path(__file__).resolve().parents[2]


def _truncated(tmp_path, fraction):
    good = write_run(tmp_path / "good.h5", days=30)
    data = Path(good).read_bytes()
    bad = tmp_path / f"truncated_{int(fraction * 100)}.h5"
    bad.write_bytes(data[: int(len(data) * fraction)])
    return bad


@pytest.mark.parametrize("fraction", [0.0, 0.01, 0.5, 0.99])
def test_truncated_run_file_is_refused(tmp_path, fraction):
    bad = _truncated(tmp_path, fraction)
    with pytest.raises(FormatError) as e:
        run = open_run(bad)
        run.series("stops")  # a file that opened must not yield data either
    assert bad.name in str(e.value)


def test_foreign_hdf5_file_is_refused(tmp_path):
    foreign = tmp_path / "climate.h5"
    with h5py.File(foreign, "w") as f:
        f["temperature"] = np.arange(10.0)
        f.attrs["institution"] = "someone else"
    with pytest.raises(FormatError, match="no 'format' attribute at the root: not a trustsim"):
        open_run(foreign)


def _report(args):
    return subprocess.run([str(ROOT / "scripts" / "report"), *args], capture_output=True, text=True,
                          timeout=300)


def test_report_command_refuses_truncated_and_foreign_files(tmp_path):
    good = write_run(tmp_path / "good.h5", days=30)
    bad = _truncated(tmp_path, 0.5)
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["x"] = np.zeros(3)
    for odd, message in ((bad, "truncated_50.h5"), (foreign, "not a trustsim")):
        out = tmp_path / f"report_{odd.stem}"
        res = _report([str(good), str(odd), "-o", str(out)])
        assert res.returncode == 2, res.stderr
        assert message in res.stderr
        assert "Traceback" not in res.stderr
        assert not (out / "index.html").exists()
