"""The one reader of trustsim run files; charts never open HDF5 themselves.

open_run() checks the format name, the major version and the `complete`
flag before anything else, so a chart can never be drawn from a file this
code does not understand or from a run that died half-way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import h5py
import numpy as np

from .labelled import Labelled
from .measures import Measures

FORMAT_NAME = "trustsim-run"
SUPPORTED_MAJOR = 1
REQUIRED_ATTRS = ("format_version", "complete", "scenario_name", "replicates",
                  "days", "seed", "software_version")


class FormatError(ValueError):
    """A file this reader refuses, with the file name and the reason."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class PolicyChange:
    day: int
    jurisdiction: str
    label: str


def _text(v):
    """h5py gives bytes or str depending on how a string was written."""
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, np.ndarray) and v.shape == ():
        return _text(v[()])
    if isinstance(v, np.generic):
        return v.item()
    return v


def _labels(arr) -> np.ndarray:
    if arr.dtype.kind in "OSU":
        return np.array([_text(x) for x in arr], dtype=object)
    return np.asarray(arr)


def parse_version(path, text) -> tuple:
    try:
        major, minor = (int(p) for p in str(text).split("."))
    except ValueError:
        raise FormatError(path, f"format_version {text!r} is not 'MAJOR.MINOR'") from None
    return major, minor


def check_header(path, attrs: dict) -> None:
    fmt = attrs.get("format")
    if fmt is None:
        raise FormatError(path, "no 'format' attribute at the root: not a trustsim run file")
    if fmt != FORMAT_NAME:
        hint = (" Sweep charts are not implemented yet." if fmt == "trustsim-sweep" else "")
        raise FormatError(path, f"format is {fmt!r}, expected {FORMAT_NAME!r}.{hint}")
    missing = [a for a in REQUIRED_ATTRS if a not in attrs]
    if missing:
        raise FormatError(path, f"root attributes missing: {', '.join(missing)}")
    major, _ = parse_version(path, attrs["format_version"])
    if major != SUPPORTED_MAJOR:
        raise FormatError(
            path, f"format_version {attrs['format_version']} is not supported: this reader "
                  f"understands {FORMAT_NAME} {SUPPORTED_MAJOR}.x only; use the analysis "
                  f"code that matches the trustsim version that wrote the file")
    if int(attrs["complete"]) != 1:
        raise FormatError(path, f"the run is incomplete (complete={attrs['complete']}): the "
                                "engine did not finish writing this file; rerun the scenario")


def open_run(path) -> "Run":
    path = Path(path)
    if not path.is_file():
        raise FormatError(path, "no such file")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise FormatError(path, f"not a readable HDF5 file ({e})") from None
    with f:
        attrs = {k: _text(v) for k, v in f.attrs.items()}
        check_header(path, attrs)
        if "axes" not in f:
            raise FormatError(path, "group /axes is missing")
        axes = {k: _labels(ds[()]) for k, ds in f["axes"].items()}
    return Run(path=path, attrs=attrs, axes=axes)


@dataclass
class Run(Measures):
    """One scenario's run file: header attributes, axes and lazily read data."""
    path: Path
    attrs: dict
    axes: dict
    _cache: dict = field(default_factory=dict, repr=False)

    # --- header -------------------------------------------------------------
    @property
    def name(self) -> str:
        return str(self.attrs["scenario_name"])

    @property
    def replicates(self) -> int:
        return int(self.attrs["replicates"])

    @property
    def days(self) -> int:
        return int(self.attrs["days"])

    @property
    def seed(self) -> int:
        return int(self.attrs["seed"])

    def provenance(self) -> dict:
        """What produced this file, for the report's sources table."""
        keys = ("scenario_name", "scenario_file", "seed", "replicates", "days", "threads",
                "software_version", "git_revision", "format_version", "created")
        return {"file": self.path.name, **{k: self.attrs.get(k, "") for k in keys}}

    # --- raw access -----------------------------------------------------------
    def _read(self, h5path: str):
        if h5path not in self._cache:
            with h5py.File(self.path, "r") as f:
                if h5path not in f:
                    raise FormatError(self.path, f"dataset {h5path} is missing")
                ds = f[h5path]
                self._cache[h5path] = (ds[()], {k: _text(v) for k, v in ds.attrs.items()})
        return self._cache[h5path]

    def has(self, h5path: str) -> bool:
        with h5py.File(self.path, "r") as f:
            return h5path in f

    def coord(self, dim: str) -> np.ndarray:
        if dim == "replicate":
            return np.arange(self.replicates)
        if dim not in self.axes:
            raise FormatError(self.path, f"axis /axes/{dim} is missing")
        return self.axes[dim]

    def series(self, name: str) -> Labelled:
        """A /series dataset labelled by its own 'dims' attribute."""
        values, attrs = self._read(f"series/{name}")
        dims = tuple(d.strip() for d in str(attrs.get("dims", "")).split(",") if d.strip())
        if len(dims) != values.ndim:
            raise FormatError(self.path, f"series/{name}: dims attribute {attrs.get('dims')!r}"
                                         f" does not match its {values.ndim} dimensions")
        coords = {d: self.coord(d) for d in dims}
        for d, n in zip(dims, values.shape):
            if len(coords[d]) != n:
                raise FormatError(self.path, f"series/{name}: dim {d} has length {n} but "
                                             f"its axis has {len(coords[d])} labels")
        return Labelled(values, dims, coords, str(attrs.get("units", "")),
                        str(attrs.get("meaning", "")))

    def policy_changes(self) -> list:
        if "policy_change_day" not in self.axes:
            return []
        days = self.axes["policy_change_day"]
        jur = self.axes.get("policy_change_jurisdiction", np.zeros(len(days), dtype=int))
        lab = self.axes.get("policy_change_label", np.array([""] * len(days), dtype=object))
        names = self.coord("jurisdiction")
        return [PolicyChange(int(d), str(names[int(j)]), str(s))
                for d, j, s in zip(days, jur, lab)]

    def neighbourhoods(self) -> dict:
        cols = ("jurisdiction", "x", "y", "residents", "immigrant_origin_share")
        return {c: self._read(f"neighbourhoods/{c}")[0] for c in cols}

    def snapshot(self, name: str) -> Labelled:
        """A /snapshots variable as [replicate, snapshot_day, neighbourhood]."""
        days = np.asarray(self._read("snapshots/day")[0])
        values = self._read(f"snapshots/{name}")[0]
        n = values.shape[-1]
        return Labelled(values, ("replicate", "snapshot_day", "neighbourhood"),
                        {"replicate": np.arange(values.shape[0]), "snapshot_day": days,
                         "neighbourhood": np.arange(n)})

    def detention_records(self) -> dict:
        cols = ("replicate", "day", "resident", "household", "neighbourhood", "jurisdiction",
                "pathway", "status", "record", "outcome", "outcome_day")
        return {c: self._read(f"detentions/{c}")[0] for c in cols}

    def resolved_yaml(self) -> str:
        return str(_text(self._read("scenario/resolved_yaml")[0]))
