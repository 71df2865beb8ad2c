"""The report in headless Chromium: it renders, every image loads, and nothing
is fetched from the network (real engine output: the scenario report and the
reports of a merged grid sweep and a merged Sobol sweep)."""
import json
import re
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
from matplotlib import image

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium is missing (apt-get install chromium)")
# Hosts Chromium itself may contact at start-up (updates, accounts); the page never does.
BROWSER_OWN = ("google.com", "googleapis.com", "gstatic.com", "gvt1.com")

# A harness page that loads the report in an iframe and writes what the page
# loaded into the DOM; --allow-file-access-from-files lets it look inside.
HARNESS = """<!DOCTYPE html><html><body>
<iframe id="f" src="%s" width="1200" height="900"></iframe>
<script>
document.getElementById('f').addEventListener('load', function () {
  var out = {};
  try {
    var imgs = Array.prototype.slice.call(this.contentDocument.images);
    out.images = imgs.map(function (i) {
      return {src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0}; });
    out.resources = this.contentWindow.performance.getEntriesByType('resource')
      .map(function (e) { return e.name; });
  } catch (e) { out.error = String(e); }
  var p = document.createElement('pre'); p.id = 'result';
  p.textContent = JSON.stringify(out); document.body.appendChild(p);
});
</script></body></html>"""


def chromium(*args, timeout=120):
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-first-run", f"--user-data-dir={profile}",
           "--host-resolver-rules=MAP * ~NOTFOUND", *args]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


class Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.imgs, self.alts, self.links = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.imgs.append(a.get("src"))
            self.alts.append(a.get("alt") or "")
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(a[key])


@pytest.fixture(params=["scenarios", "grid sweep", "sobol sweep"])
def any_report(request):
    """Each kind of report in turn."""
    if request.param == "scenarios":
        return request.getfixturevalue("real_report")
    return request.getfixturevalue("sweep_reports")[request.param.split()[0]]


def test_html_is_self_contained(any_report):
    html = any_report.index.read_text()
    assert not re.search(r"https?://|//[a-z]|url\(|@import", html, re.I)
    refs = Refs()
    refs.feed(html)
    assert len(refs.imgs) == len(any_report.charts)
    for ref in refs.links:
        if ref.startswith("#"):
            continue
        target = any_report.index.parent / ref
        assert urlparse(ref).scheme == "" and target.is_file(), ref
    for src in refs.imgs:
        img = image.imread(any_report.index.parent / src)  # decodes
        assert img.size > 0
    assert len(refs.alts) == len(refs.imgs) and all(len(a) > 40 for a in refs.alts)


def test_screenshot_is_not_blank(any_report, tmp_path):
    shot = tmp_path / "shot.png"
    chromium(f"--screenshot={shot}", "--window-size=1200,1600", any_report.index.as_uri())
    px = image.imread(shot)[..., :3]
    assert px.std() > 0.05
    assert (px.mean(axis=2) < 0.9).mean() > 0.01  # some ink, not a white page


def test_every_image_loads_and_nothing_is_fetched(any_report, tmp_path):
    harness = tmp_path / "harness.html"
    harness.write_text(HARNESS % any_report.index.as_uri())
    netlog = tmp_path / "net.json"
    dom = chromium("--allow-file-access-from-files", f"--log-net-log={netlog}",
                   "--virtual-time-budget=10000", "--dump-dom", harness.as_uri())
    m = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    assert m, "the harness did not report (report did not load?)"
    result = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert "error" not in result, result
    assert len(result["images"]) == len(any_report.charts)
    assert [i["src"] for i in result["images"] if not i["ok"]] == []
    assert [u for u in result["resources"] if not u.startswith("file:")] == []
    urls = set(re.findall(r'"url":"([^"]+)"', netlog.read_text()))
    remote = {u for u in urls if urlparse(u).scheme in ("http", "https", "ws", "wss")
              and not urlparse(u).hostname.endswith(BROWSER_OWN)}
    assert remote == set()
