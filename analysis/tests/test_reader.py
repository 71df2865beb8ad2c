"""Reader unit tests and format refusal, on synthetic files that follow the
draft layout (docs/output-format.draft.md). Charts are tested on real runs."""
import h5py
import numpy as np
import pytest

from analysis.reader import FormatError, open_run
from analysis.report import main as report_main
from analysis.tests.synthetic import GROUPS, write_run


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    d = tmp_path_factory.mktemp("synth")
    return write_run(d / "run.h5", scenario="baseline", replicates=3, days=40,
                     jurisdictions=("west", "east"), policy_changes=[(20, 1, "sanctuary")])


def test_header_and_axes(synth):
    run = open_run(synth)
    assert (run.name, run.replicates, run.days, run.seed) == ("baseline", 3, 40, 1)
    assert list(run.coord("group")) == GROUPS
    assert list(run.coord("jurisdiction")) == ["west", "east"]
    assert run.provenance()["software_version"] == "0.0.0-synth"
    assert run.resolved_yaml().startswith("name: baseline")


def test_series_are_labelled_by_their_dims_attribute(synth):
    rep = open_run(synth).series("reports")
    assert rep.dims == ("replicate", "day", "jurisdiction", "group", "crime_type")
    assert rep.values.shape == (3, 40, 2, 5, 2)
    assert rep.units == "crimes"
    one = rep.sel(group="undocumented", crime_type="violent")
    assert one.dims == ("replicate", "day", "jurisdiction")


def test_reporting_rate_pools_counts_and_skips_the_overlay(synth):
    run = open_run(synth)
    with h5py.File(synth) as f:
        rep, vic = f["series/reports"][()], f["series/victimisations"][()]
    rate = run.reporting_rate(days=(0, 40))
    groups = list(rate.coords["group"])
    assert groups == GROUPS + ["all"]
    want_all = rep[:, :, :, :4].sum(axis=(1, 2, 3, 4)) / vic[:, :, :, :4].sum(axis=(1, 2, 3, 4))
    assert rate.values[:, -1] == pytest.approx(want_all)
    u = GROUPS.index("undocumented")
    want_u = rep[:, :, :, u].sum(axis=(1, 2, 3)) / vic[:, :, :, u].sum(axis=(1, 2, 3))
    assert rate.values[:, u] == pytest.approx(want_u)


def test_weighted_mean_over_jurisdictions(synth):
    run = open_run(synth)
    with h5py.File(synth) as f:
        t, pop = f["series/trust_mean"][()], f["series/population"][()].astype(float)
    got = run.weighted_mean("trust_mean")
    want = (t * pop).sum(axis=2) / pop.sum(axis=2)
    assert got.values[:, :, :5] == pytest.approx(want)
    w_all = (t[..., :4] * pop[..., :4]).sum(axis=(2, 3)) / pop[..., :4].sum(axis=(2, 3))
    assert got.values[:, :, 5] == pytest.approx(w_all)


def test_policy_changes_snapshots_and_detention_rows(synth):
    run = open_run(synth)
    (ch,) = run.policy_changes()
    assert (ch.day, ch.jurisdiction, ch.label) == (20, "east", "sanctuary")
    snap = run.snapshot("trust_mean")
    assert snap.dims == ("replicate", "snapshot_day", "neighbourhood")
    assert list(snap.coords["snapshot_day"]) == [0, 39]
    rows = run.detention_records()
    assert len(rows["day"]) == run.series("detentions").values.sum()


def test_labelled_select_by_list_keeps_the_dim(synth):
    pop = open_run(synth).series("population").sel(group=["undocumented", "mixed_status"])
    assert pop.dims[-1] == "group" and list(pop.coords["group"]) == ["undocumented",
                                                                     "mixed_status"]
    with pytest.raises(KeyError):
        pop.sel(group="citizen_non_immigrant")


@pytest.mark.parametrize("kwargs, message", [
    ({"format_version": "3.0"}, "format_version 3.0 is not supported"),
    ({"format_version": "1.0"}, "format_version 1.0 is not supported: this reader understands "
                                "trustsim-run 2.x only; rerun the scenario"),
    ({"format_version": "1"}, "is not 'MAJOR.MINOR'"),
    ({"fmt": "trustsim-sweep"}, "format is 'trustsim-sweep', expected 'trustsim-run'"),
    ({"fmt": "something-else"}, "expected 'trustsim-run'"),
    ({"complete": 0}, "the run is incomplete"),
])
def test_refuses_files_it_does_not_understand(tmp_path, kwargs, message):
    path = write_run(tmp_path / "odd.h5", days=5, **kwargs)
    with pytest.raises(FormatError) as e:
        open_run(path)
    assert message in str(e.value)
    assert "odd.h5" in str(e.value)


def test_newer_minor_version_is_read(tmp_path):
    assert open_run(write_run(tmp_path / "minor.h5", days=5, format_version="2.7")).days == 5


def test_refuses_missing_attributes_and_non_hdf5(tmp_path):
    path = write_run(tmp_path / "noattr.h5", days=5)
    with h5py.File(path, "a") as f:
        del f.attrs["scenario_name"]
    with pytest.raises(FormatError, match="root attributes missing: scenario_name"):
        open_run(path)
    text = tmp_path / "notes.h5"
    text.write_text("not hdf5")
    with pytest.raises(FormatError, match="not a readable HDF5 file"):
        open_run(text)
    with pytest.raises(FormatError, match="no such file"):
        open_run(tmp_path / "absent.h5")


def test_report_command_refuses_a_newer_major_version(tmp_path, capsys):
    good = write_run(tmp_path / "good.h5", days=5)
    bad = write_run(tmp_path / "v3.h5", days=5, format_version="3.0")
    out = tmp_path / "report"
    assert report_main([str(good), str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "v3.h5" in err and "format_version 3.0 is not supported" in err
    assert not (out / "index.html").exists()


def test_series_with_wrong_dims_is_refused(tmp_path):
    path = write_run(tmp_path / "dims.h5", days=5)
    with h5py.File(path, "a") as f:
        f["series/stops"].attrs["dims"] = "replicate,day,jurisdiction"
    with pytest.raises(FormatError, match="series/stops: dims attribute"):
        open_run(path).series("stops")
    assert np.all(open_run(path).series("removals").values >= 0)


def test_series_without_dimension_scales_is_refused(tmp_path):
    path = write_run(tmp_path / "noscale.h5", days=5)
    with h5py.File(path, "a") as f:
        f["series/stops"].dims[2].detach_scale(f["series/jurisdiction"])
    with pytest.raises(FormatError, match="series/stops cannot be read as a labelled array"):
        open_run(path).series("stops")


def test_series_are_xarray_and_keep_the_old_questions(synth):
    import xarray as xr
    rep = open_run(synth).series("reports")
    assert isinstance(rep, xr.DataArray)
    assert rep.attrs["units"] == "crimes" and rep.units == "crimes"
    assert rep.axis("group") == 3 and rep.index("group", "undocumented") == GROUPS.index("undocumented")
    weekly = rep.sum(["jurisdiction", "crime_type"]).sel(group="undocumented").coarsen(
        day=7, boundary="trim").sum()
    assert weekly.sizes["day"] == 40 // 7
