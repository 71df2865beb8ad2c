"""The HTML page: one self-contained file, images by relative path.

No external CSS, JS or fonts, and no absolute URLs, so the report opens
from disk in any browser with no server and no network.
"""
from __future__ import annotations

from html import escape

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
max-width:1000px;margin:2em auto;padding:0 1em;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em} h2{margin-top:2em;border-bottom:1px solid #ccc}
h3{font-size:1.05em;margin:.6em 0 .3em}
figure{margin:1.2em 0 2em 0} figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption p{margin:.3em 0} .files{font-size:.85em;color:#555}
table{border-collapse:collapse;font-size:.85em;margin:.8em 0} td,th{border:1px solid #ccc;
padding:.25em .5em;text-align:left;vertical-align:top} th{background:#f3f3f3}
.note{color:#555;font-size:.9em} nav ol{columns:2} .scroll{overflow-x:auto}
table.sources{font-size:.78em}
pre{font-size:.8em;background:#f7f7f7;padding:.5em;overflow-x:auto}
"""


def _table(header, rows, cls="") -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>"
                   for r in rows)
    # The wrapper scrolls sideways so a wide table never widens the page.
    return (f'<div class="scroll"><table class="{cls}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{body}</tbody></table></div>')


def _figure(ch) -> str:
    table = _table(*ch.table) if ch.table else ""
    return (
        f'<figure id="{escape(ch.id)}">\n'
        f'<h3>{escape(ch.title)}</h3>\n'
        f'<img src="{escape(ch.png)}" alt="{escape(ch.alt)}">\n'
        f'<figcaption><p>{escape(ch.summary)}</p>{table}'
        f'<p class="files">Data: <a href="{escape(ch.csv)}">{escape(ch.csv)}</a> &middot; '
        f'vector image: <a href="{escape(ch.svg)}">{escape(ch.svg)}</a></p></figcaption>\n'
        f'</figure>')


RUN_KEYS = ["file", "scenario_name", "scenario_file", "seed", "replicates", "days",
            "threads", "software_version", "git_revision", "format_version", "created"]
SWEEP_KEYS = ["file", "sweep_name", "sweep_file", "scenario_files", "design", "seed",
              "replicates", "samples", "runs", "software_version", "git_revision",
              "run_git_revisions", "sweep_hash", "format_version", "created"]
FOOTER = ("Each chart has its PNG, its SVG and its data as CSV in this folder. Colours follow "
          "the Okabe-Ito hues, darkened so each has at least 3:1 contrast on white; maps use "
          "the cividis scale.")


def render(charts, sources: list, meta: dict, notes: list, keys=None, appendix=()) -> str:
    """charts: Chart records in display order; sources: provenance dicts; meta: header facts
    (title, generated, analysis_version, and reference or intro); keys: the sources columns
    (run files by default); appendix: (heading, text) pairs shown folded under Sources."""
    keys = keys or RUN_KEYS
    sections: dict = {}
    for ch in charts:
        sections.setdefault(ch.section, []).append(ch)
    nav = "".join(f'<li><a href="#s{i}">{escape(name)}</a></li>'
                  for i, name in enumerate(sections))
    src = _table(keys, [[s.get(k, "") for k in keys] for s in sources], "sources")
    body = "".join(
        f'<section><h2 id="s{i}">{escape(name)}</h2>\n' + "\n".join(_figure(c) for c in chs)
        + "</section>\n" for i, (name, chs) in enumerate(sections.items()))
    note_html = "".join(f"<li>{escape(n)}</li>" for n in notes)
    heads = "".join(f'<li><a href="#{escape(c.id)}">{escape(c.title)}</a></li>' for c in charts)
    extra = "".join(f"<details><summary>{escape(h)}</summary><pre>{escape(t)}</pre></details>"
                    for h, t in appendix)
    intro = escape(meta["intro"]) if "intro" in meta else (
        f"from {len(sources)} run file(s). Reference scenario for\ncomparisons: "
        f"<strong>{escape(meta['reference'])}</strong>.")
    brief = ('<p><strong><a href="brief.html">The one-page brief for policymakers</a></strong>'
             ' (plain words, numbers for a city of your size, caveats).</p>'
             if meta.get("brief") else "")
    what = meta.get("sources_text", "The scenario files, seeds and software versions that "
                                    "produced every chart below.")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(meta['title'])}</title><style>{CSS}</style></head>
<body>
<header><h1>{escape(meta['title'])}</h1>
<p class="note">Generated {escape(meta['generated'])} by trustsim analysis
{escape(meta['analysis_version'])} {intro}</p>{brief}</header>
<section><h2>Headlines</h2>
<p class="note">Each chart's finding; an effect is stated only when its 95% interval excludes
zero. Sources, seeds and versions are at the end.</p>
<ul class="headlines">{heads}</ul></section>
<nav><h2>Contents</h2><ol>{nav}</ol></nav>
{body}
<section><h2>Sources</h2>
<p>{escape(what)}</p>
{src}
<ul class="note">{note_html}</ul>{extra}</section>
<footer class="note"><p>{escape(meta.get("footer", FOOTER))}</p></footer>
</body></html>
"""
