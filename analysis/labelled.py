"""A small numpy labelled array for the derived measures the charts draw.

The reader hands out xarray objects (Run.series, Run.dataset); measures.py
computes rates and weighted means on plain numpy arrays held in a Labelled,
whose labels stay numpy arrays (what the charts index and format).
Labelled.from_xarray and to_xarray go between the two, so a measure can be
resampled, averaged or exported with xarray and pandas.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import xarray as xr


def axis_of(dims, dim: str) -> int:
    """The position of `dim` in `dims` (KeyError naming them if absent)."""
    try:
        return tuple(dims).index(dim)
    except ValueError:
        raise KeyError(f"no dim {dim!r} in {tuple(dims)}") from None


def position(labels, dim: str, label) -> int:
    """The position of `label` along `dim` (KeyError listing the labels if absent)."""
    labels = list(labels)
    if label not in labels:
        raise KeyError(f"{label!r} not in {dim}: {labels}")
    return labels.index(label)


@dataclass(frozen=True)
class Labelled:
    """values with named dims; coords[dim] holds that axis's labels."""
    values: np.ndarray
    dims: tuple
    coords: dict = field(default_factory=dict)
    units: str = ""
    meaning: str = ""

    @classmethod
    def from_xarray(cls, da: xr.DataArray) -> "Labelled":
        coords = {d: np.asarray(da.indexes[d]) if d in da.indexes else np.arange(n)
                  for d, n in zip(da.dims, da.shape)}
        return cls(np.asarray(da.values), tuple(da.dims), coords,
                   str(da.attrs.get("units", "")), str(da.attrs.get("meaning", "")))

    def to_xarray(self) -> xr.DataArray:
        """The same array as an xarray.DataArray (units and meaning as attributes)."""
        return xr.DataArray(self.values, dims=self.dims,
                            coords={d: self.coords[d] for d in self.dims if d in self.coords},
                            attrs={"units": self.units, "meaning": self.meaning})

    def to_pandas(self):
        """A pandas Series indexed by every dim (long format)."""
        return self.to_xarray().to_series()

    def axis(self, dim: str) -> int:
        return axis_of(self.dims, dim)

    def index(self, dim: str, label) -> int:
        return position(self.coords[dim], dim, label)

    def sel(self, **labels) -> "Labelled":
        """Pick one label per dim (drops the dim) or a list (keeps it)."""
        out = self
        for dim, label in labels.items():
            ax = out.axis(dim)
            if isinstance(label, (list, tuple)):
                idx = [out.index(dim, x) for x in label]
                coords = dict(out.coords, **{dim: np.asarray(label)})
                out = replace(out, values=np.take(out.values, idx, axis=ax),
                              coords=coords)
            else:
                vals = np.take(out.values, out.index(dim, label), axis=ax)
                out = out._drop(dim, vals)
        return out

    def isel(self, **positions) -> "Labelled":
        """Pick by position (drops the dim)."""
        out = self
        for dim, pos in positions.items():
            out = out._drop(dim, np.take(out.values, pos, axis=out.axis(dim)))
        return out

    def sum(self, *dims: str) -> "Labelled":
        out = self
        for dim in dims:
            out = out._drop(dim, out.values.sum(axis=out.axis(dim)))
        return out

    def _drop(self, dim: str, values) -> "Labelled":
        dims = tuple(d for d in self.dims if d != dim)
        coords = {k: v for k, v in self.coords.items() if k != dim}
        return replace(self, values=np.asarray(values), dims=dims, coords=coords)

    def transpose(self, *dims: str) -> "Labelled":
        return replace(self, values=np.transpose(self.values, [self.axis(d) for d in dims]),
                       dims=tuple(dims))
