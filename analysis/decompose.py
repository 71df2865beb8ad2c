"""What drives a policy's effect: its effect on each group's reporting rate, trust and fear,
split by the learning channel that carries it.

For a policy scenario P and a reference R (default: the baseline preset), both are run with
every channel on and then with each channel switched off in turn (learning.channel_*), all
with the same seed, so every run sees the same chances (common random numbers). A channel's
share is the effect it carries: the full effect minus the effect with that channel off.
Shares need not add up to the full effect (channels interact); what is left is reported as
"interaction".

    scripts/decompose scenarios/287g_task_force.yaml -o decomposition/   [--reference baseline]
        [--residents N] [--days D] [--replicates R] [--seed S] [--trustsim build/trustsim]

Writes decomposition.h5 (effect[channel, group, measure] with its labels and units),
decomposition.csv and decomposition.png (bars per group: "what drives the change").
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import h5py
import numpy as np

from .reader import open_run

CHANNELS = ("own", "ties", "household", "neighbourhood", "announcement")
CHANNEL_WORDS = {"own": "own police contacts", "ties": "family and friends (ties)",
                 "household": "removal of a household member", "neighbourhood": "operations seen nearby",
                 "announcement": "the policy's announcement", "interaction": "channels together"}
MEASURES = ("reporting_rate", "trust_mean", "fear_mean")
MEASURE_UNITS = {"reporting_rate": "share of victimisations reported",
                 "trust_mean": "0-1", "fear_mean": "0-1"}


def _run(trustsim: str, scenario: str, out: Path, sets: list) -> Path:
    cmd = [trustsim, "run", scenario, "-q", "-o", str(out)]
    for s in sets:
        cmd += ["--set", s]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"decompose: {' '.join(cmd)} failed:\n{done.stderr.strip()}")
    return out


def _measures(path: Path) -> tuple:
    """Per group (every group of the file): pooled reporting rate, last-day trust and fear
    means, each averaged over replicates; and the group labels."""
    run = open_run(path)
    groups = [str(g) for g in np.asarray(run.coord("group"))]
    rep = run.series("reports").values.sum(axis=(1, 2, 4)).astype(float)  # [R, group]
    vic = run.series("victimisations").values.sum(axis=(1, 2, 4)).astype(float)
    pop = run.series("population").values[:, -1].astype(float)  # [R, J, group]
    out = np.empty((len(groups), len(MEASURES)))
    with np.errstate(invalid="ignore", divide="ignore"):
        out[:, 0] = np.nanmean(rep / vic, axis=0)
        for k, name in enumerate(("trust_mean", "fear_mean"), start=1):
            v = run.series(name).values[:, -1].astype(float)  # [R, J, group]
            out[:, k] = np.nanmean((v * pop).sum(axis=1) / pop.sum(axis=1), axis=0)
    return out, groups


def decompose(scenario: str, reference: str, outdir: Path, sets: list, trustsim: str) -> dict:
    outdir.mkdir(parents=True, exist_ok=True)
    ref_file = reference if reference.endswith((".yaml", ".yml")) else None
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if ref_file is None:  # a preset name: a one-line scenario
            ref_file = str(tmp / "reference.yaml")
            Path(ref_file).write_text(f"name: {reference}\npolicy: {reference}\n")
        full_p, groups = _measures(_run(trustsim, scenario, tmp / "p.h5", sets))
        full_r, _ = _measures(_run(trustsim, ref_file, tmp / "r.h5", sets))
        full = full_p - full_r
        shares = []
        for ch in CHANNELS:
            off = sets + [f"learning.channel_{ch}=false"]
            p, _ = _measures(_run(trustsim, scenario, tmp / f"p_{ch}.h5", off))
            r, _ = _measures(_run(trustsim, ref_file, tmp / f"r_{ch}.h5", off))
            shares.append(full - (p - r))
    shares = np.array(shares)  # [channel, group, measure]
    interaction = full - shares.sum(axis=0)
    effect = np.concatenate([shares, interaction[None], full[None]])
    labels = list(CHANNELS) + ["interaction", "total"]
    with h5py.File(outdir / "decomposition.h5", "w") as f:
        f.attrs.update({"format": "trustsim-decomposition", "format_version": "1.0",
                        "scenario": scenario, "reference": reference, "sets": " ".join(sets)})
        ds = f.create_dataset("effect", data=effect)
        ds.attrs.update({"dims": "channel,group,measure",
                         "meaning": "effect of the scenario against the reference carried by each "
                                    "channel (total minus the effect with that channel off); "
                                    "'interaction' is what the channels carry only together",
                         "units": "per measure: see /measure_units"})
        for name, vals in (("channel", labels), ("group", groups), ("measure", list(MEASURES)),
                           ("measure_units", [MEASURE_UNITS[m] for m in MEASURES])):
            f.create_dataset(name, data=np.array(vals, dtype=object), dtype=h5py.string_dtype())
    with open(outdir / "decomposition.csv", "w") as fh:
        fh.write("channel,group,measure,effect\n")
        for c, ch in enumerate(labels):
            for g, grp in enumerate(groups):
                for m, meas in enumerate(MEASURES):
                    fh.write(f"{ch},{grp},{meas},{effect[c, g, m]:.6g}\n")
    _chart(effect, labels, groups, outdir / "decomposition.png", Path(scenario).stem, reference)
    return {"effect": effect, "channels": labels, "groups": groups}


def _chart(effect, labels, groups, png: Path, name: str, reference: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    shown = [g for g in ("undocumented", "mixed_status_citizen", "lawful_noncitizen",
                         "citizen_immigrant_origin", "citizen_non_immigrant") if g in groups]
    parts = labels[:-1]  # channels and interaction, not the total
    colours = ["#0072B2", "#B35C00", "#007A5E", "#AA3377", "#6B6B6B", "#333333"]
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(shown) + 1.8))
    for row, grp in enumerate(shown):
        g = groups.index(grp)
        left_pos = left_neg = 0.0
        for c, ch in enumerate(parts):
            v = 100 * effect[c, g, 0]
            left = left_pos if v >= 0 else left_neg
            ax.barh(row, v, left=left, color=colours[c % len(colours)],
                    label=CHANNEL_WORDS[ch] if row == 0 else None)
            if v >= 0:
                left_pos += v
            else:
                left_neg += v
        ax.plot([100 * effect[-1, g, 0]], [row], "k|", markersize=18)
    ax.set_yticks(range(len(shown)), [s.replace("_", " ") for s in shown])
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set_xlabel(f"change in the share of crimes reported (points), {name} against {reference}\n"
                  "bars: what each channel carries; |: the whole change")
    ax.set_title(f"What drives the change in reporting: {name}", fontsize=11)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=3, fontsize=8, frameon=False)
    fig.tight_layout()
    fig.savefig(png, dpi=120)
    plt.close(fig)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="scripts/decompose", description=__doc__.split("\n\n")[0])
    p.add_argument("scenario")
    p.add_argument("-o", "--output", required=True, help="output folder")
    p.add_argument("--reference", default="baseline", help="a preset name or a scenario file")
    p.add_argument("--residents", type=int, help="population.residents for every run")
    p.add_argument("--days", type=int, help="simulation.days for every run")
    p.add_argument("--replicates", type=int, help="simulation.replicates for every run")
    p.add_argument("--seed", type=int, help="simulation.seed for every run")
    p.add_argument("--trustsim", default=str(Path(__file__).resolve().parents[1] / "build" / "trustsim"))
    a = p.parse_args(argv)
    sets = [f"{k}={v}" for k, v in (("population.residents", a.residents), ("simulation.days", a.days),
                                     ("simulation.replicates", a.replicates), ("simulation.seed", a.seed))
            if v is not None]
    if not Path(a.scenario).is_file():
        p.error(f"no scenario file {a.scenario}")
    res = decompose(a.scenario, a.reference, Path(a.output), sets, a.trustsim)
    g = res["groups"].index("undocumented") if "undocumented" in res["groups"] else 0
    for c, ch in enumerate(res["channels"]):
        print(f"{ch:>14}: {100 * res['effect'][c, g, 0]:+.2f} points of undocumented reporting")
    print(f"wrote {a.output}/decomposition.h5, .csv and .png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
