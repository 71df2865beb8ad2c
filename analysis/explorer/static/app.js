// The explorer's page: controls -> GET /api/run -> numbers and two charts.
// A newer change aborts the older request (the server also stops the older engine run).
"use strict";
const $ = (id) => document.getElementById(id);
const COLOURS = { all: "#000000", undocumented: "#D55E00", citizen_non_immigrant: "#0072B2",
  citizen_immigrant_origin: "#2C8AC4", lawful_noncitizen: "#009E73", mixed_status: "#B0538E" };
const SHOWN = ["all", "undocumented"];  // lines drawn (the table has every group)
let options = null, touched = {}, controller = null, timer = null, charts = {};
window.explorer = { result: null, runs: 0, error: null };

function fmtPct(x) { return x == null ? "n/a" : (100 * x).toFixed(1) + "%"; }
function signed(v, d) { const t = v.toFixed(d); return Number(t) === 0 ? (0).toFixed(d) : (v > 0 ? "+" : "") + t; }
function fmtPts(x) { return x == null ? "n/a" : signed(100 * x, 1); }
function fmt3(x) { return x == null ? "n/a" : x.toFixed(3); }
function fmtD3(x) { return x == null ? "n/a" : signed(x, 3); }
function fmt1(x) { return x == null ? "n/a" : x.toFixed(1); }
function fmtD1(x) { return x == null ? "n/a" : signed(x, 1); }
const FORMATS = { reporting: [fmtPct, fmtPts, " points"], trust: [fmt3, fmtD3, ""],
  detentions: [fmt1, fmtD1, ""], crime: [fmt1, fmtD1, ""] };
const NAMES = { reporting: "Crimes reported", trust: "Trust, last day",
  detentions: "Detentions per 10,000 a year", crime: "Crimes per 10,000 a year" };

function knobControl(k) {
  const id = "knob-" + k.name;
  let input;
  if (k.kind === "choice" || k.kind === "bool") {
    input = document.createElement("select");
    for (const v of (k.kind === "bool" ? ["false", "true"] : k.lower)) {
      const o = document.createElement("option"); o.value = v; o.textContent = v.replace("_", " ");
      input.appendChild(o);
    }
  } else {
    input = document.createElement("input");
    Object.assign(input, { type: "range", min: k.lower, max: k.upper, step: k.step });
  }
  input.id = id; input.dataset.knob = k.name;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.innerHTML = `${k.name.replaceAll("_", " ")} <span class="val" id="${id}-val"></span>`;
  const help = document.createElement("div"); help.className = "help"; help.textContent = k.meaning;
  input.addEventListener("input", () => { touched[k.name] = input.value; showValue(input); schedule(); });
  $("knobs").append(label, input, help);
}

function showValue(input) {
  const v = $(input.id + "-val"); if (v) v.textContent = input.value;
}

function query() {
  const p = new URLSearchParams();
  p.set("scenario", $("scenario").value);
  p.set("residents", $("residents").value);
  p.set("days", $("days").value);
  p.set("replicates", $("replicates").value);
  if (!$("switch-box").hidden && touched.switch_day !== undefined) p.set("switch_day", touched.switch_day);
  for (const [k, v] of Object.entries(touched)) if (k !== "switch_day") p.set("policy." + k, v);
  return p.toString();
}

function schedule() { clearTimeout(timer); timer = setTimeout(run, 250); }

async function run() {
  if (controller) controller.abort();  // the server stops the older run's engine as well
  controller = new AbortController();
  const mine = controller;
  const st = $("status");
  st.className = "busy"; st.textContent = "Running the simulation…";
  const t0 = performance.now();
  try {
    const resp = await fetch("/api/run?" + query(), { signal: mine.signal });
    const body = await resp.json();
    if (mine !== controller) return;  // a newer request is on its way
    if (!resp.ok) {
      if (resp.status === 409) return;
      window.explorer.error = body.error;
      st.className = "error"; st.textContent = "Cannot run: " + body.error; return;
    }
    window.explorer.error = null;
    show(body);
    window.explorer.result = body; window.explorer.runs += 1;
    st.className = "";
    st.textContent = `${body.scenario} against ${body.baseline}: ${body.residents.toLocaleString("en")} residents, ` +
      `${body.days} days, ${body.replicates} replicates (${((performance.now() - t0) / 1000).toFixed(1)} s).`;
  } catch (e) {
    if (e.name !== "AbortError") { st.className = "error"; st.textContent = "Error: " + e; }
  }
}

function show(r) {
  for (const [k, v] of Object.entries(r.policy)) {  // knobs show the values the run used
    const el = $("knob-" + k);
    if (el && touched[k] === undefined) { el.value = String(v); showValue(el); }
  }
  const tbody = $("results").tBodies[0];
  tbody.innerHTML = "";
  for (const row of r.rows) {
    const [lv, dv, unit] = FORMATS[row.measure];
    const d = row.difference;
    const tr = document.createElement("tr");
    tr.dataset.key = row.key;
    tr.dataset.difference = d.mean; tr.dataset.scenario = row.scenario.mean;
    tr.className = d.clear ? "clear" : "unclear";
    const who = row.measure === "reporting" || row.measure === "trust" ? ", " + row.group_label : "";
    const ci = d.n >= 2 ? ` (${dv(d.lo)} to ${dv(d.hi)})` : " (no interval)";
    tr.innerHTML = `<td>${NAMES[row.measure]}${who}</td><td>${lv(row.scenario.mean)}</td>` +
      `<td>${lv(row.baseline.mean)}</td><td>${dv(d.mean)}${unit}${ci}${d.clear ? "" : " unclear"}</td>`;
    tbody.appendChild(tr);
  }
  $("command").textContent = r.commands.scenario.join(" ");
  draw("reporting", r, 100);
  draw("trust", r, 1);
}

const changeLines = {  // vertical lines at policy-change days
  id: "changes",
  afterDatasetsDraw(chart, _args, opts) {
    const { ctx, chartArea, scales } = chart;
    for (const c of opts.days || []) {
      const x = scales.x.getPixelForValue(c);
      ctx.save(); ctx.strokeStyle = "#444"; ctx.setLineDash([4, 3]);
      ctx.beginPath(); ctx.moveTo(x, chartArea.top); ctx.lineTo(x, chartArea.bottom); ctx.stroke();
      ctx.restore();
    }
  },
};

function draw(what, r, scale) {
  const days = [...Array(r.days).keys()];
  const sets = [];
  for (const g of SHOWN.filter((g) => r.groups.includes(g) || g === "all")) {
    for (const side of ["scenario", "baseline"]) {
      const ys = r.lines[side][what][g];
      if (!ys) continue;
      sets.push({ label: `${g.replace("_", " ")}, ${side === "scenario" ? r.scenario : "baseline"}`,
        data: ys.map((y, i) => ({ x: i, y: y == null ? null : scale * y })),
        borderColor: COLOURS[g] || "#767676", borderDash: side === "baseline" ? [5, 4] : [],
        borderWidth: 1.6, pointRadius: 0, spanGaps: false });
    }
  }
  const cfg = { type: "line", data: { datasets: sets },
    options: { animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
      scales: { x: { type: "linear", min: 0, max: days.length - 1, title: { display: true, text: "day" } },
        y: { min: 0, max: scale, title: { display: true, text: what === "trust" ? "mean trust (0-1)" : "reported (%)" } } },
      plugins: { legend: { labels: { boxWidth: 14, font: { size: 11 } } },
        changes: { days: r.changes.map((c) => c.day) } } },
    plugins: [changeLines] };
  if (charts[what]) charts[what].destroy();
  charts[what] = new Chart($("chart-" + what), cfg);
}

function scenarioChanged() {
  const s = options.scenarios.find((x) => x.name === $("scenario").value);
  $("description").textContent = s.description;
  touched = {};
  const box = $("switch-box");
  box.hidden = s.switch_day == null;
  $("knobs-note").hidden = box.hidden;
  if (!box.hidden) {
    const days = Number($("days").value);
    if (s.switch_day >= days) $("days").value = String(days < 730 ? 730 : 1095);
    $("switch_day").max = Number($("days").value) - 1;
    $("switch_day").value = s.switch_day; showValue($("switch_day"));
  }
  schedule();
}

async function init() {
  options = await (await fetch("/api/options")).json();
  for (const s of options.scenarios) {
    const o = document.createElement("option"); o.value = s.name; o.textContent = s.name;
    $("scenario").appendChild(o);
  }
  for (const n of options.sizes) {
    const o = document.createElement("option"); o.value = n; o.textContent = n.toLocaleString("en");
    $("residents").appendChild(o);
  }
  $("residents").value = String(options.defaults.residents);
  $("scenario").value = options.scenarios.some((s) => s.name === "287g_task_force") ? "287g_task_force"
    : options.scenarios[0].name;
  options.knobs.forEach(knobControl);
  $("scenario").addEventListener("change", scenarioChanged);
  for (const id of ["residents", "days"]) $(id).addEventListener("change", () => {
    $("switch_day").max = Number($("days").value) - 1; schedule(); });
  $("replicates").addEventListener("input", () => { showValue($("replicates")); schedule(); });
  $("switch_day").addEventListener("input", () => {
    touched.switch_day = $("switch_day").value; showValue($("switch_day")); schedule(); });
  $("reset").addEventListener("click", () => { touched = {}; schedule(); });
  showValue($("replicates"));
  scenarioChanged();
}
init();
