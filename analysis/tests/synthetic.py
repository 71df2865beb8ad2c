"""A synthetic trustsim-run file written with h5py, following
docs/output-format.draft.md dataset by dataset.

Only for reader unit tests and the format-refusal tests: chart and report
tests run on real engine output (see conftest.py). The numbers come from a
toy process (Poisson crimes, binomial reporting) so the file is plausible,
not a model result.
"""
from __future__ import annotations

import h5py
import numpy as np

GROUPS = ["citizen_non_immigrant", "citizen_immigrant_origin", "lawful_noncitizen",
          "undocumented", "mixed_status"]
SHARES = np.array([0.66, 0.15, 0.15, 0.04, 0.065])
CRIME_TYPES = ["violent", "property"]
PATHWAYS = ["stop", "detainer", "at_large", "collateral", "joint_operation"]
RECORDS = ["none", "non_violent", "violent"]
STATUSES = ["citizen", "lawful_noncitizen", "undocumented"]
TASKS = ["patrol", "investigation", "immigration"]
QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9]
# Enforcement intensity per preset: drives fear, lower reporting, detentions.
INTENSITY = {"sanctuary": 0.0, "baseline": 0.3, "287g_jail": 0.6, "287g_task_force": 1.0,
             "task_force_cooperation": 1.2}
STR = h5py.string_dtype()


CHARGES = ["none", "violent_felony", "other_felony", "misdemeanour", "traffic_other"]


def _labels(g, name, values):
    g.create_dataset(name, data=np.array(values, dtype=object), dtype=STR)


def _series(g, name, data, dims, units, meaning):
    ds = g.create_dataset(name, data=data, chunks=True, compression="gzip")
    ds.attrs.update({"units": units, "meaning": meaning, "dims": dims})


def _scales(g, labels):
    """The group's dimensions as dimension scales, attached to every series by its dims
    (format 2.0, as the engine writes them)."""
    for name, values in labels.items():
        if isinstance(values, list):
            g.create_dataset(name, data=np.array(values, dtype=object), dtype=STR)
        else:
            g.create_dataset(name, data=values)
        g[name].make_scale(name)
        g[name].attrs.update({"units": "", "meaning": f"synthetic {name} labels"})
    for name, ds in g.items():
        if name in labels:
            continue
        for axis, dim in enumerate(str(ds.attrs["dims"]).split(",")):
            ds.dims[axis].attach_scale(g[dim])


def write_run(path, scenario="baseline", replicates=2, days=60, jurisdictions=("city",),
              residents=20000, seed=1, policy_changes=(), fmt="trustsim-run",
              format_version="2.0", complete=1, side=4):
    """Write a run file; policy_changes is a list of (day, jurisdiction index, preset)."""
    rng = np.random.default_rng(seed)
    R, D, J, G = replicates, days, len(jurisdictions), len(GROUPS)
    # Intensity by day and jurisdiction, following the policy schedule.
    level = np.full((D, J), INTENSITY.get(scenario, 0.3))
    for day, j, preset in sorted(policy_changes):
        level[day:, j] = INTENSITY[preset]
    pop = np.rint(np.broadcast_to(SHARES * residents / J, (R, D, J, G))).astype(np.int64)
    daily = np.array([0.02, 0.10]) / 365.0
    vic = rng.poisson(pop[..., None] * daily * 3)  # x3 keeps small files non-empty
    exposure = np.array([0.0, 0.2, 0.3, 1.0, 0.8])
    p = np.array([0.44, 0.31])[None, None, None, None, :] - 0.12 * (
        level[None, :, :, None, None] * exposure[None, None, None, :, None])
    reports = rng.binomial(vic, np.clip(p, 0.01, 0.99))
    reports_all = reports[:, :, :, :4].sum(axis=3)
    cleared = rng.binomial(reports_all, np.array([0.45, 0.17]))
    stops = rng.poisson(pop * 0.002 * (1 + exposure * level[None, :, :, None]))
    checks = rng.binomial(stops, np.clip(0.5 * level[None, :, :, None], 0, 1))
    det_rate = 0.02 * pop[:, :, :, :4].sum(-1)[..., None, None, None] / 1000 * (
        0.2 + level[None, :, :, None, None, None]) * np.ones((len(PATHWAYS), 3, 3))
    det = rng.poisson(det_rate * np.array([0.2, 0.3, 0.5])[:, None] * np.array(
        [0.05, 0.15, 0.8]))
    removals = rng.poisson(pop * 0.0001 * level[None, :, :, None] * (exposure > 0.5))
    hours = np.stack([np.full((R, D, J), 800.0), np.full((R, D, J), 300.0),
                      40.0 * np.broadcast_to(level, (R, D, J))], axis=-1)
    t0 = np.array([0.65, 0.62, 0.6, 0.55, 0.56])
    drift = 0.1 * level[None, :, :, None] * exposure * (np.arange(D) / D)[None, :, None, None]
    trust = t0 - drift + rng.normal(0, 0.003, (R, D, J, G))
    fear = 0.5 * exposure * (0.2 + level[None, :, :, None]) / 1.4 + rng.normal(
        0, 0.003, (R, D, J, G))
    fear = np.clip(fear, 0, 1)
    spread = np.array([-0.2, -0.1, 0.0, 0.1, 0.2])
    backlog = np.cumsum(det.sum(axis=(2, 3, 4, 5)), axis=1)
    wait = np.where(rng.random((R, D)) < 0.2, np.nan, 30 + backlog / 10.0)

    with h5py.File(path, "w") as f:
        f.attrs.update({
            "format": fmt, "format_version": format_version, "software_version": "0.0.0-synth",
            "git_revision": "synthetic", "seed": np.int64(seed),
            "created": "2024-01-01T00:00:00Z", "threads": np.int64(1),
            "complete": np.int64(complete), "scenario_name": scenario,
            "scenario_file": f"scenarios/{scenario}.yaml", "replicates": np.int64(R),
            "days": np.int64(D)})
        f.create_group("scenario").create_dataset(
            "resolved_yaml", data=f"name: {scenario}\nsimulation: {{days: {D}}}\n", dtype=STR)
        a = f.create_group("axes")
        for name, vals in (("group", GROUPS), ("jurisdiction", list(jurisdictions)),
                           ("crime_type", CRIME_TYPES), ("pathway", PATHWAYS),
                           ("record", RECORDS), ("status", STATUSES), ("task", TASKS),
                           ("charge", CHARGES),
                           ("policy_change_label", [c[2] for c in policy_changes])):
            _labels(a, name, vals)
        a.create_dataset("quantile", data=np.array(QUANTILES))
        a.create_dataset("day", data=np.arange(D, dtype=np.int64))
        a.create_dataset("policy_change_day", data=np.array(
            [c[0] for c in policy_changes], dtype=np.int64))
        a.create_dataset("policy_change_jurisdiction", data=np.array(
            [c[1] for c in policy_changes], dtype=np.int64))
        s = f.create_group("series")
        rdj = "replicate,day,jurisdiction"
        for name, data, dims, units in (
                ("population", pop, rdj + ",group", "residents"),
                ("victimisations", vic, rdj + ",group,crime_type", "crimes"),
                ("reports", reports, rdj + ",group,crime_type", "crimes"),
                ("cleared", cleared, rdj + ",crime_type", "crimes"),
                ("stops", stops, rdj + ",group", "stops"),
                ("status_checks", checks, rdj + ",group", "checks"),
                ("detentions", det[:, :, :, :, None] * np.eye(1, 5, dtype=det.dtype)[0][:, None, None],
                 rdj + ",pathway,charge,record,status", "detentions"),
                ("removals", removals, rdj + ",group", "residents"),
                ("releases", removals // 2, rdj + ",group", "residents"),
                ("children_affected", removals.sum(-1), rdj, "children"),
                ("officer_hours", hours, rdj + ",task", "hours"),
                ("trust_mean", trust, rdj + ",group", "0..1"),
                ("fear_mean", fear, rdj + ",group", "0..1"),
                ("belief_mean", fear, rdj + ",group", "0..1"),
                ("trust_quantiles", trust[..., None] + spread, rdj + ",group,quantile", "0..1"),
                ("fear_quantiles", np.clip(fear[..., None] + spread, 0, 1),
                 rdj + ",group,quantile", "0..1"),
                ("below_baseline_share", np.clip(drift * 5, 0, 1), rdj + ",group", "share"),
                ("court_backlog", backlog.astype(np.int64), "replicate,day", "cases"),
                ("court_mean_wait_days", wait, "replicate,day", "days")):
            _series(s, name, data, dims, units, f"synthetic {name}")
        _scales(s, {"replicate": np.arange(R, dtype=np.int64), "day": np.arange(D, dtype=np.int64),
                    "jurisdiction": list(jurisdictions), "group": GROUPS,
                    "crime_type": CRIME_TYPES, "pathway": PATHWAYS, "record": RECORDS,
                    "status": STATUSES, "task": TASKS, "quantile": np.array(QUANTILES),
                    "charge": CHARGES})
        _write_tables(f, rng, det, R, J, side, level)
    return path


def _write_tables(f, rng, det, R, J, side, level):
    n = side * side
    xs, ys = np.meshgrid(np.arange(side, dtype=float), np.arange(side, dtype=float))
    jur = (np.arange(n) * J // n).astype(np.int64)
    share = np.linspace(0.05, 0.6, n)
    nb = f.create_group("neighbourhoods")
    for name, data in (("jurisdiction", jur), ("x", xs.ravel()), ("y", ys.ravel()),
                       ("residents", np.full(n, 1000, dtype=np.int64)),
                       ("immigrant_origin_share", share)):
        nb.create_dataset(name, data=data)
    D = det.shape[1]
    snap_days = np.array([0, D - 1], dtype=np.int64)
    sn = f.create_group("snapshots")
    sn.create_dataset("day", data=snap_days)
    lvl = level[snap_days][:, jur]  # [S, N]
    trust = 0.65 - 0.1 * share * lvl + rng.normal(0, 0.01, (R, 2, n))
    sn.create_dataset("trust_mean", data=trust)
    sn.create_dataset("fear_mean", data=np.clip(0.3 * share * lvl + 0 * trust, 0, 1))
    sn.create_dataset("reporting_rate", data=np.clip(0.35 - 0.1 * share * lvl
                                                     + rng.normal(0, 0.02, (R, 2, n)), 0, 1))
    # One row per detention, consistent with /series/detentions.
    idx = np.argwhere(det > 0)
    rows = np.repeat(idx, det[tuple(idx.T)], axis=0)
    k = len(rows)
    outcome = rng.integers(0, 3, k)
    cols = {"replicate": rows[:, 0], "day": rows[:, 1], "resident": rng.integers(0, 10 ** 5, k),
            "household": rng.integers(0, 4 * 10 ** 4, k), "neighbourhood": rng.integers(0, n, k),
            "jurisdiction": rows[:, 2], "pathway": rows[:, 3], "charge": np.zeros(k, dtype=np.int64),
            "status": rows[:, 5],
            "record": rows[:, 4], "outcome": outcome,
            "outcome_day": np.where(outcome == 0, -1, rows[:, 1] + 5)}
    dg = f.create_group("detentions")
    for name, data in cols.items():
        dg.create_dataset(name, data=np.asarray(data, dtype=np.int64))
