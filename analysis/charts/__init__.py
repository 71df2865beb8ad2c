"""Chart families, in the order the report shows them.

Each module has make(ctx: base.Context) -> list[base.Chart] and reads data
only through the reader (reader.Run; decomposition: reader.Decomposition).
"""
from . import (clearance, comparison, court, decomposition, detentions, maps, officers,
               reporting, switch, sweep, trust_fear)

RUN_MODULES = [comparison, reporting, decomposition, switch, detentions, trust_fear, clearance,
               court, officers, maps]
SWEEP_MODULES = [sweep]  # extension point: see charts/sweep.py
