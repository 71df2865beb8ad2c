// The brief and the explorer in Debian's Chromium, through the DevTools protocol
// (puppeteer-core, pinned in package-lock.json). Run by scripts/browser-test:
//   node analysis/browser/run.mjs --brief DIR/brief.html --out artifacts/browser
// 1. brief.html: screenshots at 1400 and 400 px, nothing wider than the screen at 400 px,
//    text at least 12 px, printed to PDF in at most 2 pages, no network.
// 2. the explorer (scripts/explore on a free port): first run, then a slider moved with
//    the keyboard; waits for the new run; the numbers and both charts changed; the numbers
//    shown equal those of `trustsim run` with the run's own command lines (recomputed by
//    analysis.explorer.summary); screenshots at 1400 and 400 px; only 127.0.0.1 contacted.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const BRIEF = resolve(arg("--brief"));
const OUT = resolve(arg("--out", join(ROOT, "artifacts", "browser")));
const CHROMIUM = arg("--chromium", "/usr/bin/chromium");
mkdirSync(OUT, { recursive: true });

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures += 1;
}

function startExplorer() {
  return new Promise((res, rej) => {
    const child = spawn(join(ROOT, "scripts", "explore"), ["--port", "0"],
      { stdio: ["ignore", "pipe", "inherit"], detached: false });
    let text = "";
    const timer = setTimeout(() => rej(new Error("the explorer did not start in 60 s")), 60000);
    child.stdout.on("data", (d) => {
      text += d;
      const m = text.match(/explorer: (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) { clearTimeout(timer); res({ child, url: m[1] }); }
    });
    child.on("exit", (code) => rej(new Error(`the explorer exited (${code})`)));
  });
}

function pdfPages(buf) {
  return (buf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
}

async function brief(browser) {
  const page = await browser.newPage();
  const remote = [];
  page.on("request", (r) => { if (!r.url().startsWith("file:")) remote.push(r.url()); });
  const url = pathToFileURL(BRIEF).href;
  for (const width of [1400, 400]) {
    await page.setViewport({ width, height: 900 });
    await page.goto(url, { waitUntil: "load" });
    await page.screenshot({ path: join(OUT, `brief-${width}.png`), fullPage: true });
    const m = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      smallest: Math.min(...[...document.querySelectorAll("li, p, h1, h2")]
        .map((e) => parseFloat(getComputedStyle(e).fontSize))),
      cards: document.querySelectorAll(".card").length,
    }));
    check(m.scroll <= width + 1, `brief at ${width} px: page ${m.scroll} px wide, no sideways scrolling`);
    check(m.smallest >= 12, `brief at ${width} px: smallest text ${m.smallest} px (>= 12)`);
    check(m.cards >= 1, `brief at ${width} px: ${m.cards} scenario cards`);
  }
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  writeFileSync(join(OUT, "brief.pdf"), pdf);
  const pages = pdfPages(Buffer.from(pdf));
  check(pages >= 1 && pages <= 2, `brief printed to PDF: ${pages} page(s) (at most 2)`);
  check(remote.length === 0, `brief fetched nothing from the network (${remote.join(", ")})`);
  await page.close();
}

async function state(page) {
  return page.evaluate(() => ({
    runs: window.explorer.runs, error: window.explorer.error,
    result: window.explorer.result,
    table: document.querySelector("#results tbody").innerText,
    rows: [...document.querySelectorAll("#results tbody tr")].map((tr) => ({
      key: tr.dataset.key, difference: Number(tr.dataset.difference),
      scenario: Number(tr.dataset.scenario), text: tr.innerText })),
    charts: ["reporting", "trust"].map((w) => document.getElementById("chart-" + w).toDataURL()),
  }));
}

async function waitRuns(page, n, extra = "true") {
  await page.waitForFunction(`(window.explorer.runs >= ${n} || window.explorer.error) && (${extra})`,
    { timeout: 240000, polling: 200 });
  return state(page);
}

function engineNumbers(result) {
  const dir = mkdtempSync(join(tmpdir(), "trustsim-browser-"));
  const files = {};
  for (const side of ["scenario", "baseline"]) {
    const cmd = result.commands[side].slice(0, -1).concat([join(dir, `${side}.h5`)]);
    execFileSync(cmd[0], cmd.slice(1), { stdio: "inherit" });
    files[side] = join(dir, `${side}.h5`);
  }
  const json = execFileSync("/usr/bin/python3", ["-m", "analysis.explorer.summary",
    files.scenario, files.baseline], { cwd: ROOT, env: { ...process.env, MPLBACKEND: "Agg",
    PYTHONPATH: ROOT } }).toString();
  return JSON.parse(json);
}

async function explorer(browser) {
  const { child, url } = await startExplorer();
  try {
    const page = await browser.newPage();
    const hosts = new Set();
    const errors = [];
    page.on("request", (r) => hosts.add(new URL(r.url()).host));
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.setViewport({ width: 1400, height: 1000 });
    await page.goto(url, { waitUntil: "load" });
    const first = await waitRuns(page, 1);
    check(!first.error, `explorer: first run done (${first.error || first.result.scenario})`);
    // Move a slider the way a user does: focus it and press the arrow key.
    const knob = "#knob-profiling_multiplier";
    const before = await page.$eval(knob, (e) => Number(e.value));
    await page.focus(knob);
    for (let i = 0; i < 8; i += 1) await page.keyboard.press("ArrowRight");
    const after = await page.$eval(knob, (e) => Number(e.value));
    check(after > before, `explorer: slider moved from ${before} to ${after}`);
    const second = await waitRuns(page, first.runs + 1,
      `window.explorer.result && window.explorer.result.request.policy.profiling_multiplier == "${after.toFixed(1)}"`
      + ` || (window.explorer.result && Number(window.explorer.result.request.policy.profiling_multiplier) === ${after})`);
    check(!second.error, "explorer: the new run finished");
    check(second.table !== first.table, "explorer: the numbers changed");
    check(second.charts[0] !== first.charts[0], "explorer: the reporting chart changed");
    check(second.charts[1] !== first.charts[1], "explorer: the trust chart changed");
    // The same settings through `trustsim run`, recomputed independently of the server.
    const mine = engineNumbers(second.result);
    const want = new Map(mine.rows.map((r) => [r.key, r]));
    let same = second.rows.length === mine.rows.length;
    for (const row of second.rows) {
      const w = want.get(row.key);
      same = same && w && Math.abs(w.difference.mean - row.difference) < 1e-9
        && Math.abs(w.scenario.mean - row.scenario) < 1e-9;
    }
    check(same, `explorer: ${second.rows.length} numbers shown equal trustsim run with the same settings`);
    const undoc = second.rows.find((r) => r.key === "reporting.undocumented");
    const w = want.get("reporting.undocumented");
    const shown = (100 * w.difference.mean).toFixed(1);
    check(undoc && undoc.text.includes(Number(shown) === 0 ? "0.0" : shown),
      `explorer: undocumented reporting difference shown as ${shown} points`);
    await page.screenshot({ path: join(OUT, "explorer-1400.png"), fullPage: true });
    await page.setViewport({ width: 400, height: 900 });
    await new Promise((r) => setTimeout(r, 500));
    await page.screenshot({ path: join(OUT, "explorer-400.png"), fullPage: true });
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    check(scroll <= 401, `explorer at 400 px: page ${scroll} px wide`);
    // Bad input from the page's own origin gets a 400 with a message.
    const bad = await page.evaluate(async () => {
      const r = await fetch("/api/run?scenario=sanctuary&residents=abc");
      return [r.status, (await r.json()).error];
    });
    check(bad[0] === 400 && /residents/.test(bad[1]), `explorer: bad input -> HTTP ${bad[0]} (${bad[1]})`);
    const others = [...hosts].filter((h) => !h.startsWith("127.0.0.1:"));
    check(others.length === 0, `explorer: only 127.0.0.1 contacted (${others.join(", ")})`);
    check(errors.length === 0, `explorer: no page errors (${errors.join("; ")})`);
  } finally {
    child.kill("SIGTERM");
  }
}

const browser = await puppeteer.launch({
  executablePath: CHROMIUM, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync"],
});
try {
  await brief(browser);
  await explorer(browser);
} catch (e) {
  check(false, `browser test stopped: ${e.stack || e}`);
} finally {
  await browser.close();
}
console.log(`browser test: ${failures ? failures + " check(s) failed" : "all checks passed"}; ` +
  `screenshots and PDF in ${OUT}`);
process.exit(failures ? 1 : 0);
