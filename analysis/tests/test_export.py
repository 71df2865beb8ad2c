"""scripts/export: CSV tables of a run's series (long, summed, or one column per label), its
detention and neighbourhood tables, and a sweep's one-row-per-run outputs."""
import csv

import h5py
import numpy as np

from analysis.export import main as export_main


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_run_series_by_group_and_tables(real_runs, tmp_path):
    path = real_runs["287g_task_force"]
    assert export_main([str(path), "-o", str(tmp_path), "--series", "reports",
                        "--sum", "jurisdiction", "--sum", "crime_type", "--by", "group"]) == 0
    folder = tmp_path / "287g_task_force"
    rows = read_csv(folder / "reports.csv")
    with h5py.File(path) as f:
        raw = f["series/reports"][()].sum(axis=(2, 4))  # [replicate, day, group]
        groups = [g.decode() for g in f["axes/group"][()]]
        detentions = len(f["detentions/day"])
    assert len(rows) == raw.shape[0] * raw.shape[1]
    row = rows[7]
    r, d = int(row["replicate"]), int(row["day"])
    assert [int(row[f"reports.{g}"]) for g in groups] == raw[r, d].tolist()
    det = read_csv(folder / "detentions.csv")
    assert len(det) == detentions
    assert all(x["pathway"] in {"stop", "detainer", "at_large", "collateral", "joint_operation"}
               for x in det)
    assert all(x["outcome"] in {"pending", "removed", "released"} for x in det)
    columns = read_csv(folder / "columns.csv")
    assert {"table": "reports.csv", "column": "reports", "units": "crimes",
            "meaning": "Victimisations reported to the local police"} in columns
    assert len(read_csv(folder / "neighbourhoods.csv")) > 0


def test_every_series_in_long_format(real_runs, tmp_path):
    assert export_main([str(real_runs["baseline"]), "-o", str(tmp_path)]) == 0
    with h5py.File(real_runs["baseline"]) as f:
        trust = f["series/trust_mean"][()]
        names = [n for n, ds in f["series"].items() if "dims" in ds.attrs]
    for n in names:
        assert (tmp_path / "baseline" / f"{n}.csv").is_file(), n
    rows = read_csv(tmp_path / "baseline" / "trust_mean.csv")
    assert len(rows) == trust.size
    assert float(rows[-1]["trust_mean"]) == trust.reshape(-1)[-1]


def test_sweep_runs_table(real_sweeps, tmp_path):
    assert export_main([str(real_sweeps["grid_missing"]), "-o", str(tmp_path)]) == 0
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    rows = read_csv(folder / "runs.csv")
    with h5py.File(real_sweeps["grid_missing"]) as f:
        values = f["outputs/values"][()]
        outputs = [o.decode() for o in f["axes/output"][()]]
        params = [p.decode() for p in f["axes/parameter"][()]]
    assert len(rows) == values.shape[0]
    assert [r["status"] for r in rows].count("missing") == 1
    for i in (0, 9):
        got = [float(rows[i][o]) if rows[i][o] else np.nan for o in outputs]
        np.testing.assert_array_equal(got, values[i])
        assert all(p in rows[i] for p in params)


def test_refuses_unknown_series_and_foreign_files(real_runs, tmp_path, capsys):
    assert export_main([str(real_runs["baseline"]), "-o", str(tmp_path), "--series", "nope"]) == 2
    assert "no series nope" in capsys.readouterr().err
    bad = tmp_path / "bad.h5"
    bad.write_text("not hdf5")
    assert export_main([str(bad), "-o", str(tmp_path)]) == 2
    assert "not a readable HDF5 file" in capsys.readouterr().err
