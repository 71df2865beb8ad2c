"""The what-if explorer's server: input checks (HTTP 400 with a message), one run at a
time with a newer request stopping the older engine process, results equal to two
`trustsim run`s with the same settings, 127.0.0.1 by default, the vendored library pinned."""
import hashlib
import json
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

from analysis.explorer import server
from analysis.explorer.summary import summarise
from analysis.tests.conftest import ENGINE, ROOT

SMALL = "residents=3000&days=60&replicates=2"


def test_vendored_chart_library_is_the_pinned_one_with_its_licence():
    vendor = ROOT / "analysis" / "explorer" / "vendor"
    digest = hashlib.sha256((vendor / "chart.umd.min.js").read_bytes()).hexdigest()
    assert digest in (vendor / "README.md").read_text()
    assert "Chart.js v4.5.1" in (vendor / "chart.umd.min.js").read_text()[:200]
    assert "MIT License" in (vendor / "chart.js-LICENSE.md").read_text()


@pytest.mark.parametrize("query, message", [
    ("scenario=nope", "scenario 'nope' is not one of"),
    ("scenario=sanctuary&residents=abc", "residents='abc': give a whole number"),
    ("scenario=sanctuary&residents=5000000", "residents=5000000: must be from"),
    ("scenario=sanctuary&days=0", "days=0: must be from 30"),
    ("scenario=sanctuary&policy.detainers=maybe", "choose one of all, violent_only, none"),
    ("scenario=sanctuary&policy.profiling_multiplier=99", "must be from 1.0 to 5.0"),
    ("scenario=sanctuary&policy.jail_screening=yes", "give true or false"),
    ("scenario=sanctuary&rm=-rf", "unknown setting 'rm'"),
    ("scenario=sanctuary&switch_day=10", "has no policy change to move"),
    ("scenario=policy_switch&days=365", "changes policy on day 365, after the run's 365 days"),
    ("scenario=policy_switch&days=730&switch_day=900", "switch_day='900': give a day"),
])
def test_bad_input_is_refused_with_a_message(query, message):
    known = server.scenarios(ROOT / "scenarios")
    with pytest.raises(server.BadRequest, match=message.replace("(", r"\(").replace(".", r"\.")):
        server.parse_request(query, known)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A running explorer on a free port of 127.0.0.1: its base URL."""
    if not ENGINE.exists():
        pytest.skip(f"{ENGINE} is not built")
    box = {}
    t = threading.Thread(target=server.serve, kwargs=dict(
        port=0, engine=ENGINE, ready=lambda httpd: box.setdefault("httpd", httpd)), daemon=True)
    t.start()
    for _ in range(200):
        if "httpd" in box:
            break
        time.sleep(0.05)
    httpd = box["httpd"]
    assert httpd.server_address[0] == "127.0.0.1"  # nothing listens beyond this machine
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def get(url, timeout=300):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, json.loads(r.read()) if "/api/" in url else r.read()
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_pages_and_options(live):
    status, page = get(live + "/")
    assert status == 200 and b"chart.umd.min.js" in page
    assert get(live + "/vendor/chart.umd.min.js")[0] == 200
    status, opts = get(live + "/api/options")
    names = {s["name"] for s in opts["scenarios"]}
    assert {"baseline", "policy_switch", "287g_task_force"} <= names
    assert {k["name"] for k in opts["knobs"]} >= {"detainers", "profiling_multiplier",
                                                   "joint_operations_per_100k_month", "publicity"}
    assert get(live + "/api/nothing")[0] == 404


def test_every_knob_is_a_policy_parameter_of_the_engine():
    """The explorer's knobs pass as --set policy.NAME: each must be a registry parameter of
    the kind the slider sends (a renamed parameter made every run with its slider fail)."""
    from analysis.explorer import summary
    schema = json.loads(subprocess.run([str(ENGINE), "schema", "--json"], capture_output=True,
                                       text=True, check=True).stdout)
    kinds = {p["name"]: p["type"] for p in schema["parameters"]}
    for name, (kind, *_rest) in server.KNOBS.items():
        assert kinds.get(f"policy.{name}") == kind, name
    assert set(summary.KNOBS) <= set(server.KNOBS)


def test_http_400_for_bad_input(live):
    status, body = get(live + "/api/run?scenario=sanctuary&residents=-1")
    assert status == 400 and "residents=-1" in body["error"]


def test_a_run_equals_trustsim_run_with_the_same_settings(live, tmp_path):
    q = f"scenario=287g_task_force&{SMALL}&policy.profiling_multiplier=3"
    status, res = get(f"{live}/api/run?{q}")
    assert status == 200, res
    assert "policy.profiling_multiplier=3.0" in res["commands"]["scenario"]
    assert res["policy"]["profiling_multiplier"] == 3
    paths = {}
    for side in ("scenario", "baseline"):  # the same command lines, run here independently
        cmd = res["commands"][side][:-1] + [str(tmp_path / f"{side}.h5")]
        subprocess.run(cmd, check=True, timeout=300)
        paths[side] = tmp_path / f"{side}.h5"
    mine = json.loads(json.dumps(summarise(paths["scenario"], paths["baseline"])))
    for key in ("rows", "lines", "changes", "policy", "residents", "days"):
        assert res[key] == mine[key], key
    groups = {r["group"] for r in res["rows"]}
    assert {"undocumented", "all"} <= groups


def test_a_newer_request_cancels_the_older(live):
    """The first (large) run is stopped by the second: it answers 409, the second 200."""
    out = {}

    def first():
        out["first"] = get(f"{live}/api/run?scenario=sanctuary&residents=2000000&days=1095"
                           f"&replicates=8")

    t = threading.Thread(target=first)
    t.start()
    time.sleep(2.0)  # the first is running its engine now
    start = time.monotonic()
    second = get(f"{live}/api/run?scenario=sanctuary&{SMALL}")
    t.join(timeout=120)
    assert out["first"][0] == 409 and "newer request" in out["first"][1]["error"]
    assert second[0] == 200
    assert time.monotonic() - start < 60  # it did not wait for the big run to finish


def test_moving_the_switch_day(live):
    status, res = get(f"{live}/api/run?scenario=policy_switch&{SMALL}&switch_day=20")
    assert status == 200, res
    assert [c["day"] for c in res["changes"]] == [20]


def test_summary_command_line(tmp_path):
    from analysis.explorer.summary import main
    assert main(["only-one.h5"]) == 2
