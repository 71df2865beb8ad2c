"""Extension point for sweep charts (not implemented: the sweep format does not exist yet).

Planned, once the engine writes a merged sweep file (its own format name, e.g.
"trustsim-sweep", one row per run with its parameters and summary outputs):
- a heatmap of one output over two swept parameters;
- sensitivity-index bars (one bar per parameter).

To add them: write reader.open_sweep() (checking that format's name and major
version the way open_run does), give this module a make(ctx) that returns Chart
records like the other modules, and let report.build_report() open sweep files
with it and run charts.SWEEP_MODULES on them. Until then the reader refuses a
sweep file with a clear message.
"""
from __future__ import annotations

SECTION = "Parameter sweeps"


def make(ctx) -> list:
    return []
