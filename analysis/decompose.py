"""What drives a policy's effect: its effect on each group's reporting rate, trust and fear,
split by the learning channel that carries it.

For a policy scenario P and a reference R (default: the baseline preset), both are run with
every channel on and then with each channel switched off in turn (learning.channel_*), all
with the same seed, so every run sees the same chances (common random numbers). A channel's
share is the effect it carries: the full effect minus the effect with that channel off.
Shares need not add up to the full effect (channels interact); what is left is reported as
"interaction". The channels are the registry's Bool parameters learning.channel_* (read from
`trustsim schema --json`), so a channel the engine adds is decomposed without a change here.

    scripts/decompose scenarios/287g_task_force.yaml -o decomposition/287g_task_force/
    scripts/decompose --all scenarios/ -o out/decomposition/      # every scenario, one folder each
        [--reference baseline] [--residents N] [--days D] [--replicates R] [--seed S]
        [--trustsim build/trustsim]

--days is the time measured after the scenario's last scheduled policy change (a run lasts
that day plus D; reporting is pooled and trust and fear taken on the last day of that window),
so a policy switch is decomposed on the policy it switches to. The reference's runs are made
once per run length and reused for every scenario. Writes, per scenario, decomposition.h5
(effect[channel, group, measure], its replicates, labels and units), decomposition.csv and
decomposition.png (bars per group: "what drives the change").
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import h5py
import numpy as np

from .reader import FormatError, open_run

PREFIX = "learning.channel_"
CHANNEL_WORDS = {"own": "own police contacts", "ties": "family and friends (ties)",
                 "household": "removal of a household member",
                 "neighbourhood": "operations seen nearby",
                 "announcement": "the policy's announcement", "news": "local news stories",
                 "interaction": "channels together"}
# Reporting is measured as the panel's mean reporting probability (series
# reporting_propensity), not as counts of reported victimisations: counts carry the noise of
# who happens to be victimised, which swamps a channel's share at the decomposition's size.
MEASURES = ("reporting_propensity", "trust_mean", "fear_mean")
MEASURE_UNITS = {"reporting_propensity": "probability that a victim of a violent crime reports "
                                         "(panel mean, without the local norm)",
                 "trust_mean": "0-1", "fear_mean": "0-1"}
DEFAULTS = {"residents": 100_000, "days": 365, "replicates": 2, "seed": 1}
# Two replicates cost about what one does on two cores (trustsim builds one city per thread).
FORMAT, FORMAT_VERSION = "trustsim-decomposition", "1.2"


class DecomposeError(RuntimeError):
    """A run or a registry query that failed, with the command and what it said."""


def channel_words(channel: str) -> str:
    """Plain words for a channel; a channel this table does not know yet (the engine added
    it) reads as its name in words, never as an identifier with underscores."""
    if channel in CHANNEL_WORDS:
        return CHANNEL_WORDS[channel]
    words = " ".join(channel.replace("_", " ").split())
    return f"{words} (learning channel)" if words else "unnamed learning channel"


def registry_channels(trustsim: str) -> list:
    """Every Bool parameter learning.channel_<name> of the binary's registry, in its order."""
    cmd = [trustsim, "schema", "--json"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        raise DecomposeError(f"{trustsim}: cannot run ({e.strerror}); build it first "
                             f"(cmake --build build --target trustsim)") from None
    if done.returncode != 0:
        raise DecomposeError(f"{' '.join(cmd)} failed:\n{done.stderr.strip()}")
    try:
        params = json.loads(done.stdout)["parameters"]
    except (ValueError, KeyError) as e:
        raise DecomposeError(f"{' '.join(cmd)}: not a trustsim-schema document ({e})") from None
    channels = [p["name"][len(PREFIX):] for p in params
                if p.get("name", "").startswith(PREFIX) and p.get("type") == "bool"]
    if not channels:
        raise DecomposeError(f"{trustsim} has no Bool parameter {PREFIX}* in its registry: "
                             f"there is no learning channel to switch off")
    return channels


def _yaml(path: Path):
    """The scenario as Python data; None when it does not parse (trustsim run then says
    where and why, with file, line and key)."""
    import yaml
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def schedule_days(scenario: Path) -> list:
    """Days of the scenario's scheduled policy changes (any `day:` inside a `schedule`)."""
    found = []

    def walk(node, inside):
        if isinstance(node, dict):
            for k, v in node.items():
                here = inside or k == "schedule"
                if here and k == "day" and isinstance(v, int):
                    found.append(v)
                walk(v, here)
        elif isinstance(node, list):
            for v in node:
                walk(v, inside)

    walk(_yaml(scenario), False)
    return found


class Runner:
    """Runs trustsim into a work folder, each (scenario, settings) once: the reference's
    runs are made once and shared by every scenario measured against it."""

    def __init__(self, trustsim: str, workdir: Path):
        self.trustsim, self.workdir = trustsim, Path(workdir)
        self.calls = 0
        self._files: dict = {}
        self._measured: dict = {}

    def run(self, scenario: str, sets: list) -> Path:
        key = (str(Path(scenario).resolve()), tuple(sets))
        if key not in self._files:
            out = self.workdir / f"run{len(self._files)}.h5"
            cmd = [self.trustsim, "run", str(scenario), "-q", "-o", str(out)]
            for s in sets:
                cmd += ["--set", s]
            self.calls += 1
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode != 0:
                raise DecomposeError(f"{' '.join(cmd)} failed:\n{done.stderr.strip()}")
            self._files[key] = out
        return self._files[key]

    def measures(self, scenario: str, sets: list, window: tuple) -> tuple:
        """([replicate, group, measure], groups, run): the reporting probability averaged
        over the window's days, trust and fear means on its last day; groups include 'all'."""
        path = self.run(scenario, sets)
        if (path, window) not in self._measured:
            run = open_run(path)
            prop = run.weighted_mean(MEASURES[0])
            groups = [str(g) for g in prop.coords["group"]]
            vals = [np.nanmean(prop.values[:, window[0]:window[1], :], axis=1)] + [
                run.weighted_mean(m).values[:, window[1] - 1, :] for m in MEASURES[1:]]
            self._measured[(path, window)] = (np.stack(vals, axis=-1), groups, run)
        return self._measured[(path, window)]


def reference_file(reference: str, workdir: Path) -> tuple:
    """(scenario file, name) of the reference: a scenario file, or a preset named alone."""
    if reference.endswith((".yaml", ".yml")):
        return reference, _name(Path(reference))
    path = Path(workdir) / f"reference_{reference}.yaml"
    path.write_text(f"name: {reference}\npolicy: {reference}\n", encoding="utf-8")
    return str(path), reference


def decompose(scenario: str, reference: str, outdir: Path, sets: list, trustsim: str,
              days: int | None = None, runner: Runner | None = None,
              channels: list | None = None) -> dict:
    """Decompose one scenario against the reference into outdir. `days`: days measured after
    the scenario's last policy change (None: the run's own length, from `sets`)."""
    if runner is None:
        with tempfile.TemporaryDirectory() as tmp:
            return decompose(scenario, reference, outdir, sets, trustsim, days,
                             Runner(trustsim, Path(tmp)), channels)
    channels = channels or registry_channels(trustsim)
    ref_path, ref_name = reference_file(reference, runner.workdir)
    if days is not None:
        start = max([d for d in schedule_days(Path(scenario)) if d > 0], default=0)
        sets = [s for s in sets if not s.startswith("simulation.days=")]
        sets = sets + [f"simulation.days={start + days}"]
    full = runner.run(scenario, sets)
    run = open_run(full)
    start = max([c.day for c in run.policy_changes() if 0 < c.day < run.days], default=0)
    window = (start, run.days)

    def effect(off: list):
        p, groups, _ = runner.measures(scenario, sets + off, window)
        r, ref_groups, _ = runner.measures(ref_path, sets + off, window)
        if ref_groups != groups:
            raise DecomposeError(f"{scenario} and {reference} have different groups "
                                 f"({groups} against {ref_groups})")
        return p - r, groups, r

    total, groups, ref_level = effect([])
    parts = [total - effect([f"{PREFIX}{ch}=false"])[0] for ch in channels]
    parts = np.stack(parts, axis=1)  # [replicate, channel, group, measure]
    interaction = total - parts.sum(axis=1)
    by_rep = np.concatenate([parts, interaction[:, None], total[:, None]], axis=1)
    labels = list(channels) + ["interaction", "total"]
    res = {"effect": by_rep.mean(axis=0), "effect_by_replicate": by_rep, "channels": labels,
           "words": [channel_words(c) for c in labels[:-1]] + ["whole change"],
           "groups": groups, "reference_level": ref_level.mean(axis=0),
           "attrs": {"format": FORMAT, "format_version": FORMAT_VERSION,
                     "scenario": str(scenario), "scenario_name": run.name,
                     "reference": reference, "reference_name": ref_name, "sets": " ".join(sets),
                     "residents": _residents(run), "days": run.days,
                     "window_start": window[0], "window_end": window[1],
                     "replicates": run.replicates, "seed": run.seed,
                     "software_version": str(run.attrs.get("software_version", "")),
                     "git_revision": str(run.attrs.get("git_revision", ""))}}
    write(res, Path(outdir))
    return res


def _residents(run) -> int:
    return int(round(float(np.mean(run.resident_days().values[:, 0]))))


def write(res: dict, outdir: Path) -> None:
    """decomposition.h5, .csv and .png in outdir."""
    outdir.mkdir(parents=True, exist_ok=True)
    labels, groups, effect = res["channels"], res["groups"], res["effect"]
    with h5py.File(outdir / "decomposition.h5", "w") as f:
        f.attrs.update(res["attrs"])
        f.attrs["complete"] = 0  # set to 1 last: a file cut short is never read
        for name, data, dims in (("effect", effect, "channel,group,measure"),
                                 ("effect_by_replicate", res["effect_by_replicate"],
                                  "replicate,channel,group,measure")):
            ds = f.create_dataset(name, data=data)
            ds.attrs.update({"dims": dims, "units": "per measure: see /measure_units",
                             "meaning": "effect of the scenario against the reference carried "
                                        "by each channel (total minus the effect with that "
                                        "channel off); 'interaction' is what the channels "
                                        "carry only together; 'total' the whole effect"})
        ds = f.create_dataset("reference_level", data=res["reference_level"])
        ds.attrs.update({"dims": "group,measure", "meaning": "the reference's own level"})
        for name, vals in (("channel", labels), ("channel_label", res["words"]),
                           ("group", groups), ("measure", list(MEASURES)),
                           ("measure_units", [MEASURE_UNITS[m] for m in MEASURES])):
            f.create_dataset(name, data=np.array(vals, dtype=object), dtype=h5py.string_dtype())
        f.attrs["complete"] = 1
    with open(outdir / "decomposition.csv", "w", encoding="utf-8") as fh:
        fh.write("channel,group,measure,effect\n")
        for c, ch in enumerate(labels):
            for g, grp in enumerate(groups):
                for m, meas in enumerate(MEASURES):
                    fh.write(f"{ch},{grp},{meas},{effect[c, g, m]:.6g}\n")
    from .charts.decomposition import draw
    from .reader import open_decomposition
    fig = draw(open_decomposition(outdir / "decomposition.h5"))
    fig.savefig(outdir / "decomposition.png", dpi=110)
    import matplotlib.pyplot as plt
    plt.close(fig)


def scenario_files(paths: list) -> list:
    """Scenario files from files and folders (a folder: its *.yaml, sorted)."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(p.glob("*.yaml"))
        elif p.is_file():
            out.append(p)
        else:
            raise DecomposeError(f"{p}: no such scenario file or folder")
    return out


def decompose_all(scenarios: list, reference: str, outroot: Path, sets: list, trustsim: str,
                  days: int, runner: Runner) -> dict:
    """Every scenario but the reference itself, each into outroot/<scenario file stem>/,
    all sharing the reference's runs. Returns {stem: result}."""
    channels = registry_channels(trustsim)
    _, ref_name = reference_file(reference, runner.workdir)
    done = {}
    for path in scenarios:
        if _name(path) == ref_name or (reference.endswith((".yaml", ".yml"))
                                       and Path(reference).resolve() == path.resolve()):
            continue  # against itself every share is zero by construction
        done[path.stem] = decompose(str(path), reference, outroot / path.stem, sets, trustsim,
                                    days, runner, channels)
    return done


def _name(path: Path) -> str:
    text = _yaml(path)
    return str(text.get("name", path.stem)) if isinstance(text, dict) else path.stem


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="scripts/decompose", description=__doc__.split("\n\n")[0])
    p.add_argument("scenario", nargs="+", help="scenario file(s); with --all, files or folders")
    p.add_argument("-o", "--output", required=True,
                   help="output folder (with --all: one sub-folder per scenario)")
    p.add_argument("--all", action="store_true",
                   help="decompose every scenario given (folders: their *.yaml) but the reference")
    p.add_argument("--reference", default="baseline", help="a preset name or a scenario file")
    for key, what in (("residents", "population.residents"), ("replicates", "simulation.replicates"),
                      ("seed", "simulation.seed")):
        p.add_argument(f"--{key}", type=int, default=DEFAULTS[key],
                       help=f"{what} for every run (default {DEFAULTS[key]:,})")
    p.add_argument("--days", type=int, default=DEFAULTS["days"],
                   help="days measured after the scenario's last policy change "
                        f"(default {DEFAULTS['days']})")
    p.add_argument("--trustsim", default=str(Path(__file__).resolve().parents[1] / "build" / "trustsim"))
    a = p.parse_args(argv)
    if not a.all and len(a.scenario) != 1:
        p.error("give one scenario, or --all with files or folders")
    if min(a.residents, a.days, a.replicates) < 1 or a.seed < 0:
        p.error("--residents, --days and --replicates must be at least 1, --seed at least 0")
    sets = [f"population.residents={a.residents}", f"simulation.replicates={a.replicates}",
            f"simulation.seed={a.seed}"]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            runner = Runner(a.trustsim, Path(tmp))
            if a.all:
                res = decompose_all(scenario_files(a.scenario), a.reference, Path(a.output),
                                    sets, a.trustsim, a.days, runner)
            else:
                if not Path(a.scenario[0]).is_file():
                    p.error(f"no scenario file {a.scenario[0]}")
                res = {Path(a.scenario[0]).stem: decompose(
                    a.scenario[0], a.reference, Path(a.output), sets, a.trustsim, a.days, runner)}
    except (DecomposeError, FormatError) as e:
        print(f"decompose: {e}", file=sys.stderr)
        return 1
    for stem, r in res.items():
        g = r["groups"].index("undocumented") if "undocumented" in r["groups"] else 0
        print(f"{stem}: " + ", ".join(f"{ch} {100 * r['effect'][c, g, 0]:+.2f}"
                                       for c, ch in enumerate(r["channels"]))
              + f" points of {r['groups'][g]} reporting")
    print(f"wrote {len(res)} decomposition(s) to {a.output} ({runner.calls} trustsim runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
