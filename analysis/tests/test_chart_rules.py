"""Rules every chart follows, on the helpers the charts use: policy-change days marked on
time series, shares on their whole 0-1 axis, jurisdiction borders drawn on maps, and per-group
rolling windows that hold enough victimisations to keep the plotted lines within ~3 points."""
from types import SimpleNamespace

import numpy as np
from matplotlib.collections import LineCollection

from analysis.charts.base import mark_changes, new_figure, share_axis
from analysis.charts.maps import borders
from analysis.reader import PolicyChange
from analysis.report import MIN_PER_WINDOW, WINDOWS, _window


def test_policy_changes_are_marked_after_day_0():
    run = SimpleNamespace(days=730, policy_changes=lambda: [
        PolicyChange(0, "city", "sanctuary"), PolicyChange(365, "city", "287g_task_force")])
    fig, ax = new_figure()
    mark_changes(ax, run)
    xs = [line.get_xdata()[0] for line in ax.get_lines()]
    assert xs == [365]
    assert any("day 365: 287g_task_force" in t.get_text() for t in ax.texts)


def test_share_axes_run_from_0_to_1():
    fig, ax = new_figure()
    ax.plot([0, 1], [0.52, 0.55])
    share_axis(ax)
    assert ax.get_ylim() == (0.0, 1.0)


def test_borders_follow_the_jurisdictions():
    fig, ax = new_figure()
    x, y = np.meshgrid(np.arange(4.0), np.arange(3.0))
    jur = (x.ravel() >= 2).astype(int)  # west: columns 0-1, east: 2-3
    assert borders(ax, x.ravel(), y.ravel(), jur) == 3  # one vertical edge per row
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert all(seg[0][0] == seg[1][0] == 1.5 for seg in lines.get_segments())
    fig, ax = new_figure()
    assert borders(ax, x.ravel(), y.ravel(), np.zeros(12, int)) == 0


def test_group_windows_hold_enough_victimisations():
    # 13 victimisations a day pooled over replicates -> 91 days; 330 a day -> 7 days.
    assert _window(330.0, 730) == 7
    assert _window(60.0, 730) == 28 and 60.0 * 28 >= MIN_PER_WINDOW
    assert _window(1.0, 730) == WINDOWS[-1]
    assert _window(1.0, 30) == 30  # never longer than the run
    half_width = 1.96 * np.sqrt(0.25 / MIN_PER_WINDOW)
    assert half_width <= 0.03
