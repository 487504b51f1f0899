"""One self-contained interactive page for the article's scenarios.

``gomem scenario run NAME --html FILE`` writes a single HTML file — inline
CSS, inline JavaScript, the data as inline JSON, no network and no server —
that offers every scenario it was given (the CLI gives the one asked for
first, then every built-in one) under every GC mode the scenario names
(plus ``go1.5-norescan`` wherever the scenario has expectations for it).

For each scenario and mode the page holds the run's steps: the picture of
each step (the SVG of :mod:`gomem.viz.svg`, so the page and ``--svg`` show
the same thing), its caption, note, collector events, the invariant status,
and the outcome.  The page lets you choose scenario and mode, step back and
forth (buttons, ←/→, Home/End), play and pause (button or space), and click
any step in the log beside the picture; the outcome (live, freed, lost,
floating, checkmark paths, whether the scenario's expectations are met,
and the outcome under every other mode) appears at the last step.  The URL
fragment (``#lost-object/none/6``) remembers where you are.

Stable hooks for tests: ``#scenario``, ``#mode``, ``#prev``, ``#next``,
``#play``, ``#first``, ``#last``, ``#counter``, ``#picture`` (holding the
step's ``<svg>`` with ``[data-obj][data-color]`` nodes), ``#log li.current``,
``#outcome`` (``data-lost`` etc.), ``body[data-scenario][data-mode][data-step]``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

from ..runtime import mbarrier
from ..errors import BadInput, GomemError
from ..cmd.fsutil import write_output
from ..scenarios import Scenario, ScenarioRun, builtin, names
from ..scenarios.engine import _sort_key
from ..scenarios.text import invariant_text
from . import cjk_font
from . import svg as viz_svg

def page_modes(sc: Scenario) -> list[str]:
    """The modes the page offers for *sc*: its own, plus ``go1.5-norescan`` where it expects something of it."""
    modes = list(sc.modes)
    if "go1.5-norescan" not in modes and "go1.5-norescan" in sc.expect:
        modes.append("go1.5-norescan")
    return modes


def page_scenarios(first: Scenario | None = None) -> list[Scenario]:
    """*first* (if given), then every built-in scenario of another name, in the article's order."""
    out = [first] if first is not None else []
    for n in names():
        if first is not None and n == first.name:
            continue
        out.append(builtin(n))
    return out


def mode_summary(mode: str) -> str:
    """The one-line description of *mode* (every mode, variants included, is in :data:`gomem.runtime.mbarrier.MODES`)."""
    m = mbarrier.MODES.get(mode)
    return m.summary if m else mode


def _lst(x: Iterable[str]) -> str:
    x = list(x)
    return " ".join(x) if x else "-"


def outcome_text(run: ScenarioRun) -> str:
    """``live 1 2 4 7; freed 5 6; lost 3; floating 7`` (the step log's outcome line, without the prefix)."""
    o = run.outcome()
    return f"live {_lst(o.live)}; freed {_lst(o.freed)}; lost {_lst(o.lost)}; floating {_lst(o.floating)}"


def run_data(sc: Scenario, mode: str) -> dict:
    """Everything the page shows of *sc* under *mode* (or the error that stopped the run)."""
    d: dict = {"mode": mode, "summary": mode_summary(mode)}
    try:
        run = ScenarioRun(sc, mode)
        run.run()
        steps = viz_svg.all_steps(run)
        lay = viz_svg.compute_layout(run, steps)
        svgs = [viz_svg.render_step(run, i, steps, lay) for i in range(len(steps))]
    except GomemError as e:
        d["error"] = str(e)
        d["steps"] = []
        return d
    out = run.outcome()
    d["steps"] = [
        {
            "text": "initial graph" if i == 0 else st.text,
            "caption": viz_svg.caption(run, i, st),
            "note": st.note,
            "kind": st.kind,
            "events": list(st.events),
            "invariant": invariant_text(st),
            "strong": st.strong,
            "weak": st.weak,
            "world_stopped": st.world_stopped,
            "phase": st.phase,
            "t": st.t,
            "colors": {k: st.colors[k] for k in sorted(st.colors, key=_sort_key)},
            "svg": svgs[i].replace(' xmlns="http://www.w3.org/2000/svg"', "", 1),
        }
        for i, st in enumerate(steps)
    ]
    d["outcome"] = {
        "live": out.live,
        "freed": out.freed,
        "lost": out.lost,
        "floating": out.floating,
        "lost_paths": {k: out.lost_paths[k] for k in sorted(out.lost_paths, key=_sort_key)},
    }
    d["outcome_text"] = outcome_text(run)
    dangling = getattr(run, "dangling", None) or []
    d["dangling"] = [msg for _, msg in dangling]
    if sc.expected(mode):
        probs = run.check_expectations()
        d["expectations"] = "all met" if not probs else "NOT MET: " + "; ".join(probs)
    return d


def scenario_data(sc: Scenario) -> dict:
    return {
        "name": sc.name,
        "title": sc.title,
        "about": " ".join(sc.about),
        "modes": [run_data(sc, m) for m in page_modes(sc)],
    }


def _share_lines(scenarios: list[dict]) -> list[str]:
    """Replace each step's SVG text by indices into one table of distinct lines (returned).

    Consecutive pictures differ in a few lines (an object's colour, an
    edge), so the page stores each distinct line once: about a tenth of
    the size of the pictures written out.  The page joins them back with
    ``"\\n"``; :func:`step_svg` does the same in Python.
    """
    table: dict[str, int] = {}
    for sc in scenarios:
        for md in sc["modes"]:
            for st in md["steps"]:
                st["svg"] = [table.setdefault(line, len(table)) for line in st["svg"].split("\n")]
    return list(table)


def step_svg(data: dict, step: dict) -> str:
    """The SVG text of a step of the page's data (see :func:`_share_lines`)."""
    return "\n".join(data["lines"][i] for i in step["svg"])


def read_page_data(page: str) -> dict:
    """The JSON data embedded in a page written by :func:`render_page` (for tests and tools)."""
    start = page.index('<script type="application/json" id="gomem-data">')
    start = page.index(">", start) + 1
    end = page.index("</script>", start)
    return json.loads(page[start:end])


def _json_for_script(obj) -> str:
    """JSON safe inside ``<script>``: every ``<`` escaped, so no text can close or confuse the element."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return s.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render_page(scenarios: list[Scenario], initial: tuple[str, str] | None = None) -> str:
    """The page's HTML for *scenarios*; *initial* = (scenario, mode) shown first."""
    if not scenarios:
        raise BadInput("no scenario to put on the page")
    data = {"scenarios": [scenario_data(sc) for sc in scenarios]}
    data["lines"] = _share_lines(data["scenarios"])
    first = scenarios[0]
    if initial is None:
        modes = page_modes(first)
        initial = (first.name, mbarrier.DEFAULT_MODE if mbarrier.DEFAULT_MODE in modes else modes[0])
    data["initial"] = {"scenario": initial[0], "mode": initial[1]}
    return (
        _TEMPLATE.replace("/*CSS*/", cjk_font.font_face_css() + _CSS)
        .replace("/*JS*/", _JS)
        .replace("/*DATA*/", _json_for_script(data))
    )


def write_scenario_page(
    scenarios: list[Scenario], path: str | os.PathLike, initial: tuple[str, str] | None = None
) -> Path:
    """Write the interactive page for *scenarios* to *path* (fsutil.write_output) and return the path."""
    write_output(path, render_page(list(scenarios), initial))
    return Path(path)


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gomem: the GC scenarios step by step</title>
<style>/*CSS*/</style>
</head>
<body>
<header>
  <h1>gomem <span class="sub">Go's garbage collector, step by step</span></h1>
  <div class="controls">
    <label>Scenario <select id="scenario" aria-label="scenario"></select></label>
    <label>GC mode <select id="mode" aria-label="GC mode"></select></label>
    <span class="buttons">
      <button id="first" title="first step (Home)">&#x00AB; First</button>
      <button id="prev" title="previous step (&#x2190;)">&#x25C0; Prev</button>
      <button id="play" title="play / pause (space)">&#x25B6; Play</button>
      <button id="next" title="next step (&#x2192;)">Next &#x25B6;</button>
      <button id="last" title="last step (End)">Last &#x00BB;</button>
    </span>
    <span id="counter" aria-live="polite"></span>
  </div>
</header>
<section id="intro">
  <h2 id="title"></h2>
  <p id="about"></p>
  <p id="mode-summary"></p>
</section>
<main>
  <div id="stage">
    <div id="picture"></div>
    <div id="error" hidden></div>
    <div id="outcome" hidden></div>
    <p id="outcome-hint">The outcome appears at the last step.</p>
  </div>
  <aside id="side">
    <h3>Steps</h3>
    <ol id="log" start="0"></ol>
  </aside>
</main>
<footer>Keys: &#x2190; / &#x2192; step, Home / End first / last, space play / pause. Everything on this page is in this one file;
it needs no network. Written by <code>gomem scenario run --html</code>.</footer>
<script type="application/json" id="gomem-data">/*DATA*/</script>
<script>/*JS*/</script>
</body>
</html>
"""

_CSS = """
:root { --fg:#263238; --muted:#607d8b; --accent:#1565c0; --bad:#c62828; --ok:#2e7d32; --line:#cfd8dc; }
* { box-sizing: border-box; }
body { margin:0; font-family: "DejaVu Sans", Verdana, Arial, "gomem Noto Sans CJK SC", sans-serif; color:var(--fg); background:#fafafa; font-size:14px; }
header { position:sticky; top:0; z-index:2; background:#ffffff; border-bottom:1px solid var(--line); padding:8px 16px; }
h1 { font-size:18px; margin:0 0 6px 0; }
h1 .sub { font-weight:normal; color:var(--muted); font-size:14px; }
.controls { display:flex; flex-wrap:wrap; gap:10px; align-items:center; }
.controls label { color:var(--muted); display:inline-flex; align-items:center; gap:6px; max-width:100%; min-width:0; }
.controls select { min-width:0; max-width:100%; text-overflow:ellipsis; }
select, button { font:inherit; padding:3px 8px; border:1px solid #b0bec5; border-radius:4px; background:#fff; color:var(--fg); }
button { cursor:pointer; }
button:hover:not(:disabled) { background:#e3f2fd; }
button:disabled { opacity:.45; cursor:default; }
button.playing { background:#ffe0b2; }
#counter { font-weight:bold; margin-left:6px; }
#intro { padding:4px 16px 0 16px; }
#intro h2 { font-size:16px; margin:6px 0 2px 0; }
#intro p { margin:2px 0; color:#37474f; max-width:80em; }
#mode-summary { color:var(--muted) !important; font-style:italic; }
main { display:flex; gap:16px; padding:8px 16px 16px 16px; align-items:flex-start; }
#stage { flex: 1 1 auto; min-width:0; }
#picture { background:#fff; border:1px solid var(--line); border-radius:6px; padding:4px; overflow-x:auto; }
#picture svg { display:block; max-width:100%; height:auto; }
#side { flex:0 0 360px; max-height:calc(100vh - 120px); overflow-y:auto; background:#fff; border:1px solid var(--line); border-radius:6px; padding:4px 8px; position:sticky; top:96px; }
#side h3 { margin:4px 0; font-size:14px; }
#log { margin:0; padding-left:2.2em; }
#log li { padding:3px 4px; border-radius:4px; cursor:pointer; margin:1px 0; }
#log li:hover { background:#eceff1; }
#log li.current { background:#e3f2fd; outline:2px solid var(--accent); }
#log li.future { color:#90a4ae; }
#log .text { font-family: "DejaVu Sans Mono", monospace; font-size:12.5px; }
#log .note { display:block; font-size:12px; color:#455a64; }
#log li.future .note { color:#b0bec5; }
#log .events { display:block; font-size:11px; color:var(--muted); }
#log .stw { color:#fff; background:#e53935; border-radius:6px; padding:0 5px; font-size:10px; margin-left:4px; }
#outcome { margin-top:10px; padding:8px 12px; border-radius:6px; background:#fff; border:2px solid var(--ok); }
#outcome.has-lost { border-color:var(--bad); background:#ffebee; }
#outcome .headline { font-weight:bold; font-size:15px; }
#outcome .lost { color:var(--bad); font-weight:bold; }
#outcome table { border-collapse:collapse; margin-top:6px; font-size:12.5px; }
#outcome td, #outcome th { border:1px solid var(--line); padding:2px 8px; text-align:left; }
#outcome tr.current { background:#e3f2fd; }
#outcome tr { cursor:pointer; }
#outcome-hint { color:var(--muted); font-size:12px; }
#error { margin-top:10px; padding:8px 12px; border:2px solid var(--bad); border-radius:6px; background:#ffebee; }
footer { color:var(--muted); font-size:12px; padding:0 16px 16px 16px; }
@media (max-width: 900px) { main { flex-direction:column; } #stage { width:100%; } #side { flex:none; width:100%; position:static; max-height:none; } }
@media (max-width: 600px) {
  header { position:static; padding:6px 8px; }
  #intro { padding:4px 8px 0 8px; } main { padding:6px 8px 12px 8px; } footer { padding:0 8px 12px 8px; }
  .controls { gap:6px; } .controls label { display:flex; width:100%; } .controls select { flex:1 1 auto; width:0; }
  .controls .buttons { display:flex; flex-wrap:wrap; gap:4px; }
  #picture svg { min-width:520px; }
  #outcome { overflow-x:auto; }
  #log .text { overflow-wrap:anywhere; }
}
"""

_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("gomem-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var scSel = $("scenario"), modeSel = $("mode");
  var state = { sc: null, mode: null, i: 0 };
  var timer = null;

  function scenario() { return DATA.scenarios.find(function (s) { return s.name === state.sc; }); }
  function modeData() {
    var sc = scenario();
    return sc.modes.find(function (m) { return m.mode === state.mode; }) || sc.modes[0];
  }
  function text(el, s) { el.textContent = s; return el; }
  function make(tag, cls, s) { var e = document.createElement(tag); if (cls) e.className = cls; if (s !== undefined) e.textContent = s; return e; }

  DATA.scenarios.forEach(function (s) {
    var o = make("option", null, s.name + (s.title ? " \u2014 " + s.title : ""));
    o.value = s.name; scSel.appendChild(o);
  });

  function fillModes() {
    var sc = scenario();
    modeSel.innerHTML = "";
    sc.modes.forEach(function (m) {
      var o = make("option", null, m.mode); o.value = m.mode; modeSel.appendChild(o);
    });
    if (!sc.modes.some(function (m) { return m.mode === state.mode; })) {
      state.mode = sc.modes.some(function (m) { return m.mode === "go1.8"; }) ? "go1.8" : sc.modes[0].mode;
    }
    modeSel.value = state.mode;
  }

  function buildLog() {
    var md = modeData(), log = $("log");
    log.innerHTML = "";
    md.steps.forEach(function (st, i) {
      var li = make("li");
      li.dataset.step = i;
      li.appendChild(make("span", "text", st.text));
      if (st.world_stopped) li.appendChild(make("span", "stw", "world stopped"));
      if (st.note) li.appendChild(make("span", "note", st.note));
      if (st.events && st.events.length) li.appendChild(make("span", "events", st.events.join("; ")));
      li.addEventListener("click", function () { stop(); go(i); });
      log.appendChild(li);
    });
  }

  function outcomeBox() {
    var sc = scenario(), md = modeData(), box = $("outcome"), o = md.outcome;
    box.innerHTML = "";
    if (!o) { box.hidden = true; return; }
    box.className = o.lost.length ? "has-lost" : "";
    box.dataset.live = o.live.join(" ");
    box.dataset.freed = o.freed.join(" ");
    box.dataset.lost = o.lost.join(" ");
    box.dataset.floating = o.floating.join(" ");
    var head = make("div", "headline");
    head.appendChild(document.createTextNode("Outcome under " + md.mode + ": "));
    var parts = [["live", o.live], ["freed", o.freed], ["lost", o.lost], ["floating", o.floating]];
    parts.forEach(function (p, k) {
      var span = make("span", p[0] === "lost" && p[1].length ? "lost" : null, p[0] + " " + (p[1].length ? p[1].join(" ") : "-"));
      head.appendChild(span);
      if (k < parts.length - 1) head.appendChild(document.createTextNode("; "));
    });
    box.appendChild(head);
    Object.keys(o.lost_paths).forEach(function (k) {
      box.appendChild(make("div", "lost", "lost " + k + ": checkmark found it reachable through " + o.lost_paths[k]));
    });
    (md.dangling || []).forEach(function (m) { box.appendChild(make("div", "lost", m)); });
    if (md.expectations) box.appendChild(make("div", null, "expectations of the scenario for " + md.mode + ": " + md.expectations));
    var tbl = make("table"), tr = make("tr");
    ["mode", "outcome"].forEach(function (h) { tr.appendChild(make("th", null, h)); });
    tbl.appendChild(tr);
    sc.modes.forEach(function (m) {
      var r = make("tr", m.mode === md.mode ? "current" : null);
      r.appendChild(make("td", null, m.mode));
      var td = make("td", m.outcome && m.outcome.lost.length ? "lost" : null, m.error ? "error: " + m.error : m.outcome_text);
      r.appendChild(td);
      r.title = m.summary;
      r.addEventListener("click", function () { stop(); state.mode = m.mode; modeSel.value = m.mode; load(true); });
      tbl.appendChild(r);
    });
    box.appendChild(make("div", null, "under every mode:"));
    box.appendChild(tbl);
  }

  function load(toEnd) {
    var sc = scenario(), md = modeData();
    state.mode = md.mode;
    text($("title"), sc.name + (sc.title ? " \u2014 " + sc.title : ""));
    text($("about"), sc.about || "");
    text($("mode-summary"), "--gc " + md.mode + ": " + md.summary);
    var err = $("error");
    if (md.error) { err.hidden = false; text(err, "This scenario cannot run under " + md.mode + ": " + md.error); }
    else { err.hidden = true; }
    buildLog();
    outcomeBox();
    go(toEnd ? Math.max(0, md.steps.length - 1) : 0);
  }

  function go(i) {
    var md = modeData(), n = md.steps.length;
    if (n === 0) { $("picture").innerHTML = ""; text($("counter"), "no steps"); return; }
    state.i = Math.max(0, Math.min(n - 1, i));
    var st = md.steps[state.i];
    $("picture").innerHTML = st.svg.map(function (k) { return DATA.lines[k]; }).join("\n");
    var last = state.i === n - 1;
    text($("counter"), state.i === 0 ? "initial graph (0 / " + (n - 1) + ")" : "step " + state.i + " / " + (n - 1));
    $("outcome").hidden = !last || !md.outcome;
    $("outcome-hint").hidden = last;
    $("prev").disabled = $("first").disabled = state.i === 0;
    $("next").disabled = $("last").disabled = last;
    var items = $("log").children;
    for (var k = 0; k < items.length; k++) {
      items[k].classList.toggle("current", k === state.i);
      items[k].classList.toggle("future", k > state.i);
    }
    var cur = items[state.i];
    var side = $("side");
    if (cur && side.scrollHeight > side.clientHeight) {
      if (cur.offsetTop < side.scrollTop || cur.offsetTop + cur.offsetHeight > side.scrollTop + side.clientHeight) {
        side.scrollTop = Math.max(0, cur.offsetTop - side.clientHeight / 3);
      }
    }
    document.body.dataset.scenario = state.sc;
    document.body.dataset.mode = state.mode;
    document.body.dataset.step = state.i;
    try { history.replaceState(null, "", "#" + state.sc + "/" + state.mode + "/" + state.i); } catch (e) { /* file: URLs may refuse */ }
  }

  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    $("play").classList.remove("playing");
    $("play").textContent = "\u25B6 Play";
  }
  function play() {
    var md = modeData();
    if (state.i >= md.steps.length - 1) go(0);
    $("play").classList.add("playing");
    $("play").textContent = "\u275A\u275A Pause";
    timer = setInterval(function () {
      if (state.i >= modeData().steps.length - 1) { stop(); return; }
      go(state.i + 1);
    }, 1200);
  }
  function toggle() { if (timer) stop(); else play(); }

  $("prev").addEventListener("click", function () { stop(); go(state.i - 1); });
  $("next").addEventListener("click", function () { stop(); go(state.i + 1); });
  $("first").addEventListener("click", function () { stop(); go(0); });
  $("last").addEventListener("click", function () { stop(); go(modeData().steps.length - 1); });
  $("play").addEventListener("click", toggle);
  scSel.addEventListener("change", function () { stop(); state.sc = scSel.value; fillModes(); load(false); scSel.blur(); });
  modeSel.addEventListener("change", function () { stop(); state.mode = modeSel.value; load(false); modeSel.blur(); });
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var tag = e.target && e.target.tagName;
    var k = e.key;
    if (k === "ArrowRight") { e.preventDefault(); stop(); go(state.i + 1); }
    else if (k === "ArrowLeft") { e.preventDefault(); stop(); go(state.i - 1); }
    else if (tag === "SELECT") { return; }
    else if (k === "Home") { e.preventDefault(); stop(); go(0); }
    else if (k === "End") { e.preventDefault(); stop(); go(modeData().steps.length - 1); }
    else if ((k === " " || k === "Spacebar") && tag !== "BUTTON") { e.preventDefault(); toggle(); }
  });

  // where to start: the URL fragment, else the page's initial choice
  var start = DATA.initial || {};
  var frag = decodeURIComponent((location.hash || "").slice(1)).split("/");
  state.sc = start.scenario || DATA.scenarios[0].name;
  state.mode = start.mode || "go1.8";
  var startStep = 0;
  if (frag.length >= 2 && DATA.scenarios.some(function (s) { return s.name === frag[0]; })) {
    state.sc = frag[0]; state.mode = frag[1]; startStep = parseInt(frag[2] || "0", 10) || 0;
  }
  if (!DATA.scenarios.some(function (s) { return s.name === state.sc; })) state.sc = DATA.scenarios[0].name;
  scSel.value = state.sc;
  fillModes();
  load(false);
  if (startStep) go(startStep);
})();
"""
