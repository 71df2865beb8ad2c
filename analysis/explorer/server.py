"""The what-if explorer: a local web app over `trustsim run` (Python standard library).

GET /                 the page (static/index.html, app.js, the vendored Chart.js)
GET /api/options      scenarios, knobs with their ranges, city sizes
GET /api/run?...      runs the chosen scenario and its baseline with the same settings and
                      seed (paired), returns analysis.explorer.summary's JSON plus the
                      command lines; HTTP 400 with a message for bad input, 409 when a newer
                      request cancelled this one, 500 when the engine fails otherwise.

Binds 127.0.0.1 by default: nothing leaves the machine. One run at a time: a newer request
stops the older one's engine process (SIGTERM; trustsim deletes its partial file). Baseline
runs are kept per settings, so moving a knob reruns only the scenario.
"""
from __future__ import annotations

import json
import mimetypes
import shutil
import subprocess
import tempfile
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import yaml

from .summary import summarise

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
STATIC = {"/": HERE / "static" / "index.html", "/app.js": HERE / "static" / "app.js",
          "/vendor/chart.umd.min.js": HERE / "vendor" / "chart.umd.min.js",
          "/vendor/chart.js-LICENSE.md": HERE / "vendor" / "chart.js-LICENSE.md"}
BASELINE = "baseline"
# name: (kind, lower, upper, step, meaning). Ranges are the UI's, inside the registry's.
KNOBS = {
    "detainers": ("choice", ["all", "violent_only", "none"], None, None,
                  "ICE detainers the jail honours"),
    "jail_screening": ("bool", None, None, None, "status of everyone booked is screened"),
    "designated_officer_share": ("real", 0.0, 1.0, 0.05,
                                 "share of patrol officers designated under 287(g)"),
    "profiling_multiplier": ("real", 1.0, 5.0, 0.25,
                             "stops of immigrant-origin residents, times the others'"),
    "joint_operations_per_100k_month": ("real", 0.0, 5.0, 0.25,
                                        "visible joint operations with ICE per 100,000 residents a month"),
    "publicity": ("real", 0.0, 5.0, 0.5,
                  "news coverage of the policy's adoption (1: ordinary; 0: a quiet change)"),
    "outreach_per_1000_day": ("real", 0.0, 5.0, 0.25,
                              "outreach contacts per 1,000 residents a day"),
}
SIZES = (20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000)
LIMITS = {"residents": (1_000, 2_000_000), "days": (30, 1095), "replicates": (2, 8),
          "seed": (0, 2**31 - 1)}
DEFAULTS = {"residents": 100_000, "days": 365, "replicates": 4, "seed": 1}


class BadRequest(ValueError):
    """Input the explorer refuses (HTTP 400); the message says what to change."""


class Cancelled(RuntimeError):
    """A newer request took over (HTTP 409)."""


class EngineError(RuntimeError):
    """trustsim failed for a reason other than the input (HTTP 500)."""


def scenarios(folder: Path) -> dict:
    """name -> {path, description, switch_day} for every shipped scenario file."""
    out = {}
    for path in sorted(folder.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        sched = doc.get("schedule") or []
        out[str(doc.get("name", path.stem))] = {
            "path": path, "description": str(doc.get("description", "")),
            "switch_day": int(sched[0]["day"]) if sched and "day" in sched[0] else None}
    return out


def _int(q, key) -> int:
    text = q.get(key, [str(DEFAULTS.get(key, ""))])[-1]
    lo, hi = LIMITS[key]
    try:
        v = int(text)
    except ValueError:
        raise BadRequest(f"{key}={text!r}: give a whole number from {lo:,} to {hi:,}") from None
    if not lo <= v <= hi:
        raise BadRequest(f"{key}={v}: must be from {lo:,} to {hi:,}")
    return v


def parse_request(query: str, known: dict) -> dict:
    """The run's settings from a query string; BadRequest names the first bad field."""
    q = parse_qs(query, keep_blank_values=True)
    allowed = {"scenario", "switch_day", *LIMITS, *(f"policy.{k}" for k in KNOBS)}
    unknown = sorted(set(q) - allowed)
    if unknown:
        raise BadRequest(f"unknown setting {unknown[0]!r}; known: {', '.join(sorted(allowed))}")
    name = q.get("scenario", [""])[-1]
    if name not in known:
        raise BadRequest(f"scenario {name!r} is not one of {', '.join(known)}")
    req = {"scenario": name, **{k: _int(q, k) for k in LIMITS}, "policy": {}}
    for k, (kind, lo, hi, _, _) in KNOBS.items():
        if f"policy.{k}" not in q:
            continue
        text = q[f"policy.{k}"][-1]
        if kind == "choice":
            if text not in lo:
                raise BadRequest(f"policy.{k}={text!r}: choose one of {', '.join(lo)}")
            req["policy"][k] = text
        elif kind == "bool":
            if text not in ("true", "false"):
                raise BadRequest(f"policy.{k}={text!r}: give true or false")
            req["policy"][k] = text
        else:
            try:
                v = float(text)
            except ValueError:
                raise BadRequest(f"policy.{k}={text!r}: give a number from {lo} to {hi}") \
                    from None
            if not lo <= v <= hi:
                raise BadRequest(f"policy.{k}={v}: must be from {lo} to {hi}")
            req["policy"][k] = repr(v)
    req["switch_day"] = None
    if "switch_day" in q:
        if known[name]["switch_day"] is None:
            raise BadRequest(f"scenario {name} has no policy change to move")
        text = q["switch_day"][-1]
        if not text.isdigit() or not 1 <= int(text) < req["days"]:
            raise BadRequest(f"switch_day={text!r}: give a day from 1 to {req['days'] - 1}")
        req["switch_day"] = int(text)
    elif known[name]["switch_day"] is not None and known[name]["switch_day"] >= req["days"]:
        raise BadRequest(f"scenario {name} changes policy on day {known[name]['switch_day']}, "
                         f"after the run's {req['days']} days: lengthen the run or move the "
                         f"switch day")
    return req


def command(engine: Path, scenario: Path, req: dict, out: Path, policy=True) -> list:
    """The `trustsim run` command line for the request (policy=False: the baseline's)."""
    cmd = [str(engine), "run", str(scenario), "--quiet", "--threads", "2",
           "--seed", str(req["seed"]), "--replicates", str(req["replicates"]),
           "--set", f"population.residents={req['residents']}",
           "--set", f"simulation.days={req['days']}"]
    if policy:
        for k, v in sorted(req["policy"].items()):
            cmd += ["--set", f"policy.{k}={v}"]
    return cmd + ["-o", str(out)]


def moved_schedule(scenario: Path, day: int, folder: Path) -> Path:
    """A copy of the scenario with its first policy change moved to `day`."""
    doc = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    doc["schedule"][0]["day"] = day
    path = folder / f"{scenario.stem}_switch_{day}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


class Runner:
    """One engine process at a time; a newer request stops the older one's process."""

    def __init__(self, engine: Path):
        self.engine = engine
        self.one_at_a_time = threading.Lock()
        self.state = threading.Lock()
        self.generation = 0
        self.proc = None

    def claim(self) -> int:
        with self.state:
            self.generation += 1
            if self.proc is not None and self.proc.poll() is None:
                self.proc.terminate()  # trustsim deletes its partial file on SIGTERM
        return self.generation

    def run(self, mine: int, cmd: list) -> None:
        with self.state:
            if self.generation != mine:
                raise Cancelled("cancelled by a newer request")
            self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         text=True)
            proc = self.proc
        _, err = proc.communicate()
        if self.generation != mine:
            raise Cancelled("cancelled by a newer request")
        if proc.returncode == 2:  # the engine's own validation (located message)
            raise BadRequest(err.strip().splitlines()[-1] if err.strip() else "invalid settings")
        if proc.returncode != 0:
            raise EngineError(f"trustsim exited with {proc.returncode}: {err.strip()[-500:]}")


class Explorer:
    def __init__(self, engine: Path, scenario_dir: Path, workdir: Path):
        self.engine, self.workdir = engine, workdir
        self.known = scenarios(scenario_dir)
        if BASELINE not in self.known:
            raise SystemExit(f"error: {scenario_dir} has no scenario named {BASELINE!r}")
        self.runner = Runner(engine)
        self.baselines = {}  # settings -> baseline file

    def options(self) -> dict:
        return {"scenarios": [{"name": n, "description": s["description"],
                               "switch_day": s["switch_day"]} for n, s in self.known.items()],
                "knobs": [{"name": k, "kind": v[0], "lower": v[1], "upper": v[2],
                           "step": v[3], "meaning": v[4]} for k, v in KNOBS.items()],
                "sizes": list(SIZES), "limits": LIMITS, "defaults": DEFAULTS}

    def run(self, query: str) -> dict:
        req = parse_request(query, self.known)
        mine = self.runner.claim()
        with self.runner.one_at_a_time:
            scen = self.known[req["scenario"]]["path"]
            if req["switch_day"] is not None:
                scen = moved_schedule(scen, req["switch_day"], self.workdir)
            key = (req["residents"], req["days"], req["replicates"], req["seed"])
            base = self.workdir / ("baseline_%d_%d_%d_%d.h5" % key)
            base_cmd = command(self.engine, self.known[BASELINE]["path"], req, base, False)
            if not base.exists():
                self.runner.run(mine, base_cmd)
            out = self.workdir / f"run_{mine}.h5"
            cmd = command(self.engine, scen, req, out)
            self.runner.run(mine, cmd)
            try:
                result = summarise(out, base)
            finally:
                out.unlink(missing_ok=True)
        result["request"] = {k: v for k, v in req.items()}
        result["commands"] = {"scenario": cmd, "baseline": base_cmd}
        return result


class Handler(BaseHTTPRequestHandler):
    explorer: Explorer = None  # set by serve()

    def log_message(self, fmt, *args):  # quiet: the page shows each run and its errors
        pass

    def _send(self, status, body: bytes, ctype: str):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status, obj):
        self._send(status, json.dumps(obj).encode("utf-8"), "application/json")

    def do_GET(self):
        url = urlparse(self.path)
        try:
            if url.path == "/api/options":
                return self._json(HTTPStatus.OK, self.explorer.options())
            if url.path == "/api/run":
                return self._json(HTTPStatus.OK, self.explorer.run(url.query))
            if url.path in STATIC:
                f = STATIC[url.path]
                ctype = mimetypes.guess_type(f.name)[0] or "text/plain"
                if f.suffix == ".md":
                    ctype = "text/plain"
                return self._send(HTTPStatus.OK, f.read_bytes(), ctype + "; charset=utf-8")
            return self._json(HTTPStatus.NOT_FOUND, {"error": f"no such page: {url.path}"})
        except BadRequest as e:
            return self._json(HTTPStatus.BAD_REQUEST, {"error": str(e)})
        except Cancelled as e:
            return self._json(HTTPStatus.CONFLICT, {"error": str(e)})
        except (EngineError, OSError, ValueError) as e:
            return self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": str(e)})

    def do_POST(self):
        self._json(HTTPStatus.METHOD_NOT_ALLOWED, {"error": "use GET"})


def serve(host="127.0.0.1", port=8765, engine=None, scenario_dir=None, ready=None):
    engine = Path(engine or ROOT / "build" / "trustsim")
    if not engine.exists():
        raise SystemExit(f"error: {engine} is not built (scripts/build)")
    workdir = Path(tempfile.mkdtemp(prefix="trustsim-explore-"))
    Handler.explorer = Explorer(engine, Path(scenario_dir or ROOT / "scenarios"), workdir)
    httpd = ThreadingHTTPServer((host, port), Handler)
    httpd.daemon_threads = True
    url = f"http://{host}:{httpd.server_address[1]}/"
    print(f"explorer: {url} (Ctrl-C to stop)", flush=True)
    if ready:
        ready(httpd)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
        shutil.rmtree(workdir, ignore_errors=True)  # the runs kept for this session
