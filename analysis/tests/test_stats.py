"""Unit tests of the replicate statistics."""
import numpy as np
import pytest
import scipy.stats  # scripts/install-deps installs python3-scipy: this test must run, not skip

from analysis.stats import Z975, diff_ci, mean_ci, t_multiplier, trailing_sum


def test_t_table_matches_scipy():
    for n in range(2, 30):
        assert t_multiplier(n) == pytest.approx(scipy.stats.t.ppf(0.975, n - 1), abs=6e-4)


def test_normal_quantile_from_30_replicates_and_no_band_for_one():
    assert t_multiplier(30) == pytest.approx(Z975)
    assert t_multiplier(29) == pytest.approx(2.048)
    ci = mean_ci(np.array([[0.3, 0.5]]), axis=0)
    assert np.all(ci.n == 1) and np.all(np.isnan(ci.lo)) and not ci.has_band


def test_mean_ci_by_hand():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    ci = mean_ci(x)
    half = 3.182 * np.std(x, ddof=1) / 2.0
    assert ci.mean == pytest.approx(2.5)
    assert (ci.lo, ci.hi) == pytest.approx((2.5 - half, 2.5 + half))


def test_mean_ci_ignores_nan_and_clips_to_bounds():
    ci = mean_ci(np.array([0.01, np.nan, 0.03]), bounds=(0, 1))
    assert ci.n == 2 and ci.mean == pytest.approx(0.02) and ci.lo == 0.0


def test_paired_difference_cancels_shared_noise():
    a = np.array([1.0, 5.0, 9.0])
    b = a - 1.0 + np.array([0.0, 0.01, -0.01])
    paired, welch = diff_ci(a, b, paired=True), diff_ci(a, b, paired=False)
    assert paired.mean == pytest.approx(welch.mean) == pytest.approx(1.0)
    assert paired.hi - paired.lo < 0.1 < welch.hi - welch.lo


def test_trailing_sum_leaves_partial_windows_empty():
    out = trailing_sum(np.arange(6.0), 3, axis=0)
    assert np.all(np.isnan(out[:2]))
    assert list(out[2:]) == [3.0, 6.0, 9.0, 12.0]
