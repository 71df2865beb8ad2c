"""Independent arithmetic on raw HDF5 datasets (h5py only, not analysis.reader),
so that tests compare each chart's quoted numbers against the file itself."""
from __future__ import annotations

import h5py
import numpy as np

OVERLAY = "mixed_status"


def _s(x):
    return x.decode() if isinstance(x, bytes) else str(x)


class Raw:
    def __init__(self, path):
        with h5py.File(path, "r") as f:
            self.series = {k: f["series"][k][()] for k in f["series"]}
            self.axes = {k: f["axes"][k][()] for k in f["axes"]}
            self.attrs = {k: _s(v) if isinstance(v, (bytes, str)) else v
                          for k, v in f.attrs.items()}
            self.nb = {k: f["neighbourhoods"][k][()] for k in f["neighbourhoods"]}
            self.snap = {k: f["snapshots"][k][()] for k in f["snapshots"]}
        self.groups = [_s(g) for g in self.axes["group"]]
        # Overlays (every group named *mixed*) count their members twice: left out of totals.
        self.base = [i for i, g in enumerate(self.groups) if "mixed" not in g]
        self.R, self.D = self.series["population"].shape[:2]

    def g(self, name):
        return self.groups.index(name)

    def pooled_rate(self, group=None, d0=0, d1=None):
        """Per replicate: reports / victimisations over days [d0, d1), a group or all."""
        rep = self.series["reports"][:, d0:d1]
        vic = self.series["victimisations"][:, d0:d1]
        idx = self.base if group is None else [self.g(group)]
        return (rep[:, :, :, idx].sum(axis=(1, 2, 3, 4))
                / vic[:, :, :, idx].sum(axis=(1, 2, 3, 4)))

    def resident_days(self, d1=None):
        pop = self.series["population"][:, :d1]
        return pop[..., self.base].sum(axis=(1, 2, 3)).astype(float)

    def weighted(self, name, group=None):
        """Population-weighted mean over jurisdictions, [replicate, day]."""
        v, p = self.series[name], self.series["population"].astype(float)
        idx = self.base if group is None else [self.g(group)]
        return (v[..., idx] * p[..., idx]).sum(axis=(2, 3)) / p[..., idx].sum(axis=(2, 3))

    def detention_rate(self, d1=None):
        """Per replicate: detentions per 10,000 residents per year over days [0, d1)."""
        det = self.series["detentions"][:, :d1].sum(axis=(1, 2, 3, 4, 5, 6))
        return det / self.resident_days(d1) * 1e4 * 365

    def crime_rate(self, d1=None):
        """Per replicate: victimisations per 10,000 residents per year over days [0, d1)."""
        vic = self.series["victimisations"][:, :d1, :, self.base].sum(axis=(1, 2, 3, 4))
        return vic / self.resident_days(d1) * 1e4 * 365

    def clearance(self, k=0, d1=None):
        cleared = self.series["cleared"][:, :d1, ..., k].sum(axis=(1, 2))
        reports = self.series["reports"][:, :d1, :, self.base, k].sum(axis=(1, 2, 3))
        return cleared / reports

    def record_shares(self, d1=None):
        det = self.series["detentions"][:, :d1].sum(axis=(1, 2, 3, 4, 6))  # [R, record]
        rec = [_s(r) for r in self.axes["record"]]
        total = det.sum(axis=1)
        return (det[:, rec.index("none")] / total,
                (total - det[:, rec.index("violent")]) / total)


def mean(x) -> float:
    """Mean ignoring NaN (a replicate with nothing to count); NaN if nothing is left."""
    x = np.asarray(x, dtype=float)
    return float(np.nanmean(x)) if np.any(~np.isnan(x)) else float("nan")


class RawSweep:
    """A merged sweep read with h5py alone; outputs laid out by the documented run order
    index = (point * replicates + replicate) * scenarios + scenario."""

    def __init__(self, path):
        with h5py.File(path, "r") as f:
            self.attrs = {k: _s(v) if isinstance(v, (bytes, str)) else v
                          for k, v in f.attrs.items()}
            self.params = [_s(x) for x in f["axes/parameter"][()]]
            self.scenarios = [_s(x) for x in f["axes/scenario"][()]]
            self.outputs = [_s(x) for x in f["axes/output"][()]]
            self.design = f["design/values"][()]
            self.text = [_s(x) for x in f["design/text"][()]]
            self.values = f["outputs/values"][()]
            self.runs = {k: f["runs"][k][()] for k in f["runs"]}
            self.sens = ({k: f["sensitivity"][k][()] for k in f["sensitivity"]}
                         if "sensitivity" in f else None)
            if self.sens:
                self.sens["output"] = [_s(x) for x in self.sens["output"]]
        self.P, self.K = self.design.shape
        self.R, self.S = int(self.attrs["replicates"]), len(self.scenarios)

    def out(self, name, point, replicate, scenario):
        i = (point * self.R + replicate) * self.S + scenario
        return self.values[i, self.outputs.index(name)]

    def per_replicate(self, name, scenario, points):
        """For each replicate, the mean (over finished runs) of the output over `points`."""
        res = []
        for r in range(self.R):
            v = np.array([self.out(name, p, r, scenario) for p in points])
            res.append(np.nanmean(v) if np.isfinite(v).any() else np.nan)
        return np.array(res)

    def points_at(self, values: dict):
        """Design points where each named parameter takes the given value."""
        keep = np.ones(self.P, bool)
        for p, v in values.items():
            keep &= self.design[:, self.params.index(p)] == v
        return list(np.flatnonzero(keep))
