"""Means and 95% confidence intervals across replicates.

Kept free of scipy (not in scripts/install-deps): Student's t quantiles for
small samples come from a table, and from 30 replicates on the normal
quantile is used, as the project's analysis guidance asks.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# t_{0.975} for degrees of freedom 1..29 (two-sided 95%).
_T975 = np.array([
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045,
])
Z975 = 1.959964
NORMAL_FROM = 30  # replicates from which the normal quantile replaces t
SHARE = (0.0, 1.0)         # bounds for shares and 0-1 scores
SHARE_DIFF = (-1.0, 1.0)   # bounds for differences of those (and correlations)
NONNEG = (0.0, np.inf)     # bounds for counts and rates


def t_multiplier(n_samples) -> np.ndarray:
    """95% multiplier for a mean of n samples; NaN where n < 2 (no band)."""
    n = np.asarray(n_samples, dtype=float)
    return _multiplier_df(n - 1, normal=n >= NORMAL_FROM)


def _multiplier_df(df, normal) -> np.ndarray:
    df = np.asarray(df, dtype=float)
    # Non-integer (Welch) df round down, which widens the interval slightly.
    idx = np.clip(np.floor(np.nan_to_num(df, nan=0.0)), 1, len(_T975)).astype(int) - 1
    out = np.where(normal, Z975, _T975[idx])
    return np.where(df >= 1, out, np.nan)


@dataclass(frozen=True)
class CI:
    """Mean and 95% interval; lo/hi are NaN when fewer than 2 samples."""
    mean: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    n: np.ndarray

    def item(self, *index) -> "CI":
        """The interval at one position, as scalars."""
        return CI(*(np.asarray(a)[index] if np.ndim(a) else a
                    for a in (self.mean, self.lo, self.hi, self.n)))

    @property
    def has_band(self) -> bool:
        return bool(np.all(np.asarray(self.n) >= 2))

    def clip(self, bounds) -> "CI":
        """Keep the interval inside the quantity's possible range (e.g. 0-1 for a share):
        with few replicates a t interval can otherwise claim a negative share."""
        if bounds is None:
            return self
        lo, hi = bounds
        return CI(self.mean, np.clip(self.lo, lo, hi), np.clip(self.hi, lo, hi), self.n)


def mean_ci(samples, axis: int = 0, bounds=None) -> CI:
    """Mean across `axis` (replicates) with a t-based 95% interval, NaN-aware."""
    x = np.asarray(samples, dtype=float)
    n = np.sum(~np.isnan(x), axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.nansum(x, axis=axis)
        mean = np.where(n > 0, total / np.maximum(n, 1), np.nan)
        dev = np.where(np.isnan(x), 0.0, x - np.expand_dims(mean, axis))
        var = np.sum(dev ** 2, axis=axis) / np.maximum(n - 1, 1)
        half = t_multiplier(n) * np.sqrt(var / np.maximum(n, 1))
    half = np.where(n >= 2, half, np.nan)
    return CI(mean, mean - half, mean + half, n).clip(bounds)


def diff_ci(a, b, paired: bool, axis: int = 0, bounds=None) -> CI:
    """Mean of a minus mean of b with a 95% interval.

    Paired (replicate i of a against replicate i of b) when both runs share
    seeds, so common random numbers cancel; otherwise Welch's interval.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if paired:
        return mean_ci(a - b, axis=axis, bounds=bounds)
    ca, cb = mean_ci(a, axis=axis), mean_ci(b, axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        va = np.nanvar(a, axis=axis, ddof=1) / ca.n
        vb = np.nanvar(b, axis=axis, ddof=1) / cb.n
        se = np.sqrt(va + vb)
        df = (va + vb) ** 2 / (va ** 2 / (ca.n - 1) + vb ** 2 / (cb.n - 1))
    df = np.where(se > 0, df, np.minimum(ca.n, cb.n) - 1)
    normal = np.minimum(ca.n, cb.n) >= NORMAL_FROM
    half = _multiplier_df(df, normal) * se
    ok = (ca.n >= 2) & (cb.n >= 2)
    half = np.where(ok, half, np.nan)
    mean = ca.mean - cb.mean
    return CI(mean, mean - half, mean + half, np.minimum(ca.n, cb.n)).clip(bounds)


def trailing_sum(x, window: int, axis: int) -> np.ndarray:
    """Sum over the `window` days up to and including each day.

    Days before a full window are NaN, so a rolling rate never mixes
    windows of different lengths.
    """
    x = np.moveaxis(np.asarray(x, dtype=float), axis, 0)
    if window <= 1:
        return np.moveaxis(x.copy(), 0, axis)
    c = np.cumsum(x, axis=0)
    out = np.full_like(c, np.nan)
    out[window - 1:] = c[window - 1:]
    out[window:] -= c[:-window]
    return np.moveaxis(out, 0, axis)


def ratio(num, den) -> np.ndarray:
    """num/den with NaN where den is 0 (a rate with nothing to count)."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
