"""The one reader of trustsim files; charts never open HDF5 themselves.

open_run() (format "trustsim-run") and open_sweep() (format "trustsim-sweep",
a merged sweep written by `trustsim merge`) check the format name, the major
version and the `complete` flag before anything else, so a chart can never be
drawn from a file this code does not understand or from a file whose writer
died half-way. open_file() picks the right one from the file's own header.

Data come back as xarray and pandas objects: Run.series(name) is an
xarray.DataArray labelled by the file's own dimension scales (the file is
netCDF-4 style, so xarray.open_dataset(path, engine="h5netcdf", group="series")
gives the same without this module), Run.dataset(group) a whole group, and
Sweep.outputs() a pandas DataFrame with one row per run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import xarray as xr

from .labelled import Labelled, axis_of, position
from .measures import Measures

FORMAT_NAME = "trustsim-run"
SUPPORTED_MAJOR = 2  # 2.0: dimension scales, units and meaning on every dataset
REQUIRED_ATTRS = ("format_version", "complete", "scenario_name", "replicates",
                  "days", "seed", "software_version")
SWEEP_FORMAT_NAME = "trustsim-sweep"
SWEEP_SUPPORTED_MAJOR = 1
SWEEP_REQUIRED_ATTRS = ("format_version", "complete", "sweep_name", "sweep_hash", "design",
                        "seed", "replicates", "samples", "runs", "runs_ok", "runs_failed",
                        "runs_missing", "software_version")
DESIGNS = ("grid", "list", "lhs", "sobol")


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


def check_header(path, attrs: dict, fmt_name: str = FORMAT_NAME,
                 required=REQUIRED_ATTRS, major_supported: int = SUPPORTED_MAJOR) -> None:
    fmt = attrs.get("format")
    if fmt is None:
        raise FormatError(path, f"no 'format' attribute at the root: not a trustsim file "
                                f"(expected {fmt_name!r})")
    if fmt != fmt_name:
        hint = {SWEEP_FORMAT_NAME: " It is a merged sweep: open it with open_sweep().",
                FORMAT_NAME: " It is a run file: open it with open_run()."}.get(fmt, "")
        raise FormatError(path, f"format is {fmt!r}, expected {fmt_name!r}.{hint}")
    missing = [a for a in required if a not in attrs]
    if missing:
        raise FormatError(path, f"root attributes missing: {', '.join(missing)}")
    major, _ = parse_version(path, attrs["format_version"])
    if major != major_supported:
        again = ("rerun the scenario with this trustsim" if major < major_supported
                 else "use the analysis code that matches the trustsim version that wrote the file")
        raise FormatError(
            path, f"format_version {attrs['format_version']} is not supported: this reader "
                  f"understands {fmt_name} {major_supported}.x only; {again}")
    if int(attrs["complete"]) != 1:
        what = ("the merge is incomplete" if fmt_name == SWEEP_FORMAT_NAME
                else "the run is incomplete")
        again = "merge the sweep again" if fmt_name == SWEEP_FORMAT_NAME else "rerun the scenario"
        raise FormatError(path, f"{what} (complete={attrs['complete']}): trustsim did not "
                                f"finish writing this file; {again}")


def _open_h5(path):
    path = Path(path)
    if not path.is_file():
        raise FormatError(path, "no such file")
    try:
        return path, h5py.File(path, "r")
    except OSError as e:
        raise FormatError(path, f"not a readable HDF5 file ({e})") from None


def file_format(path) -> str:
    """The root 'format' attribute ('' when there is none); raises FormatError for a
    missing or unreadable file."""
    path, f = _open_h5(path)
    with f:
        return str(_text(f.attrs.get("format", "")))


def open_file(path):
    """A Run or a Sweep, whichever the file's 'format' attribute says it is."""
    if file_format(path) == SWEEP_FORMAT_NAME:
        return open_sweep(path)
    return open_run(path)  # refuses anything else with the run format's message


def open_run(path) -> "Run":
    path, f = _open_h5(path)
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

    def dataset(self, group: str = "series") -> xr.Dataset:
        """A whole group (series, detentions, neighbourhoods, snapshots, axes) as an
        xarray.Dataset, read into memory. Durations stay numbers (decode_timedelta=False)."""
        key = f"dataset:{group}"
        if key not in self._cache:
            try:
                with xr.open_dataset(self.path, engine="h5netcdf", group=group,
                                     decode_timedelta=False) as ds:
                    self._cache[key] = ds.load()
            except (OSError, ValueError, KeyError) as e:
                raise FormatError(self.path, f"group /{group} cannot be read as labelled "
                                             f"arrays ({e})") from None
        return self._cache[key]

    def series(self, name: str) -> "Series":
        """A /series dataset as an xarray.DataArray [replicate, day, ...], labelled by
        the file's dimension scales, with its units and meaning as attributes."""
        key = f"series:{name}"
        if key not in self._cache:
            if not self.has(f"series/{name}"):
                raise FormatError(self.path, f"dataset series/{name} is missing")
            try:
                with xr.open_dataset(self.path, engine="h5netcdf", group="series",
                                     decode_timedelta=False) as ds:
                    da = ds[name].load()
            except (OSError, ValueError) as e:
                raise FormatError(self.path, f"series/{name} cannot be read as a labelled "
                                             f"array ({e})") from None
            dims = tuple(d.strip() for d in str(da.attrs.get("dims", "")).split(",") if d.strip())
            if dims and dims != da.dims:
                raise FormatError(self.path, f"series/{name}: dims attribute {da.attrs['dims']!r}"
                                             f" does not match its dimension scales {da.dims}")
            self._cache[key] = Series(da.drop_vars([c for c in da.coords if c not in da.dims]))
        return self._cache[key]

    def labelled(self, name: str) -> Labelled:
        """A /series dataset as a Labelled array read with h5py alone, labelled by its dims
        attribute and /axes: the same values, dims and labels as series() gives, a hundred
        times faster (xarray opens the whole group for each series), which the report and
        scripts/decompose pay on every file. A dataset whose dims attribute or axes do not
        fit its shape goes through series(), which says what is wrong."""
        values, attrs = self._read(f"series/{name}")
        dims = tuple(d.strip() for d in str(attrs.get("dims", "")).split(",") if d.strip())
        coords = {d: np.asarray(self.coord(d)) for d in dims
                  if d == "replicate" or d in self.axes}
        if len(dims) != values.ndim or len(coords) != len(dims) or any(
                len(coords[d]) != n for d, n in zip(dims, values.shape)):
            return Labelled.from_xarray(self.series(name))
        return Labelled(np.asarray(values), dims, coords, str(attrs.get("units", "")),
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
                "pathway", "charge", "status", "record", "outcome", "outcome_day")
        return {c: self._read(f"detentions/{c}")[0] for c in cols}

    def resolved_yaml(self) -> str:
        return str(_text(self._read("scenario/resolved_yaml")[0]))


class Series(xr.DataArray):
    """An xarray.DataArray that also answers the two questions of the reader's
    former labelled array, axis(dim) and index(dim, label), for code written
    against it (xarray subclasses survive sel, sum and friends)."""
    __slots__ = ()

    def axis(self, dim: str) -> int:
        return axis_of(self.dims, dim)

    def index(self, dim: str, label) -> int:
        return position(self.indexes[dim], dim, label)


# --- merged sweeps ("trustsim-sweep") -------------------------------------------------

RUN_STATUS = ("ok", "failed", "missing")  # /runs/status codes 0, 1, 2
SENSITIVITY_FIELDS = ("first_order", "first_order_low", "first_order_high",
                      "total_order", "total_order_low", "total_order_high")
def open_sweep(path) -> "Sweep":
    """A merged sweep file, checked for format, major version, completeness and a
    runs table in the documented order before anything is returned."""
    path, f = _open_h5(path)
    with f:
        attrs = {k: _text(v) for k, v in f.attrs.items()}
        check_header(path, attrs, SWEEP_FORMAT_NAME, SWEEP_REQUIRED_ATTRS,
                     SWEEP_SUPPORTED_MAJOR)
        for group in ("axes", "design", "runs", "outputs", "sweep"):
            if group not in f:
                raise FormatError(path, f"group /{group} is missing")
        axes = {k: _labels(ds[()]) for k, ds in f["axes"].items()}
        for name in ("parameter", "parameter_units", "analysed_output", "scenario", "output",
                     "output_units"):
            if name not in axes:
                raise FormatError(path, f"axis /axes/{name} is missing")
        need = [f"runs/{c}" for c in ("point", "scenario", "replicate", "seed", "status",
                                      "error", "wall_seconds", "parameters")]
        need += ["design/values", "design/text", "outputs/values"]
        absent = [n for n in need if n not in f]
        if absent:
            raise FormatError(path, f"datasets missing: {', '.join(absent)}")
        runs = {c: _labels(f[f"runs/{c}"][()]) for c in ("point", "scenario", "replicate",
                                                          "status", "error", "wall_seconds",
                                                          "parameters")}
        runs["seed"] = np.asarray(f["runs/seed"][()], dtype=np.uint64)
        design = np.asarray(f["design/values"][()], dtype=float)
        text = _labels(f["design/text"][()])
        values = np.asarray(f["outputs/values"][()], dtype=float)
        sens = None
        if "sensitivity" in f:
            g = f["sensitivity"]
            missing = [n for n in SENSITIVITY_FIELDS + ("output",) if n not in g]
            if missing:
                raise FormatError(path, f"/sensitivity lacks {', '.join(missing)}")
            sens = {n: np.asarray(g[n][()], dtype=float) for n in SENSITIVITY_FIELDS}
            sens["output"] = _labels(g["output"][()])
            sens["attrs"] = {k: _text(v) for k, v in g.attrs.items()}
        sweep_text = {k: _text(f[f"sweep/{k}"][()]) for k in ("file", "yaml")
                      if f"sweep/{k}" in f}
        for k in ("scenario_paths", "scenario_yaml"):
            if f"sweep/{k}" in f:
                sweep_text[k] = list(_labels(f[f"sweep/{k}"][()]))
    sw = Sweep(path=path, attrs=attrs, axes=axes, design_values=design,
               design_text=text, runs=runs, values=values, sensitivity_data=sens,
               sweep_text=sweep_text)
    sw._check()
    return sw


@dataclass
class Sweep:
    """A merged sweep: design points x replicates x base scenarios, one row per run."""
    path: Path
    attrs: dict
    axes: dict
    design_values: np.ndarray      # [point, parameter]
    design_text: np.ndarray        # [point * parameter] as written in YAML, row-major
    runs: dict                     # the /runs table, one entry per run
    values: np.ndarray             # /outputs/values [run, output]
    sensitivity_data: dict | None  # /sensitivity (Sobol designs only)
    sweep_text: dict               # /sweep: file, yaml, scenario_paths, scenario_yaml

    # --- header -------------------------------------------------------------
    @property
    def name(self) -> str:
        return str(self.attrs["sweep_name"])

    @property
    def design(self) -> str:
        return str(self.attrs["design"])

    @property
    def replicates(self) -> int:
        return int(self.attrs["replicates"])

    @property
    def seed(self) -> int:
        return int(self.attrs["seed"])

    @property
    def parameters(self) -> list:
        return [str(p) for p in self.axes["parameter"]]

    @property
    def scenarios(self) -> list:
        return [str(s) for s in self.axes["scenario"]]

    @property
    def output_names(self) -> list:
        return [str(o) for o in self.axes["output"]]

    @property
    def points(self) -> int:
        return int(self.design_values.shape[0])

    @property
    def counts(self) -> dict:
        """Runs by status, from the runs table (the header's runs_* must agree)."""
        st = np.asarray(self.runs["status"])
        return {name: int(np.sum(st == code)) for code, name in enumerate(RUN_STATUS)}

    def _check(self) -> None:
        P, K = self.design_values.shape if self.design_values.ndim == 2 else (-1, -1)
        S, R = len(self.scenarios), self.replicates
        N = int(self.attrs["runs"])
        bad = []
        if self.design not in DESIGNS:
            bad.append(f"design {self.design!r} is not one of {', '.join(DESIGNS)}")
        if K != len(self.parameters):
            bad.append(f"/design/values has shape {self.design_values.shape} but there are "
                       f"{len(self.parameters)} parameters")
        if len(self.design_text) != max(P, 0) * max(K, 0):
            bad.append(f"/design/text has {len(self.design_text)} entries, expected {P}x{K}")
        if N != P * R * S:
            bad.append(f"runs={N} but points x replicates x scenarios = {P}x{R}x{S}")
        if self.values.shape != (N, len(self.output_names)):
            bad.append(f"/outputs/values has shape {self.values.shape}, expected "
                       f"({N}, {len(self.output_names)})")
        if len(self.axes["output_units"]) != len(self.output_names):
            bad.append("/axes/output_units and /axes/output differ in length")
        for c in ("point", "scenario", "replicate", "seed", "status", "error",
                  "wall_seconds"):
            if len(self.runs[c]) != N:
                bad.append(f"/runs/{c} has {len(self.runs[c])} rows, expected {N}")
        if not bad:
            i = np.arange(N)
            want = {"scenario": i % S, "replicate": (i // S) % R, "point": i // (S * R)}
            for c, w in want.items():
                if not np.array_equal(np.asarray(self.runs[c], dtype=np.int64), w):
                    bad.append(f"/runs/{c} is not in the documented run order "
                               f"(index = (point*replicates + replicate)*scenarios + scenario)")
            if not np.isin(self.runs["status"], (0, 1, 2)).all():
                bad.append("/runs/status holds codes other than 0 ok, 1 failed, 2 missing")
            header = {n: int(self.attrs[f"runs_{n}"]) for n in RUN_STATUS}
            if header != self.counts:
                bad.append(f"header counts {header} disagree with /runs/status {self.counts}")
        if self.sensitivity_data is not None and not bad:
            shape = (S, len(self.sensitivity_data["output"]), K)
            for n in SENSITIVITY_FIELDS:
                if self.sensitivity_data[n].shape != shape:
                    bad.append(f"/sensitivity/{n} has shape {self.sensitivity_data[n].shape}, "
                               f"expected [scenario, output, parameter] = {shape}")
            unknown = [o for o in self.sensitivity_data["output"] if o not in self.output_names]
            if unknown:
                bad.append(f"/sensitivity/output names unknown outputs {unknown}")
        if bad:
            raise FormatError(self.path, "inconsistent merged sweep: " + "; ".join(bad))

    def provenance(self) -> dict:
        """What produced this file, for the report's sources table."""
        keys = ("sweep_name", "design", "seed", "replicates", "samples", "runs",
                "software_version", "git_revision", "run_git_revisions", "sweep_hash",
                "format_version", "created")
        return {"file": self.path.name, "sweep_file": self.sweep_text.get("file", ""),
                "scenario_files": ", ".join(self.sweep_text.get("scenario_paths", [])),
                **{k: self.attrs.get(k, "") for k in keys}}

    # --- labels -------------------------------------------------------------
    def output_units(self, name: str) -> str:
        return str(self.axes["output_units"][self._output_index(name)])

    def parameter_units(self, name: str) -> str:
        """The registry unit of a swept parameter ('' when it has none)."""
        return str(self.axes["parameter_units"][self.parameters.index(name)])

    def _output_index(self, name: str) -> int:
        try:
            return self.output_names.index(name)
        except ValueError:
            raise KeyError(f"{self.path.name}: no output {name!r}") from None

    def analysed_outputs(self) -> list:
        """The outputs the sweep file asked to analyse (its `outputs:`), in its order."""
        return [str(o) for o in self.axes["analysed_output"]]

    def point_text(self, point: int, parameter: str) -> str:
        """A design value as written in YAML (e.g. '0.65', 'true')."""
        K = len(self.parameters)
        return str(self.design_text[point * K + self.parameters.index(parameter)])

    # --- data ---------------------------------------------------------------
    def outputs(self) -> pd.DataFrame:
        """One row per run: its point, scenario, replicate, seed, status and error, the
        value of each swept parameter, and each output (NaN where the run is not ok).
        Units of the parameter and output columns are in df.attrs["units"]."""
        scenarios = np.asarray(self.scenarios, dtype=object)
        df = pd.DataFrame({
            "point": np.asarray(self.runs["point"], dtype=np.int64),
            "scenario": scenarios[np.asarray(self.runs["scenario"], dtype=np.int64)],
            "replicate": np.asarray(self.runs["replicate"], dtype=np.int64),
            "seed": self.runs["seed"],
            "status": np.asarray(RUN_STATUS, dtype=object)[np.asarray(self.runs["status"],
                                                                        dtype=np.int64)],
            "error": self.runs["error"],
            "wall_seconds": np.asarray(self.runs["wall_seconds"], dtype=float)})
        df.index.name = "run"
        params = np.asarray(self.runs["parameters"], dtype=float).reshape(len(df), -1)
        for k, p in enumerate(self.parameters):
            df[p] = params[:, k]
        for k, o in enumerate(self.output_names):
            df[o] = self.values[:, k]
        df.attrs["units"] = {**{p: self.parameter_units(p) for p in self.parameters},
                             **{o: self.output_units(o) for o in self.output_names}}
        return df

    def output(self, name: str) -> Labelled:
        """One output as [point, replicate, scenario]; NaN where a run is not ok."""
        P, R, S = self.points, self.replicates, len(self.scenarios)
        v = self.values[:, self._output_index(name)].reshape(P, R, S)
        return Labelled(v, ("point", "replicate", "scenario"),
                        {"point": np.arange(P), "replicate": np.arange(R),
                         "scenario": np.asarray(self.scenarios, dtype=object)},
                        self.output_units(name), name)

    def run_status(self) -> Labelled:
        """Status code per run as [point, replicate, scenario] (0 ok, 1 failed, 2 missing)."""
        P, R, S = self.points, self.replicates, len(self.scenarios)
        st = np.asarray(self.runs["status"], dtype=int).reshape(P, R, S)
        return Labelled(st, ("point", "replicate", "scenario"),
                        {"point": np.arange(P), "replicate": np.arange(R),
                         "scenario": np.asarray(self.scenarios, dtype=object)})

    def parameter_values(self, name: str) -> np.ndarray:
        """The design value of one parameter at each point."""
        return self.design_values[:, self.parameters.index(name)]

    def sensitivity(self, field_name: str) -> Labelled:
        """A Sobol index field as [scenario, output, parameter]; KeyError if not Sobol."""
        if self.sensitivity_data is None:
            raise KeyError(f"{self.path.name}: a {self.design} design has no sensitivity "
                           "indices (only Sobol designs do)")
        return Labelled(self.sensitivity_data[field_name], ("scenario", "output", "parameter"),
                        {"scenario": np.asarray(self.scenarios, dtype=object),
                         "output": self.sensitivity_data["output"],
                         "parameter": np.asarray(self.parameters, dtype=object)})

    @property
    def sensitivity_attrs(self) -> dict:
        return dict((self.sensitivity_data or {}).get("attrs", {}))

    def summary_series(self, name: str) -> Labelled:
        """A /summary_series dataset labelled by its 'dims' attribute ([run, period, ...])."""
        with h5py.File(self.path, "r") as f:
            if f"summary_series/{name}" not in f:
                raise FormatError(self.path, f"dataset summary_series/{name} is missing")
            ds = f[f"summary_series/{name}"]
            values, attrs = ds[()], {k: _text(v) for k, v in ds.attrs.items()}
        dims = tuple(d.strip() for d in str(attrs.get("dims", "")).split(",") if d.strip())
        if len(dims) != values.ndim:
            raise FormatError(self.path, f"summary_series/{name}: dims attribute "
                                         f"{attrs.get('dims')!r} does not match its "
                                         f"{values.ndim} dimensions")
        coords = {"run": np.arange(values.shape[0])}
        for d, n in zip(dims[1:], values.shape[1:]):
            key = "period_start_day" if d == "period" else d
            if key not in self.axes or len(self.axes[key]) != n:
                raise FormatError(self.path, f"summary_series/{name}: dim {d} has length {n} "
                                             f"but no axis /axes/{key} of that length")
            coords[d] = self.axes[key]
        return Labelled(values, dims, coords, str(attrs.get("units", "")),
                        str(attrs.get("meaning", "")))


# --- channel decompositions ("trustsim-decomposition", analysis/decompose.py) -----------

DECOMPOSITION_FORMAT_NAME = "trustsim-decomposition"
DECOMPOSITION_REQUIRED_ATTRS = ("format_version", "complete", "scenario_name", "reference_name",
                                "residents", "days", "window_start", "window_end",
                                "replicates", "seed")


@dataclass
class Decomposition:
    """One scenario's effect against a reference split by learning channel."""
    path: Path
    attrs: dict
    effect: np.ndarray           # [channel, group, measure]; last channel row is 'total'
    by_replicate: np.ndarray     # [replicate, channel, group, measure]
    reference_level: np.ndarray  # [group, measure]
    channels: list               # ids: own, ties, ..., interaction, total
    words: list                  # the same in plain words
    groups: list
    measures: list

    @property
    def name(self) -> str:
        return str(self.attrs["scenario_name"])

    @property
    def reference_name(self) -> str:
        return str(self.attrs["reference_name"])


def open_decomposition(path) -> Decomposition:
    """A decomposition.h5, checked like a run file (format 1.x, complete); a 1.0 file lacks
    what the report states and is refused with the command that rewrites it."""
    path, f = _open_h5(path)
    with f:
        attrs = {k: _text(v) for k, v in f.attrs.items()}
        try:
            check_header(path, attrs, DECOMPOSITION_FORMAT_NAME, DECOMPOSITION_REQUIRED_ATTRS,
                         1)
        except FormatError as e:
            raise FormatError(path, f"{e.reason}; rewrite it with scripts/decompose") from None
        names = ("effect", "effect_by_replicate", "reference_level", "channel",
                 "channel_label", "group", "measure")
        absent = [n for n in names if n not in f]
        if absent:
            raise FormatError(path, f"datasets missing: {', '.join(absent)}")
        d = {n: f[n][()] for n in names}
    labels = {n: [str(x) for x in _labels(d[n])] for n in ("channel", "channel_label", "group",
                                                          "measure")}
    shape = (len(labels["channel"]), len(labels["group"]), len(labels["measure"]))
    if d["effect"].shape != shape or d["effect_by_replicate"].shape[1:] != shape:
        raise FormatError(path, f"effect has shape {d['effect'].shape}, its labels say {shape}")
    return Decomposition(path, attrs, np.asarray(d["effect"], float),
                         np.asarray(d["effect_by_replicate"], float),
                         np.asarray(d["reference_level"], float), labels["channel"],
                         labels["channel_label"], labels["group"], labels["measure"])
