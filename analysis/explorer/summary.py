"""What the explorer shows for one scenario run against its baseline run: numbers with
95% intervals by group, and the daily lines for its charts.

Kept apart from the server so the browser test (and anyone) can compute the same JSON
from two run files made by `trustsim run` with the same settings:
    python3 -m analysis.explorer.summary SCENARIO.h5 BASELINE.h5
"""
from __future__ import annotations

import json
import sys

import numpy as np
import yaml

from ..brief import resolved_yaml
from ..charts.detentions import per_resident_year
from ..measures import ALL, PER_RESIDENTS
from ..reader import open_run
from ..report import group_windows
from ..stats import NONNEG, SHARE, SHARE_DIFF, diff_ci, mean_ci
from ..text import clean, group_label

KNOBS = ("detainers", "jail_screening", "designated_officer_share", "profiling_multiplier",
         "joint_operations_per_100k_month", "publicity", "outreach_per_1000_day")


def _ci(c) -> dict:
    f = [float(np.asarray(v)) for v in (c.mean, c.lo, c.hi)]
    return {"mean": _num(f[0]), "lo": _num(f[1]), "hi": _num(f[2]), "n": int(np.asarray(c.n)),
            "clear": bool(np.asarray(c.n) >= 2 and (f[1] > 0 or f[2] < 0))}


def _num(x):
    return None if x is None or not np.isfinite(x) else round(float(x), 6)


def _series(values) -> list:
    return [_num(v) for v in np.asarray(values, dtype=float)]


def measures(run) -> dict:
    """Per-replicate values by measure (and group) over the whole run."""
    rep = run.reporting_rate(days=(0, run.days))
    trust = run.weighted_mean("trust_mean")
    groups = [str(g) for g in rep.coords["group"]]
    out = {f"reporting.{g}": rep.values[:, i] for i, g in enumerate(groups)}
    out.update({f"trust.{g}": trust.values[:, -1, i] for i, g in enumerate(groups)})
    out["detentions"] = per_resident_year(run, run.detention_counts().values)
    out["crime"] = run.crime_rate(days=(0, run.days)).values.sum(axis=1)
    return out, groups


def policy(run) -> dict:
    """The first jurisdiction's resolved policy knobs, as the run used them."""
    doc = yaml.safe_load(resolved_yaml(run)) or {}
    pol = ((doc.get("jurisdictions") or [{}])[0] or {}).get("policy") or {}
    return {k: pol[k] for k in KNOBS if k in pol}


def summarise(scenario_path, baseline_path) -> dict:
    run, ref = open_run(scenario_path), open_run(baseline_path)
    if run.days != ref.days:
        raise ValueError("the scenario and its baseline must have the same length")
    m, groups = measures(run)
    m0, _ = measures(ref)
    paired = run.seed == ref.seed and run.replicates == ref.replicates
    rows = []
    for key in m:
        kind = key.split(".")[0]
        bounds = SHARE if kind in ("reporting", "trust") else NONNEG
        dbounds = SHARE_DIFF if kind in ("reporting", "trust") else None
        g = key.split(".", 1)[1] if "." in key else ALL
        rows.append({"key": key, "measure": kind, "group": g, "group_label": group_label(g),
                     "scenario": _ci(mean_ci(m[key], bounds=bounds)),
                     "baseline": _ci(mean_ci(m0[key], bounds=bounds)),
                     "difference": _ci(diff_ci(m[key], m0[key], paired, bounds=dbounds))})
    windows = group_windows([run, ref])
    lines = {}
    for name, r in (("scenario", run), ("baseline", ref)):
        trust = r.weighted_mean("trust_mean")
        rep = {}
        for i, g in enumerate(groups):
            w = windows.get(g, max(windows.values()))
            rep[g] = _series(mean_ci(r.reporting_rate(window=w).values[:, :, i],
                                     bounds=SHARE).mean)
        lines[name] = {"reporting": rep,
                       "trust": {g: _series(mean_ci(trust.values[:, :, i], bounds=SHARE).mean)
                                 for i, g in enumerate(groups)}}
    changes = [{"day": c.day, "label": clean(c.label), "jurisdiction": clean(c.jurisdiction)}
               for c in run.policy_changes() if 0 < c.day < run.days]
    return {"scenario": clean(run.name), "baseline": clean(ref.name), "days": run.days,
            "replicates": run.replicates, "seed": run.seed, "paired": paired,
            "residents": int(round(float(np.mean(run.resident_days().values[:, 0])))),
            "per": PER_RESIDENTS, "groups": groups, "rows": rows, "lines": lines,
            "windows": windows, "changes": changes, "policy": policy(run)}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python3 -m analysis.explorer.summary SCENARIO.h5 BASELINE.h5",
              file=sys.stderr)
        return 2
    print(json.dumps(summarise(*argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
