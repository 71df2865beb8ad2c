"""scripts/decompose: a policy's effect split by learning channel, on a real (small) city."""
import h5py
import numpy as np

from analysis.decompose import CHANNELS, decompose
from analysis.tests.conftest import ENGINE, ROOT


def test_channels_add_up_and_the_announcement_is_seen(tmp_path):
    sets = ["population.residents=20000", "population.neighbourhoods=10", "simulation.days=120",
            "simulation.replicates=1"]
    res = decompose(str(ROOT / "scenarios" / "287g_task_force.yaml"), "baseline", tmp_path, sets, str(ENGINE))
    effect, labels, groups = res["effect"], res["channels"], res["groups"]
    assert labels == list(CHANNELS) + ["interaction", "total"]
    # The parts (channels and interaction) add up to the total, by construction of the rows.
    assert np.allclose(effect[:-1].sum(axis=0), effect[-1], atol=1e-12)
    und = groups.index("undocumented")
    # The task force raises undocumented fear, and the announcement channel carries some of it.
    assert effect[-1, und, 2] > 0
    assert effect[labels.index("announcement"), und, 2] > 0
    # No operations in this policy: the neighbourhood channel carries nothing.
    # (same seed, same draws: switching the channel off changes nothing at all).
    assert np.all(effect[labels.index("neighbourhood")] == 0)
    with h5py.File(tmp_path / "decomposition.h5") as f:
        assert f["effect"].shape == (len(labels), len(groups), 3)
        assert [c.decode() for c in f["channel"][()]] == labels
    assert (tmp_path / "decomposition.png").stat().st_size > 10000
    assert (tmp_path / "decomposition.csv").read_text().startswith("channel,group,measure,effect")
