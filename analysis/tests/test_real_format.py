"""What the analysis assumes of the engine's files, checked on real runs."""
import shutil

import h5py
import numpy as np
import pytest

from analysis.reader import FormatError, open_run

# series the charts read, with the dims they rely on
USED = {
    "population": "replicate,day,jurisdiction,group",
    "victimisations": "replicate,day,jurisdiction,group,crime_type",
    "reports": "replicate,day,jurisdiction,group,crime_type",
    "cleared": "replicate,day,jurisdiction,crime_type",
    "detentions": "replicate,day,jurisdiction,pathway,charge,record,status",
    "officer_hours": "replicate,day,jurisdiction,task",
    "trust_mean": "replicate,day,jurisdiction,group",
    "fear_mean": "replicate,day,jurisdiction,group",
    "trust_quantiles": "replicate,day,jurisdiction,group,quantile",
    "fear_quantiles": "replicate,day,jurisdiction,group,quantile",
    "court_backlog": "replicate,day,docket",
    "court_mean_wait_days": "replicate,day,docket",
}


def test_real_files_open_with_the_layout_the_charts_use(real_runs):
    for name, path in real_runs.items():
        run = open_run(path)
        assert run.name == name and run.replicates == 2
        for series, dims in USED.items():
            lab = run.series(series)
            assert ",".join(lab.dims) == dims, series
            assert lab.units, f"{series} has no units"
        assert "mixed_status" in run.coord("group") and "undocumented" in run.coord("group")
        assert run.snapshot("trust_mean").values.shape[2] == len(run.neighbourhoods()["x"])
        assert run.resolved_yaml().strip()
        prov = run.provenance()
        assert prov["software_version"] and prov["git_revision"] and prov["scenario_file"]


def test_detention_rows_match_the_daily_series(real_runs):
    run = open_run(real_runs["287g_task_force"])
    if not run.has("detentions/day"):
        pytest.skip("the detentions table is switched off (output.detentions_table)")
    rows = run.detention_records()
    series = run.series("detentions").values
    assert len(rows["day"]) == series.sum()
    for r in range(run.replicates):
        per_day = np.bincount(rows["day"][rows["replicate"] == r], minlength=run.days)
        assert list(per_day) == list(series[r].sum(axis=(1, 2, 3, 4, 5)))


def test_policy_switch_changes_policy_inside_the_run(real_runs):
    run = open_run(real_runs["policy_switch"])
    changes = run.policy_changes()
    assert changes and all(0 < c.day < run.days for c in changes)


@pytest.mark.parametrize("attr, value, message", [
    ("format_version", "3.0", "format_version 3.0 is not supported"),
    ("format_version", "1.0", "format_version 1.0 is not supported"),
    ("complete", np.int64(0), "the run is incomplete"),
])
def test_real_file_edited_to_another_version_is_refused(real_runs, tmp_path, attr, value,
                                                        message):
    copy = tmp_path / "edited.h5"
    shutil.copy(real_runs["baseline"], copy)
    with h5py.File(copy, "a") as f:
        f.attrs[attr] = value
    with pytest.raises(FormatError, match=message) as e:
        open_run(copy)
    assert "edited.h5" in str(e.value)


def test_every_group_opens_in_xarray_with_no_project_code(real_runs):
    """The file is netCDF-4 style: plain xarray gives labelled arrays for each group, and
    every dataset says its units and meaning, with a dimension scale on every axis."""
    import xarray as xr
    path = real_runs["policy_switch"]
    series = xr.open_dataset(path, engine="h5netcdf", group="series", decode_timedelta=False)
    with series:
        rep = series["reports"]
        assert rep.dims == ("replicate", "day", "jurisdiction", "group", "crime_type")
        assert list(rep["group"].values) == list(open_run(path).coord("group"))
        assert list(rep["jurisdiction"].values) == list(open_run(path).coord("jurisdiction"))
        assert rep.attrs["units"] == "crimes" and rep.attrs["meaning"]
        weekly = (rep.sel(group="undocumented").sum(["jurisdiction", "crime_type"])
                  .coarsen(day=7, boundary="trim").sum())
        with h5py.File(path) as f:
            raw = f["series/reports"][()][:, :, :, 3].sum(axis=(2, 3))
        assert weekly.values[:, 0].tolist() == raw[:, :7].sum(axis=1).tolist()
    for group, dim in (("detentions", "detention"), ("neighbourhoods", "neighbourhood"),
                       ("snapshots", "neighbourhood"), ("axes", "group")):
        with xr.open_dataset(path, engine="h5netcdf", group=group) as ds:
            assert dim in ds.dims, group
    with xr.open_dataset(path, engine="h5netcdf", group="detentions") as det:
        assert det["pathway"].attrs["flag_meanings"].split() == list(open_run(path).coord("pathway"))
        assert det["outcome"].attrs["flag_meanings"] == "pending removed released"

    problems = []

    def check(name, obj):
        if not isinstance(obj, h5py.Dataset):
            return
        problems.extend(f"{name}: no {a}" for a in ("units", "meaning") if a not in obj.attrs)
        if obj.attrs.get("CLASS") != b"DIMENSION_SCALE":
            problems.extend(f"{name}: axis {i} has no dimension scale"
                            for i in range(obj.ndim) if len(obj.dims[i]) == 0)

    with h5py.File(path) as f:
        f.visititems(check)
    assert problems == []
